//! Ticket receiver: `POST /api/tickets` validates a ticket against the engine's schema and
//! stores it once per `Idempotency-Key`, one JSON line per ticket. With a [`SiteConfig`] it
//! also serves the demo help page and the built widget under a strict CSP.
//!
//! Architecture invariant: this is the only crate that knows HTTP status codes for tickets;
//! domain errors are mapped to responses in [`tickets`] alone.

pub mod live;
pub mod store;
pub mod tickets;

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::store::TicketStore;
pub use crate::tickets::Faults;

/// The policy the widget must work under (BRIEF §5): no inline scripts or styles.
pub const STRICT_CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self' data:";

/// What the demo server serves besides the receiver.
pub struct SiteConfig {
    /// Demo pages: (route, file), e.g. `("/", index.html)`.
    pub pages: Vec<(String, PathBuf)>,
    /// The built widget and bundle, served at `/dist`.
    pub dist: PathBuf,
    /// Another bundle folder to serve at `/dist/kb` instead of `dist/kb` (tests use it to
    /// put a different kb behind the same page).
    pub kb: Option<PathBuf>,
    /// Live preview: reload the pages whenever this rebuild counter moves (see [`live`]).
    pub live_reload: Option<tokio::sync::watch::Receiver<u64>>,
    /// Serve the pages cross-origin isolated (COOP + COEP), which gives `performance.now()`
    /// microsecond resolution instead of 100 µs: the speed benchmark times single queries.
    pub cross_origin_isolated: bool,
}

/// The demo pages of a checkout: the inline help page at `/`, the launcher at
/// `/launcher.html`.
pub fn demo_pages(root: &std::path::Path) -> Vec<(String, PathBuf)> {
    vec![
        ("/".into(), root.join("index.html")),
        ("/launcher.html".into(), root.join("launcher.html")),
    ]
}

/// The receiver, and the demo site when `site` is given.
pub fn app(store: TicketStore, site: Option<SiteConfig>, faults: Arc<Faults>) -> Router {
    let mut router = tickets::routes(Arc::new(store), faults);
    if let Some(site) = site {
        if let Some(kb) = site.kb {
            router = router.nest_service("/dist/kb", ServeDir::new(kb));
        }
        match site.live_reload {
            Some(generation) => {
                for (route, file) in site.pages {
                    router =
                        router.route(&route, axum::routing::get(move || live::page(file.clone())));
                }
                router = router.merge(live::routes(generation));
            }
            None => {
                for (route, file) in site.pages {
                    router = router.route_service(&route, ServeFile::new(file));
                }
            }
        }
        router = router.nest_service("/dist", ServeDir::new(site.dist));
        if site.cross_origin_isolated {
            router = router
                .layer(SetResponseHeaderLayer::overriding(
                    HeaderName::from_static("cross-origin-opener-policy"),
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    HeaderName::from_static("cross-origin-embedder-policy"),
                    HeaderValue::from_static("require-corp"),
                ));
        }
    }
    router
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(STRICT_CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}

/// Serves `router` (usually [`app`]) on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router).await
}
