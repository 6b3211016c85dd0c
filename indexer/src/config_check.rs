//! Mistakes in `fixpath.toml` that its syntax allows: an unknown time zone, malformed
//! hours or a holiday listed twice, a phone number that is not E.164, an unknown delivery
//! kind, ticket fields that do not exist. Each is reported at the line that holds it.

use std::path::Path;
use std::str::FromStr;

use crate::kb_config::KbConfig;
use fixpath_engine::hours::Schedule;
use fixpath_engine::language::Language;

use crate::diagnostic::Diagnostic;
use crate::problem_words;

/// `language` and `[languages.TAG]` that are not language tags, a translation into the
/// default language, and `[languages.TAG.strings]` mistakes.
fn language_problems(path: &Path, source: &str, config: &KbConfig) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let not_a_tag = |what: &str, tag: &str| {
        format!("{what} {tag:?} is not a language tag: use a BCP 47 tag such as \"fr\", \"de\" or \"pt-BR\"")
    };
    if Language::parse(&config.language).is_none() {
        problems.push(Diagnostic::error(
            path,
            line_of_key(source, "language"),
            not_a_tag("language", &config.language),
        ));
    }
    let default = config.default_language();
    for (tag, language) in &config.languages {
        let line = line_of(source, &format!("languages.{tag}"));
        match Language::parse(tag) {
            None => problems.push(Diagnostic::error(path, line, not_a_tag("[languages]", tag))),
            Some(l) if l == default => problems.push(Diagnostic::error(
                path,
                line,
                format!("[languages.{tag}]: {tag} is the default language (`language`), whose articles are the kb root's: list only the other languages"),
            )),
            Some(_) => {}
        }
        for key in language.fields.keys() {
            if !config.ticket.fields.iter().any(|f| f.key == *key) {
                problems.push(Diagnostic::error(
                    path,
                    line_of(source, key).max(line),
                    format!("[languages.{tag}.fields]: `{key}` is not one of the kb's [[ticket.fields]]"),
                ));
            }
        }
        for problem in fixpath_engine::strings::strings_problems(&language.strings) {
            problems.push(Diagnostic::warning(
                path,
                line_of(source, &format!("\"{}\"", problem.key())).max(line),
                problem_words::strings(&format!("[languages.{tag}.strings]"), &problem),
            ));
        }
    }
    problems
}

/// Every problem with an already parsed `config` (read from `source` at `path`).
pub fn config_problems(path: &Path, source: &str, config: &KbConfig) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut report = |needle: &str, message: String| {
        problems.push(Diagnostic::error(path, line_of(source, needle), message));
    };

    let hours = &config.support.hours;
    if !hours.time_zone.is_empty() && chrono_tz::Tz::from_str(&hours.time_zone).is_err() {
        report(
            "time_zone",
            format!(
                "unknown time zone {:?}: use an IANA name such as \"Europe/London\" or \"America/New_York\"",
                hours.time_zone
            ),
        );
    }
    if let Err(problem) = Schedule::parse(hours) {
        report(problem.key(), problem_words::hours(&problem));
    }
    if let Some(phone) = &config.support.phone {
        if !is_e164(phone) {
            report(
                "phone",
                format!(
                    "phone {phone:?} is not an international (E.164) number: write it as \"+44 20 7946 0000\""
                ),
            );
        }
    }
    let mut delivery_warnings = Vec::new();
    for problem in config.delivery.problems() {
        let message = problem_words::delivery(&problem);
        if problem.is_error() {
            report(problem.key(), message);
        } else {
            let line = line_of(source, problem.key());
            delivery_warnings.push(Diagnostic::warning(path, line, message));
        }
    }
    for problem in config.insights.problems(&config.delivery) {
        report(problem.key(), problem_words::insights(problem));
    }
    for row in &config.triage.matrix.0 {
        for cell in row.iter().filter(|p| !(1..=5).contains(*p)) {
            report(
                "matrix",
                format!("[triage] matrix: priority {cell} is not one of 1 to 5 (P1–P5)"),
            );
        }
    }
    for problem in config.ticket.problems() {
        let message = format!("[ticket]: {}", problem_words::fields(&problem));
        report(&format!("\"{}\"", problem.value()), message);
    }
    for problem in fixpath_engine::strings::strings_problems(&config.strings) {
        problems.push(Diagnostic::warning(
            path,
            line_of(source, &format!("\"{}\"", problem.key())),
            problem_words::strings("[strings]", &problem),
        ));
    }
    problems.extend(language_problems(path, source, config));
    let hidden_axes: Vec<&str> = ["impact", "urgency"]
        .into_iter()
        .filter(|axis| !config.ticket.is_shown(axis))
        .collect();
    if !hidden_axes.is_empty() {
        let joined = hidden_axes.join("` and `");
        problems.push(Diagnostic::warning(
            path,
            line_of(source, "hidden"),
            format!(
                "[ticket]: the triage matrix needs impact and urgency; with `{joined}` hidden, only the security checkbox can make a ticket critical"
            ),
        ));
    }
    problems.extend(delivery_warnings);
    problems.sort_by_key(|d| d.line);
    problems
}

/// `+` then 8 to 15 digits; spaces, hyphens and parentheses are allowed for reading.
fn is_e164(phone: &str) -> bool {
    let Some(rest) = phone.trim().strip_prefix('+') else {
        return false;
    };
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    rest.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
        && (8..=15).contains(&digits)
        && !rest.trim_start().starts_with('0')
}

/// The first line holding `needle` outside a comment (line 1 if none does).
/// The line that sets `key` (`key = …`), else 1.
fn line_of_key(source: &str, key: &str) -> usize {
    source
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

fn line_of(source: &str, needle: &str) -> usize {
    source
        .lines()
        .position(|l| l.split('#').next().unwrap_or("").contains(needle))
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(source: &str) -> Vec<String> {
        let config: KbConfig = toml::from_str(source).unwrap();
        config_problems(Path::new("kb/fixpath.toml"), source, &config)
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn a_good_config_has_no_problems() {
        let source = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../kb/fixpath.toml"),
        )
        .unwrap();
        assert_eq!(problems(&source), Vec::<String>::new());
    }

    #[test]
    fn each_mistake_is_named_at_its_line() {
        let source = concat!(
            "[delivery]\nkind = \"webhok\"\n",                   // 1-2
            "[support]\nphone = \"020 7946 0000\"\n",            // 3-4
            "[support.hours]\ntime_zone = \"Europe/Londn\"\n",   // 5-6
            "monday = \"9-17\"\n",                               // 7
            "[ticket]\n# names: \"x\"\nrequired = [\"nmae\"]\n", // 8-10
        );
        assert_eq!(
            problems(source),
            [
                "kb/fixpath.toml:2:1: error: delivery kind \"webhok\" is not one of \"webhook\", \"zendesk\", \"relay\"",
                "kb/fixpath.toml:4:1: error: phone \"020 7946 0000\" is not an international (E.164) number: write it as \"+44 20 7946 0000\"",
                "kb/fixpath.toml:6:1: error: unknown time zone \"Europe/Londn\": use an IANA name such as \"Europe/London\" or \"America/New_York\"",
                "kb/fixpath.toml:7:1: error: support hours: monday: \"9-17\" is not like 08:00-18:00 (start before end, 00:00 to 24:00)",
                "kb/fixpath.toml:10:1: error: [ticket]: `nmae` in `required` is not a default field; did you mean `name`?",
            ]
        );
        let nowhere = "[insights]\nenabled = true\n";
        assert_eq!(
            problems(nowhere),
            ["kb/fixpath.toml:2:1: error: [insights] need a receiver: deliver tickets to a relay (kind = \"relay\"), which takes them at /v1/events, or set url"]
        );
        let to_the_relay =
            "[delivery]\nkind = \"relay\"\nurl = \"https://relay.example.com\"\n[insights]\nenabled = true\n";
        assert_eq!(problems(to_the_relay), Vec::<String>::new());
        let holidays = "[support.hours]\ntime_zone = \"Europe/London\"\nholidays = [\"2026-12-25\", \"2026-12-25\"]\n";
        assert_eq!(
            problems(holidays),
            ["kb/fixpath.toml:3:1: error: support hours: holiday 2026-12-25 is listed twice"]
        );
    }

    #[test]
    fn language_mistakes_are_named_at_their_line() {
        let source = concat!(
            "title = \"Help\"\nlanguage = \"english\"\n", // 1-2
            "[languages.fr]\ntitle = \"Aide\"\n",         // 3-4
            "[languages.fr.strings]\n\"guide.fixd\" = \"Réglé\"\n", // 5-6
            "[languages.french]\n",                       // 7
        );
        assert_eq!(
            problems(source),
            [
                "kb/fixpath.toml:2:1: error: language \"english\" is not a language tag: use a BCP 47 tag such as \"fr\", \"de\" or \"pt-BR\"",
                "kb/fixpath.toml:6:1: warning: [languages.fr.strings]: `guide.fixd` is not a widget string; did you mean `guide.fixed`?",
                "kb/fixpath.toml:7:1: error: [languages] \"french\" is not a language tag: use a BCP 47 tag such as \"fr\", \"de\" or \"pt-BR\"",
            ]
        );
        assert_eq!(
            problems("[languages.en]\n"),
            ["kb/fixpath.toml:1:1: error: [languages.en]: en is the default language (`language`), whose articles are the kb root's: list only the other languages"]
        );
    }

    #[test]
    fn phone_numbers() {
        for ok in ["+44 20 7946 0000", "+1 (555) 010-0199", "+4915112345678"] {
            assert!(is_e164(ok), "{ok}");
        }
        for bad in [
            "020 7946 0000",
            "+44",
            "+44 20 7946 0000 ext 2",
            "+0 123 456 789",
            "",
        ] {
            assert!(!is_e164(bad), "{bad}");
        }
    }
}
