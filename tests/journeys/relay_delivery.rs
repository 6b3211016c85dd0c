//! A customer's ticket through the relay, set up as a site adopting it would: the widget on
//! the demo help page (`fixpath serve --pages demo`, as `cargo xtask demo --relay` runs it,
//! its CSP allowing the relay's origin), the relay on another origin that allows the
//! page's and asks for proof of work (the widget solves it with the browser's SHA-256),
//! and a signed-webhook help desk behind it. The ticket reaches the desk, verified
//! by the Standard Webhooks reference library; the support team finds it in the relay's
//! inbox after signing in, and nothing there opens without it. The page's insights reach
//! the relay too: the inbox's insights page (and its CSV, signed in only) counts the
//! customer who contacted support. axe checks the inbox pages.

use std::time::Duration;

use anyhow::{Context, Result};
use fantoccini::{Client, Locator};
use fixpath_e2e::relay_process::{http, HelpPageWithRelay, Receiver, Relay, SECRET};
use fixpath_e2e::start_browser;
use fixpath_e2e::widget_page::WidgetPage;

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_from_the_help_page_reaches_the_desk_and_the_teams_inbox() -> Result<()> {
    let desk = Receiver::start(SECRET, 0, 0).await?;
    let (site_port, site) = HelpPageWithRelay::reserve()?;
    let relay_dir = tempfile::tempdir()?;
    let relay = Relay::start(
        relay_dir.path(),
        &format!(
            r#"
[limits]
allowed_origins = ["{site}"]
min_fill_seconds = 1

[limits.proof_of_work]
max_number = 50000

[inbox]
password_env = "INBOX_PASSWORD"

[insights]
enabled = true

[[destination]]
name = "desk"
kind = "webhook"
url = "{}"
secret_env = "DESK_SECRET"
"#,
            desk.url
        ),
        &[("DESK_SECRET", SECRET), ("INBOX_PASSWORD", PASSWORD)],
    )
    .await?;

    let _page = HelpPageWithRelay::start(site_port, &relay.url).await?;

    let (mut driver, client) = start_browser().await?;
    let result = journey(&client, &site, &relay, &desk).await;
    let _ = client.close().await;
    let _ = driver.kill();
    result
}

async fn journey(client: &Client, site: &str, relay: &Relay, desk: &Receiver) -> Result<()> {
    let page = WidgetPage::open(client, &format!("{site}/")).await?;
    page.click("contact").await?;
    page.fill(&[
        ("trying_to_do", "Share the Q3 deal room"),
        ("what_happened", "The invite button does nothing"),
        ("name", "Grace Hopper"),
        ("email", "grace@example.com"),
    ])
    .await?;
    // A person takes more than a second over a form; the relay refuses faster ones.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    page.click("submit").await?;
    page.wait_text("sent", "reference").await?;
    page.check_accessibility("sent through the relay").await?;
    let reference = page.text("reference").await?;
    page.check_no_csp_violations().await?;

    let http = http()?;
    let received = desk
        .wait_for(
            &http,
            std::slice::from_ref(&reference),
            Duration::from_secs(30),
        )
        .await?;
    assert_eq!(received.bad_signatures, 0);
    let data = &received.tickets[&reference]["data"];
    assert_eq!(data["what_happened"], "The invite button does nothing");
    assert_eq!(data["email"], "grace@example.com");

    // The desk has it; the relay records that once the desk's answer is in.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !relay
        .get(&http, "/metrics")
        .await?
        .lines()
        .any(|l| l == "fixpath_relay_deliveries{state=\"delivered\"} 1")
    {
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "the relay never recorded the delivery"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Nothing in the inbox opens without signing in.
    let detail = format!("{}/inbox/tickets/{reference}", relay.url);
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let answer = anonymous.get(&detail).send().await?;
    assert_eq!(
        answer
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap()),
        Some("/inbox/login")
    );
    let retry = anonymous
        .post(format!("{}/inbox/deliveries/1/retry", relay.url))
        .send()
        .await?;
    assert_eq!(retry.status().as_u16(), 401);
    assert!(!anonymous
        .get(&detail)
        .send()
        .await?
        .text()
        .await?
        .contains("Grace"));

    let inbox = WidgetPage::visit(client, &format!("{}/inbox", relay.url)).await?;
    assert_eq!(heading(client).await?, "Sign in to the inbox");
    inbox.check_page_accessibility("inbox sign-in").await?;
    sign_in(client, "not it").await?;
    wait_for_heading(client, "Sign in to the inbox").await?;
    // The refused page has the sign-in page's heading: wait for its alert, not the heading.
    let problem = client
        .wait()
        .at_most(std::time::Duration::from_secs(15))
        .for_element(Locator::Css("[role=alert]"))
        .await?
        .text()
        .await?;
    assert_eq!(problem, "That is not the inbox password.");
    inbox
        .check_page_accessibility("inbox sign-in refused")
        .await?;
    sign_in(client, PASSWORD).await?;
    wait_for_heading(client, "Tickets").await?;
    let row = client
        .find(Locator::Css("[data-testid=inbox-ticket]"))
        .await?
        .text()
        .await?;
    assert!(
        row.contains(&reference) && row.contains("delivered"),
        "{row}"
    );
    inbox.check_page_accessibility("inbox list").await?;
    client
        .find(Locator::LinkText(&reference))
        .await?
        .click()
        .await?;
    let content = client
        .find(Locator::Css("[data-testid=ticket-content]"))
        .await?
        .text()
        .await?;
    assert!(
        content.contains("The invite button does nothing") && content.contains("grace@example.com")
    );
    let delivery = client
        .find(Locator::Css("[data-testid=delivery]"))
        .await?
        .text()
        .await?;
    assert!(delivery.starts_with("desk delivered 1"), "{delivery}");
    inbox.check_page_accessibility("inbox ticket").await?;

    // Leaving the help page sent its insights: the customer who went straight to support.
    let csv = format!("{}/inbox/insights/days.csv", relay.url);
    let answer = anonymous.get(&csv).send().await?;
    assert_eq!(answer.status().as_u16(), 303, "exports need signing in too");
    let cookie = client
        .get_all_cookies()
        .await?
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect::<Vec<_>>()
        .join("; ");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let today = loop {
        let days = http
            .get(&csv)
            .header("cookie", &cookie)
            .send()
            .await?
            .text()
            .await?;
        if let Some(today) = days.lines().nth(1) {
            break today.to_string();
        }
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "the relay never counted the page's insights: {days}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // day, searches, without results, resolved, escalated, deflection, critical, minor
    let counts: Vec<&str> = today.split(',').skip(1).collect();
    assert_eq!(counts, ["0", "0", "0", "1", "0.000", "0", "1"], "{today}");
    client
        .find(Locator::LinkText("Insights"))
        .await?
        .click()
        .await?;
    wait_for_heading(client, "Insights").await?;
    let rate = client
        .find(Locator::Css("[data-testid=deflection-rate]"))
        .await?
        .text()
        .await?;
    assert_eq!(rate, "0 %");
    inbox.check_page_accessibility("inbox insights").await?;

    // The docs team's terminal reads the same, signing in with the password.
    let cli = std::process::Command::new(fixpath_e2e::fixpath_bin()?)
        .args([
            "insights",
            &relay.url,
            "--password-env",
            "INBOX_PASSWORD",
            "--days",
            "7",
        ])
        .env("INBOX_PASSWORD", PASSWORD)
        .output()?;
    let printed = String::from_utf8_lossy(&cli.stdout);
    assert!(
        cli.status.success()
            && printed.contains("Deflection: 0 %")
            && printed.contains("Tickets: 0 critical, 1 minor"),
        "{printed}{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let refused = std::process::Command::new(fixpath_e2e::fixpath_bin()?)
        .args(["insights", &relay.url, "--password-env", "INBOX_PASSWORD"])
        .env("INBOX_PASSWORD", "guess")
        .output()?;
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("refused the inbox password"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    Ok(())
}

async fn sign_in(client: &Client, password: &str) -> Result<()> {
    let field = client.find(Locator::Css("#password")).await?;
    field.clear().await?;
    field.send_keys(password).await?;
    client
        .find(Locator::Css("button[type=submit]"))
        .await?
        .click()
        .await
        .context("signing in")?;
    Ok(())
}

async fn heading(client: &Client) -> Result<String> {
    Ok(client.find(Locator::Css("h1")).await?.text().await?)
}

/// Waits for the page after a form was sent.
async fn wait_for_heading(client: &Client, text: &str) -> Result<()> {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(h) = heading(client).await {
            if h == text {
                return Ok(());
            }
        }
        if std::time::Instant::now() > deadline {
            anyhow::bail!("the page never showed {text:?}: {}", client.source().await?);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
