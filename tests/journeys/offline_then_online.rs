//! A ticket sent while the connection is down is kept, and delivered once the browser is back
//! online — exactly once: the attempts made while offline never reached the receiver.

use anyhow::Result;
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::Harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_sent_offline_is_delivered_once_back_online() -> Result<()> {
    Harness::run(None, journey).await
}

async fn journey(harness: &Harness) -> Result<()> {
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.click("contact").await?;
    page.fill(&[
        ("trying_to_do", "Send the closing set"),
        ("what_happened", "The train went into a tunnel"),
        ("name", "Evelyn Boyd Granville"),
        ("email", "evelyn@example.com"),
    ])
    .await?;

    harness.set_offline(true).await?;
    page.click("submit").await?;
    page.wait_text("sending-note", "couldn't reach support")
        .await?;
    page.check_accessibility("sending while offline").await?;
    let reference = page.text("reference").await?;
    assert!(harness.tickets()?.is_empty());
    assert_eq!(
        harness.faults.received(),
        0,
        "nothing reached the receiver while offline"
    );

    harness.set_offline(false).await?;
    page.wait_text("sent", &reference).await?;
    let tickets = harness.tickets()?;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].id, reference);
    assert_eq!(
        harness.faults.received(),
        1,
        "delivered with one request, once back online"
    );
    Ok(())
}
