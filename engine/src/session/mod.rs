//! [`Session`]: one customer's journey through the widget, as plain data and rules — the
//! query and what it needs fetched, the guide being walked, the ticket draft from
//! escalation to the outbox, and delivery. The widget holds one in a signal, renders it,
//! and performs what it asks for (fetching shards, sending tickets, saving); everything
//! that decides what happens next is here, natively tested.
//!
//! - [`screen`]: where the customer is;
//! - [`search`]: the dictionary, posting and article shards a query waits for, and the
//!   results list;
//! - [`walk`]: opening an article, answering its guide, and escalating to the form;
//! - [`delivery`]: the outbox from submission to acknowledgement;
//! - [`events`]: what the journey tells the page;
//! - [`shards`]: fetch-once bookkeeping for the shards.

mod delivery;
mod events;
mod screen;
mod search;
mod shards;
mod walk;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::bundle::ContentChunk;
use crate::index::{LoadedArticles, LoadedDictionary, LoadedPostings};
use crate::outbox::Outbox;
use crate::strings::Message;
use crate::ticket::Ticket;
use crate::triage::Severity;

pub use delivery::{mailto, Retry, SendFailure};
pub use events::Event;
pub use screen::Screen;
pub use search::{ResultRow, RESULT_LIMIT, SUMMARY_CHARS};
pub use shards::ShardRequests;

/// One customer's journey (see the module docs).
#[derive(Debug, Clone)]
pub struct Session {
    screen: Screen,
    query: String,
    draft: Ticket,
    /// Content chunks (guides) fetched so far, by chunk number.
    content: BTreeMap<usize, Arc<ContentChunk>>,
    /// Dictionary shards fetched so far (and those given up on).
    dictionary: LoadedDictionary,
    dictionary_requests: ShardRequests,
    postings: LoadedPostings,
    posting_requests: ShardRequests,
    /// Article shards (what a result shows) fetched so far.
    articles: LoadedArticles,
    article_requests: ShardRequests,
    /// Submitted tickets not yet acknowledged.
    outbox: Outbox,
    /// The ticket being sent right now, if any: one attempt at a time.
    sending: Option<String>,
    /// Why the receiver refused the last ticket, shown on the form.
    send_error: Option<Message>,
}

/// The draft as the widget saves it between page loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedDraft {
    pub form_open: bool,
    pub ticket: Ticket,
}

/// `prefill({...})`: ticket text fields the page already knows, by their JSON names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Prefill {
    pub trying_to_do: Option<String>,
    pub what_happened: Option<String>,
    pub error_message: Option<String>,
    pub steps_to_reproduce: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
}

impl Session {
    /// A journey at the search box, with `draft` (a fresh ticket) ready for escalation.
    pub fn new(draft: Ticket) -> Session {
        Session {
            screen: Screen::Search,
            query: String::new(),
            draft,
            content: BTreeMap::new(),
            dictionary: LoadedDictionary::default(),
            dictionary_requests: ShardRequests::default(),
            postings: LoadedPostings::default(),
            posting_requests: ShardRequests::default(),
            articles: LoadedArticles::default(),
            article_requests: ShardRequests::default(),
            outbox: Outbox::default(),
            sending: None,
            send_error: None,
        }
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn set_query(&mut self, query: String) {
        self.query = query;
    }

    pub fn draft(&self) -> &Ticket {
        &self.draft
    }

    /// The draft, for the form's fields to edit.
    pub fn draft_mut(&mut self) -> &mut Ticket {
        &mut self.draft
    }

    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    pub fn send_error(&self) -> Option<&Message> {
        self.send_error.as_ref()
    }

    /// The customer chose another language: the shards and guides fetched so far belong to
    /// the other language's bundle and go. The query, the draft and the outbox stay; a guide
    /// being read closes (its text was the other language's), the form stays open.
    pub fn switched_bundle(&mut self) {
        self.content.clear();
        self.dictionary = LoadedDictionary::default();
        self.dictionary_requests = ShardRequests::default();
        self.postings = LoadedPostings::default();
        self.posting_requests = ShardRequests::default();
        self.articles = LoadedArticles::default();
        self.article_requests = ShardRequests::default();
        if matches!(self.screen, Screen::Opening { .. } | Screen::Guide { .. }) {
            self.screen = Screen::Search;
        }
    }

    pub fn back_to_search(&mut self) {
        self.screen = Screen::Search;
    }

    /// What to save so a reload loses nothing: the draft, and whether the form was open.
    pub fn saved_draft(&self) -> SavedDraft {
        SavedDraft {
            form_open: self.screen == Screen::Form,
            ticket: self.draft.clone(),
        }
    }

    /// Brings back what a previous page load left: the draft (and the open form), and the
    /// tickets still waiting to be delivered — showing the first of those, since delivering
    /// it is what the customer was last waiting for.
    pub fn restore(&mut self, draft: Option<SavedDraft>, outbox: Option<Outbox>) {
        if let Some(saved) = draft {
            self.draft = saved.ticket;
            if saved.form_open {
                self.screen = Screen::Form;
            }
        }
        if let Some(outbox) = outbox {
            if let Some(first) = outbox.pending().first() {
                self.screen = Screen::Sending {
                    reference: first.ticket.id.clone(),
                    critical: first.ticket.severity == Severity::Critical,
                    note: Some(Message::new("send.resuming")),
                };
            }
            self.outbox = outbox;
        }
    }

    /// Fills the fields `prefill` names, leaving the others as they are.
    pub fn prefill(&mut self, prefill: Prefill) {
        let t = &mut self.draft;
        let fields = [
            (prefill.trying_to_do, &mut t.trying_to_do),
            (prefill.what_happened, &mut t.what_happened),
            (prefill.error_message, &mut t.error_message),
            (prefill.steps_to_reproduce, &mut t.steps_to_reproduce),
            (prefill.name, &mut t.name),
            (prefill.email, &mut t.email),
        ];
        for (value, field) in fields {
            if let Some(value) = value {
                *field = value;
            }
        }
    }

    /// An error the host application hit (`reportError`): recorded verbatim on the ticket
    /// and searched for. Returns the text to find the best guide for.
    pub fn report_error(&mut self, code: &str, message: &str) -> String {
        let text = [code.trim(), message.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        self.draft.error_message = text.clone();
        self.query = text.clone();
        self.screen = Screen::Search;
        text
    }
}

#[cfg(test)]
mod tests;
