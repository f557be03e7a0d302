//! What a load gives: the dataset with its report, or why there is none.

use super::report::Report;
use crate::model::Dataset;

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

/// An IO error on `file` as a [`LoadError`].
pub fn io_error(file: &str) -> impl Fn(std::io::Error) -> LoadError + '_ {
    move |source| LoadError::Io {
        file: file.to_owned(),
        source,
    }
}

/// A [`LoadError::Format`] on `file`.
pub fn format_error(file: &str, message: String) -> LoadError {
    LoadError::Format {
        file: file.to_owned(),
        message,
    }
}
