//! Reading a query: its distinct words (the *slots*), what each weighs, and the word still
//! being typed.
//!
//! Customers write some things the way articles do not: a version glued to its product
//! (`win7` for "Windows 7"), and text copied off the screen, pasted as it is (`0x80070005`)
//! or put in quotes (`'automatically detect settings'`). A glued version is searched as its
//! two parts; pasted words weigh double, because an article holds them verbatim and they
//! rarely match by accident.

use crate::analyzer::{fold, Analyzer, Token};

/// Distinct query words scored; the rest of a long paste adds nothing but time.
pub const MAX_QUERY_TERMS: usize = 32;
/// Shortest half-typed word that is expanded as a prefix.
const MIN_PREFIX_LEN: usize = 2;
/// Extra weight of pasted words: code-like ones, those in quotes, and a glued version
/// matched as written.
pub(super) const PASTED_WEIGHT: f32 = 2.0;
/// Longest version number split off a glued word (`office2016`).
const MAX_VERSION_DIGITS: usize = 4;
/// Opening and closing quotes: straight, curly, French and German.
const QUOTES: &[(char, char)] = &[
    ('"', '"'),
    ('\'', '\''),
    ('“', '”'),
    ('‘', '’'),
    ('«', '»'),
    ('„', '“'),
];

/// A distinct word of the query.
pub(super) struct QueryWord {
    pub term: String,
    /// Characters the customer typed for it (typo budgets depend on it).
    pub typed_chars: usize,
    pub weight: f32,
}

/// A query, read.
pub(super) struct ReadQuery {
    /// Its tokens, stop words included (the thesaurus matches phrases on them), glued
    /// versions split.
    pub tokens: Vec<Token>,
    pub words: Vec<QueryWord>,
    /// Per glued version, its letters' term and the glued term as written: an article may
    /// write it so (`win7`, `crypt32`), and then it is text the customer copied, weighing
    /// [`PASTED_WEIGHT`] in its letters' slot.
    pub glued: Vec<(String, String)>,
    /// Whether the query ends in the number of a glued version: nothing to complete.
    pub ends_in_version: bool,
}

/// Reads `query` (already cut to a bounded length) with `analyzer`.
pub(super) fn read(analyzer: &Analyzer, query: &str) -> ReadQuery {
    let split = split_glued_versions(analyzer, analyzer.tokens(query));
    let tokens = split.tokens;
    let words = query_words(&tokens, query);
    ReadQuery {
        tokens,
        words,
        glued: split.glued,
        ends_in_version: split.ends_in_version,
    }
}

/// Tokens with glued versions split.
struct Split {
    tokens: Vec<Token>,
    /// Per split word: its letters' term and the whole term.
    glued: Vec<(String, String)>,
    ends_in_version: bool,
}

/// Customers glue a version to its product (`win7`, `win10`, `ie11`) where articles write
/// them apart ("Windows 7"). A word of letters then a short number is read as its two
/// parts, so that each meets the dictionary and the thesaurus ("win" stands for
/// "windows").
fn split_glued_versions(analyzer: &Analyzer, tokens: Vec<Token>) -> Split {
    let mut out = Vec::with_capacity(tokens.len());
    let mut glued = Vec::new();
    let mut ends_in_version = false;
    for token in tokens {
        let letters = token
            .text
            .find(|c: char| !c.is_ascii_lowercase())
            .unwrap_or(token.text.len());
        let digits = &token.text[letters..];
        let is_glued_version = letters >= 2
            && (1..=MAX_VERSION_DIGITS).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            // As typed: the term is the source text, lowercased (no stemming, no folding).
            && token.end - token.start == token.text.len();
        ends_in_version = is_glued_version;
        if !is_glued_version {
            out.push(token);
            continue;
        }
        let split = token.start + letters;
        let word = &token.text[..letters];
        let letters_term = analyzer.normalize(word);
        glued.push((letters_term.clone(), token.text.clone()));
        out.push(Token {
            text: letters_term,
            stop: analyzer.is_stop_word(word),
            end: split,
            ..token
        });
        out.push(Token {
            text: digits.to_string(),
            stop: false,
            start: split,
            ..token
        });
    }
    Split {
        tokens: out,
        glued,
        ends_in_version,
    }
}

/// Distinct words of the query, stop words left out unless there is nothing else.
fn query_words(tokens: &[Token], query: &str) -> Vec<QueryWord> {
    let only_stop_words = tokens.iter().all(|t| t.stop);
    let quoted = quoted_spans(query);
    let mut words: Vec<QueryWord> = Vec::new();
    for t in tokens {
        if words.len() == MAX_QUERY_TERMS {
            break;
        }
        if (t.stop && !only_stop_words) || words.iter().any(|w| w.term == t.text) {
            continue;
        }
        let in_quotes = quoted
            .iter()
            .any(|(start, end)| *start <= t.start && t.end <= *end);
        let weight = if is_code_like(&t.text) || in_quotes {
            PASTED_WEIGHT
        } else {
            1.0
        };
        let typed_chars = query[t.start..t.end].chars().count();
        words.push(QueryWord {
            term: t.text.clone(),
            typed_chars,
            weight,
        });
    }
    words
}

/// Byte ranges of the text between matching quotes. A quote opens only where a word does
/// not go on before it and closes only where none goes on after it, so the apostrophes
/// of "can't" and "users' files" are not quotes.
fn quoted_spans(query: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(char, usize)> = None;
    let mut previous: Option<char> = None;
    let mut chars = query.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        let word_before = previous.is_some_and(char::is_alphanumeric);
        let word_after = next.is_some_and(char::is_alphanumeric);
        match open {
            Some((close, from)) if c == close && !word_after => {
                spans.push((from, at));
                open = None;
            }
            None if !word_before => {
                if let Some((_, close)) = QUOTES.iter().find(|(o, _)| *o == c) {
                    open = Some((*close, at + c.len_utf8()));
                }
            }
            _ => {}
        }
        previous = Some(c);
    }
    spans
}

/// Identifiers, error codes and numbers of three digits or more.
fn is_code_like(term: &str) -> bool {
    let digits = term.chars().filter(char::is_ascii_digit).count();
    let letters = term.chars().filter(|c| c.is_alphabetic()).count();
    (digits > 0 && letters > 0) || digits >= 3 || term.contains(['-', '_', '.'])
}

/// The last word of the query, folded, if the query does not end in whitespace and the
/// word is long enough to be worth expanding.
pub(super) fn last_word_being_typed(query: &str) -> Option<String> {
    if query.ends_with(char::is_whitespace) {
        return None;
    }
    let last = query.split(|c: char| !c.is_alphanumeric()).next_back()?;
    (last.chars().count() >= MIN_PREFIX_LEN).then(|| fold(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(query: &str) -> Vec<(String, f32)> {
        read(&Analyzer::default(), query)
            .words
            .into_iter()
            .map(|w| (w.term, w.weight))
            .collect()
    }

    #[test]
    fn a_glued_version_is_read_as_product_and_number() {
        let query = read(&Analyzer::default(), "win7 backup fails");
        let terms: Vec<&str> = query.words.iter().map(|w| w.term.as_str()).collect();
        assert_eq!(terms, ["win", "7", "backup", "fail"]);
        assert_eq!(query.glued, [("win".to_string(), "win7".to_string())]);
        assert!(!query.ends_in_version);
        assert!(
            query.words.iter().all(|w| w.weight == 1.0),
            "its parts are words"
        );
        assert!(read(&Analyzer::default(), "backup on win10").ends_in_version);
    }

    #[test]
    fn codes_and_other_mixes_stay_whole() {
        for code in ["0x80070005", "e-up-413", "x64", "kb4090941", "mp3x"] {
            let query = read(&Analyzer::default(), code);
            assert!(query.glued.is_empty(), "{code}: {:?}", query.glued);
        }
        assert_eq!(words("4624"), [("4624".to_string(), PASTED_WEIGHT)]);
    }

    #[test]
    fn words_in_quotes_weigh_as_pasted_text() {
        let weights = words("can't save, it says 'access denied' again");
        let weight = |term: &str| weights.iter().find(|(t, _)| t == term).map(|(_, w)| *w);
        assert_eq!(weight("access"), Some(PASTED_WEIGHT));
        assert_eq!(weight("deni"), Some(PASTED_WEIGHT));
        assert_eq!(
            weight("save"),
            Some(1.0),
            "the apostrophe of can't opens nothing"
        );
        assert_eq!(weight("again"), Some(1.0));
    }

    #[test]
    fn quotes_pair_up_the_way_they_are_written() {
        let spans = |q: &str| -> Vec<String> {
            quoted_spans(q)
                .into_iter()
                .map(|(start, end)| q[start..end].to_string())
                .collect()
        };
        assert_eq!(spans(r#"it says "no signal" now"#), ["no signal"]);
        assert_eq!(
            spans("le message « accès refusé » reste"),
            [" accès refusé "]
        );
        assert_eq!(spans("„Zugriff verweigert“ kommt"), ["Zugriff verweigert"]);
        assert_eq!(spans("the users' files and 'this one'"), ["this one"]);
        assert!(spans("an 'unclosed quote").is_empty());
        assert!(spans("don't, won't").is_empty());
    }
}
