//! A docs writer's loop with `fixpath serve`, the release binary alone: the preview page
//! shows the kb; saving a new guide rebuilds it and reloads the page; saving a mistake
//! prints the diagnostic in the terminal and shows it over the page, which keeps the last
//! good build and keeps working; fixing it reloads again. A ticket sent from the preview
//! is printed and listed on the inbox page. axe checks the preview pages.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::{Client, Locator};
use fixpath_e2e::process::Background;
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::{copy_tree, fixpath_bin, repo_root, start_browser};

const NEW_GUIDE: &str = "---\ntitle: Watermarks hide the text\nsymptoms: [\"watermark covers the page\"]\n---\n\n## Is the watermark on every page?\n\n- [Yes](#turn-off-the-room-watermark)\n- [Only on some](#contact)\n\n## Turn off the room watermark\n\nIn **Room settings › Security**, switch off *Watermark every page*.\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saving_the_kb_rebuilds_reloads_and_shows_problems_over_the_page() -> Result<()> {
    let kb = tempfile::tempdir()?;
    copy_tree(&repo_root().join("kb"), kb.path())?;
    let data = tempfile::tempdir()?;
    let mut serve = Background::start(
        Command::new(fixpath_bin()?)
            .arg("serve")
            .arg(kb.path())
            .args(["--port", "0", "--data"])
            .arg(data.path()),
    )?;
    let line = serve
        .wait_for_line(0, Duration::from_secs(60), |l| l.starts_with("Previewing"))
        .await?;
    let url = line
        .rsplit(" at ")
        .next()
        .context("the preview's address")?
        .to_string();
    let (mut driver, client) = start_browser().await?;
    let result = journey(&client, &url, kb.path(), &mut serve).await;
    let _ = client.close().await;
    let _ = driver.kill();
    result
}

async fn journey(
    client: &Client,
    url: &str,
    kb: &std::path::Path,
    serve: &mut Background,
) -> Result<()> {
    let page = WidgetPage::open(client, url).await?;
    page.get("query").await?;
    page.check_page_accessibility("preview page").await?;
    mark_page(client).await?;

    std::fs::write(kb.join("documents/watermarks.md"), NEW_GUIDE)?;
    wait_for_reload(client).await?;
    let page = WidgetPage::open(client, url).await?;
    page.type_into("query", "watermark covers the page").await?;
    page.wait_text("result", "Watermarks hide the text").await?;
    page.click("result").await?;
    page.wait_text("step-title", "Is the watermark on every page?")
        .await?;
    page.check_accessibility("a guide in the live preview")
        .await?;
    assert_eq!(page.texts("choice").await?, ["Yes", "Only on some"]);

    // A mistake: the terminal and the page say where; the page keeps the last good build.
    mark_page(client).await?;
    let printed = serve.line_count();
    std::fs::write(
        kb.join("documents/watermarks.md"),
        NEW_GUIDE.replace("(#contact)", "(#contcat)"),
    )?;
    let diagnostic = serve
        .wait_for_line(printed, Duration::from_secs(30), |l| {
            l.contains("watermarks.md:") && l.contains("error")
        })
        .await?;
    assert!(diagnostic.contains("#contcat"), "{diagnostic}");
    let panel = wait_for_problems(client).await?;
    assert!(
        panel.contains("watermarks.md:") && panel.contains("#contcat"),
        "the page shows the problem where the terminal does: {panel}"
    );
    assert!(
        !reloaded(client).await?,
        "a broken kb must not reload the page"
    );
    page.check_page_accessibility("problems over the page")
        .await?;
    page.click("choice").await?;
    page.wait_text("step-title", "Turn off the room watermark")
        .await?;

    std::fs::write(kb.join("documents/watermarks.md"), NEW_GUIDE)?;
    wait_for_reload(client).await?;
    let page = WidgetPage::open(client, url).await?;
    assert!(
        client
            .find(Locator::Css(".fixpath-live-problems"))
            .await
            .is_err(),
        "no problems shown after the fix"
    );

    // A ticket from the preview: printed, and on the inbox page.
    page.click("contact").await?;
    page.fill(&[
        ("trying_to_do", "Preview the new watermark guide"),
        ("what_happened", "Just checking tickets arrive"),
        ("name", "Grace Hopper"),
        ("email", "grace@example.com"),
    ])
    .await?;
    page.click("submit").await?;
    let reference = page.text("reference").await?;
    serve
        .wait_for_line(0, Duration::from_secs(10), |l| l.contains(&reference))
        .await?;
    page.check_no_csp_violations().await?;
    let inbox = WidgetPage::visit(client, &format!("{url}__fixpath/tickets")).await?;
    let tickets = client
        .find(Locator::Css("[data-testid=ticket]"))
        .await?
        .text()
        .await?;
    assert!(
        tickets.contains(&reference) && tickets.contains("Just checking tickets arrive"),
        "{tickets}"
    );
    inbox.check_page_accessibility("inbox").await?;
    Ok(())
}

/// Marks the current page, so a reload can be told apart.
async fn mark_page(client: &Client) -> Result<()> {
    client
        .execute("window.fixpathNotReloaded = true;", vec![])
        .await?;
    Ok(())
}

async fn reloaded(client: &Client) -> Result<bool> {
    let marked = client
        .execute("return window.fixpathNotReloaded === true;", vec![])
        .await?;
    Ok(marked.as_bool() != Some(true))
}

async fn wait_for_reload(client: &Client) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !reloaded(client).await? {
        if Instant::now() > deadline {
            bail!("the page was not reloaded after the kb changed");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// The text of the problems panel, once it shows.
async fn wait_for_problems(client: &Client) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(panel) = client.find(Locator::Css(".fixpath-live-problems")).await {
            return Ok(panel.text().await?);
        }
        if Instant::now() > deadline {
            bail!("no problems were shown over the page");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
