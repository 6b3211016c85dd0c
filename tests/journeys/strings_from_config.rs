//! Every word a customer reads can come from the kb config: a kb with French `[strings]`
//! (and title) shows them on the search, guide and form screens.

use anyhow::Result;
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::{fixture_bundle, Harness};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_speaks_the_kbs_language() -> Result<()> {
    Harness::run(Some(fixture_bundle("french")?), journey).await
}

async fn journey(harness: &Harness) -> Result<()> {
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.wait_text("panel", "Comment pouvons-nous vous aider ?")
        .await?;
    page.wait_text("panel", "Décrivez votre problème ou collez l'erreur")
        .await?;
    page.wait_text("contact", "Contacter le support").await?;

    page.type_into("query", "facture TVA").await?;
    page.click("result").await?;
    page.wait_text("guide", "Est-ce que cela a résolu le problème ?")
        .await?;
    let buttons = [
        ("fixed", "C'est réglé"),
        ("didnt-help", "Ça n'a pas aidé"),
        ("cant-do", "Je ne peux pas"),
    ];
    for (id, label) in buttons {
        assert_eq!(page.get(id).await?.text().await?, label);
    }
    page.click("didnt-help").await?;
    page.wait_text("exhausted", "Toujours bloqué ?").await?;
    page.click("still-stuck").await?;
    page.wait_text("ticket-form", "Contacter le support")
        .await?;
    assert_eq!(
        page.get("submit").await?.text().await?,
        "Envoyer au support"
    );
    Ok(())
}
