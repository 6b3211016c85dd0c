//! The session's [`Event`]s as DOM events: `fixpath:<name>` on the `<fixpath-widget>`
//! element, bubbling and crossing the shadow root, with the details in `event.detail` —
//! the funnel the page's own analytics listen to.

use fixpath_engine::session::Event;
use wasm_bindgen::JsValue;

pub fn dispatch(host: &web_sys::HtmlElement, event: &Event) {
    let text = |s: &str| JsValue::from_str(s);
    let or_null = |s: &Option<String>| s.as_deref().map_or(JsValue::NULL, text);
    let detail: Vec<(&str, JsValue)> = match event {
        Event::Searched {
            query,
            results,
            search_ms,
        } => {
            let results: js_sys::Array = results.iter().map(|id| text(id)).collect();
            vec![
                ("query", text(query)),
                ("results", results.into()),
                ("search_ms", (*search_ms).into()),
            ]
        }
        Event::Opened { article, position } => vec![
            ("article", text(article)),
            (
                "position",
                position.map_or(JsValue::NULL, |p| (p as f64).into()),
            ),
        ],
        Event::StepAnswered {
            article,
            step,
            outcome,
            answer,
        } => {
            let mut detail = vec![
                ("article", text(article)),
                ("step", or_null(step)),
                ("outcome", text(outcome.key())),
            ];
            if let Some(answer) = answer {
                detail.push(("answer", text(answer)));
            }
            detail
        }
        Event::Resolved { article } => vec![("article", text(article))],
        Event::Escalated {
            article,
            steps_tried,
        } => vec![
            ("article", or_null(article)),
            ("steps_tried", (*steps_tried as f64).into()),
        ],
        Event::TicketSent {
            reference,
            severity,
            priority,
        } => vec![
            ("reference", text(reference)),
            ("severity", text(severity.key())),
            (
                "priority",
                priority.map_or(JsValue::NULL, |p| format!("{p:?}").into()),
            ),
        ],
    };
    let object = js_sys::Object::new();
    for (key, value) in &detail {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&object);
    let name = format!("fixpath:{}", event.name());
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(&name, &init) {
        let _ = host.dispatch_event(&event);
    }
}
