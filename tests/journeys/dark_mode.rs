//! Dark mode: with the system in dark mode the widget switches colours, and every screen
//! still passes axe-core (contrast included) — the other journeys check light mode —
//! including the 24/7 phone link a critical problem gets out of hours, on the form and on
//! the confirmation.

use anyhow::Result;
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::Harness;

use crate::critical_out_of_hours::{fill, open_form, SATURDAY_NIGHT};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dark_mode_screens_pass_axe() -> Result<()> {
    Harness::run(None, journey).await
}

/// The widget's computed background colour.
async fn background(harness: &Harness) -> Result<String> {
    let colour = harness
        .client
        .execute(
            "const panel = document.querySelector('fixpath-widget').shadowRoot.querySelector('.fp-root');
             return getComputedStyle(panel).backgroundColor;",
            vec![],
        )
        .await?;
    Ok(colour.as_str().unwrap_or_default().to_string())
}

async fn journey(harness: &Harness) -> Result<()> {
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.get("query").await?;
    let light = background(harness).await?;
    harness.set_dark_mode(true).await?;
    let dark = background(harness).await?;
    assert_ne!(light, dark, "the panel follows the system colour scheme");

    page.type_into("query", "the pdf won't open").await?;
    page.wait_text("search-status", "articles found").await?;
    page.check_accessibility("dark: results").await?;
    page.click("result").await?;
    page.get("choice").await?;
    page.check_accessibility("dark: question step").await?;
    page.click("contact").await?;
    page.click("submit").await?;
    page.wait_text("error-summary", "Please fix").await?;
    page.check_accessibility("dark: form with errors").await?;

    // Saturday night in London: closed, and this is critical.
    let page = open_form(harness, SATURDAY_NIGHT).await?;
    fill(&page, "customers", "blocked").await?;
    page.wait_text("triage", "Critical (P1)").await?;
    page.get("phone").await?;
    page.check_accessibility("dark: critical form out of hours")
        .await?;
    page.click("submit").await?;
    page.wait_text("sent", "reference").await?;
    page.get("phone").await?;
    page.check_accessibility("dark: critical confirmation out of hours")
        .await?;
    Ok(())
}
