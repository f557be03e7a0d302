//! Events out of chronomap: the events that pass the user's filters, as a
//! plain CSV table or a GeoJSON FeatureCollection that chronomap's own
//! loaders read again; and the one safe way to write any output file
//! ([`write_atomic`]), an animation ([`write_animation`]) or a set of
//! frames ([`FrameFolder`]).
//!
//! Both hold everything an event holds, so the round trip loses nothing:
//! the date (a day as `YYYY-MM-DD`, a month as `YYYY-MM`, a year as `YYYY`,
//! a range as a start and an end, with its `precision` and `wording`),
//! every place, casualties, sources, quotes and extra fields. Lists are
//! JSON: a CSV cell holds the JSON text, a GeoJSON property the JSON
//! itself. `data/FORMAT.md` lists the columns.
//!
//! Places are the place objects of chronomap's JSON format: a point keeps
//! its exact coordinates, and a province or country carries a `code` the
//! gazetteer resolves to that very region (Khost province, not the city),
//! and an area the file drew carries its outline as a GeoJSON `geometry`.

mod animation;
mod atomic;
mod csv_out;
mod frames;
mod geojson_out;

use std::path::Path;

pub use animation::{
    AnimationError, AnimationOut, AnimationWritten, Held, write_animation, write_held_animation,
};
pub use atomic::{WriteError, remove_stale_temps, write_atomic, write_atomic_with};
pub use csv_out::{
    CSV_HEADER, PLACES_CELL, SOURCES_CELL, actors_cell, event_cells, event_cells_but_lists,
    event_row, events_csv, extra_cell, places_cell, sources_cell,
};
pub use frames::{FrameFolder, Replaced, frame_name, frames_in, is_frame_name};
pub use geojson_out::events_geojson;

use crate::atlas::{Atlas, PlaceKind, PlaceQuery, Region, Resolved};
use crate::model::{
    DateSpan, EventRef, Location, LocationPrecision, PlaceRef, PolygonLonLat, Precision,
};

/// The formats events can be exported in.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum EventFormat {
    /// A plain CSV table (`.csv`).
    Csv,
    /// A GeoJSON FeatureCollection (`.geojson`, `.json`).
    GeoJson,
}

impl EventFormat {
    /// The format a path's extension asks for.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_lowercase();
        match ext.as_str() {
            "csv" => Some(Self::Csv),
            "geojson" | "json" => Some(Self::GeoJson),
            _ => None,
        }
    }
}

/// `start` and `end` as the loaders read them back: a whole calendar year
/// as `YYYY`, a whole month as `YYYY-MM`, else days; the end only where the
/// start does not imply it.
fn date_cells(date: &DateSpan) -> (String, Option<String>) {
    let (y, m, _) = date.start.ymd();
    let whole =
        |span: Option<DateSpan>| span.is_some_and(|s| (s.start, s.end) == (date.start, date.end));
    let (start, implied_end) = match date.precision {
        Precision::Year if whole(DateSpan::year(y)) => (format!("{y:04}"), date.end),
        Precision::Month if whole(DateSpan::month(y, m)) => (format!("{y:04}-{m:02}"), date.end),
        _ => (date.start.to_string(), date.start),
    };
    (
        start,
        (date.end != implied_end).then(|| date.end.to_string()),
    )
}

/// A place as the `places` list holds it: chronomap JSON's place object,
/// with `code` for a region.
#[derive(serde::Serialize)]
struct PlaceOut<'a> {
    name: &'a str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lat: Option<f64>,
    /// An area's outline, as a GeoJSON geometry.
    #[serde(skip_serializing_if = "Option::is_none")]
    geometry: Option<serde_json::Value>,
    /// How precisely the source placed it, where that is not what its
    /// kind and location say already.
    #[serde(skip_serializing_if = "Option::is_none")]
    precision: Option<&'static str>,
    /// How far from its point the event may lie, where the source said.
    #[serde(skip_serializing_if = "Option::is_none")]
    radius_km: Option<f32>,
}

/// Every place of an event, in order, as the `places` list holds them.
fn places_out<'a>(
    dataset: &'a crate::model::Dataset,
    atlas: &Atlas,
    event: EventRef<'_>,
) -> Vec<PlaceOut<'a>> {
    event
        .places()
        .iter()
        .filter_map(|&p| dataset.place(p))
        .map(|place| place_out(atlas, place))
        .collect()
}

fn place_out<'a>(atlas: &Atlas, place: PlaceRef<'a>) -> PlaceOut<'a> {
    let country = place.country.map(|c| c.as_str());
    let mut out = PlaceOut {
        name: place.name,
        kind: place.kind.name(),
        country,
        code: None,
        lon: None,
        lat: None,
        geometry: None,
        radius_km: place.precision.radius_km,
        precision: place.precision_beyond_kind().map(LocationPrecision::name),
    };
    match place.location {
        Some(Location::Point {
            lon_lat: [lon, lat],
        }) => (out.lon, out.lat) = (Some(lon), Some(lat)),
        Some(Location::Region(id)) => {
            out.code = atlas
                .region(id)
                .and_then(|r| region_code(atlas, r, country, Some(r.id.level.place_kind())));
        }
        Some(Location::Area(area)) => out.geometry = polygons_geometry(area.polygons()),
        None => {}
    }
    out
}

/// Polygons in degrees as GeoJSON: a Polygon, or a MultiPolygon for
/// several parts; `None` for none.
fn polygons_geometry(polygons: &[PolygonLonLat]) -> Option<serde_json::Value> {
    match polygons {
        [] => None,
        [one] => Some(serde_json::json!({ "type": "Polygon", "coordinates": one })),
        _ => Some(serde_json::json!({ "type": "MultiPolygon", "coordinates": polygons })),
    }
}

/// A code of `region` that the gazetteer, asked with `country` and `kind`,
/// resolves to that very region: its ISO code, or where another region
/// shares that (Lord Howe Island is `AU-NSW` too), one of its other codes.
fn region_code(
    atlas: &Atlas,
    region: &Region,
    country: Option<&str>,
    kind: Option<PlaceKind>,
) -> Option<String> {
    let resolves = |code: &&String| {
        let query = PlaceQuery {
            name: code,
            country: country.filter(|c| !c.is_empty()),
            kind,
        };
        !code.is_empty() && atlas.resolve(&query) == Some(Resolved::Region(region.id))
    };
    std::iter::once(&region.code)
        .chain(&region.alt_codes)
        .find(resolves)
        .cloned()
}

/// The extra fields as `[field, value]` pairs, in order.
fn extra_pairs(event: EventRef<'_>) -> Vec<[&str; 2]> {
    event.extra().iter().map(|(k, v)| [k, v]).collect()
}

/// An empty folder of the system's temporary one for a test, named after
/// the module and the test, and this process.
#[cfg(test)]
pub(crate) fn scratch(module: &str, name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("chronomap-{module}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// The names in a folder, sorted (for the tests of what a write left).
#[cfg(test)]
pub(crate) fn sorted_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Day;

    #[test]
    fn dates_are_written_at_their_precision() {
        let nov = DateSpan::month(2025, 11).unwrap_or_else(|| DateSpan::day(Day(0)));
        assert_eq!(date_cells(&nov), ("2025-11".into(), None));
        let year = DateSpan::year(2025).unwrap_or_else(|| DateSpan::day(Day(0)));
        assert_eq!(date_cells(&year), ("2025".into(), None));
        let range = DateSpan::range(Day(20_416), Day(20_418), None);
        assert_eq!(
            date_cells(&range),
            ("2025-11-24".into(), Some("2025-11-26".into()))
        );
        assert_eq!(
            date_cells(&DateSpan::day(Day(20_416))),
            ("2025-11-24".into(), None)
        );
        // A "month" that is not a calendar month keeps its days.
        let odd = DateSpan {
            precision: Precision::Month,
            ..range
        };
        assert_eq!(
            date_cells(&odd),
            ("2025-11-24".into(), Some("2025-11-26".into()))
        );
    }

    #[test]
    fn region_codes_resolve_to_that_very_region() {
        let atlas = Atlas::embedded();
        let region = |name: &str, code: &str| {
            atlas
                .provinces
                .iter()
                .find(|r| r.name == name && r.code == code)
                .unwrap_or_else(|| panic!("{name} is in the atlas"))
        };
        let khost = region("Khost", "AF-KHO");
        let kind = Some(PlaceKind::Province);
        assert_eq!(
            region_code(atlas, khost, Some("AF"), kind).as_deref(),
            Some("AF-KHO")
        );
        // Lord Howe Island shares AU-NSW with New South Wales.
        let lord_howe = region("Lord Howe Island", "AU-NSW");
        let code = region_code(atlas, lord_howe, Some("AU"), kind);
        assert_eq!(code.as_deref(), Some("AUS-2659"));
    }
}
