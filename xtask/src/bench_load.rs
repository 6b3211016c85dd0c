//! `cargo xtask bench load`: from page load to the first result in headless Chromium —
//! the bytes it cost on the wire and the time it took, unthrottled and on a slow link —
//! Fixpath's widget against Pagefind's own UI over the eval kit's articles, same server,
//! cold caches (`xtask/bench/first-result.mjs`), and Fixpath on the 20 000-article kb.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::bench::{install_peers, write_section};
use crate::eval_kit::EvalKit;
use crate::{cargo, run, target_dir};

pub fn load(root: &Path, kit: EvalKit) -> Result<()> {
    let chromium = crate::setup::ensure_chromium()?.with_file_name("chromium");
    crate::widget::build(root)?;
    run(cargo(root).args(["build", "-q", "--release", "-p", "fixpath-indexer"]))?;
    let target = target_dir(root);
    let fixpath = target.join("release").join("fixpath");
    let out = target.join("bench").join("load");
    std::fs::create_dir_all(&out)?;
    let eval_help = out.join("eval");
    kit.build_bundle(&fixpath, &eval_help)?;
    let large_kb = crate::bench_build::synthetic_kb(
        &kit,
        &target.join("bench").join("build").join("synthetic-kb"),
    )?;
    let large_help = out.join("large");
    let built = Command::new(&fixpath)
        .arg("build")
        .arg(&large_kb)
        .arg("--out")
        .arg(&large_help)
        .output()?;
    anyhow::ensure!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let docs = out.join("docs.jsonl");
    kit.export_text(&fixpath, &docs)?;
    let peers = install_peers(root, &target)?;
    let results = out.join("first-result.json");
    run(Command::new("node")
        .arg(peers.join("first-result.mjs"))
        .arg(&results)
        .arg(&chromium)
        .arg(&docs)
        .arg(&kit.queries)
        .arg(&eval_help)
        .arg(&large_help))?;
    let results: serde_json::Value = serde_json::from_slice(&std::fs::read(&results)?)?;
    let runs = results["runs"].as_array().context("runs")?;
    let median = |engine: &str, kb: &str, link: &str, field: &str| -> Option<f64> {
        let mut values: Vec<f64> = runs
            .iter()
            .filter(|r| r["engine"] == engine && r["kb"] == kb && r["link"] == link)
            .filter_map(|r| r[field].as_f64())
            .collect();
        values.sort_by(f64::total_cmp);
        (!values.is_empty()).then(|| values[values.len() / 2])
    };
    let kib = |bytes: Option<f64>| bytes.map_or("–".into(), |b| format!("{:.1}", b / 1024.0));
    let secs = |ms: Option<f64>| ms.map_or("–".into(), |ms| format!("{:.2}", ms / 1000.0));
    let answered = format!(
        "Pagefind shows a result only when one article holds every word of the query; it\n\
         answers {} of the {} dev queries, and the five timed are spread over those.",
        results["answered"], results["of"]
    );
    let mut s = format!(
        "## First result: bytes and time from page load (headless Chromium)\n\n\
         `cargo xtask bench load`: a page with only the search UI, loaded cold (new browser\n\
         context) from one local server that answers everything brotli-compressed (quality 11)\n\
         and throttles at the server, so the requests Pagefind makes from its Web Worker are\n\
         slowed like the page's: the slow link is 1.6 Mbps shared by all responses, with\n\
         150 ms before each response starts. A probe types the query as soon as the search box\n\
         exists; time is `performance.now()` when the first result is in the DOM; bytes are what\n\
         the server sent for requests made before it (Fixpath's second piece — guides, form —\n\
         is fetched once results show; it counts if it was requested before the query's own\n\
         files were all in). Five dev queries, three cold loads\n\
         each: medians over the 15 loads. Pagefind 1.6.0's Default UI, `debounceTimeoutMs: 0`\n\
         (its default waits 300 ms after typing). Budgets: eval-kb first result ≤ 180 KB;\n\
         20 000 articles ≤ 300 KB. {answered}\n\n\
         | kb | engine | KB before the first result | s, unthrottled | s, 1.6 Mbps + 150 ms |\n\
         |---|---|---|---|---|\n",
    );
    for (kb, label) in [
        ("eval-kb", "eval-kb (430 articles)"),
        ("large", "20 000 articles"),
    ] {
        for engine in ["fixpath", "pagefind"] {
            let bytes = median(engine, kb, "unthrottled", "bytes");
            if bytes.is_none() {
                continue;
            }
            s.push_str(&format!(
                "| {label} | {engine} | {} | {} | {} |\n",
                kib(bytes),
                secs(median(engine, kb, "unthrottled", "ms")),
                secs(median(engine, kb, "slow", "ms")),
            ));
        }
    }
    let ratio = |field: &str, link: &str| -> String {
        match (
            median("fixpath", "eval-kb", link, field),
            median("pagefind", "eval-kb", link, field),
        ) {
            (Some(f), Some(p)) if p > 0.0 => format!("{:.2}", f / p),
            _ => "–".into(),
        }
    };
    s.push_str(&format!(
        "\nFixpath ÷ Pagefind on eval-kb: bytes {}, time unthrottled {}, time on the slow link {}.\n",
        ratio("bytes", "unthrottled"),
        ratio("ms", "unthrottled"),
        ratio("ms", "slow"),
    ));
    println!("\n{s}");
    write_section(&root.join("BENCHMARKS.md"), "load", &s)?;
    println!("wrote the load section of BENCHMARKS.md");
    Ok(())
}
