//! The wasm↔JS boundary: the loader calls [`mount`] once the element needs its UI, and
//! forwards the element's `prefill`, `identify` and `reportError` to the returned
//! [`Widget`]. Arguments are JSON strings; unknown keys are ignored.

use fixpath_engine::session::Prefill;
use leptos::prelude::Update;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::journey::Journey;

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
            self.journey.session.update(|s| s.prefill(prefill));
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
        let journey = self.journey;
        let text = journey
            .session
            .try_update(|s| s.report_error(&error.code, &error.message))
            .unwrap_or_default();
        crate::search::open_best_match(journey, text);
    }
}
