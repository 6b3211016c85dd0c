//! What the relay keeps of insights: per day, counts — per query, per article, per guide
//! step — never the events or the page ids. A batch is folded into its day's
//! [`DayTally`] as it arrives ([`DayTally::add`]); days add up ([`DayTally::merge`]) into
//! whatever period a report covers.
//!
//! A query counts once per page (the widget's [`super::Recorder`] reports each query once
//! per page), so a query's count is the number of pages that searched it, and reports show
//! it only from [`MIN_PAGES`] pages up ([`DayTally::shown_queries`]): no single customer's
//! words reach a report.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::guide::Outcome;
use crate::triage::Severity;

use super::model::{Batch, Insight};

/// Fewest pages that must have searched a query before a report shows it (k-anonymity);
/// a kb's config may ask for more.
pub const MIN_PAGES: u64 = 5;

/// One day's counts. Every field has a default, so a tally kept before a counter was
/// added still reads (and an empty `{}` is an empty day).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DayTally {
    pub searches: u64,
    pub searches_without_results: u64,
    /// Fixes that worked, in the widget: with `escalated`, the deflection rate.
    pub resolved: u64,
    /// Times a customer chose to contact support.
    pub escalated: u64,
    pub tickets_critical: u64,
    pub tickets_minor: u64,
    /// By the query's key ([`super::SearchedFor::key`]).
    pub queries: BTreeMap<String, QueryTally>,
    /// By article id.
    pub articles: BTreeMap<String, ArticleTally>,
}

/// One query's counts: pages that searched it, how many of those saw no result, how
/// many then contacted support, and which articles then fixed the problem (what
/// `fixpath build --insights` learns phrasings from).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueryTally {
    pub pages: u64,
    pub without_results: u64,
    pub escalated: u64,
    /// By article id: times it fixed the problem after this search.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub resolved_by: BTreeMap<String, u64>,
}

/// One article's counts, and its guide's, step by step (by step title).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArticleTally {
    pub opened: u64,
    pub resolved: u64,
    pub escalated: u64,
    pub steps: BTreeMap<String, StepTally>,
}

/// How customers answered one guide step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepTally {
    pub fixed: u64,
    pub didnt_help: u64,
    pub cant_do: u64,
    pub answered: u64,
}

/// The UTC day (`2026-11-30`) a batch received at `ms` (since the epoch) counts for.
pub fn day_of(ms: i64) -> String {
    let epoch = crate::hours::Date {
        year: 1970,
        month: 1,
        day: 1,
    };
    let d = crate::hours::add_days(epoch, ms.div_euclid(86_400_000));
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

impl StepTally {
    /// Answers that did not fix the problem: where customers give up.
    pub fn failed(&self) -> u64 {
        self.didnt_help + self.cant_do
    }
}

impl DayTally {
    /// Counts `batch` (checked by the receiver). An escalation, or a fix, is put down to
    /// the query the page searched last before it, if that is in the same batch.
    pub fn add(&mut self, batch: &Batch) {
        let mut last_query: Option<String> = None;
        for insight in &batch.insights {
            match insight {
                Insight::Search { query, results } => {
                    let key = query.key();
                    let tally = self.queries.entry(key.clone()).or_default();
                    tally.pages += 1;
                    self.searches += 1;
                    if *results == 0 {
                        tally.without_results += 1;
                        self.searches_without_results += 1;
                    }
                    last_query = Some(key);
                }
                Insight::Opened { article, .. } => self.article(article).opened += 1,
                Insight::Step {
                    article,
                    step,
                    outcome,
                } => {
                    let step = step.clone().unwrap_or_default();
                    let tally = self.article(article).steps.entry(step).or_default();
                    *match outcome {
                        Outcome::Fixed => &mut tally.fixed,
                        Outcome::DidntHelp => &mut tally.didnt_help,
                        Outcome::CantDo => &mut tally.cant_do,
                        Outcome::Answered => &mut tally.answered,
                    } += 1;
                }
                Insight::Resolved { article } => {
                    self.resolved += 1;
                    self.article(article).resolved += 1;
                    if let Some(query) = last_query.take() {
                        let query = self.queries.entry(query).or_default();
                        *query.resolved_by.entry(article.clone()).or_default() += 1;
                    }
                }
                Insight::Escalated { article, .. } => {
                    self.escalated += 1;
                    if let Some(article) = article {
                        self.article(article).escalated += 1;
                    }
                    if let Some(query) = last_query.take() {
                        self.queries.entry(query).or_default().escalated += 1;
                    }
                }
                Insight::TicketSent { severity } => match severity {
                    Severity::Critical => self.tickets_critical += 1,
                    Severity::Minor => self.tickets_minor += 1,
                },
            }
        }
    }

    fn article(&mut self, id: &str) -> &mut ArticleTally {
        self.articles.entry(id.to_string()).or_default()
    }

    /// Adds `other` (another day, or the same day from another relay worker).
    pub fn merge(&mut self, other: &DayTally) {
        self.searches += other.searches;
        self.searches_without_results += other.searches_without_results;
        self.resolved += other.resolved;
        self.escalated += other.escalated;
        self.tickets_critical += other.tickets_critical;
        self.tickets_minor += other.tickets_minor;
        for (key, q) in &other.queries {
            let mine = self.queries.entry(key.clone()).or_default();
            mine.pages += q.pages;
            mine.without_results += q.without_results;
            mine.escalated += q.escalated;
            for (article, n) in &q.resolved_by {
                *mine.resolved_by.entry(article.clone()).or_default() += n;
            }
        }
        for (id, a) in &other.articles {
            let mine = self.article(id);
            mine.opened += a.opened;
            mine.resolved += a.resolved;
            mine.escalated += a.escalated;
            for (step, s) in &a.steps {
                let tally = mine.steps.entry(step.clone()).or_default();
                tally.fixed += s.fixed;
                tally.didnt_help += s.didnt_help;
                tally.cant_do += s.cant_do;
                tally.answered += s.answered;
            }
        }
    }

    /// Share of the times customers either fixed their problem in the widget or contacted
    /// support in which they fixed it; `None` before either happened.
    pub fn deflection(&self) -> Option<f64> {
        let decided = self.resolved + self.escalated;
        (decided > 0).then(|| self.resolved as f64 / decided as f64)
    }

    /// The queries a report may show: searched on at least `min_pages` pages (never fewer
    /// than [`MIN_PAGES`]), most searched first.
    pub fn shown_queries(&self, min_pages: u64) -> Vec<(&str, &QueryTally)> {
        let k = min_pages.max(MIN_PAGES);
        let mut shown: Vec<(&str, &QueryTally)> = self
            .queries
            .iter()
            .filter(|(_, q)| q.pages >= k)
            .map(|(key, q)| (key.as_str(), q))
            .collect();
        shown.sort_by(|a, b| b.1.pages.cmp(&a.1.pages).then(a.0.cmp(b.0)));
        shown
    }
}

/// `days` as they may leave the relay (an export, `fixpath insights`, `fixpath build
/// --insights`): every query searched on fewer than `min_pages` pages over these days
/// (never fewer than [`MIN_PAGES`]) taken out of each day, its counts kept in the day's
/// totals.
pub fn k_anonymous(days: &[(String, DayTally)], min_pages: u64) -> Vec<(String, DayTally)> {
    let mut period = DayTally::default();
    for (_, day) in days {
        period.merge(day);
    }
    let shown: std::collections::BTreeSet<&str> = period
        .shown_queries(min_pages)
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    days.iter()
        .map(|(day, tally)| {
            let mut tally = tally.clone();
            tally.queries.retain(|key, _| shown.contains(key.as_str()));
            (day.clone(), tally)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::test_pages::{page, search};

    #[test]
    fn a_journey_adds_up_per_query_article_and_step() {
        let mut day = DayTally::default();
        day.add(&page(vec![
            search("printer offline", 3),
            Insight::Opened {
                article: "p.md".into(),
                position: Some(1),
            },
            Insight::Step {
                article: "p.md".into(),
                step: Some("Restart".into()),
                outcome: Outcome::DidntHelp,
            },
            Insight::Escalated {
                article: Some("p.md".into()),
                steps_tried: 1,
            },
            Insight::TicketSent {
                severity: Severity::Critical,
            },
        ]));
        day.add(&page(vec![
            search("printer offline", 3),
            Insight::Step {
                article: "p.md".into(),
                step: Some("Restart".into()),
                outcome: Outcome::Fixed,
            },
            Insight::Resolved {
                article: "p.md".into(),
            },
            search("scanner smells", 0),
        ]));
        assert_eq!((day.searches, day.searches_without_results), (3, 1));
        assert_eq!(day.deflection(), Some(0.5));
        assert_eq!((day.tickets_critical, day.tickets_minor), (1, 0));
        let q = &day.queries["printer offline"];
        assert_eq!((q.pages, q.without_results, q.escalated), (2, 0, 1));
        assert_eq!(
            q.resolved_by["p.md"], 1,
            "the second page's search, fixed by p.md"
        );
        assert_eq!(day.queries["scanner smells"].without_results, 1);
        let p = &day.articles["p.md"];
        assert_eq!((p.opened, p.resolved, p.escalated), (1, 1, 1));
        let restart = &p.steps["Restart"];
        assert_eq!((restart.fixed, restart.failed()), (1, 1));
    }

    #[test]
    fn a_batch_counts_for_its_utc_day() {
        assert_eq!(day_of(0), "1970-01-01");
        assert_eq!(day_of(1_796_083_199_000), "2026-11-30");
        assert_eq!(day_of(1_796_083_200_000), "2026-12-01");
    }

    #[test]
    fn days_merge_into_a_period() {
        let mut a = DayTally::default();
        a.add(&page(vec![
            search("wifi", 1),
            Insight::Resolved {
                article: "w.md".into(),
            },
        ]));
        let mut b = a.clone();
        b.merge(&a);
        assert_eq!(b.searches, 2);
        assert_eq!(b.queries["wifi"].pages, 2);
        assert_eq!(b.articles["w.md"].resolved, 2);
        assert_eq!(DayTally::default().deflection(), None);
    }

    #[test]
    fn reports_show_a_query_only_once_enough_pages_searched_it() {
        let mut day = DayTally::default();
        for i in 0..MIN_PAGES {
            day.add(&page(vec![search("printer offline", 2)]));
            if i < 2 {
                day.add(&page(vec![search("my name is jane", 0)]));
            }
        }
        let shown: Vec<&str> = day.shown_queries(0).iter().map(|(k, _)| *k).collect();
        assert_eq!(shown, ["printer offline"], "a kb cannot go below the floor");
        assert!(day.shown_queries(MIN_PAGES + 1).is_empty());
        // Exports keep the counts, not the words.
        let exported = k_anonymous(&[("2026-11-30".into(), day.clone())], 0);
        let kept: Vec<&String> = exported[0].1.queries.keys().collect();
        assert_eq!(kept, ["printer offline"]);
        assert_eq!(exported[0].1.searches, day.searches);
    }
}
