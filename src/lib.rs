//! chronomap: news and conflict events on a world map, linked to a timeline.
//!
//! Everything outside [`ui`] is free of egui so that it can be unit-tested
//! alone and rendered headlessly: the data [`model`], the file [`load`]ers,
//! the [`atlas`] (basemap, gazetteer) over the shared [`geometry`] (projection,
//! outlines, simplification), the [`time`] index and
//! control, the [`scene`] that says what to draw for a date window and a
//! viewport; and the [`timings`] that `--timings` prints. The window
//! (`ui`, egui) is the `app` feature, on by default.

pub mod allocator;
pub mod atlas;
pub mod cli;
pub mod export;
pub mod fonts;
pub mod geometry;
pub mod halves;
pub mod load;
pub mod model;
pub mod prefetch;
pub mod project;
pub mod remote;
pub mod render;
pub mod scene;
pub mod state;
#[cfg(test)]
mod test_rng;
pub mod time;
pub mod timings;
#[cfg(feature = "app")]
pub mod ui;
