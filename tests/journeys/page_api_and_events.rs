//! The page can talk to the widget: `identify` and `prefill` fill the ticket, `reportError`
//! opens the guide for that error, and the funnel events (`fixpath:search`, `:open`,
//! `:step`, `:resolved`, `:escalate`, `:ticket`) reach listeners on the element.

use anyhow::Result;
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::Harness;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_api_fills_and_opens_and_events_follow_the_funnel() -> Result<()> {
    Harness::run(None, journey).await
}

/// Calls a method of the element (awaiting its promise).
async fn call(harness: &Harness, method: &str, argument: Value) -> Result<()> {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         document.querySelector('fixpath-widget').{method}(arguments[0]).then(() => done(null), e => done(String(e)));"
    );
    let outcome = harness
        .client
        .execute_async(&script, vec![argument])
        .await?;
    assert_eq!(outcome, Value::Null, "{method} failed");
    Ok(())
}

/// The detail of the first `name` event (null if there was none).
fn detail(events: &[(String, Value)], name: &str) -> Value {
    events
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, d)| d.clone())
        .unwrap_or_default()
}

/// Every fixpath:* event so far, as [name, detail].
async fn events(harness: &Harness) -> Result<Vec<(String, Value)>> {
    let list = harness
        .client
        .execute("return window.__fixpathEvents;", vec![])
        .await?;
    Ok(serde_json::from_value(list)?)
}

async fn journey(harness: &Harness) -> Result<()> {
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    harness
        .client
        .execute(
            "window.__fixpathEvents = [];
             for (const name of ['search', 'open', 'step', 'resolved', 'escalate', 'ticket']) {
               document.addEventListener('fixpath:' + name, e => window.__fixpathEvents.push([name, e.detail]));
             }",
            vec![],
        )
        .await?;

    call(
        harness,
        "identify",
        json!({ "name": "Frances Allen", "email": "frances@example.com" }),
    )
    .await?;
    call(
        harness,
        "prefill",
        json!({ "trying_to_do": "Upload the signed SPA", "unknown": 1 }),
    )
    .await?;
    call(
        harness,
        "reportError",
        json!({ "code": "E-UP-413", "message": "Payload Too Large" }),
    )
    .await?;
    page.wait_text("guide", "Upload fails with E-UP-413")
        .await?;
    page.check_accessibility("guide opened by reportError")
        .await?;

    page.click("didnt-help").await?;
    page.wait_text("progress", "Step 2 of 3").await?;
    page.click("contact").await?;
    page.get("ticket-form").await?;
    assert_eq!(page.value("name").await?, "Frances Allen");
    assert_eq!(page.value("email").await?, "frances@example.com");
    assert_eq!(page.value("trying_to_do").await?, "Upload the signed SPA");
    assert_eq!(
        page.value("error_message").await?,
        "E-UP-413 Payload Too Large"
    );
    page.click("submit").await?;
    let reference = page.text("reference").await?;
    page.wait_text("sent", &reference).await?;

    let events = events(harness).await?;
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    let search = detail(&events, "search");
    assert_eq!(
        search["query"], "E-UP-413 Payload Too Large",
        "events: {events:?}"
    );
    assert_eq!(
        search["results"][0],
        "uploads/upload-fails-file-too-large.md"
    );
    assert_eq!(
        detail(&events, "open"),
        json!({ "article": "uploads/upload-fails-file-too-large.md", "position": null }),
        "opened by the page, not from the results"
    );
    let step = detail(&events, "step");
    assert_eq!(
        step,
        json!({ "article": "uploads/upload-fails-file-too-large.md", "step": "Compress the file", "outcome": "didnt_help" })
    );
    let escalate = detail(&events, "escalate");
    assert_eq!(
        escalate,
        json!({ "article": "uploads/upload-fails-file-too-large.md", "steps_tried": 1 })
    );
    let ticket = detail(&events, "ticket");
    assert_eq!(ticket["reference"], reference.as_str());
    assert_eq!(ticket["severity"], "minor");
    let last_three: Vec<&str> = names.iter().rev().take(3).rev().copied().collect();
    assert_eq!(
        last_three,
        ["step", "escalate", "ticket"],
        "funnel order: {names:?}"
    );
    assert!(!names.contains(&"resolved"), "nothing was fixed");
    Ok(())
}
