//! `chronomap export`: the events that pass the filters, as CSV or GeoJSON
//! that chronomap reads again.
//!
//! Filters combine: the facets' flags ([`FilterFlags`]), `--bbox`, `--from`/`--to` (events whose
//! dates overlap that range) and `--date` with `--window` (the events the
//! map shows at that date). Exit status: 0 when written, 1 when a file could
//! not be loaded or written, 2 for a usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use super::remote::files_or_table;
use super::render::{parse_bbox, parse_day};
use super::{FilterFlags, LoadFlags};
use crate::atlas::Atlas;
use crate::export::{EventFormat, events_csv, events_geojson, write_atomic};
use crate::load::LoadOptions;
use crate::model::{Dataset, Day, EventIdx, Notes};
use crate::project;
use crate::render::view_at;
use crate::time::WindowWidth;

/// Arguments of `chronomap export`.
#[derive(clap::Args, Clone, Debug)]
pub struct ExportArgs {
    /// Event files to read (the embedded dataset when none are given; `-`
    /// is standard input, and .gz and .zip files open as they are). Or one
    /// project (`.chronomap`): its files, read as it says, and its notes
    /// in a `note` column or property (the filters are the command line's).
    pub files: Vec<PathBuf>,
    /// How to read ambiguous dates and unrecognised columns.
    #[command(flatten)]
    pub load: LoadFlags,
    /// Only events on or after this day (YYYY-MM-DD; overlapping spans count).
    #[arg(long, value_parser = parse_day)]
    pub from: Option<Day>,
    /// Only events on or before this day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    pub to: Option<Day>,
    /// Only the events in the window ending on this date, as the map shows them.
    #[arg(long, value_parser = parse_day)]
    pub date: Option<Day>,
    /// The window for --date: 1d, 3d, 7d, Nd or all (default 1d).
    #[arg(long, value_parser = WindowWidth::parse, requires = "date")]
    pub window: Option<WindowWidth>,
    /// Which events to write, as the app's facets choose them.
    #[command(flatten)]
    pub filters: FilterFlags,
    /// Only events whose first place lies in this box (its point, or a
    /// province's or country's label point): WEST,SOUTH,EAST,NORTH in degrees.
    #[arg(long, value_parser = parse_bbox, allow_hyphen_values = true)]
    pub bbox: Option<[f64; 4]>,
    /// Where to write: a .csv or .geojson file.
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs `chronomap export`.
pub fn run_export(args: &ExportArgs) -> ExitCode {
    let Some(format) = EventFormat::from_path(&args.out) else {
        return fail(
            &format!("--out {} must end in .csv or .geojson", args.out.display()),
            2,
        );
    };
    if let Some(message) = missing_folder(&args.out) {
        return fail(&message, 1);
    }
    let atlas = Atlas::embedded();
    let read = match from_project(args) {
        Ok(read) => read,
        Err(message) => return fail(&message, 1),
    };
    let dataset = match inputs(args, &read) {
        Ok(d) => Arc::new(d),
        Err(message) => return fail(&message, 1),
    };
    let events = match select(args, &dataset) {
        Ok(events) => events,
        Err(message) => return fail(&message, 2),
    };
    let notes = read.notes.as_ref();
    let text = match format {
        EventFormat::Csv => events_csv(&dataset, atlas, &events, notes).map_err(|e| e.to_string()),
        EventFormat::GeoJson => {
            events_geojson(&dataset, atlas, &events, notes).map_err(|e| e.to_string())
        }
    };
    let written = text.and_then(|t| {
        write_atomic(&args.out, t.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", args.out.display()))
    });
    match written {
        Ok(()) => {
            println!(
                "chronomap: wrote {} events to {}",
                events.len(),
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(message) => fail(&message, 1),
    }
}

/// What to read: the files and how, and the notes to write beside the
/// events (a project's).
struct Inputs {
    files: Vec<PathBuf>,
    load: LoadOptions,
    notes: Option<Notes>,
}

/// With a project as the one input, its files, loader options and notes;
/// else the files and flags as given.
fn from_project(args: &ExportArgs) -> Result<Inputs, String> {
    let given = Inputs {
        files: args.files.clone(),
        load: args.load.options(),
        notes: None,
    };
    let [only] = args.files.as_slice() else {
        return Ok(given);
    };
    if !project::is_project(only) {
        return Ok(given);
    }
    let opened = project::open(only).map_err(|e| e.to_string())?;
    for warning in &opened.warnings {
        eprintln!("chronomap: {warning}");
    }
    let read = opened.project;
    Ok(Inputs {
        files: read.files,
        load: read.load,
        notes: Some(read.view.notes),
    })
}

/// The files, or a table's events in the days asked for.
fn inputs(args: &ExportArgs, read: &Inputs) -> Result<Dataset, String> {
    let days = || {
        let mut days = (
            args.from.unwrap_or(Day(i32::MIN)),
            args.to.unwrap_or(Day(i32::MAX)),
        );
        if let Some((first, last)) = args
            .date
            .and_then(|date| args.window.unwrap_or(WindowWidth::Days(1)).ending(date))
        {
            days = (days.0.max(first), days.1.min(last));
        }
        (days != (Day(i32::MIN), Day(i32::MAX))).then_some(days)
    };
    files_or_table(&read.files, &read.load, days, &args.filters, args.bbox)
}

fn fail(message: &str, code: u8) -> ExitCode {
    eprintln!("chronomap: {message}");
    ExitCode::from(code)
}

fn missing_folder(out: &Path) -> Option<String> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty())?;
    (!parent.is_dir()).then(|| {
        format!(
            "cannot write there: the folder {} does not exist",
            parent.display()
        )
    })
}

/// The events passing every filter given, in dataset order.
///
/// # Errors
/// A value the data does not hold, a date outside the data, or `--to`
/// before `--from`.
pub fn select(args: &ExportArgs, dataset: &Arc<Dataset>) -> Result<Vec<EventIdx>, String> {
    if let (Some(from), Some(to)) = (args.from, args.to)
        && to < from
    {
        return Err(format!("--to {to} is before --from {from}"));
    }
    let Some((_, last)) = dataset.span() else {
        return Ok(Vec::new());
    };
    let (date, window) = match args.date {
        Some(d) => (d, args.window.unwrap_or(WindowWidth::Days(1))),
        None => (last, WindowWidth::All),
    };
    let choices = args
        .filters
        .choices(dataset, Atlas::embedded(), args.bbox)?;
    let state = view_at(Arc::clone(dataset), date, window, &choices).map_err(|e| e.to_string())?;
    let first = args.from.unwrap_or(Day(i32::MIN));
    let last = args.to.unwrap_or(Day(i32::MAX));
    Ok(state
        .active()
        .iter()
        .copied()
        .filter(|&i| dataset.event(i).is_some_and(|e| e.overlaps(first, last)))
        .collect())
}
