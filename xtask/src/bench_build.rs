//! `cargo xtask bench build`: how long `fixpath build` takes (release binary) on the eval
//! kit, against its peers indexing the same articles in the same run, and on a synthetic
//! kb of 20 000 articles, with what that kb's widget fetches before its first result.
//! Budgets (BRIEF §8): eval-kb ≤ 2 s; 20 000 articles ≤ 60 s and first result ≤ 300 KB.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::bench::{first_result_index, install_peers, published_widget_files, write_section};
use crate::eval_kit::EvalKit;
use crate::{cargo, run, target_dir};

/// Articles in the synthetic kb.
const SYNTHETIC_ARTICLES: usize = 20_000;

pub fn build(root: &Path, kit: EvalKit) -> Result<()> {
    crate::widget::build(root)?;
    let target = target_dir(root);
    let out = target.join("bench").join("build");
    std::fs::create_dir_all(&out)?;
    run(cargo(root).args(["build", "-q", "--release", "-p", "fixpath-indexer"]))?;
    let fixpath = target.join("release").join("fixpath");

    println!("== fixpath build eval-kb, 5 runs");
    let eval_kb = out.join("eval-kb");
    let eval_ms = median_ms(5, || kit.build_bundle(&fixpath, &eval_kb).map(drop))?;

    println!("== peers indexing the same articles, 3 runs each");
    let docs = out.join("docs.jsonl");
    kit.export_text(&fixpath, &docs)?;
    let peers = install_peers(root, &target)?;
    run(Command::new("node")
        .arg(peers.join("peers.mjs"))
        .arg(&docs)
        .arg(&kit.queries)
        .arg(&out)
        .arg("/usr/bin/chromium")
        .arg("build-times"))?;
    let peer_times: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("build-times.json"))?)?;

    println!("== fixpath build of {SYNTHETIC_ARTICLES} articles, 3 runs");
    let synthetic = synthetic_kb(&kit, &out.join("synthetic-kb"))?;
    let synthetic_out = out.join("synthetic-bundle");
    let synthetic_ms = median_ms(3, || {
        let output = Command::new(&fixpath)
            .arg("build")
            .arg(&synthetic)
            .arg("--out")
            .arg(&synthetic_out)
            .output()
            .context("running fixpath build")?;
        if !output.status.success() {
            bail!("{}", String::from_utf8_lossy(&output.stderr));
        }
        Ok(())
    })?;
    let widget_br: usize = published_widget_files(&synthetic_out)?
        .iter()
        .map(|f| crate::widget::brotli_len(&std::fs::read(f)?))
        .sum::<Result<usize>>()?;
    let (head, (shards, files), _) = first_result_index(&synthetic_out.join("kb"), &kit.queries)?;
    let first_result = widget_br + head + shards;

    let mut s = format!(
        "## Build time\n\n\
         `cargo xtask bench build`: `fixpath build` (release) wall time, median of 5 runs on\n\
         eval-kb (430 articles) and of 3 on a synthetic kb of {SYNTHETIC_ARTICLES} articles (eval-kb's copied\n\
         47 times, each copy with its own product name). It includes parsing, sanitizing,\n\
         tantivy, writing the help folder (widget and bundle) and the brotli estimate of the\n         summary. Peers build (and\n\
         serialize, or write) their index of the same article text in Node, median of 3.\n\
         Budgets (BRIEF §8): eval-kb ≤ 2 s; {SYNTHETIC_ARTICLES} articles ≤ 60 s, first result ≤ 300 KB.\n\n\
         | indexer | eval-kb, ms |\n|---|---|\n| fixpath | {eval_ms:.0} |\n"
    );
    for (peer, ms) in peer_times.as_object().into_iter().flatten() {
        s.push_str(&format!(
            "| {peer} | {:.0} |\n",
            ms.as_f64().unwrap_or(f64::NAN)
        ));
    }
    s.push_str(&format!(
        "\n{SYNTHETIC_ARTICLES} articles: {:.1} s; first result {first_result} bytes brotli \
         (widget {widget_br} + manifest and index {head} + {files} dictionary, posting and article shards {shards} \
         for the median dev query): {}.\n",
        synthetic_ms / 1000.0,
        if first_result <= 300 * 1024 {
            "within 300 KB"
        } else {
            "**over 300 KB**"
        }
    ));
    println!("\n{s}");
    write_section(&root.join("BENCHMARKS.md"), "build", &s)?;
    println!("wrote the build section of BENCHMARKS.md");
    Ok(())
}

/// Median wall time of `runs` calls of `f`, in ms.
fn median_ms(runs: usize, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    let mut ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f()?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    Ok(ms[runs / 2])
}

/// Writes (once) the synthetic kb: the eval kit's articles copied until there are
/// [`SYNTHETIC_ARTICLES`], each copy in its own folder with its own product name in every
/// article, so the dictionary grows a little as a real kb's would.
pub(crate) fn synthetic_kb(kit: &EvalKit, dir: &Path) -> Result<PathBuf> {
    let done = dir.join(".complete");
    if done.exists() {
        return Ok(dir.to_path_buf());
    }
    let _ = std::fs::remove_dir_all(dir);
    let articles = kit.article_paths()?;
    let mut written = 0;
    'copies: for copy in 0.. {
        for relative in &articles {
            if written == SYNTHETIC_ARTICLES {
                break 'copies;
            }
            let text = std::fs::read_to_string(kit.dir.join(relative))?;
            let path = dir.join(format!("copy{copy:02}")).join(relative);
            std::fs::create_dir_all(path.parent().context("article path")?)?;
            std::fs::write(&path, format!("{text}\n\nApplies to Product{copy:02}.\n"))?;
            written += 1;
        }
    }
    std::fs::write(&done, "")?;
    Ok(dir.to_path_buf())
}
