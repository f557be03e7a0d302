//! Text for the CPU renderer: the faces the window uses ([`crate::fonts`]:
//! egui's Ubuntu Light first, then the bundled Noto faces and the system's),
//! each character from the first face that has it, measured and rasterised
//! with `ab_glyph`, composited onto a `tiny_skia` pixmap. Glyph coverage is
//! deterministic, so the same text gives the same pixels on every machine
//! with the same faces.

use ab_glyph::{Font as _, FontArc, GlyphId, PxScale, ScaleFont as _, point};
use tiny_skia::{Pixmap, PremultipliedColorU8};

use crate::fonts::{Face, faces};
use crate::scene::Rgba;

/// The face that draws `c`, and its glyph: the first that has one, else
/// the first face's replacement character (what [`crate::fonts::display_text`]
/// puts where no face has one).
fn glyph_of(faces: &[Face], c: char) -> Option<(&FontArc, GlyphId)> {
    let found = faces.iter().find(|f| f.covers(c));
    let face = found.or_else(|| faces.iter().find(|f| f.covers('\u{fffd}')))?;
    let c = if found.is_some() { c } else { '\u{fffd}' };
    Some((face.font(), face.font().glyph_id(c)))
}

/// How text is drawn: size, colour, whether it is emboldened (drawn
/// twice, a fraction of a pixel apart, as the app does for event places)
/// and whether it leans (sheared, as the faces have no italics).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct TextStyle {
    /// Font size in pixels.
    pub size_px: f32,
    /// Text colour.
    pub color: Rgba,
    /// Heavier strokes.
    pub strong: bool,
    /// Leaning to the right, for italics.
    pub italic: bool,
}

/// How far italics lean: pixels to the right per pixel above the baseline
/// (about 12 degrees, as oblique faces lean).
const ITALIC_SHEAR: f32 = 0.21;

/// The width of `text` at `size_px`, with kerning between glyphs of one
/// face.
pub fn text_width_px(text: &str, size_px: f32) -> f32 {
    let faces = faces();
    let mut width = 0.0;
    let mut previous: Option<(&FontArc, GlyphId)> = None;
    for c in text.chars() {
        let Some((font, id)) = glyph_of(faces, c) else {
            continue;
        };
        let scaled = font.as_scaled(PxScale::from(size_px));
        if let Some((p_font, p_id)) = previous
            && std::ptr::eq(p_font, font)
        {
            width += scaled.kern(p_id, id);
        }
        width += scaled.h_advance(id);
        previous = Some((font, id));
    }
    width
}

/// The longest start of `text` (its trailing spaces dropped) that fits
/// `max_px` at `size_px` with an ellipsis after it, and the ellipsis; `None`
/// when not even the ellipsis fits.
pub fn cut_with_ellipsis(text: &str, size_px: f32, max_px: f32) -> Option<String> {
    let mut ends: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    ends.push(text.len());
    ends.into_iter().rev().find_map(|end| {
        let cut = format!("{}\u{2026}", text[..end].trim_end());
        (text_width_px(&cut, size_px) <= max_px).then_some(cut)
    })
}

/// The height of one line of text at `size_px` (ascent to descent plus the
/// line gap of the first face): where the next line starts.
pub fn line_height_px(size_px: f32) -> f32 {
    faces().first().map_or(size_px * 1.2, |face| {
        let scaled = face.font().as_scaled(PxScale::from(size_px));
        scaled.height() + scaled.line_gap()
    })
}

/// Draws `text` with its line box's top-left corner at `top_left`.
pub fn draw_text(pixmap: &mut Pixmap, text: &str, top_left: [f32; 2], style: TextStyle) {
    draw_run(pixmap, text, top_left, style);
    if style.strong {
        draw_run(pixmap, text, [top_left[0] + 0.4, top_left[1]], style);
    }
}

fn draw_run(pixmap: &mut Pixmap, text: &str, top_left: [f32; 2], style: TextStyle) {
    let faces = faces();
    let Some(first) = faces.first() else {
        return;
    };
    let scale = PxScale::from(style.size_px);
    // One baseline for every face: the first face's.
    let baseline = top_left[1] + first.font().as_scaled(scale).ascent();
    let mut x = top_left[0];
    let mut previous: Option<(&FontArc, GlyphId)> = None;
    for c in text.chars() {
        let Some((font, id)) = glyph_of(faces, c) else {
            continue;
        };
        let scaled = font.as_scaled(scale);
        if let Some((p_font, p_id)) = previous
            && std::ptr::eq(p_font, font)
        {
            x += scaled.kern(p_id, id);
        }
        let glyph = id.with_scale_and_position(scale, point(x, baseline));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            let origin = [bounds.min.x, bounds.min.y];
            outline.draw(|gx, gy, coverage| {
                if style.italic {
                    blend_leaning(pixmap, origin, [gx, gy], baseline, coverage, style.color);
                } else {
                    blend_coverage(pixmap, origin, [gx, gy], coverage, style.color);
                }
            });
        }
        x += scaled.h_advance(id);
        previous = Some((font, id));
    }
}

/// A glyph's pixel moved right by [`ITALIC_SHEAR`] times its height above
/// the baseline, its coverage shared between the two pixels it straddles
/// so that the slanted strokes stay smooth.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    reason = "pixel coordinates are small"
)]
fn blend_leaning(
    pixmap: &mut Pixmap,
    origin: [f32; 2],
    at: [u32; 2],
    baseline: f32,
    coverage: f32,
    color: Rgba,
) {
    let y = origin[1] as i64 + i64::from(at[1]);
    let shift = (baseline - (y as f32 + 0.5)) * ITALIC_SHEAR;
    let x = (origin[0] as i64 + i64::from(at[0])) as f32 + shift;
    let (left, share) = (x.floor(), x - x.floor());
    let left = left as i64;
    blend_pixel(pixmap, [left, y], coverage * (1.0 - share), color);
    blend_pixel(pixmap, [left + 1, y], coverage * share, color);
}

/// Source-over of `color` at `coverage` onto one pixel of a glyph.
#[expect(
    clippy::cast_possible_truncation,
    reason = "pixel coordinates are small"
)]
fn blend_coverage(pixmap: &mut Pixmap, origin: [f32; 2], at: [u32; 2], coverage: f32, color: Rgba) {
    let x = origin[0] as i64 + i64::from(at[0]);
    let y = origin[1] as i64 + i64::from(at[1]);
    blend_pixel(pixmap, [x, y], coverage, color);
}

/// Source-over of `color` at `coverage` onto the pixel at `[x, y]`
/// (premultiplied); nothing outside the pixmap.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "channels are clamped to 0..=255"
)]
fn blend_pixel(pixmap: &mut Pixmap, [x, y]: [i64; 2], coverage: f32, color: Rgba) {
    let (w, h) = (i64::from(pixmap.width()), i64::from(pixmap.height()));
    if x < 0 || y < 0 || x >= w || y >= h {
        return;
    }
    let Ok(index) = usize::try_from(y * w + x) else {
        return;
    };
    let Some(dst) = pixmap.pixels_mut().get_mut(index) else {
        return;
    };
    let [r, g, b, a] = color.0;
    let src_a = coverage.clamp(0.0, 1.0) * f32::from(a) / 255.0;
    let mix = |s: u8, d: u8| (f32::from(s) * src_a + f32::from(d) * (1.0 - src_a)).round() as u8;
    let out_a = (src_a * 255.0 + f32::from(dst.alpha()) * (1.0 - src_a)).round() as u8;
    // Straight source channels times their alpha, over premultiplied ones.
    let blended = PremultipliedColorU8::from_rgba(
        mix(r, dst.red()).min(out_a),
        mix(g, dst.green()).min(out_a),
        mix(b, dst.blue()).min(out_a),
        out_a,
    );
    if let Some(c) = blended {
        *dst = c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_loads_and_measures() {
        assert!(!faces().is_empty());
        let short = text_width_px("Kabul", 13.0);
        let long = text_width_px("Islamabad", 13.0);
        assert!(short > 20.0 && long > short, "{short} {long}");
        assert!((line_height_px(13.0) - 13.0).abs() < 6.0);
    }

    #[test]
    fn text_darkens_pixels_under_it() {
        let dark = drawn("Khost").iter().filter(|&&red| red < 128).count();
        assert!(dark > 30, "{dark} dark pixels");
    }

    /// The pixels `text` leaves on a white pixmap.
    fn drawn(text: &str) -> Vec<u8> {
        drawn_in(text, false)
    }

    /// The red channel of a 64×32 white pixmap with `text` drawn on it.
    fn drawn_in(text: &str, italic: bool) -> Vec<u8> {
        let Some(mut pixmap) = Pixmap::new(64, 32) else {
            panic!("pixmap");
        };
        pixmap.fill(tiny_skia::Color::WHITE);
        let style = TextStyle {
            size_px: 20.0,
            color: Rgba::rgb(0, 0, 0),
            strong: false,
            italic,
        };
        draw_text(&mut pixmap, text, [2.0, 2.0], style);
        pixmap.pixels().iter().map(|p| p.red()).collect()
    }

    /// The mean column of the ink in rows `rows` of a 64-pixel-wide image.
    fn ink_column(red: &[u8], rows: std::ops::Range<usize>) -> f32 {
        let (mut sum, mut weight) = (0.0, 0.0);
        for (i, &r) in red.iter().enumerate() {
            if rows.contains(&(i / 64)) {
                let ink = f32::from(255 - r);
                sum += ink * (i % 64) as f32;
                weight += ink;
            }
        }
        sum / weight.max(1.0)
    }

    #[test]
    fn italics_lean_right_and_keep_their_ink() {
        let (upright, leaning) = (drawn_in("l", false), drawn_in("l", true));
        let lean = |red: &[u8]| ink_column(red, 4..9) - ink_column(red, 14..19);
        assert!(lean(&upright).abs() < 0.5, "{}", lean(&upright));
        assert!(lean(&leaning) > 1.2, "{}", lean(&leaning));
        let ink = |red: &[u8]| red.iter().map(|&r| u32::from(255 - r)).sum::<u32>();
        let (a, b) = (ink(&upright), ink(&leaning));
        assert!(a.abs_diff(b) * 20 < a, "{a} {b}: the same strokes, moved");
    }

    #[test]
    fn every_script_draws_its_own_glyphs_not_the_replacement() {
        let replacement = drawn("\u{fffd}");
        let blank = drawn(" ");
        assert_ne!(replacement, blank, "the replacement is visible");
        // Latin Extended, Arabic, Hebrew, Cyrillic, Greek from the bundled
        // faces; Chinese from the system's (fonts-droid-fallback on CI).
        for c in ['Ḩ', 'ح', 'ש', 'Ж', 'Ω', '中'] {
            let pixels = drawn(&c.to_string());
            assert_ne!(pixels, blank, "{c} draws nothing");
            assert_ne!(pixels, replacement, "{c} is drawn as the replacement");
        }
        assert_eq!(drawn("\u{E000}"), replacement, "what no face has");
    }
}
