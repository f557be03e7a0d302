//! The panels over a database table: the same map, timeline, list and
//! details as over a file, drawn from what the server answered
//! ([`RemoteState`]). Nothing here waits on the server: each frame draws
//! the last answers, with a spinner while newer ones are coming.

use std::sync::Arc;

use egui::{Align2, CentralPanel, Color32, Panel, RichText, ScrollArea, Sense, vec2};

use super::details::details_ui;
use super::event_list::search_box;
use super::map_view::MapView;
use super::paint::color;
use super::timeline::{
    cursor_line, density_bars, plot_day, step_buttons, time_plot, window_buttons, window_span,
};
use crate::atlas::Atlas;
use crate::fonts::display_text;
use crate::geometry::world_from_lon_lat;
use crate::model::{Dataset, Day, Facet};
use crate::remote::{Cell, short_count};
use crate::scene::{Viewport, category_color};
use crate::state::{Command, RemoteCommand, RemoteState, ViewState};
use crate::time::TimeCommand;

/// The panels of a table's view.
pub struct RemotePanels {
    state: RemoteState,
    map: MapView,
    /// A view of nothing, for the map while no rows are fetched.
    empty: ViewState,
    search: String,
    /// The list's first row on screen last frame, to scroll it to the
    /// window when the window moves.
    followed: Option<(Day, Day)>,
    /// Whether the map was fitted to the first answer.
    fitted: bool,
}

impl RemotePanels {
    /// Panels over `state`.
    pub fn new(state: RemoteState, atlas: &Atlas) -> Self {
        let mut map = MapView::new(atlas);
        map.modes = false;
        Self {
            state,
            map,
            empty: ViewState::new(Arc::new(Dataset::default())),
            search: String::new(),
            followed: None,
            fitted: false,
        }
    }

    /// The table's view (for tests).
    pub fn state(&self) -> &RemoteState {
        &self.state
    }

    /// The table's view, to wait on its answers (for tests).
    pub fn state_mut(&mut self) -> &mut RemoteState {
        &mut self.state
    }

    /// The title of the window and menu bar.
    pub fn title(&self) -> String {
        self.state.table().name()
    }

    /// One frame: every panel (the facets when `facets`), then the
    /// commands they gave.
    pub fn ui(&mut self, ui: &mut egui::Ui, atlas: &'static Atlas, facets: bool) {
        self.state.poll();
        let mut commands = Vec::new();
        if self.state.shows_facets() != facets {
            commands.push(RemoteCommand::ShowFacets(facets));
        }
        keyboard(ui.ctx(), &mut commands);
        Panel::bottom("remote-timeline")
            .resizable(true)
            .default_size(220.0)
            .min_size(150.0)
            .show(ui, |ui| self.timeline(ui, &mut commands));
        Panel::left("remote-events")
            .default_size(300.0)
            .show(ui, |ui| self.list(ui, &mut commands));
        if facets {
            Panel::left("remote-facets")
                .resizable(true)
                .default_size(250.0)
                .min_size(220.0)
                .show(ui, |ui| self.facets(ui, &mut commands));
        }
        Panel::right("remote-details")
            .default_size(320.0)
            .show(ui, |ui| self.details(ui, &mut commands));
        CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| self.map(ui, atlas, &mut commands));
        let dt = f64::from(ui.input(|i| i.stable_dt));
        self.state.tick(dt);
        if self.state.time().is_playing() {
            ui.ctx().request_repaint();
        }
        self.state.apply_all(commands);
    }

    /// Play, step, the window's width, and the count in the window, then
    /// the density of the whole table (counted a day on the server, binned
    /// for the plot here as a file's is).
    fn timeline(&mut self, ui: &mut egui::Ui, commands: &mut Vec<RemoteCommand>) {
        let time = self.state.time();
        let view = self.state.view();
        ui.horizontal(|ui| {
            let mut step = |c| commands.push(RemoteCommand::Time(c));
            step_buttons(ui, time, &mut step);
            ui.separator();
            window_buttons(ui, time, &mut step);
            ui.separator();
            let count = match view.count() {
                Some(n) => format!("{} events in the window", short_count(n)),
                None => "counting\u{2026}".to_owned(),
            };
            ui.strong(format!("{} \u{b7} {count}", time.window_words()))
                .on_hover_text(time.cursor().long_words());
            if view.pending() > 0 {
                ui.spinner()
                    .on_hover_text(format!("{} queries running on the server", view.pending()));
            }
        });
        if let Some(error) = view.error() {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        let (first, last) = time.bounds();
        let (w0, w1) = time.window();
        let cursor = time.cursor();
        let table = Arc::clone(self.state.table());
        let density = view.density().cloned();
        let response = time_plot("remote-timeline", ui, (first, last), 0.0).show(ui, |plot| {
            window_span(plot, (w0, w1));
            if let Some(histogram) = &density {
                density_bars(plot, histogram, table.categories());
            }
            cursor_line(plot, cursor);
        });
        let transform = response.transform;
        let r = &response.response;
        if (r.clicked() || r.dragged())
            && let Some(day) = r
                .interact_pointer_pos()
                .and_then(|p| plot_day(transform.value_from_position(p).x))
        {
            commands.push(RemoteCommand::Time(TimeCommand::SetCursor(day)));
        }
    }

    /// The search, the categories, and every event passing the filter,
    /// paged from the server as the list scrolls.
    fn list(&mut self, ui: &mut egui::Ui, commands: &mut Vec<RemoteCommand>) {
        if let Some(text) = search_box(ui, &mut self.search, &self.state.filter().text) {
            commands.push(RemoteCommand::SetText(text));
        }
        let table = Arc::clone(self.state.table());
        let dropped = &self.state.filter().choices.get(Facet::Category).drop;
        ui.horizontal_wrapped(|ui| {
            let summary = &table.summary;
            let counted = summary.categories.iter().zip(&summary.category_events);
            for (i, (name, rows)) in counted.enumerate() {
                let mut shown = !dropped.contains(name);
                let text = RichText::new(name).color(color(category_color(name, i)));
                if ui
                    .checkbox(&mut shown, text)
                    .on_hover_text(format!(
                        "{} events in the table; show or hide",
                        short_count(*rows)
                    ))
                    .clicked()
                {
                    commands.push(RemoteCommand::ToggleCategory(name.clone()));
                }
            }
            if !dropped.is_empty() && ui.small_button("show all").clicked() {
                commands.push(RemoteCommand::ShowAllCategories);
            }
        });
        ui.separator();
        let view = self.state.view();
        let total = view.list_len();
        ui.label(match total {
            Some(n) => format!(
                "{} events in the window, of {} in the table",
                short_count(n),
                short_count(table.summary.rows)
            ),
            None => "counting\u{2026}".to_owned(),
        });
        let row_height = ui.text_style_height(&egui::TextStyle::Body)
            + ui.text_style_height(&egui::TextStyle::Small)
            + ui.spacing().item_spacing.y * 3.0;
        let rows = usize::try_from(total.unwrap_or(0)).unwrap_or(usize::MAX);
        let selected = self.state.selected().map(str::to_owned);
        let mut scroll = ScrollArea::vertical().auto_shrink([false, false]);
        let window = self.state.time().window();
        if self.followed != Some(window) {
            self.followed = Some(window);
            scroll = scroll.vertical_scroll_offset(0.0);
        }
        scroll.show_rows(ui, row_height, rows, |ui, range| {
            commands.push(RemoteCommand::ListRows(
                range.start as u64,
                (range.end - range.start) as u64,
            ));
            for i in range {
                let size = vec2(ui.available_width(), row_height);
                match view.list_row(i as u64) {
                    Some((page, e)) => {
                        let Some(event) = page.event(e) else { continue };
                        let id = event.id().to_owned();
                        let is_selected = selected.as_deref() == Some(id.as_str());
                        let name = page.category_name(event.category());
                        let dot = color(category_color(name, usize::from(event.category())));
                        let clicked = ui
                            .allocate_ui_with_layout(
                                size,
                                egui::Layout::left_to_right(egui::Align::Min),
                                |ui| {
                                    let (r, _) =
                                        ui.allocate_exact_size(vec2(10.0, 14.0), Sense::hover());
                                    ui.painter().circle_filled(r.center(), 4.0, dot);
                                    ui.vertical(|ui| {
                                        let title = RichText::new(display_text(event.title()));
                                        let b = ui.add(
                                            egui::Button::selectable(is_selected, title).truncate(),
                                        );
                                        ui.label(
                                            RichText::new(event.date().words()).small().weak(),
                                        );
                                        b.clicked()
                                    })
                                    .inner
                                },
                            )
                            .inner;
                        if clicked {
                            commands.push(RemoteCommand::Select((!is_selected).then_some(id)));
                        }
                    }
                    None => {
                        ui.allocate_ui(size, |ui| ui.weak("\u{2026}"));
                    }
                }
            }
        });
    }

    /// The chosen values as chips, then each facet's commonest values
    /// with their counts under the other filters, counted on the server.
    fn facets(&mut self, ui: &mut egui::Ui, commands: &mut Vec<RemoteCommand>) {
        ui.heading("Facets");
        let filter = self.state.filter().clone();
        ui.horizontal_wrapped(|ui| {
            if !filter.text.trim().is_empty()
                && ui
                    .button(format!("\u{201c}{}\u{201d} \u{d7}", filter.text.trim()))
                    .clicked()
            {
                commands.push(RemoteCommand::SetText(String::new()));
            }
            for (facet, choice) in filter.choices.chosen() {
                for (values, not) in [(&choice.keep, ""), (&choice.drop, "not ")] {
                    for value in values {
                        let chip = format!("{}: {not}{value} \u{d7}", facet.name());
                        if ui
                            .button(chip)
                            .on_hover_text("Forget this choice")
                            .clicked()
                        {
                            commands.push(RemoteCommand::FacetForget(facet, value.clone()));
                        }
                    }
                }
            }
            if !filter.is_empty() && ui.small_button("Clear all").clicked() {
                commands.push(RemoteCommand::ClearFilters);
            }
        });
        ui.separator();
        let Some(tops) = self.state.view().facets().cloned() else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.weak("counting on the server\u{2026}");
            });
            return;
        };
        ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (facet, values) in tops.iter() {
                    let choice = filter.choices.get(*facet);
                    egui::CollapsingHeader::new(crate::ui::capitalised(facet.name()))
                        .default_open(true)
                        .show(ui, |ui| {
                            if values.is_empty() {
                                ui.weak("none");
                            }
                            for (value, events) in values {
                                let kept = choice.keep.contains(value);
                                let dropped = choice.drop.contains(value);
                                let mut text = RichText::new(format!(
                                    "{}  {}",
                                    display_text(value),
                                    short_count(*events)
                                ));
                                if dropped {
                                    text = text.strikethrough().weak();
                                }
                                let response = ui.selectable_label(kept, text).on_hover_text(
                                    "Click: only this · Ctrl-click: this too · right-click: more",
                                );
                                if response.clicked() {
                                    let add = ui.input(|i| i.modifiers.command);
                                    commands.push(RemoteCommand::FacetClick {
                                        facet: *facet,
                                        value: value.clone(),
                                        add,
                                    });
                                }
                                response.context_menu(|ui| {
                                    if ui.button("Only this").clicked() {
                                        commands.push(RemoteCommand::FacetClick {
                                            facet: *facet,
                                            value: value.clone(),
                                            add: false,
                                        });
                                    }
                                    if ui.button("This too").clicked() {
                                        commands.push(RemoteCommand::FacetClick {
                                            facet: *facet,
                                            value: value.clone(),
                                            add: true,
                                        });
                                    }
                                    if ui
                                        .button(if dropped {
                                            "Let it back in"
                                        } else {
                                            "Not this"
                                        })
                                        .clicked()
                                    {
                                        commands
                                            .push(RemoteCommand::FacetDrop(*facet, value.clone()));
                                    }
                                });
                            }
                        });
                }
            });
    }

    fn details(&mut self, ui: &mut egui::Ui, commands: &mut Vec<RemoteCommand>) {
        match (self.state.selected(), self.state.details()) {
            (Some(_), Some(state)) => {
                let mut ignored: Vec<Command> = Vec::new();
                details_ui(ui, state, &mut ignored, None);
                if ignored.iter().any(|c| matches!(c, Command::Select(None))) {
                    commands.push(RemoteCommand::Select(None));
                }
            }
            (Some(id), None) => {
                ui.heading("Details");
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak(format!("fetching {id}\u{2026}"));
                });
            }
            (None, _) => {
                ui.heading("Details");
                ui.weak("Select an event in the list or on the map to see its details.");
            }
        }
    }

    /// The map: the events in view one by one when the server sent them
    /// (few enough), else its cells, each with its count.
    fn map(&mut self, ui: &mut egui::Ui, atlas: &'static Atlas, commands: &mut Vec<RemoteCommand>) {
        let rect = ui.available_rect_before_wrap();
        let viewport = Viewport {
            min: [rect.min.x, rect.min.y],
            size: [rect.width(), rect.height()],
        };
        let mut map_commands = Vec::new();
        if self.state.rows().is_none() && self.empty.camera() != self.state.camera() {
            self.empty
                .apply_all([Command::SetCamera(*self.state.camera())]);
        }
        let shown = self.state.rows().unwrap_or(&self.empty);
        let rows = self.state.rows().map(ViewState::dataset);
        self.map.ui(ui, shown, atlas, &mut map_commands);
        let painter = ui.painter_at(rect);
        let camera = *self.state.camera();
        if rows.is_none()
            && let Some(cells) = self.state.view().cells()
        {
            let categories = self.state.table().categories();
            let hovered = ui
                .input(|i| i.pointer.hover_pos())
                .filter(|p| rect.contains(*p));
            let mut tip = None;
            for cell in cells.iter() {
                let (pos, radius) = cell_marker(cell, &camera, &viewport);
                let i = categories.binary_search(&cell.category).unwrap_or(0);
                let fill = color(category_color(&cell.category, i));
                let centre = egui::pos2(pos[0], pos[1]);
                painter.circle(
                    centre,
                    radius,
                    fill.gamma_multiply(0.85),
                    (1.5, Color32::WHITE),
                );
                painter.text(
                    centre,
                    Align2::CENTER_CENTER,
                    short_number(cell.events),
                    egui::FontId::proportional(11.0),
                    Color32::WHITE,
                );
                if hovered.is_some_and(|p| p.distance(centre) <= radius) {
                    tip = Some(cell.clone());
                }
            }
            if let Some(cell) = tip {
                let hover = ui.interact(rect, ui.scope_id().with("remote-cells"), Sense::hover());
                hover.on_hover_ui_at_pointer(|ui| {
                    ui.label(format!(
                        "{} events in the window here, most of them {}",
                        short_count(cell.events),
                        cell.category
                    ));
                    ui.weak("Zoom in to see them one by one");
                });
            }
        }
        if let Some(notice) = self.state.view().notice() {
            egui::Area::new(ui.scope_id().with("remote-notice"))
                .fixed_pos(rect.center_top() + vec2(-220.0, 30.0))
                .order(egui::Order::Foreground)
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_max_width(440.0);
                        ui.label(notice);
                    });
                });
        }
        // The first cells tell where the table's events are: the map
        // looks there once, as it fits a file's data.
        if !self.fitted && self.state.view().cells().is_some_and(|c| !c.is_empty()) {
            self.fitted = true;
            map_commands.retain(|c| !matches!(c, Command::SetCamera(_)));
            map_commands.push(Command::FitToData);
        }
        let moved = map_commands
            .iter()
            .any(|c| matches!(c, Command::SetCamera(_) | Command::FitToData));
        if !moved {
            commands.push(RemoteCommand::SetCamera(camera, viewport));
        }
        for command in map_commands {
            match command {
                Command::SetCamera(camera) => {
                    commands.push(RemoteCommand::SetCamera(camera, viewport));
                }
                Command::Select(Some(e)) => {
                    let id = rows.and_then(|d| d.event(e)).map(|ev| ev.id().to_owned());
                    commands.push(RemoteCommand::Select(id));
                }
                Command::SelectPlace(p) => {
                    let id = rows
                        .and_then(|d| d.events_at(p).next().and_then(|e| d.event(e)))
                        .map(|ev| ev.id().to_owned());
                    commands.push(RemoteCommand::Select(id));
                }
                Command::Select(None) => commands.push(RemoteCommand::Select(None)),
                Command::FitToData => {
                    let fitted = self.fit(&viewport);
                    commands.push(RemoteCommand::SetCamera(fitted, viewport));
                }
                _ => {}
            }
        }
    }
}

impl RemotePanels {
    /// The camera that shows every cell of the last answer (the whole
    /// world before there is one).
    fn fit(&self, viewport: &Viewport) -> crate::scene::Camera {
        let points: Vec<[f64; 2]> = match self.state.rows() {
            Some(rows) => {
                let d = rows.dataset();
                (0..d.places.len())
                    .filter_map(|p| u32::try_from(p).ok().and_then(|p| d.place_point(p)))
                    .map(world_from_lon_lat)
                    .collect()
            }
            None => self
                .state
                .view()
                .cells()
                .map(|c| {
                    c.iter()
                        .map(|c| world_from_lon_lat([c.lon, c.lat]))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let Some(first) = points.first() else {
            return crate::scene::Camera::default();
        };
        let (min, max) = points.iter().fold((*first, *first), |(lo, hi), p| {
            (
                [lo[0].min(p[0]), lo[1].min(p[1])],
                [hi[0].max(p[0]), hi[1].max(p[1])],
            )
        });
        crate::scene::Camera::fit(min, max, viewport, 40.0)
    }
}

/// Where a cell's marker stands and how large it is: larger with more
/// events, never larger than the cell.
fn cell_marker(cell: &Cell, camera: &crate::scene::Camera, viewport: &Viewport) -> ([f32; 2], f32) {
    let world = world_from_lon_lat([cell.lon, cell.lat]);
    let pos = camera.screen_from_world(viewport, world);
    #[expect(clippy::cast_possible_truncation, reason = "a radius in pixels")]
    let radius = (7.0 + 4.0 * (cell.events.max(1) as f64).log10()).min(30.0) as f32;
    (pos, radius)
}

/// 950, "1.2k", "45k", "1.3M".
fn short_number(n: u64) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=9_999 => format!("{}.{}k", n / 1000, n % 1000 / 100),
        10_000..=999_999 => format!("{}k", n / 1000),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

/// ←/→ step a day, Space plays or pauses (unless typing).
fn keyboard(ctx: &egui::Context, commands: &mut Vec<RemoteCommand>) {
    let mut file_commands = Vec::new();
    super::timeline::keyboard(ctx, &mut file_commands);
    for command in file_commands {
        if let Command::Time(t) = command {
            commands.push(RemoteCommand::Time(t));
        }
    }
}
