//! The wasm↔JS boundary: the loader calls [`mount`] once the element needs its UI, and
//! forwards the element's `prefill`, `identify` and `reportError` to the returned
//! [`Widget`]. Arguments are JSON strings; unknown keys are ignored.

use fixpath_engine::ticket::Ticket;
use leptos::prelude::{Set, Update};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::{Journey, Screen};

/// A mounted widget.
#[wasm_bindgen]
pub struct Widget {
    journey: Journey,
}

/// Mounts the widget into `container` (inside the element's shadow root), reading the
/// bundle from `kb_url` (a folder URL ending in `/`, holding `manifest.json`). `clock`, an
/// ISO-8601 instant, pins the widget's clock (tests and demos of office hours).
#[wasm_bindgen]
pub fn mount(container: web_sys::HtmlElement, kb_url: String, clock: Option<String>) -> Widget {
    if let Some(clock) = clock {
        crate::clock::pin(&clock);
    }
    // Events go to the <fixpath-widget> element that hosts the shadow root.
    let host = container
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .ok()
        .and_then(|root| root.host().dyn_into::<web_sys::HtmlElement>().ok());
    let journey = Journey::new(&kb_url, host);
    let handle = leptos::mount::mount_to(container, move || crate::app::app(journey, kb_url));
    // The widget lives as long as the page.
    handle.forget();
    Widget { journey }
}

/// `prefill({...})`: the ticket's text fields, by their JSON names.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Prefill {
    trying_to_do: Option<String>,
    what_happened: Option<String>,
    error_message: Option<String>,
    steps_to_reproduce: Option<String>,
    name: Option<String>,
    email: Option<String>,
}

impl Prefill {
    fn apply(self, t: &mut Ticket) {
        let fields = [
            (self.trying_to_do, &mut t.trying_to_do),
            (self.what_happened, &mut t.what_happened),
            (self.error_message, &mut t.error_message),
            (self.steps_to_reproduce, &mut t.steps_to_reproduce),
            (self.name, &mut t.name),
            (self.email, &mut t.email),
        ];
        for (value, field) in fields {
            if let Some(value) = value {
                *field = value;
            }
        }
    }
}

/// `reportError({code, message})`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ReportedError {
    code: String,
    message: String,
}

#[wasm_bindgen]
impl Widget {
    /// Moves focus into the widget (the launcher calls it when it opens the panel).
    pub fn focus(&self) {
        self.journey.focus();
    }

    /// Fills ticket fields the page already knows.
    pub fn prefill(&self, json: &str) {
        if let Some(prefill) = crate::json::from_str::<Prefill>(json) {
            self.journey.draft.update(|t| prefill.apply(t));
        }
    }

    /// The signed-in customer: `{name, email}`.
    pub fn identify(&self, json: &str) {
        self.prefill(json);
    }

    /// An error the host application just hit: recorded verbatim for the ticket, and the
    /// best guide for it opened (or the form, when no article matches).
    #[wasm_bindgen(js_name = reportError)]
    pub fn report_error(&self, json: &str) {
        let Some(error) = crate::json::from_str::<ReportedError>(json) else {
            return;
        };
        let text = [error.code.trim(), error.message.trim()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let journey = self.journey;
        journey.draft.update(|t| t.error_message = text.clone());
        journey.query.set(text.clone());
        journey.screen.set(Screen::Search);
        crate::search::open_best_match(journey, text);
    }
}
