//! Which province and which country each place of a dataset lies in, found
//! once on the basemap (by `scene::find_place_regions`) and kept with the
//! dataset, so that the province facet and the map's regions mode share
//! one pass over the places.

use super::RegionLevel;

/// No region: a place at sea, or one no outline holds.
pub const NO_REGION: u32 = u32::MAX;

/// The province and the country of each place of a dataset (four bytes
/// each a place), and the events each region has at any date.
#[derive(Clone, Debug, Default)]
pub struct PlaceRegions {
    province: Vec<u32>,
    country: Vec<u32>,
    /// Events at any date, by province and by country.
    ever: [Vec<u32>; 2],
    /// Places in no province (counted under "unknown province").
    unplaced: usize,
}

impl PlaceRegions {
    /// The regions found: each place's province and country (region
    /// indexes, [`NO_REGION`] for none), and the events at any date by
    /// province and by country.
    pub fn new(province: Vec<u32>, country: Vec<u32>, ever: [Vec<u32>; 2]) -> Self {
        let unplaced = province.iter().filter(|&&r| r == NO_REGION).count();
        Self {
            province,
            country,
            ever,
            unplaced,
        }
    }

    /// The region of `level` that place `p` lies in ([`NO_REGION`]: none).
    pub fn of(&self, level: RegionLevel, p: u32) -> u32 {
        let regions = match level {
            RegionLevel::Province => &self.province,
            RegionLevel::Country => &self.country,
        };
        regions.get(p as usize).copied().unwrap_or(NO_REGION)
    }

    /// Events at any date in each region of `level`, by region index.
    pub fn ever(&self, level: RegionLevel) -> &[u32] {
        match level {
            RegionLevel::Province => &self.ever[0],
            RegionLevel::Country => &self.ever[1],
        }
    }

    /// How many places lie in no province (at sea, or named only as a
    /// country).
    pub fn unplaced(&self) -> usize {
        self.unplaced
    }
}
