//! `chronomap render`: the map as a PNG for a date, or as an animation (a
//! GIF, or numbered PNG frames in a folder) over a date range or through a
//! project's story (see [`super::story`]), drawn on the CPU so it runs
//! without a display or GPU.
//!
//! Exit status: 0 when the file was written, 1 when a file could not be
//! loaded or written, 2 for a usage error (bad date, size, box, path, too
//! many frames). An animation is written frame by frame as it is drawn
//! (one frame in memory) into a temporary file or folder that replaces the
//! output only once complete, so a failure leaves nothing half-written.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use super::remote::files_or_table;
use super::story::{parse_hold, run_story, run_view};
use super::{FilterFlags, LoadFlags};
use crate::atlas::Atlas;
use crate::export::{
    AnimationError, AnimationOut, AnimationWritten, write_animation, write_atomic,
};
use crate::model::{Dataset, Day};
use crate::project::is_project;
use crate::render::{
    AnimationSpec, Extent, FigureSpec, MAX_FPS, MAX_FRAMES, RenderError, check_frame_count,
    encode_png, frame_count, in_mode, parse_image_size, render, render_frames, view_at,
};
use crate::scene::{MapMode, SceneCache, Style};
use crate::state::{Command, ViewState};
use crate::time::{Choices, TimeCommand, WindowRule, WindowWidth};

/// Arguments of `chronomap render`.
#[derive(clap::Args, Clone, Debug)]
pub struct RenderArgs {
    /// Event files to draw (the embedded dataset when none are given; `-`
    /// is standard input, and .gz and .zip files open as they are), or one
    /// .chronomap project with --story or --view.
    pub files: Vec<PathBuf>,
    /// Render the story of the project given: each slide held, the moves
    /// between them, the captions on the frames (a .gif or a folder).
    #[arg(long, conflicts_with_all = ["date", "from", "to", "step", "window", "bbox", "mode", "window_rule", "delay_ms", "FilterFlags", "LoadFlags"])]
    pub story: bool,
    /// Render the view the project given was saved with, as a PNG: its
    /// date (or --date's), window, filters, map mode and camera.
    #[arg(long, conflicts_with_all = ["story", "from", "to", "step", "window", "bbox", "mode", "window_rule", "delay_ms", "hold", "fps", "FilterFlags", "LoadFlags"])]
    pub view: bool,
    /// With --story: seconds each slide is held (default 3).
    #[arg(long, value_name = "SECONDS", value_parser = parse_hold)]
    pub hold: Option<f64>,
    /// With --story: frames per second of the moves between slides
    /// (default 10). A held slide is one GIF frame; in a folder, as many
    /// frames as the hold lasts at this rate.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_FPS)))]
    pub fps: Option<u32>,
    /// How to read ambiguous dates and unrecognised columns.
    #[command(flatten)]
    pub load: LoadFlags,
    /// The date to draw (YYYY-MM-DD): the window ends on it.
    #[arg(long, value_parser = parse_day, conflicts_with_all = ["from", "to"])]
    pub date: Option<Day>,
    /// First frame of an animation (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day, requires = "to")]
    pub from: Option<Day>,
    /// Last possible frame of an animation (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day, requires = "from")]
    pub to: Option<Day>,
    /// Days between animation frames: 1d, 2d, 7d...
    #[arg(long, default_value = "1d", value_parser = parse_step)]
    pub step: u16,
    /// The window: 1d, 3d, 7d, Nd or all (default 1d; for an animation, the step).
    #[arg(long, value_parser = WindowWidth::parse)]
    pub window: Option<WindowWidth>,
    /// Show this box instead of fitting the data, and only the events whose
    /// first place lies in it (as `check` and `export` take it):
    /// WEST,SOUTH,EAST,NORTH in degrees.
    #[arg(long, value_parser = parse_bbox, allow_hyphen_values = true)]
    pub bbox: Option<[f64; 4]>,
    /// Image size in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1400x900", value_parser = parse_image_size)]
    pub size: [u32; 2],
    /// Which events to show, as the app's facets choose them.
    #[command(flatten)]
    pub filters: FilterFlags,
    /// Draw the events' places (points), or fill provinces or countries by
    /// the events in the window, with the ramp's legend.
    #[arg(long, default_value = "points", value_parser = parse_mode)]
    pub mode: MapMode,
    /// Which events the window holds: those that may overlap it (drawn
    /// hollow or hatched when they only may), or only those certainly
    /// inside it.
    #[arg(long, default_value = "may-overlap", value_parser = WindowRule::parse)]
    pub window_rule: WindowRule,
    /// How long each GIF frame shows, in milliseconds.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(20..=60_000))]
    pub delay_ms: u32,
    /// Where to write: a .png for one date; a .gif, or a folder (for
    /// frame-0001.png...), for an animation. A folder's frames of an
    /// earlier render are replaced by the new set.
    #[arg(long)]
    pub out: PathBuf,
    /// The most frames an animation may have: a longer one stops before
    /// anything is drawn.
    #[arg(long, value_name = "N", default_value_t = MAX_FRAMES)]
    pub max_frames: usize,
}

/// Where an output goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Output {
    Png(PathBuf),
    Gif(PathBuf),
    Frames(PathBuf),
}

/// Runs `chronomap render`.
pub fn run_render(args: &RenderArgs) -> ExitCode {
    if args.story {
        return run_story(args);
    }
    if args.view {
        return run_view(args);
    }
    if args.hold.is_some() || args.fps.is_some() {
        return fail("--hold and --fps time a story: they go with --story", 2);
    }
    if let Some(p) = args.files.iter().find(|f| is_project(f)) {
        let message = format!(
            "{} is a project: render its story with --story, or its view with --view",
            p.display()
        );
        return fail(&message, 2);
    }
    if args.date.is_none() && args.from.is_none() {
        return fail(
            "--date (one picture) or --from/--to (an animation) is needed",
            2,
        );
    }
    let output = match output_kind(&args.out, args.from.is_some()) {
        Ok(o) => o,
        Err(message) => return fail(&message, 2),
    };
    if let Err(message) = check_frames(args) {
        return fail(&message, 2);
    }
    if let Err(message) = check_folder(&args.out) {
        return fail(&message, 1);
    }
    let atlas = Atlas::embedded();
    let dataset = match inputs(args) {
        Ok(d) => Arc::new(d),
        Err(message) => return fail(&message, 1),
    };
    let choices = match args.filters.choices(&dataset, atlas, args.bbox) {
        Ok(choices) => choices,
        Err(message) => return fail(&message, 2),
    };
    let figure = FigureSpec {
        size_px: args.size,
        extent: args.bbox.map_or(Extent::Data, Extent::LonLatBox),
        style: Style::light(),
    };
    let animation = match output {
        Output::Png(path) => return write_png(args, &path, &dataset, &choices, atlas, &figure),
        Output::Gif(path) => AnimationOut::Gif {
            path,
            delay_ms: args.delay_ms,
        },
        Output::Frames(dir) => AnimationOut::Frames(dir),
    };
    write_frames(args, &animation, &dataset, choices, atlas, figure)
}

/// The files, or a table's events in the days drawn.
fn inputs(args: &RenderArgs) -> Result<Dataset, String> {
    // An animation's first frame shows the window ending on `from`.
    let days = || match (args.date, args.from, args.to) {
        (Some(date), ..) => args.window.unwrap_or(WindowWidth::Days(1)).ending(date),
        (None, Some(from), Some(to)) => args
            .window
            .unwrap_or(WindowWidth::Days(args.step))
            .ending(from)
            .map(|(first, _)| (first, to)),
        _ => None,
    };
    files_or_table(
        &args.files,
        &args.load.options(),
        days,
        &args.filters,
        args.bbox,
    )
}

pub(super) fn fail(message: &str, code: u8) -> ExitCode {
    eprintln!("chronomap: {message}");
    ExitCode::from(code)
}

/// An animation's frame count, checked before anything is loaded or drawn.
fn check_frames(args: &RenderArgs) -> Result<(), String> {
    let (Some(from), Some(to)) = (args.from, args.to) else {
        return Ok(());
    };
    let count = frame_count(from, to, i32::from(args.step));
    match check_frame_count(count, args.max_frames) {
        Ok(_) => Ok(()),
        Err(e @ RenderError::TooManyFrames { .. }) => {
            Err(format!("{e}, or allow them with --max-frames {count}"))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// One date's map as a PNG.
fn write_png(
    args: &RenderArgs,
    path: &Path,
    dataset: &Arc<Dataset>,
    choices: &Choices,
    atlas: &Atlas,
    figure: &FigureSpec,
) -> ExitCode {
    let Some(date) = args.date else {
        return fail("--date or --from/--to is needed", 2);
    };
    let window = args.window.unwrap_or(WindowWidth::Days(1));
    let mut state = match view_at(Arc::clone(dataset), date, window, choices) {
        Ok(state) => state,
        Err(e) => return fail(&e.to_string(), 2),
    };
    state.apply_all([Command::Time(TimeCommand::SetRule(args.window_rule))]);
    in_mode(&mut state, atlas, args.mode);
    write_picture(path, &state, atlas, figure)
}

/// Draws `state` as `figure` and writes it to `path` as a PNG, atomically.
pub(super) fn write_picture(
    path: &Path,
    state: &ViewState,
    atlas: &Atlas,
    figure: &FigureSpec,
) -> ExitCode {
    let cache = SceneCache::new(atlas);
    let bytes = render(state, atlas, &cache, figure)
        .ok_or_else(|| RenderError::Size(figure.size_px).to_string())
        .and_then(|rendered| encode_png(&rendered.image).map_err(|e| e.to_string()));
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(message) => return fail(&message, 2),
    };
    if let Err(e) = write_atomic(path, &bytes) {
        return fail(&format!("cannot write {}: {e}", path.display()), 1);
    }
    println!(
        "chronomap: wrote {} ({} KiB)",
        path.display(),
        bytes.len().div_ceil(1024)
    );
    ExitCode::SUCCESS
}

/// An animation, each frame written away as soon as it is drawn.
fn write_frames(
    args: &RenderArgs,
    out: &AnimationOut,
    dataset: &Arc<Dataset>,
    choices: Choices,
    atlas: &Atlas,
    figure: FigureSpec,
) -> ExitCode {
    let (Some(from), Some(to)) = (args.from, args.to) else {
        return fail("--date or --from/--to is needed", 2);
    };
    let spec = AnimationSpec {
        from,
        to,
        step_days: i32::from(args.step),
        window: args.window.unwrap_or(WindowWidth::Days(args.step)),
        rule: args.window_rule,
        choices,
        mode: args.mode,
        figure,
    };
    let cache = SceneCache::new(atlas);
    let written = render_frames(dataset, atlas, &cache, &spec, args.max_frames)
        .map_err(AnimationError::from)
        .and_then(|frames| write_animation(out, frames.map(|f| f.map(|f| f.rendered.image))));
    match written {
        Ok(written) => report_written(out, &written),
        Err(e @ AnimationError::Write { .. }) => fail(&e.to_string(), 1),
        Err(e) => fail(&e.to_string(), 2),
    }
}

/// Says what an animation's writing did: the frames, where, how big, and
/// the earlier frames it replaced.
pub(super) fn report_written(out: &AnimationOut, written: &AnimationWritten) -> ExitCode {
    if let Some(words) = written.replaced.words(out.path()) {
        eprintln!("chronomap: {words}");
    }
    let what = match out {
        AnimationOut::Frames(dir) => format!("{} frames in {}", written.frames, dir.display()),
        AnimationOut::Gif { path, .. } => {
            format!("{} frames to {}", written.frames, path.display())
        }
    };
    println!(
        "chronomap: wrote {what} ({} KiB)",
        written.bytes.div_ceil(1024)
    );
    ExitCode::SUCCESS
}

/// What `out` asks for, checked against whether an animation was asked.
pub(super) fn output_kind(out: &Path, animation: bool) -> Result<Output, String> {
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    let folder = out.to_string_lossy().ends_with(['/', '\\']) || out.is_dir() || ext.is_none();
    match (animation, ext.as_deref(), folder) {
        (_, _, true) if animation => Ok(Output::Frames(out.to_owned())),
        (false, Some("png"), false) => Ok(Output::Png(out.to_owned())),
        (true, Some("gif"), false) => Ok(Output::Gif(out.to_owned())),
        (false, _, _) => Err(format!(
            "--out {} must be a .png file for one date (use --from/--to for an animation)",
            out.display()
        )),
        (true, _, _) => Err(format!(
            "--out {} must be a .gif file or a folder for an animation",
            out.display()
        )),
    }
}

/// The folder the output goes in must exist (a frames folder may be new,
/// but its parent must exist).
pub(super) fn check_folder(out: &Path) -> Result<(), String> {
    let path = out.parent();
    let parent = path
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if parent.is_dir() {
        Ok(())
    } else {
        Err(format!(
            "cannot write there: the folder {} does not exist",
            parent.display()
        ))
    }
}

/// A `YYYY-MM-DD` date.
///
/// # Errors
/// A message naming the expected form.
pub fn parse_day(text: &str) -> Result<Day, String> {
    Day::parse_iso(text).ok_or_else(|| format!("'{text}' is not a date in the form YYYY-MM-DD"))
}

/// A whole number of days, `Nd` (N ≥ 1).
///
/// # Errors
/// A message naming the form.
pub fn parse_step(text: &str) -> Result<u16, String> {
    text.trim()
        .to_lowercase()
        .strip_suffix('d')
        .and_then(|n| n.parse::<u16>().ok())
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("'{text}' is not a number of days: use 1d, 2d, 7d..."))
}

/// Parses a map mode: points, provinces or countries.
///
/// # Errors
/// Any other word.
pub fn parse_mode(text: &str) -> Result<MapMode, String> {
    MapMode::from_name(text)
        .ok_or_else(|| format!("{text:?} is not a map mode: points, provinces or countries"))
}

/// `WEST,SOUTH,EAST,NORTH` in degrees, west of east and south of north.
///
/// # Errors
/// A message naming the form and what is wrong.
pub fn parse_bbox(text: &str) -> Result<[f64; 4], String> {
    let parts: Vec<f64> = text
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("'{text}' is not a box: use WEST,SOUTH,EAST,NORTH in degrees"))?;
    let Ok([w, s, e, n]) = <[f64; 4]>::try_from(parts) else {
        return Err(format!(
            "'{text}' is not a box: use four numbers WEST,SOUTH,EAST,NORTH"
        ));
    };
    let lon_ok = |v: f64| (-180.0..=180.0).contains(&v);
    let lat_ok = |v: f64| (-85.0..=85.0).contains(&v);
    if !(lon_ok(w) && lon_ok(e) && lat_ok(s) && lat_ok(n)) {
        return Err(format!(
            "'{text}': longitudes must be -180 to 180 and latitudes -85 to 85"
        ));
    }
    if w >= e || s >= n {
        return Err(format!(
            "'{text}': WEST must be less than EAST and SOUTH less than NORTH"
        ));
    }
    Ok([w, s, e, n])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_parse_or_say_why() {
        assert_eq!(parse_bbox("60,25,75,37"), Ok([60.0, 25.0, 75.0, 37.0]));
        assert!(parse_bbox("75,25,60,37").is_err());
        assert!(parse_bbox("1,2,3").is_err());
        assert_eq!(WindowWidth::parse("7d"), Ok(WindowWidth::Days(7)));
        assert_eq!(
            WindowRule::parse("certainly-inside"),
            Ok(WindowRule::CertainlyInside)
        );
        assert_eq!(WindowRule::parse("May-Overlap"), Ok(WindowRule::MayOverlap));
        assert!(WindowRule::parse("inside").is_err());
        assert_eq!(WindowWidth::parse("ALL"), Ok(WindowWidth::All));
        assert!(WindowWidth::parse("0d").is_err());
        assert_eq!(parse_step("2d"), Ok(2));
    }

    #[test]
    fn the_output_path_picks_the_kind() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(output_kind(&p("a.png"), false), Ok(Output::Png(p("a.png"))));
        assert_eq!(output_kind(&p("a.gif"), true), Ok(Output::Gif(p("a.gif"))));
        assert_eq!(
            output_kind(&p("frames/"), true),
            Ok(Output::Frames(p("frames/")))
        );
        assert!(output_kind(&p("a.gif"), false).is_err());
        assert!(output_kind(&p("a.png"), true).is_err());
        assert!(output_kind(&p("a.jpg"), false).is_err());
    }
}
