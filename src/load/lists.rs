//! The list-valued columns of chronomap's exports (`places`, `sources`,
//! `quotes`, `extra`, and `actors` where a name holds a `;`), read from a
//! CSV cell or a GeoJSON property; `data/FORMAT.md` describes them.
//!
//! Each is JSON in the export. People typing a table may write `places`,
//! `sources` and `actors` as plain lists separated by `;` instead.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize as _;
use serde_json::Value;
use serde_json::value::RawValue;

use super::cells::source;
use crate::atlas::{PlaceKind, PlaceQuery, Resolved};
use crate::load::ProblemKind;
use crate::load::common::{RowProblems, Sink};
use crate::load::places::{PlaceSpec, stated_precision};
use crate::load::tabular::{is_null, lon_lat, split_list};
use crate::model::{Area, PlaceIdx, PlacePrecision, Quote, Source};

/// The items of a list that could be read, and what was wrong with the rest.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Listed<T> {
    /// The items, in the list's order.
    pub items: Vec<T>,
    /// One problem per item that was skipped or partly read.
    pub problems: Vec<Said>,
}

/// A problem with one item of a list: its kind and message.
pub(crate) type Said = (ProblemKind, String);

/// Why a list cell or property cannot be read at all; the value is then
/// ignored (or, for places, the other place columns read instead).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ListError {
    /// A cell that starts like JSON but is not.
    #[error("not valid JSON ({detail})")]
    InvalidJson {
        /// What the JSON parser said.
        detail: String,
    },
    /// A value that is not a JSON list where one is needed.
    #[error("expected a JSON list of {what}s")]
    NotAList {
        /// What the list holds (`quote`).
        what: &'static str,
    },
    /// A `places` value that is neither a list nor one text of names.
    #[error("not a list of places (names or objects with a name)")]
    NotPlaces,
}

/// Why one item of a list is skipped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
enum ItemError {
    /// An object without the fields of its kind of item.
    #[error("{detail}")]
    Fields {
        /// What the deserializer said (`missing field `name``).
        detail: String,
    },
    /// A `[field, value]` pair whose value is a list or an object.
    #[error("the value of '{field}' must be text or a number")]
    NotPlain {
        /// The field.
        field: String,
    },
}

impl From<serde_json::Error> for ItemError {
    fn from(error: serde_json::Error) -> Self {
        Self::Fields {
            detail: error.to_string(),
        }
    }
}

impl<T> Default for Listed<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            problems: Vec::new(),
        }
    }
}

/// A place as a `places` list gives it, before it is located.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct PlaceItem {
    name: String,
    kind: Option<PlaceKind>,
    country: Option<String>,
    /// A code the gazetteer resolves to one province or country exactly.
    code: Option<String>,
    lon_lat: Option<[f64; 2]>,
    /// An outline the place object draws.
    area: Option<Arc<Area>>,
    /// How precisely the object places it.
    precision: PlacePrecision,
}

/// A cell as JSON when it starts like a JSON list or object, else as text.
///
/// # Errors
/// [`ListError::InvalidJson`] when it starts like JSON but is not.
pub(crate) fn cell_value(cell: &str) -> Result<Value, ListError> {
    if !cell.starts_with(['[', '{']) {
        return Ok(Value::String(cell.to_owned()));
    }
    serde_json::from_str(cell).map_err(|e| ListError::InvalidJson {
        detail: e.to_string(),
    })
}

/// The names of an actor cell: a JSON list of texts, or texts separated by
/// `;` (the export writes JSON only when a name holds a `;`).
pub(crate) fn actors_in_cell(cell: &str) -> Vec<String> {
    if cell.starts_with('[')
        && let Ok(names) = serde_json::from_str::<Vec<String>>(cell)
    {
        return names
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect();
    }
    split_list(Some(cell)).map(str::to_owned).collect()
}

/// The places of a table cell: a JSON list (see [`places_in_json`]), or
/// names separated by `;`, each looked up in `country` (the row's country)
/// when given.
///
/// # Errors
/// [`ListError::NotPlaces`] when the cell starts like a JSON list but is
/// not one.
pub(crate) fn places_in_cell(
    cell: &str,
    country: Option<&str>,
) -> Result<Listed<PlaceItem>, ListError> {
    if cell.starts_with('[') {
        return places_in_json(cell, country);
    }
    Ok(named_places(split_list(Some(cell)), country))
}

/// The places of a JSON value, from its text as written (so that
/// coordinates come back to the last bit, which serde_json's own number
/// parsing does not promise): a list of names and place objects, or one
/// text of names separated by `;`.
///
/// # Errors
/// [`ListError::NotPlaces`] when the value is neither.
pub(crate) fn places_in_json(
    raw: &str,
    country: Option<&str>,
) -> Result<Listed<PlaceItem>, ListError> {
    if let Ok(text) = serde_json::from_str::<String>(raw) {
        return Ok(named_places(split_list(Some(&text)), country));
    }
    let items: Vec<&RawValue> = serde_json::from_str(raw).map_err(|_| ListError::NotPlaces)?;
    let mut listed = Listed::default();
    for (n, item) in (1..).zip(items) {
        match place_item(item.get(), country) {
            Ok((place, notes)) => {
                listed.items.push(place);
                listed.problems.extend(
                    notes
                        .into_iter()
                        .map(|(k, m)| (k, format!("place {n}: {m}"))),
                );
            }
            Err((k, m)) => listed
                .problems
                .push((k, format!("place {n}: {m} (the place is skipped)"))),
        }
    }
    Ok(listed)
}

fn named_places<'a>(
    names: impl Iterator<Item = &'a str>,
    country: Option<&str>,
) -> Listed<PlaceItem> {
    Listed {
        items: names.map(|name| named(name, country)).collect(),
        problems: Vec::new(),
    }
}

fn named(name: &str, country: Option<&str>) -> PlaceItem {
    PlaceItem {
        name: name.trim().to_owned(),
        country: country.map(str::to_owned),
        ..PlaceItem::default()
    }
}

/// The fields a place object may have.
const PLACE_FIELDS: [&str; 9] = [
    "name",
    "kind",
    "country",
    "code",
    "lon",
    "lat",
    "geometry",
    "precision",
    "radius_km",
];

/// One item of a JSON `places` list: a name, or a place object (with notes
/// on what in it was ignored).
fn place_item(raw: &str, country: Option<&str>) -> Result<(PlaceItem, Vec<Said>), Said> {
    if let Ok(name) = serde_json::from_str::<String>(raw) {
        return Ok((named(&name, country), Vec::new()));
    }
    let fields: BTreeMap<String, &RawValue> = serde_json::from_str(raw).map_err(|_| {
        let message = "expected a name or an object with a name";
        (ProblemKind::Structure, message.to_owned())
    })?;
    let mut notes: Vec<Said> = fields
        .keys()
        .filter(|k| !PLACE_FIELDS.contains(&k.as_str()))
        .map(|k| {
            (
                ProblemKind::Structure,
                format!("unknown field '{k}' (ignored)"),
            )
        })
        .collect();
    let mut text = |key: &str| match fields.get(key).map(|v| v.get()) {
        None | Some("null") => None,
        Some(raw) => match serde_json::from_str::<String>(raw) {
            Ok(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Ok(_) => None,
            Err(_) => {
                let message = format!("'{key}' must be text (ignored)");
                notes.push((ProblemKind::BadValue, message));
                None
            }
        },
    };
    let name = text("name").ok_or((ProblemKind::MissingField, "no name".to_owned()))?;
    let kind_text = text("kind");
    let (country, code) = (text("country"), text("code"));
    let precision_text = text("precision");
    let kind = kind_text.as_deref().and_then(|k| {
        let kind = PlaceKind::from_name(&k.to_ascii_lowercase());
        if kind.is_none() {
            let message = format!("unknown kind '{k}' (city, province, country or area; ignored)");
            notes.push((ProblemKind::BadValue, message));
        }
        kind
    });
    let lon_lat = coordinates(&fields, &mut notes);
    let area = fields
        .get("geometry")
        .map(|raw| raw.get())
        .filter(|raw| *raw != "null")
        .and_then(|raw| {
            let geometry: Value = serde_json::from_str(raw).ok()?;
            crate::load::shapes::area_of(&geometry)
                .map_err(|m| {
                    let message = format!("{m}; the place is looked up by name");
                    notes.push((ProblemKind::BadCoordinate, message));
                })
                .ok()
        })
        .map(Arc::new);
    let radius = fields
        .get("radius_km")
        .map(|raw| raw.get())
        .filter(|raw| *raw != "null")
        .map(|raw| serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_owned()));
    let (precision, said) = stated_precision(precision_text.as_deref(), radius.as_deref());
    notes.extend(
        said.into_iter()
            .flatten()
            .map(|m| (ProblemKind::BadValue, m)),
    );
    let place = PlaceItem {
        name,
        kind,
        country,
        code,
        lon_lat,
        area,
        precision,
    };
    Ok((place, notes))
}

/// A place object's `lon` and `lat`, parsed from their text exactly.
fn coordinates(fields: &BTreeMap<String, &RawValue>, notes: &mut Vec<Said>) -> Option<[f64; 2]> {
    let number = |key: &str| fields.get(key).map(|v| v.get()).filter(|v| *v != "null");
    let message = match (number("lon"), number("lat")) {
        (None, None) => return None,
        (Some(lon), Some(lat)) => match lon_lat(lon, lat) {
            Ok(point) => return Some(point),
            Err((_, m)) => format!("{m}; the place is looked up by name"),
        },
        _ => "only one of lon and lat is given; the place is looked up by name".to_owned(),
    };
    notes.push((ProblemKind::BadCoordinate, message));
    None
}

/// Locates the places of a list, without repeats: an outline or coordinates
/// win; then a region `code`; then the name through the gazetteer
/// (unresolved names are reported like any other). The list's problems go to `field`.
pub(crate) fn locate(
    sink: &mut Sink<'_>,
    listed: &Listed<PlaceItem>,
    field: &str,
    problems: &mut RowProblems,
) -> Vec<PlaceIdx> {
    for (kind, message) in &listed.problems {
        problems.push(*kind, field, message.clone());
    }
    let mut out = Vec::new();
    for item in &listed.items {
        let idx = locate_one(sink, item, field, problems);
        if !out.contains(&idx) {
            out.push(idx);
        }
    }
    out
}

fn locate_one(
    sink: &mut Sink<'_>,
    item: &PlaceItem,
    field: &str,
    problems: &mut RowProblems,
) -> PlaceIdx {
    let spec = |name| PlaceSpec {
        name,
        kind: item.kind,
        country: item.country.as_deref(),
        lon_lat: item.lon_lat,
        area: item.area.clone(),
        precision: item.precision,
    };
    if item.lon_lat.is_none()
        && item.area.is_none()
        && let Some(code) = item.code.as_deref()
        && let Some(idx) = region_by_code(sink, &spec(code))
    {
        return idx;
    }
    sink.place(&spec(&item.name), field, problems)
}

/// The province or country a code names (never a city that happens to be
/// called like it).
fn region_by_code(sink: &mut Sink<'_>, spec: &PlaceSpec<'_>) -> Option<PlaceIdx> {
    let query = PlaceQuery {
        name: spec.name,
        country: spec.country,
        kind: spec.kind,
    };
    match sink.atlas.get().resolve(&query)? {
        Resolved::Region(_) => sink.try_place(spec),
        Resolved::City(_) => None,
    }
}

/// The sources of a `sources` value: a list of source objects (`name`,
/// `kind`, `url`) or texts, or one text of names or links separated by `;`
/// (a link is named by its host, as in a `source` column).
///
/// # Errors
/// [`ListError::NotAList`] when the value is none of these.
pub(crate) fn sources(value: &Value) -> Result<Listed<Source>, ListError> {
    if let Value::String(text) = value {
        return Ok(Listed {
            items: split_list(Some(text)).map(source).collect(),
            problems: Vec::new(),
        });
    }
    list_of(value, "source", |item| match item {
        Value::String(text) if !is_null(text) => Some(Ok(source(text))),
        Value::Object(_) => Some(Source::deserialize(item).map_err(ItemError::from)),
        _ => None,
    })
}

/// The quotes of a `quotes` value: a list of objects with `speaker`, `text`
/// and, optionally, `context`.
///
/// # Errors
/// [`ListError::NotAList`] when the value is not a list.
pub(crate) fn quotes(value: &Value) -> Result<Listed<Quote>, ListError> {
    list_of(value, "quote", |item| match item {
        Value::Object(_) => Some(Quote::deserialize(item).map_err(ItemError::from)),
        _ => None,
    })
}

/// The fields of an `extra` value: a list of `[field, value]` pairs (kept
/// in order) or an object; any other text or number is one field named
/// `key`, the column's own name.
///
/// # Errors
/// None in practice: [`list_of`] is given lists only, and any other value
/// is read as it is.
pub(crate) fn extra(key: &str, value: &Value) -> Result<Listed<(String, String)>, ListError> {
    match value {
        Value::Object(map) => {
            let pair = |(k, v): (&String, &Value)| Some((k.clone(), plain(v)?));
            Ok(Listed {
                items: map.iter().filter_map(pair).collect(),
                problems: Vec::new(),
            })
        }
        Value::Array(_) => list_of(value, "field", field_pair),
        other => Ok(Listed {
            items: plain(other)
                .map(|v| (key.to_owned(), v))
                .into_iter()
                .collect(),
            problems: Vec::new(),
        }),
    }
}

/// One `[field, value]` pair of an `extra` list (`None`: not a pair).
fn field_pair(item: &Value) -> Option<Result<(String, String), ItemError>> {
    let Some([Value::String(field), value]) = item.as_array().map(Vec::as_slice) else {
        return None;
    };
    Some(
        plain(value)
            .map(|v| (field.clone(), v))
            .ok_or_else(|| ItemError::NotPlain {
                field: field.clone(),
            }),
    )
}

/// A value as text: strings as they are, numbers and true/false written out.
fn plain(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The items of a JSON list read by `read` (`None`: not the right shape),
/// naming each one that could not be read by its position.
fn list_of<T>(
    value: &Value,
    what: &'static str,
    read: impl Fn(&Value) -> Option<Result<T, ItemError>>,
) -> Result<Listed<T>, ListError> {
    let Value::Array(items) = value else {
        return Err(ListError::NotAList { what });
    };
    let mut listed = Listed::default();
    for (n, item) in (1..).zip(items) {
        match read(item) {
            Some(Ok(found)) => listed.items.push(found),
            Some(Err(m)) => listed.problems.push((
                ProblemKind::Structure,
                format!("{what} {n}: {m} (the {what} is skipped)"),
            )),
            None => listed.problems.push((
                ProblemKind::Structure,
                format!("{what} {n}: not a {what} (skipped)"),
            )),
        }
    }
    Ok(listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(cell: &str) -> Listed<PlaceItem> {
        places_in_cell(cell, Some("AF")).unwrap_or_else(|e| panic!("{e}"))
    }

    fn messages<T>(listed: &Listed<T>) -> Vec<&str> {
        listed.problems.iter().map(|(_, m)| m.as_str()).collect()
    }

    fn kinds<T>(listed: &Listed<T>) -> Vec<ProblemKind> {
        listed.problems.iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn names_separated_by_semicolons_take_the_row_country() {
        let listed = places("Khost; Kunar ;Paktika");
        let names: Vec<_> = listed.items.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Khost", "Kunar", "Paktika"]);
        assert!(
            listed
                .items
                .iter()
                .all(|p| p.country.as_deref() == Some("AF"))
        );
        assert!(listed.problems.is_empty());
    }

    #[test]
    fn place_objects_keep_exact_coordinates_and_say_what_they_ignore() {
        // 118.29753899999997 is one that serde_json's default number
        // parsing reads a bit off.
        let listed = places(
            r#"[{"name":"A","kind":"city","lon":118.29753899999997,"lat":-31.278453127844994},
                {"name":"Khost","kind":"province","country":"AF","code":"AF-KHO","lng":1},
                {"kind":"city"}, 7, "Kabul",
                {"name":"B","kind":"town","lon":200,"lat":1}]"#,
        );
        let first = listed.items.first().cloned().unwrap_or_default();
        assert_eq!(
            first.lon_lat,
            Some([118.297_538_999_999_97, -31.278_453_127_844_994])
        );
        assert_eq!(first.kind, Some(PlaceKind::City));
        let khost = listed.items.get(1).cloned().unwrap_or_default();
        assert_eq!(
            (khost.kind, khost.country.as_deref(), khost.code.as_deref()),
            (Some(PlaceKind::Province), Some("AF"), Some("AF-KHO"))
        );
        let names: Vec<_> = listed.items.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["A", "Khost", "Kabul", "B"]);
        assert_eq!(
            kinds(&listed),
            [
                ProblemKind::Structure,
                ProblemKind::MissingField,
                ProblemKind::Structure,
                ProblemKind::BadValue,
                ProblemKind::BadCoordinate,
            ]
        );
        assert_eq!(
            messages(&listed),
            [
                "place 2: unknown field 'lng' (ignored)",
                "place 3: no name (the place is skipped)",
                "place 4: expected a name or an object with a name (the place is skipped)",
                "place 6: unknown kind 'town' (city, province, country or area; ignored)",
                "place 6: longitude 200 out of range; the place is looked up by name",
            ]
        );
        let not_places = places_in_cell("[nope", None).err();
        assert_eq!(not_places, Some(ListError::NotPlaces));
        assert_eq!(
            not_places.map(|e| e.to_string()).as_deref(),
            Some("not a list of places (names or objects with a name)")
        );
    }

    #[test]
    fn sources_quotes_and_extra_from_json_or_text() {
        let value = |text: &str| cell_value(text).unwrap_or_else(|e| panic!("{e}"));
        let listed = sources(&value(
            r#"[{"name":"ISPR","kind":"official statement"},"https://www.example.org/a",{"kind":"x"}]"#,
        ))
        .unwrap_or_default();
        let names: Vec<_> = listed.items.iter().map(|s| &*s.name).collect();
        assert_eq!(names, ["ISPR", "example.org"]);
        assert_eq!(
            messages(&listed),
            ["source 3: missing field `name` (the source is skipped)"]
        );
        assert_eq!(kinds(&listed), [ProblemKind::Structure]);
        let typed = sources(&value("Reuters; https://ap.org/x")).unwrap_or_default();
        assert_eq!(typed.items.len(), 2);
        let said = quotes(&value(
            r#"[{"speaker":"A","text":" vital role ","context":"c"}]"#,
        ))
        .unwrap_or_default();
        assert_eq!(
            said.items.first().map(|q| q.text.as_str()),
            Some(" vital role ")
        );
        let not_a_list = quotes(&value("words")).err();
        assert_eq!(not_a_list, Some(ListError::NotAList { what: "quote" }));
        assert_eq!(
            not_a_list.map(|e| e.to_string()).as_deref(),
            Some("expected a JSON list of quotes")
        );
        let pairs = extra(
            "extra",
            &value(r#"[["notes","n"],["admin1",3],[1,2],["where",[1]]]"#),
        )
        .unwrap_or_default();
        assert_eq!(
            pairs.items,
            [("notes".into(), "n".into()), ("admin1".into(), "3".into())]
        );
        assert_eq!(
            messages(&pairs),
            [
                "field 3: not a field (skipped)",
                "field 4: the value of 'where' must be text or a number (the field is skipped)",
            ]
        );
        let text = extra("extra", &value("a note")).unwrap_or_default();
        assert_eq!(text.items, [("extra".into(), "a note".into())]);
        assert!(matches!(
            cell_value("[oops"),
            Err(ListError::InvalidJson { .. })
        ));
    }

    #[test]
    fn a_pair_names_the_field_whose_value_is_not_plain() {
        let pair = |text: &str| field_pair(&cell_value(text).unwrap_or_default());
        assert_eq!(
            pair(r#"["where", {"a": 1}]"#),
            Some(Err(ItemError::NotPlain {
                field: "where".into()
            }))
        );
        assert_eq!(
            pair(r#"["admin1", 3]"#),
            Some(Ok(("admin1".into(), "3".into())))
        );
        assert_eq!(pair("[1, 2]"), None);
    }

    #[test]
    fn actor_cells_are_json_or_semicolon_lists() {
        assert_eq!(actors_in_cell(r#"["A; B", " C "]"#), ["A; B", "C"]);
        assert_eq!(actors_in_cell("A; B;NA"), ["A", "B"]);
        assert_eq!(actors_in_cell("[Unknown] group"), ["[Unknown] group"]);
    }
}
