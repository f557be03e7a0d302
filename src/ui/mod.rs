//! The egui layer: thin panels that read [`crate::state::ViewState`] and push
//! [`crate::state::Command`]s, and the map view that paints a
//! [`crate::scene::Scene`].

mod app;
mod bookmarks;
mod database;
mod details;
mod event_list;
mod export_dialog;
mod facets;
mod files;
mod map_view;
mod open_dialog;
mod overlay;
mod overview;
mod paint;
mod problems;
mod project;
mod regions;
mod remote;
mod shortcuts;
mod story;
mod timeline;

pub use app::{AppOptions, ChronomapApp};
pub use export_dialog::{ExportDialog, ExportKind};
pub use files::BackgroundLoad;
pub use remote::RemotePanels;
pub use timeline::{Timeline, density_charts};

/// Opens the native window and runs the app until it closes.
///
/// `make_app` runs once the window and its GL context exist, so whatever it
/// waits for (data loading on another thread) overlaps their creation. The
/// app names the window after its dataset from the first frame on, and
/// takes up what it keeps between runs from eframe's storage (the last
/// session when the app options ask, the recent files) and, unless `clean`
/// (`--fresh`, a screenshot), the panel sizes and theme.
/// The window's size is not kept: `--size` (or its default) decides it
/// every time.
///
/// # Errors
/// When no window could be created (no display, no OpenGL).
pub fn run_native(
    make_app: impl FnOnce() -> ChronomapApp + 'static,
    size: [f32; 2],
    clean: bool,
) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("chronomap")
            .with_app_id("chronomap")
            .with_inner_size(size)
            .with_min_inner_size([640.0, 420.0]),
        persist_window: false,
        ..Default::default()
    };
    eframe::run_native(
        "chronomap",
        options,
        Box::new(move |cc| {
            if clean {
                // eframe read egui's memory before this: forget it.
                cc.egui_ctx.memory_mut(|m| *m = egui::Memory::default());
            }
            install_fonts(&cc.egui_ctx);
            let mut app = make_app();
            app.restore(cc.storage);
            Ok(Box::new(app))
        }),
    )
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Gives the window chronomap's faces after egui's own ([`crate::fonts`]):
/// without them, names in Arabic, Hebrew, Chinese or with Latin Extended
/// letters ("Al Ḩasakah") are drawn as empty boxes. Call before the first
/// frame (eframe's creation context, or egui_kittest's).
pub fn install_fonts(ctx: &egui::Context) {
    let mut definitions = egui::FontDefinitions::default();
    for face in crate::fonts::added_faces() {
        let data = egui::FontData::from_static(face.bytes);
        definitions
            .font_data
            .insert(face.name.clone(), std::sync::Arc::new(data));
        for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
            definitions
                .families
                .entry(family)
                .or_default()
                .push(face.name.clone());
        }
    }
    ctx.set_fonts(definitions);
}
