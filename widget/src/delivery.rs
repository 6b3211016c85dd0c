//! Getting a ticket to support without losing or doubling it: a submitted ticket goes into
//! the outbox (saved in localStorage) before the first attempt, and leaves it only once the
//! receiver has acknowledged it. Failed attempts are retried with the engine's backoff, when
//! the browser comes back online, and on the next page load; every attempt carries the
//! ticket id as its idempotency key, so a retry can never create a second ticket.

use std::time::Duration;

use fixpath_engine::outbox::FormEvidence;
use fixpath_engine::strings::Message;
use fixpath_engine::ticket::Ticket;
use fixpath_engine::triage::Severity;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::app::{Journey, Screen};
use crate::browser::{self, SendError};

/// Queues `ticket` and starts delivering it.
pub fn submit(journey: Journey, ticket: Ticket, form: FormEvidence) {
    let reference = ticket.id.clone();
    let critical = ticket.severity == Severity::Critical;
    journey.outbox.update(|o| o.push(ticket, form));
    journey.persist_outbox();
    // The draft now lives in the outbox; the next ticket starts blank.
    journey.draft.set(browser::new_ticket());
    journey.screen.set(Screen::Sending {
        reference,
        critical,
        note: None,
    });
    deliver(journey);
}

/// Sends the oldest pending ticket, then the next; does nothing if a send is under way.
pub fn deliver(journey: Journey) {
    if journey.delivering.get_untracked() {
        return;
    }
    let Some(pending) = journey
        .outbox
        .with_untracked(|o| o.pending().first().cloned())
    else {
        return;
    };
    journey.delivering.set(true);
    let (delivery, strings) = journey.load.with_untracked(|l| {
        let config = l.config();
        (config.delivery, config.strings)
    });
    leptos::task::spawn_local(async move {
        let result = browser::send_ticket(&delivery, &strings, &pending).await;
        journey.delivering.set(false);
        let id = pending.ticket.id.clone();
        let critical = pending.ticket.severity == Severity::Critical;
        let showing = matches!(journey.screen.get_untracked(), Screen::Sending { reference, .. } if reference == id);
        match result {
            Ok(()) => {
                let t = &pending.ticket;
                journey.emit(
                    "ticket",
                    &[
                        ("reference", id.as_str().into()),
                        ("severity", t.severity.key().into()),
                        (
                            "priority",
                            t.priority
                                .map_or(JsValue::NULL, |p| format!("{p:?}").into()),
                        ),
                    ],
                );
                journey.outbox.update(|o| {
                    o.remove(&id);
                });
                journey.persist_outbox();
                if showing {
                    journey.screen.set(Screen::Sent {
                        reference: id,
                        critical,
                    });
                }
                deliver(journey);
            }
            Err(error @ (SendError::Retryable(_) | SendError::Waiting { .. })) => {
                let backoff = journey
                    .outbox
                    .try_update(|o| o.record_failure(&id))
                    .unwrap_or(1_000);
                journey.persist_outbox();
                let (delay, note) = match error {
                    SendError::Waiting { words, after_ms } => (backoff.max(after_ms), words),
                    SendError::Retryable(reason) | SendError::Rejected(reason) => (
                        backoff,
                        journey.say(
                            &Message::new("send.retrying")
                                .with("reason", reason)
                                .with("seconds", backoff.div_ceil(1_000)),
                        ),
                    ),
                };
                if showing {
                    journey.screen.set(Screen::Sending {
                        reference: id,
                        critical,
                        note: Some(note),
                    });
                }
                set_timeout(
                    move || deliver(journey),
                    Duration::from_millis(u64::from(delay)),
                );
            }
            Err(SendError::Rejected(reason)) => {
                // Retrying the same ticket cannot help: give it back to the customer to fix.
                if let Some(ticket) = journey.outbox.try_update(|o| o.remove(&id)).flatten() {
                    journey.draft.set(ticket);
                }
                journey.persist_outbox();
                journey.send_error.set(Some(
                    journey.say(&Message::new("send.rejected").with("reason", reason)),
                ));
                journey.screen.set(Screen::Form);
            }
        }
    });
}

/// While a ticket is on its way (or waiting to retry): its reference and what is happening.
pub fn sending_screen(
    journey: Journey,
    reference: String,
    critical: bool,
    note: Option<String>,
) -> impl IntoView {
    let phone = crate::support_hours::phone_route(journey, critical, Some(reference.clone()));
    // Once an attempt has failed, email is offered as the last resort.
    let email = note
        .is_some()
        .then(|| email_link(journey, &reference))
        .flatten();
    let message = note.unwrap_or_else(|| journey.say(&Message::new("send.sending")));
    view! {
        <div class="fp-sending" role="status" aria-live="polite" data-testid="sending">
            <p tabindex="-1" data-focus data-testid="sending-note">{message}</p>
            <p>{journey.text("send.reference")}" " <strong data-testid="reference">{reference}</strong></p>
            {phone}
            {email.map(|href| view! {
                <p>{journey.text("send.email_prompt")}" " <a href=href data-testid="email-fallback">{journey.text("send.email_link")}</a>
                " "{journey.text("send.email_note")}</p>
            })}
            <button type="button" class="fp-secondary" on:click=move |_| deliver(journey)>{journey.text("send.try_now")}</button>
        </div>
    }
}

/// `mailto:` for the queued ticket `reference`, with its plain-text rendering as the body;
/// None when the kb names no support address.
fn email_link(journey: Journey, reference: &str) -> Option<String> {
    let ticket = journey.outbox.with_untracked(|o| {
        o.pending()
            .iter()
            .find(|p| p.ticket.id == reference)
            .map(|p| p.ticket.clone())
    })?;
    mailto(journey, &ticket)
}

/// A `mailto:` link to the kb's support address with `ticket` written out, if the kb has
/// an address.
pub fn mailto(journey: Journey, ticket: &Ticket) -> Option<String> {
    let address = journey.load.with_untracked(|l| l.config().delivery.email)?;
    let subject = format!("Support ticket {}: {}", ticket.id, ticket.trying_to_do);
    let encode = |text: &str| String::from(js_sys::encode_uri_component(text));
    let mut body = ticket.to_text();
    if !ticket.attachments.is_empty() {
        body.push_str(&format!("\n{}\n", journey.word("send.email_attach")));
    }
    Some(format!(
        "mailto:{address}?subject={}&body={}",
        encode(&subject),
        encode(&body)
    ))
}
