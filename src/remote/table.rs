//! An open table and the questions chronomap asks it: its size and span,
//! the timeline's density at a binning, the count in a window, the map's
//! cells for a viewport, and rows (a page of the list, the events in a
//! small enough view, one event's details).
//!
//! Each question is one query whose answer is small whatever the table's
//! size; each runs under a query id given by the caller, who may stop it.

use std::sync::Arc;

use super::RemoteError;
use super::client::{Conn, METADATA_TIMEOUT, block_on};
use super::schema::{Column, Schema, Shape};
use super::sql::Sql;
use super::url::TableUrl;
use crate::atlas::Atlas;
use crate::load::{LoadOptions, Loader, Source};
use crate::model::{Dataset, Day, Facet};
use crate::time::{Bins, EventFilter, LonLatBox};

/// An open table.
#[derive(Debug)]
pub struct Table {
    /// Where it is.
    pub url: TableUrl,
    conn: Conn,
    /// What its columns hold.
    pub schema: Schema,
    /// Its size, span and categories when it was opened.
    pub summary: TableSummary,
    /// Its density, unfiltered, when it was opened.
    pub density: Arc<Density>,
    options: LoadOptions,
}

/// A table's size, span and categories.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableSummary {
    /// Its rows.
    pub rows: u64,
    /// Its first and last day (`None` when empty).
    pub span: Option<(Day, Day)>,
    /// Category names, sorted, with their rows.
    pub categories: Vec<(String, u64)>,
}

/// The events of one cell of the map's grid.
#[derive(Clone, Debug, PartialEq, clickhouse::Row, serde::Deserialize)]
pub struct Cell {
    /// Its column and row in the grid (world coordinates over the cell's
    /// size, floored), stable while the map pans.
    pub cx: i64,
    /// See `cx`.
    pub cy: i64,
    /// Events in it.
    pub events: u64,
    /// Its commonest category.
    pub category: String,
    /// The mean of its points, in degrees.
    pub lon: f64,
    /// See `lon`.
    pub lat: f64,
}

/// The timeline's density: events per day and category over the table's
/// span, from which every zoom's [`Bins`] are summed here.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Density {
    /// The first day with events.
    pub first: Day,
    /// The last.
    pub last: Day,
    /// Categories, as the table's.
    pub categories: usize,
    /// `counts[d * categories + c]`: events of category `c` on day `first + d`.
    pub counts: Vec<u64>,
}

impl Density {
    /// The day rows the server sent, over the span they cover.
    fn of(rows: Vec<DayRow>, categories: &[String]) -> Self {
        let Some((first, last)) = rows
            .iter()
            .map(|r| r.day)
            .fold(None, |span: Option<(i32, i32)>, d| {
                Some(span.map_or((d, d), |(a, b)| (a.min(d), b.max(d))))
            })
        else {
            return Self {
                categories: categories.len(),
                ..Self::default()
            };
        };
        let days = usize::try_from(i64::from(last) - i64::from(first) + 1).unwrap_or(0);
        let mut counts = vec![0u64; days * categories.len()];
        for row in rows {
            let (Ok(d), Ok(c)) = (
                usize::try_from(row.day - first),
                categories.binary_search(&row.category),
            ) else {
                continue;
            };
            if let Some(slot) = counts.get_mut(d * categories.len() + c) {
                *slot += row.events;
            }
        }
        Self {
            first: Day(first),
            last: Day(last),
            categories: categories.len(),
            counts,
        }
    }

    /// The bins of `days_per_bin` days, aligned on `origin` (the table's
    /// first day), up to `last`: the busiest bin's mean per day scales them.
    pub fn bins(&self, origin: Day, last: Day, days_per_bin: u32) -> Bins {
        let per = i64::from(days_per_bin.max(1));
        let cats = self.categories;
        let span_days = (i64::from(last.0) - i64::from(origin.0) + 1).max(0);
        let bins = usize::try_from((span_days + per - 1) / per).unwrap_or(0);
        let mut counts = vec![0u64; bins * cats];
        for (d, day) in self.counts.chunks(cats.max(1)).enumerate() {
            let at = i64::from(self.first.0) + d as i64 - i64::from(origin.0);
            let Ok(b) = usize::try_from(at.div_euclid(per)) else {
                continue;
            };
            if let Some(bin) = counts.get_mut(b * cats..(b + 1) * cats) {
                for (slot, n) in bin.iter_mut().zip(day) {
                    *slot += n;
                }
            }
        }
        let busiest = (0..bins)
            .map(|b| {
                let start = i64::try_from(b).unwrap_or(0) * per;
                let days = per.min(span_days - start).max(1);
                let total: u64 = counts
                    .get(b * cats..(b + 1) * cats)
                    .unwrap_or_default()
                    .iter()
                    .sum();
                total as f64 / days as f64
            })
            .fold(0.0, f64::max);
        Bins {
            first: origin,
            last,
            days_per_bin: u32::try_from(per).unwrap_or(u32::MAX),
            categories: cats,
            counts,
            busiest,
        }
    }
}

#[derive(clickhouse::Row, serde::Deserialize)]
struct CategoryRow {
    category: String,
    events: u64,
}

#[derive(clickhouse::Row, serde::Deserialize)]
struct DayRow {
    day: i32,
    category: String,
    events: u64,
}

#[derive(clickhouse::Row, serde::Deserialize)]
struct CountRow {
    events: u64,
}

impl Table {
    /// Opens `url`'s table: reads its columns, recognises them, and sums
    /// its size, span and categories (one query over the table).
    ///
    /// # Errors
    /// [`RemoteError`]: the server unreachable, the login refused, no such
    /// table, or columns chronomap cannot read.
    pub async fn open(
        url: &TableUrl,
        password: Option<&str>,
        options: &LoadOptions,
    ) -> Result<Self, RemoteError> {
        let conn = Conn::new(url, password);
        let mut sql = Sql::new("SELECT name, type FROM system.columns WHERE database = ");
        sql.text(url.database.as_str())
            .push(" AND table = ")
            .text(url.table.as_str());
        let columns: Vec<Column> = conn
            .rows_within(&sql, &Conn::query_id(), METADATA_TIMEOUT)
            .await?;
        if columns.is_empty() {
            return Err(RemoteError::NoTable(format!(
                "there is no table {}.{} on {}",
                url.database.as_str(),
                url.table.as_str(),
                conn.address
            )));
        }
        let mapping = options.mapping.clone().unwrap_or_default();
        let schema = Schema::find(&url.database, &url.table, columns, &mapping)?;
        let mut table = Self {
            url: url.clone(),
            conn,
            schema,
            summary: TableSummary::default(),
            density: Arc::default(),
            options: options.clone(),
        };
        let (summary, density) = table.summarise(&Conn::query_id()).await?;
        table.summary = summary;
        table.density = Arc::new(density);
        Ok(table)
    }

    /// [`Table::open`], waited for.
    ///
    /// # Errors
    /// As [`Table::open`].
    pub fn open_blocking(
        url: &TableUrl,
        password: Option<&str>,
        options: &LoadOptions,
    ) -> Result<Self, RemoteError> {
        block_on(Self::open(url, password, options))
    }

    /// The connection, to stop a query by its id.
    pub fn conn(&self) -> &Conn {
        &self.conn
    }

    /// The name a layer of this table goes by.
    pub fn name(&self) -> String {
        self.url.to_string()
    }

    /// The table's size, span and categories, and its density: one scan
    /// for a table of one date a row (its rows are its days' counts), two
    /// where events span days.
    async fn summarise(&self, id: &str) -> Result<(TableSummary, Density), RemoteError> {
        let rows = self.day_rows(&EventFilter::default(), id).await?;
        let mut categories: Vec<(String, u64)> = Vec::new();
        for row in &rows {
            match categories.binary_search_by(|(c, _)| c.as_str().cmp(&row.category)) {
                Ok(at) => categories[at].1 += row.events,
                Err(at) => categories.insert(at, (row.category.clone(), row.events)),
            }
        }
        if self.schema.has_end() {
            let s = &self.schema;
            let mut sql = Sql::new("SELECT ");
            sql.append(s.category()).push(&format!(
                " AS category, count() AS events FROM {} GROUP BY category",
                s.table()
            ));
            let counted: Vec<CategoryRow> = self.conn.rows(&sql, id).await?;
            for (name, n) in &mut categories {
                *n = counted
                    .iter()
                    .find(|r| &r.category == name)
                    .map_or(0, |r| r.events);
            }
        }
        let span = rows
            .iter()
            .map(|r| r.day)
            .fold(None, |span: Option<(i32, i32)>, d| {
                Some(span.map_or((d, d), |(a, b)| (a.min(d), b.max(d))))
            })
            .map(|(a, b)| (Day(a), Day(b)));
        let names: Vec<String> = categories.iter().map(|(c, _)| c.clone()).collect();
        let summary = TableSummary {
            rows: categories.iter().map(|(_, n)| n).sum(),
            span,
            categories,
        };
        Ok((summary, Density::of(rows, &names)))
    }

    /// The category names, sorted (as a dataset's).
    pub fn categories(&self) -> Vec<String> {
        self.summary
            .categories
            .iter()
            .map(|(c, _)| c.clone())
            .collect()
    }

    /// The events passing `filter` counted per day and category (an
    /// event once on each of its days, as a dataset's density counts it):
    /// every zoom's bins are summed from these. The server groups on the
    /// date and category columns as they are, then names each group.
    ///
    /// # Errors
    /// As [`Conn::rows`](super::Conn::rows).
    pub async fn density(&self, filter: &EventFilter, id: &str) -> Result<Density, RemoteError> {
        let rows = self.day_rows(filter, id).await?;
        Ok(Density::of(rows, &self.categories()))
    }

    async fn day_rows(&self, filter: &EventFilter, id: &str) -> Result<Vec<DayRow>, RemoteError> {
        let s = &self.schema;
        let condition = s.condition(None, filter)?;
        let mut sql = Sql::new("SELECT ");
        if s.has_end() {
            // Each of the event's days, at most a century of them.
            sql.push(&format!(
                "toInt32(d) AS day, category, count() AS events FROM (SELECT arrayJoin(arrayMap(i -> {start} + i, range(toUInt32(least(greatest({end} - {start} + 1, 1), 36525))))) AS d, ",
                start = s.start_day(),
                end = s.end_day()
            ))
            .append(s.category())
            .push(&format!(" AS category FROM {}", s.table()))
            .append(&condition)
            .push(") GROUP BY day, category");
        } else {
            sql.push(&format!("{} AS day, ", s.day_of_key("d")))
                .append(&s.category_of_key("c"))
                .push(" AS category, sum(n) AS events FROM (SELECT ")
                .push(&format!("{} AS d, ", s.day_key()))
                .append(&s.category_key())
                .push(&format!(" AS c, count() AS n FROM {}", s.table()))
                .append(&condition)
                .push(" GROUP BY d, c) GROUP BY day, category");
        }
        self.conn.rows(&sql, id).await
    }

    /// How many events overlap `window` and pass `filter`.
    ///
    /// # Errors
    /// As [`Conn::rows`](super::Conn::rows).
    pub async fn count(
        &self,
        window: Option<(Day, Day)>,
        filter: &EventFilter,
        id: &str,
    ) -> Result<u64, RemoteError> {
        self.count_where(&self.schema.condition(window, filter)?, id)
            .await
    }

    /// The rows `condition` (a `WHERE …`) holds.
    async fn count_where(&self, condition: &Sql, id: &str) -> Result<u64, RemoteError> {
        let mut sql = Sql::new(format!(
            "SELECT count() AS events FROM {}",
            self.schema.table()
        ));
        sql.append(condition);
        let rows: Vec<CountRow> = self.conn.rows(&sql, id).await?;
        Ok(rows.first().map_or(0, |r| r.events))
    }

    /// The commonest values of `facet` (at most `limit`, most events
    /// first) among the events passing every choice of `filter` but the
    /// facet's own, as the facets panel counts them over a file.
    ///
    /// # Errors
    /// As [`Conn::rows`](super::Conn::rows).
    pub async fn facet_counts(
        &self,
        facet: Facet,
        filter: &EventFilter,
        limit: u64,
        id: &str,
    ) -> Result<Vec<(String, u64)>, RemoteError> {
        #[derive(clickhouse::Row, serde::Deserialize)]
        struct ValueRow {
            value: String,
            events: u64,
        }
        let Some(values) = self.schema.facet_values(facet) else {
            return Ok(Vec::new());
        };
        let mut others = filter.clone();
        others.choices.clear(facet);
        let mut sql = Sql::new("SELECT arrayJoin(");
        sql.append(&values)
            .push(&format!(
                ") AS value, count() AS events FROM {}",
                self.schema.table()
            ))
            .append(&self.schema.condition(None, &others)?)
            .push(" GROUP BY value ORDER BY events DESC, value LIMIT ")
            .int(i64::try_from(limit).unwrap_or(i64::MAX));
        let rows: Vec<ValueRow> = self.conn.rows(&sql, id).await?;
        Ok(rows.into_iter().map(|r| (r.value, r.events)).collect())
    }

    /// The events in `window` passing `filter` within `view`, counted per
    /// cell of a grid of `cell` world units (the map's unit square), with
    /// each cell's commonest category and mean point.
    ///
    /// # Errors
    /// As [`Conn::rows`](super::Conn::rows).
    pub async fn cells(
        &self,
        window: (Day, Day),
        filter: &EventFilter,
        view: &LonLatBox,
        cell: f64,
        id: &str,
    ) -> Result<Vec<Cell>, RemoteError> {
        let s = &self.schema;
        let (lon, lat) = s.point();
        // Each in parentheses: the cell's size divides the whole.
        let x = format!("((({lon}) + 180) / 360)");
        let y = format!(
            "(0.5 - log(tan(pi() / 4 + least(greatest({lat}, -85.0511), 85.0511) * pi() / 360)) / (2 * pi()))"
        );
        let cell = if cell.is_finite() && cell > 0.0 {
            cell
        } else {
            1.0
        };
        let mut sql = Sql::new("SELECT toInt64(floor(");
        sql.push(&x)
            .push(" / ")
            .float(cell)
            .push(")) AS cx, toInt64(floor(")
            .push(&y)
            .push(" / ")
            .float(cell)
            .push(")) AS cy, count() AS events, topK(1)(")
            .append(s.category())
            .push(&format!(
                ")[1] AS category, avg({lon}) AS lon, avg({lat}) AS lat FROM {}",
                s.table()
            ))
            .append(&s.condition(Some(window), filter)?)
            .push(" AND ")
            .append(&s.inside(view))
            .push(" GROUP BY cx, cy");
        self.conn.rows(&sql, id).await
    }

    /// Events passing `filter` (in `window` and `area` where given), in
    /// the dataset's order, from `offset`, at most `limit`, read by
    /// chronomap's loaders into a dataset of their own.
    ///
    /// # Errors
    /// As [`Conn::rows`](super::Conn::rows), and [`RemoteError::Rows`]
    /// when the loaders cannot read them.
    pub async fn rows(
        &self,
        window: Option<(Day, Day)>,
        filter: &EventFilter,
        area: Option<&LonLatBox>,
        (offset, limit): (u64, u64),
        id: &str,
    ) -> Result<Arc<Dataset>, RemoteError> {
        let s = &self.schema;
        let (columns, format) = s.raw();
        let mut sql = Sql::new(format!("SELECT {columns} FROM {}", s.table()));
        let condition = s.condition(window, filter)?;
        sql.append(&condition);
        if let Some(area) = area {
            sql.push(if condition.is_empty() {
                " WHERE "
            } else {
                " AND "
            })
            .append(&s.inside(area));
        }
        sql.push(&format!(" ORDER BY {} LIMIT ", s.order()))
            .int(i64::try_from(offset).unwrap_or(i64::MAX))
            .push(", ")
            .int(i64::try_from(limit).unwrap_or(i64::MAX));
        let bytes = self.conn.bytes(&sql, format, id).await?;
        self.read_rows(&bytes)
    }

    /// The event with `event_id`, in a dataset of its own (empty when the
    /// table has none).
    ///
    /// # Errors
    /// As [`Table::rows`].
    pub async fn event(&self, event_id: &str, id: &str) -> Result<Arc<Dataset>, RemoteError> {
        let s = &self.schema;
        let (columns, format) = s.raw();
        let mut sql = Sql::new(format!(
            "SELECT {columns} FROM {} WHERE {} = ",
            s.table(),
            s.id()
        ));
        sql.text(event_id).push(" LIMIT 1");
        let bytes = self.conn.bytes(&sql, format, id).await?;
        self.read_rows(&bytes)
    }

    /// Rows in the schema's raw format, through the loaders.
    fn read_rows(&self, bytes: &[u8]) -> Result<Arc<Dataset>, RemoteError> {
        let lines = memchr::memchr_iter(b'\n', bytes).count();
        let header = usize::from(self.schema.raw().1.ends_with("WithNames"));
        if lines <= header {
            return Ok(Arc::new(Dataset::default()));
        }
        // The loaders take NUL and other control bytes for a damaged or
        // binary file; here they come only inside a text: each comes back
        // as U+FFFD (tabs and line breaks stay).
        let control = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c);
        let cleaned: Vec<u8>;
        let bytes = if bytes.iter().any(|&b| control(b)) {
            let mut out = Vec::with_capacity(bytes.len() + 64);
            for &b in bytes {
                if control(b) {
                    out.extend_from_slice("\u{fffd}".as_bytes());
                } else {
                    out.push(b);
                }
            }
            cleaned = out;
            &cleaned[..]
        } else {
            bytes
        };
        let name = self.name();
        let mut options = self.options.clone();
        if self.schema.shape != Shape::Table {
            options.mapping = None;
        }
        let loader = Loader::new(Atlas::embedded()).options(options);
        let loaded = loader
            .load(Source::bytes(&name, bytes))
            .map_err(|e| RemoteError::Rows(e.to_string()))?;
        Ok(Arc::new(loaded.dataset))
    }
}
