//! `fixpath` CLI tests: each builds a temporary kb, runs the real binary and compares its
//! full output.

use std::path::{Path, PathBuf};
use std::process::Command;

mod insights;
mod killed_build;
mod languages;

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
    assert!(kb.path("out/kb/manifest.json").exists());
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
        guide.starts_with("---\ntitle: \"Slow uploads\"\n")
            && guide.contains("## First fix to try"),
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
    let names: Vec<_> = before
        .iter()
        .filter_map(|(name, _)| name.strip_prefix("kb/"))
        .collect();
    assert_eq!(
        names.len(),
        6,
        "article shard, content chunk, dictionary shard, index, manifest, postings: {names:?}"
    );
    assert!(
        names[0].starts_with("articles-0.")
            && names[1].starts_with("content-0.")
            && names[2].starts_with("dictionary-0.")
            && names[3].starts_with("index.")
            && names[4] == "manifest.json"
            && names[5].starts_with("postings-0.")
    );

    std::fs::write(kb.path("kb/broken.md"), "---\ntitle: [\n---\n").unwrap();
    let (code, _, stderr) = kb.run(&["build", "kb", "--out", "out"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("kb/broken.md:2:") && stderr.contains("nothing written"),
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

/// (path relative to `dir` with `/`, contents) of every file under `dir`, sorted.
fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{name}/"), out);
            } else {
                out.push((name, std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files);
    files.sort();
    files
}

/// Whether this `fixpath` carries a widget (a checkout where `cargo xtask dist` ran);
/// `cargo xtask test` requires it.
fn carries_widget() -> bool {
    let version = Command::new(env!("CARGO_BIN_EXE_fixpath"))
        .arg("--version")
        .output()
        .unwrap();
    let carries = String::from_utf8_lossy(&version.stdout).contains("widget built from sources");
    assert!(
        carries || std::env::var_os("FIXPATH_REQUIRE_WIDGET").is_none(),
        "FIXPATH_REQUIRE_WIDGET is set but fixpath carries no widget"
    );
    carries
}

#[test]
fn version_names_the_bundle_format_and_the_widget() {
    let kb = TempKb::new(&[]);
    let (code, stdout, _) = kb.run(&["--version"]);
    assert_eq!(code, 0);
    let expected = format!(
        "fixpath {} (bundle format {}, ",
        env!("CARGO_PKG_VERSION"),
        fixpath_engine::bundle::BUNDLE_FORMAT_VERSION
    );
    assert!(stdout.starts_with(&expected), "{stdout}");
    let widget = if carries_widget() {
        "widget built from sources "
    } else {
        "no widget"
    };
    assert!(stdout.contains(widget), "{stdout}");
}

#[test]
fn build_writes_a_folder_to_publish_and_prints_how_to_embed_it() {
    let kb = TempKb::new(&[("good.md", GOOD)]);
    let (code, stdout, stderr) = kb.run(&["build", "kb", "--out", "public/help"]);
    assert_eq!(code, 0, "{stderr}");
    let files: Vec<String> = listing(&kb.path("public/help"))
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert!(files.contains(&"kb/manifest.json".to_string()), "{files:?}");
    if !carries_widget() {
        assert!(stderr.contains("carries no widget"), "{stderr}");
        eprintln!("skipped the widget files: this fixpath carries no widget (`cargo xtask dist`)");
        return;
    }
    let widget: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|f| !f.starts_with("kb/"))
        .collect();
    let loader = std::fs::read_to_string(kb.path("public/help/fixpath.js")).unwrap();
    let names = fixpath_engine::loader_files::LoaderFiles::from_loader(&loader)
        .expect("the loader names the widget's files");
    assert!(
        !names.link.is_empty() && !names.pieces.is_empty(),
        "{names:?}"
    );
    let mut expected: Vec<&str> = names.all();
    expected.push("fixpath.js");
    expected.sort();
    let mut written = widget.clone();
    written.sort();
    assert_eq!(
        written, expected,
        "the loader names exactly the widget's files"
    );
    for name in names.all() {
        let hash = name
            .strip_prefix("fixpath-widget.")
            .and_then(|rest| rest.split('.').next())
            .unwrap_or_default();
        assert!(
            hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{name} is content-hashed"
        );
    }
    assert!(
        stdout.contains("  <script type=\"module\" src=\"/help/fixpath.js\"></script>\n  <fixpath-widget></fixpath-widget>\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("assuming public/help is served at /help/"),
        "{stdout}"
    );

    let (_, stdout, _) = kb.run(&["build", "kb", "--out", "x", "--base-url", "/docs/help"]);
    assert!(stdout.contains("src=\"/docs/help/fixpath.js\""), "{stdout}");
    assert!(!stdout.contains("assuming"), "{stdout}");
}

#[test]
fn precompress_writes_brotli_and_gzip_copies_of_the_hashed_files_only() {
    let kb = TempKb::new(&[("good.md", GOOD)]);
    let (code, _, stderr) = kb.run(&["build", "kb", "--out", "help", "--precompress"]);
    assert_eq!(code, 0, "{stderr}");
    let files = listing(&kb.path("help"));
    let by_name: std::collections::HashMap<&str, &[u8]> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let mut compressed = 0;
    for (name, bytes) in &files {
        if let Some(original) = name.strip_suffix(".gz") {
            let mut plain = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut plain)
                .unwrap();
            assert_eq!(plain, by_name[original], "{name}");
            compressed += 1;
        } else if let Some(original) = name.strip_suffix(".br") {
            let mut plain = Vec::new();
            brotli::BrotliDecompress(&mut &bytes[..], &mut plain).unwrap();
            assert_eq!(plain, by_name[original], "{name}");
            assert!(by_name.contains_key(format!("{original}.gz").as_str()));
        } else {
            let hashed = name.ends_with(".bin") || name.starts_with("fixpath-widget.");
            assert_eq!(
                by_name.contains_key(format!("{name}.br").as_str()),
                hashed,
                "{name}: only content-hashed files are precompressed"
            );
        }
    }
    assert!(compressed >= 3, "{compressed} gzip copies");

    // The next build of a changed kb removes the copies of files that are gone with them.
    std::fs::write(
        kb.path("kb/good.md"),
        GOOD.replace("Smaller.", "Much smaller."),
    )
    .unwrap();
    kb.run(&["build", "kb", "--out", "help", "--precompress"]);
    kb.run(&["build", "kb", "--out", "help", "--precompress"]);
    for (name, _) in listing(&kb.path("help")) {
        if let Some(original) = name
            .strip_suffix(".br")
            .or_else(|| name.strip_suffix(".gz"))
        {
            assert!(
                kb.path("help").join(original).exists(),
                "{name} outlived {original}"
            );
        }
    }
}

/// `fixpath check --format json | head -1`: the reader stops, fixpath ends quietly.
#[test]
fn output_into_a_pipe_that_closes_early_ends_quietly() {
    // Enough diagnostics to fill the pipe, so fixpath is still writing when it closes.
    let files: Vec<(String, &str)> = (0..800)
        .map(|i| (format!("a{i:03}.md"), "No title here.\n"))
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let kb = TempKb::new(&files);
    let mut child = Command::new(env!("CARGO_BIN_EXE_fixpath"))
        .args(["check", "kb", "--format", "json"])
        .current_dir(kb.path(""))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    assert!(first.contains("missing title"), "{first}");
    // The reader is gone (the BufReader and the pipe were dropped above).
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).as_ref()
        ),
        (Some(0), ""),
        "no panic, no error message"
    );
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
