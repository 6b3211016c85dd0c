//! Optional attachments: a file chosen on the form is listed (and survives a reload, with
//! the draft), one over the limit is refused with the reason and nothing else is lost, and
//! the receiver gets the very bytes that were chosen.

use anyhow::Result;
use base64::Engine;
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::Harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chosen_files_reach_support_byte_for_byte() -> Result<()> {
    Harness::run(None, journey).await
}

async fn journey(harness: &Harness) -> Result<()> {
    let files = tempfile::tempdir()?;
    let screenshot = files.path().join("screenshot.png");
    let bytes: Vec<u8> = (0..3000u32).map(|i| (i * 7 % 256) as u8).collect();
    std::fs::write(&screenshot, &bytes)?;
    let huge = files.path().join("huge.log");
    std::fs::write(&huge, vec![b'x'; 1_600_000])?;

    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.click("contact").await?;
    page.type_into("attachments", &screenshot.display().to_string())
        .await?;
    page.wait_text("attachment", "screenshot.png (3 KB)")
        .await?;
    page.type_into("attachments", &huge.display().to_string())
        .await?;
    let refused = page.wait_text("attachments-error", "huge.log").await?;
    assert!(
        refused.contains("1.6 MB") && refused.contains("1.5 MB"),
        "{refused}"
    );
    assert_eq!(page.texts("attachment").await?.len(), 1);
    page.check_accessibility("form with an attachment refused")
        .await?;

    harness.client.refresh().await?;
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.wait_text("attachment", "screenshot.png").await?;

    page.fill(&[
        ("trying_to_do", "Share the data room index"),
        ("what_happened", "The export is empty"),
        ("name", "Grace Hopper"),
        ("email", "grace@example.com"),
    ])
    .await?;
    page.click("submit").await?;
    page.wait_text("sent", "reference").await?;

    let tickets = harness.tickets()?;
    assert_eq!(tickets.len(), 1);
    let attached = &tickets[0].attachments;
    assert_eq!(attached.len(), 1);
    assert_eq!(
        (attached[0].name.as_str(), attached[0].size),
        ("screenshot.png", 3000)
    );
    let received = base64::engine::general_purpose::STANDARD.decode(&attached[0].data_base64)?;
    assert_eq!(
        received, bytes,
        "the receiver got the bytes that were chosen"
    );
    Ok(())
}
