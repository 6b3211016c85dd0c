//! Guides: an article's fixes, shown one step at a time, and the session that walks them.
//!
//! A guide is authored as plain markdown, one `##` section per fix (the indexer splits it).
//! An article without sections is a one-step guide ("Did this solve it?").
//!
//! [`GuideSession`] is the state machine the widget renders: each answer moves it on;
//! "Fixed it" resolves, and once every step has been answered without a fix the guide is
//! exhausted and the customer is offered the ticket form with everything they tried.

use serde::{Deserialize, Serialize};

/// One fix, shown alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub title: String,
    /// Sanitized HTML (the indexer runs it through an allow-list sanitizer).
    pub html: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guide {
    /// Sanitized HTML before the first step.
    pub intro_html: String,
    pub steps: Vec<Step>,
}

/// What the customer said about one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Fixed,
    DidntHelp,
    CantDo,
}

impl Outcome {
    /// Stable key, as in the ticket JSON (`didnt_help`).
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Fixed => "fixed",
            Outcome::DidntHelp => "didnt_help",
            Outcome::CantDo => "cant_do",
        }
    }

    /// Plain words, as the support team reads them in a ticket.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Fixed => "fixed it",
            Outcome::DidntHelp => "didn't help",
            Outcome::CantDo => "couldn't do this",
        }
    }
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuideState {
    /// Showing step `n` (0-based).
    Step(usize),
    /// A step fixed the problem.
    Resolved,
    /// Every step was tried; time to contact support.
    Exhausted,
}

/// Walks one guide. Answers are kept when going back, so nothing the customer said is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideSession {
    answers: Vec<Option<Outcome>>,
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
            answers: vec![None; steps],
            state,
        }
    }

    pub fn state(&self) -> GuideState {
        self.state
    }

    pub fn step_count(&self) -> usize {
        self.answers.len()
    }

    /// The answer already given to step `n`, if any.
    pub fn answer_of(&self, n: usize) -> Option<Outcome> {
        self.answers.get(n).copied().flatten()
    }

    /// Records the answer to the current step and moves on.
    pub fn answer(&mut self, outcome: Outcome) -> GuideState {
        let GuideState::Step(n) = self.state else {
            return self.state;
        };
        self.answers[n] = Some(outcome);
        self.state = match outcome {
            Outcome::Fixed => GuideState::Resolved,
            Outcome::DidntHelp | Outcome::CantDo if n + 1 < self.answers.len() => {
                GuideState::Step(n + 1)
            }
            Outcome::DidntHelp | Outcome::CantDo => GuideState::Exhausted,
        };
        self.state
    }

    /// Goes back one step (or from the end back to the last step), keeping every answer.
    pub fn back(&mut self) -> GuideState {
        self.state = match self.state {
            GuideState::Step(n) => GuideState::Step(n.saturating_sub(1)),
            GuideState::Resolved | GuideState::Exhausted if !self.answers.is_empty() => {
                let last_answered = self.answers.iter().rposition(Option::is_some).unwrap_or(0);
                GuideState::Step(last_answered)
            }
            other => other,
        };
        self.state
    }

    /// The steps answered so far, in step order: what goes into "steps already tried".
    pub fn tried(&self) -> impl Iterator<Item = (usize, Outcome)> + '_ {
        self.answers
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.map(|a| (i, a)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide(steps: usize) -> Guide {
        Guide {
            intro_html: String::new(),
            steps: (0..steps)
                .map(|i| Step {
                    title: format!("Step {i}"),
                    html: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn didnt_help_on_every_step_exhausts_the_guide() {
        let mut s = GuideSession::new(&guide(3));
        assert_eq!(s.answer(Outcome::DidntHelp), GuideState::Step(1));
        assert_eq!(s.answer(Outcome::CantDo), GuideState::Step(2));
        assert_eq!(s.answer(Outcome::DidntHelp), GuideState::Exhausted);
        let tried: Vec<_> = s.tried().collect();
        assert_eq!(
            tried,
            [
                (0, Outcome::DidntHelp),
                (1, Outcome::CantDo),
                (2, Outcome::DidntHelp)
            ]
        );
    }

    #[test]
    fn fixed_it_resolves_and_further_answers_are_ignored() {
        let mut s = GuideSession::new(&guide(3));
        s.answer(Outcome::DidntHelp);
        assert_eq!(s.answer(Outcome::Fixed), GuideState::Resolved);
        assert_eq!(s.answer(Outcome::DidntHelp), GuideState::Resolved);
        assert_eq!(s.tried().count(), 2);
    }

    #[test]
    fn back_keeps_answers() {
        let mut s = GuideSession::new(&guide(2));
        s.answer(Outcome::DidntHelp);
        s.answer(Outcome::DidntHelp);
        assert_eq!(s.back(), GuideState::Step(1));
        assert_eq!(s.back(), GuideState::Step(0));
        assert_eq!(s.back(), GuideState::Step(0));
        assert_eq!(s.answer_of(1), Some(Outcome::DidntHelp));
        assert_eq!(s.answer(Outcome::Fixed), GuideState::Resolved);
        assert_eq!(s.answer_of(0), Some(Outcome::Fixed));
    }

    #[test]
    fn a_guide_without_steps_is_already_exhausted() {
        let mut s = GuideSession::new(&guide(0));
        assert_eq!(s.state(), GuideState::Exhausted);
        assert_eq!(s.back(), GuideState::Exhausted);
    }
}
