//! Fixpath's rules as pure functions: everything that must behave the same at build time
//! (in the `fixpath` indexer) and in the browser (in the widget).
//!
//! - [`analyzer`] turns text into search terms (one analyzer for documents and queries);
//! - [`language`] is what differs per language: stemmer, stop words, direction, and which
//!   of a kb's languages a customer gets;
//! - [`bundle`] is the browser bundle format: [`bundle::BundleWriter`] and
//!   [`bundle::BundleReader`] are mirror images, versioned and checksummed;
//! - [`index`] is the search index by part: the dictionary and the posting lists in shards
//!   fetched as queries need them, typo correction, and the article list in shards;
//! - [`rank`] answers a query over an [`index::SearchIndex`] with BM25F, reranking the
//!   best by proximity (`proximity`);
//! - [`guide`] is the step-by-step state machine ("Fixed it / Didn't help / Can't do this");
//! - [`ticket`] is the published ticket schema, its validation, and how it reads to people
//!   (plain text here, HTML and Markdown in the relay);
//! - [`ticket_fields`] is which fields a kb asks for (required, hidden, its own);
//! - [`triage`] turns impact, urgency and security into P1–P5 and critical/minor;
//! - [`hours`] says whether support is open, and when it reopens; [`support`] says it to
//!   the customer, with the 24/7 line for critical problems while closed;
//! - [`outbox`] holds submitted tickets until delivered, with the retry backoff;
//! - [`synonyms`] is the help-desk thesaurus queries are widened with;
//! - [`snippet`] cuts the excerpt shown under a result;
//! - [`relay_api`] is what the relay answers a ticket with, read back by the widget;
//! - [`zendesk`] shapes a ticket for Zendesk's anonymous Requests API;
//! - [`strings`] is every customer-facing word, by key, that a kb can replace;
//! - [`config`] is the kb configuration the indexer reads and the widget obeys;
//! - [`loader_files`] is how the loader `fixpath build` writes names the widget's files;
//! - [`insights`] is what the widget may report of how the help is used (when a kb turns it
//!   on) and what the relay keeps of it: per-day counts, k-anonymous in reports.
//!
//! Architecture invariant: no I/O, no `wasm-bindgen`, `web-sys`, `tokio`, `tantivy` or `leptos`.
//! Every input (kb text, queries, bundle bytes, form values) is data: functions return errors
//! or diagnostics, never panic.

pub mod analyzer;
pub mod bundle;
pub mod config;
mod fold;
pub mod guide;
pub mod hours;
pub mod index;
pub mod insights;
pub mod language;
pub mod loader_files;
pub mod outbox;
mod proximity;
pub mod rank;
pub mod relay_api;
pub mod session;
pub mod snippet;
pub mod strings;
pub mod support;
pub mod synonyms;
pub mod ticket;
pub mod ticket_fields;
pub mod triage;
pub mod zendesk;

/// The engine version recorded in every bundle manifest, so the widget can tell when the
/// bundle was written by a different build of the rules it runs.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
