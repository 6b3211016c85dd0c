//! The relay as its users run it (`fixpath relay --config relay.toml`, the release binary),
//! and a help desk's webhook endpoint that checks every signature with the Standard
//! Webhooks reference library (`tests/fixtures/webhook_receiver.py`, Python).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fixpath_engine::ticket::{new_ticket_id, Ticket};
use fixpath_engine::triage::Severity;

use crate::process::Background;
use crate::{fixpath_bin, repo_root};

/// A webhook secret in the spec's form.
pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// Another, for rotations.
pub const NEW_SECRET: &str = "whsec_bmV3IHNlY3JldCBmb3Igcm90YXRpb24=";

/// A running `fixpath relay`.
pub struct Relay {
    pub process: Background,
    /// `http://127.0.0.1:PORT`
    pub url: String,
}

impl Relay {
    /// Writes `config` to `dir/relay.toml` and starts the relay on a free port with `env`.
    pub async fn start(dir: &Path, config: &str, env: &[(&str, &str)]) -> Result<Relay> {
        let path = dir.join("relay.toml");
        std::fs::write(&path, config)?;
        let mut process = Background::start(
            Command::new(fixpath_bin()?)
                .args(["relay", "--listen", "127.0.0.1:0", "--config"])
                .arg(&path)
                .envs(env.iter().copied())
                .env("RUST_LOG", "info"),
        )?;
        let line = process
            .wait_for_line(0, Duration::from_secs(30), |l| {
                l.starts_with("Relay listening on ")
            })
            .await?;
        let url = line
            .trim_start_matches("Relay listening on ")
            .split(' ')
            .next()
            .context("the relay's address")?
            .to_string();
        Ok(Relay { process, url })
    }

    /// POSTs `ticket` to `/v1/tickets` as the widget does (its id as the key, the form
    /// open for ten seconds); the status and body.
    pub async fn send(&self, http: &reqwest::Client, ticket: &Ticket) -> Result<(u16, String)> {
        let response = self.post(http, ticket, "10000").send().await?;
        Ok((response.status().as_u16(), response.text().await?))
    }

    /// The widget's request for `ticket`, its form open for `fill_ms`, to send as is or
    /// with more headers.
    pub fn post(
        &self,
        http: &reqwest::Client,
        ticket: &Ticket,
        fill_ms: &str,
    ) -> reqwest::RequestBuilder {
        http.post(format!("{}/v1/tickets", self.url))
            .header("content-type", "application/json")
            .header("idempotency-key", &ticket.id)
            .header("fixpath-fill-ms", fill_ms)
            .body(serde_json::to_string(ticket).expect("a ticket is JSON"))
    }

    /// GET `path`'s body (fails on a non-2xx answer).
    pub async fn get(&self, http: &reqwest::Client, path: &str) -> Result<String> {
        let response = http.get(format!("{}{path}", self.url)).send().await?;
        if !response.status().is_success() {
            bail!("GET {path}: {}", response.status());
        }
        Ok(response.text().await?)
    }
}

/// What a [`Receiver`] got.
#[derive(Debug, serde::Deserialize)]
pub struct Received {
    /// `webhook-id` of every accepted request, repeats included.
    pub ids: Vec<String>,
    pub bad_signatures: u32,
    /// Requests left hanging (never counted as received).
    pub hung: u32,
    pub failed: u32,
    /// The verified event of each id.
    pub tickets: BTreeMap<String, serde_json::Value>,
}

/// A webhook endpoint verifying with the reference library.
pub struct Receiver {
    _process: Background,
    pub url: String,
}

impl Receiver {
    /// `secret` is what it verifies with; it sleeps `delay_ms` per request and refuses the
    /// first `fail_first` with 503.
    pub async fn start(secret: &str, delay_ms: u32, fail_first: u32) -> Result<Receiver> {
        Receiver::start_with(secret, delay_ms, fail_first, 0).await
    }

    /// As [`Receiver::start`], and the very first `hang_first` requests stall for 10 s
    /// before a 503.
    pub async fn start_with(
        secret: &str,
        delay_ms: u32,
        fail_first: u32,
        hang_first: u32,
    ) -> Result<Receiver> {
        let mut process = Background::start(
            Command::new("python3")
                .arg(repo_root().join("tests/fixtures/webhook_receiver.py"))
                .args(["--secret", secret])
                .args(["--delay-ms", &delay_ms.to_string()])
                .args(["--fail-first", &fail_first.to_string()])
                .args(["--hang-first", &hang_first.to_string()])
                .env("PYTHONPATH", python_path()?),
        )?;
        let line = process
            .wait_for_line(0, Duration::from_secs(30), |l| {
                l.starts_with("listening on ")
            })
            .await?;
        let port = line.trim_start_matches("listening on ").trim().to_string();
        Ok(Receiver {
            _process: process,
            url: format!("http://127.0.0.1:{port}/hook"),
        })
    }

    pub async fn received(&self, http: &reqwest::Client) -> Result<Received> {
        Ok(serde_json::from_str(
            &http.get(&self.url).send().await?.text().await?,
        )?)
    }

    /// Waits until every one of `references` has arrived at least once.
    pub async fn wait_for(
        &self,
        http: &reqwest::Client,
        references: &[String],
        timeout: Duration,
    ) -> Result<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            let received = self.received(http).await?;
            if references.iter().all(|r| received.ids.contains(r)) {
                return Ok(received);
            }
            if Instant::now() > deadline {
                let missing: Vec<_> = references
                    .iter()
                    .filter(|r| !received.ids.contains(r))
                    .collect();
                bail!(
                    "{} of {} tickets never arrived: {missing:?}",
                    missing.len(),
                    references.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The demo help pages served by `fixpath serve --pages demo` (the release binary) from a
/// copy of the demo kb whose `[delivery]` sends to a relay, as a site adopting the relay
/// would set it up.
pub struct HelpPageWithRelay {
    _serve: Background,
    _kb: tempfile::TempDir,
    /// `http://127.0.0.1:PORT`, the origin the relay must allow.
    pub site: String,
}

impl HelpPageWithRelay {
    /// The port to serve on (so the relay's config can allow the origin before it starts),
    /// and the page's origin.
    pub fn reserve() -> Result<(u16, String)> {
        let port = crate::process::free_port()?;
        Ok((port, format!("http://127.0.0.1:{port}")))
    }

    /// Serves the demo pages on `port`, their kb sending tickets and insights to `relay_url`.
    pub async fn start(port: u16, relay_url: &str) -> Result<HelpPageWithRelay> {
        let kb = tempfile::tempdir()?;
        crate::copy_tree(&repo_root().join("kb"), kb.path())?;
        let config = std::fs::read_to_string(kb.path().join("fixpath.toml"))?
            .replace("kind = \"webhook\"", "kind = \"relay\"")
            .replace("url = \"/api/tickets\"", &format!("url = \"{relay_url}\""))
            // Insights follow the tickets to the relay (not the preview's receiver).
            .replace("url = \"/v1/events\"", "");
        std::fs::write(kb.path().join("fixpath.toml"), config)?;
        let mut serve = Background::start(
            Command::new(fixpath_bin()?)
                .arg("serve")
                .arg(kb.path())
                .args(["--port", &port.to_string(), "--pages"])
                .arg(repo_root().join("demo")),
        )?;
        serve
            .wait_for_line(0, Duration::from_secs(60), |l| l.starts_with("Previewing"))
            .await?;
        Ok(HelpPageWithRelay {
            _serve: serve,
            _kb: kb,
            site: format!("http://127.0.0.1:{port}"),
        })
    }
}

/// Where `cargo xtask test` installed the `standardwebhooks` package.
fn python_path() -> Result<String> {
    std::env::var("FIXPATH_PYTHONPATH")
        .context("FIXPATH_PYTHONPATH is not set: run this through `cargo xtask test`")
}

/// A valid ticket, numbered so each is distinct.
pub fn ticket(n: u64, severity: Severity) -> Ticket {
    let mut t = Ticket::new(
        new_ticket_id(0x1234_5678 + n),
        "2026-11-30T10:00:00+01:00".into(),
    );
    t.trying_to_do = format!("Upload contract {n}");
    t.what_happened = "The upload stops at 99 %".into();
    t.error_message = "E-UP-413: file too large".into();
    t.name = "Ada Lovelace".into();
    t.email = "ada@example.com".into();
    t.severity = severity;
    t
}

/// The relay's own HTTP client (rustls; no second TLS stack to build).
pub fn http() -> Result<reqwest::Client> {
    fixpath_relay::service::http_client(&fixpath_relay::config::DeliverySettings::default())
}
