//! [`GuideSession`]: where a customer is in a guide, what they answered, and the path
//! they took (so "back" retraces it). The widget renders it; the ticket reports it.

use super::model::{longest_remaining, Guide, Outcome, Route, Target};

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
    use crate::guide::model::tests::{branching, fix, guide, guide_of, question};

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
