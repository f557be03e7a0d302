//! Values read the same way from any format's cells: counts of people,
//! a date's precision, a source given as a name or a link.

use crate::model::{DateSpan, Name, Precision, Source};

/// A count of people that is not one: `'lots' is not a whole number of
/// people`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a whole number of people")]
pub(super) struct NotACount(String);

/// A count of people from a cell.
///
/// # Errors
/// [`NotACount`] for anything but a whole number.
pub(super) fn people(text: &str) -> Result<u32, NotACount> {
    text.parse().map_err(|_| NotACount(text.to_owned()))
}

/// A span read from a file's start and end, with the file's `precision`
/// and `wording` put on it. The precision is taken as written: it is what
/// tells a week (ACLED's) from any other range.
///
/// Returns the span and, for a precision chronomap does not know, the
/// problem to report (the span is then kept as read).
pub(super) fn with_precision(
    mut span: DateSpan,
    precision: Option<&str>,
    wording: Option<&str>,
) -> (DateSpan, Option<String>) {
    if let Some(wording) = wording {
        span.wording = Some(wording.into());
    }
    let Some(text) = precision else {
        return (span, None);
    };
    match Precision::from_name(&text.to_ascii_lowercase()) {
        Some(precision) => {
            span.precision = precision;
            (span, None)
        }
        None => (
            span,
            Some(format!(
                "unknown precision '{text}' (day, range, week, month or year); ignored"
            )),
        ),
    }
}

/// A source cell: a link (named by its host) or a name.
pub fn source(text: &str) -> Source {
    let (name, url) = source_parts(text);
    Source {
        name: name.into(),
        kind: None,
        url: url.map(Name::from),
    }
}

/// A source cell's outlet and link: a link is named by its host (without
/// `www.`), other text is the outlet's name and has no link.
pub fn source_parts(text: &str) -> (&str, Option<&str>) {
    let text = text.trim();
    let after_scheme = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    if let Some(rest) = after_scheme {
        let host = rest.split('/').next().unwrap_or(rest);
        return (host.trim_start_matches("www."), Some(text));
    }
    (text, None)
}

/// Whether a date cell says more than its day: a time of day other than
/// midnight ("2023-04-13T11:07:45Z", "27/11/2025 14:03"), or epoch seconds
/// that do not fall on one.
pub(super) fn carries_time(cell: &str) -> bool {
    if !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit()) {
        return super::dates::digits_carry_time(cell);
    }
    let Some(colon) = cell.find(':') else {
        return false;
    };
    let start = cell
        .get(..colon)
        .and_then(|head| head.rfind([' ', 'T']))
        .map_or(0, |at| at + 1);
    let clock = cell.get(start..).unwrap_or_default();
    let end = clock
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(clock.len());
    clock
        .get(..end)
        .is_some_and(|time| time.bytes().any(|b| (b'1'..=b'9').contains(&b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_name_their_host() {
        let s = source("https://www.cidrap.umn.edu/news/1");
        assert_eq!(s.name, "cidrap.umn.edu");
        assert_eq!(s.url.as_deref(), Some("https://www.cidrap.umn.edu/news/1"));
        assert_eq!(source("Reuters").name, "Reuters");
        assert_eq!(
            source_parts(" http://example.org "),
            ("example.org", Some("http://example.org"))
        );
        assert_eq!(source_parts("ftp://x.org/a"), ("ftp://x.org/a", None));
    }

    #[test]
    fn a_time_of_day_is_told_from_a_day() {
        for timed in [
            "2023-04-13T11:07:45Z",
            "27/11/2025 14:03",
            "2024-05-01 00:00:01",
            "2024-05-01T00:30:00+02:00",
            "1700000123",
            "20251127140300",
            "1700000123000",
        ] {
            assert!(carries_time(timed), "{timed}");
        }
        for day in [
            "2024-05-01",
            "2024-05-01T00:00:00Z",
            "2024-05-01 00:00:00.000",
            "2024-05-03T00:00:00+05:30",
            "27 Nov 2025",
            "1699920000",
            "2024",
            "20251127000000",
            "1699920000000",
            "20240501",
        ] {
            assert!(!carries_time(day), "{day}");
        }
    }
}
