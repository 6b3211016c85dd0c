//! The delivery side of a [`Session`]: a submitted ticket goes into the outbox before the
//! first attempt and leaves it only once the receiver acknowledges it (or refuses the
//! ticket itself, which gives it back to the customer to fix). One attempt at a time;
//! failures wait the outbox's backoff, or longer when the receiver asks.

use std::collections::BTreeMap;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::outbox::{FormEvidence, Pending};
use crate::relay_api::{Refusal, RefusalCode};
use crate::strings::{self, Message};
use crate::ticket::Ticket;
use crate::triage::Severity;

use super::{Event, Screen, Session};

/// Why one send attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// The receiver refused the ticket itself (4xx): retrying the same ticket cannot help.
    Rejected(String),
    /// Network failure or server error: the ticket is kept and sent again.
    Retryable(String),
    /// The receiver asked to wait (a rate limit): kept, and sent again no sooner than
    /// `after_ms`; `message` tells the customer so.
    Waiting { message: Message, after_ms: u32 },
}

impl SendFailure {
    /// What a non-2xx answer means: a relay's refusal (`refusal`, when its body was one)
    /// in the customer's words (`strings`), else by status.
    pub fn from_response(
        status: u16,
        refusal: Option<Refusal>,
        strings: &BTreeMap<String, String>,
    ) -> SendFailure {
        match refusal {
            Some(refusal) => match refusal.code {
                RefusalCode::RateLimited => SendFailure::Waiting {
                    message: refusal.for_customer(),
                    after_ms: refusal
                        .retry_after_seconds
                        .unwrap_or(60)
                        .saturating_mul(1000)
                        .min(u64::from(u32::MAX)) as u32,
                },
                code if code.is_temporary() => {
                    SendFailure::Retryable(refusal.for_customer().render(strings))
                }
                _ => SendFailure::Rejected(refusal.for_customer().render(strings)),
            },
            None => {
                let code = status.to_string();
                let values = [("status", code.as_str())];
                if (400..=499).contains(&status) {
                    SendFailure::Rejected(strings::text(strings, "send.reason.refused", &values))
                } else {
                    SendFailure::Retryable(strings::text(strings, "send.reason.status", &values))
                }
            }
        }
    }
}

/// When to try the outbox again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    pub after_ms: u32,
}

impl Session {
    /// Queues `ticket` (checked by [`crate::ticket::finish`]) and shows it being sent; the
    /// next ticket starts from `next_draft`. Follow with [`Session::next_delivery`].
    pub fn submit(&mut self, ticket: Ticket, form: FormEvidence, next_draft: Ticket) {
        self.send_error = None;
        self.screen = Screen::Sending {
            reference: ticket.id.clone(),
            critical: ticket.severity == Severity::Critical,
            note: None,
        };
        self.outbox.push(ticket, form);
        self.draft = next_draft;
    }

    /// The ticket to send now: the oldest pending one, unless an attempt is under way.
    pub fn next_delivery(&mut self) -> Option<Pending> {
        if self.sending.is_some() {
            return None;
        }
        let next = self.outbox.pending().first().cloned()?;
        self.sending = Some(next.ticket.id.clone());
        Some(next)
    }

    /// Whether ticket `id`'s screen is the one shown.
    fn showing(&self, id: &str) -> bool {
        matches!(&self.screen, Screen::Sending { reference, .. } if reference == id)
    }

    /// The receiver acknowledged ticket `id`: it leaves the outbox. Follow with
    /// [`Session::next_delivery`] for the next one.
    pub fn delivered(&mut self, id: &str) -> Option<Event> {
        self.sending = None;
        let ticket = self.outbox.remove(id)?;
        let critical = ticket.severity == Severity::Critical;
        if self.showing(id) {
            self.screen = Screen::Sent {
                reference: id.to_string(),
                critical,
            };
        }
        Some(Event::TicketSent {
            reference: ticket.id,
            severity: ticket.severity,
            priority: ticket.priority,
        })
    }

    /// An attempt to send ticket `id` failed. A refused ticket goes back to the form with
    /// the reason; otherwise it stays queued, the screen says why, and the answer is when
    /// to try again.
    pub fn delivery_failed(&mut self, id: &str, failure: SendFailure) -> Option<Retry> {
        self.sending = None;
        let (after_ms, note) = match failure {
            SendFailure::Rejected(reason) => {
                if let Some(ticket) = self.outbox.remove(id) {
                    self.draft = ticket;
                }
                self.send_error = Some(Message::new("send.rejected").with("reason", reason));
                self.screen = Screen::Form;
                return None;
            }
            SendFailure::Retryable(reason) => {
                let backoff = self.outbox.record_failure(id);
                let note = Message::new("send.retrying")
                    .with("reason", reason)
                    .with("seconds", backoff.div_ceil(1_000));
                (backoff, note)
            }
            SendFailure::Waiting { message, after_ms } => {
                (self.outbox.record_failure(id).max(after_ms), message)
            }
        };
        if self.showing(id) {
            if let Screen::Sending { note: shown, .. } = &mut self.screen {
                *shown = Some(note);
            }
        }
        Some(Retry { after_ms })
    }

    /// Ticket `reference`, while it waits in the outbox.
    pub fn queued(&self, reference: &str) -> Option<&Ticket> {
        self.outbox
            .pending()
            .iter()
            .find(|p| p.ticket.id == reference)
            .map(|p| &p.ticket)
    }
}

/// What `encodeURIComponent` leaves as it is.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// A `mailto:` link to `address` with `ticket` written out as the body; `attach_note`
/// (the kb's words) asks for its files when it has attachments, which a link cannot carry.
pub fn mailto(address: &str, ticket: &Ticket, attach_note: &str) -> String {
    let subject = format!("Support ticket {}: {}", ticket.id, ticket.trying_to_do);
    let mut body = ticket.to_text();
    if !ticket.attachments.is_empty() {
        body.push_str(&format!("\n{attach_note}\n"));
    }
    let encode = |text: &str| utf8_percent_encode(text, URI_COMPONENT).to_string();
    format!(
        "mailto:{address}?subject={}&body={}",
        encode(&subject),
        encode(&body)
    )
}
