//! The Zendesk adapter: a ticket as a request for Zendesk's anonymous Requests API
//! (`POST https://SUBDOMAIN.zendesk.com/api/v2/requests.json`), sent from the browser with no
//! secret. Zendesk has no idempotency key for it, so the reference travels in the subject, the
//! body and a `fixpath-<reference>` tag, where agents (and automations) can spot a retry.

use serde::Serialize;

use crate::ticket::Ticket;
use crate::triage::{DeskPriority, Severity};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZendeskRequestBody {
    pub request: ZendeskRequest,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZendeskRequest {
    pub requester: ZendeskRequester,
    pub subject: String,
    pub comment: ZendeskComment,
    /// `urgent`, `high`, `normal` or `low`.
    pub priority: &'static str,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZendeskRequester {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZendeskComment {
    pub body: String,
}

/// The path appended to the configured Zendesk base URL.
pub const REQUESTS_PATH: &str = "/api/v2/requests.json";

/// The request Zendesk should receive for `ticket`.
pub fn zendesk_request(ticket: &Ticket) -> ZendeskRequestBody {
    let priority = zendesk_priority(DeskPriority::of(ticket.priority, ticket.severity));
    let mut tags = vec![
        "fixpath".to_string(),
        format!("fixpath-{}", ticket.id.to_lowercase()),
    ];
    if ticket.severity == Severity::Critical {
        tags.push("fixpath-critical".to_string());
    }
    ZendeskRequestBody {
        request: ZendeskRequest {
            requester: ZendeskRequester {
                name: ticket.name.clone(),
                email: ticket.email.clone(),
            },
            subject: ticket.subject(150),
            comment: ZendeskComment {
                body: if ticket.attachments.is_empty() {
                    ticket.to_text()
                } else {
                    // Anonymous requests carry text only: the names above tell support
                    // what to ask for.
                    format!(
                        "{}\nThe customer attached the files listed above; they could not be sent with this request. Please ask for them in your reply.\n",
                        ticket.to_text()
                    )
                },
            },
            priority,
            tags,
        },
    }
}

/// Zendesk's word for `level` (the Requests and the Tickets API share them).
pub fn zendesk_priority(level: DeskPriority) -> &'static str {
    match level {
        DeskPriority::Urgent => "urgent",
        DeskPriority::High => "high",
        DeskPriority::Normal => "normal",
        DeskPriority::Low => "low",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::Priority;

    #[test]
    fn a_critical_ticket_becomes_an_urgent_tagged_request() {
        let mut t = Ticket::new("FX-ABCDE-12345".into(), "2026-11-27T10:00:00Z".into());
        t.trying_to_do = "Close the deal".into();
        t.what_happened = "E-SIG-409".into();
        t.name = "Ada".into();
        t.email = "ada@example.com".into();
        t.priority = Some(Priority::P1);
        t.severity = Severity::Critical;
        let json = serde_json::to_value(zendesk_request(&t)).unwrap();
        assert_eq!(
            json["request"]["requester"],
            serde_json::json!({ "name": "Ada", "email": "ada@example.com" })
        );
        assert_eq!(
            json["request"]["subject"],
            "[FX-ABCDE-12345] Close the deal"
        );
        assert_eq!(json["request"]["priority"], "urgent");
        assert_eq!(
            json["request"]["tags"],
            serde_json::json!(["fixpath", "fixpath-fx-abcde-12345", "fixpath-critical"])
        );
        assert!(json["request"]["comment"]["body"]
            .as_str()
            .unwrap()
            .contains("What happened: E-SIG-409"));
    }
}
