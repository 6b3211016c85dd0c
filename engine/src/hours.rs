//! Support hours: is support open now, and if not, when does it reopen? Pure calendar rules
//! over the schedule in the kb config; the browser supplies "now" as a wall-clock time in the
//! support time zone (it has the time-zone database, the engine does not need one).
//!
//! A day's hours are `"08:00-18:00"`, several ranges separated by commas
//! (`"08:00-12:00, 13:00-17:00"`), or absent/empty for closed. Holidays are `YYYY-MM-DD`
//! dates, closed all day.

use serde::{Deserialize, Serialize};

/// `[support.hours]` in the kb config.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HoursConfig {
    /// IANA time zone of the schedule (`Europe/London`); empty means no hours are published.
    pub time_zone: String,
    pub monday: String,
    pub tuesday: String,
    pub wednesday: String,
    pub thursday: String,
    pub friday: String,
    pub saturday: String,
    pub sunday: String,
    pub holidays: Vec<String>,
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// A wall-clock moment in the support time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WallClock {
    pub date: Date,
    /// Minutes since midnight.
    pub minute: u32,
}

/// Whether support is staffed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Open until `closes` (minutes since midnight, today).
    Open { closes: u32 },
    /// Closed; reopens at this wall-clock moment (None: no opening within two weeks).
    Closed { reopens: Option<WallClock> },
}

/// A parsed, checked schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// Open ranges (start, end) in minutes, per weekday from Monday.
    week: [Vec<(u32, u32)>; 7],
    holidays: Vec<Date>,
}

impl Schedule {
    /// Checks the config; the error says what is wrong, and where (the CLI words it).
    pub fn parse(config: &HoursConfig) -> Result<Schedule, HoursProblem> {
        let days = [
            ("monday", &config.monday),
            ("tuesday", &config.tuesday),
            ("wednesday", &config.wednesday),
            ("thursday", &config.thursday),
            ("friday", &config.friday),
            ("saturday", &config.saturday),
            ("sunday", &config.sunday),
        ];
        let mut week: [Vec<(u32, u32)>; 7] = Default::default();
        for (i, (day, text)) in days.into_iter().enumerate() {
            week[i] = parse_ranges(day, text)?;
        }
        let mut holidays = Vec::new();
        for h in &config.holidays {
            let date = parse_date(h).ok_or_else(|| HoursProblem::HolidayNotADate(h.clone()))?;
            if holidays.contains(&date) {
                return Err(HoursProblem::HolidayTwice(h.clone()));
            }
            holidays.push(date);
        }
        Ok(Schedule { week, holidays })
    }

    fn ranges_on(&self, date: Date) -> &[(u32, u32)] {
        if self.holidays.contains(&date) {
            return &[];
        }
        &self.week[weekday(date) as usize]
    }

    /// Open now, or when it reopens (looking up to two weeks ahead).
    pub fn availability(&self, now: WallClock) -> Availability {
        if let Some(&(_, end)) = self
            .ranges_on(now.date)
            .iter()
            .find(|(s, e)| *s <= now.minute && now.minute < *e)
        {
            return Availability::Open { closes: end };
        }
        for ahead in 0..15 {
            let date = add_days(now.date, ahead);
            let next = self
                .ranges_on(date)
                .iter()
                .map(|(s, _)| *s)
                .find(|s| ahead > 0 || *s > now.minute);
            if let Some(minute) = next {
                return Availability::Closed {
                    reopens: Some(WallClock { date, minute }),
                };
            }
        }
        Availability::Closed { reopens: None }
    }
}

/// What is wrong with `[support.hours]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoursProblem {
    /// A day's `range` is not like `08:00-18:00` (start before end, 00:00 to 24:00).
    NotARange {
        day: &'static str,
        range: String,
    },
    /// A day's ranges (`text`) overlap.
    Overlapping {
        day: &'static str,
        text: String,
    },
    HolidayNotADate(String),
    HolidayTwice(String),
}

impl HoursProblem {
    /// The config key it is at: the day, or `holidays`.
    pub fn key(&self) -> &'static str {
        match self {
            HoursProblem::NotARange { day, .. } | HoursProblem::Overlapping { day, .. } => day,
            HoursProblem::HolidayNotADate(_) | HoursProblem::HolidayTwice(_) => "holidays",
        }
    }
}

/// `"08:00-12:00, 13:00-17:00"` → minute ranges, sorted and non-overlapping.
fn parse_ranges(day: &'static str, text: &str) -> Result<Vec<(u32, u32)>, HoursProblem> {
    let mut ranges = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let not_a_range = || HoursProblem::NotARange {
            day,
            range: part.to_string(),
        };
        let (start, end) = part.split_once('-').ok_or_else(not_a_range)?;
        match (parse_minute(start.trim()), parse_minute(end.trim())) {
            (Some(s), Some(e)) if s < e => ranges.push((s, e)),
            _ => return Err(not_a_range()),
        }
    }
    ranges.sort_unstable();
    if ranges.windows(2).any(|w| w[0].1 > w[1].0) {
        return Err(HoursProblem::Overlapping {
            day,
            text: text.to_string(),
        });
    }
    Ok(ranges)
}

/// `"08:30"` → 510; `"24:00"` is the end of the day.
fn parse_minute(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// `"2026-12-25"` → a valid date.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let date = Date {
        year: y.parse().ok()?,
        month: m.parse().ok()?,
        day: d.parse().ok()?,
    };
    (add_days(date, 0) == date).then_some(date)
}

/// Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's `days_from_civil`).
fn days_from_civil(d: Date) -> i64 {
    let y = i64::from(d.year) - i64::from(d.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(d.month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

/// `date` plus `days` (normalizes an invalid date such as Feb 30, which [`parse_date`] uses
/// to reject it).
pub fn add_days(date: Date, days: i64) -> Date {
    civil_from_days(days_from_civil(date) + days)
}

/// 0 = Monday … 6 = Sunday.
pub fn weekday(date: Date) -> u32 {
    (days_from_civil(date) + 3).rem_euclid(7) as u32
}

/// "Mon", "Tue", …
pub fn weekday_name(date: Date) -> &'static str {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][weekday(date) as usize]
}

/// `510` → `"08:30"`.
pub fn format_minute(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> Schedule {
        let weekday = "08:00-18:00".to_string();
        Schedule::parse(&HoursConfig {
            time_zone: "Europe/London".into(),
            monday: weekday.clone(),
            tuesday: weekday.clone(),
            wednesday: weekday.clone(),
            thursday: weekday.clone(),
            friday: "08:00-12:00, 13:00-17:00".into(),
            holidays: vec!["2026-12-25".into()],
            ..HoursConfig::default()
        })
        .unwrap()
    }

    fn at(date: &str, hhmm: &str) -> WallClock {
        WallClock {
            date: parse_date(date).unwrap(),
            minute: parse_minute(hhmm).unwrap(),
        }
    }

    #[test]
    fn calendar_math() {
        assert_eq!(weekday_name(parse_date("2026-11-27").unwrap()), "Fri");
        assert_eq!(
            add_days(parse_date("2026-12-31").unwrap(), 1),
            parse_date("2027-01-01").unwrap()
        );
        assert_eq!(
            add_days(parse_date("2028-02-28").unwrap(), 1),
            parse_date("2028-02-29").unwrap()
        );
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-1-5"), None);
    }

    #[test]
    fn open_and_closed_through_the_week() {
        let s = office();
        assert_eq!(
            s.availability(at("2026-11-23", "09:15")),
            Availability::Open { closes: 18 * 60 }
        );
        assert_eq!(
            s.availability(at("2026-11-23", "07:59")),
            Availability::Closed {
                reopens: Some(at("2026-11-23", "08:00"))
            }
        );
        // Friday lunch, then the weekend: reopens Monday.
        assert_eq!(
            s.availability(at("2026-11-27", "12:30")),
            Availability::Closed {
                reopens: Some(at("2026-11-27", "13:00"))
            }
        );
        assert_eq!(
            s.availability(at("2026-11-27", "17:00")),
            Availability::Closed {
                reopens: Some(at("2026-11-30", "08:00"))
            }
        );
        assert_eq!(
            s.availability(at("2026-11-28", "11:00")),
            Availability::Closed {
                reopens: Some(at("2026-11-30", "08:00"))
            }
        );
    }

    #[test]
    fn holidays_are_closed_all_day() {
        assert_eq!(
            office().availability(at("2026-12-25", "10:00")),
            Availability::Closed {
                reopens: Some(at("2026-12-28", "08:00"))
            }
        );
    }

    #[test]
    fn a_schedule_that_never_opens_says_so() {
        let never = Schedule::parse(&HoursConfig::default()).unwrap();
        assert_eq!(
            never.availability(at("2026-11-23", "10:00")),
            Availability::Closed { reopens: None }
        );
    }

    #[test]
    fn bad_schedules_are_explained() {
        let bad = |monday: &str| {
            Schedule::parse(&HoursConfig {
                monday: monday.into(),
                ..HoursConfig::default()
            })
            .unwrap_err()
        };
        let not_a_range = |range: &str| HoursProblem::NotARange {
            day: "monday",
            range: range.into(),
        };
        assert_eq!(bad("8-18"), not_a_range("8-18"));
        assert_eq!(bad("18:00-08:00"), not_a_range("18:00-08:00"));
        assert_eq!(bad("09:00, 10:00-11:00"), not_a_range("09:00"));
        assert_eq!(bad("08:00-24:30"), not_a_range("08:00-24:30"));
        assert_eq!(
            bad("08:00-12:00, 11:00-13:00"),
            HoursProblem::Overlapping {
                day: "monday",
                text: "08:00-12:00, 11:00-13:00".into()
            }
        );
        let twice = HoursConfig {
            holidays: vec!["2026-12-25".into(), "2026-12-25".into()],
            ..HoursConfig::default()
        };
        let problem = Schedule::parse(&twice).unwrap_err();
        assert_eq!(problem, HoursProblem::HolidayTwice("2026-12-25".into()));
        assert_eq!(problem.key(), "holidays");
    }
}
