//! The widget arrives in two pieces: search first, then guides and the form. When the
//! second cannot be fetched, search still works, the customer is told what happened in
//! words they can act on, and "Try again" fetches it once it is reachable again.

use anyhow::{Context, Result};
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::{widget_files, Harness};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_piece_that_cannot_be_fetched_is_said_and_tried_again() -> Result<()> {
    Harness::run(None, journey).await
}

async fn journey(harness: &Harness) -> Result<()> {
    let files = widget_files()?;
    let piece = files
        .pieces
        .first()
        .context("the widget is built in pieces")?;
    harness.block_urls(&[format!("*/{piece}")]).await?;
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;

    page.type_into("query", "password").await?;
    page.wait_text("search-status", "articles found").await?;
    assert!(
        !page.all("result").await?.is_empty(),
        "search needs no piece"
    );

    page.click("contact").await?;
    page.wait_text("piece-unavailable", "could not be loaded")
        .await?;
    page.wait_focus("piece-unavailable").await?;
    page.check_accessibility("a piece that could not be fetched")
        .await?;

    harness.block_urls(&[]).await?;
    page.click("piece-retry").await?;
    page.get("ticket-form").await?;
    page.fill(&[("trying_to_do", "Reset my password")]).await?;
    assert_eq!(page.value("trying_to_do").await?, "Reset my password");
    page.check_no_csp_violations().await?;
    Ok(())
}
