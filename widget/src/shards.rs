//! Fetching the shards a query needs, in the background: dictionary shards (where its words
//! are), posting shards (the terms it matches) and article shards (the titles and summaries
//! of its results). The session decides which to fetch, once each, and what a failure
//! means; this only fetches and hands the result back, unless the customer switched to
//! another language's bundle meanwhile (the shard is then the other bundle's, and dropped).

use std::sync::Arc;

use fixpath_engine::rank::PreparedQuery;
use fixpath_engine::session::Session;
use leptos::prelude::*;

use crate::browser::{self, Loaded};
use crate::journey::Journey;

/// Starts fetching each of the dictionary shards `wanted` not already requested.
pub fn request_dictionary(journey: Journey, loaded: &Arc<Loaded>, wanted: &[usize]) {
    let first = journey.session.try_update(|s| s.request_dictionary(wanted));
    for n in first.unwrap_or_default() {
        let loaded = loaded.clone();
        leptos::task::spawn_local(async move { fetch_dictionary(journey, &loaded, n).await });
    }
}

/// `text` matched against the dictionary once every dictionary shard it needs is in (or
/// failed): its own words' shards first, then, for a word to correct, the others.
pub async fn prepare_fully(journey: Journey, loaded: &Loaded, text: &str) -> PreparedQuery {
    loop {
        let prepare = |s: &Session| s.prepare(&loaded.index, &loaded.analyzer, text);
        let query = journey.session.with_untracked(prepare);
        let missing = journey
            .session
            .with_untracked(|s| s.dictionary_missing(&query));
        if missing.is_empty() {
            return query;
        }
        for n in missing {
            fetch_dictionary(journey, loaded, n).await;
        }
    }
}

async fn fetch_dictionary(journey: Journey, loaded: &Loaded, n: usize) {
    let fetched = browser::fetch_dictionary(loaded, n).await;
    if !journey.holds(loaded) {
        return;
    }
    match fetched {
        Ok(shard) => journey
            .session
            .update(|s| s.dictionary_arrived(&loaded.index, n, shard)),
        Err(e) => {
            leptos::logging::warn!("fixpath: dictionary shard {n}: {e}");
            journey.session.update(|s| s.dictionary_failed(n));
        }
    }
}

/// Starts fetching each of the posting shards `wanted` not already requested.
pub fn request_postings(journey: Journey, loaded: &Arc<Loaded>, wanted: &[usize]) {
    let first = journey.session.try_update(|s| s.request_postings(wanted));
    for n in first.unwrap_or_default() {
        let loaded = loaded.clone();
        leptos::task::spawn_local(async move { fetch_postings(journey, &loaded, n).await });
    }
}

/// Fetches every one of the posting shards `wanted` not held yet, and returns once they
/// are in (or failed).
pub async fn fetch_all_postings(journey: Journey, loaded: &Arc<Loaded>, wanted: Vec<usize>) {
    for n in wanted {
        if !journey.session.with_untracked(|s| s.has_postings(n)) {
            fetch_postings(journey, loaded, n).await;
        }
    }
}

async fn fetch_postings(journey: Journey, loaded: &Loaded, n: usize) {
    let fetched = browser::fetch_postings(loaded, n).await;
    if !journey.holds(loaded) {
        return;
    }
    match fetched {
        Ok(shard) => journey
            .session
            .update(|s| s.postings_arrived(&loaded.index, n, &shard)),
        Err(e) => {
            leptos::logging::warn!("fixpath: posting shard {n}: {e}");
            journey.session.update(|s| s.postings_failed(n));
        }
    }
}

/// Starts fetching each of the article shards `wanted` not already requested.
pub fn request_articles(journey: Journey, loaded: &Arc<Loaded>, wanted: &[usize]) {
    let first = journey.session.try_update(|s| s.request_articles(wanted));
    for n in first.unwrap_or_default() {
        let loaded = loaded.clone();
        leptos::task::spawn_local(async move { fetch_articles(journey, &loaded, n).await });
    }
}

/// Fetches the shard of article `doc` unless it is here; returns once it is in (or failed).
pub async fn fetch_article(journey: Journey, loaded: &Loaded, doc: usize) {
    for n in journey
        .session
        .with_untracked(|s| s.articles_missing(&[doc]))
    {
        fetch_articles(journey, loaded, n).await;
    }
}

async fn fetch_articles(journey: Journey, loaded: &Loaded, n: usize) {
    let fetched = browser::fetch_articles(loaded, n).await;
    if !journey.holds(loaded) {
        return;
    }
    match fetched {
        Ok(shard) => journey.session.update(|s| s.articles_arrived(n, shard)),
        Err(e) => {
            leptos::logging::warn!("fixpath: article shard {n}: {e}");
            journey.session.update(|s| s.articles_failed(n));
        }
    }
}
