//! The ticket's fields as the published JSON carries them, tried steps, references.

use serde::{Deserialize, Serialize};

use crate::guide::{Answer, Guide, GuideSession, Outcome};
use crate::strings::Message;
use crate::ticket_fields::{Attachment, ExtraField};
use crate::triage::{Impact, Priority, Severity, Urgency};

pub const TICKET_SCHEMA_VERSION: u32 = 1;

/// Longest free-text answer accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 5000;
/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest email address (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Always,
    Sometimes,
    Once,
}

/// A guide step the customer already tried, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriedStep {
    /// Article id (path in the kb).
    pub article: String,
    pub step: String,
    pub outcome: Outcome,
    /// For a question step: the answer chosen, in the guide's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

impl TriedStep {
    /// The steps answered in `session` of `guide` (article `article_id`), in the order
    /// the customer answered them.
    pub fn from_session(article_id: &str, guide: &Guide, session: &GuideSession) -> Vec<TriedStep> {
        session
            .tried()
            .filter_map(|(n, answer)| {
                let step = guide.steps.get(n)?;
                let (outcome, answer) = match answer {
                    Answer::Outcome(outcome) => (outcome, None),
                    Answer::Choice(choice) => (Outcome::Answered, Some(step.choice(choice)?)),
                };
                Some(TriedStep {
                    article: article_id.to_string(),
                    step: step.title.clone(),
                    outcome,
                    answer,
                })
            })
            .collect()
    }

    /// "didn't help", or the answer chosen in quotes.
    pub fn result(&self) -> Message {
        match &self.answer {
            Some(answer) => Message::new("form.tried.answer").with("answer", answer),
            None => Message::new(match self.outcome {
                Outcome::Fixed => "form.tried.fixed",
                Outcome::DidntHelp => "form.tried.didnt_help",
                Outcome::CantDo => "form.tried.cant_do",
                Outcome::Answered => "form.tried.answered",
            }),
        }
    }
}

/// One automatically gathered fact (page URL, browser, language, viewport…), shown to the
/// customer and removable before sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentItem {
    pub key: String,
    pub value: String,
}

/// The ticket as sent to support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub schema_version: u32,
    /// Reference shown to the customer; also the `Idempotency-Key` of every send.
    pub id: String,
    /// ISO-8601 with seconds and offset.
    pub created_at: String,
    pub trying_to_do: String,
    pub what_happened: String,
    /// Verbatim, never reformatted.
    pub error_message: String,
    /// When it happened: ISO-8601 with seconds and offset.
    pub occurred_at: String,
    pub frequency: Option<Frequency>,
    pub steps_to_reproduce: String,
    pub steps_tried: Vec<TriedStep>,
    pub environment: Vec<EnvironmentItem>,
    pub impact: Option<Impact>,
    pub urgency: Option<Urgency>,
    pub security_concern: bool,
    /// Set from [`crate::triage`] when the ticket is submitted.
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub severity: Severity,
    pub name: String,
    pub email: String,
    /// The language the customer used the widget in (BCP 47, `fr`), so support can answer
    /// in it; left out when unknown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// The kb's own fields (`[ticket]` in the config, or the article's `ticket_fields`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_fields: Vec<ExtraField>,
    /// Optional files (screenshots, logs), within [`crate::ticket_fields::MAX_ATTACHMENTS`]
    /// and [`crate::ticket_fields::MAX_ATTACHMENT_BYTES`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

impl Ticket {
    /// An empty ticket with its reference and creation time.
    pub fn new(id: String, created_at: String) -> Ticket {
        Ticket {
            schema_version: TICKET_SCHEMA_VERSION,
            id,
            occurred_at: created_at.clone(),
            created_at,
            trying_to_do: String::new(),
            what_happened: String::new(),
            error_message: String::new(),
            frequency: None,
            steps_to_reproduce: String::new(),
            steps_tried: Vec::new(),
            environment: Vec::new(),
            impact: None,
            urgency: None,
            security_concern: false,
            priority: None,
            severity: Severity::Minor,
            name: String::new(),
            email: String::new(),
            language: String::new(),
            extra_fields: Vec::new(),
            attachments: Vec::new(),
        }
    }
}

/// A local date and time with its UTC offset, as the browser reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalDateTime {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// Minutes east of UTC (UTC+01:00 is 60; note JavaScript's `getTimezoneOffset` is the
    /// negation of this).
    pub offset_minutes: i32,
}

impl LocalDateTime {
    /// `2026-11-27T14:05:09+01:00`: ISO-8601 with seconds and offset.
    pub fn to_iso(self) -> String {
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let offset = self.offset_minutes.unsigned_abs();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            offset / 60,
            offset % 60
        )
    }
}

/// A ticket reference from 50 random bits: `FX-` and ten Crockford base-32 characters
/// (no I, L, O, U, so it reads back over the phone).
pub fn new_ticket_id(entropy: u64) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut id = String::from("FX-");
    for i in 0..10 {
        if i == 5 {
            id.push('-');
        }
        id.push(ALPHABET[((entropy >> (5 * (9 - i))) & 31) as usize] as char);
    }
    id
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ticket::is_iso_datetime_with_offset;

    /// A ticket that passes every check.
    pub(crate) fn valid() -> Ticket {
        let mut t = Ticket::new(new_ticket_id(42), "2026-11-27T10:00:00+01:00".into());
        t.trying_to_do = "Upload a contract".into();
        t.what_happened = "It failed".into();
        t.name = "Ada".into();
        t.email = "ada@example.com".into();
        t
    }

    #[test]
    fn references_are_readable_and_distinct() {
        assert_eq!(new_ticket_id(0), "FX-00000-00000");
        assert_ne!(new_ticket_id(1), new_ticket_id(2));
        assert!(new_ticket_id(u64::MAX)
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }

    #[test]
    fn local_times_format_with_their_offset() {
        let t = LocalDateTime {
            year: 2026,
            month: 3,
            day: 9,
            hour: 7,
            minute: 5,
            second: 1,
            offset_minutes: -330,
        };
        assert_eq!(t.to_iso(), "2026-03-09T07:05:01-05:30");
        assert!(is_iso_datetime_with_offset(&t.to_iso()));
        assert_eq!(
            LocalDateTime {
                offset_minutes: 60,
                ..t
            }
            .to_iso(),
            "2026-03-09T07:05:01+01:00"
        );
    }

    #[test]
    fn tried_steps_name_the_article_and_step_and_the_answer_chosen() {
        use crate::guide::{Choice, Route, Step, Target};
        let step = |title: &str, route| Step {
            title: title.into(),
            html: String::new(),
            route,
        };
        let guide = Guide {
            intro_html: String::new(),
            ticket_fields: Vec::new(),
            steps: vec![
                step(
                    "Which browser?",
                    Route::Question {
                        answers: vec![Choice {
                            label: "Safari".into(),
                            target: Target::Step(1),
                        }],
                    },
                ),
                step(
                    "Retry",
                    Route::Fix {
                        next: Target::Contact,
                    },
                ),
            ],
        };
        let mut session = GuideSession::new(&guide);
        session.choose(0);
        session.answer(Outcome::CantDo);
        let tried = TriedStep::from_session("uploads.md", &guide, &session);
        let results: Vec<_> = tried
            .iter()
            .map(|t| (t.step.as_str(), t.result().english()))
            .collect();
        assert_eq!(
            results,
            [
                ("Which browser?", "“Safari”".to_string()),
                ("Retry", "couldn't do this".to_string())
            ]
        );
        assert_eq!(tried[0].outcome, Outcome::Answered);
        assert_eq!(tried[1].answer, None);
    }

    #[test]
    fn json_shape_is_stable() {
        let json = serde_json::to_value(valid()).unwrap();
        assert_eq!(json["schema_version"], 1);
        assert_eq!(json["trying_to_do"], "Upload a contract");
        let back: Ticket = serde_json::from_value(json).unwrap();
        assert_eq!(back, valid());
    }
}
