//! The integration tests, linked into one binary.
//!
//! Each test file used to be its own binary, and every one of them linked the
//! whole window stack (eframe, winit, accesskit, zbus…): seventeen debug
//! binaries of about 420 MB each, which filled a CI machine's disk. One binary
//! links once and runs every test on the same thread pool.

// Shared with the benches, hence outside this folder.
#[path = "../support/clickhouse_server.rs"]
mod clickhouse_server;
mod common;
#[path = "../support/gdelt_table.rs"]
mod gdelt_table;

mod architecture;
mod atlas;
mod check_cli;
mod clickhouse_failures;
mod clickhouse_gdelt;
mod clickhouse_harness;
mod clickhouse_source;
mod export;
mod loaders_acled;
mod loaders_detect;
mod loaders_gdelt;
mod loaders_geojson;
mod loaders_stream;
mod loaders_stress;
mod loaders_table;
mod loaders_timelinejs;
mod native_format;
mod place_precision;
mod render;
mod render_story;
mod scene;
mod seed_dataset;
mod sources;

// These drive the window or run the `chronomap` binary, which need the `app`
// feature (on by default).
#[cfg(feature = "app")]
mod cli_app;
#[cfg(feature = "app")]
mod clickhouse_app;
#[cfg(feature = "app")]
mod ui_app;
#[cfg(feature = "app")]
mod ui_first_look;
#[cfg(feature = "app")]
mod ui_views;
