//! The relay's durable queue: each accepted ticket, one delivery per destination it is
//! routed to, and every attempt made. A ticket is committed here before the relay answers
//! 202, so once the customer sees their reference, a crash cannot lose it.
//!
//! Workers claim due deliveries with a lease: a claimed delivery is theirs until the lease
//! runs out, so a relay killed mid-delivery leaves work that another instance (or itself,
//! restarted) picks up when the lease ends. Delivery is therefore at least once; the
//! adapters make a repeat harmless where the help desk allows it.
//!
//! SQLite is the embedded default; Postgres serves several relay instances. Both keep the
//! same tables and answer the same calls.

#[cfg(any(test, feature = "queue-contract"))]
pub mod contract;
mod postgres;
mod sqlite;

use anyhow::{Context, Result};
use fixpath_engine::insights::DayTally;
use fixpath_engine::triage::Severity;

pub use postgres::PostgresQueue;
pub use sqlite::SqliteQueue;

/// A ticket to keep, with where it goes.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub reference: String,
    /// The ticket JSON as received.
    pub raw: String,
    /// SHA-256 of `raw`: a repeat of the key with another body is told apart.
    pub body_hash: String,
    pub severity: Severity,
    pub destinations: Vec<String>,
    pub now_ms: i64,
}

/// What the queue did with a [`NewTicket`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    New,
    /// The same key with the same body: already kept, nothing done.
    Repeat,
    /// The same key with a different body.
    Conflict,
}

/// A claimed delivery: one ticket to one destination.
#[derive(Debug, Clone)]
pub struct Job {
    pub delivery_id: i64,
    pub reference: String,
    pub destination: String,
    /// Attempts finished before this one.
    pub attempts: u32,
    pub raw: String,
    pub received_at_ms: i64,
}

/// What came of an attempt, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered {
        external_id: Option<String>,
    },
    Retry {
        reason: String,
        next_attempt_at_ms: i64,
    },
    Failed {
        reason: String,
    },
}

impl Outcome {
    /// As recorded with the attempt and counted in metrics: `delivered`, `retry`, `failed`.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Delivered { .. } => "delivered",
            Outcome::Retry { .. } => "retry",
            Outcome::Failed { .. } => "failed",
        }
    }

    /// What the attempt records beside the label: the help desk's id, or why it failed.
    fn detail(&self) -> Option<String> {
        match self {
            Outcome::Delivered { external_id } => external_id.clone(),
            Outcome::Retry { reason, .. } | Outcome::Failed { reason } => Some(reason.clone()),
        }
    }
}

/// Deliveries by state, for `/metrics` and the inbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Depth {
    pub pending: u64,
    pub delivered: u64,
    pub failed: u64,
}

/// A kept ticket as the inbox shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketView {
    pub reference: String,
    pub received_at_ms: i64,
    pub severity: String,
    pub raw: String,
    pub deliveries: Vec<DeliveryView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryView {
    pub id: i64,
    pub reference: String,
    pub destination: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: u32,
    pub next_attempt_at_ms: i64,
    pub external_id: Option<String>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptView {
    pub delivery_id: i64,
    pub instance: String,
    pub finished_at_ms: i64,
    /// `delivered`, `retry` or `failed`.
    pub outcome: String,
    pub detail: Option<String>,
}

/// A day's kept tally (JSON; `{}` or none for a new day) plus `tally`, as JSON to keep.
fn sum_tallies(kept: Option<&str>, tally: &DayTally) -> Result<String> {
    let mut sum = match kept {
        Some(json) => read_tally(json)?,
        None => DayTally::default(),
    };
    sum.merge(tally);
    Ok(serde_json::to_string(&sum)?)
}

fn read_tally(json: &str) -> Result<DayTally> {
    serde_json::from_str(json).context("a kept insights tally is not readable")
}

/// Groups deliveries (ordered by reference) under their tickets.
fn attach(mut tickets: Vec<TicketView>, deliveries: Vec<DeliveryView>) -> Vec<TicketView> {
    for d in deliveries {
        if let Some(t) = tickets.iter_mut().find(|t| t.reference == d.reference) {
            t.deliveries.push(d);
        }
    }
    tickets
}

/// The store behind a relay.
pub enum Queue {
    Sqlite(SqliteQueue),
    Postgres(PostgresQueue),
}

impl Queue {
    /// Keeps `ticket` and its deliveries in one transaction.
    pub async fn accept(&self, ticket: NewTicket) -> Result<Accepted> {
        match self {
            Queue::Sqlite(q) => q.accept(ticket).await,
            Queue::Postgres(q) => q.accept(ticket).await,
        }
    }

    /// Adds `tally` (one batch of insights, counted) to day `day` (`2026-11-30`), in one
    /// transaction: concurrent batches all count.
    pub async fn add_insights(&self, day: &str, tally: &DayTally) -> Result<()> {
        match self {
            Queue::Sqlite(q) => q.add_insights(day, tally).await,
            Queue::Postgres(q) => q.add_insights(day, tally).await,
        }
    }

    /// The tallies of the days from `from` to `to` (inclusive), in order; days without
    /// insights are absent.
    pub async fn insight_days(&self, from: &str, to: &str) -> Result<Vec<(String, DayTally)>> {
        match self {
            Queue::Sqlite(q) => q.insight_days(from, to).await,
            Queue::Postgres(q) => q.insight_days(from, to).await,
        }
    }

    /// Deletes the tallies of the days before `day`: insights past retention.
    pub async fn forget_insights_before(&self, day: &str) -> Result<u64> {
        match self {
            Queue::Sqlite(q) => q.forget_insights_before(day).await,
            Queue::Postgres(q) => q.forget_insights_before(day).await,
        }
    }

    /// Whether a ticket with this reference is kept.
    pub async fn has(&self, reference: &str) -> Result<bool> {
        match self {
            Queue::Sqlite(q) => q.has(reference).await,
            Queue::Postgres(q) => q.has(reference).await,
        }
    }

    /// Leases up to `limit` due deliveries to `instance` until `now_ms + lease_ms`.
    pub async fn claim(
        &self,
        instance: &str,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<Job>> {
        match self {
            Queue::Sqlite(q) => q.claim(instance, now_ms, lease_ms, limit).await,
            Queue::Postgres(q) => q.claim(instance, now_ms, lease_ms, limit).await,
        }
    }

    /// Records an attempt on `job` and moves the delivery on. A delivery whose lease
    /// passed to another instance meanwhile only gets the attempt recorded, unless it was
    /// delivered (that is never forgotten).
    pub async fn finish(
        &self,
        job: &Job,
        instance: &str,
        started_ms: i64,
        now_ms: i64,
        outcome: Outcome,
    ) -> Result<()> {
        match self {
            Queue::Sqlite(q) => {
                q.finish(job.delivery_id, instance, started_ms, now_ms, outcome)
                    .await
            }
            Queue::Postgres(q) => {
                q.finish(job.delivery_id, instance, started_ms, now_ms, outcome)
                    .await
            }
        }
    }

    pub async fn depth(&self) -> Result<Depth> {
        match self {
            Queue::Sqlite(q) => q.depth().await,
            Queue::Postgres(q) => q.depth().await,
        }
    }

    /// Deletes tickets (attachments are inside them) whose every delivery succeeded
    /// before `before_ms`. Returns how many went.
    pub async fn purge_delivered(&self, before_ms: i64) -> Result<u64> {
        match self {
            Queue::Sqlite(q) => q.purge_delivered(before_ms).await,
            Queue::Postgres(q) => q.purge_delivered(before_ms).await,
        }
    }

    /// Makes a failed or waiting delivery due now; its ticket's reference. `None` when
    /// there is no such delivery or it was already delivered.
    pub async fn retry_now(&self, delivery_id: i64, now_ms: i64) -> Result<Option<String>> {
        match self {
            Queue::Sqlite(q) => q.retry_now(delivery_id, now_ms).await,
            Queue::Postgres(q) => q.retry_now(delivery_id, now_ms).await,
        }
    }

    /// The newest `limit` tickets, newest first, with their deliveries.
    pub async fn recent(&self, limit: usize) -> Result<Vec<TicketView>> {
        let (tickets, deliveries) = match self {
            Queue::Sqlite(q) => q.recent(limit).await?,
            Queue::Postgres(q) => q.recent(limit).await?,
        };
        Ok(attach(tickets, deliveries))
    }

    /// One ticket, its deliveries and every attempt, oldest first.
    pub async fn ticket(&self, reference: &str) -> Result<Option<(TicketView, Vec<AttemptView>)>> {
        let found = match self {
            Queue::Sqlite(q) => q.ticket(reference).await?,
            Queue::Postgres(q) => q.ticket(reference).await?,
        };
        Ok(found.map(|(ticket, deliveries, attempts)| {
            let mut with = attach(vec![ticket], deliveries);
            (with.remove(0), attempts)
        }))
    }

    /// Answers when the store can take tickets (`/readyz`).
    pub async fn ping(&self) -> Result<()> {
        match self {
            Queue::Sqlite(q) => q.ping().await,
            Queue::Postgres(q) => q.ping().await,
        }
    }
}

#[cfg(test)]
mod tests;
