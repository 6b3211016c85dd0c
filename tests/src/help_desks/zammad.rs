//! Zammad: https://docs.zammad.org/en/latest/api/ticket/index.html

#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

pub(super) async fn zammad_create(
    State(desks): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    authorized(
        &desks,
        "zammad",
        &headers,
        &format!("Token token={ZAMMAD_TOKEN}"),
    )?;
    let t = json_body(&desks, "zammad", &headers, &body)?;
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
    valid(&desks, "zammad", &rules)?;
    let id = created(&desks, "zammad").len() + 1;
    let mut item = t.clone();
    item["id"] = json!(id);
    Ok(create(
        &desks,
        "zammad",
        item,
        (
            StatusCode::CREATED,
            Json(json!({ "id": id, "number": format!("3100{id}") })),
        )
            .into_response(),
    ))
}

pub(super) async fn zammad_find(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    authorized(
        &desks,
        "zammad",
        &headers,
        &format!("Token token={ZAMMAD_TOKEN}"),
    )?;
    let query = q.get("query").cloned().unwrap_or_default();
    let term = query.trim_start_matches("title:").trim_matches('"');
    let ids: Vec<Value> = created(&desks, "zammad")
        .into_iter()
        .filter(|t| t["title"].as_str().is_some_and(|s| s.contains(term)))
        .map(|t| t["id"].clone())
        .collect();
    Ok(Json(json!({ "tickets": ids, "tickets_count": ids.len() })).into_response())
}
