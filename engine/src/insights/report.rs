//! [`Report`]: what support and docs teams read of a period's tallies — the deflection
//! rate, per day and overall; the top searches; content gaps (searches with no results,
//! or after which customers still contacted support); the guides that fail, with the step
//! where most give up; tickets per day by severity — and its tables as CSV.
//!
//! Every query row is k-anonymous: a query appears only once [`Report::min_pages`] pages
//! searched it over the period ([`DayTally::shown_queries`]); the rest are counted in
//! [`Report::hidden_queries`], never named. The relay's pages and `fixpath insights` both
//! render this, so what one shows the other shows.

use super::tally::{DayTally, QueryTally, MIN_PAGES};

/// Most rows in a query table.
pub const QUERY_ROWS: usize = 20;

/// A period's insights, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// First and last day covered (`2026-11-30`); empty when nothing was counted.
    pub from: String,
    pub to: String,
    /// The k of k-anonymity used: never below [`MIN_PAGES`].
    pub min_pages: u64,
    pub days: Vec<DayRow>,
    /// The whole period.
    pub total: DayRow,
    pub top_searches: Vec<QueryRow>,
    /// Searches with no results, or after which customers contacted support: most
    /// failed first.
    pub content_gaps: Vec<QueryRow>,
    /// Articles customers opened or tried, those that fail most first.
    pub guides: Vec<GuideRow>,
    /// Distinct queries left out because too few pages searched them.
    pub hidden_queries: usize,
}

/// One day's (or the period's) headline counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayRow {
    pub day: String,
    pub searches: u64,
    pub searches_without_results: u64,
    pub resolved: u64,
    pub escalated: u64,
    pub tickets_critical: u64,
    pub tickets_minor: u64,
}

impl DayRow {
    fn of(day: &str, tally: &DayTally) -> DayRow {
        DayRow {
            day: day.to_string(),
            searches: tally.searches,
            searches_without_results: tally.searches_without_results,
            resolved: tally.resolved,
            escalated: tally.escalated,
            tickets_critical: tally.tickets_critical,
            tickets_minor: tally.tickets_minor,
        }
    }

    /// Of the times customers fixed their problem in the widget or contacted support, the
    /// share they fixed it; `None` before either happened.
    pub fn deflection(&self) -> Option<f64> {
        rate(self.resolved, self.resolved + self.escalated)
    }
}

/// One query: pages that searched it, how many saw no result, how many then contacted
/// support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryRow {
    pub query: String,
    pub pages: u64,
    pub without_results: u64,
    pub escalated: u64,
}

/// One article: how often it was opened, fixed the problem, or was left for support, and
/// the guide step most answered "didn't help" or "can't do".
#[derive(Debug, Clone, PartialEq)]
pub struct GuideRow {
    pub article: String,
    pub opened: u64,
    pub resolved: u64,
    pub escalated: u64,
    /// The step where most gave up, and how many did.
    pub give_up_step: Option<(String, u64)>,
}

impl GuideRow {
    /// Of the customers who finished with it, the share it helped.
    pub fn resolution(&self) -> Option<f64> {
        rate(self.resolved, self.resolved + self.escalated)
    }
}

fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Report {
    /// The report over `days` (each a day and its tally, any order), showing a query only
    /// from `min_pages` pages up (never below [`MIN_PAGES`]).
    pub fn new(days: &[(String, DayTally)], min_pages: u64) -> Report {
        let mut days: Vec<&(String, DayTally)> = days.iter().collect();
        days.sort_by(|a, b| a.0.cmp(&b.0));
        let mut period = DayTally::default();
        for (_, tally) in &days {
            period.merge(tally);
        }
        let min_pages = min_pages.max(MIN_PAGES);
        let shown = period.shown_queries(min_pages);
        let row = |(query, q): &(&str, &QueryTally)| QueryRow {
            query: query.to_string(),
            pages: q.pages,
            without_results: q.without_results,
            escalated: q.escalated,
        };
        let top_searches: Vec<QueryRow> = shown.iter().take(QUERY_ROWS).map(row).collect();
        let mut content_gaps: Vec<QueryRow> = shown
            .iter()
            .map(row)
            .filter(|q| q.without_results + q.escalated > 0)
            .collect();
        content_gaps.sort_by(|a, b| {
            (b.without_results + b.escalated)
                .cmp(&(a.without_results + a.escalated))
                .then(b.pages.cmp(&a.pages))
                .then(a.query.cmp(&b.query))
        });
        content_gaps.truncate(QUERY_ROWS);
        let mut guides: Vec<GuideRow> = period
            .articles
            .iter()
            .map(|(article, a)| GuideRow {
                article: article.clone(),
                opened: a.opened,
                resolved: a.resolved,
                escalated: a.escalated,
                give_up_step: a
                    .steps
                    .iter()
                    .filter(|(_, s)| s.failed() > 0)
                    .max_by(|x, y| x.1.failed().cmp(&y.1.failed()).then(y.0.cmp(x.0)))
                    .map(|(step, s)| (step.clone(), s.failed())),
            })
            .collect();
        // Those that fail most first: more escalations, then a lower resolution rate.
        guides.sort_by(|a, b| {
            b.escalated
                .cmp(&a.escalated)
                .then(
                    a.resolution()
                        .unwrap_or(1.0)
                        .total_cmp(&b.resolution().unwrap_or(1.0)),
                )
                .then(b.opened.cmp(&a.opened))
                .then(a.article.cmp(&b.article))
        });
        Report {
            from: days.first().map(|d| d.0.clone()).unwrap_or_default(),
            to: days.last().map(|d| d.0.clone()).unwrap_or_default(),
            min_pages,
            total: DayRow::of("total", &period),
            days: days.iter().map(|(day, t)| DayRow::of(day, t)).collect(),
            top_searches,
            content_gaps,
            guides,
            hidden_queries: period.queries.len() - shown.len(),
        }
    }

    /// "A search is shown once 5 pages made it; 3 others were counted but are not shown."
    pub fn hidden_note(&self) -> String {
        let others = match self.hidden_queries {
            0 => "no other was left out".to_string(),
            1 => "1 other was counted but is not shown".to_string(),
            n => format!("{n} others were counted but are not shown"),
        };
        format!(
            "A search is shown once {} pages made it; {others}.",
            self.min_pages
        )
    }

    /// A table as CSV (RFC 4180), with a header row.
    pub fn csv(&self, table: Table) -> String {
        let mut rows: Vec<Vec<String>> = Vec::new();
        match table {
            Table::Days => {
                rows.push(
                    [
                        "day",
                        "searches",
                        "searches_without_results",
                        "resolved",
                        "escalated",
                        "deflection",
                        "tickets_critical",
                        "tickets_minor",
                    ]
                    .map(String::from)
                    .to_vec(),
                );
                for d in &self.days {
                    rows.push(vec![
                        d.day.clone(),
                        d.searches.to_string(),
                        d.searches_without_results.to_string(),
                        d.resolved.to_string(),
                        d.escalated.to_string(),
                        d.deflection().map_or(String::new(), |r| format!("{r:.3}")),
                        d.tickets_critical.to_string(),
                        d.tickets_minor.to_string(),
                    ]);
                }
            }
            Table::Searches | Table::ContentGaps => {
                rows.push(
                    ["query", "pages", "without_results", "escalated"]
                        .map(String::from)
                        .to_vec(),
                );
                let queries = match table {
                    Table::Searches => &self.top_searches,
                    _ => &self.content_gaps,
                };
                for q in queries {
                    rows.push(vec![
                        q.query.clone(),
                        q.pages.to_string(),
                        q.without_results.to_string(),
                        q.escalated.to_string(),
                    ]);
                }
            }
            Table::Guides => {
                rows.push(
                    [
                        "article",
                        "opened",
                        "resolved",
                        "escalated",
                        "resolution",
                        "give_up_step",
                        "gave_up_there",
                    ]
                    .map(String::from)
                    .to_vec(),
                );
                for g in &self.guides {
                    let (step, failed) = g
                        .give_up_step
                        .as_ref()
                        .map_or((String::new(), String::new()), |(s, n)| {
                            (s.clone(), n.to_string())
                        });
                    rows.push(vec![
                        g.article.clone(),
                        g.opened.to_string(),
                        g.resolved.to_string(),
                        g.escalated.to_string(),
                        g.resolution().map_or(String::new(), |r| format!("{r:.3}")),
                        step,
                        failed,
                    ]);
                }
            }
        }
        rows.iter()
            .map(|row| {
                let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
                cells.join(",") + "\r\n"
            })
            .collect()
    }
}

/// The report's tables, as exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Days,
    Searches,
    ContentGaps,
    Guides,
}

impl Table {
    pub const ALL: [Table; 4] = [
        Table::Days,
        Table::Searches,
        Table::ContentGaps,
        Table::Guides,
    ];

    /// Its name in a file name or address (`searches.csv`).
    pub fn name(self) -> &'static str {
        match self {
            Table::Days => "days",
            Table::Searches => "searches",
            Table::ContentGaps => "content-gaps",
            Table::Guides => "guides",
        }
    }

    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// One CSV cell: quoted when it holds a comma, quote or line break. A cell a spreadsheet
/// would take for a formula (`=`, `+`, `-`, `@` first: a customer's query can be anything)
/// is prefixed with `'`, so opening an export never runs one.
fn csv_cell(cell: &str) -> String {
    let cell = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::Outcome;
    use crate::insights::test_pages::{page, search};
    use crate::insights::Insight;
    use crate::triage::Severity;

    fn step(article: &str, step: &str, outcome: Outcome) -> Insight {
        Insight::Step {
            article: article.into(),
            step: Some(step.into()),
            outcome,
        }
    }

    /// Two days: "printer offline" searched on 6 pages and fixed by its guide 4 times;
    /// "scanner" on 5 pages with no results, 2 of them writing tickets; one customer's own
    /// sentence once.
    fn two_days() -> Vec<(String, DayTally)> {
        let mut monday = DayTally::default();
        let mut tuesday = DayTally::default();
        for i in 0..6 {
            let day = if i < 3 { &mut monday } else { &mut tuesday };
            let outcome = if i < 4 {
                Outcome::Fixed
            } else {
                Outcome::DidntHelp
            };
            let mut insights = vec![
                search("printer offline", 3),
                step("p.md", "Restart the printer", Outcome::DidntHelp),
                step("p.md", "Reinstall the driver", outcome),
            ];
            insights.push(if outcome == Outcome::Fixed {
                Insight::Resolved {
                    article: "p.md".into(),
                }
            } else {
                Insight::Escalated {
                    article: Some("p.md".into()),
                    steps_tried: 2,
                }
            });
            day.add(&page(insights));
        }
        for i in 0..5 {
            let mut insights = vec![search("scanner", 0)];
            if i < 2 {
                insights.push(Insight::Escalated {
                    article: None,
                    steps_tried: 0,
                });
                insights.push(Insight::TicketSent {
                    severity: Severity::Minor,
                });
            }
            tuesday.add(&page(insights));
        }
        monday.add(&page(vec![search("=my name is jane, acct 55", 0)]));
        vec![
            ("2026-11-24".into(), tuesday),
            ("2026-11-23".into(), monday),
        ]
    }

    #[test]
    fn a_report_adds_days_up_and_names_only_what_enough_pages_searched() {
        let report = Report::new(&two_days(), 0);
        assert_eq!(
            (report.from.as_str(), report.to.as_str()),
            ("2026-11-23", "2026-11-24")
        );
        assert_eq!(report.min_pages, MIN_PAGES, "never below the floor");
        assert_eq!(report.days.len(), 2);
        assert_eq!(report.days[0].day, "2026-11-23");
        assert_eq!((report.total.resolved, report.total.escalated), (4, 4));
        assert_eq!(report.total.deflection(), Some(0.5));
        assert_eq!(report.total.tickets_minor, 2);
        let top: Vec<(&str, u64)> = report
            .top_searches
            .iter()
            .map(|q| (q.query.as_str(), q.pages))
            .collect();
        assert_eq!(top, [("printer offline", 6), ("scanner", 5)]);
        assert_eq!(
            report.hidden_queries, 1,
            "jane's sentence is counted, not shown"
        );
        let gaps: Vec<&str> = report
            .content_gaps
            .iter()
            .map(|q| q.query.as_str())
            .collect();
        assert_eq!(gaps, ["scanner", "printer offline"]);
        let guide = &report.guides[0];
        assert_eq!(guide.article, "p.md");
        assert_eq!(guide.resolution(), Some(4.0 / 6.0));
        assert_eq!(
            guide.give_up_step,
            Some(("Restart the printer".to_string(), 6))
        );
        // With k = 6, "scanner" (5 pages) is hidden too.
        let strict = Report::new(&two_days(), 6);
        assert_eq!(strict.top_searches.len(), 1);
        assert_eq!(strict.hidden_queries, 2);
    }

    #[test]
    fn exports_hold_what_the_report_shows_and_nothing_a_spreadsheet_would_run() {
        let report = Report::new(&two_days(), 0);
        let searches = report.csv(Table::Searches);
        assert_eq!(
            searches,
            "query,pages,without_results,escalated\r\nprinter offline,6,0,2\r\nscanner,5,5,2\r\n"
        );
        let all: String = Table::ALL.iter().map(|t| report.csv(*t)).collect();
        assert!(!all.contains("jane"), "k-anonymous exports too");
        assert!(report
            .csv(Table::Days)
            .contains("2026-11-24,8,5,1,4,0.200,0,2\r\n"));
        assert!(report
            .csv(Table::Guides)
            .contains("p.md,0,4,2,0.667,Restart the printer,6\r\n"));
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("say \"hi\", then"), "\"say \"\"hi\"\", then\"");
        assert_eq!(Table::from_name("content-gaps"), Some(Table::ContentGaps));
    }
}
