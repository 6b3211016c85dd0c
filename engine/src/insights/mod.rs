//! Insights: what the widget may tell the relay about how the help is used, and what the
//! relay keeps of it — so support and docs teams can see what customers searched, what
//! fixed it and what is missing, without cookies, identifiers that outlive a page, or a
//! customer's own words unless the kb allows them.
//!
//! - [`model`]: an [`Insight`] (one thing a customer did) and a [`Batch`] (one page's, as
//!   sent), with the limits a receiver checks;
//! - [`record`]: [`Recorder`], from the session's [`crate::session::Event`]s to insights: a
//!   search counts once it settles, its query reduced to search terms unless the kb allows
//!   the text;
//! - [`tally`]: [`DayTally`], what the relay keeps per day — counts per query, per article
//!   and per guide step — and the k-anonymity rule every report applies;
//! - [`report`]: [`Report`], what teams read of a period — deflection, top searches,
//!   content gaps, failing guides, tickets per day — and its tables as CSV.
//!
//! The widget sends nothing unless the kb turns insights on and the browser does not ask
//! not to be tracked; that decision is [`may_send`].

pub mod model;
pub mod record;
pub mod report;
pub mod tally;

pub use model::{Batch, BatchProblem, Insight, SearchedFor};
pub use record::Recorder;
pub use report::{Report, Table};
pub use tally::{day_of, k_anonymous, ArticleTally, DayTally, QueryTally, StepTally, MIN_PAGES};

/// Whether a page may send insights: the kb turned them on, and the browser sends neither
/// Do Not Track (`navigator.doNotTrack == "1"`) nor Global Privacy Control
/// (`navigator.globalPrivacyControl`).
pub fn may_send(enabled: bool, do_not_track: Option<&str>, global_privacy_control: bool) -> bool {
    enabled && do_not_track != Some("1") && !global_privacy_control
}

/// What the tests of insights build batches from.
#[cfg(test)]
pub(crate) mod test_pages {
    use super::{Batch, Insight, SearchedFor};

    /// One page's batch.
    pub fn page(insights: Vec<Insight>) -> Batch {
        Batch {
            page: "0123456789abcdef".into(),
            insights,
        }
    }

    /// A search for `q` (as text) that showed `results`.
    pub fn search(q: &str, results: u32) -> Insight {
        Insight::Search {
            query: SearchedFor::Text(q.into()),
            results,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_sent_unless_turned_on_and_the_browser_does_not_object() {
        assert!(!may_send(false, None, false), "off by default");
        assert!(may_send(true, None, false));
        assert!(may_send(true, Some("0"), false));
        assert!(may_send(true, Some("unspecified"), false));
        assert!(!may_send(true, Some("1"), false), "Do Not Track");
        assert!(!may_send(true, None, true), "Global Privacy Control");
    }
}
