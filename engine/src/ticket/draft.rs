//! The ticket draft from escalation to a validated ticket: what the customer already told
//! us is carried into the form when they ask for support, and the draft is triaged, trimmed
//! to what the kb asks and checked when they send it. The widget only renders the draft.

use super::check::{check_ticket, FieldError};
use super::model::{Ticket, TriedStep};
use crate::ticket_fields::{ExtraField, FieldSpec, TicketConfig};
use crate::triage::{triage, TriageMatrix};

/// What the customer had told us when they chose to contact support.
pub struct Escalation<'a> {
    /// The search box's text.
    pub query: &'a str,
    /// The guide steps answered on the way, in answer order.
    pub tried: Vec<TriedStep>,
    /// The kb's own questions (`[ticket]` fields) and the article's (`ticket_fields`).
    pub kb_fields: &'a [FieldSpec],
    pub article_fields: &'a [FieldSpec],
}

/// Carries `escalation` into `draft`: the kb's and the article's questions, each asked
/// once; the steps tried, each listed once however often the customer escalates; and the
/// query as "what happened" unless they already wrote something there.
pub fn escalate(draft: &mut Ticket, escalation: Escalation<'_>) {
    ExtraField::add_missing(&mut draft.extra_fields, escalation.kb_fields);
    ExtraField::add_missing(&mut draft.extra_fields, escalation.article_fields);
    for step in escalation.tried {
        if !draft.steps_tried.contains(&step) {
            draft.steps_tried.push(step);
        }
    }
    if draft.what_happened.is_empty() {
        draft.what_happened = escalation.query.trim().to_string();
    }
}

/// The ticket `draft` becomes when sent: triaged by the kb's matrix, without the
/// environment when the kb does not ask for it, and checked against the kb's fields. Every
/// problem at once when it is not ready, in the form's order.
pub fn finish(
    draft: &Ticket,
    fields: &TicketConfig,
    matrix: &TriageMatrix,
) -> Result<Ticket, Vec<FieldError>> {
    let mut ticket = draft.clone();
    let assessment = triage(
        matrix,
        ticket.impact,
        ticket.urgency,
        ticket.security_concern,
    );
    ticket.priority = assessment.priority;
    ticket.severity = assessment.severity;
    if !fields.is_shown("environment") {
        ticket.environment.clear();
    }
    let problems = check_ticket(&ticket, fields);
    if problems.is_empty() {
        Ok(ticket)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::Outcome;
    use crate::ticket::model::tests::valid;
    use crate::ticket::{EnvironmentItem, TicketField};
    use crate::triage::{Impact, Severity, Urgency};

    fn spec(key: &str) -> FieldSpec {
        FieldSpec {
            key: key.into(),
            label: key.to_uppercase(),
            required: false,
            options: Vec::new(),
        }
    }

    fn step(title: &str) -> TriedStep {
        TriedStep {
            article: "uploads.md".into(),
            step: title.into(),
            outcome: Outcome::DidntHelp,
            answer: None,
        }
    }

    /// A draft as the form starts it: nothing written yet.
    fn empty() -> Ticket {
        let mut draft = valid();
        draft.what_happened.clear();
        draft.extra_fields.clear();
        draft.steps_tried.clear();
        draft
    }

    #[test]
    fn escalating_twice_asks_each_question_and_lists_each_step_once() {
        let mut draft = empty();
        let kb = [spec("plan")];
        let article = [spec("plan"), spec("file_size")];
        for _ in 0..2 {
            escalate(
                &mut draft,
                Escalation {
                    query: "  upload stops at 100%  ",
                    tried: vec![step("Clear the cache"), step("Try another browser")],
                    kb_fields: &kb,
                    article_fields: &article,
                },
            );
        }
        let keys: Vec<&str> = draft.extra_fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["plan", "file_size"]);
        assert_eq!(draft.steps_tried.len(), 2);
        assert_eq!(draft.what_happened, "upload stops at 100%");
    }

    #[test]
    fn what_the_customer_wrote_is_never_replaced_by_the_query() {
        let mut draft = empty();
        draft.what_happened = "It says E-UP-413".into();
        escalate(
            &mut draft,
            Escalation {
                query: "upload",
                tried: Vec::new(),
                kb_fields: &[],
                article_fields: &[],
            },
        );
        assert_eq!(draft.what_happened, "It says E-UP-413");
    }

    #[test]
    fn a_finished_ticket_is_triaged_and_trimmed_to_what_the_kb_asks() {
        let mut draft = valid();
        draft.impact = Some(Impact::Customers);
        draft.urgency = Some(Urgency::Blocked);
        draft.environment = vec![EnvironmentItem {
            key: "browser".into(),
            value: "Firefox".into(),
        }];
        let hidden = TicketConfig {
            hidden: vec!["environment".into()],
            ..TicketConfig::default()
        };
        let ticket = finish(&draft, &hidden, &TriageMatrix::default()).unwrap();
        assert_eq!(ticket.severity, Severity::Critical);
        assert!(ticket.environment.is_empty());
        let shown = finish(&draft, &TicketConfig::default(), &TriageMatrix::default()).unwrap();
        assert_eq!(shown.environment.len(), 1);
    }

    #[test]
    fn an_unfinished_draft_comes_back_with_every_problem() {
        let mut draft = valid();
        draft.what_happened.clear();
        draft.email = "not an address".into();
        let problems =
            finish(&draft, &TicketConfig::default(), &TriageMatrix::default()).unwrap_err();
        let fields: Vec<TicketField> = problems.iter().map(|p| p.field).collect();
        assert!(fields.contains(&TicketField::WhatHappened), "{fields:?}");
        assert!(fields.contains(&TicketField::Email), "{fields:?}");
    }
}
