//! Guides: an article's fixes and questions, shown one step at a time, and the session that
//! walks them.
//!
//! A guide is authored as plain markdown, one `##` section per step (the indexer splits it).
//! An article without sections is a one-step guide ("Did this solve it?"). A step is either
//! a fix ("Fixed it" resolves; "Didn't help" and "Can't do this" go on to its `next`) or a
//! question whose answers each lead somewhere: another step, support, or "fixed".
//!
//! [`GuideSession`] is the state machine the widget renders: each answer moves it on;
//! "Fixed it" resolves, and once a path runs out of fixes the guide is exhausted and the
//! customer is offered the ticket form with everything they tried.

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

    fn routes(&self) -> Vec<Route> {
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
fn onward(routes: &[Route], n: usize) -> Vec<Target> {
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
fn longest_remaining(routes: &[Route], n: usize) -> usize {
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

    /// Plain words, as the support team reads them in a ticket.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Fixed => "fixed it",
            Outcome::DidntHelp => "didn't help",
            Outcome::CantDo => "couldn't do this",
            Outcome::Answered => "answered",
        }
    }
}

/// An answer to one step: an outcome of a fix, or the choice made at a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Outcome(Outcome),
    /// Index into the question's answers.
    Choice(usize),
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuideState {
    /// Showing step `n` (0-based).
    Step(usize),
    /// A step fixed the problem.
    Resolved,
    /// The path ran out of fixes; time to contact support.
    Exhausted,
}

/// Walks one guide. Answers are kept when going back, so nothing the customer said is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideSession {
    routes: Vec<Route>,
    answers: Vec<Option<Answer>>,
    /// Steps in the order first answered: the order they are reported in.
    answered_order: Vec<usize>,
    /// Steps visited to get here, the current (or last) one at the end: what "back" undoes.
    path: Vec<usize>,
    state: GuideState,
}

impl GuideSession {
    pub fn new(guide: &Guide) -> GuideSession {
        let steps = guide.steps.len();
        let state = if steps == 0 {
            GuideState::Exhausted
        } else {
            GuideState::Step(0)
        };
        GuideSession {
            // Only the routes are needed; the step text stays with the caller.
            routes: guide.routes(),
            answers: vec![None; steps],
            answered_order: Vec::new(),
            path: if steps == 0 { Vec::new() } else { vec![0] },
            state,
        }
    }

    pub fn state(&self) -> GuideState {
        self.state
    }

    /// (the current step's position on the customer's path, 1-based; the most steps the
    /// path can have from here). For a guide without questions: "step n of N".
    pub fn progress(&self) -> (usize, usize) {
        let position = self.path.len().max(1);
        let remaining = match self.state {
            GuideState::Step(n) => longest_remaining(&self.routes, n),
            _ => 0,
        };
        (position, position + remaining)
    }

    /// Whether there is a step to go back to.
    pub fn can_go_back(&self) -> bool {
        self.path.len() > 1 || (!self.path.is_empty() && !matches!(self.state, GuideState::Step(_)))
    }

    /// The answer already given to step `n`, if any.
    pub fn answer_of(&self, n: usize) -> Option<Answer> {
        self.answers.get(n).copied().flatten()
    }

    /// Records the outcome of the current fix and moves on. Ignored on a question.
    pub fn answer(&mut self, outcome: Outcome) -> GuideState {
        let GuideState::Step(n) = self.state else {
            return self.state;
        };
        let Some(Route::Fix { next }) = self.routes.get(n) else {
            return self.state;
        };
        let next = match outcome {
            Outcome::Fixed => Target::Fixed,
            _ => *next,
        };
        self.record(n, Answer::Outcome(outcome));
        self.go(next)
    }

    /// Picks answer `choice` of the current question and moves on. Ignored on a fix.
    pub fn choose(&mut self, choice: usize) -> GuideState {
        let GuideState::Step(n) = self.state else {
            return self.state;
        };
        let Some(Route::Question { answers }) = self.routes.get(n) else {
            return self.state;
        };
        let Some(target) = answers.get(choice).map(|c| c.target) else {
            return self.state;
        };
        self.record(n, Answer::Choice(choice));
        self.go(target)
    }

    fn record(&mut self, n: usize, answer: Answer) {
        self.answers[n] = Some(answer);
        if !self.answered_order.contains(&n) {
            self.answered_order.push(n);
        }
    }

    fn go(&mut self, target: Target) -> GuideState {
        self.state = match target {
            Target::Step(s) if (s as usize) < self.answers.len() => {
                self.path.push(s as usize);
                GuideState::Step(s as usize)
            }
            // A target outside the guide can only come from a damaged bundle: support is
            // the safe place to send the customer.
            Target::Step(_) | Target::Contact => GuideState::Exhausted,
            Target::Fixed => GuideState::Resolved,
        };
        self.state
    }

    /// Goes back one step on the customer's path (or from the end back to the step that
    /// ended it), keeping every answer.
    pub fn back(&mut self) -> GuideState {
        match self.state {
            GuideState::Step(_) if self.path.len() > 1 => {
                self.path.pop();
            }
            _ => {}
        }
        if let Some(&last) = self.path.last() {
            self.state = GuideState::Step(last);
        }
        self.state
    }

    /// The steps answered so far, in the order first answered: what goes into "steps
    /// already tried". A step answered again keeps its place and its latest answer.
    pub fn tried(&self) -> impl Iterator<Item = (usize, Answer)> + '_ {
        self.answered_order
            .iter()
            .filter_map(|&n| Some((n, self.answer_of(n)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide(steps: usize) -> Guide {
        Guide::linear(
            String::new(),
            (0..steps)
                .map(|i| (format!("Step {i}"), String::new()))
                .collect(),
        )
    }

    fn fix(next: Target) -> Step {
        Step {
            title: String::new(),
            html: String::new(),
            route: Route::Fix { next },
        }
    }

    fn question(targets: &[Target]) -> Step {
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

    fn guide_of(steps: Vec<Step>) -> Guide {
        Guide {
            intro_html: String::new(),
            steps,
            ticket_fields: Vec::new(),
        }
    }

    /// 0: which device? → 1 (phone) or 2 (computer) or support;
    /// 1: phone fix → 3; 2: computer fix → 3; 3: shared fix → support.
    fn branching() -> Guide {
        use Target::*;
        guide_of(vec![
            question(&[Step(1), Step(2), Contact]),
            fix(Step(3)),
            fix(Step(3)),
            fix(Contact),
        ])
    }

    #[test]
    fn didnt_help_on_every_step_exhausts_the_guide() {
        let mut s = GuideSession::new(&guide(3));
        assert_eq!(s.progress(), (1, 3));
        assert_eq!(s.answer(Outcome::DidntHelp), GuideState::Step(1));
        assert_eq!(s.progress(), (2, 3));
        assert_eq!(s.answer(Outcome::CantDo), GuideState::Step(2));
        assert_eq!(s.answer(Outcome::DidntHelp), GuideState::Exhausted);
        let tried: Vec<_> = s.tried().collect();
        assert_eq!(
            tried,
            [
                (0, Answer::Outcome(Outcome::DidntHelp)),
                (1, Answer::Outcome(Outcome::CantDo)),
                (2, Answer::Outcome(Outcome::DidntHelp))
            ]
        );
    }

    #[test]
    fn fixed_it_resolves_and_further_answers_are_ignored() {
        let mut s = GuideSession::new(&guide(3));
        s.answer(Outcome::DidntHelp);
        assert_eq!(s.answer(Outcome::Fixed), GuideState::Resolved);
        assert_eq!(s.answer(Outcome::DidntHelp), GuideState::Resolved);
        assert_eq!(s.choose(0), GuideState::Resolved);
        assert_eq!(s.tried().count(), 2);
    }

    #[test]
    fn back_keeps_answers() {
        let mut s = GuideSession::new(&guide(2));
        assert!(!s.can_go_back());
        s.answer(Outcome::DidntHelp);
        s.answer(Outcome::DidntHelp);
        assert!(s.can_go_back());
        assert_eq!(s.back(), GuideState::Step(1));
        assert_eq!(s.back(), GuideState::Step(0));
        assert_eq!(s.back(), GuideState::Step(0));
        assert_eq!(s.answer_of(1), Some(Answer::Outcome(Outcome::DidntHelp)));
        assert_eq!(s.answer(Outcome::Fixed), GuideState::Resolved);
        assert_eq!(s.answer_of(0), Some(Answer::Outcome(Outcome::Fixed)));
    }

    #[test]
    fn a_guide_without_steps_is_already_exhausted() {
        let mut s = GuideSession::new(&guide(0));
        assert_eq!(s.state(), GuideState::Exhausted);
        assert_eq!(s.back(), GuideState::Exhausted);
        assert!(!s.can_go_back());
    }

    #[test]
    fn answers_branch_and_back_returns_along_the_path_taken() {
        let g = branching();
        let mut s = GuideSession::new(&g);
        assert_eq!(s.progress(), (1, 3));
        assert_eq!(
            s.answer(Outcome::DidntHelp),
            GuideState::Step(0),
            "a question has no outcome buttons"
        );
        assert_eq!(s.choose(1), GuideState::Step(2));
        assert_eq!(s.progress(), (2, 3));
        assert_eq!(s.answer(Outcome::DidntHelp), GuideState::Step(3));
        assert_eq!(
            s.back(),
            GuideState::Step(2),
            "back goes to the step taken, not step 2 by number"
        );
        assert_eq!(s.back(), GuideState::Step(0));
        assert_eq!(s.answer_of(0), Some(Answer::Choice(1)));
        assert_eq!(s.choose(0), GuideState::Step(1));
        assert_eq!(s.answer(Outcome::CantDo), GuideState::Step(3));
        assert_eq!(s.answer(Outcome::DidntHelp), GuideState::Exhausted);
        assert_eq!(s.back(), GuideState::Step(3));
        let tried: Vec<_> = s.tried().collect();
        assert_eq!(
            tried,
            [
                (0, Answer::Choice(0)),
                (2, Answer::Outcome(Outcome::DidntHelp)),
                (1, Answer::Outcome(Outcome::CantDo)),
                (3, Answer::Outcome(Outcome::DidntHelp)),
            ],
            "every step tried on any branch is reported, each question with its latest answer"
        );
        assert_eq!(
            s.choose(9),
            GuideState::Step(3),
            "no such answer: nothing happens"
        );
    }

    #[test]
    fn an_answer_can_end_the_guide_either_way() {
        let g = guide_of(vec![question(&[Target::Fixed, Target::Contact])]);
        let mut s = GuideSession::new(&g);
        assert_eq!(s.progress(), (1, 1));
        assert_eq!(s.choose(0), GuideState::Resolved);
        s.back();
        assert_eq!(s.choose(1), GuideState::Exhausted);
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

    #[test]
    fn a_damaged_target_sends_the_customer_to_support_without_panicking() {
        let g = guide_of(vec![
            fix(Target::Step(7)),
            question(&[Target::Step(u32::MAX)]),
        ]);
        let mut s = GuideSession::new(&g);
        assert_eq!(s.progress(), (1, 1));
        assert_eq!(s.answer(Outcome::DidntHelp), GuideState::Exhausted);
    }

    #[test]
    fn progress_is_bounded_on_long_and_cyclic_guides() {
        let steps = (0..10_000)
            .map(|i| fix(Target::Step((i + 1) % 10_000)))
            .collect();
        let s = GuideSession::new(&guide_of(steps));
        let (position, total) = s.progress();
        assert_eq!(position, 1);
        assert!(total <= 258, "{total}");
    }
}
