//! Property tests: whatever a docs writer (or a corrupted disk) puts in `kb/`, parsing,
//! checking and rendering the diagnostics return problems, never a panic.

use std::path::Path;

use proptest::prelude::*;

use crate::config_check::config_problems;
use crate::markdown::parse_article;
use crate::report::render;
use crate::step_headings::StepHeadings;

/// Markdown assembled from the pieces the parser treats specially, in any order.
fn kb_markdown() -> impl Strategy<Value = String> {
    let front_value = prop_oneof![
        Just("x".to_string()),
        Just("[a, b".to_string()),
        Just("{".to_string()),
        Just("\"unterminated".to_string()),
        Just("- key: a\n    label: b".to_string()),
        Just("5".to_string()),
        "[ -~]{0,12}",
    ];
    let front_key = prop_oneof![
        Just("title"),
        Just("summary"),
        Just("errors"),
        Just("symptoms"),
        Just("ticket_fields"),
        Just("id"),
        Just("draft"),
        Just("titel"),
        Just("ms.date"),
    ];
    let front = proptest::collection::vec((front_key, front_value), 0..5).prop_map(|pairs| {
        let lines: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        format!("---\n{}\n---\n", lines.join("\n"))
    });
    let block = prop_oneof![
        "[a-zA-Z #?:-]{0,20}".prop_map(|t| format!("## {t}")),
        "[1-9]".prop_map(|n| format!("### Method {n}: do it")),
        "[a-z ]{0,10}".prop_map(|t| format!("# {t}")),
        "[a-z-]{0,10}".prop_map(|a| format!("- [Answer](#{a})")),
        "[a-z-]{0,10}".prop_map(|a| format!("Next: [Go](#{a})")),
        Just("- [Support](#contact)\n- [Done](#fixed)".to_string()),
        "[a-z./]{0,12}".prop_map(|p| format!("![image]({p}) and [link]({p})")),
        Just("```\n## not a heading\n".to_string()),
        Just("<script>x</script> | a | b |\n|---|---|".to_string()),
        "\\PC{0,40}",
    ];
    (
        proptest::option::of(front),
        proptest::collection::vec(block, 0..12),
    )
        .prop_map(|(front, blocks)| format!("{}{}", front.unwrap_or_default(), blocks.join("\n\n")))
}

/// A `fixpath.toml` with every section in place and implausible values.
fn kb_config() -> impl Strategy<Value = String> {
    (
        "[ -&(-~]{0,20}",
        "[A-Za-z/_]{0,20}",
        "[0-9:, -]{0,20}",
        "[0-9-]{0,12}",
        "[a-z_]{0,14}",
        "[A-Za-z_ ]{0,8}",
        "[a-z]{0,8}",
    )
        .prop_map(|(phone, zone, monday, holiday, required, key, kind)| {
            format!(
                "[delivery]\nkind = \"{kind}\"\n[support]\nphone = '{phone}'\n\
                 [support.hours]\ntime_zone = \"{zone}\"\nmonday = \"{monday}\"\n\
                 holidays = [\"{holiday}\", \"{holiday}\"]\n\
                 [ticket]\nrequired = [\"{required}\"]\nhidden = [\"{required}\"]\n\
                 [[ticket.fields]]\nkey = \"{key}\"\nlabel = \"\"\n"
            )
        })
}

/// Parses an article and renders everything reported, as `fixpath check` would.
fn check_article(source: &str) {
    let path = Path::new("kb/a.md");
    let mut problems = Vec::new();
    let _ = parse_article(path, source, &StepHeadings::default(), &mut problems);
    let methods = StepHeadings::new(&["Method *".into(), "Step *".into()]).unwrap();
    let _ = parse_article(path, source, &methods, &mut problems);
    for d in &problems {
        let _ = render(d, Some(source));
        assert!(d.line >= 1, "{d}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check_article(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_kb_markdown_never_panics(source in kb_markdown()) {
        check_article(&source);
    }

    #[test]
    fn arbitrary_config_never_panics(source in kb_config()) {
        let config = toml::from_str(&source).expect("the skeleton is valid TOML");
        for d in config_problems(Path::new("kb/fixpath.toml"), &source, &config) {
            let _ = render(&d, Some(&source));
        }
    }
}
