//! Installing what the build and the tests need, only when it is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::run;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// rustfmt and clippy, which `cargo xtask test` runs as lints.
pub fn ensure_lint_tools() -> Result<()> {
    let has = |tool: &str| {
        Command::new("cargo")
            .args([tool, "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !has("fmt") || !has("clippy") {
        println!("== installing rustfmt and clippy");
        run(Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]))?;
    }
    Ok(())
}

/// The wasm32 target and the wasm-bindgen CLI matching Cargo.lock.
pub fn ensure_wasm_toolchain(root: &Path) -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    let has_target = installed.as_ref().is_ok_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .any(|l| l.trim() == WASM_TARGET)
    });
    if !has_target {
        println!("== installing the {WASM_TARGET} target");
        run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    }
    let wanted = locked_version(root, "wasm-bindgen")?;
    let current = Command::new("wasm-bindgen")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if current.as_deref().map(str::trim) != Some(&format!("wasm-bindgen {wanted}")) {
        println!("== installing wasm-bindgen-cli {wanted} (takes a few minutes, once)");
        // Not `--locked`: the CLI's own lockfile pins a crate this registry does not serve.
        run(Command::new("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wanted,
            "--force",
        ]))?;
    }
    Ok(())
}

/// binaryen from npm, pinned: Debian's wasm-opt (108) silently breaks wasm-bindgen output,
/// so a `wasm-opt` found on PATH is never used.
const BINARYEN_VERSION: &str = "132.0.0";

/// Our own wasm-opt (installed under the target dir), or None when npm is unavailable.
pub fn ensure_wasm_opt(target: &Path) -> Result<Option<PathBuf>> {
    let prefix = target
        .join("tools")
        .join(format!("binaryen-{BINARYEN_VERSION}"));
    let wasm_opt = prefix.join("node_modules").join(".bin").join("wasm-opt");
    if wasm_opt.exists() {
        return Ok(Some(wasm_opt));
    }
    if Command::new("npm").arg("--version").output().is_err() {
        println!("warning: npm not found; the widget is not size-optimised with wasm-opt");
        return Ok(None);
    }
    println!("== installing binaryen {BINARYEN_VERSION} (wasm-opt) from npm");
    std::fs::create_dir_all(&prefix)?;
    npm_install(&prefix, &format!("binaryen@{BINARYEN_VERSION}"))?;
    Ok(Some(wasm_opt))
}

/// twiggy, the wasm code-size profiler `bench size` lists contributors with, pinned.
const TWIGGY_VERSION: &str = "0.8.0";

/// Installs twiggy from crates.io under the target dir (once); returns the binary.
pub fn ensure_twiggy(target: &Path) -> Result<PathBuf> {
    let prefix = target
        .join("tools")
        .join(format!("twiggy-{TWIGGY_VERSION}"));
    let twiggy = prefix.join("bin").join("twiggy");
    if !twiggy.exists() {
        println!("== installing twiggy {TWIGGY_VERSION} from crates.io");
        run(Command::new("cargo")
            .args([
                "install",
                "--locked",
                "--quiet",
                "twiggy",
                "--version",
                TWIGGY_VERSION,
                "--root",
            ])
            .arg(&prefix))?;
    }
    Ok(twiggy)
}

/// axe-core, the accessibility engine the journeys run inside the page, pinned.
const AXE_VERSION: &str = "4.14.1";

/// Installs axe-core from npm under the target dir (once); returns `axe.min.js`.
pub fn ensure_axe(target: &Path) -> Result<PathBuf> {
    let prefix = target.join("tools").join(format!("axe-core-{AXE_VERSION}"));
    let script = prefix
        .join("node_modules")
        .join("axe-core")
        .join("axe.min.js");
    if !script.exists() {
        println!("== installing axe-core {AXE_VERSION} from npm");
        std::fs::create_dir_all(&prefix)?;
        npm_install(&prefix, &format!("axe-core@{AXE_VERSION}"))?;
    }
    Ok(script)
}

/// Python packages the relay tests run beside the relay, pinned: the Standard Webhooks
/// reference library (it verifies the relay's signatures) and aiosmtpd (a real SMTP
/// server the email adapter sends to). Returns the folder to put on `PYTHONPATH`.
pub fn ensure_python_tools(target: &Path) -> Result<PathBuf> {
    const PACKAGES: [&str; 2] = ["standardwebhooks==1.1.0", "aiosmtpd==1.4.6"];
    let prefix = target.join("tools").join("python-1");
    let installed = ["standardwebhooks/webhooks.py", "aiosmtpd/__main__.py"]
        .iter()
        .all(|f| prefix.join(f).exists());
    if !installed {
        println!("== installing {} from PyPI", PACKAGES.join(", "));
        run(Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--target",
            ])
            .arg(&prefix)
            .args(PACKAGES))?;
    }
    Ok(prefix)
}

/// Installs one pinned npm package (`name@version`) into its own folder.
fn npm_install(prefix: &Path, package: &str) -> Result<()> {
    run(Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--no-save",
            "--prefix",
        ])
        .arg(prefix)
        .arg(package))
}

/// Debian's chromium and chromium-driver; returns the chromedriver path.
pub fn ensure_chromium() -> Result<PathBuf> {
    let driver = PathBuf::from("/usr/bin/chromedriver");
    if !(Path::new("/usr/bin/chromium").exists() && driver.exists()) {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    if !driver.exists() {
        bail!("chromedriver is still missing after installing chromium-driver");
    }
    Ok(driver)
}

/// Debian's nginx: the plain static file server the deployed-help-folder journey serves
/// `fixpath build`'s output with, configured as `docs/hosting.md` says. Returns its path.
pub fn ensure_nginx() -> Result<PathBuf> {
    ensure_program("/usr/sbin/nginx", "nginx")
}

/// Debian's Caddy: the hosting-recipes test serves the help folder with the Caddyfile of
/// `docs/hosting.md`. Returns its path.
pub fn ensure_caddy() -> Result<PathBuf> {
    ensure_program("/usr/bin/caddy", "caddy")
}

/// Debian's PostgreSQL server: the relay's Postgres tests start their own server from its
/// programs. Returns the folder holding `initdb` and `postgres`.
pub fn ensure_postgres() -> Result<PathBuf> {
    if let Some(bin) = postgres_bin() {
        return Ok(bin);
    }
    // The tests make their own clusters; the package's default one would only be a server
    // left running on port 5432.
    let conf = Path::new("/etc/postgresql-common/createcluster.conf");
    if !conf.exists() {
        std::fs::create_dir_all("/etc/postgresql-common")?;
        std::fs::write(conf, "create_main_cluster = false\n")?;
    }
    apt_install(&["postgresql"])?;
    postgres_bin().context("no /usr/lib/postgresql/*/bin/postgres after installing postgresql")
}

/// The newest `/usr/lib/postgresql/N/bin` with a server in it.
fn postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("postgres").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// `program`, installing Debian's `package` when it is missing.
fn ensure_program(program: &str, package: &str) -> Result<PathBuf> {
    let program = PathBuf::from(program);
    if !program.exists() {
        apt_install(&[package])?;
    }
    if !program.exists() {
        bail!(
            "{} is still missing after installing {package}",
            program.display()
        );
    }
    Ok(program)
}

/// Installs Debian packages (as root).
fn apt_install(packages: &[&str]) -> Result<()> {
    println!(
        "== installing {} from Debian's packages",
        packages.join(", ")
    );
    let apt = |args: &[&str]| {
        let mut cmd = Command::new("apt-get");
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut cmd).with_context(|| {
            format!(
                "apt-get failed (as root? otherwise install {} yourself)",
                packages.join(" ")
            )
        })
    };
    apt(&["update", "-qq"])?;
    // No questions about configuration files: keep one that is already there (the
    // Postgres setup writes createcluster.conf before the package arrives).
    let mut install = vec![
        "install",
        "-y",
        "-qq",
        "-o",
        "Dpkg::Options::=--force-confdef",
        "-o",
        "Dpkg::Options::=--force-confold",
    ];
    install.extend_from_slice(packages);
    apt(&install)
}

/// The version of `package` recorded in Cargo.lock.
pub fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"") {
            let version = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'));
            return version
                .map(str::to_string)
                .context("malformed Cargo.lock entry");
        }
    }
    bail!("{package} is not in Cargo.lock")
}
