//! The posting lists, in shards fetched as queries need them: [`PostingShard`]
//! (`postings-<n>.<hash>.bin`) holds the lists of [`TERMS_PER_SHARD`] consecutive
//! dictionary terms. A query fetches only the shards of the terms it uses
//! ([`crate::rank::PreparedQuery::shards_needed`]); [`LoadedPostings`] holds those fetched
//! so far.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::dictionary::SearchIndex;
use super::model::Posting;
use super::postings::PostingList;

/// Dictionary terms per posting shard. A query fetches the shards of its terms and of
/// their completions, corrections and synonyms, so smaller shards waste less: on the eval
/// kit the median dev query fetches 42 KB of brotli at 256 terms a shard, 25 KB at 128,
/// 13 KB at 64 (in about ten files of 1–2 KB).
pub const TERMS_PER_SHARD: usize = 64;

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
    /// The posting lists of a whole dictionary, in dictionary order, as its shards.
    pub fn split(lists: &[PostingList]) -> Vec<PostingShard> {
        lists
            .chunks(TERMS_PER_SHARD)
            .enumerate()
            .map(|(n, lists)| PostingShard {
                first_term: (n * TERMS_PER_SHARD) as u32,
                lists: lists.to_vec(),
            })
            .collect()
    }

    /// Whether this is a sound shard `n` of `index`: the right terms, and every list
    /// decodes and names a real document.
    pub fn fits(&self, index: &SearchIndex, n: usize) -> bool {
        self.decode(index, n).is_some()
    }

    /// The decoded lists, if this is a sound shard `n` of `index` (see [`Self::fits`]).
    fn decode(&self, index: &SearchIndex, n: usize) -> Option<Vec<Vec<Posting>>> {
        let first = n * TERMS_PER_SHARD;
        let expected = index
            .term_count()
            .saturating_sub(first)
            .min(TERMS_PER_SHARD);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{build_index, Field, FIELD_COUNT};

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
        let built = build_index(vec![[1; FIELD_COUNT]; 3], terms);
        let (index, shards) = (&built.index, &built.postings);
        assert_eq!(shards.len(), 3);
        assert_eq!(
            built.dictionary[0].terms[0].docs, 1,
            "a document counts once"
        );
        assert!(shards.iter().enumerate().all(|(n, s)| s.fits(index, n)));
        assert!(!shards[1].fits(index, 2));

        let t = TERMS_PER_SHARD + 3;
        assert_eq!(shard_of(t), 1);
        let mut loaded = LoadedPostings::default();
        assert_eq!(loaded.postings(t), None);
        assert!(!loaded.insert(index, 2, &shards[1]), "not shard 2");
        assert!(loaded.insert(index, 1, &shards[1]));
        let doc = (TERMS_PER_SHARD + 3) as u32 % 3;
        assert_eq!(loaded.postings(t).unwrap()[0].doc, doc);
        assert_eq!(loaded.postings(0), None);
    }
}
