//! The relay as a running service: the config read, the store opened, the destinations
//! built with their secrets, the API routes, the delivery worker and the retention sweep.
//! `fixpath relay --config relay.toml` is [`run`].

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use fixpath_engine::insights::day_of;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use crate::api::{self, Api};
use crate::config::{secret, Env, LogFormat, ProcessEnv, RelayConfig, StoreLocation};
use crate::destination::Destination;
use crate::insights;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::proof_of_work::ProofOfWork;
use crate::queue::{PostgresQueue, Queue, SqliteQueue};
use crate::team_inbox;
use crate::worker::{now_ms, Worker};

/// How often delivered tickets past retention are looked for.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// A started relay: its routes to serve, and the background tasks to stop.
pub struct Relay {
    pub router: Router,
    pub store: String,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Relay {
    /// Opens the store and starts delivering. `config_dir` anchors relative paths.
    pub async fn start(config: RelayConfig, config_dir: &Path, env: &dyn Env) -> Result<Relay> {
        let mut destinations = BTreeMap::new();
        for d in &config.destinations {
            destinations.insert(d.name().to_string(), Destination::new(d, env)?);
        }
        let (queue, store) = match config.store_location(config_dir, env)? {
            StoreLocation::Sqlite(path) => {
                let queue = SqliteQueue::open(&path)?;
                (Queue::Sqlite(queue), format!("SQLite {}", path.display()))
            }
            StoreLocation::Postgres(url) => {
                // The API and the worker share the pool; the worker holds at most one
                // connection per delivery in flight.
                let connections = config.delivery.concurrency + 8;
                let queue = PostgresQueue::connect(url.expose(), connections).await?;
                (Queue::Postgres(queue), "Postgres".to_string())
            }
        };
        let queue = Arc::new(queue);
        let metrics = Arc::new(Metrics::default());
        let wake = Arc::new(Notify::new());
        let (stop, stopped) = watch::channel(false);
        let settings = config.delivery.clone();
        let retention = Retention {
            delivered_days: config.retention.delivered_days,
            insights_days: config.insights.keep_days,
        };
        let worker = Worker {
            queue: queue.clone(),
            destinations: Arc::new(destinations),
            http: http_client(&settings)?,
            settings,
            instance: instance_name(),
            metrics: metrics.clone(),
            wake: wake.clone(),
        };
        let tasks = vec![
            tokio::spawn(worker.run(stopped.clone())),
            tokio::spawn(purge(queue.clone(), retention, stopped)),
        ];
        if config.limits.allowed_origins.is_empty() {
            tracing::warn!("[limits] allowed_origins is empty: pages on any site can send tickets");
        }
        let inbox = match &config.inbox.password_env {
            Some(var) => {
                let password = secret(env, var, "[inbox] password_env")?;
                team_inbox::routes(
                    queue.clone(),
                    wake.clone(),
                    password.expose(),
                    &config.inbox,
                    config.insights.min_pages,
                )
            }
            None => Router::new(),
        };
        let proof_of_work = match &config.limits.proof_of_work {
            Some(pow) => {
                let key = match &pow.key_env {
                    Some(var) => Some(secret(env, var, "[limits.proof_of_work] key_env")?),
                    None => None,
                };
                Some(Arc::new(ProofOfWork::new(
                    pow,
                    key.as_ref().map(|k| k.expose()),
                )))
            }
            None => None,
        };
        let limits = Arc::new(Limits::new(config.limits.clone()));
        let insights = insights::routes(&config.insights, queue.clone(), limits.clone());
        let router = api::routes(Api {
            queue,
            proof_of_work,
            limits,
            config: Arc::new(config),
            metrics,
            wake,
        })
        .merge(inbox)
        .merge(insights);
        Ok(Relay {
            router,
            store,
            stop,
            tasks,
        })
    }

    /// Stops taking new deliveries and waits for those in flight.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// `fixpath relay --config PATH`: serves until interrupted (Ctrl-C or SIGTERM), then
/// finishes the deliveries in flight. `listen` overrides the config's address.
pub async fn run(config_path: &Path, listen: Option<SocketAddr>) -> Result<()> {
    let config = RelayConfig::load(config_path)?;
    init_logging(config.log.format);
    let listen = listen.unwrap_or(config.listen);
    let destinations = config.destinations.len();
    let config_dir = config_path.parent().unwrap_or(Path::new("."));
    let relay = Relay::start(config, config_dir, &ProcessEnv).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let address = listener.local_addr()?;
    // Scripts and tests wait for this line; the port is the real one when 0 was asked for.
    println!(
        "Relay listening on http://{address} ({}; {destinations} destination{})",
        relay.store,
        if destinations == 1 { "" } else { "s" }
    );
    // The client's address feeds the per-address rate limit.
    let app = relay
        .router
        .clone()
        .into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("stopping: finishing the deliveries in flight");
    relay.stop().await;
    Ok(())
}

/// The client adapters send with: rustls with the system's roots, no cookies, a timeout.
pub fn http_client(settings: &crate::config::DeliverySettings) -> Result<reqwest::Client> {
    // Several crates may try to choose; the first choice stands.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(concat!("fixpath-relay/", env!("CARGO_PKG_VERSION")))
        .timeout(Duration::from_secs(settings.timeout_seconds))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .context("creating the HTTP client")
}

/// Host, process and a random tag: distinct for every relay process, restarts included.
fn instance_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "relay".to_string());
    format!("{host}-{}-{:04x}", std::process::id(), fastrand::u16(..))
}

/// How long things are kept, in days.
#[derive(Clone, Copy)]
struct Retention {
    delivered_days: u32,
    insights_days: u32,
}

/// Deletes delivered tickets and insights past retention, at start and then hourly.
async fn purge(queue: Arc<Queue>, retention: Retention, mut stop: watch::Receiver<bool>) {
    loop {
        let days = retention.delivered_days;
        let before = now_ms() - i64::from(days) * 86_400_000;
        match queue.purge_delivered(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(tickets = n, days, "purged delivered tickets past retention"),
            Err(e) => {
                tracing::error!(error = %format!("{e:#}"), "could not purge delivered tickets")
            }
        }
        let days = retention.insights_days;
        let first_kept = day_of(now_ms() - i64::from(days) * 86_400_000);
        match queue.forget_insights_before(&first_kept).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(days = n, "deleted insights past retention"),
            Err(e) => tracing::error!(error = %format!("{e:#}"), "could not delete old insights"),
        }
        tokio::select! {
            () = tokio::time::sleep(PURGE_EVERY) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Logs to stderr: readable text, or one JSON object per line. `RUST_LOG` filters
/// (`info` by default).
fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("installing the SIGTERM handler");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}
