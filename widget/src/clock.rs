//! Time in the browser: "now" (pinnable for tests and demos), wall-clock time in the
//! support time zone through `Intl`, and the customer's local time of a support-time moment;
//! times of day written the customer's way, and the date picker's local time to and from
//! ISO 8601.
//! The rules about opening hours live in `fixpath_engine::hours`; this is only the clock.

use std::cell::Cell;

use fixpath_engine::hours::{Date, WallClock};
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    /// Milliseconds since the epoch at which the pinned clock was read, and its value.
    static PINNED: Cell<Option<(f64, f64)>> = const { Cell::new(None) };
}

/// Pins the widget's clock to an ISO-8601 instant (the element's `clock` attribute, or
/// `?fixpath-clock=` on the page): time then runs on from there. Ignored if unparseable.
pub fn pin(iso: &str) {
    let pinned = js_sys::Date::parse(iso);
    if pinned.is_finite() {
        PINNED.with(|p| p.set(Some((js_sys::Date::now(), pinned))));
    }
}

/// Milliseconds since the epoch, per the (possibly pinned) clock.
pub fn now_ms() -> f64 {
    let real = js_sys::Date::now();
    PINNED
        .with(|p| p.get())
        .map_or(real, |(read_at, pinned)| pinned + (real - read_at))
}

pub fn now() -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(now_ms()))
}

/// An `Intl.DateTimeFormat` for `locale` with `options` ((name, value) pairs); None when
/// `Intl` refuses them (an unknown zone or locale throws a RangeError: constructed through
/// Reflect, it is an Err instead of unwinding through the wasm).
fn date_time_format(
    locale: &str,
    options: &[(&str, &str)],
) -> Option<js_sys::Intl::DateTimeFormat> {
    let object = js_sys::Object::new();
    for (key, value) in options {
        js_sys::Reflect::set(&object, &(*key).into(), &(*value).into()).ok()?;
    }
    let locales = js_sys::Array::of1(&locale.into());
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor: js_sys::Function = js_sys::Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let format = js_sys::Reflect::construct(&constructor, &js_sys::Array::of2(&locales, &object));
    Some(format.ok()?.unchecked_into())
}

/// The wall clock in `time_zone` at `ms`; None for an unknown zone.
pub fn wall_clock(time_zone: &str, ms: f64) -> Option<WallClock> {
    let options = [
        ("timeZone", time_zone),
        ("year", "numeric"),
        ("month", "numeric"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "numeric"),
        ("hourCycle", "h23"),
    ];
    let format = date_time_format("en-US", &options)?;
    let parts = format.format_to_parts(&js_sys::Date::new(&JsValue::from_f64(ms)));
    let mut fields = [0u32; 5];
    for part in parts.iter() {
        let kind = js_sys::Reflect::get(&part, &"type".into())
            .ok()?
            .as_string()?;
        let value: u32 = js_sys::Reflect::get(&part, &"value".into())
            .ok()?
            .as_string()?
            .parse()
            .unwrap_or(0);
        let slot = ["year", "month", "day", "hour", "minute"]
            .iter()
            .position(|k| *k == kind);
        if let Some(slot) = slot {
            fields[slot] = value;
        }
    }
    let [year, month, day, hour, minute] = fields;
    Some(WallClock {
        date: Date {
            year: year as i32,
            month,
            day,
        },
        minute: hour * 60 + minute,
    })
}

/// The instant (ms since the epoch) at which `time_zone`'s clock shows `wall`.
pub fn instant_of(time_zone: &str, wall: WallClock) -> Option<f64> {
    let as_utc = |w: WallClock| {
        js_sys::Date::utc(f64::from(w.date.year), f64::from(w.date.month - 1))
            + f64::from(w.date.day - 1) * 86_400_000.0
            + f64::from(w.minute) * 60_000.0
    };
    let target = as_utc(wall);
    let mut guess = target;
    // Two rounds settle the zone's offset, also across a daylight-saving change.
    for _ in 0..2 {
        guess += target - as_utc(wall_clock(time_zone, guess)?);
    }
    Some(guess)
}

/// The locale times are written in for a page in `language`: the browser's own when it is
/// that language (`en-GB` writes 08:00, `en-US` 8:00 AM), else the language.
pub fn locale_for(language: &fixpath_engine::language::Language) -> String {
    let browser = web_sys::window()
        .and_then(|w| w.navigator().language())
        .and_then(|tag| fixpath_engine::language::Language::parse(&tag));
    match browser {
        Some(browser) if browser.primary() == language.primary() => browser.tag().to_string(),
        _ => language.tag().to_string(),
    }
}

/// A time of day as `locale` writes it (`Intl.DateTimeFormat`), on the 24-hour clock
/// without `Intl`.
pub fn time_text(locale: &str, hour: u32, minute: u32) -> String {
    let options = [
        ("hour", "numeric"),
        ("minute", "2-digit"),
        ("timeZone", "UTC"),
    ];
    let at = js_sys::Date::utc(2000.0, 0.0) + f64::from(hour * 60 + minute) * 60_000.0;
    let written = || {
        let format = date_time_format(locale, &options)?;
        format
            .format()
            .call1(&format, &JsValue::from_f64(at))
            .ok()?
            .as_string()
    };
    written().unwrap_or_else(|| fixpath_engine::support::hh_mm(hour, minute))
}

/// What a `datetime-local` picker holds for the ISO 8601 instant `iso`: the browser's local
/// `2026-12-01T09:05`; empty if `iso` is not a moment.
pub fn picker_value(iso: &str) -> String {
    let ms = js_sys::Date::parse(iso);
    if ms.is_nan() {
        return String::new();
    }
    let d = js_sys::Date::new(&JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// A picker's local `2026-12-01T09:05` as ISO 8601 with the browser's offset at that
/// moment (`2026-12-01T09:05:00+01:00`); None for anything else.
pub fn iso_of_picked(picked: &str) -> Option<String> {
    let (date, time) = picked.split_once('T')?;
    let mut date = date.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (year, month, day) = (date.next()??, date.next()??, date.next()??);
    let mut time = time.splitn(3, ':').map(|p| p.parse::<u32>().ok());
    let (hour, minute) = (time.next()??, time.next()??);
    let d = js_sys::Date::new_with_year_month_day_hr_min(
        year,
        month.checked_sub(1)? as i32,
        day as i32,
        hour as i32,
        minute as i32,
    );
    if d.get_time().is_nan() {
        return None;
    }
    let local = fixpath_engine::ticket::LocalDateTime {
        year,
        month,
        day,
        hour,
        minute,
        second: 0,
        offset_minutes: -(d.get_timezone_offset() as i32),
    };
    Some(local.to_iso())
}
