//! The bundle format is a published contract, guarded by the bundles checked in under
//! `test_data/bundles/v<N>/`, one per format version, all written by `fixpath build` from
//! `test_data/bundles/kb` (`cargo xtask bundle-fixture`):
//!
//! - every bundle of a readable version still opens and answers queries as it did;
//! - bundles of older versions are refused as such, never misread;
//! - the current version has one, and it round-trips byte for byte through the reader and
//!   the writer: a change to the layout (a field added, an encoding changed) or to the
//!   analyzer without a version bump fails here.

use std::path::{Path, PathBuf};

use fixpath_engine::analyzer::Analyzer;
use fixpath_engine::bundle::{
    BundleError, BundleReader, BundleWriter, SearchBundle, BUNDLE_FORMAT_VERSION,
    BUNDLE_OLDEST_READABLE,
};
use fixpath_engine::config::{Manifest, ManifestVersion};
use fixpath_engine::index::{LoadedDictionary, LoadedPostings};
use fixpath_engine::rank;

const BUMP: &str = "the bundle format changed: bump BUNDLE_FORMAT_VERSION (engine/src/bundle.rs) and run `cargo xtask bundle-fixture`";

fn bundles() -> Vec<(u32, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/bundles");
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.ok()?.path();
            let version = path
                .file_name()?
                .to_str()?
                .strip_prefix('v')?
                .parse()
                .ok()?;
            Some((version, path))
        })
        .collect();
    found.sort();
    found
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}/{file}: {e}", dir.display()))
}

/// The manifest, index with its article list and dictionary, and posting shards of a
/// readable bundle.
fn open(dir: &Path) -> (Manifest, SearchBundle, LoadedPostings) {
    let manifest: Manifest = serde_json::from_slice(&read(dir, "manifest.json"))
        .unwrap_or_else(|e| panic!("{}: manifest: {e}\n{BUMP}", dir.display()));
    let index = BundleReader::index(&read(dir, &manifest.index_file))
        .unwrap_or_else(|e| panic!("{}: index: {e}\n{BUMP}", dir.display()));
    let mut articles = Vec::new();
    for (n, file) in manifest.article_files.iter().enumerate() {
        let shard = BundleReader::articles(&read(dir, file), &index, n)
            .unwrap_or_else(|e| panic!("{}: {file}: {e}\n{BUMP}", dir.display()));
        articles.extend(shard.articles);
    }
    let mut dictionary = Vec::new();
    for (n, file) in manifest.dictionary_files.iter().enumerate() {
        let shard = BundleReader::dictionary(&read(dir, file), &index, n)
            .unwrap_or_else(|e| panic!("{}: {file}: {e}\n{BUMP}", dir.display()));
        dictionary.push(shard);
    }
    let bundle = SearchBundle {
        articles,
        index,
        dictionary,
    };
    let mut postings = LoadedPostings::default();
    for (n, file) in manifest.postings_files.iter().enumerate() {
        let shard = BundleReader::postings(&read(dir, file), &bundle.index, n)
            .unwrap_or_else(|e| panic!("{}: {file}: {e}\n{BUMP}", dir.display()));
        postings.insert(&bundle.index, n, &shard);
    }
    for file in &manifest.content_files {
        BundleReader::content(&read(dir, file))
            .unwrap_or_else(|e| panic!("{}: {file}: {e}\n{BUMP}", dir.display()));
    }
    (manifest, bundle, postings)
}

#[test]
fn the_current_format_has_a_checked_in_bundle() {
    assert!(
        bundles().iter().any(|(v, _)| *v == BUNDLE_FORMAT_VERSION),
        "no bundle of format {BUNDLE_FORMAT_VERSION} in test_data/bundles: run `cargo xtask bundle-fixture` and check it in"
    );
}

#[test]
fn every_readable_bundle_still_opens_and_answers_as_it_did() {
    let analyzer = Analyzer::default();
    for (version, dir) in bundles() {
        let header: ManifestVersion = serde_json::from_slice(&read(&dir, "manifest.json")).unwrap();
        assert_eq!(header.format_version, version, "{}", dir.display());
        if !header.is_readable() {
            continue;
        }
        let (manifest, bundle, postings) = open(&dir);
        let dictionary = LoadedDictionary::all(&bundle.index, &bundle.dictionary);
        assert_eq!(bundle.articles.len(), manifest.article_count);
        assert_eq!(manifest.config.title, "Format fixture");
        // Queries of every kind the fixture kb covers, and the article each must find.
        for (query, expected) in [
            ("E-UP-413", "upload-too-large.md"),
            ("payload too large", "upload-too-large.md"),
            ("upload stops at 100%", "upload-too-large.md"),
            ("locked out", "sign-in/password-reset.md"),
            ("forgotten passwords", "sign-in/password-reset.md"),
            ("pages load slowly", "slow-pages.md"),
            ("cache", "slow-pages.md"),
        ] {
            let hits = rank::search(&bundle.index, &dictionary, &postings, &analyzer, query, 3);
            let top = hits
                .first()
                .map(|h| bundle.articles[h.doc as usize].id.as_str());
            assert_eq!(top, Some(expected), "v{version}: {query:?}\n{BUMP}");
        }
    }
}

#[test]
fn bundles_of_older_formats_are_refused_as_such() {
    for (version, dir) in bundles() {
        if version >= BUNDLE_OLDEST_READABLE {
            continue;
        }
        let manifest: serde_json::Value =
            serde_json::from_slice(&read(&dir, "manifest.json")).unwrap();
        let index = manifest["index_file"].as_str().unwrap();
        assert_eq!(
            BundleReader::index(&read(&dir, index)),
            Err(BundleError::VersionMismatch {
                found: version,
                oldest: BUNDLE_OLDEST_READABLE,
                newest: BUNDLE_FORMAT_VERSION
            })
        );
    }
}

#[test]
fn the_current_format_round_trips_byte_for_byte() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("test_data/bundles/v{BUNDLE_FORMAT_VERSION}"));
    if !dir.exists() {
        return; // the_current_format_has_a_checked_in_bundle says what to do
    }
    let (manifest, bundle, _) = open(&dir);
    let json = String::from_utf8(read(&dir, "manifest.json")).unwrap();
    assert_eq!(
        serde_json::to_string_pretty(&manifest).unwrap(),
        json,
        "manifest.json\n{BUMP}"
    );
    assert_eq!(
        BundleWriter::index_bytes(&bundle.index),
        read(&dir, &manifest.index_file),
        "{}\n{BUMP}",
        manifest.index_file
    );
    for (shard, file) in bundle.dictionary.iter().zip(&manifest.dictionary_files) {
        assert_eq!(
            BundleWriter::dictionary_bytes(shard),
            read(&dir, file),
            "{file}\n{BUMP}"
        );
    }
    for (n, file) in manifest.article_files.iter().enumerate() {
        let shard = BundleReader::articles(&read(&dir, file), &bundle.index, n).unwrap();
        assert_eq!(
            BundleWriter::articles_bytes(&shard),
            read(&dir, file),
            "{file}\n{BUMP}"
        );
    }
    for (n, file) in manifest.postings_files.iter().enumerate() {
        let shard = BundleReader::postings(&read(&dir, file), &bundle.index, n).unwrap();
        assert_eq!(
            BundleWriter::postings_bytes(&shard),
            read(&dir, file),
            "{file}\n{BUMP}"
        );
    }
    for file in &manifest.content_files {
        let chunk = BundleReader::content(&read(&dir, file)).unwrap();
        assert_eq!(
            BundleWriter::content_bytes(&chunk),
            read(&dir, file),
            "{file}\n{BUMP}"
        );
    }
}
