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
use crate::time::{DayHistogram, EventFilter, LonLatBox};

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
    pub density: Arc<DayHistogram>,
    options: LoadOptions,
}

/// A table's size, span and categories.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableSummary {
    /// Its rows.
    pub rows: u64,
    /// Its first and last day (`None` when empty).
    pub span: Option<(Day, Day)>,
    /// Category names, sorted.
    pub categories: Vec<String>,
    /// The events of each category.
    pub category_events: Vec<u64>,
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

/// The events per day and category, over the table's span: the
/// timeline's density at every zoom, as a dataset's.
fn histogram(rows: &[DayRow], categories: &[String], (first, last): (Day, Day)) -> DayHistogram {
    let days = usize::try_from(i64::from(last.0) - i64::from(first.0) + 1).unwrap_or(0);
    let mut density = vec![vec![0u32; days]; categories.len()];
    for row in rows {
        let (Ok(d), Ok(c)) = (
            usize::try_from(i64::from(row.day) - i64::from(first.0)),
            categories.binary_search(&row.category),
        ) else {
            continue;
        };
        if let Some(slot) = density.get_mut(c).and_then(|days| days.get_mut(d)) {
            *slot = slot.saturating_add(u32::try_from(row.events).unwrap_or(u32::MAX));
        }
    }
    DayHistogram::of_days(&density, (first, last))
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
        let schema = Schema::find(&url.database, &url.table, &columns, &mapping)?;
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
    async fn summarise(&self, id: &str) -> Result<(TableSummary, DayHistogram), RemoteError> {
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
        let (names, events): (Vec<String>, Vec<u64>) = categories.into_iter().unzip();
        let density = histogram(&rows, &names, span.unwrap_or_default());
        let summary = TableSummary {
            rows: events.iter().sum(),
            span,
            categories: names,
            category_events: events,
        };
        Ok((summary, density))
    }

    /// The category names, sorted (as a dataset's).
    pub fn categories(&self) -> &[String] {
        &self.summary.categories
    }

    /// The events passing `filter` counted per day and category (an
    /// event once on each of its days, as a dataset's density counts it):
    /// every zoom's bins are summed from these. The server groups on the
    /// date and category columns as they are, then names each group.
    ///
    /// # Errors
    /// As [`Conn::rows`](super::Conn::rows).
    pub async fn density(
        &self,
        filter: &EventFilter,
        id: &str,
    ) -> Result<DayHistogram, RemoteError> {
        let rows = self.day_rows(filter, id).await?;
        let span = self.summary.span.unwrap_or_default();
        Ok(histogram(&rows, self.categories(), span))
    }

    /// The query [`Table::density`] sends: events per day and category.
    ///
    /// # Errors
    /// [`RemoteError::Unsupported`] for a choice the table cannot answer.
    pub fn density_sql(&self, filter: &EventFilter) -> Result<Sql, RemoteError> {
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
        Ok(sql)
    }

    async fn day_rows(&self, filter: &EventFilter, id: &str) -> Result<Vec<DayRow>, RemoteError> {
        self.conn.rows(&self.density_sql(filter)?, id).await
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
        let rows: Vec<CountRow> = self.conn.rows(&self.count_sql(window, filter)?, id).await?;
        Ok(rows.first().map_or(0, |r| r.events))
    }

    /// The query [`Table::count`] sends.
    ///
    /// # Errors
    /// As [`Table::density_sql`].
    pub fn count_sql(
        &self,
        window: Option<(Day, Day)>,
        filter: &EventFilter,
    ) -> Result<Sql, RemoteError> {
        let mut sql = Sql::new(format!(
            "SELECT count() AS events FROM {}",
            self.schema.table()
        ));
        sql.append(&self.schema.condition(window, filter)?);
        Ok(sql)
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
        let sql = self.cells_sql(window, filter, view, cell)?;
        self.conn.rows(&sql, id).await
    }

    /// The query [`Table::cells`] sends.
    ///
    /// # Errors
    /// As [`Table::density_sql`].
    pub fn cells_sql(
        &self,
        window: (Day, Day),
        filter: &EventFilter,
        view: &LonLatBox,
        cell: f64,
    ) -> Result<Sql, RemoteError> {
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
        Ok(sql)
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
        page: (u64, u64),
        id: &str,
    ) -> Result<Arc<Dataset>, RemoteError> {
        let sql = self.rows_sql(window, filter, area, page)?;
        self.fetch_rows(&sql, id).await
    }

    /// The query [`Table::rows`] sends (in the format of
    /// [`Schema::raw`](super::Schema::raw)).
    ///
    /// # Errors
    /// As [`Table::density_sql`].
    pub fn rows_sql(
        &self,
        window: Option<(Day, Day)>,
        filter: &EventFilter,
        area: Option<&LonLatBox>,
        (offset, limit): (u64, u64),
    ) -> Result<Sql, RemoteError> {
        let s = &self.schema;
        let columns = s.raw().0;
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
        Ok(sql)
    }

    /// The event with `event_id`, in a dataset of its own (empty when the
    /// table has none).
    ///
    /// # Errors
    /// As [`Table::rows`].
    pub async fn event(&self, event_id: &str, id: &str) -> Result<Arc<Dataset>, RemoteError> {
        let s = &self.schema;
        let columns = s.raw().0;
        let mut sql = Sql::new(format!(
            "SELECT {columns} FROM {} WHERE {} = ",
            s.table(),
            s.id()
        ));
        sql.text(event_id).push(" LIMIT 1");
        self.fetch_rows(&sql, id).await
    }

    /// The rows `sql` selects (in [`Schema::raw`](super::Schema::raw)'s
    /// columns), read by chronomap's loaders: a pushed table's as the CSV
    /// export it was pushed from, another's in its raw format.
    async fn fetch_rows(&self, sql: &Sql, id: &str) -> Result<Arc<Dataset>, RemoteError> {
        if self.schema.shape == Shape::Chronomap {
            let rows: Vec<super::pushed::ReadRow> = self.conn.rows(sql, id).await?;
            if rows.is_empty() {
                return Ok(Arc::new(Dataset::default()));
            }
            return self.read_rows(&super::pushed::export_csv(&rows)?);
        }
        let format = self.schema.raw().1;
        let bytes = self.conn.bytes(sql, format, id).await?;
        let lines = memchr::memchr_iter(b'\n', &bytes).count();
        let header = usize::from(format.ends_with("WithNames"));
        if lines <= header {
            return Ok(Arc::new(Dataset::default()));
        }
        self.read_rows(&bytes)
    }

    /// Rows in a format the loaders read, through the loaders.
    fn read_rows(&self, bytes: &[u8]) -> Result<Arc<Dataset>, RemoteError> {
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
