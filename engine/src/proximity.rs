//! Proximity: how many pairs of query words a document holds near each other.
//!
//! A customer's words describe one problem; an article that has them in one sentence is
//! more likely about that problem than one that scatters them over unrelated sections.
//! Positions are coarse ([`crate::bundle::Windows`]: the 8-word window where each term
//! first appears, in the title or the start of the body), so this is a rerank of the best
//! BM25F candidates rather than a phrase search.

/// Candidates reranked by proximity: enough to lift an article from the second page.
pub const RERANK_DEPTH: usize = 30;
/// Reward for every query-word pair found near each other, per query word beyond the
/// first (a query whose words all sit together in one sentence gains most).
pub const PROXIMITY_WEIGHT: f32 = 0.5;

/// Pairs of query words (the windows of each word; empty when the document lacks it) that
/// occur near each other, divided by the number of words less one.
pub fn closeness(per_word: &[Vec<u32>]) -> f32 {
    if per_word.len() < 2 {
        return 0.0;
    }
    let mut pairs = 0;
    for (i, a) in per_word.iter().enumerate() {
        pairs += per_word[i + 1..].iter().filter(|b| near(a, b)).count();
    }
    pairs as f32 / (per_word.len() - 1) as f32
}

/// Whether a window of `a` and one of `b` are the same or neighbours: within about a
/// sentence.
fn near(a: &[u32], b: &[u32]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.abs_diff(*y) <= 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Windows;

    fn at(positions: &[u32]) -> Vec<u32> {
        Windows::of_body_positions(positions.iter().copied())
            .as_slice()
            .to_vec()
    }

    #[test]
    fn words_in_one_sentence_are_closer_than_scattered_ones() {
        let together = [at(&[40]), at(&[43]), at(&[45])];
        let scattered = [at(&[40]), at(&[200]), at(&[400])];
        assert_eq!(closeness(&together), 1.5, "3 pairs / 2");
        assert_eq!(closeness(&scattered), 0.0);
        assert_eq!(closeness(&[at(&[1]), vec![]]), 0.0, "a missing word");
        assert_eq!(closeness(&[at(&[1])]), 0.0, "one word has no pair");
        let title = Windows::TITLE.as_slice().to_vec();
        assert_eq!(
            closeness(&[title.clone(), at(&[3])]),
            1.0,
            "a title word is near the body's first sentence"
        );
        assert_eq!(closeness(&[title, at(&[16])]), 0.0, "but not the third");
        assert_eq!(
            closeness(&[vec![0, 9], at(&[70])]),
            1.0,
            "a word in the title and the body is near either"
        );
    }
}
