//! `/inbox/insights`: the insights report over the last 7, 30 or 90 days, its tables as
//! CSV (`/inbox/insights/searches.csv?days=30`) and every count as JSON
//! (`/inbox/insights/export.json`), behind the inbox's sign-in like every other inbox page. Queries are shown k-anonymously ([`Report`]), in the page and the
//! exports alike.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use fixpath_engine::insights::{day_of, DayTally, Report, Table};

use super::{pages, unavailable, Inbox};
use crate::insights_page::{self, Period, EXPORT_FILE};
use crate::worker::now_ms;

/// The tallies of the last `days` days.
async fn tallies(inbox: &Inbox, days: u32) -> anyhow::Result<Vec<(String, DayTally)>> {
    let today = now_ms();
    let from = day_of(today - i64::from(days - 1) * 86_400_000);
    inbox.queue.insight_days(&from, &day_of(today)).await
}

async fn report(inbox: &Inbox, days: u32) -> anyhow::Result<Report> {
    Ok(Report::new(
        &tallies(inbox, days).await?,
        inbox.insights_min_pages,
    ))
}

pub(super) async fn page(State(inbox): State<Inbox>, Query(period): Query<Period>) -> Response {
    let days = period.days();
    match report(&inbox, days).await {
        Ok(report) => {
            let main = insights_page::render(&report, "/inbox/insights", days);
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
    let days = period.days();
    if file == EXPORT_FILE {
        return match tallies(&inbox, days).await {
            Ok(tallies) => (
                [
                    (header::CONTENT_TYPE, "application/json".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"fixpath-insights-{days}d.json\""),
                    ),
                ],
                insights_page::export(&tallies, inbox.insights_min_pages),
            )
                .into_response(),
            Err(e) => unavailable(e),
        };
    }
    let Some(table) = file.strip_suffix(".csv").and_then(Table::from_name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match report(&inbox, days).await {
        Ok(report) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"fixpath-{}-{days}d.csv\"",
                        table.name()
                    ),
                ),
            ],
            report.csv(table),
        )
            .into_response(),
        Err(e) => unavailable(e),
    }
}
