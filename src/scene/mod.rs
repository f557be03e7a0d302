//! What to draw on the map for a time window and a viewport, in screen
//! coordinates, with no knowledge of egui: the same [`Scene`] is painted by
//! the app and rendered to PNG headlessly.

mod build;
mod camera;
mod cluster;
pub mod fit;
mod hatch;
mod hit;
mod labels;
mod regions;
mod states;
mod style;

pub use build::{SceneCache, SceneInput, build_scene};
pub use camera::{Camera, Viewport};
pub use cluster::{CELL_PX, ClusterId, Group, MIN_CLUSTER, PlaceIndex, PlaceTally};
pub use hatch::hatch_lines;
pub use hit::{Hit, hit_test};
pub use labels::{Anchor, Label};
pub use regions::{
    Choropleth, MapMode, RAMP, RegionMetric, RegionTotals, ZERO_FILL, class_breaks, class_colour,
    class_label, class_of, class_words, find_place_regions, place_regions, province_namer,
    use_basemap,
};
pub use states::{active_counts, place_states};
pub use style::{ATTRIBUTION, PlaceState, Rgba, Style, category_color};

use std::sync::Arc;

use crate::atlas::RegionId;
use crate::model::{Area, PlaceIdx};

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
    /// Radius of the circle the event may lie within, in logical pixels,
    /// drawn under the marker: 0 for an exact place, else its distance at
    /// true scale but never within the marker.
    pub ring_px: f32,
}

/// Event places that crowd one cell of the screen, drawn as one marker
/// with their count (see [`PlaceIndex`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterMarker {
    /// The quadtree cell it stands for (stable while the map pans).
    pub id: ClusterId,
    /// Centre (the mean of its places), in screen coordinates.
    pub pos: [f32; 2],
    /// Radius in logical pixels: it grows with the count.
    pub radius_px: f32,
    /// Fill colour.
    pub fill: Rgba,
    /// Outline colour.
    pub stroke: Rgba,
    /// Outline width.
    pub stroke_px: f32,
    /// Colour of the count.
    pub text_color: Rgba,
    /// Selected if it holds a place of the selected event, highlighted if
    /// any of its places has events in the window, else dimmed.
    pub state: PlaceState,
    /// How many places it holds.
    pub places: u32,
    /// Events in the window at its places that pass the filters: its
    /// number, and what its size follows.
    pub active_events: u32,
    /// Those of them that certainly happened in the window.
    pub certain_events: u32,
    /// Those of them that certainly happened in the window at an exactly
    /// placed point: the filled arc of its ring is their share.
    pub sure_events: u32,
    /// Events at its places at any date (its tooltip's all-time total).
    pub total_events: u32,
}

impl ClusterMarker {
    /// Font size of the count, in logical pixels.
    pub const TEXT_PX: f32 = 11.0;

    /// The count drawn inside, of its events in the window: "12", "950",
    /// "1.2k", "12k"; none when there are none (the cluster is dimmed).
    pub fn count_text(&self) -> String {
        let n = self.active_events;
        match n {
            0 => String::new(),
            1..=999 => n.to_string(),
            1_000..=9_999 => format!("{}.{}k", n / 1000, n % 1000 / 100),
            _ => format!("{}k", n / 1000),
        }
    }

    /// "12 places": the name of its widget for screen readers and tests.
    pub fn name(&self) -> String {
        format!("{} places", self.places)
    }

    /// The arc of its ring that shows its share of events sure in date
    /// and place: points from the top, clockwise, on a circle just inside
    /// its outline; none when all or none are sure.
    pub fn sure_arc(&self) -> Option<Vec<[f32; 2]>> {
        if self.active_events == 0 || self.sure_events >= self.active_events {
            return None;
        }
        #[expect(clippy::cast_precision_loss, reason = "a share")]
        let share = self.sure_events as f32 / self.active_events as f32;
        if share <= 0.0 {
            return None;
        }
        let r = self.radius_px + self.stroke_px + 1.5;
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a small positive count"
        )]
        let steps = ((share * 48.0).ceil() as usize).max(2);
        let [x, y] = self.pos;
        Some(
            (0..=steps)
                .map(|i| {
                    #[expect(clippy::cast_precision_loss, reason = "a small count")]
                    let a = std::f32::consts::TAU * share * i as f32 / steps as f32;
                    [x + r * a.sin(), y - r * a.cos()]
                })
                .collect(),
        )
    }

    /// The colour of [`ClusterMarker::sure_arc`]: the highlight, whichever
    /// of fill and outline carries it.
    pub fn arc_color(&self) -> Rgba {
        match self.state {
            PlaceState::Active => self.fill,
            _ => self.stroke,
        }
    }

    /// Its screen bounding box `[min_x, min_y, max_x, max_y]`.
    pub fn rect(&self) -> [f32; 4] {
        let [x, y] = self.pos;
        let r = self.radius_px;
        [x - r, y - r, x + r, y + r]
    }
}

/// What an event place is drawn as.
#[derive(Clone, Debug, PartialEq)]
pub enum PlaceShape {
    /// A marker (a city, a point).
    Marker,
    /// A province or country of the basemap, filled.
    Region(RegionId),
    /// An area the file drew, filled like a province.
    Area(Arc<Area>),
}

impl PlaceShape {
    /// Whether it is a filled outline rather than a marker.
    pub fn is_filled(&self) -> bool {
        !matches!(self, Self::Marker)
    }
}

/// The screen area of an event place (a marker, a province, an area), for
/// hover, click and the accessibility tree.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceArea {
    /// The place.
    pub place: PlaceIdx,
    /// What it is drawn as (hit tests follow its outline).
    pub shape: PlaceShape,
    /// Screen bounding box `[min_x, min_y, max_x, max_y]`, clipped to the viewport.
    pub rect: [f32; 4],
    /// A screen point on the place where a click selects it: a marker's
    /// centre, or a filled place's label point (inside it, where its
    /// bounding box's centre may not be: an L-shaped province, a ring).
    pub anchor: [f32; 2],
    /// Its state.
    pub state: PlaceState,
    /// Events in the window at this place.
    pub active_events: u32,
}

/// A region the regions mode filled, for its tooltip, its click and
/// assistive tools.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionFill {
    /// The region.
    pub id: RegionId,
    /// Screen bounding box `[min_x, min_y, max_x, max_y]`, clipped to the viewport.
    pub rect: [f32; 4],
    /// Its label point on screen.
    pub anchor: [f32; 2],
    /// Events in the window that pass the filters.
    pub events: u32,
    /// People killed in them.
    pub fatalities: u64,
    /// Its fill.
    pub fill: Rgba,
}

/// A way the map draws how precisely a place is known, for a legend that
/// explains what the map shows.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceKey {
    /// A marker with a ring: near the place, within the ring.
    Near,
    /// A marker with a wide ring: a region's centre the basemap has no
    /// outline for.
    RegionCentre,
    /// A filled province or area.
    Province,
    /// A hatched country: known only to the country.
    Country,
}

impl PlaceKey {
    /// Every key, in the legend's order.
    pub const ALL: [Self; 4] = [
        Self::Near,
        Self::RegionCentre,
        Self::Province,
        Self::Country,
    ];

    /// What it means, in words.
    pub fn words(self) -> &'static str {
        match self {
            Self::Near => "near the place (within the ring)",
            Self::RegionCentre => "somewhere in a region (its centre)",
            Self::Province => "known to the province or area",
            Self::Country => "known only to the country",
        }
    }
}

/// Everything to draw, back to front: `meshes`, `lines`, `dots`, `markers`,
/// `clusters`, `labels`.
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
    /// Event cities shown one by one.
    pub markers: Vec<Marker>,
    /// Event cities aggregated where they crowd the screen.
    pub clusters: Vec<ClusterMarker>,
    /// Labels that survived collision, in priority order.
    pub labels: Vec<Label>,
    /// Event places on screen, except those inside clusters.
    pub place_areas: Vec<PlaceArea>,
    /// The regions the regions mode filled.
    pub region_fills: Vec<RegionFill>,
    /// How many of the first `meshes` are the basemap's land: they depend
    /// only on the camera and viewport, so a painter may keep them while
    /// those hold (the app does, across day steps and hovering).
    pub basemap_meshes: usize,
    /// How many of the first `lines` are the basemap's borders.
    pub basemap_lines: usize,
    /// The ways of drawing a place's precision that the scene uses, each
    /// once, in [`PlaceKey::ALL`]'s order.
    pub keys: Vec<PlaceKey>,
}

impl Scene {
    /// How many shapes a painter draws for it (a marker is a fill and an
    /// outline; a label its halo and text).
    pub fn shape_count(&self) -> usize {
        usize::from(self.background.is_some())
            + self.meshes.len()
            + self.lines.len()
            + 2 * (self.dots.len() + self.markers.len())
            + 3 * self.clusters.len()
            + 2 * self.labels.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clusters_arc_is_its_share_of_events_sure_in_date_and_place() {
        let mut cluster = ClusterMarker {
            id: ClusterId { depth: 3, cell: 5 },
            pos: [100.0, 100.0],
            radius_px: 10.0,
            fill: Rgba::rgb(222, 68, 20),
            stroke: Rgba::rgb(250, 248, 244),
            stroke_px: 2.0,
            text_color: Rgba::rgb(250, 248, 244),
            state: PlaceState::Active,
            places: 3,
            active_events: 10,
            certain_events: 8,
            sure_events: 5,
            total_events: 20,
        };
        let arc = cluster.sure_arc().expect("half are sure");
        let r = 10.0 + 2.0 + 1.5;
        let close =
            |a: [f32; 2], b: [f32; 2]| (a[0] - b[0]).abs() < 0.01 && (a[1] - b[1]).abs() < 0.01;
        // From the top, clockwise, half way round: to the bottom.
        assert!(close(arc[0], [100.0, 100.0 - r]), "{:?}", arc[0]);
        assert!(
            close(*arc.last().expect("points"), [100.0, 100.0 + r]),
            "{arc:?}"
        );
        assert!(arc.iter().all(|p| p[0] >= 99.99), "the right half");
        assert_eq!(cluster.arc_color(), cluster.fill);
        cluster.sure_events = 10;
        assert_eq!(cluster.sure_arc(), None, "all sure: the whole ring says it");
        cluster.sure_events = 0;
        assert_eq!(cluster.sure_arc(), None);
    }
}
