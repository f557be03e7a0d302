//! A publication-ready figure around the map: the dataset's title and the
//! window in words above it, a legend and the data attribution below it.
//! Sizes follow the image width so that small and large exports both read.

use tiny_skia::Pixmap;

use super::paint::{fill_rect, paint_line, paint_marker, paint_of, paint_ring, paint_scene};
use super::text::{TextStyle, cut_with_ellipsis, draw_text, line_height_px, text_width_px};
use super::view::{Extent, MapFrame, map_frame};
use crate::atlas::Atlas;
use crate::fonts::display_text;
use crate::model::PlaceIdx;
use crate::scene::{
    ATTRIBUTION, LineShape, Marker, PlaceKey, PlaceState, Rgba, SceneCache, Style, Viewport,
    category_color,
};
use crate::state::ViewState;
use crate::time::WindowWidth;

/// Ink for the figure's text.
pub(super) const INK: Rgba = Rgba::rgb(35, 30, 28);
/// Secondary text (subtitle, attribution).
pub(super) const MUTED: Rgba = Rgba::rgb(95, 90, 85);
/// The rules between the bands and the map.
pub(super) const RULE: Rgba = Rgba::rgb(200, 194, 184);

/// What to render: image size, map extent and looks.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureSpec {
    /// Width and height of the whole image, in pixels.
    pub size_px: [u32; 2],
    /// Which part of the world the map shows.
    pub extent: Extent,
    /// Colours and sizes.
    pub style: Style,
}

/// Font sizes and spacing for one image width.
#[derive(Copy, Clone, Debug, PartialEq)]
struct Metrics {
    title_px: f32,
    text_px: f32,
    small_px: f32,
    pad_px: f32,
}

impl Metrics {
    #[expect(clippy::cast_precision_loss, reason = "image widths are small")]
    fn for_width(width_px: u32) -> Self {
        let title_px = (width_px as f32 / 60.0).clamp(11.0, 26.0);
        Self {
            title_px,
            text_px: (title_px * 0.65).max(9.0),
            small_px: (title_px * 0.5).max(8.0),
            pad_px: (title_px * 0.6).round(),
        }
    }

    fn header_px(&self) -> f32 {
        (self.pad_px * 1.5 + line_height_px(self.title_px) + line_height_px(self.text_px)).ceil()
    }
}

/// One legend entry: a swatch and its words.
#[derive(Clone, Debug, PartialEq)]
enum Swatch {
    /// A map marker in a place state.
    Marker(PlaceState),
    /// A category colour.
    Square(Rgba),
    /// How the map draws a place's precision.
    Place(PlaceKey),
}

/// The legend with an entry for each way the map drew a place's precision.
fn with_place_keys(mut items: Vec<(Swatch, String)>, keys: &[PlaceKey]) -> Vec<(Swatch, String)> {
    let at = items
        .iter()
        .position(|(s, _)| matches!(s, Swatch::Square(_)))
        .unwrap_or(items.len());
    let keyed = keys
        .iter()
        .map(|&k| (Swatch::Place(k), k.words().to_owned()));
    items.splice(at..at, keyed);
    items
}

/// The legend: the highlight key, then the categories of the events in the
/// window, with their counts, in category order; in a regions mode, the
/// ramp's classes, darkest first, and the fill of a region with none.
fn legend_items(state: &ViewState) -> Vec<(Swatch, String)> {
    if let Some(choropleth) = state.choropleth() {
        let legend = choropleth.legend().into_iter();
        return legend
            .map(|(fill, words)| (Swatch::Square(fill), words))
            .collect();
    }
    let mut items = vec![
        (
            Swatch::Marker(PlaceState::Active),
            "in the window".to_owned(),
        ),
        (Swatch::Marker(PlaceState::Dimmed), "other dates".to_owned()),
    ];
    if state.certain_count() < state.active().len() {
        items.insert(
            1,
            (
                Swatch::Marker(PlaceState::Possible),
                "may fall in the window".to_owned(),
            ),
        );
    }
    if state.selection().is_some() {
        items.push((Swatch::Marker(PlaceState::Selected), "selected".to_owned()));
    }
    let dataset = state.dataset();
    let mut counts = vec![0_u32; dataset.categories.len()];
    for e in state.active().iter().filter_map(|&i| dataset.event(i)) {
        if let Some(c) = counts.get_mut(usize::from(e.category())) {
            *c += 1;
        }
    }
    for (i, (name, &n)) in dataset.categories.iter().zip(&counts).enumerate() {
        if n > 0 {
            items.push((
                Swatch::Square(category_color(name, i)),
                format!("{} ({n})", display_text(name)),
            ));
        }
    }
    items
}

/// Where each legend item goes, flowing into rows `width_px` wide.
fn flow(items: &[(Swatch, String)], m: &Metrics, width_px: f32) -> Vec<[f32; 2]> {
    let line = line_height_px(m.text_px);
    let gap = m.pad_px * 1.5;
    let mut at = [m.pad_px, 0.0];
    let mut out = Vec::with_capacity(items.len());
    for (_, text) in items {
        let w = line + 4.0 + text_width_px(text, m.text_px);
        if at[0] > m.pad_px && at[0] + w > width_px - m.pad_px {
            at = [m.pad_px, at[1] + line * 1.2];
        }
        out.push(at);
        at[0] += w + gap;
    }
    out
}

/// The footer's height for these legend positions.
fn footer_px(positions: &[[f32; 2]], m: &Metrics) -> f32 {
    let rows_px = positions.last().map_or(0.0, |p| p[1]) + line_height_px(m.text_px) * 1.2;
    (m.pad_px * 1.5 + rows_px + line_height_px(m.small_px)).ceil()
}

/// Renders the figure for `state` into a pixmap, and says where the map
/// went in it.
pub fn render_figure(
    state: &ViewState,
    atlas: &Atlas,
    cache: &SceneCache,
    spec: &FigureSpec,
) -> Option<(Pixmap, MapFrame)> {
    let [w_px, h_px] = spec.size_px;
    let mut pixmap = Pixmap::new(w_px, h_px)?;
    #[expect(clippy::cast_precision_loss, reason = "image sizes are small")]
    let (w, h) = (w_px as f32, h_px as f32);
    let m = Metrics::for_width(w_px);
    let header = m.header_px();
    let layout = |items: &[(Swatch, String)]| {
        let positions = flow(items, &m, w);
        let map_h = (h - header - footer_px(&positions, &m)).max(1.0);
        (positions, map_h)
    };
    let mut items = legend_items(state);
    let (mut positions, mut map_h) = layout(&items);
    let viewport = |map_h: f32| Viewport {
        min: [0.0, header],
        size: [w, map_h],
    };
    let extent = &spec.extent;
    let mut frame = map_frame(state, atlas, cache, extent, viewport(map_h), &spec.style);
    // The map says which precisions it drew; when their legend entries
    // need another row, the map is drawn again in the height left.
    if !frame.scene.keys.is_empty() {
        items = with_place_keys(items, &frame.scene.keys);
        let before = map_h;
        (positions, map_h) = layout(&items);
        if map_h != before {
            frame = map_frame(state, atlas, cache, extent, viewport(map_h), &spec.style);
        }
    }
    paint_scene(
        &mut pixmap,
        &frame.scene,
        &spec.style,
        [0.0, header, w, header + map_h],
    );
    let paper = spec.style.halo;
    fill_rect(&mut pixmap, [0.0, 0.0, w, header], paper);
    fill_rect(&mut pixmap, [0.0, header + map_h, w, h], paper);
    fill_rect(&mut pixmap, [0.0, header - 1.0, w, header], RULE);
    fill_rect(
        &mut pixmap,
        [0.0, header + map_h, w, header + map_h + 1.0],
        RULE,
    );
    draw_header(&mut pixmap, state, &m, w);
    let footer_top = header + map_h + m.pad_px * 0.75;
    draw_legend(&mut pixmap, &items, &positions, footer_top, &m, &spec.style);
    let attribution_y = h - m.pad_px * 0.5 - line_height_px(m.small_px);
    draw_text(
        &mut pixmap,
        &fit_text(ATTRIBUTION, m.small_px, w - 2.0 * m.pad_px),
        [m.pad_px, attribution_y],
        muted(m.small_px),
    );
    Some((pixmap, frame))
}

fn muted(size_px: f32) -> TextStyle {
    TextStyle {
        size_px,
        color: MUTED,
        strong: false,
        italic: false,
    }
}

fn draw_header(pixmap: &mut Pixmap, state: &ViewState, m: &Metrics, width: f32) {
    let avail = width - 2.0 * m.pad_px;
    let title = TextStyle {
        size_px: m.title_px,
        color: INK,
        strong: true,
        italic: false,
    };
    let title_text = fit_text(&display_text(&state.dataset().title), m.title_px, avail);
    draw_text(pixmap, &title_text, [m.pad_px, m.pad_px * 0.75], title);
    let y = m.pad_px * 0.75 + line_height_px(m.title_px);
    let when = fit_text(&window_words(state), m.text_px, avail);
    draw_text(pixmap, &when, [m.pad_px, y], muted(m.text_px));
}

/// The window in words, with how many events it holds: "Thursday 27
/// November 2025 · 1 event in the window", "21–27 Nov 2025 (7 days) · 4
/// events in the window, 2 of them certain".
pub fn window_words(state: &ViewState) -> String {
    let events = state
        .time()
        .rule()
        .count_words(state.active().len(), state.certain_count());
    let (_, last) = state.time().window();
    let when = match state.time().width() {
        WindowWidth::All => format!("All dates, {}", state.time().window_words()),
        WindowWidth::Days(1) => last.long_words(),
        WindowWidth::Days(d) => format!("{} ({d} days)", state.time().window_words()),
    };
    let filtered = if state.filter().is_empty() {
        ""
    } else {
        " (filtered)"
    };
    format!("{when} \u{b7} {events}{filtered}")
}

fn draw_legend(
    pixmap: &mut Pixmap,
    items: &[(Swatch, String)],
    positions: &[[f32; 2]],
    top: f32,
    m: &Metrics,
    style: &Style,
) {
    let line = line_height_px(m.text_px);
    let text = TextStyle {
        size_px: m.text_px,
        color: INK,
        strong: false,
        italic: false,
    };
    for ((swatch, words), at) in items.iter().zip(positions) {
        let (x, y) = (at[0], top + at[1]);
        draw_swatch(
            pixmap,
            swatch,
            [x + line / 2.0, y + line / 2.0],
            line,
            style,
        );
        draw_text(pixmap, words, [x + line + 4.0, y], text);
    }
}

fn draw_swatch(pixmap: &mut Pixmap, swatch: &Swatch, center: [f32; 2], line: f32, style: &Style) {
    match swatch {
        Swatch::Marker(state) => {
            let marker = Marker {
                place: PlaceIdx::MAX,
                pos: center,
                radius_px: (line * 0.32).max(3.0),
                fill: style.marker_fill(*state),
                stroke: style.marker_stroke(*state).0,
                stroke_px: style.marker_stroke(*state).1.min(2.0),
                state: *state,
                active_events: 0,
                ring_px: 0.0,
            };
            paint_marker(pixmap, &marker, None);
        }
        Swatch::Place(key) => draw_place_key(pixmap, *key, center, line, style),
        Swatch::Square(color) => {
            let r = (line * 0.3).max(3.0);
            let rect = [center[0] - r, center[1] - r, center[0] + r, center[1] + r];
            if let Some(rect) = tiny_skia::Rect::from_ltrb(rect[0], rect[1], rect[2], rect[3]) {
                pixmap.fill_rect(
                    rect,
                    &paint_of(*color),
                    tiny_skia::Transform::identity(),
                    None,
                );
            }
        }
    }
}

/// A place key's swatch: a marker in its ring, or a filled or hatched square.
fn draw_place_key(pixmap: &mut Pixmap, key: PlaceKey, center: [f32; 2], line: f32, style: &Style) {
    let r = (line * 0.4).max(4.0);
    let state = PlaceState::Active;
    match key {
        PlaceKey::Near | PlaceKey::RegionCentre => {
            let marker = Marker {
                place: PlaceIdx::MAX,
                pos: center,
                radius_px: (r * 0.45).max(2.5),
                fill: style.marker_fill(state),
                stroke: style.marker_stroke(state).0,
                stroke_px: 1.0,
                state,
                active_events: 0,
                ring_px: if key == PlaceKey::Near { r * 0.8 } else { r },
            };
            paint_ring(pixmap, &marker, style, None);
            paint_marker(pixmap, &marker, None);
        }
        PlaceKey::Province | PlaceKey::Country => {
            let country = key == PlaceKey::Country;
            let [x, y] = center;
            let square = [x - r, y - r, x + r, y + r];
            fill_rect(pixmap, square, style.region_fill(state, country));
            let mut lines = Vec::new();
            if let Some(color) = style.region_hatch(state, country) {
                let ring = vec![
                    [x - r, y - r],
                    [x + r, y - r],
                    [x + r, y + r],
                    [x - r, y + r],
                ];
                lines.extend(crate::scene::hatch_lines(&[ring], 4.0, square, color));
            }
            let outline = vec![
                [x - r, y - r],
                [x + r, y - r],
                [x + r, y + r],
                [x - r, y + r],
            ];
            lines.push(LineShape {
                points: outline,
                closed: true,
                width_px: 1.0,
                color: style.highlight.with_alpha(if country { 160 } else { 255 }),
            });
            for l in &lines {
                paint_line(pixmap, l, None);
            }
        }
    }
}

/// `text`, cut with an ellipsis to fit `max_px`.
fn fit_text(text: &str, size_px: f32, max_px: f32) -> String {
    if text_width_px(text, size_px) <= max_px {
        return text.to_owned();
    }
    cut_with_ellipsis(text, size_px, max_px).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_are_cut_to_fit() {
        let cut = fit_text("A very long dataset title that cannot fit", 12.0, 80.0);
        assert!(cut.ends_with('\u{2026}'));
        assert!(text_width_px(&cut, 12.0) <= 80.0);
        assert_eq!(fit_text("Short", 12.0, 200.0), "Short");
    }

    #[test]
    fn legend_rows_wrap_within_the_width() {
        let m = Metrics::for_width(320);
        let items: Vec<(Swatch, String)> = (0..6)
            .map(|i| (Swatch::Square(Rgba::rgb(0, 0, 0)), format!("category {i}")))
            .collect();
        let at = flow(&items, &m, 320.0);
        assert_eq!(at.len(), 6);
        assert!(at.iter().any(|p| p[1] > 0.0), "wraps");
        for (p, (_, t)) in at.iter().zip(&items) {
            assert!(p[0] + text_width_px(t, m.text_px) <= 320.0);
        }
    }
}
