//! WCAG 2.2 1.4.10 Reflow and 1.4.12 Text spacing: at 320 CSS pixels wide (a phone, or a
//! desktop at 400% zoom), and again with the text-spacing overrides of 1.4.12, every screen
//! fits the viewport — nothing sticks out sideways and nothing scrolls sideways.

use anyhow::{ensure, Result};
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::Harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screens_reflow_at_320_px_and_with_text_spacing() -> Result<()> {
    Harness::run(None, journey).await
}

/// Elements of the widget that leave the viewport sideways or scroll sideways (visually
/// hidden ones, 1 px and clipped, do not count).
const OVERFLOW: &str = r#"
const root = document.querySelector('fixpath-widget').shadowRoot;
const width = document.documentElement.clientWidth;
const found = [];
for (const el of root.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  if (r.width <= 1 || style.display === 'none' || style.clip !== 'auto') continue;
  const name = `${el.tagName.toLowerCase()}.${el.className || ''}[${el.dataset.testid || ''}]`;
  if (r.left < -1 || r.right > width + 1) found.push(`${name} spans ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
  if (el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(style.overflowX)) found.push(`${name} scrolls sideways`);
}
if (document.documentElement.scrollWidth > width + 1) found.push(`the page scrolls sideways (${document.documentElement.scrollWidth})`);
return found;
"#;

/// WCAG 1.4.12's test values, applied inside the widget's shadow root.
const TEXT_SPACING: &str = r#"
const sheet = new CSSStyleSheet();
sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`);
const root = document.querySelector('fixpath-widget').shadowRoot;
root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
"#;

async fn fits(harness: &Harness, screen: &str) -> Result<()> {
    let found = harness.client.execute(OVERFLOW, vec![]).await?;
    let found: Vec<String> = serde_json::from_value(found)?;
    ensure!(found.is_empty(), "{screen}: {}", found.join("; "));
    Ok(())
}

async fn journey(harness: &Harness) -> Result<()> {
    harness.set_viewport(320, 640).await?;
    for spacing in [false, true] {
        let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
        let label = if spacing {
            harness.client.execute(TEXT_SPACING, vec![]).await?;
            "320 px and text spacing"
        } else {
            "320 px"
        };
        page.type_into("query", "the pdf won't open").await?;
        page.wait_text("search-status", "articles found").await?;
        fits(harness, &format!("{label}: results")).await?;
        page.click("result").await?;
        page.get("choice").await?;
        fits(harness, &format!("{label}: question step")).await?;
        page.click("contact").await?;
        page.click("submit").await?;
        page.wait_text("error-summary", "Please fix").await?;
        fits(harness, &format!("{label}: form with errors")).await?;
        // The second pass starts from an empty search, not the saved draft.
        harness
            .client
            .execute("localStorage.clear();", vec![])
            .await?;
    }
    Ok(())
}
