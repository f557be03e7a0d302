//! `chronomap check`: the built binary, its text and JSON output, exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

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
    assert_eq!(
        first["message"],
        "latitude 200.1 out of range; the place is looked up by name"
    );
    let keys: Vec<&str> = first
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(keys, ["field", "line", "message"]);
    assert!(summary.get("error").is_none());
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
        "  problems:    4\n",
        "    line 4, field 'SQLDATE': date '20251331' is not a date (YYYYMMDD) (the row is skipped)\n",
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
    let dir = std::env::temp_dir().join(format!("chronomap-fifo-{}", std::process::id()));
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
