//! `cargo xtask`: the only build orchestration beyond cargo.
//!
//! - `demo`: set up, build the widget and `fixpath`, and run `fixpath serve kb` with the
//!   demo help pages (`demo/`) and a local ticket receiver;
//! - `test`: set up (incl. Chromium and nginx), make the release artifacts, run the lints
//!   (rustfmt, clippy for host and wasm32) and every test: native, the install paths, wasm
//!   in headless Chromium, and the end-to-end journeys over WebDriver;
//! - `dist`: build the widget into `indexer/vendor/widget/`, where `fixpath` embeds it from;
//! - `release`: the installable artifacts in `dist/` (archive, crates, npm packages);
//! - `bundle-fixture`: check in a bundle of the current format (`engine/test_data/bundles/`),
//!   after a format change and its version bump;
//! - `bench relevance`: Fixpath against lunr, MiniSearch and Pagefind on the dev queries;
//! - `bench size`: bytes before the first result, against the budget and the peers;
//! - `bench speed`: query time in headless Chromium against lunr;
//! - `bench load`: bytes and time from page load to the first result, unthrottled and on a
//!   slow link, against Pagefind's UI;
//! - `bench build`: `fixpath build` time on the eval kit against the peers' indexing, and
//!   on a synthetic kb of 20 000 articles;
//! - `bench learned`: what phrasings learned from insights do to search, in-sample and on
//!   queries held out of the simulated sessions.
//!
//! Set-up steps are idempotent and install only what is missing: the wasm32 target, the
//! wasm-bindgen CLI at exactly the version in Cargo.lock, Debian's chromium + chromedriver,
//! nginx and Caddy. What needs the eval kit (`../shared/eval-kb`) runs when it is there and says
//! in one line what it skipped when it is not.

mod bench;
mod bench_build;
mod bench_learned;
mod bench_load;
mod bench_relay;
mod bench_relevance;
mod bundle_fixture;
mod eval_kit;
mod release;
mod setup;
#[cfg(test)]
mod tidy;
mod widget;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

const USAGE: &str = "usage: cargo xtask <demo [--port N] [--fail-first N] [--relay relay.toml] | test | dist | release | bundle-fixture | bench relevance|size|speed|build|load|relay|learned>";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let bench = |name: &str| args.get(1).map(String::as_str) == Some(name);
    match args.first().map(String::as_str) {
        Some("demo") => demo(&root, &args[1..]),
        Some("test") => test(&root),
        Some("dist") => {
            setup::ensure_wasm_toolchain(&root)?;
            widget::build(&root).map(|_| ())
        }
        Some("bundle-fixture") => bundle_fixture::write(&root),
        Some("release") => {
            setup::ensure_wasm_toolchain(&root)?;
            release::release(&root).map(|_| ())
        }
        Some("bench") if bench("relevance") => {
            with_eval_kit(&root, "bench relevance", bench_relevance::relevance)
        }
        Some("bench") if bench("size") => {
            setup::ensure_wasm_toolchain(&root)?;
            with_eval_kit(&root, "bench size", bench::size)
        }
        Some("bench") if bench("build") => {
            setup::ensure_wasm_toolchain(&root)?;
            with_eval_kit(&root, "bench build", bench_build::build)
        }
        Some("bench") if bench("relay") => bench_relay::relay(&root),
        Some("bench") if bench("learned") => {
            with_eval_kit(&root, "bench learned", bench_learned::learned)
        }
        Some("bench") if bench("load") => {
            setup::ensure_wasm_toolchain(&root)?;
            with_eval_kit(&root, "bench load", bench_load::load)
        }
        Some("bench") if bench("speed") => {
            setup::ensure_wasm_toolchain(&root)?;
            with_eval_kit(&root, "bench speed", bench::speed)
        }
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    }
}

/// Runs a benchmark on the eval kit, or says in one line that it was skipped.
fn with_eval_kit(
    root: &Path,
    name: &str,
    bench: impl FnOnce(&Path, eval_kit::EvalKit) -> Result<()>,
) -> Result<()> {
    match eval_kit::EvalKit::locate(root) {
        Some(kit) => bench(root, kit),
        None => {
            println!("{name}: skipped, {}", eval_kit::EvalKit::missing());
            Ok(())
        }
    }
}

/// The demo: `fixpath serve` on `kb/` with the demo help pages, tickets in `data/`.
fn demo(root: &Path, args: &[String]) -> Result<()> {
    let mut serve_args: Vec<String> = Vec::new();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        match flag.as_str() {
            // Lets a person watch the widget keep a ticket and retry it.
            "--port" | "--fail-first" => {
                let value = rest.next().with_context(|| USAGE)?;
                value
                    .parse::<u32>()
                    .with_context(|| format!("{flag} takes a number"))?;
                serve_args.extend([flag.clone(), value.clone()]);
            }
            // Run the relay beside the preview (the kb's delivery kind must be `relay`).
            "--relay" => {
                let config = rest.next().with_context(|| USAGE)?;
                serve_args.extend([flag.clone(), config.clone()]);
            }
            _ => bail!(USAGE),
        }
    }
    setup::ensure_wasm_toolchain(root)?;
    widget::build(root)?;
    println!("== building fixpath");
    run(cargo(root).args(["build", "-p", "fixpath-indexer"]))?;
    let fixpath = target_dir(root).join("debug").join("fixpath");
    run(Command::new(fixpath)
        .args(["serve", "kb", "--pages", "demo", "--data", "data"])
        .args(serve_args)
        .current_dir(root))
}

fn test(root: &Path) -> Result<()> {
    setup::ensure_wasm_toolchain(root)?;
    let chromedriver = setup::ensure_chromium()?;
    let nginx = setup::ensure_nginx()?;
    let caddy = setup::ensure_caddy()?;
    let axe = setup::ensure_axe(&target_dir(root))?;
    let python_tools = setup::ensure_python_tools(&target_dir(root))?;
    let postgres = setup::ensure_postgres()?;
    let release = release::release(root)?;
    let fixpath = &release.binary;
    let fixtures = target_dir(root).join("e2e");
    let _ = std::fs::remove_dir_all(&fixtures);
    std::fs::create_dir_all(&fixtures)?;
    // The demo kb's help folder, as a site would publish it (the journeys' page).
    let help = fixtures.join("help");
    run(Command::new(fixpath)
        .arg("build")
        .arg(root.join("kb"))
        .arg("--out")
        .arg(&help))?;
    // Purpose-made kbs (tests/fixtures/kbs/NAME) for journeys that need them.
    for entry in std::fs::read_dir(root.join("tests/fixtures/kbs"))? {
        let kb = entry?.path();
        let name = kb.file_name().context("fixture kb name")?.to_owned();
        run(Command::new(fixpath)
            .arg("build")
            .arg(&kb)
            .arg("--out")
            .arg(fixtures.join("kbs").join(name))
            .stdout(std::process::Stdio::null()))?;
    }
    let mut eval_env: Vec<(&str, PathBuf)> = Vec::new();
    // The browser-parity journey compares the widget with `fixpath search` on the eval kit.
    match eval_kit::EvalKit::locate(root) {
        Some(kit) => {
            let bundle = kit.build_bundle(fixpath, &fixtures.join("eval-kb"))?;
            kit.answer_queries(fixpath, &kit.queries, &fixtures.join("eval-cli.jsonl"))?;
            eval_env.push(("FIXPATH_EVAL_BUNDLE", bundle));
            eval_env.push(("FIXPATH_EVAL_CLI_RUN", fixtures.join("eval-cli.jsonl")));
            eval_env.push(("FIXPATH_EVAL_QUERIES", kit.queries.clone()));
        }
        None => println!(
            "\nskipping the browser-parity journey (search_matches_cli): {}",
            eval_kit::EvalKit::missing()
        ),
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
        "--features",
        "fixpath-e2e/e2e",
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
    println!("\n== native tests (engine, indexer, relay, tidy), install paths, journeys in headless Chromium");
    tally.run(
        cargo(root)
            .args([
                "test",
                "--workspace",
                "--exclude",
                "fixpath-widget",
                "--features",
                "fixpath-e2e/e2e",
            ])
            .envs(eval_env)
            .env("FIXPATH_REQUIRE_WIDGET", "1")
            .env("FIXPATH_DIST", &help)
            .env("FIXPATH_BIN", fixpath)
            .env("FIXPATH_RELEASE_ARCHIVE", &release.archive)
            .env(
                "FIXPATH_RELEASE_CRATES",
                std::env::join_paths(&release.crates)?,
            )
            .env("FIXPATH_RELEASE_NPM", std::env::join_paths(&release.npm)?)
            .env("FIXPATH_VERSION", &release.version)
            .env("FIXPATH_FIXTURE_BUNDLES", fixtures.join("kbs"))
            .env("FIXPATH_AXE", &axe)
            .env("FIXPATH_PYTHONPATH", &python_tools)
            .env("PG_BIN", &postgres)
            .env("NGINX", &nginx)
            .env("CADDY", &caddy)
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
