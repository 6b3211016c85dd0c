//! Scoring the candidates of a prepared query: BM25F over four fields, the best candidate
//! per slot and document, the coverage and title-coverage rewards, the overview
//! discount, and the proximity rerank of the best.

use crate::index::{Field, LoadedPostings, Posting, SearchIndex, FIELD_COUNT};
use crate::proximity::{self, PROXIMITY_WEIGHT, RERANK_DEPTH};

use super::matching::Candidate;
use super::Hit;

/// Term-frequency saturation. Higher than the textbook 1.2 because BM25F saturates the
/// field-weighted frequency, which the title's weight of 3 inflates: at 1.2, a word in the
/// title and all through the body counted hardly more than a word mentioned once (on the
/// eval kit 2 to 5 rank the same on the dev queries and better on our own extra ones).
const K1: f32 = 2.0;
const B: f32 = 0.75;
/// Relative importance of a match in each field (indexed by [`Field::index`]).
///
/// [`Field::index`]: crate::bundle::Field::index
const FIELD_WEIGHTS: [f32; FIELD_COUNT] = [3.0, 2.0, 1.5, 1.0];
/// Reward for query words found in the title, by the share of the query they make up. A
/// help-centre title names the problem; BM25F alone lets a long body that repeats a few
/// query words outweigh a title that holds most of them (measured on the eval kit: how-to
/// and symptom queries gain, no kind loses; 0.5 to 0.75 behave the same).
const TITLE_COVERAGE_WEIGHT: f32 = 0.5;
/// An article whose body is this many times the kb's average is an overview — a
/// walkthrough of a whole setup, a list of every shortcut — and is discounted by the
/// square root of how far past that length it runs. Somewhere in its length it holds most
/// words of any long description of a problem: BM25 normalizes each word's frequency by
/// length, but not how many different words match, which the coverage reward then
/// multiplies. On the eval kit the specific article won three symptom queries back from a
/// 14,500-word network guide; 6 to 10 times behave the same, and no query loses.
const OVERVIEW_LENGTH: f32 = 8.0;

/// BM25F per candidate, best candidate per slot and document, coverage reward; then the
/// best [`RERANK_DEPTH`] reranked by proximity; top `limit`.
pub(super) fn score(
    index: &SearchIndex,
    loaded: &LoadedPostings,
    candidates: &[Candidate],
    slots: usize,
    limit: usize,
) -> Vec<Hit> {
    let n = index.doc_count();
    let avg = index.average_field_lengths();
    let body = Field::Body.index();
    let mut best_per_slot = vec![0f32; n * slots];
    let mut in_title = vec![false; n * slots];
    // Kept for the proximity rerank: (slot, postings sorted by document).
    let mut lists: Vec<(usize, &[Posting])> = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        let Some(postings) = loaded.postings(candidate.term) else {
            continue;
        };
        let df = candidate.docs.max(1) as f32;
        let idf = (1.0 + (n as f32 - df + 0.5) / (df + 0.5)).ln();
        let mut i = 0;
        while i < postings.len() {
            let doc = postings[i].doc;
            let mut weighted_tf = 0f32;
            while i < postings.len() && postings[i].doc == doc {
                let p = postings[i];
                let f = p.field.index();
                if f == 0 {
                    in_title[doc as usize * slots + candidate.slot] = true;
                }
                let len = index.field_lengths[doc as usize][f] as f32;
                weighted_tf += FIELD_WEIGHTS[f] * f32::from(p.tf) / (1.0 - B + B * len / avg[f]);
                i += 1;
            }
            let score = candidate.weight * idf * weighted_tf * (K1 + 1.0) / (K1 + weighted_tf);
            let best = &mut best_per_slot[doc as usize * slots + candidate.slot];
            *best = best.max(score);
        }
        lists.push((candidate.slot, postings));
    }
    let mut hits: Vec<Hit> = best_per_slot
        .chunks(slots)
        .zip(in_title.chunks(slots))
        .enumerate()
        .filter_map(|(doc, (per_slot, titled))| {
            let matched = per_slot.iter().filter(|s| **s > 0.0).count();
            let sum: f32 = per_slot.iter().sum();
            let in_title = titled.iter().filter(|t| **t).count();
            // Reward covering more of the query: OR semantics, but AND-like documents first;
            // and more still when the title covers it.
            let body_length = index.field_lengths[doc][body] as f32;
            let score = sum
                * overview_discount(body_length, avg[body])
                * (0.5 + 0.5 * matched as f32 / slots as f32)
                * (1.0 + TITLE_COVERAGE_WEIGHT * in_title as f32 / slots as f32);
            (score > 0.0).then_some(Hit {
                doc: doc as u32,
                score,
            })
        })
        .collect();
    let by_score = |a: &Hit, b: &Hit| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc));
    hits.sort_by(by_score);
    hits.truncate(limit.max(RERANK_DEPTH));
    for hit in &mut hits {
        let mut per_slot: Vec<Vec<u32>> = vec![Vec::new(); slots];
        for (slot, postings) in &lists {
            let from = postings.partition_point(|p| p.doc < hit.doc);
            for p in postings[from..].iter().take_while(|p| p.doc == hit.doc) {
                per_slot[*slot].extend_from_slice(p.windows.as_slice());
            }
        }
        hit.score *= 1.0 + PROXIMITY_WEIGHT * proximity::closeness(&per_slot);
    }
    hits.sort_by(by_score);
    hits.truncate(limit);
    hits
}

/// What an article of body length `length` keeps of its score, in a kb whose bodies
/// average `average`: all of it up to [`OVERVIEW_LENGTH`] times the average, then less by
/// the square root of the excess.
fn overview_discount(length: f32, average: f32) -> f32 {
    let overview = OVERVIEW_LENGTH * average;
    if length > overview {
        (overview / length).sqrt()
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_articles_far_past_the_average_length_are_discounted() {
        assert_eq!(overview_discount(100.0, 100.0), 1.0);
        assert_eq!(overview_discount(OVERVIEW_LENGTH * 100.0, 100.0), 1.0);
        assert_eq!(overview_discount(OVERVIEW_LENGTH * 400.0, 100.0), 0.5);
        assert_eq!(overview_discount(0.0, 0.0), 1.0);
    }
}
