//! The event list: a text search, a legend whose entries toggle categories,
//! and every event that passes, with those in the window in bold. When the
//! window moves, the list scrolls to its first event, so scrubbing through
//! a long dataset keeps the window's events in view.

use egui::{RichText, ScrollArea};

use super::facets::chips;
use super::paint::color;
use crate::fonts::display_text;
use crate::model::{Day, Facet};
use crate::scene::category_color;
use crate::state::{Command, ViewState};
use crate::time::Certainty;

/// The list's own state: the search text as typed, and the window it last
/// scrolled to.
#[derive(Default)]
pub struct EventList {
    search: String,
    followed: Option<(Day, Day)>,
}

impl EventList {
    /// Shows the search, the legend and the list.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &ViewState, commands: &mut Vec<Command>) {
        if let Some(text) = search_box(ui, &mut self.search, &state.filter().text) {
            commands.push(Command::SetFilterText(text));
        }
        legend(ui, state, commands);
        layers(ui, state, commands);
        chips(ui, state, commands);
        ui.separator();
        let listed = state.listed();
        let in_window = state.active().len();
        let certain = state.certain_count();
        let in_window = if certain < in_window {
            format!("{in_window} in the window ({certain} certainly)")
        } else {
            format!("{in_window} in the window")
        };
        let searching = if state.is_searching() {
            " \u{b7} searching\u{2026}"
        } else {
            ""
        };
        ui.label(format!(
            "{} of {} events \u{b7} {in_window}{searching}",
            listed.len(),
            state.dataset().events.len()
        ));
        // Rows have one height so that only the visible ones are laid out,
        // however many events the dataset holds.
        let row_height = ui.text_style_height(&egui::TextStyle::Body)
            + ui.text_style_height(&egui::TextStyle::Small)
            + ui.spacing().item_spacing.y * 3.0;
        let mut scroll = ScrollArea::vertical().auto_shrink([false, false]);
        let window = state.time().window();
        if self.followed != Some(window) {
            self.followed = Some(window);
            // Both lists are sorted, by date then id: the first event in
            // the window has the same rank in both. With none in it, the
            // next event to start.
            let dataset = state.dataset();
            let first = match state.active().first() {
                Some(&a) => listed.partition_point(|&e| e < a),
                None => listed.partition_point(|&e| {
                    dataset.event(e).is_some_and(|ev| ev.days().0 < window.0)
                }),
            };
            #[expect(clippy::cast_precision_loss, reason = "a row index")]
            let offset = first as f32 * (row_height + ui.spacing().item_spacing.y);
            scroll = scroll.vertical_scroll_offset(offset);
        }
        scroll.show_rows(ui, row_height, listed.len(), |ui, rows| {
            for &e in listed.get(rows).unwrap_or_default() {
                event_row(ui, state, e, row_height, commands);
            }
        });
    }
}

/// The search box: `typed` is what it shows, kept equal to the filter's
/// `text` (which a chip or "Clear all" may change elsewhere); the new
/// text when the user changed it.
pub(super) fn search_box(ui: &mut egui::Ui, typed: &mut String, text: &str) -> Option<String> {
    if typed != text {
        text.clone_into(typed);
    }
    ui.horizontal(|ui| {
        let label = ui.label("Search");
        let edit = egui::TextEdit::singleline(typed)
            .hint_text("title, place, actor\u{2026}")
            .desired_width(f32::INFINITY);
        ui.add(edit)
            .labelled_by(label.id)
            .changed()
            .then(|| typed.clone())
    })
    .inner
}

fn legend(ui: &mut egui::Ui, state: &ViewState, commands: &mut Vec<Command>) {
    let dataset = state.dataset();
    ui.horizontal_wrapped(|ui| {
        for (i, name) in dataset.categories.iter().enumerate() {
            let Ok(idx) = u16::try_from(i) else { break };
            let mut shown = !state.filter().is_category_hidden(dataset, idx);
            let text = RichText::new(name).color(color(category_color(name, i)));
            let response = ui
                .checkbox(&mut shown, text)
                .on_hover_text("Show or hide this category");
            if response.clicked() {
                commands.push(Command::ToggleCategory(idx));
            }
        }
        let chosen = !state.filter().choices.get(Facet::Category).is_empty();
        if chosen && ui.small_button("show all").clicked() {
            commands.push(Command::ShowAllCategories);
        }
    });
}

/// One checkbox per open file, when several are open as layers.
fn layers(ui: &mut egui::Ui, state: &ViewState, commands: &mut Vec<Command>) {
    let names = &state.dataset().layers;
    if names.len() < 2 {
        return;
    }
    ui.label(RichText::new("Layers").small().strong());
    for (i, name) in names.iter().enumerate() {
        let Ok(idx) = u16::try_from(i) else { break };
        let mut shown = !state.filter().is_layer_hidden(state.dataset(), idx);
        if ui
            .checkbox(&mut shown, name)
            .on_hover_text("Show or hide this file's events")
            .clicked()
        {
            commands.push(Command::ToggleLayer(idx));
        }
    }
}

fn event_row(
    ui: &mut egui::Ui,
    state: &ViewState,
    e: u32,
    row_height: f32,
    commands: &mut Vec<Command>,
) {
    let dataset = state.dataset();
    let Some(event) = dataset.event(e) else {
        return;
    };
    let certainty = state.certainty(e);
    let active = certainty.is_some();
    let selected = state.selection() == Some(e);
    let cat = color(category_color(
        dataset.category_name(event.category()),
        usize::from(event.category()),
    ));
    // An event that may have happened outside the window is marked "≈".
    let possible = certainty == Some(Certainty::Possible);
    let mut title = RichText::new(if possible {
        format!("\u{2248} {}", display_text(event.title()))
    } else {
        display_text(event.title()).into_owned()
    });
    title = if active { title.strong() } else { title.weak() };
    let size = egui::vec2(ui.available_width(), row_height);
    let response = ui
        .allocate_ui_with_layout(size, egui::Layout::left_to_right(egui::Align::Min), |ui| {
            let (dot, _) = ui.allocate_exact_size(egui::vec2(10.0, 14.0), egui::Sense::hover());
            ui.painter().circle_filled(dot.center(), 4.0, cat);
            ui.vertical(|ui| {
                let hover = if possible {
                    format!(
                        "{}\n\u{2248} may have happened outside the window",
                        event.title()
                    )
                } else {
                    event.title().to_owned()
                };
                let r = ui
                    .add(egui::Button::selectable(selected, title).truncate())
                    .on_hover_text(hover);
                ui.label(RichText::new(event.date().words()).small().weak());
                r
            })
            .inner
        })
        .inner;
    if response.clicked() {
        commands.push(Command::Select(if selected { None } else { Some(e) }));
    }
    if selected && response.gained_focus() {
        response.scroll_to_me(None);
    }
}
