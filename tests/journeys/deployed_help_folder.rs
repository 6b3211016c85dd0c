//! A site owner's deployment, end to end, with nothing from this repository but the release
//! binary: `fixpath build` writes the demo kb into a site's `docs/help/` (precompressed),
//! the two lines it prints go into a plain page, and nginx, configured as
//! `docs/hosting.md` says, serves the site with a strict CSP, the help folder under the
//! `/docs/help/` prefix and `/api/tickets` proxied to a receiver. A customer searches,
//! works through a guide and sends the ticket, which arrives once.

use anyhow::{Context, Result};
use fantoccini::Client;
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::{hosting, start_browser};
use fixpath_relay::store::TicketStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_built_help_folder_works_under_a_path_prefix_behind_nginx() -> Result<()> {
    let site = tempfile::tempdir()?;
    let stdout = hosting::build_demo_help(site.path(), &["--precompress"])?;
    // The page gets exactly the lines `fixpath build` printed.
    let snippet: Vec<&str> = stdout
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('<'))
        .collect();
    assert_eq!(
        snippet,
        [
            r#"<script type="module" src="/docs/help/fixpath.js"></script>"#,
            "<fixpath-widget></fixpath-widget>"
        ]
    );
    hosting::write_page(site.path(), snippet[0], snippet[1])?;

    let data = tempfile::tempdir()?;
    let store = TicketStore::open(data.path())?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let receiver = format!("http://{}", listener.local_addr()?);
    let insights = fixpath_relay::preview_insights::InsightsFile::open(data.path())?;
    let app = fixpath_relay::app(store, insights.into(), None, Default::default());
    tokio::spawn(async move {
        let _ = fixpath_relay::serve(listener, app).await;
    });
    let server = hosting::nginx(site.path(), Some(&receiver)).await?;

    let (mut driver, client) = start_browser().await?;
    let result = journey(&client, &server.url).await;
    let _ = client.close().await;
    let _ = driver.kill();
    let reference = result.with_context(|| format!("nginx said:\n{}", server.process.output()))?;

    let tickets = TicketStore::open(data.path())?.all()?;
    assert_eq!(tickets.len(), 1, "exactly one ticket arrived");
    assert_eq!(tickets[0].id, reference);
    assert_eq!(
        tickets[0].steps_tried.len(),
        3,
        "{:?}",
        tickets[0].steps_tried
    );
    Ok(())
}

/// Search → guide → ticket; returns the ticket's reference.
async fn journey(client: &Client, site: &str) -> Result<String> {
    let page = WidgetPage::open(client, &format!("{site}/")).await?;
    page.type_into("query", "upload fails E-UP-413").await?;
    page.wait_text("result", "Upload fails with E-UP-413")
        .await?;
    page.click("result").await?;
    for n in 1..=3 {
        page.wait_text("progress", &format!("Step {n} of 3"))
            .await?;
        page.click("didnt-help").await?;
    }
    page.click("still-stuck").await?;
    page.fill(&[
        ("trying_to_do", "Upload the signed SPA"),
        ("name", "Ada Lovelace"),
        ("email", "ada@example.com"),
        ("deal_room", "Acme"),
    ])
    .await?;
    page.select("file_size", "Over 1 GB").await?;
    page.click("submit").await?;
    page.wait_text("sent", "reference").await?;
    page.check_accessibility("sent, behind nginx").await?;
    // The page ran under the strict policy, and broke none of it.
    let csp = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(location.href).then(r => done(r.headers.get('content-security-policy')), e => done(String(e)));",
            vec![],
        )
        .await?;
    assert_eq!(csp.as_str(), Some(fixpath_relay::STRICT_CSP));
    page.check_no_csp_violations().await?;
    let reference = page.text("reference").await?;

    // What the browser got: the documented headers, compressed copies, the wasm MIME type.
    let headers = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               Promise.all(performance.getEntriesByType('resource')
                   .map(e => e.name)
                   .filter(u => /\/docs\/help\/(fixpath\.js|fixpath-widget\.[0-9a-f]{8}\.wasm|kb\/manifest\.json)$/.test(u))
                   .map(u => fetch(u).then(r => [u.replace(/^.*\/docs\/help\//, ''), r.headers.get('cache-control'), r.headers.get('content-type')])))
               .then(done, e => done(String(e)));"#,
            vec![],
        )
        .await?;
    let headers: Vec<(String, Option<String>, Option<String>)> = serde_json::from_value(headers)?;
    let wasm = headers
        .iter()
        .filter(|(f, ..)| f.ends_with(".wasm"))
        .count();
    assert_eq!(
        (headers.len(), wasm),
        (4, 2),
        "loader, manifest, the widget's main wasm and its piece (the form) were fetched: {headers:?}"
    );
    for (file, cache, content_type) in &headers {
        let cache = cache.as_deref().unwrap_or_default();
        if file.ends_with(".wasm") {
            assert_eq!(cache, "public, max-age=31536000, immutable", "{file}");
            assert_eq!(content_type.as_deref(), Some("application/wasm"), "{file}");
        } else {
            assert_eq!(cache, "no-cache", "{file}");
        }
    }
    Ok(reference)
}
