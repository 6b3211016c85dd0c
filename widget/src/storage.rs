//! localStorage: the draft (and whether the form was open) and the outbox are mirrored
//! there as they change, so a reload or a closed tab loses nothing; the next page load
//! hands them back to the session. The language picked in the switcher is kept too.

use fixpath_engine::outbox::Outbox;
use fixpath_engine::session::{SavedDraft, Session};
use leptos::prelude::*;

use crate::journey::Journey;

fn key(journey: Journey, what: &str) -> String {
    format!("{}{what}", journey.storage_prefix.get_value())
}

/// Brings back what a previous page load left (see `Session::restore`).
pub fn restore(journey: Journey) {
    let draft = load::<SavedDraft>(&key(journey, "draft"));
    let outbox = load::<Outbox>(&key(journey, "outbox"));
    journey.session.update(|s| s.restore(draft, outbox));
}

/// The language the customer picked in the switcher on an earlier visit, if any.
pub fn chosen_language(journey: Journey) -> Option<String> {
    load::<String>(&key(journey, "language"))
}

/// Remembers the language picked in the switcher, so the next page comes in it.
pub fn choose_language(journey: Journey, tag: &str) {
    save(&key(journey, "language"), &tag);
}

thread_local! {
    /// The widget's root, where the mirror's effects live; taken when they start.
    static ROOT: std::cell::RefCell<Option<Owner>> = const { std::cell::RefCell::new(None) };
}

/// Called by the shell: the mirror started later belongs to the whole widget, not to the
/// screen that happens to start it.
pub fn remember_root() {
    ROOT.with(|root| *root.borrow_mut() = Owner::current());
}

/// Mirrors the draft and the outbox into localStorage from now on, when they change (the
/// memos keep a search keystroke or an arriving shard from rewriting storage; a draft can
/// carry megabytes of attachments). Started by the second piece the first time it draws
/// a screen or delivers: only its code opens the form, edits the draft or queues a ticket,
/// so saving stays out of the first download (a page's `prefill` before then is made again
/// by the page on its next load). Once per page.
pub fn mirror(journey: Journey) {
    let Some(root) = ROOT.with(|root| root.borrow_mut().take()) else {
        return;
    };
    let (draft_key, outbox_key) = (key(journey, "draft"), key(journey, "outbox"));
    root.with(|| {
        let draft = Memo::new(move |_| journey.session.with(Session::saved_draft));
        let outbox = Memo::new(move |_| journey.session.with(|s| s.outbox().clone()));
        Effect::new(move |_| draft.with(|d| save(&draft_key, d)));
        Effect::new(move |_| outbox.with(|o| save(&outbox_key, o)));
    });
}

/// Reads a JSON value saved with [`save`]; `None` when absent, unreadable or from an older
/// shape (a stale draft must never break the widget).
fn load<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let storage = web_sys::window()?.local_storage().ok()??;
    crate::json::from_str(&storage.get_item(key).ok()??)
}

/// Saves `value` as JSON in localStorage. Storage can be full or disabled (private
/// windows); the widget then simply keeps the value in memory.
fn save<T: serde::Serialize>(key: &str, value: &T) {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let (Some(storage), Some(json)) = (storage, crate::json::to_string(value)) {
        let _ = storage.set_item(key, &json);
    }
}
