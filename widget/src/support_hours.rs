//! "Open now" / "Closed — reopens Mon 08:00 London time (your time Mon 09:00)", and the
//! 24/7 phone route shown when a critical problem arrives while support is closed.

use fixpath_engine::config::WidgetConfig;
use fixpath_engine::hours::{format_minute, weekday, Availability, Schedule};
use fixpath_engine::strings::{self, Message};
use leptos::prelude::*;

use crate::app::Journey;
use crate::clock;

/// The `[strings]` keys of the days, from Monday.
const DAYS: [&str; 7] = [
    "day.mon", "day.tue", "day.wed", "day.thu", "day.fri", "day.sat", "day.sun",
];

/// Whether support is staffed now, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct SupportStatus {
    pub open: bool,
    pub text: String,
}

/// None when the kb publishes no (valid) hours.
pub fn support_status(config: &WidgetConfig) -> Option<SupportStatus> {
    let hours = &config.support.hours;
    if hours.time_zone.is_empty() {
        return None;
    }
    let schedule = Schedule::parse(hours).ok()?;
    let zone = &hours.time_zone;
    let place = zone.rsplit('/').next().unwrap_or(zone).replace('_', " ");
    let now = clock::wall_clock(zone, clock::now_ms())?;
    let say = |key, values: &[(&str, &str)]| strings::text(&config.strings, key, values);
    // "Mon", in the kb's words.
    let day = |monday_based: u32| say(DAYS[monday_based as usize % 7], &[]);
    let (open, text) = match schedule.availability(now) {
        Availability::Open { closes } => (
            true,
            say(
                "hours.open",
                &[("time", &format_minute(closes)), ("place", &place)],
            ),
        ),
        Availability::Closed { reopens: Some(at) } => {
            let theirs = format!("{} {}", day(weekday(at.date)), format_minute(at.minute));
            let local = clock::instant_of(zone, at).map(|ms| {
                let d = js_sys::Date::new(&ms.into());
                // JS counts from Sunday.
                let monday_based = (d.get_day() + 6) % 7;
                format!(
                    "{} {:02}:{:02}",
                    day(monday_based),
                    d.get_hours(),
                    d.get_minutes()
                )
            });
            match local {
                Some(local) if local != theirs => (
                    false,
                    say(
                        "hours.closed_until_local",
                        &[("when", &theirs), ("place", &place), ("local", &local)],
                    ),
                ),
                _ => (
                    false,
                    say(
                        "hours.closed_until",
                        &[("when", &theirs), ("place", &place)],
                    ),
                ),
            }
        }
        Availability::Closed { reopens: None } => (false, say("hours.closed", &[])),
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
            .map(|r| journey.say(&Message::new("hours.phone_reference").with("reference", r)))
            .unwrap_or_default();
        Some(view! {
            <p class="fp-urgent" role="alert" data-testid="phone">
                {journey.say(&Message::new("hours.phone"))}" "
                <a href=href>{phone}</a>{quote}"."
            </p>
        })
    }
}
