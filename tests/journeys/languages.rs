//! A kb in two languages: the demo kb is English, with three articles translated into
//! French in `kb/fr/`. A customer on the French help page (`demo/fr.html`, `lang="fr"`)
//! searches, follows a guide and writes a ticket, all in French, with the articles not yet
//! translated shown in English and marked so; the ticket carries the language, its
//! support-team keys unchanged. The switcher moves between the languages and is
//! remembered. A kb written right to left (`tests/fixtures/kbs/rtl`, Arabic) lays out from
//! the right and passes axe.

use anyhow::{ensure, Result};
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::{fixture_bundle, Harness};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_on_a_french_page_gets_french_from_search_to_ticket() -> Result<()> {
    Harness::run(None, french_journey).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_right_to_left_kb_lays_out_from_the_right() -> Result<()> {
    Harness::run(Some(fixture_bundle("rtl")?), rtl_journey).await
}

/// The widget panel's `lang` and `dir`, and its computed direction.
async fn panel_language(harness: &Harness) -> Result<(String, String, String)> {
    let found = harness
        .client
        .execute(
            "const panel = document.querySelector('fixpath-widget').shadowRoot.querySelector('.fp-root');
             return [panel.getAttribute('lang'), panel.getAttribute('dir'), getComputedStyle(panel).direction];",
            vec![],
        )
        .await?;
    let [lang, dir, direction]: [String; 3] = serde_json::from_value(found)?;
    Ok((lang, dir, direction))
}

async fn french_journey(harness: &Harness) -> Result<()> {
    let url = format!("{}fr.html", harness.base_url);
    let page = WidgetPage::open(&harness.client, &url).await?;
    page.wait_text("panel", "Comment pouvons-nous vous aider ?")
        .await?;
    page.wait_text("panel", "Décrivez votre problème").await?;
    assert_eq!(
        panel_language(harness).await?,
        ("fr".into(), "ltr".into(), "ltr".into())
    );

    // Searched in French, with French stemming ("volumineux", "envoyer" meet the article's
    // "volumineux", "envoi"), an elided article ("l'envoi") and no accents typed.
    page.type_into("query", "impossible d'envoyer un fichier trop volumineux")
        .await?;
    page.wait_text("results", "L'envoi échoue avec E-UP-413")
        .await?;
    let first = page.get("result").await?;
    assert_eq!(
        first.attr("data-article").await?.as_deref(),
        Some("uploads/upload-fails-file-too-large.md")
    );
    assert!(
        page.all("untranslated").await?.is_empty(),
        "a translated article is not marked"
    );
    page.check_accessibility("results in French").await?;

    // An article not translated yet is found, in English, and says so.
    page.get("query").await?.clear().await?;
    page.type_into("query", "notifications email").await?;
    page.wait_text("results", "I don't receive email notifications")
        .await?;
    page.wait_text("untranslated", "Pas encore traduit : English")
        .await?;
    page.check_accessibility("an untranslated result").await?;

    // Error codes match in every language.
    page.get("query").await?.clear().await?;
    page.type_into("query", "E-UP-413").await?;
    page.wait_text("results", "L'envoi échoue avec E-UP-413")
        .await?;
    page.click("result").await?;
    page.wait_text("guide", "Est-ce que cela a résolu le problème ?")
        .await?;
    page.wait_text("step-title", "Compresser le fichier")
        .await?;
    page.wait_text("progress", "Étape 1 sur 3").await?;
    for (id, label) in [
        ("fixed", "C’est réglé"),
        ("didnt-help", "Ça n’a pas aidé"),
        ("cant-do", "Je ne peux pas le faire"),
    ] {
        assert_eq!(page.text(id).await?, label);
    }
    for next in ["Étape 2 sur 3", "Étape 3 sur 3"] {
        page.click("didnt-help").await?;
        page.wait_text("progress", next).await?;
    }
    page.click("didnt-help").await?;
    page.wait_text("exhausted", "Toujours bloqué ?").await?;
    page.click("still-stuck").await?;

    page.wait_text("ticket-form", "Contacter le support")
        .await?;
    let form = page.text("ticket-form").await?;
    for label in [
        "Que cherchiez-vous à faire ? *",
        "Quelle data room ? (son nom ou son lien)",
        "Quelle est la taille du fichier ?",
        "Étapes déjà essayées",
    ] {
        ensure!(form.contains(label), "{label:?} not in the form: {form}");
    }
    // When it happened: the browser's own picker (written the customer's way), kept on
    // the ticket as ISO 8601 with the offset.
    let picker = page.get("occurred_at").await?;
    assert_eq!(
        picker.attr("type").await?.as_deref(),
        Some("datetime-local")
    );
    let shown = page.value("occurred_at").await?;
    ensure!(
        shown.len() == 16 && shown.as_bytes()[10] == b'T',
        "{shown:?}"
    );
    harness
        .client
        .execute(
            "const input = document.querySelector('fixpath-widget').shadowRoot
               .querySelector('[data-testid=occurred_at]');
             input.value = '2026-11-30T14:05';
             input.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![],
        )
        .await?;
    page.type_into(
        "trying_to_do",
        "Envoyer le protocole signé dans la data room Acme",
    )
    .await?;
    page.fill(&[
        ("name", "Marie Curie"),
        ("email", "marie@example.com"),
        ("deal_room", "Acme"),
    ])
    .await?;
    page.select("file_size", "Plus de 1 Go").await?;
    page.wait_text("triage", "Dites-nous qui est concerné")
        .await?;
    page.select("impact", "whole_team").await?;
    page.select("urgency", "blocked").await?;
    page.wait_text("triage", "Critique (P2)").await?;
    page.check_accessibility("the form in French").await?;
    page.click("submit").await?;
    page.wait_text("sent", "Merci — votre ticket a été envoyé")
        .await?;
    page.check_no_csp_violations().await?;

    let tickets = harness.tickets()?;
    assert_eq!(tickets.len(), 1);
    let ticket = &tickets[0];
    assert_eq!(ticket.language, "fr");
    // This browser runs on UTC.
    assert_eq!(ticket.occurred_at, "2026-11-30T14:05:00+00:00");
    // Support teams keep their keys; the words are the customer's.
    let extra: Vec<_> = ticket
        .extra_fields
        .iter()
        .map(|f| (f.key.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(
        extra,
        [("deal_room", "Acme"), ("file_size", "Plus de 1 Go")]
    );
    assert_eq!(ticket.steps_tried.len(), 3);
    assert_eq!(ticket.steps_tried[0].step, "Compresser le fichier");

    // The switcher: English now, and on the next page too.
    page.select("language", "en").await?;
    page.wait_text("panel", "How can we help?").await?;
    assert_eq!(panel_language(harness).await?.0, "en");
    let page = WidgetPage::open(&harness.client, &url).await?;
    page.wait_text("panel", "How can we help?").await?;
    page.type_into("query", "upload too large").await?;
    page.wait_text("results", "Upload fails with E-UP-413")
        .await?;
    page.select("language", "fr").await?;
    // The query stays, searched again in French.
    page.wait_text("results", "L'envoi échoue avec E-UP-413")
        .await?;
    assert_eq!(page.value("query").await?, "upload too large");
    Ok(())
}

async fn rtl_journey(harness: &Harness) -> Result<()> {
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.wait_text("panel", "كيف يمكننا مساعدتك؟").await?;
    assert_eq!(
        panel_language(harness).await?,
        ("ar".into(), "rtl".into(), "rtl".into())
    );
    // Searched with the Arabic stemmer, fetched as a piece of its own.
    page.type_into("query", "لا أستطيع تسجيل الدخول").await?;
    page.wait_text("results", "لا أستطيع تسجيل الدخول").await?;
    // Laid out from the right: a result's title ends where the result's box does.
    let edges = harness
        .client
        .execute(
            "const root = document.querySelector('fixpath-widget').shadowRoot;
             const result = root.querySelector('[data-testid=result]').getBoundingClientRect();
             const title = root.querySelector('.fp-result-title');
             const range = document.createRange(); range.selectNodeContents(title);
             const text = range.getBoundingClientRect();
             return [result.right - text.right, text.left - result.left];",
            vec![],
        )
        .await?;
    let [right_gap, left_gap]: [f64; 2] = serde_json::from_value(edges)?;
    ensure!(
        right_gap < 20.0 && left_gap > 100.0,
        "the title should hug the right edge: {right_gap} px from the right, {left_gap} px from the left"
    );
    page.check_accessibility("right-to-left results").await?;
    page.click("result").await?;
    page.wait_text("guide", "هل حلّ هذا المشكلة؟").await?;
    page.check_accessibility("a right-to-left guide").await?;
    page.click("didnt-help").await?;
    page.wait_text("progress", "الخطوة 2 من 2").await?;
    page.click("didnt-help").await?;
    page.click("still-stuck").await?;
    page.wait_text("ticket-form", "تواصل مع الدعم").await?;
    page.check_accessibility("a right-to-left form").await?;
    page.check_no_csp_violations().await?;
    let lang: Value = harness
        .client
        .execute("return document.documentElement.lang;", vec![])
        .await?;
    assert_eq!(lang, "en", "the page's own language is left alone");
    Ok(())
}
