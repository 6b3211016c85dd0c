//! The app shell: loads the bundle, keeps the screen the customer is on, and carries what
//! they already told us (query, guide answers) over to the ticket form.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use fixpath_engine::bundle::{content_chunk_of, ContentChunk};
use fixpath_engine::config::WidgetConfig;
use fixpath_engine::guide::{Guide, GuideSession};
use fixpath_engine::index::{LoadedArticles, LoadedPostings};
use fixpath_engine::outbox::Outbox;
use fixpath_engine::strings::Message;
use fixpath_engine::ticket::{escalate, Escalation, Ticket, TriedStep};
use fixpath_engine::triage::Severity;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::{self, Loaded};

/// A customer who has not searched this long after the bundle loaded is reading the page:
/// the rest of the widget is fetched then.
const PREFETCH_WHEN_IDLE: std::time::Duration = std::time::Duration::from_secs(3);

/// Where the customer is in the journey.
#[derive(Clone)]
pub enum Screen {
    Search,
    /// Fetching the guide of article `doc`; `error` once that failed.
    Opening {
        doc: usize,
        error: Option<String>,
    },
    /// Walking the guide of article `doc`.
    Guide {
        doc: usize,
        session: GuideSession,
    },
    Form,
    /// Ticket `reference` is in the outbox; `note` says why it is not delivered yet.
    Sending {
        reference: String,
        critical: bool,
        note: Option<String>,
    },
    /// The ticket was accepted; `reference` is what the customer quotes.
    Sent {
        reference: String,
        critical: bool,
    },
}

impl Screen {
    /// Changes when what the customer is looking at changes (each guide step counts).
    fn focus_key(&self) -> String {
        match self {
            Screen::Search => "search".into(),
            Screen::Opening { doc, .. } => format!("opening {doc}"),
            Screen::Guide { doc, session } => format!("guide {doc} {:?}", session.state()),
            Screen::Form => "form".into(),
            Screen::Sending { reference, .. } => format!("sending {reference}"),
            Screen::Sent { reference, .. } => format!("sent {reference}"),
        }
    }
}

/// The bundle, as far as it has loaded.
#[derive(Clone)]
pub enum Load {
    Loading,
    Ready(Arc<Loaded>),
    /// Search is unavailable (the reason), but the contact form still works, with the kb's
    /// config when the manifest could be read.
    Failed(String, Box<WidgetConfig>),
}

impl Load {
    pub fn ready(&self) -> Option<Arc<Loaded>> {
        match self {
            Load::Ready(l) => Some(l.clone()),
            _ => None,
        }
    }

    /// The kb's `[strings]` (none while loading).
    fn strings(&self) -> &BTreeMap<String, String> {
        static NONE_YET: BTreeMap<String, String> = BTreeMap::new();
        match self {
            Load::Ready(l) => &l.manifest.config.strings,
            Load::Failed(_, config) => &config.strings,
            Load::Loading => &NONE_YET,
        }
    }

    pub fn config(&self) -> WidgetConfig {
        match self {
            Load::Ready(l) => l.manifest.config.clone(),
            Load::Failed(_, config) => (**config).clone(),
            Load::Loading => WidgetConfig::default(),
        }
    }
}

/// Shared handles the screens use to move the journey on.
#[derive(Clone, Copy)]
pub struct Journey {
    pub load: RwSignal<Load>,
    pub screen: RwSignal<Screen>,
    pub query: RwSignal<String>,
    pub draft: RwSignal<Ticket>,
    /// Content chunks fetched so far, by chunk number.
    pub content: RwSignal<HashMap<usize, Arc<ContentChunk>>>,
    /// Posting shards fetched so far, and those that could not be (see [`crate::postings`]).
    pub postings: RwSignal<LoadedPostings>,
    pub shard_failures: RwSignal<BTreeSet<usize>>,
    pub shards_requested: StoredValue<BTreeSet<usize>>,
    /// Article shards (what a result shows) fetched so far, and those that could not be
    /// (see [`crate::articles`]).
    pub articles: RwSignal<LoadedArticles>,
    pub article_failures: RwSignal<BTreeSet<usize>>,
    pub articles_requested: StoredValue<BTreeSet<usize>>,
    /// Submitted tickets not yet acknowledged (mirrored in localStorage).
    pub outbox: RwSignal<Outbox>,
    /// A send is under way.
    pub delivering: RwSignal<bool>,
    /// Why the receiver refused the last ticket, shown on the form.
    pub send_error: RwSignal<Option<String>>,
    /// Prefix of this widget's localStorage keys (one kb, one draft).
    pub storage_prefix: StoredValue<String>,
    /// The `<fixpath-widget>` element, where funnel events are dispatched.
    pub host: StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
}

/// The draft as saved in localStorage, so a reload loses nothing.
#[derive(Serialize, Deserialize)]
struct SavedDraft {
    form_open: bool,
    ticket: Ticket,
}

impl Journey {
    /// A UI string: the kb's `[strings]` entry for `key`, else the English `default`.
    /// Reactive: the words change when the bundle (and its config) arrives.
    pub fn text(self, key: &'static str) -> impl Fn() -> String + Copy {
        move || self.say(&Message::new(key))
    }

    /// The kb's words for a key made at run time (`form.impact.just_me`); reactive like
    /// [`Journey::say`].
    pub fn word(self, key: &str) -> String {
        self.load
            .with(|l| fixpath_engine::strings::text(l.strings(), key, &[]))
    }

    /// A message in the kb's words, placeholders filled in. Reactive like [`Journey::text`]
    /// when called inside a closure.
    pub fn say(self, message: &Message) -> String {
        self.load.with(|l| message.render(l.strings()))
    }

    /// The guide of article `doc`, if its content chunk has been fetched.
    pub fn guide(self, doc: usize) -> Option<Guide> {
        self.content
            .with_untracked(|c| c.get(&content_chunk_of(doc))?.guide(doc).cloned())
    }

    /// Shows article `doc`'s guide, fetching its content chunk first if needed.
    pub fn open_article(self, doc: usize) {
        if let Some(guide) = self.guide(doc) {
            self.screen.set(Screen::Guide {
                doc,
                session: GuideSession::new(&guide),
            });
            return;
        }
        let Some(loaded) = self.load.get_untracked().ready() else {
            return;
        };
        self.screen.set(Screen::Opening { doc, error: None });
        leptos::task::spawn_local(async move {
            let fetched = browser::fetch_content(&loaded, doc).await;
            let still_waiting =
                matches!(self.screen.get_untracked(), Screen::Opening { doc: d, .. } if d == doc);
            match fetched {
                Ok((n, chunk)) => {
                    self.content.update(|c| {
                        c.insert(n, chunk);
                    });
                    match self.guide(doc) {
                        Some(guide) if still_waiting => self.screen.set(Screen::Guide {
                            doc,
                            session: GuideSession::new(&guide),
                        }),
                        None if still_waiting => self.screen.set(Screen::Opening {
                            doc,
                            error: Some("the bundle has no guide for this article".into()),
                        }),
                        _ => {}
                    }
                }
                Err(e) if still_waiting => {
                    leptos::logging::warn!("fixpath: {e}");
                    self.screen.set(Screen::Opening {
                        doc,
                        error: Some(e),
                    });
                }
                Err(_) => {}
            }
        });
    }

    /// Opens the ticket form, carrying over the query and every guide answer given so far.
    pub fn contact_support(self) {
        let tried = match self.screen.get_untracked() {
            Screen::Guide { doc, session } => {
                match (crate::articles::article(self, doc), self.guide(doc)) {
                    (Some(article), Some(guide)) => {
                        TriedStep::from_session(&article.id, &guide, &session)
                    }
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        };
        let query = self.query.get_untracked();
        let article = match self.screen.get_untracked() {
            Screen::Guide { doc, .. } | Screen::Opening { doc, .. } => {
                crate::articles::article(self, doc).map(|a| a.id)
            }
            _ => None,
        };
        self.emit(
            "escalate",
            &[
                ("article", article.map_or(JsValue::NULL, |a| a.into())),
                ("steps_tried", (tried.len() as f64).into()),
            ],
        );
        let kb_fields = self.load.with_untracked(|l| l.config().ticket.fields);
        let article_fields = match self.screen.get_untracked() {
            Screen::Guide { doc, .. } | Screen::Opening { doc, .. } => {
                self.guide(doc).map(|g| g.ticket_fields).unwrap_or_default()
            }
            _ => Vec::new(),
        };
        self.draft.update(|draft| {
            escalate(
                draft,
                Escalation {
                    query: &query,
                    tried,
                    kb_fields: &kb_fields,
                    article_fields: &article_fields,
                },
            )
        });
        self.screen.set(Screen::Form);
    }

    pub fn back_to_search(self) {
        self.screen.set(Screen::Search);
    }

    fn storage_key(self, what: &str) -> String {
        format!("{}{what}", self.storage_prefix.get_value())
    }

    pub fn persist_outbox(self) {
        self.outbox
            .with_untracked(|o| browser::save(&self.storage_key("outbox"), o));
    }

    /// Brings back what a previous page load left: the draft (and the open form), and any
    /// ticket still waiting to be delivered.
    fn restore(self) {
        if let Some(saved) = browser::load::<SavedDraft>(&self.storage_key("draft")) {
            self.draft.set(saved.ticket);
            if saved.form_open {
                self.screen.set(Screen::Form);
            }
        }
        if let Some(outbox) = browser::load::<Outbox>(&self.storage_key("outbox")) {
            if let Some(first) = outbox.pending().first() {
                let note = Some(self.say(&Message::new("send.resuming")));
                self.screen.set(Screen::Sending {
                    reference: first.ticket.id.clone(),
                    critical: first.ticket.severity == Severity::Critical,
                    note,
                });
            }
            self.outbox.set(outbox);
        }
    }
}

impl Journey {
    /// A fresh journey for the kb at `kb_url`, with whatever a previous page load left.
    pub fn new(kb_url: &str, host: Option<web_sys::HtmlElement>) -> Journey {
        let journey = Journey {
            load: RwSignal::new(Load::Loading),
            screen: RwSignal::new(Screen::Search),
            query: RwSignal::new(String::new()),
            draft: RwSignal::new(browser::new_ticket()),
            content: RwSignal::new(HashMap::new()),
            postings: RwSignal::new(LoadedPostings::default()),
            shard_failures: RwSignal::new(BTreeSet::new()),
            shards_requested: StoredValue::new(BTreeSet::new()),
            articles: RwSignal::new(LoadedArticles::default()),
            article_failures: RwSignal::new(BTreeSet::new()),
            articles_requested: StoredValue::new(BTreeSet::new()),
            outbox: RwSignal::new(Outbox::default()),
            delivering: RwSignal::new(false),
            send_error: RwSignal::new(None),
            storage_prefix: StoredValue::new(format!("fixpath:{kb_url}:")),
            host: StoredValue::new_local(host),
        };
        journey.restore();
        journey
    }

    /// Moves focus to the current screen's `data-focus` element (its heading, or the search
    /// box).
    pub fn focus(self) {
        let Some(root) = self.host.get_value().and_then(|h| h.shadow_root()) else {
            return;
        };
        let target = root.query_selector("[data-focus]").ok().flatten();
        if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = target.focus();
        }
    }

    /// Dispatches `fixpath:NAME` on the host element (bubbling, crossing the shadow root)
    /// with `detail`, built from (key, value) pairs: the funnel events pages listen to.
    pub fn emit(self, name: &str, detail: &[(&str, JsValue)]) {
        let Some(host) = self.host.get_value() else {
            return;
        };
        let object = js_sys::Object::new();
        for (key, value) in detail {
            let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
        }
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&object);
        if let Ok(event) =
            web_sys::CustomEvent::new_with_event_init_dict(&format!("fixpath:{name}"), &init)
        {
            let _ = host.dispatch_event(&event);
        }
    }
}

pub fn app(journey: Journey, kb_url: String) -> impl IntoView {
    // Mirror the draft into localStorage as it is typed.
    Effect::new(move |_| {
        let form_open = journey.screen.with(|s| matches!(s, Screen::Form));
        journey.draft.with(|ticket| {
            browser::save(
                &journey.storage_key("draft"),
                &SavedDraft {
                    form_open,
                    ticket: ticket.clone(),
                },
            )
        });
    });
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
    leptos::task::spawn_local(async move {
        let load = match browser::fetch_bundle(&kb_url).await {
            Ok(loaded) => Load::Ready(loaded),
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
    let title = move || journey.load.with(|l| l.config().title);
    let screen = move || match journey.screen.get() {
        Screen::Search => crate::search::search_screen(journey).into_any(),
        later => crate::deferred::screen(journey, later).into_any(),
    };
    view! {
        <section class="fp-panel" aria-labelledby="fp-title" data-testid="panel">
            <h2 id="fp-title" class="fp-title">{title}</h2>
            {screen}
        </section>
    }
}

/// Every screen but search: what the second piece of the widget renders
/// ([`crate::deferred`]).
pub fn later_screen(journey: Journey, screen: Screen) -> AnyView {
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
        } => sent_screen(journey, reference, critical).into_any(),
    }
}

fn sent_screen(journey: Journey, reference: String, critical: bool) -> impl IntoView {
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
