//! The fields a format carries that the model has no slot for (ACLED's
//! `admin2` or `geo_precision`, GDELT's `QuadClass`): shown in the details,
//! never interpreted.
//!
//! A large file repeats the same few values on every row (one country, a
//! handful of admin names per place), so the pairs are kept in groups that
//! events share: an event holds at most three pointers, not sixteen
//! strings. A group is one allocation: its values written one after
//! another, behind a pointer to field names that every group of the same
//! fields shares, so a group no other event shares (the fields of a place
//! of a row's own) costs its bytes, not two allocations a value.

use std::sync::Arc;

use triomphe::ThinArc;

use std::collections::HashMap;

use super::fast_hash::{FastBuild, write_key};
use super::name::{Name, Names};
use super::repeats::Repeats;

/// A run of `(field, value)` pairs, shared by the events that have it (a
/// thin pointer, so that an event's three cost twenty-four bytes).
pub type ExtraGroup = Fields;

/// The field names of [`Fields`], shared by every group of those fields.
pub type ExtraKeys = Arc<Box<[Name]>>;

/// An event's extra fields, in the order its format lists them: up to two
/// groups shared with other events, then the fields of its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extra {
    groups: [Option<ExtraGroup>; 2],
    own: Option<ExtraGroup>,
}

/// Values behind names shared with other groups, in one allocation with
/// the pointer to the names (triomphe's `ThinArc`): each value is written
/// out, followed by [`PRESENT`], or is absent, written as [`ABSENT`] alone.
/// A group of a row's own (a row's upload time) then costs one allocation.
#[derive(Clone, PartialEq, Eq)]
pub struct Fields(ThinArc<ExtraKeys, u8>);

/// Ends each value in a [`Fields`]' text. A value holding it or [`ABSENT`]
/// (control characters no event field means) has them written as spaces.
const PRESENT: char = '\u{1f}';
/// Stands for a value that is absent.
const ABSENT: char = '\u{1e}';

impl Fields {
    /// The fields named `keys` with these values, in order (`None` or empty:
    /// absent); `None` when all are absent.
    pub fn new<'v>(
        keys: &ExtraKeys,
        values: impl IntoIterator<Item = Option<&'v str>>,
    ) -> Option<Self> {
        Self::written(&mut String::new(), keys, values)
    }

    /// [`Fields::new`], its text written in `text` first (a buffer kept
    /// from one group to the next).
    fn written<'v>(
        text: &mut String,
        keys: &ExtraKeys,
        values: impl IntoIterator<Item = Option<&'v str>>,
    ) -> Option<Self> {
        text.clear();
        let mut any = false;
        for value in values.into_iter().take(keys.len()) {
            match value.filter(|v| !v.is_empty()) {
                Some(value) => {
                    any = true;
                    push_value(text, value);
                }
                None => text.push(ABSENT),
            }
        }
        any.then(|| Self::of(keys, text))
    }

    /// Each value, an empty one too, its text written in `text` first.
    fn from_values<'p>(
        text: &mut String,
        keys: &ExtraKeys,
        values: impl IntoIterator<Item = &'p str>,
    ) -> Self {
        text.clear();
        for value in values {
            push_value(text, value);
        }
        Self::of(keys, text)
    }

    /// The fields named `keys` whose values are written in `text` as a
    /// group's are ([`Fields::text`]).
    pub(crate) fn of(keys: &ExtraKeys, text: &str) -> Self {
        Self(ThinArc::from_header_and_slice(
            Arc::clone(keys),
            text.as_bytes(),
        ))
    }

    /// Whether the two are one shared group (not merely equal).
    pub fn same(a: &Self, b: &Self) -> bool {
        a.0.as_ptr() == b.0.as_ptr()
    }

    /// Where the group is: the same for every holder of it.
    pub(crate) fn address(&self) -> usize {
        self.0.as_ptr() as usize
    }

    /// The names of its fields.
    pub(crate) fn keys(&self) -> &ExtraKeys {
        &self.0.header.header
    }

    /// Its values as written (each followed by a mark), to be kept as text
    /// elsewhere and read with [`pairs`].
    pub(crate) fn text(&self) -> &str {
        // Written from `str`s and ASCII marks only, so always UTF-8.
        std::str::from_utf8(&self.0.slice).unwrap_or_default()
    }

    /// Whether another holds this group too (an interner, an earlier
    /// event); a group of a row's own is not.
    pub(crate) fn is_shared(&self) -> bool {
        ThinArc::strong_count(&self.0) > 1
    }

    /// Asks for the cache line of the group's count, which a clone writes.
    pub fn prefetch(&self) {
        crate::prefetch::prefetch(&self.0.header);
    }

    /// The pairs whose value is present, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        pairs(self.keys(), self.text())
    }
}

/// The pairs of fields named `keys` whose values are written in `text` (as
/// [`Fields::text`] gives them), those whose value is present, in order.
pub(crate) fn pairs<'a>(
    keys: &'a [Name],
    text: &'a str,
) -> impl Iterator<Item = (&'a str, &'a str)> + use<'a> {
    let mut rest = text;
    keys.iter()
        .map_while(move |key| {
            let end = memchr::memchr2(PRESENT as u8, ABSENT as u8, rest.as_bytes())?;
            let value = rest.get(..end)?;
            let present = rest.get(end..)?.starts_with(PRESENT);
            rest = rest.get(end + 1..)?;
            Some((key.as_str(), value, present))
        })
        .filter(|&(_, _, present)| present)
        .map(|(key, value, _)| (key, value))
}

impl std::fmt::Debug for Fields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Writes a value and [`PRESENT`] after it.
fn push_value(text: &mut String, value: &str) {
    if memchr::memchr2(PRESENT as u8, ABSENT as u8, value.as_bytes()).is_some() {
        text.extend(
            value
                .chars()
                .map(|c| if c == PRESENT || c == ABSENT { ' ' } else { c }),
        );
    } else {
        text.push_str(value);
    }
    text.push(PRESENT);
}

impl Extra {
    /// Extra fields from owned pairs, one group of the event's own (for
    /// an event made in code; a loader shares its groups through
    /// [`crate::model::DatasetBuilder::extra_group`]).
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        Self::from_groups(ExtraInterner::default().group(&pairs), None)
    }

    /// Extra fields made of groups shared with other events (see
    /// [`ExtraInterner`]).
    pub fn from_groups(first: Option<ExtraGroup>, second: Option<ExtraGroup>) -> Self {
        Self {
            groups: [first, second],
            own: None,
        }
    }

    /// The same fields, followed by the event's own (a group no other
    /// event shares, or one an [`ExtraInterner`] shares).
    #[must_use]
    pub fn with_own(mut self, own: Option<Fields>) -> Self {
        self.own = own;
        self
    }

    /// The pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.read().iter()
    }

    /// The value of a field.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.read().get(key)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    /// The fields read as an event's are, none of them kept as text.
    fn read(&self) -> ExtraRef<'_> {
        let [first, second] = &self.groups;
        ExtraRef::new(
            [first.as_ref(), second.as_ref(), self.own.as_ref()],
            [None, None],
        )
    }

    /// Its two groups and its own fields, in that order.
    pub(crate) fn into_parts(self) -> [Option<Fields>; 3] {
        let [first, second] = self.groups;
        [first, second, self.own]
    }

    /// Its second group and its own fields where no one else holds them
    /// (the fields of a place of the row's own, a row's own values), taken
    /// out to be kept as text; the shared ones stay.
    pub(crate) fn take_unshared(&mut self) -> [Option<Fields>; 2] {
        let unshared = |group: &mut Option<Fields>| group.take_if(|g| !g.is_shared());
        [unshared(&mut self.groups[1]), unshared(&mut self.own)]
    }
}

/// Fields kept as text: their names, and their values as
/// [`Fields::text`] writes them.
pub type FieldsText<'a> = (&'a ExtraKeys, &'a str);

/// An event's extra fields, read in place: the groups it shares, with its
/// second group and its own fields kept as text where no one else held
/// them ([`Extra::take_unshared`]).
#[derive(Clone, Copy)]
pub struct ExtraRef<'a> {
    /// The first group, the second and the own fields, where held as
    /// groups.
    groups: [Option<&'a Fields>; 3],
    /// The second group and the own fields, where kept as text.
    unshared: [Option<FieldsText<'a>>; 2],
}

impl<'a> ExtraRef<'a> {
    /// The fields of `groups`, with the second group and the own ones
    /// read from `unshared` where given.
    pub(crate) fn new(
        groups: [Option<&'a Fields>; 3],
        unshared: [Option<FieldsText<'a>>; 2],
    ) -> Self {
        Self { groups, unshared }
    }

    /// The pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a str)> + use<'a> {
        let [first, second, own] = self.groups;
        let [second_text, own_text] = self.unshared;
        let part = move |group: Option<&'a Fields>, text: Option<FieldsText<'a>>| {
            let kept = text.map(|(keys, text)| pairs(keys, text));
            group
                .into_iter()
                .flat_map(Fields::iter)
                .chain(kept.into_iter().flatten())
        };
        part(first, None)
            .chain(part(second, second_text))
            .chain(part(own, own_text))
    }

    /// The value of a field.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The fields as a value of their own.
    pub fn to_extra(&self) -> Extra {
        let [first, second, own] = self.groups.map(|g| g.cloned());
        let [second_text, own_text] = self
            .unshared
            .map(|t| t.map(|(keys, text)| Fields::of(keys, text)));
        Extra {
            groups: [first, second_text.or(second)],
            own: own_text.or(own),
        }
    }
}

impl PartialEq for ExtraRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for ExtraRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Makes equal groups of pairs one shared [`ExtraGroup`] while a file loads.
#[derive(Default)]
pub struct ExtraInterner {
    /// Each group by its pairs written out flat (see [`write_key`]): a row's
    /// pairs are found with one hash and one comparison of bytes, not a
    /// comparison per field through two pointers each.
    groups: HashMap<Box<[u8]>, ExtraGroup, FastBuild>,
    /// The names of each run of fields, by the names written out flat.
    keys: HashMap<Box<[u8]>, ExtraKeys, FastBuild>,
    names: Names,
    flat: Vec<u8>,
    flat_keys: Vec<u8>,
    /// The text of the group being made.
    text: String,
    /// The names of the group made last: rows name the same fields one
    /// after another, and are then not looked up by their bytes.
    last_keys: Option<ExtraKeys>,
    /// Whether groups still repeat: those of places each row has its own
    /// of do not, and are then made as they come, not kept by their bytes.
    repeats: Repeats,
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
        self.found_or_kept(|interner| Some(interner.make(pairs)))
    }

    /// The group kept under the key written in `flat`, else the one `make`
    /// makes, kept under it; the lookup counted for [`Repeats`].
    fn found_or_kept(
        &mut self,
        make: impl FnOnce(&mut Self) -> Option<ExtraGroup>,
    ) -> Option<ExtraGroup> {
        let found = self.groups.get(self.flat.as_slice()).cloned();
        self.repeats.counted(found.is_some());
        if found.is_some() {
            return found;
        }
        let group = make(self)?;
        self.groups
            .insert(self.flat.as_slice().into(), group.clone());
        Some(group)
    }

    /// The group of these values of the fields `keys` (`None` or empty:
    /// absent), shared with equal ones while groups repeat, like
    /// [`ExtraInterner::group`]; `None` when all are absent. For a loader
    /// whose rows all have the same fields (a table's columns), which then
    /// need no list of pairs made for each row.
    pub fn fields<'v>(
        &mut self,
        keys: &ExtraKeys,
        values: impl Iterator<Item = Option<&'v str>> + Clone,
    ) -> Option<ExtraGroup> {
        if !self.repeats.worth() {
            return Fields::written(&mut self.text, keys, values);
        }
        self.flat.clear();
        self.flat
            .extend_from_slice(&(Arc::as_ptr(keys) as usize).to_le_bytes());
        for value in values.clone() {
            match value.filter(|v| !v.is_empty()) {
                Some(value) => {
                    let len = u32::try_from(value.len()).unwrap_or(u32::MAX);
                    self.flat.extend_from_slice(&len.to_le_bytes());
                    self.flat.extend_from_slice(value.as_bytes());
                }
                None => self.flat.extend_from_slice(&u32::MAX.to_le_bytes()),
            }
        }
        self.found_or_kept(|interner| Fields::written(&mut interner.text, keys, values))
    }

    /// A new group of `pairs`, behind the names of its fields that the
    /// groups of the same fields share.
    fn make(&mut self, pairs: &[(&str, &str)]) -> ExtraGroup {
        let same = |keys: &&ExtraKeys| keys.iter().map(Name::as_str).eq(pairs.iter().map(|p| p.0));
        if let Some(keys) = self.last_keys.as_ref().filter(same) {
            return Fields::from_values(&mut self.text, keys, pairs.iter().map(|&(_, v)| v));
        }
        write_key(&mut self.flat_keys, pairs.iter().map(|&(k, _)| k));
        let keys = match self.keys.get(self.flat_keys.as_slice()) {
            Some(keys) => Arc::clone(keys),
            None => {
                let keys: ExtraKeys =
                    Arc::new(pairs.iter().map(|&(k, _)| self.names.get(k)).collect());
                self.keys
                    .insert(self.flat_keys.as_slice().into(), Arc::clone(&keys));
                keys
            }
        };
        let group = Fields::from_values(&mut self.text, &keys, pairs.iter().map(|&(_, v)| v));
        self.last_keys = Some(keys);
        group
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Once a window of groups has hardly repeated, groups are made as
    /// they come: equal, no longer one, though still behind one list of
    /// field names.
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
        assert!(!Fields::same(&a, &b));
        assert_eq!(interner.groups.len(), window as usize);
        assert!(Arc::ptr_eq(a.keys(), b.keys()));
        assert_eq!(a.iter().collect::<Vec<_>>(), pairs);
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
        assert_eq!(e.iter().collect::<Vec<_>>(), [("a", "bc")]);
        assert!(!Fields::same(&d, &e));
        let (a, b, c) = (a.expect("a"), b.expect("b"), c.expect("c"));
        assert!(Fields::same(&a, &b));
        assert!(!Fields::same(&a, &c));
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
        let own = Fields::new(&keys, [Some("-2.5"), None, Some("a\u{1f}b")]);
        let extra = Extra::from_groups(ExtraInterner::default().group(&[("code", "190")]), None)
            .with_own(own);
        let pairs: Vec<_> = extra.iter().collect();
        assert_eq!(pairs, [("code", "190"), ("tone", "-2.5"), ("count", "a b")]);
        assert_eq!(extra.get("url"), None);
        assert_eq!(Fields::new(&keys, [None, Some(""), None]), None);
    }

    /// Rows of the same fields share the group of equal values, tell an
    /// absent value from a present one, and have none when all are absent.
    #[test]
    fn rows_of_the_same_fields_share_equal_values() {
        let keys: ExtraKeys = Arc::new(["tags", "code"].map(Name::from).into());
        let mut interner = ExtraInterner::default();
        let mut row = |values: [Option<&str>; 2]| interner.fields(&keys, values.into_iter());
        let a = row([Some("osint"), None]).expect("a");
        let b = row([Some("osint"), None]).expect("b");
        let c = row([None, Some("osint")]).expect("c");
        assert!(Fields::same(&a, &b));
        assert!(!Fields::same(&a, &c));
        assert_eq!(a.iter().collect::<Vec<_>>(), [("tags", "osint")]);
        assert_eq!(c.iter().collect::<Vec<_>>(), [("code", "osint")]);
        assert_eq!(row([None, Some("")]), None);
    }

    /// A file's own fields keep an empty value, and a value holding the
    /// characters the values are written with reads back with spaces.
    #[test]
    fn given_pairs_keep_empty_values() {
        let extra = Extra::new(vec![
            ("note".into(), String::new()),
            ("odd".into(), "a\u{1e}b\u{1f}c".into()),
            ("last".into(), "z".into()),
        ]);
        let pairs: Vec<_> = extra.iter().collect();
        assert_eq!(pairs, [("note", ""), ("odd", "a b c"), ("last", "z")]);
    }
}
