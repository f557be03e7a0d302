//! Time: the index that answers "which events overlap these days", the
//! timeline's pre-binned histogram and calendar ticks, the filter the user sets, the one
//! owner of the date cursor, and the days a dataset opens on.

mod choices;
mod control;
mod counts;
mod filter;
mod histogram;
mod index;
mod ticks;
mod view;

pub use choices::{Choice, Choices, Failed, LonLatBox, Range, Resolved, Slot};
pub use control::{Certainty, TimeCommand, TimeControl, WindowRule, WindowWidth};
pub use counts::{FATALITY_BINS, FacetCounts, fatality_bin};
pub use filter::{EventFilter, FilterMatcher, Seen};
pub use histogram::{Bins, DayHistogram, DensityMode};
pub use index::TimeIndex;
pub use ticks::{
    AxisTicks, GRID_PX, LABEL_PX, Tick, TickUnit, axis_ticks, calendar_ticks, finest_unit,
    tick_label,
};
pub use view::{SPAN_MARGIN_DAYS, follow_cursor, opening_day, opening_view};
