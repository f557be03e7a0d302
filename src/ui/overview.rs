//! The thin strip above the timeline's plot: the density of the data's
//! whole span, the days the plot shows as a band to drag, and the cursor
//! (focus and context, as rerun's time panel has it). The plot opens on a
//! few weeks; the strip keeps the rest of the span in sight.

use egui::{Color32, Rect, Sense, Stroke, StrokeKind, pos2, vec2};

use super::timeline::plot_day;
use crate::model::Day;
use crate::state::ViewState;
use crate::time::{DayHistogram, SPAN_MARGIN_DAYS, axis_ticks};

/// The strip's height, in points.
const STRIP_PX: f32 = 34.0;
/// The height of the strip's calendar labels, above its bars.
const LABELS_PX: f32 = 12.0;
/// The narrowest a bar of the strip may be, in points.
const PX_PER_BAR: f32 = 2.0;
/// The narrowest the band is drawn, so that it can be taken hold of
/// however far the plot zooms in.
const MIN_BAND_PX: f32 = 8.0;
/// The cursor's colour, as on the plot.
const CURSOR: Color32 = Color32::from_rgb(222, 68, 20);

/// The strip's own state: where a drag took hold of the band.
#[derive(Clone, Debug, Default)]
pub struct Overview {
    /// While the pointer is down on the strip: how many days the band's
    /// first day lies before the pointer.
    grab_days: Option<f64>,
    /// Where the band was drawn in the last frame.
    band: Option<Rect>,
}

/// The strip's days across its width: the data's whole span and the
/// plot's margin.
struct Scale {
    rect: Rect,
    /// The days (plot x) at the strip's left and right edges.
    lo: f64,
    hi: f64,
}

impl Scale {
    fn new(rect: Rect, (first, last): (Day, Day)) -> Self {
        Self {
            rect,
            lo: f64::from(first.0) - SPAN_MARGIN_DAYS,
            hi: f64::from(last.0) + SPAN_MARGIN_DAYS,
        }
    }

    /// The screen x of a day (plot x).
    fn x_of(&self, day: f64) -> f32 {
        let t = (day - self.lo) / (self.hi - self.lo).max(1e-9);
        #[expect(clippy::cast_possible_truncation, reason = "a screen coordinate")]
        let x = self.rect.left() + (t as f32) * self.rect.width();
        x
    }

    /// The day (plot x) at a screen x.
    fn day_at(&self, x: f32) -> f64 {
        let t = f64::from((x - self.rect.left()) / self.rect.width().max(1.0));
        self.lo + t * (self.hi - self.lo)
    }

    /// The band of a plot showing `view`: at least [`MIN_BAND_PX`] wide,
    /// and within the strip.
    fn band(&self, (from, to): (f64, f64)) -> Rect {
        let (mut left, mut right) = (self.x_of(from), self.x_of(to));
        let grow = (MIN_BAND_PX - (right - left)).max(0.0) / 2.0;
        (left, right) = (left - grow, right + grow);
        let x = self.rect.x_range();
        let (left, right) = (left.clamp(x.min, x.max), right.clamp(x.min, x.max));
        Rect::from_x_y_ranges(left..=right, self.rect.y_range())
    }

    /// The first day of a view `width` days wide starting at `lo`, kept
    /// so that its middle stays on the span.
    fn keep_on_span(&self, lo: f64, width: f64) -> f64 {
        lo.clamp(self.lo - width / 2.0, (self.hi - width / 2.0).max(self.lo))
    }
}

impl Overview {
    /// Shows the strip for a plot showing `view` (plot x, days); returns
    /// the days the plot is to show instead when the band is dragged, or
    /// the strip clicked beside it (which centres the view there).
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &ViewState,
        view: (f64, f64),
    ) -> Option<(f64, f64)> {
        let size = vec2(ui.available_width(), STRIP_PX);
        let (rect, response) = ui.allocate_exact_size(size, Sense::click_and_drag());
        let scale = Scale::new(rect, state.time().bounds());
        let moved = self.drag(ui, &response, &scale, view);
        let shown = moved.unwrap_or(view);
        let band = scale.band(shown);
        self.band = Some(band);
        if ui.is_rect_visible(rect) {
            paint(ui, &scale, state, band);
        }
        let (first, last) = state.time().bounds();
        let on_span = |x: f64| x.clamp(f64::from(first.0), f64::from(last.0));
        let words = format!(
            "{} to {}",
            day_words(on_span(shown.0)),
            day_words(on_span(shown.1))
        );
        response.widget_info(|| {
            let mut info = egui::WidgetInfo::labeled(
                egui::accesskit::Role::ScrollBar,
                true,
                "Timeline overview",
            );
            info.current_text_value = Some(words.clone());
            info
        });
        response.on_hover_text("Drag the band to move the timeline; click to centre it there");
        moved
    }

    /// Where the band was drawn in the last frame, in screen points.
    pub fn band(&self) -> Option<Rect> {
        self.band
    }

    /// The view the pointer held down on the strip asks for: the band
    /// follows the pointer from where it took hold (its middle, for a
    /// press beside it).
    fn drag(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        scale: &Scale,
        view: (f64, f64),
    ) -> Option<(f64, f64)> {
        if !response.is_pointer_button_down_on() {
            self.grab_days = None;
            return None;
        }
        let pointer = response.interact_pointer_pos()?;
        let width = view.1 - view.0;
        let grab = *self.grab_days.get_or_insert_with(|| {
            let origin = ui.input(|i| i.pointer.press_origin()).unwrap_or(pointer);
            if scale.band(view).x_range().contains(origin.x) {
                scale.day_at(origin.x) - view.0
            } else {
                width / 2.0
            }
        });
        let lo = scale.keep_on_span(scale.day_at(pointer.x) - grab, width);
        ((lo - view.0).abs() > 1e-9).then_some((lo, lo + width))
    }
}

/// The density, the band and the cursor.
fn paint(ui: &egui::Ui, scale: &Scale, state: &ViewState, band: Rect) {
    let visuals = ui.visuals();
    let painter = ui.painter_at(scale.rect);
    painter.rect_filled(scale.rect, 2.0, visuals.extreme_bg_color);
    let bars = visuals.text_color().gamma_multiply(0.5);
    density(&painter, scale, state.histogram(), bars);
    calendar(&painter, scale, visuals.weak_text_color());
    painter.rect(
        band,
        2.0,
        visuals.selection.bg_fill.gamma_multiply(0.5),
        Stroke::new(1.5, visuals.selection.stroke.color),
        StrokeKind::Inside,
    );
    let x = scale.x_of(f64::from(state.time().cursor().0));
    painter.vline(x, scale.rect.y_range(), Stroke::new(1.5, CURSOR));
    painter.rect_stroke(
        scale.rect,
        2.0,
        visuals.widgets.noninteractive.bg_stroke,
        StrokeKind::Inside,
    );
}

/// The whole span's events a day, a bar per few points, the busiest 1
/// high.
fn density(painter: &egui::Painter, scale: &Scale, histogram: &DayHistogram, fill: Color32) {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a positive pixel count"
    )]
    let max_bins = (scale.rect.width() / PX_PER_BAR).max(1.0) as usize;
    let bins = histogram.bins(scale.lo, scale.hi, max_bins);
    let bottom = scale.rect.bottom() - 1.0;
    let room = f64::from(scale.rect.height() - LABELS_PX - 2.0);
    for b in 0..bins.len() {
        let per_day: f64 = (0..bins.categories).map(|c| bins.per_day(b, c)).sum();
        if per_day <= 0.0 {
            continue;
        }
        #[expect(clippy::cast_possible_truncation, reason = "a screen length")]
        let height = ((per_day / bins.busiest).min(1.0) * room).max(1.0) as f32;
        let (a, z) = bins.days(b);
        let left = scale.x_of(f64::from(a.0) - 0.5);
        let right = scale.x_of(f64::from(z.0) + 0.5).max(left + 1.0);
        let bar = Rect::from_min_max(pos2(left, bottom - height), pos2(right, bottom));
        painter.rect_filled(bar, 0.0, fill);
    }
}

/// The span's years (or months, or weeks), a faint line and a small label
/// each, as densely as the strip's width allows.
fn calendar(painter: &egui::Painter, scale: &Scale, color: Color32) {
    let (Some(first), Some(last)) = (plot_day(scale.lo), plot_day(scale.hi)) else {
        return;
    };
    let px_per_day = f64::from(scale.rect.width()) / (scale.hi - scale.lo).max(1e-9);
    let font = egui::FontId::proportional(LABELS_PX - 2.0);
    for tick in axis_ticks(first, last, px_per_day).labelled {
        let x = scale.x_of(f64::from(tick.day.0));
        painter.vline(
            x,
            scale.rect.y_range(),
            Stroke::new(1.0, color.gamma_multiply(0.4)),
        );
        let label = painter.layout_no_wrap(tick.unit.label(tick.day), font.clone(), color);
        // A label that would run off the strip's end is left out.
        if x + 2.0 + label.size().x <= scale.rect.right() {
            painter.galley(pos2(x + 2.0, scale.rect.top() + 1.0), label, color);
        }
    }
}

/// "27 Nov 2025" for a plot x, rounded to its day.
fn day_words(x: f64) -> String {
    plot_day(x).map_or_else(String::new, Day::short_words)
}
