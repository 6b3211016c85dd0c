//! Building `dist/`: the kb bundle, the size-optimised widget, the loader and the styles.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::{cargo, run, target_dir};

/// Builds everything the demo page loads into `dist/`; returns its path.
pub fn build(root: &Path) -> Result<PathBuf> {
    let dist = root.join("dist");
    let target = target_dir(root);

    println!("== building the fixpath indexer and the kb bundle");
    run(cargo(root).args(["build", "-p", "fixpath-indexer"]))?;
    let fixpath = target.join("debug").join("fixpath");
    run(Command::new(&fixpath)
        .args(["build", "kb", "--out"])
        .arg(dist.join("kb"))
        .current_dir(root))?;

    println!("== building the widget (wasm32, size-optimised)");
    run(cargo(root).args([
        "build",
        "-p",
        "fixpath-widget",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]))?;
    let wasm = target
        .join("wasm32-unknown-unknown")
        .join("wasm-release")
        .join("fixpath_widget.wasm");
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&dist)
        .arg(&wasm))?;
    if let Some(wasm_opt) = crate::setup::ensure_wasm_opt(&target)? {
        let bg = dist.join("fixpath_widget_bg.wasm");
        run(Command::new(wasm_opt)
            .args(["-Oz", "--strip-debug", "--strip-producers", "-o"])
            .arg(&bg)
            .arg(&bg))?;
    }

    for (from, to) in [
        ("widget/js/fixpath.js", "fixpath.js"),
        ("widget/style/fixpath.css", "fixpath.css"),
        ("widget/style/demo.css", "demo.css"),
    ] {
        std::fs::copy(root.join(from), dist.join(to)).with_context(|| format!("copying {from}"))?;
    }
    print_sizes(&dist)?;
    Ok(dist)
}

/// Raw and brotli sizes of what a browser downloads.
fn print_sizes(dist: &Path) -> Result<()> {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [dist.to_path_buf(), dist.join("kb")] {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    println!("\n{:<40} {:>10} {:>10}", "dist file", "raw", "brotli");
    let (mut raw_total, mut br_total) = (0, 0);
    for path in files {
        let bytes = std::fs::read(&path)?;
        let br = brotli_len(&bytes)?;
        raw_total += bytes.len();
        br_total += br;
        let name = path
            .strip_prefix(dist)
            .unwrap_or(&path)
            .display()
            .to_string();
        println!("{name:<40} {:>10} {br:>10}", bytes.len());
    }
    println!("{:<40} {raw_total:>10} {br_total:>10}\n", "total");
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
