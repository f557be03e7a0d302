//! GeoJSON geometries as places on the map: a point, or an area's outline.
//! Read by the GeoJSON loader, and by the place lists of tables and
//! chronomap JSON, which may draw an area with a geometry.

use serde_json::Value;

use crate::model::{Area, AreaError, PolygonLonLat};

/// Why a geometry puts nothing on the map.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub(super) enum ShapeError {
    /// A `type` that GeoJSON does not have.
    #[error("geometry type '{kind}' is not a GeoJSON geometry")]
    UnknownType {
        /// The `type` as written (empty when missing).
        kind: String,
    },
    /// A Point with no `coordinates`.
    #[error("a Point without coordinates")]
    PointWithoutCoordinates,
    /// A MultiPolygon whose `coordinates` are not a list.
    #[error("a MultiPolygon needs a list of polygons")]
    NotPolygons,
    /// A GeometryCollection with no first part to show.
    #[error("an empty GeometryCollection")]
    EmptyCollection,
    /// A place's geometry that draws no area.
    #[error("'geometry' must be a GeoJSON Polygon or MultiPolygon")]
    NotAreaType,
    /// A Polygon or MultiPolygon that came out as a point.
    #[error("a geometry that is not an area")]
    NotAnArea,
    /// A polygon that is not a list of rings.
    #[error("a polygon must be a list of rings")]
    NotRings,
    /// A ring that is not a list of positions.
    #[error("a ring must be a list of positions")]
    NotRing,
    /// Line or multi-point coordinates that are not nested lists.
    #[error("coordinates must be lists of positions")]
    NotPositions,
    /// A position that is not a list.
    #[error("coordinates must be a list [longitude, latitude]")]
    PositionNotList,
    /// A position whose first two elements are not numbers.
    #[error("coordinates must be numbers [longitude, latitude]")]
    PositionNotNumbers,
    /// A latitude past a pole; `swapped` when the pair reads well the
    /// other way round, the commonest mistake.
    #[error("latitude {lat} out of range{}", if *swapped { SWAPPED } else { "" })]
    LatitudeOutOfRange {
        /// The longitude as written.
        lon: f64,
        /// The latitude as written.
        lat: f64,
        /// Whether `[lat, lon]` would have been in range.
        swapped: bool,
    },
    /// A longitude past the antimeridian.
    #[error("longitude {lon} out of range")]
    LongitudeOutOfRange {
        /// The longitude as written.
        lon: f64,
        /// The latitude as written.
        lat: f64,
    },
    /// Lines or points with no position to average.
    #[error("a geometry with no positions")]
    NoPositions,
    /// Polygons that make no area.
    #[error(transparent)]
    Area(#[from] AreaError),
}

/// What a latitude out of range adds when the pair looks swapped.
const SWAPPED: &str = " (the coordinates look swapped: GeoJSON is [longitude, latitude])";

/// Where a geometry puts an event on the map.
pub(super) enum Shape {
    /// A point: the point itself, or the mean of a line's vertices.
    Point([f64; 2]),
    /// The outline of a Polygon or MultiPolygon.
    Area(Area),
}

/// What a geometry puts on the map (a collection: its first part).
///
/// # Errors
/// For unknown types, missing or malformed coordinates, out-of-range
/// values (saying so when they look swapped) and degenerate rings.
pub(super) fn shape(geometry: &Value) -> Result<Shape, ShapeError> {
    let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
    let coordinates = geometry.get("coordinates");
    match kind {
        "Point" => Ok(Shape::Point(position(
            coordinates.ok_or(ShapeError::PointWithoutCoordinates)?,
        )?)),
        "MultiPoint" | "LineString" | "MultiLineString" => {
            let mut points = Vec::new();
            collect_positions(coordinates, &mut points)?;
            Ok(Shape::Point(mean(&points)?))
        }
        "Polygon" => Ok(Shape::Area(Area::new(vec![polygon(coordinates)?])?)),
        "MultiPolygon" => {
            let polygons = coordinates
                .and_then(Value::as_array)
                .ok_or(ShapeError::NotPolygons)?;
            let polygons = polygons
                .iter()
                .map(Some)
                .map(polygon)
                .collect::<Result<_, _>>()?;
            Ok(Shape::Area(Area::new(polygons)?))
        }
        "GeometryCollection" => {
            let first = geometry
                .get("geometries")
                .and_then(Value::as_array)
                .and_then(|g| g.first())
                .ok_or(ShapeError::EmptyCollection)?;
            shape(first)
        }
        other => Err(ShapeError::UnknownType {
            kind: other.to_owned(),
        }),
    }
}

/// The area a place object's `geometry` draws (chronomap's export writes
/// one for each area): a GeoJSON Polygon or MultiPolygon.
///
/// # Errors
/// For any other geometry, and as [`shape`] for a malformed one.
pub(super) fn area_of(geometry: &Value) -> Result<Area, ShapeError> {
    match geometry.get("type").and_then(Value::as_str) {
        Some("Polygon" | "MultiPolygon") => match shape(geometry)? {
            Shape::Area(area) => Ok(area),
            Shape::Point(_) => Err(ShapeError::NotAnArea),
        },
        _ => Err(ShapeError::NotAreaType),
    }
}

/// A note for the details when the map shows less than the geometry: a
/// line drawn as one point, a collection as its first part.
pub(super) fn geometry_note(geometry: &Value) -> Option<String> {
    let kind = geometry.get("type").and_then(Value::as_str)?;
    match kind {
        "MultiPoint" | "LineString" | "MultiLineString" => {
            Some(format!("{kind}, shown at one point"))
        }
        "GeometryCollection" => {
            let parts = geometry.get("geometries").and_then(Value::as_array)?;
            (parts.len() > 1).then(|| {
                format!(
                    "GeometryCollection of {} parts, only the first shown",
                    parts.len()
                )
            })
        }
        _ => None,
    }
}

/// A Polygon's rings (outline, then holes) as `[lon, lat]` lists.
fn polygon(coordinates: Option<&Value>) -> Result<PolygonLonLat, ShapeError> {
    coordinates
        .and_then(Value::as_array)
        .ok_or(ShapeError::NotRings)?
        .iter()
        .map(|ring| {
            ring.as_array()
                .ok_or(ShapeError::NotRing)?
                .iter()
                .map(position)
                .collect()
        })
        .collect()
}

/// `[lon, lat]` (more elements, altitude or time, are ignored).
fn position(value: &Value) -> Result<[f64; 2], ShapeError> {
    let list = value.as_array().ok_or(ShapeError::PositionNotList)?;
    let (Some(lon), Some(lat)) = (
        list.first().and_then(Value::as_f64),
        list.get(1).and_then(Value::as_f64),
    ) else {
        return Err(ShapeError::PositionNotNumbers);
    };
    if lat.abs() > 90.0 {
        let swapped = lon.abs() <= 90.0 && lat.abs() <= 180.0;
        return Err(ShapeError::LatitudeOutOfRange { lon, lat, swapped });
    }
    if lon.abs() > 180.0 {
        return Err(ShapeError::LongitudeOutOfRange { lon, lat });
    }
    Ok([lon, lat])
}

fn collect_positions(value: Option<&Value>, out: &mut Vec<[f64; 2]>) -> Result<(), ShapeError> {
    let list = value
        .and_then(Value::as_array)
        .ok_or(ShapeError::NotPositions)?;
    if list.first().is_some_and(Value::is_number) {
        out.push(position(value.unwrap_or(&Value::Null))?);
        return Ok(());
    }
    for item in list {
        collect_positions(Some(item), out)?;
    }
    Ok(())
}

fn mean(points: &[[f64; 2]]) -> Result<[f64; 2], ShapeError> {
    if points.is_empty() {
        return Err(ShapeError::NoPositions);
    }
    let n = points.len() as f64;
    let sum = points
        .iter()
        .fold([0.0, 0.0], |[a, b], [x, y]| [a + x, b + y]);
    Ok([sum[0] / n, sum[1] / n])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geometry(json: &str) -> Value {
        serde_json::from_str(json).unwrap_or_default()
    }

    #[test]
    fn positions_out_of_range_keep_their_values() {
        let swapped = shape(&geometry(
            r#"{"type":"Point","coordinates":[48.5,135.1,7]}"#,
        ));
        assert_eq!(
            swapped.err(),
            Some(ShapeError::LatitudeOutOfRange {
                lon: 48.5,
                lat: 135.1,
                swapped: true,
            })
        );
        let line = r#"{"type":"LineString","coordinates":[[0,0],[200,10,3]]}"#;
        assert_eq!(
            shape(&geometry(line)).err(),
            Some(ShapeError::LongitudeOutOfRange {
                lon: 200.0,
                lat: 10.0,
            })
        );
        let far = ShapeError::LatitudeOutOfRange {
            lon: 100.0,
            lat: 95.0,
            swapped: false,
        };
        assert_eq!(far.to_string(), "latitude 95 out of range");
    }

    #[test]
    fn areas_say_what_is_missing() {
        assert_eq!(
            area_of(&geometry(r#"{"type":"Point","coordinates":[1,2]}"#)).err(),
            Some(ShapeError::NotAreaType)
        );
        let flat = r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}"#;
        assert_eq!(
            area_of(&geometry(flat)).err(),
            Some(ShapeError::Area(AreaError::TooFewCorners {
                polygon: 1,
                hole: false,
                corners: 2,
            }))
        );
        assert_eq!(
            shape(&geometry(r#"{"type":"MultiPoint","coordinates":[]}"#)).err(),
            Some(ShapeError::NoPositions)
        );
    }
}
