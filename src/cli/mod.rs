//! Headless command-line work: `chronomap check`, and the flags that tell
//! the loaders what a file's content cannot (shared by the app and `check`).

mod check;
mod export;
mod filters;
mod input;
mod remote;
mod render;
mod story;

pub use check::{CheckFilters, run_check};
pub use export::{ExportArgs, run_export};
pub use filters::FilterFlags;
pub use input::{load_inputs, merge};
pub use remote::{PushArgs, is_table, open_table, run_push};
pub use render::{RenderArgs, parse_bbox, parse_mode, run_render};

use crate::load::dates::SlashOrder;
use crate::load::{ColumnMapping, KeepProblems, LoadOptions};

/// How to read files whose dates or columns are ambiguous.
#[derive(clap::Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadFlags {
    /// Read slashed dates such as 05/06/2025 as day-first (5 June 2025).
    /// Without this or --month-first, each file's values decide, and
    /// day-first is taken (and reported) when nothing in the file settles it.
    #[arg(long, conflicts_with = "month_first")]
    pub day_first: bool,
    /// Read slashed dates such as 05/06/2025 as month-first (May 6, 2025).
    #[arg(long)]
    pub month_first: bool,
    /// The column (or GeoJSON property) holding the date or start date.
    #[arg(long, value_name = "NAME")]
    pub col_date: Option<String>,
    /// The column holding the end date of a span.
    #[arg(long, value_name = "NAME")]
    pub col_end: Option<String>,
    /// The column holding latitude in degrees.
    #[arg(long, value_name = "NAME")]
    pub col_lat: Option<String>,
    /// The column holding longitude in degrees.
    #[arg(long, value_name = "NAME")]
    pub col_lon: Option<String>,
    /// The column holding a one-line title.
    #[arg(long, value_name = "NAME")]
    pub col_title: Option<String>,
    /// The column holding a place name, looked up when there are no coordinates.
    #[arg(long, value_name = "NAME")]
    pub col_place: Option<String>,
}

impl LoadFlags {
    /// The loader options these flags ask for.
    pub fn options(&self) -> LoadOptions {
        let slash_order = match (self.day_first, self.month_first) {
            (true, _) => SlashOrder::DayFirst,
            (false, true) => SlashOrder::MonthFirst,
            (false, false) => SlashOrder::Undecided,
        };
        let mapping = ColumnMapping {
            date: self.col_date.clone(),
            end: self.col_end.clone(),
            lat: self.col_lat.clone(),
            lon: self.col_lon.clone(),
            title: self.col_title.clone(),
            place: self.col_place.clone(),
        };
        LoadOptions {
            slash_order,
            mapping: (mapping != ColumnMapping::default()).then_some(mapping),
            keep_problems: KeepProblems::default(),
        }
    }
}
