//! Frame: with the generated dataset loaded, what one frame costs on the CPU
//! while the date cursor moves by a day (the view state's refresh), building
//! the scene at world view, fitted to the data and zoomed on a province, and
//! hover picking. `frame_parts` splits the refresh into its steps.
//!
//! `cargo bench --bench frame`; `CHRONOMAP_BENCH_ROWS=100000` for a quick run.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};

use chronomap::atlas::{Atlas, RegionLevel};
use chronomap::model::{Day, EventIdx};
use chronomap::scene::{
    Camera, SceneCache, Style, Viewport, active_counts, build_scene, fit, hit_test, place_states,
};
use chronomap::state::{Command, ViewState};
use chronomap::time::{EventFilter, TimeCommand, WindowWidth};

/// The map's size in a 1400×900 window with the side panels open.
const VIEWPORT: [f32; 2] = [1000.0, 640.0];
/// A day in the middle of the generated period.
const CURSOR: &str = "2022-06-15";

fn quick(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
}

/// The three cameras of the issue: the world, the data (what the app opens
/// on) and one province (Punjab, Pakistan).
fn cameras(state: &ViewState, atlas: &Atlas, viewport: &Viewport) -> Vec<(&'static str, Camera)> {
    let world = Camera::fit([0.0, 0.15], [1.0, 0.85], viewport, 0.0);
    let data = fit::fit_to_dataset(state.dataset(), atlas, viewport);
    let punjab = atlas
        .provinces
        .iter()
        .find(|r| {
            r.name == "Punjab" && r.country_iso2 == "PK" && r.id.level == RegionLevel::Province
        })
        .map_or(data, |r| {
            Camera::fit(r.bbox_world.min, r.bbox_world.max, viewport, 20.0)
        });
    vec![("world", world), ("data", data), ("province", punjab)]
}

fn frame(c: &mut Criterion) {
    let rows = common::rows();
    let mut state = common::view_state(rows);
    let atlas = Atlas::embedded();
    let cursor = Day::parse_iso(CURSOR).unwrap_or_default();
    state.apply_all([Command::Time(TimeCommand::SetCursor(cursor))]);
    let viewport = Viewport::sized(VIEWPORT[0], VIEWPORT[1]);
    let cache = SceneCache::new(atlas);
    let style = Style::light();
    let cameras = cameras(&state, atlas, &viewport);

    let mut group = c.benchmark_group(format!("frame/{rows}"));
    quick(&mut group);
    for width in [1_u16, 7] {
        state.apply_all([Command::Time(TimeCommand::SetWindow(WindowWidth::Days(
            width,
        )))]);
        eprintln!("{width}-day window: {} active events", state.active().len());
        let mut step = 1;
        group.bench_function(format!("window_step_1d/{width}d"), |b| {
            b.iter(|| {
                step = -step;
                state.apply_all([Command::Time(TimeCommand::Step(step))]);
                black_box(state.active().len())
            });
        });
    }
    state.apply_all([Command::Time(TimeCommand::SetWindow(WindowWidth::Days(1)))]);
    for (name, camera) in &cameras {
        let input = |state: &ViewState| {
            build_scene(
                &state.scene_input(atlas, camera, viewport, &style, None),
                &cache,
            )
        };
        group.bench_function(format!("build_scene/{name}"), |b| {
            b.iter(|| black_box(input(&state)))
        });
        let mut step = 1;
        group.bench_function(format!("step_and_scene/{name}"), |b| {
            b.iter(|| {
                step = -step;
                state.apply_all([Command::Time(TimeCommand::Step(step))]);
                black_box(input(&state))
            });
        });
        let scene = input(&state);
        eprintln!(
            "{name}: {} meshes, {} lines, {} markers, {} clusters, {} labels, {} place areas",
            scene.meshes.len(),
            scene.lines.len(),
            scene.markers.len(),
            scene.clusters.len(),
            scene.labels.len(),
            scene.place_areas.len()
        );
        // Points over a marker, over land and over the sea, in turn.
        let mut points: Vec<[f32; 2]> = scene.markers.iter().take(6).map(|m| m.pos).collect();
        points.extend([
            viewport.center(),
            [10.0, 10.0],
            [VIEWPORT[0] * 0.3, VIEWPORT[1] * 0.6],
        ]);
        let mut i = 0;
        group.bench_function(format!("hit_test/{name}"), |b| {
            b.iter(|| {
                i = (i + 1) % points.len();
                let p = points.get(i).copied().unwrap_or_default();
                black_box(hit_test(&scene, atlas, camera, &viewport, p))
            });
        });
    }
    group.finish();
    frame_parts(c, &state, rows);
}

/// The steps of `ViewState`'s refresh, one by one, for a 1-day window.
fn frame_parts(c: &mut Criterion, state: &ViewState, rows: usize) {
    let dataset = state.dataset();
    let (first, last) = state.time.window();
    let filter = EventFilter::default();
    let active: Vec<EventIdx> = state.active().to_vec();
    let mut group = c.benchmark_group(format!("frame_parts/{rows}"));
    quick(&mut group);
    group.bench_function("time_index_overlapping_1d", |b| {
        b.iter(|| black_box(state.index().overlapping(dataset, first, last)));
    });
    group.bench_function("listed_filter_over_all_events", |b| {
        b.iter(|| {
            let listed: Vec<EventIdx> = (0..dataset.events.len())
                .filter_map(|i| u32::try_from(i).ok())
                .filter(|&i| filter.matches(dataset, i))
                .collect();
            black_box(listed)
        });
    });
    group.bench_function("place_states", |b| {
        b.iter(|| black_box(place_states(dataset, &active, None)));
    });
    group.bench_function("active_counts", |b| {
        b.iter(|| black_box(active_counts(dataset, &active)));
    });
    group.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
