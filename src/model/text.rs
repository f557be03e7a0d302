//! An event's own text (its id, its summary): immutable, and cheap to hold a
//! million of.
//!
//! A `String` an event costs a pointer, a length and a capacity, and a heap
//! block of its own with the allocator's rounding and header. The dataset
//! builder instead writes the texts of each 1,024 events one after the other
//! into one [`TextBlock`], and each event keeps a pointer to the block and
//! where its text lies in it: half the size, and no allocation per text.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::ops::Range;
use std::sync::Arc;

/// An immutable string, compared, hashed and shown as its text. It lies in a
/// block it may share with the texts of other events.
#[derive(Clone)]
pub struct Text {
    block: Arc<Box<str>>,
    start: u32,
    /// [`WHOLE`] for a text that is its whole block and too long to be
    /// measured in 32 bits.
    len: u32,
}

/// The length that stands for "the whole block".
const WHOLE: u32 = u32::MAX;

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        if self.len == WHOLE {
            return &self.block;
        }
        let start = self.start as usize;
        self.block
            .get(start..start + self.len as usize)
            .unwrap_or_default()
    }

    /// The length of the block the text lies in.
    #[cfg(test)]
    pub(crate) fn block_len(&self) -> usize {
        self.block.len()
    }

    /// A text that is its own block.
    fn alone(text: Box<str>) -> Self {
        let len = u32::try_from(text.len())
            .ok()
            .filter(|&n| n != WHOLE)
            .unwrap_or(WHOLE);
        Self {
            block: Arc::new(text),
            start: 0,
            len,
        }
    }
}

/// Texts written one after another, to be shared by the [`Text`]s that
/// point into them once the block is [frozen](TextBlock::freeze).
#[derive(Default)]
pub struct TextBlock {
    text: String,
}

/// Where a text was written in a [`TextBlock`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    start: u32,
    len: u32,
}

impl Span {
    /// `len` bytes from `start`, if the block stays under 4 GiB.
    fn at(start: usize, len: usize) -> Option<Self> {
        let start = u32::try_from(start).ok()?;
        let len = u32::try_from(len).ok().filter(|&n| n != WHOLE)?;
        start.checked_add(len)?;
        Some(Self { start, len })
    }

    /// The text's length in bytes.
    pub fn len(self) -> usize {
        self.len as usize
    }

    /// Whether the text is empty.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}

impl TextBlock {
    /// Writes `text` and says where. `None` when the block would pass 4 GiB
    /// (the caller then keeps the text [alone](Text::from)).
    ///
    /// Each text written grows the block; a caller freezes it every so many
    /// texts, so one block is never much larger than its texts.
    pub fn push(&mut self, text: &str) -> Option<Span> {
        let start = self.text.len();
        let span = Span::at(start, text.len())?;
        self.text.push_str(text);
        Some(span)
    }

    /// A block of texts written elsewhere, all at once (ACLED's reading
    /// thread writes the ids and notes of a batch of rows into one string);
    /// [`TextBlock::span`] says where each lies.
    pub fn written(text: String) -> Self {
        Self { text }
    }

    /// Where the text at `range` lies, as a [`Span`]. `None` outside the
    /// block, or past 4 GiB.
    pub fn span(&self, range: Range<usize>) -> Option<Span> {
        self.text.get(range.clone())?;
        Span::at(range.start, range.len())
    }

    /// The text at `range` ("" outside the block).
    pub fn text_at(&self, range: Range<usize>) -> &str {
        self.text.get(range).unwrap_or_default()
    }

    /// The texts written so far, as a block of their exact size for
    /// [`Frozen::text`]; this one is emptied for the next texts.
    ///
    /// A string exactly as long as its allocation (as one [written
    /// elsewhere](TextBlock::written) is made) is handed over. Others are
    /// copied: a block that grew by doubling would otherwise be shrunk in
    /// place, and the tails cut off a thousand blocks were found to cost a
    /// large load tens of megabytes.
    pub fn freeze(&mut self) -> Frozen {
        let text = std::mem::take(&mut self.text);
        let block: Box<str> = if text.len() == text.capacity() {
            text.into_boxed_str()
        } else {
            let block = text.as_str().into();
            self.text = text;
            self.text.clear();
            block
        };
        Frozen(Arc::new(block))
    }

    /// A text written since the last freeze.
    pub fn get(&self, span: Span) -> &str {
        let start = span.start as usize;
        self.text
            .get(start..start + span.len as usize)
            .unwrap_or_default()
    }

    /// How many bytes were written since the last freeze.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether nothing was written since the last freeze.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// A [`TextBlock`] done with writing.
pub struct Frozen(Arc<Box<str>>);

impl Frozen {
    /// The text written at `span`.
    pub fn text(&self, span: Span) -> Text {
        Text {
            block: Arc::clone(&self.0),
            start: span.start,
            len: span.len,
        }
    }
}

impl Default for Text {
    /// The empty text; one block serves them all, so a placeholder costs
    /// no allocation.
    fn default() -> Self {
        static EMPTY: std::sync::LazyLock<Arc<Box<str>>> = std::sync::LazyLock::new(Arc::default);
        Self {
            block: Arc::clone(&EMPTY),
            start: 0,
            len: 0,
        }
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
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
        Self::alone(text.into())
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Self::alone(text.into_boxed_str())
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
    fn a_block_written_elsewhere_is_handed_over_when_it_is_exactly_full() {
        let mut text = String::with_capacity(9);
        text.push_str("PAK1notes");
        let address = text.as_ptr();
        let mut block = TextBlock::written(text);
        let id = block.span(0..4).expect("in the block");
        let notes = block.span(4..9).expect("in the block");
        assert_eq!(block.span(4..10), None, "past the end");
        assert_eq!((block.get(id), block.text_at(4..9)), ("PAK1", "notes"));
        let frozen = block.freeze();
        let (id, notes) = (frozen.text(id), frozen.text(notes));
        assert_eq!((id.as_str(), notes.as_str()), ("PAK1", "notes"));
        assert_eq!(id.block.as_ptr(), address, "the string itself, not a copy");
        // One with room to spare is copied to its exact size.
        let mut text = String::with_capacity(64);
        text.push_str("PAK2");
        let mut block = TextBlock::written(text);
        let span = block.span(0..4).expect("in the block");
        let frozen = block.freeze();
        assert_eq!(frozen.text(span).block.len(), 4);
        assert_eq!(frozen.text(span), "PAK2");
    }

    #[test]
    fn texts_in_one_block_read_back_apart_and_compare_as_text() {
        let mut block = TextBlock::default();
        let a = block.push("PAK1").expect("fits");
        let empty = block.push("").expect("fits");
        let b = block.push("Mortar fire near Tirah").expect("fits");
        assert_eq!(block.get(a), "PAK1");
        assert_eq!(block.get(b), "Mortar fire near Tirah");
        let frozen = block.freeze();
        assert!(block.is_empty());
        let (a, empty, b) = (frozen.text(a), frozen.text(empty), frozen.text(b));
        assert_eq!(a, "PAK1");
        assert_eq!(empty.as_str(), "");
        assert_eq!(&*b, "Mortar fire near Tirah");
        assert!(Arc::ptr_eq(&a.block, &b.block));
        assert_eq!(a, Text::from("PAK1"));
        assert!(b < a, "ordered as text: M before P");
        assert_eq!(format!("{a} {a:?}"), "PAK1 \"PAK1\"");
        assert_eq!(Text::default(), "");
        assert_eq!(
            serde_json::to_string(&b).expect("json"),
            "\"Mortar fire near Tirah\""
        );
        let back: Text = serde_json::from_str("\"PAK1\"").expect("json");
        assert_eq!(back, a);
    }

    #[test]
    fn a_text_is_half_a_string() {
        assert_eq!(size_of::<Text>(), 16);
        assert_eq!(size_of::<Option<Text>>(), 16);
    }
}
