//! The wasm↔JS boundary: the loader calls [`mount`] once the element needs its UI.

use wasm_bindgen::prelude::*;

/// Mounts the widget into `container` (inside the element's shadow root), reading the
/// bundle from `kb_url` (a folder URL ending in `/`, holding `manifest.json`). `clock`, an
/// ISO-8601 instant, pins the widget's clock (tests and demos of office hours).
#[wasm_bindgen]
pub fn mount(container: web_sys::HtmlElement, kb_url: String, clock: Option<String>) {
    if let Some(clock) = clock {
        crate::clock::pin(&clock);
    }
    let handle = leptos::mount::mount_to(container, move || crate::app::app(kb_url));
    // The widget lives as long as the page.
    handle.forget();
}
