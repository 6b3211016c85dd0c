//! Article shards on demand (ids, titles, summaries): the results list fetches the shards
//! of the articles it shows, once each, and shows the previous results until they are in.
//! A shard that cannot be fetched is remembered, and its articles are left out of the list
//! rather than waited for.

use std::sync::Arc;

use fixpath_engine::index::ArticleMeta;
use leptos::prelude::*;

use crate::app::Journey;
use crate::browser::{self, Loaded};

/// Article `doc`, if its shard is here (read once, not tracked).
pub fn article(journey: Journey, doc: usize) -> Option<ArticleMeta> {
    journey.articles.with_untracked(|a| a.get(doc).cloned())
}

/// Shards `docs` still need that have not failed. Reactive (loaded shards, failures).
pub fn missing(journey: Journey, docs: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let needed = journey.articles.with(|a| a.missing(docs));
    journey
        .article_failures
        .with(|failed| needed.into_iter().filter(|n| !failed.contains(n)).collect())
}

/// Starts fetching each of `shards` not already requested.
pub fn request(journey: Journey, loaded: &Arc<Loaded>, shards: Vec<usize>) {
    for n in shards {
        let first_request = journey.articles_requested.try_update_value(|r| r.insert(n));
        if first_request == Some(true) {
            let loaded = loaded.clone();
            leptos::task::spawn_local(async move { fetch(journey, &loaded, n).await });
        }
    }
}

/// Fetches the shard of article `doc` unless it is here; returns once it is in (or failed).
pub async fn fetch_for(journey: Journey, loaded: &Loaded, doc: usize) {
    for n in journey.articles.with_untracked(|a| a.missing([doc])) {
        fetch(journey, loaded, n).await;
    }
}

async fn fetch(journey: Journey, loaded: &Loaded, n: usize) {
    match browser::fetch_articles(loaded, n).await {
        // BundleReader checked that the shard is exactly shard `n` of this index.
        Ok(shard) => journey.articles.update(|a| a.insert(n, shard)),
        Err(e) => {
            leptos::logging::warn!("fixpath: article shard {n}: {e}");
            journey.article_failures.update(|f| {
                f.insert(n);
            });
        }
    }
}
