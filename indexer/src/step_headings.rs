//! Which headings start a guide step: every `##` by default, or, for existing help-centre
//! articles, the headings that match the kb's `[guides] step_headings` patterns ("Method *",
//! "Step *", "Fix: *"), at whatever level they are written.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// The kb's step heading patterns, compiled.
#[derive(Debug, Clone, Default)]
pub struct StepHeadings {
    patterns: Option<GlobSet>,
}

impl StepHeadings {
    /// Compiles `patterns`; an invalid one is returned with the reason.
    pub fn new(patterns: &[String]) -> Result<StepHeadings, (String, String)> {
        if patterns.is_empty() {
            return Ok(StepHeadings::default());
        }
        let mut set = GlobSetBuilder::new();
        for pattern in patterns {
            let glob = GlobBuilder::new(pattern)
                .case_insensitive(true)
                .literal_separator(false)
                .build()
                .map_err(|e| (pattern.clone(), e.kind().to_string()))?;
            set.add(glob);
        }
        let set = set
            .build()
            .map_err(|e| (patterns.join(", "), e.to_string()))?;
        Ok(StepHeadings {
            patterns: Some(set),
        })
    }

    /// Whether `heading` matches a pattern (never, when there are none).
    pub fn matches(&self, heading: &str) -> bool {
        self.patterns
            .as_ref()
            .is_some_and(|set| set.is_match(heading.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_headings_ignoring_case() {
        let headings =
            StepHeadings::new(&["Method *".into(), "step [0-9]*".into(), "Fix: *".into()]).unwrap();
        for yes in [
            "Method 1: Reset the adapter",
            "STEP 2",
            "Fix: clear the cache",
            "step 10: a/b",
        ] {
            assert!(headings.matches(yes), "{yes}");
        }
        for no in ["Methods", "Cause", "Stepping back", "Symptoms"] {
            assert!(!headings.matches(no), "{no}");
        }
        assert!(!StepHeadings::default().matches("Method 1"));
        assert!(StepHeadings::new(&["Method [1".into()]).is_err());
    }
}
