//! A broken bundle never strands the customer: when the index is garbage (here, the HTML
//! page a misconfigured server returns), or the bundle comes from another `fixpath`
//! version, search says it is unavailable and why, and the contact form still delivers
//! exactly one ticket, where the kb's config says.

use anyhow::{Context, Result};
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::{dist_dir, Harness};

/// A copy of the demo bundle.
fn copy_bundle() -> Result<tempfile::TempDir> {
    let source = dist_dir()?.join("kb");
    let copy = tempfile::tempdir()?;
    for entry in std::fs::read_dir(&source)? {
        let path = entry?.path();
        if path.is_dir() {
            continue; // the other languages' bundles
        }
        std::fs::copy(
            &path,
            copy.path().join(path.file_name().context("file name")?),
        )?;
    }
    Ok(copy)
}

/// A copy of the demo bundle whose index file is an HTML error page.
fn corrupt_bundle() -> Result<tempfile::TempDir> {
    let copy = copy_bundle()?;
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(copy.path().join("manifest.json"))?)?;
    let index = manifest["index_file"]
        .as_str()
        .context("manifest names its index")?;
    std::fs::write(
        copy.path().join(index),
        "<!doctype html><title>404 Not Found</title>",
    )?;
    Ok(copy)
}

/// A copy of the demo bundle as a future `fixpath` might write it: another format, a
/// manifest with fields this widget has never seen.
fn future_bundle() -> Result<tempfile::TempDir> {
    let copy = copy_bundle()?;
    let path = copy.path().join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&path)?)?;
    manifest["format_version"] = 99.into();
    manifest["engine_version"] = "9.9.9".into();
    manifest["index_files"] = serde_json::json!(["index-0.12345678.bin"]);
    std::fs::write(&path, serde_json::to_vec(&manifest)?)?;
    Ok(copy)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_index_still_leaves_a_working_contact_form() -> Result<()> {
    let bundle = corrupt_bundle()?;
    Harness::run(
        Some(bundle.path().to_path_buf()),
        async |harness: &Harness| journey(harness, "not a Fixpath bundle").await,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_of_another_version_is_named_and_the_contact_form_still_works() -> Result<()> {
    let bundle = future_bundle()?;
    Harness::run(
        Some(bundle.path().to_path_buf()),
        async |harness: &Harness| {
            journey(
                harness,
                "written by fixpath 9.9.9, bundle format 99, and this widget",
            )
            .await
        },
    )
    .await
}

async fn journey(harness: &Harness, reason: &str) -> Result<()> {
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    let status = page
        .wait_text("search-status", "Search is unavailable right now")
        .await?;
    page.check_accessibility("search unavailable").await?;
    assert!(status.contains(reason), "the reason is shown: {status}");
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
    let reference = page.text("reference").await?;

    let tickets = harness.tickets()?;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].id, reference);
    assert_eq!(tickets[0].what_happened, "The help search is broken");
    Ok(())
}
