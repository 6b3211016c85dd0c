//! A bounded load over loopback: 2,000 tickets at concurrency 64 into a relay on SQLite,
//! delivered to a webhook: every one accepted, none lost, none doubled. (`cargo xtask
//! bench relay` runs 5,000 on SQLite and on Postgres and records the figures.)

use std::time::Duration;

use anyhow::Result;
use fixpath_e2e::relay_load::{self, Sink};
use fixpath_e2e::relay_process::{Relay, SECRET};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_tickets_at_concurrency_64_none_lost_none_doubled() -> Result<()> {
    let sink = Sink::default();
    let url = sink.start().await?;
    let dir = tempfile::tempdir()?;
    let relay = Relay::start(
        dir.path(),
        &relay_load::config(&url, ""),
        &[("SINK_SECRET", SECRET)],
    )
    .await?;
    let report = relay_load::run(&relay, &sink, 2_000, 64, Duration::from_secs(120)).await?;
    assert_eq!((report.lost, report.duplicates), (0, 0));
    Ok(())
}
