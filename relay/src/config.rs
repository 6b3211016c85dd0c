//! `relay.toml`: where the relay listens, where it keeps tickets, where it sends them.
//!
//! Secrets never live in the file: a destination names the environment variable that holds
//! its credential (`secret_env = "FIXPATH_WEBHOOK_SECRET"`), and [`RelayConfig::load`]
//! reads them all at start, so a missing one stops the relay before it accepts a ticket
//! it could never deliver.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::destination::DestinationConfig;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelayConfig {
    /// Address to listen on; behind a reverse proxy, keep it on loopback.
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    #[serde(default)]
    pub store: StoreConfig,
    #[serde(default)]
    pub delivery: DeliverySettings,
    #[serde(default)]
    pub retention: RetentionConfig,
    #[serde(default, rename = "destination")]
    pub destinations: Vec<DestinationConfig>,
    #[serde(default, rename = "route")]
    pub routes: Vec<RouteConfig>,
    #[serde(default)]
    pub limits: crate::limits::LimitsConfig,
    #[serde(default)]
    pub inbox: crate::team_inbox::InboxConfig,
    #[serde(default)]
    pub insights: crate::insights::InsightsConfig,
    #[serde(default)]
    pub log: LogConfig,
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8787))
}

/// `[store]`: SQLite by default (a file beside the config); Postgres when several relay
/// instances share the work.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// The SQLite database file, relative to the config file (`relay.db` by default).
    pub sqlite: Option<PathBuf>,
    /// The environment variable holding a Postgres connection URL (it carries a password,
    /// so it is never in the file).
    pub postgres_url_env: Option<String>,
}

/// `[delivery]`: how hard the relay tries.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliverySettings {
    /// Attempts before a delivery is marked failed (it stays in the inbox, where
    /// "retry now" starts it again).
    pub max_attempts: u32,
    /// Wait after the first failure; each further failure doubles it…
    pub first_retry_seconds: u64,
    /// …up to this.
    pub max_retry_seconds: u64,
    /// Deliveries in flight at once, per relay instance.
    pub concurrency: usize,
    /// Longest wait for a help desk's answer.
    pub timeout_seconds: u64,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        DeliverySettings {
            max_attempts: 25,
            first_retry_seconds: 10,
            max_retry_seconds: 3600,
            concurrency: 8,
            timeout_seconds: 20,
        }
    }
}

/// `[retention]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionConfig {
    /// Tickets delivered everywhere are deleted (attachments included) this many days
    /// after their last delivery.
    pub delivered_days: u32,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        RetentionConfig { delivered_days: 30 }
    }
}

/// `[[route]]`: tickets matching `severity` (or every ticket, when it is left out) go to
/// each destination in `to`. The first matching route wins.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteConfig {
    pub severity: Option<fixpath_engine::triage::Severity>,
    pub to: Vec<String>,
}

/// `[log]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `text` (default) or `json`, one object per line for log collectors.
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Where tickets are kept, resolved.
#[derive(Debug, Clone)]
pub enum StoreLocation {
    Sqlite(PathBuf),
    Postgres(Secret),
}

/// A credential read from the environment. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The environment the secrets are read from (a map in tests).
pub trait Env {
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

impl Env for BTreeMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

/// Reads the secret in `name`, or says which variable to set and for what.
pub fn secret(env: &dyn Env, name: &str, what: &str) -> Result<Secret> {
    match env.var(name) {
        Some(value) => Ok(Secret(value)),
        None => bail!("{what}: set the environment variable {name}"),
    }
}

impl RelayConfig {
    /// Reads and checks `path`. Errors name the file and line.
    pub fn load(path: &Path) -> Result<RelayConfig> {
        let source =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        RelayConfig::parse(&source).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))
    }

    /// Parses a config; the error starts with the line number (`12: unknown field …`).
    pub fn parse(source: &str) -> Result<RelayConfig, String> {
        let config: RelayConfig = toml::from_str(source).map_err(|e| {
            let start = e.span().map_or(0, |s| s.start);
            // A destination is read as a whole to find its `kind`, so its errors span the
            // whole table; the unknown name they quote is the better place.
            let quoted = e
                .message()
                .strip_prefix("unknown field `")
                .and_then(|rest| rest.split('`').next());
            let at = quoted
                .and_then(|name| source[start..].find(name).map(|i| start + i))
                .unwrap_or(start);
            let line = source[..at].matches('\n').count() + 1;
            format!("{line}: {}", e.message())
        })?;
        config.check().map_err(|(needle, message)| {
            let line = source
                .lines()
                .position(|l| l.contains(&needle))
                .map_or(1, |n| n + 1);
            format!("{line}: {message}")
        })?;
        Ok(config)
    }

    /// Names that must agree: destinations are unique, routes name known destinations.
    /// On failure, a text to find the line by and the message.
    fn check(&self) -> Result<(), (String, String)> {
        let mut names = std::collections::BTreeSet::new();
        for d in &self.destinations {
            if !names.insert(d.name()) {
                return Err((
                    format!("\"{}\"", d.name()),
                    format!("two destinations are named \"{}\"", d.name()),
                ));
            }
        }
        for route in &self.routes {
            if route.to.is_empty() {
                return Err((
                    "to".into(),
                    "a route must send to at least one destination".into(),
                ));
            }
            for name in &route.to {
                if !names.contains(name.as_str()) {
                    let known: Vec<_> = names.iter().copied().collect();
                    return Err((
                        format!("\"{name}\""),
                        format!(
                            "route to unknown destination \"{name}\" (destinations: {})",
                            known.join(", ")
                        ),
                    ));
                }
            }
        }
        if self.store.sqlite.is_some() && self.store.postgres_url_env.is_some() {
            return Err((
                "postgres_url_env".into(),
                "[store] takes sqlite or postgres_url_env, not both".into(),
            ));
        }
        if self.delivery.max_attempts == 0 || self.delivery.concurrency == 0 {
            return Err((
                "[delivery]".into(),
                "max_attempts and concurrency must be at least 1".into(),
            ));
        }
        Ok(())
    }

    /// Where tickets are kept; a relative SQLite path is relative to `config_dir`.
    pub fn store_location(&self, config_dir: &Path, env: &dyn Env) -> Result<StoreLocation> {
        if let Some(var) = &self.store.postgres_url_env {
            return Ok(StoreLocation::Postgres(secret(
                env,
                var,
                "[store] postgres_url_env",
            )?));
        }
        let file = self
            .store
            .sqlite
            .clone()
            .unwrap_or_else(|| "relay.db".into());
        Ok(StoreLocation::Sqlite(config_dir.join(file)))
    }

    /// The destinations a ticket of `severity` goes to: the first matching route's, or
    /// every destination when no route is configured.
    pub fn destinations_for(&self, severity: fixpath_engine::triage::Severity) -> Vec<String> {
        if self.routes.is_empty() {
            return self
                .destinations
                .iter()
                .map(|d| d.name().to_string())
                .collect();
        }
        self.routes
            .iter()
            .find(|r| r.severity.is_none_or(|s| s == severity))
            .map(|r| r.to.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fixpath_engine::triage::Severity;

    const CONFIG: &str = r#"
listen = "127.0.0.1:9000"

[[destination]]
name = "pager"
kind = "webhook"
url = "https://hooks.example.com/fixpath"
secret_env = "PAGER_SECRET"

[[destination]]
name = "desk"
kind = "webhook"
url = "https://desk.example.com/in"
secret_env = "DESK_SECRET"

[[route]]
severity = "critical"
to = ["pager", "desk"]

[[route]]
to = ["desk"]
"#;

    #[test]
    fn routes_send_critical_tickets_to_more_places() {
        let config = RelayConfig::parse(CONFIG).unwrap();
        assert_eq!(
            config.destinations_for(Severity::Critical),
            ["pager", "desk"]
        );
        assert_eq!(config.destinations_for(Severity::Minor), ["desk"]);
        assert_eq!(config.listen.port(), 9000);
    }

    #[test]
    fn without_routes_every_destination_gets_every_ticket() {
        let source = CONFIG.split("[[route]]").next().unwrap();
        let config = RelayConfig::parse(source).unwrap();
        assert_eq!(config.destinations_for(Severity::Minor), ["pager", "desk"]);
    }

    #[test]
    fn mistakes_name_their_line() {
        let unknown = CONFIG.replace("to = [\"desk\"]", "to = [\"dsek\"]");
        let err = RelayConfig::parse(&unknown).unwrap_err();
        assert!(
            err.starts_with("21: route to unknown destination \"dsek\""),
            "{err}"
        );
        let typo = CONFIG.replace("secret_env = \"DESK", "secret_evn = \"DESK");
        let err = RelayConfig::parse(&typo).unwrap_err();
        assert!(err.starts_with("14: unknown field `secret_evn`"), "{err}");
        let twice = CONFIG.replace("name = \"desk\"", "name = \"pager\"");
        let err = RelayConfig::parse(&twice).unwrap_err();
        assert!(
            err.contains("two destinations are named \"pager\""),
            "{err}"
        );
    }

    #[test]
    fn secrets_come_from_the_environment_and_never_print() {
        let env = BTreeMap::from([(
            "DB".to_string(),
            "postgres://u:hunter2@db/relay".to_string(),
        )]);
        let mut config = RelayConfig::parse("").unwrap();
        assert!(matches!(
            config.store_location(Path::new("/etc/fixpath"), &env).unwrap(),
            StoreLocation::Sqlite(p) if p == Path::new("/etc/fixpath/relay.db")
        ));
        config.store.postgres_url_env = Some("DB".into());
        let location = config.store_location(Path::new("."), &env).unwrap();
        assert!(!format!("{location:?}").contains("hunter2"));
        config.store.postgres_url_env = Some("MISSING".into());
        let err = config.store_location(Path::new("."), &env).unwrap_err();
        assert_eq!(
            err.to_string(),
            "[store] postgres_url_env: set the environment variable MISSING"
        );
    }
}
