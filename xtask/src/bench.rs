//! `cargo xtask bench size|speed`, and what the other benches share: the pinned peers,
//! the published widget's files, `BENCHMARKS.md` sections. (`relevance` is in
//! `bench_relevance`.)

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};
use fixpath_engine::index::{TERMS_PER_DICTIONARY_SHARD, TERMS_PER_SHARD};

use crate::eval_kit::EvalKit;
use crate::{cargo, run, target_dir};

/// What a page fetches of the widget in a published help folder before it can search: the
/// loader and the content-hashed files it names, but not the pieces fetched after the
/// first results.
pub(crate) fn published_widget_files(help: &Path) -> Result<Vec<std::path::PathBuf>> {
    let loader = help.join("fixpath.js");
    let text = std::fs::read_to_string(&loader)
        .with_context(|| format!("reading {}", loader.display()))?;
    let names = fixpath_engine::loader_files::LoaderFiles::from_loader(&text)
        .with_context(|| format!("{} names no widget files", loader.display()))?;
    let mut files = vec![loader];
    files.extend(names.first_load().into_iter().map(|name| help.join(name)));
    Ok(files)
}

/// Installs the pinned peers (`xtask/bench/package.json`) next to `peers.mjs` under the
/// target dir, once; returns that folder.
pub(crate) fn install_peers(root: &Path, target: &Path) -> Result<std::path::PathBuf> {
    let peers = target.join("tools").join("bench-peers");
    std::fs::create_dir_all(&peers)?;
    for entry in std::fs::read_dir(root.join("xtask/bench"))? {
        let file = entry?.path();
        let name = file.file_name().context("file name")?.to_string_lossy();
        if name == "package.json" || name.ends_with(".mjs") {
            std::fs::copy(&file, peers.join(&*name))?;
        }
    }
    let installed = ["pagefind", "lunr-languages"]
        .iter()
        .all(|package| peers.join("node_modules").join(package).exists());
    if !installed {
        run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund"])
            .current_dir(&peers))?;
    }
    Ok(peers)
}

/// Replaces the text between `<!-- bench:NAME -->` markers (or appends it).
pub(crate) fn write_section(path: &Path, name: &str, body: &str) -> Result<()> {
    let (start, end) = (
        format!("<!-- bench:{name} -->"),
        format!("<!-- /bench:{name} -->"),
    );
    let current = std::fs::read_to_string(path).unwrap_or_else(|_| {
        "# Benchmarks\n\nFigures written by `cargo xtask bench`; medians and ratios, peers measured in the same run.\n".into()
    });
    let block = format!("{start}\n{body}{end}");
    let updated = match (current.find(&start), current.find(&end)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{block}{}", &current[..a], &current[b + end.len()..])
        }
        _ => format!("{}\n{block}\n", current.trim_end()),
    };
    std::fs::write(path, updated)?;
    Ok(())
}

/// What the speed and size benchmarks start from, in `target/bench/NAME`: help folders
/// built by `fixpath build` for the demo kb (`demo/`) and the eval kit (`eval/`), the kit's
/// article text (`docs.jsonl`), and the peers installed.
struct EvalRun {
    kit: EvalKit,
    out: std::path::PathBuf,
    peers: std::path::PathBuf,
}

impl EvalRun {
    fn demo_help(&self) -> std::path::PathBuf {
        self.out.join("demo")
    }

    fn eval_help(&self) -> std::path::PathBuf {
        self.out.join("eval")
    }
}

fn prepare_eval_run(root: &Path, kit: EvalKit, name: &str) -> Result<EvalRun> {
    crate::widget::build(root)?;
    run(cargo(root).args(["build", "-q", "-p", "fixpath-indexer"]))?;
    let target = target_dir(root);
    let out = target.join("bench").join(name);
    std::fs::create_dir_all(&out)?;
    let fixpath = target.join("debug").join("fixpath");
    kit.build_bundle(&fixpath, &out.join("eval"))?;
    crate::eval_kit::capture(
        Command::new(&fixpath)
            .arg("build")
            .arg(root.join("kb"))
            .arg("--out")
            .arg(out.join("demo")),
        &out.join("demo-build.txt"),
    )?;
    let docs = out.join("docs.jsonl");
    kit.export_text(&fixpath, &docs)?;
    let peers = install_peers(root, &target)?;
    Ok(EvalRun { kit, out, peers })
}

/// `cargo xtask bench speed`: query time in headless Chromium, Fixpath's engine (wasm, as
/// the widget runs it) and lunr in the same page over the eval kit; medians and p95 of the
/// per-query medians, and their ratio, into BENCHMARKS.md.
pub fn speed(root: &Path, kit: EvalKit) -> Result<()> {
    let chromium = crate::setup::ensure_chromium()?.with_file_name("chromium");
    let bench = prepare_eval_run(root, kit, "speed")?;
    let EvalRun { kit, out, peers } = &bench;

    // The demo page, serving the eval kit's bundle, on a free port for the run's length.
    let runtime = tokio::runtime::Runtime::new()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let url = format!("http://{}/", listener.local_addr()?);
    let tickets = out.join("tickets");
    let _ = std::fs::remove_dir_all(&tickets);
    let store = fixpath_relay::store::TicketStore::open(&tickets)?;
    let site = fixpath_relay::SiteConfig {
        pages: fixpath_relay::Pages::Folder(root.join("demo")),
        help: bench.eval_help(),
        kb: None,
        live: None,
        cross_origin_isolated: true,
        connect_to: Vec::new(),
    };
    let insights = fixpath_relay::preview_insights::InsightsFile::open(&tickets)?;
    let app = fixpath_relay::app(store, insights.into(), Some(site), Default::default());
    runtime.spawn(async move {
        let _ = fixpath_relay::serve(listener, app).await;
    });

    let timings = out.join("timings.json");
    run(Command::new("node")
        .arg(peers.join("speed.mjs"))
        .arg(&url)
        .arg(out.join("docs.jsonl"))
        .arg(&kit.queries)
        .arg(&chromium)
        .arg(&timings))?;
    let timings: serde_json::Value = serde_json::from_slice(&std::fs::read(&timings)?)?;
    let stats = |engine: &str| -> Result<(f64, f64, usize)> {
        let mut ms: Vec<f64> = timings[engine]
            .as_array()
            .context("timings per engine")?
            .iter()
            .filter_map(serde_json::Value::as_f64)
            .collect();
        if ms.is_empty() {
            bail!("no timings for {engine}");
        }
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).clamp(1, ms.len()) - 1];
        Ok((at(0.5), at(0.95), ms.len()))
    };
    let (fixpath_median, fixpath_p95, n) = stats("fixpath")?;
    let (lunr_median, lunr_p95, _) = stats("lunr")?;
    let s = format!(
        "## Speed (query time in headless Chromium, eval-kb)\n\n\
         `cargo xtask bench speed`: {n} dev queries, each run 7 times per engine in the same\n\
         page; per query the median run, then the median and p95 over queries. Fixpath: the\n\
         wasm engine as the widget runs it (`search_ms` of `fixpath:search`: matching the\n\
         query to the dictionary — completions, typo scan, thesaurus — and ranking, posting\n\
         shards already fetched); lunr 2.3.9: `index.query` on the same text, terms OR-ed,\n\
         timed over batches of 20. The page is cross-origin isolated, so `performance.now()`\n\
         resolves microseconds. Budget (BRIEF §8): p95 ≤ 2 ms, ≥ 10× faster than lunr.\n\n\
         | engine | median ms | p95 ms |\n|---|---|---|\n\
         | fixpath | {fixpath_median:.3} | {fixpath_p95:.3} |\n\
         | lunr | {lunr_median:.3} | {lunr_p95:.3} |\n\n\
         Fixpath is {median_ratio:.1}× faster than lunr at the median, {p95_ratio:.1}× at p95.\n",
        median_ratio = lunr_median / fixpath_median.max(0.001),
        p95_ratio = lunr_p95 / fixpath_p95.max(0.001),
    );
    println!("\n{s}");
    write_section(&root.join("BENCHMARKS.md"), "speed", &s)?;
    println!("wrote the speed section of BENCHMARKS.md");
    Ok(())
}

/// `cargo xtask bench size`: what a browser downloads before the first result (loader,
/// wasm-bindgen glue, wasm, CSS, manifest, search index), brotli, for the demo kb and the
/// eval kit, next to what lunr and MiniSearch ship for the same articles.
pub fn size(root: &Path, kit: EvalKit) -> Result<()> {
    let bench = prepare_eval_run(root, kit, "size")?;
    let EvalRun { kit, out, peers } = &bench;
    run(Command::new("node")
        .arg(peers.join("peers.mjs"))
        .arg(out.join("docs.jsonl"))
        .arg(&kit.queries)
        .arg(out)
        .arg("/usr/bin/chromium")
        .arg("sizes-only"))?;

    let mut rows: Vec<(String, usize, usize)> = Vec::new();
    for file in published_widget_files(&bench.demo_help())? {
        let name = file.file_name().context("file name")?.to_string_lossy();
        rows.push(sized(&name, &file)?);
    }
    let widget_br: usize = rows.iter().map(|r| r.2).sum();
    let mut s = format!(
        "## Size (brotli, what the browser fetches before the first result)\n\n\
         `cargo xtask bench size`. Budgets (BRIEF §8): loader ≤ 5 KB, whole widget at first\n\
         result ≤ 180 KB (1 KB = 1024 bytes). The index holds the field lengths and the outline\n\
         of the term dictionary; the dictionary comes in shards of {TERMS_PER_DICTIONARY_SHARD} terms and the posting\n\
         lists in shards of {TERMS_PER_SHARD} terms, fetched as a query needs them (counted below\n\
         for the dev queries), as do the article shards (titles, summaries) of the results\n\
         shown. Article content (guides) is fetched later, per opened article.\n\n\
         | file | raw | brotli |\n|---|---|---|\n",
    );
    for (name, raw, br) in &rows {
        s.push_str(&format!("| {name} | {raw} | {br} |\n"));
    }
    s.push_str(&format!(
        "| **widget before search (loader + glue + link module + main wasm + css)** | | **{widget_br}** |\n\n"
    ));
    s.push_str("| kb | manifest + index, brotli | + dictionary, posting and article shards of the median (largest) dev query | widget at first result, brotli | budget |\n|---|---|---|---|---|\n");
    for (kb, dir) in [
        ("demo kb (`kb/`)", bench.demo_help().join("kb")),
        ("eval-kb (430 articles)", bench.eval_help().join("kb")),
    ] {
        let (head, (median, files), largest) = first_result_index(&dir, &kit.queries)?;
        let total = widget_br + head + median;
        let verdict = if total <= 180 * 1024 {
            "within 180 KB"
        } else {
            "**over 180 KB**"
        };
        s.push_str(&format!(
            "| {kb} | {head} | {median} in {files} files ({largest}) | {total} | {verdict} |\n"
        ));
    }
    s.push_str(&contributors(root)?);
    let peers: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("sizes.json"))?)?;
    s.push_str("\nPeers on eval-kb, same run (serialized with `JSON.stringify`, as a static site ships them):\n\n| peer file | raw | brotli |\n|---|---|---|\n");
    for (name, size) in peers.as_object().into_iter().flatten() {
        s.push_str(&format!(
            "| {name} | {} | {} |\n",
            size["raw"], size["brotli"]
        ));
    }
    println!("\n{s}");
    write_section(&root.join("BENCHMARKS.md"), "size", &s)?;
    println!("wrote the size section of BENCHMARKS.md");
    Ok(())
}

/// The largest contributors to the widget's main module (what search loads first), by
/// crate (and by module for Fixpath's own), from twiggy's per-function sizes before
/// wasm-opt: where the first screen's bytes go.
fn contributors(root: &Path) -> Result<String> {
    let target = target_dir(root);
    let twiggy = crate::setup::ensure_twiggy(&target)?;
    let wasm = crate::widget::named_wasm_dir(&target).join("fixpath_widget_bg.wasm");
    let output = Command::new(&twiggy)
        .args(["top", "-n", "1000000", "-f", "csv"])
        .arg(&wasm)
        .output()
        .with_context(|| format!("running {}", twiggy.display()))?;
    anyhow::ensure!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut by_owner: std::collections::BTreeMap<String, usize> = Default::default();
    let mut total = 0;
    for line in String::from_utf8_lossy(&output.stdout).lines().skip(1) {
        // Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent; the name
        // may hold commas (it is quoted then), the numbers never do.
        let mut fields = line.rsplitn(5, ',');
        let size: usize = fields.nth(3).and_then(|s| s.parse().ok()).unwrap_or(0);
        let name = fields.next().unwrap_or_default().trim_matches('"');
        if name.contains("function names") || name.starts_with("custom section") {
            continue;
        }
        total += size;
        *by_owner.entry(owner(name)).or_default() += size;
    }
    let mut owners: Vec<(String, usize)> = by_owner.into_iter().collect();
    owners.sort_by_key(|(_, bytes)| std::cmp::Reverse(*bytes));
    let mut s = format!(
        "\nWhat the main module holds (twiggy 0.8 over the split main module before wasm-opt,\n\
         {total} bytes of code and data; wasm-opt takes about a tenth off): the largest\n\
         contributors, by crate or by Fixpath module.\n\n| contributor | bytes | share |\n|---|---|---|\n"
    );
    for (owner, bytes) in owners.iter().take(15) {
        s.push_str(&format!(
            "| {owner} | {bytes} | {:.1}% |\n",
            100.0 * *bytes as f64 / total.max(1) as f64
        ));
    }
    Ok(s)
}

/// Who a function or data item belongs to: its crate, or `fixpath_widget::search` for our
/// own; `data` for data segments.
fn owner(name: &str) -> String {
    if name.starts_with("import ") {
        return "imported JS functions".into();
    }
    let mut name = name.trim_start_matches(['<', '&']);
    // `<T as alloc::vec::Vec>::push`: a generic's method belongs to the trait's crate.
    if let Some((first, rest)) = name.split_once(" as ") {
        if first.len() <= 2 && first.chars().all(|c| c.is_ascii_uppercase()) {
            name = rest.trim_start_matches(['<', '&']);
        }
    }
    let mut parts = name.split("::");
    let krate: String = parts
        .next()
        .unwrap_or_default()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if name.starts_with("data[") || name.starts_with("data segment") {
        return "data segments (strings, tables)".into();
    }
    match (krate.as_str(), parts.next()) {
        ("fixpath_widget" | "fixpath_engine", Some(module)) => format!("{krate}::{module}"),
        ("", _) => "other".into(),
        _ => krate,
    }
}

/// (name, raw bytes, brotli bytes) of one file.
fn sized(name: &str, path: &Path) -> Result<(String, usize, usize)> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok((
        name.to_string(),
        bytes.len(),
        crate::widget::brotli_len(&bytes)?,
    ))
}

/// Brotli bytes of the manifest and the index (field lengths, the dictionary's outline),
/// and of the shards the median dev query fetches on top — its dictionary shards (as the
/// widget asks for them: its words' shards, then all for a word to correct), its posting
/// shards, and the article shards of the eight results it shows: (head, median shards,
/// largest shards of any query). The median is (bytes, files).
pub(crate) fn first_result_index(
    bundle: &Path,
    queries: &Path,
) -> Result<(usize, (usize, usize), usize)> {
    use fixpath_engine::bundle::BundleReader;
    use fixpath_engine::config::Manifest;
    use fixpath_engine::index::{article_shard_of, LoadedDictionary, LoadedPostings};
    let manifest_bytes = std::fs::read(bundle.join("manifest.json"))?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)?;
    let index_bytes = std::fs::read(bundle.join(&manifest.index_file))?;
    let head =
        crate::widget::brotli_len(&manifest_bytes)? + crate::widget::brotli_len(&index_bytes)?;
    let index = BundleReader::index(&index_bytes)?;
    let sizes = |files: &[String]| {
        files
            .iter()
            .map(|file| crate::widget::brotli_len(&std::fs::read(bundle.join(file))?))
            .collect::<Result<Vec<_>>>()
    };
    let (dictionary_sizes, shard_sizes, article_sizes) = (
        sizes(&manifest.dictionary_files)?,
        sizes(&manifest.postings_files)?,
        sizes(&manifest.article_files)?,
    );
    let mut dictionary = Vec::new();
    for (n, file) in manifest.dictionary_files.iter().enumerate() {
        dictionary.push(BundleReader::dictionary(
            &std::fs::read(bundle.join(file))?,
            &index,
            n,
        )?);
    }
    let all_words = LoadedDictionary::all(&index, &dictionary);
    let mut all_postings = LoadedPostings::default();
    for (n, file) in manifest.postings_files.iter().enumerate() {
        let shard = BundleReader::postings(&std::fs::read(bundle.join(file))?, &index, n)?;
        all_postings.insert(&index, n, &shard);
    }
    let analyzer = fixpath_engine::analyzer::Analyzer::default();
    // (brotli bytes, files) per query.
    let mut per_query: Vec<(usize, usize)> = std::fs::read_to_string(queries)?
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|q| q["q"].as_str().map(str::to_string))
        .map(|q| {
            let mut words = LoadedDictionary::default();
            let prepared = loop {
                let prepared = fixpath_engine::rank::prepare(&index, &words, &analyzer, &q);
                if prepared.dictionary_needed().is_empty() {
                    break prepared;
                }
                for &n in prepared.dictionary_needed() {
                    words.insert(&index, n, dictionary[n].clone());
                }
            };
            let shards = prepared.shards_needed(&LoadedPostings::default());
            let shown: std::collections::BTreeSet<usize> =
                fixpath_engine::rank::search(&index, &all_words, &all_postings, &analyzer, &q, 8)
                    .iter()
                    .map(|hit| article_shard_of(hit.doc as usize))
                    .collect();
            let fetched_words: Vec<usize> =
                (0..dictionary.len()).filter(|&n| words.has(n)).collect();
            let bytes = fetched_words
                .iter()
                .map(|n| dictionary_sizes[*n])
                .sum::<usize>()
                + shards.iter().map(|n| shard_sizes[*n]).sum::<usize>()
                + shown.iter().map(|n| article_sizes[*n]).sum::<usize>();
            (bytes, fetched_words.len() + shards.len() + shown.len())
        })
        .collect();
    per_query.sort_unstable();
    let median = per_query
        .get(per_query.len() / 2)
        .copied()
        .unwrap_or((0, 0));
    let largest = per_query.last().map_or(0, |q| q.0);
    Ok((head, median, largest))
}
