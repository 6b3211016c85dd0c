//! How guide steps lead to each other, in plain markdown that also reads well on GitHub:
//!
//! - every `##` step has an anchor, the GitHub slug of its heading (`## Clear the cache`
//!   is `#clear-the-cache`), plus two reserved ones: `#contact` (offer the ticket form) and
//!   `#fixed` (the problem is solved);
//! - a step whose section ends with a list of links to anchors is a **question**: each
//!   item is one answer (`- [On a phone](#on-a-phone)`);
//! - a fix goes on to the step below it when it did not help, or to `#contact` after the
//!   last step, unless its section ends with a line `Next: [Some step](#some-step)`.
//!
//! This module takes those endings off a step's markdown events and, once every heading is
//! known, turns anchors into [`Target`]s, reporting each one that leads nowhere.

use std::ops::Range;
use std::path::Path;

use fixpath_engine::guide::{Choice, Guide, Route, Target};
use pulldown_cmark::{Event, Tag, TagEnd};

use crate::diagnostic::{Diagnostic, Severity};

/// A markdown event and where it is in the article body.
pub type Located<'a> = (Event<'a>, Range<usize>);

/// A link to an anchor, where the author wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorLink {
    /// Without the `#`.
    pub anchor: String,
    /// Byte offset in the body.
    pub offset: usize,
}

/// A step's way on, as written (anchors not yet resolved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WrittenRoute {
    Fix { next: Option<AnchorLink> },
    Question { answers: Vec<(String, AnchorLink)> },
}

/// Removes a trailing answer list or `Next:` line from a step's events and returns the
/// route it states (a plain fix when there is neither).
pub fn take_route(events: &mut Vec<Located>) -> WrittenRoute {
    let Some(start) = last_block_start(events) else {
        return WrittenRoute::Fix { next: None };
    };
    let block = &events[start..];
    let route = match &block[0].0 {
        Event::Start(Tag::List(_)) => {
            answer_list(block).map(|answers| WrittenRoute::Question { answers })
        }
        Event::Start(Tag::Paragraph) => {
            next_line(block).map(|next| WrittenRoute::Fix { next: Some(next) })
        }
        _ => None,
    };
    match route {
        Some(route) => {
            events.truncate(start);
            route
        }
        None => WrittenRoute::Fix { next: None },
    }
}

/// Index of the event that opens the last top-level block.
fn last_block_start(events: &[Located]) -> Option<usize> {
    let mut depth = 0usize;
    let mut start = None;
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(_) => {
                if depth == 0 {
                    start = Some(i);
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Rule | Event::Html(_) if depth == 0 => start = Some(i),
            _ => {}
        }
    }
    start
}

/// `- [label](#anchor)` for every item of the list, and nothing else: the answers.
fn answer_list(block: &[Located]) -> Option<Vec<(String, AnchorLink)>> {
    let mut answers = Vec::new();
    let mut i = 1;
    while i < block.len() {
        match &block[i].0 {
            Event::Start(Tag::Item) => {
                let end = i + block[i..]
                    .iter()
                    .position(|(e, _)| matches!(e, Event::End(TagEnd::Item)))?;
                answers.push(lone_anchor_link(&block[i + 1..end])?);
                i = end + 1;
            }
            Event::End(TagEnd::List(_)) => break,
            _ => return None,
        }
    }
    (!answers.is_empty()).then_some(answers)
}

/// A paragraph `Next: [label](#anchor)`.
fn next_line(block: &[Located]) -> Option<AnchorLink> {
    let Event::Text(first) = &block.get(1)?.0 else {
        return None;
    };
    let rest = first.trim_start().strip_prefix("Next:")?;
    if !rest.trim().is_empty() {
        return None;
    }
    let inner = &block[2..block.len().checked_sub(1)?];
    lone_anchor_link(inner).map(|(_, link)| link)
}

/// Events that are exactly one link to `#anchor` (maybe inside a paragraph, maybe with
/// blank text around it): its label and anchor.
fn lone_anchor_link(events: &[Located]) -> Option<(String, AnchorLink)> {
    let events: Vec<&Located> = events
        .iter()
        .filter(|(e, _)| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            ) && !matches!(e, Event::Text(t) if t.trim().is_empty())
        })
        .collect();
    let ((Event::Start(Tag::Link { dest_url, .. }), range), (Event::End(TagEnd::Link), _)) =
        (events.first()?, events.last()?)
    else {
        return None;
    };
    let anchor = dest_url.strip_prefix('#')?.to_string();
    let mut label = String::new();
    for (event, _) in &events[1..events.len() - 1] {
        match event {
            Event::Text(t) | Event::Code(t) => label.push_str(t),
            Event::SoftBreak => label.push(' '),
            Event::Start(Tag::Emphasis | Tag::Strong)
            | Event::End(TagEnd::Emphasis | TagEnd::Strong) => {}
            _ => return None,
        }
    }
    let label = label.trim().to_string();
    if label.is_empty() {
        return None;
    }
    let link = AnchorLink {
        anchor,
        offset: range.start,
    };
    Some((label, link))
}

/// GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as hyphens.
pub fn slug(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Anchors that do not name a step.
const CONTACT: &str = "contact";
const FIXED: &str = "fixed";

/// A step as the section splitter found it.
pub struct WrittenStep {
    pub title: String,
    pub html: String,
    /// Byte offset of its `##` heading in the body.
    pub offset: usize,
    pub route: WrittenRoute,
}

/// Turns written steps into a guide: anchors become targets; a link to no step, a step no
/// path reaches and a loop with no way out are reported at their line (`line_of` maps a
/// body offset to a 1-based line and column).
pub fn resolve(
    path: &Path,
    intro_html: String,
    written: Vec<WrittenStep>,
    line_of: impl Fn(usize) -> (usize, usize),
    problems: &mut Vec<Diagnostic>,
) -> Guide {
    let problems_before = problems.len();
    let anchors: Vec<String> = written.iter().map(|s| slug(&s.title)).collect();
    let first_title = written.first().map(|s| s.title.clone());
    let count = written.len();
    let target = |link: &AnchorLink, problems: &mut Vec<Diagnostic>| -> Target {
        let wanted = link.anchor.to_lowercase();
        if let Some(n) = anchors.iter().position(|a| *a == wanted) {
            return Target::Step(n as u32);
        }
        match wanted.as_str() {
            CONTACT => return Target::Contact,
            FIXED => return Target::Fixed,
            _ => {}
        }
        let (line, column) = line_of(link.offset);
        let known = anchors.iter().map(String::as_str).chain([CONTACT, FIXED]);
        let hint = match strsim_closest(&wanted, known) {
            Some(close) => format!("did you mean `#{close}`?"),
            None => format!(
                "link to a step's heading as written on GitHub (`## {}` is `#{}`), or to `#contact` or `#fixed`",
                first_title.as_deref().unwrap_or("Clear the cache"),
                anchors.first().map_or("clear-the-cache", String::as_str),
            ),
        };
        problems.push(
            Diagnostic::error(
                path,
                line,
                format!("`#{}` is not a step of this guide; {hint}", link.anchor),
            )
            .at_column(column),
        );
        // Support is where a broken link is safest; the build stops on the error anyway.
        Target::Contact
    };
    let mut steps = Vec::with_capacity(count);
    for (n, step) in written.into_iter().enumerate() {
        let route = match &step.route {
            WrittenRoute::Fix { next: None } => Route::Fix {
                next: Guide::default_next(n, count),
            },
            WrittenRoute::Fix { next: Some(link) } => Route::Fix {
                next: target(link, problems),
            },
            WrittenRoute::Question { answers } => Route::Question {
                answers: answers
                    .iter()
                    .map(|(label, link)| Choice {
                        label: label.clone(),
                        target: target(link, problems),
                    })
                    .collect(),
            },
        };
        if matches!(route, Route::Fix { .. }) && step.html.trim().is_empty() {
            let (line, _) = line_of(step.offset);
            problems.push(Diagnostic::warning(
                path,
                line,
                format!(
                    "step `{}` is empty: say what the customer should do",
                    step.title
                ),
            ));
        }
        steps.push((
            step.offset,
            fixpath_engine::guide::Step {
                title: step.title,
                html: step.html,
                route,
            },
        ));
    }
    let (offsets, steps): (Vec<usize>, Vec<_>) = steps.into_iter().unzip();
    let dead_links = problems[problems_before..]
        .iter()
        .any(|d| d.severity == Severity::Error);
    let guide = Guide {
        intro_html,
        steps,
        ticket_fields: Vec::new(),
    };
    let step_problem = |n: usize, message: String| {
        let (line, _) = line_of(offsets[n]);
        Diagnostic::error(path, line, message)
    };
    if dead_links {
        // Fixing the links changes which steps are reached: report only those first.
        return guide;
    }
    for n in guide.unreachable_steps() {
        problems.push(step_problem(
            n,
            format!(
                "step `{}` can't be reached: no answer or `Next:` leads to it",
                guide.steps[n].title
            ),
        ));
    }
    let trapped = guide.trapped_steps();
    if let Some(&first) = trapped.first() {
        let names: Vec<String> = trapped
            .iter()
            .map(|n| format!("`{}`", guide.steps[*n].title))
            .collect();
        problems.push(step_problem(
            first,
            format!(
                "this guide goes round in a loop with no way out ({}): let an answer or `Next:` lead to `#contact`, `#fixed` or a step outside the loop",
                names.join(" → ")
            ),
        ));
    }
    guide
}

/// The candidate within two edits of `wanted`, if any (closest first).
fn strsim_closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::damerau_levenshtein(wanted, c), c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_github() {
        assert_eq!(slug("Clear the cache"), "clear-the-cache");
        assert_eq!(slug("Is it on Wi-Fi?"), "is-it-on-wi-fi");
        assert_eq!(
            slug("Step 2: Use `fixpath check`"),
            "step-2-use-fixpath-check"
        );
        assert_eq!(slug("Réinitialiser"), "réinitialiser");
    }
}
