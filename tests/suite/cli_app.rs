//! The `chronomap` command as a user runs it: bad files and flags give a
//! readable error and a non-zero exit; `--screenshot` renders the real
//! window under Xvfb and saves a PNG.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

fn chronomap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chronomap"))
}

/// Runs `chronomap` with `args`, checks it exits with `status`, and
/// returns what it said on standard error.
fn refused(args: &[&std::ffi::OsStr], status: i32) -> String {
    let out = chronomap().args(args).output().expect("runs");
    assert_eq!(out.status.code(), Some(status), "{args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = crate::common::scratch_root().join(name);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn a_missing_file_is_named_in_the_error() {
    let err = refused(&["/nonexistent/events.json".as_ref()], 1);
    assert!(err.contains("/nonexistent/events.json"), "{err}");
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn a_file_with_no_readable_events_fails_with_the_line() {
    let dir = temp_dir("bad");
    let path = dir.join("bad.json");
    std::fs::write(
        &path,
        "{\"format\": \"chronomap\", \"version\": 1, \"events\": [\n  {\"id\": \"a\", \"title\": \"A\", \"date\": \"2025-02-31\"}\n]}\n",
    )
    .expect("write fixture");
    let err = refused(&[path.as_os_str()], 1);
    assert!(err.contains("bad.json"), "{err}");
    assert!(err.contains("line 2, field 'date'"), "{err}");
    assert!(err.contains("'2025-02-31' is not a date"), "{err}");
    // The app never writes to the files it opens.
    let after = std::fs::read_to_string(&path).expect("read back");
    assert!(after.contains("2025-02-31"));
}

#[test]
fn a_project_that_cannot_be_read_or_sits_beside_files_is_refused() {
    let dir = temp_dir("projects");
    let broken = dir.join("broken.chronomap");
    std::fs::write(
        &broken,
        "{\"chronomap_project\": 1, \"view\": {\"date\": 5}}",
    )
    .expect("write");
    let err = refused(&[broken.as_os_str()], 1);
    assert!(err.contains("broken.chronomap: line 1"), "{err}");
    assert!(err.contains("field `view.date`"), "{err}");
    let err = refused(&["events.csv".as_ref(), broken.as_os_str()], 2);
    assert!(err.contains("it opens alone"), "{err}");
}

#[test]
fn bad_flags_are_usage_errors() {
    for args in [
        &["--date", "2025-13-01"][..],
        &["--window", "fortnight"],
        &["--size", "10x10"],
        &["--screenshot", "shot.jpg"],
    ] {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        let err = refused(&args, 2);
        assert!(!err.is_empty(), "{args:?} says why");
    }
}

/// An Xvfb server on a free display, killed on drop.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Option<Self> {
        let display = format!(":{}", 90 + std::process::id() % 100);
        let child = Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        std::thread::sleep(std::time::Duration::from_millis(800));
        Some(Self { child, display })
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn screenshot_renders_the_window_under_xvfb() {
    let Some(xvfb) = Xvfb::start() else {
        // CI installs Xvfb (.ci/install-deps); elsewhere it may be absent.
        assert!(std::env::var_os("CI").is_none(), "Xvfb is required in CI");
        eprintln!("skipped: Xvfb is not installed");
        return;
    };
    let path = temp_dir("shot").join("shot.png");
    let data_home = temp_dir("shot-data");
    let out = chronomap()
        .args(["--timings", "--date", "2025-11-25", "--size", "1000x700"])
        .arg("--screenshot")
        .arg(&path)
        .env("DISPLAY", &xvfb.display)
        .env("XDG_DATA_HOME", &data_home)
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let total = stderr
        .lines()
        .find(|l| l.contains("launch to first frame, in all"))
        .unwrap_or_else(|| panic!("no start-up timings in: {stderr}"));
    assert!(total.trim_end().ends_with(" ms"), "{total}");
    // The user's storage (here a stand-in) is left as it was.
    assert!(!data_home.join("chronomap/app.ron").exists());
    let image = image::open(&path).expect("a PNG").to_rgba8();
    assert_eq!((image.width(), image.height()), (1000, 700));
    // The airstrike provinces are lit in the highlight colour somewhere
    // (the light map's or the dark one's: the map follows the system's
    // theme, which a display may or may not say).
    let highlights = [true, false].map(|dark| chronomap::scene::Style::for_theme(dark).highlight.0);
    let lit = image.pixels().filter(|p| {
        highlights.iter().any(|highlight| {
            let d: i32 = (0..3)
                .map(|k| (i32::from(p.0[k]) - i32::from(highlight[k])).abs())
                .sum();
            d < 60
        })
    });
    assert!(lit.count() > 50, "no highlighted pixels in the screenshot");
}

/// `chronomap PROJECT --present` opens the project and presents its story:
/// the window's screenshot has the first slide's caption card over the map.
#[test]
fn a_project_opens_and_presents_from_the_command_line() {
    let Some(xvfb) = Xvfb::start() else {
        assert!(std::env::var_os("CI").is_none(), "Xvfb is required in CI");
        eprintln!("skipped: Xvfb is not installed");
        return;
    };
    let tour = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/seed-tour.chronomap");
    let shots = temp_dir("present");
    let data_home = temp_dir("present-data");
    let mut pictures = Vec::new();
    for present in [false, true] {
        let path = shots.join(format!("present-{present}.png"));
        let mut run = chronomap();
        run.arg(&tour)
            .args(["--size", "1000x700", "--screenshot"])
            .arg(&path);
        if present {
            run.arg("--present");
        }
        let out = run
            .env("DISPLAY", &xvfb.display)
            .env("XDG_DATA_HOME", &data_home)
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        pictures.push(image::open(&path).expect("a PNG").to_rgba8());
    }
    // Presenting, the side panels give way: the window's left edge, where
    // the event list was, now shows the map (and the card over it).
    let [explore, presented] = [&pictures[0], &pictures[1]];
    let differs = (0..700)
        .step_by(10)
        .filter(|&y| explore.get_pixel(40, y) != presented.get_pixel(40, y))
        .count();
    assert!(
        differs > 20,
        "the presentation looks like the explorer ({differs})"
    );
}
