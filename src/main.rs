//! The `chronomap` command: opens the app on the embedded dataset or a file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use chronomap::atlas::Atlas;
use chronomap::cli::{
    CheckFilters, ExportArgs, FilterFlags, LoadFlags, PushArgs, RenderArgs, is_table, parse_bbox,
    parse_mode, run_check, run_export, run_push, run_render,
};
use chronomap::load;
use chronomap::model::Day;
use chronomap::project;
use chronomap::scene::MapMode;
use chronomap::time::WindowWidth;
use chronomap::timings::Startup;
use chronomap::ui::{AppOptions, BackgroundLoad, ChronomapApp, run_native};

/// Explore news and conflict events on a world map linked to a timeline.
#[derive(Parser, Debug)]
#[command(
    name = "chronomap",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// A headless subcommand instead of the window.
    #[command(subcommand)]
    command: Option<Command>,
    /// Event files to open instead of the embedded dataset, each a layer:
    /// chronomap JSON, ACLED, GDELT, GeoJSON, TimelineJS or CSV/TSV tables,
    /// gzipped or zipped or not; `-` is standard input. Or one project
    /// (`.chronomap`), which opens its files and view. Without any, the
    /// app comes back where it was left (see --fresh).
    files: Vec<PathBuf>,
    /// Start clean: the embedded events, not the last session's files and
    /// view, panel sizes or theme (what is open on closing is kept, as ever).
    #[arg(long)]
    fresh: bool,
    /// With a project, present its story from the first slide.
    #[arg(long)]
    present: bool,
    /// How to read ambiguous dates and unrecognised columns.
    #[command(flatten)]
    load: LoadFlags,
    /// Start at this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    date: Option<Day>,
    /// Start with this window: 1d, 3d, 7d, or all.
    #[arg(long, value_parser = WindowWidth::parse)]
    window: Option<WindowWidth>,
    /// Start with the map in this mode: points, provinces or countries.
    #[arg(long, value_parser = parse_mode)]
    mode: Option<MapMode>,
    /// Start with the event of this id selected.
    #[arg(long, value_name = "EVENT_ID")]
    select: Option<String>,
    /// Save a PNG of the window once it has settled, then exit.
    #[arg(long, value_name = "PATH.png", value_parser = parse_png_path)]
    screenshot: Option<PathBuf>,
    /// Print how long start-up took, phase by phase, to stderr.
    #[arg(long)]
    timings: bool,
    /// Window size in logical pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1400x900", value_parser = parse_size)]
    size: [f32; 2],
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Load files without a window and report what was read and what was not.
    ///
    /// Exit status: 0 when every file loaded (even with problems), 1 when
    /// nothing could be loaded from a file, 2 for a usage error. With --json,
    /// one file prints one JSON object (format, rows, events, problems with
    /// line/field/kind/message, totals by kind, problems_left_out by kind,
    /// date_min, date_max, unresolved_places); several files print a JSON
    /// array of such objects, in the order given. The first 20 problems of
    /// each kind are printed, unless --all-problems.
    Check {
        /// The files to check (`-` is standard input; .gz and .zip open as
        /// they are).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Print how long each phase of each load took, to stderr.
        #[arg(long)]
        timings: bool,
        /// Print every problem, not the first 20 of each kind.
        #[arg(long)]
        all_problems: bool,
        /// How to read ambiguous dates and unrecognised columns.
        #[command(flatten)]
        load: LoadFlags,
        /// Count the events that pass these filters, as the app's facets
        /// choose them.
        #[command(flatten)]
        filters: FilterFlags,
        /// Count only events whose first place lies in this box (its point,
        /// or a province's or country's label point): WEST,SOUTH,EAST,NORTH.
        #[arg(long, value_parser = parse_bbox, allow_hyphen_values = true)]
        bbox: Option<[f64; 4]>,
        /// Find each place's province on the basemap, as the map's provinces
        /// mode does, and count the events in none (at sea, or named only as
        /// a country).
        #[arg(long)]
        regions: bool,
    },
    /// Draw the map as a PNG for a date, or an animation (GIF or PNG
    /// frames) over a date range, without a display or GPU.
    Render(RenderArgs),
    /// Write the events that pass the filters as CSV or GeoJSON.
    Export(ExportArgs),
    /// Write the events of files into a ClickHouse table (a new MergeTree
    /// table ordered by date; an existing one only with --append). The
    /// password comes from CHRONOMAP_CLICKHOUSE_PASSWORD or a prompt.
    Push(PushArgs),
}

/// The embedded dataset, or `files` merged as layers, with one report per file.
fn open_files(
    files: &[PathBuf],
    atlas: load::AtlasWhenNeeded<'_>,
    options: &load::LoadOptions,
) -> Result<(load::Loaded, Vec<load::Report>), load::LoadError> {
    if files.is_empty() {
        let loaded = load::embedded(Atlas::embedded())?;
        let reports = vec![loaded.report.clone()];
        return Ok((loaded, reports));
    }
    let mut datasets = Vec::with_capacity(files.len());
    let mut reports = Vec::with_capacity(files.len());
    let loader = load::Loader::new(atlas).options(options.clone());
    for path in files {
        for loaded in loader.load_layers(load::Source::path(path))? {
            datasets.push(loaded.dataset);
            reports.push(loaded.report);
        }
    }
    let report = reports.first().cloned().unwrap_or_default();
    let dataset = chronomap::model::Dataset::merge(datasets);
    Ok((
        load::Loaded {
            dataset,
            report,
            ..load::Loaded::default()
        },
        reports,
    ))
}

/// An empty map, shown under the progress bar until the files are read.
fn empty_dataset() -> (load::Loaded, Vec<load::Report>) {
    let loaded = load::Loaded {
        dataset: chronomap::model::Dataset {
            title: "loading".into(),
            ..Default::default()
        },
        ..load::Loaded::default()
    };
    (loaded, Vec::new())
}

/// Files of this many bytes or more open in the window with a progress bar
/// instead of before it: a user should not wait seconds for a window.
const BACKGROUND_BYTES: u64 = 16 << 20;

/// Whether `files` are big enough to load once the window is open (never
/// for a screenshot, which shows the loaded data: loaded first, the data
/// does not share the processor with frames of a progress bar).
///
/// # Errors
/// A file that cannot be read at all, named, before any window opens.
fn in_background(files: &[PathBuf], screenshot: bool) -> Result<bool, load::LoadError> {
    let mut total = 0;
    for path in files {
        let meta = std::fs::metadata(path).map_err(|source| load::LoadError::Io {
            file: path.display().to_string(),
            source,
        })?;
        total += meta.len();
    }
    Ok(!screenshot && total >= BACKGROUND_BYTES)
}

fn parse_png_path(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    if path.extension().and_then(|e| e.to_str()) == Some("png") {
        Ok(path)
    } else {
        Err(format!("'{text}' is not a .png path"))
    }
}

fn parse_day(text: &str) -> Result<Day, String> {
    Day::parse_iso(text).ok_or_else(|| format!("'{text}' is not a date in the form YYYY-MM-DD"))
}

fn parse_size(text: &str) -> Result<[f32; 2], String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("'{text}' is not a size: use WIDTHxHEIGHT, e.g. 1400x900"))?;
    let parse = |s: &str| {
        s.trim()
            .parse::<u16>()
            .ok()
            .filter(|&v| (200..=8192).contains(&v))
            .map(f32::from)
    };
    match (parse(w), parse(h)) {
        (Some(w), Some(h)) => Ok([w, h]),
        _ => Err(format!(
            "'{text}': width and height must be 200 to 8192 pixels"
        )),
    }
}

fn main() -> ExitCode {
    chronomap::allocator::give_back_freed_blocks();
    let mut startup = Startup::new();
    let cli = Cli::parse();
    if let Some(Command::Check {
        files,
        json,
        timings,
        all_problems,
        load,
        filters,
        bbox,
        regions,
    }) = &cli.command
    {
        let mut options = load.options();
        if *all_problems {
            options.keep_problems = chronomap::load::KeepProblems::All;
        }
        let counted = CheckFilters {
            flags: filters,
            bbox: *bbox,
            regions: *regions,
        };
        return run_check(files, *json, *timings, &options, &counted);
    }
    match &cli.command {
        Some(Command::Render(args)) => return run_render(args),
        Some(Command::Export(args)) => return run_export(args),
        Some(Command::Push(args)) => return run_push(args),
        _ => {}
    }
    if let [only] = cli.files.as_slice()
        && is_table(only)
    {
        return run_table(cli, startup);
    }
    if let [only] = cli.files.as_slice()
        && project::is_project(only)
    {
        return run_project(cli, startup);
    }
    if let Some(p) = cli.files.iter().find(|f| project::is_project(f)) {
        eprintln!(
            "chronomap: {} is a project: it opens alone, not beside files",
            p.display()
        );
        return ExitCode::from(2);
    }
    if let Some(table) = cli.files.iter().find(|f| is_table(f)) {
        eprintln!(
            "chronomap: {} is a database table: it opens alone, not beside files",
            chronomap::remote::TableUrl::redacted(&table.to_string_lossy())
        );
        return ExitCode::from(2);
    }
    if cli.files.is_empty() && cli.select.is_none() {
        return run_embedded(cli, startup);
    }
    let background = match in_background(&cli.files, cli.screenshot.is_some()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("chronomap: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Large files start loading first, so that the basemap's decoding and
    // the window's opening run beside them.
    let early = background.then(|| {
        BackgroundLoad::start(
            cli.files.clone(),
            cli.load.options(),
            load::AtlasWhenNeeded::Later(&Atlas::embedded),
            false,
        )
    });
    // The basemap is decoded beside the load: a file whose places all have
    // coordinates never waits for it, and one that names places waits
    // only for what is left of it.
    let decoding = std::thread::spawn(Atlas::embedded);
    let fetch = || -> &Atlas { Atlas::embedded() };
    // With files to load in the background, the embedded data is not wanted.
    let opened = if background {
        Ok(empty_dataset())
    } else {
        open_files(
            &cli.files,
            load::AtlasWhenNeeded::Later(&fetch),
            &cli.load.options(),
        )
    };
    let (loaded, reports) = match opened {
        Ok(l) => l,
        Err(e) => {
            eprintln!("chronomap: {e}");
            return ExitCode::FAILURE;
        }
    };
    if !background {
        startup.mark("load events, decode the basemap beside");
    }
    for report in &reports {
        for problem in &report.problems {
            eprintln!("chronomap: {}: {problem}", report.file);
        }
    }
    if let Some(id) = &cli.select
        && !background
        && loaded.dataset.find_event(id).is_none()
    {
        eprintln!("chronomap: --select: no event has the id '{id}'");
        return ExitCode::from(2);
    }
    let options = AppOptions {
        date: cli.date,
        window: cli.window,
        mode: cli.mode,
        select: cli.select,
        files: cli.files.clone(),
        load_options: cli.load.options(),
        screenshot: cli.screenshot.clone(),
        startup: None,
        resume: false,
    };
    let clean = cli.fresh || cli.screenshot.is_some();
    // The view (time and place indexes) is built beside the window's
    // opening, as the embedded data is.
    let fallback = options.clone();
    let building = std::thread::spawn(move || {
        let started = std::time::Instant::now();
        let atlas = decoding.join().unwrap_or_else(|_| Atlas::embedded());
        // The faces (the system's for CJK) are found here, not in the
        // window's first frame.
        chronomap::fonts::faces();
        let mut app = ChronomapApp::new(loaded, atlas, options).with_reports(reports);
        if let Some(load) = early {
            app.continue_load(load);
        }
        (app, started.elapsed())
    });
    let timings = cli.timings;
    window(
        move || {
            startup.mark("open the window (GL context)");
            let (mut app, took) = building.join().unwrap_or_else(|_| {
                let (loaded, reports) = empty_dataset();
                let app = ChronomapApp::new(loaded, Atlas::embedded(), fallback);
                (app.with_reports(reports), Default::default())
            });
            startup.beside(
                "  beside it: decode the basemap, index time, build the view",
                took,
            );
            startup.mark("wait for the view");
            if timings {
                app.set_startup(startup);
            }
            app
        },
        cli.size,
        clean,
    )
}

/// The window on a project: it opens at once, empty, while the project's
/// files load beside it; its view is taken when they are in.
fn run_project(cli: Cli, mut startup: Startup) -> ExitCode {
    let path = cli.files[0].clone();
    // A project that cannot be read fails as a data file does; the window
    // reads it again (and reports its moved or changed files).
    if let Err(e) = project::open(&path) {
        eprintln!("chronomap: {e}");
        return ExitCode::FAILURE;
    }
    let present = cli.present;
    let mut options = app_options(&cli);
    options.resume = false;
    options.select = cli.select.clone();
    let timings = cli.timings;
    let clean = cli.fresh || cli.screenshot.is_some();
    window(
        move || {
            startup.mark("open the window (GL context)");
            let (loaded, _) = empty_dataset();
            let mut app = ChronomapApp::new(loaded, Atlas::embedded(), options);
            app.open_project_at_start(&path);
            if present {
                app.present_when_open();
            }
            if timings {
                app.set_startup(startup);
            }
            app
        },
        cli.size,
        clean,
    )
}

/// The window on the embedded data, which nothing on the command line can
/// make fail: the basemap is decoded and the data loaded on another thread
/// while the window and its GL context are created.
fn run_embedded(cli: Cli, mut startup: Startup) -> ExitCode {
    let clean = cli.fresh || cli.screenshot.is_some();
    let prepare = std::thread::spawn(|| {
        let started = std::time::Instant::now();
        let atlas = Atlas::embedded();
        let loaded = load::embedded(atlas).unwrap_or_else(|e| {
            eprintln!("chronomap: the embedded dataset did not load: {e}");
            empty_dataset().0
        });
        (atlas, loaded, started.elapsed())
    });
    let options = app_options(&cli);
    let timings = cli.timings;
    window(
        move || {
            startup.mark("open the window (GL context)");
            let (atlas, loaded, took) = match prepare.join() {
                Ok(prepared) => prepared,
                Err(_) => (Atlas::embedded(), empty_dataset().0, Default::default()),
            };
            startup.beside("  beside it: decode basemap, load events", took);
            startup.mark("wait for the data");
            let report = loaded.report.clone();
            let mut app = ChronomapApp::new(loaded, atlas, options).with_reports(vec![report]);
            startup.mark("index time, build the view");
            if timings {
                app.set_startup(startup);
            }
            app
        },
        cli.size,
        clean,
    )
}

/// The window on a database table: it opens at once, empty, while the
/// table is opened beside it (the password from the environment, else the
/// Open database dialog asks).
fn run_table(cli: Cli, mut startup: Startup) -> ExitCode {
    let address = cli.files[0].to_string_lossy().into_owned();
    let options = app_options(&cli);
    let timings = cli.timings;
    window(
        move || {
            startup.mark("open the window (GL context)");
            let (loaded, _) = empty_dataset();
            let mut app = ChronomapApp::new(loaded, Atlas::embedded(), options);
            app.open_table(&address);
            if timings {
                app.set_startup(startup);
            }
            app
        },
        cli.size,
        cli.fresh || cli.screenshot.is_some(),
    )
}

/// The start options the command line gives a window on embedded data or
/// a table (no files to watch, no event to select by id).
fn app_options(cli: &Cli) -> AppOptions {
    AppOptions {
        date: cli.date,
        window: cli.window,
        mode: cli.mode,
        select: None,
        files: Vec::new(),
        load_options: cli.load.options(),
        screenshot: cli.screenshot.clone(),
        startup: None,
        // Started bare (no date, window, mode or file): where it was left.
        resume: !cli.fresh
            && cli.screenshot.is_none()
            && cli.date.is_none()
            && cli.window.is_none()
            && cli.mode.is_none()
            && cli.files.is_empty(),
    }
}

/// Runs the window until it closes.
fn window(
    make_app: impl FnOnce() -> ChronomapApp + 'static,
    size: [f32; 2],
    clean: bool,
) -> ExitCode {
    match run_native(make_app, size, clean) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("chronomap: cannot open a window: {e}");
            ExitCode::FAILURE
        }
    }
}
