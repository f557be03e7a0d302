//! A deterministic source of small random numbers for the unit tests that
//! check a fast path against a plain one over many generated inputs.

/// xorshift64: the same sequence for the same seed, no dependency.
pub(crate) struct Picker(u64);

impl Picker {
    /// A generator from a non-zero seed.
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    /// A number below `n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % n.max(1) as u64).unwrap_or(0)
    }
}
