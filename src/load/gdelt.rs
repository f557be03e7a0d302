//! GDELT event files: 1.0 (57 fields, 58 with SOURCEURL) and 2.0 (61
//! fields), tab-separated, without a header; see `formats.md` §2.
//!
//! SQLDATE is the date (DATEADDED is when GDELT saw the article), the
//! ActionGeo point is the place, and the CAMEO root code with QuadClass is the
//! category. A row without an ActionGeo location is kept on the timeline only
//! and reported: the actors' home locations are not where the event was.

use std::borrow::Cow;
use std::io::Read;
use std::sync::Arc;
use std::time::Instant;

use super::cells::source_parts;
use super::common::{RowProblems, Sink, finish_in_parts, finish_streamed, row_id};
use super::dates::DateReader;
use super::options::Delimited;
use super::outcome::io_error;
use super::parts::{Plan, read_in_parts};
use super::pipeline::{Ahead, NumberedRows, for_each_numbered_row};
use super::places::AtlasWhenNeeded;
use super::places::PlaceSpec;
use super::progress::Progress;
use super::recurring::{KeyColumns, Memo};
use super::tabular::{Records, Row, lon_lat};
use super::{LoadError, Loaded, ProblemKind};
use crate::atlas::PlaceKind;
use crate::model::{
    CategoryIdx, DateSpan, Event, Extra, ExtraGroup, ExtraInterner, ExtraKeys, Fields,
    LocationPrecision, Name, NameList, OwnTexts, PlacePrecision, Source, SourceList, Text,
};

/// Column positions of one GDELT layout.
struct Layout {
    name: &'static str,
    action_type: usize,
    action_full_name: usize,
    action_country: usize,
    action_adm1: usize,
    action_lat: usize,
    action_lon: usize,
    action_feature_id: usize,
    date_added: usize,
    source_url: Option<usize>,
}

impl Layout {
    /// The cells that make a row's place and its ActionGeo fields.
    fn place_columns(&self) -> KeyColumns {
        KeyColumns::new(
            [
                self.action_type,
                self.action_full_name,
                self.action_country,
                self.action_adm1,
                self.action_lat,
                self.action_lon,
                self.action_feature_id,
            ]
            .map(Some),
        )
    }
}

const V1_HISTORICAL: Layout = Layout {
    name: "GDELT 1.0 (57 fields)",
    action_type: 49,
    action_full_name: 50,
    action_country: 51,
    action_adm1: 52,
    action_lat: 53,
    action_lon: 54,
    action_feature_id: 55,
    date_added: 56,
    source_url: None,
};

const V1_DAILY: Layout = Layout {
    name: "GDELT 1.0 (58 fields)",
    source_url: Some(57),
    ..V1_HISTORICAL
};

const V2: Layout = Layout {
    name: "GDELT 2.0 (61 fields)",
    action_type: 51,
    action_full_name: 52,
    action_country: 53,
    action_adm1: 54,
    action_lat: 56,
    action_lon: 57,
    action_feature_id: 58,
    date_added: 59,
    source_url: Some(60),
};

/// Fields at the same place in every layout.
const GLOBAL_EVENT_ID: usize = 0;
const SQLDATE: usize = 1;
const ACTOR1_NAME: usize = 6;
const ACTOR2_NAME: usize = 16;
const IS_ROOT_EVENT: usize = 25;
const EVENT_CODE: usize = 26;
const EVENT_ROOT_CODE: usize = 28;
const QUAD_CLASS: usize = 29;
const GOLDSTEIN: usize = 30;
const NUM_MENTIONS: usize = 31;
const NUM_SOURCES: usize = 32;
const NUM_ARTICLES: usize = 33;
const AVG_TONE: usize = 34;

fn layout(fields: usize) -> Option<&'static Layout> {
    match fields {
        57 => Some(&V1_HISTORICAL),
        58 => Some(&V1_DAILY),
        61 => Some(&V2),
        _ => None,
    }
}

/// Parses a GDELT events file as it streams from `input`: memory for its
/// events, not for its text (a month of GDELT is gigabytes).
///
/// # Errors
/// When the input cannot be read.
pub fn parse_stream(
    file: &str,
    input: impl Read + Send,
    how: &Delimited<'_>,
    atlas: AtlasWhenNeeded<'_>,
    progress: Option<&Progress>,
) -> Result<Loaded, LoadError> {
    let (keep, sizing) = (how.options.keep_problems, how.sizing);
    let started = Instant::now();
    let mut records = Records::new(input, b'\t', false, progress);
    let mut gdelt = Gdelt::new(Sink::new(file, "GDELT", atlas, keep));
    gdelt.sink.builder.reserve(sizing.rows_hint);
    // The first row's layout says which cells make a row's place; the
    // reading thread numbers them for the rows after it, with the cells
    // that make the title and those of the codes.
    let mut first = Row::default();
    let place = if records.next_into(&mut first).map_err(io_error(file))? {
        gdelt.numbered = layout(first.cells.len());
        gdelt.row(&first, Numbers::default());
        gdelt.numbered.map(Layout::place_columns)
    } else {
        None
    };
    let mut keys = vec![who_columns(), code_columns()];
    keys.extend(place);
    let plan = Plan::after(how.whole, &mut records).map_err(io_error(file))?;
    if let Some((whole, plan)) = plan {
        let part_rows = sizing.rows_hint / plan.len();
        let (numbered, own_keys) = (gdelt.numbered, Arc::clone(&gdelt.own_keys));
        let parts = read_in_parts(
            &whole,
            &plan,
            b'\t',
            false,
            progress,
            |records| gdelt.read_all(records, &keys),
            |records| {
                let mut part = Gdelt::new(Sink::new(file, "GDELT", atlas, keep));
                part.sink.builder.reserve(part_rows);
                part.numbered = numbered;
                part.own_keys = Arc::clone(&own_keys);
                part.read_all(records, &keys)?;
                Ok(part.sink)
            },
        )
        .map_err(io_error(file))?;
        return Ok(finish_in_parts(
            gdelt.sink,
            records.not_utf8_at(),
            parts,
            started,
        ));
    }
    let waits = for_each_numbered_row(&mut records, sizing.threaded, &keys, &mut gdelt)
        .map_err(io_error(file))?;
    Ok(finish_streamed(
        gdelt.sink,
        &records,
        started,
        sizing.threaded,
        waits,
    ))
}

/// What a GDELT load keeps between rows: most cells repeat (codes, places,
/// names), so each is made once and shared.
struct Gdelt<'a> {
    sink: Sink<'a>,
    /// The event's codes, shared by every event with the same ones.
    codes: ExtraInterner,
    /// The ActionGeo fields, shared by the events at one place.
    geo: ExtraInterner,
    /// The names of the fields each event has its own values of.
    own_keys: ExtraKeys,
    /// Categories by CAMEO root code, as written.
    categories: Vec<(Box<str>, CategoryIdx)>,
    actors: Vec<Name>,
    text: String,
    /// The layout whose place cells the reading thread numbers.
    numbered: Option<&'static Layout>,
    /// What the first row of each number made of its place cells.
    places: Memo<Located>,
    /// What the first row of each number made of its actor and root code
    /// cells ([`who_columns`]).
    whos: Memo<Who>,
    /// The codes group the first row of each number made ([`code_columns`]).
    codes_made: Memo<Option<ExtraGroup>>,
}

/// The numbers the reading thread found for a row's cells (see
/// [`parse_stream`]); `None` where it found none.
#[derive(Clone, Copy, Default)]
struct Numbers {
    who: Option<u32>,
    codes: Option<u32>,
    place: Option<u32>,
}

impl Numbers {
    /// The numbers of a row's cells in the order of [`parse_stream`]'s keys.
    fn of(found: &[Option<u32>]) -> Self {
        let number = |i: usize| found.get(i).copied().flatten();
        Self {
            who: number(0),
            codes: number(1),
            place: number(2),
        }
    }
}

/// The cells an event's category, actors and title are made of.
fn who_columns() -> KeyColumns {
    KeyColumns::new([ACTOR1_NAME, ACTOR2_NAME, EVENT_ROOT_CODE].map(Some))
}

/// The cells of the event's codes ([`codes`]).
fn code_columns() -> KeyColumns {
    KeyColumns::new(
        [
            EVENT_CODE,
            EVENT_ROOT_CODE,
            QUAD_CLASS,
            IS_ROOT_EVENT,
            GOLDSTEIN,
        ]
        .map(Some),
    )
}

/// An event's category, actors and title: the same for every row with the
/// same actor names and root code.
#[derive(Clone)]
struct Who {
    category: CategoryIdx,
    actors: NameList,
    title: Name,
}

/// An event's place and its ActionGeo fields, made from its place cells:
/// the same for every row with the same cells.
#[derive(Clone)]
struct Located {
    place: Option<u32>,
    geo: Option<ExtraGroup>,
}

impl NumberedRows for Gdelt<'_> {
    fn row(&mut self, row: &Row, numbers: &[Option<u32>]) {
        Gdelt::row(self, row, Numbers::of(numbers));
    }

    fn ahead(&self, numbers: &[Option<u32>], step: Ahead) {
        let numbers = Numbers::of(numbers);
        match step {
            Ahead::Slots => {
                self.whos.prefetch(numbers.who);
                self.codes_made.prefetch(numbers.codes);
                self.places.prefetch(numbers.place);
            }
            Ahead::Values => {
                if let Some(who) = numbers.who.and_then(|n| self.whos.get(n)) {
                    who.actors.prefetch();
                    who.title.prefetch();
                }
                if let Some(Some(codes)) = numbers.codes.and_then(|n| self.codes_made.get(n)) {
                    codes.prefetch();
                }
                if let Some(Some(geo)) = numbers
                    .place
                    .and_then(|n| self.places.get(n))
                    .map(|l| &l.geo)
                {
                    geo.prefetch();
                }
            }
        }
    }
}

impl<'a> Gdelt<'a> {
    fn new(sink: Sink<'a>) -> Self {
        Self {
            sink,
            codes: ExtraInterner::default(),
            geo: ExtraInterner::default(),
            own_keys: Arc::new(OWN_FIELDS.map(Name::from).into()),
            categories: Vec::new(),
            actors: Vec::new(),
            text: String::new(),
            numbered: None,
            places: Memo::default(),
            whos: Memo::default(),
            codes_made: Memo::default(),
        }
    }

    /// Reads a row, with the numbers the reading thread found for its cells.
    fn row(&mut self, row: &Row, numbers: Numbers) {
        if self.sink.report.rows == 0
            && let Some(layout) = layout(row.cells.len())
        {
            layout.name.clone_into(&mut self.sink.report.format);
        }
        self.sink.report.rows += 1;
        let mut problems = RowProblems::new(row.line);
        let event = self.event(row, numbers, &mut problems);
        let mut made_up = String::new();
        let id = row_id(row.get(GLOBAL_EVENT_ID), row.line, &mut made_up);
        problems.flush(&mut self.sink.report, event.is_some().then_some(id));
        if let Some((event, link)) = event {
            // No summary is made up: a sentence would say what the
            // event's fields say (QuadClass, place, mentions), at the cost
            // of a text of its own for every event.
            let texts = OwnTexts {
                link: link.unwrap_or_default(),
                ..OwnTexts::new(id, "")
            };
            self.sink.builder.push_interned_texts(event, texts);
        }
    }

    /// The event of a row, and its source's link (the row's own).
    fn event<'r>(
        &mut self,
        row: &'r Row,
        numbers: Numbers,
        problems: &mut RowProblems,
    ) -> Option<(Event, Option<&'r str>)> {
        let Some(layout) = layout(row.cells.len()) else {
            problems.push(
                ProblemKind::WrongFieldCount,
                "row",
                format!(
                    "row has {} fields; GDELT rows have 57, 58 or 61 (a cut-off line?); the row is skipped",
                    row.cells.len()
                ),
            );
            return None;
        };
        let date = sql_date(row, problems)?;
        let Located { place, geo } = self.located(row, layout, numbers.place, problems);
        let who = self.who(row, numbers.who);
        let interner = &mut self.codes;
        let codes = self
            .codes_made
            .get_or_make(numbers.codes, || codes(row, interner));
        let builder = &mut self.sink.builder;
        // The outlet is shared by its rows; the link, a row's own, is
        // handed to the builder as text beside the event.
        let (outlet, link) =
            layout
                .source_url
                .and_then(|i| row.get(i))
                .map_or((None, None), |url| {
                    let (outlet, link) = source_parts(url);
                    (Some(outlet), link)
                });
        let sources = match outlet {
            Some(outlet) => {
                let source = Source {
                    name: builder.name(outlet),
                    ..Source::default()
                };
                builder.source_list(&[source])
            }
            None => SourceList::default(),
        };
        let extra = Extra::from_groups(codes, geo).with_own(Fields::new(
            &self.own_keys,
            [
                NUM_MENTIONS,
                NUM_SOURCES,
                NUM_ARTICLES,
                AVG_TONE,
                layout.date_added,
            ]
            .map(|i| row.get(i)),
        ));
        let event = Event {
            title: who.title,
            summary: Text::default(),
            sources,
            extra,
            casualties: None,
            quotes: Default::default(),
            id: Text::default(),
            date,
            places: builder.place_list(place.as_slice()),
            actors: who.actors,
            category: who.category,
        };
        Some((event, link))
    }

    /// The row's place and ActionGeo fields: what an earlier row with the
    /// same place cells made of them, where one did so without a problem.
    fn located(
        &mut self,
        row: &Row,
        layout: &'static Layout,
        number: Option<u32>,
        problems: &mut RowProblems,
    ) -> Located {
        let number = number.filter(|_| self.numbered.is_some_and(|l| std::ptr::eq(l, layout)));
        if let Some(known) = number.and_then(|n| self.places.get(n)) {
            return known.clone();
        }
        let before = problems.len();
        let located = Located {
            place: action_place(&mut self.sink, row, layout, problems),
            geo: action_geo(row, layout, &mut self.geo),
        };
        if let Some(n) = number
            && problems.len() == before
        {
            self.places.keep(n, located.clone());
        }
        located
    }

    /// The row's category, actors and title: what an earlier row with the
    /// same actor and root code cells made, when the reading thread
    /// numbered them.
    fn who(&mut self, row: &Row, number: Option<u32>) -> Who {
        // Taken out while the loader makes what is not kept yet.
        let mut whos = std::mem::take(&mut self.whos);
        let who = whos.get_or_make(number, || self.make_who(row));
        self.whos = whos;
        who
    }

    /// The row's category, actors and title, made from its cells.
    fn make_who(&mut self, row: &Row) -> Who {
        let root = row.get(EVENT_ROOT_CODE).unwrap_or("");
        let category = self.category(root);
        let builder = &mut self.sink.builder;
        self.actors.clear();
        for i in [ACTOR1_NAME, ACTOR2_NAME] {
            if let Some(actor) = row.get(i) {
                self.actors.push(builder.name(actor));
            }
        }
        title(row, root, &mut self.text);
        Who {
            category,
            actors: builder.actor_list(&self.actors),
            title: builder.title(&self.text),
        }
    }

    /// The category of a CAMEO root code, named once per code.
    fn category(&mut self, root: &str) -> CategoryIdx {
        if let Some((_, idx)) = self.categories.iter().find(|(r, _)| **r == *root) {
            return *idx;
        }
        let idx = self.sink.builder.category(&category_name(root));
        self.categories.push((root.into(), idx));
        idx
    }
}

/// The fields each event has values of its own for, in the order shown.
const OWN_FIELDS: [&str; 5] = [
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "DATEADDED",
];

/// The event's CAMEO codes: a few hundred combinations in any file.
fn codes(row: &Row, interner: &mut ExtraInterner) -> Option<ExtraGroup> {
    let quad = row.get(QUAD_CLASS).map(|quad| {
        quad_class(quad).map_or_else(
            || Cow::Borrowed(quad),
            |label| format!("{quad} {label}").into(),
        )
    });
    let pairs = [
        ("EventCode", row.get(EVENT_CODE).map(Cow::Borrowed)),
        ("EventRootCode", row.get(EVENT_ROOT_CODE).map(Cow::Borrowed)),
        ("QuadClass", quad),
        ("IsRootEvent", row.get(IS_ROOT_EVENT).map(Cow::Borrowed)),
        ("GoldsteinScale", row.get(GOLDSTEIN).map(Cow::Borrowed)),
    ];
    present(interner, &pairs)
}

/// The ActionGeo fields, the same for every event at one place.
fn action_geo(row: &Row, layout: &Layout, interner: &mut ExtraInterner) -> Option<ExtraGroup> {
    let field = |i: usize| row.get(i).map(Cow::Borrowed);
    let pairs = [
        ("ActionGeo_Type", field(layout.action_type)),
        ("ActionGeo_FullName", field(layout.action_full_name)),
        ("ActionGeo_CountryCode", field(layout.action_country)),
        ("ActionGeo_ADM1Code", field(layout.action_adm1)),
        ("ActionGeo_FeatureID", field(layout.action_feature_id)),
    ];
    present(interner, &pairs)
}

/// The shared group of the pairs that have a value.
fn present(
    interner: &mut ExtraInterner,
    pairs: &[(&str, Option<Cow<'_, str>>)],
) -> Option<ExtraGroup> {
    let mut kept: [(&str, &str); 5] = [("", ""); 5];
    let mut n = 0;
    for (key, value) in pairs {
        if let (Some(value), Some(slot)) = (value, kept.get_mut(n)) {
            *slot = (key, value);
            n += 1;
        }
    }
    interner.group(kept.get(..n).unwrap_or_default())
}

fn sql_date(row: &Row, problems: &mut RowProblems) -> Option<DateSpan> {
    let Some(text) = row.get(SQLDATE) else {
        problems.push(
            ProblemKind::MissingField,
            "SQLDATE",
            "missing; an event needs a date (the row is skipped)",
        );
        return None;
    };
    match DateReader::default().read(text) {
        Ok(span) if text.len() == 8 => Some(span),
        Ok(_) | Err(_) => {
            problems.push(
                ProblemKind::BadDate,
                "SQLDATE",
                format!(
                    "{} (YYYYMMDD) (the row is skipped)",
                    super::dates::NotADate::new(text)
                ),
            );
            None
        }
    }
}

/// The ActionGeo place: a country or state by name (its polygon) when
/// GDELT matched one, else the point.
fn action_place(
    sink: &mut Sink<'_>,
    row: &Row,
    layout: &Layout,
    problems: &mut RowProblems,
) -> Option<u32> {
    let geo_type = row.get(layout.action_type).unwrap_or("0");
    let point = match (
        row.coordinate(layout.action_lon),
        row.coordinate(layout.action_lat),
    ) {
        (Some(lon), Some(lat)) => match lon_lat(lon, lat) {
            Ok(p) => Some(p),
            Err((which, message)) => {
                let field = if which == "latitude" {
                    "ActionGeo_Lat"
                } else {
                    "ActionGeo_Long"
                };
                problems.push(
                    ProblemKind::BadCoordinate,
                    field,
                    format!("{message}; the event is on the timeline only"),
                );
                return None;
            }
        },
        _ => None,
    };
    let Some(lon_lat) = point.filter(|_| geo_type != "0") else {
        problems.push(
            ProblemKind::MissingField,
            "ActionGeo_Type",
            format!("no ActionGeo location (ActionGeo_Type {geo_type}); the event is on the timeline only"),
        );
        return None;
    };
    let full_name = row.get(layout.action_full_name).unwrap_or("");
    if let Some(idx) = region_by_name(sink, geo_type, full_name) {
        return Some(idx);
    }
    let kind = match geo_type {
        "1" => PlaceKind::Country,
        "2" | "5" => PlaceKind::Province,
        _ => PlaceKind::City,
    };
    let spec = PlaceSpec {
        name: full_name.split(',').next().unwrap_or(full_name).trim(),
        kind: Some(kind),
        // GDELT's country codes are FIPS 10-4, not ISO: not a gazetteer hint.
        country: None,
        lon_lat: Some(lon_lat),
        area: None,
        // A country or state match is known only to its region: drawn as
        // the region that holds the point where its name is not known.
        precision: match kind {
            PlaceKind::City => PlacePrecision::default(),
            _ => PlacePrecision::stated(LocationPrecision::Region),
        },
    };
    Some(sink.place(&spec, "ActionGeo_FullName", problems))
}

/// Country-level (type 1) and state-level (2, 5) matches as polygons:
/// "Minnesota, United States" → the province Minnesota in the United States.
fn region_by_name(sink: &mut Sink<'_>, geo_type: &str, full_name: &str) -> Option<u32> {
    if !matches!(geo_type, "1" | "2" | "5") {
        return None;
    }
    let parts: Vec<&str> = full_name.split(',').map(str::trim).collect();
    let spec = match (geo_type, parts.as_slice()) {
        ("1", [country]) => PlaceSpec {
            name: country,
            kind: Some(PlaceKind::Country),
            ..PlaceSpec::default()
        },
        ("2" | "5", [province, .., country]) => PlaceSpec {
            name: province,
            kind: Some(PlaceKind::Province),
            country: Some(country),
            lon_lat: None,
            area: None,
            precision: PlacePrecision::default(),
        },
        _ => return None,
    };
    sink.try_place(&spec)
}

/// CAMEO root codes 01–20.
pub(crate) const CAMEO_ROOTS: [&str; 20] = [
    "Make public statement",
    "Appeal",
    "Express intent to cooperate",
    "Consult",
    "Engage in diplomatic cooperation",
    "Engage in material cooperation",
    "Provide aid",
    "Yield",
    "Investigate",
    "Demand",
    "Disapprove",
    "Reject",
    "Threaten",
    "Protest",
    "Exhibit force posture",
    "Reduce relations",
    "Coerce",
    "Assault",
    "Fight",
    "Use unconventional mass violence",
];

fn cameo_root(code: &str) -> Option<&'static str> {
    let n: usize = code.parse().ok()?;
    CAMEO_ROOTS.get(n.checked_sub(1)?).copied()
}

/// "Fight (CAMEO 19)".
fn category_name(root: &str) -> String {
    match cameo_root(root) {
        Some(name) => format!("{name} (CAMEO {root})"),
        None if root.is_empty() => String::new(),
        None => format!("CAMEO {root}"),
    }
}

fn quad_class(code: &str) -> Option<&'static str> {
    match code {
        "1" => Some("Verbal Cooperation"),
        "2" => Some("Material Cooperation"),
        "3" => Some("Verbal Conflict"),
        "4" => Some("Material Conflict"),
        _ => None,
    }
}

/// "THE DRC – Threaten – KINSHASA", or the verb alone, written to `out`.
fn title(row: &Row, root: &str, out: &mut String) {
    out.clear();
    let verb = cameo_root(root).unwrap_or("Event");
    for part in [row.get(ACTOR1_NAME), Some(verb), row.get(ACTOR2_NAME)]
        .into_iter()
        .flatten()
    {
        if !out.is_empty() {
            out.push_str(" – ");
        }
        out.push_str(part);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cameo_codes_keep_their_zeros() {
        assert_eq!(category_name("19"), "Fight (CAMEO 19)");
        assert_eq!(category_name("01"), "Make public statement (CAMEO 01)");
        assert_eq!(category_name("21"), "CAMEO 21");
        assert_eq!(category_name(""), "");
        assert_eq!(quad_class("4"), Some("Material Conflict"));
    }
}
