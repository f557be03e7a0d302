//! `chronomap check FILE... [--json]`: load files without a window and say
//! what was read and what was not, for people and for scripts.
//!
//! `-` reads standard input; a FIFO or `<(zcat file.gz)` reads as a file
//! does, and gzip and zip files open as they are.
//!
//! Exit status: 0 when every file loaded (even with problems), 1 when
//! nothing could be loaded from at least one file, 2 for a usage error.
//! With `--json`, one file prints one JSON object and several files print a
//! JSON array of them, in the order given.
//!
//! Each problem has a kind (`bad_date`, `duplicate`...), and the totals are
//! counted by kind. Only the first [`PRINTED_PER_KIND`] problems of each kind
//! are printed, with how many more there were: a file that repeats one id
//! four million times would otherwise print four million lines that say the
//! same thing. `--all-problems` prints (and keeps) every one.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use serde::Serialize;

use crate::atlas::Atlas;
use crate::load::{
    AtlasWhenNeeded, KeepProblems, LoadError, LoadOptions, Loaded, Loader, Problem, ProblemKind,
    Progress, Report, Source, Totals,
};

use super::FilterFlags;
use super::input::load_file;
use super::remote::{is_table, open_table};
use crate::atlas::RegionLevel;
use crate::model::NO_REGION;
use crate::remote::{Conn, Table, TableUrl, block_on};
use crate::scene::place_regions;
use crate::time::EventFilter;

/// How many problems of each kind `check` prints without `--all-problems`.
pub const PRINTED_PER_KIND: usize = 20;

/// One file's summary, as `--json` prints it.
#[derive(Debug, Serialize)]
struct Summary {
    /// The file as given on the command line; `standard input` for `-`, and
    /// `ARCHIVE:MEMBER` for each event file of a zip that holds several.
    file: String,
    /// The format detected; `null` when the file could not be read.
    format: Option<String>,
    rows: usize,
    events: usize,
    /// The problems printed, in file order.
    problems: Vec<ProblemOut>,
    /// Every problem found, printed or not, by kind.
    totals: Totals,
    /// How many problems of each kind were found but not printed.
    problems_left_out: BTreeMap<ProblemKind, usize>,
    /// First day of the loaded events, `YYYY-MM-DD`.
    date_min: Option<String>,
    /// Last day of the loaded events, `YYYY-MM-DD`.
    date_max: Option<String>,
    /// How many events are dated to the day, a range of days, a week, a
    /// month or a year (`day`, `range`, `week`, `month`, `year`; only those
    /// that occur).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    date_precision: BTreeMap<&'static str, usize>,
    /// How many events are placed exactly, near a place, or only to a
    /// region, by their first place (`exact`, `near`, `region`, and
    /// `none` for events on no place of the map; only those that occur).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    location_precision: BTreeMap<&'static str, usize>,
    unresolved_places: Vec<String>,
    /// How many events pass the filters given (`--actor`, `--bbox`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    matching: Option<usize>,
    /// With `--regions`: how many events lie in no province of the
    /// basemap (they count under "unknown province").
    #[serde(skip_serializing_if = "Option::is_none")]
    unknown_province: Option<usize>,
    /// Why nothing was loaded, when that is so.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct ProblemOut {
    line: u32,
    field: String,
    kind: ProblemKind,
    message: String,
}

impl From<&Problem> for ProblemOut {
    fn from(p: &Problem) -> Self {
        Self {
            line: p.line,
            field: p.field.clone(),
            kind: p.kind,
            message: p.message.clone(),
        }
    }
}

impl Summary {
    fn loaded(file: String, loaded: &Loaded, keep: KeepProblems) -> Self {
        let report = &loaded.report;
        let span = loaded.dataset.span();
        let (problems, problems_left_out) = printed(report, keep);
        Self {
            file,
            format: Some(report.format.clone()),
            rows: report.rows,
            events: report.events,
            problems,
            totals: report.totals.clone(),
            problems_left_out,
            date_min: span.map(|(first, _)| first.to_string()),
            date_max: span.map(|(_, last)| last.to_string()),
            date_precision: date_precisions(&loaded.dataset),
            location_precision: location_precisions(&loaded.dataset),
            unresolved_places: report.unresolved_places.clone(),
            matching: None,
            unknown_province: None,
            error: None,
        }
    }

    fn failed(file: String, error: &LoadError) -> Self {
        let message = match error {
            LoadError::Io { source, .. } => format!("cannot read the file: {source}"),
            LoadError::Format { message, .. } => message.clone(),
            LoadError::Cancelled { .. } => "loading was cancelled".to_owned(),
        };
        Self::not_loaded(file, message)
    }

    /// A table's summary: its rows are its events (nothing is loaded; the
    /// server counts), its span the server's.
    fn table(table: &Table, filters: &CheckFilters<'_>) -> Result<Self, String> {
        let summary = &table.summary;
        let matching = if filters.given() {
            let filter = EventFilter {
                choices: filters.flags.choices_by_name(filters.bbox)?,
                ..EventFilter::default()
            };
            let counted = block_on(table.count(None, &filter, &Conn::query_id()));
            Some(counted.map_err(|e| e.to_string())?)
        } else {
            None
        };
        let rows = usize::try_from(summary.rows).unwrap_or(usize::MAX);
        Ok(Self {
            file: table.name(),
            format: Some(format!("ClickHouse {}", table.schema.shape.name())),
            rows,
            events: rows,
            problems: Vec::new(),
            totals: Totals::default(),
            problems_left_out: BTreeMap::new(),
            date_min: summary.span.map(|(first, _)| first.to_string()),
            date_max: summary.span.map(|(_, last)| last.to_string()),
            date_precision: BTreeMap::new(),
            location_precision: BTreeMap::new(),
            unresolved_places: Vec::new(),
            matching: matching.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
            unknown_province: None,
            error: None,
        })
    }

    fn not_loaded(file: String, message: String) -> Self {
        let problem = Problem::new(ProblemKind::NotLoaded, 0, "", message.clone());
        Self {
            file,
            format: None,
            rows: 0,
            events: 0,
            problems: vec![ProblemOut::from(&problem)],
            totals: [problem.kind].into_iter().collect(),
            problems_left_out: BTreeMap::new(),
            date_min: None,
            date_max: None,
            date_precision: BTreeMap::new(),
            location_precision: BTreeMap::new(),
            unresolved_places: Vec::new(),
            matching: None,
            unknown_province: None,
            error: Some(message),
        }
    }
}

/// How many of `dataset`'s events have each date precision.
fn date_precisions(dataset: &crate::model::Dataset) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for event in dataset.events.iter() {
        *counts.entry(event.date().precision.name()).or_default() += 1;
    }
    counts
}

/// How many of `dataset`'s events have each location precision, by their
/// first place.
fn location_precisions(dataset: &crate::model::Dataset) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for event in dataset.events.iter() {
        let precision = dataset.location_precision_of(event);
        let name = precision.map_or("none", |p| p.name());
        *counts.entry(name).or_default() += 1;
    }
    counts
}

/// The problems of a report to print (all of them when `keep` is
/// [`KeepProblems::All`], else the first [`PRINTED_PER_KIND`] of each kind),
/// and how many of each kind are left out.
fn printed(report: &Report, keep: KeepProblems) -> (Vec<ProblemOut>, BTreeMap<ProblemKind, usize>) {
    let mut shown: BTreeMap<ProblemKind, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for problem in &report.problems {
        let count = shown.entry(problem.kind).or_default();
        if keep == KeepProblems::All || *count < PRINTED_PER_KIND {
            *count += 1;
            out.push(ProblemOut::from(problem));
        }
    }
    let left_out = report
        .totals
        .iter()
        .map(|(kind, total)| (kind, total - shown.get(&kind).copied().unwrap_or(0)))
        .filter(|&(_, n)| n > 0)
        .collect();
    (out, left_out)
}

/// The filters `check` counts events by, as `render` and `export` take
/// them.
#[derive(Clone, Copy, Debug)]
pub struct CheckFilters<'a> {
    /// The facets' flags.
    pub flags: &'a FilterFlags,
    /// `--bbox`.
    pub bbox: Option<[f64; 4]>,
    /// `--regions`: count the events in no province.
    pub regions: bool,
}

impl CheckFilters<'_> {
    fn given(&self) -> bool {
        *self.flags != FilterFlags::default() || self.bbox.is_some()
    }

    /// How many of `loaded`'s events pass the filters.
    fn count(&self, loaded: &Loaded) -> Result<usize, String> {
        let dataset = &loaded.dataset;
        let choices = self.flags.choices(dataset, Atlas::embedded(), self.bbox)?;
        let filter = EventFilter {
            choices,
            ..EventFilter::default()
        };
        let matcher = filter.matcher(dataset);
        let events = 0..u32::try_from(dataset.events.len()).unwrap_or(u32::MAX);
        Ok(events.filter(|&e| matcher.matches(dataset, e)).count())
    }
}

/// How many of `dataset`'s events have no place in a province of the
/// basemap.
fn in_no_province(dataset: &crate::model::Dataset) -> usize {
    let regions = place_regions(dataset, Atlas::embedded());
    dataset
        .events
        .iter()
        .filter(|e| {
            e.places()
                .iter()
                .all(|&p| regions.of(RegionLevel::Province, p) == NO_REGION)
        })
        .count()
}

/// Runs `chronomap check`: loads each file and prints its summary.
pub fn run_check(
    files: &[PathBuf],
    json: bool,
    timings: bool,
    options: &LoadOptions,
    filters: &CheckFilters<'_>,
) -> ExitCode {
    if files.is_empty() {
        eprintln!("chronomap check: name at least one file (chronomap check FILE... [--json])");
        return ExitCode::from(2);
    }
    // Each file's progress outlives the atlas borrowed below.
    let progress: Vec<Progress> = files.iter().map(|_| Progress::new()).collect();
    // The basemap is decoded only when a file names a place without its
    // coordinates (an ACLED export never does): 0.15 s saved on such files.
    let decoded = std::sync::OnceLock::new();
    let fetch = || {
        let started = Instant::now();
        let atlas = Atlas::embedded();
        // Only the first call decodes; later ones find it ready.
        let _ = decoded.set(started.elapsed());
        atlas
    };
    let atlas = AtlasWhenNeeded::Later(&fetch);
    let mut decode_told = false;
    let mut summaries = Vec::with_capacity(files.len());
    for ((n, path), progress) in files.iter().enumerate().zip(&progress) {
        if is_table(path) {
            let address = path.to_string_lossy();
            let shown = TableUrl::redacted(&address);
            let summary = match open_table(&address, options) {
                Ok(table) => match Summary::table(&table, filters) {
                    Ok(summary) => summary,
                    Err(message) => {
                        eprintln!("chronomap check: {shown}: {message}");
                        return ExitCode::from(2);
                    }
                },
                Err(e) => Summary::not_loaded(shown, e.to_string()),
            };
            summaries.push(summary);
            continue;
        }
        let file = Source::path(path).name();
        let start = Instant::now();
        let loader = Loader::new(atlas).options(options.clone());
        let result = load_file(path, loader, progress);
        if timings {
            if let Some(took) = decoded.get().copied().filter(|_| !decode_told) {
                decode_told = true;
                eprintln!(
                    "chronomap check: basemap and gazetteer decoded in {:.1} ms, \
                     when {file} first needed them",
                    took.as_secs_f64() * 1000.0
                );
            }
            let took = start.elapsed().as_secs_f64();
            eprintln!("chronomap check: {file}: loaded in {took:.3} s");
            for loaded in result.iter().flatten() {
                eprint!("{}", loaded.timings.lines());
            }
        }
        match result {
            Ok(layers) => {
                let one = layers.len() == 1;
                for loaded in &layers {
                    let name = if one {
                        file.clone()
                    } else {
                        loaded.report.file.clone()
                    };
                    let mut summary = Summary::loaded(name, loaded, options.keep_problems);
                    if filters.regions {
                        summary.unknown_province = Some(in_no_province(&loaded.dataset));
                    }
                    if filters.given() {
                        match filters.count(loaded) {
                            Ok(n) => summary.matching = Some(n),
                            Err(message) => {
                                eprintln!("chronomap check: {}: {message}", summary.file);
                                return ExitCode::from(2);
                            }
                        }
                    }
                    summaries.push(summary);
                }
                // Freeing a million events costs CPU that nothing waits
                // for: after the last file the process ends and the
                // system takes its memory back at once, so it is left to
                // that (freeing it on another thread still held up the
                // exit). Other files are freed beside the next one.
                if n + 1 == files.len() {
                    std::mem::forget(layers);
                } else {
                    std::thread::spawn(move || drop(layers));
                }
            }
            Err(e) => summaries.push(Summary::failed(file, &e)),
        }
    }
    let mut out = std::io::stdout().lock();
    let written = if json {
        write_json(&mut out, &summaries)
    } else {
        summaries.iter().try_for_each(|s| write_text(&mut out, s))
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("chronomap check: cannot write the summary: {e}");
    }
    if summaries.iter().any(|s| s.error.is_some()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn write_json(out: &mut impl Write, summaries: &[Summary]) -> std::io::Result<()> {
    let text = match summaries {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(many),
    };
    writeln!(out, "{}", text.map_err(std::io::Error::other)?)
}

fn write_text(out: &mut impl Write, s: &Summary) -> std::io::Result<()> {
    if let Some(error) = &s.error {
        writeln!(out, "{}: not loaded: {error}", s.file)?;
        return writeln!(out);
    }
    writeln!(out, "{}", s.file)?;
    writeln!(out, "  format:      {}", s.format.as_deref().unwrap_or("?"))?;
    writeln!(out, "  rows read:   {}", s.rows)?;
    writeln!(out, "  events:      {}", s.events)?;
    if let Some(n) = s.matching {
        writeln!(out, "  matching:    {n} pass the filters")?;
    }
    if let Some(n) = s.unknown_province {
        let events = if n == 1 { "event" } else { "events" };
        writeln!(
            out,
            "  provinces:   {n} {events} in no province (at sea, or named only as a country)"
        )?;
    }
    match (&s.date_min, &s.date_max) {
        (Some(first), Some(last)) => writeln!(out, "  date span:   {first} to {last}")?,
        _ => writeln!(out, "  date span:   (no events)")?,
    }
    if s.unresolved_places.is_empty() {
        writeln!(out, "  unresolved:  none")?;
    } else {
        writeln!(out, "  unresolved:  {}", s.unresolved_places.join(", "))?;
    }
    writeln!(out, "  problems:    {}", problems_line(&s.totals))?;
    for p in &s.problems {
        let at = if p.line > 0 {
            format!("line {}", p.line)
        } else {
            "file".to_owned()
        };
        let field = if p.field.is_empty() {
            String::new()
        } else {
            format!(", field '{}'", p.field)
        };
        writeln!(out, "    {at}{field} ({}): {}", p.kind, p.message)?;
    }
    for (kind, n) in &s.problems_left_out {
        writeln!(
            out,
            "    ... and {n} more {kind} problems (--all-problems prints them all)"
        )?;
    }
    writeln!(out)
}

/// `0`, or `4 (bad_date 3, duplicate 1)`.
fn problems_line(totals: &Totals) -> String {
    let sum = totals.sum();
    if sum == 0 {
        return "0".to_owned();
    }
    let kinds: Vec<String> = totals
        .iter()
        .map(|(kind, n)| format!("{kind} {n}"))
        .collect();
    format!("{sum} ({})", kinds.join(", "))
}
