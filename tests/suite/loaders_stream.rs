//! Large ACLED files stream from disk (issue 4) with a progress report and
//! Cancel (issue 3): the streamed load must read exactly what the in-memory
//! load reads, lines included, across the batches the two loading threads
//! hand each other.

use std::fmt::Write as _;
use std::path::PathBuf;

use chronomap::atlas::Atlas;
use chronomap::load::{LoadError, LoadOptions, Loaded, Loader, ProblemKind, Progress, Source};

use crate::common;
use common::{day, event, kinds, problems};

const HEADER: &str = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,\
actor1,assoc_actor_1,actor2,country,admin1,location,latitude,longitude,notes,fatalities";

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = crate::common::scratch_root().join("stream");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write fixture");
    path
}

/// `rows` (each a record under [`HEADER`]) in a file named `name`, loaded.
fn load_rows(name: &str, rows: impl IntoIterator<Item = String>) -> Loaded {
    let mut text = format!("{HEADER}\n");
    for row in rows {
        text.push_str(&row);
        text.push('\n');
    }
    let path = temp_file(name, text.as_bytes());
    Loader::new(Atlas::embedded())
        .load(Source::path(&path))
        .expect("loads")
}

/// `rows` events, one a day from 2024-01-01, some with a note over two
/// lines, and every 700th row broken (a bad date) to be reported.
fn acled(rows: usize, line_end: &str) -> String {
    let mut text = format!("{HEADER}{line_end}");
    for i in 0..rows {
        let date = if i % 700 == 699 {
            "2024-02-31".to_owned()
        } else {
            let d = day("2024-01-01").offset(i32::try_from(i % 365).unwrap_or(0));
            d.to_string()
        };
        let note = if i % 3 == 0 {
            format!("\"Row {i}, first line.{line_end}Second line.\"")
        } else {
            format!("Row {i}")
        };
        let _ = write!(
            text,
            "PAK{i},{date},2024,1,Battles,Armed clash,Military Forces of Pakistan (2018-),,\
             Police Forces of Pakistan (2018-),Pakistan,Punjab,Lahore,31.5497,74.3436,{note},{}{line_end}",
            i % 5
        );
    }
    text
}

#[test]
fn a_streamed_file_reads_as_the_same_text_in_memory() {
    let text = acled(5_000, "\r\n");
    let path = temp_file("same.csv", text.as_bytes());
    let atlas = Atlas::embedded();
    let streamed = Loader::new(atlas)
        .load(Source::path(&path))
        .expect("streamed");
    let in_memory = Loader::new(atlas)
        .load(Source::bytes("same.csv", text.as_bytes()))
        .expect("in memory");
    assert_eq!(streamed.dataset.events, in_memory.dataset.events);
    assert_eq!(streamed.report.rows, 5_000);
    assert_eq!(streamed.report.events, 5_000 - 7);
    // Row i starts on line 2 + i + (the notes over two lines before it).
    let bad: Vec<u32> = problems(&streamed).iter().map(|p| p.0).collect();
    let expected: Vec<u32> = (0..5_000u32)
        .filter(|i| i % 700 == 699)
        .map(|i| 2 + i + i.div_ceil(3))
        .collect();
    assert_eq!(bad, expected);
    assert_eq!(problems(&streamed), problems(&in_memory));
    let e = event(&streamed, "PAK4997");
    assert_eq!(e.summary(), "Row 4997");
    assert_eq!(e.casualties().as_ref().and_then(|c| c.killed), Some(2));
    let two_lines = event(&streamed, "PAK4998");
    assert_eq!(two_lines.summary(), "Row 4998, first line.\r\nSecond line.");
}

#[test]
fn a_monadic_event_split_across_batches_keeps_all_its_actors() {
    // A monadic export (no actor2) lists an event once per actor; put 1,500
    // rows before a repeated id so its rows straddle the reader's batches.
    let header = "event_id_cnty,event_date,event_type,actor1,country,location,latitude,longitude";
    let mut text = format!("{header}\n");
    for i in 0..2_100 {
        let id = if (1_020..1_030).contains(&i) {
            1_020
        } else {
            i
        };
        let _ = writeln!(
            text,
            "SYR{id},2023-05-0{},Battles,Actor {i},Syria,Idlib,35.93,36.63",
            1 + i % 9
        );
    }
    let path = temp_file("monadic.csv", text.as_bytes());
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::path(&path))
        .expect("loads");
    assert!(
        loaded.report.format.contains("monadic"),
        "{}",
        loaded.report.format
    );
    assert_eq!(loaded.report.events, 2_100 - 9);
    let merged = event(&loaded, "SYR1020");
    let actors: Vec<String> = (1_020..1_030).map(|i| format!("Actor {i}")).collect();
    assert_eq!(*merged.actors(), actors);
}

#[test]
fn progress_reaches_the_end_and_cancel_stops_the_load() {
    let text = acled(3_000, "\n");
    let path = temp_file("progress.csv", text.as_bytes());
    let atlas = Atlas::embedded();
    let progress = Progress::new();
    let loaded = Loader::new(atlas)
        .options(LoadOptions::default())
        .progress(Some(&progress))
        .load(Source::path(&path))
        .expect("loads");
    assert_eq!(loaded.report.rows, 3_000);
    assert_eq!(progress.total(), text.len() as u64);
    assert_eq!(progress.fraction(), Some(1.0));

    let cancelled = Progress::new();
    cancelled.cancel();
    let result = Loader::new(atlas)
        .options(LoadOptions::default())
        .progress(Some(&cancelled))
        .load(Source::path(&path));
    assert!(
        matches!(result, Err(LoadError::Cancelled { .. })),
        "{result:?}"
    );
    // Nothing was written to the file.
    assert_eq!(std::fs::read(&path).expect("still there"), text.as_bytes());
}

#[test]
fn slashed_dates_are_settled_by_a_later_row_and_bad_bytes_read_as_1252() {
    // Ambiguous day/month values first; the fifth row (day 25) settles
    // day-first. Its note has a Windows-1252 byte, not UTF-8.
    let mut text = format!("{HEADER}\n").into_bytes();
    let dates = [
        "03/04/2024",
        "05/06/2024",
        "07/08/2024",
        "09/10/2024",
        "25/12/2024",
    ];
    for (i, date) in dates.iter().enumerate() {
        text.extend_from_slice(
            format!(
                "AFG{i},{date},2024,1,Battles,Armed clash,A,,B,Afghanistan,Khost,Khost,\
                 33.33,69.92,Note {i}"
            )
            .as_bytes(),
        );
        if i == 4 {
            text.extend_from_slice(b" at the caf\xE9");
        }
        text.extend_from_slice(b",0\n");
    }
    let path = temp_file("slashes.csv", &text);
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::path(&path))
        .expect("loads");
    assert_eq!(event(&loaded, "AFG0").date().start, day("2024-04-03"));
    assert_eq!(event(&loaded, "AFG4").date().start, day("2024-12-25"));
    assert_eq!(event(&loaded, "AFG4").summary(), "Note 4 at the caf\u{e9}");
    let notes: Vec<_> = kinds(&loaded)
        .into_iter()
        .filter(|p| p.2 == ProblemKind::Encoding)
        .collect();
    assert_eq!(notes, [(6, "", ProblemKind::Encoding)]);
}

#[test]
fn ids_sharing_a_fingerprint_stay_apart_and_real_duplicates_are_caught() {
    // The id table keys on 32 bits of a hash; find two ids that share them.
    let fingerprint = |id: &str| chronomap::model::fast_hash::hash_one(&id) >> 32;
    let mut seen = std::collections::HashMap::new();
    let (a, b) = (0..1_000_000)
        .find_map(|i| {
            let id = format!("IRQ{i}");
            let f = fingerprint(&id);
            seen.insert(f, id.clone()).map(|other| (other, id))
        })
        .expect("a shared fingerprint among a million ids");
    let rows = [(&a, "first"), (&b, "second"), (&b, "again")].map(|(id, note)| {
        format!("{id},2024-03-01,2024,1,Battles,Armed clash,A,,B,Iraq,Baghdad,Baghdad,33.31,44.36,{note},0")
    });
    let loaded = load_rows("fingerprints.csv", rows);
    assert_eq!(loaded.report.events, 2);
    assert_eq!(event(&loaded, &a).summary(), "first");
    assert_eq!(event(&loaded, &b).summary(), "second");
    assert_eq!(
        kinds(&loaded),
        [(4, "event_id_cnty", ProblemKind::Duplicate)]
    );
    let found = problems(&loaded);
    assert!(
        found
            .first()
            .is_some_and(|p| p.2.contains("first on line 3"))
    );
}

/// Rows that repeat a location's cells take the place the first of them
/// found, without looking it up again; a location whose lookup raised a
/// problem raises it on every row that names it.
#[test]
fn repeated_locations_share_a_place_and_repeat_their_problems() {
    let rows = [
        ("PAK1", "Lahore", "31.5497", "74.3436"),
        ("PAK2", "Lahore", "31.5497", "74.3436"),
        ("PAK3", "Lahore Cantonment", "31.5497", "74.3436"),
        ("PAK4", "Nowhere-in-particular", "", ""),
        ("PAK5", "Nowhere-in-particular", "", ""),
        ("PAK6", "Lahore", "31.5497", "74.3436"),
    ];
    let loaded = load_rows(
        "repeated-locations.csv",
        rows.map(|(id, location, lat, lon)| {
            format!("{id},2024-03-01,2024,1,Battles,Armed clash,A,,B,Pakistan,Punjab,{location},{lat},{lon},n,0")
        }),
    );
    assert_eq!(loaded.report.events, 6);
    let place_of = |id: &str| event(&loaded, id).places().first().copied();
    let lahore = place_of("PAK1");
    assert!(lahore.is_some());
    assert_eq!(place_of("PAK2"), lahore);
    assert_eq!(place_of("PAK6"), lahore);
    assert_ne!(place_of("PAK3"), lahore, "another name at the same point");
    let cantonment = place_of("PAK3").and_then(|p| loaded.dataset.place(p));
    assert_eq!(cantonment.map(|p| p.name), Some("Lahore Cantonment"));
    assert_eq!(
        common::extra(event(&loaded, "PAK6"), "location"),
        Some("Lahore")
    );
    // Both unresolved rows are placed in their admin1, and both say so.
    assert_eq!(place_of("PAK4"), place_of("PAK5"));
    let found = problems(&loaded);
    let lines: Vec<u32> = found
        .iter()
        .filter(|p| p.1 == "location" && p.2.contains("Nowhere-in-particular"))
        .map(|p| p.0)
        .collect();
    assert_eq!(lines, [5, 6], "{found:?}");
}

/// Rows that repeat an earlier row's actor, source or extra cells share
/// what was made of them; a row that differs in any one cell has its own.
#[test]
fn rows_differing_in_one_cell_keep_their_own_actors_sources_and_fields() {
    let header = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,\
        sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,\
        civilian_targeting,country,admin1,location,latitude,longitude,source,source_scale,\
        notes,fatalities,tags";
    let base = [
        "Political violence",
        "Battles",
        "Armed clash",
        "Military Forces of Pakistan",
        "Police Forces of Pakistan",
        "1",
        "TTP",
        "Civilians (Pakistan)",
        "2",
        "12",
        "",
        "Pakistan",
        "Punjab",
        "Lahore",
        "31.5497",
        "74.3436",
        "Dawn; Reuters",
        "National",
        "n",
        "2",
        "",
    ];
    // Which cell (by its place in `base`) each row changes, and to what.
    let rows: [(&str, &[(usize, &str)]); 10] = [
        ("R1", &[]),
        ("R2", &[]),
        ("R3", &[(7, "Civilians (Afghanistan)")]),
        ("R4", &[(20, "women targeted: girls")]),
        ("R5", &[(16, "Dawn")]),
        ("R6", &[(2, "Attack")]),
        ("R7", &[(3, " Military Forces of Pakistan ")]),
        ("R8", &[(1, "Violence against civilians")]),
        // The same text across admin1 and location, cut elsewhere.
        ("R9", &[(12, "Punjab,Lahore"), (13, "Cantt")]),
        ("R10", &[(12, "Punjab"), (13, "Lahore,Cantt")]),
    ];
    let mut text = format!("{header}\n");
    for (id, changes) in rows {
        let mut cells = base.map(str::to_owned);
        for &(at, value) in changes {
            cells[at] = value.to_owned();
        }
        let quoted: Vec<String> = cells.iter().map(|c| format!("\"{c}\"")).collect();
        let _ = writeln!(text, "{id},2024-03-01,2024,1,{}", quoted.join(","));
    }
    let path = temp_file("one-cell-apart.csv", text.as_bytes());
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::path(&path))
        .expect("loads");
    assert_eq!(loaded.report.events, 10, "{:?}", problems(&loaded));
    let actors = |id: &str| event(&loaded, id).actors().join("; ");
    let sources = |id: &str| {
        let e = event(&loaded, id);
        e.sources()
            .iter()
            .map(|s| s.name.to_string())
            .collect::<Vec<_>>()
    };
    let field = |id: &str, key: &str| common::extra(event(&loaded, id), key).map(str::to_owned);
    let both = "Military Forces of Pakistan; Police Forces of Pakistan; TTP; Civilians (Pakistan)";
    assert_eq!(actors("R1"), both);
    assert_eq!(actors("R2"), both);
    assert_eq!(
        actors("R3"),
        "Military Forces of Pakistan; Police Forces of Pakistan; TTP; Civilians (Afghanistan)"
    );
    assert_eq!(
        actors("R7"),
        both,
        "spaces around a name are not part of it"
    );
    assert_eq!(sources("R1"), ["Dawn", "Reuters"]);
    assert_eq!(sources("R5"), ["Dawn"]);
    assert_eq!(field("R1", "tags"), None);
    assert_eq!(
        field("R4", "tags").as_deref(),
        Some("women targeted: girls")
    );
    assert_eq!(
        field("R1", "sub_event_type").as_deref(),
        Some("Armed clash")
    );
    assert_eq!(field("R6", "sub_event_type").as_deref(), Some("Attack"));
    assert_eq!(event(&loaded, "R1").title(), "Armed clash in Lahore");
    assert_eq!(event(&loaded, "R6").title(), "Attack in Lahore");
    let category = |id: &str| loaded.dataset.category_name(event(&loaded, id).category());
    assert_eq!(category("R1"), "Battles");
    assert_eq!(category("R8"), "Violence against civilians");
    assert_eq!(event(&loaded, "R9").title(), "Armed clash in Cantt");
    assert_eq!(event(&loaded, "R10").title(), "Armed clash in Lahore,Cantt");
    assert_eq!(field("R9", "admin1").as_deref(), Some("Punjab,Lahore"));
    assert_eq!(field("R10", "admin1").as_deref(), Some("Punjab"));
    assert_eq!(
        field("R1", "interaction").as_deref(),
        Some("State forces-Rebel group")
    );
}

/// Rows repeat the date of the row before (exports list events by date);
/// a repeated date is still checked against its own row's year.
#[test]
fn a_repeated_date_is_checked_against_each_rows_year() {
    let rows = [
        ("D1", "2024-03-01", "2024"),
        ("D2", "2024-03-01", "2023"),
        ("D3", "2024-03-01", "2024"),
        ("D4", "31-12-68", "1968"),
        ("D5", "31-12-68", "1968"),
        ("D6", "31-12-68", "2068"),
    ];
    let loaded = load_rows(
        "repeated-dates.csv",
        rows.map(|(id, date, year)| {
            format!("{id},{date},{year},1,Battles,Armed clash,A,,B,Pakistan,Punjab,Lahore,31.5497,74.3436,n,0")
        }),
    );
    let start = |id: &str| event(&loaded, id).date().start;
    assert_eq!(start("D1"), day("2024-03-01"));
    assert_eq!(start("D2"), day("2024-03-01"));
    assert_eq!(start("D3"), day("2024-03-01"));
    assert_eq!(start("D4"), day("1968-12-31"));
    assert_eq!(start("D5"), day("1968-12-31"));
    assert_eq!(start("D6"), day("2068-12-31"));
    let years: Vec<u32> = problems(&loaded)
        .iter()
        .filter(|p| p.1 == "year")
        .map(|p| p.0)
        .collect();
    assert_eq!(years, [3], "{:?}", problems(&loaded));
}

/// A location whose coordinates are wrong is looked up by name on every
/// row that has it, and every such row says why.
#[test]
fn repeated_wrong_coordinates_are_reported_on_each_row() {
    let loaded = load_rows(
        "wrong-coordinates.csv",
        ["W1", "W2", "W3"].map(|id| {
            format!("{id},2024-03-01,2024,1,Battles,Armed clash,A,,B,Pakistan,Punjab,Lahore,200.1,74.3436,n,0")
        }),
    );
    let lines: Vec<u32> = problems(&loaded)
        .iter()
        .filter(|p| p.1 == "latitude" && p.2.contains("200.1"))
        .map(|p| p.0)
        .collect();
    assert_eq!(lines, [2, 3, 4], "{:?}", problems(&loaded));
    let lahore = event(&loaded, "W1").places().first().copied();
    assert!(lahore.is_some(), "placed by its name");
    assert_eq!(event(&loaded, "W3").places().first().copied(), lahore);
}

/// Coordinates that are not finite or out of range are reported alike,
/// whichever spelling they have, and the row is placed by its name.
#[test]
fn every_unusable_coordinate_is_reported_and_the_name_places_the_row() {
    let cases = [
        ("N1", "NaN", "74.3436"),
        ("N2", "nan", "74.3436"),
        ("N3", "inf", "74.3436"),
        ("N4", "Infinity", "74.3436"),
        ("N5", "91", "74.3436"),
        ("N6", "500", "74.3436"),
        ("N7", "31.5497", "-inf"),
        ("N8", "31.5497", "NAN"),
    ];
    let loaded = load_rows(
        "unusable-coordinates.csv",
        cases.map(|(id, lat, lon)| {
            format!("{id},2024-03-01,2024,1,Battles,Armed clash,A,,B,Pakistan,Punjab,Lahore,{lat},{lon},n,0")
        }),
    );
    assert_eq!(loaded.report.events, cases.len(), "every row still loads");
    let found = kinds(&loaded);
    let expected: Vec<(u32, &str, ProblemKind)> = (2..)
        .zip(cases)
        .map(|(line, (_, _, lon))| {
            let field = if lon == "74.3436" {
                "latitude"
            } else {
                "longitude"
            };
            (line, field, ProblemKind::BadCoordinate)
        })
        .collect();
    assert_eq!(found, expected);
    let lahore = event(&loaded, "N1").places().first().copied();
    assert!(lahore.is_some(), "placed by its name");
    for (id, _, _) in cases {
        assert_eq!(event(&loaded, id).places().first().copied(), lahore, "{id}");
    }
    // An empty cell or a null marker is a missing value, not a bad one.
    let missing = load_rows(
        "missing-coordinates.csv",
        ["M1", "M2"].map(|id| {
            format!(
                "{id},2024-03-01,2024,1,Battles,Armed clash,A,,B,Pakistan,Punjab,Lahore,NA,,n,0"
            )
        }),
    );
    assert_eq!(kinds(&missing), []);
}
