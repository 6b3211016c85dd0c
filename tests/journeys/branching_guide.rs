//! A guide with questions: each answer leads down its own branch, "Previous step" goes back
//! along the path actually taken with the earlier answers still marked, and the ticket lists
//! every step tried, questions with the answer chosen (kb/documents/document-will-not-open.md).

use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::Harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_branch_back_retraces_and_the_ticket_has_the_answers() -> anyhow::Result<()> {
    Harness::run(None, journey).await
}

/// (progress, step title) as the customer sees them.
async fn position(page: &WidgetPage<'_>, progress: &str, title: &str) -> anyhow::Result<()> {
    page.wait_text("progress", progress).await?;
    page.wait_text("step-title", title).await?;
    Ok(())
}

async fn journey(harness: &Harness) -> anyhow::Result<()> {
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.type_into("query", "the pdf won't open, preview is blank")
        .await?;
    page.wait_text("result", "A document won't open").await?;
    page.click("result").await?;

    position(&page, "Step 1 of 5", "Where are you opening the document?").await?;
    assert!(
        page.all("fixed").await?.is_empty(),
        "a question is answered with its choices, not Fixed it / Didn't help"
    );
    assert_eq!(
        page.texts("choice").await?,
        [
            "In a web browser",
            "In the Dealroom mobile app",
            "From a link in an email",
            "It opened after all"
        ]
    );
    page.check_accessibility("question step").await?;

    page.click_labelled("choice", "In the Dealroom mobile app")
        .await?;
    position(&page, "Step 2 of 5", "Update the app").await?;
    page.click("didnt-help").await?;
    position(&page, "Step 3 of 5", "Sign out of the app and back in").await?;

    // Back retraces the path taken, and shows what was answered before.
    page.click("previous").await?;
    position(&page, "Step 2 of 5", "Update the app").await?;
    let pressed = page.get("didnt-help").await?.attr("aria-pressed").await?;
    assert_eq!(pressed.as_deref(), Some("true"));
    page.click("previous").await?;
    position(&page, "Step 1 of 5", "Where are you opening the document?").await?;
    let mut marked = Vec::new();
    for choice in page.all("choice").await? {
        if choice.attr("aria-pressed").await?.as_deref() == Some("true") {
            marked.push(choice.text().await?);
        }
    }
    assert_eq!(marked, ["In the Dealroom mobile app"]);

    // A different answer, a different branch.
    page.click_labelled("choice", "From a link in an email")
        .await?;
    position(&page, "Step 2 of 4", "Open it from the deal room").await?;
    page.click("cant-do").await?;
    position(
        &page,
        "Step 3 of 4",
        "Is the file protected with a password?",
    )
    .await?;
    page.click_labelled("choice", "No, or I'm not sure").await?;
    page.get("exhausted").await?;
    page.click("still-stuck").await?;

    let tried = page.texts("tried-step").await?;
    assert_eq!(
        tried,
        [
            "Where are you opening the document? — “From a link in an email”",
            "Update the app — didn't help",
            "Open it from the deal room — couldn't do this",
            "Is the file protected with a password? — “No, or I'm not sure”",
        ],
        "every step tried on either branch, in the order answered"
    );
    page.type_into("trying_to_do", "Read the SPA draft").await?;
    page.fill(&[("name", "Ada Lovelace"), ("email", "ada@example.com")])
        .await?;
    page.click("submit").await?;
    page.wait_text("sent", "reference").await?;
    page.check_no_csp_violations().await?;

    let tickets = harness.tickets()?;
    assert_eq!(tickets.len(), 1);
    let answers: Vec<_> = tickets[0]
        .steps_tried
        .iter()
        .map(|s| (s.step.as_str(), s.outcome.key(), s.answer.as_deref()))
        .collect();
    assert_eq!(
        answers,
        [
            (
                "Where are you opening the document?",
                "answered",
                Some("From a link in an email")
            ),
            ("Update the app", "didnt_help", None),
            ("Open it from the deal room", "cant_do", None),
            (
                "Is the file protected with a password?",
                "answered",
                Some("No, or I'm not sure")
            ),
        ]
    );
    Ok(())
}
