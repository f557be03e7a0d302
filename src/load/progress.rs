//! How far a load has got, shared between the thread that loads and the
//! window that draws a progress bar and offers Cancel.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Bytes parsed out of bytes to parse, and whether the user gave up.
///
/// Loaders update it every thousand records or so; readers poll it each
/// frame. Relaxed atomics suffice: nothing else is published through it.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    cancelled: AtomicBool,
}

impl Progress {
    /// Nothing done yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The fraction parsed, once the size of the input is known.
    pub fn fraction(&self) -> Option<f32> {
        let total = self.total.load(Ordering::Relaxed);
        let done = self.done.load(Ordering::Relaxed);
        (total > 0 && done > 0).then(|| (done as f64 / total as f64).clamp(0.0, 1.0) as f32)
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
}
