//! What sort of place a name stands for, and how a place refers to a
//! region of the basemap. The model owns these because a [`super::Place`]
//! holds them; the atlas fills them in.

/// What kind of place a name stands for (and what kind a gazetteer query asks for).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlaceKind {
    /// A populated place from GeoNames.
    City,
    /// An admin-1 region.
    Province,
    /// An admin-0 region.
    Country,
    /// An area a file drew (a GeoJSON polygon): never in the gazetteer, so
    /// a query for one finds the other kinds by name alone.
    Area,
}

impl PlaceKind {
    /// Its name in chronomap files: "city", "province", "country", "area".
    pub fn name(self) -> &'static str {
        match self {
            Self::City => "city",
            Self::Province => "province",
            Self::Country => "country",
            Self::Area => "area",
        }
    }

    /// The kind with this name (as [`PlaceKind::name`] writes it).
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::City, Self::Province, Self::Country, Self::Area]
            .into_iter()
            .find(|kind| kind.name() == name)
    }
}

/// How precisely a source places an event.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LocationPrecision {
    /// Where it happened: a town, or coordinates given to a few metres.
    Exact,
    /// Near the place given (ACLED's geo_precision 2: "a nearby town"):
    /// somewhere within a few kilometres of it.
    Near,
    /// Only the province or country is known: the point a source gives for
    /// it is the region's centre, not where the event happened.
    Region,
}

impl LocationPrecision {
    /// Every precision, most precise first.
    pub const ALL: [Self; 3] = [Self::Exact, Self::Near, Self::Region];

    /// Its name in chronomap files and `check --json`: "exact", "near",
    /// "region".
    pub fn name(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Near => "near",
            Self::Region => "region",
        }
    }

    /// Its words in the facets panel and the details.
    pub fn words(self) -> &'static str {
        match self {
            Self::Exact => "exact place",
            Self::Near => "near a place",
            Self::Region => "only the region",
        }
    }

    /// The precision a file's `location_precision` value stands for: its
    /// name, or ACLED's codes 1, 2 and 3.
    pub fn from_name(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "exact" | "1" => Some(Self::Exact),
            "near" | "2" => Some(Self::Near),
            "region" | "3" => Some(Self::Region),
            _ => None,
        }
    }

    /// How far from the point a source gives an event of this precision may
    /// lie when the source gives no radius, in kilometres: a nearby town
    /// is a few kilometres away; a region's centre says little, and a
    /// region the basemap knows is drawn as the region instead.
    pub fn default_radius_km(self) -> f32 {
        match self {
            Self::Exact => 0.0,
            Self::Near => 5.0,
            Self::Region => 50.0,
        }
    }
}

/// What a source says of how precisely it places a place, beside where
/// it places it.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct PlacePrecision {
    /// The precision the source gives; `None` where it says nothing, and
    /// the place's kind and location decide ([`PlacePrecision::of`]).
    pub stated: Option<LocationPrecision>,
    /// How far from the point the event may lie, in kilometres, where the
    /// source gives a radius.
    pub radius_km: Option<f32>,
}

impl PlacePrecision {
    /// A precision the source gives, without a radius.
    pub fn stated(precision: LocationPrecision) -> Self {
        Self {
            stated: Some(precision),
            radius_km: None,
        }
    }

    /// The place's precision: as stated, but a region of the basemap is
    /// a region whatever is said of it; unstated, a province's or
    /// country's point is its region's centre, and the rest are exact.
    pub fn of(self, kind: PlaceKind, is_region: bool) -> LocationPrecision {
        if is_region {
            return LocationPrecision::Region;
        }
        match (self.stated, kind) {
            (Some(stated), _) => stated,
            (None, PlaceKind::Province | PlaceKind::Country) => LocationPrecision::Region,
            (None, PlaceKind::City | PlaceKind::Area) => LocationPrecision::Exact,
        }
    }

    /// The radius to draw around a point of this precision, in kilometres
    /// (0 for an exact one).
    pub fn radius_or_default(self, precision: LocationPrecision) -> f32 {
        match precision {
            LocationPrecision::Exact => 0.0,
            _ => self
                .radius_km
                .filter(|r| r.is_finite() && *r > 0.0)
                .unwrap_or_else(|| precision.default_radius_km()),
        }
    }

    /// Its bits, to hash and compare it as places are.
    pub(crate) fn key(self) -> (u8, u32) {
        let stated = self.stated.map_or(0, |p| p as u8 + 1);
        (stated, self.radius_km.map_or(u32::MAX, f32::to_bits))
    }
}

/// Which administrative level a region belongs to.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RegionLevel {
    /// Admin-0: countries, dependencies, disputed areas.
    Country,
    /// Admin-1: provinces, states, regions.
    Province,
}

impl RegionLevel {
    /// The kind of place a region of this level is.
    pub fn place_kind(self) -> PlaceKind {
        match self {
            Self::Country => PlaceKind::Country,
            Self::Province => PlaceKind::Province,
        }
    }
}

/// Identifies a region of the basemap: its level and its index in the
/// atlas's `countries` or `provinces`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionId {
    /// Country or province.
    pub level: RegionLevel,
    /// Index within that level's list.
    pub index: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_reads_back_its_own_name_and_nothing_else() {
        for kind in [
            PlaceKind::City,
            PlaceKind::Province,
            PlaceKind::Country,
            PlaceKind::Area,
        ] {
            assert_eq!(PlaceKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(PlaceKind::from_name("City"), None);
        assert_eq!(RegionLevel::Province.place_kind(), PlaceKind::Province);
    }

    #[test]
    fn a_precision_is_as_stated_but_a_region_stays_a_region() {
        use LocationPrecision::{Exact, Near, Region};
        for p in LocationPrecision::ALL {
            assert_eq!(LocationPrecision::from_name(p.name()), Some(p));
        }
        assert_eq!(LocationPrecision::from_name(" 2 "), Some(Near));
        assert_eq!(LocationPrecision::from_name("NEAR"), Some(Near));
        assert_eq!(LocationPrecision::from_name("4"), None);
        let unstated = PlacePrecision::default();
        assert_eq!(unstated.of(PlaceKind::City, false), Exact);
        assert_eq!(unstated.of(PlaceKind::Area, false), Exact);
        assert_eq!(unstated.of(PlaceKind::Province, false), Region);
        assert_eq!(unstated.of(PlaceKind::Country, false), Region);
        assert_eq!(unstated.of(PlaceKind::City, true), Region);
        let near = PlacePrecision::stated(Near);
        assert_eq!(near.of(PlaceKind::City, false), Near);
        assert_eq!(near.of(PlaceKind::Province, false), Near);
        assert_eq!(near.of(PlaceKind::Province, true), Region);
        assert_eq!(
            PlacePrecision::stated(Exact).of(PlaceKind::Country, false),
            Exact
        );
        assert_eq!(near.radius_or_default(Near), 5.0);
        assert_eq!(near.radius_or_default(Exact), 0.0);
        let given = PlacePrecision {
            stated: Some(Near),
            radius_km: Some(2.5),
        };
        assert_eq!(given.radius_or_default(Near), 2.5);
        assert_ne!(given.key(), near.key());
    }
}
