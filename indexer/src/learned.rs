//! Phrasings learned from insights (`--insights FILE` on `check`, `build` and `search`):
//! the searches after which customers' problems were fixed by an article become extra
//! search text for that article, so the next customer who puts it the same way finds it
//! sooner. They come from an insights export (`fixpath insights --save`, or `export.json`
//! from an insights page), k-anonymous: a search counts only once [`MIN_PAGES`] pages made
//! it, and it must have led to the article's fix at least [`MIN_FIXES`] times. At most
//! [`MAX_PER_ARTICLE`] per article; `check` lists them so writers can review them.
//!
//! They join the article's `Meta` field, beside its `symptoms`: what customers say.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use fixpath_engine::insights::{k_anonymous, DayTally, MIN_PAGES};

use crate::kb::Kb;

/// Most phrasings learned for one article.
pub const MAX_PER_ARTICLE: usize = 10;
/// Fixes after a search before it is learned: one customer's luck is not a pattern.
pub const MIN_FIXES: u64 = 2;

/// Learned phrasings, by article id, best first.
pub type Learned = BTreeMap<String, Vec<String>>;

/// The phrasings `days` teach, for the articles of the kb.
pub fn learn(days: &[(String, DayTally)]) -> Learned {
    let mut period = DayTally::default();
    for (_, day) in k_anonymous(days, MIN_PAGES) {
        period.merge(&day);
    }
    let mut by_article: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
    for (query, tally) in &period.queries {
        for (article, &fixes) in &tally.resolved_by {
            if fixes >= MIN_FIXES && !query.trim().is_empty() {
                by_article
                    .entry(article.clone())
                    .or_default()
                    .push((fixes, query.clone()));
            }
        }
    }
    by_article
        .into_iter()
        .map(|(article, mut phrasings)| {
            // Most fixes first; ties by text, so a build is the same every time.
            phrasings.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let kept = phrasings
                .into_iter()
                .take(MAX_PER_ARTICLE)
                .map(|(_, q)| q)
                .collect();
            (article, kept)
        })
        .collect()
}

/// Reads an insights export and learns from it.
pub fn read(path: &Path) -> Result<Learned> {
    let json =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(learn(&crate::insights::parse(path, &json)?))
}

/// Adds `learned` to the articles of `kb` it names (others are gone from the kb: skipped).
/// Returns the phrasings added, by article, for the writers to see.
pub fn apply(kb: &mut Kb, learned: &Learned) -> Learned {
    let mut added = Learned::new();
    for (id, article) in &mut kb.articles {
        let Some(phrasings) = learned.get(id.as_str()) else {
            continue;
        };
        for phrasing in phrasings {
            article.meta_text.push('\n');
            article.meta_text.push_str(phrasing);
        }
        added.insert(id.clone(), phrasings.clone());
    }
    added
}

/// What `check` and `build` print about `added` (nothing when empty).
pub fn describe(kb_root: &Path, added: &Learned) -> String {
    let mut out = String::new();
    for (id, phrasings) in added {
        let quoted: Vec<String> = phrasings.iter().map(|p| format!("{p:?}")).collect();
        out.push_str(&format!(
            "{}: note: learned from insights: {}\n",
            kb_root.join(id).display(),
            quoted.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use fixpath_engine::insights::{Batch, Insight, SearchedFor};

    /// `pages` pages search `query`; the first `fixed` of them are fixed by `article`.
    fn sessions(day: &mut DayTally, query: &str, article: &str, pages: u64, fixed: u64) {
        for i in 0..pages {
            let mut insights = vec![Insight::Search {
                query: SearchedFor::Terms(query.split(' ').map(String::from).collect()),
                results: 3,
            }];
            if i < fixed {
                insights.push(Insight::Resolved {
                    article: article.into(),
                });
            }
            day.add(&Batch {
                page: "0123456789abcdef".into(),
                insights,
            });
        }
    }

    #[test]
    fn only_searches_enough_pages_made_and_that_fixed_it_twice_are_learned() {
        let mut day = DayTally::default();
        sessions(&mut day, "tower wake night", "sleep.md", 5, 3);
        sessions(&mut day, "pc turn on itself", "sleep.md", 5, 2);
        sessions(&mut day, "pc wake 2am", "sleep.md", 5, 1); // fixed once: luck
        sessions(&mut day, "jane doe laptop", "sleep.md", 4, 4); // four pages: private
        let learned = learn(&[("2026-11-30".into(), day)]);
        assert_eq!(
            learned["sleep.md"],
            ["tower wake night", "pc turn on itself"],
            "most fixes first"
        );
    }
}
