//! Insights from real journeys: with the demo kb's `[insights]` on, one customer whose
//! guide fixed the problem and one who found nothing and wrote a ticket add up, on the
//! receiver, to the counts a support lead reads on the report page (axe-checked) and in
//! its exports — and a search is named there only once five pages made it: before, it is
//! counted but shown nowhere. Nothing leaves the page when the kb leaves insights off, when the browser sends
//! Do Not Track, or when it sends Global Privacy Control.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::{fixture_bundle, Harness};

/// A customer fixes the upload problem with the guide's second step.
async fn fixed_by_the_guide(harness: &Harness) -> Result<()> {
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    page.type_into("query", "upload fails E-UP-413 payload too large")
        .await?;
    page.wait_text("search-status", "articles found").await?;
    page.click("result").await?;
    page.wait_text("progress", "Step 1 of 3").await?;
    page.click("didnt-help").await?;
    page.wait_text("progress", "Step 2 of 3").await?;
    page.click("fixed").await?;
    page.get("resolved").await?;
    Ok(())
}

/// Types `query` and waits until the widget has told the page it searched for all of it
/// (the status can show "no results" for a prefix while the last word's shards load).
async fn search_and_wait(harness: &Harness, page: &WidgetPage<'_>, query: &str) -> Result<()> {
    harness
        .client
        .execute(
            "document.addEventListener('fixpath:search', e => window.__lastSearch = e.detail.query);",
            vec![],
        )
        .await?;
    page.type_into("query", query).await?;
    let start = Instant::now();
    loop {
        let last = harness
            .client
            .execute("return window.__lastSearch || null;", vec![])
            .await?;
        if last == serde_json::json!(query) {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(20) {
            bail!("the widget never searched for {query:?} (last: {last})");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The page goes away (the customer leaves): what it recorded is sent now.
async fn leave(harness: &Harness) -> Result<()> {
    harness.client.goto("about:blank").await?;
    Ok(())
}

/// Waits until the receiver has had `n` batches.
async fn wait_for_batches(harness: &Harness, n: u32) -> Result<()> {
    let start = Instant::now();
    while harness.insights.received() < n {
        if start.elapsed() > Duration::from_secs(20) {
            bail!(
                "the receiver has {} insight batches, not {n}",
                harness.insights.received()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

async fn csv(harness: &Harness, table: &str) -> Result<String> {
    let url = format!("{}__fixpath/insights/{table}.csv", harness.base_url);
    let answer = fixpath_e2e::relay_process::http()?.get(&url).send().await?;
    answer.error_for_status_ref().context(url)?;
    Ok(answer.text().await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_journeys_add_up_in_the_report() -> Result<()> {
    Harness::run(None, async |harness| {
        fixed_by_the_guide(harness).await?;
        leave(harness).await?;
        wait_for_batches(harness, 1).await?;

        // A second customer finds nothing and writes to support.
        let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
        search_and_wait(harness, &page, "scanner smells of burnt toast").await?;
        page.wait_text("search-status", "No articles match").await?;
        page.click("contact").await?;
        page.fill(&[
            ("trying_to_do", "Scan a contract"),
            ("what_happened", "The scanner smells of burnt toast"),
            ("name", "Ada Lovelace"),
            ("email", "ada@example.com"),
        ])
        .await?;
        page.click("submit").await?;
        page.get("sent").await?;
        leave(harness).await?;
        wait_for_batches(harness, 2).await?;

        let days = csv(harness, "days").await?;
        let today: Vec<&str> = days
            .lines()
            .nth(1)
            .context("no day counted")?
            .split(',')
            .collect();
        // day, searches, without results, resolved, escalated, deflection, critical, minor
        assert_eq!(&today[1..6], ["2", "1", "1", "1", "0.500"], "{days}");
        let tickets: u32 = today[6].parse::<u32>()? + today[7].parse::<u32>()?;
        assert_eq!(tickets, 1, "{days}");
        let guides = csv(harness, "guides").await?;
        let upload = guides
            .lines()
            .find(|l| l.starts_with("uploads/"))
            .with_context(|| format!("the upload guide is not in {guides}"))?;
        assert!(
            upload.ends_with(",1,1,0,1.000,Compress the file,1"),
            "opened once, fixed once, its first step didn't help: {upload}"
        );
        // Each search was typed on one page so far: counted, never shown or exported.
        let searches = csv(harness, "searches").await?;
        assert_eq!(searches.lines().count(), 1, "only the header: {searches}");
        for file in [
            "days.csv",
            "searches.csv",
            "content-gaps.csv",
            "guides.csv",
            "export.json",
        ] {
            let url = format!("{}__fixpath/insights/{file}", harness.base_url);
            let text = fixpath_e2e::relay_process::http()?
                .get(&url)
                .send()
                .await?
                .text()
                .await?;
            assert!(
                !text.contains("toast") && !text.contains("payload"),
                "{file}: {text}"
            );
        }

        // Four more customers search the same thing and leave: until five pages made it,
        // it is not shown; the fifth makes it a content gap a report may name.
        for n in 3..=6 {
            let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
            search_and_wait(harness, &page, "scanner smells of burnt toast").await?;
            leave(harness).await?;
            wait_for_batches(harness, n).await?;
            let gaps = csv(harness, "content-gaps").await?;
            if n < 6 {
                assert!(!gaps.contains("toast"), "{} pages: {gaps}", n - 1);
            } else {
                assert_eq!(
                    gaps.lines().nth(1),
                    Some("burnt scanner smell toast,5,5,1"),
                    "five pages, all without results, one then wrote a ticket: {gaps}"
                );
            }
        }
        let report = WidgetPage::visit(
            &harness.client,
            &format!("{}__fixpath/insights", harness.base_url),
        )
        .await?;
        let rate = harness
            .client
            .find(fantoccini::Locator::Css("[data-testid=deflection-rate]"))
            .await?
            .text()
            .await?;
        assert_eq!(rate, "50 %");
        let body = harness.client.source().await?;
        assert!(body.contains("1 other was counted but is not shown"));
        let gap = harness
            .client
            .find(fantoccini::Locator::Css("[data-testid=gap]"))
            .await?
            .text()
            .await?;
        assert!(gap.starts_with("burnt scanner smell toast"), "{gap}");
        assert!(
            !body.contains("payload"),
            "the one-page search is named nowhere"
        );
        report.check_page_accessibility("insights report").await?;
        report.check_no_csp_violations().await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_leaves_the_page_when_off_or_declined() -> Result<()> {
    // Off unless the kb turns it on: the zendesk fixture kb has no [insights].
    Harness::run(Some(fixture_bundle("zendesk")?), async |harness| {
        let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
        page.type_into("query", "wrong VAT number").await?;
        page.wait_text("search-status", "found").await?;
        page.click("result").await?;
        page.get("guide").await?;
        leave(harness).await?;
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(
            harness.insights.received(),
            0,
            "insights are off by default"
        );
        Ok(())
    })
    .await?;

    // Global Privacy Control: the same journey sends on a page without it, and nothing
    // on the next page, which has it.
    Harness::run(None, async |harness| {
        fixed_by_the_guide(harness).await?;
        leave(harness).await?;
        wait_for_batches(harness, 1).await?;
        harness.send_global_privacy_control().await?;
        fixed_by_the_guide(harness).await?;
        let gpc = harness
            .client
            .execute("return navigator.globalPrivacyControl;", vec![])
            .await?;
        assert_eq!(gpc, serde_json::json!(true));
        leave(harness).await?;
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(harness.insights.received(), 1, "nothing under GPC");
        Ok(())
    })
    .await?;

    // Do Not Track, as Chromium's own setting sends it.
    let harness =
        Harness::start_with(None, serde_json::json!({ "enable_do_not_track": true })).await?;
    let result = async {
        fixed_by_the_guide(&harness).await?;
        let dnt = harness
            .client
            .execute("return navigator.doNotTrack;", vec![])
            .await?;
        assert_eq!(dnt, serde_json::json!("1"), "the setting took effect");
        leave(&harness).await?;
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(harness.insights.received(), 0, "nothing under Do Not Track");
        Ok(())
    }
    .await;
    harness.close().await?;
    result
}
