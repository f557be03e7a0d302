//! TimelineJS JSON and its spreadsheet template: precision from the date
//! parts given, title slides and eras skipped, events without places.

use std::path::PathBuf;

use chronomap::atlas::Atlas;
use chronomap::load::{Loaded, Loader, ProblemKind, Source};
use chronomap::model::{Location, Precision};

use crate::common;
use common::{day, kinds, problems, titled};

fn load(name: &str) -> Loaded {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/timelinejs")
        .join(name);
    Loader::new(Atlas::embedded())
        .load(Source::path(&path))
        .expect("the fixture loads")
}

#[test]
fn json_precision_follows_the_parts_given() {
    let loaded = load("timeline.json");
    assert_eq!(loaded.report.format, "TimelineJS JSON");
    assert_eq!((loaded.report.rows, loaded.report.events), (6, 4));
    let march = titled(&loaded, "March on Washington");
    assert_eq!(march.id(), "march");
    assert_eq!(
        (march.date().start, march.date().precision),
        (day("1963-08-28"), Precision::Day)
    );
    assert_eq!(march.summary(), "Over 250,000 people & more.");
    assert_eq!(loaded.dataset.category_name(march.category()), "Protests");
    let source = march.sources().first().expect("media as source");
    assert_eq!(
        (source.name, source.url),
        ("Library of Congress", Some("https://example.org/march.jpg"))
    );
    assert!(march.places().is_empty(), "TimelineJS has no coordinates");
    let year = titled(&loaded, "Civil Rights Act year");
    assert_eq!(year.date().precision, Precision::Year);
    assert_eq!(
        (year.date().start, year.date().end),
        (day("1964-01-01"), day("1964-12-31"))
    );
    let selma = titled(&loaded, "Selma to Montgomery");
    assert_eq!(selma.date().precision, Precision::Range);
    assert_eq!(
        (selma.date().start, selma.date().end),
        (day("1965-03-01"), day("1965-03-25"))
    );
    assert_eq!(selma.date().wording.as_deref(), Some("March 1965"));
    let memphis = titled(&loaded, "Memphis");
    let place = memphis
        .places()
        .first()
        .and_then(|&i| loaded.dataset.place(i))
        .expect("legacy location");
    assert_eq!(
        place.location,
        Some(Location::Point {
            lon_lat: [-90.049, 35.1495]
        })
    );
    assert_eq!(
        kinds(&loaded),
        [
            (22, "start_date", ProblemKind::BadDate),
            (25, "start_date", ProblemKind::MissingField),
        ]
    );
    assert_eq!(
        problems(&loaded).first().map(|p| p.2),
        Some("month '13' is not 1 to 12 (the event is skipped)")
    );
}

#[test]
fn sheet_csv_with_crlf_quotes_title_and_era_rows() {
    let loaded = load("template.csv");
    assert_eq!(loaded.report.format, "TimelineJS sheet CSV");
    assert_eq!((loaded.report.rows, loaded.report.events), (6, 3));
    let march = titled(&loaded, "March on Washington");
    assert_eq!(
        march.date().start,
        day("1963-08-28"),
        "'1,963' is cleaned of commas"
    );
    assert_eq!(march.summary(), "A \"march\" over two lines");
    assert_eq!(march.sources().first().map(|s| s.name), Some("LoC"));
    let law = titled(&loaded, "Civil Rights Act");
    assert_eq!(law.date().precision, Precision::Year);
    let selma = titled(&loaded, "Selma");
    assert_eq!(
        (selma.date().start, selma.date().end),
        (day("1965-03-01"), day("1965-03-25"))
    );
    assert_eq!(selma.date().wording.as_deref(), Some("March 1965"));
    assert!(
        loaded
            .dataset
            .events
            .iter()
            .all(|e| e.title() != "The era" && e.title() != "My timeline")
    );
    assert_eq!(kinds(&loaded), [(8, "Year", ProblemKind::BadDate)]);
}

/// TimelineJS JSON from a pipe streams like the other formats: a file cut
/// off inside its third event keeps the two before it, and says where.
#[test]
fn json_cut_off_in_a_stream_keeps_the_events_before_the_cut() {
    let text = "{\"title\": {\"text\": {\"headline\": \"T\"}},\n\"events\": [\n\
                {\"start_date\": {\"year\": \"1963\"}, \"text\": {\"headline\": \"A\"}},\n\
                {\"start_date\": {\"year\": \"1964\", \"month\": \"2\"}, \"text\": {\"headline\": \"B\"}},\n\
                {\"start_date\": {\"year\": \"19";
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::reader(
            "pipe",
            std::io::Cursor::new(text.as_bytes().to_vec()),
        ))
        .expect("the two whole events load");
    assert_eq!(loaded.report.format, "TimelineJS JSON");
    assert_eq!(loaded.report.events, 2);
    assert_eq!(kinds(&loaded), [(5, "events", ProblemKind::Truncated)]);
    let b = titled(&loaded, "B");
    assert_eq!(
        (b.date().start, b.date().precision),
        (day("1964-02-01"), Precision::Month)
    );
}

/// Times of day and media captions, which the event's day and source
/// leave out, are kept as its extra fields, from the JSON and the sheet.
#[test]
fn times_and_captions_are_kept_as_fields() {
    let json = r#"{"events": [
        {"start_date": {"year": 2024, "month": 5, "day": 1, "hour": 14, "minute": 3},
         "end_date": {"year": 2024, "month": 5, "day": 1, "hour": "16", "minute": "30", "second": "5"},
         "media": {"url": "https://example.org/a.jpg", "caption": "<b>Crowd</b> at noon"},
         "text": {"headline": "Rally"}, "unique_id": "rally"},
        {"start_date": {"year": 2024, "month": 5, "day": 2}, "text": {"headline": "Quiet"},
         "unique_id": "quiet"}
    ]}"#;
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::text("timeline.json", json))
        .expect("the timeline loads");
    let fields = |loaded: &Loaded, id: &str| -> Vec<(String, String)> {
        common::event(loaded, id)
            .extra()
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    };
    let owned = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    };
    assert_eq!(
        fields(&loaded, "rally"),
        owned(&[
            ("start time", "14:03"),
            ("end time", "16:30:05"),
            ("media caption", "Crowd at noon")
        ])
    );
    assert!(fields(&loaded, "quiet").is_empty());

    let sheet = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,\
                 Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,\
                 Background\n\
                 2024,5,1,14:03,,,,,,Rally,,https://example.org/a.jpg,,Crowd,,,,\n";
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::text("sheet.csv", sheet))
        .expect("the sheet loads");
    assert_eq!(loaded.report.events, 1);
    let event = &loaded.dataset.events.at(0);
    let pairs: Vec<(&str, &str)> = event.extra().iter().collect();
    assert_eq!(pairs, [("Time", "14:03"), ("Media Caption", "Crowd")]);
}
