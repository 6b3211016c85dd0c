//! `POST /v1/events`: insights from the widget (issue 13), when `[insights]` turns them on.
//!
//! A batch ([`Batch`]) is checked, counted into its UTC day's [`DayTally`] and added to the
//! store in one transaction; the batch itself — page id, order of events — is never kept.
//! The widget sends with `navigator.sendBeacon` (a plain-text body, no preflight, the
//! answer unread), so this takes any content type. Batches have their own rate limit per
//! client address: a flood of them is refused without touching the ticket buckets, and a
//! refused batch loses counts, never a ticket.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use fixpath_engine::insights::{day_of, Batch, DayTally, MIN_PAGES};
use fixpath_engine::relay_api::INSIGHTS_PATH;
use serde::Deserialize;

use crate::limits::{Buckets, Limits, Rate, Request};
use crate::queue::Queue;
use crate::worker::now_ms;

/// Largest batch body: 64 insights of short ids are a few kilobytes.
const MAX_BATCH_BYTES: usize = 64 * 1024;

/// `[insights]`: off unless turned on.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InsightsConfig {
    pub enabled: bool,
    /// Batches per client address (a page sends one when it is hidden, or per 64 events).
    pub per_ip: BatchRate,
    /// The k of k-anonymity: a query is shown on the insights pages and in their exports
    /// only once this many pages searched it (never fewer than 5).
    pub min_pages: u64,
    /// Days a day's counts are kept; older days are deleted.
    pub keep_days: u32,
}

/// At most `batches` per `per_hours`, refilled evenly.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchRate {
    pub batches: u32,
    pub per_hours: f64,
}

impl Default for InsightsConfig {
    fn default() -> Self {
        InsightsConfig {
            enabled: false,
            per_ip: BatchRate {
                batches: 120,
                per_hours: 1.0,
            },
            min_pages: MIN_PAGES,
            keep_days: 400,
        }
    }
}

#[derive(Clone)]
struct Insights {
    queue: Arc<Queue>,
    limits: Arc<Limits>,
    per_ip: Arc<Buckets>,
}

/// The route, when `config` turns insights on (otherwise none: the address answers 404).
pub fn routes(config: &InsightsConfig, queue: Arc<Queue>, limits: Arc<Limits>) -> Router {
    if !config.enabled {
        return Router::new();
    }
    let state = Insights {
        queue,
        limits,
        per_ip: Arc::new(Buckets::new(Rate {
            tickets: config.per_ip.batches,
            per_hours: config.per_ip.per_hours,
        })),
    };
    Router::new()
        .route(INSIGHTS_PATH, post(receive))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BATCH_BYTES))
        .with_state(state)
}

async fn receive(
    State(insights): State<Insights>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = Request::from_headers(&headers, peer.map(|Extension(ConnectInfo(a))| a));
    if let Some(origin) = request.origin {
        if !insights.limits.origin_allowed(origin) {
            return (StatusCode::FORBIDDEN, "origin not allowed\n").into_response();
        }
    }
    let client = insights.limits.client_address(&request).to_string();
    if insights.per_ip.take(&client, Instant::now()).is_err() {
        return (StatusCode::TOO_MANY_REQUESTS, "too many batches\n").into_response();
    }
    let tally = match count(&body) {
        Ok(tally) => tally,
        Err(problem) => return (StatusCode::BAD_REQUEST, problem).into_response(),
    };
    match insights.queue.add_insights(&day_of(now_ms()), &tally).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => {
            tracing::error!("keeping insights: {e:#}");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// A batch body, checked and counted; or why it is refused.
pub fn count(body: &[u8]) -> Result<DayTally, String> {
    let batch: Batch = serde_json::from_slice(body).map_err(|e| format!("not a batch: {e}\n"))?;
    batch.check().map_err(|problem| format!("{problem}\n"))?;
    let mut tally = DayTally::default();
    tally.add(&batch);
    Ok(tally)
}
