//! GDELT event files: 1.0 (57 fields, 58 with SOURCEURL) and 2.0 (61
//! fields), tab-separated, without a header; see `formats.md` §2.
//!
//! SQLDATE is the date (DATEADDED is when GDELT saw the article), the
//! ActionGeo point is the place, and the CAMEO root code with QuadClass is the
//! category. A row without an ActionGeo location is kept on the timeline only
//! and reported: the actors' home locations are not where the event was.

use super::common::AtlasWhenNeeded;
use super::common::{RowProblems, Sink};
use super::dates::DateReader;
use super::places::PlaceSpec;
use super::progress::Progress;
use super::table::source;
use super::tabular::{Row, Table, lon_lat};
use super::{LoadOptions, Loaded, ProblemKind};
use crate::atlas::PlaceKind;
use crate::model::{DateSpan, Event};

/// Column positions of one GDELT layout.
struct Layout {
    name: &'static str,
    action_type: usize,
    action_full_name: usize,
    action_country: usize,
    action_adm1: usize,
    action_lat: usize,
    action_lon: usize,
    action_feature_id: usize,
    date_added: usize,
    source_url: Option<usize>,
}

const V1_HISTORICAL: Layout = Layout {
    name: "GDELT 1.0 (57 fields)",
    action_type: 49,
    action_full_name: 50,
    action_country: 51,
    action_adm1: 52,
    action_lat: 53,
    action_lon: 54,
    action_feature_id: 55,
    date_added: 56,
    source_url: None,
};

const V1_DAILY: Layout = Layout {
    name: "GDELT 1.0 (58 fields)",
    source_url: Some(57),
    ..V1_HISTORICAL
};

const V2: Layout = Layout {
    name: "GDELT 2.0 (61 fields)",
    action_type: 51,
    action_full_name: 52,
    action_country: 53,
    action_adm1: 54,
    action_lat: 56,
    action_lon: 57,
    action_feature_id: 58,
    date_added: 59,
    source_url: Some(60),
};

/// Fields at the same place in every layout.
const GLOBAL_EVENT_ID: usize = 0;
const SQLDATE: usize = 1;
const ACTOR1_NAME: usize = 6;
const ACTOR2_NAME: usize = 16;
const IS_ROOT_EVENT: usize = 25;
const EVENT_CODE: usize = 26;
const EVENT_ROOT_CODE: usize = 28;
const QUAD_CLASS: usize = 29;
const GOLDSTEIN: usize = 30;
const NUM_MENTIONS: usize = 31;
const NUM_SOURCES: usize = 32;
const NUM_ARTICLES: usize = 33;
const AVG_TONE: usize = 34;

fn layout(fields: usize) -> Option<&'static Layout> {
    match fields {
        57 => Some(&V1_HISTORICAL),
        58 => Some(&V1_DAILY),
        61 => Some(&V2),
        _ => None,
    }
}

/// Parses a GDELT events file.
pub fn parse(
    file: &str,
    text: &str,
    options: &LoadOptions,
    atlas: AtlasWhenNeeded<'_>,
    progress: Option<&Progress>,
) -> Loaded {
    let table = Table::read_with(text, b'\t', false, false, progress);
    let format = table
        .rows
        .first()
        .and_then(|r| layout(r.cells.len()))
        .map_or("GDELT", |l| l.name);
    let mut sink = Sink::new(file, format, atlas, options.keep_problems);
    for row in &table.rows {
        sink.report.rows += 1;
        let mut problems = RowProblems::new(row.line);
        let event = read_row(&mut sink, row, &mut problems);
        problems.flush(&mut sink.report, event.as_ref().map(|e| e.id.as_str()));
        if let Some(event) = event {
            sink.builder.push(event);
        }
    }
    sink.finish()
}

fn read_row(sink: &mut Sink<'_>, row: &Row, problems: &mut RowProblems) -> Option<Event> {
    let Some(layout) = layout(row.cells.len()) else {
        problems.push(
            ProblemKind::WrongFieldCount,
            "row",
            format!(
                "row has {} fields; GDELT rows have 57, 58 or 61 (a cut-off line?); the row is skipped",
                row.cells.len()
            ),
        );
        return None;
    };
    let date = sql_date(row, problems)?;
    let id = row
        .get(GLOBAL_EVENT_ID)
        .map_or_else(|| format!("line-{}", row.line), str::to_owned);
    let root = row.get(EVENT_ROOT_CODE).unwrap_or("");
    let category = sink.builder.category(&category_name(root));
    let places = action_place(sink, row, layout, problems);
    let actors: Vec<crate::model::Name> = [ACTOR1_NAME, ACTOR2_NAME]
        .iter()
        .filter_map(|&i| row.get(i))
        .map(crate::model::Name::from)
        .collect();
    Some(Event {
        title: title(row, root).into(),
        summary: summary(row, layout).into(),
        sources: layout
            .source_url
            .and_then(|i| row.get(i))
            .map(source)
            .into_iter()
            .collect(),
        extra: crate::model::Extra::new(extra(row, layout)),
        casualties: None,
        quotes: Default::default(),
        id: id.into(),
        date,
        places: places.into(),
        actors: actors.into(),
        category,
    })
}

fn sql_date(row: &Row, problems: &mut RowProblems) -> Option<DateSpan> {
    let Some(text) = row.get(SQLDATE) else {
        problems.push(
            ProblemKind::MissingField,
            "SQLDATE",
            "missing; an event needs a date (the row is skipped)",
        );
        return None;
    };
    match DateReader::default().read(text) {
        Ok(span) if text.len() == 8 => Some(span),
        Ok(_) | Err(_) => {
            problems.push(
                ProblemKind::BadDate,
                "SQLDATE",
                format!(
                    "{} (YYYYMMDD) (the row is skipped)",
                    super::dates::NotADate::new(text)
                ),
            );
            None
        }
    }
}

/// The ActionGeo place: a country or state by name (its polygon) when
/// GDELT matched one, else the point.
fn action_place(
    sink: &mut Sink<'_>,
    row: &Row,
    layout: &Layout,
    problems: &mut RowProblems,
) -> Vec<u32> {
    let geo_type = row.get(layout.action_type).unwrap_or("0");
    let point = match (
        row.coordinate(layout.action_lon),
        row.coordinate(layout.action_lat),
    ) {
        (Some(lon), Some(lat)) => match lon_lat(lon, lat) {
            Ok(p) => Some(p),
            Err((which, message)) => {
                let field = if which == "latitude" {
                    "ActionGeo_Lat"
                } else {
                    "ActionGeo_Long"
                };
                problems.push(
                    ProblemKind::BadCoordinate,
                    field,
                    format!("{message}; the event is on the timeline only"),
                );
                return Vec::new();
            }
        },
        _ => None,
    };
    let Some(lon_lat) = point.filter(|_| geo_type != "0") else {
        problems.push(
            ProblemKind::MissingField,
            "ActionGeo_Type",
            format!("no ActionGeo location (ActionGeo_Type {geo_type}); the event is on the timeline only"),
        );
        return Vec::new();
    };
    let full_name = row.get(layout.action_full_name).unwrap_or("");
    if let Some(idx) = region_by_name(sink, geo_type, full_name) {
        return vec![idx];
    }
    let kind = match geo_type {
        "1" => PlaceKind::Country,
        "2" | "5" => PlaceKind::Province,
        _ => PlaceKind::City,
    };
    let spec = PlaceSpec {
        name: full_name.split(',').next().unwrap_or(full_name).trim(),
        kind: Some(kind),
        // GDELT's country codes are FIPS 10-4, not ISO: not a gazetteer hint.
        country: None,
        lon_lat: Some(lon_lat),
        area: None,
    };
    vec![sink.place(&spec, "ActionGeo_FullName", problems)]
}

/// Country-level (type 1) and state-level (2, 5) matches as polygons:
/// "Minnesota, United States" → the province Minnesota in the United States.
fn region_by_name(sink: &mut Sink<'_>, geo_type: &str, full_name: &str) -> Option<u32> {
    let parts: Vec<&str> = full_name.split(',').map(str::trim).collect();
    let spec = match (geo_type, parts.as_slice()) {
        ("1", [country]) => PlaceSpec {
            name: country,
            kind: Some(PlaceKind::Country),
            ..PlaceSpec::default()
        },
        ("2" | "5", [province, .., country]) => PlaceSpec {
            name: province,
            kind: Some(PlaceKind::Province),
            country: Some(country),
            lon_lat: None,
            area: None,
        },
        _ => return None,
    };
    sink.try_place(&spec)
}

/// CAMEO root codes 01–20.
const CAMEO_ROOTS: [&str; 20] = [
    "Make public statement",
    "Appeal",
    "Express intent to cooperate",
    "Consult",
    "Engage in diplomatic cooperation",
    "Engage in material cooperation",
    "Provide aid",
    "Yield",
    "Investigate",
    "Demand",
    "Disapprove",
    "Reject",
    "Threaten",
    "Protest",
    "Exhibit force posture",
    "Reduce relations",
    "Coerce",
    "Assault",
    "Fight",
    "Use unconventional mass violence",
];

fn cameo_root(code: &str) -> Option<&'static str> {
    let n: usize = code.parse().ok()?;
    CAMEO_ROOTS.get(n.checked_sub(1)?).copied()
}

/// "Fight (CAMEO 19)".
fn category_name(root: &str) -> String {
    match cameo_root(root) {
        Some(name) => format!("{name} (CAMEO {root})"),
        None if root.is_empty() => String::new(),
        None => format!("CAMEO {root}"),
    }
}

fn quad_class(code: &str) -> Option<&'static str> {
    match code {
        "1" => Some("Verbal Cooperation"),
        "2" => Some("Material Cooperation"),
        "3" => Some("Verbal Conflict"),
        "4" => Some("Material Conflict"),
        _ => None,
    }
}

/// "THE DRC – Threaten – KINSHASA", or the verb alone.
fn title(row: &Row, root: &str) -> String {
    let verb = cameo_root(root).unwrap_or("Event");
    let parts: Vec<&str> = [row.get(ACTOR1_NAME), Some(verb), row.get(ACTOR2_NAME)]
        .into_iter()
        .flatten()
        .collect();
    parts.join(" – ")
}

fn summary(row: &Row, layout: &Layout) -> String {
    let place = row
        .get(layout.action_full_name)
        .unwrap_or("an unknown place");
    let mentions = row.get(NUM_MENTIONS).unwrap_or("?");
    let quad = row
        .get(QUAD_CLASS)
        .and_then(quad_class)
        .unwrap_or("unclassified");
    format!("{quad} at {place}, from {mentions} mentions in the news (GDELT).")
}

/// GDELT fields kept verbatim; codes stay strings (leading zeros matter).
fn extra(row: &Row, layout: &Layout) -> Vec<(String, String)> {
    let quad = row.get(QUAD_CLASS).map(|quad| {
        quad_class(quad).map_or_else(|| quad.to_owned(), |label| format!("{quad} {label}"))
    });
    let field = |index: Option<usize>| index.and_then(|i| row.get(i)).map(str::to_owned);
    let fields = [
        ("GLOBALEVENTID", field(Some(GLOBAL_EVENT_ID))),
        ("EventCode", field(Some(EVENT_CODE))),
        ("EventRootCode", field(Some(EVENT_ROOT_CODE))),
        ("QuadClass", quad),
        ("IsRootEvent", field(Some(IS_ROOT_EVENT))),
        ("GoldsteinScale", field(Some(GOLDSTEIN))),
        ("NumMentions", field(Some(NUM_MENTIONS))),
        ("NumSources", field(Some(NUM_SOURCES))),
        ("NumArticles", field(Some(NUM_ARTICLES))),
        ("AvgTone", field(Some(AVG_TONE))),
        ("ActionGeo_Type", field(Some(layout.action_type))),
        ("ActionGeo_FullName", field(Some(layout.action_full_name))),
        ("ActionGeo_CountryCode", field(Some(layout.action_country))),
        ("ActionGeo_ADM1Code", field(Some(layout.action_adm1))),
        ("ActionGeo_FeatureID", field(Some(layout.action_feature_id))),
        ("DATEADDED", field(Some(layout.date_added))),
        ("SOURCEURL", field(layout.source_url)),
    ];
    fields
        .into_iter()
        .filter_map(|(key, value)| Some((key.to_owned(), value?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cameo_codes_keep_their_zeros() {
        assert_eq!(category_name("19"), "Fight (CAMEO 19)");
        assert_eq!(category_name("01"), "Make public statement (CAMEO 01)");
        assert_eq!(category_name("21"), "CAMEO 21");
        assert_eq!(category_name(""), "");
        assert_eq!(quad_class("4"), Some("Material Conflict"));
    }
}
