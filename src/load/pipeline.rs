//! Delimited records handed from a reading thread to the loader's own, in
//! batches: the one pipeline that GDELT, plain tables and TimelineJS sheets
//! stream through (ACLED runs a richer one of its own, whose reading thread
//! also reads each row's values).
//!
//! The reading thread splits records (quotes, line breaks, UTF-8 checks)
//! while the calling thread turns the previous batch into events, so a file
//! costs the slower of the two rather than their sum, and memory for the
//! rows in flight rather than for the file's text.

use std::io::Read;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::dates::{DateReader, DateTally, SlashOrder};
use super::recurring::{KeyColumns, Numberings};
use super::tabular::{Records, Row};

/// Rows split before the calling thread is handed them.
const BATCH_ROWS: usize = 512;

/// Batches split ahead of the calling thread at most: enough to ride over
/// a slow row, few enough that memory stays that of a few thousand rows.
const AHEAD: usize = 8;

/// How many rows may be held back while their slashed dates have not yet
/// said whether they are day-first: the order is settled from at most this
/// many rows (a file with ISO dates never needs more).
pub const HOLD_ROWS: usize = 20_000;

/// How many rows ahead of the one it reads the calling thread asks for a
/// row's cells: split on the other thread, they are not in this one's
/// cache, and each cell read would otherwise wait for memory.
const PREFETCH_ROWS: usize = 4;

/// How many rows ahead of the one it reads the calling thread hands a
/// row's numbers to [`NumberedRows::ahead`], first ([`Ahead::Slots`]) and
/// second ([`Ahead::Values`]): a memo's slot is then at hand when what it
/// holds is asked for, and that when the row is read.
const SLOTS_AHEAD: usize = 8;
const VALUES_AHEAD: usize = 4;

/// How many rows ahead of the one it splits the reading thread asks for
/// the buffers of a row it reuses.
const REUSED_AHEAD: usize = 4;

/// Below this size an input is split on the calling thread: a thread costs
/// more than it saves on a small file, and fuzzing (which runs tiny inputs
/// by the million) then never starts one.
const THREADED_MIN_BYTES: u64 = 1 << 20;

/// What an input's size says about how to read it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sizing {
    /// Whether rows are split on a thread of their own.
    pub threaded: bool,
    /// About how many rows it holds (a little under), to make room for
    /// their events at once rather than by doubling.
    pub rows_hint: usize,
}

impl Sizing {
    /// The sizing of an input of `size` bytes that starts with `head`.
    pub fn of(head: &[u8], size: u64) -> Self {
        Self {
            threaded: size >= THREADED_MIN_BYTES,
            rows_hint: rows_hint(head, size),
        }
    }

    /// The sizing of an input whose size is not known (a pipe, a member
    /// of a compressed file): taken to be large.
    pub fn unknown() -> Self {
        Self {
            threaded: true,
            rows_hint: 0,
        }
    }
}

/// About how many rows an input of `size` bytes holds, from its head, a
/// little under so that room made ahead of time is not wasted.
fn rows_hint(head: &[u8], size: u64) -> usize {
    let sample = head.get(..HEAD_BYTES).unwrap_or(head);
    let lines = memchr::memchr_iter(b'\n', sample).count() as u64;
    if lines < 2 {
        return 0;
    }
    let per_row = (sample.len() as u64 / lines).max(1);
    usize::try_from(size / per_row * 9 / 10).unwrap_or(0)
}

/// How much of an input's head is sampled to size its rows.
const HEAD_BYTES: usize = 64 * 1024;

/// How long each side waited for the other, for `--timings`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Waits {
    /// The reading thread, for room to send a batch.
    pub reader: Duration,
    /// The calling thread, for a batch to assemble.
    pub assembler: Duration,
}

/// The first rows of an input, held back until their dates have said
/// whether slashed dates are day-first, so that every row is read with the
/// one order the file's values call for.
pub struct Held {
    /// The rows, in file order.
    pub rows: Vec<Row>,
    /// The reader the held values call for.
    pub dates: DateReader,
    /// Whether the input ended among them.
    pub ended: bool,
}

impl Held {
    /// Holds rows of `records` until at least `at_least` are held and the
    /// values of `date_column` settle the order (or [`HOLD_ROWS`] are held,
    /// or the input ends).
    ///
    /// # Errors
    /// When the input cannot be read.
    pub fn read<R: Read>(
        records: &mut Records<'_, R>,
        date_column: Option<usize>,
        order: SlashOrder,
        at_least: usize,
    ) -> std::io::Result<Self> {
        let mut tally = DateTally::new(order);
        let mut rows = Vec::new();
        let mut ended = false;
        while rows.len() < HOLD_ROWS && (rows.len() < at_least || !tally.settled()) {
            let mut row = Row::default();
            if !records.next_into(&mut row)? {
                ended = true;
                break;
            }
            if !tally.settled() {
                tally.count(row.at(date_column).unwrap_or(""));
            }
            rows.push(row);
        }
        Ok(Self {
            rows,
            dates: tally.reader(),
            ended,
        })
    }

    /// The lines the held rows start on.
    pub fn lines(&self) -> Vec<u32> {
        self.rows.iter().map(|r| r.line).collect()
    }
}

/// A batch of rows whose buffers are reused once the calling thread is done
/// with them: a row's cell buffer is written again, not allocated again.
#[derive(Default)]
struct Batch {
    rows: Vec<Row>,
    /// Each row's numbers from [`for_each_numbered_row`]'s numberings, one
    /// a key, row after row.
    numbers: Vec<Option<u32>>,
    /// The hashes those numbers are found by, likewise.
    hashes: Vec<Option<u64>>,
    len: usize,
}

/// How many rows after it is split a row is numbered: by then, what its
/// numberings' lookups read (a line of their tables, then the cells kept
/// there) has been asked for, first the one, half-way the other. The file
/// streams through the cache between two rows with the same cells, so
/// each would otherwise be a trip to memory.
const NUMBERED_BEHIND: usize = 8;

/// What a loader does with numbered rows ([`for_each_numbered_row`]).
pub trait NumberedRows {
    /// Reads a row, with the numbers of its cells in each key.
    fn row(&mut self, row: &Row, numbers: &[Option<u32>]);

    /// Asks for what the row of these numbers will read, some rows before
    /// its turn: the memos' slots at [`Ahead::Slots`], what they hold (the
    /// counts of shared values its clones will write) at
    /// [`Ahead::Values`]. Each is a trip to memory when the memos are
    /// larger than the cache, made side by side with the rows before.
    fn ahead(&self, _numbers: &[Option<u32>], _step: Ahead) {}

    /// Reads every row of `records` on this thread, its cells numbered by
    /// `keys` (a part of a large file, read beside the others).
    ///
    /// # Errors
    /// When the input cannot be read.
    fn read_all<R: Read + Send>(
        &mut self,
        records: &mut Records<'_, R>,
        keys: &[KeyColumns],
    ) -> std::io::Result<()>
    where
        Self: Sized,
    {
        for_each_numbered_row(records, false, keys, self).map(drop)
    }
}

/// Which of [`NumberedRows::ahead`]'s asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ahead {
    Slots,
    Values,
}

/// Any closure reads rows, asking for nothing ahead.
impl<F: FnMut(&Row, &[Option<u32>])> NumberedRows for F {
    fn row(&mut self, row: &Row, numbers: &[Option<u32>]) {
        self(row, numbers);
    }
}

/// Calls `each` on every record of `records`, in order. With `threaded`, a
/// second thread splits the records while this one runs `each`.
///
/// # Errors
/// When the input cannot be read; the rows before the failure have been
/// handed to `each`.
pub fn for_each_row<R: Read + Send>(
    records: &mut Records<'_, R>,
    threaded: bool,
    mut each: impl FnMut(&Row),
) -> std::io::Result<Waits> {
    for_each_numbered_row(
        records,
        threaded,
        &[],
        &mut |row: &Row, _: &[Option<u32>]| {
            each(row);
        },
    )
}

/// [`for_each_row`], each row handed over with the number of its cells in
/// each of `keys` ([`Numbering`]), found on the reading thread (where the
/// row was just split) so that the calling thread can find what it made of
/// equal cells before by the number, without reading them again. `None`
/// for a key without a number (too many different cells kept, or cells
/// that do not recur).
///
/// # Errors
/// As [`for_each_row`].
pub fn for_each_numbered_row<R: Read + Send>(
    records: &mut Records<'_, R>,
    threaded: bool,
    keys: &[KeyColumns],
    rows: &mut impl NumberedRows,
) -> std::io::Result<Waits> {
    let mut numberings = Numberings::new(keys.to_vec());
    if !threaded {
        // A batch at a time here too: its rows are numbered a few rows
        // after they are split, what their lookups read asked for before.
        let mut batch = Batch::default();
        loop {
            let more = fill(records, &mut batch, &mut numberings)?;
            batch.hand_over(rows, keys.len(), false);
            if !more {
                return Ok(Waits::default());
            }
        }
    }
    std::thread::scope(|scope| {
        let (full, filled) = mpsc::sync_channel::<Batch>(AHEAD);
        let (empty, emptied) = mpsc::channel::<Batch>();
        let reader = scope.spawn(move || -> std::io::Result<Duration> {
            let mut waited = Duration::ZERO;
            loop {
                let mut batch = emptied.try_recv().unwrap_or_default();
                let more = fill(records, &mut batch, &mut numberings)?;
                let sending = Instant::now();
                let sent = full.send(batch);
                waited += sending.elapsed();
                if sent.is_err() || !more {
                    return Ok(waited);
                }
            }
        });
        let mut waits = Waits::default();
        let mut waiting = Instant::now();
        while let Ok(batch) = filled.recv() {
            waits.assembler += waiting.elapsed();
            batch.hand_over(rows, keys.len(), true);
            // The reader may have finished: the batch is then dropped.
            let _ = empty.send(batch);
            waiting = Instant::now();
        }
        waits.reader = reader
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the reading thread failed")))?;
        Ok(waits)
    })
}

impl Batch {
    /// Hands each row to `rows`, in order, with what it asks for ahead;
    /// `split_elsewhere`: the rows were split on another thread, so their
    /// cells are asked for too.
    fn hand_over(&self, rows: &mut impl NumberedRows, stride: usize, split_elsewhere: bool) {
        let split = self.rows.get(..self.len).unwrap_or_default();
        let numbers = |i: usize| {
            self.numbers
                .get(i * stride..(i + 1) * stride)
                .filter(|_| i < self.len)
        };
        if split_elsewhere {
            for row in split.iter().take(PREFETCH_ROWS) {
                row.prefetch();
            }
        }
        for i in 0..SLOTS_AHEAD.min(self.len) {
            rows.ahead(numbers(i).unwrap_or_default(), Ahead::Slots);
        }
        for i in 0..VALUES_AHEAD.min(self.len) {
            rows.ahead(numbers(i).unwrap_or_default(), Ahead::Values);
        }
        for (i, row) in split.iter().enumerate() {
            if split_elsewhere && let Some(ahead) = split.get(i + PREFETCH_ROWS) {
                ahead.prefetch();
            }
            if let Some(ahead) = numbers(i + SLOTS_AHEAD) {
                rows.ahead(ahead, Ahead::Slots);
            }
            if let Some(ahead) = numbers(i + VALUES_AHEAD) {
                rows.ahead(ahead, Ahead::Values);
            }
            rows.row(row, numbers(i).unwrap_or_default());
        }
    }
}

/// Splits up to [`BATCH_ROWS`] records into `batch` and numbers them,
/// each [`NUMBERED_BEHIND`] rows after it is split; `false` once the input
/// has ended.
fn fill<R: Read>(
    records: &mut Records<'_, R>,
    batch: &mut Batch,
    numberings: &mut Numberings,
) -> std::io::Result<bool> {
    let stride = numberings.len();
    let slice = |n: usize| n * stride..(n + 1) * stride;
    batch.len = 0;
    let mut more = true;
    while batch.len < BATCH_ROWS {
        if batch.rows.len() == batch.len {
            batch.rows.push(Row::default());
            batch.numbers.resize(batch.rows.len() * stride, None);
            batch.hashes.resize(batch.rows.len() * stride, None);
        }
        let n = batch.len;
        let (Some(row), Some(hashes)) = (batch.rows.get_mut(n), batch.hashes.get_mut(slice(n)))
        else {
            more = false;
            break;
        };
        if !records.next_into(row)? {
            more = false;
            break;
        }
        numberings.hash(&row.cells, hashes);
        batch.len += 1;
        // The buffers of a row split a little later: the calling thread
        // read them last, so they are in its cache, not this thread's.
        if let Some(later) = batch.rows.get(batch.len + REUSED_AHEAD) {
            later.prefetch_to_write();
        }
        if let Some(half) = n.checked_sub(NUMBERED_BEHIND / 2) {
            numberings.prefetch_kept(batch.hashes.get(slice(half)).unwrap_or_default());
        }
        if let Some(behind) = n.checked_sub(NUMBERED_BEHIND) {
            number_row(batch, numberings, behind);
        }
    }
    for n in batch.len.saturating_sub(NUMBERED_BEHIND)..batch.len {
        number_row(batch, numberings, n);
    }
    Ok(more)
}

/// Numbers row `n` of the batch, by the hashes taken as it was split.
fn number_row(batch: &mut Batch, numberings: &mut Numberings, n: usize) {
    let stride = numberings.len();
    let at = n * stride..(n + 1) * stride;
    if let (Some(row), Some(hashes), Some(numbers)) = (
        batch.rows.get(n),
        batch.hashes.get(at.clone()),
        batch.numbers.get_mut(at),
    ) {
        numberings.number(&row.cells, hashes, numbers);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows arrive in order with their lines, on one thread or two, past
    /// several batches and a record that spans lines.
    #[test]
    fn rows_arrive_in_order_either_way() {
        let mut text = String::from("a,\"b\nc\"\n");
        for i in 0..2_000 {
            text.push_str(&format!("{i},x\n"));
        }
        for threaded in [false, true] {
            let mut records = Records::new(text.as_bytes(), b',', true, None);
            let mut seen = Vec::new();
            for_each_row(&mut records, threaded, |row| {
                seen.push((row.line, row.get(0).unwrap_or("").to_owned()));
            })
            .expect("read");
            assert_eq!(seen.len(), 2_001, "threaded: {threaded}");
            assert_eq!(seen.first(), Some(&(1, "a".to_owned())));
            assert_eq!(seen.get(1), Some(&(3, "0".to_owned())));
            assert_eq!(seen.last(), Some(&(2_002, "1999".to_owned())));
        }
    }

    /// Every row is asked ahead for, its slots and then its values, before
    /// it is read, in file order, on one thread or two and across batches.
    #[test]
    fn each_row_is_asked_ahead_for_before_it_is_read() {
        #[derive(Default)]
        struct Log {
            asked: std::cell::RefCell<Vec<(Ahead, String)>>,
            read: Vec<String>,
            out_of_order: usize,
        }
        impl NumberedRows for Log {
            fn row(&mut self, row: &Row, numbers: &[Option<u32>]) {
                let cell = row.get(0).unwrap_or("").to_owned();
                assert_eq!(numbers.len(), 1);
                let asked = self.asked.borrow();
                let slots = asked
                    .iter()
                    .position(|a| *a == (Ahead::Slots, cell.clone()));
                let values = asked
                    .iter()
                    .position(|a| *a == (Ahead::Values, cell.clone()));
                if !matches!((slots, values), (Some(s), Some(v)) if s < v) {
                    self.out_of_order += 1;
                }
                drop(asked);
                self.read.push(cell);
            }
            fn ahead(&self, numbers: &[Option<u32>], step: Ahead) {
                assert_eq!(numbers.len(), 1);
                let n = self.asked.borrow().iter().filter(|a| a.0 == step).count();
                self.asked.borrow_mut().push((step, format!("row {n}")));
            }
        }
        let rows = BATCH_ROWS * 2 + 5;
        let text: String = (0..rows).map(|i| format!("row {i},{}\n", i % 3)).collect();
        let keys = [KeyColumns::new([Some(1)])];
        for threaded in [false, true] {
            let mut records = Records::new(text.as_bytes(), b',', true, None);
            let mut log = Log::default();
            for_each_numbered_row(&mut records, threaded, &keys, &mut log).expect("read");
            let expected: Vec<String> = (0..rows).map(|i| format!("row {i}")).collect();
            assert_eq!(log.read, expected, "threaded: {threaded}");
            assert_eq!(log.out_of_order, 0, "threaded: {threaded}");
            assert_eq!(log.asked.borrow().len(), 2 * rows);
        }
    }

    /// Rows with equal key cells get one number, on one thread or two;
    /// the cells outside the key do not matter.
    #[test]
    fn equal_key_cells_get_one_number_either_way() {
        let mut text = String::new();
        for i in 0..3_000 {
            text.push_str(&format!("{},{i}\n", i % 7));
        }
        let keys = [KeyColumns::new([Some(0)])];
        for threaded in [false, true] {
            let mut records = Records::new(text.as_bytes(), b',', true, None);
            let mut numbers = std::collections::BTreeMap::new();
            let mut rows = 0;
            for_each_numbered_row(&mut records, threaded, &keys, &mut |row: &Row,
                                                                       found: &[Option<
                u32,
            >]| {
                let number = found.first().copied().flatten();
                let cell = row.get(0).unwrap_or("").to_owned();
                let first = *numbers.entry(cell).or_insert(number);
                assert_eq!(number, first, "threaded: {threaded}");
                rows += 1;
            })
            .expect("read");
            assert_eq!(rows, 3_000);
            let mut distinct: Vec<_> = numbers.into_values().collect();
            distinct.sort_unstable();
            assert_eq!(distinct, (0..7).map(Some).collect::<Vec<_>>());
        }
    }

    /// A reader that fails part-way: the error comes back, after the rows
    /// read before it.
    #[test]
    fn a_failing_input_is_an_error_after_its_good_rows() {
        struct Failing(usize);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0 == 0 {
                    return Err(std::io::Error::other("disk on fire"));
                }
                self.0 -= 1;
                let line = b"1,2\n";
                let n = line.len().min(buf.len());
                buf[..n].copy_from_slice(&line[..n]);
                Ok(n)
            }
        }
        for threaded in [false, true] {
            let mut records = Records::new(Failing(3), b',', true, None);
            let mut rows = 0;
            let result = for_each_row(&mut records, threaded, |_| rows += 1);
            assert!(result.is_err(), "threaded: {threaded}");
            assert!(rows <= 3);
        }
    }
}
