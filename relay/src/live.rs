//! Live preview for docs writers (`fixpath serve`): the kb folder is watched, a change
//! triggers a rebuild, and a successful rebuild reloads the preview pages. A failed rebuild
//! reloads nothing: the page keeps the last good bundle and shows the problems over it,
//! as the terminal does (the indexer never replaces a bundle with a broken one).
//!
//! Pages learn about rebuilds (and new tickets, for the inbox) over Server-Sent Events
//! from `/__fixpath/live`, allowed by the strict CSP's `connect-src 'self'`, through
//! `/__fixpath/live.js`, which [`inject`] adds to every HTML page in this mode.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use tokio::sync::watch;

/// What the preview pages follow about the kb.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LiveState {
    /// Successful builds so far: pages reload when it moves.
    pub build: u64,
    /// The problems of the last build when it failed (empty after a good one), one
    /// `file:line:col: severity: message` line each.
    pub problems: Vec<String>,
    /// No build has succeeded yet: the pages show a kb without articles, not a last good
    /// build.
    pub never_built: bool,
}

/// What a page is sent: the kb's state and the tickets stored so far.
#[derive(Serialize)]
struct LiveEvent<'a> {
    #[serde(flatten)]
    kb: &'a LiveState,
    tickets: u64,
}

/// Tags added to each HTML page's `<head>`.
const HEAD_TAGS: &str = r#"<link rel="stylesheet" href="/__fixpath/live.css"><script type="module" src="/__fixpath/live.js"></script>"#;

const SCRIPT: &str = include_str!("../preview/live.js");
const STYLE: &str = include_str!("../preview/live.css");

/// The event stream, the script and its styles.
pub fn routes(kb: watch::Receiver<LiveState>, tickets: watch::Receiver<u64>) -> Router {
    let events = move || {
        let (kb, tickets) = (kb.clone(), tickets.clone());
        async move {
            // The current state at once, then again after each change of either.
            let stream = futures_util::stream::unfold(
                (kb, tickets, true),
                |(mut kb, mut tickets, first)| async move {
                    if !first {
                        tokio::select! {
                            changed = kb.changed() => changed.ok()?,
                            changed = tickets.changed() => changed.ok()?,
                        }
                    }
                    let data = serde_json::to_string(&LiveEvent {
                        kb: &kb.borrow_and_update(),
                        tickets: *tickets.borrow_and_update(),
                    })
                    .unwrap_or_default();
                    let event = Event::default().data(data);
                    Some((Ok::<_, Infallible>(event), (kb, tickets, false)))
                },
            );
            Sse::new(stream).keep_alive(KeepAlive::default())
        }
    };
    Router::new()
        .route("/__fixpath/live", get(events))
        .route(
            "/__fixpath/live.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], SCRIPT) }),
        )
        .route(
            "/__fixpath/live.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css")], STYLE) }),
        )
}

/// Adds the live script to an HTML response (a middleware for the whole preview site).
pub async fn inject(response: Response) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 4 * 1024 * 1024).await else {
        return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let html =
        String::from_utf8_lossy(&bytes).replacen("</head>", &format!("{HEAD_TAGS}\n</head>"), 1);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(html))
}

/// Watches `kb` on a background thread: after each change (once the folder has been
/// quiet for a moment, so a save that writes several files rebuilds once) it calls
/// `rebuild`, and publishes the outcome in `state`: a new build, or the problems.
///
/// The folder is polled rather than subscribed to: a kb is a few hundred small files, a
/// scan takes well under a millisecond, and polling sees every way editors save (rename
/// over, write in place, new folders) on every platform.
pub fn watch_kb(
    kb: PathBuf,
    state: Arc<watch::Sender<LiveState>>,
    mut rebuild: impl FnMut() -> Result<(), Vec<String>> + Send + 'static,
) {
    const POLL: Duration = Duration::from_millis(250);
    std::thread::spawn(move || {
        let mut last = fingerprint(&kb);
        loop {
            std::thread::sleep(POLL);
            let now = fingerprint(&kb);
            if now == last {
                continue;
            }
            // Wait for the folder to settle.
            let mut settled = now;
            loop {
                std::thread::sleep(POLL);
                let again = fingerprint(&kb);
                if again == settled {
                    break;
                }
                settled = again;
            }
            last = settled;
            let outcome = rebuild();
            state.send_modify(|s| match outcome {
                Ok(()) => {
                    s.build += 1;
                    s.problems.clear();
                    s.never_built = false;
                }
                Err(problems) => s.problems = problems,
            });
            // Nobody follows the preview any more (its server is gone).
            if state.is_closed() {
                return;
            }
        }
    });
}

/// Every file under `dir` with its size and modification time, in path order.
fn fingerprint(dir: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                pending.push(entry.path());
            } else {
                out.push((entry.path(), meta.len(), meta.modified().ok()));
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_rebuilds_once_and_a_failure_keeps_the_build_but_shows_its_problems() {
        let kb = tempfile::tempdir().unwrap();
        std::fs::write(kb.path().join("a.md"), "# A\n").unwrap();
        let state = Arc::new(watch::Sender::new(LiveState::default()));
        let rx = state.subscribe();
        let (calls_tx, calls) = std::sync::mpsc::channel();
        let succeed = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let outcome = succeed.clone();
        watch_kb(kb.path().to_path_buf(), state.clone(), move || {
            calls_tx.send(()).unwrap();
            if outcome.load(std::sync::atomic::Ordering::SeqCst) {
                Ok(())
            } else {
                Err(vec!["kb/a.md:1:1: error: broken".to_string()])
            }
        });
        std::thread::sleep(Duration::from_millis(300));

        std::fs::write(kb.path().join("a.md"), "# A, edited\n").unwrap();
        std::fs::create_dir(kb.path().join("new")).unwrap();
        std::fs::write(kb.path().join("new/b.md"), "# B\n").unwrap();
        calls.recv_timeout(Duration::from_secs(5)).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(rx.borrow().build, 1);

        succeed.store(false, std::sync::atomic::Ordering::SeqCst);
        std::fs::write(kb.path().join("a.md"), "---\nbroken\n").unwrap();
        calls.recv_timeout(Duration::from_secs(5)).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(
            *rx.borrow(),
            LiveState {
                build: 1,
                problems: vec!["kb/a.md:1:1: error: broken".to_string()],
                never_built: false,
            },
            "a failed rebuild reloads nothing and says why"
        );
        assert!(
            calls.try_recv().is_err(),
            "one rebuild per change, however many files it touched"
        );

        succeed.store(true, std::sync::atomic::Ordering::SeqCst);
        std::fs::write(kb.path().join("a.md"), "# A, fixed\n").unwrap();
        calls.recv_timeout(Duration::from_secs(5)).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(
            *rx.borrow(),
            LiveState {
                build: 2,
                problems: vec![],
                never_built: false,
            }
        );
    }

    #[tokio::test]
    async fn the_live_script_goes_into_html_pages_only() {
        let page = Response::builder()
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .body(axum::body::Body::from(
                "<html><head><title>t</title></head></html>",
            ))
            .unwrap();
        let body = axum::body::to_bytes(inject(page).await.into_body(), 1 << 20)
            .await
            .unwrap();
        assert!(String::from_utf8_lossy(&body).contains("/__fixpath/live.js\"></script>\n</head>"));

        let script = Response::builder()
            .header(header::CONTENT_TYPE, "text/javascript")
            .body(axum::body::Body::from("</head>"))
            .unwrap();
        let body = axum::body::to_bytes(inject(script).await.into_body(), 1 << 20)
            .await
            .unwrap();
        assert_eq!(&body[..], b"</head>");
    }
}
