//! `fixpath serve`: the docs writer's live preview, from the binary alone. It builds the kb
//! into a temporary help folder, serves it with preview pages (or the site's own), a local
//! ticket receiver and an inbox page, and rebuilds on every save: diagnostics in the
//! terminal and over the page, which keeps the last good build until the kb is fixed.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use fixpath_relay::live::LiveState;
use fixpath_relay::store::TicketStore;
use fixpath_relay::{Faults, Pages, SiteConfig};
use tokio::sync::watch;

use crate::diagnostic::Severity;
use crate::help_folder::PublishOptions;
use crate::kb::{load_kb, Kb};
use crate::report;

/// What `fixpath serve` was asked for.
pub struct Preview {
    pub kb: PathBuf,
    pub exclude: Vec<String>,
    pub address: SocketAddr,
    /// The site's own pages instead of the built-in preview pages.
    pub pages: Option<PathBuf>,
    /// Where received tickets are kept (`tickets.jsonl`); a temporary folder otherwise.
    pub data: Option<PathBuf>,
    /// Answer the first N tickets with 503.
    pub fail_first: u32,
    /// Also run the relay from this config (for a kb whose delivery kind is `relay`).
    pub relay: Option<PathBuf>,
}

/// The origin the built widget sends tickets to, when it is not the page's own.
fn delivery_origin(help: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(help.join("kb").join("manifest.json")).ok()?;
    let manifest: fixpath_engine::config::Manifest = serde_json::from_str(&manifest).ok()?;
    fixpath_relay::site::origin_of(&manifest.config.delivery.url)
}

pub fn serve(preview: Preview) -> Result<()> {
    if !preview.kb.is_dir() {
        anyhow::bail!("{} is not a folder", preview.kb.display());
    }
    let scratch = tempfile::Builder::new()
        .prefix("fixpath-serve-")
        .tempdir()
        .context("creating the preview's folder")?;
    let help = scratch.path().join("help");
    let state = Arc::new(watch::Sender::new(LiveState::default()));
    if let Err(problems) = rebuild(&preview.kb, &preview.exclude, &help, "built the preview") {
        // The page needs a widget to show the problems over: one with no articles.
        publish_without_articles(&preview.kb, &help)?;
        state.send_modify(|s| {
            s.problems = problems;
            s.never_built = true;
        });
    }
    let data = match &preview.data {
        Some(dir) => dir.clone(),
        None => scratch.path().join("data"),
    };
    let store = TicketStore::open(&data)?;
    let tickets_file = store.path().to_path_buf();
    let site = SiteConfig {
        pages: preview.pages.clone().map_or(Pages::Preview, Pages::Folder),
        help: help.clone(),
        kb: None,
        live: Some(state.subscribe()),
        cross_origin_isolated: false,
        // As a site would allow it: where the kb sends tickets, when that is elsewhere.
        connect_to: delivery_origin(&help).into_iter().collect(),
    };
    let faults = Arc::new(Faults::default());
    faults.fail_next(preview.fail_first);
    let insights = fixpath_relay::preview_insights::InsightsFile::open(&data)?;
    let app = fixpath_relay::app(store, insights.into(), Some(site), faults);
    let (kb, exclude) = (preview.kb.clone(), preview.exclude.clone());
    fixpath_relay::live::watch_kb(preview.kb.clone(), state.clone(), move || {
        eprintln!("\n== {} changed: rebuilding", kb.display());
        rebuild(&kb, &exclude, &help, "rebuilt the preview")
    });

    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(preview.address)
            .await
            .with_context(|| {
                format!(
                    "cannot listen on {}; is another preview running? Try `--port {}`",
                    preview.address,
                    preview.address.port().wrapping_add(1)
                )
            })?;
        let url = format!("http://{}/", listener.local_addr()?);
        println!("Previewing {} at {url}", preview.kb.display());
        println!("  launcher mode: {url}launcher.html · tickets received: {url}__fixpath/tickets");
        println!("  tickets are kept in {}", tickets_file.display());
        if preview.fail_first > 0 {
            println!("  the first {} ticket(s) will be refused with 503, to watch the widget keep and retry them", preview.fail_first);
        }
        println!("Save a file in the kb to rebuild and reload. Ctrl-C stops.");
        let relay = async {
            match &preview.relay {
                Some(config) => fixpath_relay::service::run(config, None).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            served = fixpath_relay::serve(listener, app) => served?,
            relayed = relay => relayed.context("the relay stopped")?,
            () = stop_signal() => {}
        }
        anyhow::Ok(())
    })?;
    // The temporary help folder goes with `scratch`.
    drop(scratch);
    Ok(())
}

/// Builds `kb` into `help`: Ok with a new build, or the problems that prevented it (the
/// folder then keeps the last good build). Diagnostics are printed either way, and `what`
/// happened on success.
fn rebuild(kb: &Path, exclude: &[String], help: &Path, what: &str) -> Result<(), Vec<String>> {
    let started = Instant::now();
    let loaded = match load_kb(kb, exclude, &indicatif::ProgressBar::hidden()) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("fixpath: error: {e:#}");
            return Err(vec![format!("{e:#}")]);
        }
    };
    report::print(&loaded.diagnostics, report::Style::for_stderr());
    if loaded.has_errors() {
        eprintln!("== not rebuilt: the preview keeps the last good build until these are fixed");
        return Err(loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(ToString::to_string)
            .collect());
    }
    match crate::publish::publish(&loaded, help, PublishOptions::default(), started) {
        Ok(published) => {
            eprintln!("{}", published.describe(what));
            Ok(())
        }
        Err(e) => {
            eprintln!("fixpath: error: {e:#}");
            Err(vec![format!("{e:#}")])
        }
    }
}

/// A help folder with the kb's config but no articles, for a kb that has never built.
fn publish_without_articles(kb: &Path, help: &Path) -> Result<()> {
    let config = load_kb(kb, &[], &indicatif::ProgressBar::hidden())
        .map(|kb| kb.config)
        .unwrap_or_default();
    // Every language gets its (empty) bundle, so the manifest's list of them holds.
    let translations = config
        .other_languages()
        .into_iter()
        .map(|(_, language, _)| crate::translations::Translation {
            language,
            articles: Vec::new(),
        })
        .collect();
    let empty = Kb {
        config,
        translations,
        articles: Vec::new(),
        diagnostics: Vec::new(),
        drafts: 0,
    };
    crate::publish::publish(&empty, help, PublishOptions::default(), Instant::now())?;
    Ok(())
}

/// Ctrl-C, or a polite kill.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
