//! The scene, without a window: what is drawn, where, and in which colour,
//! for a date window and a viewport.

use std::sync::Arc;

use chronomap::atlas::{Atlas, world_from_lon_lat};
use chronomap::load::{self, Loader, Source};
use chronomap::model::Day;
use chronomap::scene::{
    Camera, ClusterMarker, Hit, PlaceState, Scene, SceneCache, Style, Viewport, build_scene, fit,
    hit_test,
};
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

/// 30 places around Lahore, 10 around Karachi and one in Quetta; Lahore 7
/// has the only event on 2024-02-10, the others one each on 2024-01-01.
fn crowd_at(date: &str) -> ViewState {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/misc/crowd.json"
    );
    let text = std::fs::read_to_string(path).expect("fixture");
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::text("crowd.json", &text))
        .expect("crowd loads");
    let mut state = ViewState::new(Arc::new(loaded.dataset));
    let day = Day::parse_iso(date).expect("valid date");
    state.apply_all([Command::Time(TimeCommand::SetCursor(day))]);
    state
}

/// Places whose marker would be on screen: those projected into the viewport.
fn places_on_screen(state: &ViewState, camera: &Camera, vp: Viewport) -> usize {
    state
        .dataset()
        .places
        .iter()
        .filter_map(|p| match p.location {
            Some(chronomap::model::Location::Point { lon_lat }) => Some(lon_lat),
            _ => None,
        })
        .filter(|&ll| vp.contains(camera.screen_from_world(&vp, world_from_lon_lat(ll)), 0.0))
        .count()
}

/// Places counted by the markers and clusters of a scene.
/// The viewport and country-zoom camera over Pakistan at which the crowd's
/// cities fall into clusters.
fn crowd_view() -> (Viewport, Camera) {
    (
        Viewport::sized(1000.0, 640.0),
        camera_at([70.0, 28.0], 4_000.0),
    )
}

fn places_drawn(s: &Scene) -> usize {
    s.markers.len() + s.clusters.iter().map(|c| c.places as usize).sum::<usize>()
}

fn biggest_cluster(s: &Scene) -> &ClusterMarker {
    s.clusters
        .iter()
        .max_by_key(|c| c.places)
        .expect("a cluster")
}

#[test]
fn at_country_zoom_crowds_become_counted_clusters() {
    let state = crowd_at("2024-01-01");
    let (vp, camera) = crowd_view();
    let s = scene(&state, &camera, vp);
    assert_eq!(places_on_screen(&state, &camera, vp), 41);
    assert_eq!(
        places_drawn(&s),
        41,
        "every place is a marker or in a cluster"
    );
    // Lahore's 30 and Karachi's 10 are one cluster each; Quetta stands alone.
    let mut counts: Vec<u32> = s.clusters.iter().map(|c| c.places).collect();
    counts.sort_unstable();
    assert_eq!(counts, [10, 30]);
    assert_eq!(s.markers.len(), 1);
    let quetta = state.dataset().place(s.markers[0].place).map(|p| p.name);
    assert_eq!(quetta, Some("Quetta 0"));
    // A cluster has no per-place areas or labels; its count is drawn inside.
    assert_eq!(s.place_areas.len(), 1);
    assert!(!s.labels.iter().any(|l| l.text.starts_with("Lahore")));
    // Its number counts the events in the window (Lahore 7's is on 10
    // February), its tooltip the places and the events at any date.
    let lahore = biggest_cluster(&s);
    assert_eq!(lahore.count_text(), "29");
    assert_eq!(lahore.active_events, 29);
    assert_eq!(lahore.name(), "30 places");
    let at_any_date: usize = state
        .places()
        .places_in(lahore.id)
        .iter()
        .map(|&p| state.dataset().place_events.of(p).len())
        .sum();
    assert_eq!(lahore.total_events as usize, at_any_date);
    assert!(at_any_date > 29);
    // No label covers a cluster's count.
    for label in &s.labels {
        for c in &s.clusters {
            let r = c.rect();
            let apart = label.rect[2] <= r[0]
                || r[2] <= label.rect[0]
                || label.rect[3] <= r[1]
                || r[3] <= label.rect[1];
            assert!(apart, "{} covers a cluster of {}", label.text, c.places);
        }
    }
}

#[test]
fn zooming_in_splits_clusters_and_keeps_every_place() {
    let state = crowd_at("2024-01-01");
    let vp = Viewport::sized(1000.0, 640.0);
    let lahore = [74.34, 31.55];
    let mut pieces = Vec::new();
    for px_per_world in [32_000.0, 100_000.0, 400_000.0] {
        let camera = camera_at(lahore, px_per_world);
        let s = scene(&state, &camera, vp);
        assert_eq!(
            places_drawn(&s),
            places_on_screen(&state, &camera, vp),
            "at {px_per_world} px per world"
        );
        pieces.push(s.markers.len() + s.clusters.len());
    }
    // Only Lahore is in view: one cluster, then more pieces at each zoom,
    // until every place is its own marker.
    assert_eq!(pieces.first(), Some(&1));
    assert!(pieces.windows(2).all(|w| w[0] < w[1]), "{pieces:?}");
    let closest = scene(&state, &camera_at(lahore, 400_000.0), vp);
    assert!(
        closest.clusters.is_empty(),
        "{} clusters",
        closest.clusters.len()
    );
    assert_eq!(closest.markers.len(), 30);
}

#[test]
fn a_cluster_is_lit_by_an_event_of_its_places_and_selected_with_it() {
    let mut state = crowd_at("2024-02-10");
    let (vp, camera) = crowd_view();
    let s = scene(&state, &camera, vp);
    let lahore = biggest_cluster(&s);
    assert_eq!(
        lahore.state,
        PlaceState::Active,
        "Lahore 7 is in the window"
    );
    assert_eq!(lahore.active_events, 1);
    assert_eq!(lahore.fill, Style::light().highlight);
    let karachi = s.clusters.iter().find(|c| c.places == 10).expect("Karachi");
    assert_eq!(karachi.state, PlaceState::Dimmed);
    assert_eq!(karachi.active_events, 0);
    // Highlighted clusters are drawn over dimmed ones.
    assert_eq!(s.clusters.last().map(|c| c.places), Some(30));

    let event = state.dataset().find_event("lahore-7");
    state.apply_all([Command::Select(event)]);
    let s = scene(&state, &camera, vp);
    assert_eq!(biggest_cluster(&s).state, PlaceState::Selected);
}

#[test]
fn clicking_a_cluster_is_a_hit_and_zooming_into_it_splits_it() {
    let state = crowd_at("2024-01-01");
    let (vp, camera) = crowd_view();
    let s = scene(&state, &camera, vp);
    let lahore = biggest_cluster(&s);
    let hit = hit_test(&s, Atlas::embedded(), &camera, &vp, lahore.pos);
    assert_eq!(hit, Some(Hit::Cluster(lahore.id)));

    let closer = fit::zoom_into_cluster(state.places(), lahore.id, &camera, &vp);
    assert!(closer.px_per_world >= 2.0 * camera.px_per_world);
    let s = scene(&state, &closer, vp);
    // All 30 of its places are on screen, in more than one piece.
    assert_eq!(places_on_screen(&state, &closer, vp), 30);
    assert_eq!(places_drawn(&s), 30);
    assert!(s.markers.len() + s.clusters.len() > 1);
    assert!(s.clusters.iter().all(|c| c.places < 30));
}

#[test]
fn a_scene_without_its_basemap_keeps_every_event_layer() {
    let state = state_at("2025-11-25");
    let atlas = Atlas::embedded();
    let style = Style::light();
    let camera = camera_at([70.0, 33.0], 6_000.0);
    let vp = Viewport::sized(900.0, 600.0);
    let cache = SceneCache::new(atlas);
    let mut input = state.scene_input(atlas, &camera, vp, &style, None);
    let full = build_scene(&input, &cache);
    input.basemap = false;
    let events_only = build_scene(&input, &cache);
    assert!(full.basemap_meshes > 0 && full.basemap_lines > 0);
    assert_eq!(
        (events_only.basemap_meshes, events_only.basemap_lines),
        (0, 0)
    );
    // What is left is exactly the part after the basemap's prefix.
    assert_eq!(events_only.meshes, full.meshes[full.basemap_meshes..]);
    assert_eq!(events_only.lines, full.lines[full.basemap_lines..]);
    assert_eq!(events_only.markers, full.markers);
    assert_eq!(events_only.labels, full.labels);
    assert_eq!(events_only.place_areas, full.place_areas);
}

/// The areas fixture (GeoJSON polygons) at a date.
fn areas_at(date: &str) -> ViewState {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/geojson/areas.geojson");
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::path(&path))
        .expect("the fixture loads");
    let mut state = ViewState::new(Arc::new(loaded.dataset));
    let day = Day::parse_iso(date).expect("valid date");
    state.apply_all([Command::Time(TimeCommand::SetCursor(day))]);
    state
}

#[test]
fn a_drawn_area_is_filled_lit_and_hit_like_a_province() {
    let state = areas_at("2025-07-02");
    let vp = Viewport::sized(800.0, 600.0);
    let camera = camera_at([34.33, 31.35], 2_000_000.0);
    let s = scene(&state, &camera, vp);
    let zone = s
        .place_areas
        .iter()
        .find(|a| matches!(a.shape, chronomap::scene::PlaceShape::Area(_)))
        .expect("the zone is on screen");
    let name = state.dataset().place(zone.place).map(|p| p.name);
    assert_eq!(name, Some("Eastern Khan Younis"));
    assert_eq!(zone.state, PlaceState::Active, "its event is on 2 July");
    assert_eq!(zone.active_events, 1);
    let style = Style::light();
    let lit = style.region_fill(PlaceState::Active, false);
    assert!(
        s.meshes
            .iter()
            .any(|m| m.color == lit && !m.indices.is_empty()),
        "filled with the highlight"
    );
    assert!(s.labels.iter().any(|l| l.text == "Eastern Khan Younis"));
    let at = |lon_lat| camera.screen_from_world(&vp, world_from_lon_lat(lon_lat));
    let atlas = Atlas::embedded();
    assert_eq!(
        hit_test(&s, atlas, &camera, &vp, at([34.31, 31.36])),
        Some(Hit::Place(zone.place))
    );
    assert_ne!(
        hit_test(&s, atlas, &camera, &vp, at([34.325, 31.345])),
        Some(Hit::Place(zone.place)),
        "the hole is not the area"
    );
    // The point its widget sits on is on it.
    assert_eq!(
        hit_test(&s, atlas, &camera, &vp, zone.anchor),
        Some(Hit::Place(zone.place))
    );
    // So it is for the two flooded valleys, whose bounding box's middle is
    // in the gap between them, where a click would miss them.
    let valleys_camera = camera_at([72.77, 35.1], 150_000.0);
    let s = scene(&state, &valleys_camera, vp);
    let valleys = s
        .place_areas
        .iter()
        .find(|a| {
            matches!(a.shape, chronomap::scene::PlaceShape::Area(_))
                && state
                    .dataset()
                    .place(a.place)
                    .is_some_and(|p| p.name.starts_with("Area around"))
        })
        .expect("the valleys are on screen");
    let hit = |p| hit_test(&s, atlas, &valleys_camera, &vp, p);
    assert_eq!(hit(valleys.anchor), Some(Hit::Place(valleys.place)));
    let [x0, y0, x1, y1] = valleys.rect;
    assert_ne!(
        hit([(x0 + x1) / 2.0, (y0 + y1) / 2.0]),
        Some(Hit::Place(valleys.place))
    );
    // On 20 July neither order is in the window.
    let later = areas_at("2025-07-20");
    let s = scene(&later, &camera, vp);
    let zone = s.place_areas.iter().find(|a| a.place == zone.place);
    assert_eq!(zone.map(|z| z.state), Some(PlaceState::Dimmed));
    // The data fit frames both the zone and the valleys in Pakistan.
    let fitted = fit::fit_to_dataset(later.dataset(), atlas, &vp);
    for lon_lat in [[34.33, 31.35], [73.2, 35.3]] {
        assert!(vp.contains(
            fitted.screen_from_world(&vp, world_from_lon_lat(lon_lat)),
            0.0
        ));
    }
}
