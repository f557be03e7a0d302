//! The map: paints the scene, pans and zooms, shows tooltips, selects on
//! click, and exposes every event place to screen readers and UI tests.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use egui::{Align2, Rect, Sense, Vec2, pos2, vec2};

use super::paint::{RetainedBasemap, paint_scene};
use super::regions::{self, RegionsFinder};
use crate::atlas::{Atlas, RegionLevel};
use crate::fonts::display_text;
use crate::geometry::lon_lat_from_world;
use crate::load::thousands;
use crate::scene::{
    Camera, ClusterId, ClusterMarker, Hit, PlaceKey, PlaceState, Scene, SceneCache, Style,
    Viewport, build_scene, fit, hit_test,
};
use crate::state::{Command, ViewState};
use crate::time::LonLatBox;

/// The map's own state: what is reused across frames.
pub struct MapView {
    cache: SceneCache,
    style: Style,
    /// The last scene drawn, for hit testing and for tests.
    pub last_scene: Scene,
    /// The place or cluster under the pointer, drawn a little larger.
    hovered: Option<Hit>,
    /// CPU time of the last [`build_scene`], for the frame-time overlay.
    pub last_build: Duration,
    /// Shapes painted in the last frame (a retained basemap is two).
    pub last_shapes: usize,
    /// What the basemap was drawn for in the last frame.
    last_basemap: Option<BasemapKey>,
    /// Where a Shift-drag drawing an area filter started.
    box_from: Option<egui::Pos2>,
    /// The regions of the places, found for the regions mode.
    regions: RegionsFinder,
    /// The basemap tessellated for a camera, viewport and scale that held
    /// for two frames or more: while panning or zooming, when it would be
    /// used once, it is not made.
    basemap: Option<(BasemapKey, RetainedBasemap)>,
    /// Whether the points / provinces / countries switch shows (not over
    /// a database table, whose regions the server does not count).
    pub modes: bool,
}

/// What the basemap's tessellation depends on.
#[derive(Copy, Clone, Debug, PartialEq)]
struct BasemapKey {
    camera: Camera,
    viewport: Viewport,
    pixels_per_point: f32,
}

impl MapView {
    /// A map view over `atlas`.
    pub fn new(atlas: &Atlas) -> Self {
        Self {
            cache: SceneCache::new(atlas),
            style: Style::light(),
            last_scene: Scene::default(),
            hovered: None,
            last_build: Duration::ZERO,
            last_shapes: 0,
            last_basemap: None,
            box_from: None,
            regions: RegionsFinder::default(),
            basemap: None,
            modes: true,
        }
    }

    /// Shows the map in all of `ui`'s remaining space.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &ViewState,
        atlas: &'static Atlas,
        commands: &mut Vec<Command>,
    ) {
        self.regions.poll(ui, state, atlas, commands);
        let style = Style::for_theme(ui.visuals().dark_mode);
        if style != self.style {
            // The kept basemap was tessellated in the other colours.
            self.style = style;
            self.basemap = None;
        }
        let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        let viewport = Viewport {
            min: [rect.min.x, rect.min.y],
            size: [rect.width(), rect.height()],
        };
        if state.map_px() != Some(viewport.size) {
            commands.push(Command::SetMapSize(viewport.size));
        }
        let mut camera = *state.camera();
        if state.fit_requested() {
            camera = crate::scene::fit::fit_to_dataset(state.dataset(), atlas, &viewport);
        }
        if response.drag_started() && ui.input(|i| i.modifiers.shift) {
            self.box_from = ui.input(|i| i.pointer.press_origin());
        }
        if self.box_from.is_none() {
            navigate(ui, &response, &viewport, &mut camera, commands);
        }
        if camera != *state.camera() || state.fit_requested() {
            commands.push(Command::SetCamera(camera));
        }
        if state.filter().choices.follow_map {
            let shown = screen_box(&camera, &viewport, rect);
            if shown != state.filter().choices.map_area {
                commands.push(Command::SetMapArea(shown));
            }
        }
        let painter = ui.painter_at(rect);
        let scene = self.build(state, atlas, camera, viewport, &painter);
        let retained = self
            .basemap
            .as_ref()
            .filter(|(k, _)| self.last_basemap == Some(*k));
        paint_scene(&painter, &scene, &self.style, retained.map(|(_, b)| b));
        self.last_shapes = scene.shape_count() + if retained.is_some() { 2 } else { 0 };
        self.place_widgets(ui, state, &scene, commands);
        regions::widgets(ui, atlas, &scene, commands);
        let zoom_into = |id| {
            Command::SetCamera(fit::zoom_into_cluster(
                state.places(),
                id,
                &camera,
                &viewport,
            ))
        };
        cluster_widgets(ui, &scene, commands, zoom_into);
        let pointer = ui
            .input(|i| i.pointer.hover_pos())
            .filter(|p| rect.contains(*p));
        let hit = pointer.and_then(|p| hit_test(&scene, atlas, &camera, &viewport, [p.x, p.y]));
        self.hovered = hit.filter(|h| matches!(h, Hit::Place(_) | Hit::Cluster(_)));
        if let Some(hit) = hit {
            response.clone().on_hover_ui_at_pointer(|ui| match hit {
                Hit::Region(id) if regions::tooltip(ui, state, atlas, &scene, id) => {}
                _ => tooltip(ui, state, atlas, &scene, hit),
            });
        }
        if response.clicked() {
            let add = ui.input(|i| i.modifiers.command);
            let region_filter = match hit {
                Some(Hit::Region(id)) if scene.region_fills.iter().any(|f| f.id == id) => {
                    regions::filter_command(atlas, id, add)
                }
                _ => None,
            };
            commands.push(match (region_filter, hit) {
                (Some(filter), _) => filter,
                (None, Some(Hit::Place(p))) => Command::SelectPlace(p),
                (None, Some(Hit::Cluster(id))) => zoom_into(id),
                _ => Command::Select(None),
            });
        }
        self.area_box(ui, &response, &painter, (&camera, &viewport), commands);
        zoom_buttons(ui, rect, &viewport, &camera, commands);
        if self.modes {
            regions::toggle(ui, rect, state, self.regions.is_finding(), commands);
        }
        attribution(&painter, rect);
        place_keys(ui, rect, &scene, &self.style);
        self.last_scene = scene;
    }

    /// The box a Shift-drag draws: shown while dragging, an area filter
    /// (a chip like the others) when the button is let go.
    fn area_box(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        painter: &egui::Painter,
        (camera, viewport): (&Camera, &Viewport),
        commands: &mut Vec<Command>,
    ) {
        let (Some(from), Some(to)) = (self.box_from, ui.input(|i| i.pointer.latest_pos())) else {
            return;
        };
        let drawn = Rect::from_two_pos(from, to);
        let colour = egui::Color32::from_rgb(222, 68, 20);
        painter.rect_filled(drawn, 0.0, colour.gamma_multiply(0.12));
        painter.rect_stroke(
            drawn,
            0.0,
            egui::Stroke::new(1.5, colour),
            egui::StrokeKind::Inside,
        );
        if response.dragged() {
            return;
        }
        self.box_from = None;
        if drawn.width() > 2.0 && drawn.height() > 2.0 {
            commands.push(Command::SetArea(screen_box(camera, viewport, drawn)));
        }
    }

    /// Builds this frame's scene. The basemap is left out when the one kept
    /// from earlier frames has the same camera and viewport, and is kept
    /// once they have held for two frames (not while panning or zooming,
    /// when it would be used once).
    fn build(
        &mut self,
        state: &ViewState,
        atlas: &Atlas,
        camera: Camera,
        viewport: Viewport,
        painter: &egui::Painter,
    ) -> Scene {
        let key = BasemapKey {
            camera,
            viewport,
            pixels_per_point: painter.ctx().pixels_per_point(),
        };
        let steady = self.last_basemap.replace(key) == Some(key);
        let kept = self.basemap.as_ref().is_some_and(|(k, _)| *k == key);
        let mut input = state.scene_input(atlas, &camera, viewport, &self.style, self.hovered);
        input.basemap = !kept;
        let started = Instant::now();
        let scene = build_scene(&input, &self.cache);
        self.last_build = started.elapsed();
        if steady && !kept {
            self.basemap = Some((key, RetainedBasemap::new(painter, &scene)));
        }
        scene
    }

    /// One accessible, clickable widget per event place on screen, labelled
    /// with the place's name and valued with its state.
    fn place_widgets(
        &self,
        ui: &mut egui::Ui,
        state: &ViewState,
        scene: &Scene,
        commands: &mut Vec<Command>,
    ) {
        for area in &scene.place_areas {
            let Some(place) = state.dataset().place(area.place) else {
                continue;
            };
            let [x0, y0, x1, y1] = area.rect;
            let rect = if area.shape.is_filled() {
                // A province's widget sits on its label point, which lies
                // inside it, so a click there selects that province. Where
                // that point is off screen, on what is visible of it.
                let [ax, ay] = area.anchor;
                let on_screen = (x0..=x1).contains(&ax) && (y0..=y1).contains(&ay);
                let at = if on_screen {
                    pos2(ax, ay)
                } else {
                    pos2((x0 + x1) / 2.0, (y0 + y1) / 2.0)
                };
                Rect::from_center_size(at, Vec2::splat(14.0))
            } else {
                Rect::from_min_max(pos2(x0, y0), pos2(x1, y1))
            };
            let id = ui.scope_id().with(("place", area.place));
            let response = ui.interact(rect, id, Sense::click());
            // The texts are made only when a screen reader (or a test)
            // asks for them, not every frame.
            response.widget_info(|| {
                let mut info =
                    egui::WidgetInfo::labeled(egui::accesskit::Role::Button, true, place.name);
                info.current_text_value = Some(place_state_words(area.state, area.active_events));
                info.selected = Some(area.state == PlaceState::Selected);
                info
            });
            if response.clicked() {
                commands.push(Command::SelectPlace(area.place));
            }
        }
    }
}

/// One accessible, clickable widget per cluster, named by its count ("12
/// places"); clicking one zooms in until it splits.
fn cluster_widgets(
    ui: &mut egui::Ui,
    scene: &Scene,
    commands: &mut Vec<Command>,
    zoom_into: impl Fn(ClusterId) -> Command,
) {
    for cluster in &scene.clusters {
        let [x0, y0, x1, y1] = cluster.rect();
        let rect = Rect::from_min_max(pos2(x0, y0), pos2(x1, y1));
        let id = ui.scope_id().with(("cluster", cluster.id));
        let response = ui.interact(rect, id, Sense::click());
        response.widget_info(|| {
            let mut info =
                egui::WidgetInfo::labeled(egui::accesskit::Role::Button, true, cluster.name());
            info.current_text_value = Some(place_state_words(cluster.state, cluster.active_events));
            info.selected = Some(cluster.state == PlaceState::Selected);
            info
        });
        if response.clicked() {
            commands.push(zoom_into(cluster.id));
        }
    }
}

/// "highlighted: 2 events in the window", "dimmed", "selected: 1 event in
/// the window", "possibly: 1 event in the window, none certainly".
pub fn place_state_words(state: PlaceState, active: u32) -> String {
    let events = events_in_window(active);
    match state {
        PlaceState::Dimmed => format!("dimmed: {events}"),
        PlaceState::Possible => format!("possibly: {events}, none certainly"),
        PlaceState::Active => format!("highlighted: {events}"),
        PlaceState::Selected => format!("selected: {events}"),
    }
}

/// "no events in the window", "1 event in the window", "1,234 events in
/// the window".
pub(super) fn events_in_window(active: u32) -> String {
    match active {
        0 => "no events in the window".to_owned(),
        1 => "1 event in the window".to_owned(),
        n => format!("{} events in the window", thousands(n as usize)),
    }
}

/// The longitudes and latitudes a rectangle of the screen shows (clamped
/// to the world's).
fn screen_box(camera: &Camera, viewport: &Viewport, rect: Rect) -> Option<LonLatBox> {
    let lon_lat = |p: egui::Pos2| {
        let [lon, lat] = lon_lat_from_world(camera.world_from_screen(viewport, [p.x, p.y]));
        [lon.clamp(-180.0, 180.0), lat.clamp(-90.0, 90.0)]
    };
    let [west, south] = lon_lat(rect.left_bottom());
    let [east, north] = lon_lat(rect.right_top());
    LonLatBox::new(west, south, east, north)
}

/// Drag pans; wheel and pinch zoom about the pointer; double-click fits.
fn navigate(
    ui: &egui::Ui,
    response: &egui::Response,
    viewport: &Viewport,
    camera: &mut Camera,
    commands: &mut Vec<Command>,
) {
    if response.dragged() {
        let d = response.drag_delta();
        camera.pan_by_px([d.x, d.y]);
    }
    if response.double_clicked() {
        commands.push(Command::FitToData);
    }
    if !response.hovered() {
        return;
    }
    let (scroll, pinch, pointer) = ui.input(|i| {
        (
            i.smooth_scroll_delta.y,
            i.zoom_delta(),
            i.pointer.hover_pos(),
        )
    });
    let anchor = pointer.map_or(viewport.center(), |p| [p.x, p.y]);
    let factor = f64::from(pinch) * (f64::from(scroll) * 0.003).exp();
    if (factor - 1.0).abs() > 1e-6 {
        camera.zoom_about(viewport, anchor, factor);
    }
}

fn zoom_buttons(
    ui: &mut egui::Ui,
    rect: Rect,
    viewport: &Viewport,
    camera: &Camera,
    commands: &mut Vec<Command>,
) {
    let area = Rect::from_min_size(rect.right_top() + vec2(-50.0, 10.0), vec2(40.0, 110.0));
    ui.scope_builder(egui::UiBuilder::new().max_rect(area), |ui| {
        ui.vertical_centered_justified(|ui| {
            let mut zoom = |factor: f64| {
                let mut c = *camera;
                c.zoom_about(viewport, viewport.center(), factor);
                commands.push(Command::SetCamera(c));
            };
            if ui.button("+").on_hover_text("Zoom in").clicked() {
                zoom(2.0);
            }
            if ui.button("-").on_hover_text("Zoom out").clicked() {
                zoom(0.5);
            }
            if ui
                .button("Fit")
                .on_hover_text("Fit to data (or double-click the map)")
                .clicked()
            {
                commands.push(Command::FitToData);
            }
        });
    });
}

/// The legend of how the map draws a place's precision, at its bottom
/// left, for the ways the scene uses (none when every place is exact).
fn place_keys(ui: &mut egui::Ui, rect: Rect, scene: &Scene, style: &Style) {
    if scene.keys.is_empty() {
        return;
    }
    let row = 18.0;
    #[expect(clippy::cast_precision_loss, reason = "four rows at most")]
    let height = 12.0 + row * scene.keys.len() as f32;
    let area = Rect::from_min_size(
        rect.left_bottom() + vec2(8.0, -height - 20.0),
        vec2(260.0, height),
    );
    ui.scope_builder(egui::UiBuilder::new().max_rect(area), |ui| {
        egui::Frame::popup(ui.style()).show(ui, |ui| {
            ui.spacing_mut().item_spacing.y = 2.0;
            for &key in &scene.keys {
                ui.horizontal(|ui| {
                    let (swatch, _) =
                        ui.allocate_exact_size(vec2(16.0, 14.0), egui::Sense::hover());
                    paint_place_key(ui.painter(), swatch, key, style);
                    ui.small(key.words());
                });
            }
        });
    });
}

/// A key's swatch as the map draws it: a marker in its dashed ring, or a
/// filled or hatched square.
fn paint_place_key(painter: &egui::Painter, swatch: Rect, key: PlaceKey, style: &Style) {
    let c = swatch.center();
    let state = PlaceState::Active;
    let rgba = |c: crate::scene::Rgba| {
        let [r, g, b, a] = c.0;
        egui::Color32::from_rgba_unmultiplied(r, g, b, a)
    };
    match key {
        PlaceKey::Near | PlaceKey::RegionCentre => {
            let (fill, stroke) = style.ring(state);
            let ring = if key == PlaceKey::Near { 5.5 } else { 7.0 };
            painter.circle(c, ring, rgba(fill), egui::Stroke::new(1.0, rgba(stroke)));
            painter.circle_filled(c, 3.0, rgba(style.marker_fill(state)));
        }
        PlaceKey::Province | PlaceKey::Country => {
            let country = key == PlaceKey::Country;
            let square = Rect::from_center_size(c, vec2(12.0, 12.0));
            painter.rect_filled(square, 0.0, rgba(style.region_fill(state, country)));
            if let Some(hatch) = style.region_hatch(state, country) {
                let corners = [
                    [square.min.x, square.min.y],
                    [square.max.x, square.min.y],
                    [square.max.x, square.max.y],
                    [square.min.x, square.max.y],
                ];
                let clip = [square.min.x, square.min.y, square.max.x, square.max.y];
                for line in crate::scene::hatch_lines(&[corners.to_vec()], 3.0, clip, hatch) {
                    let points: Vec<egui::Pos2> =
                        line.points.iter().map(|p| egui::pos2(p[0], p[1])).collect();
                    painter.line(points, egui::Stroke::new(1.0, rgba(line.color)));
                }
            }
            let outline = style.highlight.with_alpha(if country { 160 } else { 255 });
            painter.rect_stroke(
                square,
                0.0,
                egui::Stroke::new(1.0, rgba(outline)),
                egui::StrokeKind::Inside,
            );
        }
    }
}

fn attribution(painter: &egui::Painter, rect: Rect) {
    painter.text(
        rect.right_bottom() + vec2(-6.0, -4.0),
        Align2::RIGHT_BOTTOM,
        crate::scene::ATTRIBUTION,
        egui::FontId::proportional(10.0),
        egui::Color32::from_gray(90),
    );
}

fn tooltip(ui: &mut egui::Ui, state: &ViewState, atlas: &Atlas, scene: &Scene, hit: Hit) {
    match hit {
        Hit::Cluster(id) => {
            if let Some(cluster) = scene.clusters.iter().find(|c| c.id == id) {
                cluster_tooltip(ui, state, cluster);
            }
        }
        Hit::Place(p) => {
            let Some(place) = state.dataset().place(p) else {
                return;
            };
            ui.strong(place.name);
            let count = state.active_counts().get(p as usize).copied().unwrap_or(0);
            ui.label(place_state_words(state.place_state(p), count));
            for e in state.dataset().events_at(p).take(8) {
                if let Some(event) = state.dataset().event(e) {
                    let text = format!("{} \u{2014} {}", event.date().words(), event.title());
                    if state.is_active(e) {
                        ui.strong(text);
                    } else {
                        ui.weak(text);
                    }
                }
            }
        }
        Hit::Region(id) => {
            if let Some(region) = atlas.region(id) {
                ui.strong(&region.name);
                match id.level {
                    RegionLevel::Province => {
                        ui.label(format!("{}, {}", region.kind, region.country_name));
                    }
                    RegionLevel::Country => {
                        ui.label("Country");
                    }
                }
            }
        }
    }
}

/// How many of a cluster's places its tooltip names.
const CLUSTER_TOOLTIP_NAMES: usize = 5;

fn cluster_tooltip(ui: &mut egui::Ui, state: &ViewState, cluster: &ClusterMarker) {
    ui.strong(cluster.name());
    ui.label(place_state_words(cluster.state, cluster.active_events));
    if cluster.certain_events < cluster.active_events && cluster.certain_events > 0 {
        ui.label(format!(
            "{} of them certainly; the others may have happened outside it",
            thousands(cluster.certain_events as usize)
        ));
    }
    if cluster.sure_events < cluster.active_events {
        ui.label(format!(
            "{} certain in date and exact in place (the ring's arc)",
            thousands(cluster.sure_events as usize)
        ));
    }
    ui.weak(format!(
        "{} at any date, at {} places",
        thousands(cluster.total_events as usize),
        thousands(cluster.places as usize)
    ));
    // The busiest names in the window, then by name, each once however
    // many points bear it (a town geocoded at a thousand points): found
    // only while the pointer rests on the cluster.
    let counts = state.active_counts();
    let mut by_name: HashMap<&str, (u32, u32)> = HashMap::new();
    for &p in state.places().places_in(cluster.id) {
        let Some(place) = state.dataset().place(p) else {
            continue;
        };
        let entry = by_name.entry(place.name).or_default();
        entry.0 += counts.get(p as usize).copied().unwrap_or(0);
        entry.1 += 1;
    }
    let mut names: Vec<(u32, u32, &str)> = by_name
        .into_iter()
        .map(|(name, (count, points))| (count, points, name))
        .collect();
    let order = |a: &(u32, u32, &str), b: &(u32, u32, &str)| b.0.cmp(&a.0).then(a.2.cmp(b.2));
    if names.len() > CLUSTER_TOOLTIP_NAMES {
        names.select_nth_unstable_by(CLUSTER_TOOLTIP_NAMES, order);
        names.truncate(CLUSTER_TOOLTIP_NAMES);
    }
    names.sort_by(order);
    for (count, points, name) in names {
        let name = display_text(name);
        let at = if points > 1 {
            format!(" ({} points)", thousands(points as usize))
        } else {
            String::new()
        };
        if count > 0 {
            ui.label(format!("{name}: {}{at}", events_in_window(count)));
        } else {
            ui.weak(format!("{name}{at}"));
        }
    }
    ui.weak("Click to zoom in");
}
