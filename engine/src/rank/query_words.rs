//! Reading a query: its distinct words (the *slots*), what each weighs, and the word still
//! being typed.
//!
//! Customers write some things the way articles do not: a version glued to its product
//! (`win7` for "Windows 7"), and text copied off the screen, pasted as it is (`0x80070005`)
//! or put in quotes (`'automatically detect settings'`). A glued version is searched as its
//! two parts; pasted words weigh double, because an article holds them verbatim and they
//! rarely match by accident.
//!
//! A word is one slot however it is spelt: a hyphenated word's closed form (`sign-in` →
//! `signin`) stands in for its parts rather than counting as a third word, and a word whose
//! stem is a stop word (`ins` → `in`) is one. In English, a verb before its particle
//! (`locks up`, `rolled back`) weighs half: the pair means something the verb alone does
//! not (a freeze, an undo), and an article about a screen lock is not about it. What the
//! thesaurus makes of the pair ("log off" → "sign out") keeps its full weight.

use crate::analyzer::{fold, Analyzer, Token};

/// Distinct query words scored; the rest of a long paste adds nothing but time.
pub const MAX_QUERY_TERMS: usize = 32;
/// Shortest half-typed word that is expanded as a prefix.
const MIN_PREFIX_LEN: usize = 2;
/// Extra weight of pasted words: code-like ones, those in quotes, and a glued version
/// matched as written.
pub(super) const PASTED_WEIGHT: f32 = 2.0;
/// Weight of a verb followed by its particle ([`PHRASAL_PARTICLES`]).
const PHRASAL_VERB_WEIGHT: f32 = 0.5;
/// English particles that make a phrasal verb of the word before them.
const PHRASAL_PARTICLES: &[&str] = &["up", "down", "back", "off", "out"];
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
    /// Followed by a particle (`locks up`): the word alone weighs
    /// [`PHRASAL_VERB_WEIGHT`], what the thesaurus makes of the pair ("log off" → "sign
    /// out") does not.
    pub phrasal: bool,
}

impl QueryWord {
    /// What a match on what the word means weighs: a thesaurus alternative, or its
    /// hyphenated word's closed form. For a verb before its particle that is the pair's
    /// meaning ("log off" → "signout", `set-up` → `setup`), which weighs in full.
    pub fn meant_weight(&self) -> f32 {
        if self.phrasal {
            1.0
        } else {
            self.weight
        }
    }
}

/// A query, read.
pub(super) struct ReadQuery {
    /// Its tokens, stop words included (the thesaurus matches phrases on them), glued
    /// versions split.
    pub tokens: Vec<Token>,
    /// The slots.
    pub words: Vec<QueryWord>,
    /// Per token, the slot it is read into: its word's, or for a closed-up word its first
    /// part's; none for a stop word.
    pub token_slots: Vec<Option<usize>>,
    /// Whole words standing in for a slot, with the weight of a match: a glued version as
    /// written (`win7`, `crypt32`: an article may write it so, and then it is text the
    /// customer copied) in its letters' slot at [`PASTED_WEIGHT`]; a hyphenated word's
    /// closed form in each of its parts' slots, at the part's
    /// [`meant_weight`](QueryWord::meant_weight).
    pub wholes: Vec<(usize, String, f32)>,
    /// The slot of the word the query ends in, unless that is a stop word ("can't sign in"
    /// must not complete "in" to "install" for "sign") or the number of a glued version
    /// (`win10`): the word that may still be being typed.
    pub last_slot: Option<usize>,
}

/// Reads `query` (already cut to a bounded length) with `analyzer`.
pub(super) fn read(analyzer: &Analyzer, query: &str) -> ReadQuery {
    let split = split_glued_versions(analyzer, analyzer.tokens(query));
    let mut tokens = split.tokens;
    for t in &mut tokens {
        t.stop |= analyzer.is_stop_word(&t.text);
    }
    let parts: Vec<Vec<usize>> = (0..tokens.len())
        .map(|i| closed_up_parts(&tokens, i))
        .collect();
    let english = analyzer.language().is_english();
    let words = query_words(&tokens, &parts, query, english);
    let slot_of = |term: &str| words.iter().position(|w| w.term == term);
    let mut token_slots: Vec<Option<usize>> = tokens.iter().map(|t| slot_of(&t.text)).collect();
    let mut wholes: Vec<(usize, String, f32)> = Vec::new();
    for (i, parts) in parts.iter().enumerate() {
        let part_slots: Vec<usize> = parts.iter().filter_map(|p| token_slots[*p]).collect();
        if token_slots[i].is_none() {
            token_slots[i] = part_slots.first().copied();
        }
        for slot in part_slots {
            wholes.push((slot, tokens[i].text.clone(), words[slot].meant_weight()));
        }
    }
    for (letters, whole) in split.glued {
        if let Some(slot) = slot_of(&letters) {
            wholes.push((slot, whole, PASTED_WEIGHT));
        }
    }
    let last_slot = (0..tokens.len())
        .rev()
        .find(|i| parts[*i].is_empty())
        .filter(|i| !tokens[*i].stop && !split.ends_in_version)
        .and_then(|i| token_slots[i]);
    ReadQuery {
        tokens,
        words,
        token_slots,
        wholes,
        last_slot,
    }
}

/// When token `i` is a hyphenated word closed up (`signin` after `sign`, `in`), the tokens
/// of its parts; otherwise none. A code (`e-up-413`) is a word of its own: it is what the
/// customer copied, whole. The analyzer emits a closed-up word right after its parts, so
/// they are the tokens just before it that lie within its span.
fn closed_up_parts(tokens: &[Token], i: usize) -> Vec<usize> {
    let whole = &tokens[i];
    if is_code_like(&whole.text) {
        return Vec::new();
    }
    let part = |t: &Token| {
        whole.start <= t.start && t.end <= whole.end && t.end - t.start < whole.end - whole.start
    };
    let first = (0..i)
        .rev()
        .take_while(|j| part(&tokens[*j]))
        .last()
        .unwrap_or(i);
    (first..i).collect()
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

/// Distinct words of the query, stop words left out unless there is nothing else, and
/// closed-up words left to their parts (`parts`, per token) unless those are all stop
/// words (`to-do`).
fn query_words(
    tokens: &[Token],
    parts: &[Vec<usize>],
    query: &str,
    english: bool,
) -> Vec<QueryWord> {
    let only_stop_words = tokens.iter().all(|t| t.stop);
    let quoted = quoted_spans(query);
    let mut words: Vec<QueryWord> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if words.len() == MAX_QUERY_TERMS {
            break;
        }
        let left_to_parts = parts[i].iter().any(|p| !tokens[*p].stop);
        if (t.stop && !only_stop_words) || left_to_parts || words.iter().any(|w| w.term == t.text) {
            continue;
        }
        let in_quotes = quoted
            .iter()
            .any(|(start, end)| *start <= t.start && t.end <= *end);
        let before_particle = english
            && tokens
                .get(i + 1)
                .is_some_and(|next| PHRASAL_PARTICLES.contains(&next.text.as_str()));
        let pasted = is_code_like(&t.text) || in_quotes;
        let phrasal = before_particle && !pasted;
        let weight = if pasted {
            PASTED_WEIGHT
        } else if phrasal {
            PHRASAL_VERB_WEIGHT
        } else {
            1.0
        };
        let typed_chars = query[t.start..t.end].chars().count();
        words.push(QueryWord {
            term: t.text.clone(),
            typed_chars,
            weight,
            phrasal,
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
        assert_eq!(query.wholes, [(0, "win7".to_string(), PASTED_WEIGHT)]);
        assert_eq!(query.last_slot, Some(3));
        assert!(
            query.words.iter().all(|w| w.weight == 1.0),
            "its parts are words"
        );
        let ending = read(&Analyzer::default(), "backup on win10");
        assert_eq!(
            ending.last_slot, None,
            "a version number is not being typed"
        );
    }

    #[test]
    fn codes_and_other_mixes_stay_whole() {
        for code in ["0x80070005", "e-up-413", "x64", "kb4090941", "mp3x"] {
            let query = read(&Analyzer::default(), code);
            let terms: Vec<&str> = query.words.iter().map(|w| w.term.as_str()).collect();
            assert!(terms.contains(&code), "{code}: {terms:?}");
            assert!(query.wholes.is_empty(), "{code}: {:?}", query.wholes);
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
    fn a_hyphenated_word_is_its_parts_with_its_closed_form_standing_in() {
        let query = read(&Analyzer::default(), "usb-adapter screen");
        let terms: Vec<&str> = query.words.iter().map(|w| w.term.as_str()).collect();
        assert_eq!(terms, ["usb", "adapt", "screen"], "no third word");
        let whole = "usbadapt".to_string();
        assert_eq!(query.wholes, [(0, whole.clone(), 1.0), (1, whole, 1.0)]);
        // The thesaurus matches on the closed form too, for its first part's slot.
        let signin = read(&Analyzer::default(), "sign-in fails");
        let at = signin
            .tokens
            .iter()
            .position(|t| t.text == "signin")
            .unwrap();
        assert_eq!(signin.token_slots[at], Some(0));
        assert_eq!(signin.last_slot, Some(1));
        // Parts that are all stop words leave the word to its closed form.
        assert_eq!(words("to-do"), [("todo".to_string(), 1.0)]);
        assert_eq!(read(&Analyzer::default(), "to-do").last_slot, None);
    }

    #[test]
    fn a_word_whose_stem_is_a_stop_word_is_one() {
        let terms: Vec<String> = words("new sign-ins").into_iter().map(|(t, _)| t).collect();
        assert_eq!(terms, ["new", "sign"], "`ins` is `in`");
    }

    #[test]
    fn a_verb_before_its_particle_weighs_half() {
        let weights = words("the server locks up and updates rolled back");
        let weight = |term: &str| weights.iter().find(|(t, _)| t == term).map(|(_, w)| *w);
        assert_eq!(weight("lock"), Some(PHRASAL_VERB_WEIGHT));
        assert_eq!(weight("roll"), Some(PHRASAL_VERB_WEIGHT));
        assert_eq!(weight("server"), Some(1.0));
        assert_eq!(weight("up"), Some(1.0), "the particle is a word");
        let french = Analyzer::for_language(crate::language::Language::parse("fr").unwrap());
        let read_fr = read(&french, "lock up");
        assert!(
            read_fr.words.iter().all(|w| w.weight == 1.0),
            "English only"
        );
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
