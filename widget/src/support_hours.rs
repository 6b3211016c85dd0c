//! "Open now" / "Closed — reopens Mon 08:00 London time (your time Mon 09:00)", and the
//! 24/7 phone route shown when a critical problem arrives while support is closed.

use fixpath_engine::config::KbConfig;
use fixpath_engine::hours::{format_minute, weekday_name, Availability, Schedule};
use leptos::prelude::*;

use crate::app::Journey;
use crate::clock;

/// Whether support is staffed now, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct SupportStatus {
    pub open: bool,
    pub text: String,
}

/// None when the kb publishes no (valid) hours.
pub fn support_status(config: &KbConfig) -> Option<SupportStatus> {
    let hours = &config.support.hours;
    if hours.time_zone.is_empty() {
        return None;
    }
    let schedule = Schedule::parse(hours).ok()?;
    let zone = &hours.time_zone;
    let place = zone.rsplit('/').next().unwrap_or(zone).replace('_', " ");
    let now = clock::wall_clock(zone, clock::now_ms())?;
    let (open, text) = match schedule.availability(now) {
        Availability::Open { closes } => (
            true,
            format!("Open now, until {} {place} time", format_minute(closes)),
        ),
        Availability::Closed { reopens: Some(at) } => {
            let theirs = format!("{} {}", weekday_name(at.date), format_minute(at.minute));
            let local = clock::instant_of(zone, at).map(|ms| {
                let d = js_sys::Date::new(&ms.into());
                let day =
                    ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.get_day() as usize % 7];
                format!("{day} {:02}:{:02}", d.get_hours(), d.get_minutes())
            });
            match local {
                Some(local) if local != theirs => (
                    false,
                    format!("Closed — reopens {theirs} {place} time (your time {local})"),
                ),
                _ => (false, format!("Closed — reopens {theirs} {place} time")),
            }
        }
        Availability::Closed { reopens: None } => (false, "Closed".to_string()),
    };
    Some(SupportStatus { open, text })
}

/// The support-hours line (nothing if the kb publishes no hours).
pub fn hours_line(journey: Journey) -> impl IntoView {
    move || {
        journey.load.with(|l| support_status(&l.config())).map(|status| {
            view! { <p class="fp-hours" data-open=status.open.to_string() data-testid="hours">{status.text}</p> }
        })
    }
}

/// The 24/7 line, when the problem is critical, support is closed and the kb has a phone.
pub fn phone_route(journey: Journey, critical: bool, reference: Option<String>) -> impl IntoView {
    move || {
        let config = journey.load.with(|l| l.config());
        let closed = support_status(&config).is_some_and(|s| !s.open);
        let phone = config.support.phone.filter(|_| critical && closed)?;
        let href = format!(
            "tel:{}",
            phone
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect::<String>()
        );
        let quote = reference
            .clone()
            .map(|r| format!(", and quote your reference {r}"))
            .unwrap_or_default();
        Some(view! {
            <p class="fp-urgent" role="alert" data-testid="phone">
                "Our team is offline, and this is critical: call our 24/7 line "
                <a href=href>{phone}</a>{quote}"."
            </p>
        })
    }
}
