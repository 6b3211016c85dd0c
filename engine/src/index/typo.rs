//! Typo correction: the dictionary terms within a few edits of a word that matches nothing.
//!
//! The budget follows the word's length as typed: 1 edit from 4 letters, 2 from 8; a
//! transposition is one edit (optimal string alignment distance). A correction keeps the
//! word's first letter, as most spelling correctors assume: people rarely mistype the
//! letter they start with, and it means a word is corrected from the dictionary shards of
//! that letter alone, not the whole dictionary (see [`super::dictionary`]). Those terms
//! are scanned, but an edit distance is computed only for terms that pass two cheap necessary
//! conditions: the length differs by at most the budget, and the *character sets* differ
//! by at most twice the budget. One edit removes at most one character and adds at most
//! one, so it changes the set by two members at most (a transposition changes nothing).
//! On a 430-article help centre that leaves a few dozen of ~20 000 terms to measure.

use super::model::TermInfo;

/// Corrections tried for a word that matches nothing.
pub const MAX_TYPO_EXPANSIONS: usize = 8;

/// A run of consecutive dictionary terms starting at position `first` (a loaded dictionary
/// shard), with their character sets.
pub struct Part<'a> {
    pub first: usize,
    pub terms: &'a [TermInfo],
    pub char_sets: &'a CharSets,
}

/// The letter every correction of `word` starts with, if it is corrected at all: only
/// alphabetic words of four letters or more as typed (`typed_chars`) are (a code one digit
/// off is another code; a short word is too easily another word).
pub fn correctable(word: &str, typed_chars: usize) -> Option<&str> {
    let first = word.chars().next()?;
    (budget(typed_chars) > 0 && word.chars().all(char::is_alphabetic))
        .then(|| &word[..first.len_utf8()])
}

/// Edits allowed for a word of `typed_chars` characters.
fn budget(typed_chars: usize) -> usize {
    match typed_chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Dictionary positions of the terms within the typo budget of `word` (analyzed;
/// `typed_chars` as the customer typed it) that start with its first letter, over the
/// `parts` of the dictionary at hand. Closest first, then the more common term; none if
/// it is not [`correctable`].
pub fn corrections<'a>(
    parts: impl IntoIterator<Item = Part<'a>>,
    word: &str,
    typed_chars: usize,
) -> Vec<usize> {
    let Some(first) = correctable(word, typed_chars) else {
        return Vec::new();
    };
    let budget = budget(typed_chars);
    let wanted = CharSet::of(word);
    let mut found: Vec<(usize, u32, usize)> = Vec::new();
    for part in parts {
        found.extend(
            part.char_sets
                .0
                .iter()
                .zip(part.terms)
                .enumerate()
                .filter(|(_, (set, e))| {
                    wanted.may_be_within(set, budget) && e.term.starts_with(first)
                })
                .filter_map(|(i, (_, e))| {
                    let distance = strsim::osa_distance(word, &e.term);
                    (distance <= budget).then_some((distance, u32::MAX - e.docs, part.first + i))
                }),
        );
    }
    found.sort_unstable();
    found
        .into_iter()
        .take(MAX_TYPO_EXPANSIONS)
        .map(|(_, _, term)| term)
        .collect()
}

/// The character sets of a run of terms, computed once when they arrive: a scan then costs
/// two comparisons per term instead of a pass over its characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CharSets(Vec<CharSet>);

impl CharSets {
    pub fn of(terms: &[TermInfo]) -> CharSets {
        CharSets(terms.iter().map(|e| CharSet::of(&e.term)).collect())
    }
}

/// A word's length in characters and the set of its characters (letters and digits each
/// their own bit, anything else folded into the remaining 28).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CharSet {
    len: usize,
    bits: u64,
}

impl CharSet {
    fn of(word: &str) -> CharSet {
        let mut set = CharSet { len: 0, bits: 0 };
        for c in word.chars() {
            set.len += 1;
            set.bits |= 1 << bit(c);
        }
        set
    }

    /// False only when `other` is certainly more than `budget` edits away.
    fn may_be_within(&self, other: &CharSet, budget: usize) -> bool {
        self.len.abs_diff(other.len) <= budget
            && (self.bits ^ other.bits).count_ones() as usize <= 2 * budget
    }
}

fn bit(c: char) -> u32 {
    match c {
        'a'..='z' => c as u32 - 'a' as u32,
        '0'..='9' => 26 + (c as u32 - '0' as u32),
        _ => 36 + c as u32 % 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dictionary(terms: &[(&str, u32)]) -> Vec<TermInfo> {
        let mut terms: Vec<TermInfo> = terms
            .iter()
            .map(|(t, docs)| TermInfo {
                term: t.to_string(),
                docs: *docs,
            })
            .collect();
        terms.sort_by(|a, b| a.term.cmp(&b.term));
        terms
    }

    fn corrected(terms: &[TermInfo], word: &str) -> Vec<String> {
        // Split in two parts, as loaded shards are, to check positions carry across.
        let (head, tail) = terms.split_at(terms.len() / 2);
        let (head_sets, tail_sets) = (CharSets::of(head), CharSets::of(tail));
        let parts = [
            Part {
                first: 0,
                terms: head,
                char_sets: &head_sets,
            },
            Part {
                first: head.len(),
                terms: tail,
                char_sets: &tail_sets,
            },
        ];
        corrections(parts, word, word.chars().count())
            .into_iter()
            .map(|i| terms[i].term.clone())
            .collect()
    }

    #[test]
    fn budget_grows_with_the_word() {
        let index = dictionary(&[("printer", 5), ("password", 9), ("cat", 1)]);
        assert_eq!(corrected(&index, "printr"), ["printer"]);
        assert_eq!(
            corrected(&index, "pasword"),
            ["password"],
            "1 edit at 7 letters"
        );
        assert_eq!(
            corrected(&index, "paswrod"),
            [] as [&str; 0],
            "2 edits at 7"
        );
        assert_eq!(corrected(&index, "paswordd"), ["password"], "2 edits at 8");
        assert_eq!(corrected(&index, "cta"), [] as [&str; 0], "3 letters: none");
    }

    #[test]
    fn a_transposition_is_one_edit() {
        let index = dictionary(&[("driver", 3)]);
        assert_eq!(corrected(&index, "dirver"), ["driver"]);
    }

    #[test]
    fn closest_first_then_the_more_common() {
        let index = dictionary(&[("setting", 2), ("settings", 40), ("sitting", 90)]);
        assert_eq!(corrected(&index, "settin"), ["setting"]);
        let index = dictionary(&[("mouse", 2), ("moose", 40)]);
        assert_eq!(corrected(&index, "moise"), ["moose", "mouse"]);
    }

    #[test]
    fn a_correction_keeps_the_first_letter() {
        let index = dictionary(&[("printer", 5), ("house", 40)]);
        assert!(corrected(&index, "rinter").is_empty());
        assert!(corrected(&index, "mouse").is_empty());
        assert_eq!(correctable("printr", 6), Some("p"));
        assert_eq!(correctable("évènement", 9), Some("é"));
        assert_eq!(correctable("prt", 3), None, "too short");
        assert_eq!(correctable("e-up-413", 8), None, "a code");
    }

    #[test]
    fn codes_are_not_corrected() {
        let index = dictionary(&[("0x80070005", 1)]);
        assert!(corrected(&index, "0x80070006").is_empty());
    }

    /// The filter must never drop a term the edit distance would accept: compared with
    /// the plain distance over a dictionary of near neighbours (every deletion,
    /// substitution, insertion and transposition of a few words, and some of two).
    #[test]
    fn the_character_set_filter_loses_no_correction() {
        let words = [
            "printer",
            "password",
            "évènement",
            "wifi",
            "bluetooth",
            "dns",
        ];
        let alphabet = ['a', 'e', 'r', 't', 'é', 'x'];
        let mut neighbours = std::collections::BTreeSet::new();
        for w in words {
            let chars: Vec<char> = w.chars().collect();
            for i in 0..=chars.len() {
                for c in alphabet {
                    let mut ins = chars.clone();
                    ins.insert(i, c);
                    neighbours.insert(ins.iter().collect::<String>());
                    if i < chars.len() {
                        let mut sub = chars.clone();
                        sub[i] = c;
                        neighbours.insert(sub.iter().collect::<String>());
                        let mut two = sub.clone();
                        two.remove((i + 2) % two.len());
                        neighbours.insert(two.iter().collect::<String>());
                    }
                }
                if i < chars.len() {
                    let mut del = chars.clone();
                    del.remove(i);
                    neighbours.insert(del.iter().collect::<String>());
                }
                if i + 1 < chars.len() {
                    let mut swap = chars.clone();
                    swap.swap(i, i + 1);
                    neighbours.insert(swap.iter().collect::<String>());
                }
            }
        }
        let mut checked = 0;
        for w in words {
            let a = CharSet::of(w);
            for n in &neighbours {
                for budget in 1..=2 {
                    if strsim::osa_distance(w, n) <= budget {
                        checked += 1;
                        assert!(a.may_be_within(&CharSet::of(n), budget), "{w} → {n}");
                    }
                }
            }
        }
        assert!(checked > 500, "{checked}");
    }

    #[test]
    fn the_filter_drops_words_that_share_a_length_but_few_letters() {
        let printer = CharSet::of("printer");
        assert!(!printer.may_be_within(&CharSet::of("dolphin"), 2));
        assert!(!printer.may_be_within(&CharSet::of("painted"), 1));
        assert!(printer.may_be_within(&CharSet::of("painter"), 1));
    }
}
