//! Insights reach the relay as counts: with `[insights]` on, batches from the widget are
//! checked and added to their day's tally in the store (never kept as they came); a relay
//! without it answers 404; a flood of batches is refused without costing a ticket.

use anyhow::Result;
use fixpath_e2e::relay_process::{http, ticket, Relay};
use fixpath_engine::insights::{day_of, Batch, Insight, SearchedFor};
use fixpath_engine::triage::Severity;
use fixpath_relay::queue::{Queue, SqliteQueue};

const SITE: &str = "https://help.acme.example";

fn batch(page: &str) -> Batch {
    Batch {
        page: page.into(),
        insights: vec![
            Insight::Search {
                query: SearchedFor::Terms(vec!["offlin".into(), "printer".into()]),
                results: 2,
            },
            Insight::Opened {
                article: "printing/offline.md".into(),
                position: Some(1),
            },
            Insight::Resolved {
                article: "printing/offline.md".into(),
            },
        ],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_become_counts_and_a_flood_costs_no_ticket() -> Result<()> {
    let http = http()?;
    let send = |relay: &Relay, body: String| {
        http.post(format!("{}/v1/events", relay.url))
            // What sendBeacon sends with a string body: no preflight.
            .header("content-type", "text/plain;charset=UTF-8")
            .header("origin", SITE)
            .body(body)
            .send()
    };

    let off = tempfile::tempdir()?;
    let relay = Relay::start(off.path(), "", &[]).await?;
    let answer = send(&relay, serde_json::to_string(&batch("0123456789abcdef"))?).await?;
    assert_eq!(answer.status(), 404, "off unless turned on");
    drop(relay);

    let dir = tempfile::tempdir()?;
    let config = format!(
        r#"
[limits]
allowed_origins = ["{SITE}"]
[insights]
enabled = true
per_ip = {{ batches = 4, per_hours = 1 }}
"#
    );
    let relay = Relay::start(dir.path(), &config, &[]).await?;
    for page in ["0123456789abcdef", "fedcba9876543210"] {
        let answer = send(&relay, serde_json::to_string(&batch(page))?).await?;
        assert_eq!(answer.status(), 204);
    }
    let mut nameless = batch("0123456789abcdef");
    nameless.page = "me".into();
    let answer = send(&relay, serde_json::to_string(&nameless)?).await?;
    assert_eq!(answer.status(), 400);
    assert!(answer.text().await?.contains("page id"));
    let answer = http
        .post(format!("{}/v1/events", relay.url))
        .header("origin", "https://evil.example")
        .body(serde_json::to_string(&batch("0123456789abcdef"))?)
        .send()
        .await?;
    assert_eq!(answer.status(), 403);

    // The fourth batch from this address is the last this hour; a ticket still goes in.
    let answer = send(&relay, "{}".into()).await?;
    assert_eq!(answer.status(), 400, "not a batch");
    let answer = send(&relay, serde_json::to_string(&batch("0123456789abcdef"))?).await?;
    assert_eq!(answer.status(), 429);
    let (status, body) = relay.send(&http, &ticket(1, Severity::Minor)).await?;
    assert_eq!(status, 202, "{body}");

    // What the store keeps: counts for today, from the two pages.
    let queue = Queue::Sqlite(SqliteQueue::open(&dir.path().join("relay.db"))?);
    let today = day_of(fixpath_relay::worker::now_ms());
    let days = queue.insight_days(&today, &today).await?;
    assert_eq!(days.len(), 1, "{days:?}");
    let tally = &days[0].1;
    assert_eq!((tally.searches, tally.resolved), (2, 2));
    assert_eq!(tally.queries["offlin printer"].pages, 2);
    assert_eq!(tally.articles["printing/offline.md"].opened, 2);
    Ok(())
}
