//! GeoJSON event files: points, polygons, null geometries, property names,
//! swapped coordinates, a file cut off in the middle.

use std::path::PathBuf;

use chronomap::atlas::{Atlas, RegionLevel};
use chronomap::load::{ColumnMapping, LoadOptions, Loaded, load_path, load_path_with};
use chronomap::model::{Event, Location, Precision};

mod common;
use common::{day, location, problems};

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/geojson")
        .join(name)
}

fn load(name: &str) -> Loaded {
    load_path(&path(name), Atlas::embedded()).expect("the fixture loads")
}

fn titled<'a>(loaded: &'a Loaded, title: &str) -> &'a Event {
    loaded
        .dataset
        .events
        .iter()
        .find(|e| e.title == title)
        .expect("event present")
}

#[test]
fn points_are_lon_lat_and_dates_are_day_first() {
    let loaded = load("osint_events.geojson");
    assert_eq!(loaded.report.format, "GeoJSON");
    assert_eq!((loaded.report.rows, loaded.report.events), (8, 7));
    let strike = titled(&loaded, "Strike on Kharkiv");
    assert_eq!(
        strike.date.start,
        day("2025-10-26"),
        "26/10/25 is day-first"
    );
    assert_eq!(
        location(&loaded, strike),
        Some(&Location::Point {
            lon_lat: [36.2304, 49.9935]
        })
    );
    assert_eq!(
        loaded.dataset.category_name(strike.category),
        "Missile strike"
    );
    assert_eq!(
        strike.sources.first().and_then(|s| s.url.as_deref()),
        Some("https://example.org/kharkiv")
    );
    let extra: Vec<(&str, &str)> = strike.extra.iter().collect();
    assert_eq!(extra, [("verification", "verified")]);
    let epoch = titled(&loaded, "Epoch ms");
    assert_eq!(epoch.date.start, day("2025-08-16"));
}

#[test]
fn null_geometry_and_polygons_resolve_by_name() {
    let loaded = load("osint_events.geojson");
    let khost = titled(&loaded, "Clash near Khost");
    assert_eq!(khost.date.start, day("2025-08-02"));
    assert!(
        location(&loaded, khost).is_some(),
        "Khost resolves through the gazetteer"
    );
    let floods = titled(&loaded, "Floods across Punjab");
    match location(&loaded, floods) {
        Some(Location::Region(id)) => assert_eq!(id.level, RegionLevel::Province),
        other => panic!("Punjab should be its province polygon, got {other:?}"),
    }
    let area = titled(&loaded, "An area");
    assert_eq!(
        location(&loaded, area),
        Some(&Location::Point {
            lon_lat: [1.0, 1.0]
        })
    );
    assert_eq!(area.date.precision, Precision::Range);
    assert_eq!(
        (area.date.start, area.date.end),
        (day("2025-08-18"), day("2025-08-20"))
    );
    assert_eq!(area.casualties.as_ref().and_then(|c| c.killed), Some(3));
    assert!(
        area.extra
            .iter()
            .any(|(k, v)| (k, v) == ("geometry", "MultiPolygon, shown at one point"))
    );
    let nowhere = titled(&loaded, "Nowhere");
    assert!(nowhere.places.is_empty());
}

#[test]
fn problems_name_the_feature_line() {
    let loaded = load("osint_events.geojson");
    assert_eq!(
        problems(&loaded),
        [
            (
                21,
                "geometry",
                "latitude 135.1 out of range (the coordinates look swapped: GeoJSON is [longitude, latitude]); the place is looked up by name"
            ),
            (
                24,
                "date",
                "missing; an event needs a date (the feature is skipped)"
            ),
            (
                31,
                "geometry",
                "no geometry and no place name; the event is on the timeline only"
            ),
        ]
    );
}

#[test]
fn a_cut_off_file_keeps_the_features_before_the_cut() {
    let loaded = load("truncated.geojson");
    assert_eq!(loaded.report.events, 4);
    let last = problems(&loaded).last().copied().expect("a problem");
    assert_eq!(last.0, 27);
    assert_eq!(last.1, "features");
    assert!(
        last.2
            .starts_with("the file is broken or cut off here (EOF while parsing"),
        "{}",
        last.2
    );
    assert!(
        last.2.ends_with("the 4 features before it were read"),
        "{}",
        last.2
    );
}

#[test]
fn a_single_feature_and_the_user_mapping() {
    let loaded = load("single_feature.geojson");
    let shelling = titled(&loaded, "Shelling in Khartoum");
    assert_eq!(shelling.date.start, day("2025-03-21"));
    assert_eq!(shelling.actors, ["RSF"]);
    assert_eq!(shelling.summary, "Shelling reported.");
    let options = LoadOptions {
        mapping: Some(ColumnMapping {
            title: Some("description".into()),
            ..ColumnMapping::default()
        }),
        ..LoadOptions::default()
    };
    let mapped = load_path_with(&path("single_feature.geojson"), Atlas::embedded(), &options)
        .expect("loads");
    assert_eq!(
        mapped.dataset.events.first().map(|e| e.title.as_str()),
        Some("Shelling reported.")
    );
}
