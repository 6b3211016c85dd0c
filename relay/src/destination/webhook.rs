//! A signed webhook per the Standard Webhooks spec (<https://www.standardwebhooks.com>):
//! the body is `{"type": "ticket.created", "timestamp": …, "data": <the ticket JSON>}`,
//! signed with HMAC-SHA256 over `id.timestamp.body` in the `webhook-signature` header.
//!
//! `webhook-id` is the ticket reference, the same on every retry, so a receiver that
//! remembers the ids it has seen (as the spec asks) never files a ticket twice. To rotate
//! the secret, put the new and the old one in the variable, separated by a space: every
//! request is signed with both until the receiver has switched.

use anyhow::{bail, Context, Result};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use super::{send, Delivered, Failure, Parcel};
use crate::config::{secret, Env};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    pub name: String,
    pub url: String,
    /// The variable holding the signing secret(s): `whsec_` and base64, as the spec's
    /// libraries generate them.
    pub secret_env: String,
}

pub struct Webhook {
    url: reqwest::Url,
    /// Newest first.
    keys: Vec<Vec<u8>>,
}

impl Webhook {
    pub fn new(config: &WebhookConfig, env: &dyn Env) -> Result<Webhook> {
        let url = reqwest::Url::parse(&config.url)
            .with_context(|| format!("destination \"{}\": url {:?}", config.name, config.url))?;
        let what = format!("destination \"{}\" secret_env", config.name);
        let secrets = secret(env, &config.secret_env, &what)?;
        let keys = secrets
            .expose()
            .split_whitespace()
            .map(|s| {
                decode_secret(s).with_context(|| {
                    format!(
                        "{what} ({}): not a Standard Webhooks secret (whsec_ followed by base64)",
                        config.secret_env
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Webhook { url, keys })
    }

    pub async fn deliver(
        &self,
        http: &reqwest::Client,
        parcel: &Parcel<'_>,
    ) -> Result<Delivered, Failure> {
        let id = &parcel.ticket.id;
        let body = payload(parcel);
        let timestamp = chrono::Utc::now().timestamp();
        let request = http
            .post(self.url.clone())
            .header("content-type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", timestamp.to_string())
            .header(
                "webhook-signature",
                signature(&self.keys, id, timestamp, &body),
            )
            .body(body);
        send(request).await?;
        Ok(Delivered { external_id: None })
    }
}

/// The event: the ticket as the widget sent it, under the spec's envelope.
fn payload(parcel: &Parcel<'_>) -> String {
    let timestamp = chrono::DateTime::from_timestamp(parcel.received_at, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    format!(
        "{{\"type\":\"ticket.created\",\"timestamp\":\"{timestamp}\",\"data\":{}}}",
        parcel.raw
    )
}

fn decode_secret(secret: &str) -> Result<Vec<u8>> {
    let key = BASE64.decode(secret.strip_prefix("whsec_").unwrap_or(secret))?;
    if key.is_empty() {
        bail!("empty secret");
    }
    Ok(key)
}

/// `v1,<base64 HMAC>` for each key, space-separated.
pub fn signature(keys: &[Vec<u8>], id: &str, timestamp: i64, body: &str) -> String {
    keys.iter()
        .map(|key| {
            let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
            mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
            format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_specs_example() {
        // The example in the Standard Webhooks spec and its reference libraries.
        let key = decode_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(
            signature(
                &[key],
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                r#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_rotation_signs_with_every_secret_and_bad_secrets_are_named() {
        let env = std::collections::BTreeMap::from([(
            "HOOK".to_string(),
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw whsec_c2Vjb25k".to_string(),
        )]);
        let config = WebhookConfig {
            name: "ops".into(),
            url: "https://hooks.example.com/in".into(),
            secret_env: "HOOK".into(),
        };
        let hook = Webhook::new(&config, &env).unwrap();
        let signed = signature(&hook.keys, "FX-1", 1, "{}");
        assert_eq!(signed.split(' ').count(), 2);
        assert!(signed.split(' ').all(|s| s.starts_with("v1,")));
        let env = std::collections::BTreeMap::from([("HOOK".to_string(), "whsec_***".to_string())]);
        let err = format!("{:#}", Webhook::new(&config, &env).err().unwrap());
        assert!(
            err.contains("destination \"ops\" secret_env (HOOK): not a Standard Webhooks secret"),
            "{err}"
        );
        assert!(
            !err.contains("***"),
            "the secret itself is never shown: {err}"
        );
    }
}
