//! How far a load has got, shared between the thread that loads and the
//! window that draws a progress bar and offers Cancel.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Bytes parsed out of bytes to parse, bytes taken from the source, rows
/// read, and whether the user gave up.
///
/// Two counts of bytes, because a compressed file or a pipe is not parsed
/// in the bytes it is read in: the source counts what it takes from the
/// disk or pipe (`read` of `size`, the file's size where known), the
/// loaders count what they parse (`done` of `total`, the text's length
/// where they know it).
///
/// Loaders update it every thousand records or so; readers poll it each
/// frame. Relaxed atomics suffice: nothing else is published through it.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    read: AtomicU64,
    size: AtomicU64,
    rows: AtomicU64,
    cancelled: AtomicBool,
}

impl Progress {
    /// Nothing done yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The fraction parsed, once the size of the input is known: of the
    /// text where the loader knows its length, else of the source's bytes
    /// read (a compressed file, or text read whole before it is parsed).
    pub fn fraction(&self) -> Option<f32> {
        let of = |done: u64, total: u64| {
            (total > 0 && done > 0).then(|| (done as f64 / total as f64).clamp(0.0, 1.0) as f32)
        };
        of(self.done(), self.total()).or_else(|| of(self.read(), self.size()))
    }

    /// Bytes taken from the source so far (compressed bytes for a
    /// compressed file).
    pub fn read(&self) -> u64 {
        self.read.load(Ordering::Relaxed)
    }

    /// The source's size in bytes (0 for a pipe, whose size is unknown).
    pub fn size(&self) -> u64 {
        self.size.load(Ordering::Relaxed)
    }

    /// Records read so far, by the loaders of delimited text (0 for JSON).
    pub fn rows(&self) -> u64 {
        self.rows.load(Ordering::Relaxed)
    }

    /// Bytes parsed so far, of [`Progress::total`].
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Bytes to parse (0 until known).
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// Asks the load to stop at its next check; it then returns
    /// [`super::LoadError::Cancelled`].
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether [`Progress::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    pub(crate) fn set_total(&self, bytes: u64) {
        self.total.store(bytes, Ordering::Relaxed);
    }

    pub(crate) fn set_done(&self, bytes: u64) {
        self.done.store(bytes, Ordering::Relaxed);
    }

    /// Counts bytes parsed and rows read by one of several parts of an
    /// input read side by side.
    pub(crate) fn add_done(&self, bytes: u64, rows: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
        self.rows.fetch_add(rows, Ordering::Relaxed);
    }

    pub(crate) fn add_read(&self, bytes: u64) {
        self.read.fetch_add(bytes, Ordering::Relaxed);
    }

    pub(crate) fn set_size(&self, bytes: u64) {
        self.size.store(bytes, Ordering::Relaxed);
    }

    pub(crate) fn set_rows(&self, rows: u64) {
        self.rows.store(rows, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fraction_and_cancel() {
        let p = Progress::new();
        assert_eq!(p.fraction(), None);
        p.set_total(200);
        p.set_done(50);
        assert_eq!(p.fraction(), Some(0.25));
        assert!(!p.is_cancelled());
        p.cancel();
        assert!(p.is_cancelled());
    }

    #[test]
    fn the_source_counts_until_the_loader_knows_its_total() {
        let p = Progress::new();
        p.set_size(1000);
        p.add_read(100);
        p.add_read(150);
        assert_eq!(p.fraction(), Some(0.25));
        p.set_total(4000);
        p.set_done(3000);
        assert_eq!(p.fraction(), Some(0.75));
    }
}
