//! `cargo xtask bench relay`: the relay under a bounded load over loopback, on SQLite and
//! on Postgres (a server started here from Debian's package): 5,000 new tickets at
//! concurrency 64, each delivered to a webhook endpoint; accepted tickets per second and
//! the 50th and 95th percentile of the answer time, median of 3 runs, into BENCHMARKS.md.
//! A run that loses or doubles a ticket fails the benchmark.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Result};
use fixpath_e2e::postgres::Postgres;
use fixpath_e2e::relay_load::{self, Report, Sink};
use fixpath_e2e::relay_process::{Relay, SECRET};

use crate::bench::write_section;
use crate::{cargo, run, setup, target_dir};

const TICKETS: usize = 5_000;
const CONCURRENCY: usize = 64;
const RUNS: usize = 3;

pub fn relay(root: &Path) -> Result<()> {
    run(cargo(root).args(["build", "-q", "--release", "-p", "fixpath-indexer"]))?;
    // The load harness starts `fixpath relay` and Postgres from these.
    std::env::set_var(
        "FIXPATH_BIN",
        target_dir(root).join("release").join("fixpath"),
    );
    std::env::set_var("PG_BIN", setup::ensure_postgres()?);
    let runtime = tokio::runtime::Runtime::new()?;
    let (sqlite, postgres) = runtime.block_on(async {
        let server = Postgres::start().await?;
        let mut sqlite = Vec::new();
        let mut postgres = Vec::new();
        for n in 1..=RUNS {
            println!("== run {n} of {RUNS}: {TICKETS} tickets at concurrency {CONCURRENCY}, SQLite then Postgres");
            sqlite.push(one_run("").await?);
            let url = server.database()?;
            let store = "[store]\npostgres_url_env = \"RELAY_DATABASE_URL\"";
            postgres.push(one_run_with(store, &[("RELAY_DATABASE_URL", &url)]).await?);
        }
        anyhow::Ok((sqlite, postgres))
    })?;
    let mut s = format!(
        "## Relay under load\n\n`cargo xtask bench relay`: `fixpath relay` (release) on loopback, {TICKETS} new tickets sent at\n\
         concurrency {CONCURRENCY}, each committed before the 202 and delivered to a webhook endpoint;\n\
         medians of {RUNS} runs on this 2-core machine. Every run: none lost, none delivered twice.\n\n\
         | store | accepted tickets/s | answer p50, ms | answer p95, ms | all delivered after, s |\n|---|---|---|---|---|\n"
    );
    for (name, reports) in [
        ("SQLite (WAL, synchronous=FULL)", &sqlite),
        ("Postgres 1 server, default settings", &postgres),
    ] {
        s.push_str(&format!(
            "| {name} | {:.0} | {:.1} | {:.1} | {:.1} |\n",
            median(reports, |r| r.accepted_per_second),
            median(reports, |r| r.p50_ms),
            median(reports, |r| r.p95_ms),
            median(reports, |r| r.delivered_after.as_secs_f64()),
        ));
    }
    write_section(&root.join("BENCHMARKS.md"), "relay", &s)?;
    print!("{s}");
    println!("wrote the relay section of BENCHMARKS.md");
    Ok(())
}

async fn one_run(store: &str) -> Result<Report> {
    one_run_with(store, &[]).await
}

async fn one_run_with(store: &str, env: &[(&str, &str)]) -> Result<Report> {
    let sink = Sink::default();
    let url = sink.start().await?;
    let dir = tempfile::tempdir()?;
    let mut env = env.to_vec();
    env.push(("SINK_SECRET", SECRET));
    let relay = Relay::start(dir.path(), &relay_load::config(&url, store), &env).await?;
    let report = relay_load::run(
        &relay,
        &sink,
        TICKETS,
        CONCURRENCY,
        Duration::from_secs(300),
    )
    .await?;
    if report.lost > 0 || report.duplicates > 0 {
        bail!(
            "{} tickets lost, {} delivered twice",
            report.lost,
            report.duplicates
        );
    }
    println!(
        "   {:.0} accepted/s, p50 {:.1} ms, p95 {:.1} ms, all delivered after {:.1} s",
        report.accepted_per_second,
        report.p50_ms,
        report.p95_ms,
        report.delivered_after.as_secs_f64()
    );
    Ok(report)
}

fn median(reports: &[Report], figure: impl Fn(&Report) -> f64) -> f64 {
    let mut values: Vec<f64> = reports.iter().map(figure).collect();
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
