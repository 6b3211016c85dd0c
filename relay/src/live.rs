//! Live preview for docs writers (`cargo xtask demo --watch`): the kb folder is watched, a
//! change triggers a rebuild, and a successful rebuild reloads the demo pages. A failed
//! rebuild reloads nothing: the writer reads the diagnostics in the console and the page
//! keeps the last good bundle (the indexer never replaces a bundle with a broken one).
//!
//! The page learns about rebuilds over Server-Sent Events from `/__fixpath/live` (allowed
//! by the strict CSP's `connect-src 'self'`), through a script served from
//! `/__fixpath/live-reload.js` that is added to the demo pages only in this mode.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use tokio::sync::watch;

/// The script tag added to each demo page.
const SCRIPT_TAG: &str = r#"<script type="module" src="/__fixpath/live-reload.js"></script>"#;

/// Reloads the page when the generation it was served with changes.
const SCRIPT: &str =
    "// Live reload (cargo xtask demo --watch): the kb was rebuilt, show the new bundle.\n\
let seen;\n\
new EventSource('/__fixpath/live').onmessage = (event) => {\n\
  if (seen !== undefined && event.data !== seen) location.reload();\n\
  seen = event.data;\n\
};\n";

/// The event stream and the script. `generation` counts successful rebuilds.
pub fn routes(generation: watch::Receiver<u64>) -> Router {
    let events = move || {
        let rx = generation.clone();
        async move {
            // The current generation at once, then each new one.
            let stream = futures_util::stream::unfold((rx, true), |(mut rx, first)| async move {
                if !first && rx.changed().await.is_err() {
                    return None;
                }
                let current = *rx.borrow_and_update();
                let event = Event::default().data(current.to_string());
                Some((Ok::<_, Infallible>(event), (rx, false)))
            });
            Sse::new(stream).keep_alive(KeepAlive::default())
        }
    };
    Router::new().route("/__fixpath/live", get(events)).route(
        "/__fixpath/live-reload.js",
        get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], SCRIPT) }),
    )
}

/// Serves `file` with the live-reload script added to its `<head>`.
pub async fn page(file: PathBuf) -> impl IntoResponse {
    match tokio::fs::read_to_string(&file).await {
        Ok(html) => {
            Html(html.replacen("</head>", &format!("{SCRIPT_TAG}\n</head>"), 1)).into_response()
        }
        Err(e) => (
            axum::http::StatusCode::NOT_FOUND,
            format!("{}: {e}", file.display()),
        )
            .into_response(),
    }
}

/// Watches `kb` on a background thread: after each change (once the folder has been
/// quiet for a moment, so a save that writes several files rebuilds once) it calls
/// `rebuild`, and bumps `generation` when that succeeds.
///
/// The folder is polled rather than subscribed to: a kb is a few hundred small files, a
/// scan takes well under a millisecond, and polling sees every way editors save (rename
/// over, write in place, new folders) on every platform.
pub fn watch_kb(
    kb: PathBuf,
    generation: watch::Sender<u64>,
    rebuild: impl Fn() -> bool + Send + 'static,
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
            if rebuild() {
                generation.send_modify(|g| *g += 1);
            }
            if generation.is_closed() {
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
    fn a_change_rebuilds_once_and_bumps_the_generation_only_on_success() {
        let kb = tempfile::tempdir().unwrap();
        std::fs::write(kb.path().join("a.md"), "# A\n").unwrap();
        let (tx, rx) = watch::channel(0u64);
        let (calls_tx, calls) = std::sync::mpsc::channel();
        let succeed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let outcome = succeed.clone();
        watch_kb(kb.path().to_path_buf(), tx, move || {
            calls_tx.send(()).unwrap();
            outcome.load(std::sync::atomic::Ordering::SeqCst)
        });
        std::thread::sleep(Duration::from_millis(300));

        std::fs::write(kb.path().join("a.md"), "# A, edited\n").unwrap();
        std::fs::create_dir(kb.path().join("new")).unwrap();
        std::fs::write(kb.path().join("new/b.md"), "# B\n").unwrap();
        calls.recv_timeout(Duration::from_secs(5)).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(*rx.borrow(), 1);

        succeed.store(false, std::sync::atomic::Ordering::SeqCst);
        std::fs::write(kb.path().join("a.md"), "---\nbroken\n").unwrap();
        calls.recv_timeout(Duration::from_secs(5)).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(*rx.borrow(), 1, "a failed rebuild reloads nothing");
        assert!(
            calls.try_recv().is_err(),
            "one rebuild per change, however many files it touched"
        );
    }
}
