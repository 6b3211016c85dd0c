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
}
