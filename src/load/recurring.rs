//! Numbers for cells that recur row after row (a location, an event type),
//! so that what was made of them once is found again by the number.
//!
//! A loader that reads rows on one thread and assembles events on another
//! numbers the cells on the reading thread, where the row was just split
//! and its bytes are in that core's cache. The assembling thread then finds
//! its earlier answer in a [`Memo`] by the number, without reading the
//! cells again: they were written by the other core, and fetching them
//! cost it more than the lookups behind them.

use std::hash::Hasher;

use hashbrown::HashTable;

use crate::model::fast_hash::{FastHasher, append_key, key_holds};

/// How many bytes of cells a [`Numbering`] keeps at most. A file whose
/// cells rarely repeat (a unique actor pair on every row) would otherwise
/// hold them all; past this, new cells go unnumbered and are read as
/// they come.
const MAX_KEPT_BYTES: usize = 64 << 20;

/// Gives each different list of cells a number, from 0 in the order first
/// seen, by the cells' bytes.
///
/// The cells are hashed and compared where they lie in the row, not
/// copied into a key first; the lists seen are kept end to end in one
/// buffer, written as [`write_key`](crate::model::fast_hash::write_key)
/// writes a key (so "ab", "c" and "a", "bc" are two lists).
pub struct Numbering {
    table: HashTable<Entry>,
    kept: Vec<u8>,
    /// [`MAX_KEPT_BYTES`], or less in tests.
    limit: usize,
}

impl Default for Numbering {
    fn default() -> Self {
        Self {
            table: HashTable::new(),
            kept: Vec::new(),
            limit: MAX_KEPT_BYTES,
        }
    }
}

struct Entry {
    hash: u64,
    /// Where the list's bytes are in `kept`.
    start: usize,
    end: usize,
    number: u32,
}

impl Numbering {
    /// The number of these cells (`None` once too many were kept).
    pub fn number<const N: usize>(&mut self, cells: [&str; N]) -> Option<u32> {
        let mut hasher = FastHasher::default();
        for cell in cells {
            hasher.write_usize(cell.len());
            hasher.write(cell.as_bytes());
        }
        let hash = hasher.finish();
        let kept = &self.kept;
        let same = |entry: &Entry| {
            entry.hash == hash
                && kept
                    .get(entry.start..entry.end)
                    .is_some_and(|key| key_holds(key, &cells))
        };
        if let Some(entry) = self.table.find(hash, same) {
            return Some(entry.number);
        }
        let number = u32::try_from(self.table.len()).ok()?;
        if self.kept.len() >= self.limit {
            return None;
        }
        let start = self.kept.len();
        append_key(&mut self.kept, cells);
        let entry = Entry {
            hash,
            start,
            end: self.kept.len(),
            number,
        };
        self.table.insert_unique(hash, entry, |e| e.hash);
        Some(number)
    }
}

/// What was made of each number, for those where it was kept.
pub struct Memo<T> {
    slots: Vec<Option<T>>,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Self { slots: Vec::new() }
    }
}

impl<T: Clone> Memo<T> {
    /// What was kept for `number`, or what `make` makes (kept when there
    /// is a number to keep it by).
    pub fn get_or_make(&mut self, number: Option<u32>, make: impl FnOnce() -> T) -> T {
        if let Some(kept) = number.and_then(|n| self.get(n)) {
            return kept.clone();
        }
        let made = make();
        if let Some(n) = number {
            self.keep(n, made.clone());
        }
        made
    }
}

impl<T> Memo<T> {
    /// What was kept for `number`.
    pub fn get(&self, number: u32) -> Option<&T> {
        self.slots.get(number as usize)?.as_ref()
    }

    /// Keeps `value` for `number`. Numbers come from a [`Numbering`], so
    /// they are dense and the slots stay as many as the different cells.
    pub fn keep(&mut self, number: u32, value: T) {
        let i = number as usize;
        if self.slots.len() <= i {
            self.slots.resize_with(i + 1, || None);
        }
        if let Some(slot) = self.slots.get_mut(i) {
            *slot = Some(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_cells_have_one_number_and_its_memo() {
        let mut numbering = Numbering::default();
        assert_eq!(numbering.number(["Kabul", "AFG"]), Some(0));
        assert_eq!(numbering.number(["Khost", "AFG"]), Some(1));
        // The same texts cut elsewhere are other cells.
        assert_eq!(numbering.number(["KabulA", "FG"]), Some(2));
        assert_eq!(numbering.number(["Kabul", "AFG"]), Some(0));

        let mut memo = Memo::default();
        assert_eq!(memo.get(1), None);
        memo.keep(2, "two");
        memo.keep(0, "zero");
        assert_eq!(memo.get(0), Some(&"zero"));
        assert_eq!(memo.get(1), None);
        assert_eq!(memo.get(2), Some(&"two"));
        assert_eq!(memo.get(7), None);
    }

    #[test]
    fn past_the_limit_new_cells_have_no_number_and_old_ones_keep_theirs() {
        let mut numbering = Numbering {
            limit: 20,
            ..Numbering::default()
        };
        // Each list is kept as a four-byte length and its bytes.
        assert_eq!(numbering.number(["0123456789"]), Some(0));
        assert_eq!(numbering.number(["abcdefghij"]), Some(1));
        assert_eq!(numbering.number(["new"]), None);
        assert_eq!(numbering.number(["0123456789"]), Some(0));
        assert_eq!(numbering.number(["abcdefghij"]), Some(1));
    }

    #[test]
    fn recurring_cells_are_made_once() {
        let (mut numbering, mut memo) = (Numbering::default(), Memo::default());
        let mut made = 0;
        for cells in [["a", "b"], ["a", "c"], ["a", "b"]] {
            let value = memo.get_or_make(numbering.number(cells), || {
                made += 1;
                cells.concat()
            });
            assert_eq!(value, cells.concat());
        }
        assert_eq!(made, 2);
        // Without a number, each value is made anew.
        assert_eq!(memo.get_or_make(None, || "new".to_owned()), "new");
    }
}
