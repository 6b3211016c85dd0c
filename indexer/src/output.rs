//! Encoding a bundle and writing its folder without ever leaving a half-written one:
//! content-named files first, then the manifest that names them, in one atomic rename.

use std::path::Path;

use anyhow::{Context, Result};
use fixpath_engine::bundle::{
    content_hash, BundleWriter, ContentChunk, SearchBundle, BUNDLE_FORMAT_VERSION,
};
use fixpath_engine::config::{Manifest, WidgetConfig};
use fixpath_engine::index::{ArticleShard, PostingShard};

/// A bundle ready to write: its manifest and every file it names.
pub struct EncodedBundle {
    pub manifest: Manifest,
    /// (file name, bytes): the index first, then the dictionary shards, the article
    /// shards, the posting shards and the content chunks, each in order.
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
    shards: &[PostingShard],
    chunks: &[ContentChunk],
    config: WidgetConfig,
) -> EncodedBundle {
    let index = BundleWriter::index_bytes(&search.index);
    let index_file = format!("index.{}.bin", content_hash(&index));
    let mut files = vec![(index_file.clone(), index)];
    for (n, shard) in search.dictionary.iter().enumerate() {
        let bytes = BundleWriter::dictionary_bytes(shard);
        files.push((
            format!("dictionary-{n}.{}.bin", content_hash(&bytes)),
            bytes,
        ));
    }
    let article_shards = ArticleShard::split(&search.articles);
    for (n, shard) in article_shards.iter().enumerate() {
        let bytes = BundleWriter::articles_bytes(shard);
        files.push((format!("articles-{n}.{}.bin", content_hash(&bytes)), bytes));
    }
    for (n, shard) in shards.iter().enumerate() {
        let bytes = BundleWriter::postings_bytes(shard);
        files.push((format!("postings-{n}.{}.bin", content_hash(&bytes)), bytes));
    }
    for (n, chunk) in chunks.iter().enumerate() {
        let bytes = BundleWriter::content_bytes(chunk);
        files.push((format!("content-{n}.{}.bin", content_hash(&bytes)), bytes));
    }
    // The names of the next `count` files, in the order they were pushed above.
    let mut listed = 1;
    let mut names = |count: usize| -> Vec<String> {
        let names = files[listed..listed + count]
            .iter()
            .map(|(name, _)| name.clone())
            .collect();
        listed += count;
        names
    };
    let manifest = Manifest {
        format_version: BUNDLE_FORMAT_VERSION,
        engine_version: fixpath_engine::ENGINE_VERSION.to_string(),
        index_file,
        dictionary_files: names(search.dictionary.len()),
        article_files: names(article_shards.len()),
        postings_files: names(shards.len()),
        content_files: names(chunks.len()),
        article_count: search.articles.len(),
        config,
    };
    EncodedBundle { manifest, files }
}

/// Writes the bundle into `out` so that a reader never sees half of it, even if the build
/// is killed: the files are content-named, so new ones land beside the old ones; then
/// `manifest.json`, the only entry point, is replaced in one atomic rename. Files of older
/// generations are removed afterwards; the previous generation's stay, for pages that
/// fetched the old manifest a moment ago.
pub fn write_bundle_dir(out: &Path, bundle: &EncodedBundle) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for (file, bytes) in &bundle.files {
        let path = out.join(file);
        if !path.exists() {
            write_atomically(&path, bytes)
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    let manifest_path = out.join("manifest.json");
    let previous: Option<Manifest> = std::fs::read(&manifest_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let json = serde_json::to_vec_pretty(&bundle.manifest).context("encoding the manifest")?;
    write_atomically(&manifest_path, &json).context("writing the manifest")?;

    let keep: Vec<&str> = [Some(&bundle.manifest), previous.as_ref()]
        .into_iter()
        .flatten()
        .flat_map(|m| {
            std::iter::once(&m.index_file)
                .chain(&m.dictionary_files)
                .chain(&m.article_files)
                .chain(&m.postings_files)
                .chain(&m.content_files)
        })
        .map(String::as_str)
        .collect();
    for entry in std::fs::read_dir(out)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.ends_with(".bin") || name.contains(".tmp-");
        if ours && !keep.contains(&name.as_str()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Writes `bytes` to a temporary sibling, then renames it over `path` (atomic on one
/// file system): `path` holds either the old bytes or all of the new ones.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let mut file = std::fs::File::create(&temporary)?;
    std::io::Write::write_all(&mut file, bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temporary, path)
}
