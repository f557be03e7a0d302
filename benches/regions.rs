//! Regions mode: finding each place's province and country once per
//! dataset, and what the mode costs a frame while the date plays.
//!
//! - `place_regions/{shape}`: every place's province and country through the
//!   atlas's R-tree of outlines (on every core).
//! - `step_day/{shape}`: a day's step in provinces mode, as playback makes it:
//!   the view's refresh (the window's events, their totals by province) and
//!   the scene with the filled provinces, fitted to the data.
//!
//! Shapes: ACLED rows from `gen-events` sharing a few thousand places
//! (`shared`), and each at a point of its own (`places100`).
//!
//! `cargo bench --bench regions`; `CHRONOMAP_BENCH_ROWS=100000` for a quick run.

mod common;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use chronomap::atlas::Atlas;
use chronomap::load::{Loader, Source};
use chronomap::model::Day;
use chronomap::scene::{
    MapMode, SceneCache, Style, Viewport, build_scene, find_place_regions, fit,
};
use chronomap::state::{Command, SharedRegions, ViewState};
use chronomap::time::{TimeCommand, WindowWidth};

fn regions(c: &mut Criterion) {
    let rows = common::rows();
    let atlas = Atlas::embedded();
    for (shape, distinct) in [("shared", None), ("places100", Some(100))] {
        let path = common::generated("acled", distinct, rows);
        let dataset = match Loader::new(atlas).load(Source::path(&path)) {
            Ok(loaded) => Arc::new(loaded.dataset),
            Err(e) => panic!("the bench file does not load: {e}"),
        };
        let mut group = c.benchmark_group(format!("regions/{rows}"));
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(5));
        group.bench_function(format!("place_regions/{shape}"), |b| {
            b.iter(|| black_box(find_place_regions(&dataset, atlas)));
        });
        let found = find_place_regions(&dataset, atlas);
        eprintln!(
            "{shape}: {} places, {} in no province",
            dataset.places.len(),
            found.unplaced()
        );
        let mut state = ViewState::new(Arc::clone(&dataset));
        let middle = dataset
            .span()
            .map_or(Day(0), |(a, b)| Day(a.0 + (b.0 - a.0) / 2));
        state.apply_all([
            Command::SetPlaceRegions(SharedRegions(Arc::new(found))),
            Command::SetMapMode(MapMode::Provinces),
            Command::Time(TimeCommand::SetWindow(WindowWidth::Days(1))),
            Command::Time(TimeCommand::SetCursor(middle)),
        ]);
        let viewport = Viewport::sized(1000.0, 640.0);
        let camera = fit::fit_to_dataset(&dataset, atlas, &viewport);
        let cache = SceneCache::new(atlas);
        let style = Style::light();
        let mut forward = true;
        group.bench_function(format!("step_day/{shape}"), |b| {
            b.iter(|| {
                forward = !forward;
                let step = if forward { 1 } else { -1 };
                state.apply_all([Command::Time(TimeCommand::Step(step))]);
                let input = state.scene_input(atlas, &camera, viewport, &style, None);
                black_box(build_scene(&input, &cache))
            });
        });
        group.finish();
    }
}

criterion_group!(benches, regions);
criterion_main!(benches);
