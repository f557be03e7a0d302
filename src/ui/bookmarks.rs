//! The bookmarks window: the user's named views, in order, each a button
//! that flies there, with rename, reorder and delete.

use crate::state::{BookmarkCommand, Command, ViewState};

use super::shortcuts::{self, Action};

/// The window's own state: which bookmark is being renamed, and to what.
#[derive(Default)]
pub struct BookmarksPanel {
    /// Whether the window is open.
    pub open: bool,
    renaming: Option<(usize, String)>,
}

impl BookmarksPanel {
    /// Shows the window when open.
    pub fn ui(&mut self, ctx: &egui::Context, state: &ViewState, commands: &mut Vec<Command>) {
        let mut open = self.open;
        egui::Window::new("Bookmarks")
            .open(&mut open)
            .default_width(280.0)
            .show(ctx, |ui| self.contents(ui, state, commands));
        self.open = open;
    }

    fn contents(&mut self, ui: &mut egui::Ui, state: &ViewState, commands: &mut Vec<Command>) {
        let keys = shortcuts::shortcut(Action::AddBookmark)
            .map(|s| shortcuts::keys_text(ui.ctx(), s))
            .unwrap_or_default();
        if ui.button(format!("Keep this view ({keys})")).clicked() {
            commands.push(Command::Bookmark(BookmarkCommand::Add(String::new())));
        }
        let list = state.bookmarks().list();
        if list.is_empty() {
            ui.weak(
                "No bookmarks yet: a bookmark keeps the date, the window, the map and the filters.",
            );
            return;
        }
        let last = list.len() - 1;
        for (i, bookmark) in list.iter().enumerate() {
            ui.separator();
            if let Some((at, name)) = &mut self.renaming
                && *at == i
            {
                let edit = ui.text_edit_singleline(name);
                let done = edit.lost_focus() || ui.button("Done").clicked();
                if done {
                    commands.push(Command::Bookmark(BookmarkCommand::Rename(i, name.clone())));
                    self.renaming = None;
                } else {
                    edit.request_focus();
                }
                continue;
            }
            let go = ui
                .button(&bookmark.name)
                .on_hover_text(format!("Go to {} ({})", bookmark.name, bookmark.date));
            if go.clicked() {
                commands.push(Command::Bookmark(BookmarkCommand::GoTo(i)));
            }
            ui.horizontal(|ui| {
                ui.weak(bookmark.date.to_string());
                if ui.small_button("Rename").clicked() {
                    self.renaming = Some((i, bookmark.name.clone()));
                }
                if i > 0 && ui.small_button("Up").clicked() {
                    commands.push(Command::Bookmark(BookmarkCommand::Move {
                        from: i,
                        to: i - 1,
                    }));
                }
                if i < last && ui.small_button("Down").clicked() {
                    commands.push(Command::Bookmark(BookmarkCommand::Move {
                        from: i,
                        to: i + 1,
                    }));
                }
                if ui.small_button("Delete").clicked() {
                    commands.push(Command::Bookmark(BookmarkCommand::Delete(i)));
                }
            });
        }
    }
}
