//! The kb configuration (`kb/fixpath.toml`) as the widget needs it, and the bundle
//! manifest that carries it. Both are published contracts: the manifest is fetched fresh
//! on every load and tells the widget which index file to fetch and which engine wrote it.

use serde::{Deserialize, Serialize};

/// Settings a kb author controls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KbConfig {
    /// Heading of the widget panel.
    pub title: String,
    /// Globs (relative to the kb root) of markdown files that are not articles. Used by
    /// the indexer only; never sent to the browser.
    #[serde(skip_serializing)]
    pub exclude: Vec<String>,
    pub delivery: DeliveryConfig,
    pub support: SupportConfig,
    pub triage: TriageConfig,
    pub ticket: crate::ticket_fields::TicketConfig,
    /// `[guides]`: how articles become guides. Used by the indexer only.
    #[serde(skip_serializing)]
    pub guides: GuidesConfig,
    /// `[strings]`: the widget's words, by key (see `kb/README.md`), replacing the English
    /// defaults; keys left out keep them.
    pub strings: std::collections::BTreeMap<String, String>,
}

/// `[triage]`: the impact × urgency matrix (see [`crate::triage::TriageMatrix`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TriageConfig {
    pub matrix: crate::triage::TriageMatrix,
}

impl Default for KbConfig {
    fn default() -> Self {
        KbConfig {
            title: "How can we help?".to_string(),
            exclude: Vec::new(),
            delivery: DeliveryConfig::default(),
            support: SupportConfig::default(),
            triage: TriageConfig::default(),
            ticket: Default::default(),
            guides: GuidesConfig::default(),
            strings: Default::default(),
        }
    }
}

/// `[guides]` in the kb config.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GuidesConfig {
    /// Heading patterns (`*` is any text, case ignored) that start a step, at any heading
    /// level: for existing help-centre articles written as "### Method 1: …". An article
    /// with no heading matching them keeps one step per `##` section.
    pub step_headings: Vec<String>,
}

/// Where tickets go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliveryConfig {
    /// `webhook`: POST the JSON ticket to `url` with an `Idempotency-Key` header.
    /// `zendesk`: POST a request to `url` + `/api/v2/requests.json` (`url` is the help
    /// centre, `https://SUBDOMAIN.zendesk.com`).
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
    /// Content-hashed file names of the posting shards, in order: dictionary term `t` has
    /// its postings in `postings_files[t / TERMS_PER_SHARD]`.
    pub postings_files: Vec<String>,
    /// Content-hashed file names of the content chunks, in order: article `n` is in
    /// `content_files[n / CONTENT_CHUNK_ARTICLES]`.
    pub content_files: Vec<String>,
    pub article_count: usize,
    pub config: KbConfig,
}
