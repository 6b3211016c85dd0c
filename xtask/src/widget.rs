//! Building the widget the `fixpath` binary carries: wasm32 (size-optimised), split by
//! wasm-split at the widget's split points (`widget/src/deferred.rs`) into the main module
//! and the pieces fetched after the first results, wasm-bindgen glue, wasm-opt, the loader
//! and the styles, into `indexer/vendor/widget/` with `SOURCES`, the fingerprint of the
//! sources they were built from.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::{cargo, run, target_dir};

/// Where `indexer/build.rs` embeds the widget from.
pub fn vendor_dir(root: &Path) -> PathBuf {
    root.join("indexer").join("vendor").join("widget")
}

/// The stamp file in [`vendor_dir`].
const SOURCES_FILE: &str = "SOURCES";

/// What decides the widget's bytes: the engine and widget crates, their dependencies'
/// versions and the build profiles. Paths relative to the workspace root; folders whole.
const WIDGET_INPUTS: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "engine/Cargo.toml",
    "engine/src",
    "widget/Cargo.toml",
    "widget/build.rs",
    "widget/src",
    "widget/js",
    "widget/style",
];

/// A fingerprint of [`WIDGET_INPUTS`] under `root`: any change to a file's path or bytes
/// changes it. (CRC-32: this detects stale builds, it does not defend against anyone.)
pub fn sources_fingerprint(root: &Path) -> Result<String> {
    let mut files = Vec::new();
    for input in WIDGET_INPUTS {
        collect_files(&root.join(input), &mut files)?;
    }
    files.sort();
    let mut hasher = crc32fast::Hasher::new();
    for file in &files {
        let relative = file.strip_prefix(root).unwrap_or(file);
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        hasher.update(relative.to_string_lossy().replace('\\', "/").as_bytes());
        hasher.update(&[0]);
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok(format!("{:08x}", hasher.finalize()))
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            collect_files(&entry?.path(), out)?;
        }
    } else if path.is_file() {
        out.push(path.to_path_buf());
    }
    Ok(())
}

/// Whether the vendored widget was built from the sources as they are now: Ok(None) when
/// it is, Ok(Some(why)) when it is missing or stale. (Builds always rebuild it first; this
/// catches a `cargo test` after a source change without `cargo xtask dist`.)
#[cfg(test)]
pub fn staleness(root: &Path) -> Result<Option<String>> {
    let stamp = vendor_dir(root).join(SOURCES_FILE);
    let Ok(built_from) = std::fs::read_to_string(&stamp) else {
        return Ok(Some(format!(
            "{} has no built widget: run `cargo xtask dist`",
            vendor_dir(root).display()
        )));
    };
    let now = sources_fingerprint(root)?;
    Ok((built_from.trim() != now).then(|| {
        format!(
            "the widget in {} was built from other sources ({}, now {now}): run `cargo xtask dist`",
            vendor_dir(root).display(),
            built_from.trim()
        )
    }))
}

/// The widget's wasm files as the last build made them before wasm-opt, function names
/// kept: `fixpath_widget_bg.wasm` (the main module) and the pieces.
pub fn named_wasm_dir(target: &Path) -> PathBuf {
    target.join("widget-named")
}

/// Builds the widget into [`vendor_dir`] and prints the sizes of what a browser fetches.
pub fn build(root: &Path) -> Result<PathBuf> {
    let target = target_dir(root);
    println!("== building the widget (wasm32, size-optimised)");
    run(cargo(root).args([
        "build",
        "-p",
        "fixpath-widget",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
        "--features",
        "split",
    ]))?;
    let wasm = target
        .join("wasm32-unknown-unknown")
        .join("wasm-release")
        .join("fixpath_widget.wasm");
    // Built aside, then moved in whole: the vendored folder is never half-written.
    let staging = target.join("widget-staging");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)?;
    let main = split(&wasm, &staging)?;
    run(Command::new("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--keep-lld-exports",
            "--out-dir",
        ])
        .arg(&staging)
        .arg(&main))?;
    std::fs::remove_file(&main)?;
    // Kept with their function names for `bench size`'s list of what the wasm holds.
    let named = named_wasm_dir(&target);
    let _ = std::fs::remove_dir_all(&named);
    std::fs::create_dir_all(&named)?;
    let wasm_opt = crate::setup::ensure_wasm_opt(&target)?;
    for file in std::fs::read_dir(&staging)? {
        let file = file?.path();
        if file.extension().is_some_and(|e| e == "wasm") {
            std::fs::copy(&file, named.join(file.file_name().context("file name")?))?;
            match &wasm_opt {
                Some(wasm_opt) => run(Command::new(wasm_opt)
                    .args(WASM_OPT_ARGS)
                    .arg("-o")
                    .arg(&file)
                    .arg(&file))?,
                None => println!(
                    "warning: {} is not size-optimised with wasm-opt (npm not found)",
                    file.display()
                ),
            }
        }
    }
    for (from, to) in [
        ("widget/js/fixpath.js", "fixpath.js"),
        ("widget/style/fixpath.css", "fixpath.css"),
    ] {
        std::fs::copy(root.join(from), staging.join(to))
            .with_context(|| format!("copying {from}"))?;
    }
    std::fs::write(
        staging.join(SOURCES_FILE),
        format!("{}\n", sources_fingerprint(root)?),
    )?;
    let vendor = vendor_dir(root);
    let _ = std::fs::remove_dir_all(&vendor);
    std::fs::rename(&staging, &vendor)
        .with_context(|| format!("moving the widget into {}", vendor.display()))?;
    print_sizes(&vendor)?;
    Ok(vendor)
}

/// wasm-opt for size. The pieces carry no target-features section, so the features the
/// compiler used are named (all in every browser Fixpath supports).
const WASM_OPT_ARGS: &[&str] = &[
    "-Oz",
    "--strip-debug",
    "--strip-producers",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Splits the linked `wasm` at its split points: the pieces (`split_*.wasm`, and
/// `chunk_*.wasm` for code two pieces share) and the link module that fetches them go
/// into `out`; returns the main module, which wasm-bindgen then processes as usual. The
/// link module is `fixpath_widget_split.js` and imports `initSync` from the glue,
/// `fixpath_widget.js` (the names `indexer/src/widget_assets.rs` rewrites).
fn split(wasm: &Path, out: &Path) -> Result<PathBuf> {
    let input = std::fs::read(wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let main = out.join("fixpath_widget.wasm");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = out;
    options.main_out_path = &main;
    options.main_module = "./fixpath_widget.js";
    options.link_name = "./fixpath_widget_split.js";
    let split = wasm_split_cli_support::transform(options)
        .map_err(|e| anyhow::anyhow!("splitting {}: {e:#}", wasm.display()))?;
    if split.split_modules.is_empty() {
        bail!(
            "wasm-split found no split points in {}: was it linked with --emit-relocs (widget/build.rs)?",
            wasm.display()
        );
    }
    let link = out.join("fixpath_widget_split.js");
    let text = std::fs::read_to_string(&link)?;
    std::fs::write(&link, tolerate_wasm_type(&text)?)?;
    Ok(main)
}

/// How wasm-split's link module instantiates a piece, and the same tolerating a server
/// that labels `.wasm` with another type: `instantiateStreaming` refuses those, so the
/// piece (guides, the ticket form) would never load there, while wasm-bindgen's glue falls
/// back for the main module. Same fallback here: compile from the bytes.
const STREAMING: &str =
    "return async (imports) => (WebAssembly.instantiateStreaming(src, imports));";
const STREAMING_OR_BYTES: &str = "return async (imports) => { const response = await src; try { return await WebAssembly.instantiateStreaming(response.clone(), imports); } catch (e) { if (response.headers.get('Content-Type') === 'application/wasm') throw e; return WebAssembly.instantiate(await response.arrayBuffer(), imports); } };";

fn tolerate_wasm_type(link: &str) -> Result<String> {
    if !link.contains(STREAMING) {
        bail!("wasm-split's link module no longer loads pieces as expected: revisit tolerate_wasm_type (xtask/src/widget.rs)");
    }
    Ok(link.replace(STREAMING, STREAMING_OR_BYTES))
}

/// Raw and brotli sizes of the widget's files.
fn print_sizes(dir: &Path) -> Result<()> {
    println!("\n{:<44} {:>10} {:>10}", "widget file", "raw", "brotli");
    let (mut raw_total, mut br_total) = (0, 0);
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name != SOURCES_FILE)
        .collect();
    names.sort();
    for name in names {
        let bytes = std::fs::read(dir.join(&name))?;
        let br = brotli_len(&bytes)?;
        raw_total += bytes.len();
        br_total += br;
        println!("{name:<44} {:>10} {br:>10}", bytes.len());
    }
    println!("{:<44} {raw_total:>10} {br_total:>10}\n", "total");
    Ok(())
}

pub fn brotli_len(bytes: &[u8]) -> Result<usize> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes)?;
    }
    Ok(out.len())
}

/// Fails unless the `fixpath` binary at `fixpath` embeds the widget of these sources.
pub fn check_embedded(root: &Path, fixpath: &Path) -> Result<()> {
    let output = Command::new(fixpath)
        .arg("--version")
        .output()
        .with_context(|| format!("running {} --version", fixpath.display()))?;
    let version = String::from_utf8_lossy(&output.stdout);
    let now = sources_fingerprint(root)?;
    if !version.contains(&format!("widget built from sources {now}")) {
        bail!(
            "{} does not carry the widget of the current sources ({now}): it says `{}`",
            fixpath.display(),
            version.trim()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn a_changed_widget_or_engine_source_makes_the_vendored_widget_stale() {
        let root = tree(&[
            ("Cargo.lock", "lock"),
            ("engine/src/rank.rs", "fn rank() {}"),
            ("widget/src/app.rs", "fn app() {}"),
            ("indexer/src/main.rs", "fn main() {}"),
        ]);
        let root = root.path();
        assert!(staleness(root)
            .unwrap()
            .unwrap()
            .contains("has no built widget"));
        let vendor = vendor_dir(root);
        std::fs::create_dir_all(&vendor).unwrap();
        std::fs::write(
            vendor.join(SOURCES_FILE),
            sources_fingerprint(root).unwrap(),
        )
        .unwrap();
        assert_eq!(staleness(root).unwrap(), None);

        // Not an input of the widget: still fresh.
        std::fs::write(root.join("indexer/src/main.rs"), "fn main() { changed() }").unwrap();
        assert_eq!(staleness(root).unwrap(), None);

        for (file, text) in [
            ("engine/src/rank.rs", "fn rank() { better() }"),
            ("widget/src/new_screen.rs", "fn screen() {}"),
            ("Cargo.lock", "lock 2"),
        ] {
            let fresh = sources_fingerprint(root).unwrap();
            std::fs::write(vendor.join(SOURCES_FILE), &fresh).unwrap();
            std::fs::write(root.join(file), text).unwrap();
            let stale = staleness(root).unwrap().expect(file);
            assert!(stale.contains("built from other sources"), "{stale}");
        }
    }

    /// The widget in `indexer/vendor/widget` (what `fixpath` embeds) must come from these
    /// sources. `cargo xtask test` always builds it first; a plain `cargo test` on a
    /// checkout that never ran `cargo xtask dist` says what it skipped.
    #[test]
    fn the_vendored_widget_is_built_from_the_current_sources() {
        let root = crate::project_root();
        let stamp = vendor_dir(&root).join(SOURCES_FILE);
        if !stamp.exists() && std::env::var_os("FIXPATH_REQUIRE_WIDGET").is_none() {
            eprintln!("skipped: no vendored widget to check (`cargo xtask dist` builds it)");
            return;
        }
        if let Some(stale) = staleness(&root).unwrap() {
            panic!("{stale}");
        }
    }
}
