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
}
