//! Stand-ins for the help desks the relay delivers to, each at `/{vendor}/…` on one local
//! server, each checking what that vendor's published API requires: the path and method,
//! the authentication scheme with the expected credentials, and the request body's
//! required fields and allowed values. A request that breaks a rule is answered as the
//! vendor would (401, 400 or 422) and recorded as a violation, so a test fails on it.
//!
//! With `lose_first_answer`, each vendor creates the first ticket it is sent and then
//! answers 502, as when the answer is lost on the way back: the relay retries, and the
//! adapter must find what was made instead of making it twice.

// The checks return the vendor's refusal itself as the error, early-returned by handlers;
// its size does not matter in a test server.
#![allow(clippy::result_large_err)]

mod freshdesk;
mod github;
mod helpscout;
mod jira;
mod zammad;
mod zendesk;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;
use serde_json::Value;

/// The credentials the relay's config hands each adapter (through the environment).
pub const ZENDESK_AUTH: (&str, &str) = ("agent@acme.example/token", "zd-token");
pub const FRESHDESK_KEY: &str = "fd-key";
pub const JIRA_AUTH: (&str, &str) = ("bot@acme.example", "jira-token");
pub const ZAMMAD_TOKEN: &str = "zm-token";
pub const GITHUB_TOKEN: &str = "gh-token";
pub const HELPSCOUT_APP: (&str, &str) = ("hs-app", "hs-secret");
const HELPSCOUT_BEARER: &str = "hs-bearer-1";

#[derive(Default)]
pub struct Desks {
    /// What each vendor created, in order.
    pub created: BTreeMap<&'static str, Vec<Value>>,
    /// Uploaded files by token (Zendesk).
    pub uploads: BTreeMap<String, (String, Vec<u8>)>,
    /// Every rule a request broke: `vendor: what`.
    pub violations: Vec<String>,
    /// Creates answered 502 after creating.
    pub lost_answers: Vec<&'static str>,
    pub lose_first_answer: bool,
}

type Shared = Arc<Mutex<Desks>>;

pub fn router(desks: Shared) -> Router {
    Router::new()
        .route(
            "/zendesk/api/v2/uploads.json",
            post(zendesk::zendesk_upload),
        )
        .route(
            "/zendesk/api/v2/tickets.json",
            post(zendesk::zendesk_create).get(zendesk::zendesk_find),
        )
        .route(
            "/freshdesk/api/v2/tickets",
            post(freshdesk::freshdesk_create),
        )
        .route(
            "/freshdesk/api/v2/search/tickets",
            get(freshdesk::freshdesk_find),
        )
        .route(
            "/jira/rest/servicedeskapi/request",
            post(jira::jira_create).get(jira::jira_find),
        )
        .route("/zammad/api/v1/tickets", post(zammad::zammad_create))
        .route("/zammad/api/v1/tickets/search", get(zammad::zammad_find))
        .route(
            "/github/repos/{owner}/{repo}/issues",
            post(github::github_create).get(github::github_find),
        )
        .route(
            "/helpscout/v2/oauth2/token",
            post(helpscout::helpscout_token),
        )
        .route(
            "/helpscout/v2/conversations",
            post(helpscout::helpscout_create).get(helpscout::helpscout_find),
        )
        .with_state(desks)
}

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Checks `authorization`; records and answers 401 when it is not `expected`.
fn authorized(
    desks: &Shared,
    vendor: &str,
    headers: &HeaderMap,
    expected: &str,
) -> Result<(), Response> {
    if header(headers, "authorization") == expected {
        return Ok(());
    }
    desks
        .lock()
        .unwrap()
        .violations
        .push(format!("{vendor}: wrong authorization"));
    Err((StatusCode::UNAUTHORIZED, "unauthorized").into_response())
}

/// Records and answers 422 for each rule `body` breaks (`(rule, holds)`).
fn valid(desks: &Shared, vendor: &str, rules: &[(&str, bool)]) -> Result<(), Response> {
    let broken: Vec<String> = rules
        .iter()
        .filter(|(_, holds)| !holds)
        .map(|(rule, _)| format!("{vendor}: {rule}"))
        .collect();
    if broken.is_empty() {
        return Ok(());
    }
    desks.lock().unwrap().violations.extend(broken.clone());
    Err((StatusCode::UNPROCESSABLE_ENTITY, broken.join("; ")).into_response())
}

fn json_body(
    desks: &Shared,
    vendor: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Value, Response> {
    let is_json = header(headers, "content-type").starts_with("application/json");
    match serde_json::from_slice(body) {
        Ok(v) if is_json => Ok(v),
        _ => {
            desks
                .lock()
                .unwrap()
                .violations
                .push(format!("{vendor}: body is not JSON"));
            Err((StatusCode::BAD_REQUEST, "not JSON").into_response())
        }
    }
}

/// Stores `item`; the first one answers 502 when answers are being lost.
fn create(desks: &Shared, vendor: &'static str, item: Value, answer: Response) -> Response {
    let mut d = desks.lock().unwrap();
    d.created.entry(vendor).or_default().push(item);
    if d.lose_first_answer && !d.lost_answers.contains(&vendor) {
        d.lost_answers.push(vendor);
        return (StatusCode::BAD_GATEWAY, "the answer was lost").into_response();
    }
    answer
}

fn created(desks: &Shared, vendor: &str) -> Vec<Value> {
    desks
        .lock()
        .unwrap()
        .created
        .get(vendor)
        .cloned()
        .unwrap_or_default()
}

fn is_str(v: &Value) -> bool {
    v.as_str().is_some_and(|s| !s.trim().is_empty())
}
