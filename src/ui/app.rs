//! The eframe app: lays out the panels, gathers their commands and applies
//! them once per frame.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use egui::{CentralPanel, Panel};

use super::details::details_ui;
use super::event_list::EventList;
use super::export_dialog::{ExportDialog, ExportKind};
use super::map_view::MapView;
use super::timeline::{Timeline, keyboard};
use crate::atlas::Atlas;
use crate::load::Loaded;
use crate::model::Day;
use crate::state::{Command, ViewState};
use crate::time::{TimeCommand, WindowWidth};

/// How the app starts.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// Start with the cursor on this day.
    pub date: Option<Day>,
    /// Start with this window width.
    pub window: Option<WindowWidth>,
    /// Start with the event of this id selected.
    pub select: Option<String>,
    /// Save a PNG of the window here once the first frames have settled,
    /// then close.
    pub screenshot: Option<PathBuf>,
}

/// Frames to wait before a `--screenshot`, so fonts, layout and the map's
/// fit have all settled.
const SCREENSHOT_AFTER_FRAMES: u64 = 12;

/// Outcome of a screenshot, filled in by the integration's callback.
type ScreenshotSlot = Arc<Mutex<Option<Result<PathBuf, String>>>>;

/// The chronomap window.
pub struct ChronomapApp {
    state: ViewState,
    atlas: &'static Atlas,
    map: MapView,
    timeline: Timeline,
    list: EventList,
    options: AppOptions,
    frames: u64,
    screenshot: Option<ScreenshotSlot>,
    show_about: bool,
    show_problems: bool,
    export: ExportDialog,
    /// The map's size in the last frame, so an export can match the screen.
    map_size: [f32; 2],
}

impl ChronomapApp {
    /// An app showing `loaded`.
    pub fn new(loaded: Loaded, atlas: &'static Atlas, options: AppOptions) -> Self {
        let show_problems = !loaded.report.problems.is_empty();
        let dataset = Arc::new(loaded.dataset);
        let mut state = ViewState::new(Arc::clone(&dataset), loaded.report);
        let mut start = Vec::new();
        if let Some(day) = options.date {
            start.push(Command::Time(TimeCommand::SetCursor(day)));
        }
        if let Some(w) = options.window {
            start.push(Command::Time(TimeCommand::SetWindow(w)));
        }
        if let Some(id) = &options.select {
            start.push(Command::Select(dataset.find_event(id)));
        }
        state.apply_all(start);
        Self {
            timeline: Timeline::new(&dataset),
            map: MapView::new(atlas),
            list: EventList::default(),
            state,
            atlas,
            options,
            frames: 0,
            screenshot: None,
            show_about: false,
            show_problems,
            export: ExportDialog::default(),
            map_size: [1000.0, 700.0],
        }
    }

    /// The dataset's title, for the window title.
    pub fn dataset_title(&self) -> &str {
        &self.state.dataset().title
    }

    /// The view state (for tests and tools).
    pub fn state(&self) -> &ViewState {
        &self.state
    }

    /// The scene drawn in the last frame (for tests).
    pub fn last_scene(&self) -> &crate::scene::Scene {
        &self.map.last_scene
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Export map image\u{2026}").clicked() {
                    self.export.open(ExportKind::Image, &self.state);
                }
                if ui.button("Export animation\u{2026}").clicked() {
                    self.export.open(ExportKind::Animation, &self.state);
                }
                if ui.button("Export events\u{2026}").clicked() {
                    self.export.open(ExportKind::Events, &self.state);
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("View", |ui| {
                if ui.button("Fit map to data").clicked() {
                    commands.push(Command::FitToData);
                }
                if ui.button("Problems\u{2026}").clicked() {
                    self.show_problems = true;
                }
            });
            ui.menu_button("Help", |ui| {
                if ui.button("About chronomap").clicked() {
                    self.show_about = true;
                }
            });
            ui.separator();
            ui.strong(&self.state.dataset().title);
            ui.weak(format!("{} events", self.state.dataset().events.len()));
        });
    }

    fn windows(&mut self, ctx: &egui::Context) {
        egui::Window::new("About chronomap")
            .open(&mut self.show_about)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label("chronomap: news and conflict events on a map, linked to a timeline.");
                ui.label(crate::scene::ATTRIBUTION);
                ui.label("Keys: \u{2190}/\u{2192} step a day, Space plays or pauses.");
            });
        let report = self.state.report();
        egui::Window::new("Problems")
            .open(&mut self.show_problems)
            .default_width(480.0)
            .show(ctx, |ui| {
                ui.label(format!(
                    "{} ({}): {} rows, {} events loaded, {} problems",
                    report.file,
                    report.format,
                    report.rows,
                    report.events,
                    report.problems.len()
                ));
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for p in &report.problems {
                        ui.label(p.to_string());
                    }
                });
            });
        self.export
            .show(ctx, &self.state, self.atlas, self.map_size);
    }

    /// Drives `--screenshot`: asks for one after the first frames, saves
    /// it from the integration's callback, then closes the window.
    fn screenshot(&mut self, ctx: &egui::Context) {
        let Some(path) = self.options.screenshot.clone() else {
            return;
        };
        if let Some(slot) = &self.screenshot {
            let done = slot.lock().map(|mut s| s.take()).unwrap_or(None);
            match done {
                Some(Ok(path)) => {
                    eprintln!("chronomap: saved screenshot {}", path.display());
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                Some(Err(e)) => {
                    eprintln!("chronomap: {e}");
                    std::process::exit(1);
                }
                None => ctx.request_repaint(),
            }
            return;
        }
        self.frames += 1;
        ctx.request_repaint();
        if self.frames < SCREENSHOT_AFTER_FRAMES {
            return;
        }
        let slot: ScreenshotSlot = Arc::default();
        let writer = Arc::clone(&slot);
        let repaint = ctx.clone();
        ctx.request_screenshot(move |image| {
            let result = save_png(&path, &image);
            if let Ok(mut s) = writer.lock() {
                *s = Some(result);
            }
            repaint.request_repaint();
        });
        self.screenshot = Some(slot);
    }
}

/// Writes an egui image as PNG, through a temporary file so that a failed
/// write leaves nothing half-written.
fn save_png(path: &std::path::Path, image: &egui::ColorImage) -> Result<PathBuf, String> {
    let [w, h] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let (Ok(w), Ok(h)) = (u32::try_from(w), u32::try_from(h)) else {
        return Err("screenshot too large".into());
    };
    let buffer = image::RgbaImage::from_raw(w, h, bytes)
        .ok_or_else(|| "screenshot has an unexpected size".to_owned())?;
    let tmp = path.with_extension("png.tmp");
    buffer
        .save_with_format(&tmp, image::ImageFormat::Png)
        .and_then(|()| std::fs::rename(&tmp, path).map_err(image::ImageError::IoError))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path.to_owned())
}

impl eframe::App for ChronomapApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let dt = f64::from(ctx.input(|i| i.stable_dt));
        self.state.time.tick(dt);
        if self.state.time.is_playing() {
            ctx.request_repaint();
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let mut commands = Vec::new();
        keyboard(ui.ctx(), &mut commands);
        Panel::top("menu").show(ui, |ui| self.menu_bar(ui, &mut commands));
        Panel::bottom("timeline")
            .resizable(true)
            .default_size(240.0)
            .min_size(160.0)
            .show(ui, |ui| self.timeline.ui(ui, &self.state, &mut commands));
        Panel::left("events")
            .default_size(300.0)
            .show(ui, |ui| self.list.ui(ui, &self.state, &mut commands));
        Panel::right("details")
            .default_size(320.0)
            .show(ui, |ui| details_ui(ui, &self.state, &mut commands));
        CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                self.map.ui(ui, &self.state, self.atlas, &mut commands)
            });
        self.windows(&ui.ctx().clone());
        self.state.apply_all(commands);
        self.screenshot(&ui.ctx().clone());
    }
}
