//! A ticket as the body of a help-desk ticket, in the markup each desk shows: HTML
//! (Zendesk, Freshdesk, Zammad, Help Scout), Markdown (GitHub) or plain text (Jira, email),
//! all from the engine's [`Ticket::sections`]. Everything the customer typed is escaped:
//! it reaches an agent's screen, never as markup.

use fixpath_engine::ticket::Ticket;

pub use crate::html::escape;

/// `<p><strong>Label</strong><br>value</p>` per section; lists for several items, `<pre>`
/// for the verbatim error.
pub fn html(ticket: &Ticket) -> String {
    let mut out = format!(
        "<p><strong>Fixpath ticket {}</strong></p>\n",
        escape(&ticket.id)
    );
    for section in ticket.sections() {
        let label = escape(&section.label);
        if section.verbatim {
            out.push_str(&format!(
                "<p><strong>{label}</strong></p>\n<pre>{}</pre>\n",
                escape(&section.items.join("\n"))
            ));
        } else if section.items.len() == 1 && section.label != "Tried" {
            let value = escape(&section.items[0]).replace('\n', "<br>\n");
            out.push_str(&format!("<p><strong>{label}</strong><br>\n{value}</p>\n"));
        } else {
            let items: String = section
                .items
                .iter()
                .map(|i| format!("<li>{}</li>\n", escape(i)))
                .collect();
            out.push_str(&format!(
                "<p><strong>{label}</strong></p>\n<ul>\n{items}</ul>\n"
            ));
        }
    }
    out
}

/// GitHub-flavoured Markdown: bold labels, lists, a fenced block for the error. Text the
/// customer typed is escaped so `#`, `*`, `<` or `@` in it stay literal (and mention no one).
pub fn markdown(ticket: &Ticket) -> String {
    let mut out = format!("**Fixpath ticket {}**\n\n", ticket.id);
    for section in ticket.sections() {
        let label = escape_markdown(&section.label);
        if section.verbatim {
            let text = section.items.join("\n");
            let fence = "`".repeat(longest_backtick_run(&text).max(2) + 1);
            out.push_str(&format!("**{label}**\n\n{fence}text\n{text}\n{fence}\n\n"));
        } else if section.items.len() == 1 && section.label != "Tried" {
            let value = escape_markdown(&section.items[0]).replace('\n', "  \n");
            out.push_str(&format!("**{label}:** {value}\n\n"));
        } else {
            out.push_str(&format!("**{label}:**\n\n"));
            for item in &section.items {
                out.push_str(&format!("- {}\n", escape_markdown(item)));
            }
            out.push('\n');
        }
    }
    out
}

/// A backslash before every character Markdown might read as markup, entities for HTML's;
/// `@` gets a word joiner so `@team` notifies no one.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '@' => out.push_str("@\u{2060}"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if "\\`*_{}[]()#+-.!|~".contains(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fixpath_engine::guide::Outcome;
    use fixpath_engine::ticket::{new_ticket_id, TriedStep};

    fn ticket() -> Ticket {
        let mut t = Ticket::new(new_ticket_id(9), "2026-11-30T10:00:00Z".into());
        t.trying_to_do = "Share <b>the</b> deal room with @legal".into();
        t.what_happened = "It said *no*".into();
        t.error_message = "E-403 ``` denied".into();
        t.name = "Ada".into();
        t.email = "ada@example.com".into();
        t.steps_tried = vec![TriedStep {
            article: "sharing.md".into(),
            step: "Check the invite".into(),
            outcome: Outcome::DidntHelp,
            answer: None,
        }];
        t
    }

    #[test]
    fn html_escapes_what_the_customer_typed() {
        let html = html(&ticket());
        assert!(
            html.contains("Share &lt;b&gt;the&lt;/b&gt; deal room"),
            "{html}"
        );
        assert!(html.contains("<pre>E-403 ``` denied</pre>"));
        assert!(
            html.contains("<li>sharing.md → Check the invite → didn&#39;t help</li>"),
            "{html}"
        );
        assert!(!html.contains("<b>the"));
    }

    #[test]
    fn markdown_keeps_customer_text_literal() {
        let md = markdown(&ticket());
        assert!(
            md.contains("Share &lt;b&gt;the&lt;/b&gt; deal room with @\u{2060}legal"),
            "{md}"
        );
        assert!(md.contains("It said \\*no\\*"));
        // The fence is longer than any run of backticks in the error.
        assert!(md.contains("````text\nE-403 ``` denied\n````"), "{md}");
        assert!(
            md.contains("- sharing\\.md → Check the invite → didn't help"),
            "{md}"
        );
    }
}
