//! ClickHouse as a source, against real servers (see `clickhouse_server`):
//! files pushed into a table answer, through the view the window uses, as
//! the same files opened locally do — density, count in the window, the
//! list's ids and order, details — for several dates, windows, searches and
//! categories; on one server and on two shards behind a `Distributed`
//! table. Hostile values reach the server escaped and leave the table as it
//! was; a server that dies mid-query gives words, not a panic, and is used
//! again once it is back.

use std::sync::Arc;
use std::time::Duration;

use chronomap::atlas::Atlas;
use chronomap::export::event_row;
use chronomap::load::{LoadOptions, Loader, Source};
use chronomap::model::{Dataset, Day, Facet};
use chronomap::remote::{Conn, PushOptions, RemoteError, RemoteView, Table, TableUrl, Want, push};
use chronomap::scene::use_basemap;
use chronomap::state::{Command, ViewState};
use chronomap::time::{Choices, DayHistogram, EventFilter, TimeCommand, WindowWidth};

use crate::clickhouse_server::{Cluster, Server};
use crate::common::day;

/// A plain table of `n` events over two years: places, categories and
/// words that vary, spans of one to five days, ids out of date order.
/// With `half`, only the rows whose number has that remainder by two.
fn generated_csv(n: u32, half: Option<u32>) -> String {
    let categories = ["Battles", "Protests", "Riots", "Strategic developments"];
    let words = ["convoy", "market", "bridge", "checkpoint", "airport"];
    let mut text = String::from("id,title,start,end,category,lat,lon,actors\n");
    for i in (0..n).filter(|i| half.is_none_or(|h| i % 2 == h)) {
        let start = Day(20_000 + (i * 7919 % 730) as i32);
        let end = start.offset((i % 5) as i32);
        text.push_str(&format!(
            "g{:05},Event at the {} {},{},{},{},{:.3},{:.3},Group {}\n",
            (i * 4099) % 100_000,
            words[(i % 5) as usize],
            i,
            start,
            end,
            categories[(i % 4) as usize],
            -30.0 + f64::from(i * 37 % 600) / 10.0,
            10.0 + f64::from(i * 53 % 800) / 10.0,
            i % 6
        ));
    }
    text
}

const GENERATED: u32 = 2_500;

/// Files as the app merges them, each a layer: `seed` (the seed article's
/// events), `acled` (a fixture) and the generated table (or half of it).
fn merged(seed: bool, acled: bool, half: Option<u32>) -> Arc<Dataset> {
    let atlas = Atlas::embedded();
    let loader = Loader::new(atlas);
    let file = |path: &str| {
        loader
            .load(Source::path(std::path::Path::new(path)))
            .expect("file loads")
            .dataset
    };
    let mut parts = Vec::new();
    if seed {
        parts.push(file("data/seed-events.json"));
    }
    if acled {
        parts.push(file("tests/fixtures/acled/current_schema.csv"));
    }
    let text = generated_csv(GENERATED, half);
    let generated = loader
        .load(Source::text("generated.csv", &text))
        .expect("generated table loads");
    parts.push(generated.dataset);
    let dataset = Dataset::merge(parts);
    use_basemap(&dataset, atlas);
    Arc::new(dataset)
}

fn local_dataset() -> Arc<Dataset> {
    merged(true, true, None)
}

fn push_all(url: &TableUrl, dataset: &Dataset) {
    let conn = Conn::new(url, None);
    let options = PushOptions {
        batch: 700,
        ..PushOptions::default()
    };
    let report = push(&conn, url, dataset, Atlas::embedded(), options, |_| {}).expect("pushed");
    assert_eq!(report.written as usize, dataset.events.len());
    assert!(report.created && report.left_out.is_empty());
}

fn open(url: &TableUrl) -> Arc<Table> {
    Arc::new(Table::open_blocking(url, None, &LoadOptions::default()).expect("table opens"))
}

fn filter(text: &str, category: Option<&str>) -> EventFilter {
    let mut choices = Choices::default();
    if let Some(c) = category {
        choices.click(Facet::Category, c, false);
    }
    EventFilter {
        text: text.to_owned(),
        choices,
    }
}

/// A local view at `date` with `window` days and `filter`.
fn local_view(dataset: &Arc<Dataset>, date: Day, window: u16, filter: &EventFilter) -> ViewState {
    let mut state = ViewState::new(Arc::clone(dataset));
    state.apply_all([
        Command::Time(TimeCommand::SetCursor(date)),
        Command::Time(TimeCommand::SetWindow(WindowWidth::Days(window))),
        Command::SetFilter(filter.clone()),
    ]);
    while state.is_searching() {
        std::thread::sleep(Duration::from_millis(5));
        state.apply_all([]);
    }
    state
}

/// An event as text (the export's cells), so that two datasets' events
/// compare by value whatever their indices.
fn cells(dataset: &Dataset, i: u32) -> Vec<String> {
    let event = dataset.event(i).expect("event");
    event_row(dataset, Atlas::embedded(), event).expect("row")
}

/// The view over the table answers as the local view does.
fn assert_same_answers(table: &Arc<Table>, dataset: &Arc<Dataset>) {
    let cases: [(&str, u16, &str, Option<&str>); 6] = [
        ("2025-11-26", 1, "", None),
        ("2025-11-27", 7, "larijani", None),
        ("2025-04-03", 3, "", Some("Explosions/Remote violence")),
        ("2025-01-10", 30, "market", None),
        ("2024-12-01", 60, "bridge", Some("Riots")),
        ("2025-06-20", 400, "", Some("Protests")),
    ];
    let mut view = RemoteView::new(Arc::clone(table), Arc::new(|| {}));
    for (date, window, text, category) in cases {
        let filter = filter(text, category);
        let local = local_view(dataset, day(date), window, &filter);
        let (first, last) = local.time().window();
        let (span_first, span_last) = dataset.span().expect("span");
        let binned = |histogram: &DayHistogram| {
            histogram.bins(
                f64::from(span_first.0),
                f64::from(span_last.0),
                if window < 10 { 4096 } else { 64 },
            )
        };
        let bins = binned(local.histogram());
        let want = Want {
            window: (first, last),
            filter: filter.clone(),
            map: None,
            list: (0, 250),
            selected: None,
            facets: true,
        };
        view.ask(&want);
        assert!(view.wait(Duration::from_secs(20)), "answers in time");
        assert_eq!(view.error(), None);
        let case = format!("{date} {window}d '{text}' {category:?}");
        assert_eq!(
            view.count(),
            Some(local.active().len() as u64),
            "count in the window, {case}"
        );
        // The list: the window's events, in a file's order.
        let listed = local.active();
        assert_eq!(
            view.list_len(),
            Some(listed.len() as u64),
            "list length, {case}"
        );
        for (n, &i) in listed.iter().take(250).enumerate() {
            let (page, at) = view.list_row(n as u64).expect("row fetched");
            assert_eq!(
                page.event(at).map(|e| e.id()),
                dataset.event(i).map(|e| e.id()),
                "list row {n}, {case}"
            );
        }
        let density = binned(view.density().expect("density"));
        assert_eq!(
            (density.first, density.days_per_bin),
            (bins.first, bins.days_per_bin),
            "{case}"
        );
        assert_eq!(density.counts, bins.counts, "density, {case}");
        // Each facet's commonest values, counted under the other filters.
        let counts = local.counts().expect("facets counted");
        let index = dataset.facets();
        for (facet, tops) in view.facets().expect("facets").iter() {
            let values = index.values(*facet);
            let mut expected: Vec<(String, u64)> = counts
                .of(*facet)
                .iter()
                .enumerate()
                .filter(|&(_, &n)| n > 0)
                .map(|(v, &n)| (values.name(v as u32).to_owned(), u64::from(n)))
                .collect();
            expected.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            expected.truncate(tops.len().max(1));
            assert_eq!(tops, &expected, "{} facet, {case}", facet.name());
        }
        assert!(!local.active().is_empty(), "a case with events: {case}");
    }
    // Details: each event read back from the table is the value opened
    // from its file.
    for &i in [0u32, 5, 12, 13, 20, 100, 2000].iter() {
        let id = dataset.event(i).expect("event").id().to_owned();
        view.ask(&Want {
            selected: Some(id.clone()),
            ..view_want(dataset)
        });
        assert!(view.wait(Duration::from_secs(20)));
        let one = view.details().expect("details fetched");
        assert_eq!(one.events.len(), 1, "{id}");
        assert_eq!(cells(one, 0), cells(dataset, i), "details of {id}");
    }
}

fn view_want(dataset: &Dataset) -> Want {
    let (first, last) = dataset.span().expect("span");
    Want {
        window: (first, last),
        filter: EventFilter::default(),
        map: None,
        list: (0, 10),
        selected: None,
        facets: false,
    }
}

#[test]
fn a_pushed_table_answers_as_its_files_opened_locally() {
    let Some(server) = Server::start() else {
        return;
    };
    let dataset = local_dataset();
    let url = TableUrl::parse(&server.table_url("default.events")).expect("url");
    push_all(&url, &dataset);
    let table = open(&url);
    assert_eq!(table.summary.rows, dataset.events.len() as u64);
    assert_eq!(table.summary.span, dataset.span());
    assert_eq!(table.categories(), dataset.categories);
    assert_same_answers(&table, &dataset);
    // Push refuses to write into the table again unless told to append.
    let again = push(
        &Conn::new(&url, None),
        &url,
        &dataset,
        Atlas::embedded(),
        PushOptions::default(),
        |_| {},
    );
    assert!(matches!(again, Err(RemoteError::Exists(_))), "{again:?}");
    assert_eq!(
        server
            .query("SELECT count() FROM default.events")
            .as_deref(),
        Ok(format!("{}\n", dataset.events.len()).as_str())
    );
}

#[test]
fn two_shards_behind_a_distributed_table_answer_as_one_file() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let dataset = local_dataset();
    let [a, b] = cluster.shards();
    // About half the events on each shard.
    for (server, part) in [
        (a, merged(true, false, Some(0))),
        (b, merged(false, true, Some(1))),
    ] {
        let url = TableUrl::parse(&server.table_url("default.ev")).expect("url");
        push_all(&url, &part);
    }
    a.query("CREATE TABLE default.evd AS default.ev ENGINE = Distributed(two, default, ev)")
        .expect("distributed table");
    let url = TableUrl::parse(&a.table_url("default.evd")).expect("url");
    let table = open(&url);
    assert_eq!(table.summary.rows, dataset.events.len() as u64);
    assert_same_answers(&table, &dataset);
}
