//! ACLED event exports (CSV or TSV): the 2023+ 31-column schema, the
//! pre-2023 schema, monadic exports, the old upper-case schema; see
//! `formats.md` §1.
//!
//! Columns are found by name, case-insensitively, so reordered and extra
//! columns do not matter. `NA` is empty. A monadic export lists an event once
//! per actor; its rows are merged by `event_id_cnty`.

use std::collections::BTreeMap;

use super::common::{RowProblems, Sink};
use super::dates::{DateReader, SlashOrder};
use super::places::PlaceSpec;
use super::tabular::{Row, Table, lon_lat, split_list};
use super::{LoadError, Loaded};
use crate::atlas::{Atlas, PlaceKind};
use crate::model::{Casualties, DateSpan, Day, Event, Source};

/// Where each ACLED column is in this file's header.
#[derive(Default)]
struct Columns {
    id: Option<usize>,
    date: Option<usize>,
    year: Option<usize>,
    time_precision: Option<usize>,
    disorder_type: Option<usize>,
    event_type: Option<usize>,
    sub_event_type: Option<usize>,
    actor1: Option<usize>,
    assoc_actor_1: Option<usize>,
    inter1: Option<usize>,
    actor2: Option<usize>,
    assoc_actor_2: Option<usize>,
    inter2: Option<usize>,
    interaction: Option<usize>,
    civilian_targeting: Option<usize>,
    region: Option<usize>,
    country: Option<usize>,
    admin1: Option<usize>,
    admin2: Option<usize>,
    admin3: Option<usize>,
    location: Option<usize>,
    latitude: Option<usize>,
    longitude: Option<usize>,
    geo_precision: Option<usize>,
    source: Option<usize>,
    source_scale: Option<usize>,
    notes: Option<usize>,
    fatalities: Option<usize>,
    tags: Option<usize>,
}

impl Columns {
    fn find(table: &Table) -> Self {
        let c = |names: &[&str]| table.column(names);
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

/// Whether a header line is an ACLED event-level header.
pub fn is_acled_header(table: &Table) -> bool {
    table.column(&["event_id_cnty"]).is_some()
        && table.column(&["event_date"]).is_some()
        && table.column(&["latitude"]).is_some()
}

/// Which ACLED schema a header is, for the report ("ACLED CSV (2023+ schema)").
fn variant(table: &Table, delimiter: u8) -> String {
    let has = |name: &str| table.column(&[name]).is_some();
    let upper = table
        .header
        .iter()
        .any(|h| h == "GWNO" || h == "EVENT_ID_CNTY");
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

/// Parses an ACLED export.
///
/// # Errors
/// When the header lacks `event_date`, without which no row is an event.
pub fn parse(
    file: &str,
    text: &str,
    delimiter: u8,
    order: SlashOrder,
    atlas: &Atlas,
) -> Result<Loaded, LoadError> {
    let table = Table::read(text, delimiter, true, true);
    let columns = Columns::find(&table);
    if columns.date.is_none() {
        return Err(LoadError::Format {
            file: file.to_owned(),
            message: "an ACLED file without an event_date column".into(),
        });
    }
    let dates = DateReader::for_values(
        order,
        table.rows.iter().map(|r| r.at(columns.date).unwrap_or("")),
    );
    let mut loader = Acled {
        sink: Sink::new(file, &variant(&table, delimiter), atlas),
        monadic: columns.actor2.is_none(),
        table: &table,
        columns,
        dates,
        by_id: BTreeMap::new(),
        events: Vec::new(),
    };
    let lines: Vec<u32> = table.rows.iter().map(|r| r.line).collect();
    let date_field = table.name(loader.columns.date).to_owned();
    loader.sink.date_note(&loader.dates, &lines, &date_field);
    for row in &table.rows {
        loader.row(row);
    }
    Ok(loader.finish())
}

/// The state of one ACLED load.
struct Acled<'t, 'a> {
    sink: Sink<'a>,
    table: &'t Table,
    columns: Columns,
    dates: DateReader,
    monadic: bool,
    /// event_id_cnty → (index in `events`, line it was first seen on).
    by_id: BTreeMap<String, (usize, u32)>,
    events: Vec<Event>,
}

impl Acled<'_, '_> {
    fn name(&self, index: Option<usize>) -> String {
        self.table.name(index).to_owned()
    }

    fn row(&mut self, row: &Row) {
        self.sink.report.rows += 1;
        if let Some(problem) = self.table.width_problem(row) {
            self.sink.report.push(problem);
            return;
        }
        let mut problems = RowProblems::new(row.line);
        let id = self.id(row, &mut problems);
        if let Some(&(index, first_line)) = self.by_id.get(&id) {
            self.duplicate(row, index, first_line, &mut problems);
            problems.flush(&mut self.sink.report, Some(&id));
            return;
        }
        let event = self.event(row, id, &mut problems);
        problems.flush(&mut self.sink.report, event.as_ref().map(|e| e.id.as_str()));
        if let Some(event) = event {
            self.by_id
                .insert(event.id.clone(), (self.events.len(), row.line));
            self.events.push(event);
        }
    }

    fn id(&self, row: &Row, problems: &mut RowProblems) -> String {
        row.at(self.columns.id).map_or_else(
            || {
                problems.push(
                    &self.name(self.columns.id),
                    "missing; the event is given an id from its line",
                );
                format!("line-{}", row.line)
            },
            str::to_owned,
        )
    }

    /// A monadic export repeats an event once per actor: add this row's
    /// actors to it. Elsewhere a repeated id is a mistake in the file.
    fn duplicate(&mut self, row: &Row, index: usize, first_line: u32, problems: &mut RowProblems) {
        if self.monadic {
            if let Some(event) = self.events.get_mut(index) {
                let actors = row
                    .at(self.columns.actor1)
                    .into_iter()
                    .chain(split_list(row.at(self.columns.assoc_actor_1)));
                add_actors(&mut event.actors, actors);
            }
            return;
        }
        let id = row.at(self.columns.id).unwrap_or_default();
        problems.push(
            &self.name(self.columns.id),
            format!(
                "duplicate event_id_cnty '{id}' (first on line {first_line}); the row is skipped"
            ),
        );
    }

    fn event(&mut self, row: &Row, id: String, problems: &mut RowProblems) -> Option<Event> {
        let date = self.date(row, problems)?;
        let places = self.places(row, problems);
        let c = &self.columns;
        let category = self
            .sink
            .builder
            .category(row.at(c.event_type).unwrap_or(""));
        let mut actors = Vec::new();
        add_actors(
            &mut actors,
            row.at(c.actor1)
                .into_iter()
                .chain(split_list(row.at(c.assoc_actor_1)))
                .chain(row.at(c.actor2))
                .chain(split_list(row.at(c.assoc_actor_2))),
        );
        Some(Event {
            title: title(row, c),
            summary: row.at(c.notes).unwrap_or_default().to_owned(),
            casualties: self.fatalities(row, problems),
            sources: split_list(row.at(c.source))
                .map(|name| Source {
                    name: name.to_owned(),
                    ..Source::default()
                })
                .collect(),
            extra: self.extra(row),
            quotes: Vec::new(),
            id,
            date,
            places,
            actors,
            category,
        })
    }

    /// The event's span: `event_date` widened by `time_precision`.
    fn date(&self, row: &Row, problems: &mut RowProblems) -> Option<DateSpan> {
        let field = self.name(self.columns.date);
        let Some(text) = row.at(self.columns.date) else {
            problems.push(
                &field,
                "missing; an event needs a date (the row is skipped)",
            );
            return None;
        };
        let day = match self.dates.read(text) {
            Ok(span) => span.start,
            Err(message) => {
                problems.push(&field, format!("{message} (the row is skipped)"));
                return None;
            }
        };
        let day = self.check_year(row, text, day, problems);
        Some(self.widen(row, day, problems))
    }

    /// Cross-checks the date against the `year` column, which also fixes the
    /// century of a two-digit year (`31-12-68` in a 1968 row).
    fn check_year(&self, row: &Row, text: &str, day: Day, problems: &mut RowProblems) -> Day {
        let Some(year) = row
            .at(self.columns.year)
            .and_then(|y| y.parse::<i32>().ok())
        else {
            return day;
        };
        let (y, m, d) = day.ymd();
        if y == year {
            return day;
        }
        if (y - year) % 100 == 0
            && let Some(fixed) = Day::from_ymd(year, m, d)
        {
            return fixed;
        }
        problems.push(
            &self.name(self.columns.year),
            format!("event_date '{text}' is in {y} but year says {year}; the event_date is used"),
        );
        day
    }

    /// ACLED time precision: 1 the day, 2 a week around it, 3 its month.
    fn widen(&self, row: &Row, day: Day, problems: &mut RowProblems) -> DateSpan {
        match row.at(self.columns.time_precision) {
            None | Some("1") => DateSpan::day(day),
            Some("2") => DateSpan {
                precision: crate::model::Precision::Week,
                ..DateSpan::range(day.offset(-3), day.offset(3), None)
            },
            Some("3") => {
                let (y, m, _) = day.ymd();
                DateSpan::month(y, m).unwrap_or_else(|| DateSpan::day(day))
            }
            Some(other) => {
                problems.push(
                    &self.name(self.columns.time_precision),
                    format!("time_precision '{other}' is not 1, 2 or 3; read as 1 (the day)"),
                );
                DateSpan::day(day)
            }
        }
    }

    /// The coordinates when valid, else the location (then admin1) by name.
    fn places(&mut self, row: &Row, problems: &mut RowProblems) -> Vec<u32> {
        let c = &self.columns;
        let name = row.at(c.location).or(row.at(c.admin1)).unwrap_or("");
        let country = row.at(c.country);
        let lon_lat = match (row.at(c.longitude), row.at(c.latitude)) {
            (Some(lon), Some(lat)) => match lon_lat(lon, lat) {
                Ok(p) => Some(p),
                Err((field, message)) => {
                    let column = if field == "latitude" {
                        c.latitude
                    } else {
                        c.longitude
                    };
                    problems.push(
                        &self.name(column),
                        format!("{message}; the place is looked up by name"),
                    );
                    None
                }
            },
            _ => None,
        };
        if lon_lat.is_none() && name.is_empty() {
            problems.push(
                &self.name(self.columns.latitude),
                "no coordinates and no location; the event is on the timeline only",
            );
            return Vec::new();
        }
        let spec = PlaceSpec {
            name,
            kind: Some(PlaceKind::City),
            country,
            lon_lat,
        };
        let field = self.name(self.columns.location);
        if lon_lat.is_some() {
            return vec![self.sink.place(&spec, &field, problems)];
        }
        if let Some(idx) = self.sink.try_place(&spec) {
            return vec![idx];
        }
        match self.admin1(row, country) {
            Some((idx, admin1)) => {
                let (_, message) = super::places::resolve_place(self.sink.atlas, &spec);
                self.sink.report.unresolved(name);
                let message = message.unwrap_or_else(|| format!("place '{name}' not found"));
                problems.push(
                    &field,
                    format!("{message} (placed in its admin1, {admin1})"),
                );
                vec![idx]
            }
            None => vec![self.sink.place(&spec, &field, problems)],
        }
    }

    /// The row's admin1 as a province (its polygon), when it resolves.
    fn admin1<'r>(&mut self, row: &'r Row, country: Option<&str>) -> Option<(u32, &'r str)> {
        let name = row.at(self.columns.admin1)?;
        let province = PlaceSpec {
            name,
            kind: Some(PlaceKind::Province),
            country,
            lon_lat: None,
        };
        Some((self.sink.try_place(&province)?, name))
    }

    fn fatalities(&self, row: &Row, problems: &mut RowProblems) -> Option<Casualties> {
        let text = row.at(self.columns.fatalities)?;
        match text.parse::<u32>() {
            Ok(killed) => Some(Casualties {
                killed: Some(killed),
                ..Casualties::default()
            }),
            Err(_) => {
                problems.push(
                    &self.name(self.columns.fatalities),
                    format!("fatalities '{text}' is not a whole number"),
                );
                None
            }
        }
    }

    /// The ACLED fields the model has no slot for, in codebook order.
    fn extra(&self, row: &Row) -> Vec<(String, String)> {
        let c = &self.columns;
        let mut extra = Vec::new();
        let mut add = |key: &str, value: Option<String>| {
            if let Some(value) = value {
                extra.push((key.to_owned(), value));
            }
        };
        let text = |i: Option<usize>| row.at(i).map(str::to_owned);
        add("time_precision", text(c.time_precision));
        add("disorder_type", text(c.disorder_type));
        add("sub_event_type", text(c.sub_event_type));
        add("inter1", row.at(c.inter1).and_then(inter_label));
        add("inter2", row.at(c.inter2).and_then(inter_label));
        add(
            "interaction",
            row.at(c.interaction).and_then(interaction_label),
        );
        add(
            "civilian_targeting",
            row.at(c.civilian_targeting).map(|_| "yes".to_owned()),
        );
        add("region", text(c.region));
        add("country", text(c.country));
        add("admin1", text(c.admin1));
        add("admin2", text(c.admin2));
        add("admin3", text(c.admin3));
        add("location", text(c.location));
        add("geo_precision", text(c.geo_precision));
        add("source_scale", text(c.source_scale));
        add("tags", text(c.tags));
        extra
    }

    fn finish(mut self) -> Loaded {
        for event in std::mem::take(&mut self.events) {
            self.sink.builder.push(event);
        }
        self.sink.finish()
    }
}

/// "Air/drone strike in Buuraha Cali Miskat".
fn title(row: &Row, c: &Columns) -> String {
    let what = row
        .at(c.sub_event_type)
        .or(row.at(c.event_type))
        .unwrap_or("Event");
    match row.at(c.location).or(row.at(c.admin1)) {
        Some(place) => format!("{what} in {place}"),
        None => what.to_owned(),
    }
}

fn add_actors<'a>(actors: &mut Vec<String>, names: impl IntoIterator<Item = &'a str>) {
    for name in names {
        if !actors.iter().any(|a| a == name) {
            actors.push(name.to_owned());
        }
    }
}

/// ACLED's actor-type codes (numeric before mid-2024, text since).
const INTER_LABELS: [&str; 8] = [
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
fn inter_label(value: &str) -> Option<String> {
    match value.parse::<usize>() {
        Ok(0) => None,
        Ok(n) => Some(
            INTER_LABELS
                .get(n - 1)
                .map_or_else(|| value.to_owned(), |s| (*s).to_owned()),
        ),
        Err(_) => Some(value.to_owned()),
    }
}

/// `17` → "State forces-Civilians", `10` → "State forces only"; text passes through.
fn interaction_label(value: &str) -> Option<String> {
    let digits: Vec<usize> = value
        .chars()
        .map(|c| c.to_digit(10).and_then(|d| usize::try_from(d).ok()))
        .collect::<Option<_>>()
        .unwrap_or_default();
    let label = |n: usize| INTER_LABELS.get(n.checked_sub(1)?).copied();
    match digits.as_slice() {
        [] => Some(value.to_owned()),
        [0] => None,
        [a, 0] => label(*a).map(|a| format!("{a} only")),
        [a, b] => match (label(*a), label(*b)) {
            (Some(a), Some(b)) => Some(format!("{a}-{b}")),
            _ => Some(value.to_owned()),
        },
        _ => Some(value.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inter_codes_read_both_ways() {
        assert_eq!(inter_label("3").as_deref(), Some("Political militia"));
        assert_eq!(inter_label("0"), None);
        assert_eq!(inter_label("Rebel group").as_deref(), Some("Rebel group"));
        assert_eq!(inter_label("9").as_deref(), Some("9"));
        assert_eq!(
            interaction_label("17").as_deref(),
            Some("State forces-Civilians")
        );
        assert_eq!(
            interaction_label("10").as_deref(),
            Some("State forces only")
        );
        assert_eq!(interaction_label("60").as_deref(), Some("Protesters only"));
        assert_eq!(
            interaction_label("Rebel group-External/Other forces").as_deref(),
            Some("Rebel group-External/Other forces")
        );
    }
}
