//! What the user says about how to read files.

use super::columns::ColumnMapping;
use super::dates::SlashOrder;
use super::pipeline::Sizing;
use super::report::KeepProblems;
use super::source::Whole;

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

/// How to read a delimited file: its delimiter (from its head), what the
/// user said, and how large it is.
pub struct Delimited<'o> {
    /// The sniffed delimiter.
    pub delimiter: u8,
    /// The user's slash order, column names and problems to keep.
    pub options: &'o LoadOptions,
    /// How large the input is.
    pub sizing: Sizing,
    /// The file on disk the input is, from its start, where it is one (a
    /// large one is read in parts side by side).
    pub whole: Option<Whole<'o>>,
}
