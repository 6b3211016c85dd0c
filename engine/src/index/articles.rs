//! What a result list shows of each article (id, title, summary), in shards of
//! [`ARTICLES_PER_SHARD`] consecutive articles (`articles-<n>.<hash>.bin`). The dictionary
//! the first query needs no longer grows with the article list: a results list fetches the
//! shards of the articles it shows, as Pagefind fetches its result fragments.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::model::ArticleMeta;

/// Articles per shard: a list of eight results touches at most eight shards of about a
/// kilobyte each, brotli.
pub const ARTICLES_PER_SHARD: usize = 16;

/// Which article shard holds article `doc`.
pub fn article_shard_of(doc: usize) -> usize {
    doc / ARTICLES_PER_SHARD
}

/// `articles-<n>.<hash>.bin`: articles `first_article..first_article + len`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleShard {
    pub first_article: u32,
    pub articles: Vec<ArticleMeta>,
}

impl ArticleShard {
    /// The shards of a whole article list, in order.
    pub fn split(articles: &[ArticleMeta]) -> Vec<ArticleShard> {
        articles
            .chunks(ARTICLES_PER_SHARD)
            .enumerate()
            .map(|(n, chunk)| ArticleShard {
                first_article: (n * ARTICLES_PER_SHARD) as u32,
                articles: chunk.to_vec(),
            })
            .collect()
    }

    /// Whether this is exactly shard `n` of a list of `doc_count` articles.
    pub fn fits(&self, n: usize, doc_count: usize) -> bool {
        let first = n * ARTICLES_PER_SHARD;
        let expected = doc_count.saturating_sub(first).min(ARTICLES_PER_SHARD);
        self.first_article as usize == first && self.articles.len() == expected && expected > 0
    }
}

/// The article shards fetched so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadedArticles {
    shards: BTreeMap<usize, ArticleShard>,
}

impl LoadedArticles {
    /// All of them at once (the CLI, tests).
    pub fn all(articles: &[ArticleMeta]) -> LoadedArticles {
        LoadedArticles {
            shards: ArticleShard::split(articles)
                .into_iter()
                .enumerate()
                .collect(),
        }
    }

    /// Adds shard `n` (checked by the reader to fit).
    pub fn insert(&mut self, n: usize, shard: ArticleShard) {
        self.shards.insert(n, shard);
    }

    /// Article `doc`, if its shard is here.
    pub fn get(&self, doc: usize) -> Option<&ArticleMeta> {
        let shard = self.shards.get(&article_shard_of(doc))?;
        shard.articles.get(doc - shard.first_article as usize)
    }

    /// The shards `docs` need that are not here, in order, each once.
    pub fn missing(&self, docs: impl IntoIterator<Item = usize>) -> Vec<usize> {
        let needed: BTreeSet<usize> = docs.into_iter().map(article_shard_of).collect();
        needed
            .into_iter()
            .filter(|n| !self.shards.contains_key(n))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn articles(n: usize) -> Vec<ArticleMeta> {
        (0..n)
            .map(|i| ArticleMeta {
                id: format!("a{i}.md"),
                title: format!("A{i}"),
                summary: String::new(),
            })
            .collect()
    }

    #[test]
    fn shards_cover_the_list_in_order_and_each_fits_its_place() {
        let list = articles(40);
        let shards = ArticleShard::split(&list);
        assert_eq!(shards.len(), 3);
        assert!(shards.iter().enumerate().all(|(n, s)| s.fits(n, 40)));
        assert!(!shards[1].fits(2, 40), "shard 1 is not shard 2");
        assert!(!shards[2].fits(2, 41), "the last shard is short by one");
        let loaded = LoadedArticles::all(&list);
        assert_eq!(loaded.get(33).map(|a| a.title.as_str()), Some("A33"));
        assert_eq!(loaded.get(40), None);
    }

    #[test]
    fn missing_names_each_shard_once() {
        let mut loaded = LoadedArticles::default();
        assert_eq!(loaded.missing([3, 40, 5, 17]), [0, 1, 2]);
        loaded.insert(1, ArticleShard::split(&articles(40)).remove(1));
        assert_eq!(loaded.missing([3, 17, 20]), [0]);
        assert_eq!(loaded.get(17).map(|a| a.id.as_str()), Some("a17.md"));
    }
}
