use super::*;
use crate::load::ColumnMapping;
use crate::load::dates::SlashOrder;
use crate::model::{Day, Facet};
use crate::scene::{Camera, MapMode, RegionMetric};
use crate::state::{Bookmark, Bookmarks, Notes};
use crate::time::{DensityMode, EventFilter, LonLatBox, Range, WindowRule, WindowWidth};

fn day(text: &str) -> Day {
    Day::parse_iso(text).expect("a test date")
}

fn filter() -> EventFilter {
    let mut filter = EventFilter {
        text: "larijani".into(),
        ..EventFilter::default()
    };
    filter.choices.click(Facet::Country, "Pakistan", false);
    filter.choices.toggle_drop(Facet::Category, "Diplomacy");
    filter.choices.fatalities = Some(Range {
        min: 1,
        max: Some(40),
    });
    filter.choices.area = LonLatBox::new(60.0, 20.0, 80.0, 40.0);
    filter
}

/// A view with every part away from its default.
fn view() -> View {
    let camera = Camera {
        center_world: [0.6812345678901234, 0.3987654321],
        px_per_world: 4321.123456789,
    };
    View {
        date: day("2025-11-27"),
        window: WindowWidth::Days(7),
        rule: WindowRule::CertainlyInside,
        speed_days_per_sec: 5.5,
        camera,
        map_px: Some([1100.0, 620.0]),
        map_mode: MapMode::Provinces,
        metric: RegionMetric::Fatalities,
        density: DensityMode::Spread,
        filter: filter(),
        selection: Some("sadiq-bahrami-meeting-islamabad".into()),
        bookmarks: Bookmarks::from_list(vec![Bookmark {
            name: "Strikes".into(),
            date: day("2025-11-25"),
            window: WindowWidth::Days(3),
            rule: WindowRule::MayOverlap,
            camera,
            map_px: None,
            filter: filter(),
            selection: None,
            caption: "**Strikes** in *Khost*, see [this](https://example.org/a)".into(),
            in_story: false,
        }]),
        notes: [(
            "airstrikes-khost-kunar-paktika".to_owned(),
            "check the count".to_owned(),
        )]
        .into_iter()
        .collect::<Notes>(),
    }
}

fn project(files: Vec<PathBuf>) -> Project {
    Project {
        files,
        load: LoadOptions {
            slash_order: SlashOrder::DayFirst,
            mapping: Some(ColumnMapping {
                date: Some("when".into()),
                place: Some("where".into()),
                ..ColumnMapping::default()
            }),
            ..LoadOptions::default()
        },
        view: view(),
    }
}

#[test]
fn a_project_reads_back_as_it_was_saved_and_moves_with_its_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("folder");
    let events = data.join("events.csv");
    std::fs::write(&events, "date,title\n2025-11-27,x\n").expect("write");
    let saved = project(vec![events.clone()]);
    let path = dir.path().join("view.chronomap");
    save(&path, &saved).expect("saves");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("\"path\": \"data/events.csv\""), "{text}");
    assert!(text.contains("\"chronomap_project\": 1"), "{text}");
    let opened = open(&path).expect("opens");
    assert_eq!(opened.warnings, []);
    assert_eq!(opened.project.view, saved.view);
    assert_eq!(opened.project.load, saved.load);
    // The whole folder moves: the file is found beside the project.
    let moved = tempfile::tempdir().expect("temp dir");
    let target = moved.path().join("moved");
    std::fs::rename(dir.path(), &target).expect("move");
    let opened = open(&target.join("view.chronomap")).expect("opens");
    assert_eq!(
        opened.project.files,
        [target.join("data").join("events.csv")]
    );
    assert_eq!(opened.warnings, []);
}

#[test]
fn a_missing_or_changed_file_is_named_and_the_rest_opens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kept = dir.path().join("a.csv");
    let gone = dir.path().join("b.csv");
    for f in [&kept, &gone] {
        std::fs::write(f, "date,title\n2025-11-27,x\n").expect("write");
    }
    let path = dir.path().join("p.chronomap");
    save(&path, &project(vec![kept.clone(), gone.clone()])).expect("saves");
    std::fs::remove_file(&gone).expect("remove");
    std::fs::write(&kept, "date,title\n2025-11-27,x\n2025-11-28,y\n").expect("write");
    let opened = open(&path).expect("opens");
    assert_eq!(opened.project.files, std::slice::from_ref(&kept));
    assert_eq!(
        opened.warnings,
        [FileWarning::Changed(kept), FileWarning::Missing(gone)]
    );
    assert!(opened.warnings[1].to_string().contains("b.csv is missing"));
}

#[test]
fn a_newer_project_is_refused_and_a_broken_one_names_line_and_field() {
    let path = Path::new("p.chronomap");
    let newer = r#"{"chronomap_project": 9, "view": {}}"#;
    let e = from_json(newer, path, None).expect_err("newer");
    assert!(matches!(e, ProjectError::Newer { found: 9, .. }), "{e}");
    assert!(e.to_string().contains("newer chronomap"), "{e}");
    let good = to_json(&project(Vec::new()), None);
    let broken = good.replace(
        "\"px_per_world\": 4321.123456789",
        "\"px_per_world\": \"far\"",
    );
    assert_ne!(broken, good);
    let e = from_json(&broken, path, None).expect_err("invalid");
    let ProjectError::Invalid { line, field, .. } = &e else {
        panic!("{e}");
    };
    let expected = good
        .lines()
        .position(|l| l.contains("\"px_per_world\": 4321"))
        .expect("the camera's line")
        + 1;
    assert_eq!(*line, expected, "{e}");
    assert_eq!(field, "view.camera.px_per_world", "{e}");
    let truncated = &good[..good.len() / 2];
    let e = from_json(truncated, path, None).expect_err("truncated");
    let ProjectError::Invalid { line, field, .. } = &e else {
        panic!("{e}");
    };
    assert_eq!(*line, truncated.lines().count(), "{e}");
    assert!(
        field.starts_with("view.") || field.starts_with("bookmarks"),
        "{e}"
    );
    assert!(e.to_string().contains("EOF"), "{e}");
    let e = from_json("date,title\n", path, None).expect_err("a table");
    assert!(e.to_string().contains("not a chronomap project"), "{e}");
    let bad_date = good.replacen("\"date\": \"2025-11-27\"", "\"date\": \"27.11.2025\"", 1);
    let e = from_json(&bad_date, path, None).expect_err("bad date");
    assert!(e.to_string().contains("field `view.date`"), "{e}");
    assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
    let no_version = r#"{"view": {}}"#;
    let e = from_json(no_version, path, None).expect_err("no version");
    assert!(e.to_string().contains("no \"chronomap_project\""), "{e}");
    let bad_facet = good.replace("\"country\": {", "\"colour\": {");
    let e = from_json(&bad_facet, path, None).expect_err("unknown facet");
    assert!(e.to_string().contains("'colour' is not a facet"), "{e}");
}

#[test]
fn files_outside_the_project_folder_stay_absolute() {
    let base = Path::new("/data/projects");
    let inside = entry(Path::new("/data/projects/sub/x.csv"), Some(base));
    assert_eq!(inside.path, "sub/x.csv");
    let outside = entry(Path::new("/data/other/y.csv"), Some(base));
    assert_eq!(outside.path, "/data/other/y.csv");
    assert!(is_project(Path::new("a/b.CHRONOMAP")));
    assert!(!is_project(Path::new("a/b.json")));
}

#[test]
fn the_documented_example_and_the_seed_tour_read() {
    let format = include_str!("../../data/FORMAT.md");
    let section = &format[format.find("## Projects").expect("the section")..];
    let start = section.find("```json\n").expect("an example") + "```json\n".len();
    let example = &section[start..start + section[start..].find("```").expect("its end")];
    let opened = from_json(example, Path::new("FORMAT.md"), Some(Path::new("/nowhere")))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        opened.warnings,
        [FileWarning::Missing(PathBuf::from(
            "/nowhere/data/acled-2025.csv"
        ))]
    );
    let view = opened.project.view;
    assert_eq!(view.window, WindowWidth::Days(7));
    assert_eq!(view.bookmarks.slides(), [0]);
    assert_eq!(view.notes.len(), 1);
    let tour = include_str!("../../data/seed-tour.chronomap");
    let opened =
        from_json(tour, Path::new("seed-tour.chronomap"), None).unwrap_or_else(|e| panic!("{e}"));
    assert!(opened.project.files.is_empty(), "the embedded events");
    assert_eq!(opened.project.view.bookmarks.slides().len(), 6);
}

/// The smallest project: a version, a date, a window and a camera. What
/// later versions add (and an older file lacks) takes its default.
#[test]
fn a_project_with_only_what_is_required_opens_with_defaults() {
    let text = r#"{"chronomap_project": 1, "view": {"date": "2025-11-27", "window": "1d",
        "camera": {"center_world": [0.7, 0.4], "px_per_world": 9000}}}"#;
    let opened =
        from_json(text, Path::new("small.chronomap"), None).unwrap_or_else(|e| panic!("{e}"));
    let view = opened.project.view;
    assert_eq!(view.rule, WindowRule::MayOverlap);
    assert_eq!(view.map_mode, MapMode::Points);
    assert_eq!(view.density, DensityMode::EveryDay);
    assert_eq!(view.speed_days_per_sec, 2.0);
    assert!(view.filter.is_empty() && view.selection.is_none());
    assert!(view.bookmarks.list().is_empty() && view.notes.is_empty());
    assert!(opened.project.files.is_empty());
    assert_eq!(opened.project.load, LoadOptions::default());
}
