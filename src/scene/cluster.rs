//! Aggregating event places that crowd the screen.
//!
//! Point places are put once per dataset in Morton (Z) order, the order of a
//! quadtree over the world square, so every quadtree cell is a contiguous
//! run of places and its centre comes from prefix sums in O(1). Each frame
//! takes the cells between half of [`CELL_PX`] and [`CELL_PX`] wide at the
//! current zoom that meet the viewport, skipping empty ones; a cell with at
//! least [`MIN_CLUSTER`] places draws as one marker with its count. Cells are
//! fixed in the world, so clusters hold still while the map pans and split
//! in four each time the zoom doubles. The cost of a frame follows the
//! cells on screen, not the number of places.

use std::ops::Range;
use std::sync::Arc;

use super::{Camera, PlaceState, Viewport};
use crate::atlas::{RegionId, RegionLevel, world_from_lon_lat};
use crate::halves::{in_halves, merged_by_key};
use crate::model::{Area, Dataset, Location, LocationPrecision, NO_REGION, PlaceIdx, PlaceRegions};

/// Levels of the quadtree: at the deepest a cell is about one pixel at the
/// camera's closest zoom (256 × 65,536 pixels per world).
const DEPTH: u32 = 24;
/// The widest a cluster cell may be on screen, in pixels; cells are between
/// half this and this wide.
pub const CELL_PX: f64 = 64.0;
/// The fewest places a cell must hold to draw as a cluster: a pair stays
/// two named markers, since a count would hide both names for little gain.
pub const MIN_CLUSTER: usize = 3;

/// A quadtree cell that holds a cluster: stable while the map pans, so the
/// hovered cluster stays hovered.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClusterId {
    /// Quadtree level: the world is `2^depth` cells wide.
    pub depth: u8,
    /// Morton code of the cell at that level (x in the even bits).
    pub cell: u64,
}

impl ClusterId {
    /// The world square the cell covers, `(min, max)`.
    pub fn world_rect(self) -> ([f64; 2], [f64; 2]) {
        let size = cell_size(u32::from(self.depth));
        let x = f64::from(compact(self.cell));
        let y = f64::from(compact(self.cell >> 1));
        ([x * size, y * size], [(x + 1.0) * size, (y + 1.0) * size])
    }

    /// The Morton codes (at [`DEPTH`]) of the places inside the cell.
    fn code_range(self) -> Range<u64> {
        let shift = 2 * DEPTH.saturating_sub(u32::from(self.depth));
        (self.cell << shift)..((self.cell + 1) << shift)
    }
}

/// A run of places in Morton order that lie in one cell on screen: a
/// cluster, or places shown one by one when there are too few.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The cell.
    pub id: ClusterId,
    /// Positions in [`PlaceIndex`]'s order.
    pub ranks: Range<usize>,
    /// Whether the group draws as one cluster marker rather than one
    /// marker per place.
    pub cluster: bool,
}

/// The event places of a dataset, indexed for the map once per dataset.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlaceIndex {
    /// Morton code of each point place at [`DEPTH`], ascending.
    codes: Vec<u64>,
    /// The place at each rank (parallel to `codes`).
    places: Vec<PlaceIdx>,
    /// World position at each rank.
    world: Vec<[f64; 2]>,
    /// `world_sums[r]`: the sum of `world[..r]`, for cluster centres.
    world_sums: Vec<[f64; 2]>,
    /// `total_sums[r]`: the events at any date at the places of ranks
    /// `..r`, for a cluster's all-time total.
    total_sums: Vec<u64>,
    /// Places that are basemap regions, in place order.
    regions: Vec<(PlaceIdx, RegionId)>,
    /// Places that are areas the file drew, in place order.
    areas: Vec<(PlaceIdx, Arc<Area>)>,
    /// Whether the point at each rank is exactly placed; empty when every
    /// point is (most files), so that a tally sums nothing more.
    exact: Vec<bool>,
}

impl PlaceIndex {
    /// Projects and orders the located places of `dataset`.
    pub fn new(dataset: &Dataset) -> Self {
        Self::with_regions(dataset, None)
    }

    /// Like [`PlaceIndex::new`], with the regions the places lie in: a
    /// point known only to its region (a centre ACLED or GDELT give) is
    /// then that region, drawn as its outline, and not a point.
    pub fn with_regions(dataset: &Dataset, found: Option<&PlaceRegions>) -> Self {
        let count = dataset.places.len();
        // Each half of the places is read and sorted on a thread of its
        // own (a million places of their own take a fifth of a second on
        // one); the two are then read as one sorted list.
        let (mut front, mut back) = (Read::default(), Read::default());
        in_halves(
            count,
            || front = Read::of(dataset, found, 0..count / 2),
            || back = Read::of(dataset, found, count / 2..count),
        );
        let by_rank = |&(code, idx, _, _): &Point| (code, idx);
        let ranked = front.points.len() + back.points.len();
        let mut index = Self {
            codes: Vec::with_capacity(ranked),
            places: Vec::with_capacity(ranked),
            world: Vec::with_capacity(ranked),
            world_sums: Vec::with_capacity(ranked + 1),
            total_sums: Vec::with_capacity(ranked + 1),
            regions: [front.regions, back.regions].concat(),
            areas: [front.areas, back.areas].concat(),
            exact: Vec::with_capacity(ranked),
        };
        let (mut sum, mut total) = ([0.0, 0.0], 0_u64);
        index.world_sums.push(sum);
        index.total_sums.push(total);
        for (code, p, w, exact) in merged_by_key(&front.points, &back.points, by_rank) {
            index.codes.push(code);
            index.places.push(p);
            index.world.push(w);
            index.exact.push(exact);
            sum = [sum[0] + w[0], sum[1] + w[1]];
            index.world_sums.push(sum);
            total += dataset.place_events.of(p).len() as u64;
            index.total_sums.push(total);
        }
        if index.exact.iter().all(|&e| e) {
            index.exact = Vec::new();
        }
        index
    }

    /// How many places are points.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Whether no place is a point.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// The places that are basemap regions (countries and provinces) with
    /// their region, in place order.
    pub fn regions(&self) -> &[(PlaceIdx, RegionId)] {
        &self.regions
    }

    /// The places that are areas the file drew, in place order.
    pub fn areas(&self) -> &[(PlaceIdx, Arc<Area>)] {
        &self.areas
    }

    /// The place at a rank, and its world position.
    pub fn point(&self, rank: usize) -> Option<(PlaceIdx, [f64; 2])> {
        Some((*self.places.get(rank)?, *self.world.get(rank)?))
    }

    /// The mean world position of the places at `ranks`.
    pub fn center(&self, ranks: &Range<usize>) -> Option<[f64; 2]> {
        let (a, b) = (
            self.world_sums.get(ranks.start)?,
            self.world_sums.get(ranks.end)?,
        );
        #[expect(
            clippy::cast_precision_loss,
            reason = "place counts are far below 2^52"
        )]
        let n = ranks.len().max(1) as f64;
        Some([(b[0] - a[0]) / n, (b[1] - a[1]) / n])
    }

    /// The events at any date at the places of `ranks`.
    pub fn total_in(&self, ranks: &Range<usize>) -> u32 {
        let (Some(a), Some(b)) = (
            self.total_sums.get(ranks.start),
            self.total_sums.get(ranks.end),
        ) else {
            return 0;
        };
        u32::try_from(b.saturating_sub(*a)).unwrap_or(u32::MAX)
    }

    /// The ranks of the places inside a cell.
    pub fn ranks(&self, id: ClusterId) -> Range<usize> {
        let codes = id.code_range();
        let lo = self.codes.partition_point(|&c| c < codes.start);
        let hi = self.codes.partition_point(|&c| c < codes.end);
        lo..hi.max(lo)
    }

    /// The places inside a cell, in Morton order.
    pub fn places_in(&self, id: ClusterId) -> &[PlaceIdx] {
        self.places.get(self.ranks(id)).unwrap_or_default()
    }

    /// The world rectangle `(min, max)` around the places of a cell: where
    /// to zoom so that the cluster splits.
    pub fn bounds(&self, id: ClusterId) -> Option<([f64; 2], [f64; 2])> {
        let points = self.world.get(self.ranks(id))?;
        let first = *points.first()?;
        Some(points.iter().fold((first, first), |(lo, hi), p| {
            (
                [lo[0].min(p[0]), lo[1].min(p[1])],
                [hi[0].max(p[0]), hi[1].max(p[1])],
            )
        }))
    }

    /// How the places stand in a window: built whenever the window, the
    /// filter or the selection changes, in one pass over the places.
    pub fn tally(
        &self,
        states: &[PlaceState],
        active_counts: &[u32],
        certain_counts: &[u32],
    ) -> PlaceTally {
        let mut active_prefix = Vec::with_capacity(self.places.len() + 1);
        let mut certain_prefix = Vec::with_capacity(self.places.len() + 1);
        let mut sure_prefix = Vec::with_capacity(if self.exact.is_empty() {
            0
        } else {
            self.places.len() + 1
        });
        let mut selected = Vec::new();
        let (mut sum, mut certain, mut sure) = (0_u64, 0_u64, 0_u64);
        active_prefix.push(sum);
        certain_prefix.push(certain);
        sure_prefix.push(sure);
        for (rank, &p) in self.places.iter().enumerate() {
            sum += u64::from(active_counts.get(p as usize).copied().unwrap_or(0));
            let here = u64::from(certain_counts.get(p as usize).copied().unwrap_or(0));
            certain += here;
            active_prefix.push(sum);
            certain_prefix.push(certain);
            if let Some(&exact) = self.exact.get(rank) {
                sure += if exact { here } else { 0 };
                sure_prefix.push(sure);
            }
            if states.get(p as usize) == Some(&PlaceState::Selected) {
                selected.push(rank);
            }
        }
        PlaceTally {
            active_prefix,
            certain_prefix,
            sure_prefix: if self.exact.is_empty() {
                Vec::new()
            } else {
                sure_prefix
            },
            selected,
        }
    }

    /// The non-empty cells about [`CELL_PX`] wide that meet the viewport
    /// grown by `margin_px`, in Morton order. At the camera's closest zoom
    /// nothing is clustered, as a cluster could not be opened any further.
    pub fn groups_in_view(
        &self,
        camera: &Camera,
        viewport: &Viewport,
        margin_px: f32,
    ) -> Vec<Group> {
        let grown = Viewport {
            min: [viewport.min[0] - margin_px, viewport.min[1] - margin_px],
            size: [
                viewport.size[0] + 2.0 * margin_px,
                viewport.size[1] + 2.0 * margin_px,
            ],
        };
        let visible = camera.visible_world(&grown);
        let zoomable = camera.can_zoom_in();
        let depth = if zoomable {
            cluster_depth(camera.px_per_world)
        } else {
            DEPTH
        };
        let mut out = Vec::new();
        let root = Node {
            depth: 0,
            x: 0,
            y: 0,
            cell: 0,
            ranks: 0..self.codes.len(),
        };
        self.descend(root, depth, &visible, &mut out);
        for group in &mut out {
            group.cluster = zoomable && group.ranks.len() >= MIN_CLUSTER;
        }
        out
    }

    /// Walks the quadtree down to `target`, skipping empty and off-screen
    /// cells; a cell with one place stops early.
    fn descend(&self, node: Node, target: u32, visible: &WorldRect, out: &mut Vec<Group>) {
        if node.ranks.is_empty() || !node.meets(visible) {
            return;
        }
        if node.depth >= target || node.ranks.len() == 1 {
            out.push(Group {
                id: ClusterId {
                    depth: u8::try_from(node.depth).unwrap_or(u8::MAX),
                    cell: node.cell,
                },
                ranks: node.ranks,
                cluster: false,
            });
            return;
        }
        let child_depth = node.depth + 1;
        let shift = 2 * (DEPTH - child_depth);
        let codes = self.codes.get(node.ranks.clone()).unwrap_or_default();
        let mut start = 0;
        for quadrant in 0..4_u64 {
            let cell = (node.cell << 2) | quadrant;
            let end = start
                + codes
                    .get(start..)
                    .unwrap_or_default()
                    .partition_point(|&c| c < (cell + 1) << shift);
            let child = Node {
                depth: child_depth,
                x: node.x * 2 + u32::from(quadrant & 1 == 1),
                y: node.y * 2 + u32::from(quadrant & 2 == 2),
                cell,
                ranks: node.ranks.start + start..node.ranks.start + end,
            };
            self.descend(child, target, visible, out);
            start = end;
        }
    }
}

/// The active events and the selection summed over runs of places: built
/// by [`PlaceIndex::tally`] when the window changes, read per cluster in O(1).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlaceTally {
    /// `active_prefix[r]`: active events at the places of ranks `..r`.
    active_prefix: Vec<u64>,
    /// `certain_prefix[r]`: those of them that certainly happened in the
    /// window.
    certain_prefix: Vec<u64>,
    /// `sure_prefix[r]`: those of them at exactly placed points; empty
    /// when every point is exact (then `certain_prefix` says it).
    sure_prefix: Vec<u64>,
    /// Ranks of the selected event's places, ascending.
    selected: Vec<usize>,
}

impl PlaceTally {
    /// Active events at the places of `ranks` (an event naming two of them
    /// counts twice).
    pub fn active_in(&self, ranks: &Range<usize>) -> u32 {
        let at = |r: usize| self.active_prefix.get(r).copied().unwrap_or(0);
        u32::try_from(at(ranks.end).saturating_sub(at(ranks.start))).unwrap_or(u32::MAX)
    }

    /// Those of [`PlaceTally::active_in`] that certainly happened in the
    /// window.
    pub fn certain_in(&self, ranks: &Range<usize>) -> u32 {
        let at = |r: usize| self.certain_prefix.get(r).copied().unwrap_or(0);
        u32::try_from(at(ranks.end).saturating_sub(at(ranks.start))).unwrap_or(u32::MAX)
    }

    /// Those of [`PlaceTally::certain_in`] at exactly placed points: events
    /// sure in date and in place.
    pub fn sure_in(&self, ranks: &Range<usize>) -> u32 {
        if self.sure_prefix.is_empty() {
            return self.certain_in(ranks);
        }
        let at = |r: usize| self.sure_prefix.get(r).copied().unwrap_or(0);
        u32::try_from(at(ranks.end).saturating_sub(at(ranks.start))).unwrap_or(u32::MAX)
    }

    /// Whether one of the places at `ranks` belongs to the selected event.
    pub fn selected_in(&self, ranks: &Range<usize>) -> bool {
        let i = self.selected.partition_point(|&r| r < ranks.start);
        self.selected.get(i).is_some_and(|&r| r < ranks.end)
    }

    /// The state a cluster of the places at `ranks` shows.
    pub fn state_of(&self, ranks: &Range<usize>) -> PlaceState {
        if self.selected_in(ranks) {
            PlaceState::Selected
        } else if self.certain_in(ranks) > 0 {
            PlaceState::Active
        } else if self.active_in(ranks) > 0 {
            PlaceState::Possible
        } else {
            PlaceState::Dimmed
        }
    }
}

/// `(min, max)` in world coordinates.
type WorldRect = ([f64; 2], [f64; 2]);

/// A point place as [`PlaceIndex`] ranks it: its Morton code, index,
/// world position and whether it is exactly placed.
type Point = (u64, PlaceIdx, [f64; 2], bool);

/// What [`PlaceIndex::with_regions`] reads of a range of places.
#[derive(Default)]
struct Read {
    /// Sorted by code, then index.
    points: Vec<Point>,
    regions: Vec<(PlaceIdx, RegionId)>,
    areas: Vec<(PlaceIdx, Arc<Area>)>,
}

impl Read {
    fn of(dataset: &Dataset, found: Option<&PlaceRegions>, range: Range<usize>) -> Self {
        let mut read = Self::default();
        for i in range {
            let Ok(idx) = PlaceIdx::try_from(i) else {
                break;
            };
            match dataset.places.get(idx).and_then(|place| place.location) {
                Some(Location::Point { lon_lat }) => {
                    if let Some(id) = found.and_then(|f| region_of_point(dataset, f, idx)) {
                        read.regions.push((idx, id));
                        continue;
                    }
                    let world = world_from_lon_lat(lon_lat);
                    let exact = dataset.places.precision_at(idx).0 == LocationPrecision::Exact;
                    read.points.push((morton(world), idx, world, exact));
                }
                Some(Location::Region(id)) => read.regions.push((idx, id)),
                Some(Location::Area(area)) => read.areas.push((idx, area)),
                None => {}
            }
        }
        read.points
            .sort_unstable_by_key(|&(code, idx, _, _)| (code, idx));
        read
    }
}

/// The region a point known only to its region stands for: the province
/// that holds it, or the country for a country's point (or one in no
/// province).
fn region_of_point(dataset: &Dataset, found: &PlaceRegions, p: PlaceIdx) -> Option<RegionId> {
    if dataset.places.precision_at(p).0 != LocationPrecision::Region {
        return None;
    }
    let country = dataset.places.get(p)?.kind == crate::model::PlaceKind::Country;
    let levels = if country {
        [RegionLevel::Country, RegionLevel::Country]
    } else {
        [RegionLevel::Province, RegionLevel::Country]
    };
    levels.into_iter().find_map(|level| {
        let index = found.of(level, p);
        (index != NO_REGION).then_some(RegionId { level, index })
    })
}

/// A quadtree cell during the walk.
struct Node {
    depth: u32,
    x: u32,
    y: u32,
    cell: u64,
    ranks: Range<usize>,
}

impl Node {
    fn meets(&self, visible: &WorldRect) -> bool {
        let size = cell_size(self.depth);
        let (x0, y0) = (f64::from(self.x) * size, f64::from(self.y) * size);
        x0 <= visible.1[0]
            && x0 + size >= visible.0[0]
            && y0 <= visible.1[1]
            && y0 + size >= visible.0[1]
    }
}

/// The width of a cell at `depth`, in world units.
fn cell_size(depth: u32) -> f64 {
    1.0 / f64::from(1_u32 << depth.min(31))
}

/// The shallowest level whose cells are at most [`CELL_PX`] wide.
fn cluster_depth(px_per_world: f64) -> u32 {
    (0..DEPTH)
        .find(|&d| px_per_world * cell_size(d) <= CELL_PX)
        .unwrap_or(DEPTH)
}

/// The Morton code of a world point at [`DEPTH`]; points off the world
/// square are clamped onto its edge.
fn morton(world: [f64; 2]) -> u64 {
    let cells = f64::from(1_u32 << DEPTH);
    let quantise = |v: f64| {
        let v = if v.is_finite() {
            v.clamp(0.0, 1.0)
        } else {
            0.0
        };
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "clamped to 0..=2^24"
        )]
        let q = (v * cells) as u32;
        q.min((1 << DEPTH) - 1)
    };
    spread(quantise(world[0])) | (spread(quantise(world[1])) << 1)
}

/// Puts the bits of `v` in the even bits of the result.
fn spread(v: u32) -> u64 {
    let mut x = u64::from(v);
    x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    (x | (x << 1)) & 0x5555_5555_5555_5555
}

/// The inverse of [`spread`]: the even bits of `v`.
fn compact(v: u64) -> u32 {
    let mut x = v & 0x5555_5555_5555_5555;
    x = (x | (x >> 1)) & 0x3333_3333_3333_3333;
    x = (x | (x >> 2)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x >> 4)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x >> 16)) & 0x0000_0000_FFFF_FFFF;
    u32::try_from(x).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn morton_codes_round_trip_and_nest() {
        for v in [0_u32, 1, 2, 0xABCDE, (1 << 24) - 1] {
            assert_eq!(compact(spread(v)), v);
        }
        // A point's cell at every depth contains the point.
        let world = [0.7012, 0.3999];
        let code = morton(world);
        for depth in 0..=DEPTH {
            let id = ClusterId {
                depth: u8::try_from(depth).unwrap_or(0),
                cell: code >> (2 * (DEPTH - depth)),
            };
            let (lo, hi) = id.world_rect();
            assert!(lo[0] <= world[0] && world[0] < hi[0], "x at depth {depth}");
            assert!(lo[1] <= world[1] && world[1] < hi[1], "y at depth {depth}");
            assert!(id.code_range().contains(&code));
        }
    }

    #[test]
    fn cells_are_between_half_and_one_cell_px_wide() {
        for px_per_world in [128.0, 512.0, 1000.0, 7_600.0, 200_000.0] {
            let width = px_per_world * cell_size(cluster_depth(px_per_world));
            assert!(
                width <= CELL_PX && width > CELL_PX / 2.0,
                "{px_per_world}: {width}"
            );
        }
    }

    /// Enough places for the two halves to be read on two threads: every
    /// point is ranked once, by its code and then its index (equal points
    /// too), a region stays in place order, and the sums count them all.
    #[test]
    fn places_read_in_halves_are_ranked_as_one_list() {
        use crate::model::{DatasetBuilder, DateSpan, Day, Event, Place, PlaceKind, PlaceList};
        let mut builder = DatasetBuilder::new("t");
        let n = crate::halves::THREADED_MIN_ITEMS * 2 + 3;
        let mut points = 0;
        for i in 0..n {
            let location = if i % 97 == 0 {
                Location::Region(RegionId {
                    level: RegionLevel::Country,
                    index: u32::try_from(i % 5).unwrap_or(0),
                })
            } else {
                points += 1;
                // Every seventh repeats the point of an earlier place.
                let k = if i % 7 == 0 { i / 2 } else { i };
                let lon = (k * 7919 % 36_000) as f64 / 100.0 - 180.0;
                let lat = (k * 104_729 % 17_000) as f64 / 100.0 - 85.0;
                Location::Point {
                    lon_lat: [lon, lat],
                }
            };
            let place = builder.place(Place {
                name: format!("P{i}").into(),
                kind: PlaceKind::City,
                country: None,
                location: Some(location),
                precision: Default::default(),
            });
            let mut event = Event::new(format!("e{i}"), DateSpan::day(Day(0)));
            event.places = PlaceList::One(place);
            builder.push(event);
        }
        let data = builder.finish();
        let index = PlaceIndex::new(&data);
        assert_eq!(index.len(), points);
        let ranked: Vec<(u64, PlaceIdx)> = index
            .codes
            .iter()
            .copied()
            .zip(index.places.iter().copied())
            .collect();
        assert!(
            ranked.windows(2).all(|w| w[0] < w[1]),
            "ranked by code, then index"
        );
        for (rank, &p) in index.places.iter().enumerate() {
            let Some(Some(Location::Point { lon_lat })) = data.place(p).map(|p| p.location) else {
                panic!("place {p} is a point");
            };
            let world = world_from_lon_lat(lon_lat);
            assert_eq!(index.world[rank], world);
            assert_eq!(index.codes[rank], morton(world));
        }
        let regions: Vec<PlaceIdx> = index.regions().iter().map(|r| r.0).collect();
        assert_eq!(regions.len(), n - points);
        assert!(
            regions.windows(2).all(|w| w[0] < w[1]),
            "regions in place order"
        );
        assert_eq!(index.total_sums.last(), Some(&(points as u64)));
        let x: f64 = index.world.iter().map(|w| w[0]).sum();
        let summed = index.world_sums.last().map_or(0.0, |s| s[0]);
        assert!((summed - x).abs() < 1e-6, "{summed} {x}");
        assert!(index.exact.is_empty(), "every point is exact");
    }

    #[test]
    fn tally_sums_runs_and_finds_the_selection() {
        let tally = PlaceTally {
            active_prefix: vec![0, 0, 2, 2, 5, 6],
            certain_prefix: vec![0, 0, 1, 1, 4, 4],
            sure_prefix: vec![0, 0, 0, 0, 3, 3],
            selected: vec![3],
        };
        assert_eq!(tally.active_in(&(0..2)), 2);
        assert_eq!(tally.active_in(&(2..4)), 3);
        assert_eq!(tally.certain_in(&(2..4)), 3);
        assert_eq!(tally.sure_in(&(1..4)), 3);
        assert_eq!(tally.state_of(&(0..1)), PlaceState::Dimmed);
        // Its one event in the window may have happened outside it.
        assert_eq!(tally.active_in(&(4..5)), 1);
        assert_eq!(tally.state_of(&(4..5)), PlaceState::Possible);
        assert_eq!(tally.state_of(&(0..3)), PlaceState::Active);
        assert_eq!(tally.state_of(&(3..4)), PlaceState::Selected);
        assert_eq!(tally.active_in(&(3..99)), 0, "out of range reads nothing");
    }
}
