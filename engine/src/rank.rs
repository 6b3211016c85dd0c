//! Ranking: BM25F over the exported index, OR semantics with a reward for covering more of
//! the query, and prefix matching on the word being typed.
//!
//! Work is bounded whatever the input: only the first [`MAX_QUERY_TERMS`] distinct terms
//! are scored, and a prefix expands to at most [`MAX_PREFIX_EXPANSIONS`] terms.

use crate::analyzer::{fold, Analyzer};
use crate::bundle::{SearchIndex, FIELD_COUNT};

/// Distinct query terms scored; the rest of a long paste adds nothing but time.
pub const MAX_QUERY_TERMS: usize = 32;
/// Completions tried for the last, possibly half-typed word.
pub const MAX_PREFIX_EXPANSIONS: usize = 24;
/// Shortest half-typed word that is expanded as a prefix.
const MIN_PREFIX_LEN: usize = 2;
/// Bytes of query text analyzed (a 1 MB paste is cut here, on a char boundary).
const MAX_QUERY_BYTES: usize = 2048;

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Relative importance of a match in each field (indexed by [`Field::index`]).
const FIELD_WEIGHTS: [f32; FIELD_COUNT] = [3.0, 2.0, 1.5, 1.0];
/// A completion of the typed prefix counts for less than the word typed in full.
const PREFIX_WEIGHT: f32 = 0.7;

/// One ranked document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
}

/// A query term and how much a match on it is worth.
struct QueryTerm<'a> {
    term: &'a str,
    weight: f32,
    /// Which distinct query word this term stands for (prefix completions share one).
    slot: usize,
}

/// Ranks documents for `query`, best first, at most `limit`.
pub fn search(index: &SearchIndex, analyzer: &Analyzer, query: &str, limit: usize) -> Vec<Hit> {
    let query = truncate_on_char_boundary(query, MAX_QUERY_BYTES);
    let mut words: Vec<String> = Vec::new();
    analyzer.for_each_token(query, |t| {
        if words.len() < MAX_QUERY_TERMS && !words.contains(&t.text) {
            words.push(t.text);
        }
    });
    if words.is_empty() || index.doc_count() == 0 {
        return Vec::new();
    }

    let mut terms: Vec<QueryTerm> = words
        .iter()
        .enumerate()
        .map(|(slot, w)| QueryTerm {
            term: w,
            weight: 1.0,
            slot,
        })
        .collect();
    // The last word is probably still being typed: also match what it could become.
    let typing = last_word_being_typed(query);
    let typing_slot = typing.as_ref().and_then(|_| words.len().checked_sub(1));
    if let (Some(prefix), Some(slot)) = (typing.as_deref(), typing_slot) {
        for entry in index
            .with_prefix(prefix)
            .filter(|e| !words.contains(&e.term))
            .take(MAX_PREFIX_EXPANSIONS)
        {
            terms.push(QueryTerm {
                term: &entry.term,
                weight: PREFIX_WEIGHT,
                slot,
            });
        }
    }

    let n = index.doc_count();
    let avg = index.average_field_lengths();
    let mut scores = vec![0f32; n];
    // Per document, the best score of each query word, so completions do not add up.
    let mut best_per_slot = vec![0f32; n * words.len()];
    for qt in &terms {
        let Some(postings) = index.postings(qt.term) else {
            continue;
        };
        let mut docs: Vec<u32> = postings.iter().map(|p| p.doc).collect();
        docs.dedup();
        let df = docs.len() as f32;
        let idf = (1.0 + (n as f32 - df + 0.5) / (df + 0.5)).ln();
        let mut i = 0;
        while i < postings.len() {
            let doc = postings[i].doc;
            let mut weighted_tf = 0f32;
            while i < postings.len() && postings[i].doc == doc {
                let p = postings[i];
                let f = p.field.index();
                let len = index.field_lengths[doc as usize][f] as f32;
                weighted_tf += FIELD_WEIGHTS[f] * f32::from(p.tf) / (1.0 - B + B * len / avg[f]);
                i += 1;
            }
            let score = qt.weight * idf * weighted_tf * (K1 + 1.0) / (K1 + weighted_tf);
            let best = &mut best_per_slot[doc as usize * words.len() + qt.slot];
            *best = best.max(score);
        }
    }
    for (doc, score) in scores.iter_mut().enumerate() {
        let slots = &best_per_slot[doc * words.len()..(doc + 1) * words.len()];
        let matched = slots.iter().filter(|s| **s > 0.0).count();
        let sum: f32 = slots.iter().sum();
        // Reward covering more of the query: OR semantics, but AND-like documents first.
        *score = sum * (0.5 + 0.5 * matched as f32 / words.len() as f32);
    }

    let mut hits: Vec<Hit> = scores
        .into_iter()
        .enumerate()
        .filter(|(_, s)| *s > 0.0)
        .map(|(doc, score)| Hit {
            doc: doc as u32,
            score,
        })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
    hits.truncate(limit);
    hits
}

/// The last word of the query, folded, if the query does not end in whitespace and the
/// word is long enough to be worth expanding.
fn last_word_being_typed(query: &str) -> Option<String> {
    if query.ends_with(char::is_whitespace) {
        return None;
    }
    let last = query.split(|c: char| !c.is_alphanumeric()).next_back()?;
    (last.chars().count() >= MIN_PREFIX_LEN).then(|| fold(last))
}

fn truncate_on_char_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{Field, Posting, TermEntry};

    /// Builds an index the way the indexer does, from (title, body) pairs.
    fn index(docs: &[(&str, &str)]) -> SearchIndex {
        let analyzer = Analyzer::default();
        let mut terms: std::collections::BTreeMap<String, Vec<Posting>> = Default::default();
        let mut field_lengths = Vec::new();
        for (doc, (title, body)) in docs.iter().enumerate() {
            let mut lengths = [0u32; FIELD_COUNT];
            for (field, text) in [(Field::Title, title), (Field::Body, body)] {
                let mut counts: std::collections::BTreeMap<String, u16> = Default::default();
                for t in analyzer.tokens(text) {
                    *counts.entry(t.text).or_default() += 1;
                    lengths[field.index()] += 1;
                }
                for (term, tf) in counts {
                    terms.entry(term).or_default().push(Posting {
                        doc: doc as u32,
                        field,
                        tf,
                    });
                }
            }
            field_lengths.push(lengths);
        }
        let terms = terms
            .into_iter()
            .map(|(term, mut postings)| {
                postings.sort_by_key(|p| (p.doc, p.field.index()));
                TermEntry { term, postings }
            })
            .collect();
        SearchIndex {
            field_lengths,
            terms,
        }
    }

    fn top(index: &SearchIndex, q: &str) -> Vec<u32> {
        search(index, &Analyzer::default(), q, 10)
            .into_iter()
            .map(|h| h.doc)
            .collect()
    }

    const DOCS: &[(&str, &str)] = &[
        (
            "Uploads fail with E-UP-413",
            "Files larger than 100 MB are rejected with error E-UP-413.",
        ),
        (
            "Reset your password",
            "Use the forgot password link on the sign-in page.",
        ),
        (
            "Notifications are missing",
            "Check your notification settings and spam folder.",
        ),
        (
            "Slow pages",
            "Large workspaces load slowly; clear the cache.",
        ),
    ];

    #[test]
    fn title_match_ranks_first() {
        assert_eq!(top(&index(DOCS), "password")[0], 1);
    }

    #[test]
    fn pasted_error_code_ranks_its_article_first() {
        assert_eq!(
            top(&index(DOCS), "Upload failed: E-UP-413 Payload Too Large")[0],
            0
        );
    }

    #[test]
    fn or_semantics_still_answer_partly_matching_queries() {
        assert_eq!(top(&index(DOCS), "my notifications never arrive")[0], 2);
    }

    #[test]
    fn last_word_matches_as_a_prefix_while_typing() {
        assert_eq!(top(&index(DOCS), "notif")[0], 2);
        assert_eq!(top(&index(DOCS), "passw")[0], 1);
        // A finished word (followed by a space) is not expanded.
        assert!(top(&index(DOCS), "passw ").is_empty());
    }

    #[test]
    fn documents_matching_more_query_words_rank_higher() {
        let hits = top(&index(DOCS), "slow sign-in page");
        assert_eq!(hits[0], 1, "sign + in + page beats slow alone: {hits:?}");
    }

    #[test]
    fn bounded_inputs_do_not_panic() {
        let idx = index(DOCS);
        let huge = "é".repeat(600_000);
        for q in ["", " ", "a", "the", "!!!", huge.as_str()] {
            let _ = top(&idx, q);
        }
        assert!(top(&SearchIndex::default(), "password").is_empty());
    }
}
