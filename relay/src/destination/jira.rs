//! Jira Service Management Cloud (`POST /rest/servicedeskapi/request`, account email and
//! API token basic auth): a customer request of the configured type, raised on behalf of
//! the customer, with the reference in the summary, which a retry searches first
//! (`GET /rest/servicedeskapi/request?searchTerm=`): no duplicates. The description is
//! plain text (the field takes no markup through this API); files are listed by name.

use anyhow::Result;
use fixpath_engine::triage::DeskPriority;
use serde::Deserialize;
use serde_json::json;

use super::{base_url, basic_auth, credential, send_json, Delivered, Failure, Parcel};
use crate::config::Env;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JiraConfig {
    pub name: String,
    /// `https://SITE.atlassian.net`
    pub url: String,
    /// The account the token belongs to.
    pub email: String,
    pub token_env: String,
    pub service_desk_id: String,
    pub request_type_id: String,
    /// Set the request's priority (only when the request type shows the Priority field).
    #[serde(default = "yes")]
    pub set_priority: bool,
    /// Raise the request on the customer's behalf (the account needs that permission).
    #[serde(default = "yes")]
    pub raise_on_behalf: bool,
}

fn yes() -> bool {
    true
}

pub struct Jira {
    base: String,
    auth: String,
    config: JiraConfig,
}

impl Jira {
    pub fn new(config: &JiraConfig, env: &dyn Env) -> Result<Jira> {
        let token = credential(env, &config.name, "token_env", &config.token_env)?;
        Ok(Jira {
            base: base_url(&config.name, "url", &config.url)?,
            auth: basic_auth(&config.email, token.expose()),
            config: config.clone(),
        })
    }

    pub async fn deliver(
        &self,
        http: &reqwest::Client,
        parcel: &Parcel<'_>,
    ) -> Result<Delivered, Failure> {
        let ticket = parcel.ticket;
        let url = format!("{}/rest/servicedeskapi/request", self.base);
        if parcel.attempt > 1 {
            let found = send_json(
                http.get(&url)
                    .query(&[
                        ("searchTerm", ticket.id.as_str()),
                        ("requestOwnership", "ALL_REQUESTS"),
                        ("serviceDeskId", &self.config.service_desk_id),
                    ])
                    .header("authorization", &self.auth),
            )
            .await?;
            let values = found["values"].as_array().cloned().unwrap_or_default();
            let existing = values.iter().find(|r| {
                r["requestFieldValues"].as_array().is_some_and(|fields| {
                    fields.iter().any(|f| {
                        f["fieldId"] == "summary"
                            && f["value"].as_str().is_some_and(|v| v.contains(&ticket.id))
                    })
                })
            });
            if let Some(key) = existing.and_then(|r| r["issueKey"].as_str()) {
                return Ok(Delivered {
                    external_id: Some(key.to_string()),
                });
            }
        }
        let mut fields = json!({
            "summary": ticket.subject(250),
            "description": ticket.to_text(),
        });
        if self.config.set_priority {
            let name = match DeskPriority::of(ticket.priority, ticket.severity) {
                DeskPriority::Urgent => "Highest",
                DeskPriority::High => "High",
                DeskPriority::Normal => "Medium",
                DeskPriority::Low => "Low",
            };
            fields["priority"] = json!({ "name": name });
        }
        let mut request = json!({
            "serviceDeskId": self.config.service_desk_id,
            "requestTypeId": self.config.request_type_id,
            "requestFieldValues": fields,
        });
        if self.config.raise_on_behalf {
            request["raiseOnBehalfOf"] = json!(ticket.email);
        }
        let created = send_json(
            http.post(&url)
                .header("authorization", &self.auth)
                .json(&request),
        )
        .await?;
        Ok(Delivered {
            external_id: created["issueKey"].as_str().map(str::to_string),
        })
    }
}
