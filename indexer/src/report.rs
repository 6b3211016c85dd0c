//! Printing diagnostics: with the offending line shown and underlined on a terminal (the
//! way rustc does it), as plain `path:line:col: severity: message` lines when piped, so
//! editors, CI annotations and `grep` read them.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use annotate_snippets::{Level, Renderer, Snippet};

use crate::diagnostic::{Diagnostic, Severity};

/// How diagnostics are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// One line each.
    Plain,
    /// With the source line, underlined, in colour.
    Rich,
}

impl Style {
    /// Rich on a terminal (unless `NO_COLOR` is set), plain otherwise.
    pub fn for_stderr() -> Style {
        if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
            Style::Rich
        } else {
            Style::Plain
        }
    }
}

/// Prints every diagnostic to stderr.
pub fn print(diagnostics: &[Diagnostic], style: Style) {
    let mut sources: HashMap<PathBuf, Option<String>> = HashMap::new();
    for d in diagnostics {
        match style {
            Style::Plain => eprintln!("{d}"),
            Style::Rich => {
                let source = sources
                    .entry(d.path.clone())
                    .or_insert_with(|| std::fs::read_to_string(&d.path).ok());
                eprintln!("{}\n", render(d, source.as_deref()));
            }
        }
    }
}

/// One diagnostic with its source line underlined (just the message when the line cannot
/// be shown).
pub fn render(d: &Diagnostic, source: Option<&str>) -> String {
    let level = match d.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    let origin = format!("{}:{}:{}", d.path.display(), d.line.max(1), d.column);
    let line_text = source.and_then(|s| s.lines().nth(d.line.max(1) - 1));
    let message = level.title(&d.message);
    let rendered = match line_text {
        Some(text) if !text.trim().is_empty() => {
            // Underline from the column to the end of the line's content.
            let start = text
                .char_indices()
                .nth(d.column.saturating_sub(1))
                .map_or(0, |(i, _)| i);
            let end = text.trim_end().len().max(start + 1).min(text.len());
            let start = start.min(end.saturating_sub(1));
            let snippet = Snippet::source(text)
                .line_start(d.line.max(1))
                .origin(&origin)
                .annotation(level.span(start..end));
            Renderer::styled()
                .render(message.snippet(snippet))
                .to_string()
        }
        _ => Renderer::styled()
            .render(message.footer(Level::Note.title(&origin)))
            .to_string(),
    };
    rendered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_is_shown_and_underlined_from_the_column() {
        let d =
            Diagnostic::error("kb/a.md", 2, "`#tablet` is not a step of this guide").at_column(3);
        let text = render(&d, Some("## Which?\n- [Tablet](#tablet)\n"));
        let plain = strip_ansi(&text);
        assert!(
            plain.contains("error: `#tablet` is not a step of this guide"),
            "{plain}"
        );
        assert!(plain.contains("kb/a.md:2:3"), "{plain}");
        assert!(plain.contains("2 | - [Tablet](#tablet)"), "{plain}");
        assert!(plain.contains("  |   ^^^^^^^^^^^^^^^^^"), "{plain}");
    }

    #[test]
    fn odd_positions_never_panic() {
        for (line, column, source) in [
            (9, 1, Some("one line")),
            (1, 99, Some("é")),
            (1, 1, None),
            (0, 0, Some("")),
        ] {
            let d = Diagnostic::warning("kb/a.md", line, "m").at_column(column);
            assert!(strip_ansi(&render(&d, source)).contains("warning: m"));
        }
    }

    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
