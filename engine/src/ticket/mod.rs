//! The ticket: the published JSON contract support teams receive, its validation, its
//! reference and its plain-text rendering.
//!
//! The JSON shape is versioned by [`TICKET_SCHEMA_VERSION`]; fields are only ever added.
//! Validation returns every problem at once, keyed by field, so the form can show each
//! one inline without touching the values the customer typed.
//!
//! By part: [`model`] is the ticket's fields (impact and urgency are [`crate::triage`]'s);
//! [`check`] validates a ticket against the kb's field settings; [`draft`] carries what
//! the customer told us into the form and finishes the draft into a ticket; [`sections`]
//! is how it reads to people; [`choices`] names the options of the fixed-choice fields.
//! `check` and `sections` import `model`, never each other.

pub mod check;
pub mod choices;
pub mod draft;
pub mod model;
pub mod sections;

pub use crate::triage::{Impact, Urgency};
pub use check::{
    check_ticket, is_iso_datetime_with_offset, is_plausible_email, FieldError, TicketField,
};
pub use choices::ChoiceField;
pub use draft::{escalate, finish, Escalation};
pub use model::{
    new_ticket_id, EnvironmentItem, Frequency, LocalDateTime, Ticket, TriedStep, MAX_EMAIL_CHARS,
    MAX_NAME_CHARS, MAX_TEXT_CHARS, TICKET_SCHEMA_VERSION,
};
pub use sections::Section;
