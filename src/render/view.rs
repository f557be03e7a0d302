//! The map for a date, window and extent, computed without a window: the
//! window and filter logic is [`ViewState`]'s, the framing is the app's
//! [`fit_to_dataset`], so the CLI, the export dialog and the tests all see
//! what the app shows.

use std::sync::Arc;

use crate::atlas::Atlas;
use crate::model::{Dataset, Day};
use crate::scene::fit::{fit_to_dataset, fit_to_lon_lat_box};
use crate::scene::{
    Camera, MapMode, Scene, SceneCache, Style, Viewport, build_scene, place_regions,
};
use crate::state::{Command, SharedRegions, ViewState};
use crate::time::{Choices, EventFilter, TimeCommand, WindowWidth};

/// Which part of the world the map shows.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Extent {
    /// Every located place of the dataset, as the app fits it.
    Data,
    /// A box `[west, south, east, north]` in degrees.
    LonLatBox([f64; 4]),
    /// A world rectangle `(min, max)`: what the app's map shows right now.
    World([f64; 2], [f64; 2]),
}

/// A built scene with the camera and viewport it was built for, so that
/// callers (and tests) can project places onto the image.
#[derive(Clone, Debug)]
pub struct MapFrame {
    /// What to draw.
    pub scene: Scene,
    /// Where the map looks.
    pub camera: Camera,
    /// Where in the image the map is drawn.
    pub viewport: Viewport,
}

/// Why a view could not be set up.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ViewError {
    /// The date lies outside the data, where the app's cursor cannot go.
    #[error("{date} is outside the data, which spans {first} to {last}")]
    OutsideData {
        /// The date asked for.
        date: Day,
        /// The data's first day.
        first: Day,
        /// The data's last day.
        last: Day,
    },
}

/// A view of `dataset` at `date` with `window`, showing the events that
/// pass `choices` (see [`crate::time::Choices`]).
///
/// # Errors
/// When `date` is outside the data.
pub fn view_at(
    dataset: Arc<Dataset>,
    date: Day,
    window: WindowWidth,
    choices: &Choices,
) -> Result<ViewState, ViewError> {
    let mut state = ViewState::new(dataset);
    let filter = EventFilter {
        choices: choices.clone(),
        ..EventFilter::default()
    };
    state.apply_all([
        Command::Time(TimeCommand::SetCursor(date)),
        Command::Time(TimeCommand::SetWindow(window)),
        Command::SetFilter(filter),
    ]);
    if window != WindowWidth::All && state.time().cursor() != date {
        let (first, last) = state.time().bounds();
        return Err(ViewError::OutsideData { date, first, last });
    }
    Ok(state)
}

/// Puts `state`'s map in `mode`, with the regions of its places (found on
/// `atlas` once a dataset, and kept with it for the next frames) where the
/// mode, or a point known only to its region, needs them.
pub fn in_mode(state: &mut ViewState, atlas: &Atlas, mode: MapMode) {
    if mode == MapMode::Points && !state.needs_place_regions() {
        return;
    }
    let regions = Arc::clone(place_regions(state.dataset(), atlas));
    state.apply_all([
        Command::SetPlaceRegions(SharedRegions(regions)),
        Command::SetMapMode(mode),
    ]);
}

/// The camera for `extent` in `viewport`.
pub fn camera_for(
    extent: &Extent,
    dataset: &Dataset,
    atlas: &Atlas,
    viewport: &Viewport,
) -> Camera {
    match *extent {
        Extent::Data => fit_to_dataset(dataset, atlas, viewport),
        Extent::LonLatBox(bbox) => fit_to_lon_lat_box(bbox, viewport),
        Extent::World(min, max) => Camera::fit(min, max, viewport, 0.0),
    }
}

/// The scene the app would draw for `state` in `viewport`, framed by `extent`.
pub fn map_frame(
    state: &ViewState,
    atlas: &Atlas,
    cache: &SceneCache,
    extent: &Extent,
    viewport: Viewport,
    style: &Style,
) -> MapFrame {
    let camera = camera_for(extent, state.dataset(), atlas, &viewport);
    let scene = build_scene(
        &state.scene_input(atlas, &camera, viewport, style, None),
        cache,
    );
    MapFrame {
        scene,
        camera,
        viewport,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DateSpan, Event, Events};

    fn dataset() -> Arc<Dataset> {
        let event = |id: &str, day: i32, category: u16| Event {
            title: id.into(),
            category,
            ..Event::new(id, DateSpan::day(Day(day)))
        };
        Arc::new(Dataset {
            title: "t".into(),
            events: Events::from_rows(vec![event("a", 10, 0), event("b", 12, 1)]),
            categories: vec!["report".into(), "talks".into()],
            ..Dataset::default()
        })
    }

    #[test]
    fn the_window_ends_at_the_date() {
        let state = view_at(
            dataset(),
            Day(12),
            WindowWidth::Days(3),
            &Choices::default(),
        );
        let state = state.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(state.time().window(), (Day(10), Day(12)));
        assert_eq!(state.active(), [0, 1]);
    }

    #[test]
    fn the_choices_filter_the_view() {
        let mut choices = Choices::default();
        choices.click(crate::model::Facet::Category, "talks", false);
        let state = view_at(dataset(), Day(12), WindowWidth::All, &choices);
        assert_eq!(state.map(|s| s.active().to_vec()), Ok(vec![1]));
    }

    #[test]
    fn dates_outside_the_data_are_errors() {
        let bad = view_at(
            dataset(),
            Day(30),
            WindowWidth::Days(1),
            &Choices::default(),
        );
        assert_eq!(
            bad.err(),
            Some(ViewError::OutsideData {
                date: Day(30),
                first: Day(10),
                last: Day(12)
            })
        );
    }
}
