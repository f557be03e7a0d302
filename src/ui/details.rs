//! The detail panel: everything known about the selected event.

use crate::fonts::display_text;
use egui::{RichText, ScrollArea};

use crate::model::{EventRef, Location};
use crate::state::{Command, ViewState};
use crate::time::Certainty;

/// Shows the selected event, or a hint when there is none.
///
/// With `zoom_to`, a "Zoom to" button sets it when clicked (the caller,
/// which knows the map's size, flies the map to the event's places).
pub fn details_ui(
    ui: &mut egui::Ui,
    state: &ViewState,
    commands: &mut Vec<Command>,
    zoom_to: Option<&mut bool>,
) {
    let dataset = state.dataset();
    let Some((idx, event)) = state
        .selection()
        .and_then(|i| dataset.event(i).map(|e| (i, e)))
    else {
        ui.heading("Details");
        ui.weak("Select an event on the map, the timeline or in the list to see its details.");
        return;
    };
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.heading(display_text(event.title()));
            if let Some(zoom_to) = zoom_to
                && !event.places().is_empty()
                && ui
                    .button("Zoom to")
                    .on_hover_text("Fly the map to the event's places (Z)")
                    .clicked()
            {
                *zoom_to = true;
            }
            let in_window = match state.certainty(idx) {
                Some(Certainty::Certain) => "in the window",
                Some(Certainty::Possible) => {
                    "possibly in the window: some of its possible days lie outside it"
                }
                None => "outside the window",
            };
            ui.label(RichText::new(event.date().uncertainty_words()).strong())
                .on_hover_text(in_window);
            ui.weak(format!(
                "{} \u{b7} {}",
                dataset.category_name(event.category()),
                precision_words(event)
            ));
            ui.add_space(6.0);
            if !event.summary().is_empty() {
                ui.label(display_text(event.summary()));
            }
            note_ui(ui, state, idx, commands);
            section(ui, "Places", |ui| places(ui, state, event));
            list_section(ui, "Actors", event.actors());
            if let Some(c) = &event.casualties() {
                section(ui, "Casualties", |ui| {
                    let mut parts = Vec::new();
                    if let Some(k) = c.killed {
                        parts.push(format!("{k} killed"));
                    }
                    if let Some(i) = c.injured {
                        parts.push(format!("{i} injured"));
                    }
                    if let Some(d) = &c.detail {
                        parts.push(d.to_string());
                    }
                    ui.label(parts.join("; "));
                });
            }
            if !event.quotes().is_empty() {
                section(ui, "Quotes", |ui| {
                    for q in event.quotes() {
                        ui.label(RichText::new(format!("\u{201c}{}\u{201d}", q.text)).italics());
                        let context = q
                            .context
                            .as_deref()
                            .map(|c| format!(", {c}"))
                            .unwrap_or_default();
                        ui.weak(format!("\u{2014} {}{context}", q.speaker));
                        ui.add_space(4.0);
                    }
                });
            }
            if !event.sources().is_empty() {
                section(ui, "Sources", |ui| {
                    for s in event.sources().iter() {
                        let kind = s.kind.map(|k| format!(" ({k})")).unwrap_or_default();
                        match &s.url {
                            Some(url) => {
                                ui.hyperlink_to(format!("{}{kind}", s.name), url);
                            }
                            None => {
                                ui.label(format!("{}{kind}", s.name));
                            }
                        }
                    }
                });
            }
            for (key, value) in event.extra().iter() {
                section(ui, key, |ui| {
                    ui.label(display_text(value));
                });
            }
            ui.add_space(8.0);
            if ui.button("Clear selection").clicked() {
                commands.push(Command::Select(None));
            }
        });
}

fn precision_words(event: EventRef<'_>) -> String {
    use crate::model::Precision;
    match event.date().precision {
        Precision::Day => "exact day".into(),
        Precision::Range => format!("a range of {} days", event.date().len_days()),
        Precision::Week => "within a week".into(),
        Precision::Month => "within a month".into(),
        Precision::Year => "within a year".into(),
    }
}

fn places(ui: &mut egui::Ui, state: &ViewState, event: EventRef<'_>) {
    if event.places().is_empty() {
        ui.weak("No place given: the event is on the timeline only.");
    }
    for &p in event.places().iter() {
        let Some(place) = state.dataset().place(p) else {
            continue;
        };
        let kind = place.kind.name();
        let country = place.country.map(|c| format!(", {c}")).unwrap_or_default();
        let where_ = match &place.location {
            Some(Location::Point { lon_lat }) => {
                format!(" \u{b7} {:.4}\u{b0}N {:.4}\u{b0}E", lon_lat[1], lon_lat[0])
            }
            Some(Location::Region(_)) => String::new(),
            Some(Location::Area(area)) => {
                let [lon, lat] = area.center_lon_lat();
                format!(" \u{b7} an area around {lat:.4}\u{b0}N {lon:.4}\u{b0}E")
            }
            None => " \u{b7} not on the map".into(),
        };
        ui.label(format!(
            "{} ({kind}{country}){where_}",
            display_text(place.name)
        ));
        if let Some(words) = place.precision_words() {
            ui.weak(words);
        }
    }
}

fn section(ui: &mut egui::Ui, title: &str, add: impl FnOnce(&mut egui::Ui)) {
    ui.add_space(6.0);
    ui.label(RichText::new(title).small().strong());
    add(ui);
}

fn list_section<S: std::borrow::Borrow<str>>(ui: &mut egui::Ui, title: &str, items: &[S]) {
    if items.is_empty() {
        return;
    }
    section(ui, title, |ui| {
        ui.label(display_text(&items.join(", ")));
    });
}

/// The user's own note on the event: kept in the view and the project,
/// never written into the data file.
fn note_ui(
    ui: &mut egui::Ui,
    state: &ViewState,
    event: crate::model::EventIdx,
    commands: &mut Vec<Command>,
) {
    let mut text = state.note(event).unwrap_or_default().to_owned();
    let edit = egui::TextEdit::multiline(&mut text)
        .desired_rows(2)
        .desired_width(f32::INFINITY)
        .hint_text("Your note on this event (kept in the project, not in the file)");
    let label = ui.weak("Your note");
    if ui.add(edit).labelled_by(label.id).changed() {
        commands.push(Command::SetNote(event, text));
    }
    ui.add_space(6.0);
}
