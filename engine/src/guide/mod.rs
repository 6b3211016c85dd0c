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
//!
//! [`model`] is the guide itself; [`session`] walks it (and imports only `model`).

pub mod model;
pub mod session;

pub use model::{Choice, Guide, Outcome, Route, Step, Target};
pub use session::{Answer, GuideSession, GuideState};
