//! Email over SMTP (lettre): the ticket to the team's address as text and HTML with its
//! files attached, Reply-To the customer, the subject flagged for critical tickets. Email
//! cannot be deduplicated by the sender: an attempt whose answer is lost after the server
//! took the message sends it again. The Message-ID is the same on every attempt
//! (`<REFERENCE.DESTINATION@from-domain>`), so mail systems that drop repeated ids, and
//! help desks that thread by it, show one.

use anyhow::{bail, Context, Result};
use fixpath_engine::triage::{DeskPriority, Severity};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;

use super::{attachment_bytes, body, Delivered, Failure, Parcel};
use crate::config::{secret, Env};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub name: String,
    pub host: String,
    /// 587 for STARTTLS, 465 for TLS, 25 for none, unless set.
    pub port: Option<u16>,
    #[serde(default)]
    pub security: SmtpSecurity,
    /// The variables holding the login, when the server wants one.
    pub username_env: Option<String>,
    pub password_env: Option<String>,
    /// `Support tickets <tickets@example.com>`
    pub from: String,
    /// The team's addresses.
    pub to: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (required).
    #[default]
    Starttls,
    /// TLS from the first byte.
    Tls,
    /// No encryption: only for a mail server on the same machine or a trusted network.
    None,
}

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    to: Vec<Mailbox>,
    destination: String,
}

impl Smtp {
    pub fn new(config: &SmtpConfig, env: &dyn Env) -> Result<Smtp> {
        let what = |key: &str| format!("destination \"{}\" {key}", config.name);
        let from: Mailbox = config.from.parse().with_context(|| what("from"))?;
        let to = config
            .to
            .iter()
            .map(|a| a.parse::<Mailbox>().with_context(|| what("to")))
            .collect::<Result<Vec<_>>>()?;
        if to.is_empty() {
            bail!("{}: name at least one address", what("to"));
        }
        let mut builder = match config.security {
            SmtpSecurity::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)?
                    .port(config.port.unwrap_or(587))
            }
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)?
                .port(config.port.unwrap_or(465)),
            SmtpSecurity::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
                    .port(config.port.unwrap_or(25))
            }
        };
        match (&config.username_env, &config.password_env) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(
                    secret(env, user, &what("username_env"))?
                        .expose()
                        .to_string(),
                    secret(env, password, &what("password_env"))?
                        .expose()
                        .to_string(),
                ));
            }
            (None, None) => {}
            _ => bail!(
                "{}: set both username_env and password_env, or neither",
                what("login")
            ),
        }
        Ok(Smtp {
            transport: builder.build(),
            from,
            to,
            destination: config.name.clone(),
        })
    }

    pub async fn deliver(&self, parcel: &Parcel<'_>) -> Result<Delivered, Failure> {
        let message = self.message(parcel)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(Delivered { external_id: None }),
            Err(e) if e.is_permanent() => Err(Failure::Permanent {
                reason: format!("the mail server refused the message: {e}"),
            }),
            Err(e) => Err(Failure::Retry {
                reason: format!("sending mail: {e}"),
                after: None,
            }),
        }
    }

    fn message(&self, parcel: &Parcel<'_>) -> Result<Message, Failure> {
        let ticket = parcel.ticket;
        let permanent = |reason: String| Failure::Permanent { reason };
        let mut subject = ticket.subject(150);
        if ticket.severity == Severity::Critical {
            subject = format!("[Critical] {subject}");
        }
        let domain = self.from.email.domain().to_string();
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(subject)
            .message_id(Some(format!(
                "<{}.{}@{domain}>",
                ticket.id, self.destination
            )));
        for to in &self.to {
            builder = builder.to(to.clone());
        }
        if let Ok(customer) = format!(
            "{} <{}>",
            ticket.name.replace(['<', '>', '"'], ""),
            ticket.email
        )
        .parse::<Mailbox>()
        {
            builder = builder.reply_to(customer);
        }
        let (x_priority, importance) = match DeskPriority::of(ticket.priority, ticket.severity) {
            DeskPriority::Urgent => ("1 (Highest)", "high"),
            DeskPriority::High => ("2 (High)", "high"),
            DeskPriority::Normal => ("3 (Normal)", "normal"),
            DeskPriority::Low => ("5 (Lowest)", "low"),
        };
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("X-Priority"),
                x_priority.to_string(),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Importance"),
                importance.to_string(),
            ));
        let mut mixed = MultiPart::mixed().multipart(MultiPart::alternative_plain_html(
            ticket.to_text(),
            body::html(ticket),
        ));
        for a in &ticket.attachments {
            let bytes = attachment_bytes(a)?;
            let content_type = ContentType::parse(&a.content_type)
                .unwrap_or(ContentType::parse("application/octet-stream").expect("a valid type"));
            let part: SinglePart = Attachment::new(a.name.clone()).body(bytes, content_type);
            mixed = mixed.singlepart(part);
        }
        builder
            .multipart(mixed)
            .map_err(|e| permanent(format!("building the message: {e}")))
    }
}
