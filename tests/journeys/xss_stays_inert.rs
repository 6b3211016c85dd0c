//! Kb content and customer input can never run script: a kb article full of payloads (in
//! title, summary, body, headings, links, SVG) and payloads typed into every form field all
//! stay inert text, and the ticket keeps the customer's text verbatim.

use anyhow::Result;
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::{fixture_bundle, Harness};

const PAYLOAD: &str =
    "<img src=x onerror=\"window.__xss='form'\"><script>window.__xss='form'</script>";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_in_kb_articles_and_form_fields_never_runs() -> Result<()> {
    Harness::run(Some(fixture_bundle("xss")?), journey).await
}

/// Whatever a payload set on `window`, or `null`.
async fn xss_marker(harness: &Harness) -> Result<serde_json::Value> {
    Ok(harness
        .client
        .execute(
            "return window.__xss === undefined ? null : window.__xss;",
            vec![],
        )
        .await?)
}

async fn journey(harness: &Harness) -> Result<()> {
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.type_into("query", "payment fails").await?;
    let title = page.wait_text("result", "Payment").await?;
    page.check_accessibility("results with hostile markup")
        .await?;
    assert!(
        title.contains("<img src=x"),
        "the title is shown as text, not markup: {title}"
    );

    page.click("result").await?;
    let step = page.text("step-title").await?;
    assert_eq!(step, "Check the card details");
    let html = page.get("step").await?.html(true).await?;
    for banned in [
        "onerror",
        "onclick",
        "onmouseover",
        "onload",
        "javascript:",
        "<script",
        "<iframe",
        "<style",
    ] {
        assert!(
            !html.contains(banned),
            "{banned} survived sanitizing: {html}"
        );
    }
    page.click("didnt-help").await?;
    page.click("didnt-help").await?;
    page.click("still-stuck").await?;

    for field in [
        "trying_to_do",
        "what_happened",
        "error_message",
        "steps_to_reproduce",
        "name",
    ] {
        page.type_into(field, PAYLOAD).await?;
    }
    page.type_into("email", "ada@example.com").await?;
    page.click("submit").await?;
    let reference = page.text("reference").await?;
    page.wait_text("sent", &reference).await?;
    page.check_accessibility("sent").await?;

    assert_eq!(
        xss_marker(harness).await?,
        serde_json::Value::Null,
        "a payload ran"
    );
    let tickets = harness.tickets()?;
    assert_eq!(tickets.len(), 1);
    assert!(
        tickets[0].error_message.ends_with(PAYLOAD),
        "kept verbatim: {}",
        tickets[0].error_message
    );
    assert_eq!(tickets[0].name, PAYLOAD);
    Ok(())
}
