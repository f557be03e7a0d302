//! Presenting the story: the map and timeline fill the window, a card
//! shows the slide's caption, and the keys step between slides with the
//! bookmarks' eased moves.

use egui::RichText;

use super::shortcuts::{Action, pressed};
use crate::state::caption::{self, Run};
use crate::state::{BookmarkCommand, Command, ViewState};

/// A presentation under way: which of the story's slides is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Presenting {
    /// The position in the story's slides.
    pub slide: usize,
}

/// What the keys asked of the presentation this frame.
pub enum Step {
    /// Stay on the slide.
    Stay,
    /// Go to another slide.
    To(usize),
    /// Leave the presentation.
    Leave,
}

impl Presenting {
    /// Starts on the first slide, flying there; `None` when the story has
    /// no slides.
    pub fn start(state: &ViewState, commands: &mut Vec<Command>) -> Option<Self> {
        let first = state.bookmarks().slide(0)?;
        commands.push(Command::Bookmark(BookmarkCommand::GoTo(first)));
        Some(Self { slide: 0 })
    }

    /// Reads the presentation's keys.
    pub fn keys(&self, ctx: &egui::Context, state: &ViewState) -> Step {
        let count = state.bookmarks().slide_count();
        if pressed(ctx, Action::LeavePresent) || count == 0 {
            return Step::Leave;
        }
        if pressed(ctx, Action::NextSlide) && self.slide + 1 < count {
            return Step::To(self.slide + 1);
        }
        if pressed(ctx, Action::PreviousSlide) && self.slide > 0 {
            return Step::To(self.slide - 1);
        }
        Step::Stay
    }

    /// Moves to slide `to`, flying there.
    pub fn go(&mut self, to: usize, state: &ViewState, commands: &mut Vec<Command>) {
        if let Some(bookmark) = state.bookmarks().slide(to) {
            self.slide = to;
            commands.push(Command::Bookmark(BookmarkCommand::GoTo(bookmark)));
        }
    }

    /// The caption card over the map's top left (the legend keeps the
    /// bottom), with the slide's place in the story and buttons for the
    /// mouse; returns a step.
    pub fn card(&self, ctx: &egui::Context, map: egui::Rect, state: &ViewState) -> Step {
        let bookmarks = state.bookmarks();
        let Some(bookmark) = bookmarks.slide(self.slide).and_then(|i| bookmarks.get(i)) else {
            return Step::Leave;
        };
        let mut step = Step::Stay;
        egui::Area::new(egui::Id::unique("story-card"))
            .fixed_pos(map.left_top() + egui::vec2(16.0, 16.0))
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_max_width((map.width() * 0.45).clamp(260.0, 560.0));
                    ui.label(RichText::new(&bookmark.name).heading());
                    caption_ui(ui, &bookmark.caption);
                    ui.add_space(4.0);
                    step = self.controls(ui, bookmarks.slide_count());
                });
            });
        step
    }

    fn controls(&self, ui: &mut egui::Ui, count: usize) -> Step {
        let mut step = Step::Stay;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(self.slide > 0, egui::Button::new("\u{2190}"))
                .clicked()
            {
                step = Step::To(self.slide - 1);
            }
            ui.weak(format!("{} of {count}", self.slide + 1));
            if ui
                .add_enabled(self.slide + 1 < count, egui::Button::new("\u{2192}"))
                .clicked()
            {
                step = Step::To(self.slide + 1);
            }
            if ui.button("Leave (Esc)").clicked() {
                step = Step::Leave;
            }
        });
        step
    }
}

/// A caption's lines, its bold, italics and links drawn as such.
pub fn caption_ui(ui: &mut egui::Ui, text: &str) {
    for line in caption::parse(text) {
        if line.is_empty() {
            ui.add_space(6.0);
            continue;
        }
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            for run in &line {
                run_ui(ui, run);
            }
        });
    }
}

fn run_ui(ui: &mut egui::Ui, run: &Run) {
    let mut text = RichText::new(&run.text);
    if run.bold {
        text = text.strong();
    }
    if run.italic {
        text = text.italics();
    }
    match &run.link {
        Some(url) => {
            ui.hyperlink_to(text, url);
        }
        None => {
            ui.label(text);
        }
    }
}
