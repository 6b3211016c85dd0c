//! The contract on SQLite, and what only SQLite has (a file to reopen).

use super::contract::{self, new_ticket};
use super::*;

fn sqlite() -> (tempfile::TempDir, Queue) {
    let dir = tempfile::tempdir().unwrap();
    let queue = Queue::Sqlite(SqliteQueue::open(&dir.path().join("relay.db")).unwrap());
    (dir, queue)
}

#[tokio::test]
async fn sqlite_keeps_the_queue_contract() {
    for check in contract::CHECKS {
        let (_dir, q) = sqlite();
        contract::run(check, &q).await;
    }
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
