//! Events as a plain CSV table whose header chronomap's table loader
//! recognises (`id,title,summary,start,end,…,place,country,lat,lon,…`).
//!
//! One row per event. `places` holds every place as a JSON list; the first
//! place is also written in `place`/`lat`/`lon` for people and other tools
//! (a province or country by a code the gazetteer resolves to that very
//! region, even where a city shares its name: `AF-KHO` for Khost province;
//! `place_name` keeps the name). `sources`, `quotes` and `extra` are JSON
//! lists too, and `actors` is one where a name holds a `;`.

use super::{date_cells, extra_pairs, places_out, region_code};
use crate::atlas::Atlas;
use crate::model::{Dataset, EventIdx, EventRef, Location, PlaceRef};

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

/// The events `events` of `dataset` as CSV text (RFC 4180 quoting, `\n`
/// line ends), in the order given.
///
/// # Errors
/// Only if the CSV writer fails, which it does not on memory.
pub fn events_csv(
    dataset: &Dataset,
    atlas: &Atlas,
    events: &[EventIdx],
) -> Result<String, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    for event in events.iter().filter_map(|&i| dataset.event(i)) {
        writer.write_record(event_row(dataset, atlas, event)?)?;
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
    let date = event.date();
    let (start, end) = date_cells(&date);
    let first = event.places().first().and_then(|&p| dataset.place(p));
    let [place, place_name, kind, country, lat, lon] = place_cells(atlas, first);
    let casualties = event.casualties().unwrap_or_default();
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    Ok(vec![
        event.id().to_string(),
        event.title().to_string(),
        event.summary().to_string(),
        start,
        end.unwrap_or_default(),
        date.precision.name().to_owned(),
        date.wording.as_deref().unwrap_or_default().to_owned(),
        dataset.category_name(event.category()).to_owned(),
        place,
        place_name,
        kind,
        country,
        lat,
        lon,
        serde_json::to_string(&places_out(dataset, atlas, event)).map_err(json_error)?,
        actors_cell(event.actors())?,
        number(casualties.killed),
        number(casualties.injured),
        casualties.detail.map(|d| d.to_string()).unwrap_or_default(),
        event
            .sources()
            .first()
            .map(|s| s.name.to_string())
            .unwrap_or_default(),
        json_cell(event.sources().is_empty(), &event.sources())?,
        json_list(event.quotes())?,
        json_list(&extra_pairs(event))?,
    ])
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
fn actors_cell(actors: &[crate::model::Name]) -> Result<String, csv::Error> {
    if actors.iter().all(|a| reads_back_plain(a)) {
        return Ok(actors.join("; "));
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
