//! `POST /api/tickets`: the HTTP face of the store. The ticket id is the idempotency key
//! (an `Idempotency-Key` header, when sent, must match it), so a retried send is stored once.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use fixpath_engine::relay_api::FieldProblem;
use fixpath_engine::ticket::{check_ticket, Ticket};
use fixpath_engine::ticket_fields::TicketConfig;
use serde_json::json;

use crate::api::MAX_BODY_BYTES;
use crate::store::{Stored, TicketStore};

/// Fault injection for resilience tests and demos: the next `n` ticket POSTs are answered
/// 503 without touching the store. Also counts every POST received.
#[derive(Debug, Default)]
pub struct Faults {
    fail_next: AtomicU32,
    received: AtomicU32,
}

impl Faults {
    pub fn fail_next(&self, n: u32) {
        self.fail_next.store(n, Ordering::SeqCst);
    }

    /// Ticket POSTs received so far, failed ones included.
    pub fn received(&self) -> u32 {
        self.received.load(Ordering::SeqCst)
    }

    /// Counts a POST; true when it must fail.
    fn should_fail(&self) -> bool {
        self.received.fetch_add(1, Ordering::SeqCst);
        self.fail_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }
}

#[derive(Clone)]
struct Receiver {
    store: Arc<TicketStore>,
    faults: Arc<Faults>,
}

pub fn routes(store: Arc<TicketStore>, faults: Arc<Faults>) -> Router {
    Router::new()
        .route("/api/tickets", post(receive))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(Receiver { store, faults })
}

async fn receive(
    State(Receiver { store, faults }): State<Receiver>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if faults.should_fail() {
        return problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "injected failure".to_string(),
        );
    }
    let ticket: Ticket = match serde_json::from_slice(&body) {
        Ok(t) => t,
        Err(e) => return problem(StatusCode::BAD_REQUEST, format!("not a ticket: {e}")),
    };
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or(&ticket.id);
    if key != ticket.id {
        return problem(
            StatusCode::BAD_REQUEST,
            "Idempotency-Key must be the ticket id".to_string(),
        );
    }
    // The receiver does not know the kb's `[ticket]` settings (the form enforced them):
    // it checks what every ticket must have, and each extra field's own rules.
    let errors = check_ticket(&ticket, &TicketConfig::minimal());
    if !errors.is_empty() {
        let fields = FieldProblem::from_errors(&errors);
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "invalid ticket", "fields": fields})),
        )
            .into_response();
    }
    match store.store(key, &ticket) {
        Ok(Stored::New) => {
            println!("ticket received:\n{}", ticket.to_text());
            (StatusCode::CREATED, Json(json!({"id": ticket.id}))).into_response()
        }
        Ok(Stored::Duplicate) => (
            StatusCode::OK,
            Json(json!({"id": ticket.id, "duplicate": true})),
        )
            .into_response(),
        Err(e) => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("could not store the ticket: {e:#}"),
        ),
    }
}

fn problem(status: StatusCode, message: String) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use fixpath_engine::ticket::new_ticket_id;
    use tower::ServiceExt;

    fn ticket() -> Ticket {
        let mut t = Ticket::new(new_ticket_id(7), "2026-11-27T10:00:00Z".into());
        t.trying_to_do = "upload".into();
        t.what_happened = "E-UP-413".into();
        t.name = "Ada".into();
        t.email = "ada@example.com".into();
        t
    }

    async fn post(store: Arc<TicketStore>, body: String, key: Option<&str>) -> StatusCode {
        let mut request = Request::post("/api/tickets").header("content-type", "application/json");
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        routes(store, Arc::default())
            .oneshot(request.body(Body::from(body)).unwrap())
            .await
            .unwrap()
            .status()
    }

    #[tokio::test]
    async fn a_repeated_key_is_stored_once_even_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let t = ticket();
        let body = serde_json::to_string(&t).unwrap();
        let store = Arc::new(TicketStore::open(dir.path()).unwrap());
        assert_eq!(
            post(store.clone(), body.clone(), Some(&t.id)).await,
            StatusCode::CREATED
        );
        assert_eq!(
            post(store.clone(), body.clone(), Some(&t.id)).await,
            StatusCode::OK
        );
        let reopened = Arc::new(TicketStore::open(dir.path()).unwrap());
        assert_eq!(post(reopened.clone(), body, None).await, StatusCode::OK);
        assert_eq!(reopened.all().unwrap(), vec![t]);
    }

    #[tokio::test]
    async fn injected_failures_answer_503_and_store_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(TicketStore::open(dir.path()).unwrap());
        let faults = Arc::new(Faults::default());
        faults.fail_next(1);
        let t = ticket();
        let request = || {
            Request::post("/api/tickets")
                .header("content-type", "application/json")
                .body(Body::from(serde_json::to_string(&t).unwrap()))
                .unwrap()
        };
        let first = routes(store.clone(), faults.clone())
            .oneshot(request())
            .await
            .unwrap();
        assert_eq!(first.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(store.all().unwrap().is_empty());
        let second = routes(store.clone(), faults.clone())
            .oneshot(request())
            .await
            .unwrap();
        assert_eq!(second.status(), StatusCode::CREATED);
        assert_eq!((store.all().unwrap().len(), faults.received()), (1, 2));
    }

    #[tokio::test]
    async fn invalid_tickets_are_refused_and_not_stored() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(TicketStore::open(dir.path()).unwrap());
        let mut t = ticket();
        t.email = "nope".into();
        assert_eq!(
            post(store.clone(), serde_json::to_string(&t).unwrap(), None).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            post(store.clone(), "{".into(), None).await,
            StatusCode::BAD_REQUEST
        );
        let t = ticket();
        assert_eq!(
            post(
                store.clone(),
                serde_json::to_string(&t).unwrap(),
                Some("other")
            )
            .await,
            StatusCode::BAD_REQUEST
        );
        assert!(store.all().unwrap().is_empty());
    }
}
