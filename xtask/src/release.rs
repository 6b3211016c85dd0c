//! `cargo xtask release`: the artifacts people install Fixpath from, none of which needs a
//! Rust checkout or a wasm toolchain on their machine. In `dist/`:
//!
//! - `fixpath-<version>-<target>.tar.gz`: the `fixpath` binary (carrying the widget), the
//!   licences, the README and the hosting and site-generator recipes (`docs/`);
//! - `crates/`: `fixpath-engine`, `fixpath-relay` and `fixpath-indexer` packaged as
//!   crates.io would receive them, the indexer's with the vendored widget, so `cargo
//!   install` builds with stable Rust alone;
//! - `npm/`: `fixpath` (a thin launcher, `npm/fixpath/` in this repository) and
//!   `@fixpath/<os>-<cpu>` (this machine's binary), in the Pagefind layout: npm installs
//!   the platform package that matches through `optionalDependencies` + `os`/`cpu`.
//!
//! The binary is checked to carry the widget of the current sources before anything is
//! packed. One run makes one platform's artifacts; a release of several platforms runs
//! this on each and publishes the thin npm package once, listing them all.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::{cargo, run, target_dir};

/// The crates a `cargo install` needs, in dependency order.
pub const CRATES: [&str; 3] = ["fixpath-engine", "fixpath-relay", "fixpath-indexer"];

/// What `release` made.
pub struct Release {
    pub version: String,
    /// The release `fixpath` binary (in the target dir).
    pub binary: PathBuf,
    pub archive: PathBuf,
    pub crates: Vec<PathBuf>,
    /// The thin package, then the platform package.
    pub npm: [PathBuf; 2],
}

pub fn release(root: &Path) -> Result<Release> {
    crate::widget::build(root)?;
    println!("== building the release fixpath binary");
    run(cargo(root).args(["build", "--release", "-p", "fixpath-indexer"]))?;
    let binary = target_dir(root).join("release").join(exe("fixpath"));
    crate::widget::check_embedded(root, &binary)?;
    let version = crate::setup::locked_version(root, "fixpath-indexer")?;
    let host = host_target()?;
    let dist = root.join("dist");
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist)?;

    println!("== archive");
    let archive = archive(root, &binary, &version, &host, &dist)?;
    println!("== crates");
    let crates = package_crates(root, &version, &dist.join("crates"))?;
    println!("== npm packages");
    let npm = npm_packages(root, &binary, &version, &host, &dist.join("npm"))?;

    println!("\n{:<56} {:>10}", "artifact", "bytes");
    for path in std::iter::once(&archive).chain(&crates).chain(&npm) {
        let name = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        println!("{name:<56} {:>10}", std::fs::metadata(path)?.len());
    }
    println!();
    Ok(Release {
        version,
        binary,
        archive,
        crates,
        npm,
    })
}

/// `fixpath-<version>-<target>.tar.gz`, one folder inside.
fn archive(root: &Path, binary: &Path, version: &str, host: &str, dist: &Path) -> Result<PathBuf> {
    let name = format!("fixpath-{version}-{host}");
    let staging = target_dir(root).join("release-staging").join(&name);
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(staging.join("docs"))?;
    std::fs::copy(binary, staging.join(exe("fixpath")))?;
    for file in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
        std::fs::copy(root.join(file), staging.join(file))?;
    }
    for entry in std::fs::read_dir(root.join("docs"))? {
        let path = entry?.path();
        if let Some(file) = path.file_name() {
            std::fs::copy(&path, staging.join("docs").join(file))?;
        }
    }
    let archive = dist.join(format!("{name}.tar.gz"));
    run(Command::new("tar")
        .args([
            "--sort=name",
            "--owner=0",
            "--group=0",
            "--numeric-owner",
            "-czf",
        ])
        .arg(&archive)
        .arg("-C")
        .arg(staging.parent().context("staging folder")?)
        .arg(&name))?;
    Ok(archive)
}

/// The three crates, as `cargo package` makes them (not verified here: the install test
/// builds them the way `cargo install` would).
fn package_crates(root: &Path, version: &str, out: &Path) -> Result<Vec<PathBuf>> {
    let mut cmd = cargo(root);
    cmd.args(["package", "--no-verify", "--allow-dirty"]);
    for krate in CRATES {
        cmd.args(["-p", krate]);
    }
    run(&mut cmd)?;
    std::fs::create_dir_all(out)?;
    CRATES
        .iter()
        .map(|krate| {
            let file = format!("{krate}-{version}.crate");
            let packed = target_dir(root).join("package").join(&file);
            let copy = out.join(&file);
            std::fs::copy(&packed, &copy)
                .with_context(|| format!("copying {}", packed.display()))?;
            Ok(copy)
        })
        .collect()
}

/// npm's `os` and `cpu` for a Rust target triple.
fn npm_platform(host: &str) -> Result<(&'static str, &'static str)> {
    let os = if host.contains("linux") {
        "linux"
    } else if host.contains("apple-darwin") {
        "darwin"
    } else if host.contains("windows") {
        "win32"
    } else {
        bail!("no npm platform for {host}")
    };
    let cpu = match host.split('-').next() {
        Some("x86_64") => "x64",
        Some("aarch64") => "arm64",
        _ => bail!("no npm cpu for {host}"),
    };
    Ok((os, cpu))
}

/// Packs the thin `fixpath` package and this platform's `@fixpath/<os>-<cpu>`.
fn npm_packages(
    root: &Path,
    binary: &Path,
    version: &str,
    host: &str,
    out: &Path,
) -> Result<[PathBuf; 2]> {
    let (os, cpu) = npm_platform(host)?;
    let platform_name = format!("@fixpath/{os}-{cpu}");
    let staging = target_dir(root).join("release-staging").join("npm");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(out)?;

    let platform = staging.join("platform");
    std::fs::create_dir_all(platform.join("bin"))?;
    std::fs::copy(binary, platform.join("bin").join(exe("fixpath")))?;
    for file in ["LICENSE-MIT", "LICENSE-APACHE"] {
        std::fs::copy(root.join(file), platform.join(file))?;
    }
    let manifest = serde_json::json!({
        "name": platform_name,
        "version": version,
        "description": format!("The fixpath binary for {os}-{cpu}; install `fixpath`, which picks it."),
        "license": "MIT OR Apache-2.0",
        "os": [os],
        "cpu": [cpu],
        "files": ["bin/", "LICENSE-MIT", "LICENSE-APACHE"],
        "preferUnplugged": true,
    });
    std::fs::write(
        platform.join("package.json"),
        serde_json::to_string_pretty(&manifest)?,
    )?;

    let thin = staging.join("fixpath");
    std::fs::create_dir_all(thin.join("bin"))?;
    let source = root.join("npm").join("fixpath");
    for file in ["bin/fixpath.js", "README.md"] {
        std::fs::copy(source.join(file), thin.join(file))?;
    }
    for file in ["LICENSE-MIT", "LICENSE-APACHE"] {
        std::fs::copy(root.join(file), thin.join(file))?;
    }
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(source.join("package.json"))?)?;
    manifest["version"] = version.into();
    manifest["optionalDependencies"] = serde_json::json!({ platform_name: version });
    manifest["files"] = serde_json::json!([
        "bin/fixpath.js",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE"
    ]);
    std::fs::write(
        thin.join("package.json"),
        serde_json::to_string_pretty(&manifest)?,
    )?;

    let pack = |dir: &Path| -> Result<PathBuf> {
        let output = Command::new("npm")
            .args(["pack", "--silent", "--pack-destination"])
            .arg(out)
            .current_dir(dir)
            .output()
            .context("running npm pack (is npm installed?)")?;
        if !output.status.success() {
            bail!(
                "npm pack failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let file = String::from_utf8_lossy(&output.stdout).trim().to_string();
        Ok(out.join(file.lines().last().unwrap_or_default()))
    };
    Ok([pack(&thin)?, pack(&platform)?])
}

/// The target triple rustc builds for by default here.
fn host_target() -> Result<String> {
    let output = Command::new("rustc")
        .arg("-vV")
        .output()
        .context("running rustc -vV")?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_string)
        .context("rustc -vV names no host")
}

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

#[cfg(test)]
mod tests {
    #[test]
    fn rust_targets_map_to_npms_platform_names() {
        for (host, platform) in [
            ("x86_64-unknown-linux-gnu", ("linux", "x64")),
            ("aarch64-unknown-linux-musl", ("linux", "arm64")),
            ("aarch64-apple-darwin", ("darwin", "arm64")),
            ("x86_64-pc-windows-msvc", ("win32", "x64")),
        ] {
            assert_eq!(super::npm_platform(host).unwrap(), platform, "{host}");
        }
        assert!(super::npm_platform("riscv64gc-unknown-linux-gnu").is_err());
    }
}
