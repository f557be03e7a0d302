//! Load: each format's generated file read into a dataset from its path, as
//! `chronomap check` reads it (stream, detect, parse, resolve places, sort):
//! ACLED from bytes in memory as before, then every format from disk with
//! 1 % and 100 % of its rows at a place of their own.
//!
//! `cargo bench --bench load`; `CHRONOMAP_BENCH_ROWS=100000` for a quick run.
//! Peers (polars, DuckDB, pyarrow, json.load) are timed on the same files by
//! `benches/compare_load.py`, which shares them.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

use chronomap::atlas::Atlas;
use chronomap::load::{Loader, Source};

/// Every format the generator writes, at these shares of distinct places.
const FORMATS: [&str; 5] = ["acled", "gdelt2", "csv", "json", "geojson"];
const SHARES: [u32; 2] = [1, 100];

/// One load is seconds long: ten single-iteration samples are enough.
fn settings(group: &mut BenchmarkGroup<'_, WallTime>, bytes: u64) {
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Bytes(bytes));
}

fn load(c: &mut Criterion) {
    let rows = common::rows();
    let path = common::acled_file(rows);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    };
    let atlas = Atlas::embedded();
    let mut group = c.benchmark_group("load");
    settings(&mut group, bytes.len() as u64);
    group.bench_function(format!("acled_csv/{rows}"), |b| {
        b.iter(|| {
            let loaded = Loader::new(atlas).load(Source::bytes("bench.csv", black_box(&bytes)));
            assert!(loaded.is_ok(), "the bench file loads");
            loaded
        });
    });
    group.finish();
}

fn load_files(c: &mut Criterion) {
    let rows = common::rows();
    let atlas = Atlas::embedded();
    let mut group = c.benchmark_group("load_file");
    for format in FORMATS {
        for share in SHARES {
            let path = common::generated(format, Some(share), rows);
            let size = std::fs::metadata(&path).map_or(0, |m| m.len());
            settings(&mut group, size);
            group.bench_function(format!("{format}/{share}pc/{rows}"), |b| {
                b.iter(|| {
                    let loaded = Loader::new(atlas).load(Source::path(black_box(&path)));
                    assert!(loaded.is_ok(), "the bench file loads");
                    loaded
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, load, load_files);
criterion_main!(benches);
