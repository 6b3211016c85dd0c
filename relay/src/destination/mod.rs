//! Where tickets go: one adapter per help desk, each speaking that vendor's published API.
//! An adapter turns a stored ticket into one request and says what came of it: delivered
//! (with the help desk's own id when it gives one), worth retrying, or refused for good.

pub mod body;
pub mod freshdesk;
pub mod github;
pub mod helpscout;
pub mod jira;
pub mod smtp;
pub mod webhook;
pub mod zammad;
pub mod zendesk;

use std::time::Duration;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::config::{secret, Env, Secret};

/// `[[destination]]` in `relay.toml`: a name routes refer to, and a `kind` with that
/// kind's settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DestinationConfig {
    /// A signed POST per the Standard Webhooks spec.
    Webhook(webhook::WebhookConfig),
    Zendesk(zendesk::ZendeskConfig),
    Freshdesk(freshdesk::FreshdeskConfig),
    Jira(jira::JiraConfig),
    Zammad(zammad::ZammadConfig),
    Github(github::GithubConfig),
    Helpscout(helpscout::HelpscoutConfig),
    Smtp(smtp::SmtpConfig),
}

impl DestinationConfig {
    pub fn name(&self) -> &str {
        match self {
            DestinationConfig::Webhook(c) => &c.name,
            DestinationConfig::Zendesk(c) => &c.name,
            DestinationConfig::Freshdesk(c) => &c.name,
            DestinationConfig::Jira(c) => &c.name,
            DestinationConfig::Zammad(c) => &c.name,
            DestinationConfig::Github(c) => &c.name,
            DestinationConfig::Helpscout(c) => &c.name,
            DestinationConfig::Smtp(c) => &c.name,
        }
    }
}

/// A destination ready to deliver: its settings and the secrets read for it.
pub struct Destination {
    pub name: String,
    adapter: Adapter,
}

enum Adapter {
    Webhook(webhook::Webhook),
    Zendesk(zendesk::Zendesk),
    Freshdesk(freshdesk::Freshdesk),
    Jira(jira::Jira),
    Zammad(zammad::Zammad),
    Github(github::Github),
    Helpscout(helpscout::Helpscout),
    Smtp(smtp::Smtp),
}

/// What a ticket carries to an adapter: the customer's ticket as the widget sent it, its
/// parsed form, and when the relay received it.
pub struct Parcel<'a> {
    pub ticket: &'a fixpath_engine::ticket::Ticket,
    /// The ticket JSON exactly as received (fields a newer widget added survive).
    pub raw: &'a str,
    /// Unix seconds.
    pub received_at: i64,
    /// 1 for the first attempt. A later one may follow an attempt whose answer was lost
    /// after the help desk acted, so adapters that can look for what it made do.
    pub attempt: u32,
}

/// A delivery the help desk accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    /// The help desk's id for what it created (a ticket number, an issue URL), when it
    /// says.
    pub external_id: Option<String>,
}

/// A delivery that did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The help desk or the network failed; try again later (no sooner than `after`
    /// when the help desk said so).
    Retry {
        reason: String,
        after: Option<Duration>,
    },
    /// The help desk refused this request (bad credentials, a field it rejects): retrying
    /// the same request cannot help, a person must look.
    Permanent { reason: String },
}

impl Failure {
    pub fn reason(&self) -> &str {
        match self {
            Failure::Retry { reason, .. } | Failure::Permanent { reason } => reason,
        }
    }

    /// Classifies a non-success HTTP answer: 408, 425, 429 and 5xx are worth retrying,
    /// any other 4xx is permanent. `body` is shortened: it may hold the help desk's
    /// explanation, and it is kept for the inbox.
    pub fn from_response(
        status: reqwest::StatusCode,
        retry_after: Option<Duration>,
        body: &str,
    ) -> Failure {
        let excerpt: String = body.chars().take(300).collect();
        let reason = format!("HTTP {}: {}", status.as_u16(), excerpt.trim());
        let retry = status.is_server_error() || matches!(status.as_u16(), 408 | 425 | 429);
        if retry {
            Failure::Retry {
                reason,
                after: retry_after,
            }
        } else {
            Failure::Permanent { reason }
        }
    }

    /// A request that got no answer (refused, reset, timed out) is retried.
    pub fn from_transport(error: &reqwest::Error) -> Failure {
        let kind = if error.is_timeout() {
            "timed out"
        } else if error.is_connect() {
            "could not connect"
        } else {
            "request failed"
        };
        // The error's own text may include the URL, which can hold a token in some
        // vendors' schemes; the kind and the host are enough to act on.
        let host = error
            .url()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        Failure::Retry {
            reason: format!("{kind} ({host})"),
            after: None,
        }
    }
}

impl Destination {
    /// Builds the destination, reading its secrets from `env`.
    pub fn new(config: &DestinationConfig, env: &dyn Env) -> Result<Destination> {
        let adapter = match config {
            DestinationConfig::Webhook(c) => Adapter::Webhook(webhook::Webhook::new(c, env)?),
            DestinationConfig::Zendesk(c) => Adapter::Zendesk(zendesk::Zendesk::new(c, env)?),
            DestinationConfig::Freshdesk(c) => {
                Adapter::Freshdesk(freshdesk::Freshdesk::new(c, env)?)
            }
            DestinationConfig::Jira(c) => Adapter::Jira(jira::Jira::new(c, env)?),
            DestinationConfig::Zammad(c) => Adapter::Zammad(zammad::Zammad::new(c, env)?),
            DestinationConfig::Github(c) => Adapter::Github(github::Github::new(c, env)?),
            DestinationConfig::Helpscout(c) => {
                Adapter::Helpscout(helpscout::Helpscout::new(c, env)?)
            }
            DestinationConfig::Smtp(c) => Adapter::Smtp(smtp::Smtp::new(c, env)?),
        };
        Ok(Destination {
            name: config.name().to_string(),
            adapter,
        })
    }

    pub async fn deliver(
        &self,
        http: &reqwest::Client,
        parcel: &Parcel<'_>,
    ) -> Result<Delivered, Failure> {
        match &self.adapter {
            Adapter::Webhook(a) => a.deliver(http, parcel).await,
            Adapter::Zendesk(a) => a.deliver(http, parcel).await,
            Adapter::Freshdesk(a) => a.deliver(http, parcel).await,
            Adapter::Jira(a) => a.deliver(http, parcel).await,
            Adapter::Zammad(a) => a.deliver(http, parcel).await,
            Adapter::Github(a) => a.deliver(http, parcel).await,
            Adapter::Helpscout(a) => a.deliver(http, parcel).await,
            Adapter::Smtp(a) => a.deliver(parcel).await,
        }
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare from APIs and treated as absent).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let seconds: u64 = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

/// Sends `request`; a 2xx answer's body comes back, anything else as a [`Failure`].
pub async fn send(request: reqwest::RequestBuilder) -> Result<String, Failure> {
    answer(
        request
            .send()
            .await
            .map_err(|e| Failure::from_transport(&e))?,
    )
    .await
}

/// A 2xx answer's body, or the [`Failure`] the status means.
pub async fn answer(response: reqwest::Response) -> Result<String, Failure> {
    let status = response.status();
    let after = retry_after(response.headers());
    let body = response.text().await.unwrap_or_default();
    if status.is_success() {
        Ok(body)
    } else {
        Err(Failure::from_response(status, after, &body))
    }
}

/// Sends `request` and reads the answer as JSON (an empty answer reads as `null`).
pub async fn send_json(request: reqwest::RequestBuilder) -> Result<serde_json::Value, Failure> {
    let body = send(request).await?;
    if body.trim().is_empty() {
        return Ok(serde_json::Value::Null);
    }
    serde_json::from_str(&body).map_err(|e| Failure::Retry {
        reason: format!("the answer is not JSON: {e}"),
        after: None,
    })
}

/// The secret in the environment variable `var`, named as destination `name`'s `key`
/// setting when it is missing.
pub fn credential(env: &dyn Env, name: &str, key: &str, var: &str) -> Result<Secret> {
    secret(env, var, &format!("destination \"{name}\" {key}"))
}

/// `url`, checked, without a trailing slash (API paths are appended to it).
pub fn base_url(name: &str, key: &str, url: &str) -> Result<String> {
    reqwest::Url::parse(url)
        .with_context(|| format!("destination \"{name}\": {key} {url:?} is not a URL"))?;
    Ok(url.trim_end_matches('/').to_string())
}

/// A ticket file's bytes. A file that is not base64 is a refusal retrying cannot fix (the
/// engine's checks let none through; this guards stored tickets).
pub fn attachment_bytes(a: &fixpath_engine::ticket_fields::Attachment) -> Result<Vec<u8>, Failure> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(&a.data_base64)
        .map_err(|_| Failure::Permanent {
            reason: format!("attachment {} is not base64", a.name),
        })
}

/// `Basic base64(user:password)`.
pub fn basic_auth(user: &str, password: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    #[test]
    fn server_errors_and_rate_limits_are_retried_other_refusals_are_not() {
        let retried = |code: u16| {
            matches!(
                Failure::from_response(StatusCode::from_u16(code).unwrap(), None, ""),
                Failure::Retry { .. }
            )
        };
        assert!(retried(500) && retried(503) && retried(429) && retried(408));
        assert!(!retried(400) && !retried(401) && !retried(403) && !retried(422));
        let long = "x".repeat(5000);
        let failure = Failure::from_response(StatusCode::UNAUTHORIZED, None, &long);
        assert!(failure.reason().starts_with("HTTP 401: xxx") && failure.reason().len() < 320);
    }
}
