//! The gazetteer: turns place names from event data into cities and regions.
//!
//! All names, alt names and codes of every country, province and city are folded (see
//! [`super::fold_name`]) into one index, built once. A query is folded the same way, and the
//! candidates under that key are ranked by the rules documented on [`PlaceQuery`].

use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::fold::{EditScratch, fold};
use super::{Atlas, PlaceKind, RegionId, RegionLevel};
use crate::model::fast_hash::FastBuild;
use crate::model::{Location, Place, PlacePrecision};

/// Largest edit distance [`Atlas::suggest`] accepts.
const MAX_SUGGESTION_EDITS: usize = 2;

/// A place to look up.
///
/// Matching ignores case, diacritics and punctuation ("Khōst" = "KHOST" = "Khost",
/// "İstanbul" = "Istanbul") and covers names, alt names and codes ("AF-KHO", "PAK", "IR",
/// "PK.08"). When several places match, the first of these rules that tells them apart wins:
///
/// 1. a place in `country`, if given (so the country acts as a filter whenever something in it
///    matches, and is ignored otherwise);
/// 2. a place of `kind`, if given (likewise);
/// 3. a match on the primary name or a code over a match on an alt name ("Paktiya" is the
///    province Paktya, not Paktika, which lists "Paktiya" among its alt names);
/// 4. country, then city, then province: "Georgia" is the country, and a city named like its
///    province ("Kabul", "Khost", "Tehran") is the city, the more precise location;
/// 5. the larger population for cities, the lower label rank for regions;
/// 6. the lower index (deterministic).
///
/// A `country` of two letters that no country polygon carries is still compared with the
/// cities' ISO codes; any other `country` that names no known country (a typo) is ignored
/// rather than failing the whole query.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct PlaceQuery<'a> {
    /// The name or code to look up.
    pub name: &'a str,
    /// ISO alpha-2, ISO alpha-3 or name of the country the place should be in.
    pub country: Option<&'a str>,
    /// The kind of place wanted.
    pub kind: Option<PlaceKind>,
}

/// Where a query resolved to.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resolved {
    /// Index in [`Atlas::cities`].
    City(u32),
    /// A country or province.
    Region(RegionId),
}

// The model cannot name the atlas, so the step from a gazetteer answer to a
// model place is written here, on the atlas's side of the line.
impl Place {
    /// A place located by the gazetteer; `None` when `resolved` is no index
    /// of this atlas.
    pub fn from_resolved(atlas: &Atlas, resolved: Resolved) -> Option<Self> {
        match resolved {
            Resolved::City(i) => {
                let city = atlas.city(i)?;
                Some(Self {
                    name: city.name.as_str().into(),
                    kind: PlaceKind::City,
                    country: Some(city.country_iso2.as_str().into()),
                    location: Some(Location::Point {
                        lon_lat: city.lon_lat,
                    }),
                    precision: PlacePrecision::default(),
                })
            }
            Resolved::Region(id) => {
                let region = atlas.region(id)?;
                Some(Self {
                    name: region.name.as_str().into(),
                    kind: id.level.place_kind(),
                    country: Some(region.country_iso2.as_str().into()),
                    location: Some(Location::Region(id)),
                    precision: PlacePrecision::default(),
                })
            }
        }
    }
}

/// How a name matched a place: lower is stronger.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// The display name or a code.
    Primary,
    /// An alt name.
    Alternative,
}

/// One place filed under a folded name.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Candidate {
    target: Resolved,
    strength: Strength,
}

/// Folded name → candidates, each list sorted by the query-independent rules 3–6.
///
/// Candidates live in one flat vector, and each folded name maps to its range in it: one
/// allocation per distinct name instead of one per list keeps building the index fast.
#[derive(Debug, Default)]
pub(super) struct NameIndex {
    /// Folded name → index in `ranges`.
    key_ids: FastMap<String, u32>,
    /// Per folded name: start and length in `candidates`.
    ranges: Vec<(u32, u32)>,
    candidates: Vec<Candidate>,
    /// Each folded name's [`CharMask`], in the order `key_ids` iterates:
    /// made on the first suggestion, since most files never need one.
    masks: OnceLock<Vec<CharMask>>,
}

impl NameIndex {
    /// Indexes every name, alt name and code in `atlas`.
    pub(super) fn build(atlas: &Atlas) -> Self {
        let name_count = atlas
            .cities
            .iter()
            .map(|city| 1 + city.alt_names.len())
            .sum::<usize>()
            + 8 * (atlas.countries.len() + atlas.provinces.len());
        let mut builder = IndexBuilder {
            key_ids: FastMap::with_capacity_and_hasher(name_count, FastBuild::default()),
            entries: Vec::with_capacity(name_count),
        };
        for region in atlas.countries.iter().chain(&atlas.provinces) {
            let target = Resolved::Region(region.id);
            let primary = std::iter::once(&region.name)
                .chain(std::iter::once(&region.code))
                .chain(&region.alt_codes);
            builder.add_all(atlas, primary, target, Strength::Primary);
            builder.add_all(atlas, &region.alt_names, target, Strength::Alternative);
        }
        for (position, city) in (0..).zip(&atlas.cities) {
            let target = Resolved::City(position);
            builder.add_all(
                atlas,
                std::iter::once(&city.name),
                target,
                Strength::Primary,
            );
            builder.add_all(atlas, &city.alt_names, target, Strength::Alternative);
        }
        builder.finish()
    }

    /// The candidates filed under a folded name, best first.
    fn candidates(&self, key: &str) -> &[Candidate] {
        self.key_ids
            .get(key)
            .map_or(&[], |&key_id| self.candidates_of(key_id))
    }

    fn candidates_of(&self, key_id: u32) -> &[Candidate] {
        let Some(&(start, len)) = self.ranges.get(key_id as usize) else {
            return &[];
        };
        let (start, len) = (start as usize, len as usize);
        self.candidates.get(start..start + len).unwrap_or_default()
    }

    /// Applies the rules of [`PlaceQuery`].
    pub(super) fn resolve(&self, atlas: &Atlas, query: &PlaceQuery) -> Option<Resolved> {
        let candidates = self.candidates(&fold(query.name));
        let country_iso2 = query
            .country
            .and_then(|country| self.country_iso2(atlas, country));
        candidates
            .iter()
            .min_by_key(|candidate| {
                let in_country = country_iso2.as_deref().is_none_or(|iso2| {
                    country_of(atlas, candidate.target).eq_ignore_ascii_case(iso2)
                });
                let of_kind = query
                    .kind
                    .is_none_or(|kind| kind_of(candidate.target) == kind);
                // Candidates are presorted by the remaining rules: their position breaks ties.
                (!in_country, !of_kind)
            })
            .map(|candidate| candidate.target)
    }

    /// ISO alpha-2 of the country a query names by code or by name.
    fn country_iso2(&self, atlas: &Atlas, country: &str) -> Option<String> {
        let by_code = atlas.country_by_code(country);
        let by_name = || {
            self.candidates(&fold(country))
                .iter()
                .find_map(|candidate| match candidate.target {
                    Resolved::Region(id) if id.level == RegionLevel::Country => Some(id),
                    _ => None,
                })
        };
        let Some(id) = by_code.or_else(by_name) else {
            // Cities carry ISO alpha-2 codes of places Natural Earth has no polygon for.
            let is_iso2 =
                country.len() == 2 && country.bytes().all(|byte| byte.is_ascii_alphabetic());
            return is_iso2.then(|| country.to_ascii_uppercase());
        };
        let iso2 = &atlas.region(id)?.country_iso2;
        (!iso2.is_empty()).then(|| iso2.clone())
    }

    /// See [`Atlas::suggest`].
    pub(super) fn suggest(&self, atlas: &Atlas, name: &str) -> Option<String> {
        let query = fold(name);
        let query_chars: Vec<char> = query.chars().collect();
        if query_chars.is_empty() {
            return None;
        }
        let mut scratch = EditScratch::default();
        let query_mask = CharMask::of(&query);
        // In the map's own order (which holds while the map is unchanged),
        // so that both are read front to back together.
        let masks = self
            .masks
            .get_or_init(|| self.key_ids.keys().map(|key| CharMask::of(key)).collect());
        let best = self
            .key_ids
            .iter()
            .zip(masks)
            .filter(|(_, mask)| mask.may_be_within(&query_mask, MAX_SUGGESTION_EDITS))
            .map(|(entry, _)| entry)
            .filter_map(|(key, &key_id)| {
                let distance = scratch.distance_at_most(&query_chars, key, MAX_SUGGESTION_EDITS)?;
                let best = *self.candidates_of(key_id).first()?;
                Some((
                    (distance, static_rank(atlas, best), key.as_str()),
                    best.target,
                ))
            })
            .min()?;
        atlas.resolved_name(best.1).map(str::to_owned)
    }
}

/// Which characters a name holds (in 64 buckets) and how many it has: a
/// cheap test that rules out nearly every name before the edit distance is
/// computed (a hundred thousand names, many in other scripts, are searched
/// for each name a file gives that the gazetteer does not know).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct CharMask {
    buckets: u64,
    /// Characters, counted up to 255.
    chars: u8,
}

impl CharMask {
    /// The mask of `text`.
    fn of(text: &str) -> Self {
        let mut mask = Self::default();
        for c in text.chars() {
            mask.chars = mask.chars.saturating_add(1);
            let bucket = match c {
                'a'..='z' => u32::from(c) - u32::from('a'),
                '0'..='9' => 26 + u32::from(c) - u32::from('0'),
                _ => 36 + u32::from(c) % 28,
            };
            mask.buckets |= 1 << bucket;
        }
        mask
    }

    /// Whether `self` may be within `edits` edits of `other`. Each edit
    /// changes the length by at most one, adds at most one kind of
    /// character and takes away at most one, so a bigger difference in any
    /// of these rules it out.
    fn may_be_within(&self, other: &Self, edits: usize) -> bool {
        let added = (self.buckets & !other.buckets).count_ones() as usize;
        let removed = (other.buckets & !self.buckets).count_ones() as usize;
        usize::from(self.chars.abs_diff(other.chars)) <= edits && added <= edits && removed <= edits
    }
}

/// The query-independent rank of a candidate: see [`static_rank`].
type Rank = (Strength, u8, Reverse<u64>, Resolved);

/// Collects `(folded name, candidate)` entries, then sorts them into a [`NameIndex`].
struct IndexBuilder {
    key_ids: FastMap<String, u32>,
    entries: Vec<(u32, Rank, Candidate)>,
}

impl IndexBuilder {
    fn add_all<'a>(
        &mut self,
        atlas: &Atlas,
        names: impl IntoIterator<Item = &'a String>,
        target: Resolved,
        strength: Strength,
    ) {
        for name in names {
            let key = fold(name);
            if key.is_empty() {
                continue;
            }
            let next_id = u32::try_from(self.key_ids.len()).unwrap_or(u32::MAX);
            let key_id = *self.key_ids.entry(key).or_insert(next_id);
            let candidate = Candidate { target, strength };
            self.entries
                .push((key_id, static_rank(atlas, candidate), candidate));
        }
    }

    /// Sorts each name's candidates best first and keeps one entry per place and name.
    fn finish(mut self) -> NameIndex {
        self.entries
            .sort_unstable_by_key(|&(key_id, rank, _)| (key_id, rank));
        self.entries
            .dedup_by_key(|(key_id, _, candidate)| (*key_id, candidate.target));
        let mut ranges = vec![(0u32, 0u32); self.key_ids.len()];
        for (position, (key_id, _, _)) in (0u32..).zip(&self.entries) {
            if let Some(range) = ranges.get_mut(*key_id as usize) {
                if range.1 == 0 {
                    range.0 = position;
                }
                range.1 += 1;
            }
        }
        NameIndex {
            key_ids: self.key_ids,
            ranges,
            candidates: self
                .entries
                .into_iter()
                .map(|(_, _, candidate)| candidate)
                .collect(),
            masks: OnceLock::new(),
        }
    }
}

/// The index hashes every short name of the gazetteer once at start-up, where `std`'s
/// DoS-resistant SipHash is several times slower and buys nothing (the names are ours).
type FastMap<K, V> = HashMap<K, V, FastBuild>;

/// The query-independent ranking (rules 3–6 of [`PlaceQuery`]): lower is better.
fn static_rank(atlas: &Atlas, candidate: Candidate) -> Rank {
    let kind_order = match kind_of(candidate.target) {
        PlaceKind::Country => 0,
        PlaceKind::City => 1,
        PlaceKind::Province => 2,
        PlaceKind::Area => 3,
    };
    let importance = match candidate.target {
        Resolved::City(index) => atlas.city(index).map_or(0, |city| city.population),
        Resolved::Region(id) => atlas
            .region(id)
            .map_or(0, |region| u64::from(u8::MAX - region.label_rank)),
    };
    (
        candidate.strength,
        kind_order,
        Reverse(importance),
        candidate.target,
    )
}

fn kind_of(target: Resolved) -> PlaceKind {
    match target {
        Resolved::City(_) => PlaceKind::City,
        Resolved::Region(id) => id.level.place_kind(),
    }
}

fn country_of(atlas: &Atlas, target: Resolved) -> &str {
    match target {
        Resolved::City(index) => atlas.city(index).map_or("", |city| &city.country_iso2),
        Resolved::Region(id) => atlas.region(id).map_or("", |region| &region.country_iso2),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{City, Region, RegionLod, WorldRect};
    use super::*;

    fn region(level: RegionLevel, index: u32, name: &str, code: &str, iso2: &str) -> Region {
        Region {
            id: RegionId { level, index },
            name: name.into(),
            alt_names: vec![],
            code: code.into(),
            alt_codes: vec![],
            country_iso2: iso2.into(),
            country_name: String::new(),
            kind: String::new(),
            label_lon_lat: [0.0; 2],
            label_world: [0.5; 2],
            bbox_world: WorldRect::WORLD,
            label_rank: 5,
            min_zoom: 0.0,
            lods: Vec::<RegionLod>::new(),
        }
    }

    fn city(name: &str, iso2: &str, population: u64, alt_names: &[&str]) -> City {
        City {
            geoname_id: 0,
            name: name.into(),
            alt_names: alt_names.iter().map(|&name| name.into()).collect(),
            country_iso2: iso2.into(),
            admin1: String::new(),
            lon_lat: [0.0; 2],
            world: [0.5; 2],
            population,
            capital: false,
        }
    }

    /// A tiny atlas with the ambiguities the rules are about.
    fn atlas() -> Atlas {
        let mut paktika = region(RegionLevel::Province, 1, "Paktika", "AF-PIA", "AF");
        paktika.alt_names = vec!["Paktiya".into()];
        Atlas {
            countries: vec![
                region(RegionLevel::Country, 0, "Afghanistan", "AFG", "AF"),
                region(RegionLevel::Country, 1, "Georgia", "GEO", "GE"),
            ],
            provinces: vec![
                region(RegionLevel::Province, 0, "Khost", "AF-KHO", "AF"),
                paktika,
                region(RegionLevel::Province, 2, "Paktya", "AF-PIA", "AF"),
                region(RegionLevel::Province, 3, "Georgia", "US-GA", "US"),
            ],
            cities: vec![
                city("Paris", "FR", 2_000_000, &[]),
                city("Khōst", "AF", 96_123, &["Khowst"]),
                city("Paris", "US", 25_000, &[]),
            ],
            ..Atlas::default()
        }
    }

    fn resolve(
        atlas: &Atlas,
        name: &str,
        country: Option<&str>,
        kind: Option<PlaceKind>,
    ) -> Option<Resolved> {
        atlas.resolve(&PlaceQuery {
            name,
            country,
            kind,
        })
    }

    fn province(index: u32) -> Resolved {
        Resolved::Region(RegionId {
            level: RegionLevel::Province,
            index,
        })
    }

    #[test]
    fn city_beats_a_same_named_province_unless_the_kind_says_otherwise() {
        let atlas = atlas();
        assert_eq!(
            resolve(&atlas, "Khost", None, None),
            Some(Resolved::City(1))
        );
        assert_eq!(
            resolve(&atlas, "khowst", None, None),
            Some(Resolved::City(1))
        );
        assert_eq!(
            resolve(&atlas, "KHOST", None, Some(PlaceKind::Province)),
            Some(province(0))
        );
        assert_eq!(resolve(&atlas, "af-kho", None, None), Some(province(0)));
    }

    #[test]
    fn primary_name_beats_alt_name() {
        assert_eq!(resolve(&atlas(), "Paktiya", None, None), Some(province(1)));
        assert_eq!(resolve(&atlas(), "Paktya", None, None), Some(province(2)));
    }

    #[test]
    fn country_beats_province_and_the_given_country_beats_both() {
        let atlas = atlas();
        let georgia = Some(Resolved::Region(RegionId {
            level: RegionLevel::Country,
            index: 1,
        }));
        assert_eq!(resolve(&atlas, "Georgia", None, None), georgia);
        assert_eq!(
            resolve(&atlas, "Georgia", Some("US"), None),
            Some(province(3))
        );
        // An unknown country is ignored rather than failing the query.
        assert_eq!(resolve(&atlas, "Georgia", Some("Atlantis"), None), georgia);
    }

    #[test]
    fn larger_population_wins_unless_a_country_is_given() {
        let atlas = atlas();
        assert_eq!(
            resolve(&atlas, "paris", None, None),
            Some(Resolved::City(0))
        );
        assert_eq!(
            resolve(&atlas, "Paris", Some("us"), None),
            Some(Resolved::City(2))
        );
        assert_eq!(resolve(&atlas, "Lyon", None, None), None);
    }

    #[test]
    fn suggestions_use_folded_edit_distance() {
        let atlas = atlas();
        assert_eq!(atlas.suggest("Khots").as_deref(), Some("Khōst"));
        assert_eq!(atlas.suggest("Afganistan").as_deref(), Some("Afghanistan"));
        assert_eq!(atlas.suggest("Zzzzzzzz"), None);
        assert_eq!(atlas.suggest(""), None);
    }

    /// The prefilter may let through names that are too far, never drop
    /// one that is near: checked against the edit distance itself over
    /// random short words (a deterministic generator, many near pairs).
    #[test]
    fn the_character_prefilter_never_drops_a_near_name() {
        let alphabet: Vec<char> = "abcdeéñ0ł".chars().collect();
        let mut picker = crate::test_rng::Picker::new(0x2545_f491);
        let mut next = |n: usize| picker.below(n);
        let mut scratch = EditScratch::default();
        let (mut near, mut checked) = (0, 0);
        for _ in 0..20_000 {
            let a: String = (0..1 + next(6))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let mut b: Vec<char> = a.chars().collect();
            for _ in 0..next(4) {
                let at = next(b.len() + 1);
                match next(3) {
                    0 => b.insert(at, alphabet[next(alphabet.len())]),
                    1 if at < b.len() => drop(b.remove(at)),
                    _ if at < b.len() => b[at] = alphabet[next(alphabet.len())],
                    _ => {}
                }
            }
            let b: String = b.into_iter().collect();
            let a_chars: Vec<char> = a.chars().collect();
            let distance = scratch.distance_at_most(&a_chars, &b, MAX_SUGGESTION_EDITS);
            checked += 1;
            if distance.is_some() {
                near += 1;
                assert!(
                    CharMask::of(&b).may_be_within(&CharMask::of(&a), MAX_SUGGESTION_EDITS),
                    "{a:?} ~ {b:?}"
                );
            }
        }
        assert!(near > 5_000 && near < checked, "{near} of {checked}");
    }
}
