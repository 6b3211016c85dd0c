//! Harness for the end-to-end journeys: serves the demo pages (`demo/`) and the help folder
//! `fixpath build` wrote (at `/help/`) with a real ticket receiver, starts chromedriver,
//! and drives headless Chromium through the widget's shadow DOM by `data-testid`.
//!
//! Needs the help folder (`cargo xtask test` builds it with the release `fixpath` and sets
//! `FIXPATH_DIST`) and chromedriver (`CHROMEDRIVER`, default `/usr/bin/chromedriver`). The
//! journeys are compiled only with the `e2e` feature, which `cargo xtask test` turns on.

pub mod help_desks;
pub mod hosting;
pub mod postgres;
pub mod process;
pub mod relay_load;
pub mod relay_process;
pub mod widget_page;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use fixpath_engine::ticket::Ticket;
use fixpath_relay::preview_insights::InsightsFile;
use fixpath_relay::store::TicketStore;
use fixpath_relay::Faults;

/// Flags Chromium needs headless, as root, on a machine without a network.
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1000,1400",
];

/// One running demo site + browser session. Dropping it stops chromedriver.
pub struct Harness {
    pub client: Client,
    pub base_url: String,
    /// The receiver's fault injection (make the next sends fail) and request count.
    pub faults: Arc<Faults>,
    /// The site's insights receiver (`/v1/events`, `/__fixpath/insights`).
    pub insights: Arc<InsightsFile>,
    /// Bodies received by the Zendesk stand-in at `/zendesk/api/v2/requests.json`.
    pub zendesk: Arc<Mutex<Vec<serde_json::Value>>>,
    data_dir: tempfile::TempDir,
    chromedriver: Child,
    _server: tokio::task::JoinHandle<()>,
}

impl Harness {
    /// Starts the demo site (on a free port, with an empty ticket store) and a browser.
    pub async fn start() -> Result<Harness> {
        Harness::start_with_kb(None).await
    }

    /// Like [`Harness::start`], with the page's kb bundle replaced by `kb`.
    pub async fn start_with_kb(kb: Option<PathBuf>) -> Result<Harness> {
        Harness::start_with(kb, serde_json::json!({})).await
    }

    /// Like [`Harness::start_with_kb`], Chromium started with the preferences `prefs`
    /// (`{"enable_do_not_track": true}`: the setting "Send a Do Not Track request").
    pub async fn start_with(kb: Option<PathBuf>, prefs: serde_json::Value) -> Result<Harness> {
        let data_dir = tempfile::tempdir()?;
        let store = TicketStore::open(data_dir.path())?;
        let site = fixpath_relay::SiteConfig {
            pages: fixpath_relay::Pages::Folder(repo_root().join("demo")),
            help: dist_dir()?,
            kb,
            live: None,
            cross_origin_isolated: false,
            connect_to: Vec::new(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr: SocketAddr = listener.local_addr()?;
        let faults = Arc::new(Faults::default());
        let zendesk = Arc::new(Mutex::new(Vec::new()));
        let recorder = zendesk.clone();
        // A stand-in for Zendesk's Requests API, for kbs that deliver there.
        let fake_zendesk = axum::routing::post(
            move |axum::Json(body): axum::Json<serde_json::Value>| async move {
                recorder.lock().unwrap().push(body.clone());
                (axum::http::StatusCode::CREATED, axum::Json(body))
            },
        );
        let insights = Arc::new(InsightsFile::open(data_dir.path())?);
        let router = fixpath_relay::app(store, insights.clone(), Some(site), faults.clone())
            .route("/zendesk/api/v2/requests.json", fake_zendesk);
        let server = tokio::spawn(async move {
            let _ = fixpath_relay::serve(listener, router).await;
        });

        let (chromedriver, client) = start_browser_with(prefs).await?;
        Ok(Harness {
            client,
            base_url: format!("http://{addr}/"),
            faults,
            insights,
            zendesk,
            data_dir,
            chromedriver,
            _server: server,
        })
    }

    /// Takes the browser off the network (or back on), as a lost connection would: requests
    /// fail and the page gets `offline` / `online` events.
    pub async fn set_offline(&self, offline: bool) -> Result<()> {
        self.client
            .issue_cmd(Cdp {
                cmd: "Network.enable",
                params: serde_json::json!({}),
            })
            .await?;
        let conditions = serde_json::json!({
            "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1,
        });
        self.client
            .issue_cmd(Cdp {
                cmd: "Network.emulateNetworkConditions",
                params: conditions,
            })
            .await?;
        Ok(())
    }

    /// Makes every request whose URL matches one of `patterns` (`*` wildcards) fail, as a
    /// server that lost a file would; an empty list lifts the block.
    pub async fn block_urls(&self, patterns: &[String]) -> Result<()> {
        for (cmd, params) in [
            ("Network.enable", serde_json::json!({})),
            (
                "Network.setBlockedURLs",
                serde_json::json!({ "urls": patterns }),
            ),
        ] {
            self.client.issue_cmd(Cdp { cmd, params }).await?;
        }
        Ok(())
    }

    /// Makes every page from now on see `navigator.globalPrivacyControl == true`, as a
    /// browser or extension that sends Global Privacy Control does.
    pub async fn send_global_privacy_control(&self) -> Result<()> {
        let script = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });";
        self.client
            .issue_cmd(Cdp {
                cmd: "Page.addScriptToEvaluateOnNewDocument",
                params: serde_json::json!({ "source": script }),
            })
            .await?;
        Ok(())
    }

    /// Makes the page see `prefers-color-scheme: dark` (or light), as a system in dark mode
    /// would; the widget's styles follow it.
    pub async fn set_dark_mode(&self, dark: bool) -> Result<()> {
        emulate_dark_mode(&self.client, dark).await
    }

    /// Emulates a viewport `width` × `height` CSS pixels wide (a phone, or a desktop at 400%
    /// zoom when 320 wide).
    pub async fn set_viewport(&self, width: u32, height: u32) -> Result<()> {
        self.client
            .issue_cmd(Cdp {
                cmd: "Emulation.setDeviceMetricsOverride",
                params: serde_json::json!({
                    "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false,
                }),
            })
            .await?;
        Ok(())
    }

    /// Runs `journey` against a fresh harness (with `kb` as the page's bundle, if given) and
    /// always closes the browser, whatever the journey's outcome.
    pub async fn run(
        kb: Option<PathBuf>,
        journey: impl AsyncFnOnce(&Harness) -> Result<()>,
    ) -> Result<()> {
        let harness = Harness::start_with_kb(kb).await?;
        let result = journey(&harness).await;
        harness.close().await?;
        result
    }

    /// Tickets the receiver has stored so far.
    pub fn tickets(&self) -> Result<Vec<Ticket>> {
        TicketStore::open(self.data_dir.path())?.all()
    }

    /// Ends the browser session (call before drop for a clean exit).
    pub async fn close(mut self) -> Result<()> {
        let _ = self.client.clone().close().await;
        let _ = self.chromedriver.kill();
        Ok(())
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

/// Starts chromedriver and a headless Chromium session. On a loaded machine chromedriver
/// sometimes stops answering before its first session (seen as "client error (Connect)"
/// once it had been listening): then it is started again, on a new port, up to three times.
pub async fn start_browser() -> Result<(Child, Client)> {
    start_browser_with(serde_json::json!({})).await
}

/// [`start_browser`], Chromium started with the preferences `prefs`.
pub async fn start_browser_with(prefs: serde_json::Value) -> Result<(Child, Client)> {
    let mut tries = 0;
    loop {
        let (mut chromedriver, driver_url) = start_chromedriver().await?;
        let e = match start_session(&driver_url, &prefs).await {
            Ok(client) => return Ok((chromedriver, client)),
            Err(e) => e,
        };
        let _ = chromedriver.kill();
        let _ = chromedriver.wait();
        if tries == 2 {
            return Err(e);
        }
        tries += 1;
        eprintln!("no Chromium session ({e:#}); starting chromedriver again");
    }
}

/// A headless Chromium session from the chromedriver at `driver_url`.
async fn start_session(driver_url: &str, prefs: &serde_json::Value) -> Result<Client> {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "args": CHROMIUM_ARGS, "binary": "/usr/bin/chromium", "prefs": prefs }),
    );
    // chromedriver can accept connections a moment before it serves them: on a busy
    // machine the first session request sometimes finds nobody home. Ask again.
    let mut attempt = 0;
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(driver_url)
            .await
        {
            Ok(client) => return Ok(client),
            Err(e) if attempt < 3 => {
                attempt += 1;
                eprintln!("chromedriver not ready ({e}); retrying");
                tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
            }
            Err(e) => return Err(e).context("starting a Chromium session"),
        }
    }
}

/// Copies a file or a folder with everything in it.
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(from, to).map(|_| ())
    }
}

/// A Chrome DevTools Protocol command, sent through chromedriver's `goog/cdp/execute`.
/// Makes the page in `client` see `prefers-color-scheme: dark` (or light).
pub(crate) async fn emulate_dark_mode(client: &Client, dark: bool) -> Result<()> {
    let scheme = if dark { "dark" } else { "light" };
    client
        .issue_cmd(Cdp {
            cmd: "Emulation.setEmulatedMedia",
            params: serde_json::json!({
                "features": [{ "name": "prefers-color-scheme", "value": scheme }],
            }),
        })
        .await?;
    Ok(())
}

#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

async fn start_chromedriver() -> Result<(Child, String)> {
    let path = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new(&path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {} (install chromium-driver)", path.display()))?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if Instant::now() > deadline {
            bail!("chromedriver did not start listening on port {port}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok((child, format!("http://127.0.0.1:{port}")))
}

/// The demo kb's help folder (FIXPATH_DIST), checked to hold a widget.
pub fn dist_dir() -> Result<PathBuf> {
    let dist = std::env::var_os("FIXPATH_DIST")
        .map(PathBuf::from)
        .context("FIXPATH_DIST is not set: run the journeys through `cargo xtask test`")?;
    if !dist.join("fixpath.js").exists() {
        bail!("{} has no built widget", dist.display());
    }
    Ok(dist)
}

/// The `fixpath` binary the journeys run (the release build, FIXPATH_BIN).
/// The widget's files as the demo help folder's loader names them.
pub fn widget_files() -> Result<fixpath_engine::loader_files::LoaderFiles> {
    let loader = std::fs::read_to_string(dist_dir()?.join("fixpath.js"))?;
    fixpath_engine::loader_files::LoaderFiles::from_loader(&loader)
        .context("the demo help folder's loader names no widget files")
}

pub fn fixpath_bin() -> Result<PathBuf> {
    std::env::var_os("FIXPATH_BIN")
        .map(PathBuf::from)
        .context("FIXPATH_BIN is not set: run this through `cargo xtask test`")
}

/// The kb bundle `cargo xtask test` built from `tests/fixtures/kbs/NAME`.
pub fn fixture_bundle(name: &str) -> Result<PathBuf> {
    let dir = std::env::var_os("FIXPATH_FIXTURE_BUNDLES")
        .map(PathBuf::from)
        .context("FIXPATH_FIXTURE_BUNDLES is not set: run this through `cargo xtask test`")?
        .join(name)
        .join("kb");
    if !dir.join("manifest.json").exists() {
        bail!("no fixture bundle at {}", dir.display());
    }
    Ok(dir)
}

pub fn repo_root() -> PathBuf {
    // Read at run time (cargo sets it for tests): with a target dir shared between
    // checkouts, the compile-time value can name another checkout.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let tests_dir = manifest_dir.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    tests_dir
        .parent()
        .expect("tests/ is inside the repo")
        .to_path_buf()
}
