//! GeoJSON event files: a FeatureCollection (or one Feature) whose features
//! are events; see `formats.md` §3.
//!
//! GeoJSON has no standard time property, so properties are recognised by
//! name like table columns ([`super::table::Roles`]) and the user's
//! [`ColumnMapping`] applies to them too. Coordinates are `[longitude,
//! latitude]`. A feature with a null geometry is placed by a place-name
//! property through the gazetteer. Polygons become their province or country
//! when a place-name property names one, else an area of their own, filled
//! on the map like a province. Lines are shown at the mean of their points.
//!
//! A `places` property (chronomap's export writes one: a list of place
//! objects, see `data/FORMAT.md`) gives every place of the event, and the
//! geometry is then left to other tools. The export's other properties
//! (`precision`, `wording`, `sources`, `quotes`, `extra`...) are read as in
//! a table.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::cells::{carries_time, people, source, with_precision};
use super::columns::{MissingColumn, Roles};
use super::common::{RowProblems, Sink, between};
use super::dates::{DateReader, DateTally, SlashOrder};
use super::json_stream::{Found, Stop, Visit, line_of_key, read_object};
use super::lists::{self, ListError, Listed};
use super::pipeline::HOLD_ROWS;
use super::places::AtlasWhenNeeded;
use super::places::{PlaceSpec, stated_precision};
use super::shapes::{Shape, geometry_note, shape};
use super::text::windows_1252;
use super::{LoadError, LoadOptions, Loaded, Problem, ProblemKind};
use crate::atlas::PlaceKind;
use crate::model::{Casualties, DateSpan, Event, Name, PlacePrecision, Source};

/// Why the features' properties make no events.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
enum GeoJsonError {
    /// A column the user named is no property.
    #[error(transparent)]
    Column(#[from] MissingColumn),
    /// No property reads as a date.
    #[error(
        "no date property found; its properties are: {}; name one with --col-date",
        properties.join(", ")
    )]
    NoDate {
        /// The property names of the first features, sorted.
        properties: Vec<String>,
    },
    /// Asked to settle again after it failed to: a fault of the reader,
    /// not the file.
    #[error("the GeoJSON reader lost its report")]
    LostReport,
}

/// One feature, parsed, with where it starts.
struct Feature<'a> {
    line: u32,
    raw: &'a str,
    properties: Map<String, Value>,
    geometry: Option<Value>,
    /// The parts that could not be read (a number out of range) and were
    /// left out: the key, the kind of problem and what to tell the user.
    unread: Vec<(String, ProblemKind, String)>,
}

/// Parses GeoJSON text: a FeatureCollection as it would stream, or one
/// Feature.
///
/// # Errors
/// As [`parse_stream`].
pub fn parse(
    file: &str,
    text: &str,
    options: &LoadOptions,
    atlas: AtlasWhenNeeded<'_>,
) -> Result<Loaded, LoadError> {
    parse_stream(file, text.as_bytes(), options, atlas, Some(text))
}

/// Parses a GeoJSON FeatureCollection as it streams from `input`: each
/// feature is read, made into its event and dropped in turn. The first
/// [`HOLD_ROWS`] features are held until their property names settle
/// which property is the date, the place and so on (as a table's header
/// does), and their dates settle the order of slashed dates; a property
/// first met later is kept among the event's fields. `whole` is the text,
/// where it is in memory: a file of one Feature is read from it.
///
/// # Errors
/// When the input is not a FeatureCollection or Feature, or no property
/// holds a date.
pub fn parse_stream(
    file: &str,
    input: impl std::io::Read,
    options: &LoadOptions,
    atlas: AtlasWhenNeeded<'_>,
    whole: Option<&str>,
) -> Result<Loaded, LoadError> {
    let error = |message: String| LoadError::Format {
        file: file.to_owned(),
        message,
    };
    let mut reading = Reading {
        options,
        kind: None,
        held: Vec::new(),
        names: BTreeSet::new(),
        objects: 0,
        sink: Some(Sink::new(file, "GeoJSON", atlas, options.keep_problems)),
        loader: None,
    };
    let read = read_object(input, "features", &mut reading);
    let kind = reading.kind.take();
    let (found, broken) = match read {
        Ok(found) => (found, None),
        Err(Stop::Refused(refusal)) => return Err(error(refusal.to_string())),
        Err(Stop::Broken(broken)) => (
            Found {
                list: broken.in_list,
                items: 0,
            },
            Some(broken),
        ),
    };
    if !found.list {
        if let (Some("Feature"), Some(text), None) = (kind.as_deref(), whole, &broken) {
            reading
                .item(text.as_bytes(), 1)
                .map_err(|e| error(e.to_string()))?;
        } else {
            let why = broken.as_ref().map_or_else(String::new, |b| {
                format!(": {} at line {}", b.message, b.line)
            });
            return Err(error(format!("not a GeoJSON FeatureCollection{why}")));
        }
    }
    let mut loader = reading.settle().map_err(|e| error(e.to_string()))?;
    if let Some(broken) = broken {
        let read = loader.sink.report.rows;
        loader.sink.report.push(Problem::new(
            ProblemKind::Truncated,
            broken.line,
            "features",
            format!(
                "the file is broken or cut off here ({}); the {read} features before it were read",
                broken.message
            ),
        ));
    }
    Ok(loader.sink.finish())
}

/// A GeoJSON file as it streams: its first features held until their
/// property names are known, then each feature made into its event.
struct Reading<'o, 'a> {
    options: &'o LoadOptions,
    /// The top-level `"type"`.
    kind: Option<String>,
    /// Features not yet read, with their lines.
    held: Vec<(String, u32)>,
    /// The property names of the held features.
    names: BTreeSet<String>,
    /// How many held features are objects.
    objects: usize,
    /// The sink, until the loader takes it.
    sink: Option<Sink<'a>>,
    loader: Option<GeoJson<'a>>,
}

impl<'a> Reading<'_, 'a> {
    /// The loader, made from the held features' names (once), with the
    /// held features read.
    fn settle(&mut self) -> Result<GeoJson<'a>, GeoJsonError> {
        if let Some(loader) = self.loader.take() {
            return Ok(loader);
        }
        let mut sink = self.sink.take().ok_or(GeoJsonError::LostReport)?;
        let names: Vec<String> = std::mem::take(&mut self.names).into_iter().collect();
        let mapping = self.options.mapping.clone().unwrap_or_default();
        let roles = Roles::find(&names, &mapping)?;
        if roles.date.is_none() && self.objects > 0 {
            return Err(GeoJsonError::NoDate { properties: names });
        }
        let date_key = key(&names, roles.date);
        let held = std::mem::take(&mut self.held);
        let (dates, lines) = date_order(&held, &date_key, self.options.slash_order);
        sink.date_note(&dates, &lines, &date_key);
        let mut loader = GeoJson {
            sink,
            used: roles.used().iter().map(|&i| key(&names, Some(i))).collect(),
            names,
            roles,
            dates,
        };
        for (raw, line) in &held {
            if let Some(feature) = read_feature(raw, *line, &mut loader.sink) {
                loader.feature(&feature);
            }
        }
        Ok(loader)
    }
}

impl Visit for Reading<'_, '_> {
    type Refusal = GeoJsonError;

    fn member(&mut self, key: &str, raw: &[u8]) -> Result<(), GeoJsonError> {
        if key == "type" {
            self.kind = serde_json::from_slice(raw).ok();
        }
        Ok(())
    }

    fn item(&mut self, raw: &[u8], line: u32) -> Result<(), GeoJsonError> {
        let raw = match std::str::from_utf8(raw) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => {
                let message = "the feature is not UTF-8; it was read as Windows-1252, so \
                               check accented names";
                let problem = Problem::new(ProblemKind::Encoding, line, "features", message);
                match (&mut self.loader, &mut self.sink) {
                    (Some(loader), _) => loader.sink.report.push(problem),
                    (None, Some(sink)) => sink.report.push(problem),
                    (None, None) => {}
                }
                Cow::Owned(windows_1252(raw))
            }
        };
        if let Some(loader) = &mut self.loader {
            if let Some(feature) = read_feature(&raw, line, &mut loader.sink) {
                loader.feature(&feature);
            }
            return Ok(());
        }
        let mut de = serde_json::Deserializer::from_str(&raw);
        if FeatureKeys(&mut self.names).deserialize(&mut de).is_ok() {
            self.objects += 1;
        }
        self.held.push((raw.into_owned(), line));
        if self.held.len() >= HOLD_ROWS {
            self.loader = Some(self.settle()?);
        }
        Ok(())
    }
}

/// The reader for the file's slashed dates, settled by the date values of
/// the held features, with the lines of the values it counted.
fn date_order(held: &[(String, u32)], date_key: &str, order: SlashOrder) -> (DateReader, Vec<u32>) {
    let mut tally = DateTally::new(order);
    let mut lines = Vec::new();
    for (raw, line) in held {
        if tally.settled() {
            break;
        }
        let value =
            raw_property(raw, date_key).and_then(|value| serde_json::from_str::<Value>(value).ok());
        tally.count(&scalar(value.as_ref()).unwrap_or_default());
        lines.push(*line);
    }
    (tally.reader(), lines)
}

/// Parses one raw feature; one that is not an object is reported.
fn read_feature<'a>(raw: &'a str, line: u32, sink: &mut Sink<'_>) -> Option<Feature<'a>> {
    let read = serde_json::from_str::<Map<String, Value>>(raw)
        .map(|object| whole(raw, line, object))
        .ok()
        .or_else(|| apart(raw, line));
    if read.is_none() {
        sink.report.rows += 1;
        sink.report.push(Problem::new(
            ProblemKind::Structure,
            line,
            "features",
            "a feature must be an object (the feature is skipped)",
        ));
    }
    read
}

/// A feature that serde_json read whole.
fn whole(raw: &str, line: u32, mut object: Map<String, Value>) -> Feature<'_> {
    let properties = match object.remove("properties") {
        Some(Value::Object(p)) => p,
        _ => Map::new(),
    };
    Feature {
        line,
        raw,
        properties,
        geometry: object.remove("geometry").filter(|g| !g.is_null()),
        unread: Vec::new(),
    }
}

/// A feature object that serde_json cannot read whole (a number such as
/// `1e999` is beyond an f64), read part by part: the property or geometry
/// with the number is left out and reported, the rest is read. `None`
/// when it is not an object at all.
fn apart(raw: &str, line: u32) -> Option<Feature<'_>> {
    #[derive(serde::Deserialize)]
    struct Parts<'a> {
        #[serde(borrow)]
        properties: Option<std::collections::BTreeMap<String, &'a RawValue>>,
        #[serde(borrow)]
        geometry: Option<&'a RawValue>,
    }
    let parts: Parts<'_> = serde_json::from_str(raw).ok()?;
    let mut unread = Vec::new();
    let mut properties = Map::new();
    for (key, value) in parts.properties.unwrap_or_default() {
        match serde_json::from_str(value.get()) {
            Ok(value) => {
                properties.insert(key, value);
            }
            Err(e) => {
                let message = format!("{} (ignored)", unreadable(&e));
                unread.push((key, ProblemKind::BadNumber, message));
            }
        }
    }
    let geometry = parts
        .geometry
        .and_then(|g| match serde_json::from_str(g.get()) {
            Ok(geometry) => Some(geometry).filter(|g: &Value| !g.is_null()),
            Err(e) => {
                let message = format!("{}; the place is looked up by name", unreadable(&e));
                unread.push(("geometry".into(), ProblemKind::BadCoordinate, message));
                None
            }
        });
    Some(Feature {
        line,
        raw,
        properties,
        geometry,
        unread,
    })
}

/// What serde_json could not read in a value, without its position (the
/// problem is reported at the value's own line).
fn unreadable(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let what = message.split(" at line ").next().unwrap_or(&message);
    format!("cannot be read: {what}")
}

/// Adds the names of a feature's properties to a set, skipping the rest.
struct FeatureKeys<'s>(&'s mut BTreeSet<String>);

impl<'de> DeserializeSeed<'de> for FeatureKeys<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FeatureKeys<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a feature object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key_seed(KeyText)? {
            if key == "properties" {
                map.next_value_seed(PropertyKeys(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// A key's text, borrowed from the file where it has no escapes.
struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyText {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.to_owned()))
    }
}

/// Adds the keys of a `properties` object (or nothing, for `null`).
struct PropertyKeys<'s>(&'s mut BTreeSet<String>);

impl<'de> DeserializeSeed<'de> for PropertyKeys<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PropertyKeys<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a properties object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key_seed(KeyText)? {
            if !self.0.contains(key.as_ref()) {
                self.0.insert(key.into_owned());
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

fn key(names: &[String], index: Option<usize>) -> String {
    index
        .and_then(|i| names.get(i))
        .cloned()
        .unwrap_or_default()
}

/// A property as text: strings trimmed, numbers written out, the first of a
/// list; `None` for null, empty, objects.
fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !super::tabular::is_null(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(list) => scalar(list.first()),
        _ => None,
    }
}

/// Whether a date property carries a time of day (looked at in place:
/// most do not, and are not copied).
fn timed(value: &Value) -> bool {
    match value {
        Value::String(s) => carries_time(s.trim()),
        Value::Number(n) => carries_time(&n.to_string()),
        Value::Array(list) => list.first().is_some_and(timed),
        _ => false,
    }
}

/// Every text in a property (a string, or a list of strings).
fn texts(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(list)) => list.iter().filter_map(|v| scalar(Some(v))).collect(),
        other => scalar(other).into_iter().collect(),
    }
}

struct GeoJson<'a> {
    sink: Sink<'a>,
    /// The property names [`Reading`] gathered, sorted.
    names: Vec<String>,
    /// Those of them that are the event's own fields, not extra ones.
    used: BTreeSet<String>,
    roles: Roles,
    dates: DateReader,
}

impl GeoJson<'_> {
    fn get(&self, feature: &Feature<'_>, index: Option<usize>) -> Option<String> {
        let key = self.names.get(index?)?;
        scalar(feature.properties.get(key))
    }

    fn feature(&mut self, feature: &Feature<'_>) {
        self.sink.report.rows += 1;
        let mut problems = RowProblems::new(feature.line);
        for (key, kind, message) in &feature.unread {
            self.problem(feature, &mut problems, *kind, key, message.clone());
        }
        let event = self.event(feature, &mut problems);
        problems.flush(&mut self.sink.report, event.as_ref().map(|e| e.id.as_str()));
        if let Some(event) = event {
            self.sink.builder.push(event);
        }
    }

    fn event(&mut self, feature: &Feature<'_>, problems: &mut RowProblems) -> Option<Event> {
        let date = self.date(feature, problems)?;
        let listed = self.listed_places(feature, problems);
        let from_list = listed.is_some();
        let places = listed.unwrap_or_else(|| self.places(feature, problems));
        let r = &self.roles;
        let category = self.get(feature, r.category).unwrap_or_default();
        let place_name = self.get(feature, r.place);
        let title = self.get(feature, r.title).unwrap_or_else(|| {
            let what = if category.is_empty() {
                "Event"
            } else {
                &category
            };
            place_name.map_or_else(
                || format!("{what} on line {}", feature.line),
                |p| format!("{what} in {p}"),
            )
        });
        let id = self
            .get(feature, r.id)
            .unwrap_or_else(|| format!("line-{}", feature.line));
        let extra = self.extra(feature, from_list, problems);
        Some(Event {
            category: self.sink.builder.category(&category),
            summary: self.get(feature, r.summary).unwrap_or_default().into(),
            actors: self.actors(feature).into_iter().map(Name::from).collect(),
            sources: self.sources(feature, problems).into(),
            casualties: self.casualties(feature, problems),
            quotes: self.list(feature, r.quotes, problems, lists::quotes).into(),
            extra: self.sink.builder.extra(&extra),
            id: id.into(),
            title: title.into(),
            date,
            places: places.into(),
        })
    }

    /// The texts of every actor property, without repeats.
    fn actors(&self, feature: &Feature<'_>) -> Vec<String> {
        let mut actors: Vec<String> = Vec::new();
        for &i in &self.roles.actors {
            let key = self.names.get(i);
            for actor in key
                .map(|k| texts(feature.properties.get(k)))
                .unwrap_or_default()
            {
                if !actors.contains(&actor) {
                    actors.push(actor);
                }
            }
        }
        actors
    }

    /// The `sources` list; else the one `source` (a name or a link).
    fn sources(&self, feature: &Feature<'_>, problems: &mut RowProblems) -> Vec<Source> {
        let sources = self.list(feature, self.roles.sources, problems, lists::sources);
        if !sources.is_empty() {
            return sources;
        }
        let one = self.get(feature, self.roles.source);
        one.map(|s| source(&s)).into_iter().collect()
    }

    /// A list property read by `read`; what it could not read is reported
    /// at its key, and a value it cannot read at all is ignored.
    fn list<T>(
        &self,
        feature: &Feature<'_>,
        index: Option<usize>,
        problems: &mut RowProblems,
        read: impl Fn(&Value) -> Result<Listed<T>, ListError>,
    ) -> Vec<T> {
        let Some(key) = index.and_then(|i| self.names.get(i)) else {
            return Vec::new();
        };
        let Some(value) = feature.properties.get(key).filter(|v| !v.is_null()) else {
            return Vec::new();
        };
        match read(value) {
            Ok(listed) => {
                for (kind, message) in listed.problems {
                    self.problem(feature, problems, kind, key, message);
                }
                listed.items
            }
            Err(message) => {
                let message = format!("{message} (ignored)");
                self.problem(feature, problems, ProblemKind::BadValue, key, message);
                Vec::new()
            }
        }
    }

    fn problem(
        &self,
        feature: &Feature<'_>,
        problems: &mut RowProblems,
        kind: ProblemKind,
        field: &str,
        message: String,
    ) {
        let line = line_of_key(feature.raw, feature.line, field);
        let saved = problems.line;
        problems.line = line;
        problems.push(kind, field, message);
        problems.line = saved;
    }

    /// The feature's `location_precision` and radius properties, each
    /// reported and ignored when it cannot be read.
    fn precision(&self, feature: &Feature<'_>, problems: &mut RowProblems) -> PlacePrecision {
        let r = &self.roles;
        let given = self.get(feature, r.location_precision);
        let radius = self.get(feature, r.radius);
        let (precision, messages) = stated_precision(given.as_deref(), radius.as_deref());
        for (role, message) in [r.location_precision, r.radius].into_iter().zip(messages) {
            if let Some(message) = message {
                let field = key(&self.names, role);
                self.problem(feature, problems, ProblemKind::BadValue, &field, message);
            }
        }
        precision
    }

    fn date(&self, feature: &Feature<'_>, problems: &mut RowProblems) -> Option<DateSpan> {
        let span = self.span(feature, problems)?;
        let precision = self.get(feature, self.roles.precision);
        let wording = self.get(feature, self.roles.wording);
        let (span, problem) = with_precision(span, precision.as_deref(), wording.as_deref());
        if let Some(message) = problem {
            let field = key(&self.names, self.roles.precision);
            self.problem(feature, problems, ProblemKind::BadValue, &field, message);
        }
        Some(span)
    }

    fn span(&self, feature: &Feature<'_>, problems: &mut RowProblems) -> Option<DateSpan> {
        let field = key(&self.names, self.roles.date);
        let Some(text) = self.get(feature, self.roles.date) else {
            self.problem(
                feature,
                problems,
                ProblemKind::MissingField,
                &field,
                "missing; an event needs a date (the feature is skipped)".into(),
            );
            return None;
        };
        let start = match self.dates.read(&text) {
            Ok(span) => span,
            Err(message) => {
                self.problem(
                    feature,
                    problems,
                    ProblemKind::BadDate,
                    &field,
                    format!("{message} (the feature is skipped)"),
                );
                return None;
            }
        };
        let Some(end_text) = self.get(feature, self.roles.end) else {
            return Some(start);
        };
        let end_field = key(&self.names, self.roles.end);
        let spanned = self
            .dates
            .read(&end_text)
            .map_err(|m| format!("{m}; the start alone is used"))
            .and_then(|end| between(&start, &end, &end_text).map_err(|e| e.to_string()));
        Some(spanned.unwrap_or_else(|message| {
            self.problem(feature, problems, ProblemKind::BadDate, &end_field, message);
            start
        }))
    }

    fn places(&mut self, feature: &Feature<'_>, problems: &mut RowProblems) -> Vec<u32> {
        let name = self.get(feature, self.roles.place);
        let country = self.get(feature, self.roles.country);
        let shape = match &feature.geometry {
            None => None,
            Some(geometry) => match shape(geometry) {
                Ok(found) => Some(found),
                Err(message) => {
                    self.problem(
                        feature,
                        problems,
                        ProblemKind::BadCoordinate,
                        "geometry",
                        format!("{message}; the place is looked up by name"),
                    );
                    None
                }
            },
        };
        let (lon_lat, area) = match shape {
            Some(Shape::Point(point)) => (Some(point), None),
            Some(Shape::Area(area)) => {
                if let Some(idx) = self.region_named(name.as_deref(), country.as_deref()) {
                    return vec![idx];
                }
                (None, Some(std::sync::Arc::new(area)))
            }
            None => (None, None),
        };
        let unnamed = || {
            let [lon, lat] = lon_lat.or(area.as_ref().map(|a| a.center_lon_lat()))?;
            let what = if area.is_some() { "Area around " } else { "" };
            Some(format!("{what}{lat:.4}, {lon:.4}"))
        };
        let Some(name) = name.or_else(unnamed) else {
            self.problem(
                feature,
                problems,
                ProblemKind::MissingField,
                "geometry",
                "no geometry and no place name; the event is on the timeline only".into(),
            );
            return Vec::new();
        };
        let spec = PlaceSpec {
            name: &name,
            kind: None,
            country: country.as_deref(),
            lon_lat,
            area,
            precision: self.precision(feature, problems),
        };
        let field = key(&self.names, self.roles.place);
        vec![self.sink.place(&spec, &field, problems)]
    }

    /// The places of the `places` property, when there is one it can read
    /// (the geometry is then not read).
    fn listed_places(
        &mut self,
        feature: &Feature<'_>,
        problems: &mut RowProblems,
    ) -> Option<Vec<u32>> {
        let key = self.names.get(self.roles.places?)?.clone();
        let raw = raw_property(feature.raw, &key).filter(|raw| *raw != "null")?;
        let country = self.get(feature, self.roles.country);
        match lists::places_in_json(raw, country.as_deref()) {
            Ok(listed) => {
                let saved = problems.line;
                problems.line = line_of_key(feature.raw, feature.line, &key);
                let places = lists::locate(&mut self.sink, &listed, &key, problems);
                problems.line = saved;
                Some(places)
            }
            Err(message) => {
                let message = format!("{message}; the geometry is read instead");
                self.problem(feature, problems, ProblemKind::BadValue, &key, message);
                None
            }
        }
    }

    /// A polygon feature named after a province or country: its region.
    fn region_named(&mut self, name: Option<&str>, country: Option<&str>) -> Option<u32> {
        let name = name?;
        [PlaceKind::Province, PlaceKind::Country]
            .into_iter()
            .find_map(|kind| {
                self.sink.try_place(&PlaceSpec {
                    name,
                    kind: Some(kind),
                    country,
                    lon_lat: None,
                    area: None,
                    precision: PlacePrecision::default(),
                })
            })
    }

    fn casualties(&self, feature: &Feature<'_>, problems: &mut RowProblems) -> Option<Casualties> {
        let r = &self.roles;
        let mut count = |index: Option<usize>| {
            let text = self.get(feature, index)?;
            let field = key(&self.names, index);
            people(&text)
                .map_err(|e| {
                    let message = e.to_string();
                    self.problem(feature, problems, ProblemKind::BadNumber, &field, message);
                })
                .ok()
        };
        let casualties = Casualties {
            killed: count(r.killed),
            injured: count(r.injured),
            detail: self.get(feature, r.casualty_detail).map(Name::from),
        };
        (casualties != Casualties::default()).then_some(casualties)
    }

    /// The `extra` list, then the properties no role used (as text, sorted
    /// by name), then a note when the map shows less than the geometry.
    fn extra(
        &self,
        feature: &Feature<'_>,
        from_list: bool,
        problems: &mut RowProblems,
    ) -> Vec<(String, String)> {
        let own = key(&self.names, self.roles.extra);
        let mut extra = self.list(feature, self.roles.extra, problems, |value| {
            lists::extra(&own, value)
        });
        // Every other property, those first met after the names were
        // settled included, in the order of their names.
        extra.extend(
            feature
                .properties
                .iter()
                .filter(|(k, _)| !self.used.contains(*k))
                .filter_map(|(k, v)| Some((k.clone(), scalar(Some(v))?))),
        );
        // The date as written, where it carries a time of day that the
        // event's day leaves out.
        if let Some(date) = self.roles.date.and_then(|i| self.names.get(i))
            && let Some(when) = feature.properties.get(date)
            && timed(when)
            && let Some(when) = scalar(Some(when))
        {
            extra.push((date.clone(), when));
        }
        if !from_list && let Some(note) = feature.geometry.as_ref().and_then(geometry_note) {
            extra.push(("geometry".into(), note));
        }
        extra
    }
}

/// A property's JSON text exactly as the file writes it (numbers included:
/// serde_json's own number parsing may miss the last bit of a coordinate).
fn raw_property<'a>(feature: &'a str, key: &str) -> Option<&'a str> {
    #[derive(serde::Deserialize)]
    struct Raw<'a> {
        #[serde(borrow)]
        properties: Option<std::collections::BTreeMap<String, &'a RawValue>>,
    }
    let raw: Raw<'a> = serde_json::from_str(feature).ok()?;
    raw.properties?.get(key).map(|v| v.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::KeepProblems;
    use crate::load::shapes::ShapeError;

    /// The point a geometry gives, or for an area its centre and `true`.
    fn point(json: &str) -> Result<([f64; 2], bool), ShapeError> {
        match shape(&serde_json::from_str(json).expect("test json"))? {
            Shape::Point(p) => Ok((p, false)),
            Shape::Area(area) => Ok((area.center_lon_lat(), true)),
        }
    }

    fn close(a: [f64; 2], b: [f64; 2]) -> bool {
        (a[0] - b[0]).abs() < 1e-3 && (a[1] - b[1]).abs() < 1e-3
    }

    #[test]
    fn points_lines_and_areas() {
        assert_eq!(
            point(r#"{"type":"Point","coordinates":[49.7,10.8,0,1565578338]}"#),
            Ok(([49.7, 10.8], false))
        );
        assert_eq!(
            point(r#"{"type":"LineString","coordinates":[[0,0],[2,2]]}"#),
            Ok(([1.0, 1.0], false))
        );
        let square = r#"{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]}"#;
        let (center, area) = point(square).expect("a square");
        assert!(area && close(center, [1.0, 1.0]), "{center:?}");
        let multi = r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[2,0],[2,2],[0,2],[0,0]]]]}"#;
        let (center, area) = point(multi).expect("a square");
        assert!(area && close(center, [1.0, 1.0]), "{center:?}");
    }

    #[test]
    fn only_lines_and_collections_are_noted() {
        let note = |json: &str| geometry_note(&serde_json::from_str(json).expect("test json"));
        assert_eq!(
            note(r#"{"type":"LineString","coordinates":[[0,0],[2,2]]}"#).as_deref(),
            Some("LineString, shown at one point")
        );
        assert_eq!(note(r#"{"type":"Polygon","coordinates":[]}"#), None);
        assert_eq!(
            note(r#"{"type":"GeometryCollection","geometries":[{},{}]}"#).as_deref(),
            Some("GeometryCollection of 2 parts, only the first shown")
        );
    }

    #[test]
    fn bad_geometries_say_why() {
        let point = |json| point(json).map_err(|e| e.to_string());
        assert_eq!(
            point(r#"{"type":"Point","coordinates":[48.5,135.1]}"#),
            Err("latitude 135.1 out of range (the coordinates look swapped: GeoJSON is [longitude, latitude])".into())
        );
        assert_eq!(
            point(r#"{"type":"Point","coordinates":[200,10]}"#),
            Err("longitude 200 out of range".into())
        );
        assert_eq!(
            point(r#"{"type":"Circle"}"#),
            Err("geometry type 'Circle' is not a GeoJSON geometry".into())
        );
        assert!(point(r#"{"type":"Point","coordinates":["a","b"]}"#).is_err());
        assert!(point(r#"{"type":"Polygon","coordinates":7}"#).is_err());
    }

    #[test]
    fn features_without_a_date_property_name_theirs() {
        let options = LoadOptions::default();
        // No place is looked up: the atlas is never fetched.
        let fetch = || crate::atlas::Atlas::embedded();
        let sink = Sink::new(
            "f.geojson",
            "GeoJSON",
            AtlasWhenNeeded::Later(&fetch),
            KeepProblems::default(),
        );
        let mut reading = Reading {
            options: &options,
            kind: None,
            held: Vec::new(),
            names: ["title".to_owned(), "place".to_owned()].into(),
            objects: 1,
            sink: Some(sink),
            loader: None,
        };
        assert_eq!(
            reading.settle().err(),
            Some(GeoJsonError::NoDate {
                properties: vec!["place".into(), "title".into()]
            })
        );
        assert_eq!(reading.settle().err(), Some(GeoJsonError::LostReport));
    }
}
