//! The queue in one SQLite file, in WAL mode with full sync: a commit is on disk before the
//! relay answers. One connection serves the relay; calls run on tokio's blocking pool.

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{
    Accepted, AttemptView, DayTally, DeliveryView, Depth, Job, NewTicket, Outcome, TicketView,
};

/// Schema changes, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE tickets (
    reference   TEXT PRIMARY KEY,
    body_hash   TEXT NOT NULL,
    raw         TEXT NOT NULL,
    severity    TEXT NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL REFERENCES tickets(reference) ON DELETE CASCADE,
    destination     TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_owner     TEXT,
    lease_until     INTEGER,
    external_id     TEXT,
    delivered_at    INTEGER,
    last_error      TEXT,
    UNIQUE (reference, destination)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
CREATE TABLE attempts (
    id          INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    instance    TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    outcome     TEXT NOT NULL,
    detail      TEXT
);
CREATE INDEX attempts_by_delivery ON attempts (delivery_id);
"#,
    r#"
CREATE TABLE insight_days (
    day   TEXT PRIMARY KEY,
    tally TEXT NOT NULL
);
"#,
];

#[derive(Clone)]
pub struct SqliteQueue {
    db: Arc<Mutex<Connection>>,
}

impl SqliteQueue {
    /// Opens (or creates) the database at `path`, bringing its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteQueue> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let mut db =
            Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "FULL")?;
        db.pragma_update(None, "foreign_keys", "ON")?;
        db.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut db).with_context(|| format!("upgrading the schema of {}", path.display()))?;
        Ok(SqliteQueue {
            db: Arc::new(Mutex::new(db)),
        })
    }

    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut db = db.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut db)
        })
        .await?
    }

    pub async fn accept(&self, t: NewTicket) -> Result<Accepted> {
        self.with(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let existing: Option<String> = tx
                .query_row("SELECT body_hash FROM tickets WHERE reference = ?1", [&t.reference], |r| r.get(0))
                .optional()?;
            if let Some(hash) = existing {
                return Ok(if hash == t.body_hash { Accepted::Repeat } else { Accepted::Conflict });
            }
            tx.execute(
                "INSERT INTO tickets (reference, body_hash, raw, severity, received_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![t.reference, t.body_hash, t.raw, t.severity.key(), t.now_ms],
            )?;
            for destination in &t.destinations {
                tx.execute(
                    "INSERT INTO deliveries (reference, destination, state, next_attempt_at) VALUES (?1, ?2, 'pending', ?3)",
                    params![t.reference, destination, t.now_ms],
                )?;
            }
            tx.commit()?;
            Ok(Accepted::New)
        })
        .await
    }

    pub async fn has(&self, reference: &str) -> Result<bool> {
        let reference = reference.to_string();
        self.with(move |db| {
            Ok(db
                .query_row(
                    "SELECT 1 FROM tickets WHERE reference = ?1",
                    [&reference],
                    |_| Ok(()),
                )
                .optional()?
                .is_some())
        })
        .await
    }

    pub async fn claim(
        &self,
        instance: &str,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<Job>> {
        let instance = instance.to_string();
        self.with(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let jobs = {
                let mut claim = tx.prepare(
                    "UPDATE deliveries SET lease_owner = ?1, lease_until = ?2
                     WHERE id IN (SELECT id FROM deliveries
                                  WHERE state = 'pending' AND next_attempt_at <= ?3
                                    AND (lease_until IS NULL OR lease_until < ?3)
                                  ORDER BY next_attempt_at LIMIT ?4)
                     RETURNING id, reference, destination, attempts,
                               (SELECT raw FROM tickets WHERE tickets.reference = deliveries.reference),
                               (SELECT received_at FROM tickets WHERE tickets.reference = deliveries.reference)",
                )?;
                let rows = claim.query_map(params![instance, now_ms + lease_ms, now_ms, limit as i64], |r| {
                    Ok(Job {
                        delivery_id: r.get(0)?,
                        reference: r.get(1)?,
                        destination: r.get(2)?,
                        attempts: r.get(3)?,
                        raw: r.get(4)?,
                        received_at_ms: r.get(5)?,
                    })
                })?;
                rows.collect::<Result<Vec<_>, _>>()?
            };
            tx.commit()?;
            Ok(jobs)
        })
        .await
    }

    pub async fn finish(
        &self,
        delivery_id: i64,
        instance: &str,
        started_ms: i64,
        now_ms: i64,
        outcome: Outcome,
    ) -> Result<()> {
        let instance = instance.to_string();
        self.with(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let (label, detail) = (outcome.label(), outcome.detail());
            tx.execute(
                "INSERT INTO attempts (delivery_id, instance, started_at, finished_at, outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![delivery_id, instance, started_ms, now_ms, label, detail],
            )?;
            match outcome {
                Outcome::Delivered { external_id } => tx.execute(
                    "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = ?2,
                            external_id = ?3, lease_owner = NULL, lease_until = NULL, last_error = NULL
                     WHERE id = ?1 AND state <> 'delivered'",
                    params![delivery_id, now_ms, external_id],
                )?,
                Outcome::Retry { reason, next_attempt_at_ms } => tx.execute(
                    "UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ?3, last_error = ?4,
                            lease_owner = NULL, lease_until = NULL
                     WHERE id = ?1 AND lease_owner = ?2 AND state = 'pending'",
                    params![delivery_id, instance, next_attempt_at_ms, reason],
                )?,
                Outcome::Failed { reason } => tx.execute(
                    "UPDATE deliveries SET state = 'failed', attempts = attempts + 1, last_error = ?3,
                            lease_owner = NULL, lease_until = NULL
                     WHERE id = ?1 AND lease_owner = ?2 AND state = 'pending'",
                    params![delivery_id, instance, reason],
                )?,
            };
            tx.commit()?;
            Ok(())
        })
        .await
    }

    pub async fn depth(&self) -> Result<Depth> {
        self.with(|db| {
            let mut depth = Depth::default();
            let mut counts = db.prepare("SELECT state, COUNT(*) FROM deliveries GROUP BY state")?;
            let rows =
                counts.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (state, n) = row?;
                let n = n as u64;
                match state.as_str() {
                    "pending" => depth.pending = n,
                    "delivered" => depth.delivered = n,
                    _ => depth.failed = n,
                }
            }
            Ok(depth)
        })
        .await
    }

    pub async fn purge_delivered(&self, before_ms: i64) -> Result<u64> {
        self.with(move |db| {
            let n = db.execute(
                "DELETE FROM tickets WHERE reference IN (
                     SELECT reference FROM deliveries GROUP BY reference
                     HAVING SUM(state <> 'delivered') = 0 AND MAX(delivered_at) < ?1)",
                [before_ms],
            )?;
            Ok(n as u64)
        })
        .await
    }

    pub async fn retry_now(&self, delivery_id: i64, now_ms: i64) -> Result<Option<String>> {
        self.with(move |db| {
            Ok(db
                .query_row(
                    "UPDATE deliveries SET state = 'pending', next_attempt_at = ?2, lease_owner = NULL, lease_until = NULL
                     WHERE id = ?1 AND state <> 'delivered' RETURNING reference",
                    params![delivery_id, now_ms],
                    |r| r.get(0),
                )
                .optional()?)
        })
        .await
    }

    pub async fn recent(&self, limit: usize) -> Result<(Vec<TicketView>, Vec<DeliveryView>)> {
        self.with(move |db| {
            let tickets = db
                .prepare(&format!("SELECT {TICKET_COLUMNS} FROM tickets ORDER BY received_at DESC, reference LIMIT ?1"))?
                .query_map([limit as i64], ticket_view)?
                .collect::<Result<Vec<_>, _>>()?;
            let deliveries = db
                .prepare(&format!(
                    "SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE reference IN
                     (SELECT reference FROM tickets ORDER BY received_at DESC, reference LIMIT ?1) ORDER BY id"
                ))?
                .query_map([limit as i64], delivery_view)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok((tickets, deliveries))
        })
        .await
    }

    pub async fn ticket(
        &self,
        reference: &str,
    ) -> Result<Option<(TicketView, Vec<DeliveryView>, Vec<AttemptView>)>> {
        let reference = reference.to_string();
        self.with(move |db| {
            let Some(ticket) = db
                .query_row(&format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE reference = ?1"), [&reference], ticket_view)
                .optional()?
            else {
                return Ok(None);
            };
            let deliveries = db
                .prepare(&format!("SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE reference = ?1 ORDER BY id"))?
                .query_map([&reference], delivery_view)?
                .collect::<Result<Vec<_>, _>>()?;
            let attempts = db
                .prepare(
                    "SELECT a.delivery_id, a.instance, a.finished_at, a.outcome, a.detail FROM attempts a
                     JOIN deliveries d ON d.id = a.delivery_id WHERE d.reference = ?1 ORDER BY a.id",
                )?
                .query_map([&reference], |r| {
                    Ok(AttemptView {
                        delivery_id: r.get(0)?,
                        instance: r.get(1)?,
                        finished_at_ms: r.get(2)?,
                        outcome: r.get(3)?,
                        detail: r.get(4)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Some((ticket, deliveries, attempts)))
        })
        .await
    }

    pub async fn add_insights(&self, day: &str, tally: &DayTally) -> Result<()> {
        let (day, tally) = (day.to_string(), tally.clone());
        self.with(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let kept: Option<String> = tx
                .query_row(
                    "SELECT tally FROM insight_days WHERE day = ?1",
                    params![day],
                    |r| r.get(0),
                )
                .optional()?;
            let sum = super::sum_tallies(kept.as_deref(), &tally)?;
            tx.execute(
                "INSERT INTO insight_days (day, tally) VALUES (?1, ?2)
                 ON CONFLICT (day) DO UPDATE SET tally = excluded.tally",
                params![day, sum],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    pub async fn forget_insights_before(&self, day: &str) -> Result<u64> {
        let day = day.to_string();
        self.with(move |db| {
            Ok(db.execute("DELETE FROM insight_days WHERE day < ?1", params![day])? as u64)
        })
        .await
    }

    pub async fn insight_days(&self, from: &str, to: &str) -> Result<Vec<(String, DayTally)>> {
        let (from, to) = (from.to_string(), to.to_string());
        self.with(move |db| {
            let mut statement = db.prepare(
                "SELECT day, tally FROM insight_days WHERE day >= ?1 AND day <= ?2 ORDER BY day",
            )?;
            let rows = statement
                .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
            rows.into_iter()
                .map(|(day, json)| Ok((day, super::read_tally(&json)?)))
                .collect()
        })
        .await
    }

    pub async fn ping(&self) -> Result<()> {
        self.with(|db| Ok(db.query_row("SELECT 1", [], |_| Ok(()))?))
            .await
    }
}

fn migrate(db: &mut Connection) -> Result<()> {
    let tx = db.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let applied: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let applied = usize::try_from(applied).unwrap_or(usize::MAX);
    if applied > MIGRATIONS.len() {
        anyhow::bail!(
            "the database is at schema version {applied}, newer than this relay knows ({}): upgrade fixpath",
            MIGRATIONS.len()
        );
    }
    for migration in &MIGRATIONS[applied..] {
        tx.execute_batch(migration)?;
    }
    tx.pragma_update(None, "user_version", MIGRATIONS.len() as i64)?;
    tx.commit()?;
    Ok(())
}

const TICKET_COLUMNS: &str = "reference, received_at, severity, raw";
const DELIVERY_COLUMNS: &str =
    "id, reference, destination, state, attempts, next_attempt_at, external_id, last_error";

fn ticket_view(r: &rusqlite::Row<'_>) -> rusqlite::Result<TicketView> {
    Ok(TicketView {
        reference: r.get(0)?,
        received_at_ms: r.get(1)?,
        severity: r.get(2)?,
        raw: r.get(3)?,
        deliveries: Vec::new(),
    })
}

fn delivery_view(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeliveryView> {
    Ok(DeliveryView {
        id: r.get(0)?,
        reference: r.get(1)?,
        destination: r.get(2)?,
        state: r.get(3)?,
        attempts: r.get(4)?,
        next_attempt_at_ms: r.get(5)?,
        external_id: r.get(6)?,
        last_error: r.get(7)?,
    })
}
