//! Time: the index that answers "which events overlap these days", the
//! filter the user sets, and the one owner of the date cursor.

mod control;
mod filter;
mod index;

pub use control::{TimeCommand, TimeControl, WindowWidth};
pub use filter::EventFilter;
pub use index::TimeIndex;
