//! The scene, without a window: what is drawn, where, and in which colour,
//! for a date window and a viewport.

use std::sync::Arc;

use chronomap::atlas::{Atlas, world_from_lon_lat};
use chronomap::load;
use chronomap::model::Day;
use chronomap::scene::{Camera, PlaceState, Scene, SceneCache, Style, Viewport, build_scene};
use chronomap::state::{Command, ViewState};
use chronomap::time::TimeCommand;

fn state_at(date: &str) -> ViewState {
    let loaded = load::embedded(Atlas::embedded()).expect("seed loads");
    let mut state = ViewState::new(Arc::new(loaded.dataset));
    let day = Day::parse_iso(date).expect("valid date");
    state.apply_all([Command::Time(TimeCommand::SetCursor(day))]);
    state
}

fn scene(state: &ViewState, camera: &Camera, viewport: Viewport) -> Scene {
    let atlas = Atlas::embedded();
    let style = Style::light();
    build_scene(
        &state.scene_input(atlas, camera, viewport, &style, None),
        &SceneCache::new(atlas),
    )
}

/// A camera centred on a lon/lat at a zoom (pixels per world unit).
fn camera_at(lon_lat: [f64; 2], px_per_world: f64) -> Camera {
    Camera {
        center_world: world_from_lon_lat(lon_lat),
        px_per_world,
    }
}

fn marker_state(state: &ViewState, scene: &Scene, name: &str) -> Option<PlaceState> {
    scene
        .markers
        .iter()
        .find(|m| {
            state
                .dataset()
                .place(m.place)
                .is_some_and(|p| p.name == name)
        })
        .map(|m| m.state)
}

#[test]
fn on_27_november_islamabad_is_lit_and_the_provinces_dimmed() {
    let state = state_at("2025-11-27");
    let vp = Viewport::sized(1000.0, 700.0);
    let s = scene(&state, &camera_at([70.5, 33.5], 20_000.0), vp);
    let style = Style::light();
    assert_eq!(
        marker_state(&state, &s, "Islamabad"),
        Some(PlaceState::Active)
    );
    let islamabad = s.markers.iter().find(|m| m.state == PlaceState::Active);
    assert_eq!(islamabad.map(|m| m.fill), Some(style.highlight));
    let khost: Vec<_> = s
        .place_areas
        .iter()
        .filter(|a| {
            state
                .dataset()
                .place(a.place)
                .is_some_and(|p| p.name == "Khost")
        })
        .collect();
    assert_eq!(khost.len(), 1);
    assert_eq!(khost[0].state, PlaceState::Dimmed);
    assert!(
        s.meshes
            .iter()
            .any(|m| m.color == style.region_fill(PlaceState::Dimmed, false))
    );
}

#[test]
fn labels_never_overlap_and_event_places_win() {
    let state = state_at("2025-11-25");
    let vp = Viewport::sized(900.0, 600.0);
    let s = scene(&state, &camera_at([70.0, 33.0], 6_000.0), vp);
    let texts: Vec<&str> = s.labels.iter().map(|l| l.text.as_str()).collect();
    for name in ["Khost", "Kunar", "Paktika", "Islamabad"] {
        assert!(texts.contains(&name), "{name} missing from {texts:?}");
    }
    for (i, a) in s.labels.iter().enumerate() {
        for b in &s.labels[i + 1..] {
            let apart = a.rect[2] <= b.rect[0]
                || b.rect[2] <= a.rect[0]
                || a.rect[3] <= b.rect[1]
                || b.rect[3] <= a.rect[1];
            assert!(apart, "{} overlaps {}", a.text, b.text);
        }
    }
}

#[test]
fn what_is_off_screen_is_not_drawn_and_detail_follows_zoom() {
    let state = state_at("2025-11-27");
    let vp = Viewport::sized(800.0, 600.0);
    // Mid-Atlantic: no event places, and far fewer shapes than over Asia.
    let ocean = scene(&state, &camera_at([-35.0, 20.0], 4_000.0), vp);
    assert!(ocean.markers.is_empty() && ocean.place_areas.is_empty());
    let asia = scene(&state, &camera_at([70.0, 33.0], 4_000.0), vp);
    assert!(asia.meshes.len() > ocean.meshes.len());
    // The whole world uses coarser outlines than a province-level view.
    let vertices = |s: &Scene| s.lines.iter().map(|l| l.points.len()).sum::<usize>();
    let world = scene(&state, &camera_at([0.0, 20.0], 300.0), vp);
    let province = scene(&state, &camera_at([69.8, 33.36], 200_000.0), vp);
    let per_line = |s: &Scene| vertices(s) as f64 / s.lines.len().max(1) as f64;
    assert!(
        per_line(&province) > per_line(&world),
        "finer outlines when zoomed in"
    );
    assert!(
        vertices(&world) < 150_000,
        "world view stays light: {}",
        vertices(&world)
    );
}
