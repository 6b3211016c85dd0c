//! The browser bundle: articles (title, guide steps, sanitized HTML) and the search index
//! exported from tantivy, in one versioned, checksummed file.
//!
//! Layout of `index.<hash>.bin` (all integers little-endian):
//!
//! ```text
//! offset  size  field
//! 0       4     magic  b"FXPB"
//! 4       4     format version (BUNDLE_FORMAT_VERSION)
//! 8       4     payload length in bytes
//! 12      4     CRC-32 (IEEE) of the payload
//! 16      n     payload: postcard encoding of `BundleContents`
//! ```
//!
//! The header is checked before any payload byte is decoded, so garbage, truncation and
//! bit flips all come back as a [`BundleError`], never as a panic or a half-read bundle.

use serde::{Deserialize, Serialize};

use crate::guide::Guide;

/// Version written by this engine.
pub const BUNDLE_FORMAT_VERSION: u32 = 1;
/// Oldest version this engine can read.
pub const BUNDLE_OLDEST_READABLE: u32 = 1;

const MAGIC: [u8; 4] = *b"FXPB";
const HEADER_LEN: usize = 16;

/// The weighted fields of an article, in BM25F order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[repr(u8)]
pub enum Field {
    Title = 0,
    /// Summary, symptoms, error strings and tags.
    Meta = 1,
    /// Section headings (guide step titles).
    Heading = 2,
    Body = 3,
}

impl Field {
    pub const ALL: [Field; FIELD_COUNT] = [Field::Title, Field::Meta, Field::Heading, Field::Body];
    pub fn index(self) -> usize {
        self as usize
    }
}

pub const FIELD_COUNT: usize = 4;

/// One article as the widget shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Path relative to the kb root, with `/` separators (`sign-in/password-reset.md`).
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Exact error strings or codes this article answers.
    pub errors: Vec<String>,
    pub guide: Guide,
}

/// One posting: term `t` occurs `tf` times in `field` of document `doc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub doc: u32,
    pub field: Field,
    pub tf: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermEntry {
    pub term: String,
    /// Sorted by (doc, field).
    pub postings: Vec<Posting>,
}

/// The inverted index: terms sorted byte-wise, with per-document field lengths.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchIndex {
    /// Token count of each field, per document (`field_lengths[doc][field]`).
    pub field_lengths: Vec<[u32; FIELD_COUNT]>,
    /// Sorted by `term`, unique.
    pub terms: Vec<TermEntry>,
}

impl SearchIndex {
    pub fn doc_count(&self) -> usize {
        self.field_lengths.len()
    }

    /// The postings of exactly `term`.
    pub fn postings(&self, term: &str) -> Option<&[Posting]> {
        let i = self
            .terms
            .binary_search_by(|e| e.term.as_str().cmp(term))
            .ok()?;
        Some(&self.terms[i].postings)
    }

    /// Every entry whose term starts with `prefix`, in term order.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a TermEntry> + 'a {
        let start = self.terms.partition_point(|e| e.term.as_str() < prefix);
        self.terms[start..]
            .iter()
            .take_while(move |e| e.term.starts_with(prefix))
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

/// Everything in one bundle file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleContents {
    /// Indexed by document number in the search index.
    pub articles: Vec<Article>,
    pub index: SearchIndex,
}

impl BundleContents {
    /// Checks what the type system cannot: every posting names a real document and every
    /// article has a row of field lengths. A reader must not trust a bundle's numbers.
    fn check_consistent(&self) -> Result<(), BundleError> {
        let docs = self.articles.len();
        if self.index.field_lengths.len() != docs {
            return Err(BundleError::Corrupt(
                "field lengths do not match the article count".into(),
            ));
        }
        let sorted = self.index.terms.windows(2).all(|w| w[0].term < w[1].term);
        if !sorted {
            return Err(BundleError::Corrupt("term dictionary is not sorted".into()));
        }
        let bad_posting = self
            .index
            .terms
            .iter()
            .flat_map(|e| &e.postings)
            .any(|p| p.doc as usize >= docs);
        if bad_posting {
            return Err(BundleError::Corrupt(
                "a posting names a missing document".into(),
            ));
        }
        Ok(())
    }
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

/// Serializes [`BundleContents`] into the file format.
pub struct BundleWriter;

impl BundleWriter {
    pub fn to_bytes(contents: &BundleContents) -> Vec<u8> {
        let payload = postcard::to_allocvec(contents).expect("in-memory serialization cannot fail");
        let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&BUNDLE_FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
        out
    }
}

/// Reads the file format back, checking everything before trusting it.
pub struct BundleReader;

impl BundleReader {
    pub fn from_bytes(bytes: &[u8]) -> Result<BundleContents, BundleError> {
        if bytes.len() < 4 || bytes[..4] != MAGIC {
            return Err(if bytes.len() < 4 && MAGIC.starts_with(bytes) {
                BundleError::Truncated
            } else {
                BundleError::NotABundle
            });
        }
        if bytes.len() < HEADER_LEN {
            return Err(BundleError::Truncated);
        }
        let word =
            |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
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
        if crc32fast::hash(payload) != word(12) {
            return Err(BundleError::Corrupt("checksum mismatch".into()));
        }
        let contents: BundleContents =
            postcard::from_bytes(payload).map_err(|e| BundleError::Corrupt(e.to_string()))?;
        contents.check_consistent()?;
        Ok(contents)
    }
}

/// A short content hash for cache-busting file names (`index.<hash>.bin`).
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:08x}", crc32fast::hash(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::{Guide, Step};

    fn sample() -> BundleContents {
        BundleContents {
            articles: vec![Article {
                id: "a".into(),
                title: "A".into(),
                summary: "s".into(),
                errors: vec!["E-1".into()],
                guide: Guide {
                    intro_html: String::new(),
                    steps: vec![Step {
                        title: "t".into(),
                        html: "<p>x</p>".into(),
                    }],
                },
            }],
            index: SearchIndex {
                field_lengths: vec![[1, 2, 3, 4]],
                terms: vec![TermEntry {
                    term: "a".into(),
                    postings: vec![Posting {
                        doc: 0,
                        field: Field::Title,
                        tf: 1,
                    }],
                }],
            },
        }
    }

    #[test]
    fn round_trips() {
        let bytes = BundleWriter::to_bytes(&sample());
        assert_eq!(BundleReader::from_bytes(&bytes), Ok(sample()));
    }

    #[test]
    fn rejects_garbage_truncation_and_bit_flips() {
        let bytes = BundleWriter::to_bytes(&sample());
        assert_eq!(
            BundleReader::from_bytes(b"<!doctype html>"),
            Err(BundleError::NotABundle)
        );
        assert_eq!(BundleReader::from_bytes(b""), Err(BundleError::Truncated));
        for cut in 0..bytes.len() {
            assert!(
                BundleReader::from_bytes(&bytes[..cut]).is_err(),
                "prefix of {cut} bytes was accepted"
            );
        }
        for i in HEADER_LEN..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0x40;
            assert!(matches!(
                BundleReader::from_bytes(&flipped),
                Err(BundleError::Corrupt(_))
            ));
        }
    }

    #[test]
    fn rejects_other_versions() {
        let mut bytes = BundleWriter::to_bytes(&sample());
        bytes[4] = 99;
        assert!(matches!(
            BundleReader::from_bytes(&bytes),
            Err(BundleError::VersionMismatch { found: 99, .. })
        ));
    }

    #[test]
    fn rejects_postings_to_missing_documents() {
        let mut contents = sample();
        contents.index.terms[0].postings[0].doc = 7;
        let bytes = BundleWriter::to_bytes(&contents);
        assert!(matches!(
            BundleReader::from_bytes(&bytes),
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
            let crc = crc32fast::hash(&bytes[HEADER_LEN..]);
            bytes[12..16].copy_from_slice(&crc.to_le_bytes());
        }
    }

    #[test]
    fn random_and_mutated_bundles_never_panic_the_reader_or_the_ranker() {
        let analyzer = crate::analyzer::Analyzer::default();
        let valid = BundleWriter::to_bytes(&sample());
        let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
        let mut decoded = 0;
        for round in 0..20_000 {
            let mut bytes = if round % 4 == 0 {
                (0..noise.below(64)).map(|_| noise.next() as u8).collect()
            } else {
                valid.clone()
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
            if let Ok(contents) = BundleReader::from_bytes(&bytes) {
                decoded += 1;
                for query in ["a", "t x", "e-1", ""] {
                    let _ = crate::rank::search(&contents.index, &analyzer, query, 10);
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
            index.terms.push(TermEntry {
                term: t.into(),
                postings: vec![],
            });
        }
        index.terms.sort_by(|a, b| a.term.cmp(&b.term));
        let found: Vec<_> = index.with_prefix("noti").map(|e| e.term.as_str()).collect();
        assert_eq!(found, ["notif", "notifi"]);
    }
}
