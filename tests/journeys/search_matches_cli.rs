//! The widget answers from the same engine and bundle as the CLI: typed into the widget in
//! headless Chromium, every dev query of the eval kit (430 real articles) gets the same top
//! result as `fixpath search`.
//!
//! `cargo xtask test` prepares the fixtures when the eval kit is there: FIXPATH_EVAL_BUNDLE
//! (the eval kit's bundle), FIXPATH_EVAL_CLI_RUN (the CLI's answers) and
//! FIXPATH_EVAL_QUERIES. Without the kit (a plain clone) it says so and this is skipped.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use fixpath_e2e::widget_page::WidgetPage;
use fixpath_e2e::Harness;
use serde_json::Value;

fn fixture(var: &str) -> Result<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .with_context(|| format!("{var} is not set: run this through `cargo xtask test`"))
}

fn read_jsonl(path: &PathBuf) -> Result<Vec<Value>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Ok(serde_json::from_str(l)?))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widget_ranks_every_dev_query_like_the_cli() -> Result<()> {
    if std::env::var_os("FIXPATH_EVAL_BUNDLE").is_none() {
        eprintln!("skipped: no eval kit (cargo xtask test names it when it is there)");
        return Ok(());
    }
    let queries = read_jsonl(&fixture("FIXPATH_EVAL_QUERIES")?)?;
    let cli: HashMap<String, String> = read_jsonl(&fixture("FIXPATH_EVAL_CLI_RUN")?)?
        .into_iter()
        .filter_map(|r| {
            Some((
                r["id"].as_str()?.to_string(),
                r["results"][0].as_str()?.to_string(),
            ))
        })
        .collect();
    assert_eq!(cli.len(), queries.len(), "the CLI answered every query");

    Harness::run(
        Some(fixture("FIXPATH_EVAL_BUNDLE")?),
        async |harness: &Harness| {
            let mismatches = compare(harness, &queries, &cli).await?;
            assert!(
                mismatches.is_empty(),
                "widget and CLI disagree on:\n{}",
                mismatches.join("\n")
            );
            Ok(())
        },
    )
    .await
}

/// Types each query and returns the ones whose top result differs from the CLI's.
async fn compare(
    harness: &Harness,
    queries: &[Value],
    cli: &HashMap<String, String>,
) -> Result<Vec<String>> {
    let page = WidgetPage::open(&harness.client, &harness.base_url).await?;
    let mut mismatches = Vec::new();
    for q in queries {
        let (id, text) = (
            q["id"].as_str().context("query id")?,
            q["q"].as_str().context("query text")?,
        );
        let input = page.get("query").await?;
        input.clear().await?;
        input.send_keys(text).await?;
        let expected = &cli[id];
        // Results follow the input; wait (bounded) for them to settle on the full query.
        let deadline = Instant::now() + Duration::from_secs(5);
        let shown = loop {
            // The list is re-rendered as posting shards arrive: an element read a moment
            // after it was replaced is stale, which only means "look again".
            let first = match page.all("result").await?.into_iter().next() {
                Some(e) => e
                    .attr("data-article")
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
                None => String::new(),
            };
            if &first == expected || Instant::now() > deadline {
                break first;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        if &shown != expected {
            mismatches.push(format!("{id} {text:?}: widget {shown:?}, CLI {expected:?}"));
        }
    }
    page.check_accessibility("results from the eval kit")
        .await?;
    Ok(mismatches)
}
