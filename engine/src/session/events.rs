//! [`Event`]: what the journey tells the page as it goes (the widget dispatches each as a
//! `fixpath:<name>` DOM event on its element, for the page's own funnel analytics).

use crate::guide::Outcome;
use crate::triage::{Priority, Severity};

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A query and the article ids it showed, best first; `search_ms` is matching and
    /// ranking time.
    Searched {
        query: String,
        results: Vec<String>,
        search_ms: f64,
    },
    /// An article opened: from the results (`position`, from 1), or by the page
    /// (`reportError`, `position` none).
    Opened {
        article: String,
        position: Option<usize>,
    },
    /// A guide step answered: a fix's outcome, or a question's `answer`.
    StepAnswered {
        article: String,
        step: Option<String>,
        outcome: Outcome,
        answer: Option<String>,
    },
    /// A fix worked.
    Resolved { article: String },
    /// The customer chose to contact support, from an article or from search.
    Escalated {
        article: Option<String>,
        steps_tried: usize,
    },
    /// Support acknowledged a ticket.
    TicketSent {
        reference: String,
        severity: Severity,
        priority: Option<Priority>,
    },
}

impl Event {
    /// The DOM event's name, after `fixpath:`.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Searched { .. } => "search",
            Event::Opened { .. } => "open",
            Event::StepAnswered { .. } => "step",
            Event::Resolved { .. } => "resolved",
            Event::Escalated { .. } => "escalate",
            Event::TicketSent { .. } => "ticket",
        }
    }
}
