//! GeoJSON event files: points, polygons, null geometries, property names,
//! swapped coordinates, a file cut off in the middle.

use std::path::PathBuf;

use chronomap::atlas::{Atlas, PlaceKind, RegionLevel, world_from_lon_lat};
use chronomap::load::{ColumnMapping, LoadError, LoadOptions, Loaded, Loader, ProblemKind};
use chronomap::model::{Casualties, Location, Precision, Quote, Source};

use crate::common;
use common::{day, kinds, location, problems, titled};

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/geojson")
        .join(name)
}

fn load(name: &str) -> Loaded {
    Loader::new(Atlas::embedded())
        .load(chronomap::load::Source::path(&path(name)))
        .expect("the fixture loads")
}

#[test]
fn points_are_lon_lat_and_dates_are_day_first() {
    let loaded = load("osint_events.geojson");
    assert_eq!(loaded.report.format, "GeoJSON");
    assert_eq!((loaded.report.rows, loaded.report.events), (8, 7));
    let strike = titled(&loaded, "Strike on Kharkiv");
    assert_eq!(
        strike.date().start,
        day("2025-10-26"),
        "26/10/25 is day-first"
    );
    assert_eq!(
        location(&loaded, strike),
        Some(Location::Point {
            lon_lat: [36.2304, 49.9935]
        })
    );
    assert_eq!(
        loaded.dataset.category_name(strike.category()),
        "Missile strike"
    );
    assert_eq!(
        strike.sources().first().and_then(|s| s.url),
        Some("https://example.org/kharkiv")
    );
    let extra: Vec<(&str, &str)> = strike.extra().iter().collect();
    assert_eq!(extra, [("verification", "verified")]);
    let epoch = titled(&loaded, "Epoch ms");
    assert_eq!(epoch.date().start, day("2025-08-16"));
}

#[test]
fn null_geometry_and_polygons_resolve_by_name() {
    let loaded = load("osint_events.geojson");
    let khost = titled(&loaded, "Clash near Khost");
    assert_eq!(khost.date().start, day("2025-08-02"));
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
    match location(&loaded, area) {
        Some(Location::Area(drawn)) => assert_eq!(
            drawn.polygons(),
            [vec![vec![
                [0.0, 0.0],
                [2.0, 0.0],
                [2.0, 2.0],
                [0.0, 2.0],
                [0.0, 0.0]
            ]]]
        ),
        other => panic!("an unnamed polygon is an area of its own, got {other:?}"),
    }
    assert_eq!(area.date().precision, Precision::Range);
    assert_eq!(
        (area.date().start, area.date().end),
        (day("2025-08-18"), day("2025-08-20"))
    );
    assert_eq!(area.casualties().as_ref().and_then(|c| c.killed), Some(3));
    assert_eq!(area.extra().get("geometry"), None, "an area is shown whole");
    let nowhere = titled(&loaded, "Nowhere");
    assert!(nowhere.places().is_empty());
}

#[test]
fn problems_name_the_feature_line() {
    let loaded = load("osint_events.geojson");
    assert_eq!(
        kinds(&loaded),
        [
            (21, "geometry", ProblemKind::BadCoordinate),
            (24, "date", ProblemKind::MissingField),
            (31, "geometry", ProblemKind::MissingField),
        ]
    );
    // Swapped coordinates are common enough to be told apart.
    assert_eq!(
        problems(&loaded).first().map(|p| p.2),
        Some(
            "latitude 135.1 out of range (the coordinates look swapped: GeoJSON is \
             [longitude, latitude]); the place is looked up by name"
        )
    );
}

#[test]
fn a_cut_off_file_keeps_the_features_before_the_cut() {
    let loaded = load("truncated.geojson");
    assert_eq!(loaded.report.events, 4);
    let cut = kinds(&loaded).last().copied();
    // At the feature the cut fell in.
    assert_eq!(cut, Some((24, "features", ProblemKind::Truncated)));
    let last = problems(&loaded).last().copied().expect("a problem");
    assert!(
        last.2
            .starts_with("the file is broken or cut off here (the file ends inside a value)"),
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
    assert_eq!(shelling.date().start, day("2025-03-21"));
    assert_eq!(*shelling.actors(), ["RSF"]);
    assert_eq!(shelling.summary(), "Shelling reported.");
    let options = LoadOptions {
        mapping: Some(ColumnMapping {
            title: Some("description".into()),
            ..ColumnMapping::default()
        }),
        ..LoadOptions::default()
    };
    let mapped = Loader::new(Atlas::embedded())
        .options(options.clone())
        .load(chronomap::load::Source::path(&path(
            "single_feature.geojson",
        )))
        .expect("loads");
    assert_eq!(
        mapped.dataset.events.first().map(|e| e.title()),
        Some("Shelling reported.")
    );
}

#[test]
fn the_export_properties_give_every_place_and_field() {
    let loaded = load("exported_fields.geojson");
    let listed = titled(&loaded, "Listed places win over the geometry");
    let places: Vec<(&str, Option<Location>)> = listed
        .places()
        .iter()
        .filter_map(|&p| loaded.dataset.place(p))
        .map(|p| (p.name, p.location))
        .collect();
    let [
        ("Khost", Some(Location::Region(khost))),
        ("Kabul", Some(Location::Point { .. })),
        base,
    ] = places.as_slice()
    else {
        panic!("Khost province, Kabul and the base, got {places:?}");
    };
    assert_eq!(
        Atlas::embedded().region(*khost).map(|r| r.code.as_str()),
        Some("AF-KHO")
    );
    // Exactly as written, though serde_json's own parsing reads it a bit off.
    assert_eq!(
        *base,
        (
            "Base",
            Some(Location::Point {
                lon_lat: [118.297_538_999_999_97, -31.278_453_127_844_994]
            })
        )
    );
    assert_eq!(
        (
            listed.date().start,
            listed.date().end,
            listed.date().precision
        ),
        (day("2025-11-17"), day("2025-11-23"), Precision::Week)
    );
    assert_eq!(listed.date().wording.as_deref(), Some("last week"));
    assert_eq!(
        listed.casualties(),
        Some(Casualties {
            killed: None,
            injured: Some(2),
            detail: Some("guards".into()),
        })
    );
    assert_eq!(
        *listed.sources().to_list(),
        [
            Source {
                name: "ISPR".into(),
                kind: Some("official statement".into()),
                url: None,
            },
            Source {
                name: "example.org".into(),
                kind: None,
                url: Some("https://www.example.org/x".into()),
            },
        ]
    );
    assert_eq!(
        *listed.quotes(),
        [Quote {
            speaker: "A spokesman".into(),
            text: "words".into(),
            context: Some("briefing".into()),
        }]
    );
    let extra: Vec<(&str, &str)> = listed.extra().iter().collect();
    assert_eq!(
        extra,
        [
            ("notes", "n"),
            ("admin1", "Punjab"),
            ("verification", "verified")
        ]
    );
    let timeline = titled(&loaded, "On the timeline only");
    assert!(timeline.places().is_empty());
    assert_eq!(timeline.date().precision, Precision::Day);
    let names: Vec<&str> = timeline.sources().iter().map(|s| s.name).collect();
    assert_eq!(names, ["Reuters", "apnews.com"]);
    assert_eq!(kinds(&loaded), [(13, "precision", ProblemKind::BadValue)]);
}

#[test]
fn polygons_are_areas_drawn_as_the_file_draws_them() {
    let loaded = load("areas.geojson");
    let dataset = &loaded.dataset;
    let order = titled(&loaded, "Evacuation order for eastern Khan Younis");
    let place = order.places().first().and_then(|&p| dataset.place(p));
    let Some(place) = place else {
        panic!("the order has a place");
    };
    assert_eq!(
        (place.name, place.kind, place.country.map(|c| c.as_str())),
        ("Eastern Khan Younis", PlaceKind::Area, Some("PS"))
    );
    let Some(Location::Area(zone)) = &place.location else {
        panic!("a polygon is an area, got {:?}", place.location);
    };
    let outline = [
        [34.3012, 31.3305],
        [34.3621, 31.3305],
        [34.3621, 31.3718],
        [34.3012, 31.3718],
        [34.3012, 31.3305],
    ];
    let hole = [
        [34.3205, 31.3402],
        [34.3311, 31.3402],
        [34.3311, 31.3497],
        [34.3205, 31.3497],
        [34.3205, 31.3402],
    ];
    assert_eq!(zone.polygons(), [vec![outline.to_vec(), hole.to_vec()]]);
    let inside = |lon_lat| zone.contains_world(world_from_lon_lat(lon_lat));
    assert!(inside([34.31, 31.36]));
    assert!(!inside([34.325, 31.345]), "the hole is not part of it");
    assert!(!inside([34.40, 31.36]));
    assert!(inside(zone.center_lon_lat()), "its label is inside");
    // The same outline under the same name is one place.
    let extended = titled(&loaded, "The order is extended");
    assert_eq!(extended.places(), order.places());
    assert_eq!(order.extra().get("geometry"), None);

    let floods = titled(&loaded, "Flash floods in two valleys");
    let place = floods.places().first().and_then(|&p| dataset.place(p));
    let Some(Location::Area(valleys)) = place.clone().and_then(|p| p.location) else {
        panic!("a MultiPolygon is an area");
    };
    assert_eq!(valleys.polygons().len(), 2);
    assert!(valleys.contains_world(world_from_lon_lat([73.2, 35.3])));
    assert!(
        !valleys.contains_world(world_from_lon_lat([72.8, 35.1])),
        "between the parts"
    );
    let name = place.map(|p| p.name).unwrap_or_default();
    assert!(name.starts_with("Area around 3"), "{name}");
    assert_eq!(
        floods.casualties().as_ref().and_then(|c| c.killed),
        Some(12)
    );

    // A ring with two corners is reported, and the name places the event.
    let broken = titled(&loaded, "A broken ring");
    assert!(matches!(
        location(&loaded, broken),
        Some(Location::Point { .. })
    ));
    assert_eq!(
        kinds(&loaded),
        [(39, "geometry", ProblemKind::BadCoordinate)]
    );
    assert_eq!(
        problems(&loaded).first().map(|p| p.2),
        Some(
            "polygon 1: its outline needs at least three distinct corners; \
             the place is looked up by name"
        )
    );
    let route = titled(&loaded, "Convoy route");
    assert_eq!(
        route.extra().get("geometry"),
        Some("LineString, shown at one point")
    );
    let areas = dataset
        .places
        .iter()
        .filter(|p| matches!(p.location, Some(Location::Area(_))))
        .count();
    assert_eq!(areas, 2);
}

/// A number beyond an f64 (`1e999`) spoils only the value it is in: a
/// coordinate is a bad coordinate at its feature (the name places it), a
/// property is left out, and the feature still loads.
#[test]
fn a_number_out_of_range_is_reported_where_it_is() {
    let text = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature",
   "geometry": {"type": "Point", "coordinates": [1e999, 10]},
   "properties": {"date": "2025-03-01", "title": "Far", "place": "Kabul"}},
  {"type": "Feature",
   "geometry": {"type": "Point", "coordinates": [69.2, 34.5]},
   "properties": {"date": "2025-03-02", "title": "Huge",
                  "fatalities": 1e999}}
]}"#;
    let loaded = Loader::new(Atlas::embedded())
        .load(chronomap::load::Source::text("big.geojson", text))
        .expect("loads");
    assert_eq!(loaded.report.events, 2);
    assert_eq!(
        kinds(&loaded),
        [
            (3, "geometry", ProblemKind::BadCoordinate),
            (8, "fatalities", ProblemKind::BadNumber),
        ]
    );
    let far = titled(&loaded, "Far");
    let place = far.places().first().and_then(|&p| loaded.dataset.place(p));
    assert_eq!(place.map(|p| p.name), Some("Kabul"));
    let huge = titled(&loaded, "Huge");
    assert_eq!(huge.casualties(), None);
    assert!(!huge.places().is_empty());
}

/// A file cut off before its first feature is not an empty collection.
#[test]
fn a_file_cut_off_before_any_feature_is_an_error() {
    let text = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"date": "2025-"#;
    let error = Loader::new(Atlas::embedded())
        .load(chronomap::load::Source::text("cut.geojson", text))
        .err();
    let Some(LoadError::Format { message, .. }) = error else {
        panic!("a format error, got {error:?}");
    };
    assert!(
        message
            .starts_with("no record could be read: line 2, field 'features': the file is broken"),
        "{message}"
    );
    let empty = r#"{"type": "FeatureCollection", "features": []}"#;
    let loaded = Loader::new(Atlas::embedded())
        .load(chronomap::load::Source::text("empty.geojson", empty))
        .expect("loads");
    assert_eq!(loaded.report.events, 0, "an empty collection is no error");
}

/// A collection read from a stream: its first features settle which
/// property is which, and a property first met after them is kept among
/// the event's fields, not lost; every feature loads, at its line.
#[test]
fn a_streamed_collection_keeps_properties_first_met_late() {
    let mut text = String::from("{\"type\": \"FeatureCollection\", \"features\": [\n");
    let count = 25_000;
    for i in 0..count {
        let late = if i == count - 1 {
            ", \"witness\": \"M. K.\""
        } else {
            ""
        };
        text.push_str(&format!(
            "{{\"type\": \"Feature\", \"geometry\": {{\"type\": \"Point\", \"coordinates\": [69.2, 34.5]}}, \
             \"properties\": {{\"id\": \"e{i}\", \"date\": \"2025-03-01\", \"title\": \"T{i}\"{late}}}}}{}\n",
            if i + 1 < count { "," } else { "" }
        ));
    }
    text.push_str("]}\n");
    let loaded = Loader::new(Atlas::embedded())
        .load(chronomap::load::Source::reader(
            "pipe",
            std::io::Cursor::new(text.into_bytes()),
        ))
        .expect("loads");
    assert_eq!(loaded.report.events, count);
    assert!(loaded.report.problems.is_empty(), "{:?}", problems(&loaded));
    let last = titled(&loaded, &format!("T{}", count - 1));
    assert_eq!(last.id(), format!("e{}", count - 1));
    assert_eq!(last.extra().get("witness"), Some("M. K."));
    assert_eq!(titled(&loaded, "T0").extra().get("witness"), None);
}

/// A date property with a time of day stays among the feature's fields as
/// written; one at midnight says no more than the day, and is not repeated.
#[test]
fn a_time_of_day_stays_among_the_fields() {
    let feature = |id: &str, when: &str| {
        format!(
            r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[30.52,50.45]}},
            "properties":{{"id":"{id}","time":"{when}","title":"Shelling"}}}}"#
        )
    };
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
        feature("f1", "2024-05-01T10:15:00Z"),
        feature("f2", "2024-05-02T00:00:00Z")
    );
    let loaded = Loader::new(Atlas::embedded())
        .load(chronomap::load::Source::text("timed.geojson", &text))
        .expect("the collection loads");
    let time = |id: &str| {
        common::event(&loaded, id)
            .extra()
            .get("time")
            .map(str::to_owned)
    };
    assert_eq!(time("f1").as_deref(), Some("2024-05-01T10:15:00Z"));
    assert_eq!(time("f2"), None);
    assert_eq!(
        common::event(&loaded, "f1").date().start,
        common::day("2024-05-01")
    );
}
