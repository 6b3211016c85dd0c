//! Every word a customer reads can come from the kb config: a kb with French `[strings]`
//! (and title) shows them on the search, guide and form screens. Its `[ticket]` section
//! shapes the form: hidden default fields are not asked, required ones are marked and
//! enforced, and its own required field is asked and checked.

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
    page.check_accessibility("search in the kb's words").await?;

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
        assert_eq!(page.text(id).await?, label);
    }
    page.wait_text("progress", "Étape 1 sur 1").await?;
    page.click("didnt-help").await?;
    page.wait_text("exhausted", "Toujours bloqué ?").await?;
    page.click("still-stuck").await?;
    page.wait_text("ticket-form", "Contacter le support")
        .await?;
    assert_eq!(page.text("submit").await?, "Envoyer au support");

    for hidden in ["steps_to_reproduce", "frequency"] {
        assert!(page.all(hidden).await?.is_empty(), "{hidden} is hidden");
    }
    let form = page.text("ticket-form").await?;
    assert!(
        form.contains("Exact error message or code (paste it) *"),
        "{form}"
    );
    assert!(form.contains("Numéro client *"), "{form}");
    page.fill(&[("name", "Marie Curie"), ("email", "marie@example.com")])
        .await?;
    page.click("submit").await?;
    page.wait_text("error-summary", "Corrigez 3 champ(s) ci-dessous.")
        .await?;
    page.check_accessibility("form errors in the kb's words")
        .await?;
    let form = page.text("ticket-form").await?;
    assert!(
        form.contains("Que vouliez-vous faire ? *")
            && form.contains("Dites-nous ce que vous vouliez faire.")
            && form.contains("Dites-nous qui est concerné"),
        "labels, validation and triage messages in the kb's words: {form}"
    );
    let invalid = [
        ("trying_to_do", "true"),
        ("error_message", "true"),
        ("numero_client", "true"),
        ("name", "false"),
    ];
    for (id, expected) in invalid {
        let state = page.get(id).await?.attr("aria-invalid").await?;
        assert_eq!(state.as_deref(), Some(expected), "{id}");
    }
    page.fill(&[
        ("trying_to_do", "Télécharger une facture"),
        ("error_message", "E-404"),
        ("numero_client", "C-1234"),
    ])
    .await?;
    page.click("submit").await?;
    page.wait_text("sent", "reference").await?;
    let tickets = harness.tickets()?;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].extra_fields[0].value, "C-1234");
    Ok(())
}
