//! Typo correction: the dictionary terms within a few edits of a word that matches nothing.
//!
//! The budget follows the word's length as typed: 1 edit from 4 letters, 2 from 8; a
//! transposition is one edit (optimal string alignment distance). The dictionary is
//! scanned, but an edit distance is computed only for terms that pass two cheap necessary
//! conditions: the length differs by at most the budget, and the *character sets* differ
//! by at most twice the budget. One edit removes at most one character and adds at most
//! one, so it changes the set by two members at most (a transposition changes nothing).
//! On a 430-article help centre that leaves a few dozen of ~20 000 terms to measure.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::model::TermInfo;

/// Corrections tried for a word that matches nothing.
pub const MAX_TYPO_EXPANSIONS: usize = 8;

/// Index terms within the typo budget of `word` (analyzed; `typed_chars` as the customer
/// typed it). Closest first, then the more common term; only alphabetic words are
/// corrected (a code one digit off is another code).
pub fn corrections(
    terms: &[TermInfo],
    char_sets: &CharSets,
    word: &str,
    typed_chars: usize,
) -> Vec<usize> {
    let budget = match typed_chars {
        0..=3 => return Vec::new(),
        4..=7 => 1,
        _ => 2,
    };
    if !word.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    let wanted = CharSet::of(word);
    let sets = char_sets.get(terms);
    let mut found: Vec<(usize, u32, usize)> = sets
        .iter()
        .enumerate()
        .filter(|(_, set)| wanted.may_be_within(set, budget))
        .filter_map(|(i, _)| {
            let e = &terms[i];
            let distance = strsim::osa_distance(word, &e.term);
            (distance <= budget).then_some((distance, u32::MAX - e.docs, i))
        })
        .collect();
    found.sort_unstable();
    found
        .into_iter()
        .take(MAX_TYPO_EXPANSIONS)
        .map(|(_, _, term)| term)
        .collect()
}

/// The character sets of a dictionary's terms, computed on its first typo correction and
/// kept: a scan then costs two comparisons per term instead of a pass over its characters.
/// Derived from the terms alone, so it never makes two dictionaries unequal.
#[derive(Default)]
pub struct CharSets(OnceLock<Vec<CharSet>>);

impl CharSets {
    fn get(&self, terms: &[TermInfo]) -> Cow<'_, [CharSet]> {
        let compute = || {
            terms
                .iter()
                .map(|e| CharSet::of(&e.term))
                .collect::<Vec<_>>()
        };
        match self.0.get_or_init(compute) {
            sets if sets.len() == terms.len() => Cow::Borrowed(sets),
            // The terms changed after the sets were computed (only code that edits an
            // index in place, such as tests, can do that).
            _ => Cow::Owned(compute()),
        }
    }
}

impl Clone for CharSets {
    fn clone(&self) -> Self {
        CharSets(self.0.clone())
    }
}

impl PartialEq for CharSets {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for CharSets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CharSets")
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
    use crate::index::SearchIndex;

    fn dictionary(terms: &[(&str, u32)]) -> SearchIndex {
        let mut terms: Vec<TermInfo> = terms
            .iter()
            .map(|(t, docs)| TermInfo {
                term: t.to_string(),
                docs: *docs,
            })
            .collect();
        terms.sort_by(|a, b| a.term.cmp(&b.term));
        SearchIndex {
            terms,
            ..Default::default()
        }
    }

    fn corrected(index: &SearchIndex, word: &str) -> Vec<String> {
        index
            .corrections(word, word.chars().count())
            .into_iter()
            .map(|i| index.terms[i].term.clone())
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
        let index = dictionary(&[("mouse", 2), ("house", 40)]);
        assert_eq!(corrected(&index, "louse"), ["house", "mouse"]);
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
