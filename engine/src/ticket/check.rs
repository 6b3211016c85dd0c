//! Checking a ticket before it is sent (in the form) and when it arrives (at a receiver):
//! required fields as the kb configures them, lengths, formats, extra fields' answers.

use super::model::{Ticket, MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_TEXT_CHARS};
use crate::language::Language;
use crate::strings::Message;
use crate::ticket_fields::{attachments_problem, TicketConfig};

/// The form fields validation can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TicketField {
    TryingToDo,
    WhatHappened,
    ErrorMessage,
    OccurredAt,
    StepsToReproduce,
    Frequency,
    Impact,
    Urgency,
    Attachments,
    Name,
    Email,
    /// The widget's language: never typed, so only a forged ticket gets it wrong.
    Language,
    /// `extra_fields[n]`.
    Extra(u16),
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
            TicketField::Frequency => "frequency",
            TicketField::Impact => "impact",
            TicketField::Urgency => "urgency",
            TicketField::Attachments => "attachments",
            TicketField::Name => "name",
            TicketField::Email => "email",
            TicketField::Language => "language",
            TicketField::Extra(_) => "extra_fields",
        }
    }
}

/// One validation problem, in words a customer understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: TicketField,
    /// The field's key in the ticket JSON (an extra field's own key).
    pub key: String,
    pub message: Message,
}

/// Every problem with `ticket`, given the kb's `fields` settings; empty when it can be sent.
pub fn check_ticket(ticket: &Ticket, fields: &TicketConfig) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut error = |field: TicketField, message: Message| {
        let key = match field {
            TicketField::Extra(n) => ticket
                .extra_fields
                .get(n as usize)
                .map_or_else(String::new, |f| f.key.clone()),
            _ => field.key().to_string(),
        };
        errors.push(FieldError {
            field,
            key,
            message,
        })
    };
    let required = [
        (
            TicketField::TryingToDo,
            ticket.trying_to_do.trim().is_empty(),
            "error.required.trying_to_do",
        ),
        (
            TicketField::WhatHappened,
            ticket.what_happened.trim().is_empty(),
            "error.required.what_happened",
        ),
        (
            TicketField::ErrorMessage,
            ticket.error_message.trim().is_empty(),
            "error.required.error_message",
        ),
        (
            TicketField::OccurredAt,
            ticket.occurred_at.trim().is_empty(),
            "error.required.occurred_at",
        ),
        (
            TicketField::Frequency,
            ticket.frequency.is_none(),
            "error.required.frequency",
        ),
        (
            TicketField::StepsToReproduce,
            ticket.steps_to_reproduce.trim().is_empty(),
            "error.required.steps_to_reproduce",
        ),
        (
            TicketField::Impact,
            ticket.impact.is_none(),
            "error.required.impact",
        ),
        (
            TicketField::Urgency,
            ticket.urgency.is_none(),
            "error.required.urgency",
        ),
        (
            TicketField::Name,
            ticket.name.trim().is_empty(),
            "error.required.name",
        ),
        (
            TicketField::Email,
            ticket.email.trim().is_empty(),
            "error.required.email",
        ),
    ];
    for (field, missing, key) in required {
        if missing && fields.is_required(field.key()) && fields.is_shown(field.key()) {
            error(field, Message::new(key));
        }
    }
    if let Some(problem) = attachments_problem(&ticket.attachments) {
        error(TicketField::Attachments, problem);
    }
    for (n, extra) in ticket.extra_fields.iter().enumerate() {
        let field = TicketField::Extra(n as u16);
        let value = extra.value.trim();
        let length = extra.value.chars().count();
        if extra.required && value.is_empty() {
            error(field, Message::new("error.required.extra"));
        } else if !value.is_empty()
            && !extra.options.is_empty()
            && !extra.options.iter().any(|o| o == value)
        {
            error(field, Message::new("error.choose_offered"));
        } else if length > MAX_TEXT_CHARS {
            error(field, too_long(MAX_TEXT_CHARS, length));
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
            error(field, too_long(max, len));
        }
    }
    if !ticket.email.trim().is_empty() && !is_plausible_email(ticket.email.trim()) {
        error(TicketField::Email, Message::new("error.email"));
    }
    if !ticket.occurred_at.is_empty() && !is_iso_datetime_with_offset(&ticket.occurred_at) {
        error(TicketField::OccurredAt, Message::new("error.time"));
    }
    let language_ok = ticket.language.len() <= MAX_LANGUAGE_CHARS
        && (ticket.language.is_empty() || Language::parse(&ticket.language).is_some());
    if !language_ok {
        error(TicketField::Language, Message::new("error.choose_offered"));
    }
    errors
}

/// Longer than any language tag a kb would publish (`zh-hant-tw` is 10).
const MAX_LANGUAGE_CHARS: usize = 35;

fn too_long(max: usize, length: usize) -> Message {
    Message::new("error.too_long")
        .with("max", max)
        .with("length", length)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket::model::tests::valid;
    use crate::ticket_fields::ExtraField;

    fn fields(t: &Ticket) -> Vec<TicketField> {
        check_ticket(t, &TicketConfig::default())
            .into_iter()
            .map(|e| e.field)
            .collect()
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
    fn the_kb_chooses_what_is_required_and_extra_fields_are_checked() {
        let config = TicketConfig {
            required: vec!["error_message".into(), "impact".into(), "name".into()],
            hidden: vec!["name".into()],
            ..TicketConfig::default()
        };
        let mut t = Ticket::new("FX-1".into(), String::new());
        t.extra_fields = vec![
            ExtraField {
                key: "deal_room".into(),
                label: "Deal room".into(),
                value: " ".into(),
                required: true,
                options: Vec::new(),
            },
            ExtraField {
                key: "plan".into(),
                label: "Plan".into(),
                value: "Platinum".into(),
                required: false,
                options: vec!["Free".into(), "Pro".into()],
            },
        ];
        let errors = check_ticket(&t, &config);
        let keys: Vec<_> = errors.iter().map(|e| (e.field, e.key.as_str())).collect();
        assert_eq!(
            keys,
            [
                (TicketField::WhatHappened, "what_happened"),
                (TicketField::ErrorMessage, "error_message"),
                (TicketField::Impact, "impact"),
                (TicketField::Email, "email"),
                (TicketField::Extra(0), "deal_room"),
                (TicketField::Extra(1), "plan"),
            ],
            "a hidden field is never required; email and what happened always are"
        );
        t.extra_fields[1].value = "Pro".into();
        t.extra_fields[0].value = "Acme".into();
        assert!(t.to_text().contains("Deal room: Acme\nPlan: Pro\n"));
    }

    #[test]
    fn email_and_time_formats_are_checked() {
        let mut t = valid();
        t.email = "ada at example".into();
        t.occurred_at = "yesterday".into();
        t.language = "<b>fr</b>".into();
        assert_eq!(
            fields(&t),
            [
                TicketField::Email,
                TicketField::OccurredAt,
                TicketField::Language
            ]
        );
        t.language = "pt-BR".into();
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
        let errors = check_ticket(&t, &TicketConfig::default());
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.english().contains("5001"));
    }
}
