//! GDELT 1.0 (57 and 58 fields) and 2.0 (61 fields) event files.

use std::path::PathBuf;

use chronomap::atlas::{Atlas, RegionLevel};
use chronomap::load::{Loaded, Loader, ProblemKind, Source};
use chronomap::model::{Location, Precision};

use crate::common;
use common::{day, event, extra, kinds, location, problems};

fn load(name: &str) -> Loaded {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gdelt")
        .join(name);
    Loader::new(Atlas::embedded())
        .load(Source::path(&path))
        .expect("the fixture loads")
}

#[test]
fn version_2_rows_use_sqldate_action_geo_and_cameo() {
    let loaded = load("20250807220000.export.CSV");
    assert_eq!(loaded.report.format, "GDELT 2.0 (61 fields)");
    assert_eq!((loaded.report.rows, loaded.report.events), (6, 4));
    let threat = event(&loaded, "1256322780");
    assert_eq!(
        threat.date().start,
        day("2025-07-31"),
        "SQLDATE, not DATEADDED"
    );
    assert_eq!(threat.date().precision, Precision::Day);
    assert_eq!(
        loaded.dataset.category_name(threat.category()),
        "Threaten (CAMEO 13)"
    );
    assert_eq!(threat.title(), "THE DRC – Threaten");
    assert_eq!(*threat.actors(), ["THE DRC"]);
    assert_eq!(extra(threat, "QuadClass"), Some("3 Verbal Conflict"));
    assert_eq!(extra(threat, "EventCode"), Some("130"));
    assert_eq!(extra(threat, "ActionGeo_FeatureID"), Some("-2049111"));
    assert_eq!(extra(threat, "DATEADDED"), Some("20250807220000"));
    assert_eq!(
        extra(threat, "SOURCEURL"),
        None,
        "the source's address, not a copy"
    );
    assert_eq!(extra(threat, "GLOBALEVENTID"), None, "the id, not a copy");
    assert_eq!(extra(threat, "NumMentions"), Some("6"));
    assert_eq!(extra(threat, "AvgTone"), Some("-4.40881763527055"));
    let source = threat.sources().first().expect("a source");
    assert_eq!(source.name, "cidrap.umn.edu");
    assert_eq!(
        source.url,
        Some("https://www.cidrap.umn.edu/ebola/drc-outbreak")
    );
    assert_eq!(
        location(&loaded, threat),
        Some(Location::Point {
            lon_lat: [15.315, -4.32972]
        })
    );
}

#[test]
fn codes_keep_leading_zeros_and_countries_are_polygons() {
    let loaded = load("20250807220000.export.CSV");
    let yield_event = event(&loaded, "1256322782");
    assert_eq!(extra(yield_event, "EventCode"), Some("0841"));
    assert_eq!(extra(yield_event, "EventRootCode"), Some("08"));
    assert_eq!(
        loaded.dataset.category_name(yield_event.category()),
        "Yield (CAMEO 08)"
    );
    match location(&loaded, yield_event) {
        Some(Location::Region(id)) => assert_eq!(id.level, RegionLevel::Country),
        other => panic!("Jordan should be its country polygon, got {other:?}"),
    }
}

#[test]
fn rows_without_a_location_stay_on_the_timeline_and_are_reported() {
    let loaded = load("20250807220000.export.CSV");
    let fight = event(&loaded, "1256322781");
    assert!(fight.places().is_empty());
    assert_eq!(fight.date().start, day("2024-08-07"));
    assert_eq!(fight.title(), "MILITARY – Fight – REBEL");
    assert_eq!(extra(fight, "QuadClass"), Some("4 Material Conflict"));
    assert!(event(&loaded, "1256322785").places().is_empty());
    assert_eq!(
        kinds(&loaded),
        [
            (2, "ActionGeo_Type", ProblemKind::MissingField),
            (4, "SQLDATE", ProblemKind::BadDate),
            (5, "row", ProblemKind::WrongFieldCount),
            (6, "ActionGeo_Lat", ProblemKind::BadCoordinate),
        ]
    );
    // The message says what became of the event.
    assert_eq!(
        problems(&loaded).first().map(|p| p.2),
        Some("no ActionGeo location (ActionGeo_Type 0); the event is on the timeline only")
    );
}

#[test]
fn version_1_daily_and_historical_layouts() {
    let daily = load("20141124.export.CSV");
    assert_eq!(daily.report.format, "GDELT 1.0 (58 fields)");
    assert!(
        daily.report.problems.is_empty(),
        "{:?}",
        daily.report.problems
    );
    let statement = event(&daily, "316149089");
    assert_eq!(
        statement.date().start,
        day("2004-11-26"),
        "SQLDATE can be years before DATEADDED"
    );
    assert_eq!(extra(statement, "EventRootCode"), Some("01"));
    assert_eq!(extra(statement, "ActionGeo_FeatureID"), Some("531871"));
    assert_eq!(
        statement.sources().first().and_then(|s| s.url),
        Some("http://www.news.com.au/world/story")
    );
    assert_eq!(
        location(&daily, statement),
        Some(Location::Point {
            lon_lat: [-77.0364, 38.8951]
        })
    );
    match location(&daily, event(&daily, "316149090")) {
        Some(Location::Region(id)) => assert_eq!(id.level, RegionLevel::Province),
        other => panic!("Minnesota should be its state polygon, got {other:?}"),
    }
    let historical = load("1979.csv");
    assert_eq!(historical.report.format, "GDELT 1.0 (57 fields)");
    let fight = event(&historical, "1");
    assert_eq!(fight.date().start, day("1979-01-01"));
    assert!(
        fight.sources().is_empty(),
        "the historical layout has no SOURCEURL"
    );
    assert_eq!(*fight.actors(), ["SOVIET UNION", "AFGHANISTAN"]);
}
