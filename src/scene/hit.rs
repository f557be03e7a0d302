//! What is under the pointer: an event city, an event province, or a piece
//! of the basemap.

use super::{Camera, Scene, Viewport};
use crate::atlas::{Atlas, RegionId};
use crate::model::{Dataset, Location, PlaceIdx};

/// Something the pointer is over.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Hit {
    /// A place of the dataset.
    Place(PlaceIdx),
    /// A basemap region with no events (its name is shown in a tooltip).
    Region(RegionId),
}

/// How far from a marker's edge a click still counts, in pixels.
const SLOP_PX: f32 = 3.0;

/// The topmost thing at `screen`: markers (last drawn first), then event
/// regions (provinces before countries), then the basemap's provinces and
/// countries.
pub fn hit_test(
    scene: &Scene,
    dataset: &Dataset,
    atlas: &Atlas,
    camera: &Camera,
    viewport: &Viewport,
    screen: [f32; 2],
) -> Option<Hit> {
    if !viewport.contains(screen, 0.0) {
        return None;
    }
    let marker = scene.markers.iter().rev().find(|m| {
        let dx = m.pos[0] - screen[0];
        let dy = m.pos[1] - screen[1];
        (dx * dx + dy * dy).sqrt() <= m.radius_px + SLOP_PX
    });
    if let Some(m) = marker {
        return Some(Hit::Place(m.place));
    }
    let world = camera.world_from_screen(viewport, screen);
    let mut event_regions: Vec<(PlaceIdx, RegionId)> = dataset
        .places
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p.location {
            Some(Location::Region(id)) => Some((u32::try_from(i).ok()?, id)),
            _ => None,
        })
        .collect();
    // Provinces lie inside countries: test the smaller first.
    event_regions.sort_by_key(|&(p, id)| (std::cmp::Reverse(id.level), p));
    for (place, id) in event_regions {
        if atlas.region(id).is_some_and(|r| r.contains_world(world)) {
            return Some(Hit::Place(place));
        }
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
