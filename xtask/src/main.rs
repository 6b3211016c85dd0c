//! `cargo xtask`: the only build orchestration beyond cargo.
//!
//! - `demo`: set up, build `dist/`, serve the demo help page with a local ticket receiver;
//! - `test`: set up (incl. Chromium), build `dist/`, run the lints (rustfmt, clippy for host
//!   and wasm32) and every test: native, wasm in headless Chromium, and the end-to-end
//!   journeys over WebDriver;
//! - `dist`: build `dist/` (kb bundle, release widget, loader, styles) and print its sizes;
//! - `bench relevance`: Fixpath against lunr, MiniSearch and Pagefind on the dev queries;
//! - `bench size`: bytes before the first result, against the budget and the peers;
//! - `bench speed`: query time in headless Chromium against lunr;
//! - `bench build`: `fixpath build` time on the eval kit against the peers' indexing, and
//!   on a synthetic kb of 20 000 articles.
//!
//! Set-up steps are idempotent and install only what is missing: the wasm32 target, the
//! wasm-bindgen CLI at exactly the version in Cargo.lock, Debian's chromium + chromedriver.

mod bench;
mod bench_build;
mod dist;
mod eval_kit;
mod setup;
#[cfg(test)]
mod tidy;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    match args.first().map(String::as_str) {
        Some("demo") => demo(&root, &args[1..]),
        Some("test") => test(&root),
        Some("bench") if args.get(1).map(String::as_str) == Some("size") => {
            setup::ensure_wasm_toolchain(&root)?;
            bench::size(&root)
        }
        Some("bench") if args.get(1).map(String::as_str) == Some("relevance") => {
            bench::relevance(&root)
        }
        Some("bench") if args.get(1).map(String::as_str) == Some("build") => {
            setup::ensure_wasm_toolchain(&root)?;
            bench_build::build(&root)
        }
        Some("bench") if args.get(1).map(String::as_str) == Some("speed") => {
            setup::ensure_wasm_toolchain(&root)?;
            bench::speed(&root)
        }
        Some("dist") => {
            setup::ensure_wasm_toolchain(&root)?;
            dist::build(&root).map(|_| ())
        }
        _ => {
            eprintln!("usage: cargo xtask <demo [--port N] [--fail-first N] [--watch] | test | dist | bench relevance|size|speed|build>");
            std::process::exit(2);
        }
    }
}

fn demo(root: &Path, args: &[String]) -> Result<()> {
    const USAGE: &str = "usage: cargo xtask demo [--port N] [--fail-first N] [--watch]";
    let (mut port, mut fail_first, mut watch) = (8080u16, 0u32, false);
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        if flag == "--watch" {
            watch = true;
            continue;
        }
        let value = rest.next().with_context(|| USAGE)?;
        match flag.as_str() {
            "--port" => port = value.parse().context("--port takes a number")?,
            // Lets a person watch the widget keep a ticket and retry it.
            "--fail-first" => fail_first = value.parse().context("--fail-first takes a number")?,
            _ => bail!(USAGE),
        }
    }
    setup::ensure_wasm_toolchain(root)?;
    let dist = dist::build(root)?;
    let data = root.join("data");
    let store = fixpath_relay::store::TicketStore::open(&data)?;
    let tickets = store.path().to_path_buf();
    let live_reload = watch.then(|| live_preview(root, &dist));
    let site = fixpath_relay::SiteConfig {
        pages: fixpath_relay::demo_pages(root),
        dist,
        kb: None,
        live_reload,
        cross_origin_isolated: false,
    };
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .with_context(|| format!("port {port} is busy; try `cargo xtask demo --port 8081`"))?;
        println!("\nFixpath demo: http://127.0.0.1:{port}/");
        println!(
            "Tickets are stored in {} (and printed here). Ctrl-C stops.\n",
            tickets.display()
        );
        let faults = std::sync::Arc::new(fixpath_relay::Faults::default());
        if fail_first > 0 {
            println!("The first {fail_first} ticket submissions will fail with 503.\n");
            faults.fail_next(fail_first);
        }
        fixpath_relay::serve(listener, fixpath_relay::app(store, Some(site), faults)).await?;
        Ok(())
    })
}

/// Rebuilds `dist/kb` whenever `kb/` changes; the pages reload after each good build.
fn live_preview(root: &Path, dist: &Path) -> tokio::sync::watch::Receiver<u64> {
    let (generation, receiver) = tokio::sync::watch::channel(0);
    let fixpath = target_dir(root).join("debug").join("fixpath");
    let (root, out) = (root.to_path_buf(), dist.join("kb"));
    println!("Watching kb/: save a file to rebuild and reload the page.");
    fixpath_relay::live::watch_kb(root.join("kb"), generation, move || {
        println!("\n== kb changed: rebuilding");
        // The indexer prints diagnostics (as kb/…:line:col), and on errors leaves the last
        // good bundle.
        let built = Command::new(&fixpath)
            .args(["build", "kb", "--out"])
            .arg(&out)
            .current_dir(&root)
            .status()
            .is_ok_and(|s| s.success());
        if !built {
            println!("== the page keeps the last good bundle until these are fixed");
        }
        built
    });
    receiver
}

fn test(root: &Path) -> Result<()> {
    setup::ensure_wasm_toolchain(root)?;
    let chromedriver = setup::ensure_chromium()?;
    let axe = setup::ensure_axe(&target_dir(root))?;
    let dist = dist::build(root)?;
    // The browser-parity journey compares the widget with `fixpath search` on the eval kit.
    let kit = eval_kit::EvalKit::locate(root)?;
    let fixtures = target_dir(root).join("e2e");
    std::fs::create_dir_all(&fixtures)?;
    let fixpath = target_dir(root).join("debug").join("fixpath");
    kit.build_bundle(&fixpath, &fixtures.join("eval-kb"))?;
    kit.answer_queries(&fixpath, &kit.queries, &fixtures.join("eval-cli.jsonl"))?;
    // Purpose-made kbs (tests/fixtures/kbs/NAME) for journeys that need them.
    for entry in std::fs::read_dir(root.join("tests/fixtures/kbs"))? {
        let kb = entry?.path();
        let name = kb.file_name().context("fixture kb name")?.to_owned();
        run(Command::new(&fixpath)
            .arg("build")
            .arg(&kb)
            .arg("--out")
            .arg(fixtures.join("kbs").join(name)))?;
    }
    setup::ensure_lint_tools()?;
    println!("\n== lints (rustfmt, clippy for the host and wasm32, warnings are errors)");
    run(cargo(root).args(["fmt", "--all", "--", "--check"]))?;
    run(cargo(root).args([
        "clippy",
        "-q",
        "--workspace",
        "--exclude",
        "fixpath-widget",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(cargo(root).args([
        "clippy",
        "-q",
        "-p",
        "fixpath-widget",
        "-p",
        "fixpath-engine",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    let mut tally = TestTally::default();
    println!("\n== native tests (engine, indexer, relay, tidy, journeys in headless Chromium)");
    tally.run(
        cargo(root)
            .args(["test", "--workspace", "--exclude", "fixpath-widget"])
            .env("FIXPATH_DIST", &dist)
            .env("FIXPATH_BIN", &fixpath)
            .env("FIXPATH_EVAL_BUNDLE", fixtures.join("eval-kb"))
            .env("FIXPATH_EVAL_CLI_RUN", fixtures.join("eval-cli.jsonl"))
            .env("FIXPATH_EVAL_QUERIES", &kit.queries)
            .env("FIXPATH_FIXTURE_BUNDLES", fixtures.join("kbs"))
            .env("FIXPATH_AXE", &axe)
            .env("CHROMEDRIVER", &chromedriver),
    )?;
    println!("\n== wasm tests (widget wiring in headless Chromium)");
    // The runner reads `webdriver.json` (headless flags) from the widget folder.
    tally.run(
        cargo(root)
            .args([
                "test",
                "-p",
                "fixpath-widget",
                "--target",
                "wasm32-unknown-unknown",
                "--tests",
            ])
            .current_dir(root.join("widget"))
            .env("CHROMEDRIVER", &chromedriver),
    )?;
    println!(
        "\nxtask test: {} passed, {} failed",
        tally.passed, tally.failed
    );
    Ok(())
}

/// Adds up the `test result:` lines of every suite, so one closing line covers them all.
#[derive(Default)]
struct TestTally {
    passed: usize,
    failed: usize,
}

impl TestTally {
    /// Runs `cmd`, echoing its output, and counts its results; fails when it fails.
    fn run(&mut self, cmd: &mut Command) -> Result<()> {
        use std::io::BufRead;
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .spawn()
            .with_context(|| format!("could not start {cmd:?}"))?;
        let stdout = child.stdout.take().context("no stdout")?;
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line?;
            println!("{line}");
            if let Some(result) = line.strip_prefix("test result: ") {
                self.passed += count_before(result, " passed");
                self.failed += count_before(result, " failed");
            }
        }
        let status = child.wait()?;
        if !status.success() {
            bail!("{cmd:?} failed with {status}");
        }
        Ok(())
    }
}

/// In `ok. 3 passed; 0 failed; …`, the number just before `label`.
fn count_before(text: &str, label: &str) -> usize {
    let Some(end) = text.find(label) else {
        return 0;
    };
    let start = text[..end]
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    text[start..end].parse().unwrap_or(0)
}

pub fn project_root() -> PathBuf {
    // Read at run time: with a target dir shared between checkouts, the compile-time value
    // can name another checkout.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let xtask_dir = manifest_dir.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    xtask_dir
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Where cargo puts build output (honours `CARGO_TARGET_DIR`).
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

pub fn cargo(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root);
    cmd
}

/// Runs `cmd`, failing with the command line when it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("could not start {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_read_from_cargo_and_wasm_runner_summaries() {
        let cargo =
            "ok. 28 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(
            (
                super::count_before(cargo, " passed"),
                super::count_before(cargo, " failed")
            ),
            (28, 1)
        );
        assert_eq!(super::count_before("ok. 0 filtered out", " passed"), 0);
    }
}
