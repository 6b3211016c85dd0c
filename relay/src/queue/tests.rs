//! The queue's contract, run against SQLite here (and against Postgres by the suite in
//! `tests/`, which starts a real server).

use super::*;

pub(crate) fn new_ticket(reference: &str, destinations: &[&str], now_ms: i64) -> NewTicket {
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

fn sqlite() -> (tempfile::TempDir, Queue) {
    let dir = tempfile::tempdir().unwrap();
    let queue = Queue::Sqlite(SqliteQueue::open(&dir.path().join("relay.db")).unwrap());
    (dir, queue)
}

#[tokio::test]
async fn a_key_is_kept_once_and_a_changed_body_is_a_conflict() {
    let (_dir, q) = sqlite();
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
}

#[tokio::test]
async fn a_claimed_delivery_is_leased_until_it_finishes_or_the_lease_ends() {
    let (_dir, q) = sqlite();
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

#[tokio::test]
async fn a_failed_delivery_waits_for_retry_now() {
    let (_dir, q) = sqlite();
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
    assert!(q.retry_now(job.delivery_id, 100_000).await.unwrap());
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
    assert!(
        !q.retry_now(job.delivery_id, 100_020).await.unwrap(),
        "delivered stays delivered"
    );
}

#[tokio::test]
async fn only_tickets_delivered_everywhere_and_long_ago_are_purged() {
    let (_dir, q) = sqlite();
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

#[tokio::test]
async fn tickets_survive_reopening_and_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("relay.db");
    {
        let q = Queue::Sqlite(SqliteQueue::open(&path).unwrap());
        q.accept(new_ticket("FX-1", &["desk"], 0)).await.unwrap();
    }
    let q = Queue::Sqlite(SqliteQueue::open(&path).unwrap());
    assert_eq!(q.claim("a", 0, 1_000, 10).await.unwrap().len(), 1);
    drop(q);
    let db = rusqlite::Connection::open(&path).unwrap();
    db.pragma_update(None, "user_version", 99).unwrap();
    drop(db);
    let err = format!("{:#}", SqliteQueue::open(&path).err().unwrap());
    assert!(
        err.contains("schema version 99, newer than this relay knows"),
        "{err}"
    );
}
