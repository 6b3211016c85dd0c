//! `/inbox`: the support team's view of the relay, for teams with no help desk yet and
//! for watching deliveries: every ticket with its delivery state, a ticket's full content
//! with its files, and "retry now" for a delivery that failed. Signing in takes the
//! password set in the environment (`[inbox] password_env`); without it the inbox is off.
//! Nothing here works without a session; sign-in attempts are rate limited.

mod insights;
mod pages;
mod session;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use fixpath_engine::ticket::Ticket;
use serde::Deserialize;
use tokio::sync::Notify;

use crate::limits::{Buckets, Rate};
use crate::queue::Queue;
use crate::worker::now_ms;
use session::Sessions;

/// The inbox's pages: no script at all, styles from the relay only, never framed.
const INBOX_CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const STYLE: &str = include_str!("inbox.css");
/// Tickets on the list page.
const LIST_LIMIT: usize = 200;

/// `[inbox]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InboxConfig {
    /// The variable holding the inbox password. Unset: the inbox is off.
    pub password_env: Option<String>,
    /// How long a sign-in lasts.
    pub session_hours: u32,
    /// Mark the session cookie `Secure` (sent over HTTPS only; browsers also send it to
    /// `localhost`). Turn off only to reach the inbox over plain HTTP on another host.
    pub secure_cookie: bool,
}

impl Default for InboxConfig {
    fn default() -> Self {
        InboxConfig {
            password_env: None,
            session_hours: 12,
            secure_cookie: true,
        }
    }
}

#[derive(Clone)]
struct Inbox {
    queue: Arc<Queue>,
    sessions: Arc<Sessions>,
    secure_cookie: bool,
    sign_ins: Arc<Buckets>,
    wake: Arc<Notify>,
    /// The k of k-anonymity on the insights pages (`[insights] min_pages`).
    insights_min_pages: u64,
}

/// The inbox's routes, signed in with `password`.
pub fn routes(
    queue: Arc<Queue>,
    wake: Arc<Notify>,
    password: &str,
    config: &InboxConfig,
    insights_min_pages: u64,
) -> Router {
    let inbox = Inbox {
        queue,
        sessions: Arc::new(Sessions::new(
            password,
            i64::from(config.session_hours) * 3600,
        )),
        secure_cookie: config.secure_cookie,
        // Ten tries per quarter hour per address: enough for typos, too few to guess.
        sign_ins: Arc::new(Buckets::new(Rate {
            tickets: 10,
            per_hours: 0.25,
        })),
        wake,
        insights_min_pages,
    };
    let signed_in = Router::new()
        .route("/inbox", get(list))
        .route("/inbox/insights", get(insights::page))
        .route("/inbox/insights/{file}", get(insights::csv))
        .route("/inbox/tickets/{reference}", get(detail))
        .route(
            "/inbox/tickets/{reference}/attachments/{n}",
            get(attachment),
        )
        .route("/inbox/deliveries/{id}/retry", post(retry))
        .route("/inbox/logout", post(logout))
        .route_layer(middleware::from_fn_with_state(
            inbox.clone(),
            require_session,
        ));
    Router::new()
        .route("/inbox/login", get(login_page).post(login))
        .route(
            "/inbox/inbox.css",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
                    format!("{STYLE}{}", crate::insights_page::CHART_STYLE),
                )
            }),
        )
        .merge(signed_in)
        .layer(middleware::from_fn(headers))
        .with_state(inbox)
}

/// Every inbox answer: the CSP above, never cached, no referrer to other sites (`no-referrer`
/// would make the browser send `Origin: null` with the inbox's own forms).
async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(INBOX_CSP),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Lets a request with a valid session through; sends others to sign in (a page) or
/// refuses them (an action). A cross-site action is refused even with a session.
async fn require_session(State(inbox): State<Inbox>, request: Request, next: Next) -> Response {
    let cookies = request
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let valid =
        session::from_header(cookies).is_some_and(|v| inbox.sessions.valid(v, now_ms() / 1000));
    if !valid {
        return if request.method() == Method::GET {
            Redirect::to("/inbox/login").into_response()
        } else {
            (StatusCode::UNAUTHORIZED, "sign in first").into_response()
        };
    }
    if request.method() == Method::POST && !same_origin(request.headers()) {
        return (StatusCode::FORBIDDEN, "cross-site request").into_response();
    }
    next.run(request).await
}

/// An `Origin` header, when sent, names this host.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest == host)
}

async fn login_page() -> Html<String> {
    Html(pages::login(None))
}

#[derive(Deserialize)]
struct Login {
    password: String,
}

async fn login(
    State(inbox): State<Inbox>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let client = peer.map_or("local".to_string(), |Extension(ConnectInfo(a))| {
        a.ip().to_string()
    });
    if inbox.sign_ins.take(&client, Instant::now()).is_err() {
        let page = pages::login(Some(
            "Too many sign-in attempts. Wait a few minutes and try again.",
        ));
        return (StatusCode::TOO_MANY_REQUESTS, Html(page)).into_response();
    }
    let attempt = serde_urlencoded::from_bytes::<Login>(&body)
        .map(|l| l.password)
        .unwrap_or_default();
    if !same_origin(&headers) || !inbox.sessions.password_matches(&attempt) {
        tracing::warn!(client = %client, "inbox sign-in refused");
        return (
            StatusCode::UNAUTHORIZED,
            Html(pages::login(Some("That is not the inbox password."))),
        )
            .into_response();
    }
    let cookie = inbox
        .sessions
        .set_cookie(&inbox.sessions.issue(now_ms() / 1000), inbox.secure_cookie);
    ([(header::SET_COOKIE, cookie)], Redirect::to("/inbox")).into_response()
}

async fn logout(State(inbox): State<Inbox>) -> Response {
    let cookie = inbox.sessions.set_cookie("", inbox.secure_cookie);
    ([(header::SET_COOKIE, cookie)], Redirect::to("/inbox/login")).into_response()
}

fn unavailable(e: anyhow::Error) -> Response {
    tracing::error!(error = %format!("{e:#}"), "inbox could not read the store");
    (StatusCode::SERVICE_UNAVAILABLE, "the store does not answer").into_response()
}

async fn list(State(inbox): State<Inbox>) -> Response {
    match inbox.queue.recent(LIST_LIMIT).await {
        Ok(tickets) => Html(pages::list(&tickets)).into_response(),
        Err(e) => unavailable(e),
    }
}

async fn detail(State(inbox): State<Inbox>, Path(reference): Path<String>) -> Response {
    match inbox.queue.ticket(&reference).await {
        Ok(Some((ticket, attempts))) => Html(pages::detail(&ticket, &attempts)).into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            Html(pages::page(
                "Not found",
                "<h1>No such ticket</h1><p>It may have been delivered and purged.</p>",
                true,
            )),
        )
            .into_response(),
        Err(e) => unavailable(e),
    }
}

/// A customer's file, as a download: never shown inline, whatever it claims to be.
async fn attachment(
    State(inbox): State<Inbox>,
    Path((reference, n)): Path<(String, usize)>,
) -> Response {
    let found = match inbox.queue.ticket(&reference).await {
        Ok(found) => found,
        Err(e) => return unavailable(e),
    };
    let file = found
        .and_then(|(t, _)| serde_json::from_str::<Ticket>(&t.raw).ok())
        .and_then(|t| t.attachments.into_iter().nth(n));
    let Some(file) = file else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(bytes) = crate::destination::attachment_bytes(&file) else {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    };
    let name: String = file
        .name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".-_ ".contains(*c))
        .collect();
    let disposition = format!(
        "attachment; filename=\"{}\"",
        if name.is_empty() { "attachment" } else { &name }
    );
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

async fn retry(State(inbox): State<Inbox>, Path(id): Path<i64>) -> Response {
    let reference = match inbox.queue.retry_now(id, now_ms()).await {
        Ok(Some(reference)) => reference,
        Ok(None) => return (StatusCode::CONFLICT, "no such delivery waiting").into_response(),
        Err(e) => return unavailable(e),
    };
    tracing::info!(reference = %reference, delivery = id, "retry requested from the inbox");
    inbox.wake.notify_one();
    Redirect::to(&format!("/inbox/tickets/{reference}")).into_response()
}
