//! `chronomap render`: the map as a PNG for a date, or as an animation (a
//! GIF, or numbered PNG frames in a folder) over a date range, drawn on the
//! CPU so it runs without a display or GPU.
//!
//! Exit status: 0 when the file was written, 1 when a file could not be
//! loaded or written, 2 for a usage error (bad date, size, box, path).
//! Everything is rendered and encoded before anything is written, and each
//! file is written to a temporary name and renamed, so a failure leaves
//! nothing half-written.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use super::LoadFlags;
use super::input::load_inputs;
use crate::atlas::Atlas;
use crate::export::write_atomic;
use crate::model::{Dataset, Day};
use crate::render::{
    AnimationSpec, Extent, FigureSpec, RenderError, SIZE_RANGE_PX, encode_gif, encode_png, render,
    render_frames, view_at,
};
use crate::scene::{SceneCache, Style};
use crate::time::WindowWidth;

/// Arguments of `chronomap render`.
#[derive(clap::Args, Clone, Debug)]
pub struct RenderArgs {
    /// Event files to draw (the embedded dataset when none are given; `-`
    /// is standard input, and .gz and .zip files open as they are).
    pub files: Vec<PathBuf>,
    /// How to read ambiguous dates and unrecognised columns.
    #[command(flatten)]
    pub load: LoadFlags,
    /// The date to draw (YYYY-MM-DD): the window ends on it.
    #[arg(long, value_parser = parse_day, required_unless_present = "from", conflicts_with_all = ["from", "to"])]
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
    #[arg(long, value_parser = parse_window)]
    pub window: Option<WindowWidth>,
    /// Show this box instead of fitting the data: WEST,SOUTH,EAST,NORTH in degrees.
    #[arg(long, value_parser = parse_bbox, allow_hyphen_values = true)]
    pub bbox: Option<[f64; 4]>,
    /// Image size in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1400x900", value_parser = parse_image_size)]
    pub size: [u32; 2],
    /// Only events of this category (repeat for several).
    #[arg(long = "category", value_name = "NAME")]
    pub categories: Vec<String>,
    /// How long each GIF frame shows, in milliseconds.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(20..=60_000))]
    pub delay_ms: u32,
    /// Where to write: a .png for one date; a .gif, or a folder (for
    /// frame-0001.png...), for an animation.
    #[arg(long)]
    pub out: PathBuf,
}

/// Where an output goes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Output {
    Png(PathBuf),
    Gif(PathBuf),
    Frames(PathBuf),
}

/// Runs `chronomap render`.
pub fn run_render(args: &RenderArgs) -> ExitCode {
    let output = match output_kind(&args.out, args.from.is_some()) {
        Ok(o) => o,
        Err(message) => return fail(&message, 2),
    };
    if let Err(message) = check_folder(&output) {
        return fail(&message, 1);
    }
    let atlas = Atlas::embedded();
    let dataset = match load_inputs(&args.files, &args.load.options(), atlas) {
        Ok(d) => Arc::new(d),
        Err(message) => return fail(&message, 1),
    };
    let files = match encode(args, &output, &dataset, atlas) {
        Ok(files) => files,
        Err(message) => return fail(&message, 2),
    };
    write_all(&output, &files)
}

fn fail(message: &str, code: u8) -> ExitCode {
    eprintln!("chronomap: {message}");
    ExitCode::from(code)
}

/// What `out` asks for, checked against whether an animation was asked.
fn output_kind(out: &Path, animation: bool) -> Result<Output, String> {
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
fn check_folder(output: &Output) -> Result<(), String> {
    let (Output::Png(path) | Output::Gif(path) | Output::Frames(path)) = output;
    let path = path.parent();
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

/// Renders and encodes everything, in memory: (file name or path, bytes).
fn encode(
    args: &RenderArgs,
    output: &Output,
    dataset: &Arc<Dataset>,
    atlas: &Atlas,
) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let cache = SceneCache::new(atlas);
    let figure = FigureSpec {
        size_px: args.size,
        extent: args.bbox.map_or(Extent::Data, Extent::LonLatBox),
        style: Style::light(),
    };
    if let (Some(from), Some(to)) = (args.from, args.to) {
        let spec = AnimationSpec {
            from,
            to,
            step_days: i32::from(args.step),
            window: args.window.unwrap_or(WindowWidth::Days(args.step)),
            categories: args.categories.clone(),
            figure,
        };
        let frames = render_frames(dataset, atlas, &cache, &spec).map_err(|e| e.to_string())?;
        return encode_frames(
            output,
            frames.into_iter().map(|f| f.rendered.image).collect(),
            args.delay_ms,
        );
    }
    let date = args.date.ok_or("--date or --from/--to is needed")?;
    let window = args.window.unwrap_or(WindowWidth::Days(1));
    let state =
        view_at(Arc::clone(dataset), date, window, &args.categories).map_err(|e| e.to_string())?;
    let rendered = render(&state, atlas, &cache, &figure)
        .ok_or_else(|| RenderError::Size(args.size).to_string())?;
    let bytes = encode_png(&rendered.image).map_err(|e| e.to_string())?;
    Ok(vec![(args.out.clone(), bytes)])
}

fn encode_frames(
    output: &Output,
    images: Vec<image::RgbaImage>,
    delay_ms: u32,
) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    match output {
        Output::Gif(path) => {
            let bytes = encode_gif(&images, delay_ms).map_err(|e| e.to_string())?;
            Ok(vec![(path.clone(), bytes)])
        }
        Output::Frames(dir) => images
            .iter()
            .enumerate()
            .map(|(i, image)| {
                let bytes = encode_png(image).map_err(|e| e.to_string())?;
                Ok((dir.join(frame_name(i)), bytes))
            })
            .collect(),
        Output::Png(path) => Err(format!("{} is not an animation output", path.display())),
    }
}

/// `frame-0001.png` for the first frame.
pub fn frame_name(index: usize) -> String {
    format!("frame-{:04}.png", index + 1)
}

fn write_all(output: &Output, files: &[(PathBuf, Vec<u8>)]) -> ExitCode {
    if let Output::Frames(dir) = output
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        return fail(&format!("cannot create {}: {e}", dir.display()), 1);
    }
    for (path, bytes) in files {
        if let Err(e) = write_atomic(path, bytes) {
            return fail(&format!("cannot write {}: {e}", path.display()), 1);
        }
    }
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    let what = match output {
        Output::Frames(dir) => format!("{} frames in {}", files.len(), dir.display()),
        Output::Png(p) | Output::Gif(p) => p.display().to_string(),
    };
    println!("chronomap: wrote {what} ({} KiB)", total.div_ceil(1024));
    ExitCode::SUCCESS
}

/// A `YYYY-MM-DD` date.
///
/// # Errors
/// A message naming the expected form.
pub fn parse_day(text: &str) -> Result<Day, String> {
    Day::parse_iso(text).ok_or_else(|| format!("'{text}' is not a date in the form YYYY-MM-DD"))
}

/// `1d`, `3d`, `7d`, `Nd` or `all`.
///
/// # Errors
/// A message listing the forms.
pub fn parse_window(text: &str) -> Result<WindowWidth, String> {
    if text.trim().eq_ignore_ascii_case("all") {
        return Ok(WindowWidth::All);
    }
    parse_step(text)
        .map(WindowWidth::Days)
        .map_err(|_| format!("'{text}' is not a window: use 1d, 3d, 7d, Nd or all"))
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

/// `WIDTHxHEIGHT` in pixels, each side within [`SIZE_RANGE_PX`].
///
/// # Errors
/// A message naming the form and range.
pub fn parse_image_size(text: &str) -> Result<[u32; 2], String> {
    let range = format!("{} to {}", SIZE_RANGE_PX.start(), SIZE_RANGE_PX.end());
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("'{text}' is not a size: use WIDTHxHEIGHT, e.g. 1400x900"))?;
    let side = |s: &str| {
        s.trim()
            .parse::<u32>()
            .ok()
            .filter(|v| SIZE_RANGE_PX.contains(v))
    };
    match (side(w), side(h)) {
        (Some(w), Some(h)) => Ok([w, h]),
        _ => Err(format!("'{text}': width and height must be {range} pixels")),
    }
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
        assert_eq!(parse_image_size("320x200"), Ok([320, 200]));
        assert!(parse_image_size("10x10").is_err());
        assert!(parse_image_size("big").is_err());
        assert_eq!(parse_bbox("60,25,75,37"), Ok([60.0, 25.0, 75.0, 37.0]));
        assert!(parse_bbox("75,25,60,37").is_err());
        assert!(parse_bbox("1,2,3").is_err());
        assert_eq!(parse_window("7d"), Ok(WindowWidth::Days(7)));
        assert_eq!(parse_window("ALL"), Ok(WindowWidth::All));
        assert!(parse_window("0d").is_err());
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
        assert_eq!(frame_name(0), "frame-0001.png");
    }
}
