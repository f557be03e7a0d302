//! Splitting delimited text into records as it streams in.
//!
//! The rules are those of RFC 4180 as the `csv` crate reads it (and as the
//! tests check against it): a cell that starts with `"` is quoted and may
//! hold delimiters, line breaks and doubled quotes; a `"` anywhere else is
//! an ordinary character; `\r`, `\n` or `\r\n` end a record; blank lines are
//! skipped; a row may have any number of cells.
//!
//! It is its own code, not the crate's, because a million-row file spends
//! most of its reading here: the crate copies each byte through a state
//! machine, then once more to find the line breaks and once more to check
//! UTF-8, while most of a row's bytes are a quoted note that
//! [`memchr`](memchr::memchr) crosses at once.

use super::stops::{Run, Stops};
use std::io::Read;

use crate::load::progress::Progress;
use crate::load::{Problem, ProblemKind};
use crate::prefetch::{prefetch, prefetch_to_write};

/// One record and the 1-based line it starts on.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Row {
    /// Where the record starts (the header is line 1).
    pub line: u32,
    /// Its cells, untrimmed.
    pub cells: Cells,
}

/// The cells of a record: one buffer for all their text, not a string per
/// cell, so a million-row file reads without a million small allocations.
/// Each cell but the first starts one byte after the one before ends,
/// past the delimiter.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Cells {
    text: String,
    /// Where each cell ends in `text`.
    ends: Vec<usize>,
}

impl Row {
    /// Asks for the cache lines of the row's buffers, before they are
    /// written again: a row reused after another thread read it would
    /// otherwise miss the cache on each line as it is written.
    pub fn prefetch_to_write(&self) {
        self.each_line(prefetch_to_write, prefetch_to_write);
    }

    /// Asks for the cache lines of the row's cells, before they are read:
    /// a row split on another thread is in that core's cache.
    pub fn prefetch(&self) {
        self.each_line(prefetch, prefetch);
    }

    /// Calls `text` and `ends` on the first byte or end of each cache line
    /// of the row's two buffers.
    fn each_line(&self, text: impl Fn(&u8), ends: impl Fn(&usize)) {
        self.cells.text.as_bytes().iter().step_by(64).for_each(text);
        self.cells.ends.iter().step_by(8).for_each(ends);
    }
}

impl Cells {
    /// How many cells the record has.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The cell at `index`, as it was written (quotes undone).
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)? + 1,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// Every cell in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Cells `first..=last` as they lie in the record: one text with a
    /// byte between each two (the delimiter), and where each cell ends in
    /// it. `None` when the record has fewer cells.
    pub fn span(&self, first: usize, last: usize) -> Option<Span<'_>> {
        let ends = self.ends.get(first..=last)?;
        let start = match first.checked_sub(1) {
            Some(before) => *self.ends.get(before)? + 1,
            None => 0,
        };
        let text = self.text.as_bytes().get(start..*ends.last()?)?;
        Some(Span { text, ends, start })
    }
}

/// Neighbouring cells of a record, as [`Cells::span`] finds them.
pub struct Span<'c> {
    /// Their bytes, with the byte between each two cells.
    pub text: &'c [u8],
    /// Where each cell ends, counted from the start of the record (less
    /// `start`, from the start of `text`).
    pub ends: &'c [usize],
    pub start: usize,
}

/// Cells made from texts, joined as a record of comma-separated values
/// would be read.
impl<'a> FromIterator<&'a str> for Cells {
    fn from_iter<I: IntoIterator<Item = &'a str>>(cells: I) -> Self {
        let mut made = Self::default();
        for (n, cell) in cells.into_iter().enumerate() {
            if n > 0 {
                made.text.push(',');
            }
            made.text.push_str(cell);
            made.ends.push(made.text.len());
        }
        made
    }
}

/// How much input is asked for at once; a longer record grows the buffer.
const READ_BYTES: usize = 1 << 18;

/// Delimited records read one at a time from any reader (a file streams
/// through without being held in memory), each with the line it starts on.
///
/// Cells that are not UTF-8 are read as Windows-1252, what spreadsheet
/// programs write otherwise; [`Records::encoding_note`] then says so once.
pub struct Records<'p, R: Read> {
    input: R,
    /// Input not yet split is `buf[start..filled]`.
    buf: Vec<u8>,
    start: usize,
    filled: usize,
    input_ended: bool,
    /// Bytes of the input before `buf[0]`, for the progress bar.
    dropped: u64,
    /// `\n`s before `buf[start]`.
    newlines: u64,
    delimiter: u8,
    quoting: bool,
    progress: Option<&'p Progress>,
    not_utf8_at: Option<u32>,
    read: u64,
    /// Records split so far (the header among them), for the progress bar.
    records: u64,
    /// Where the unquoted cells of the buffer's current block end.
    stops: Stops,
    /// The offset at which a record no longer belongs to this reader (the
    /// next part of the input begins there, see [`crate::load::parts`]).
    limit: u64,
    /// Whether the progress is shared with other parts of the input, each
    /// adding what it did since it last told ([`Records::tell`]).
    adding: bool,
    /// The position and records told so far, when adding.
    told: (u64, u64),
}

/// What one attempt to split a record from the buffer came to.
enum Split {
    /// A record, whose cells end before this offset.
    Record { next: usize, newlines_inside: u64 },
    /// The buffer ends inside the record.
    NeedMore,
}

impl<'p, R: Read> Records<'p, R> {
    /// Records of `input`, split at `delimiter` (an ASCII byte); without
    /// `quoting`, `"` is an ordinary character.
    pub fn new(input: R, delimiter: u8, quoting: bool, progress: Option<&'p Progress>) -> Self {
        Self {
            input,
            buf: Vec::new(),
            start: 0,
            filled: 0,
            input_ended: false,
            dropped: 0,
            newlines: 0,
            delimiter,
            quoting,
            progress,
            not_utf8_at: None,
            read: 0,
            records: 0,
            stops: Stops::default(),
            limit: u64::MAX,
            adding: false,
            told: (0, 0),
        }
    }

    /// Records of an input that begins after `newlines` line breaks of a
    /// file: their lines are the file's.
    pub fn after_lines(mut self, newlines: u64) -> Self {
        self.newlines = newlines;
        self
    }

    /// Records of one part of an input read in parts side by side: the
    /// progress is told by adding to it, not by setting it.
    pub fn in_part(mut self) -> Self {
        self.adding = true;
        self
    }

    /// Tells the progress how far the reading is.
    fn tell(&mut self, progress: &Progress) {
        if self.adding {
            let (at, records) = (self.position(), self.records);
            let (told_at, told_records) = self.told;
            progress.add_done(
                at.saturating_sub(told_at),
                records.saturating_sub(told_records),
            );
            self.told = (at, records);
        } else {
            progress.set_done(self.dropped + self.start as u64);
            progress.set_rows(self.records);
        }
    }

    /// Records of `input` that start before `limit` (an offset in the
    /// input): a record that starts before it is read whole, past it.
    pub fn before(mut self, limit: u64) -> Self {
        self.limit = limit;
        self
    }

    /// Passes what comes before the next record (line breaks, blank
    /// lines), reading more input as needed, so that [`Records::position`]
    /// and [`Records::newlines`] say where the next record starts.
    ///
    /// # Errors
    /// When the underlying reader fails.
    pub fn settle(&mut self) -> std::io::Result<()> {
        loop {
            self.skip_blank_lines();
            if self.start < self.filled || self.input_ended {
                return Ok(());
            }
            self.fill()?;
        }
    }

    /// The offset in the input up to which records have been read (and,
    /// after [`Records::settle`], at which the next one starts).
    pub fn position(&self) -> u64 {
        self.dropped + self.start as u64
    }

    /// The line breaks before [`Records::position`].
    pub fn newlines(&self) -> u64 {
        self.newlines
    }

    /// The line of the first cells that were not UTF-8, if any.
    pub fn not_utf8_at(&self) -> Option<u32> {
        self.not_utf8_at
    }

    /// Reads the next record into `row`, reusing its buffers. `Ok(false)` at
    /// the end of the input, or once `progress` has been cancelled.
    ///
    /// # Errors
    /// When the underlying reader fails (a file that cannot be read).
    pub fn next_into(&mut self, row: &mut Row) -> std::io::Result<bool> {
        self.read += 1;
        if let Some(progress) = self.progress
            && self.read.is_multiple_of(1024)
        {
            self.tell(progress);
            if progress.is_cancelled() {
                return Ok(false);
            }
        }
        let mut bytes = std::mem::take(&mut row.cells.text).into_bytes();
        let ends = &mut row.cells.ends;
        let newlines_inside = loop {
            self.skip_blank_lines();
            let past_limit = self.start < self.filled && self.position() >= self.limit;
            if past_limit || (self.start == self.filled && self.input_ended) {
                row.cells.text = String::from_utf8(bytes).unwrap_or_default();
                if let Some(progress) = self.progress {
                    self.tell(progress);
                }
                return Ok(false);
            }
            bytes.clear();
            ends.clear();
            match self.split(&mut bytes, ends) {
                Split::Record {
                    next,
                    newlines_inside,
                } => {
                    self.start = next;
                    break newlines_inside;
                }
                Split::NeedMore => self.fill_to_line_end()?,
            }
        };
        self.records += 1;
        row.line = u32::try_from(self.newlines + 1).unwrap_or(u32::MAX);
        self.newlines += newlines_inside;
        row.cells.text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                self.not_utf8_at.get_or_insert(row.line);
                windows_1252_cells(&e.into_bytes(), ends, self.delimiter)
            }
        };
        Ok(true)
    }

    /// Set when some cells were not UTF-8: what to tell the user, once.
    pub fn encoding_note(&self) -> Option<Problem> {
        self.not_utf8_at.map(encoding_note)
    }

    /// Passes the line breaks between records (and blank lines).
    fn skip_blank_lines(&mut self) {
        let pending = self.buf.get(self.start..self.filled).unwrap_or_default();
        let blank = pending
            .iter()
            .position(|&b| b != b'\r' && b != b'\n')
            .unwrap_or(pending.len());
        let skipped = pending.get(..blank).unwrap_or_default();
        self.newlines += skipped.iter().filter(|&&b| b == b'\n').count() as u64;
        self.start += blank;
    }

    /// Reads more input until it holds a line break (or the input ends):
    /// the record that needed more is split again only then, not after
    /// each read, so that a line of a hundred megabytes is split once.
    fn fill_to_line_end(&mut self) -> std::io::Result<()> {
        let mut from = self.fill()?;
        while !self.input_ended {
            let fresh = self.buf.get(from..self.filled).unwrap_or_default();
            if memchr::memchr2(b'\n', b'\r', fresh).is_some() {
                break;
            }
            from = self.fill()?;
        }
        Ok(())
    }

    /// Keeps the unsplit input, moved to the front, and reads more after
    /// it. Returns where the bytes read begin in the buffer.
    fn fill(&mut self) -> std::io::Result<usize> {
        if self.input_ended {
            return Ok(self.filled);
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.filled, 0);
        }
        self.stops.forget();
        self.dropped += self.start as u64;
        self.filled -= self.start;
        self.start = 0;
        // The record being split is scanned again from its start after
        // each read, so a long one must grow the buffer by a share of what
        // it holds, not by a fixed step: each byte of it is then scanned a
        // few times over, not once per step.
        let more = READ_BYTES.max(self.filled / 2);
        let want = (self.filled + more).max(self.buf.len());
        self.buf.resize(want, 0);
        let goal = self.filled + more;
        let fresh = self.filled;
        while self.filled < goal {
            let room = self.buf.get_mut(self.filled..).unwrap_or_default();
            match self.input.read(room) {
                Ok(0) => {
                    self.input_ended = true;
                    break;
                }
                Ok(n) => self.filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(fresh)
    }

    /// Splits the record at `buf[start..]` into `bytes` and `ends`, or says
    /// the buffer ends inside it (when more input may follow).
    ///
    /// The record's bytes are copied in runs, broken only where a quote is
    /// left out: the delimiters stay, each one byte between two cells.
    fn split(&mut self, bytes: &mut Vec<u8>, ends: &mut Vec<usize>) -> Split {
        let data = self.buf.get(..self.filled).unwrap_or_default();
        let last = self.input_ended;
        let mut i = self.start;
        // Where the bytes not yet copied begin.
        let mut run = i;
        let copy = |bytes: &mut Vec<u8>, from: usize, to: usize| {
            bytes.extend_from_slice(data.get(from..to).unwrap_or_default());
        };
        // The buffer ends inside a cell: more input may follow, or the
        // input ends there, and so does the cell.
        let cut = |bytes: &mut Vec<u8>, ends: &mut Vec<usize>, run: usize, newlines_inside| {
            if !last {
                return Split::NeedMore;
            }
            copy(bytes, run, data.len());
            ends.push(bytes.len());
            Split::Record {
                next: data.len(),
                newlines_inside,
            }
        };
        let mut newlines_inside = 0;
        loop {
            // A cell: its quoted part first, if it starts with a quote.
            if self.quoting && data.get(i) == Some(&b'"') {
                copy(bytes, run, i);
                i += 1;
                run = i;
                loop {
                    // The next quote, counting the line breaks on the way.
                    let rest = data.get(i..).unwrap_or_default();
                    let Some(stop) = memchr::memchr2(b'"', b'\n', rest) else {
                        // Unclosed at the end of the input: the rest is the cell.
                        return cut(bytes, ends, run, newlines_inside);
                    };
                    if rest.get(stop) == Some(&b'\n') {
                        newlines_inside += 1;
                        i += stop + 1;
                        continue;
                    }
                    copy(bytes, run, i + stop);
                    i += stop + 1;
                    run = i;
                    match data.get(i) {
                        // A doubled quote: the second one is kept.
                        Some(b'"') => i += 1,
                        None if !last => return Split::NeedMore,
                        _ => break,
                    }
                }
            } else {
                // Unquoted cells, as many as follow one another.
                let first_end = bytes.len() + (i - run);
                let (delimiter, quoting) = (self.delimiter, self.quoting);
                match self
                    .stops
                    .unquoted_cells(data, i, delimiter, quoting, ends, first_end)
                {
                    Run::LineEnd(stop) => {
                        copy(bytes, run, stop);
                        return Split::Record {
                            next: stop,
                            newlines_inside,
                        };
                    }
                    Run::Cell(at) => {
                        i = at;
                        if quoting && data.get(i) == Some(&b'"') {
                            continue;
                        }
                    }
                }
            }
            // Then, as for an unquoted cell, up to a delimiter or line break.
            let Some(stop) = self.stops.next(data, i, self.delimiter) else {
                return cut(bytes, ends, run, newlines_inside);
            };
            i = stop;
            ends.push(bytes.len() + (i - run));
            if data.get(i) != Some(&self.delimiter) {
                // A line break: the next call passes it.
                copy(bytes, run, i);
                return Split::Record {
                    next: i,
                    newlines_inside,
                };
            }
            i += 1;
            if i == data.len() {
                if !last {
                    return Split::NeedMore;
                }
                // A delimiter at the very end: one more, empty cell.
                copy(bytes, run, i);
                ends.push(bytes.len());
                return Split::Record {
                    next: i,
                    newlines_inside,
                };
            }
        }
    }
}

/// What to tell the user, once, when cells from `line` on were not UTF-8.
pub fn encoding_note(line: u32) -> Problem {
    Problem::new(
        ProblemKind::Encoding,
        line,
        "",
        "the file is not UTF-8 from this line on; its cells were read as \
         Windows-1252, so check accented names",
    )
}

/// A record's cells read as Windows-1252 (those that are UTF-8 as they
/// are), with `delimiter` between them as before.
fn windows_1252_cells(bytes: &[u8], ends: &mut [usize], delimiter: u8) -> String {
    let mut text = String::with_capacity(bytes.len());
    let mut start = 0;
    for (n, end) in ends.iter_mut().enumerate() {
        if n > 0 {
            text.push(char::from(delimiter));
        }
        let cell = bytes.get(start..*end).unwrap_or_default();
        start = *end + 1;
        match std::str::from_utf8(cell) {
            Ok(cell) => text.push_str(cell),
            Err(_) => text.push_str(&crate::load::text::windows_1252(cell)),
        }
        *end = text.len();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Picker;

    fn split(text: &[u8], delimiter: u8, quoting: bool, chunk: usize) -> Vec<(u32, Vec<String>)> {
        let input = Trickle { text, chunk };
        let mut records = Records::new(input, delimiter, quoting, None);
        let mut row = Row::default();
        let mut out = Vec::new();
        while records.next_into(&mut row).unwrap_or(false) {
            out.push((row.line, row.cells.iter().map(str::to_owned).collect()));
        }
        out
    }

    /// Hands out its text a few bytes at a time, so records straddle reads.
    struct Trickle<'a> {
        text: &'a [u8],
        chunk: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.chunk.min(buf.len()).min(self.text.len());
            let (head, tail) = self.text.split_at(n);
            buf.get_mut(..n).unwrap_or_default().copy_from_slice(head);
            self.text = tail;
            Ok(n)
        }
    }

    /// What the `csv` crate reads, configured as chronomap used it.
    fn oracle(text: &[u8], delimiter: u8, quoting: bool) -> Vec<Vec<String>> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .quoting(quoting)
            .from_reader(text);
        reader
            .byte_records()
            .map_while(Result::ok)
            .map(|r| {
                r.iter()
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn quoted_cells_blank_lines_and_line_numbers() {
        let text = b"a,b\n1,\"two\nlines\"\n\n3,4\r\n5,\"x\"\"y\"z,\n\r\nq\"r,\"\"";
        for chunk in [1, 2, 3, 7, 1000] {
            let rows = split(text, b',', true, chunk);
            let expected: Vec<(u32, Vec<String>)> = vec![
                (1, vec!["a".into(), "b".into()]),
                (2, vec!["1".into(), "two\nlines".into()]),
                (5, vec!["3".into(), "4".into()]),
                (6, vec!["5".into(), "x\"yz".into(), String::new()]),
                (8, vec!["q\"r".into(), String::new()]),
            ];
            assert_eq!(rows, expected, "read {chunk} bytes at a time");
        }
    }

    #[test]
    fn without_quoting_a_quote_is_a_character() {
        let rows = split(b"\"a\tb\"\tc\n", b'\t', false, 3);
        assert_eq!(
            rows,
            [(1, vec!["\"a".to_owned(), "b\"".into(), "c".into()])]
        );
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end() {
        let rows = split(b"1,\"open\n2,3\n", b',', true, 4);
        assert_eq!(rows, [(1, vec!["1".to_owned(), "open\n2,3\n".into()])]);
    }

    #[test]
    fn cells_that_are_not_utf8_read_as_windows_1252() {
        let input: &[u8] = b"caf\xe9,ok\n";
        let mut records = Records::new(input, b',', true, None);
        let mut row = Row::default();
        assert!(records.next_into(&mut row).unwrap_or(false));
        assert_eq!(row.cells.iter().collect::<Vec<_>>(), ["café", "ok"]);
        assert_eq!(records.encoding_note().map(|p| p.line), Some(1));
    }

    /// Random text built from the characters that matter, split in random
    /// reads, against the `csv` crate.
    #[test]
    fn splits_as_the_csv_crate_does() {
        let mut rng = Picker::new(7);
        let alphabet = [
            b'a', b'b', b',', b';', b'"', b'"', b'\n', b'\r', b' ', b'\t',
        ];
        for case in 0..3000 {
            let len = rng.below(60);
            let text: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            let delimiter = if case % 3 == 0 { b'\t' } else { b',' };
            let quoting = case % 5 != 0;
            let chunk = 1 + rng.below(9);
            let ours: Vec<Vec<String>> = split(&text, delimiter, quoting, chunk)
                .into_iter()
                .map(|(_, cells)| cells)
                .collect();
            assert_eq!(
                ours,
                oracle(&text, delimiter, quoting),
                "{:?} delimiter {delimiter} quoting {quoting}",
                String::from_utf8_lossy(&text)
            );
        }
    }
}
