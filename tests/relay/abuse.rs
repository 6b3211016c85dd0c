//! A public endpoint's defences, each refusal a JSON body with a stable code and the
//! right status: an origin not on the list, the honeypot, a form
//! sent too fast or not from the widget, a missing key, a body that is not a ticket or is
//! too large, a file type not accepted, and the per-address rate limit (a repeat of a kept
//! ticket is not counted).

use anyhow::Result;
use fixpath_e2e::relay_process::{http, ticket, Relay};
use fixpath_engine::ticket_fields::Attachment;
use fixpath_engine::triage::Severity;
use serde_json::Value;

const SITE: &str = "https://help.acme.example";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abuse_is_refused_in_words_and_people_get_through() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let config = format!(
        r#"
[limits]
allowed_origins = ["{SITE}"]
per_ip = {{ tickets = 3, per_hours = 12 }}
min_fill_seconds = 3
max_body_bytes = 20000
"#
    );
    let relay = Relay::start(dir.path(), &config, &[]).await?;
    let http = http()?;
    let refused = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string());
        let body: Value = response.json().await.expect("a JSON refusal");
        (
            status,
            body["code"].as_str().unwrap_or("").to_string(),
            retry_after,
            body,
        )
    };

    // Any page may ask (so a refused one can read why); the site's gets its yes.
    let preflight = http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/v1/tickets", relay.url),
        )
        .header("origin", SITE)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,idempotency-key,fixpath-fill-ms",
        )
        .send()
        .await?;
    assert_eq!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap()),
        Some(SITE)
    );

    let t = ticket(1, Severity::Minor);
    let (status, code, ..) = refused(
        relay
            .post(&http, &t, "10000")
            .header("origin", "https://evil.example")
            .send()
            .await?,
    )
    .await;
    assert_eq!((status, code.as_str()), (403, "origin_not_allowed"));
    let (status, code, ..) = refused(
        relay
            .post(&http, &t, "10000")
            .header("fixpath-trap", "buy now")
            .send()
            .await?,
    )
    .await;
    assert_eq!((status, code.as_str()), (422, "looks_automated"));
    let (status, code, ..) = refused(relay.post(&http, &t, "900").send().await?).await;
    assert_eq!((status, code.as_str()), (422, "looks_automated"));
    let bare = http
        .post(format!("{}/v1/tickets", relay.url))
        .header("content-type", "application/json")
        .header("fixpath-fill-ms", "10000")
        .body(serde_json::to_string(&t)?);
    let (status, code, ..) = refused(bare.send().await?).await;
    assert_eq!((status, code.as_str()), (400, "idempotency_key_missing"));
    let (status, code, ..) = refused(
        relay
            .post(&http, &t, "10000")
            .body("{\"id\": 5}")
            .send()
            .await?,
    )
    .await;
    assert_eq!((status, code.as_str()), (400, "not_a_ticket"));
    let mut big = ticket(2, Severity::Minor);
    big.what_happened = "x".repeat(25_000);
    let (status, code, ..) = refused(relay.post(&http, &big, "10000").send().await?).await;
    assert_eq!((status, code.as_str()), (413, "too_large"));
    let mut exe = ticket(3, Severity::Minor);
    exe.attachments = vec![Attachment {
        name: "setup.exe".into(),
        content_type: "application/x-msdownload".into(),
        size: 3,
        data_base64: "TVqQ".into(),
    }];
    let (status, code, _, body) = refused(relay.post(&http, &exe, "10000").send().await?).await;
    assert_eq!((status, code.as_str()), (422, "invalid_ticket"));
    assert_eq!(body["fields"][0]["field"], "attachments");
    let mut invalid = ticket(4, Severity::Minor);
    invalid.email = "not an address".into();
    let (status, code, _, body) = refused(relay.post(&http, &invalid, "10000").send().await?).await;
    assert_eq!(
        (status, code.as_str(), body["fields"][0]["field"].as_str()),
        (422, "invalid_ticket", Some("email"))
    );

    // People get through: three new tickets from one address, a repeat free, then a wait.
    for n in 10..13 {
        let (status, body) = relay.send(&http, &ticket(n, Severity::Minor)).await?;
        assert_eq!(status, 202, "{body}");
    }
    let (status, _) = relay.send(&http, &ticket(10, Severity::Minor)).await?;
    assert_eq!(
        status, 202,
        "the widget retrying a kept ticket is not limited"
    );
    let (status, code, retry_after, body) = refused(
        relay
            .post(&http, &ticket(13, Severity::Minor), "10000")
            .send()
            .await?,
    )
    .await;
    assert_eq!((status, code.as_str()), (429, "rate_limited"));
    assert_eq!(
        retry_after.as_deref(),
        Some("14400"),
        "one ticket every 4 h: {body}"
    );
    assert_eq!(body["retry_after_seconds"], 14400);

    let metrics = relay.get(&http, "/metrics").await?;
    for reason in [
        "origin_not_allowed",
        "looks_automated",
        "idempotency_key_missing",
        "not_a_ticket",
        "too_large",
        "invalid_ticket",
        "rate_limited",
    ] {
        assert!(
            metrics.contains(&format!(
                "fixpath_relay_tickets_rejected_total{{reason=\"{reason}\"}}"
            )),
            "{reason} counted:\n{metrics}"
        );
    }
    assert!(
        metrics
            .lines()
            .any(|l| l == "fixpath_relay_tickets_accepted_total 3"),
        "{metrics}"
    );
    Ok(())
}
