//! The relay's HTTP face: `POST /v1/tickets`, `GET /healthz`, `GET /readyz`, `GET /metrics`.
//!
//! A ticket is validated with the engine's rules (those the widget applied), committed to
//! the queue, and only then answered `202` with its reference. The `Idempotency-Key` is
//! required and is the ticket's id; a repeat with the same body answers as the first did,
//! a repeat with another body is refused. Every refusal is a [`Refusal`] with a stable code.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderName, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use fixpath_engine::relay_api::{
    Accepted, FieldProblem, Refusal, RefusalCode, CHALLENGE_PATH, PROOF_HEADER, TICKETS_PATH,
};
use fixpath_engine::ticket::{check_ticket, Ticket};
use fixpath_engine::ticket_fields::TicketConfig;
use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::config::RelayConfig;
use crate::limits::{self, Limits, FILL_TIME_HEADER, TRAP_HEADER};
use crate::metrics::Metrics;
use crate::proof_of_work::ProofOfWork;
use crate::queue::{self, NewTicket, Queue};
use crate::worker::now_ms;

/// Largest ticket body: the text fields plus the largest attachments the widget allows,
/// base64-encoded (4 characters per 3 bytes).
pub const MAX_BODY_BYTES: usize =
    256 * 1024 + (fixpath_engine::ticket_fields::MAX_ATTACHMENT_BYTES as usize).div_ceil(3) * 4;

#[derive(Clone)]
pub struct Api {
    pub queue: Arc<Queue>,
    pub config: Arc<RelayConfig>,
    pub limits: Arc<Limits>,
    /// When the relay asks for proof of work.
    pub proof_of_work: Option<Arc<ProofOfWork>>,
    pub metrics: Arc<Metrics>,
    /// Woken when a ticket is accepted, so delivery starts at once.
    pub wake: Arc<Notify>,
}

pub fn routes(api: Api) -> Router {
    // Any page may ask, so that a page on a site the relay does not serve can read why it
    // was refused (403 `origin_not_allowed`, in words) instead of seeing the request fail;
    // the handler checks the origin, which browsers do not let pages forge.
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::POST, Method::GET])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static(TRAP_HEADER),
            HeaderName::from_static(FILL_TIME_HEADER),
            HeaderName::from_static(PROOF_HEADER),
        ])
        .max_age(Duration::from_secs(86_400));
    // The challenge address answers (404) even without proof of work, with CORS headers, so
    // the widget can tell "not asked" from "cannot reach".
    let tickets = Router::new()
        .route(TICKETS_PATH, post(receive))
        .route(CHALLENGE_PATH, get(challenge));
    let tickets = tickets
        .layer(axum::extract::DefaultBodyLimit::max(
            api.limits.config.max_body_bytes,
        ))
        .layer(cors);
    Router::new()
        .merge(tickets)
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .with_state(api)
}

/// A refusal as a response, counted.
fn refuse(api: &Api, refusal: Refusal) -> Response {
    api.metrics.reject(refusal.code.key());
    let status = StatusCode::from_u16(refusal.code.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = (status, Json(&refusal)).into_response();
    if let Some(seconds) = refusal.retry_after_seconds {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, seconds.into());
    }
    response
}

async fn receive(
    State(api): State<Api>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let peer = peer.map(|Extension(ConnectInfo(a))| a);
    let request = limits::Request::from_headers(&headers, peer);
    if let Err(refusal) = api.limits.check_request(&request) {
        return refuse(&api, refusal);
    }
    if let Some(pow) = &api.proof_of_work {
        if let Err(refusal) = pow.verify(text(PROOF_HEADER), now_ms() / 1000) {
            return refuse(&api, refusal);
        }
    }
    let body = match body {
        Ok(body) => body,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let limit = api.limits.config.max_body_bytes;
            return refuse(
                &api,
                Refusal::new(
                    RefusalCode::TooLarge,
                    format!("the body is over {limit} bytes"),
                ),
            );
        }
        Err(e) => return refuse(&api, Refusal::new(RefusalCode::NotATicket, e.body_text())),
    };
    let Some(key) = headers.get("idempotency-key").and_then(|v| v.to_str().ok()) else {
        return refuse(
            &api,
            Refusal::new(
                RefusalCode::IdempotencyKeyMissing,
                "send the ticket's id as the Idempotency-Key header",
            ),
        );
    };
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return refuse(
                &api,
                Refusal::new(RefusalCode::NotATicket, format!("not JSON: {e}")),
            )
        }
    };
    // serde_json's maps are sorted, so this is the same for the same ticket however its
    // JSON was spaced or ordered; it is what is kept, and what a repeat is compared by.
    let canonical = value.to_string();
    let ticket: Ticket = match serde_json::from_value(value) {
        Ok(t) => t,
        Err(e) => {
            return refuse(
                &api,
                Refusal::new(RefusalCode::NotATicket, format!("not a ticket: {e}")),
            )
        }
    };
    if key != ticket.id {
        return refuse(
            &api,
            Refusal::new(
                RefusalCode::IdempotencyKeyMismatch,
                "the Idempotency-Key must be the ticket's id",
            ),
        );
    }
    // The relay does not know the kb's `[ticket]` settings (the form enforced them): it
    // checks what every ticket must have, and each extra field's own rules.
    let errors = check_ticket(&ticket, &TicketConfig::minimal());
    if !errors.is_empty() {
        let mut refusal = Refusal::new(
            RefusalCode::InvalidTicket,
            "the ticket breaks the form's rules",
        );
        refusal.fields = FieldProblem::from_errors(&errors);
        return refuse(&api, refusal);
    }
    if let Err(refusal) = api.limits.check_ticket(&ticket) {
        return refuse(&api, refusal);
    }
    // A repeat of a kept ticket (the widget retrying) spends nothing.
    let kept = api.queue.has(&ticket.id).await.unwrap_or(false);
    if !kept {
        if let Err(refusal) = api.limits.spend(&request, Instant::now()) {
            return refuse(&api, refusal);
        }
    }
    let new = NewTicket {
        reference: ticket.id.clone(),
        body_hash: format!("{:x}", Sha256::digest(canonical.as_bytes())),
        raw: canonical,
        severity: ticket.severity,
        destinations: api.config.destinations_for(ticket.severity),
        now_ms: now_ms(),
    };
    match api.queue.accept(new).await {
        Ok(queue::Accepted::New) => {
            api.metrics.accepted.inc();
            api.wake.notify_one();
            tracing::info!(reference = %ticket.id, severity = ticket.severity.key(), "accepted");
            accepted(&ticket.id, false)
        }
        Ok(queue::Accepted::Repeat) => accepted(&ticket.id, true),
        Ok(queue::Accepted::Conflict) => refuse(
            &api,
            Refusal::new(
                RefusalCode::IdempotencyKeyReused,
                "this Idempotency-Key was used for a different ticket",
            ),
        ),
        Err(e) => {
            tracing::error!(reference = %ticket.id, error = %format!("{e:#}"), "could not keep a ticket");
            refuse(
                &api,
                Refusal::new(
                    RefusalCode::Unavailable,
                    "the relay cannot keep tickets right now",
                ),
            )
        }
    }
}

/// `GET /v1/challenge`: a fresh proof-of-work challenge.
async fn challenge(State(api): State<Api>) -> Response {
    match &api.proof_of_work {
        Some(pow) => (
            [(header::CACHE_CONTROL, "no-store")],
            Json(pow.challenge(now_ms() / 1000)),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn accepted(reference: &str, replayed: bool) -> Response {
    let body = Accepted {
        reference: reference.to_string(),
    };
    let mut response = (StatusCode::ACCEPTED, Json(body)).into_response();
    if replayed {
        response.headers_mut().insert(
            "idempotent-replayed",
            header::HeaderValue::from_static("true"),
        );
    }
    response
}

async fn ready(State(api): State<Api>) -> Response {
    match api.queue.ping().await {
        Ok(()) => "ready\n".into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the store does not answer: {e:#}\n"),
        )
            .into_response(),
    }
}

async fn metrics(State(api): State<Api>) -> Response {
    match api.queue.depth().await {
        Ok(depth) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            api.metrics.render(depth),
        )
            .into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the store does not answer: {e:#}\n"),
        )
            .into_response(),
    }
}
