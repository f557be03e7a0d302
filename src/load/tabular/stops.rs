//! Where unquoted cells end, found 64 bytes at a time.
//!
//! A loop that looks for the end of each cell on its own (even eight
//! bytes at once) takes a branch per cell that the processor cannot
//! foresee: most cells are a few bytes, but how many varies. Here the
//! delimiters and line breaks of a 64-byte block are found together, as
//! one bit each in a word, and each cell's end is the lowest bit left:
//! the work per block is the same whatever the cells, and what is left
//! per cell is a count of trailing zeros.

/// The bytes at which an unquoted cell ends, found a block at a time and
/// remembered, so that the cells of a block cost one look at its bytes.
///
/// A `Stops` answers for one buffer's contents: [`Stops::forget`] when
/// they change.
#[derive(Clone, Copy, Debug)]
pub struct Stops {
    /// Where the block starts in the buffer (`usize::MAX`: no block yet).
    base: usize,
    /// Bit `i` set when the byte at `base + i` ends a cell; bits for bytes
    /// past the buffer's end are clear.
    mask: u64,
    /// The bits of `mask` that are line breaks rather than delimiters.
    lines: u64,
}

impl Default for Stops {
    fn default() -> Self {
        Self {
            base: usize::MAX,
            mask: 0,
            lines: 0,
        }
    }
}

/// Where [`Stops::unquoted_cells`] left a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Run {
    /// The record's last cell ends at this line break.
    LineEnd(usize),
    /// The cell starting here is left to the caller: it starts with a
    /// quote, or at the end of the bytes at hand.
    Cell(usize),
}

impl Stops {
    /// Drops the block found: the buffer's bytes moved or changed.
    pub fn forget(&mut self) {
        *self = Self::default();
    }

    /// Where the first `delimiter`, `\n` or `\r` at or after `from` is in
    /// `data`, if there is one.
    #[inline]
    pub fn next(&mut self, data: &[u8], from: usize, delimiter: u8) -> Option<usize> {
        // Most cells end in the block found already: that much is inlined
        // in the splitter's loop.
        if let Some(offset) = from.checked_sub(self.base).filter(|&o| o < 64) {
            let ahead = self.mask & (u64::MAX << offset);
            if ahead != 0 {
                return Some(self.base + ahead.trailing_zeros() as usize);
            }
            return self.next_block(data, self.base + 64, delimiter);
        }
        self.next_block(data, from, delimiter)
    }

    /// [`Stops::next`] from the blocks starting at `from`.
    #[inline(never)]
    fn next_block(&mut self, data: &[u8], from: usize, delimiter: u8) -> Option<usize> {
        let mut from = from;
        loop {
            if data.get(from..).is_none_or(<[u8]>::is_empty) {
                return None;
            }
            if self.load(data, from, delimiter) != 0 {
                return Some(from + self.mask.trailing_zeros() as usize);
            }
            from += 64;
        }
    }

    /// Ends the cells of a record from `from` (the start of a cell that is
    /// not quoted) for as long as no cell starts with a quote: pushes the
    /// end of each on `ends`, as `first_end` plus its distance from
    /// `from`, and says where it stopped.
    ///
    /// Most records are such cells alone. Their ends are taken from each
    /// block's bits one after another, with no search between them, where
    /// [`Stops::next`] would be asked once a cell. A quote is looked for
    /// only after a delimiter, and only when `quoting`.
    pub fn unquoted_cells(
        &mut self,
        data: &[u8],
        from: usize,
        delimiter: u8,
        quoting: bool,
        ends: &mut Vec<usize>,
        first_end: usize,
    ) -> Run {
        let end_at = |stop: usize| first_end + (stop - from);
        let mut at = from;
        let mut ahead = match at.checked_sub(self.base).filter(|&o| o < 64) {
            Some(offset) => self.mask & (u64::MAX << offset),
            None if at >= data.len() => return Run::Cell(at),
            None => self.load(data, at, delimiter),
        };
        loop {
            while ahead != 0 {
                let bit = ahead.trailing_zeros();
                let stop = self.base + bit as usize;
                ends.push(end_at(stop));
                if self.lines & (1 << bit) != 0 {
                    return Run::LineEnd(stop);
                }
                at = stop + 1;
                if at == data.len() || (quoting && data.get(at) == Some(&b'"')) {
                    return Run::Cell(at);
                }
                ahead &= ahead - 1;
            }
            // No stop left in this block: the cell goes on in the next.
            let next = self.base + 64;
            if next >= data.len() {
                return Run::Cell(at);
            }
            ahead = self.load(data, next, delimiter);
        }
    }

    /// Finds the stops of the block at `from`, and returns them.
    fn load(&mut self, data: &[u8], from: usize, delimiter: u8) -> u64 {
        self.base = from;
        (self.mask, self.lines) = block_stops(data.get(from..).unwrap_or_default(), delimiter);
        self.mask
    }
}

/// A bit for each of the first 64 bytes of `block` that is `delimiter`,
/// `\n` or `\r` (bit `i` for byte `i`), and those of them that are `\n`
/// or `\r`.
fn block_stops(block: &[u8], delimiter: u8) -> (u64, u64) {
    match block.split_first_chunk::<64>() {
        Some((whole, _)) => whole_block_stops(whole, delimiter),
        None => {
            // The end of the buffer: the missing bytes end no cell.
            let mut padded = [0_u8; 64];
            if let Some(head) = padded.get_mut(..block.len()) {
                head.copy_from_slice(block);
            }
            let (stops, lines) = whole_block_stops(&padded, delimiter);
            let valid = u64::MAX.checked_shr(64 - block.len() as u32).unwrap_or(0);
            // A zero byte is a stop only when the delimiter is zero.
            (stops & valid, lines & valid)
        }
    }
}

/// [`block_stops`] of 64 bytes, sixteen at a time: each compared with the
/// three bytes at once, and the answers' top bits gathered by one
/// instruction (SSE2, which every x86-64 processor has).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn whole_block_stops(block: &[u8; 64], delimiter: u8) -> (u64, u64) {
    use safe_arch::{bitor_m128i, cmp_eq_mask_i8_m128i, m128i, move_mask_i8_m128i};
    let splat = |byte: u8| m128i::from([byte; 16]);
    let (delimiters, newlines, returns) = (splat(delimiter), splat(b'\n'), splat(b'\r'));
    // Sixteen bits: the top one of each byte.
    let gather = |hits| u64::from(move_mask_i8_m128i(hits).cast_unsigned() & 0xffff);
    let (lanes, _) = block.as_chunks::<16>();
    let (mut mask, mut lines) = (0, 0);
    for (k, lane) in lanes.iter().enumerate() {
        let lane = m128i::from(*lane);
        let breaks = bitor_m128i(
            cmp_eq_mask_i8_m128i(lane, newlines),
            cmp_eq_mask_i8_m128i(lane, returns),
        );
        let hits = bitor_m128i(breaks, cmp_eq_mask_i8_m128i(lane, delimiters));
        mask |= gather(hits) << (16 * k);
        lines |= gather(breaks) << (16 * k);
    }
    (mask, lines)
}

/// [`block_stops`] of 64 bytes, eight at a time: for processors without
/// SSE2, and to check that version against.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
fn portable_block_stops(block: &[u8; 64], delimiter: u8) -> (u64, u64) {
    let (words, _) = block.as_chunks::<8>();
    let (mut mask, mut lines) = (0_u64, 0_u64);
    // The top bit of each byte, gathered into the word's top byte.
    let gather = |hits: u64| ((hits >> 7).wrapping_mul(GATHER)) >> 56;
    for (k, word) in words.iter().enumerate() {
        let word = u64::from_le_bytes(*word);
        let breaks = zero_bytes(word ^ repeat(b'\n')) | zero_bytes(word ^ repeat(b'\r'));
        let hits = breaks | zero_bytes(word ^ repeat(delimiter));
        mask |= gather(hits) << (8 * k);
        lines |= gather(breaks) << (8 * k);
    }
    (mask, lines)
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
fn whole_block_stops(block: &[u8; 64], delimiter: u8) -> (u64, u64) {
    portable_block_stops(block, delimiter)
}

/// Moves bit `8 i` of a word to bit `56 + i` when multiplied by it (no two
/// products land on the same bit, so nothing carries).
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
const GATHER: u64 = 0x0102_0408_1020_4080;

/// `byte` in each of a word's eight bytes.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
const fn repeat(byte: u8) -> u64 {
    u64::from_le_bytes([byte; 8])
}

/// The top bit set in each byte of `word` that is zero, and no other bit.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
const fn zero_bytes(word: u64) -> u64 {
    const LOW: u64 = repeat(0x7f);
    // A byte's low seven bits plus 0x7f carry into its top bit unless they
    // are all zero, and never into the next byte.
    !(((word & LOW) + LOW) | word | LOW)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every stop, as a plain search finds them.
    fn plain(data: &[u8], delimiter: u8) -> Vec<usize> {
        (0..data.len())
            .filter(|&i| matches!(data[i], b'\n' | b'\r') || data[i] == delimiter)
            .collect()
    }

    /// Every stop, found by asking from just past the one before, as the
    /// splitter does.
    fn walked(data: &[u8], delimiter: u8) -> Vec<usize> {
        let mut stops = Stops::default();
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(at) = stops.next(data, from, delimiter) {
            found.push(at);
            from = at + 1;
        }
        found
    }

    #[test]
    fn finds_each_stop_across_blocks_and_at_the_end() {
        // Cells of every length from 0 to 150 bytes: stops in the first
        // and last byte of a block, blocks without one, a short last block.
        let mut data = Vec::new();
        for len in 0..150 {
            data.extend(std::iter::repeat_n(b'x', len));
            data.push(if len % 7 == 0 { b'\n' } else { b',' });
        }
        data.extend_from_slice(b"tail\r\nend");
        for cut in [data.len(), data.len() - 1, 63, 64, 65, 1, 0] {
            let data = &data[..cut];
            assert_eq!(walked(data, b','), plain(data, b','), "cut at {cut}");
        }
    }

    #[test]
    fn finds_stops_from_any_start_and_any_delimiter() {
        let mut seed = 0x9e37_79b9_u32;
        let mut data = Vec::new();
        for _ in 0..5000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            data.push(
                [b'a', b';', b',', b'\t', b'\n', b'\r', 0, 0xC3, b'"', b'z'][seed as usize % 10],
            );
        }
        for delimiter in [b',', b';', b'\t', 0] {
            assert_eq!(walked(&data, delimiter), plain(&data, delimiter));
            // Asked from arbitrary places, not only past the last stop.
            let mut stops = Stops::default();
            for from in (0..data.len()).step_by(37).chain([4999, 5000, 7000]) {
                let expected = plain(&data, delimiter).into_iter().find(|&at| at >= from);
                assert_eq!(stops.next(&data, from, delimiter), expected, "from {from}");
            }
        }
    }

    #[test]
    fn both_ways_of_reading_a_block_agree() {
        let mut seed = 0x2545_f491_u32;
        for _ in 0..2000 {
            let mut block = [0_u8; 64];
            for byte in &mut block {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                *byte = [b',', b'\n', b'\r', b'\t', b'x', 0x80, 0xff, 0][seed as usize % 8];
            }
            for delimiter in [b',', b'\t', 0xff] {
                assert_eq!(
                    whole_block_stops(&block, delimiter),
                    portable_block_stops(&block, delimiter)
                );
            }
        }
    }

    #[test]
    fn zero_bytes_are_found_exactly() {
        for at in 0..8 {
            for other in [1_u8, 0x7f, 0x80, 0xff] {
                let mut bytes = [other; 8];
                bytes[at] = 0;
                let hits = zero_bytes(u64::from_le_bytes(bytes));
                assert_eq!(hits, 0x80 << (8 * at), "zero at {at} among {other:#x}");
            }
        }
        assert_eq!(zero_bytes(repeat(0x01)), 0);
        assert_eq!(zero_bytes(0), repeat(0x80));
    }

    #[test]
    fn unquoted_cells_end_at_the_line_or_before_a_quote() {
        let data = b"ab,cd,\"q\",e\nx";
        let mut ends = Vec::new();
        let run = Stops::default().unquoted_cells(data, 0, b',', true, &mut ends, 0);
        assert_eq!((run, ends.as_slice()), (Run::Cell(6), &[2, 5][..]));
        ends.clear();
        let run = Stops::default().unquoted_cells(data, 0, b',', false, &mut ends, 10);
        assert_eq!(
            (run, ends.as_slice()),
            (Run::LineEnd(11), &[12, 15, 19, 21][..])
        );
        // A cell across blocks, then one cut off by the end of the bytes.
        let mut data = vec![b'x'; 150];
        data.extend_from_slice(b",yyyy");
        ends.clear();
        let run = Stops::default().unquoted_cells(&data, 0, b',', true, &mut ends, 0);
        assert_eq!((run, ends.as_slice()), (Run::Cell(151), &[150][..]));
        // A delimiter as the last byte: the empty cell after it is left.
        ends.clear();
        let run = Stops::default().unquoted_cells(b"a,b,", 0, b',', true, &mut ends, 0);
        assert_eq!((run, ends.as_slice()), (Run::Cell(4), &[1, 3][..]));
    }

    #[test]
    fn forgetting_reads_changed_bytes_again() {
        let mut stops = Stops::default();
        let mut data = b"ab,cd,ef".to_vec();
        assert_eq!(stops.next(&data, 0, b','), Some(2));
        data[2] = b'x';
        stops.forget();
        assert_eq!(stops.next(&data, 0, b','), Some(5));
    }
}
