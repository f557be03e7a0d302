//! The places of a dataset, held in columns.
//!
//! A file whose every row has its own coordinates (GPS-located data, a
//! precise geocoder's output) names as many places as events. Held one
//! [`Place`] each, a place costs a struct, an allocation for its name and
//! a hash-map entry to find it again; in columns it costs its two
//! coordinates, its name's bytes and a few bytes of index, which is what a
//! column store pays for the same data.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};

use hashbrown::HashTable;

use super::fast_hash::{FastBuild, FastHasher};
use super::repeats::Repeats;
use super::{Location, LocationPrecision, Name, Place, PlaceIdx, PlaceKind, PlacePrecision};
use crate::halves::{in_halves, merged};

/// Every place a dataset names, by [`PlaceIdx`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Places {
    /// The places' names, one after another.
    names: String,
    /// Where each place's name ends in `names`.
    name_ends: Vec<usize>,
    kinds: Vec<PlaceKind>,
    /// Each place's country as one more than its index in `countries`
    /// (0: none known).
    country_of: Vec<u32>,
    /// The country codes the places name, each once.
    countries: Vec<Name>,
    /// Each point's longitude and latitude; NaN for a place that is not
    /// a point with finite coordinates.
    points: Vec<[f64; 2]>,
    /// The locations that are not such points (regions of the basemap, a
    /// file's own areas), by place, in place order.
    shapes: Vec<(PlaceIdx, Location)>,
    /// Each place's stated precision as one more than its
    /// [`LocationPrecision`]'s number (0: none stated).
    stated: Vec<u8>,
    /// The radii sources gave, by place, in place order (few places have one).
    radii: Vec<(PlaceIdx, f32)>,
}

/// One place of [`Places`], read from its columns.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceRef<'p> {
    /// The name shown on the map and in the details.
    pub name: &'p str,
    /// City, province or country (as the source or the gazetteer said).
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-2 code of its country, where known (one shared
    /// name per code).
    pub country: Option<&'p Name>,
    /// Where it is; `None` when nothing resolved it.
    pub location: Option<Location>,
    /// How precisely the source placed it there.
    pub precision: PlacePrecision,
}

impl PlaceRef<'_> {
    /// The place as a value of its own.
    pub fn to_place(&self) -> Place {
        Place {
            name: self.name.into(),
            kind: self.kind,
            country: self.country.cloned(),
            location: self.location.clone(),
            precision: self.precision,
        }
    }

    /// How precisely it is known where its events happened.
    pub fn location_precision(&self) -> LocationPrecision {
        let region = matches!(self.location, Some(Location::Region(_)));
        self.precision.of(self.kind, region)
    }

    /// Its precision where the source's word changes what its kind and
    /// location say (a town's point that is only near the event); `None`
    /// where they say it already, so a file need not repeat it.
    pub fn precision_beyond_kind(&self) -> Option<LocationPrecision> {
        let region = matches!(self.location, Some(Location::Region(_)));
        let level = self.location_precision();
        (level != PlacePrecision::default().of(self.kind, region)).then_some(level)
    }

    /// How precisely it is known, in words, for a place that is not exact:
    /// "near this place, within about 5 km".
    pub fn precision_words(&self) -> Option<String> {
        let level = self.location_precision();
        let km = self.precision.radius_or_default(level);
        let about = if self.precision.radius_km.is_some() {
            ""
        } else {
            "about "
        };
        match (level, &self.location) {
            (LocationPrecision::Exact, _) | (_, None) => None,
            (LocationPrecision::Near, _) => Some(format!(
                "near this place, within {about}{km} km (drawn as a ring)"
            )),
            (LocationPrecision::Region, Some(Location::Region(_))) => {
                Some("known only to this region (drawn as the region)".to_owned())
            }
            (LocationPrecision::Region, Some(_)) => Some(format!(
                "somewhere in this region; the point is its centre (a ring of {about}{km} km)"
            )),
        }
    }
}

/// Where a place is, borrowed from the columns: what two places must share
/// to be one.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Where<'p> {
    Nowhere,
    Point([f64; 2]),
    Shape(&'p Location),
}

impl<'p> Where<'p> {
    fn of(location: Option<&'p Location>) -> Self {
        match location {
            None => Self::Nowhere,
            Some(Location::Point { lon_lat }) if lon_lat.iter().all(|c| c.is_finite()) => {
                Self::Point(*lon_lat)
            }
            Some(shape) => Self::Shape(shape),
        }
    }

    /// Points are equal bit for bit, as they are hashed.
    fn is(self, other: Self) -> bool {
        match (self, other) {
            (Self::Nowhere, Self::Nowhere) => true,
            (Self::Point(a), Self::Point(b)) => a.map(f64::to_bits) == b.map(f64::to_bits),
            (Self::Shape(a), Self::Shape(b)) => a == b,
            _ => false,
        }
    }
}

impl Places {
    /// How many places there are.
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// The place at `idx`.
    pub fn get(&self, idx: PlaceIdx) -> Option<PlaceRef<'_>> {
        let i = idx as usize;
        Some(PlaceRef {
            name: self.name(i)?,
            kind: *self.kinds.get(i)?,
            country: self.country(i),
            location: match self.place_where(i) {
                Where::Nowhere => None,
                Where::Point(lon_lat) => Some(Location::Point { lon_lat }),
                Where::Shape(shape) => Some(shape.clone()),
            },
            precision: self.precision(i),
        })
    }

    /// How precisely the place at `idx` is known, and the radius around
    /// its point that the event may lie within, in kilometres (0 for an
    /// exact place): read from the columns, for drawing every frame.
    pub fn precision_at(&self, idx: PlaceIdx) -> (LocationPrecision, f32) {
        let i = idx as usize;
        let kind = self.kinds.get(i).copied().unwrap_or(PlaceKind::City);
        let region = matches!(self.place_where(i), Where::Shape(Location::Region(_)));
        let precision = self.precision(i);
        let level = precision.of(kind, region);
        (level, precision.radius_or_default(level))
    }

    /// Whether some place is a point known only to its region (a centre
    /// a source gives for a province or country).
    pub fn has_region_points(&self) -> bool {
        (0..self.len()).any(|i| {
            matches!(self.place_where(i), Where::Point(_))
                && u32::try_from(i)
                    .is_ok_and(|p| self.precision_at(p).0 == LocationPrecision::Region)
        })
    }

    /// The first place.
    pub fn first(&self) -> Option<PlaceRef<'_>> {
        self.get(0)
    }

    /// Every place, in index order.
    pub fn iter(&self) -> impl Iterator<Item = PlaceRef<'_>> + '_ {
        (0..self.len()).map_while(|i| self.get(u32::try_from(i).ok()?))
    }

    fn name(&self, i: usize) -> Option<&str> {
        let end = *self.name_ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(before) => *self.name_ends.get(before)?,
            None => 0,
        };
        self.names.get(start..end)
    }

    fn country(&self, i: usize) -> Option<&Name> {
        let slot = *self.country_of.get(i)?;
        self.countries.get(slot.checked_sub(1)? as usize)
    }

    fn shape(&self, i: usize) -> Option<&Location> {
        let at = self
            .shapes
            .binary_search_by_key(&i, |&(p, _)| p as usize)
            .ok()?;
        self.shapes.get(at).map(|(_, shape)| shape)
    }

    fn precision(&self, i: usize) -> PlacePrecision {
        let stated = match self.stated.get(i) {
            Some(&code @ 1..) => LocationPrecision::ALL.get(usize::from(code) - 1).copied(),
            _ => None,
        };
        let radius_km = match self.radii.binary_search_by_key(&i, |&(p, _)| p as usize) {
            Ok(at) => self.radii.get(at).map(|&(_, r)| r),
            Err(_) => None,
        };
        PlacePrecision { stated, radius_km }
    }

    fn place_where(&self, i: usize) -> Where<'_> {
        match self.points.get(i) {
            Some(&point) if point.iter().all(|c| c.is_finite()) => Where::Point(point),
            _ => Where::of(self.shape(i)),
        }
    }

    /// Adds a place (its country by [`PlaceTable::country_slot`]'s number).
    fn push(
        &mut self,
        name: &str,
        kind: PlaceKind,
        country: u32,
        at: Where<'_>,
        precision: PlacePrecision,
    ) -> PlaceIdx {
        let idx = u32::try_from(self.len()).unwrap_or(u32::MAX);
        self.names.push_str(name);
        self.name_ends.push(self.names.len());
        self.kinds.push(kind);
        self.country_of.push(country);
        self.stated.push(precision.key().0);
        if let Some(radius) = precision.radius_km {
            self.radii.push((idx, radius));
        }
        let point = match at {
            Where::Point(lon_lat) => lon_lat,
            Where::Nowhere => [f64::NAN; 2],
            Where::Shape(shape) => {
                self.shapes.push((idx, shape.clone()));
                [f64::NAN; 2]
            }
        };
        self.points.push(point);
        idx
    }

    /// Adds `other`'s places after these, as they are, each country by
    /// its slot here (`countries`, by its slot there less one).
    fn append(&mut self, other: Self, countries: &[u32]) {
        let first = u32::try_from(self.len()).unwrap_or(u32::MAX);
        let name_offset = self.names.len();
        let Self {
            names,
            name_ends,
            kinds,
            country_of,
            points,
            shapes,
            stated,
            radii,
            ..
        } = other;
        self.names.push_str(&names);
        drop(names);
        self.name_ends
            .extend(name_ends.into_iter().map(|end| end + name_offset));
        self.kinds.extend(kinds);
        let country = |slot: u32| {
            let at = slot.checked_sub(1)? as usize;
            countries.get(at).copied()
        };
        self.country_of.extend(
            country_of
                .into_iter()
                .map(|slot| country(slot).unwrap_or(0)),
        );
        self.points.extend(points);
        let moved = |p: PlaceIdx| p.saturating_add(first);
        self.shapes
            .extend(shapes.into_iter().map(|(p, shape)| (moved(p), shape)));
        self.stated.extend(stated);
        self.radii
            .extend(radii.into_iter().map(|(p, radius)| (moved(p), radius)));
    }

    /// The places that are the first of their equals (`first_of`, from
    /// [`first_of_equals`]), in order, and where each place is among them.
    fn kept_first(&self, first_of: &[PlaceIdx]) -> (Self, Vec<PlaceIdx>) {
        let mut kept = Self {
            countries: self.countries.clone(),
            ..Self::default()
        };
        let mut new_of: Vec<PlaceIdx> = Vec::with_capacity(first_of.len());
        for (i, &first) in first_of.iter().enumerate() {
            let new = if first as usize == i {
                let name = self.name(i).unwrap_or_default();
                let kind = self.kinds.get(i).copied().unwrap_or(PlaceKind::City);
                let country = self.country_of.get(i).copied().unwrap_or(0);
                kept.push(name, kind, country, self.place_where(i), self.precision(i))
            } else {
                new_of.get(first as usize).copied().unwrap_or(first)
            };
            new_of.push(new);
        }
        (kept, new_of)
    }

    /// The key of the place at `i`, to compare and hash it.
    fn key(&self, i: PlaceIdx) -> Option<PlaceKey<'_>> {
        let at = i as usize;
        Some(PlaceKey {
            name: self.name(at)?,
            kind: *self.kinds.get(at)?,
            country: self.country(at).map(|c| c.as_str()),
            at: self.place_where(at),
            precision: self.precision(at),
        })
    }
}

/// Places in the order given, equal ones too (a dataset made in code).
impl FromIterator<Place> for Places {
    fn from_iter<I: IntoIterator<Item = Place>>(places: I) -> Self {
        let mut table = PlaceTable::default();
        for place in places {
            let key = PlaceKey::of(&place);
            table.add(&key, key.hash());
        }
        table.finish().0
    }
}

/// Where the places of a table appended to another now are.
pub(crate) enum PlaceMap {
    /// Numbered on from this index, in order.
    From(PlaceIdx),
    /// Each at its entry (by its index in the table appended).
    Each(Vec<PlaceIdx>),
}

impl PlaceMap {
    /// Where the appended table's place `place` now is.
    pub(crate) fn get(&self, place: PlaceIdx) -> PlaceIdx {
        match self {
            Self::From(first) => place.saturating_add(*first),
            Self::Each(found) => found.get(place as usize).copied().unwrap_or(place),
        }
    }

    /// Whether every place keeps its index.
    pub(super) fn is_identity(&self) -> bool {
        matches!(self, Self::From(0))
    }
}

/// Builds [`Places`], finding a place named before instead of adding it
/// again.
///
/// While places are named again, each is looked up as it comes. Once they
/// hardly are (a file whose rows each have a point of their own; the rows
/// that repeat a place are found by the loaders' own memos before they
/// come here), a table of a million entries and a trip to memory a place
/// would save nothing: places are then added as they come, and the few
/// equal ones among them found at the end, by sorting
/// ([`PlaceTable::finish`]).
#[derive(Default)]
pub(super) struct PlaceTable {
    places: Places,
    /// Places by the hash of their key: each entry is a place's index and
    /// half its key's hash (the key itself is read from the columns), so
    /// that growing the table reads no place.
    by_key: HashTable<(PlaceIdx, u32)>,
    /// Country codes by their number in [`Places::countries`] plus one.
    country_slots: HashMap<Name, u32, FastBuild>,
    /// Whether lookups still find places.
    repeats: Repeats,
    /// Whether places are added without a lookup (`by_key` then empty).
    unindexed: bool,
}

impl PlaceTable {
    pub(super) fn places(&self) -> &Places {
        &self.places
    }

    /// The places, each once, and where the places added are now (by
    /// their index as added), when some were equal: `None` when every
    /// index stays.
    pub(super) fn finish(self) -> (Places, Option<Vec<PlaceIdx>>) {
        if !self.unindexed {
            return (self.places, None);
        }
        let places = self.places;
        let Some(first_of) = first_of_equals(&places) else {
            return (places, None);
        };
        let (kept, new_of) = places.kept_first(&first_of);
        (kept, Some(new_of))
    }

    /// Adds `other`'s places after these, and says where each is now.
    ///
    /// While this table still looks places up, each of `other`'s is looked
    /// up here (one read before is found, a new one added), as if it had
    /// been named here: a file whose rows repeat their places keeps them
    /// indexed to the end, with nothing left to merge. Once it no longer
    /// does, `other`'s are added as they are, numbered on from these, and
    /// the equal ones found at the end, as for any place added without a
    /// lookup ([`PlaceTable::finish`]).
    pub(super) fn append(&mut self, other: Self) -> PlaceMap {
        let first = u32::try_from(self.places.len()).unwrap_or(u32::MAX);
        if other.places.is_empty() {
            return PlaceMap::From(first);
        }
        if self.places.is_empty() {
            *self = other;
            return PlaceMap::From(0);
        }
        if !self.unindexed {
            let count = u32::try_from(other.places.len()).unwrap_or(u32::MAX);
            let found = (0..count)
                .map(|i| match other.places.key(i) {
                    Some(key) => self.find_or_add_counted(&key, false),
                    None => first,
                })
                .collect();
            return PlaceMap::Each(found);
        }
        let countries: Vec<u32> = other
            .places
            .countries
            .iter()
            .map(|code| self.country_slot(code))
            .collect();
        self.places.append(other.places, &countries);
        self.by_key = HashTable::new();
        PlaceMap::From(first)
    }

    /// Whether places are still looked up as they are added.
    #[cfg(test)]
    pub(super) fn looks_up(&self) -> bool {
        !self.unindexed
    }

    /// The index of a place, added if not seen before.
    pub(super) fn place(&mut self, place: &Place) -> PlaceIdx {
        self.find_or_add(&PlaceKey::of(place))
    }

    /// Like [`PlaceTable::place`] for a point given by its parts: nothing
    /// is allocated for a place seen before, nor for a new one beyond its
    /// share of the columns.
    pub(super) fn point(
        &mut self,
        name: &str,
        kind: PlaceKind,
        country: Option<&str>,
        lon_lat: [f64; 2],
        precision: PlacePrecision,
    ) -> PlaceIdx {
        let location = Location::Point { lon_lat };
        self.find_or_add(&PlaceKey {
            name,
            kind,
            country,
            at: Where::of(Some(&location)),
            precision,
        })
    }

    fn find_or_add(&mut self, key: &PlaceKey<'_>) -> PlaceIdx {
        self.find_or_add_counted(key, true)
    }

    /// Like [`PlaceTable::find_or_add`]; the lookup counts towards whether
    /// places still repeat only when `counted` (places joined from another
    /// table are each other's first: that they are not found says nothing
    /// of the file's rows).
    fn find_or_add_counted(&mut self, key: &PlaceKey<'_>, counted: bool) -> PlaceIdx {
        if self.unindexed {
            let country = key.country.map_or(0, |code| self.country_slot(code));
            return self
                .places
                .push(key.name, key.kind, country, key.at, key.precision);
        }
        let hash = key.hash();
        let places = &self.places;
        let found = self.by_key.find(widen(hash), |&(i, _)| {
            places.key(i).is_some_and(|other| key.is(&other))
        });
        if counted {
            self.repeats.counted(found.is_some());
        }
        if let Some(&(idx, _)) = found {
            return idx;
        }
        let idx = self.add(key, hash);
        if counted && !self.repeats.worth() {
            self.unindexed = true;
            self.by_key = HashTable::new();
        }
        idx
    }

    /// Adds a place without looking for an equal one.
    fn add(&mut self, key: &PlaceKey<'_>, hash: u64) -> PlaceIdx {
        let country = key.country.map_or(0, |code| self.country_slot(code));
        let idx = self
            .places
            .push(key.name, key.kind, country, key.at, key.precision);
        self.by_key
            .insert_unique(widen(hash), (idx, hash as u32), |&(_, half)| {
                widen(u64::from(half))
            });
        idx
    }

    /// The number that stands for this country code in the columns.
    fn country_slot(&mut self, code: &str) -> u32 {
        if let Some(&slot) = self.country_slots.get(code) {
            return slot;
        }
        let name = Name::from(code);
        self.places.countries.push(name.clone());
        let slot = u32::try_from(self.places.countries.len()).unwrap_or(u32::MAX);
        self.country_slots.insert(name, slot);
        slot
    }
}

/// For each place, the first place equal to it (itself when none before
/// is), found by sorting the places by their keys' hashes; `None` when no
/// two are equal.
fn first_of_equals(places: &Places) -> Option<Vec<PlaceIdx>> {
    let count = u32::try_from(places.len()).ok()?;
    // Each half of the places is hashed and sorted on a thread of its own;
    // the two are then read as one sorted list.
    let hashed = |range: std::ops::Range<PlaceIdx>| {
        let mut hashed: Vec<(u64, PlaceIdx)> = range
            .map(|i| (places.key(i).map_or(0, |k| k.hash()), i))
            .collect();
        hashed.sort_unstable();
        hashed
    };
    let (mut front, mut back) = (Vec::new(), Vec::new());
    in_halves(
        places.len(),
        || front = hashed(0..count / 2),
        || back = hashed(count / 2..count),
    );
    let mut first_of: Vec<PlaceIdx> = (0..count).collect();
    let mut any = false;
    let mut same_hash: Vec<PlaceIdx> = Vec::new();
    let mut sorted = merged(&front, &back).peekable();
    while let Some((hash, place)) = sorted.next() {
        same_hash.clear();
        same_hash.push(place);
        while let Some((_, next)) = sorted.next_if(|&(h, _)| h == hash) {
            same_hash.push(next);
        }
        for (n, &place) in same_hash.iter().enumerate().skip(1) {
            let Some(key) = places.key(place) else {
                continue;
            };
            let earlier = same_hash.get(..n).unwrap_or_default();
            let equal = earlier.iter().copied().find(|&p| {
                first_of.get(p as usize) == Some(&p)
                    && places.key(p).is_some_and(|other| key.is(&other))
            });
            if let (Some(first), Some(slot)) = (equal, first_of.get_mut(place as usize)) {
                *slot = first;
                any = true;
            }
        }
    }
    any.then_some(first_of)
}

/// The table's hash of a key's hash: made from its low half alone, so that
/// the half an entry keeps gives it again; the multiply spreads those bits
/// to the high ones that the table's tags are taken from.
fn widen(hash: u64) -> u64 {
    u64::from(hash as u32).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The parts that make two places one, borrowed.
struct PlaceKey<'p> {
    name: &'p str,
    kind: PlaceKind,
    country: Option<&'p str>,
    at: Where<'p>,
    precision: PlacePrecision,
}

impl<'p> PlaceKey<'p> {
    fn of(place: &'p Place) -> Self {
        Self {
            name: &place.name,
            kind: place.kind,
            country: place.country.as_deref(),
            at: Where::of(place.location.as_ref()),
            precision: place.precision,
        }
    }

    /// Names compare without case, as the map shows one marker for
    /// "Kabul" and "KABUL" at one point.
    fn hash(&self) -> u64 {
        let mut h = FastHasher::default();
        hash_folded(self.name, &mut h);
        self.kind.hash(&mut h);
        self.country.hash(&mut h);
        self.precision.key().hash(&mut h);
        match self.at {
            Where::Nowhere => h.write_u8(0),
            Where::Point(lon_lat) => {
                h.write_u8(1);
                lon_lat.map(f64::to_bits).hash(&mut h);
            }
            Where::Shape(Location::Region(id)) => {
                h.write_u8(2);
                id.hash(&mut h);
            }
            Where::Shape(shape) => {
                // Outlines are few; their text is hashed, not kept.
                h.write_u8(3);
                let _ = write!(HashWriter(&mut h), "{shape:?}");
            }
        }
        h.finish()
    }

    fn is(&self, other: &PlaceKey<'_>) -> bool {
        self.at.is(other.at)
            && self.kind == other.kind
            && self.precision.key() == other.precision.key()
            && self.country == other.country
            && same_folded(self.name, other.name)
    }
}

/// Hashes a name's lower-case UTF-8, eight bytes at a time: a name equal
/// without case to another hashes alike, whichever letters it uses.
fn hash_folded(name: &str, h: &mut FastHasher) {
    let lowered;
    let bytes = if name.is_ascii() {
        name.as_bytes()
    } else {
        lowered = name.to_lowercase();
        lowered.as_bytes()
    };
    for chunk in bytes.chunks(8) {
        let mut word = [0_u8; 8];
        for (w, b) in word.iter_mut().zip(chunk) {
            *w = b.to_ascii_lowercase();
        }
        h.write_u64(u64::from_le_bytes(word));
    }
    h.write_usize(bytes.len());
}

/// Whether two names are equal without case.
fn same_folded(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// Feeds formatted text to a hasher.
struct HashWriter<'h>(&'h mut FastHasher);

impl std::fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RegionId, RegionLevel};

    /// A province known by its outline in the atlas.
    fn punjab() -> Place {
        Place {
            name: "Punjab".into(),
            kind: PlaceKind::Province,
            country: Some("PK".into()),
            location: Some(Location::Region(RegionId {
                level: RegionLevel::Province,
                index: 7,
            })),
            precision: PlacePrecision::default(),
        }
    }

    fn point(name: &str, lon_lat: [f64; 2]) -> Place {
        Place {
            name: name.into(),
            kind: PlaceKind::City,
            country: Some("AF".into()),
            location: Some(Location::Point { lon_lat }),
            precision: PlacePrecision::default(),
        }
    }

    #[test]
    fn a_place_says_how_precisely_it_is_known() {
        let mut places = Places::default();
        let near = PlacePrecision::stated(LocationPrecision::Near);
        let at = |lon_lat| Where::Point(lon_lat);
        places.push(
            "Exact",
            PlaceKind::City,
            0,
            at([1.0, 2.0]),
            PlacePrecision::default(),
        );
        places.push("Near", PlaceKind::City, 0, at([1.0, 2.0]), near);
        let given = PlacePrecision {
            radius_km: Some(2.5),
            ..near
        };
        places.push("Given", PlaceKind::City, 0, at([1.0, 2.0]), given);
        places.push(
            "Centre",
            PlaceKind::Province,
            0,
            at([1.0, 2.0]),
            PlacePrecision::default(),
        );
        let words = |i| places.get(i).and_then(|p| p.precision_words());
        assert_eq!(words(0), None);
        assert_eq!(
            words(1).as_deref(),
            Some("near this place, within about 5 km (drawn as a ring)")
        );
        assert_eq!(
            words(2).as_deref(),
            Some("near this place, within 2.5 km (drawn as a ring)")
        );
        assert_eq!(
            words(3).as_deref(),
            Some("somewhere in this region; the point is its centre (a ring of about 50 km)")
        );
        assert_eq!(places.precision_at(2), (LocationPrecision::Near, 2.5));
    }

    /// Each kind of location reads back as it went in, beside its name,
    /// kind and country, whatever the places around it are.
    #[test]
    fn every_kind_of_place_reads_back_as_it_went_in() {
        let region = punjab();
        let nowhere = Place {
            name: "Nowhere".into(),
            kind: PlaceKind::City,
            country: None,
            location: None,
            precision: PlacePrecision::default(),
        };
        let not_finite = point("Far", [f64::INFINITY, 1.0]);
        let all = [point("Kabul", [69.17, 34.53]), region, nowhere, not_finite];
        let mut table = PlaceTable::default();
        let indexes: Vec<PlaceIdx> = all.iter().map(|p| table.place(p)).collect();
        assert_eq!(indexes, [0, 1, 2, 3]);
        let (places, _) = table.finish();
        assert_eq!(places.len(), 4);
        for (i, place) in (0..).zip(&all) {
            let read = places.get(i).map(|p| p.to_place());
            assert_eq!(read.as_ref(), Some(place), "place {i}");
        }
        assert!(places.get(4).is_none());
        assert_eq!(
            places.iter().map(|p| p.name).collect::<Vec<_>>(),
            ["Kabul", "Punjab", "Nowhere", "Far"]
        );
    }

    /// Once places stop repeating, the table adds them without a lookup;
    /// those equal to earlier ones are found at the end, and the events
    /// naming them are moved to the first.
    #[test]
    fn places_added_without_a_lookup_are_made_one_at_the_end() {
        let mut table = PlaceTable::default();
        let n = Repeats::WINDOW + 10;
        for i in 0..n {
            table.point(
                &format!("P{i}"),
                PlaceKind::City,
                Some("AF"),
                [f64::from(i), 1.0],
                PlacePrecision::default(),
            );
        }
        assert!(table.unindexed);
        let again = table.point(
            "p5",
            PlaceKind::City,
            Some("AF"),
            [5.0, 1.0],
            PlacePrecision::default(),
        );
        let elsewhere = table.point(
            "P5",
            PlaceKind::City,
            Some("AF"),
            [5.5, 1.0],
            PlacePrecision::default(),
        );
        let last = table.point(
            &format!("P{}", n - 1),
            PlaceKind::City,
            Some("AF"),
            [f64::from(n - 1), 1.0],
            PlacePrecision::default(),
        );
        let (places, new_of) = table.finish();
        let new_of = new_of.expect("some places were equal");
        assert_eq!(places.len(), n as usize + 1);
        assert_eq!(new_of.len(), n as usize + 3);
        assert_eq!(new_of[again as usize], 5);
        assert_eq!(new_of[last as usize], n - 1);
        assert_eq!(new_of[elsewhere as usize], n);
        assert_eq!(new_of[17], 17);
        let moved = places.get(n).map(|p| (p.name, p.location));
        let point = Location::Point {
            lon_lat: [5.5, 1.0],
        };
        assert_eq!(moved, Some(("P5", Some(point))));
        assert_eq!(
            places.get(n - 1).map(|p| p.country.map(Name::as_str)),
            Some(Some("AF"))
        );
    }

    /// A table appended to one that still looks places up: its places
    /// follow, each with its country (found here by code) and its shape
    /// and radius, and one equal to an earlier one is that one.
    #[test]
    fn appended_places_follow_and_equal_ones_are_made_one() {
        let mut first = PlaceTable::default();
        first.place(&point("Kabul", [69.17, 34.53]));
        let near = PlacePrecision {
            radius_km: Some(2.5),
            ..PlacePrecision::stated(LocationPrecision::Near)
        };
        let mut second = PlaceTable::default();
        let tehran = second.point("Tehran", PlaceKind::City, Some("IR"), [51.4, 35.7], near);
        let region = punjab();
        second.place(&region);
        second.place(&point("KABUL", [69.17, 34.53]));
        assert_eq!(tehran, 0);
        // Still looked up here: each of the second table's places is found
        // or added, the one named again found where it is.
        let here = first.append(second);
        assert_eq!([0, 1, 2].map(|p| here.get(p)), [1, 2, 0]);
        let (places, new_of) = first.finish();
        assert_eq!(new_of, None);
        let read: Vec<Place> = places.iter().map(|p| p.to_place()).collect();
        let tehran = Place {
            precision: near,
            country: Some("IR".into()),
            ..point("Tehran", [51.4, 35.7])
        };
        assert_eq!(read, [point("Kabul", [69.17, 34.53]), tehran, region]);
    }

    /// Places named before are still found once the table has grown (its
    /// entries moved by the half hash they keep), and places of one
    /// country share one name for it.
    #[test]
    fn places_are_found_after_the_table_grows_and_share_countries() {
        let mut table = PlaceTable::default();
        let kabul = table.place(&point("Kabul", [69.17, 34.53]));
        let elsewhere = table.point(
            "Kabul",
            PlaceKind::City,
            Some("AF"),
            [69.18, 34.53],
            PlacePrecision::default(),
        );
        assert_ne!(elsewhere, kabul);
        // Enough places that the table grows and rehashes from the columns.
        for i in 0..5000 {
            table.point(
                &format!("P{i}"),
                PlaceKind::City,
                Some("AF"),
                [f64::from(i), 0.0],
                PlacePrecision::default(),
            );
        }
        assert_eq!(table.place(&point("KABUL", [69.17, 34.53])), kabul);
        assert_eq!(table.place(&point("Kabul", [69.18, 34.53])), elsewhere);
        let (places, _) = table.finish();
        assert_eq!(places.len(), 5002);
        let country = |i| places.get(i).and_then(|p| p.country.map(Name::address));
        assert_eq!(country(kabul), country(4000));
        assert_eq!(places.get(elsewhere).map(|p| p.name), Some("Kabul"));
    }
}
