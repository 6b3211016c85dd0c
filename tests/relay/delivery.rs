//! Tickets reach the webhooks their severity routes them to, signed so the reference
//! library verifies them, through a rotation of the secret and a help desk that is down
//! at first; a repeated send is answered as the first and delivered once.

use std::time::Duration;

use anyhow::Result;
use fixpath_e2e::relay_process::{http, ticket, Receiver, Relay, NEW_SECRET, SECRET};
use fixpath_engine::triage::Severity;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_arrive_signed_where_routed_once_each_through_outages() -> Result<()> {
    let http = http()?;
    // The pager verifies with the old secret only, the desk with the new one only: during
    // a rotation the relay signs with both.
    let pager = Receiver::start(SECRET, 0, 0).await?;
    let desk = Receiver::start(NEW_SECRET, 0, 2).await?;
    let dir = tempfile::tempdir()?;
    let config = format!(
        r#"
[delivery]
first_retry_seconds = 1

[[destination]]
name = "pager"
kind = "webhook"
url = "{}"
secret_env = "PAGER_SECRET"

[[destination]]
name = "desk"
kind = "webhook"
url = "{}"
secret_env = "DESK_SECRET"

[[route]]
severity = "critical"
to = ["pager", "desk"]

[[route]]
to = ["desk"]
"#,
        pager.url, desk.url
    );
    let rotation = format!("{NEW_SECRET} {SECRET}");
    let relay = Relay::start(
        dir.path(),
        &config,
        &[("PAGER_SECRET", &rotation), ("DESK_SECRET", &rotation)],
    )
    .await?;

    let critical = ticket(1, Severity::Critical);
    let minor = ticket(2, Severity::Minor);
    for t in [&critical, &minor] {
        let (status, body) = relay.send(&http, t).await?;
        assert_eq!(status, 202, "{body}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&body)?["reference"],
            t.id.as_str()
        );
    }
    // The widget retrying after a lost answer: answered as the first time.
    let (status, body) = relay.send(&http, &critical).await?;
    assert_eq!((status, body.contains(&critical.id)), (202, true), "{body}");

    let both = [critical.id.clone(), minor.id.clone()];
    let at_desk = desk.wait_for(&http, &both, Duration::from_secs(30)).await?;
    let at_pager = pager
        .wait_for(&http, &both[..1], Duration::from_secs(30))
        .await?;
    assert_eq!(at_desk.failed, 2, "the desk was down for two requests");
    assert_eq!((at_desk.bad_signatures, at_pager.bad_signatures), (0, 0));
    assert_eq!(at_pager.ids, both[..1], "minor tickets do not page");
    let mut desk_ids = at_desk.ids.clone();
    desk_ids.sort();
    let mut expected = both.to_vec();
    expected.sort();
    assert_eq!(desk_ids, expected, "each ticket once");

    let event = &at_pager.tickets[&critical.id];
    assert_eq!(event["type"], "ticket.created");
    assert_eq!(
        event["data"],
        serde_json::to_value(&critical)?,
        "the ticket as the widget sent it"
    );

    let metrics = relay.get(&http, "/metrics").await?;
    for line in [
        "fixpath_relay_tickets_accepted_total 2",
        "fixpath_relay_delivery_attempts_total{destination=\"desk\",outcome=\"retry\"} 2",
        "fixpath_relay_delivery_attempts_total{destination=\"desk\",outcome=\"delivered\"} 2",
        "fixpath_relay_deliveries{state=\"delivered\"} 3",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} in\n{metrics}");
    }
    assert_eq!(relay.get(&http, "/readyz").await?, "ready\n");
    // The log names tickets by reference only.
    let log = relay.process.output();
    assert!(
        log.contains(&critical.id) && !log.contains("ada@example.com") && !log.contains("whsec_"),
        "{log}"
    );
    Ok(())
}
