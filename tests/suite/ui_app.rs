//! Drives the real app with egui_kittest: types dates, presses keys, clicks
//! markers, marks and list rows, and checks what the map, timeline, list and
//! details then show.

use chronomap::atlas::Atlas;
use chronomap::load::{self, Loader, Source};
use chronomap::model::{Day, Location};
use chronomap::scene::PlaceState;
use chronomap::time::{DensityMode, WindowRule, WindowWidth};
use chronomap::ui::{AppOptions, ChronomapApp};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

pub(super) fn app_with(options: AppOptions) -> Harness<'static, ChronomapApp> {
    let loaded = load::embedded(Atlas::embedded()).expect("embedded dataset loads");
    app_over(loaded, options)
}

/// The app over `loaded`, after its first frames.
pub(super) fn app_over(
    loaded: load::Loaded,
    options: AppOptions,
) -> Harness<'static, ChronomapApp> {
    let mut harness = window_of(move || ChronomapApp::new(loaded, Atlas::embedded(), options));
    harness.run_steps(3);
    harness
}

/// A 1400×900 window with chronomap's faces, on the app `make` makes.
pub(super) fn window_of(
    make: impl FnOnce() -> ChronomapApp + 'static,
) -> Harness<'static, ChronomapApp> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| {
            chronomap::ui::install_fonts(&cc.egui_ctx);
            make()
        })
}

fn app() -> Harness<'static, ChronomapApp> {
    app_with(AppOptions::default())
}

/// The app over a fixture (a path under tests/fixtures).
fn fixture_app(fixture: &str, options: AppOptions) -> Harness<'static, ChronomapApp> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    file_app(&path, options)
}

/// The app over a file.
fn file_app(path: &std::path::Path, options: AppOptions) -> Harness<'static, ChronomapApp> {
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::path(path))
        .expect("the file loads");
    app_over(loaded, options)
}

/// The app over the crowd fixture: 30 places around Lahore, 10 around
/// Karachi and one in Quetta.
fn crowd_app() -> Harness<'static, ChronomapApp> {
    fixture_app("misc/crowd.json", AppOptions::default())
}

fn day(text: &str) -> Day {
    Day::parse_iso(text).expect("valid test date")
}

/// Types a date into the timeline's date field and confirms it with Enter.
/// Clicks the text field labelled `label`, selects what it holds and
/// types `text` in its place.
pub(super) fn type_into(harness: &mut Harness<'_, ChronomapApp>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label(label).type_text(text);
    harness.run_steps(1);
}

pub(super) fn go_to_date(harness: &mut Harness<'_, ChronomapApp>, date: &str) {
    harness.get_by_label("Date").click();
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Date").type_text(date);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
}

fn choose_window(harness: &mut Harness<'_, ChronomapApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(2);
}

/// The accessible value of the map widget of a place ("highlighted: …").
fn map_value(harness: &Harness<'_, ChronomapApp>, place: &str) -> String {
    harness
        .get_by_role_and_label(Role::Button, place)
        .value()
        .unwrap_or_default()
}

fn event_idx(harness: &Harness<'_, ChronomapApp>, id: &str) -> u32 {
    harness
        .state()
        .state()
        .dataset()
        .find_event(id)
        .unwrap_or_else(|| panic!("event {id}"))
}

fn title_of(harness: &Harness<'_, ChronomapApp>, id: &str) -> String {
    let idx = event_idx(harness, id);
    harness
        .state()
        .state()
        .dataset()
        .events
        .at(idx as usize)
        .title()
        .to_string()
}

#[test]
fn on_27_november_the_islamabad_meeting_is_highlighted_and_the_airstrikes_are_not() {
    let mut harness = app();
    choose_window(&mut harness, "1 day");
    go_to_date(&mut harness, "2025-11-27");
    let state = harness.state().state();
    assert_eq!(state.time().cursor(), day("2025-11-27"));
    assert_eq!(
        state.time().window(),
        (day("2025-11-27"), day("2025-11-27"))
    );

    let meeting = event_idx(&harness, "sadiq-bahrami-meeting-islamabad");
    let strikes = event_idx(&harness, "airstrikes-khost-kunar-paktika");
    assert!(state.is_active(meeting));
    assert!(!state.is_active(strikes));

    assert!(map_value(&harness, "Islamabad").starts_with("highlighted"));
    for province in ["Khost", "Kunar", "Paktika"] {
        let value = map_value(&harness, province);
        assert!(value.starts_with("dimmed"), "{province}: {value}");
    }
    // The timeline mark of each event says whether it is in the window.
    let meeting_mark = harness
        .get_by_role_and_label(
            Role::Button,
            &format!(
                "{} (timeline)",
                title_of(&harness, "sadiq-bahrami-meeting-islamabad")
            ),
        )
        .value()
        .unwrap_or_default();
    assert!(meeting_mark.ends_with("in the window"), "{meeting_mark}");
    let strikes_mark = harness
        .get_by_role_and_label(
            Role::Button,
            &format!(
                "{} (timeline)",
                title_of(&harness, "airstrikes-khost-kunar-paktika")
            ),
        )
        .value()
        .unwrap_or_default();
    assert!(
        strikes_mark.ends_with("outside the window"),
        "{strikes_mark}"
    );
}

/// The strikes happened "earlier this week", sometime on 24–26 Nov: a
/// window of those three days highlights the three provinces; one of those
/// days shows them as places that may have had the strikes then.
#[test]
fn in_the_airstrike_range_the_three_provinces_are_highlighted() {
    let mut harness = app();
    choose_window(&mut harness, "3 days");
    go_to_date(&mut harness, "2025-11-26");
    for province in ["Khost", "Kunar", "Paktika"] {
        let value = map_value(&harness, province);
        assert!(value.starts_with("highlighted"), "{province}: {value}");
    }
    // The scene painted them in the highlight colour.
    let provinces_in = |harness: &Harness<'_, ChronomapApp>, state: PlaceState| {
        let scene = harness.state().last_scene();
        scene
            .place_areas
            .iter()
            .filter(|a| a.shape.is_filled() && a.state == state)
            .count()
    };
    let highlighted = provinces_in(&harness, PlaceState::Active);
    assert!(highlighted >= 3, "{highlighted} provinces highlighted");
    choose_window(&mut harness, "1 day");
    go_to_date(&mut harness, "2025-11-25");
    for province in ["Khost", "Kunar", "Paktika"] {
        let value = map_value(&harness, province);
        assert!(
            value.starts_with("possibly: 1 event in the window"),
            "{province}: {value}"
        );
    }
    let possible = provinces_in(&harness, PlaceState::Possible);
    assert!(possible >= 3, "{possible} provinces drawn as possible");
}

/// The window's rule, beside its width: "may overlap" counts the strikes of
/// "earlier this week" on the 25th, and says how many of the window's events
/// are certain; "certainly inside" leaves them out, and Khost dims.
#[test]
fn the_window_rule_counts_only_what_certainly_happened_in_the_window() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-25")),
        ..AppOptions::default()
    });
    let state = harness.state().state();
    let (active, certain) = (state.active().len(), state.certain_count());
    assert!(certain < active, "{certain} of {active}");
    let counted = |n: usize, c: usize| {
        format!(
            "25 Nov 2025 \u{b7} {n} {} in the window, {c} of them certain",
            if n == 1 { "event" } else { "events" }
        )
    };
    harness.get_by_label(&counted(active, certain));
    assert!(map_value(&harness, "Khost").starts_with("possibly"));
    harness.get_by_label("certainly inside").click();
    harness.run_steps(3);
    let state = harness.state().state();
    assert_eq!(state.time().rule(), WindowRule::CertainlyInside);
    assert_eq!(state.active().len(), certain);
    let events = if certain == 1 { "event" } else { "events" };
    harness.get_by_label(&format!(
        "25 Nov 2025 \u{b7} {certain} {events} certainly in the window"
    ));
    assert!(map_value(&harness, "Khost").starts_with("dimmed"));
}

/// "Bars: spread" makes each event weigh one on the timeline, however many
/// days it may have happened on; "every possible day" counts it on each.
#[test]
fn the_density_spreads_a_range_over_its_days_when_asked() {
    let mut harness = app();
    let total = |harness: &Harness<'_, ChronomapApp>| {
        let state = harness.state().state();
        let (first, last) = state.time().bounds();
        let bins = state
            .histogram()
            .bins(f64::from(first.0), f64::from(last.0), 10_000);
        (0..bins.len())
            .flat_map(|b| (0..bins.categories).map(move |c| (b, c)))
            .map(|(b, c)| bins.events(b, c))
            .sum::<f64>()
    };
    let events = harness.state().state().dataset().events.len() as f64;
    assert_eq!(
        harness.state().state().density_mode(),
        DensityMode::EveryDay
    );
    let every_day = total(&harness);
    assert!(every_day > events * 2.0, "{every_day} event-days");
    harness.get_by_label("spread").click();
    harness.run_steps(2);
    assert_eq!(harness.state().state().density_mode(), DensityMode::Spread);
    let spread = total(&harness);
    assert!(
        (spread - events).abs() < 1e-6,
        "{spread} against {events} events"
    );
    harness.get_by_label("every possible day").click();
    harness.run_steps(2);
    assert!((total(&harness) - every_day).abs() < 1e-9);
}

#[test]
fn arrow_keys_step_a_day_and_the_map_follows() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-26")),
        ..AppOptions::default()
    });
    assert!(map_value(&harness, "Khost").starts_with("possibly"));
    harness.key_press(egui::Key::ArrowRight);
    harness.run_steps(2);
    assert_eq!(harness.state().state().time().cursor(), day("2025-11-27"));
    assert!(map_value(&harness, "Khost").starts_with("dimmed"));
    harness.get_by_label("< Day").click();
    harness.run_steps(2);
    assert_eq!(harness.state().state().time().cursor(), day("2025-11-26"));
}

#[test]
fn selecting_in_the_list_shows_details_and_selects_on_the_map() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-27")),
        ..AppOptions::default()
    });
    let date = "between 24 and 26 Nov 2025, \u{2018}earlier this week\u{2019}";
    let shown_before = harness.query_all_by_value(date).count();
    assert!(harness.query_by_value("10 killed; civilians, including nine children and one woman (Taliban figures, reported)").is_none());
    let title = title_of(&harness, "airstrikes-khost-kunar-paktika");
    harness.get_by_label(&title).click();
    harness.run_steps(3);
    let strikes = event_idx(&harness, "airstrikes-khost-kunar-paktika");
    let state = harness.state().state();
    assert_eq!(state.selection(), Some(strikes));
    // Selecting an event outside the window moves the cursor onto it.
    assert!(state.is_active(strikes));
    for province in ["Khost", "Kunar", "Paktika"] {
        assert!(
            map_value(&harness, province).starts_with("selected"),
            "{province}"
        );
    }
    // The details panel says how surely the date is known (the list shows
    // it shortly) and the toll.
    assert_eq!(harness.query_all_by_value(date).count(), shown_before);
    harness.get_by_value(
        "sometime between 24 and 26 Nov 2025 \u{2014} \u{2018}earlier this week\u{2019}",
    );
    harness.get_by_value(
        "10 killed; civilians, including nine children and one woman (Taliban figures, reported)",
    );
}

#[test]
fn clicking_a_map_marker_selects_its_event_everywhere() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-27")),
        ..AppOptions::default()
    });
    // At the fitted view Islamabad and Rawalpindi are pixels apart: zoom in
    // on Rawalpindi with the wheel first, as a user would.
    for _ in 0..12 {
        let at = harness
            .get_by_role_and_label(Role::Button, "Rawalpindi")
            .rect()
            .center();
        harness.hover_at(at);
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 120.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        harness.run_steps(4);
    }
    let selection_before = harness.state().state().selection();
    assert_eq!(selection_before, None);
    harness
        .get_by_role_and_label(Role::Button, "Rawalpindi")
        .click();
    harness.run_steps(3);
    let munir = event_idx(&harness, "larijani-munir-ghq-rawalpindi");
    assert_eq!(harness.state().state().selection(), Some(munir));
    assert!(map_value(&harness, "Rawalpindi").starts_with("selected"));
    let label = format!(
        "{} (timeline)",
        title_of(&harness, "larijani-munir-ghq-rawalpindi")
    );
    let mark = harness.get_by_role_and_label(Role::Button, &label);
    assert_eq!(
        mark.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True)
    );
}

#[test]
fn clicking_a_timeline_mark_selects_the_event() {
    let mut harness = app();
    let label = format!(
        "{} (timeline)",
        title_of(&harness, "sadiq-bahrami-meeting-islamabad")
    );
    harness.get_by_role_and_label(Role::Button, &label).click();
    harness.run_steps(3);
    let meeting = event_idx(&harness, "sadiq-bahrami-meeting-islamabad");
    assert_eq!(harness.state().state().selection(), Some(meeting));
    assert!(map_value(&harness, "Islamabad").starts_with("selected"));
}

#[test]
fn the_legend_hides_a_category_from_list_and_map() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-25")),
        ..AppOptions::default()
    });
    assert!(map_value(&harness, "Khost").starts_with("possibly"));
    harness
        .get_by_role_and_label(Role::CheckBox, "military strike")
        .click();
    harness.run_steps(2);
    assert!(map_value(&harness, "Khost").starts_with("dimmed"));
    let strikes = event_idx(&harness, "airstrikes-khost-kunar-paktika");
    assert!(!harness.state().state().listed().contains(&strikes));
}

#[test]
fn searching_filters_the_list() {
    let mut harness = app();
    harness.get_by_label("Search").click();
    harness.run_steps(1);
    harness.get_by_label("Search").type_text("blank cheque");
    harness.run_steps(2);
    let listed = harness.state().state().listed().to_vec();
    let interview = event_idx(&harness, "larijani-blank-cheque-interview");
    assert_eq!(listed, vec![interview]);
}

#[test]
fn file_export_events_writes_the_events_in_the_window() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-27")),
        ..AppOptions::default()
    });
    let dir = crate::common::scratch_root().join("ui-export");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("window.csv");
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Export events\u{2026}").click();
    harness.run_steps(2);
    type_into(&mut harness, "Save to", &path.display().to_string());
    harness.get_by_label("Export").click();
    harness.run_steps(2);
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::path(&path))
        .expect("the export loads back");
    let mut exported: Vec<String> = loaded
        .dataset
        .events
        .iter()
        .map(|e| e.id().to_string())
        .collect();
    let state = harness.state().state();
    let mut shown: Vec<String> = state
        .active()
        .iter()
        .map(|&e| state.dataset().events.at(e as usize).id().to_string())
        .collect();
    exported.sort();
    shown.sort();
    assert_eq!(exported, shown);
    assert!(exported.contains(&"sadiq-bahrami-meeting-islamabad".to_owned()));
}

/// Writes a small chronomap JSON file with one event on `date` at `place`.
fn write_dataset(path: &std::path::Path, title: &str, id: &str, date: &str, place: &str) {
    let text = format!(
        r#"{{"format": "chronomap", "version": 1, "title": "{title}", "events": [
  {{"id": "{id}", "title": "{id} title", "date": "{date}", "places": ["{place}"], "category": "report"}}
]}}"#
    );
    std::fs::write(path, text).expect("write fixture");
}

/// A file dropped on the window, as the windowing integration hands it over.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Steps the app until a background load has finished (or gives up).
pub(super) fn wait_for_load(harness: &mut Harness<'_, ChronomapApp>, events: usize) {
    for _ in 0..200 {
        harness.run_steps(1);
        if harness.state().state().dataset().events.len() == events {
            // One more frame so the panels show the new data.
            harness.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the file did not load");
}

#[test]
fn dropped_files_open_as_layers_and_reload_when_changed() {
    let dir = crate::common::scratch_root().join("ui-drop");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    write_dataset(&a, "File A", "in-kabul", "2024-03-01", "Kabul");
    write_dataset(&b, "File B", "in-lima", "2024-03-02", "Lima");
    let mut harness = app();
    for path in [&a, &b] {
        harness
            .input_mut()
            .dropped_files
            .push(std::sync::Arc::new(Dropped(path.to_path_buf())));
        harness.run_steps(1);
    }
    wait_for_load(&mut harness, 2);
    let dataset = harness.state().state().dataset();
    assert_eq!(dataset.layers, ["File A", "File B"]);
    // Hiding a layer hides its events.
    harness
        .get_by_role_and_label(Role::CheckBox, "File B")
        .click();
    harness.run_steps(2);
    let listed = harness.state().state().listed().to_vec();
    assert_eq!(listed.len(), 1);
    // Editing a file on disk reloads it, keeping the date.
    let cursor = harness.state().state().time().cursor();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    write_dataset(&b, "File B", "in-quito", "2024-03-02", "Quito");
    let mut reloaded = false;
    for _ in 0..300 {
        harness.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(20));
        if harness
            .state()
            .state()
            .dataset()
            .find_event("in-quito")
            .is_some()
        {
            reloaded = true;
            break;
        }
    }
    assert!(reloaded, "the changed file was reloaded");
    assert_eq!(harness.state().state().time().cursor(), cursor);
    let after = std::fs::read_to_string(&a).expect("a still there");
    assert!(after.contains("in-kabul"), "files are never written");
}

#[test]
fn f12_shows_and_hides_the_frame_times() {
    let mut harness = app();
    assert!(harness.query_by_label_contains("Scene build").is_none());
    harness.key_press(egui::Key::F12);
    harness.run_steps(2);
    // A label's text is its accessible value.
    let scene = harness
        .get_by_label_contains("Scene build")
        .value()
        .unwrap_or_default();
    assert!(scene.ends_with(" ms"), "{scene}");
    let shapes = harness
        .get_by_label_contains("Shapes:")
        .value()
        .unwrap_or_default();
    // The scene's shapes, plus the retained basemap's land and borders.
    let painted = harness.state().last_scene().shape_count() + 2;
    assert!(
        shapes.starts_with(&format!("Shapes: {painted} ")),
        "{shapes}"
    );
    harness.get_by_label_contains("Frames per second");
    harness.key_press(egui::Key::F12);
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Scene build").is_none());
}

#[test]
fn clicking_a_cluster_zooms_in_until_its_places_show() {
    let mut harness = crowd_app();
    let is_cluster = |label: &str| label.ends_with(" places");
    let clusters = |h: &Harness<'_, ChronomapApp>| {
        h.query_all_by_role(Role::Button)
            .filter_map(|n| n.accesskit_node().label())
            .filter(|l| is_cluster(l))
            .count()
    };
    assert!(clusters(&harness) > 0, "the fitted view has clusters");
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Lahore 7")
            .is_none()
    );
    for _ in 0..6 {
        let zoom = harness.state().state().camera().px_per_world;
        let Some(cluster) = harness
            .query_all_by_role(Role::Button)
            .find(|n| n.accesskit_node().label().is_some_and(|l| is_cluster(&l)))
        else {
            break;
        };
        // The app opens on the first day, when every place has an event.
        let value = cluster.value().unwrap_or_default();
        assert!(value.starts_with("highlighted: "), "{value}");
        cluster.click();
        harness.run_steps(3);
        let closer = harness.state().state().camera().px_per_world;
        assert!(closer >= 2.0 * zoom, "{zoom} -> {closer}");
    }
    // Zoomed in, the places of the clusters clicked are markers with names.
    let named = harness
        .query_all_by_role(Role::Button)
        .filter_map(|n| n.accesskit_node().label())
        .filter(|l| l.starts_with("Lahore ") || l.starts_with("Karachi "))
        .count();
    assert!(named >= 3, "{named} named places");
}

#[test]
fn files_loading_in_the_background_take_the_start_options_when_done() {
    // `chronomap BIG.csv --date D --select ID` opens the window at once on an
    // empty map and loads in the background; the options apply once loaded.
    let dir = crate::common::scratch_root().join("ui-bg");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("acled.csv");
    let mut text = String::from(
        "event_id_cnty,event_date,event_type,actor1,actor2,country,location,latitude,longitude\n",
    );
    for i in 0..3_000 {
        let d = day("2024-01-01").offset(i % 60);
        text.push_str(&format!(
            "PAK{i},{d},Battles,A,B,Pakistan,Lahore,31.5497,74.3436\n"
        ));
    }
    std::fs::write(&path, &text).expect("write");
    let atlas = Atlas::embedded();
    let empty = load::Loaded::default();
    let options = AppOptions {
        date: Some(day("2024-02-10")),
        select: Some("PAK2020".into()),
        files: vec![path.clone()],
        ..AppOptions::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| {
            chronomap::ui::install_fonts(&cc.egui_ctx);
            let mut app = ChronomapApp::new(empty, atlas, options);
            app.load_in_background(vec![path]);
            app
        });
    wait_for_load(&mut harness, 3_000);
    let state = harness.state().state();
    assert_eq!(state.time().cursor(), day("2024-02-10"));
    let selected = state.selection().and_then(|e| state.dataset().event(e));
    assert_eq!(selected.map(|e| e.id()), Some("PAK2020"));
    // The progress bar and its Cancel button are gone.
    assert!(harness.query_by_label("Cancel").is_none());
}

#[test]
fn a_load_started_before_the_window_is_shown_when_done() {
    // `chronomap BIG.csv` starts reading before the window opens, the
    // basemap (which names without coordinates need) fetched only when the
    // load asks for it; the window takes the load over with its options.
    let dir = crate::common::scratch_root().join("ui-early");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("named.csv");
    let mut text = String::from("id,date,place,country,title\n");
    for i in 0..2_000 {
        let d = day("2024-03-01").offset(i % 30);
        text.push_str(&format!("E{i},{d},Lahore,Pakistan,Rally {i}\n"));
    }
    std::fs::write(&path, &text).expect("write");
    let early = chronomap::ui::BackgroundLoad::start(
        vec![path.clone()],
        load::LoadOptions::default(),
        load::AtlasWhenNeeded::Later(&Atlas::embedded),
        false,
    );
    let options = AppOptions {
        date: Some(day("2024-03-20")),
        select: Some("E1519".into()),
        files: vec![path],
        ..AppOptions::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| {
            chronomap::ui::install_fonts(&cc.egui_ctx);
            let mut app = ChronomapApp::new(load::Loaded::default(), Atlas::embedded(), options);
            app.continue_load(early);
            app
        });
    wait_for_load(&mut harness, 2_000);
    let state = harness.state().state();
    assert_eq!(state.dataset().events.len(), 2_000);
    assert_eq!(state.time().cursor(), day("2024-03-20"));
    let selected = state.selection().and_then(|e| state.dataset().event(e));
    assert_eq!(selected.map(|e| e.title()), Some("Rally 1519"));
    // The name was found in the gazetteer: Lahore's point, not none.
    let place = selected
        .and_then(|e| e.places().first().copied())
        .and_then(|p| state.dataset().places.get(p));
    let Some(Location::Point {
        lon_lat: [lon, lat],
    }) = place.clone().and_then(|p| p.location)
    else {
        panic!("Lahore has a point: {place:?}");
    };
    assert!(
        (lat - 31.55).abs() < 0.1 && (lon - 74.34).abs() < 0.1,
        "{lon} {lat}"
    );
    assert!(harness.query_by_label("Cancel").is_none());
    // The facet index is made beside the window once the data is shown,
    // with no search or click asking for it.
    let dataset = std::sync::Arc::clone(harness.state().state().shared_dataset());
    for _ in 0..250 {
        if dataset.facets_ready().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(dataset.facets_ready().is_some(), "the facet index was made");
}

/// The biggest mesh painted in the last frame: the map's tessellated borders.
fn borders_mesh(harness: &Harness<'_, ChronomapApp>) -> std::sync::Arc<egui::epaint::Mesh> {
    harness
        .output()
        .shapes
        .iter()
        .filter_map(|c| match &c.shape {
            egui::Shape::Mesh(mesh) => Some(std::sync::Arc::clone(mesh)),
            _ => None,
        })
        .max_by_key(|m| m.vertices.len())
        .expect("the map paints meshes")
}

#[test]
fn the_basemap_is_tessellated_once_per_camera() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-26")),
        ..AppOptions::default()
    });
    let before = borders_mesh(&harness);
    let map = harness.state().map_rect();
    assert!(before.vertices.len() > 1000, "{}", before.vertices.len());
    assert!(map.intersects(before.calc_bounds()));
    // Stepping through days keeps the same tessellation.
    harness.key_press(egui::Key::ArrowRight);
    harness.run_steps(2);
    assert_eq!(harness.state().state().time().cursor(), day("2025-11-27"));
    assert!(std::sync::Arc::ptr_eq(&before, &borders_mesh(&harness)));
    // Panning makes a new one for the new camera.
    let camera = *harness.state().state().camera();
    let center = map.center();
    harness.drag_at(center);
    harness.run_steps(1);
    harness.hover_at(center + egui::vec2(40.0, 0.0));
    harness.run_steps(1);
    harness.drop_at(center + egui::vec2(40.0, 0.0));
    harness.run_steps(2);
    let panned = *harness.state().state().camera();
    assert!(
        panned.center_world[0] < camera.center_world[0],
        "dragged east"
    );
    assert!(!std::sync::Arc::ptr_eq(&before, &borders_mesh(&harness)));
}

#[test]
fn with_no_events_the_timeline_says_so_instead_of_a_made_up_date() {
    let atlas = Atlas::embedded();
    let empty = load::Loaded::default();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| {
            chronomap::ui::install_fonts(&cc.egui_ctx);
            ChronomapApp::new(empty, atlas, AppOptions::default())
        });
    harness.run_steps(2);
    harness.get_by_label_contains("No events yet");
    assert!(harness.query_by_label("Play").is_none());
    // With events, the controls are back.
    let harness = app();
    harness.get_by_label("Play");
    assert!(harness.query_by_label_contains("No events yet").is_none());
}

#[test]
fn clicking_a_drawn_area_selects_its_event_and_details_say_where() {
    let mut harness = fixture_app(
        "geojson/areas.geojson",
        AppOptions {
            date: Some(day("2025-07-02")),
            ..AppOptions::default()
        },
    );
    assert!(map_value(&harness, "Eastern Khan Younis").starts_with("highlighted"));
    harness
        .get_by_role_and_label(Role::Button, "Eastern Khan Younis")
        .click();
    harness.run_steps(3);
    let order = harness
        .state()
        .state()
        .dataset()
        .events
        .iter()
        .position(|e| e.title() == "Evacuation order for eastern Khan Younis");
    let selected = harness.state().state().selection();
    assert_eq!(selected.map(|i| i as usize), order);
    assert!(map_value(&harness, "Eastern Khan Younis").starts_with("selected"));
    let place = "Eastern Khan Younis (area, PS) \u{b7} an area around 31.3";
    assert!(
        harness
            .query_all_by(|n| n.value().is_some_and(|v| v.starts_with(place)))
            .next()
            .is_some(),
        "the details name the area and where it is"
    );
}

#[test]
fn the_event_list_scrolls_to_the_window_as_the_date_moves() {
    // A year of events, one a day: far more than the list shows at once.
    let dir = crate::common::scratch_root().join("list");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("daily.csv");
    let mut text = String::from("date,title,lat,lon\n");
    let first = day("2025-01-01");
    for n in 0..365 {
        text.push_str(&format!("{},Event number {n},33.7,73.0\n", first.offset(n)));
    }
    std::fs::write(&path, text).expect("write the file");
    let visible = |harness: &Harness<'_, ChronomapApp>, n: i32| {
        harness
            .query_by_label(&format!("Event number {n}"))
            .is_some()
    };
    let mut harness = file_app(
        &path,
        AppOptions {
            date: Some(day("2025-10-01")),
            ..AppOptions::default()
        },
    );
    harness.run_steps(3);
    assert!(visible(&harness, 273), "1 October is event 273");
    assert!(!visible(&harness, 0), "January is scrolled away");
    go_to_date(&mut harness, "2025-01-05");
    harness.run_steps(3);
    assert!(visible(&harness, 4));
    assert!(!visible(&harness, 273));
    let _ = std::fs::remove_dir_all(&dir);
}

/// eframe's storage in memory, standing in for the window's file.
#[derive(Clone, Default)]
pub(super) struct MemoryStorage(pub(super) std::collections::BTreeMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }

    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }

    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }

    fn flush(&mut self) {}
}

#[test]
fn recent_files_are_kept_in_eframes_storage_and_reopen_from_the_menu() {
    let crowd =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/misc/crowd.json");
    let crowd = std::fs::canonicalize(crowd).expect("fixture exists");
    let atlas = Atlas::embedded();
    // A first session opens the file; the harness has no storage, so
    // nothing is kept until the app is asked to save.
    let path = crowd.clone();
    let mut first = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| {
            assert!(cc.storage.is_none(), "tests never see the user's storage");
            let mut app = ChronomapApp::new(load::Loaded::default(), atlas, AppOptions::default());
            app.load_in_background(vec![path]);
            app
        });
    wait_for_load(&mut first, 41);
    let mut storage = MemoryStorage::default();
    eframe::App::save(first.state_mut(), &mut storage);
    assert!(!storage.0.is_empty(), "the recent list was saved");
    let kept = storage.clone();
    // The next session finds it under File > Open recent.
    let mut second = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| {
            chronomap::ui::install_fonts(&cc.egui_ctx);
            let mut app = ChronomapApp::new(load::Loaded::default(), atlas, AppOptions::default());
            app.restore(Some(&storage));
            app
        });
    second.run_steps(2);
    second.get_by_label("File").click();
    second.run_steps(2);
    second.get_by_label("Open recent").click();
    second.run_steps(2);
    second.get_by_label(&crowd.display().to_string()).click();
    wait_for_load(&mut second, 41);
    // A screenshot run writes nothing back, not even what it started with.
    let mut shot = ChronomapApp::new(
        load::Loaded::default(),
        atlas,
        AppOptions {
            screenshot: Some(std::env::temp_dir().join("unused.png")),
            ..AppOptions::default()
        },
    );
    shot.restore(Some(&kept));
    let mut untouched = MemoryStorage::default();
    eframe::App::save(&mut shot, &mut untouched);
    assert!(untouched.0.is_empty());
}

/// A file with more problems of one kind than a report keeps: the Problems
/// window lists the kept ones, counts them all, and says how many it left
/// out.
#[test]
fn the_problems_window_counts_what_it_does_not_list() {
    let mut text = String::from(
        "event_id_cnty,event_date,event_type,actor1,actor2,location,latitude,longitude\n",
    );
    for _ in 0..1_201 {
        text.push_str("PAK1,2024-03-01,Battles,A,B,Lahore,31.5,74.3\n");
    }
    let dir = crate::common::scratch_root().join("ui");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("repeated.csv");
    std::fs::write(&path, text).expect("write the file");
    let harness = file_app(&path, AppOptions::default());
    let kept = load::KEEP_PER_KIND;
    assert!(
        harness
            .query_by_label_contains("1 events loaded, 1200 problems")
            .is_some()
    );
    let left_out = format!("… and {} more duplicate problems, not kept", 1_200 - kept);
    assert!(harness.query_by_label_contains(&left_out).is_some());
    let listed = harness
        .query_all_by_label_contains("duplicate event_id_cnty 'PAK1'")
        .count();
    assert_eq!(listed, kept);
}

#[test]
fn clicking_an_actor_in_the_facets_lists_only_their_events_and_dims_the_rest() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-25")),
        ..AppOptions::default()
    });
    // Larijani's meetings of "the past week" and the strikes of "earlier
    // this week" may both have happened on the 25th.
    assert!(map_value(&harness, "Islamabad").starts_with("possibly"));
    assert!(map_value(&harness, "Khost").starts_with("possibly"));
    harness.get_by_label("actor: Taliban officials").click();
    harness.run_steps(3);
    let state = harness.state().state();
    let dataset = state.dataset();
    let naming: Vec<u32> = (0..dataset.events.len())
        .filter(|&i| {
            let actors = dataset.events.at(i).actors();
            actors.iter().any(|a| a.as_str() == "Taliban officials")
        })
        .map(|i| u32::try_from(i).expect("few events"))
        .collect();
    assert_eq!(naming.len(), 2, "the seed names them twice");
    assert_eq!(state.listed(), naming.as_slice());
    let (first, last) = state.time().window();
    let in_window: Vec<u32> = naming
        .iter()
        .copied()
        .filter(|&e| dataset.events.at(e as usize).overlaps(first, last))
        .collect();
    assert_eq!(state.active(), in_window.as_slice());
    // The strikes may have happened on the 24th or 26th: in the window, not
    // certainly.
    assert_eq!(state.certain_count(), 0);
    let count = format!(
        "{} of {} events \u{b7} {} in the window (0 certainly)",
        naming.len(),
        dataset.events.len(),
        in_window.len()
    );
    harness.get_by_label(&count);
    harness.get_by_label("actor: Taliban officials \u{d7}");
    // The airstrikes name them; the Islamabad meetings do not, and have no
    // timeline mark (nor a row in the list) any more.
    assert!(map_value(&harness, "Khost").starts_with("possibly"));
    assert!(map_value(&harness, "Islamabad").starts_with("dimmed"));
    let meeting = title_of(&harness, "sadiq-bahrami-meeting-islamabad");
    assert!(
        harness.query_by_label(&meeting).is_none(),
        "{meeting} still shown"
    );
    // Its row is marked "≈": it may have happened outside the window.
    let strikes = title_of(&harness, "airstrikes-khost-kunar-paktika");
    let marked = format!("\u{2248} {strikes}");
    assert!(harness.query_all_by_label(&marked).next().is_some());
    // The chip's × lets every event back.
    harness
        .get_by_label("actor: Taliban officials \u{d7}")
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().state().listed().len(), 13);
    assert!(map_value(&harness, "Islamabad").starts_with("possibly"));
}

#[test]
fn names_in_every_script_are_drawn_without_a_missing_glyph() {
    // egui_kittest panics on a glyph no font has: each frame below lays out
    // the titles in the list, the places on the map, the facets' values and
    // the selected event's details.
    let mut harness = fixture_app(
        "misc/scripts.json",
        AppOptions {
            date: Some(day("2024-03-01")),
            ..AppOptions::default()
        },
    );
    for id in ["hasakah", "halab", "tel-aviv", "donetsk", "beijing"] {
        let idx = event_idx(&harness, id);
        harness
            .state_mut()
            .apply([chronomap::state::Command::Select(Some(idx))]);
        harness.run_steps(2);
    }
    // Arabic is shown joined and right to left: the list's title is the
    // display form, not the stored one.
    let shown = chronomap::fonts::display_text("اشتباكات في حلب").into_owned();
    assert_ne!(shown, "اشتباكات في حلب");
    for title in [shown.as_str(), "Clashes in Al Ḩasakah", "北京会议"] {
        assert!(
            harness.get_all_by_label(title).next().is_some(),
            "{title} is listed"
        );
    }
}

/// The day the timeline puts the cursor on for a click at `at`.
fn day_clicked(harness: &mut Harness<'_, ChronomapApp>, at: egui::Pos2) -> Day {
    harness.hover_at(at);
    harness.run_steps(1);
    harness.drag_at(at);
    harness.drop_at(at);
    harness.run_steps(2);
    harness.state().state().time().cursor()
}

#[test]
fn shift_drag_on_the_timeline_brushes_a_window_of_the_dragged_days() {
    let mut harness = app();
    // Two points in the density band at the top of the timeline's plot,
    // just under the overview strip, and the days a click there goes to.
    let y = harness.get_by_label("Timeline overview").rect().bottom() + 15.0;
    let (left, right) = (egui::pos2(420.0, y), egui::pos2(760.0, y));
    let from = day_clicked(&mut harness, left);
    let to = day_clicked(&mut harness, right);
    assert!(from < to, "the clicks land on the timeline: {from} {to}");
    harness.hover_at(right);
    harness.run_steps(1);
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::SHIFT));
    harness.drag_at(right);
    harness.run_steps(1);
    harness.hover_at(egui::pos2(600.0, y));
    harness.run_steps(1);
    harness.hover_at(left);
    harness.run_steps(1);
    harness.drop_at(left);
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    harness.run_steps(2);
    let time = harness.state().state().time();
    let days = u16::try_from(to.0 - from.0 + 1).expect("a short range");
    assert_eq!(time.width(), WindowWidth::Days(days));
    assert_eq!(time.window(), (from, to));
    // The brushed window moves with a plain drag, and keeps its width.
    let later = egui::pos2(900.0, y);
    harness.drag_at(right);
    harness.run_steps(1);
    harness.hover_at(later);
    harness.run_steps(1);
    harness.drop_at(later);
    harness.run_steps(2);
    let time = harness.state().state().time();
    assert_eq!(time.width(), WindowWidth::Days(days));
    assert!(time.cursor() > to, "{} after {to}", time.cursor());
}

#[test]
fn shift_drag_on_the_map_draws_an_area_filter() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-27")),
        ..AppOptions::default()
    });
    let islamabad = event_idx(&harness, "sadiq-bahrami-meeting-islamabad");
    let dataset = harness.state().state().dataset();
    let place = dataset.events.at(islamabad as usize).places()[0];
    let at = harness
        .state()
        .last_scene()
        .place_areas
        .iter()
        .find(|a| a.place == place)
        .map(|a| egui::pos2(a.anchor[0], a.anchor[1]))
        .expect("Islamabad is on the map");
    let (from, to) = (at - egui::vec2(25.0, 25.0), at + egui::vec2(25.0, 25.0));
    let camera = *harness.state().state().camera();
    harness.hover_at(from);
    harness.run_steps(1);
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::SHIFT));
    harness.drag_at(from);
    harness.run_steps(1);
    harness.hover_at(to);
    harness.run_steps(1);
    harness.drop_at(to);
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    harness.run_steps(3);
    let state = harness.state().state();
    assert_eq!(*state.camera(), camera, "a Shift-drag does not pan");
    let area = state.filter().choices.area.expect("an area is chosen");
    let dataset = state.dataset();
    let inside = |e: u32| {
        let event = dataset.events.at(e as usize);
        let first = event.places().first().and_then(|&p| dataset.place_point(p));
        first.is_some_and(|p| area.contains(p))
    };
    let listed = state.listed().to_vec();
    assert!(listed.contains(&islamabad));
    let all = u32::try_from(dataset.events.len()).expect("few");
    assert_eq!(listed, (0..all).filter(|&e| inside(e)).collect::<Vec<_>>());
    assert!(listed.len() < dataset.events.len());
    assert!(
        harness
            .query_all_by_label_contains("area ")
            .next()
            .is_some(),
        "its chip"
    );
}

#[test]
fn in_provinces_mode_the_three_provinces_read_one_event_each() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-25")),
        ..AppOptions::default()
    });
    harness.get_by_label("provinces").click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().state().map_mode(),
        chronomap::scene::MapMode::Provinces
    );
    for province in ["Khost", "Kunar", "Paktika"] {
        let value = map_value(&harness, province);
        assert!(
            value.starts_with("1 event in the window"),
            "{province}: {value}"
        );
    }
    // Sindh has no event in the window: no region widget reads it.
    let sindh: Vec<String> = harness
        .query_all_by_label("Sindh")
        .filter_map(|n| n.value())
        .collect();
    assert!(sindh.iter().all(|v| !v.contains("1 event")), "{sindh:?}");
    // Clicking a filled province keeps only its events.
    harness.get_by_role_and_label(Role::Button, "Khost").click();
    harness.run_steps(3);
    let state = harness.state().state();
    let strikes = state
        .dataset()
        .find_event("airstrikes-khost-kunar-paktika")
        .expect("event");
    assert_eq!(state.listed(), [strikes]);
    // Back to points: the markers and provinces of the places again.
    harness.get_by_label("points").click();
    harness.run_steps(3);
    assert!(map_value(&harness, "Khost").starts_with("possibly"));
}

/// On 26 Nov 2025 the statement naming Iran and Pakistan is known only to
/// the countries: the map draws them as a light wash and a hatch under
/// the provinces of the strikes, and its legend says so.
#[test]
fn countries_known_only_as_countries_are_hatched_and_the_legend_says_so() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-26")),
        ..AppOptions::default()
    });
    harness.run_steps(2);
    harness.get_by_label("known only to the country");
    harness.get_by_label("known to the province or area");
    // The map's colours follow the window's theme.
    let style = chronomap::scene::Style::for_theme(harness.ctx.global_style().visuals.dark_mode);
    let scene = harness.state().last_scene();
    let hatch = [PlaceState::Active, PlaceState::Possible]
        .map(|s| style.region_hatch(s, true).expect("countries are hatched"));
    assert!(
        scene
            .lines
            .iter()
            .filter(|l| hatch.contains(&l.color))
            .count()
            > 50,
        "the countries are hatched"
    );
    // The provinces of the strikes are drawn over the countries' wash.
    let meshes_of = |alpha: u8| {
        scene
            .meshes
            .iter()
            .filter(|m| m.color.0[3] == alpha)
            .count()
    };
    assert!(meshes_of(style.region_fill(PlaceState::Possible, false).0[3]) > 0);
}

/// An ACLED row known only to its province (geo_precision 3, with the
/// province's centre): the app finds the places' regions in points mode
/// too, and draws the province, not a point at its centre.
#[test]
fn the_app_draws_a_centre_known_only_to_its_province_as_the_province() {
    let mut harness = fixture_app(
        "acled/current_schema.csv",
        AppOptions {
            date: Some(day("2025-04-15")),
            ..AppOptions::default()
        },
    );
    harness.run_steps(3);
    let state = harness.state().state();
    assert!(state.needs_place_regions());
    assert!(state.place_regions().is_some(), "found in points mode");
    let dataset = state.dataset();
    let centre = dataset
        .find_event("SOM49701")
        .and_then(|i| dataset.event(i))
        .and_then(|e| e.places().first().copied())
        .expect("the event's place");
    let scene = harness.state().last_scene();
    assert!(scene.markers.iter().all(|m| m.place != centre));
    let drawn = scene.place_areas.iter().find(|a| a.place == centre);
    assert!(
        drawn.is_some_and(|a| matches!(a.shape, chronomap::scene::PlaceShape::Region(_))),
        "{drawn:?}"
    );
}

/// F1 shows the keyboard help, made from the app's one table of keys:
/// every shortcut is listed; F1 again hides it. A key listed there does
/// what it says (F fits the map to the data).
#[test]
fn f1_lists_every_shortcut_and_the_listed_keys_act() {
    let mut harness = app();
    harness.run_steps(2);
    assert!(harness.query_by_label("Play or pause").is_none());
    harness.key_press(egui::Key::F1);
    harness.run_steps(2);
    for words in [
        "Move the date a day back",
        "Move the date a day on",
        "Play or pause",
        "Fit the map to the data (or double-click the map)",
        "Fly the map to the selected event's places",
        "Keep this view as a bookmark",
        "Show or hide this list of keys",
        "Show or hide frame times (CPU per frame, scene, shapes, fps)",
        "Make everything larger",
        "Make everything smaller",
        "Back to the normal size",
    ] {
        harness.get_by_label(words);
    }
    harness.key_press(egui::Key::F1);
    harness.run_steps(2);
    assert!(harness.query_by_label("Play or pause").is_none());
    // Pan away, then F: the camera goes back to the data.
    let fitted = *harness.state().state().camera();
    let map = harness.state().map_rect();
    harness.drag_at(map.center());
    harness.run_steps(1);
    harness.hover_at(map.center() + egui::vec2(80.0, 0.0));
    harness.run_steps(1);
    harness.drop_at(map.center() + egui::vec2(80.0, 0.0));
    harness.run_steps(2);
    assert_ne!(*harness.state().state().camera(), fitted);
    harness.key_press(egui::Key::F);
    harness.run_steps(3);
    let back = *harness.state().state().camera();
    assert_eq!(back.center_world, fitted.center_world);
}

#[test]
fn the_view_menu_switches_the_theme() {
    let mut harness = app();
    harness.run_steps(2);
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("Dark").click();
    harness.run_steps(2);
    assert_eq!(harness.ctx.theme(), egui::Theme::Dark);
    if harness.query_by_label("Light").is_none() {
        harness.get_by_label("View").click();
        harness.run_steps(2);
    }
    harness.get_by_label("Light").click();
    harness.run_steps(2);
    assert_eq!(harness.ctx.theme(), egui::Theme::Light);
}

/// Z (or the details' "Zoom to") flies the map to the selected event's
/// places: the camera moves over several frames, then frames them.
#[test]
fn z_flies_the_map_to_the_selected_events_places() {
    let mut harness = app();
    harness.run_steps(2);
    let strikes = event_idx(&harness, "airstrikes-khost-kunar-paktika");
    harness
        .state_mut()
        .apply([chronomap::state::Command::Select(Some(strikes))]);
    harness.run_steps(2);
    let before = *harness.state().state().camera();
    // A frame takes the key (and starts the flight); the next moves the
    // camera a quarter of a second (kittest's step) of the half second.
    harness.key_press(egui::Key::Z);
    harness.step();
    if !harness.state().state().is_flying() {
        harness.step();
    }
    assert!(harness.state().state().is_flying(), "on its way");
    let midway = *harness.state().state().camera();
    assert_ne!(midway, before);
    for _ in 0..120 {
        if !harness.state().state().is_flying() {
            break;
        }
        harness.step();
    }
    assert!(!harness.state().state().is_flying(), "landed");
    let landed = *harness.state().state().camera();
    assert!(
        landed.px_per_world > 2.0 * before.px_per_world,
        "closer: {landed:?}"
    );
    // Khost, Kunar and Paktika are in view.
    let viewport = {
        let r = harness.state().map_rect();
        chronomap::scene::Viewport {
            min: [r.min.x, r.min.y],
            size: [r.width(), r.height()],
        }
    };
    for lon_lat in [[69.9, 33.3], [71.0, 34.9], [68.8, 32.6]] {
        let at = landed.screen_from_world(&viewport, chronomap::atlas::world_from_lon_lat(lon_lat));
        assert!(viewport.contains(at, 0.0), "{lon_lat:?} on screen");
    }
    // The button does the same from elsewhere.
    harness
        .state_mut()
        .apply([chronomap::state::Command::SetCamera(before)]);
    harness.run_steps(2);
    harness.get_by_label("Zoom to").click();
    for _ in 0..120 {
        harness.step();
        if !harness.state().state().is_flying() {
            break;
        }
    }
    assert_eq!(*harness.state().state().camera(), landed);
}

/// Two bookmarks made with Ctrl+B; a click on the first brings its date
/// and camera back after the flight.
#[test]
fn two_bookmarks_and_a_click_brings_the_first_view_back() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-25")),
        ..AppOptions::default()
    });
    harness.run_steps(2);
    let first_camera = *harness.state().state().camera();
    let ctrl_b = |harness: &mut Harness<'_, ChronomapApp>| {
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::B);
        harness.run_steps(2);
    };
    ctrl_b(&mut harness);
    // Elsewhere in time and space, and a second bookmark.
    go_to_date(&mut harness, "2025-11-27");
    let elsewhere = chronomap::scene::Camera {
        center_world: [0.3, 0.3],
        px_per_world: 2000.0,
    };
    harness
        .state_mut()
        .apply([chronomap::state::Command::SetCamera(elsewhere)]);
    harness.run_steps(2);
    ctrl_b(&mut harness);
    let names: Vec<String> = harness
        .state()
        .state()
        .bookmarks()
        .list()
        .iter()
        .map(|b| b.name.clone())
        .collect();
    assert_eq!(names, ["View 1", "View 2"]);
    harness.get_by_label("View 1").click();
    for _ in 0..20 {
        harness.step();
        if !harness.state().state().is_flying() {
            break;
        }
    }
    let state = harness.state().state();
    assert_eq!(state.time().cursor(), day("2025-11-25"));
    assert_eq!(*state.camera(), first_camera);
}
