//! The whole journey by keyboard alone, in launcher mode: Tab to the Help button, Enter opens
//! the panel with focus in the search box, each screen takes the focus, every control is
//! reachable by Tab, and Escape closes the panel and returns focus to the button.

use anyhow::Result;
use fixpath_e2e::widget_page::{WidgetPage, ENTER, ESCAPE};
use fixpath_e2e::Harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keyboard_alone_reaches_a_sent_ticket() -> Result<()> {
    Harness::run(None, journey).await
}

async fn journey(harness: &Harness) -> Result<()> {
    let page = WidgetPage::visit(
        &harness.client,
        &format!("{}launcher.html", harness.base_url),
    )
    .await?;
    page.get("launcher").await?;
    page.tab_to("launcher").await?;
    page.press(ENTER).await?;
    page.wait_focus("query").await?;
    page.check_accessibility("launcher panel").await?;

    page.type_here("upload fails E-UP-413").await?;
    page.wait_text("search-status", "articles found").await?;
    page.tab_to("result").await?;
    page.press(ENTER).await?;
    page.wait_focus("step-title").await?;
    for n in 1..=3 {
        page.wait_text("progress", &format!("Step {n} of 3"))
            .await?;
        page.tab_to("didnt-help").await?;
        page.press(ENTER).await?;
    }
    page.get("exhausted").await?;
    page.tab_to("still-stuck").await?;
    page.press(ENTER).await?;
    page.wait_focus("h3").await?;

    for (field, text) in [
        ("trying_to_do", "Upload the SPA"),
        ("name", "Annie Easley"),
        ("email", "annie@example.com"),
    ] {
        page.tab_to(field).await?;
        page.type_here(text).await?;
    }
    page.tab_to("submit").await?;
    page.press(ENTER).await?;
    let reference = page.text("reference").await?;
    page.wait_text("sent", &reference).await?;

    page.press(ESCAPE).await?;
    page.wait_focus("launcher").await?;
    let tickets = harness.tickets()?;
    assert_eq!(tickets.len(), 1);
    assert_eq!(
        (tickets[0].name.as_str(), tickets[0].steps_tried.len()),
        ("Annie Easley", 3)
    );
    page.check_no_csp_violations().await?;
    Ok(())
}
