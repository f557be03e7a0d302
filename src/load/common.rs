//! Pieces every row-by-row loader needs: collecting a row's problems until
//! its event exists, locating places through the gazetteer, and the one note
//! about how slashed dates were read.

use super::dates::DateReader;
use super::places::{PlaceSpec, resolve_place};
use super::{Problem, Report};
use crate::atlas::Atlas;
use crate::model::{DatasetBuilder, DateSpan, PlaceIdx};

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

    /// Records a problem in `field`.
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.list.push(Problem::new(self.line, field, message));
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
    /// The gazetteer.
    pub atlas: &'a Atlas,
}

impl<'a> Sink<'a> {
    /// A sink for one file.
    pub fn new(file: &str, format: &str, atlas: &'a Atlas) -> Self {
        Self {
            builder: DatasetBuilder::new(file),
            report: Report {
                file: file.to_owned(),
                format: format.to_owned(),
                ..Report::default()
            },
            atlas,
        }
    }

    /// Locates a place (explicit coordinates win, else the gazetteer); a
    /// name nothing resolves is listed as unresolved and reported in `field`.
    pub fn place(&mut self, spec: &PlaceSpec<'_>, field: &str, row: &mut RowProblems) -> PlaceIdx {
        let (place, unresolved) = resolve_place(self.atlas, spec);
        if let Some(message) = unresolved {
            self.report.unresolved(spec.name);
            row.push(field, message);
        }
        self.builder.place(place)
    }

    /// Like [`Sink::place`], but `None` (and nothing reported) when the
    /// gazetteer does not know the name: for trying names one after another.
    pub fn try_place(&mut self, spec: &PlaceSpec<'_>) -> Option<PlaceIdx> {
        let (place, unresolved) = resolve_place(self.atlas, spec);
        if unresolved.is_some() {
            return None;
        }
        Some(self.builder.place(place))
    }

    /// Adds the once-per-file note on ambiguous slashed dates, at the line of
    /// the first ambiguous value (`lines[i]` is the line of value `i`).
    pub fn date_note(&mut self, reader: &DateReader, lines: &[u32], field: &str) {
        if let Some(note) = reader.note() {
            let line = lines.get(note.first_index).copied().unwrap_or(0);
            self.report
                .push(Problem::new(line, field, note.message.clone()));
        }
    }

    /// Sorts problems into file order and returns what was loaded.
    pub fn finish(mut self) -> super::Loaded {
        self.report.events = self.builder.len();
        self.report.problems.sort_by_key(|p| p.line);
        super::Loaded {
            dataset: self.builder.finish(),
            report: self.report,
        }
    }
}

/// The span from the start of `start` to the end of `end`, for files with
/// separate start and end dates.
///
/// # Errors
/// A message when the end is before the start.
pub fn between(start: &DateSpan, end: &DateSpan, end_text: &str) -> Result<DateSpan, String> {
    if end.end < start.start {
        return Err(format!(
            "end date '{}' is before the start {}; the start alone is used",
            end_text.trim(),
            start.start
        ));
    }
    if end.end == start.end {
        return Ok(start.clone());
    }
    Ok(DateSpan::range(start.start, end.end, None))
}
