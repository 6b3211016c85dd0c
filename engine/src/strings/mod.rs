//! Every word the widget shows a customer, by key, with its English default. A kb's
//! `[strings]` replaces any of them (`kb/README.md` lists them all); `{name}` placeholders
//! are filled in when shown, so a translation may move them but should keep them.
//!
//! Engine messages meant for customers (form validation, triage) are built from this
//! catalog too, so one table holds all the wording.
//!
//! Fixpath ships the catalog in French, German and Spanish too ([`shipped`]). They are not
//! in the widget: a bundle in another language carries its words in its manifest
//! ([`for_bundle`]), so a page downloads only its own language's.

use std::collections::BTreeMap;

use crate::language::Language;

mod de;
mod es;
mod fr;

/// (key, English default).
pub const CATALOG: &[(&str, &str)] = &[
    // Search
    ("search.label", "Describe your problem or paste the error"),
    ("search.loading", "Loading help articles…"),
    ("search.unavailable", "Search is unavailable right now ({reason}). You can still contact support."),
    ("search.searching", "Searching…"),
    ("search.no_results", "No articles match. Contact support and we'll help."),
    ("search.found", "{count} articles found"),
    ("search.untranslated", "Not translated yet: {language}"),
    ("contact", "Contact support"),
    ("language.label", "Language"),
    // Guides
    ("guide.all_results", "← All results"),
    ("guide.progress", "Step {position} of {total}"),
    ("guide.question", "Did this fix it?"),
    ("guide.fixed", "Fixed it"),
    ("guide.didnt_help", "Didn't help"),
    ("guide.cant_do", "Can't do this"),
    ("guide.previous", "Previous step"),
    ("guide.resolved", "Great — glad that fixed it."),
    ("guide.back_to_help", "Back to help"),
    ("guide.still_stuck", "Still stuck? We'll send support everything you tried, so you won't have to repeat it."),
    ("guide.loading", "Loading the article…"),
    ("guide.unavailable", "This article could not be loaded ({reason}). You can still contact support."),
    ("guide.gone", "This article is no longer available."),
    // The widget's second piece (guides, form) could not be fetched
    ("pieces.unavailable", "This part of help could not be loaded. Check your connection and try again."),
    ("pieces.retry", "Try again"),
    // Ticket form
    ("form.title", "Contact support"),
    ("form.required_note", "Fields marked * are required."),
    ("form.error_summary", "Please fix {count} field(s) below."),
    ("form.trying_to_do", "What were you trying to do?"),
    ("form.what_happened", "What happened instead?"),
    ("form.error_message", "Exact error message or code (paste it)"),
    ("form.occurred_at", "When did it happen?"),
    ("form.frequency", "How often does it happen?"),
    ("form.frequency.always", "Every time"),
    ("form.frequency.sometimes", "Sometimes"),
    ("form.frequency.once", "Once"),
    ("form.steps_to_reproduce", "Steps to reproduce"),
    ("form.impact", "Who is affected?"),
    ("form.impact.just_me", "Just me"),
    ("form.impact.several_people", "Several people"),
    ("form.impact.whole_team", "Our whole team"),
    ("form.impact.customers", "Our customers or production"),
    ("form.urgency", "How urgent is it?"),
    ("form.urgency.blocked", "I'm blocked"),
    ("form.urgency.workaround", "There is a workaround"),
    ("form.urgency.can_wait", "It can wait"),
    ("form.choose", "Choose…"),
    ("form.security", "This may be a security or data-loss problem"),
    ("form.tried", "Steps you already tried"),
    ("form.tried_none", "None yet — you came straight here, and that's fine."),
    ("form.tried.fixed", "fixed it"),
    ("form.tried.didnt_help", "didn't help"),
    ("form.tried.cant_do", "couldn't do this"),
    ("form.tried.answered", "answered"),
    ("form.tried.answer", "“{answer}”"),
    ("form.environment", "Sent automatically (remove anything you prefer not to share)"),
    ("form.environment.page_url", "Page"),
    ("form.environment.browser", "Browser"),
    ("form.environment.language", "Language"),
    ("form.environment.viewport", "Window size"),
    ("form.environment.time_zone", "Time zone"),
    ("form.remove", "Remove"),
    ("form.attachments", "Attach files (optional)"),
    ("form.attachments_hint", "Screenshots or logs help: up to {count} files, {size} in all."),
    ("form.attachment_not_added", "{name} was not added. {problem}"),
    ("form.attachment_unreadable", "{name} could not be read ({reason})."),
    ("form.name", "Your name"),
    ("form.email", "Your email"),
    ("form.submit", "Send to support"),
    ("form.back_to_help", "Back to help"),
    // Validation (engine)
    ("error.required.trying_to_do", "Tell us what you were trying to do."),
    ("error.required.what_happened", "Tell us what happened."),
    ("error.required.error_message", "Paste the error message or code."),
    ("error.required.occurred_at", "Tell us when it happened."),
    ("error.required.frequency", "Tell us how often it happens."),
    ("error.required.steps_to_reproduce", "Tell us the steps that lead to the problem."),
    ("error.required.impact", "Tell us who is affected."),
    ("error.required.urgency", "Tell us how urgent it is."),
    ("error.required.name", "Enter your name."),
    ("error.required.email", "Enter your email address."),
    ("error.required.extra", "Please answer this question."),
    ("error.too_long", "Please shorten this to {max} characters (it has {length})."),
    ("error.email", "Enter an email address like name@example.com."),
    ("error.time", "Use a date and time like 2026-11-27T14:05:00+01:00."),
    ("error.choose_offered", "Please choose one of the answers offered."),
    ("error.attachments_count", "Attach at most {max} files."),
    ("error.attachments_size", "Attachments can be {max} in all; these are {size}. Remove one, or send large files when support replies."),
    // Triage (engine)
    ("triage.critical", "Critical ({priority}): we handle this first."),
    ("triage.critical_flagged", "Critical: we handle this first."),
    ("triage.minor", "Minor ({priority}): we answer in order, during support hours."),
    ("triage.unknown", "Tell us who is affected and how urgent it is, so we can prioritise."),
    // Support hours
    ("hours.open", "Open now, until {time} {place} time"),
    ("hours.closed_until", "Closed — reopens {when} {place} time"),
    ("hours.closed_until_local", "Closed — reopens {when} {place} time (your time {local})"),
    ("hours.closed", "Closed"),
    ("hours.phone", "Our team is offline, and this is critical: call our 24/7 line"),
    ("hours.phone_reference", ", and quote your reference {reference}"),
    ("day.mon", "Mon"),
    ("day.tue", "Tue"),
    ("day.wed", "Wed"),
    ("day.thu", "Thu"),
    ("day.fri", "Fri"),
    ("day.sat", "Sat"),
    ("day.sun", "Sun"),
    // Sending
    ("send.sending", "Sending your ticket…"),
    ("send.resuming", "Sending the ticket you submitted earlier…"),
    ("send.retrying", "We couldn't reach support ({reason}). Your ticket is saved on this device; trying again in {seconds} s."),
    ("send.rejected", "Support could not accept this ticket: {reason}."),
    ("send.reference", "Your reference:"),
    ("send.refused.invalid", "some answers need another look ({fields})"),
    ("send.refused.too_large", "it is larger than support accepts; remove an attachment or shorten a field"),
    ("send.refused.rate_limited", "Too many tickets were sent from your network just now. Yours is saved on this device and will be sent in about {minutes} min."),
    ("send.refused.automated", "it was sent too quickly after opening the form; please check it and send it again"),
    ("send.refused.origin", "this page is not one support takes tickets from; please use the email link"),
    ("send.refused.unavailable", "support is not taking tickets at this moment"),
    ("send.refused.broken", "this page sent it in a form support does not understand; please use the email link"),
    ("send.reason.network", "the connection failed"),
    ("send.reason.refused", "the support desk refused the ticket ({status})"),
    ("send.reason.status", "the support desk answered {status}"),
    ("send.email_prompt", "Can't wait?"),
    ("send.email_link", "Email this ticket to support"),
    ("send.email_attach", "(Please attach the files listed above to this email.)"),
    ("send.email_note", "(it is still kept here and sent once the connection is back)."),
    ("send.try_now", "Try now"),
    ("send.sent", "Thanks — your ticket has been sent. Your reference is"),
    ("send.reply", "We will reply by email. You don't need to describe the problem again."),
];

/// A customer-facing message: a catalog key and the values of its placeholders. The
/// widget shows it in the kb's words; receivers and logs use [`Message::english`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub values: Vec<(&'static str, String)>,
}

impl Message {
    pub fn new(key: &'static str) -> Message {
        Message {
            key,
            values: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Message {
        self.values.push((name, value.to_string()));
        self
    }

    /// In the kb's words (`[strings]`), else the default.
    pub fn render(&self, overrides: &BTreeMap<String, String>) -> String {
        let values: Vec<(&str, &str)> = self.values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        text(overrides, self.key, &values)
    }

    /// With the English defaults.
    pub fn english(&self) -> String {
        self.render(&BTreeMap::new())
    }
}

/// The catalog Fixpath ships for `language` (by its primary subtag), if there is one.
pub fn shipped(language: &Language) -> Option<&'static [(&'static str, &'static str)]> {
    Some(match language.primary() {
        "en" => CATALOG,
        "fr" => fr::CATALOG,
        "de" => de::CATALOG,
        "es" => es::CATALOG,
        _ => return None,
    })
}

/// The words a bundle in `language` carries: the catalog shipped for it (none for
/// English, which the widget has built in), then the kb's own `[strings]` for it on top.
/// Keys neither gives stay English.
pub fn for_bundle(language: &Language, kb: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut words: BTreeMap<String, String> = match shipped(language) {
        Some(catalog) if !language.is_english() => catalog
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        _ => BTreeMap::new(),
    };
    words.extend(kb.iter().map(|(k, v)| (k.clone(), v.clone())));
    words
}

/// The English default of `key`.
pub fn default_text(key: &str) -> Option<&'static str> {
    CATALOG.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// `key` in the kb's words if it has them, else the default, with `{name}` filled in from
/// `values` (an unknown key reads as itself, so a mistake shows rather than vanishes).
pub fn text(overrides: &BTreeMap<String, String>, key: &str, values: &[(&str, &str)]) -> String {
    let template = overrides
        .get(key)
        .map(String::as_str)
        .or_else(|| default_text(key))
        .unwrap_or(key);
    fill(template, values)
}

/// Replaces each `{name}` in `template` with its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The `{name}` placeholders in `template`, in order.
fn placeholders(template: &str) -> Vec<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect()
}

/// What is wrong with an entry of a kb's `[strings]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StringsProblem {
    /// The widget has no such string; `suggestion` is the key probably meant.
    UnknownKey {
        key: String,
        suggestion: Option<&'static str>,
    },
    /// The translation drops or invents a placeholder: the default's are `wanted`, it has
    /// `given` (each sorted, once).
    Placeholders {
        key: String,
        wanted: Vec<String>,
        given: Vec<String>,
    },
}

impl StringsProblem {
    /// The key it is about.
    pub fn key(&self) -> &str {
        match self {
            StringsProblem::UnknownKey { key, .. } | StringsProblem::Placeholders { key, .. } => {
                key
            }
        }
    }
}

/// Problems with a kb's `[strings]`: a key the widget does not have (with the one probably
/// meant), or a translation that drops or invents a placeholder.
pub fn strings_problems(overrides: &BTreeMap<String, String>) -> Vec<StringsProblem> {
    let mut problems = Vec::new();
    for (key, value) in overrides {
        let Some(default) = default_text(key) else {
            let suggestion = CATALOG
                .iter()
                .map(|(k, _)| (strsim::damerau_levenshtein(key, k), *k))
                .min()
                .filter(|(d, _)| *d <= 3)
                .map(|(_, k)| k);
            problems.push(StringsProblem::UnknownKey {
                key: key.clone(),
                suggestion,
            });
            continue;
        };
        let names = |template: &str| {
            let mut names: Vec<String> = placeholders(template)
                .into_iter()
                .map(String::from)
                .collect();
            names.sort_unstable();
            names.dedup();
            names
        };
        let (wanted, given) = (names(default), names(value));
        if wanted != given {
            problems.push(StringsProblem::Placeholders {
                key: key.clone(),
                wanted,
                given,
            });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_placeholders_are_found() {
        let mut keys: Vec<_> = CATALOG.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "a key is listed twice");
        assert_eq!(
            placeholders("Step {position} of {total}"),
            ["position", "total"]
        );
        assert_eq!(placeholders("{ not one } {x}"), ["x"]);
    }

    #[test]
    fn overrides_win_and_placeholders_are_filled() {
        let mut overrides = BTreeMap::new();
        overrides.insert(
            "guide.progress".to_string(),
            "Étape {position} sur {total}".to_string(),
        );
        assert_eq!(
            text(
                &overrides,
                "guide.progress",
                &[("position", "2"), ("total", "5")]
            ),
            "Étape 2 sur 5"
        );
        assert_eq!(text(&overrides, "guide.fixed", &[]), "Fixed it");
        assert_eq!(text(&overrides, "no.such.key", &[]), "no.such.key");
    }

    #[test]
    fn shipped_catalogs_translate_every_key_with_its_placeholders() {
        for tag in ["fr", "de", "es"] {
            let catalog = shipped(&Language::parse(tag).unwrap()).unwrap();
            let keys: Vec<_> = catalog.iter().map(|(k, _)| *k).collect();
            let english: Vec<_> = CATALOG.iter().map(|(k, _)| *k).collect();
            assert_eq!(keys, english, "{tag}: same keys, same order");
            let words: BTreeMap<String, String> = catalog
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(strings_problems(&words), [], "{tag}");
        }
    }

    #[test]
    fn a_bundle_carries_its_language_with_the_kb_on_top() {
        let mut kb = BTreeMap::new();
        kb.insert("contact".to_string(), "Écrivez-nous".to_string());
        let fr = for_bundle(&Language::parse("fr-CA").unwrap(), &kb);
        assert_eq!(fr["contact"], "Écrivez-nous");
        assert_eq!(fr["guide.fixed"], "C’est réglé");
        // English is built into the widget; an unshipped language has only the kb's words.
        assert_eq!(for_bundle(&Language::english(), &kb).len(), 1);
        assert_eq!(for_bundle(&Language::parse("ar").unwrap(), &kb).len(), 1);
    }

    #[test]
    fn mistakes_in_strings_are_named() {
        let mut overrides = BTreeMap::new();
        overrides.insert("guide.fixd".to_string(), "C'est réglé".to_string());
        overrides.insert("guide.progress".to_string(), "Étape {step}".to_string());
        overrides.insert("guide.fixed".to_string(), "C'est réglé".to_string());
        assert_eq!(
            strings_problems(&overrides),
            [
                StringsProblem::UnknownKey {
                    key: "guide.fixd".into(),
                    suggestion: Some("guide.fixed")
                },
                StringsProblem::Placeholders {
                    key: "guide.progress".into(),
                    wanted: vec!["position".into(), "total".into()],
                    given: vec!["step".into()]
                },
            ]
        );
    }
}
