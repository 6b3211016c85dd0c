//! "Open now" / "Closed — reopens Mon 8:00 AM London time (your time Mon 9:00 AM)" (times
//! as the customer's locale writes them), and the
//! 24/7 phone route shown when a critical problem arrives while support is closed
//! (`engine::support` decides both; the browser supplies the clocks).

use fixpath_engine::config::WidgetConfig;
use fixpath_engine::hours::WallClock;
use fixpath_engine::strings::Message;
use fixpath_engine::support::{self, SupportStatus};
use leptos::prelude::*;

use crate::clock;
use crate::journey::Journey;

/// None when the kb publishes no (valid) hours.
fn support_status(config: &WidgetConfig) -> Option<SupportStatus> {
    let zone = &config.support.hours.time_zone;
    let now = clock::wall_clock(zone, clock::now_ms())?;
    // The customer's own clock at a moment of the support zone's.
    let to_local = |at: WallClock| {
        clock::instant_of(zone, at).map(|ms| {
            let d = js_sys::Date::new(&ms.into());
            // JS counts from Sunday.
            ((d.get_day() + 6) % 7, d.get_hours(), d.get_minutes())
        })
    };
    let locale = clock::locale_for(&config.language());
    let time_text = |hour, minute| clock::time_text(&locale, hour, minute);
    support::support_status(&config.support, now, to_local, &config.strings, &time_text)
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
        let status = support_status(&config);
        let (phone, href) = support::phone_route(&config.support, critical, status.as_ref())?;
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
