//! A real PostgreSQL server for the relay's tests, from Debian's programs (`PG_BIN`, which
//! `cargo xtask test` sets after installing the package): a fresh cluster in a temporary
//! folder on a free port, trust authentication on loopback only, stopped on drop. Each
//! test takes its own database.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::process::{free_port, Background};

pub struct Postgres {
    _server: Background,
    bin: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

/// Databases made so far, for unique names.
static DATABASES: AtomicU32 = AtomicU32::new(0);

impl Postgres {
    pub async fn start() -> Result<Postgres> {
        let bin = PathBuf::from(
            std::env::var_os("PG_BIN")
                .context("PG_BIN is not set: run this through `cargo xtask test`")?,
        );
        let dir = tempfile::tempdir()?;
        let data = dir.path().join("data");
        // Postgres refuses to run as root; the package made a `postgres` user for it.
        let as_server_user = is_root();
        if as_server_user {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path()))?;
        }
        run(server_command(as_server_user, &bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]))?;
        let port = free_port()?;
        let mut server = Background::start(
            server_command(as_server_user, &bin.join("postgres"))
                .arg("-D")
                .arg(&data)
                .args(["-p", &port.to_string(), "-k"])
                .arg(dir.path())
                .args([
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "max_connections=300",
                ]),
        )?;
        server
            .wait_for_line(0, Duration::from_secs(60), |l| {
                l.contains("database system is ready to accept connections")
            })
            .await?;
        Ok(Postgres {
            _server: server,
            bin,
            port,
            _dir: dir,
        })
    }

    /// A new, empty database; its connection URL.
    pub fn database(&self) -> Result<String> {
        let name = format!(
            "relay_{}_{}",
            std::process::id(),
            DATABASES.fetch_add(1, Ordering::SeqCst)
        );
        run(Command::new(self.bin.join("createdb"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
            ])
            .arg(&name))?;
        Ok(format!(
            "postgres://postgres@127.0.0.1:{}/{name}",
            self.port
        ))
    }
}

fn server_command(as_server_user: bool, program: &std::path::Path) -> Command {
    if as_server_user {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn run(cmd: &mut Command) -> Result<()> {
    let output = cmd
        .output()
        .with_context(|| format!("running {:?}", cmd.get_program()))?;
    if !output.status.success() {
        bail!(
            "{:?} failed: {}{}",
            cmd.get_program(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}
