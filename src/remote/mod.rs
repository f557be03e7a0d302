//! ClickHouse as a source: a table of any size explored without loading
//! it. Every heavy step runs on the server (counting by day, aggregating
//! by map cell, filtering, paging); what comes back is small (bins,
//! cells, a page of rows), so the client's memory does not follow the
//! table's size. Rows come back in a format chronomap's own loaders read
//! (the export's CSV for a pushed table), so an event from the server is
//! the same value as from the file it was pushed from.
//!
//! Free of egui: the window, the command line and the tests share it.

mod client;
mod push;
mod pushed;
mod schema;
mod sql;
mod table;
mod url;
mod view;

pub use client::{Conn, block_on};
pub use push::{PushOptions, PushReport, push};
pub use pushed::push_schema;
pub use schema::{Column, Schema, Shape};
pub use sql::{Ident, NotAnIdent, Sql, Value};
pub use table::{Cell, Table, TableSummary};
pub use url::{PASSWORD_VAR, TableUrl, UrlError, password_from_env};
pub use view::{ROW_LIMIT, RemoteView, Wake, Want, short_count};

/// What went wrong with a table, in words for the user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RemoteError {
    /// The address.
    #[error(transparent)]
    Url(#[from] UrlError),
    /// The server did not take the user or password.
    #[error("the server refused the login: {0}")]
    Auth(String),
    /// No such database or table.
    #[error("{0}")]
    NoTable(String),
    /// Any other error the server gave.
    #[error("the server says: {0}")]
    Server(String),
    /// The server could not be reached (or stopped answering).
    #[error("{0}")]
    Connect(String),
    /// The table's columns are not ones chronomap can read.
    #[error("{0}")]
    Schema(String),
    /// A filter the table cannot answer (a facet it has no column for).
    #[error("this table has no column for the {0} filter")]
    Unsupported(String),
    /// Rows that chronomap's loaders could not read.
    #[error("the rows could not be read: {0}")]
    Rows(String),
    /// `push` would write into a table that exists.
    #[error("{0}")]
    Exists(String),
}

impl RemoteError {
    /// The error in a server's answer: "Code: 60, e.displayText() =
    /// DB::Exception: Table default.x doesn't exist., e.what() = …" (old
    /// servers) or "Code: 60. DB::Exception: Table … (UNKNOWN_TABLE) …".
    pub fn from_server(text: &str) -> Self {
        let code = text
            .strip_prefix("Code: ")
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse::<u32>().ok());
        let message = text.split_once("DB::Exception: ").map_or(text, |(_, m)| m);
        let message = message
            .split(", e.what()")
            .next()
            .unwrap_or(message)
            .split(" (version ")
            .next()
            .unwrap_or(message)
            .trim()
            .to_owned();
        match code {
            Some(192..=194 | 516) => Self::Auth(message),
            Some(60 | 81) => Self::NoTable(message),
            _ => Self::Server(message),
        }
    }

    /// Whether a password (another one) might help.
    pub fn is_auth(&self) -> bool {
        matches!(self, Self::Auth(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_read_in_words_of_both_generations() {
        let old = "Code: 60, e.displayText() = DB::Exception: Table default.nope doesn't exist., e.what() = DB::Exception";
        assert_eq!(
            RemoteError::from_server(old),
            RemoteError::NoTable("Table default.nope doesn't exist.".to_owned())
        );
        let new = "Code: 516. DB::Exception: default: Authentication failed: password is incorrect. (AUTHENTICATION_FAILED) (version 24.8.1.1)";
        let err = RemoteError::from_server(new);
        assert!(err.is_auth(), "{err:?}");
        assert!(err.to_string().contains("password is incorrect"));
        let other =
            RemoteError::from_server("Code: 62, e.displayText() = DB::Exception: Syntax error");
        assert_eq!(other, RemoteError::Server("Syntax error".to_owned()));
    }
}
