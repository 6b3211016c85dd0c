//! The outbox: tickets the customer has sent that support has not yet acknowledged, and
//! when to try each again. Nothing leaves the outbox until delivery succeeds or the
//! receiver refuses the ticket itself; because every attempt carries the ticket id as its
//! idempotency key, retrying can never create a second ticket.

use serde::{Deserialize, Serialize};

use crate::ticket::Ticket;

/// First retry delay; each further failure doubles it, up to [`MAX_RETRY_DELAY_MS`].
pub const FIRST_RETRY_DELAY_MS: u32 = 1_000;
pub const MAX_RETRY_DELAY_MS: u32 = 60_000;

/// A ticket waiting for delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub ticket: Ticket,
    /// Failed attempts so far.
    pub failures: u32,
    /// How the form was filled in, for a relay's abuse checks.
    #[serde(default)]
    pub form: FormEvidence,
}

/// What a relay reads to tell a person from a script (sent as headers, never part of the
/// ticket): how long the form was open, and the honeypot field people never see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormEvidence {
    pub fill_ms: u64,
    pub trap: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    pending: Vec<Pending>,
}

impl Outbox {
    /// Queues `ticket`, once: queuing the same id again keeps the first copy.
    pub fn push(&mut self, ticket: Ticket, form: FormEvidence) {
        if !self.pending.iter().any(|p| p.ticket.id == ticket.id) {
            self.pending.push(Pending {
                ticket,
                failures: 0,
                form,
            });
        }
    }

    pub fn pending(&self) -> &[Pending] {
        &self.pending
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Takes a ticket out (delivered, or refused by the receiver).
    pub fn remove(&mut self, id: &str) -> Option<Ticket> {
        let i = self.pending.iter().position(|p| p.ticket.id == id)?;
        Some(self.pending.remove(i).ticket)
    }

    /// Records a failed attempt; returns how long to wait before the next one.
    pub fn record_failure(&mut self, id: &str) -> u32 {
        let Some(p) = self.pending.iter_mut().find(|p| p.ticket.id == id) else {
            return FIRST_RETRY_DELAY_MS;
        };
        p.failures = p.failures.saturating_add(1);
        retry_delay_ms(p.failures)
    }
}

/// Exponential backoff: 1 s, 2 s, 4 s … capped at a minute.
pub fn retry_delay_ms(failures: u32) -> u32 {
    doubling_backoff(
        failures,
        u64::from(FIRST_RETRY_DELAY_MS),
        u64::from(MAX_RETRY_DELAY_MS),
    ) as u32
}

/// The wait after `failures` failed attempts: `first`, doubled for each further failure,
/// never over `cap` (the widget's outbox above, and the relay's deliveries, in their units).
pub fn doubling_backoff(failures: u32, first: u64, cap: u64) -> u64 {
    let doublings = failures.saturating_sub(1).min(62);
    first.saturating_mul(1u64 << doublings).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(id: &str) -> Ticket {
        Ticket::new(id.to_string(), "2026-11-27T10:00:00Z".to_string())
    }

    #[test]
    fn a_ticket_is_queued_once_and_leaves_only_when_removed() {
        let mut outbox = Outbox::default();
        outbox.push(ticket("FX-1"), FormEvidence::default());
        outbox.push(ticket("FX-1"), FormEvidence::default());
        outbox.push(ticket("FX-2"), FormEvidence::default());
        assert_eq!(outbox.pending().len(), 2);
        outbox.record_failure("FX-1");
        assert_eq!(outbox.pending()[0].failures, 1);
        assert_eq!(
            outbox.remove("FX-1").map(|t| t.id),
            Some("FX-1".to_string())
        );
        assert_eq!(outbox.remove("FX-1"), None);
        assert!(!outbox.is_empty());
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let delays: Vec<u32> = (1..=8).map(retry_delay_ms).collect();
        assert_eq!(
            delays,
            [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]
        );
        assert_eq!(retry_delay_ms(u32::MAX), MAX_RETRY_DELAY_MS);
        let mut outbox = Outbox::default();
        outbox.push(ticket("FX-1"), FormEvidence::default());
        assert_eq!(outbox.record_failure("FX-1"), 1_000);
        assert_eq!(outbox.record_failure("FX-1"), 2_000);
    }

    #[test]
    fn survives_a_round_trip_through_storage() {
        let mut outbox = Outbox::default();
        outbox.push(ticket("FX-1"), FormEvidence::default());
        let json = serde_json::to_string(&outbox).unwrap();
        assert_eq!(serde_json::from_str::<Outbox>(&json).unwrap(), outbox);
    }
}
