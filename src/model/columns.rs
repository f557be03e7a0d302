//! Columns that hold one value per event, for [`Events`](super::Events):
//! texts written one after another, and columns that cost nothing until an
//! event has a value in them.

use std::collections::HashMap;

use super::fast_hash::FastBuild;

/// The texts of the events (their ids, their summaries), written one after
/// another in one string: a text costs its bytes and eight bytes of where
/// it lies, with no allocation of its own.
///
/// Where a text lies is packed in eight bytes: its start in the string's
/// first [`START_BITS`] bits and its length in the rest. A text too long to
/// be measured there keeps its length aside, found by its start (which
/// reordering the events does not change). The column stays empty until a
/// text is not empty: a format without summaries pays nothing for them.
///
/// The texts of a column appended to this one ([`Texts::append`]) keep
/// their own string: a large file read in parts joins its parts' texts
/// without copying them, which would hold each twice at the load's peak.
#[derive(Clone, Debug, Default)]
pub struct Texts {
    /// The string texts are written to now.
    bytes: String,
    /// The strings written before (by parts appended), each with where it
    /// starts among the column's texts, in order.
    earlier: Vec<(u64, String)>,
    /// Where `bytes` starts: the length of the earlier strings.
    written: u64,
    spans: Vec<u64>,
    /// (start, length) of each text too long for a span, by start.
    long: Vec<(u64, u64)>,
}

/// Bits of a span that hold the text's start (a terabyte of text).
const START_BITS: u32 = 40;
/// The length that says "the length is kept aside".
const LONG: u64 = (1 << (64 - START_BITS)) - 1;

impl Texts {
    /// Adds the text of event `i`, which is the column's next: the events
    /// before it without one have empty texts.
    pub fn push(&mut self, i: usize, text: &str) {
        if text.is_empty() && self.spans.len() <= i {
            return;
        }
        self.pad(i);
        let start = self.end();
        self.bytes.push_str(text);
        let len = text.len() as u64;
        let span = if len < LONG {
            (start << (64 - START_BITS)) | len
        } else {
            self.long.push((start, len));
            (start << (64 - START_BITS)) | LONG
        };
        self.spans.push(span);
    }

    /// Where the next text will start.
    fn end(&self) -> u64 {
        self.written + self.bytes.len() as u64
    }

    /// Where the text of event `i` lies (`None` beyond the last text
    /// given): a key for a text that is not empty, equal for no two
    /// events.
    pub fn span(&self, i: usize) -> Option<u64> {
        self.spans.get(i).copied()
    }

    /// Gives the events before `i` empty texts, where they have none.
    fn pad(&mut self, i: usize) {
        if self.spans.len() < i {
            let at = self.end() << (64 - START_BITS);
            self.spans.resize(i, at);
        }
    }

    /// The text of event `i` (empty beyond the last one given).
    pub fn get(&self, i: usize) -> &str {
        let Some(&span) = self.spans.get(i) else {
            return "";
        };
        let start = span >> (64 - START_BITS);
        let mut len = span & LONG;
        if len == LONG {
            len = self
                .long
                .binary_search_by_key(&start, |&(s, _)| s)
                .ok()
                .and_then(|at| self.long.get(at))
                .map_or(0, |&(_, len)| len);
        }
        let (from, text) = self.string_at(start);
        let (Ok(start), Ok(len)) = (usize::try_from(start - from), usize::try_from(len)) else {
            return "";
        };
        text.get(start..start + len).unwrap_or_default()
    }

    /// The string holding the text that starts at `start`, and where that
    /// string starts.
    fn string_at(&self, start: u64) -> (u64, &str) {
        if start >= self.written {
            return (self.written, &self.bytes);
        }
        let after = self.earlier.partition_point(|(from, _)| *from <= start);
        match after.checked_sub(1).and_then(|at| self.earlier.get(at)) {
            Some((from, text)) => (*from, text),
            None => (self.written, &self.bytes),
        }
    }

    /// The bytes the column holds.
    #[cfg(test)]
    pub fn bytes_held(&self) -> usize {
        self.bytes()
            + std::mem::size_of_val(&self.spans[..])
            + std::mem::size_of_val(&self.long[..])
    }

    /// The bytes of all the texts.
    #[cfg(test)]
    pub fn bytes(&self) -> usize {
        usize::try_from(self.end()).unwrap_or(usize::MAX)
    }

    /// Makes room for `additional` more texts (for a column every event
    /// has a text in: the room a lazy column is not given stays unused).
    pub fn reserve(&mut self, additional: usize) {
        self.spans.reserve(additional);
    }

    /// The texts put in `order` (entry `i` the index of the text that
    /// becomes text `i`), of `len` events in all. The text itself stays
    /// where it was written; only where each lies moves.
    pub fn reordered(mut self, order: &[u32], len: usize) -> Self {
        if self.spans.is_empty() {
            return self;
        }
        self.pad(len);
        // In place: a second column of spans would be the largest thing a
        // large load holds at its peak, beside the events.
        permute(&mut self.spans, order);
        self
    }

    /// Adds `other`'s texts after those of the `len` events this column
    /// is of: its strings are kept as they are (not copied), and where
    /// each text lies moves by where they now begin.
    pub fn append(&mut self, len: usize, other: Self) {
        if other.spans.is_empty() {
            return;
        }
        if self.spans.is_empty() && len == 0 {
            *self = other;
            return;
        }
        self.pad(len);
        let offset = self.end();
        let shift = offset << (64 - START_BITS);
        self.spans
            .extend(other.spans.iter().map(|span| span.wrapping_add(shift)));
        // Their starts all lie past this column's, so the list stays sorted.
        self.long.extend(
            other
                .long
                .iter()
                .map(|&(start, len)| (start.wrapping_add(offset), len)),
        );
        let mut sealed = std::mem::replace(&mut self.bytes, other.bytes);
        if !sealed.is_empty() {
            sealed.shrink_to_fit();
            self.earlier.push((self.written, sealed));
        }
        self.earlier.extend(
            other
                .earlier
                .into_iter()
                .map(|(from, text)| (from + offset, text)),
        );
        self.written = offset + other.written;
    }

    /// Frees what was reserved and not used.
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.spans.shrink_to_fit();
        self.long.shrink_to_fit();
    }
}

/// A column whose values are mostly the default (an event's quotes, its
/// date's wording): empty while every event so far has the default, so
/// that a file without such values pays nothing for them.
#[derive(Clone, Debug)]
pub struct Sparse<T> {
    values: Vec<T>,
    default: T,
}

impl<T: Default> Default for Sparse<T> {
    fn default() -> Self {
        Self {
            values: Vec::new(),
            default: T::default(),
        }
    }
}

impl<T: Clone + Default + PartialEq> Sparse<T> {
    /// Sets the value of event `i`, which is the column's next.
    pub fn push(&mut self, i: usize, value: T) {
        if self.values.len() <= i && value == self.default {
            return;
        }
        if self.values.len() < i {
            self.values.resize(i, self.default.clone());
        }
        self.values.push(value);
    }

    /// Sets the value of an event already in the column.
    pub fn set(&mut self, i: usize, value: T) {
        if self.values.len() <= i {
            if value == self.default {
                return;
            }
            self.values.resize(i + 1, self.default.clone());
        }
        if let Some(slot) = self.values.get_mut(i) {
            *slot = value;
        }
    }

    /// The value of event `i`.
    pub fn get(&self, i: usize) -> &T {
        self.values.get(i).unwrap_or(&self.default)
    }

    /// The bytes the column holds.
    #[cfg(test)]
    pub fn bytes_held(&self) -> usize {
        std::mem::size_of_val(&self.values[..])
    }

    /// Adds `other`'s values after those of the `len` events this column
    /// is of.
    pub fn append(&mut self, len: usize, other: Self) {
        self.append_renumbered(len, other, |value| value);
    }

    /// Like [`Sparse::append`], each value made what `renumber` makes it
    /// (the default must stay the default: the events `other` holds none
    /// for are not visited).
    pub fn append_renumbered(&mut self, len: usize, other: Self, renumber: impl FnMut(T) -> T) {
        if other.values.is_empty() {
            return;
        }
        if self.values.len() < len {
            self.values.resize(len, self.default.clone());
        }
        if self.values.is_empty() {
            // Mapped in place: no second column is made.
            self.values = other.values.into_iter().map(renumber).collect();
        } else {
            self.values.extend(other.values.into_iter().map(renumber));
        }
    }

    /// The values put in `order`, of `len` events in all.
    pub fn reordered(mut self, order: &[u32], len: usize) -> Self {
        if self.values.is_empty() {
            return self;
        }
        self.values.resize(len, self.default.clone());
        permute(&mut self.values, order);
        self
    }

    /// Frees what was reserved and not used.
    pub fn shrink_to_fit(&mut self) {
        self.values.shrink_to_fit();
    }
}

/// Reorders `items` in place so that item `i` becomes the one that was at
/// `order[i]` (`order` a permutation of `0..items.len()`), following each
/// cycle once: no item is cloned, and no second column is held.
pub fn permute<T>(items: &mut [T], order: &[u32]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done[start] {
            continue;
        }
        let mut at = start;
        loop {
            done[at] = true;
            let next = order.get(at).map_or(start, |&from| from as usize);
            if next == start || next >= items.len() {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

/// `items` in `order`: item `i` of the result is `items[order[i]]`
/// (`order` a permutation). For values that are copied, this is faster
/// than [`permute`]: one pass that writes in order.
pub fn gathered<T: Copy + Default>(items: &[T], order: &[u32]) -> Vec<T> {
    order
        .iter()
        .map(|&from| items.get(from as usize).copied().unwrap_or_default())
        .collect()
}

/// Adds `more` after `column`'s values, taking it whole when `column` is
/// empty (nothing is then copied).
pub fn append_vec<T>(column: &mut Vec<T>, mut more: Vec<T>) {
    if column.is_empty() {
        *column = more;
    } else {
        column.append(&mut more);
    }
}

/// Values events share by pointer (groups of fields, lists of field
/// names), each held once and numbered from 1 in the order first met: a
/// column holds the number, half a pointer, where 0 can mean none.
#[derive(Clone, Debug)]
pub struct Numbered<T> {
    values: Vec<T>,
    /// Each value's number by its address, while events are added.
    at: HashMap<usize, u32, FastBuild>,
}

impl<T> Default for Numbered<T> {
    fn default() -> Self {
        Self {
            values: Vec::new(),
            at: HashMap::default(),
        }
    }
}

impl<T> Numbered<T> {
    /// The number of the value at `address`, `value()` kept if it is new
    /// (kept here, its address stays its own).
    pub fn number(&mut self, address: usize, value: impl FnOnce() -> T) -> u32 {
        let values = &mut self.values;
        *self.at.entry(address).or_insert_with(|| {
            values.push(value());
            u32::try_from(values.len()).unwrap_or(0)
        })
    }

    /// The value numbered `number` (`None` for 0).
    pub fn get(&self, number: u32) -> Option<&T> {
        self.values.get((number as usize).checked_sub(1)?)
    }

    /// Numbers `other`'s values here, in their order, as
    /// [`Numbered::number`] does (a value at an address numbered here
    /// already keeps its number), and gives the number each of `other`'s
    /// has here, by its number there (0 stays 0).
    pub fn append(&mut self, other: Self, address: impl Fn(&T) -> usize) -> Vec<u32> {
        let mut numbers = Vec::with_capacity(other.values.len() + 1);
        numbers.push(0);
        for value in other.values {
            numbers.push(self.number(address(&value), || value));
        }
        numbers
    }

    /// How many values there are.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Frees what was reserved, and the addresses: no value is numbered
    /// after the events are put in order.
    pub fn shrink_to_fit(&mut self) {
        self.values.shrink_to_fit();
        self.at = HashMap::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value set after its event was added reads back, before and
    /// after the column holds anything, and the events after it are added
    /// as before.
    #[test]
    fn a_sparse_value_set_later_reads_back() {
        let mut column = Sparse::<u32>::default();
        column.push(0, 0);
        column.push(1, 0);
        column.set(0, 0);
        assert_eq!(column.bytes_held(), 0);
        column.set(1, 5);
        column.push(2, 0);
        column.push(3, 7);
        column.set(2, 9);
        let read: Vec<u32> = (0..5).map(|i| *column.get(i)).collect();
        assert_eq!(read, [0, 5, 9, 7, 0]);
    }

    #[test]
    fn texts_read_back_after_empty_ones_long_ones_and_a_reorder() {
        let mut texts = Texts::default();
        texts.push(0, "");
        texts.push(1, "");
        assert_eq!(
            texts.spans.len(),
            0,
            "nothing held while every text is empty"
        );
        texts.push(2, "PAK1");
        texts.push(3, "");
        let long = "x".repeat(LONG as usize + 5);
        texts.push(4, &long);
        texts.push(5, "after");
        let read = |t: &Texts| (0..7).map(|i| t.get(i).len()).collect::<Vec<_>>();
        assert_eq!(read(&texts), [0, 0, 4, 0, long.len(), 5, 0]);
        assert_eq!(texts.get(5), "after");
        let texts = texts.reordered(&[5, 4, 3, 2, 1, 0], 6);
        assert_eq!(texts.get(0), "after");
        assert_eq!(texts.get(1), long);
        assert_eq!(texts.get(3), "PAK1");
        assert_eq!(texts.get(5), "");
    }

    /// Texts appended after events without any read back in place, a
    /// long one too (found by its moved start), and texts pushed after
    /// them follow them.
    #[test]
    fn appended_texts_follow_the_events_before_them() {
        let long = "x".repeat(LONG as usize + 5);
        let mut first = Texts::default();
        first.push(1, "ab");
        first.push(2, &long);
        let mut second = Texts::default();
        second.push(1, "cd");
        second.push(2, &long[1..]);
        second.push(3, "ef");
        // Four events, the last without a text; then five.
        first.append(4, second);
        first.push(9, "gh");
        let read: Vec<usize> = (0..11).map(|i| first.get(i).len()).collect();
        assert_eq!(
            read,
            [0, 2, long.len(), 0, 0, 2, long.len() - 1, 2, 0, 2, 0]
        );
        assert_eq!(
            [first.get(1), first.get(5), first.get(7), first.get(9)],
            ["ab", "cd", "ef", "gh"]
        );
        let mut none = Texts::default();
        none.append(3, Texts::default());
        assert!(none.spans.is_empty(), "no text, nothing held");
        let mut empty = Texts::default();
        let mut only = Texts::default();
        only.push(0, "ij");
        empty.append(2, only);
        assert_eq!([empty.get(0), empty.get(1), empty.get(2)], ["", "", "ij"]);
    }

    /// Columns appended one after another keep their strings: each text
    /// reads back from the one it was written in, after reordering too,
    /// and every text's span is its own.
    #[test]
    fn texts_of_several_appended_columns_read_back_in_any_order() {
        let part = |texts: &[&str]| {
            let mut column = Texts::default();
            for (i, text) in texts.iter().enumerate() {
                column.push(i, text);
            }
            column
        };
        let mut joined = part(&["a", "", "bb"]);
        joined.append(3, part(&["", "ccc", "d"]));
        joined.append(6, part(&["eeee", "", "f"]));
        assert_eq!(joined.earlier.len(), 2, "three strings, none copied");
        let want = ["a", "", "bb", "", "ccc", "d", "eeee", "", "f"];
        let read: Vec<&str> = (0..9).map(|i| joined.get(i)).collect();
        assert_eq!(read, want);
        let order = [8, 0, 4, 1, 7, 6, 2, 5, 3];
        let reordered = joined.reordered(&order, 9);
        let read: Vec<&str> = (0..9).map(|i| reordered.get(i)).collect();
        let expected: Vec<&str> = order.iter().map(|&i| want[i as usize]).collect();
        assert_eq!(read, expected);
        let spans: std::collections::HashSet<u64> = (0..9)
            .filter(|&i| !reordered.get(i).is_empty())
            .filter_map(|i| reordered.span(i))
            .collect();
        assert_eq!(spans.len(), 6);
    }

    /// Values appended after events without any are renumbered and read
    /// back in place; a column given none stays as it was.
    #[test]
    fn appended_sparse_values_follow_the_events_before_them() {
        let mut first = Sparse::<u32>::default();
        first.push(0, 0);
        first.push(1, 5);
        let mut second = Sparse::<u32>::default();
        second.push(0, 0);
        second.push(1, 7);
        first.append_renumbered(4, second, |v| v * 10);
        let read: Vec<u32> = (0..8).map(|i| *first.get(i)).collect();
        assert_eq!(read, [0, 5, 0, 0, 0, 70, 0, 0]);
        first.append_renumbered(7, Sparse::default(), |v| v + 1);
        assert_eq!(first.values.len(), 6);
        let mut empty = Sparse::<u32>::default();
        let mut later = Sparse::<u32>::default();
        later.push(1, 3);
        empty.append(2, later);
        assert_eq!(empty.values, [0, 0, 0, 3]);
    }

    /// A value appended at an address numbered already keeps its number;
    /// the others are numbered after the values here.
    #[test]
    fn appended_values_are_numbered_once_by_address() {
        let mut first = Numbered::default();
        first.number(10, || "a");
        first.number(20, || "b");
        let mut second = Numbered::default();
        second.number(30, || "c");
        second.number(10, || "a again");
        let address = |v: &&str| match *v {
            "c" => 30,
            _ => 10,
        };
        assert_eq!(first.append(second, address), [0, 3, 1]);
        assert_eq!(
            [first.get(1), first.get(3), first.get(4)],
            [Some(&"a"), Some(&"c"), None]
        );
    }

    #[test]
    fn a_sparse_column_holds_nothing_until_a_value_is_not_the_default() {
        let mut column = Sparse::<u8>::default();
        column.push(0, 0);
        column.push(1, 0);
        assert!(column.values.is_empty());
        column.push(2, 7);
        assert_eq!((*column.get(0), *column.get(2), *column.get(9)), (0, 7, 0));
        let column = column.reordered(&[2, 0, 1, 3], 4);
        assert_eq!(column.values, [7, 0, 0, 0]);
    }

    #[test]
    fn permute_follows_each_cycle() {
        let mut items = ['a', 'b', 'c', 'd', 'e'];
        permute(&mut items, &[3, 0, 4, 1, 2]);
        assert_eq!(items, ['d', 'a', 'e', 'b', 'c']);
    }
}
