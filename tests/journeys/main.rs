//! End-to-end journeys in real headless Chromium, one behaviour per module.

mod corrupt_bundle;
mod search_matches_cli;
mod ticket_after_guide;
