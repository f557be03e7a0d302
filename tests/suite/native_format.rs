//! chronomap's own JSON: values parsed, and every problem reported at its
//! line and field while the good events still load.

use chronomap::atlas::Atlas;
use chronomap::load::{self, LoadError, Loader, ProblemKind, Source};
use chronomap::model::{Day, Location, Precision};

use crate::common;
use common::{kinds, problems};

fn parse(text: &str) -> load::Loaded {
    Loader::new(Atlas::embedded())
        .load(Source::text("test.json", text))
        .expect("loads")
}

fn day(text: &str) -> Day {
    Day::parse_iso(text).expect("valid test date")
}

const GOOD_AND_BAD: &str = r#"{
  "format": "chronomap",
  "version": 1,
  "title": "Fixture",
  "events": [
    {
      "id": "ok",
      "title": "A good event",
      "date": {"from": "2025-11-24", "to": "2025-11-26", "wording": "earlier this week"},
      "places": [{"name": "Khost", "kind": "province", "country": "AF"}, "Islamabad"],
      "category": "Military strike",
      "casualties": {"killed": 10, "detail": "civilians"},
      "quotes": [{"speaker": "A", "text": "words"}]
    },
    {
      "id": "bad-date",
      "title": "Skipped",
      "date": "2025-02-31"
    },
    {
      "id": "typo",
      "title": "Loads with a problem",
      "date": {"month": "2025-06"},
      "dat": "x",
      "places": [{"name": "Khots", "country": "AF"}, {"name": "Nowhere", "lon": 200.1, "lat": 1}]
    },
    {
      "id": "ok",
      "title": "Duplicate id",
      "date": {"year": 2024}
    }
  ]
}
"#;

#[test]
fn values_are_parsed() {
    let loaded = parse(GOOD_AND_BAD);
    let d = &loaded.dataset;
    let event = d.events.iter().find(|e| e.id() == "ok").expect("event ok");
    assert_eq!(
        (event.date().start, event.date().end),
        (day("2025-11-24"), day("2025-11-26"))
    );
    assert_eq!(event.date().precision, Precision::Range);
    assert_eq!(event.date().wording.as_deref(), Some("earlier this week"));
    assert_eq!(d.category_name(event.category()), "Military strike");
    assert_eq!(event.casualties().as_ref().and_then(|c| c.killed), Some(10));
    assert_eq!(event.quotes()[0].text, "words");
    let places: Vec<_> = event.places().iter().filter_map(|&p| d.place(p)).collect();
    assert!(matches!(places[0].location, Some(Location::Region(_))));
    assert!(matches!(places[1].location, Some(Location::Point { .. })));
    let month = d
        .events
        .iter()
        .find(|e| e.id() == "typo")
        .expect("typo loads");
    assert_eq!(month.date().precision, Precision::Month);
    assert_eq!(
        (month.date().start, month.date().end),
        (day("2025-06-01"), day("2025-06-30"))
    );
    let year = d
        .events
        .iter()
        .find(|e| e.id().starts_with("ok~"))
        .expect("renamed duplicate");
    assert_eq!(year.date().precision, Precision::Year);
    assert_eq!(year.date().len_days(), 366);
}

#[test]
fn problems_name_line_field_and_cause() {
    let loaded = parse(GOOD_AND_BAD);
    let report = &loaded.report;
    assert_eq!((report.rows, report.events), (4, 3));
    let messages: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    let expect = [
        "line 18, field 'date': '2025-02-31' is not a date (YYYY-MM-DD) (the row is skipped)",
        "line 24, field 'dat': unknown field 'dat' (ignored)",
        "line 25, field 'places': place 'Khots' not found; did you mean Kh\u{14d}st?",
        "line 25, field 'places': place 'Nowhere': longitude 200.1 out of range",
        "line 27, field 'id': duplicate id 'ok'; kept as 'ok~27'",
    ];
    for e in expect {
        assert!(
            messages.iter().any(|m| m == e),
            "missing {e:?} in {messages:#?}"
        );
    }
    assert_eq!(report.problems.len(), expect.len(), "{messages:#?}");
    assert_eq!(
        kinds(&loaded),
        [
            (18, "date", ProblemKind::BadDate),
            (24, "dat", ProblemKind::Structure),
            (25, "places", ProblemKind::UnknownPlace),
            (25, "places", ProblemKind::BadCoordinate),
            (27, "id", ProblemKind::Duplicate),
        ]
    );
    assert_eq!(report.unresolved_places, ["Khots"]);
}

#[test]
fn files_that_are_not_datasets_fail_clearly() {
    let atlas = Atlas::embedded();
    let cases: [(&[u8], &str); 4] = [
        (
            b"{\"format\": \"other\", \"events\": []}",
            "not chronomap JSON",
        ),
        (b"{\"format\": \"chronomap\", \"events\": [", "line 1"),
        (b"\x00\x01\xff\xfe binary", "a binary file, not text"),
        (
            b"{\"format\":\"chronomap\",\"events\":[{\"id\":\"x\"}]}",
            "none of its 1 records could be read",
        ),
    ];
    for (bytes, needle) in cases {
        let err = Loader::new(atlas)
            .load(Source::bytes("f.json", bytes))
            .expect_err("fails");
        let text = err.to_string();
        assert!(matches!(err, LoadError::Format { .. }));
        assert!(text.starts_with("f.json: "), "{text}");
        assert!(text.contains(needle), "{text} lacks {needle}");
    }
}

/// Read from a stream (a pipe gives no size and cannot be read twice),
/// a file cut off inside its fourth event keeps the three before it, with
/// the problems of each at their lines and the cut at the event it broke
/// off in; an event in Windows-1252 is read as such, with a note at its
/// line.
#[test]
fn a_stream_cut_off_keeps_the_events_before_the_cut() {
    let mut text = GOOD_AND_BAD
        .replace("\"title\": \"Skipped\"", "\"title\": \"Caf\u{e9}\"")
        .into_bytes();
    // "Café" in Windows-1252: one byte, not UTF-8's two.
    let at = text
        .windows(2)
        .position(|w| w == "é".as_bytes())
        .expect("é");
    text.splice(at..at + 2, [0xe9]);
    let cut = text.len() - 70;
    text.truncate(cut);
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::reader("pipe", std::io::Cursor::new(text)))
        .expect("loads what came before the cut");
    let report = &loaded.report;
    assert_eq!(
        (report.rows, report.events),
        (3, 2),
        "{:#?}",
        report.problems
    );
    assert_eq!(
        kinds(&loaded),
        [
            (15, "events", ProblemKind::Encoding),
            (18, "date", ProblemKind::BadDate),
            (24, "dat", ProblemKind::Structure),
            (25, "places", ProblemKind::UnknownPlace),
            (25, "places", ProblemKind::BadCoordinate),
            (27, "events", ProblemKind::Truncated),
        ]
    );
    let ids: Vec<&str> = loaded.dataset.events.iter().map(|e| e.id()).collect();
    assert_eq!(ids, ["typo", "ok"]);
}

#[test]
fn a_year_beyond_the_calendar_is_a_problem_not_a_panic() {
    let loaded = parse(
        r#"{"format":"chronomap","version":1,"events":[
{"id":"a","title":"A","date":{"year":2000000000}},
{"id":"b","title":"B","date":"2025-01-01"}]}"#,
    );
    assert_eq!(loaded.report.events, 1);
    assert_eq!(kinds(&loaded), [(2, "date", ProblemKind::BadDate)]);
}

/// A year is four digits in every form of date: a month or a year past
/// 9999 is refused as the day is, not loaded where the day would not be.
#[test]
fn years_past_four_digits_are_refused_in_every_form() {
    let loaded = parse(
        r#"{"format":"chronomap","version":1,"events":[
{"id":"day","title":"D","date":"99999-01-01"},
{"id":"month","title":"M","date":{"month":"99999-01"}},
{"id":"year","title":"Y","date":{"year":99999}},
{"id":"short","title":"S","date":{"month":"999-01"}},
{"id":"ok","title":"OK","date":{"month":"2025-01"}},
{"id":"ok-year","title":"OK","date":{"year":9999}}]}"#,
    );
    let ids: Vec<&str> = loaded.dataset.events.iter().map(|e| e.id()).collect();
    assert_eq!(ids, ["ok", "ok-year"]);
    assert_eq!(
        kinds(&loaded),
        [
            (2, "date", ProblemKind::BadDate),
            (3, "date", ProblemKind::BadDate),
            (4, "date", ProblemKind::BadDate),
            (5, "date", ProblemKind::BadDate),
        ]
    );
}

#[test]
fn a_place_may_be_an_area_the_file_draws() {
    let loaded = parse(
        r#"{
  "format": "chronomap",
  "version": 1,
  "title": "Areas",
  "events": [
    {
      "id": "zone",
      "title": "Evacuation order",
      "date": "2025-07-02",
      "places": [{"name": "Eastern Khan Younis", "kind": "area", "country": "PS",
        "geometry": {"type": "Polygon", "coordinates": [[[34.30, 31.33], [34.36, 31.33], [34.36, 31.37], [34.30, 31.37], [34.30, 31.33]]]}}]
    },
    {
      "id": "line",
      "title": "A line is not an area",
      "date": "2025-07-03",
      "places": [{"name": "Route", "kind": "area",
        "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}]
    }
  ]
}"#,
    );
    let dataset = &loaded.dataset;
    let zone = dataset.find_event("zone").and_then(|i| dataset.event(i));
    let place = zone
        .and_then(|e| e.places().first())
        .and_then(|&p| dataset.place(p));
    let Some(Location::Area(area)) = place.clone().and_then(|p| p.location) else {
        panic!("the zone is an area: {place:?}");
    };
    let corner = area.polygons().first().and_then(|p| p.first()?.get(2));
    assert_eq!(corner, Some(&[34.36, 31.37]), "coordinates as written");
    assert_eq!(kinds(&loaded), [(17, "places", ProblemKind::BadCoordinate)]);
    assert_eq!(
        problems(&loaded).first().map(|p| p.2),
        Some("place 'Route': 'geometry' must be a GeoJSON Polygon or MultiPolygon")
    );
}
