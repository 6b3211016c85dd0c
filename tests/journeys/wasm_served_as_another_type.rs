//! A host that labels `.wasm` files `application/octet-stream` (a common static-host
//! default) still serves a working widget: the browser cannot compile such a file while it
//! downloads, so both the main module and the piece with guides and the form are compiled
//! from their bytes instead of failing.

use anyhow::{Context, Result};
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::{hosting, start_browser};

/// Every type a help folder needs, but `.wasm` as plain bytes.
const TYPES: &str = "types { text/html html; text/css css; text/javascript js; application/json json; application/octet-stream wasm bin; }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guides_and_the_form_load_when_wasm_is_served_as_plain_bytes() -> Result<()> {
    let site = tempfile::tempdir()?;
    hosting::build_demo_help(site.path(), &[])?;
    hosting::write_page(
        site.path(),
        r#"<script type="module" src="/docs/help/fixpath.js"></script>"#,
        "<fixpath-widget></fixpath-widget>",
    )?;
    let server = hosting::nginx_with_types(site.path(), None, TYPES).await?;
    let (mut driver, client) = start_browser().await?;
    let result = async {
        let page = WidgetPage::open(&client, &format!("{}/", server.url)).await?;
        let wasm_type = client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   const wasm = performance.getEntriesByType('resource').map(e => e.name).find(u => u.endsWith('.wasm'));
                   fetch(wasm).then(r => done(r.headers.get('content-type')), e => done(String(e)));"#,
                vec![],
            )
            .await?;
        assert_eq!(wasm_type.as_str(), Some("application/octet-stream"), "the host mislabels .wasm");
        page.type_into("query", "upload fails E-UP-413").await?;
        page.wait_text("result", "Upload fails with E-UP-413").await?;
        page.click("result").await?;
        page.wait_text("progress", "Step 1 of 3").await?;
        page.check_accessibility("a guide compiled from its bytes").await?;
        page.click("contact").await?;
        page.get("ticket-form").await?;
        page.check_no_csp_violations().await
    }
    .await;
    let _ = client.close().await;
    let _ = driver.kill();
    result.with_context(|| format!("nginx said:\n{}", server.process.output()))
}
