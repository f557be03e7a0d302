//! Which columns of a table hold what, found by name as for CSV tables
//! ([`Roles::find`], with the user's `--col-*`), and the SQL expressions
//! that read them: the day as chronomap's day number, the point, the
//! category, the texts a search looks in, the facets' values.
//!
//! Three shapes are known as they are: the table `chronomap push` makes
//! ([`push`](super::push), every field the app shows), ACLED's and GDELT
//! 2.0's event schemas. Any other table works from its column names.

use super::RemoteError;
use super::sql::{Ident, Sql};
use crate::load::{CAMEO_ROOTS, ColumnMapping, Roles};
use crate::model::{Day, Facet};
use crate::time::{Choices, EventFilter, LonLatBox};

/// A column's name and ClickHouse type, as `system.columns` gives them.
#[derive(Clone, Debug, PartialEq, Eq, clickhouse::Row, serde::Deserialize)]
pub struct Column {
    /// Its name.
    pub name: String,
    /// Its type (`Date`, `Nullable(Float64)`, …).
    #[serde(rename = "type")]
    pub kind: String,
}

/// The shape a table was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Made by `chronomap push`: the export's fields and query columns.
    Chronomap,
    /// ACLED's columns.
    Acled,
    /// GDELT 2.0's event table.
    Gdelt2,
    /// Any other table, read by its column names.
    Table,
}

impl Shape {
    /// Its name, for reports.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Chronomap => "chronomap table",
            Shape::Acled => "ACLED table",
            Shape::Gdelt2 => "GDELT 2.0 table",
            Shape::Table => "table",
        }
    }
}

/// How a table keeps its dates.
#[derive(Clone, Debug, PartialEq, Eq)]
enum DateColumn {
    /// A `Date`.
    Date(Ident),
    /// A `DateTime` (its day in the server's time zone).
    DateTime(Ident),
    /// GDELT's `YYYYMMDD` integer.
    Yyyymmdd(Ident),
}

impl DateColumn {
    fn of(column: &Column) -> Result<Self, RemoteError> {
        let name = Ident::new(&column.name).map_err(|e| RemoteError::Schema(e.to_string()))?;
        let kind = column.kind.trim_start_matches("Nullable(");
        if kind.starts_with("DateTime") {
            Ok(Self::DateTime(name))
        } else if kind.starts_with("Date") {
            Ok(Self::Date(name))
        } else if kind.starts_with("UInt") || kind.starts_with("Int") {
            Ok(Self::Yyyymmdd(name))
        } else {
            Err(RemoteError::Schema(format!(
                "the date column '{}' is a {}; chronomap reads a Date, a DateTime or a YYYYMMDD integer",
                column.name, column.kind
            )))
        }
    }

    /// The day number (days since 1970-01-01, as [`Day`]).
    fn day(&self) -> String {
        self.day_of(&self.key())
    }

    /// What to group on: the column, or a `DateTime`'s day.
    fn key(&self) -> String {
        match self {
            Self::Date(c) | Self::Yyyymmdd(c) => c.to_string(),
            Self::DateTime(c) => format!("toDate({c})"),
        }
    }

    /// The day number of `key`, a value of [`DateColumn::key`].
    fn day_of(&self, key: &str) -> String {
        match self {
            Self::Date(_) | Self::DateTime(_) => format!("toInt32({key})"),
            Self::Yyyymmdd(_) => format!(
                "toInt32(toDate(concat(substring(toString({key}), 1, 4), '-', substring(toString({key}), 5, 2), '-', substring(toString({key}), 7, 2))))"
            ),
        }
    }

    /// `column <op> day`, in the column's own terms, so that a table
    /// ordered by it reads only the parts that hold the days.
    fn compare(&self, op: &str, day: Day, sql: &mut Sql) {
        // A Date holds 1970-01-01 to 2149-06-06.
        let clamped = Day(day.0.clamp(0, i32::from(u16::MAX)));
        let (y, m, d) = clamped.ymd();
        let iso = format!("{y:04}-{m:02}-{d:02}");
        match self {
            Self::Date(c) => sql.push(&format!("{c} {op} toDate(")).text(&iso).push(")"),
            Self::DateTime(c) => sql
                .push(&format!("toDate({c}) {op} toDate("))
                .text(&iso)
                .push(")"),
            Self::Yyyymmdd(c) => {
                let (y, m, d) = day.ymd();
                let n = i64::from(y) * 10_000 + i64::from(m) * 100 + i64::from(d);
                sql.push(&format!("{c} {op} ")).int(n)
            }
        };
    }
}

/// What a table's columns hold, as expressions chronomap queries.
#[derive(Clone, Debug)]
pub struct Schema {
    /// The shape recognised.
    pub shape: Shape,
    /// `` `db`.`table` ``.
    table: String,
    start: DateColumn,
    end: Option<DateColumn>,
    id: String,
    lon: String,
    lat: String,
    category: Sql,
    /// GDELT's CAMEO root code, which `category` names: grouped on as it
    /// is, and named once per group.
    category_code: Option<String>,
    texts: Vec<String>,
    /// Array columns a search looks in, each element a text of its own.
    text_lists: Vec<String>,
    actors: Option<Sql>,
    countries: Option<String>,
    sub_type: Option<String>,
    fatalities: Option<String>,
    /// The columns a row is read with by chronomap's own loaders.
    raw: String,
    /// The format those rows come in (`CSVWithNames`, `TabSeparated`).
    raw_format: &'static str,
}

/// GDELT 2.0's columns that tell its event table.
const GDELT2: [&str; 4] = ["GLOBALEVENTID", "SQLDATE", "EventRootCode", "ActionGeo_Lat"];

/// ACLED's.
const ACLED: [&str; 4] = ["event_id_cnty", "event_date", "event_type", "latitude"];

impl Schema {
    /// Recognises the columns of `database.table`.
    ///
    /// # Errors
    /// [`RemoteError::Schema`] when a table has no date or no coordinates
    /// (naming the columns it has), or a `--col-*` names none of them.
    pub fn find(
        database: &Ident,
        table: &Ident,
        columns: &[Column],
        mapping: &ColumnMapping,
    ) -> Result<Self, RemoteError> {
        let has = |name: &str| columns.iter().any(|c| c.name == name);
        let quoted = format!("{database}.{table}");
        let shape = if super::pushed::COLUMNS.iter().all(|c| has(c)) {
            Shape::Chronomap
        } else if GDELT2.iter().all(|c| has(c)) {
            Shape::Gdelt2
        } else if ACLED.iter().all(|c| has(c)) {
            Shape::Acled
        } else {
            Shape::Table
        };
        let column = |name: &str| -> Result<&Column, RemoteError> {
            columns
                .iter()
                .find(|c| c.name == name)
                .ok_or_else(|| RemoteError::Schema(format!("no column '{name}'")))
        };
        let ident = |name: &str| -> Result<Ident, RemoteError> {
            Ident::new(name).map_err(|e| RemoteError::Schema(e.to_string()))
        };
        let text = |name: &str| -> Result<String, RemoteError> {
            let c = column(name)?;
            let i = ident(&c.name)?;
            Ok(if c.kind.contains("String") {
                format!("ifNull({i}, '')")
            } else {
                format!("ifNull(toString({i}), '')")
            })
        };
        let schema = match shape {
            Shape::Chronomap => Schema {
                shape,
                table: quoted,
                start: DateColumn::of(column("date")?)?,
                end: Some(DateColumn::of(column("date_end")?)?),
                category_code: None,
                id: "`id`".to_owned(),
                lon: "`map_lon`".to_owned(),
                lat: "`map_lat`".to_owned(),
                category: Sql::new("`category`"),
                texts: ["`title`", "`summary`", "`category`", "`texts`"]
                    .map(str::to_owned)
                    .to_vec(),
                text_lists: vec!["`actors`".to_owned()],
                actors: Some(Self::listed_actors()),
                countries: Some("`countries`".to_owned()),
                sub_type: Some("`sub_type`".to_owned()),
                fatalities: Some("`fatalities`".to_owned()),
                raw: super::pushed::READ_COLUMNS.to_owned(),
                raw_format: "RowBinary",
            },
            Shape::Gdelt2 => {
                let root = text("EventRootCode")?;
                let code = if column("EventRootCode")?.kind.contains("String") {
                    root
                } else {
                    "if(`EventRootCode` < 10, concat('0', toString(`EventRootCode`)), toString(`EventRootCode`))".to_owned()
                };
                let category = cameo_category(&code);
                let actors = ["Actor1Name", "Actor2Name"]
                    .iter()
                    .filter(|c| has(c))
                    .map(|c| text(c))
                    .collect::<Result<Vec<_>, _>>()?;
                Schema {
                    shape,
                    table: quoted,
                    start: DateColumn::of(column("SQLDATE")?)?,
                    end: None,
                    category_code: Some(code),
                    id: "toString(`GLOBALEVENTID`)".to_owned(),
                    lon: "toFloat64(`ActionGeo_Long`)".to_owned(),
                    lat: "toFloat64(`ActionGeo_Lat`)".to_owned(),
                    category,
                    texts: [
                        "Actor1Name",
                        "Actor2Name",
                        "ActionGeo_FullName",
                        "SOURCEURL",
                    ]
                    .iter()
                    .filter(|c| has(c))
                    .map(|c| text(c))
                    .collect::<Result<_, _>>()?,
                    text_lists: Vec::new(),
                    actors: (!actors.is_empty())
                        .then(|| Sql::new(format!("[{}]", actors.join(", ")))),
                    countries: has("ActionGeo_CountryCode")
                        .then(|| "[`ActionGeo_CountryCode`]".to_owned()),
                    sub_type: None,
                    fatalities: None,
                    raw: "*".to_owned(),
                    raw_format: "TabSeparated",
                }
            }
            Shape::Acled => {
                let actors = ["actor1", "actor2"]
                    .iter()
                    .filter(|c| has(c))
                    .map(|c| text(c))
                    .collect::<Result<Vec<_>, _>>()?;
                let what = if has("sub_event_type") {
                    text("sub_event_type")?
                } else {
                    text("event_type")?
                };
                Schema {
                    shape,
                    table: quoted,
                    start: DateColumn::of(column("event_date")?)?,
                    end: None,
                    category_code: None,
                    id: text("event_id_cnty")?,
                    lon: "toFloat64(`longitude`)".to_owned(),
                    lat: "toFloat64(`latitude`)".to_owned(),
                    category: Sql::new(text("event_type")?),
                    texts: [
                        "notes",
                        "actor1",
                        "actor2",
                        "location",
                        "event_type",
                        "source",
                    ]
                    .iter()
                    .filter(|c| has(c))
                    .map(|c| text(c))
                    .collect::<Result<_, _>>()?,
                    text_lists: Vec::new(),
                    actors: (!actors.is_empty())
                        .then(|| Sql::new(format!("[{}]", actors.join(", ")))),
                    countries: None,
                    sub_type: has("sub_event_type").then(|| what.clone()),
                    fatalities: has("fatalities").then(|| "toUInt32(`fatalities`)".to_owned()),
                    raw: "*".to_owned(),
                    raw_format: "CSVWithNames",
                }
            }
            Shape::Table => Self::by_names(quoted, columns, mapping)?,
        };
        Ok(schema)
    }

    /// A table of another shape, read by the names of its columns.
    fn by_names(
        table: String,
        columns: &[Column],
        mapping: &ColumnMapping,
    ) -> Result<Self, RemoteError> {
        let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
        let roles = Roles::find(&names, mapping).map_err(|e| RemoteError::Schema(e.to_string()))?;
        let seen = crate::load::name_list("column", &names);
        let at = |i: Option<usize>| i.and_then(|i| columns.get(i));
        let ident =
            |c: &Column| Ident::new(&c.name).map_err(|e| RemoteError::Schema(e.to_string()));
        let text = |c: &Column| -> Result<String, RemoteError> {
            let i = ident(c)?;
            Ok(if c.kind.contains("String") {
                format!("ifNull({i}, '')")
            } else {
                format!("ifNull(toString({i}), '')")
            })
        };
        let number = |c: &Column| -> Result<String, RemoteError> {
            let numeric = ["Float", "Int", "Decimal"]
                .iter()
                .any(|k| c.kind.contains(k));
            if !numeric {
                return Err(RemoteError::Schema(format!(
                    "the coordinate column '{}' is a {}; chronomap reads numbers",
                    c.name, c.kind
                )));
            }
            Ok(format!("toFloat64({})", ident(c)?))
        };
        let date = at(roles.date).ok_or_else(|| {
            RemoteError::Schema(format!(
                "no date column found by name (name it with --col-date); {seen}"
            ))
        })?;
        let (Some(lat), Some(lon)) = (at(roles.lat), at(roles.lon)) else {
            return Err(RemoteError::Schema(format!(
                "no latitude and longitude columns found by name (name them with --col-lat and --col-lon); {seen}"
            )));
        };
        let id = match at(roles.id) {
            Some(c) => text(c)?,
            None => {
                return Err(RemoteError::Schema(format!(
                    "no id column found by name (id, event_id, …); {seen}"
                )));
            }
        };
        let category = match at(roles.category) {
            Some(c) => Sql::new(text(c)?),
            None => Sql::new("''"),
        };
        let texts = [roles.title, roles.summary, roles.place, roles.category]
            .into_iter()
            .chain(roles.actors.iter().copied().map(Some))
            .filter_map(at)
            .map(text)
            .collect::<Result<Vec<_>, _>>()?;
        let actors = roles
            .actors
            .iter()
            .filter_map(|&i| columns.get(i))
            .map(text)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Schema {
            shape: Shape::Table,
            table,
            start: DateColumn::of(date)?,
            end: at(roles.end).map(DateColumn::of).transpose()?,
            category_code: None,
            id,
            lon: number(lon)?,
            lat: number(lat)?,
            category,
            texts,
            text_lists: Vec::new(),
            actors: (!actors.is_empty()).then(|| Sql::new(format!("[{}]", actors.join(", ")))),
            countries: at(roles.country)
                .map(|c| text(c).map(|t| format!("[{t}]")))
                .transpose()?,
            sub_type: None,
            fatalities: at(roles.killed)
                .map(|c| ident(c).map(|i| format!("toUInt32({i})")))
                .transpose()?,
            raw: "*".to_owned(),
            raw_format: "CSVWithNames",
        })
    }

    /// `` `db`.`table` ``.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The first day, as a day number.
    pub fn start_day(&self) -> String {
        self.start.day()
    }

    /// The last day (the first where the table has no end).
    pub fn end_day(&self) -> String {
        self.end.as_ref().unwrap_or(&self.start).day()
    }

    /// The event's id, as a string.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Longitude and latitude in degrees.
    pub fn point(&self) -> (&str, &str) {
        (&self.lon, &self.lat)
    }

    /// What aggregates group on before naming the category: GDELT's root
    /// code as it is (naming it for each row costs three times the scan),
    /// else the category itself.
    pub fn category_key(&self) -> Sql {
        self.category_code
            .as_deref()
            .map_or_else(|| self.category.clone(), Sql::new)
    }

    /// The category named from the group key `key` (a column alias).
    pub fn category_of_key(&self, key: &str) -> Sql {
        match self.category_code {
            Some(_) => cameo_category(key),
            None => Sql::new(key),
        }
    }

    /// What aggregates group on before making the day number: the date
    /// column as it is (a `DateTime`'s day).
    pub fn day_key(&self) -> String {
        self.start.key()
    }

    /// The day number from the group key `key`.
    pub fn day_of_key(&self, key: &str) -> String {
        self.start.day_of(key)
    }

    /// Whether events have an end apart from their start.
    pub fn has_end(&self) -> bool {
        self.end.is_some()
    }

    /// The category's name.
    pub fn category(&self) -> &Sql {
        &self.category
    }

    /// The columns the list is ordered by: the start, the end, the id, as
    /// chronomap orders a dataset's events.
    pub fn order(&self) -> String {
        format!("{}, {}, {}", self.start_day(), self.end_day(), self.id)
    }

    /// The columns and format rows are read in by chronomap's loaders.
    pub fn raw(&self) -> (&str, &'static str) {
        (&self.raw, self.raw_format)
    }

    /// A pushed table's actor facet: its actors, or the facet's "unknown"
    /// value for an event without any, as a file's facet has them.
    fn listed_actors() -> Sql {
        let mut sql = Sql::new("if(empty(`actors`), [");
        sql.text(Facet::Actor.unknown()).push("], `actors`)");
        sql
    }

    /// A facet's value of an event (one value), or its values (an array),
    /// or `None` where the table has no column for the facet.
    fn facet(&self, facet: Facet) -> Option<(Sql, bool)> {
        match facet {
            Facet::Category => Some((self.category.clone(), false)),
            Facet::SubType => self.sub_type.as_deref().map(|e| (Sql::new(e), false)),
            Facet::Actor => self.actors.clone().map(|e| (e, true)),
            Facet::Country => self.countries.as_deref().map(|e| (Sql::new(e), true)),
            _ => None,
        }
    }

    /// Which facets a filter may choose values of over this table.
    pub fn can_filter(&self, facet: Facet) -> bool {
        self.facet(facet).is_some()
    }

    /// A facet's values of an event, as an array (one value for a facet
    /// of one), or `None` where the table has no column for it.
    pub fn facet_values(&self, facet: Facet) -> Option<Sql> {
        let (expr, many) = self.facet(facet)?;
        if many {
            return Some(expr);
        }
        let mut sql = Sql::new("[");
        sql.append(&expr).push("]");
        Some(sql)
    }

    /// `WHERE …` for events overlapping `first..=last` that pass `filter`
    /// (`None`: any date).
    ///
    /// # Errors
    /// [`RemoteError::Unsupported`] for a choice the table cannot answer.
    pub fn condition(
        &self,
        window: Option<(Day, Day)>,
        filter: &EventFilter,
    ) -> Result<Sql, RemoteError> {
        let mut parts: Vec<Sql> = Vec::new();
        if let Some((first, last)) = window {
            let mut part = Sql::default();
            self.start.compare("<=", last, &mut part);
            part.push(" AND ");
            self.end
                .as_ref()
                .unwrap_or(&self.start)
                .compare(">=", first, &mut part);
            parts.push(part);
        }
        for (k, word) in filter.text.split_whitespace().enumerate() {
            let mut part = Sql::new("(");
            // The word is written once, named, and the name used after:
            // a long word in every text would make a query past the
            // server's size limit.
            let name = format!("chronomap_word_{k}");
            let mut named = false;
            let word = word.to_lowercase();
            let mut needle = |part: &mut Sql| {
                if named {
                    part.push(&name);
                } else {
                    part.push("(").text(&word).push(&format!(" AS {name})"));
                    named = true;
                }
            };
            let texts = self.texts.iter().map(|text| (text, false));
            let lists = self.text_lists.iter().map(|list| (list, true));
            for (i, (text, list)) in texts.chain(lists).enumerate() {
                if i > 0 {
                    part.push(" OR ");
                }
                if list {
                    part.push("arrayExists(t -> positionCaseInsensitiveUTF8(t, ");
                    needle(&mut part);
                    part.push(&format!(") > 0, {text})"));
                } else {
                    part.push(&format!("positionCaseInsensitiveUTF8({text}, "));
                    needle(&mut part);
                    part.push(") > 0");
                }
            }
            if self.texts.is_empty() && self.text_lists.is_empty() {
                part.push("0");
            }
            part.push(")");
            parts.push(part);
        }
        self.choices(&filter.choices, &mut parts)?;
        let mut sql = Sql::default();
        for (i, part) in parts.iter().enumerate() {
            sql.push(if i == 0 { " WHERE " } else { " AND " })
                .append(part);
        }
        Ok(sql)
    }

    fn choices(&self, choices: &Choices, parts: &mut Vec<Sql>) -> Result<(), RemoteError> {
        for (facet, choice) in choices.chosen() {
            let (expr, many) = self.facet(facet).ok_or_else(|| unsupported(facet))?;
            for (values, negate) in [(&choice.keep, false), (&choice.drop, true)] {
                if values.is_empty() {
                    continue;
                }
                let mut part = Sql::new(if negate { "NOT " } else { "" });
                if many {
                    part.push("hasAny(")
                        .append(&expr)
                        .push(", ")
                        .text_list_array(values.iter().cloned())
                        .push(")");
                } else {
                    part.push("(")
                        .append(&expr)
                        .push(") IN ")
                        .text_list(values.iter().map(String::as_str));
                }
                parts.push(part);
            }
        }
        if let Some(range) = choices.fatalities {
            let expr = self
                .fatalities
                .as_ref()
                .ok_or_else(|| RemoteError::Unsupported("fatalities".to_owned()))?;
            let mut part = Sql::new(format!("ifNull({expr} >= "));
            part.int(i64::from(range.min)).push(", 0)");
            if let Some(max) = range.max {
                part.push(&format!(" AND ifNull({expr} <= "))
                    .int(i64::from(max))
                    .push(", 0)");
            }
            parts.push(part);
        }
        let map_area = choices.map_area.filter(|_| choices.follow_map);
        for area in [choices.area, map_area].into_iter().flatten() {
            parts.push(self.inside(&area));
        }
        Ok(())
    }

    /// Whether the event's point lies in `area` (edges included; a box
    /// across the antimeridian is two).
    pub fn inside(&self, area: &LonLatBox) -> Sql {
        let (lon, lat) = (&self.lon, &self.lat);
        let mut part = Sql::new(format!("{lat} >= "));
        part.float(area.south)
            .push(&format!(" AND {lat} <= "))
            .float(area.north)
            .push(&format!(" AND ({lon} >= "))
            .float(area.west)
            .push(if area.west <= area.east {
                " AND "
            } else {
                " OR "
            })
            .push(&format!("{lon} <= "))
            .float(area.east)
            .push(")");
        part
    }
}

/// GDELT's category: the CAMEO root `code` (a string expression) named as
/// the GDELT loader names it.
fn cameo_category(code: &str) -> Sql {
    let mut category = Sql::new("transform(");
    category
        .push(code)
        .push(", ")
        .text_list_array((1..=20).map(|n| format!("{n:02}")))
        .push(", ")
        .text_list_array(
            CAMEO_ROOTS
                .iter()
                .enumerate()
                .map(|(i, name)| format!("{name} (CAMEO {:02})", i + 1)),
        )
        .push(&format!(", concat('CAMEO ', {code}))"));
    category
}

fn unsupported(facet: Facet) -> RemoteError {
    RemoteError::Unsupported(facet.name().to_owned())
}
