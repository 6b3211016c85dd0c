//! Ranking: BM25F over the exported index, OR semantics with a reward for covering more of
//! the query, prefix matching on the word being typed, typo tolerance, and a proximity
//! rerank of the best candidates.
//!
//! Each distinct query word is a *slot*. A slot is matched by its exact term and, for the
//! word being typed, its completions; a word with neither by terms one or two edits away
//! that start with its first letter (1 edit from 4 letters, 2 from 8; a transposition is
//! one edit); and by thesaurus alternatives. These stand-ins count for less than the word itself and never as rarer
//! than it, and a document scores the best match per slot, so a word's many completions
//! never add up. Stop words are ignored unless the query has nothing else.
//! Code-like words (`0x80070005`, `e-up-413`, `4624`) and words in quotes weigh double:
//! they are what a customer copies off the screen, and they rarely match by accident. A
//! version glued to its product (`win7`) is read as two words, a hyphenated word as its
//! parts (its closed form standing in), and an English verb before its particle
//! (`locks up`) weighs half. An overview, many times longer than the kb's usual article,
//! is discounted.
//!
//! Work is bounded whatever the input: only the first [`MAX_QUERY_TERMS`] distinct words are
//! scored, and each slot expands to at most [`MAX_PREFIX_EXPANSIONS`] or
//! [`MAX_TYPO_EXPANSIONS`](crate::index::MAX_TYPO_EXPANSIONS) terms.
//!
//! - [`query_words`]: the query's words, what each weighs, the word being typed;
//! - [`matching`]: a query's words against the dictionary shards at hand (the candidates);
//! - [`score`]: BM25F over the candidates' postings, and the proximity rerank.

mod matching;
mod query_words;
mod score;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use crate::analyzer::Analyzer;
use crate::index::{shard_of, LoadedDictionary, LoadedPostings, SearchIndex};

pub use matching::MAX_PREFIX_EXPANSIONS;
use matching::{candidates, Candidate};
pub use query_words::MAX_QUERY_TERMS;
#[cfg(test)]
pub(crate) use tests::index_for_tests;

/// One ranked document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
}

/// Ranks documents for `query`, best first, at most `limit`. Terms whose dictionary or
/// posting shard is not loaded count as matching nothing: load what [`prepare`] says is
/// needed first.
pub fn search(
    index: &SearchIndex,
    dictionary: &LoadedDictionary,
    postings: &LoadedPostings,
    analyzer: &Analyzer,
    query: &str,
    limit: usize,
) -> Vec<Hit> {
    prepare(index, dictionary, analyzer, query).rank(index, postings, limit)
}

/// A query matched against the dictionary: the terms each of its words stands for. The
/// widget prepares a query once per keystroke (and again as dictionary shards arrive),
/// asks it which shards to fetch, and ranks with it when they are in: the dictionary work
/// (completions, typo scan) is done once.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedQuery {
    candidates: Vec<Candidate>,
    /// Distinct words of the query.
    slots: usize,
    /// Dictionary shards not loaded that matching the query needs; while any remain, the
    /// candidates are incomplete.
    dictionary_needed: Vec<usize>,
}

/// Matches `query`'s words against the dictionary shards loaded so far.
pub fn prepare(
    index: &SearchIndex,
    dictionary: &LoadedDictionary,
    analyzer: &Analyzer,
    query: &str,
) -> PreparedQuery {
    let mut needed = BTreeSet::new();
    let (candidates, slots) = candidates(index, dictionary, &mut needed, analyzer, query);
    PreparedQuery {
        candidates,
        slots,
        dictionary_needed: needed.into_iter().collect(),
    }
}

impl PreparedQuery {
    /// The dictionary shards the query still needs, in order. A word's own shard, the
    /// shards of the word being typed and of thesaurus alternatives come first; those of
    /// a word's first letter only once it is known to match nothing (its corrections are
    /// among them).
    pub fn dictionary_needed(&self) -> &[usize] {
        &self.dictionary_needed
    }

    /// The posting shards this query needs that `postings` does not hold yet, in order.
    pub fn shards_needed(&self, postings: &LoadedPostings) -> Vec<usize> {
        let mut shards: Vec<usize> = self
            .candidates
            .iter()
            .map(|c| shard_of(c.term))
            .filter(|n| !postings.has(*n))
            .collect();
        shards.sort_unstable();
        shards.dedup();
        shards
    }

    /// Documents best first, at most `limit`. Terms whose posting shard is not in
    /// `postings` count as matching nothing.
    pub fn rank(&self, index: &SearchIndex, postings: &LoadedPostings, limit: usize) -> Vec<Hit> {
        if self.slots == 0 || index.doc_count() == 0 {
            return Vec::new();
        }
        score::score(index, postings, &self.candidates, self.slots, limit)
    }
}
