//! The embedded dataset: every event valid, every place on the map, and the
//! article's places where they really are.

use chronomap::atlas::{Atlas, RegionLevel};
use chronomap::load::{self, Loader, Source};
use chronomap::model::{Dataset, Day, Location, PlaceKind, Precision};

fn seed() -> Dataset {
    let loaded = load::embedded(Atlas::embedded()).expect("the embedded dataset loads");
    assert!(
        loaded.report.problems.is_empty(),
        "embedded dataset has problems: {:?}",
        loaded.report.problems
    );
    loaded.dataset
}

fn day(text: &str) -> Day {
    Day::parse_iso(text).expect("valid test date")
}

#[test]
fn every_place_resolves_to_the_basemap_or_gazetteer() {
    let dataset = seed();
    let atlas = Atlas::embedded();
    assert!(!dataset.places.is_empty());
    for place in dataset.places.iter() {
        match &place.location {
            Some(Location::Region(id)) => assert!(atlas.region(*id).is_some(), "{}", place.name),
            Some(Location::Point { lon_lat }) => {
                assert!(
                    (-180.0..=180.0).contains(&lon_lat[0]) && (-90.0..=90.0).contains(&lon_lat[1])
                );
            }
            Some(Location::Area(_)) => panic!("'{}': the seed names no drawn areas", place.name),
            None => panic!("place '{}' is not on the map", place.name),
        }
    }
}

#[test]
fn provinces_are_polygons_and_cities_points_where_they_really_are() {
    let dataset = seed();
    let atlas = Atlas::embedded();
    let find = |name: &str| {
        dataset
            .places
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    for name in ["Khost", "Kunar", "Paktika"] {
        let place = find(name);
        assert_eq!(place.kind, PlaceKind::Province, "{name}");
        let Some(Location::Region(id)) = place.location else {
            panic!("{name} is not a polygon");
        };
        assert_eq!(id.level, RegionLevel::Province);
        let region = atlas.region(id).expect("region exists");
        assert_eq!(region.country_iso2, "AF", "{name}");
        assert!(
            region.contains_world(region.label_world),
            "{name} contains its label point"
        );
    }
    for (name, lon, lat) in [
        ("Islamabad", 73.043, 33.721),
        ("Rawalpindi", 73.048, 33.597),
    ] {
        let place = find(name);
        assert_eq!(place.kind, PlaceKind::City);
        let Some(Location::Point { lon_lat }) = place.location else {
            panic!("{name} is not a point");
        };
        assert!(
            (lon_lat[0] - lon).abs() < 0.01 && (lon_lat[1] - lat).abs() < 0.01,
            "{name} at {lon_lat:?}"
        );
    }
    for name in ["Istanbul", "Afghanistan", "Pakistan", "Iran", "Israel"] {
        assert!(find(name).location.is_some(), "{name}");
    }
}

#[test]
fn dates_keep_the_article_precision() {
    let dataset = seed();
    let by_id = |id: &str| {
        dataset
            .events
            .iter()
            .find(|e| e.id() == id)
            .unwrap_or_else(|| panic!("event {id} missing"))
    };
    let meeting = by_id("sadiq-bahrami-meeting-islamabad");
    assert_eq!(meeting.date().precision, Precision::Day);
    assert_eq!(meeting.date().start, day("2025-11-27"));
    let interview = by_id("larijani-blank-cheque-interview");
    assert_eq!(
        (interview.date().start, interview.date().end),
        (day("2025-11-26"), day("2025-11-26"))
    );
    assert!(
        interview
            .quotes()
            .iter()
            .any(|q| q.text.contains("blank cheque"))
    );
    let strikes = by_id("airstrikes-khost-kunar-paktika");
    assert_eq!(strikes.date().precision, Precision::Range);
    assert_eq!(
        (strikes.date().start, strikes.date().end),
        (day("2025-11-24"), day("2025-11-26"))
    );
    assert_eq!(strikes.date().wording.as_deref(), Some("earlier this week"));
    let casualties = strikes.casualties().expect("casualties given");
    assert_eq!(casualties.killed, Some(10));
    assert_eq!(strikes.places().len(), 3);
    let talks = by_id("istanbul-talks-pakistan-taliban");
    assert!(talks.date().len_days() > 1, "'in recent weeks' is a range");
    for event in &dataset.events {
        assert!(event.date().start <= event.date().end, "{}", event.id());
        assert!(
            !event.title().is_empty() && !event.summary().is_empty(),
            "{}",
            event.id()
        );
    }
}

#[test]
fn the_same_file_opens_from_disk() {
    let atlas = Atlas::embedded();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/seed-events.json");
    let from_disk = Loader::new(atlas)
        .load(Source::path(&path))
        .expect("opens from disk");
    assert_eq!(from_disk.dataset.events, seed().events);
}
