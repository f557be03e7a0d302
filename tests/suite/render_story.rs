//! `render --story` on the seed tour (data/seed-tour.chronomap): the same
//! bytes every run, the frames its schedule counts, each slide held with
//! its own caption card, and the refusals with their exit statuses.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chronomap::atlas::Atlas;
use chronomap::render::{StoryFrame, StorySpec, StoryTiming, render_story, story_state};
use chronomap::scene::{SceneCache, Style};

use crate::common::listing;

/// Small and few frames, so a debug build renders the tour in a second or two.
const SIZE: &str = "480x320";
const TIMING: StoryTiming = StoryTiming {
    fps: 4,
    hold_secs: 1.0,
};

fn tour() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/seed-tour.chronomap")
}

fn command(args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_chronomap"));
    command.args(args);
    command
}

fn chronomap(args: &[&str]) -> std::process::Output {
    command(args).output().unwrap_or_else(|e| panic!("{e}"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = crate::common::scratch_root().join(format!("story-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// `render --story` of the tour into `out`, at the tests' size and timing,
/// started.
fn start_tour(out: &Path) -> std::process::Child {
    let (tour, out) = (tour(), out.to_string_lossy().into_owned());
    let (fps, hold) = (TIMING.fps.to_string(), TIMING.hold_secs.to_string());
    let args = [
        "render",
        &tour.to_string_lossy(),
        "--story",
        "--size",
        SIZE,
        "--fps",
        &fps,
        "--hold",
        &hold,
        "--out",
        &out,
    ];
    command(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A started render's output, once it succeeded.
fn finished(child: std::process::Child) -> std::process::Output {
    let run = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    run
}

/// Each GIF frame's delay in milliseconds.
fn gif_delays(bytes: Vec<u8>) -> Vec<u32> {
    use image::AnimationDecoder as _;
    let decoder = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(bytes));
    let decoder = decoder.unwrap_or_else(|e| panic!("{e}"));
    decoder
        .into_frames()
        .map(|f| {
            let (numer, denom) = f.unwrap_or_else(|e| panic!("{e}")).delay().numer_denom_ms();
            numer / denom.max(1)
        })
        .collect()
}

fn slides() -> usize {
    let opened = chronomap::project::open(&tour()).unwrap_or_else(|e| panic!("{e}"));
    opened.project.view.bookmarks.slides().len()
}

#[test]
fn the_story_gives_the_same_bytes_and_the_scheduled_frames() {
    let dir = scratch("same");
    let slides = slides();
    assert_eq!(slides, 6, "the seed tour");
    // Two runs side by side: the same bytes, whatever else the machine does.
    let runs = [dir.join("a.gif"), dir.join("b.gif")].map(|path| (start_tour(&path), path));
    let gifs = runs.map(|(child, path)| {
        finished(child);
        std::fs::read(path).unwrap_or_default()
    });
    assert!(gifs[0].starts_with(b"GIF89a"));
    assert!(gifs[0] == gifs[1], "two runs, two different GIFs");
    // A held slide is one frame of the hold; a move a frame a period.
    let delays = gif_delays(gifs[0].clone());
    assert_eq!(delays.len() as u64, TIMING.pictures(slides));
    assert_eq!(delays.len(), 11, "6 slides held, 5 moves of a frame");
    let (held, moving) = (1000, 250);
    let want: Vec<u32> = (0..slides)
        .flat_map(|s| {
            if s == 0 {
                vec![held]
            } else {
                vec![moving, held]
            }
        })
        .collect();
    assert_eq!(delays, want);
    // A folder holds a frame per period: each slide's hold repeats.
    let frames = dir.join("frames");
    let run = finished(start_tour(&frames));
    let names = listing(&frames);
    assert_eq!(names.len() as u64, TIMING.periods(slides));
    assert_eq!(names.len(), 29, "6 holds of 4 frames, 5 moves of 1");
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(said.contains("wrote 29 frames in"), "{said}");
    let read = |i: usize| std::fs::read(frames.join(&names[i])).unwrap_or_default();
    assert!(read(0) == read(3), "the first slide holds four frames");
    assert!(read(3) != read(4), "then the move starts");
    assert!(
        read(5) == read(8) && read(4) != read(5),
        "the second slide lands and holds"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The story's frames drawn in the library, as the command draws them.
fn story_frames() -> Vec<StoryFrame> {
    let atlas = Atlas::embedded();
    let opened = chronomap::project::open(&tour()).unwrap_or_else(|e| panic!("{e}"));
    let loaded = chronomap::load::embedded(atlas).unwrap_or_else(|e| panic!("{e}"));
    let state = story_state(Arc::new(loaded.dataset), opened.project.view, atlas);
    let spec = StorySpec {
        timing: TIMING,
        size_px: [480, 320],
        style: Style::light(),
    };
    let cache = SceneCache::new(atlas);
    let frames = render_story(state, atlas, &cache, &spec).unwrap_or_else(|e| panic!("{e}"));
    frames
        .map(|f| f.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// The card's pixels that are text (dark ink) and paper (light), and the
/// card's crop.
fn card_pixels(frame: &StoryFrame) -> (usize, usize, Vec<u8>) {
    let Some(rect) = frame.card else {
        panic!("slide {} has no card", frame.shot.slide);
    };
    let [l, t, r, b] = rect.map(|v| v.round() as u32);
    let (w, h) = frame.image.dimensions();
    assert!(
        r <= w && b <= h,
        "the card {rect:?} leaves the {w}x{h} image"
    );
    let (mut ink, mut paper, mut crop) = (0, 0, Vec::new());
    for y in t + 2..b - 2 {
        for x in l + 2..r - 2 {
            let [red, green, blue, _] = frame.image.get_pixel(x, y).0;
            if red.max(green).max(blue) < 110 {
                ink += 1;
            } else if red.min(green).min(blue) > 235 {
                paper += 1;
            }
            crop.extend([red, green, blue]);
        }
    }
    (ink, paper, crop)
}

#[test]
fn each_slide_is_held_with_its_own_caption_card() {
    let frames = story_frames();
    assert_eq!(frames.len() as u64, TIMING.pictures(6));
    let held: Vec<&StoryFrame> = frames.iter().filter(|f| !f.shot.moving).collect();
    let order: Vec<usize> = held.iter().map(|f| f.shot.slide).collect();
    assert_eq!(order, [0, 1, 2, 3, 4, 5]);
    let mut crops = Vec::new();
    for frame in &held {
        let (ink, paper, crop) = card_pixels(frame);
        let slide = frame.shot.slide;
        assert!(ink > 150, "slide {slide}: {ink} ink pixels in the card");
        assert!(paper > 2 * ink, "slide {slide}: {paper} paper pixels");
        crops.push(crop);
    }
    for (i, a) in crops.iter().enumerate() {
        for b in &crops[i + 1..] {
            assert!(a != b, "two slides show the same card");
        }
    }
    // While the map flies to a slide, the card is already that slide's.
    for frame in frames.iter().filter(|f| f.shot.moving) {
        let landed = held.iter().find(|h| h.shot.slide == frame.shot.slide);
        assert_eq!(frame.card, landed.and_then(|h| h.card));
    }
}

#[test]
fn a_story_is_refused_with_the_status_of_its_fault() {
    let dir = scratch("refused");
    let out = dir.join("story.gif").to_string_lossy().into_owned();
    let tour_text = std::fs::read_to_string(tour()).unwrap_or_default();
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path.to_string_lossy().into_owned()
    };
    let no_slides = write(
        "no-slides.chronomap",
        &tour_text.replace("\"in_story\": true", "\"in_story\": false"),
    );
    let missing = write(
        "missing.chronomap",
        &tour_text.replace("\"files\": []", "\"files\": [{\"path\": \"gone.csv\"}]"),
    );
    let csv = write("events.csv", "id,date\n");
    let tour = tour().to_string_lossy().into_owned();
    let cases: [(&[&str], i32, &str); 6] = [
        (&[&no_slides], 2, "the story has no slides"),
        (&[&csv], 2, "is not a .chronomap project"),
        (&[&tour, &tour], 2, "one project"),
        (&[&tour, "--date", "2025-11-27"], 2, "cannot be used with"),
        (&[&missing], 1, "gone.csv is missing"),
        // 6 slides held and 5 moves of 4 frames at 10 fps: 26 GIF frames.
        (&[&tour, "--max-frames", "25"], 2, "--max-frames 26"),
    ];
    for (args, status, words) in cases {
        let mut all = vec!["render", "--story", "--out", &out];
        all.extend(args);
        let run = chronomap(&all);
        let said = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(status), "{args:?}: {said}");
        assert!(said.contains(words), "{args:?}: {said}");
    }
    let run = chronomap(&["render", &tour, "--date", "2025-11-27", "--out", &out]);
    assert_eq!(run.status.code(), Some(2), "a project without --story");
    assert!(!Path::new(&out).exists(), "nothing was written");
}

/// `render --view` draws the view the project was saved with: the same
/// bytes each run; `--date` moves it; other view flags are refused, as
/// a project without --story or --view is.
#[test]
fn a_projects_view_renders_as_saved_or_at_another_date() {
    let dir = scratch("view");
    let tour = tour().to_string_lossy().into_owned();
    let out = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let render = |extra: &[&str], name: &str| {
        let target = out(name);
        let mut args = vec!["render", &tour, "--view", "--size", SIZE, "--out", &target];
        args.extend(extra);
        let run = chronomap(&args);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{e}"))
    };
    let saved = render(&[], "a.png");
    assert_eq!(saved, render(&[], "b.png"), "the same bytes each run");
    let image = image::load_from_memory(&saved).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((image.width(), image.height()), (480, 320));
    let earlier = render(&["--date", "2025-06-24"], "c.png");
    assert_ne!(earlier, saved, "--date moves the view");
    for (args, words) in [
        (&["--mode", "provinces"][..], "cannot be used with"),
        (&["--story"], "cannot be used with"),
    ] {
        let mut all = vec!["render", &tour, "--view", "--out", "x.png"];
        all.extend(args);
        let run = chronomap(&all);
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&run.stderr).contains(words),
            "{args:?}"
        );
    }
    let run = chronomap(&["render", &tour, "--view", "--out", &out("view.gif")]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains(".png"));
    let run = chronomap(&["render", &tour, "--out", &out("x.png")]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("with --view"));
}
