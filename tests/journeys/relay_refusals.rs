//! What the customer reads when the relay says no. Over its rate limit, the ticket stays on
//! their device and they are told when it will go (it goes once the limit allows: here,
//! after a second); a page on a site the relay does not serve gets the ticket back on the
//! form with the reason and the email route. Both in the customer's words, never a status.

use anyhow::Result;
use fantoccini::Client;
use fixpath_e2e::relay_process::{HelpPageWithRelay, Relay};
use fixpath_e2e::start_browser;
use fixpath_e2e::widget_page::WidgetPage;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_says_why_the_relay_refused_and_keeps_the_ticket() -> Result<()> {
    let (port, site) = HelpPageWithRelay::reserve()?;
    let relay_dir = tempfile::tempdir()?;
    // One new ticket per 8 s from an address (the second page load and form fill must fit
    // in it on a slow machine; the retry still lands well within the wait); a second page
    // origin is not served.
    let relay = Relay::start(
        relay_dir.path(),
        &format!(
            "[limits]\nallowed_origins = [\"{site}\"]\nmin_fill_seconds = 0\nper_ip = {{ tickets = 1, per_hours = 0.002222 }}\n"
        ),
        &[],
    )
    .await?;
    let page = HelpPageWithRelay::start(port, &relay.url).await?;
    let (other_port, _) = HelpPageWithRelay::reserve()?;
    let other = HelpPageWithRelay::start(other_port, &relay.url).await?;
    let (mut driver, client) = start_browser().await?;
    let result = journey(&client, &page.site, &other.site).await;
    let _ = client.close().await;
    let _ = driver.kill();
    result
}

async fn send_one(page: &WidgetPage<'_>, what: &str) -> Result<()> {
    page.click("contact").await?;
    page.fill(&[
        ("trying_to_do", "Export the audit log"),
        ("what_happened", what),
        ("name", "Grace Hopper"),
        ("email", "grace@example.com"),
    ])
    .await?;
    page.click("submit").await
}

async fn journey(client: &Client, site: &str, other_site: &str) -> Result<()> {
    let page = WidgetPage::open(client, &format!("{site}/")).await?;
    send_one(&page, "First problem").await?;
    page.wait_text("sent", "reference").await?;

    let page = WidgetPage::open(client, &format!("{site}/")).await?;
    send_one(&page, "Second problem").await?;
    let note = page
        .wait_text(
            "sending-note",
            "Too many tickets were sent from your network just now",
        )
        .await?;
    assert!(note.contains("saved on this device"), "{note}");
    // The widget retries on its own and gets through once the bucket has a token.
    page.wait_text("sent", "reference").await?;
    page.check_page_accessibility("sent after a rate limit")
        .await?;

    let other = WidgetPage::open(client, &format!("{other_site}/")).await?;
    send_one(&other, "From a site the relay does not serve").await?;
    let refused = other
        .wait_text(
            "send-error",
            "this page is not one support takes tickets from",
        )
        .await?;
    assert!(refused.contains("email"), "{refused}");
    let mailto = other
        .get("email-fallback")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    assert!(
        mailto.starts_with("mailto:support@dealroom.example?subject=Support%20ticket%20FX-"),
        "{mailto}"
    );
    assert_eq!(
        other.value("what_happened").await?,
        "From a site the relay does not serve",
        "the ticket is back on the form, nothing lost"
    );
    other.check_page_accessibility("refused by origin").await?;
    Ok(())
}
