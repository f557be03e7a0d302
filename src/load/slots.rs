//! The open-addressing table behind the loader's lookups that miss the
//! cache (event ids, [`IdTable`](super::id_table::IdTable); recurring
//! cells, [`Numbering`](super::recurring::Numbering)).
//!
//! A general hash map reads its control bytes, then its slot: two trips to
//! memory when the table is out of the cache. Here a slot is eight bytes
//! that hold both what tells entries apart and the answer, found by linear
//! probing in a table at most three quarters full (half the room a table
//! at most half full takes, for a probe a little longer), so a lookup
//! mostly reads one or two lines, which a caller that knows its next keys
//! can prefetch ([`Slots::line`]).

/// A slot without a value; no value stored is ever this.
pub const EMPTY: u64 = u64::MAX;

/// Eight-byte values, each probed for from its home slot. What a value
/// holds, and which one a lookup wants, is the caller's.
pub struct Slots {
    slots: Vec<u64>,
    len: usize,
}

/// Where a lookup found no value it wanted: the empty slot to fill.
pub struct Vacant(usize);

impl Slots {
    /// A table that holds `values` without growing (growing holds the old
    /// and the new table at once).
    pub fn with_room_for(values: usize) -> Self {
        Self {
            slots: vec![EMPTY; (values.max(4) * 4 / 3 + 1).next_power_of_two()],
            len: 0,
        }
    }

    /// How many values are kept.
    pub fn len(&self) -> usize {
        self.len
    }

    /// How many slots there are.
    #[cfg(test)]
    pub fn room(&self) -> usize {
        self.slots.len()
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The slot a probe from `home` (any number: it wraps) starts at, to
    /// prefetch.
    pub fn line(&self, home: usize) -> Option<&u64> {
        self.slots.get(home & self.mask())
    }

    /// The first value from `home` on that `wanted` accepts, or the empty
    /// slot where the probe ended.
    pub fn find(&self, home: usize, mut wanted: impl FnMut(u64) -> bool) -> Result<u64, Vacant> {
        let mask = self.mask();
        let mut at = home & mask;
        // The table is never full, so the probe meets an empty slot.
        while let Some(&slot) = self.slots.get(at) {
            if slot == EMPTY {
                break;
            }
            if wanted(slot) {
                return Ok(slot);
            }
            at = (at + 1) & mask;
        }
        Err(Vacant(at))
    }

    /// Keeps `value` where [`Slots::find`] found room; `home_of` gives a
    /// kept value's home, for when the table grows.
    pub fn fill(&mut self, vacant: Vacant, value: u64, home_of: impl Fn(u64) -> usize) {
        debug_assert_ne!(value, EMPTY);
        if let Some(slot) = self.slots.get_mut(vacant.0) {
            *slot = value;
            self.len += 1;
        }
        if self.len * 4 > self.slots.len() * 3 {
            self.grow(home_of);
        }
    }

    /// Twice the slots, each value put in again from its home.
    fn grow(&mut self, home_of: impl Fn(u64) -> usize) {
        let doubled = vec![EMPTY; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        for value in old.into_iter().filter(|&s| s != EMPTY) {
            if let Err(Vacant(at)) = self.find(home_of(value), |_| false)
                && let Some(slot) = self.slots.get_mut(at)
            {
                *slot = value;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_past_neighbours_and_after_growing() {
        // The value's low half is its home, so that homes collide on purpose.
        let home_of = |value: u64| (value & 0xff) as usize;
        let mut slots = Slots::with_room_for(2);
        let values: Vec<u64> = (0..50_u64).map(|i| i << 32 | (i % 3)).collect();
        for &value in &values {
            let vacant = slots
                .find(home_of(value), |v| v == value)
                .expect_err("not kept yet");
            slots.fill(vacant, value, home_of);
        }
        assert_eq!(slots.len(), 50);
        assert!(slots.room() * 3 >= 50 * 4);
        for &value in &values {
            assert_eq!(slots.find(home_of(value), |v| v == value).ok(), Some(value));
            assert!(slots.line(home_of(value)).is_some());
        }
        assert!(slots.find(1, |v| v == 99 << 32).is_err());
    }
}
