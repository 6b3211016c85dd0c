//! House rules, checked as ordinary tests: every Rust file opens with a `//!` doc, no file
//! grows past 600 lines, no test hides behind `should_panic` or `ignore`, `engine` stays
//! free of I/O and browser/server crates, and its modules import each other in no circle.

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

/// `engine`'s modules, by path (`index::typo`), with the modules each imports (`crate::…`
/// and `super::…` paths outside tests and comments, resolved to the longest module they
/// name). A folder's `mod.rs` re-exporting its own parts is its facade, not an import.
fn engine_imports() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let src = project_root().join("engine/src");
    let module_of = |file: &Path| -> String {
        let relative = file.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
            parts.pop();
        }
        parts.join("::")
    };
    let files: Vec<PathBuf> = rust_files()
        .into_iter()
        .filter(|f| f.starts_with(&src))
        .collect();
    let modules: std::collections::BTreeSet<String> = files.iter().map(|f| module_of(f)).collect();
    let mut imports = std::collections::BTreeMap::new();
    for file in &files {
        let module = module_of(file);
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
        let mut used = std::collections::BTreeSet::new();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (prefix, base) in [("crate::", String::new()), ("super::", parent.to_string())] {
                for (at, _) in line.match_indices(prefix) {
                    let path: String = line[at + prefix.len()..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                        .collect();
                    let mut name = base.clone();
                    let mut target = None;
                    for part in path.split("::").filter(|p| !p.is_empty()) {
                        name = if name.is_empty() {
                            part.to_string()
                        } else {
                            format!("{name}::{part}")
                        };
                        if modules.contains(&name) {
                            target = Some(name.clone());
                        }
                    }
                    let is_own_part = target.as_deref().is_some_and(|t| {
                        !module.is_empty() && t.starts_with(&format!("{module}::"))
                    });
                    if let Some(target) = target.filter(|t| *t != module && !is_own_part) {
                        used.insert(target);
                    }
                }
            }
        }
        imports.insert(module, used);
    }
    imports
}

#[test]
fn engine_modules_import_each_other_in_no_circle() {
    let imports = engine_imports();
    // Depth-first search for a path that comes back to where it started.
    fn visit(
        module: &str,
        imports: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|m| m == module) {
            let mut circle = path[at..].to_vec();
            circle.push(module.to_string());
            return Some(circle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_string());
        for next in imports.get(module).into_iter().flatten() {
            if let Some(circle) = visit(next, imports, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(module.to_string());
        None
    }
    let mut done = std::collections::BTreeSet::new();
    for module in imports.keys() {
        if let Some(circle) = visit(module, &imports, &mut Vec::new(), &mut done) {
            panic!(
                "engine modules import each other in a circle: {}",
                circle.join(" → ")
            );
        }
    }
    assert!(
        imports
            .get("index::typo")
            .is_some_and(|i| i.contains("index::model")),
        "the scan sees imports: {imports:?}"
    );
}
