//! The npm packages, Pagefind style: installed from the packed tarballs into an empty
//! project with an empty cache and `--offline` (nothing may come from a registry), then
//! `npx fixpath build`. Node is all the user has.

use std::process::Command;

use anyhow::Result;

use crate::{artifacts, check_install, run};

#[test]
fn the_npm_tarballs_install_offline_and_npx_fixpath_builds_a_kb() -> Result<()> {
    let tarballs = artifacts("FIXPATH_RELEASE_NPM")?;
    let site = tempfile::tempdir()?;
    let cache = tempfile::tempdir()?;
    std::fs::write(
        site.path().join("package.json"),
        r#"{ "name": "acme-help", "private": true }"#,
    )?;
    run(Command::new("npm")
        .args(["install", "--offline", "--no-audit", "--no-fund", "--cache"])
        .arg(cache.path())
        .args(&tarballs)
        .current_dir(site.path()))?;
    let npx = |args: &[&str]| {
        let mut cmd = Command::new("npx");
        cmd.args(["--offline", "--cache"])
            .arg(cache.path())
            .arg("fixpath")
            .args(args)
            .current_dir(site.path());
        cmd
    };
    check_install(site.path(), npx)?;

    // Exit codes come through the launcher: a broken kb fails the npm script.
    std::fs::write(
        site.path().join("kb/broken.md"),
        "---\ntitle: [unclosed\n---\n",
    )?;
    let check = npx(&["check", "kb"]).output()?;
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stderr).contains("kb/broken.md:2"));
    Ok(())
}
