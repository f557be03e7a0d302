//! Timeline: what the timeline panel computes each frame at the bench size
//! (the window count, and the density bars of the days in view, binned from
//! the pre-summed histogram into at most one bar per 3 px of a 1000 px
//! plot), and what is built once per dataset.
//!
//! `cargo bench --bench timeline`; `CHRONOMAP_BENCH_ROWS=100000` for a quick run.

mod common;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

use chronomap::model::Day;
use chronomap::time::{DayHistogram, TimeIndex};
use chronomap::ui::density_charts;

/// The plot's width in a 1400×900 window, and the timeline's 3 px per bar.
const MAX_BINS: usize = 1000 / 3;

fn timeline(c: &mut Criterion) {
    let rows = common::rows();
    let loaded = common::loaded(rows);
    let dataset = &loaded.dataset;
    let index = TimeIndex::new(dataset);
    let histogram = DayHistogram::new(&index);
    let (first, last) = index.span();
    let cursor = Day::parse_iso("2022-06-15").unwrap_or(first);

    let mut group = c.benchmark_group(format!("timeline/{rows}"));
    group
        .sample_size(50)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for (name, a, z) in [
        ("1d", cursor, cursor),
        ("7d", cursor.offset(-6), cursor),
        ("all", first, last),
    ] {
        group.bench_function(format!("count/{name}"), |b| {
            b.iter(|| black_box(index.count(black_box(a), black_box(z))));
        });
    }
    // The plot zoomed out on every day, on a year, and on a month.
    let views = [
        ("all", f64::from(first.0) - 0.7, f64::from(last.0) + 0.7),
        (
            "year",
            f64::from(cursor.0) - 182.0,
            f64::from(cursor.0) + 182.0,
        ),
        (
            "month",
            f64::from(cursor.0) - 15.0,
            f64::from(cursor.0) + 15.0,
        ),
    ];
    for (name, from, to) in views {
        let bins = histogram.bins(from, to, MAX_BINS);
        eprintln!("{name}: {} bins of {} days", bins.len(), bins.days_per_bin);
        group.bench_function(format!("bins/{name}"), |b| {
            b.iter(|| black_box(histogram.bins(black_box(from), black_box(to), MAX_BINS)));
        });
        // Binning plus the bar charts the panel hands to egui_plot.
        group.bench_function(format!("panel_bars/{name}"), |b| {
            b.iter(|| {
                let bins = Arc::new(histogram.bins(from, to, MAX_BINS));
                black_box(density_charts(bins, &dataset.categories))
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group(format!("timeline_build/{rows}"));
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("time_index_new", |b| {
        b.iter(|| black_box(TimeIndex::new(dataset)))
    });
    group.bench_function("day_histogram_new", |b| {
        b.iter(|| black_box(DayHistogram::new(&index)))
    });
    group.finish();
}

criterion_group!(benches, timeline);
criterion_main!(benches);
