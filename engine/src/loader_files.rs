//! The contract between `fixpath build` and the loader it writes (`fixpath.js`): one line,
//! `const FILES = {"glue":…,"wasm":…,"css":…,"link":…,"pieces":[…]};`, names the widget's
//! content-hashed files.
//! The indexer writes it into the loader template; whatever reads a published help folder
//! (benchmarks, tests) reads it back here.

use serde::{Deserialize, Serialize};

/// How the line starts, in the template and in every loader written from it.
const FILES_LINE: &str = "const FILES = ";

/// The names of the widget's files, relative to the loader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoaderFiles {
    /// wasm-bindgen's JS glue.
    pub glue: String,
    pub wasm: String,
    pub css: String,
    /// wasm-split's link module, imported by the glue: it fetches the pieces and links
    /// them to the main module. Empty for a widget built in one piece.
    #[serde(default)]
    pub link: String,
    /// The wasm pieces fetched after the first results (guides, form, delivery).
    #[serde(default)]
    pub pieces: Vec<String>,
}

impl LoaderFiles {
    /// The names a loader written by [`LoaderFiles::write_into`] fetches (None for any
    /// other text).
    pub fn from_loader(loader: &str) -> Option<LoaderFiles> {
        let line = loader.lines().find(|l| l.starts_with(FILES_LINE))?;
        let json = line[FILES_LINE.len()..].trim_end().strip_suffix(';')?;
        serde_json::from_str(json).ok()
    }

    /// Every file, pieces included.
    pub fn all(&self) -> Vec<&str> {
        let mut all = self.first_load();
        all.extend(self.pieces.iter().map(String::as_str));
        all
    }

    /// What a page fetches before the widget can search: everything but the pieces.
    pub fn first_load(&self) -> Vec<&str> {
        [&self.glue, &self.wasm, &self.css, &self.link]
            .into_iter()
            .filter(|name| !name.is_empty())
            .map(String::as_str)
            .collect()
    }

    /// `template` with its `FILES` line naming these files; None unless the template has
    /// exactly one such line.
    pub fn write_into(&self, template: &str) -> Option<String> {
        let json = serde_json::to_string(self).ok()?;
        let mut replaced = 0;
        let mut loader = String::with_capacity(template.len() + json.len());
        for line in template.lines() {
            if line.starts_with(FILES_LINE) {
                replaced += 1;
                loader.push_str(&format!("{FILES_LINE}{json};"));
            } else {
                loader.push_str(line);
            }
            loader.push('\n');
        }
        (replaced == 1).then_some(loader)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> LoaderFiles {
        LoaderFiles {
            glue: "fixpath-widget.00000001.js".into(),
            wasm: "fixpath-widget.00000002.wasm".into(),
            css: "fixpath-widget.00000003.css".into(),
            link: "fixpath-widget.00000004.js".into(),
            pieces: vec!["fixpath-widget.00000005.wasm".into()],
        }
    }

    #[test]
    fn the_names_written_into_a_loader_are_read_back() {
        let template = "const base = 1;\nconst FILES = { glue: 'fixpath_widget.js' };\nrest();\n";
        let loader = names().write_into(template).unwrap();
        assert_eq!(LoaderFiles::from_loader(&loader), Some(names()));
        assert!(loader.starts_with("const base = 1;\n") && loader.ends_with("rest();\n"));
        assert_eq!(
            LoaderFiles::from_loader(template),
            None,
            "not JSON: not ours"
        );
    }

    #[test]
    fn a_loader_from_before_the_split_still_names_its_files() {
        let loader = r#"const FILES = {"glue":"a.js","wasm":"a.wasm","css":"a.css"};"#;
        let names = LoaderFiles::from_loader(loader).unwrap();
        assert_eq!(names.all(), ["a.js", "a.wasm", "a.css"]);
    }

    #[test]
    fn a_template_needs_exactly_one_files_line() {
        assert_eq!(names().write_into("const base = 1;\n"), None);
        assert_eq!(
            names().write_into("const FILES = 1;\nconst FILES = 2;\n"),
            None
        );
    }
}
