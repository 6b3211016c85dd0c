//! Killing `fixpath build` at any moment leaves a bundle that reads completely: the
//! previous one or the new one, never a manifest naming a file that is missing or torn.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use fixpath_engine::bundle::BundleReader;
use fixpath_engine::config::Manifest;
use fixpath_engine::loader_files::LoaderFiles;

use super::TempKb;

/// Articles enough that a build takes long enough to be interrupted half-way.
fn write_articles(kb: &TempKb, generation: usize) {
    for i in 0..400 {
        let text = format!(
            "# Article {i}\n\nGeneration {generation}.\n\n## Check the upload\n\nUpload {i} fails with E-UP-{i}.\n\n## Sign in again\n\nSign-in {i}.\n"
        );
        std::fs::write(kb.path(&format!("kb/a{i:03}.md")), text).unwrap();
    }
}

fn build(kb: &TempKb) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_fixpath"))
        .args(["build", "kb", "--out", "out"])
        .current_dir(kb.path(""))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// The loader names widget files that are all there, and the kb bundle's manifest parses
/// and every file it names is there and passes the reader's checks.
fn assert_readable(help: &Path, when: &str) {
    if let Ok(loader) = std::fs::read_to_string(help.join("fixpath.js")) {
        let names = LoaderFiles::from_loader(&loader)
            .unwrap_or_else(|| panic!("{when}: the loader names no files"));
        for name in names.all() {
            assert!(help.join(name).exists(), "{when}: {name} is missing");
        }
    }
    let out = help.join("kb");
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap())
            .unwrap_or_else(|e| panic!("{when}: manifest unreadable: {e}"));
    let index = std::fs::read(out.join(&manifest.index_file))
        .unwrap_or_else(|e| panic!("{when}: {}: {e}", manifest.index_file));
    let index = BundleReader::index(&index).unwrap_or_else(|e| panic!("{when}: index: {e}"));
    assert_eq!(index.doc_count(), manifest.article_count, "{when}");
    for (n, name) in manifest.article_files.iter().enumerate() {
        let bytes = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{when}: {name}: {e}"));
        BundleReader::articles(&bytes, &index, n).unwrap_or_else(|e| panic!("{when}: {name}: {e}"));
    }
    for name in &manifest.content_files {
        let bytes = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{when}: {name}: {e}"));
        BundleReader::content(&bytes).unwrap_or_else(|e| panic!("{when}: {name}: {e}"));
    }
    for (n, name) in manifest.postings_files.iter().enumerate() {
        let bytes = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{when}: {name}: {e}"));
        BundleReader::postings(&bytes, &index, n).unwrap_or_else(|e| panic!("{when}: {name}: {e}"));
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_readable_bundle() {
    let kb = TempKb::new(&[]);
    std::fs::create_dir_all(kb.path("kb")).unwrap();
    write_articles(&kb, 0);
    let started = Instant::now();
    assert!(build(&kb).wait().unwrap().success());
    let full = started.elapsed();
    assert_readable(&kb.path("out"), "after a full build");

    // Kill builds of new content at moments spread over a whole build.
    const KILLS: u32 = 16;
    for k in 0..KILLS {
        write_articles(&kb, k as usize + 1);
        let mut child = build(&kb);
        std::thread::sleep(full * k / KILLS);
        let _ = child.kill();
        child.wait().unwrap();
        assert_readable(
            &kb.path("out"),
            &format!("killed after {k}/{KILLS} of a build"),
        );
    }
    // And a build that completes after all that leaves only two generations of files.
    assert!(build(&kb).wait().unwrap().success());
    assert_readable(&kb.path("out"), "after the last build");
    let files = std::fs::read_dir(kb.path("out/kb")).unwrap().count();
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(kb.path("out/kb/manifest.json")).unwrap()).unwrap();
    let generation = 1 + manifest.postings_files.len() + manifest.content_files.len();
    assert!(files <= 2 * generation + 1, "{files} files left");
}
