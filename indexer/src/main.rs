//! `fixpath`: the docs team's tool. `check` a kb, `build` its browser bundle, `search` it
//! exactly as the widget would.
//!
//! Exit codes: 0 clean, 1 problems found in the kb, 2 usage or I/O failure.

mod config_check;
mod diagnostic;
mod export;
mod front_matter;
mod kb;
mod markdown;
#[cfg(test)]
mod never_panics;
mod output;
mod report;
mod routes;
mod scaffold;
mod search;
mod step_headings;
mod tokenizer;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use fixpath_engine::guide::Route;

use crate::diagnostic::Severity;
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

/// Which files are articles.
#[derive(Args)]
struct Selection {
    /// Skip files matching this glob (relative to the kb, e.g. `*/SOURCE.md`); repeatable.
    /// Adds to `exclude` in fixpath.toml.
    #[arg(long = "exclude", value_name = "GLOB")]
    exclude: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiagnosticFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Report every problem in a kb as `file:line:col: error: message`.
    Check {
        /// The kb folder.
        #[arg(default_value = "kb")]
        kb: PathBuf,
        #[command(flatten)]
        selection: Selection,
        /// `text` (file:line:col: severity: message) or `json` (one object per line, for
        /// editors and CI).
        #[arg(long, value_enum, default_value_t = DiagnosticFormat::Text)]
        format: DiagnosticFormat,
    },
    /// Create a new article or guide that already passes `check`.
    New {
        /// `article` (one answer) or `guide` (fixes as steps).
        #[arg(value_enum)]
        kind: scaffold::Kind,
        /// Path inside the kb, e.g. `uploads/slow-uploads`.
        path: String,
        /// The kb folder.
        #[arg(long, default_value = "kb")]
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
        #[command(flatten)]
        selection: Selection,
    },
    /// Print each article's searchable text as JSON lines `{"id", "title", "meta",
    /// "headings", "body"}`: for feeding other search engines the very same text.
    ExportText {
        /// The kb folder.
        #[arg(long, default_value = "kb")]
        kb: PathBuf,
        #[command(flatten)]
        selection: Selection,
    },
    /// Search a kb with the same engine and bundle bytes the widget uses.
    Search {
        /// The kb folder.
        #[arg(long, default_value = "kb")]
        kb: PathBuf,
        #[command(flatten)]
        selection: Selection,
        #[command(flatten)]
        request: search::Request,
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
        Command::Check {
            kb,
            selection,
            format,
        } => {
            let kb = read_kb(&kb, &selection)?;
            if format == DiagnosticFormat::Json {
                for d in &kb.diagnostics {
                    println!("{}", d.to_json());
                }
                return Ok(if kb.has_errors() {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                });
            }
            let clean = report(&kb);
            if clean {
                match kb.diagnostics.len() {
                    0 => eprintln!("{}, no problems", article_count(&kb)),
                    n => eprintln!("{}, no errors, {n} warning(s)", article_count(&kb)),
                }
            }
            Ok(if clean {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::New { kind, path, kb } => {
            let written = scaffold::scaffold(&kb, kind, &path)?;
            eprintln!(
                "created {}; edit it, then run `fixpath check {}`",
                written.display(),
                kb.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Build { kb, out, selection } => {
            let started = Instant::now();
            // Drawn only on a terminal; piped output stays clean.
            let progress = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            )
            .with_style(
                indicatif::ProgressStyle::with_template("{msg:20} {wide_bar} {pos}/{len}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            )
            .with_message("reading articles");
            let kb = load_kb(&kb, &selection.exclude, &progress)
                .with_context(|| format!("reading kb {}", kb.display()))?;
            progress.finish_and_clear();
            if !report(&kb) {
                eprintln!(
                    "fixpath: bundle not written; {} is unchanged",
                    out.display()
                );
                return Ok(ExitCode::from(1));
            }
            let progress = indicatif::ProgressBar::new_spinner()
                .with_message("indexing and writing the bundle");
            progress.enable_steady_tick(std::time::Duration::from_millis(120));
            let (search, shards, chunks) = export::bundle_contents(&kb)?;
            let bundle = output::encode_bundle(&search, &shards, &chunks, &kb.config);
            output::write_bundle_dir(&out, &bundle)?;
            progress.finish_and_clear();
            let guides: Vec<_> = chunks.iter().flat_map(|c| &c.guides).collect();
            let steps: usize = guides.iter().map(|g| g.steps.len()).sum();
            let branching = guides
                .iter()
                .filter(|g| {
                    g.steps
                        .iter()
                        .any(|s| matches!(s.route, Route::Question { .. }))
                })
                .count();
            let brotli: usize = bundle
                .files
                .iter()
                .map(|(_, bytes)| brotli_len(bytes))
                .sum();
            eprintln!(
                "built {} in {:.2?}: {}, {} with several steps, {} with questions, {} steps; {} files, {} raw, {} brotli -5 (search index {})",
                out.display(),
                started.elapsed(),
                article_count(&kb),
                guides.iter().filter(|g| g.steps.len() > 1).count(),
                branching,
                steps,
                bundle.files.len() + 1,
                kib(bundle.total_bytes()),
                kib(brotli),
                kib(brotli_len(bundle.index_bytes())),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::ExportText { kb, selection } => {
            let kb = read_kb(&kb, &selection)?;
            report(&kb);
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for (id, a) in &kb.articles {
                let line = serde_json::json!({
                    "id": id, "title": a.title, "meta": a.meta_text,
                    "headings": a.headings_text, "body": a.body_text,
                });
                writeln!(out, "{line}")?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            kb,
            selection,
            request,
        } => {
            let kb = read_kb(&kb, &selection)?;
            // Someone searching wants results: errors in full, warnings only counted.
            let (warnings, errors): (Vec<_>, Vec<_>) = kb
                .diagnostics
                .iter()
                .cloned()
                .partition(|d| d.severity == Severity::Warning);
            report::print(&errors, report::Style::for_stderr());
            if !warnings.is_empty() {
                eprintln!(
                    "{} warning(s) in the kb (`fixpath check` lists them)",
                    warnings.len()
                );
            }
            search::run(&kb, &request)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read_kb(path: &std::path::Path, selection: &Selection) -> Result<Kb> {
    load_kb(path, &selection.exclude, &indicatif::ProgressBar::hidden())
        .with_context(|| format!("reading kb {}", path.display()))
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

/// Prints every diagnostic; true when none is an error.
fn report(kb: &Kb) -> bool {
    report::print(&kb.diagnostics, report::Style::for_stderr());
    !kb.has_errors()
}

/// `15 articles (1 draft left out)`.
fn article_count(kb: &Kb) -> String {
    let count = kb.articles.len();
    let articles = format!("{count} article{}", if count == 1 { "" } else { "s" });
    match kb.drafts {
        0 => articles,
        n => format!("{articles} ({n} draft(s) left out)"),
    }
}
