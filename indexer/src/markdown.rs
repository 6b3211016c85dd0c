//! One markdown article → title, searchable text per field, and a guide with sanitized HTML.
//!
//! Authoring rules (documented in `kb/README.md`):
//! - optional YAML front matter between `---` lines ([`crate::front_matter`]); unknown keys
//!   are ignored so real help-centre markdown indexes as-is;
//! - the title is the front matter `title`, else the first `#` heading;
//! - each `##` section is one guide step; text before the first `##` is the introduction;
//!   an article without `##` sections is a one-step guide; how steps lead to each other
//!   (questions, `Next:`) is [`crate::routes`];
//! - links and images to files are collected for the kb to check.
//!
//! All HTML goes through `ammonia` before it reaches the bundle: kb content is untrusted.

use std::path::{Path, PathBuf};

use fixpath_engine::guide::Guide;
use fixpath_engine::ticket_fields::spec_problems;
use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostic::{line_column, Diagnostic};
use crate::front_matter::{
    check_front_matter_keys, parse_front_matter, split_front_matter, FrontMatter,
};
use crate::routes::{self, Located, WrittenStep};
use crate::step_headings::StepHeadings;

/// An article as the indexer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedArticle {
    /// The file, as diagnostics show it.
    pub path: PathBuf,
    pub title: String,
    pub summary: String,
    pub errors: Vec<String>,
    /// Summary, symptoms, errors and tags: the `Meta` search field.
    pub meta_text: String,
    /// Section headings: the `Heading` search field.
    pub headings_text: String,
    /// Everything else: the `Body` search field.
    pub body_text: String,
    pub guide: Guide,
    /// The front matter `id`, if any, and the line it is on.
    pub id: Option<(String, usize)>,
    pub draft: bool,
    /// Links and images to files (not web addresses, not anchors), for the kb to check.
    pub local_links: Vec<LocalLink>,
}

/// A link or image pointing at a path, where the author wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalLink {
    /// As written, without `#fragment` or `?query`.
    pub target: String,
    pub image: bool,
    pub line: usize,
    pub column: usize,
}

/// Parses `source` (the contents of `path`), adding every problem found to `problems`.
/// Returns the article unless a problem stops it from being one.
pub fn parse_article(
    path: &Path,
    source: &str,
    step_headings: &StepHeadings,
    problems: &mut Vec<Diagnostic>,
) -> Option<ParsedArticle> {
    let first_new = problems.len();
    problems.extend(check_front_matter_keys(path, source));
    let article = parse_parts(path, source, step_headings, problems)
        .map_err(|d| problems.push(d))
        .ok();
    // In reading order, as an author fixes them.
    problems[first_new..].sort_by_key(|d| (d.line, d.column));
    article
}

fn parse_parts(
    path: &Path,
    source: &str,
    step_headings: &StepHeadings,
    problems: &mut Vec<Diagnostic>,
) -> Result<ParsedArticle, Diagnostic> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let (front, body, body_first_line) = split_front_matter(path, source)?;
    let front = match front {
        Some(yaml) if !yaml.trim().is_empty() => parse_front_matter(path, yaml)?,
        _ => FrontMatter::default(),
    };

    let sections = split_sections(body, step_headings);
    let title = front
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| sections.h1.clone())
        .ok_or_else(|| {
            Diagnostic::error(
                path,
                body_first_line,
                "missing title: add `title:` to the front matter or a `# Title` heading",
            )
        })?;
    let summary = front.summary.or(front.description).unwrap_or_default();

    let mut meta_text = summary.clone();
    for extra in front
        .symptoms
        .iter()
        .chain(&front.errors)
        .chain(&front.tags)
    {
        meta_text.push('\n');
        meta_text.push_str(extra);
    }

    for problem in spec_problems(&front.ticket_fields) {
        // Where the field is declared (line 1 if it cannot be told).
        let line = source
            .lines()
            .position(|l| l.contains(&format!("key: {}", problem.value())))
            .map_or(1, |i| i + 1);
        problems.push(Diagnostic::error(
            path,
            line,
            format!("ticket_fields: {}", crate::problem_words::fields(&problem)),
        ));
    }
    let guide = if sections.steps.is_empty() {
        // No `##` sections: the whole article is the one fix.
        Guide::linear(String::new(), vec![(title.clone(), sections.intro_html)])
    } else {
        let line_of = |offset: usize| {
            let (line, column) = line_column(body, offset);
            (line + body_first_line - 1, column)
        };
        routes::resolve(path, sections.intro_html, sections.steps, line_of, problems)
    };
    Ok(ParsedArticle {
        path: path.to_path_buf(),
        title,
        summary,
        errors: front.errors,
        meta_text,
        headings_text: sections.headings_text,
        body_text: sections.body_text,
        guide: Guide {
            ticket_fields: front.ticket_fields,
            ..guide
        },
        id: front.id.map(|id| {
            let line = source
                .lines()
                .position(|l| l.starts_with("id:"))
                .map_or(1, |i| i + 1);
            (id, line)
        }),
        draft: front.draft,
        local_links: sections
            .links
            .into_iter()
            .map(|(target, image, offset)| {
                let (line, column) = line_column(body, offset);
                LocalLink {
                    target,
                    image,
                    line: line + body_first_line - 1,
                    column,
                }
            })
            .collect(),
    })
}

#[derive(Default)]
struct Sections {
    h1: Option<String>,
    intro_html: String,
    steps: Vec<WrittenStep>,
    headings_text: String,
    body_text: String,
    /// (path as written, is an image, offset) of links to files.
    links: Vec<(String, bool, usize)>,
}

/// The path part of a link that points at a file: not a web address, an e-mail, a
/// site-absolute path or an anchor in the same page.
fn local_target(url: &str) -> Option<String> {
    let path = url.split(['#', '?']).next().unwrap_or("");
    let has_scheme = path.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if path.is_empty() || has_scheme || path.starts_with('/') {
        return None;
    }
    Some(path.replace("%20", " "))
}

/// Walks the markdown once: the first `#` heading (before any content) is the title, each
/// `##` opens a step, other headings stay in their step; text is routed to the heading or
/// body search field.
fn split_sections(body: &str, step_headings: &StepHeadings) -> Sections {
    let mut out = Sections::default();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // With patterns, an article that has a matching heading is split at those headings
    // ("### Method 1: …"); any other article keeps one step per `##`.
    let by_pattern = matching_heading_exists(body, options, step_headings);
    // In pattern mode: the level of the open step's heading; a heading at that level or
    // above which does not match ends the steps ("## More information").
    let mut step_level: Option<HeadingLevel> = None;
    let mut current: Vec<Located> = Vec::new();
    // The open step's title and the offset of its heading.
    let mut current_title: Option<(String, usize)> = None;
    // While inside a heading: its level, its events, its plain text and its offset.
    let mut heading: Option<(HeadingLevel, Vec<Located>, String, usize)> = None;
    let mut seen_content = false;

    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &event {
            if let Some(target) = local_target(dest_url) {
                let image = matches!(event, Event::Start(Tag::Image { .. }));
                out.links.push((target, image, range.start));
            }
        }
        if let Event::Start(Tag::Heading { level, .. }) = &event {
            heading = Some((*level, Vec::new(), String::new(), range.start));
        }
        let Some((level, events, text, offset)) = heading.as_mut() else {
            match &event {
                // Inline text joins up as written ("E-UP-504, the"); blocks and line
                // breaks separate words.
                Event::Text(t) | Event::Code(t) => out.body_text.push_str(t),
                Event::SoftBreak | Event::HardBreak => push_separator(&mut out.body_text),
                Event::End(end) if !is_inline(end) => push_separator(&mut out.body_text),
                _ => {}
            }
            seen_content = true;
            current.push((event, range));
            continue;
        };
        if let Event::Text(t) | Event::Code(t) = &event {
            text.push_str(t);
        }
        let ends_heading = matches!(event, Event::End(TagEnd::Heading(_)));
        events.push((event, range));
        if !ends_heading {
            continue;
        }
        let (level, events, text, offset) = (
            *level,
            std::mem::take(events),
            text.trim().to_string(),
            *offset,
        );
        heading = None;
        let starts_step = if by_pattern {
            step_headings.matches(&text)
        } else {
            level == HeadingLevel::H2
        };
        let ends_steps = by_pattern && step_level.is_some_and(|open| level <= open);
        if level == HeadingLevel::H1 && out.h1.is_none() && !seen_content {
            out.h1 = Some(text);
        } else if starts_step {
            flush_section(&mut out, current_title.take(), &mut current);
            push_line(&mut out.headings_text, &text);
            current_title = Some((text, offset));
            step_level = Some(level);
        } else if ends_steps {
            flush_section(&mut out, current_title.take(), &mut current);
            push_line(&mut out.headings_text, &text);
            step_level = None;
        } else {
            push_line(&mut out.headings_text, &text);
            current.extend(events);
        }
        seen_content = true;
    }
    flush_section(&mut out, current_title, &mut current);
    out
}

/// Whether a heading of level 2 or below matches the kb's step patterns.
fn matching_heading_exists(body: &str, options: Options, step_headings: &StepHeadings) -> bool {
    let mut text: Option<String> = None;
    for event in Parser::new_ext(body, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) if level != HeadingLevel::H1 => {
                text = Some(String::new())
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(text) = text.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let matched = text.take().is_some_and(|t| step_headings.matches(&t));
                if matched {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Renders a section's events to sanitized HTML: the introduction, or a step if titled
/// (its answer list or `Next:` line taken off first: the widget shows those as buttons).
/// Untitled text after the steps (pattern mode's "More information") stays searchable but
/// is not part of the guide.
fn flush_section(out: &mut Sections, title: Option<(String, usize)>, events: &mut Vec<Located>) {
    let route = title.as_ref().map(|_| routes::take_route(events));
    let mut raw = String::new();
    html::push_html(&mut raw, events.drain(..).map(|(event, _)| event));
    let clean = ammonia::clean(&raw);
    match (title, route) {
        (Some((title, offset)), Some(route)) => out.steps.push(WrittenStep {
            title,
            html: clean,
            offset,
            route,
        }),
        _ if out.steps.is_empty() => out.intro_html = clean,
        _ => {}
    }
}

/// Whether a closing tag is inline (inside a line of text) rather than a block.
fn is_inline(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// Ends the current word run with one space (never two, never leading).
fn push_separator(buffer: &mut String) {
    if !buffer.is_empty() && !buffer.ends_with(' ') {
        buffer.push(' ');
    }
}

fn push_line(buffer: &mut String, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    if !buffer.is_empty() {
        buffer.push(' ');
    }
    buffer.push_str(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The article, or the first problem found.
    fn parse(source: &str) -> Result<ParsedArticle, String> {
        let (article, problems) = parse_with_problems(source);
        match problems.first() {
            Some(d) => Err(d.to_string()),
            None => Ok(article.expect("no problem, so an article")),
        }
    }

    fn parse_with_problems(source: &str) -> (Option<ParsedArticle>, Vec<String>) {
        let mut problems = Vec::new();
        let article = parse_article(
            Path::new("kb/a.md"),
            source,
            &StepHeadings::default(),
            &mut problems,
        );
        (article, problems.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn sections_become_steps_and_h1_becomes_the_title() {
        let a = parse("# Uploads fail\n\nIntro text.\n\n## Check the size\n\nMax **100 MB**.\n\n## Retry\n\nAgain.\n").unwrap();
        assert_eq!(a.title, "Uploads fail");
        assert_eq!(a.guide.intro_html, "<p>Intro text.</p>\n");
        let titles: Vec<_> = a.guide.steps.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Check the size", "Retry"]);
        assert_eq!(
            a.guide.steps[0].html,
            "<p>Max <strong>100 MB</strong>.</p>\n"
        );
        assert_eq!(a.headings_text, "Check the size Retry");
        assert_eq!(a.body_text.trim_end(), "Intro text. Max 100 MB. Again.");
    }

    #[test]
    fn front_matter_feeds_title_summary_and_meta() {
        let a = parse("---\ntitle: Sign-in\ndescription: Can't log in\nerrors: [E-401]\nms.date: 1/1/2020\n---\nBody.\n").unwrap();
        assert_eq!(a.title, "Sign-in");
        assert_eq!(a.summary, "Can't log in");
        assert_eq!(a.meta_text, "Can't log in\nE-401");
        assert_eq!(
            a.guide.steps.len(),
            1,
            "an article without sections is a one-step guide"
        );
        assert_eq!(a.guide.steps[0].html, "<p>Body.</p>\n");
    }

    #[test]
    fn scripts_and_handlers_are_sanitized_away() {
        let a = parse("# T\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n").unwrap();
        let html = &a.guide.steps[0].html;
        assert!(
            !html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"),
            "{html}"
        );
    }

    #[test]
    fn misspelt_front_matter_keys_get_a_suggestion_and_others_are_left_alone() {
        let source =
            "---\ntitle: T\nsymptom: [slow]\nms.date: 1/1/2020\nauthor: x\ntagz: [a]\n---\nBody\n";
        let (article, warnings) = parse_with_problems(source);
        assert!(article.is_some(), "warnings never stop an article");
        assert_eq!(
            warnings,
            [
                "kb/a.md:3:1: warning: unknown front matter key `symptom`; did you mean `symptoms`?",
                "kb/a.md:6:1: warning: unknown front matter key `tagz`; did you mean `tags`?",
            ]
        );
        assert!(parse_with_problems("# No front matter\n").1.is_empty());
    }

    #[test]
    fn problems_are_reported_by_line() {
        assert_eq!(
            parse("---\ntitle: [unclosed\n---\n")
                .unwrap_err()
                .split(": invalid")
                .next(),
            Some("kb/a.md:2:8: error")
        );
        assert_eq!(
            parse("---\ntitle: x\n").unwrap_err(),
            "kb/a.md:1:1: error: front matter is not closed: add a `---` line after it"
        );
        assert!(parse("---\ndescription: d\n---\nno heading\n")
            .unwrap_err()
            .starts_with("kb/a.md:4:1: error: missing title"));
        assert!(parse("---\nerrors: 5\n---\n# T\n")
            .unwrap_err()
            .starts_with("kb/a.md:2:"));
    }

    #[test]
    fn a_trailing_answer_list_makes_a_question_and_next_redirects_a_fix() {
        use fixpath_engine::guide::{Choice, Route, Target};
        let a = parse(concat!(
            "# Sound\n\n",
            "## Which device?\n\nLook at the label.\n\n",
            "- [A **phone**](#on-a-phone)\n- [A computer](#on-a-computer)\n- [Something else](#contact)\n\n",
            "## On a computer\n\nCheck the cable.\n\nNext: [Restart](#restart)\n\n",
            "## On a phone\n\nUnplug it.\n\n",
            "## Restart\n\nRestart it.\n",
        ))
        .unwrap();
        let routes: Vec<&Route> = a.guide.steps.iter().map(|s| &s.route).collect();
        assert_eq!(
            routes,
            [
                &Route::Question {
                    answers: vec![
                        Choice {
                            label: "A phone".into(),
                            target: Target::Step(2)
                        },
                        Choice {
                            label: "A computer".into(),
                            target: Target::Step(1)
                        },
                        Choice {
                            label: "Something else".into(),
                            target: Target::Contact
                        },
                    ]
                },
                &Route::Fix {
                    next: Target::Step(3)
                },
                &Route::Fix {
                    next: Target::Step(3)
                },
                &Route::Fix {
                    next: Target::Contact
                },
            ]
        );
        assert_eq!(
            a.guide.steps[0].html, "<p>Look at the label.</p>\n",
            "answers become buttons, not text"
        );
        assert_eq!(a.guide.steps[1].html, "<p>Check the cable.</p>\n");
    }

    #[test]
    fn guide_mistakes_are_reported_at_their_line() {
        let (_, problems) = parse_with_problems(concat!(
            "---\ntitle: Sound\n---\n",                           // 1-3
            "## Which device?\n\n",                               // 4-5
            "- [Phone](#on-a-phon)\n",                            // 6
            "- [Tablet](#tablet)\n\n",                            // 7-8
            "## On a phone\n\nNext: [x](#loop)\n\n",              // 9-12, empty but for Next:
            "## Loop\n\nAgain.\n\nNext: [Back](#on-a-phone)\n\n", // 13-18
            "## Orphan\n\n",                                      // 19-20
            "## Empty\n",                                         // 21
        ));
        assert_eq!(
            problems,
            [
                "kb/a.md:6:3: error: `#on-a-phon` is not a step of this guide; did you mean `#on-a-phone`?",
                "kb/a.md:7:3: error: `#tablet` is not a step of this guide; link to a step's heading as written on GitHub (`## Which device?` is `#which-device`), or to `#contact` or `#fixed`",
                "kb/a.md:9:1: warning: step `On a phone` is empty: say what the customer should do",
                "kb/a.md:19:1: warning: step `Orphan` is empty: say what the customer should do",
                "kb/a.md:21:1: warning: step `Empty` is empty: say what the customer should do",
            ],
            "while links lead nowhere, which steps are reached is not yet known: not reported"
        );
        let (_, problems) = parse_with_problems(concat!(
            "# T\n\n## One\n\nDo it.\n\nNext: [Two](#two)\n\n",
            "## Two\n\nDo that.\n\nNext: [One](#one)\n",
        ));
        assert_eq!(
            problems,
            ["kb/a.md:3:1: error: this guide goes round in a loop with no way out (`One` → `Two`): let an answer or `Next:` lead to `#contact`, `#fixed` or a step outside the loop"]
        );
    }

    #[test]
    fn step_heading_patterns_split_existing_articles_at_their_methods() {
        let source = concat!(
            "# Wi-Fi drops\n\n## Symptoms\n\nIt drops.\n\n## Resolution\n\nTry these.\n\n",
            "### Method 1: Restart the router\n\nUnplug it.\n\n#### Details\n\nWait 10 s.\n\n",
            "### Method 2: Update the driver\n\nUse Device Manager.\n\n",
            "## More information\n\nSee the FAQ.\n",
        );
        let methods = StepHeadings::new(&["Method *".into()]).unwrap();
        let mut problems = Vec::new();
        let a = parse_article(Path::new("kb/a.md"), source, &methods, &mut problems).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let titles: Vec<_> = a.guide.steps.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Method 1: Restart the router",
                "Method 2: Update the driver"
            ]
        );
        assert!(
            a.guide.intro_html.contains("It drops.") && a.guide.intro_html.contains("Try these.")
        );
        assert!(
            a.guide.steps[0].html.contains("Wait 10 s."),
            "deeper headings stay in the step"
        );
        assert!(
            !a.guide.steps[1].html.contains("FAQ"),
            "a higher heading ends the steps"
        );
        assert!(
            a.body_text.contains("See the FAQ."),
            "but its text stays searchable"
        );
        // The same patterns leave an article without such headings one step per `##`.
        let plain = parse_article(
            Path::new("kb/b.md"),
            "# T\n\n## One\n\nA.\n\n## Two\n\nB.\n",
            &methods,
            &mut problems,
        )
        .unwrap();
        assert_eq!(plain.guide.steps.len(), 2);
    }
}
