//! Format detection from content, files that are not event files at all,
//! and the guarantee that no input makes a loader panic.

use std::path::PathBuf;

use chronomap::atlas::Atlas;
use chronomap::load::{LoadError, Loader, Source};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn format_error(name: &str) -> String {
    match Loader::new(Atlas::embedded()).load(Source::path(&fixtures().join(name))) {
        Err(LoadError::Format { message, .. }) => message,
        other => panic!("{name}: expected a format error, got {other:?}"),
    }
}

#[test]
fn the_content_decides_not_the_extension() {
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::path(&fixtures().join("misc/acled_named.json")))
        .expect("loads");
    assert_eq!(loaded.report.format, "ACLED TSV (2023+ schema)");
    assert_eq!(loaded.report.events, 1);
    let gdelt = Loader::new(Atlas::embedded())
        .load(Source::path(&fixtures().join("gdelt/1979.csv")))
        .expect("loads");
    assert_eq!(gdelt.report.format, "GDELT 1.0 (57 fields)");
    let embedded = chronomap::load::embedded(Atlas::embedded()).expect("loads");
    assert_eq!(embedded.report.format, "chronomap JSON");
}

#[test]
fn files_that_are_not_event_files_say_what_they_are() {
    assert_eq!(format_error("misc/empty.csv"), "the file is empty");
    assert_eq!(
        format_error("misc/image.csv"),
        "an image, not an event file"
    );
    assert_eq!(
        format_error("misc/random.bin"),
        "a binary file, not text; chronomap reads CSV, TSV and JSON event files"
    );
    assert!(format_error("misc/prose.txt").starts_with("no date column found"));
    let json = Loader::new(Atlas::embedded())
        .load(Source::bytes("x.json", b"{\"a\": [1, 2]}"))
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        json.as_deref(),
        Some(
            "x.json: JSON, but not chronomap JSON, GeoJSON (a FeatureCollection) or TimelineJS JSON (an object with \"events\")"
        )
    );
    let zip = Loader::new(Atlas::embedded())
        .load(Source::bytes("x.zip", b"PK\x03\x04\x14\0"))
        .err()
        .map(|e| e.to_string());
    assert!(zip.is_some_and(|m| m.contains("a zip archive")));
}

#[test]
fn a_file_whose_rows_all_fail_is_an_error() {
    let text = "date,lat,lon\nnot-a-date,1,2\n";
    let error = Loader::new(Atlas::embedded())
        .load(Source::bytes("bad.csv", text.as_bytes()))
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        error.as_deref(),
        Some(
            "bad.csv: none of its 1 records could be read (1 problems; first: line 2, field 'date': date 'not-a-date' is not a date (the row is skipped))"
        )
    );
}

#[test]
fn latin1_files_are_read_with_a_note() {
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::path(&fixtures().join("misc/latin1.csv")))
        .expect("loads");
    let place = loaded.dataset.places.first().expect("a place");
    assert_eq!(place.name, "São Paulo");
    // The table streams, so the note names the first line that is not
    // UTF-8 (the header is).
    let note = loaded.report.problems.first();
    assert_eq!(
        note.map(|p| (p.line, p.kind)),
        Some((2, chronomap::load::ProblemKind::Encoding))
    );
    let note = note.map_or("", |p| p.message.as_str());
    assert!(note.contains("read as Windows-1252"), "{note}");
}

/// Every fixture, cut at many points and with bytes flipped, must load or
/// fail cleanly: never panic. An empty atlas keeps this fast (the
/// gazetteer's "did you mean" search dominates otherwise); the fuzz targets
/// run with the real one.
#[test]
fn truncated_and_mutated_fixtures_never_panic() {
    let empty = Atlas::default();
    let atlas = &empty;
    let mut checked = 0usize;
    for dir in ["acled", "gdelt", "geojson", "timelinejs", "table", "misc"] {
        let Ok(entries) = std::fs::read_dir(fixtures().join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let bytes = std::fs::read(entry.path()).expect("fixture readable");
            let step = (bytes.len() / 40).max(1);
            for cut in (0..=bytes.len()).step_by(step) {
                let _ = Loader::new(atlas)
                    .load(Source::bytes("cut", bytes.get(..cut).unwrap_or(&bytes)));
                checked += 1;
            }
            let mut seed = 0x2545_f491_u32;
            for _ in 0..40 {
                let mut mutated = bytes.clone();
                for _ in 0..4 {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    let at = seed as usize % mutated.len().max(1);
                    if let Some(b) = mutated.get_mut(at) {
                        *b = [b'"', b',', b'\t', b'\n', b'{', b']', b'9', b'/', 0xC3, b'-']
                            [(seed >> 8) as usize % 10];
                    }
                }
                let _ = Loader::new(atlas).load(Source::bytes("mutated", &mutated));
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} inputs checked");
}

/// Every format asks for the basemap only when a place has to be found by
/// name: a file whose places carry coordinates loads without decoding it,
/// and loads the same events as with the basemap at hand.
#[test]
fn each_format_fetches_the_basemap_only_for_places_without_coordinates() {
    use chronomap::load::{AtlasWhenNeeded, LoadOptions, Loader, Source};
    use std::sync::atomic::{AtomicUsize, Ordering};

    let load_counting = |name: &str| {
        let fetched = AtomicUsize::new(0);
        let fetch = || {
            fetched.fetch_add(1, Ordering::Relaxed);
            Atlas::embedded()
        };
        let loaded = Loader::new(AtlasWhenNeeded::Later(&fetch))
            .options(LoadOptions::default())
            .progress(None)
            .load(Source::path(&fixtures().join(name)))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let eager = Loader::new(Atlas::embedded())
            .load(Source::path(&fixtures().join(name)))
            .expect("loads");
        assert_eq!(
            loaded.dataset.events.len(),
            eager.dataset.events.len(),
            "{name}"
        );
        assert_eq!(loaded.report.problems, eager.report.problems, "{name}");
        (
            loaded.report.format.clone(),
            fetched.load(Ordering::Relaxed),
        )
    };

    for located in [
        "table/custom_columns.csv",
        "geojson/single_feature.geojson",
        "misc/crowd.json",
        "acled/pre2023_schema.csv",
    ] {
        let (format, fetched) = load_counting(located);
        assert_eq!(fetched, 0, "{located} ({format}) decoded the basemap");
    }
    for named in [
        "table/events.csv",
        "geojson/areas.geojson",
        "gdelt/1979.csv",
    ] {
        let (format, fetched) = load_counting(named);
        assert!(
            fetched > 0,
            "{named} ({format}) resolved names without the basemap"
        );
    }
}
