//! Which columns of a table (or properties of a GeoJSON feature) hold
//! what: recognised by name (`formats.md` §5.2), or named by the user.

use std::collections::HashMap;

use super::tabular::{name_list, normalise};

/// Which columns (or GeoJSON properties) hold what, as the user says; each
/// `None` is left to recognition by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMapping {
    /// The date, or the start of a span.
    pub date: Option<String>,
    /// The end of a span.
    pub end: Option<String>,
    /// Latitude in degrees.
    pub lat: Option<String>,
    /// Longitude in degrees.
    pub lon: Option<String>,
    /// A one-line title.
    pub title: Option<String>,
    /// A place name to look up when there are no coordinates.
    pub place: Option<String>,
}

/// A column the user named for a role that the file does not have.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("column '{name}' given with {flag} is not in the file; {columns}")]
pub struct MissingColumn {
    /// The name as the user gave it.
    pub name: String,
    /// The option that gave it (`--col-date`).
    pub flag: &'static str,
    /// The columns the file has, as a clause for the user (see
    /// [`name_list`]): a header may have a million.
    pub columns: String,
}

/// Names tried for each role, best first (compared after [`normalise`]).
pub(super) const DATE: &[&str] = &[
    "event_date",
    "date",
    "when",
    "datetime",
    "date_time",
    "start_date",
    "start",
    "start_time",
    "sqldate",
    "verifieddate",
    "occurred_at",
    "timestamp",
    "time",
    "week",
    "day",
];
const END: &[&str] = &["end_date", "end", "end_time", "enddate"];
const LAT: &[&str] = &["latitude", "lat", "actiongeo_lat", "centroid_latitude", "y"];
const LON: &[&str] = &[
    "longitude",
    "lon",
    "lng",
    "long",
    "actiongeo_long",
    "centroid_longitude",
    "x",
];
const TITLE: &[&str] = &["title", "headline", "name", "label", "event", "event_type"];
const SUMMARY: &[&str] = &["notes", "description", "desc", "text", "details", "summary"];
const CATEGORY: &[&str] = &[
    "event_type",
    "type",
    "category",
    "categories",
    "sub_event_type",
    "disorder_type",
    "group",
];
const PLACE: &[&str] = &[
    "place",
    "location",
    "place_name",
    "location_name",
    "city",
    "town",
    "village",
    "locality",
    "district",
    "admin2",
    "province",
    "admin1",
    "state",
    "region",
];
const COUNTRY: &[&str] = &["country", "country_code", "iso2", "iso3", "iso", "nation"];
const SOURCE: &[&str] = &["url", "link", "source_url", "sourceurl", "source"];
const ID: &[&str] = &["id", "event_id", "event_id_cnty", "globaleventid", "uid"];
const ACTORS: &[&str] = &[
    "actor1",
    "actor2",
    "actor",
    "actors",
    "faction",
    "perpetrator",
];
const KILLED: &[&str] = &["fatalities", "killed", "deaths", "dead", "casualties"];
const INJURED: &[&str] = &["injured", "injuries", "wounded"];
// The columns chronomap's export adds; only these names are recognised.
const PRECISION: &[&str] = &["precision"];
const WORDING: &[&str] = &["wording"];
const PLACES: &[&str] = &["places"];
const LOCATION_PRECISION: &[&str] = &[
    "location_precision",
    "geo_precision",
    "place_precision",
    "loc_precision",
];
const RADIUS: &[&str] = &["radius_km", "location_radius_km", "uncertainty_km"];
const CASUALTY_DETAIL: &[&str] = &["casualty_detail"];
const SOURCES: &[&str] = &["sources"];
const QUOTES: &[&str] = &["quotes"];
const EXTRA: &[&str] = &["extra"];

/// Where each role is among a list of column names.
#[derive(Clone, Debug, Default)]
pub struct Roles {
    /// The date (or start).
    pub date: Option<usize>,
    /// The end of a span.
    pub end: Option<usize>,
    /// Latitude.
    pub lat: Option<usize>,
    /// Longitude.
    pub lon: Option<usize>,
    /// Title.
    pub title: Option<usize>,
    /// Description.
    pub summary: Option<usize>,
    /// Category.
    pub category: Option<usize>,
    /// Place name.
    pub place: Option<usize>,
    /// Country (a hint for the gazetteer).
    pub country: Option<usize>,
    /// Source name or link.
    pub source: Option<usize>,
    /// Identifier.
    pub id: Option<usize>,
    /// Actor columns, each `;`-separated.
    pub actors: Vec<usize>,
    /// Number killed.
    pub killed: Option<usize>,
    /// Number injured.
    pub injured: Option<usize>,
    /// Who the casualties were, in the source's words.
    pub casualty_detail: Option<usize>,
    /// How precise the date is (`day`, `range`, `week`, `month`, `year`).
    pub precision: Option<usize>,
    /// The source's own words for the date.
    pub wording: Option<usize>,
    /// Every place (a JSON list, or names separated by `;`).
    pub places: Option<usize>,
    /// Every source (a JSON list, or names or links separated by `;`).
    pub sources: Option<usize>,
    /// Quotes (a JSON list).
    pub quotes: Option<usize>,
    /// Further fields (a JSON list of `[field, value]` pairs).
    pub extra: Option<usize>,
    /// How precisely the place is known (`exact`, `near`, `region`, or
    /// ACLED's 1, 2, 3).
    pub location_precision: Option<usize>,
    /// How far from its point the event may lie, in kilometres.
    pub radius: Option<usize>,
}

impl Roles {
    /// Recognises roles among `names`, the user's mapping first.
    ///
    /// # Errors
    /// [`MissingColumn`] when a mapped name is not among `names`.
    pub fn find(names: &[String], mapping: &ColumnMapping) -> Result<Self, MissingColumn> {
        let index = NameIndex::new(names);
        let by_name = |list: &[&str]| index.position(list);
        let mapped = |given: &Option<String>, flag: &'static str, list: &[&str]| match given {
            Some(name) => index
                .position(&[name.as_str()])
                .map(Some)
                .ok_or_else(|| MissingColumn {
                    name: name.clone(),
                    flag,
                    columns: name_list("column", names),
                }),
            None => Ok(by_name(list)),
        };
        let (mut lat, mut lon) = (
            mapped(&mapping.lat, "--col-lat", LAT)?,
            mapped(&mapping.lon, "--col-lon", LON)?,
        );
        if (lat.is_none() || lon.is_none())
            && let Some((la, lo)) = suffix_pair(&index)
        {
            lat = lat.or(Some(la));
            lon = lon.or(Some(lo));
        }
        let date = mapped(&mapping.date, "--col-date", DATE)?;
        let end = mapped(&mapping.end, "--col-end", END)?.filter(|e| Some(*e) != date);
        let title = mapped(&mapping.title, "--col-title", TITLE)?;
        let place = mapped(&mapping.place, "--col-place", PLACE)?;
        Ok(Self {
            date,
            end,
            lat,
            lon,
            title,
            summary: by_name(SUMMARY),
            category: by_name(CATEGORY),
            place,
            country: by_name(COUNTRY).filter(|c| Some(*c) != place),
            source: by_name(SOURCE),
            id: by_name(ID),
            actors: ACTORS.iter().filter_map(|a| by_name(&[a])).collect(),
            killed: by_name(KILLED),
            injured: by_name(INJURED),
            casualty_detail: by_name(CASUALTY_DETAIL),
            precision: by_name(PRECISION),
            wording: by_name(WORDING),
            places: by_name(PLACES),
            sources: by_name(SOURCES),
            quotes: by_name(QUOTES),
            extra: by_name(EXTRA),
            location_precision: by_name(LOCATION_PRECISION),
            radius: by_name(RADIUS),
        })
    }

    /// Whether anything can place an event on the map.
    pub fn can_place(&self) -> bool {
        (self.lat.is_some() && self.lon.is_some()) || self.place.is_some() || self.places.is_some()
    }

    /// Every column a role uses (for GeoJSON, whose other properties are
    /// kept as extra fields).
    pub fn used(&self) -> Vec<usize> {
        [
            self.date,
            self.end,
            self.lat,
            self.lon,
            self.title,
            self.summary,
            self.category,
            self.place,
            self.country,
            self.source,
            self.id,
            self.killed,
            self.injured,
            self.casualty_detail,
            self.precision,
            self.wording,
            self.places,
            self.sources,
            self.quotes,
            self.extra,
            self.location_precision,
            self.radius,
        ]
        .into_iter()
        .flatten()
        .chain(self.actors.iter().copied())
        .collect()
    }
}

/// Column names [`normalise`]d once, each name to its first column: a
/// role's candidates are then looked up, not compared with every column
/// (a header of a million columns is read as quickly as one of ten).
struct NameIndex {
    normalised: Vec<String>,
    first: HashMap<String, usize>,
}

impl NameIndex {
    fn new(names: &[String]) -> Self {
        let normalised: Vec<String> = names.iter().map(|n| normalise(n)).collect();
        let mut first = HashMap::with_capacity(normalised.len());
        for (i, name) in normalised.iter().enumerate() {
            first.entry(name.clone()).or_insert(i);
        }
        Self { normalised, first }
    }

    /// The first column matching one of `wanted` (in `wanted`'s order).
    fn position(&self, wanted: &[&str]) -> Option<usize> {
        wanted
            .iter()
            .find_map(|w| self.first.get(&normalise(w)).copied())
    }
}

/// kepler.gl's rule: `<prefix>lat` with `<prefix>lng|lon|long`, or
/// `<prefix>latitude` with `<prefix>longitude`.
fn suffix_pair(index: &NameIndex) -> Option<(usize, usize)> {
    for (i, name) in index.normalised.iter().enumerate() {
        for (lat, lons) in [
            ("latitude", &["longitude"][..]),
            ("lat", &["lng", "lon", "long"][..]),
        ] {
            let Some(prefix) = name.strip_suffix(lat) else {
                continue;
            };
            let found = lons
                .iter()
                .find_map(|lon| index.first.get(&format!("{prefix}{lon}")).copied());
            if let Some(j) = found {
                return Some((i, j));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn roles_by_name_and_suffix() {
        let roles = Roles::find(
            &names(&[
                "ID",
                "Event Date",
                "gps_data.lat",
                "gps_data.lng",
                "Headline",
                "City",
            ]),
            &ColumnMapping::default(),
        )
        .expect("roles");
        assert_eq!(roles.date, Some(1));
        assert_eq!((roles.lat, roles.lon), (Some(2), Some(3)));
        assert_eq!(roles.title, Some(4));
        assert_eq!(roles.place, Some(5));
        assert_eq!(roles.id, Some(0));
    }

    #[test]
    fn mapping_wins_and_unknown_names_are_errors() {
        let header = names(&["when", "date", "y_deg", "x_deg"]);
        let mapping = ColumnMapping {
            date: Some("When".into()),
            lat: Some("y_deg".into()),
            lon: Some("x_deg".into()),
            ..ColumnMapping::default()
        };
        let roles = Roles::find(&header, &mapping).expect("roles");
        assert_eq!(
            (roles.date, roles.lat, roles.lon),
            (Some(0), Some(2), Some(3))
        );
        let bad = ColumnMapping {
            date: Some("datum".into()),
            ..ColumnMapping::default()
        };
        let missing = Roles::find(&header, &bad).err();
        assert_eq!(
            missing,
            Some(MissingColumn {
                name: "datum".into(),
                flag: "--col-date",
                columns: "its 4 columns are: when, date, y_deg, x_deg".into(),
            })
        );
        assert_eq!(
            missing.map(|e| e.to_string()).as_deref(),
            Some(
                "column 'datum' given with --col-date is not in the file; its 4 columns are: when, date, y_deg, x_deg"
            )
        );
    }
}
