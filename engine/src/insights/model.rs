//! What the widget sends: [`Insight`]s, one per thing a customer did, in a [`Batch`] per
//! page. Nothing in them names the customer: the page id is random, made per page load
//! and never stored with an event; a query is its search terms unless the kb allows its
//! text ([`SearchedFor`]).

use serde::{Deserialize, Serialize};

use crate::guide::Outcome;
use crate::triage::Severity;

/// Most insights in one batch: a page sends when it has this many, and when it is hidden.
pub const MAX_INSIGHTS_PER_BATCH: usize = 64;
/// Longest query text kept (characters), when the kb allows the text.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most search terms kept of one query.
pub const MAX_QUERY_TERMS: usize = 16;
/// Longest article id or step title accepted (bytes); a kb path is far shorter.
const MAX_NAME_BYTES: usize = 512;

/// One thing a customer did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Insight {
    /// A search the customer settled on, and how many results it showed.
    Search { query: SearchedFor, results: u32 },
    /// An article opened: from the results list (`position`, from 1) or by the page.
    Opened {
        article: String,
        position: Option<u32>,
    },
    /// A guide step answered.
    Step {
        article: String,
        step: Option<String>,
        outcome: Outcome,
    },
    /// A fix worked.
    Resolved { article: String },
    /// The customer chose to contact support: from an article, or from search.
    Escalated {
        article: Option<String>,
        steps_tried: u32,
    },
    /// Support acknowledged a ticket.
    TicketSent { severity: Severity },
}

/// What a search was for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchedFor {
    /// The query as typed, whitespace collapsed and lowercased (the kb allows it).
    Text(String),
    /// Its search terms, sorted: what it matched on, not how it was phrased.
    Terms(Vec<String>),
}

impl SearchedFor {
    /// How reports show it and count it: the text, or the terms joined by spaces.
    pub fn key(&self) -> String {
        match self {
            SearchedFor::Text(text) => text.clone(),
            SearchedFor::Terms(terms) => terms.join(" "),
        }
    }
}

/// One page's insights, as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// Random, made when the page loads: lets the relay count a query once per page.
    pub page: String,
    pub insights: Vec<Insight>,
}

/// Why a receiver refuses a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BatchProblem {
    #[error("a batch holds 1 to {MAX_INSIGHTS_PER_BATCH} insights")]
    Size,
    #[error("the page id is 16 to 64 letters, digits or dashes")]
    PageId,
    #[error("a query is longer than {MAX_QUERY_CHARS} characters or {MAX_QUERY_TERMS} terms")]
    Query,
    #[error("an article id or step title is empty or too long")]
    Name,
}

impl Batch {
    /// What a receiver checks before counting anything: the sizes a widget keeps to.
    pub fn check(&self) -> Result<(), BatchProblem> {
        if self.insights.is_empty() || self.insights.len() > MAX_INSIGHTS_PER_BATCH {
            return Err(BatchProblem::Size);
        }
        let id_ok = (16..=64).contains(&self.page.len())
            && self
                .page
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !id_ok {
            return Err(BatchProblem::PageId);
        }
        let name_ok = |s: &str| !s.is_empty() && s.len() <= MAX_NAME_BYTES;
        for insight in &self.insights {
            let ok = match insight {
                Insight::Search { query, .. } if !query_fits(query) => {
                    return Err(BatchProblem::Query);
                }
                Insight::Search { .. } | Insight::TicketSent { .. } => true,
                Insight::Opened { article, .. } | Insight::Resolved { article } => name_ok(article),
                Insight::Step { article, step, .. } => {
                    name_ok(article) && step.as_deref().is_none_or(name_ok)
                }
                Insight::Escalated { article, .. } => article.as_deref().is_none_or(name_ok),
            };
            if !ok {
                return Err(BatchProblem::Name);
            }
        }
        Ok(())
    }
}

/// Whether `query` is within the sizes a widget keeps to.
fn query_fits(query: &SearchedFor) -> bool {
    match query {
        SearchedFor::Text(text) => text.chars().count() <= MAX_QUERY_CHARS,
        SearchedFor::Terms(terms) => {
            terms.len() <= MAX_QUERY_TERMS && terms.iter().all(|t| t.len() <= MAX_NAME_BYTES)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(insights: Vec<Insight>) -> Batch {
        Batch {
            page: "3f2a9c1e-7b4d-4e8a".into(),
            insights,
        }
    }

    #[test]
    fn the_wire_format_is_tagged_and_readable() {
        let b = batch(vec![
            Insight::Search {
                query: SearchedFor::Terms(vec!["printer".into(), "offlin".into()]),
                results: 3,
            },
            Insight::TicketSent {
                severity: Severity::Critical,
            },
        ]);
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(
            json,
            r#"{"page":"3f2a9c1e-7b4d-4e8a","insights":[{"kind":"search","query":{"terms":["printer","offlin"]},"results":3},{"kind":"ticket_sent","severity":"critical"}]}"#
        );
        assert_eq!(serde_json::from_str::<Batch>(&json).unwrap(), b);
    }

    #[test]
    fn a_receiver_refuses_what_no_widget_sends() {
        let resolved = || Insight::Resolved {
            article: "printing/offline.md".into(),
        };
        assert_eq!(batch(vec![resolved()]).check(), Ok(()));
        assert_eq!(batch(vec![]).check(), Err(BatchProblem::Size));
        assert_eq!(
            batch(vec![resolved(); MAX_INSIGHTS_PER_BATCH + 1]).check(),
            Err(BatchProblem::Size)
        );
        let mut short_id = batch(vec![resolved()]);
        short_id.page = "abc".into();
        assert_eq!(short_id.check(), Err(BatchProblem::PageId));
        let long_query = Insight::Search {
            query: SearchedFor::Text("x".repeat(MAX_QUERY_CHARS + 1)),
            results: 0,
        };
        assert_eq!(batch(vec![long_query]).check(), Err(BatchProblem::Query));
        let nameless = Insight::Resolved {
            article: String::new(),
        };
        assert_eq!(batch(vec![nameless]).check(), Err(BatchProblem::Name));
    }
}
