//! `/metrics` in the Prometheus text format: tickets accepted and refused (by reason),
//! deliveries by destination and outcome, delivery latency, and the queue by state (read
//! from the store at each scrape, so every instance on one Postgres reports the same).

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::queue::Depth;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabel {
    pub reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DeliveryLabels {
    pub destination: String,
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DestinationLabel {
    pub destination: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StateLabel {
    pub state: &'static str,
}

pub struct Metrics {
    registry: Registry,
    pub accepted: Counter,
    pub rejected: Family<ReasonLabel, Counter>,
    pub deliveries: Family<DeliveryLabels, Counter>,
    pub latency: Family<DestinationLabel, Histogram>,
    queue: Family<StateLabel, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("fixpath_relay");
        let accepted = Counter::default();
        registry.register(
            "tickets_accepted",
            "Tickets kept for delivery (repeats not counted)",
            accepted.clone(),
        );
        let rejected = Family::<ReasonLabel, Counter>::default();
        registry.register(
            "tickets_rejected",
            "Tickets refused, by reason",
            rejected.clone(),
        );
        let deliveries = Family::<DeliveryLabels, Counter>::default();
        registry.register(
            "delivery_attempts",
            "Delivery attempts by destination and outcome (delivered, retry, failed)",
            deliveries.clone(),
        );
        // 0.05 s to about 7 h: a first-try delivery to a slow help desk, up to a long outage.
        let latency = Family::<DestinationLabel, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.05, 3.0, 12))
        });
        registry.register(
            "delivery_latency_seconds",
            "From accepting a ticket to the destination taking it",
            latency.clone(),
        );
        let queue = Family::<StateLabel, Gauge>::default();
        registry.register(
            "deliveries",
            "Deliveries in the store, by state",
            queue.clone(),
        );
        Metrics {
            registry,
            accepted,
            rejected,
            deliveries,
            latency,
            queue,
        }
    }
}

impl Metrics {
    pub fn reject(&self, reason: &'static str) {
        self.rejected.get_or_create(&ReasonLabel { reason }).inc();
    }

    pub fn attempt(&self, destination: &str, outcome: &'static str) {
        self.deliveries
            .get_or_create(&DeliveryLabels {
                destination: destination.to_string(),
                outcome,
            })
            .inc();
    }

    /// The exposition text, with the queue as `depth` says.
    pub fn render(&self, depth: Depth) -> String {
        for (state, n) in [
            ("pending", depth.pending),
            ("delivered", depth.delivered),
            ("failed", depth.failed),
        ] {
            self.queue
                .get_or_create(&StateLabel { state })
                .set(n as i64);
        }
        let mut out = String::new();
        encode(&mut out, &self.registry).expect("writing to a String cannot fail");
        out
    }
}
