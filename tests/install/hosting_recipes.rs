//! The server recipes of `docs/hosting.md`, read from the document and run by the real
//! servers on a folder the release `fixpath build --precompress` wrote: hashed files are
//! immutable and sent precompressed, the entries are revalidated, wasm has its MIME type.

use std::process::Command;

use anyhow::Result;
use fixpath_e2e::hosting::{self, Server};
use fixpath_e2e::{fixpath_bin, repo_root};

use crate::run;

/// The site's root, with the demo kb's help folder at `docs/help/`, and the names of its
/// wasm and index files.
fn published_site() -> Result<(tempfile::TempDir, String, String)> {
    let site = tempfile::tempdir()?;
    let help = site.path().join("docs/help");
    run(Command::new(fixpath_bin()?)
        .arg("build")
        .arg(repo_root().join("kb"))
        .arg("--out")
        .arg(&help)
        .arg("--precompress"))?;
    let find = |dir: &std::path::Path, start: &str, end: &str| -> Result<String> {
        for entry in std::fs::read_dir(dir)? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if name.starts_with(start) && name.ends_with(end) {
                return Ok(name);
            }
        }
        anyhow::bail!("no {start}*{end} in {}", dir.display())
    };
    let wasm = find(&help, "fixpath-widget.", ".wasm")?;
    let index = find(&help.join("kb"), "index.", ".bin")?;
    Ok((site, wasm, index))
}

async fn check(
    site: &std::path::Path,
    server: &Server,
    wasm: &str,
    index: &str,
    encoding: &str,
) -> Result<()> {
    let wasm_bytes = std::fs::metadata(site.join("docs/help").join(wasm))?.len() as usize;
    let head = hosting::get(&format!("{}/docs/help/{wasm}", server.url)).await?;
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(head.header("content-type"), Some("application/wasm"));
    assert_eq!(
        head.header("content-encoding"),
        Some(encoding),
        "the precompressed copy is sent"
    );
    assert!(
        head.body_len < wasm_bytes / 2,
        "compressed: {} of {wasm_bytes} bytes",
        head.body_len
    );

    let head = hosting::get(&format!("{}/docs/help/kb/{index}", server.url)).await?;
    assert_eq!(
        head.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    for entry in ["fixpath.js", "kb/manifest.json"] {
        let head = hosting::get(&format!("{}/docs/help/{entry}", server.url)).await?;
        assert_eq!(head.status, 200, "{entry}");
        assert_eq!(
            head.header("cache-control"),
            Some("no-cache"),
            "{entry} is revalidated"
        );
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nginx_recipe_caches_hashed_files_forever_and_sends_them_precompressed() -> Result<()> {
    let (site, wasm, index) = published_site()?;
    let server = hosting::nginx(site.path(), None).await?;
    check(site.path(), &server, &wasm, &index, "gzip").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_caddy_recipe_caches_hashed_files_forever_and_sends_them_precompressed() -> Result<()> {
    let (site, wasm, index) = published_site()?;
    let server = hosting::caddy(site.path()).await?;
    check(site.path(), &server, &wasm, &index, "br").await
}
