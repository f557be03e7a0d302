//! Delimited text (CSV, TSV) read into rows that remember their line, shared
//! by the ACLED, GDELT, TimelineJS-sheet and plain-table loaders.
//!
//! [`Records`] undoes the quoting (commas, doubled quotes and newlines
//! inside quoted cells); each record keeps the line where it starts, which is
//! the line a text editor shows and the one the report gives.

use super::{Problem, ProblemKind};

mod records;
mod stops;
pub use records::{Cells, Records, Row, encoding_note};

impl Row {
    /// The cell at `index`, trimmed, or `None` when it is absent, empty or a
    /// null marker (`NA`, `N/A`, `NULL`, `\N`).
    pub fn get(&self, index: usize) -> Option<&str> {
        self.cells
            .get(index)
            .map(trim)
            .filter(|c| !is_null_trimmed(c))
    }

    /// Like [`Row::get`] for an optional column.
    pub fn at(&self, index: Option<usize>) -> Option<&str> {
        self.get(index?)
    }

    /// A coordinate cell: like [`Row::get`], but `NaN` is kept rather than
    /// taken for a null marker, so that [`lon_lat`] reports it like `inf`
    /// (a program that lost a coordinate writes it; the place is then not
    /// where the file says).
    pub fn coordinate(&self, index: usize) -> Option<&str> {
        let cell = self.cells.get(index).map(trim)?;
        (cell.eq_ignore_ascii_case("nan") || !is_null_trimmed(cell)).then_some(cell)
    }

    /// Like [`Row::coordinate`] for an optional column.
    pub fn coordinate_at(&self, index: Option<usize>) -> Option<&str> {
        self.coordinate(index?)
    }
}

/// Whether a cell means "no value". R writes `NA`, databases `NULL` or `\N`.
pub fn is_null(cell: &str) -> bool {
    is_null_trimmed(cell.trim())
}

/// [`is_null`] for a cell already trimmed.
fn is_null_trimmed(cell: &str) -> bool {
    cell.is_empty()
        || (cell.len() <= 4
            && matches!(cell.as_bytes().first(), Some(b'n' | b'N' | b'\\'))
            && ["na", "n/a", "null", "\\n", "nan", "none"]
                .iter()
                .any(|n| cell.eq_ignore_ascii_case(n)))
}

/// A cell without surrounding whitespace. Most cells have none, and are
/// let through after a look at their two ends (every cell of every row
/// passes here, and `str::trim` decodes characters from both ends).
fn trim(cell: &str) -> &str {
    match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

/// A delimited file: an optional header and its rows.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// Header cells as written (trimmed, BOM removed); empty without a header.
    pub header: Vec<String>,
    /// The records after the header.
    pub rows: Vec<Row>,
}

impl Table {
    /// Reads delimited text. With `has_header`, the first record is the header;
    /// without `quoting`, `"` is an ordinary character (GDELT never quotes, and
    /// its titles may hold a stray quote).
    pub fn read(text: &str, delimiter: u8, has_header: bool, quoting: bool) -> Self {
        let mut records = Records::new(text.as_bytes(), delimiter, quoting, None);
        let mut rows = Vec::new();
        let mut row = Row::default();
        // Text input cannot fail, so an error here can only be the end of
        // readable input.
        while let Ok(true) = records.next_into(&mut row) {
            rows.push(std::mem::take(&mut row));
        }
        let mut table = Self {
            header: Vec::new(),
            rows,
        };
        if has_header && !table.rows.is_empty() {
            let first = table.rows.remove(0);
            table.header = header_names(&first);
        }
        table
    }

    /// The index of the first header cell whose [`normalise`]d name is in `names`
    /// (tried in order of `names`).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        find_column(&self.header, names)
    }

    /// The header name of a column ("" when absent).
    pub fn name(&self, index: Option<usize>) -> &str {
        column_name(&self.header, index)
    }

    /// A problem for a row whose width differs from the header's, or `None`.
    pub fn width_problem(&self, row: &Row) -> Option<Problem> {
        width_problem(&self.header, row)
    }
}

/// A header record's cells as column names (trimmed, BOM removed).
pub fn header_names(row: &Row) -> Vec<String> {
    row.cells
        .iter()
        .map(|c| c.trim_start_matches('\u{feff}').trim().to_owned())
        .collect()
}

/// The index of the first header cell whose [`normalise`]d name is in `names`
/// (tried in order of `names`).
pub fn find_column(header: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|name| {
        let wanted = normalise(name);
        header.iter().position(|h| normalise(h) == wanted)
    })
}

/// The header name of a column ("" when absent).
pub fn column_name(header: &[String], index: Option<usize>) -> &str {
    index.and_then(|i| header.get(i)).map_or("", String::as_str)
}

/// The columns of `header` that are not in `used` and whose name `keep`
/// accepts: those a loader keeps as extra fields because nothing reads
/// them.
pub fn unread_columns(
    header: &[String],
    used: &[usize],
    keep: impl Fn(&str) -> bool,
) -> Vec<usize> {
    (0..header.len())
        .filter(|i| !used.contains(i))
        .filter(|&i| header.get(i).is_some_and(|name| keep(name.trim())))
        .collect()
}

/// A problem for a row whose width differs from the header's, or `None`.
pub fn width_problem(header: &[String], row: &Row) -> Option<Problem> {
    let (got, want) = (row.cells.len(), header.len());
    (got != want).then(|| {
        Problem::new(
            ProblemKind::WrongFieldCount,
            row.line,
            "row",
            format!(
                "row has {got} fields but the header has {want} \
                 (an unquoted delimiter or a cut-off line?); the row is skipped"
            ),
        )
    })
}

/// A column name reduced for matching: lower case, without `_ . -` and spaces
/// (`Event Date`, `event_date` and `EVENT_DATE` all become `eventdate`).
pub fn normalise(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, '_' | '.' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// How many names [`name_list`] shows before it counts the rest.
const NAMES_SHOWN: usize = 10;

/// `its 3 columns are: a, b, c` for a message, `what` being the kind of
/// name (`column`, plural with an `s`): a long list names the first few and counts the rest, so that a
/// header of a million columns makes a message of a line, not megabytes.
pub fn name_list(what: &str, names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(NAMES_SHOWN).map(String::as_str).collect();
    let list = shown.join(", ");
    let count = names.len();
    match count.saturating_sub(shown.len()) {
        0 if count == 1 => format!("its one {what} is: {list}"),
        0 => format!("its {count} {what}s are: {list}"),
        more => format!(
            "its {} {what}s are: {list}, … and {} more",
            thousands(count),
            thousands(more)
        ),
    }
}

/// A count with thousands separated: `99,990`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The delimiter of a header line: the most frequent of tab, comma, semicolon
/// and pipe outside quotes (comma when none occurs).
pub fn sniff_delimiter(first_line: &str) -> u8 {
    let mut counts = [(b'\t', 0usize), (b',', 0), (b';', 0), (b'|', 0)];
    let mut quoted = false;
    for b in first_line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in &mut counts {
                if *d == b {
                    *n += 1;
                }
            }
        }
    }
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(_, n)| *n)
        .map_or(b',', |(d, _)| *d)
}

/// The first line of `text` (without BOM and line ending).
pub fn first_line(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines().next().unwrap_or("").trim_end_matches('\r')
}

/// Splits a `; `-separated list (ACLED actors, sources, tags).
pub fn split_list(cell: Option<&str>) -> impl Iterator<Item = &str> {
    cell.into_iter()
        .flat_map(|c| c.split(';'))
        .map(str::trim)
        .filter(|s| !is_null(s))
}

/// Reads a coordinate pair, checking ranges; the message names the field.
///
/// # Errors
/// `latitude 200.1 out of range`, `longitude 'abc' is not a number`.
pub fn lon_lat(lon: &str, lat: &str) -> Result<[f64; 2], (&'static str, String)> {
    let lat = number("latitude", lat, 90.0)?;
    let lon = number("longitude", lon, 180.0)?;
    Ok([lon, lat])
}

fn number(what: &'static str, text: &str, limit: f64) -> Result<f64, (&'static str, String)> {
    let text = text.trim();
    let value: f64 = text
        .parse()
        .map_err(|_| (what, format!("{what} '{text}' is not a number")))?;
    if !value.is_finite() {
        return Err((what, format!("{what} '{text}' is not a finite number")));
    }
    if value.abs() > limit {
        return Err((what, format!("{what} {text} out of range")));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_the_line_they_start_on() {
        let text = "a,b\n1,\"two\nlines\"\n\n3,4\r\n5,\"x\"\"y\"\n";
        let table = Table::read(text, b',', true, true);
        assert_eq!(table.header, ["a", "b"]);
        let lines: Vec<u32> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 5, 6]);
        assert_eq!(
            table.rows.first().and_then(|r| r.get(1)),
            Some("two\nlines")
        );
        assert_eq!(table.rows.get(2).and_then(|r| r.get(1)), Some("x\"y"));
    }

    #[test]
    fn bom_and_names_are_normalised() {
        let table = Table::read("\u{feff}EVENT_ID_CNTY,Event Date\nX,NA\n", b',', true, true);
        assert_eq!(table.column(&["event_date"]), Some(1));
        assert_eq!(table.column(&["event_id_cnty"]), Some(0));
        assert_eq!(table.rows.first().and_then(|r| r.get(1)), None);
    }

    #[test]
    fn long_name_lists_are_cut_and_counted() {
        let names: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
        assert_eq!(
            name_list("column", &names),
            "its 100,000 columns are: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, … and 99,990 more"
        );
        let few: Vec<String> = ["when", "x"].map(String::from).to_vec();
        assert_eq!(name_list("column", &few), "its 2 columns are: when, x");
        assert_eq!(
            name_list("property", &few[..1]),
            "its one property is: when"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("\"a;b;c\",d,e"), b',');
        assert_eq!(sniff_delimiter("a;b;c"), b';');
        assert_eq!(sniff_delimiter("abc"), b',');
    }

    #[test]
    fn coordinates_are_checked() {
        assert_eq!(lon_lat("49.7434", "10.8548"), Ok([49.7434, 10.8548]));
        assert_eq!(
            lon_lat("1", "200.1"),
            Err(("latitude", "latitude 200.1 out of range".into()))
        );
        assert_eq!(
            lon_lat("abc", "1"),
            Err(("longitude", "longitude 'abc' is not a number".into()))
        );
        for text in ["NaN", "nan", "inf", "-Infinity"] {
            assert_eq!(
                lon_lat(text, "1"),
                Err((
                    "longitude",
                    format!("longitude '{text}' is not a finite number")
                ))
            );
        }
    }
}
