//! A broken bundle never strands the customer: when the index is garbage (here, the HTML
//! page a misconfigured server returns), search says it is unavailable and the contact
//! form still delivers exactly one ticket.

use anyhow::{Context, Result};
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::{dist_dir, Harness};

/// A copy of the demo bundle whose index file is an HTML error page.
fn corrupt_bundle() -> Result<tempfile::TempDir> {
    let source = dist_dir()?.join("kb");
    let copy = tempfile::tempdir()?;
    for entry in std::fs::read_dir(&source)? {
        let path = entry?.path();
        std::fs::copy(
            &path,
            copy.path().join(path.file_name().context("file name")?),
        )?;
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(source.join("manifest.json"))?)?;
    let index = manifest["index_file"]
        .as_str()
        .context("manifest names its index")?;
    std::fs::write(
        copy.path().join(index),
        "<!doctype html><title>404 Not Found</title>",
    )?;
    Ok(copy)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_index_still_leaves_a_working_contact_form() -> Result<()> {
    let bundle = corrupt_bundle()?;
    Harness::run(Some(bundle.path().to_path_buf()), journey).await
}

async fn journey(harness: &Harness) -> Result<()> {
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    let status = page
        .wait_text("search-status", "Search is unavailable right now")
        .await?;
    assert!(
        status.contains("not a Fixpath bundle"),
        "the reason is shown: {status}"
    );
    assert!(page.all("result").await?.is_empty());

    page.click("contact").await?;
    page.fill(&[
        ("trying_to_do", "Open the Acme deal room"),
        ("what_happened", "The help search is broken"),
        ("name", "Grace Hopper"),
        ("email", "grace@example.com"),
    ])
    .await?;
    page.click("submit").await?;
    let reference = page.get("reference").await?.text().await?;

    let tickets = harness.tickets()?;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].id, reference);
    assert_eq!(tickets[0].what_happened, "The help search is broken");
    Ok(())
}
