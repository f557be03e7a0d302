//! Which format a file is, from its content alone (file names lie: GDELT's
//! `.CSV` files are tab-separated, and users rename things).
//!
//! Bytes are first checked for being text at all ([`decode`](super::text::decode)), then the text
//! is classified ([`detect`]) by its first characters and first line,
//! following `formats.md` §0.

use super::native::looks_native;
use super::tabular::{Table, first_line, normalise, sniff_delimiter, thousands};

/// A format chronomap reads.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// chronomap's own JSON.
    Native,
    /// A GeoJSON Feature or FeatureCollection.
    GeoJson,
    /// TimelineJS3 JSON (`{"events": [...]}`).
    TimelineJson,
    /// An ACLED event export.
    Acled {
        /// `,` or tab.
        delimiter: u8,
    },
    /// A GDELT 1.0 or 2.0 events file (tab-separated, no header).
    Gdelt,
    /// The TimelineJS spreadsheet template as CSV.
    TimelineSheet {
        /// `,` or tab.
        delimiter: u8,
    },
    /// Any other delimited table with a header.
    Table {
        /// The sniffed delimiter.
        delimiter: u8,
    },
}

/// Why text is none of the formats chronomap reads; JSON that users may
/// expect to work is named, with what to do instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DetectError {
    /// Nothing but white space.
    #[error("the file is empty")]
    Empty,
    /// A first line with more fields than any table has.
    #[error(
        "its first line has {} fields; no event table is that wide (a spreadsheet \
         holds at most 16,384 columns), so this is not a table chronomap reads",
        thousands(*columns)
    )]
    TooWide {
        /// The fields on the first line.
        columns: usize,
    },
    /// Text that is no format at all.
    #[error(
        "not a format chronomap reads (chronomap JSON, GeoJSON, TimelineJS, ACLED, GDELT, \
         or a CSV/TSV table with a header); it starts '{start}'"
    )]
    Unknown {
        /// The first characters of the first line.
        start: String,
    },
    /// StoryMapJS JSON.
    #[error(
        "StoryMapJS JSON is not supported yet; chronomap reads TimelineJS, GeoJSON \
                    and chronomap JSON"
    )]
    StoryMap,
    /// JSON from ACLED's API rather than its CSV export.
    #[error("ACLED API JSON is not supported; download the export as CSV (_format=csv)")]
    AcledApi,
    /// Any other JSON.
    #[error(
        "JSON, but not chronomap JSON, GeoJSON (a FeatureCollection) or TimelineJS JSON \
         (an object with \"events\")"
    )]
    OtherJson,
}

/// How much of the first line [`DetectError::Unknown`] quotes, in characters.
const START_SHOWN: usize = 60;

/// Classifies text.
///
/// # Errors
/// [`DetectError`] for empty text and for text that is none of the formats.
pub fn detect(text: &str) -> Result<Format, DetectError> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.is_empty() {
        return Err(DetectError::Empty);
    }
    if body.starts_with('{') || body.starts_with('[') {
        return detect_json(text);
    }
    let line = first_line(body);
    let delimiter = sniff_delimiter(line);
    let columns = memchr::memchr_iter(delimiter, line.as_bytes()).count() + 1;
    if columns > MAX_COLUMNS {
        return Err(DetectError::TooWide { columns });
    }
    if looks_gdelt(line) {
        return Ok(Format::Gdelt);
    }
    let header = Table::read(line, delimiter, true, true);
    if super::acled::is_acled_header(&header) {
        return Ok(Format::Acled { delimiter });
    }
    let has = |name: &str| header.header.iter().any(|h| normalise(h) == name);
    if has("headline") && (has("year") || has("startdate")) {
        return Ok(Format::TimelineSheet { delimiter });
    }
    if header.header.len() >= 2 {
        return Ok(Format::Table { delimiter });
    }
    Err(DetectError::Unknown {
        start: line.chars().take(START_SHOWN).collect(),
    })
}

/// JSON formats, told apart by their keys.
fn detect_json(text: &str) -> Result<Format, DetectError> {
    if looks_native(text) {
        return Ok(Format::Native);
    }
    let has = |needle: &str| text.contains(needle);
    if has("\"FeatureCollection\"") || (has("\"Feature\"") && has("\"geometry\"")) {
        return Ok(Format::GeoJson);
    }
    if has("\"events\"") && (has("\"start_date\"") || has("\"headline\"")) {
        return Ok(Format::TimelineJson);
    }
    if has("\"storymap\"") {
        return Err(DetectError::StoryMap);
    }
    if has("\"event_id_cnty\"") {
        return Err(DetectError::AcledApi);
    }
    Err(DetectError::OtherJson)
}

/// GDELT events: tab-separated, no header, 57/58/61 fields, GLOBALEVENTID
/// then SQLDATE (`YYYYMMDD`).
pub fn looks_gdelt(line: &str) -> bool {
    let count = memchr::memchr_iter(b'\t', line.as_bytes()).count() + 1;
    let mut fields = line.split('\t');
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    matches!(count, 57 | 58 | 61)
        && fields.next().is_some_and(digits)
        && fields.next().is_some_and(|f| f.len() == 8 && digits(f))
}

/// More fields than this on the first line is no table: a spreadsheet
/// holds 16,384 columns, and a line of a million commas is a mistake or an
/// attack, whose million column names would cost far more than its bytes.
const MAX_COLUMNS: usize = 1_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_content() {
        assert_eq!(detect("  \n"), Err(DetectError::Empty));
        assert_eq!(
            detect("{\"type\":\"FeatureCollection\",\"features\":[]}"),
            Ok(Format::GeoJson)
        );
        assert_eq!(
            detect("{\"events\":[{\"start_date\":{\"year\":1963}}]}"),
            Ok(Format::TimelineJson)
        );
        assert_eq!(
            detect("\u{feff}event_id_cnty,event_date,latitude\n"),
            Ok(Format::Acled { delimiter: b',' })
        );
        assert_eq!(
            detect("Year,Month,Day,Time,Headline,Text\n"),
            Ok(Format::TimelineSheet { delimiter: b',' })
        );
        assert_eq!(
            detect("date\tlat\tlon\n"),
            Ok(Format::Table { delimiter: b'\t' })
        );
        let gdelt = format!("1256322780\t20250731{}", "\t".repeat(59));
        assert_eq!(detect(&gdelt), Ok(Format::Gdelt));
        assert_eq!(
            detect("just some prose"),
            Err(DetectError::Unknown {
                start: "just some prose".into()
            })
        );
        let wide = "x,".repeat(MAX_COLUMNS);
        assert_eq!(
            detect(&wide),
            Err(DetectError::TooWide {
                columns: MAX_COLUMNS + 1
            })
        );
        assert!(detect(&wide).is_err_and(|e| e.to_string().contains("1,000,001 fields")));
        assert_eq!(detect("{\"a\": 1}"), Err(DetectError::OtherJson));
        assert_eq!(
            detect("{\"storymap\": {}}").map_err(|e| e.to_string()),
            Err(
                "StoryMapJS JSON is not supported yet; chronomap reads TimelineJS, GeoJSON \
                 and chronomap JSON"
                    .into()
            )
        );
    }
}
