//! `fixpath insights SOURCE`: the insights report in the terminal — deflection, content
//! gaps, the guides that fail, top searches, tickets — or one of its tables as CSV, from
//! a relay (signing in to its inbox) or a file: an `export.json` downloaded from the
//! relay's or the preview's insights page, or the preview's own `insights.json`. Queries
//! are shown k-anonymously, as on the relay's pages.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use fixpath_engine::insights::{k_anonymous, DayTally, Report, Table, MIN_PAGES};
use fixpath_relay::insights_page::percent;

/// What `fixpath insights` was asked for.
#[derive(clap::Args)]
pub struct Request {
    /// A relay's address (`https://relay.example.com`), or a file: `export.json` from an
    /// insights page, or the preview's `insights.json`.
    source: String,
    /// With a relay: the environment variable holding its inbox password.
    #[arg(long, value_name = "VAR", default_value = "FIXPATH_INBOX_PASSWORD")]
    password_env: String,
    /// With a relay: the days covered, 7, 30 or 90.
    #[arg(long, default_value_t = 30)]
    days: u32,
    /// Show a search only once this many pages searched it (never fewer than 5).
    #[arg(long, value_name = "K", default_value_t = MIN_PAGES)]
    min_pages: u64,
    /// Print one table as CSV instead: days, searches, content-gaps or guides.
    #[arg(long, value_name = "TABLE")]
    csv: Option<String>,
    /// Also save the counts read (k-anonymous) to this file, for `fixpath build --insights`.
    #[arg(long, value_name = "FILE")]
    save: Option<PathBuf>,
}

pub fn run(request: &Request) -> Result<()> {
    let days = read(request)?;
    if let Some(path) = &request.save {
        let kept = k_anonymous(&days, request.min_pages);
        let map: BTreeMap<&String, &DayTally> = kept.iter().map(|(d, t)| (d, t)).collect();
        std::fs::write(path, serde_json::to_string_pretty(&map)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let report = Report::new(&days, request.min_pages);
    let mut out = std::io::stdout().lock();
    match &request.csv {
        Some(name) => {
            let Some(table) = Table::from_name(name) else {
                let names: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
                bail!("no table {name:?}: choose one of {}", names.join(", "));
            };
            write!(out, "{}", report.csv(table))?;
        }
        None => write!(out, "{}", text(&report))?,
    }
    out.flush()?;
    Ok(())
}

/// The tallies by day, from the relay or the file `request` names.
fn read(request: &Request) -> Result<Vec<(String, DayTally)>> {
    let source = request.source.as_str();
    let json = if source.starts_with("https://") || source.starts_with("http://") {
        let password = std::env::var(&request.password_env).with_context(|| {
            format!(
                "reading a relay needs its inbox password in ${} (or name another variable with --password-env)",
                request.password_env
            )
        })?;
        let runtime = tokio::runtime::Runtime::new()?;
        runtime.block_on(fixpath_relay::export_client::fetch_export(
            source,
            &password,
            request.days,
        ))?
    } else {
        std::fs::read_to_string(source).with_context(|| format!("reading {source}"))?
    };
    parse(Path::new(source), &json)
}

/// An export: tallies by day (`{"2026-11-30": {...}}`).
pub fn parse(source: &Path, json: &str) -> Result<Vec<(String, DayTally)>> {
    let days: BTreeMap<String, DayTally> = serde_json::from_str(json).with_context(|| {
        format!(
            "{} is not an insights export (tallies by day, as export.json holds them)",
            source.display()
        )
    })?;
    Ok(days.into_iter().collect())
}

/// The report as the terminal shows it.
pub fn text(report: &Report) -> String {
    if report.days.is_empty() {
        return "Nothing counted yet.\n".into();
    }
    let t = &report.total;
    let mut out = format!(
        "Insights {} to {} ({} days with counts)\n\nDeflection: {} of those who finished in the widget fixed it there ({} fixed, {} contacted support)\nSearches: {}, {} without results\nTickets: {} critical, {} minor\n",
        report.from,
        report.to,
        report.days.len(),
        percent(t.deflection()),
        t.resolved,
        t.escalated,
        t.searches,
        t.searches_without_results,
        t.tickets_critical,
        t.tickets_minor,
    );
    let queries = |title: &str, rows: &[fixpath_engine::insights::report::QueryRow]| {
        let mut s = format!("\n{title}\n");
        if rows.is_empty() {
            s.push_str("  (none shown)\n");
        }
        s.push_str(&format!(
            "  {:>6} {:>10} {:>8}  search\n",
            "pages", "no results", "tickets"
        ));
        for q in rows {
            s.push_str(&format!(
                "  {:>6} {:>10} {:>8}  {}\n",
                q.pages, q.without_results, q.escalated, q.query
            ));
        }
        s
    };
    out.push_str(&queries(
        "Content gaps (no results, or support contacted after):",
        &report.content_gaps,
    ));
    out.push_str("\nGuides, those that fail first:\n");
    out.push_str(&format!(
        "  {:>6} {:>6} {:>8} {:>10}  article — where most gave up\n",
        "opened", "fixed", "support", "resolution"
    ));
    for g in &report.guides {
        let gave_up = g
            .give_up_step
            .as_ref()
            .map_or(String::new(), |(s, n)| format!(" — {s} ({n})"));
        out.push_str(&format!(
            "  {:>6} {:>6} {:>8} {:>10}  {}{gave_up}\n",
            g.opened,
            g.resolved,
            g.escalated,
            percent(g.resolution()),
            g.article
        ));
    }
    out.push_str(&queries("Top searches:", &report.top_searches));
    out.push_str(&format!("\n{}\n", report.hidden_note()));
    out
}
