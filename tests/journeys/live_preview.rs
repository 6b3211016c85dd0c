//! A docs writer's loop, as `cargo xtask demo --watch` runs it: save a new guide with a
//! branching question under the watched kb → the page reloads by itself and the guide is
//! there; save a broken article → no reload, the page keeps the last good bundle; fix it →
//! reloaded again.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::{repo_root, Harness};

const NEW_GUIDE: &str = "---\ntitle: Watermarks hide the text\nsymptoms: [\"watermark covers the page\"]\n---\n\n## Is the watermark on every page?\n\n- [Yes](#turn-off-the-room-watermark)\n- [Only on some](#contact)\n\n## Turn off the room watermark\n\nIn **Room settings › Security**, switch off *Watermark every page*.\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saving_the_kb_rebuilds_and_reloads_the_page() -> Result<()> {
    let harness = Harness::start_live(&repo_root().join("kb")).await?;
    let result = journey(&harness).await;
    harness.close().await?;
    result
}

/// Marks the current page, so a reload can be told apart.
async fn mark_page(harness: &Harness) -> Result<()> {
    harness
        .client
        .execute("window.fixpathNotReloaded = true;", vec![])
        .await?;
    Ok(())
}

async fn reloaded(harness: &Harness) -> Result<bool> {
    let marked = harness
        .client
        .execute("return window.fixpathNotReloaded === true;", vec![])
        .await?;
    Ok(marked.as_bool() != Some(true))
}

async fn wait_for_reload(harness: &Harness) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !reloaded(harness).await? {
        if Instant::now() > deadline {
            bail!("the page was not reloaded after the kb changed");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

async fn journey(harness: &Harness) -> Result<()> {
    let kb = harness.live_kb().expect("a live harness").to_path_buf();
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.get("query").await?;
    mark_page(harness).await?;

    std::fs::write(kb.join("documents/watermarks.md"), NEW_GUIDE)?;
    wait_for_reload(harness).await?;
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.type_into("query", "watermark covers the page").await?;
    page.wait_text("result", "Watermarks hide the text").await?;
    page.click("result").await?;
    page.wait_text("step-title", "Is the watermark on every page?")
        .await?;
    assert_eq!(page.texts("choice").await?, ["Yes", "Only on some"]);

    // A mistake: diagnostics go to the console, the page is left alone on the last good
    // bundle.
    mark_page(harness).await?;
    std::fs::write(
        kb.join("documents/watermarks.md"),
        NEW_GUIDE.replace("(#contact)", "(#contcat)"),
    )?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        !reloaded(harness).await?,
        "a broken kb must not reload the page"
    );
    page.click("choice").await?;
    page.wait_text("step-title", "Turn off the room watermark")
        .await?;

    std::fs::write(kb.join("documents/watermarks.md"), NEW_GUIDE)?;
    wait_for_reload(harness).await?;
    Ok(())
}
