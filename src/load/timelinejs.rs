//! TimelineJS3 files: its JSON and its Google-Sheet template as CSV; see
//! `formats.md` §4.
//!
//! A date's precision follows the parts given: a year alone is the whole
//! year, a year and month the month. TimelineJS has no coordinates, so its
//! events are on the timeline only (a legacy `location` with `lat`/`lon` is
//! used when present). The title slide and eras are not events.

use serde_json::{Map, Value};
use std::io::Read;
use std::time::Instant;

use super::cells::source;
use super::common::{RowProblems, Sink, between, finish_streamed};
use super::dates::DateReader;
use super::json_stream::{Stop, Visit, line_of_key, read_object};
use super::options::Delimited;
use super::outcome::io_error;
use super::pipeline::{Held, for_each_row};
use super::places::AtlasWhenNeeded;
use super::places::PlaceSpec;
use super::progress::Progress;
use super::tabular::{Records, Row, Table, header_names, lon_lat};
use super::text::windows_1252;
use super::{LoadError, LoadOptions, Loaded, Problem, ProblemKind};
use crate::model::{DateSpan, Day, Event, Name, Source};

/// Parses TimelineJS JSON as it streams from `input` (text in memory is
/// one such input): each event is read from its own bytes and dropped once
/// made.
///
/// # Errors
/// When the input has no `events` list.
pub fn parse_json(
    file: &str,
    input: impl Read,
    options: &LoadOptions,
    atlas: AtlasWhenNeeded<'_>,
) -> Result<Loaded, LoadError> {
    let mut timeline = Timeline {
        sink: Sink::new(file, "TimelineJS JSON", atlas, options.keep_problems),
    };
    let (list, broken) = match read_object(input, "events", &mut timeline) {
        Ok(found) => (found.list, None),
        Err(Stop::Broken(broken)) => (broken.in_list, Some(broken)),
        Err(Stop::Refused(never)) => match never {},
    };
    if !list {
        let why = broken.map_or_else(String::new, |b| {
            format!(": {} at line {}", b.message, b.line)
        });
        return Err(LoadError::Format {
            file: file.to_owned(),
            message: format!("not TimelineJS JSON: no \"events\" list{why}"),
        });
    }
    let mut sink = timeline.sink;
    if let Some(broken) = broken {
        let read = sink.report.rows;
        sink.report.push(Problem::new(
            ProblemKind::Truncated,
            broken.line,
            "events",
            format!(
                "the file is broken or cut off here ({}); the {read} events before it were read",
                broken.message
            ),
        ));
    }
    Ok(sink.finish())
}

/// A TimelineJS JSON file as it streams: its events, made one by one.
struct Timeline<'a> {
    sink: Sink<'a>,
}

impl Visit for Timeline<'_> {
    /// Nothing refuses a TimelineJS file's members or events.
    type Refusal = std::convert::Infallible;

    fn member(&mut self, _key: &str, _raw: &[u8]) -> Result<(), Self::Refusal> {
        Ok(())
    }

    fn item(&mut self, raw: &[u8], line: u32) -> Result<(), Self::Refusal> {
        let sink = &mut self.sink;
        sink.report.rows += 1;
        let mut problems = RowProblems::new(line);
        let raw = match std::str::from_utf8(raw) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => {
                let message = "the event is not UTF-8; it was read as Windows-1252, so check \
                               accented names";
                problems.push(ProblemKind::Encoding, "events", message);
                std::borrow::Cow::Owned(windows_1252(raw))
            }
        };
        let event = json_event(sink, &raw, &mut problems);
        problems.flush(&mut sink.report, event.as_ref().map(|e| e.id.as_str()));
        if let Some(event) = event {
            sink.builder.push(event);
        }
        Ok(())
    }
}

fn json_event(sink: &mut Sink<'_>, raw: &str, problems: &mut RowProblems) -> Option<Event> {
    let line = problems.line;
    let at = |key: &str| line_of_key(raw, line, key);
    let Ok(object) = serde_json::from_str::<Map<String, Value>>(raw) else {
        problems.push(
            ProblemKind::Structure,
            "events",
            "an event must be an object (the event is skipped)",
        );
        return None;
    };
    let date = match json_span(&object) {
        Ok(date) => date,
        Err((key, kind, message)) => {
            push_at(
                problems,
                at(key),
                kind,
                key,
                format!("{message} (the event is skipped)"),
            );
            return None;
        }
    };
    let text = object.get("text");
    let headline = text
        .and_then(|t| t.get("headline"))
        .and_then(Value::as_str)
        .map(strip_html);
    let summary = text
        .and_then(|t| t.get("text"))
        .and_then(Value::as_str)
        .map(strip_html);
    let group = object.get("group").and_then(Value::as_str).unwrap_or("");
    let places = json_place(sink, &object, problems);
    let id = object
        .get("unique_id")
        .and_then(Value::as_str)
        .map_or_else(|| format!("line-{line}"), str::to_owned);
    Some(Event {
        title: headline
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| format!("Event on line {line}"))
            .into(),
        summary: summary.unwrap_or_default().into(),
        category: sink.builder.category(group),
        sources: object
            .get("media")
            .and_then(media_source)
            .into_iter()
            .collect(),
        actors: crate::model::NameList::default(),
        casualties: None,
        quotes: Default::default(),
        extra: sink.builder.extra(&json_fields(&object)),
        id: id.into(),
        date,
        places: places.into(),
    })
}

/// What an event says that its day and source leave out, as extra fields:
/// the times of day of its start and end, and its media's caption.
fn json_fields(object: &Map<String, Value>) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (key, field) in [("start_date", "start time"), ("end_date", "end time")] {
        if let Some(time) = object.get(key).and_then(json_time) {
            fields.push((field.to_owned(), time));
        }
    }
    let caption = object
        .get("media")
        .and_then(|m| m.get("caption"))
        .and_then(Value::as_str)
        .map(strip_html)
        .filter(|c| !c.is_empty());
    if let Some(caption) = caption {
        fields.push(("media caption".to_owned(), caption));
    }
    fields
}

/// A date's `hour`, `minute` and `second` as `14:03` or `14:03:20`; `None`
/// when it gives no hour.
fn json_time(date: &Value) -> Option<String> {
    let part = |key: &str| match date.get(key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    let hour = part("hour")?;
    let minute = part("minute").unwrap_or(0);
    Some(match part("second").filter(|&s| s > 0) {
        Some(second) => format!("{hour:02}:{minute:02}:{second:02}"),
        None => format!("{hour:02}:{minute:02}"),
    })
}

fn push_at(problems: &mut RowProblems, line: u32, kind: ProblemKind, field: &str, message: String) {
    let saved = problems.line;
    problems.line = line;
    problems.push(kind, field, message);
    problems.line = saved;
}

/// `start_date` (required) to `end_date`, with `display_date` as wording.
///
/// # Errors
/// The key at fault, the kind of problem and a message.
fn json_span(object: &Map<String, Value>) -> Result<DateSpan, (&'static str, ProblemKind, String)> {
    let start = match object.get("start_date") {
        Some(Value::Object(parts)) => json_date(parts).map_err(bad_date("start_date"))?,
        _ => {
            return Err((
                "start_date",
                ProblemKind::MissingField,
                "missing; an event needs a start_date with a year".into(),
            ));
        }
    };
    let mut span = match object.get("end_date") {
        Some(Value::Object(parts)) => {
            let end = json_date(parts).map_err(bad_date("end_date"))?;
            between(&start, &end, &end.start.to_string()).map_err(bad_date("end_date"))?
        }
        _ => start,
    };
    let wording = object
        .get("display_date")
        .or_else(|| object.get("start_date").and_then(|d| d.get("display_date")))
        .and_then(Value::as_str);
    span.wording = wording.map(Name::from);
    Ok(span)
}

/// A bad date at `key`, as [`json_span`] reports it.
fn bad_date<E: std::fmt::Display>(
    key: &'static str,
) -> impl FnOnce(E) -> (&'static str, ProblemKind, String) {
    move |e| (key, ProblemKind::BadDate, e.to_string())
}

/// `{year, month, day, ...}` with numbers or strings.
fn json_date(parts: &Map<String, Value>) -> Result<DateSpan, PartsError> {
    let part = |key: &str| match parts.get(key) {
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    };
    let Some(year) = part("year") else {
        return Err(PartsError::NoYear);
    };
    date_from_parts(&year, part("month").as_deref(), part("day").as_deref())
}

/// Why TimelineJS's date parts (year, month, day) make no date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PartsError {
    /// A JSON date without its one required part.
    #[error("a date needs a year")]
    NoYear,
    /// A year that is no number, or one more than 100,000 years from 0.
    #[error("year '{text}' is not a year chronomap can show")]
    NotAYear {
        /// The year as written, trimmed.
        text: String,
    },
    /// A year that makes no day number.
    #[error("year {year} is out of range")]
    YearOutOfRange {
        /// The year.
        year: i32,
    },
    /// A month that is not 1 to 12.
    #[error("month '{text}' is not 1 to 12")]
    NotAMonth {
        /// The month as written, spaces and commas dropped.
        text: String,
    },
    /// A month that makes no day number.
    #[error("month {year}-{month:02} is out of range")]
    MonthOutOfRange {
        /// The year.
        year: i32,
        /// The month, 1 to 12.
        month: u32,
    },
    /// A day that is no number.
    #[error("day '{text}' is not a number")]
    NotADay {
        /// The day as written, spaces and commas dropped.
        text: String,
    },
    /// A day the month does not have.
    #[error("date '{year:04}-{month:02}-{day:02}' is not a date")]
    NoSuchDay {
        /// The year.
        year: i32,
        /// The month, 1 to 12.
        month: u32,
        /// The day as given.
        day: u32,
    },
}

/// The largest year (and, negated, the earliest) a TimelineJS date may have.
const MAX_YEAR: i32 = 100_000;

/// A date from TimelineJS parts; precision follows the parts given.
///
/// # Errors
/// [`PartsError`]: `year 'abc' is not a year chronomap can show`, `month
/// '13' is not 1 to 12`, `date '2025-02-31' is not a date`.
pub fn date_from_parts(
    year: &str,
    month: Option<&str>,
    day: Option<&str>,
) -> Result<DateSpan, PartsError> {
    let clean = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, ' ' | ','))
            .collect::<String>()
    };
    let year_text = clean(year);
    // Day numbers are i32: keep far inside their range (TimelineJS's
    // "cosmological" years are beyond any map of events anyway).
    let y: i32 = year_text
        .parse()
        .ok()
        .filter(|y: &i32| y.abs() <= MAX_YEAR)
        .ok_or_else(|| PartsError::NotAYear {
            text: year.trim().to_owned(),
        })?;
    let Some(month) = month.map(clean).filter(|m| !m.is_empty()) else {
        return DateSpan::year(y).ok_or(PartsError::YearOutOfRange { year: y });
    };
    let m: u32 = month
        .parse()
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| PartsError::NotAMonth {
            text: month.clone(),
        })?;
    let Some(day) = day.map(clean).filter(|d| !d.is_empty()) else {
        return DateSpan::month(y, m).ok_or(PartsError::MonthOutOfRange { year: y, month: m });
    };
    let Ok(d) = day.parse() else {
        return Err(PartsError::NotADay { text: day });
    };
    Day::from_ymd(y, m, d)
        .map(DateSpan::day)
        .ok_or(PartsError::NoSuchDay {
            year: y,
            month: m,
            day: d,
        })
}

/// A legacy slide `location` with coordinates.
fn json_place(
    sink: &mut Sink<'_>,
    object: &Map<String, Value>,
    problems: &mut RowProblems,
) -> Vec<u32> {
    let Some(location) = object.get("location").and_then(Value::as_object) else {
        return Vec::new();
    };
    let number = |key: &str| {
        location.get(key).map(|v| {
            v.as_f64()
                .map_or_else(|| v.as_str().unwrap_or("").to_owned(), |n| n.to_string())
        })
    };
    let (Some(lon), Some(lat)) = (number("lon"), number("lat")) else {
        return Vec::new();
    };
    match lon_lat(&lon, &lat) {
        Ok(point) => {
            let name = location
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("{lat}, {lon}"), str::to_owned);
            let spec = PlaceSpec {
                name: &name,
                lon_lat: Some(point),
                ..PlaceSpec::default()
            };
            vec![sink.place(&spec, "location", problems)]
        }
        Err((_, message)) => {
            problems.push(
                ProblemKind::BadCoordinate,
                "location",
                format!("{message}; the event is on the timeline only"),
            );
            Vec::new()
        }
    }
}

fn media_source(media: &Value) -> Option<Source> {
    let url = media
        .get("url")
        .and_then(Value::as_str)
        .filter(|u| u.starts_with("http"))?;
    let mut found = source(url);
    if let Some(credit) = media
        .get("credit")
        .and_then(Value::as_str)
        .map(strip_html)
        .filter(|c| !c.is_empty())
    {
        found.name = credit.into();
    }
    Some(found)
}

/// Text of an HTML fragment: tags dropped, common entities decoded.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses a TimelineJS sheet as it streams from `input`, through the same
/// pipeline as plain tables.
///
/// # Errors
/// When the input cannot be read.
pub fn parse_sheet_stream(
    file: &str,
    input: impl Read + Send,
    sheet: &Delimited<'_>,
    atlas: AtlasWhenNeeded<'_>,
    progress: Option<&Progress>,
) -> Result<Loaded, LoadError> {
    let started = Instant::now();
    let mut records = Records::new(input, sheet.delimiter, true, progress);
    let mut first = Row::default();
    records.next_into(&mut first).map_err(io_error(file))?;
    // The column names alone: the rows stream past.
    let table = Table {
        header: header_names(&first),
        rows: Vec::new(),
    };
    let c = SheetColumns::find(&table);
    let legacy = c.year.is_none();
    let format = if legacy {
        "TimelineJS sheet CSV (v1 Start Date columns)"
    } else {
        "TimelineJS sheet CSV"
    };
    let options = sheet.options;
    let mut sink = Sink::new(file, format, atlas, options.keep_problems);
    let held =
        Held::read(&mut records, c.start_date, options.slash_order, 0).map_err(io_error(file))?;
    sink.date_note(&held.dates, &held.lines(), table.name(c.start_date));
    let Held {
        rows: held, dates, ..
    } = held;
    let mut each = |row: &Row| sheet_row(&mut sink, &table, &c, &dates, row);
    held.iter().for_each(&mut each);
    let waits = for_each_row(&mut records, sheet.sizing.threaded, each).map_err(io_error(file))?;
    Ok(finish_streamed(
        sink,
        &records,
        started,
        sheet.sizing.threaded,
        waits,
    ))
}

/// One row of a sheet: an event, unless it is the title or an era.
fn sheet_row(sink: &mut Sink<'_>, table: &Table, c: &SheetColumns, dates: &DateReader, row: &Row) {
    sink.report.rows += 1;
    if let Some(problem) = table.width_problem(row) {
        sink.report.push(problem);
        return;
    }
    let kind = row.at(c.kind).unwrap_or("").to_ascii_lowercase();
    if kind == "title" || kind == "era" {
        return;
    }
    let mut problems = RowProblems::new(row.line);
    let event = sheet_event(sink, table, c, dates, row, &mut problems);
    problems.flush(&mut sink.report, event.as_ref().map(|e| e.id.as_str()));
    if let Some(event) = event {
        sink.builder.push(event);
    }
}

/// The template's columns (v3 names, the v1 `Start Date`/`End Date`/`Tag`).
struct SheetColumns {
    year: Option<usize>,
    month: Option<usize>,
    day: Option<usize>,
    end_year: Option<usize>,
    end_month: Option<usize>,
    end_day: Option<usize>,
    start_date: Option<usize>,
    end_date: Option<usize>,
    display_date: Option<usize>,
    headline: Option<usize>,
    text: Option<usize>,
    media: Option<usize>,
    media_credit: Option<usize>,
    kind: Option<usize>,
    group: Option<usize>,
    /// Columns kept as extra fields, by their names in the template.
    kept: Vec<(&'static str, Option<usize>)>,
}

impl SheetColumns {
    fn find(table: &Table) -> Self {
        let c = |names: &[&str]| table.column(names);
        Self {
            year: c(&["Year"]),
            month: c(&["Month"]),
            day: c(&["Day"]),
            end_year: c(&["End Year"]),
            end_month: c(&["End Month"]),
            end_day: c(&["End Day"]),
            start_date: c(&["Start Date"]),
            end_date: c(&["End Date"]),
            display_date: c(&["Display Date"]),
            headline: c(&["Headline"]),
            text: c(&["Text"]),
            media: c(&["Media"]),
            media_credit: c(&["Media Credit"]),
            kind: c(&["Type"]),
            group: c(&["Group", "Tag"]),
            kept: ["Time", "End Time", "Media Caption"]
                .into_iter()
                .map(|name| (name, c(&[name])))
                .collect(),
        }
    }
}

fn sheet_event(
    sink: &mut Sink<'_>,
    table: &Table,
    c: &SheetColumns,
    dates: &DateReader,
    row: &Row,
    problems: &mut RowProblems,
) -> Option<Event> {
    let mut date = sheet_span(table, c, dates, row, problems)?;
    date.wording = row.at(c.display_date).map(Name::from);
    let media = row
        .at(c.media)
        .filter(|m| m.starts_with("http"))
        .map(|url| {
            let mut found = source(url);
            if let Some(credit) = row.at(c.media_credit) {
                found.name = strip_html(credit).into();
            }
            found
        });
    let kept: Vec<(String, String)> = c
        .kept
        .iter()
        .filter_map(|&(name, column)| Some((name.to_owned(), row.at(column)?.to_owned())))
        .collect();
    Some(Event {
        id: format!("line-{}", row.line).into(),
        title: row
            .at(c.headline)
            .map_or_else(|| format!("Event on line {}", row.line), strip_html)
            .into(),
        summary: row.at(c.text).map(strip_html).unwrap_or_default().into(),
        category: sink.builder.category(row.at(c.group).unwrap_or("")),
        sources: media.into_iter().collect(),
        places: crate::model::PlaceList::default(),
        actors: crate::model::NameList::default(),
        casualties: None,
        quotes: Default::default(),
        extra: sink.builder.extra(&kept),
        date,
    })
}

fn sheet_span(
    table: &Table,
    c: &SheetColumns,
    dates: &DateReader,
    row: &Row,
    problems: &mut RowProblems,
) -> Option<DateSpan> {
    let start = if c.year.is_some() {
        let Some(year) = row.at(c.year) else {
            problems.push(
                ProblemKind::MissingField,
                table.name(c.year),
                "missing; an event needs a Year (the row is skipped)",
            );
            return None;
        };
        date_from_parts(year, row.at(c.month), row.at(c.day))
            .map_err(|m| {
                let message = format!("{m} (the row is skipped)");
                problems.push(ProblemKind::BadDate, table.name(c.year), message);
            })
            .ok()?
    } else {
        let text = row.at(c.start_date).unwrap_or("");
        dates
            .read(text)
            .map_err(|m| {
                problems.push(
                    ProblemKind::BadDate,
                    table.name(c.start_date),
                    format!("{m} (the row is skipped)"),
                )
            })
            .ok()?
    };
    let (end, field) = if let Some(year) = row.at(c.end_year) {
        let end = date_from_parts(year, row.at(c.end_month), row.at(c.end_day));
        (end.map_err(|e| e.to_string()), table.name(c.end_year))
    } else if let Some(text) = row.at(c.end_date) {
        let end = dates.read(text).map_err(|e| e.to_string());
        (end, table.name(c.end_date))
    } else {
        return Some(start);
    };
    let spanned = end
        .map_err(|m| format!("{m}; the start alone is used"))
        .and_then(|end| between(&start, &end, &end.start.to_string()).map_err(|e| e.to_string()));
    Some(spanned.unwrap_or_else(|m| {
        problems.push(ProblemKind::BadDate, field, m);
        start
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Precision;

    #[test]
    fn precision_follows_the_parts() {
        assert_eq!(
            date_from_parts("1963", None, None).map(|d| d.precision),
            Ok(Precision::Year)
        );
        assert_eq!(
            date_from_parts("1,963", Some("8"), None).map(|d| d.precision),
            Ok(Precision::Month)
        );
        let day = date_from_parts("1963", Some("08"), Some("9")).expect("a day");
        assert_eq!(
            (day.precision, day.start.to_string()),
            (Precision::Day, "1963-08-09".to_owned())
        );
        assert_eq!(
            date_from_parts("2025", Some("2"), Some("31")),
            Err(PartsError::NoSuchDay {
                year: 2025,
                month: 2,
                day: 31
            })
        );
        assert_eq!(
            date_from_parts("2025", Some("13"), None),
            Err(PartsError::NotAMonth { text: "13".into() })
        );
        let said = |year, month, day| date_from_parts(year, month, day).map_err(|e| e.to_string());
        assert_eq!(
            said("2025", Some("2"), Some("31")),
            Err("date '2025-02-31' is not a date".into())
        );
        assert_eq!(
            said("2025", Some(" 1 3"), None),
            Err("month '13' is not 1 to 12".into())
        );
        assert_eq!(
            said(" 13800000000 ", None, None),
            Err("year '13800000000' is not a year chronomap can show".into())
        );
        assert_eq!(
            said("2025", Some("2"), Some("x")),
            Err("day 'x' is not a number".into())
        );
        let no_year = serde_json::Map::new();
        assert_eq!(json_date(&no_year), Err(PartsError::NoYear));
    }

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            strip_html("<p>A <b>Musical</b>&nbsp;Heritage &amp; more</p>"),
            "A Musical Heritage & more"
        );
    }
}
