//! The CPU renderer: a [`crate::scene::Scene`] to an image with
//! `tiny_skia`, framed as a figure (title, window in words, legend,
//! attribution), and a project's story as the frames of an animation with
//! its captions. No egui and no GPU, so maps render headless (the CLI, CI)
//! and exactly the same on every machine.

mod card;
mod encode;
mod figure;
mod paint;
mod story;
mod text;
mod view;

pub use encode::{EncodeError, GifStream, encode_png, to_rgba_image};
pub use figure::{FigureSpec, window_words};
pub use paint::paint_scene;
pub use story::{
    MAX_FPS, MAX_HOLD_SECS, PRESENTED_MAP_PX, Shot, StoryFrame, StorySpec, StoryTiming,
    presented_extent, render_story, schedule, story_state,
};
pub use text::{line_height_px, text_width_px};
pub use view::{Extent, MapFrame, ViewError, camera_for, in_mode, map_frame, view_at};

use std::sync::Arc;

use image::RgbaImage;

use crate::atlas::Atlas;
use crate::model::{Dataset, Day};
use crate::scene::{MapMode, SceneCache};
use crate::state::{Command, ViewState};
use crate::time::{Choices, TimeCommand, WindowRule, WindowWidth};

/// Smallest and largest image side we render, in pixels: below, no legend
/// fits; above, memory use gets silly for a map.
pub const SIZE_RANGE_PX: std::ops::RangeInclusive<u32> = 64..=8192;

/// The most frames an animation has unless the user asks for more: each
/// frame takes a render (seconds at large sizes) and its share of the disk,
/// so a range typed wrong (years for days) should stop, not run for hours.
pub const MAX_FRAMES: usize = 1000;

/// `WIDTHxHEIGHT` in pixels, each side within [`SIZE_RANGE_PX`]: what the
/// `render` command and the app's export window both accept.
///
/// # Errors
/// A message naming the form and range.
pub fn parse_image_size(text: &str) -> Result<[u32; 2], String> {
    let range = format!("{} to {}", SIZE_RANGE_PX.start(), SIZE_RANGE_PX.end());
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("'{text}' is not a size: use WIDTHxHEIGHT, e.g. 1400x900"))?;
    let side = |s: &str| {
        s.trim()
            .parse::<u32>()
            .ok()
            .filter(|v| SIZE_RANGE_PX.contains(v))
    };
    match (side(w), side(h)) {
        (Some(w), Some(h)) => Ok([w, h]),
        _ => Err(format!("'{text}': width and height must be {range} pixels")),
    }
}

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
/// each with the same window width, filter and framing.
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
    /// Which events each frame's window holds.
    pub rule: WindowRule,
    /// The events shown: every one when nothing is chosen.
    pub choices: Choices,
    /// Places, or regions filled by their events.
    pub mode: MapMode,
    /// Size, extent and style of every frame.
    pub figure: FigureSpec,
}

impl AnimationSpec {
    /// How many frames the animation has, counted without listing them.
    pub fn frame_count(&self) -> u64 {
        frame_count(self.from, self.to, self.step_days)
    }

    /// The number of frames, when there is at least one and no more than
    /// `max_frames`.
    ///
    /// # Errors
    /// [`RenderError::NoFrames`] or [`RenderError::TooManyFrames`].
    pub fn checked_frame_count(&self, max_frames: usize) -> Result<usize, RenderError> {
        check_frame_count(self.frame_count(), max_frames)
    }
}

/// `count` frames as a `usize`, when there is at least one and no more
/// than `max_frames`.
///
/// # Errors
/// [`RenderError::NoFrames`] or [`RenderError::TooManyFrames`].
pub fn check_frame_count(count: u64, max_frames: usize) -> Result<usize, RenderError> {
    match usize::try_from(count) {
        Ok(0) => Err(RenderError::NoFrames),
        Ok(n) if n <= max_frames => Ok(n),
        _ => Err(RenderError::TooManyFrames {
            count,
            max: max_frames,
        }),
    }
}

/// Renders an animation's frames in date order, one at a time as the
/// iterator is advanced, so a caller that writes each away holds one frame.
/// Frame `n` shows the window ending at `from + n * step_days`, so the
/// output is the same every run. The frame count is checked against
/// `max_frames` before anything is drawn.
///
/// # Errors
/// The whole: no frames, or more than `max_frames`. Each frame: its date is
/// outside the data, a category is unknown, or the size is out of range.
pub fn render_frames<'a>(
    dataset: &'a Arc<Dataset>,
    atlas: &'a Atlas,
    cache: &'a SceneCache,
    spec: &'a AnimationSpec,
    max_frames: usize,
) -> Result<impl Iterator<Item = Result<Frame, RenderError>> + 'a, RenderError> {
    spec.checked_frame_count(max_frames)?;
    let frames = frame_dates(spec.from, spec.to, spec.step_days).map(move |day| {
        let mut state = view_at(Arc::clone(dataset), day, spec.window, &spec.choices)?;
        state.apply_all([Command::Time(TimeCommand::SetRule(spec.rule))]);
        in_mode(&mut state, atlas, spec.mode);
        let rendered = render(&state, atlas, cache, &spec.figure)
            .ok_or(RenderError::Size(spec.figure.size_px))?;
        Ok(Frame {
            window: state.time().window(),
            rendered,
        })
    });
    Ok(frames)
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
    /// The story has no slides.
    #[error(
        "the story has no slides: mark bookmarks \"In the story\" in the app's Bookmarks panel and save the project"
    )]
    NoSlides,
    /// The date range holds more frames than allowed.
    #[error(
        "the animation would have {count} frames, more than the limit of {max}: take a larger step or a shorter range"
    )]
    TooManyFrames {
        /// Frames the range and step give.
        count: u64,
        /// The limit.
        max: usize,
    },
}

/// How many frames [`frame_dates`] gives, computed rather than listed.
pub fn frame_count(from: Day, to: Day, step_days: i32) -> u64 {
    let span = i64::from(to.0) - i64::from(from.0);
    match (u64::try_from(span), u64::try_from(step_days)) {
        (Ok(span), Ok(step)) if step > 0 => span / step + 1,
        _ => 0,
    }
}

/// The dates of an animation's frames: `from`, then every `step_days`
/// while not after `to`. Empty when `to` is before `from` or the step is
/// not positive. Lazy, so a huge range costs nothing until it is walked
/// (callers check [`frame_count`] first).
pub fn frame_dates(from: Day, to: Day, step_days: i32) -> impl Iterator<Item = Day> {
    let count = frame_count(from, to, step_days);
    (0..count).map(move |n| {
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        let day = i64::from(from.0).saturating_add(n.saturating_mul(i64::from(step_days)));
        Day(i32::try_from(day).unwrap_or(to.0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_step_from_the_start() {
        let dates = |from, to, step| frame_dates(Day(from), Day(to), step).collect::<Vec<_>>();
        assert_eq!(dates(10, 16, 3), [Day(10), Day(13), Day(16)]);
        assert_eq!(dates(10, 15, 3), [Day(10), Day(13)]);
        assert!(dates(10, 9, 1).is_empty());
        assert!(dates(10, 20, 0).is_empty());
        assert_eq!(frame_count(Day(10), Day(16), 3), 3);
        assert_eq!(frame_count(Day(10), Day(9), 1), 0);
        // The last day there is: no overflow, no endless walk.
        let last = Day(i32::MAX);
        assert_eq!(dates(i32::MAX - 2, i32::MAX, 2), [last.offset(-2), last]);
        assert_eq!(frame_count(Day(i32::MIN), last, 1), 1 << 32);
    }

    #[test]
    fn the_frame_count_is_checked_before_drawing() {
        // 0001-01-01 to 9999-12-31, a frame a day.
        let (Some(first), Some(last)) =
            (Day::parse_iso("0001-01-01"), Day::parse_iso("9999-12-31"))
        else {
            panic!("dates parse");
        };
        let count = frame_count(first, last, 1);
        assert_eq!(count, 3_652_059);
        assert_eq!(
            check_frame_count(count, MAX_FRAMES),
            Err(RenderError::TooManyFrames {
                count,
                max: MAX_FRAMES
            })
        );
        assert_eq!(check_frame_count(1000, MAX_FRAMES), Ok(1000));
        assert_eq!(check_frame_count(1001, 2000), Ok(1001));
        assert_eq!(check_frame_count(0, MAX_FRAMES), Err(RenderError::NoFrames));
    }

    #[test]
    fn sizes_parse_or_say_why() {
        assert_eq!(parse_image_size("320x200"), Ok([320, 200]));
        assert_eq!(parse_image_size("64X8192"), Ok([64, 8192]));
        assert!(parse_image_size("10x10").is_err());
        assert!(parse_image_size("8193x100").is_err());
        assert!(parse_image_size("big").is_err());
    }
}
