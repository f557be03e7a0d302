//! What is under the pointer: a cluster, an event city, an event province,
//! or a piece of the basemap. Only what the scene drew is tested, so the
//! cost follows the screen, not the dataset.

use super::{Camera, ClusterId, PlaceShape, Scene, Viewport};
use crate::atlas::{Atlas, RegionId};
use crate::model::PlaceIdx;

/// Something the pointer is over.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Hit {
    /// A place of the dataset.
    Place(PlaceIdx),
    /// A cluster of places (clicking it zooms in until it splits).
    Cluster(ClusterId),
    /// A basemap region with no events (its name is shown in a tooltip).
    Region(RegionId),
}

/// How far from a marker's edge a click still counts, in pixels.
const SLOP_PX: f32 = 3.0;

/// The topmost thing at `screen`: clusters and markers (last drawn first),
/// then event regions (provinces before countries), then the basemap's
/// provinces and countries.
pub fn hit_test(
    scene: &Scene,
    atlas: &Atlas,
    camera: &Camera,
    viewport: &Viewport,
    screen: [f32; 2],
) -> Option<Hit> {
    if !viewport.contains(screen, 0.0) {
        return None;
    }
    let near = |pos: [f32; 2], radius_px: f32| {
        let (dx, dy) = (pos[0] - screen[0], pos[1] - screen[1]);
        (dx * dx + dy * dy).sqrt() <= radius_px + SLOP_PX
    };
    // Clusters are drawn over markers: test them first.
    let clusters = scene
        .clusters
        .iter()
        .rev()
        .map(|c| (c.pos, c.radius_px, Hit::Cluster(c.id)));
    let markers = scene
        .markers
        .iter()
        .rev()
        .map(|m| (m.pos, m.radius_px, Hit::Place(m.place)));
    if let Some((.., hit)) = clusters.chain(markers).find(|&(pos, r, _)| near(pos, r)) {
        return Some(hit);
    }
    let world = camera.world_from_screen(viewport, screen);
    // The scene draws provinces after countries and highlighted regions
    // after dimmed ones: the last drawn that holds the point is on top.
    let region = scene.place_areas.iter().rev().find(|a| {
        let [x0, y0, x1, y1] = a.rect;
        let inside = x0 <= screen[0] && screen[0] <= x1 && y0 <= screen[1] && screen[1] <= y1;
        inside
            && match &a.shape {
                PlaceShape::Marker => false,
                PlaceShape::Region(id) => {
                    atlas.region(*id).is_some_and(|r| r.contains_world(world))
                }
                PlaceShape::Area(area) => area.contains_world(world),
            }
    });
    if let Some(area) = region {
        return Some(Hit::Place(area.place));
    }
    // The regions mode's fills, at their own level.
    let filled = scene.region_fills.iter().find(|f| {
        let [x0, y0, x1, y1] = f.rect;
        let inside = x0 <= screen[0] && screen[0] <= x1 && y0 <= screen[1] && screen[1] <= y1;
        inside && atlas.region(f.id).is_some_and(|r| r.contains_world(world))
    });
    if let Some(fill) = filled {
        return Some(Hit::Region(fill.id));
    }
    basemap_hit(atlas, world)
}

fn basemap_hit(atlas: &Atlas, world: [f64; 2]) -> Option<Hit> {
    let find = |regions: &[crate::atlas::Region], level| {
        regions
            .iter()
            .position(|r| r.contains_world(world))
            .and_then(|i| u32::try_from(i).ok())
            .map(|index| Hit::Region(RegionId { level, index }))
    };
    find(&atlas.provinces, crate::atlas::RegionLevel::Province)
        .or_else(|| find(&atlas.countries, crate::atlas::RegionLevel::Country))
}
