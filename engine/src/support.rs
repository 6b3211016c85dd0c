//! What the customer is told about reaching people: whether support is open now, when it
//! reopens (in the support team's time and, when it differs, the customer's), and the 24/7
//! phone line offered for a critical problem while support is closed. The browser supplies
//! the clocks; the rules are here.

use std::collections::BTreeMap;

use crate::config::SupportConfig;
use crate::hours::{weekday, Availability, Schedule, WallClock};
use crate::strings;

/// The `[strings]` keys of the days, from Monday.
const DAYS: [&str; 7] = [
    "day.mon", "day.tue", "day.wed", "day.thu", "day.fri", "day.sat", "day.sun",
];

/// `08:00`: a time of day on the 24-hour clock, for where no locale says otherwise.
pub fn hh_mm(hour: u32, minute: u32) -> String {
    format!("{hour:02}:{minute:02}")
}

/// Whether support is staffed now, in the kb's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportStatus {
    pub open: bool,
    pub text: String,
}

/// A moment on the customer's own clock: weekday from Monday (0), hour, minute.
pub type LocalTime = (u32, u32, u32);

/// Support's status at `now` (its own wall clock), or None when the kb publishes no (valid)
/// hours. `to_local` turns a moment of the support zone into the customer's time, when the
/// browser can; `words` are the kb's `[strings]`; `time_text` writes a time of day as the
/// customer's locale does (the browser's `Intl`; [`hh_mm`] without one).
pub fn support_status(
    support: &SupportConfig,
    now: WallClock,
    to_local: impl Fn(WallClock) -> Option<LocalTime>,
    words: &BTreeMap<String, String>,
    time_text: &dyn Fn(u32, u32) -> String,
) -> Option<SupportStatus> {
    let hours = &support.hours;
    if hours.time_zone.is_empty() {
        return None;
    }
    let schedule = Schedule::parse(hours).ok()?;
    let zone = &hours.time_zone;
    let place = zone.rsplit('/').next().unwrap_or(zone).replace('_', " ");
    let say = |key, values: &[(&str, &str)]| strings::text(words, key, values);
    // "Mon 08:00", in the kb's words and the customer's way of writing times.
    let when = |monday_based: u32, hour: u32, minute: u32| {
        format!(
            "{} {}",
            say(DAYS[monday_based as usize % 7], &[]),
            time_text(hour, minute)
        )
    };
    let (open, text) = match schedule.availability(now) {
        Availability::Open { closes } => (
            true,
            say(
                "hours.open",
                &[
                    ("time", &time_text(closes / 60, closes % 60)),
                    ("place", &place),
                ],
            ),
        ),
        Availability::Closed { reopens: Some(at) } => {
            let theirs = when(weekday(at.date), at.minute / 60, at.minute % 60);
            match to_local(at).map(|(day, hour, minute)| when(day, hour, minute)) {
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

/// The 24/7 line to offer: the kb's phone number as shown, and its `tel:` link, when the
/// problem is critical, support is closed and the kb has a line.
pub fn phone_route(
    support: &SupportConfig,
    critical: bool,
    status: Option<&SupportStatus>,
) -> Option<(String, String)> {
    let closed = status.is_some_and(|s| !s.open);
    let phone = support.phone.clone().filter(|_| critical && closed)?;
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    Some((phone, format!("tel:{digits}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::{Date, HoursConfig};

    fn london() -> SupportConfig {
        SupportConfig {
            phone: Some("+44 20 7946 0000".into()),
            hours: HoursConfig {
                time_zone: "Europe/London".into(),
                monday: "08:00-18:00".into(),
                friday: "08:00-18:00".into(),
                ..HoursConfig::default()
            },
        }
    }

    /// Friday 2026-11-27 at `hour`:00 in London.
    fn friday(hour: u32) -> WallClock {
        WallClock {
            date: Date {
                year: 2026,
                month: 11,
                day: 27,
            },
            minute: hour * 60,
        }
    }

    #[test]
    fn open_says_until_when() {
        let status =
            support_status(&london(), friday(9), |_| None, &BTreeMap::new(), &hh_mm).unwrap();
        assert!(status.open);
        assert!(
            status.text.contains("18:00") && status.text.contains("London"),
            "{status:?}"
        );
    }

    #[test]
    fn closed_says_when_it_reopens_and_the_customers_own_time_when_it_differs() {
        let words = BTreeMap::new();
        let same =
            support_status(&london(), friday(20), |_| Some((0, 8, 0)), &words, &hh_mm).unwrap();
        assert!(!same.open);
        assert!(
            same.text.contains("Mon 08:00") && !same.text.contains("your time"),
            "{same:?}"
        );
        let tokyo =
            support_status(&london(), friday(20), |_| Some((0, 17, 0)), &words, &hh_mm).unwrap();
        assert!(
            tokyo.text.contains("Mon 08:00") && tokyo.text.contains("Mon 17:00"),
            "{tokyo:?}"
        );
        let french = BTreeMap::from([("day.mon".to_string(), "lun.".to_string())]);
        let said = support_status(&london(), friday(20), |_| None, &french, &hh_mm).unwrap();
        assert!(said.text.contains("lun. 08:00"), "{said:?}");
    }

    #[test]
    fn the_phone_line_is_offered_only_for_critical_problems_while_closed() {
        let words = BTreeMap::new();
        let closed = support_status(&london(), friday(20), |_| None, &words, &hh_mm);
        let open = support_status(&london(), friday(9), |_| None, &words, &hh_mm);
        assert_eq!(
            phone_route(&london(), true, closed.as_ref()),
            Some(("+44 20 7946 0000".into(), "tel:+442079460000".into()))
        );
        assert_eq!(phone_route(&london(), false, closed.as_ref()), None);
        assert_eq!(phone_route(&london(), true, open.as_ref()), None);
        assert_eq!(
            phone_route(&london(), true, None),
            None,
            "no hours, no line"
        );
    }

    #[test]
    fn times_are_written_the_customers_way() {
        let twelve_hour = |hour: u32, minute: u32| {
            let (h, half) = if hour < 12 {
                (hour, "AM")
            } else {
                (hour - 12, "PM")
            };
            format!("{}:{minute:02} {half}", if h == 0 { 12 } else { h })
        };
        let open = support_status(
            &london(),
            friday(9),
            |_| None,
            &BTreeMap::new(),
            &twelve_hour,
        );
        assert_eq!(open.unwrap().text, "Open now, until 6:00 PM London time");
        let closed = support_status(
            &london(),
            friday(20),
            |_| Some((0, 17, 0)),
            &BTreeMap::new(),
            &twelve_hour,
        );
        assert_eq!(
            closed.unwrap().text,
            "Closed — reopens Mon 8:00 AM London time (your time Mon 5:00 PM)"
        );
    }
}
