//! Plain CSV/TSV tables: columns by name or by the user's mapping, the date
//! forms of the shared reader, and every problem a row can have.

use std::path::PathBuf;

use chronomap::atlas::{Atlas, PlaceQuery, RegionLevel};
use chronomap::load::dates::SlashOrder;
use chronomap::load::{ColumnMapping, LoadError, LoadOptions, Loaded, Loader, ProblemKind, Source};
use chronomap::model::{Day, Location, Place, Precision};

use crate::common;
use common::{day, event, kinds, location, problems};

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/table")
        .join(name)
}

fn load(name: &str) -> Loaded {
    Loader::new(Atlas::embedded())
        .load(Source::path(&path(name)))
        .expect("the fixture loads")
}

#[test]
fn columns_by_name_give_values() {
    let loaded = load("events.csv");
    assert_eq!(loaded.report.format, "plain CSV");
    assert_eq!((loaded.report.rows, loaded.report.events), (10, 8));
    let blast = event(&loaded, "e1");
    assert_eq!(blast.title(), "Blast in Kabul");
    assert_eq!(blast.summary(), "A blast, reported \"widely\".");
    assert_eq!(
        (blast.date().start, blast.date().precision),
        (day("2025-11-27"), Precision::Day)
    );
    assert_eq!(
        location(&loaded, blast),
        Some(Location::Point {
            lon_lat: [69.2075, 34.5553]
        })
    );
    assert_eq!(loaded.dataset.category_name(blast.category()), "Explosion");
    assert_eq!(blast.casualties().as_ref().and_then(|c| c.killed), Some(4));
    assert_eq!(blast.sources().first().map(|s| s.name), Some("example.org"));
    let talks = event(&loaded, "e2");
    assert_eq!(talks.date().precision, Precision::Range);
    assert_eq!(
        (talks.date().start, talks.date().end),
        (day("2025-11-27"), day("2025-11-29"))
    );
    assert!(
        location(&loaded, talks).is_some(),
        "Islamabad resolves by name"
    );
}

#[test]
fn month_year_epoch_and_province_rows() {
    let loaded = load("events.csv");
    let month = event(&loaded, "e6");
    assert_eq!(month.date().precision, Precision::Month);
    assert_eq!(
        (month.date().start, month.date().end),
        (day("2025-11-01"), day("2025-11-30"))
    );
    let epoch = event(&loaded, "e7");
    assert_eq!(epoch.date().start, day("2025-11-27"));
    match location(&loaded, epoch) {
        Some(Location::Region(id)) => assert_eq!(id.level, RegionLevel::Province),
        other => panic!("Punjab should be a province polygon, got {other:?}"),
    }
    let year = event(&loaded, "e9");
    assert_eq!(year.date().precision, Precision::Year);
    assert_eq!(year.title(), "Year only,\ntwo-line title");
    let bad_lat = event(&loaded, "e3");
    assert!(
        matches!(location(&loaded, bad_lat), Some(Location::Point { .. })),
        "Kabul by name"
    );
    assert_eq!(loaded.report.unresolved_places, ["Khots"]);
}

#[test]
fn every_problem_by_line_field_and_message() {
    let loaded = load("events.csv");
    assert_eq!(
        kinds(&loaded),
        [
            (4, "lat", ProblemKind::BadCoordinate),
            (5, "date", ProblemKind::BadDate),
            (6, "date", ProblemKind::MissingField),
            (7, "place", ProblemKind::UnknownPlace),
            (7, "fatalities", ProblemKind::BadNumber),
            (9, "end_date", ProblemKind::BadDate),
            (9, "lat", ProblemKind::MissingField),
            (10, "lat", ProblemKind::MissingField),
            (12, "lat", ProblemKind::BadCoordinate),
        ]
    );
    let found = problems(&loaded);
    let (line, field, khots) = found.get(3).copied().expect("the Khots problem");
    assert_eq!((line, field), (7, "place"));
    assert!(
        khots.starts_with("place 'Khots' not found; did you mean Kh"),
        "{khots}"
    );
    let without_khots: Vec<_> = found
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3)
        .map(|(_, p)| *p)
        .collect();
    assert_eq!(
        without_khots,
        [
            (
                4,
                "lat",
                "latitude 200.1 out of range; the place is looked up by name"
            ),
            (
                5,
                "date",
                "date '31/02/2025' is not a date (the row is skipped)"
            ),
            (
                6,
                "date",
                "missing; an event needs a date (the row is skipped)"
            ),
            (7, "fatalities", "'lots' is not a whole number of people"),
            (
                9,
                "end_date",
                "end date '2025-11-20' is before the start 2025-11-28; the start alone is used"
            ),
            (
                9,
                "lat",
                "no coordinates and no place; the event is on the timeline only"
            ),
            (
                10,
                "lat",
                "no coordinates and no place; the event is on the timeline only"
            ),
            (
                12,
                "lat",
                "only one of latitude and longitude is given; the event is on the timeline only"
            ),
        ]
    );
}

#[test]
fn slashed_dates_are_settled_per_file() {
    let us = load("us_dates.tsv");
    assert_eq!(us.report.format, "plain TSV");
    let days: Vec<Day> = us.dataset.events.iter().map(|e| e.date().start).collect();
    assert_eq!(
        days,
        [day("2011-08-23"), day("2016-02-06")],
        "8/23 settles month-first"
    );
    assert!(us.report.problems.is_empty());

    let unsettled = load("ambiguous_dates.csv");
    let days: Vec<Day> = unsettled
        .dataset
        .events
        .iter()
        .map(|e| e.date().start)
        .collect();
    assert_eq!(
        days,
        [day("2025-01-01"), day("2025-06-05"), day("2025-08-07")]
    );
    assert_eq!(kinds(&unsettled), [(2, "date", ProblemKind::AmbiguousDate)]);
    assert_eq!(
        problems(&unsettled),
        [(
            2,
            "date",
            "dates such as '05/06/2025' could be day-first or month-first and no value in the file settles it; read as day-first (DD/MM/YYYY); use --month-first if they are month-first"
        )],
        "said once, not per row"
    );

    let options = LoadOptions {
        slash_order: SlashOrder::MonthFirst,
        ..LoadOptions::default()
    };
    let told = Loader::new(Atlas::embedded())
        .options(options.clone())
        .load(Source::path(&path("ambiguous_dates.csv")))
        .expect("loads");
    let days: Vec<Day> = told.dataset.events.iter().map(|e| e.date().start).collect();
    assert_eq!(
        days,
        [day("2025-01-01"), day("2025-05-06"), day("2025-07-08")]
    );
    assert!(
        told.report.problems.is_empty(),
        "the user decided: nothing to say"
    );
}

#[test]
fn the_column_mapping_names_what_recognition_missed() {
    let plain = load("custom_columns.csv");
    assert_eq!(plain.report.format, "plain delimited text (';')");
    assert_eq!(kinds(&plain), [(0, "", ProblemKind::Note)]);
    assert_eq!(
        problems(&plain),
        [(
            0,
            "",
            "no latitude/longitude or place column; the events are on the timeline only (name them with --col-lat and --col-lon, or --col-place)"
        )]
    );
    let options = LoadOptions {
        mapping: Some(ColumnMapping {
            lat: Some("y_deg".into()),
            lon: Some("x_deg".into()),
            title: Some("what".into()),
            ..ColumnMapping::default()
        }),
        ..LoadOptions::default()
    };
    let mapped = Loader::new(Atlas::embedded())
        .options(options.clone())
        .load(Source::path(&path("custom_columns.csv")))
        .expect("loads");
    let blast = mapped.dataset.events.first().expect("one event");
    assert_eq!(blast.title(), "Blast");
    assert_eq!(
        location(&mapped, blast),
        Some(Location::Point {
            lon_lat: [69.2075, 34.5553]
        })
    );
    assert!(mapped.report.problems.is_empty());

    let wrong = LoadOptions {
        mapping: Some(ColumnMapping {
            date: Some("datum".into()),
            ..ColumnMapping::default()
        }),
        ..LoadOptions::default()
    };
    match Loader::new(Atlas::embedded())
        .options(wrong.clone())
        .load(Source::path(&path("custom_columns.csv")))
    {
        Err(LoadError::Format { message, .. }) => assert_eq!(
            message,
            "column 'datum' given with --col-date is not in the file; its 4 columns are: when, y_deg, x_deg, what"
        ),
        other => panic!("expected a format error, got {other:?}"),
    }
}

#[test]
fn a_header_only_file_loads_nothing_without_error() {
    let loaded = load("header_only.csv");
    assert_eq!((loaded.report.rows, loaded.report.events), (0, 0));
    assert!(loaded.report.problems.is_empty());
    let timeline = load("timeline_only.csv");
    let event = timeline.dataset.events.first().expect("one event");
    assert!(event.places().is_empty());
    assert_eq!(event.title(), "Only a date");
}

/// The place an event names at `at`, as (name, region code or point).
fn place_at(loaded: &Loaded, id: &str, at: usize) -> (String, Option<String>, Option<[f64; 2]>) {
    let event = event(loaded, id);
    let place = event
        .places()
        .get(at)
        .and_then(|&p| loaded.dataset.place(p))
        .unwrap_or_else(|| panic!("{id} has a place {at}"));
    let (code, point) = match &place.location {
        Some(Location::Region(region)) => (
            Atlas::embedded().region(*region).map(|r| r.code.clone()),
            None,
        ),
        Some(Location::Point { lon_lat }) => (None, Some(*lon_lat)),
        Some(Location::Area(_)) | None => (None, None),
    };
    (place.name.to_string(), code, point)
}

#[test]
fn a_places_list_resolves_each_name_through_the_gazetteer() {
    let loaded = load("places_list.csv");
    assert_eq!((loaded.report.rows, loaded.report.events), (5, 5));
    let atlas = Atlas::embedded();
    let gazetteer = |name: &str, country: Option<&str>| {
        let query = PlaceQuery {
            name,
            country,
            kind: None,
        };
        atlas
            .resolve(&query)
            .and_then(|r| Place::from_resolved(atlas, r))
    };
    // The city Kabul, as `place_at` gives it.
    let kabul: (String, Option<String>, Option<[f64; 2]>) = (
        "Kabul".into(),
        None,
        Some([69.172_33, 34.528_130_000_000_004]),
    );
    let names = event(&loaded, "names");
    let got: Vec<Option<Place>> = names
        .places()
        .iter()
        .map(|&p| loaded.dataset.place(p).map(|p| p.to_place()))
        .collect();
    let want: Vec<Option<Place>> = ["Kunar", "Paktika", "Kabul"]
        .iter()
        .map(|name| gazetteer(name, Some("AF")))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        place_at(&loaded, "names", 0),
        ("Kunar".into(), Some("AF-KNR".into()), None)
    );
    assert_eq!(
        place_at(&loaded, "names", 1),
        ("Paktika".into(), Some("AF-PIA".into()), None)
    );
    assert_eq!(place_at(&loaded, "names", 2), kabul);
    // A JSON list mixes names with place objects: a province by kind, a
    // point by its coordinates.
    assert_eq!(
        place_at(&loaded, "json", 0),
        ("Islamabad".into(), None, Some([73.043_29, 33.721_48]))
    );
    assert_eq!(
        place_at(&loaded, "json", 1),
        ("Khost".into(), Some("AF-KHO".into()), None)
    );
    assert_eq!(
        place_at(&loaded, "json", 2),
        ("Torkham".into(), None, Some([71.09, 34.1]))
    );
    assert_eq!(
        place_at(&loaded, "unknown", 1),
        ("Qqzx Outpost".into(), None, None)
    );
    assert_eq!(loaded.report.unresolved_places, ["Qqzx Outpost"]);
    assert!(event(&loaded, "timeline").places().is_empty());
    // A list that cannot be read leaves the place columns to say where.
    assert_eq!(place_at(&loaded, "broken", 0), kabul);
    assert_eq!(
        kinds(&loaded),
        [
            (4, "places", ProblemKind::UnknownPlace),
            (6, "places", ProblemKind::BadValue),
        ]
    );
}

/// `NaN` in a coordinate column is a bad coordinate, as `inf` is, not a
/// missing one: the name places the row, and the user hears why.
#[test]
fn nan_coordinates_are_reported_like_infinite_ones() {
    let text = "date,title,place,lat,lon\n\
                2025-01-01,A,Kabul,NaN,69.2\n\
                2025-01-02,B,Kabul,34.5,inf\n\
                2025-01-03,C,Kabul,,\n";
    let path = common::write_temp("nan.csv", text.as_bytes());
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::path(&path))
        .expect("loads");
    assert_eq!(loaded.report.events, 3);
    assert_eq!(
        kinds(&loaded),
        [
            (2, "lat", ProblemKind::BadCoordinate),
            (3, "lon", ProblemKind::BadCoordinate),
        ]
    );
}

/// Past the rows held for the date order, rows are placed by the number
/// the reading thread gives their place cells: equal cells share one place,
/// and a row whose cells have a problem reports it on every row, not only
/// on the first.
#[test]
fn rows_with_equal_place_cells_share_a_place_and_each_reports_its_problem() {
    let mut text = String::from("id,date,latitude,longitude,place\n");
    let rows = 30_000;
    for i in 0..rows {
        let (lat, lon, place) = match i % 3 {
            0 => ("34.5", "69.2", "Kabul"),
            1 => ("95.0", "69.2", "Nowhere"),
            _ => ("31.5", "74.3", "Lahore"),
        };
        text.push_str(&format!("e{i},2025-01-01,{lat},{lon},{place}\n"));
    }
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::reader(
            "pipe",
            std::io::Cursor::new(text.into_bytes()),
        ))
        .expect("loads");
    assert_eq!(loaded.report.events, rows);
    let bad = kinds(&loaded)
        .iter()
        .filter(|(_, field, kind)| *field == "latitude" && *kind == ProblemKind::BadCoordinate)
        .count();
    assert_eq!(
        loaded.report.totals.get(ProblemKind::BadCoordinate),
        rows / 3
    );
    assert_eq!(bad, 1_000, "the first thousand of the kind are kept");
    let kabul: Vec<_> = loaded
        .dataset
        .events
        .iter()
        .filter(|e| e.title().ends_with("Kabul"))
        .map(|e| e.places().to_vec())
        .collect();
    assert_eq!(kabul.len(), rows / 3);
    assert!(kabul.iter().all(|p| *p == kabul[0] && p.len() == 1));
    let lahore = event(&loaded, "e29999");
    assert_ne!(lahore.places().to_vec(), kabul[0]);
}

/// Columns no role reads are the event's extra fields, by their header
/// names, an empty cell absent; the columns a role read are not repeated
/// there, but for a date cell with a time of day, which is kept as
/// written; and the fields come back from an export.
#[test]
fn other_columns_are_kept_as_extra_fields() {
    let text = "uid,timestamp,lat,lng,city,accuracy_m,tags,code\r\n\
                a1,2024-05-01T10:00:00Z,50.45,30.52,Kyiv,12.5,verified;osint,\r\n\
                a2,2024-05-02T11:30:00Z,49.84,24.03,Lviv,,media,K7\r\n\
                a3,2024-05-03T00:00:00+02:00,49.84,24.03,Lviv,,media,K7\r\n";
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::text("gps-log.csv", text))
        .expect("the table loads");
    assert_eq!(loaded.report.events, 3);
    let fields_of = |loaded: &Loaded, id: &str| -> Vec<(String, String)> {
        event(loaded, id)
            .extra()
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    };
    let fields = |id: &str| fields_of(&loaded, id);
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    };
    assert_eq!(
        fields("a1"),
        pairs(&[
            ("accuracy_m", "12.5"),
            ("tags", "verified;osint"),
            ("timestamp", "2024-05-01T10:00:00Z")
        ])
    );
    assert_eq!(
        fields("a2"),
        pairs(&[
            ("tags", "media"),
            ("code", "K7"),
            ("timestamp", "2024-05-02T11:30:00Z")
        ])
    );
    // Midnight says no more than the day.
    assert_eq!(fields("a3"), pairs(&[("tags", "media"), ("code", "K7")]));

    let csv = chronomap::export::events_csv(
        &loaded.dataset,
        Atlas::embedded(),
        &(0..3).collect::<Vec<_>>(),
        None,
    )
    .expect("the events export");
    let back = Loader::new(Atlas::embedded())
        .load(Source::text("back.csv", &csv))
        .expect("the export loads");
    assert_eq!(fields_of(&back, "a2"), fields("a2"));
}

/// A title made of the category and the place is the same whether the
/// row's cells were seen before or not, and a row with neither title nor
/// place has one of its own, by its line.
#[test]
fn made_titles_follow_each_rows_cells() {
    let kinds = ["Protest", "Riot", "Strike"];
    let places = ["Kabul", "Herat", "Kandahar", "Mazar", "Jalalabad"];
    let mut text = String::from("id,date,category,place,lat,lon\n");
    let mut want = Vec::new();
    for i in 0..30_000_usize {
        let (kind, place) = (kinds[i % 3], places[i % 5]);
        let line = i + 2;
        if i % 7 == 0 {
            text.push_str(&format!("r{i},2024-01-01,{kind},,34.5,69.{}\n", i % 5));
            want.push((format!("r{i}"), format!("{kind} on line {line}")));
        } else {
            text.push_str(&format!(
                "r{i},2024-01-01,{kind},{place},34.5,69.{}\n",
                i % 5
            ));
            want.push((format!("r{i}"), format!("{kind} in {place}")));
        }
    }
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::text("titles.csv", &text))
        .expect("the table loads");
    assert_eq!(loaded.report.events, 30_000);
    let titles: std::collections::HashMap<&str, &str> = loaded
        .dataset
        .events
        .iter()
        .map(|e| (e.id(), e.title()))
        .collect();
    for (id, title) in &want {
        assert_eq!(titles.get(id.as_str()), Some(&title.as_str()), "{id}");
    }
}

/// Rows whose title cell is empty are titled by their own category and
/// place, not by those of the first row with an empty title.
#[test]
fn empty_title_cells_take_each_rows_own_place() {
    let mut text = String::from("date,title,category,place,latitude,longitude\n");
    for (n, place) in ["Kabul", "Herat", "Kandahar"]
        .into_iter()
        .cycle()
        .take(30_000)
        .enumerate()
    {
        let title = if n % 2 == 0 { "" } else { "Named" };
        text.push_str(&format!("2024-05-01,{title},Battle,{place},34.5,69.2\n"));
    }
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::text("untitled.csv", &text))
        .expect("loads");
    let dataset = &loaded.dataset;
    let mut wrong = 0;
    for e in dataset.events.iter().filter(|e| e.title() != "Named") {
        let place = e.places().first().and_then(|&p| dataset.place(p));
        if place.map(|p| format!("Battle in {}", p.name)).as_deref() != Some(e.title()) {
            wrong += 1;
        }
    }
    assert_eq!(wrong, 0, "events titled with another row's place");
}

/// Rows that repeat their date cells share what the first such row made of
/// them, and nothing past that: an end, a precision or a time of day of
/// their own is each row's, and a bad date or precision is reported on
/// every row that has it. Big enough to be read on two threads.
#[test]
fn repeated_date_cells_are_read_as_each_row_writes_them() {
    let kinds = [
        ("2024-05-01", "", ""),
        ("2024-05-01", "2024-05-03", ""),
        ("2024-05-01", "", "month"),
        ("2024-05-01T10:30:00Z", "", ""),
        ("not a date", "", ""),
        ("2024-05-01", "", "fortnight"),
    ];
    let mut text = String::from("id,date,end,precision,place,latitude,longitude\n");
    for n in 0..42_000 {
        let (date, end, precision) = kinds[n % kinds.len()];
        text.push_str(&format!("e{n},{date},{end},{precision},Kabul,34.5,69.2\n"));
    }
    assert!(text.len() > 1 << 20, "read on two threads");
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::text("dates.csv", &text))
        .expect("loads");
    assert_eq!(loaded.dataset.events.len(), 35_000);
    assert_eq!(loaded.report.totals.get(ProblemKind::BadDate), 7_000);
    assert_eq!(loaded.report.totals.get(ProblemKind::BadValue), 7_000);
    let first = day("2024-05-01");
    for e in loaded.dataset.events.iter() {
        let n: usize = e.id().trim_start_matches('e').parse().expect("id");
        let date = e.date();
        let timed = e.extra().get("date");
        let want = match n % kinds.len() {
            0 | 5 => (first, first, Precision::Day, None),
            1 => (first, day("2024-05-03"), Precision::Range, None),
            2 => (first, first, Precision::Month, None),
            3 => (first, first, Precision::Day, Some("2024-05-01T10:30:00Z")),
            other => panic!("row kind {other} should have been skipped"),
        };
        assert_eq!(
            (date.start, date.end, date.precision, timed),
            want,
            "{}",
            e.id()
        );
    }
}

/// A file whose rows each have a point of their own, where a few rows come
/// back to an earlier point written otherwise ("34.5000" for "34.5"): those
/// rows are at the earlier row's place, one place for both.
#[test]
fn a_point_written_again_otherwise_is_one_place() {
    let mut text = String::from("id,date,place,latitude,longitude\n");
    let rows = 70_000;
    for i in 0..rows {
        let lat = 10.0 + f64::from(i) * 1e-4;
        text.push_str(&format!("e{i},2024-05-01,P{i},{lat},60.5\n"));
    }
    for (n, i) in [3, 40_000, 69_999].into_iter().enumerate() {
        let lat = 10.0 + f64::from(i) * 1e-4;
        text.push_str(&format!("again{n},2024-05-02,P{i},{lat:.7},60.50\n"));
    }
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::text("points.csv", &text))
        .expect("loads");
    let dataset = &loaded.dataset;
    assert_eq!(dataset.events.len(), rows as usize + 3);
    assert_eq!(dataset.places.len(), rows as usize);
    let place_of = |id: &str| {
        let event = dataset.events.iter().find(|e| e.id() == id).expect(id);
        event.places().to_vec()
    };
    for (n, i) in [3, 40_000, 69_999].into_iter().enumerate() {
        let first = place_of(&format!("e{i}"));
        assert_eq!(place_of(&format!("again{n}")), first, "row {i}");
        let name = first
            .first()
            .and_then(|&p| dataset.place(p))
            .map(|p| p.name);
        assert_eq!(name, Some(format!("P{i}").as_str()));
    }
}
