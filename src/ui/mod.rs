//! The egui layer: thin panels that read [`crate::state::ViewState`] and push
//! [`crate::state::Command`]s, and the map view that paints a
//! [`crate::scene::Scene`].

mod app;
mod details;
mod event_list;
mod export_dialog;
mod files;
mod map_view;
mod open_dialog;
mod overlay;
mod paint;
mod timeline;

pub use app::{AppOptions, ChronomapApp};
pub use export_dialog::{ExportDialog, ExportKind};
pub use timeline::density_charts;

/// Opens the native window and runs the app until it closes.
///
/// # Errors
/// When no window could be created (no display, no OpenGL).
pub fn run_native(app: ChronomapApp, size: [f32; 2]) -> eframe::Result {
    let title = format!("chronomap \u{2014} {}", app.dataset_title());
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(title.clone())
            .with_app_id("chronomap")
            .with_inner_size(size)
            .with_min_inner_size([640.0, 420.0]),
        ..Default::default()
    };
    eframe::run_native(&title, options, Box::new(|_cc| Ok(Box::new(app))))
}
