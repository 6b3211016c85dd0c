//! [`Journey`]: the handles every screen gets — the bundle as far as it has loaded, and the
//! customer's [`Session`] (the engine's rules) in a signal — and the moves that need the
//! browser on the way: fetching a guide, telling the page, moving the focus.

use std::collections::BTreeMap;
use std::sync::Arc;

use fixpath_engine::config::WidgetConfig;
use fixpath_engine::session::{Event, Screen, Session};
use fixpath_engine::strings::Message;
use fixpath_engine::ticket::Ticket;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser::{self, Loaded};

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
    pub fn strings(&self) -> &BTreeMap<String, String> {
        static NONE_YET: BTreeMap<String, String> = BTreeMap::new();
        match self {
            Load::Ready(l) => &l.manifest.config.strings,
            Load::Failed(_, config) => &config.strings,
            Load::Loading => &NONE_YET,
        }
    }

    /// For an article shown in the kb's default language because this bundle's language
    /// has no translation of it: that language's tag and name.
    pub fn untranslated(&self, id: &str) -> Option<(String, String)> {
        let Load::Ready(loaded) = self else {
            return None;
        };
        let config = &loaded.manifest.config;
        if !config.is_untranslated(id) {
            return None;
        }
        let default = config.languages.first()?;
        Some((default.tag.clone(), default.name.clone()))
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
    pub session: RwSignal<Session>,
    /// The session's screen and query, notifying only when they change (the session
    /// changes with every keystroke and every shard).
    pub screen: Memo<Screen>,
    pub query: Memo<String>,
    /// Prefix of this widget's localStorage keys (one kb, one draft).
    pub storage_prefix: StoredValue<String>,
    /// The `<fixpath-widget>` element, where funnel events are dispatched.
    pub host: StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
}

impl Journey {
    /// A fresh journey for the kb at `kb_url`, with whatever a previous page load left.
    pub fn new(kb_url: &str, host: Option<web_sys::HtmlElement>) -> Journey {
        let session = RwSignal::new(Session::new(browser::new_ticket()));
        let journey = Journey {
            load: RwSignal::new(Load::Loading),
            session,
            screen: Memo::new(move |_| session.with(|s| s.screen().clone())),
            query: Memo::new(move |_| session.with(|s| s.query().to_string())),
            storage_prefix: StoredValue::new(format!("fixpath:{kb_url}:")),
            host: StoredValue::new_local(host),
        };
        crate::storage::restore(journey);
        journey
    }

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

    /// The note under an untranslated article's title ("Not translated yet: in English")
    /// and its language's tag, for the title's `lang`.
    pub fn untranslated(self, id: &str) -> Option<(String, String)> {
        let (tag, name) = self.load.with_untracked(|l| l.untranslated(id))?;
        let note = self.say(&Message::new("search.untranslated").with("language", name));
        Some((tag, note))
    }

    /// Whether `loaded` is the bundle the journey is on (a switch of language replaces it;
    /// what was fetched for the old one is then dropped).
    pub fn holds(self, loaded: &Loaded) -> bool {
        self.load.with_untracked(
            |l| matches!(l, Load::Ready(current) if std::ptr::eq(&**current, loaded)),
        )
    }

    /// Reads the ticket draft (reactive).
    pub fn draft<T>(self, read: impl FnOnce(&Ticket) -> T) -> T {
        self.session.with(|s| read(s.draft()))
    }

    /// Reads the ticket draft once, without tracking it.
    pub fn draft_untracked<T>(self, read: impl FnOnce(&Ticket) -> T) -> T {
        self.session.with_untracked(|s| read(s.draft()))
    }

    /// Changes the ticket draft.
    pub fn edit_draft(self, edit: impl FnOnce(&mut Ticket)) {
        self.session.update(|s| edit(s.draft_mut()));
    }

    /// Shows article `doc`'s guide, fetching its content chunk first if needed; `position`
    /// is where it was in the results (from 1), none when the page opened it.
    pub fn open_article(self, doc: usize, position: Option<usize>) {
        if let Some(event) = self.session.with_untracked(|s| s.opened(doc, position)) {
            self.emit(&event);
        }
        let Some(chunk) = self.session.try_update(|s| s.open_article(doc)).flatten() else {
            return;
        };
        let Some(loaded) = self.load.get_untracked().ready() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let fetched = browser::fetch_content(&loaded, chunk).await;
            if !self.holds(&loaded) {
                return;
            }
            match fetched {
                Ok(fetched) => self.session.update(|s| s.content_arrived(chunk, fetched)),
                Err(e) => {
                    leptos::logging::warn!("fixpath: {e}");
                    self.session.update(|s| s.content_failed(doc, e));
                }
            }
        });
    }

    /// Opens the ticket form, carrying over the query and every guide answer given so far.
    pub fn contact_support(self) {
        let kb_fields = self.load.with_untracked(|l| l.config().ticket.fields);
        if let Some(event) = self.session.try_update(|s| s.contact_support(&kb_fields)) {
            self.emit(&event);
        }
    }

    pub fn back_to_search(self) {
        self.session.update(Session::back_to_search);
    }

    /// Tells the page (see [`crate::events`]), and insights (see [`crate::insights`]).
    pub fn emit(self, event: &Event) {
        if let Some(host) = self.host.get_value() {
            crate::events::dispatch(&host, event);
        }
        crate::insights::record(event);
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
}
