//! `fixpath`: the docs team's tool. `check` a kb, `build` its browser bundle, `search` it
//! exactly as the widget would.
//!
//! Exit codes: 0 clean, 1 problems found in the kb, 2 usage or I/O failure.

mod diagnostic;
mod export;
mod kb;
mod markdown;
mod output;
mod tokenizer;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use fixpath_engine::analyzer::Analyzer;
use fixpath_engine::bundle::{Article, BundleContents, BundleReader};
use fixpath_engine::rank;

use crate::kb::{load_kb, Kb};

#[derive(Parser)]
#[command(
    name = "fixpath",
    version,
    about = "Index a knowledge base for the Fixpath widget"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Report every problem in a kb as `file:line:col: severity: message`.
    Check {
        /// The kb folder.
        #[arg(default_value = "kb")]
        kb: PathBuf,
    },
    /// Check a kb and write its browser bundle (manifest.json + index.<hash>.bin).
    Build {
        /// The kb folder.
        #[arg(default_value = "kb")]
        kb: PathBuf,
        /// Output folder; replaced as a whole only once the new bundle is complete.
        #[arg(long, default_value = "dist/kb")]
        out: PathBuf,
    },
    /// Search a kb with the same engine and bundle bytes the widget uses.
    Search {
        /// The kb folder.
        #[arg(long, default_value = "kb")]
        kb: PathBuf,
        /// What a customer would type.
        query: String,
        /// How many results to print.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fixpath: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Check { kb } => {
            let kb = read_kb(&kb)?;
            let clean = report(&kb);
            if clean {
                eprintln!("{} articles, no problems", kb.articles.len());
            }
            Ok(exit_code(clean))
        }
        Command::Build { kb, out } => {
            let started = Instant::now();
            let kb = read_kb(&kb)?;
            if !report(&kb) {
                eprintln!(
                    "fixpath: bundle not written; {} is unchanged",
                    out.display()
                );
                return Ok(ExitCode::from(1));
            }
            let contents = bundle_contents(&kb)?;
            let (manifest, bytes) = output::encode_bundle(&contents, &kb.config);
            output::write_bundle_dir(&out, &manifest, &bytes)?;
            let steps: usize = contents.articles.iter().map(|a| a.guide.steps.len()).sum();
            eprintln!(
                "built {}: {} articles, {} steps, {} terms, {} bytes, in {:.2?}",
                out.join(&manifest.index_file).display(),
                contents.articles.len(),
                steps,
                contents.index.terms.len(),
                bytes.len(),
                started.elapsed()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Search { kb, query, limit } => {
            let kb = read_kb(&kb)?;
            report(&kb);
            // Round-trip through the bundle bytes so the CLI answers from exactly what the
            // browser would load.
            let (_, bytes) = output::encode_bundle(&bundle_contents(&kb)?, &kb.config);
            let bundle =
                BundleReader::from_bytes(&bytes).context("re-reading the bundle just written")?;
            let hits = rank::search(&bundle.index, &Analyzer::default(), &query, limit);
            for (i, hit) in hits.iter().enumerate() {
                let article = &bundle.articles[hit.doc as usize];
                println!(
                    "{:>2}. {}  [{}]  {:.3}",
                    i + 1,
                    article.title,
                    article.id,
                    hit.score
                );
            }
            if hits.is_empty() {
                println!("no results");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read_kb(path: &Path) -> Result<Kb> {
    load_kb(path).with_context(|| format!("reading kb {}", path.display()))
}

/// Prints every diagnostic; true when none is an error.
fn report(kb: &Kb) -> bool {
    for d in &kb.diagnostics {
        eprintln!("{d}");
    }
    !kb.has_errors()
}

fn exit_code(clean: bool) -> ExitCode {
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn bundle_contents(kb: &Kb) -> Result<BundleContents> {
    let parsed: Vec<_> = kb.articles.iter().map(|(_, a)| a.clone()).collect();
    let index = export::build_search_index(&parsed)?;
    let articles = kb
        .articles
        .iter()
        .map(|(id, a)| Article {
            id: id.clone(),
            title: a.title.clone(),
            summary: a.summary.clone(),
            errors: a.errors.clone(),
            guide: a.guide.clone(),
        })
        .collect();
    Ok(BundleContents { articles, index })
}
