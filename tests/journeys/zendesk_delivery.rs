//! With `delivery.kind = "zendesk"`, the widget files the ticket through Zendesk's anonymous
//! Requests API shape: requester, subject with the reference, the formatted ticket as the
//! comment, priority from triage, and tags that let agents spot a retry.

use anyhow::Result;
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::{fixture_bundle, Harness};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zendesk_kb_files_a_requests_api_request() -> Result<()> {
    Harness::run(Some(fixture_bundle("zendesk")?), journey).await
}

async fn journey(harness: &Harness) -> Result<()> {
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.click("contact").await?;
    page.fill(&[
        ("trying_to_do", "Pay the March invoice"),
        ("what_happened", "The VAT number is wrong"),
        ("name", "Hedy Lamarr"),
        ("email", "hedy@example.com"),
    ])
    .await?;
    page.select("impact", "customers").await?;
    page.select("urgency", "blocked").await?;
    page.click("submit").await?;
    let reference = page.text("reference").await?;
    page.wait_text("sent", &reference).await?;
    page.check_accessibility("sent to Zendesk").await?;

    let requests = harness.zendesk.lock().unwrap().clone();
    assert_eq!(requests.len(), 1, "one request filed");
    let request = &requests[0]["request"];
    assert_eq!(request["requester"]["email"], "hedy@example.com");
    assert_eq!(
        request["subject"],
        format!("[{reference}] Pay the March invoice").as_str()
    );
    assert_eq!(request["priority"], "urgent");
    let tag = format!("fixpath-{}", reference.to_lowercase());
    assert!(
        request["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == tag.as_str()),
        "{request}"
    );
    assert!(request["comment"]["body"]
        .as_str()
        .unwrap()
        .contains("What happened: The VAT number is wrong"));
    assert!(
        harness.tickets()?.is_empty(),
        "nothing went to the webhook receiver"
    );
    Ok(())
}
