//! Lists shared between events: a file names the same few actor pairs,
//! outlets and places on row after row, so an event holds a pointer to one
//! shared list instead of a small allocation of its own (a million ACLED
//! rows hold a few thousand distinct lists).

use std::collections::HashSet;
use std::hash::Hash;
use std::sync::Arc;

use super::fast_hash::FastBuild;
use super::{Name, PlaceIdx, Source};

/// The actors of an event.
pub type NameList = Arc<[Name]>;
/// The sources of an event.
pub type SourceList = Arc<[Source]>;
/// The places of an event.
pub type PlaceList = Arc<[PlaceIdx]>;

/// Hands out one shared list per distinct content while a file loads.
pub struct Lists<T> {
    seen: HashSet<Arc<[T]>, FastBuild>,
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
    pub fn get(&mut self, items: &[T]) -> Arc<[T]> {
        if let Some(found) = self.seen.get(items) {
            return Arc::clone(found);
        }
        let list: Arc<[T]> = items.into();
        self.seen.insert(Arc::clone(&list));
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
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(*c, [2, 1]);
        assert!(Arc::ptr_eq(&lists.get(&[]), &lists.get(&[])));
    }
}
