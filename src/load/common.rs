//! Pieces every row-by-row loader needs: collecting a row's problems until
//! its event exists, locating places through the gazetteer, and the one note
//! about how slashed dates were read.

use super::dates::DateReader;
use super::parts::Parts;
use super::pipeline::Waits;
use super::places::{AtlasWhenNeeded, PlaceSpec, locate, not_found};
use super::tabular::{Records, encoding_note};
use super::{KeepProblems, Problem, ProblemKind, Report};
use crate::atlas::PlaceKind;
use crate::model::{
    DatasetBuilder, DateSpan, Day, Location, LocationPrecision, PlaceIdx, PlacePrecision,
};
use std::fmt::Write as _;

/// The problems of one record, attached to its event once that exists.
pub struct RowProblems {
    /// The line the record starts on.
    pub line: u32,
    list: Vec<Problem>,
}

impl RowProblems {
    /// No problems yet for the record at `line`.
    pub fn new(line: u32) -> Self {
        Self {
            line,
            list: Vec::new(),
        }
    }

    /// How many problems the row has so far.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Records a problem of `kind` in `field`.
    pub fn push(&mut self, kind: ProblemKind, field: &str, message: impl Into<String>) {
        self.list
            .push(Problem::new(kind, self.line, field, message));
    }

    /// Moves the problems into the report, naming the event they concern
    /// when the record still became one.
    pub fn flush(self, report: &mut Report, event_id: Option<&str>) {
        for problem in self.list {
            report.push(match event_id {
                Some(id) => problem.for_event(id),
                None => problem,
            });
        }
    }
}

/// Everything a loader needs to turn records into events.
pub struct Sink<'a> {
    /// Where events, places and categories go.
    pub builder: DatasetBuilder,
    /// Rows, events, problems and unresolved names.
    pub report: Report,
    /// The gazetteer, asked for when a place needs it.
    pub atlas: AtlasWhenNeeded<'a>,
    /// Places already looked up, by [`place_key`]: a big file names the
    /// same few thousand places a million times.
    places: std::collections::HashMap<String, Lookup, crate::model::fast_hash::FastBuild>,
    key: String,
    /// How many more unknown names get a close match suggested: the search
    /// costs milliseconds, and a file of villages the gazetteer lacks may
    /// name tens of thousands.
    suggestions_left: usize,
    suggestion_limit: usize,
}

/// Unknown names per file that get a "did you mean".
pub const SUGGESTIONS_PER_FILE: usize = 1_000;

/// What looking a place up gave.
#[derive(Clone)]
enum Lookup {
    Found(PlaceIdx),
    /// Not found: the report's message once one was needed (its close match
    /// is searched for then, not on every try of the name), and the place
    /// once an event has used it.
    Missing {
        message: Option<String>,
        place: Option<PlaceIdx>,
    },
}

impl<'a> Sink<'a> {
    /// A sink for one file, whose report keeps `keep`.
    pub fn new(
        file: &str,
        format: &str,
        atlas: impl Into<AtlasWhenNeeded<'a>>,
        keep: KeepProblems,
    ) -> Self {
        Self {
            builder: DatasetBuilder::new(file),
            report: Report::new(file, format, keep),
            atlas: atlas.into(),
            places: std::collections::HashMap::default(),
            key: String::new(),
            suggestions_left: SUGGESTIONS_PER_FILE,
            suggestion_limit: SUGGESTIONS_PER_FILE,
        }
    }

    /// Like [`Sink::new`], suggesting close matches for at most `limit`
    /// unknown names.
    #[cfg(test)]
    fn with_suggestions(
        file: &str,
        format: &str,
        atlas: &'a crate::atlas::Atlas,
        limit: usize,
    ) -> Self {
        Self {
            suggestions_left: limit,
            suggestion_limit: limit,
            ..Self::new(file, format, atlas, KeepProblems::All)
        }
    }

    /// Why a place is not found (with a close match while suggestions
    /// last), or `None` when it is; searched once per distinct place.
    pub fn missing_message(&mut self, spec: &PlaceSpec<'_>) -> Option<String> {
        match self.lookup(spec) {
            Lookup::Found(_) => None,
            Lookup::Missing { message, place } => Some(message.unwrap_or_else(|| {
                let message = self.not_found(spec.name);
                let missing = Lookup::Missing {
                    message: Some(message.clone()),
                    place,
                };
                self.places.insert(self.key.clone(), missing);
                message
            })),
        }
    }

    /// The report's message for a name nothing resolves: with a close match
    /// for the first unknown names of a file, then without (the search
    /// costs milliseconds, and a file of villages the gazetteer lacks may
    /// name tens of thousands).
    fn not_found(&mut self, name: &str) -> String {
        if self.suggestions_left == 0 {
            let plain = not_found(self.atlas.get(), name, false);
            return format!(
                "{plain} (no suggestions past the first {} unknown names)",
                self.suggestion_limit
            );
        }
        self.suggestions_left -= 1;
        not_found(self.atlas.get(), name, true)
    }

    /// The cached lookup of a place (the gazetteer is asked once per
    /// distinct name, country and point); it leaves the key of `spec` in
    /// `self.key`.
    fn lookup(&mut self, spec: &PlaceSpec<'_>) -> Lookup {
        if spec.precision.stated == Some(LocationPrecision::Region)
            && spec.lon_lat.is_none()
            && spec.area.is_none()
            && let Some(idx) = self.region_named(spec)
        {
            // Known only to its region, by name: the region. (A point known
            // only to its region stays that point, and the map draws the
            // region that holds it: loading needs no gazetteer for it.)
            return Lookup::Found(idx);
        }
        if spec.area.is_some() {
            // An outline is its own place: the builder merges equal ones.
            return Lookup::Found(self.builder.place(locate(self.atlas, spec)));
        }
        if let Some(lon_lat) = spec.lon_lat {
            // A point needs no gazetteer, and the builder finds an equal
            // one itself: no key is made for it here, where a file whose
            // every row has its own coordinates would keep a million.
            let kind = spec.kind.unwrap_or(PlaceKind::City);
            let idx =
                self.builder
                    .point_place(spec.name, kind, spec.country, lon_lat, spec.precision);
            return Lookup::Found(idx);
        }
        place_key(&mut self.key, spec);
        if let Some(found) = self.places.get(self.key.as_str()) {
            return found.clone();
        }
        let place = locate(self.atlas, spec);
        let lookup = if place.location.is_some() {
            Lookup::Found(self.builder.place(place))
        } else {
            Lookup::Missing {
                message: None,
                place: None,
            }
        };
        self.places.insert(self.key.clone(), lookup.clone());
        lookup
    }

    /// The province, else the country, of a place's name, when the
    /// gazetteer knows one.
    fn region_named(&mut self, spec: &PlaceSpec<'_>) -> Option<PlaceIdx> {
        region_levels(spec.kind).into_iter().find_map(|kind| {
            let found = self.try_place(&PlaceSpec {
                name: spec.name,
                kind: Some(kind),
                country: spec.country,
                ..PlaceSpec::default()
            })?;
            // The gazetteer may answer a city of that name: not a region.
            let place = self.builder.places().get(found)?;
            matches!(place.location, Some(Location::Region(_))).then_some(found)
        })
    }

    /// Locates a place (explicit coordinates win, else the gazetteer); a
    /// name nothing resolves is listed as unresolved and reported in `field`.
    pub fn place(&mut self, spec: &PlaceSpec<'_>, field: &str, row: &mut RowProblems) -> PlaceIdx {
        let (message, place) = match self.lookup(spec) {
            Lookup::Found(idx) => return idx,
            Lookup::Missing { message, place } => (message, place),
        };
        self.report.unresolved(spec.name);
        if let (Some(message), Some(idx)) = (&message, place) {
            row.push(ProblemKind::UnknownPlace, field, message.clone());
            return idx;
        }
        let message = message.unwrap_or_else(|| self.not_found(spec.name));
        row.push(ProblemKind::UnknownPlace, field, message.clone());
        let idx = place.unwrap_or_else(|| self.builder.place(locate(self.atlas, spec)));
        let missing = Lookup::Missing {
            message: Some(message),
            place: Some(idx),
        };
        self.places.insert(self.key.clone(), missing);
        idx
    }

    /// Like [`Sink::place`], but `None` (and nothing reported) when the
    /// gazetteer does not know the name: for trying names one after another.
    pub fn try_place(&mut self, spec: &PlaceSpec<'_>) -> Option<PlaceIdx> {
        match self.lookup(spec) {
            Lookup::Found(idx) => Some(idx),
            Lookup::Missing { .. } => None,
        }
    }

    /// Adds the once-per-file note on ambiguous slashed dates, at the line of
    /// the first ambiguous value (`lines[i]` is the line of value `i`).
    pub fn date_note(&mut self, reader: &DateReader, lines: &[u32], field: &str) {
        if let Some(note) = reader.note() {
            let line = lines.get(note.first_index).copied().unwrap_or(0);
            let message = note.message.clone();
            self.report.push(Problem::new(
                ProblemKind::AmbiguousDate,
                line,
                field,
                message,
            ));
        }
    }

    /// Like [`Sink::finish`], the phases of the reading `before` told
    /// first in the timings.
    pub fn finish_after(self, mut before: crate::timings::Timings) -> super::Loaded {
        let mut loaded = self.finish();
        before.extend(&loaded.timings);
        loaded.timings = before;
        loaded
    }

    /// Sorts problems into file order and returns what was loaded.
    pub fn finish(mut self) -> super::Loaded {
        self.report.events = self.builder.len();
        self.report.sort();
        let mut timings = crate::timings::Timings::new();
        let dataset = timings.time("sort events, index places", || self.builder.finish());
        super::Loaded {
            dataset,
            report: self.report,
            timings,
        }
    }
}

/// Writes the key a place without coordinates is cached under into `key`.
/// The levels a region known by name or point is looked for at: a country
/// as a country, anything else as a province first.
fn region_levels(kind: Option<PlaceKind>) -> [PlaceKind; 2] {
    if kind == Some(PlaceKind::Country) {
        [PlaceKind::Country, PlaceKind::Province]
    } else {
        [PlaceKind::Province, PlaceKind::Country]
    }
}

fn place_key(key: &mut String, spec: &PlaceSpec<'_>) {
    key.clear();
    key.push_str(spec.name);
    key.push('\u{1f}');
    key.push(match spec.kind {
        None => '-',
        Some(PlaceKind::City) => 'c',
        Some(PlaceKind::Province) => 'p',
        Some(PlaceKind::Country) => 'n',
        Some(PlaceKind::Area) => 'a',
    });
    key.push_str(spec.country.unwrap_or(""));
    if spec.precision != PlacePrecision::default() {
        let (stated, radius) = spec.precision.key();
        let _ = write!(key, "\u{1f}{stated}:{radius}");
    }
}

/// A row's id, or `line-N` (written into `made_up`) for a row without one.
pub fn row_id<'a>(id: Option<&'a str>, line: u32, made_up: &'a mut String) -> &'a str {
    match id {
        Some(id) => id,
        None => {
            *made_up = format!("line-{line}");
            made_up
        }
    }
}

/// Ends a load that streamed its rows (see
/// [`for_each_row`](super::pipeline::for_each_row)): the note on cells that
/// were not UTF-8, the sink's dataset, and the timings of the read.
pub fn finish_streamed<R: std::io::Read>(
    mut sink: Sink<'_>,
    records: &Records<'_, R>,
    started: std::time::Instant,
    threaded: bool,
    waits: Waits,
) -> super::Loaded {
    if let Some(note) = records.encoding_note() {
        sink.report.push(note);
    }
    let read = started.elapsed();
    sink.finish_after(streamed_timings(threaded, read, waits))
}

/// What a load read in parts side by side made: `sink` the first part's
/// (with the rows before the parts, the first of them not UTF-8 at
/// `not_utf8_at`), then each later part's joined after it in file order.
pub fn finish_in_parts(
    mut sink: Sink<'_>,
    not_utf8_at: Option<u32>,
    parts: Parts<Sink<'_>>,
    started: std::time::Instant,
) -> super::Loaded {
    let read = started.elapsed();
    let joining = std::time::Instant::now();
    let not_utf8_at = not_utf8_at.or(parts.not_utf8_at);
    for part in parts.made() {
        sink.builder.append(part.builder);
        sink.report.append(part.report);
    }
    finish_joined(sink, not_utf8_at, read, joining.elapsed())
}

/// What a load read in parts side by side made, once joined in `sink`:
/// the parts read in `read`, then joined in `joined`.
pub fn finish_joined(
    mut sink: Sink<'_>,
    not_utf8_at: Option<u32>,
    read: std::time::Duration,
    joined: std::time::Duration,
) -> super::Loaded {
    if let Some(line) = not_utf8_at {
        sink.report.push(encoding_note(line));
    }
    let mut timings = crate::timings::Timings::new();
    timings.record("read and parse rows (in parts side by side)", read);
    timings.record("join the parts", joined);
    sink.finish_after(timings)
}

/// The timings of a load that streamed its rows (see
/// [`for_each_row`](super::pipeline::for_each_row)).
fn streamed_timings(
    threaded: bool,
    read: std::time::Duration,
    waits: Waits,
) -> crate::timings::Timings {
    let mut timings = crate::timings::Timings::new();
    if threaded {
        timings.record("read and parse rows (2 threads)", read);
        timings.record("  of which the reading thread waited", waits.reader);
        timings.record("  of which the assembling thread waited", waits.assembler);
    } else {
        timings.record("read and parse rows", read);
    }
    timings
}

/// An end date before its start; the record keeps its start alone.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("end date '{end_text}' is before the start {start}; the start alone is used")]
pub struct EndBeforeStart {
    /// The end as the file writes it, trimmed.
    pub end_text: String,
    /// The first day of the start.
    pub start: Day,
}

/// The span from the start of `start` to the end of `end`, for files with
/// separate start and end dates.
///
/// # Errors
/// [`EndBeforeStart`] when the end is before the start.
pub fn between(
    start: &DateSpan,
    end: &DateSpan,
    end_text: &str,
) -> Result<DateSpan, EndBeforeStart> {
    if end.end < start.start {
        return Err(EndBeforeStart {
            end_text: end_text.trim().to_owned(),
            start: start.start,
        });
    }
    if end.end == start.end {
        return Ok(start.clone());
    }
    Ok(DateSpan::range(start.start, end.end, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::Atlas;

    #[test]
    fn an_end_before_the_start_names_both() {
        let day = |text| Day::parse_iso(text).map(DateSpan::day).expect("a day");
        let (start, end) = (day("2025-03-10"), day("2025-03-01"));
        let error = between(&start, &end, " 1 March ").err();
        assert_eq!(
            error,
            Some(EndBeforeStart {
                end_text: "1 March".into(),
                start: start.start,
            })
        );
        assert_eq!(
            error.map(|e| e.to_string()).as_deref(),
            Some("end date '1 March' is before the start 2025-03-10; the start alone is used")
        );
        let later = day("2025-03-12");
        assert_eq!(
            between(&start, &later, "").map(|s| (s.start, s.end)),
            Ok((start.start, later.end))
        );
    }

    #[test]
    fn close_matches_are_suggested_for_the_first_unknown_names_only() {
        let mut sink = Sink::with_suggestions("f.csv", "CSV", Atlas::embedded(), 2);
        let mut row = RowProblems::new(2);
        for name in ["Khots", "Khots", "Islamabd", "Peshawr"] {
            let spec = PlaceSpec {
                name,
                ..PlaceSpec::default()
            };
            sink.place(&spec, "place", &mut row);
        }
        let mut report = Report::default();
        row.flush(&mut report, None);
        let messages: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "place 'Khots' not found; did you mean Khōst?",
                "place 'Khots' not found; did you mean Khōst?",
                "place 'Islamabd' not found; did you mean Islamabad?",
                "place 'Peshawr' not found (no suggestions past the first 2 unknown names)",
            ]
        );
    }
}
