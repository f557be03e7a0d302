//! The atlas: the offline world basemap (countries and provinces with precomputed levels of
//! detail), the gazetteer (34k cities, name resolution, "did you mean"), and the Web Mercator
//! projection that puts both into one world coordinate space.
//!
//! Everything is derived once from Natural Earth and GeoNames by `derive-assets` (see
//! `assets/README.md`) into `assets/world.atlas`, embedded in the binary and decoded on first
//! use by [`Atlas::embedded`]. Nothing here knows about egui: the scene and the UI read plain
//! world-coordinate rings and triangles from it.

pub mod build;
pub mod codec;
mod fold;
mod fold_table;
mod gazetteer;
mod region_index;

use std::sync::{LazyLock, OnceLock};

pub use codec::AtlasError;
pub use fold::{EditScratch, fold as fold_name};
pub use gazetteer::{PlaceQuery, Resolved};

// The shared geometry and the region identities live below the atlas, where the model can
// use them too; they are re-exported here because the atlas is where callers meet them.
pub use crate::geometry::{
    LOD_MAX_ERROR_PX, MAX_LATITUDE_DEG, RegionGeometry, RegionLod, Ring, RingKind, Triangulation,
    WorldRect, lod_for, lon_lat_from_world, ring_area_world, world_from_lon_lat,
};
pub use crate::model::{PlaceKind, RegionId, RegionLevel};

use codec::{ArcRef, ArcTable, AtlasFile, CityRecord, RegionRecord, RingRecord};
use gazetteer::NameIndex;
use region_index::RegionIndex;

/// The derived basemap and gazetteer, compiled into the binary.
static EMBEDDED_BYTES: &[u8] = include_bytes!("../../assets/world.atlas");

/// A country or province with its names, codes, label and outline at every level of detail.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// This region's id.
    pub id: RegionId,
    /// Display name in English (Natural Earth `name_en` for provinces, `NAME` for countries).
    pub name: String,
    /// Other names it is known by: local, historical and GeoNames spellings.
    pub alt_names: Vec<String>,
    /// ISO 3166-1 alpha-3 for countries (NE `ADM0_A3` where ISO has none), ISO 3166-2 for
    /// provinces.
    pub code: String,
    /// Other codes the gazetteer accepts: ISO alpha-2, NE `adm1_code`, GeoNames admin1 key
    /// ("PK.08"), HASC.
    pub alt_codes: Vec<String>,
    /// ISO 3166-1 alpha-2 of the country ("" for the few areas that have none, e.g. Bir Tawil).
    pub country_iso2: String,
    /// English name of the country (the region itself for countries).
    pub country_name: String,
    /// Kind in English, e.g. "Sovereign country", "Province", "Capital Territory".
    pub kind: String,
    /// Natural Earth's label point as `[lon, lat]` in degrees.
    pub label_lon_lat: [f64; 2],
    /// The label point in world coordinates.
    pub label_world: [f64; 2],
    /// Bounds of the finest outline in world coordinates.
    pub bbox_world: WorldRect,
    /// Natural Earth label rank: lower is more important (0–10 for countries, 0–20 for
    /// provinces).
    pub label_rank: u8,
    /// Natural Earth `min_zoom`: the web-map zoom level from which the label is worth showing.
    pub min_zoom: f32,
    /// Outlines from finest to coarsest.
    pub lods: Vec<RegionLod>,
}

/// The geometry returned for regions that have none at all.
static EMPTY_GEOMETRY: LazyLock<RegionGeometry> = LazyLock::new(RegionGeometry::default);

impl Region {
    /// The coarsest outline whose simplification error is below [`LOD_MAX_ERROR_PX`] at this
    /// zoom (`world_per_px`: world units per screen pixel).
    ///
    /// Levels where the region vanished are skipped in favour of the next finer one, so tiny
    /// islands stay visible (as a few pixels) at world view.
    #[must_use]
    pub fn lod_for(&self, world_per_px: f64) -> &RegionGeometry {
        lod_for(&self.lods, world_per_px).unwrap_or_else(|| self.finest())
    }

    /// The most detailed outline (used for hit testing).
    #[must_use]
    pub fn finest(&self) -> &RegionGeometry {
        self.lods
            .first()
            .map_or(&*EMPTY_GEOMETRY, |lod| &lod.geometry)
    }

    /// True if `point_world` is inside the region (bounding box first, then the finest
    /// outline).
    #[must_use]
    pub fn contains_world(&self, point_world: [f64; 2]) -> bool {
        self.bbox_world.contains(point_world) && self.finest().contains_world(point_world)
    }
}

/// A populated place from GeoNames.
#[derive(Clone, Debug, PartialEq)]
pub struct City {
    /// GeoNames id (links back to geonames.org).
    pub geoname_id: u32,
    /// Name as GeoNames spells it, with diacritics (e.g. "Khōst").
    pub name: String,
    /// Latin-script alternate names (machine transliterations and airport codes dropped).
    pub alt_names: Vec<String>,
    /// ISO 3166-1 alpha-2 of the country.
    pub country_iso2: String,
    /// GeoNames admin1 key such as "PK.08" (equals a province's `gn_a1_code`); "" if unknown.
    pub admin1: String,
    /// `[lon, lat]` in degrees.
    pub lon_lat: [f64; 2],
    /// Position in world coordinates.
    pub world: [f64; 2],
    /// Population according to GeoNames.
    pub population: u64,
    /// True for the national capital (per GeoNames' country list).
    pub capital: bool,
}

/// The decoded basemap and gazetteer.
///
/// Cities are sorted by population, largest first (ties by GeoNames id), so drawing labels in
/// index order draws the most important ones first.
#[derive(Debug, Default)]
pub struct Atlas {
    /// Admin-0 regions, sorted by code.
    pub countries: Vec<Region>,
    /// Admin-1 regions, sorted by country and code.
    pub provinces: Vec<Region>,
    /// Gazetteer places, largest population first.
    pub cities: Vec<City>,
    /// Tolerance of each level of detail in world units, finest first.
    pub tolerances_world: Vec<f64>,
    /// Name index, built on the first query.
    names: OnceLock<NameIndex>,
    /// The countries and the provinces by bounding box, built on the first
    /// point asked for.
    region_indexes: OnceLock<[RegionIndex; 2]>,
}

impl Atlas {
    /// The atlas compiled into the binary, decoded once on first use (well under 150 ms in a
    /// release build).
    ///
    /// Should the embedded asset ever fail to decode, this is an empty atlas (the map shows no
    /// basemap and nothing resolves) rather than a panic; [`Atlas::try_embedded`] says why, and
    /// the test suite checks that the shipped asset decodes.
    #[must_use]
    pub fn embedded() -> &'static Self {
        static EMPTY: LazyLock<Atlas> = LazyLock::new(Atlas::default);
        Self::try_embedded().unwrap_or(&EMPTY)
    }

    /// The embedded atlas, or why it could not be decoded.
    ///
    /// # Errors
    /// Returns the decoding error of the embedded asset (the same one on every call).
    pub fn try_embedded() -> Result<&'static Self, &'static AtlasError> {
        static EMBEDDED: OnceLock<Result<Atlas, AtlasError>> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| Self::decode(EMBEDDED_BYTES))
            .as_ref()
    }

    /// Decodes an atlas file and projects it into world coordinates.
    ///
    /// # Errors
    /// Returns an [`AtlasError`] for anything that is not a well-formed atlas; never panics.
    pub fn decode(bytes: &[u8]) -> Result<Self, AtlasError> {
        let file = codec::decode(bytes)?;
        Ok(Self::from_file(file))
    }

    /// Builds the runtime atlas from decoded records.
    fn from_file(file: AtlasFile) -> Self {
        let degrees_per_quantum = 1.0 / f64::from(file.quantum_per_degree);
        let context = RegionContext::new(&file.arcs, &file.tolerances_world, degrees_per_quantum);
        Self {
            countries: context.regions(RegionLevel::Country, file.countries),
            provinces: context.regions(RegionLevel::Province, file.provinces),
            cities: file
                .cities
                .into_iter()
                .map(|record| city_from_record(record, degrees_per_quantum))
                .collect(),
            tolerances_world: file.tolerances_world,
            names: OnceLock::new(),
            region_indexes: OnceLock::new(),
        }
    }

    /// The regions of one level.
    #[must_use]
    pub fn regions(&self, level: RegionLevel) -> &[Region] {
        match level {
            RegionLevel::Country => &self.countries,
            RegionLevel::Province => &self.provinces,
        }
    }

    /// The region with this id, if it exists.
    #[must_use]
    pub fn region(&self, id: RegionId) -> Option<&Region> {
        self.regions(id.level).get(usize::try_from(id.index).ok()?)
    }

    /// The city at this index in [`Atlas::cities`], if it exists.
    #[must_use]
    pub fn city(&self, index: u32) -> Option<&City> {
        self.cities.get(usize::try_from(index).ok()?)
    }

    /// The country with this code, case-insensitive: ISO alpha-3 or Natural Earth `ADM0_A3`
    /// ("PAK", "KOS"), or ISO alpha-2 ("PK", "FR", "XK").
    ///
    /// A primary code beats an alternative one, then the lower label rank wins, so "BR" is
    /// Brazil rather than the disputed Brazilian Island.
    #[must_use]
    pub fn country_by_code(&self, code: &str) -> Option<RegionId> {
        let code = code.trim();
        let rank = |region: &Region| {
            if region.code.eq_ignore_ascii_case(code) {
                return Some(0);
            }
            let position = region
                .alt_codes
                .iter()
                .position(|alt| alt.eq_ignore_ascii_case(code))?;
            Some(position + 1)
        };
        self.countries
            .iter()
            .filter_map(|region| Some(((rank(region)?, region.label_rank), region.id)))
            .min()
            .map(|(_, id)| id)
    }

    /// The country whose outline contains `point_world` (the smallest one where they overlap).
    #[must_use]
    pub fn country_at(&self, point_world: [f64; 2]) -> Option<RegionId> {
        let [countries, _] = self.region_indexes();
        countries.region_at(&self.countries, point_world)
    }

    /// The province whose outline contains `point_world` (the smallest one where they overlap).
    #[must_use]
    pub fn province_at(&self, point_world: [f64; 2]) -> Option<RegionId> {
        let [_, provinces] = self.region_indexes();
        provinces.region_at(&self.provinces, point_world)
    }

    /// The countries' and the provinces' R-trees, made on first use.
    fn region_indexes(&self) -> &[RegionIndex; 2] {
        self.region_indexes.get_or_init(|| {
            [
                RegionIndex::new(&self.countries),
                RegionIndex::new(&self.provinces),
            ]
        })
    }

    /// Resolves a place name to a city or region; see [`PlaceQuery`] for the matching rules.
    #[must_use]
    pub fn resolve(&self, query: &PlaceQuery) -> Option<Resolved> {
        self.name_index().resolve(self, query)
    }

    /// A "did you mean …?" suggestion for a name that did not resolve: the display name of
    /// the most important place whose name or alt name is within two edits (case and
    /// diacritics ignored), e.g. "Khots" → "Khōst".
    #[must_use]
    pub fn suggest(&self, name: &str) -> Option<String> {
        self.name_index().suggest(self, name)
    }

    /// The display name of a resolved place.
    #[must_use]
    pub fn resolved_name(&self, resolved: Resolved) -> Option<&str> {
        match resolved {
            Resolved::City(index) => self.city(index).map(|city| city.name.as_str()),
            Resolved::Region(id) => self.region(id).map(|region| region.name.as_str()),
        }
    }

    /// The name index, built on first use (about 250k folded names).
    fn name_index(&self) -> &NameIndex {
        self.names.get_or_init(|| NameIndex::build(self))
    }
}

/// Quantised `[lon, lat]` to degrees.
fn lon_lat_from_q(point_q: [i32; 2], degrees_per_quantum: f64) -> [f64; 2] {
    [
        f64::from(point_q[0]) * degrees_per_quantum,
        f64::from(point_q[1]) * degrees_per_quantum,
    ]
}

fn city_from_record(record: CityRecord, degrees_per_quantum: f64) -> City {
    let lon_lat = lon_lat_from_q(record.lon_lat_q, degrees_per_quantum);
    City {
        geoname_id: record.geoname_id,
        name: record.name,
        alt_names: record.alt_names,
        country_iso2: record.country_iso2,
        admin1: record.admin1,
        lon_lat,
        world: world_from_lon_lat(lon_lat),
        population: record.population,
        capital: record.capital,
    }
}

/// Shared inputs for turning region records into projected outlines.
struct RegionContext<'a> {
    /// Per level: every arc's points at that level in world coordinates.
    levels: Vec<LevelArcs>,
    tolerances_world: &'a [f64],
    degrees_per_quantum: f64,
}

/// The arcs at one level, flat: arc `i` is `points_world[offsets[i]..offsets[i + 1]]`.
#[derive(Default)]
struct LevelArcs {
    offsets: Vec<usize>,
    points_world: Vec<[f32; 2]>,
}

impl LevelArcs {
    fn arc(&self, index: u32) -> &[[f32; 2]] {
        let index = index as usize;
        match (self.offsets.get(index), self.offsets.get(index + 1)) {
            (Some(&start), Some(&end)) => self.points_world.get(start..end).unwrap_or_default(),
            _ => &[],
        }
    }
}

impl<'a> RegionContext<'a> {
    /// Projects every arc point once and splits the arcs into their levels.
    fn new(arcs: &ArcTable, tolerances_world: &'a [f64], degrees_per_quantum: f64) -> Self {
        let points_world: Vec<[f32; 2]> = arcs
            .points_q
            .iter()
            .map(|&point_q| {
                to_f32(world_from_lon_lat(lon_lat_from_q(
                    point_q,
                    degrees_per_quantum,
                )))
            })
            .collect();
        let levels = (0u8..)
            .zip(tolerances_world)
            .map(|(level, _)| level_arcs(arcs, &points_world, level))
            .collect();
        Self {
            levels,
            tolerances_world,
            degrees_per_quantum,
        }
    }

    fn regions(&self, level: RegionLevel, records: Vec<RegionRecord>) -> Vec<Region> {
        (0..)
            .zip(records)
            .map(|(index, record)| self.region(RegionId { level, index }, record))
            .collect()
    }

    fn region(&self, id: RegionId, record: RegionRecord) -> Region {
        let lods: Vec<RegionLod> = (0..)
            .zip(self.tolerances_world)
            .map(|(level, &tolerance_world)| RegionLod {
                tolerance_world,
                geometry: self.geometry(&record.polygons, level),
            })
            .collect();
        let label_lon_lat = lon_lat_from_q(record.label_lon_lat_q, self.degrees_per_quantum);
        let label_world = world_from_lon_lat(label_lon_lat);
        let mut bbox_world = bbox_of(lods.first().map(|lod| &lod.geometry));
        if bbox_world.is_empty() {
            bbox_world = WorldRect::from_points([label_world]);
        }
        Region {
            id,
            name: record.name,
            alt_names: record.alt_names,
            code: record.code,
            alt_codes: record.alt_codes,
            country_iso2: record.country_iso2,
            country_name: record.country_name,
            kind: record.kind,
            label_lon_lat,
            label_world,
            bbox_world,
            label_rank: record.label_rank,
            min_zoom: record.min_zoom,
            lods,
        }
    }

    /// The rings present at `level`; a polygon whose exterior vanished takes its holes along.
    fn geometry(&self, polygons: &[Vec<RingRecord>], level: u8) -> RegionGeometry {
        let Some(arcs) = self.levels.get(usize::from(level)) else {
            return RegionGeometry::default();
        };
        let mut rings = Vec::new();
        for polygon in polygons {
            for (position, ring) in polygon.iter().enumerate() {
                let kind = if position == 0 {
                    RingKind::Exterior
                } else {
                    RingKind::Hole
                };
                let points_world = if ring.level_count > level {
                    ring_points(arcs, &ring.arcs)
                } else {
                    Vec::new()
                };
                if points_world.len() >= 3 {
                    rings.push(Ring {
                        kind,
                        points: points_world,
                    });
                } else if kind == RingKind::Exterior {
                    break;
                }
            }
        }
        RegionGeometry::new(rings)
    }
}

/// The points of every arc that `level` keeps.
fn level_arcs(arcs: &ArcTable, points_world: &[[f32; 2]], level: u8) -> LevelArcs {
    let mut out = LevelArcs {
        offsets: Vec::with_capacity(arcs.offsets.len()),
        points_world: Vec::with_capacity(points_world.len()),
    };
    out.offsets.push(0);
    for pair in arcs.offsets.windows(2) {
        let range = pair[0] as usize..pair[1] as usize;
        let points = points_world.get(range.clone()).unwrap_or_default();
        let keep = arcs.keep.get(range).unwrap_or_default();
        out.points_world.extend(
            points
                .iter()
                .zip(keep)
                .filter(|(_, keep)| **keep > level)
                .map(|(point, _)| *point),
        );
        out.offsets.push(out.points_world.len());
    }
    out
}

/// Concatenates a ring's arcs (at one level), dropping the points they share.
fn ring_points(arcs: &LevelArcs, refs: &[ArcRef]) -> Vec<[f32; 2]> {
    let len = refs.iter().map(|arc| arcs.arc(arc.index).len()).sum();
    let mut points_world: Vec<[f32; 2]> = Vec::with_capacity(len);
    for arc in refs {
        let arc_points = arcs.arc(arc.index);
        if arc.reversed {
            for &point in arc_points.iter().rev() {
                push_distinct(&mut points_world, point);
            }
        } else {
            for &point in arc_points {
                push_distinct(&mut points_world, point);
            }
        }
    }
    if points_world.len() > 1 && points_world.first() == points_world.last() {
        points_world.pop();
    }
    points_world
}

/// Appends `next_world` unless it repeats the last point.
fn push_distinct(points_world: &mut Vec<[f32; 2]>, next_world: [f32; 2]) {
    if points_world.last() != Some(&next_world) {
        points_world.push(next_world);
    }
}

/// World coordinates as stored: f32 is ~2 m at the equator.
fn to_f32(point_world: [f64; 2]) -> [f32; 2] {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "world coordinates are stored as f32"
    )]
    let point = [point_world[0] as f32, point_world[1] as f32];
    point
}

/// Bounds of all ring points.
fn bbox_of(geometry: Option<&RegionGeometry>) -> WorldRect {
    WorldRect::from_points(
        geometry
            .into_iter()
            .flat_map(|geometry| &geometry.rings)
            .flat_map(|ring| &ring.points)
            .map(|&[x, y]| [f64::from(x), f64::from(y)]),
    )
}

#[cfg(test)]
mod tests;
