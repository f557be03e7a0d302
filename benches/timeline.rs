//! Timeline: the window count and the per-day density the timeline panel
//! draws, at the bench size; and building the index once.
//!
//! `cargo bench --bench timeline`; `CHRONOMAP_BENCH_ROWS=100000` for a quick run.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

use chronomap::model::Day;
use chronomap::time::TimeIndex;

fn timeline(c: &mut Criterion) {
    let rows = common::rows();
    let loaded = common::loaded(rows);
    let dataset = &loaded.dataset;
    let index = TimeIndex::new(dataset);
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
    group.bench_function("density_day_totals", |b| {
        b.iter(|| black_box(day_totals(index.density())));
    });
    // What the timeline panel does with the density each frame, minus egui:
    // one bar per (category, day) with a formatted hover name.
    group.bench_function("density_bars_like_timeline_panel", |b| {
        b.iter(|| black_box(bars_like_panel(&index, &dataset.categories)));
    });
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
    group.finish();
}

/// Events per day over all categories: the scale of the histogram.
fn day_totals(density: &[Vec<u32>]) -> Vec<u32> {
    let days = density.first().map_or(0, Vec::len);
    (0..days)
        .map(|d| {
            density
                .iter()
                .map(|row| row.get(d).copied().unwrap_or(0))
                .sum()
        })
        .collect()
}

/// A replica of `ui::timeline::density_bars` without egui: heights, stacking
/// offsets and a formatted name for every non-empty (category, day).
fn bars_like_panel(index: &TimeIndex, categories: &[String]) -> Vec<(f64, f64, String)> {
    let density = index.density();
    let (first, _) = index.span();
    let totals = day_totals(density);
    let max = f64::from(totals.iter().copied().max().unwrap_or(0).max(1));
    let mut base = vec![0.0_f64; totals.len()];
    let mut bars = Vec::new();
    for (c, row) in density.iter().enumerate() {
        let name = categories.get(c).map_or("", String::as_str);
        for (d, &n) in row.iter().enumerate().filter(|(_, n)| **n > 0) {
            let h = f64::from(n) / max;
            let day = first.offset(i32::try_from(d).unwrap_or(0));
            let offset = base.get(d).copied().unwrap_or(0.0);
            bars.push((h, offset, format!("{}: {n} {name}", day.short_words())));
            if let Some(b) = base.get_mut(d) {
                *b += h;
            }
        }
    }
    bars
}

criterion_group!(benches, timeline);
criterion_main!(benches);
