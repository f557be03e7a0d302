//! Turns source regions and cities into an [`AtlasFile`]: the pure half of `derive-assets`.
//!
//! Steps: clean the rings (clamp to the Mercator square, drop repeated points), build one
//! topology over countries and provinces together (so that a border shared by two provinces and
//! their country is one arc), give every arc point a Douglas–Peucker importance in world
//! coordinates, keep the points that survive the finest level, and record for every ring the
//! levels at which it still has an area worth drawing. Sorting makes the output independent of
//! the input order.

pub mod topology;

/// Douglas–Peucker importance, now shared with the model's areas.
pub use crate::geometry::simplify;

use super::codec::{ArcRef, ArcTable, AtlasFile, CityRecord, RegionRecord, RingRecord};
use crate::geometry::{MAX_LATITUDE_DEG, ring_area_world, world_from_lon_lat};
use topology::{PointQ, Topology};

/// A region before simplification.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceRegion {
    /// Names, codes and label; its `polygons` field is ignored (filled in by [`build`]).
    pub record: RegionRecord,
    /// Polygons as rings of quantised `[lon, lat]`: the first ring of each is the exterior.
    /// Rings may repeat their first point at the end.
    pub polygons_q: Vec<Vec<Vec<PointQ>>>,
}

/// Settings of a build.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildOptions {
    /// Integer coordinates are in `1 / quantum_per_degree` degrees.
    pub quantum_per_degree: u32,
    /// Douglas–Peucker tolerances in world units, finest first.
    pub tolerances_world: Vec<f64>,
}

/// Builds the atlas file from sources; deterministic for any input order.
#[must_use]
pub fn build(
    options: &BuildOptions,
    mut countries: Vec<SourceRegion>,
    mut provinces: Vec<SourceRegion>,
    mut cities: Vec<CityRecord>,
) -> AtlasFile {
    sort_regions(&mut countries);
    sort_regions(&mut provinces);
    cities.sort_by(|a, b| (b.population, a.geoname_id).cmp(&(a.population, b.geoname_id)));
    let clamp_q = lat_clamp_q(options.quantum_per_degree);
    let all_rings: Vec<Vec<PointQ>> = countries
        .iter()
        .chain(&provinces)
        .flat_map(|region| &region.polygons_q)
        .flatten()
        .map(|ring| clean_ring(ring, clamp_q))
        .collect();
    let topology = Topology::build(&all_rings);
    let mut simplifier = Simplifier::new(options, &topology);
    let mut ring_refs = topology.rings.into_iter();
    let mut finish = |regions: Vec<SourceRegion>| -> Vec<RegionRecord> {
        regions
            .into_iter()
            .map(|region| simplifier.region(region, &mut ring_refs))
            .collect()
    };
    let countries = finish(countries);
    let provinces = finish(provinces);
    AtlasFile {
        quantum_per_degree: options.quantum_per_degree,
        tolerances_world: options.tolerances_world.clone(),
        arcs: simplifier.into_table(),
        countries,
        provinces,
        cities,
    }
}

/// Sorts by country, code, alt codes and name (all stable, human-meaningful keys).
fn sort_regions(regions: &mut [SourceRegion]) {
    regions.sort_by(|a, b| {
        let key = |region: &SourceRegion| {
            let record = &region.record;
            (
                record.country_iso2.clone(),
                record.code.clone(),
                record.alt_codes.clone(),
                record.name.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// The Mercator latitude limit in quanta (rounded inwards).
fn lat_clamp_q(quantum_per_degree: u32) -> i32 {
    let limit = (MAX_LATITUDE_DEG * f64::from(quantum_per_degree)).floor();
    #[expect(clippy::cast_possible_truncation, reason = "85° in quanta fits i32")]
    let limit = limit as i32;
    limit
}

/// Clamps latitudes into the Mercator square and removes the closing and repeated points.
fn clean_ring(ring: &[PointQ], clamp_q: i32) -> Vec<PointQ> {
    let mut out: Vec<PointQ> = Vec::with_capacity(ring.len());
    for &[lon, lat] in ring {
        let point = [lon, lat.clamp(-clamp_q, clamp_q)];
        if out.last() != Some(&point) {
            out.push(point);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out
}

/// Holds every arc with its Douglas–Peucker importances and decides which points and rings
/// survive at which level.
struct Simplifier {
    tolerances_world: Vec<f64>,
    /// Quantised points per arc (all of them).
    arcs_q: Vec<Vec<PointQ>>,
    /// The same points in world coordinates.
    arcs_world: Vec<Vec<[f64; 2]>>,
    /// Per arc point: the number of levels, finest first, that keep it (0: none).
    keep: Vec<Vec<u8>>,
}

impl Simplifier {
    fn new(options: &BuildOptions, topology: &Topology) -> Self {
        let degrees_per_quantum = 1.0 / f64::from(options.quantum_per_degree);
        let arcs_world: Vec<Vec<[f64; 2]>> = topology
            .arcs
            .iter()
            .map(|arc| {
                arc.iter()
                    .map(|&[lon, lat]| {
                        world_from_lon_lat([
                            f64::from(lon) * degrees_per_quantum,
                            f64::from(lat) * degrees_per_quantum,
                        ])
                    })
                    .collect()
            })
            .collect();
        let keep = arcs_world
            .iter()
            .map(|world| {
                simplify::importance(world)
                    .into_iter()
                    .map(|importance| simplify::keep_count(importance, &options.tolerances_world))
                    .collect()
            })
            .collect();
        Self {
            tolerances_world: options.tolerances_world.clone(),
            arcs_q: topology.arcs.clone(),
            arcs_world,
            keep,
        }
    }

    /// The arc table: each arc with the points that survive the finest level.
    fn into_table(self) -> ArcTable {
        let mut table = ArcTable::default();
        for (points_q, keep) in self.arcs_q.iter().zip(&self.keep) {
            let kept: (Vec<PointQ>, Vec<u8>) = points_q
                .iter()
                .zip(keep)
                .filter(|(_, keep)| **keep > 0)
                .unzip();
            table.push(&kept.0, &kept.1);
        }
        table
    }

    /// Fills in the region's rings, taking each ring's arcs from `ring_refs` in input order.
    ///
    /// A region too small to survive even the finest level (the Vatican, a reef) keeps its
    /// largest polygon unsimplified at that level, so that it can still be drawn and hit.
    fn region(
        &mut self,
        region: SourceRegion,
        ring_refs: &mut impl Iterator<Item = Vec<ArcRef>>,
    ) -> RegionRecord {
        let mut polygons: Vec<Vec<RingRecord>> = region
            .polygons_q
            .iter()
            .map(|polygon| {
                polygon
                    .iter()
                    .map(|_| self.ring(ring_refs.next().unwrap_or_default()))
                    .collect()
            })
            .collect();
        let survives =
            |polygon: &Vec<RingRecord>| polygon.first().is_some_and(|ring| ring.level_count > 0);
        if !polygons.iter().any(survives) {
            self.keep_largest_polygon(&mut polygons);
        }
        RegionRecord {
            polygons,
            ..region.record
        }
    }

    fn ring(&self, arcs: Vec<ArcRef>) -> RingRecord {
        RingRecord {
            level_count: self.level_count(&arcs),
            arcs,
        }
    }

    /// Keeps every point of the largest exterior ring at the finest level.
    fn keep_largest_polygon(&mut self, polygons: &mut [Vec<RingRecord>]) {
        let area =
            |ring: &RingRecord| ring_area_world(&self.ring_points_world(&ring.arcs, None)).abs();
        let largest = polygons
            .iter_mut()
            .filter_map(|polygon| polygon.first_mut())
            .max_by(|a, b| area(a).total_cmp(&area(b)));
        let Some(exterior) = largest else {
            return;
        };
        for arc in &exterior.arcs {
            if let Some(keep) = self.keep.get_mut(arc.index as usize) {
                for keep in keep.iter_mut() {
                    *keep = (*keep).max(1);
                }
            }
        }
        if self.ring_points_world(&exterior.arcs, Some(0)).len() >= 3 {
            exterior.level_count = exterior.level_count.max(1);
        }
    }

    /// Number of levels, finest first, at which the ring still has 3 points and an area of at
    /// least the level's tolerance squared (smaller rings would be sub-pixel specks).
    fn level_count(&self, arcs: &[ArcRef]) -> u8 {
        let mut count = 0;
        for (level, &tolerance) in (0u8..).zip(&self.tolerances_world) {
            let points = self.ring_points_world(arcs, Some(level));
            if points.len() < 3 || ring_area_world(&points).abs() < tolerance * tolerance {
                break;
            }
            count = level + 1;
        }
        count
    }

    /// The ring's points at `level` as the decoder will see them (`None`: all points).
    fn ring_points_world(&self, arcs: &[ArcRef], level: Option<u8>) -> Vec<[f32; 2]> {
        let mut points: Vec<[f32; 2]> = Vec::new();
        for arc in arcs {
            let index = arc.index as usize;
            let (Some(keep), Some(world)) = (self.keep.get(index), self.arcs_world.get(index))
            else {
                continue;
            };
            let kept = world
                .iter()
                .zip(keep)
                .filter(|(_, keep)| level.is_none_or(|level| **keep > level));
            let mut push = |(point, _): (&[f64; 2], &u8)| {
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "as the decoder stores them"
                )]
                let point = [point[0] as f32, point[1] as f32];
                if points.last() != Some(&point) {
                    points.push(point);
                }
            };
            if arc.reversed {
                kept.rev().for_each(&mut push);
            } else {
                kept.for_each(&mut push);
            }
        }
        if points.len() > 1 && points.first() == points.last() {
            points.pop();
        }
        points
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: i32, y0: i32, size: i32) -> Vec<PointQ> {
        vec![
            [x0, y0],
            [x0 + size, y0],
            [x0 + size, y0 + size],
            [x0, y0 + size],
            [x0, y0],
        ]
    }

    fn source(code: &str, rings: Vec<Vec<PointQ>>) -> SourceRegion {
        SourceRegion {
            record: RegionRecord {
                name: code.into(),
                code: code.into(),
                ..RegionRecord::default()
            },
            polygons_q: vec![rings],
        }
    }

    fn options() -> BuildOptions {
        // Quantum 1°: tolerances of 0.01°, 1° and 10° at the equator.
        BuildOptions {
            quantum_per_degree: 1,
            tolerances_world: vec![0.01 / 360.0, 1.0 / 360.0, 10.0 / 360.0],
        }
    }

    #[test]
    fn tiny_rings_vanish_at_coarse_levels_and_big_ones_stay() {
        let big = source("BIG", vec![square(0, 0, 40)]);
        let small = source("SML", vec![square(50, 0, 2)]);
        let file = build(&options(), vec![big, small], vec![], vec![]);
        let levels: Vec<u8> = file
            .countries
            .iter()
            .map(|region| region.polygons[0][0].level_count)
            .collect();
        assert_eq!(levels, vec![3, 2]);
    }

    #[test]
    fn output_does_not_depend_on_input_order() {
        let a = source("AAA", vec![square(0, 0, 10)]);
        let b = source("BBB", vec![square(10, 0, 10)]);
        let city = |id, population| CityRecord {
            geoname_id: id,
            population,
            ..CityRecord::default()
        };
        let first = build(
            &options(),
            vec![a.clone(), b.clone()],
            vec![],
            vec![city(1, 5), city(2, 9), city(3, 5)],
        );
        let second = build(
            &options(),
            vec![b, a],
            vec![],
            vec![city(3, 5), city(2, 9), city(1, 5)],
        );
        assert_eq!(first, second);
        let ids: Vec<u32> = first.cities.iter().map(|city| city.geoname_id).collect();
        assert_eq!(ids, vec![2, 1, 3]);
    }

    #[test]
    fn neighbours_share_arcs() {
        let a = source("AAA", vec![square(0, 0, 10)]);
        let b = source("BBB", vec![square(10, 0, 10)]);
        let file = build(&options(), vec![a, b], vec![], vec![]);
        assert_eq!(file.arcs.len(), 3);
    }
}
