//! Post dates as writers type them (`2021-01-28T15:00:00.000Z`, `2024-02-29`, the corpus's
//! unpadded `2020-11-6T13:30:56.289Z`), normalised to UTC. Hand-written so the wasm app
//! does not carry a date library just to print "January 28, 2021".

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar date with an optional UTC time of day. Ordering is chronological; a bare
/// date sorts before any time on that day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PostDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub time: Option<TimeOfDay>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay {
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub millis: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a date (expected e.g. 2021-01-28T15:00:00.000Z or 2021-01-28): {reason}")]
pub struct DateError {
    pub input: String,
    pub reason: &'static str,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PostDate {
    /// Parses `Y-M-D`, optionally followed by `T` or a space, `H:MM[:SS[.fff…]]` and `Z` or
    /// `±HH[:MM]`. Months, days and hours may be written without zero padding. A time with
    /// an offset is converted to UTC; a time without one is taken as UTC.
    pub fn parse(input: &str) -> Result<Self, DateError> {
        let err = |reason| DateError { input: input.to_string(), reason };
        let s = input.trim();
        let (date_part, time_part) = match s.find(['T', 't', ' ']) {
            Some(i) => (&s[..i], Some(s[i + 1..].trim())),
            None => (s, None),
        };
        let mut fields = date_part.split('-');
        let year = parse_num(fields.next(), 4, 4).ok_or_else(|| err("the year must have four digits"))?;
        let month = parse_num(fields.next(), 1, 2).ok_or_else(|| err("the month must be a number"))?;
        let day = parse_num(fields.next(), 1, 2).ok_or_else(|| err("the day must be a number"))?;
        if fields.next().is_some() {
            return Err(err("the date has more than three parts"));
        }
        if !(1..=12).contains(&month) {
            return Err(err("the month must be between 1 and 12"));
        }
        if day < 1 || day > days_in_month(year as i32, month as u8) as u32 {
            return Err(err("that day does not exist in that month"));
        }
        let date = PostDate { year: year as i32, month: month as u8, day: day as u8, time: None };
        match time_part {
            None | Some("") => Ok(date),
            Some(t) => {
                let (time, offset_minutes) = parse_time(t).map_err(err)?;
                let utc = date.with_utc_time(time, offset_minutes);
                // Written back with a four-digit year, which must read again (found by fuzzing:
                // 9999-12-31T23:30-05:00 is in the year 10000).
                if !(0..=9999).contains(&utc.year) {
                    return Err(err("the year is out of range once the time is converted to UTC"));
                }
                Ok(utc)
            }
        }
    }

    /// [`PostDate::parse`] for the canonical form alone (`2021-01-28T15:00:00.000Z` or
    /// `2021-01-28`, as [`fmt::Display`] writes it and the compiler publishes it), without
    /// splitting or trimming: the app reads several dates per post file. `None` for anything
    /// else, which [`PostDate::parse`] then reads (or rejects) as before; where this gives a
    /// date, it is the one `parse` gives.
    pub fn parse_canonical(input: &[u8]) -> Option<Self> {
        let digits = |range: std::ops::Range<usize>| {
            input
                .get(range)?
                .iter()
                .try_fold(0u32, |n, &b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
        };
        let at = |i: usize, byte: u8| input.get(i) == Some(&byte);
        if !(input.len() == 10 || input.len() == 24 && at(10, b'T') && at(23, b'Z'))
            || !at(4, b'-')
            || !at(7, b'-')
        {
            return None;
        }
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        if !(1..=12).contains(&month) || day < 1 || day > u32::from(days_in_month(year as i32, month as u8)) {
            return None;
        }
        let mut date = PostDate { year: year as i32, month: month as u8, day: day as u8, time: None };
        if input.len() == 24 {
            if !at(13, b':') || !at(16, b':') || !at(19, b'.') {
                return None;
            }
            let (hour, minute, second, millis) =
                (digits(11..13)?, digits(14..16)?, digits(17..19)?, digits(20..23)?);
            if hour > 23 || minute > 59 || second > 59 {
                return None;
            }
            date.time = Some(TimeOfDay {
                hour: hour as u8,
                minute: minute as u8,
                second: second as u8,
                millis: millis as u16,
            });
        }
        Some(date)
    }

    fn with_utc_time(self, time: TimeOfDay, offset_minutes: i32) -> Self {
        let minutes = i64::from(time.hour) * 60 + i64::from(time.minute) - i64::from(offset_minutes);
        let day_shift = minutes.div_euclid(24 * 60);
        let minutes = minutes.rem_euclid(24 * 60);
        let (year, month, day) =
            civil_from_days(days_from_civil(self.year, self.month, self.day) + day_shift);
        PostDate {
            year,
            month,
            day,
            time: Some(TimeOfDay { hour: (minutes / 60) as u8, minute: (minutes % 60) as u8, ..time }),
        }
    }

    /// "January 28, 2021", as openinfra.dev prints dates.
    pub fn long_format(&self) -> String {
        let month = MONTHS.get(usize::from(self.month).saturating_sub(1)).copied().unwrap_or("");
        format!("{month} {}, {}", self.day, self.year)
    }
}

/// Canonical form: `2021-01-28T15:00:00.000Z`, or `2021-01-28` for a bare date.
impl fmt::Display for PostDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        if let Some(t) = self.time {
            write!(f, "T{:02}:{:02}:{:02}.{:03}Z", t.hour, t.minute, t.second, t.millis)?;
        }
        Ok(())
    }
}

impl Serialize for PostDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PostDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        PostDate::parse(&s).map_err(serde::de::Error::custom)
    }
}

fn parse_num(field: Option<&str>, min_len: usize, max_len: usize) -> Option<u32> {
    let field = field?;
    if field.len() < min_len || field.len() > max_len || !field.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    field.parse().ok()
}

/// Returns the time and its offset from UTC in minutes.
fn parse_time(s: &str) -> Result<(TimeOfDay, i32), &'static str> {
    let (clock, offset) = if let Some(stripped) = s.strip_suffix(['Z', 'z']) {
        (stripped, 0)
    } else if let Some(i) = s.rfind(['+', '-']) {
        (&s[..i], parse_offset(&s[i..]).ok_or("the UTC offset must look like +02:00")?)
    } else {
        (s, 0)
    };
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (clock, None),
    };
    let mut parts = hms.split(':');
    let hour = parse_num(parts.next(), 1, 2).ok_or("the hour must be a number")?;
    let minute = parse_num(parts.next(), 2, 2).ok_or("the time needs minutes, as in 15:00")?;
    let second = match parts.next() {
        Some(sec) => parse_num(Some(sec), 2, 2).ok_or("the seconds must be two digits")?,
        None => 0,
    };
    if parts.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return Err("the time of day is out of range");
    }
    let millis = match fraction {
        None => 0,
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            let padded: String = f.chars().chain("000".chars()).take(3).collect();
            padded.parse().map_err(|_| "the fraction of a second must be digits")?
        }
        Some(_) => return Err("the fraction of a second must be digits"),
    };
    let time = TimeOfDay { hour: hour as u8, minute: minute as u8, second: second.min(59) as u8, millis };
    Ok((time, offset))
}

fn parse_offset(s: &str) -> Option<i32> {
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let digits = &s[1..];
    if !digits.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    let h = parse_num(Some(h), 1, 2)? as i32;
    let m = parse_num(Some(m), 1, 2)? as i32;
    (h <= 23 && m <= 59).then_some(sign * (h * 60 + m))
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

// Howard Hinnant's days_from_civil / civil_from_days, for the day roll-over of UTC offsets.
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("2021-01-28T15:00:00.000Z", "2021-01-28T15:00:00.000Z" ; "netlify cms")]
    #[test_case("2024-02-29", "2024-02-29" ; "bare leap day")]
    #[test_case("2020-11-6T13:30:56.289Z", "2020-11-06T13:30:56.289Z" ; "unpadded day")]
    #[test_case("2021-1-2 9:05", "2021-01-02T09:05:00.000Z" ; "space and short hour")]
    #[test_case("2021-01-01T01:30:00+02:00", "2020-12-31T23:30:00.000Z" ; "offset crosses the year")]
    #[test_case("2021-02-28T23:00:00-01:30", "2021-03-01T00:30:00.000Z" ; "negative offset")]
    #[test_case("2021-01-28T15:00:00.5Z", "2021-01-28T15:00:00.500Z" ; "short fraction")]
    #[test_case(" 2021-01-28 ", "2021-01-28" ; "surrounding space")]
    fn parses_and_normalises(input: &str, expected: &str) {
        assert_eq!(PostDate::parse(input).map(|d| d.to_string()), Ok(expected.to_string()));
    }

    #[test_case("2023-02-29" ; "not a leap year")]
    #[test_case("2021-13-01" ; "month 13")]
    #[test_case("21-01-01" ; "two digit year")]
    #[test_case("January 28, 2021" ; "prose")]
    #[test_case("2021-01-28T25:00:00Z" ; "hour 25")]
    #[test_case("2021-01-28Tnoon" ; "word time")]
    #[test_case("" ; "empty")]
    fn rejects(input: &str) {
        let err = PostDate::parse(input).expect_err("should be rejected");
        assert_eq!(err.input, input);
    }

    #[test_case("2021-01-28T15:00:00.000Z" ; "time")]
    #[test_case("2024-02-29" ; "leap day")]
    #[test_case("0000-01-01T00:00:00.000Z" ; "year zero")]
    #[test_case("9999-12-31T23:59:59.999Z" ; "last")]
    fn canonical_dates_read_as_parse_reads_them(input: &str) {
        assert_eq!(PostDate::parse_canonical(input.as_bytes()), PostDate::parse(input).ok());
    }

    #[test_case("2020-11-6T13:30:56.289Z" ; "unpadded")]
    #[test_case("2023-02-29" ; "not a leap year")]
    #[test_case("2021-13-01" ; "month 13")]
    #[test_case("2021-00-01" ; "month 0")]
    #[test_case("2021-01-00" ; "day 0")]
    #[test_case("2021-01-28T24:00:00.000Z" ; "hour 24")]
    #[test_case("2021-01-28T15:60:00.000Z" ; "minute 60")]
    #[test_case("2021-01-28T15:00:60.000Z" ; "leap second")]
    #[test_case("2021-01-28T15:00:00.000+" ; "no zulu")]
    #[test_case("2021-01-28t15:00:00.000Z" ; "lower t")]
    #[test_case("2021-01-28 15:00:00.00Z" ; "space")]
    #[test_case("+021-01-28" ; "sign")]
    #[test_case(" 2021-01-2" ; "space before")]
    fn anything_else_is_left_to_parse(input: &str) {
        assert_eq!(PostDate::parse_canonical(input.as_bytes()), None);
    }

    /// Every date [`fmt::Display`] writes reads back through the canonical path as `parse`
    /// reads it, over every day of four years (a leap year among them) and a spread of times.
    #[test]
    fn every_written_date_reads_back_the_same() {
        for year in [1999, 2000, 2023, 2024] {
            for month in 1..=12u8 {
                for day in 1..=days_in_month(year, month) {
                    let bare = PostDate { year, month, day, time: None };
                    let timed = PostDate {
                        time: Some(TimeOfDay {
                            hour: day % 24,
                            minute: (u16::from(day) * 7 % 60) as u8,
                            second: (u16::from(day) * 13 % 60) as u8,
                            millis: u16::from(day) * 32,
                        }),
                        ..bare
                    };
                    for date in [bare, timed] {
                        let text = date.to_string();
                        assert_eq!(PostDate::parse_canonical(text.as_bytes()), Some(date), "{text}");
                        assert_eq!(PostDate::parse(&text), Ok(date), "{text}");
                    }
                }
            }
        }
    }

    #[test]
    fn long_format_is_openinfra_style() {
        assert_eq!(
            PostDate::parse("2021-01-28T15:00:00.000Z").map(|d| d.long_format()),
            Ok("January 28, 2021".into())
        );
    }

    #[test]
    fn orders_chronologically() {
        let a = PostDate::parse("2021-01-28").unwrap();
        let b = PostDate::parse("2021-01-28T00:00:00Z").unwrap();
        let c = PostDate::parse("2021-02-01T00:00:00+05:00").unwrap();
        assert!(a < b && b < c);
    }

    #[test]
    fn round_trips_through_json() {
        let d = PostDate::parse("2020-11-6T13:30:56.289Z").unwrap();
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(json, "\"2020-11-06T13:30:56.289Z\"");
        assert_eq!(serde_json::from_str::<PostDate>(&json).unwrap(), d);
    }
}
