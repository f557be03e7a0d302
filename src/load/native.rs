//! chronomap's own JSON format (see `data/FORMAT.md`).
//!
//! The file streams through [`read_object`]: each event is read on its own
//! from its raw text and dropped once made, so a bad event is reported at
//! its own line, the others still load, and the file's text is never held.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Read;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::json_stream::{Broken, Found, Stop, Visit, line_of_key, read_object};
use super::places::AtlasWhenNeeded;
use super::places::{PlaceSpec, resolve_place, stated_precision};
use super::progress::Progress;
use super::shapes::area_of;
use super::text::windows_1252;
use super::{KeepProblems, Loaded, Problem, ProblemKind, Report};
use crate::atlas::PlaceKind;
use crate::model::fast_hash::FastBuild;
use crate::model::{DatasetBuilder, DateSpan, Day, Event, Name, Precision, Text};

/// Why a file is not chronomap JSON this program reads, with nothing
/// loaded from it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NativeError {
    /// `format` is missing or names another format.
    #[error("not a chronomap JSON dataset: \"format\" must be \"chronomap\"")]
    NotChronomap,
    /// `version` is not a whole number.
    #[error("not a chronomap JSON dataset: \"version\" must be a whole number")]
    VersionNotNumber,
    /// A version written by a newer program.
    #[error("chronomap JSON version {version} is newer than this program reads (1)")]
    NewerVersion {
        /// The file's `version`.
        version: u32,
    },
    /// The file stops being JSON before its first event.
    #[error("not a chronomap JSON dataset: {} at line {}", broken.message, broken.line)]
    Broken {
        /// Where and why.
        broken: Broken,
    },
    /// An object without an `events` list.
    #[error("not a chronomap JSON dataset: it has no \"events\" list")]
    NoEvents,
}

/// Why an event's `date` cannot be read; the event is skipped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
enum NativeDateError {
    /// A date of no form the format has: a number, a list.
    #[error("expected a date, found {found}")]
    NotADateValue {
        /// What was there instead (`a number`).
        found: &'static str,
    },
    /// A `from`, `to` or `on` that is not text.
    #[error("'{key}' must be a date YYYY-MM-DD")]
    NotText {
        /// The key.
        key: &'static str,
    },
    /// Text that is not a `YYYY-MM-DD` day.
    #[error("'{text}' is not a date (YYYY-MM-DD)")]
    NotADay {
        /// The text as written.
        text: String,
    },
    /// A range that ends before it starts.
    #[error("'from' {from} is after 'to' {to}")]
    Reversed {
        /// The first day.
        from: Day,
        /// The last day.
        to: Day,
    },
    /// A `month` that is not `YYYY-MM`.
    #[error("month '{text}' is not YYYY-MM")]
    NotAMonth {
        /// The month as written (empty when not text).
        text: String,
    },
    /// A `year` that is not a whole number from 0 to 9999.
    #[error("year {year} is not a year 0 to 9999")]
    NotAYear {
        /// The value as written.
        year: Value,
    },
    /// An object with none of the keys of a date.
    #[error("a date object needs 'from' and 'to', 'month', 'year' or 'on'")]
    NoForm,
}

/// Why a place's `lon` and `lat` put it nowhere.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
enum LonLatError {
    /// One of the two is missing.
    #[error("give both 'lon' and 'lat'")]
    OnlyOne,
    /// One of the two is not a number.
    #[error("'lon' and 'lat' must be numbers")]
    NotNumbers,
    /// A longitude past the antimeridian.
    #[error("longitude {lon} out of range")]
    LongitudeOutOfRange {
        /// The longitude as written.
        lon: f64,
    },
    /// A latitude past a pole.
    #[error("latitude {lat} out of range")]
    LatitudeOutOfRange {
        /// The latitude as written.
        lat: f64,
    },
}

/// Whether `text` looks like chronomap JSON (cheap; for format detection).
pub fn looks_native(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    head.trim_start().starts_with('{') && head.contains("\"chronomap\"")
}

/// Parses chronomap JSON text.
///
/// # Errors
/// As [`parse_native_stream`].
pub fn parse_native<'a>(
    file: &str,
    text: &str,
    atlas: impl Into<AtlasWhenNeeded<'a>>,
    keep: KeepProblems,
) -> Result<Loaded, NativeError> {
    parse_native_stream(file, text.as_bytes(), atlas.into(), keep, None)
}

/// Parses chronomap JSON as it streams from `input`: each event is read,
/// made and dropped in turn, so memory holds the events made, never the
/// file's text.
///
/// # Errors
/// [`NativeError`] (with a line where known) when the input is not
/// chronomap JSON at all, or breaks off before any event; problems with
/// single events go to the
/// report (which keeps `keep`) instead, and a file that breaks off after
/// some events keeps them, with the break reported.
pub fn parse_native_stream(
    file: &str,
    input: impl Read,
    atlas: AtlasWhenNeeded<'_>,
    keep: KeepProblems,
    progress: Option<&Progress>,
) -> Result<Loaded, NativeError> {
    let native = Native {
        atlas,
        progress,
        report: Report::new(file, "chronomap JSON", keep),
        builder: DatasetBuilder::new(file),
        seen_ids: HashSet::default(),
    };
    let mut visit = Visiting {
        header: Header::default(),
        native,
    };
    let read = read_object(input, "events", &mut visit);
    let Visiting {
        header,
        native: Native {
            mut report,
            builder,
            ..
        },
    } = visit;
    let found = match read {
        Ok(found) => found,
        Err(Stop::Refused(refusal)) => return Err(refusal),
        Err(Stop::Broken(broken)) if report.rows > 0 => {
            report.push(Problem::new(
                ProblemKind::Truncated,
                broken.line,
                "events",
                format!(
                    "the file is broken or cut off here ({}); the {} events before it were read",
                    broken.message, report.rows
                ),
            ));
            Found {
                list: true,
                items: report.rows,
            }
        }
        Err(Stop::Broken(broken)) => return Err(NativeError::Broken { broken }),
    };
    if let Some(refusal) = header.refusal() {
        return Err(refusal);
    }
    if !found.list {
        return Err(NativeError::NoEvents);
    }
    report.events = builder.len();
    let mut dataset = builder.finish();
    dataset.title = header.title.unwrap_or_else(|| file.to_owned());
    Ok(Loaded {
        dataset,
        report,
        ..Loaded::default()
    })
}

/// The envelope's fields and the events, as the stream gives them.
struct Visiting<'p, 'a> {
    header: Header,
    native: Native<'p, 'a>,
}

impl Visit for Visiting<'_, '_> {
    type Refusal = NativeError;

    fn member(&mut self, key: &str, raw: &[u8]) -> Result<(), NativeError> {
        self.header.member(key, raw)
    }

    fn item(&mut self, raw: &[u8], line: u32) -> Result<(), NativeError> {
        self.native.event(raw, line);
        Ok(())
    }
}

/// The envelope's own fields, checked as they come.
#[derive(Default)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
    title: Option<String>,
}

impl Header {
    /// Takes one member of the envelope; refuses the file as soon as its
    /// format or version says it is not one this program reads.
    fn member(&mut self, key: &str, raw: &[u8]) -> Result<(), NativeError> {
        match key {
            "format" => self.format = serde_json::from_slice(raw).ok(),
            "version" => {
                let version = serde_json::from_slice(raw);
                self.version = Some(version.map_err(|_| NativeError::VersionNotNumber)?);
            }
            "title" => self.title = serde_json::from_slice(raw).ok(),
            _ => return Ok(()),
        }
        match key {
            "format" | "version" if self.format.is_some() || key == "format" => {
                self.refusal().map_or(Ok(()), Err)
            }
            _ => Ok(()),
        }
    }

    /// Why the envelope is not one this program reads.
    fn refusal(&self) -> Option<NativeError> {
        if self.format.as_deref() != Some("chronomap") {
            return Some(NativeError::NotChronomap);
        }
        self.version
            .filter(|&v| v != 1)
            .map(|version| NativeError::NewerVersion { version })
    }
}

/// A load under way: the events made so far.
struct Native<'p, 'a> {
    atlas: AtlasWhenNeeded<'a>,
    progress: Option<&'p Progress>,
    report: Report,
    builder: DatasetBuilder,
    seen_ids: HashSet<Text, FastBuild>,
}

impl Native<'_, '_> {
    /// Reads one event from its raw text, which starts on `line`.
    fn event(&mut self, raw: &[u8], line: u32) {
        self.report.rows += 1;
        if let Some(progress) = self.progress
            && self.report.rows.is_multiple_of(1024)
        {
            progress.set_rows(self.report.rows as u64);
        }
        let raw = match std::str::from_utf8(raw) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => {
                let message = "the event is not UTF-8; it was read as Windows-1252, so check \
                               accented names";
                let problem = Problem::new(ProblemKind::Encoding, line, "events", message);
                self.report.push(problem);
                Cow::Owned(windows_1252(raw))
            }
        };
        let mut reader = EventReader {
            raw: &raw,
            line,
            problems: Vec::new(),
        };
        let builder = &mut self.builder;
        if let Some(mut event) = reader.read(builder, self.atlas, &mut self.report) {
            if !self.seen_ids.insert(event.id.clone()) {
                let id = format!("{}~{line}", event.id);
                reader.problems.push(Problem::new(
                    ProblemKind::Duplicate,
                    line,
                    "id",
                    format!("duplicate id '{}'; kept as '{id}'", event.id),
                ));
                event.id = id.into();
            }
            for p in &mut reader.problems {
                p.event_id = Some(event.id.to_string());
            }
            builder.push(event);
        }
        for problem in reader.problems {
            self.report.push(problem);
        }
    }
}

/// serde_json appends " at line L column C" to messages; we say it our way.
fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

/// The fields an event may have (see `data/FORMAT.md`).
const EVENT_FIELDS: [&str; 11] = [
    "id",
    "title",
    "summary",
    "date",
    "places",
    "actors",
    "category",
    "casualties",
    "sources",
    "quotes",
    "notes",
];

/// Reads one event object, collecting its problems.
struct EventReader<'a> {
    raw: &'a str,
    line: u32,
    problems: Vec<Problem>,
}

impl EventReader<'_> {
    fn read(
        &mut self,
        builder: &mut DatasetBuilder,
        atlas: AtlasWhenNeeded<'_>,
        report: &mut Report,
    ) -> Option<Event> {
        let object: Map<String, Value> = match serde_json::from_str(self.raw) {
            Ok(o) => o,
            Err(e) => {
                let message = format!(
                    "an event must be an object: {}",
                    strip_position(&e.to_string())
                );
                let problem = Problem::new(ProblemKind::Structure, self.line, "events", message);
                self.problems.push(problem);
                return None;
            }
        };
        for key in object.keys() {
            if !EVENT_FIELDS.contains(&key.as_str()) {
                let message = format!("unknown field '{key}' (ignored)");
                self.problem(ProblemKind::Structure, key, message);
            }
        }
        let id = self.string(&object, "id").unwrap_or_else(|| {
            let message = "missing; the event is given an id from its line";
            self.problem(ProblemKind::MissingField, "id", message);
            format!("line-{}", self.line)
        });
        let date = self.date(&object)?;
        let title = self.string(&object, "title").unwrap_or_else(|| {
            let message = "missing; the id is shown instead";
            self.problem(ProblemKind::MissingField, "title", message);
            id.clone()
        });
        let places = self.places(&object, builder, atlas, report);
        let category = self.string(&object, "category").unwrap_or_default();
        let mut extra = Vec::new();
        if let Some(notes) = self.string(&object, "notes") {
            extra.push(("notes".to_owned(), notes));
        }
        Some(Event {
            summary: self.string(&object, "summary").unwrap_or_default().into(),
            actors: self.typed(&object, "actors").unwrap_or_default(),
            category: builder.category(&category),
            casualties: self.typed(&object, "casualties"),
            sources: self.typed(&object, "sources").unwrap_or_default(),
            quotes: self.typed(&object, "quotes").unwrap_or_default(),
            id: id.into(),
            title: title.into(),
            date,
            places: places.into(),
            extra: builder.extra(&extra),
        })
    }

    /// The line of `key` inside this event (the event's line if not found).
    fn line_of_key(&self, key: &str) -> u32 {
        line_of_key(self.raw, self.line, key)
    }

    fn problem(&mut self, kind: ProblemKind, field: &str, message: impl Into<String>) {
        let line = self.line_of_key(field);
        self.problems.push(Problem::new(kind, line, field, message));
    }

    fn string(&mut self, object: &Map<String, Value>, key: &str) -> Option<String> {
        match object.get(key)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::String(_) | Value::Null => None,
            other => {
                let message = format!("expected text, found {}", kind_of(other));
                self.problem(ProblemKind::BadValue, key, message);
                None
            }
        }
    }

    fn typed<T: serde::de::DeserializeOwned>(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
    ) -> Option<T> {
        let value = object.get(key).filter(|v| !v.is_null())?;
        match T::deserialize(value) {
            Ok(v) => Some(v),
            Err(e) => {
                self.problem(ProblemKind::Structure, key, e.to_string());
                None
            }
        }
    }

    fn date(&mut self, object: &Map<String, Value>) -> Option<DateSpan> {
        let Some(value) = object.get("date") else {
            self.problem(
                ProblemKind::MissingField,
                "date",
                "missing; an event needs a date (the row is skipped)",
            );
            return None;
        };
        match parse_date(value) {
            Ok(span) => Some(span),
            Err(message) => {
                let message = format!("{message} (the row is skipped)");
                self.problem(ProblemKind::BadDate, "date", message);
                None
            }
        }
    }

    fn places(
        &mut self,
        object: &Map<String, Value>,
        builder: &mut DatasetBuilder,
        atlas: AtlasWhenNeeded<'_>,
        report: &mut Report,
    ) -> Vec<u32> {
        let Some(list) = object.get("places") else {
            return Vec::new();
        };
        let Some(list) = list.as_array() else {
            self.problem(
                ProblemKind::Structure,
                "places",
                "expected a list of places",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in list {
            match place_spec(item) {
                Ok(spec) => {
                    let (place, unresolved) = resolve_place(atlas, &spec);
                    if let Some(message) = unresolved {
                        report.unresolved(spec.name);
                        self.problem(ProblemKind::UnknownPlace, "places", message);
                    }
                    let idx = builder.place(place);
                    if !out.contains(&idx) {
                        out.push(idx);
                    }
                }
                Err((kind, message)) => self.problem(kind, "places", message),
            }
        }
        out
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn day_field(object: &Map<String, Value>, key: &'static str) -> Result<Day, NativeDateError> {
    let text = object
        .get(key)
        .and_then(Value::as_str)
        .ok_or(NativeDateError::NotText { key })?;
    iso_day(text)
}

fn iso_day(text: &str) -> Result<Day, NativeDateError> {
    Day::parse_iso(text).ok_or_else(|| NativeDateError::NotADay {
        text: text.to_owned(),
    })
}

/// A year a date of this format may have: four digits, as a day's
/// `YYYY-MM-DD` has ([`Day::parse_iso`]), so that a month or year is
/// refused where the day would be.
fn four_digit_year(year: i64) -> Option<i32> {
    i32::try_from(year).ok().filter(|y| (0..=9999).contains(y))
}

/// Reads the `date` forms of `data/FORMAT.md`.
fn parse_date(value: &Value) -> Result<DateSpan, NativeDateError> {
    let object = match value {
        Value::String(text) => return iso_day(text).map(DateSpan::day),
        Value::Object(o) => o,
        other => {
            let found = kind_of(other);
            return Err(NativeDateError::NotADateValue { found });
        }
    };
    let wording = object
        .get("wording")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut span = if object.contains_key("from") || object.contains_key("to") {
        let (from, to) = (day_field(object, "from")?, day_field(object, "to")?);
        if from > to {
            return Err(NativeDateError::Reversed { from, to });
        }
        DateSpan::range(from, to, None)
    } else if let Some(month) = object.get("month") {
        let text = month.as_str().unwrap_or_default();
        let parsed = text
            .split_once('-')
            .filter(|(y, m)| y.len() == 4 && m.len() == 2)
            .and_then(|(y, m)| Some((four_digit_year(y.parse().ok()?)?, m.parse().ok()?)));
        parsed
            .and_then(|(y, m)| DateSpan::month(y, m))
            .ok_or_else(|| NativeDateError::NotAMonth {
                text: text.to_owned(),
            })?
    } else if let Some(year) = object.get("year") {
        year.as_i64()
            .and_then(four_digit_year)
            .and_then(DateSpan::year)
            .ok_or_else(|| NativeDateError::NotAYear { year: year.clone() })?
    } else if object.contains_key("on") {
        DateSpan::day(day_field(object, "on")?)
    } else {
        return Err(NativeDateError::NoForm);
    };
    if span.precision == Precision::Day && span.len_days() > 1 {
        span.precision = Precision::Range;
    }
    span.wording = wording.map(Name::from);
    Ok(span)
}

/// A place of the `places` list.
///
/// # Errors
/// The kind of problem and a message naming the place.
fn place_spec(value: &Value) -> Result<PlaceSpec<'_>, (ProblemKind, String)> {
    let object = match value {
        Value::String(name) => {
            return Ok(PlaceSpec {
                name,
                ..PlaceSpec::default()
            });
        }
        Value::Object(o) => o,
        other => {
            let message = format!(
                "a place must be a name or an object, found {}",
                kind_of(other)
            );
            return Err((ProblemKind::Structure, message));
        }
    };
    let name = object
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .ok_or((
            ProblemKind::MissingField,
            "a place needs a 'name'".to_owned(),
        ))?;
    let kind = match object.get("kind").and_then(Value::as_str) {
        None => None,
        Some(kind) if let Some(known) = PlaceKind::from_name(kind) => Some(known),
        Some(other) => {
            let message =
                format!("place '{name}': kind '{other}' is not city, province, country or area");
            return Err((ProblemKind::BadValue, message));
        }
    };
    let bad_coordinate = |m: &dyn std::fmt::Display| {
        let message = format!("place '{name}': {m}");
        (ProblemKind::BadCoordinate, message)
    };
    let area = match object.get("geometry") {
        None | Some(Value::Null) => None,
        Some(geometry) => Some(Arc::new(area_of(geometry).map_err(|e| bad_coordinate(&e))?)),
    };
    let lon_lat = match (object.get("lon"), object.get("lat")) {
        (None, None) => None,
        (Some(lon), Some(lat)) => {
            Some(check_lon_lat(lon.as_f64(), lat.as_f64()).map_err(|e| bad_coordinate(&e))?)
        }
        _ => return Err(bad_coordinate(&LonLatError::OnlyOne)),
    };
    let radius = match object.get("radius_km") {
        None | Some(Value::Null) => None,
        Some(value) => Some(value.to_string()),
    };
    let (precision, said) = stated_precision(
        object.get("precision").and_then(Value::as_str),
        radius.as_deref(),
    );
    if let Some(message) = said.into_iter().flatten().next() {
        return Err((ProblemKind::BadValue, format!("place '{name}': {message}")));
    }
    Ok(PlaceSpec {
        name: name.trim(),
        kind,
        country: object.get("country").and_then(Value::as_str),
        lon_lat,
        area,
        precision,
    })
}

fn check_lon_lat(lon: Option<f64>, lat: Option<f64>) -> Result<[f64; 2], LonLatError> {
    let (Some(lon), Some(lat)) = (lon, lat) else {
        return Err(LonLatError::NotNumbers);
    };
    if !(-180.0..=180.0).contains(&lon) {
        return Err(LonLatError::LongitudeOutOfRange { lon });
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(LonLatError::LatitudeOutOfRange { lat });
    }
    Ok([lon, lat])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(json: &str) -> Result<DateSpan, NativeDateError> {
        parse_date(&serde_json::from_str(json).unwrap_or_default())
    }

    #[test]
    fn bad_dates_keep_what_was_written() {
        let day = |text| Day::parse_iso(text).unwrap_or_default();
        assert_eq!(
            date(r#"{"from": "2025-03-10", "to": "2025-03-01"}"#),
            Err(NativeDateError::Reversed {
                from: day("2025-03-10"),
                to: day("2025-03-01"),
            })
        );
        assert_eq!(
            date(r#"{"from": "2025-03-10"}"#),
            Err(NativeDateError::NotText { key: "to" })
        );
        assert_eq!(
            date(r#""2025-02-30""#),
            Err(NativeDateError::NotADay {
                text: "2025-02-30".into()
            })
        );
        assert_eq!(
            date(r#"{"year": 10000}"#).map_err(|e| e.to_string()),
            Err("year 10000 is not a year 0 to 9999".into())
        );
        assert_eq!(
            date("7").map_err(|e| e.to_string()),
            Err("expected a date, found a number".into())
        );
    }

    #[test]
    fn coordinates_out_of_range_keep_their_values() {
        assert_eq!(
            check_lon_lat(Some(181.5), Some(0.0)),
            Err(LonLatError::LongitudeOutOfRange { lon: 181.5 })
        );
        assert_eq!(
            check_lon_lat(Some(0.0), Some(-91.0)),
            Err(LonLatError::LatitudeOutOfRange { lat: -91.0 })
        );
        assert_eq!(check_lon_lat(None, Some(1.0)), Err(LonLatError::NotNumbers));
    }

    #[test]
    fn refusals_say_why_the_file_is_not_read() {
        // No place is looked up: the atlas is never fetched.
        let fetch = || crate::atlas::Atlas::embedded();
        let parse = |text: &str| {
            let atlas = AtlasWhenNeeded::Later(&fetch);
            parse_native("f.json", text, atlas, KeepProblems::default()).err()
        };
        assert_eq!(
            parse(r#"{"format": "chronomap", "version": 2, "events": []}"#),
            Some(NativeError::NewerVersion { version: 2 })
        );
        assert_eq!(
            parse(r#"{"format": "other", "events": []}"#),
            Some(NativeError::NotChronomap)
        );
        assert_eq!(
            parse(r#"{"format": "chronomap", "version": 1}"#),
            Some(NativeError::NoEvents)
        );
        let broken = parse("{\"format\": \"chronomap\",\n \"events\": [ }");
        assert_eq!(
            broken.map(|e| e.to_string()).as_deref(),
            Some("not a chronomap JSON dataset: expected a value, found '}' at line 2")
        );
    }
}
