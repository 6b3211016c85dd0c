//! Text analysis: the one analyzer used for documents (through the indexer's tantivy
//! adapter) and for queries (in the browser), so both sides always agree on terms.
//!
//! Pipeline: Unicode word segmentation → split on `_` → lowercase → accent folding →
//! English (Snowball) stemming for purely alphabetic words.
//!
//! Error codes and identifiers are searchable whole and by parts: a whitespace-delimited
//! chunk such as `E-UP-413`, `ERR_CONNECTION_RESET` or `v2.3.1` yields its parts (`e`, `up`,
//! `413`) *and* the whole code (`e-up-413`) at the position of its first part.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
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
                for (sub_offset, part) in split_keep_offsets(word, '_') {
                    let start = chunk_start + offset + sub_offset;
                    let text = self.normalize(part);
                    if text.is_empty() {
                        continue;
                    }
                    sink(Token {
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
                if let Some((start, code)) = code_in_chunk(chunk) {
                    let start = chunk_start + start;
                    sink(Token {
                        text: fold(code),
                        position: first_position,
                        start,
                        end: start + code.len(),
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
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Splits on whitespace, keeping byte offsets.
fn whitespace_chunks(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |chunk| (chunk.as_ptr() as usize - text.as_ptr() as usize, chunk))
}

fn split_keep_offsets(word: &str, sep: char) -> impl Iterator<Item = (usize, &str)> {
    word.split(sep)
        .map(move |part| (part.as_ptr() as usize - word.as_ptr() as usize, part))
        .filter(|(_, part)| !part.is_empty())
}

/// The identifier inside a chunk, if it is one: alphanumerics joined by `-`, `_`, `.`, `/`
/// or `:` that contain a digit or an underscore (so `E-UP-413` and `ERR_CONNECTION_RESET`
/// are codes, `sign-in` is two words). Surrounding punctuation is dropped.
fn code_in_chunk(chunk: &str) -> Option<(usize, &str)> {
    let trimmed_start = chunk.trim_start_matches(|c: char| !c.is_alphanumeric());
    let code = trimmed_start.trim_end_matches(|c: char| !c.is_alphanumeric());
    let start = chunk.len() - trimmed_start.len();
    let has_joiner = code.chars().any(is_code_joiner);
    let is_code = code.chars().any(|c| c.is_ascii_digit()) || code.contains('_');
    let only_code_chars = code
        .chars()
        .all(|c| c.is_alphanumeric() || is_code_joiner(c));
    (has_joiner && is_code && only_code_chars).then_some((start, code))
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
    fn hyphenated_words_are_not_codes() {
        assert_eq!(terms("sign-in"), ["sign", "in"]);
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
