//! Zammad (`POST /api/v1/tickets`, `Token token=` auth): a ticket in the configured group
//! for the customer (found or created by email, `guess:`), its first article the HTML
//! body with the files attached, the priority mapped to Zammad's default three. The
//! reference is in the title, which a retry searches first
//! (`GET /api/v1/tickets/search?query=`): no duplicates where Zammad's search is on.

use anyhow::Result;
use fixpath_engine::triage::DeskPriority;
use serde::Deserialize;
use serde_json::json;

use super::{base_url, body, credential, send_json, Delivered, Failure, Parcel};
use crate::config::Env;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZammadConfig {
    pub name: String,
    /// `https://support.example.com`
    pub url: String,
    pub token_env: String,
    /// The group tickets go to.
    #[serde(default = "default_group")]
    pub group: String,
}

fn default_group() -> String {
    "Users".to_string()
}

pub struct Zammad {
    base: String,
    auth: String,
    group: String,
}

impl Zammad {
    pub fn new(config: &ZammadConfig, env: &dyn Env) -> Result<Zammad> {
        let token = credential(env, &config.name, "token_env", &config.token_env)?;
        Ok(Zammad {
            base: base_url(&config.name, "url", &config.url)?,
            auth: format!("Token token={}", token.expose()),
            group: config.group.clone(),
        })
    }

    pub async fn deliver(
        &self,
        http: &reqwest::Client,
        parcel: &Parcel<'_>,
    ) -> Result<Delivered, Failure> {
        let ticket = parcel.ticket;
        if parcel.attempt > 1 {
            let url = format!("{}/api/v1/tickets/search", self.base);
            let query = format!("title:\"{}\"", ticket.id);
            let found = send_json(
                http.get(&url)
                    .query(&[("query", query.as_str()), ("limit", "1")])
                    .header("authorization", &self.auth),
            )
            .await?;
            if let Some(id) = found["tickets"].get(0).and_then(|id| id.as_u64()) {
                return Ok(Delivered {
                    external_id: Some(id.to_string()),
                });
            }
        }
        // Zammad's default priorities: 1 low, 2 normal, 3 high.
        let priority_id = match DeskPriority::of(ticket.priority, ticket.severity) {
            DeskPriority::Urgent | DeskPriority::High => 3,
            DeskPriority::Normal => 2,
            DeskPriority::Low => 1,
        };
        let attachments: Vec<_> = ticket
            .attachments
            .iter()
            .map(|a| json!({ "filename": a.name, "data": a.data_base64, "mime-type": a.content_type }))
            .collect();
        let request = json!({
            "title": ticket.subject(200),
            "group": self.group,
            "customer_id": format!("guess:{}", ticket.email),
            "priority_id": priority_id,
            "article": {
                "subject": ticket.subject(200),
                "body": body::html(ticket),
                "content_type": "text/html",
                "type": "web",
                "sender": "Customer",
                "internal": false,
                "attachments": attachments,
            },
        });
        let url = format!("{}/api/v1/tickets", self.base);
        let created = send_json(
            http.post(&url)
                .header("authorization", &self.auth)
                .json(&request),
        )
        .await?;
        Ok(Delivered {
            external_id: created["number"]
                .as_str()
                .map(str::to_string)
                .or_else(|| created["id"].as_u64().map(|id| id.to_string())),
        })
    }
}
