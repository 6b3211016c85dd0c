//! The writer side of the index: from each term's postings to the files the browser
//! fetches — the outline ([`SearchIndex`]), the dictionary shards and the posting shards.

use std::collections::BTreeMap;

use super::dictionary::{DictionaryShard, SearchIndex};
use super::model::{Posting, TermInfo, FIELD_COUNT};
use super::posting_shards::PostingShard;
use super::postings::PostingList;

/// A whole index, as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuiltIndex {
    pub index: SearchIndex,
    pub dictionary: Vec<DictionaryShard>,
    pub postings: Vec<PostingShard>,
}

/// The index of documents with `field_lengths` and each term's postings (in any order).
pub fn build_index(
    field_lengths: Vec<[u32; FIELD_COUNT]>,
    terms: BTreeMap<String, Vec<Posting>>,
) -> BuiltIndex {
    let mut dictionary = Vec::with_capacity(terms.len());
    let mut lists = Vec::with_capacity(terms.len());
    for (term, mut postings) in terms {
        postings.sort_by_key(|p| (p.doc, p.field.index()));
        let mut docs: Vec<u32> = postings.iter().map(|p| p.doc).collect();
        docs.dedup();
        dictionary.push(TermInfo {
            term,
            docs: docs.len() as u32,
        });
        lists.push(PostingList::encode(&postings));
    }
    let (dictionary_shards, dictionary_firsts) = DictionaryShard::split(&dictionary);
    BuiltIndex {
        index: SearchIndex {
            field_lengths,
            term_count: dictionary.len() as u32,
            dictionary_firsts,
        },
        dictionary: dictionary_shards,
        postings: PostingShard::split(&lists),
    }
}
