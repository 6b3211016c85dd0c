//! Ranking: BM25F over the exported index, OR semantics with a reward for covering more of
//! the query, prefix matching on the word being typed, typo tolerance, and a proximity
//! rerank of the best candidates.
//!
//! Each distinct query word is a *slot*. A slot is matched by its exact term and, for the
//! word being typed, its completions; a word with neither by terms one or two edits away (1
//! edit from 4 letters, 2 from 8; a transposition is one edit); and by thesaurus
//! alternatives. These stand-ins count for less than the word itself and never as rarer
//! than it, and a document scores the best match per slot, so a word's many completions
//! never add up. Stop words are ignored unless the query has nothing else.
//! Code-like words (`0x80070005`, `e-up-413`, `4624`) weigh double: they are what a
//! customer pastes, and they rarely match by accident.
//!
//! Work is bounded whatever the input: only the first [`MAX_QUERY_TERMS`] distinct words are
//! scored, and each slot expands to at most [`MAX_PREFIX_EXPANSIONS`] or
//! [`MAX_TYPO_EXPANSIONS`](crate::index::MAX_TYPO_EXPANSIONS) terms.

use crate::analyzer::{fold, Analyzer, Token};
use crate::index::{shard_of, LoadedPostings, Posting, SearchIndex, FIELD_COUNT};
use crate::proximity::{self, PROXIMITY_WEIGHT, RERANK_DEPTH};
use crate::synonyms::Thesaurus;

/// Distinct query words scored; the rest of a long paste adds nothing but time.
pub const MAX_QUERY_TERMS: usize = 32;
/// Completions tried for the last, possibly half-typed word.
pub const MAX_PREFIX_EXPANSIONS: usize = 24;
/// Shortest half-typed word that is expanded as a prefix.
const MIN_PREFIX_LEN: usize = 2;
/// Bytes of query text analyzed (a 1 MB paste is cut here, on a char boundary).
const MAX_QUERY_BYTES: usize = 2048;

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
/// A completion of the typed prefix counts for less than the word typed in full…
const PREFIX_WEIGHT: f32 = 0.7;
/// …and a typo correction for less still.
const TYPO_WEIGHT: f32 = 0.5;
/// A synonym from the thesaurus counts for as much as a typo correction.
const SYNONYM_WEIGHT: f32 = 0.5;
/// Extra weight of code-like words.
const CODE_WEIGHT: f32 = 2.0;
/// Reward for query words found in the title, by the share of the query they make up. A
/// help-centre title names the problem; BM25F alone lets a long body that repeats a few
/// query words outweigh a title that holds most of them (measured on the eval kit: how-to
/// and symptom queries gain, no kind loses; 0.5 to 0.75 behave the same).
const TITLE_COVERAGE_WEIGHT: f32 = 0.5;

/// One ranked document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
}

/// A distinct word of the query.
struct QueryWord {
    term: String,
    /// Characters the customer typed for it (typo budgets depend on it).
    typed_chars: usize,
    weight: f32,
}

/// A dictionary term standing in for a query word, and what a match on it is worth.
#[derive(Debug, Clone, PartialEq)]
struct Candidate {
    /// Position in the dictionary.
    term: usize,
    weight: f32,
    slot: usize,
    /// Documents holding it, for its idf (see `docs_for` in [`candidates`]).
    docs: u32,
}

/// Ranks documents for `query`, best first, at most `limit`. Terms whose posting shard
/// is not in `postings` count as matching nothing: load [`shards_needed`] first.
pub fn search(
    index: &SearchIndex,
    postings: &LoadedPostings,
    analyzer: &Analyzer,
    query: &str,
    limit: usize,
) -> Vec<Hit> {
    prepare(index, analyzer, query).rank(index, postings, limit)
}

/// The posting shards `query` needs that `postings` does not hold yet, in order.
pub fn shards_needed(
    index: &SearchIndex,
    postings: &LoadedPostings,
    analyzer: &Analyzer,
    query: &str,
) -> Vec<usize> {
    prepare(index, analyzer, query).shards_needed(postings)
}

/// A query matched against the dictionary: the terms each of its words stands for. The
/// widget prepares a query once per keystroke, asks it which shards to fetch, and ranks
/// with it when they are in: the dictionary work (completions, typo scan) is done once.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedQuery {
    candidates: Vec<Candidate>,
    /// Distinct words of the query.
    slots: usize,
}

/// Matches `query`'s words against `index`'s dictionary.
pub fn prepare(index: &SearchIndex, analyzer: &Analyzer, query: &str) -> PreparedQuery {
    let (candidates, slots) = candidates(index, analyzer, query);
    PreparedQuery { candidates, slots }
}

impl PreparedQuery {
    /// The posting shards this query needs that `postings` does not hold yet, in order.
    pub fn shards_needed(&self, postings: &LoadedPostings) -> Vec<usize> {
        let mut shards: Vec<usize> = self
            .candidates
            .iter()
            .map(|c| shard_of(c.term))
            .filter(|n| !postings.has(*n))
            .collect();
        shards.sort_unstable();
        shards.dedup();
        shards
    }

    /// Documents best first, at most `limit`. Terms whose posting shard is not in
    /// `postings` count as matching nothing.
    pub fn rank(&self, index: &SearchIndex, postings: &LoadedPostings, limit: usize) -> Vec<Hit> {
        if self.slots == 0 || index.doc_count() == 0 {
            return Vec::new();
        }
        score(index, postings, &self.candidates, self.slots, limit)
    }
}

/// What each query word matches in the dictionary (exact, completions, corrections), and
/// the number of slots (distinct words).
fn candidates(index: &SearchIndex, analyzer: &Analyzer, query: &str) -> (Vec<Candidate>, usize) {
    let query = truncate_on_char_boundary(query, MAX_QUERY_BYTES);
    let tokens = analyzer.tokens(query);
    let words = query_words(&tokens, query);
    // The word being typed, and the slot it completes: none when the query ends in a stop
    // word ("can't sign in" must not complete "in" to "install" for "sign").
    let typing = last_word_being_typed(query);
    let typing_slot = tokens
        .last()
        .filter(|t| !t.stop)
        .and_then(|t| words.iter().position(|w| w.term == t.text));
    let exact: Vec<Option<usize>> = words.iter().map(|w| index.term_index(&w.term)).collect();
    // The document count a stand-in for the word of `slot` is scored with: a completion or
    // synonym never counts as rarer than the word itself, or a rare completion ("office"
    // for a finished "off") would outrank the word typed.
    let docs_for = |slot: usize, term: usize| {
        let own = index.terms[term].docs;
        exact[slot].map_or(own, |e| own.max(index.terms[e].docs))
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    for (slot, word) in words.iter().enumerate() {
        if let Some(term) = exact[slot] {
            candidates.push(Candidate {
                term,
                weight: word.weight,
                slot,
                docs: index.terms[term].docs,
            });
        }
        let mut completed = false;
        if typing_slot == Some(slot) {
            if let Some(prefix) = typing.as_deref() {
                for (term, _) in index
                    .with_prefix(prefix)
                    .filter(|(_, e)| e.term != word.term)
                    .take(MAX_PREFIX_EXPANSIONS)
                {
                    candidates.push(Candidate {
                        term,
                        weight: word.weight * PREFIX_WEIGHT,
                        slot,
                        docs: docs_for(slot, term),
                    });
                    completed = true;
                }
            }
        }
        if exact[slot].is_none() && !completed {
            for term in index.corrections(&word.term, word.typed_chars) {
                candidates.push(Candidate {
                    term,
                    weight: word.weight * TYPO_WEIGHT,
                    slot,
                    docs: index.terms[term].docs,
                });
            }
        }
    }
    // What the help centre may call it instead ("logging in" → "sign in").
    let terms: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    for alternative in Thesaurus::get().alternatives(&terms) {
        let Some(slot) = words.iter().position(|w| w.term == terms[alternative.at]) else {
            continue;
        };
        if let Some(term) = index.term_index(alternative.term) {
            candidates.push(Candidate {
                term,
                weight: words[slot].weight * SYNONYM_WEIGHT,
                slot,
                docs: docs_for(slot, term),
            });
        }
    }
    (candidates, words.len())
}

/// Distinct words of the query, stop words left out unless there is nothing else.
fn query_words(tokens: &[Token], query: &str) -> Vec<QueryWord> {
    let only_stop_words = tokens.iter().all(|t| t.stop);
    let mut words: Vec<QueryWord> = Vec::new();
    for t in tokens {
        if words.len() == MAX_QUERY_TERMS {
            break;
        }
        if (t.stop && !only_stop_words) || words.iter().any(|w| w.term == t.text) {
            continue;
        }
        let weight = if is_code_like(&t.text) {
            CODE_WEIGHT
        } else {
            1.0
        };
        let typed_chars = query[t.start..t.end].chars().count();
        words.push(QueryWord {
            term: t.text.clone(),
            typed_chars,
            weight,
        });
    }
    words
}

/// Identifiers, error codes and numbers of three digits or more.
fn is_code_like(term: &str) -> bool {
    let digits = term.chars().filter(char::is_ascii_digit).count();
    let letters = term.chars().filter(|c| c.is_alphabetic()).count();
    (digits > 0 && letters > 0) || digits >= 3 || term.contains(['-', '_', '.'])
}

/// BM25F per candidate, best candidate per slot and document, coverage reward; then the
/// best [`RERANK_DEPTH`] reranked by proximity; top `limit`.
fn score(
    index: &SearchIndex,
    loaded: &LoadedPostings,
    candidates: &[Candidate],
    slots: usize,
    limit: usize,
) -> Vec<Hit> {
    let n = index.doc_count();
    let avg = index.average_field_lengths();
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
            let score = sum
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

/// Builds an index the way the indexer does, from (title, body) pairs, with its posting
/// shards (tests of what searches it).
#[cfg(test)]
pub(crate) fn index_for_tests(
    docs: &[(&str, &str)],
) -> (SearchIndex, Vec<crate::index::PostingShard>) {
    use crate::index::{Field, Windows};
    let analyzer = Analyzer::default();
    let mut terms: std::collections::BTreeMap<String, Vec<Posting>> = Default::default();
    let mut field_lengths = Vec::new();
    for (doc, (title, body)) in docs.iter().enumerate() {
        let mut lengths = [0u32; FIELD_COUNT];
        for (field, text) in [(Field::Title, title), (Field::Body, body)] {
            let mut positions: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
            // Like the indexer: stop words are not indexed.
            for t in analyzer.tokens(text).into_iter().filter(|t| !t.stop) {
                positions.entry(t.text).or_default().push(t.position);
                lengths[field.index()] += 1;
            }
            for (term, positions) in positions {
                terms.entry(term).or_default().push(Posting {
                    doc: doc as u32,
                    field,
                    tf: positions.len() as u16,
                    windows: match field {
                        Field::Title => Windows::TITLE,
                        _ => Windows::of_body_positions(positions),
                    },
                });
            }
        }
        field_lengths.push(lengths);
    }
    crate::index::build_index(field_lengths, terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds an index the way the indexer does, from (title, body) pairs.
    fn index(docs: &[(&str, &str)]) -> (SearchIndex, LoadedPostings) {
        let (index, shards) = index_for_tests(docs);
        let loaded = LoadedPostings::all(&index, shards);
        (index, loaded)
    }

    fn top((index, postings): &(SearchIndex, LoadedPostings), q: &str) -> Vec<u32> {
        search(index, postings, &Analyzer::default(), q, 10)
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
        let hits = top(&index(DOCS), "slow sign-in link");
        assert_eq!(hits[0], 1, "sign-in + link beats slow alone: {hits:?}");
    }

    #[test]
    fn a_title_holding_the_query_beats_a_body_repeating_part_of_it() {
        // The body repeats the words across a long article (sections apart), as the
        // sysprep article of the eval kit does.
        let filler = " Sysprep generalizes an image before it is captured and deployed.".repeat(4);
        let sysprep = format!(
            "Store apps block sysprep.{filler} In powershell, list the store apps.{filler} \
             Remove each app with powershell.{filler} Then reinstall the store apps you need \
             from powershell."
        );
        let docs: &[(&str, &str)] = &[
            ("Sysprep fails", &sysprep),
            (
                "Reinstall or remove a store app",
                "Open the settings of the app.",
            ),
            ("Printing", "Printers and paper."),
        ];
        let hits = top(
            &index(docs),
            "reinstall the store app after removing it with powershell",
        );
        assert_eq!(hits[0], 1, "{hits:?}");
    }

    #[test]
    fn words_in_one_sentence_beat_the_same_words_scattered() {
        // Same words, same length: only where the words sit tells the two apart.
        let filler = " Check the cable and restart the router.".repeat(3);
        let scattered = format!("No sound here.{filler} Headphones are plugged in.{filler}");
        let together = format!("No sound in the headphones.{filler} Plugged in.{filler}");
        let docs = [
            ("Audio problems", &*scattered),
            ("Audio problems", &*together),
        ];
        let hits = top(&index(&docs), "no sound in my headphones");
        assert_eq!(hits, [1, 0], "{hits:?}");
    }

    #[test]
    fn the_customers_words_find_the_articles_words() {
        let docs: &[(&str, &str)] = &[
            (
                "Event log is full",
                "Clear the event log after the network audit.",
            ),
            (
                "Network disconnects after you sign in",
                "Turn off power saving.",
            ),
        ];
        let hits = top(&index(docs), "network cuts out after logging in");
        assert_eq!(
            hits[0], 1,
            "cut out ~ disconnect, log in ~ sign in: {hits:?}"
        );
    }

    #[test]
    fn a_trailing_stop_word_is_not_completed_for_the_word_before_it() {
        let idx = index(&[
            ("Sign-in fails", "You cannot sign."),
            ("Install updates", "Install the internet updates."),
        ]);
        // "in" is a finished stop word: its completions ("install", "internet") are not
        // alternatives for "sign".
        assert_eq!(top(&idx, "cannot sign in"), [0]);
    }

    #[test]
    fn a_completion_never_outranks_the_finished_word() {
        // "off" is common, "office" rare: a rare completion must not beat the word typed.
        let idx = index(&[
            ("Turn the screen off", "Switch it off."),
            ("Turn the sound off", "Mute it."),
            ("Turn the light off", "Dim it."),
            ("Office", "Office files in the office."),
        ]);
        let hits = top(&idx, "off");
        assert_eq!(hits.len(), 4, "completions still come: {hits:?}");
        assert_eq!(hits[3], 3, "below the word: {hits:?}");
        assert_eq!(top(&idx, "offi"), [3], "a real prefix completes");
    }

    #[test]
    fn a_typo_finds_the_word_below_exact_matches() {
        let idx = index(DOCS);
        assert_eq!(top(&idx, "notifcations missing")[0], 2);
        assert_eq!(top(&idx, "pasword")[0], 1);
        // Too short to correct: three letters are too easy to turn into another word.
        assert!(top(&idx, "slw ").is_empty());
    }

    #[test]
    fn a_correct_word_is_never_replaced_by_a_correction() {
        // "cache" matches exactly; "cachet" is not looked for.
        let idx = index(&[("Cache", "clear the cache"), ("Cachet", "a cachet")]);
        assert_eq!(top(&idx, "cache "), [0]);
    }

    #[test]
    fn stop_words_do_not_decide_the_ranking() {
        let idx = index(&[
            (
                "How do I do it",
                "how do i do what i do when it is how it is",
            ),
            ("Reset your password", "Use the forgot password link."),
        ]);
        assert_eq!(top(&idx, "how do I reset my password")[0], 1);
        assert_eq!(
            top(&idx, "how do i "),
            [] as [u32; 0],
            "stop words are not indexed: a stop-word-only query finds nothing, at no cost"
        );
    }

    #[test]
    fn bounded_inputs_do_not_panic() {
        let idx = index(DOCS);
        let huge = "é".repeat(600_000);
        for q in ["", " ", "a", "the", "!!!", huge.as_str()] {
            let _ = top(&idx, q);
        }
        assert!(top(&Default::default(), "password").is_empty());
    }

    #[test]
    fn a_query_names_the_shards_it_needs_and_waits_for_nothing_else() {
        let (index, all) = index(DOCS);
        let analyzer = Analyzer::default();
        let none = LoadedPostings::default();
        let needed = shards_needed(&index, &none, &analyzer, "password reset");
        assert_eq!(needed, [0], "a small kb is one shard");
        assert!(search(&index, &none, &analyzer, "password", 10).is_empty());
        assert!(shards_needed(&index, &all, &analyzer, "password reset").is_empty());
        assert!(shards_needed(&index, &none, &analyzer, "zzzz qqqq").is_empty());
    }
}
