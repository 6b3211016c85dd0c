//! The queue on a Postgres server, shared by several relay instances: each claims due
//! deliveries with `FOR UPDATE SKIP LOCKED`, so two instances never take the same one at
//! once, and a dead instance's claims come free when their lease ends.

use std::str::FromStr;

use anyhow::{Context, Result};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use super::{
    Accepted, AttemptView, DayTally, DeliveryView, Depth, Job, NewTicket, Outcome, TicketView,
};

/// Schema changes, in order; `fixpath_relay_schema` records how many are applied.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE tickets (
    reference   TEXT PRIMARY KEY,
    body_hash   TEXT NOT NULL,
    raw         TEXT NOT NULL,
    severity    TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE TABLE deliveries (
    id              BIGSERIAL PRIMARY KEY,
    reference       TEXT NOT NULL REFERENCES tickets(reference) ON DELETE CASCADE,
    destination     TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_owner     TEXT,
    lease_until     BIGINT,
    external_id     TEXT,
    delivered_at    BIGINT,
    last_error      TEXT,
    UNIQUE (reference, destination)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
CREATE TABLE attempts (
    id          BIGSERIAL PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    instance    TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
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

/// Any fixed number ("fixpath" in ASCII): instances starting together take turns upgrading
/// the schema.
const MIGRATION_LOCK: i64 = 0x0066_6978_7061_7468;

#[derive(Clone)]
pub struct PostgresQueue {
    pool: Pool,
}

impl PostgresQueue {
    /// Connects to `url` (`postgres://user:password@host/db`), bringing the schema up to
    /// date. `connections` bounds the pool.
    pub async fn connect(url: &str, connections: usize) -> Result<PostgresQueue> {
        // The URL holds a password: errors name the server, never the URL.
        let config = tokio_postgres::Config::from_str(url)
            .map_err(|_| anyhow::anyhow!("the Postgres URL is not a valid connection string"))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(connections)
            .build()
            .context("creating the Postgres pool")?;
        let queue = PostgresQueue { pool };
        queue
            .migrate()
            .await
            .context("upgrading the Postgres schema")?;
        Ok(queue)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.pool.get().await.context("connecting to Postgres")
    }

    async fn migrate(&self) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS fixpath_relay_schema (version INTEGER NOT NULL)",
        )
        .await?;
        let applied: i64 = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::BIGINT FROM fixpath_relay_schema",
                &[],
            )
            .await?
            .get(0);
        let applied = usize::try_from(applied).unwrap_or(usize::MAX);
        if applied > MIGRATIONS.len() {
            anyhow::bail!(
                "the database is at schema version {applied}, newer than this relay knows ({}): upgrade fixpath",
                MIGRATIONS.len()
            );
        }
        for (n, migration) in MIGRATIONS.iter().enumerate().skip(applied) {
            tx.batch_execute(migration).await?;
            tx.execute(
                "INSERT INTO fixpath_relay_schema (version) VALUES ($1)",
                &[&(n as i32 + 1)],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_insights(&self, day: &str, tally: &DayTally) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // The row first, so that two instances adding to a new day take turns on its lock.
        tx.execute(
            "INSERT INTO insight_days (day, tally) VALUES ($1, '{}') ON CONFLICT (day) DO NOTHING",
            &[&day],
        )
        .await?;
        let kept: String = tx
            .query_one(
                "SELECT tally FROM insight_days WHERE day = $1 FOR UPDATE",
                &[&day],
            )
            .await?
            .get(0);
        let sum = super::sum_tallies(Some(&kept), tally)?;
        tx.execute(
            "UPDATE insight_days SET tally = $2 WHERE day = $1",
            &[&day, &sum],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn forget_insights_before(&self, day: &str) -> Result<u64> {
        let client = self.client().await?;
        Ok(client
            .execute("DELETE FROM insight_days WHERE day < $1", &[&day])
            .await?)
    }

    pub async fn insight_days(&self, from: &str, to: &str) -> Result<Vec<(String, DayTally)>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT day, tally FROM insight_days WHERE day >= $1 AND day <= $2 ORDER BY day",
                &[&from, &to],
            )
            .await?;
        rows.iter()
            .map(|r| Ok((r.get(0), super::read_tally(r.get(1))?)))
            .collect()
    }

    pub async fn accept(&self, t: NewTicket) -> Result<Accepted> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let inserted = tx
            .execute(
                "INSERT INTO tickets (reference, body_hash, raw, severity, received_at)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (reference) DO NOTHING",
                &[
                    &t.reference,
                    &t.body_hash,
                    &t.raw,
                    &t.severity.key(),
                    &t.now_ms,
                ],
            )
            .await?;
        if inserted == 0 {
            let hash: String = tx
                .query_one(
                    "SELECT body_hash FROM tickets WHERE reference = $1",
                    &[&t.reference],
                )
                .await?
                .get(0);
            return Ok(if hash == t.body_hash {
                Accepted::Repeat
            } else {
                Accepted::Conflict
            });
        }
        for destination in &t.destinations {
            tx.execute(
                "INSERT INTO deliveries (reference, destination, state, next_attempt_at) VALUES ($1, $2, 'pending', $3)",
                &[&t.reference, destination, &t.now_ms],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Accepted::New)
    }

    pub async fn has(&self, reference: &str) -> Result<bool> {
        let client = self.client().await?;
        Ok(client
            .query_opt("SELECT 1 FROM tickets WHERE reference = $1", &[&reference])
            .await?
            .is_some())
    }

    pub async fn claim(
        &self,
        instance: &str,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<Job>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "UPDATE deliveries d SET lease_owner = $1, lease_until = $2
                 FROM (SELECT id FROM deliveries
                       WHERE state = 'pending' AND next_attempt_at <= $3
                         AND (lease_until IS NULL OR lease_until < $3)
                       ORDER BY next_attempt_at LIMIT $4
                       FOR UPDATE SKIP LOCKED) due, tickets t
                 WHERE d.id = due.id AND t.reference = d.reference
                 RETURNING d.id, d.reference, d.destination, d.attempts, t.raw, t.received_at",
                &[&instance, &(now_ms + lease_ms), &now_ms, &(limit as i64)],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Job {
                delivery_id: r.get(0),
                reference: r.get(1),
                destination: r.get(2),
                attempts: r.get::<_, i32>(3) as u32,
                raw: r.get(4),
                received_at_ms: r.get(5),
            })
            .collect())
    }

    pub async fn finish(
        &self,
        delivery_id: i64,
        instance: &str,
        started_ms: i64,
        now_ms: i64,
        outcome: Outcome,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let (label, detail) = (outcome.label(), outcome.detail());
        tx.execute(
            "INSERT INTO attempts (delivery_id, instance, started_at, finished_at, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&delivery_id, &instance, &started_ms, &now_ms, &label, &detail],
        )
        .await?;
        match &outcome {
            Outcome::Delivered { external_id } => {
                tx.execute(
                    "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = $2,
                            external_id = $3, lease_owner = NULL, lease_until = NULL, last_error = NULL
                     WHERE id = $1 AND state <> 'delivered'",
                    &[&delivery_id, &now_ms, external_id],
                )
                .await?
            }
            Outcome::Retry { reason, next_attempt_at_ms } => {
                tx.execute(
                    "UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = $3, last_error = $4,
                            lease_owner = NULL, lease_until = NULL
                     WHERE id = $1 AND lease_owner = $2 AND state = 'pending'",
                    &[&delivery_id, &instance, next_attempt_at_ms, reason],
                )
                .await?
            }
            Outcome::Failed { reason } => {
                tx.execute(
                    "UPDATE deliveries SET state = 'failed', attempts = attempts + 1, last_error = $3,
                            lease_owner = NULL, lease_until = NULL
                     WHERE id = $1 AND lease_owner = $2 AND state = 'pending'",
                    &[&delivery_id, &instance, reason],
                )
                .await?
            }
        };
        tx.commit().await?;
        Ok(())
    }

    pub async fn depth(&self) -> Result<Depth> {
        let client = self.client().await?;
        let mut depth = Depth::default();
        for row in client
            .query("SELECT state, COUNT(*) FROM deliveries GROUP BY state", &[])
            .await?
        {
            let n = row.get::<_, i64>(1) as u64;
            match row.get::<_, &str>(0) {
                "pending" => depth.pending = n,
                "delivered" => depth.delivered = n,
                _ => depth.failed = n,
            }
        }
        Ok(depth)
    }

    pub async fn purge_delivered(&self, before_ms: i64) -> Result<u64> {
        let client = self.client().await?;
        Ok(client
            .execute(
                "DELETE FROM tickets WHERE reference IN (
                     SELECT reference FROM deliveries GROUP BY reference
                     HAVING bool_and(state = 'delivered') AND MAX(delivered_at) < $1)",
                &[&before_ms],
            )
            .await?)
    }

    pub async fn retry_now(&self, delivery_id: i64, now_ms: i64) -> Result<Option<String>> {
        let client = self.client().await?;
        Ok(client
            .query_opt(
                "UPDATE deliveries SET state = 'pending', next_attempt_at = $2, lease_owner = NULL, lease_until = NULL
                 WHERE id = $1 AND state <> 'delivered' RETURNING reference",
                &[&delivery_id, &now_ms],
            )
            .await?
            .map(|r| r.get(0)))
    }

    pub async fn recent(&self, limit: usize) -> Result<(Vec<TicketView>, Vec<DeliveryView>)> {
        let client = self.client().await?;
        let tickets: Vec<TicketView> = client
            .query(
                &format!("SELECT {TICKET_COLUMNS} FROM tickets ORDER BY received_at DESC, reference LIMIT $1"),
                &[&(limit as i64)],
            )
            .await?
            .iter()
            .map(ticket_view)
            .collect();
        let references: Vec<&str> = tickets.iter().map(|t| t.reference.as_str()).collect();
        let deliveries = client
            .query(
                &format!("SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE reference = ANY($1) ORDER BY id"),
                &[&references],
            )
            .await?
            .iter()
            .map(delivery_view)
            .collect();
        Ok((tickets, deliveries))
    }

    pub async fn ticket(
        &self,
        reference: &str,
    ) -> Result<Option<(TicketView, Vec<DeliveryView>, Vec<AttemptView>)>> {
        let client = self.client().await?;
        let Some(row) = client
            .query_opt(
                &format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE reference = $1"),
                &[&reference],
            )
            .await?
        else {
            return Ok(None);
        };
        let deliveries = client
            .query(
                &format!(
                    "SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE reference = $1 ORDER BY id"
                ),
                &[&reference],
            )
            .await?
            .iter()
            .map(delivery_view)
            .collect();
        let attempts = client
            .query(
                "SELECT a.delivery_id, a.instance, a.finished_at, a.outcome, a.detail FROM attempts a
                 JOIN deliveries d ON d.id = a.delivery_id WHERE d.reference = $1 ORDER BY a.id",
                &[&reference],
            )
            .await?
            .iter()
            .map(|r| AttemptView {
                delivery_id: r.get(0),
                instance: r.get(1),
                finished_at_ms: r.get(2),
                outcome: r.get(3),
                detail: r.get(4),
            })
            .collect();
        Ok(Some((ticket_view(&row), deliveries, attempts)))
    }

    pub async fn ping(&self) -> Result<()> {
        self.client().await?.query_one("SELECT 1", &[]).await?;
        Ok(())
    }
}

const TICKET_COLUMNS: &str = "reference, received_at, severity, raw";
const DELIVERY_COLUMNS: &str =
    "id, reference, destination, state, attempts, next_attempt_at, external_id, last_error";

fn ticket_view(r: &tokio_postgres::Row) -> TicketView {
    TicketView {
        reference: r.get(0),
        received_at_ms: r.get(1),
        severity: r.get(2),
        raw: r.get(3),
        deliveries: Vec::new(),
    }
}

fn delivery_view(r: &tokio_postgres::Row) -> DeliveryView {
    DeliveryView {
        id: r.get(0),
        reference: r.get(1),
        destination: r.get(2),
        state: r.get(3),
        attempts: r.get::<_, i32>(4) as u32,
        next_attempt_at_ms: r.get(5),
        external_id: r.get(6),
        last_error: r.get(7),
    }
}
