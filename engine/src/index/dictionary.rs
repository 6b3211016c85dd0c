//! The inverted index as the browser holds it, split so that the first query fetches little:
//!
//! - [`SearchIndex`] (in `index.<hash>.bin`): the term dictionary — every term and how many
//!   documents hold it — and each document's field lengths. Prefix completion and typo
//!   correction run on it alone.
//! - [`PostingShard`] (`postings-<n>.<hash>.bin`): the posting lists of
//!   [`TERMS_PER_SHARD`] consecutive dictionary terms. A query fetches only the shards of
//!   the terms it uses ([`crate::rank::shards_needed`]); [`LoadedPostings`] holds those
//!   fetched so far.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::model::{Posting, TermInfo, FIELD_COUNT};
use super::postings::PostingList;
use super::typo::CharSets;

/// Dictionary terms per posting shard. A query fetches the shards of its terms and of
/// their completions, corrections and synonyms, so smaller shards waste less: on the eval
/// kit the median dev query fetches 42 KB of brotli at 256 terms a shard, 25 KB at 128,
/// 13 KB at 64 (in about ten files of 1–2 KB).
pub const TERMS_PER_SHARD: usize = 64;

/// The term dictionary and the field lengths: everything but the posting lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchIndex {
    /// Token count of each field, per document (`field_lengths[doc][field]`).
    pub field_lengths: Vec<[u32; FIELD_COUNT]>,
    /// Sorted by `term`, unique.
    pub terms: Vec<TermInfo>,
    /// Derived from `terms` for typo correction; not part of the bundle.
    #[serde(skip)]
    pub(crate) char_sets: CharSets,
}

impl SearchIndex {
    /// Dictionary terms within the typo budget of `word` (see [`super::typo`]).
    pub fn corrections(&self, word: &str, typed_chars: usize) -> Vec<usize> {
        super::typo::corrections(&self.terms, &self.char_sets, word, typed_chars)
    }

    pub fn doc_count(&self) -> usize {
        self.field_lengths.len()
    }

    /// Position of exactly `term` in the dictionary.
    pub fn term_index(&self, term: &str) -> Option<usize> {
        self.terms
            .binary_search_by(|e| e.term.as_str().cmp(term))
            .ok()
    }

    /// Every (position, entry) whose term starts with `prefix`, in term order.
    pub fn with_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (usize, &'a TermInfo)> + 'a {
        let start = self.terms.partition_point(|e| e.term.as_str() < prefix);
        self.terms[start..]
            .iter()
            .enumerate()
            .take_while(move |(_, e)| e.term.starts_with(prefix))
            .map(move |(i, e)| (start + i, e))
    }

    /// How many posting shards the dictionary is split into.
    pub fn shard_count(&self) -> usize {
        self.terms.len().div_ceil(TERMS_PER_SHARD)
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
}

/// The shard holding the posting list of dictionary term `term_index`.
pub fn shard_of(term_index: usize) -> usize {
    term_index / TERMS_PER_SHARD
}

/// `postings-<n>.<hash>.bin`: the posting lists of dictionary terms
/// `first_term..first_term + lists.len()`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PostingShard {
    pub first_term: u32,
    pub lists: Vec<PostingList>,
}

impl PostingShard {
    /// Whether this is a sound shard `n` of `index`: the right terms, and every list
    /// decodes and names a real document.
    pub fn fits(&self, index: &SearchIndex, n: usize) -> bool {
        self.decode(index, n).is_some()
    }

    /// The decoded lists, if this is a sound shard `n` of `index` (see [`Self::fits`]).
    fn decode(&self, index: &SearchIndex, n: usize) -> Option<Vec<Vec<Posting>>> {
        let first = n * TERMS_PER_SHARD;
        let expected = index.terms.len().saturating_sub(first).min(TERMS_PER_SHARD);
        if self.first_term as usize != first || self.lists.len() != expected {
            return None;
        }
        self.lists
            .iter()
            .map(|l| l.decode(index.doc_count()))
            .collect()
    }
}

/// The posting shards fetched so far, decoded: a list is decoded once, when its shard
/// arrives, not on every keystroke.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadedPostings {
    /// Shard number → the lists of its terms, in dictionary order.
    shards: BTreeMap<usize, Vec<Vec<Posting>>>,
}

impl LoadedPostings {
    /// All of them at once (the CLI, tests); shards that do not fit `index` are left out.
    pub fn all(index: &SearchIndex, shards: Vec<PostingShard>) -> LoadedPostings {
        let mut loaded = LoadedPostings::default();
        for (n, shard) in shards.into_iter().enumerate() {
            loaded.insert(index, n, &shard);
        }
        loaded
    }

    /// Adds `shard` as shard `n` of `index`. False, and nothing added, if it is not a
    /// sound shard `n` (see [`PostingShard::fits`]).
    pub fn insert(&mut self, index: &SearchIndex, n: usize, shard: &PostingShard) -> bool {
        let Some(lists) = shard.decode(index, n) else {
            return false;
        };
        self.shards.insert(n, lists);
        true
    }

    pub fn has(&self, n: usize) -> bool {
        self.shards.contains_key(&n)
    }

    /// Shard numbers held.
    pub fn held(&self) -> BTreeSet<usize> {
        self.shards.keys().copied().collect()
    }

    /// The postings of dictionary term `term_index`, in (doc, field) order; `None` while
    /// its shard is not loaded.
    pub fn postings(&self, term_index: usize) -> Option<&[Posting]> {
        let n = shard_of(term_index);
        let lists = self.shards.get(&n)?;
        lists
            .get(term_index - n * TERMS_PER_SHARD)
            .map(Vec::as_slice)
    }
}

/// The dictionary and its posting shards from each term's postings (in any order): the
/// writer side of [`SearchIndex`] and [`PostingShard`].
pub fn build_index(
    field_lengths: Vec<[u32; FIELD_COUNT]>,
    terms: BTreeMap<String, Vec<Posting>>,
) -> (SearchIndex, Vec<PostingShard>) {
    let mut dictionary = Vec::with_capacity(terms.len());
    let mut lists = Vec::with_capacity(terms.len());
    for (term, mut postings) in terms {
        postings.sort_by_key(|p| (p.doc, p.field.index()));
        let mut docs: Vec<u32> = postings.iter().map(|p| p.doc).collect();
        docs.dedup();
        dictionary.push(TermInfo {
            term,
            docs: docs.len() as u32,
        });
        lists.push(PostingList::encode(&postings));
    }
    let shards = lists
        .chunks(TERMS_PER_SHARD)
        .enumerate()
        .map(|(n, lists)| PostingShard {
            first_term: (n * TERMS_PER_SHARD) as u32,
            lists: lists.to_vec(),
        })
        .collect();
    let index = SearchIndex {
        field_lengths,
        terms: dictionary,
        ..Default::default()
    };
    (index, shards)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Field;

    fn posting(doc: u32) -> Posting {
        Posting {
            doc,
            field: Field::Body,
            tf: 1,
            windows: crate::index::Windows::of_body_positions([0]),
        }
    }

    #[test]
    fn postings_are_found_only_once_their_shard_is_loaded() {
        // Two and a half shards' worth of terms.
        let count = TERMS_PER_SHARD * 5 / 2;
        let terms: BTreeMap<String, Vec<Posting>> = (0..count)
            .map(|i| (format!("t{i:04}"), vec![posting(i as u32 % 3)]))
            .collect();
        let (index, shards) = build_index(vec![[1; FIELD_COUNT]; 3], terms);
        assert_eq!((index.shard_count(), shards.len()), (3, 3));
        assert_eq!(index.terms[0].docs, 1, "a document counts once");
        assert!(shards.iter().enumerate().all(|(n, s)| s.fits(&index, n)));
        assert!(!shards[1].fits(&index, 2));

        let t = index
            .term_index(&format!("t{:04}", TERMS_PER_SHARD + 3))
            .unwrap();
        assert_eq!(shard_of(t), 1);
        let mut loaded = LoadedPostings::default();
        assert_eq!(loaded.postings(t), None);
        assert!(!loaded.insert(&index, 2, &shards[1]), "not shard 2");
        assert!(loaded.insert(&index, 1, &shards[1]));
        let doc = (TERMS_PER_SHARD + 3) as u32 % 3;
        assert_eq!(loaded.postings(t).unwrap()[0].doc, doc);
        assert_eq!(loaded.postings(0), None);
        let last = count - 1;
        let prefix = format!("t{:03}", last / 10);
        let prefixed: Vec<usize> = index.with_prefix(&prefix).map(|(i, _)| i).collect();
        assert_eq!(prefixed, (last / 10 * 10..count).collect::<Vec<_>>());
    }
}
