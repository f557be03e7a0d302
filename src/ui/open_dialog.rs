//! File > Open: a small file browser inside the app (it works the same on
//! every desktop and under Xvfb), with a typed path and the recent files.

use std::path::{Path, PathBuf};

use super::files::file_name;

/// What the user asked the dialog for.
pub struct OpenRequest {
    /// The files to open.
    pub files: Vec<PathBuf>,
    /// Add them as layers to what is open, rather than replace it.
    pub add: bool,
}

/// The dialog's own state.
pub struct OpenDialog {
    /// Whether it is shown.
    pub open: bool,
    folder: PathBuf,
    path_text: String,
    chosen: Vec<PathBuf>,
    entries: Vec<(PathBuf, bool)>,
    error: Option<String>,
}

impl Default for OpenDialog {
    fn default() -> Self {
        let folder = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        Self {
            open: false,
            folder,
            path_text: String::new(),
            chosen: Vec::new(),
            entries: Vec::new(),
            error: None,
        }
    }
}

/// File endings worth listing (the loaders detect the format from the
/// content, so this only keeps the listing short).
const DATA_ENDINGS: [&str; 7] = ["json", "geojson", "csv", "tsv", "txt", "tab", "chronomap"];

impl OpenDialog {
    /// Shows the dialog, listing `folder`.
    pub fn show_at(&mut self, folder: Option<&Path>) {
        if let Some(f) = folder {
            self.folder = f.to_owned();
        }
        self.refresh();
        self.open = true;
    }

    fn refresh(&mut self) {
        self.entries = list_folder(&self.folder);
        self.chosen.clear();
        self.error = None;
    }

    /// Draws the dialog; returns a request when the user opens something.
    pub fn ui(&mut self, ctx: &egui::Context, recent: &[PathBuf]) -> Option<OpenRequest> {
        let mut request = None;
        let mut open = self.open;
        egui::Window::new("Open files")
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| request = self.contents(ui, recent));
        self.open = open && request.is_none();
        request
    }

    fn contents(&mut self, ui: &mut egui::Ui, recent: &[PathBuf]) -> Option<OpenRequest> {
        ui.horizontal(|ui| {
            if ui.button("Up").clicked()
                && let Some(parent) = self.folder.parent()
            {
                self.folder = parent.to_owned();
                self.refresh();
            }
            ui.label(self.folder.display().to_string());
        });
        let mut go_into = None;
        egui::ScrollArea::vertical()
            .max_height(260.0)
            .show(ui, |ui| {
                for (path, is_dir) in &self.entries {
                    let name = file_name(path);
                    if *is_dir {
                        if ui.selectable_label(false, format!("{name}/")).clicked() {
                            go_into = Some(path.clone());
                        }
                    } else {
                        let chosen = self.chosen.contains(path);
                        if ui.selectable_label(chosen, name).clicked() {
                            toggle(&mut self.chosen, path);
                        }
                    }
                }
                if self.entries.is_empty() {
                    ui.weak("No data files here.");
                }
            });
        if let Some(dir) = go_into {
            self.folder = dir;
            self.refresh();
        }
        ui.horizontal(|ui| {
            let label = ui.label("Path");
            ui.add(egui::TextEdit::singleline(&mut self.path_text).desired_width(380.0))
                .labelled_by(label.id);
        });
        let request = self.buttons(ui);
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        request.or_else(|| recent_list(ui, recent))
    }

    fn buttons(&mut self, ui: &mut egui::Ui) -> Option<OpenRequest> {
        let mut request = None;
        ui.horizontal(|ui| {
            let files = self.files();
            let enabled = !files.is_empty();
            if ui.add_enabled(enabled, egui::Button::new("Open")).clicked() {
                request = Some(OpenRequest {
                    files: files.clone(),
                    add: false,
                });
            }
            if ui
                .add_enabled(enabled, egui::Button::new("Add as layers"))
                .clicked()
            {
                request = Some(OpenRequest { files, add: true });
            }
        });
        if let Some(r) = &request
            && let Some(missing) = r.files.iter().find(|f| !f.is_file())
        {
            self.error = Some(format!("{}: no such file", missing.display()));
            return None;
        }
        request
    }

    /// The typed path if any, else the files picked in the listing.
    fn files(&self) -> Vec<PathBuf> {
        let typed = self.path_text.trim();
        if typed.is_empty() {
            self.chosen.clone()
        } else {
            vec![self.folder.join(typed)]
        }
    }
}

fn recent_list(ui: &mut egui::Ui, recent: &[PathBuf]) -> Option<OpenRequest> {
    if recent.is_empty() {
        return None;
    }
    ui.separator();
    ui.label("Recent files");
    let mut request = None;
    for path in recent {
        if ui.link(path.display().to_string()).clicked() {
            request = Some(OpenRequest {
                files: vec![path.clone()],
                add: false,
            });
        }
    }
    request
}

fn toggle(list: &mut Vec<PathBuf>, path: &Path) {
    if let Some(i) = list.iter().position(|p| p == path) {
        list.remove(i);
    } else {
        list.push(path.to_owned());
    }
}

/// Folders and data files of `folder`, folders first, each sorted by name.
fn list_folder(folder: &Path) -> Vec<(PathBuf, bool)> {
    let Ok(read) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut entries: Vec<(PathBuf, bool)> = read
        .filter_map(Result::ok)
        .map(|e| {
            let path = e.path();
            let is_dir = path.is_dir();
            (path, is_dir)
        })
        .filter(|(p, is_dir)| {
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            let data = p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| DATA_ENDINGS.contains(&e.to_lowercase().as_str()));
            !hidden && (*is_dir || data)
        })
        .collect();
    entries.sort_by(|a, b| (!a.1, &a.0).cmp(&(!b.1, &b.0)));
    entries
}
