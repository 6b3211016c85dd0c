//! `fixpath` CLI tests: each builds a temporary kb, runs the real binary and compares its
//! full output.

use std::path::{Path, PathBuf};
use std::process::Command;

mod killed_build;

/// A temporary kb folder with the given files.
struct TempKb {
    dir: tempfile::TempDir,
}

impl TempKb {
    fn new(files: &[(&str, &str)]) -> TempKb {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join("kb").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        TempKb { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs `fixpath ARGS` in the temp folder: (exit code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_fixpath"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }
}

const GOOD: &str = "---\ntitle: Uploads fail\nerrors: [E-UP-413]\n---\n\n## Compress the file\n\nSmaller.\n\n## Split it\n\nParts.\n";

#[test]
fn check_reports_each_broken_article_by_file_and_line() {
    let kb = TempKb::new(&[
        ("good.md", GOOD),
        (
            "bad/yaml.md",
            "---\ntitle: x\nerrors: [unclosed\n---\nBody\n",
        ),
        ("bad/untitled.md", "Just a paragraph.\n"),
        ("bad/open.md", "---\ntitle: never closed\n"),
    ]);
    let (code, stdout, stderr) = kb.run(&["check", "kb"]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    let lines: Vec<&str> = stderr
        .lines()
        .map(|l| l.split(": error: ").next().unwrap())
        .collect();
    // An unclosed `[` is reported where it opens, not where the parser gave up.
    assert_eq!(
        lines,
        [
            "kb/bad/open.md:1:1",
            "kb/bad/untitled.md:1:1",
            "kb/bad/yaml.md:3:9"
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains("kb/bad/untitled.md:1:1: error: missing title"),
        "{stderr}"
    );
}

#[test]
fn a_misspelt_key_warns_with_a_suggestion_but_does_not_fail_the_build() {
    let kb = TempKb::new(&[(
        "typo.md",
        "---\ntitle: Slow pages\nsymptom: [laggy]\nms.date: 1/1/2020\n---\nClear the cache.\n",
    )]);
    let (code, _, stderr) = kb.run(&["build", "kb", "--out", "out"]);
    assert_eq!(code, 0, "{stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "kb/typo.md:3:1: warning: unknown front matter key `symptom`; did you mean `symptoms`?"
    );
    assert!(kb.path("out/manifest.json").exists());
    let (code, _, stderr) = kb.run(&["check", "kb"]);
    assert_eq!(
        (code, stderr.lines().last()),
        (0, Some("1 article, no errors, 1 warning(s)"))
    );
}

#[test]
fn check_speaks_json_for_editors() {
    let kb = TempKb::new(&[
        ("bad.md", "---\ntitle: [\n---\n"),
        ("typo.md", "---\ntitel: x\n---\n# T\n"),
    ]);
    let (code, stdout, _) = kb.run(&["check", "kb", "--format", "json"]);
    assert_eq!(code, 1);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(
        (lines[0]["path"].as_str(), lines[0]["severity"].as_str()),
        (Some("kb/bad.md"), Some("error"))
    );
    assert_eq!(lines[1]["severity"], "warning");
    assert_eq!(lines[1]["line"], 2);
}

#[test]
fn new_scaffolds_files_that_pass_check_and_never_overwrites() {
    let kb = TempKb::new(&[]);
    std::fs::create_dir_all(kb.path("kb")).unwrap();
    for (kind, path) in [
        ("guide", "uploads/slow-uploads"),
        ("article", "billing/vat-number.md"),
    ] {
        let (code, _, stderr) = kb.run(&["new", kind, path, "--kb", "kb"]);
        assert_eq!(code, 0, "{stderr}");
    }
    let guide = std::fs::read_to_string(kb.path("kb/uploads/slow-uploads.md")).unwrap();
    assert!(
        guide.starts_with("---\ntitle: Slow uploads\n") && guide.contains("## First fix to try"),
        "{guide}"
    );
    let (code, _, stderr) = kb.run(&["check", "kb"]);
    assert_eq!((code, stderr.as_str()), (0, "2 articles, no problems\n"));
    let (code, _, stderr) = kb.run(&["new", "guide", "uploads/slow-uploads", "--kb", "kb"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already exists"), "{stderr}");
    let (_, stdout, _) = kb.run(&["search", "--kb", "kb", "slow upload"]);
    assert!(stdout.starts_with(" 1. Slow uploads"), "{stdout}");
}

#[test]
fn check_of_a_clean_kb_exits_zero() {
    let kb = TempKb::new(&[("good.md", GOOD)]);
    let (code, _, stderr) = kb.run(&["check", "kb"]);
    assert_eq!((code, stderr.as_str()), (0, "1 article, no problems\n"));
}

#[test]
fn a_failed_build_leaves_the_previous_bundle_intact() {
    let kb = TempKb::new(&[("good.md", GOOD)]);
    let (code, _, stderr) = kb.run(&["build", "kb", "--out", "out"]);
    assert_eq!(code, 0, "{stderr}");
    let before = listing(&kb.path("out"));
    let names: Vec<_> = before.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names.len(),
        4,
        "content chunk, index, manifest, postings: {names:?}"
    );
    assert!(
        names[0].starts_with("content-0.")
            && names[1].starts_with("index.")
            && names[2] == "manifest.json"
            && names[3].starts_with("postings-0.")
    );

    std::fs::write(kb.path("kb/broken.md"), "---\ntitle: [\n---\n").unwrap();
    let (code, _, stderr) = kb.run(&["build", "kb", "--out", "out"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("kb/broken.md:2:") && stderr.contains("bundle not written"),
        "{stderr}"
    );
    assert_eq!(listing(&kb.path("out")), before);
    let leftovers: Vec<_> = std::fs::read_dir(kb.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no temporary folders left: {leftovers:?}"
    );
}

#[test]
fn building_twice_gives_identical_bytes() {
    let kb = TempKb::new(&[
        ("good.md", GOOD),
        ("other.md", "# Slow pages\n\nClear the cache.\n"),
    ]);
    kb.run(&["build", "kb", "--out", "a"]);
    kb.run(&["build", "kb", "--out", "b"]);
    assert_eq!(listing(&kb.path("a")), listing(&kb.path("b")));
}

#[test]
fn search_answers_from_the_bundle() {
    let kb = TempKb::new(&[
        ("good.md", GOOD),
        ("other.md", "# Slow pages\n\nClear the cache.\n"),
    ]);
    let (code, stdout, _) = kb.run(&["search", "--kb", "kb", "E-UP-413 payload too large"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with(" 1. Uploads fail  [good.md]"),
        "{stdout}"
    );
    let (_, stdout, _) = kb.run(&["search", "--kb", "kb", "zzzz"]);
    assert_eq!(stdout, "no results\n");
}

#[test]
fn search_counts_warnings_instead_of_listing_them() {
    let kb = TempKb::new(&[
        ("good.md", GOOD),
        (
            "links.md",
            "# Links\n\nSee [a](gone.md) and [b](also-gone.md).\n",
        ),
    ]);
    let (code, stdout, stderr) = kb.run(&["search", "--kb", "kb", "links"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with(" 1. Links"), "{stdout}");
    assert_eq!(
        stderr,
        "2 warning(s) in the kb (`fixpath check` lists them)\n"
    );
}

#[test]
fn a_missing_kb_is_a_usage_error() {
    let kb = TempKb::new(&[]);
    let (code, _, stderr) = kb.run(&["check", "nope"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("fixpath: error: reading kb nope"),
        "{stderr}"
    );
}

/// (file name, contents) of every file in `dir`, sorted.
fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Every folder in `tests/broken-kbs` is a kb with deliberate mistakes and, beside it,
/// `expected.txt`: exactly what `fixpath check` must print (piped, so plain lines) and the
/// exit code.
#[test]
fn each_broken_kb_gets_exactly_its_diagnostics() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken-kbs");
    let mut names: Vec<_> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for case in names {
        let out = Command::new(env!("CARGO_BIN_EXE_fixpath"))
            .args(["check", "kb"])
            .current_dir(&case)
            .output()
            .unwrap();
        let actual = format!(
            "{}exit {}\n",
            String::from_utf8_lossy(&out.stderr),
            out.status.code().unwrap_or(-1)
        );
        let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap();
        assert_eq!(actual, expected, "{}", case.display());
    }
}
