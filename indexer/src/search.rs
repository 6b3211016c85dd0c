//! `fixpath search`: one query as readable text, or a file of queries as JSON lines (for
//! relevance benchmarks). Either way the answer comes from the encoded bundle bytes, read
//! back by the engine, exactly as the browser would.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use fixpath_engine::analyzer::Analyzer;
use fixpath_engine::bundle::BundleReader;
use fixpath_engine::index::{LoadedDictionary, LoadedPostings};
use fixpath_engine::language::{best_match, Language};
use fixpath_engine::rank;
use fixpath_engine::snippet::{snippet, Segment};
use serde::Deserialize;

use crate::kb::Kb;

#[derive(Args)]
pub struct Request {
    /// What a customer would type.
    #[arg(required_unless_present = "queries")]
    query: Option<String>,
    /// A JSON-lines file of `{"id", "q", ...}` queries to answer in one go.
    #[arg(long, conflicts_with = "query")]
    queries: Option<PathBuf>,
    /// `text` for people, `jsonl` for `{"id", "results": [article ids]}` lines.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// How many results per query.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Search the kb in this language (one of its `[languages]`; the default language
    /// unless given).
    #[arg(long)]
    language: Option<String>,
}

/// Length of the excerpt printed under each result.
const SNIPPET_CHARS: usize = 160;

/// Highlights as `*word*`, readable in a terminal and in a pipe.
fn render_snippet(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| {
            if s.highlight {
                format!("*{}*", s.text)
            } else {
                s.text.clone()
            }
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Jsonl,
}

#[derive(Deserialize)]
struct QueryLine {
    id: serde_json::Value,
    q: String,
}

pub fn run(kb: &Kb, request: &Request) -> Result<()> {
    // Round-trip through the bundle bytes so the CLI answers from exactly what the
    // browser would load.
    let mut editions = kb.editions();
    let edition = match &request.language {
        None => 0,
        Some(tag) => {
            let wanted =
                Language::parse(tag).with_context(|| format!("{tag:?} is not a language tag"))?;
            let languages: Vec<Language> = editions.iter().map(|e| e.language.clone()).collect();
            let tags: Vec<&str> = languages.iter().map(Language::tag).collect();
            // A region falls back to its language, as in the widget (`fr-CA` gets `fr`).
            let found = best_match(&languages, &wanted)
                .with_context(|| format!("the kb is not in {tag}: it has {}", tags.join(", ")))?;
            languages.iter().position(|l| l == found).unwrap_or(0)
        }
    };
    let edition = editions.swap_remove(edition);
    let (search, shards, chunks) = crate::export::bundle_contents(&edition)?;
    let encoded = crate::output::encode_bundle(
        &search,
        &shards,
        &chunks,
        kb.config.widget_config_in(&edition.language),
    );
    let index =
        BundleReader::index(encoded.index_bytes()).context("re-reading the bundle just written")?;
    let file = |name: &String| {
        encoded
            .files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, bytes)| bytes.as_slice())
            .context("a file the manifest names was not written")
    };
    let mut articles = Vec::new();
    for (n, name) in encoded.manifest.article_files.iter().enumerate() {
        let shard = BundleReader::articles(file(name)?, &index, n)
            .context("re-reading the article shards just written")?;
        articles.extend(shard.articles);
    }
    let mut dictionary = LoadedDictionary::default();
    for (n, name) in encoded.manifest.dictionary_files.iter().enumerate() {
        let shard = BundleReader::dictionary(file(name)?, &index, n)
            .context("re-reading the dictionary shards just written")?;
        dictionary.insert(&index, n, shard);
    }
    let mut postings = LoadedPostings::default();
    for (n, name) in encoded.manifest.postings_files.iter().enumerate() {
        let shard = BundleReader::postings(file(name)?, &index, n)
            .context("re-reading the posting shards just written")?;
        postings.insert(&index, n, &shard);
    }
    let analyzer = Analyzer::for_language(encoded.manifest.config.language());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let queries: Vec<(serde_json::Value, String)> = match (&request.query, &request.queries) {
        (Some(q), _) => vec![(serde_json::Value::Null, q.clone())],
        (None, Some(path)) => read_queries(path)?,
        (None, None) => bail!("give a query or --queries FILE"),
    };
    for (id, q) in queries {
        let hits = rank::search(&index, &dictionary, &postings, &analyzer, &q, request.limit);
        match request.format {
            Format::Jsonl => {
                let ids: Vec<&str> = hits
                    .iter()
                    .map(|h| articles[h.doc as usize].id.as_str())
                    .collect();
                writeln!(out, "{}", serde_json::json!({ "id": id, "results": ids }))?;
            }
            Format::Text => {
                for (i, hit) in hits.iter().enumerate() {
                    let article = &articles[hit.doc as usize];
                    writeln!(
                        out,
                        "{:>2}. {}  [{}]  {:.3}",
                        i + 1,
                        article.title,
                        article.id,
                        hit.score
                    )?;
                    // Document numbers follow the kb's article order.
                    let body = &edition.articles[hit.doc as usize].1.body_text;
                    writeln!(
                        out,
                        "    {}",
                        render_snippet(&snippet(&analyzer, body, &q, SNIPPET_CHARS))
                    )?;
                }
                if hits.is_empty() {
                    writeln!(out, "no results")?;
                }
            }
        }
    }
    Ok(())
}

fn read_queries(path: &PathBuf) -> Result<Vec<(serde_json::Value, String)>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut queries = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let q: QueryLine = serde_json::from_str(&line).with_context(|| {
            format!("{}:{}: not a {{\"id\", \"q\"}} line", path.display(), n + 1)
        })?;
        queries.push((q.id, q.q));
    }
    Ok(queries)
}
