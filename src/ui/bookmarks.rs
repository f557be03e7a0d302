//! The bookmarks window: the user's named views, in order, each a button
//! that flies there, with rename, reorder and delete; and the story: which
//! of them it presents, each with a caption.

use crate::state::{Bookmark, BookmarkCommand, Command, ViewState};

use super::shortcuts::{self, Action};
use super::story::caption_ui;

/// The window's own state: which bookmark is being renamed, and to what;
/// which caption is being written.
#[derive(Default)]
pub struct BookmarksPanel {
    /// Whether the window is open.
    pub open: bool,
    renaming: Option<(usize, String)>,
    captioning: Option<(usize, String)>,
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
            self.story_row(ui, i, bookmark, commands);
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

    /// Whether the bookmark is in the story, and its caption: shown, or
    /// being written.
    fn story_row(
        &mut self,
        ui: &mut egui::Ui,
        i: usize,
        bookmark: &Bookmark,
        commands: &mut Vec<Command>,
    ) {
        if let Some((at, text)) = &mut self.captioning
            && *at == i
        {
            ui.add(
                egui::TextEdit::multiline(text)
                    .desired_rows(3)
                    .hint_text("**bold**, *italics*, [a link](https://…)"),
            );
            if ui.button("Done").clicked() {
                commands.push(Command::Bookmark(BookmarkCommand::SetCaption(
                    i,
                    text.clone(),
                )));
                self.captioning = None;
            }
            return;
        }
        ui.horizontal(|ui| {
            let mut in_story = bookmark.in_story;
            if ui
                .checkbox(&mut in_story, "In the story")
                .on_hover_text(
                    "Present shows the story's bookmarks in this order, with their captions",
                )
                .changed()
            {
                commands.push(Command::Bookmark(BookmarkCommand::SetInStory(i, in_story)));
            }
            let words = if bookmark.caption.is_empty() {
                "Add caption"
            } else {
                "Edit caption"
            };
            if ui.small_button(words).clicked() {
                self.captioning = Some((i, bookmark.caption.clone()));
            }
        });
        if !bookmark.caption.is_empty() {
            caption_ui(ui, &bookmark.caption);
        }
    }
}
