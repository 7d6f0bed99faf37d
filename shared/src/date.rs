//! Calendar dates (`YYYY-MM-DD`) and the little arithmetic the roadmap needs.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A day in the proleptic Gregorian calendar, between 2000-01-01 and 2199-12-31.
///
/// Serialises as `"YYYY-MM-DD"`. Built only valid:
///
/// ```
/// use aims_engine::Date;
/// let d = Date::parse("2027-01-04").unwrap();
/// assert_eq!(d.add_days(28).to_string(), "2027-02-01");
/// assert!(Date::parse("2027-02-30").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// A date from its parts, or `None` if no such day exists in the supported range.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(2000..=2199).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`; the message says what is wrong.
    pub fn parse(text: &str) -> Result<Date, String> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(format!(
                "`{}` is not a date in the form YYYY-MM-DD",
                clip(text)
            ));
        }
        let number = |range: std::ops::Range<usize>| -> i32 {
            bytes[range]
                .iter()
                .fold(0, |acc, b| acc * 10 + i32::from(b - b'0'))
        };
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        // month and day have two digits, so they fit in u8.
        Date::new(year, month as u8, day as u8).ok_or_else(|| {
            format!("`{text}` is not a calendar day between 2000-01-01 and 2199-12-31")
        })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The date `days` later (or earlier, if negative). Saturates at the supported range.
    pub fn add_days(self, days: i64) -> Date {
        let target = self.days_since_epoch() + days;
        let first = Date::new(2000, 1, 1).unwrap_or(self).days_since_epoch();
        let last = Date::new(2199, 12, 31).unwrap_or(self).days_since_epoch();
        Date::from_days_since_epoch(target.clamp(first, last))
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (4).
        let d = (self.days_since_epoch() + 3).rem_euclid(7);
        (d + 1) as u8
    }

    // Howard Hinnant's days_from_civil.
    fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    // Howard Hinnant's civil_from_days.
    fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_day_of_two_centuries() {
        let mut d = Date::new(2000, 1, 1).unwrap();
        let mut n = d.days_since_epoch();
        while d != Date::new(2199, 12, 31).unwrap() {
            let next = d.add_days(1);
            assert!(next > d);
            assert_eq!(next.days_since_epoch(), n + 1);
            assert_eq!(Date::parse(&next.to_string()), Ok(next));
            d = next;
            n += 1;
        }
    }

    #[test]
    fn knows_weekdays_and_leap_years() {
        assert_eq!(Date::parse("2027-01-04").unwrap().weekday(), 1);
        assert_eq!(Date::parse("2026-11-28").unwrap().weekday(), 6);
        assert!(Date::parse("2028-02-29").is_ok());
        assert!(Date::parse("2100-02-29").is_err());
    }

    #[test]
    fn refuses_malformed_text() {
        for bad in [
            "",
            "2027-1-04",
            "27-01-04",
            "2027/01/04",
            "2027-13-01",
            "1999-12-31",
            "２０２７-01-01",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }
}
