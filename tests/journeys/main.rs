//! End-to-end journeys in real headless Chromium, one behaviour per module.

mod attachments;
mod branching_guide;
mod corrupt_bundle;
mod critical_out_of_hours;
mod dark_mode;
mod deployed_help_folder;
mod draft_survives_reload;
mod fixpath_serve;
mod insights;
mod keyboard_only;
mod languages;
mod offline_then_online;
mod page_api_and_events;
mod piece_unavailable;
mod reflow;
mod relay_delivery;
mod relay_refusals;
mod retry_after_server_errors;
mod search_matches_cli;
mod strings_from_config;
mod ticket_after_guide;
mod wasm_served_as_another_type;
mod xss_stays_inert;
mod zendesk_delivery;
