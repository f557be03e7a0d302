//! The ClickHouse test servers themselves: that a server starts, answers and
//! leaves nothing behind, survives a kill with its data, and that two of them
//! work as the shards of one cluster. Each test passes without running where
//! no server is installed (see `clickhouse_server`).

use std::net::{Ipv4Addr, TcpListener};

use crate::clickhouse_server::{CLUSTER_NAME, Cluster, Server};

const CREATE_EV: &str = "CREATE TABLE default.ev (d Date, n UInt32) \
                         ENGINE = MergeTree() PARTITION BY toYYYYMM(d) ORDER BY d";

/// `n` rows spread over the days from 2024-01-01, so they fall in several
/// partitions.
fn insert_ev(server: &Server, n: u32) {
    server
        .query(&format!(
            "INSERT INTO default.ev SELECT toDate('2024-01-01') + number % 90, number \
             FROM numbers({n})"
        ))
        .expect("rows inserted");
}

fn count(server: &Server, table: &str) -> String {
    server
        .query(&format!("SELECT count() FROM {table}"))
        .expect("count answered")
}

#[test]
fn a_server_answers_and_leaves_nothing_behind() {
    let Some(server) = Server::start() else {
        return;
    };
    assert_eq!(server.query("SELECT 1").as_deref(), Ok("1\n"));
    assert_eq!(
        server.url(),
        format!("http://127.0.0.1:{}", server.http_port())
    );
    assert_eq!(
        server.table_url("default.ev"),
        format!("clickhouse://127.0.0.1:{}/default.ev", server.http_port())
    );
    assert_ne!(server.http_port(), server.tcp_port());

    server.query(CREATE_EV).expect("table created");
    insert_ev(&server, 1000);
    assert_eq!(count(&server, "default.ev"), "1000\n");
    let error = server
        .query("SELECT nothing FROM default.missing")
        .expect_err("a query on a missing table fails");
    assert!(error.contains("default.missing"), "{error}");

    let dir = server.dir().to_path_buf();
    let ports = [server.http_port(), server.tcp_port()];
    assert!(dir.join("data").is_dir());
    drop(server);
    assert!(!dir.exists(), "{} left behind", dir.display());
    for port in ports {
        TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .unwrap_or_else(|e| panic!("port {port} still taken: {e}"));
    }
}

#[test]
fn a_killed_server_restarts_with_its_rows() {
    let Some(mut server) = Server::start() else {
        return;
    };
    server.query(CREATE_EV).expect("table created");
    insert_ev(&server, 1000);
    let port = server.http_port();

    server.kill();
    assert!(!server.is_running());
    assert!(
        server.query("SELECT 1").is_err(),
        "a killed server answered"
    );

    server.restart();
    assert!(server.is_running());
    assert_eq!(server.http_port(), port);
    assert_eq!(count(&server, "default.ev"), "1000\n");
}

#[test]
fn two_shards_read_as_one_distributed_table() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let [one, two] = cluster.shards();
    assert_ne!(one.tcp_port(), two.tcp_port());
    cluster
        .query_each(CREATE_EV)
        .expect("table created on both");
    insert_ev(one, 1000);
    insert_ev(two, 500);
    cluster
        .query(
            0,
            &format!(
                "CREATE TABLE default.evd AS default.ev \
                 ENGINE = Distributed({CLUSTER_NAME}, default, ev)"
            ),
        )
        .expect("distributed table created");

    assert_eq!(count(one, "default.ev"), "1000\n");
    assert_eq!(count(two, "default.ev"), "500\n");
    assert_eq!(count(one, "default.evd"), "1500\n");
    // Grouped on the shards and merged: every one of the 90 days, with the
    // rows of both.
    let days = cluster
        .query(
            0,
            "SELECT count(), sum(c) FROM (SELECT d, count() AS c FROM default.evd GROUP BY d)",
        )
        .expect("grouped by day");
    assert_eq!(days, "90\t1500\n");
}
