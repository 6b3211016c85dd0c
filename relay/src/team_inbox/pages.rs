//! The inbox's pages, rendered on the server: no script, escaped text only, one stylesheet.

use fixpath_engine::ticket::Ticket;

use crate::destination::body;
use crate::html::escape;
use crate::queue::{AttemptView, DeliveryView, TicketView};

/// A whole page around `main`.
pub fn page(title: &str, main: &str, signed_in: bool) -> String {
    let nav = if signed_in {
        r#"<nav aria-label="Inbox"><a href="/inbox">Tickets</a> <a href="/inbox/insights">Insights</a>
<form method="post" action="/inbox/logout"><button type="submit">Sign out</button></form></nav>"#
    } else {
        ""
    };
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — Fixpath relay</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/inbox/inbox.css">
</head>
<body>
<header><p class="brand">Fixpath relay</p>{nav}</header>
<main>
{main}
</main>
</body>
</html>
"#,
        title = escape(title)
    )
}

pub fn login(problem: Option<&str>) -> String {
    let problem = problem
        .map(|p| {
            format!(
                r#"<p class="problem" role="alert" id="login-problem">{}</p>"#,
                escape(p)
            )
        })
        .unwrap_or_default();
    let described = if problem.is_empty() {
        ""
    } else {
        r#" aria-describedby="login-problem""#
    };
    let main = format!(
        r#"<h1>Sign in to the inbox</h1>
{problem}<form method="post" action="/inbox/login">
<label for="password">Inbox password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required{described}>
<button type="submit">Sign in</button>
</form>"#
    );
    page("Sign in", &main, false)
}

fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_default()
}

fn state(d: &DeliveryView) -> String {
    let attempts = match d.attempts {
        1 => "1 attempt".to_string(),
        n => format!("{n} attempts"),
    };
    format!(
        r#"<span class="state state-{}">{}</span> {} · {}"#,
        escape(&d.state),
        escape(&d.destination),
        escape(&d.state),
        attempts
    )
}

pub fn list(tickets: &[TicketView]) -> String {
    let mut rows = String::new();
    for t in tickets {
        let subject = serde_json::from_str::<Ticket>(&t.raw)
            .map(|ticket| ticket.subject(120))
            .unwrap_or_default();
        let deliveries: Vec<String> = t.deliveries.iter().map(state).collect();
        rows.push_str(&format!(
            r#"<tr data-testid="inbox-ticket"><td>{}</td><td><a href="/inbox/tickets/{ref_}">{ref_}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>
"#,
            when(t.received_at_ms),
            escape(&t.severity),
            escape(&subject),
            deliveries.join("<br>"),
            ref_ = escape(&t.reference),
        ));
    }
    let main = if tickets.is_empty() {
        "<h1>Tickets</h1>\n<p>No tickets yet. Tickets the widget sends appear here as the relay keeps them.</p>".to_string()
    } else {
        format!(
            r#"<h1>Tickets</h1>
<p>The newest {} tickets, newest first, with where each was delivered.</p>
<table>
<thead><tr><th scope="col">Received</th><th scope="col">Reference</th><th scope="col">Severity</th><th scope="col">Subject</th><th scope="col">Deliveries</th></tr></thead>
<tbody>
{rows}</tbody>
</table>"#,
            tickets.len()
        )
    };
    page("Tickets", &main, true)
}

pub fn detail(t: &TicketView, attempts: &[AttemptView]) -> String {
    let ticket = serde_json::from_str::<Ticket>(&t.raw).ok();
    let content = ticket
        .as_ref()
        .map(|ticket| {
            body::html(ticket).replace(
                "<p><strong>Fixpath ticket",
                "<p class=\"muted\"><strong>Fixpath ticket",
            )
        })
        .unwrap_or_else(|| {
            "<p>This ticket's content cannot be read by this version of the relay.</p>".to_string()
        });
    let files: String = ticket
        .iter()
        .flat_map(|ticket| ticket.attachments.iter().enumerate())
        .map(|(n, a)| {
            format!(
                r#"<li><a href="/inbox/tickets/{}/attachments/{n}" download>{}</a> ({}, {} bytes)</li>"#,
                escape(&t.reference),
                escape(&a.name),
                escape(&a.content_type),
                a.size
            )
        })
        .collect();
    let files = if files.is_empty() {
        String::new()
    } else {
        format!("<h2>Files</h2>\n<ul>{files}</ul>\n")
    };
    let mut deliveries = String::new();
    for d in &t.deliveries {
        let retry = if d.state == "delivered" {
            String::new()
        } else {
            format!(
                r#"<form method="post" action="/inbox/deliveries/{}/retry"><button type="submit" data-testid="retry">Retry now</button></form>"#,
                d.id
            )
        };
        let next = if d.state == "pending" && d.attempts > 0 {
            format!("next try {}", when(d.next_attempt_at_ms))
        } else {
            String::new()
        };
        deliveries.push_str(&format!(
            r#"<tr data-testid="delivery"><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{retry}</td></tr>
"#,
            escape(&d.destination),
            escape(&d.state),
            d.attempts,
            escape(d.external_id.as_deref().unwrap_or("")),
            escape(d.last_error.as_deref().unwrap_or("")),
            escape(&next),
        ));
    }
    let destination_of = |id: i64| {
        t.deliveries
            .iter()
            .find(|d| d.id == id)
            .map_or(String::new(), |d| d.destination.clone())
    };
    let attempts: String = attempts
        .iter()
        .map(|a| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                when(a.finished_at_ms),
                escape(&destination_of(a.delivery_id)),
                escape(&a.outcome),
                escape(a.detail.as_deref().unwrap_or("")),
                escape(&a.instance)
            )
        })
        .collect();
    let main = format!(
        r#"<h1>Ticket {reference}</h1>
<p>Received {received} · severity {severity}</p>
<h2>Deliveries</h2>
<table>
<thead><tr><th scope="col">Destination</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Their id</th><th scope="col">Last error</th><th scope="col">Next</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>
{deliveries}</tbody>
</table>
<h2>What the customer sent</h2>
<div class="ticket" data-testid="ticket-content">
{content}</div>
{files}<h2>Attempts</h2>
<table>
<thead><tr><th scope="col">When</th><th scope="col">Destination</th><th scope="col">Outcome</th><th scope="col">Detail</th><th scope="col">Relay instance</th></tr></thead>
<tbody>
{attempts}</tbody>
</table>"#,
        reference = escape(&t.reference),
        received = when(t.received_at_ms),
        severity = escape(&t.severity),
    );
    page(&format!("Ticket {}", t.reference), &main, true)
}
