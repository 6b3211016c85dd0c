//! The app shell: loads the bundle, keeps the session mirrored and the focus on the screen
//! the customer is on, and draws that screen.

use fixpath_engine::session::Screen;
use leptos::prelude::*;

use crate::browser;
use crate::journey::{Journey, Load};

/// A customer who has not searched this long after the bundle loaded is reading the page:
/// the rest of the widget is fetched then.
const PREFETCH_WHEN_IDLE: std::time::Duration = std::time::Duration::from_secs(3);

pub fn app(journey: Journey, kb_url: String) -> impl IntoView {
    crate::storage::remember_root();
    // A new screen (or guide step) takes the focus, so keyboard and screen-reader users
    // continue from its heading rather than from a button that no longer exists.
    Effect::new(move |previous: Option<String>| {
        let key = journey.screen.with(Screen::focus_key);
        if previous.is_some_and(|p| p != key) {
            request_animation_frame(move || journey.focus());
        }
        key
    });
    // Back online: try the outbox at once instead of waiting for the backoff.
    let online = window_event_listener(leptos::ev::online, move |_| {
        crate::deferred::deliver(journey)
    });
    std::mem::forget(online);
    let chosen = crate::storage::chosen_language(journey);
    let host = journey.host.get_value();
    load_bundle(
        journey,
        kb_url.clone(),
        browser::wanted_languages(chosen, host.as_ref()),
    );
    let title = move || journey.load.with(|l| l.config().title);
    let screen = move || match journey.screen.get() {
        Screen::Search => crate::search::search_screen(journey).into_any(),
        later => crate::deferred::screen(journey, later).into_any(),
    };
    view! {
        <section class="fp-panel" aria-labelledby="fp-title" data-testid="panel">
            <div class="fp-header">
                <h2 id="fp-title" class="fp-title">{title}</h2>
                // The language switcher: filled by `language::show` (plain DOM, not a view).
                <div data-fp-language></div>
            </div>
            {screen}
        </section>
    }
}

/// Fetches the bundle in the first of `wanted` the kb has, and starts the journey on it.
fn load_bundle(journey: Journey, kb_url: String, wanted: Vec<String>) {
    leptos::task::spawn_local(async move {
        let load = match browser::fetch_bundle(&kb_url, &wanted).await {
            Ok(loaded) => {
                crate::insights::start(&loaded);
                crate::language::show(journey, &kb_url, &loaded.manifest.config);
                Load::Ready(loaded)
            }
            Err(e) => {
                leptos::logging::warn!("fixpath: {}", e.reason);
                Load::Failed(e.reason, Box::new(e.config.unwrap_or_default()))
            }
        };
        // Search failed: the form (in the second piece) is all there is, so fetch it now.
        // Otherwise it follows the first results (see `search`), or comes once the page
        // has been idle a while, whichever is first.
        if matches!(load, Load::Failed(..)) {
            crate::deferred::prefetch();
        } else {
            set_timeout(crate::deferred::prefetch, PREFETCH_WHEN_IDLE);
        }
        journey.load.set(load);
        // The receiver's address comes with the bundle: deliver what an earlier visit left.
        crate::deferred::deliver(journey);
    });
}

/// Every screen but search: what the second piece of the widget renders
/// ([`crate::deferred`]).
pub fn later_screen(journey: Journey, screen: Screen) -> AnyView {
    crate::storage::mirror(journey);
    match screen {
        Screen::Search => crate::search::search_screen(journey).into_any(),
        Screen::Opening { doc, error } => {
            crate::guide::opening_screen(journey, doc, error).into_any()
        }
        Screen::Guide { doc, session } => {
            crate::guide::guide_screen(journey, doc, session).into_any()
        }
        Screen::Form => crate::form::form_screen(journey).into_any(),
        Screen::Sending {
            reference,
            critical,
            note,
        } => crate::delivery::sending_screen(journey, reference, critical, note).into_any(),
        Screen::Sent {
            reference,
            critical,
        } => crate::delivery::sent_screen(journey, reference, critical).into_any(),
    }
}
