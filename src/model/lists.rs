//! Lists shared between events: a file names the same few actor pairs,
//! outlets and places on row after row, so an event holds a pointer to one
//! shared list instead of a small allocation of its own (a million ACLED
//! rows hold a few thousand distinct lists).

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use triomphe::ThinArc;

use super::fast_hash::FastBuild;
use super::repeats::Repeats;
use super::{Name, PlaceIdx, Source};

/// The actors of an event.
pub type NameList = SharedList<Name>;
/// The sources of an event.
pub type SourceList = SharedList<Source>;

/// An immutable list that events share, read as a slice. A thin pointer
/// to one allocation holding the count, the length and the items
/// (triomphe's `ThinArc`): an event holds three of them, `Arc<[T]>` would
/// cost twice the bytes, and a list of its own (a place no other event
/// names) costs one allocation, not two.
pub struct SharedList<T>(ThinArc<(), T>);

impl<T> SharedList<T> {
    /// Whether the two are one shared list (not merely equal).
    pub fn same(a: &Self, b: &Self) -> bool {
        a.0.as_ptr() == b.0.as_ptr()
    }

    /// Where the one shared list lies, read without following the pointer
    /// (see [`Name::address`]).
    pub fn address(&self) -> usize {
        self.0.as_ptr() as usize
    }

    /// Asks for the cache line of the list's count, which a clone writes
    /// (the length beside it shares the line).
    pub fn prefetch(&self) {
        crate::prefetch::prefetch(&self.0.header);
    }
}

impl<T> Clone for SharedList<T> {
    fn clone(&self) -> Self {
        Self(ThinArc::clone(&self.0))
    }
}

impl<T> Default for SharedList<T> {
    fn default() -> Self {
        Self(ThinArc::from_header_and_iter((), std::iter::empty()))
    }
}

impl<T> Deref for SharedList<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.0.slice
    }
}

impl<T> Borrow<[T]> for SharedList<T> {
    fn borrow(&self) -> &[T] {
        &self.0.slice
    }
}

// Compared and hashed as their items, as `Borrow<[T]>` asks: a list is
// found in a set by a slice.
impl<T: PartialEq> PartialEq for SharedList<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Eq> Eq for SharedList<T> {}

impl<T: Hash> Hash for SharedList<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl<T: PartialOrd> PartialOrd for SharedList<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        (**self).partial_cmp(&**other)
    }
}

impl<T: Ord> Ord for SharedList<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (**self).cmp(&**other)
    }
}

impl<T: fmt::Debug> fmt::Debug for SharedList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T> From<Vec<T>> for SharedList<T> {
    fn from(items: Vec<T>) -> Self {
        Self(ThinArc::from_header_and_iter((), items.into_iter()))
    }
}

impl<T: Clone> From<&[T]> for SharedList<T> {
    fn from(items: &[T]) -> Self {
        Self(ThinArc::from_header_and_iter((), items.iter().cloned()))
    }
}

impl<T> FromIterator<T> for SharedList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        Self::from(items.into_iter().collect::<Vec<T>>())
    }
}

impl<T: serde::Serialize> serde::Serialize for SharedList<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for SharedList<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(deserializer).map(Self::from)
    }
}

/// The places of an event. Most events name one place, held as its index:
/// no allocation for it, which a file whose every row has a place of its
/// own would otherwise make a row. A list of several is shared.
#[derive(Clone, Default)]
pub enum PlaceList {
    /// No place: the event is on the timeline only.
    #[default]
    None,
    /// One place.
    One(PlaceIdx),
    /// Several places, shared with the events naming the same ones.
    Many(SharedList<PlaceIdx>),
}

impl Deref for PlaceList {
    type Target = [PlaceIdx];

    fn deref(&self) -> &[PlaceIdx] {
        match self {
            Self::None => &[],
            Self::One(place) => std::slice::from_ref(place),
            Self::Many(list) => list,
        }
    }
}

impl PartialEq for PlaceList {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for PlaceList {}

impl Hash for PlaceList {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl fmt::Debug for PlaceList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl From<&[PlaceIdx]> for PlaceList {
    fn from(places: &[PlaceIdx]) -> Self {
        match places {
            [] => Self::None,
            &[one] => Self::One(one),
            many => Self::Many(SharedList::from(many)),
        }
    }
}

impl From<Vec<PlaceIdx>> for PlaceList {
    fn from(places: Vec<PlaceIdx>) -> Self {
        Self::from(places.as_slice())
    }
}

impl FromIterator<PlaceIdx> for PlaceList {
    fn from_iter<I: IntoIterator<Item = PlaceIdx>>(places: I) -> Self {
        Self::from(places.into_iter().collect::<Vec<_>>())
    }
}

/// Hands out one shared list per distinct content while a file loads, as
/// long as the lists repeat enough to be worth looking up ([`Repeats`]).
pub struct Lists<T> {
    seen: HashSet<SharedList<T>, FastBuild>,
    repeats: Repeats,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Self {
            seen: HashSet::default(),
            repeats: Repeats::default(),
        }
    }
}

impl<T: Eq + Hash + Clone> Lists<T> {
    /// The shared list holding `items`, in order (a list of its own once
    /// lists have stopped repeating).
    pub fn get(&mut self, items: &[T]) -> SharedList<T> {
        if !self.repeats.worth() {
            return SharedList::from(items);
        }
        let found = self.seen.get(items).cloned();
        self.repeats.counted(found.is_some());
        found.unwrap_or_else(|| {
            let list = SharedList::from(items);
            self.seen.insert(list.clone());
            list
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_lists_are_one_and_order_matters() {
        let mut lists = Lists::default();
        let a = lists.get(&[1_u32, 2]);
        let b = lists.get(&[1, 2]);
        let c = lists.get(&[2, 1]);
        assert!(SharedList::same(&a, &b));
        assert!(!SharedList::same(&a, &c));
        assert_eq!(*c, [2, 1]);
        assert!(SharedList::same(&lists.get(&[]), &lists.get(&[])));
        assert_eq!(size_of::<SharedList<u32>>(), 8);
    }
}
