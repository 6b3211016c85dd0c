//! The ticket fields answered by picking one of a fixed set (how often, how many people,
//! how blocked): their options in the form's order, by the keys the JSON uses, so the
//! form's selects and the ticket can never disagree on a name.

use super::check::TicketField;
use super::model::{Frequency, Ticket};
use crate::triage::{Impact, Urgency};

/// One of the form's fixed-choice fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceField {
    Frequency,
    Impact,
    Urgency,
}

const FREQUENCY: [(&str, Frequency); 3] = [
    ("always", Frequency::Always),
    ("sometimes", Frequency::Sometimes),
    ("once", Frequency::Once),
];
const IMPACT: [(&str, Impact); 4] = [
    ("just_me", Impact::JustMe),
    ("several_people", Impact::SeveralPeople),
    ("whole_team", Impact::WholeTeam),
    ("customers", Impact::Customers),
];
const URGENCY: [(&str, Urgency); 3] = [
    ("blocked", Urgency::Blocked),
    ("workaround", Urgency::Workaround),
    ("can_wait", Urgency::CanWait),
];

fn key_of<T: PartialEq + Copy>(
    table: &[(&'static str, T)],
    value: Option<T>,
) -> Option<&'static str> {
    let value = value?;
    table.iter().find(|(_, v)| *v == value).map(|(k, _)| *k)
}

fn value_of<T: Copy>(table: &[(&str, T)], key: &str) -> Option<T> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

impl ChoiceField {
    pub fn field(self) -> TicketField {
        match self {
            ChoiceField::Frequency => TicketField::Frequency,
            ChoiceField::Impact => TicketField::Impact,
            ChoiceField::Urgency => TicketField::Urgency,
        }
    }

    /// The options' keys, in the form's order (`form.<field>.<key>` is each one's label).
    pub fn options(self) -> Vec<&'static str> {
        match self {
            ChoiceField::Frequency => FREQUENCY.iter().map(|(k, _)| *k).collect(),
            ChoiceField::Impact => IMPACT.iter().map(|(k, _)| *k).collect(),
            ChoiceField::Urgency => URGENCY.iter().map(|(k, _)| *k).collect(),
        }
    }

    /// The key of the option `ticket` has, if any.
    pub fn get(self, ticket: &Ticket) -> Option<&'static str> {
        match self {
            ChoiceField::Frequency => key_of(&FREQUENCY, ticket.frequency),
            ChoiceField::Impact => key_of(&IMPACT, ticket.impact),
            ChoiceField::Urgency => key_of(&URGENCY, ticket.urgency),
        }
    }

    /// Picks option `key`; any other text (the empty "Choose…") clears the field.
    pub fn set(self, ticket: &mut Ticket, key: &str) {
        match self {
            ChoiceField::Frequency => ticket.frequency = value_of(&FREQUENCY, key),
            ChoiceField::Impact => ticket.impact = value_of(&IMPACT, key),
            ChoiceField::Urgency => ticket.urgency = value_of(&URGENCY, key),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_option_is_named_as_in_the_ticket_json_and_round_trips() {
        for field in [
            ChoiceField::Frequency,
            ChoiceField::Impact,
            ChoiceField::Urgency,
        ] {
            for key in field.options() {
                let mut ticket = Ticket::new("T".into(), String::new());
                field.set(&mut ticket, key);
                assert_eq!(field.get(&ticket), Some(key));
                let json = serde_json::to_value(&ticket).unwrap();
                assert_eq!(json[field.field().key()], key, "{field:?}");
                field.set(&mut ticket, "");
                assert_eq!(field.get(&ticket), None);
            }
        }
    }
}
