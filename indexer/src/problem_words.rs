//! How `fixpath check` words the problems the engine finds in a kb's config and front
//! matter: the engine returns them typed ([`HoursProblem`], [`DeliveryProblem`], …), and
//! every sentence an author reads about them is written here, in one place.

use fixpath_engine::config::{DeliveryProblem, InsightsProblem, DELIVERY_KINDS};
use fixpath_engine::hours::HoursProblem;
use fixpath_engine::relay_api::{INSIGHTS_PATH, TICKETS_PATH};
use fixpath_engine::strings::StringsProblem;
use fixpath_engine::ticket_fields::FieldsProblem;

/// `[support.hours]`.
pub fn hours(problem: &HoursProblem) -> String {
    let said = match problem {
        HoursProblem::NotARange { day, range } => {
            format!("{day}: {range:?} is not like 08:00-18:00 (start before end, 00:00 to 24:00)")
        }
        HoursProblem::Overlapping { day, text } => {
            format!("{day}: {text:?} has overlapping ranges")
        }
        HoursProblem::HolidayNotADate(date) => format!("holiday {date:?} is not a YYYY-MM-DD date"),
        HoursProblem::HolidayTwice(date) => format!("holiday {date} is listed twice"),
    };
    format!("support hours: {said}")
}

/// `[delivery]`.
pub fn delivery(problem: &DeliveryProblem) -> String {
    match problem {
        DeliveryProblem::UnknownKind(kind) => {
            let kinds: Vec<String> = DELIVERY_KINDS.iter().map(|k| format!("{k:?}")).collect();
            format!("delivery kind {kind:?} is not one of {}", kinds.join(", "))
        }
        DeliveryProblem::RelayNeedsUrl(url) => format!(
            "delivery kind \"relay\" needs url = the relay's address, e.g. \"https://relay.example.com\" (not {url:?})"
        ),
        DeliveryProblem::RelayUrlHasPath => {
            format!("url is the relay's base address: the widget adds {TICKETS_PATH} itself")
        }
        DeliveryProblem::PlainHttp(url) => format!(
            "{url:?} is plain HTTP: tickets hold personal data, serve the relay over https://"
        ),
    }
}

/// `[insights]`.
pub fn insights(problem: InsightsProblem) -> String {
    match problem {
        InsightsProblem::NoReceiver => format!(
            "[insights] need a receiver: deliver tickets to a relay (kind = \"relay\"), which takes them at {INSIGHTS_PATH}, or set url"
        ),
    }
}

/// `[strings]`, or `[languages.TAG.strings]` (`section`).
pub fn strings(section: &str, problem: &StringsProblem) -> String {
    match problem {
        StringsProblem::UnknownKey { key, suggestion } => {
            let hint = suggestion
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            format!("{section}: `{key}` is not a widget string{hint}")
        }
        StringsProblem::Placeholders { key, wanted, given } => {
            let list = |names: &[String]| {
                if names.is_empty() {
                    "none".to_string()
                } else {
                    let braced: Vec<String> = names.iter().map(|n| format!("{{{n}}}")).collect();
                    braced.join(", ")
                }
            };
            format!(
                "{section}: `{key}` should use the placeholders {} (it uses {})",
                list(wanted),
                list(given)
            )
        }
    }
}

/// `[ticket]`, or an article's `ticket_fields`.
pub fn fields(problem: &FieldsProblem) -> String {
    match problem {
        FieldsProblem::NotAField {
            list,
            key,
            known,
            suggestion,
        } => match suggestion {
            Some(k) => format!("`{key}` in `{list}` is not a default field; did you mean `{k}`?"),
            None => format!(
                "`{key}` in `{list}` is not a default field (they are: {})",
                known.join(", ")
            ),
        },
        FieldsProblem::RequiredAndHidden(key) => format!("`{key}` is both required and hidden"),
        FieldsProblem::CannotHide(key) => {
            format!("`{key}` cannot be hidden: every ticket needs it")
        }
        FieldsProblem::MalformedKey(key) => {
            format!("field key `{key}` must be lowercase letters, digits and `_`")
        }
        FieldsProblem::DefaultKey(key) => {
            format!("field key `{key}` is a default field; pick another key")
        }
        FieldsProblem::DuplicateKey(key) => format!("field key `{key}` is used twice"),
        FieldsProblem::NoLabel(key) => format!("field `{key}` has no label"),
    }
}
