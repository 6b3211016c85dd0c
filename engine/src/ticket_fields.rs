//! Which ticket fields a kb asks for: `[ticket]` in `fixpath.toml` hides default fields,
//! chooses which are required and adds the team's own; an article's front matter can add
//! fields asked only when the customer comes from its guide (`ticket_fields:`).
//!
//! Extra fields travel on the ticket with their label, so a ticket (and a draft restored
//! after a reload) describes itself: support reads "Deal room: Acme", not a bare key.
//! Attachments travel on the ticket too, base64-encoded, within limits small enough for
//! the draft and the outbox to keep them in localStorage.

use serde::{Deserialize, Serialize};

use crate::strings::Message;

/// The default fields (BRIEF §6), by their stable keys, in form order.
pub const DEFAULT_FIELDS: &[&str] = &[
    "trying_to_do",
    "what_happened",
    "error_message",
    "occurred_at",
    "frequency",
    "steps_to_reproduce",
    "impact",
    "urgency",
    "security_concern",
    "environment",
    "attachments",
    "name",
    "email",
];

/// Fields every ticket has, whatever the config says: the problem, and a way to answer.
pub const ALWAYS_REQUIRED: &[&str] = &["what_happened", "email"];

/// Default fields that cannot be required: a checkbox, and what is gathered or attached
/// rather than typed.
const NEVER_REQUIRED: &[&str] = &["security_concern", "environment", "attachments"];

/// Default fields that can be required: text fields and choices.
fn requirable() -> Vec<&'static str> {
    DEFAULT_FIELDS
        .iter()
        .copied()
        .filter(|f| !NEVER_REQUIRED.contains(f))
        .collect()
}

/// `[ticket]` in `fixpath.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TicketConfig {
    /// Default fields that must be filled in (`what_happened` and `email` always are).
    pub required: Vec<String>,
    /// Default fields not asked at all.
    pub hidden: Vec<String>,
    /// The team's own fields, asked on every ticket after the defaults.
    pub fields: Vec<FieldSpec>,
}

impl Default for TicketConfig {
    fn default() -> Self {
        TicketConfig {
            required: ["trying_to_do", "what_happened", "name", "email"]
                .map(String::from)
                .to_vec(),
            hidden: Vec::new(),
            fields: Vec::new(),
        }
    }
}

impl TicketConfig {
    /// Only what every ticket must have: how a receiver that does not know the kb checks.
    pub fn minimal() -> TicketConfig {
        TicketConfig {
            required: Vec::new(),
            ..TicketConfig::default()
        }
    }

    pub fn is_required(&self, key: &str) -> bool {
        ALWAYS_REQUIRED.contains(&key) || self.required.iter().any(|r| r == key)
    }

    pub fn is_shown(&self, key: &str) -> bool {
        !self.hidden.iter().any(|h| h == key)
    }

    /// Everything wrong with this section.
    pub fn problems(&self) -> Vec<FieldsProblem> {
        let mut problems = Vec::new();
        let requirable = requirable();
        for key in &self.required {
            if !requirable.contains(&key.as_str()) {
                problems.push(not_a_field("required", key, &requirable));
            } else if self.hidden.contains(key) {
                problems.push(FieldsProblem::RequiredAndHidden(key.clone()));
            }
        }
        for key in &self.hidden {
            if !DEFAULT_FIELDS.contains(&key.as_str()) {
                problems.push(not_a_field("hidden", key, DEFAULT_FIELDS));
            } else if ALWAYS_REQUIRED.contains(&key.as_str()) {
                problems.push(FieldsProblem::CannotHide(key.clone()));
            }
        }
        problems.extend(spec_problems(&self.fields));
        problems
    }
}

/// What is wrong with `[ticket]`, or with an article's `ticket_fields`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldsProblem {
    /// `key`, in the list `list` (`required`, `hidden`), is none of `known`; `suggestion`
    /// is the one probably meant.
    NotAField {
        list: &'static str,
        key: String,
        known: Vec<&'static str>,
        suggestion: Option<&'static str>,
    },
    RequiredAndHidden(String),
    /// A field every ticket needs, listed as hidden.
    CannotHide(String),
    /// An extra field's key that is not lowercase letters, digits and `_`.
    MalformedKey(String),
    /// An extra field's key that is a default field's.
    DefaultKey(String),
    DuplicateKey(String),
    NoLabel(String),
}

impl FieldsProblem {
    /// The value it is about (a key), to find it in the file.
    pub fn value(&self) -> &str {
        match self {
            FieldsProblem::NotAField { key, .. }
            | FieldsProblem::RequiredAndHidden(key)
            | FieldsProblem::CannotHide(key)
            | FieldsProblem::MalformedKey(key)
            | FieldsProblem::DefaultKey(key)
            | FieldsProblem::DuplicateKey(key)
            | FieldsProblem::NoLabel(key) => key,
        }
    }
}

fn not_a_field(list: &'static str, key: &str, known: &[&'static str]) -> FieldsProblem {
    let suggestion = known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(key, k), *k))
        .min()
        .filter(|(d, _)| *d <= 3)
        .map(|(_, k)| k);
    FieldsProblem::NotAField {
        list,
        key: key.to_string(),
        known: known.to_vec(),
        suggestion,
    }
}

/// One extra field, as a kb author declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Stable key in the ticket JSON: lowercase letters, digits and `_`.
    pub key: String,
    /// The question on the form.
    pub label: String,
    #[serde(default)]
    pub required: bool,
    /// When given, the answer is picked from these.
    #[serde(default)]
    pub options: Vec<String>,
}

/// Problems with a list of extra fields (config or front matter).
pub fn spec_problems(specs: &[FieldSpec]) -> Vec<FieldsProblem> {
    let mut problems = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let key = &spec.key;
        let well_formed = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !well_formed {
            problems.push(FieldsProblem::MalformedKey(key.clone()));
        } else if DEFAULT_FIELDS.contains(&key.as_str()) {
            problems.push(FieldsProblem::DefaultKey(key.clone()));
        } else if specs[..i].iter().any(|s| s.key == *key) {
            problems.push(FieldsProblem::DuplicateKey(key.clone()));
        }
        if spec.label.trim().is_empty() {
            problems.push(FieldsProblem::NoLabel(key.clone()));
        }
    }
    problems
}

/// At most this many files per ticket.
pub const MAX_ATTACHMENTS: usize = 3;
/// At most this many bytes in all (before base64): localStorage holds about 5 MB per site,
/// and a ticket must fit there twice over (draft, then outbox) to survive a reload.
pub const MAX_ATTACHMENT_BYTES: u64 = 1_500_000;

/// A file the customer attached (a screenshot, a log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: String,
    /// As the browser reported it, e.g. `image/png`.
    pub content_type: String,
    /// Bytes before encoding.
    pub size: u64,
    /// The bytes, standard base64.
    pub data_base64: String,
}

/// Why a set of attachments cannot be sent; `None` when it can.
pub fn attachments_problem(attachments: &[Attachment]) -> Option<Message> {
    let total: u64 = attachments.iter().map(|a| a.size).sum();
    // Base64 is 4 characters per 3 bytes: a longer payload is not the declared size.
    let consistent = attachments
        .iter()
        .all(|a| a.data_base64.len() as u64 <= a.size.div_ceil(3) * 4);
    if attachments.len() > MAX_ATTACHMENTS {
        Some(Message::new("error.attachments_count").with("max", MAX_ATTACHMENTS))
    } else if total > MAX_ATTACHMENT_BYTES || !consistent {
        Some(over_the_size_limit(total))
    } else {
        None
    }
}

/// Why a file of `size` bytes cannot be attached even on its own (it is over the whole
/// limit), so the form refuses it before reading it; None when it may be read.
pub fn too_large_to_read(size: u64) -> Option<Message> {
    (size > MAX_ATTACHMENT_BYTES).then(|| over_the_size_limit(size))
}

/// "Attachments can be {max} in all; these are {size}."
fn over_the_size_limit(size: u64) -> Message {
    Message::new("error.attachments_size")
        .with("max", human_size(MAX_ATTACHMENT_BYTES))
        .with("size", human_size(size))
}

/// `attachments` with `new` added, or why that would break the limits.
pub fn with_attachment(
    attachments: &[Attachment],
    new: Attachment,
) -> Result<Vec<Attachment>, Message> {
    let mut candidate = attachments.to_vec();
    candidate.push(new);
    match attachments_problem(&candidate) {
        None => Ok(candidate),
        Some(problem) => Err(problem),
    }
}

/// `1.5 MB`, `640 KB`.
pub fn human_size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else {
        format!("{} KB", bytes.div_ceil(1000))
    }
}

/// An extra field on a ticket: its question and the customer's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraField {
    pub key: String,
    pub label: String,
    pub value: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

impl ExtraField {
    /// Adds the fields of `specs` not already on `fields` (a field asked twice is one).
    pub fn add_missing(fields: &mut Vec<ExtraField>, specs: &[FieldSpec]) {
        for spec in specs {
            if !fields.iter().any(|f| f.key == spec.key) {
                fields.push(ExtraField {
                    key: spec.key.clone(),
                    label: spec.label.clone(),
                    value: String::new(),
                    required: spec.required,
                    options: spec.options.clone(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, size: u64) -> Attachment {
        Attachment {
            name: name.into(),
            content_type: "text/plain".into(),
            size,
            data_base64: "A".repeat(size.div_ceil(3) as usize * 4),
        }
    }

    #[test]
    fn a_file_over_the_whole_limit_is_refused_before_it_is_read() {
        assert!(too_large_to_read(MAX_ATTACHMENT_BYTES).is_none());
        let refused = too_large_to_read(MAX_ATTACHMENT_BYTES + 1).unwrap();
        assert_eq!(refused.key, "error.attachments_size");
    }

    #[test]
    fn attachments_are_added_while_they_fit_the_limits() {
        let mut list = Vec::new();
        for n in 0..MAX_ATTACHMENTS {
            list = with_attachment(&list, file(&format!("{n}.txt"), 10)).unwrap();
        }
        let refused = with_attachment(&list, file("one-more.txt", 10)).unwrap_err();
        assert_eq!(refused.key, "error.attachments_count");
        let half = MAX_ATTACHMENT_BYTES / 2 + 1;
        let one = with_attachment(&[], file("a.bin", half)).unwrap();
        let refused = with_attachment(&one, file("b.bin", half)).unwrap_err();
        assert_eq!(refused.key, "error.attachments_size");
    }

    fn spec(key: &str, label: &str) -> FieldSpec {
        FieldSpec {
            key: key.into(),
            label: label.into(),
            required: false,
            options: Vec::new(),
        }
    }

    #[test]
    fn defaults_require_the_brief_fields_and_some_are_always_required() {
        let config = TicketConfig::default();
        assert!(config.is_required("name") && config.is_required("trying_to_do"));
        assert!(!config.is_required("error_message"));
        let minimal = TicketConfig::minimal();
        assert!(minimal.is_required("email") && minimal.is_required("what_happened"));
        assert!(!minimal.is_required("name"));
        assert!(config.problems().is_empty());
    }

    #[test]
    fn mistakes_in_the_ticket_section_are_named() {
        let config = TicketConfig {
            required: vec!["trying_to_doo".into(), "frequency".into()],
            hidden: vec!["email".into(), "frequency".into(), "colour".into()],
            fields: vec![
                spec("deal_room", "Deal room"),
                spec("deal_room", ""),
                spec("Name", "x"),
                spec("name", "x"),
            ],
        };
        assert_eq!(
            config.problems(),
            [
                FieldsProblem::NotAField {
                    list: "required",
                    key: "trying_to_doo".into(),
                    known: requirable(),
                    suggestion: Some("trying_to_do")
                },
                FieldsProblem::RequiredAndHidden("frequency".into()),
                FieldsProblem::CannotHide("email".into()),
                FieldsProblem::NotAField {
                    list: "hidden",
                    key: "colour".into(),
                    known: DEFAULT_FIELDS.to_vec(),
                    suggestion: None
                },
                FieldsProblem::DuplicateKey("deal_room".into()),
                FieldsProblem::NoLabel("deal_room".into()),
                FieldsProblem::MalformedKey("Name".into()),
                FieldsProblem::DefaultKey("name".into()),
            ]
        );
    }

    #[test]
    fn attachments_are_limited_in_number_and_size() {
        let file = |size: u64| Attachment {
            name: "a.png".into(),
            content_type: "image/png".into(),
            size,
            data_base64: "A".repeat(size.div_ceil(3) as usize * 4),
        };
        assert_eq!(attachments_problem(&[file(1000), file(500_000)]), None);
        assert_eq!(
            attachments_problem(&[file(1), file(1), file(1), file(1)])
                .map(|m| m.english())
                .as_deref(),
            Some("Attach at most 3 files.")
        );
        assert_eq!(
            attachments_problem(&[file(1_000_000), file(600_000)]).map(|m| m.english()).as_deref(),
            Some("Attachments can be 1.5 MB in all; these are 1.6 MB. Remove one, or send large files when support replies.")
        );
        let mut lying = file(3);
        lying.data_base64 = "A".repeat(4_000_000);
        assert!(
            attachments_problem(&[lying]).is_some(),
            "the declared size must match the data"
        );
    }

    #[test]
    fn extra_fields_are_added_once() {
        let mut fields = Vec::new();
        ExtraField::add_missing(&mut fields, &[spec("deal_room", "Deal room")]);
        fields[0].value = "Acme".into();
        ExtraField::add_missing(
            &mut fields,
            &[spec("deal_room", "Deal room"), spec("file", "File")],
        );
        let keys: Vec<_> = fields
            .iter()
            .map(|f| (f.key.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(keys, [("deal_room", "Acme"), ("file", "")]);
    }
}
