//! Bundle files round-trip, and every kind of damage comes back as an error, never a panic.

use super::*;
use crate::guide::Guide;
use crate::index::{
    build_index, BuiltIndex, Field, LoadedDictionary, LoadedPostings, Posting, PostingList,
    TermInfo, Windows,
};

fn sample() -> SearchIndex {
    sample_index().index
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
fn sample_index() -> BuiltIndex {
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
    let BuiltIndex {
        index,
        postings: shards,
        ..
    } = sample_index();
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
}

#[test]
fn rejects_a_dictionary_that_does_not_fit_its_outline() {
    let built = sample_index();
    let bytes = BundleWriter::dictionary_bytes(&built.dictionary[0]);
    assert_eq!(
        BundleReader::dictionary(&bytes, &built.index, 0),
        Ok(built.dictionary[0].clone())
    );
    assert!(BundleReader::dictionary(&bytes, &built.index, 1).is_err());
    let mut too_common = built.dictionary[0].clone();
    too_common.terms[0].docs = 9;
    assert!(matches!(
        BundleReader::dictionary(
            &BundleWriter::dictionary_bytes(&too_common),
            &built.index,
            0
        ),
        Err(BundleError::Corrupt(_))
    ));
    let mut miscounted = sample();
    miscounted.term_count = 9999;
    assert!(matches!(
        BundleReader::index(&BundleWriter::index_bytes(&miscounted)),
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
    let valid_shard = BundleWriter::postings_bytes(&sample_index().postings[0]);
    let valid_words = BundleWriter::dictionary_bytes(&sample_index().dictionary[0]);
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
        let words_bytes = if round % 3 == 1 {
            mutate(&valid_words, round)
        } else {
            valid_words.clone()
        };
        if let Ok(contents) = BundleReader::index(&bytes) {
            decoded += 1;
            // Its dictionary and postings: the (maybe mutated) shards if they fit.
            let mut dictionary = LoadedDictionary::default();
            if let Ok(shard) = BundleReader::dictionary(&words_bytes, &contents, 0) {
                assert!(dictionary.insert(&contents, 0, shard));
            }
            let mut postings = LoadedPostings::default();
            if let Ok(shard) = BundleReader::postings(&shard_bytes, &contents, 0) {
                assert!(postings.insert(&contents, 0, &shard));
            }
            for query in ["a", "t x", "e-1", "axxxxx", ""] {
                let prepared = crate::rank::prepare(&contents, &dictionary, &analyzer, query);
                let _ = prepared.rank(&contents, &postings, 10);
                let _ = prepared.shards_needed(&postings);
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
    let terms: Vec<TermInfo> = ["note", "nothing", "notif", "notifi", "o"]
        .iter()
        .map(|t| TermInfo {
            term: t.to_string(),
            docs: 0,
        })
        .collect();
    let (shards, dictionary_firsts) = DictionaryShard::split(&terms);
    let index = SearchIndex {
        term_count: terms.len() as u32,
        dictionary_firsts,
        ..Default::default()
    };
    let dictionary = LoadedDictionary::all(&index, &shards);
    let found: Vec<_> = dictionary
        .with_prefix(&index, "noti")
        .map(|(_, e)| e.term.as_str())
        .collect();
    assert_eq!(found, ["notif", "notifi"]);
}
