//! The folder `fixpath build` writes for a site to publish as it is, under any path:
//!
//! ```text
//! DIR/fixpath.js                    the entry a page loads: stable name, revalidate
//! DIR/fixpath-widget.<hash>.js      wasm-bindgen glue   ┐
//! DIR/fixpath-widget.<hash>.wasm    the widget          │
//! DIR/fixpath-widget.<hash>.link.js fetches its pieces  │ content-hashed:
//! DIR/fixpath-widget.<hash>.wasm    pieces, after the   │ cache forever
//!                                   first results       │
//! DIR/fixpath-widget.<hash>.css     its styles          │
//! DIR/kb/<name>.<hash>.bin          the kb bundle       ┘
//! DIR/kb/manifest.json              the bundle's entry: revalidate
//! DIR/kb/fr/…                       the same for each other language of the kb
//! ```
//!
//! Every URL inside is relative to `fixpath.js` (the loader resolves the rest against its
//! own address), so the folder works wherever it is served. A reader never sees a mix of
//! two builds: hashed files land first beside the old ones, then `kb/manifest.json` and
//! `fixpath.js` are each replaced in one rename; the previous build's files stay for pages
//! that loaded it a moment ago, older ones are removed.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};

use crate::output::{write_atomically, write_bundle_dir, EncodedBundle};
use fixpath_engine::loader_files::LoaderFiles;

use crate::widget_assets::{WidgetAssets, LOADER};

/// The kb bundle's folder inside the help folder (the loader's default `kb`).
pub const KB_FOLDER: &str = "kb";

/// Choices for hosts.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublishOptions {
    /// Also write `X.br` and `X.gz` beside each content-hashed file, for servers that send
    /// precompressed files (nginx `gzip_static`, Caddy `precompressed`) but do not compress
    /// wasm themselves.
    pub precompress: bool,
}

/// What was written, for the build summary.
pub struct Written {
    /// The widget's files, when the binary carries a widget.
    pub widget: Option<WrittenWidget>,
}

/// The widget's files as written, each file's bytes.
pub struct WrittenWidget {
    /// What a page fetches before it can search (the loader included).
    pub first: Vec<Vec<u8>>,
    /// The pieces fetched after the first results.
    pub pieces: Vec<Vec<u8>>,
    /// The piece only pages in a language other than English fetch: its stemmer.
    pub languages: Vec<Vec<u8>>,
}

/// Writes the widget (when this binary carries one) and the `bundles` into `out`: (folder
/// below `kb/`, bundle), the default language's first, with folder "" (the others' are
/// `TAG/`).
pub fn write_help_folder(
    out: &Path,
    widget: Option<&WidgetAssets>,
    bundles: &[(String, EncodedBundle)],
    options: PublishOptions,
) -> Result<Written> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let files = widget.map(WidgetAssets::files).transpose()?;
    if let Some(files) = &files {
        for (name, bytes) in &files.hashed {
            write_new(&out.join(name), bytes)?;
        }
    }
    let kb = out.join(KB_FOLDER);
    // The other languages first: the default manifest, which lists them, comes last.
    let mut bundle_dirs = Vec::new();
    for (folder, bundle) in bundles.iter().rev() {
        let dir = kb.join(folder);
        write_bundle_dir(&dir, bundle)?;
        bundle_dirs.push(dir);
    }
    let mut widget = None;
    if let Some(files) = files {
        let loader_path = out.join(LOADER);
        let previous = std::fs::read_to_string(&loader_path)
            .ok()
            .and_then(|text| LoaderFiles::from_loader(&text));
        write_atomically(&loader_path, files.loader.as_bytes())
            .with_context(|| format!("writing {}", loader_path.display()))?;
        let keep: Vec<&str> = files
            .names
            .all()
            .into_iter()
            .chain(previous.iter().flat_map(LoaderFiles::all))
            .collect();
        remove_old_widget_files(out, &keep)?;
        let (pieces, first): (Vec<_>, Vec<_>) = files
            .hashed
            .into_iter()
            .partition(|(name, _)| files.names.pieces.contains(name));
        let (languages, pieces): (Vec<_>, Vec<_>) = pieces
            .into_iter()
            .partition(|(name, _)| files.languages_piece.as_ref() == Some(name));
        let first = std::iter::once(files.loader.into_bytes())
            .chain(first.into_iter().map(|(_, bytes)| bytes))
            .collect();
        let bytes = |files: Vec<(String, Vec<u8>)>| files.into_iter().map(|(_, b)| b).collect();
        widget = Some(WrittenWidget {
            first,
            pieces: bytes(pieces),
            languages: bytes(languages),
        });
    }
    let dirs = || std::iter::once(out).chain(bundle_dirs.iter().map(PathBuf::as_path));
    if options.precompress {
        for dir in dirs() {
            precompress_hashed_files(dir)?;
        }
    }
    for dir in dirs() {
        remove_orphaned_precompressed(dir)?;
    }
    Ok(Written { widget })
}

/// Writes a content-named file unless it is already there (then it holds these bytes).
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if !path.exists() {
        write_atomically(path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// The file `name` is a precompressed copy of (`X` for `X.br` and `X.gz`), if it is one.
fn compressed_original(name: &str) -> Option<&str> {
    name.strip_suffix(".br")
        .or_else(|| name.strip_suffix(".gz"))
}

/// Whether `name` is one of the widget's content-hashed files (or a compressed copy).
fn is_widget_file(name: &str) -> bool {
    compressed_original(name)
        .unwrap_or(name)
        .starts_with("fixpath-widget.")
}

fn remove_old_widget_files(out: &Path, keep: &[&str]) -> Result<()> {
    for entry in std::fs::read_dir(out)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let base = compressed_original(&name).unwrap_or(&name);
        if is_widget_file(&name) && !keep.contains(&base) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Content-hashed files in `dir`: the ones that may be cached forever and are worth
/// compressing ahead of time.
fn hashed_files(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let hashed = name.ends_with(".bin")
            || (is_widget_file(&name) && compressed_original(&name).is_none());
        if hashed && !name.starts_with('.') {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Writes `X.br` (brotli 11) and `X.gz` (gzip 9) beside each content-hashed file that has
/// none yet: a hashed file never changes, so neither do its compressed copies.
fn precompress_hashed_files(dir: &Path) -> Result<()> {
    for name in hashed_files(dir)? {
        let path = dir.join(&name);
        let br = dir.join(format!("{name}.br"));
        let gz = dir.join(format!("{name}.gz"));
        if br.exists() && gz.exists() {
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let mut brotli = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &bytes[..], &mut brotli, &params)?;
        write_atomically(&br, &brotli)?;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&bytes)?;
        write_atomically(&gz, &gzip.finish()?)?;
    }
    Ok(())
}

/// Removes `X.br` and `X.gz` whose `X` is gone (a bundle file of an older build).
fn remove_orphaned_precompressed(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(original) = compressed_original(&name) {
            if !dir.join(original).exists() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

/// Folder names that are a site's web root in common generators and hosts: what lies
/// below one is served from `/` (`public/help` → `/help/`, Hugo's `static/docs/help` →
/// `/docs/help/`).
const WEB_ROOTS: &[&str] = &[
    "public", "static", "dist", "build", "out", "_site", "www", "html",
];

/// Web roots of some generators (MkDocs' `docs/`, its output `site/`) that are also common
/// folder names elsewhere: a root only when no folder of [`WEB_ROOTS`] is in the path.
const WEAK_WEB_ROOTS: &[&str] = &["docs", "site"];

/// The URL path `out` is most likely served at: below the last folder named like a web
/// root, else `/NAME/` for its own name. The caller says it is a guess.
pub fn guess_base_url(out: &Path) -> String {
    let names: Vec<String> = out
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let root = names
        .iter()
        .rposition(|n| WEB_ROOTS.contains(&n.as_str()))
        .or_else(|| {
            names
                .iter()
                .rposition(|n| WEAK_WEB_ROOTS.contains(&n.as_str()))
        });
    let below_root = match root {
        Some(root) => &names[root + 1..],
        None => &names[names.len().saturating_sub(1)..],
    };
    let mut url = String::from("/");
    for name in below_root {
        url.push_str(name);
        url.push('/');
    }
    url
}

/// The two lines a page needs, for the folder served at `base_url`.
pub fn embed_snippet(base_url: &str) -> [String; 2] {
    let base = if base_url.ends_with('/') {
        base_url.to_string()
    } else {
        format!("{base_url}/")
    };
    [
        format!(r#"<script type="module" src="{base}{LOADER}"></script>"#),
        "<fixpath-widget></fixpath-widget>".to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_url_is_guessed_below_the_web_root() {
        let cases = [
            ("public/help", "/help/"),
            ("site/static/docs/help", "/docs/help/"),
            ("static/docs/help", "/docs/help/"),
            ("docs/public/help", "/help/"),
            ("docs/help", "/help/"),
            ("/srv/www/example/public/support/help", "/support/help/"),
            ("help", "/help/"),
            ("out", "/"),
            ("./build/", "/"),
            ("/tmp/x/helpdesk", "/helpdesk/"),
        ];
        for (out, url) in cases {
            assert_eq!(guess_base_url(Path::new(out)), url, "{out}");
        }
    }

    #[test]
    fn the_snippet_loads_the_loader_below_the_base_url() {
        assert_eq!(
            embed_snippet("/docs/help")[0],
            r#"<script type="module" src="/docs/help/fixpath.js"></script>"#
        );
        assert_eq!(
            embed_snippet("https://cdn.example/h/")[0],
            r#"<script type="module" src="https://cdn.example/h/fixpath.js"></script>"#
        );
    }

    #[test]
    fn widget_files_are_told_apart_from_the_sites_own() {
        for ours in [
            "fixpath-widget.0a1b2c3d.wasm",
            "fixpath-widget.0a1b2c3d.css",
            "fixpath-widget.0a1b2c3d.js.br",
        ] {
            assert!(is_widget_file(ours), "{ours}");
        }
        for theirs in ["fixpath.js", "index.html", "fixpath.css", "manifest.json"] {
            assert!(!is_widget_file(theirs), "{theirs}");
        }
    }
}
