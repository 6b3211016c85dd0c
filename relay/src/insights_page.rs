//! An insights [`Report`] as HTML: the headline deflection rate, charts of each day
//! (inline SVG, drawn here: no script, colours from the page's stylesheet, so it works
//! under the strict CSPs of the relay's inbox and the preview), and the tables with their
//! CSV exports. The relay's `/inbox/insights` and `fixpath serve`'s `/__fixpath/insights`
//! both show this. Every query is customer input: it is only ever escaped text here.

use std::collections::BTreeMap;

use fixpath_engine::insights::report::DayRow;
use fixpath_engine::insights::{day_of, k_anonymous, DayTally, Report, Table};

use crate::html::escape;

/// The file every table comes from: `export.json`, the period's tallies by day, queries
/// fewer than `min_pages` pages searched left out ([`k_anonymous`]). `fixpath insights`
/// reports from it, `fixpath build --insights` learns phrasings from it.
pub const EXPORT_FILE: &str = "export.json";

/// The period's tallies as [`EXPORT_FILE`] holds them.
pub fn export(days: &[(String, DayTally)], min_pages: u64) -> String {
    let days: BTreeMap<String, DayTally> = k_anonymous(days, min_pages).into_iter().collect();
    serde_json::to_string_pretty(&days).unwrap_or_default()
}

/// The periods a reader can pick, in days.
pub const PERIODS: [u32; 3] = [7, 30, 90];

/// `?days=N` on a report or an export: one of [`PERIODS`], else 30.
#[derive(serde::Deserialize)]
pub struct Period {
    days: Option<u32>,
}

impl Period {
    pub fn days(&self) -> u32 {
        self.days.filter(|d| PERIODS.contains(d)).unwrap_or(30)
    }

    /// The first and last UTC day (`2026-11-30`) of the period that ends at `now_ms`.
    pub fn range(&self, now_ms: i64) -> (String, String) {
        let first = now_ms - i64::from(self.days() - 1) * 86_400_000;
        (day_of(first), day_of(now_ms))
    }
}

/// One of the report's downloads: what it is, its name stem, its content.
pub struct Download {
    pub content_type: &'static str,
    /// `insights` for the export, the table's name for a CSV.
    pub stem: &'static str,
    pub extension: &'static str,
    pub body: String,
}

/// `file` (`export.json`, or a table's CSV such as `searches.csv`) over `tallies`,
/// k-anonymous from `min_pages`; `None` for any other name.
pub fn download(file: &str, tallies: &[(String, DayTally)], min_pages: u64) -> Option<Download> {
    if file == EXPORT_FILE {
        return Some(Download {
            content_type: "application/json",
            stem: "insights",
            extension: "json",
            body: export(tallies, min_pages),
        });
    }
    let table = file.strip_suffix(".csv").and_then(Table::from_name)?;
    Some(Download {
        content_type: "text/csv; charset=utf-8",
        stem: table.name(),
        extension: "csv",
        body: Report::new(tallies, min_pages).csv(table),
    })
}

/// The report's sections: `page` is where it is served (the tables download from
/// `{page}/searches.csv`), `period` the days covered (links keep it).
pub fn render(report: &Report, page: &str, period: u32) -> String {
    let csv = page;
    let mut out = String::from("<h1>Insights</h1>\n");
    let periods: Vec<String> = PERIODS
        .iter()
        .map(|&days| {
            if days == period {
                format!(r#"<strong aria-current="page">{days} days</strong>"#)
            } else {
                format!(r#"<a href="{page}?days={days}">{days} days</a>"#)
            }
        })
        .collect();
    out.push_str(&format!(
        "<nav class=\"periods\" aria-label=\"Period\">{}</nav>\n",
        periods.join(" · ")
    ));
    if report.days.is_empty() {
        out.push_str("<p data-testid=\"insights-empty\">Nothing counted in this period yet. When the kb turns insights on (<code>[insights] enabled = true</code>), what customers do in the widget is counted here.</p>\n");
        return out;
    }
    out.push_str(&format!(
        "<p class=\"muted\">{} to {}. {}</p>\n",
        escape(&report.from),
        escape(&report.to),
        report.hidden_note()
    ));
    out.push_str(&deflection(report));
    out.push_str(&gaps(report, csv, period));
    out.push_str(&guides(report, csv, period));
    out.push_str(&searches(report, csv, period));
    out.push_str(&tickets(report, csv, period));
    out
}

/// A rate as reports show it (`62 %`), `–` when there is none yet.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or("–".into(), |r| format!("{:.0} %", r * 100.0))
}

fn csv_link(csv: &str, table: Table, period: u32, what: &str) -> String {
    format!(
        "<p><a href=\"{csv}/{}.csv?days={period}\" data-testid=\"csv-{}\">Download {what} as CSV</a></p>\n",
        table.name(),
        table.name()
    )
}

fn deflection(report: &Report) -> String {
    let t = &report.total;
    let bars = day_bars(
        report,
        [("resolved", |d| d.resolved), ("escalated", |d| d.escalated)],
    );
    format!(
        r#"<section aria-labelledby="deflection">
<h2 id="deflection">Deflection</h2>
<p class="headline"><strong data-testid="deflection-rate">{}</strong> of the customers who finished in the widget fixed the problem there: {} fixed it with a guide, {} contacted support.</p>
{}
</section>
"#,
        percent(t.deflection()),
        t.resolved,
        t.escalated,
        chart(
            "chart-deflection",
            "Fixed in the widget and contacted support, per day",
            &[
                ("resolved", "Fixed in the widget"),
                ("escalated", "Contacted support")
            ],
            &bars
        )
    )
}

fn query_table(rows: &[fixpath_engine::insights::report::QueryRow], testid: &str) -> String {
    let mut body = String::new();
    for q in rows {
        body.push_str(&format!(
            "<tr data-testid=\"{testid}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&q.query),
            q.pages,
            q.without_results,
            q.escalated
        ));
    }
    format!(
        "<table>\n<thead><tr><th scope=\"col\">Search</th><th scope=\"col\">Pages</th><th scope=\"col\">No results</th><th scope=\"col\">Then contacted support</th></tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"
    )
}

fn gaps(report: &Report, csv: &str, period: u32) -> String {
    let table = if report.content_gaps.is_empty() {
        "<p>No shown search went without results or ended in a ticket.</p>\n".to_string()
    } else {
        query_table(&report.content_gaps, "gap")
    };
    format!(
        "<section aria-labelledby=\"gaps\">\n<h2 id=\"gaps\">Content gaps</h2>\n<p class=\"muted\">Searches that found nothing, or after which customers still contacted support: what the kb does not answer yet. <code>fixpath new article --from-gap \"…\"</code> starts an article for one.</p>\n{table}{}</section>\n",
        csv_link(csv, Table::ContentGaps, period, "content gaps")
    )
}

fn guides(report: &Report, csv: &str, period: u32) -> String {
    let mut body = String::new();
    for g in &report.guides {
        let gave_up = g
            .give_up_step
            .as_ref()
            .map_or(String::from("–"), |(s, n)| format!("{} ({n})", escape(s)));
        body.push_str(&format!(
            "<tr data-testid=\"guide\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{gave_up}</td></tr>\n",
            escape(&g.article),
            g.opened,
            g.resolved,
            g.escalated,
            percent(g.resolution()),
        ));
    }
    let table = if report.guides.is_empty() {
        "<p>No article was opened in this period.</p>\n".to_string()
    } else {
        format!(
            "<table>\n<thead><tr><th scope=\"col\">Article</th><th scope=\"col\">Opened</th><th scope=\"col\">Fixed it</th><th scope=\"col\">Contacted support</th><th scope=\"col\">Resolution</th><th scope=\"col\">Where most gave up</th></tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"
        )
    };
    format!(
        "<section aria-labelledby=\"guides\">\n<h2 id=\"guides\">Guides, those that fail first</h2>\n{table}{}</section>\n",
        csv_link(csv, Table::Guides, period, "guides")
    )
}

fn searches(report: &Report, csv: &str, period: u32) -> String {
    let all = format!(
        "<p><a href=\"{csv}/{EXPORT_FILE}?days={period}\" data-testid=\"export\">Download every count as JSON</a> (for <code>fixpath insights</code> and <code>fixpath build --insights</code>)</p>\n"
    );
    let table = if report.top_searches.is_empty() {
        format!(
            "<p>No search was made on {} pages yet.</p>\n",
            report.min_pages
        )
    } else {
        query_table(&report.top_searches, "search")
    };
    format!(
        "<section aria-labelledby=\"searches\">\n<h2 id=\"searches\">Top searches</h2>\n<p class=\"muted\">{} searches, {} of them without results.</p>\n{table}{}{all}</section>\n",
        report.total.searches,
        report.total.searches_without_results,
        csv_link(csv, Table::Searches, period, "top searches")
    )
}

fn tickets(report: &Report, csv: &str, period: u32) -> String {
    let bars = day_bars(
        report,
        [
            ("critical", |d| d.tickets_critical),
            ("minor", |d| d.tickets_minor),
        ],
    );
    let mut body = String::new();
    for d in &report.days {
        body.push_str(&format!(
            "<tr data-testid=\"day\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&d.day),
            d.searches,
            d.resolved,
            d.escalated,
            percent(d.deflection()),
            d.tickets_critical,
            d.tickets_minor
        ));
    }
    format!(
        r#"<section aria-labelledby="tickets">
<h2 id="tickets">Tickets per day</h2>
{}
<table>
<thead><tr><th scope="col">Day</th><th scope="col">Searches</th><th scope="col">Fixed in the widget</th><th scope="col">Contacted support</th><th scope="col">Deflection</th><th scope="col">Critical tickets</th><th scope="col">Minor tickets</th></tr></thead>
<tbody>
{body}</tbody>
</table>
{}</section>
"#,
        chart(
            "chart-tickets",
            "Tickets per day, by severity",
            &[("critical", "Critical"), ("minor", "Minor")],
            &bars
        ),
        csv_link(csv, Table::Days, period, "days")
    )
}

/// A chart's bars: per day, each part (its class and count) stacked.
type Bars = Vec<(String, Vec<(&'static str, u64)>)>;
/// One part of each bar: its class, and how to count it from a day.
type Part = (&'static str, fn(&DayRow) -> u64);

fn day_bars(report: &Report, parts: [Part; 2]) -> Bars {
    report
        .days
        .iter()
        .map(|d| {
            let stacked = parts
                .iter()
                .map(|(class, count)| (*class, count(d)))
                .collect();
            (d.day.clone(), stacked)
        })
        .collect()
}

const WIDTH: u32 = 640;
const HEIGHT: u32 = 180;
const AXIS: u32 = 28;

/// A stacked bar per day, with a legend; each bar's parts say their numbers in a
/// `<title>` (a tooltip, and what a screen reader reads).
fn chart(
    id: &str,
    title: &str,
    legend: &[(&str, &str)],
    bars: &[(String, Vec<(&str, u64)>)],
) -> String {
    let max = bars
        .iter()
        .map(|(_, parts)| parts.iter().map(|p| p.1).sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let plot = HEIGHT - AXIS;
    let slot = (WIDTH - AXIS) as f64 / bars.len().max(1) as f64;
    let bar_width = (slot * 0.7).clamp(1.0, 48.0);
    let mut shapes = String::new();
    for (i, (day, parts)) in bars.iter().enumerate() {
        let x = AXIS as f64 + slot * i as f64 + (slot - bar_width) / 2.0;
        let mut top = plot as f64;
        for (class, value) in parts {
            let h = *value as f64 / max as f64 * (plot - 8) as f64;
            top -= h;
            if *value > 0 {
                let label = legend
                    .iter()
                    .find(|l| l.0 == *class)
                    .map_or(*class, |l| l.1);
                shapes.push_str(&format!(
                    "<rect class=\"bar-{class}\" x=\"{x:.1}\" y=\"{top:.1}\" width=\"{bar_width:.1}\" height=\"{h:.1}\"><title>{}: {label} {value}</title></rect>\n",
                    escape(day)
                ));
            }
        }
    }
    let first = bars.first().map_or("", |b| b.0.as_str());
    let last = bars.last().map_or("", |b| b.0.as_str());
    let keys: Vec<String> = legend
        .iter()
        .map(|(class, label)| {
            format!(
                "<span class=\"key\"><span class=\"swatch swatch-{class}\"></span>{label}</span>"
            )
        })
        .collect();
    format!(
        r#"<figure class="chart">
<svg id="{id}" role="img" aria-labelledby="{id}-title" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" preserveAspectRatio="xMinYMin meet">
<title id="{id}-title">{title}</title>
<line class="axis" x1="{AXIS}" y1="{plot}" x2="{WIDTH}" y2="{plot}"/>
<text class="axis-label" x="{}" y="14" text-anchor="end">{max}</text>
<text class="axis-label" x="{}" y="{}" text-anchor="end">0</text>
<text class="axis-label" x="{AXIS}" y="{}">{}</text>
<text class="axis-label" x="{WIDTH}" y="{}" text-anchor="end">{}</text>
{shapes}</svg>
<figcaption>{}</figcaption>
</figure>
"#,
        AXIS - 4,
        AXIS - 4,
        plot,
        HEIGHT - 6,
        escape(first),
        HEIGHT - 6,
        escape(last),
        keys.join(" ")
    )
}

/// The stylesheet rules the charts need, for pages that include them.
pub const CHART_STYLE: &str = r#"
.chart { margin: .5rem 0 1rem; max-width: 48rem; }
.chart svg { display: block; border-bottom: 0; }
.chart .axis { stroke: var(--muted, var(--page-muted)); }
.chart .axis-label { fill: var(--muted, var(--page-muted)); font-size: 12px; }
.bar-resolved, .swatch-resolved { fill: var(--good, #1a7f37); background: var(--good, #1a7f37); }
.bar-escalated, .swatch-escalated { fill: var(--bad, #b42318); background: var(--bad, #b42318); }
.bar-critical, .swatch-critical { fill: var(--bad, #b42318); background: var(--bad, #b42318); }
.bar-minor, .swatch-minor { fill: var(--accent, #0a58ca); background: var(--accent, #0a58ca); }
.key { margin-right: 1rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -.05rem; }
.headline strong { font-size: 1.5rem; }
.periods { margin-bottom: .5rem; }
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use fixpath_engine::insights::{Batch, Insight, SearchedFor};

    #[test]
    fn customers_words_are_escaped_and_named_only_from_five_pages() {
        let mut day = DayTally::default();
        for (query, pages) in [("<script>alert(1)</script>", 5), ("jane's sentence", 1)] {
            for _ in 0..pages {
                day.add(&Batch {
                    page: "0123456789abcdef".into(),
                    insights: vec![Insight::Search {
                        query: SearchedFor::Text(query.into()),
                        results: 0,
                    }],
                });
            }
        }
        let html = render(
            &Report::new(&[("2026-11-30".into(), day)], 5),
            "/inbox/insights",
            30,
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            !html.contains("<script>") && !html.contains("jane"),
            "{html}"
        );
        assert!(html.contains("1 other was counted but is not shown"));
        assert!(html.contains(r#"href="/inbox/insights/content-gaps.csv?days=30""#));
        assert!(html.contains(
            r#"<svg id="chart-deflection" role="img" aria-labelledby="chart-deflection-title""#
        ));
    }
}
