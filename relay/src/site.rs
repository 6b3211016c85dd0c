//! The pages around the widget: `fixpath serve`'s preview (or a folder of the site's own
//! pages, as the demo and the journeys use), the help folder `fixpath build` wrote at
//! `/help/`, and the inbox of received tickets; all under the strict CSP the widget must
//! work with.

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::{header, HeaderName, HeaderValue};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use tokio::sync::watch;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::live::LiveState;
use crate::store::TicketStore;

/// The policy the widget must work under (BRIEF §5): no inline scripts or styles.
pub const STRICT_CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self' data:";

/// Where the help folder is served.
pub const HELP_PATH: &str = "/help";

/// What is served besides the ticket receiver.
pub struct SiteConfig {
    /// The pages at `/`.
    pub pages: Pages,
    /// The help folder (`fixpath build --out`), served at [`HELP_PATH`].
    pub help: PathBuf,
    /// Another kb bundle to serve at `/help/kb` instead of the help folder's own (tests
    /// put a different kb behind the same page).
    pub kb: Option<PathBuf>,
    /// Live preview: pages reload after each good rebuild and show a failed one's problems
    /// (see [`crate::live`]).
    pub live: Option<watch::Receiver<LiveState>>,
    /// Serve cross-origin isolated (COOP + COEP), which gives `performance.now()`
    /// microsecond resolution instead of 100 µs: the speed benchmark times single queries.
    pub cross_origin_isolated: bool,
    /// Origins the widget may also connect to (a relay or help desk elsewhere), added to
    /// the CSP's `connect-src` as a site would.
    pub connect_to: Vec<String>,
}

/// The pages at `/`.
pub enum Pages {
    /// The built-in preview: a help page with the widget inline (`/`) and one with the
    /// launcher (`/launcher.html`), linking to the inbox.
    Preview,
    /// A folder of the site's own pages, loading the widget from `/help/fixpath.js`.
    Folder(PathBuf),
}

const PREVIEW_INDEX: &str = include_str!("../preview/index.html");
const PREVIEW_LAUNCHER: &str = include_str!("../preview/launcher.html");
const PREVIEW_STYLE: &str = include_str!("../preview/preview.css");

/// The site's routes, with `store` behind the inbox page.
pub fn routes(site: SiteConfig, store: Arc<TicketStore>) -> Router {
    let tickets = store.subscribe();
    let mut router = Router::new()
        .route("/__fixpath/tickets", get(crate::inbox::page))
        .route(
            "/__fixpath/preview.css",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/css")],
                    format!("{PREVIEW_STYLE}{}", crate::insights_page::CHART_STYLE),
                )
            }),
        )
        .with_state(store);
    if let Some(kb) = site.kb {
        router = router.nest_service(&format!("{HELP_PATH}/kb"), ServeDir::new(kb));
    }
    router = router.nest_service(HELP_PATH, ServeDir::new(site.help));
    router = match site.pages {
        Pages::Preview => router
            .route("/", get(|| async { Html(PREVIEW_INDEX) }))
            .route("/launcher.html", get(|| async { Html(PREVIEW_LAUNCHER) })),
        Pages::Folder(dir) => router.fallback_service(ServeDir::new(dir)),
    };
    if let Some(kb) = site.live {
        router = router
            .merge(crate::live::routes(kb, tickets))
            .layer(axum::middleware::map_response(crate::live::inject));
    }
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
    let policy = csp_connecting_to(&site.connect_to);
    router.layer(SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(STRICT_CSP)),
    ))
}

/// [`STRICT_CSP`] with `origins` added to `connect-src`.
pub fn csp_connecting_to(origins: &[String]) -> String {
    let extra: String = origins.iter().map(|o| format!(" {o}")).collect();
    STRICT_CSP.replace("connect-src 'self'", &format!("connect-src 'self'{extra}"))
}

/// The origin (`https://relay.example.com`) of an absolute URL; `None` for a relative one.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty() && matches!(scheme, "http" | "https")).then(|| format!("{scheme}://{host}"))
}
