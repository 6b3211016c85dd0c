//! The search index as the browser holds it, by part:
//!
//! - [`model`]: the weighted fields, postings, dictionary entries, what a result shows;
//! - [`windows`]: where in an article a term occurs (for proximity);
//! - [`postings`]: posting lists on the wire;
//! - [`typo`]: the dictionary terms a misspelt word may have meant;
//! - [`dictionary`]: the field lengths and the dictionary's outline ([`SearchIndex`], in
//!   `index.<hash>.bin`), and the dictionary shards fetched as queries need them;
//! - [`posting_shards`]: the posting lists, in shards fetched as queries need them;
//! - [`build`]: the index as the indexer writes it;
//! - [`articles`]: what results show of each article, in shards fetched for the results
//!   shown.
//!
//! The parts import only parts listed above them (`typo` only `model`).

pub mod articles;
pub mod build;
pub mod dictionary;
pub mod model;
pub mod posting_shards;
pub mod postings;
pub mod typo;
pub mod windows;

pub use articles::{article_shard_of, ArticleShard, LoadedArticles, ARTICLES_PER_SHARD};
pub use build::{build_index, BuiltIndex};
pub use dictionary::{
    DictionaryShard, LoadedDictionary, Lookup, SearchIndex, TERMS_PER_DICTIONARY_SHARD,
};
pub use model::{ArticleMeta, Field, Posting, TermInfo, FIELD_COUNT};
pub use posting_shards::{shard_of, LoadedPostings, PostingShard, TERMS_PER_SHARD};
pub use postings::PostingList;
pub use typo::MAX_TYPO_EXPANSIONS;
pub use windows::Windows;
