//! chronomap's own JSON format (see `data/FORMAT.md`).
//!
//! The envelope is parsed once, but each event is read on its own from its raw
//! text, so a bad event is reported at its own line and the others still load.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::common::AtlasWhenNeeded;
use super::json_items::{LineCounter, line_of_key};
use super::places::{PlaceSpec, resolve_place};
use super::{Loaded, Problem, Report};
use crate::atlas::PlaceKind;
use crate::model::{DatasetBuilder, DateSpan, Day, Event, Name, Precision};

#[derive(Deserialize)]
struct Envelope<'a> {
    format: Option<String>,
    version: Option<u32>,
    title: Option<String>,
    #[serde(borrow)]
    events: Vec<&'a RawValue>,
}

/// Whether `text` looks like chronomap JSON (cheap; for format detection).
pub fn looks_native(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    head.trim_start().starts_with('{') && head.contains("\"chronomap\"")
}

/// Parses chronomap JSON.
///
/// # Errors
/// A message (with line) when the file is not chronomap JSON at all; problems
/// with single events go to the report instead.
pub fn parse_native<'a>(
    file: &str,
    text: &str,
    atlas: impl Into<AtlasWhenNeeded<'a>>,
) -> Result<Loaded, String> {
    let atlas = atlas.into();
    let envelope: Envelope<'_> = serde_json::from_str(text).map_err(|e| {
        format!(
            "not a chronomap JSON dataset: {} at line {}, column {}",
            strip_position(&e.to_string()),
            e.line(),
            e.column()
        )
    })?;
    if envelope.format.as_deref() != Some("chronomap") {
        return Err("not a chronomap JSON dataset: \"format\" must be \"chronomap\"".into());
    }
    if let Some(v) = envelope.version.filter(|&v| v != 1) {
        return Err(format!(
            "chronomap JSON version {v} is newer than this program reads (1)"
        ));
    }
    let mut report = Report {
        file: file.to_owned(),
        format: "chronomap JSON".into(),
        ..Report::default()
    };
    let title = envelope.title.unwrap_or_else(|| file.to_owned());
    let mut builder = DatasetBuilder::new(title);
    let mut seen_ids = std::collections::BTreeSet::new();
    let mut lines = LineCounter::new(text);
    for raw in &envelope.events {
        report.rows += 1;
        let line = lines.line_of(raw.get());
        let mut reader = EventReader {
            raw: raw.get(),
            line,
            problems: Vec::new(),
        };
        if let Some(mut event) = reader.read(&mut builder, atlas, &mut report) {
            if !seen_ids.insert(event.id.clone()) {
                let id = format!("{}~{line}", event.id);
                reader.problems.push(Problem::new(
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
        report.problems.append(&mut reader.problems);
    }
    report.events = builder.len();
    Ok(Loaded {
        dataset: builder.finish(),
        report,
        ..Loaded::default()
    })
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
                self.problems
                    .push(Problem::new(self.line, "events", message));
                return None;
            }
        };
        for key in object.keys() {
            if !EVENT_FIELDS.contains(&key.as_str()) {
                self.problem(key, format!("unknown field '{key}' (ignored)"));
            }
        }
        let id = self.string(&object, "id").unwrap_or_else(|| {
            self.problem("id", "missing; the event is given an id from its line");
            format!("line-{}", self.line)
        });
        let date = self.date(&object)?;
        let title = self.string(&object, "title").unwrap_or_else(|| {
            self.problem("title", "missing; the id is shown instead");
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
            extra: crate::model::Extra::new(extra),
        })
    }

    /// The line of `key` inside this event (the event's line if not found).
    fn line_of_key(&self, key: &str) -> u32 {
        line_of_key(self.raw, self.line, key)
    }

    fn problem(&mut self, field: &str, message: impl Into<String>) {
        let line = self.line_of_key(field);
        self.problems.push(Problem::new(line, field, message));
    }

    fn string(&mut self, object: &Map<String, Value>, key: &str) -> Option<String> {
        match object.get(key)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::String(_) | Value::Null => None,
            other => {
                self.problem(key, format!("expected text, found {}", kind_of(other)));
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
                self.problem(key, e.to_string());
                None
            }
        }
    }

    fn date(&mut self, object: &Map<String, Value>) -> Option<DateSpan> {
        let Some(value) = object.get("date") else {
            self.problem(
                "date",
                "missing; an event needs a date (the row is skipped)",
            );
            return None;
        };
        match parse_date(value) {
            Ok(span) => Some(span),
            Err(message) => {
                self.problem("date", format!("{message} (the row is skipped)"));
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
            self.problem("places", "expected a list of places");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in list {
            match place_spec(item) {
                Ok(spec) => {
                    let (place, unresolved) = resolve_place(atlas, &spec);
                    if let Some(message) = unresolved {
                        report.unresolved(spec.name);
                        self.problem("places", message);
                    }
                    let idx = builder.place(place);
                    if !out.contains(&idx) {
                        out.push(idx);
                    }
                }
                Err(message) => self.problem("places", message),
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

fn day_field(object: &Map<String, Value>, key: &str) -> Result<Day, String> {
    let text = object
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("'{key}' must be a date YYYY-MM-DD"))?;
    Day::parse_iso(text).ok_or_else(|| format!("'{text}' is not a date (YYYY-MM-DD)"))
}

/// Reads the `date` forms of `data/FORMAT.md`.
fn parse_date(value: &Value) -> Result<DateSpan, String> {
    let object = match value {
        Value::String(text) => {
            return Day::parse_iso(text)
                .map(DateSpan::day)
                .ok_or_else(|| format!("'{text}' is not a date (YYYY-MM-DD)"));
        }
        Value::Object(o) => o,
        other => return Err(format!("expected a date, found {}", kind_of(other))),
    };
    let wording = object
        .get("wording")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut span = if object.contains_key("from") || object.contains_key("to") {
        let (from, to) = (day_field(object, "from")?, day_field(object, "to")?);
        if from > to {
            return Err(format!("'from' {from} is after 'to' {to}"));
        }
        DateSpan::range(from, to, None)
    } else if let Some(month) = object.get("month") {
        let text = month.as_str().unwrap_or_default();
        let parsed = text
            .split_once('-')
            .and_then(|(y, m)| Some((y.parse().ok()?, m.parse().ok()?)));
        parsed
            .and_then(|(y, m)| DateSpan::month(y, m))
            .ok_or_else(|| format!("month '{text}' is not YYYY-MM"))?
    } else if let Some(year) = object.get("year") {
        year.as_i64()
            .and_then(|y| i32::try_from(y).ok())
            .and_then(DateSpan::year)
            .ok_or_else(|| format!("year {year} is not a year"))?
    } else if object.contains_key("on") {
        DateSpan::day(day_field(object, "on")?)
    } else {
        return Err("a date object needs 'from' and 'to', 'month', 'year' or 'on'".into());
    };
    if span.precision == Precision::Day && span.len_days() > 1 {
        span.precision = Precision::Range;
    }
    span.wording = wording.map(Name::from);
    Ok(span)
}

fn place_spec(value: &Value) -> Result<PlaceSpec<'_>, String> {
    let object = match value {
        Value::String(name) => {
            return Ok(PlaceSpec {
                name,
                ..PlaceSpec::default()
            });
        }
        Value::Object(o) => o,
        other => {
            return Err(format!(
                "a place must be a name or an object, found {}",
                kind_of(other)
            ));
        }
    };
    let name = object
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .ok_or("a place needs a 'name'")?;
    let kind = match object.get("kind").and_then(Value::as_str) {
        None => None,
        Some(kind) if let Some(known) = PlaceKind::from_name(kind) => Some(known),
        Some(other) => {
            return Err(format!(
                "place '{name}': kind '{other}' is not city, province, country or area"
            ));
        }
    };
    let area = match object.get("geometry") {
        None | Some(Value::Null) => None,
        Some(geometry) => Some(Arc::new(
            crate::load::geojson::area_of(geometry).map_err(|m| format!("place '{name}': {m}"))?,
        )),
    };
    let lon_lat = match (object.get("lon"), object.get("lat")) {
        (None, None) => None,
        (Some(lon), Some(lat)) => Some(check_lon_lat(name, lon.as_f64(), lat.as_f64())?),
        _ => return Err(format!("place '{name}': give both 'lon' and 'lat'")),
    };
    Ok(PlaceSpec {
        name: name.trim(),
        kind,
        country: object.get("country").and_then(Value::as_str),
        lon_lat,
        area,
    })
}

fn check_lon_lat(name: &str, lon: Option<f64>, lat: Option<f64>) -> Result<[f64; 2], String> {
    let (Some(lon), Some(lat)) = (lon, lat) else {
        return Err(format!("place '{name}': 'lon' and 'lat' must be numbers"));
    };
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("place '{name}': longitude {lon} out of range"));
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("place '{name}': latitude {lat} out of range"));
    }
    Ok([lon, lat])
}
