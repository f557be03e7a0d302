//! `chronomap push`: a dataset's events into a new MergeTree table, in
//! batches, rows made on every core while the server writes the ones
//! before ([`pushed`](super::pushed) says what a row holds). The table is
//! ordered by date; `push` never drops a table and writes into an existing
//! one only when told to append.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

use super::RemoteError;
use super::client::{Conn, QUERY_TIMEOUT, block_on, runtime};
use super::pushed::{COLUMNS, PushRow, RowMaker, push_schema};
use super::sql::{Ident, Sql};
use super::url::TableUrl;
use crate::atlas::Atlas;
use crate::model::Dataset;

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
            if columns != COLUMNS {
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
type Shared<'a, 'd> = (
    &'a AtomicUsize,
    &'a Mutex<BTreeMap<usize, Result<Batch<'d>, RemoteError>>>,
    &'a Condvar,
    &'a AtomicBool,
);

/// Makes chunks in turn until none is left or sending ended, never more
/// than [`AHEAD`] ahead of the sender.
fn make_chunks<'d>(
    dataset: &'d Dataset,
    atlas: &'d Atlas,
    chunks: usize,
    (next, made, ready, done): Shared<'_, 'd>,
) {
    let maker = RowMaker::new(dataset, atlas);
    loop {
        let c = next.fetch_add(1, Ordering::Relaxed);
        if c >= chunks || done.load(Ordering::Relaxed) {
            return;
        }
        let range = c * CHUNK..((c + 1) * CHUNK).min(dataset.events.len());
        let chunk = make_batch(&maker, dataset, range);
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
    made: &Mutex<BTreeMap<usize, Result<Batch<'_>, RemoteError>>>,
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
                        .insert_unescaped::<PushRow<'static>>(table)
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
struct Batch<'d> {
    rows: Vec<PushRow<'d>>,
    left_out: Vec<String>,
}

/// The rows of the events in `range`.
fn make_batch<'d>(
    maker: &RowMaker<'d>,
    dataset: &'d Dataset,
    range: std::ops::Range<usize>,
) -> Result<Batch<'d>, RemoteError> {
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
        batch.rows.push(maker.row(event, (date, date_end))?);
    }
    Ok(batch)
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
