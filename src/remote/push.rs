//! `chronomap push`: a dataset's events into a new MergeTree table, in
//! batches. Each row holds the event's fields as chronomap's CSV export
//! writes them (so chronomap reads an event back as the same value), and
//! the columns its queries use: the days, the point the map draws, the
//! facets' values and the texts a search looks in. The table is ordered by
//! date; `push` never drops a table and writes into an existing one only
//! when told to append.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

use super::RemoteError;
use super::client::{Conn, QUERY_TIMEOUT, block_on, runtime};
use super::sql::{Ident, Sql};
use super::url::TableUrl;
use crate::atlas::Atlas;
use crate::export::{CSV_HEADER, event_row};
use crate::model::{Dataset, EventRef, Facet};

/// How to push.
#[derive(Clone, Copy, Debug)]
pub struct PushOptions {
    /// Write into the table when it exists (else that is an error).
    pub append: bool,
    /// Rows per `INSERT`.
    pub batch: usize,
}

impl Default for PushOptions {
    fn default() -> Self {
        Self {
            append: false,
            batch: 100_000,
        }
    }
}

/// What a push did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PushReport {
    /// Events written.
    pub written: u64,
    /// Events left out, each with why (a date a ClickHouse `Date` cannot
    /// hold: before 1970 or after 2149).
    pub left_out: Vec<String>,
    /// Whether the table was made by this push.
    pub created: bool,
    /// Seconds the writing took.
    pub seconds: f64,
}

/// One row of a pushed table: the export's 23 fields, then the query
/// columns ([`QUERY_COLUMNS`]).
#[derive(clickhouse::Row, serde::Serialize)]
struct PushRow {
    id: String,
    title: String,
    summary: String,
    start: String,
    end: String,
    precision: String,
    wording: String,
    category: String,
    place: String,
    place_name: String,
    kind: String,
    country: String,
    lat: String,
    lon: String,
    places: String,
    actors: String,
    killed: String,
    injured: String,
    casualty_detail: String,
    source: String,
    sources: String,
    quotes: String,
    extra: String,
    date: u16,
    date_end: u16,
    map_lon: f64,
    map_lat: f64,
    fatalities: Option<u32>,
    actor_list: Vec<String>,
    countries: Vec<String>,
    sub_type: String,
    layer: String,
    search: String,
}

/// The `CREATE TABLE` statement of a pushed table (`` `db`.`t` ``).
pub fn push_schema(table: &str) -> String {
    let fields: String = CSV_HEADER
        .iter()
        .map(|c| format!("    `{c}` String,\n"))
        .collect();
    format!(
        "CREATE TABLE {table} (\n{fields}    \
         `date` Date,\n    \
         `date_end` Date,\n    \
         `map_lon` Float64,\n    \
         `map_lat` Float64,\n    \
         `fatalities` Nullable(UInt32),\n    \
         `actor_list` Array(String),\n    \
         `countries` Array(String),\n    \
         `sub_type` String,\n    \
         `layer` String,\n    \
         `search` String\n\
         ) ENGINE = MergeTree() PARTITION BY toYear(`date`) ORDER BY (`date`, `id`)"
    )
}

/// Pushes every event of `dataset` into `url`'s table, calling `progress`
/// with the events written so far after each batch. Batches are made on
/// the machine's cores while the one before is sent, in order; call it
/// from outside the network runtime (the command line, a test).
///
/// # Errors
/// [`RemoteError::Exists`] when the table exists and `options.append` is
/// off (or it exists with other columns); the server's errors.
pub fn push(
    conn: &Conn,
    url: &TableUrl,
    dataset: &Dataset,
    atlas: &Atlas,
    options: PushOptions,
    mut progress: impl FnMut(u64),
) -> Result<PushReport, RemoteError> {
    let table = format!("{}.{}", url.database, url.table);
    let mut report = PushReport::default();
    match block_on(existing_columns(conn, &url.database, &url.table))? {
        Some(_) if !options.append => {
            return Err(RemoteError::Exists(format!(
                "{url} exists; chronomap push writes into an existing table only with --append (it never drops one)"
            )));
        }
        Some(columns) => {
            if columns != <PushRow as clickhouse::Row>::COLUMN_NAMES {
                return Err(RemoteError::Exists(format!(
                    "{url} exists with other columns than a pushed table's; chronomap appends only to a table it made"
                )));
            }
        }
        None => {
            block_on(conn.execute(&Sql::new(push_schema(&table))))?;
            report.created = true;
        }
    }
    let start = Instant::now();
    // The facet index is made once, before the threads share it.
    dataset.facets();
    let chunks = dataset.events.len().div_ceil(CHUNK);
    let makers = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .clamp(1, 8);
    let next = AtomicUsize::new(0);
    let made: Mutex<BTreeMap<usize, Result<Batch, RemoteError>>> = Mutex::new(BTreeMap::new());
    let ready = Condvar::new();
    let done = AtomicBool::new(false);
    let written = std::thread::scope(|scope| {
        for _ in 0..makers {
            scope.spawn(|| make_chunks(dataset, atlas, chunks, (&next, &made, &ready, &done)));
        }
        let result = send_chunks(
            conn,
            &table,
            chunks,
            options.batch.max(1),
            &made,
            &ready,
            &mut report,
            &mut progress,
        );
        // Makers waiting for room stop.
        done.store(true, Ordering::Relaxed);
        ready.notify_all();
        result
    })?;
    report.written = written;
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}

/// Events per chunk of rows made by one thread at a time.
const CHUNK: usize = 8_192;

/// Chunks made but not sent yet, most.
const AHEAD: usize = 8;

/// What the makers and the sender share: the next chunk to make, the
/// chunks made, the signal of a change, and whether sending ended.
type Shared<'a> = (
    &'a AtomicUsize,
    &'a Mutex<BTreeMap<usize, Result<Batch, RemoteError>>>,
    &'a Condvar,
    &'a AtomicBool,
);

/// Makes chunks in turn until none is left or sending ended, never more
/// than [`AHEAD`] ahead of the sender.
fn make_chunks(
    dataset: &Dataset,
    atlas: &Atlas,
    chunks: usize,
    (next, made, ready, done): Shared<'_>,
) {
    loop {
        let c = next.fetch_add(1, Ordering::Relaxed);
        if c >= chunks || done.load(Ordering::Relaxed) {
            return;
        }
        let range = c * CHUNK..((c + 1) * CHUNK).min(dataset.events.len());
        let chunk = make_batch(dataset, atlas, range);
        let Ok(mut map) = made.lock() else { return };
        map.insert(c, chunk);
        ready.notify_all();
        while map.len() > AHEAD && !done.load(Ordering::Relaxed) {
            match ready.wait(map) {
                Ok(m) => map = m,
                Err(_) => return,
            }
        }
    }
}

/// Sends the chunks in order, `batch` rows to an `INSERT`.
#[expect(
    clippy::too_many_arguments,
    reason = "the sender's side of the shared state"
)]
fn send_chunks(
    conn: &Conn,
    table: &str,
    chunks: usize,
    batch: usize,
    made: &Mutex<BTreeMap<usize, Result<Batch, RemoteError>>>,
    ready: &Condvar,
    report: &mut PushReport,
    progress: &mut impl FnMut(u64),
) -> Result<u64, RemoteError> {
    let stopped = || RemoteError::Rows("a thread making rows stopped".to_owned());
    let mut written = 0u64;
    let mut insert = None;
    let mut ending = None;
    let mut in_insert = 0usize;
    for c in 0..chunks {
        let chunk = {
            let mut map = made.lock().map_err(|_| stopped())?;
            loop {
                if let Some(chunk) = map.remove(&c) {
                    ready.notify_all();
                    break chunk;
                }
                map = ready.wait(map).map_err(|_| stopped())?;
            }
        };
        let mut chunk = chunk?;
        report.left_out.append(&mut chunk.left_out);
        block_on(async {
            if insert.is_none() {
                insert = Some(
                    conn.writer()
                        .insert_unescaped::<PushRow>(table)
                        .await
                        .map_err(|e| conn.error(e))?
                        .with_timeouts(Some(QUERY_TIMEOUT), Some(QUERY_TIMEOUT)),
                );
            }
            if let Some(open) = insert.as_mut() {
                for row in &chunk.rows {
                    open.write(row).await.map_err(|e| conn.error(e))?;
                }
            }
            in_insert += chunk.rows.len();
            if in_insert >= batch || c + 1 == chunks {
                // The server writes an INSERT's parts once it has all its
                // rows: the next one's rows are sent meanwhile.
                if let Some(before) = ending.take() {
                    finish(conn, before).await?;
                    progress(written);
                }
                if let Some(open) = insert.take() {
                    ending = Some(runtime().spawn(open.end()));
                }
                written += in_insert as u64;
                in_insert = 0;
            }
            Ok::<(), RemoteError>(())
        })?;
    }
    if let Some(last) = ending.take() {
        block_on(finish(conn, last))?;
    }
    progress(written);
    Ok(written)
}

/// Waits for an `INSERT` to end on the server.
async fn finish(
    conn: &Conn,
    ending: tokio::task::JoinHandle<clickhouse::error::Result<()>>,
) -> Result<(), RemoteError> {
    match ending.await {
        Ok(ended) => ended.map_err(|e| conn.error(e)),
        Err(e) => Err(RemoteError::Rows(format!("an insert stopped: {e}"))),
    }
}

/// The rows of some events, and those left out.
#[derive(Default)]
struct Batch {
    rows: Vec<PushRow>,
    left_out: Vec<String>,
}

/// The rows of the events in `range`.
fn make_batch(
    dataset: &Dataset,
    atlas: &Atlas,
    range: std::ops::Range<usize>,
) -> Result<Batch, RemoteError> {
    let facets = dataset.facets();
    let names = |facet: Facet, e: usize| -> Vec<String> {
        let values = facets.values(facet);
        values
            .of(e)
            .iter()
            .map(|&v| values.name(v).to_owned())
            .collect()
    };
    let mut batch = Batch {
        rows: Vec::with_capacity(range.len()),
        left_out: Vec::new(),
    };
    for e in range {
        let Some(event) = u32::try_from(e).ok().and_then(|i| dataset.event(i)) else {
            continue;
        };
        let (first, last) = event.days();
        let day = |d: i32| u16::try_from(d).ok();
        let (Some(date), Some(date_end)) = (day(first.0), day(last.0.max(first.0))) else {
            batch.left_out.push(format!(
                "event '{}' ({}): a ClickHouse Date holds 1970-01-01 to 2149-06-06",
                event.id(),
                event.date().words()
            ));
            continue;
        };
        let fields =
            event_row(dataset, atlas, event).map_err(|err| RemoteError::Rows(err.to_string()))?;
        let Ok(
            [
                id,
                title,
                summary,
                start,
                end,
                precision,
                wording,
                category,
                place,
                place_name,
                kind,
                country,
                lat,
                lon,
                places,
                actors,
                killed,
                injured,
                casualty_detail,
                source,
                sources,
                quotes,
                extra,
            ],
        ) = <[String; 23]>::try_from(fields)
        else {
            return Err(RemoteError::Rows(
                "an export row of another width".to_owned(),
            ));
        };
        let [map_lon, map_lat] = event
            .places()
            .first()
            .and_then(|&p| dataset.place_point(p))
            .unwrap_or([f64::NAN, f64::NAN]);
        batch.rows.push(PushRow {
            id,
            title,
            summary,
            start,
            end,
            precision,
            wording,
            category,
            place,
            place_name,
            kind,
            country,
            lat,
            lon,
            places,
            actors,
            killed,
            injured,
            casualty_detail,
            source,
            sources,
            quotes,
            extra,
            date,
            date_end,
            map_lon,
            map_lat,
            fatalities: facets.fatalities(e),
            actor_list: names(Facet::Actor, e),
            countries: names(Facet::Country, e),
            sub_type: names(Facet::SubType, e)
                .into_iter()
                .next()
                .unwrap_or_default(),
            layer: names(Facet::Layer, e)
                .into_iter()
                .next()
                .unwrap_or_default(),
            search: search_text(dataset, event),
        });
    }
    Ok(batch)
}

/// The texts a search looks in, one per line (a search word holds no
/// line break, so it never matches across two).
fn search_text(dataset: &Dataset, event: EventRef<'_>) -> String {
    let mut text = String::new();
    let mut add = |t: &str| {
        if !t.is_empty() {
            text.push_str(t);
            text.push('\n');
        }
    };
    add(event.title());
    for actor in event.actors().iter() {
        add(actor);
    }
    for place in event.places().iter().filter_map(|&p| dataset.place(p)) {
        add(place.name);
    }
    for source in event.sources().iter() {
        add(source.name);
    }
    add(dataset.category_name(event.category()));
    add(event.summary());
    for quote in event.quotes() {
        add(&quote.text);
    }
    text
}

/// The columns of a table, in order, or `None` when there is none.
async fn existing_columns(
    conn: &Conn,
    database: &Ident,
    table: &Ident,
) -> Result<Option<Vec<String>>, RemoteError> {
    #[derive(clickhouse::Row, serde::Deserialize)]
    struct Name {
        name: String,
    }
    let mut sql = Sql::new("SELECT name FROM system.columns WHERE database = ");
    sql.text(database.as_str())
        .push(" AND table = ")
        .text(table.as_str());
    let names: Vec<Name> = conn.rows(&sql, &Conn::query_id()).await?;
    Ok((!names.is_empty()).then(|| names.into_iter().map(|n| n.name).collect()))
}

#[cfg(test)]
mod tests {
    use super::super::schema::QUERY_COLUMNS;
    use super::*;

    /// A row's fields are the export's cells in the export's order, then
    /// the query columns, and the table is made with those columns in that
    /// order: a field out of place would put a value in another column.
    #[test]
    fn a_row_holds_the_columns_its_table_is_made_with() {
        let names = <PushRow as clickhouse::Row>::COLUMN_NAMES;
        let expected: Vec<&str> = CSV_HEADER.iter().chain(&QUERY_COLUMNS).copied().collect();
        assert_eq!(names, expected.as_slice());
        let schema = push_schema("`db`.`t`");
        let mut at = 0;
        for name in names {
            let found = schema[at..].find(&format!("`{name}` ")).map(|i| i + at);
            assert!(found.is_some(), "{name} in order in {schema}");
            at = found.unwrap_or(at);
        }
    }

    /// Each field of a made row holds the export's cell of its name.
    #[test]
    fn a_row_holds_each_export_cell_under_its_name() {
        let atlas = Atlas::embedded();
        let dataset = crate::load::embedded(atlas).expect("the seed").dataset;
        let batch = make_batch(&dataset, atlas, 0..dataset.events.len()).expect("rows");
        assert_eq!(batch.rows.len(), dataset.events.len());
        for (e, row) in dataset.events.iter().zip(&batch.rows) {
            let cells = event_row(&dataset, atlas, e).expect("cells");
            let json = serde_json::to_value(row).expect("json");
            for (name, cell) in CSV_HEADER.iter().zip(&cells) {
                assert_eq!(
                    json[*name].as_str(),
                    Some(cell.as_str()),
                    "{name} of {}",
                    e.id()
                );
            }
        }
    }
}
