//! The row a pushed table holds for an event, and the export's cells read
//! back from it.
//!
//! What the queries use has a column of its own: the days, the map's
//! point, the category, the facets' values, the texts a search looks in.
//! Every other cell of chronomap's CSV export goes into one `rest` column,
//! a CSV record, with the extra fields as names and values after the
//! cells. A cell the other columns already hold (the place's code where it
//! is its name, a coordinate that is the map's point, a `places` list of
//! the one place the place cells say, the actors, a `sources` list of one
//! name) is left empty there and marked in the record's first field, and
//! made again when the row is read. The server's work in writing a row
//! grows with its bytes and with its number of columns, so a row is kept
//! to few of both.

use std::path::Path;

use super::RemoteError;
use crate::atlas::Atlas;
use crate::export::{
    CSV_HEADER, PLACES_CELL, SOURCES_CELL, actors_cell, event_cells_but_lists, extra_cell,
    places_cell, sources_cell,
};
use crate::model::{Dataset, EventRef, Facet, Location, values_named};

/// The columns of a pushed table, in order.
pub(super) const COLUMNS: [&str; 15] = [
    "id",
    "date",
    "date_end",
    "map_lon",
    "map_lat",
    "category",
    "fatalities",
    "actors",
    "countries",
    "sub_type",
    "layer",
    "title",
    "summary",
    "texts",
    "rest",
];

/// The `CREATE TABLE` statement of a pushed table (`` `db`.`t` ``).
pub fn push_schema(table: &str) -> String {
    format!(
        "CREATE TABLE {table} (\n    \
         `id` String,\n    \
         `date` Date,\n    \
         `date_end` Date,\n    \
         `map_lon` Float64,\n    \
         `map_lat` Float64,\n    \
         `category` String,\n    \
         `fatalities` Nullable(UInt32),\n    \
         `actors` Array(String),\n    \
         `countries` Array(String),\n    \
         `sub_type` String,\n    \
         `layer` String,\n    \
         `title` String,\n    \
         `summary` String,\n    \
         `texts` String,\n    \
         `rest` String\n\
         ) ENGINE = MergeTree() PARTITION BY toYear(`date`) ORDER BY (`date`, `id`)"
    )
}

/// One row of a pushed table, borrowing the dataset's texts.
#[derive(clickhouse::Row, serde::Serialize)]
pub(super) struct PushRow<'a> {
    id: &'a str,
    date: u16,
    date_end: u16,
    map_lon: f64,
    map_lat: f64,
    category: &'a str,
    fatalities: Option<u32>,
    actors: Vec<&'a str>,
    countries: Vec<&'a str>,
    sub_type: &'a str,
    layer: &'a str,
    title: &'a str,
    summary: &'a str,
    texts: String,
    rest: String,
}

/// What a pushed table's row is read back with: the columns that hold
/// export cells.
#[derive(clickhouse::Row, serde::Deserialize, Debug, Clone, PartialEq)]
pub(super) struct ReadRow {
    id: String,
    title: String,
    summary: String,
    category: String,
    actors: Vec<String>,
    map_lon: f64,
    map_lat: f64,
    rest: String,
}

/// The columns of [`ReadRow`], as a select list.
pub(super) const READ_COLUMNS: &str =
    "`id`, `title`, `summary`, `category`, `actors`, `map_lon`, `map_lat`, `rest`";

/// The export cells in `rest`: [`CSV_HEADER`]'s from `start` to `quotes`
/// but `category` (at [`CATEGORY`]), which has a column.
const REST: std::ops::Range<usize> = 3..22;
const CATEGORY: usize = 7;

/// A cell made again on reading (its letter in the record's first field):
/// where it is in [`CSV_HEADER`]. The coordinates are `lat` and `lon`.
const PLACE: (char, usize) = ('p', 8);
const COORDINATES: (char, usize) = ('l', LAT);
const PLACES: (char, usize) = ('P', PLACES_CELL);
const ACTORS: (char, usize) = ('a', 15);
const SOURCES: (char, usize) = ('s', SOURCES_CELL);

/// Cells those are made from, where they are in [`CSV_HEADER`].
const PLACE_NAME: usize = 9;
const KIND: usize = 10;
const COUNTRY: usize = 11;
const LAT: usize = 12;
const LON: usize = 13;
const SOURCE: usize = 19;

/// Makes the rows of a dataset's events.
pub(super) struct RowMaker<'a> {
    dataset: &'a Dataset,
    atlas: &'a Atlas,
}

impl<'a> RowMaker<'a> {
    pub(super) fn new(dataset: &'a Dataset, atlas: &'a Atlas) -> Self {
        Self { dataset, atlas }
    }

    /// The row of `event`, whose days are `days` (ClickHouse `Date`s).
    pub(super) fn row(
        &self,
        event: EventRef<'a>,
        (date, date_end): (u16, u16),
    ) -> Result<PushRow<'a>, RemoteError> {
        let dataset = self.dataset;
        // A facet's values as a file's facet has them: "unknown" where
        // there is none.
        let facet = |facet: Facet| {
            let mut values = values_named(dataset, event, facet);
            if values.is_empty() {
                values.push(facet.unknown());
            }
            values
        };
        let first = |f: Facet| facet(f).into_iter().next().unwrap_or_default();
        let [map_lon, map_lat] = event
            .places()
            .first()
            .and_then(|&p| dataset.place_point(p))
            .unwrap_or([f64::NAN, f64::NAN]);
        // The actor facet's values but "unknown": a search looks in them.
        let actors = values_named(dataset, event, Facet::Actor);
        let layer = first(Facet::Layer);
        let layer = Path::new(layer)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(layer);
        let mut cells = event_cells_but_lists(dataset, self.atlas, event).map_err(rows_error)?;
        // Each check reads the cells as they were made, before any is
        // emptied: reading back makes them again in the same order.
        let place = !cells[PLACE_NAME].is_empty() && cells[PLACE.1] == cells[PLACE_NAME];
        let same = |cell: &str, value: f64| cell.parse().map(f64::to_bits) == Ok(value.to_bits());
        let coordinates =
            !cells[LAT].is_empty() && same(&cells[LAT], map_lat) && same(&cells[LON], map_lon);
        let places = says_its_places(dataset, event);
        if !places {
            cells[PLACES.1] = places_cell(dataset, self.atlas, event)
                .map_err(rows_error)?
                .into();
        }
        let actors_made = cells[ACTORS.1] == actors_cell(&actors).map_err(rows_error)?;
        let sources = one_named_source(event);
        if !sources {
            cells[SOURCES.1] = sources_cell(event).map_err(rows_error)?.into();
        }
        let mut rest = String::with_capacity(256);
        for (made, (flag, at)) in [
            (place, PLACE),
            (coordinates, COORDINATES),
            (places, PLACES),
            (actors_made, ACTORS),
            (sources, SOURCES),
        ] {
            if made {
                rest.push(flag);
                cells[at] = "".into();
                if at == LAT {
                    cells[LON] = "".into();
                }
            }
        }
        let stored = cells[REST]
            .iter()
            .enumerate()
            .filter(|&(i, _)| i + REST.start != CATEGORY)
            .map(|(_, c)| c.as_ref());
        let extra = event.extra();
        for field in stored.chain(extra.iter().flat_map(|(k, v)| [k, v])) {
            rest.push(',');
            push_field(&mut rest, field);
        }
        Ok(PushRow {
            id: event.id(),
            date,
            date_end,
            map_lon,
            map_lat,
            category: dataset.category_name(event.category()),
            fatalities: event.casualties().and_then(|c| c.killed),
            actors,
            countries: facet(Facet::Country),
            sub_type: first(Facet::SubType),
            layer,
            title: event.title(),
            summary: event.summary(),
            texts: search_texts(dataset, event),
            rest,
        })
    }
}

/// The CSV export of `rows` (header and rows), which chronomap's table
/// loader reads as the events that were pushed.
///
/// # Errors
/// [`RemoteError::Rows`] when a row's `rest` is not one a push wrote.
pub(super) fn export_csv(rows: &[ReadRow]) -> Result<Vec<u8>, RemoteError> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    out.write_record(CSV_HEADER).map_err(rows_error)?;
    for row in rows {
        out.write_record(cells_of(row)?).map_err(rows_error)?;
    }
    out.into_inner()
        .map_err(|e| RemoteError::Rows(e.to_string()))
}

/// The export's cells of a row read back.
fn cells_of(row: &ReadRow) -> Result<Vec<String>, RemoteError> {
    let broken = || {
        RemoteError::Rows(format!(
            "event '{}': its `rest` is not one chronomap push wrote",
            row.id
        ))
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(row.rest.as_bytes());
    let mut record = csv::StringRecord::new();
    let stored = REST.len() - 1;
    if !reader.read_record(&mut record).map_err(rows_error)? || record.len() < 1 + stored {
        return Err(broken());
    }
    let flags = &record[0];
    let mut cells: Vec<String> = Vec::with_capacity(CSV_HEADER.len());
    cells.extend([row.id.clone(), row.title.clone(), row.summary.clone()]);
    cells.extend(record.iter().skip(1).take(stored).map(str::to_owned));
    cells.insert(CATEGORY, row.category.clone());
    let extra: Vec<[&str; 2]> = record
        .iter()
        .skip(1 + stored)
        .collect::<Vec<_>>()
        .chunks(2)
        .map(|pair| [pair[0], pair.get(1).copied().unwrap_or_default()])
        .collect();
    let made = |flag: char| flags.contains(flag);
    if made(PLACE.0) {
        cells[PLACE.1] = cells[PLACE_NAME].clone();
    }
    if made(COORDINATES.0) {
        let [lon, lat] = coordinates(row.map_lon, row.map_lat);
        cells[LAT] = lat;
        cells[LON] = lon;
    }
    if made(PLACES.0) {
        let fixed: &[String; 22] = cells[..].try_into().map_err(|_| broken())?;
        cells[PLACES.1] = one_place(fixed)?;
    }
    if made(ACTORS.0) {
        cells[ACTORS.1] = actors_cell(&row.actors).map_err(rows_error)?;
    }
    if made(SOURCES.0) {
        cells[SOURCES.1] = one_source(&cells[SOURCE])?;
    }
    cells.push(extra_cell(&extra).map_err(rows_error)?);
    Ok(cells)
}

/// A row's `lon` and `lat` cells where they are the map's point (empty
/// where there is none).
fn coordinates(lon: f64, lat: f64) -> [String; 2] {
    if lon.is_finite() && lat.is_finite() {
        [lon.to_string(), lat.to_string()]
    } else {
        Default::default()
    }
}

/// Whether the place cells say all the export's `places` list holds: the
/// event has no place, or one that is a point (or unlocated) with its
/// country's name given if any, which [`one_place`] writes as the export
/// does.
fn says_its_places(dataset: &Dataset, event: EventRef<'_>) -> bool {
    match event.places() {
        [] => true,
        [one] => dataset.place(*one).is_some_and(|place| {
            matches!(place.location, None | Some(Location::Point { .. }))
                && place.country.is_none_or(|c| !c.is_empty())
                // The export writes a precision the kind does not say.
                && place.precision.radius_km.is_none()
                && place.precision_beyond_kind().is_none()
        }),
        _ => false,
    }
}

/// Whether the export's `sources` list holds one source known by its name
/// alone, which [`one_source`] writes as the export does.
fn one_named_source(event: EventRef<'_>) -> bool {
    let sources = event.sources();
    let mut all = sources.iter();
    match (all.next(), all.next()) {
        (Some(only), None) => !only.name.is_empty() && only.kind.is_none() && only.url.is_none(),
        _ => false,
    }
}

/// The `places` list of the one place the place cells say, as the export
/// writes it ("[]" where they say none).
fn one_place(cells: &[impl AsRef<str>; 22]) -> Result<String, RemoteError> {
    #[derive(serde::Serialize)]
    struct Place<'a> {
        name: &'a str,
        kind: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        country: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        lon: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        lat: Option<f64>,
    }
    let [name, kind, country, lat, lon] =
        [PLACE_NAME, KIND, COUNTRY, LAT, LON].map(|i| cells[i].as_ref());
    if name.is_empty() && kind.is_empty() {
        return Ok("[]".to_owned());
    }
    let place = Place {
        name,
        kind,
        country: (!country.is_empty()).then_some(country),
        lon: lon.parse().ok(),
        lat: lat.parse().ok(),
    };
    serde_json::to_string(&[place]).map_err(|e| RemoteError::Rows(e.to_string()))
}

/// The `sources` list of one source known by its name alone.
fn one_source(name: &str) -> Result<String, RemoteError> {
    #[derive(serde::Serialize)]
    struct Source<'a> {
        name: &'a str,
    }
    serde_json::to_string(&[Source { name }]).map_err(|e| RemoteError::Rows(e.to_string()))
}

/// The texts a search looks in that have no column of their own (the
/// title, summary, category and actors do), one per line: every place's
/// name, every source's, every quote. A search word holds no line break,
/// so it never matches across two.
fn search_texts(dataset: &Dataset, event: EventRef<'_>) -> String {
    let mut text = String::new();
    let mut add = |t: &str| {
        if !t.is_empty() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(t);
        }
    };
    for place in event.places().iter().filter_map(|&p| dataset.place(p)) {
        add(place.name);
    }
    for source in event.sources().iter() {
        add(source.name);
    }
    for quote in event.quotes() {
        add(&quote.text);
    }
    text
}

/// Adds `field` to a CSV record, quoted where it must be (RFC 4180; the
/// csv crate reads it back). Written here rather than by `csv::Writer`,
/// which took a quarter of a push's time making rows: 1.1 µs a row of 4.2
/// (perf, 1M ACLED rows), where a row's own string is what is needed.
fn push_field(record: &mut String, field: &str) {
    if field
        .bytes()
        .any(|b| matches!(b, b'"' | b',' | b'\n' | b'\r'))
    {
        record.push('"');
        for (i, part) in field.split('"').enumerate() {
            if i > 0 {
                record.push_str("\"\"");
            }
            record.push_str(part);
        }
        record.push('"');
    } else {
        record.push_str(field);
    }
}

fn rows_error(e: impl std::fmt::Display) -> RemoteError {
    RemoteError::Rows(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::event_row;
    use crate::load::{Loader, Source};

    /// The datasets the tests push: the seed, and files with areas,
    /// regions, lists of places, sources and quotes, odd actors and extra
    /// fields.
    fn datasets() -> Vec<Dataset> {
        let atlas = Atlas::embedded();
        let mut all = vec![crate::load::embedded(atlas).expect("the seed").dataset];
        for path in [
            "tests/fixtures/acled/current_schema.csv",
            "tests/fixtures/geojson/areas.geojson",
            "tests/fixtures/geojson/exported_fields.geojson",
            "tests/fixtures/geojson/osint_events.geojson",
            "tests/fixtures/table/places_list.csv",
            "tests/fixtures/misc/scripts.json",
        ] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
            let bytes = std::fs::read(&path).expect("fixture");
            let loaded = Loader::new(atlas)
                .load(Source::bytes(&path.to_string_lossy(), &bytes))
                .expect("loads");
            assert!(!loaded.dataset.events.is_empty(), "{}", path.display());
            all.push(loaded.dataset);
        }
        all
    }

    /// What the server gives back of a pushed row.
    fn read_back(row: &PushRow<'_>) -> ReadRow {
        ReadRow {
            id: row.id.to_owned(),
            title: row.title.to_owned(),
            summary: row.summary.to_owned(),
            category: row.category.to_owned(),
            actors: row.actors.iter().map(|a| (*a).to_owned()).collect(),
            map_lon: row.map_lon,
            map_lat: row.map_lat,
            rest: row.rest.clone(),
        }
    }

    /// Every event reads back as the export's very cells, whichever of them
    /// were left to be made again.
    #[test]
    fn a_row_reads_back_as_the_export_writes_the_event() {
        let atlas = Atlas::embedded();
        let mut made = String::new();
        for dataset in datasets() {
            let maker = RowMaker::new(&dataset, atlas);
            for event in dataset.events.iter() {
                let row = maker.row(event, (1, 2)).expect("a row");
                let flags = row.rest.split(',').next().unwrap_or_default().to_owned();
                made.push_str(&flags);
                let cells = cells_of(&read_back(&row)).expect("read back");
                let expected = event_row(&dataset, atlas, event).expect("cells");
                assert_eq!(cells, expected, "{} ({flags})", event.id());
            }
        }
        // The rows do leave cells out.
        for flag in ['p', 'l', 'P', 'a', 's'] {
            assert!(made.contains(flag), "{flag} in {made}");
        }
    }

    /// A plain ACLED row keeps each cell once: what its columns hold is
    /// not in `rest`, and the extra fields are names and values.
    #[test]
    fn a_plain_row_holds_each_cell_once() {
        let atlas = Atlas::embedded();
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/acled/current_schema.csv");
        let bytes = std::fs::read(&path).expect("fixture");
        let dataset = Loader::new(atlas)
            .load(Source::bytes("current_schema.csv", &bytes))
            .expect("loads")
            .dataset;
        // A town's own point (geo_precision 1): its places list is the
        // place cells'.
        let event = dataset
            .find_event("SOM49700")
            .and_then(|i| dataset.event(i))
            .expect("the event");
        let row = RowMaker::new(&dataset, atlas)
            .row(event, (1, 2))
            .expect("a row");
        assert!(row.rest.starts_with("plPas,"), "{}", row.rest);
        assert!(!row.rest.contains(event.title()), "{}", row.rest);
        assert!(!row.rest.contains('['), "no JSON: {}", row.rest);
        let (key, value) = event.extra().iter().next().expect("extra fields");
        assert!(
            row.rest.contains(&format!(",{key},{value}")),
            "{}",
            row.rest
        );
        assert_eq!(row.layer, "current_schema.csv");
        assert_eq!(
            row.actors,
            event
                .actors()
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
        );
    }

    /// A row holds the columns its table is made with, in that order.
    #[test]
    fn a_row_holds_the_columns_its_table_is_made_with() {
        assert_eq!(<PushRow<'_> as clickhouse::Row>::COLUMN_NAMES, COLUMNS);
        let schema = push_schema("`db`.`t`");
        let mut at = 0;
        for name in COLUMNS {
            let found = schema[at..].find(&format!("`{name}` ")).map(|i| i + at);
            assert!(found.is_some(), "{name} in order in {schema}");
            at = found.unwrap_or(at);
        }
        let read: Vec<String> = READ_COLUMNS
            .split(", ")
            .map(|c| c.trim_matches('`').to_owned())
            .collect();
        assert_eq!(<ReadRow as clickhouse::Row>::COLUMN_NAMES, read);
    }
}
