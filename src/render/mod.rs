//! The CPU renderer: a [`crate::scene::Scene`] to an image with
//! `tiny_skia`, framed as a figure (title, window in words, legend,
//! attribution). No egui and no GPU, so maps render headless (the CLI, CI)
//! and exactly the same on every machine.

mod encode;
mod figure;
mod paint;
mod text;
mod view;

pub use encode::{EncodeError, encode_gif, encode_png, to_rgba_image};
pub use figure::{FigureSpec, window_words};
pub use paint::paint_scene;
pub use text::{line_height_px, text_width_px};
pub use view::{Extent, MapFrame, ViewError, camera_for, map_frame, view_at};

use std::sync::Arc;

use image::RgbaImage;

use crate::atlas::Atlas;
use crate::model::{Dataset, Day};
use crate::scene::SceneCache;
use crate::state::ViewState;
use crate::time::WindowWidth;

/// Smallest and largest image side we render, in pixels: below, no legend
/// fits; above, memory use gets silly for a map.
pub const SIZE_RANGE_PX: std::ops::RangeInclusive<u32> = 64..=8192;

/// A rendered figure and where its map is.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// The pixels, straight alpha (opaque).
    pub image: RgbaImage,
    /// The scene, camera and viewport of the map inside the image.
    pub map: MapFrame,
}

/// Renders the figure for `state`; `None` when the size is out of
/// [`SIZE_RANGE_PX`].
pub fn render(
    state: &ViewState,
    atlas: &Atlas,
    cache: &SceneCache,
    spec: &FigureSpec,
) -> Option<Rendered> {
    if !spec.size_px.iter().all(|s| SIZE_RANGE_PX.contains(s)) {
        return None;
    }
    let (pixmap, map) = figure::render_figure(state, atlas, cache, spec)?;
    Some(Rendered {
        image: to_rgba_image(&pixmap),
        map,
    })
}

/// One frame of an animation: its window and its picture.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The window's first and last day.
    pub window: (Day, Day),
    /// The figure.
    pub rendered: Rendered,
}

/// What an animation shows: frames every `step_days` from `from` to `to`,
/// each with the same window width, categories and framing.
#[derive(Clone, Debug, PartialEq)]
pub struct AnimationSpec {
    /// The first frame's date.
    pub from: Day,
    /// No frame after this date.
    pub to: Day,
    /// Days between frames (at least 1).
    pub step_days: i32,
    /// The window of every frame.
    pub window: WindowWidth,
    /// Categories shown (all when empty).
    pub categories: Vec<String>,
    /// Size, extent and style of every frame.
    pub figure: FigureSpec,
}

/// Renders an animation's frames in date order. Frame `n` shows the window
/// ending at `from + n * step_days`, so the output is the same every run.
///
/// # Errors
/// When a frame's date is outside the data, a category is unknown, or the
/// size is out of range.
pub fn render_frames(
    dataset: &Arc<Dataset>,
    atlas: &Atlas,
    cache: &SceneCache,
    spec: &AnimationSpec,
) -> Result<Vec<Frame>, RenderError> {
    let dates = frame_dates(spec.from, spec.to, spec.step_days);
    if dates.is_empty() {
        return Err(RenderError::NoFrames);
    }
    dates
        .into_iter()
        .map(|day| {
            let state = view_at(Arc::clone(dataset), day, spec.window, &spec.categories)?;
            let rendered = render(&state, atlas, cache, &spec.figure)
                .ok_or(RenderError::Size(spec.figure.size_px))?;
            Ok(Frame {
                window: state.time().window(),
                rendered,
            })
        })
        .collect()
}

/// Why an image or animation could not be rendered.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RenderError {
    /// The date or filter does not fit the data.
    #[error(transparent)]
    View(#[from] ViewError),
    /// The image size is out of range.
    #[error("image size {}x{} is out of range: each side must be {} to {} pixels", .0[0], .0[1], SIZE_RANGE_PX.start(), SIZE_RANGE_PX.end())]
    Size([u32; 2]),
    /// The date range holds no frame.
    #[error("the animation has no frames: --to is before --from")]
    NoFrames,
}

/// The dates of an animation's frames: `from`, then every `step_days`
/// while not after `to`. Empty when `to` is before `from` or the step is
/// not positive.
pub fn frame_dates(from: Day, to: Day, step_days: i32) -> Vec<Day> {
    if step_days <= 0 || to < from {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        out.push(day);
        day = day.offset(step_days);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_step_from_the_start() {
        assert_eq!(
            frame_dates(Day(10), Day(16), 3),
            [Day(10), Day(13), Day(16)]
        );
        assert_eq!(frame_dates(Day(10), Day(15), 3), [Day(10), Day(13)]);
        assert!(frame_dates(Day(10), Day(9), 1).is_empty());
        assert!(frame_dates(Day(10), Day(20), 0).is_empty());
    }
}
