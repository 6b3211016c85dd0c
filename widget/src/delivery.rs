//! Getting a ticket to support without losing or doubling it. The session's outbox decides
//! (see `fixpath_engine::session`): a ticket is queued before the first attempt and leaves
//! only once acknowledged. This sends what it hands out, tells it how each attempt went,
//! and tries again when it says (its backoff), when the browser comes back online, and on
//! the next page load; every attempt carries the ticket id as its idempotency key, so a
//! retry can never create a second ticket. Also the sending and sent screens.

use std::time::Duration;

use fixpath_engine::outbox::FormEvidence;
use fixpath_engine::session::{mailto, Retry};
use fixpath_engine::strings::Message;
use fixpath_engine::ticket::Ticket;
use leptos::prelude::*;

use crate::browser;
use crate::journey::Journey;

/// Queues `ticket` and starts delivering it.
pub fn submit(journey: Journey, ticket: Ticket, form: FormEvidence) {
    let next_draft = browser::new_ticket();
    journey
        .session
        .update(|s| s.submit(ticket, form, next_draft));
    deliver(journey);
}

/// Sends the oldest pending ticket, then the next; does nothing if a send is under way.
pub fn deliver(journey: Journey) {
    // What it sends leaves the outbox: keep storage in step from here on.
    crate::storage::mirror(journey);
    let Some(pending) = journey.session.try_update(|s| s.next_delivery()).flatten() else {
        return;
    };
    let (delivery, strings) = journey.load.with_untracked(|l| {
        let config = l.config();
        (config.delivery, config.strings)
    });
    leptos::task::spawn_local(async move {
        let id = pending.ticket.id.clone();
        match browser::send_ticket(&delivery, &strings, &pending).await {
            Ok(()) => {
                if let Some(event) = journey.session.try_update(|s| s.delivered(&id)).flatten() {
                    journey.emit(&event);
                }
                deliver(journey);
            }
            Err(failure) => {
                let retry = journey
                    .session
                    .try_update(|s| s.delivery_failed(&id, failure))
                    .flatten();
                if let Some(Retry { after_ms }) = retry {
                    set_timeout(
                        move || deliver(journey),
                        Duration::from_millis(u64::from(after_ms)),
                    );
                }
            }
        }
    });
}

/// While a ticket is on its way (or waiting to retry): its reference and what is happening.
pub fn sending_screen(
    journey: Journey,
    reference: String,
    critical: bool,
    note: Option<Message>,
) -> impl IntoView {
    let phone = crate::support_hours::phone_route(journey, critical, Some(reference.clone()));
    // Once an attempt has failed, email is offered as the last resort.
    let email = note
        .is_some()
        .then(|| email_link(journey, &reference))
        .flatten();
    let message = journey.say(&note.unwrap_or_else(|| Message::new("send.sending")));
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
    let ticket = journey
        .session
        .with_untracked(|s| s.queued(reference).cloned())?;
    email(journey, &ticket)
}

/// A `mailto:` link to the kb's support address with `ticket` written out, if the kb has
/// an address.
pub fn email(journey: Journey, ticket: &Ticket) -> Option<String> {
    let address = journey.load.with_untracked(|l| l.config().delivery.email)?;
    Some(mailto(&address, ticket, &journey.word("send.email_attach")))
}

/// The ticket was accepted: its reference, and the 24/7 line when it is critical and
/// support is closed.
pub fn sent_screen(journey: Journey, reference: String, critical: bool) -> impl IntoView {
    let phone = crate::support_hours::phone_route(journey, critical, Some(reference.clone()));
    view! {
        <div class="fp-sent" role="status" data-testid="sent">
            <p tabindex="-1" data-focus>{journey.text("send.sent")}" "
                <strong data-testid="reference">{reference}</strong>"."</p>
            <p>{journey.text("send.reply")}</p>
            {phone}
            {crate::support_hours::hours_line(journey)}
            <button type="button" class="fp-secondary" on:click=move |_| journey.back_to_search()>{journey.text("guide.back_to_help")}</button>
        </div>
    }
}
