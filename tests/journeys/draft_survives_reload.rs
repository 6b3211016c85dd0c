//! Nothing typed is lost: reloading the page mid-form brings back the open form with every
//! field as it was (the draft is saved to localStorage as it is typed).

use anyhow::Result;
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::Harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reloading_mid_form_keeps_every_field() -> Result<()> {
    Harness::run(None, journey).await
}

async fn journey(harness: &Harness) -> Result<()> {
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.type_into("query", "e-signature stuck").await?;
    page.click("contact").await?;
    let typed = [
        ("trying_to_do", "Send the SPA for signature"),
        (
            "error_message",
            "E-SIG-409 Envelope already completed or voided <b>&amp;</b>",
        ),
        ("steps_to_reproduce", "1. Open deal\n2. Send for signature"),
        ("name", "Katherine Johnson"),
        ("email", "katherine@example.com"),
        // The kb's own question (`[[ticket.fields]]` in kb/fixpath.toml).
        ("deal_room", "Project Falcon"),
    ];
    for (field, text) in typed {
        page.type_into(field, text).await?;
    }
    page.select("impact", "whole_team").await?;
    page.select("urgency", "blocked").await?;

    harness.client.refresh().await?;
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.get("ticket-form").await?;
    page.check_accessibility("form restored after a reload")
        .await?;
    for (field, text) in typed {
        let value = page.get(field).await?.prop("value").await?;
        assert_eq!(value.as_deref(), Some(text), "{field} after reload");
    }
    let what_happened = page.get("what_happened").await?.prop("value").await?;
    assert_eq!(
        what_happened.as_deref(),
        Some("e-signature stuck"),
        "the carried-over query too"
    );
    assert_eq!(
        page.get("impact").await?.prop("value").await?.as_deref(),
        Some("whole_team")
    );
    assert_eq!(
        page.get("urgency").await?.prop("value").await?.as_deref(),
        Some("blocked")
    );
    assert!(
        harness.tickets()?.is_empty(),
        "nothing was sent by reloading"
    );
    Ok(())
}
