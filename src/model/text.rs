//! An event's own text (its id, its summary) while it travels as an
//! [`Event`](super::Event) from a loader to the builder: immutable, and
//! half a `String`. A dataset holds these texts in its columns instead.

use std::fmt;
use std::ops::Deref;

/// An immutable string, compared, hashed and shown as its text.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Box<str>);

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Self(text.into())
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Self(text.into_boxed_str())
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_compares_shows_and_serialises_as_its_string() {
        let a = Text::from("PAK1");
        let b = Text::from("Mortar fire near Tirah".to_owned());
        assert_eq!(a, "PAK1");
        assert_eq!(&*b, "Mortar fire near Tirah");
        assert!(b < a, "ordered as text: M before P");
        assert_eq!(format!("{a} {a:?}"), "PAK1 \"PAK1\"");
        assert_eq!(Text::default(), "");
        assert_eq!(
            serde_json::to_string(&b).expect("json"),
            "\"Mortar fire near Tirah\""
        );
        let back: Text = serde_json::from_str("\"PAK1\"").expect("json");
        assert_eq!(back, a);
        assert_eq!(size_of::<Text>(), 16);
    }
}
