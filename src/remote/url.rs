//! Where a table lives: `clickhouse://[user@]host[:port]/database.table`
//! (ClickHouse's HTTP interface), or `https://…/database.table` for TLS.
//!
//! A password never travels in the address: it would land in shell
//! histories and process lists. One given there is refused with a word on
//! where it goes instead.

use std::fmt;

use super::sql::Ident;

/// The environment variable a password is taken from.
pub const PASSWORD_VAR: &str = "CHRONOMAP_CLICKHOUSE_PASSWORD";

/// The password [`PASSWORD_VAR`] holds, if it holds one.
pub fn password_from_env() -> Option<String> {
    std::env::var(PASSWORD_VAR).ok().filter(|p| !p.is_empty())
}

/// A table on a ClickHouse server, as the user named it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableUrl {
    /// `https` when the connection is encrypted.
    pub tls: bool,
    /// The user, when named (else the server's `default`).
    pub user: Option<String>,
    /// Host name or address.
    pub host: String,
    /// HTTP port (8123 by default, 8443 with TLS).
    pub port: u16,
    /// The database.
    pub database: Ident,
    /// The table.
    pub table: Ident,
}

/// Why an address is not a table's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// Not `clickhouse://`, `http://` or `https://`.
    #[error("'{0}' is not a database address (clickhouse://[user@]host[:port]/database.table)")]
    Scheme(String),
    /// A password in the address.
    #[error(
        "a password does not go in the address (it would be kept in the shell's history); set {PASSWORD_VAR} or answer the prompt"
    )]
    Password,
    /// No host, a bad port, or no `database.table`.
    #[error("'{address}': {why} (clickhouse://[user@]host[:port]/database.table)")]
    Shape {
        /// The address as given.
        address: String,
        /// What is wrong with it.
        why: String,
    },
}

impl TableUrl {
    /// Whether `text` names a database table rather than a file.
    pub fn is_table_address(text: &str) -> bool {
        let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
        ["clickhouse://", "http://", "https://"]
            .iter()
            .any(|s| lower.starts_with(s))
    }

    /// Parses an address.
    ///
    /// # Errors
    /// [`UrlError`] naming what is wrong.
    pub fn parse(text: &str) -> Result<Self, UrlError> {
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| UrlError::Scheme(text.to_owned()))?;
        let tls = match scheme.to_ascii_lowercase().as_str() {
            "clickhouse" | "http" => false,
            "https" => true,
            _ => return Err(UrlError::Scheme(text.to_owned())),
        };
        let shape = |why: &str| UrlError::Shape {
            address: text.to_owned(),
            why: why.to_owned(),
        };
        let (authority, path) = rest
            .split_once('/')
            .ok_or_else(|| shape("no database.table after the host"))?;
        let (user, hostport) = match authority.rsplit_once('@') {
            Some((user, _)) if user.contains(':') => return Err(UrlError::Password),
            Some((user, hostport)) => (Some(user.to_owned()).filter(|u| !u.is_empty()), hostport),
            None => (None, authority),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || hostport.starts_with('[') => {
                let port = port
                    .parse::<u16>()
                    .ok()
                    .filter(|&p| p != 0)
                    .ok_or_else(|| shape(&format!("'{port}' is not a port")))?;
                (host, port)
            }
            _ => (hostport, if tls { 8443 } else { 8123 }),
        };
        if host.is_empty() {
            return Err(shape("no host"));
        }
        let path = path.trim_end_matches('/');
        let (database, table) = match path.split_once('.') {
            Some((d, t)) => (d, t),
            None if !path.is_empty() => ("default", path),
            None => return Err(shape("no database.table after the host")),
        };
        let ident = |name: &str| Ident::new(name).map_err(|e| shape(&e.to_string()));
        Ok(Self {
            tls,
            user,
            host: host.to_owned(),
            port,
            database: ident(database)?,
            table: ident(table)?,
        })
    }

    /// `text` as it may be shown or logged: a password given in it
    /// (`user:secret@`) is replaced by `***`.
    pub fn redacted(text: &str) -> String {
        let Some((scheme, rest)) = text.split_once("://") else {
            return text.to_owned();
        };
        let authority_end = rest.find('/').unwrap_or(rest.len());
        let (authority, path) = rest.split_at(authority_end);
        match authority.rsplit_once('@') {
            Some((user, host)) if user.contains(':') => {
                let name = user.split(':').next().unwrap_or_default();
                format!("{scheme}://{name}:***@{host}{path}")
            }
            _ => text.to_owned(),
        }
    }

    /// The server's HTTP address, for the client.
    pub fn endpoint(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}:{}", self.host, self.port)
    }
}

impl fmt::Display for TableUrl {
    /// The address as a user writes it (never with a password: it has none).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.tls { "https" } else { "clickhouse" };
        let user = self
            .user
            .as_deref()
            .map(|u| format!("{u}@"))
            .unwrap_or_default();
        write!(
            f,
            "{scheme}://{user}{}:{}/{}.{}",
            self.host,
            self.port,
            self.database.as_str(),
            self.table.as_str()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_with_their_defaults() {
        let url = TableUrl::parse("clickhouse://localhost/gdelt.events").expect("parses");
        assert_eq!(
            (url.tls, url.user.as_deref(), url.host.as_str(), url.port),
            (false, None, "localhost", 8123)
        );
        assert_eq!(
            (url.database.as_str(), url.table.as_str()),
            ("gdelt", "events")
        );
        assert_eq!(url.endpoint(), "http://localhost:8123");
        let url = TableUrl::parse("https://ana@ch.example.org/db.t").expect("parses");
        assert_eq!((url.tls, url.port), (true, 8443));
        assert_eq!(url.user.as_deref(), Some("ana"));
        assert_eq!(url.to_string(), "https://ana@ch.example.org:8443/db.t");
        let url = TableUrl::parse("clickhouse://10.0.0.5:18123/events").expect("parses");
        assert_eq!((url.port, url.database.as_str()), (18123, "default"));
    }

    #[test]
    fn bad_addresses_say_what_is_wrong() {
        assert_eq!(
            TableUrl::parse("clickhouse://ana:secret@host/db.t"),
            Err(UrlError::Password)
        );
        let err = |text: &str| TableUrl::parse(text).expect_err(text).to_string();
        assert!(err("ftp://host/db.t").contains("not a database address"));
        assert!(err("clickhouse://host").contains("no database.table"));
        assert!(err("clickhouse://host:99999/db.t").contains("'99999' is not a port"));
        assert!(err("clickhouse://host/db.t;DROP").contains("not a name"));
        assert_eq!(
            TableUrl::redacted("clickhouse://ana:s3cr@t@host:1/db.t"),
            "clickhouse://ana:***@host:1/db.t"
        );
        assert_eq!(
            TableUrl::redacted("clickhouse://host/db.t"),
            "clickhouse://host/db.t"
        );
        assert!(TableUrl::is_table_address("ClickHouse://h/d.t"));
        assert!(!TableUrl::is_table_address("events.csv"));
    }
}
