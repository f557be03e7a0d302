//! Calendar days and date spans that keep the precision their source gave.
//!
//! Every date expands to a closed span of days (`start..=end`): an exact day
//! is a span of one, "earlier this week" a span of several. Filtering by time
//! is then always span overlap, and display never claims more precision than
//! the source had.

use std::fmt;

use super::Name;

use serde::{Deserialize, Serialize};

/// A calendar day, counted from 1970-01-01 (proleptic Gregorian).
///
/// An integer day keeps comparisons and arithmetic exact; time of day is not
/// modelled because no source we read is that precise about events.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Day(pub i32);

/// The furthest year from year 0 that a [`Day`] may hold.
const MAX_YEAR: i32 = 1_000_000;

const MONTH_NAMES: [&str; 12] = [
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

impl Day {
    /// The day of a civil date, or `None` when the date does not exist or
    /// lies beyond a million years either way (which also keeps the day
    /// arithmetic far from overflow).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        if !(-MAX_YEAR..=MAX_YEAR).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return None;
        }
        Some(Self(days_from_civil(year, month, day)))
    }

    /// The civil date (year, month 1-12, day 1-31).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Parses `YYYY-MM-DD` (the form used in chronomap files and flags).
    pub fn parse_iso(text: &str) -> Option<Self> {
        let text = text.trim();
        let mut parts = text.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Self::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// The day `n` days later (or earlier for negative `n`).
    #[must_use]
    pub fn offset(self, n: i32) -> Self {
        Self(self.0.saturating_add(n))
    }

    /// Day of the week, 0 = Monday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3 when Monday is 0).
        (self.0 + 3).rem_euclid(7).unsigned_abs()
    }

    /// "27 Nov 2025".
    pub fn short_words(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{d} {} {y}", &month_name(m)[..3])
    }

    /// "Thursday 27 November 2025".
    pub fn long_words(self) -> String {
        const WEEKDAYS: [&str; 7] = [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ];
        let (y, m, d) = self.ymd();
        let weekday = WEEKDAYS.get(self.weekday() as usize).copied().unwrap_or("");
        format!("{weekday} {d} {} {y}", month_name(m))
    }
}

impl fmt::Display for Day {
    /// ISO 8601, `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse_iso(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("'{text}' is not a date in the form YYYY-MM-DD"))
        })
    }
}

/// The English name of a month (1-12); empty for anything else.
pub fn month_name(month: u32) -> &'static str {
    month
        .checked_sub(1)
        .and_then(|i| MONTH_NAMES.get(i as usize))
        .copied()
        .unwrap_or("")
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in a month (0 for a month outside 1-12).
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's civil-date algorithms: exact for the whole i32 day range
// we use, and branch-light.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = month.cast_signed();
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day.cast_signed() - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1).unsigned_abs();
    let m = if mp < 10 { mp + 3 } else { mp - 9 }.unsigned_abs();
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

/// How precisely a source dated an event.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// One known day.
    #[default]
    Day,
    /// Somewhere within a range of days ("earlier this week").
    Range,
    /// Somewhere within a calendar week (ACLED time precision 2).
    Week,
    /// Somewhere within a month.
    Month,
    /// Somewhere within a year.
    Year,
}

impl Precision {
    /// Its name in chronomap files: "day", "range", "week", "month", "year".
    pub fn name(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Range => "range",
            Self::Week => "week",
            Self::Month => "month",
            Self::Year => "year",
        }
    }

    /// The precision with this name (as [`Precision::name`] writes it).
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Day, Self::Range, Self::Week, Self::Month, Self::Year]
            .into_iter()
            .find(|precision| precision.name() == name)
    }
}

/// Whether the days `start..=end` share at least one with `first..=last`.
pub fn days_overlap((start, end): (Day, Day), first: Day, last: Day) -> bool {
    start <= last && end >= first
}

/// When an event happened, as precisely as its source said and no more.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateSpan {
    /// The earliest day the event may have happened.
    pub start: Day,
    /// The latest day (inclusive); equal to `start` for an exact day.
    pub end: Day,
    /// What kind of span this is.
    pub precision: Precision,
    /// The source's own words for a vague date ("earlier this week").
    pub wording: Option<Name>,
}

impl DateSpan {
    /// An exact day.
    pub fn day(day: Day) -> Self {
        Self {
            start: day,
            end: day,
            precision: Precision::Day,
            wording: None,
        }
    }

    /// A range of days; the bounds are put in order.
    pub fn range(a: Day, b: Day, wording: Option<String>) -> Self {
        Self {
            start: a.min(b),
            end: a.max(b),
            precision: if a == b {
                Precision::Day
            } else {
                Precision::Range
            },
            wording: wording.map(Name::from),
        }
    }

    /// A whole calendar month.
    pub fn month(year: i32, month: u32) -> Option<Self> {
        let start = Day::from_ymd(year, month, 1)?;
        let end = Day::from_ymd(year, month, days_in_month(year, month))?;
        Some(Self {
            start,
            end,
            precision: Precision::Month,
            wording: None,
        })
    }

    /// A whole calendar year.
    pub fn year(year: i32) -> Option<Self> {
        Some(Self {
            start: Day::from_ymd(year, 1, 1)?,
            end: Day::from_ymd(year, 12, 31)?,
            precision: Precision::Year,
            wording: None,
        })
    }

    /// Number of days the span covers (1 for an exact day).
    pub fn len_days(&self) -> i32 {
        self.end.0 - self.start.0 + 1
    }

    /// Whether the span shares at least one day with `first..=last`.
    pub fn overlaps(&self, first: Day, last: Day) -> bool {
        days_overlap((self.start, self.end), first, last)
    }

    /// The date in words, never more precise than the source:
    /// "27 Nov 2025", or "between 24 and 26 Nov 2025, 'earlier this week'".
    pub fn words(&self) -> String {
        let base = match self.precision {
            Precision::Day if self.start == self.end => self.start.short_words(),
            Precision::Month => {
                let (y, m, _) = self.start.ymd();
                format!("{} {y}", month_name(m))
            }
            Precision::Year => format!("{}", self.start.ymd().0),
            _ => format!("between {}", range_words(self.start, self.end)),
        };
        match &self.wording {
            Some(w) if !w.is_empty() => format!("{base}, \u{2018}{w}\u{2019}"),
            _ => base,
        }
    }

    /// When it happened, saying how surely, for the details: "27 Nov
    /// 2025"; "sometime between 24 and 26 Nov 2025 — ‘earlier this week’";
    /// "in March 2024; the source gives only the month".
    pub fn uncertainty_words(&self) -> String {
        let wording = match &self.wording {
            Some(w) if !w.is_empty() => format!(" \u{2014} \u{2018}{w}\u{2019}"),
            _ => String::new(),
        };
        let base = match self.precision {
            Precision::Day if self.start == self.end => self.start.short_words(),
            Precision::Month => {
                let (y, m, _) = self.start.ymd();
                format!("in {} {y}; the source gives only the month", month_name(m))
            }
            Precision::Year => format!("in {}; the source gives only the year", self.start.ymd().0),
            Precision::Week => format!(
                "sometime in the week of {}; the source gives only the week",
                range_words(self.start, self.end).replacen(" and ", "\u{2013}", 1)
            ),
            _ => format!("sometime between {}", range_words(self.start, self.end)),
        };
        format!("{base}{wording}")
    }
}

/// "24 and 26 Nov 2025", "30 Nov and 2 Dec 2025", "30 Dec 2025 and 2 Jan 2026".
fn range_words(start: Day, end: Day) -> String {
    let (y0, m0, d0) = start.ymd();
    let (y1, m1, _) = end.ymd();
    let head = if y0 != y1 {
        start.short_words()
    } else if m0 != m1 {
        format!("{d0} {}", &month_name(m0)[..3])
    } else {
        format!("{d0}")
    };
    format!("{head} and {}", end.short_words())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Day {
        Day::from_ymd(y, m, d).expect("valid test date")
    }

    #[test]
    fn civil_round_trip_over_centuries() {
        for n in (-800_000..800_000).step_by(997) {
            let (y, m, d) = Day(n).ymd();
            assert_eq!(Day::from_ymd(y, m, d), Some(Day(n)));
        }
        assert_eq!(Day::from_ymd(1970, 1, 1), Some(Day(0)));
        assert_eq!(day(2025, 11, 27).to_string(), "2025-11-27");
    }

    #[test]
    fn rejects_dates_that_do_not_exist() {
        assert_eq!(Day::from_ymd(2025, 2, 29), None);
        assert_eq!(Day::from_ymd(2024, 2, 30), None);
        assert!(Day::from_ymd(2024, 2, 29).is_some());
        assert_eq!(Day::from_ymd(2025, 13, 1), None);
        assert_eq!(Day::from_ymd(2_000_000_000, 1, 1), None);
        assert_eq!(DateSpan::year(i32::MIN), None);
        assert!(Day::from_ymd(-1_000_000, 1, 1).is_some());
        assert_eq!(Day::parse_iso("2025-11-31"), None);
        assert_eq!(Day::parse_iso("27/11/2025"), None);
        assert_eq!(Day::parse_iso(" 2025-11-27 "), Some(day(2025, 11, 27)));
    }

    #[test]
    fn weekday_of_known_dates() {
        assert_eq!(day(2025, 11, 27).long_words(), "Thursday 27 November 2025");
        assert_eq!(day(2025, 11, 26).weekday(), 2);
    }

    #[test]
    fn the_details_say_how_surely_a_date_is_known() {
        let week = DateSpan::range(
            day(2025, 11, 24),
            day(2025, 11, 26),
            Some("earlier this week".into()),
        );
        assert_eq!(
            week.uncertainty_words(),
            "sometime between 24 and 26 Nov 2025 \u{2014} \u{2018}earlier this week\u{2019}"
        );
        assert_eq!(
            DateSpan::month(2024, 3).map(|s| s.uncertainty_words()),
            Some("in March 2024; the source gives only the month".into())
        );
        assert_eq!(
            DateSpan::day(day(2025, 11, 27)).uncertainty_words(),
            "27 Nov 2025"
        );
    }

    #[test]
    fn words_keep_precision() {
        let week = DateSpan::range(
            day(2025, 11, 26),
            day(2025, 11, 24),
            Some("earlier this week".into()),
        );
        assert_eq!(week.start, day(2025, 11, 24));
        assert_eq!(
            week.words(),
            "between 24 and 26 Nov 2025, \u{2018}earlier this week\u{2019}"
        );
        assert_eq!(DateSpan::day(day(2025, 11, 27)).words(), "27 Nov 2025");
        let across = DateSpan::range(day(2025, 10, 30), day(2025, 11, 2), None);
        assert_eq!(across.words(), "between 30 Oct and 2 Nov 2025");
        assert_eq!(
            DateSpan::month(2025, 2).map(|s| (s.words(), s.len_days())),
            Some(("February 2025".into(), 28))
        );
        assert_eq!(DateSpan::year(2024).map(|s| s.len_days()), Some(366));
    }

    #[test]
    fn overlap_is_inclusive() {
        let s = DateSpan::range(day(2025, 11, 24), day(2025, 11, 26), None);
        assert!(s.overlaps(day(2025, 11, 26), day(2025, 11, 27)));
        assert!(!s.overlaps(day(2025, 11, 27), day(2025, 11, 27)));
        assert!(s.overlaps(day(2025, 11, 1), day(2025, 11, 24)));
    }
}
