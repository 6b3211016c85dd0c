//! End-to-end journeys in real headless Chromium, one behaviour per module.

mod ticket_after_guide;
