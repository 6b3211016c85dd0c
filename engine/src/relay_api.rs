//! The relay's wire contract: what `POST /v1/tickets` answers, written by the relay and read
//! by the widget. A refusal carries a stable `code` the widget turns into the customer's
//! words (`send.refused.*` in [`crate::strings`]); `message` is for developers and logs.

use serde::{Deserialize, Serialize};

use crate::strings::Message;

/// Where a relay takes tickets, below its base URL.
pub const TICKETS_PATH: &str = "/v1/tickets";
/// The header carrying the form's honeypot field: empty from people.
pub const TRAP_HEADER: &str = "fixpath-trap";
/// The header carrying how long the form was open before it was sent, in milliseconds.
pub const FILL_TIME_HEADER: &str = "fixpath-fill-ms";
/// Where a relay that asks for proof of work hands out challenges (404 when it does not).
pub const CHALLENGE_PATH: &str = "/v1/challenge";
/// Where the widget sends insights (a [`crate::insights::Batch`]), when the kb and the relay
/// turn them on.
pub const INSIGHTS_PATH: &str = "/v1/events";
/// The header carrying a solved challenge: base64 of the [`Proof`] JSON.
pub const PROOF_HEADER: &str = "fixpath-proof";

/// A proof-of-work challenge, in ALTCHA's format: find the `number` in `0..=maxnumber`
/// whose SHA-256 of `salt` followed by the number in decimal is `challenge` (hex). The
/// relay signs the challenge, so it needs to remember nothing until the proof comes back;
/// `salt` ends with `?expires=<unix seconds>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    pub algorithm: String,
    pub challenge: String,
    pub maxnumber: u64,
    pub salt: String,
    pub signature: String,
}

/// A solved [`Challenge`], sent back in the [`PROOF_HEADER`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    pub algorithm: String,
    pub challenge: String,
    pub number: u64,
    pub salt: String,
    pub signature: String,
}

impl Challenge {
    /// What is hashed for `number`.
    pub fn input(&self, number: u64) -> String {
        proof_input(&self.salt, number)
    }

    /// The proof that `number` solves this challenge.
    pub fn answer(&self, number: u64) -> Proof {
        Proof {
            algorithm: self.algorithm.clone(),
            challenge: self.challenge.clone(),
            number,
            salt: self.salt.clone(),
            signature: self.signature.clone(),
        }
    }
}

/// The text hashed for a guess: the salt, then the number in decimal.
pub fn proof_input(salt: &str, number: u64) -> String {
    format!("{salt}{number}")
}

/// `202 Accepted`: the ticket is kept and will be delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    pub reference: String,
}

/// Any 4xx or 5xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub code: RefusalCode,
    pub message: String,
    /// For `invalid_ticket`: each field's problem.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldProblem>,
    /// For `rate_limited`: when a new try can succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    /// The engine's validation errors as receivers report them: the field's key and the
    /// message in English.
    pub fn from_errors(errors: &[crate::ticket::FieldError]) -> Vec<FieldProblem> {
        errors
            .iter()
            .map(|e| FieldProblem {
                field: e.key.clone(),
                message: e.message.english(),
            })
            .collect()
    }
}

/// Why a relay refused a ticket. Codes are only ever added; a widget meeting one it does
/// not know reads it as [`RefusalCode::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    /// No `Idempotency-Key` header.
    IdempotencyKeyMissing,
    /// The `Idempotency-Key` is not the ticket's id.
    IdempotencyKeyMismatch,
    /// The key was used before for a different ticket.
    IdempotencyKeyReused,
    /// The body is not a ticket.
    NotATicket,
    /// A ticket whose fields break the rules (see `fields`).
    InvalidTicket,
    /// The body or an attachment is over the relay's limits.
    TooLarge,
    /// The page's origin is not one the relay serves.
    OriginNotAllowed,
    /// Too many tickets from this network or installation for now.
    RateLimited,
    /// The form was filled in faster than a person can, or a field only robots see was
    /// filled in.
    LooksAutomated,
    /// The relay cannot keep tickets at the moment; try again.
    Unavailable,
    #[serde(other)]
    Other,
}

impl RefusalCode {
    /// The HTTP status the relay answers with.
    pub fn status(self) -> u16 {
        match self {
            RefusalCode::IdempotencyKeyMissing
            | RefusalCode::IdempotencyKeyMismatch
            | RefusalCode::NotATicket => 400,
            RefusalCode::OriginNotAllowed => 403,
            RefusalCode::TooLarge => 413,
            RefusalCode::InvalidTicket
            | RefusalCode::IdempotencyKeyReused
            | RefusalCode::LooksAutomated => 422,
            RefusalCode::RateLimited => 429,
            RefusalCode::Unavailable | RefusalCode::Other => 503,
        }
    }

    /// Whether sending the same ticket again later can succeed.
    pub fn is_temporary(self) -> bool {
        matches!(
            self,
            RefusalCode::RateLimited | RefusalCode::Unavailable | RefusalCode::Other
        )
    }

    /// Stable name, as on the wire and in metrics labels.
    pub fn key(self) -> &'static str {
        match self {
            RefusalCode::IdempotencyKeyMissing => "idempotency_key_missing",
            RefusalCode::IdempotencyKeyMismatch => "idempotency_key_mismatch",
            RefusalCode::IdempotencyKeyReused => "idempotency_key_reused",
            RefusalCode::NotATicket => "not_a_ticket",
            RefusalCode::InvalidTicket => "invalid_ticket",
            RefusalCode::TooLarge => "too_large",
            RefusalCode::OriginNotAllowed => "origin_not_allowed",
            RefusalCode::RateLimited => "rate_limited",
            RefusalCode::LooksAutomated => "looks_automated",
            RefusalCode::Unavailable => "unavailable",
            RefusalCode::Other => "other",
        }
    }
}

impl Refusal {
    pub fn new(code: RefusalCode, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            message: message.into(),
            fields: Vec::new(),
            retry_after_seconds: None,
        }
    }

    /// What the customer is told, in the kb's words.
    pub fn for_customer(&self) -> Message {
        let key = match self.code {
            RefusalCode::InvalidTicket => "send.refused.invalid",
            RefusalCode::TooLarge => "send.refused.too_large",
            RefusalCode::RateLimited => "send.refused.rate_limited",
            RefusalCode::LooksAutomated => "send.refused.automated",
            RefusalCode::OriginNotAllowed => "send.refused.origin",
            RefusalCode::Unavailable | RefusalCode::Other => "send.refused.unavailable",
            RefusalCode::IdempotencyKeyMissing
            | RefusalCode::IdempotencyKeyMismatch
            | RefusalCode::IdempotencyKeyReused
            | RefusalCode::NotATicket => "send.refused.broken",
        };
        let fields: Vec<&str> = self.fields.iter().map(|f| f.field.as_str()).collect();
        Message::new(key).with("fields", fields.join(", ")).with(
            "minutes",
            self.retry_after_seconds.unwrap_or(60).div_ceil(60),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_round_trip_and_unknown_codes_are_read_as_other() {
        let mut refusal = Refusal::new(RefusalCode::RateLimited, "6 tickets per 12 h");
        refusal.retry_after_seconds = Some(125);
        let json = serde_json::to_string(&refusal).unwrap();
        assert_eq!(
            json,
            r#"{"code":"rate_limited","message":"6 tickets per 12 h","retry_after_seconds":125}"#
        );
        assert_eq!(serde_json::from_str::<Refusal>(&json).unwrap(), refusal);
        assert_eq!(refusal.for_customer().english(), "Too many tickets were sent from your network just now. Yours is saved on this device and will be sent in about 3 min.");
        let future: Refusal =
            serde_json::from_str(r#"{"code":"solar_flare","message":"?"}"#).unwrap();
        assert_eq!(future.code, RefusalCode::Other);
        assert!(future.code.is_temporary());
    }

    #[test]
    fn every_code_has_a_status_and_a_key_matching_its_wire_name() {
        use RefusalCode::*;
        for code in [
            IdempotencyKeyMissing,
            IdempotencyKeyMismatch,
            IdempotencyKeyReused,
            NotATicket,
            InvalidTicket,
            TooLarge,
            OriginNotAllowed,
            RateLimited,
            LooksAutomated,
            Unavailable,
        ] {
            let wire = serde_json::to_value(code).unwrap();
            assert_eq!(wire, code.key());
            assert!((400..600).contains(&code.status()));
            assert_eq!(
                code.is_temporary(),
                code.status() == 429 || code.status() >= 500
            );
            assert!(
                crate::strings::default_text(Refusal::new(code, "").for_customer().key).is_some()
            );
        }
    }
}
