//! The docs team's side of insights: `fixpath insights` reads an export and shows only
//! what enough pages searched; `fixpath new article --from-gap` starts an article from a
//! content gap; `--insights` teaches `build` the phrasings that led to fixes, lists them in
//! `check`, and builds the same bundle every time.

use super::{listing, TempKb, GOOD};

/// An export: "printer offline" searched on 6 pages and fixed by `good.md` on 4 of them;
/// one customer's own sentence on a single page; "scanner smells" on 5 pages, no results.
fn export() -> String {
    let mut queries = serde_json::Map::new();
    queries.insert(
        "printer offline".into(),
        serde_json::json!({ "pages": 6, "resolved_by": { "good.md": 4 } }),
    );
    queries.insert(
        "my name is jane doe".into(),
        serde_json::json!({ "pages": 1, "resolved_by": { "good.md": 1 } }),
    );
    queries.insert(
        "scanner smells".into(),
        serde_json::json!({ "pages": 5, "without_results": 5, "escalated": 2 }),
    );
    serde_json::json!({
        "2026-11-30": {
            "searches": 12, "searches_without_results": 5, "resolved": 5, "escalated": 2,
            "tickets_minor": 2, "queries": queries,
            "articles": { "good.md": { "opened": 5, "resolved": 5 } }
        }
    })
    .to_string()
}

#[test]
fn insights_show_what_enough_pages_searched_and_nothing_else() {
    let kb = TempKb::new(&[]);
    std::fs::write(kb.path("export.json"), export()).unwrap();
    let (code, stdout, stderr) = kb.run(&["insights", "export.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Deflection: 71 %"), "{stdout}");
    assert!(stdout.contains("scanner smells") && stdout.contains("printer offline"));
    assert!(!stdout.contains("jane"), "{stdout}");
    assert!(
        stdout.contains("1 other was counted but is not shown"),
        "{stdout}"
    );
    let (_, csv, _) = kb.run(&["insights", "export.json", "--csv", "content-gaps"]);
    assert_eq!(
        csv,
        "query,pages,without_results,escalated\r\nscanner smells,5,5,2\r\n"
    );
    // A stricter k hides "scanner smells" too, and what is saved is as anonymous.
    let (code, stdout, _) = kb.run(&[
        "insights",
        "export.json",
        "--min-pages",
        "6",
        "--save",
        "strict.json",
    ]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("scanner"), "{stdout}");
    let saved = std::fs::read_to_string(kb.path("strict.json")).unwrap();
    assert!(
        saved.contains("printer offline") && !saved.contains("jane") && !saved.contains("scanner")
    );
    let (code, _, stderr) = kb.run(&["insights", "export.json", "--csv", "nope"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("choose one of days, searches, content-gaps, guides"),
        "{stderr}"
    );
}

#[test]
fn a_content_gap_becomes_an_article_that_passes_check() {
    let kb = TempKb::new(&[]);
    std::fs::create_dir_all(kb.path("kb")).unwrap();
    let gap = "Scanner smells: \"burnt\" toast";
    let (code, _, stderr) = kb.run(&["new", "article", "--from-gap", gap, "--kb", "kb"]);
    assert_eq!(code, 0, "{stderr}");
    let written = std::fs::read_to_string(kb.path("kb/scanner-smells-burnt-toast.md")).unwrap();
    assert!(
        written.starts_with("---\ntitle: \"Scanner smells: \\\"burnt\\\" toast\"\n"),
        "{written}"
    );
    assert!(written.contains("symptoms: [\"Scanner smells: \\\"burnt\\\" toast\"]"));
    let (code, _, stderr) = kb.run(&["check", "kb"]);
    assert_eq!((code, stderr.as_str()), (0, "1 article, no problems\n"));
    let (_, stdout, _) = kb.run(&["search", "--kb", "kb", "scanner smells of burnt toast"]);
    assert!(stdout.starts_with(" 1. Scanner smells"), "{stdout}");
}

#[test]
fn learned_phrasings_are_listed_found_and_built_the_same_every_time() {
    let kb = TempKb::new(&[
        ("good.md", GOOD),
        (
            "other.md",
            "---\ntitle: Sleep settings\n---\n\nA printer offline after sleep needs waking.\n",
        ),
    ]);
    std::fs::write(kb.path("export.json"), export()).unwrap();
    let (code, _, stderr) = kb.run(&["check", "kb", "--insights", "export.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("kb/good.md: note: learned from insights: \"printer offline\"\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("jane"), "one page is not enough: {stderr}");
    // Without insights the article that mentions it comes first; with them, the one that
    // fixed it for customers who put it that way.
    let (_, before, _) = kb.run(&["search", "--kb", "kb", "printer offline"]);
    assert!(before.starts_with(" 1. Sleep settings"), "{before}");
    let (_, after, _) = kb.run(&[
        "search",
        "--kb",
        "kb",
        "--insights",
        "export.json",
        "printer offline",
    ]);
    assert!(after.starts_with(" 1. Uploads fail"), "{after}");

    let mut builds = Vec::new();
    for out in ["one", "two"] {
        let (code, _, stderr) = kb.run(&["build", "kb", "--out", out, "--insights", "export.json"]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stderr.contains("learned 1 phrasing(s) from insights for 1 article(s)"),
            "{stderr}"
        );
        builds.push(listing(&kb.path(out).join("kb")));
    }
    assert_eq!(
        builds[0], builds[1],
        "the same kb and insights build the same bundle"
    );
    let (code, _, _) = kb.run(&["build", "kb", "--out", "plain"]);
    assert_eq!(code, 0);
    assert_ne!(
        listing(&kb.path("plain").join("kb")),
        builds[0],
        "the insights are in it"
    );
}
