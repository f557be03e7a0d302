//! GeoJSON geometries as places on the map: a point, or an area's outline.
//! Read by the GeoJSON loader, and by the place lists of tables and
//! chronomap JSON, which may draw an area with a geometry.

use serde_json::Value;

use crate::model::{Area, PolygonLonLat};

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
pub(super) fn shape(geometry: &Value) -> Result<Shape, String> {
    let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
    let coordinates = geometry.get("coordinates");
    match kind {
        "Point" => Ok(Shape::Point(position(
            coordinates.ok_or("a Point without coordinates")?,
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
                .ok_or("a MultiPolygon needs a list of polygons")?;
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
                .ok_or("an empty GeometryCollection")?;
            shape(first)
        }
        other => Err(format!("geometry type '{other}' is not a GeoJSON geometry")),
    }
}

/// The area a place object's `geometry` draws (chronomap's export writes
/// one for each area): a GeoJSON Polygon or MultiPolygon.
///
/// # Errors
/// For any other geometry, and as [`shape`] for a malformed one.
pub(super) fn area_of(geometry: &Value) -> Result<Area, String> {
    match geometry.get("type").and_then(Value::as_str) {
        Some("Polygon" | "MultiPolygon") => match shape(geometry)? {
            Shape::Area(area) => Ok(area),
            Shape::Point(_) => Err("a geometry that is not an area".into()),
        },
        _ => Err("'geometry' must be a GeoJSON Polygon or MultiPolygon".into()),
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
fn polygon(coordinates: Option<&Value>) -> Result<PolygonLonLat, String> {
    coordinates
        .and_then(Value::as_array)
        .ok_or("a polygon must be a list of rings")?
        .iter()
        .map(|ring| {
            ring.as_array()
                .ok_or("a ring must be a list of positions")?
                .iter()
                .map(position)
                .collect()
        })
        .collect()
}

/// `[lon, lat]` (more elements, altitude or time, are ignored).
fn position(value: &Value) -> Result<[f64; 2], String> {
    let list = value
        .as_array()
        .ok_or("coordinates must be a list [longitude, latitude]")?;
    let (Some(lon), Some(lat)) = (
        list.first().and_then(Value::as_f64),
        list.get(1).and_then(Value::as_f64),
    ) else {
        return Err("coordinates must be numbers [longitude, latitude]".into());
    };
    let swapped = lon.abs() <= 90.0 && lat.abs() <= 180.0;
    if lat.abs() > 90.0 {
        let hint = if swapped {
            " (the coordinates look swapped: GeoJSON is [longitude, latitude])"
        } else {
            ""
        };
        return Err(format!("latitude {lat} out of range{hint}"));
    }
    if lon.abs() > 180.0 {
        return Err(format!("longitude {lon} out of range"));
    }
    Ok([lon, lat])
}

fn collect_positions(value: Option<&Value>, out: &mut Vec<[f64; 2]>) -> Result<(), String> {
    let list = value
        .and_then(Value::as_array)
        .ok_or("coordinates must be lists of positions")?;
    if list.first().is_some_and(Value::is_number) {
        out.push(position(value.unwrap_or(&Value::Null))?);
        return Ok(());
    }
    for item in list {
        collect_positions(Some(item), out)?;
    }
    Ok(())
}

fn mean(points: &[[f64; 2]]) -> Result<[f64; 2], String> {
    if points.is_empty() {
        return Err("a geometry with no positions".into());
    }
    let n = points.len() as f64;
    let sum = points
        .iter()
        .fold([0.0, 0.0], |[a, b], [x, y]| [a + x, b + y]);
    Ok([sum[0] / n, sum[1] / n])
}
