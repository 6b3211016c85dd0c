//! A failed send loses nothing and is never doubled: the receiver fails twice, the widget
//! says so, offers email as the last resort, keeps the ticket and retries with backoff, and
//! exactly one ticket is stored.

use anyhow::Result;
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::Harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_errors_then_success_store_exactly_one_ticket() -> Result<()> {
    Harness::run(None, journey).await
}

async fn journey(harness: &Harness) -> Result<()> {
    harness.faults.fail_next(2);
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.click("contact").await?;
    page.fill(&[
        ("trying_to_do", "Upload the data room index"),
        ("what_happened", "Upload fails with E-UP-504"),
        ("name", "Dorothy Vaughan"),
        ("email", "dorothy@example.com"),
    ])
    .await?;
    page.click("submit").await?;

    let note = page
        .wait_text("sending-note", "couldn't reach support")
        .await?;
    assert!(note.contains("saved on this device"), "{note}");
    let email = page
        .get("email-fallback")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    assert!(
        email.starts_with("mailto:support@dealroom.example?subject=Support%20ticket%20FX-"),
        "{email}"
    );
    assert!(
        email.contains("Upload%20fails%20with%20E-UP-504"),
        "the ticket text is in the body: {email}"
    );
    let reference = page.text("reference").await?;
    page.check_accessibility("retrying, with the email link")
        .await?;
    page.wait_text("sent", &reference).await?;

    let tickets = harness.tickets()?;
    assert_eq!(tickets.len(), 1, "stored exactly once");
    assert_eq!(tickets[0].id, reference);
    assert_eq!(
        harness.faults.received(),
        3,
        "two failed attempts, one success, nothing more"
    );
    Ok(())
}
