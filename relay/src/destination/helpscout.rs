//! Help Scout Mailbox API 2.0: an OAuth2 client-credentials token
//! (`POST /v2/oauth2/token`, kept until it expires), then `POST /v2/conversations`: an
//! email conversation from the customer with the ticket as the first thread, files
//! attached, tags for the source and the severity (Help Scout has no priority). A retry
//! first searches the mailbox for the reference in the subject; Help Scout's search is
//! indexed with a delay, so a retry within seconds of a lost answer can still duplicate.

use std::time::{Duration, Instant};

use anyhow::Result;
use fixpath_engine::triage::Severity;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::Mutex;

use super::{answer, base_url, body, credential, send_json, Delivered, Failure, Parcel};
use crate::config::{Env, Secret};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpscoutConfig {
    pub name: String,
    pub mailbox_id: u64,
    /// The variables holding the OAuth app's id and secret.
    pub app_id_env: String,
    pub app_secret_env: String,
    #[serde(default = "default_api")]
    pub api_url: String,
}

fn default_api() -> String {
    "https://api.helpscout.net".to_string()
}

pub struct Helpscout {
    api: String,
    mailbox_id: u64,
    app_id: Secret,
    app_secret: Secret,
    token: Mutex<Option<(String, Instant)>>,
}

impl Helpscout {
    pub fn new(config: &HelpscoutConfig, env: &dyn Env) -> Result<Helpscout> {
        Ok(Helpscout {
            api: base_url(&config.name, "api_url", &config.api_url)?,
            mailbox_id: config.mailbox_id,
            app_id: credential(env, &config.name, "app_id_env", &config.app_id_env)?,
            app_secret: credential(env, &config.name, "app_secret_env", &config.app_secret_env)?,
            token: Mutex::new(None),
        })
    }

    /// A valid access token, fetched again a minute before the old one expires.
    async fn bearer(&self, http: &reqwest::Client) -> Result<String, Failure> {
        let mut token = self.token.lock().await;
        if let Some((value, until)) = token.as_ref() {
            if Instant::now() < *until {
                return Ok(format!("Bearer {value}"));
            }
        }
        let answer = send_json(http.post(format!("{}/v2/oauth2/token", self.api)).form(&[
            ("grant_type", "client_credentials"),
            ("client_id", self.app_id.expose()),
            ("client_secret", self.app_secret.expose()),
        ]))
        .await?;
        let value = answer["access_token"]
            .as_str()
            .ok_or_else(|| Failure::Retry {
                reason: "Help Scout gave no access token".into(),
                after: None,
            })?;
        let lifetime = Duration::from_secs(
            answer["expires_in"]
                .as_u64()
                .unwrap_or(3600)
                .saturating_sub(60),
        );
        *token = Some((value.to_string(), Instant::now() + lifetime));
        Ok(format!("Bearer {value}"))
    }

    pub async fn deliver(
        &self,
        http: &reqwest::Client,
        parcel: &Parcel<'_>,
    ) -> Result<Delivered, Failure> {
        let ticket = parcel.ticket;
        let bearer = self.bearer(http).await?;
        let conversations = format!("{}/v2/conversations", self.api);
        if parcel.attempt > 1 {
            let query = format!("(subject:\"{}\")", ticket.id);
            let mailbox = self.mailbox_id.to_string();
            let found = send_json(
                http.get(&conversations)
                    .query(&[
                        ("mailbox", mailbox.as_str()),
                        ("status", "all"),
                        ("query", query.as_str()),
                    ])
                    .header("authorization", &bearer),
            )
            .await?;
            if let Some(id) = found["_embedded"]["conversations"]
                .get(0)
                .and_then(|c| c["id"].as_u64())
            {
                return Ok(Delivered {
                    external_id: Some(id.to_string()),
                });
            }
        }
        let attachments: Vec<_> = ticket
            .attachments
            .iter()
            .map(|a| json!({ "fileName": a.name, "mimeType": a.content_type, "data": a.data_base64 }))
            .collect();
        let mut tags = vec!["fixpath".to_string()];
        if ticket.severity == Severity::Critical {
            tags.push("critical".to_string());
        }
        let conversation = json!({
            "subject": ticket.subject(150),
            "customer": { "email": ticket.email, "firstName": ticket.name },
            "mailboxId": self.mailbox_id,
            "type": "email",
            "status": "active",
            "tags": tags,
            "threads": [{
                "type": "customer",
                "customer": { "email": ticket.email },
                "text": body::html(ticket),
                "attachments": attachments,
            }],
        });
        // Help Scout answers 201 with an empty body and the new id in `Resource-ID`.
        let response = http
            .post(&conversations)
            .header("authorization", &bearer)
            .json(&conversation)
            .send()
            .await
            .map_err(|e| Failure::from_transport(&e))?;
        let id = response
            .headers()
            .get("resource-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if let Err(failure) = answer(response).await {
            if failure.reason().starts_with("HTTP 401") {
                // The token was revoked before it expired: fetch a new one next time.
                *self.token.lock().await = None;
            }
            return Err(failure);
        }
        Ok(Delivered { external_id: id })
    }
}
