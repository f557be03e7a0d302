//! A large delimited file read in parts side by side, each part by a core
//! of its own, from its first record to its last, into events of its own
//! that are joined in file order at the end.
//!
//! A part begins after a line break near an even share of the file. That
//! break may lie inside a quoted cell: whether it does is only known once
//! the part before has been read up to it. So each part but the last
//! stops at the first record that starts at or past the next part's
//! beginning, and the two must meet there. Where they do not (a quoted
//! cell spanned the cut), the parts from there on are dropped and the
//! rest of the file is read again on the calling thread: the result is
//! always the one reading the file from start to end gives.

use std::io::{self, Read};
use std::sync::{Condvar, Mutex, PoisonError};

use super::progress::Progress;
use super::source::{NulCut, ReadAt, StopAtNul, Whole};
use super::tabular::Records;

/// Below this many bytes a part is not worth a thread: starting one, and
/// joining what it made, costs more than it saves. The crate's own tests
/// split files of a few kilobytes, into four parts, so that the loaders'
/// tests read their larger inputs this way too.
const PART_MIN_BYTES: u64 = if cfg!(test) { 1 << 12 } else { 8 << 20 };

/// How far past its even share a part looks for the line break it begins
/// after, before giving that cut up.
const LINE_SEARCH_BYTES: u64 = 1 << 20;

/// The records of one part of a file.
pub type PartRecords<'a> = Records<'a, StopAtNul<'a, ReadAt<'a>>>;

/// Where the parts of a file begin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Each part's first byte, in order; the first part begins where the
    /// records read before it ended.
    starts: Vec<u64>,
    /// The line breaks before the first part.
    newlines: u64,
}

impl Plan {
    /// How many parts there are.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// The parts of `whole` from `from` on (where a record starts, after
    /// `newlines` line breaks), one for each core while each part holds at
    /// least [`PART_MIN_BYTES`]; `None` when one part would do.
    pub fn of(whole: &Whole<'_>, from: u64, newlines: u64) -> Option<Self> {
        let cores = if cfg!(test) {
            4
        } else {
            std::thread::available_parallelism().map_or(1, usize::from)
        };
        Self::with_parts(whole, from, newlines, cores, PART_MIN_BYTES)
    }

    /// The parts of the rest of `whole` after what `records` (reading it
    /// from its start) has read, where there is a file to read in parts
    /// and enough of it is left.
    ///
    /// # Errors
    /// When the file cannot be read.
    pub fn after<'w, R: Read>(
        whole: Option<Whole<'w>>,
        records: &mut Records<'_, R>,
    ) -> io::Result<Option<(Whole<'w>, Self)>> {
        // Past a NUL byte the text has ended, whatever follows it.
        let Some(whole) = whole.filter(|whole| whole.cut.line().is_none()) else {
            return Ok(None);
        };
        records.settle()?;
        let plan = Self::of(&whole, records.position(), records.newlines());
        Ok(plan.map(|plan| (whole, plan)))
    }

    /// Like [`Plan::of`], with `parts` parts at most, of `min_bytes` at least.
    pub fn with_parts(
        whole: &Whole<'_>,
        from: u64,
        newlines: u64,
        parts: usize,
        min_bytes: u64,
    ) -> Option<Self> {
        let left = whole.size.checked_sub(from)?;
        let parts = (parts as u64).min(left / min_bytes.max(1));
        if parts < 2 {
            return None;
        }
        let mut starts = vec![from];
        for k in 1..parts {
            let even = from + left / parts * k;
            let last = starts.last().copied().unwrap_or(from);
            match line_start_after(whole, even) {
                Ok(Some(start)) if start > last && start < whole.size => starts.push(start),
                _ => {}
            }
        }
        (starts.len() > 1).then_some(Self { starts, newlines })
    }
}

/// The first byte after the first line break at or past `offset` that is
/// not itself a line break; `None` when no line break comes soon.
fn line_start_after(whole: &Whole<'_>, offset: u64) -> io::Result<Option<u64>> {
    let mut window = Vec::new();
    whole
        .from(offset)
        .take(LINE_SEARCH_BYTES)
        .read_to_end(&mut window)?;
    let Some(newline) = memchr::memchr(b'\n', &window) else {
        return Ok(None);
    };
    let after = window.get(newline..).unwrap_or_default();
    let Some(text) = after.iter().position(|&b| b != b'\n' && b != b'\r') else {
        return Ok(None);
    };
    Ok(Some(offset + (newline + text) as u64))
}

/// What the parts after the first made, in file order, and the first line
/// whose cells were not UTF-8 in any part.
pub struct Parts<T> {
    /// What each part after the first made.
    pub later: Vec<Later<T>>,
    /// The first line of cells that were not UTF-8.
    pub not_utf8_at: Option<u32>,
}

/// What a part after the first made, and where it began.
pub struct Later<T> {
    /// What its reader made of its records.
    pub made: T,
    /// Where its records began, for a loader that finds it cannot join
    /// them (see [`read_rest`]).
    pub from: Resume,
}

/// Where a part's records began: the offset of its first, and the line
/// breaks before it.
#[derive(Clone, Copy, Debug)]
pub struct Resume {
    at: u64,
    newlines: u64,
}

impl<T> Parts<T> {
    /// What each part made, in order (where each began no longer needed).
    pub fn made(self) -> Vec<T> {
        self.later.into_iter().map(|part| part.made).collect()
    }

    /// Keeps what a later part made, and the first line it found not UTF-8.
    fn add(&mut self, made: T, from: Resume, ended: &Ended) {
        self.not_utf8_at = self.not_utf8_at.or(ended.not_utf8_at);
        self.later.push(Later { made, from });
    }
}

/// Reads the file from where a part began to its end with `read`, on
/// this thread: for a loader that cannot join what the parts from there
/// on made (an id in one that another part's rows had before it). Returns
/// the first line of cells that were not UTF-8 there.
///
/// # Errors
/// When the file cannot be read.
pub fn read_rest(
    whole: &Whole<'_>,
    from: Resume,
    delimiter: u8,
    quoting: bool,
    progress: Option<&Progress>,
    read: impl FnOnce(&mut PartRecords<'_>) -> io::Result<()>,
) -> io::Result<Option<u32>> {
    let reader = Reader {
        whole,
        delimiter,
        quoting,
        progress,
    };
    let ((), ended) = reader.read(from.at, from.newlines, u64::MAX, read)?;
    if let Some(line) = ended.cut {
        whole.cut.set(line);
    }
    Ok(ended.not_utf8_at)
}

/// How one part's reading ended.
struct Ended {
    /// The offset, in the file, of the record after its last one.
    at: u64,
    /// The file's line breaks up to there.
    newlines: u64,
    not_utf8_at: Option<u32>,
    /// The line of the file where a NUL byte cut its text, if one did.
    cut: Option<u32>,
}

/// Reads the parts of `plan` side by side: the first with `first` on this
/// thread, each later one with `later` on a thread of its own; every
/// record carries its line in the file. Returns what the later parts
/// made, in order, to be joined after the first's.
///
/// A later part's rows must know their lines as they are read (a row
/// without an id is named after its line), so each later part's thread
/// first counts the line breaks of the part before its own, and takes the
/// others' counts; the first part is read meanwhile.
///
/// # Errors
/// When the file cannot be read; what was read before is lost.
pub fn read_in_parts<T: Send>(
    whole: &Whole<'_>,
    plan: &Plan,
    delimiter: u8,
    quoting: bool,
    progress: Option<&Progress>,
    first: impl FnOnce(&mut PartRecords<'_>) -> io::Result<()>,
    later: impl Fn(&mut PartRecords<'_>) -> io::Result<T> + Sync,
) -> io::Result<Parts<T>> {
    let starts = &plan.starts;
    let limit = |k: usize| starts.get(k + 1).copied().unwrap_or(u64::MAX);
    let reader = Reader {
        whole,
        delimiter,
        quoting,
        progress,
    };
    let counts = Counts::new(starts.len().saturating_sub(1));
    let (first_ended, rest) = std::thread::scope(|scope| {
        let threads: Vec<_> = (1..starts.len())
            .map(|k| {
                let (reader, later, counts) = (&reader, &later, &counts);
                let (start, before) = (starts.get(k).copied(), starts.get(k - 1).copied());
                let (start, before) = (start.unwrap_or(0), before.unwrap_or(0));
                scope.spawn(move || {
                    counts.tell(k - 1, count_newlines(whole, before, start));
                    let newlines = plan.newlines + counts.before(k)?;
                    reader.read(start, newlines, limit(k), later)
                })
            })
            .collect();
        let first_start = starts.first().copied().unwrap_or(0);
        let first_ended = reader.read(first_start, plan.newlines, limit(0), first);
        let rest: Vec<_> = threads
            .into_iter()
            .map(|t| {
                t.join()
                    .unwrap_or_else(|_| Err(io::Error::other("a reading thread failed")))
            })
            .collect();
        (first_ended, rest)
    });
    let ((), mut ended) = first_ended?;
    let mut parts = Parts {
        later: Vec::new(),
        not_utf8_at: ended.not_utf8_at,
    };
    for (k, result) in rest.into_iter().enumerate() {
        if ended.cut.is_some() {
            // The text ends at the NUL: the parts after it have none.
            break;
        }
        let from = Resume {
            at: ended.at,
            newlines: ended.newlines,
        };
        if Some(ended.at) != starts.get(k + 1).copied() {
            // The parts disagree where they meet (a quoted cell spans the
            // cut): the rest is read again from where the last good part
            // ended.
            let (made, again) = reader.read(from.at, from.newlines, u64::MAX, &later)?;
            parts.add(made, from, &again);
            ended = again;
            break;
        }
        let (made, part_ended) = result?;
        parts.add(made, from, &part_ended);
        ended = part_ended;
    }
    if let Some(line) = ended.cut {
        whole.cut.set(line);
    }
    Ok(parts)
}

/// The line breaks in each part but the last, as the threads of the later
/// parts count them: each counts the part before its own, then waits for
/// the counts of the parts before that.
struct Counts {
    /// Each part's count once told; `None` inside where it failed.
    told: Mutex<Vec<Option<Option<u64>>>>,
    changed: Condvar,
}

impl Counts {
    fn new(parts: usize) -> Self {
        Self {
            told: Mutex::new(vec![None; parts]),
            changed: Condvar::new(),
        }
    }

    /// Tells the count of part `k`.
    fn tell(&self, k: usize, count: io::Result<u64>) {
        let mut told = self.told.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = told.get_mut(k) {
            *slot = Some(count.ok());
        }
        self.changed.notify_all();
    }

    /// The line breaks in the parts before part `k`, once told.
    fn before(&self, k: usize) -> io::Result<u64> {
        let told = self.told.lock().unwrap_or_else(PoisonError::into_inner);
        let told = self
            .changed
            .wait_while(told, |told| told.iter().take(k).any(Option::is_none))
            .unwrap_or_else(PoisonError::into_inner);
        told.iter().take(k).try_fold(0, |sum, count| match count {
            Some(Some(n)) => Ok(sum + n),
            _ => Err(io::Error::other(
                "the line breaks of a part could not be counted",
            )),
        })
    }
}

/// The line breaks in `from..to` of the file.
fn count_newlines(whole: &Whole<'_>, from: u64, to: u64) -> io::Result<u64> {
    let mut bytes = whole.from(from).take(to.saturating_sub(from));
    let mut buffer = vec![0; COUNT_BYTES];
    let mut count = 0;
    loop {
        let n = match bytes.read(&mut buffer) {
            Ok(0) => return Ok(count),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        count += memchr::memchr_iter(b'\n', buffer.get(..n).unwrap_or_default()).count() as u64;
    }
}

/// How much of a part is read at a time to count its line breaks.
const COUNT_BYTES: usize = 1 << 18;

/// How each part's records are read.
struct Reader<'w, 'p> {
    whole: &'w Whole<'w>,
    delimiter: u8,
    quoting: bool,
    progress: Option<&'p Progress>,
}

impl Reader<'_, '_> {
    /// Reads the records from `start` (after `newlines` line breaks) that
    /// begin before `limit` with `read`.
    fn read<T>(
        &self,
        start: u64,
        newlines: u64,
        limit: u64,
        read: impl FnOnce(&mut PartRecords<'_>) -> io::Result<T>,
    ) -> io::Result<(T, Ended)> {
        let cut = NulCut::default();
        let text = StopAtNul::new(self.whole.from(start), &cut);
        let mut records = Records::new(text, self.delimiter, self.quoting, self.progress)
            .before(limit.saturating_sub(start))
            .after_lines(newlines)
            .in_part();
        let made = read(&mut records)?;
        records.settle()?;
        let at = start + records.position();
        let ended = Ended {
            at,
            newlines: records.newlines(),
            not_utf8_at: records.not_utf8_at(),
            // A NUL read ahead past the part's end is the next part's to meet.
            cut: cut.line().filter(|_| at < limit).map(|line| {
                let line = u64::from(line).saturating_add(newlines);
                u32::try_from(line).unwrap_or(u32::MAX)
            }),
        };
        Ok((made, ended))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Seek, Write};

    /// What reading `bytes` in `parts` parts gives.
    fn in_parts(bytes: &[u8], parts: usize) -> Reading {
        let mut file = tempfile::tempfile().expect("a temporary file");
        file.write_all(bytes).expect("written");
        file.rewind().expect("rewound");
        let cut = NulCut::default();
        let whole = Whole {
            file: &file,
            size: bytes.len() as u64,
            cut: &cut,
        };
        let plan = Plan::with_parts(&whole, 0, 0, parts, 64).expect("parts");
        assert_eq!(plan.len(), parts);
        let read = |records: &mut PartRecords<'_>| {
            let mut rows = Vec::new();
            let mut row = crate::load::tabular::Row::default();
            while records.next_into(&mut row)? {
                rows.push((row.line, row.cells.iter().map(str::to_owned).collect()));
            }
            Ok(rows)
        };
        let mut rows = Vec::new();
        let later = read_in_parts(
            &whole,
            &plan,
            b',',
            true,
            None,
            |r| {
                rows = read(r)?;
                Ok(())
            },
            read,
        )
        .expect("read");
        let not_utf8_at = later.not_utf8_at;
        rows.extend(later.made().into_iter().flatten());
        (rows, not_utf8_at, cut.line())
    }

    /// Asserts two readings are the same, saying where they part.
    fn assert_same(got: &Reading, want: &Reading, case: &str) {
        assert_eq!(got.0.len(), want.0.len(), "{case}: rows");
        if let Some((g, w)) = got.0.iter().zip(&want.0).find(|(g, w)| g != w) {
            panic!("{case}: {g:?} where one reader reads {w:?}");
        }
        assert_eq!((got.1, got.2), (want.1, want.2), "{case}: not UTF-8, cut");
    }

    /// Each record's line and cells, the first line not UTF-8, the line a
    /// NUL byte cut the text at.
    type Reading = (Vec<(u32, Vec<String>)>, Option<u32>, Option<u32>);

    /// The same, read from start to end by one reader.
    fn at_once(bytes: &[u8]) -> Reading {
        let cut = NulCut::default();
        let mut records = Records::new(StopAtNul::new(bytes, &cut), b',', true, None);
        let mut rows = Vec::new();
        let mut row = crate::load::tabular::Row::default();
        while records.next_into(&mut row).expect("read") {
            rows.push((row.line, row.cells.iter().map(str::to_owned).collect()));
        }
        (rows, records.not_utf8_at(), cut.line())
    }

    /// Rows in several parts read as one reader reads them: lines, cells,
    /// quoted line breaks (so many that cuts fall inside them), blank
    /// lines and CRLF line ends, for every number of parts.
    #[test]
    fn parts_read_what_one_reader_reads() {
        let mut text = String::new();
        for i in 0..3_000 {
            match i % 7 {
                0 => text.push_str(&format!("{i},\"a note\nover\n\nlines, {i}\"\n")),
                1 => text.push_str(&format!("{i},plain\r\n")),
                2 => text.push_str(&format!("{i},\"quoted \"\"x\"\"\"\n\n")),
                _ => text.push_str(&format!("{i},\"{}\n\"\n", "y".repeat(i % 50))),
            }
        }
        let expected = at_once(text.as_bytes());
        assert_eq!(expected.0.len(), 3_000);
        for parts in [2, 3, 4, 7, 16] {
            assert_same(
                &in_parts(text.as_bytes(), parts),
                &expected,
                &format!("{parts} parts"),
            );
        }
    }

    /// A cut inside a quoted cell whose lines look like records: the
    /// part after it is dropped and the rest read again, to the same rows.
    #[test]
    fn a_cut_inside_a_quoted_cell_is_read_again() {
        let mut text = String::from("1,\"");
        for i in 0..2_000 {
            text.push_str(&format!("{i},looks like a row\n"));
        }
        text.push_str("\"\n2,after\n");
        let expected = at_once(text.as_bytes());
        assert_eq!(expected.0.len(), 2);
        for parts in [2, 4] {
            assert_same(
                &in_parts(text.as_bytes(), parts),
                &expected,
                &format!("{parts} parts"),
            );
        }
    }

    /// The first cells not UTF-8 and the first NUL byte are told at the
    /// lines one reader tells, whichever part meets them.
    #[test]
    fn encoding_and_nul_are_told_at_the_file_s_lines() {
        let mut text = Vec::new();
        for i in 0..4_000 {
            text.extend_from_slice(format!("{i},row\n").as_bytes());
            if i == 2_500 {
                text.extend_from_slice(b"x,caf\xe9\n");
            }
            if i == 3_500 {
                text.extend_from_slice(b"y,\0z\n");
            }
        }
        let expected = at_once(&text);
        assert_eq!(expected.1, Some(2_502));
        assert_eq!(expected.2, Some(3_503));
        for parts in [2, 3, 4] {
            assert_same(
                &in_parts(&text, parts),
                &expected,
                &format!("{parts} parts"),
            );
        }
    }
}
