//! A ticket as labelled sections, in the order a support agent reads them: who, what they
//! were doing, what happened, the exact error, how bad, when and how often, what they
//! already tried, the environment, the files. Every rendering of a ticket for people (the
//! plain text here, the relay's HTML and Markdown for help desks) walks these, so they all
//! say the same.

use super::model::{Frequency, Ticket};
use crate::ticket_fields::human_size;
use crate::triage::{Impact, Urgency};

/// One labelled part of a ticket. Empty sections are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// English: the support team's side (the customer's wording is in the values).
    pub label: String,
    /// One value, or one per line item (steps tried, environment, attachments).
    pub items: Vec<String>,
    /// Shown exactly as typed, in a monospace block (the error message).
    pub verbatim: bool,
}

impl Ticket {
    /// The sections of this ticket, empty ones left out.
    pub fn sections(&self) -> Vec<Section> {
        let mut out = Vec::new();
        let mut one = |label: &str, value: String, verbatim: bool| {
            if !value.trim().is_empty() {
                out.push(Section {
                    label: label.to_string(),
                    items: vec![value],
                    verbatim,
                });
            }
        };
        one("From", format!("{} <{}>", self.name, self.email), false);
        one("Language", self.language.clone(), false);
        one("Trying to do", self.trying_to_do.clone(), false);
        one("What happened", self.what_happened.clone(), false);
        one("Error", self.error_message.clone(), true);
        let priority = self
            .priority
            .map(|p| format!(" ({p:?})"))
            .unwrap_or_default();
        one("Severity", format!("{:?}{priority}", self.severity), false);
        one(
            "Impact",
            self.impact.map(impact_words).unwrap_or_default().into(),
            false,
        );
        one(
            "Urgency",
            self.urgency.map(urgency_words).unwrap_or_default().into(),
            false,
        );
        if self.security_concern {
            one("Security or data loss", "yes".into(), false);
        }
        one("When", self.occurred_at.clone(), false);
        one(
            "How often",
            self.frequency
                .map(frequency_words)
                .unwrap_or_default()
                .into(),
            false,
        );
        one("Steps to reproduce", self.steps_to_reproduce.clone(), false);
        for f in &self.extra_fields {
            one(&f.label, f.value.clone(), false);
        }
        let mut many = |label: &str, items: Vec<String>| {
            if !items.is_empty() {
                out.push(Section {
                    label: label.to_string(),
                    items,
                    verbatim: false,
                });
            }
        };
        many(
            "Tried",
            self.steps_tried
                .iter()
                .map(|s| format!("{} → {} → {}", s.article, s.step, s.result().english()))
                .collect(),
        );
        many(
            "Attached",
            self.attachments
                .iter()
                .map(|a| format!("{} ({}, {})", a.name, a.content_type, human_size(a.size)))
                .collect(),
        );
        many(
            "Env",
            self.environment
                .iter()
                .map(|e| format!("{} = {}", e.key, e.value))
                .collect(),
        );
        out
    }

    /// A plain-text rendering for help desks (and consoles) that show text: a heading,
    /// then `Label: value`, one line per item.
    pub fn to_text(&self) -> String {
        let mut out = format!("Ticket {} ({})\n", self.id, self.created_at);
        for section in self.sections() {
            for item in &section.items {
                out.push_str(&format!("{}: {item}\n", section.label));
            }
        }
        out
    }

    /// A one-line subject: the reference and what the customer was trying to do (or what
    /// happened), cut at `max` characters.
    pub fn subject(&self, max: usize) -> String {
        let summary = if self.trying_to_do.trim().is_empty() {
            &self.what_happened
        } else {
            &self.trying_to_do
        };
        let summary = summary.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut subject = format!("[{}] {summary}", self.id);
        if subject.chars().count() > max {
            subject = subject
                .chars()
                .take(max.saturating_sub(1))
                .collect::<String>()
                + "…";
        }
        subject
    }
}

fn impact_words(impact: Impact) -> &'static str {
    match impact {
        Impact::JustMe => "just them",
        Impact::SeveralPeople => "several people",
        Impact::WholeTeam => "their whole team",
        Impact::Customers => "their customers or production",
    }
}

fn urgency_words(urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::Blocked => "blocked, no workaround",
        Urgency::Workaround => "a workaround exists",
        Urgency::CanWait => "can wait",
    }
}

fn frequency_words(frequency: Frequency) -> &'static str {
    match frequency {
        Frequency::Always => "every time",
        Frequency::Sometimes => "sometimes",
        Frequency::Once => "once",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket::model::tests::valid;

    #[test]
    fn sections_come_in_reading_order_and_empty_ones_are_left_out() {
        let mut t = valid();
        t.error_message = "E-UP-413  (verbatim)".into();
        t.impact = Some(Impact::WholeTeam);
        t.frequency = Some(Frequency::Always);
        let labels: Vec<String> = t.sections().into_iter().map(|s| s.label).collect();
        assert_eq!(
            labels,
            [
                "From",
                "Trying to do",
                "What happened",
                "Error",
                "Severity",
                "Impact",
                "When",
                "How often"
            ]
        );
        let error = &t.sections()[3];
        assert!(error.verbatim && error.items == ["E-UP-413  (verbatim)"]);
        assert!(t.to_text().contains("Impact: their whole team\n"));
    }

    #[test]
    fn subjects_carry_the_reference_and_are_cut() {
        let mut t = valid();
        t.trying_to_do = "Upload   a\ncontract".into();
        assert_eq!(t.subject(200), format!("[{}] Upload a contract", t.id));
        assert_eq!(t.subject(20).chars().count(), 20);
        assert!(t.subject(20).ends_with('…'));
        t.trying_to_do.clear();
        assert!(t.subject(200).ends_with("It failed"));
    }
}
