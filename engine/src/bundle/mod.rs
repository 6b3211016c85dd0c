//! The browser bundle, in five kinds of versioned, checksummed files:
//!
//! - `index.<hash>.bin` ([`SearchIndex`]): fetched before the first query: the field
//!   lengths and the outline of the term dictionary;
//! - `dictionary-<n>.<hash>.bin` ([`DictionaryShard`]): a range of dictionary terms,
//!   fetched when a query's words fall in it (see [`crate::index::dictionary`]);
//! - `articles-<n>.<hash>.bin` ([`ArticleShard`]): the ids, titles and summaries of a range
//!   of articles, fetched when a results list shows one of them (see
//!   [`crate::index::articles`]);
//! - `postings-<n>.<hash>.bin` ([`PostingShard`]): posting lists of a range of dictionary
//!   terms, fetched when a query uses one of them (see [`crate::index::posting_shards`]);
//! - `content-<n>.<hash>.bin` ([`ContentChunk`]): the guides (steps, sanitized HTML) of
//!   [`CONTENT_CHUNK_ARTICLES`] consecutive articles, fetched when one of them is opened.
//!
//! All share one layout (all integers little-endian):
//!
//! ```text
//! offset  size  field
//! 0       4     magic  b"FXPI" (index), b"FXPD" (dictionary), b"FXPA" (articles),
//!                      b"FXPP" (postings) or b"FXPC" (content)
//! 4       4     format version (BUNDLE_FORMAT_VERSION)
//! 8       4     payload length in bytes
//! 12      4     CRC-32 (IEEE) of the payload
//! 16      n     payload: postcard encoding of SearchIndex, DictionaryShard, ArticleShard,
//!               PostingShard or ContentChunk
//! ```
//!
//! The header is checked before any payload byte is decoded, so garbage, truncation and
//! bit flips all come back as a [`BundleError`], never as a panic or a half-read bundle.
//! Version 1 (one file with everything) is no longer read: bundles are rebuilt with the
//! widget, never shipped on their own.

use serde::{Deserialize, Serialize};

use crate::guide::Guide;
use crate::index::{ArticleMeta, ArticleShard, DictionaryShard, PostingShard, SearchIndex};

/// Version written by this engine.
pub const BUNDLE_FORMAT_VERSION: u32 = 7;
/// Oldest version this engine can read (6 had the whole dictionary inside the index).
pub const BUNDLE_OLDEST_READABLE: u32 = 7;
/// Articles per content chunk: small enough that opening an article fetches little, large
/// enough that a kb of thousands of articles is not thousands of files.
pub const CONTENT_CHUNK_ARTICLES: usize = 16;

const INDEX_MAGIC: [u8; 4] = *b"FXPI";
const DICTIONARY_MAGIC: [u8; 4] = *b"FXPD";
const ARTICLES_MAGIC: [u8; 4] = *b"FXPA";
const CONTENT_MAGIC: [u8; 4] = *b"FXPC";
const POSTINGS_MAGIC: [u8; 4] = *b"FXPP";
const HEADER_LEN: usize = 16;

/// A whole bundle's search side in memory (the indexer, the CLI): the article list, the
/// index and its dictionary. Written as `index.<hash>.bin`, the dictionary shards and the
/// article shards.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchBundle {
    /// Indexed by document number in the search index.
    pub articles: Vec<ArticleMeta>,
    pub index: SearchIndex,
    pub dictionary: Vec<DictionaryShard>,
}

/// `content-<n>.<hash>.bin`: the guides of articles `first_article..first_article + len`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentChunk {
    pub first_article: u32,
    pub guides: Vec<Guide>,
}

impl ContentChunk {
    /// The guide of article `doc`, if this chunk holds it.
    pub fn guide(&self, doc: usize) -> Option<&Guide> {
        self.guides
            .get(doc.checked_sub(self.first_article as usize)?)
    }
}

/// Which content chunk holds article `doc`.
pub fn content_chunk_of(doc: usize) -> usize {
    doc / CONTENT_CHUNK_ARTICLES
}

/// Why a bundle could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    #[error("not a Fixpath bundle (bad magic number)")]
    NotABundle,
    #[error("bundle format {found} is not supported (this widget reads {oldest} to {newest})")]
    VersionMismatch {
        found: u32,
        oldest: u32,
        newest: u32,
    },
    #[error("bundle is truncated")]
    Truncated,
    #[error("bundle is corrupt: {0}")]
    Corrupt(String),
}

/// Serializes bundle files.
pub struct BundleWriter;

impl BundleWriter {
    pub fn index_bytes(index: &SearchIndex) -> Vec<u8> {
        seal(INDEX_MAGIC, index)
    }

    pub fn dictionary_bytes(shard: &DictionaryShard) -> Vec<u8> {
        seal(DICTIONARY_MAGIC, shard)
    }

    pub fn articles_bytes(shard: &ArticleShard) -> Vec<u8> {
        seal(ARTICLES_MAGIC, shard)
    }

    pub fn postings_bytes(shard: &PostingShard) -> Vec<u8> {
        seal(POSTINGS_MAGIC, shard)
    }

    pub fn content_bytes(chunk: &ContentChunk) -> Vec<u8> {
        seal(CONTENT_MAGIC, chunk)
    }
}

/// Reads bundle files back, checking everything before trusting it.
pub struct BundleReader;

impl BundleReader {
    pub fn index(bytes: &[u8]) -> Result<SearchIndex, BundleError> {
        let index: SearchIndex = open(INDEX_MAGIC, bytes)?;
        if !index.outline_is_sound() {
            return Err(BundleError::Corrupt(
                "the dictionary's outline does not fit its term count".into(),
            ));
        }
        Ok(index)
    }

    /// The index a manifest names, checked to hold the `article_count` articles the
    /// manifest lists: a manifest and an index from different builds disagree here.
    pub fn index_for(bytes: &[u8], article_count: usize) -> Result<SearchIndex, BundleError> {
        let index = BundleReader::index(bytes)?;
        if index.doc_count() != article_count {
            return Err(BundleError::Corrupt(format!(
                "the index holds {} articles, the manifest {article_count}",
                index.doc_count()
            )));
        }
        Ok(index)
    }

    /// Dictionary shard `n` of `index`, checked to be exactly that shard.
    pub fn dictionary(
        bytes: &[u8],
        index: &SearchIndex,
        n: usize,
    ) -> Result<DictionaryShard, BundleError> {
        let shard: DictionaryShard = open(DICTIONARY_MAGIC, bytes)?;
        if !shard.fits(index, n) {
            return Err(BundleError::Corrupt(format!(
                "dictionary shard {n} does not fit the index's outline"
            )));
        }
        Ok(shard)
    }

    /// Article shard `n` of `index`'s articles, checked to be exactly that shard.
    pub fn articles(
        bytes: &[u8],
        index: &SearchIndex,
        n: usize,
    ) -> Result<ArticleShard, BundleError> {
        let shard: ArticleShard = open(ARTICLES_MAGIC, bytes)?;
        if !shard.fits(n, index.doc_count()) {
            return Err(BundleError::Corrupt(format!(
                "article shard {n} holds other articles"
            )));
        }
        Ok(shard)
    }

    /// Posting shard `n` of `index`, checked to be exactly that shard, every list sound.
    pub fn postings(
        bytes: &[u8],
        index: &SearchIndex,
        n: usize,
    ) -> Result<PostingShard, BundleError> {
        let shard: PostingShard = open(POSTINGS_MAGIC, bytes)?;
        if !shard.fits(index, n) {
            return Err(BundleError::Corrupt(format!(
                "posting shard {n} does not match the dictionary or names a missing document"
            )));
        }
        Ok(shard)
    }

    pub fn content(bytes: &[u8]) -> Result<ContentChunk, BundleError> {
        let chunk: ContentChunk = open(CONTENT_MAGIC, bytes)?;
        if let Some(i) = chunk.guides.iter().position(|g| !g.targets_are_valid()) {
            return Err(BundleError::Corrupt(format!(
                "guide {} leads to a step it does not have",
                chunk.first_article as usize + i
            )));
        }
        Ok(chunk)
    }
}

/// `value` as a bundle file of kind `magic`: header, then the postcard payload.
fn seal(magic: [u8; 4], value: &impl Serialize) -> Vec<u8> {
    let payload = postcard::to_allocvec(value).expect("in-memory serialization cannot fail");
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&magic);
    out.extend_from_slice(&BUNDLE_FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&checksum(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// A bundle file of kind `magic` read back: header and checksum checked, then the payload
/// decoded (what it holds is for the caller to check).
fn open<T: serde::de::DeserializeOwned>(magic: [u8; 4], bytes: &[u8]) -> Result<T, BundleError> {
    postcard::from_bytes(unseal(magic, bytes)?).map_err(|e| BundleError::Corrupt(e.to_string()))
}

/// Checks the header and checksum; returns the payload.
fn unseal(magic: [u8; 4], bytes: &[u8]) -> Result<&[u8], BundleError> {
    if bytes.len() < 4 || bytes[..4] != magic {
        return Err(if bytes.len() < 4 && magic.starts_with(bytes) {
            BundleError::Truncated
        } else {
            BundleError::NotABundle
        });
    }
    if bytes.len() < HEADER_LEN {
        return Err(BundleError::Truncated);
    }
    let word = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let version = word(4);
    if !(BUNDLE_OLDEST_READABLE..=BUNDLE_FORMAT_VERSION).contains(&version) {
        return Err(BundleError::VersionMismatch {
            found: version,
            oldest: BUNDLE_OLDEST_READABLE,
            newest: BUNDLE_FORMAT_VERSION,
        });
    }
    let payload = &bytes[HEADER_LEN..];
    let declared_len = word(8) as usize;
    if payload.len() < declared_len {
        return Err(BundleError::Truncated);
    }
    if payload.len() > declared_len {
        return Err(BundleError::Corrupt(
            "trailing bytes after the payload".into(),
        ));
    }
    if checksum(payload) != word(12) {
        return Err(BundleError::Corrupt("checksum mismatch".into()));
    }
    Ok(payload)
}

/// CRC-32 (ISO-HDLC, the zip/PNG one) of `bytes`: the bundle files' checksum.
pub fn checksum(bytes: &[u8]) -> u32 {
    const CRC_32: crc::Crc<u32, crc::Table<1>> =
        crc::Crc::<u32, crc::Table<1>>::new(&crc::CRC_32_ISO_HDLC);
    CRC_32.checksum(bytes)
}

/// A short content hash for cache-busting file names (`index.<hash>.bin`).
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:08x}", checksum(bytes))
}

#[cfg(test)]
mod tests;
