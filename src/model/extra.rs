//! The fields a format carries that the model has no slot for (ACLED's
//! `admin2` or `geo_precision`, GDELT's `QuadClass`): shown in the details,
//! never interpreted.
//!
//! A large file repeats the same few values on every row (one country, a
//! handful of admin names per place), so the pairs are kept in groups that
//! events share: an event holds at most two pointers, not sixteen strings.

use std::sync::Arc;

use std::collections::HashMap;

use super::fast_hash::{FastBuild, write_key};
use super::name::{Name, Names};
use super::repeats::Repeats;

/// A shared run of `(field, value)` pairs (a thin pointer, so that an
/// event's two cost sixteen bytes).
pub type ExtraGroup = Arc<Box<[(Name, Name)]>>;

/// The field names of [`OwnFields`], shared by every event of a file.
pub type ExtraKeys = Arc<Box<[Name]>>;

/// An event's extra fields, in the order its format lists them: up to two
/// groups shared with other events, then the fields of its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extra {
    groups: [Option<ExtraGroup>; 2],
    own: Option<Arc<OwnFields>>,
}

/// Values no other event shares (GDELT's tone, its counts of mentions):
/// written one after another in one string, behind names every event of the
/// file shares, so that they cost their bytes and one allocation, not two
/// allocations a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnFields {
    keys: ExtraKeys,
    /// Each key's value followed by [`SEPARATOR`]; an empty value is absent.
    values: Box<str>,
}

/// Ends each value in [`OwnFields::values`]. A value holding one (a control
/// character no event field means) has it written as a space.
const SEPARATOR: char = '\u{1f}';

impl OwnFields {
    /// The fields named `keys` with these values, in order (`None` or empty:
    /// absent); `None` when all are absent.
    pub fn new<'v>(
        keys: &ExtraKeys,
        values: impl IntoIterator<Item = Option<&'v str>>,
    ) -> Option<Self> {
        let mut text = String::new();
        let mut any = false;
        for value in values.into_iter().take(keys.len()) {
            let value = value.unwrap_or("");
            any |= !value.is_empty();
            text.extend(value.chars().map(|c| if c == SEPARATOR { ' ' } else { c }));
            text.push(SEPARATOR);
        }
        any.then(|| Self {
            keys: Arc::clone(keys),
            values: text.into_boxed_str(),
        })
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.keys
            .iter()
            .map(|k| &**k)
            .zip(self.values.split_terminator(SEPARATOR))
            .filter(|(_, v)| !v.is_empty())
    }
}

impl Extra {
    /// Extra fields from owned pairs (one group of the event's own).
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        if pairs.is_empty() {
            return Self::default();
        }
        let group: ExtraGroup = Arc::new(
            pairs
                .into_iter()
                .map(|(k, v)| (Name::from(k), Name::from(v)))
                .collect(),
        );
        Self {
            groups: [Some(group), None],
            own: None,
        }
    }

    /// Extra fields made of groups shared with other events (see
    /// [`ExtraInterner`]).
    pub fn from_groups(first: Option<ExtraGroup>, second: Option<ExtraGroup>) -> Self {
        Self {
            groups: [first, second],
            own: None,
        }
    }

    /// The same fields, followed by the event's own.
    #[must_use]
    pub fn with_own(mut self, own: Option<OwnFields>) -> Self {
        self.own = own.map(Arc::new);
        self
    }

    /// The pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.groups
            .iter()
            .flatten()
            .flat_map(|g| g.iter())
            .map(|(k, v)| (&**k, &**v))
            .chain(self.own.iter().flat_map(|own| own.iter()))
    }

    /// The value of a field.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// Makes equal groups of pairs one shared [`ExtraGroup`] while a file loads.
#[derive(Default)]
pub struct ExtraInterner {
    /// Each group by its pairs written out flat (see [`write_key`]): a row's
    /// pairs are found with one hash and one comparison of bytes, not a
    /// comparison per field through two pointers each.
    groups: HashMap<Box<[u8]>, ExtraGroup, FastBuild>,
    names: Names,
    flat: Vec<u8>,
    /// Whether groups still repeat: those of places each row has its own
    /// of do not, and are then made as they come, not kept by their bytes.
    repeats: Repeats,
    /// Whether each field's values still repeat (an ACLED `admin1` does, a
    /// `location` of a row's own does not), by field.
    value_repeats: Vec<(Name, Repeats)>,
}

impl ExtraInterner {
    /// The shared group equal to `pairs` (`None` when it is empty). Looks up
    /// without allocating when the group was seen before, which it nearly
    /// always was; a group of its own once groups have stopped repeating.
    pub fn group(&mut self, pairs: &[(&str, &str)]) -> Option<ExtraGroup> {
        if pairs.is_empty() {
            return None;
        }
        if !self.repeats.worth() {
            return Some(self.make(pairs));
        }
        write_key(&mut self.flat, pairs.iter().flat_map(|&(k, v)| [k, v]));
        let found = self.groups.get(self.flat.as_slice()).cloned();
        self.repeats.counted(found.is_some());
        if found.is_some() {
            return found;
        }
        let group = self.make(pairs);
        self.groups
            .insert(self.flat.as_slice().into(), group.clone());
        Some(group)
    }

    /// A new group of `pairs`, its field names shared with the other
    /// groups', and its values too while a field's values repeat.
    fn make(&mut self, pairs: &[(&str, &str)]) -> ExtraGroup {
        let group: Vec<(Name, Name)> = pairs
            .iter()
            .map(|&(key, value)| {
                let key = self.names.get(key);
                let at = match self.value_repeats.iter().position(|(k, _)| *k == key) {
                    Some(at) => at,
                    None => {
                        self.value_repeats.push((key.clone(), Repeats::default()));
                        self.value_repeats.len() - 1
                    }
                };
                let value = match self.value_repeats.get_mut(at) {
                    Some((_, repeats)) if repeats.worth() => {
                        let (value, found) = self.names.lookup(value);
                        repeats.counted(found);
                        value
                    }
                    _ => Name::from(value),
                };
                (key, value)
            })
            .collect();
        Arc::new(group.into_boxed_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Once a window of groups has hardly repeated, groups are made as
    /// they come: equal, no longer one. A field whose values repeat keeps
    /// sharing them; one whose values are each new stops looking them up.
    #[test]
    fn groups_that_stop_repeating_are_made_as_they_come() {
        let window = crate::model::Repeats::WINDOW;
        let mut interner = ExtraInterner::default();
        for i in 0..window {
            interner.group(&[("admin1", "Punjab"), ("location", &format!("Spot {i}"))]);
        }
        let pairs = [("admin1", "Punjab"), ("location", "Spot 1")];
        let a = interner.group(&pairs).expect("a");
        let b = interner.group(&pairs).expect("b");
        assert_eq!(a, b);
        assert!(!Arc::ptr_eq(&a, &b));
        assert_eq!(interner.groups.len(), window as usize);
        let (admin1, location) = (
            |g: &ExtraGroup| g[0].1.address(),
            |g: &ExtraGroup| g[1].1.address(),
        );
        assert_eq!(admin1(&a), admin1(&b));
        assert_ne!(location(&a), location(&b));
    }

    #[test]
    fn groups_are_shared_and_read_in_order() {
        let mut interner = ExtraInterner::default();
        let a = interner.group(&[("admin1", "Punjab"), ("geo_precision", "1")]);
        let b = interner.group(&[("admin1", "Punjab"), ("geo_precision", "1")]);
        let c = interner.group(&[("admin1", "Sindh"), ("geo_precision", "1")]);
        // Texts that would run together if joined are still told apart.
        let d = interner.group(&[("ab", "c")]).expect("d");
        let e = interner.group(&[("a", "bc")]).expect("e");
        assert_eq!(**e, [(Name::from("a"), Name::from("bc"))]);
        assert!(!Arc::ptr_eq(&d, &e));
        let (a, b, c) = (a.expect("a"), b.expect("b"), c.expect("c"));
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(interner.group(&[]), None);
        let extra = Extra::from_groups(interner.group(&[("time_precision", "2")]), Some(a));
        let pairs: Vec<_> = extra.iter().collect();
        assert_eq!(
            pairs,
            [
                ("time_precision", "2"),
                ("admin1", "Punjab"),
                ("geo_precision", "1")
            ]
        );
        assert_eq!(extra.get("admin1"), Some("Punjab"));
        assert!(Extra::new(Vec::new()).is_empty());
    }

    #[test]
    fn own_fields_follow_the_groups_and_skip_absent_values() {
        let keys: ExtraKeys = Arc::new(["tone", "url", "count"].map(Name::from).into());
        let own = OwnFields::new(&keys, [Some("-2.5"), None, Some("a\u{1f}b")]);
        let extra = Extra::from_groups(ExtraInterner::default().group(&[("code", "190")]), None)
            .with_own(own);
        let pairs: Vec<_> = extra.iter().collect();
        assert_eq!(pairs, [("code", "190"), ("tone", "-2.5"), ("count", "a b")]);
        assert_eq!(extra.get("url"), None);
        assert_eq!(OwnFields::new(&keys, [None, Some(""), None]), None);
    }
}
