//! Freshdesk (`POST /api/v2/tickets`, API key basic auth): the customer as requester, the
//! ticket as the HTML description, priority 4–1 and status open. Freshdesk tickets have no
//! external id: with `reference_field` (a custom text field the team adds, e.g.
//! `cf_fixpath_reference`) the reference is stored there and a retry searches it first
//! (`GET /api/v2/search/tickets`); without it a retry after a lost answer can create a
//! second ticket. Files are listed by name (Freshdesk takes them only as multipart).

use anyhow::Result;
use fixpath_engine::triage::{DeskPriority, Severity};
use serde::Deserialize;
use serde_json::json;

use super::{base_url, basic_auth, body, credential, send_json, Delivered, Failure, Parcel};
use crate::config::Env;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreshdeskConfig {
    pub name: String,
    /// `https://DOMAIN.freshdesk.com`
    pub url: String,
    /// The variable holding the API key.
    pub api_key_env: String,
    /// A custom ticket field to keep the reference in, so retries can find the ticket.
    pub reference_field: Option<String>,
}

pub struct Freshdesk {
    base: String,
    auth: String,
    reference_field: Option<String>,
}

impl Freshdesk {
    pub fn new(config: &FreshdeskConfig, env: &dyn Env) -> Result<Freshdesk> {
        let key = credential(env, &config.name, "api_key_env", &config.api_key_env)?;
        Ok(Freshdesk {
            base: base_url(&config.name, "url", &config.url)?,
            // Freshdesk's scheme: the key as user name, any password.
            auth: basic_auth(key.expose(), "X"),
            reference_field: config.reference_field.clone(),
        })
    }

    pub async fn deliver(
        &self,
        http: &reqwest::Client,
        parcel: &Parcel<'_>,
    ) -> Result<Delivered, Failure> {
        let ticket = parcel.ticket;
        if let (Some(field), true) = (&self.reference_field, parcel.attempt > 1) {
            let query = format!("\"{}:'{}'\"", field.trim_start_matches("cf_"), ticket.id);
            let url = format!("{}/api/v2/search/tickets", self.base);
            let found = send_json(
                http.get(&url)
                    .query(&[("query", &query)])
                    .header("authorization", &self.auth),
            )
            .await?;
            if let Some(id) = found["results"].get(0).and_then(|t| t["id"].as_u64()) {
                return Ok(Delivered {
                    external_id: Some(id.to_string()),
                });
            }
        }
        let priority = match DeskPriority::of(ticket.priority, ticket.severity) {
            DeskPriority::Urgent => 4,
            DeskPriority::High => 3,
            DeskPriority::Normal => 2,
            DeskPriority::Low => 1,
        };
        let mut tags = vec!["fixpath".to_string()];
        if ticket.severity == Severity::Critical {
            tags.push("fixpath-critical".to_string());
        }
        let mut request = json!({
            "name": ticket.name,
            "email": ticket.email,
            "subject": ticket.subject(150),
            "description": body::html(ticket),
            "priority": priority,
            "status": 2,
            "tags": tags,
        });
        if let Some(field) = &self.reference_field {
            request["custom_fields"] = json!({ field: ticket.id });
        }
        let url = format!("{}/api/v2/tickets", self.base);
        let created = send_json(
            http.post(&url)
                .header("authorization", &self.auth)
                .json(&request),
        )
        .await?;
        Ok(Delivered {
            external_id: created["id"].as_u64().map(|id| id.to_string()),
        })
    }
}
