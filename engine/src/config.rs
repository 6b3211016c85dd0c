//! What the widget obeys of a kb's configuration ([`WidgetConfig`]), and the bundle
//! manifest that carries it. Both are published contracts: the manifest is fetched fresh
//! on every load and tells the widget which index file to fetch and which engine wrote it.
//!
//! The config file itself (`fixpath.toml`, with settings only the indexer reads) is the
//! indexer's type: the bundle carries this one, so a change to the file's shape never
//! changes the bundle format by accident.

use serde::{Deserialize, Serialize};

use crate::bundle::{BUNDLE_FORMAT_VERSION, BUNDLE_OLDEST_READABLE};

/// The settings of a kb that reach the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WidgetConfig {
    /// Heading of the widget panel.
    pub title: String,
    pub delivery: DeliveryConfig,
    pub support: SupportConfig,
    pub triage: TriageConfig,
    pub ticket: crate::ticket_fields::TicketConfig,
    /// The widget's words, by key (see `kb/README.md`), replacing the English defaults;
    /// keys left out keep them.
    pub strings: std::collections::BTreeMap<String, String>,
    /// Left out of the manifest when off: a bundle of a kb without `[insights]` is the
    /// same as before they existed.
    #[serde(skip_serializing_if = "InsightsConfig::is_default")]
    pub insights: InsightsConfig,
    /// This bundle's language: its analyzer's, its articles' and its words'. Left out of
    /// the manifest when English, like the two below when empty, so a kb in one language
    /// builds the manifest it did before languages existed.
    #[serde(skip_serializing_if = "is_english")]
    pub language: String,
    /// Every language the kb is published in, this one included, for negotiation and the
    /// switcher; the first is the default, whose bundle is the kb folder's own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<LanguageChoice>,
    /// Articles with no translation in this language, shown in the default language
    /// (ids, sorted).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub untranslated: Vec<String>,
}

fn is_english(tag: &String) -> bool {
    tag == "en"
}

/// One of a kb's languages, as the widget offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageChoice {
    /// BCP 47 tag, normalized (`fr`, `pt-br`).
    pub tag: String,
    /// What it is called in itself (`Français`), for the switcher.
    pub name: String,
    /// Its bundle's folder relative to the default bundle's (`fr/`; empty for the
    /// default).
    pub path: String,
}

impl WidgetConfig {
    /// The bundle's language (English if the manifest names none, or an unreadable one).
    pub fn language(&self) -> crate::language::Language {
        crate::language::Language::parse(&self.language).unwrap_or_default()
    }

    /// Whether article `id` is shown untranslated, in the default language.
    pub fn is_untranslated(&self, id: &str) -> bool {
        self.untranslated
            .binary_search_by(|u| u.as_str().cmp(id))
            .is_ok()
    }
}

/// `[insights]`: whether the widget tells support and docs teams how the help is used
/// (see [`crate::insights`]). Off unless turned on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InsightsConfig {
    pub enabled: bool,
    /// Keep what customers typed (emails and long numbers left out); otherwise only a
    /// query's search terms leave the page.
    pub query_text: bool,
    /// Where batches are sent; left out, a `relay` delivery's own address.
    pub url: Option<String>,
}

impl InsightsConfig {
    fn is_default(&self) -> bool {
        *self == InsightsConfig::default()
    }

    /// The address batches are sent to: `url`, else the relay's `/v1/events` when tickets
    /// go to a relay; `None` when off, or when there is nowhere to send them.
    pub fn endpoint(&self, delivery: &DeliveryConfig) -> Option<String> {
        if !self.enabled {
            return None;
        }
        match (&self.url, delivery.kind.as_str()) {
            (Some(url), _) => Some(url.clone()),
            (None, "relay") => Some(format!(
                "{}{}",
                delivery.url.trim_end_matches('/'),
                crate::relay_api::INSIGHTS_PATH
            )),
            (None, _) => None,
        }
    }

    /// What is wrong with `[insights]`.
    pub fn problems(&self, delivery: &DeliveryConfig) -> Vec<InsightsProblem> {
        if self.enabled && self.endpoint(delivery).is_none() {
            return vec![InsightsProblem::NoReceiver];
        }
        Vec::new()
    }
}

/// What is wrong with `[insights]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsightsProblem {
    /// On, with no `url` and tickets not going to a relay: nowhere to send them.
    NoReceiver,
}

impl InsightsProblem {
    /// The config key it is at.
    pub fn key(self) -> &'static str {
        match self {
            InsightsProblem::NoReceiver => "enabled",
        }
    }
}

/// `[triage]`: the impact × urgency matrix (see [`crate::triage::TriageMatrix`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TriageConfig {
    pub matrix: crate::triage::TriageMatrix,
}

/// The panel heading of a kb that sets none.
pub const DEFAULT_TITLE: &str = "How can we help?";

impl Default for WidgetConfig {
    fn default() -> Self {
        WidgetConfig {
            title: DEFAULT_TITLE.to_string(),
            delivery: DeliveryConfig::default(),
            support: SupportConfig::default(),
            triage: TriageConfig::default(),
            ticket: Default::default(),
            strings: Default::default(),
            insights: InsightsConfig::default(),
            language: "en".to_string(),
            languages: Vec::new(),
            untranslated: Vec::new(),
        }
    }
}

/// Where tickets go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliveryConfig {
    /// `webhook`: POST the JSON ticket to `url` with an `Idempotency-Key` header.
    /// `zendesk`: POST a request to `url` + `/api/v2/requests.json` (`url` is the help
    /// centre, `https://SUBDOMAIN.zendesk.com`).
    /// `relay`: POST the ticket to a Fixpath relay at `url` (its base address), which keeps
    /// it and delivers it to the help desks that need a secret.
    pub kind: String,
    /// Absolute, or relative to the page.
    pub url: String,
    /// Mail address offered as the last resort when sending fails.
    pub email: Option<String>,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            kind: "webhook".to_string(),
            url: "/api/tickets".to_string(),
            email: None,
        }
    }
}

/// The delivery kinds a kb can choose.
pub const DELIVERY_KINDS: [&str; 3] = ["webhook", "zendesk", "relay"];

impl DeliveryConfig {
    /// The URL a ticket is POSTed to.
    pub fn endpoint(&self) -> String {
        let base = self.url.trim_end_matches('/');
        match self.kind.as_str() {
            "zendesk" => format!("{base}{}", crate::zendesk::REQUESTS_PATH),
            "relay" => format!("{base}{}", crate::relay_api::TICKETS_PATH),
            _ => self.url.clone(),
        }
    }

    /// Where a relay hands out proof-of-work challenges (`None` for other kinds).
    pub fn challenge_endpoint(&self) -> Option<String> {
        (self.kind == "relay").then(|| {
            format!(
                "{}{}",
                self.url.trim_end_matches('/'),
                crate::relay_api::CHALLENGE_PATH
            )
        })
    }

    /// Everything wrong with `[delivery]`.
    pub fn problems(&self) -> Vec<DeliveryProblem> {
        let mut problems = Vec::new();
        let kind = self.kind.as_str();
        if !DELIVERY_KINDS.contains(&kind) {
            problems.push(DeliveryProblem::UnknownKind(kind.to_string()));
        }
        if kind == "relay" {
            let url = self.url.as_str();
            let remote = url.starts_with("https://") || url.starts_with("http://");
            if url == DeliveryConfig::default().url || !(remote || url.starts_with('/')) {
                problems.push(DeliveryProblem::RelayNeedsUrl(url.to_string()));
            } else if url
                .trim_end_matches('/')
                .ends_with(crate::relay_api::TICKETS_PATH)
            {
                problems.push(DeliveryProblem::RelayUrlHasPath);
            } else if url.starts_with("http://") && !is_loopback_url(url) {
                problems.push(DeliveryProblem::PlainHttp(url.to_string()));
            }
        }
        problems
    }
}

/// What is wrong with `[delivery]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryProblem {
    /// Not one of [`DELIVERY_KINDS`].
    UnknownKind(String),
    /// Kind `relay` without the relay's address (the url it has instead).
    RelayNeedsUrl(String),
    /// The relay's url ends with the tickets path, which the widget adds itself.
    RelayUrlHasPath,
    /// Plain HTTP to a relay that is not on this machine: a warning.
    PlainHttp(String),
}

impl DeliveryProblem {
    /// The config key it is at.
    pub fn key(&self) -> &'static str {
        match self {
            DeliveryProblem::UnknownKind(_) => "kind",
            _ => "url",
        }
    }

    /// An error (the kb does not build) rather than a warning.
    pub fn is_error(&self) -> bool {
        !matches!(self, DeliveryProblem::PlainHttp(_))
    }
}

/// `http://localhost…`, `http://127.0.0.1…` or `http://[::1]…`: fine without TLS while
/// developing.
fn is_loopback_url(url: &str) -> bool {
    let rest = url.trim_start_matches("http://");
    ["localhost", "127.", "[::1]"]
        .iter()
        .any(|p| rest.starts_with(p))
}

/// How customers reach people.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SupportConfig {
    /// The 24/7 line for urgent matters, E.164 (`+44 20 7946 0000`).
    pub phone: Option<String>,
    /// When people answer tickets.
    pub hours: crate::hours::HoursConfig,
}

/// `manifest.json`: the entry point of a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub engine_version: String,
    /// Content-hashed file name of the search index, relative to the manifest.
    pub index_file: String,
    /// Content-hashed file names of the dictionary shards, in order: shard `n` holds the
    /// terms from the index's `dictionary_firsts[n]`.
    pub dictionary_files: Vec<String>,
    /// Content-hashed file names of the article shards, in order: article `n` is in
    /// `article_files[n / ARTICLES_PER_SHARD]`.
    pub article_files: Vec<String>,
    /// Content-hashed file names of the posting shards, in order: dictionary term `t` has
    /// its postings in `postings_files[t / TERMS_PER_SHARD]`.
    pub postings_files: Vec<String>,
    /// Content-hashed file names of the content chunks, in order: article `n` is in
    /// `content_files[n / CONTENT_CHUNK_ARTICLES]`.
    pub content_files: Vec<String>,
    pub article_count: usize,
    pub config: WidgetConfig,
}

/// The two fields of a manifest a reader checks first, read on their own: a manifest
/// written by another format is then recognised as such (and named in the message)
/// instead of failing to parse as this one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ManifestVersion {
    pub format_version: u32,
    /// The `fixpath` version that wrote the bundle (empty if the manifest does not say).
    #[serde(default)]
    pub engine_version: String,
}

impl ManifestVersion {
    /// Whether this engine can read the bundle.
    pub fn is_readable(&self) -> bool {
        (BUNDLE_OLDEST_READABLE..=BUNDLE_FORMAT_VERSION).contains(&self.format_version)
    }

    /// Which versions disagree, and the fix (the widget and the index come from one
    /// `fixpath build`), for a bundle this engine cannot read.
    pub fn why_unreadable(&self) -> String {
        let writer = match self.engine_version.as_str() {
            "" => String::new(),
            version => format!("fixpath {version}, "),
        };
        let readable = if BUNDLE_OLDEST_READABLE == BUNDLE_FORMAT_VERSION {
            format!("{BUNDLE_FORMAT_VERSION}")
        } else {
            format!("{BUNDLE_OLDEST_READABLE} to {BUNDLE_FORMAT_VERSION}")
        };
        format!(
            "this help index was written by {writer}bundle format {}, and this widget (fixpath {}) reads format {readable}: publish the widget and the index from one `fixpath build`",
            self.format_version,
            crate::ENGINE_VERSION,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insights_go_where_the_kb_says_or_follow_tickets_to_a_relay() {
        let relay = DeliveryConfig {
            kind: "relay".into(),
            url: "https://relay.example.com/".into(),
            email: None,
        };
        let on = InsightsConfig {
            enabled: true,
            ..InsightsConfig::default()
        };
        assert_eq!(InsightsConfig::default().endpoint(&relay), None, "off");
        assert_eq!(
            on.endpoint(&relay).as_deref(),
            Some("https://relay.example.com/v1/events")
        );
        assert_eq!(on.endpoint(&DeliveryConfig::default()), None);
        assert_eq!(
            on.problems(&DeliveryConfig::default()),
            [InsightsProblem::NoReceiver]
        );
        let own = InsightsConfig {
            url: Some("/v1/events".into()),
            ..on
        };
        assert_eq!(
            own.endpoint(&DeliveryConfig::default()).as_deref(),
            Some("/v1/events")
        );
        assert!(own.problems(&DeliveryConfig::default()).is_empty());
    }

    #[test]
    fn an_unreadable_bundle_names_both_versions_and_the_fix() {
        let future = ManifestVersion {
            format_version: 99,
            engine_version: "9.0.0".into(),
        };
        assert!(!future.is_readable());
        let why = future.why_unreadable();
        assert!(why.contains("fixpath 9.0.0, bundle format 99"), "{why}");
        assert!(
            why.contains(&format!("reads format {BUNDLE_FORMAT_VERSION}")),
            "{why}"
        );
        assert!(why.ends_with("from one `fixpath build`"), "{why}");
        let unnamed = ManifestVersion {
            format_version: 1,
            engine_version: String::new(),
        };
        assert!(unnamed
            .why_unreadable()
            .starts_with("this help index was written by bundle format 1,"));
    }

    fn delivery(kind: &str, url: &str) -> DeliveryConfig {
        DeliveryConfig {
            kind: kind.into(),
            url: url.into(),
            email: None,
        }
    }

    #[test]
    fn each_kind_posts_to_its_endpoint() {
        assert_eq!(
            delivery("webhook", "/api/tickets").endpoint(),
            "/api/tickets"
        );
        assert_eq!(
            delivery("relay", "https://relay.example.com/").endpoint(),
            "https://relay.example.com/v1/tickets"
        );
        assert_eq!(
            delivery("zendesk", "https://acme.zendesk.com").endpoint(),
            "https://acme.zendesk.com/api/v2/requests.json"
        );
    }

    #[test]
    fn relay_settings_are_checked() {
        let problems = |kind, url| delivery(kind, url).problems();
        assert!(problems("relay", "https://relay.example.com").is_empty());
        assert!(problems("relay", "http://localhost:8787").is_empty());
        assert!(problems("relay", "/relay").is_empty());
        assert_eq!(
            problems("relay", "/api/tickets"),
            [DeliveryProblem::RelayNeedsUrl("/api/tickets".into())]
        );
        assert_eq!(
            problems("relay", "https://relay.example.com/v1/tickets/"),
            [DeliveryProblem::RelayUrlHasPath]
        );
        let plain = problems("relay", "http://relay.example.com");
        assert_eq!(
            plain,
            [DeliveryProblem::PlainHttp(
                "http://relay.example.com".into()
            )]
        );
        assert!(!plain[0].is_error(), "a warning");
        let unknown = problems("pigeon", "/");
        assert_eq!(unknown, [DeliveryProblem::UnknownKind("pigeon".into())]);
        assert_eq!((unknown[0].key(), unknown[0].is_error()), ("kind", true));
    }
}
