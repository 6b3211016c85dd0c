//! Freshdesk: https://developers.freshdesk.com/api/#create_ticket

#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

pub(super) async fn freshdesk_create(
    State(desks): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    authorized(&desks, "freshdesk", &headers, &basic(FRESHDESK_KEY, "X"))?;
    let t = json_body(&desks, "freshdesk", &headers, &body)?;
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
    valid(&desks, "freshdesk", &rules)?;
    let id = created(&desks, "freshdesk").len() + 1;
    let mut item = t.clone();
    item["id"] = json!(id);
    Ok(create(
        &desks,
        "freshdesk",
        item,
        (StatusCode::CREATED, Json(json!({ "id": id }))).into_response(),
    ))
}

pub(super) async fn freshdesk_find(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    authorized(&desks, "freshdesk", &headers, &basic(FRESHDESK_KEY, "X"))?;
    // query="fixpath_reference:'FX-…'" (the custom field's name without `cf_`, quoted).
    let query = q.get("query").cloned().unwrap_or_default();
    let Some(inner) = query.strip_prefix('"').and_then(|q| q.strip_suffix('"')) else {
        desks
            .lock()
            .unwrap()
            .violations
            .push("freshdesk: search query not in double quotes".into());
        return Err((StatusCode::BAD_REQUEST, "query must be quoted").into_response());
    };
    let (field, value) = inner.split_once(':').unwrap_or(("", ""));
    let value = value.trim_matches('\'');
    let results: Vec<Value> = created(&desks, "freshdesk")
        .into_iter()
        .filter(|t| t["custom_fields"][format!("cf_{field}")] == value)
        .collect();
    Ok(Json(json!({ "results": results, "total": results.len() })).into_response())
}
