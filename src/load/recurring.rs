//! Numbers for cells that recur row after row (a location, an event type),
//! so that what was made of them once is found again by the number.
//!
//! A loader that reads rows on one thread and assembles events on another
//! numbers the cells on the reading thread, where the row was just split
//! and its bytes are in that core's cache. The assembling thread then finds
//! its earlier answer in a [`Memo`] by the number, without reading the
//! cells again: they were written by the other core, and fetching them
//! cost it more than the lookups behind them.

use super::slots::Slots;
use super::tabular::Cells;
use crate::model::Repeats;
use crate::model::fast_hash::hash_bytes;
use crate::prefetch::prefetch;

/// How many bytes of cells a [`Numbering`] keeps at most. A file whose
/// cells rarely repeat (a unique actor pair on every row) would otherwise
/// hold them all; past this, new cells go unnumbered and are read as
/// they come.
const MAX_KEPT_BYTES: usize = 64 << 20;

/// Which cells of a row a [`Numbering`] reads: the given columns, in runs
/// of neighbours. A run lies in the row as one text (the cells and the
/// delimiters between them), so it is hashed and compared at once rather
/// than cell by cell: in ACLED's columns, the nine that decide a place
/// are one run.
#[derive(Clone, Debug, Default)]
pub struct KeyColumns {
    /// First and last column of each run, in column order.
    runs: Vec<(usize, usize)>,
}

impl KeyColumns {
    /// The columns the file has among `columns` (any order; repeats and
    /// absent ones are left out: they read alike on every row).
    pub fn new(columns: impl IntoIterator<Item = Option<usize>>) -> Self {
        let mut columns: Vec<usize> = columns.into_iter().flatten().collect();
        columns.sort_unstable();
        columns.dedup();
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for column in columns {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == column => *last = column,
                _ => runs.push((column, column)),
            }
        }
        Self { runs }
    }
}

/// Gives each different list of cells a number, from 0 in the order first
/// seen, by the cells' bytes.
///
/// The cells are hashed and compared where they lie in the row, not
/// copied into a key first. Each list seen is kept in one buffer, end to
/// end, as its hash, its number, its length and its cells: for each run of
/// columns its length, its bytes, and where each of its cells ends (so
/// "a,b" and "c" are not "a" and "b,c"). The table's slots hold half of
/// each list's hash and where it starts in the buffer, eight bytes
/// ([`Slots`]): a lookup reads one line of the table and
/// then the kept list, whose hash and number lie beside its cells. Both
/// are trips to memory when the file streams through the cache, so a
/// reader that knows the rows to come asks for them early
/// ([`Numbering::prefetch_slot`], then [`Numbering::prefetch_kept`]).
pub struct Numbering {
    /// `tag(hash) << 32 | start` (a start is never `u32::MAX`: the kept
    /// bytes stay under [`MAX_KEPT_BYTES`]).
    slots: Slots,
    kept: Vec<u8>,
    /// [`MAX_KEPT_BYTES`], or less in tests.
    limit: usize,
    /// Whether cells still recur: once a window of rows has hardly
    /// repeated any (a place of each row's own), nothing more is numbered
    /// and what was kept is let go.
    repeats: Repeats,
}

impl Default for Numbering {
    fn default() -> Self {
        Self {
            slots: Slots::with_room_for(32),
            kept: Vec::new(),
            limit: MAX_KEPT_BYTES,
            repeats: Repeats::default(),
        }
    }
}

/// The bytes before a kept list's cells: its hash, number and length.
const HEAD: usize = 16;

/// The kept list at `start`: its hash, number and cells.
fn kept_at(kept: &[u8], start: u32) -> Option<(u64, u32, &[u8])> {
    let (head, rest) = kept.get(start as usize..)?.split_first_chunk::<HEAD>()?;
    let (hash, head) = head.split_first_chunk::<8>()?;
    let (number, len) = head.split_first_chunk::<4>()?;
    let len: [u8; 4] = len.try_into().ok()?;
    let cells = rest.get(..u32::from_le_bytes(len) as usize)?;
    Some((
        u64::from_le_bytes(*hash),
        u32::from_le_bytes(*number),
        cells,
    ))
}

/// The slot's tag: the half of a hash that the home slot does not use.
fn tag(hash: u64) -> u64 {
    hash & 0xffff_ffff
}

impl Numbering {
    /// The hash of the row's cells in `key` (`None` when the row is too
    /// short to have them all).
    pub fn hash(cells: &Cells, key: &KeyColumns) -> Option<u64> {
        let mut hash = 0;
        for &(first, last) in &key.runs {
            hash = hash_bytes(cells.span(first, last)?.text, hash);
        }
        Some(hash)
    }

    /// The number of the row's cells in `key` (`None` once too many were
    /// kept, or when the row is too short to have them all).
    #[cfg(test)]
    pub fn number(&mut self, cells: &Cells, key: &KeyColumns) -> Option<u32> {
        self.number_hashed(Self::hash(cells, key)?, cells, key)
    }

    /// Asks for the table's line that `hash`'s lookup starts on.
    pub fn prefetch_slot(&self, hash: u64) {
        if let Some(slot) = self.slots.line(home(hash)) {
            prefetch(slot);
        }
    }

    /// Asks for the kept list that `hash` probably finds (the first with
    /// its tag), once its slot is at hand ([`Numbering::prefetch_slot`]).
    pub fn prefetch_kept(&self, hash: u64) {
        if let Ok(slot) = self.slots.find(home(hash), |slot| slot >> 32 == tag(hash)) {
            let start = slot as u32 as usize;
            // Its head and the line after: most lists are shorter.
            for line in [start, start + 64] {
                if let Some(byte) = self.kept.get(line) {
                    prefetch(byte);
                }
            }
        }
    }

    /// [`Numbering::hash`], while cells still recur: once they have
    /// stopped, nothing is numbered, and the cells need not be hashed.
    pub fn hash_if_recurring(&self, cells: &Cells, key: &KeyColumns) -> Option<u64> {
        if !self.repeats.worth() {
            return None;
        }
        Self::hash(cells, key)
    }

    /// [`Numbering::number`] of cells whose [`Numbering::hash`] is `hash`.
    pub fn number_hashed(&mut self, hash: u64, cells: &Cells, key: &KeyColumns) -> Option<u32> {
        if !self.repeats.worth() {
            return None;
        }
        let kept = &self.kept;
        let same = |slot: u64| {
            slot >> 32 == tag(hash)
                && kept_at(kept, slot as u32).is_some_and(|(kept_hash, _, held)| {
                    kept_hash == hash && holds(held, cells, key)
                })
        };
        let found = self.slots.find(home(hash), same);
        self.repeats.counted(found.is_ok());
        if !self.repeats.worth() {
            self.slots = Slots::with_room_for(0);
            self.kept = Vec::new();
            return None;
        }
        let vacant = match found {
            Ok(slot) => return kept_at(&self.kept, slot as u32).map(|(_, number, _)| number),
            Err(vacant) => vacant,
        };
        let number = u32::try_from(self.slots.len()).ok()?;
        if self.kept.len() >= self.limit {
            return None;
        }
        let start = u32::try_from(self.kept.len()).ok()?;
        let spans = || key.runs.iter().filter_map(|&(a, b)| cells.span(a, b));
        let len = spans().map(|s| 4 + s.text.len() + 4 * s.ends.len()).sum();
        self.kept.extend_from_slice(&hash.to_le_bytes());
        self.kept.extend_from_slice(&number.to_le_bytes());
        push_u32(&mut self.kept, len);
        for span in spans() {
            push_u32(&mut self.kept, span.text.len());
            self.kept.extend_from_slice(span.text);
            for &end in span.ends {
                push_u32(&mut self.kept, end - span.start);
            }
        }
        let kept = &self.kept;
        // A list's home, when the table grows, from the hash kept with it.
        let home_of = |slot: u64| kept_at(kept, slot as u32).map_or(0, |(hash, _, _)| home(hash));
        self.slots
            .fill(vacant, tag(hash) << 32 | u64::from(start), home_of);
        Some(number)
    }
}

/// Where `hash`'s probe starts: from the hash's top half, the better mixed
/// by its last multiply.
fn home(hash: u64) -> usize {
    (hash >> 32) as usize
}

fn push_u32(kept: &mut Vec<u8>, n: usize) {
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    kept.extend_from_slice(&n.to_le_bytes());
}

/// Whether `held` is what [`Numbering::number`] keeps for the row's cells.
fn holds(held: &[u8], cells: &Cells, key: &KeyColumns) -> bool {
    let mut rest = held;
    for &(first, last) in &key.runs {
        let Some(span) = cells.span(first, last) else {
            return false;
        };
        let Some(tail) = strip_u32(rest, span.text.len()).and_then(|t| t.strip_prefix(span.text))
        else {
            return false;
        };
        rest = tail;
        for &end in span.ends {
            let Some(tail) = strip_u32(rest, end - span.start) else {
                return false;
            };
            rest = tail;
        }
    }
    rest.is_empty()
}

/// `held` past its first four bytes, if they are `n` as [`push_u32`]
/// writes it.
fn strip_u32(held: &[u8], n: usize) -> Option<&[u8]> {
    let (head, tail) = held.split_first_chunk::<4>()?;
    (u32::from_le_bytes(*head) as usize == n).then_some(tail)
}

/// One [`Numbering`] for each of several keys, over the same rows: a
/// row's cells are hashed as it is split, and numbered some rows later,
/// once what the lookups read has been asked for
/// ([`Numberings::hash`], [`Numberings::prefetch_kept`],
/// [`Numberings::number`]).
pub struct Numberings {
    keys: Vec<KeyColumns>,
    numberings: Vec<Numbering>,
}

impl Numberings {
    pub fn new(keys: Vec<KeyColumns>) -> Self {
        let numberings = keys.iter().map(|_| Numbering::default()).collect();
        Self { keys, numberings }
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The row's hash for each key (none for cells that stopped
    /// recurring), and asks for the table lines their lookups start on.
    pub fn hash(&self, cells: &Cells, hashes: &mut [Option<u64>]) {
        for ((key, numbering), slot) in self.keys.iter().zip(&self.numberings).zip(hashes) {
            *slot = numbering.hash_if_recurring(cells, key);
            if let Some(hash) = *slot {
                numbering.prefetch_slot(hash);
            }
        }
    }

    /// Asks for the kept cells the row's lookups will compare, once its
    /// table lines are in.
    pub fn prefetch_kept(&self, hashes: &[Option<u64>]) {
        for (numbering, hash) in self.numberings.iter().zip(hashes) {
            if let Some(hash) = *hash {
                numbering.prefetch_kept(hash);
            }
        }
    }

    /// The row's number for each key, by its hashes.
    pub fn number(&mut self, cells: &Cells, hashes: &[Option<u64>], numbers: &mut [Option<u32>]) {
        let each = self.keys.iter().zip(&mut self.numberings).zip(hashes);
        for (((key, numbering), hash), slot) in each.zip(numbers) {
            *slot = hash.and_then(|hash| numbering.number_hashed(hash, cells, key));
        }
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
    /// Asks for the slot of `number`, to [`Memo::get`] it a little later.
    pub fn prefetch(&self, number: Option<u32>) {
        if let Some(slot) = number.and_then(|n| self.slots.get(n as usize)) {
            prefetch(slot);
        }
    }

    /// What was kept for `number`.
    pub fn get(&self, number: u32) -> Option<&T> {
        self.slots.get(number as usize)?.as_ref()
    }

    /// Keeps `value` for `number`. Numbers come from a [`Numbering`], so
    /// they are dense and the slots stay as many as the different cells.
    pub fn keep(&mut self, number: u32, value: T) {
        if let Some(slot) = self.slot_mut(number) {
            *slot = Some(value);
        }
    }

    /// What was kept for `number`, to add to: an empty value kept first
    /// when there was none.
    pub fn get_mut_or_default(&mut self, number: u32) -> Option<&mut T>
    where
        T: Default,
    {
        self.slot_mut(number)
            .map(|slot| slot.get_or_insert_with(T::default))
    }

    /// The slot of `number`, the slots grown to hold it.
    fn slot_mut(&mut self, number: u32) -> Option<&mut Option<T>> {
        let i = number as usize;
        if self.slots.len() <= i {
            self.slots.resize_with(i + 1, || None);
        }
        self.slots.get_mut(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Cells {
        cells.iter().copied().collect()
    }

    /// Cells that hardly recur over a window of rows stop being numbered,
    /// and what was kept of them is let go.
    #[test]
    fn cells_that_do_not_recur_stop_being_numbered() {
        let mut numbering = Numbering::default();
        let key = KeyColumns::new([Some(0)]);
        let window = crate::model::Repeats::WINDOW;
        for i in 0..window - 2 {
            let number = numbering.number(&row(&[&format!("spot {i}")]), &key);
            assert_eq!(number, Some(i));
        }
        assert_eq!(numbering.number(&row(&["spot 1"]), &key), Some(1));
        assert_eq!(
            numbering.number(&row(&["spot 2"]), &key),
            None,
            "the window is judged"
        );
        assert_eq!(numbering.number(&row(&["spot 0"]), &key), None);
        assert!(numbering.kept.is_empty());
    }

    #[test]
    fn equal_cells_have_one_number_and_its_memo() {
        let mut numbering = Numbering::default();
        // The first two columns and the fourth; the third is not read.
        let key = KeyColumns::new([Some(3), Some(0), None, Some(1)]);
        assert_eq!(key.runs, [(0, 1), (3, 3)]);
        let mut number = |cells: &[&str]| numbering.number(&row(cells), &key);
        assert_eq!(number(&["Kabul", "AFG", "notes", "x"]), Some(0));
        assert_eq!(number(&["Khost", "AFG", "notes", "x"]), Some(1));
        assert_eq!(number(&["Kabul", "AFG", "other notes", "x"]), Some(0));
        assert_eq!(number(&["Kabul", "AFG", "notes", "y"]), Some(2));
        // The same texts cut elsewhere are other cells, even where a cell
        // holds the delimiter, so that the run's text is the same.
        assert_eq!(number(&["KabulA", "FG", "", "x"]), Some(3));
        assert_eq!(number(&["Kabul,AFG", "", "", "x"]), Some(4));
        assert_eq!(number(&["Kabul", ",AFG", "", "x"]), Some(5));
        assert_eq!(number(&["Kabul", "AFG", "", "x"]), Some(0));
        assert_eq!(number(&["Kabul,AFG", "", "", "x"]), Some(4));
        // A row without the cells has no number.
        assert_eq!(number(&["Kabul", "AFG", "notes"]), None);

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
            limit: 60,
            ..Numbering::default()
        };
        let key = KeyColumns::new([Some(0)]);
        let mut number = |cell: &str| numbering.number(&row(&[cell]), &key);
        // Each cell is kept with 16 bytes before it (the hash, number and
        // length), its length, its bytes and its end: 30 bytes here.
        assert_eq!(number("0123456789"), Some(0));
        assert_eq!(number("abcdefghij"), Some(1));
        assert_eq!(number("new"), None);
        assert_eq!(number("0123456789"), Some(0));
        assert_eq!(number("abcdefghij"), Some(1));
    }

    #[test]
    fn numbers_survive_the_table_growing_and_prefetches_change_nothing() {
        let mut numbering = Numbering::default();
        let key = KeyColumns::new([Some(0), Some(2)]);
        let rows: Vec<Cells> = (0..3000)
            .map(|i| row(&[&format!("actor {i}"), "x", &(i % 7).to_string()]))
            .collect();
        for (i, cells) in rows.iter().enumerate() {
            let hash = Numbering::hash(cells, &key).expect("the row has the cells");
            numbering.prefetch_slot(hash);
            numbering.prefetch_kept(hash);
            assert_eq!(numbering.number_hashed(hash, cells, &key), Some(i as u32));
        }
        assert!(numbering.slots.room() * 3 >= 3000 * 4);
        for (i, cells) in rows.iter().enumerate().rev() {
            assert_eq!(numbering.number(cells, &key), Some(i as u32));
        }
    }

    #[test]
    fn recurring_cells_are_made_once() {
        let (mut numbering, mut memo) = (Numbering::default(), Memo::default());
        let key = KeyColumns::new([Some(0), Some(1)]);
        let mut made = 0;
        for cells in [["a", "b"], ["a", "c"], ["a", "b"]] {
            let value = memo.get_or_make(numbering.number(&row(&cells), &key), || {
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
