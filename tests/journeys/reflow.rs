//! WCAG 2.2 1.4.10 Reflow, 1.4.12 Text spacing and 1.4.4 Resize text: at 320 CSS pixels
//! wide (a phone, or a desktop at 400% zoom), again with the text-spacing overrides of
//! 1.4.12, and with text at 200%, every screen fits the viewport — nothing sticks out
//! sideways and nothing scrolls sideways.

use anyhow::{ensure, Result};
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::Harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screens_reflow_at_320_px_with_text_spacing_and_at_200_percent_text() -> Result<()> {
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

/// The font size of the search label, in px.
async fn text_size(harness: &Harness) -> Result<f64> {
    let size = harness
        .client
        .execute(
            "const label = document.querySelector('fixpath-widget').shadowRoot.querySelector('.fp-label');
             return parseFloat(getComputedStyle(label).fontSize);",
            vec![],
        )
        .await?;
    Ok(size.as_f64().unwrap_or_default())
}

/// WCAG 1.4.4: text resized to 200% (the browser's text-only zoom sets the root size).
const LARGE_TEXT: &str = "document.documentElement.style.fontSize = '200%';";

async fn journey(harness: &Harness) -> Result<()> {
    let passes = [
        ("320 px", 320, None),
        ("320 px and text spacing", 320, Some(TEXT_SPACING)),
        ("640 px and 200% text", 640, Some(LARGE_TEXT)),
    ];
    let mut first_size = None;
    for (label, width, adjust) in passes {
        harness.set_viewport(width, 800).await?;
        let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
        if let Some(script) = adjust {
            harness.client.execute(script, vec![]).await?;
        }
        // The adjustment must reach the widget, or the pass proves nothing.
        let size = text_size(harness).await?;
        let first = *first_size.get_or_insert(size);
        if adjust == Some(LARGE_TEXT) {
            ensure!(
                size >= first * 1.9,
                "200% text: {size} px against {first} px"
            );
        }
        page.type_into("query", "the pdf won't open").await?;
        page.wait_text("search-status", "articles found").await?;
        page.check_accessibility(&format!("{label}: results"))
            .await?;
        fits(harness, &format!("{label}: results")).await?;
        page.click("result").await?;
        page.get("choice").await?;
        page.check_accessibility(&format!("{label}: a question"))
            .await?;
        fits(harness, &format!("{label}: question step")).await?;
        page.click("contact").await?;
        page.click("submit").await?;
        page.wait_text("error-summary", "Please fix").await?;
        page.check_accessibility(&format!("{label}: form errors"))
            .await?;
        fits(harness, &format!("{label}: form with errors")).await?;
        // The next pass starts from an empty search, not the saved draft.
        harness
            .client
            .execute("localStorage.clear();", vec![])
            .await?;
    }
    Ok(())
}
