//! `cargo xtask bench learned`: what phrasings learned from insights (`fixpath build
//! --insights`) do to search, on the eval kit.
//!
//! Sessions are simulated from half the queries of each set (alternate queries): each is
//! searched on [`PAGES`] pages — the k-anonymity floor, so it may be learned at all — and
//! as a customer would: if its article is in the top five, they open it and it fixes the
//! problem; if not, they contact support. The insights, as the widget would send them
//! (search terms, not text), go into an export; every query is then searched again with
//! `--insights`, and scored in-sample (its own sessions were simulated: the next customer
//! who puts it the same way) and held out (only the other half's were). Each half takes
//! its turn, so every query is scored once each way. The table replaces its section of
//! `BENCHMARKS.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use fixpath_engine::analyzer::Analyzer;
use fixpath_engine::insights::record::searched_for;
use fixpath_engine::insights::{Batch, DayTally, Insight, MIN_PAGES};

use crate::eval_kit::{capture, EvalKit};
use crate::{cargo, run, target_dir};

/// Pages simulated per query: just enough to be learned.
const PAGES: u64 = MIN_PAGES;

/// A query and the articles that answer it.
struct Query {
    id: String,
    q: String,
    relevant: Vec<String>,
}

fn read_queries(path: &Path) -> Result<Vec<Query>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line)?;
            Ok(Query {
                id: v["id"].as_str().context("a query without id")?.to_string(),
                q: v["q"].as_str().context("a query without q")?.to_string(),
                relevant: v["relevant"]
                    .as_array()
                    .context("a query without relevant")?
                    .iter()
                    .filter_map(|r| r.as_str().map(String::from))
                    .collect(),
            })
        })
        .collect()
}

/// Article ids by query id, from a `fixpath search --format jsonl` run.
fn read_run(path: &Path) -> Result<BTreeMap<String, Vec<String>>> {
    let text = std::fs::read_to_string(path)?;
    text.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line)?;
            let results = v["results"]
                .as_array()
                .context("a run line without results")?
                .iter()
                .filter_map(|r| r.as_str().map(String::from))
                .collect();
            Ok((v["id"].as_str().unwrap_or_default().to_string(), results))
        })
        .collect()
}

/// The 1-based rank of the first relevant article, if any.
fn rank(query: &Query, results: &[String]) -> Option<usize> {
    results
        .iter()
        .position(|r| query.relevant.contains(r))
        .map(|i| i + 1)
}

/// R@1, R@5, MRR@10 over `ranks`.
fn scores(ranks: &[Option<usize>]) -> [f64; 3] {
    let n = ranks.len().max(1) as f64;
    let at = |k: usize| ranks.iter().filter(|r| r.is_some_and(|r| r <= k)).count() as f64 / n;
    let mrr = ranks
        .iter()
        .map(|r| r.filter(|&r| r <= 10).map_or(0.0, |r| 1.0 / r as f64))
        .sum::<f64>()
        / n;
    [at(1), at(5), mrr]
}

/// The export the sessions of `queries` leave, given where each ranked.
fn simulate(queries: &[&Query], baseline: &BTreeMap<String, Vec<String>>) -> DayTally {
    let analyzer = Analyzer::default();
    let mut day = DayTally::default();
    for query in queries {
        let results = baseline.get(&query.id).cloned().unwrap_or_default();
        let found = rank(query, &results)
            .filter(|&r| r <= 5)
            .map(|r| results[r - 1].clone());
        for page in 0..PAGES {
            let mut insights = vec![Insight::Search {
                query: searched_for(&analyzer, &query.q, false),
                results: results.len() as u32,
            }];
            insights.push(match &found {
                Some(article) => Insight::Resolved {
                    article: article.clone(),
                },
                None => Insight::Escalated {
                    article: None,
                    steps_tried: 0,
                },
            });
            day.add(&Batch {
                page: format!("{page:016x}"),
                insights,
            });
        }
    }
    day
}

pub fn learned(root: &Path, kit: EvalKit) -> Result<()> {
    let target = target_dir(root);
    let out = target.join("bench").join("learned");
    std::fs::create_dir_all(&out)?;
    run(cargo(root).args(["build", "-q", "-p", "fixpath-indexer"]))?;
    let fixpath = target.join("debug").join("fixpath");
    let sets: [(&str, PathBuf); 4] = [
        ("dev", kit.queries.clone()),
        ("dev-2", kit.dir.join("queries-dev-2.jsonl")),
        ("dev-hard", kit.dir.join("queries-dev-hard.jsonl")),
        ("extra", root.join("xtask/bench/queries-extra.jsonl")),
    ];
    let mut rows = Vec::new();
    let search = |queries: &Path,
                  insights: Option<&Path>,
                  run: &Path|
     -> Result<BTreeMap<String, Vec<String>>> {
        let mut cmd = Command::new(&fixpath);
        cmd.arg("search").args(kit.kb_args());
        if let Some(insights) = insights {
            cmd.arg("--insights").arg(insights);
        }
        cmd.arg("--queries")
            .arg(queries)
            .args(["--format", "jsonl"]);
        capture(&mut cmd, run)?;
        read_run(run)
    };
    for (name, path) in &sets {
        let queries = read_queries(path)?;
        let baseline = search(path, None, &out.join(format!("{name}-baseline.jsonl")))?;
        let mut in_sample = vec![None; queries.len()];
        let mut held_out = vec![None; queries.len()];
        for half in 0..2 {
            let simulated: Vec<&Query> = queries.iter().skip(half).step_by(2).collect();
            let day = simulate(&simulated, &baseline);
            let export = out.join(format!("{name}-insights-{half}.json"));
            let days: BTreeMap<&str, &DayTally> = [("2026-11-30", &day)].into_iter().collect();
            std::fs::write(&export, serde_json::to_string(&days)?)?;
            let learned = search(
                path,
                Some(&export),
                &out.join(format!("{name}-learned-{half}.jsonl")),
            )?;
            for (i, query) in queries.iter().enumerate() {
                let r = rank(query, learned.get(&query.id).map_or(&[][..], |v| v));
                if i % 2 == half {
                    in_sample[i] = r;
                } else {
                    held_out[i] = r;
                }
            }
        }
        let before: Vec<Option<usize>> = queries
            .iter()
            .map(|q| rank(q, baseline.get(&q.id).map_or(&[][..], |v| v)))
            .collect();
        rows.push((
            name.to_string(),
            queries.len(),
            scores(&before),
            scores(&in_sample),
            scores(&held_out),
        ));
    }
    let cells = |s: [f64; 3]| format!("{:.3} / {:.3} / {:.3}", s[0], s[1], s[2]);
    let mut section = format!(
        "## Learned phrasings (eval-kb)\n\n\
         `cargo xtask bench learned`: sessions simulated from half of each set's queries, {PAGES}\n\
         pages each (the k-anonymity floor); a customer whose article is in the top five opens\n\
         it and is helped, the others contact support. The export (search terms, as the widget\n\
         sends them) is given to `fixpath search --insights`; each query is scored once with\n\
         its own sessions learned (in-sample: the next customer who puts it the same way) and\n\
         once with only the other half's (held out). Cells are R@1 / R@5 / MRR@10.\n\n\
         | set | n | without insights | learned, in-sample | learned, held out |\n|---|---|---|---|---|\n"
    );
    for (name, n, before, inside, held) in &rows {
        section.push_str(&format!(
            "| {name} | {n} | {} | {} | {} |\n",
            cells(*before),
            cells(*inside),
            cells(*held)
        ));
    }
    println!("\n{section}");
    crate::bench::write_section(&root.join("BENCHMARKS.md"), "learned", &section)?;
    println!("wrote the learned section of BENCHMARKS.md");
    Ok(())
}
