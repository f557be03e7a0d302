//! Exported events load back through chronomap's own loaders as the same
//! events; the `export` command filters, and fails cleanly.

use std::path::{Path, PathBuf};
use std::process::Command;

use chronomap::atlas::Atlas;
use chronomap::export::{events_csv, events_geojson};
use chronomap::model::{Dataset, EventIdx, Place};

fn embedded() -> Dataset {
    chronomap::load::embedded(Atlas::embedded())
        .unwrap_or_else(|e| panic!("{e}"))
        .dataset
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chronomap-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn load_back(path: &Path) -> Dataset {
    chronomap::load::load_path(path, Atlas::embedded())
        .unwrap_or_else(|e| panic!("{e}"))
        .dataset
}

fn first_place<'a>(d: &'a Dataset, places: &[u32]) -> Option<&'a Place> {
    places.first().and_then(|&p| d.place(p))
}

/// Every event of `original` (those in `events`) is in `back` with the same
/// id, title, dates and precision, category and (first) place.
fn assert_same_events(original: &Dataset, events: &[EventIdx], back: &Dataset) {
    assert_eq!(back.events.len(), events.len());
    for e in events.iter().filter_map(|&i| original.event(i)) {
        let Some(b) = back.find_event(&e.id).and_then(|i| back.event(i)) else {
            panic!("{} did not come back", e.id);
        };
        assert_eq!(b.title, e.title, "{}", e.id);
        assert_eq!(
            (b.date.start, b.date.end, b.date.precision),
            (e.date.start, e.date.end, e.date.precision),
            "{}",
            e.id
        );
        assert_eq!(
            back.category_name(b.category),
            original.category_name(e.category),
            "{}",
            e.id
        );
        let (want, got) = (
            first_place(original, &e.places),
            first_place(back, &b.places),
        );
        assert_eq!(
            got.map(|p| (&p.name, &p.location)),
            want.map(|p| (&p.name, &p.location)),
            "{}",
            e.id
        );
        assert_eq!(b.actors, e.actors, "{}", e.id);
    }
}

#[test]
fn csv_loads_back_as_the_same_events() {
    let data = embedded();
    let all: Vec<EventIdx> = (0..u32::try_from(data.events.len()).unwrap_or(0)).collect();
    let text = events_csv(&data, Atlas::embedded(), &all).unwrap_or_else(|e| panic!("{e}"));
    let path = scratch("csv").join("events.csv");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    assert_same_events(&data, &all, &load_back(&path));
}

#[test]
fn geojson_loads_back_as_the_same_events() {
    let data = embedded();
    let all: Vec<EventIdx> = (0..u32::try_from(data.events.len()).unwrap_or(0)).collect();
    let text = events_geojson(&data, Atlas::embedded(), &all).unwrap_or_else(|e| panic!("{e}"));
    let path = scratch("geojson").join("events.geojson");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    assert_same_events(&data, &all, &load_back(&path));
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
                    .is_some_and(|e| data.category_name(e.category) == "military strike")
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
            .any(|e| e.title.contains("special envoys"))
    );
    assert!(back.events.iter().all(|e| e.date.overlaps(
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
    let left: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "files were written: {left:?}");
}
