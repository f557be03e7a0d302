//! What a load found wrong, row by row, so the user can fix their file.

use std::fmt;

use serde::Serialize;

/// One thing a loader could not read, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line as a text editor shows it (the header is line 1); 0 when
    /// the problem concerns the whole file.
    pub line: u32,
    /// 1-based column where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// The field (column name or JSON key) the problem is in.
    pub field: String,
    /// What is wrong, in words.
    pub message: String,
    /// The id of the event this row became, when it still loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
}

impl Problem {
    /// A problem at a line and field.
    pub fn new(line: u32, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            line,
            column: None,
            field: field.into(),
            message: message.into(),
            event_id: None,
        }
    }

    /// The same problem, attached to the event it concerns.
    #[must_use]
    pub fn for_event(mut self, id: &str) -> Self {
        self.event_id = Some(id.to_owned());
        self
    }
}

/// The outcome of loading one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The file as the user named it.
    pub file: String,
    /// The format detected from the content.
    pub format: String,
    /// Records read (rows, features, events), good or bad.
    pub rows: usize,
    /// Events loaded.
    pub events: usize,
    /// Everything that could not be read, in file order.
    pub problems: Vec<Problem>,
    /// Place names that did not resolve, sorted and unique.
    pub unresolved_places: Vec<String>,
}

impl Report {
    /// Records a problem.
    pub fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// Records a place name that nothing resolved.
    pub fn unresolved(&mut self, name: &str) {
        if let Err(at) = self
            .unresolved_places
            .binary_search_by(|p| p.as_str().cmp(name))
        {
            self.unresolved_places.insert(at, name.to_owned());
        }
    }
}

impl fmt::Display for Problem {
    /// `line 12, field 'date': 'date '31/02/2025' is not a date`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}", self.line)?;
            if let Some(c) = self.column {
                write!(f, ", column {c}")?;
            }
            write!(f, ", ")?;
        }
        write!(f, "field '{}': {}", self.field, self.message)
    }
}
