//! `/__fixpath/tickets`: the tickets the preview received, newest first, as the support
//! team would read them (the ticket's text rendering). Everything in a ticket is customer
//! input, so it is only ever escaped text here.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use fixpath_engine::ticket::Ticket;

use crate::html::escape;
use crate::store::TicketStore;

pub async fn page(State(store): State<Arc<TicketStore>>) -> Response {
    match store.all() {
        Ok(tickets) => Html(render(&tickets)).into_response(),
        Err(e) => (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("could not read the tickets: {e:#}"),
        )
            .into_response(),
    }
}

fn render(tickets: &[Ticket]) -> String {
    let mut items = String::new();
    for ticket in tickets.iter().rev() {
        let severity = match ticket.priority {
            Some(p) => format!("{:?} ({p:?})", ticket.severity),
            None => format!("{:?}", ticket.severity),
        };
        items.push_str(&format!(
            "<article class=\"ticket\" data-testid=\"ticket\">\n<h2>{}</h2>\n<p class=\"ticket-meta\">{} · {}</p>\n<pre>{}</pre>\n</article>\n",
            escape(&ticket.id),
            escape(&ticket.created_at),
            escape(&severity),
            escape(&ticket.to_text()),
        ));
    }
    let summary = match tickets.len() {
        0 => "No tickets yet. Send one from the widget: it appears here at once.".to_string(),
        1 => "1 ticket, as your support team would receive it.".to_string(),
        n => format!("{n} tickets, newest first, as your support team would receive them."),
    };
    let main = format!(
        "<h1>Tickets received</h1>\n<p data-testid=\"inbox-summary\">{summary}</p>\n{items}"
    );
    preview_page("Tickets received", "/__fixpath/tickets", &main)
}

/// A preview page around `main`, its link in the navigation marked current.
pub fn preview_page(title: &str, current: &str, main: &str) -> String {
    let links: String = [
        ("/", "Help page"),
        ("/launcher.html", "Launcher"),
        ("/__fixpath/tickets", "Tickets received"),
        ("/__fixpath/insights", "Insights"),
    ]
    .iter()
    .map(|(href, label)| {
        let current = if *href == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        format!("      <a href=\"{href}\"{current}>{label}</a>\n")
    })
    .collect();
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} — Fixpath preview</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/__fixpath/preview.css">
</head>
<body data-fixpath-inbox>
  <header>
    <p class="brand">Fixpath preview</p>
    <nav aria-label="Preview pages">
{links}    </nav>
  </header>
  <main>
{main}  </main>
</body>
</html>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_text_is_escaped_and_the_newest_ticket_comes_first() {
        let mut first = Ticket::new("FP-1".into(), "2026-11-30T10:00:00Z".into());
        first.what_happened = "<script>alert(1)</script> & \"more\"".into();
        let second = Ticket::new("FP-2".into(), "2026-11-30T11:00:00Z".into());
        let html = render(&[first, second]);
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;"));
        assert!(html.find("FP-2").unwrap() < html.find("FP-1").unwrap());
        assert!(html.contains("2 tickets, newest first"));
    }
}
