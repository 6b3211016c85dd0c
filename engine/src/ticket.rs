//! The ticket: the published JSON contract support teams receive, its validation, its
//! reference and its plain-text rendering.
//!
//! The JSON shape is versioned by [`TICKET_SCHEMA_VERSION`]; fields are only ever added.
//! Validation returns every problem at once, keyed by field, so the form can show each
//! one inline without touching the values the customer typed.

use serde::{Deserialize, Serialize};

use crate::guide::{Answer, Guide, GuideSession, Outcome};
use crate::triage::{Priority, Severity};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    JustMe,
    SeveralPeople,
    WholeTeam,
    Customers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Blocked,
    Workaround,
    CanWait,
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

    /// "fixed it", "didn't help", or the answer chosen: how support reads it.
    pub fn result(&self) -> String {
        match &self.answer {
            Some(answer) => format!("“{answer}”"),
            None => self.outcome.label().to_string(),
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
        }
    }

    /// A plain-text rendering for help desks (and consoles) that show text.
    pub fn to_text(&self) -> String {
        let mut out = format!("Ticket {} ({})\n", self.id, self.created_at);
        let mut line = |label: &str, value: &str| {
            if !value.is_empty() {
                out.push_str(&format!("{label}: {value}\n"));
            }
        };
        line("From", &format!("{} <{}>", self.name, self.email));
        line("Trying to do", &self.trying_to_do);
        line("What happened", &self.what_happened);
        line("Error", &self.error_message);
        let priority = self
            .priority
            .map(|p| format!(" ({p:?})"))
            .unwrap_or_default();
        line("Severity", &format!("{:?}{priority}", self.severity));
        line("When", &self.occurred_at);
        line("Steps to reproduce", &self.steps_to_reproduce);
        for s in &self.steps_tried {
            out.push_str(&format!(
                "Tried: {} → {} → {}\n",
                s.article,
                s.step,
                s.result()
            ));
        }
        for e in &self.environment {
            out.push_str(&format!("Env: {} = {}\n", e.key, e.value));
        }
        out
    }
}

/// The form fields validation can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TicketField {
    TryingToDo,
    WhatHappened,
    ErrorMessage,
    OccurredAt,
    StepsToReproduce,
    Name,
    Email,
}

impl TicketField {
    /// Stable key, used as the form control's id and in the JSON.
    pub fn key(self) -> &'static str {
        match self {
            TicketField::TryingToDo => "trying_to_do",
            TicketField::WhatHappened => "what_happened",
            TicketField::ErrorMessage => "error_message",
            TicketField::OccurredAt => "occurred_at",
            TicketField::StepsToReproduce => "steps_to_reproduce",
            TicketField::Name => "name",
            TicketField::Email => "email",
        }
    }
}

/// One validation problem, in words a customer understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: TicketField,
    pub message: String,
}

/// Every problem with `ticket`; empty when it can be sent.
pub fn check_ticket(ticket: &Ticket) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut error = |field, message: String| errors.push(FieldError { field, message });
    let required = [
        (
            TicketField::TryingToDo,
            &ticket.trying_to_do,
            "Tell us what you were trying to do.",
        ),
        (
            TicketField::WhatHappened,
            &ticket.what_happened,
            "Tell us what happened.",
        ),
        (TicketField::Name, &ticket.name, "Enter your name."),
        (
            TicketField::Email,
            &ticket.email,
            "Enter your email address.",
        ),
    ];
    for (field, value, message) in required {
        if value.trim().is_empty() {
            error(field, message.to_string());
        }
    }
    let texts = [
        (
            TicketField::TryingToDo,
            &ticket.trying_to_do,
            MAX_TEXT_CHARS,
        ),
        (
            TicketField::WhatHappened,
            &ticket.what_happened,
            MAX_TEXT_CHARS,
        ),
        (
            TicketField::ErrorMessage,
            &ticket.error_message,
            MAX_TEXT_CHARS,
        ),
        (
            TicketField::StepsToReproduce,
            &ticket.steps_to_reproduce,
            MAX_TEXT_CHARS,
        ),
        (TicketField::Name, &ticket.name, MAX_NAME_CHARS),
        (TicketField::Email, &ticket.email, MAX_EMAIL_CHARS),
    ];
    for (field, value, max) in texts {
        let len = value.chars().count();
        if len > max {
            error(
                field,
                format!("Please shorten this to {max} characters (it has {len})."),
            );
        }
    }
    if !ticket.email.trim().is_empty() && !is_plausible_email(ticket.email.trim()) {
        error(
            TicketField::Email,
            "Enter an email address like name@example.com.".to_string(),
        );
    }
    if !ticket.occurred_at.is_empty() && !is_iso_datetime_with_offset(&ticket.occurred_at) {
        error(
            TicketField::OccurredAt,
            "Use a date and time like 2026-11-27T14:05:00+01:00.".to_string(),
        );
    }
    errors
}

/// `local@domain.tld`, no spaces: the only syntax check worth making before a real
/// mail server has its say.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    !local.is_empty() && !email.chars().any(char::is_whitespace) && domain_ok
}

/// `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `±HH:MM` (fractional seconds allowed).
pub fn is_iso_datetime_with_offset(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let head = digits(0..4)
        && at(4, b'-')
        && digits(5..7)
        && at(7, b'-')
        && digits(8..10)
        && at(10, b'T')
        && digits(11..13)
        && at(13, b':')
        && digits(14..16)
        && at(16, b':')
        && digits(17..19);
    if !head {
        return false;
    }
    let mut i = 19;
    if at(i, b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            digits(i + 1..i + 3) && at(i + 3, b':') && digits(i + 4..i + 6) && i + 6 == b.len()
        }
        _ => false,
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
mod tests {
    use super::*;

    fn valid() -> Ticket {
        let mut t = Ticket::new(new_ticket_id(42), "2026-11-27T10:00:00+01:00".into());
        t.trying_to_do = "Upload a contract".into();
        t.what_happened = "It failed".into();
        t.name = "Ada".into();
        t.email = "ada@example.com".into();
        t
    }

    fn fields(t: &Ticket) -> Vec<TicketField> {
        check_ticket(t).into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_ticket_is_valid() {
        assert_eq!(fields(&valid()), []);
    }

    #[test]
    fn every_missing_required_field_is_reported() {
        let t = Ticket::new("FX-1".into(), String::new());
        assert_eq!(
            fields(&t),
            [
                TicketField::TryingToDo,
                TicketField::WhatHappened,
                TicketField::Name,
                TicketField::Email
            ]
        );
    }

    #[test]
    fn email_and_time_formats_are_checked() {
        let mut t = valid();
        t.email = "ada at example".into();
        t.occurred_at = "yesterday".into();
        assert_eq!(fields(&t), [TicketField::Email, TicketField::OccurredAt]);
        for ok in ["2026-11-27T10:00:00Z", "2026-11-27T10:00:00.123-05:00"] {
            assert!(is_iso_datetime_with_offset(ok), "{ok}");
        }
        for bad in [
            "2026-11-27T10:00Z",
            "2026-11-27T10:00:00",
            "2026-11-27T10:00:00+0100",
            "2026-11-27 10:00:00Z",
        ] {
            assert!(!is_iso_datetime_with_offset(bad), "{bad}");
        }
        for bad in ["@x.com", "a@", "a@x", "a b@x.com", "a@x..com", "a@.x.com"] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
    }

    #[test]
    fn overlong_text_is_reported_with_its_length() {
        let mut t = valid();
        t.what_happened = "x".repeat(MAX_TEXT_CHARS + 1);
        let errors = check_ticket(&t);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("5001"));
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
            .map(|t| (t.step.as_str(), t.result()))
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
