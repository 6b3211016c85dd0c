//! The second piece's part of insights (see [`crate::insights`]): the page's
//! [`Recorder`], fed the events the first piece kept, and the beacons that carry its
//! batches to the kb's receiver.

use std::cell::RefCell;
use std::sync::Arc;

use fixpath_engine::insights::Recorder;
use fixpath_engine::session::Event;

use crate::browser::Loaded;

/// Events to record and send.
pub struct Send {
    pub loaded: Arc<Loaded>,
    pub endpoint: String,
    pub page: String,
    pub events: Vec<(Event, f64)>,
    /// The page is going away: send the search still being typed too.
    pub hiding: bool,
}

thread_local! {
    static RECORDER: RefCell<Option<Recorder>> = const { RefCell::new(None) };
}

/// Records `send.events` and sends whatever insights are ready.
pub fn send(send: Send) {
    let analyzer = &send.loaded.analyzer;
    let batches = RECORDER.with_borrow_mut(|recorder| {
        let recorder = recorder
            .get_or_insert_with(|| Recorder::new(send.loaded.manifest.config.insights.query_text));
        for (event, at) in &send.events {
            recorder.event(analyzer, event, *at);
        }
        recorder.tick(analyzer, js_sys::Date::now());
        recorder.take_batches(analyzer, send.hiding, &send.page)
    });
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return;
    };
    for batch in batches {
        if let Some(body) = crate::json::to_string(&batch) {
            // A string body goes as text/plain: no preflight, no answer to wait for.
            let _ = navigator.send_beacon_with_opt_str(&send.endpoint, Some(&body));
        }
    }
}
