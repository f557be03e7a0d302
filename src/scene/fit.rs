//! Where the camera starts: fitted to the data, so the app and the
//! headless renderer frame the same map for the same dataset.

use super::{Camera, ClusterId, PlaceIndex, Viewport};
use crate::atlas::{Atlas, world_from_lon_lat};
use crate::model::{Dataset, EventIdx, Location, PlaceIdx};

/// Margin around the data when fitting, in logical pixels.
const DATA_MARGIN_PX: f32 = 40.0;

/// The camera that shows every located place of `dataset` in `viewport`;
/// most of the inhabited world when no place is located.
pub fn fit_to_dataset(dataset: &Dataset, atlas: &Atlas, viewport: &Viewport) -> Camera {
    match data_bounds_world(dataset, atlas) {
        Some((min, max)) => Camera::fit(min, max, viewport, DATA_MARGIN_PX),
        None => Camera::fit([0.0, 0.15], [1.0, 0.85], viewport, 10.0),
    }
}

/// The camera that shows the places of one event, no closer than a city's
/// surroundings; `None` for an event on no place of the map.
pub fn fit_to_event(
    dataset: &Dataset,
    atlas: &Atlas,
    event: EventIdx,
    viewport: &Viewport,
) -> Option<Camera> {
    let places = dataset.event(event)?.places().to_vec();
    let (min, max) = places_bounds_world(dataset, atlas, places.into_iter())?;
    let mut camera = Camera::fit(min, max, viewport, DATA_MARGIN_PX);
    camera.px_per_world = camera.px_per_world.min(CLOSEST_FIT_PX_PER_WORLD);
    Some(camera)
}

/// The closest [`fit_to_event`] goes: a city and the land around it
/// (about zoom level 11).
const CLOSEST_FIT_PX_PER_WORLD: f64 = 256.0 * 2048.0;

/// The world rectangle `(min, max)` holding every located place: points,
/// and the bounding boxes of regions and areas.
pub fn data_bounds_world(dataset: &Dataset, atlas: &Atlas) -> Option<([f64; 2], [f64; 2])> {
    let all = 0..u32::try_from(dataset.places.len()).unwrap_or(u32::MAX);
    places_bounds_world(dataset, atlas, all)
}

/// The world rectangle holding the located places among `places`.
fn places_bounds_world(
    dataset: &Dataset,
    atlas: &Atlas,
    places: impl Iterator<Item = PlaceIdx>,
) -> Option<([f64; 2], [f64; 2])> {
    let mut min = [f64::INFINITY; 2];
    let mut max = [f64::NEG_INFINITY; 2];
    let mut grow = |p: [f64; 2]| {
        for k in 0..2 {
            min[k] = min[k].min(p[k]);
            max[k] = max[k].max(p[k]);
        }
    };
    for place in places.filter_map(|p| dataset.places.get(p)) {
        match place.location {
            Some(Location::Point { lon_lat }) => grow(world_from_lon_lat(lon_lat)),
            Some(Location::Region(id)) => {
                if let Some(r) = atlas.region(id) {
                    grow(r.bbox_world.min);
                    grow(r.bbox_world.max);
                }
            }
            Some(Location::Area(ref area)) => {
                grow(area.bbox_world().min);
                grow(area.bbox_world().max);
            }
            None => {}
        }
    }
    min[0].is_finite().then_some((min, max))
}

/// The camera that opens a cluster: it frames the cluster's places, and
/// zooms in at least twice as far as `camera` so that the cell splits.
pub fn zoom_into_cluster(
    places: &PlaceIndex,
    id: ClusterId,
    camera: &Camera,
    viewport: &Viewport,
) -> Camera {
    let (min, max) = places.bounds(id).unwrap_or_else(|| id.world_rect());
    let mut fitted = Camera::fit(min, max, viewport, DATA_MARGIN_PX);
    if fitted.px_per_world < 2.0 * camera.px_per_world {
        let center = fitted.center_world;
        fitted = *camera;
        fitted.center_world = center;
        fitted.zoom_about(viewport, viewport.center(), 2.0);
    }
    fitted
}

/// The camera that shows a longitude/latitude box `[west, south, east,
/// north]` in `viewport`, with no margin (the user chose the box).
pub fn fit_to_lon_lat_box(bbox_deg: [f64; 4], viewport: &Viewport) -> Camera {
    let [west, south, east, north] = bbox_deg;
    let a = world_from_lon_lat([west, north]);
    let b = world_from_lon_lat([east, south]);
    Camera::fit(a, b, viewport, 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dataset, Place, PlaceKind, PlacePrecision};

    fn point(lon: f64, lat: f64) -> Place {
        Place {
            name: "p".into(),
            kind: PlaceKind::City,
            country: None,
            location: Some(Location::Point {
                lon_lat: [lon, lat],
            }),
            precision: PlacePrecision::default(),
        }
    }

    #[test]
    fn fits_points_and_falls_back_to_the_world() {
        let atlas = Atlas::default();
        let vp = Viewport::sized(800.0, 600.0);
        let data = Dataset {
            places: [point(60.0, 25.0), point(75.0, 37.0)].into_iter().collect(),
            ..Dataset::default()
        };
        let cam = fit_to_dataset(&data, &atlas, &vp);
        let (a, b) = cam.visible_world(&vp);
        let (lo, hi) = data_bounds_world(&data, &atlas).unwrap_or_default();
        assert!(a[0] <= lo[0] && a[1] <= lo[1] && b[0] >= hi[0] && b[1] >= hi[1]);
        let empty = fit_to_dataset(&Dataset::default(), &atlas, &vp);
        assert!((empty.center_world[0] - 0.5).abs() < 1e-9);
    }

    #[test]
    fn a_lon_lat_box_is_shown_whole() {
        let vp = Viewport::sized(400.0, 300.0);
        let cam = fit_to_lon_lat_box([60.0, 25.0, 75.0, 37.0], &vp);
        let (a, b) = cam.visible_world(&vp);
        let nw = world_from_lon_lat([60.0, 37.0]);
        let se = world_from_lon_lat([75.0, 25.0]);
        assert!(a[0] <= nw[0] + 1e-9 && a[1] <= nw[1] + 1e-9);
        assert!(b[0] >= se[0] - 1e-9 && b[1] >= se[1] - 1e-9);
    }
}
