//! End-to-end journeys in real headless Chromium, one behaviour per module.

mod search_matches_cli;
mod ticket_after_guide;
