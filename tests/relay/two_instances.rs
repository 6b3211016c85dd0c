//! Two relays on one Postgres share the work; one is killed mid-run. Every ticket reaches
//! the help desk, and the desk (which keeps the webhook ids it has seen, as the spec asks)
//! files each once: only a delivery in flight at the kill can arrive a second time.

use std::collections::BTreeSet;
use std::time::Duration;

use anyhow::Result;
use fixpath_e2e::postgres::Postgres;
use fixpath_e2e::relay_process::{http, ticket, Receiver, Relay, SECRET};
use fixpath_engine::triage::Severity;

const TICKETS: u64 = 60;
const CONCURRENCY: u32 = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_relays_on_postgres_deliver_everything_when_one_dies() -> Result<()> {
    let http = http()?;
    let postgres = Postgres::start().await?;
    let database = postgres.database()?;
    // The first deliveries stall, so the kill finds work in flight.
    let desk = Receiver::start_with(SECRET, 30, 0, 2).await?;
    let config = format!(
        r#"
[store]
postgres_url_env = "RELAY_DATABASE_URL"

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
    let env = [
        ("DESK_SECRET", SECRET),
        ("RELAY_DATABASE_URL", database.as_str()),
    ];
    let (dir_a, dir_b) = (tempfile::tempdir()?, tempfile::tempdir()?);
    let mut a = Relay::start(dir_a.path(), &config, &env).await?;
    let b = Relay::start(dir_b.path(), &config, &env).await?;
    let mut references = Vec::new();
    for n in 0..TICKETS {
        let t = ticket(n, Severity::Minor);
        let relay = if n % 2 == 0 { &a } else { &b };
        let (status, body) = relay.send(&http, &t).await?;
        assert_eq!(status, 202, "{body}");
        references.push(t.id);
    }
    loop {
        let received = desk.received(&http).await?;
        if received.hung == 2 && received.ids.len() >= 10 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    a.process.kill()?;
    let received = desk
        .wait_for(&http, &references, Duration::from_secs(60))
        .await?;
    let unique: BTreeSet<&String> = received.ids.iter().collect();
    assert_eq!(unique.len(), TICKETS as usize);
    let repeats = received.ids.len() - unique.len();
    assert!(
        repeats <= CONCURRENCY as usize,
        "{repeats} repeats: more than were in flight"
    );
    assert_eq!(received.bad_signatures, 0);
    for (name, relay) in [("a", &a), ("b", &b)] {
        assert!(
            relay.process.output().contains("delivered"),
            "relay {name} delivered nothing"
        );
    }
    // The desk has a ticket a moment before the relay records it delivered: the store
    // catches up once those last attempts are written.
    let delivered = format!("fixpath_relay_deliveries{{state=\"delivered\"}} {TICKETS}");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let metrics = b.get(&http, "/metrics").await?;
        if metrics.lines().any(|l| l == delivered) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{metrics}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}
