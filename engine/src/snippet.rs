//! Snippets: the excerpt of a text around its densest cluster of query matches, as plain
//! segments marked highlighted or not. Segments are text, never HTML, so a caller that
//! renders them as text nodes (and highlights as `<mark>`) cannot inject markup.

use crate::analyzer::{fold, Analyzer};

/// A run of snippet text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub highlight: bool,
}

/// Up to about `max_chars` characters of `text` around the window holding the most
/// distinct query words; highlights every matched word in it. Falls back to the start of
/// the text when nothing matches. `…` marks where the text was cut.
pub fn snippet(analyzer: &Analyzer, text: &str, query: &str, max_chars: usize) -> Vec<Segment> {
    let wanted = query_terms(analyzer, query);
    let typing = typed_prefix(query);
    // (byte range, which query term) of every match in the text.
    let mut matches: Vec<(usize, usize, usize)> = Vec::new();
    analyzer.for_each_token(text, |t| {
        let term = wanted.iter().position(|w| *w == t.text).or_else(|| {
            let prefix = typing.as_deref()?;
            fold(&text[t.start..t.end])
                .starts_with(prefix)
                .then_some(wanted.len())
        });
        if let Some(term) = term {
            matches.push((t.start, t.end, term));
        }
    });
    matches.sort_unstable();
    let (start, end) = best_window(text, &matches, max_chars);
    let mut segments = Vec::new();
    if start > 0 {
        push(&mut segments, "…", false);
    }
    let mut at = start;
    for &(m_start, m_end, _) in matches.iter().filter(|m| m.0 >= start && m.1 <= end) {
        if m_start < at {
            // Overlaps the previous highlight (a code and its parts): extend it.
            if m_end > at {
                push(&mut segments, &text[at..m_end], true);
                at = m_end;
            }
            continue;
        }
        push(&mut segments, &text[at..m_start], false);
        push(&mut segments, &text[m_start..m_end], true);
        at = m_end;
    }
    push(&mut segments, &text[at..end], false);
    if end < text.len() {
        push(&mut segments, "…", false);
    }
    segments
}

/// The analyzed, non-stop words of the query.
fn query_terms(analyzer: &Analyzer, query: &str) -> Vec<String> {
    let tokens = analyzer.tokens(query);
    let only_stop = tokens.iter().all(|t| t.stop);
    tokens
        .into_iter()
        .filter(|t| only_stop || !t.stop)
        .map(|t| t.text)
        .collect()
}

/// The folded last word when the query does not end in a space (it may be half-typed).
fn typed_prefix(query: &str) -> Option<String> {
    if query.ends_with(char::is_whitespace) {
        return None;
    }
    let last = query.split(|c: char| !c.is_alphanumeric()).next_back()?;
    (last.chars().count() >= 2).then(|| fold(last))
}

/// The byte range to show: the window of at most `max_chars` that holds the most distinct
/// matched terms (then the most matches), widened to whole words.
fn best_window(text: &str, matches: &[(usize, usize, usize)], max_chars: usize) -> (usize, usize) {
    let budget = max_chars.max(16);
    let mut best = (0usize, 0usize, 0usize); // (distinct, count, first match index)
    for i in 0..matches.len() {
        let mut distinct: Vec<usize> = Vec::new();
        let mut count = 0;
        for m in &matches[i..] {
            if text[matches[i].0..m.1].chars().count() > budget {
                break;
            }
            if !distinct.contains(&m.2) {
                distinct.push(m.2);
            }
            count += 1;
        }
        if (distinct.len(), count) > (best.0, best.1) {
            best = (distinct.len(), count, i);
        }
    }
    // Centre the cluster: give a third of the budget to the words before it.
    let anchor = matches.get(best.2).map_or(0, |m| m.0);
    let lead = budget / 3;
    let start = if best.0 == 0 {
        0
    } else {
        back_chars(text, anchor, lead)
    };
    let start = word_start(text, start);
    let end = word_end(text, forward_chars(text, start, budget));
    (start, end)
}

fn back_chars(text: &str, from: usize, n: usize) -> usize {
    text[..from]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

fn forward_chars(text: &str, from: usize, n: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| from + i)
}

/// Moves `at` forward to the start of a word (so the snippet does not open mid-word).
fn word_start(text: &str, at: usize) -> usize {
    if at == 0 {
        return 0;
    }
    match text[at..].find(char::is_whitespace) {
        Some(i) if i < 24 => at + i + text[at + i..].chars().next().map_or(0, char::len_utf8),
        _ => at,
    }
}

/// Moves `at` back to the end of a word.
fn word_end(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    match text[..at].rfind(char::is_whitespace) {
        Some(i) if at - i < 24 => i,
        _ => at,
    }
}

fn push(segments: &mut Vec<Segment>, text: &str, highlight: bool) {
    if text.is_empty() {
        return;
    }
    match segments.last_mut() {
        Some(last) if last.highlight == highlight => last.text.push_str(text),
        _ => segments.push(Segment {
            text: text.to_string(),
            highlight,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders highlights as [brackets] for readable assertions.
    fn check(text: &str, query: &str, max: usize) -> String {
        snippet(&Analyzer::default(), text, query, max)
            .into_iter()
            .map(|s| {
                if s.highlight {
                    format!("[{}]", s.text)
                } else {
                    s.text
                }
            })
            .collect()
    }

    #[test]
    fn highlights_stemmed_matches_in_place() {
        assert_eq!(
            check(
                "Uploading files fails when files are large.",
                "upload file",
                200
            ),
            "[Uploading] [files] fails when [files] are large."
        );
    }

    #[test]
    fn centres_on_the_densest_cluster() {
        let text = format!(
            "{} The upload fails with E-UP-413 when the file is too large. {}",
            "Intro words. ".repeat(20),
            "Outro words. ".repeat(20)
        );
        let s = check(&text, "upload E-UP-413 too large", 80);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(
            s.contains("[upload] fails with [E-UP-413] when the file is too [large]"),
            "{s}"
        );
    }

    #[test]
    fn highlights_the_word_being_typed() {
        assert_eq!(
            check("Notifications are missing", "notif", 100),
            "[Notifications] are missing"
        );
    }

    #[test]
    fn without_a_match_shows_the_start() {
        assert_eq!(check("Alpha beta gamma delta", "zzz", 11), "Alpha beta…");
    }

    #[test]
    fn markup_stays_text() {
        let segments = snippet(
            &Analyzer::default(),
            "<b>bold</b> <script>x</script>",
            "bold",
            100,
        );
        let joined: String = segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            joined, "<b>bold</b> <script>x</script>",
            "text is passed through verbatim, to be rendered as text"
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for (text, query) in [
            ("", ""),
            ("é", "é"),
            ("a", "a"),
            ("日本語 テキスト", "テキスト"),
            ("x-1 x-1", "x-1"),
            ("  ", "a "),
        ] {
            for max in [0, 1, 5, 100] {
                let _ = snippet(&Analyzer::default(), text, query, max);
            }
        }
    }
}
