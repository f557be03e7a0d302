//! Exported events load back through chronomap's own loaders as the same
//! events, field by field (every place included); the `export` command
//! filters, and fails cleanly.

use chronomap::load::Loader;
use std::path::{Path, PathBuf};
use std::process::Command;

use chronomap::atlas::{Atlas, PlaceKind, PlaceQuery, RegionLevel, Resolved};
use chronomap::export::{events_csv, events_geojson};
use chronomap::load::Loaded;
use chronomap::model::{
    Casualties, Dataset, DatasetBuilder, DateSpan, Day, Event, EventIdx, EventRef, Extra, Location,
    Place, PlacePrecision, PlaceRef, Precision, Quote, Source,
};

use crate::common::listing;

fn embedded() -> Dataset {
    chronomap::load::embedded(Atlas::embedded())
        .unwrap_or_else(|e| panic!("{e}"))
        .dataset
}

fn scratch(name: &str) -> PathBuf {
    let dir = crate::common::scratch_root().join(format!("export-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn load_back(path: &Path) -> Dataset {
    loaded_back(path).dataset
}

fn loaded_back(path: &Path) -> Loaded {
    Loader::new(Atlas::embedded())
        .load(chronomap::load::Source::path(path))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn all(data: &Dataset) -> Vec<EventIdx> {
    (0..u32::try_from(data.events.len()).unwrap_or(0)).collect()
}

/// Exports every event of `data` as `name` (`.csv` or `.geojson`) and loads
/// the file back.
fn round_trip(data: &Dataset, name: &str) -> Loaded {
    let atlas = Atlas::embedded();
    let text = if name.ends_with(".csv") {
        events_csv(data, atlas, &all(data), None).unwrap_or_else(|e| panic!("{e}"))
    } else {
        events_geojson(data, atlas, &all(data), None).unwrap_or_else(|e| panic!("{e}"))
    };
    let path = scratch(name).join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    loaded_back(&path)
}

fn places_of<'a>(d: &'a Dataset, e: EventRef<'_>) -> Vec<PlaceRef<'a>> {
    e.places().iter().filter_map(|&p| d.place(p)).collect()
}

fn extra_of(e: EventRef<'_>) -> Vec<(&str, &str)> {
    e.extra().iter().collect()
}

/// Every event of `original` (those in `events`) is in `back`, equal in
/// every field: id, title, summary, the date span with its precision and
/// wording, category, every place (name, kind, country and location),
/// actors, casualties, sources, quotes and extra fields.
fn assert_same_events(original: &Dataset, events: &[EventIdx], back: &Dataset) {
    assert_eq!(back.events.len(), events.len());
    for e in events.iter().filter_map(|&i| original.event(i)) {
        let id = e.id();
        let Some(b) = back.find_event(id).and_then(|i| back.event(i)) else {
            panic!("{id} did not come back");
        };
        assert_eq!(b.id(), e.id());
        assert_eq!(b.title(), e.title(), "{id}");
        assert_eq!(b.summary(), e.summary(), "{id}");
        assert_eq!(
            (b.date().start, b.date().end, b.date().precision),
            (e.date().start, e.date().end, e.date().precision),
            "{id}"
        );
        assert_eq!(b.date().wording, e.date().wording, "{id}");
        assert_eq!(
            back.category_name(b.category()),
            original.category_name(e.category()),
            "{id}"
        );
        let (got, want) = (places_of(back, b), places_of(original, e));
        assert_eq!(got.len(), e.places().len(), "{id}: every place comes back");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g.name, w.name, "{id}");
            assert_eq!(g.location, w.location, "{id}: {}", w.name);
            assert_eq!(
                (g.kind, &g.country),
                (w.kind, &w.country),
                "{id}: {}",
                w.name
            );
        }
        assert_eq!(b.actors(), e.actors(), "{id}");
        assert_eq!(b.casualties(), e.casualties(), "{id}");
        assert_eq!(b.sources(), e.sources(), "{id}");
        assert_eq!(b.quotes(), e.quotes(), "{id}");
        assert_eq!(extra_of(b), extra_of(e), "{id}");
    }
}

fn day(text: &str) -> Day {
    Day::parse_iso(text).unwrap_or_else(|| panic!("{text} is a date"))
}

/// The seed's values that the comparison above must not take on trust.
fn assert_seed_values(back: &Dataset) {
    let event = |id: &str| {
        back.find_event(id)
            .and_then(|i| back.event(i))
            .unwrap_or_else(|| panic!("{id} came back"))
    };
    let strikes = event("airstrikes-khost-kunar-paktika");
    let provinces: Vec<(&str, Option<RegionLevel>, Option<&str>)> = places_of(back, strikes)
        .iter()
        .map(|p| {
            let region = match &p.location {
                Some(Location::Region(id)) => Some(id.level),
                _ => None,
            };
            (p.name, region, p.country.map(|c| c.as_str()))
        })
        .collect();
    let province = Some(RegionLevel::Province);
    assert_eq!(
        provinces,
        [
            ("Khost", province, Some("AF")),
            ("Kunar", province, Some("AF")),
            ("Paktika", province, Some("AF")),
        ]
    );
    let khost_code = places_of(back, strikes)
        .first()
        .and_then(|p| match &p.location {
            Some(Location::Region(id)) => Atlas::embedded().region(*id).map(|r| r.code.clone()),
            _ => None,
        });
    assert_eq!(
        khost_code.as_deref(),
        Some("AF-KHO"),
        "the province, not the city"
    );
    assert_eq!(
        (
            strikes.date().start,
            strikes.date().end,
            strikes.date().precision
        ),
        (day("2025-11-24"), day("2025-11-26"), Precision::Range)
    );
    assert_eq!(strikes.date().wording.as_deref(), Some("earlier this week"));
    assert_eq!(
        strikes.casualties().as_ref().and_then(|c| c.killed),
        Some(10)
    );
    let kinds: Vec<Option<&str>> = strikes.sources().iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            Some("statements"),
            Some("confirmation of civilian casualties in Khost")
        ]
    );
    assert!(
        strikes
            .extra()
            .get("notes")
            .is_some_and(|n| n.starts_with("Who carried out the strikes is disputed"))
    );
    let meeting = event("sadiq-bahrami-meeting-islamabad");
    let islamabad = places_of(back, meeting);
    assert!(
        matches!(
            islamabad.as_slice(),
            [PlaceRef { name, kind: PlaceKind::City, location: Some(Location::Point { .. }), .. }]
                if *name == "Islamabad"
        ),
        "{islamabad:?}"
    );
    let said: Vec<(&str, Option<&str>)> = meeting
        .quotes()
        .iter()
        .map(|q| (q.text.as_str(), q.context.as_deref()))
        .collect();
    assert_eq!(
        said.last().copied(),
        Some((
            "an opportunity for frank and constructive discussions",
            Some("describing the meeting")
        ))
    );
    assert_eq!(said.len(), 2);
}

/// Exports every seed event to `name` and checks they load back the same,
/// read as `format`, with nothing reported.
fn seed_round_trip(name: &str, format: &str) {
    let data = embedded();
    assert_eq!(data.events.len(), 13);
    let loaded = round_trip(&data, name);
    assert_eq!(loaded.report.format, format);
    assert!(
        loaded.report.problems.is_empty(),
        "{:?}",
        loaded.report.problems
    );
    assert_same_events(&data, &all(&data), &loaded.dataset);
    assert_seed_values(&loaded.dataset);
}

#[test]
fn csv_loads_back_as_the_same_events() {
    seed_round_trip("events.csv", "plain CSV");
}

#[test]
fn geojson_loads_back_as_the_same_events() {
    seed_round_trip("events.geojson", "GeoJSON");
}

/// Values the seed does not have: a week, a month and a year; a point with
/// coordinates that serde_json's default number parsing reads a bit off; a
/// province that shares its ISO code with another (Lord Howe Island is
/// `AU-NSW` like New South Wales); a place nothing resolves; an actor with a
/// `;`; injured without killed; links; quotes with quotes and line breaks;
/// extra fields out of alphabetical order; an event with no place.
fn awkward_dataset() -> Dataset {
    let atlas = Atlas::embedded();
    let mut builder = DatasetBuilder::new("awkward");
    let lord_howe = atlas
        .provinces
        .iter()
        .find(|r| r.name == "Lord Howe Island")
        .and_then(|r| Place::from_resolved(atlas, Resolved::Region(r.id)))
        .unwrap_or_else(|| panic!("Lord Howe Island is in the atlas"));
    let kabul = atlas
        .resolve(&PlaceQuery {
            name: "Kabul",
            country: Some("AF"),
            kind: Some(PlaceKind::City),
        })
        .and_then(|r| Place::from_resolved(atlas, r))
        .unwrap_or_else(|| panic!("Kabul is in the atlas"));
    let base = builder.place(Place {
        name: "Forward base".into(),
        kind: PlaceKind::Province,
        country: None,
        location: Some(Location::Point {
            lon_lat: [118.297_538_999_999_97, -31.278_453_127_844_994],
        }),
        precision: PlacePrecision::default(),
    });
    let lord_howe = builder.place(lord_howe);
    let kabul = builder.place(kabul);
    let atlantis = builder.place(Place {
        name: "Qqzx Outpost".into(),
        kind: PlaceKind::City,
        country: Some("XX".into()),
        location: None,
        precision: PlacePrecision::default(),
    });
    let event = |id: &str, date: DateSpan, places: Vec<u32>| Event {
        id: id.into(),
        title: format!("Event {id}").into(),
        summary: Default::default(),
        date,
        places: places.into(),
        actors: Default::default(),
        category: 0,
        casualties: None,
        sources: Default::default(),
        quotes: Default::default(),
        extra: Extra::default(),
    };
    let week = DateSpan {
        start: day("2025-11-17"),
        end: day("2025-11-23"),
        precision: Precision::Week,
        wording: None,
    };
    let clash = builder.category("clash");
    builder.push(Event {
        summary: "Shots, \"many\", were fired; then quiet.".into(),
        actors: vec!["Forces; unidentified".into(), "RSF".into()].into(),
        category: clash,
        casualties: Some(Casualties {
            killed: None,
            injured: Some(3),
            detail: Some("soldiers".into()),
        }),
        sources: vec![
            Source {
                name: "example.org".into(),
                kind: Some("news report".into()),
                url: Some("https://example.org/a?b=1,2".into()),
            },
            Source {
                name: "ISPR".into(),
                ..Source::default()
            },
        ]
        .into(),
        quotes: vec![Quote {
            speaker: "A spokesman".into(),
            text: "we said \u{2018}no\u{2019}, \"twice\"\nand left".into(),
            context: None,
        }]
        .into(),
        extra: Extra::new(vec![
            ("notes".into(), "n".into()),
            ("admin1".into(), "Punjab".into()),
        ]),
        ..event("week", week, vec![base, lord_howe])
    });
    let uncategorised = builder.category("");
    let month = DateSpan::month(2025, 8).map(|s| DateSpan {
        wording: Some("in August".into()),
        ..s
    });
    let year = DateSpan::year(2024).map(|s| DateSpan {
        wording: Some("last year".into()),
        ..s
    });
    for (id, date, places) in [("month", month, vec![atlantis]), ("year", year, vec![])] {
        let date = date.unwrap_or_else(|| panic!("{id} is a span"));
        builder.push(Event {
            category: uncategorised,
            ..event(id, date, places)
        });
    }
    builder.push(Event {
        casualties: Some(Casualties {
            killed: Some(0),
            ..Casualties::default()
        }),
        category: clash,
        ..event("day", DateSpan::day(day("2025-11-27")), vec![kabul])
    });
    builder.finish()
}

#[test]
fn every_kind_of_value_survives_both_formats() {
    let data = awkward_dataset();
    for name in ["awkward.csv", "awkward.geojson"] {
        let loaded = round_trip(&data, name);
        assert_same_events(&data, &all(&data), &loaded.dataset);
        let back = &loaded.dataset;
        let week = back.find_event("week").and_then(|i| back.event(i));
        assert_eq!(
            week.map(|e| e.date().precision),
            Some(Precision::Week),
            "{name}"
        );
        let lord_howe = week
            .and_then(|e| places_of(back, e).get(1).cloned())
            .and_then(|p| match &p.location {
                Some(Location::Region(id)) => Atlas::embedded().region(*id),
                _ => None,
            });
        assert_eq!(
            lord_howe.map(|r| (r.name.as_str(), r.code.as_str())),
            Some(("Lord Howe Island", "AU-NSW")),
            "{name}"
        );
        // The one thing to report is the place nothing resolves, as it
        // was when the events were made.
        assert_eq!(loaded.report.unresolved_places, ["Qqzx Outpost"], "{name}");
        let problems: Vec<(&str, &str)> = loaded
            .report
            .problems
            .iter()
            .map(|p| (p.field.as_str(), p.message.as_str()))
            .collect();
        assert!(
            matches!(problems.as_slice(), [("places", m)] if m.starts_with("place 'Qqzx Outpost' not found")),
            "{name}: {problems:?}"
        );
    }
}

#[test]
fn areas_a_file_drew_come_back_exactly() {
    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geojson/areas.geojson");
    let data = load_back(&fixture);
    let areas = |d: &Dataset| {
        d.places
            .iter()
            .filter(|p| matches!(p.location, Some(Location::Area(_))))
            .count()
    };
    assert_eq!(areas(&data), 2);
    for name in ["areas.csv", "areas.geojson"] {
        let loaded = round_trip(&data, name);
        // Locations compare outlines coordinate by coordinate.
        assert_same_events(&data, &all(&data), &loaded.dataset);
        assert_eq!(areas(&loaded.dataset), 2, "{name}");
        assert!(
            loaded.report.problems.is_empty(),
            "{name}: {:?}",
            loaded.report.problems
        );
    }
    // For GIS tools, the feature's geometry is the area itself.
    let text = events_geojson(&data, Atlas::embedded(), &all(&data), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let line = text
        .lines()
        .find(|l| l.contains("Flash floods"))
        .unwrap_or_default();
    assert!(
        line.contains(r#""geometry":{"coordinates":[[[[72.21,34.71],"#),
        "{line}"
    );
    assert!(line.contains(r#""type":"MultiPolygon""#), "{line}");
}

fn chronomap(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_chronomap"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_command_exports_the_filtered_events() {
    let dir = scratch("cli");
    let data = embedded();
    for name in ["strikes.csv", "strikes.geojson"] {
        let out = dir.join(name);
        let out_text = out.to_string_lossy().into_owned();
        let run = chronomap(&[
            "export",
            "--category",
            "military strike",
            "--from",
            "2025-11-20",
            "--to",
            "2025-11-27",
            "--out",
            &out_text,
        ]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let back = load_back(&out);
        let want: Vec<EventIdx> = (0..u32::try_from(data.events.len()).unwrap_or(0))
            .filter(|&i| {
                data.event(i)
                    .is_some_and(|e| data.category_name(e.category()) == "military strike")
            })
            .collect();
        assert!(!want.is_empty());
        assert_same_events(&data, &want, &back);
    }
    // The window at a date: what the map highlights.
    let out = dir.join("day.csv");
    let run = chronomap(&[
        "export",
        "--date",
        "2025-11-27",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(run.status.success());
    let back = load_back(&out);
    assert!(
        back.events
            .iter()
            .any(|e| e.title().contains("special envoys"))
    );
    assert!(back.events.iter().all(|e| e.date().overlaps(
        chronomap::model::Day::parse_iso("2025-11-27").unwrap_or_default(),
        chronomap::model::Day::parse_iso("2025-11-27").unwrap_or_default()
    )));
}

#[test]
fn bad_arguments_fail_and_write_nothing() {
    let dir = scratch("bad");
    let out = dir.join("events.csv");
    let out_text = out.to_string_lossy().into_owned();
    let cases: [&[&str]; 5] = [
        &["export", "--from", "2025-11-31", "--out", &out_text],
        &["export", "--category", "no such thing", "--out", &out_text],
        &[
            "export",
            "--from",
            "2025-11-27",
            "--to",
            "2025-11-01",
            "--out",
            &out_text,
        ],
        &["export", "--out", "events.xlsx"],
        &["export", "no-such-file.csv", "--out", &out_text],
    ];
    for args in cases {
        let run = chronomap(args);
        assert!(!run.status.success(), "{args:?} succeeded");
        assert!(!run.stderr.is_empty(), "{args:?} said nothing");
    }
    let missing = dir.join("missing/events.csv");
    let run = chronomap(&["export", "--out", &missing.to_string_lossy()]);
    assert_eq!(run.status.code(), Some(1));
    let left = listing(&dir);
    assert!(left.is_empty(), "files were written: {left:?}");
}

/// A process id no Linux system hands out (`pid_max` is at most 2^22).
#[cfg(target_os = "linux")]
const DEAD_PID: u32 = 4_194_999;

#[cfg(target_os = "linux")]
#[test]
fn stale_temporary_files_of_dead_processes_are_cleared_and_nothing_else() {
    let dir = scratch("stale");
    let live = std::process::id();
    let dead_file = format!(".events.csv.chronomap-{DEAD_PID}-0.tmp");
    let dead_folder = format!(".frames.chronomap-{DEAD_PID}-3.tmp");
    let kept = [
        format!(".events.csv.chronomap-{live}-0.tmp"),
        format!(".events.csv.tmp-{DEAD_PID}"),
        format!(".notes.chronomap-{DEAD_PID}-0.tmp.bak"),
        "notes.txt".to_owned(),
    ];
    for name in kept.iter().chain([&dead_file]) {
        std::fs::write(dir.join(name), "x").unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::create_dir(dir.join(&dead_folder)).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join(&dead_folder).join("frame-0001.png"), "x")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.join("events.csv");
    let run = chronomap(&[
        "export",
        "--date",
        "2025-11-27",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let names = listing(&dir);
    let mut want: Vec<String> = kept.to_vec();
    want.push("events.csv".to_owned());
    want.sort();
    assert_eq!(names, want);
}

#[test]
fn the_library_clears_stale_temporary_files_it_can_tell_are_ours() {
    let dir = scratch("stale-lib");
    let mine = format!(".a.csv.chronomap-{}-0.tmp", std::process::id());
    for name in [mine.as_str(), "a.csv.chronomap-1-0.tmp", "b.csv"] {
        std::fs::write(dir.join(name), "x").unwrap_or_else(|e| panic!("{e}"));
    }
    // This process is alive, and the others are not names of ours.
    assert!(chronomap::export::remove_stale_temps(&dir).is_empty());
    #[cfg(target_os = "linux")]
    {
        let dead = dir.join(format!(".a.csv.chronomap-{DEAD_PID}-7.tmp"));
        std::fs::write(&dead, "x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(chronomap::export::remove_stale_temps(&dir), [dead]);
    }
}

/// The ids of the events `export` writes with these filter flags.
fn exported_ids(dir: &Path, flags: &[&str]) -> Vec<String> {
    let out = dir.join("filtered.csv");
    let out_text = out.to_string_lossy().into_owned();
    let mut args = vec!["export", "--out", &out_text];
    args.extend_from_slice(flags);
    let run = chronomap(&args);
    assert!(
        run.status.success(),
        "{flags:?}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let back = load_back(&out);
    back.events.iter().map(|e| e.id().to_owned()).collect()
}

/// The ids the app lists after these commands, in date order.
fn listed_ids(commands: Vec<chronomap::state::Command>) -> Vec<String> {
    let data = std::sync::Arc::new(embedded());
    let mut state = chronomap::state::ViewState::new(data);
    state.apply_all(commands);
    let dataset = state.dataset();
    let ids = state.listed().iter().filter_map(|&e| dataset.event(e));
    ids.map(|e| e.id().to_owned()).collect()
}

#[test]
fn the_filter_flags_give_the_events_the_facets_give() {
    use chronomap::model::Facet;
    use chronomap::state::Command as C;
    use chronomap::time::{LonLatBox, Range};
    let dir = scratch("facets");
    let click = |facet, value: &str, add| C::FacetClick {
        facet,
        value: value.to_owned(),
        add,
    };
    let by_flags = exported_ids(
        &dir,
        &[
            "--actor",
            "Taliban officials",
            "--actor",
            "pakistan",
            "--country",
            "Afghanistan",
        ],
    );
    let by_facets = listed_ids(vec![
        click(Facet::Actor, "Taliban officials", false),
        click(Facet::Actor, "Pakistan", true),
        click(Facet::Country, "AF", false),
    ]);
    assert_eq!(by_flags, by_facets);
    assert_eq!(by_flags, ["airstrikes-khost-kunar-paktika"]);
    let by_flags = exported_ids(
        &dir,
        &[
            "--bbox",
            "60,25,80,40",
            "--country",
            "PK",
            "--country",
            "AF",
        ],
    );
    let by_facets = listed_ids(vec![
        click(Facet::Country, "PK", false),
        click(Facet::Country, "AF", true),
        C::SetArea(LonLatBox::new(60.0, 25.0, 80.0, 40.0)),
    ]);
    assert_eq!(by_flags, by_facets);
    // The meetings at Islamabad and Rawalpindi (points), and the events
    // placed at Afghan and Pakistani provinces or at the countries (their
    // label points lie in the box).
    assert_eq!(by_flags.len(), 10);
    assert!(
        by_flags
            .iter()
            .any(|id| id == "airstrikes-khost-kunar-paktika")
    );
    assert!(
        by_flags
            .iter()
            .any(|id| id == "sadiq-bahrami-meeting-islamabad")
    );
    let by_flags = exported_ids(&dir, &["--min-fatalities", "1"]);
    let by_facets = listed_ids(vec![C::SetFatalities(Some(Range { min: 1, max: None }))]);
    assert_eq!(by_flags, by_facets);
    assert!(!by_flags.is_empty());
    // The province of a province's own event, and a range to the exact count.
    let by_flags = exported_ids(
        &dir,
        &[
            "--province",
            "khost",
            "--max-fatalities",
            "10",
            "--min-fatalities",
            "10",
        ],
    );
    assert_eq!(by_flags, ["airstrikes-khost-kunar-paktika"]);
}

#[test]
fn an_unknown_filter_value_names_the_nearest_known_ones() {
    let dir = scratch("unknown-value");
    let out = dir.join("events.csv");
    let out_text = out.to_string_lossy().into_owned();
    let run = chronomap(&["export", "--actor", "Taliban oficials", "--out", &out_text]);
    assert_eq!(run.status.code(), Some(2));
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(
        said.contains("no actor 'Taliban oficials'")
            && said.contains("did you mean")
            && said.contains("'Taliban officials'"),
        "{said}"
    );
    let run = chronomap(&["check", "--country", "Narnia", "-"]);
    assert_ne!(run.status.code(), Some(0));
    let run = chronomap(&[
        "render",
        "--date",
        "2025-11-25",
        "--min-fatalities",
        "5",
        "--max-fatalities",
        "1",
        "--out",
        &dir.join("map.png").to_string_lossy(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("below --min-fatalities"));
    assert!(listing(&dir).is_empty(), "nothing is written");
}

/// A project's notes go out with its events, as a column and a property,
/// and come back as the events' extra field; the events without a note
/// have none.
#[test]
fn exporting_a_project_writes_its_notes_beside_the_events() {
    let dir = scratch("notes");
    let data = std::sync::Arc::new(embedded());
    let mut state = chronomap::state::ViewState::new(std::sync::Arc::clone(&data));
    let meeting = data
        .find_event("sadiq-bahrami-meeting-islamabad")
        .expect("the meeting");
    state.apply_all([chronomap::state::Command::SetNote(
        meeting,
        "ask, \"who\" attended".into(),
    )]);
    let project = dir.join("notes.chronomap");
    chronomap::project::save(
        &project,
        &chronomap::project::Project {
            files: Vec::new(),
            load: chronomap::load::LoadOptions::default(),
            view: state.view(),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for name in ["noted.csv", "noted.geojson"] {
        let out = dir.join(name);
        let run = chronomap(&[
            "export",
            &project.to_string_lossy(),
            "--out",
            &out.to_string_lossy(),
        ]);
        assert_eq!(run.status.code(), Some(0), "{run:?}");
        let back = loaded_back(&out);
        assert_eq!(back.dataset.events.len(), data.events.len());
        let noted = crate::common::event(&back, "sadiq-bahrami-meeting-islamabad");
        assert_eq!(
            crate::common::extra(noted, "note"),
            Some("ask, \"who\" attended"),
            "{name}"
        );
        let other = crate::common::event(&back, "airstrikes-khost-kunar-paktika");
        assert_eq!(crate::common::extra(other, "note"), None, "{name}");
    }
    // Without a project, no note column.
    let plain = dir.join("plain.csv");
    let run = chronomap(&["export", "--out", &plain.to_string_lossy()]);
    assert_eq!(run.status.code(), Some(0));
    let header = std::fs::read_to_string(&plain).unwrap_or_default();
    assert!(!header.lines().next().unwrap_or_default().contains("note"));
}
