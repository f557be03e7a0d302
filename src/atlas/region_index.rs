//! Which region a point lies in, asked for a million points at a time: an
//! R-tree (`rstar`) of the regions' bounding boxes finds the few whose box
//! holds the point, and only their outlines are tested.

use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use super::{Region, RegionId};

/// A region's bounding box in world coordinates, with its position in the
/// list it came from.
type Boxed = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// The regions of one level, by bounding box.
#[derive(Debug)]
pub struct RegionIndex {
    tree: RTree<Boxed>,
}

impl RegionIndex {
    /// The index of `regions` (those with an outline).
    pub fn new(regions: &[Region]) -> Self {
        let boxes = regions
            .iter()
            .enumerate()
            .filter(|(_, r)| r.bbox_world.min[0] <= r.bbox_world.max[0])
            .filter_map(|(i, r)| {
                let rect = Rectangle::from_corners(r.bbox_world.min, r.bbox_world.max);
                Some(GeomWithData::new(rect, u32::try_from(i).ok()?))
            })
            .collect();
        Self {
            tree: RTree::bulk_load(boxes),
        }
    }

    /// The smallest (by bounding box) region of `regions` (the list the
    /// index was made of) whose outline holds `point_world`: an enclave wins
    /// over the region around it even where the enclave's hole was too small
    /// to keep.
    pub fn region_at(&self, regions: &[Region], point_world: [f64; 2]) -> Option<RegionId> {
        self.tree
            .locate_all_at_point(&point_world)
            .filter_map(|boxed| regions.get(boxed.data as usize))
            .filter(|region| region.finest().contains_world(point_world))
            .map(|region| {
                let [width, height] = region.bbox_world.size();
                (width * height, region.id)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
            .map(|(_, id)| id)
    }
}
