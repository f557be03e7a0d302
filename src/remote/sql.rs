//! Queries as text with their values apart: names are checked to be plain
//! identifiers and quoted; every value (a search word, a category, a date)
//! is a `?` bound by the `clickhouse` crate, which escapes strings for
//! ClickHouse's literals and writes numbers as numbers. No value is ever
//! pasted into the text by hand.

use std::fmt::{self, Write as _};

use clickhouse::Client;
use clickhouse::query::Query;

/// A table or column name that is a plain identifier: ASCII letters,
/// digits and `_`, not starting with a digit; quoted with backticks
/// wherever it is written.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ident(String);

/// A name that is not a plain identifier.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a name chronomap can query (letters, digits and _ only)")]
pub struct NotAnIdent(pub String);

impl Ident {
    /// Checks `name`.
    ///
    /// # Errors
    /// [`NotAnIdent`] for anything but `[A-Za-z_][A-Za-z0-9_]*` (at most
    /// 200 characters).
    pub fn new(name: &str) -> Result<Self, NotAnIdent> {
        let mut chars = name.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if first_ok && name.len() <= 200 && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
            Ok(Self(name.to_owned()))
        } else {
            Err(NotAnIdent(name.to_owned()))
        }
    }

    /// The name as it is.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Ident {
    /// Quoted: `` `name` ``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`", self.0)
    }
}

/// A value bound to a `?`.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A string literal.
    Text(String),
    /// An integer.
    Int(i64),
    /// A finite float.
    Float(f64),
}

/// A query's text, with `?` where each of its values goes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    /// A query starting with `text` (which must hold no `?` of its own).
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            values: Vec::new(),
        }
    }

    /// Appends text (names already checked; no values).
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a `?` for a string value.
    pub fn text(&mut self, value: &str) -> &mut Self {
        self.text.push('?');
        self.values.push(Value::Text(value.to_owned()));
        self
    }

    /// Appends a `?` for an integer.
    pub fn int(&mut self, value: i64) -> &mut Self {
        self.text.push('?');
        self.values.push(Value::Int(value));
        self
    }

    /// Appends a `?` for a float (a non-finite one is written as 0).
    pub fn float(&mut self, value: f64) -> &mut Self {
        self.text.push('?');
        self.values
            .push(Value::Float(if value.is_finite() { value } else { 0.0 }));
        self
    }

    /// Appends another query's text and values.
    pub fn append(&mut self, other: &Sql) -> &mut Self {
        self.text.push_str(&other.text);
        self.values.extend(other.values.iter().cloned());
        self
    }

    /// Appends `(a, b, …)` of string values.
    pub fn text_list<'a>(&mut self, values: impl IntoIterator<Item = &'a str>) -> &mut Self {
        self.text.push('(');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.text(v);
        }
        self.text.push(')');
        self
    }

    /// Appends `[a, b, …]`, an array of string values.
    pub fn text_list_array(&mut self, values: impl IntoIterator<Item = String>) -> &mut Self {
        self.text.push('[');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.text(&v);
        }
        self.text.push(']');
        self
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The text with `?` in place of values.
    pub fn template(&self) -> &str {
        &self.text
    }

    /// The query for `client`, each value bound in order.
    pub fn query(&self, client: &Client) -> Query {
        let mut query = client.query(&self.text);
        for value in &self.values {
            query = match value {
                Value::Text(s) => query.bind(s.as_str()),
                Value::Int(n) => query.bind(*n),
                Value::Float(x) => query.bind(*x),
            };
        }
        query
    }

    /// The text as the server receives it, values escaped in place.
    pub fn rendered(&self) -> String {
        let client = Client::default();
        let mut out = String::new();
        let _ = write!(out, "{}", self.query(&client).sql_display());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_plain_identifiers() {
        for good in ["events", "_t1", "GLOBALEVENTID"] {
            assert_eq!(
                Ident::new(good).map(|i| i.to_string()),
                Ok(format!("`{good}`"))
            );
        }
        for bad in ["", "1st", "a b", "t`; DROP TABLE x", "a.b", "é", "x'"] {
            assert!(Ident::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn values_are_escaped_never_pasted() {
        let mut sql = Sql::new("SELECT count() FROM `t` WHERE `c` = ");
        sql.text("x'; DROP TABLE t; --")
            .push(" AND `d` IN ")
            .text_list(["a\\", "b\nc"])
            .push(" AND `n` > ")
            .int(-3)
            .push(" AND `f` < ")
            .float(f64::NAN);
        assert_eq!(
            sql.template(),
            "SELECT count() FROM `t` WHERE `c` = ? AND `d` IN (?, ?) AND `n` > ? AND `f` < ?"
        );
        assert_eq!(
            sql.rendered(),
            "SELECT count() FROM `t` WHERE `c` = 'x\\'; DROP TABLE t; --' AND `d` IN ('a\\\\', 'b\\\nc') AND `n` > -3 AND `f` < 0"
        );
    }
}
