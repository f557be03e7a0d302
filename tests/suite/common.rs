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

/// This test run's scratch folder: every test writes under it. The first
/// call removes the folders of earlier runs whose process is gone, so that
/// runs do not pile up in the system's temporary folder.
pub fn scratch_root() -> PathBuf {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let tmp = std::env::temp_dir();
        let stale = std::fs::read_dir(&tmp).into_iter().flatten().flatten();
        for entry in stale {
            let name = entry.file_name();
            let pid = name
                .to_str()
                .and_then(|n| n.strip_prefix("chronomap-tests-"))
                .and_then(|pid| pid.parse::<u32>().ok());
            let gone = pid.is_some_and(|pid| {
                pid != std::process::id()
                    && cfg!(target_os = "linux")
                    && !std::path::Path::new(&format!("/proc/{pid}")).exists()
            });
            if gone {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let root = tmp.join(format!("chronomap-tests-{}", std::process::id()));
        std::fs::create_dir_all(&root).expect("the scratch folder");
        root
    })
    .clone()
}

/// `bytes` written to a file named `name` in a directory of this test run.
pub fn write_temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = scratch_root();
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the file");
    path
}
