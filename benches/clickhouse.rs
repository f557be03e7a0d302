//! ClickHouse as a source (issue 18): a synthetic GDELT 2.0 table made on a
//! server this bench starts (`tests/support/gdelt_table.rs`, one server on
//! this machine, its data in a temporary folder), then explored as the
//! window explores it: every query through `chronomap::remote`, waited for
//! on this thread, outside the network runtime, as the window's thread
//! would wait for a frame.
//!
//! Criterion benches (`clickhouse/<rows>/…`):
//! - `open`: launch to a first frame's data: `Table::open` (columns, then
//!   one scan for the rows, span, categories and the timeline's density),
//!   then, side by side as the view asks them, the count in the first
//!   window (the last 7 days) and the map's cells for the world.
//! - `open_view`: the same through a `RemoteView` and the `Want` the app's
//!   first frame makes, which also asks the list's first page and the
//!   facets' counts; timed until the density, count and cells are in (the
//!   view is then dropped, which stops the list's query).
//! - `day_step`: a 7-day window stepped on by a day, the map on a
//!   country-sized viewport (the eastern Mediterranean, cells of 2⁻⁹ of the
//!   world); each step a new `Want`, timed until its count and cells are in.
//! - `day_step_rows`: the same on a city-sized viewport (London), where the
//!   view holds fewer than `ROW_LIMIT` events: timed until the events one
//!   by one are in (cells, then rows read back through the GDELT loader).
//! - `pan` / `zoom`: at one window, the country viewport moved by a quarter
//!   of its size, or zoomed in and out by two (the cell halves or doubles),
//!   timed until the new cells are in.
//!
//! Then, unless `CHRONOMAP_BENCH_EXTRAS=0`, one-off measurements printed as
//! Markdown (and written to `target/criterion/clickhouse-<rows>.md`):
//! - each query's time on the client (`Table`'s method, alone) beside the
//!   server's own time for the same SQL (`FORMAT JSON`'s statistics), rows
//!   and bytes read: what dominates;
//! - the window's share: the longest `RemoteView::ask`/`poll` call during
//!   the benches above (what a frame pays);
//! - the client's peak memory (`VmHWM`): `chronomap check --json` on the
//!   table, and a whole session (open, 60 day steps, pans, zooms, rows,
//!   list pages, details) in a process of its own (this binary again);
//! - `chronomap push` of the 1M-row ACLED file (`gen-events`, seed 42) into
//!   a fresh table, 3 times: events/s of the writing and of the command;
//! - the same 1M and 10M rows from the server and from a file: a table of
//!   that many rows made the same way (or this one) and its TSV export
//!   (GDELT 2.0's 61 fields); the first data from the table against
//!   `chronomap check --json` on the file; and the pushed ACLED table
//!   against its CSV.
//!
//! ```sh
//! cargo bench --bench clickhouse                                   # 10M rows
//! CHRONOMAP_BENCH_ROWS=100000000 cargo bench --bench clickhouse    # the README's figures
//! CHRONOMAP_BENCH_EXTRAS=0 cargo bench --bench clickhouse -- day_step
//! ```
//!
//! Without `--bench` (`cargo test --benches`) it runs each bench once on
//! 100,000 rows, without the extras. Without a ClickHouse server installed
//! it says so and measures nothing.

#[path = "../tests/support/clickhouse_server.rs"]
mod clickhouse_server;
mod common;
#[path = "../tests/support/gdelt_table.rs"]
mod gdelt_table;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode};

use chronomap::load::LoadOptions;
use chronomap::model::Day;
use chronomap::remote::{Conn, RemoteView, Table, TableUrl, Want, block_on};
use chronomap::time::{EventFilter, LonLatBox};

use clickhouse_server::Server;

const TABLE: &str = "default.gdelt";
const DEFAULT_ROWS: u64 = 10_000_000;
const TEST_ROWS: u64 = 100_000;
/// Days of the window.
const WINDOW_DAYS: i32 = 7;
/// Bins of the overview density at most: 3,653 days in 457 bins of 8.
const OVERVIEW_BINS: usize = 512;
/// The world at a 1000-pixel map: cells of 64 pixels are 2⁻⁴ of the world.
const WORLD_CELL: f64 = 1.0 / 16.0;
/// A country-sized view (12° × 8°) at 1000 pixels: cells of 2⁻⁹.
const COUNTRY: [f64; 4] = [30.0, 29.0, 42.0, 37.0];
const COUNTRY_CELL: f64 = 1.0 / 512.0;
/// A city-sized view (1° × 0.6°): cells of 2⁻¹³.
const CITY: [f64; 4] = [-0.6, 51.2, 0.4, 51.8];
const CITY_CELL: f64 = 1.0 / 8192.0;
/// The step benches start here (and wrap at the span's end).
const STEP_FROM: &str = "2019-01-01";
/// Longest wait for an answer before the bench gives up.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(600);
/// The environment variable that makes this binary a client session.
const SESSION_VAR: &str = "CHRONOMAP_BENCH_CLICKHOUSE_SESSION";

fn main() {
    if let Ok(address) = std::env::var(SESSION_VAR) {
        client_session(&address);
        return;
    }
    let benching = std::env::args().any(|a| a == "--bench");
    let rows = if benching {
        std::env::var("CHRONOMAP_BENCH_ROWS")
            .ok()
            .and_then(|v| v.replace('_', "").parse().ok())
            .filter(|&n| n > 0)
            .unwrap_or(DEFAULT_ROWS)
    } else {
        TEST_ROWS
    };
    let Some(server) = Server::start() else {
        eprintln!("clickhouse bench: no ClickHouse server here; nothing measured");
        return;
    };
    let mut notes = Notes::default();
    notes.line(&format!(
        "## ClickHouse bench, {} rows (`{TABLE}`)\n",
        thousands(rows)
    ));
    make_table(&server, rows, &mut notes);
    let url = TableUrl::parse(&server.table_url(TABLE)).expect("the table's address");
    let mut ui = UiTimes::default();
    let mut criterion = Criterion::default().configure_from_args();
    let load = |notes: &mut Notes, when: &str| {
        notes.line(&format!("- load average {when}: {}", load_average()));
    };
    load(&mut notes, "before the criterion benches");
    open(&mut criterion, &server, &url, rows);
    load(&mut notes, "after open and open_view");
    steps(&mut criterion, &url, rows, &mut ui, &mut notes);
    criterion.final_summary();
    ui.note(&mut notes);
    load(&mut notes, "after the steps, pans and zooms");
    let extras = std::env::var("CHRONOMAP_BENCH_EXTRAS").map_or(true, |v| v != "0");
    if benching && extras {
        breakdown(&server, &url, &mut notes);
        load(&mut notes, "after the queries one by one");
        memory(&server, &url, &mut notes);
        push(&server, &mut notes);
        load(&mut notes, "after push");
        local(&server, rows, &mut notes);
        load(&mut notes, "at the end");
    }
    println!("\n{}", notes.text);
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("target/criterion/clickhouse-{rows}.md"));
    if benching && std::fs::create_dir_all(out.parent().expect("a folder")).is_ok() {
        let _ = std::fs::write(&out, &notes.text);
        eprintln!("written to {}", out.display());
    }
}

/// Lines for the Markdown report.
#[derive(Default)]
struct Notes {
    text: String,
}

impl Notes {
    fn line(&mut self, line: &str) {
        eprintln!("{line}");
        self.text.push_str(line);
        self.text.push('\n');
    }
}

/// Makes the table, waits for its merges, and notes its size.
fn make_table(server: &Server, rows: u64, notes: &mut Notes) {
    let started = Instant::now();
    let made = gdelt_table::create_chunked(server, TABLE, rows, gdelt_table::CHUNK_ROWS, |n| {
        eprintln!(
            "  {} rows inserted, {:.0} s",
            thousands(n),
            started.elapsed().as_secs_f64()
        );
    })
    .unwrap_or_else(|e| panic!("the table: {e}"));
    let settling = Instant::now();
    let parts = gdelt_table::settle(server, TABLE, Duration::from_secs(1800)).expect("merges");
    let size = server
        .query(
            "SELECT sum(bytes_on_disk), sum(data_uncompressed_bytes) FROM system.parts \
             WHERE active AND database = 'default' AND table = 'gdelt'",
        )
        .expect("parts");
    let mut size = size
        .split_whitespace()
        .map(|n| n.parse::<f64>().unwrap_or(0.0));
    let (disk, raw) = (size.next().unwrap_or(0.0), size.next().unwrap_or(0.0));
    notes.line(&format!(
        "- table: {} rows made in {:.1} s ({:.0} rows/s), merges settled {:.1} s later; {parts} parts, \
         {:.2} GiB on disk ({:.1} GiB uncompressed, {:.0} bytes a row)",
        thousands(rows),
        made.seconds,
        rows as f64 / made.seconds,
        settling.elapsed().as_secs_f64(),
        disk / GIB,
        raw / GIB,
        disk / rows as f64
    ));
}

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

fn days() -> (Day, Day) {
    (
        gdelt_table::GdeltTable::first_day(),
        gdelt_table::GdeltTable::last_day(),
    )
}

fn bbox(b: [f64; 4]) -> LonLatBox {
    LonLatBox::new(b[0], b[1], b[2], b[3]).expect("a box")
}

fn world() -> LonLatBox {
    bbox([-180.0, -85.0, 180.0, 85.0])
}

/// The window of `WINDOW_DAYS` ending at `last`.
fn window_to(last: Day) -> (Day, Day) {
    (last.offset(1 - WINDOW_DAYS), last)
}

/// The app's first `Want` (as `chronomap::state::RemoteState` makes it):
/// the last week, the world, the overview density, the list's first rows,
/// the facets' counts.
fn first_want() -> Want {
    Want {
        window: window_to(days().1),
        filter: EventFilter::default(),
        map: Some((world(), WORLD_CELL)),
        list: (0, 50),
        selected: None,
        facets: true,
    }
}

fn open_table(url: &TableUrl) -> Arc<Table> {
    Arc::new(Table::open_blocking(url, None, &LoadOptions::default()).expect("the table opens"))
}

/// A view whose answers wake `Receiver`.
fn view_of(table: Arc<Table>) -> (RemoteView, Receiver<()>) {
    let (tx, rx) = channel();
    let wake = Arc::new(move || {
        let _ = tx.send(());
    });
    (RemoteView::new(table, wake), rx)
}

/// Durations of the calls the window's thread makes (`ask`, `poll`).
#[derive(Default)]
struct UiTimes {
    calls: Vec<Duration>,
}

impl UiTimes {
    fn time<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        self.calls.push(t.elapsed());
        out
    }

    fn note(&mut self, notes: &mut Notes) {
        if self.calls.is_empty() {
            return;
        }
        self.calls.sort_unstable();
        let at = |q: f64| self.calls[((self.calls.len() - 1) as f64 * q) as usize];
        notes.line(&format!(
            "- window's thread: {} `ask`/`poll` calls during the step, pan and zoom benches: \
             median {:?}, 99th percentile {:?}, longest {:?}",
            self.calls.len(),
            at(0.5),
            at(0.99),
            at(1.0)
        ));
    }
}

/// Polls `view` until `done` (panics on a server error or after
/// `ANSWER_TIMEOUT`).
fn wait_until(
    view: &mut RemoteView,
    woke: &Receiver<()>,
    ui: &mut UiTimes,
    done: impl Fn(&RemoteView) -> bool,
) {
    let until = Instant::now() + ANSWER_TIMEOUT;
    loop {
        ui.time(|| view.poll());
        if let Some(e) = view.error() {
            panic!("the server: {e}");
        }
        if done(view) {
            return;
        }
        let left = until.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "no answer in {ANSWER_TIMEOUT:?}");
        let _ = woke.recv_timeout(left.min(Duration::from_millis(50)));
    }
}

/// Whether `b` is another answer than `a`.
fn changed<T>(a: Option<&Arc<T>>, b: Option<&Arc<T>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => !Arc::ptr_eq(a, b),
        (None, Some(_)) => true,
        _ => false,
    }
}

/// Waits until the server runs no query (a stopped one may take a moment).
fn quiet(server: &Server) {
    for _ in 0..600 {
        let running = server
            .query("SELECT count() FROM system.processes WHERE query NOT LIKE '%system.processes%'")
            .unwrap_or_default();
        if running.trim() == "0" {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn slow(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(10));
}

/// Launch to a first frame's data, the two ways.
fn open(c: &mut Criterion, server: &Server, url: &TableUrl, rows: u64) {
    let mut group = c.benchmark_group(format!("clickhouse/{rows}"));
    slow(&mut group);
    group.bench_function("open", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                quiet(server);
                total += first_data(url);
            }
            total
        });
    });
    group.bench_function("open_view", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                quiet(server);
                let started = Instant::now();
                let table = open_table(url);
                let (mut view, woke) = view_of(table);
                view.ask(&first_want());
                wait_until(&mut view, &woke, &mut UiTimes::default(), |v| {
                    v.density().is_some() && v.count_is_current() && v.cells().is_some()
                });
                total += started.elapsed();
            }
            total
        });
    });
    group.finish();
    quiet(server);
}

/// `Table::open`, then the overview density, the first window's count and
/// the world's cells side by side: the time to all of them.
fn first_data(url: &TableUrl) -> Duration {
    let started = Instant::now();
    let table = open_table(url);
    let want = first_want();
    let filter = &want.filter;
    std::thread::scope(|s| {
        // The density comes with the open (its one scan).
        let density = s.spawn(|| Arc::clone(&table.density));
        let count = s.spawn(|| {
            block_on(table.count(Some(want.window), filter, &Conn::query_id())).expect("count")
        });
        let cells = s.spawn(|| {
            block_on(table.cells(want.window, filter, &world(), WORLD_CELL, &Conn::query_id()))
                .expect("cells")
        });
        let density = density.join().expect("density");
        let (first, last) = days();
        assert!(
            !density
                .bins(f64::from(first.0), f64::from(last.0), OVERVIEW_BINS)
                .is_empty()
        );
        assert!(count.join().expect("count") > 0);
        assert!(!cells.join().expect("cells").is_empty());
    });
    started.elapsed()
}

/// Day steps, pans and zooms on one view.
fn steps(c: &mut Criterion, url: &TableUrl, rows: u64, ui: &mut UiTimes, notes: &mut Notes) {
    let table = open_table(url);
    let (mut view, woke) = view_of(Arc::clone(&table));
    let (first, last) = days();
    let start = Day::parse_iso(STEP_FROM).expect("a date");
    let mut want = Want {
        window: window_to(start),
        map: Some((bbox(COUNTRY), COUNTRY_CELL)),
        ..first_want()
    };
    // Everything the first frame asks, the list's first page included,
    // answered before the steps begin.
    let started = Instant::now();
    view.ask(&want);
    wait_until(&mut view, &woke, &mut UiTimes::default(), |v| {
        v.pending() == 0 && v.list_row(0).is_some()
    });
    notes.line(&format!(
        "- a view's first answers, the list's first page (ORDER BY date over the whole table) included: {:.2} s",
        started.elapsed().as_secs_f64()
    ));
    let mut step = 0;
    let mut next_window = move || {
        step += 1;
        let end = start.offset(step);
        let end = if end > last {
            step = 0;
            first.offset(WINDOW_DAYS - 1)
        } else {
            end
        };
        window_to(end)
    };
    let mut group = c.benchmark_group(format!("clickhouse/{rows}"));
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    let mut in_view = Vec::new();
    group.bench_function("day_step", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                want.window = next_window();
                let before = view.cells().cloned();
                let started = Instant::now();
                ui.time(|| view.ask(&want));
                wait_until(&mut view, &woke, ui, |v| {
                    v.count_is_current() && changed(before.as_ref(), v.cells())
                });
                total += started.elapsed();
                in_view.push(view.in_view().unwrap_or(0));
            }
            total
        });
    });
    note_in_view(notes, "day_step (country view)", &mut in_view);
    // The events one by one: the city's view holds few enough.
    want.map = Some((bbox(CITY), CITY_CELL));
    view.ask(&want);
    wait_until(&mut view, &woke, &mut UiTimes::default(), |v| {
        v.count_is_current() && v.cells().is_some()
    });
    let mut fetched = Vec::new();
    group.bench_function("day_step_rows", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                want.window = next_window();
                let (cells_before, rows_before) = (view.cells().cloned(), view.rows().cloned());
                let started = Instant::now();
                ui.time(|| view.ask(&want));
                wait_until(&mut view, &woke, ui, |v| {
                    v.count_is_current() && changed(cells_before.as_ref(), v.cells())
                });
                // The next frame asks for the rows the cells allow.
                ui.time(|| view.ask(&want));
                if view.in_view().unwrap_or(0) <= chronomap::remote::ROW_LIMIT {
                    wait_until(&mut view, &woke, ui, |v| {
                        changed(rows_before.as_ref(), v.rows())
                    });
                }
                total += started.elapsed();
                in_view.push(view.in_view().unwrap_or(0));
                fetched.push(view.rows().map_or(0, |r| r.events.len() as u64));
            }
            total
        });
    });
    note_in_view(notes, "day_step_rows (city view)", &mut in_view);
    note_in_view(
        notes,
        "day_step_rows, events fetched one by one",
        &mut fetched,
    );
    // Pans and zooms at one window.
    want.window = window_to(start);
    let country = bbox(COUNTRY);
    let moved = |dx: f64, dy: f64, zoom: f64| {
        let (w, h) = (country.east - country.west, country.north - country.south);
        let (cx, cy) = (
            (country.west + country.east) / 2.0 + dx * w,
            (country.south + country.north) / 2.0 + dy * h,
        );
        let (w, h) = (w / zoom, h / zoom);
        (
            bbox([cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0]),
            COUNTRY_CELL / zoom,
        )
    };
    let pans = [
        moved(0.25, 0.0, 1.0),
        moved(0.25, -0.25, 1.0),
        moved(0.0, -0.25, 1.0),
        moved(0.0, 0.0, 1.0),
    ];
    let zooms = [moved(0.0, 0.0, 2.0), moved(0.0, 0.0, 1.0)];
    for (name, moves) in [("pan", &pans[..]), ("zoom", &zooms[..])] {
        let mut at = 0;
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    at = (at + 1) % moves.len();
                    if want.map == Some(moves[at]) {
                        // Where the last bench left the map: no new query.
                        at = (at + 1) % moves.len();
                    }
                    want.map = Some(moves[at]);
                    let before = view.cells().cloned();
                    let started = Instant::now();
                    ui.time(|| view.ask(&want));
                    wait_until(&mut view, &woke, ui, |v| {
                        changed(before.as_ref(), v.cells())
                    });
                    total += started.elapsed();
                    in_view.push(view.in_view().unwrap_or(0));
                }
                total
            });
        });
        note_in_view(notes, name, &mut in_view);
    }
    group.finish();
}

fn note_in_view(notes: &mut Notes, what: &str, in_view: &mut Vec<u64>) {
    if in_view.is_empty() {
        return;
    }
    in_view.sort_unstable();
    notes.line(&format!(
        "- {what}: {} to {} events in view (median {})",
        thousands(in_view[0]),
        thousands(in_view[in_view.len() - 1]),
        thousands(in_view[in_view.len() / 2])
    ));
    in_view.clear();
}

/// Median of three timings of `f`.
fn median3(mut f: impl FnMut() -> f64) -> f64 {
    let mut t = [f(), f(), f()];
    t.sort_by(f64::total_cmp);
    t[1]
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed().as_secs_f64())
}

/// Each query on the client and on the server.
fn breakdown(server: &Server, url: &TableUrl, notes: &mut Notes) {
    let table = open_table(url);
    let filter = EventFilter::default();
    let (_, last) = days();
    let window = window_to(last);
    let step_window = window_to(Day::parse_iso(STEP_FROM).expect("a date"));
    let id = Conn::query_id;
    // The SQL `Table` sends, from the table itself.
    let sql = |q: Result<chronomap::remote::Sql, chronomap::remote::RemoteError>| {
        q.expect("a query").rendered()
    };
    let count_sql = |w: Option<(Day, Day)>| sql(table.count_sql(w, &filter));
    let cells_sql = |w, view: &LonLatBox, cell: f64| sql(table.cells_sql(w, &filter, view, cell));
    let rows_sql = |w: Option<(Day, Day)>, view: Option<&LonLatBox>, limit: u64| {
        sql(table.rows_sql(w, &filter, view, (0, limit)))
    };
    let density_sql = sql(table.density_sql(&filter));
    let (country, city) = (bbox(COUNTRY), bbox(CITY));
    type Client<'a> = Box<dyn Fn() -> usize + 'a>;
    let t = &table;
    let f = &filter;
    let cases: Vec<(&str, String, Client<'_>)> = vec![
        (
            "open: columns, then rows, span, categories and density (`Table::open`)",
            density_sql.clone(),
            Box::new(|| open_table(url).summary.categories.len()),
        ),
        (
            "a filter's density (days × 20 categories; here no filter)",
            density_sql,
            Box::new(|| {
                let histogram = block_on(t.density(f, &id())).expect("density");
                let (first, last) = days();
                histogram
                    .bins(f64::from(first.0), f64::from(last.0), OVERVIEW_BINS)
                    .counts
                    .len()
            }),
        ),
        (
            "count in the last week",
            count_sql(Some(window)),
            Box::new(|| block_on(t.count(Some(window), f, &id())).expect("count") as usize),
        ),
        (
            "cells, the world, last week (cell 2⁻⁴)",
            cells_sql(window, &world(), WORLD_CELL),
            Box::new(|| {
                block_on(t.cells(window, f, &world(), WORLD_CELL, &id()))
                    .expect("cells")
                    .len()
            }),
        ),
        (
            "count in a week of the steps",
            count_sql(Some(step_window)),
            Box::new(|| block_on(t.count(Some(step_window), f, &id())).expect("count") as usize),
        ),
        (
            "cells, the country view, a week (cell 2⁻⁹)",
            cells_sql(step_window, &country, COUNTRY_CELL),
            Box::new(|| {
                block_on(t.cells(step_window, f, &country, COUNTRY_CELL, &id()))
                    .expect("cells")
                    .len()
            }),
        ),
        (
            "rows one by one, the city view, a week (≤ 20,000, GDELT loader)",
            rows_sql(Some(step_window), Some(&city), chronomap::remote::ROW_LIMIT),
            Box::new(|| {
                block_on(t.rows(
                    Some(step_window),
                    f,
                    Some(&city),
                    (0, chronomap::remote::ROW_LIMIT),
                    &id(),
                ))
                .expect("rows")
                .events
                .len()
            }),
        ),
        (
            "the list's first page (100 rows, ORDER BY date over the table)",
            rows_sql(None, None, 100),
            Box::new(|| {
                block_on(t.rows(None, f, None, (0, 100), &id()))
                    .expect("rows")
                    .events
                    .len()
            }),
        ),
        (
            "the list's length (count of the table)",
            count_sql(None),
            Box::new(|| block_on(t.count(None, f, &id())).expect("count") as usize),
        ),
    ];
    notes.line("\n| query | client s (median of 3) | server s (median of 3) | rows read | MiB read | answer |");
    notes.line("|---|---|---|---|---|---|");
    for (what, sql, client) in cases {
        quiet(server);
        let mut answer = 0;
        let client_s = median3(|| {
            let (n, s) = timed(&client);
            answer = n;
            s
        });
        quiet(server);
        let mut stats = (0.0, 0.0, 0.0);
        let server_s = median3(|| {
            stats = server_statistics(server, &sql);
            stats.0
        });
        notes.line(&format!(
            "| {what} | {client_s:.3} | {server_s:.3} | {} | {:.0} | {} |",
            thousands(stats.1 as u64),
            stats.2 / 1024.0 / 1024.0,
            thousands(answer as u64)
        ));
    }
}

/// The machine's load average over the last minute.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

/// The server's elapsed seconds, rows read and bytes read for `sql`.
fn server_statistics(server: &Server, sql: &str) -> (f64, f64, f64) {
    let answer = server
        .query(&format!("{sql} FORMAT JSON"))
        .unwrap_or_else(|e| panic!("{e}\n{sql}"));
    let json: serde_json::Value = serde_json::from_str(&answer).expect("JSON");
    let stat = |k: &str| json["statistics"][k].as_f64().unwrap_or(f64::NAN);
    (stat("elapsed"), stat("rows_read"), stat("bytes_read"))
}

/// A command's wall seconds and peak resident memory (KiB), by GNU time;
/// its standard output.
fn time_command(command: &mut Command) -> (f64, u64, String) {
    let report = tempfile::NamedTempFile::new().expect("a temporary file");
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(ToOwned::to_owned).collect();
    let envs: Vec<_> = command
        .get_envs()
        .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned())))
        .collect();
    let output = Command::new("/usr/bin/time")
        .arg("-o")
        .arg(report.path())
        .args(["-f", "%e %M"])
        .arg(program)
        .args(args)
        .envs(envs)
        .output()
        .expect("/usr/bin/time runs");
    assert!(
        output.status.success(),
        "{:?} failed: {}",
        command,
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(report.path()).expect("time's report");
    let mut last = text.lines().last().unwrap_or("").split_whitespace();
    let seconds = last.next().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
    let kib = last.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    (
        seconds,
        kib,
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn chronomap_binary() -> Option<&'static str> {
    option_env!("CARGO_BIN_EXE_chronomap")
}

/// The client's peak memory: `check --json` on the table, and a session.
fn memory(server: &Server, url: &TableUrl, notes: &mut Notes) {
    let address = server.table_url(TABLE);
    notes.line("");
    if let Some(bin) = chronomap_binary() {
        quiet(server);
        let (seconds, kib, _) = time_command(Command::new(bin).args(["check", "--json", &address]));
        notes.line(&format!(
            "- `chronomap check --json {}`: {seconds:.2} s, peak {:.1} MiB",
            address.replace(&url.port.to_string(), "PORT"),
            kib as f64 / 1024.0
        ));
    }
    quiet(server);
    let exe = std::env::current_exe().expect("this binary");
    let (seconds, kib, out) = time_command(Command::new(exe).env(SESSION_VAR, &address));
    let hwm = out
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .unwrap_or("?")
        .trim()
        .to_owned();
    let steps = out
        .lines()
        .find_map(|l| l.strip_prefix("session:"))
        .unwrap_or("")
        .trim()
        .to_owned();
    notes.line(&format!(
        "- a client session in its own process ({steps}): {seconds:.1} s, VmHWM {hwm} (GNU time: {:.1} MiB)",
        kib as f64 / 1024.0
    ));
}

/// A whole session on `address`, then this process's peak memory.
fn client_session(address: &str) {
    let url = TableUrl::parse(address).expect("an address");
    let table = open_table(&url);
    let (mut view, woke) = view_of(Arc::clone(&table));
    let mut ui = UiTimes::default();
    let mut want = first_want();
    view.ask(&want);
    wait_until(&mut view, &woke, &mut ui, |v| v.pending() == 0);
    let start = Day::parse_iso(STEP_FROM).expect("a date");
    let mut fetched = 0;
    for (n, (view_box, cell)) in [
        (bbox(COUNTRY), COUNTRY_CELL),
        (bbox(CITY), CITY_CELL),
        (world(), WORLD_CELL),
    ]
    .into_iter()
    .enumerate()
    {
        want.map = Some((view_box, cell));
        for step in 0..20 {
            want.window = window_to(start.offset(step + 40 * n as i32));
            view.ask(&want);
            // `wait` asks again for the rows the cells allow.
            assert!(view.wait(ANSWER_TIMEOUT), "answers in time");
            fetched += view.rows().map_or(0, |r| r.events.len());
        }
    }
    for zoom in [1.0, 2.0, 4.0, 8.0, 16.0, 8.0, 4.0, 2.0, 1.0] {
        want.map = Some((bbox(COUNTRY), COUNTRY_CELL / zoom));
        view.ask(&want);
        assert!(view.wait(ANSWER_TIMEOUT), "answers in time");
        fetched += view.rows().map_or(0, |r| r.events.len());
    }
    for page in 0..5 {
        want.list = (page * 100, 100);
        view.ask(&want);
        assert!(view.wait(ANSWER_TIMEOUT), "answers in time");
    }
    let selected = view
        .list_row(0)
        .and_then(|(page, at)| page.event(at).map(|e| e.id().to_owned()));
    want.selected = selected;
    view.ask(&want);
    assert!(view.wait(ANSWER_TIMEOUT), "answers in time");
    assert!(view.error().is_none(), "{:?}", view.error());
    println!(
        "session: open, 60 day steps over three views, 9 zooms, 5 list pages, one event's details; {} events fetched one by one",
        thousands(fetched as u64)
    );
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .map(|v| {
            let kib: f64 = v
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .unwrap_or(0.0);
            format!("{:.1} MiB", kib / 1024.0)
        })
        .unwrap_or_else(|| "?".to_owned());
    println!("VmHWM: {hwm}");
}

/// `chronomap push` of the 1M-row ACLED file, three times into fresh tables.
fn push(server: &Server, notes: &mut Notes) {
    let Some(bin) = chronomap_binary() else {
        return;
    };
    let file = common::acled_file(1_000_000);
    notes.line("");
    let mut rates = Vec::new();
    for run in 0..3 {
        quiet(server);
        let name = format!("default.acled_push_{run}");
        let (seconds, kib, out) = time_command(
            Command::new(bin)
                .arg("push")
                .arg(&file)
                .arg(server.table_url(&name)),
        );
        // "chronomap: pushed 1,000,000 events into … in 4.52 s (221,000 events/s)"
        let writing: f64 = out
            .rsplit(" in ")
            .next()
            .and_then(|t| t.split(" s (").next())
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(f64::NAN);
        let pushed: u64 = server
            .query(&format!("SELECT count() FROM {name}"))
            .ok()
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        rates.push((pushed as f64 / writing, pushed as f64 / seconds));
        notes.line(&format!(
            "- push run {}: {} events; writing {writing:.2} s ({:.0} events/s); the command {seconds:.2} s \
             ({:.0} events/s, the file's load included), peak {:.0} MiB",
            run + 1,
            thousands(pushed),
            pushed as f64 / writing,
            pushed as f64 / seconds,
            kib as f64 / 1024.0
        ));
        if run > 0 {
            server
                .query(&format!("DROP TABLE {name}"))
                .expect("the table dropped");
        }
    }
    // The pushed table against its file: the same 1M rows.
    let address = server.table_url("default.acled_push_0");
    let local = median_command(Command::new(bin).arg("check").arg("--json").arg(&file));
    let remote = median_command(Command::new(bin).args(["check", "--json", &address]));
    let url = TableUrl::parse(&address).expect("an address");
    let first = median3(|| {
        quiet(server);
        first_data_of(&url)
    });
    notes.line(&format!(
        "- the same 1M ACLED rows: `check --json` on the CSV {:.2} s, peak {:.0} MiB; from the pushed table: \
         `check --json` {:.2} s, peak {:.0} MiB, first data (open, density, count, cells) {first:.2} s",
        local.0,
        local.1,
        remote.0,
        remote.1
    ));
    let _ = server.query("DROP TABLE default.acled_push_0");
}

/// First data for any table: its span's last week.
fn first_data_of(url: &TableUrl) -> f64 {
    let started = Instant::now();
    let table = open_table(url);
    let (_, last) = table.summary.span.expect("a span");
    let window = window_to(last);
    let filter = EventFilter::default();
    std::thread::scope(|s| {
        let t = &table;
        let f = &filter;
        let a = s.spawn(move || Ok::<_, chronomap::remote::RemoteError>(Arc::clone(&t.density)));
        let b = s.spawn(move || block_on(t.count(Some(window), f, &Conn::query_id())));
        let c =
            s.spawn(move || block_on(t.cells(window, f, &world(), WORLD_CELL, &Conn::query_id())));
        a.join().expect("density").expect("density");
        b.join().expect("count").expect("count");
        c.join().expect("cells").expect("cells");
    });
    started.elapsed().as_secs_f64()
}

/// Median seconds and peak MiB of three runs.
fn median_command(command: &mut Command) -> (f64, f64) {
    let mut runs: Vec<(f64, u64)> = (0..3)
        .map(|_| {
            let (s, kib, _) = time_command(command);
            (s, kib)
        })
        .collect();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    (runs[1].0, runs[1].1 as f64 / 1024.0)
}

/// The same 1M and 10M rows opened from the server and from a file.
fn local(server: &Server, rows: u64, notes: &mut Notes) {
    let Some(bin) = chronomap_binary() else {
        return;
    };
    notes.line(
        "\n| rows | from | launch to first data s | `check --json` s | `check --json` peak MiB | file MiB |",
    );
    notes.line("|---|---|---|---|---|---|");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let _ = std::fs::create_dir_all(&dir);
    for size in [1_000_000u64, 10_000_000] {
        if size > rows {
            continue;
        }
        // A table of `size` rows made as this one was (or this one), and
        // the same rows exported as a file.
        let own = size != rows;
        // 131 bytes a row on disk; leave the disk some room.
        let free = free_bytes(&dir);
        if own && free < size * 500 {
            notes.line(&format!(
                "| {} | (skipped: {:.1} GiB free) | | | | |",
                thousands(size),
                free as f64 / GIB
            ));
            continue;
        }
        let name = if own {
            let name = format!("default.gdelt_{size}");
            gdelt_table::create(server, &name, size).expect("the smaller table");
            gdelt_table::settle(server, &name, Duration::from_secs(600)).expect("merges");
            name
        } else {
            TABLE.to_owned()
        };
        let url = TableUrl::parse(&server.table_url(&name)).expect("an address");
        let first = median3(|| {
            quiet(server);
            first_data_of(&url)
        });
        quiet(server);
        let remote =
            median_command(Command::new(bin).args(["check", "--json", &server.table_url(&name)]));
        notes.line(&format!(
            "| {} | ClickHouse `{name}` | {first:.2} | {:.2} | {:.0} | |",
            thousands(size),
            remote.0,
            remote.1
        ));
        let file = dir.join(format!("clickhouse-gdelt-{size}.tsv"));
        // About 450 bytes a row as TSV; leave the disk some room.
        let free = free_bytes(&dir);
        if free < size * 1_000 {
            notes.line(&format!(
                "| {} | GDELT TSV export | (skipped: {:.1} GiB free) | | | |",
                thousands(size),
                free as f64 / GIB
            ));
        } else {
            // In the table's order, month by month (a sort of the whole
            // table's 61 columns would not fit the server's memory limit).
            export_tsv(server, &format!("SELECT * FROM {name}"), &file);
            let mib = std::fs::metadata(&file).map_or(0.0, |m| m.len() as f64 / 1024.0 / 1024.0);
            quiet(server);
            let local = median_command(Command::new(bin).arg("check").arg("--json").arg(&file));
            notes.line(&format!(
                "| {} | GDELT TSV export | | {:.2} | {:.0} | {mib:.0} |",
                thousands(size),
                local.0,
                local.1
            ));
            if std::env::var_os("CHRONOMAP_BENCH_KEEP_EXPORTS").is_none() {
                let _ = std::fs::remove_file(&file);
            }
        }
        if own {
            let _ = server.query(&format!("DROP TABLE {name}"));
        }
    }
}

/// Bytes free on the disk of `path` (`df`), 0 when unknown.
fn free_bytes(path: &Path) -> u64 {
    Command::new("df")
        .args(["-Pk"])
        .arg(path)
        .output()
        .ok()
        .and_then(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            let kib: u64 = text
                .lines()
                .nth(1)?
                .split_whitespace()
                .nth(3)?
                .parse()
                .ok()?;
            Some(kib * 1024)
        })
        .unwrap_or(0)
}

/// Streams a query's TabSeparated answer into `path` (HTTP/1.0 over a
/// socket, as the harness talks: an export of gigabytes is not held).
fn export_tsv(server: &Server, sql: &str, path: &Path) {
    let body = format!("{sql} FORMAT TabSeparated");
    let mut stream =
        TcpStream::connect(("127.0.0.1", server.http_port())).expect("the server's port");
    write!(
        stream,
        "POST / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("the request");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).expect("a status line");
    if !line.contains(" 200 ") {
        let mut rest = String::new();
        let _ = reader.read_to_string(&mut rest);
        panic!("export: {line}{rest}");
    }
    loop {
        line.clear();
        reader.read_line(&mut line).expect("a header");
        if line.trim().is_empty() {
            break;
        }
    }
    let partial = path.with_extension("partial");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&partial).expect("the file"));
    std::io::copy(&mut reader.by_ref(), &mut out).expect("the export");
    out.flush().expect("the export");
    std::fs::rename(&partial, path).expect("the file in place");
}

/// 1234567 → "1,234,567".
fn thousands(n: u64) -> String {
    chronomap::load::thousands(usize::try_from(n).unwrap_or(usize::MAX))
}
