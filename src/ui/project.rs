//! File > Save project: where to write the `.chronomap` file, and the
//! app's memory between runs (the last session, kept in eframe's storage
//! as a project with absolute paths).

use std::path::{Path, PathBuf};

use crate::project::{self, Opened, Project};

/// The key of the last session in eframe's storage.
const SESSION_KEY: &str = "session";

/// The last session, when one was kept and still reads.
pub fn restore_session(storage: &dyn eframe::Storage) -> Option<Opened> {
    let text = storage.get_string(SESSION_KEY)?;
    match project::from_json(&text, Path::new("the last session"), None) {
        Ok(opened) => Some(opened),
        Err(e) => {
            eprintln!("chronomap: the last session is not restored: {e}");
            None
        }
    }
}

/// Keeps `project` as the session to come back to.
pub fn save_session(storage: &mut dyn eframe::Storage, project: &Project) {
    storage.set_string(SESSION_KEY, project::to_json(project, None));
}

/// The Save project window: a path, typed or kept from the last save.
#[derive(Default)]
pub struct SaveProjectDialog {
    /// Whether it is shown.
    pub open: bool,
    path_text: String,
    /// Why the last save failed.
    pub error: Option<String>,
}

impl SaveProjectDialog {
    /// Shows the window with `suggested` as the path.
    pub fn show(&mut self, suggested: &Path) {
        self.path_text = suggested.display().to_string();
        self.error = None;
        self.open = true;
    }

    /// Draws the window; returns the path when the user saves.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<PathBuf> {
        let mut chosen = None;
        let mut open = self.open;
        egui::Window::new("Save project")
            .open(&mut open)
            .default_width(460.0)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label(
                    "A project keeps the open files, the date, the map, the filters, \
                     the bookmarks and story, and your notes.",
                );
                let edit = ui.horizontal(|ui| {
                    let label = ui.label("Path");
                    ui.add(egui::TextEdit::singleline(&mut self.path_text).desired_width(360.0))
                        .labelled_by(label.id)
                });
                let enter =
                    edit.inner.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button("Save").clicked() || enter {
                    chosen = Some(with_extension(self.path_text.trim()));
                }
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
            });
        self.open = open && chosen.is_none();
        chosen
    }
}

/// The typed path, with `.chronomap` added when it has another ending.
fn with_extension(typed: &str) -> PathBuf {
    let path = PathBuf::from(typed);
    if project::is_project(&path) {
        path
    } else {
        PathBuf::from(format!("{typed}.{}", project::EXTENSION))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_path_gets_the_projects_ending() {
        assert_eq!(with_extension("a/view"), PathBuf::from("a/view.chronomap"));
        assert_eq!(with_extension("v.chronomap"), PathBuf::from("v.chronomap"));
    }
}
