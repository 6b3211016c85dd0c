//! Every help-desk adapter against a stand-in that checks that vendor's published request
//! shape and authentication (`fixpath_e2e::help_desks`): one critical ticket with a file
//! and one minor ticket, routed to every desk. Each desk loses its first answer, so each
//! adapter's retry must find the ticket it already made: one ticket per desk per ticket.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use base64::Engine;
use fixpath_e2e::help_desks::{self, Desks};
use fixpath_e2e::relay_process::{http, ticket, Relay};
use fixpath_engine::ticket_fields::Attachment;
use fixpath_engine::triage::{Priority, Severity};

const VENDORS: [&str; 6] = [
    "zendesk",
    "freshdesk",
    "jira",
    "zammad",
    "github",
    "helpscout",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_help_desk_gets_one_well_formed_ticket_even_when_an_answer_is_lost() -> Result<()> {
    let desks = Arc::new(Mutex::new(Desks {
        lose_first_answer: true,
        ..Desks::default()
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let desks_router = help_desks::router(desks.clone());
    tokio::spawn(async move { axum::serve(listener, desks_router).await });

    let config = format!(
        r#"
[delivery]
first_retry_seconds = 1

[[destination]]
name = "zendesk"
kind = "zendesk"
url = "{base}/zendesk"
email = "agent@acme.example"
token_env = "ZENDESK_TOKEN"

[[destination]]
name = "freshdesk"
kind = "freshdesk"
url = "{base}/freshdesk"
api_key_env = "FRESHDESK_KEY"
reference_field = "cf_fixpath_reference"

[[destination]]
name = "jira"
kind = "jira"
url = "{base}/jira"
email = "bot@acme.example"
token_env = "JIRA_TOKEN"
service_desk_id = "4"
request_type_id = "17"

[[destination]]
name = "zammad"
kind = "zammad"
url = "{base}/zammad"
token_env = "ZAMMAD_TOKEN"

[[destination]]
name = "github"
kind = "github"
repo = "acme/support"
api_url = "{base}/github"
token_env = "GITHUB_TOKEN"

[[destination]]
name = "helpscout"
kind = "helpscout"
mailbox_id = 123
api_url = "{base}/helpscout"
app_id_env = "HELPSCOUT_APP_ID"
app_secret_env = "HELPSCOUT_APP_SECRET"
"#
    );
    let dir = tempfile::tempdir()?;
    let relay = Relay::start(
        dir.path(),
        &config,
        &[
            ("ZENDESK_TOKEN", help_desks::ZENDESK_AUTH.1),
            ("FRESHDESK_KEY", help_desks::FRESHDESK_KEY),
            ("JIRA_TOKEN", help_desks::JIRA_AUTH.1),
            ("ZAMMAD_TOKEN", help_desks::ZAMMAD_TOKEN),
            ("GITHUB_TOKEN", help_desks::GITHUB_TOKEN),
            ("HELPSCOUT_APP_ID", help_desks::HELPSCOUT_APP.0),
            ("HELPSCOUT_APP_SECRET", help_desks::HELPSCOUT_APP.1),
        ],
    )
    .await?;

    let png = b"\x89PNG\r\n\x1a\nnot really a picture".to_vec();
    let mut critical = ticket(1, Severity::Critical);
    critical.priority = Some(Priority::P1);
    critical.error_message = "E-SIG-409: <signature> & \"seal\" mismatch".into();
    critical.attachments = vec![Attachment {
        name: "screen.png".into(),
        content_type: "image/png".into(),
        size: png.len() as u64,
        data_base64: base64::engine::general_purpose::STANDARD.encode(&png),
    }];
    let mut minor = ticket(2, Severity::Minor);
    minor.priority = Some(Priority::P4);
    let http = http()?;
    for t in [&critical, &minor] {
        let (status, body) = relay.send(&http, t).await?;
        assert_eq!(status, 202, "{body}");
    }

    // Every desk: both tickets, the first answer lost and retried.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let metrics = relay.get(&http, "/metrics").await?;
        if metrics
            .lines()
            .any(|l| l == "fixpath_relay_deliveries{state=\"delivered\"} 12")
        {
            break;
        }
        if Instant::now() > deadline {
            bail!(
                "not every delivery went through:\n{metrics}\n{}",
                relay.process.output()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let d = desks.lock().unwrap();
    assert!(
        d.violations.is_empty(),
        "requests broke the vendors' rules: {:#?}",
        d.violations
    );
    assert_eq!(d.lost_answers.len(), VENDORS.len());
    for vendor in VENDORS {
        let made = &d.created[vendor];
        assert_eq!(
            made.len(),
            2,
            "{vendor} made {} tickets: {made:#?}",
            made.len()
        );
    }
    // Deliveries run side by side: find each ticket by its reference, not its place.
    let made_for = |vendor: &str, reference: &str| {
        d.created[vendor]
            .iter()
            .find(|item| item.to_string().contains(reference))
            .cloned()
            .unwrap_or_else(|| panic!("{vendor} has nothing for {reference}"))
    };
    let first = |vendor: &str| made_for(vendor, &critical.id);
    let second = |vendor: &str| made_for(vendor, &minor.id);

    // Priorities in each desk's own terms (P1 critical, then P4 minor).
    assert_eq!(
        (
            first("zendesk")["priority"].clone(),
            second("zendesk")["priority"].clone()
        ),
        ("urgent".into(), "low".into())
    );
    assert_eq!(
        (
            first("freshdesk")["priority"].as_u64(),
            second("freshdesk")["priority"].as_u64()
        ),
        (Some(4), Some(1))
    );
    assert_eq!(
        first("jira")["requestFieldValues"]["priority"]["name"],
        "Highest"
    );
    assert_eq!(
        second("jira")["requestFieldValues"]["priority"]["name"],
        "Low"
    );
    assert_eq!(
        (
            first("zammad")["priority_id"].as_u64(),
            second("zammad")["priority_id"].as_u64()
        ),
        (Some(3), Some(1))
    );
    let labels: Vec<String> = first("github")["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(labels, ["fixpath", "critical", "urgent"]);
    assert_eq!(
        first("helpscout")["tags"],
        serde_json::json!(["fixpath", "critical"])
    );

    // The file, byte for byte, where the API takes files.
    let (name, bytes) = d.uploads.values().next().expect("a Zendesk upload");
    assert_eq!((name.as_str(), bytes), ("screen.png", &png));
    let encoded = base64::engine::general_purpose::STANDARD.encode(&png);
    assert_eq!(
        first("zammad")["article"]["attachments"][0]["data"],
        encoded.as_str()
    );
    assert_eq!(
        first("helpscout")["threads"][0]["attachments"][0]["data"],
        encoded.as_str()
    );

    // A readable body with the exact error, escaped; the reference everywhere.
    let html = first("zendesk")["comment"]["html_body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        html.contains("E-SIG-409: &lt;signature&gt; &amp; &quot;seal&quot; mismatch"),
        "{html}"
    );
    assert!(html.contains("Upload contract 1") && html.contains("Ada Lovelace"));
    assert!(first("jira")["requestFieldValues"]["description"]
        .as_str()
        .unwrap()
        .contains("Error: E-SIG-409: <signature>"));
    for vendor in ["zendesk", "freshdesk", "zammad", "helpscout"] {
        let item = first(vendor);
        let subject = item
            .get("subject")
            .or(item.get("title"))
            .unwrap()
            .as_str()
            .unwrap();
        assert!(
            subject.starts_with(&format!("[{}]", critical.id)),
            "{vendor}: {subject}"
        );
    }
    assert_eq!(
        first("freshdesk")["custom_fields"]["cf_fixpath_reference"],
        critical.id.as_str()
    );
    // GitHub issues may be public: no email there.
    let issue = first("github")["body"].as_str().unwrap().to_string();
    assert!(
        issue.contains("E-SIG-409") && !issue.contains("ada@example.com"),
        "{issue}"
    );
    Ok(())
}
