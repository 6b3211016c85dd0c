//! Out of office hours, a critical problem gets the 24/7 phone line (a `tel:` link) before
//! and after the ticket is sent, with its reference; a minor one does not, and neither does
//! a critical one while support is open. The clock is pinned with `?fixpath-clock=`.

use anyhow::Result;
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::Harness;

/// Saturday 23:00 in London (GMT): closed until Monday 08:00.
pub(crate) const SATURDAY_NIGHT: &str = "2026-11-28T23:00:00Z";
/// Monday 10:00 in London: open.
const MONDAY_MORNING: &str = "2026-11-30T10:00:00Z";
/// Saturday 23:00 UTC in summer is Sunday 00:00 in London (BST, UTC+1).
const SUMMER_SATURDAY_NIGHT: &str = "2026-07-04T23:00:00Z";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_line_is_offered_only_for_critical_problems_out_of_hours() -> Result<()> {
    Harness::run(None, journey).await
}

pub(crate) async fn open_form<'a>(harness: &'a Harness, clock: &str) -> Result<WidgetPage<'a>> {
    let url = format!("{}?fixpath-clock={clock}", harness.base_url);
    let page = WidgetPage::open(&harness.client, &url).await?;
    // An unsent draft from the previous visit comes back with its form already open.
    if page.all("ticket-form").await?.is_empty() {
        page.click("contact").await?;
    }
    page.get("ticket-form").await?;
    Ok(page)
}

pub(crate) async fn fill(page: &WidgetPage<'_>, impact: &str, urgency: &str) -> Result<()> {
    page.fill(&[
        ("trying_to_do", "Close the Acme deal"),
        ("what_happened", "Nobody can open the data room"),
        ("name", "Mary Jackson"),
        ("email", "mary@example.com"),
    ])
    .await?;
    page.select("impact", impact).await?;
    page.select("urgency", urgency).await?;
    Ok(())
}

async fn journey(harness: &Harness) -> Result<()> {
    // Critical, closed: the phone before and after submitting.
    let page = open_form(harness, SATURDAY_NIGHT).await?;
    // Times as this browser's locale (en-US) writes them.
    page.wait_text("hours", "Closed — reopens Mon 8:00 AM London time")
        .await?;
    fill(&page, "customers", "blocked").await?;
    page.wait_text("triage", "Critical (P1)").await?;
    page.check_accessibility("critical form out of hours")
        .await?;
    let phone = page.get("phone").await?;
    assert_eq!(
        phone
            .find(fantoccini::Locator::Css("a"))
            .await?
            .attr("href")
            .await?
            .as_deref(),
        Some("tel:+442079460000")
    );
    page.click("submit").await?;
    let reference = page.text("reference").await?;
    page.wait_text("sent", &reference).await?;
    page.wait_text("phone", &format!("quote your reference {reference}"))
        .await?;
    page.check_accessibility("critical confirmation with the phone line")
        .await?;

    // Minor, closed: no phone, before or after.
    let page = open_form(harness, SATURDAY_NIGHT).await?;
    fill(&page, "just_me", "can_wait").await?;
    page.wait_text("triage", "Minor (P5)").await?;
    assert!(
        page.all("phone").await?.is_empty(),
        "no phone for a minor problem"
    );
    page.click("submit").await?;
    let reference = page.text("reference").await?;
    page.wait_text("sent", &reference).await?;
    assert!(
        page.all("phone").await?.is_empty(),
        "no phone after sending a minor problem"
    );

    // Critical, open: the team answers; no phone.
    let page = open_form(harness, MONDAY_MORNING).await?;
    page.wait_text("hours", "Open now, until 6:00 PM London time")
        .await?;
    fill(&page, "customers", "blocked").await?;
    page.wait_text("triage", "Critical").await?;
    assert!(
        page.all("phone").await?.is_empty(),
        "no phone while support is open"
    );

    // Across daylight saving: London is an hour ahead of this browser (UTC) in July.
    let page = open_form(harness, SUMMER_SATURDAY_NIGHT).await?;
    page.wait_text(
        "hours",
        "Closed — reopens Mon 8:00 AM London time (your time Mon 7:00 AM)",
    )
    .await?;

    assert_eq!(harness.tickets()?.len(), 2);
    Ok(())
}
