//! Work cut in two halves, one on a second thread: finishing a large load
//! and indexing its places sort and gather columns of a million entries,
//! where a second core halves the wait.

/// Below this many items, the two halves of the work are done one after
/// the other on the calling thread: starting a thread costs more than the
/// work saves, and a small file (what a fuzzer feeds) then starts none.
pub const THREADED_MIN_ITEMS: usize = 4096;

/// Runs `front` on a second thread beside `back` on this one when the work
/// is of at least [`THREADED_MIN_ITEMS`] `items`, else both here in turn.
pub fn in_halves(items: usize, front: impl FnOnce() + Send, back: impl FnOnce()) {
    if items < THREADED_MIN_ITEMS {
        front();
        back();
        return;
    }
    std::thread::scope(|scope| {
        scope.spawn(front);
        back();
    });
}

/// Two sorted lists read as one sorted list (the halves of one, each
/// sorted on its thread): ties come from `a` first.
pub fn merged<'a, T: Ord + Copy>(a: &'a [T], b: &'a [T]) -> impl Iterator<Item = T> + 'a {
    merged_by_key(a, b, |&item| item)
}

/// [`merged`] for lists sorted by `key`.
pub fn merged_by_key<'a, T: Copy, K: Ord>(
    a: &'a [T],
    b: &'a [T],
    key: impl Fn(&T) -> K + 'a,
) -> impl Iterator<Item = T> + 'a {
    Merged { a, b, key }
}

struct Merged<'a, T, F> {
    a: &'a [T],
    b: &'a [T],
    key: F,
}

impl<T: Copy, K: Ord, F: Fn(&T) -> K> Iterator for Merged<'_, T, F> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let from_a = match (self.a.first(), self.b.first()) {
            (Some(a), Some(b)) => (self.key)(a) <= (self.key)(b),
            (Some(_), None) => true,
            (None, _) => false,
        };
        let list = if from_a { &mut self.a } else { &mut self.b };
        let (&first, rest) = list.split_first()?;
        *list = rest;
        Some(first)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.a.len() + self.b.len();
        (left, Some(left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small piece of work stays on the calling thread (a fuzzer's leak
    /// check then sees no thread's bookkeeping); a large one takes two.
    #[test]
    fn only_large_work_starts_a_second_thread() {
        let here = std::thread::current().id();
        for (items, threaded) in [
            (0, false),
            (THREADED_MIN_ITEMS - 1, false),
            (THREADED_MIN_ITEMS, true),
        ] {
            let mut front = None;
            let mut back = None;
            in_halves(
                items,
                || front = Some(std::thread::current().id()),
                || back = Some(std::thread::current().id()),
            );
            assert_eq!(back, Some(here), "{items} items");
            assert_eq!(
                front.is_some_and(|id| id != here),
                threaded,
                "{items} items"
            );
        }
    }

    #[test]
    fn two_sorted_halves_read_as_one_sorted_list() {
        let a = [(1, 'a'), (3, 'a'), (3, 'b'), (9, 'a')];
        let b = [(0, 'z'), (3, 'a'), (4, 'c')];
        let all: Vec<_> = merged(&a, &b).collect();
        let mut sorted = [a.as_slice(), b.as_slice()].concat();
        sorted.sort();
        assert_eq!(all, sorted);
        assert_eq!(merged::<u8>(&[], &[]).count(), 0);
        assert_eq!(merged(&[2], &[]).collect::<Vec<_>>(), [2]);
    }
}
