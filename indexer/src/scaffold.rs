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
/// With `gap` (a search customers made that the kb does not answer, from `fixpath
/// insights`), the path defaults to the search's words and the article starts from it:
/// its title, and its first symptom in the customer's own words.
pub fn scaffold(
    kb: &Path,
    kind: Kind,
    path: Option<&str>,
    gap: Option<&str>,
) -> Result<std::path::PathBuf> {
    let path = match (path, gap) {
        (Some(path), _) => path.to_string(),
        (None, Some(gap)) => slug(gap),
        (None, None) => bail!("name the new file's path inside the kb, e.g. uploads/slow-uploads"),
    };
    if path.is_empty() {
        bail!("that search has no words to name a file after: give a path too");
    }
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
    let title = title_from_slug(gap.unwrap_or(stem));
    // JSON strings are YAML double-quoted scalars: the customer's words, whatever they
    // hold, stay one value.
    let title = serde_json::to_string(&title)?;
    let symptom = serde_json::to_string(gap.unwrap_or("how a customer would describe this"))?;
    let text = match kind {
        Kind::Article => format!(
            "---\ntitle: {title}\nsummary: One sentence customers see under the title in search results.\n\
             symptoms: [{symptom}]\ntags: []\n---\n\n\
             Write the answer here. An article without `##` sections is shown as one step:\n\
             the customer says whether it solved the problem.\n"
        ),
        Kind::Guide => format!(
            "---\ntitle: {title}\nsummary: One sentence customers see under the title in search results.\n\
             errors: [\"E-CODE-123\", \"Exact error message customers paste\"]\n\
             symptoms: [{symptom}]\ntags: []\n---\n\n\
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

/// `Scanner smells of burnt toast!` → `scanner-smells-of-burnt-toast`: letters and digits
/// of the first eight words.
fn slug(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
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
