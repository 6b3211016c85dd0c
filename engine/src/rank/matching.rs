//! A query's words matched against the dictionary shards at hand: for each distinct word
//! (a *slot*), the dictionary terms that stand for it and what a match on each is worth —
//! and the dictionary shards it would need that are not here yet.

use std::collections::BTreeSet;

use crate::analyzer::Analyzer;
use crate::index::{typo, LoadedDictionary, Lookup, SearchIndex};
use crate::synonyms::Thesaurus;

use super::query_words::{self, last_word_being_typed, ReadQuery};

/// Completions tried for the last, possibly half-typed word.
pub const MAX_PREFIX_EXPANSIONS: usize = 24;
/// Bytes of query text analyzed (a 1 MB paste is cut here, on a char boundary).
const MAX_QUERY_BYTES: usize = 2048;
/// A completion of the typed prefix counts for less than the word typed in full…
const PREFIX_WEIGHT: f32 = 0.7;
/// …and a typo correction for less still.
const TYPO_WEIGHT: f32 = 0.5;
/// A synonym from the thesaurus counts for as much as a typo correction.
const SYNONYM_WEIGHT: f32 = 0.5;

/// A dictionary term standing in for a query word, and what a match on it is worth.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Candidate {
    /// Position in the dictionary.
    pub term: usize,
    pub weight: f32,
    pub slot: usize,
    /// Documents holding it, for its idf (see `docs_for` in [`candidates`]).
    pub docs: u32,
}

/// What each query word matches in the loaded dictionary (exact, completions,
/// corrections, synonyms; the whole of a glued version or a hyphenated word), and the
/// number of slots (distinct words); the shards it would have needed but are not loaded go
/// into `needed`.
pub(super) fn candidates(
    index: &SearchIndex,
    dictionary: &LoadedDictionary,
    needed: &mut BTreeSet<usize>,
    analyzer: &Analyzer,
    query: &str,
) -> (Vec<Candidate>, usize) {
    let query = truncate_on_char_boundary(query, MAX_QUERY_BYTES);
    let ReadQuery {
        tokens,
        words,
        token_slots,
        wholes,
        last_slot: typing_slot,
    } = query_words::read(analyzer, query);
    // The word being typed, which completes the query's last slot.
    let typing = last_word_being_typed(query);
    let mut find = |term: &str| match dictionary.lookup(index, term) {
        Lookup::Found(at) => Some(at),
        Lookup::Absent => None,
        Lookup::NotLoaded(n) => {
            needed.insert(n);
            None
        }
    };
    let exact: Vec<Option<usize>> = words.iter().map(|w| find(&w.term)).collect();
    // What the help centre may call it instead ("logging in" → "sign in"). The thesaurus
    // is English: other languages' terms would only meet it by accident.
    let terms: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    let thesaurus = analyzer.language().is_english().then(Thesaurus::get);
    let alternatives: Vec<(usize, usize)> = thesaurus
        .map(|thesaurus| thesaurus.alternatives(&terms))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|alternative| Some((token_slots[alternative.at]?, find(alternative.term)?)))
        .collect();
    let wholes: Vec<(usize, usize, f32)> = wholes
        .iter()
        .filter_map(|(slot, whole, weight)| Some((*slot, find(whole)?, *weight)))
        .collect();
    if let (Some(_), Some(prefix)) = (typing_slot, typing.as_deref()) {
        needed.extend(dictionary.awaited_for_prefix(index, prefix));
    }
    // The document count a stand-in for the word of `slot` is scored with: a completion or
    // synonym never counts as rarer than the word itself, or a rare completion ("office"
    // for a finished "off") would outrank the word typed.
    let docs_for = |slot: usize, term: usize| {
        let own = dictionary.docs(term);
        exact[slot].map_or(own, |e| own.max(dictionary.docs(e)))
    };
    // Whether a word matches nothing is known once its shards (and those of its
    // completions) are in: only then is it worth correcting.
    let matching_known = needed.is_empty();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut to_correct = Vec::new();
    for (slot, word) in words.iter().enumerate() {
        if let Some(term) = exact[slot] {
            candidates.push(Candidate {
                term,
                weight: word.weight,
                slot,
                docs: dictionary.docs(term),
            });
        }
        let mut completed = false;
        if typing_slot == Some(slot) {
            if let Some(prefix) = typing.as_deref() {
                for (term, _) in dictionary
                    .with_prefix(index, prefix)
                    .filter(|(_, e)| e.term != word.term)
                    .take(MAX_PREFIX_EXPANSIONS)
                {
                    candidates.push(Candidate {
                        term,
                        weight: word.weight * PREFIX_WEIGHT,
                        slot,
                        docs: docs_for(slot, term),
                    });
                    completed = true;
                }
            }
        }
        if matching_known && exact[slot].is_none() && !completed {
            if let Some(first) = typo::correctable(&word.term, word.typed_chars) {
                to_correct.push(slot);
                needed.extend(dictionary.awaited_for_prefix(index, first));
            }
        }
    }
    // A word that matches nothing is corrected from the shards of its first letter; until
    // they are all in, its corrections would be a guess.
    if needed.is_empty() {
        for slot in to_correct {
            let word = &words[slot];
            for term in dictionary.corrections(index, &word.term, word.typed_chars) {
                candidates.push(Candidate {
                    term,
                    weight: word.weight * TYPO_WEIGHT,
                    slot,
                    docs: dictionary.docs(term),
                });
            }
        }
    }
    for (slot, term, weight) in wholes {
        candidates.push(Candidate {
            term,
            weight,
            slot,
            docs: dictionary.docs(term),
        });
    }
    for (slot, term) in alternatives {
        candidates.push(Candidate {
            term,
            weight: words[slot].meant_weight() * SYNONYM_WEIGHT,
            slot,
            docs: docs_for(slot, term),
        });
    }
    (candidates, words.len())
}

fn truncate_on_char_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
