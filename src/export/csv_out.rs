//! Events as a plain CSV table whose header chronomap's table loader
//! recognises (`id,title,summary,start,end,…,place,country,lat,lon,…`).
//!
//! One row per event. `places` holds every place as a JSON list; the first
//! place is also written in `place`/`lat`/`lon` for people and other tools
//! (a province or country by a code the gazetteer resolves to that very
//! region, even where a city shares its name: `AF-KHO` for Khost province;
//! `place_name` keeps the name). `sources`, `quotes` and `extra` are JSON
//! lists too, and `actors` is one where a name holds a `;`.

use std::borrow::Cow;

use super::{date_cells, extra_pairs, places_out, region_code};
use crate::atlas::Atlas;
use crate::model::{Dataset, EventIdx, EventRef, Location, Notes, PlaceRef};

/// The header, in order: also the fields of a table `chronomap push`
/// writes.
pub const CSV_HEADER: [&str; 23] = [
    "id",
    "title",
    "summary",
    "start",
    "end",
    "precision",
    "wording",
    "category",
    "place",
    "place_name",
    "kind",
    "country",
    "lat",
    "lon",
    "places",
    "actors",
    "killed",
    "injured",
    "casualty_detail",
    "source",
    "sources",
    "quotes",
    "extra",
];

/// The column of the user's notes, after [`CSV_HEADER`] when they are
/// written: read back as an extra field, never as the event's own text.
pub const NOTE_COLUMN: &str = "note";

/// The events `events` of `dataset` as CSV text (RFC 4180 quoting, `\n`
/// line ends), in the order given; with `notes`, each event's note in a
/// last [`NOTE_COLUMN`].
///
/// # Errors
/// Only if the CSV writer fails, which it does not on memory.
pub fn events_csv(
    dataset: &Dataset,
    atlas: &Atlas,
    events: &[EventIdx],
    notes: Option<&Notes>,
) -> Result<String, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut header = CSV_HEADER.to_vec();
    header.extend(notes.map(|_| NOTE_COLUMN));
    writer.write_record(header)?;
    for event in events.iter().filter_map(|&i| dataset.event(i)) {
        let mut row = event_row(dataset, atlas, event)?;
        if let Some(notes) = notes {
            row.push(notes.get(event.id()).unwrap_or_default().to_owned());
        }
        writer.write_record(row)?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// One event's cells under [`CSV_HEADER`] (also what `chronomap push`
/// stores of it).
///
/// # Errors
/// Only if a JSON list cannot be written, which it can on memory.
pub fn event_row(
    dataset: &Dataset,
    atlas: &Atlas,
    event: EventRef<'_>,
) -> Result<Vec<String>, csv::Error> {
    let mut row = Vec::with_capacity(CSV_HEADER.len());
    row.extend(event_cells(dataset, atlas, event)?.map(Cow::into_owned));
    row.push(extra_cell(&extra_pairs(event))?);
    Ok(row)
}

/// The cells of [`event_row`] but the last, `extra`: the event's extra
/// fields, which [`extra_pairs`](super::extra_pairs) gives as they are
/// and [`extra_cell`] writes.
///
/// # Errors
/// As [`event_row`].
pub fn event_cells<'a>(
    dataset: &'a Dataset,
    atlas: &Atlas,
    event: EventRef<'a>,
) -> Result<[Cow<'a, str>; 22], csv::Error> {
    let mut cells = event_cells_but_lists(dataset, atlas, event)?;
    cells[PLACES_CELL] = places_cell(dataset, atlas, event)?.into();
    cells[SOURCES_CELL] = sources_cell(event)?.into();
    Ok(cells)
}

/// Where [`event_cells`] has the `places` and `sources` lists.
pub const PLACES_CELL: usize = 14;
pub const SOURCES_CELL: usize = 20;

/// [`event_cells`] with the `places` and `sources` lists left empty, for a
/// caller that writes them only where the other cells do not say them.
///
/// # Errors
/// As [`event_row`].
pub fn event_cells_but_lists<'a>(
    dataset: &'a Dataset,
    atlas: &Atlas,
    event: EventRef<'a>,
) -> Result<[Cow<'a, str>; 22], csv::Error> {
    let date = event.date();
    let (start, end) = date_cells(&date);
    let first = event.places().first().and_then(|&p| dataset.place(p));
    let [place, place_name, kind, country, lat, lon] = place_cells(atlas, first);
    let casualties = event.casualties().unwrap_or_default();
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    Ok([
        event.id().into(),
        event.title().into(),
        event.summary().into(),
        start.into(),
        end.unwrap_or_default().into(),
        date.precision.name().into(),
        match date.wording {
            Some(wording) => wording.to_string().into(),
            None => "".into(),
        },
        dataset.category_name(event.category()).into(),
        place.into(),
        place_name.into(),
        kind.into(),
        country.into(),
        lat.into(),
        lon.into(),
        "".into(),
        actors_cell(event.actors())?.into(),
        number(casualties.killed).into(),
        number(casualties.injured).into(),
        casualties
            .detail
            .map(|d| d.to_string())
            .unwrap_or_default()
            .into(),
        event.sources().first().map_or("", |s| s.name).into(),
        "".into(),
        json_list(event.quotes())?.into(),
    ])
}

/// The `places` cell: every place as a JSON list.
///
/// # Errors
/// As [`event_row`].
pub fn places_cell(
    dataset: &Dataset,
    atlas: &Atlas,
    event: EventRef<'_>,
) -> Result<String, csv::Error> {
    serde_json::to_string(&places_out(dataset, atlas, event)).map_err(json_error)
}

/// The `sources` cell: every source as a JSON list (empty for none).
///
/// # Errors
/// As [`event_row`].
pub fn sources_cell(event: EventRef<'_>) -> Result<String, csv::Error> {
    json_cell(event.sources().is_empty(), &event.sources())
}

/// The `extra` cell of `[field, value]` pairs.
///
/// # Errors
/// As [`event_row`].
pub fn extra_cell(pairs: &[[&str; 2]]) -> Result<String, csv::Error> {
    json_list(pairs)
}

/// A list as JSON text; an empty list as an empty cell.
fn json_list<T: serde::Serialize>(items: &[T]) -> Result<String, csv::Error> {
    json_cell(items.is_empty(), items)
}

/// A JSON cell for a list, empty when it has no items.
fn json_cell(empty: bool, list: &(impl serde::Serialize + ?Sized)) -> Result<String, csv::Error> {
    if empty {
        return Ok(String::new());
    }
    serde_json::to_string(list).map_err(json_error)
}

/// Actors separated by `; ` where that reads back as the same names, else
/// a JSON list.
pub fn actors_cell<A: AsRef<str> + serde::Serialize>(actors: &[A]) -> Result<String, csv::Error> {
    if actors.iter().all(|a| reads_back_plain(a.as_ref())) {
        let mut cell = String::new();
        for (i, a) in actors.iter().enumerate() {
            if i > 0 {
                cell.push_str("; ");
            }
            cell.push_str(a.as_ref());
        }
        return Ok(cell);
    }
    serde_json::to_string(actors).map_err(json_error)
}

/// Whether the table loader reads `name` back as itself from a `;` list:
/// no `;`, no space around it, not starting like JSON, and not one of the
/// cells it takes for "no value" ([`crate::load::is_null`]).
fn reads_back_plain(name: &str) -> bool {
    !name.contains(';')
        && !name.starts_with('[')
        && name.trim() == name
        && !crate::load::is_null(name)
}

fn json_error(e: serde_json::Error) -> csv::Error {
    csv::Error::from(std::io::Error::other(e))
}

/// `place, place_name, kind, country, lat, lon` for a place (all empty for none).
fn place_cells(atlas: &Atlas, place: Option<PlaceRef<'_>>) -> [String; 6] {
    let Some(place) = place else {
        return Default::default();
    };
    let country = place
        .country
        .map(|c| c.as_str())
        .unwrap_or_default()
        .to_owned();
    let kind = place.kind.name().to_owned();
    let name = place.name.to_string();
    // An area's centre stands for it in lat/lon, for tools that read only
    // those; its outline is in the `places` column.
    let (code, [lon, lat]) = match &place.location {
        Some(Location::Point { lon_lat }) => (None, lon_lat.map(|v| v.to_string())),
        Some(Location::Area(area)) => (None, area.center_lon_lat().map(|v| v.to_string())),
        // Asked as this column is read: with the country, without a kind.
        Some(Location::Region(id)) => (
            Some(
                atlas
                    .region(*id)
                    .and_then(|r| {
                        region_code(atlas, r, place.country.map(|c| c.as_str()), None)
                            .or_else(|| Some(r.code.clone()).filter(|c| !c.is_empty()))
                    })
                    .unwrap_or_else(|| name.clone()),
            ),
            Default::default(),
        ),
        None => (None, Default::default()),
    };
    [
        code.unwrap_or_else(|| name.clone()),
        name,
        kind,
        country,
        lat,
        lon,
    ]
}
