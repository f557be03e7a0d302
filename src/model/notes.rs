//! The user's own notes on events: kept with the view (and in a project),
//! never written into the data file, and keyed by event id so that they
//! follow an event through a reload that numbers the events anew.

use std::collections::BTreeMap;

/// Each noted event's note, by event id, in id order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Notes {
    by_id: BTreeMap<String, String>,
}

impl Notes {
    /// The note on the event of `id`.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.by_id.get(id).map(String::as_str)
    }

    /// Sets the note on the event of `id`; a blank note removes it.
    pub fn set(&mut self, id: &str, text: &str) {
        if text.trim().is_empty() {
            self.by_id.remove(id);
        } else {
            self.by_id.insert(id.to_owned(), text.to_owned());
        }
    }

    /// Every note, by event id.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_id.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// How many events have a note.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether no event has a note.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

impl FromIterator<(String, String)> for Notes {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut notes = Notes::default();
        for (id, text) in iter {
            notes.set(&id, &text);
        }
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_note_is_no_note() {
        let mut notes = Notes::default();
        notes.set("b", "second");
        notes.set("a", "first");
        notes.set("c", "  ");
        assert_eq!(notes.get("a"), Some("first"));
        assert_eq!(notes.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["a", "b"]);
        notes.set("a", "");
        assert_eq!(notes.get("a"), None);
        assert_eq!(notes.len(), 1);
    }
}
