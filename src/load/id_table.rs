//! The event ids a load has met, by hash: which event first had each.
//!
//! A million ids do not fit in a core's cache, so each lookup is a trip
//! to memory, and a general hash map makes two (its control bytes, then
//! its slot). Here a slot holds both the hash and the event, so a lookup
//! reads one cache line; and since the loader knows the ids of the rows
//! to come, it asks for their lines early ([`IdTable::prefetch`]), so
//! that they arrive while it works on the rows before.

use super::slots::Slots;
use crate::prefetch::prefetch;

/// Event index by 32 bits of an id's hash. Only the first event with a
/// given hash is kept: the loader tells a true duplicate from another id
/// with the same hash by comparing the ids.
pub struct IdTable {
    /// `hash << 32 | index`.
    slots: Slots,
}

/// What a lookup found.
#[derive(Debug, PartialEq, Eq)]
pub enum Seen {
    /// The event first seen with this hash.
    Before(u32),
    /// None yet (and the event given, if any, is now kept for it).
    First,
}

/// Where a slot's probe starts: the hash's bits are already mixed.
fn home_of(slot: u64) -> usize {
    (slot >> 32) as usize
}

impl IdTable {
    /// A table that holds `ids` without growing (growing holds the old and
    /// the new table at once, at the load's peak).
    pub fn with_room_for(ids: usize) -> Self {
        Self {
            slots: Slots::with_room_for(ids),
        }
    }

    /// Asks for the memory `hash`'s lookup will read, without waiting for it.
    #[inline]
    pub fn prefetch(&self, hash: u32) {
        if let Some(slot) = self.slots.line(hash as usize) {
            prefetch(slot);
        }
    }

    /// The event first kept for `hash`; when there is none, keeps `index`
    /// for it (if given: a row that is not an event is looked up only).
    pub fn find_or_keep(&mut self, hash: u32, index: Option<u32>) -> Seen {
        match self
            .slots
            .find(hash as usize, |slot| (slot >> 32) as u32 == hash)
        {
            Ok(slot) => Seen::Before(slot as u32),
            Err(vacant) => {
                // u32::MAX events cannot be told from an empty slot.
                if let Some(index) = index.filter(|&i| i != u32::MAX) {
                    self.slots
                        .fill(vacant, u64::from(hash) << 32 | u64::from(index), home_of);
                }
                Seen::First
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
        assert_eq!(ids.slots.len(), 100);
        assert!(ids.slots.room() >= 200);
    }
}
