//! The widget in the customer's language: the panel's `lang` and `dir`, the ticket's
//! language, and the switcher a kb in several languages offers.
//!
//! Drawn with plain DOM calls rather than Leptos views: they change once per bundle, and
//! as reactive views they cost the first download 4 KB of brotli.

use fixpath_engine::config::WidgetConfig;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::journey::{Journey, Load};

/// Puts the panel in `config`'s language (screen readers pronounce it, right-to-left
/// languages lay out from the right), records it on the ticket, and offers the kb's other
/// languages, if it has any.
pub fn show(journey: Journey, kb_url: &str, config: &WidgetConfig) {
    let language = config.language();
    journey.edit_draft(|t| t.language = language.tag().to_string());
    let Some(root) = journey.host.get_value().and_then(|h| h.shadow_root()) else {
        return;
    };
    if let Ok(Some(panel)) = root.query_selector(".fp-root") {
        let _ = panel.set_attribute("lang", language.tag());
        let _ = panel.set_attribute("dir", language.direction().as_str());
    }
    let Ok(Some(slot)) = root.query_selector("[data-fp-language]") else {
        return;
    };
    // After a switch the same switcher stays, and keeps the keyboard focus.
    if let Ok(Some(select)) = slot.query_selector("select") {
        select
            .unchecked_into::<web_sys::HtmlSelectElement>()
            .set_value(&config.language);
        if let Ok(Some(label)) = slot.query_selector(".fp-visually-hidden") {
            label.set_text_content(Some(&label_text(config)));
        }
    } else if config.languages.len() > 1 {
        let _ = draw_switcher(journey, kb_url, config, &slot);
    }
}

/// `<label><span>Language</span><select>…</select></label>` into `slot`: choosing switches
/// to that language (see [`switch`]) and is remembered for the next page.
fn draw_switcher(
    journey: Journey,
    kb_url: &str,
    config: &WidgetConfig,
    slot: &web_sys::Element,
) -> Result<(), JsValue> {
    let document = slot.owner_document().ok_or("no document")?;
    let label = document.create_element("label")?;
    label.set_class_name("fp-language");
    let hidden = document.create_element("span")?;
    hidden.set_class_name("fp-visually-hidden");
    hidden.set_text_content(Some(&label_text(config)));
    let select: web_sys::HtmlSelectElement = document.create_element("select")?.unchecked_into();
    select.set_attribute("data-testid", "language")?;
    for choice in &config.languages {
        let option = document.create_element("option")?;
        option.set_attribute("value", &choice.tag)?;
        option.set_attribute("lang", &choice.tag)?;
        if choice.tag == config.language {
            option.set_attribute("selected", "")?;
        }
        // Text, never HTML: the names come from the kb's config.
        option.set_text_content(Some(&choice.name));
        select.append_child(&option)?;
    }
    let kb_url = kb_url.to_string();
    let chosen = select.clone();
    let change = Closure::<dyn FnMut()>::new(move || {
        let tag = chosen.value();
        crate::storage::choose_language(journey, &tag);
        switch(journey, kb_url.clone(), tag);
    });
    select.add_event_listener_with_callback("change", change.as_ref().unchecked_ref())?;
    // Lives as long as the page: the switcher is drawn once and kept across switches.
    change.forget();
    label.append_child(&hidden)?;
    label.append_child(&select)?;
    slot.append_child(&label)?;
    Ok(())
}

/// "Language", in the bundle's words.
fn label_text(config: &WidgetConfig) -> String {
    fixpath_engine::strings::text(&config.strings, "language.label", &[])
}

/// Fetches the bundle in `tag`, then moves the journey onto it in one step: the query, the
/// draft and the outbox stay, the shards fetched for the old bundle go (see
/// `Session::switched_bundle`). Until then the old bundle keeps working; if the new one
/// cannot be fetched, it stays.
fn switch(journey: Journey, kb_url: String, tag: String) {
    leptos::task::spawn_local(async move {
        match crate::browser::fetch_bundle(&kb_url, &[tag]).await {
            Ok(loaded) => {
                show(journey, &kb_url, &loaded.manifest.config);
                journey.session.update(|s| s.switched_bundle());
                journey.load.set(Load::Ready(loaded));
            }
            Err(e) => {
                leptos::logging::warn!("fixpath: {}", e.reason);
                let current = journey.load.with_untracked(|l| l.config());
                show(journey, &kb_url, &current);
            }
        }
    });
}
