//! A view of a table: what the window, the filter and the map ask for
//! ([`Want`]), turned into queries that run off the window's thread, and
//! their answers kept for drawing.
//!
//! Each kind of answer has a slot: the answer shown, and the query running
//! for the next one. When the view moves on, the query running for what
//! it wanted before is dropped (its connection closed) and the server is
//! asked to stop it by its id; an answer that arrives for a question no
//! longer asked is let go. The last answer stays shown until the new one
//! comes, so the map does not blink while it waits.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use super::RemoteError;
use super::client::{Conn, runtime};
use super::table::{Cell, Table};
use crate::load::thousands;
use crate::model::{Dataset, Day, EventIdx, Facet};
use crate::time::{DayHistogram, EventFilter, LonLatBox};

/// The most events the map and the view's list fetch one by one: with
/// more in view, the map draws the server's cells alone.
pub const ROW_LIMIT: u64 = 20_000;

/// Rows per page of the list.
pub const PAGE: u64 = 100;

/// How long a failed question waits before it is asked again (a server
/// that went away is tried again while the view is used).
const RETRY: Duration = Duration::from_secs(2);

/// Densities kept, for filters chosen again.
const DENSITIES_KEPT: usize = 16;

/// What the view shows, as the window sets it each frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Want {
    /// The date window, both days included.
    pub window: (Day, Day),
    /// The filter (search, categories, facets, fatalities, area).
    pub filter: EventFilter,
    /// The box the map shows, and its grid's cell in world units (the
    /// map's unit square), when the map is drawn.
    pub map: Option<(LonLatBox, f64)>,
    /// The list's rows in view: first and count.
    pub list: (u64, u64),
    /// The event whose details are shown.
    pub selected: Option<String>,
    /// Whether the facets' counts are shown.
    pub facets: bool,
}

/// Each facet the table can count, with its commonest values.
pub type FacetTops = Vec<(Facet, Vec<(String, u64)>)>;

/// Values counted per facet.
const FACET_VALUES: u64 = 50;

/// Things that wake the window when an answer arrives.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

type Apply = Box<dyn FnOnce(&mut Slots) + Send>;

/// One kind of answer: the one shown and the query running.
struct Slot<K, V> {
    shown: Option<(K, V)>,
    running: Option<Running<K>>,
    failed: Option<(K, Instant)>,
}

struct Running<K> {
    key: K,
    query_id: String,
    handle: tokio::task::AbortHandle,
}

impl<K, V> Default for Slot<K, V> {
    fn default() -> Self {
        Self {
            shown: None,
            running: None,
            failed: None,
        }
    }
}

impl<K: Clone + PartialEq, V> Slot<K, V> {
    /// Asks for `key`'s answer unless it is shown, coming, or failed a
    /// moment ago; a query running for another key is stopped.
    fn ask(
        &mut self,
        key: &K,
        conn: &Conn,
        start: impl FnOnce(K, String) -> tokio::task::AbortHandle,
    ) {
        let shown = self.shown.as_ref().is_some_and(|(k, _)| k == key);
        let coming = self.running.as_ref().is_some_and(|r| &r.key == key);
        let failed = self
            .failed
            .as_ref()
            .is_some_and(|(k, at)| k == key && at.elapsed() < RETRY);
        if shown || coming || failed {
            return;
        }
        self.stop(conn);
        let query_id = Conn::query_id();
        let handle = start(key.clone(), query_id.clone());
        self.running = Some(Running {
            key: key.clone(),
            query_id,
            handle,
        });
    }

    /// Stops the query running, here and on the server.
    fn stop(&mut self, conn: &Conn) {
        if let Some(old) = self.running.take() {
            old.handle.abort();
            conn.stop(&old.query_id);
        }
    }

    /// Takes an answer for `key`: kept when it is the one awaited.
    fn settle(&mut self, key: K, answer: Result<V, RemoteError>, error: &mut Option<String>) {
        if self.running.as_ref().is_none_or(|r| r.key != key) {
            return;
        }
        self.running = None;
        match answer {
            Ok(value) => {
                self.shown = Some((key, value));
                self.failed = None;
                *error = None;
            }
            Err(e) => {
                self.failed = Some((key, Instant::now()));
                *error = Some(e.to_string());
            }
        }
    }

    fn value(&self) -> Option<&V> {
        self.shown.as_ref().map(|(_, v)| v)
    }

    fn value_for(&self, key: &K) -> Option<&V> {
        self.shown
            .as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    fn is_running(&self) -> bool {
        self.running.is_some()
    }
}

type Window = (Day, Day);

/// Every slot, with the last error.
#[derive(Default)]
struct Slots {
    density: Slot<EventFilter, Arc<DayHistogram>>,
    /// Densities answered before, the latest last.
    densities: Vec<(EventFilter, Arc<DayHistogram>)>,
    count: Slot<(Window, EventFilter), u64>,
    cells: Slot<(Window, EventFilter, LonLatBox, u64), Arc<Vec<Cell>>>,
    rows: Slot<(Window, EventFilter, LonLatBox), Arc<Dataset>>,

    page: Slot<((Window, EventFilter), u64), Arc<Dataset>>,
    pages: HashMap<u64, Arc<Dataset>>,
    pages_of: Option<(Window, EventFilter)>,
    details: Slot<String, Arc<Dataset>>,
    facets: Slot<EventFilter, Arc<FacetTops>>,
    error: Option<String>,
}

/// A table's view.
pub struct RemoteView {
    table: Arc<Table>,
    slots: Slots,
    sender: Sender<Apply>,
    answers: Receiver<Apply>,
    wake: Wake,
    want: Option<Want>,
    row_limit: u64,
}

impl RemoteView {
    /// A view of `table`; `wake` is called from another thread when an
    /// answer arrives (the window asks for a frame).
    pub fn new(table: Arc<Table>, wake: Wake) -> Self {
        let (sender, answers) = channel();
        Self {
            table,
            slots: Slots::default(),
            sender,
            answers,
            wake,
            want: None,
            row_limit: ROW_LIMIT,
        }
    }

    /// Fetches events one by one only up to `limit` in view (by default
    /// [`ROW_LIMIT`]).
    pub fn set_row_limit(&mut self, limit: u64) {
        self.row_limit = limit.max(1);
    }

    /// The most events in view fetched one by one.
    pub fn row_limit(&self) -> u64 {
        self.row_limit
    }

    /// The table.
    pub fn table(&self) -> &Arc<Table> {
        &self.table
    }

    /// Starts the queries `want` needs that are not answered or coming,
    /// and stops those for what is no longer wanted.
    pub fn ask(&mut self, want: &Want) {
        self.poll();
        let conn = self.table.conn();
        let limit = self.row_limit;
        let sp = Spawner {
            table: Arc::clone(&self.table),
            sender: self.sender.clone(),
            wake: Arc::clone(&self.wake),
        };
        let s = &mut self.slots;
        let filter = &want.filter;
        if s.densities.is_empty() {
            // The table's own, counted when it was opened.
            s.densities
                .push((EventFilter::default(), Arc::clone(&self.table.density)));
        }
        if let Some((_, kept)) = s.densities.iter().find(|(k, _)| k == filter) {
            if s.density.value_for(filter).is_none() {
                s.density.stop(conn);
                s.density.shown = Some((filter.clone(), Arc::clone(kept)));
            }
        } else {
            s.density.ask(filter, conn, |filter, id| {
                let k = filter.clone();
                sp.spawn(
                    move |t| async move { t.density(&filter, &id).await.map(Arc::new) },
                    move |s, a| {
                        if let Ok(days) = &a {
                            if s.densities.len() >= DENSITIES_KEPT {
                                s.densities.remove(1);
                            }
                            s.densities.push((k.clone(), Arc::clone(days)));
                        }
                        s.density.settle(k, a, &mut s.error);
                    },
                )
            });
        }
        let count_key = (want.window, filter.clone());
        s.count.ask(&count_key, conn, |(window, filter), id| {
            let k = (window, filter.clone());
            sp.spawn(
                move |t| async move { t.count(Some(window), &filter, &id).await },
                move |s, a| s.count.settle(k, a, &mut s.error),
            )
        });
        if let Some((view, cell)) = want.map {
            let cells_key = (want.window, filter.clone(), view, cell.to_bits());
            s.cells
                .ask(&cells_key, conn, |(window, filter, view, bits), id| {
                    let k = (window, filter.clone(), view, bits);
                    sp.spawn(
                        move |t| async move {
                            t.cells(window, &filter, &view, f64::from_bits(bits), &id)
                                .await
                                .map(Arc::new)
                        },
                        move |s, a| s.cells.settle(k, a, &mut s.error),
                    )
                });
            // Rows one by one only once the cells say there are few.
            let few = s
                .cells
                .value_for(&cells_key)
                .map(|cells| cells.iter().map(|c| c.events).sum::<u64>())
                .is_some_and(|n| n <= limit);
            let rows_key = (want.window, filter.clone(), view);
            if few {
                s.rows.ask(&rows_key, conn, |(window, filter, view), id| {
                    let k = (window, filter.clone(), view);
                    sp.spawn(
                        move |t| async move {
                            t.rows(Some(window), &filter, Some(&view), (0, limit), &id)
                                .await
                        },
                        move |s, a| s.rows.settle(k, a, &mut s.error),
                    )
                });
            } else if s.cells.value_for(&cells_key).is_some() {
                s.rows.stop(conn);
                s.rows.shown = None;
            }
        }
        // The list holds the window's events: a page reads only the parts
        // of a table ordered by date that hold the window's days.
        let listed = (want.window, filter.clone());
        if s.pages_of.as_ref() != Some(&listed) {
            s.pages.clear();
            s.pages_of = Some(listed.clone());
        }
        let (first, n) = want.list;
        let missing =
            (first / PAGE..=(first + n.max(1) - 1) / PAGE).find(|p| !s.pages.contains_key(p));
        if let Some(page) = missing {
            s.page
                .ask(&(listed, page), conn, |((window, filter), page), id| {
                    let k = ((window, filter.clone()), page);
                    sp.spawn(
                        move |t| async move {
                            t.rows(Some(window), &filter, None, (page * PAGE, PAGE), &id)
                                .await
                        },
                        move |s, a| {
                            if let Ok(rows) = &a
                                && s.pages_of.as_ref() == Some(&k.0)
                            {
                                s.pages.insert(k.1, Arc::clone(rows));
                            }
                            s.page.settle(k, a, &mut s.error);
                        },
                    )
                });
        }
        // The facets wait for what the window shows first (they count the
        // whole table, and the server has a few cores to share).
        if want.facets && !s.count.is_running() && !s.cells.is_running() && !s.density.is_running()
        {
            s.facets.ask(filter, conn, |filter, id| {
                let k = filter.clone();
                sp.spawn(
                    move |t| async move {
                        let mut tops = Vec::new();
                        for facet in [
                            Facet::Category,
                            Facet::SubType,
                            Facet::Actor,
                            Facet::Country,
                        ] {
                            if t.schema.can_filter(facet) {
                                let counts =
                                    t.facet_counts(facet, &filter, FACET_VALUES, &id).await?;
                                tops.push((facet, counts));
                            }
                        }
                        Ok(Arc::new(tops))
                    },
                    move |s, a| s.facets.settle(k, a, &mut s.error),
                )
            });
        }
        match &want.selected {
            Some(id) => s.details.ask(id, conn, |event, id| {
                let k = event.clone();
                sp.spawn(
                    move |t| async move { t.event(&event, &id).await },
                    move |s, a| s.details.settle(k, a, &mut s.error),
                )
            }),
            None => {
                s.details.stop(conn);
                s.details.shown = None;
            }
        }
        self.want = Some(want.clone());
    }

    /// Takes the answers that arrived.
    pub fn poll(&mut self) {
        while let Ok(apply) = self.answers.try_recv() {
            apply(&mut self.slots);
        }
    }

    /// Waits until no query is running (or `timeout` passes), taking each
    /// answer; asks again for what the answers made possible (rows once the
    /// cells say they are few). For the command line and tests.
    pub fn wait(&mut self, timeout: Duration) -> bool {
        let until = Instant::now() + timeout;
        loop {
            self.poll();
            if let Some(want) = self.want.clone() {
                self.ask(&want);
            }
            if self.pending() == 0 {
                return true;
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            if let Ok(apply) = self.answers.recv_timeout(left) {
                apply(&mut self.slots);
            }
        }
    }

    /// Queries running.
    pub fn pending(&self) -> usize {
        let s = &self.slots;
        [
            s.density.is_running(),
            s.count.is_running(),
            s.cells.is_running(),
            s.rows.is_running(),
            s.page.is_running(),
            s.details.is_running(),
            s.facets.is_running(),
        ]
        .iter()
        .filter(|&&r| r)
        .count()
    }

    /// The last error, in words, until a later query succeeds.
    pub fn error(&self) -> Option<&str> {
        self.slots.error.as_deref()
    }

    /// The timeline's density (the last one asked for that arrived), to
    /// bin for the plot as a dataset's is.
    pub fn density(&self) -> Option<&Arc<DayHistogram>> {
        self.slots.density.value()
    }

    /// Events in the window passing the filter.
    pub fn count(&self) -> Option<u64> {
        self.slots.count.value().copied()
    }

    /// Whether the count shown is for the window and filter wanted now.
    pub fn count_is_current(&self) -> bool {
        self.want.as_ref().is_some_and(|w| {
            self.slots
                .count
                .value_for(&(w.window, w.filter.clone()))
                .is_some()
        })
    }

    /// The map's cells.
    pub fn cells(&self) -> Option<&Arc<Vec<Cell>>> {
        self.slots.cells.value()
    }

    /// Events in the map's view (the cells' sum).
    pub fn in_view(&self) -> Option<u64> {
        self.cells().map(|c| c.iter().map(|c| c.events).sum())
    }

    /// The events in the map's view one by one, when there are few enough.
    pub fn rows(&self) -> Option<&Arc<Dataset>> {
        self.slots.rows.value()
    }

    /// What the map shows when the view holds too many events to show one
    /// by one.
    pub fn notice(&self) -> Option<String> {
        let in_view = self.in_view()?;
        (in_view > self.row_limit && self.rows().is_none()).then(|| {
            let cells = self.cells().map_or(0, |c| c.len());
            format!(
                "showing {} cells of {} events: zoom in or narrow the window to see them one by one ({} at most)",
                thousands(cells),
                short_count(in_view),
                short_count(self.row_limit)
            )
        })
    }

    /// The list's length: the events in the window passing the filter.
    pub fn list_len(&self) -> Option<u64> {
        self.count()
    }

    /// The list's row `i`, once its page arrived.
    pub fn list_row(&self, i: u64) -> Option<(&Arc<Dataset>, EventIdx)> {
        let page = self.slots.pages.get(&(i / PAGE))?;
        let at = u32::try_from(i % PAGE).ok()?;
        (at < u32::try_from(page.events.len()).unwrap_or(0)).then_some((page, at))
    }

    /// The facets' commonest values under the filter (each facet's own
    /// choice aside).
    pub fn facets(&self) -> Option<&Arc<FacetTops>> {
        self.slots.facets.value()
    }

    /// The selected event, in a dataset of its own.
    pub fn details(&self) -> Option<&Arc<Dataset>> {
        self.slots.details.value()
    }
}

/// What a query needs to run and answer.
struct Spawner {
    table: Arc<Table>,
    sender: Sender<Apply>,
    wake: Wake,
}

impl Spawner {
    /// Runs `query` on the runtime; its answer is applied by `apply` on
    /// the window's thread at the next [`RemoteView::poll`].
    fn spawn<V, F>(
        &self,
        query: impl FnOnce(Arc<Table>) -> F + Send + 'static,
        apply: impl FnOnce(&mut Slots, Result<V, RemoteError>) + Send + 'static,
    ) -> tokio::task::AbortHandle
    where
        F: std::future::Future<Output = Result<V, RemoteError>> + Send + 'static,
        V: Send + 'static,
    {
        let table = Arc::clone(&self.table);
        let sender = self.sender.clone();
        let wake = Arc::clone(&self.wake);
        runtime()
            .spawn(async move {
                let answer = query(table).await;
                let apply: Apply = Box::new(move |s| apply(s, answer));
                if sender.send(apply).is_ok() {
                    wake();
                }
            })
            .abort_handle()
    }
}

impl Drop for RemoteView {
    fn drop(&mut self) {
        let conn = self.table.conn();
        let s = &mut self.slots;
        s.density.stop(conn);
        s.count.stop(conn);
        s.cells.stop(conn);
        s.rows.stop(conn);
        s.page.stop(conn);
        s.details.stop(conn);
        s.facets.stop(conn);
    }
}

/// 1_300_000 → "1.3 M", 45_000 → "45,000".
pub fn short_count(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{:.1} M", n as f64 / 1e6)
    } else {
        thousands(usize::try_from(n).unwrap_or(usize::MAX))
    }
}
