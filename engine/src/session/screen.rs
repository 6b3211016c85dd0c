//! [`Screen`]: where the customer is in the journey, as the widget shows it.

use crate::guide::GuideSession;
use crate::strings::Message;

/// Where the customer is in the journey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Search,
    /// Fetching the guide of article `doc`; `error` once that failed.
    Opening {
        doc: usize,
        error: Option<String>,
    },
    /// Walking the guide of article `doc`.
    Guide {
        doc: usize,
        session: GuideSession,
    },
    Form,
    /// Ticket `reference` is in the outbox; `note` says why it is not delivered yet.
    Sending {
        reference: String,
        critical: bool,
        note: Option<Message>,
    },
    /// The ticket was accepted; `reference` is what the customer quotes.
    Sent {
        reference: String,
        critical: bool,
    },
}

impl Screen {
    /// Changes when what the customer is looking at changes (each guide step counts): a
    /// new key is where the focus moves to the screen's heading.
    pub fn focus_key(&self) -> String {
        match self {
            Screen::Search => "search".into(),
            Screen::Opening { doc, .. } => format!("opening {doc}"),
            Screen::Guide { doc, session } => format!("guide {doc} {:?}", session.state()),
            Screen::Form => "form".into(),
            Screen::Sending { reference, .. } => format!("sending {reference}"),
            Screen::Sent { reference, .. } => format!("sent {reference}"),
        }
    }

    /// The article this screen is about, if any.
    pub fn article(&self) -> Option<usize> {
        match self {
            Screen::Opening { doc, .. } | Screen::Guide { doc, .. } => Some(*doc),
            _ => None,
        }
    }
}
