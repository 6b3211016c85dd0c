//! `fixpath new article|guide PATH`: a new kb file that already passes `fixpath check`,
//! showing the format by example.

use std::path::Path;

use anyhow::{bail, Context, Result};

/// What to scaffold.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// One answer, no steps.
    Article,
    /// Fixes shown one step at a time.
    Guide,
}

/// Writes `kb/PATH.md` (".md" added if missing); never overwrites. Returns the path written.
pub fn scaffold(kb: &Path, kind: Kind, path: &str) -> Result<std::path::PathBuf> {
    let relative = if path.ends_with(".md") {
        path.to_string()
    } else {
        format!("{path}.md")
    };
    let target = kb.join(&relative);
    if target.exists() {
        bail!("{} already exists; choose another name", target.display());
    }
    let stem = Path::new(&relative)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("new article");
    let title = title_from_slug(stem);
    let text = match kind {
        Kind::Article => format!(
            "---\ntitle: {title}\nsummary: One sentence customers see under the title in search results.\n\
             symptoms: [\"how a customer would describe this\"]\ntags: []\n---\n\n\
             Write the answer here. An article without `##` sections is shown as one step:\n\
             the customer says whether it solved the problem.\n"
        ),
        Kind::Guide => format!(
            "---\ntitle: {title}\nsummary: One sentence customers see under the title in search results.\n\
             errors: [\"E-CODE-123\", \"Exact error message customers paste\"]\n\
             symptoms: [\"how a customer would describe this\"]\ntags: []\n---\n\n\
             Optional introduction, shown above the first step.\n\n\
             ## Where do you see the problem?\n\n\
             A step that ends with a list of links to steps is a question: each item is an answer.\n\n\
             - [In the browser](#first-fix-to-try)\n\
             - [In the mobile app](#second-fix-to-try)\n\
             - [Somewhere else](#contact)\n\n\
             ## First fix to try\n\nOne fix per `##` section. Say exactly what to click or type.\n\n\
             Next: [Contact support](#contact)\n\n\
             ## Second fix to try\n\nWhen a fix didn't help, the customer goes on to the step below it, or to \n\
             the `Next:` step; after the last one they get the ticket form with the steps they\n\
             tried already filled in.\n"
        ),
    };
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::write(&target, text).with_context(|| format!("writing {}", target.display()))?;
    Ok(target)
}

/// `slow-uploads` → `Slow uploads`.
fn title_from_slug(slug: &str) -> String {
    let words = slug.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "New article".to_string(),
    }
}
