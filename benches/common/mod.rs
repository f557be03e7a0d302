//! What every bench needs: the size to run at and the generated ACLED file,
//! made on first use with the `gen-events` binary cargo builds for benches.
//!
//! `CHRONOMAP_BENCH_ROWS` sets the number of events (default 1,000,000; use
//! 100000 for a quick run). Files go to `target/bench-data/` and are reused.

#![allow(dead_code, reason = "each bench uses the part of this module it needs")]

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use chronomap::atlas::Atlas;
use chronomap::load::{Loaded, Loader, Source};
use chronomap::state::ViewState;

/// The reference size of issue 4.
const DEFAULT_ROWS: usize = 1_000_000;
/// The seed of every bench file, so runs compare like with like.
pub const SEED: u64 = 42;

/// How many events the benches load.
pub fn rows() -> usize {
    std::env::var("CHRONOMAP_BENCH_ROWS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(DEFAULT_ROWS)
}

/// The ACLED CSV with `rows` events, generated on first use.
///
/// # Panics
/// When the generator cannot run or fails: a bench cannot go on without data.
pub fn acled_file(rows: usize) -> PathBuf {
    generated("acled", None, rows)
}

/// The file of `rows` events that `gen-events --format FORMAT` writes, with
/// `distinct` percent of its rows at a place of their own (`None`: the
/// generator's own few thousand shared places), generated on first use.
/// The names are `benches/compare_load.py`'s, so the two share their files.
///
/// # Panics
/// When the generator cannot run or fails: a bench cannot go on without data.
pub fn generated(format: &str, distinct: Option<u32>, rows: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let extension = match format {
        "gdelt1" | "gdelt2" => "tsv",
        "json" => "json",
        "geojson" => "geojson",
        _ => "csv",
    };
    let places = distinct.map_or_else(String::new, |share| format!("-places{share}"));
    let path = dir.join(format!("{format}-{rows}-seed{SEED}{places}.{extension}"));
    if path.exists() {
        return path;
    }
    let partial = path.with_extension("partial");
    let started = Instant::now();
    let mut command = Command::new(env!("CARGO_BIN_EXE_gen-events"));
    command
        .args(["--rows", &rows.to_string(), "--format", format])
        .args(["--seed", &SEED.to_string(), "--out"])
        .arg(&partial);
    if let Some(share) = distinct {
        command.args(["--distinct-places", &share.to_string()]);
    }
    let status = command.status();
    assert!(
        status.as_ref().is_ok_and(std::process::ExitStatus::success),
        "gen-events failed: {status:?}"
    );
    if let Err(e) = std::fs::rename(&partial, &path) {
        panic!("cannot move {} into place: {e}", partial.display());
    }
    eprintln!(
        "generated {} ({rows} rows) in {:.1} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    path
}

/// The generated file, loaded as `chronomap check` loads it.
///
/// # Panics
/// When the file does not load.
pub fn loaded(rows: usize) -> Loaded {
    let path = acled_file(rows);
    let started = Instant::now();
    let loaded = match Loader::new(Atlas::embedded()).load(Source::path(&path)) {
        Ok(loaded) => loaded,
        Err(e) => panic!("the bench file does not load: {e}"),
    };
    eprintln!(
        "loaded {} events, {} places in {:.1} s",
        loaded.dataset.events.len(),
        loaded.dataset.places.len(),
        started.elapsed().as_secs_f64()
    );
    loaded
}

/// A view of the generated dataset, as the app holds it.
pub fn view_state(rows: usize) -> ViewState {
    let loaded = loaded(rows);
    let started = Instant::now();
    let state = ViewState::new(Arc::new(loaded.dataset));
    eprintln!("ViewState::new in {:.2} s", started.elapsed().as_secs_f64());
    state
}
