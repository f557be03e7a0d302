//! The event ids a load has met, by hash: which event first had each.
//!
//! A million ids do not fit in a core's cache, so each lookup is a trip
//! to memory, and a general hash map makes two (its control bytes, then
//! its slot). Here a slot holds both the hash and the event, so a lookup
//! reads one cache line; and since the loader knows the ids of the rows
//! to come, it asks for their lines early ([`IdTable::prefetch`]), so
//! that they arrive while it works on the rows before.

use super::recurring::prefetch;

/// Event index by 32 bits of an id's hash, with linear probing. Only the
/// first event with a given hash is kept: the loader tells a true
/// duplicate from another id with the same hash by comparing the ids.
pub struct IdTable {
    /// `hash << 32 | index`, or [`EMPTY`].
    slots: Vec<u64>,
    len: usize,
}

const EMPTY: u64 = u64::MAX;

/// What a lookup found.
#[derive(Debug, PartialEq, Eq)]
pub enum Seen {
    /// The event first seen with this hash.
    Before(u32),
    /// None yet (and the event given, if any, is now kept for it).
    First,
}

impl IdTable {
    /// A table that holds `ids` without growing (growing holds the old and
    /// the new table at once, at the load's peak).
    pub fn with_room_for(ids: usize) -> Self {
        // At most half full: most lookups then read one line.
        let slots = (ids.max(4) * 2).next_power_of_two();
        Self {
            slots: vec![EMPTY; slots],
            len: 0,
        }
    }

    /// Where `hash` starts probing.
    fn home(&self, hash: u32) -> usize {
        // The hash's bits are already mixed: its low ones pick the slot.
        hash as usize & (self.slots.len() - 1)
    }

    /// Asks for the memory `hash`'s lookup will read, without waiting for it.
    #[inline]
    pub fn prefetch(&self, hash: u32) {
        if let Some(slot) = self.slots.get(self.home(hash)) {
            prefetch(slot);
        }
    }

    /// The event first kept for `hash`; when there is none, keeps `index`
    /// for it (if given: a row that is not an event is looked up only).
    pub fn find_or_keep(&mut self, hash: u32, index: Option<u32>) -> Seen {
        let mask = self.slots.len() - 1;
        let mut at = self.home(hash);
        loop {
            let Some(slot) = self.slots.get_mut(at) else {
                return Seen::First;
            };
            if *slot == EMPTY {
                // u32::MAX events cannot be told from an empty slot.
                if let Some(index) = index.filter(|&i| i != u32::MAX) {
                    *slot = u64::from(hash) << 32 | u64::from(index);
                    self.len += 1;
                    if self.len * 2 > self.slots.len() {
                        self.grow();
                    }
                }
                return Seen::First;
            }
            if (*slot >> 32) as u32 == hash {
                return Seen::Before(*slot as u32);
            }
            at = (at + 1) & mask;
        }
    }

    /// Twice the slots, each kept id put in again.
    fn grow(&mut self) {
        let doubled = vec![EMPTY; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|&s| s != EMPTY) {
            let mut at = self.home((slot >> 32) as u32);
            while self.slots.get(at).is_some_and(|&s| s != EMPTY) {
                at = (at + 1) & mask;
            }
            if let Some(free) = self.slots.get_mut(at) {
                *free = slot;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_event_of_each_hash() {
        let mut ids = IdTable::with_room_for(4);
        assert_eq!(ids.find_or_keep(7, Some(0)), Seen::First);
        assert_eq!(ids.find_or_keep(7, Some(5)), Seen::Before(0));
        // A row that is not an event is looked up, not kept.
        assert_eq!(ids.find_or_keep(9, None), Seen::First);
        assert_eq!(ids.find_or_keep(9, Some(2)), Seen::First);
        assert_eq!(ids.find_or_keep(9, None), Seen::Before(2));
    }

    #[test]
    fn hashes_that_share_a_slot_and_growth_lose_nothing() {
        // Hashes equal in their low bits probe the same slots; far more
        // of them than the room asked for make the table grow, twice.
        let mut ids = IdTable::with_room_for(4);
        let hashes: Vec<u32> = (0..100).map(|i| i << 20 | 3).collect();
        for (index, &hash) in hashes.iter().enumerate() {
            ids.find_or_keep(hash, Some(index as u32 + 10));
        }
        for (index, &hash) in hashes.iter().enumerate() {
            assert_eq!(
                ids.find_or_keep(hash, None),
                Seen::Before(index as u32 + 10)
            );
            ids.prefetch(hash);
        }
        assert_eq!(ids.find_or_keep(1 << 31, None), Seen::First);
        assert_eq!(ids.len, 100);
        assert!(ids.slots.len() >= 200);
    }
}
