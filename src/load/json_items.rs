//! The records of a JSON text in memory (GeoJSON's `features`, TimelineJS's
//! `events`) read one by one from
//! their raw text, so that each is reported at its own line and a file cut
//! off in the middle still yields the records before the cut.

use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// What was found at the top of a JSON object.
#[derive(Debug, Default)]
pub struct Items<'a> {
    /// The array's elements, raw, in file order (those before a break).
    pub items: Vec<&'a RawValue>,
    /// Whether the key was present.
    pub found: bool,
    /// The top-level `"type"` string, if any (GeoJSON).
    pub kind: Option<String>,
    /// Where and why reading stopped early: (line, message).
    pub broken: Option<(u32, String)>,
}

/// Reads the array under top-level `key` of the object in `text`.
pub fn items<'a>(text: &'a str, key: &str) -> Items<'a> {
    let mut out = Items::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let result = TopSeed { key, out: &mut out }
        .deserialize(&mut de)
        .and_then(|()| de.end());
    if let Err(e) = result {
        let line = u32::try_from(e.line()).unwrap_or(u32::MAX);
        out.broken = Some((line, describe(&e)));
    }
    out
}

/// serde_json's message without its " at line L column C" tail, plus the column.
pub fn describe(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = text.split(" at line ").next().unwrap_or(&text);
    format!("{message} (column {})", e.column())
}

/// Line numbers of slices of one text, asked for in file order: each call
/// counts only the newlines since the last, so a whole file costs one pass
/// (counting from the start each time made large files quadratic).
pub struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    /// A counter over `text`, at its first line.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line where `part` (a slice of the text) starts.
    pub fn line_of(&mut self, part: &str) -> u32 {
        let offset = (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        if offset < self.offset {
            // Out of order: count from the start.
            self.offset = 0;
            self.line = 1;
        }
        let between = self.text.get(self.offset..offset).unwrap_or("");
        self.line += lines_in(between) - 1;
        self.offset = offset;
        self.line
    }
}

/// The line of `"key"` inside a record starting at `line` (or `line`).
pub fn line_of_key(raw: &str, line: u32, key: &str) -> u32 {
    let needle = format!("\"{key}\"");
    raw.find(&needle)
        .map_or(line, |at| line + lines_in(raw.get(..at).unwrap_or("")) - 1)
}

fn lines_in(text: &str) -> u32 {
    u32::try_from(text.bytes().filter(|&b| b == b'\n').count() + 1).unwrap_or(u32::MAX)
}

struct TopSeed<'s, 'a> {
    key: &'s str,
    out: &'s mut Items<'a>,
}

impl<'a> DeserializeSeed<'a> for TopSeed<'_, 'a> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'a>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'a> Visitor<'a> for TopSeed<'_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with \"{}\"", self.key)
    }

    fn visit_map<M: MapAccess<'a>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == self.key {
                self.out.found = true;
                map.next_value_seed(ItemsSeed(&mut self.out.items))?;
            } else if key == "type" {
                let raw: &RawValue = map.next_value()?;
                self.out.kind = serde_json::from_str(raw.get()).ok();
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// Pushes each element as it is read, so a later error keeps the earlier ones.
struct ItemsSeed<'s, 'a>(&'s mut Vec<&'a RawValue>);

impl<'a> DeserializeSeed<'a> for ItemsSeed<'_, 'a> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'a>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'a> Visitor<'a> for ItemsSeed<'_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list")
    }

    fn visit_seq<S: SeqAccess<'a>>(self, mut seq: S) -> Result<(), S::Error> {
        while let Some(item) = seq.next_element::<&'a RawValue>()? {
            self.0.push(item);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_off_file_keeps_the_records_before_the_cut() {
        let text = "{\"type\": \"FeatureCollection\",\n\"features\": [\n{\"a\": 1},\n{\"a\": 2},\n{\"a\": ";
        let found = items(text, "features");
        assert!(found.found);
        assert_eq!(found.kind.as_deref(), Some("FeatureCollection"));
        let mut counter = LineCounter::new(text);
        let lines: Vec<u32> = found
            .items
            .iter()
            .map(|i| counter.line_of(i.get()))
            .collect();
        assert_eq!(lines, [3, 4]);
        let (line, message) = found.broken.expect("broken");
        assert_eq!(line, 5);
        assert!(message.starts_with("EOF while parsing"), "{message}");
    }

    #[test]
    fn a_whole_file_reads_cleanly() {
        let found = items("{\"events\": [1, 2], \"title\": {}}", "events");
        assert_eq!(found.items.len(), 2);
        assert!(found.broken.is_none());
        let wrong = items("[1, 2]", "events");
        assert!(!wrong.found);
        assert!(wrong.broken.is_some());
    }
}
