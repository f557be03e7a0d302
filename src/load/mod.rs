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
mod pipeline;
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
pub use report::{Problem, Report};
pub use table::ColumnMapping;
pub use tabular::is_null;

use dates::SlashOrder;
use detect::Format;
use pipeline::{HEAD_BYTES, Sizing};

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
        Some(format) => {
            handle.rewind().map_err(io)?;
            let reader = std::io::BufReader::with_capacity(1 << 16, handle);
            let streamed = Streamed {
                file: &file,
                atlas,
                options,
                progress,
                sizing: Sizing::of(&head, size),
            };
            nothing_loaded(&file, streamed.parse(format, reader)?)
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

/// The format of a file that streams from disk (the delimited formats in
/// UTF-8 or ASCII), from its head; `None` for anything to be read whole
/// (JSON, UTF-16, binary).
fn streamable(head: &[u8]) -> Option<Format> {
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    if utf16 || detect::decode(head).is_err() {
        return None;
    }
    let line_end = head.iter().position(|&b| b == b'\n')?;
    let line = String::from_utf8_lossy(head.get(..line_end)?);
    match detect::detect(&line) {
        Ok(format @ (Format::Acled { .. } | Format::Gdelt | Format::Table { .. })) => Some(format),
        _ => None,
    }
}

/// A file being parsed as it streams in.
struct Streamed<'f, 'a> {
    file: &'f str,
    atlas: AtlasWhenNeeded<'a>,
    options: &'f LoadOptions,
    progress: Option<&'f Progress>,
    sizing: Sizing,
}

impl Streamed<'_, '_> {
    /// Parses `input` as `format`, one of those [`streamable`] gives.
    fn parse(&self, format: Format, input: impl std::io::Read + Send) -> Result<Loaded, LoadError> {
        match format {
            Format::Acled { delimiter } => acled::parse_stream(
                self.file,
                input,
                delimiter,
                self.options.slash_order,
                self.atlas,
                self.progress,
                self.sizing.rows_hint,
            ),
            Format::Gdelt => {
                gdelt::parse_stream(self.file, input, self.atlas, self.progress, self.sizing)
            }
            Format::Table { delimiter } => {
                let unmapped = ColumnMapping::default();
                let how = table::Reading {
                    delimiter,
                    order: self.options.slash_order,
                    mapping: self.options.mapping.as_ref().unwrap_or(&unmapped),
                    sizing: self.sizing,
                };
                table::parse_stream(self.file, input, &how, self.atlas, self.progress)
            }
            _ => Err(format_error(
                self.file,
                format!("{format:?} is read whole, not streamed"),
            )),
        }
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
        loaded.report.problems.insert(0, Problem::new(0, "", note));
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
    let order = options.slash_order;
    let mapping = options.mapping.clone().unwrap_or_default();
    let loaded = match format {
        Format::Native => {
            parse_native(file, text, atlas).map_err(|message| format_error(file, message))?
        }
        Format::Acled { delimiter } => {
            let hint = Sizing::of(text.as_bytes(), text.len() as u64).rows_hint;
            acled::parse_stream(
                file,
                text.as_bytes(),
                delimiter,
                order,
                atlas,
                progress,
                hint,
            )?
        }
        Format::Table { delimiter } => {
            table::parse(file, text, delimiter, order, &mapping, atlas, progress)?
        }
        Format::Gdelt => gdelt::parse(file, text, atlas, progress)?,
        Format::GeoJson => geojson::parse(file, text, order, &mapping, atlas)?,
        Format::TimelineJson => timelinejs::parse_json(file, text, atlas)?,
        Format::TimelineSheet { delimiter } => {
            timelinejs::parse_sheet(file, text, delimiter, order, atlas)
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
/// empty dataset: the user must hear why.
fn nothing_loaded(file: &str, loaded: Loaded) -> Result<Loaded, LoadError> {
    if !loaded.dataset.events.is_empty() || loaded.report.rows == 0 {
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
    Err(LoadError::Format {
        file: file.to_owned(),
        message: format!(
            "none of its {} records could be read ({} problems; first: {first})",
            loaded.report.rows,
            loaded.report.problems.len()
        ),
    })
}
