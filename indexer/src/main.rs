//! `fixpath`: the docs team's tool. `check` a kb, `build` the folder a site publishes (the
//! widget this binary carries and the kb's bundle), `serve` a live preview, `search` a kb
//! exactly as the widget would, read `insights` on how it is used.
//!
//! Exit codes: 0 clean, 1 problems found in the kb, 2 usage or I/O failure. Output piped
//! into a command that stops reading (`| head`) ends quietly.

mod config_check;
mod diagnostic;
mod export;
mod front_matter;
mod help_folder;
mod insights;
mod kb;
mod kb_config;
mod learned;
mod markdown;
#[cfg(test)]
mod never_panics;
mod output;
mod problem_words;
mod publish;
mod report;
mod routes;
mod scaffold;
mod search;
mod serve;
mod step_headings;
mod tokenizer;
mod translations;
mod widget_assets;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::diagnostic::Severity;
use crate::help_folder::{embed_snippet, guess_base_url, PublishOptions};
use crate::kb::{load_kb, Kb};
use crate::publish::article_count;

#[derive(Parser)]
#[command(
    name = "fixpath",
    about = "Check a knowledge base, build the help folder a site publishes, preview it live"
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

/// Search text learned from how customers searched.
#[derive(Args)]
struct Learning {
    /// An insights export (`fixpath insights --save`, or `export.json` from an insights
    /// page): searches after which an article fixed the problem become extra search text
    /// for it (k-anonymous, at most 10 per article; `check` lists them).
    #[arg(long, value_name = "FILE")]
    insights: Option<PathBuf>,
}

impl Learning {
    /// Adds what the insights file teaches to `kb`; returns what it added, by article.
    fn apply(&self, kb: &mut Kb) -> Result<learned::Learned> {
        match &self.insights {
            Some(path) => Ok(learned::apply(kb, &learned::read(path)?)),
            None => Ok(learned::Learned::new()),
        }
    }
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
        #[command(flatten)]
        learning: Learning,
    },
    /// Create a new article or guide that already passes `check`.
    New {
        /// `article` (one answer) or `guide` (fixes as steps).
        #[arg(value_enum)]
        kind: scaffold::Kind,
        /// Path inside the kb, e.g. `uploads/slow-uploads`; with `--from-gap`, the
        /// search's words when left out.
        #[arg(required_unless_present = "from_gap")]
        path: Option<String>,
        /// The kb folder.
        #[arg(long, default_value = "kb")]
        kb: PathBuf,
        /// Start from a content gap: a search customers made that found nothing
        /// (`fixpath insights` lists them). It becomes the title and first symptom.
        #[arg(long, value_name = "SEARCH")]
        from_gap: Option<String>,
    },
    /// Check a kb and write the folder a site publishes: the widget (`fixpath.js` and its
    /// content-hashed files) and the kb bundle (`kb/`). Prints the two lines a page needs.
    Build {
        /// The kb folder.
        #[arg(default_value = "kb")]
        kb: PathBuf,
        /// The help folder to write, e.g. `public/help`. A page that loaded the previous
        /// build keeps working while it is replaced; nothing is written if the kb has errors.
        #[arg(long, default_value = "dist/help")]
        out: PathBuf,
        /// The URL the folder is served at (`/docs/help/`), for the printed snippet;
        /// guessed from `--out` when left out. The folder itself works under any path.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Also write `.br` and `.gz` copies of the content-hashed files, for hosts that
        /// serve precompressed files but do not compress wasm themselves.
        #[arg(long)]
        precompress: bool,
        #[command(flatten)]
        selection: Selection,
        #[command(flatten)]
        learning: Learning,
    },
    /// Preview a kb live: build it, serve it with the widget (inline and launcher pages),
    /// a local ticket receiver and an inbox page, and rebuild and reload on every save.
    Serve {
        /// The kb folder.
        #[arg(default_value = "kb")]
        kb: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Address to listen on; `0.0.0.0` to preview from other devices.
        #[arg(long, default_value = "127.0.0.1")]
        host: IpAddr,
        /// Serve this folder's pages at `/` instead of the preview pages; they load the
        /// widget from `/help/fixpath.js`.
        #[arg(long, value_name = "DIR")]
        pages: Option<PathBuf>,
        /// Keep received tickets in DIR/tickets.jsonl (default: a temporary folder).
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Refuse the first N tickets with 503, to watch the widget keep and retry them.
        #[arg(long, value_name = "N", default_value_t = 0)]
        fail_first: u32,
        /// Also run the relay from this config, for a kb whose `[delivery] kind = "relay"`
        /// (see `fixpath relay`); its inbox is at the relay's `/inbox`.
        #[arg(long, value_name = "RELAY_TOML")]
        relay: Option<PathBuf>,
        #[command(flatten)]
        selection: Selection,
    },
    /// Run the relay: take the widget's tickets (`delivery.kind = "relay"`), keep them
    /// (SQLite, or Postgres for several instances) and deliver them to the help desks in
    /// the config, with the credentials read from the environment. See `docs/relay.md`.
    Relay {
        /// The relay's config file.
        #[arg(long, default_value = "relay.toml")]
        config: PathBuf,
        /// Listen here instead of the config's `listen` (port 0 picks a free one).
        #[arg(long, value_name = "ADDRESS")]
        listen: Option<SocketAddr>,
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
    /// Show what customers did in the widget — deflection, content gaps, the guides that
    /// fail, top searches, tickets — from a relay or an insights export.
    Insights(insights::Request),
    /// Search a kb with the same engine and bundle bytes the widget uses.
    Search {
        /// The kb folder.
        #[arg(long, default_value = "kb")]
        kb: PathBuf,
        #[command(flatten)]
        selection: Selection,
        #[command(flatten)]
        learning: Learning,
        #[command(flatten)]
        request: search::Request,
    },
}

/// `0.1.0 (bundle format 5, widget built from sources 1a2b3c4d)`: what a bug report needs.
/// Leaked once: clap keeps `'static` strings.
fn version() -> &'static str {
    let widget = match &widget_assets::EMBEDDED {
        Some(widget) => format!("widget built from sources {}", widget.sources.trim()),
        None => "no widget: built without `cargo xtask dist`".to_string(),
    };
    let version = format!(
        "{} (bundle format {}, {widget})",
        env!("CARGO_PKG_VERSION"),
        fixpath_engine::bundle::BUNDLE_FORMAT_VERSION
    );
    Box::leak(version.into_boxed_str())
}

fn main() -> ExitCode {
    let matches = Cli::command().version(version()).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match run(cli.command) {
        Ok(code) => code,
        // The reader went away (`fixpath check --format json | head -1`): nothing left to say.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fixpath: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Check {
            kb: root,
            selection,
            format,
            learning,
        } => {
            let mut kb = read_kb(&root, &selection)?;
            let learned = learning.apply(&mut kb)?;
            if format == DiagnosticFormat::Json {
                let mut out = std::io::stdout().lock();
                for d in &kb.diagnostics {
                    writeln!(out, "{}", d.to_json())?;
                }
                out.flush()?;
                return Ok(exit_code(!kb.has_errors()));
            }
            let clean = report(&kb);
            eprint!("{}", learned::describe(&root, &learned));
            if clean {
                match kb.diagnostics.len() {
                    0 => eprintln!("{}, no problems", article_count(&kb)),
                    n => eprintln!("{}, no errors, {n} warning(s)", article_count(&kb)),
                }
            }
            Ok(exit_code(clean))
        }
        Command::New {
            kind,
            path,
            kb,
            from_gap,
        } => {
            let written = scaffold::scaffold(&kb, kind, path.as_deref(), from_gap.as_deref())?;
            eprintln!(
                "created {}; edit it, then run `fixpath check {}`",
                written.display(),
                kb.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Build {
            kb,
            out,
            base_url,
            precompress,
            selection,
            learning,
        } => build(
            &kb,
            &out,
            base_url,
            PublishOptions { precompress },
            &selection,
            &learning,
        ),
        Command::Serve {
            kb,
            port,
            host,
            pages,
            data,
            fail_first,
            relay,
            selection,
        } => {
            serve::serve(serve::Preview {
                kb,
                exclude: selection.exclude,
                address: SocketAddr::new(host, port),
                pages,
                data,
                fail_first,
                relay,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Relay { config, listen } => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(fixpath_relay::service::run(&config, listen))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::ExportText { kb, selection } => {
            let kb = read_kb(&kb, &selection)?;
            report(&kb);
            let mut out = std::io::stdout().lock();
            for (id, a) in &kb.articles {
                let line = serde_json::json!({
                    "id": id, "title": a.title, "meta": a.meta_text,
                    "headings": a.headings_text, "body": a.body_text,
                });
                writeln!(out, "{line}")?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Insights(request) => {
            insights::run(&request)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            kb: root,
            selection,
            learning,
            request,
        } => {
            let mut kb = read_kb(&root, &selection)?;
            learning.apply(&mut kb)?;
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

/// `fixpath build`: check, then write the help folder and print how to embed it.
fn build(
    kb: &std::path::Path,
    out: &std::path::Path,
    base_url: Option<String>,
    options: PublishOptions,
    selection: &Selection,
    learning: &Learning,
) -> Result<ExitCode> {
    let started = Instant::now();
    // Drawn only on a terminal; piped output stays clean.
    let progress =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr())
            .with_style(
                indicatif::ProgressStyle::with_template("{msg:20} {wide_bar} {pos}/{len}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            )
            .with_message("reading articles");
    let mut loaded = load_kb(kb, &selection.exclude, &progress)
        .with_context(|| format!("reading kb {}", kb.display()))?;
    progress.finish_and_clear();
    let learned = learning.apply(&mut loaded)?;
    if !learned.is_empty() {
        eprintln!(
            "learned {} phrasing(s) from insights for {} article(s); `fixpath check --insights` lists them",
            learned.values().map(Vec::len).sum::<usize>(),
            learned.len()
        );
    }
    if !report(&loaded) {
        eprintln!("fixpath: nothing written; {} is unchanged", out.display());
        return Ok(ExitCode::from(1));
    }
    let progress =
        indicatif::ProgressBar::new_spinner().with_message("indexing and writing the help folder");
    progress.enable_steady_tick(std::time::Duration::from_millis(120));
    let published = publish::publish(&loaded, out, options, started)?;
    progress.finish_and_clear();
    eprintln!(
        "{}",
        published.describe(&format!("built {}", out.display()))
    );
    if published.widget_brotli.is_none() {
        eprintln!(
            "fixpath: this binary carries no widget, so only the kb bundle was written (to {}/kb)",
            out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let (base_url, guessed) = match base_url {
        Some(url) => (url, false),
        None => (guess_base_url(out), true),
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "\nAdd these two lines to your page:\n")?;
    for line in embed_snippet(&base_url) {
        writeln!(stdout, "  {line}")?;
    }
    writeln!(stdout)?;
    if guessed {
        writeln!(
            stdout,
            "(assuming {} is served at {base_url}; if not, change the src, or pass --base-url)",
            out.display()
        )?;
    }
    writeln!(
        stdout,
        "mode=\"launcher\" on the element shows a floating Help button instead of the inline panel."
    )?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn exit_code(clean: bool) -> ExitCode {
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn read_kb(path: &std::path::Path, selection: &Selection) -> Result<Kb> {
    load_kb(path, &selection.exclude, &indicatif::ProgressBar::hidden())
        .with_context(|| format!("reading kb {}", path.display()))
}

/// Prints every diagnostic; true when none is an error.
fn report(kb: &Kb) -> bool {
    report::print(&kb.diagnostics, report::Style::for_stderr());
    !kb.has_errors()
}
