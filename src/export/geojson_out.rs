//! Events as a GeoJSON FeatureCollection (RFC 7946): one Feature per event,
//! a Point for a city, the outline for a province or country, the outline
//! as read for an area the file drew, a GeometryCollection for an event
//! with several places, and `null` for an event on the timeline only. The
//! geometry is for GIS tools: chronomap reads every place back from the
//! `places` property, whose coordinates are exact (a region's outline is
//! rounded). Keys are sorted (serde_json's
//! map), so output is deterministic.

use serde_json::{Map, Value, json};

use super::{date_cells, extra_pairs, places_out, polygons_geometry};
use crate::atlas::{Atlas, Region, lon_lat_from_world};
use crate::model::{Dataset, EventIdx, EventRef, Location, Notes};

/// World units per pixel for the outline's level of detail: about 1 km,
/// fine enough for a GIS, small enough to mail.
const OUTLINE_WORLD_PER_PX: f64 = 1.0 / 40_000.0;

/// The events `events` of `dataset` as GeoJSON text, in the order given;
/// with `notes`, each noted event's note in a `note` property.
///
/// # Errors
/// Only if serialisation fails, which it does not for these values.
pub fn events_geojson(
    dataset: &Dataset,
    atlas: &Atlas,
    events: &[EventIdx],
    notes: Option<&Notes>,
) -> Result<String, serde_json::Error> {
    // One feature per line: compact, yet diffable and easy to skim.
    let mut text = String::from("{\"type\":\"FeatureCollection\",\"name\":");
    text.push_str(&serde_json::to_string(&dataset.title)?);
    text.push_str(",\"features\":[");
    for (n, event) in events.iter().filter_map(|&i| dataset.event(i)).enumerate() {
        text.push_str(if n == 0 { "\n" } else { ",\n" });
        let mut feature = feature(dataset, atlas, event);
        if let Some(note) = notes.and_then(|n| n.get(event.id()))
            && let Some(properties) = feature["properties"].as_object_mut()
        {
            properties.insert("note".to_owned(), json!(note));
        }
        text.push_str(&serde_json::to_string(&feature)?);
    }
    text.push_str("\n]}\n");
    Ok(text)
}

fn feature(dataset: &Dataset, atlas: &Atlas, event: EventRef<'_>) -> Value {
    let places: Vec<_> = event
        .places()
        .iter()
        .filter_map(|&p| dataset.place(p))
        .collect();
    let geometries: Vec<Value> = places
        .iter()
        .filter_map(|p| geometry(atlas, p.location.as_ref()?))
        .collect();
    let geometry = match geometries.len() {
        0 => Value::Null,
        1 => geometries.into_iter().next().unwrap_or(Value::Null),
        _ => json!({ "type": "GeometryCollection", "geometries": geometries }),
    };
    json!({
        "type": "Feature",
        "id": event.id(),
        "geometry": geometry,
        "properties": properties(dataset, atlas, event, &places),
    })
}

fn properties(
    dataset: &Dataset,
    atlas: &Atlas,
    event: EventRef<'_>,
    places: &[crate::model::PlaceRef<'_>],
) -> Value {
    let mut p = Map::new();
    let mut put = |key: &str, value: Value| {
        if !value.is_null() && value != json!("") && value != json!([]) {
            p.insert(key.to_owned(), value);
        }
    };
    let date = event.date();
    let (start, end) = date_cells(&date);
    put("id", json!(event.id()));
    put("title", json!(event.title()));
    put("summary", json!(event.summary()));
    put("start", json!(start));
    put("end", json!(end));
    put("precision", json!(date.precision.name()));
    put("wording", json!(date.wording));
    put("category", json!(dataset.category_name(event.category())));
    let first = places.first();
    put("place", json!(first.map(|p| p.name)));
    put("country", json!(first.and_then(|p| p.country.as_ref())));
    put("actors", json!(event.actors()));
    if let Some(c) = &event.casualties() {
        put("killed", json!(c.killed));
        put("injured", json!(c.injured));
        put("casualty_detail", json!(c.detail));
    }
    put("source", json!(event.sources().first().map(|s| s.name)));
    put("sources", json!(event.sources()));
    put("quotes", json!(event.quotes()));
    put("extra", json!(extra_pairs(event)));
    // Always written, even empty: an empty list says "on the timeline only".
    p.insert(
        "places".to_owned(),
        json!(places_out(dataset, atlas, event)),
    );
    Value::Object(p)
}

fn geometry(atlas: &Atlas, location: &Location) -> Option<Value> {
    match location {
        Location::Point { lon_lat } => Some(json!({ "type": "Point", "coordinates": lon_lat })),
        Location::Region(id) => atlas.region(*id).and_then(outline),
        Location::Area(area) => polygons_geometry(area.polygons()),
    }
}

/// A region's outline in degrees: a Polygon, or a MultiPolygon for
/// regions in several parts; rings closed, as GeoJSON wants.
fn outline(region: &Region) -> Option<Value> {
    let geometry = region.lod_for(OUTLINE_WORLD_PER_PX);
    let polygons: Vec<Vec<Vec<[f64; 2]>>> = geometry
        .polygons()
        .map(|rings| rings.iter().map(|r| ring_lon_lat(&r.points)).collect())
        .collect();
    polygons_geometry(&polygons)
}

/// A ring in degrees rounded to 1e-5 (about a metre), first point repeated.
fn ring_lon_lat(points_world: &[[f32; 2]]) -> Vec<[f64; 2]> {
    let round = |v: f64| (v * 1e5).round() / 1e5;
    let mut ring: Vec<[f64; 2]> = points_world
        .iter()
        .map(|p| {
            let [lon, lat] = lon_lat_from_world([f64::from(p[0]), f64::from(p[1])]);
            [round(lon), round(lat)]
        })
        .collect();
    if let Some(&first) = ring.first() {
        ring.push(first);
    }
    ring
}
