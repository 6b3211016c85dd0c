//! A guide's steps and where each answer leads, and the checks a kb's guides must pass.

use serde::{Deserialize, Serialize};

/// One step, shown alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub title: String,
    /// Sanitized HTML (the indexer runs it through an allow-list sanitizer).
    pub html: String,
    pub route: Route,
}

impl Step {
    /// The label of answer `choice`, if this step is a question with that many answers.
    pub fn choice(&self, choice: usize) -> Option<String> {
        match &self.route {
            Route::Question { answers } => Some(answers.get(choice)?.label.clone()),
            Route::Fix { .. } => None,
        }
    }
}

/// Where a step leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Route {
    /// A fix: "Fixed it" resolves the guide; "Didn't help" and "Can't do this" go to `next`.
    Fix { next: Target },
    /// A question: each answer leads to its own target.
    Question { answers: Vec<Choice> },
}

/// One answer to a question step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub label: String,
    pub target: Target,
}

/// Where an answer leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// Step `n` (0-based) of the same guide.
    Step(u32),
    /// Out of fixes: offer the ticket form.
    Contact,
    /// The problem is solved (or was never one).
    Fixed,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guide {
    /// Sanitized HTML before the first step.
    pub intro_html: String,
    pub steps: Vec<Step>,
    /// Extra questions on the ticket when the customer comes from this guide.
    pub ticket_fields: Vec<crate::ticket_fields::FieldSpec>,
}

impl Guide {
    /// The usual shape: fixes tried in order, then support.
    pub fn linear(intro_html: String, fixes: Vec<(String, String)>) -> Guide {
        let count = fixes.len();
        let steps = fixes
            .into_iter()
            .enumerate()
            .map(|(i, (title, html))| Step {
                title,
                html,
                route: Route::Fix {
                    next: Guide::default_next(i, count),
                },
            })
            .collect();
        Guide {
            intro_html,
            steps,
            ticket_fields: Vec::new(),
        }
    }

    /// Where a fix goes when it did not help, unless the author says otherwise: the step
    /// below it, or support after the last one.
    pub fn default_next(step: usize, count: usize) -> Target {
        if step + 1 < count {
            Target::Step(step as u32 + 1)
        } else {
            Target::Contact
        }
    }

    pub(crate) fn routes(&self) -> Vec<Route> {
        self.steps.iter().map(|s| s.route.clone()).collect()
    }

    /// Whether every target names a step of this guide (a bundle built by `fixpath build`
    /// always does; a hand-edited or corrupt one may not).
    pub fn targets_are_valid(&self) -> bool {
        let routes = self.routes();
        (0..routes.len()).all(|n| {
            onward(&routes, n)
                .iter()
                .all(|t| !matches!(t, Target::Step(s) if *s as usize >= routes.len()))
        })
    }

    /// Steps no path from the first step reaches, in step order.
    pub fn unreachable_steps(&self) -> Vec<usize> {
        let reached = reachable(&self.routes());
        (0..self.steps.len()).filter(|n| !reached[*n]).collect()
    }

    /// Reachable steps from which no path of "didn't help" and answers ever gets out of the
    /// guide (to support or fixed): the customer would go round in circles. In step order.
    pub fn trapped_steps(&self) -> Vec<usize> {
        let routes = self.routes();
        let count = routes.len();
        // A step can get out if one of its targets is an exit or a step that can get out.
        let mut can_exit = vec![false; count];
        let mut changed = true;
        while changed {
            changed = false;
            for n in 0..count {
                if can_exit[n] {
                    continue;
                }
                let exits = onward(&routes, n).iter().any(|t| match t {
                    Target::Step(s) => can_exit.get(*s as usize).copied().unwrap_or(true),
                    Target::Contact | Target::Fixed => true,
                });
                if exits {
                    can_exit[n] = true;
                    changed = true;
                }
            }
        }
        let reached = reachable(&routes);
        (0..count)
            .filter(|n| reached[*n] && !can_exit[*n])
            .collect()
    }
}

/// The targets step `n` can lead to without being fixed.
pub(crate) fn onward(routes: &[Route], n: usize) -> Vec<Target> {
    match routes.get(n) {
        Some(Route::Fix { next }) => vec![*next],
        Some(Route::Question { answers }) => answers.iter().map(|c| c.target).collect(),
        None => Vec::new(),
    }
}

/// Which steps a path from the first step reaches.
fn reachable(routes: &[Route]) -> Vec<bool> {
    let mut reached = vec![false; routes.len()];
    let mut stack = if routes.is_empty() { vec![] } else { vec![0] };
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut reached[n], true) {
            continue;
        }
        for target in onward(routes, n) {
            if let Target::Step(s) = target {
                if (s as usize) < reached.len() && !reached[s as usize] {
                    stack.push(s as usize);
                }
            }
        }
    }
    reached
}

/// The most steps a customer may still see after step `n` (0 after the last fix): an
/// estimate for "step k of N". Linear in the guide's size: each step is measured once, a
/// step already being measured counts as 0 (so a cycle cannot make it endless), and the
/// depth is capped (so a damaged bundle cannot exhaust the stack).
pub(crate) fn longest_remaining(routes: &[Route], n: usize) -> usize {
    const MAX_DEPTH: usize = 256;
    fn measure(routes: &[Route], n: usize, memo: &mut [Option<usize>], depth: usize) -> usize {
        if let Some(known) = memo[n] {
            return known;
        }
        if depth > MAX_DEPTH {
            return 0;
        }
        memo[n] = Some(0); // "being measured"
        let longest = onward(routes, n)
            .iter()
            .filter_map(|t| match t {
                Target::Step(s) if (*s as usize) < routes.len() => {
                    Some(1 + measure(routes, *s as usize, memo, depth + 1))
                }
                _ => None,
            })
            .max()
            .unwrap_or(0);
        memo[n] = Some(longest);
        longest
    }
    if n >= routes.len() {
        return 0;
    }
    measure(routes, n, &mut vec![None; routes.len()], 0)
}

/// What the customer said about one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Fixed,
    DidntHelp,
    CantDo,
    /// Answered a question (the answer itself is kept beside).
    Answered,
}

impl Outcome {
    /// Stable key, as in the ticket JSON (`didnt_help`).
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Fixed => "fixed",
            Outcome::DidntHelp => "didnt_help",
            Outcome::CantDo => "cant_do",
            Outcome::Answered => "answered",
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn guide(steps: usize) -> Guide {
        Guide::linear(
            String::new(),
            (0..steps)
                .map(|i| (format!("Step {i}"), String::new()))
                .collect(),
        )
    }

    pub(crate) fn fix(next: Target) -> Step {
        Step {
            title: String::new(),
            html: String::new(),
            route: Route::Fix { next },
        }
    }

    pub(crate) fn question(targets: &[Target]) -> Step {
        Step {
            title: String::new(),
            html: String::new(),
            route: Route::Question {
                answers: targets
                    .iter()
                    .enumerate()
                    .map(|(i, t)| Choice {
                        label: format!("answer {i}"),
                        target: *t,
                    })
                    .collect(),
            },
        }
    }

    pub(crate) fn guide_of(steps: Vec<Step>) -> Guide {
        Guide {
            intro_html: String::new(),
            steps,
            ticket_fields: Vec::new(),
        }
    }

    /// 0: which device? → 1 (phone) or 2 (computer) or support;
    /// 1: phone fix → 3; 2: computer fix → 3; 3: shared fix → support.
    pub(crate) fn branching() -> Guide {
        use Target::*;
        guide_of(vec![
            question(&[Step(1), Step(2), Contact]),
            fix(Step(3)),
            fix(Step(3)),
            fix(Contact),
        ])
    }

    #[test]
    fn structure_problems_are_found() {
        use Target::*;
        assert!(branching().unreachable_steps().is_empty());
        assert!(branching().trapped_steps().is_empty());
        // 0 → 1 ⇄ 2, and 3 is never reached.
        let g = guide_of(vec![
            question(&[Step(1)]),
            fix(Step(2)),
            question(&[Step(1)]),
            fix(Contact),
        ]);
        assert_eq!(g.unreachable_steps(), [3]);
        assert_eq!(g.trapped_steps(), [0, 1, 2]);
        // The same loop with a way out is fine ("try again" is a real pattern).
        let g = guide_of(vec![fix(Step(1)), question(&[Step(0), Contact])]);
        assert!(g.trapped_steps().is_empty());
        assert!(g.targets_are_valid());
        assert!(!guide_of(vec![fix(Step(7))]).targets_are_valid());
    }
}
