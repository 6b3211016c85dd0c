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
    /// wasm-bindgen's JS glue; it imports [`WidgetAssets::link`].
    pub glue: &'static str,
    /// The main module: everything search needs.
    pub wasm: &'static [u8],
    pub css: &'static [u8],
    /// wasm-split's link module: fetches the pieces and links them to the main module; it
    /// imports the glue.
    pub link: &'static str,
    /// The pieces, by the names the link module uses: fetched after the first results, and
    /// (`split_languages.wasm`) by pages in a language other than English.
    pub pieces: &'static [(&'static str, &'static [u8])],
    /// Fingerprint of the engine and widget sources the files were built from.
    pub sources: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/widget.rs"));

/// The loader's entry name: the one URL a page references, so it never changes.
pub const LOADER: &str = "fixpath.js";

/// The names the glue and the link module call each other by, as `cargo xtask dist`
/// builds them.
const GLUE_NAME: &str = "fixpath_widget.js";
const LINK_NAME: &str = "fixpath_widget_split.js";

/// The piece holding the stemmers of languages other than English (see the widget's
/// `deferred::analyzer`): fetched only by pages in those languages.
const LANGUAGES_PIECE: &str = "split_languages.wasm";

/// The widget's files under their published names.
pub struct WidgetFiles {
    pub names: LoaderFiles,
    /// The published name of [`LANGUAGES_PIECE`], if the widget has it.
    pub languages_piece: Option<String>,
    /// (name, bytes) of the content-hashed files.
    pub hashed: Vec<(String, Vec<u8>)>,
    /// The loader, naming them.
    pub loader: String,
}

impl WidgetAssets {
    /// The files to publish: each named by its content, and the loader rewritten to fetch
    /// exactly those. Every hashed name starts `fixpath-widget.`, so one header rule of a
    /// host (a `_headers` line, an nginx location) covers them and nothing else.
    ///
    /// The glue and the link module import each other, so neither can be named by its own
    /// bytes once it names the other: both are named by one hash of the pair (with the
    /// pieces' names already in), which changes when either does.
    pub fn files(&self) -> Result<WidgetFiles> {
        let named =
            |ext: &str, bytes: &[u8]| format!("fixpath-widget.{}.{ext}", content_hash(bytes));
        let pieces: Vec<(String, &[u8])> = self
            .pieces
            .iter()
            .map(|(_, bytes)| (named("wasm", bytes), *bytes))
            .collect();
        let mut link = self.link.to_string();
        for ((old, _), (new, _)) in self.pieces.iter().zip(&pieces) {
            link = renamed(&link, old, new)?;
        }
        let pair = content_hash(format!("{}{link}", self.glue).as_bytes());
        let glue_name = format!("fixpath-widget.{pair}.js");
        let link_name = format!("fixpath-widget.{pair}.link.js");
        let glue = renamed(self.glue, LINK_NAME, &link_name)?;
        let link = renamed(&link, GLUE_NAME, &glue_name)?;
        let names = LoaderFiles {
            glue: glue_name,
            wasm: named("wasm", self.wasm),
            css: named("css", self.css),
            link: link_name,
            pieces: pieces.iter().map(|(name, _)| name.clone()).collect(),
        };
        let languages_piece = self
            .pieces
            .iter()
            .zip(&pieces)
            .find(|((old, _), _)| *old == LANGUAGES_PIECE)
            .map(|(_, (new, _))| new.clone());
        let loader = names.write_into(self.loader).with_context(|| {
            "the embedded loader has no single `const FILES = ` line; rebuild the widget with `cargo xtask dist`"
        })?;
        let mut hashed = vec![
            (names.glue.clone(), glue.into_bytes()),
            (names.wasm.clone(), self.wasm.to_vec()),
            (names.css.clone(), self.css.to_vec()),
            (names.link.clone(), link.into_bytes()),
        ];
        hashed.extend(
            pieces
                .into_iter()
                .map(|(name, bytes)| (name, bytes.to_vec())),
        );
        Ok(WidgetFiles {
            names,
            languages_piece,
            hashed,
            loader,
        })
    }
}

/// `js` with its references to the file `./{old}` — an `import … from` or a `new URL`
/// — pointing at `new` instead; an error if it has none (the build's names and these
/// disagree). Other mentions stay: the glue also keys the wasm's imports by the link
/// module's build name, which the wasm itself uses.
fn renamed(js: &str, old: &str, new: &str) -> Result<String> {
    let mut out = js.to_string();
    for form in ["from \"./{}\"", "new URL(\"./{}\""] {
        out = out.replace(&form.replace("{}", old), &form.replace("{}", new));
    }
    anyhow::ensure!(
        out != js,
        "the embedded widget never refers to {old}; rebuild it with `cargo xtask dist`"
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str =
        "const base = 1;\nconst FILES = { glue: 'fixpath_widget.js' };\nrest();\n";

    fn assets(loader: &'static str) -> WidgetAssets {
        WidgetAssets {
            loader,
            glue: r#"import * as link from "./fixpath_widget_split.js"; const imports = { "./fixpath_widget_split.js": link };"#,
            wasm: b"\0asm",
            css: b".a{}",
            link: r#"import { initSync } from "./fixpath_widget.js"; fetch(new URL("./split_a.wasm", import.meta.url));"#,
            pieces: &[("split_a.wasm", b"\0asm piece")],
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
    fn the_glue_the_link_module_and_the_pieces_name_each_other_by_their_published_names() {
        let files = assets(TEMPLATE).files().unwrap();
        let text = |name: &str| {
            let (_, bytes) = files.hashed.iter().find(|(n, _)| n == name).unwrap();
            String::from_utf8(bytes.clone()).unwrap()
        };
        let (glue, link) = (text(&files.names.glue), text(&files.names.link));
        assert!(
            glue.contains(&format!("from \"./{}\"", files.names.link)),
            "{glue}"
        );
        assert!(
            link.contains(&format!("from \"./{}\"", files.names.glue)),
            "{link}"
        );
        assert_eq!(files.names.pieces.len(), 1);
        assert!(
            link.contains(&format!("URL(\"./{}\"", files.names.pieces[0])),
            "{link}"
        );
        assert!(!link.contains("split_a"), "{link}");
        // The wasm imports the link module by its build name: that key stays.
        assert!(
            glue.contains(r#"{ "./fixpath_widget_split.js": link }"#),
            "{glue}"
        );
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
