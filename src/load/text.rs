//! Bytes as text, the bottom of the loaders: which encoding a file is in,
//! and whether it is text at all. Everything above reads `str`.

use std::borrow::Cow;

/// Bytes as text: UTF-8 (BOM dropped), UTF-16 with a BOM, or else
/// Windows-1252, which is what spreadsheet programs write when they do not
/// write UTF-8. The second value is a note for the report when the text was
/// not UTF-8.
///
/// # Errors
/// A message saying what the file is instead, for binary files, archives
/// and the like.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Option<String>), String> {
    if bytes.is_empty() {
        return Err("the file is empty".into());
    }
    if let Some(utf16) = decode_utf16(bytes) {
        return utf16.map(|text| (Cow::Owned(text), None));
    }
    if let Some(what) = known_binary(bytes) {
        return Err(what);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if looks_binary(bytes) {
        return Err(BINARY.into());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((Cow::Borrowed(text), None)),
        Err(e) => Ok((
            Cow::Owned(windows_1252(bytes)),
            Some(format!(
                "the file is not UTF-8 (first bad byte at offset {}); it was read as \
                 Windows-1252, so check accented names",
                e.valid_up_to()
            )),
        )),
    }
}

/// Whether the first bytes of a file are text at all, before the rest is
/// read: an endless device or a disk image is told apart by its head.
///
/// # Errors
/// The message [`decode`] would give for the whole file.
pub fn check_head(head: &[u8]) -> Result<(), String> {
    if head.is_empty() {
        return Err("the file is empty".into());
    }
    if is_utf16(head) {
        return Ok(());
    }
    if let Some(what) = known_binary(head) {
        return Err(what);
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if looks_binary(head) {
        return Err(BINARY.into());
    }
    Ok(())
}

/// Whether text starts with a UTF-16 byte-order mark (then NUL bytes are
/// part of the text).
pub fn is_utf16(head: &[u8]) -> bool {
    head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF")
}

const BINARY: &str = "a binary file, not text; chronomap reads CSV, TSV and JSON event files";

/// Files users drop by mistake, named so they know what to do.
fn known_binary(bytes: &[u8]) -> Option<String> {
    let what = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        "a zip archive (an Excel .xlsx workbook is one too); unzip it, or export the sheet as CSV"
    } else if bytes.starts_with(b"\x1f\x8b") {
        "a gzip-compressed file; decompress it first (gunzip)"
    } else if bytes.starts_with(b"%PDF") {
        "a PDF document, not an event file"
    } else if bytes.starts_with(b"\x89PNG") || bytes.starts_with(b"\xFF\xD8\xFF") {
        "an image, not an event file"
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        "an old Excel/Office document (.xls); export the sheet as CSV"
    } else {
        return None;
    };
    Some(what.to_owned())
}

/// NUL bytes, or more than 1 in 100 control characters, in the first 8 KiB.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = bytes.get(..8192).unwrap_or(bytes);
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    head.contains(&0) || controls * 100 > head.len()
}

/// UTF-16 text with a byte-order mark (Excel's "Unicode text").
fn decode_utf16(bytes: &[u8]) -> Option<Result<String, String>> {
    let (little, body) = if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        (true, body)
    } else {
        (false, bytes.strip_prefix(b"\xFE\xFF")?)
    };
    let units = body.chunks(2).map(|pair| match pair {
        [a, b] if little => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if text.contains('\0') {
        return Some(Err("a binary file, not text".into()));
    }
    Some(Ok(text))
}

/// Windows-1252: Latin-1 with printable characters in 0x80–0x9F.
pub fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH
                .get(usize::from(b - 0x80))
                .copied()
                .unwrap_or('\u{fffd}'),
            _ => char::from(b),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_encodings() {
        assert_eq!(decode(b"").err().as_deref(), Some("the file is empty"));
        assert!(
            decode(b"\x89PNG\r\n\x1a\n\0\0")
                .err()
                .is_some_and(|e| e.contains("image"))
        );
        assert!(
            decode(b"PK\x03\x04rest")
                .err()
                .is_some_and(|e| e.contains("zip"))
        );
        assert!(
            decode(b"abc\0def")
                .err()
                .is_some_and(|e| e.contains("binary"))
        );
        let (text, note) = decode(b"\xEF\xBB\xBFa,b").expect("utf-8");
        assert_eq!((text.as_ref(), note), ("a,b", None));
        let (text, note) = decode(b"place\nS\xE3o Paulo \x96 centro").expect("1252");
        assert_eq!(text, "place\nSão Paulo – centro");
        assert!(note.is_some_and(|n| n.contains("Windows-1252")));
        let (text, _) = decode(b"\xFF\xFEa\0,\0b\0").expect("utf-16");
        assert_eq!(text, "a,b");
    }

    #[test]
    fn heads_that_are_not_text() {
        assert_eq!(check_head(b""), Err("the file is empty".into()));
        assert_eq!(check_head(&[0; 4096]), Err(BINARY.into()));
        assert!(check_head(b"%PDF-1.7").is_err_and(|e| e.contains("PDF")));
        assert_eq!(check_head(b"\xFF\xFEa\0,\0"), Ok(()));
        assert_eq!(check_head(b"\xEF\xBB\xBFdate,lat\n"), Ok(()));
    }
}
