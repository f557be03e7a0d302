//! ACLED exports: every schema variant in `formats.md` §1, with the values
//! each row becomes and every problem by line, field and message.

use std::path::PathBuf;

use chronomap::atlas::{Atlas, RegionLevel};
use chronomap::load::dates::SlashOrder;
use chronomap::load::{LoadOptions, Loaded, Loader, Source};
use chronomap::model::{Location, LocationPrecision, Precision};

use crate::common;
use chronomap::load::ProblemKind;
use common::{day, event, extra, kinds, location, problems};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/acled")
        .join(name)
}

fn load(name: &str) -> Loaded {
    Loader::new(Atlas::embedded())
        .load(Source::path(&fixture(name)))
        .expect("the fixture loads")
}

#[test]
fn current_schema_rows_become_events() {
    let loaded = load("current_schema.csv");
    assert_eq!(loaded.report.format, "ACLED CSV (2023+ schema)");
    assert_eq!((loaded.report.rows, loaded.report.events), (10, 7));
    let strike = event(&loaded, "SOM49639");
    assert_eq!(strike.date().start, day("2025-04-01"));
    assert_eq!(strike.date().precision, Precision::Day);
    assert_eq!(strike.title(), "Air/drone strike in Buuraha Cali Miskat");
    assert_eq!(
        loaded.dataset.category_name(strike.category()),
        "Explosions/Remote violence"
    );
    assert_eq!(extra(strike, "sub_event_type"), Some("Air/drone strike"));
    assert_eq!(extra(strike, "disorder_type"), Some("Political violence"));
    assert_eq!(extra(strike, "geo_precision"), Some("1"));
    assert_eq!(extra(strike, "time_precision"), Some("1"));
    assert_eq!(
        extra(strike, "interaction"),
        Some("Rebel group-External/Other forces")
    );
    assert_eq!(extra(strike, "admin1"), Some("Bari"));
    assert_eq!(strike.casualties().as_ref().and_then(|c| c.killed), Some(3));
    assert_eq!(
        *strike.actors(),
        [
            "Military Forces of the United States (2025-)",
            "Military Forces of Somalia (2022-)",
            "Islamic State Somalia Province"
        ]
    );
    let sources: Vec<&str> = strike.sources().iter().map(|s| s.name).collect();
    assert_eq!(sources, ["AFRICOM", "Caasimada", "Hiiraan (Somalia)"]);
    assert!(strike.summary().starts_with("On 1 April 2025, US forces"));
    assert_eq!(
        location(&loaded, strike),
        Some(Location::Point {
            lon_lat: [49.7434, 10.8548]
        })
    );
}

#[test]
fn na_cells_numeric_inter_codes_and_month_name_dates() {
    let loaded = load("current_schema.csv");
    let attack = event(&loaded, "BEN876");
    assert_eq!(attack.date().start, day("2022-12-27"));
    assert_eq!(
        *attack.actors(),
        ["Unidentified Armed Group (Benin)", "Civilians (Benin)"]
    );
    assert_eq!(extra(attack, "inter1"), Some("Political militia"));
    assert_eq!(extra(attack, "inter2"), Some("Civilians"));
    assert_eq!(
        extra(attack, "interaction"),
        Some("Political militia-Civilians")
    );
    assert_eq!(extra(attack, "civilian_targeting"), Some("yes"));
    assert_eq!(extra(attack, "admin3"), None, "NA is empty");
    assert_eq!(extra(attack, "tags"), None, "NA is empty");
    assert_eq!(extra(attack, "geo_precision"), Some("2"));
    assert_eq!(attack.casualties().as_ref().and_then(|c| c.killed), Some(0));
}

#[test]
fn time_precision_widens_the_date() {
    let loaded = load("current_schema.csv");
    let week = event(&loaded, "SOM49700");
    assert_eq!(week.date().precision, Precision::Week);
    assert_eq!(
        (week.date().start, week.date().end),
        (day("2025-04-06"), day("2025-04-12"))
    );
    assert!(
        week.actors()
            .iter()
            .any(|a| a == "SSC: Sool, Sanaag and Cayn Militia")
    );
    let month = event(&loaded, "SOM49701");
    assert_eq!(month.date().precision, Precision::Month);
    assert_eq!(
        (month.date().start, month.date().end),
        (day("2025-04-01"), day("2025-04-30"))
    );
    assert_eq!(
        month.summary(),
        "Looting reported in April.\nNo date given."
    );
    let unknown = event(&loaded, "SOM49705");
    assert_eq!(unknown.date().precision, Precision::Day);
}

#[test]
fn places_fall_back_to_names_and_provinces() {
    let loaded = load("current_schema.csv");
    let clash = event(&loaded, "SOM49702");
    let place = clash
        .places()
        .first()
        .and_then(|&i| loaded.dataset.place(i))
        .expect("a place");
    assert!(place.name.contains("Mogadishu"), "{}", place.name);
    assert!(matches!(place.location, Some(Location::Point { .. })));
    let khost = event(&loaded, "AFG1001");
    match location(&loaded, khost) {
        Some(Location::Region(id)) => assert_eq!(id.level, RegionLevel::Province),
        other => panic!("Khost should be its province, got {other:?}"),
    }
    assert_eq!(khost.casualties(), None);
    assert_eq!(loaded.report.unresolved_places, ["Khots"]);
}

#[test]
fn geo_precision_says_how_precisely_a_place_is_known() {
    let loaded = load("current_schema.csv");
    let place = |id: &str| {
        let event = event(&loaded, id);
        let first = *event.places().first().expect("a place");
        loaded.dataset.place(first).expect("the place")
    };
    // 1: the town's own coordinates.
    let exact = place("SOM49639");
    assert_eq!(exact.location_precision(), LocationPrecision::Exact);
    assert!(matches!(exact.location, Some(Location::Point { .. })));
    // 2: near the town given: its point, with the ring of a nearby town.
    let near = place("BEN876");
    assert_eq!(near.location_precision(), LocationPrecision::Near);
    assert_eq!(
        near.location,
        Some(Location::Point {
            lon_lat: [3.2752, 11.9065]
        })
    );
    // 3: only the province is known. With the centre's coordinates, the
    // place is that point, known only to its region (the map draws the
    // province that holds it); without, the admin1 province itself, and
    // an unknown location name is no problem then.
    let centre = place("SOM49701");
    assert_eq!(centre.location_precision(), LocationPrecision::Region);
    assert_eq!(
        centre.location,
        Some(Location::Point {
            lon_lat: [43.6498, 3.1136]
        })
    );
    let bay = place("SOM49705");
    assert_eq!(bay.location_precision(), LocationPrecision::Region);
    assert_eq!(bay.name, "Bay");
    match bay.location {
        Some(Location::Region(id)) => assert_eq!(id.level, RegionLevel::Province),
        other => panic!("Bay should be its province, got {other:?}"),
    }
    // The facet counts the events by it (their first place).
    let facet = loaded
        .dataset
        .facets()
        .values(chronomap::model::Facet::LocationPrecision);
    let mut counts = std::collections::BTreeMap::new();
    for e in 0..loaded.dataset.events.len() {
        for &v in facet.of(e) {
            *counts.entry(facet.name(v).to_owned()).or_insert(0) += 1;
        }
    }
    assert_eq!(
        counts,
        [
            ("exact place", 3),
            ("near a place", 1),
            ("only the region", 3)
        ]
        .map(|(k, v)| (k.to_owned(), v))
        .into()
    );
}

#[test]
fn every_problem_is_reported_at_its_line() {
    let loaded = load("current_schema.csv");
    assert_eq!(
        kinds(&loaded),
        [
            (7, "latitude", ProblemKind::BadCoordinate),
            (8, "event_date", ProblemKind::BadDate),
            (9, "location", ProblemKind::UnknownPlace),
            (9, "fatalities", ProblemKind::BadNumber),
            (10, "row", ProblemKind::WrongFieldCount),
            (11, "event_id_cnty", ProblemKind::Duplicate),
            (12, "time_precision", ProblemKind::BadValue),
        ]
    );
    // The wording, once: what each says the loader did about it.
    let found = problems(&loaded);
    let expected_start = [
        (
            7,
            "latitude",
            "latitude 200.1 out of range; the place is looked up by name",
        ),
        (
            8,
            "event_date",
            "date '31/02/2025' is not a date (the row is skipped)",
        ),
    ];
    assert_eq!(found.get(..2), Some(&expected_start[..]));
    let (line, field, khots) = found.get(2).copied().expect("the Khots problem");
    assert_eq!((line, field), (9, "location"));
    assert!(
        khots.starts_with("place 'Khots' not found; did you mean Kh"),
        "{khots}"
    );
    assert!(khots.ends_with("(placed in its admin1, Khost)"), "{khots}");
    assert_eq!(
        found.get(3..),
        Some(
            &[
                (9, "fatalities", "fatalities 'many' is not a whole number"),
                (
                    10,
                    "row",
                    "row has 6 fields but the header has 31 (an unquoted delimiter or a cut-off line?); the row is skipped"
                ),
                (
                    11,
                    "event_id_cnty",
                    "duplicate event_id_cnty 'SOM49639' (first on line 2); the row is skipped"
                ),
                (
                    12,
                    "time_precision",
                    "time_precision '5' is not 1, 2 or 3; read as 1 (the day)"
                ),
            ][..]
        )
    );
    let fatalities = loaded
        .report
        .problems
        .get(3)
        .and_then(|p| p.event_id.as_deref());
    assert_eq!(
        fatalities,
        Some("AFG1001"),
        "problems name the event they concern"
    );
}

#[test]
fn pre_2023_schema_two_digit_years_and_the_year_column() {
    let loaded = load("pre2023_schema.csv");
    assert_eq!(loaded.report.format, "ACLED CSV (pre-2023 schema)");
    let protest = event(&loaded, "KEN5001");
    assert_eq!(protest.date().start, day("2019-12-31"));
    assert_eq!(extra(protest, "inter1"), Some("Protesters"));
    assert_eq!(extra(protest, "interaction"), Some("Protesters only"));
    let clash = event(&loaded, "KEN5002");
    assert_eq!(clash.date().start, day("2020-01-02"));
    assert_eq!(
        *clash.actors(),
        ["Military Forces of Kenya (2013-)", "Al Shabaab"]
    );
    assert_eq!(
        extra(clash, "interaction"),
        Some("State forces-Rebel group")
    );
    assert_eq!(clash.casualties().as_ref().and_then(|c| c.killed), Some(4));
    assert_eq!(event(&loaded, "KEN5004").date().start, day("1968-12-31"));
    assert_eq!(event(&loaded, "KEN5005").date().start, day("2020-01-05"));
    assert_eq!(
        kinds(&loaded),
        [
            (4, "event_date", ProblemKind::BadDate),
            (6, "year", ProblemKind::BadDate),
        ]
    );
}

#[test]
fn monadic_exports_are_merged_by_event_id() {
    let loaded = load("monadic_export.csv");
    assert_eq!(loaded.report.format, "ACLED CSV (monadic export)");
    assert_eq!((loaded.report.rows, loaded.report.events), (3, 2));
    assert!(
        loaded.report.problems.is_empty(),
        "{:?}",
        loaded.report.problems
    );
    let riot = event(&loaded, "BGD9001");
    assert_eq!(riot.date().start, day("2024-08-05"));
    assert_eq!(
        *riot.actors(),
        [
            "Rioters (Bangladesh)",
            "Students (Bangladesh)",
            "Police Forces of Bangladesh (2009-2024)"
        ]
    );
    assert_eq!(riot.casualties().as_ref().and_then(|c| c.killed), Some(6));
    let protest = event(&loaded, "BGD9002");
    assert_eq!(
        protest.date().start,
        day("2024-09-30"),
        "'Sept' is September"
    );
    assert_eq!(extra(protest, "tags"), Some("crowd size=around 15"));
}

#[test]
fn upper_case_legacy_headers_and_day_first_slashes() {
    let loaded = load("legacy_uppercase.csv");
    assert_eq!(
        loaded.report.format,
        "ACLED CSV (pre-2019 upper-case schema)"
    );
    assert!(
        loaded.report.problems.is_empty(),
        "{:?}",
        loaded.report.problems
    );
    let riot = event(&loaded, "1ALG");
    assert_eq!(riot.date().start, day("2001-04-18"));
    assert_eq!(
        loaded.dataset.category_name(riot.category()),
        "Riots/Protests"
    );
    assert_eq!(
        location(&loaded, riot),
        Some(Location::Point {
            lon_lat: [4.08282, 36.61954]
        })
    );
    assert_eq!(
        *riot.actors(),
        ["Rioters (Algeria)", "Police Forces of Algeria (1999-)"]
    );
    // 18/04/2001 elsewhere in the file settles the order: 5 June, not 6 May.
    assert_eq!(event(&loaded, "2ALG").date().start, day("2001-06-05"));
}

#[test]
fn the_user_can_overrule_the_slash_order() {
    let options = LoadOptions {
        slash_order: SlashOrder::MonthFirst,
        ..LoadOptions::default()
    };
    let loaded = Loader::new(Atlas::embedded())
        .options(options.clone())
        .load(Source::path(&fixture("legacy_uppercase.csv")))
        .expect("loads");
    assert_eq!(event(&loaded, "2ALG").date().start, day("2001-05-06"));
    let message = loaded.report.problems.first().map(|p| p.message.as_str());
    assert_eq!(
        message,
        Some("date '18/04/2001' is not a date (the row is skipped)")
    );
}

#[test]
fn api_tab_separated_example_with_blank_cells() {
    let loaded = load("api_example.tsv");
    assert_eq!(loaded.report.format, "ACLED TSV (2023+ schema)");
    let protest = event(&loaded, "GEO3998");
    assert_eq!(protest.date().start, day("2023-02-01"));
    assert_eq!(
        *protest.actors(),
        ["Protesters (Georgia)", "Labor Group (Georgia)"]
    );
    assert_eq!(extra(protest, "inter2"), None, "0 means no second actor");
    assert_eq!(extra(protest, "interaction"), Some("Protesters only"));
    assert_eq!(extra(protest, "tags"), Some("crowd size=no report"));
    assert_eq!(
        location(&loaded, protest),
        Some(Location::Point {
            lon_lat: [42.6999, 42.2639]
        })
    );
}

/// Columns a custom export adds to ACLED's are kept as extra fields by
/// their names; ACLED's upload time and ISO code are not, and the fields
/// ACLED's own columns give stay as they were.
#[test]
fn columns_a_custom_export_adds_are_kept() {
    let text = "event_id_cnty,event_date,year,event_type,actor1,iso,country,location,\
                latitude,longitude,fatalities,timestamp,population_best,analyst_note\n\
                AFG1,2024-03-01,2024,Battles,Taliban,4,Afghanistan,Kabul,34.53,69.17,2,\
                1710000000,120000,checked twice\n\
                AFG2,2024-03-02,2024,Battles,Taliban,4,Afghanistan,Kabul,34.53,69.17,0,\
                1710000001,,\n";
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::text("custom.csv", text))
        .expect("the export loads");
    assert_eq!(loaded.report.events, 2);
    let first = event(&loaded, "AFG1");
    assert_eq!(extra(first, "population_best"), Some("120000"));
    assert_eq!(extra(first, "analyst_note"), Some("checked twice"));
    assert_eq!(extra(first, "timestamp"), None);
    assert_eq!(extra(first, "iso"), None);
    let second = event(&loaded, "AFG2");
    assert_eq!(extra(second, "population_best"), None);
    assert_eq!(extra(second, "country"), Some("Afghanistan"));
}
