//! Throwaway ClickHouse servers for tests and benches: one server, or two
//! servers as the two shards of a cluster, each a plain `clickhouse-server`
//! process on free local ports with its data, temporary files and logs in a
//! temporary folder of its own.
//!
//! Plain processes because the packaged service cannot be started on the
//! machines that run the tests, and because each test needs a server it may
//! fill, kill and restart without disturbing another test running beside it.
//!
//! Where no server is installed, [`Server::start`] and [`Cluster::start`]
//! print why on stderr and give `None`, so the tests that need one pass on a
//! developer's machine without it; with `CI` set they panic instead, since CI
//! is where these tests must run.
//!
//! Readiness and queries go over the HTTP interface with a hand-written
//! HTTP/1.0 exchange on a `TcpStream`, so the harness needs nothing beyond std
//! and `tempfile`, and does not share code with the client under test.

#![allow(
    dead_code,
    reason = "each test or bench that includes this module uses the part it needs"
)]

use std::ffi::OsString;
use std::fs;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The packaged configuration every server starts from; the command line
/// overrides its ports, folders and logs.
const SYSTEM_CONFIG: &str = "/etc/clickhouse-server/config.xml";
const SYSTEM_USERS: &str = "/etc/clickhouse-server/users.xml";
/// Where Debian puts the server, which is not on a normal user's PATH.
const SBIN_SERVER: &str = "/usr/sbin/clickhouse-server";

/// How long a server may take to answer its first query.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
const READY_POLL: Duration = Duration::from_millis(100);
/// Long enough for a bench's bulk insert, short enough that a hung server
/// fails the test rather than the whole run.
const QUERY_TIMEOUT: Duration = Duration::from_secs(300);
/// Starts retried on fresh ports when another process took one of ours
/// between finding it free and the server binding it.
const PORT_TRIES: usize = 5;

/// The cluster name [`Cluster`] defines for `Distributed(two, db, table)`.
pub const CLUSTER_NAME: &str = "two";

/// One ClickHouse server process. Dropping it kills the process and removes
/// its folder.
pub struct Server {
    binary: Binary,
    config: PathBuf,
    ports: Ports,
    /// Sent back by the server in every HTTP response, so readiness is only
    /// ever judged on this server's answer, not on another process that got
    /// hold of the port.
    display_name: String,
    child: Option<Child>,
    dir: TempDir,
}

impl Server {
    /// Starts a server from the packaged configuration and waits until it
    /// answers.
    ///
    /// `None` (with one line on stderr) when no server is installed, unless
    /// `CI` is set. Panics when the server does not come up.
    pub fn start() -> Option<Server> {
        let binary = Binary::find()?;
        let config = PathBuf::from(SYSTEM_CONFIG);
        for _ in 0..PORT_TRIES {
            let [ports] = Ports::free();
            let mut server = Server::spawn(&binary, &config, ports);
            match server.wait_ready() {
                Ok(()) => return Some(server),
                Err(failure) if failure.port_taken => continue,
                Err(failure) => panic!("{}", failure.message),
            }
        }
        panic!("clickhouse-server: its ports were taken {PORT_TRIES} times in a row");
    }

    /// Launches the process without waiting for it.
    fn spawn(binary: &Binary, config: &Path, ports: Ports) -> Server {
        let dir = tempfile::Builder::new()
            .prefix("chronomap-clickhouse-")
            .tempdir()
            .expect("a temporary folder for clickhouse-server");
        let display_name = format!("chronomap-test-{}-{}", std::process::id(), ports.http);
        let mut server = Server {
            binary: binary.clone(),
            config: config.to_path_buf(),
            ports,
            display_name,
            child: None,
            dir,
        };
        server.launch();
        server
    }

    fn launch(&mut self) {
        let dir = self.dir.path();
        let console = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("console"))
            .expect("clickhouse-server's console file");
        let console_err = console
            .try_clone()
            .expect("clickhouse-server's console file");
        let mut command = Command::new(&self.binary.program);
        command.args(self.binary.subcommand);
        command
            .arg(joined("--config-file=", &self.config, ""))
            .arg("--")
            // Both folders must end in a slash: the server appends names.
            .arg(joined("--path=", &dir.join("data"), "/"))
            .arg(joined("--tmp_path=", &dir.join("tmp"), "/"))
            .arg(format!("--http_port={}", self.ports.http))
            .arg(format!("--tcp_port={}", self.ports.tcp))
            // The packaged 9009 would make a second server fail.
            .arg(format!(
                "--interserver_http_port={}",
                self.ports.interserver
            ))
            .arg("--listen_host=127.0.0.1")
            .arg(joined("--logger.log=", &dir.join("log"), ""))
            .arg(joined("--logger.errorlog=", &dir.join("err"), ""))
            .arg(format!("--display_name={}", self.display_name))
            .stdin(Stdio::null())
            .stdout(console)
            .stderr(console_err);
        let child = command.spawn().unwrap_or_else(|e| {
            panic!("cannot run {}: {e}", self.binary.program.to_string_lossy())
        });
        self.child = Some(child);
    }

    /// Polls `SELECT 1` until this server answers it.
    fn wait_ready(&mut self) -> Result<(), StartFailure> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.exited() {
                let tail = self.log_tail();
                return Err(StartFailure {
                    port_taken: tail.contains("Address already in use"),
                    message: format!(
                        "clickhouse-server on port {} exited while starting ({status}):\n{tail}",
                        self.ports.http
                    ),
                });
            }
            if self.answers_select_1() {
                return Ok(());
            }
            if started.elapsed() > READY_TIMEOUT {
                return Err(StartFailure {
                    port_taken: false,
                    message: format!(
                        "clickhouse-server on port {} did not answer within {READY_TIMEOUT:?}:\n{}",
                        self.ports.http,
                        self.log_tail()
                    ),
                });
            }
            thread::sleep(READY_POLL);
        }
    }

    fn exited(&mut self) -> Option<ExitStatus> {
        self.child.as_mut()?.try_wait().ok().flatten()
    }

    fn answers_select_1(&self) -> bool {
        let request = format!(
            "GET /?query=SELECT%201 HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.ports.http
        );
        let timeout = Duration::from_secs(1);
        match exchange(self.ports.http, request.as_bytes(), timeout) {
            Ok(response) => {
                response.status == 200
                    && response.header("X-ClickHouse-Server-Display-Name")
                        == Some(self.display_name.as_str())
                    && response.body.trim() == "1"
            }
            Err(_) => false,
        }
    }

    /// The last lines of the error log and of what the process printed, for
    /// a panic message.
    fn log_tail(&self) -> String {
        let mut tail = String::new();
        for name in ["err", "console"] {
            let text = fs::read_to_string(self.dir.path().join(name)).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let from = lines.len().saturating_sub(20);
            if from < lines.len() {
                tail.push_str(&format!("--- {name}:\n"));
                for line in &lines[from..] {
                    tail.push_str(line);
                    tail.push('\n');
                }
            }
        }
        tail
    }

    pub fn http_port(&self) -> u16 {
        self.ports.http
    }

    /// The native protocol's port, which shards of a cluster talk over.
    pub fn tcp_port(&self) -> u16 {
        self.ports.tcp
    }

    /// `http://127.0.0.1:PORT`, the HTTP interface.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.ports.http)
    }

    /// The address chronomap opens a table by: `clickhouse://127.0.0.1:PORT/db.table`.
    pub fn table_url(&self, db_table: &str) -> String {
        format!("clickhouse://127.0.0.1:{}/{db_table}", self.ports.http)
    }

    /// The folder holding `data/`, `tmp/` and the logs; gone once the server
    /// is dropped.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `sql` (sent as the body of a POST) and gives the response body as
    /// the server wrote it: TabSeparated for a `SELECT`, final newline
    /// included; empty for DDL and inserts. `Err` holds the server's message
    /// on a status other than 200, or why the server could not be reached.
    pub fn query(&self, sql: &str) -> Result<String, String> {
        let mut request = format!(
            "POST / HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nContent-Length: {}\r\n\r\n",
            self.ports.http,
            sql.len()
        )
        .into_bytes();
        request.extend_from_slice(sql.as_bytes());
        let response = exchange(self.ports.http, &request, QUERY_TIMEOUT)
            .map_err(|e| format!("ClickHouse at {}: {e}", self.url()))?;
        if response.status == 200 {
            Ok(response.body)
        } else {
            Err(response.body.trim_end().to_string())
        }
    }

    /// Kills the server with SIGKILL, as a crash would, and waits for it to
    /// go. Its data folder stays for [`Server::restart`].
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            // An error here means it had already exited, which is the aim.
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same ports and data folder (killing it
    /// first if it still runs) and waits until it answers. Panics when it
    /// does not come up, for instance when another process took a port while
    /// it was down.
    pub fn restart(&mut self) {
        self.kill();
        self.launch();
        if let Err(failure) = self.wait_ready() {
            panic!("{}", failure.message);
        }
    }

    /// Whether the process is still there: false after [`Server::kill`] or a
    /// crash.
    pub fn is_running(&mut self) -> bool {
        self.child.is_some() && self.exited().is_none()
    }
}

impl Drop for Server {
    /// SIGKILL rather than a clean shutdown (10–15 s): the data is thrown
    /// away with the folder.
    fn drop(&mut self) {
        self.kill();
    }
}

/// Two servers as the two shards of the cluster [`CLUSTER_NAME`], one replica
/// each, so a `Distributed` table on either reads both.
pub struct Cluster {
    /// Declared before `config` so that the servers stop before their
    /// configuration folder goes.
    servers: [Server; 2],
    config: TempDir,
}

impl Cluster {
    /// Writes a configuration naming both servers' native ports, starts the
    /// two servers from it and waits until both answer.
    ///
    /// `None` (with one line on stderr) when no server is installed, unless
    /// `CI` is set. Panics when a server does not come up.
    pub fn start() -> Option<Cluster> {
        let binary = Binary::find()?;
        for _ in 0..PORT_TRIES {
            let ports = Ports::free();
            let config = cluster_config(&ports);
            let config_file = config.path().join("config.xml");
            let mut servers = ports.map(|p| Server::spawn(&binary, &config_file, p));
            // Launched together, waited for one after the other.
            let mut retry = false;
            for server in &mut servers {
                match server.wait_ready() {
                    Ok(()) => {}
                    Err(failure) if failure.port_taken => retry = true,
                    Err(failure) => panic!("{}", failure.message),
                }
            }
            if !retry {
                return Some(Cluster { servers, config });
            }
        }
        panic!("clickhouse-server: the cluster's ports were taken {PORT_TRIES} times in a row");
    }

    pub fn shards(&self) -> [&Server; 2] {
        [&self.servers[0], &self.servers[1]]
    }

    /// One shard, to kill and restart it.
    pub fn shard_mut(&mut self, shard: usize) -> &mut Server {
        &mut self.servers[shard]
    }

    /// [`Server::query`] on shard 0 or 1.
    pub fn query(&self, shard: usize, sql: &str) -> Result<String, String> {
        self.servers[shard].query(sql)
    }

    /// [`Server::query`] on both shards, for the DDL each needs alike.
    pub fn query_each(&self, sql: &str) -> Result<[String; 2], String> {
        Ok([self.query(0, sql)?, self.query(1, sql)?])
    }

    /// The folder with the shared `config.xml`, `users.xml` and
    /// `config.d/cluster.xml`.
    pub fn config_dir(&self) -> &Path {
        self.config.path()
    }
}

/// A copy of the packaged configuration with `config.d/cluster.xml` added.
/// A copy, because the server reads `config.d/` and `users.xml` from beside
/// the main file, and the packaged folder is not ours to change.
fn cluster_config(ports: &[Ports; 2]) -> TempDir {
    let dir = tempfile::Builder::new()
        .prefix("chronomap-clickhouse-cluster-")
        .tempdir()
        .expect("a temporary folder for the cluster's configuration");
    let main = fs::read_to_string(SYSTEM_CONFIG)
        .unwrap_or_else(|e| panic!("cannot read {SYSTEM_CONFIG}: {e}"));
    fs::write(dir.path().join("config.xml"), &main).expect("config.xml copied");
    fs::copy(SYSTEM_USERS, dir.path().join("users.xml"))
        .unwrap_or_else(|e| panic!("cannot copy {SYSTEM_USERS}: {e}"));
    // Releases since 2021 name the root <clickhouse>; a file in config.d/
    // takes the main file's root.
    let root = if main.contains("<clickhouse>") {
        "clickhouse"
    } else {
        "yandex"
    };
    let shards: String = ports
        .iter()
        .map(|p| {
            format!(
                "      <shard><replica><host>127.0.0.1</host><port>{}</port></replica></shard>\n",
                p.tcp
            )
        })
        .collect();
    let cluster = format!(
        "<?xml version=\"1.0\"?>\n<{root}>\n  <remote_servers>\n    \
         <{CLUSTER_NAME}>\n{shards}    </{CLUSTER_NAME}>\n  </remote_servers>\n</{root}>\n"
    );
    fs::create_dir(dir.path().join("config.d")).expect("config.d created");
    fs::write(dir.path().join("config.d/cluster.xml"), cluster).expect("cluster.xml written");
    dir
}

/// Why a server did not come up; `port_taken` when starting again on other
/// ports may help.
struct StartFailure {
    port_taken: bool,
    message: String,
}

#[derive(Clone, Copy)]
struct Ports {
    http: u16,
    tcp: u16,
    interserver: u16,
}

impl Ports {
    /// Ports for `N` servers, all distinct and with no listener on them,
    /// found by binding port 0 for each at once. Another process may take one
    /// before the server binds it; the start is then retried.
    fn free<const N: usize>() -> [Ports; N] {
        let bind =
            |_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a free port on 127.0.0.1");
        let listeners: [[TcpListener; 3]; N] = std::array::from_fn(|_| std::array::from_fn(bind));
        listeners.map(|trio| {
            let [http, tcp, interserver] = trio.map(|l| {
                l.local_addr()
                    .expect("a bound listener has an address")
                    .port()
            });
            Ports {
                http,
                tcp,
                interserver,
            }
        })
    }
}

/// The server program and, for the single `clickhouse` binary, the `server`
/// subcommand it needs.
#[derive(Clone)]
struct Binary {
    program: PathBuf,
    subcommand: Option<&'static str>,
}

impl Binary {
    /// `clickhouse-server` on PATH or in /usr/sbin, else `clickhouse server`.
    /// `None` after a line on stderr when neither is there or the packaged
    /// configuration is missing; a panic instead when `CI` is set.
    fn find() -> Option<Binary> {
        let binary = on_path("clickhouse-server")
            .or_else(|| Some(PathBuf::from(SBIN_SERVER)).filter(|p| is_executable(p)))
            .map(|program| Binary {
                program,
                subcommand: None,
            })
            .or_else(|| {
                on_path("clickhouse").map(|program| Binary {
                    program,
                    subcommand: Some("server"),
                })
            });
        let missing = match &binary {
            None => "clickhouse-server not found",
            Some(_) if !Path::new(SYSTEM_CONFIG).is_file() => {
                "clickhouse-server found but /etc/clickhouse-server/config.xml missing"
            }
            Some(_) => return binary,
        };
        if std::env::var_os("CI").is_some() {
            panic!(
                "{missing}, and CI is set: CI must run the ClickHouse tests \
                 (install the clickhouse-server package)"
            );
        }
        eprintln!("{missing}: skipping");
        None
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// `prefix`, the path and `suffix` as one argument, without requiring the
/// path to be UTF-8.
fn joined(prefix: &str, path: &Path, suffix: &str) -> OsString {
    let mut arg = OsString::from(prefix);
    arg.push(path);
    arg.push(suffix);
    arg
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one HTTP/1.0 request to 127.0.0.1:`port` and reads the response to
/// the end: with HTTP/1.0 the server closes the connection after it, so no
/// keep-alive or framing of ours is needed.
fn exchange(port: u16, request: &[u8], timeout: Duration) -> io::Result<Response> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.write_all(request)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> io::Result<Response> {
    let invalid = |why: &str| io::Error::new(io::ErrorKind::InvalidData, why.to_string());
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| invalid("response without an end of headers"))?;
    let head = std::str::from_utf8(&raw[..split]).map_err(|_| invalid("headers not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("no status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("Transfer-Encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body).ok_or_else(|| invalid("malformed chunked body"))?;
    }
    let body = String::from_utf8(body).map_err(|_| invalid("body not UTF-8"))?;
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// Servers answer HTTP/1.0 without chunks; this covers one that does not.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}
