//! Help Scout: https://developer.helpscout.com/mailbox-api/endpoints/conversations/create/

#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

pub(super) async fn helpscout_token(
    State(desks): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
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
    valid(&desks, "helpscout token", &rules)?;
    Ok(Json(
        json!({ "token_type": "bearer", "access_token": HELPSCOUT_BEARER, "expires_in": 7200 }),
    )
    .into_response())
}

pub(super) async fn helpscout_create(
    State(desks): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    authorized(
        &desks,
        "helpscout",
        &headers,
        &format!("Bearer {HELPSCOUT_BEARER}"),
    )?;
    let t = json_body(&desks, "helpscout", &headers, &body)?;
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
    valid(&desks, "helpscout", &rules)?;
    let id = created(&desks, "helpscout").len() + 1;
    let mut item = t.clone();
    item["id"] = json!(id);
    let answer = (StatusCode::CREATED, [("resource-id", id.to_string())]).into_response();
    Ok(create(&desks, "helpscout", item, answer))
}

pub(super) async fn helpscout_find(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    authorized(
        &desks,
        "helpscout",
        &headers,
        &format!("Bearer {HELPSCOUT_BEARER}"),
    )?;
    let query = q.get("query").cloned().unwrap_or_default();
    let term = query
        .trim_start_matches("(subject:\"")
        .trim_end_matches("\")");
    let found: Vec<Value> = created(&desks, "helpscout")
        .into_iter()
        .filter(|c| c["subject"].as_str().is_some_and(|s| s.contains(term)))
        .map(|c| json!({ "id": c["id"] }))
        .collect();
    Ok(Json(json!({ "_embedded": { "conversations": found } })).into_response())
}
