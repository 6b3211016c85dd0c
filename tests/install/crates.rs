//! The packaged crates: `cargo install` from the `.crate` files alone, as from crates.io,
//! with stable Rust and nothing else: no wasm-bindgen on PATH, no wasm build (the widget
//! comes vendored inside the `fixpath-indexer` crate). Offline: dependencies come from
//! cargo's cache.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::{artifacts, check_install, run, version};

#[test]
fn the_packaged_crates_install_with_stable_rust_alone() -> Result<()> {
    let crates = artifacts("FIXPATH_RELEASE_CRATES")?;
    let unpacked = tempfile::tempdir()?;
    for krate in &crates {
        // `--touch`: files dated now, not as packaged. With a target dir shared across runs
        // (CI keeps one), cargo would otherwise take an earlier run's build of these path
        // crates, same name and version, as fresh.
        run(Command::new("tar")
            .arg("--touch")
            .arg("-xzf")
            .arg(krate)
            .arg("-C")
            .arg(unpacked.path()))?;
    }
    let version = version()?;
    let source = |name: &str| unpacked.path().join(format!("{name}-{version}"));
    assert!(
        source("fixpath-indexer")
            .join("vendor/widget/fixpath_widget_bg.wasm")
            .exists(),
        "the indexer crate carries the built widget"
    );

    // A PATH with cargo and rustc (rustup's proxies) and the system's linker, nothing else
    // of this machine's Rust tools.
    let tools = tempfile::tempdir()?;
    for tool in ["cargo", "rustc"] {
        let real = which(tool)?;
        std::os::unix::fs::symlink(real, tools.path().join(tool))?;
    }
    let path = format!("{}:/usr/bin:/bin", tools.path().display());
    let on_path = Command::new("sh")
        .args(["-c", "command -v wasm-bindgen wasm-opt"])
        .env("PATH", &path)
        .output()?;
    assert!(on_path.stdout.is_empty(), "no wasm tools on this PATH");

    let root = tempfile::tempdir()?;
    let patch = |name: &str| {
        format!(
            "patch.crates-io.{name}.path={:?}",
            source(name).display().to_string()
        )
    };
    // The engine and relay crates are not on crates.io here: patched in from their .crate
    // files, as `cargo install` would fetch them after publishing.
    run(Command::new("cargo")
        .args(["install", "--offline", "--quiet", "--path"])
        .arg(source("fixpath-indexer"))
        .arg("--root")
        .arg(root.path())
        .args(["--config", &patch("fixpath-engine")])
        .args(["--config", &patch("fixpath-relay")])
        .env("PATH", &path)
        .env_remove("RUSTC_WRAPPER"))?;
    let fixpath = root.path().join("bin/fixpath");
    let site = tempfile::tempdir()?;
    check_install(site.path(), |args| {
        let mut cmd = Command::new(&fixpath);
        cmd.args(args);
        cmd
    })
}

fn which(tool: &str) -> Result<std::path::PathBuf> {
    let out = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()?;
    let path = String::from_utf8(out.stdout)?.trim().to_string();
    let path = Path::new(&path);
    path.exists()
        .then(|| path.to_path_buf())
        .with_context(|| format!("{tool} is not on PATH"))
}
