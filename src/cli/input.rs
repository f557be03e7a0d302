//! The dataset a headless command works on: the embedded one, one file, or
//! several files merged (places and categories shared by value).

use std::path::PathBuf;

use crate::atlas::Atlas;
use crate::load::{self, LoadOptions};
use crate::model::Dataset;

/// Loads `files` (the embedded dataset when there are none), printing each
/// loader problem to stderr as the app does.
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
        let loaded = load::load_path_with(path, atlas, options).map_err(|e| e.to_string())?;
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
    Ok(merge(datasets))
}

/// One dataset from several, each file a layer (see [`Dataset::merge`]).
pub fn merge(datasets: Vec<Dataset>) -> Dataset {
    Dataset::merge(datasets)
}
