//! Region outlines in world coordinates, their triangulation and point-in-polygon tests.

use std::sync::OnceLock;

use geo::TriangulateEarcut as _;

/// Whether a ring bounds a polygon from outside or cuts a hole into it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum RingKind {
    /// The outline of a polygon; the holes that belong to it follow it in
    /// [`RegionGeometry::rings`].
    Exterior,
    /// A hole (e.g. an enclave) in the exterior ring before it.
    Hole,
}

/// A closed ring in world coordinates; the closing point is not repeated.
#[derive(Clone, Debug, PartialEq)]
pub struct Ring {
    /// Exterior or hole.
    pub kind: RingKind,
    /// Vertices in world coordinates (f32 is ~2 m at the equator: plenty for drawing).
    pub points: Vec<[f32; 2]>,
}

/// Triangles in world coordinates, ready to hand to a mesh painter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Triangulation {
    /// Vertices in world coordinates.
    pub vertices: Vec<[f32; 2]>,
    /// Three indices into `vertices` per triangle.
    pub indices: Vec<u32>,
}

impl Triangulation {
    /// Sum of the triangle areas, in world units squared.
    #[must_use]
    pub fn area_world(&self) -> f64 {
        self.indices
            .chunks_exact(3)
            .map(|triangle| {
                let corner = |slot: usize| {
                    let index = triangle.get(slot).copied().unwrap_or_default() as usize;
                    self.vertices.get(index).copied().unwrap_or_default()
                };
                let [a, b, c] = [corner(0), corner(1), corner(2)];
                let cross = (f64::from(b[0]) - f64::from(a[0]))
                    * (f64::from(c[1]) - f64::from(a[1]))
                    - (f64::from(c[0]) - f64::from(a[0])) * (f64::from(b[1]) - f64::from(a[1]));
                cross.abs() / 2.0
            })
            .sum()
    }
}

/// The outline of a region at one level of detail.
#[derive(Clone, Debug, Default)]
pub struct RegionGeometry {
    /// Rings grouped into polygons: each [`RingKind::Exterior`] ring is followed by its holes.
    pub rings: Vec<Ring>,
    triangles: OnceLock<Triangulation>,
}

impl PartialEq for RegionGeometry {
    fn eq(&self, other: &Self) -> bool {
        self.rings == other.rings
    }
}

impl RegionGeometry {
    /// Geometry made of `rings` (each exterior followed by its holes).
    #[must_use]
    pub fn new(rings: Vec<Ring>) -> Self {
        Self {
            rings,
            triangles: OnceLock::new(),
        }
    }

    /// True if every ring vanished at this level of detail.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rings.is_empty()
    }

    /// Total number of vertices over all rings.
    #[must_use]
    pub fn vertex_count(&self) -> usize {
        self.rings.iter().map(|ring| ring.points.len()).sum()
    }

    /// The polygons: slices of [`RegionGeometry::rings`] that start with an exterior ring.
    ///
    /// Holes before the first exterior ring (which a well-formed atlas never has) are skipped.
    pub fn polygons(&self) -> impl Iterator<Item = &[Ring]> {
        polygons_of(&self.rings)
    }

    /// The triangulation (earcut, holes respected), computed on first use and then cached.
    ///
    /// Triangulating the whole world takes a while, so it is done lazily per region and level:
    /// only what is actually drawn is ever triangulated, and only once.
    pub fn triangles(&self) -> &Triangulation {
        self.triangles.get_or_init(|| triangulate(&self.rings))
    }

    /// Signed-area sum of the polygons in world units squared (exteriors minus holes).
    #[must_use]
    pub fn area_world(&self) -> f64 {
        self.rings
            .iter()
            .map(|ring| {
                let area = ring_area_world(&ring.points).abs();
                match ring.kind {
                    RingKind::Exterior => area,
                    RingKind::Hole => -area,
                }
            })
            .sum()
    }

    /// True if `point_world` lies inside (even–odd rule over all rings, so holes are outside).
    #[must_use]
    pub fn contains_world(&self, point_world: [f64; 2]) -> bool {
        self.rings
            .iter()
            .filter(|ring| ring_contains_world(&ring.points, point_world))
            .count()
            % 2
            == 1
    }
}

/// Splits `rings` before every exterior ring; leading holes are skipped.
fn polygons_of(rings: &[Ring]) -> impl Iterator<Item = &[Ring]> {
    let mut rest = rings;
    std::iter::from_fn(move || {
        let start = rest
            .iter()
            .position(|ring| ring.kind == RingKind::Exterior)?;
        let after = rest.get(start + 1..)?;
        let len = after
            .iter()
            .position(|ring| ring.kind == RingKind::Exterior)
            .unwrap_or(after.len());
        let (polygon, tail) = rest.get(start..)?.split_at_checked(len + 1)?;
        rest = tail;
        Some(polygon)
    })
}

/// Signed shoelace area of a ring in world units squared.
#[must_use]
pub fn ring_area_world(points_world: &[[f32; 2]]) -> f64 {
    let Some(&last) = points_world.last() else {
        return 0.0;
    };
    let mut previous = last;
    let mut twice_area = 0.0;
    for &point in points_world {
        twice_area += f64::from(previous[0]) * f64::from(point[1])
            - f64::from(point[0]) * f64::from(previous[1]);
        previous = point;
    }
    twice_area / 2.0
}

/// Crossing-number test of one closed ring.
fn ring_contains_world(points_world: &[[f32; 2]], probe_world: [f64; 2]) -> bool {
    let [x, y] = probe_world;
    let Some(&last) = points_world.last() else {
        return false;
    };
    let mut inside = false;
    let mut previous = [f64::from(last[0]), f64::from(last[1])];
    for point in points_world {
        let current = [f64::from(point[0]), f64::from(point[1])];
        if (current[1] > y) != (previous[1] > y) {
            let t = (y - current[1]) / (previous[1] - current[1]);
            if x < current[0] + t * (previous[0] - current[0]) {
                inside = !inside;
            }
        }
        previous = current;
    }
    inside
}

/// Earcut of every polygon, concatenated into one vertex and index list.
fn triangulate(rings: &[Ring]) -> Triangulation {
    let mut out = Triangulation::default();
    for polygon in polygons_of(rings) {
        let raw = to_geo_polygon(polygon).earcut_triangles_raw();
        let Ok(base) = u32::try_from(out.vertices.len()) else {
            break;
        };
        #[expect(
            clippy::cast_possible_truncation,
            reason = "world coordinates are stored as f32"
        )]
        out.vertices
            .extend(raw.vertices.iter().map(|&[x, y]| [x as f32, y as f32]));
        out.indices.extend(
            raw.triangle_indices
                .iter()
                .filter_map(|&index| u32::try_from(index).ok())
                .map(|index| base.saturating_add(index)),
        );
    }
    out
}

/// One exterior ring and its holes as a `geo` polygon (f64 for earcut's robustness).
fn to_geo_polygon(rings: &[Ring]) -> geo::Polygon<f64> {
    let to_line = |ring: &Ring| {
        geo::LineString::from(
            ring.points
                .iter()
                .map(|&[x, y]| (f64::from(x), f64::from(y)))
                .collect::<Vec<_>>(),
        )
    };
    let mut lines = rings.iter().map(to_line);
    let exterior = lines
        .next()
        .unwrap_or_else(|| geo::LineString::new(Vec::new()));
    geo::Polygon::new(exterior, lines.collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(kind: RingKind, points: &[[f32; 2]]) -> Ring {
        Ring {
            kind,
            points: points.to_vec(),
        }
    }

    /// A concave "U" (area 7) with a square hole (area 0.25) in its base, plus an island.
    fn concave_with_hole() -> RegionGeometry {
        RegionGeometry::new(vec![
            ring(
                RingKind::Exterior,
                &[
                    [0.0, 0.0],
                    [3.0, 0.0],
                    [3.0, 3.0],
                    [2.0, 3.0],
                    [2.0, 1.0],
                    [1.0, 1.0],
                    [1.0, 3.0],
                    [0.0, 3.0],
                ],
            ),
            ring(
                RingKind::Hole,
                &[[0.25, 0.25], [0.25, 0.75], [0.75, 0.75], [0.75, 0.25]],
            ),
            ring(RingKind::Exterior, &[[5.0, 5.0], [6.0, 5.0], [6.0, 6.0]]),
        ])
    }

    #[test]
    fn polygons_group_exteriors_with_their_holes() {
        let geometry = concave_with_hole();
        let sizes: Vec<usize> = geometry.polygons().map(<[Ring]>::len).collect();
        assert_eq!(sizes, vec![2, 1]);
    }

    #[test]
    fn triangulation_of_a_concave_polygon_with_a_hole_covers_its_area() {
        let geometry = concave_with_hole();
        let expected = 7.0 - 0.25 + 0.5;
        assert!((geometry.area_world() - expected).abs() < 1e-9);
        let triangles = geometry.triangles();
        assert_eq!(triangles.indices.len() % 3, 0);
        assert!((triangles.area_world() - expected).abs() < expected * 0.01);
        // Cached: the second call returns the same allocation.
        assert!(std::ptr::eq(triangles, geometry.triangles()));
    }

    #[test]
    fn contains_respects_holes_and_concavity() {
        let geometry = concave_with_hole();
        assert!(geometry.contains_world([0.1, 0.1]));
        assert!(geometry.contains_world([2.5, 2.5]));
        assert!(!geometry.contains_world([1.5, 2.0]), "inside the U's notch");
        assert!(!geometry.contains_world([0.5, 0.5]), "inside the hole");
        assert!(geometry.contains_world([5.9, 5.5]));
        assert!(!geometry.contains_world([-1.0, 0.5]));
    }

    #[test]
    fn empty_geometry_is_harmless() {
        let geometry = RegionGeometry::default();
        assert!(geometry.is_empty());
        assert!(geometry.triangles().indices.is_empty());
        assert!(!geometry.contains_world([0.5, 0.5]));
    }
}
