//! `chronomap check`: the built binary, its text and JSON output, exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

use crate::common;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn chronomap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chronomap"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn json_summary_of_one_file() {
    let file = fixture("table/events.csv");
    let output = chronomap(&["check", &file, "--json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "problems do not fail the check"
    );
    let summary = json(&output);
    assert_eq!(summary["file"], file.as_str());
    assert_eq!(summary["format"], "plain CSV");
    assert_eq!(summary["rows"], 10);
    assert_eq!(summary["events"], 8);
    assert_eq!(summary["date_min"], "2025-01-01");
    assert_eq!(summary["date_max"], "2025-12-31");
    assert_eq!(summary["unresolved_places"], serde_json::json!(["Khots"]));
    let first = &summary["problems"][0];
    assert_eq!(first["line"], 4);
    assert_eq!(first["field"], "lat");
    assert_eq!(first["kind"], "bad_coordinate");
    assert_eq!(
        first["message"],
        "latitude 200.1 out of range; the place is looked up by name"
    );
    let keys: Vec<&str> = first
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(keys, ["field", "kind", "line", "message"]);
    let kinds: Vec<&str> = summary["problems"]
        .as_array()
        .map(|list| list.iter().filter_map(|p| p["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        kinds,
        [
            "bad_coordinate",
            "bad_date",
            "missing_field",
            "unknown_place",
            "bad_number",
            "bad_date",
            "missing_field",
            "missing_field",
            "bad_coordinate",
        ]
    );
    assert_eq!(
        summary["totals"],
        serde_json::json!({
            "bad_date": 2,
            "bad_coordinate": 2,
            "unknown_place": 1,
            "missing_field": 3,
            "bad_number": 1,
        })
    );
    assert_eq!(summary["problems_left_out"], serde_json::json!({}));
    assert!(summary.get("error").is_none());
}

/// `--json` counts the events of each date precision: ACLED's
/// time_precision 2 and 3 are a week and a month.
#[test]
fn json_counts_events_by_date_precision() {
    let output = chronomap(&["check", &fixture("acled/current_schema.csv"), "--json"]);
    let summary = json(&output);
    assert_eq!(
        summary["date_precision"],
        serde_json::json!({ "day": 5, "month": 1, "week": 1 })
    );
    let total: u64 = summary["date_precision"]
        .as_object()
        .map(|o| o.values().filter_map(Value::as_u64).sum())
        .unwrap_or_default();
    assert_eq!(Some(total), summary["events"].as_u64());
    // By first place: geo_precision 1 (and a bad coordinate found by
    // name), 2, and 3 or a name only its admin1 resolved.
    assert_eq!(
        summary["location_precision"],
        serde_json::json!({ "exact": 3, "near": 1, "region": 3 })
    );
}

#[test]
fn several_files_print_an_array_and_a_failure_exits_1() {
    let good = fixture("acled/monadic_export.csv");
    let bad = fixture("misc/image.csv");
    let output = chronomap(&["check", "--json", &good, &bad]);
    assert_eq!(output.status.code(), Some(1));
    let list = json(&output);
    let items = list.as_array().expect("an array");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["format"], "ACLED CSV (monadic export)");
    assert_eq!(items[0]["events"], 2);
    assert_eq!(items[1]["format"], Value::Null);
    assert_eq!(items[1]["error"], "an image, not an event file");
    assert_eq!(
        items[1]["problems"][0]["message"],
        "an image, not an event file"
    );
    assert_eq!(items[1]["problems"][0]["kind"], "not_loaded");
    assert_eq!(items[1]["totals"], serde_json::json!({"not_loaded": 1}));
}

#[test]
fn text_summary_lists_problems_with_lines() {
    let file = fixture("gdelt/20250807220000.export.CSV");
    let output = chronomap(&["check", &file]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "  format:      GDELT 2.0 (61 fields)\n",
        "  rows read:   6\n",
        "  events:      4\n",
        "  date span:   2024-08-07 to 2025-08-06\n",
        "  unresolved:  none\n",
        "  problems:    4 (bad_date 1, bad_coordinate 1, missing_field 1, wrong_field_count 1)\n",
        "    line 4, field 'SQLDATE' (bad_date): date '20251331' is not a date (YYYYMMDD) (the row is skipped)\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn flags_reach_the_loaders() {
    let file = fixture("table/ambiguous_dates.csv");
    let month_first = json(&chronomap(&["check", "--json", "--month-first", &file]));
    assert_eq!(month_first["date_max"], "2025-07-08");
    assert_eq!(month_first["problems"], serde_json::json!([]));
    let undecided = json(&chronomap(&["check", "--json", &file]));
    assert_eq!(undecided["date_max"], "2025-08-07");
    assert_eq!(undecided["problems"].as_array().map(Vec::len), Some(1));
    let custom = fixture("table/custom_columns.csv");
    let mapped = json(&chronomap(&[
        "check",
        "--json",
        "--col-date",
        "when",
        "--col-lat",
        "y_deg",
        "--col-lon",
        "x_deg",
        "--col-title",
        "what",
        &custom,
    ]));
    assert_eq!(mapped["events"], 1);
    assert_eq!(mapped["problems"], serde_json::json!([]));
}

#[test]
fn usage_errors_exit_2_and_missing_files_exit_1() {
    assert_eq!(chronomap(&["check"]).status.code(), Some(2));
    assert_eq!(
        chronomap(&["check", "--no-such-flag", "x.csv"])
            .status
            .code(),
        Some(2)
    );
    let both = chronomap(&["check", "--day-first", "--month-first", "x.csv"]);
    assert_eq!(both.status.code(), Some(2));
    let missing = chronomap(&["check", "/nonexistent/events.csv"]);
    assert_eq!(missing.status.code(), Some(1));
    let text = String::from_utf8_lossy(&missing.stdout);
    assert!(
        text.starts_with("/nonexistent/events.csv: not loaded: cannot read the file"),
        "{text}"
    );
    let empty = chronomap(&["check", &fixture("misc/empty.csv")]);
    assert_eq!(empty.status.code(), Some(1));
}

/// Runs `chronomap check ARGS` with `stdin` piped in.
fn chronomap_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_chronomap"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin piped");
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&bytes));
    let output = child.wait_with_output().expect("the binary ends");
    assert!(writer.join().is_ok_and(|w| w.is_ok()), "stdin written");
    output
}

#[test]
fn a_dash_reads_standard_input_gzipped_or_not() {
    let text = std::fs::read(fixture("table/events.csv")).expect("fixture");
    let plain = chronomap_with_stdin(&["check", "-", "--json"], &text);
    assert_eq!(plain.status.code(), Some(0));
    let summary = json(&plain);
    assert_eq!(summary["file"], "standard input");
    assert_eq!(summary["format"], "plain CSV");
    assert_eq!(summary["events"], 8);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &text).expect("compresses");
    let packed = encoder.finish().expect("compresses");
    let gz = chronomap_with_stdin(&["check", "-", "--json"], &packed);
    assert_eq!(json(&gz)["events"], 8);
    // Not a terminal: no progress bar on stderr.
    assert!(
        gz.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&gz.stderr)
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_without_a_writer_says_so() {
    use std::io::Write;
    let dir = crate::common::scratch_root().join("fifo");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let fifo = dir.join("later.csv");
    let _ = std::fs::remove_file(&fifo);
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let child = Command::new(env!("CARGO_BIN_EXE_chronomap"))
        .args(["check", &fifo.display().to_string(), "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let text = std::fs::read(fixture("table/events.csv")).expect("fixture");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&fifo)
        .and_then(|mut w| w.write_all(&text))
        .expect("written to the FIFO");
    let output = child.wait_with_output().expect("the binary ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "waiting for a program to write to {}",
            fifo.display()
        )),
        "{stderr}"
    );
    assert_eq!(json(&output)["events"], 8);
}

/// An ACLED export whose `repeats` rows all repeat the first row's id, after
/// `bad_dates` rows with dates that are not dates.
fn repeated_ids(name: &str, repeats: usize, bad_dates: usize) -> String {
    let mut text = String::from(
        "event_id_cnty,event_date,year,event_type,actor1,actor2,country,location,latitude,longitude\n",
    );
    text.push_str("PAK1,2024-03-01,2024,Battles,A,B,Pakistan,Lahore,31.5,74.3\n");
    for n in 0..bad_dates {
        text.push_str(&format!(
            "BAD{n},2024-13-01,2024,Battles,A,B,Pakistan,Lahore,31.5,74.3\n"
        ));
    }
    for _ in 0..repeats {
        text.push_str("PAK1,2024-03-01,2024,Battles,A,B,Pakistan,Lahore,31.5,74.3\n");
    }
    common::write_temp(name, text.as_bytes())
        .display()
        .to_string()
}

#[test]
fn only_the_first_problems_of_each_kind_are_printed_with_the_totals() {
    let file = repeated_ids("repeated-ids.csv", 50, 3);
    let summary = json(&chronomap(&["check", "--json", &file]));
    assert_eq!(summary["events"], 1);
    assert_eq!(
        summary["totals"],
        serde_json::json!({"bad_date": 3, "duplicate": 50})
    );
    let problems = summary["problems"].as_array().cloned().unwrap_or_default();
    let count = |kind: &str| problems.iter().filter(|p| p["kind"] == kind).count();
    assert_eq!((count("bad_date"), count("duplicate")), (3, 20));
    assert_eq!(
        summary["problems_left_out"],
        serde_json::json!({"duplicate": 30})
    );

    let output = chronomap(&["check", &file]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("  problems:    53 (bad_date 3, duplicate 50)\n"),
        "{text}"
    );
    assert_eq!(text.matches("(duplicate): duplicate").count(), 20, "{text}");
    assert!(
        text.contains("    ... and 30 more duplicate problems (--all-problems prints them all)\n"),
        "{text}"
    );
}

#[test]
fn all_problems_prints_every_one() {
    let file = repeated_ids("repeated-ids-all.csv", 1_500, 0);
    let summary = json(&chronomap(&["check", "--json", "--all-problems", &file]));
    assert_eq!(summary["totals"], serde_json::json!({"duplicate": 1_500}));
    assert_eq!(summary["problems"].as_array().map(Vec::len), Some(1_500));
    assert_eq!(summary["problems_left_out"], serde_json::json!({}));
    let text = chronomap(&["check", "--all-problems", &file]).stdout;
    let text = String::from_utf8_lossy(&text);
    assert_eq!(text.matches("(duplicate): duplicate").count(), 1_500);
    assert!(!text.contains("more duplicate problems"), "{text}");
}

#[test]
fn a_geojson_cut_off_before_its_first_feature_fails() {
    let file = common::write_temp(
        "cut-off.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"date":"2025-"#,
    );
    let file = file.display().to_string();
    let output = chronomap(&["check", "--json", &file]);
    assert_eq!(output.status.code(), Some(1), "nothing was loaded");
    let summary = json(&output);
    let error = summary["error"].as_str().unwrap_or_default();
    assert!(
        error.starts_with(
            "no record could be read: line 1, field 'features': the file is broken or cut off"
        ),
        "{error}"
    );
}

#[test]
fn check_counts_the_events_in_no_province_and_those_passing_the_filters() {
    let file = fixture("misc/provinces.json");
    let output = chronomap(&["check", &file, "--regions", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let summary = json(&output);
    assert_eq!(summary["unknown_province"], 1, "the ship at sea");
    assert!(summary.get("matching").is_none(), "no filter given");
    // The fixture names cities by their points: their provinces are the
    // basemap's, as the provinces mode counts them.
    let output = chronomap(&["check", &file, "--province", "Punjab", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(json(&output)["matching"], 6);
    // The seed names Khost as a province: its one event there passes.
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/seed-events.json");
    let seed = seed.display().to_string();
    let output = chronomap(&["check", &seed, "--province", "khost", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(json(&output)["matching"], 1);
    let output = chronomap(&[
        "check",
        &file,
        "--min-fatalities",
        "2",
        "--bbox",
        "70,28,76,33",
    ]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("matching:    1 pass the filters"), "{text}");
    let output = chronomap(&["check", &file, "--actor", "nobody"]);
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("no actor 'nobody'"), "{said}");
}
