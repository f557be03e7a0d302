//! The members of a JSON object read from a stream, and the items of one
//! of its lists one by one, each handed over as its raw bytes with the
//! line it starts on.
//!
//! A file of a million events is then never held whole: only the item
//! being read is, and each is parsed by serde_json from its own bytes (so
//! a bad item is reported alone, at its line, and the items after it
//! still load). The scanner finds where each value ends, and no more: it
//! tracks strings and brackets, leaving the values' grammar to serde_json.
//! (serde_json's own reader of streams would do it all, but it takes the
//! input a byte per call and counts lines byte by byte; the figures are in
//! the commit that made this module.)

use std::io::Read;

/// How many bytes are asked of the input at a time.
const CHUNK: usize = 256 * 1024;

/// Where and why the stream stopped being JSON the scanner can follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The line it broke on.
    pub line: u32,
    /// What was wrong, for the user.
    pub message: String,
    /// Whether it broke inside the list (after the items before it).
    pub in_list: bool,
}

/// What a read found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Whether the list's key was met.
    pub list: bool,
    /// How many items the list gave.
    pub items: usize,
}

/// Why a read ended before the object's end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop<R> {
    /// The input stopped being JSON (or could not be read, or was cut
    /// off), after the items before it were handed over.
    Broken(Broken),
    /// The visitor refused the file: it is not one the caller reads.
    Refused(R),
}

impl<R> From<Broken> for Stop<R> {
    fn from(broken: Broken) -> Self {
        Self::Broken(broken)
    }
}

/// What a read hands its members and items to; an `Err` from either ends
/// the read.
pub trait Visit {
    /// Why this visitor refuses a file ([`std::convert::Infallible`] for
    /// one that never does).
    type Refusal;
    /// A member other than the list: its key and raw value.
    ///
    /// # Errors
    /// A refusal of the file.
    fn member(&mut self, key: &str, raw: &[u8]) -> Result<(), Self::Refusal>;
    /// An item of the list, raw, and the line it starts on.
    ///
    /// # Errors
    /// A refusal of the file.
    fn item(&mut self, raw: &[u8], line: u32) -> Result<(), Self::Refusal>;
}

/// Reads the object that `input` holds: each member but `list_key` is
/// handed to [`Visit::member`], and each item of the list under
/// `list_key` to [`Visit::item`].
///
/// # Errors
/// [`Stop::Broken`] where the input stops being JSON, [`Stop::Refused`]
/// where `visit` refused the file.
pub fn read_object<V: Visit>(
    input: impl Read,
    list_key: &str,
    visit: &mut V,
) -> Result<Found, Stop<V::Refusal>> {
    let mut scan = Scanner {
        input,
        buf: Vec::with_capacity(CHUNK),
        at: 0,
        line: 1,
        ended: false,
    };
    let mut found = Found::default();
    let broken = |scan: &Scanner<_>, message: &str| Err(Stop::Broken(scan.broken(message)));
    scan.skip_space()?;
    if scan.peek()? != Some(b'{') {
        return broken(&scan, "expected an object ('{')");
    }
    scan.take(1);
    scan.skip_space()?;
    let mut more = scan.peek()? != Some(b'}');
    if !more {
        scan.take(1);
    }
    while more {
        if scan.peek()? != Some(b'"') {
            return broken(&scan, "expected a key in quotes");
        }
        let len = scan.value_len()?;
        let key: String = match serde_json::from_slice(scan.ahead(len)) {
            Ok(key) => key,
            Err(_) => return broken(&scan, "a key that is not a JSON string"),
        };
        scan.take(len);
        scan.skip_space()?;
        if scan.peek()? != Some(b':') {
            return broken(&scan, "expected ':' after a key");
        }
        scan.take(1);
        scan.skip_space()?;
        if key == list_key && scan.peek()? == Some(b'[') {
            found.list = true;
            scan.take(1);
            scan.items(|raw, line| {
                found.items += 1;
                visit.item(raw, line)
            })
            .map_err(|stop| match stop {
                Stop::Broken(broken) => Stop::Broken(Broken {
                    in_list: true,
                    ..broken
                }),
                refused @ Stop::Refused(_) => refused,
            })?;
        } else {
            let len = scan.value_len()?;
            visit.member(&key, scan.ahead(len)).map_err(Stop::Refused)?;
            scan.take(len);
        }
        scan.skip_space()?;
        match scan.peek()? {
            Some(b',') => {
                scan.take(1);
                scan.skip_space()?;
            }
            Some(b'}') => {
                scan.take(1);
                more = false;
            }
            Some(_) => return broken(&scan, "expected ',' or '}' after a member"),
            None => return broken(&scan, "the file ends inside the object"),
        }
    }
    scan.skip_space()?;
    if scan.peek()?.is_some() {
        return broken(&scan, "more text after the object");
    }
    Ok(found)
}

/// The line of `"key"` inside an item that starts on `line` (or `line`
/// when the key is not there): a problem with one field of an event is
/// reported where the field is.
pub fn line_of_key(raw: &str, line: u32, key: &str) -> u32 {
    let needle = format!("\"{key}\"");
    raw.find(&needle).map_or(line, |at| {
        let before = raw.get(..at).unwrap_or("");
        let newlines = memchr::memchr_iter(b'\n', before.as_bytes()).count();
        line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX))
    })
}

struct Scanner<R> {
    input: R,
    /// Bytes read; those before `at` are taken.
    buf: Vec<u8>,
    at: usize,
    /// The line `at` is on.
    line: u32,
    ended: bool,
}

impl<R: Read> Scanner<R> {
    fn broken(&self, message: impl Into<String>) -> Broken {
        Broken {
            line: self.line,
            message: message.into(),
            in_list: false,
        }
    }

    /// Reads more, keeping the untaken bytes; `false` at the input's end.
    fn fill(&mut self) -> Result<bool, Broken> {
        if self.ended {
            return Ok(false);
        }
        self.buf.drain(..self.at);
        self.at = 0;
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        let read = loop {
            match self.input.read(self.buf.get_mut(old..).unwrap_or_default()) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(self.broken(format!("the file could not be read: {e}")));
                }
            }
        };
        self.buf.truncate(old + read);
        self.ended = read == 0;
        Ok(read > 0)
    }

    /// The byte `offset` past `at`, reading more as needed.
    fn byte(&mut self, offset: usize) -> Result<Option<u8>, Broken> {
        while self.at + offset >= self.buf.len() {
            if !self.fill()? {
                return Ok(None);
            }
        }
        Ok(self.buf.get(self.at + offset).copied())
    }

    fn peek(&mut self) -> Result<Option<u8>, Broken> {
        self.byte(0)
    }

    /// The `len` bytes at `at` (read already by [`Scanner::value_len`]).
    fn ahead(&self, len: usize) -> &[u8] {
        self.buf.get(self.at..self.at + len).unwrap_or_default()
    }

    /// Takes `len` bytes, counting their lines.
    fn take(&mut self, len: usize) {
        let taken = self.ahead(len);
        let (newlines, len) = (memchr::memchr_iter(b'\n', taken).count(), taken.len());
        self.line = self
            .line
            .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.at += len;
    }

    fn skip_space(&mut self) -> Result<(), Broken> {
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = self.peek()? {
            self.take(1);
        }
        Ok(())
    }

    /// The items of a list whose '[' was taken, through its ']'.
    fn items<E>(
        &mut self,
        mut item: impl FnMut(&[u8], u32) -> Result<(), E>,
    ) -> Result<(), Stop<E>> {
        self.skip_space()?;
        if self.peek()? == Some(b']') {
            self.take(1);
            return Ok(());
        }
        loop {
            self.skip_space()?;
            let len = self.value_len()?;
            item(self.ahead(len), self.line).map_err(Stop::Refused)?;
            self.take(len);
            self.skip_space()?;
            match self.peek()? {
                Some(b',') => self.take(1),
                Some(b']') => {
                    self.take(1);
                    return Ok(());
                }
                Some(_) => return Err(self.broken("expected ',' or ']' after an item").into()),
                None => return Err(self.broken("the file ends inside the list").into()),
            }
        }
    }

    /// How many bytes the value at `at` spans, all of them read into the
    /// buffer.
    fn value_len(&mut self) -> Result<usize, Broken> {
        let cut = |scan: &Self| scan.broken("the file ends inside a value");
        let Some(first) = self.peek()? else {
            return Err(cut(self));
        };
        let mut i = 0;
        let mut depth = 0_usize;
        loop {
            let Some(byte) = self.byte(i)? else {
                return Err(cut(self));
            };
            match byte {
                b'"' => i = self.string_end(i)?,
                b'{' | b'[' => {
                    depth += 1;
                    i += 1;
                }
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    i += 1;
                }
                b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n' if depth == 0 => {
                    return if i == 0 {
                        Err(self.broken(format!("expected a value, found '{}'", char::from(first))))
                    } else {
                        Ok(i)
                    };
                }
                _ => i += 1,
            }
            if depth == 0 && matches!(first, b'"' | b'{' | b'[') {
                return Ok(i);
            }
        }
    }

    /// The offset just past the closing quote of the string whose opening
    /// quote is at offset `open`.
    fn string_end(&mut self, open: usize) -> Result<usize, Broken> {
        let mut i = open + 1;
        loop {
            let rest = self.buf.get(self.at + i..).unwrap_or_default();
            match memchr::memchr2(b'"', b'\\', rest) {
                Some(k) if rest.get(k) == Some(&b'"') => return Ok(i + k + 1),
                // An escape: the byte after it is never the string's end.
                Some(k) => {
                    i += k + 2;
                    if self.byte(i.saturating_sub(1))?.is_none() {
                        return Err(self.broken("the file ends inside a string"));
                    }
                }
                None => {
                    i += rest.len();
                    if !self.fill()? {
                        return Err(self.broken("the file ends inside a string"));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` in tiny chunks, so every value straddles reads.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(out.len()).min(3);
            let (now, rest) = self.0.split_at(n);
            out.get_mut(..n).unwrap_or_default().copy_from_slice(now);
            self.0 = rest;
            Ok(n)
        }
    }

    /// What a read handed over: members (key, raw) and items (raw, line).
    #[derive(Default)]
    struct Seen {
        members: Vec<(String, String)>,
        items: Vec<(String, u32)>,
    }

    impl Visit for Seen {
        type Refusal = &'static str;

        fn member(&mut self, key: &str, raw: &[u8]) -> Result<(), Self::Refusal> {
            let raw = String::from_utf8_lossy(raw).into_owned();
            self.members.push((key.to_owned(), raw));
            if key == "format" && raw_is(&self.members, "\"other\"") {
                return Err("not ours");
            }
            Ok(())
        }

        fn item(&mut self, raw: &[u8], line: u32) -> Result<(), Self::Refusal> {
            self.items
                .push((String::from_utf8_lossy(raw).into_owned(), line));
            Ok(())
        }
    }

    fn raw_is(members: &[(String, String)], raw: &str) -> bool {
        members.last().is_some_and(|(_, r)| r == raw)
    }

    fn read(text: &str) -> (Result<Found, Stop<&'static str>>, Seen) {
        let mut seen = Seen::default();
        let found = read_object(Trickle(text.as_bytes()), "events", &mut seen);
        (found, seen)
    }

    #[test]
    fn members_and_items_come_with_their_lines() {
        let text = "{\"format\": \"chronomap\",\n \"title\": \"a \\\"b\\\" ]}\",\n\
                    \"events\": [\n  {\"id\": \"x\", \"t\": \"}]\\\\\"},\n  [1, 2],\n  7\n],\n\
                    \"n\": -1.5e3 }\n";
        let (found, Seen { members, items }) = read(text);
        assert_eq!(
            found,
            Ok(Found {
                list: true,
                items: 3
            })
        );
        assert_eq!(
            members,
            [
                ("format".into(), "\"chronomap\"".into()),
                ("title".into(), "\"a \\\"b\\\" ]}\"".into()),
                ("n".into(), "-1.5e3".into()),
            ]
        );
        assert_eq!(
            items,
            [
                ("{\"id\": \"x\", \"t\": \"}]\\\\\"}".into(), 4),
                ("[1, 2]".into(), 5),
                ("7".into(), 6),
            ]
        );
    }

    #[test]
    fn a_cut_off_file_keeps_the_items_before_the_cut() {
        let (found, Seen { items, .. }) = read("{\"events\": [{\"a\": 1},\n{\"a\": 2}, {\"a\": ");
        assert_eq!(items.len(), 2);
        let Err(Stop::Broken(broken)) = found else {
            panic!("cut off, not {found:?}");
        };
        assert_eq!(
            broken,
            Broken {
                line: 2,
                message: "the file ends inside a value".into(),
                in_list: true,
            }
        );
    }

    #[test]
    fn what_is_not_an_object_or_goes_on_after_it_is_broken() {
        for text in [
            "[1]",
            "{\"a\" 1}",
            "{\"a\": 1 \"b\": 2}",
            "{\"a\": 1} x",
            "{\"a\": }",
        ] {
            let (found, _) = read(text);
            assert!(matches!(found, Err(Stop::Broken(_))), "{text}: {found:?}");
        }
        let (found, Seen { members, items }) = read(" {}\n");
        assert_eq!(found, Ok(Found::default()));
        assert!(members.is_empty() && items.is_empty());
    }

    #[test]
    fn a_key_is_found_at_its_line_in_its_item() {
        let raw = "{\"id\": \"a\",\n \"date\": 5,\n\n \"x\": 1}";
        assert_eq!(line_of_key(raw, 10, "id"), 10);
        assert_eq!(line_of_key(raw, 10, "date"), 11);
        assert_eq!(line_of_key(raw, 10, "x"), 13);
        assert_eq!(line_of_key(raw, 10, "missing"), 10);
    }

    #[test]
    fn a_refused_member_ends_the_read() {
        let (found, seen) = read("{\"format\": \"other\", \"events\": [1, 2]}");
        assert_eq!(found, Err(Stop::Refused("not ours")));
        assert!(seen.items.is_empty());
    }
}
