//! Web Mercator on the unit square: the one world coordinate space of the map.
//!
//! World coordinates run `x` 0..1 from west (180° W) to east (180° E) and `y` 0..1 from north
//! (85.0511° N) to south (85.0511° S), exactly like a single slippy-map tile at zoom 0. Keeping the
//! world in 0..1 makes zoom maths trivial (`world_per_px = 1 / (256 · 2^zoom)`) and lets the
//! basemap be projected once at load instead of every frame.

use std::f64::consts::PI;

/// The latitude (degrees) at which Web Mercator is cut off so that the world is square.
///
/// Points nearer the poles are clamped to it; Antarctica's southern edge lies on `y = 1`.
pub const MAX_LATITUDE_DEG: f64 = 85.051_128_779_806_59;

/// Projects `[longitude, latitude]` in degrees (WGS84) to world coordinates (unit square).
///
/// Latitude is clamped to ±[`MAX_LATITUDE_DEG`]; longitude is mapped linearly and not wrapped,
/// so 180° E gives `x = 1.0`.
#[must_use]
pub fn world_from_lon_lat(lon_lat: [f64; 2]) -> [f64; 2] {
    let [lon, lat] = lon_lat;
    let x = (lon + 180.0) / 360.0;
    let lat_rad = lat.clamp(-MAX_LATITUDE_DEG, MAX_LATITUDE_DEG).to_radians();
    let y = 0.5 - (PI / 4.0 + lat_rad / 2.0).tan().ln() / (2.0 * PI);
    [x, y]
}

/// How many world units a kilometre spans at a world point (Mercator
/// stretches distances by 1 / cos(latitude)).
#[must_use]
pub fn world_per_km(world: [f64; 2]) -> f64 {
    /// The equator's length in kilometres.
    const EQUATOR_KM: f64 = 40_075.017;
    let [_, lat] = lon_lat_from_world(world);
    1.0 / (EQUATOR_KM * lat.to_radians().cos().max(1e-6))
}

/// Inverse of [`world_from_lon_lat`]: world coordinates to `[longitude, latitude]` in degrees.
#[must_use]
pub fn lon_lat_from_world(world: [f64; 2]) -> [f64; 2] {
    let [x, y] = world;
    let lon = x * 360.0 - 180.0;
    let lat = (PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees();
    [lon, lat]
}

/// An axis-aligned rectangle in world coordinates (`min` is the north-west corner).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct WorldRect {
    /// Smallest `x` and `y` (west, north).
    pub min: [f64; 2],
    /// Largest `x` and `y` (east, south).
    pub max: [f64; 2],
}

impl WorldRect {
    /// The empty rectangle: the identity of [`WorldRect::extend`].
    pub const EMPTY: Self = Self {
        min: [f64::INFINITY; 2],
        max: [f64::NEG_INFINITY; 2],
    };

    /// The whole world square.
    pub const WORLD: Self = Self {
        min: [0.0; 2],
        max: [1.0; 2],
    };

    /// The smallest rectangle holding all `points_world` ([`WorldRect::EMPTY`] if there are none).
    pub fn from_points(points_world: impl IntoIterator<Item = [f64; 2]>) -> Self {
        let mut rect = Self::EMPTY;
        for point in points_world {
            rect.extend(point);
        }
        rect
    }

    /// Grows the rectangle to include `point_world`.
    pub fn extend(&mut self, point_world: [f64; 2]) {
        let [x, y] = point_world;
        self.min = [self.min[0].min(x), self.min[1].min(y)];
        self.max = [self.max[0].max(x), self.max[1].max(y)];
    }

    /// The smallest rectangle holding both `self` and `other`.
    #[must_use]
    pub fn union(&self, other: &Self) -> Self {
        Self {
            min: [self.min[0].min(other.min[0]), self.min[1].min(other.min[1])],
            max: [self.max[0].max(other.max[0]), self.max[1].max(other.max[1])],
        }
    }

    /// True if the rectangle holds no point (nothing was ever added).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.min[0] > self.max[0] || self.min[1] > self.max[1]
    }

    /// True if `point_world` is inside or on the edge.
    #[must_use]
    pub fn contains(&self, point_world: [f64; 2]) -> bool {
        (self.min[0]..=self.max[0]).contains(&point_world[0])
            && (self.min[1]..=self.max[1]).contains(&point_world[1])
    }

    /// True if the two rectangles share at least one point (used for viewport culling).
    #[must_use]
    pub fn intersects(&self, other: &Self) -> bool {
        self.min[0] <= other.max[0]
            && other.min[0] <= self.max[0]
            && self.min[1] <= other.max[1]
            && other.min[1] <= self.max[1]
    }

    /// Width and height in world units.
    #[must_use]
    pub fn size(&self) -> [f64; 2] {
        [self.max[0] - self.min[0], self.max[1] - self.min[1]]
    }

    /// The centre point.
    #[must_use]
    pub fn center(&self) -> [f64; 2] {
        [
            f64::midpoint(self.min[0], self.max[0]),
            f64::midpoint(self.min[1], self.max[1]),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kilometre_spans_more_of_the_world_away_from_the_equator() {
        let at_equator = world_per_km(world_from_lon_lat([0.0, 0.0]));
        assert!((at_equator * 40_075.017 - 1.0).abs() < 1e-9);
        let at_60 = world_per_km(world_from_lon_lat([10.0, 60.0]));
        assert!(
            (at_60 / at_equator - 2.0).abs() < 1e-6,
            "{}",
            at_60 / at_equator
        );
    }

    fn assert_close(a: [f64; 2], b: [f64; 2], eps: f64) {
        assert!(
            (a[0] - b[0]).abs() < eps && (a[1] - b[1]).abs() < eps,
            "{a:?} != {b:?}"
        );
    }

    #[test]
    fn corners_and_centre_map_to_the_unit_square() {
        assert_close(world_from_lon_lat([0.0, 0.0]), [0.5, 0.5], 1e-12);
        assert_close(
            world_from_lon_lat([-180.0, MAX_LATITUDE_DEG]),
            [0.0, 0.0],
            1e-9,
        );
        assert_close(
            world_from_lon_lat([180.0, -MAX_LATITUDE_DEG]),
            [1.0, 1.0],
            1e-9,
        );
    }

    #[test]
    fn latitude_is_clamped_at_the_poles() {
        assert_close(
            world_from_lon_lat([10.0, 90.0]),
            world_from_lon_lat([10.0, 89.0]),
            0.1,
        );
        assert!(world_from_lon_lat([0.0, -90.0])[1] <= 1.0 + 1e-12);
        assert!(world_from_lon_lat([0.0, 90.0])[1] >= -1e-12);
    }

    #[test]
    fn projection_round_trips() {
        for lon in [-179.9, -73.98, 0.0, 69.92041, 179.5] {
            for lat in [-85.0, -33.9, 0.0, 33.72148, 60.17, 85.0] {
                let back = lon_lat_from_world(world_from_lon_lat([lon, lat]));
                assert_close(back, [lon, lat], 1e-9);
            }
        }
    }

    #[test]
    fn rect_contains_and_intersects() {
        let rect = WorldRect::from_points([[0.2, 0.3], [0.4, 0.1]]);
        assert_eq!(rect.min, [0.2, 0.1]);
        assert!(rect.contains([0.3, 0.2]));
        assert!(!rect.contains([0.5, 0.2]));
        assert!(rect.intersects(&WorldRect::WORLD));
        assert!(WorldRect::EMPTY.is_empty());
        assert!(!rect.intersects(&WorldRect {
            min: [0.5, 0.5],
            max: [0.6, 0.6]
        }));
    }
}
