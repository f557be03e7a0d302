//! The connection: the `clickhouse` crate's client over HTTP, on one
//! runtime for the process, with every read query marked read-only on the
//! server (`readonly=2`: settings may change, data may not) and named by a
//! query id, so that a query the view no longer needs can be stopped on
//! the server as well as dropped here.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clickhouse::Client;

use super::RemoteError;
use super::sql::Sql;
use super::url::TableUrl;

/// The runtime every request runs on: two threads are plenty for a view's
/// few queries at a time, and the window's thread never waits on one.
pub(super) fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("chronomap-clickhouse")
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("cannot start the network runtime: {e}"))
    })
}

/// The longest chronomap waits for a query's answer: an interactive view
/// has moved on long before, and a peer that took the connection and
/// never answers is given up on.
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(120);

/// The longest it waits for a question about a table's columns, which a
/// live server answers at once: the first question of every open.
pub const METADATA_TIMEOUT: Duration = Duration::from_secs(15);

/// A server, with a client for reading (read-only) and one for `push`.
#[derive(Clone)]
pub struct Conn {
    read: Client,
    write: Client,
    /// Where it is, for messages.
    pub address: String,
}

impl std::fmt::Debug for Conn {
    /// Never the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conn")
            .field("address", &self.address)
            .finish()
    }
}

impl Conn {
    /// A connection to `url`'s server (nothing is sent yet).
    pub fn new(url: &TableUrl, password: Option<&str>) -> Self {
        // ClickHouse 18.16 knows no RowBinaryWithNamesAndTypes, which the
        // crate's validation asks for; rows are read in plain RowBinary.
        let mut client = Client::default()
            .with_url(url.endpoint())
            .with_validation(false);
        // LZ4 saves a network's bandwidth; on this machine's own loopback
        // it only costs both ends their processor (a tenth of a push's).
        if is_loopback(&url.host) {
            client = client.with_compression(clickhouse::Compression::None);
        }
        if let Some(user) = &url.user {
            client = client.with_user(user.as_str());
        }
        if let Some(password) = password {
            client = client.with_password(password);
        }
        Self {
            read: client.clone().with_setting("readonly", "2"),
            write: client,
            address: format!("{}:{}", url.host, url.port),
        }
    }

    /// A fresh query id, to stop the query by.
    pub fn query_id() -> String {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        format!("chronomap-{}-{n}", std::process::id())
    }

    /// All the rows of a read query.
    ///
    /// # Errors
    /// The server's or the network's, in words.
    pub async fn rows<T>(&self, sql: &Sql, query_id: &str) -> Result<Vec<T>, RemoteError>
    where
        T: clickhouse::RowOwned + clickhouse::RowRead,
    {
        self.rows_within(sql, query_id, QUERY_TIMEOUT).await
    }

    /// [`Conn::rows`], given up on after `limit` (the server is asked to
    /// stop the query then).
    ///
    /// # Errors
    /// As [`Conn::rows`], and [`RemoteError::Connect`] after `limit`.
    pub async fn rows_within<T>(
        &self,
        sql: &Sql,
        query_id: &str,
        limit: Duration,
    ) -> Result<Vec<T>, RemoteError>
    where
        T: clickhouse::RowOwned + clickhouse::RowRead,
    {
        let query = sql.query(&self.read).with_setting("query_id", query_id);
        self.within(limit, query_id, query.fetch_all()).await
    }

    /// `request`'s answer, or an error in words once `limit` has passed
    /// without one (a peer that takes the connection and never answers).
    async fn within<T>(
        &self,
        limit: Duration,
        query_id: &str,
        request: impl std::future::Future<Output = clickhouse::error::Result<T>>,
    ) -> Result<T, RemoteError> {
        match tokio::time::timeout(limit, request).await {
            Ok(answer) => answer.map_err(|e| self.error(e)),
            Err(_) => {
                self.stop(query_id);
                Err(RemoteError::Connect(format!(
                    "{} did not answer in {} s",
                    self.address,
                    limit.as_secs()
                )))
            }
        }
    }

    /// A read query's answer in `format` (`CSVWithNames`, …), as bytes.
    ///
    /// # Errors
    /// As [`Conn::rows`].
    pub async fn bytes(
        &self,
        sql: &Sql,
        format: &str,
        query_id: &str,
    ) -> Result<Vec<u8>, RemoteError> {
        let mut cursor = sql
            .query(&self.read)
            .with_setting("query_id", query_id)
            .fetch_bytes(format)
            .map_err(|e| self.error(e))?;
        let bytes = self
            .within(QUERY_TIMEOUT, query_id, cursor.collect())
            .await?;
        Ok(bytes.to_vec())
    }

    /// Asks the server to stop a query (the answer is not awaited).
    pub fn stop(&self, query_id: &str) {
        let mut sql = Sql::new("KILL QUERY WHERE query_id = ");
        sql.text(query_id).push(" ASYNC");
        let query = sql.query(&self.read);
        runtime().spawn(async move {
            // A query that finished in between has nothing to stop.
            if let Ok(mut answer) = query.fetch_bytes("TabSeparated") {
                let _ = answer.collect().await;
            }
        });
    }

    /// The client that may write (`push` alone uses it).
    pub fn writer(&self) -> &Client {
        &self.write
    }

    /// Runs a statement that changes the server (`push`'s `CREATE TABLE`).
    ///
    /// # Errors
    /// As [`Conn::rows`].
    pub async fn execute(&self, sql: &Sql) -> Result<(), RemoteError> {
        let id = Self::query_id();
        let query = sql.query(&self.write).with_setting("query_id", &id);
        self.within(QUERY_TIMEOUT, &id, query.execute()).await
    }

    /// The crate's error, in words for the user.
    pub fn error(&self, error: clickhouse::error::Error) -> RemoteError {
        use clickhouse::error::Error;
        match error {
            Error::BadResponse(text) => RemoteError::from_server(&text),
            Error::Network(e) => RemoteError::Connect(format!(
                "cannot reach {}: {}",
                self.address,
                source_words(&*e)
            )),
            other => RemoteError::Server(other.to_string()),
        }
    }
}

/// Whether `host` is this machine.
fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// An error and its causes, in one line.
fn source_words(error: &(dyn std::error::Error + 'static)) -> String {
    let mut words = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let more = e.to_string();
        if !words.contains(&more) {
            words.push_str(": ");
            words.push_str(&more);
        }
        cause = e.source();
    }
    words
}

/// Runs `future` to its end on the runtime, from a thread outside it (the
/// command line's, a test's).
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    runtime().block_on(future)
}
