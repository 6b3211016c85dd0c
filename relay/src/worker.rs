//! The delivery worker: claims due deliveries from the queue, hands each to its
//! destination's adapter, and records what came of it. Failures are retried with
//! exponential backoff (with jitter, so instances that failed together do not retry
//! together) until `max_attempts`; a refusal that retrying cannot fix fails at once and
//! waits for a person ("retry now" in the inbox).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use fixpath_engine::outbox::doubling_backoff;
use fixpath_engine::ticket::Ticket;
use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::sync::{watch, Notify};

use crate::config::DeliverySettings;
use crate::destination::{Destination, Failure, Parcel};
use crate::metrics::Metrics;
use crate::queue::{Job, Outcome, Queue};

/// How often an idle worker looks for due deliveries (new tickets wake it at once; this
/// finds retries coming due and work other instances accepted).
const POLL: Duration = Duration::from_millis(500);

pub struct Worker {
    pub queue: Arc<Queue>,
    pub destinations: Arc<BTreeMap<String, Destination>>,
    pub http: reqwest::Client,
    pub settings: DeliverySettings,
    /// Names this process in leases and attempts.
    pub instance: String,
    pub metrics: Arc<Metrics>,
    /// Notified when a ticket is accepted.
    pub wake: Arc<Notify>,
}

impl Worker {
    /// A claimed delivery stays this instance's for twice the longest an attempt can take
    /// (and 5 s); after that, another instance (or this one, restarted) takes it over.
    fn lease_ms(&self) -> i64 {
        (self.settings.timeout_seconds as i64 * 2 + 5) * 1000
    }

    /// Delivers until `stop` turns true, then finishes the attempts in flight.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut in_flight = FuturesUnordered::new();
        loop {
            // Seen once here, so `changed` below waits for a new value rather than firing
            // on this one again and again while the last attempts finish.
            let stopping = *stop.borrow_and_update();
            let free = self.settings.concurrency.saturating_sub(in_flight.len());
            if free > 0 && !stopping {
                match self
                    .queue
                    .claim(&self.instance, now_ms(), self.lease_ms(), free)
                    .await
                {
                    Ok(jobs) => {
                        for job in jobs {
                            in_flight.push(self.attempt(job));
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = %format!("{e:#}"), "could not claim deliveries")
                    }
                }
            }
            if stopping && in_flight.is_empty() {
                return;
            }
            tokio::select! {
                Some(()) = in_flight.next(), if !in_flight.is_empty() => {}
                () = self.wake.notified(), if !stopping => {}
                () = tokio::time::sleep(POLL), if !stopping => {}
                _ = stop.changed(), if !stopping => {}
            }
        }
    }

    /// One attempt at one delivery, recorded.
    async fn attempt(&self, job: Job) {
        let started = now_ms();
        let attempt = job.attempts + 1;
        let result = match (
            self.destinations.get(&job.destination),
            serde_json::from_str::<Ticket>(&job.raw),
        ) {
            (None, _) => Err(Failure::Permanent {
                reason: format!(
                    "destination \"{}\" is no longer in the relay's config",
                    job.destination
                ),
            }),
            (_, Err(e)) => Err(Failure::Permanent {
                reason: format!("the stored ticket cannot be read: {e}"),
            }),
            (Some(destination), Ok(ticket)) => {
                let parcel = Parcel {
                    ticket: &ticket,
                    raw: &job.raw,
                    received_at: job.received_at_ms / 1000,
                    attempt,
                };
                let timeout = Duration::from_secs(self.settings.timeout_seconds);
                match tokio::time::timeout(timeout, destination.deliver(&self.http, &parcel)).await
                {
                    Ok(result) => result,
                    Err(_) => Err(Failure::Retry {
                        reason: format!("no answer within {} s", self.settings.timeout_seconds),
                        after: None,
                    }),
                }
            }
        };
        let now = now_ms();
        let outcome = match result {
            Ok(delivered) => {
                let latency = (now - job.received_at_ms).max(0) as f64 / 1000.0;
                self.metrics
                    .latency
                    .get_or_create(&crate::metrics::DestinationLabel {
                        destination: job.destination.clone(),
                    })
                    .observe(latency);
                Outcome::Delivered {
                    external_id: delivered.external_id,
                }
            }
            Err(Failure::Retry { reason, after }) if attempt < self.settings.max_attempts => {
                let wait = retry_delay(attempt, &self.settings).max(after.unwrap_or_default());
                Outcome::Retry {
                    reason,
                    next_attempt_at_ms: now + jitter(wait).as_millis() as i64,
                }
            }
            Err(Failure::Retry { reason, .. }) => Outcome::Failed {
                reason: format!("gave up after {attempt} attempts; last: {reason}"),
            },
            Err(Failure::Permanent { reason }) => Outcome::Failed { reason },
        };
        self.metrics.attempt(&job.destination, outcome.label());
        // The reference and the destination identify the ticket to the team; what the
        // customer wrote, and any credential, never reach the log.
        match &outcome {
            Outcome::Delivered { external_id } => tracing::info!(
                reference = %job.reference, destination = %job.destination, attempt,
                external_id = external_id.as_deref().unwrap_or(""), "delivered"
            ),
            Outcome::Retry {
                reason,
                next_attempt_at_ms,
            } => tracing::warn!(
                reference = %job.reference, destination = %job.destination, attempt, reason = %reason,
                retry_in_s = (next_attempt_at_ms - now) / 1000, "delivery failed; will retry"
            ),
            Outcome::Failed { reason } => tracing::error!(
                reference = %job.reference, destination = %job.destination, attempt, reason = %reason,
                "delivery failed; waiting for a person to retry it"
            ),
        }
        if let Err(e) = self
            .queue
            .finish(&job, &self.instance, started, now, outcome)
            .await
        {
            // The lease runs out and the delivery is tried again: at least once.
            tracing::error!(reference = %job.reference, error = %format!("{e:#}"), "could not record the attempt");
        }
    }
}

/// The wait after `failures` failed attempts: the first wait, doubled each time, capped.
pub fn retry_delay(failures: u32, settings: &DeliverySettings) -> Duration {
    Duration::from_secs(doubling_backoff(
        failures,
        settings.first_retry_seconds,
        settings.max_retry_seconds,
    ))
}

/// ±20 %.
fn jitter(wait: Duration) -> Duration {
    wait.mul_f64(0.8 + fastrand::f64() * 0.4)
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_to_the_cap() {
        let settings = DeliverySettings {
            first_retry_seconds: 10,
            max_retry_seconds: 3600,
            ..DeliverySettings::default()
        };
        let waits: Vec<u64> = (1..=11)
            .map(|n| retry_delay(n, &settings).as_secs())
            .collect();
        assert_eq!(
            waits,
            [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]
        );
        assert_eq!(retry_delay(u32::MAX, &settings).as_secs(), 3600);
        for _ in 0..100 {
            let j = jitter(Duration::from_secs(100)).as_secs_f64();
            assert!((80.0..=120.0).contains(&j), "{j}");
        }
    }
}
