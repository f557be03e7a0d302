//! A synthetic GDELT 2.0 table made on the server (`tests/support/gdelt_table.rs`,
//! the table the ClickHouse benches time) is recognised as GDELT 2.0, and
//! the answers chronomap's queries give over it (count in a window, the
//! timeline's density, the map's cells, rows read back through the GDELT
//! loader) are those of plain SQL over the same table.

use std::collections::{BTreeMap, BTreeSet};

use chronomap::geometry::lon_lat_from_world;
use chronomap::load::LoadOptions;
use chronomap::model::Day;
use chronomap::remote::{Conn, Shape, Table, TableUrl, block_on};
use chronomap::time::{EventFilter, LonLatBox};

use crate::clickhouse_server::Server;
use crate::gdelt_table::{self, FIRST_ID, GdeltTable};

const ROWS: u64 = 200_000;

/// A cell's events, sums of longitudes and latitudes, and events by root code.
type CellSums = (u64, f64, f64, BTreeMap<String, u64>);
const NAME: &str = "default.gdelt";

/// Rows of a TabSeparated answer, split into cells.
fn tsv(server: &Server, sql: &str) -> Vec<Vec<String>> {
    let text = server.query(sql).unwrap_or_else(|e| panic!("{e}\n{sql}"));
    text.lines()
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

fn yyyymmdd(day: Day) -> u32 {
    let (y, m, d) = day.ymd();
    y as u32 * 10_000 + m * 100 + d
}

fn day_of(yyyymmdd: &str) -> Day {
    let n: u32 = yyyymmdd.parse().expect("a YYYYMMDD number");
    Day::from_ymd((n / 10_000) as i32, n / 100 % 100, n % 100).expect("a date")
}

#[test]
fn a_synthetic_gdelt_table_answers_as_plain_sql_does() {
    let Some(server) = Server::start() else {
        return;
    };
    // Chunks smaller than the table, so chunking is part of what is checked.
    let made = gdelt_table::create_chunked(&server, NAME, ROWS, 75_000, |_| {})
        .expect("the table is made");
    assert_eq!(made.rows, ROWS);
    let url = TableUrl::parse(&server.table_url(NAME)).expect("url");
    let table = Table::open_blocking(&url, None, &LoadOptions::default()).expect("opens");
    assert_eq!(table.schema.shape, Shape::Gdelt2);
    assert_eq!(table.summary.rows, ROWS);
    let stats = &tsv(
        &server,
        &format!(
            "SELECT count(), min(SQLDATE), max(SQLDATE), min(GLOBALEVENTID), max(GLOBALEVENTID), uniqExact(EventRootCode) FROM {NAME}"
        ),
    )[0];
    assert_eq!(stats[0], ROWS.to_string());
    let (first, last) = (day_of(&stats[1]), day_of(&stats[2]));
    assert_eq!(
        (first, last),
        (GdeltTable::first_day(), GdeltTable::last_day())
    );
    assert_eq!(table.summary.span, Some((first, last)));
    assert_eq!(stats[3], FIRST_ID.to_string());
    assert_eq!(stats[4], (FIRST_ID + ROWS - 1).to_string());
    assert_eq!(stats[5], "20", "every CAMEO root occurs");
    let categories = table.categories();
    assert_eq!(categories.len(), 20);
    // The category of a root code, as the table names it.
    let category_of = |root: &str| {
        categories
            .iter()
            .position(|c| c.ends_with(&format!("(CAMEO {root})")))
            .unwrap_or_else(|| panic!("a category for {root} in {categories:?}"))
    };
    // Statements and consultations are common, mass violence rare.
    let by_root: BTreeMap<String, u64> = tsv(
        &server,
        &format!("SELECT EventRootCode, count() FROM {NAME} GROUP BY EventRootCode"),
    )
    .into_iter()
    .map(|r| (r[0].clone(), r[1].parse().expect("a count")))
    .collect();
    assert!(by_root["04"] > 10 * by_root["20"] && by_root["01"] > by_root["19"]);

    let everything = EventFilter::default();
    let id = Conn::query_id;

    // Counts in windows of 1, 7 and 90 days.
    for (start, days) in [("2019-06-01", 1), ("2021-02-26", 7), ("2016-11-15", 90)] {
        let a = Day::parse_iso(start).expect("date");
        let b = a.offset(days - 1);
        let counted = block_on(table.count(Some((a, b)), &everything, &id())).expect("count");
        let sql = tsv(
            &server,
            &format!(
                "SELECT count() FROM {NAME} WHERE SQLDATE BETWEEN {} AND {}",
                yyyymmdd(a),
                yyyymmdd(b)
            ),
        );
        assert_eq!(
            counted.to_string(),
            sql[0][0],
            "count {start} + {days} days"
        );
        assert!(counted > 0);
    }

    // The density by day and by 32 days, from the same day × root counts.
    let per_day: Vec<(Day, usize, u64)> = tsv(
        &server,
        &format!(
            "SELECT SQLDATE, EventRootCode, count() FROM {NAME} GROUP BY SQLDATE, EventRootCode"
        ),
    )
    .into_iter()
    .map(|r| {
        (
            day_of(&r[0]),
            category_of(&r[1]),
            r[2].parse().expect("count"),
        )
    })
    .collect();
    for days_per_bin in [1, 32] {
        let span = (last.0 - first.0 + 1) as usize;
        let histogram = block_on(table.density(&everything, &id())).expect("density");
        // As many bins as make `days_per_bin` days each, as the timeline asks.
        let bins = histogram.bins(
            f64::from(first.0),
            f64::from(last.0),
            span.div_ceil(days_per_bin as usize),
        );
        assert_eq!(bins.days_per_bin, days_per_bin);
        let n = span.div_ceil(days_per_bin as usize);
        assert_eq!((bins.first, bins.last), (first, last));
        assert_eq!(bins.categories, 20);
        let mut expected = vec![0u64; n * 20];
        for &(day, c, count) in &per_day {
            expected[(day.0 - first.0) as usize / days_per_bin as usize * 20 + c] += count;
        }
        assert_eq!(
            bins.counts, expected,
            "density at {days_per_bin} days a bin"
        );
    }

    // The map's cells over western Europe for a month, at two cell sizes.
    let (a, b) = (
        Day::parse_iso("2018-03-01").expect("date"),
        Day::parse_iso("2018-03-31").expect("date"),
    );
    let view = LonLatBox::new(-12.0, 35.0, 25.0, 60.0).expect("a box");
    let window = format!(
        "SQLDATE BETWEEN {} AND {} AND ActionGeo_Lat >= 35 AND ActionGeo_Lat <= 60 \
         AND ActionGeo_Long >= -12 AND ActionGeo_Long <= 25",
        yyyymmdd(a),
        yyyymmdd(b)
    );
    for cell in [1.0 / 64.0, 1.0 / 512.0] {
        let cells = block_on(table.cells((a, b), &everything, &view, cell, &id())).expect("cells");
        let y = "0.5 - log(tan(pi() / 4 + least(greatest(ActionGeo_Lat, -85.0511), 85.0511) * pi() / 360)) / (2 * pi())";
        let expected: BTreeMap<(i64, i64), CellSums> = tsv(
            &server,
            &format!(
                "SELECT toInt64(floor((ActionGeo_Long + 180) / 360 / {cell})) AS cx, \
                 toInt64(floor(({y}) / {cell})) AS cy, EventRootCode, count(), \
                 sum(ActionGeo_Long), sum(ActionGeo_Lat) FROM {NAME} WHERE {window} \
                 GROUP BY cx, cy, EventRootCode"
            ),
        )
        .into_iter()
        .fold(BTreeMap::new(), |mut cells, r| {
            let key = (r[0].parse().expect("cx"), r[1].parse().expect("cy"));
            let n: u64 = r[3].parse().expect("count");
            let entry = cells
                .entry(key)
                .or_insert_with(|| (0, 0.0, 0.0, BTreeMap::new()));
            entry.0 += n;
            entry.1 += r[4].parse::<f64>().expect("lon");
            entry.2 += r[5].parse::<f64>().expect("lat");
            entry.3.insert(r[2].clone(), n);
            cells
        });
        let in_view: u64 = tsv(
            &server,
            &format!("SELECT count() FROM {NAME} WHERE {window}"),
        )[0][0]
            .parse()
            .expect("count");
        assert!(in_view > 100, "{in_view} events in view");
        assert_eq!(cells.iter().map(|c| c.events).sum::<u64>(), in_view);
        assert_eq!(cells.len(), expected.len(), "cells at {cell}");
        for c in &cells {
            let (events, lon_sum, lat_sum, roots) =
                expected.get(&(c.cx, c.cy)).unwrap_or_else(|| {
                    panic!(
                        "cell ({}, {}) of {} events is none of plain SQL's at {cell}: {:?}…",
                        c.cx,
                        c.cy,
                        c.events,
                        expected.iter().take(3).collect::<Vec<_>>()
                    )
                });
            assert_eq!(c.events, *events, "cell {} {}", c.cx, c.cy);
            assert!((c.lon - lon_sum / *events as f64).abs() < 1e-6);
            assert!((c.lat - lat_sum / *events as f64).abs() < 1e-6);
            // The mean point lies in the cell (the grid runs north to
            // south from the top of the map, west to east).
            let [west, north] = lon_lat_from_world([c.cx as f64 * cell, c.cy as f64 * cell]);
            let [east, south] =
                lon_lat_from_world([(c.cx + 1) as f64 * cell, (c.cy + 1) as f64 * cell]);
            assert!(
                (west - 1e-9..=east + 1e-9).contains(&c.lon)
                    && (south - 1e-9..=north + 1e-9).contains(&c.lat),
                "cell {} {} at {} {}",
                c.cx,
                c.cy,
                c.lon,
                c.lat
            );
            // Its category is a root the cell holds (the commonest, but
            // for the server's approximate topK among near ties).
            let root = c
                .category
                .rsplit("(CAMEO ")
                .next()
                .and_then(|r| r.strip_suffix(')'))
                .expect("a CAMEO category");
            assert!(roots.contains_key(root), "{} in {roots:?}", c.category);
        }
    }

    // A day's rows read back through the GDELT loader, with their ids.
    let day = Day::parse_iso("2020-03-15").expect("date");
    let rows =
        block_on(table.rows(Some((day, day)), &everything, None, (0, 1_000), &id())).expect("rows");
    let expected: BTreeSet<String> = tsv(
        &server,
        &format!(
            "SELECT GLOBALEVENTID FROM {NAME} WHERE SQLDATE = {}",
            yyyymmdd(day)
        ),
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    assert!(expected.len() > 10, "{} rows that day", expected.len());
    let got: BTreeSet<String> = rows.events.iter().map(|e| e.id().to_owned()).collect();
    assert_eq!(got, expected);
    let ids: Vec<&str> = rows.events.iter().map(|e| e.id()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "ids in the dataset's order");
    // Each event on its day, at its row's place, in its root's category.
    let points: BTreeMap<String, (f64, f64, String, String)> = tsv(
        &server,
        &format!(
            "SELECT GLOBALEVENTID, ActionGeo_Long, ActionGeo_Lat, EventRootCode, ActionGeo_Type FROM {NAME} WHERE SQLDATE = {}",
            yyyymmdd(day)
        ),
    )
    .into_iter()
    .map(|r| {
        (
            r[0].clone(),
            (
                r[1].parse().expect("lon"),
                r[2].parse().expect("lat"),
                r[3].clone(),
                r[4].clone(),
            ),
        )
    })
    .collect();
    for event in rows.events.iter() {
        let (lon, lat, root, kind) = &points[event.id()];
        assert_eq!(event.days(), (day, day));
        let place = *event.places().first().expect("a place");
        // A country-level row (type 1) is its country, found by the loader;
        // a city's or a point's is the row's point.
        if kind != "1" {
            let [elon, elat] = rows.place_point(place).expect("a point");
            assert!((elon - lon).abs() < 1e-6 && (elat - lat).abs() < 1e-6);
        }
        let category = rows.category_name(event.category());
        assert!(
            category.contains(&format!("CAMEO {root}")),
            "{category} {root}"
        );
    }
}
