//! The Fixpath widget: a Leptos CSR app that the JS loader (`js/fixpath.js`) mounts inside
//! `<fixpath-widget>`'s shadow root.
//!
//! The widget renders engine state and holds no search, guide or ticket rules: those live
//! in `fixpath-engine`, the customer's journey in its `session::Session`. Module map:
//! - [`api`]: the wasm↔JS boundary (every `#[wasm_bindgen]` export);
//! - [`journey`]: the signals every screen gets (the bundle, the session) and the moves
//!   that need the browser on the way;
//! - [`app`]: loads the bundle (in the customer's language) and switches between screens;
//!   [`language`] puts the panel in the bundle's language and draws the language switcher;
//! - [`deferred`]: the split points: every screen but search, and delivery, arrive as a
//!   second wasm piece after the first results;
//! - [`search`], [`guide`], [`form`]: one screen each; [`attachments`]: the form's files;
//!   [`support_hours`]: open/closed and the 24/7 phone route;
//! - effects: [`shards`] fetches the posting and article shards the session asks for;
//!   [`delivery`] sends what the outbox holds (and draws its screens); [`storage`] mirrors
//!   the draft and outbox into localStorage; [`events`] tells the page; [`insights`]
//!   keeps what customers did, when the kb turns insights on, and [`insights_sender`]
//!   (in the second piece) sends the kb's receiver the counts;
//!   [`proof_of_work`] solves a relay's challenge with the browser's SHA-256;
//! - [`clock`]: now (pinnable), and time zones through `Intl`;
//! - [`browser`]: the few browser facts the engine needs (time, randomness, environment)
//!   and the network calls.

pub mod api;
mod app;
mod attachments;
mod browser;
mod clock;
mod deferred;
mod delivery;
mod events;
mod form;
mod guide;
mod insights;
mod insights_sender;
mod journey;
mod json;
mod language;
mod proof_of_work;
mod search;
mod shards;
mod storage;
mod support_hours;
