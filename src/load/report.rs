//! What a load found wrong, row by row, so the user can fix their file.
//!
//! Every problem has a [`ProblemKind`], which scripts (`check --json`) and
//! tests match on; the message is for people and may be reworded. A report
//! counts every problem by kind but keeps only the first
//! [`KEEP_PER_KIND`] of each unless asked to keep all: a file whose four
//! million rows repeat an id would otherwise hold (and print) four million
//! messages that say the same thing.

use std::fmt;

use serde::{Serialize, Serializer};

/// What sort of thing is wrong, whatever the format: `check --json` writes
/// it in snake_case (`bad_date`), and the totals are counted by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A date that cannot be read (not a date, a month 13, a year out of
    /// range), an end before its start, or a date another column
    /// contradicts.
    BadDate,
    /// Slashed dates that could be day-first or month-first, and how they
    /// were read (said once per file).
    AmbiguousDate,
    /// Coordinates or a geometry that cannot place the event: not numbers,
    /// not finite, out of range, only one of a pair, a degenerate outline.
    BadCoordinate,
    /// A place name the gazetteer does not know.
    UnknownPlace,
    /// A value the event needs (its date, id, any place) is absent.
    MissingField,
    /// A count that is not a whole number.
    BadNumber,
    /// A value of the wrong type or outside its known set (an unknown
    /// precision, a field that must be text, a list that is not one).
    BadValue,
    /// A row with more or fewer fields than the header (or the format) has.
    WrongFieldCount,
    /// An id that an earlier record already has.
    Duplicate,
    /// JSON of the wrong shape: an item that is not an object, an unknown
    /// field, a list that is not a list.
    Structure,
    /// The file is broken or cut off; what came before was read.
    Truncated,
    /// The text was not UTF-8 and was decoded otherwise.
    Encoding,
    /// A note on the whole file (a column it lacks), not on a record.
    Note,
    /// Nothing could be loaded from the file at all (`check` reports the
    /// error as its one problem).
    NotLoaded,
}

impl ProblemKind {
    /// Every kind, in the order reports list their totals.
    pub const ALL: [Self; 14] = [
        Self::BadDate,
        Self::AmbiguousDate,
        Self::BadCoordinate,
        Self::UnknownPlace,
        Self::MissingField,
        Self::BadNumber,
        Self::BadValue,
        Self::WrongFieldCount,
        Self::Duplicate,
        Self::Structure,
        Self::Truncated,
        Self::Encoding,
        Self::Note,
        Self::NotLoaded,
    ];

    /// The kind as `check --json` writes it (`bad_date`).
    pub fn name(self) -> &'static str {
        match self {
            Self::BadDate => "bad_date",
            Self::AmbiguousDate => "ambiguous_date",
            Self::BadCoordinate => "bad_coordinate",
            Self::UnknownPlace => "unknown_place",
            Self::MissingField => "missing_field",
            Self::BadNumber => "bad_number",
            Self::BadValue => "bad_value",
            Self::WrongFieldCount => "wrong_field_count",
            Self::Duplicate => "duplicate",
            Self::Structure => "structure",
            Self::Truncated => "truncated",
            Self::Encoding => "encoding",
            Self::Note => "note",
            Self::NotLoaded => "not_loaded",
        }
    }

    /// The kind's slot in [`Totals`].
    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One thing a loader could not read, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line as a text editor shows it (the header is line 1); 0 when
    /// the problem concerns the whole file.
    pub line: u32,
    /// 1-based column where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// The field (column name or JSON key) the problem is in.
    pub field: String,
    /// What sort of problem it is.
    pub kind: ProblemKind,
    /// What is wrong, in words.
    pub message: String,
    /// The id of the event this row became, when it still loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
}

impl Problem {
    /// A problem of `kind` at a line and field.
    pub fn new(
        kind: ProblemKind,
        line: u32,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            line,
            column: None,
            field: field.into(),
            kind,
            message: message.into(),
            event_id: None,
        }
    }

    /// The same problem, attached to the event it concerns.
    #[must_use]
    pub fn for_event(mut self, id: &str) -> Self {
        self.event_id = Some(id.to_owned());
        self
    }
}

/// How many problems of each kind a report keeps by default; the rest are
/// counted only.
pub const KEEP_PER_KIND: usize = 1_000;

/// Which problems a report keeps (all are counted either way).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KeepProblems {
    /// The first [`KEEP_PER_KIND`] of each kind: enough to find and fix
    /// them, in memory that does not grow with the file.
    #[default]
    FirstOfEachKind,
    /// Every one (`check --all-problems`).
    All,
}

impl KeepProblems {
    /// How many of one kind are kept when `total` were found.
    pub fn kept(self, total: usize) -> usize {
        match self {
            Self::FirstOfEachKind => total.min(KEEP_PER_KIND),
            Self::All => total,
        }
    }
}

/// How many problems of each kind a load found. Serialised as an object of
/// the kinds found: `{"bad_date": 3, "duplicate": 1}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals([usize; ProblemKind::ALL.len()]);

impl Totals {
    /// How many problems of `kind` were found.
    pub fn get(&self, kind: ProblemKind) -> usize {
        self.0.get(kind.index()).copied().unwrap_or(0)
    }

    /// How many problems were found in all.
    pub fn sum(&self) -> usize {
        self.0.iter().sum()
    }

    /// The kinds found and their counts, in [`ProblemKind::ALL`]'s order.
    pub fn iter(&self) -> impl Iterator<Item = (ProblemKind, usize)> + '_ {
        ProblemKind::ALL
            .into_iter()
            .map(|kind| (kind, self.get(kind)))
            .filter(|&(_, n)| n > 0)
    }

    /// Counts one more of `kind`; returns how many there were before.
    fn add(&mut self, kind: ProblemKind) -> usize {
        self.0.get_mut(kind.index()).map_or(0, |n| {
            *n += 1;
            *n - 1
        })
    }
}

impl FromIterator<ProblemKind> for Totals {
    /// The totals of these problems' kinds.
    fn from_iter<I: IntoIterator<Item = ProblemKind>>(kinds: I) -> Self {
        let mut totals = Self::default();
        for kind in kinds {
            totals.add(kind);
        }
        totals
    }
}

impl Serialize for Totals {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(kind, n)| (kind.name(), n)))
    }
}

/// The outcome of loading one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The file as the user named it.
    pub file: String,
    /// The format detected from the content.
    pub format: String,
    /// Records read (rows, features, events), good or bad.
    pub rows: usize,
    /// Events loaded.
    pub events: usize,
    /// The problems kept (see [`KeepProblems`]), in file order. Add to it
    /// with [`Report::push`], which counts them.
    pub problems: Vec<Problem>,
    /// Every problem found, kept or not, by kind.
    pub totals: Totals,
    /// Place names that did not resolve, sorted and unique.
    pub unresolved_places: Vec<String>,
    /// Which problems are kept.
    #[serde(skip)]
    keep: KeepProblems,
}

impl Report {
    /// An empty report on `file`, read as `format`, keeping `keep`.
    pub fn new(file: &str, format: &str, keep: KeepProblems) -> Self {
        Self {
            file: file.to_owned(),
            format: format.to_owned(),
            keep,
            ..Self::default()
        }
    }

    /// Counts a problem, and keeps it unless enough of its kind are kept.
    pub fn push(&mut self, problem: Problem) {
        let before = self.totals.add(problem.kind);
        if before < self.keep.kept(before + 1) {
            self.problems.push(problem);
        }
    }

    /// Adds the report of one layer of an archive: its counts, and its kept
    /// problems, each named after the layer's file.
    pub fn absorb(&mut self, layer: &Report) {
        self.keep = layer.keep;
        let file = &layer.file;
        self.problems.extend(layer.problems.iter().map(|p| Problem {
            message: format!("{file}: {}", p.message),
            ..p.clone()
        }));
        self.add_counts(layer);
    }

    /// Adds another report's totals, rows, events and unresolved names.
    fn add_counts(&mut self, other: &Report) {
        for (total, n) in self.totals.0.iter_mut().zip(&other.totals.0) {
            *total += n;
        }
        self.rows += other.rows;
        self.events += other.events;
        self.unresolved_places
            .extend(other.unresolved_places.iter().cloned());
        self.unresolved_places.sort_unstable();
        self.unresolved_places.dedup();
    }

    /// Adds the report of the rest of the same file, read apart (a later
    /// part of it, see [`parts`](super::parts)): its counts, its
    /// unresolved names, and its kept problems after these, as many as the
    /// kept number of each kind still allows, so that the report keeps
    /// what one reading would.
    pub fn append(&mut self, later: Report) {
        let mut room = [0; ProblemKind::ALL.len()];
        for (kind, slot) in ProblemKind::ALL.into_iter().zip(&mut room) {
            let (now, more) = (self.totals.get(kind), later.totals.get(kind));
            *slot = self.keep.kept(now + more) - self.keep.kept(now);
        }
        self.add_counts(&later);
        for problem in later.problems {
            let Some(slot) = room.get_mut(problem.kind.index()).filter(|n| **n > 0) else {
                continue;
            };
            *slot -= 1;
            self.problems.push(problem);
        }
    }

    /// Sorts the kept problems into file order (stable: a line's problems
    /// stay in the order found).
    pub fn sort(&mut self) {
        self.problems.sort_by_key(|p| p.line);
    }

    /// How many problems were found, kept or not.
    pub fn problem_count(&self) -> usize {
        self.totals.sum()
    }

    /// How many problems of `kind` were counted but not kept.
    pub fn left_out(&self, kind: ProblemKind) -> usize {
        let total = self.totals.get(kind);
        total - self.keep.kept(total)
    }

    /// Records a place name that nothing resolved.
    pub fn unresolved(&mut self, name: &str) {
        if let Err(at) = self
            .unresolved_places
            .binary_search_by(|p| p.as_str().cmp(name))
        {
            self.unresolved_places.insert(at, name.to_owned());
        }
    }
}

impl fmt::Display for Problem {
    /// `line 12, field 'date': 'date '31/02/2025' is not a date`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}", self.line)?;
            if let Some(c) = self.column {
                write!(f, ", column {c}")?;
            }
            write!(f, ", ")?;
        }
        write!(f, "field '{}': {}", self.field, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(kind: ProblemKind, line: u32) -> Problem {
        Problem::new(kind, line, "f", "wrong")
    }

    #[test]
    fn the_first_of_each_kind_are_kept_and_all_are_counted() {
        let mut report = Report::new("f.csv", "CSV", KeepProblems::FirstOfEachKind);
        for line in 0..3_000 {
            report.push(problem(ProblemKind::Duplicate, line));
        }
        report.push(problem(ProblemKind::BadDate, 5));
        assert_eq!(report.problems.len(), KEEP_PER_KIND + 1);
        assert_eq!(report.totals.get(ProblemKind::Duplicate), 3_000);
        assert_eq!(report.totals.get(ProblemKind::BadDate), 1);
        assert_eq!(report.problem_count(), 3_001);
        assert_eq!(
            report.left_out(ProblemKind::Duplicate),
            3_000 - KEEP_PER_KIND
        );
        assert_eq!(report.left_out(ProblemKind::BadDate), 0);
        let kept_lines: Vec<u32> = report
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Duplicate)
            .map(|p| p.line)
            .collect();
        assert_eq!(kept_lines.last(), Some(&999), "the first ones are kept");
    }

    #[test]
    fn all_are_kept_when_asked() {
        let mut report = Report::new("f.csv", "CSV", KeepProblems::All);
        for line in 0..3_000 {
            report.push(problem(ProblemKind::Duplicate, line));
        }
        assert_eq!(report.problems.len(), 3_000);
        assert_eq!(report.left_out(ProblemKind::Duplicate), 0);
    }

    #[test]
    fn kinds_and_totals_serialise_in_snake_case() {
        let mut report = Report::new("f.csv", "CSV", KeepProblems::All);
        report.push(problem(ProblemKind::WrongFieldCount, 3));
        report.push(problem(ProblemKind::BadDate, 4));
        report.push(problem(ProblemKind::BadDate, 5));
        let json = serde_json::to_value(&report).expect("serialises");
        assert_eq!(
            json["totals"],
            serde_json::json!({"bad_date": 2, "wrong_field_count": 1})
        );
        assert_eq!(json["problems"][0]["kind"], "wrong_field_count");
        let totals: Totals = [ProblemKind::Note, ProblemKind::BadDate, ProblemKind::Note]
            .into_iter()
            .collect();
        assert_eq!(
            totals.iter().collect::<Vec<_>>(),
            [(ProblemKind::BadDate, 1), (ProblemKind::Note, 2)]
        );
        for kind in ProblemKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).expect("serialises"),
                kind.name(),
                "{kind:?}"
            );
        }
    }
}
