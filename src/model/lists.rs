//! Lists shared between events: a file names the same few actor pairs,
//! outlets and places on row after row, so an event holds a pointer to one
//! shared list instead of a small allocation of its own (a million ACLED
//! rows hold a few thousand distinct lists).

use std::borrow::Borrow;
use std::collections::HashSet;
use std::hash::Hash;
use std::ops::Deref;
use std::sync::Arc;

use super::fast_hash::FastBuild;
use super::{Name, PlaceIdx, Source};

/// The actors of an event.
pub type NameList = SharedList<Name>;
/// The sources of an event.
pub type SourceList = SharedList<Source>;
/// The places of an event.
pub type PlaceList = SharedList<PlaceIdx>;

/// An immutable list that events share, read as a slice. A thin pointer:
/// an event holds three of them, and `Arc<[T]>` would cost twice the bytes.
#[derive(Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SharedList<T>(Arc<Box<[T]>>);

impl<T> SharedList<T> {
    /// Whether the two are one shared list (not merely equal).
    pub fn same(a: &Self, b: &Self) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }

    /// Where the one shared list lies, read without following the pointer
    /// (see [`Name::address`]).
    pub fn address(&self) -> usize {
        Arc::as_ptr(&self.0) as usize
    }

    /// Asks for the cache line of the list's count, which a clone writes.
    pub fn prefetch(&self) {
        crate::prefetch::prefetch(&*self.0);
    }
}

impl<T> Clone for SharedList<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T> Default for SharedList<T> {
    fn default() -> Self {
        Self(Arc::new(Box::default()))
    }
}

impl<T> Deref for SharedList<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T> Borrow<[T]> for SharedList<T> {
    fn borrow(&self) -> &[T] {
        &self.0
    }
}

impl<T> From<Vec<T>> for SharedList<T> {
    fn from(items: Vec<T>) -> Self {
        Self(Arc::new(items.into_boxed_slice()))
    }
}

impl<T: Clone> From<&[T]> for SharedList<T> {
    fn from(items: &[T]) -> Self {
        Self(Arc::new(items.into()))
    }
}

impl<T> FromIterator<T> for SharedList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        Self(Arc::new(items.into_iter().collect()))
    }
}

impl<T: serde::Serialize> serde::Serialize for SharedList<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for SharedList<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(deserializer).map(Self::from)
    }
}

/// Hands out one shared list per distinct content while a file loads.
pub struct Lists<T> {
    seen: HashSet<SharedList<T>, FastBuild>,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Self {
            seen: HashSet::default(),
        }
    }
}

impl<T: Eq + Hash + Clone> Lists<T> {
    /// The shared list holding `items`, in order.
    pub fn get(&mut self, items: &[T]) -> SharedList<T> {
        if let Some(found) = self.seen.get(items) {
            return found.clone();
        }
        let list = SharedList::from(items);
        self.seen.insert(list.clone());
        list
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
