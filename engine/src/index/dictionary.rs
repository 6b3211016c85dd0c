//! The term dictionary as the browser holds it, split so that the first query fetches
//! little of it:
//!
//! - [`SearchIndex`] (in `index.<hash>.bin`, fetched at start): each document's field
//!   lengths, the number of terms, and the first term of each dictionary shard — enough to
//!   say which shard holds a word;
//! - [`DictionaryShard`] (`dictionary-<n>.<hash>.bin`): [`TERMS_PER_DICTIONARY_SHARD`]
//!   consecutive terms with their document counts. A query fetches the shards of its words,
//!   of the word being typed and of its thesaurus alternatives, and for a word that matches
//!   nothing (a typo to correct) those of its first letter. [`LoadedDictionary`] holds
//!   those fetched so far.
//!
//! A term's position in the whole dictionary is what names its posting list (see
//! [`super::posting_shards`]), so it is the same whichever shards are loaded.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::model::{TermInfo, FIELD_COUNT};
use super::typo::{self, CharSets};

/// Terms per dictionary shard. In one file, the dictionary was most of what a first query
/// fetched (39 KB of eval-kb's 42 KB, brotli). Split, the median dev query's dictionary,
/// posting and article shards come to 37 KB at 512 terms a shard, 32 KB at 256, 27 KB at
/// 128 (in 28 files): words of one query are spread over the alphabet, so small shards
/// waste less.
pub const TERMS_PER_DICTIONARY_SHARD: usize = 128;

/// `index.<hash>.bin`: the field lengths and the outline of the dictionary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchIndex {
    /// Token count of each field, per document (`field_lengths[doc][field]`).
    pub field_lengths: Vec<[u32; FIELD_COUNT]>,
    /// Terms in the whole dictionary.
    pub term_count: u32,
    /// The first term of each dictionary shard, in order.
    pub dictionary_firsts: Vec<String>,
}

impl SearchIndex {
    pub fn doc_count(&self) -> usize {
        self.field_lengths.len()
    }

    pub fn term_count(&self) -> usize {
        self.term_count as usize
    }

    pub fn dictionary_shard_count(&self) -> usize {
        self.dictionary_firsts.len()
    }

    /// Average length of each field over all documents (at least 1, to keep BM25 finite).
    pub fn average_field_lengths(&self) -> [f32; FIELD_COUNT] {
        let mut sums = [0f64; FIELD_COUNT];
        for lengths in &self.field_lengths {
            for (sum, len) in sums.iter_mut().zip(lengths) {
                *sum += f64::from(*len);
            }
        }
        let n = self.doc_count().max(1) as f64;
        sums.map(|s| ((s / n) as f32).max(1.0))
    }

    /// The dictionary shard that holds `term` if the dictionary has it; `None` when it
    /// sorts before every term.
    pub fn dictionary_shard_of(&self, term: &str) -> Option<usize> {
        self.dictionary_firsts
            .partition_point(|first| first.as_str() <= term)
            .checked_sub(1)
    }

    /// The dictionary shards that may hold terms starting with `prefix`.
    pub fn dictionary_shards_with_prefix(&self, prefix: &str) -> Range<usize> {
        let end = self
            .dictionary_firsts
            .partition_point(|first| first.as_str() < prefix || first.starts_with(prefix));
        let start = self.dictionary_shard_of(prefix).unwrap_or(0);
        start..end.max(start)
    }

    /// What the type system cannot check: the outline fits the term count and is sorted.
    pub(crate) fn outline_is_sound(&self) -> bool {
        self.dictionary_firsts.len() == self.term_count().div_ceil(TERMS_PER_DICTIONARY_SHARD)
            && self.dictionary_firsts.windows(2).all(|w| w[0] < w[1])
    }
}

/// `dictionary-<n>.<hash>.bin`: dictionary terms `first_term..first_term + terms.len()`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DictionaryShard {
    pub first_term: u32,
    /// Sorted by `term`, unique.
    pub terms: Vec<TermInfo>,
}

impl DictionaryShard {
    /// A whole sorted dictionary as its shards, and the outline that names them.
    pub fn split(terms: &[TermInfo]) -> (Vec<DictionaryShard>, Vec<String>) {
        let shards: Vec<DictionaryShard> = terms
            .chunks(TERMS_PER_DICTIONARY_SHARD)
            .enumerate()
            .map(|(n, terms)| DictionaryShard {
                first_term: (n * TERMS_PER_DICTIONARY_SHARD) as u32,
                terms: terms.to_vec(),
            })
            .collect();
        let firsts = shards.iter().map(|s| s.terms[0].term.clone()).collect();
        (shards, firsts)
    }

    /// Whether this is exactly shard `n` of `index`'s dictionary: the right number of
    /// sorted terms, starting where the outline says and ending before the next shard, none
    /// in more documents than there are. A reader must not trust a bundle's numbers.
    pub fn fits(&self, index: &SearchIndex, n: usize) -> bool {
        let first = n * TERMS_PER_DICTIONARY_SHARD;
        let expected = index
            .term_count()
            .saturating_sub(first)
            .min(TERMS_PER_DICTIONARY_SHARD);
        let (Some(head), Some(tail)) = (self.terms.first(), self.terms.last()) else {
            return false;
        };
        self.first_term as usize == first
            && self.terms.len() == expected
            && index.dictionary_firsts.get(n) == Some(&head.term)
            && index
                .dictionary_firsts
                .get(n + 1)
                .is_none_or(|next| tail.term < *next)
            && self.terms.windows(2).all(|w| w[0].term < w[1].term)
            && self
                .terms
                .iter()
                .all(|t| t.docs as usize <= index.doc_count())
    }
}

/// Where a word stands in the dictionary as loaded so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// At this position in the whole dictionary.
    Found(usize),
    /// Not a dictionary term.
    Absent,
    /// Its shard is not loaded yet.
    NotLoaded(usize),
}

/// One loaded dictionary shard, with the character sets typo correction filters by.
#[derive(Debug, Clone, PartialEq)]
struct LoadedShard {
    terms: Vec<TermInfo>,
    char_sets: CharSets,
}

/// Where a dictionary shard stands.
#[derive(Debug, Clone, Default, PartialEq)]
enum ShardState {
    #[default]
    Awaited,
    Loaded(LoadedShard),
    /// It could not be fetched: its words match nothing, and nothing waits for it.
    Unavailable,
}

/// The dictionary shards fetched so far, and those given up on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadedDictionary {
    /// By shard number; shards past the end are awaited.
    shards: Vec<ShardState>,
}

impl LoadedDictionary {
    /// All of them at once (the CLI, tests); shards that do not fit `index` are left out.
    pub fn all(index: &SearchIndex, shards: &[DictionaryShard]) -> LoadedDictionary {
        let mut loaded = LoadedDictionary::default();
        for (n, shard) in shards.iter().enumerate() {
            loaded.insert(index, n, shard.clone());
        }
        loaded
    }

    /// Adds `shard` as shard `n` of `index`. False, and nothing added, if it is not
    /// exactly that shard (see [`DictionaryShard::fits`]).
    pub fn insert(&mut self, index: &SearchIndex, n: usize, shard: DictionaryShard) -> bool {
        if !shard.fits(index, n) {
            return false;
        }
        let loaded = LoadedShard {
            char_sets: CharSets::of(&shard.terms),
            terms: shard.terms,
        };
        self.set(n, ShardState::Loaded(loaded));
        true
    }

    /// Shard `n` could not be fetched: from now on its words match nothing.
    pub fn give_up(&mut self, n: usize) {
        if self.awaits(n) {
            self.set(n, ShardState::Unavailable);
        }
    }

    fn set(&mut self, n: usize, state: ShardState) {
        if self.shards.len() <= n {
            self.shards.resize(n + 1, ShardState::Awaited);
        }
        self.shards[n] = state;
    }

    fn loaded(&self, n: usize) -> Option<&LoadedShard> {
        match self.shards.get(n) {
            Some(ShardState::Loaded(shard)) => Some(shard),
            _ => None,
        }
    }

    pub fn has(&self, n: usize) -> bool {
        self.loaded(n).is_some()
    }

    /// Whether shard `n` is still to come: neither here nor given up.
    pub fn awaits(&self, n: usize) -> bool {
        matches!(self.shards.get(n), None | Some(ShardState::Awaited))
    }

    /// Where exactly `term` is, if its shard is here.
    pub fn lookup(&self, index: &SearchIndex, term: &str) -> Lookup {
        let Some(n) = index.dictionary_shard_of(term) else {
            return Lookup::Absent;
        };
        let Some(shard) = self.loaded(n) else {
            return match self.awaits(n) {
                true => Lookup::NotLoaded(n),
                false => Lookup::Absent,
            };
        };
        match shard.terms.binary_search_by(|e| e.term.as_str().cmp(term)) {
            Ok(i) => Lookup::Found(n * TERMS_PER_DICTIONARY_SHARD + i),
            Err(_) => Lookup::Absent,
        }
    }

    /// Dictionary term `term_index`, if its shard is here.
    pub fn get(&self, term_index: usize) -> Option<&TermInfo> {
        self.loaded(term_index / TERMS_PER_DICTIONARY_SHARD)?
            .terms
            .get(term_index % TERMS_PER_DICTIONARY_SHARD)
    }

    /// Documents holding dictionary term `term_index` (0 if its shard is not here).
    pub fn docs(&self, term_index: usize) -> u32 {
        self.get(term_index).map_or(0, |e| e.docs)
    }

    /// The loaded shards among `shards`, with their numbers.
    fn loaded_in(&self, shards: Range<usize>) -> impl Iterator<Item = (usize, &LoadedShard)> {
        shards.filter_map(|n| Some((n, self.loaded(n)?)))
    }

    /// The dictionary shards matching `prefix` needs that are still to come.
    pub fn awaited_for_prefix(&self, index: &SearchIndex, prefix: &str) -> Vec<usize> {
        index
            .dictionary_shards_with_prefix(prefix)
            .filter(|&n| self.awaits(n))
            .collect()
    }

    /// Every loaded (position, entry) whose term starts with `prefix`, in term order.
    pub fn with_prefix<'a>(
        &'a self,
        index: &SearchIndex,
        prefix: &'a str,
    ) -> impl Iterator<Item = (usize, &'a TermInfo)> + 'a {
        let shards = index.dictionary_shards_with_prefix(prefix);
        self.loaded_in(shards).flat_map(move |(n, shard)| {
            let start = shard.terms.partition_point(|e| e.term.as_str() < prefix);
            shard.terms[start..]
                .iter()
                .enumerate()
                .take_while(move |(_, e)| e.term.starts_with(prefix))
                .map(move |(i, e)| (n * TERMS_PER_DICTIONARY_SHARD + start + i, e))
        })
    }

    /// Loaded terms within the typo budget of `word` (see [`super::typo`]): those of the
    /// shards of its first letter.
    pub fn corrections(&self, index: &SearchIndex, word: &str, typed_chars: usize) -> Vec<usize> {
        let Some(first) = typo::correctable(word, typed_chars) else {
            return Vec::new();
        };
        let shards = index.dictionary_shards_with_prefix(first);
        let parts = self.loaded_in(shards).map(|(n, shard)| typo::Part {
            first: n * TERMS_PER_DICTIONARY_SHARD,
            terms: &shard.terms,
            char_sets: &shard.char_sets,
        });
        typo::corrections(parts, word, typed_chars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dictionary(count: usize) -> (SearchIndex, Vec<DictionaryShard>) {
        let terms: Vec<TermInfo> = (0..count)
            .map(|i| TermInfo {
                term: format!("t{i:05}"),
                docs: 1,
            })
            .collect();
        let (shards, dictionary_firsts) = DictionaryShard::split(&terms);
        let index = SearchIndex {
            field_lengths: vec![[1; FIELD_COUNT]],
            term_count: count as u32,
            dictionary_firsts,
        };
        (index, shards)
    }

    #[test]
    fn a_word_is_found_only_once_its_shard_is_loaded_and_keeps_its_position() {
        let (index, shards) = dictionary(TERMS_PER_DICTIONARY_SHARD * 5 / 2);
        assert!(index.outline_is_sound());
        assert_eq!(shards.len(), 3);
        let word = format!("t{:05}", TERMS_PER_DICTIONARY_SHARD + 3);
        let mut loaded = LoadedDictionary::default();
        assert_eq!(loaded.lookup(&index, &word), Lookup::NotLoaded(1));
        assert_eq!(
            loaded.lookup(&index, "a"),
            Lookup::Absent,
            "before every term"
        );
        assert!(!loaded.insert(&index, 2, shards[1].clone()), "not shard 2");
        assert!(loaded.insert(&index, 1, shards[1].clone()));
        let at = TERMS_PER_DICTIONARY_SHARD + 3;
        assert_eq!(loaded.lookup(&index, &word), Lookup::Found(at));
        assert_eq!(loaded.get(at).map(|e| e.term.as_str()), Some(word.as_str()));
        assert_eq!(loaded.lookup(&index, &format!("{word}x")), Lookup::Absent);
        assert_eq!(loaded.get(0), None);
    }

    #[test]
    fn a_prefix_may_span_shards_and_finds_only_what_is_loaded() {
        const PER: usize = TERMS_PER_DICTIONARY_SHARD;
        let (index, shards) = dictionary(PER * 5 / 2);
        // The terms around the first shard's end share all but their last digit: ten
        // terms from `tens`, across the first and second shards.
        let second = format!("t{PER:05}");
        let (across, tens) = (&second[..5], PER / 10 * 10);
        assert!(tens < PER, "the prefix starts in the first shard");
        assert_eq!(index.dictionary_shards_with_prefix(across), 0..2);
        assert_eq!(index.dictionary_shards_with_prefix(&second), 1..2);
        assert_eq!(index.dictionary_shards_with_prefix("t"), 0..3);
        assert_eq!(
            index.dictionary_shards_with_prefix("u"),
            2..3,
            "the last shard is open"
        );
        let half = LoadedDictionary::all(&index, &shards[..1]);
        assert_eq!(half.with_prefix(&index, across).count(), PER - tens);
        let all = LoadedDictionary::all(&index, &shards);
        let found: Vec<usize> = all.with_prefix(&index, across).map(|(i, _)| i).collect();
        assert_eq!(found, (tens..tens + 10).collect::<Vec<_>>());
    }

    #[test]
    fn a_shard_out_of_place_or_of_another_dictionary_is_refused() {
        let (index, shards) = dictionary(TERMS_PER_DICTIONARY_SHARD + 10);
        assert!(shards[0].fits(&index, 0) && shards[1].fits(&index, 1));
        let mut unsorted = shards[1].clone();
        unsorted.terms.swap(0, 1);
        assert!(!unsorted.fits(&index, 1));
        let mut too_common = shards[1].clone();
        too_common.terms[0].docs = 2;
        assert!(!too_common.fits(&index, 1), "in 2 of 1 documents");
        let (other, _) = dictionary(TERMS_PER_DICTIONARY_SHARD + 11);
        assert!(!shards[1].fits(&other, 1), "one term short");
    }
}
