//! What to draw on the map for a time window and a viewport, in screen
//! coordinates, with no knowledge of egui: the same [`Scene`] is painted by
//! the app and rendered to PNG headlessly.

mod build;
mod camera;
pub mod fit;
mod hit;
mod labels;
mod states;
mod style;

pub use build::{SceneCache, SceneInput, build_scene};
pub use camera::{Camera, Viewport};
pub use hit::{Hit, hit_test};
pub use labels::{Anchor, Label};
pub use states::{active_counts, place_states};
pub use style::{ATTRIBUTION, PlaceState, Rgba, Style, category_color};

use crate::atlas::RegionId;
use crate::model::PlaceIdx;

/// Filled triangles in screen coordinates (a country, a province).
#[derive(Clone, Debug, PartialEq)]
pub struct MeshShape {
    /// Triangle corners.
    pub vertices: Vec<[f32; 2]>,
    /// Three indices into `vertices` per triangle.
    pub indices: Vec<u32>,
    /// Fill colour.
    pub color: Rgba,
}

/// A polyline in screen coordinates (a border).
#[derive(Clone, Debug, PartialEq)]
pub struct LineShape {
    /// The points, in order.
    pub points: Vec<[f32; 2]>,
    /// Whether the last point joins the first.
    pub closed: bool,
    /// Line width in logical pixels.
    pub width_px: f32,
    /// Line colour.
    pub color: Rgba,
}

/// An event city on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// The place it stands for.
    pub place: PlaceIdx,
    /// Centre, in screen coordinates.
    pub pos: [f32; 2],
    /// Radius in logical pixels.
    pub radius_px: f32,
    /// Fill colour.
    pub fill: Rgba,
    /// Outline colour.
    pub stroke: Rgba,
    /// Outline width.
    pub stroke_px: f32,
    /// How the place relates to the window and selection.
    pub state: PlaceState,
    /// Events in the window at this place.
    pub active_events: u32,
}

/// The screen area of an event place (a marker or a province), for hover,
/// click and the accessibility tree.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceArea {
    /// The place.
    pub place: PlaceIdx,
    /// Its basemap region, for provinces and countries.
    pub region: Option<RegionId>,
    /// Screen bounding box `[min_x, min_y, max_x, max_y]`, clipped to the viewport.
    pub rect: [f32; 4],
    /// Its state.
    pub state: PlaceState,
    /// Events in the window at this place.
    pub active_events: u32,
}

/// Everything to draw, back to front: `meshes`, `lines`, `dots`, `markers`, `labels`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    /// Fill behind everything (the sea).
    pub background: Option<Rgba>,
    /// Filled areas.
    pub meshes: Vec<MeshShape>,
    /// Borders and outlines.
    pub lines: Vec<LineShape>,
    /// Reference cities of the basemap (drawn under event markers).
    pub dots: Vec<Marker>,
    /// Event cities.
    pub markers: Vec<Marker>,
    /// Labels that survived collision, in priority order.
    pub labels: Vec<Label>,
    /// Event places on screen.
    pub place_areas: Vec<PlaceArea>,
}
