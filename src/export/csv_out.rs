//! Events as a plain CSV table whose header chronomap's table loader
//! recognises (`id,title,summary,start,end,…,place,country,lat,lon,…`).
//!
//! One row per event. A table has room for one location, so the first
//! place is written in `place`/`lat`/`lon` and all places' names in
//! `places`. A province or country is written by its code in `place`
//! (`AF-KHO`), which the gazetteer resolves to that very region even where
//! a city shares its name (Khost); `place_name` keeps the name for people.

use super::{end_text, precision_name, start_text};
use crate::atlas::Atlas;
use crate::model::{Dataset, Event, EventIdx, Location, Place};

/// The header, in order.
const HEADER: [&str; 19] = [
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
    "source",
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
    writer.write_record(HEADER)?;
    for event in events.iter().filter_map(|&i| dataset.event(i)) {
        writer.write_record(row(dataset, atlas, event))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn row(dataset: &Dataset, atlas: &Atlas, event: &Event) -> Vec<String> {
    let first = event.places.first().and_then(|&p| dataset.place(p));
    let [place, place_name, kind, country, lat, lon] = place_cells(atlas, first);
    let names: Vec<&str> = event
        .places
        .iter()
        .filter_map(|&p| dataset.place(p))
        .map(|p| p.name.as_str())
        .collect();
    let casualties = event.casualties.clone().unwrap_or_default();
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    vec![
        event.id.clone(),
        event.title.clone(),
        event.summary.clone(),
        start_text(&event.date),
        end_text(&event.date).unwrap_or_default(),
        precision_name(event.date.precision).to_owned(),
        event.date.wording.clone().unwrap_or_default(),
        dataset.category_name(event.category).to_owned(),
        place,
        place_name,
        kind,
        country,
        lat,
        lon,
        names.join("; "),
        event.actors.join("; "),
        number(casualties.killed),
        number(casualties.injured),
        event
            .sources
            .first()
            .map(|s| s.name.clone())
            .unwrap_or_default(),
    ]
}

/// `place, place_name, kind, country, lat, lon` for a place (all empty for none).
fn place_cells(atlas: &Atlas, place: Option<&Place>) -> [String; 6] {
    let Some(place) = place else {
        return Default::default();
    };
    let country = place.country.clone().unwrap_or_default();
    let kind = format!("{:?}", place.kind).to_lowercase();
    let name = place.name.clone();
    match &place.location {
        Some(Location::Point {
            lon_lat: [lon, lat],
        }) => [
            name.clone(),
            name,
            kind,
            country,
            lat.to_string(),
            lon.to_string(),
        ],
        Some(Location::Region(id)) => {
            let code = atlas
                .region(*id)
                .map(|r| r.code.clone())
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| name.clone());
            [code, name, kind, country, String::new(), String::new()]
        }
        None => [
            name.clone(),
            name,
            kind,
            country,
            String::new(),
            String::new(),
        ],
    }
}
