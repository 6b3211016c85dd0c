//! Encoding a bundle and writing its folder without ever leaving a half-written one: files
//! go to a sibling temporary folder, which then replaces the output folder.

use std::path::Path;

use anyhow::{Context, Result};
use fixpath_engine::bundle::{
    content_hash, BundleWriter, ContentChunk, SearchBundle, BUNDLE_FORMAT_VERSION,
};
use fixpath_engine::config::{KbConfig, Manifest};

/// A bundle ready to write: its manifest and every file it names.
pub struct EncodedBundle {
    pub manifest: Manifest,
    /// (file name, bytes): the index first, then the content chunks in order.
    pub files: Vec<(String, Vec<u8>)>,
}

impl EncodedBundle {
    pub fn index_bytes(&self) -> &[u8] {
        &self.files[0].1
    }

    pub fn total_bytes(&self) -> usize {
        self.files.iter().map(|(_, bytes)| bytes.len()).sum()
    }
}

/// Encodes the files and names each by its content hash.
pub fn encode_bundle(
    search: &SearchBundle,
    chunks: &[ContentChunk],
    config: &KbConfig,
) -> EncodedBundle {
    let index = BundleWriter::index_bytes(search);
    let index_file = format!("index.{}.bin", content_hash(&index));
    let mut files = vec![(index_file.clone(), index)];
    for (n, chunk) in chunks.iter().enumerate() {
        let bytes = BundleWriter::content_bytes(chunk);
        files.push((format!("content-{n}.{}.bin", content_hash(&bytes)), bytes));
    }
    let manifest = Manifest {
        format_version: BUNDLE_FORMAT_VERSION,
        engine_version: fixpath_engine::ENGINE_VERSION.to_string(),
        index_file,
        content_files: files[1..].iter().map(|(name, _)| name.clone()).collect(),
        article_count: search.articles.len(),
        config: config.clone(),
    };
    EncodedBundle { manifest, files }
}

/// Replaces `out` with a folder holding `manifest.json` and every bundle file.
pub fn write_bundle_dir(out: &Path, bundle: &EncodedBundle) -> Result<()> {
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

    for (file, bytes) in &bundle.files {
        std::fs::write(staging.join(file), bytes).with_context(|| format!("writing {file}"))?;
    }
    let json = serde_json::to_vec_pretty(&bundle.manifest).context("encoding the manifest")?;
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
