//! Insights in the preview (`fixpath serve`, the demo, the journeys' site): the same
//! `POST /v1/events` a relay answers, counted into `insights.json` beside the tickets, and
//! the report at `/__fixpath/insights` — what a support lead would see on the relay's
//! `/inbox/insights`, without signing in, as the preview's tickets page is. Only the
//! counts are kept, never a batch.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use fixpath_engine::insights::{day_of, DayTally, Report, MIN_PAGES};
use fixpath_engine::relay_api::INSIGHTS_PATH;

use crate::insights_page::{self, Period};
use crate::worker::now_ms;

/// The preview's insights: a day's tally per day, kept in `insights.json`.
pub struct InsightsFile {
    path: PathBuf,
    days: Mutex<BTreeMap<String, DayTally>>,
    /// Batches received (refused ones included): tests check a page sent none.
    received: AtomicU32,
}

impl InsightsFile {
    /// Opens (or starts) `insights.json` in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<InsightsFile> {
        let path = data_dir.join("insights.json");
        let days = match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .with_context(|| format!("{} is not an insights file", path.display()))?,
            Err(_) => BTreeMap::new(),
        };
        Ok(InsightsFile {
            path,
            days: Mutex::new(days),
            received: AtomicU32::new(0),
        })
    }

    /// Batches received so far.
    pub fn received(&self) -> u32 {
        self.received.load(Ordering::SeqCst)
    }

    fn add(&self, day: &str, tally: &DayTally) -> Result<()> {
        let mut days = self.days.lock().unwrap_or_else(|e| e.into_inner());
        days.entry(day.to_string()).or_default().merge(tally);
        let json = serde_json::to_string_pretty(&*days)?;
        std::fs::write(&self.path, json).with_context(|| format!("writing {}", self.path.display()))
    }

    fn tallies(&self, period: &Period) -> Vec<(String, DayTally)> {
        let (from, to) = period.range(now_ms());
        let kept = self.days.lock().unwrap_or_else(|e| e.into_inner());
        kept.range(from..=to)
            .map(|(day, tally)| (day.clone(), tally.clone()))
            .collect()
    }
}

pub fn routes(insights: Arc<InsightsFile>) -> Router {
    Router::new()
        .route(INSIGHTS_PATH, post(receive))
        .route("/__fixpath/insights", get(page))
        .route("/__fixpath/insights/{file}", get(csv))
        .with_state(insights)
}

async fn receive(State(insights): State<Arc<InsightsFile>>, body: Bytes) -> Response {
    insights.received.fetch_add(1, Ordering::SeqCst);
    let tally = match crate::insights::count(&body) {
        Ok(tally) => tally,
        Err(problem) => return (StatusCode::BAD_REQUEST, problem).into_response(),
    };
    match insights.add(&day_of(now_ms()), &tally) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}\n")).into_response(),
    }
}

async fn page(
    State(insights): State<Arc<InsightsFile>>,
    Query(period): Query<Period>,
) -> Html<String> {
    let report = Report::new(&insights.tallies(&period), MIN_PAGES);
    let main = insights_page::render(&report, "/__fixpath/insights", period.days());
    Html(crate::inbox::preview_page(
        "Insights",
        "/__fixpath/insights",
        &main,
    ))
}

async fn csv(
    State(insights): State<Arc<InsightsFile>>,
    UrlPath(file): UrlPath<String>,
    Query(period): Query<Period>,
) -> Response {
    match insights_page::download(&file, &insights.tallies(&period), MIN_PAGES) {
        Some(download) => (
            [(header::CONTENT_TYPE, download.content_type)],
            download.body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
