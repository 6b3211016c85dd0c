//! Insights from this page (see `fixpath_engine::insights`), the first piece's part: it
//! decides whether to record at all and keeps the session's events as they happen; the
//! second piece ([`crate::insights_sender`]) turns them into insights and sends them
//! with `navigator.sendBeacon` — when the page is hidden or closed, and whenever 64
//! events are waiting — so recording costs the first screen almost nothing and sending
//! never holds up the page.
//!
//! Only when the kb turns insights on and the browser asks for neither Do Not Track nor
//! Global Privacy Control ([`may_send`]): otherwise nothing is kept and no request is
//! made. The page id is random, made here, and lives as long as the page. A beacon is
//! fire and forget: a batch lost on the way loses counts, never a ticket (tickets have
//! their own outbox).

use std::cell::RefCell;
use std::sync::Arc;

use fixpath_engine::insights::may_send;
use fixpath_engine::insights::model::MAX_INSIGHTS_PER_BATCH;
use fixpath_engine::session::Event;
use wasm_bindgen::prelude::*;

use crate::browser::Loaded;

/// Where this page's insights go, and the events not yet handed to the sender.
struct Sink {
    /// The bundle, for its config and analyzer (a query becomes its search terms).
    loaded: Arc<Loaded>,
    endpoint: String,
    page: String,
    /// Events with when they happened (`Date.now()`).
    waiting: Vec<(Event, f64)>,
}

thread_local! {
    static SINK: RefCell<Option<Sink>> = const { RefCell::new(None) };
}

/// Starts recording, if the kb and the browser allow it, once the bundle is here.
pub fn start(loaded: &Arc<Loaded>) {
    let config = &loaded.manifest.config;
    let Some(endpoint) = config.insights.endpoint(&config.delivery) else {
        return;
    };
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    // Read as plain properties: `doNotTrack` is null when unset (web-sys's binding expects
    // a string), and `globalPrivacyControl` is not in web-sys (browsers and extensions
    // that send `Sec-GPC` set it).
    let property = |name: &str| js_sys::Reflect::get(&navigator, &name.into()).ok();
    let do_not_track = property("doNotTrack").and_then(|v| v.as_string());
    let global_privacy_control = property("globalPrivacyControl").and_then(|v| v.as_bool());
    if !may_send(
        true,
        do_not_track.as_deref(),
        global_privacy_control == Some(true),
    ) {
        return;
    }
    let sink = Sink {
        loaded: loaded.clone(),
        endpoint,
        page: page_id(),
        waiting: Vec::new(),
    };
    SINK.with_borrow_mut(|s| *s = Some(sink));
    // `visibilitychange` to hidden is the last moment a page is sure to get (tab switched,
    // app backgrounded, page closed on mobile); `pagehide` covers browsers that skip it.
    let on_hidden = Closure::<dyn Fn()>::new(|| {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
        if hidden {
            flush(true);
        }
    });
    let on_pagehide = Closure::<dyn Fn()>::new(|| flush(true));
    if let Some(document) = window.document() {
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            on_hidden.as_ref().unchecked_ref(),
        );
    }
    let _ =
        window.add_event_listener_with_callback("pagehide", on_pagehide.as_ref().unchecked_ref());
    // They live as long as the page.
    on_hidden.forget();
    on_pagehide.forget();
}

/// Keeps `event`, if recording; hands a full batch's worth to the sender at once.
pub fn record(event: &Event) {
    let full = SINK.with_borrow_mut(|s| {
        let Some(s) = s else {
            return false;
        };
        s.waiting.push((event.clone(), js_sys::Date::now()));
        s.waiting.len() >= MAX_INSIGHTS_PER_BATCH
    });
    if full {
        flush(false);
    }
}

/// Hands the waiting events to the sender; with `hiding`, the page is going away, so the
/// search still being typed counts too.
fn flush(hiding: bool) {
    let taken = SINK.with_borrow_mut(|s| {
        let s = s.as_mut()?;
        Some((
            s.loaded.clone(),
            s.endpoint.clone(),
            s.page.clone(),
            std::mem::take(&mut s.waiting),
        ))
    });
    if let Some((loaded, endpoint, page, events)) = taken {
        crate::deferred::send_insights(crate::insights_sender::Send {
            loaded,
            endpoint,
            page,
            events,
            hiding,
        });
    }
}

/// 32 random hex digits: this page's id, never stored.
fn page_id() -> String {
    format!(
        "{:016x}{:016x}",
        crate::browser::random_u64(),
        crate::browser::random_u64()
    )
}
