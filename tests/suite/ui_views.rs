//! Views that last, driven through the real app: a project saved and
//! opened in a fresh app, the session kept in eframe's storage, the story
//! presented with the keys, the seed tour, notes.

use std::path::{Path, PathBuf};

use chronomap::atlas::Atlas;
use chronomap::load;
use chronomap::model::Day;
use chronomap::scene::{Camera, MapMode};
use chronomap::state::{BookmarkCommand, Command, View};
use chronomap::time::{TimeCommand, WindowWidth};
use chronomap::ui::{AppOptions, ChronomapApp};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::common::scratch_root;
use super::ui_app::{MemoryStorage, app_with, type_into, wait_for_load, window_of};

fn day(text: &str) -> Day {
    Day::parse_iso(text).expect("valid test date")
}

/// A fresh app with nothing open, made as the window makes it (its
/// storage, when given, is taken up as the window's would be).
fn bare_app(
    options: AppOptions,
    storage: Option<MemoryStorage>,
    then: impl FnOnce(&mut ChronomapApp) + 'static,
) -> Harness<'static, ChronomapApp> {
    let mut harness = window_of(move || {
        let mut app = ChronomapApp::new(load::Loaded::default(), Atlas::embedded(), options);
        app.restore(storage.as_ref().map(|s| s as &dyn eframe::Storage));
        then(&mut app);
        app
    });
    harness.run_steps(2);
    harness
}

/// A folder of its own holding a copy of the crowd fixture (41 events).
fn folder_with_crowd(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch_root().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).expect("folder");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/misc/crowd.json");
    let file = dir.join("data").join("crowd.json");
    std::fs::copy(fixture, &file).expect("copy");
    (dir, file)
}

/// The crowd file open in the app, and a view arranged on it: a date and
/// window, a search, a camera, a mode, a selection with a note, and a
/// bookmark with a caption.
fn arranged(file: &Path) -> Harness<'static, ChronomapApp> {
    let files = vec![file.to_owned()];
    let mut harness = bare_app(AppOptions::default(), None, move |app| {
        app.load_in_background(files);
    });
    wait_for_load(&mut harness, 41);
    let first = harness.state().state().dataset().events.at(3).index();
    harness.state_mut().apply([
        Command::Time(TimeCommand::SetWindow(WindowWidth::Days(3))),
        Command::SetCamera(Camera {
            center_world: [0.69, 0.41],
            px_per_world: 9000.0,
        }),
        Command::Bookmark(BookmarkCommand::Add("Lahore".into())),
        Command::Bookmark(BookmarkCommand::SetCaption(
            0,
            "**Crowd** in *Lahore*".into(),
        )),
        Command::SetMapMode(MapMode::Provinces),
        Command::SetFilterText("lahore".into()),
        Command::Select(Some(first)),
        Command::SetNote(first, "seen twice".into()),
    ]);
    harness.run_steps(2);
    harness
}

fn view_of(harness: &Harness<'_, ChronomapApp>) -> View {
    harness.state().state().view()
}

/// Steps the app until the story's flight has landed.
fn land(harness: &mut Harness<'_, ChronomapApp>) {
    for _ in 0..60 {
        harness.step();
        if !harness.state().state().is_flying() {
            harness.run_steps(2);
            return;
        }
    }
    panic!("the flight did not land");
}

#[test]
fn a_saved_project_opens_in_a_fresh_app_as_it_was_and_moves_with_its_folder() {
    let (dir, file) = folder_with_crowd("project-round-trip");
    let mut harness = arranged(&file);
    let saved = view_of(&harness);
    assert_eq!(saved.bookmarks.list().len(), 1);
    assert!(saved.selection.is_some());
    let project = dir.join("view.chronomap");
    harness
        .state_mut()
        .save_project(&project)
        .expect("the project saves");
    let text = std::fs::read_to_string(&project).expect("read");
    assert!(text.contains("\"path\": \"data/crowd.json\""), "{text}");
    // Opened in a fresh app: the same view, whole.
    let path = project.clone();
    let mut fresh = bare_app(AppOptions::default(), None, move |app| {
        app.open_project(&path);
    });
    wait_for_load(&mut fresh, 41);
    assert_eq!(view_of(&fresh), saved);
    assert_eq!(fresh.state().state().filter().text, "lahore");
    // The folder moves: the project finds its file beside it.
    let moved = scratch_root().join("project-round-trip-moved");
    let _ = std::fs::remove_dir_all(&moved);
    std::fs::rename(&dir, &moved).expect("move the folder");
    let path = moved.join("view.chronomap");
    let mut elsewhere = bare_app(AppOptions::default(), None, move |app| {
        app.open_project(&path);
    });
    wait_for_load(&mut elsewhere, 41);
    assert_eq!(view_of(&elsewhere), saved);
    let _ = std::fs::remove_dir_all(&moved);
}

#[test]
fn a_project_with_a_missing_file_says_so_and_a_newer_one_is_refused() {
    let (dir, file) = folder_with_crowd("project-missing");
    let other = dir.join("data").join("other.json");
    std::fs::copy(&file, &other).expect("copy");
    let mut harness = arranged(&file);
    let project = dir.join("two.chronomap");
    // Saved with a second layer that then goes away.
    let mut two = harness.state().project();
    two.files.push(other.clone());
    chronomap::project::save(&project, &two).expect("saves");
    std::fs::remove_file(&other).expect("remove");
    let path = project.clone();
    harness = bare_app(AppOptions::default(), None, move |app| {
        app.open_project(&path);
    });
    wait_for_load(&mut harness, 41);
    harness.get_by_label_contains("other.json is missing");
    // A project from a newer chronomap opens nothing and says why.
    let newer = dir.join("newer.chronomap");
    std::fs::write(&newer, r#"{"chronomap_project": 99, "view": {}}"#).expect("write");
    let path = newer.clone();
    let mut refused = bare_app(AppOptions::default(), None, move |app| {
        app.open_project(&path);
    });
    refused.run_steps(3);
    refused.get_by_label_contains("made by a newer chronomap");
    assert_eq!(refused.state().state().dataset().events.len(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn closing_and_reopening_brings_back_the_files_date_filters_and_camera() {
    let (dir, file) = folder_with_crowd("session");
    let mut harness = arranged(&file);
    let left = view_of(&harness);
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    assert!(storage.0.contains_key("session"));
    // Started bare: where it was left.
    let resume = AppOptions {
        resume: true,
        ..AppOptions::default()
    };
    let mut reopened = bare_app(resume, Some(storage.clone()), |_| {});
    wait_for_load(&mut reopened, 41);
    let back = view_of(&reopened);
    assert_eq!(back.date, left.date);
    assert_eq!(back.filter, left.filter);
    assert_eq!(back.camera, left.camera);
    assert_eq!(back, left);
    // `--fresh` (no resume): the same storage, nothing taken up.
    let mut fresh = bare_app(AppOptions::default(), Some(storage), |_| {});
    fresh.run_steps(5);
    assert_eq!(fresh.state().state().dataset().events.len(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn present_steps_through_the_story_with_the_keys_and_shows_each_caption() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-25")),
        ..AppOptions::default()
    });
    let khost = Camera {
        center_world: [0.695, 0.405],
        px_per_world: 20_000.0,
    };
    harness.state_mut().apply([
        Command::Bookmark(BookmarkCommand::Add("Strikes".into())),
        Command::Bookmark(BookmarkCommand::SetCaption(
            0,
            "Strikes in **Khost province**".into(),
        )),
        Command::Time(TimeCommand::SetCursor(day("2025-11-27"))),
        Command::SetCamera(khost),
        Command::Bookmark(BookmarkCommand::Add("Meeting".into())),
        Command::Bookmark(BookmarkCommand::SetCaption(
            1,
            "Envoys meet in *the capital*".into(),
        )),
        Command::Bookmark(BookmarkCommand::Add("Left out".into())),
        Command::Bookmark(BookmarkCommand::SetInStory(2, false)),
    ]);
    harness.run_steps(2);
    harness.key_press(egui::Key::F5);
    land(&mut harness);
    assert_eq!(harness.state().presenting(), Some(0));
    assert_eq!(harness.state().state().time().cursor(), day("2025-11-25"));
    harness.get_by_label("Khost province");
    harness.get_by_label("1 of 2");
    // The side panels give way to the map.
    assert!(harness.query_by_label("Details").is_none());
    harness.key_press(egui::Key::ArrowRight);
    land(&mut harness);
    assert_eq!(harness.state().presenting(), Some(1));
    assert_eq!(harness.state().state().time().cursor(), day("2025-11-27"));
    // The camera kept beside the panels, fitted to the wider map that
    // presenting leaves: the same centre, all it showed still shown.
    let state = harness.state().state();
    let kept = state.bookmarks().list()[1]
        .map_px
        .expect("kept with its map");
    let now = state.map_px().expect("laid out");
    assert!(now[0] > kept[0], "presenting widens the map");
    assert_eq!(*state.camera(), khost.for_map(kept, now));
    harness.get_by_label("the capital");
    harness.get_by_label("2 of 2");
    // The last slide is the last: the arrow stays, the bookmark left out
    // of the story is never shown.
    harness.key_press(egui::Key::ArrowRight);
    land(&mut harness);
    assert_eq!(harness.state().presenting(), Some(1));
    harness.key_press(egui::Key::ArrowLeft);
    land(&mut harness);
    assert_eq!(harness.state().presenting(), Some(0));
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert_eq!(harness.state().presenting(), None);
}

#[test]
fn the_seed_tour_opens_from_help_and_every_slide_shows_its_date_and_places() {
    let mut harness = app_with(AppOptions::default());
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    harness.get_by_label("Tour of the seed story").click();
    // The tour loads the embedded events anew, then presents.
    for _ in 0..200 {
        harness.run_steps(1);
        if harness.state().presenting().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    land(&mut harness);
    let slides = harness.state().state().bookmarks().slides();
    assert!((5..=7).contains(&slides.len()), "{}", slides.len());
    for (n, &i) in slides.iter().enumerate() {
        if n > 0 {
            harness.key_press(egui::Key::ArrowRight);
            land(&mut harness);
        }
        assert_eq!(harness.state().presenting(), Some(n));
        let bookmark = harness.state().state().bookmarks().list()[i].clone();
        let state = harness.state().state();
        assert_eq!(state.time().cursor(), bookmark.date, "{}", bookmark.name);
        // The slide's event and every one of its places are on the map.
        let id = bookmark.selection.as_deref().expect("each slide selects");
        let event = state.dataset().find_event(id).expect("the slide's event");
        assert_eq!(state.selection(), Some(event));
        let rect = harness.state().map_rect();
        let scene = harness.state().last_scene();
        for &place in state.dataset().events.at(event as usize).places() {
            let shown = scene.place_areas.iter().find(|a| a.place == place);
            let name = &state.dataset().places.get(place).expect("place").name;
            let area = shown.unwrap_or_else(|| panic!("{name} on {}", bookmark.name));
            let at = egui::pos2(area.anchor[0], area.anchor[1]);
            assert!(rect.contains(at), "{name} at {at:?} on {}", bookmark.name);
        }
        harness.get_by_label(&format!("{} of {}", n + 1, slides.len()));
        harness.get_by_label(&bookmark.name);
    }
}

#[test]
fn a_note_typed_in_the_details_is_kept_with_the_event() {
    let mut harness = app_with(AppOptions {
        date: Some(day("2025-11-27")),
        select: Some("sadiq-bahrami-meeting-islamabad".into()),
        ..AppOptions::default()
    });
    harness.run_steps(2);
    harness.get_by_label("Your note").click();
    harness.run_steps(1);
    harness
        .get_by_label("Your note")
        .type_text("ask the ministry");
    harness.run_steps(2);
    let state = harness.state().state();
    let event = state.selection().expect("selected");
    assert_eq!(state.note(event), Some("ask the ministry"));
    assert_eq!(
        state.notes().get("sadiq-bahrami-meeting-islamabad"),
        Some("ask the ministry")
    );
}

/// File > Save project as… writes where the user types (the ending added),
/// and File > Save project then writes there again without asking.
#[test]
fn the_file_menu_saves_a_project_where_the_user_says() {
    let (dir, file) = folder_with_crowd("save-menu");
    let mut harness = arranged(&file);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Save project as\u{2026}").click();
    harness.run_steps(2);
    let typed = dir.join("by-hand");
    type_into(&mut harness, "Path", &typed.display().to_string());
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    let saved = dir.join("by-hand.chronomap");
    let first = chronomap::project::open(&saved).expect("the project was written");
    assert_eq!(first.project.view, view_of(&harness));
    // A change, then Ctrl+S: the same file, now with the change.
    harness
        .state_mut()
        .apply([Command::SetFilterText("karachi".into())]);
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(2);
    let again = chronomap::project::open(&saved).expect("written again");
    assert_eq!(again.project.view.filter.text, "karachi");
    let _ = std::fs::remove_dir_all(&dir);
}
