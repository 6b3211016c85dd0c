//! `kill -9` of the relay while it forwards, then a restart on the same store: every
//! accepted ticket is delivered, none lost. The help desk stalls on the first deliveries,
//! so the kill finds them in flight: they are delivered after the restart, once the dead
//! relay's lease on them runs out. Delivery is at least once; the webhook's id lets a
//! receiver tell a repeat.

use std::collections::BTreeSet;
use std::time::Duration;

use anyhow::Result;
use fixpath_e2e::relay_process::{http, ticket, Receiver, Relay, SECRET};
use fixpath_engine::triage::Severity;

const TICKETS: u64 = 40;
const CONCURRENCY: u32 = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_killed_mid_delivery_delivers_everything_after_a_restart() -> Result<()> {
    let http = http()?;
    let desk = Receiver::start_with(SECRET, 20, 0, CONCURRENCY).await?;
    let dir = tempfile::tempdir()?;
    let config = format!(
        r#"
[limits]
per_ip = {{ tickets = 1000, per_hours = 1 }}

[delivery]
concurrency = {CONCURRENCY}
timeout_seconds = 3

[[destination]]
name = "desk"
kind = "webhook"
url = "{}"
secret_env = "DESK_SECRET"
"#,
        desk.url
    );
    let env = [("DESK_SECRET", SECRET)];
    let mut relay = Relay::start(dir.path(), &config, &env).await?;
    let mut references = Vec::new();
    for n in 0..TICKETS {
        let t = ticket(n, Severity::Minor);
        let (status, body) = relay.send(&http, &t).await?;
        assert_eq!(status, 202, "{body}");
        references.push(t.id);
    }
    // Every worker slot is stuck on the stalling desk: kill now.
    while desk.received(&http).await?.hung < CONCURRENCY {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    relay.process.kill()?;
    assert!(
        desk.received(&http).await?.ids.is_empty(),
        "nothing went through before the kill"
    );

    let restarted = Relay::start(dir.path(), &config, &env).await?;
    // The killed relay's leases run out after 2 × 3 s + 5 s; then its four go too.
    let received = desk
        .wait_for(&http, &references, Duration::from_secs(60))
        .await?;
    let unique: BTreeSet<&String> = received.ids.iter().collect();
    assert_eq!(unique.len(), TICKETS as usize);
    assert_eq!(
        received.ids.len(),
        unique.len(),
        "the stalled deliveries never reached the desk, so none repeats"
    );
    assert_eq!(received.bad_signatures, 0);
    let metrics = restarted.get(&http, "/metrics").await?;
    assert!(
        metrics
            .lines()
            .any(|l| l == format!("fixpath_relay_deliveries{{state=\"delivered\"}} {TICKETS}")),
        "{metrics}"
    );
    Ok(())
}
