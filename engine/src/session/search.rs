//! The search side of a [`Session`]: which dictionary and posting shards a query still
//! waits for, which article shards its results still wait for, and the results list
//! itself.

use crate::analyzer::Analyzer;
use crate::index::{ArticleMeta, ArticleShard, DictionaryShard, PostingShard, SearchIndex};
use crate::rank::{self, PreparedQuery};
use crate::snippet::{snippet, Segment};

use super::Session;

/// Results shown at once.
pub const RESULT_LIMIT: usize = 8;
/// Longest summary excerpt under a result.
pub const SUMMARY_CHARS: usize = 160;

/// One result as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    pub doc: usize,
    /// The article id (its kb path), for analytics and tests.
    pub id: String,
    pub title: String,
    /// The summary, with the query's words highlighted.
    pub summary: Vec<Segment>,
}

impl Session {
    /// `query` matched against the dictionary shards here.
    pub fn prepare(&self, index: &SearchIndex, analyzer: &Analyzer, query: &str) -> PreparedQuery {
        rank::prepare(index, &self.dictionary, analyzer, query)
    }

    /// Dictionary shards `query` needs that are neither here nor given up on: while any
    /// remain, it is matched again as they arrive, and its postings are not known yet.
    pub fn dictionary_missing(&self, query: &PreparedQuery) -> Vec<usize> {
        query
            .dictionary_needed()
            .iter()
            .copied()
            .filter(|&n| self.dictionary.awaits(n))
            .collect()
    }

    /// Records that dictionary `shards` are wanted; returns the ones to fetch now (each
    /// only once).
    pub fn request_dictionary(&mut self, shards: &[usize]) -> Vec<usize> {
        self.dictionary_requests.first_requests(shards)
    }

    /// Dictionary shard `n` arrived (checked by the reader to fit `index`).
    pub fn dictionary_arrived(&mut self, index: &SearchIndex, n: usize, shard: DictionaryShard) {
        self.dictionary.insert(index, n, shard);
    }

    /// Dictionary shard `n` could not be fetched: its words match nothing, and search goes
    /// on without it.
    pub fn dictionary_failed(&mut self, n: usize) {
        self.dictionary.give_up(n);
    }

    /// Posting shards `query` needs that are neither here nor failed: while any remain,
    /// its results would be incomplete.
    pub fn postings_missing(&self, query: &PreparedQuery) -> Vec<usize> {
        self.posting_requests
            .outstanding(query.shards_needed(&self.postings))
    }

    /// Records that `shards` are wanted; returns the ones to fetch now (each only once).
    pub fn request_postings(&mut self, shards: &[usize]) -> Vec<usize> {
        self.posting_requests.first_requests(shards)
    }

    pub fn has_postings(&self, n: usize) -> bool {
        self.postings.has(n)
    }

    /// Posting shard `n` arrived (checked by the reader to fit `index`).
    pub fn postings_arrived(&mut self, index: &SearchIndex, n: usize, shard: &PostingShard) {
        self.postings.insert(index, n, shard);
    }

    /// Posting shard `n` could not be fetched: search goes on without it.
    pub fn postings_failed(&mut self, n: usize) {
        self.posting_requests.record_failure(n);
    }

    /// The best `limit` articles (document numbers) for `query`, over the shards here.
    pub fn rank(&self, index: &SearchIndex, query: &PreparedQuery, limit: usize) -> Vec<usize> {
        query
            .rank(index, &self.postings, limit)
            .iter()
            .map(|hit| hit.doc as usize)
            .collect()
    }

    /// Article shards `docs` need that are neither here nor failed.
    pub fn articles_missing(&self, docs: &[usize]) -> Vec<usize> {
        self.article_requests
            .outstanding(self.articles.missing(docs.iter().copied()))
    }

    /// Records that `shards` are wanted; returns the ones to fetch now (each only once).
    pub fn request_articles(&mut self, shards: &[usize]) -> Vec<usize> {
        self.article_requests.first_requests(shards)
    }

    /// Article shard `n` arrived (checked by the reader to be exactly shard `n`).
    pub fn articles_arrived(&mut self, n: usize, shard: ArticleShard) {
        self.articles.insert(n, shard);
    }

    /// Article shard `n` could not be fetched: its articles are left out of the list.
    pub fn articles_failed(&mut self, n: usize) {
        self.article_requests.record_failure(n);
    }

    /// Article `doc`, if its shard is here.
    pub fn article(&self, doc: usize) -> Option<&ArticleMeta> {
        self.articles.get(doc)
    }

    /// The results list for `docs` (ranked): each with its title and a summary excerpt
    /// around the query's words. An article whose shard failed is left out.
    pub fn results(&self, analyzer: &Analyzer, docs: &[usize]) -> Vec<ResultRow> {
        docs.iter()
            .filter_map(|&doc| {
                let article = self.articles.get(doc)?;
                Some(ResultRow {
                    doc,
                    id: article.id.clone(),
                    title: article.title.clone(),
                    summary: snippet(analyzer, &article.summary, &self.query, SUMMARY_CHARS),
                })
            })
            .collect()
    }
}
