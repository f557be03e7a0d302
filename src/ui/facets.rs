//! The facets panel (each field's values with their counts under the other
//! filters; a click keeps a value, Ctrl-click adds one, the context menu
//! leaves one out), the fatalities histogram with its range, and the chips
//! that show every active filter above the list.

use std::collections::BTreeMap;
use std::time::Duration;

use egui::{RichText, ScrollArea};

use super::capitalised;
use crate::atlas::Atlas;
use crate::fonts::display_text;
use crate::load::thousands;
use crate::model::{Facet, FacetValues};
use crate::state::{Command, ViewState};
use crate::time::{Choice, FATALITY_BINS, FacetCounts, Range};

/// How many values a facet shows before "more".
const SHOWN: usize = 10;
/// How many more each "more" shows.
const MORE: usize = 50;
/// From how many values a facet has a search box of its own.
const SEARCH_FROM: usize = 12;

/// The panel's own state: each facet's search text and how many values it
/// shows.
#[derive(Default)]
pub struct FacetsPanel {
    searches: BTreeMap<Facet, String>,
    shown: BTreeMap<Facet, usize>,
    /// Each facet's values in the order shown, and what it was made for
    /// (the counts, the search, the choice): sorted again only when one of
    /// those changes, not every frame.
    orders: BTreeMap<Facet, (OrderKey, Vec<u32>)>,
}

/// What a facet's order depends on.
#[derive(Clone, PartialEq, Eq)]
struct OrderKey {
    counts: u64,
    search: String,
    choice: Choice,
}

impl FacetsPanel {
    /// Shows every facet with more than one value, then the fatalities.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &ViewState,
        atlas: &Atlas,
        commands: &mut Vec<Command>,
    ) {
        ui.heading("Facets");
        let (Some(counts), Some(index)) = (state.counts(), state.dataset().facets_ready()) else {
            ui.label("Counting values\u{2026}");
            ui.ctx().request_repaint_after(Duration::from_millis(100));
            return;
        };
        ui.label(
            RichText::new("Counts follow every filter but the facet's own.")
                .small()
                .weak(),
        );
        let mut follow = state.filter().choices.follow_map;
        if ui
            .checkbox(&mut follow, "Only what the map shows")
            .on_hover_text("The list, the timeline and the counts follow the map as it moves")
            .changed()
        {
            commands.push(Command::FollowMap(follow));
        }
        ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for facet in Facet::ALL {
                    let values = index.values(facet);
                    let choice = state.filter().choices.get(facet);
                    if values.len() < 2 && choice.is_empty() {
                        continue;
                    }
                    let label = format!("{} ({})", capitalised(facet.name()), values.len());
                    egui::CollapsingHeader::new(label)
                        .id_salt(facet)
                        .default_open(matches!(
                            facet,
                            Facet::Category | Facet::Actor | Facet::Country | Facet::Province
                        ))
                        .show(ui, |ui| {
                            let shown = ValuesShown {
                                facet,
                                values,
                                counts: counts.of(facet),
                                counts_id: counts.id(),
                                choice,
                                atlas,
                            };
                            self.values_ui(ui, &shown, commands);
                        });
                }
                fatalities_ui(ui, counts, state.filter().choices.fatalities, commands);
            });
    }

    fn values_ui(
        &mut self,
        ui: &mut egui::Ui,
        shown: &ValuesShown<'_>,
        commands: &mut Vec<Command>,
    ) {
        let facet = shown.facet;
        let search = self.searches.entry(facet).or_default();
        if shown.values.len() >= SEARCH_FROM {
            let hint = format!("find a{} {}\u{2026}", article(facet.name()), facet.name());
            let edit = egui::TextEdit::singleline(search)
                .hint_text(hint)
                .desired_width(f32::INFINITY);
            ui.add(edit);
        }
        let key = OrderKey {
            counts: shown.counts_id,
            search: search.clone(),
            choice: shown.choice.clone(),
        };
        let cached = self.orders.get(&facet).filter(|(k, _)| *k == key);
        if cached.is_none() {
            let order = shown.order(search);
            self.orders.insert(facet, (key, order));
        }
        let order = self
            .orders
            .get(&facet)
            .map_or(&[][..], |(_, o)| o.as_slice());
        let limit = *self.shown.entry(facet).or_insert(SHOWN);
        for &id in order.iter().take(limit) {
            value_row(ui, shown, id, commands);
        }
        if order.len() > limit {
            let more = format!("{} more\u{2026}", order.len() - limit);
            if ui.small_button(more).clicked() {
                self.shown.insert(facet, limit + MORE);
            }
        }
        if !shown.choice.is_empty() && ui.small_button("clear").clicked() {
            commands.push(Command::ClearFacet(facet));
        }
    }
}

/// What a facet's list is drawn from.
struct ValuesShown<'a> {
    facet: Facet,
    values: &'a FacetValues,
    counts: &'a [u32],
    /// Which counting `counts` are.
    counts_id: u64,
    choice: &'a Choice,
    atlas: &'a Atlas,
}

impl ValuesShown<'_> {
    fn count(&self, id: u32) -> u32 {
        self.counts.get(id as usize).copied().unwrap_or(0)
    }

    /// The values to list, those chosen first, then by count (most first)
    /// and name; with `search`, those whose shown name holds it.
    fn order(&self, search: &str) -> Vec<u32> {
        let needle = search.trim().to_lowercase();
        let chosen =
            |name: &str| self.choice.keep.contains(name) || self.choice.drop.contains(name);
        let mut ids: Vec<u32> = (0..self.values.len())
            .filter_map(|i| u32::try_from(i).ok())
            .filter(|&id| {
                needle.is_empty()
                    || self.label(id).to_lowercase().contains(&needle)
                    || chosen(self.values.name(id))
            })
            .filter(|&id| self.count(id) > 0 || chosen(self.values.name(id)))
            .collect();
        ids.sort_by(|&a, &b| {
            let key = |id: u32| {
                (
                    !chosen(self.values.name(id)),
                    std::cmp::Reverse(self.count(id)),
                )
            };
            key(a)
                .cmp(&key(b))
                .then_with(|| self.values.name(a).cmp(self.values.name(b)))
        });
        ids
    }

    /// How value `id` is shown: a country's name beside its code.
    fn label(&self, id: u32) -> String {
        let name = self.values.name(id);
        if self.facet != Facet::Country {
            return display_text(name).into_owned();
        }
        let country = self
            .atlas
            .country_by_code(name)
            .and_then(|r| self.atlas.region(r));
        match country {
            Some(region) if region.name != name => format!("{} ({name})", region.name),
            _ => name.to_owned(),
        }
    }
}

/// One value: its name (a toggle: selected when kept, struck through when
/// left out) and its count.
fn value_row(ui: &mut egui::Ui, shown: &ValuesShown<'_>, id: u32, commands: &mut Vec<Command>) {
    let name = shown.values.name(id);
    let kept = shown.choice.keep.contains(name);
    let dropped = shown.choice.drop.contains(name);
    // The count first, at the right; the name takes what is left, cut
    // short with an ellipsis when it is long.
    let row = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
    let layout = egui::Layout::right_to_left(egui::Align::Center);
    ui.allocate_ui_with_layout(row, layout, |ui| {
        ui.label(RichText::new(thousands(shown.count(id) as usize)).weak());
        let label = shown.label(id);
        let mut text = RichText::new(&label);
        if dropped {
            text = text.strikethrough().weak();
        }
        let button = egui::Button::selectable(kept, text).truncate();
        let response = ui
            .with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                ui.add(button)
            })
            .inner
            .on_hover_text("Click: only this \u{b7} Ctrl-click: this too \u{b7} right-click: more");
        // Named with its facet for assistive tools: a province's value
        // would otherwise read as the map's marker of that province.
        let facet_name = shown.facet.name();
        response.widget_info(|| {
            egui::WidgetInfo::selected(
                egui::accesskit::Role::Button,
                true,
                kept,
                format!("{facet_name}: {label}"),
            )
        });
        let facet = shown.facet;
        if response.clicked() {
            let add = ui.input(|i| i.modifiers.command);
            commands.push(Command::FacetClick {
                facet,
                value: name.to_owned(),
                add,
            });
        }
        response.context_menu(|ui| {
            let click = |add| Command::FacetClick {
                facet,
                value: name.to_owned(),
                add,
            };
            if ui.button("Only this").clicked() {
                commands.push(if kept {
                    Command::FacetForget(facet, name.to_owned())
                } else {
                    click(false)
                });
            }
            if !kept && ui.button("This too").clicked() {
                commands.push(click(true));
            }
            let drop = if dropped {
                "Let it back in"
            } else {
                "Not this (leave it out)"
            };
            if ui.button(drop).clicked() {
                commands.push(Command::FacetDrop(facet, name.to_owned()));
            }
        });
    });
}

/// The fatalities: a histogram of the events under the other filters, and
/// the range's two ends.
fn fatalities_ui(
    ui: &mut egui::Ui,
    counts: &FacetCounts,
    range: Option<Range>,
    commands: &mut Vec<Command>,
) {
    egui::CollapsingHeader::new("Fatalities")
        .id_salt("fatalities")
        .default_open(true)
        .show(ui, |ui| {
            let width = histogram(ui, counts, range);
            handles(ui, width, range, commands);
            let mut min = range.map_or(0, |r| r.min);
            let mut max = range.and_then(|r| r.max);
            let mut changed = false;
            ui.horizontal(|ui| {
                changed |= ui
                    .add(egui::DragValue::new(&mut min).prefix("at least "))
                    .changed();
                let mut bounded = max.is_some();
                changed |= ui.checkbox(&mut bounded, "at most").changed();
                let mut top = max.unwrap_or(min.max(1));
                if bounded {
                    changed |= ui.add(egui::DragValue::new(&mut top)).changed();
                }
                max = bounded.then_some(top.max(min));
            });
            if changed {
                let range = (min > 0 || max.is_some()).then_some(Range { min, max });
                commands.push(Command::SetFatalities(range));
            }
            let unknown = counts.fatalities_unknown();
            if unknown > 0 {
                let text = format!(
                    "{} events say nothing of fatalities",
                    thousands(unknown as usize)
                );
                ui.label(RichText::new(text).small().weak());
            }
        });
}

/// Bars of the fatalities' bins, those in the range drawn strong.
fn histogram(ui: &mut egui::Ui, counts: &FacetCounts, range: Option<Range>) -> f32 {
    let bins = counts.fatalities();
    let most = bins.iter().copied().max().unwrap_or(0).max(1);
    let size = egui::vec2(ui.available_width().min(260.0), 48.0);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    let painter = ui.painter_at(rect);
    #[expect(clippy::cast_precision_loss, reason = "a handful of bins")]
    let width = rect.width() / bins.len() as f32;
    for (i, &n) in bins.iter().enumerate() {
        let low = FATALITY_BINS.get(i).copied().unwrap_or(0);
        let inside = range.is_none_or(|r| r.contains(low));
        #[expect(clippy::cast_precision_loss, reason = "counts drawn as heights")]
        let height = (n as f32 / most as f32) * rect.height();
        #[expect(clippy::cast_precision_loss, reason = "a handful of bins")]
        let x = rect.left() + i as f32 * width;
        let bar = egui::Rect::from_min_max(
            egui::pos2(
                x + 1.0,
                rect.bottom() - height.max(if n > 0 { 1.0 } else { 0.0 }),
            ),
            egui::pos2(x + width - 1.0, rect.bottom()),
        );
        let colour = if inside {
            ui.visuals().selection.bg_fill
        } else {
            ui.visuals().weak_text_color()
        };
        painter.rect_filled(bar, 0.0, colour);
    }
    response.on_hover_ui(|ui| {
        for (i, &n) in bins.iter().enumerate() {
            ui.label(format!("{}: {}", bin_name(i), thousands(n as usize)));
        }
    });
    rect.width()
}

/// The range's two handles under the histogram, at the bins' edges: drag
/// one to move that end of the range (the nearer one to where the drag
/// starts). Both at the ends: no range.
fn handles(ui: &mut egui::Ui, width: f32, range: Option<Range>, commands: &mut Vec<Command>) {
    let bins = FATALITY_BINS.len();
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, 16.0), egui::Sense::drag());
    #[expect(clippy::cast_precision_loss, reason = "a handful of bins")]
    let step = rect.width() / bins as f32;
    #[expect(clippy::cast_precision_loss, reason = "a handful of bins")]
    let x_of = |edge: usize| rect.left() + edge as f32 * step;
    let (low, high) = range_edges(range);
    let painter = ui.painter_at(rect);
    let y = rect.center().y;
    painter.line_segment(
        [egui::pos2(rect.left(), y), egui::pos2(rect.right(), y)],
        ui.visuals().widgets.noninteractive.bg_stroke,
    );
    painter.line_segment(
        [egui::pos2(x_of(low), y), egui::pos2(x_of(high), y)],
        egui::Stroke::new(3.0, ui.visuals().selection.bg_fill),
    );
    for edge in [low, high] {
        painter.circle_filled(
            egui::pos2(x_of(edge), y),
            6.0,
            ui.visuals().strong_text_color(),
        );
    }
    let Some(pointer) = response
        .interact_pointer_pos()
        .filter(|_| response.dragged())
    else {
        return;
    };
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a bin edge, clamped"
    )]
    let edge = (((pointer.x - rect.left()) / step).round().max(0.0) as usize).min(bins);
    let start = ui
        .input(|i| i.pointer.press_origin())
        .map_or(pointer.x, |p| p.x);
    let moving_low = (start - x_of(low)).abs() <= (start - x_of(high)).abs();
    let (low, high) = if moving_low {
        (edge.min(high.saturating_sub(1)), high)
    } else {
        (low, edge.max(low + 1))
    };
    let moved = edges_range(low, high);
    if moved != range {
        commands.push(Command::SetFatalities(moved));
    }
}

/// The bin edges a range's ends sit at: the start of the bin holding its
/// minimum, the end of the bin holding its maximum.
fn range_edges(range: Option<Range>) -> (usize, usize) {
    let bins = FATALITY_BINS.len();
    let Some(range) = range else {
        return (0, bins);
    };
    let low = FATALITY_BINS
        .partition_point(|&b| b <= range.min)
        .saturating_sub(1);
    let high = range
        .max
        .map_or(bins, |max| FATALITY_BINS.partition_point(|&b| b <= max));
    (low, high.max(low + 1))
}

/// The range between two bin edges (`None` from the first to the last).
fn edges_range(low: usize, high: usize) -> Option<Range> {
    let bins = FATALITY_BINS.len();
    if low == 0 && high >= bins {
        return None;
    }
    Some(Range {
        min: FATALITY_BINS.get(low).copied().unwrap_or(0),
        max: FATALITY_BINS.get(high).map(|&next| next.saturating_sub(1)),
    })
}

/// "0", "1", "2–4", …, "1000 or more".
fn bin_name(i: usize) -> String {
    let low = FATALITY_BINS.get(i).copied().unwrap_or(0);
    match FATALITY_BINS.get(i + 1) {
        Some(&next) if next == low + 1 => format!("{low} killed"),
        Some(&next) => format!("{low}\u{2013}{} killed", next - 1),
        None => format!("{low} or more killed"),
    }
}

/// A chip for each active filter, above the list: removable one by one,
/// with "Clear all".
pub fn chips(ui: &mut egui::Ui, state: &ViewState, commands: &mut Vec<Command>) {
    let filter = state.filter();
    if filter.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        if !filter.text.trim().is_empty() {
            chip(ui, &format!("search: {}", filter.text.trim()), || {
                commands.push(Command::SetFilterText(String::new()));
            });
        }
        for (facet, choice) in filter.choices.chosen() {
            for value in &choice.keep {
                chip(ui, &format!("{}: {value}", facet.name()), || {
                    commands.push(Command::FacetForget(facet, value.clone()));
                });
            }
            for value in &choice.drop {
                chip(ui, &format!("{}: not {value}", facet.name()), || {
                    commands.push(Command::FacetForget(facet, value.clone()));
                });
            }
        }
        if let Some(range) = filter.choices.fatalities {
            let text = match range.max {
                Some(max) if max == range.min => format!("fatalities = {max}"),
                Some(max) => format!("fatalities {}\u{2013}{max}", range.min),
                None => format!("fatalities \u{2265} {}", range.min),
            };
            chip(ui, &text, || commands.push(Command::SetFatalities(None)));
        }
        if filter.choices.follow_map {
            chip(ui, "only what the map shows", || {
                commands.push(Command::FollowMap(false));
            });
        }
        if let Some(area) = filter.choices.area {
            let text = format!(
                "area {:.1}\u{b0}, {:.1}\u{b0} to {:.1}\u{b0}, {:.1}\u{b0}",
                area.west, area.south, area.east, area.north
            );
            chip(ui, &text, || commands.push(Command::SetArea(None)));
        }
        if ui.small_button("Clear all").clicked() {
            commands.push(Command::ClearFilters);
        }
    });
}

/// A filter's chip: its text and a × that removes it.
fn chip(ui: &mut egui::Ui, text: &str, remove: impl FnOnce()) {
    let button =
        egui::Button::new(RichText::new(format!("{text} \u{d7}")).small()).corner_radius(8.0);
    if ui.add(button).on_hover_text("Remove this filter").clicked() {
        remove();
    }
}

/// "n" before a vowel.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "n"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_sit_at_bin_edges_and_give_the_range_back() {
        assert_eq!(range_edges(None), (0, FATALITY_BINS.len()));
        assert_eq!(edges_range(0, FATALITY_BINS.len()), None);
        // 5–24 killed: from the start of 5–9 to the end of 10–24.
        let range = Range {
            min: 5,
            max: Some(24),
        };
        assert_eq!(range_edges(Some(range)), (3, 5));
        assert_eq!(edges_range(3, 5), Some(range));
        // At least 1, no upper end.
        let at_least = Range { min: 1, max: None };
        assert_eq!(edges_range(1, FATALITY_BINS.len()), Some(at_least));
        assert_eq!(range_edges(Some(at_least)), (1, FATALITY_BINS.len()));
    }

    #[test]
    fn bins_are_named_by_their_ends() {
        assert_eq!(bin_name(0), "0 killed");
        assert_eq!(bin_name(2), "2\u{2013}4 killed");
        assert_eq!(bin_name(FATALITY_BINS.len() - 1), "1000 or more killed");
    }
}
