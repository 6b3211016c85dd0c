//! Real static file servers configured the way `docs/hosting.md` tells users to: its nginx
//! and Caddy blocks are read from the document itself, so the recipes cannot drift from
//! what is tested.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::process::{free_port, Background};
use crate::repo_root;

/// The first fenced block of `lang` in `docs/hosting.md`.
pub fn documented_block(lang: &str) -> Result<String> {
    let doc = std::fs::read_to_string(repo_root().join("docs/hosting.md"))?;
    let start = doc
        .find(&format!("```{lang}\n"))
        .with_context(|| format!("docs/hosting.md has no {lang} block"))?;
    let body = &doc[start + lang.len() + 4..];
    let end = body.find("\n```").context("unclosed block")?;
    Ok(body[..end].to_string())
}

/// `fixpath build` of the demo kb into `site/docs/help/` (served at `/docs/help/`), with
/// `extra` arguments; returns what it printed.
pub fn build_demo_help(site: &Path, extra: &[&str]) -> Result<String> {
    let built = Command::new(crate::fixpath_bin()?)
        .arg("build")
        .arg(repo_root().join("kb"))
        .arg("--out")
        .arg(site.join("docs/help"))
        .args(["--base-url", "/docs/help/"])
        .args(extra)
        .output()?;
    let stdout = String::from_utf8(built.stdout)?;
    if !built.status.success() {
        bail!("{stdout}{}", String::from_utf8_lossy(&built.stderr));
    }
    Ok(stdout)
}

/// A plain page, `site/index.html`, with `head` (the loader's script) and `body` (the
/// element) as a site owner pastes them.
pub fn write_page(site: &Path, head: &str, body: &str) -> Result<()> {
    std::fs::write(
        site.join("index.html"),
        format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Acme support</title>\n<link rel=\"icon\" href=\"data:,\">\n{head}\n</head>\n<body>\n<main>\n<h1>Acme support</h1>\n{body}\n</main>\n</body>\n</html>\n"
        ),
    )?;
    Ok(())
}

/// A running server and the address it answers on.
pub struct Server {
    pub url: String,
    pub process: Background,
    _scratch: tempfile::TempDir,
}

/// nginx (`NGINX`, installed by `cargo xtask test`) serving `root`, with the documented
/// `location` block for the help folder, the page's strict CSP, and `/api/tickets`
/// proxied to `receiver` when given.
pub async fn nginx(root: &Path, receiver: Option<&str>) -> Result<Server> {
    nginx_with_types(root, receiver, "").await
}

/// [`nginx`], with `types` (an nginx `types { … }` block, or nothing) replacing the
/// system's MIME types for this server: a host that labels files its own way.
pub async fn nginx_with_types(root: &Path, receiver: Option<&str>, types: &str) -> Result<Server> {
    let binary = std::env::var_os("NGINX")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/sbin/nginx"));
    let scratch = tempfile::tempdir()?;
    let port = free_port()?;
    let temp = scratch.path().display().to_string();
    let proxy = receiver.map_or(String::new(), |to| {
        format!("        location = /api/tickets {{ proxy_pass {to}; }}\n")
    });
    let config = format!(
        "worker_processes 1;\n\
         daemon off;\n\
         pid {temp}/nginx.pid;\n\
         error_log stderr warn;\n\
         events {{}}\n\
         http {{\n\
         include /etc/nginx/mime.types;\n\
         access_log off;\n\
         client_body_temp_path {temp}/body;\n\
         proxy_temp_path {temp}/proxy;\n\
         fastcgi_temp_path {temp}/fastcgi;\n\
         uwsgi_temp_path {temp}/uwsgi;\n\
         scgi_temp_path {temp}/scgi;\n\
         server {{\n\
         listen 127.0.0.1:{port};\n\
         root {root};\n\
         add_header Content-Security-Policy \"{csp}\" always;\n\
         {types}\n\
         {proxy}\n\
         {documented}\n\
         }}\n\
         }}\n",
        root = root.display(),
        csp = fixpath_relay::STRICT_CSP,
        documented = documented_block("nginx")?,
    );
    let conf = scratch.path().join("nginx.conf");
    std::fs::write(&conf, config)?;
    let mut cmd = Command::new(binary);
    cmd.arg("-p").arg(scratch.path()).arg("-c").arg(&conf);
    // As root, nginx's workers would run as `nobody`, who cannot read a temp folder.
    if is_root() {
        cmd.arg("-g").arg("user root;");
    }
    let process = Background::start(&mut cmd)?;
    wait_listening(port, &process).await?;
    Ok(Server {
        url: format!("http://127.0.0.1:{port}"),
        process,
        _scratch: scratch,
    })
}

/// Caddy (`CADDY`, installed by `cargo xtask test`) serving `root` with the documented
/// Caddyfile.
pub async fn caddy(root: &Path) -> Result<Server> {
    let binary = std::env::var_os("CADDY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/caddy"));
    let scratch = tempfile::tempdir()?;
    let port = free_port()?;
    let caddyfile = format!(
        "{{\n\tadmin off\n}}\n{}\n",
        documented_block("caddyfile")?
            .replace("example.com", &format!("http://127.0.0.1:{port}"))
            .replace("/var/www/site", &root.display().to_string())
    );
    let file = scratch.path().join("Caddyfile");
    std::fs::write(&file, caddyfile)?;
    let process = Background::start(
        Command::new(binary)
            .args(["run", "--adapter", "caddyfile", "--config"])
            .arg(&file)
            .env("HOME", scratch.path())
            .env("XDG_DATA_HOME", scratch.path())
            .env("XDG_CONFIG_HOME", scratch.path()),
    )?;
    wait_listening(port, &process).await?;
    Ok(Server {
        url: format!("http://127.0.0.1:{port}"),
        process,
        _scratch: scratch,
    })
}

async fn wait_listening(port: u16, process: &Background) -> Result<()> {
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!(
        "the server never listened on {port}; it printed:\n{}",
        process.output()
    )
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A response's status line and headers (lower-case names), and its body length.
pub struct Head {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body_len: usize,
}

impl Head {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `GET url` over plain HTTP/1.1, accepting brotli and gzip as a browser does.
pub async fn get(url: &str) -> Result<Head> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").context("plain http only")?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = tokio::net::TcpStream::connect(host).await?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: br, gzip\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("no end of headers")?;
    let head = String::from_utf8_lossy(&response[..split]);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .context("no status")?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(Head {
        status,
        headers,
        body_len: response.len() - split - 4,
    })
}
