//! The ways people install Fixpath, each tried here offline from the artifacts `cargo xtask
//! release` made, the way a new user would: unpack or install, then `fixpath build` a kb
//! and get a folder ready to publish. And the hosting recipes of `docs/hosting.md`, served
//! by the real servers they are written for.
//!
//! `cargo xtask test` makes the artifacts and passes them in FIXPATH_RELEASE_*.

mod archive;
mod crates;
mod hosting_recipes;
mod npm;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{bail, Context, Result};
use fixpath_engine::loader_files::LoaderFiles;

/// An artifact path from the environment `cargo xtask test` sets.
fn artifact(var: &str) -> Result<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .with_context(|| format!("{var} is not set: run this through `cargo xtask test`"))
}

/// Several artifact paths from one variable (a path list).
fn artifacts(var: &str) -> Result<Vec<PathBuf>> {
    let list = std::env::var_os(var)
        .with_context(|| format!("{var} is not set: run this through `cargo xtask test`"))?;
    Ok(std::env::split_paths(&list).collect())
}

/// The version being released.
fn version() -> Result<String> {
    std::env::var("FIXPATH_VERSION").context("FIXPATH_VERSION is not set")
}

/// Runs `cmd`, failing with everything it printed when it fails.
fn run(cmd: &mut Command) -> Result<Output> {
    let output = cmd
        .output()
        .with_context(|| format!("could not start {cmd:?}"))?;
    if !output.status.success() {
        bail!(
            "{cmd:?} failed ({}):\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(output)
}

/// A copy of the repository's sample kb in `dir/kb`, as a user's own kb would be.
fn user_kb(dir: &Path) -> Result<PathBuf> {
    let kb = dir.join("kb");
    fixpath_e2e::copy_tree(&fixpath_e2e::repo_root().join("kb"), &kb)?;
    Ok(kb)
}

/// What every install must do, run through `fixpath(args)`: say its version and that it
/// carries the widget, and build a user's kb in `site` into a folder ready to publish.
fn check_install(site: &Path, fixpath: impl Fn(&[&str]) -> Command) -> Result<()> {
    let about = run(&mut fixpath(&["--version"]))?;
    let about = String::from_utf8(about.stdout)?;
    assert!(
        about.starts_with(&format!("fixpath {} (bundle format", version()?))
            && about.contains("widget built from sources"),
        "{about}"
    );
    user_kb(site)?;
    let build = run(fixpath(&["build", "kb", "--out", "public/help"]).current_dir(site))?;
    check_help_folder(site, &build)
}

/// What an installed `fixpath build kb --out public/help` must leave: the loader naming
/// the widget's hashed files, those files, the kb bundle, and the snippet on stdout.
fn check_help_folder(site: &Path, build: &Output) -> Result<()> {
    let help = site.join("public/help");
    let loader = std::fs::read_to_string(help.join("fixpath.js"))?;
    let names = LoaderFiles::from_loader(&loader).context("the loader names its files")?;
    for name in names.all() {
        let bytes = std::fs::read(help.join(name)).with_context(|| format!("{name} is missing"))?;
        if name == names.wasm {
            assert!(bytes.starts_with(b"\0asm"), "{name} is wasm");
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(help.join("kb/manifest.json"))?)?;
    assert_eq!(
        manifest["format_version"],
        fixpath_engine::bundle::BUNDLE_FORMAT_VERSION
    );
    assert_eq!(manifest["engine_version"], version()?.as_str());
    let stdout = String::from_utf8_lossy(&build.stdout);
    assert!(
        stdout.contains(r#"<script type="module" src="/help/fixpath.js"></script>"#),
        "{stdout}"
    );
    Ok(())
}
