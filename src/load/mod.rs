//! Reading event files into a [`Dataset`], with a [`Report`] of every row
//! that could not be read. This is the only module that does file IO.

mod acled;
mod common;
pub mod dates;
pub mod detect;
mod gdelt;
mod geojson;
mod id_table;
mod json_items;
mod native;
mod places;
mod progress;
mod recurring;
mod report;
mod slots;
mod table;
mod tabular;
mod timelinejs;

use std::path::Path;

pub use common::AtlasWhenNeeded;
pub use native::parse_native;
pub use places::resolve_place;
pub use progress::Progress;
pub use report::{KEEP_PER_KIND, KeepProblems, Problem, ProblemKind, Report, Totals};
pub use table::ColumnMapping;
pub use tabular::is_null;

use dates::SlashOrder;
use detect::Format;

use crate::atlas::Atlas;
use crate::model::Dataset;

/// The embedded default dataset, as shipped in `data/`.
pub const EMBEDDED_JSON: &str = include_str!("../../data/seed-events.json");
/// The name the embedded dataset is reported under.
pub const EMBEDDED_NAME: &str = "data/seed-events.json (embedded)";

/// A dataset together with what its loader reported.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The events that could be read.
    pub dataset: Dataset,
    /// What could not, and a summary.
    pub report: Report,
    /// How long the phases of the load took (`--timings`).
    pub timings: crate::timings::Timings,
}

/// Why nothing at all could be loaded from a file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read from disk.
    #[error("{file}: cannot read the file: {source}")]
    Io {
        /// The file as the user named it.
        file: String,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The user cancelled the load.
    #[error("{file}: loading was cancelled")]
    Cancelled {
        /// The file as the user named it.
        file: String,
    },
    /// The file was read, but it is not a dataset we understand.
    #[error("{file}: {message}")]
    Format {
        /// The file as the user named it.
        file: String,
        /// What is wrong with it, with a line where known.
        message: String,
    },
}

/// Loads the embedded default dataset.
///
/// # Errors
/// Only if the shipped file were broken, which the tests rule out.
pub fn embedded(atlas: &Atlas) -> Result<Loaded, LoadError> {
    load_str(EMBEDDED_NAME, EMBEDDED_JSON, atlas)
}

/// How to read files where the content alone cannot say: set by the user
/// (command-line flags, the import dialog) and passed to every loader.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Whether `05/06/2025` is day-first or month-first; `Undecided` lets
    /// each file's values settle it.
    pub slash_order: SlashOrder,
    /// Which columns hold the date, coordinates, title and place, for plain
    /// tables (and GeoJSON properties) whose names are not recognised.
    pub mapping: Option<ColumnMapping>,
    /// Which problems the report keeps (all are counted).
    pub keep_problems: KeepProblems,
}

/// Loads a dataset file from disk (read only; the file is never written).
///
/// # Errors
/// When the file cannot be read or holds no dataset we can read.
pub fn load_path(path: &Path, atlas: &Atlas) -> Result<Loaded, LoadError> {
    load_path_with(path, atlas, &LoadOptions::default())
}

/// Like [`load_path`], with the user's options.
///
/// # Errors
/// When the file cannot be read or holds no dataset we can read.
pub fn load_path_with(
    path: &Path,
    atlas: &Atlas,
    options: &LoadOptions,
) -> Result<Loaded, LoadError> {
    load_path_progress(path, atlas, options, None)
}

/// How much of a file is read to tell its format before choosing how to
/// read the rest.
const HEAD_BYTES: usize = 64 * 1024;

/// Like [`load_path_with`], reporting how far it has got to `progress` and
/// stopping with [`LoadError::Cancelled`] when that is cancelled.
///
/// An ACLED export, the format files of a million rows come in, streams
/// from disk: only its events are kept in memory. Other formats are read
/// whole, then parsed.
///
/// # Errors
/// When the file cannot be read or holds no dataset we can read.
pub fn load_path_progress(
    path: &Path,
    atlas: &Atlas,
    options: &LoadOptions,
    progress: Option<&Progress>,
) -> Result<Loaded, LoadError> {
    load_path_when_needed(path, atlas.into(), options, progress)
}

/// Like [`load_path_progress`], with an atlas that may be fetched (and
/// decoded) only when a place name is to be resolved: a file whose places
/// all carry coordinates loads without it.
///
/// # Errors
/// When the file cannot be read or holds no dataset we can read.
pub fn load_path_when_needed(
    path: &Path,
    atlas: AtlasWhenNeeded<'_>,
    options: &LoadOptions,
    progress: Option<&Progress>,
) -> Result<Loaded, LoadError> {
    use std::io::{Read, Seek};
    let file = path.display().to_string();
    let io = |source| LoadError::Io {
        file: file.clone(),
        source,
    };
    let mut handle = std::fs::File::open(path).map_err(io)?;
    let size = handle.metadata().map_err(io)?.len();
    if let Some(progress) = progress {
        progress.set_total(size);
    }
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut handle)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io)?;
    let cancelled = || progress.is_some_and(Progress::is_cancelled);
    let loaded = match streamable(&head) {
        Some(delimiter) => {
            handle.rewind().map_err(io)?;
            let reader = std::io::BufReader::with_capacity(1 << 16, handle);
            let loaded = acled::parse_stream(
                &file,
                reader,
                delimiter,
                options,
                atlas,
                progress,
                rows_hint(&head, size),
            )?;
            nothing_loaded(&file, loaded)
        }
        None => {
            let mut bytes = head;
            handle.read_to_end(&mut bytes).map_err(io)?;
            load_bytes_progress(&file, &bytes, atlas, options, progress)
        }
    };
    if cancelled() {
        return Err(LoadError::Cancelled { file });
    }
    if let Some(progress) = progress {
        progress.set_done(size);
    }
    loaded
}

/// About how many rows a file of `size` bytes holds, from its head, a little
/// under so that room made ahead of time is not wasted.
fn rows_hint(head: &[u8], size: u64) -> usize {
    let sample = head.get(..HEAD_BYTES).unwrap_or(head);
    let lines = memchr::memchr_iter(b'\n', sample).count() as u64;
    if lines < 2 {
        return 0;
    }
    let per_row = (sample.len() as u64 / lines).max(1);
    usize::try_from(size / per_row * 9 / 10).unwrap_or(0)
}

/// The delimiter of an ACLED export in UTF-8 or ASCII, from the head of the
/// file; `None` for anything to be read whole (other formats, UTF-16, binary).
fn streamable(head: &[u8]) -> Option<u8> {
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    if utf16 || detect::decode(head).is_err() {
        return None;
    }
    let line_end = head.iter().position(|&b| b == b'\n')?;
    let line = String::from_utf8_lossy(head.get(..line_end)?);
    match detect::detect(&line) {
        Ok(Format::Acled { delimiter }) => Some(delimiter),
        _ => None,
    }
}

/// Loads a dataset from bytes, detecting the format from the content.
///
/// # Errors
/// When the bytes are not text or not a dataset we can read.
pub fn load_bytes(file: &str, bytes: &[u8], atlas: &Atlas) -> Result<Loaded, LoadError> {
    load_bytes_with(file, bytes, atlas, &LoadOptions::default())
}

/// Like [`load_bytes`], with the user's options.
///
/// # Errors
/// When the bytes are not text or not a dataset we can read.
pub fn load_bytes_with(
    file: &str,
    bytes: &[u8],
    atlas: &Atlas,
    options: &LoadOptions,
) -> Result<Loaded, LoadError> {
    load_bytes_progress(file, bytes, atlas.into(), options, None)
}

fn load_bytes_progress(
    file: &str,
    bytes: &[u8],
    atlas: AtlasWhenNeeded<'_>,
    options: &LoadOptions,
    progress: Option<&Progress>,
) -> Result<Loaded, LoadError> {
    let (text, note) = detect::decode(bytes).map_err(|message| format_error(file, message))?;
    let mut loaded = load_str_progress(file, &text, atlas, options, progress)?;
    if let Some(note) = note {
        loaded
            .report
            .push(Problem::new(ProblemKind::Encoding, 0, "", note));
        loaded.report.sort();
    }
    Ok(loaded)
}

/// Loads a dataset from text, detecting the format from the content.
///
/// # Errors
/// When the text is not a dataset we can read.
pub fn load_str(file: &str, text: &str, atlas: &Atlas) -> Result<Loaded, LoadError> {
    load_str_with(file, text, atlas, &LoadOptions::default())
}

/// Like [`load_str`], with the user's options.
///
/// # Errors
/// When the text is not a dataset we can read, or none of its records is.
pub fn load_str_with(
    file: &str,
    text: &str,
    atlas: &Atlas,
    options: &LoadOptions,
) -> Result<Loaded, LoadError> {
    load_str_progress(file, text, atlas.into(), options, None)
}

/// [`load_str_with`] for text from a file being loaded with a progress bar:
/// the delimited formats report the bytes they have parsed.
fn load_str_progress(
    file: &str,
    text: &str,
    atlas: AtlasWhenNeeded<'_>,
    options: &LoadOptions,
    progress: Option<&Progress>,
) -> Result<Loaded, LoadError> {
    if let Some(progress) = progress {
        progress.set_total(text.len() as u64);
    }
    let format = detect::detect(text).map_err(|message| format_error(file, message))?;
    let loaded = match format {
        Format::Native => parse_native(file, text, atlas, options.keep_problems)
            .map_err(|message| format_error(file, message))?,
        Format::Acled { delimiter } => {
            let hint = rows_hint(text.as_bytes(), text.len() as u64);
            acled::parse_stream(
                file,
                text.as_bytes(),
                delimiter,
                options,
                atlas,
                progress,
                hint,
            )?
        }
        Format::Table { delimiter } => {
            table::parse(file, text, delimiter, options, atlas, progress)?
        }
        Format::Gdelt => gdelt::parse(file, text, options, atlas, progress),
        Format::GeoJson => geojson::parse(file, text, options, atlas)?,
        Format::TimelineJson => timelinejs::parse_json(file, text, options, atlas)?,
        Format::TimelineSheet { delimiter } => {
            timelinejs::parse_sheet(file, text, delimiter, options, atlas)
        }
    };
    nothing_loaded(file, loaded)
}

fn format_error(file: &str, message: String) -> LoadError {
    LoadError::Format {
        file: file.to_owned(),
        message,
    }
}

/// A file with records of which none could be read is an error, not an
/// empty dataset: the user must hear why. So is a file broken or cut off
/// before its first record: it is not an empty list.
fn nothing_loaded(file: &str, loaded: Loaded) -> Result<Loaded, LoadError> {
    let cut_off = loaded.report.totals.get(ProblemKind::Truncated) > 0;
    if !loaded.dataset.events.is_empty() || (loaded.report.rows == 0 && !cut_off) {
        return Ok(loaded);
    }
    let first = loaded
        .report
        .problems
        .iter()
        .find(|p| p.line > 0)
        .or(loaded.report.problems.first())
        .map(ToString::to_string)
        .unwrap_or_default();
    let message = if loaded.report.rows == 0 {
        format!("no record could be read: {first}")
    } else {
        format!(
            "none of its {} records could be read ({} problems; first: {first})",
            loaded.report.rows,
            loaded.report.problem_count()
        )
    };
    Err(LoadError::Format {
        file: file.to_owned(),
        message,
    })
}
