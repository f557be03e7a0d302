//! Load: parsing the generated ACLED CSV into a dataset, as `chronomap check`
//! does (decode, detect, parse, resolve places, sort).
//!
//! `cargo bench --bench load`; `CHRONOMAP_BENCH_ROWS=100000` for a quick run.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

use chronomap::atlas::Atlas;
use chronomap::load::{Loader, Source};

fn load(c: &mut Criterion) {
    let rows = common::rows();
    let path = common::acled_file(rows);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    };
    let atlas = Atlas::embedded();
    let mut group = c.benchmark_group("load");
    // One load is seconds long: ten single-iteration samples are enough.
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function(format!("acled_csv/{rows}"), |b| {
        b.iter(|| {
            let loaded = Loader::new(atlas).load(Source::bytes("bench.csv", black_box(&bytes)));
            assert!(loaded.is_ok(), "the bench file loads");
            loaded
        });
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
