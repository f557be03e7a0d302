//! Turning a place as a file names it into a located [`Place`].

use std::sync::Arc;

use crate::atlas::{Atlas, PlaceKind, PlaceQuery};
use crate::model::{Area, Location, LocationPrecision, Name, Place, PlacePrecision};

/// The atlas a load resolves place names with, fetched only when a name
/// needs it. A caller that has not decoded the basemap yet (`chronomap
/// check`) passes [`AtlasWhenNeeded::Later`]: a file in any format whose
/// places all carry coordinates or outlines, as an ACLED export's do, then
/// loads without it.
#[derive(Clone, Copy)]
pub enum AtlasWhenNeeded<'a> {
    /// Decoded already.
    Ready(&'a Atlas),
    /// Fetched (decoded, the first time) when first asked for, by any of
    /// the threads a large file is read on.
    Later(&'a (dyn Fn() -> &'a Atlas + Sync)),
}

impl<'a> AtlasWhenNeeded<'a> {
    /// The atlas, fetched now.
    pub fn get(self) -> &'a Atlas {
        match self {
            Self::Ready(atlas) => atlas,
            Self::Later(fetch) => fetch(),
        }
    }
}

impl<'a> From<&'a Atlas> for AtlasWhenNeeded<'a> {
    fn from(atlas: &'a Atlas) -> Self {
        Self::Ready(atlas)
    }
}

/// A place as a file gives it: a name, maybe a kind and country, maybe a point.
#[derive(Clone, Debug, Default)]
pub struct PlaceSpec<'a> {
    /// The place's name as written.
    pub name: &'a str,
    /// City, province or country, when the file says.
    pub kind: Option<PlaceKind>,
    /// The country (ISO code or name), when the file says.
    pub country: Option<&'a str>,
    /// Coordinates given by the file (longitude, latitude), already checked.
    pub lon_lat: Option<[f64; 2]>,
    /// An outline drawn by the file (a GeoJSON polygon); wins over the rest.
    pub area: Option<Arc<Area>>,
    /// How precisely the file places it, where it says.
    pub precision: PlacePrecision,
}

/// Locates a place: an outline the file drew wins, then explicit
/// coordinates; otherwise the gazetteer.
///
/// Returns the place (with `location: None` when nothing resolved it) and,
/// in that case, a message for the report that offers a close match.
pub fn resolve_place(atlas: AtlasWhenNeeded<'_>, spec: &PlaceSpec<'_>) -> (Place, Option<String>) {
    let place = locate(atlas, spec);
    let message = place
        .location
        .is_none()
        .then(|| not_found(atlas.get(), spec.name, true));
    (place, message)
}

/// [`resolve_place`] without the message: a name nothing resolves gives a
/// place with no location, and no search for a close match (which takes
/// a couple of milliseconds a name). The atlas is fetched only for a
/// place without an outline or coordinates.
pub fn locate(atlas: AtlasWhenNeeded<'_>, spec: &PlaceSpec<'_>) -> Place {
    let country = spec.country.map(Name::from);
    if let Some(area) = &spec.area {
        return Place {
            name: spec.name.into(),
            kind: PlaceKind::Area,
            country,
            location: Some(Location::Area(Arc::clone(area))),
            precision: spec.precision,
        };
    }
    if let Some(lon_lat) = spec.lon_lat {
        return Place {
            name: spec.name.into(),
            kind: spec.kind.unwrap_or(PlaceKind::City),
            country,
            location: Some(Location::Point { lon_lat }),
            precision: spec.precision,
        };
    }
    let query = PlaceQuery {
        name: spec.name,
        country: spec.country,
        kind: spec.kind,
    };
    let atlas = atlas.get();
    atlas
        .resolve(&query)
        .and_then(|r| Place::from_resolved(atlas, r))
        .map(|found| Place {
            precision: spec.precision,
            ..found
        })
        .unwrap_or_else(|| Place {
            name: spec.name.into(),
            kind: spec.kind.unwrap_or(PlaceKind::City),
            country,
            location: None,
            precision: spec.precision,
        })
}

/// A place's stated precision from the text of its `precision` (a name or
/// ACLED's code) and `radius_km` values, with a message for each of the
/// two that cannot be read (that value is then ignored).
pub fn stated_precision(
    precision: Option<&str>,
    radius_km: Option<&str>,
) -> (PlacePrecision, [Option<String>; 2]) {
    fn given(text: Option<&str>) -> Option<&str> {
        text.filter(|t| !t.trim().is_empty())
    }
    let (stated, bad_precision) = match given(precision) {
        None => (None, None),
        Some(text) => match LocationPrecision::from_name(text) {
            Some(found) => (Some(found), None),
            None => (
                None,
                Some(format!(
                    "unknown location precision '{text}' (exact, near or region, or 1, 2 or 3; ignored)"
                )),
            ),
        },
    };
    let (radius_km, bad_radius) = match given(radius_km) {
        None => (None, None),
        Some(text) => match text.trim().parse::<f32>() {
            Ok(r) if r.is_finite() && r >= 0.0 => (Some(r), None),
            _ => (
                None,
                Some(format!(
                    "radius '{text}' is not a distance in kilometres (ignored)"
                )),
            ),
        },
    };
    (
        PlacePrecision { stated, radius_km },
        [bad_precision, bad_radius],
    )
}

/// "place 'Khots' not found", with "; did you mean Khōst?" when `suggest`
/// and the gazetteer has a close match.
pub fn not_found(atlas: &Atlas, name: &str, suggest: bool) -> String {
    let hint = suggest
        .then(|| atlas.suggest(name))
        .flatten()
        .map(|s| format!("; did you mean {s}?"))
        .unwrap_or_default();
    format!("place '{name}' not found{hint}")
}
