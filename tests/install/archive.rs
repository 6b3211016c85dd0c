//! The release archive: unpack, run the binary inside, build a kb. Nothing else needed.

use std::process::Command;

use anyhow::Result;

use crate::{artifact, check_install, run};

#[test]
fn the_release_archive_unpacks_to_a_fixpath_that_builds_a_kb() -> Result<()> {
    let archive = artifact("FIXPATH_RELEASE_ARCHIVE")?;
    let home = tempfile::tempdir()?;
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(home.path()))?;
    let folder = home.path().join(
        archive
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".tar.gz"),
    );
    for file in [
        "fixpath",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "docs/hosting.md",
        "docs/relay.md",
    ] {
        assert!(folder.join(file).exists(), "{file} is in the archive");
    }
    let fixpath = folder.join("fixpath");
    let site = tempfile::tempdir()?;
    check_install(site.path(), |args| {
        let mut cmd = Command::new(&fixpath);
        cmd.args(args);
        cmd
    })
}
