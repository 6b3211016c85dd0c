//! The browser bundle, in four kinds of versioned, checksummed files:
//!
//! - `index.<hash>.bin` ([`SearchIndex`]): fetched before the first query: the term
//!   dictionary and the field lengths;
//! - `articles-<n>.<hash>.bin` ([`ArticleShard`]): the ids, titles and summaries of a range
//!   of articles, fetched when a results list shows one of them (see
//!   [`crate::index::articles`]);
//! - `postings-<n>.<hash>.bin` ([`PostingShard`]): posting lists of a range of dictionary
//!   terms, fetched when a query uses one of them (see [`crate::index::dictionary`]);
//! - `content-<n>.<hash>.bin` ([`ContentChunk`]): the guides (steps, sanitized HTML) of
//!   [`CONTENT_CHUNK_ARTICLES`] consecutive articles, fetched when one of them is opened.
//!
//! Both share one layout (all integers little-endian):
//!
//! ```text
//! offset  size  field
//! 0       4     magic  b"FXPI" (index), b"FXPA" (articles), b"FXPP" (postings) or
//!                      b"FXPC" (content)
//! 4       4     format version (BUNDLE_FORMAT_VERSION)
//! 8       4     payload length in bytes
//! 12      4     CRC-32 (IEEE) of the payload
//! 16      n     payload: postcard encoding of SearchIndex, ArticleShard, PostingShard or
//!               ContentChunk
//! ```
//!
//! The header is checked before any payload byte is decoded, so garbage, truncation and
//! bit flips all come back as a [`BundleError`], never as a panic or a half-read bundle.
//! Version 1 (one file with everything) is no longer read: bundles are rebuilt with the
//! widget, never shipped on their own.

use serde::{Deserialize, Serialize};

use crate::guide::Guide;
use crate::index::{ArticleMeta, ArticleShard, PostingShard, SearchIndex};

/// Version written by this engine.
pub const BUNDLE_FORMAT_VERSION: u32 = 6;
/// Oldest version this engine can read (5 had the article list inside the index).
pub const BUNDLE_OLDEST_READABLE: u32 = 6;
/// Articles per content chunk: small enough that opening an article fetches little, large
/// enough that a kb of thousands of articles is not thousands of files.
pub const CONTENT_CHUNK_ARTICLES: usize = 16;

const INDEX_MAGIC: [u8; 4] = *b"FXPI";
const ARTICLES_MAGIC: [u8; 4] = *b"FXPA";
const CONTENT_MAGIC: [u8; 4] = *b"FXPC";
const POSTINGS_MAGIC: [u8; 4] = *b"FXPP";
const HEADER_LEN: usize = 16;

/// A whole bundle's search side in memory (the indexer, the CLI): the article list and the
/// index. Written as `index.<hash>.bin` (the index) and the article shards.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchBundle {
    /// Indexed by document number in the search index.
    pub articles: Vec<ArticleMeta>,
    pub index: SearchIndex,
}

/// Checks what the type system cannot: the dictionary is sorted and no term is in more
/// documents than there are. A reader must not trust a bundle's numbers.
fn check_index(index: &SearchIndex) -> Result<(), BundleError> {
    let docs = index.doc_count();
    let sorted = index.terms.windows(2).all(|w| w[0].term < w[1].term);
    if !sorted {
        return Err(BundleError::Corrupt("term dictionary is not sorted".into()));
    }
    if index.terms.iter().any(|t| t.docs as usize > docs) {
        return Err(BundleError::Corrupt(
            "a term is said to be in more documents than there are".into(),
        ));
    }
    Ok(())
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
        check_index(&index)?;
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
mod tests {
    use super::*;
    use crate::guide::Guide;
    use crate::index::{
        build_index, Field, LoadedPostings, Posting, PostingList, TermInfo, Windows,
    };

    fn sample() -> SearchIndex {
        sample_index().0
    }

    fn sample_articles() -> ArticleShard {
        ArticleShard {
            first_article: 0,
            articles: vec![ArticleMeta {
                id: "a".into(),
                title: "A".into(),
                summary: "s".into(),
            }],
        }
    }

    /// One document: term "a" in its title and body (with a proximity window), "x" in
    /// its summary.
    fn sample_index() -> (SearchIndex, Vec<PostingShard>) {
        let mut terms = std::collections::BTreeMap::new();
        let posting = |field, windows| Posting {
            doc: 0,
            field,
            tf: 1,
            windows,
        };
        terms.insert(
            "a".to_string(),
            vec![
                posting(Field::Title, Windows::TITLE),
                posting(Field::Body, Windows::of_body_positions([300])),
            ],
        );
        terms.insert("x".to_string(), vec![posting(Field::Meta, Windows::TITLE)]);
        build_index(vec![[1, 2, 3, 4]], terms)
    }

    fn sample_content() -> ContentChunk {
        ContentChunk {
            first_article: 16,
            guides: vec![Guide::linear(
                String::new(),
                vec![("t".into(), "<p>x</p>".into())],
            )],
        }
    }

    #[test]
    fn an_index_from_another_build_than_its_manifest_is_refused() {
        let bytes = BundleWriter::index_bytes(&sample());
        assert_eq!(BundleReader::index_for(&bytes, 1), Ok(sample()));
        assert_eq!(
            BundleReader::index_for(&bytes, 2),
            Err(BundleError::Corrupt(
                "the index holds 1 articles, the manifest 2".into()
            ))
        );
    }

    #[test]
    fn round_trips() {
        let bytes = BundleWriter::index_bytes(&sample());
        assert_eq!(BundleReader::index(&bytes), Ok(sample()));
        let bytes = BundleWriter::content_bytes(&sample_content());
        assert_eq!(BundleReader::content(&bytes), Ok(sample_content()));
        let bytes = BundleWriter::articles_bytes(&sample_articles());
        assert_eq!(
            BundleReader::articles(&bytes, &sample(), 0),
            Ok(sample_articles())
        );
    }

    #[test]
    fn an_article_shard_out_of_place_or_of_another_index_is_refused() {
        let bytes = BundleWriter::articles_bytes(&sample_articles());
        assert!(BundleReader::articles(&bytes, &sample(), 1).is_err());
        let mut two_docs = sample();
        two_docs.field_lengths.push([1, 1, 1, 1]);
        assert!(
            BundleReader::articles(&bytes, &two_docs, 0).is_err(),
            "one article where the index has two"
        );
        assert_eq!(
            BundleReader::index(&bytes),
            Err(BundleError::NotABundle),
            "an article shard is not an index"
        );
    }

    #[test]
    fn a_content_chunk_answers_for_its_own_articles_only() {
        let chunk = sample_content();
        assert_eq!(content_chunk_of(16), 1);
        assert!(chunk.guide(16).is_some());
        assert!(chunk.guide(15).is_none() && chunk.guide(17).is_none());
    }

    #[test]
    fn one_kind_of_file_is_not_read_as_the_other() {
        let content = BundleWriter::content_bytes(&sample_content());
        assert_eq!(BundleReader::index(&content), Err(BundleError::NotABundle));
        let index = BundleWriter::index_bytes(&sample());
        assert_eq!(BundleReader::content(&index), Err(BundleError::NotABundle));
    }

    #[test]
    fn rejects_garbage_truncation_and_bit_flips() {
        let bytes = BundleWriter::index_bytes(&sample());
        assert_eq!(
            BundleReader::index(b"<!doctype html>"),
            Err(BundleError::NotABundle)
        );
        assert_eq!(BundleReader::index(b""), Err(BundleError::Truncated));
        for cut in 0..bytes.len() {
            assert!(
                BundleReader::index(&bytes[..cut]).is_err(),
                "prefix of {cut} bytes was accepted"
            );
        }
        for i in HEADER_LEN..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0x40;
            assert!(matches!(
                BundleReader::index(&flipped),
                Err(BundleError::Corrupt(_))
            ));
        }
    }

    #[test]
    fn rejects_other_versions() {
        let mut bytes = BundleWriter::index_bytes(&sample());
        bytes[4] = 99;
        assert!(matches!(
            BundleReader::index(&bytes),
            Err(BundleError::VersionMismatch { found: 99, .. })
        ));
    }

    #[test]
    fn rejects_guides_leading_to_missing_steps() {
        use crate::guide::{Route, Target};
        let mut chunk = sample_content();
        chunk.guides[0].steps[0].route = Route::Fix {
            next: Target::Step(3),
        };
        assert!(matches!(
            BundleReader::content(&BundleWriter::content_bytes(&chunk)),
            Err(BundleError::Corrupt(message)) if message.contains("guide 16")
        ));
    }

    #[test]
    fn rejects_postings_to_missing_documents_and_shards_out_of_place() {
        let (index, shards) = sample_index();
        let bytes = BundleWriter::postings_bytes(&shards[0]);
        assert_eq!(
            BundleReader::postings(&bytes, &index, 0),
            Ok(shards[0].clone())
        );
        assert!(
            BundleReader::postings(&bytes, &index, 1).is_err(),
            "shard 0 read as shard 1"
        );
        let bad = PostingShard {
            first_term: 0,
            lists: vec![PostingList::encode(&[Posting {
                doc: 7,
                field: Field::Body,
                tf: 1,
                windows: Windows::of_body_positions([0]),
            }])],
        };
        assert!(matches!(
            BundleReader::postings(&BundleWriter::postings_bytes(&bad), &index, 0),
            Err(BundleError::Corrupt(_))
        ));
        let mut contents = sample();
        contents.terms[0].docs = 9;
        assert!(matches!(
            BundleReader::index(&BundleWriter::index_bytes(&contents)),
            Err(BundleError::Corrupt(_))
        ));
    }

    /// xorshift64*: a dependency-free, reproducible source of test noise.
    struct Noise(u64);

    impl Noise {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// Re-seals a mutated file so the checksum passes and the payload decoder itself is
    /// exercised on garbage.
    fn reseal(bytes: &mut [u8]) {
        if bytes.len() >= HEADER_LEN {
            let payload_len = (bytes.len() - HEADER_LEN) as u32;
            bytes[8..12].copy_from_slice(&payload_len.to_le_bytes());
            let crc = checksum(&bytes[HEADER_LEN..]);
            bytes[12..16].copy_from_slice(&crc.to_le_bytes());
        }
    }

    #[test]
    fn the_checksum_is_the_standard_crc_32() {
        // Its check value: bundles written before the table shrank stay readable.
        assert_eq!(checksum(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn random_and_mutated_bundles_never_panic_the_reader_or_the_ranker() {
        let analyzer = crate::analyzer::Analyzer::default();
        let valid = BundleWriter::index_bytes(&sample());
        let valid_shard = BundleWriter::postings_bytes(&sample_index().1[0]);
        let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
        let mut decoded = 0;
        // Random bytes, or `valid` with a few bytes changed, inserted or removed; resealed
        // every other round so the payload decoder sees the garbage too.
        let mut mutate = |valid: &[u8], round: usize| -> Vec<u8> {
            let mut bytes = if round.is_multiple_of(4) {
                (0..noise.below(64)).map(|_| noise.next() as u8).collect()
            } else {
                valid.to_vec()
            };
            for _ in 0..=noise.below(4) {
                match noise.below(3) {
                    0 if !bytes.is_empty() => {
                        let i = noise.below(bytes.len());
                        bytes[i] = noise.next() as u8;
                    }
                    1 => {
                        let i = noise.below(bytes.len() + 1);
                        bytes.insert(i, noise.next() as u8);
                    }
                    _ if !bytes.is_empty() => {
                        let i = noise.below(bytes.len());
                        bytes.remove(i);
                    }
                    _ => {}
                }
            }
            if round % 2 == 1 {
                reseal(&mut bytes);
            }
            bytes
        };
        for round in 0..20_000 {
            let bytes = mutate(&valid, round);
            let shard_bytes = if round.is_multiple_of(3) {
                mutate(&valid_shard, round)
            } else {
                valid_shard.clone()
            };
            if let Ok(contents) = BundleReader::index(&bytes) {
                decoded += 1;
                // Its postings: the (maybe mutated) shard if it fits this dictionary.
                let mut postings = LoadedPostings::default();
                if let Ok(shard) = BundleReader::postings(&shard_bytes, &contents, 0) {
                    assert!(postings.insert(&contents, 0, &shard));
                }
                for query in ["a", "t x", "e-1", ""] {
                    let _ = crate::rank::search(&contents, &postings, &analyzer, query, 10);
                    let _ = crate::rank::shards_needed(&contents, &postings, &analyzer, query);
                }
            }
        }
        assert!(
            decoded > 0,
            "some mutations should still decode, or the ranker is never exercised"
        );
    }

    #[test]
    fn prefix_lookup_stays_inside_the_prefix() {
        let mut index = SearchIndex::default();
        for t in ["notif", "notifi", "note", "nothing", "o"] {
            index.terms.push(TermInfo {
                term: t.into(),
                docs: 0,
            });
        }
        index.terms.sort_by(|a, b| a.term.cmp(&b.term));
        let found: Vec<_> = index
            .with_prefix("noti")
            .map(|(_, e)| e.term.as_str())
            .collect();
        assert_eq!(found, ["notif", "notifi"]);
    }
}
