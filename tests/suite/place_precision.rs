//! How precisely each format says a place is known: a field of its own in
//! tables, GeoJSON and chronomap JSON, GDELT's ActionGeo_Type, and what the
//! gazetteer resolved a name to. (ACLED's geo_precision: `loaders_acled`.)

use std::path::PathBuf;

use chronomap::atlas::{Atlas, RegionLevel};
use chronomap::load::{Loaded, Loader, ProblemKind, Source};
use chronomap::model::{Location, LocationPrecision, PlaceRef};

use crate::common::{event, kinds};

fn load(name: &str, text: &str) -> Loaded {
    Loader::new(Atlas::embedded())
        .load(Source::bytes(name, text.as_bytes()))
        .expect("loads")
}

fn place<'a>(loaded: &'a Loaded, id: &str) -> PlaceRef<'a> {
    let first = *event(loaded, id).places().first().expect("a place");
    loaded.dataset.place(first).expect("the place")
}

#[test]
fn a_table_column_gives_each_row_its_precision_and_radius() {
    let loaded = load(
        "events.csv",
        "id,date,title,place,lat,lon,location_precision,radius_km\n\
         a,2024-03-01,A,Kabul,34.53,69.17,exact,\n\
         b,2024-03-01,B,Kabul,34.53,69.17,near,3.5\n\
         c,2024-03-01,C,Kabul,34.53,69.17,2,\n\
         d,2024-03-01,D,Kabul,34.53,69.17,region,\n\
         e,2024-03-01,E,Kabul,34.53,69.17,,\n\
         f,2024-03-01,F,Kabul,34.53,69.17,roughly,-1\n\
         g,2024-03-01,G,Punjab,,,,\n",
    );
    let precision = |id: &str| place(&loaded, id).location_precision();
    assert_eq!(precision("a"), LocationPrecision::Exact);
    assert_eq!(precision("b"), LocationPrecision::Near);
    assert_eq!(place(&loaded, "b").precision.radius_km, Some(3.5));
    assert_eq!(precision("c"), LocationPrecision::Near);
    assert_eq!(place(&loaded, "c").precision.radius_km, None);
    assert_eq!(precision("d"), LocationPrecision::Region);
    assert_eq!(precision("e"), LocationPrecision::Exact);
    // What cannot be read is reported and ignored: the row loads, exact.
    assert_eq!(precision("f"), LocationPrecision::Exact);
    assert_eq!(
        kinds(&loaded),
        [
            (7, "location_precision", ProblemKind::BadValue),
            (7, "radius_km", ProblemKind::BadValue),
        ]
    );
    // A name the gazetteer resolves to a province is known to the province.
    let punjab = place(&loaded, "g");
    assert!(matches!(punjab.location, Some(Location::Region(_))));
    assert_eq!(punjab.location_precision(), LocationPrecision::Region);
    // One point, two precisions: two places.
    assert_ne!(
        event(&loaded, "a").places().first(),
        event(&loaded, "b").places().first()
    );
}

#[test]
fn geojson_and_chronomap_json_read_a_places_precision() {
    let geojson = load(
        "events.geojson",
        r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [69.17, 34.53]},
   "properties": {"id": "a", "date": "2024-03-01", "title": "A", "location_precision": "near", "radius_km": 2}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [69.17, 34.53]},
   "properties": {"id": "b", "date": "2024-03-01", "title": "B"}}
]}"#,
    );
    assert_eq!(
        place(&geojson, "a").location_precision(),
        LocationPrecision::Near
    );
    assert_eq!(place(&geojson, "a").precision.radius_km, Some(2.0));
    assert_eq!(
        place(&geojson, "b").location_precision(),
        LocationPrecision::Exact
    );
    let native = load(
        "events.json",
        r#"{"format": "chronomap", "version": 1, "events": [
  {"id": "a", "title": "A", "date": "2024-03-01",
   "places": [{"name": "Near Kabul", "lon": 69.17, "lat": 34.53, "precision": "near", "radius_km": 4}]},
  {"id": "b", "title": "B", "date": "2024-03-01",
   "places": [{"name": "Kabul", "kind": "province", "lon": 69.17, "lat": 34.53}]},
  {"id": "c", "title": "C", "date": "2024-03-01",
   "places": [{"name": "Kabul", "lon": 69.17, "lat": 34.53, "precision": "somewhere"}]}
]}"#,
    );
    let near = place(&native, "a");
    assert_eq!(near.location_precision(), LocationPrecision::Near);
    assert_eq!(near.precision.radius_km, Some(4.0));
    // A province's point is its centre: region, unless the file says.
    assert_eq!(
        place(&native, "b").location_precision(),
        LocationPrecision::Region
    );
    assert!(
        native
            .report
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::BadValue && p.message.contains("'somewhere'")),
        "{:?}",
        native.report.problems
    );
}

#[test]
fn gdelt_action_geo_type_says_a_country_a_state_or_a_city() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gdelt/20250807220000.export.CSV");
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::path(&path))
        .expect("the fixture loads");
    // Type 4, a world city: exact.
    let city = place(&loaded, "1256322780");
    assert_eq!(city.location_precision(), LocationPrecision::Exact);
    // Type 1, a country: the country itself, not a point at its centre.
    // (Types 2, 3 and 5 below.)
    let country = place(&loaded, "1256322782");
    assert_eq!(country.location_precision(), LocationPrecision::Region);
    match country.location {
        Some(Location::Region(id)) => assert_eq!(id.level, RegionLevel::Country),
        other => panic!("Jordan should be its country, got {other:?}"),
    }
}

#[test]
fn export_writes_the_precision_that_loading_reads_back() {
    let loaded = load(
        "events.csv",
        "id,date,title,place,lat,lon,location_precision,radius_km\n\
         near,2024-03-01,A,Kabul,34.53,69.17,near,3.5\n\
         region,2024-03-01,B,Kabul,34.53,69.17,region,\n\
         exact,2024-03-01,C,Kabul,34.53,69.17,,\n",
    );
    let data = &loaded.dataset;
    let atlas = Atlas::embedded();
    let all: Vec<u32> = (0..u32::try_from(data.events.len()).expect("few")).collect();
    let csv = chronomap::export::events_csv(data, atlas, &all, None).expect("csv");
    let geojson = chronomap::export::events_geojson(data, atlas, &all, None).expect("geojson");
    assert!(
        csv.contains(r#"""precision"":""near"",""radius_km"":3.5"#),
        "{csv}"
    );
    for (name, text) in [("again.csv", csv), ("again.geojson", geojson)] {
        let again = load(name, &text);
        for (id, precision, radius) in [
            ("near", LocationPrecision::Near, Some(3.5)),
            ("region", LocationPrecision::Region, None),
            ("exact", LocationPrecision::Exact, None),
        ] {
            let read = place(&again, id);
            assert_eq!(read.location_precision(), precision, "{name} {id}");
            assert_eq!(read.precision.radius_km, radius, "{name} {id}");
        }
        assert!(
            again.report.problems.is_empty(),
            "{name}: {:?}",
            again.report.problems
        );
    }
}

/// A GDELT country match whose name the gazetteer does not know, and a
/// table's row known only to its region at a point whose name is nobody's,
/// load as points known only to their region (no gazetteer needed), and
/// the map's index of places takes each as the region that holds it.
#[test]
fn a_region_known_by_its_point_alone_is_the_region_that_holds_it() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gdelt/20250807220000.export.CSV");
    let text = std::fs::read_to_string(path).expect("the fixture");
    let renamed = text.replace("\tJordan\t", "\tHashemite Kingdom\t");
    assert_ne!(renamed, text, "the fixture names Jordan");
    let gdelt = load("20250807220000.export.CSV", &renamed);
    let table = load(
        "events.csv",
        "id,date,title,place,lat,lon,location_precision\n\
         a,2024-03-01,A,Somewhere in the hills,34.5,70.5,region\n",
    );
    let atlas = Atlas::embedded();
    for (loaded, id, level, name) in [
        (&gdelt, "1256322782", RegionLevel::Country, "Jordan"),
        (&table, "a", RegionLevel::Province, "Nangarhar"),
    ] {
        let found = place(loaded, id);
        assert_eq!(found.location_precision(), LocationPrecision::Region);
        assert!(matches!(found.location, Some(Location::Point { .. })));
        let p = *event(loaded, id).places().first().expect("a place");
        let data = &loaded.dataset;
        let regions = chronomap::scene::find_place_regions(data, atlas);
        let index = chronomap::scene::PlaceIndex::with_regions(data, Some(&regions));
        let (_, region) = index
            .regions()
            .iter()
            .find(|(q, _)| *q == p)
            .unwrap_or_else(|| panic!("{id} is drawn as a region"));
        assert_eq!(region.level, level, "{id}");
        assert_eq!(atlas.region(*region).map(|r| r.name.as_str()), Some(name));
        let plain = chronomap::scene::PlaceIndex::new(data);
        assert!(
            plain.regions().iter().all(|(q, _)| *q != p),
            "a point until found"
        );
    }
}

/// ActionGeo_Type 3 (a US city) is exact; 2 and 5 (a US or world state)
/// are known only to the state: its province where the name is known,
/// else a point known only to its region.
#[test]
fn gdelt_states_are_regions_and_cities_are_exact() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gdelt/20250807220000.export.CSV");
    let text = std::fs::read_to_string(path).expect("the fixture");
    for (geo_type, full_name, precision, region) in [
        (
            "3",
            "Kinshasa, Kinshasa, Democratic Republic Of The Congo",
            LocationPrecision::Exact,
            false,
        ),
        (
            "5",
            "Kinshasa, Democratic Republic Of The Congo",
            LocationPrecision::Region,
            true,
        ),
        (
            "2",
            "Nowhere State, Democratic Republic Of The Congo",
            LocationPrecision::Region,
            false,
        ),
    ] {
        // The row's ActionGeo_Type and ActionGeo_FullName (fields 52 and
        // 53 of GDELT 2.0).
        let changed: String = text
            .lines()
            .map(|line| {
                let mut fields: Vec<&str> = line.split('\t').collect();
                if fields.first() == Some(&"1256322780") {
                    fields[51] = geo_type;
                    fields[52] = full_name;
                }
                fields.join("\t") + "\n"
            })
            .collect();
        let loaded = load("20250807220000.export.CSV", &changed);
        let found = place(&loaded, "1256322780");
        assert_eq!(found.location_precision(), precision, "type {geo_type}");
        assert_eq!(
            matches!(found.location, Some(Location::Region(id)) if id.level == RegionLevel::Province),
            region,
            "type {geo_type}: {:?}",
            found.location
        );
    }
}
