//! YAML front matter: finding it, reading the keys Fixpath knows, and saying precisely
//! what is wrong with it (a misspelt key, a list never closed) and where.

use std::path::Path;

use fixpath_engine::ticket_fields::FieldSpec;
use serde::Deserialize;

use crate::diagnostic::Diagnostic;

/// Front matter keys Fixpath understands.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub summary: Option<String>,
    /// DocFX and GitBook call the summary `description`.
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub errors: Vec<String>,
    pub symptoms: Vec<String>,
    /// Extra questions on the ticket when the customer comes from this article.
    pub ticket_fields: Vec<FieldSpec>,
    /// A stable id instead of the path (survives moving the file).
    pub id: Option<String>,
    /// Checked but left out of the bundle.
    pub draft: bool,
}

/// Reads the YAML between the `---` lines (`yaml` starts on the file's second line).
pub fn parse_front_matter(path: &Path, yaml: &str) -> Result<FrontMatter, Diagnostic> {
    serde_norway::from_str(yaml).map_err(|e| {
        // The parser reports where it gave up, often the closing `---`; an unclosed list or
        // quote is reported where it opens instead, which is where the mistake is.
        let gave_up = e.location().map_or(usize::MAX, |l| l.line());
        let unclosed = unclosed_bracket(yaml, &e)
            .map(|(line, column, close)| {
                (
                    line,
                    column,
                    format!("this list is never closed: add `{close}`"),
                )
            })
            .or_else(|| {
                unclosed_quote(yaml)
                    .filter(|(line, _, _)| *line <= gave_up)
                    .map(|(line, column, quote)| {
                        (
                            line,
                            column,
                            format!("this quoted text is never closed: add the closing `{quote}`"),
                        )
                    })
            });
        let (line, column) = unclosed
            .as_ref()
            .map(|(line, column, _)| (*line, *column))
            .or_else(|| e.location().map(|l| (l.line(), l.column())))
            .map(|(line, column)| (line + 1, column))
            .unwrap_or((1, 1));
        let message = match unclosed {
            Some((_, _, message)) => message,
            None => yaml_message(&e),
        };
        Diagnostic::error(path, line, format!("invalid front matter: {message}")).at_column(column)
    })
}

/// Front matter keys Fixpath reads (`description` is DocFX's and GitBook's summary).
const KNOWN_KEYS: &[&str] = &[
    "title",
    "summary",
    "description",
    "tags",
    "errors",
    "symptoms",
    "ticket_fields",
    "id",
    "draft",
];

/// Warns about front matter keys that look like a misspelt known key (`titel`, `symptom`):
/// other unknown keys are silently ignored, because real help-centre markdown carries many
/// (`ms.date`, `author`) that are not mistakes.
pub fn check_front_matter_keys(path: &Path, source: &str) -> Vec<Diagnostic> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let Ok((Some(yaml), _, _)) = split_front_matter(path, source) else {
        return Vec::new();
    };
    let Ok(serde_norway::Value::Mapping(map)) = serde_norway::from_str(yaml) else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    for key in map.keys().filter_map(serde_norway::Value::as_str) {
        if KNOWN_KEYS.contains(&key) || key.len() < 3 {
            continue;
        }
        let closest = KNOWN_KEYS
            .iter()
            .map(|known| (strsim::damerau_levenshtein(key, known), *known))
            .min()
            .filter(|(distance, _)| *distance <= 2);
        if let Some((_, known)) = closest {
            // The YAML starts on line 2, after the opening `---`.
            let line = yaml
                .lines()
                .position(|l| l.starts_with(key))
                .map_or(1, |i| i + 2);
            warnings.push(Diagnostic::warning(
                path,
                line,
                format!("unknown front matter key `{key}`; did you mean `{known}`?"),
            ));
        }
    }
    warnings
}

/// Separates YAML front matter from the body. Returns (yaml, body, line number of the
/// body's first line).
pub fn split_front_matter<'a>(
    path: &Path,
    source: &'a str,
) -> Result<(Option<&'a str>, &'a str, usize), Diagnostic> {
    let Some(rest) = source
        .strip_prefix("---\n")
        .or_else(|| source.strip_prefix("---\r\n"))
    else {
        return Ok((None, source, 1));
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if matches!(line.trim_end(), "---" | "...") {
            let body = &rest[offset + line.len()..];
            return Ok((Some(&rest[..offset]), body, i + 3));
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        1,
        "front matter is not closed: add a `---` line after it",
    ))
}

/// Where an unclosed `[` or `{` opens (1-based line and column in `yaml`, and the bracket
/// that would close it), when that is
/// what the parser tripped over: it reports the place it gave up, often the closing `---`.
fn unclosed_bracket(yaml: &str, e: &serde_norway::Error) -> Option<(usize, usize, char)> {
    let message = e.to_string();
    // An unclosed quote swallows everything after it, brackets included: the quote is the
    // mistake to report.
    if unclosed_quote(yaml).is_some() {
        return None;
    }
    let (open, close) = if message.contains("expected ',' or ']'") {
        ('[', ']')
    } else if message.contains("expected ',' or '}'") {
        ('{', '}')
    } else {
        return None;
    };
    let gave_up = e.location().map_or(usize::MAX, |l| l.line());
    yaml.lines()
        .enumerate()
        .take(gave_up)
        .filter_map(|(i, line)| {
            let mut depth = 0i32;
            let mut unmatched = None;
            for (column, c) in line.chars().enumerate() {
                if c == open {
                    depth += 1;
                    if depth == 1 {
                        unmatched = Some(column + 1);
                    }
                } else if c == close {
                    depth -= 1;
                }
            }
            (depth > 0).then(|| (i + 1, unmatched.unwrap_or(1), close))
        })
        .last()
}

/// Where a quoted value opens that is never closed (1-based line and column in `yaml`, and
/// the quote), scanning as YAML does: `\"` escapes inside double quotes, `''` inside
/// single ones, quotes may span lines, `#` after a space starts a comment, and a quote
/// opens a value only where one can start (`key: "…`, `- '…`, `["…`), not inside `it's`.
fn unclosed_quote(yaml: &str) -> Option<(usize, usize, char)> {
    let mut open: Option<(usize, usize, char)> = None;
    for (i, line) in yaml.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            match open {
                Some((_, _, '"')) if c == '\\' => j += 1,
                Some((_, _, '"')) if c == '"' => open = None,
                Some((_, _, '\'')) if c == '\'' => {
                    if chars.get(j + 1) == Some(&'\'') {
                        j += 1;
                    } else {
                        open = None;
                    }
                }
                Some(_) => {}
                None if c == '#' && (j == 0 || chars[j - 1].is_whitespace()) => break,
                None if (c == '"' || c == '\'') && opens_value(&chars[..j]) => {
                    open = Some((i + 1, j + 1, c));
                }
                None => {}
            }
            j += 1;
        }
    }
    open
}

/// Whether a value can start after `before` (the line so far).
fn opens_value(before: &[char]) -> bool {
    match before.iter().rev().find(|c| !c.is_whitespace()) {
        None => true,
        Some(':') | Some('-') | Some('?') => before.last().is_some_and(|c| c.is_whitespace()),
        Some('[') | Some('{') | Some(',') => true,
        Some(_) => false,
    }
}

/// The YAML error without serde_norway's own "at line X column Y" suffix (we print our own).
fn yaml_message(e: &serde_norway::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        let cases = [
            ("title: \"Upload fails\nsummary: x\n", Some((1, 8, '"'))),
            ("title: ok\ntags: ['a', 'b\n", Some((2, 13, '\''))),
            ("title: \"spans\n  lines\"\nsummary: it's fine\n", None),
            ("title: 'it''s quoted'\nsummary: \"a \\\" quote\"\n", None),
            ("title: x # a \"comment\n", None),
            ("- \"item\n", Some((1, 3, '"'))),
        ];
        for (yaml, expected) in cases {
            assert_eq!(unclosed_quote(yaml), expected, "{yaml}");
        }
    }
}
