//! A bounded load on a running relay, over loopback: `tickets` new tickets sent at
//! `concurrency`, as widgets would, to a relay that delivers them to a webhook endpoint
//! in this process (counting each `webhook-id`, not verifying: the signature is the
//! delivery tests' business). Reports what was lost or doubled, and the figures.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use fixpath_engine::triage::Severity;
use futures_util::stream::{self, StreamExt};

use crate::relay_process::{http, ticket, Relay};

/// Webhook ids received, with how often.
#[derive(Clone, Default)]
pub struct Sink {
    seen: Arc<Mutex<HashMap<String, u32>>>,
}

impl Sink {
    /// Starts the endpoint; its URL.
    pub async fn start(&self) -> Result<String> {
        let seen = self.seen.clone();
        let app = Router::new().route(
            "/hook",
            post(move |headers: HeaderMap| {
                let seen = seen.clone();
                async move {
                    let id = headers
                        .get("webhook-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string();
                    *seen.lock().unwrap().entry(id).or_default() += 1;
                    StatusCode::NO_CONTENT
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/hook", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(url)
    }

    fn counts(&self) -> (usize, u32) {
        let seen = self.seen.lock().unwrap();
        (seen.len(), seen.values().map(|n| n.saturating_sub(1)).sum())
    }
}

/// The relay config for a load run against `sink_url`, with `store` (a `[store]` table).
pub fn config(sink_url: &str, store: &str) -> String {
    format!(
        r#"
{store}

[limits]
per_ip = {{ tickets = 1000000, per_hours = 1 }}
per_site = {{ tickets = 1000000, per_hours = 1 }}

[delivery]
concurrency = 32

[[destination]]
name = "sink"
kind = "webhook"
url = "{sink_url}"
secret_env = "SINK_SECRET"
"#
    )
}

pub struct Report {
    pub tickets: usize,
    pub concurrency: usize,
    /// Accepted tickets per second, while sending.
    pub accepted_per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    /// From the first send until every ticket was delivered.
    pub delivered_after: Duration,
    pub lost: usize,
    pub duplicates: u32,
}

/// Sends `tickets` new tickets at `concurrency`; waits (up to `patience`) until all are
/// delivered to `sink`.
pub async fn run(
    relay: &Relay,
    sink: &Sink,
    tickets: usize,
    concurrency: usize,
    patience: Duration,
) -> Result<Report> {
    let http = http()?;
    let start = Instant::now();
    let results: Vec<(u16, Duration)> = stream::iter(0..tickets)
        .map(|n| {
            let http = http.clone();
            async move {
                // Distinct references from a run-specific base.
                let t = ticket(0x3000_0000 + n as u64, Severity::Minor);
                let sent = Instant::now();
                let status = relay
                    .post(&http, &t, "10000")
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0);
                (status, sent.elapsed())
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let sending = start.elapsed();
    let refused: Vec<u16> = results
        .iter()
        .map(|(s, _)| *s)
        .filter(|s| *s != 202)
        .collect();
    if !refused.is_empty() {
        bail!(
            "{} of {tickets} tickets were not accepted: {:?}",
            refused.len(),
            &refused[..refused.len().min(10)]
        );
    }
    let mut latencies: Vec<f64> = results
        .iter()
        .map(|(_, d)| d.as_secs_f64() * 1000.0)
        .collect();
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let deadline = start + patience;
    loop {
        let (delivered, _) = sink.counts();
        if delivered >= tickets || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let delivered_after = start.elapsed();
    // A moment for any late repeat to show.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (delivered, duplicates) = sink.counts();
    Ok(Report {
        tickets,
        concurrency,
        accepted_per_second: tickets as f64 / sending.as_secs_f64(),
        p50_ms: at(0.5),
        p95_ms: at(0.95),
        delivered_after,
        lost: tickets.saturating_sub(delivered),
        duplicates,
    })
}
