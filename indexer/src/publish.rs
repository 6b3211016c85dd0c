//! From a checked kb to a help folder on disk: index, encode the bundle, write the folder
//! with the widget. `fixpath build` and every rebuild of `fixpath serve` go through
//! [`publish`].

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use fixpath_engine::guide::Route;

use crate::help_folder::{write_help_folder, PublishOptions};
use crate::kb::Kb;
use crate::output::encode_bundle;
use crate::widget_assets::EMBEDDED;

/// What one build wrote, for its summary line.
pub struct Published {
    pub articles: String,
    /// `; also in fr (3 of 5 translated)`, for a kb in several languages.
    pub languages: String,
    pub guides_with_steps: usize,
    pub guides_with_questions: usize,
    pub steps: usize,
    pub bundle_files: usize,
    pub bundle_raw: usize,
    pub bundle_brotli: usize,
    /// Brotli bytes of the index and its dictionary shards: what grows with the kb's words.
    pub index_brotli: usize,
    /// Brotli bytes of the widget's files a page fetches before it can search, of the
    /// pieces it fetches after the first results, and of the stemmers a page in a language
    /// other than English fetches too, when this binary carries a widget.
    pub widget_brotli: Option<(usize, usize, usize)>,
    pub seconds: f64,
}

/// Writes the help folder for `kb` (which must have no errors) into `out`.
pub fn publish(
    kb: &Kb,
    out: &Path,
    options: PublishOptions,
    started: Instant,
) -> Result<Published> {
    let mut bundles = Vec::new();
    let mut default_chunks = None;
    for edition in kb.editions() {
        let (search, shards, chunks) = crate::export::bundle_contents(&edition)?;
        let mut config = kb.config.widget_config_in(&edition.language);
        let folder = config
            .languages
            .iter()
            .find(|l| l.tag == config.language)
            .map(|l| l.path.clone())
            .unwrap_or_default();
        config.untranslated = edition.untranslated;
        bundles.push((folder, encode_bundle(&search, &shards, &chunks, config)));
        default_chunks.get_or_insert(chunks);
    }
    let chunks = default_chunks.unwrap_or_default();
    let written = write_help_folder(out, EMBEDDED.as_ref(), &bundles, options)?;
    let bundle = &bundles[0].1;
    let all_files = || bundles.iter().flat_map(|(_, b)| &b.files);
    let guides: Vec<_> = chunks.iter().flat_map(|c| &c.guides).collect();
    let has_question = |g: &&&fixpath_engine::guide::Guide| {
        g.steps
            .iter()
            .any(|s| matches!(s.route, Route::Question { .. }))
    };
    Ok(Published {
        articles: article_count(kb),
        languages: translated_counts(kb),
        guides_with_steps: guides.iter().filter(|g| g.steps.len() > 1).count(),
        guides_with_questions: guides.iter().filter(has_question).count(),
        steps: guides.iter().map(|g| g.steps.len()).sum(),
        bundle_files: all_files().count() + bundles.len(),
        bundle_raw: bundles.iter().map(|(_, b)| b.total_bytes()).sum(),
        bundle_brotli: all_files().map(|(_, b)| brotli_len(b)).sum(),
        index_brotli: bundle
            .files
            .iter()
            .filter(|(name, _)| {
                *name == bundle.manifest.index_file
                    || bundle.manifest.dictionary_files.contains(name)
            })
            .map(|(_, bytes)| brotli_len(bytes))
            .sum(),
        widget_brotli: written.widget.map(|w| {
            let sum = |files: &[Vec<u8>]| files.iter().map(|f| brotli_len(f)).sum();
            (sum(&w.first), sum(&w.pieces), sum(&w.languages))
        }),
        seconds: started.elapsed().as_secs_f64(),
    })
}

impl Published {
    /// `built public/help in 0.42 s: 15 articles, …` (`what` is `built public/help`).
    pub fn describe(&self, what: &str) -> String {
        let widget = match self.widget_brotli {
            Some((first, pieces, languages)) => format!(
                "widget {} brotli -5 (+{} after the first results, +{} of stemmers in languages other than English), ",
                kib(first),
                kib(pieces),
                kib(languages)
            ),
            None => "no widget (this fixpath was built without one), ".to_string(),
        };
        format!(
            "{what} in {:.2} s: {}{}, {} with several steps, {} with questions, {} steps; {widget}kb bundle {} files, {} raw, {} brotli -5 (search index and dictionary {})",
            self.seconds,
            self.articles,
            self.languages,
            self.guides_with_steps,
            self.guides_with_questions,
            self.steps,
            self.bundle_files,
            kib(self.bundle_raw),
            kib(self.bundle_brotli),
            kib(self.index_brotli),
        )
    }
}

/// Bytes over the wire with brotli at quality 5: within 2% of quality 9 on the eval kit's
/// bundle files, and a quarter of the time (at 9 the estimate took three quarters of the
/// build); quality 11, which `cargo xtask bench size` reports, is ~10% smaller but takes
/// seconds on a large kb.
fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 5,
        ..Default::default()
    };
    match brotli::BrotliCompress(&mut &bytes[..], &mut out, &params) {
        Ok(_) => out.len(),
        Err(_) => bytes.len(),
    }
}

/// `12.3 KB` (1 KB = 1024 bytes).
fn kib(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// ` in en; also in fr (3 of 5 translated), de (5 of 5)`; empty for one language.
fn translated_counts(kb: &Kb) -> String {
    if kb.translations.is_empty() {
        return String::new();
    }
    let total = kb.articles.len();
    let others: Vec<String> = kb
        .translations
        .iter()
        .map(|t| {
            format!(
                "{} ({} of {total} translated)",
                t.language,
                t.articles.len()
            )
        })
        .collect();
    format!(
        " in {}; also in {}",
        kb.config.default_language(),
        others.join(", ")
    )
}

/// `15 articles (1 draft left out)`.
pub fn article_count(kb: &Kb) -> String {
    let count = kb.articles.len();
    let articles = format!("{count} article{}", if count == 1 { "" } else { "s" });
    match kb.drafts {
        0 => articles,
        n => format!("{articles} ({n} draft(s) left out)"),
    }
}
