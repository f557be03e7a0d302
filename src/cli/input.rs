//! The dataset a headless command works on: the embedded one, one file, or
//! several files merged (places and categories shared by value), each read
//! with a progress bar on a terminal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::atlas::Atlas;
use crate::load::{self, LoadError, LoadOptions, Loaded, Loader, Progress, Source};
use crate::model::Dataset;

/// Loads `files` (the embedded dataset when there are none; `-` is
/// standard input), printing each loader problem to stderr as the app
/// does. A zip of several event files gives a layer for each.
///
/// # Errors
/// The first file that could not be loaded at all, as a message.
pub fn load_inputs(
    files: &[PathBuf],
    options: &LoadOptions,
    atlas: &Atlas,
) -> Result<Dataset, String> {
    if files.is_empty() {
        return load::embedded(atlas)
            .map(|l| l.dataset)
            .map_err(|e| e.to_string());
    }
    let mut datasets = Vec::with_capacity(files.len());
    for path in files {
        let progress = Progress::new();
        let loader = Loader::new(atlas).options(options.clone());
        let layers = load_file(path, loader, &progress).map_err(|e| e.to_string())?;
        for loaded in layers {
            let report = &loaded.report;
            for problem in &report.problems {
                eprintln!("chronomap: {}: {problem}", report.file);
            }
            for (kind, _) in report.totals.iter() {
                let left_out = report.left_out(kind);
                if left_out > 0 {
                    eprintln!(
                        "chronomap: {}: and {left_out} more {kind} problems",
                        report.file
                    );
                }
            }
            datasets.push(loaded.dataset);
        }
    }
    Ok(merge(datasets))
}

/// One dataset from several, each file a layer (see [`Dataset::merge`]).
pub fn merge(datasets: Vec<Dataset>) -> Dataset {
    Dataset::merge(datasets)
}

/// Loads one file's layers (`-`: standard input). When stderr is a
/// terminal, a bar there shows the bytes read, the rows, the rate and the
/// time left (a million-row file takes seconds), and is cleared when
/// done; otherwise nothing is drawn.
///
/// # Errors
/// As [`Loader::load_layers`].
pub fn load_file<'a>(
    path: &Path,
    loader: Loader<'a>,
    progress: &'a Progress,
) -> Result<Vec<Loaded>, LoadError> {
    if !std::io::stderr().is_terminal() {
        return loader.load_layers(Source::path(path));
    }
    let loader = loader.progress(Some(progress));
    let name = Source::path(path).name();
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let bar = scope.spawn(|| show_bar(&name, progress, &done));
        let result = loader.load_layers(Source::path(path));
        done.store(true, Ordering::Relaxed);
        bar.thread().unpark();
        result
    })
}

/// How long a load runs before a bar is drawn: quick ones show none.
const BAR_AFTER: Duration = Duration::from_millis(300);
/// How often the bar is redrawn.
const BAR_EVERY: Duration = Duration::from_millis(100);

/// Draws `progress` on stderr until `done`.
fn show_bar(name: &str, progress: &Progress, done: &AtomicBool) {
    let started = std::time::Instant::now();
    while started.elapsed() < BAR_AFTER {
        // Woken early when the load is done.
        std::thread::park_timeout(BAR_AFTER.saturating_sub(started.elapsed()));
        if done.load(Ordering::Relaxed) {
            return;
        }
    }
    // Styled before it is first drawn.
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
        .with_style(bar_style(progress.size()))
        .with_prefix(name.to_owned())
        .with_message(rows_message(progress));
    bar.set_position(progress.read());
    bar.reset_eta();
    bar.set_draw_target(ProgressDrawTarget::stderr());
    while !done.load(Ordering::Relaxed) {
        let size = progress.size();
        if size > 0 {
            bar.set_length(size);
        }
        bar.set_position(progress.read());
        bar.set_message(rows_message(progress));
        std::thread::park_timeout(BAR_EVERY);
    }
    bar.finish_and_clear();
}

/// A bar where the size is known, a spinner with the bytes read where it
/// is not (a pipe).
fn bar_style(size: u64) -> ProgressStyle {
    ProgressStyle::with_template(bar_template(size))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

fn bar_template(size: u64) -> &'static str {
    if size > 0 {
        "{prefix} [{wide_bar}] {binary_bytes}/{binary_total_bytes}, {msg}, \
         {binary_bytes_per_sec}, {eta} left"
    } else {
        "{prefix} {spinner} {binary_bytes} read, {msg}, {binary_bytes_per_sec}"
    }
}

/// The rows read so far, where the format counts them.
fn rows_message(progress: &Progress) -> String {
    match progress.rows() {
        0 => "reading".to_owned(),
        rows => format!("{} rows", HumanCount(rows)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_counted_with_separators() {
        let progress = Progress::new();
        assert_eq!(rows_message(&progress), "reading");
        let mut text = String::from("event_id_cnty,event_date,latitude,longitude\n");
        for n in 0..2999 {
            text.push_str(&format!("X{n},2024-01-01,1,1\n"));
        }
        let _ = Loader::new(Atlas::embedded())
            .progress(Some(&progress))
            .load(Source::bytes("rows.csv", text.as_bytes()));
        assert_eq!(rows_message(&progress), "3,000 rows");
    }

    #[test]
    fn both_templates_parse() {
        // A broken template would fall back to the default bar unseen.
        for size in [0, 10] {
            assert!(ProgressStyle::with_template(bar_template(size)).is_ok());
        }
    }
}
