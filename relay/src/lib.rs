//! Ticket receiver: `POST /api/tickets` validates a ticket against the engine's schema and
//! stores it once per `Idempotency-Key`, one JSON line per ticket. With a [`SiteConfig`] it
//! also serves the pages around the widget (`fixpath serve`'s preview, the demo, the
//! journeys): the help folder, the inbox of received tickets, live reload.
//!
//! Architecture invariant: this is the only crate that knows HTTP status codes for tickets;
//! domain errors are mapped to responses in [`tickets`] alone.

pub mod api;
pub mod config;
pub mod destination;
pub mod export_client;
pub mod html;
pub mod inbox;
pub mod insights;
pub mod insights_page;
pub mod limits;
pub mod live;
pub mod metrics;
pub mod preview_insights;
pub mod proof_of_work;
pub mod queue;
pub mod service;
pub mod site;
pub mod store;
pub mod team_inbox;
pub mod tickets;
pub mod worker;

use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::preview_insights::InsightsFile;
pub use crate::site::{Pages, SiteConfig, HELP_PATH, STRICT_CSP};
use crate::store::TicketStore;
pub use crate::tickets::Faults;

/// The receivers — tickets, and insights ([`preview_insights`]) — and the site around the
/// widget when `site` is given.
pub fn app(
    store: TicketStore,
    insights: Arc<InsightsFile>,
    site: Option<SiteConfig>,
    faults: Arc<Faults>,
) -> Router {
    let store = Arc::new(store);
    let mut router =
        tickets::routes(store.clone(), faults).merge(preview_insights::routes(insights));
    if let Some(site) = site {
        router = router.merge(site::routes(site, store));
    }
    // Everything here changes while it runs (rebuilds, the inbox): never cached.
    router.layer(SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    ))
}

/// Serves `router` (usually [`app`]) on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router).await
}
