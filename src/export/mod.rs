//! Events out of chronomap: the events that pass the user's filters, as a
//! plain CSV table or a GeoJSON FeatureCollection that chronomap's own
//! loaders read again; and the one safe way to write any output file.
//!
//! Dates keep their precision in the way the loaders read it back: a day as
//! `YYYY-MM-DD`, a month as `YYYY-MM`, a year as `YYYY`, a range as a start
//! and an end. Places that are provinces or countries are written so the
//! gazetteer finds the same region again (its code in CSV, its outline and
//! name in GeoJSON).

mod csv_out;
mod geojson_out;

use std::io::Write as _;
use std::path::{Path, PathBuf};

pub use csv_out::events_csv;
pub use geojson_out::events_geojson;

use crate::model::{DateSpan, Precision};

/// The formats events can be exported in.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum EventFormat {
    /// A plain CSV table (`.csv`).
    Csv,
    /// A GeoJSON FeatureCollection (`.geojson`, `.json`).
    GeoJson,
}

impl EventFormat {
    /// The format a path's extension asks for.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_lowercase();
        match ext.as_str() {
            "csv" => Some(Self::Csv),
            "geojson" | "json" => Some(Self::GeoJson),
            _ => None,
        }
    }
}

/// The start of a span as the loaders read it back with its precision.
fn start_text(date: &DateSpan) -> String {
    let (y, m, _) = date.start.ymd();
    match date.precision {
        Precision::Year => format!("{y:04}"),
        Precision::Month => format!("{y:04}-{m:02}"),
        Precision::Day | Precision::Range | Precision::Week => date.start.to_string(),
    }
}

/// The end of a span, only where the start alone does not say it.
fn end_text(date: &DateSpan) -> Option<String> {
    match date.precision {
        Precision::Range | Precision::Week if date.end != date.start => Some(date.end.to_string()),
        _ => None,
    }
}

/// The precision's name, as in chronomap JSON.
fn precision_name(precision: Precision) -> &'static str {
    match precision {
        Precision::Day => "day",
        Precision::Range => "range",
        Precision::Week => "week",
        Precision::Month => "month",
        Precision::Year => "year",
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// renamed into place, so that a failed or interrupted write never leaves
/// a half-written file (or destroys the old one).
///
/// # Errors
/// When the folder does not exist or cannot be written; the temporary file
/// is removed again.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_path(path);
    let written = std::fs::File::create(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    renamed
}

/// `dir/.name.tmp-PID`: hidden, in the same folder (so the rename is
/// atomic), and unique per process.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Day;

    #[test]
    fn dates_are_written_at_their_precision() {
        let nov = DateSpan::month(2025, 11).unwrap_or_else(|| DateSpan::day(Day(0)));
        assert_eq!((start_text(&nov), end_text(&nov)), ("2025-11".into(), None));
        let year = DateSpan::year(2025).unwrap_or_else(|| DateSpan::day(Day(0)));
        assert_eq!(start_text(&year), "2025");
        let range = DateSpan::range(Day(20_416), Day(20_418), None);
        assert_eq!(
            (start_text(&range), end_text(&range)),
            ("2025-11-24".into(), Some("2025-11-26".into()))
        );
    }

    #[test]
    fn atomic_writes_replace_whole_files() {
        let dir = std::env::temp_dir().join(format!("chronomap-atomic-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("a.csv");
        assert!(write_atomic(&path, b"one").is_ok());
        assert!(write_atomic(&path, b"two").is_ok());
        assert_eq!(std::fs::read(&path).ok().as_deref(), Some(&b"two"[..]));
        let missing = dir.join("no/such/folder/a.csv");
        assert!(write_atomic(&missing, b"x").is_err());
        let names: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
