//! The search index as the browser holds it, by part:
//!
//! - [`model`]: the weighted fields, postings, dictionary entries, what a result shows;
//! - [`windows`]: where in an article a term occurs (for proximity);
//! - [`postings`]: posting lists on the wire;
//! - [`dictionary`]: the term dictionary and field lengths ([`SearchIndex`], in
//!   `index.<hash>.bin`), and the posting shards fetched as queries need them;
//! - [`typo`]: the dictionary terms a misspelt word may have meant;
//! - [`articles`]: what results show of each article, in shards fetched for the results
//!   shown.
//!
//! The parts import only parts listed above them (`typo` only `model`).

pub mod articles;
pub mod dictionary;
pub mod model;
pub mod postings;
pub mod typo;
pub mod windows;

pub use articles::{article_shard_of, ArticleShard, LoadedArticles, ARTICLES_PER_SHARD};
pub use dictionary::{
    build_index, shard_of, LoadedPostings, PostingShard, SearchIndex, TERMS_PER_SHARD,
};
pub use model::{ArticleMeta, Field, Posting, TermInfo, FIELD_COUNT};
pub use postings::PostingList;
pub use typo::MAX_TYPO_EXPANSIONS;
pub use windows::Windows;
