//! The widget this binary carries (embedded by `build.rs` from `vendor/widget/`), and its
//! files as a site publishes them: content-hashed names that can be cached forever, and the
//! loader `fixpath.js`, whose name never changes, rewritten to name them
//! ([`LoaderFiles`]).

use anyhow::{Context, Result};
use fixpath_engine::bundle::content_hash;
use fixpath_engine::loader_files::LoaderFiles;

/// A built widget, as `cargo xtask dist` leaves it in `vendor/widget/`.
pub struct WidgetAssets {
    /// `fixpath.js`, the loader template (see [`LoaderFiles::write_into`]).
    pub loader: &'static str,
    /// wasm-bindgen's JS glue.
    pub glue: &'static [u8],
    pub wasm: &'static [u8],
    pub css: &'static [u8],
    /// Fingerprint of the engine and widget sources the files were built from.
    pub sources: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/widget.rs"));

/// The loader's entry name: the one URL a page references, so it never changes.
pub const LOADER: &str = "fixpath.js";

/// The widget's files under their published names.
pub struct WidgetFiles {
    pub names: LoaderFiles,
    /// (name, bytes) of the content-hashed files.
    pub hashed: Vec<(String, &'static [u8])>,
    /// The loader, naming them.
    pub loader: String,
}

impl WidgetAssets {
    /// The files to publish: each named by its content, and the loader rewritten to fetch
    /// exactly those. Every hashed name starts `fixpath-widget.`, so one header rule of a
    /// host (a `_headers` line, an nginx location) covers them and nothing else.
    pub fn files(&self) -> Result<WidgetFiles> {
        let named =
            |ext: &str, bytes: &[u8]| format!("fixpath-widget.{}.{ext}", content_hash(bytes));
        let names = LoaderFiles {
            glue: named("js", self.glue),
            wasm: named("wasm", self.wasm),
            css: named("css", self.css),
        };
        let loader = names.write_into(self.loader).with_context(|| {
            "the embedded loader has no single `const FILES = ` line; rebuild the widget with `cargo xtask dist`"
        })?;
        let hashed = vec![
            (names.glue.clone(), self.glue),
            (names.wasm.clone(), self.wasm),
            (names.css.clone(), self.css),
        ];
        Ok(WidgetFiles {
            names,
            hashed,
            loader,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str =
        "const base = 1;\nconst FILES = { glue: 'fixpath_widget.js' };\nrest();\n";

    fn assets(loader: &'static str) -> WidgetAssets {
        WidgetAssets {
            loader,
            glue: b"glue",
            wasm: b"\0asm",
            css: b".a{}",
            sources: "abc",
        }
    }

    #[test]
    fn the_loader_names_the_hashed_files() {
        let files = assets(TEMPLATE).files().unwrap();
        assert!(
            files.names.wasm.starts_with("fixpath-widget.") && files.names.wasm.ends_with(".wasm")
        );
        assert_eq!(
            LoaderFiles::from_loader(&files.loader),
            Some(files.names.clone())
        );
        let names: Vec<&str> = files.hashed.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, files.names.all());
    }

    #[test]
    fn a_template_without_its_files_line_is_refused() {
        assert!(assets("const base = 1;\n").files().is_err());
    }

    #[test]
    fn the_embedded_loader_has_its_files_line() {
        // Only a binary built after `cargo xtask dist` carries a widget; `cargo xtask test`
        // always builds one, and says so.
        match &EMBEDDED {
            Some(widget) => drop(widget.files().unwrap()),
            None if std::env::var_os("FIXPATH_REQUIRE_WIDGET").is_some() => {
                panic!("FIXPATH_REQUIRE_WIDGET is set but this build embeds no widget")
            }
            None => {
                eprintln!("skipped: this build embeds no widget (`cargo xtask dist` builds it)")
            }
        }
    }
}
