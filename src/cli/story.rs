//! `chronomap render PROJECT.chronomap --story`: a project's story as an
//! animated GIF or a folder of PNG frames, without a display; and
//! `--view`: the view it was saved with, as a PNG. Each slide is
//! held `--hold` seconds (one GIF frame with that delay; in a folder, that
//! many frames at `--fps`), the moves between slides drawn at `--fps`, the
//! caption card on every frame; the same project gives the same bytes.
//!
//! Exit status as `render`'s: 2 for a usage error (not one project, no
//! slides, too many frames), 1 when the project or one of its files cannot
//! be read (a missing file included: a story without one of its layers
//! would tell another story) or the output cannot be written.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use super::input::load_inputs;
use super::render::{
    Output, RenderArgs, check_folder, fail, output_kind, report_written, write_picture,
};
use crate::atlas::Atlas;
use crate::export::{AnimationError, AnimationOut, Held, write_held_animation};
use crate::project::{self, FileWarning, Opened, ProjectError};
use crate::render::{
    FigureSpec, MAX_HOLD_SECS, RenderError, StorySpec, StoryTiming, check_frame_count,
    presented_extent, render_story, story_state,
};
use crate::scene::{SceneCache, Style};
use crate::state::Command;
use crate::time::TimeCommand;

/// Renders the view the one project in `args.files` was saved with (at
/// `--date` when given), as the app's presented map shows its camera.
pub fn run_view(args: &RenderArgs) -> ExitCode {
    let path = match the_project(&args.files, "--view", "view") {
        Ok(path) => path,
        Err(message) => return fail(&message, 2),
    };
    let png = match output_kind(&args.out, false) {
        Ok(Output::Png(path)) => path,
        Ok(_) => return fail("a project's view is a .png file", 2),
        Err(message) => return fail(&message, 2),
    };
    if let Err(message) = check_folder(&args.out) {
        return fail(&message, 1);
    }
    let opened = match open(path, "view") {
        Ok(opened) => opened,
        Err((message, code)) => return fail(&message, code),
    };
    let atlas = Atlas::embedded();
    let project = opened.project;
    let dataset = match load_inputs(&project.files, &project.load, atlas) {
        Ok(dataset) => Arc::new(dataset),
        Err(message) => return fail(&message, 1),
    };
    let mut state = story_state(dataset, project.view, atlas);
    if let Some(date) = args.date {
        state.apply_all([Command::Time(TimeCommand::SetCursor(date))]);
    }
    let figure = FigureSpec {
        size_px: args.size,
        extent: presented_extent(state.camera()),
        style: Style::light(),
    };
    write_picture(&png, &state, atlas, &figure)
}

/// Renders the story of the one project in `args.files`.
pub fn run_story(args: &RenderArgs) -> ExitCode {
    let path = match the_project(&args.files, "--story", "story") {
        Ok(path) => path,
        Err(message) => return fail(&message, 2),
    };
    let out = match output_kind(&args.out, true) {
        Ok(Output::Gif(path)) => AnimationOut::Gif {
            path,
            delay_ms: timing(args).frame_ms(),
        },
        Ok(Output::Frames(dir)) => AnimationOut::Frames(dir),
        Ok(Output::Png(_)) => return fail("a story is a .gif file or a folder of frames", 2),
        Err(message) => return fail(&message, 2),
    };
    if let Err(message) = check_folder(&args.out) {
        return fail(&message, 1);
    }
    let opened = match open(path, "story") {
        Ok(opened) => opened,
        Err((message, code)) => return fail(&message, code),
    };
    if let Err(message) = check_story(args, &out, &opened, path) {
        return fail(&message, 2);
    }
    write_story(args, &out, opened)
}

/// The one project file given to `flag`, which renders its `what`.
fn the_project<'a>(files: &'a [PathBuf], flag: &str, what: &str) -> Result<&'a Path, String> {
    match files {
        [only] if project::is_project(only) => Ok(only),
        [only] => Err(format!(
            "{flag} renders a project's {what}: {} is not a .{} project",
            only.display(),
            project::EXTENSION
        )),
        _ => Err(format!(
            "{flag} renders one project: give one .{} file",
            project::EXTENSION
        )),
    }
}

/// The project at `path`, its changed files said on stderr; an error
/// message and exit status when it cannot be read whole.
fn open(path: &Path, what: &str) -> Result<Opened, (String, u8)> {
    let opened = project::open(path).map_err(|e| {
        let code = if matches!(e, ProjectError::NotAProject { .. }) {
            2
        } else {
            1
        };
        (e.to_string(), code)
    })?;
    for warning in &opened.warnings {
        match warning {
            FileWarning::Missing(file) => {
                let message = format!(
                    "{}: its file {} is missing: the {what} is not rendered without it",
                    path.display(),
                    file.display()
                );
                return Err((message, 1));
            }
            FileWarning::Changed(_) => eprintln!("chronomap: {warning}"),
        }
    }
    Ok(opened)
}

/// Frames per second when `--fps` is not given.
const DEFAULT_FPS: u32 = 10;
/// Seconds a slide is held when `--hold` is not given.
const DEFAULT_HOLD_SECS: f64 = 3.0;

fn timing(args: &RenderArgs) -> StoryTiming {
    StoryTiming {
        fps: args.fps.unwrap_or(DEFAULT_FPS),
        hold_secs: args.hold.unwrap_or(DEFAULT_HOLD_SECS),
    }
}

/// The story has slides, and no more frames than allowed; checked before
/// the data is loaded.
fn check_story(
    args: &RenderArgs,
    out: &AnimationOut,
    opened: &Opened,
    path: &Path,
) -> Result<(), String> {
    let slides = opened.project.view.bookmarks.slides().len();
    if slides == 0 {
        return Err(format!("{}: {}", path.display(), RenderError::NoSlides));
    }
    let timing = timing(args);
    let count = match out {
        AnimationOut::Gif { .. } => timing.pictures(slides),
        AnimationOut::Frames(_) => timing.periods(slides),
    };
    match check_frame_count(count, args.max_frames) {
        Err(RenderError::TooManyFrames { count, max }) => Err(format!(
            "the story's {slides} slides would take {count} frames, more than the limit of {max}: \
             hold them shorter (--hold), lower --fps, or allow them with --max-frames {count}"
        )),
        _ => Ok(()),
    }
}

/// Loads the project's files and writes the story's frames as they are
/// drawn.
fn write_story(args: &RenderArgs, out: &AnimationOut, opened: Opened) -> ExitCode {
    let atlas = Atlas::embedded();
    let project = opened.project;
    let dataset = match load_inputs(&project.files, &project.load, atlas) {
        Ok(dataset) => Arc::new(dataset),
        Err(message) => return fail(&message, 1),
    };
    let state = story_state(dataset, project.view, atlas);
    let spec = StorySpec {
        timing: timing(args),
        size_px: args.size,
        style: Style::light(),
    };
    let cache = SceneCache::new(atlas);
    let written = render_story(state, atlas, &cache, &spec)
        .map_err(AnimationError::from)
        .and_then(|frames| {
            let held = frames.map(|f| {
                f.map(|f| Held {
                    image: f.image,
                    periods: f.shot.periods,
                })
            });
            write_held_animation(out, held)
        });
    match written {
        Ok(written) => report_written(out, &written),
        Err(e @ AnimationError::Write { .. }) => fail(&e.to_string(), 1),
        Err(e) => fail(&e.to_string(), 2),
    }
}

/// Seconds a slide is held: more than 0, at most [`MAX_HOLD_SECS`].
///
/// # Errors
/// A message naming the range.
pub fn parse_hold(text: &str) -> Result<f64, String> {
    text.trim()
        .trim_end_matches('s')
        .parse::<f64>()
        .ok()
        .filter(|s| *s > 0.0 && *s <= MAX_HOLD_SECS)
        .ok_or_else(|| {
            format!("'{text}' is not a hold: give seconds, more than 0 and at most {MAX_HOLD_SECS}")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_and_projects_are_checked() {
        assert_eq!(parse_hold("3"), Ok(3.0));
        assert_eq!(parse_hold("1.5s"), Ok(1.5));
        for bad in ["0", "-1", "601", "NaN", "inf", "soon"] {
            assert!(parse_hold(bad).is_err(), "{bad}");
        }
        let p = |s: &str| PathBuf::from(s);
        let tour = [p("tour.chronomap")];
        assert_eq!(
            the_project(&tour, "--story", "story"),
            Ok(Path::new("tour.chronomap"))
        );
        let csv = [p("events.csv")];
        let not = the_project(&csv, "--story", "story");
        assert!(not.is_err_and(|e| e.contains("events.csv is not a .chronomap project")));
        assert!(the_project(&[], "--story", "story").is_err());
        assert!(the_project(&[p("a.chronomap"), p("b.chronomap")], "--story", "story").is_err());
    }
}
