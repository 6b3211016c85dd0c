//! [`Recorder`]: a page's insights, from the session's events as they happen.
//!
//! The widget tells the page of a search on every keystroke that changes the results;
//! counting each would report "pri", "prin", "print"… A search counts once it *settles*:
//! the customer acts on it (opens a result, answers a step, contacts support), or leaves
//! it unchanged for [`SETTLE_MS`], or the page is hidden; and a query counts once per page,
//! however often it is searched again, so the relay's count of a query is a count of pages.
//! Its query is reduced to its search terms unless the kb allows the text
//! ([`searched_for`]).

use std::collections::BTreeSet;

use crate::analyzer::Analyzer;
use crate::session::Event;

use super::model::{
    Batch, Insight, SearchedFor, MAX_INSIGHTS_PER_BATCH, MAX_QUERY_CHARS, MAX_QUERY_TERMS,
};

/// How long a query must stay unchanged to count as what the customer searched for.
pub const SETTLE_MS: f64 = 2000.0;

/// A page's insights so far.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    /// The kb allows the query text (otherwise only its terms are kept).
    query_text: bool,
    /// The latest search, not settled yet: (query, results shown, when).
    pending: Option<(String, usize, f64)>,
    /// The queries already counted on this page.
    counted: BTreeSet<SearchedFor>,
    ready: Vec<Insight>,
}

impl Recorder {
    pub fn new(query_text: bool) -> Recorder {
        Recorder {
            query_text,
            ..Recorder::default()
        }
    }

    /// The session told the page `event` at `now_ms`.
    pub fn event(&mut self, analyzer: &Analyzer, event: &Event, now_ms: f64) {
        match event {
            Event::Searched { query, results, .. } => {
                self.tick(analyzer, now_ms);
                self.pending =
                    (!query.trim().is_empty()).then(|| (query.clone(), results.len(), now_ms));
            }
            Event::Opened { article, position } => {
                self.settle(analyzer);
                self.ready.push(Insight::Opened {
                    article: article.clone(),
                    position: position.map(|p| p as u32),
                });
            }
            Event::StepAnswered {
                article,
                step,
                outcome,
                ..
            } => {
                self.settle(analyzer);
                self.ready.push(Insight::Step {
                    article: article.clone(),
                    step: step.clone(),
                    outcome: *outcome,
                });
            }
            Event::Resolved { article } => self.ready.push(Insight::Resolved {
                article: article.clone(),
            }),
            Event::Escalated {
                article,
                steps_tried,
            } => {
                self.settle(analyzer);
                self.ready.push(Insight::Escalated {
                    article: article.clone(),
                    steps_tried: *steps_tried as u32,
                });
            }
            Event::TicketSent { severity, .. } => self.ready.push(Insight::TicketSent {
                severity: *severity,
            }),
        }
    }

    /// Time passes: a search left unchanged for [`SETTLE_MS`] is counted.
    pub fn tick(&mut self, analyzer: &Analyzer, now_ms: f64) {
        if self
            .pending
            .as_ref()
            .is_some_and(|(_, _, at)| now_ms - at >= SETTLE_MS)
        {
            self.settle(analyzer);
        }
    }

    /// The insights ready to send, taken; with `hiding` (the page is being hidden or
    /// closed) the unsettled search too, as what the customer last searched for.
    pub fn take(&mut self, analyzer: &Analyzer, hiding: bool) -> Vec<Insight> {
        if hiding {
            self.settle(analyzer);
        }
        std::mem::take(&mut self.ready)
    }

    /// Whether a batch is full: the page sends it now rather than when it is hidden.
    pub fn batch_full(&self) -> bool {
        self.ready.len() >= MAX_INSIGHTS_PER_BATCH
    }

    /// The insights ready to send, taken ([`Recorder::take`]) as batches for page `page`,
    /// each within [`MAX_INSIGHTS_PER_BATCH`]; none when there is nothing to send.
    pub fn take_batches(&mut self, analyzer: &Analyzer, hiding: bool, page: &str) -> Vec<Batch> {
        self.take(analyzer, hiding)
            .chunks(MAX_INSIGHTS_PER_BATCH)
            .map(|insights| Batch {
                page: page.to_string(),
                insights: insights.to_vec(),
            })
            .collect()
    }

    /// Counts the pending search, if any.
    fn settle(&mut self, analyzer: &Analyzer) {
        if let Some((query, results, _)) = self.pending.take() {
            let query = searched_for(analyzer, &query, self.query_text);
            if self.counted.insert(query.clone()) {
                self.ready.push(Insight::Search {
                    query,
                    results: results as u32,
                });
            }
        }
    }
}

/// What a search was for, as kept: the text (whitespace collapsed, lowercased, cut to
/// [`MAX_QUERY_CHARS`]) when the kb allows it; otherwise its search terms, stop words
/// left out, sorted and unique — what it matched on, not how it was phrased. Either way
/// anything that looks like an email address, and numbers of seven digits or more (phone,
/// order and account numbers), are left out: a customer pastes them, reports must not show
/// them. Error codes (`0x80070005`, `e-up-413`, `4624`) stay: they are what docs teams
/// need to see.
pub fn searched_for(analyzer: &Analyzer, query: &str, text_allowed: bool) -> SearchedFor {
    let kept: Vec<&str> = query
        .split_whitespace()
        .filter(|w| !is_personal(w))
        .collect();
    let kept = kept.join(" ");
    if text_allowed {
        return SearchedFor::Text(kept.to_lowercase().chars().take(MAX_QUERY_CHARS).collect());
    }
    let mut terms: Vec<String> = analyzer
        .tokens(&kept)
        .into_iter()
        .filter(|t| !t.stop)
        .map(|t| t.text)
        .collect();
    terms.sort();
    terms.dedup();
    terms.truncate(MAX_QUERY_TERMS);
    SearchedFor::Terms(terms)
}

/// An email address, or a number of seven digits or more with no letters in it (a phone,
/// order or account number; `0x80070005` and `KB2751461` are codes and stay).
fn is_personal(word: &str) -> bool {
    let digits = word.chars().filter(char::is_ascii_digit).count();
    word.contains('@') || (digits >= 7 && !word.chars().any(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::Outcome;
    use crate::triage::Severity;

    fn searched(query: &str, results: &[&str]) -> Event {
        Event::Searched {
            query: query.into(),
            results: results.iter().map(|r| r.to_string()).collect(),
            search_ms: 0.1,
        }
    }

    fn terms(words: &[&str]) -> SearchedFor {
        SearchedFor::Terms(words.iter().map(|w| w.to_string()).collect())
    }

    #[test]
    fn a_search_counts_once_it_settles_not_per_keystroke() {
        let a = Analyzer::default();
        let mut r = Recorder::new(false);
        for (i, q) in ["pri", "print", "printer off", "printer offline"]
            .iter()
            .enumerate()
        {
            r.event(&a, &searched(q, &["p.md"]), i as f64 * 150.0);
        }
        r.tick(&a, 1000.0);
        assert!(r.take(&a, false).is_empty(), "still typing");
        r.tick(&a, 450.0 + SETTLE_MS);
        let settled = r.take(&a, false);
        assert_eq!(
            settled,
            [Insight::Search {
                query: terms(&["offlin", "printer"]),
                results: 1
            }]
        );
        // Cleared: nothing pending, nothing counted on hiding.
        r.event(&a, &searched("", &[]), 5000.0);
        assert!(r.take(&a, true).is_empty());
        // The same query again on this page is not a second page searching it.
        r.event(&a, &searched("offline printers", &["p.md"]), 6000.0);
        assert!(r.take(&a, true).is_empty(), "same terms, counted already");
    }

    #[test]
    fn acting_on_a_search_settles_it_before_what_follows() {
        let a = Analyzer::default();
        let mut r = Recorder::new(true);
        r.event(&a, &searched("Printer  OFFLINE", &["a.md", "b.md"]), 0.0);
        r.event(
            &a,
            &Event::Opened {
                article: "b.md".into(),
                position: Some(2),
            },
            5.0,
        );
        r.event(
            &a,
            &Event::StepAnswered {
                article: "b.md".into(),
                step: Some("Restart it".into()),
                outcome: Outcome::DidntHelp,
                answer: None,
            },
            10.0,
        );
        r.event(
            &a,
            &Event::Escalated {
                article: Some("b.md".into()),
                steps_tried: 1,
            },
            20.0,
        );
        r.event(
            &a,
            &Event::TicketSent {
                reference: "T-1".into(),
                severity: Severity::Minor,
                priority: None,
            },
            30.0,
        );
        assert_eq!(
            r.take(&a, true),
            [
                Insight::Search {
                    query: SearchedFor::Text("printer offline".into()),
                    results: 2
                },
                Insight::Opened {
                    article: "b.md".into(),
                    position: Some(2)
                },
                Insight::Step {
                    article: "b.md".into(),
                    step: Some("Restart it".into()),
                    outcome: Outcome::DidntHelp
                },
                Insight::Escalated {
                    article: Some("b.md".into()),
                    steps_tried: 1
                },
                Insight::TicketSent {
                    severity: Severity::Minor
                },
            ]
        );
    }

    #[test]
    fn a_full_batch_is_sent_at_once_and_never_exceeds_the_limit() {
        let a = Analyzer::default();
        let mut r = Recorder::new(false);
        let resolved = Event::Resolved {
            article: "a.md".into(),
        };
        for i in 0..MAX_INSIGHTS_PER_BATCH - 1 {
            r.event(&a, &resolved, i as f64);
        }
        assert!(!r.batch_full());
        r.event(&a, &resolved, 100.0);
        assert!(r.batch_full());
        r.event(&a, &resolved, 101.0);
        let batches = r.take_batches(&a, true, "0123456789abcdef");
        let sizes: Vec<usize> = batches.iter().map(|b| b.insights.len()).collect();
        assert_eq!(sizes, [MAX_INSIGHTS_PER_BATCH, 1]);
        assert!(batches.iter().all(|b| b.check().is_ok()));
        assert!(r.take_batches(&a, true, "0123456789abcdef").is_empty());
    }

    #[test]
    fn hiding_the_page_counts_the_last_search() {
        let a = Analyzer::default();
        let mut r = Recorder::new(false);
        r.event(&a, &searched("wifi drops", &[]), 0.0);
        assert_eq!(
            r.take(&a, true),
            [Insight::Search {
                query: terms(&["drop", "wifi"]),
                results: 0
            }]
        );
    }

    #[test]
    fn a_query_keeps_codes_but_not_emails_or_long_numbers() {
        let a = Analyzer::default();
        let q = "error 0x80070005 for jane.doe@example.com order 4155550123 call +1-415-555-0123 code E-UP-413";
        assert_eq!(
            searched_for(&a, q, true),
            SearchedFor::Text("error 0x80070005 for order call code e-up-413".into())
        );
        let SearchedFor::Terms(kept) = searched_for(&a, q, false) else {
            panic!()
        };
        assert!(kept.contains(&"0x80070005".to_string()), "{kept:?}");
        assert!(kept.iter().any(|t| t.contains("413")), "{kept:?}");
        assert!(
            !kept
                .iter()
                .any(|t| t.contains("jane") || t.contains("4155550123")),
            "{kept:?}"
        );
    }
}
