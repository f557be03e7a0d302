//! Bytes as text, the bottom of the loaders: which encoding a file is in,
//! and whether it is text at all. Everything above reads `str`.

use std::borrow::Cow;

/// Why a file's bytes are not text chronomap reads; the common mistakes
/// are named, so that users know what to do instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotText {
    /// No bytes at all.
    #[error("the file is empty")]
    Empty,
    /// A zip archive, which an `.xlsx` workbook also is.
    #[error(
        "a zip archive (an Excel .xlsx workbook is one too); unzip it, or export the sheet as CSV"
    )]
    Zip,
    /// A gzip stream.
    #[error("a gzip-compressed file; decompress it first (gunzip)")]
    Gzip,
    /// A PDF document.
    #[error("a PDF document, not an event file")]
    Pdf,
    /// A PNG or JPEG image.
    #[error("an image, not an event file")]
    Image,
    /// An old binary Office document (`.xls`).
    #[error("an old Excel/Office document (.xls); export the sheet as CSV")]
    OldOffice,
    /// NUL bytes or many control characters.
    #[error("a binary file, not text; chronomap reads CSV, TSV and JSON event files")]
    Binary,
    /// Text with a UTF-16 byte-order mark that holds NUL characters.
    #[error("a binary file, not text")]
    BinaryUtf16,
}

/// Bytes as text: UTF-8 (BOM dropped), UTF-16 with a BOM, or else
/// Windows-1252, which is what spreadsheet programs write when they do not
/// write UTF-8. The second value is a note for the report when the text was
/// not UTF-8.
///
/// # Errors
/// [`NotText`], saying what the file is instead, for binary files,
/// archives and the like.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Option<String>), NotText> {
    if bytes.is_empty() {
        return Err(NotText::Empty);
    }
    if let Some(utf16) = decode_utf16(bytes) {
        return utf16.map(|text| (Cow::Owned(text), None));
    }
    if let Some(what) = known_binary(bytes) {
        return Err(what);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if looks_binary(bytes) {
        return Err(NotText::Binary);
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
/// The [`NotText`] that [`decode`] would give for the whole file.
pub fn check_head(head: &[u8]) -> Result<(), NotText> {
    if head.is_empty() {
        return Err(NotText::Empty);
    }
    if is_utf16(head) {
        return Ok(());
    }
    if let Some(what) = known_binary(head) {
        return Err(what);
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if looks_binary(head) {
        return Err(NotText::Binary);
    }
    Ok(())
}

/// Whether text starts with a UTF-16 byte-order mark (then NUL bytes are
/// part of the text).
pub fn is_utf16(head: &[u8]) -> bool {
    head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF")
}

/// Files users drop by mistake, told by their magic bytes.
fn known_binary(bytes: &[u8]) -> Option<NotText> {
    let what = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        NotText::Zip
    } else if bytes.starts_with(b"\x1f\x8b") {
        NotText::Gzip
    } else if bytes.starts_with(b"%PDF") {
        NotText::Pdf
    } else if bytes.starts_with(b"\x89PNG") || bytes.starts_with(b"\xFF\xD8\xFF") {
        NotText::Image
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        NotText::OldOffice
    } else {
        return None;
    };
    Some(what)
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
fn decode_utf16(bytes: &[u8]) -> Option<Result<String, NotText>> {
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
        return Some(Err(NotText::BinaryUtf16));
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
        let said = |bytes: &[u8]| decode(bytes).err().map(|e| e.to_string());
        assert_eq!(said(b"").as_deref(), Some("the file is empty"));
        assert!(said(b"\x89PNG\r\n\x1a\n\0\0").is_some_and(|e| e.contains("image")));
        assert!(said(b"PK\x03\x04rest").is_some_and(|e| e.contains("zip")));
        assert!(said(b"abc\0def").is_some_and(|e| e.contains("binary")));
        assert_eq!(decode(b"\xFE\xFF\0a\0\0").err(), Some(NotText::BinaryUtf16));
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
        assert_eq!(check_head(b""), Err(NotText::Empty));
        assert_eq!(check_head(&[0; 4096]), Err(NotText::Binary));
        assert_eq!(check_head(b"%PDF-1.7"), Err(NotText::Pdf));
        assert!(
            NotText::Binary
                .to_string()
                .ends_with("chronomap reads CSV, TSV and JSON event files")
        );
        assert_eq!(check_head(b"\xFF\xFEa\0,\0"), Ok(()));
        assert_eq!(check_head(b"\xEF\xBB\xBFdate,lat\n"), Ok(()));
    }
}
