//! GitHub: https://docs.github.com/en/rest/issues/issues#create-an-issue

#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

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

pub(super) async fn github_create(
    State(desks): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    github_headers(&desks, &headers)?;
    let t = json_body(&desks, "github", &headers, &body)?;
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
    valid(&desks, "github", &rules)?;
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
    Ok(create(
        &desks,
        "github",
        item,
        (
            StatusCode::CREATED,
            Json(json!({ "number": number, "html_url": url })),
        )
            .into_response(),
    ))
}

pub(super) async fn github_find(
    State(desks): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    github_headers(&desks, &headers)?;
    let label = q.get("labels").cloned().unwrap_or_default();
    let issues: Vec<Value> = created(&desks, "github")
        .into_iter()
        .filter(|i| {
            i["labels"]
                .as_array()
                .is_some_and(|l| l.iter().any(|l| l["name"] == label.as_str()))
        })
        .collect();
    Ok(Json(Value::Array(issues)).into_response())
}
