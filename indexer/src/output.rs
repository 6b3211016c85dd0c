//! Writing a bundle folder without ever leaving a half-written one: files go to a sibling
//! temporary folder, which then replaces the output folder.

use std::path::Path;

use anyhow::{Context, Result};
use fixpath_engine::bundle::{content_hash, BundleContents, BundleWriter, BUNDLE_FORMAT_VERSION};
use fixpath_engine::config::{KbConfig, Manifest};

/// Encodes the bundle and its manifest. Returns (manifest, index file bytes).
pub fn encode_bundle(contents: &BundleContents, config: &KbConfig) -> (Manifest, Vec<u8>) {
    let bytes = BundleWriter::to_bytes(contents);
    let manifest = Manifest {
        format_version: BUNDLE_FORMAT_VERSION,
        engine_version: fixpath_engine::ENGINE_VERSION.to_string(),
        index_file: format!("index.{}.bin", content_hash(&bytes)),
        article_count: contents.articles.len(),
        config: config.clone(),
    };
    (manifest, bytes)
}

/// Replaces `out` with a folder holding `manifest.json` and the index file.
pub fn write_bundle_dir(out: &Path, manifest: &Manifest, index_bytes: &[u8]) -> Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = out
        .file_name()
        .context("output path has no folder name")?
        .to_string_lossy();
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let previous = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).with_context(|| format!("creating {}", staging.display()))?;

    std::fs::write(staging.join(&manifest.index_file), index_bytes).context("writing the index")?;
    let json = serde_json::to_vec_pretty(manifest).context("encoding the manifest")?;
    std::fs::write(staging.join("manifest.json"), json).context("writing the manifest")?;

    if out.exists() {
        std::fs::rename(out, &previous)
            .with_context(|| format!("moving the old {} aside", out.display()))?;
    }
    std::fs::rename(&staging, out)
        .with_context(|| format!("moving the new bundle to {}", out.display()))?;
    let _ = std::fs::remove_dir_all(&previous);
    Ok(())
}
