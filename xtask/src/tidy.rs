//! House rules, checked as ordinary tests: every Rust file opens with a `//!` doc, no file
//! grows past 600 lines, no test hides behind `should_panic` or `ignore`, and `engine` stays
//! free of I/O and browser/server crates.

use std::path::{Path, PathBuf};

use crate::project_root;

const MAX_LINES: usize = 600;
const CRATES: &[&str] = &["engine", "indexer", "widget", "relay", "tests", "xtask"];
/// What `engine` must never depend on (see ARCHITECTURE.md).
const BANNED_IN_ENGINE: &[&str] = &[
    "wasm-bindgen",
    "web-sys",
    "tokio",
    "tantivy",
    "leptos",
    "gloo",
];

fn rust_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for krate in CRATES {
        walk(&project_root().join(krate), &mut files);
    }
    files
}

#[test]
fn every_rust_file_opens_with_a_module_doc() {
    let missing: Vec<_> = rust_files()
        .into_iter()
        .filter(|f| !std::fs::read_to_string(f).unwrap().starts_with("//!"))
        .collect();
    assert!(
        missing.is_empty(),
        "files without a leading //! doc: {missing:?}"
    );
}

#[test]
fn no_file_is_too_long() {
    let long: Vec<_> = rust_files()
        .into_iter()
        .map(|f| (std::fs::read_to_string(&f).unwrap().lines().count(), f))
        .filter(|(n, _)| *n > MAX_LINES)
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
}

#[test]
fn no_test_is_ignored_or_expected_to_panic() {
    let needles = [concat!("#[should", "_panic"), concat!("#[ig", "nore")];
    let hits: Vec<_> = rust_files()
        .into_iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            needles.iter().any(|n| text.contains(n))
        })
        .collect();
    assert!(
        hits.is_empty(),
        "assert today's behaviour with a FIXME instead: {hits:?}"
    );
}

#[test]
fn engine_depends_on_no_io_or_browser_crate() {
    let manifest = std::fs::read_to_string(project_root().join("engine/Cargo.toml")).unwrap();
    let banned: Vec<_> = manifest
        .lines()
        .filter_map(|l| l.split(['=', ' ', '.']).next())
        .filter(|name| BANNED_IN_ENGINE.iter().any(|b| name.starts_with(b)))
        .collect();
    assert!(banned.is_empty(), "engine must stay pure: {banned:?}");
}

/// Every widget string a kb can replace is documented for docs writers, and every key the
/// widget asks for by name exists (a missing one would show the key instead of words).
#[test]
fn widget_strings_are_in_the_catalog_and_documented() {
    use fixpath_engine::strings::CATALOG;
    let root = project_root();
    let readme = std::fs::read_to_string(root.join("kb/README.md")).unwrap();
    let undocumented: Vec<_> = CATALOG
        .iter()
        .map(|(key, _)| *key)
        .filter(|key| !readme.contains(&format!("| `{key}` |")))
        .collect();
    assert!(
        undocumented.is_empty(),
        "not in kb/README.md: {undocumented:?}"
    );

    let mut unknown = Vec::new();
    let widget = root.join("widget/src");
    for file in rust_files().into_iter().filter(|f| f.starts_with(&widget)) {
        let text = std::fs::read_to_string(&file).unwrap();
        for call in ["text(\"", "Message::new(\"", "word(\""] {
            for piece in text.split(call).skip(1) {
                let key = piece.split('"').next().unwrap_or("");
                if !CATALOG.iter().any(|(k, _)| *k == key) {
                    unknown.push(format!("{}: {key}", file.display()));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "keys missing from engine/src/strings.rs: {unknown:?}"
    );
}
