//! A name that many events share (an actor such as "Military Forces of
//! Pakistan (2018-)"): one allocation for all of them, not one an event.
//! Also the type of the short texts most events leave empty (a date's
//! wording, a casualty detail), where a thin pointer is what counts.
//!
//! It is a thin pointer (eight bytes) to one allocation holding the count,
//! the length and the text (arcstr's `ArcStr`), since events hold their
//! title and each list holds its names: a million events spend eight bytes
//! less for each, and a name that is new (a title of its own) costs one
//! allocation, not two.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;

use super::fast_hash::FastBuild;
use super::repeats::Repeats;

/// An immutable, cheaply cloned string, compared and shown as its text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(arcstr::ArcStr);

impl Name {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Where the one shared copy lies: equal for a name and its clones, and
    /// read without following the pointer (a search that remembers its
    /// answer per shared name would otherwise miss the cache twice an
    /// event to find out which name it holds).
    pub fn address(&self) -> usize {
        self.0.as_ptr() as usize
    }

    /// Whether another holds this name too (the one a [`Names`] keeps, a
    /// clone an earlier event holds); a name of a row's own is not.
    pub fn is_shared(&self) -> bool {
        arcstr::ArcStr::strong_count(&self.0).is_none_or(|n| n > 1)
    }

    /// Asks for the cache line of the shared copy's count, which a clone
    /// writes (a loader that knows which names its next rows share).
    pub fn prefetch(&self) {
        // The count lies just before the text, on its line most often. The
        // empty slice at the text's start gives its address without reading
        // the length kept beside the count (the read that would wait for
        // the line this asks for).
        if let Ok(start) = <&[u8; 0]>::try_from(self.0.as_bytes().get(..0).unwrap_or_default()) {
            crate::prefetch::prefetch(start);
        }
    }
}

impl Default for Name {
    fn default() -> Self {
        Self(arcstr::ArcStr::new())
    }
}

impl Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Self {
        Self(text.into())
    }
}

impl From<String> for Name {
    fn from(text: String) -> Self {
        Self(text.into())
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

/// Hands out one [`Name`] per distinct text while a file loads.
#[derive(Default)]
pub struct Names {
    seen: HashSet<Name, FastBuild>,
}

impl Names {
    /// The shared name for `text`.
    pub fn get(&mut self, text: &str) -> Name {
        self.lookup(text).0
    }

    /// The shared name for `text`, and whether it was there before.
    pub fn lookup(&mut self, text: &str) -> (Name, bool) {
        if let Some(found) = self.seen.get(text) {
            return (found.clone(), true);
        }
        let name = Name::from(text);
        self.seen.insert(name.clone());
        (name, false)
    }
}

/// An event's titles, looked up to be shared while they repeat enough
/// ([`Repeats`]), else each kept as it comes.
#[derive(Debug, Default)]
pub struct TitleSharing {
    repeats: Repeats,
}

impl TitleSharing {
    /// The name for a title: the shared one while titles repeat, else its own.
    pub fn get(&mut self, names: &mut Names, text: &str) -> Name {
        if !self.repeats.worth() {
            return Name::from(text);
        }
        let (name, found) = names.lookup(text);
        self.repeats.counted(found);
        name
    }

    /// Like [`TitleSharing::get`] for a title that is a name already: kept
    /// as it is once titles are no longer shared.
    pub fn share(&mut self, names: &mut Names, title: Name) -> Name {
        if !self.repeats.worth() {
            return title;
        }
        let (name, found) = names.lookup(&title);
        self.repeats.counted(found);
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const WINDOW: u32 = crate::model::Repeats::WINDOW;

    /// Titles stop being looked up once a window of them hardly repeats,
    /// and stay shared while they do.
    #[test]
    fn titles_are_shared_while_they_repeat() {
        let mut names = Names::default();
        let mut repeating = TitleSharing::default();
        for i in 0..3 * WINDOW {
            repeating.get(&mut names, &format!("Clash in {}", i % 100));
        }
        let a = repeating.get(&mut names, "Clash in 7");
        assert_eq!(a.address(), names.get("Clash in 7").address());
        let mut unique = TitleSharing::default();
        for i in 0..WINDOW {
            unique.get(&mut names, &format!("Strike at {i}"));
        }
        let b = unique.get(&mut names, "Clash in 7");
        assert_eq!(b, "Clash in 7");
        assert_ne!(
            b.address(),
            a.address(),
            "looked up after titles stopped repeating"
        );
    }

    #[test]
    fn names_compare_as_text_and_are_shared() {
        let mut names = Names::default();
        let a = names.get("RSF");
        let b = names.get("RSF");
        assert!(arcstr::ArcStr::ptr_eq(&a.0, &b.0));
        assert_eq!(a, "RSF");
        assert_eq!(a, "RSF".to_owned());
        assert_eq!(vec![a.clone()], ["RSF"]);
        assert_eq!([a.clone(), names.get("SAF")].join("; "), "RSF; SAF");
        assert_eq!(serde_json::to_string(&a).expect("json"), "\"RSF\"");
        let back: Name = serde_json::from_str("\"RSF\"").expect("json");
        assert_eq!(back, a);
    }
}
