//! Frame: with the generated dataset loaded, what one frame costs on the CPU
//! at world view, fitted to the data and zoomed on a province.
//!
//! - `frame`: the view state's refresh while the date cursor moves by a day,
//!   building the scene (window state, clusters, basemap, labels), both
//!   together, and hover picking, as the map does each frame.
//! - `frame_parts`: the steps of the refresh and of the clustering, and the
//!   indexes built once per dataset.
//! - `search`: typing two words in the event list's search box.
//! - `app_frame`: the whole app driven headlessly by egui_kittest, every
//!   panel plus egui's tessellation, idle, stepping a day per frame, and
//!   panning with the mouse (kittest also updates its AccessKit tree each
//!   frame, which the app without a screen reader does not); then, at the
//!   data's view, a facet's value kept and let go, and a Shift-drag
//!   brushing the timeline, a frame each.
//!
//! `cargo bench --bench frame`; `CHRONOMAP_BENCH_ROWS=100000` for a quick run.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};
use egui_kittest::Harness;

use chronomap::atlas::{Atlas, RegionLevel};
use chronomap::load::Loaded;
use chronomap::model::{Dataset, Day, EventIdx, Facet};
use chronomap::scene::{
    Camera, PlaceIndex, SceneCache, Style, Viewport, active_counts, build_scene, fit, hit_test,
    place_states,
};
use chronomap::state::{Command, ViewState};
use chronomap::time::{Certainty, EventFilter, Seen, TimeCommand, WindowWidth};
use chronomap::ui::{AppOptions, ChronomapApp};

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

fn step_command(step: i32) -> Command {
    Command::Time(TimeCommand::Step(step))
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
                state.apply_all([step_command(step)]);
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
                state.apply_all([step_command(step)]);
                black_box(input(&state))
            });
        });
        let scene = input(&state);
        eprintln!(
            "{name}: {} meshes, {} lines, {} markers, {} clusters holding {} places, \
             {} labels, {} shapes",
            scene.meshes.len(),
            scene.lines.len(),
            scene.markers.len(),
            scene.clusters.len(),
            scene.clusters.iter().map(|c| c.places).sum::<u32>(),
            scene.labels.len(),
            scene.shape_count(),
        );
        // Points over clusters and markers, then land and sea, in turn.
        let mut points: Vec<[f32; 2]> = scene.clusters.iter().take(4).map(|m| m.pos).collect();
        points.extend(scene.markers.iter().take(4).map(|m| m.pos));
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
    frame_parts(c, &state, &cameras, rows);
    search(c, &mut state, rows);
    let dataset = state.dataset().clone();
    drop(state);
    app_frame(c, dataset, rows);
}

/// Typing in the event list's search box, as the view state does it (all
/// cores; the first word tests every event's texts, the second only those
/// listed), and the matcher alone on one thread over every event.
fn search(c: &mut Criterion, state: &mut ViewState, rows: usize) {
    // The app's frames poll a background search; here, until it ends.
    let type_text = |state: &mut ViewState, text: &str| {
        state.apply_all([Command::SetFilterText(text.to_owned())]);
        while state.is_searching() {
            std::thread::sleep(Duration::from_micros(200));
            state.apply_all([]);
        }
    };
    let mut group = c.benchmark_group(format!("search/{rows}"));
    quick(&mut group);
    group.bench_function("search_two_words", |b| {
        b.iter(|| {
            type_text(state, "Mortar");
            type_text(state, "Mortar ceylanpinar");
            let listed = state.listed().len();
            type_text(state, "");
            black_box(listed)
        });
    });
    // Letter by letter, as typed: each keystroke narrows the one before.
    group.bench_function("type_mortar_letter_by_letter", |b| {
        b.iter(|| {
            for end in 1..="Mortar".len() {
                type_text(state, &"Mortar"[..end]);
            }
            let listed = state.listed().len();
            type_text(state, "");
            black_box(listed)
        });
    });
    // What a keystroke costs the frame: the search starts on a worker and
    // clearing the box cancels it and lists every event again.
    group.bench_function("keystroke_then_clear_on_the_ui_thread", |b| {
        b.iter(|| {
            state.apply_all([Command::SetFilterText("Mortar".to_owned())]);
            let searching = state.is_searching();
            state.apply_all([Command::SetFilterText(String::new())]);
            black_box(searching)
        });
    });
    // What hiding a category in the legend, and showing it again, costs
    // the frame.
    group.bench_function("toggle_category_on_the_ui_thread", |b| {
        b.iter(|| {
            state.apply_all([Command::ToggleCategory(0)]);
            let searching = state.is_searching();
            state.apply_all([Command::ToggleCategory(0)]);
            black_box(searching)
        });
    });
    let dataset = state.dataset();
    let search = EventFilter {
        text: "Mortar ceylanpinar".to_owned(),
        ..EventFilter::default()
    };
    group.bench_function("search_one_thread_all_events", |b| {
        let matcher = search.matcher(dataset);
        b.iter(|| {
            let mut seen = Seen::default();
            black_box(every_event_where(dataset, |i| {
                matcher.matches_remembering(dataset, i, &mut seen)
            }))
        });
    });
    group.bench_function("search_one_thread_all_events_forgetting", |b| {
        let matcher = search.matcher(dataset);
        b.iter(|| black_box(every_event_where(dataset, |i| matcher.matches(dataset, i))));
    });
    group.finish();
}

/// The events that pass `pass`, on this thread, over the whole dataset.
fn every_event_where(dataset: &Dataset, mut pass: impl FnMut(EventIdx) -> bool) -> Vec<EventIdx> {
    (0..dataset.events.len())
        .filter_map(|i| u32::try_from(i).ok())
        .filter(|&i| pass(i))
        .collect()
}

/// The steps of `ViewState`'s refresh for a 1-day window, the clustering
/// walk, and the indexes built once per dataset.
fn frame_parts(c: &mut Criterion, state: &ViewState, cameras: &[(&str, Camera)], rows: usize) {
    let dataset = state.dataset();
    let (first, last) = state.time().window();
    let filter = EventFilter::default();
    let active: Vec<EventIdx> = state.active().to_vec();
    let viewport = Viewport::sized(VIEWPORT[0], VIEWPORT[1]);
    let mut group = c.benchmark_group(format!("frame_parts/{rows}"));
    quick(&mut group);
    group.bench_function("time_index_overlapping_1d", |b| {
        b.iter(|| black_box(state.index().overlapping(dataset, first, last)));
    });
    group.bench_function("listed_filter_over_all_events", |b| {
        b.iter(|| black_box(every_event_where(dataset, |i| filter.matches(dataset, i))));
    });
    group.bench_function("place_states", |b| {
        let certain: Vec<bool> = active
            .iter()
            .map(|&i| state.certainty(i) == Some(Certainty::Certain))
            .collect();
        b.iter(|| black_box(place_states(dataset, &active, &certain, None)));
    });
    group.bench_function("active_counts", |b| {
        b.iter(|| black_box(active_counts(dataset, &active)));
    });
    group.bench_function("place_tally", |b| {
        b.iter(|| {
            black_box(state.places().tally(
                state.place_states(),
                state.active_counts(),
                state.certain_counts(),
            ))
        });
    });
    for (name, camera) in cameras {
        group.bench_function(format!("cluster_groups/{name}"), |b| {
            b.iter(|| black_box(state.places().groups_in_view(camera, &viewport, 20.0)));
        });
    }
    group.bench_function("place_index_new (once per dataset)", |b| {
        b.iter(|| black_box(PlaceIndex::new(dataset)));
    });
    group.finish();
}

/// A key press, as the window integration sends it.
fn key(key: egui::Key) -> egui::Event {
    egui::Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    }
}

/// One whole frame of the app: every panel, then egui's tessellation of
/// what they painted.
fn app_step(harness: &mut Harness<'_, ChronomapApp>) -> usize {
    harness.step();
    let output = harness.output();
    let primitives = harness
        .ctx
        .tessellate(output.shapes.clone(), output.pixels_per_point);
    primitives.len()
}

/// The app in a 1400×900 window on the dataset, at the bench's day and a
/// one-day window, with the map showing `camera`.
fn app_frame(c: &mut Criterion, dataset: Dataset, rows: usize) {
    let atlas = Atlas::embedded();
    let loaded = Loaded {
        dataset,
        ..Loaded::default()
    };
    let options = AppOptions {
        date: Day::parse_iso(CURSOR),
        window: Some(WindowWidth::Days(1)),
        ..AppOptions::default()
    };
    let started = std::time::Instant::now();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| {
            chronomap::ui::install_fonts(&cc.egui_ctx);
            ChronomapApp::new(loaded, atlas, options)
        });
    harness.run_steps(3);
    eprintln!(
        "app built and laid out in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let rect = harness.state().map_rect();
    let viewport = Viewport {
        min: [rect.min.x, rect.min.y],
        size: [rect.width(), rect.height()],
    };
    let views = cameras(harness.state().state(), atlas, &viewport);
    let mut group = c.benchmark_group(format!("app_frame/{rows}"));
    quick(&mut group);
    for (name, camera) in views {
        harness
            .state_mut()
            .apply([Command::SetCamera(camera), Command::Select(None)]);
        app_step(&mut harness);
        group.bench_function(format!("idle/{name}"), |b| {
            b.iter(|| black_box(app_step(&mut harness)));
        });
        let mut forward = true;
        group.bench_function(format!("step_day/{name}"), |b| {
            b.iter(|| {
                forward = !forward;
                let arrow = if forward {
                    egui::Key::ArrowRight
                } else {
                    egui::Key::ArrowLeft
                };
                harness.input_mut().events.push(key(arrow));
                black_box(app_step(&mut harness))
            });
        });
        // Press on the map's centre, move past the drag threshold, then
        // 4 px back and forth.
        let center = rect.center();
        let before = *harness.state().state().camera();
        harness.drag_at(center);
        app_step(&mut harness);
        harness
            .input_mut()
            .events
            .push(egui::Event::PointerMoved(center + egui::vec2(12.0, 0.0)));
        app_step(&mut harness);
        let mut right = true;
        group.bench_function(format!("pan/{name}"), |b| {
            b.iter(|| {
                right = !right;
                let dx = if right { 16.0 } else { 12.0 };
                let at = center + egui::vec2(dx, 0.0);
                harness
                    .input_mut()
                    .events
                    .push(egui::Event::PointerMoved(at));
                black_box(app_step(&mut harness))
            });
        });
        let panned = *harness.state().state().camera() != before;
        assert!(panned, "dragging the map pans it");
        harness.drop_at(center);
        app_step(&mut harness);
        let scene = harness.state().last_scene();
        eprintln!(
            "app {name}: {} markers, {} clusters, {} shapes besides the retained basemap",
            scene.markers.len(),
            scene.clusters.len(),
            scene.shape_count()
        );
    }
    questions(&mut group, &mut harness);
    group.finish();
}

/// The frame's share of asking a question: a facet's value kept then let
/// go (the list and counts follow beside the window), and a Shift-drag
/// brushing the timeline's window, a move a frame.
fn questions(group: &mut BenchmarkGroup<'_, WallTime>, harness: &mut Harness<'_, ChronomapApp>) {
    let actor = {
        let dataset = harness.state().state().dataset();
        let values = dataset.facets().values(Facet::Actor);
        let busiest = (0..values.len())
            .filter_map(|i| u32::try_from(i).ok())
            .max_by_key(|&id| values.totals().get(id as usize).copied().unwrap_or(0));
        busiest
            .map(|id| values.name(id).to_owned())
            .unwrap_or_default()
    };
    let mut kept = false;
    group.bench_function("facet_click_frame", |b| {
        b.iter(|| {
            kept = !kept;
            let command = if kept {
                Command::FacetClick {
                    facet: Facet::Actor,
                    value: actor.clone(),
                    add: false,
                }
            } else {
                Command::ClearFilters
            };
            harness.state_mut().apply([command]);
            black_box(app_step(harness))
        });
    });
    harness.state_mut().apply([Command::ClearFilters]);
    // The timeline's density band, in a 1400×900 window.
    let (from, y) = (500.0, 735.0);
    harness.hover_at(egui::pos2(from, y));
    app_step(harness);
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::SHIFT));
    harness.drag_at(egui::pos2(from, y));
    app_step(harness);
    let mut wide = false;
    group.bench_function("brush_drag_frame", |b| {
        b.iter(|| {
            wide = !wide;
            let x = if wide { from + 300.0 } else { from + 200.0 };
            harness.hover_at(egui::pos2(x, y));
            black_box(app_step(harness))
        });
    });
    harness.drop_at(egui::pos2(from + 200.0, y));
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    app_step(harness);
    eprintln!(
        "brushed window: {:?}",
        harness.state().state().time().width()
    );
}

criterion_group!(benches, frame);
criterion_main!(benches);
