//! Text analysis: the one analyzer used for documents (through the indexer's tantivy
//! adapter) and for queries (in the browser), so both sides always agree on terms.
//!
//! Pipeline: Unicode word segmentation → split on `_` and `.` → lowercase → accent folding →
//! English (Snowball) stemming for purely alphabetic words.
//!
//! Error codes and identifiers are searchable whole and by parts: a whitespace-delimited
//! chunk such as `E-UP-413`, `ERR_CONNECTION_RESET`, `v2.3.1` or `ntuser.dat` yields its
//! parts (`e`, `up`, `413`) *and* the whole code (`e-up-413`) at the position of its first
//! part. Hyphenated words also yield their closed form (`IP-HTTPS` → `iphttps`, `sign-in` →
//! `signin`), because customers type them both ways.
//!
//! Stop words are indexed like any word (they cost little and keep positions honest); each
//! token says whether it is one, so a query can ignore them.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

/// One search term with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalized term, as stored in the index.
    pub text: String,
    /// Word position, counting parts; a whole code shares the position of its first part.
    pub position: u32,
    /// Byte range in the analyzed text.
    pub start: usize,
    pub end: usize,
    /// A function word (`the`, `how`, `my`) that says little about the problem.
    pub stop: bool,
}

/// The analyzer. Cheap to create; holds the stemmer.
pub struct Analyzer {
    stemmer: Stemmer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

/// Characters that join the parts of an identifier or error code.
fn is_code_joiner(c: char) -> bool {
    matches!(c, '-' | '_' | '.' | '/' | ':')
}

impl Analyzer {
    /// Calls `sink` with every token of `text`, in order.
    pub fn for_each_token(&self, text: &str, mut sink: impl FnMut(Token)) {
        let mut position = 0u32;
        for (chunk_start, chunk) in whitespace_chunks(text) {
            let first_position = position;
            let mut parts = 0usize;
            for (offset, word) in chunk.unicode_word_indices() {
                for (sub_offset, part) in split_keep_offsets(word, &['_', '.']) {
                    let start = chunk_start + offset + sub_offset;
                    let text = self.normalize(part);
                    if text.is_empty() {
                        continue;
                    }
                    sink(Token {
                        stop: is_stop_word(&fold(part)),
                        text,
                        position,
                        start,
                        end: start + part.len(),
                    });
                    position += 1;
                    parts += 1;
                }
            }
            if parts > 1 {
                if let Some((start, compound, text)) = self.compound_in_chunk(chunk) {
                    let start = chunk_start + start;
                    sink(Token {
                        text,
                        position: first_position,
                        start,
                        end: start + compound.len(),
                        stop: false,
                    });
                }
            }
        }
    }

    /// All tokens of `text`.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.for_each_token(text, |t| out.push(t));
        out
    }

    /// The joined form of a multi-part chunk, if it has one: (offset, source text, term).
    /// Codes keep their separators (`e-up-413`); hyphenated words close up and are stemmed
    /// (`sign-in` → `signin`).
    fn compound_in_chunk<'a>(&self, chunk: &'a str) -> Option<(usize, &'a str, String)> {
        let (start, code) = joined_in_chunk(chunk)?;
        let is_code = code.chars().any(|c| c.is_ascii_digit()) || code.contains(['_', '.']);
        if is_code {
            return Some((start, code, fold(code)));
        }
        let hyphenated = code.contains('-') && !code.contains(['/', ':']);
        let closed: String = code.chars().filter(|c| c.is_alphanumeric()).collect();
        hyphenated.then(|| (start, code, self.normalize(&closed)))
    }

    /// Lowercases, folds accents and stems one word.
    pub fn normalize(&self, word: &str) -> String {
        let folded = fold(word);
        if folded.chars().all(char::is_alphabetic) {
            self.stemmer.stem(&folded).into_owned()
        } else {
            folded
        }
    }
}

/// Lowercase and strip accents (`Réseau` → `reseau`), without stemming. Used for prefix
/// matching, where a stemmed half-typed word would not be a prefix of anything.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    word.chars()
        .for_each(|c| crate::fold::push_folded(c, &mut out));
    out
}

/// Splits on whitespace, keeping byte offsets.
fn whitespace_chunks(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |chunk| (chunk.as_ptr() as usize - text.as_ptr() as usize, chunk))
}

fn split_keep_offsets<'a>(
    word: &'a str,
    sep: &'a [char],
) -> impl Iterator<Item = (usize, &'a str)> {
    word.split(sep)
        .map(move |part| (part.as_ptr() as usize - word.as_ptr() as usize, part))
        .filter(|(_, part)| !part.is_empty())
}

/// The alphanumerics-joined-by-`-_./:` run a chunk consists of, if it has a joiner inside;
/// surrounding punctuation is dropped.
fn joined_in_chunk(chunk: &str) -> Option<(usize, &str)> {
    let trimmed_start = chunk.trim_start_matches(|c: char| !c.is_alphanumeric());
    let code = trimmed_start.trim_end_matches(|c: char| !c.is_alphanumeric());
    let start = chunk.len() - trimmed_start.len();
    let has_joiner = code.chars().any(is_code_joiner);
    let only_code_chars = code
        .chars()
        .all(|c| c.is_alphanumeric() || is_code_joiner(c));
    (has_joiner && only_code_chars).then_some((start, code))
}

/// Function words that say little about a problem. Negations and words like `after`,
/// `off`, `up` are deliberately absent: "won't start after update" needs them.
const STOP_WORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "been", "being", "but", "by",
    "can", "could", "did", "do", "does", "doing", "for", "from", "had", "has", "have", "he", "her",
    "here", "him", "his", "how", "i", "i'm", "if", "in", "into", "is", "it", "it's", "its", "just",
    "me", "my", "of", "on", "or", "our", "she", "so", "some", "such", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "very", "was",
    "we", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with", "would",
    "you", "your",
];

/// Whether a folded (lowercase, unstemmed) word is a stop word.
pub fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.binary_search(&folded).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        Analyzer::default()
            .tokens(text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn stems_lowercases_and_folds_accents() {
        assert_eq!(terms("Uploading Files Failed"), ["upload", "file", "fail"]);
        assert_eq!(terms("Réseau café"), ["reseau", "cafe"]);
    }

    #[test]
    fn error_codes_are_indexed_whole_and_by_parts() {
        assert_eq!(
            terms("got E-UP-413 today"),
            ["got", "e", "up", "413", "e-up-413", "today"]
        );
        assert_eq!(
            terms("ERR_CONNECTION_RESET."),
            ["err", "connect", "reset", "err_connection_reset"]
        );
        assert_eq!(terms("0x80070005"), ["0x80070005"]);
        assert_eq!(terms("Error 1606"), ["error", "1606"]);
    }

    #[test]
    fn hyphenated_words_also_match_closed_up() {
        assert_eq!(terms("sign-in"), ["sign", "in", "signin"]);
        assert_eq!(terms("IP-HTTPS"), ["ip", "https", "iphttp"]);
        assert_eq!(terms("and/or"), ["and", "or"]);
    }

    #[test]
    fn file_names_are_kept_whole() {
        assert_eq!(terms("ntuser.dat"), ["ntuser", "dat", "ntuser.dat"]);
    }

    #[test]
    fn stop_words_are_flagged_not_dropped() {
        let tokens = Analyzer::default().tokens("How do I reset my password");
        let stop: Vec<_> = tokens.iter().map(|t| (t.text.as_str(), t.stop)).collect();
        assert_eq!(
            stop,
            [
                ("how", true),
                ("do", true),
                ("i", true),
                ("reset", false),
                ("my", true),
                ("password", false)
            ]
        );
        assert!(
            STOP_WORDS.windows(2).all(|w| w[0] < w[1]),
            "STOP_WORDS must stay sorted"
        );
    }

    #[test]
    fn positions_and_offsets_point_into_the_text() {
        let text = "Upload E-UP-413";
        let tokens = Analyzer::default().tokens(text);
        let code = tokens.iter().find(|t| t.text == "e-up-413").unwrap();
        assert_eq!(&text[code.start..code.end], "E-UP-413");
        assert_eq!(code.position, 1);
        assert_eq!(tokens.last().unwrap().position, 1);
        assert_eq!(tokens.iter().map(|t| t.position).max(), Some(3));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "",
            "   ",
            "---",
            "_",
            "é",
            "\u{0301}",
            "a_",
            "__init__",
            "日本語のテキスト",
            "🙂 x-1",
        ] {
            let _ = terms(text);
        }
    }
}
