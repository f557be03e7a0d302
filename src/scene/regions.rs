//! The map's regions mode: each province or country filled by the number of
//! events in the window that pass the filters (or by their fatalities), on
//! a sequential colour ramp with class breaks.
//!
//! Which region each place lies in is found once per dataset
//! ([`PlaceRegions`]): a place the file names as a province or country is
//! that region; a point is looked up in the atlas's R-tree of outlines. The
//! window's totals ([`RegionTotals`]) are then a pass over the window's
//! events, each counted in the region of each of its places.

use crate::atlas::{Atlas, RegionLevel};
use crate::model::{Dataset, EventIdx, Location, NO_REGION, PlaceKind, PlaceRegions};

use super::Rgba;

/// What the map shows: the places, or regions filled by their events.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum MapMode {
    /// Markers and clusters at the events' places.
    #[default]
    Points,
    /// Provinces (admin-1) filled by their events.
    Provinces,
    /// Countries filled by their events.
    Countries,
}

impl MapMode {
    /// Every mode, as the map's toggle lists them.
    pub const ALL: [MapMode; 3] = [MapMode::Points, MapMode::Provinces, MapMode::Countries];

    /// "points", "provinces", "countries" (also the `--mode` values).
    pub fn name(self) -> &'static str {
        match self {
            MapMode::Points => "points",
            MapMode::Provinces => "provinces",
            MapMode::Countries => "countries",
        }
    }

    /// The mode named so.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The level of the regions it fills.
    pub fn level(self) -> Option<RegionLevel> {
        match self {
            MapMode::Points => None,
            MapMode::Provinces => Some(RegionLevel::Province),
            MapMode::Countries => Some(RegionLevel::Country),
        }
    }
}

/// What a region's fill measures.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum RegionMetric {
    /// Events in the window.
    #[default]
    Events,
    /// People killed in them.
    Fatalities,
}

impl RegionMetric {
    /// "events", "fatalities".
    pub fn name(self) -> &'static str {
        match self {
            RegionMetric::Events => "events",
            RegionMetric::Fatalities => "fatalities",
        }
    }

    /// The measure named so.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Events, Self::Fatalities]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

/// Each place's province and country on `atlas`'s map: found once a
/// dataset ([`find_place_regions`]), kept with it after that.
pub fn place_regions<'d>(dataset: &'d Dataset, atlas: &Atlas) -> &'d std::sync::Arc<PlaceRegions> {
    dataset.place_regions_with(|| find_place_regions(dataset, atlas))
}

/// Finds the regions of `dataset`'s places in `atlas`, on every core.
pub fn find_place_regions(dataset: &Dataset, atlas: &Atlas) -> PlaceRegions {
    let places = dataset.places.len();
    let countries = ProvinceCountries::new(atlas);
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = places.div_ceil(threads.max(1)).max(4_096);
    let found: Vec<(u32, u32)> = std::thread::scope(|scope| {
        let parts: Vec<_> = (0..places)
            .step_by(chunk)
            .map(|start| {
                let end = places.min(start + chunk);
                let countries = &countries;
                scope.spawn(move || {
                    (start..end)
                        .map(|p| regions_of(dataset, atlas, countries, p))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_default())
            .collect()
    });
    let (province, country): (Vec<u32>, Vec<u32>) = found.into_iter().unzip();
    let mut ever = [
        vec![0; atlas.provinces.len()],
        vec![0; atlas.countries.len()],
    ];
    for (p, (&prov, &coun)) in province.iter().zip(&country).enumerate() {
        let events = u32::try_from(dataset.place_events.of(p as u32).len()).unwrap_or(0);
        for (counts, region) in ever.iter_mut().zip([prov, coun]) {
            if let Some(n) = counts.get_mut(region as usize) {
                *n += events;
            }
        }
    }
    PlaceRegions::new(province, country, ever)
}

/// The country of each province, by province index: a point's country is
/// its province's, found without testing the country's outline (the
/// largest there are).
struct ProvinceCountries(Vec<u32>);

impl ProvinceCountries {
    fn new(atlas: &Atlas) -> Self {
        let of = |r: &crate::atlas::Region| {
            atlas
                .country_by_code(&r.country_iso2)
                .map_or(NO_REGION, |id| id.index)
        };
        Self(atlas.provinces.iter().map(of).collect())
    }

    fn of(&self, province: u32) -> u32 {
        self.0.get(province as usize).copied().unwrap_or(NO_REGION)
    }
}

/// The province and country of place `p`, as region indexes. A point in no
/// province (every country of the basemap has provinces) is at sea: in no
/// country either.
fn regions_of(
    dataset: &Dataset,
    atlas: &Atlas,
    countries: &ProvinceCountries,
    p: usize,
) -> (u32, u32) {
    let Some(place) = u32::try_from(p).ok().and_then(|p| dataset.place(p)) else {
        return (NO_REGION, NO_REGION);
    };
    let at_point = |world: [f64; 2]| {
        let province = atlas.province_at(world).map_or(NO_REGION, |id| id.index);
        (province, countries.of(province))
    };
    match place.location {
        Some(Location::Region(id)) => match id.level {
            RegionLevel::Province => (id.index, countries.of(id.index)),
            RegionLevel::Country => (NO_REGION, id.index),
        },
        Some(Location::Point { lon_lat }) => at_point(crate::geometry::world_from_lon_lat(lon_lat)),
        Some(Location::Area(area)) => at_point(area.label_world()),
        None if place.kind == PlaceKind::Country => {
            let country = place
                .country
                .and_then(|c| atlas.country_by_code(c.as_str()))
                .map_or(NO_REGION, |id| id.index);
            (NO_REGION, country)
        }
        None => (NO_REGION, NO_REGION),
    }
}

/// Tells `dataset` what `atlas` knows of its places (see
/// [`crate::model::Dataset::use_basemap`]): their provinces, for the
/// province facet, and where regions lie, for the area filters.
pub fn use_basemap(dataset: &Dataset, atlas: &'static Atlas) {
    let region_point: crate::model::RegionPoint =
        std::sync::Arc::new(move |id| atlas.region(id).map(|r| r.label_lon_lat));
    dataset.use_basemap(province_namer(atlas), region_point);
}

/// Names the province each place lies in on `atlas`'s map, for the facets:
/// a province the data names is itself, a point or an area is looked up by
/// where it lies.
pub fn province_namer(atlas: &'static Atlas) -> crate::model::ProvinceNamer {
    std::sync::Arc::new(move |dataset: &Dataset, p: u32| {
        // The first place asked finds every place's region, on every core.
        let regions = place_regions(dataset, atlas);
        let province = regions.of(RegionLevel::Province, p);
        atlas
            .provinces
            .get(province as usize)
            .map(|r| r.name.as_str())
    })
}

/// The window's events by region of one level: counts and fatalities.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RegionTotals {
    /// The level counted.
    pub level: Option<RegionLevel>,
    /// Events, by region index.
    pub events: Vec<u32>,
    /// People killed, by region index.
    pub fatalities: Vec<u64>,
}

impl RegionTotals {
    /// The totals of `active` (the window's events that pass the filters)
    /// by region of `level`: an event counts once in each region one of its
    /// places lies in.
    pub fn of(
        dataset: &Dataset,
        regions: &PlaceRegions,
        level: RegionLevel,
        active: &[EventIdx],
    ) -> Self {
        let len = regions.ever(level).len();
        let mut totals = Self {
            level: Some(level),
            events: vec![0; len],
            fatalities: vec![0; len],
        };
        let mut seen: Vec<u32> = Vec::new();
        for &e in active {
            let Some(event) = dataset.event(e) else {
                continue;
            };
            let killed = event.casualties().and_then(|c| c.killed).unwrap_or(0);
            seen.clear();
            for &p in event.places() {
                let region = regions.of(level, p);
                if region == NO_REGION || seen.contains(&region) {
                    continue;
                }
                seen.push(region);
                if let Some(n) = totals.events.get_mut(region as usize) {
                    *n += 1;
                }
                if let Some(n) = totals.fatalities.get_mut(region as usize) {
                    *n += u64::from(killed);
                }
            }
        }
        totals
    }

    /// The measure of region `index`.
    pub fn value(&self, metric: RegionMetric, index: u32) -> u64 {
        match metric {
            RegionMetric::Events => self.events.get(index as usize).map_or(0, |&n| u64::from(n)),
            RegionMetric::Fatalities => self.fatalities.get(index as usize).copied().unwrap_or(0),
        }
    }
}

/// The sequential ramp, light to dark (ColorBrewer's YlOrRd, five classes).
pub const RAMP: [Rgba; 5] = [
    Rgba([255, 255, 178, 235]),
    Rgba([254, 204, 92, 235]),
    Rgba([253, 141, 60, 235]),
    Rgba([240, 59, 32, 235]),
    Rgba([189, 0, 38, 235]),
];

/// The fill of a region with events at other dates but none here: set
/// apart from one that never has any (left unfilled).
pub const ZERO_FILL: Rgba = Rgba([200, 200, 200, 150]);

/// Class breaks for values up to `max`: the lower end of each of the
/// ramp's classes, 1 first, rising by equal ratios to `max` and rounded to
/// 1, 2 or 5 times a power of ten (fewer classes when `max` is small).
pub fn class_breaks(max: u64) -> Vec<u64> {
    if max == 0 {
        return Vec::new();
    }
    let classes = RAMP.len();
    let mut breaks = vec![1_u64];
    #[expect(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "counts far below 2^52, rounded to nice numbers"
    )]
    for k in 1..classes {
        let raw = (max as f64).powf(k as f64 / classes as f64);
        let nice = nice_number(raw) as u64;
        if nice > *breaks.last().unwrap_or(&0) && nice <= max {
            breaks.push(nice);
        }
    }
    breaks
}

/// `x` rounded to 1, 2 or 5 times a power of ten.
fn nice_number(x: f64) -> f64 {
    if x <= 1.0 {
        return 1.0;
    }
    let power = 10_f64.powf(x.log10().floor());
    let scaled = x / power;
    let step = if scaled < 1.5 {
        1.0
    } else if scaled < 3.5 {
        2.0
    } else if scaled < 7.5 {
        5.0
    } else {
        10.0
    };
    step * power
}

/// The class of `value` among `breaks` (`None` for 0).
pub fn class_of(breaks: &[u64], value: u64) -> Option<usize> {
    (value > 0).then(|| breaks.partition_point(|&b| b <= value).saturating_sub(1))
}

/// The legend's words for class `i`: "1", "2–4", "50 or more".
pub fn class_words(breaks: &[u64], i: usize) -> String {
    let low = breaks.get(i).copied().unwrap_or(0);
    match breaks.get(i + 1) {
        Some(&next) if next == low + 1 => low.to_string(),
        Some(&next) => format!("{low}\u{2013}{}", next - 1),
        None => format!("{low} or more"),
    }
}

/// The legend's words for class `i` with what it counts: "1 event",
/// "2–4 events", "50 or more killed".
pub fn class_label(breaks: &[u64], i: usize, metric: RegionMetric) -> String {
    let words = class_words(breaks, i);
    let what = match metric {
        RegionMetric::Events if words == "1" => "event",
        RegionMetric::Events => "events",
        RegionMetric::Fatalities => "killed",
    };
    format!("{words} {what}")
}

/// The ramp's colour of class `i` of `classes`, spread over the ramp.
pub fn class_colour(i: usize, classes: usize) -> Rgba {
    let last = RAMP.len() - 1;
    let at = if classes <= 1 {
        last
    } else {
        i * last / (classes - 1)
    };
    RAMP.get(at).copied().unwrap_or(RAMP[last])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_rise_to_the_largest_value() {
        assert_eq!(class_breaks(0), Vec::<u64>::new());
        assert_eq!(class_breaks(1), [1]);
        assert_eq!(class_breaks(3), [1, 2]);
        assert_eq!(class_breaks(1000), [1, 5, 20, 50, 200]);
        let b = class_breaks(36_000);
        assert_eq!(b.first(), Some(&1));
        assert!(b.windows(2).all(|w| w[0] < w[1]), "{b:?}");
        assert_eq!(class_of(&b, 0), None);
        assert_eq!(class_of(&b, 1), Some(0));
        assert_eq!(class_of(&b, 36_000), Some(b.len() - 1));
        assert_eq!(class_words(&[1, 2, 5], 0), "1");
        assert_eq!(class_words(&[1, 2, 5], 1), "2\u{2013}4");
        assert_eq!(class_words(&[1, 2, 5], 2), "5 or more");
    }

    #[test]
    fn few_classes_take_the_ends_of_the_ramp() {
        assert_eq!(class_colour(0, 1), RAMP[4]);
        assert_eq!(class_colour(0, 2), RAMP[0]);
        assert_eq!(class_colour(1, 2), RAMP[4]);
    }
}

/// What the regions mode draws: the window's totals by region, the ramp's
/// breaks for them, and the events each region has at any date.
#[derive(Clone, Debug)]
pub struct Choropleth {
    /// The regions filled.
    pub level: RegionLevel,
    /// What their fill measures.
    pub metric: RegionMetric,
    /// The window's events and fatalities by region.
    pub totals: RegionTotals,
    /// The lower ends of the ramp's classes.
    pub breaks: Vec<u64>,
    /// The dataset's regions.
    pub regions: std::sync::Arc<PlaceRegions>,
}

impl Choropleth {
    /// The choropleth of `active` (the window's events that pass the
    /// filters) by `level`, measured by `metric`.
    pub fn new(
        dataset: &Dataset,
        regions: std::sync::Arc<PlaceRegions>,
        level: RegionLevel,
        metric: RegionMetric,
        active: &[EventIdx],
    ) -> Self {
        let totals = RegionTotals::of(dataset, &regions, level, active);
        let len = u32::try_from(totals.events.len()).unwrap_or(u32::MAX);
        let max = (0..len).map(|i| totals.value(metric, i)).max().unwrap_or(0);
        Self {
            level,
            metric,
            breaks: class_breaks(max),
            totals,
            regions,
        }
    }

    /// The legend's entries: each class's colour and words, darkest first,
    /// then the fill of a region with events at other dates only.
    pub fn legend(&self) -> Vec<(Rgba, String)> {
        let classes = self.breaks.len();
        (0..classes)
            .rev()
            .map(|i| {
                let words = class_label(&self.breaks, i, self.metric);
                (class_colour(i, classes), words)
            })
            .chain([(ZERO_FILL, "none in the window".to_owned())])
            .collect()
    }

    /// The fill of region `index`: its class's colour, [`ZERO_FILL`] when it
    /// has events at other dates only, `None` when it never has any.
    pub fn fill(&self, index: u32) -> Option<Rgba> {
        let value = self.totals.value(self.metric, index);
        match class_of(&self.breaks, value) {
            Some(class) => Some(class_colour(class, self.breaks.len())),
            None => {
                let ever = self.regions.ever(self.level).get(index as usize);
                ever.is_some_and(|&n| n > 0).then_some(ZERO_FILL)
            }
        }
    }
}
