//! File > Export: the map as a PNG, an animation (GIF or PNG frames) and
//! the events as CSV or GeoJSON, from what the user sees now. A small
//! window with a path field (no native file dialog, so no extra crate),
//! prefilled with a name in the current folder; the work itself is the
//! same egui-free code the `render` and `export` commands run.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::capitalised;
use crate::atlas::Atlas;
use crate::export::{
    AnimationOut, EventFormat, events_csv, events_geojson, write_animation, write_atomic,
};
use crate::model::{Dataset, Day};
use crate::render::{
    Extent, FigureSpec, MAX_FRAMES, RenderError, check_frame_count, encode_png, frame_count,
    frame_dates, parse_image_size, render, view_at,
};
use crate::scene::{SceneCache, Style, Viewport};
use crate::state::{Command, ViewState};
use crate::time::{Choices, TimeCommand};

/// What is being exported.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// The map at the cursor, as a PNG.
    Image,
    /// The map over a date range, as a GIF or PNG frames.
    Animation,
    /// The events passing the filters and window, as CSV or GeoJSON.
    Events,
}

/// The export window's own state: its fields as typed, and the outcome of
/// the last export.
pub struct ExportDialog {
    open: bool,
    kind: ExportKind,
    path: String,
    size: String,
    from: String,
    to: String,
    step_days: u16,
    fit_data: bool,
    outcome: Option<Result<String, String>>,
    cache: Option<SceneCache>,
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self {
            open: false,
            kind: ExportKind::Image,
            path: String::new(),
            size: "1400x900".into(),
            from: String::new(),
            to: String::new(),
            step_days: 1,
            fit_data: false,
            outcome: None,
            cache: None,
        }
    }
}

impl ExportDialog {
    /// Opens the window for `kind`, with paths and dates prefilled from the view.
    pub fn open(&mut self, kind: ExportKind, state: &ViewState) {
        let (first, last) = state.time().window();
        let (data_first, data_last) = state.time().bounds();
        self.kind = kind;
        self.outcome = None;
        self.open = true;
        match kind {
            ExportKind::Image => self.path = format!("chronomap-{last}.png"),
            ExportKind::Animation => {
                let from = if first == last { data_first } else { first };
                self.from = from.to_string();
                self.to = data_last.max(last).to_string();
                self.path = format!("chronomap-{from}_{}.gif", self.to);
            }
            ExportKind::Events => self.path = "chronomap-events.csv".into(),
        }
    }

    /// Whether the window is showing.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Shows the window (when open). `map_size` is the map's size on
    /// screen, so "as on screen" exports frame the same area.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        state: &ViewState,
        atlas: &Atlas,
        map_size: [f32; 2],
    ) {
        let mut open = self.open;
        let title = match self.kind {
            ExportKind::Image => "Export map image",
            ExportKind::Animation => "Export animation",
            ExportKind::Events => "Export events",
        };
        egui::Window::new(title)
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| self.ui(ui, state, atlas, map_size));
        self.open = open;
    }

    fn ui(&mut self, ui: &mut egui::Ui, state: &ViewState, atlas: &Atlas, map_size: [f32; 2]) {
        egui::Grid::new("export fields")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label("Save to");
                ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(320.0))
                    .labelled_by(label.id);
                ui.end_row();
                self.kind_fields(ui);
            });
        ui.weak(self.hint(state));
        if ui.button("Export").clicked() {
            self.outcome = Some(self.export(state, atlas, map_size));
        }
        match &self.outcome {
            Some(Ok(done)) => {
                ui.label(done);
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            None => {}
        }
    }

    fn kind_fields(&mut self, ui: &mut egui::Ui) {
        if self.kind == ExportKind::Events {
            return;
        }
        ui.label("Size (pixels)");
        ui.add(egui::TextEdit::singleline(&mut self.size).desired_width(100.0));
        ui.end_row();
        ui.label("Map");
        ui.horizontal(|ui| {
            ui.radio_value(&mut self.fit_data, false, "As on screen");
            ui.radio_value(&mut self.fit_data, true, "Fit to data");
        });
        ui.end_row();
        if self.kind == ExportKind::Animation {
            ui.label("From");
            ui.add(egui::TextEdit::singleline(&mut self.from).desired_width(100.0));
            ui.end_row();
            ui.label("To");
            ui.add(egui::TextEdit::singleline(&mut self.to).desired_width(100.0));
            ui.end_row();
            ui.label("Step (days)");
            ui.add(egui::DragValue::new(&mut self.step_days).range(1..=365));
            ui.end_row();
        }
    }

    fn hint(&self, state: &ViewState) -> String {
        match self.kind {
            ExportKind::Image => format!("The map at {}, with title, legend and credits.", state.time().window_words()),
            ExportKind::Animation => "A .gif path makes an animated GIF; any other path a folder of frame-0001.png\u{2026}".into(),
            ExportKind::Events => format!(
                "The {} events in the window that pass the filters; .csv or .geojson.",
                state.active().len()
            ),
        }
    }

    fn export(
        &mut self,
        state: &ViewState,
        atlas: &Atlas,
        map_size: [f32; 2],
    ) -> Result<String, String> {
        let path = PathBuf::from(self.path.trim());
        if path.as_os_str().is_empty() {
            return Err("Type a path to save to.".into());
        }
        match self.kind {
            ExportKind::Events => export_events(state, atlas, &path),
            ExportKind::Image => {
                let spec = self.figure(state, map_size)?;
                let cache = self.cache.get_or_insert_with(|| SceneCache::new(atlas));
                let rendered =
                    render(state, atlas, cache, &spec).ok_or("The size is out of range.")?;
                let bytes = encode_png(&rendered.image).map_err(|e| e.to_string())?;
                write_atomic(&path, &bytes)
                    .map_err(|e| format!("Cannot write {}: {e}", path.display()))?;
                Ok(format!("Saved {}.", path.display()))
            }
            ExportKind::Animation => self.export_animation(state, atlas, map_size, &path),
        }
    }

    fn figure(&self, state: &ViewState, map_size: [f32; 2]) -> Result<FigureSpec, String> {
        let size_px = parse_image_size(&self.size)?;
        let extent = if self.fit_data {
            Extent::Data
        } else {
            let viewport = Viewport::sized(map_size[0].max(1.0), map_size[1].max(1.0));
            let (min, max) = state.camera().visible_world(&viewport);
            Extent::World(min, max)
        };
        Ok(FigureSpec {
            size_px,
            extent,
            style: Style::light(),
        })
    }

    fn export_animation(
        &mut self,
        state: &ViewState,
        atlas: &Atlas,
        map_size: [f32; 2],
        path: &Path,
    ) -> Result<String, String> {
        let spec = self.figure(state, map_size)?;
        let day = |text: &str| {
            Day::parse_iso(text)
                .ok_or_else(|| format!("'{text}' is not a date in the form YYYY-MM-DD"))
        };
        let (from, to) = (day(&self.from)?, day(&self.to)?);
        let step_days = i32::from(self.step_days);
        match check_frame_count(frame_count(from, to, step_days), MAX_FRAMES) {
            Err(RenderError::NoFrames) => return Err("'To' is before 'From'.".into()),
            Err(e) => return Err(format!("{}.", capitalised(&e.to_string()))),
            Ok(_) => {}
        }
        let dataset = Arc::clone(state.shared_dataset());
        let cache = self.cache.get_or_insert_with(|| SceneCache::new(atlas));
        let frames = frame_dates(from, to, step_days).map(|date| {
            let frame = like(state, &dataset, date)?;
            let rendered =
                render(&frame, atlas, cache, &spec).ok_or(RenderError::Size(spec.size_px))?;
            Ok(rendered.image)
        });
        write_frames(path, frames)
    }
}

/// A view like `state` (window width, filter, selection) at another date.
fn like(state: &ViewState, dataset: &Arc<Dataset>, date: Day) -> Result<ViewState, RenderError> {
    let mut view = view_at(
        Arc::clone(dataset),
        date,
        state.time().width(),
        &Choices::default(),
    )?;
    let filter = state.filter();
    let mut commands = vec![Command::SetFilter(filter.clone())];
    commands.push(Command::Select(state.selection()));
    // Selecting may move the cursor to the selected event; put it back.
    commands.push(Command::Time(TimeCommand::SetCursor(date)));
    view.apply_all(commands);
    Ok(view)
}

/// A GIF at `path` if it ends in `.gif`, else numbered PNGs in the folder
/// `path` (replacing the frames of an earlier export there), each frame
/// written as it is drawn.
fn write_frames(
    path: &Path,
    frames: impl Iterator<Item = Result<image::RgbaImage, RenderError>>,
) -> Result<String, String> {
    let is_gif = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gif"));
    let out = if is_gif {
        AnimationOut::Gif {
            path: path.to_owned(),
            delay_ms: 500,
        }
    } else {
        AnimationOut::Frames(path.to_owned())
    };
    let written = write_animation(&out, frames).map_err(|e| capitalised(&e.to_string()))?;
    let saved = if is_gif {
        format!("Saved {} frames to {}.", written.frames, path.display())
    } else {
        format!("Saved {} frames in {}.", written.frames, path.display())
    };
    Ok(match written.replaced.words(path) {
        Some(words) => format!("{saved} ({})", capitalised(&words)),
        None => saved,
    })
}

fn export_events(state: &ViewState, atlas: &Atlas, path: &Path) -> Result<String, String> {
    let events = state.active();
    // The user's notes go with the events when there are any.
    let notes = Some(state.notes()).filter(|n| !n.is_empty());
    let text = match EventFormat::from_path(path) {
        Some(EventFormat::Csv) => {
            events_csv(state.dataset(), atlas, events, notes).map_err(|e| e.to_string())?
        }
        Some(EventFormat::GeoJson) => {
            events_geojson(state.dataset(), atlas, events, notes).map_err(|e| e.to_string())?
        }
        None => return Err("The path must end in .csv or .geojson.".into()),
    };
    write_atomic(path, text.as_bytes())
        .map_err(|e| format!("Cannot write {}: {e}", path.display()))?;
    Ok(format!(
        "Saved {} events to {}.",
        events.len(),
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::WindowWidth;

    fn state() -> ViewState {
        let atlas = Atlas::embedded();
        let loaded = crate::load::embedded(atlas).unwrap_or_else(|e| panic!("{e}"));
        let day = Day::parse_iso("2025-11-27").unwrap_or_default();
        view_at(
            Arc::new(loaded.dataset),
            day,
            WindowWidth::Days(1),
            &Choices::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn animation(path: &Path, from: &str, to: &str, step_days: u16) -> ExportDialog {
        ExportDialog {
            kind: ExportKind::Animation,
            path: path.to_string_lossy().into_owned(),
            size: "64x64".into(),
            from: from.into(),
            to: to.into(),
            step_days,
            ..ExportDialog::default()
        }
    }

    fn export(dialog: &mut ExportDialog, state: &ViewState) -> Result<String, String> {
        dialog.export(state, Atlas::embedded(), [640.0, 480.0])
    }

    #[test]
    fn an_animation_of_too_many_frames_is_refused() {
        let dir = std::env::temp_dir().join(format!("chronomap-ui-limit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        // The folder exists, so that a write that went ahead would leave
        // its file (or a temporary one) in it.
        std::fs::create_dir_all(&dir).expect("test folder");
        let mut dialog = animation(&dir.join("a.gif"), "2020-01-01", "2025-11-27", 1);
        let refused = export(&mut dialog, &state());
        let refused = refused.err().unwrap_or_default();
        assert!(
            refused
                .starts_with("The animation would have 2158 frames, more than the limit of 1000"),
            "{refused}"
        );
        let written = crate::export::sorted_names(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        assert!(written.is_empty(), "{written:?}");
    }

    #[test]
    fn a_frames_folder_is_replaced_by_the_new_set() {
        let root = std::env::temp_dir().join(format!("chronomap-ui-frames-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let _ = std::fs::create_dir_all(&root);
        let dir = root.join("frames");
        let state = state();
        let mut dialog = animation(&dir, "2025-11-20", "2025-11-26", 1);
        assert_eq!(
            export(&mut dialog, &state),
            Ok(format!("Saved 7 frames in {}.", dir.display()))
        );
        dialog.step_days = 3;
        let saved = export(&mut dialog, &state).unwrap_or_else(|e| panic!("{e}"));
        assert!(saved.contains("Replaced the 7 frames"), "{saved}");
        let frames = crate::export::frames_in(&dir).unwrap_or_default();
        assert_eq!(
            frames,
            ["frame-0001.png", "frame-0002.png", "frame-0003.png"]
        );
        let _ = std::fs::remove_dir_all(&root);
    }
}
