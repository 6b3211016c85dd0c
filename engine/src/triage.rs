//! Triage: impact × urgency → priority P1–P5 (an ITIL-style matrix the kb config can
//! replace) → critical or minor. A security or data-loss concern is always critical.
//! The result is shown to the customer in plain words before they send the ticket.

use serde::{Deserialize, Serialize};

use crate::strings::Message;

/// How many people the problem affects (a ticket field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    JustMe,
    SeveralPeople,
    WholeTeam,
    Customers,
}

/// How much the problem blocks the customer (a ticket field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Blocked,
    Workaround,
    CanWait,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Priority {
    P1,
    P2,
    P3,
    P4,
    P5,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    #[default]
    Minor,
}

impl Severity {
    /// Stable key, as in the ticket JSON (`critical`).
    pub fn key(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Minor => "minor",
        }
    }
}

/// The four levels help desks share (Zendesk's urgent/high/normal/low, Freshdesk's 4–1,
/// Jira's Highest–Low, Zammad's high/normal/low with urgent as high): what every adapter
/// maps a ticket's priority to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeskPriority {
    Urgent,
    High,
    Normal,
    Low,
}

impl DeskPriority {
    /// P1 is urgent, P2 high, P3 normal, P4–P5 low. A ticket without a priority (impact
    /// or urgency not asked) is high when critical (a security concern), else normal.
    pub fn of(priority: Option<Priority>, severity: Severity) -> DeskPriority {
        match (priority, severity) {
            (Some(Priority::P1), _) => DeskPriority::Urgent,
            (Some(Priority::P2), _) | (None, Severity::Critical) => DeskPriority::High,
            (Some(Priority::P3), _) | (None, Severity::Minor) => DeskPriority::Normal,
            (Some(Priority::P4 | Priority::P5), _) => DeskPriority::Low,
        }
    }
}

/// Priorities (1–5) by impact (rows: just me, several people, whole team, customers or
/// production) and urgency (columns: blocked, workaround exists, can wait).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TriageMatrix(pub [[u8; 3]; 4]);

impl Default for TriageMatrix {
    fn default() -> Self {
        TriageMatrix([[3, 4, 5], [2, 3, 4], [2, 3, 4], [1, 2, 3]])
    }
}

impl TriageMatrix {
    /// Out-of-range cells (a config typo) read as the nearest valid priority.
    fn priority(&self, impact: Impact, urgency: Urgency) -> Priority {
        let row = match impact {
            Impact::JustMe => 0,
            Impact::SeveralPeople => 1,
            Impact::WholeTeam => 2,
            Impact::Customers => 3,
        };
        let column = match urgency {
            Urgency::Blocked => 0,
            Urgency::Workaround => 1,
            Urgency::CanWait => 2,
        };
        [
            Priority::P1,
            Priority::P2,
            Priority::P3,
            Priority::P4,
            Priority::P5,
        ][usize::from(self.0[row][column].clamp(1, 5) - 1)]
    }
}

/// The outcome of triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Triage {
    /// Unknown until both impact and urgency are given (unless security forces it).
    pub priority: Option<Priority>,
    pub severity: Severity,
}

/// Triage for the answers given so far.
pub fn triage(
    matrix: &TriageMatrix,
    impact: Option<Impact>,
    urgency: Option<Urgency>,
    security_concern: bool,
) -> Triage {
    let from_matrix = impact.zip(urgency).map(|(i, u)| matrix.priority(i, u));
    let priority = match (from_matrix, security_concern) {
        (Some(p), true) => Some(p.min(Priority::P2)),
        (None, true) => Some(Priority::P2),
        (p, false) => p,
    };
    let critical = security_concern || priority.is_some_and(|p| p <= Priority::P2);
    Triage {
        priority,
        severity: if critical {
            Severity::Critical
        } else {
            Severity::Minor
        },
    }
}

impl Triage {
    /// One sentence for the customer, e.g. "Critical (P2): we handle this first."
    pub fn describe(&self) -> Message {
        match (self.severity, self.priority) {
            (Severity::Critical, Some(p)) => {
                Message::new("triage.critical").with("priority", format!("{p:?}"))
            }
            (Severity::Critical, None) => Message::new("triage.critical_flagged"),
            (Severity::Minor, Some(p)) => {
                Message::new("triage.minor").with("priority", format!("{p:?}"))
            }
            (Severity::Minor, None) => Message::new("triage.unknown"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Impact::*;
    use Urgency::*;

    fn check(
        impact: Option<Impact>,
        urgency: Option<Urgency>,
        security: bool,
    ) -> (Option<Priority>, Severity) {
        let t = triage(&TriageMatrix::default(), impact, urgency, security);
        (t.priority, t.severity)
    }

    #[test]
    fn the_default_matrix() {
        use Priority::*;
        let table = [
            (JustMe, Blocked, P3),
            (JustMe, CanWait, P5),
            (SeveralPeople, Blocked, P2),
            (WholeTeam, Workaround, P3),
            (Customers, Blocked, P1),
            (Customers, CanWait, P3),
        ];
        for (impact, urgency, priority) in table {
            let expected = if priority <= P2 {
                Severity::Critical
            } else {
                Severity::Minor
            };
            assert_eq!(
                check(Some(impact), Some(urgency), false),
                (Some(priority), expected),
                "{impact:?} × {urgency:?}"
            );
        }
    }

    #[test]
    fn security_or_data_loss_is_always_critical() {
        assert_eq!(
            check(Some(JustMe), Some(CanWait), true),
            (Some(Priority::P2), Severity::Critical)
        );
        assert_eq!(
            check(None, None, true),
            (Some(Priority::P2), Severity::Critical)
        );
        assert_eq!(
            check(Some(Customers), Some(Blocked), true),
            (Some(Priority::P1), Severity::Critical)
        );
    }

    #[test]
    fn unanswered_means_unknown_and_minor() {
        assert_eq!(check(Some(Customers), None, false), (None, Severity::Minor));
        assert!(triage(&TriageMatrix::default(), None, None, false)
            .describe()
            .english()
            .starts_with("Tell us"));
    }

    #[test]
    fn a_configured_matrix_is_obeyed_and_clamped() {
        let matrix = TriageMatrix([[0, 9, 5]; 4]);
        assert_eq!(
            triage(&matrix, Some(JustMe), Some(Blocked), false).priority,
            Some(Priority::P1)
        );
        assert_eq!(
            triage(&matrix, Some(JustMe), Some(Workaround), false).priority,
            Some(Priority::P5)
        );
    }
}
