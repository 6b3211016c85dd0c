//! The Fixpath widget: a Leptos CSR app that the JS loader (`js/fixpath.js`) mounts inside
//! `<fixpath-widget>`'s shadow root.
//!
//! The widget renders engine state and holds no search, guide or ticket rules: those live
//! in `fixpath-engine`. Module map:
//! - [`api`]: the wasm↔JS boundary (every `#[wasm_bindgen]` export);
//! - [`app`]: loads the bundle and switches between screens;
//! - [`deferred`]: the split points: every screen but search, and delivery, arrive as a
//!   second wasm piece after the first results;
//! - [`search`], [`guide`], [`form`]: one screen each; [`attachments`]: the form's files;
//!   [`support_hours`]: open/closed and the 24/7 phone route;
//! - [`postings`]: fetches the posting shards each query needs; [`articles`]: the article
//!   shards (titles, summaries) of the results shown;
//! - [`delivery`]: the outbox loop that sends tickets, retries them, never loses them;
//!   [`proof_of_work`]: solves a relay's challenge with the browser's SHA-256;
//! - [`clock`]: now (pinnable), and time zones through `Intl`;
//! - [`browser`]: the few browser facts the engine needs (time, randomness, environment)
//!   and the network calls.

pub mod api;
mod app;
mod articles;
mod attachments;
mod browser;
mod clock;
mod deferred;
mod delivery;
mod form;
mod guide;
mod json;
mod postings;
mod proof_of_work;
mod search;
mod support_hours;
