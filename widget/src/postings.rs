//! Posting shards on demand: a query's shards are fetched once each, in the background;
//! the results list waits for them (showing the previous results meanwhile) and updates
//! when they arrive. A shard that cannot be fetched is remembered, and search goes on
//! without it rather than waiting forever.

use std::sync::Arc;

use fixpath_engine::rank::PreparedQuery;
use leptos::prelude::*;

use crate::app::Journey;
use crate::browser::{self, Loaded};

/// Shards `query` still needs that have not failed: while any remain, results would be
/// incomplete. Reactive (loaded shards, failures).
pub fn missing(journey: Journey, query: &PreparedQuery) -> Vec<usize> {
    let needed = journey.postings.with(|p| query.shards_needed(p));
    journey
        .shard_failures
        .with(|failed| needed.into_iter().filter(|n| !failed.contains(n)).collect())
}

/// Starts fetching each of `shards` not already requested.
pub fn request(journey: Journey, loaded: &Arc<Loaded>, shards: Vec<usize>) {
    for n in shards {
        let first_request = journey.shards_requested.try_update_value(|r| r.insert(n));
        if first_request != Some(true) {
            continue;
        }
        let loaded = loaded.clone();
        leptos::task::spawn_local(async move {
            fetch(journey, &loaded, n).await;
        });
    }
}

/// Fetches every one of `shards` not held yet, and returns once they are in (or failed).
pub async fn fetch_all(journey: Journey, loaded: &Arc<Loaded>, shards: Vec<usize>) {
    for n in shards {
        if !journey.postings.with_untracked(|p| p.has(n)) {
            fetch(journey, loaded, n).await;
        }
    }
}

async fn fetch(journey: Journey, loaded: &Loaded, n: usize) {
    match browser::fetch_postings(loaded, n).await {
        // BundleReader checked that the shard fits, so insert accepts it.
        Ok(shard) => journey.postings.update(|p| {
            p.insert(&loaded.index, n, &shard);
        }),
        Err(e) => {
            leptos::logging::warn!("fixpath: posting shard {n}: {e}");
            journey.shard_failures.update(|f| {
                f.insert(n);
            });
        }
    }
}
