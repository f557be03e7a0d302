//! Plain CSV/TSV event tables: any header with a date column, and
//! coordinates or a place name. Columns are recognised by their names
//! (`formats.md` §5.2) and the user can name them instead with a
//! [`ColumnMapping`] (see [`columns`](super::columns)).
//!
//! The columns chronomap's own export adds (`precision`, `wording`,
//! `places`, `injured`, `casualty_detail`, `sources`, `quotes`, `extra`;
//! see `data/FORMAT.md`) are optional extras recognised by name, so an
//! exported table loads back as the same events and a hand-made one as
//! before.

use std::borrow::Cow;
use std::io::Read;
use std::sync::Arc;
use std::time::Instant;

use super::cells::{carries_time, people, source_parts, with_precision};
use super::columns::{ColumnMapping, DATE, Roles};
use super::common::{RowProblems, Sink, between, finish_in_parts, finish_streamed, row_id};
use super::dates::DateReader;
use super::lists::{self, ListError, Listed};
use super::options::Delimited;
use super::outcome::{format_error, io_error};
use super::parts::{Plan, read_in_parts};
use super::pipeline::{Ahead, Held, NumberedRows, for_each_numbered_row};
use super::places::AtlasWhenNeeded;
use super::places::{PlaceSpec, stated_precision};
use super::progress::Progress;
use super::recurring::{KeyColumns, Memo};
use super::tabular::{
    Records, Row, column_name, header_names, is_null, lon_lat, name_list, unread_columns,
    width_problem,
};
use super::{LoadError, Loaded, Problem, ProblemKind};
use crate::model::{
    Casualties, DateSpan, Event, Extra, ExtraGroup, ExtraInterner, ExtraKeys, Name, NameList,
    OwnTexts, PlaceList, PlacePrecision, Source, Text,
};

/// Parses a plain delimited event table as it streams from `input`.
///
/// # Errors
/// When no date column is found, a mapped column does not exist, or the
/// input cannot be read.
pub fn parse_stream(
    file: &str,
    input: impl Read + Send,
    how: &Delimited<'_>,
    atlas: AtlasWhenNeeded<'_>,
    progress: Option<&Progress>,
) -> Result<Loaded, LoadError> {
    let format_error = |message| format_error(file, message);
    let started = Instant::now();
    let mut records = Records::new(input, how.delimiter, true, progress);
    let mut row = Row::default();
    records.next_into(&mut row).map_err(io_error(file))?;
    let header = header_names(&row);
    let unmapped = ColumnMapping::default();
    let mapping = how.options.mapping.as_ref().unwrap_or(&unmapped);
    let roles = Roles::find(&header, mapping).map_err(|e| format_error(e.to_string()))?;
    if roles.date.is_none() {
        return Err(format_error(format!(
            "no date column found (looked for {}); {}; name one with --col-date",
            DATE.join(", "),
            name_list("column", &header)
        )));
    }
    let format = match how.delimiter {
        b'\t' => "plain TSV".to_owned(),
        b',' => "plain CSV".to_owned(),
        d => format!("plain delimited text ('{}')", char::from(d)),
    };
    // Rows wait until their slashed dates settle the order (or enough of
    // them went by), then every row is read with that one order.
    let held =
        Held::read(&mut records, roles.date, how.options.slash_order, 0).map_err(io_error(file))?;
    let lines = held.lines();
    let Held {
        rows: held, dates, ..
    } = held;
    let others = other_columns(&header, &roles);
    // The date cell is kept too, as written, on the rows where it carries
    // a time of day: events are placed by the day, and the time is the
    // file's to keep.
    let other_keys: Vec<Name> = others
        .iter()
        .chain(&roles.date)
        .map(|&i| column_name(&header, Some(i)).into())
        .collect();
    let shape = Shape {
        header,
        roles,
        others,
        other_keys: Arc::new(other_keys.into_boxed_slice()),
        dates,
    };
    let keep = how.options.keep_problems;
    let sink = || Sink::new(file, &format, atlas, keep);
    let mut loader = Plain::new(&shape, sink());
    loader.sink.builder.reserve(how.sizing.rows_hint);
    loader.notes(&lines);
    for row in &held {
        loader.row(row, Numbers::default());
    }
    drop(held);
    let keys = shape.numbered_cells();
    let plan = Plan::after(how.whole, &mut records).map_err(io_error(file))?;
    if let Some((whole, plan)) = plan {
        let part_rows = how.sizing.rows_hint / plan.len();
        let parts = read_in_parts(
            &whole,
            &plan,
            how.delimiter,
            true,
            progress,
            |records| loader.read_all(records, &keys),
            |records| {
                let mut part = Plain::new(&shape, sink());
                part.sink.builder.reserve(part_rows);
                part.read_all(records, &keys)?;
                Ok(part.sink)
            },
        )
        .map_err(io_error(file))?;
        return Ok(finish_in_parts(
            loader.sink,
            records.not_utf8_at(),
            parts,
            started,
        ));
    }
    let waits = for_each_numbered_row(&mut records, how.sizing.threaded, &keys, &mut loader)
        .map_err(io_error(file))?;
    Ok(finish_streamed(
        loader.sink,
        &records,
        started,
        how.sizing.threaded,
        waits,
    ))
}

/// Columns chronomap's own export writes beside `places`, which says all
/// they say (the first place's name and kind).
const SAID_BY_PLACES: &[&str] = &["place_name", "kind"];

/// The columns no role reads, in the header's order.
fn other_columns(header: &[String], roles: &Roles) -> Vec<usize> {
    let said = |name: &str| {
        roles.places.is_some() && SAID_BY_PLACES.iter().any(|s| s.eq_ignore_ascii_case(name))
    };
    unread_columns(header, &roles.used(), |name| !said(name))
}

/// What a table's header and first rows say about reading its rows, the
/// same for every part of the file.
struct Shape {
    header: Vec<String>,
    roles: Roles,
    /// The columns no role reads, kept as extra fields: a file's own
    /// columns (a GPS fix's accuracy, a code, a tag list) are shown in the
    /// details and exported, never dropped.
    others: Vec<usize>,
    /// Their names, which every row's group of them shares.
    other_keys: ExtraKeys,
    dates: DateReader,
}

impl Shape {
    /// The cells that are numbered as rows are split ([`Numbers`]): the
    /// place's, the actors', the title's and the date's.
    fn numbered_cells(&self) -> [KeyColumns; 4] {
        let r = &self.roles;
        // A title is its cell, or made of the category and the place.
        let title_cells = match r.title {
            Some(title) => KeyColumns::new([Some(title)]),
            None => KeyColumns::new([r.category, r.place]),
        };
        [
            KeyColumns::new([
                r.lat,
                r.lon,
                r.place,
                r.country,
                r.places,
                r.location_precision,
                r.radius,
            ]),
            KeyColumns::new(r.actors.iter().copied().map(Some)),
            title_cells,
            KeyColumns::new([r.date, r.end, r.precision, r.wording]),
        ]
    }
}

/// The rows of a table (or of a part of one) read into events.
struct Plain<'a, 's> {
    sink: Sink<'a>,
    shape: &'s Shape,
    other_fields: ExtraInterner,
    /// The actor list made of each number of actor cells: rows repeat a
    /// few thousand actor pairs, and the cells are then read once each,
    /// not split and looked up name by name on every row.
    actor_lists: Memo<NameList>,
    /// The places the first row of each number of place cells was put at
    /// (where it was at one place, without a problem).
    places_by_number: Memo<PlaceList>,
    /// The title made for each number of title cells, so that a title is
    /// looked up by its text once, not on every row that repeats it.
    titles: Memo<Name>,
    /// The date made of each number of date cells, and whether its cell
    /// carries a time of day (where no problem was found in them): a file
    /// names a few thousand days on a million rows.
    dates_by_number: Memo<(DateSpan, bool)>,
}

/// The numbers the reading thread gave a row's place cells and actor
/// cells (none for the rows held for the date order).
#[derive(Clone, Copy, Default)]
struct Numbers {
    place: Option<u32>,
    actors: Option<u32>,
    title: Option<u32>,
    date: Option<u32>,
}

impl Numbers {
    /// The numbers of a row's cells in [`Shape::numbered_cells`]' order.
    fn of(found: &[Option<u32>]) -> Self {
        let number = |i: usize| found.get(i).copied().flatten();
        Self {
            place: number(0),
            actors: number(1),
            title: number(2),
            date: number(3),
        }
    }
}

impl NumberedRows for Plain<'_, '_> {
    fn row(&mut self, row: &Row, numbers: &[Option<u32>]) {
        Plain::row(self, row, Numbers::of(numbers));
    }

    fn ahead(&self, numbers: &[Option<u32>], step: Ahead) {
        let numbers = Numbers::of(numbers);
        match step {
            Ahead::Slots => {
                self.places_by_number.prefetch(numbers.place);
                self.actor_lists.prefetch(numbers.actors);
                self.titles.prefetch(numbers.title);
                self.dates_by_number.prefetch(numbers.date);
            }
            Ahead::Values => {
                if let Some(title) = numbers.title.and_then(|n| self.titles.get(n)) {
                    title.prefetch();
                }
                if let Some(actors) = numbers.actors.and_then(|n| self.actor_lists.get(n)) {
                    actors.prefetch();
                }
                if let Some(PlaceList::Many(list)) =
                    numbers.place.and_then(|n| self.places_by_number.get(n))
                {
                    list.prefetch();
                }
            }
        }
    }
}

impl<'a, 's> Plain<'a, 's> {
    fn new(shape: &'s Shape, sink: Sink<'a>) -> Self {
        Self {
            sink,
            shape,
            other_fields: ExtraInterner::default(),
            actor_lists: Memo::default(),
            places_by_number: Memo::default(),
            titles: Memo::default(),
            dates_by_number: Memo::default(),
        }
    }

    fn name(&self, index: Option<usize>) -> &str {
        column_name(&self.shape.header, index)
    }

    /// File-level notes: the slash order taken, and no place columns.
    fn notes(&mut self, lines: &[u32]) {
        let field = column_name(&self.shape.header, self.shape.roles.date);
        self.sink.date_note(&self.shape.dates, lines, field);
        if !self.shape.roles.can_place() {
            self.sink.report.push(Problem::new(
                ProblemKind::Note,
                0,
                "",
                "no latitude/longitude or place column; the events are on the timeline only \
                 (name them with --col-lat and --col-lon, or --col-place)",
            ));
        }
    }

    /// Reads a row, with the numbers the reading thread gave its cells.
    fn row(&mut self, row: &Row, numbers: Numbers) {
        self.sink.report.rows += 1;
        if let Some(problem) = width_problem(&self.shape.header, row) {
            self.sink.report.push(problem);
            return;
        }
        let mut problems = RowProblems::new(row.line);
        let event = self.event(row, numbers, &mut problems);
        let mut made_up = String::new();
        let id = row_id(row.at(self.shape.roles.id), row.line, &mut made_up);
        problems.flush(&mut self.sink.report, event.is_some().then_some(id));
        if let Some((event, link)) = event {
            let texts = OwnTexts {
                link: link.unwrap_or_default(),
                ..OwnTexts::new(id, row.at(self.shape.roles.summary).unwrap_or_default())
            };
            self.sink.builder.push_interned_texts(event, texts);
        }
    }

    /// The event of a row, and the link of its one source where the row
    /// has a link of its own.
    fn event<'r>(
        &mut self,
        row: &'r Row,
        numbers: Numbers,
        problems: &mut RowProblems,
    ) -> Option<(Event, Option<&'r str>)> {
        let (date, timed) = self.numbered_date(row, numbers.date, problems)?;
        let places = self.numbered_places(row, numbers.place, problems);
        let actors = self.actor_list(row, numbers.actors);
        let r = &self.shape.roles;
        let category_text = row.at(r.category).unwrap_or("");
        let what = || nonempty(category_text, "Event");
        let known = numbers.title.and_then(|n| self.titles.get(n)).cloned();
        let title = known.unwrap_or_else(|| {
            // A title is kept under its number only when it is made of the
            // numbered cells: the title cell, or (without a title column)
            // the category and place. An empty title cell's number says
            // nothing of the place a title made of it names.
            let (text, of_cells) = match (row.at(r.title), row.at(r.place)) {
                (Some(title), _) => (Cow::Borrowed(title), true),
                (None, Some(place)) => (
                    Cow::Owned(format!("{} in {place}", what())),
                    r.title.is_none(),
                ),
                (None, None) => (
                    Cow::Owned(format!("{} on line {}", what(), row.line)),
                    false,
                ),
            };
            let title = self.sink.builder.title(&text);
            if let Some(n) = numbers.title.filter(|_| of_cells) {
                self.titles.keep(n, title.clone());
            }
            title
        });
        let category = self.sink.builder.category(category_text);
        let (sources, link) = self.sources(row, problems);
        let extra_column = self.shape.roles.extra;
        let listed = self.list(row, extra_column, problems, |value| {
            lists::extra(self.name(extra_column), value)
        });
        let builder = &mut self.sink.builder;
        let listed_extra = builder.extra_group(&listed);
        let sources = builder.source_list(&sources);
        let event = Event {
            summary: Text::default(),
            actors,
            sources,
            casualties: self.casualties(row, problems),
            quotes: self
                .list(row, self.shape.roles.quotes, problems, lists::quotes)
                .into(),
            extra: Extra::from_groups(listed_extra, None).with_own(self.other_fields(row, timed)),
            id: Text::default(),
            title,
            date,
            places,
            category,
        };
        Some((event, link))
    }

    /// The row's cells in the columns no role reads, by column name: one
    /// group, shared with the rows whose cells are the same while such
    /// rows repeat.
    /// `timed`: whether the date cell carries a time of day.
    fn other_fields(&mut self, row: &Row, timed: bool) -> Option<ExtraGroup> {
        let timed = row.at(self.shape.roles.date).filter(|_| timed);
        if self.shape.others.is_empty() && timed.is_none() {
            return None;
        }
        let values = self
            .shape
            .others
            .iter()
            .map(|&i| row.get(i))
            .chain(std::iter::once(timed));
        self.other_fields.fields(&self.shape.other_keys, values)
    }

    /// The shared list of the row's actors: the one made for the first
    /// row whose actor cells had the same `number`.
    fn actor_list(&mut self, row: &Row, number: Option<u32>) -> NameList {
        let (roles, builder) = (&self.shape.roles, &mut self.sink.builder);
        self.actor_lists.get_or_make(number, || {
            let names: Vec<Name> = actors(roles, row)
                .iter()
                .map(|actor| builder.name(actor))
                .collect();
            builder.actor_list(&names)
        })
    }

    /// The `sources` list; else the one `source` (a name or a link), its
    /// outlet shared with the other rows' and its link (a row's own) apart.
    fn sources<'r>(
        &mut self,
        row: &'r Row,
        problems: &mut RowProblems,
    ) -> (Vec<Source>, Option<&'r str>) {
        let sources = self.list(row, self.shape.roles.sources, problems, lists::sources);
        if !sources.is_empty() {
            return (sources, None);
        }
        let Some((name, link)) = row.at(self.shape.roles.source).map(source_parts) else {
            return (Vec::new(), None);
        };
        let source = Source {
            name: self.sink.builder.name(name),
            ..Source::default()
        };
        (vec![source], link)
    }

    /// A list cell read by `read`; what it could not read is reported in
    /// its column, and a cell it cannot read at all is ignored.
    fn list<T>(
        &self,
        row: &Row,
        index: Option<usize>,
        problems: &mut RowProblems,
        read: impl Fn(&serde_json::Value) -> Result<Listed<T>, ListError>,
    ) -> Vec<T> {
        let Some(cell) = row.at(index) else {
            return Vec::new();
        };
        let field = self.name(index);
        match lists::cell_value(cell).and_then(|value| read(&value)) {
            Ok(listed) => {
                for (kind, message) in listed.problems {
                    problems.push(kind, field, message);
                }
                listed.items
            }
            Err(message) => {
                let message = format!("{message} (ignored)");
                problems.push(ProblemKind::BadValue, field, message);
                Vec::new()
            }
        }
    }

    /// The row's date, and whether its cell carries a time of day: as the
    /// first row with the same date cells had them, when that row raised
    /// no problem with them.
    fn numbered_date(
        &mut self,
        row: &Row,
        number: Option<u32>,
        problems: &mut RowProblems,
    ) -> Option<(DateSpan, bool)> {
        if let Some((span, timed)) = number.and_then(|n| self.dates_by_number.get(n)) {
            return Some((span.clone(), *timed));
        }
        let before = problems.len();
        let span = self.date(row, problems)?;
        let timed = row.at(self.shape.roles.date).is_some_and(carries_time);
        if let Some(n) = number
            && problems.len() == before
        {
            self.dates_by_number.keep(n, (span.clone(), timed));
        }
        Some((span, timed))
    }

    fn date(&self, row: &Row, problems: &mut RowProblems) -> Option<DateSpan> {
        let span = self.span(row, problems)?;
        let precision = row.at(self.shape.roles.precision);
        let (span, problem) = with_precision(span, precision, row.at(self.shape.roles.wording));
        if let Some(message) = problem {
            let field = self.name(self.shape.roles.precision);
            problems.push(ProblemKind::BadValue, field, message);
        }
        Some(span)
    }

    fn span(&self, row: &Row, problems: &mut RowProblems) -> Option<DateSpan> {
        let field = self.name(self.shape.roles.date);
        let Some(text) = row.at(self.shape.roles.date) else {
            problems.push(
                ProblemKind::MissingField,
                field,
                "missing; an event needs a date (the row is skipped)",
            );
            return None;
        };
        let start = match self.shape.dates.read(text) {
            Ok(span) => span,
            Err(message) => {
                let message = format!("{message} (the row is skipped)");
                problems.push(ProblemKind::BadDate, field, message);
                return None;
            }
        };
        let Some(end_text) = row.at(self.shape.roles.end) else {
            return Some(start);
        };
        let end_field = self.name(self.shape.roles.end);
        let end = match self.shape.dates.read(end_text) {
            Ok(end) => end,
            Err(message) => {
                let message = format!("{message}; the start alone is used");
                problems.push(ProblemKind::BadDate, end_field, message);
                return Some(start);
            }
        };
        Some(between(&start, &end, end_text).unwrap_or_else(|e| {
            problems.push(ProblemKind::BadDate, end_field, e.to_string());
            start
        }))
    }

    /// The row's shared list of places: the one of an earlier row with
    /// the same place cells, when it had one place and no problem with it.
    fn numbered_places(
        &mut self,
        row: &Row,
        number: Option<u32>,
        problems: &mut RowProblems,
    ) -> PlaceList {
        if let Some(known) = number.and_then(|n| self.places_by_number.get(n)) {
            return known.clone();
        }
        let before = problems.len();
        let places = self.places(row, problems);
        let list = self.sink.builder.place_list(&places);
        if let (Some(n), [_]) = (number, places.as_slice())
            && problems.len() == before
        {
            self.places_by_number.keep(n, list.clone());
        }
        list
    }

    fn places(&mut self, row: &Row, problems: &mut RowProblems) -> Vec<u32> {
        if let Some(listed) = self.listed_places(row, problems) {
            return listed;
        }
        let r = &self.shape.roles;
        let name = row.at(r.place);
        let country = row.at(r.country);
        let then = if name.is_some() {
            "; the place is looked up by name"
        } else {
            "; the event is on the timeline only"
        };
        let lon_lat = match (row.coordinate_at(r.lon), row.coordinate_at(r.lat)) {
            (Some(lon), Some(lat)) => match lon_lat(lon, lat) {
                Ok(p) => Some(p),
                Err((which, message)) => {
                    let column = if which == "latitude" { r.lat } else { r.lon };
                    let message = format!("{message}{then}");
                    problems.push(ProblemKind::BadCoordinate, self.name(column), message);
                    return self.by_name(name, country, problems);
                }
            },
            (Some(_), None) | (None, Some(_)) => {
                let message = "only one of latitude and longitude is given";
                let (field, message) = (self.name(r.lat.or(r.lon)), format!("{message}{then}"));
                problems.push(ProblemKind::BadCoordinate, field, message);
                return self.by_name(name, country, problems);
            }
            (None, None) => None,
        };
        if lon_lat.is_none() && name.is_none() {
            if self.shape.roles.can_place() {
                problems.push(
                    ProblemKind::MissingField,
                    self.name(
                        self.shape
                            .roles
                            .lat
                            .or(self.shape.roles.place)
                            .or(self.shape.roles.places),
                    ),
                    "no coordinates and no place; the event is on the timeline only",
                );
            }
            return Vec::new();
        }
        let fallback;
        let place_name = match (name, lon_lat) {
            (Some(name), _) => name,
            (None, Some([lon, lat])) => {
                fallback = format!("{lat:.4}, {lon:.4}");
                &fallback
            }
            (None, None) => "",
        };
        let spec = PlaceSpec {
            name: place_name,
            kind: None,
            country,
            lon_lat,
            area: None,
            precision: self.precision(row, problems),
        };
        let field = column_name(&self.shape.header, self.shape.roles.place);
        vec![self.sink.place(&spec, field, problems)]
    }

    /// The row's `location_precision` and radius cells, each reported and
    /// ignored when it cannot be read.
    fn precision(&self, row: &Row, problems: &mut RowProblems) -> PlacePrecision {
        let r = &self.shape.roles;
        let (precision, messages) =
            stated_precision(row.at(r.location_precision), row.at(r.radius));
        for (column, message) in [r.location_precision, r.radius].into_iter().zip(messages) {
            if let Some(message) = message {
                problems.push(ProblemKind::BadValue, self.name(column), message);
            }
        }
        precision
    }

    /// The place by name alone (after bad coordinates); nothing without a name.
    fn by_name(
        &mut self,
        name: Option<&str>,
        country: Option<&str>,
        problems: &mut RowProblems,
    ) -> Vec<u32> {
        let Some(name) = name else {
            return Vec::new();
        };
        let spec = PlaceSpec {
            name,
            kind: None,
            country,
            lon_lat: None,
            area: None,
            precision: PlacePrecision::default(),
        };
        let field = column_name(&self.shape.header, self.shape.roles.place);
        vec![self.sink.place(&spec, field, problems)]
    }

    /// The places of the `places` cell, when there is one it can read;
    /// `place`, `lat` and `lon` are then not read.
    fn listed_places(&mut self, row: &Row, problems: &mut RowProblems) -> Option<Vec<u32>> {
        let cell = row.at(self.shape.roles.places)?;
        let field = column_name(&self.shape.header, self.shape.roles.places);
        match lists::places_in_cell(cell, row.at(self.shape.roles.country)) {
            Ok(listed) => Some(lists::locate(&mut self.sink, &listed, field, problems)),
            Err(message) => {
                problems.push(
                    ProblemKind::BadValue,
                    field,
                    format!("{message}; the place columns are read instead"),
                );
                None
            }
        }
    }

    fn casualties(&self, row: &Row, problems: &mut RowProblems) -> Option<Casualties> {
        let r = &self.shape.roles;
        let mut count = |index: Option<usize>| {
            let text = row.at(index)?;
            people(text)
                .map_err(|e| problems.push(ProblemKind::BadNumber, self.name(index), e.to_string()))
                .ok()
        };
        let casualties = Casualties {
            killed: count(r.killed),
            injured: count(r.injured),
            detail: row.at(r.casualty_detail).map(Name::from),
        };
        (casualties != Casualties::default()).then_some(casualties)
    }
}

/// The names of every actor column, without repeats.
fn actors(roles: &Roles, row: &Row) -> Vec<String> {
    let mut actors: Vec<String> = Vec::new();
    for &column in &roles.actors {
        for actor in row
            .get(column)
            .map(lists::actors_in_cell)
            .unwrap_or_default()
        {
            if !actors.contains(&actor) {
                actors.push(actor);
            }
        }
    }
    actors
}

fn nonempty<'a>(text: &'a str, default: &'a str) -> &'a str {
    if is_null(text) { default } else { text }
}
