//! Text analysis: the one analyzer used for documents (through the indexer's tantivy
//! adapter) and for queries (in the browser), so both sides always agree on terms.
//!
//! Pipeline: Unicode word segmentation → split on `_` and `.` → elided articles dropped
//! (`l'imprimante` → `imprimante`, in French, Italian, Catalan) → lowercase → accent
//! folding → the language's Snowball stemmer for purely alphabetic words. Each bundle is
//! analyzed in its kb language's rules ([`crate::language`]); English by default.
//!
//! Text in scripts written without spaces (Chinese, Japanese, Korean) is indexed as
//! overlapping pairs of characters (`印刷できない` → `印刷`, `刷で`, `でき`, `きな`, `ない`),
//! in any language: no dictionary is needed, and a query's pairs meet the article's.
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

use crate::language::Language;

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

/// The analyzer of one language. Cheap to create; holds the stemmer.
pub struct Analyzer {
    language: Language,
    stemmer: Option<Stemmer>,
}

/// English, the default.
impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            language: Language::english(),
            stemmer: Some(Stemmer::create(Algorithm::English)),
        }
    }
}

/// Characters that join the parts of an identifier or error code.
fn is_code_joiner(c: char) -> bool {
    matches!(c, '-' | '_' | '.' | '/' | ':')
}

impl Analyzer {
    /// `language`'s analyzer with its Snowball stemmer, if it has one. Names every
    /// stemmer (see [`Language::snowball`]): the widget builds non-English analyzers with
    /// [`Analyzer::new`] in a piece of its own.
    pub fn for_language(language: Language) -> Analyzer {
        let stemmer = language.snowball().map(Stemmer::create);
        Analyzer::new(language, stemmer)
    }

    /// `language`'s analyzer with the given stemmer (`None`: words are only folded).
    pub fn new(language: Language, stemmer: Option<Stemmer>) -> Analyzer {
        Analyzer { language, stemmer }
    }

    pub fn language(&self) -> &Language {
        &self.language
    }

    /// Whether a folded (lowercase, unstemmed) word is a stop word of this language.
    pub fn is_stop_word(&self, folded: &str) -> bool {
        self.language.is_stop_word(folded)
    }

    /// Calls `sink` with every token of `text`, in order.
    pub fn for_each_token(&self, text: &str, mut sink: impl FnMut(Token)) {
        let mut position = 0u32;
        for (chunk_start, chunk) in whitespace_chunks(text) {
            for (run_start, run, unspaced) in script_runs(chunk) {
                let run_start = chunk_start + run_start;
                if unspaced {
                    character_pairs(run, run_start, &mut position, &mut sink);
                } else {
                    self.words(run, run_start, &mut position, &mut sink);
                }
            }
        }
    }

    /// The tokens of one space-delimited run of words (a chunk, or its part between
    /// unspaced scripts).
    fn words(
        &self,
        chunk: &str,
        chunk_start: usize,
        position: &mut u32,
        sink: &mut impl FnMut(Token),
    ) {
        let first_position = *position;
        let mut parts = 0usize;
        for (offset, word) in chunk.unicode_word_indices() {
            let (elided, word) = self.drop_elision(word);
            for (sub_offset, part) in split_keep_offsets(word, &['_', '.']) {
                let start = chunk_start + offset + elided + sub_offset;
                let text = self.normalize(part);
                if text.is_empty() {
                    continue;
                }
                sink(Token {
                    stop: self.is_stop_word(&fold(part)),
                    text,
                    position: *position,
                    start,
                    end: start + part.len(),
                });
                *position += 1;
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

    /// `word` without a leading elided article (`l'`, `qu’`), and how many bytes went.
    fn drop_elision<'a>(&self, word: &'a str) -> (usize, &'a str) {
        let Some(apostrophe) = word.find(['\'', '\u{2019}']) else {
            return (0, word);
        };
        let (head, rest) = word.split_at(apostrophe);
        let rest = &rest[rest.chars().next().map_or(0, char::len_utf8)..];
        // Elisions are ASCII: no Unicode case tables needed.
        let elided = !rest.is_empty()
            && self
                .language
                .elisions()
                .iter()
                .any(|e| e.eq_ignore_ascii_case(head));
        if elided {
            (word.len() - rest.len(), rest)
        } else {
            (0, word)
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

    /// Lowercases, folds accents and stems one word. English folds first, so that a word
    /// typed without its accents (`cafe`) meets the article's (`café`); other languages'
    /// stemmers know their accents (French `-ées`, `-é`) and see them, then the stem is
    /// folded.
    ///
    /// English drops a possessive `'s` first (`sysprep's` → `sysprep`): it names the owner
    /// of something, and the word is what an article writes. Other apostrophes stay
    /// (`can't`, `doesn't` mean something of their own).
    pub fn normalize(&self, word: &str) -> String {
        let mut folded = fold(word);
        if self.language.is_english() {
            if let Some(owner) = possessive_owner(&folded) {
                folded.truncate(owner.len());
            }
        }
        match &self.stemmer {
            Some(stemmer) if folded.chars().all(char::is_alphabetic) => {
                if self.language.is_english() {
                    stemmer.stem(&folded).into_owned()
                } else {
                    let lower: String = word.chars().flat_map(char::to_lowercase).collect();
                    fold(&stemmer.stem(&lower))
                }
            }
            _ => folded,
        }
    }
}

/// Whether `c` belongs to a script written without spaces between words (Han, Hiragana,
/// Katakana) or whose words are best matched in pieces (Hangul).
fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x20000..=0x2FFFF  // CJK Extensions B–F
    )
}

/// A chunk cut into runs of unspaced-script characters and runs of everything else:
/// (offset, run, unspaced).
fn script_runs(chunk: &str) -> impl Iterator<Item = (usize, &str, bool)> {
    let mut rest = chunk;
    let mut offset = 0;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let unspaced = is_unspaced(first);
        let len = rest
            .char_indices()
            .find(|(_, c)| is_unspaced(*c) != unspaced)
            .map_or(rest.len(), |(i, _)| i);
        let run = (offset, &rest[..len], unspaced);
        rest = &rest[len..];
        offset += len;
        Some(run)
    })
}

/// Overlapping pairs of characters of an unspaced run (the character alone if it is the
/// only one), each a token of its own position.
fn character_pairs(run: &str, run_start: usize, position: &mut u32, sink: &mut impl FnMut(Token)) {
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    let pair_count = chars.len().saturating_sub(1).max(1);
    for i in 0..pair_count.min(chars.len()) {
        let start = chars[i].0;
        let end = chars.get(i + 2).map_or(run.len(), |(at, _)| *at);
        sink(Token {
            text: fold(&run[start..end]),
            position: *position,
            start: run_start + start,
            end: run_start + end,
            stop: false,
        });
        *position += 1;
    }
}

/// The owner in an English possessive (`microsoft's`, `server’s`): a word of letters
/// before `'s`.
fn possessive_owner(word: &str) -> Option<&str> {
    let owner = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("\u{2019}s"))?;
    (!owner.is_empty() && owner.chars().all(char::is_alphabetic)).then_some(owner)
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

    fn terms_in(tag: &str, text: &str) -> Vec<String> {
        Analyzer::for_language(Language::parse(tag).unwrap())
            .tokens(text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn each_language_stems_and_stops_its_own_words() {
        let tokens = Analyzer::for_language(Language::parse("fr").unwrap())
            .tokens("L’imprimante n'imprime plus les pages");
        let seen: Vec<_> = tokens.iter().map(|t| (t.text.as_str(), t.stop)).collect();
        assert_eq!(
            seen,
            [
                ("imprim", false),
                ("imprim", false),
                ("plus", false),
                ("le", true),
                ("pag", false)
            ]
        );
        // The elided article is dropped, not the word's start: offsets point at the word.
        let text = "l'écran";
        let tokens = Analyzer::for_language(Language::parse("fr").unwrap()).tokens(text);
        assert_eq!(&text[tokens[0].start..tokens[0].end], "écran");
        assert_eq!(terms_in("fr", "réseau"), terms_in("fr", "reseau"));
        // French suffixes are stemmed with their accents, then folded.
        assert_eq!(
            terms_in("fr", "pixelisées pixelisé"),
            ["pixelis", "pixelis"]
        );
        for (accented, bare) in [("connecté", "connecte"), ("problème", "probleme")] {
            assert_eq!(terms_in("fr", accented), terms_in("fr", bare), "{accented}");
        }
        assert_eq!(
            terms_in("de", "Die Drucker druckten nicht"),
            ["die", "druck", "druckt", "nicht"]
        );
        assert_eq!(
            terms_in("es", "Las impresoras no imprimen"),
            ["las", "impresor", "no", "imprim"]
        );
        // English keeps its apostrophes, but for a possessive's; an unknown language is
        // only folded.
        assert_eq!(terms_in("en", "can't l'art"), ["can't", "l'art"]);
        assert_eq!(terms_in("he", "מדפסת"), ["מדפסת"]);
    }

    #[test]
    fn an_english_possessive_is_its_owner() {
        assert_eq!(
            terms("Microsoft's server\u{2019}s users' sysprep's"),
            ["microsoft", "server", "user", "sysprep"]
        );
        assert_eq!(terms("it's"), ["it"], "stemmed like its owner");
        let french = Analyzer::for_language(Language::parse("fr").unwrap());
        assert_eq!(french.normalize("aujourd's"), "aujourd's", "English only");
    }

    #[test]
    fn error_codes_match_across_languages() {
        for tag in ["en", "fr", "de", "es", "ja"] {
            assert!(
                terms_in(tag, "erreur E-UP-413").contains(&"e-up-413".to_string()),
                "{tag}"
            );
            assert!(
                terms_in(tag, "0x80070005").contains(&"0x80070005".to_string()),
                "{tag}"
            );
        }
    }

    #[test]
    fn unspaced_scripts_are_indexed_as_character_pairs() {
        assert_eq!(
            terms("印刷できない"),
            ["印刷", "刷で", "でき", "きな", "ない"]
        );
        assert_eq!(terms("印"), ["印"]);
        let text = "エラーE-UP-413が出る";
        let tokens = Analyzer::default().tokens(text);
        let terms: Vec<_> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            terms,
            ["エラ", "ラー", "e", "up", "413", "e-up-413", "が出", "出る"]
        );
        for t in &tokens {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
        // Positions run on, so neighbouring pairs are close for proximity.
        let positions: Vec<_> = tokens.iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 1, 2, 3, 4, 2, 5, 6]);
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
            "l'",
            "'l",
            "l’’",
            "qu'",
        ] {
            let _ = terms(text);
            let _ = terms_in("fr", text);
        }
    }
}
