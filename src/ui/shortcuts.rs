//! Every keyboard shortcut of the app in one table: the handlers ask it
//! whether an action's keys were pressed, and the keyboard help (F1 or ?)
//! lists it, so that what the help says and what the keys do cannot drift.

use egui::{Key, KeyboardShortcut, Modifiers};

/// What a shortcut does.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Moves the date a day back.
    StepBack,
    /// Moves the date a day on.
    StepForward,
    /// Plays or pauses.
    TogglePlay,
    /// Fits the map to the data.
    FitMap,
    /// Flies the map to the selected event's places.
    ZoomToSelection,
    /// Keeps the current view as a bookmark.
    AddBookmark,
    /// Shows or hides the frame times.
    FrameTimes,
    /// Shows or hides this list.
    Help,
    /// Makes everything larger (egui's own zoom).
    ZoomIn,
    /// Makes everything smaller (egui's own zoom).
    ZoomOut,
    /// Back to the normal size (egui's own zoom).
    ZoomReset,
    /// Opens files or a project.
    Open,
    /// Saves the project (asking where the first time).
    SaveProject,
    /// Presents the story.
    Present,
    /// The story's next slide.
    NextSlide,
    /// The story's slide before.
    PreviousSlide,
    /// Leaves the presentation.
    LeavePresent,
}

/// When a shortcut acts: presenting gives the arrows and Space to the
/// slides.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum When {
    /// Whatever the app shows.
    Always,
    /// While exploring (not presenting).
    Exploring,
    /// While a story is presented.
    Presenting,
}

/// One shortcut: its keys (any of them), and what it does in words.
#[derive(Clone, Debug)]
pub struct Shortcut {
    /// The action.
    pub action: Action,
    /// The keys that do it; the first is the one shown.
    pub keys: &'static [KeyboardShortcut],
    /// What it does.
    pub words: &'static str,
    /// Whether it acts while a text field has the keyboard (the arrows and
    /// Space then belong to the text).
    pub while_typing: bool,
    /// When it acts.
    pub when: When,
}

const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

const fn command(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

/// The app's shortcuts, in the order the help lists them.
pub const SHORTCUTS: &[Shortcut] = &[
    Shortcut {
        action: Action::StepBack,
        keys: &[plain(Key::ArrowLeft)],
        words: "Move the date a day back",
        while_typing: false,
        when: When::Exploring,
    },
    Shortcut {
        action: Action::StepForward,
        keys: &[plain(Key::ArrowRight)],
        words: "Move the date a day on",
        while_typing: false,
        when: When::Exploring,
    },
    Shortcut {
        action: Action::TogglePlay,
        keys: &[plain(Key::Space)],
        words: "Play or pause",
        while_typing: false,
        when: When::Exploring,
    },
    Shortcut {
        action: Action::FitMap,
        keys: &[plain(Key::F)],
        words: "Fit the map to the data (or double-click the map)",
        while_typing: false,
        when: When::Exploring,
    },
    Shortcut {
        action: Action::ZoomToSelection,
        keys: &[plain(Key::Z)],
        words: "Fly the map to the selected event's places",
        while_typing: false,
        when: When::Exploring,
    },
    Shortcut {
        action: Action::AddBookmark,
        keys: &[command(Key::B)],
        words: "Keep this view as a bookmark",
        while_typing: true,
        when: When::Always,
    },
    Shortcut {
        action: Action::Help,
        keys: &[plain(Key::F1), plain(Key::Questionmark)],
        words: "Show or hide this list of keys",
        while_typing: false,
        when: When::Always,
    },
    Shortcut {
        action: Action::FrameTimes,
        keys: &[plain(super::overlay::TOGGLE_KEY)],
        words: "Show or hide frame times (CPU per frame, scene, shapes, fps)",
        while_typing: true,
        when: When::Always,
    },
    Shortcut {
        action: Action::ZoomIn,
        keys: &[command(Key::Plus), command(Key::Equals)],
        words: "Make everything larger",
        while_typing: true,
        when: When::Always,
    },
    Shortcut {
        action: Action::ZoomOut,
        keys: &[command(Key::Minus)],
        words: "Make everything smaller",
        while_typing: true,
        when: When::Always,
    },
    Shortcut {
        action: Action::ZoomReset,
        keys: &[command(Key::Num0)],
        words: "Back to the normal size",
        while_typing: true,
        when: When::Always,
    },
    Shortcut {
        action: Action::Open,
        keys: &[command(Key::O)],
        words: "Open files or a project",
        while_typing: true,
        when: When::Always,
    },
    Shortcut {
        action: Action::SaveProject,
        keys: &[command(Key::S)],
        words: "Save the project",
        while_typing: true,
        when: When::Always,
    },
    Shortcut {
        action: Action::Present,
        keys: &[plain(Key::F5)],
        words: "Present the story",
        while_typing: false,
        when: When::Exploring,
    },
    Shortcut {
        action: Action::NextSlide,
        keys: &[
            plain(Key::ArrowRight),
            plain(Key::Space),
            plain(Key::PageDown),
        ],
        words: "The next slide",
        while_typing: false,
        when: When::Presenting,
    },
    Shortcut {
        action: Action::PreviousSlide,
        keys: &[plain(Key::ArrowLeft), plain(Key::PageUp)],
        words: "The slide before",
        while_typing: false,
        when: When::Presenting,
    },
    Shortcut {
        action: Action::LeavePresent,
        keys: &[plain(Key::Escape)],
        words: "Stop presenting",
        while_typing: true,
        when: When::Presenting,
    },
];

/// The shortcut of an action.
pub fn shortcut(action: Action) -> Option<&'static Shortcut> {
    SHORTCUTS.iter().find(|s| s.action == action)
}

/// Whether one of `action`'s keys was pressed this frame (and it is not
/// typing's); the key press is taken, so that nothing else acts on it.
/// The zoom's keys are left to egui, which acts on them itself.
pub fn pressed(ctx: &egui::Context, action: Action) -> bool {
    let Some(shortcut) = shortcut(action) else {
        return false;
    };
    if !shortcut.while_typing && ctx.egui_wants_keyboard_input() {
        return false;
    }
    ctx.input_mut(|i| shortcut.keys.iter().any(|k| i.consume_shortcut(k)))
}

/// How a shortcut's first keys read on this platform ("F1", "Ctrl+Plus").
pub fn keys_text(ctx: &egui::Context, shortcut: &Shortcut) -> String {
    shortcut
        .keys
        .iter()
        .map(|k| ctx.format_shortcut(k))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The keyboard help: every shortcut of the table with its keys.
pub fn help_window(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for shortcut in SHORTCUTS.iter().filter(|s| s.when != When::Presenting) {
                        ui.strong(keys_text(ui.ctx(), shortcut));
                        ui.label(shortcut.words);
                        ui.end_row();
                    }
                });
            ui.add_space(6.0);
            ui.strong("While presenting the story");
            egui::Grid::new("presenting shortcuts")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for shortcut in SHORTCUTS.iter().filter(|s| s.when == When::Presenting) {
                        ui.strong(keys_text(ui.ctx(), shortcut));
                        ui.label(shortcut.words);
                        ui.end_row();
                    }
                });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_shortcut_and_no_two_share_keys() {
        let actions = [
            Action::StepBack,
            Action::StepForward,
            Action::TogglePlay,
            Action::FitMap,
            Action::ZoomToSelection,
            Action::AddBookmark,
            Action::FrameTimes,
            Action::Help,
            Action::ZoomIn,
            Action::ZoomOut,
            Action::ZoomReset,
            Action::Open,
            Action::SaveProject,
            Action::Present,
            Action::NextSlide,
            Action::PreviousSlide,
            Action::LeavePresent,
        ];
        for action in actions {
            let found = SHORTCUTS.iter().filter(|s| s.action == action).count();
            assert_eq!(found, 1, "{action:?}");
        }
        assert_eq!(SHORTCUTS.len(), actions.len());
        let keys: Vec<_> = SHORTCUTS
            .iter()
            .flat_map(|s| s.keys.iter().map(move |k| (k, s.when)))
            .collect();
        for (i, (a, when)) in keys.iter().enumerate() {
            let meets = |w: When| *when == When::Always || w == When::Always || w == *when;
            let again = keys[i + 1..].iter().any(|(b, w)| b == a && meets(*w));
            assert!(!again, "{a:?} twice");
        }
    }
}
