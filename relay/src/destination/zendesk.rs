//! Zendesk Tickets API with an API token (`POST /api/v2/tickets.json`, agent
//! `{email}/token` basic auth): the customer as requester, the ticket as an HTML comment
//! with its files uploaded first (`POST /api/v2/uploads.json`), the priority mapped, and the
//! reference as the ticket's `external_id`, which a retry looks up
//! (`GET /api/v2/tickets.json?external_id=`) before creating: no duplicates.

use anyhow::Result;
use fixpath_engine::triage::{DeskPriority, Severity};
use fixpath_engine::zendesk::zendesk_priority;
use serde::Deserialize;
use serde_json::json;

use super::{
    attachment_bytes, base_url, basic_auth, body, credential, send_json, Delivered, Failure, Parcel,
};
use crate::config::Env;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZendeskConfig {
    pub name: String,
    /// `https://SUBDOMAIN.zendesk.com`
    pub url: String,
    /// The agent the token belongs to.
    pub email: String,
    /// The variable holding the API token.
    pub token_env: String,
}

pub struct Zendesk {
    base: String,
    auth: String,
}

impl Zendesk {
    pub fn new(config: &ZendeskConfig, env: &dyn Env) -> Result<Zendesk> {
        let token = credential(env, &config.name, "token_env", &config.token_env)?;
        Ok(Zendesk {
            base: base_url(&config.name, "url", &config.url)?,
            auth: basic_auth(&format!("{}/token", config.email), token.expose()),
        })
    }

    pub async fn deliver(
        &self,
        http: &reqwest::Client,
        parcel: &Parcel<'_>,
    ) -> Result<Delivered, Failure> {
        let ticket = parcel.ticket;
        if parcel.attempt > 1 {
            let url = format!("{}/api/v2/tickets.json", self.base);
            let found = send_json(
                http.get(&url)
                    .query(&[("external_id", &ticket.id)])
                    .header("authorization", &self.auth),
            )
            .await?;
            if let Some(id) = found["tickets"].get(0).and_then(|t| t["id"].as_u64()) {
                return Ok(Delivered {
                    external_id: Some(id.to_string()),
                });
            }
        }
        let mut uploads = Vec::new();
        for a in &ticket.attachments {
            let bytes = attachment_bytes(a)?;
            let url = format!("{}/api/v2/uploads.json", self.base);
            let uploaded = send_json(
                http.post(&url)
                    .query(&[("filename", &a.name)])
                    .header("authorization", &self.auth)
                    .header("content-type", &a.content_type)
                    .body(bytes),
            )
            .await?;
            if let Some(token) = uploaded["upload"]["token"].as_str() {
                uploads.push(token.to_string());
            }
        }
        let mut tags = vec!["fixpath".to_string()];
        if ticket.severity == Severity::Critical {
            tags.push("fixpath-critical".to_string());
        }
        let request = json!({
            "ticket": {
                "subject": ticket.subject(150),
                "comment": { "html_body": body::html(ticket), "uploads": uploads, "public": true },
                "requester": { "name": ticket.name, "email": ticket.email },
                "priority": zendesk_priority(DeskPriority::of(ticket.priority, ticket.severity)),
                "external_id": ticket.id,
                "tags": tags,
            }
        });
        let url = format!("{}/api/v2/tickets.json", self.base);
        let created = send_json(
            http.post(&url)
                .header("authorization", &self.auth)
                .json(&request),
        )
        .await?;
        Ok(Delivered {
            external_id: created["ticket"]["id"].as_u64().map(|id| id.to_string()),
        })
    }
}
