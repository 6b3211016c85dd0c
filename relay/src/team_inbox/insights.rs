//! `/inbox/insights`: the insights report over the last 7, 30 or 90 days, its tables as
//! CSV (`/inbox/insights/searches.csv?days=30`) and every count as JSON
//! (`/inbox/insights/export.json`), behind the inbox's sign-in like every other inbox
//! page. Queries are shown k-anonymously ([`Report`]), in the page and the exports alike.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use fixpath_engine::insights::{DayTally, Report};

use super::{pages, unavailable, Inbox};
use crate::insights_page::{self, Period};
use crate::worker::now_ms;

/// The tallies of `period`.
async fn tallies(inbox: &Inbox, period: &Period) -> anyhow::Result<Vec<(String, DayTally)>> {
    let (from, to) = period.range(now_ms());
    inbox.queue.insight_days(&from, &to).await
}

pub(super) async fn page(State(inbox): State<Inbox>, Query(period): Query<Period>) -> Response {
    match tallies(&inbox, &period).await {
        Ok(tallies) => {
            let report = Report::new(&tallies, inbox.insights_min_pages);
            let main = insights_page::render(&report, "/inbox/insights", period.days());
            Html(pages::page("Insights", &main, true)).into_response()
        }
        Err(e) => unavailable(e),
    }
}

/// `/inbox/insights/{table}.csv` or `/inbox/insights/export.json`, as a download.
pub(super) async fn csv(
    State(inbox): State<Inbox>,
    Path(file): Path<String>,
    Query(period): Query<Period>,
) -> Response {
    let tallies = match tallies(&inbox, &period).await {
        Ok(tallies) => tallies,
        Err(e) => return unavailable(e),
    };
    let Some(download) = insights_page::download(&file, &tallies, inbox.insights_min_pages) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let name = format!(
        "attachment; filename=\"fixpath-{}-{}d.{}\"",
        download.stem,
        period.days(),
        download.extension
    );
    (
        [
            (header::CONTENT_TYPE, download.content_type.to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        download.body,
    )
        .into_response()
}
