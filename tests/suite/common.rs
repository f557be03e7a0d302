//! Helpers shared by the loader tests: dates, events by id, extra fields,
//! locations and problems as (line, field, message).

use std::path::PathBuf;

use chronomap::load::{Loaded, ProblemKind};
use chronomap::model::{Day, EventRef, Location};

pub fn day(text: &str) -> Day {
    Day::parse_iso(text).expect("valid test date")
}

pub fn event<'a>(loaded: &'a Loaded, id: &str) -> EventRef<'a> {
    let dataset = &loaded.dataset;
    dataset
        .find_event(id)
        .and_then(|i| dataset.event(i))
        .expect("event present")
}

/// The event with this title.
pub fn titled<'a>(loaded: &'a Loaded, title: &str) -> EventRef<'a> {
    loaded
        .dataset
        .events
        .iter()
        .find(|e| e.title() == title)
        .expect("event present")
}

pub fn extra<'a>(event: EventRef<'a>, key: &str) -> Option<&'a str> {
    event.extra().get(key)
}

pub fn location(loaded: &Loaded, event: EventRef<'_>) -> Option<Location> {
    loaded.dataset.place(*event.places().first()?)?.location
}

pub fn problems(loaded: &Loaded) -> Vec<(u32, &str, &str)> {
    loaded
        .report
        .problems
        .iter()
        .map(|p| (p.line, p.field.as_str(), p.message.as_str()))
        .collect()
}

/// The problems as (line, field, kind): what a test asks when the wording
/// is not the point.
pub fn kinds(loaded: &Loaded) -> Vec<(u32, &str, ProblemKind)> {
    loaded
        .report
        .problems
        .iter()
        .map(|p| (p.line, p.field.as_str(), p.kind))
        .collect()
}

/// The names in a folder, sorted (empty when it cannot be read).
pub fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// `bytes` written to a file named `name` in a directory of this test run.
pub fn write_temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chronomap-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the file");
    path
}
