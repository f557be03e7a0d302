//! The timeline under the map: playback controls, a date slider, an
//! overview of the whole span, and a plot of events per day by category
//! with a mark for every event, opened on the weeks before the cursor.

use std::sync::Arc;

use egui::{Color32, Sense, Stroke};
use egui_plot::{
    AxisHints, Bar, BarChart, GridInput, GridMark, HoverPosition, Plot, PlotPoint, PlotPoints,
    Polygon, Span, VLine,
};

use super::overview::Overview;
use super::paint::color;
use super::shortcuts::{Action, pressed};
use crate::model::{Dataset, Day, EventIdx};
use crate::scene::category_color;
use crate::state::{Command, ViewState};
use crate::time::{
    AxisTicks, Bins, DayHistogram, DensityMode, GRID_PX, LABEL_PX, SPAN_MARGIN_DAYS, Tick,
    TickUnit, TimeCommand, WindowRule, WindowWidth, axis_ticks, follow_cursor, opening_view,
};

/// Above this many events the per-event marks give way to the density alone.
const MAX_MARKS: usize = 5_000;
/// The narrowest a density bar may be, in pixels: days are summed into
/// wider bins until the bars of the days in view fit.
const PX_PER_BAR: f32 = 3.0;
/// How near the plot's edge an axis label may be centred, in pixels: half
/// a wide label ("27 Nov").
const EDGE_PX: f64 = 22.0;
/// Height of one lane of event marks, in plot units (bars are scaled to 1).
const LANE: f64 = 0.22;

/// The timeline's own state: the date being typed, the mark lanes and the
/// days the plot shows.
pub struct Timeline {
    date_text: String,
    date_error: bool,
    last_cursor: Option<Day>,
    /// Lane of each event's mark, so overlapping spans don't hide each other.
    lanes: Vec<u16>,
    lane_count: u16,
    /// Where a Shift-drag brushing a window started.
    brush_from: Option<Day>,
    /// The days (plot x) the plot showed in its last frame; none before
    /// its first.
    view_days: Option<(f64, f64)>,
    /// The plot's width in its last frame, in points.
    view_width_px: f32,
    /// The days the plot is to show from its next frame: the opening view,
    /// a reload's, or where the overview or the cursor moved it.
    set_view: Option<(f64, f64)>,
    overview: Overview,
}

impl Timeline {
    /// A timeline for `dataset`.
    pub fn new(dataset: &Dataset) -> Self {
        let (lanes, lane_count) = assign_lanes(dataset);
        Self {
            date_text: String::new(),
            date_error: false,
            brush_from: None,
            last_cursor: None,
            lanes,
            lane_count,
            view_days: None,
            view_width_px: 0.0,
            set_view: None,
            overview: Overview::default(),
        }
    }

    /// The same timeline showing the days `other` showed (for a reload,
    /// which keeps the view); without them it opens as a new one would.
    #[must_use]
    pub fn showing_as(mut self, other: &Self) -> Self {
        self.set_view = other.view_days;
        self
    }

    /// The days (plot x, from and to) the plot showed in its last frame.
    pub fn view_days(&self) -> Option<(f64, f64)> {
        self.view_days
    }

    /// The labels of the plot's time axis at its last frame's days and
    /// width, as its grid chose them (egui_plot paints them without an
    /// accessible node, so tests read them here).
    pub fn axis_labels(&self) -> Vec<String> {
        let Some((from, to)) = self.view_days else {
            return Vec::new();
        };
        let px_per_day = f64::from(self.view_width_px) / (to - from).max(1e-9);
        let ticks = axis_for((from, to), px_per_day).labelled;
        let label = |t: &Tick| crate::time::tick_label(t.day, t.unit.approx_days());
        ticks.iter().map(label).collect()
    }

    /// Where the overview's band was drawn in the last frame, in screen
    /// points.
    pub fn overview_band(&self) -> Option<egui::Rect> {
        self.overview.band()
    }

    /// Shows the controls and the plot.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &ViewState, commands: &mut Vec<Command>) {
        if state.dataset().events.is_empty() {
            // Nothing to scrub (a file still loading, or one without events):
            // no controls over a made-up date.
            ui.centered_and_justified(|ui| {
                ui.weak("No events yet. Open a file (File > Open) or drop one on the window.");
            });
            return;
        }
        let cursor = state.time().cursor();
        if self.last_cursor != Some(cursor) {
            self.date_text = cursor.to_string();
            self.date_error = false;
            self.last_cursor = Some(cursor);
            self.keep_cursor_in_view(state);
        }
        ui.horizontal_wrapped(|ui| self.controls(ui, state, commands));
        slider(ui, state, commands);
        let view = self.set_view.or(self.view_days);
        if let Some(view) = view
            && let Some(moved) = self.overview.ui(ui, state, view)
        {
            self.set_view = Some(moved);
        }
        self.plot(ui, state, commands);
    }

    /// Opens on the weeks before the cursor (the plot's memory may hold
    /// another file's days), and moves the view along when the cursor
    /// leaves it (playback, a date typed, an event selected).
    fn keep_cursor_in_view(&mut self, state: &ViewState) {
        let cursor = state.time().cursor();
        match self.set_view.or(self.view_days) {
            None => self.set_view = Some(opening_view(cursor, state.time().bounds())),
            Some(view) => {
                if let Some(moved) = follow_cursor(view, cursor) {
                    self.set_view = Some(moved);
                }
            }
        }
    }

    fn controls(&mut self, ui: &mut egui::Ui, state: &ViewState, commands: &mut Vec<Command>) {
        let time = state.time();
        let mut time_cmd = |c| commands.push(Command::Time(c));
        step_buttons(ui, time, &mut time_cmd);
        ui.separator();
        let label = ui.label("Date");
        let edit = egui::TextEdit::singleline(&mut self.date_text)
            .desired_width(84.0)
            .text_color_opt(self.date_error.then_some(Color32::RED));
        let response = ui.add(edit).labelled_by(label.id);
        if response.lost_focus() {
            match Day::parse_iso(&self.date_text) {
                Some(day) => {
                    self.date_error = false;
                    time_cmd(TimeCommand::SetCursor(day));
                }
                None => self.date_error = true,
            }
        }
        ui.separator();
        window_buttons(ui, time, &mut time_cmd);
        ui.separator();
        rule_choice(ui, time, &mut time_cmd);
        ui.separator();
        let mut speed = time.speed_days_per_sec();
        let drag = egui::DragValue::new(&mut speed)
            .range(0.25..=60.0)
            .speed(0.1)
            .suffix(" days/s");
        if ui.add(drag).on_hover_text("Playback speed").changed() {
            time_cmd(TimeCommand::SetSpeed(speed));
        }
        ui.separator();
        density_choice(ui, state, commands);
        ui.separator();
        // One line, on the next row when this one is full.
        let count = egui::RichText::new(format!(
            "{} \u{b7} {}",
            time.window_words(),
            time.rule()
                .count_words(state.active().len(), state.certain_count())
        ))
        .strong();
        ui.add(egui::Label::new(count).extend())
            .on_hover_text(time.cursor().long_words());
    }

    fn plot(&mut self, ui: &mut egui::Ui, state: &ViewState, commands: &mut Vec<Command>) {
        let dataset = state.dataset();
        let (first, last) = state.time().bounds();
        let (w0, w1) = state.time().window();
        let marks = dataset.events.len() <= MAX_MARKS;
        let lanes = if marks {
            f64::from(self.lane_count)
        } else {
            0.0
        };
        let set_view = self.set_view.take();
        let response =
            time_plot("timeline", ui, (first, last), -LANE * lanes - 0.05).show(ui, |plot| {
                if let Some((from, to)) = set_view {
                    plot.set_plot_bounds_x(from..=to);
                }
                window_span(plot, (w0, w1));
                density_bars(plot, state.histogram(), &state.dataset().categories);
                if marks {
                    self.event_marks(plot, state);
                }
                cursor_line(plot, state.time().cursor());
            });
        let transform = response.transform;
        self.view_days = Some((transform.bounds().min()[0], transform.bounds().max()[0]));
        self.view_width_px = transform.frame().width();
        if marks {
            self.mark_widgets(ui, state, &transform, commands);
        }
        let r = &response.response;
        let day_at = |p: egui::Pos2| {
            let x = transform.value_from_position(p).x.round();
            #[expect(clippy::cast_possible_truncation, reason = "rounded day within i32")]
            Day(x.clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32)
        };
        let pointer_day = r.interact_pointer_pos().map(day_at);
        if r.drag_started() && ui.input(|i| i.modifiers.shift) {
            // From where the button went down, not where the drag was
            // first seen (a few pixels on).
            self.brush_from = ui.input(|i| i.pointer.press_origin()).map(day_at);
        }
        match (self.brush_from, pointer_day) {
            // Shift-drag brushes the window: the days dragged over.
            (Some(from), Some(to)) if r.dragged() || r.drag_stopped() => {
                commands.extend(brushed(from, to).map(Command::Time));
            }
            // A click or a plain drag moves the window (its last day).
            (None, Some(day)) if r.clicked() || r.dragged() => {
                commands.push(Command::Time(TimeCommand::SetCursor(day)));
            }
            _ => {}
        }
        if r.drag_stopped() || !r.dragged() {
            self.brush_from = None;
        }
    }

    /// The plot rectangle of an event's mark, in plot units.
    fn mark_bounds(&self, dataset: &Dataset, e: EventIdx) -> Option<([f64; 2], [f64; 2])> {
        let event = dataset.event(e)?;
        let lane = f64::from(self.lanes.get(e as usize).copied().unwrap_or(0));
        let top = -LANE * lane - 0.04;
        let (start, end) = event.days();
        let x0 = f64::from(start.0) - 0.4;
        let x1 = f64::from(end.0) + 0.4;
        Some(([x0, top - LANE * 0.75], [x1, top]))
    }

    fn event_marks(&self, plot: &mut egui_plot::PlotUi<'_>, state: &ViewState) {
        let dataset = state.dataset();
        // The events the filters let through: the others have no mark.
        for &e in state.listed() {
            let (Some(event), Some((a, b))) = (dataset.event(e), self.mark_bounds(dataset, e))
            else {
                continue;
            };
            let mut fill = color(category_color(
                dataset.category_name(event.category()),
                usize::from(event.category()),
            ));
            if !state.is_active(e) {
                fill = fill.gamma_multiply(0.3);
            }
            let stroke = if state.selection() == Some(e) {
                Stroke::new(2.5, Color32::from_rgb(20, 90, 200))
            } else {
                Stroke::NONE
            };
            let corners = vec![[a[0], a[1]], [b[0], a[1]], [b[0], b[1]], [a[0], b[1]]];
            plot.polygon(
                Polygon::new(event.title().to_string(), PlotPoints::from(corners))
                    .fill_color(fill)
                    .stroke(stroke)
                    .allow_hover(false),
            );
        }
    }

    /// Accessible, clickable widgets over the marks: clicking one selects
    /// its event, and screen readers (and tests) find each by its title.
    fn mark_widgets(
        &self,
        ui: &mut egui::Ui,
        state: &ViewState,
        transform: &egui_plot::PlotTransform,
        commands: &mut Vec<Command>,
    ) {
        let dataset = state.dataset();
        let frame = *transform.frame();
        for &e in state.listed() {
            let (Some(event), Some((a, b))) = (dataset.event(e), self.mark_bounds(dataset, e))
            else {
                continue;
            };
            let rect = transform
                .rect_from_values(&PlotPoint::new(a[0], a[1]), &PlotPoint::new(b[0], b[1]))
                .intersect(frame);
            if rect.width() < 1.0 || rect.height() < 1.0 {
                continue;
            }
            let id = ui.scope_id().with(("mark", e));
            let response = ui.interact(rect, id, Sense::click());
            let value = format!(
                "{}; {}",
                event.date().words(),
                if state.is_active(e) {
                    "in the window"
                } else {
                    "outside the window"
                }
            );
            response.widget_info(|| {
                let mut info = egui::WidgetInfo::labeled(
                    egui::accesskit::Role::Button,
                    true,
                    format!("{} (timeline)", event.title()),
                );
                info.current_text_value = Some(value.clone());
                info.selected = Some(state.selection() == Some(e));
                info
            });
            if response.clicked() {
                commands.push(Command::Select(Some(e)));
            }
            response.on_hover_text(format!("{}\n{}", event.title(), event.date().words()));
        }
    }
}

/// Stacked bars of the days in view: for each bin of days, the events
/// that may have happened on them, one colour per category, scaled so the
/// busiest bin at this binning is 1 high. Bins come pre-summed from the
/// view's histogram, at most one per few pixels, so a frame costs the
/// plot's width, not the dataset's days; hover texts are made only for the
/// bar under the pointer.
pub(super) fn density_bars(
    plot: &mut egui_plot::PlotUi<'_>,
    histogram: &DayHistogram,
    categories: &[String],
) {
    let bounds = plot.plot_bounds();
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a positive pixel count"
    )]
    let max_bins = (plot.transform().frame().width() / PX_PER_BAR).max(1.0) as usize;
    let bins = histogram.bins(bounds.min()[0], bounds.max()[0], max_bins);
    for chart in density_charts(Arc::new(bins), categories) {
        plot.bar_chart(chart);
    }
}

/// The stacked bar charts of `bins`, one per category with events in view
/// (what the timeline adds to its plot each frame; public for the benches).
pub fn density_charts(bins: Arc<Bins>, categories: &[String]) -> Vec<BarChart> {
    let mut base = vec![0.0_f64; bins.len()];
    let mut charts = Vec::new();
    for c in 0..bins.categories {
        let name = categories.get(c).map_or("", String::as_str);
        let fill = color(category_color(name, c));
        let mut bars = Vec::new();
        for (b, offset) in base.iter_mut().enumerate() {
            if bins.count(b, c) == 0 {
                continue;
            }
            let h = bins.height(b, c);
            let (x, width) = bins.x_and_width(b);
            bars.push(
                Bar::new(x, h)
                    .width(width * 0.8)
                    .fill(fill)
                    .base_offset(*offset),
            );
            *offset += h;
        }
        if bars.is_empty() {
            continue;
        }
        let hover_bins = Arc::clone(&bins);
        let hover_name = name.to_owned();
        let hover =
            move |bar: &Bar, _: &BarChart| bar_words(&hover_bins, bar.argument, c, &hover_name);
        charts.push(
            BarChart::new(name, bars)
                .color(fill)
                .element_formatter(Box::new(hover)),
        );
    }
    charts
}

/// "military strike: 3 on 27 Nov 2025", or for a bin of several days
/// "battles: 176 a day, 1 Jun 2022 to 7 Jun 2022".
fn bar_words(bins: &Bins, x: f64, category: usize, name: &str) -> String {
    let Some(b) = bins.bin_at(x) else {
        return name.to_owned();
    };
    let (first, last) = bins.days(b);
    if first == last {
        // A spread density counts parts of events: "0.3 on 24 Nov 2025".
        let events = bins.events(b, category);
        let events = if bins.unit > 1 && events.fract() != 0.0 {
            format!("{events:.1}")
        } else {
            format!("{events:.0}")
        };
        return format!("{name}: {events} on {}", first.short_words());
    }
    format!(
        "{name}: {:.1} a day, {} to {}",
        bins.per_day(b, category),
        first.short_words(),
        last.short_words()
    )
}

/// A timeline's plot over the days `first..=last` (its y from `below` to
/// just over 1): zoomed and scrolled along time only, with calendar marks
/// on its axis and the day under the pointer.
pub(super) fn time_plot(
    id: &str,
    ui: &egui::Ui,
    (first, last): (Day, Day),
    below: f64,
) -> Plot<'static> {
    Plot::new(id)
        .height(ui.available_height().max(80.0))
        .allow_drag(false)
        .allow_boxed_zoom(false)
        .allow_zoom([true, false])
        .allow_scroll([true, false])
        .show_y(false)
        .show_axes([true, false])
        .show_grid([true, false])
        .include_x(f64::from(first.0) - SPAN_MARGIN_DAYS)
        .include_x(f64::from(last.0) + SPAN_MARGIN_DAYS)
        .include_y(1.05)
        .include_y(below)
        .grid_spacing(GRID_PX as f32..=300.0)
        .x_grid_spacer(calendar_marks)
        .custom_x_axes(vec![axis_hints()])
        .x_axis_formatter(|mark, _| {
            plot_day(mark.value).map_or_else(String::new, |day| {
                crate::time::tick_label(day, mark.step_size)
            })
        })
        .label_formatter(|hover| {
            let (HoverPosition::NearDataPoint { position, .. }
            | HoverPosition::Elsewhere { position }) = hover;
            plot_day(position.x).map(Day::short_words)
        })
}

/// The window's days, shaded.
pub(super) fn window_span(plot: &mut egui_plot::PlotUi<'_>, (w0, w1): (Day, Day)) {
    plot.span(
        Span::new("", f64::from(w0.0) - 0.5..=f64::from(w1.0) + 0.5)
            .fill(Color32::from_rgba_unmultiplied(222, 68, 20, 28))
            .border_width(0.0),
    );
}

/// The cursor's day, a line.
pub(super) fn cursor_line(plot: &mut egui_plot::PlotUi<'_>, cursor: Day) {
    plot.vline(
        VLine::new("cursor", f64::from(cursor.0))
            .color(Color32::from_rgb(222, 68, 20))
            .width(2.0),
    );
}

/// The day at a position on the plot's axis (none far outside the calendar).
pub(super) fn plot_day(x: f64) -> Option<Day> {
    if !x.is_finite() || x.abs() > 1e7 {
        return None;
    }
    #[expect(clippy::cast_possible_truncation, reason = "checked range above")]
    Some(Day(x.round() as i32))
}

/// The x axis. A label shows once its tick lies more than half of
/// [`LABEL_PX`] from the next, and fully from four fifths of it: labelled
/// ticks lie at least `LABEL_PX` apart and show fully, while the grid
/// lines between them lie closer and stay unlabelled.
fn axis_hints() -> AxisHints<'static> {
    #[expect(clippy::cast_possible_truncation, reason = "a few dozen pixels")]
    let (hidden, full) = ((LABEL_PX / 2.0) as f32, (LABEL_PX * 0.8) as f32);
    AxisHints::new_x().label_spacing(hidden..=full)
}

/// The axis's grid: calendar ticks (years, months, Mondays, days) for the
/// visible span, labelled as densely as the axis's width allows, with
/// unlabelled lines of a finer unit between them. A mark's step sets how
/// strongly it is drawn and, through the formatter, its label.
fn calendar_marks(input: GridInput) -> Vec<GridMark> {
    // The plot asks for steps of at least GRID_PX pixels.
    let px_per_day = GRID_PX / input.base_step_size;
    let ticks = axis_for(input.bounds, px_per_day);
    let labelled = ticks.labelled.into_iter().map(|tick| GridMark {
        value: f64::from(tick.day.0),
        step_size: tick.unit.approx_days(),
    });
    let grid_step = ticks.grid_unit.map_or(0.0, TickUnit::approx_days);
    let grid = ticks.grid.into_iter().map(|day| GridMark {
        value: f64::from(day.0),
        step_size: grid_step,
    });
    labelled.chain(grid).collect()
}

/// The axis's ticks over the plot x `from..to` where a day is
/// `px_per_day` wide. A label closer to an edge than [`EDGE_PX`] would be
/// cut ("024" for 2024): its tick is drawn as a plain grid line.
fn axis_for((from, to): (f64, f64), px_per_day: f64) -> AxisTicks {
    let (Some(first), Some(last)) = (plot_day(from), plot_day(to)) else {
        return AxisTicks::default();
    };
    let mut ticks = axis_ticks(first, last, px_per_day);
    let edge_days = EDGE_PX / px_per_day;
    let inside = |tick: &Tick| {
        let x = f64::from(tick.day.0);
        x - from >= edge_days && to - x >= edge_days
    };
    let (labelled, cut): (Vec<Tick>, Vec<Tick>) = ticks.labelled.into_iter().partition(inside);
    ticks.labelled = labelled;
    if ticks.grid_unit.is_some() {
        ticks.grid.extend(cut.into_iter().map(|t| t.day));
    }
    ticks
}

/// Previous day, play or pause, next day: shared by a file's timeline and
/// a table's.
pub(super) fn step_buttons(
    ui: &mut egui::Ui,
    time: &crate::time::TimeControl,
    command: &mut impl FnMut(TimeCommand),
) {
    if ui
        .button("< Day")
        .on_hover_text("Previous day (Left arrow)")
        .clicked()
    {
        command(TimeCommand::Step(-1));
    }
    let play = if time.is_playing() { "Pause" } else { "Play" };
    if ui
        .button(play)
        .on_hover_text("Play or pause (Space)")
        .clicked()
    {
        command(TimeCommand::TogglePlay);
    }
    if ui
        .button("Day >")
        .on_hover_text("Next day (Right arrow)")
        .clicked()
    {
        command(TimeCommand::Step(1));
    }
}

/// The window's widths to choose from, and a width brushed or given on
/// the command line beside them.
pub(super) fn window_buttons(
    ui: &mut egui::Ui,
    time: &crate::time::TimeControl,
    command: &mut impl FnMut(TimeCommand),
) {
    ui.label("Window");
    for width in WindowWidth::CHOICES {
        if ui
            .selectable_label(time.width() == width, width.label())
            .clicked()
        {
            command(TimeCommand::SetWindow(width));
        }
    }
    if !WindowWidth::CHOICES.contains(&time.width()) {
        ui.selectable_label(true, time.width().label())
            .on_hover_text("Brushed on the timeline (Shift-drag)");
    }
}

/// Which events the window holds: those that may overlap it, or only
/// those certainly inside it.
fn rule_choice(
    ui: &mut egui::Ui,
    time: &crate::time::TimeControl,
    command: &mut impl FnMut(TimeCommand),
) {
    for rule in WindowRule::CHOICES {
        if ui
            .selectable_label(time.rule() == rule, rule.label())
            .on_hover_text(rule.hint())
            .clicked()
        {
            command(TimeCommand::SetRule(rule));
        }
    }
}

/// How the density bars count an event of several possible days.
fn density_choice(ui: &mut egui::Ui, state: &ViewState, commands: &mut Vec<Command>) {
    ui.label("Bars");
    for mode in DensityMode::CHOICES {
        if ui
            .selectable_label(state.density_mode() == mode, mode.label())
            .on_hover_text(mode.hint())
            .clicked()
        {
            commands.push(Command::SetDensityMode(mode));
        }
    }
}

/// A slider over the dataset's days, labelled with the date.
fn slider(ui: &mut egui::Ui, state: &ViewState, commands: &mut Vec<Command>) {
    let (first, last) = state.time().bounds();
    let mut value = state.time().cursor().0;
    ui.spacing_mut().slider_width = (ui.available_width() - 140.0).max(100.0);
    let slider = egui::Slider::new(&mut value, first.0..=last.0)
        .custom_formatter(|v, _| {
            #[expect(clippy::cast_possible_truncation, reason = "slider values are days")]
            let day = Day(v.round() as i32);
            day.to_string()
        })
        .custom_parser(|text| Day::parse_iso(text).map(|d| f64::from(d.0)))
        .text("date");
    if ui.add(slider).changed() {
        commands.push(Command::Time(TimeCommand::SetCursor(Day(value))));
    }
}

/// Keyboard: the time's shortcuts (a day back or on, play or pause; not
/// while typing).
pub fn keyboard(ctx: &egui::Context, commands: &mut Vec<Command>) {
    for (action, command) in [
        (Action::StepBack, TimeCommand::Step(-1)),
        (Action::StepForward, TimeCommand::Step(1)),
        (Action::TogglePlay, TimeCommand::TogglePlay),
    ] {
        if pressed(ctx, action) {
            commands.push(Command::Time(command));
        }
    }
}

/// Greedy interval colouring: each event takes the lowest lane free at its
/// start, so marks of overlapping spans never cover each other. Only for
/// datasets small enough to show marks: the scan is O(events × lanes).
fn assign_lanes(dataset: &Dataset) -> (Vec<u16>, u16) {
    if dataset.events.len() > MAX_MARKS {
        return (Vec::new(), 1);
    }
    let mut lane_end: Vec<i32> = Vec::new();
    let mut lanes = vec![0_u16; dataset.events.len()];
    // Events are sorted by start already.
    let days = dataset.events.starts().iter().zip(dataset.events.ends());
    for (i, (start, end)) in days.enumerate() {
        let free = lane_end.iter().position(|&e| e < start.0);
        let lane = free.unwrap_or(lane_end.len());
        if lane == lane_end.len() {
            lane_end.push(end.0);
        } else {
            lane_end[lane] = end.0;
        }
        lanes[i] = u16::try_from(lane).unwrap_or(u16::MAX);
    }
    let count = u16::try_from(lane_end.len()).unwrap_or(u16::MAX).max(1);
    (lanes, count)
}

/// The window a brush from `from` to `to` (either way round) sets: its
/// width the days dragged over, its last day the later one.
fn brushed(from: Day, to: Day) -> [TimeCommand; 2] {
    let (first, last) = if from <= to { (from, to) } else { (to, from) };
    let days = i64::from(last.0) - i64::from(first.0) + 1;
    let width = u16::try_from(days).unwrap_or(u16::MAX);
    [
        TimeCommand::SetWindow(WindowWidth::Days(width)),
        TimeCommand::SetCursor(last),
    ]
}
