//! `cargo xtask bundle-fixture`: writes the bundle of `engine/test_data/bundles/kb` into
//! `engine/test_data/bundles/v<format>/`, to be checked in. Each format version keeps its
//! bundle there: `engine/tests/bundle_format.rs` reopens them all, and fails when the
//! current format's bundle no longer round-trips (the format changed without a version
//! bump), or when there is none (the version was bumped without checking one in).

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Result};

use crate::{cargo, run, target_dir};

pub fn write(root: &Path) -> Result<()> {
    run(cargo(root).args(["build", "-q", "-p", "fixpath-indexer"]))?;
    let fixpath = target_dir(root).join("debug").join("fixpath");
    let fixtures = root.join("engine/test_data/bundles");
    let scratch = target_dir(root).join("bundle-fixture");
    let _ = std::fs::remove_dir_all(&scratch);
    run(Command::new(fixpath)
        .arg("build")
        .arg(fixtures.join("kb"))
        .arg("--out")
        .arg(&scratch)
        .stdout(std::process::Stdio::null()))?;
    let version = fixpath_engine::bundle::BUNDLE_FORMAT_VERSION;
    let out = fixtures.join(format!("v{version}"));
    if out.exists() {
        bail!(
            "{} exists: a released format's bundle is never rewritten. Changed the format? Bump BUNDLE_FORMAT_VERSION first.",
            out.display()
        );
    }
    std::fs::create_dir_all(&out)?;
    for entry in std::fs::read_dir(scratch.join("kb"))? {
        let entry = entry?;
        std::fs::copy(entry.path(), out.join(entry.file_name()))?;
    }
    println!("wrote {}: check it in", out.display());
    Ok(())
}
