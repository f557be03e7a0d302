//! The first look at a file: the day it opens on, the weeks the timeline's
//! plot shows, the overview strip above it, and an axis labelled as densely
//! as its width allows.

use chronomap::atlas::Atlas;
use chronomap::load::{self, Loader, Source};
use chronomap::ui::{AppOptions, ChronomapApp};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::common::{day, write_temp};
use crate::ui_app::app_over;

fn seed_app() -> Harness<'static, ChronomapApp> {
    let loaded = load::embedded(Atlas::embedded()).expect("embedded dataset loads");
    app_over(loaded, AppOptions::default())
}

/// The plot x of a day.
fn x(date: &str) -> f64 {
    f64::from(day(date).0)
}

fn view_days(harness: &Harness<'_, ChronomapApp>) -> (f64, f64) {
    harness
        .state()
        .timeline()
        .view_days()
        .expect("the plot was drawn")
}

/// Presses at `from`, moves to `to` in a few steps, and lets go.
fn drag(harness: &mut Harness<'_, ChronomapApp>, from: egui::Pos2, to: egui::Pos2) {
    harness.hover_at(from);
    harness.run_steps(1);
    harness.drag_at(from);
    harness.run_steps(1);
    for t in [0.25, 0.5, 0.75, 1.0] {
        harness.hover_at(from + (to - from) * t);
        harness.run_steps(1);
    }
    harness.drop_at(to);
    harness.run_steps(2);
}

#[test]
fn the_seed_opens_on_27_november_with_the_week_before_it_in_view() {
    let harness = seed_app();
    let app = harness.state();
    assert_eq!(app.state().time().cursor(), day("2025-11-27"));
    let (from, to) = view_days(&harness);
    assert!(
        from <= x("2025-11-20") && to >= x("2025-11-27"),
        "the week before 27 Nov is in view: {from}..{to}"
    );
    let (first, last) = app.state().time().bounds();
    assert!(
        from > f64::from(first.0) + 60.0 && to < f64::from(last.0) + 1.0,
        "the plot shows the last weeks, not the whole span: {from}..{to}"
    );
    // The axis reads as dates, a label every few days.
    let labels = app.timeline().axis_labels();
    assert!(labels.len() >= 12, "{labels:?}");
    assert!(labels.iter().any(|l| l == "26 Nov"), "{labels:?}");
    // The overview says which days the plot shows.
    let overview = harness.get_by_label("Timeline overview");
    let shown = overview.value().unwrap_or_default();
    assert!(shown.ends_with("to 27 Nov 2025"), "{shown}");
}

#[test]
fn a_date_given_on_the_command_line_wins_over_the_opening_day() {
    let loaded = load::embedded(Atlas::embedded()).expect("embedded dataset loads");
    let options = AppOptions {
        date: Some(day("2025-08-03")),
        ..AppOptions::default()
    };
    let harness = app_over(loaded, options);
    assert_eq!(harness.state().state().time().cursor(), day("2025-08-03"));
    let (from, to) = view_days(&harness);
    assert!(
        from < x("2025-08-03") && x("2025-08-03") < to,
        "{from}..{to}"
    );
}

#[test]
fn dragging_the_overview_band_moves_the_plots_days() {
    let mut harness = seed_app();
    let band = harness
        .state()
        .timeline()
        .overview_band()
        .expect("the overview was drawn");
    let before = view_days(&harness);
    let cursor = harness.state().state().time().cursor();
    let from = band.center();
    drag(&mut harness, from, from - egui::vec2(400.0, 0.0));
    let after = view_days(&harness);
    // The strip spans about 180 days over about 1380 points.
    assert!(after.0 < before.0 - 30.0, "{before:?} -> {after:?}");
    assert!(
        ((after.1 - after.0) - (before.1 - before.0)).abs() < 1e-6,
        "the plot keeps its zoom: {before:?} -> {after:?}"
    );
    assert_eq!(harness.state().state().time().cursor(), cursor);
    let moved = harness.state().timeline().overview_band().expect("drawn");
    assert!(
        (moved.center().x - (from.x - 400.0)).abs() < 2.0,
        "{moved:?}"
    );
}

#[test]
fn clicking_the_overview_beside_the_band_centres_the_plot_there() {
    let mut harness = seed_app();
    let strip = harness.get_by_label("Timeline overview").rect();
    let before = view_days(&harness);
    // A quarter of the way along the strip, whose days run from 1 June
    // to 27 November: mid-July.
    let at = egui::pos2(strip.left() + strip.width() / 4.0, strip.center().y);
    harness.hover_at(at);
    harness.run_steps(1);
    harness.drag_at(at);
    harness.drop_at(at);
    harness.run_steps(2);
    let (from, to) = view_days(&harness);
    let middle = (from + to) / 2.0;
    assert!(
        (x("2025-07-08")..=x("2025-07-22")).contains(&middle),
        "centred on {middle}: {from}..{to}"
    );
    assert!(((to - from) - (before.1 - before.0)).abs() < 1e-6);
}

#[test]
fn the_plot_follows_the_cursor_out_of_its_days() {
    let mut harness = seed_app();
    harness.state_mut().apply([chronomap::state::Command::Time(
        chronomap::time::TimeCommand::SetCursor(day("2025-07-01")),
    )]);
    harness.run_steps(3);
    let (from, to) = view_days(&harness);
    assert!(
        from < x("2025-07-01") && x("2025-07-01") < to,
        "{from}..{to}"
    );
}

/// A table of two events a month through 2024.
fn a_year_of_events() -> std::path::PathBuf {
    let mut csv = String::from("id,date,lat,lon,title,place,country,category\n");
    for month in 1..=12 {
        for d in [5, 20] {
            csv.push_str(&format!(
                "e{month}-{d},2024-{month:02}-{d:02},33.7,73.1,Event {month}/{d},Islamabad,PK,Report\n"
            ));
        }
    }
    write_temp("a-year.csv", csv.as_bytes())
}

#[test]
fn a_year_in_view_labels_its_months() {
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::path(&a_year_of_events()))
        .expect("the table loads");
    let mut harness = app_over(loaded, AppOptions::default());
    assert_eq!(harness.state().state().time().cursor(), day("2024-12-20"));
    // A double click shows the plot's whole span again. Its two clicks
    // come in one frame: the harness's frames are a quarter second apart,
    // too slow for a double click.
    let strip = harness.get_by_label("Timeline overview").rect();
    let at = egui::pos2(strip.center().x, strip.bottom() + 15.0);
    harness.hover_at(at);
    harness.run_steps(1);
    for pressed in [true, false, true, false] {
        harness.input_mut().events.push(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run_steps(3);
    let (from, to) = view_days(&harness);
    assert!(
        from <= x("2024-01-05") && to >= x("2024-12-20"),
        "{from}..{to}"
    );
    let labels = harness.state().timeline().axis_labels();
    assert!(labels.len() >= 10, "{labels:?}");
    for month in ["Feb", "Jun", "Nov"] {
        assert!(labels.iter().any(|l| l == month), "{month}: {labels:?}");
    }
}
