//! The map's regions mode in the window: the toggle (points, provinces,
//! countries; events or fatalities), the regions of the places found beside
//! the window the first time a regions mode is shown, and each filled
//! region's tooltip, click (a province or country filter) and accessible
//! value.

use std::sync::Arc;
use std::sync::mpsc;

use egui::{Rect, Sense, Vec2, pos2, vec2};

use crate::atlas::{Atlas, RegionId, RegionLevel};
use crate::load::thousands;
use crate::model::{Dataset, Facet, PlaceRegions};
use crate::scene::{MapMode, RegionFill, RegionMetric, Scene, place_regions};
use crate::state::{Command, SharedRegions, ViewState};

use super::map_view::events_in_window;
use super::paint::color;

/// From this many places their regions are found on a thread of their own.
const BESIDE_FROM: usize = 20_000;

/// The regions of the places being found for a dataset.
#[derive(Default)]
pub struct RegionsFinder {
    pending: Option<(usize, mpsc::Receiver<Arc<PlaceRegions>>)>,
}

impl RegionsFinder {
    /// Starts finding the regions of `state`'s places when a regions mode
    /// is shown without them, and hands them over once found.
    pub fn poll(
        &mut self,
        ui: &egui::Ui,
        state: &ViewState,
        atlas: &'static Atlas,
        commands: &mut Vec<Command>,
    ) {
        let wanted = state.map_mode() != MapMode::Points || state.needs_place_regions();
        if !wanted || state.place_regions().is_some() {
            self.pending = None;
            return;
        }
        let dataset = state.shared_dataset();
        let key = Arc::as_ptr(dataset) as usize;
        if let Some((for_key, receiver)) = &self.pending
            && *for_key == key
        {
            if let Ok(regions) = receiver.try_recv() {
                commands.push(Command::SetPlaceRegions(SharedRegions(regions)));
                self.pending = None;
            } else {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(50));
            }
            return;
        }
        // Found already (the province facet asks for them), or quick.
        if let Some(regions) = dataset.place_regions_ready() {
            commands.push(Command::SetPlaceRegions(SharedRegions(Arc::clone(regions))));
            return;
        }
        if dataset.places.len() < BESIDE_FROM {
            let regions = Arc::clone(place_regions(dataset, atlas));
            commands.push(Command::SetPlaceRegions(SharedRegions(regions)));
            return;
        }
        let (send, receive) = mpsc::channel();
        let beside: Arc<Dataset> = Arc::clone(dataset);
        let started = std::thread::Builder::new()
            .name("chronomap-regions".to_owned())
            .spawn(move || {
                send.send(Arc::clone(place_regions(&beside, atlas))).ok();
            });
        if started.is_ok() {
            self.pending = Some((key, receive));
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(50));
        }
    }

    /// Whether regions are being found.
    pub fn is_finding(&self) -> bool {
        self.pending.is_some()
    }
}

/// How wide the mode toggle may grow.
const TOGGLE_WIDTH: f32 = 250.0;

/// The mode toggle and, in a regions mode, the measure and the legend:
/// beside the map's zoom buttons.
pub fn toggle(
    ui: &mut egui::Ui,
    rect: Rect,
    state: &ViewState,
    finding: bool,
    commands: &mut Vec<Command>,
) {
    // Beside the zoom buttons (at the right edge, 50 px wide).
    let area = Rect::from_min_max(
        rect.right_top() + vec2(-60.0 - TOGGLE_WIDTH, 10.0),
        rect.right_top() + vec2(-60.0, 220.0),
    );
    ui.scope_builder(egui::UiBuilder::new().max_rect(area), |ui| {
        egui::Frame::popup(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                for mode in MapMode::ALL {
                    if ui
                        .selectable_label(state.map_mode() == mode, mode.name())
                        .clicked()
                    {
                        commands.push(Command::SetMapMode(mode));
                    }
                }
            });
            if state.map_mode() == MapMode::Points {
                return;
            }
            ui.horizontal(|ui| {
                for metric in [RegionMetric::Events, RegionMetric::Fatalities] {
                    let chosen = state.region_metric() == metric;
                    if ui.selectable_label(chosen, metric.name()).clicked() {
                        commands.push(Command::SetRegionMetric(metric));
                    }
                }
            });
            if finding {
                ui.weak("Finding each place's region\u{2026}");
            }
            legend(ui, state);
        });
    });
}

/// The ramp's classes with their words, and the two kinds of empty.
fn legend(ui: &mut egui::Ui, state: &ViewState) {
    let Some(choropleth) = state.choropleth() else {
        return;
    };
    let swatch = |ui: &mut egui::Ui, fill: egui::Color32, words: &str| {
        ui.horizontal(|ui| {
            let (r, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
            ui.painter().rect_filled(r, 2.0, fill);
            ui.small(words);
        });
    };
    for (fill, words) in choropleth.legend() {
        swatch(ui, color(fill), &words);
    }
    swatch(ui, egui::Color32::TRANSPARENT, "no events at any date");
}

/// One accessible, clickable widget per filled region with events in the
/// window, on its label point: named by the region, its value the window's
/// events and fatalities.
pub fn widgets(ui: &mut egui::Ui, atlas: &Atlas, scene: &Scene, commands: &mut Vec<Command>) {
    for fill in scene.region_fills.iter().filter(|f| f.events > 0) {
        let Some(region) = atlas.region(fill.id) else {
            continue;
        };
        let rect = Rect::from_center_size(pos2(fill.anchor[0], fill.anchor[1]), Vec2::splat(14.0));
        let id = ui.scope_id().with(("region", fill.id));
        let response = ui.interact(rect, id, Sense::click());
        response.widget_info(|| {
            let mut info =
                egui::WidgetInfo::labeled(egui::accesskit::Role::Button, true, &region.name);
            info.current_text_value = Some(words(fill));
            info
        });
        if response.clicked() {
            let add = ui.input(|i| i.modifiers.command);
            commands.extend(filter_command(atlas, fill.id, add));
        }
    }
}

/// "1 event in the window, 3 killed".
pub fn words(fill: &RegionFill) -> String {
    let events = events_in_window(fill.events);
    format!(
        "{events}, {} killed",
        thousands(usize::try_from(fill.fatalities).unwrap_or(usize::MAX))
    )
}

/// The tooltip of a filled region.
pub fn tooltip(
    ui: &mut egui::Ui,
    state: &ViewState,
    atlas: &Atlas,
    scene: &Scene,
    id: RegionId,
) -> bool {
    let Some(fill) = scene.region_fills.iter().find(|f| f.id == id) else {
        return false;
    };
    let Some(region) = atlas.region(id) else {
        return false;
    };
    ui.strong(&region.name);
    if id.level == RegionLevel::Province {
        ui.weak(&region.country_name);
    }
    ui.label(words(fill));
    if let Some(choropleth) = state.choropleth() {
        let ever = choropleth
            .regions
            .ever(id.level)
            .get(id.index as usize)
            .copied()
            .unwrap_or(0);
        ui.weak(format!("{} at any date", thousands(ever as usize)));
    }
    ui.weak("Click to keep only its events; Ctrl-click to add it");
    true
}

/// The filter a click on a region asks for: its province's name, or its
/// country's code, in the facets.
pub fn filter_command(atlas: &Atlas, id: RegionId, add: bool) -> Option<Command> {
    let region = atlas.region(id)?;
    let (facet, value) = match id.level {
        RegionLevel::Province => (Facet::Province, region.name.clone()),
        RegionLevel::Country => (Facet::Country, region.country_iso2.clone()),
    };
    Some(Command::FacetClick { facet, value, add })
}
