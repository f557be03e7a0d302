//! The dataset a headless command works on: the embedded one, one file, or
//! several files merged (places and categories shared by value).

use std::path::PathBuf;

use crate::atlas::Atlas;
use crate::load::{self, LoadOptions};
use crate::model::{Dataset, DatasetBuilder};

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
        for problem in &loaded.report.problems {
            eprintln!("chronomap: {}: {problem}", loaded.report.file);
        }
        datasets.push(loaded.dataset);
    }
    Ok(merge(datasets))
}

/// One dataset from several: events re-pointed at shared places and
/// categories, titles joined. A single dataset is returned as it is.
pub fn merge(mut datasets: Vec<Dataset>) -> Dataset {
    if datasets.len() == 1 {
        return datasets.pop().unwrap_or_default();
    }
    let titles: Vec<&str> = datasets.iter().map(|d| d.title.as_str()).collect();
    let mut builder = DatasetBuilder::new(titles.join(" + "));
    for dataset in &datasets {
        for event in &dataset.events {
            let mut event = event.clone();
            event.places = event
                .places
                .iter()
                .filter_map(|&p| dataset.place(p))
                .map(|p| builder.place(p.clone()))
                .collect();
            event.category = builder.category(dataset.category_name(event.category));
            builder.push(event);
        }
    }
    builder.finish()
}
