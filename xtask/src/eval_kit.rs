//! The shared eval kit (`../shared/eval-kb`, or `FIXPATH_EVAL_KB`): 430 real help-centre
//! articles and the dev queries, used by the benchmarks and the browser-parity test. It is
//! not part of the repository: what needs it runs when it is there, and says what it
//! skipped when it is not.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// Files in the kit that are not articles (the top-level README is skipped by default).
const EXCLUDES: &[&str] = &["*/SOURCE.md"];

pub struct EvalKit {
    pub dir: PathBuf,
    pub queries: PathBuf,
}

impl EvalKit {
    /// The kit at `FIXPATH_EVAL_KB`, else `../shared/eval-kb` beside the checkout.
    pub fn locate(root: &Path) -> Option<EvalKit> {
        let dir = Self::dir(root);
        let queries = dir.join("queries-dev.jsonl");
        queries.exists().then_some(EvalKit { dir, queries })
    }

    fn dir(root: &Path) -> PathBuf {
        std::env::var_os("FIXPATH_EVAL_KB")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/eval-kb"))
    }

    /// Why [`EvalKit::locate`] found nothing, in a few words.
    pub fn missing() -> String {
        "it needs the eval kit (../shared/eval-kb beside this checkout, or FIXPATH_EVAL_KB), which is not here".to_string()
    }

    /// The kit's articles (paths relative to it, sorted): its markdown files but the
    /// top-level README and the `SOURCE.md` attributions.
    pub fn article_paths(&self) -> Result<Vec<PathBuf>> {
        fn walk(dir: &Path, relative: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
            for entry in std::fs::read_dir(dir)? {
                let entry = entry?;
                let name = entry.file_name();
                let path = relative.join(&name);
                if entry.file_type()?.is_dir() {
                    walk(&entry.path(), &path, out)?;
                } else if name.to_string_lossy().ends_with(".md")
                    && name != "SOURCE.md"
                    && path != Path::new("README.md")
                {
                    out.push(path);
                }
            }
            Ok(())
        }
        let mut out = Vec::new();
        walk(&self.dir, Path::new(""), &mut out)?;
        out.sort();
        Ok(out)
    }

    /// `--kb DIR --exclude …` for `fixpath search` and `fixpath export-text`.
    pub fn kb_args(&self) -> Vec<String> {
        let mut args = vec!["--kb".to_string(), self.dir.display().to_string()];
        for glob in EXCLUDES {
            args.extend(["--exclude".to_string(), glob.to_string()]);
        }
        args
    }

    /// Builds the kit's help folder into `out` with `fixpath build`; returns its kb bundle.
    pub fn build_bundle(&self, fixpath: &Path, out: &Path) -> Result<PathBuf> {
        let mut cmd = Command::new(fixpath);
        cmd.arg("build").arg(&self.dir).arg("--out").arg(out);
        for glob in EXCLUDES {
            cmd.args(["--exclude", glob]);
        }
        // The kit's articles point at images and pages it does not include: the indexer
        // warns about each, which says nothing about Fixpath. Show the summary and a count.
        let output = cmd
            .output()
            .with_context(|| format!("could not start {cmd:?}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            bail!("{cmd:?} failed:\n{stderr}");
        }
        let warnings = stderr.lines().filter(|l| l.contains(": warning: ")).count();
        println!(
            "{} ({warnings} warnings about files missing from the eval kit, not shown)",
            stderr.lines().last().unwrap_or_default()
        );
        Ok(out.join("kb"))
    }

    /// Writes every article's searchable text (`fixpath export-text`) into `out`.
    pub fn export_text(&self, fixpath: &Path, out: &Path) -> Result<()> {
        capture(
            Command::new(fixpath)
                .arg("export-text")
                .args(self.kb_args()),
            out,
        )
    }

    /// Answers the queries of `queries` (the dev queries, say) with `fixpath search`, as
    /// JSON lines, into `out`.
    pub fn answer_queries(&self, fixpath: &Path, queries: &Path, out: &Path) -> Result<()> {
        let mut cmd = Command::new(fixpath);
        cmd.arg("search")
            .args(self.kb_args())
            .arg("--queries")
            .arg(queries);
        cmd.args(["--format", "jsonl"]);
        capture(&mut cmd, out)
    }
}

/// Runs `cmd`, writing its stdout to `path`.
pub fn capture(cmd: &mut Command, path: &Path) -> Result<()> {
    let output = cmd
        .output()
        .with_context(|| format!("could not start {cmd:?}"))?;
    if !output.status.success() {
        bail!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    std::fs::write(path, output.stdout)?;
    Ok(())
}
