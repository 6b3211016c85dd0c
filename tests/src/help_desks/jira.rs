//! Jira Service Management: https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/

#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

pub(super) async fn jira_create(
    State(desks): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    authorized(&desks, "jira", &headers, &basic(JIRA_AUTH.0, JIRA_AUTH.1))?;
    let t = json_body(&desks, "jira", &headers, &body)?;
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
    valid(&desks, "jira", &rules)?;
    let key = format!("SD-{}", created(&desks, "jira").len() + 1);
    let mut item = t.clone();
    item["issueKey"] = json!(key);
    Ok(create(
        &desks,
        "jira",
        item,
        (
            StatusCode::CREATED,
            Json(json!({ "issueKey": key, "issueId": "10001" })),
        )
            .into_response(),
    ))
}

pub(super) async fn jira_find(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    authorized(&desks, "jira", &headers, &basic(JIRA_AUTH.0, JIRA_AUTH.1))?;
    let term = q.get("searchTerm").cloned().unwrap_or_default();
    let values: Vec<Value> = created(&desks, "jira")
        .into_iter()
        .filter(|t| t["requestFieldValues"]["summary"].as_str().is_some_and(|s| s.contains(&term)))
        .map(|t| json!({ "issueKey": t["issueKey"], "requestFieldValues": [{ "fieldId": "summary", "value": t["requestFieldValues"]["summary"] }] }))
        .collect();
    Ok(Json(json!({ "size": values.len(), "values": values })).into_response())
}
