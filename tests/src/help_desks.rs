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

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde_json::{json, Value};

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
        .route("/zendesk/api/v2/uploads.json", post(zendesk_upload))
        .route(
            "/zendesk/api/v2/tickets.json",
            post(zendesk_create).get(zendesk_find),
        )
        .route("/freshdesk/api/v2/tickets", post(freshdesk_create))
        .route("/freshdesk/api/v2/search/tickets", get(freshdesk_find))
        .route(
            "/jira/rest/servicedeskapi/request",
            post(jira_create).get(jira_find),
        )
        .route("/zammad/api/v1/tickets", post(zammad_create))
        .route("/zammad/api/v1/tickets/search", get(zammad_find))
        .route(
            "/github/repos/{owner}/{repo}/issues",
            post(github_create).get(github_find),
        )
        .route("/helpscout/v2/oauth2/token", post(helpscout_token))
        .route(
            "/helpscout/v2/conversations",
            post(helpscout_create).get(helpscout_find),
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

// Zendesk: https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/

async fn zendesk_upload(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = authorized(
        &desks,
        "zendesk",
        &headers,
        &basic(ZENDESK_AUTH.0, ZENDESK_AUTH.1),
    ) {
        return r;
    }
    let name = q.get("filename").cloned().unwrap_or_default();
    if let Err(r) = valid(
        &desks,
        "zendesk upload",
        &[("filename", !name.is_empty()), ("bytes", !body.is_empty())],
    ) {
        return r;
    }
    let mut d = desks.lock().unwrap();
    let token = format!("upload-{}", d.uploads.len() + 1);
    d.uploads.insert(token.clone(), (name, body.to_vec()));
    (
        StatusCode::CREATED,
        Json(json!({ "upload": { "token": token } })),
    )
        .into_response()
}

async fn zendesk_create(State(desks): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = authorized(
        &desks,
        "zendesk",
        &headers,
        &basic(ZENDESK_AUTH.0, ZENDESK_AUTH.1),
    ) {
        return r;
    }
    let request = match json_body(&desks, "zendesk", &headers, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let t = &request["ticket"];
    let uploads_known = {
        let d = desks.lock().unwrap();
        t["comment"]["uploads"].as_array().is_none_or(|u| {
            u.iter()
                .all(|k| k.as_str().is_some_and(|k| d.uploads.contains_key(k)))
        })
    };
    let rules = [
        ("ticket.subject", is_str(&t["subject"])),
        (
            "ticket.comment.html_body",
            is_str(&t["comment"]["html_body"]),
        ),
        ("ticket.requester.email", is_str(&t["requester"]["email"])),
        (
            "ticket.priority",
            ["urgent", "high", "normal", "low"].contains(&t["priority"].as_str().unwrap_or("")),
        ),
        ("ticket.external_id", is_str(&t["external_id"])),
        ("uploads are tokens from /uploads", uploads_known),
    ];
    if let Err(r) = valid(&desks, "zendesk", &rules) {
        return r;
    }
    let id = created(&desks, "zendesk").len() + 1;
    let mut item = t.clone();
    item["id"] = json!(id);
    create(
        &desks,
        "zendesk",
        item,
        (StatusCode::CREATED, Json(json!({ "ticket": { "id": id } }))).into_response(),
    )
}

async fn zendesk_find(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorized(
        &desks,
        "zendesk",
        &headers,
        &basic(ZENDESK_AUTH.0, ZENDESK_AUTH.1),
    ) {
        return r;
    }
    let wanted = q.get("external_id").cloned().unwrap_or_default();
    let tickets: Vec<Value> = created(&desks, "zendesk")
        .into_iter()
        .filter(|t| t["external_id"] == wanted.as_str())
        .collect();
    Json(json!({ "tickets": tickets, "count": tickets.len() })).into_response()
}

// Freshdesk: https://developers.freshdesk.com/api/#create_ticket

async fn freshdesk_create(
    State(desks): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = authorized(&desks, "freshdesk", &headers, &basic(FRESHDESK_KEY, "X")) {
        return r;
    }
    let t = match json_body(&desks, "freshdesk", &headers, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let rules = [
        ("email (a requester)", is_str(&t["email"])),
        ("subject", is_str(&t["subject"])),
        ("description", is_str(&t["description"])),
        (
            "priority 1-4",
            (1..=4).contains(&t["priority"].as_u64().unwrap_or(0)),
        ),
        (
            "status 2-5",
            (2..=5).contains(&t["status"].as_u64().unwrap_or(0)),
        ),
    ];
    if let Err(r) = valid(&desks, "freshdesk", &rules) {
        return r;
    }
    let id = created(&desks, "freshdesk").len() + 1;
    let mut item = t.clone();
    item["id"] = json!(id);
    create(
        &desks,
        "freshdesk",
        item,
        (StatusCode::CREATED, Json(json!({ "id": id }))).into_response(),
    )
}

async fn freshdesk_find(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorized(&desks, "freshdesk", &headers, &basic(FRESHDESK_KEY, "X")) {
        return r;
    }
    // query="fixpath_reference:'FX-…'" (the custom field's name without `cf_`, quoted).
    let query = q.get("query").cloned().unwrap_or_default();
    let Some(inner) = query.strip_prefix('"').and_then(|q| q.strip_suffix('"')) else {
        desks
            .lock()
            .unwrap()
            .violations
            .push("freshdesk: search query not in double quotes".into());
        return (StatusCode::BAD_REQUEST, "query must be quoted").into_response();
    };
    let (field, value) = inner.split_once(':').unwrap_or(("", ""));
    let value = value.trim_matches('\'');
    let results: Vec<Value> = created(&desks, "freshdesk")
        .into_iter()
        .filter(|t| t["custom_fields"][format!("cf_{field}")] == value)
        .collect();
    Json(json!({ "results": results, "total": results.len() })).into_response()
}

// Jira Service Management: https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/

async fn jira_create(State(desks): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = authorized(&desks, "jira", &headers, &basic(JIRA_AUTH.0, JIRA_AUTH.1)) {
        return r;
    }
    let t = match json_body(&desks, "jira", &headers, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let fields = &t["requestFieldValues"];
    let priority_ok = fields.get("priority").is_none_or(|p| {
        ["Highest", "High", "Medium", "Low", "Lowest"].contains(&p["name"].as_str().unwrap_or(""))
    });
    let rules = [
        ("serviceDeskId", is_str(&t["serviceDeskId"])),
        ("requestTypeId", is_str(&t["requestTypeId"])),
        ("requestFieldValues.summary", is_str(&fields["summary"])),
        (
            "requestFieldValues.description",
            is_str(&fields["description"]),
        ),
        ("priority name", priority_ok),
    ];
    if let Err(r) = valid(&desks, "jira", &rules) {
        return r;
    }
    let key = format!("SD-{}", created(&desks, "jira").len() + 1);
    let mut item = t.clone();
    item["issueKey"] = json!(key);
    create(
        &desks,
        "jira",
        item,
        (
            StatusCode::CREATED,
            Json(json!({ "issueKey": key, "issueId": "10001" })),
        )
            .into_response(),
    )
}

async fn jira_find(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorized(&desks, "jira", &headers, &basic(JIRA_AUTH.0, JIRA_AUTH.1)) {
        return r;
    }
    let term = q.get("searchTerm").cloned().unwrap_or_default();
    let values: Vec<Value> = created(&desks, "jira")
        .into_iter()
        .filter(|t| t["requestFieldValues"]["summary"].as_str().is_some_and(|s| s.contains(&term)))
        .map(|t| json!({ "issueKey": t["issueKey"], "requestFieldValues": [{ "fieldId": "summary", "value": t["requestFieldValues"]["summary"] }] }))
        .collect();
    Json(json!({ "size": values.len(), "values": values })).into_response()
}

// Zammad: https://docs.zammad.org/en/latest/api/ticket/index.html

async fn zammad_create(State(desks): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = authorized(
        &desks,
        "zammad",
        &headers,
        &format!("Token token={ZAMMAD_TOKEN}"),
    ) {
        return r;
    }
    let t = match json_body(&desks, "zammad", &headers, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let a = &t["article"];
    let attachments_ok = a["attachments"].as_array().is_none_or(|list| {
        list.iter()
            .all(|f| is_str(&f["filename"]) && is_str(&f["data"]) && is_str(&f["mime-type"]))
    });
    let rules = [
        ("title", is_str(&t["title"])),
        ("group", is_str(&t["group"])),
        (
            "customer_id guess:email",
            t["customer_id"]
                .as_str()
                .is_some_and(|c| c.starts_with("guess:")),
        ),
        (
            "priority_id 1-3",
            (1..=3).contains(&t["priority_id"].as_u64().unwrap_or(0)),
        ),
        ("article.body", is_str(&a["body"])),
        (
            "article.content_type",
            ["text/html", "text/plain"].contains(&a["content_type"].as_str().unwrap_or("")),
        ),
        ("article.type", is_str(&a["type"])),
        ("article.attachments", attachments_ok),
    ];
    if let Err(r) = valid(&desks, "zammad", &rules) {
        return r;
    }
    let id = created(&desks, "zammad").len() + 1;
    let mut item = t.clone();
    item["id"] = json!(id);
    create(
        &desks,
        "zammad",
        item,
        (
            StatusCode::CREATED,
            Json(json!({ "id": id, "number": format!("3100{id}") })),
        )
            .into_response(),
    )
}

async fn zammad_find(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorized(
        &desks,
        "zammad",
        &headers,
        &format!("Token token={ZAMMAD_TOKEN}"),
    ) {
        return r;
    }
    let query = q.get("query").cloned().unwrap_or_default();
    let term = query.trim_start_matches("title:").trim_matches('"');
    let ids: Vec<Value> = created(&desks, "zammad")
        .into_iter()
        .filter(|t| t["title"].as_str().is_some_and(|s| s.contains(term)))
        .map(|t| t["id"].clone())
        .collect();
    Json(json!({ "tickets": ids, "tickets_count": ids.len() })).into_response()
}

// GitHub: https://docs.github.com/en/rest/issues/issues#create-an-issue

fn github_headers(desks: &Shared, headers: &HeaderMap) -> Result<(), Response> {
    authorized(desks, "github", headers, &format!("Bearer {GITHUB_TOKEN}"))?;
    valid(
        desks,
        "github",
        &[
            (
                "accept application/vnd.github+json",
                header(headers, "accept") == "application/vnd.github+json",
            ),
            (
                "x-github-api-version",
                !header(headers, "x-github-api-version").is_empty(),
            ),
            ("user-agent", !header(headers, "user-agent").is_empty()),
        ],
    )
}

async fn github_create(
    State(desks): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = github_headers(&desks, &headers) {
        return r;
    }
    let t = match json_body(&desks, "github", &headers, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let rules = [
        ("title", is_str(&t["title"])),
        ("body", is_str(&t["body"])),
        (
            "labels are strings",
            t["labels"]
                .as_array()
                .is_some_and(|l| l.iter().all(Value::is_string)),
        ),
    ];
    if let Err(r) = valid(&desks, "github", &rules) {
        return r;
    }
    let number = created(&desks, "github").len() + 1;
    let url = format!("https://github.com/{owner}/{repo}/issues/{number}");
    let mut item = t.clone();
    item["html_url"] = json!(url);
    item["number"] = json!(number);
    let labels: Vec<Value> = t["labels"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|l| json!({ "name": l }))
        .collect();
    item["labels"] = json!(labels);
    create(
        &desks,
        "github",
        item,
        (
            StatusCode::CREATED,
            Json(json!({ "number": number, "html_url": url })),
        )
            .into_response(),
    )
}

async fn github_find(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = github_headers(&desks, &headers) {
        return r;
    }
    let label = q.get("labels").cloned().unwrap_or_default();
    let issues: Vec<Value> = created(&desks, "github")
        .into_iter()
        .filter(|i| {
            i["labels"]
                .as_array()
                .is_some_and(|l| l.iter().any(|l| l["name"] == label.as_str()))
        })
        .collect();
    Json(Value::Array(issues)).into_response()
}

// Help Scout: https://developer.helpscout.com/mailbox-api/endpoints/conversations/create/

async fn helpscout_token(State(desks): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let form: BTreeMap<String, String> = String::from_utf8_lossy(&body)
        .split('&')
        .filter_map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    let rules = [
        (
            "form-encoded",
            header(&headers, "content-type") == "application/x-www-form-urlencoded",
        ),
        (
            "grant_type",
            form.get("grant_type").map(String::as_str) == Some("client_credentials"),
        ),
        (
            "client_id",
            form.get("client_id").map(String::as_str) == Some(HELPSCOUT_APP.0),
        ),
        (
            "client_secret",
            form.get("client_secret").map(String::as_str) == Some(HELPSCOUT_APP.1),
        ),
    ];
    if let Err(r) = valid(&desks, "helpscout token", &rules) {
        return r;
    }
    Json(json!({ "token_type": "bearer", "access_token": HELPSCOUT_BEARER, "expires_in": 7200 }))
        .into_response()
}

async fn helpscout_create(
    State(desks): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = authorized(
        &desks,
        "helpscout",
        &headers,
        &format!("Bearer {HELPSCOUT_BEARER}"),
    ) {
        return r;
    }
    let t = match json_body(&desks, "helpscout", &headers, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let thread = &t["threads"][0];
    let attachments_ok = thread["attachments"].as_array().is_none_or(|list| {
        list.iter()
            .all(|f| is_str(&f["fileName"]) && is_str(&f["mimeType"]) && is_str(&f["data"]))
    });
    let rules = [
        ("subject", is_str(&t["subject"])),
        ("customer.email", is_str(&t["customer"]["email"])),
        ("mailboxId a number", t["mailboxId"].is_u64()),
        (
            "type",
            ["email", "phone", "chat"].contains(&t["type"].as_str().unwrap_or("")),
        ),
        (
            "status",
            ["active", "closed", "pending"].contains(&t["status"].as_str().unwrap_or("")),
        ),
        ("threads[0].type customer", thread["type"] == "customer"),
        ("threads[0].text", is_str(&thread["text"])),
        ("threads[0].attachments", attachments_ok),
    ];
    if let Err(r) = valid(&desks, "helpscout", &rules) {
        return r;
    }
    let id = created(&desks, "helpscout").len() + 1;
    let mut item = t.clone();
    item["id"] = json!(id);
    let answer = (StatusCode::CREATED, [("resource-id", id.to_string())]).into_response();
    create(&desks, "helpscout", item, answer)
}

async fn helpscout_find(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorized(
        &desks,
        "helpscout",
        &headers,
        &format!("Bearer {HELPSCOUT_BEARER}"),
    ) {
        return r;
    }
    let query = q.get("query").cloned().unwrap_or_default();
    let term = query
        .trim_start_matches("(subject:\"")
        .trim_end_matches("\")");
    let found: Vec<Value> = created(&desks, "helpscout")
        .into_iter()
        .filter(|c| c["subject"].as_str().is_some_and(|s| s.contains(term)))
        .map(|c| json!({ "id": c["id"] }))
        .collect();
    Json(json!({ "_embedded": { "conversations": found } })).into_response()
}
