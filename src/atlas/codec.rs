//! The `world.atlas` file format: plain records, and their binary encoding.
//!
//! The file is the 8-byte magic [`MAGIC`], a little-endian `u32` format version, then one
//! deflate stream. Inside it everything is LEB128 varints (signed values zig-zagged), strings are
//! length-prefixed UTF-8, and coordinates are integers in units of `1 / quantum_per_degree`
//! degrees, delta-encoded so that neighbouring points cost a byte or two.
//!
//! Borders are stored once, as *arcs* shared by every ring that runs along them (a province
//! border, the country border on top of it, the neighbour on the other side). Each arc point
//! carries a `keep` count: the number of levels of detail, finest first, that still contain it.
//! The levels are nested, so one point list serves all of them and shared borders stay shared
//! (no slivers between neighbours) at every zoom.
//!
//! Encoding is deterministic: the same records always give the same bytes.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;

/// First bytes of every atlas file.
pub const MAGIC: &[u8; 8] = b"CMATLAS\0";

/// The format version this code writes and reads.
pub const VERSION: u32 = 1;

/// Refuse to inflate more than this: protects against garbage that happens to inflate forever.
const MAX_INFLATED_BYTES: u64 = 512 * 1024 * 1024;

/// Why an atlas could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum AtlasError {
    /// The bytes do not start with [`MAGIC`].
    #[error("not a chronomap atlas (bad magic bytes)")]
    BadMagic,
    /// The file was written by another version of the format.
    #[error("unsupported atlas format version {0} (this build reads version {VERSION})")]
    UnsupportedVersion(u32),
    /// The deflate stream is corrupt.
    #[error("atlas data could not be decompressed: {0}")]
    Decompress(#[from] std::io::Error),
    /// The data ended in the middle of a record.
    #[error("atlas data is truncated (while reading {0})")]
    Truncated(&'static str),
    /// A value is out of range or inconsistent.
    #[error("atlas data is invalid: {0}")]
    Invalid(&'static str),
}

/// Everything in an atlas file, as plain records (no projection, no indexes).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AtlasFile {
    /// Coordinate resolution: integer coordinates are in `1 / quantum_per_degree` degrees.
    pub quantum_per_degree: u32,
    /// Douglas–Peucker tolerance of each level of detail in world units, finest first.
    pub tolerances_world: Vec<f64>,
    /// Shared border lines.
    pub arcs: ArcTable,
    /// Admin-0 regions.
    pub countries: Vec<RegionRecord>,
    /// Admin-1 regions.
    pub provinces: Vec<RegionRecord>,
    /// Gazetteer places.
    pub cities: Vec<CityRecord>,
}

/// All arcs in one flat table: arc `i` is `points_q[offsets[i]..offsets[i + 1]]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArcTable {
    /// Start of each arc in `points_q`, plus the end of the last one (so `len = arcs + 1`).
    pub offsets: Vec<u32>,
    /// `[lon, lat]` in quanta.
    pub points_q: Vec<[i32; 2]>,
    /// Per point: how many levels, finest first, contain it (`>= 1`).
    pub keep: Vec<u8>,
}

impl ArcTable {
    /// Appends one arc; `keep` must be as long as `points_q`.
    pub fn push(&mut self, points_q: &[[i32; 2]], keep: &[u8]) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.points_q.extend_from_slice(points_q);
        self.keep.extend_from_slice(keep);
        self.offsets
            .push(u32::try_from(self.points_q.len()).unwrap_or(u32::MAX));
    }

    /// Number of arcs.
    #[must_use]
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// True if there are no arcs.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index range of arc `index` in `points_q` and `keep`, if it exists.
    #[must_use]
    pub fn range(&self, index: u32) -> Option<std::ops::Range<usize>> {
        let index = usize::try_from(index).ok()?;
        let start = usize::try_from(*self.offsets.get(index)?).ok()?;
        let end = usize::try_from(*self.offsets.get(index + 1)?).ok()?;
        (start <= end && end <= self.points_q.len()).then_some(start..end)
    }
}

/// A country or province as stored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RegionRecord {
    /// Display name.
    pub name: String,
    /// Other names it is known by (searchable).
    pub alt_names: Vec<String>,
    /// Primary code: ISO 3166-1 alpha-3 for countries, ISO 3166-2 for provinces.
    pub code: String,
    /// Other codes (searchable): ISO alpha-2, NE `ADM0_A3`, `adm1_code`, GeoNames admin1 key…
    pub alt_codes: Vec<String>,
    /// ISO 3166-1 alpha-2 of the country ("" where there is none).
    pub country_iso2: String,
    /// English name of the country.
    pub country_name: String,
    /// Kind of region in English, e.g. "Sovereign country" or "Province".
    pub kind: String,
    /// Natural Earth's label point, `[lon, lat]` in quanta.
    pub label_lon_lat_q: [i32; 2],
    /// Natural Earth label rank: lower is more important.
    pub label_rank: u8,
    /// Natural Earth `min_zoom`: the web-map zoom from which the label is shown.
    pub min_zoom: f32,
    /// Polygons; in each, the first ring is the exterior and the rest are holes.
    pub polygons: Vec<Vec<RingRecord>>,
}

/// One ring: a closed chain of arcs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RingRecord {
    /// The ring exists in levels `0..level_count` (it vanishes at coarser levels).
    pub level_count: u8,
    /// Arcs in order; consecutive arcs share their end and start point.
    pub arcs: Vec<ArcRef>,
}

/// A reference from a ring to an arc, possibly walked backwards.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArcRef {
    /// Index in [`ArcTable`].
    pub index: u32,
    /// Walk the arc from its last point to its first.
    pub reversed: bool,
}

/// A gazetteer place as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CityRecord {
    /// GeoNames id.
    pub geoname_id: u32,
    /// Name as GeoNames spells it (with diacritics).
    pub name: String,
    /// Latin-script alternate names.
    pub alt_names: Vec<String>,
    /// ISO 3166-1 alpha-2 of the country.
    pub country_iso2: String,
    /// GeoNames admin1 key, e.g. "PK.08" ("" where unknown).
    pub admin1: String,
    /// `[lon, lat]` in quanta.
    pub lon_lat_q: [i32; 2],
    /// Population as GeoNames gives it.
    pub population: u64,
    /// True for the national capital.
    pub capital: bool,
}

/// Encodes `file` as atlas bytes (header + deflate stream).
#[must_use]
pub fn encode(file: &AtlasFile) -> Vec<u8> {
    let mut body = Writer::default();
    body.varint(u64::from(file.quantum_per_degree));
    body.varint(file.tolerances_world.len() as u64);
    for tolerance in &file.tolerances_world {
        body.bytes
            .extend_from_slice(&tolerance.to_bits().to_le_bytes());
    }
    write_arcs(&mut body, &file.arcs);
    write_regions(&mut body, &file.countries);
    write_regions(&mut body, &file.provinces);
    write_cities(&mut body, &file.cities);

    let mut out = Vec::with_capacity(body.bytes.len() / 3);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    let mut encoder = DeflateEncoder::new(out, Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(&body.bytes);
    encoder.finish().unwrap_or_default()
}

/// Decodes atlas bytes into plain records.
///
/// # Errors
/// Any malformed input gives an [`AtlasError`]; this never panics and never allocates much more
/// than the inflated size of the input.
pub fn decode(bytes: &[u8]) -> Result<AtlasFile, AtlasError> {
    let body = inflate(bytes)?;
    let mut reader = Reader::new(&body);
    let quantum_per_degree = u32::try_from(reader.varint("quantum")?)
        .ok()
        .filter(|&quantum| quantum > 0)
        .ok_or(AtlasError::Invalid("quantum"))?;
    let level_count = reader.count("level count", 8)?;
    let tolerances_world = (0..level_count)
        .map(|_| reader.f64("tolerance"))
        .collect::<Result<Vec<_>, _>>()?;
    let arcs = read_arcs(&mut reader)?;
    let countries = read_regions(&mut reader, &arcs)?;
    let provinces = read_regions(&mut reader, &arcs)?;
    let cities = read_cities(&mut reader)?;
    if !reader.is_at_end() {
        return Err(AtlasError::Invalid("trailing bytes"));
    }
    Ok(AtlasFile {
        quantum_per_degree,
        tolerances_world,
        arcs,
        countries,
        provinces,
        cities,
    })
}

/// Checks the header and inflates the body.
fn inflate(bytes: &[u8]) -> Result<Vec<u8>, AtlasError> {
    let Some((magic, rest)) = bytes.split_at_checked(MAGIC.len()) else {
        return Err(AtlasError::BadMagic);
    };
    if magic != MAGIC {
        return Err(AtlasError::BadMagic);
    }
    let Some((version, compressed)) = rest.split_first_chunk::<4>() else {
        return Err(AtlasError::Truncated("version"));
    };
    let version = u32::from_le_bytes(*version);
    if version != VERSION {
        return Err(AtlasError::UnsupportedVersion(version));
    }
    let mut body = Vec::with_capacity(compressed.len().saturating_mul(3));
    DeflateDecoder::new(compressed)
        .take(MAX_INFLATED_BYTES)
        .read_to_end(&mut body)?;
    Ok(body)
}

fn write_arcs(writer: &mut Writer, arcs: &ArcTable) {
    writer.varint(arcs.len() as u64);
    for pair in arcs.offsets.windows(2) {
        writer.varint(u64::from(pair[1].saturating_sub(pair[0])));
    }
    writer.points(&arcs.points_q);
    writer.bytes.extend_from_slice(&arcs.keep);
}

fn read_arcs(reader: &mut Reader) -> Result<ArcTable, AtlasError> {
    let arc_count = reader.count("arc count", 1)?;
    let mut offsets = Vec::with_capacity(arc_count + 1);
    let mut total: u32 = 0;
    offsets.push(0);
    for _ in 0..arc_count {
        let len = u32::try_from(reader.varint("arc length")?)
            .map_err(|_| AtlasError::Invalid("arc length"))?;
        total = total
            .checked_add(len)
            .ok_or(AtlasError::Invalid("arc length"))?;
        offsets.push(total);
    }
    let point_count = usize::try_from(total).map_err(|_| AtlasError::Invalid("arc length"))?;
    reader.ensure(point_count.saturating_mul(3), "arc points")?;
    let points_q = reader.points(point_count)?;
    let keep = reader.take(point_count, "arc keep levels")?.to_vec();
    Ok(ArcTable {
        offsets,
        points_q,
        keep,
    })
}

fn write_regions(writer: &mut Writer, regions: &[RegionRecord]) {
    writer.varint(regions.len() as u64);
    let mut previous_label = [0, 0];
    for region in regions {
        writer.string(&region.name);
        writer.strings(&region.alt_names);
        writer.string(&region.code);
        writer.strings(&region.alt_codes);
        writer.string(&region.country_iso2);
        writer.string(&region.country_name);
        writer.string(&region.kind);
        writer.point_delta(region.label_lon_lat_q, &mut previous_label);
        writer.varint(u64::from(region.label_rank));
        writer.varint(min_zoom_tenths(region.min_zoom));
        write_polygons(writer, &region.polygons);
    }
}

/// `min_zoom` is stored in tenths: Natural Earth gives it with one decimal.
fn min_zoom_tenths(min_zoom: f32) -> u64 {
    let tenths = (f64::from(min_zoom) * 10.0).round().clamp(0.0, 65_535.0);
    // In range by the clamp above.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "clamped"
    )]
    let tenths = tenths as u64;
    tenths
}

fn write_polygons(writer: &mut Writer, polygons: &[Vec<RingRecord>]) {
    writer.varint(polygons.len() as u64);
    let mut previous_arc: i64 = 0;
    for rings in polygons {
        writer.varint(rings.len() as u64);
        for ring in rings {
            writer.varint(u64::from(ring.level_count));
            writer.varint(ring.arcs.len() as u64);
            for arc in &ring.arcs {
                let index = i64::from(arc.index);
                let delta = zigzag(index - previous_arc);
                writer.varint(delta << 1 | u64::from(arc.reversed));
                previous_arc = index;
            }
        }
    }
}

fn read_regions(reader: &mut Reader, arcs: &ArcTable) -> Result<Vec<RegionRecord>, AtlasError> {
    let count = reader.count("region count", 8)?;
    let mut regions = Vec::with_capacity(count);
    let mut previous_label = [0, 0];
    for _ in 0..count {
        regions.push(read_region(reader, arcs, &mut previous_label)?);
    }
    Ok(regions)
}

fn read_region(
    reader: &mut Reader,
    arcs: &ArcTable,
    previous_label: &mut [i32; 2],
) -> Result<RegionRecord, AtlasError> {
    let name = reader.string("region name")?;
    let alt_names = reader.strings("region alt names")?;
    let code = reader.string("region code")?;
    let alt_codes = reader.strings("region alt codes")?;
    let country_iso2 = reader.string("region country")?;
    let country_name = reader.string("region country name")?;
    let kind = reader.string("region kind")?;
    let label_lon_lat_q = reader.point_delta(previous_label)?;
    let label_rank = u8::try_from(reader.varint("label rank")?)
        .map_err(|_| AtlasError::Invalid("label rank"))?;
    let min_zoom_tenths =
        u16::try_from(reader.varint("min zoom")?).map_err(|_| AtlasError::Invalid("min zoom"))?;
    let polygons = read_polygons(reader, arcs)?;
    Ok(RegionRecord {
        name,
        alt_names,
        code,
        alt_codes,
        country_iso2,
        country_name,
        kind,
        label_lon_lat_q,
        label_rank,
        min_zoom: f32::from(min_zoom_tenths) / 10.0,
        polygons,
    })
}

fn read_polygons(reader: &mut Reader, arcs: &ArcTable) -> Result<Vec<Vec<RingRecord>>, AtlasError> {
    let polygon_count = reader.count("polygon count", 1)?;
    let mut polygons = Vec::with_capacity(polygon_count);
    let mut previous_arc: i64 = 0;
    for _ in 0..polygon_count {
        let ring_count = reader.count("ring count", 2)?;
        let mut rings = Vec::with_capacity(ring_count);
        for _ in 0..ring_count {
            rings.push(read_ring(reader, arcs, &mut previous_arc)?);
        }
        polygons.push(rings);
    }
    Ok(polygons)
}

fn read_ring(
    reader: &mut Reader,
    arcs: &ArcTable,
    previous_arc: &mut i64,
) -> Result<RingRecord, AtlasError> {
    let level_count = u8::try_from(reader.varint("ring levels")?)
        .map_err(|_| AtlasError::Invalid("ring levels"))?;
    let arc_count = reader.count("ring arc count", 1)?;
    let mut refs = Vec::with_capacity(arc_count);
    for _ in 0..arc_count {
        let packed = reader.varint("arc reference")?;
        let index = previous_arc
            .checked_add(unzigzag(packed >> 1))
            .ok_or(AtlasError::Invalid("arc reference"))?;
        let index = u32::try_from(index)
            .ok()
            .filter(|&index| (index as usize) < arcs.len())
            .ok_or(AtlasError::Invalid("arc reference"))?;
        *previous_arc = i64::from(index);
        refs.push(ArcRef {
            index,
            reversed: packed & 1 == 1,
        });
    }
    Ok(RingRecord {
        level_count,
        arcs: refs,
    })
}

fn write_cities(writer: &mut Writer, cities: &[CityRecord]) {
    writer.varint(cities.len() as u64);
    for city in cities {
        writer.varint(u64::from(city.geoname_id));
    }
    for city in cities {
        writer.string(&city.name);
        writer.strings(&city.alt_names);
    }
    for city in cities {
        writer.string(&city.country_iso2);
        writer.string(&city.admin1);
    }
    let points: Vec<[i32; 2]> = cities.iter().map(|city| city.lon_lat_q).collect();
    writer.points(&points);
    for city in cities {
        writer.varint(city.population);
    }
    for city in cities {
        writer.bytes.push(u8::from(city.capital));
    }
}

fn read_cities(reader: &mut Reader) -> Result<Vec<CityRecord>, AtlasError> {
    let count = reader.count("city count", 8)?;
    let mut cities = vec![CityRecord::default(); count];
    for city in &mut cities {
        city.geoname_id = u32::try_from(reader.varint("geoname id")?)
            .map_err(|_| AtlasError::Invalid("geoname id"))?;
    }
    for city in &mut cities {
        city.name = reader.string("city name")?;
        city.alt_names = reader.strings("city alt names")?;
    }
    for city in &mut cities {
        city.country_iso2 = reader.string("city country")?;
        city.admin1 = reader.string("city admin1")?;
    }
    for (city, point) in cities.iter_mut().zip(reader.points(count)?) {
        city.lon_lat_q = point;
    }
    for city in &mut cities {
        city.population = reader.varint("population")?;
    }
    for city in &mut cities {
        city.capital = match reader.take(1, "capital flag")? {
            [0] => false,
            [1] => true,
            _ => return Err(AtlasError::Invalid("capital flag")),
        };
    }
    Ok(cities)
}

/// Maps signed to unsigned so that small magnitudes give small varints.
#[expect(
    clippy::cast_sign_loss,
    reason = "zig-zag reinterprets the bits on purpose"
)]
fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

/// Inverse of [`zigzag`].
#[expect(
    clippy::cast_possible_wrap,
    reason = "zig-zag reinterprets the bits on purpose"
)]
fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// Appends varints and strings to a byte buffer.
#[derive(Default)]
struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    /// LEB128: seven bits per byte, low bits first, high bit set on all but the last byte.
    #[expect(
        clippy::cast_possible_truncation,
        reason = "only the low seven bits are wanted"
    )]
    fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.bytes.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
    }

    fn string(&mut self, text: &str) {
        self.varint(text.len() as u64);
        self.bytes.extend_from_slice(text.as_bytes());
    }

    fn strings(&mut self, texts: &[String]) {
        self.varint(texts.len() as u64);
        for text in texts {
            self.string(text);
        }
    }

    fn point_delta(&mut self, point: [i32; 2], previous: &mut [i32; 2]) {
        for axis in 0..2 {
            self.varint(zigzag(i64::from(point[axis]) - i64::from(previous[axis])));
        }
        *previous = point;
    }

    /// Points as deltas from the previous one, starting from `[0, 0]`.
    fn points(&mut self, points: &[[i32; 2]]) {
        let mut previous = [0, 0];
        for &point in points {
            self.point_delta(point, &mut previous);
        }
    }
}

/// Reads varints and strings from a byte slice; every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, position: 0 }
    }

    fn is_at_end(&self) -> bool {
        self.position == self.bytes.len()
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.position)
    }

    /// Fails unless at least `len` bytes remain (checked before allocating for them).
    fn ensure(&self, len: usize, what: &'static str) -> Result<(), AtlasError> {
        if len <= self.remaining() {
            Ok(())
        } else {
            Err(AtlasError::Truncated(what))
        }
    }

    fn take(&mut self, len: usize, what: &'static str) -> Result<&'a [u8], AtlasError> {
        self.ensure(len, what)?;
        let start = self.position;
        self.position += len;
        self.bytes
            .get(start..self.position)
            .ok_or(AtlasError::Truncated(what))
    }

    fn varint(&mut self, what: &'static str) -> Result<u64, AtlasError> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let &byte = self
                .bytes
                .get(self.position)
                .ok_or(AtlasError::Truncated(what))?;
            self.position += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(AtlasError::Invalid(what))
    }

    /// A length that is followed by at least `min_bytes_each` bytes per element: refusing
    /// impossible lengths up front keeps garbage from causing huge allocations.
    fn count(&mut self, what: &'static str, min_bytes_each: usize) -> Result<usize, AtlasError> {
        let count = usize::try_from(self.varint(what)?).map_err(|_| AtlasError::Invalid(what))?;
        self.ensure(count.saturating_mul(min_bytes_each), what)?;
        Ok(count)
    }

    fn f64(&mut self, what: &'static str) -> Result<f64, AtlasError> {
        let bytes = self.take(8, what)?;
        let array: [u8; 8] = bytes.try_into().map_err(|_| AtlasError::Truncated(what))?;
        Ok(f64::from_bits(u64::from_le_bytes(array)))
    }

    fn string(&mut self, what: &'static str) -> Result<String, AtlasError> {
        let len = self.count(what, 1)?;
        let bytes = self.take(len, what)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| AtlasError::Invalid(what))
    }

    fn strings(&mut self, what: &'static str) -> Result<Vec<String>, AtlasError> {
        let count = self.count(what, 1)?;
        (0..count).map(|_| self.string(what)).collect()
    }

    fn point_delta(&mut self, previous: &mut [i32; 2]) -> Result<[i32; 2], AtlasError> {
        let mut point = [0; 2];
        for axis in 0..2 {
            let delta = unzigzag(self.varint("coordinate")?);
            point[axis] = i64::from(previous[axis])
                .checked_add(delta)
                .and_then(|value| i32::try_from(value).ok())
                .ok_or(AtlasError::Invalid("coordinate"))?;
        }
        *previous = point;
        Ok(point)
    }

    fn points(&mut self, count: usize) -> Result<Vec<[i32; 2]>, AtlasError> {
        self.ensure(count.saturating_mul(2), "points")?;
        let mut previous = [0, 0];
        (0..count)
            .map(|_| self.point_delta(&mut previous))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_file() -> AtlasFile {
        let mut arcs = ArcTable::default();
        arcs.push(&[[0, 0], [100, 0], [100, 100], [0, 0]], &[4, 2, 4, 4]);
        arcs.push(&[[-5, 7], [9, -3]], &[4, 4]);
        let ring = RingRecord {
            level_count: 3,
            arcs: vec![ArcRef {
                index: 0,
                reversed: true,
            }],
        };
        let region = RegionRecord {
            name: "Khost".into(),
            alt_names: vec!["Khowst".into()],
            code: "AF-KHO".into(),
            alt_codes: vec!["AFG-1758".into(), "AF.37".into()],
            country_iso2: "AF".into(),
            country_name: "Afghanistan".into(),
            kind: "Province".into(),
            label_lon_lat_q: [6_982_110, 3_336_300],
            label_rank: 7,
            min_zoom: 7.7,
            polygons: vec![vec![ring]],
        };
        let city = CityRecord {
            geoname_id: 1_136_469,
            name: "Khōst".into(),
            alt_names: vec!["Khost".into(), "Matun".into()],
            country_iso2: "AF".into(),
            admin1: "AF.37".into(),
            lon_lat_q: [6_992_041, 3_333_951],
            population: 96_123,
            capital: false,
        };
        AtlasFile {
            quantum_per_degree: 100_000,
            tolerances_world: vec![1e-5, 1e-4],
            arcs,
            countries: vec![],
            provinces: vec![region],
            cities: vec![city],
        }
    }

    #[test]
    fn varints_round_trip_at_the_extremes() {
        for value in [
            0,
            1,
            -1,
            63,
            -64,
            64,
            i64::from(i32::MAX),
            i64::MIN,
            i64::MAX,
        ] {
            assert_eq!(unzigzag(zigzag(value)), value);
        }
        let mut writer = Writer::default();
        writer.varint(u64::MAX);
        let mut reader = Reader::new(&writer.bytes);
        assert_eq!(reader.varint("test").ok(), Some(u64::MAX));
    }

    #[test]
    fn file_round_trips_and_is_deterministic() {
        let file = sample_file();
        let bytes = encode(&file);
        assert_eq!(bytes, encode(&file));
        let decoded = decode(&bytes);
        assert!(decoded.is_ok(), "{decoded:?}");
        assert_eq!(decoded.ok(), Some(file));
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(matches!(decode(b""), Err(AtlasError::BadMagic)));
        assert!(matches!(
            decode(b"not an atlas at all"),
            Err(AtlasError::BadMagic)
        ));
        let mut wrong_version = MAGIC.to_vec();
        wrong_version.extend_from_slice(&99u32.to_le_bytes());
        assert!(matches!(
            decode(&wrong_version),
            Err(AtlasError::UnsupportedVersion(99))
        ));
        let mut bad_stream = MAGIC.to_vec();
        bad_stream.extend_from_slice(&VERSION.to_le_bytes());
        bad_stream.extend_from_slice(&[0xff; 64]);
        assert!(decode(&bad_stream).is_err());
    }

    #[test]
    fn every_truncation_and_bit_flip_is_an_error_or_a_value_never_a_panic() {
        let bytes = encode(&sample_file());
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len]).is_err(), "truncated at {len}");
        }
        for index in 0..bytes.len() {
            for bit in 0..8 {
                let mut flipped = bytes.clone();
                flipped[index] ^= 1 << bit;
                let _ = decode(&flipped);
            }
        }
    }

    #[test]
    fn garbage_body_is_an_error() {
        // A valid deflate stream around bytes that are not an atlas body.
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::fast());
        let _ = encoder.write_all(&[0xff; 300]);
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&VERSION.to_le_bytes());
        bytes.extend(encoder.finish().unwrap_or_default());
        assert!(decode(&bytes).is_err());
    }
}
