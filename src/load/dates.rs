//! The one date reader every format shares.
//!
//! Files from the wild write dates in many ways: ISO 8601 dates and
//! date-times, `27 November 2025`, `27-Nov-25`, `November 27, 2025`,
//! `27/11/2025`, GDELT's `20251127`, epoch seconds. Each value becomes a
//! [`DateSpan`] whose precision is what the text gave and no more: `Nov 2025`
//! is the whole month, `2025` the whole year.
//!
//! Numeric dates with the year last (`05/06/2025`) are ambiguous. A file is
//! read one way throughout: [`DateReader::for_values`] settles the order from
//! the file's own values (a first part over 12 means day-first, a second part
//! over 12 month-first), unless the user said. When nothing settles it the
//! reader takes day-first, the common order outside the US, and keeps a note
//! so the report says once which reading was taken.

use crate::model::{DateSpan, Day};

/// Which part of a numeric date with the year last is the day.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum SlashOrder {
    /// `27/11/2025`: day, month, year.
    DayFirst,
    /// `11/27/2025`: month, day, year (US).
    MonthFirst,
    /// Decide from the file's values; day-first when they do not say.
    #[default]
    Undecided,
}

/// Reads the dates of one file with one slash order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateReader {
    order: SlashOrder,
    note: Option<AmbiguityNote>,
}

/// Why the report must mention the reading taken, and where it first mattered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmbiguityNote {
    /// The first ambiguous value (index into the values the reader was built from).
    pub first_index: usize,
    /// What to tell the user.
    pub message: String,
}

impl Default for DateReader {
    fn default() -> Self {
        Self {
            order: SlashOrder::DayFirst,
            note: None,
        }
    }
}

impl DateReader {
    /// A reader with a fixed order (`Undecided` reads day-first).
    pub fn with_order(order: SlashOrder) -> Self {
        Self {
            order: match order {
                SlashOrder::Undecided => SlashOrder::DayFirst,
                fixed => fixed,
            },
            note: None,
        }
    }

    /// A reader for a file whose date values are `values`: the user's order
    /// if they gave one, else the order the values settle, else day-first
    /// with a note for the report.
    pub fn for_values<'a>(user: SlashOrder, values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut tally = DateTally::new(user);
        for value in values {
            tally.count(value);
        }
        tally.reader()
    }

    /// The order this reader applies.
    pub fn order(&self) -> SlashOrder {
        self.order
    }

    /// Set when the file's slashed dates could be read either way and
    /// nothing settled it: what to say once in the report.
    pub fn note(&self) -> Option<&AmbiguityNote> {
        self.note.as_ref()
    }

    /// Reads one date value.
    ///
    /// # Errors
    /// `date '31/02/2025' is not a date` for anything that is not a real date.
    pub fn read(&self, text: &str) -> Result<DateSpan, NotADate> {
        parse(text.trim(), self.order).ok_or_else(|| NotADate::new(text))
    }
}

/// A value the date reader cannot read as a date; it says so, quoting the
/// value, and the loader adds what became of the record.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("date '{text}' is not a date")]
pub struct NotADate {
    /// The value, trimmed.
    pub text: String,
}

impl NotADate {
    /// The error for `text`.
    pub fn new(text: &str) -> Self {
        Self {
            text: text.trim().to_owned(),
        }
    }
}

/// Decides a file's slash order while its rows stream past: a loader that
/// cannot hold the whole file counts values until one settles the order
/// (or enough have gone by), then reads every row with [`DateTally::reader`].
#[derive(Default)]
pub struct DateTally {
    user: SlashOrder,
    votes: Votes,
    counted: usize,
}

impl DateTally {
    /// A tally for a file read with the user's order (`Undecided`: the values').
    pub fn new(user: SlashOrder) -> Self {
        Self {
            user,
            ..Self::default()
        }
    }

    /// Counts the next value.
    pub fn count(&mut self, value: &str) {
        if self.user == SlashOrder::Undecided {
            self.votes.count(self.counted, value);
        }
        self.counted += 1;
    }

    /// Whether more values cannot change the decision: the user chose, or a
    /// value has a day over 12.
    pub fn settled(&self) -> bool {
        self.user != SlashOrder::Undecided || self.votes.day_first + self.votes.month_first > 0
    }

    /// The reader the values counted so far call for.
    pub fn reader(self) -> DateReader {
        if self.user != SlashOrder::Undecided {
            return DateReader::with_order(self.user);
        }
        self.votes.decide()
    }
}

/// Tallies which order a file's slashed dates need.
#[derive(Default)]
struct Votes {
    day_first: usize,
    month_first: usize,
    first_ambiguous: Option<(usize, String)>,
}

impl Votes {
    fn count(&mut self, index: usize, value: &str) {
        let Some((a, b)) = numeric_day_month(value.trim()) else {
            return;
        };
        match (a > 12, b > 12) {
            (true, false) => self.day_first += 1,
            (false, true) => self.month_first += 1,
            (false, false) if a != b && self.first_ambiguous.is_none() => {
                self.first_ambiguous = Some((index, value.trim().to_owned()));
            }
            _ => {}
        }
    }

    fn decide(self) -> DateReader {
        if self.month_first > self.day_first {
            return DateReader::with_order(SlashOrder::MonthFirst);
        }
        if self.day_first > 0 {
            return DateReader::with_order(SlashOrder::DayFirst);
        }
        let note = self
            .first_ambiguous
            .map(|(first_index, value)| AmbiguityNote {
                first_index,
                message: format!(
                    "dates such as '{value}' could be day-first or month-first and no value \
                 in the file settles it; read as day-first (DD/MM/YYYY); \
                 use --month-first if they are month-first"
                ),
            });
        DateReader {
            order: SlashOrder::DayFirst,
            note,
        }
    }
}

/// The first two parts of a numeric date with the year last (`a/b/yyyy`),
/// for voting on the order.
fn numeric_day_month(text: &str) -> Option<(u32, u32)> {
    let date = text.split([' ', 'T']).next()?;
    let parts = split_numeric(date)?;
    let [a, b, year] = parts;
    if a.len() > 2 || b.len() > 2 || !(year.len() == 2 || year.len() == 4) {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// `a/b/c`, `a.b.c` or `a-b-c` with all-digit parts.
fn split_numeric(text: &str) -> Option<[&str; 3]> {
    let sep = text.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let mut parts = text.split(sep);
    let found = [parts.next()?, parts.next()?, parts.next()?];
    let all_digits = found
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (parts.next().is_none() && all_digits).then_some(found)
}

/// Reads any supported form; `None` if it is none of them or no real date.
fn parse(text: &str, order: SlashOrder) -> Option<DateSpan> {
    if text.is_empty() {
        return None;
    }
    let digits_only = text.bytes().all(|b| b.is_ascii_digit());
    if digits_only {
        return parse_all_digits(text);
    }
    if let Some(span) = parse_epoch_fraction(text) {
        return Some(span);
    }
    if text.bytes().any(|b| b.is_ascii_alphabetic()) && !looks_iso_datetime(text) {
        return parse_words(text);
    }
    parse_numeric(text, order)
}

/// Whether the letters in `text` belong to an ISO date-time (`T`, `Z`).
fn looks_iso_datetime(text: &str) -> bool {
    text.len() >= 10
        && text
            .get(..4)
            .is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit()))
        && text
            .bytes()
            .filter(u8::is_ascii_alphabetic)
            .all(|b| matches!(b, b'T' | b't' | b'Z' | b'z'))
}

/// Digit strings, told apart by length: `2025` a year, `202511` GDELT's
/// MonthYear, `20251127` GDELT's SQLDATE, `20251127140300` GDELT 2.0's
/// DATEADDED, 9–11 digits epoch seconds, 12–13 digits epoch milliseconds.
fn parse_all_digits(text: &str) -> Option<DateSpan> {
    let n = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    match text.len() {
        4 => DateSpan::year(n(0..4)?.cast_signed()),
        6 => DateSpan::month(n(0..4)?.cast_signed(), n(4..6)?),
        8 => ymd(n(0..4)?, n(4..6)?, n(6..8)?),
        14 => {
            check_time(n(8..10)?, n(10..12)?, n(12..14)?)?;
            ymd(n(0..4)?, n(4..6)?, n(6..8)?)
        }
        9..=11 => epoch_seconds(text.parse().ok()?),
        12 | 13 => epoch_seconds(text.parse::<i64>().ok()?.div_euclid(1000)),
        _ => None,
    }
}

/// Whether a cell of digits alone, read as [`parse_all_digits`] reads it,
/// says a time of day other than midnight: the time of a 14-digit
/// `YYYYMMDDhhmmss`, epoch seconds or milliseconds off a day's start.
pub(super) fn digits_carry_time(text: &str) -> bool {
    match text.len() {
        14 => text.get(8..).is_some_and(|time| time != "000000"),
        9..=11 => text.parse::<i64>().is_ok_and(|s| s % 86_400 != 0),
        12 | 13 => text.parse::<i64>().is_ok_and(|ms| ms % 86_400_000 != 0),
        _ => false,
    }
}

/// `1570306147.5`: epoch seconds with a fraction (kepler.gl writes these).
fn parse_epoch_fraction(text: &str) -> Option<DateSpan> {
    let (whole, fraction) = text.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(9..=11).contains(&whole.len()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    epoch_seconds(whole.parse().ok()?)
}

/// The UTC day of an epoch second count.
fn epoch_seconds(seconds: i64) -> Option<DateSpan> {
    let days = i32::try_from(seconds.div_euclid(86_400)).ok()?;
    Some(DateSpan::day(Day(days)))
}

fn ymd(year: u32, month: u32, day: u32) -> Option<DateSpan> {
    Day::from_ymd(year.cast_signed(), month, day).map(DateSpan::day)
}

fn check_time(hour: u32, minute: u32, second: u32) -> Option<()> {
    (hour <= 24 && minute <= 59 && second <= 60).then_some(())
}

/// Numeric forms: ISO `2025-11-27` (with an optional time and offset),
/// `2025-11` (a month), `2025/11/27`, and year-last `27/11/2025`,
/// `27.11.2025`, `31-12-19` in the reader's order.
fn parse_numeric(text: &str, order: SlashOrder) -> Option<DateSpan> {
    let (date, time) = split_date_time(text);
    if let Some(time) = time {
        parse_time(time)?;
    }
    if let Some((y, m)) = year_month(date) {
        return DateSpan::month(y, m);
    }
    let [a, b, c] = split_numeric(date)?;
    let num = |s: &str| s.parse::<u32>().ok();
    if a.len() == 4 {
        return ymd(num(a)?, num(b)?, num(c)?);
    }
    if a.len() > 2 || b.len() > 2 {
        return None;
    }
    let year = full_year(c)?;
    let (day, month) = match order {
        SlashOrder::MonthFirst => (num(b)?, num(a)?),
        SlashOrder::DayFirst | SlashOrder::Undecided => (num(a)?, num(b)?),
    };
    Day::from_ymd(year, month, day).map(DateSpan::day)
}

/// `2025-11` (ISO year and month).
fn year_month(date: &str) -> Option<(i32, u32)> {
    let (y, m) = date.split_once('-')?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || m.len() != 2 || !digits(y) || !digits(m) {
        return None;
    }
    Some((y.parse().ok()?, m.parse().ok()?))
}

/// A 4-digit year as is; a 2-digit one as C's `%y` does (69–99 → 1900s,
/// 00–68 → 2000s). Loaders with a year column correct the century.
fn full_year(text: &str) -> Option<i32> {
    let n: i32 = text.parse().ok()?;
    match text.len() {
        4 => Some(n),
        2 if n >= 69 => Some(1900 + n),
        2 => Some(2000 + n),
        _ => None,
    }
}

/// Splits `2025-11-27T14:03:00Z` or `2016-09-17 00:09:55` into date and time.
fn split_date_time(text: &str) -> (&str, Option<&str>) {
    match text.find(['T', 't', ' ']) {
        Some(at) => (
            text.get(..at).unwrap_or(text),
            text.get(at + 1..).map(str::trim),
        ),
        None => (text, None),
    }
}

/// Checks `14:03`, `14:03:00`, `14:03:00.123`, each with an optional `Z`,
/// `+02:00`, `-0500` or `+00`. The offset does not move the day: the date as
/// written is the date where it was written, which is what a reader of the
/// source saw.
fn parse_time(time: &str) -> Option<()> {
    let time = time.trim();
    let (clock, offset) = split_offset(time);
    if let Some(offset) = offset {
        check_offset(offset)?;
    }
    let (clock, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut parts = clock.split(':');
    let two = |s: Option<&str>| s.filter(|s| s.len() == 2)?.parse::<u32>().ok();
    let hour = two(parts.next())?;
    let minute = two(parts.next())?;
    let second = match parts.next() {
        Some(s) => two(Some(s))?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    check_time(hour, minute, second)
}

fn split_offset(time: &str) -> (&str, Option<&str>) {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return (clock.trim_end(), None);
    }
    match time.rfind(['+', '-']) {
        Some(at) => (
            time.get(..at).unwrap_or(time).trim_end(),
            time.get(at + 1..),
        ),
        None => (time, None),
    }
}

fn check_offset(offset: &str) -> Option<()> {
    let digits: String = offset.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let hours: u32 = digits.get(..2)?.parse().ok()?;
    let minutes: u32 = digits
        .get(2..)
        .filter(|m| !m.is_empty())
        .map_or(Some(0), |m| m.parse().ok())?;
    (hours <= 14 && minutes <= 59).then_some(())
}

/// One piece of a date written with a month name.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Token<'a> {
    Number(&'a str),
    Month(u32),
}

/// Month-name forms: `27 November 2025`, `27 Nov 2025`, `27-Nov-25`,
/// `30-Sept-24`, `November 27, 2025`, `Thursday, 27 November 2025`,
/// `Nov 2025` (a month), `2025-Nov-27`; a time of day after it is allowed.
fn parse_words(text: &str) -> Option<DateSpan> {
    let tokens = tokens(text)?;
    match tokens.as_slice() {
        [Token::Number(d), Token::Month(m), Token::Number(y)] if d.len() <= 2 => {
            Day::from_ymd(full_year(y)?, *m, d.parse().ok()?).map(DateSpan::day)
        }
        [Token::Month(m), Token::Number(d), Token::Number(y)] if d.len() <= 2 => {
            Day::from_ymd(full_year(y)?, *m, d.parse().ok()?).map(DateSpan::day)
        }
        [Token::Number(y), Token::Month(m), Token::Number(d)] if y.len() == 4 => {
            Day::from_ymd(full_year(y)?, *m, d.parse().ok()?).map(DateSpan::day)
        }
        [Token::Month(m), Token::Number(y)] | [Token::Number(y), Token::Month(m)]
            if y.len() == 4 =>
        {
            DateSpan::month(full_year(y)?, *m)
        }
        _ => None,
    }
}

/// Splits a worded date into numbers and months, dropping weekday names,
/// ordinal suffixes (`27th`) and a trailing time of day; `None` when a word
/// is none of these.
fn tokens(text: &str) -> Option<Vec<Token<'_>>> {
    let mut out = Vec::new();
    for word in text
        .split([' ', ',', '-', '/', '.'])
        .filter(|w| !w.is_empty())
    {
        if word.contains(':') || is_zone(word) {
            // A time of day or its zone ends the date part.
            if out.len() >= 2 {
                break;
            }
            return None;
        }
        if let Some(token) = token(word) {
            out.push(token);
        } else if !is_weekday(word) {
            return None;
        }
    }
    Some(out)
}

fn token(word: &str) -> Option<Token<'_>> {
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Token::Number(word));
    }
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = word.get(digits.len()..).unwrap_or("").to_ascii_lowercase();
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(suffix.as_str(), "st" | "nd" | "rd" | "th")
    {
        return Some(Token::Number(digits));
    }
    month_number(word).map(Token::Month)
}

/// The month of an English month name or abbreviation (`Nov`, `Sept`, `November`).
pub fn month_number(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    let position = NAMES.iter().position(|name| {
        name.starts_with(word.as_str()) && (word.len() == 3 || word == *name || word == "sept")
    })?;
    u32::try_from(position + 1).ok()
}

fn is_weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let word = word.to_ascii_lowercase();
    word.len() >= 3 && DAYS.iter().any(|d| d.starts_with(word.as_str()))
}

fn is_zone(word: &str) -> bool {
    matches!(word.to_ascii_uppercase().as_str(), "UTC" | "GMT" | "Z")
        || (word.starts_with('+') && word.len() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Precision;

    fn day(y: i32, m: u32, d: u32) -> Day {
        Day::from_ymd(y, m, d).expect("valid test date")
    }

    fn read(text: &str) -> Result<DateSpan, NotADate> {
        DateReader::default().read(text)
    }

    fn one_day(text: &str) -> Option<Day> {
        let span = read(text).ok()?;
        (span.precision == Precision::Day && span.start == span.end).then_some(span.start)
    }

    #[test]
    fn iso_dates_and_date_times() {
        let d = Some(day(2025, 11, 27));
        for text in [
            "2025-11-27",
            " 2025-11-27 ",
            "2025-11-27T14:03:00Z",
            "2025-11-27T14:03Z",
            "2025-11-27T14:03:00.123Z",
            "2025-11-27T23:30:00-05:00",
            "2025-11-27T01:30:00+0530",
            "2025-11-27 14:03:00",
            "2025-11-27 09:41:39+00:00",
            "2025/11/27",
        ] {
            assert_eq!(one_day(text), d, "{text}");
        }
        assert_eq!(
            read("2025-11-27T25:00:00Z"),
            Err(NotADate::new("2025-11-27T25:00:00Z"))
        );
        assert!(read("2025-11-27T14:03:00+99:00").is_err());
        assert!(read("2025-13-01").is_err());
    }

    #[test]
    fn month_name_forms() {
        let d = Some(day(2025, 11, 27));
        for text in [
            "27 November 2025",
            "27 Nov 2025",
            "27-Nov-2025",
            "27-Nov-25",
            "November 27, 2025",
            "Nov 27 2025",
            "Thursday, 27 November 2025",
            "Thu, 27 Nov 2025 14:03:00 +0000",
            "27th November 2025",
            "2025-Nov-27",
            "27 NOVEMBER 2025",
        ] {
            assert_eq!(one_day(text), d, "{text}");
        }
        assert_eq!(one_day("07 December 2022"), Some(day(2022, 12, 7)));
        assert_eq!(one_day("5-Aug-24"), Some(day(2024, 8, 5)));
        assert_eq!(one_day("30-Sept-24"), Some(day(2024, 9, 30)));
        assert!(read("31 February 2025").is_err());
        assert!(read("27 Novembre 2025").is_err());
        assert!(read("Nov").is_err());
    }

    #[test]
    fn month_and_year_precision() {
        let nov = read("Nov 2025").expect("a month");
        assert_eq!(nov.precision, Precision::Month);
        assert_eq!((nov.start, nov.end), (day(2025, 11, 1), day(2025, 11, 30)));
        assert_eq!(read("November 2025"), Ok(nov.clone()));
        assert_eq!(read("2025-11"), Ok(nov.clone()));
        assert_eq!(read("202511"), Ok(nov));
        let year = read("2025").expect("a year");
        assert_eq!(year.precision, Precision::Year);
        assert_eq!((year.start, year.end), (day(2025, 1, 1), day(2025, 12, 31)));
    }

    #[test]
    fn day_first_and_two_digit_years() {
        let d = Some(day(2025, 11, 27));
        for text in [
            "27/11/2025",
            "27/11/25",
            "27.11.2025",
            "27-11-25",
            "27-11-2025",
        ] {
            assert_eq!(one_day(text), d, "{text}");
        }
        assert_eq!(one_day("31-12-19"), Some(day(2019, 12, 31)));
        assert_eq!(one_day("18/04/2001"), Some(day(2001, 4, 18)));
        assert_eq!(one_day("01/01/69"), Some(day(1969, 1, 1)));
        assert_eq!(read("31/02/2025"), Err(NotADate::new("31/02/2025")));
        assert!(read("11/27/2025").is_err());
    }

    #[test]
    fn month_first_when_told() {
        let reader = DateReader::with_order(SlashOrder::MonthFirst);
        assert_eq!(
            reader.read("02/06/2016").map(|s| s.start),
            Ok(day(2016, 2, 6))
        );
        assert_eq!(
            reader.read("8/23/2011").map(|s| s.start),
            Ok(day(2011, 8, 23))
        );
        // A year-first date never depends on the order.
        assert_eq!(
            reader.read("2016-02-06").map(|s| s.start),
            Ok(day(2016, 2, 6))
        );
    }

    #[test]
    fn order_is_settled_by_the_file() {
        let us = DateReader::for_values(SlashOrder::Undecided, ["02/06/2016", "8/23/2011"]);
        assert_eq!(us.order(), SlashOrder::MonthFirst);
        assert_eq!(us.note(), None);
        let eu = DateReader::for_values(SlashOrder::Undecided, ["02/06/2016", "26/10/25"]);
        assert_eq!(eu.order(), SlashOrder::DayFirst);
        assert_eq!(eu.note(), None);
        let user = DateReader::for_values(SlashOrder::MonthFirst, ["26/10/25"]);
        assert_eq!(user.order(), SlashOrder::MonthFirst);
    }

    #[test]
    fn unsettled_order_reads_day_first_with_one_note() {
        let reader = DateReader::for_values(
            SlashOrder::Undecided,
            ["2025-01-01", "05/06/2025", "07/08/2025"],
        );
        assert_eq!(reader.order(), SlashOrder::DayFirst);
        let note = reader.note().expect("a note");
        assert_eq!(note.first_index, 1);
        assert!(
            note.message
                .starts_with("dates such as '05/06/2025' could be day-first")
        );
        assert!(note.message.contains("read as day-first"));
        assert_eq!(
            reader.read("05/06/2025").map(|s| s.start),
            Ok(day(2025, 6, 5))
        );
        // Values that read the same either way need no note.
        let same = DateReader::for_values(SlashOrder::Undecided, ["05/05/2025", "2025-01-01"]);
        assert_eq!(same.note(), None);
    }

    #[test]
    fn compact_and_epoch_forms() {
        assert_eq!(one_day("20251127"), Some(day(2025, 11, 27)));
        assert_eq!(one_day("20250807220000"), Some(day(2025, 8, 7)));
        assert!(read("20250807250000").is_err());
        assert!(read("20251131").is_err());
        assert_eq!(one_day("1570306147"), Some(day(2019, 10, 5)));
        assert_eq!(one_day("1570306147000"), Some(day(2019, 10, 5)));
        assert_eq!(one_day("1570306147.25"), Some(day(2019, 10, 5)));
        assert_eq!(one_day("1759790065"), Some(day(2025, 10, 6)));
        assert!(read("12345").is_err());
        assert!(read("").is_err());
    }

    #[test]
    fn garbage_is_not_a_date() {
        for text in [
            "yesterday",
            "2025-11-27T",
            "27//2025",
            "--",
            "1/2/3/4",
            "Ⅻ",
            "27 Nov 2025 noon",
        ] {
            assert_eq!(read(text), Err(NotADate::new(text)), "{text}");
        }
    }
}
