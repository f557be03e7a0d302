//! The window over a ClickHouse table, driven with egui_kittest against a
//! real server: too many events in view show the server's cells and a
//! notice; zoomed in, the events themselves, which select as a file's do.

use std::time::{Duration, Instant};

use chronomap::atlas::Atlas;
use chronomap::load::{self, Loader, Source};
use chronomap::remote::{Conn, PushOptions, TableUrl, push};
use chronomap::scene::use_basemap;
use chronomap::ui::{AppOptions, ChronomapApp};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use crate::clickhouse_server::Server;

/// 1,200 events over a month: 1,000 spread over the world, 200 in a small
/// square by the map's centre (0° E, 0° N), each at its own point.
fn table_text() -> String {
    let mut text = String::from("id,title,date,category,lat,lon,place\n");
    for i in 0..1_200u32 {
        let (lat, lon) = if i < 1_000 {
            (
                -60.0 + f64::from(i * 37 % 1200) / 10.0,
                -170.0 + f64::from(i * 53 % 3400) / 10.0,
            )
        } else {
            (
                -0.5 + f64::from(i % 10) / 10.0,
                -0.5 + f64::from(i % 20) / 20.0,
            )
        };
        let day = 1 + i % 28;
        text.push_str(&format!(
            "e{i:04},Event {i},2024-02-{day:02},{},{lat:.3},{lon:.3},Spot {i}\n",
            ["Battles", "Protests", "Riots"][(i % 3) as usize],
        ));
    }
    text
}

fn pushed(server: &Server) -> String {
    let atlas = Atlas::embedded();
    let text = table_text();
    let loaded = Loader::new(atlas)
        .load(Source::text("world.csv", &text))
        .expect("loads");
    use_basemap(&loaded.dataset, atlas);
    let address = server.table_url("default.world");
    let url = TableUrl::parse(&address).expect("url");
    push(
        &Conn::new(&url, None),
        &url,
        &loaded.dataset,
        atlas,
        PushOptions::default(),
        |_| {},
    )
    .expect("pushed");
    address
}

/// Runs frames until the table is open and no query is running.
fn settle(harness: &mut Harness<'static, ChronomapApp>) {
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        harness.run_steps(2);
        let done = harness
            .state()
            .remote()
            .is_some_and(|r| r.state().pending() == 0);
        if done {
            harness.run_steps(2);
            let still = harness
                .state()
                .remote()
                .is_some_and(|r| r.state().pending() == 0);
            if still {
                return;
            }
        }
        assert!(Instant::now() < until, "the server answered in time");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_table_shows_its_cells_with_a_notice_then_its_events_when_zoomed_in() {
    let Some(server) = Server::start() else {
        return;
    };
    let address = pushed(&server);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| {
            chronomap::ui::install_fonts(&cc.egui_ctx);
            let loaded = load::Loaded::default();
            let mut app = ChronomapApp::new(loaded, Atlas::embedded(), AppOptions::default());
            app.open_table(&address);
            app
        });
    settle(&mut harness);
    harness
        .state_mut()
        .remote_mut()
        .expect("the table is open")
        .state_mut()
        .view_mut()
        .set_row_limit(500);
    // The whole month in the window, the whole world in view: 1,200
    // events, more than the 500 fetched one by one.
    harness.get_by_label("all").click();
    settle(&mut harness);
    let remote = harness.state().remote().expect("open");
    assert_eq!(remote.state().view().count(), Some(1_200));
    assert_eq!(remote.state().view().in_view(), Some(1_200));
    assert!(remote.state().rows().is_none(), "no rows fetched");
    let notice =
        "of 1,200 events: zoom in or narrow the window to see them one by one (500 at most)";
    assert!(harness.query_by_label_contains(notice).is_some());
    // Zoomed in towards the centre, the 200 events there and a few others
    // are in view: they come one by one, as markers with their places' names.
    for _ in 0..5 {
        harness.get_by_label("+").click();
        settle(&mut harness);
    }
    let remote = harness.state().remote().expect("open");
    let in_view = remote.state().view().in_view().expect("cells");
    assert!((200..=500).contains(&in_view), "{in_view} in view");
    let rows = remote.state().rows().expect("events fetched");
    assert_eq!(rows.dataset().events.len() as u64, in_view);
    assert!(harness.query_by_label_contains("showing").is_none());
    // A cluster of places zooms in on them, until they are markers.
    let spot = |h: &Harness<'static, ChronomapApp>| {
        h.query_all_by_role(Role::Button)
            .filter_map(|n| n.accesskit_node().label())
            .find(|l| l.starts_with("Spot 1"))
    };
    for _ in 0..6 {
        if spot(&harness).is_some() {
            break;
        }
        let cluster = harness
            .query_all_by_role(Role::Button)
            .find(|n| {
                n.accesskit_node()
                    .label()
                    .is_some_and(|l| l.ends_with(" places"))
            })
            .expect("a cluster of places");
        cluster.click();
        settle(&mut harness);
    }
    let label = spot(&harness).expect("a place of the centre is a marker");
    let spot = harness.get_by_label(&label);
    spot.click();
    settle(&mut harness);
    let remote = harness.state().remote().expect("open");
    let selected = remote.state().selected().map(str::to_owned);
    assert!(
        selected.as_deref().is_some_and(|id| id.starts_with("e1")),
        "{selected:?}"
    );
    // The details come from the server: the event's own title.
    let details = remote.state().details().expect("details fetched");
    let title = details.dataset().event(0).map(|e| e.title().to_owned());
    assert_eq!(
        title,
        selected.map(|id| format!(
            "Event {}",
            id.trim_start_matches("e").trim_start_matches('0')
        ))
    );
}

fn chronomap() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_chronomap"))
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = chronomap()
        .args(args)
        .env_remove(chronomap::remote::PASSWORD_VAR)
        .output()
        .expect("chronomap runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `push`, then `check`, `export` and `render` on the table's address as
/// on the file: the same counts and the same exported events.
#[test]
fn the_command_line_takes_a_table_wherever_it_takes_a_file() {
    let Some(server) = Server::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let table = server.table_url("default.seed");
    let (ok, out, err) = run(&["push", "data/seed-events.json", &table]);
    assert!(ok, "{err}");
    assert!(out.contains("pushed 13 events"), "{out}");
    // Never into a table that exists, unless told to append.
    let (ok, _, err) = run(&["push", "data/seed-events.json", &table]);
    assert!(!ok && err.contains("--append"), "{err}");
    let (ok, out, err) = run(&["check", "--json", "--category", "statement", &table]);
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["format"], "ClickHouse chronomap table");
    assert_eq!(json["events"], 13);
    assert_eq!(json["date_min"], "2025-06-01");
    assert_eq!(json["date_max"], "2025-11-27");
    let (_, local, _) = run(&[
        "check",
        "--json",
        "--category",
        "statement",
        "data/seed-events.json",
    ]);
    let local: serde_json::Value = serde_json::from_str(&local).expect("json");
    assert_eq!(json["matching"], local["matching"]);
    assert!(json["matching"].as_u64().is_some_and(|n| n > 0));
    // A box over Khost, Kunar and Paktika: the strikes there are placed by
    // their provinces, which the pushed rows put where the map does.
    let in_box = |input: &str| {
        let (ok, out, err) = run(&["check", "--json", "--bbox", "68,31,72,36", input]);
        assert!(ok, "{err}");
        let json: serde_json::Value = serde_json::from_str(&out).expect("json");
        json["matching"].as_u64()
    };
    let local_in_box = in_box("data/seed-events.json");
    assert!(local_in_box.is_some_and(|n| n > 0), "{local_in_box:?}");
    assert_eq!(in_box(&table), local_in_box);
    let [remote_csv, local_csv] = ["remote.csv", "local.csv"].map(|n| dir.path().join(n));
    for (input, out) in [
        (table.as_str(), &remote_csv),
        ("data/seed-events.json", &local_csv),
    ] {
        let (ok, _, err) = run(&[
            "export",
            input,
            "--date",
            "2025-11-27",
            "--window",
            "7d",
            "--out",
            &out.to_string_lossy(),
        ]);
        assert!(ok, "{err}");
    }
    let remote = std::fs::read_to_string(&remote_csv).expect("written");
    assert_eq!(
        remote,
        std::fs::read_to_string(&local_csv).expect("written")
    );
    assert_eq!(remote.lines().count(), 11, "a header and 10 events");
    let png = dir.path().join("map.png");
    let (ok, _, err) = run(&[
        "render",
        &table,
        "--date",
        "2025-11-26",
        "--window",
        "3d",
        "--out",
        &png.to_string_lossy(),
    ]);
    assert!(ok, "{err}");
    assert!(std::fs::metadata(&png).is_ok_and(|m| m.len() > 10_000));
    // A table that is not there, and a password in the address.
    let (ok, out, _) = run(&["check", &server.table_url("default.nope")]);
    assert!(!ok && out.contains("no table default.nope"), "{out}");
    let address = format!(
        "clickhouse://ana:secret@127.0.0.1:{}/default.seed",
        server.http_port()
    );
    let (ok, out, err) = run(&["check", &address]);
    assert!(!ok, "{out}");
    assert!(
        !out.contains("secret") && !err.contains("secret"),
        "{out}{err}"
    );
    assert!(out.contains("CHRONOMAP_CLICKHOUSE_PASSWORD"), "{out}");
}
