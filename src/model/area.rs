//! Free-form areas: the polygons a file draws for an event (a GeoJSON
//! Polygon or MultiPolygon) that are no province or country of the basemap,
//! such as a district, a front line's zone or a flooded valley.
//!
//! An area keeps its coordinates exactly as read, so that an export writes
//! them back bit for bit, and is projected and triangulated once, when it
//! is made, so that the map draws and hit-tests it like a province. Like a
//! province, it has coarser outlines for lower zooms, so a detailed outline
//! costs a frame what it shows, not what it holds.

use std::hash::Hasher as _;

use super::fast_hash::FastHasher;
use crate::geometry::{
    RegionGeometry, RegionLod, Ring, RingKind, Triangulation, WorldRect, lod_for,
    lon_lat_from_world, ring_area_world, simplify, world_from_lon_lat,
};

/// Douglas–Peucker tolerances of the coarser outlines, in world units: from
/// about 4 m to 4 km on the ground at the equator, four times apart.
const TOLERANCES_WORLD: [f64; 6] = [1e-7, 4e-7, 1.6e-6, 6.4e-6, 2.56e-5, 1.024e-4];

/// Rings of one polygon in degrees: the outline first, then its holes.
pub type PolygonLonLat = Vec<Vec<[f64; 2]>>;

/// A polygon area of one or more parts, with holes.
pub struct Area {
    polygons: Vec<PolygonLonLat>,
    /// The outline as read, then coarser ones (see [`TOLERANCES_WORLD`]).
    lods: Vec<RegionLod>,
    bbox_world: WorldRect,
    center_lon_lat: [f64; 2],
    fingerprint: u64,
}

/// Why polygons make no area: each names the polygon at fault, counted
/// from 1 as a file's reader would.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AreaError {
    /// The list of polygons is empty.
    #[error("an area with no polygons")]
    NoPolygons,
    /// A polygon has no rings at all.
    #[error("polygon {polygon} has no outline")]
    NoOutline {
        /// The polygon, from 1.
        polygon: usize,
    },
    /// A coordinate is NaN or infinite.
    #[error("polygon {polygon}: a coordinate is not a number")]
    NotFinite {
        /// The polygon, from 1.
        polygon: usize,
    },
    /// A ring encloses nothing.
    #[error(
        "polygon {polygon}: {} needs at least three distinct corners",
        if *hole { "a hole" } else { "its outline" }
    )]
    TooFewCorners {
        /// The polygon, from 1.
        polygon: usize,
        /// Whether the ring is a hole rather than the outline.
        hole: bool,
        /// The distinct corners it has.
        corners: usize,
    },
}

impl Area {
    /// An area from polygons in `[longitude, latitude]` degrees, each a
    /// list of rings (outline, then holes), closed or not.
    ///
    /// # Errors
    /// [`AreaError`] when there is no polygon, a polygon has no outline, a
    /// ring has fewer than three distinct corners, or a coordinate is not
    /// finite.
    pub fn new(polygons: Vec<PolygonLonLat>) -> Result<Self, AreaError> {
        if polygons.is_empty() {
            return Err(AreaError::NoPolygons);
        }
        let mut rings = Vec::new();
        let mut hasher = FastHasher::default();
        for (polygon, rings_lon_lat) in (1..).zip(&polygons) {
            if rings_lon_lat.is_empty() {
                return Err(AreaError::NoOutline { polygon });
            }
            for (r, ring) in rings_lon_lat.iter().enumerate() {
                let open = open_ring(ring);
                if open.iter().flatten().any(|v| !v.is_finite()) {
                    return Err(AreaError::NotFinite { polygon });
                }
                let corners = distinct_corners(open);
                if corners < 3 {
                    return Err(AreaError::TooFewCorners {
                        polygon,
                        hole: r > 0,
                        corners,
                    });
                }
                hasher.write_usize(ring.len());
                for [lon, lat] in ring {
                    hasher.write_u64(lon.to_bits());
                    hasher.write_u64(lat.to_bits());
                }
                rings.push(Ring {
                    kind: if r == 0 {
                        RingKind::Exterior
                    } else {
                        RingKind::Hole
                    },
                    points: open
                        .iter()
                        .map(|&p| to_f32(world_from_lon_lat(p)))
                        .collect(),
                });
            }
        }
        let lods = levels_of_detail(&rings);
        let geometry = RegionGeometry::new(rings);
        let bbox_world = WorldRect::from_points(
            geometry
                .rings
                .iter()
                .flat_map(|r| &r.points)
                .map(|&[x, y]| [f64::from(x), f64::from(y)]),
        );
        // Triangulated now, while loading, rather than on the first frame.
        let triangles = geometry.triangles();
        let center_world = centroid_world(&geometry)
            .filter(|&c| geometry.contains_world(c))
            .or_else(|| largest_triangle_center(triangles))
            .unwrap_or([
                (bbox_world.min[0] + bbox_world.max[0]) / 2.0,
                (bbox_world.min[1] + bbox_world.max[1]) / 2.0,
            ]);
        let mut all = vec![RegionLod {
            tolerance_world: 0.0,
            geometry,
        }];
        all.extend(lods);
        Ok(Self {
            center_lon_lat: lon_lat_from_world(center_world),
            polygons,
            lods: all,
            bbox_world,
            fingerprint: hasher.finish(),
        })
    }

    /// The polygons exactly as read.
    pub fn polygons(&self) -> &[PolygonLonLat] {
        &self.polygons
    }

    /// The outline in world coordinates, with its triangles, as read.
    pub fn geometry(&self) -> &RegionGeometry {
        self.lods.first().map(|lod| &lod.geometry).unwrap_or(&EMPTY)
    }

    /// The outline to draw at this zoom (`world_per_px`: world units per
    /// screen pixel): the coarsest one within a pixel of the real one.
    pub fn geometry_for(&self, world_per_px: f64) -> &RegionGeometry {
        lod_for(&self.lods, world_per_px).unwrap_or_else(|| self.geometry())
    }

    /// Its bounds in world coordinates.
    pub fn bbox_world(&self) -> &WorldRect {
        &self.bbox_world
    }

    /// A point inside it (the centroid when that is inside), in degrees:
    /// where its label goes, and its one point for tools that want one.
    pub fn center_lon_lat(&self) -> [f64; 2] {
        self.center_lon_lat
    }

    /// Where its label goes, in world coordinates.
    pub fn label_world(&self) -> [f64; 2] {
        world_from_lon_lat(self.center_lon_lat)
    }

    /// Whether a world point is inside (holes are outside).
    pub fn contains_world(&self, point_world: [f64; 2]) -> bool {
        self.bbox_world.contains(point_world) && self.geometry().contains_world(point_world)
    }

    /// How many corners it has, over all rings.
    pub fn vertex_count(&self) -> usize {
        self.geometry().vertex_count()
    }
}

impl PartialEq for Area {
    fn eq(&self, other: &Self) -> bool {
        self.fingerprint == other.fingerprint && self.polygons == other.polygons
    }
}

/// Short, so that a place's key (its `Debug` text) stays short however
/// detailed the outline is: equal areas print alike.
impl std::fmt::Debug for Area {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Area")
            .field("polygons", &self.polygons.len())
            .field("vertices", &self.vertex_count())
            .field("fingerprint", &format_args!("{:016x}", self.fingerprint))
            .finish()
    }
}

static EMPTY: std::sync::LazyLock<RegionGeometry> =
    std::sync::LazyLock::new(RegionGeometry::default);

/// The outline simplified at each of [`TOLERANCES_WORLD`], while that still
/// removes corners; a ring that shrinks below three corners is left out
/// (with its holes, for an outline), and an empty level ends the list.
fn levels_of_detail(rings: &[Ring]) -> Vec<RegionLod> {
    // Each ring's corners ranked once: the largest tolerance keeping each.
    let ranked: Vec<Vec<f64>> = rings
        .iter()
        .map(|ring| {
            let mut closed: Vec<[f64; 2]> = ring
                .points
                .iter()
                .map(|&[x, y]| [f64::from(x), f64::from(y)])
                .collect();
            closed.extend(closed.first().copied());
            simplify::importance(&closed)
        })
        .collect();
    let mut lods = Vec::new();
    let mut corners = rings.iter().map(|r| r.points.len()).sum::<usize>();
    for tolerance in TOLERANCES_WORLD {
        let mut kept: Vec<Ring> = Vec::new();
        let mut outline_kept = false;
        for (ring, importance) in rings.iter().zip(&ranked) {
            let points: Vec<[f32; 2]> = ring
                .points
                .iter()
                .zip(importance)
                .filter(|&(_, &i)| i > tolerance)
                .map(|(&p, _)| p)
                .collect();
            let big_enough = points.len() >= 3;
            match ring.kind {
                RingKind::Exterior => outline_kept = big_enough,
                RingKind::Hole if !outline_kept => continue,
                RingKind::Hole => {}
            }
            if big_enough {
                kept.push(Ring {
                    kind: ring.kind,
                    points,
                });
            }
        }
        let count: usize = kept.iter().map(|r| r.points.len()).sum();
        if count >= corners {
            continue;
        }
        corners = count;
        let empty = kept.is_empty();
        lods.push(RegionLod {
            tolerance_world: tolerance,
            geometry: RegionGeometry::new(kept),
        });
        if empty {
            break;
        }
    }
    lods
}

/// A ring without its closing corner (GeoJSON repeats the first).
fn open_ring(ring: &[[f64; 2]]) -> &[[f64; 2]] {
    match ring {
        [first, .., last] if first == last => ring.get(..ring.len() - 1).unwrap_or(ring),
        _ => ring,
    }
}

fn distinct_corners(ring: &[[f64; 2]]) -> usize {
    let mut seen: Vec<[u64; 2]> = ring.iter().map(|p| p.map(f64::to_bits)).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

#[expect(
    clippy::cast_possible_truncation,
    reason = "world coordinates are stored as f32, like the basemap's"
)]
fn to_f32(p: [f64; 2]) -> [f32; 2] {
    [p[0] as f32, p[1] as f32]
}

/// The area-weighted centroid of the outlines minus the holes.
fn centroid_world(geometry: &RegionGeometry) -> Option<[f64; 2]> {
    let (mut area, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for ring in &geometry.rings {
        let sign = match ring.kind {
            RingKind::Exterior => 1.0,
            RingKind::Hole => -1.0,
        };
        // Each ring counted positive for outlines, whatever its winding.
        let orientation = ring_area_world(&ring.points).signum();
        let points = &ring.points;
        let Some(&last) = points.last() else {
            continue;
        };
        let mut previous = [f64::from(last[0]), f64::from(last[1])];
        for p in points {
            let current = [f64::from(p[0]), f64::from(p[1])];
            let cross = (previous[0] * current[1] - current[0] * previous[1]) * sign * orientation;
            area += cross;
            cx += (previous[0] + current[0]) * cross;
            cy += (previous[1] + current[1]) * cross;
            previous = current;
        }
    }
    (area.abs() > 1e-18).then(|| [cx / (3.0 * area), cy / (3.0 * area)])
}

/// The centre of the largest triangle: inside, for shapes (a crescent, a
/// ring) whose centroid is not.
fn largest_triangle_center(triangles: &Triangulation) -> Option<[f64; 2]> {
    let corner = |i: u32| {
        triangles
            .vertices
            .get(i as usize)
            .map(|v| [f64::from(v[0]), f64::from(v[1])])
    };
    triangles
        .indices
        .chunks_exact(3)
        .filter_map(|t| {
            Some([
                corner(*t.first()?)?,
                corner(*t.get(1)?)?,
                corner(*t.get(2)?)?,
            ])
        })
        .map(|[a, b, c]| {
            let twice = ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs();
            (
                twice,
                [(a[0] + b[0] + c[0]) / 3.0, (a[1] + b[1] + c[1]) / 3.0],
            )
        })
        .max_by(|x, y| x.0.total_cmp(&y.0))
        .map(|(_, center)| center)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, side: f64) -> Vec<[f64; 2]> {
        vec![
            [x0, y0],
            [x0 + side, y0],
            [x0 + side, y0 + side],
            [x0, y0 + side],
            [x0, y0],
        ]
    }

    #[test]
    fn a_square_is_triangulated_and_centred() {
        let area = Area::new(vec![vec![square(10.0, 10.0, 2.0)]]).expect("a square");
        let [lon, lat] = area.center_lon_lat();
        assert!((lon - 11.0).abs() < 1e-4, "{lon}");
        // Mercator stretches northward: the centre is near, not at, 11°N.
        assert!((lat - 11.0).abs() < 0.01, "{lat}");
        assert_eq!(area.geometry().triangles().indices.len(), 6);
        assert_eq!(area.vertex_count(), 4);
        assert!(area.contains_world(world_from_lon_lat([11.0, 11.0])));
        assert!(!area.contains_world(world_from_lon_lat([13.0, 11.0])));
    }

    #[test]
    fn a_hole_is_outside_and_the_centre_moves_off_it() {
        let area =
            Area::new(vec![vec![square(0.0, 0.0, 10.0), square(1.0, 1.0, 8.0)]]).expect("a frame");
        assert!(!area.contains_world(world_from_lon_lat([5.0, 5.0])));
        assert!(area.contains_world(world_from_lon_lat([0.5, 5.0])));
        let center = world_from_lon_lat(area.center_lon_lat());
        assert!(area.contains_world(center), "{:?}", area.center_lon_lat());
        // Holes are triangulated around: 8 corners, 8 triangles.
        assert_eq!(area.geometry().triangles().indices.len(), 24);
    }

    #[test]
    fn parts_and_bad_rings() {
        let two = Area::new(vec![
            vec![square(0.0, 0.0, 1.0)],
            vec![square(20.0, 0.0, 1.0)],
        ])
        .expect("two parts");
        assert!(two.contains_world(world_from_lon_lat([20.5, 0.5])));
        assert_eq!(two.polygons().len(), 2);
        let said = |polygons| Area::new(polygons).err().map(|e| e.to_string());
        assert_eq!(
            said(vec![vec![vec![[0.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]]).as_deref(),
            Some("polygon 1: its outline needs at least three distinct corners")
        );
        assert_eq!(
            said(Vec::new()).as_deref(),
            Some("an area with no polygons")
        );
        assert_eq!(
            said(vec![Vec::new()]).as_deref(),
            Some("polygon 1 has no outline")
        );
    }

    #[test]
    fn a_bad_ring_is_named_with_its_polygon() {
        let flat_hole = vec![[5.0, 5.0], [6.0, 6.0], [5.0, 5.0]];
        let two = vec![
            vec![square(0.0, 0.0, 1.0)],
            vec![square(20.0, 0.0, 10.0), flat_hole],
        ];
        assert_eq!(
            Area::new(two).err(),
            Some(AreaError::TooFewCorners {
                polygon: 2,
                hole: true,
                corners: 2,
            })
        );
        assert_eq!(
            Area::new(vec![vec![square(0.0, f64::NAN, 1.0)]]).err(),
            Some(AreaError::NotFinite { polygon: 1 })
        );
    }

    /// A circle of `n` corners around a point, in degrees.
    fn circle(center: [f64; 2], radius: f64, n: usize) -> Vec<[f64; 2]> {
        let mut ring: Vec<[f64; 2]> = (0..n)
            .map(|i| {
                let a = std::f64::consts::TAU * i as f64 / n as f64;
                [center[0] + radius * a.cos(), center[1] + radius * a.sin()]
            })
            .collect();
        ring.extend(ring.first().copied());
        ring
    }

    #[test]
    fn a_detailed_outline_is_drawn_coarser_when_zoomed_out() {
        let lake = circle([33.0, -1.0], 1.0, 4000);
        let island = circle([35.0, -1.0], 0.0005, 40);
        let area = Area::new(vec![vec![lake], vec![island]]).expect("a lake and an islet");
        assert_eq!(area.vertex_count(), 4040);
        // Zoomed in closer than the finest level (a pixel is about 2 m):
        // every corner.
        assert_eq!(area.geometry_for(5e-8).vertex_count(), 4040);
        // The whole world 1,400 pixels wide: a few dozen corners, the islet
        // gone, the lake still a ring.
        let world = area.geometry_for(1.0 / 1400.0);
        assert!(world.vertex_count() < 100, "{}", world.vertex_count());
        assert_eq!(world.rings.len(), 1);
        assert!(world.triangles().indices.len() >= 3);
        // Levels in between lose corners as the zoom goes out.
        let counts: Vec<usize> = [5e-8, 1e-7, 1e-6, 1e-5, 1e-4]
            .iter()
            .map(|&w| area.geometry_for(w).vertex_count())
            .collect();
        assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
        // Hit tests keep to the outline as read.
        assert!(area.contains_world(world_from_lon_lat([33.0, -1.0])));
    }

    #[test]
    fn equal_outlines_are_equal_and_print_alike() {
        let a = Area::new(vec![vec![square(0.0, 0.0, 1.0)]]).expect("a");
        let b = Area::new(vec![vec![square(0.0, 0.0, 1.0)]]).expect("b");
        let c = Area::new(vec![vec![square(0.0, 0.0, 2.0)]]).expect("c");
        assert_eq!(a, b);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_ne!(a, c);
        assert_ne!(format!("{a:?}"), format!("{c:?}"));
    }
}
