//! GitHub issues (`POST /repos/{owner}/{repo}/issues`, a token with issues write): the
//! reference in the title, the ticket as Markdown, labels for the source and the severity.
//! A retry first lists the repository's `fixpath` issues updated since the ticket arrived
//! (the issues list is consistent at once, unlike search) and finds the reference in a
//! title: no duplicates.
//!
//! Issues are often public: the customer's name, email and environment are left out
//! unless `contact_details = true` (for a private repository); the team finds them in the
//! relay's inbox by the reference.

use anyhow::Result;
use fixpath_engine::triage::{DeskPriority, Severity};
use serde::Deserialize;
use serde_json::json;

use super::{base_url, body, credential, send_json, Delivered, Failure, Parcel};
use crate::config::Env;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GithubConfig {
    pub name: String,
    /// `owner/name`
    pub repo: String,
    pub token_env: String,
    /// GitHub Enterprise Server: `https://HOST/api/v3`.
    #[serde(default = "default_api")]
    pub api_url: String,
    /// Put the customer's name, email and environment in the issue (private repositories).
    #[serde(default)]
    pub contact_details: bool,
}

fn default_api() -> String {
    "https://api.github.com".to_string()
}

pub struct Github {
    issues: String,
    auth: String,
    contact_details: bool,
}

impl Github {
    pub fn new(config: &GithubConfig, env: &dyn Env) -> Result<Github> {
        let token = credential(env, &config.name, "token_env", &config.token_env)?;
        if config.repo.split('/').filter(|p| !p.is_empty()).count() != 2 {
            anyhow::bail!(
                "destination \"{}\": repo {:?} is not owner/name",
                config.name,
                config.repo
            );
        }
        Ok(Github {
            issues: format!(
                "{}/repos/{}/issues",
                base_url(&config.name, "api_url", &config.api_url)?,
                config.repo
            ),
            auth: format!("Bearer {}", token.expose()),
            contact_details: config.contact_details,
        })
    }

    fn request(&self, builder: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        builder
            .header("authorization", &self.auth)
            .header("accept", "application/vnd.github+json")
            .header("x-github-api-version", "2022-11-28")
    }

    pub async fn deliver(
        &self,
        http: &reqwest::Client,
        parcel: &Parcel<'_>,
    ) -> Result<Delivered, Failure> {
        let ticket = parcel.ticket;
        if parcel.attempt > 1 {
            let since = chrono::DateTime::from_timestamp(parcel.received_at - 60, 0)
                .unwrap_or_default()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let listed = send_json(self.request(http.get(&self.issues)).query(&[
                ("labels", "fixpath"),
                ("state", "all"),
                ("since", &since),
                ("per_page", "100"),
            ]))
            .await?;
            let marker = format!("[{}]", ticket.id);
            let existing = listed.as_array().into_iter().flatten().find(|issue| {
                issue["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with(&marker))
            });
            if let Some(url) = existing.and_then(|i| i["html_url"].as_str()) {
                return Ok(Delivered {
                    external_id: Some(url.to_string()),
                });
            }
        }
        let mut shown = ticket.clone();
        if !self.contact_details {
            shown.name = "(in the relay's inbox)".into();
            shown.email = "under this reference".into();
            shown.environment.clear();
        }
        let mut labels = vec!["fixpath".to_string()];
        labels.push(
            if ticket.severity == Severity::Critical {
                "critical"
            } else {
                "minor"
            }
            .to_string(),
        );
        if DeskPriority::of(ticket.priority, ticket.severity) == DeskPriority::Urgent {
            labels.push("urgent".to_string());
        }
        let issue = json!({
            "title": ticket.subject(200),
            "body": body::markdown(&shown),
            "labels": labels,
        });
        let created = send_json(self.request(http.post(&self.issues)).json(&issue)).await?;
        Ok(Delivered {
            external_id: created["html_url"].as_str().map(str::to_string),
        })
    }
}
