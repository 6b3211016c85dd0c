//! The queue's contract, the same for every store: the relay's unit tests run it on
//! SQLite, and the relay suite in `tests/` on a real Postgres server (feature
//! `queue-contract`). Each check takes a fresh, empty queue and panics on a breach.

use super::*;

/// Every check, by name, for a runner that makes a fresh queue for each.
pub const CHECKS: &[&str] = &[
    "a_key_is_kept_once_and_a_changed_body_is_a_conflict",
    "a_claimed_delivery_is_leased_until_it_finishes_or_the_lease_ends",
    "a_failed_delivery_waits_for_retry_now",
    "only_tickets_delivered_everywhere_and_long_ago_are_purged",
    "the_inbox_sees_tickets_newest_first_with_every_attempt",
    "insights_add_up_per_day_all_count_and_old_days_go",
];

/// Runs the check called `name` on `q`.
pub async fn run(name: &str, q: &Queue) {
    match name {
        "a_key_is_kept_once_and_a_changed_body_is_a_conflict" => {
            a_key_is_kept_once_and_a_changed_body_is_a_conflict(q).await
        }
        "a_claimed_delivery_is_leased_until_it_finishes_or_the_lease_ends" => {
            a_claimed_delivery_is_leased_until_it_finishes_or_the_lease_ends(q).await
        }
        "a_failed_delivery_waits_for_retry_now" => a_failed_delivery_waits_for_retry_now(q).await,
        "only_tickets_delivered_everywhere_and_long_ago_are_purged" => {
            only_tickets_delivered_everywhere_and_long_ago_are_purged(q).await
        }
        "the_inbox_sees_tickets_newest_first_with_every_attempt" => {
            the_inbox_sees_tickets_newest_first_with_every_attempt(q).await
        }
        "insights_add_up_per_day_all_count_and_old_days_go" => {
            insights_add_up_per_day_all_count_and_old_days_go(q).await
        }
        other => panic!("no queue check called {other}"),
    }
}

pub fn new_ticket(reference: &str, destinations: &[&str], now_ms: i64) -> NewTicket {
    let raw = format!("{{\"id\":\"{reference}\"}}");
    NewTicket {
        reference: reference.to_string(),
        body_hash: format!("hash of {raw}"),
        raw,
        severity: Severity::Minor,
        destinations: destinations.iter().map(|d| d.to_string()).collect(),
        now_ms,
    }
}

async fn a_key_is_kept_once_and_a_changed_body_is_a_conflict(q: &Queue) {
    assert_eq!(
        q.accept(new_ticket("FX-1", &["desk"], 0)).await.unwrap(),
        Accepted::New
    );
    assert_eq!(
        q.accept(new_ticket("FX-1", &["desk"], 5)).await.unwrap(),
        Accepted::Repeat
    );
    let mut changed = new_ticket("FX-1", &["desk"], 5);
    changed.body_hash = "another".into();
    assert_eq!(q.accept(changed).await.unwrap(), Accepted::Conflict);
    assert_eq!(q.depth().await.unwrap().pending, 1);
    assert!(q.has("FX-1").await.unwrap() && !q.has("FX-2").await.unwrap());
}

async fn a_claimed_delivery_is_leased_until_it_finishes_or_the_lease_ends(q: &Queue) {
    q.accept(new_ticket("FX-1", &["desk", "pager"], 0))
        .await
        .unwrap();
    let jobs = q.claim("a", 10, 1_000, 10).await.unwrap();
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[0].raw, "{\"id\":\"FX-1\"}");
    assert!(
        q.claim("b", 20, 1_000, 10).await.unwrap().is_empty(),
        "leased to a"
    );
    // a dies; when the lease ends, b takes over.
    let taken = q.claim("b", 1_011, 1_000, 10).await.unwrap();
    assert_eq!(taken.len(), 2);
    // a's late result for a retry is only recorded; b's delivery counts.
    q.finish(
        &jobs[0],
        "a",
        10,
        1_100,
        Outcome::Retry {
            reason: "503".into(),
            next_attempt_at_ms: 5_000,
        },
    )
    .await
    .unwrap();
    q.finish(
        &taken[0],
        "b",
        1_011,
        1_200,
        Outcome::Delivered {
            external_id: Some("42".into()),
        },
    )
    .await
    .unwrap();
    q.finish(
        &taken[1],
        "b",
        1_011,
        1_200,
        Outcome::Retry {
            reason: "503".into(),
            next_attempt_at_ms: 5_000,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        q.depth().await.unwrap(),
        Depth {
            pending: 1,
            delivered: 1,
            failed: 0
        }
    );
    assert!(
        q.claim("b", 4_999, 1_000, 10).await.unwrap().is_empty(),
        "not due yet"
    );
    let again = q.claim("b", 5_000, 1_000, 10).await.unwrap();
    assert_eq!((again.len(), again[0].attempts), (1, 1));
}

async fn a_failed_delivery_waits_for_retry_now(q: &Queue) {
    q.accept(new_ticket("FX-1", &["desk"], 0)).await.unwrap();
    let job = q.claim("a", 0, 1_000, 10).await.unwrap().remove(0);
    q.finish(
        &job,
        "a",
        0,
        10,
        Outcome::Failed {
            reason: "HTTP 401".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(q.depth().await.unwrap().failed, 1);
    assert!(q.claim("a", 100_000, 1_000, 10).await.unwrap().is_empty());
    assert_eq!(
        q.retry_now(job.delivery_id, 100_000)
            .await
            .unwrap()
            .as_deref(),
        Some("FX-1")
    );
    let again = q.claim("a", 100_000, 1_000, 10).await.unwrap();
    assert_eq!(again.len(), 1);
    q.finish(
        &again[0],
        "a",
        0,
        100_010,
        Outcome::Delivered { external_id: None },
    )
    .await
    .unwrap();
    assert_eq!(
        q.retry_now(job.delivery_id, 100_020).await.unwrap(),
        None,
        "delivered stays delivered"
    );
}

async fn only_tickets_delivered_everywhere_and_long_ago_are_purged(q: &Queue) {
    q.accept(new_ticket("FX-1", &["desk"], 0)).await.unwrap();
    q.accept(new_ticket("FX-2", &["desk", "pager"], 0))
        .await
        .unwrap();
    for job in q.claim("a", 0, 1_000, 10).await.unwrap() {
        let outcome = if job.reference == "FX-2" && job.destination == "pager" {
            Outcome::Retry {
                reason: "down".into(),
                next_attempt_at_ms: 50_000,
            }
        } else {
            Outcome::Delivered { external_id: None }
        };
        q.finish(&job, "a", 0, 100, outcome).await.unwrap();
    }
    assert_eq!(
        q.purge_delivered(100).await.unwrap(),
        0,
        "delivered at 100, not before"
    );
    assert_eq!(
        q.purge_delivered(101).await.unwrap(),
        1,
        "FX-2 still waits for the pager"
    );
    assert_eq!(
        q.depth().await.unwrap(),
        Depth {
            pending: 1,
            delivered: 1,
            failed: 0
        }
    );
    assert_eq!(
        q.accept(new_ticket("FX-2", &["desk"], 200)).await.unwrap(),
        Accepted::Repeat
    );
}

async fn the_inbox_sees_tickets_newest_first_with_every_attempt(q: &Queue) {
    q.accept(new_ticket("FX-1", &["desk", "pager"], 10))
        .await
        .unwrap();
    q.accept(new_ticket("FX-2", &["desk"], 20)).await.unwrap();
    let recent = q.recent(10).await.unwrap();
    let order: Vec<(&str, usize)> = recent
        .iter()
        .map(|t| (t.reference.as_str(), t.deliveries.len()))
        .collect();
    assert_eq!(order, [("FX-2", 1), ("FX-1", 2)]);
    assert_eq!(q.recent(1).await.unwrap().len(), 1);
    let job = q
        .claim("a", 30, 1_000, 10)
        .await
        .unwrap()
        .into_iter()
        .find(|j| j.reference == "FX-1" && j.destination == "pager")
        .unwrap();
    q.finish(
        &job,
        "a",
        30,
        40,
        Outcome::Retry {
            reason: "HTTP 503: busy".into(),
            next_attempt_at_ms: 5_000,
        },
    )
    .await
    .unwrap();
    let (ticket, attempts) = q.ticket("FX-1").await.unwrap().unwrap();
    let pager = ticket
        .deliveries
        .iter()
        .find(|d| d.destination == "pager")
        .unwrap();
    assert_eq!(
        (
            pager.state.as_str(),
            pager.attempts,
            pager.last_error.as_deref()
        ),
        ("pending", 1, Some("HTTP 503: busy"))
    );
    assert_eq!(attempts.len(), 1);
    assert_eq!(
        (attempts[0].outcome.as_str(), attempts[0].detail.as_deref()),
        ("retry", Some("HTTP 503: busy"))
    );
    assert!(q.ticket("FX-9").await.unwrap().is_none());
}

async fn insights_add_up_per_day_all_count_and_old_days_go(q: &Queue) {
    use fixpath_engine::insights::{Batch, Insight, SearchedFor};
    let batch = Batch {
        page: "0123456789abcdef".into(),
        insights: vec![
            Insight::Search {
                query: SearchedFor::Terms(vec!["printer".into()]),
                results: 2,
            },
            Insight::Resolved {
                article: "p.md".into(),
            },
        ],
    };
    let mut one = DayTally::default();
    one.add(&batch);
    // Eight batches at once on one day, one on the next.
    let adds = (0..8).map(|_| q.add_insights("2026-11-30", &one));
    for added in futures_util::future::join_all(adds).await {
        added.unwrap();
    }
    q.add_insights("2026-12-01", &one).await.unwrap();
    let days = q.insight_days("2026-11-30", "2026-12-01").await.unwrap();
    let days: Vec<(&str, u64, u64)> = days
        .iter()
        .map(|(day, t)| (day.as_str(), t.searches, t.queries["printer"].pages))
        .collect();
    assert_eq!(days, [("2026-11-30", 8, 8), ("2026-12-01", 1, 1)]);
    assert!(q
        .insight_days("2026-12-02", "2026-12-31")
        .await
        .unwrap()
        .is_empty());
    // Retention: the days before the cut are gone, the rest stay.
    assert_eq!(q.forget_insights_before("2026-12-01").await.unwrap(), 1);
    let kept = q.insight_days("2026-01-01", "2026-12-31").await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].0, "2026-12-01");
}
