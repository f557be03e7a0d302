//! A project's story rendered without a window, as the app presents it:
//! the first slide, then for each next one the bookmark's eased move there
//! drawn frame by frame, each slide held with its caption card. Time is
//! counted in frames at a fixed rate and the view advanced by
//! [`ViewState::tick`] with a fixed step, never read from a clock, so a
//! story gives the same pictures every run.

use std::sync::Arc;

use image::RgbaImage;

use super::card::{draw_card, layout_card};
use super::encode::to_rgba_image;
use super::figure::{FigureSpec, render_figure};
use super::view::{Extent, in_mode};
use super::{RenderError, SIZE_RANGE_PX};
use crate::atlas::Atlas;
use crate::model::Dataset;
use crate::scene::{Camera, SceneCache, Style, Viewport};
use crate::state::{BookmarkCommand, Command, FLIGHT_SECS, View, ViewState};

/// The highest frame rate: GIF delays count hundredths of a second, and
/// viewers slow down frames shorter than 20 ms.
pub const MAX_FPS: u32 = 50;

/// The longest a slide may be held, in seconds (a GIF frame's delay ends
/// at about eleven minutes).
pub const MAX_HOLD_SECS: f64 = 600.0;

/// The size of the map the story is presented in, in the app's pixels: its
/// default 1400×900 window less the menu bar and the timeline.
///
/// A bookmark's camera counts pixels per world unit, which says what it
/// shows only with the size of the map it was kept in, and the project
/// does not store that size. So the render shows the world this map would
/// show around the camera's centre, fitted into its own map: a story looks
/// alike at every export size (a small preview shows the same places as a
/// full one), and at the default 1400×900 it is the bookmark's camera as
/// it is, as the app presents it in its default window.
pub const PRESENTED_MAP_PX: [f32; 2] = [1400.0, 640.0];

/// How a story plays: the frame rate of the moves and how long each slide
/// is held.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct StoryTiming {
    /// Frames per second (1 to [`MAX_FPS`]).
    pub fps: u32,
    /// Seconds each slide is held.
    pub hold_secs: f64,
}

impl StoryTiming {
    /// One frame period in milliseconds.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "at most 1000"
    )]
    pub fn frame_ms(&self) -> u32 {
        (1000.0 / f64::from(self.fps.max(1))).round() as u32
    }

    /// Frames drawn while the map flies to a slide: one every frame period
    /// through [`FLIGHT_SECS`], less the landing, which is the slide's held
    /// frame. None below 4 fps: the slides then cut.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a small positive count"
    )]
    pub fn move_frames(&self) -> u32 {
        let periods = (FLIGHT_SECS * f64::from(self.fps.max(1))).ceil() as u32;
        periods.saturating_sub(1)
    }

    /// Frame periods a slide is held: the hold at the frame rate, at
    /// least one.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "the hold and rate are bounded"
    )]
    pub fn hold_periods(&self) -> u32 {
        let periods = (self.hold_secs * f64::from(self.fps.max(1))).round();
        periods.clamp(1.0, f64::from(u32::MAX)) as u32
    }

    /// The pictures a story of `slides` slides has (a GIF's frames): each
    /// slide once, and the moves between them,
    /// `slides + (slides − 1) × move_frames`.
    pub fn pictures(&self, slides: usize) -> u64 {
        let (slides, moves) = (slides as u64, slides.saturating_sub(1) as u64);
        slides + moves * u64::from(self.move_frames())
    }

    /// The frame periods the story lasts (a frames folder's files): each
    /// slide held and each move's frames,
    /// `slides × hold_periods + (slides − 1) × move_frames`.
    pub fn periods(&self, slides: usize) -> u64 {
        let (slides, moves) = (slides as u64, slides.saturating_sub(1) as u64);
        slides * u64::from(self.hold_periods()) + moves * u64::from(self.move_frames())
    }
}

/// One picture of a story: the slide it is of (its position in the
/// story), whether the map is still on its way there, and how many frame
/// periods it lasts.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Shot {
    /// The slide, counted from 0 in the story's order.
    pub slide: usize,
    /// Whether this is a frame of the move to the slide.
    pub moving: bool,
    /// Frame periods it lasts.
    pub periods: u32,
}

/// The story's pictures in order: the first slide held (shown without a
/// move), then for each next slide the frames of the move there, a period
/// each, and the slide held. [`StoryTiming::pictures`] and
/// [`StoryTiming::periods`] count them.
pub fn schedule(slides: usize, timing: &StoryTiming) -> Vec<Shot> {
    let hold = |slide| Shot {
        slide,
        moving: false,
        periods: timing.hold_periods(),
    };
    let moving = |slide| Shot {
        slide,
        moving: true,
        periods: 1,
    };
    let mut shots = Vec::new();
    for slide in 0..slides {
        if slide > 0 {
            shots.extend((0..timing.move_frames()).map(|_| moving(slide)));
        }
        shots.push(hold(slide));
    }
    shots
}

/// What a story render makes: the timing, the picture size and the looks.
#[derive(Clone, Debug, PartialEq)]
pub struct StorySpec {
    /// Frame rate and hold.
    pub timing: StoryTiming,
    /// Width and height of every picture, in pixels.
    pub size_px: [u32; 2],
    /// Colours and sizes.
    pub style: Style,
}

/// A rendered picture of a story.
#[derive(Clone, Debug)]
pub struct StoryFrame {
    /// Which slide, and for how long.
    pub shot: Shot,
    /// The figure with its caption card.
    pub image: RgbaImage,
    /// Where the caption card is, `[left, top, right, bottom]` in pixels;
    /// `None` when the map had no room for it.
    pub card: Option<[f32; 4]>,
}

/// The view a project's story starts from: `view` taken whole, its map
/// mode with the regions it needs.
pub fn story_state(dataset: Arc<Dataset>, view: View, atlas: &Atlas) -> ViewState {
    let mode = view.map_mode;
    let mut state = ViewState::new(dataset);
    // Kept cameras are fitted to the presented map, which the figure shows.
    state.apply_all([
        Command::SetMapSize(PRESENTED_MAP_PX),
        Command::SetView(Box::new(view)),
    ]);
    in_mode(&mut state, atlas, mode);
    state
}

/// The part of the world the map shows for `camera`: what the presented
/// map shows (see [`PRESENTED_MAP_PX`]).
pub fn presented_extent(camera: &Camera) -> Extent {
    let [w, h] = PRESENTED_MAP_PX;
    let (min, max) = camera.visible_world(&Viewport::sized(w, h));
    Extent::World(min, max)
}

/// Renders `state`'s story picture by picture as the iterator is advanced
/// (see [`schedule`]), so a caller that writes each away holds one. During
/// a move the card is the slide being flown to, as in the app.
///
/// # Errors
/// The whole: the size is out of range, or the story has no slides.
pub fn render_story<'a>(
    state: ViewState,
    atlas: &'a Atlas,
    cache: &'a SceneCache,
    spec: &'a StorySpec,
) -> Result<impl Iterator<Item = Result<StoryFrame, RenderError>> + 'a, RenderError> {
    if !spec.size_px.iter().all(|s| SIZE_RANGE_PX.contains(s)) {
        return Err(RenderError::Size(spec.size_px));
    }
    let slides = state.bookmarks().slides();
    if slides.is_empty() {
        return Err(RenderError::NoSlides);
    }
    let shots = schedule(slides.len(), &spec.timing);
    let mut player = Player {
        state,
        slides,
        current: None,
        dt_secs: 1.0 / f64::from(spec.timing.fps.max(1)),
    };
    Ok(shots.into_iter().map(move |shot| {
        player.advance(shot);
        draw_shot(&player, shot, atlas, cache, spec)
    }))
}

/// The view as the story plays.
struct Player {
    state: ViewState,
    /// The story's bookmarks, by position in the story.
    slides: Vec<usize>,
    /// The slide flown to last.
    current: Option<usize>,
    dt_secs: f64,
}

impl Player {
    /// Moves the view to `shot`: a new slide starts its bookmark's flight,
    /// a moving frame is a frame period further along it, and a held one
    /// has landed.
    fn advance(&mut self, shot: Shot) {
        if self.current != Some(shot.slide) {
            self.current = Some(shot.slide);
            if let Some(&bookmark) = self.slides.get(shot.slide) {
                let go = Command::Bookmark(BookmarkCommand::GoTo(bookmark));
                self.state.apply_all([go]);
            }
        }
        // A whole flight's time lands any flight under way.
        self.state.tick(if shot.moving {
            self.dt_secs
        } else {
            FLIGHT_SECS
        });
    }
}

/// The figure for the player's view with the slide's caption card.
fn draw_shot(
    player: &Player,
    shot: Shot,
    atlas: &Atlas,
    cache: &SceneCache,
    spec: &StorySpec,
) -> Result<StoryFrame, RenderError> {
    let state = &player.state;
    let figure = FigureSpec {
        size_px: spec.size_px,
        extent: presented_extent(state.camera()),
        style: spec.style.clone(),
    };
    let (mut pixmap, map) =
        render_figure(state, atlas, cache, &figure).ok_or(RenderError::Size(spec.size_px))?;
    let bookmark = player
        .slides
        .get(shot.slide)
        .and_then(|&i| state.bookmarks().get(i));
    let place = format!("{} of {}", shot.slide + 1, player.slides.len());
    let card = bookmark.and_then(|b| layout_card(&b.name, &b.caption, &place, &map.viewport));
    if let Some(card) = &card {
        draw_card(&mut pixmap, card, &spec.style);
    }
    Ok(StoryFrame {
        shot,
        image: to_rgba_image(&pixmap),
        card: card.map(|c| c.rect),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing(fps: u32, hold_secs: f64) -> StoryTiming {
        StoryTiming { fps, hold_secs }
    }

    #[test]
    fn moves_take_the_flight_and_holds_the_hold() {
        // 10 fps: frames at 0.1 to 0.4 s of the half-second flight, the
        // landing at 0.5 s held.
        let t = timing(10, 3.0);
        assert_eq!(
            (t.move_frames(), t.hold_periods(), t.frame_ms()),
            (4, 30, 100)
        );
        assert_eq!(timing(25, 2.0).move_frames(), 12);
        assert_eq!(timing(30, 1.0).frame_ms(), 33);
        // Below 4 fps a slide cuts to the next; a hold is at least a frame.
        assert_eq!(timing(2, 0.1).move_frames(), 0);
        assert_eq!(timing(2, 0.1).hold_periods(), 1);
    }

    #[test]
    fn the_schedule_holds_each_slide_and_moves_between_them() {
        let t = timing(4, 1.5);
        let shots = schedule(3, &t);
        let short: Vec<(usize, bool, u32)> = shots
            .iter()
            .map(|s| (s.slide, s.moving, s.periods))
            .collect();
        assert_eq!(
            short,
            [
                (0, false, 6),
                (1, true, 1),
                (1, false, 6),
                (2, true, 1),
                (2, false, 6)
            ]
        );
        assert!(schedule(0, &t).is_empty());
        for (slides, fps, hold) in [(1, 10, 3.0), (6, 10, 3.0), (6, 4, 1.0), (5, 1, 2.0)] {
            let t = timing(fps, hold);
            let shots = schedule(slides, &t);
            let periods: u64 = shots.iter().map(|s| u64::from(s.periods)).sum();
            assert_eq!(shots.len() as u64, t.pictures(slides), "{slides} {fps}");
            assert_eq!(periods, t.periods(slides), "{slides} {fps}");
        }
        // The seed tour at the defaults: 6 GIF frames held and 5 moves of 4.
        assert_eq!(timing(10, 3.0).pictures(6), 26);
        assert_eq!(timing(10, 3.0).periods(6), 200);
    }

    #[test]
    fn the_presented_map_shows_the_bookmarks_camera_as_it_is() {
        let camera = Camera {
            center_world: [0.65, 0.4],
            px_per_world: 6480.0,
        };
        let Extent::World(min, max) = presented_extent(&camera) else {
            panic!("a world extent");
        };
        let [w, h] = PRESENTED_MAP_PX.map(f64::from);
        let fitted = Camera::fit(min, max, &Viewport::sized(w as f32, h as f32), 0.0);
        assert!((fitted.px_per_world - camera.px_per_world).abs() < 1e-6);
        assert!((fitted.center_world[0] - 0.65).abs() < 1e-12);
        // Half the size shows the same world at half the scale.
        let half = Camera::fit(min, max, &Viewport::sized(700.0, 320.0), 0.0);
        assert!((half.px_per_world - camera.px_per_world / 2.0).abs() < 1e-6);
    }
}
