//! Reading a kb folder: its config and every article in it, with every problem collected
//! (one broken article never hides the others).

use std::path::{Path, PathBuf};

use crate::kb_config::KbConfig;
use globset::{Glob, GlobSet, GlobSetBuilder};
use indicatif::ProgressBar;
use walkdir::WalkDir;

use crate::config_check::config_problems;
use crate::diagnostic::{line_column, Diagnostic, Severity};
use crate::markdown::{parse_article, ParsedArticle};
use crate::step_headings::StepHeadings;
use crate::translations::{LanguageFolders, Translation};

/// The kb config file, at the kb root.
pub const CONFIG_FILE: &str = "fixpath.toml";

/// A loaded kb: articles in path order (their document numbers), config, and problems.
pub struct Kb {
    pub config: KbConfig,
    /// (article id, article) in the default language, sorted by id.
    pub articles: Vec<(String, ParsedArticle)>,
    /// The other languages' articles, in `[languages]` order.
    pub translations: Vec<Translation>,
    pub diagnostics: Vec<Diagnostic>,
    /// Articles marked `draft: true`: checked, left out of the bundle.
    pub drafts: usize,
}

impl Kb {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Loads `root` (counting files on `progress`), skipping files matched by `exclude` globs (from the command line) and by
/// the config's `exclude`. Only reading the folder can fail; bad content becomes diagnostics.
pub fn load_kb(root: &Path, exclude: &[String], progress: &ProgressBar) -> anyhow::Result<Kb> {
    if !root.is_dir() {
        anyhow::bail!("{} is not a folder", root.display());
    }
    let mut diagnostics = Vec::new();
    let config = load_config(&root.join(CONFIG_FILE), &mut diagnostics)?;
    let excluded = exclusion_set(exclude.iter().chain(&config.exclude))?;
    let step_headings =
        StepHeadings::new(&config.guides.step_headings).unwrap_or_else(|(pattern, reason)| {
            diagnostics.push(Diagnostic::error(
                root.join(CONFIG_FILE),
                1,
                format!("[guides]: step heading pattern {pattern:?} is invalid: {reason}"),
            ));
            StepHeadings::default()
        });
    let folders = LanguageFolders::new(root, &config, &mut diagnostics)?;
    let mut drafts = 0;
    let mut read = |folder: &Path, skip: &[PathBuf], diagnostics: &mut Vec<Diagnostic>| {
        let articles = read_articles(
            folder,
            skip,
            &excluded,
            &step_headings,
            progress,
            diagnostics,
        )?;
        let articles = assign_ids(folder, articles, diagnostics);
        let before = articles.len();
        let articles: Vec<_> = articles.into_iter().filter(|(_, a)| !a.draft).collect();
        drafts += before - articles.len();
        anyhow::Ok(articles)
    };
    let articles = read(root, &folders.skipped(), &mut diagnostics)?;
    let mut translations = Vec::new();
    for (language, folder) in folders.declared {
        // A language declared before its folder exists (reported): everything falls back.
        let translated = if folder.is_dir() {
            read(&folder, &[], &mut diagnostics)?
        } else {
            Vec::new()
        };
        translations.push(Translation::new(
            language,
            &folder,
            translated,
            &articles,
            &mut diagnostics,
        ));
    }
    Ok(Kb {
        config,
        drafts,
        articles,
        translations,
        diagnostics,
    })
}

/// Reads and parses every article below `folder` but those in `skip` (other languages'
/// folders), with ids relative to `folder`.
fn read_articles(
    folder: &Path,
    skip: &[PathBuf],
    excluded: &GlobSet,
    step_headings: &StepHeadings,
    progress: &ProgressBar,
    diagnostics: &mut Vec<Diagnostic>,
) -> anyhow::Result<Vec<(String, ParsedArticle)>> {
    let mut articles = Vec::new();
    let paths = article_paths(folder, skip)?;
    progress.inc_length(paths.len() as u64);
    for path in paths {
        progress.inc(1);
        let id = article_id(folder, &path);
        if excluded.is_match(&id) {
            continue;
        }
        let shown = folder.join(&id);
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(source) => {
                    if let Some(article) =
                        parse_article(&shown, &source, step_headings, diagnostics)
                    {
                        check_local_links(folder, &id, &article, diagnostics);
                        articles.push((id, article));
                    }
                }
                Err(_) => diagnostics.push(Diagnostic::error(&shown, 1, "file is not UTF-8 text")),
            },
            Err(e) => diagnostics.push(Diagnostic::error(
                &shown,
                1,
                format!("cannot read file: {e}"),
            )),
        }
    }
    Ok(articles)
}

/// Gives each article its id (the front matter `id`, else its path) and reports an id
/// used twice, at the second use. Articles come back sorted by id: their document numbers.
fn assign_ids(
    root: &Path,
    articles: Vec<(String, ParsedArticle)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, ParsedArticle)> {
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    let mut out = Vec::with_capacity(articles.len());
    for (path_id, article) in articles {
        let (id, line) = match &article.id {
            Some((id, line)) => (id.clone(), *line),
            None => (path_id.clone(), 1),
        };
        if let Some(first) = seen.get(&id) {
            diagnostics.push(Diagnostic::error(
                root.join(&path_id),
                line,
                format!(
                    "id `{id}` is already used by {}",
                    root.join(first).display()
                ),
            ));
            continue;
        }
        seen.insert(id.clone(), path_id);
        out.push((id, article));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Warns about links and images that point at files the kb does not have.
fn check_local_links(
    root: &Path,
    id: &str,
    article: &ParsedArticle,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let dir = Path::new(id).parent().unwrap_or(Path::new(""));
    for link in &article.local_links {
        if root.join(dir).join(&link.target).exists() {
            continue;
        }
        let message = if link.image {
            format!(
                "image `{}` is missing: no such file next to this article",
                link.target
            )
        } else {
            format!(
                "link to `{}` goes nowhere: no such file in the kb",
                link.target
            )
        };
        diagnostics
            .push(Diagnostic::warning(root.join(id), link.line, message).at_column(link.column));
    }
}

/// Matches article ids (`dir/file.md`) against the exclusion globs; `*` also crosses `/`,
/// so `*/SOURCE.md` skips every `SOURCE.md` below the root.
fn exclusion_set<'a>(globs: impl Iterator<Item = &'a String>) -> anyhow::Result<GlobSet> {
    let mut set = GlobSetBuilder::new();
    for glob in globs {
        set.add(
            Glob::new(glob).map_err(|e| anyhow::anyhow!("invalid exclude glob {glob:?}: {e}"))?,
        );
    }
    Ok(set.build()?)
}

/// Markdown files under `root`, sorted, skipping hidden entries, the folders in `skip`
/// and the kb's own `README.md` at the root (the format reference for authors, not an
/// article).
fn article_paths(root: &Path, skip: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    let walker = WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_name().to_string_lossy().starts_with('.')
                    || skip.iter().any(|s| s == e.path()))
        });
    for entry in walker {
        let entry = entry.map_err(std::io::Error::other)?;
        let is_markdown = entry.path().extension().is_some_and(|e| e == "md");
        let is_root_readme = entry.depth() == 1 && entry.file_name() == "README.md";
        if entry.file_type().is_file() && is_markdown && !is_root_readme {
            paths.push(entry.into_path());
        }
    }
    Ok(paths)
}

/// `sub/dir/file.md`, with `/` on every platform.
fn article_id(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn load_config(path: &Path, diagnostics: &mut Vec<Diagnostic>) -> std::io::Result<KbConfig> {
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(KbConfig::default()),
        Err(e) => return Err(e),
    };
    match toml::from_str(&source) {
        Ok(config) => {
            diagnostics.extend(config_problems(path, &source, &config));
            Ok(config)
        }
        Err(e) => {
            let (line, column) = e
                .span()
                .map(|s| line_column(&source, s.start))
                .unwrap_or((1, 1));
            diagnostics.push(
                Diagnostic::error(path, line, format!("invalid config: {}", e.message()))
                    .at_column(column),
            );
            Ok(KbConfig::default())
        }
    }
}
