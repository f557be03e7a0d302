//! ACLED's columns, found by name in any of its schemas, and the labels of
//! its interaction codes.

use super::*;

/// Where each ACLED column is in this file's header.
#[derive(Default)]
pub(super) struct Columns {
    pub(super) id: Option<usize>,
    pub(super) date: Option<usize>,
    pub(super) year: Option<usize>,
    pub(super) time_precision: Option<usize>,
    pub(super) disorder_type: Option<usize>,
    pub(super) event_type: Option<usize>,
    pub(super) sub_event_type: Option<usize>,
    pub(super) actor1: Option<usize>,
    pub(super) assoc_actor_1: Option<usize>,
    pub(super) inter1: Option<usize>,
    pub(super) actor2: Option<usize>,
    pub(super) assoc_actor_2: Option<usize>,
    pub(super) inter2: Option<usize>,
    pub(super) interaction: Option<usize>,
    pub(super) civilian_targeting: Option<usize>,
    pub(super) region: Option<usize>,
    pub(super) country: Option<usize>,
    pub(super) admin1: Option<usize>,
    pub(super) admin2: Option<usize>,
    pub(super) admin3: Option<usize>,
    pub(super) location: Option<usize>,
    pub(super) latitude: Option<usize>,
    pub(super) longitude: Option<usize>,
    pub(super) geo_precision: Option<usize>,
    pub(super) source: Option<usize>,
    pub(super) source_scale: Option<usize>,
    pub(super) notes: Option<usize>,
    pub(super) fatalities: Option<usize>,
    pub(super) tags: Option<usize>,
}

impl Columns {
    pub(super) fn find(header: &[String]) -> Self {
        let c = |names: &[&str]| find_column(header, names);
        Self {
            id: c(&["event_id_cnty"]),
            date: c(&["event_date"]),
            year: c(&["year"]),
            time_precision: c(&["time_precision"]),
            disorder_type: c(&["disorder_type"]),
            event_type: c(&["event_type"]),
            sub_event_type: c(&["sub_event_type"]),
            actor1: c(&["actor1"]),
            assoc_actor_1: c(&["assoc_actor_1", "ally_actor_1"]),
            inter1: c(&["inter1"]),
            actor2: c(&["actor2"]),
            assoc_actor_2: c(&["assoc_actor_2", "ally_actor_2"]),
            inter2: c(&["inter2"]),
            interaction: c(&["interaction"]),
            civilian_targeting: c(&["civilian_targeting"]),
            region: c(&["region"]),
            country: c(&["country"]),
            admin1: c(&["admin1"]),
            admin2: c(&["admin2"]),
            admin3: c(&["admin3"]),
            location: c(&["location"]),
            latitude: c(&["latitude"]),
            longitude: c(&["longitude"]),
            geo_precision: c(&["geo_precision"]),
            source: c(&["source"]),
            source_scale: c(&["source_scale"]),
            notes: c(&["notes"]),
            fatalities: c(&["fatalities"]),
            tags: c(&["tags"]),
        }
    }
}

impl Columns {
    /// Every column the loader reads.
    pub(super) fn used(&self) -> Vec<usize> {
        [
            self.id,
            self.date,
            self.year,
            self.time_precision,
            self.disorder_type,
            self.event_type,
            self.sub_event_type,
            self.actor1,
            self.assoc_actor_1,
            self.inter1,
            self.actor2,
            self.assoc_actor_2,
            self.inter2,
            self.interaction,
            self.civilian_targeting,
            self.region,
            self.country,
            self.admin1,
            self.admin2,
            self.admin3,
            self.location,
            self.latitude,
            self.longitude,
            self.geo_precision,
            self.source,
            self.source_scale,
            self.notes,
            self.fatalities,
            self.tags,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// ACLED's own columns that say nothing of the event: the country's ISO
/// codes, which `country` says, and `timestamp`, when ACLED last uploaded
/// the row to its API (a value of each row's own in a file of the API's
/// output, to keep which would cost a group an event). `year` is read, and
/// checked, with the date.
const NOT_KEPT: &[&str] = &["iso", "iso3", "timestamp"];

/// The fields of a place [`own_columns`] starts with.
pub(super) const PLACE_OWN_KEYS: [&str; PLACE_OWN_FIELDS] = ["location", "geo_precision"];

/// How many of them there are.
pub(super) const PLACE_OWN_FIELDS: usize = 2;

/// The columns whose values are an event's own fields, with their names:
/// the place's location and geo_precision (which vary from place to place,
/// where its admin areas are shared by many), then the columns the loader
/// does not read and [`NOT_KEPT`] does not name (what a custom export
/// adds).
pub(super) fn own_columns(header: &[String], columns: &Columns) -> (Vec<Option<usize>>, ExtraKeys) {
    let others = unread_columns(header, &columns.used(), |name| {
        !name.is_empty() && !NOT_KEPT.iter().any(|s| s.eq_ignore_ascii_case(name))
    });
    let keys: Vec<Name> = PLACE_OWN_KEYS
        .into_iter()
        .map(Name::from)
        .chain(others.iter().map(|&i| column_name(header, Some(i)).into()))
        .collect();
    let own = [columns.location, columns.geo_precision]
        .into_iter()
        .chain(others.into_iter().map(Some))
        .collect();
    (own, Arc::new(keys.into_boxed_slice()))
}

/// Whether a header line is an ACLED event-level header.
pub fn is_acled_header(table: &Table) -> bool {
    table.column(&["event_id_cnty"]).is_some()
        && table.column(&["event_date"]).is_some()
        && table.column(&["latitude"]).is_some()
}

/// Which ACLED schema a header is, for the report ("ACLED CSV (2023+ schema)").
pub(super) fn variant(header: &[String], delimiter: u8) -> String {
    let has = |name: &str| find_column(header, &[name]).is_some();
    let upper = header.iter().any(|h| h == "GWNO" || h == "EVENT_ID_CNTY");
    let schema = if upper {
        " (pre-2019 upper-case schema)"
    } else if !has("actor2") {
        " (monadic export)"
    } else if has("disorder_type") {
        " (2023+ schema)"
    } else if has("data_id") || has("event_id_no_cnty") || has("iso3") {
        " (pre-2023 schema)"
    } else {
        ""
    };
    let kind = if delimiter == b'\t' { "TSV" } else { "CSV" };
    format!("ACLED {kind}{schema}")
}

/// What happened, for the title: the sub-event type, else the event type.
pub(super) fn what_happened<'r>(row: &'r Row, c: &Columns) -> &'r str {
    row.at(c.sub_event_type)
        .or(row.at(c.event_type))
        .unwrap_or("Event")
}

/// ACLED's actor-type codes (numeric before mid-2024, text since).
pub(super) const INTER_LABELS: [&str; 8] = [
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
];

/// `3` → "Political militia"; text passes through; `0` means no actor.
pub(super) fn inter_label(value: &str) -> Option<Cow<'_, str>> {
    match value.parse::<usize>() {
        Ok(0) => None,
        Ok(n) => Some(
            INTER_LABELS
                .get(n - 1)
                .map_or(Cow::Borrowed(value), |s| Cow::Borrowed(*s)),
        ),
        Err(_) => Some(Cow::Borrowed(value)),
    }
}

/// `17` → "State forces-Civilians", `10` → "State forces only"; text passes through.
pub(super) fn interaction_label(value: &str) -> Option<Cow<'_, str>> {
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Cow::Borrowed(value));
    }
    let digits: Vec<usize> = value.bytes().map(|b| usize::from(b - b'0')).collect();
    let label = |n: usize| INTER_LABELS.get(n.checked_sub(1)?).copied();
    match digits.as_slice() {
        [0] => None,
        [a, 0] => label(*a).map(|a| Cow::Owned(format!("{a} only"))),
        [a, b] => match (label(*a), label(*b)) {
            (Some(a), Some(b)) => Some(Cow::Owned(format!("{a}-{b}"))),
            _ => Some(Cow::Borrowed(value)),
        },
        _ => Some(Cow::Borrowed(value)),
    }
}
