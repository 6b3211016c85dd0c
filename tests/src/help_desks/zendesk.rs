//! Zendesk: https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/

#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

pub(super) async fn zendesk_upload(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    authorized(
        &desks,
        "zendesk",
        &headers,
        &basic(ZENDESK_AUTH.0, ZENDESK_AUTH.1),
    )?;
    let name = q.get("filename").cloned().unwrap_or_default();
    valid(
        &desks,
        "zendesk upload",
        &[("filename", !name.is_empty()), ("bytes", !body.is_empty())],
    )?;
    let mut d = desks.lock().unwrap();
    let token = format!("upload-{}", d.uploads.len() + 1);
    d.uploads.insert(token.clone(), (name, body.to_vec()));
    Ok((
        StatusCode::CREATED,
        Json(json!({ "upload": { "token": token } })),
    )
        .into_response())
}

pub(super) async fn zendesk_create(
    State(desks): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    authorized(
        &desks,
        "zendesk",
        &headers,
        &basic(ZENDESK_AUTH.0, ZENDESK_AUTH.1),
    )?;
    let request = json_body(&desks, "zendesk", &headers, &body)?;
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
    valid(&desks, "zendesk", &rules)?;
    let id = created(&desks, "zendesk").len() + 1;
    let mut item = t.clone();
    item["id"] = json!(id);
    Ok(create(
        &desks,
        "zendesk",
        item,
        (StatusCode::CREATED, Json(json!({ "ticket": { "id": id } }))).into_response(),
    ))
}

pub(super) async fn zendesk_find(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    authorized(
        &desks,
        "zendesk",
        &headers,
        &basic(ZENDESK_AUTH.0, ZENDESK_AUTH.1),
    )?;
    let wanted = q.get("external_id").cloned().unwrap_or_default();
    let tickets: Vec<Value> = created(&desks, "zendesk")
        .into_iter()
        .filter(|t| t["external_id"] == wanted.as_str())
        .collect();
    Ok(Json(json!({ "tickets": tickets, "count": tickets.len() })).into_response())
}
