//! A kb in several languages: the default language's articles at the kb root, each other
//! language's in a folder named by its tag (`kb/fr/`, declared as `[languages.fr]`), an
//! article and its translation sharing an id (the same path below the language folder, or
//! the same front-matter `id`). One bundle per language ([`Edition`]); an article not yet
//! translated is published in the default language, and listed as such.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use fixpath_engine::language::Language;

use crate::diagnostic::Diagnostic;
use crate::kb::{Kb, CONFIG_FILE};
use crate::kb_config::KbConfig;
use crate::markdown::ParsedArticle;

/// One language's translated articles (only those translated), sorted by id.
pub struct Translation {
    pub language: Language,
    pub articles: Vec<(String, ParsedArticle)>,
}

/// The kb's language folders: those `[languages]` declares, and folders named like a
/// language that it does not.
pub struct LanguageFolders {
    /// (language, folder), in `[languages]` order.
    pub declared: Vec<(Language, PathBuf)>,
    /// Folders named like a language with no `[languages]` entry, in a kb that has some
    /// (reported and left out).
    undeclared: Vec<PathBuf>,
}

impl LanguageFolders {
    /// Finds the folders, reporting a declared language without one (a warning: all its
    /// articles fall back) and, in a kb with `[languages]`, a folder named like a language
    /// that the config does not declare (an error). A kb in one language has no language
    /// folders: every folder holds its articles, as it always did.
    pub fn new(
        root: &Path,
        config: &KbConfig,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> std::io::Result<LanguageFolders> {
        let config_path = root.join(CONFIG_FILE);
        let mut declared = Vec::new();
        // Tags that do not parse are left out (config_check reports them).
        for (tag, language, _) in config.other_languages() {
            let folder = root.join(tag);
            if !folder.is_dir() {
                diagnostics.push(Diagnostic::warning(
                    &config_path,
                    1,
                    format!(
                        "[languages.{tag}]: there is no folder {}; every article is shown in the default language ({})",
                        folder.display(),
                        config.default_language()
                    ),
                ));
            }
            declared.push((language, folder));
        }
        let mut undeclared = Vec::new();
        // A kb in one language may well have a topic folder called `it` or `no`: only a
        // kb with `[languages]` has language folders to look for.
        if config.languages.is_empty() {
            return Ok(LanguageFolders {
                declared,
                undeclared,
            });
        }
        for entry in std::fs::read_dir(root)?.flatten() {
            let folder = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(language) = Language::parse(&name).filter(|l| l.endonym().is_some()) else {
                continue;
            };
            let is_declared = declared.iter().any(|(_, f)| *f == folder);
            if !folder.is_dir() || is_declared || language == config.default_language() {
                continue;
            }
            let name_of = language.endonym().unwrap_or_default();
            diagnostics.push(Diagnostic::error(
                &folder,
                1,
                format!(
                    "language folder `{name}` ({name_of}) has no [languages.{name}] in fixpath.toml: add it to publish these translations, or rename the folder"
                ),
            ));
            undeclared.push(folder);
        }
        undeclared.sort();
        Ok(LanguageFolders {
            declared,
            undeclared,
        })
    }

    /// Folders the default language's walk leaves out.
    pub fn skipped(&self) -> Vec<PathBuf> {
        self.declared
            .iter()
            .map(|(_, f)| f.clone())
            .chain(self.undeclared.iter().cloned())
            .collect()
    }
}

impl Translation {
    /// `articles` read from `folder`, keeping those whose id the default language has
    /// and reporting the rest.
    pub fn new(
        language: Language,
        folder: &Path,
        articles: Vec<(String, ParsedArticle)>,
        originals: &[(String, ParsedArticle)],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Translation {
        let has_original = |id: &str| {
            originals
                .binary_search_by(|(o, _)| o.as_str().cmp(id))
                .is_ok()
        };
        let (articles, orphans): (Vec<_>, Vec<_>) =
            articles.into_iter().partition(|(id, _)| has_original(id));
        for (id, article) in orphans {
            let line = article.id.as_ref().map_or(1, |(_, line)| *line);
            diagnostics.push(Diagnostic::error(
                &article.path,
                line,
                format!(
                    "translation `{id}` has no original: the default language has no article with this id; put it at the original's path below {}, or give it the original's `id`",
                    folder.display()
                ),
            ));
        }
        Translation { language, articles }
    }
}

/// The articles of one language's bundle.
pub struct Edition<'a> {
    pub language: Language,
    /// Every article of the kb, sorted by id (document numbers agree across languages):
    /// the translation where there is one, else the default language's.
    pub articles: Cow<'a, [(String, ParsedArticle)]>,
    /// Ids of the articles shown in the default language.
    pub untranslated: Vec<String>,
}

impl Kb {
    /// One edition per language, the default first.
    pub fn editions(&self) -> Vec<Edition<'_>> {
        let default = Edition {
            language: self.config.default_language(),
            articles: Cow::Borrowed(&self.articles),
            untranslated: Vec::new(),
        };
        let others = self.translations.iter().map(|translation| {
            let mut untranslated = Vec::new();
            let articles = self
                .articles
                .iter()
                .map(|(id, original)| {
                    let found = translation
                        .articles
                        .binary_search_by(|(t, _)| t.as_str().cmp(id))
                        .ok();
                    match found {
                        Some(i) => translation.articles[i].clone(),
                        None => {
                            untranslated.push(id.clone());
                            (id.clone(), original.clone())
                        }
                    }
                })
                .collect();
            Edition {
                language: translation.language.clone(),
                articles: Cow::Owned(articles),
                untranslated,
            }
        });
        std::iter::once(default).chain(others).collect()
    }
}
