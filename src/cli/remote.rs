//! ClickHouse tables on the command line: opening one (the password from
//! [`PASSWORD_VAR`](crate::remote::PASSWORD_VAR) or a prompt, never an
//! argument), and `chronomap push`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};

use std::sync::Arc;

use super::input::load_inputs;
use super::{FilterFlags, LoadFlags};
use crate::atlas::Atlas;
use crate::load::LoadOptions;
use crate::model::{Dataset, Day};
use crate::remote::{
    Conn, PushOptions, RemoteError, Table, TableUrl, block_on, password_from_env, push,
};
use crate::scene::use_basemap;
use crate::time::EventFilter;

/// Whether a command-line input names a table rather than a file.
pub fn is_table(path: &Path) -> bool {
    path.to_str().is_some_and(TableUrl::is_table_address)
}

/// Asks for a password on the terminal (not echoed), when there is one
/// and the environment gave none.
fn prompt_password(url: &TableUrl, error: &RemoteError) -> Option<String> {
    if password_from_env().is_some() || !std::io::stdin().is_terminal() {
        return None;
    }
    eprintln!("chronomap: {error}");
    let user = url.user.as_deref().unwrap_or("default");
    rpassword::prompt_password(format!(
        "Password for {user} at {}:{}: ",
        url.host, url.port
    ))
    .ok()
}

/// Opens the table `address` names, prompting once for a password when
/// the server refuses the login and a terminal can answer.
///
/// # Errors
/// The address's or the server's error, in words.
pub fn open_table(address: &str, options: &LoadOptions) -> Result<Table, RemoteError> {
    let url = TableUrl::parse(address)?;
    let password = password_from_env();
    match Table::open_blocking(&url, password.as_deref(), options) {
        Err(e) if e.is_auth() => match prompt_password(&url, &e) {
            Some(p) => Table::open_blocking(&url, Some(&p), options),
            None => Err(e),
        },
        other => other,
    }
}

/// The most events `render` and `export` fetch from a table: a render or
/// an export of more is refused with how to narrow it, so the client's
/// memory stays bounded whatever the table's size.
pub const FETCH_LIMIT: u64 = 200_000;

/// The events of a table that `render` or `export` draws or writes: those
/// overlapping `days` (all when `None`) passing the filter flags and the
/// box, fetched into a dataset of their own (at most [`FETCH_LIMIT`]).
///
/// # Errors
/// The table's error, or how many events there are when too many.
pub fn table_dataset(
    address: &str,
    options: &LoadOptions,
    days: Option<(Day, Day)>,
    filters: &FilterFlags,
    bbox: Option<[f64; 4]>,
) -> Result<Dataset, String> {
    let shown = TableUrl::redacted(address);
    let table = open_table(address, options).map_err(|e| format!("{shown}: {e}"))?;
    let filter = EventFilter {
        choices: filters.choices_by_name(bbox)?,
        ..EventFilter::default()
    };
    let id = Conn::query_id();
    let count = block_on(table.count(days, &filter, &id)).map_err(|e| e.to_string())?;
    if count > FETCH_LIMIT {
        return Err(format!(
            "{shown}: {} events pass the filters in those days, more than the {} fetched at most: narrow the days, or filter by --category, --country, --bbox …",
            HumanCount(count),
            HumanCount(FETCH_LIMIT)
        ));
    }
    let rows = block_on(table.rows(days, &filter, None, (0, FETCH_LIMIT), &id))
        .map_err(|e| e.to_string())?;
    let mut dataset = Arc::unwrap_or_clone(rows);
    dataset.title = table.name();
    Ok(dataset)
}

/// What a headless command reads: its files (the embedded dataset when
/// none), or one table's events in `days()` passing the filters.
///
/// # Errors
/// A file or table that could not be read, or a table beside files.
pub fn files_or_table(
    files: &[PathBuf],
    options: &LoadOptions,
    days: impl FnOnce() -> Option<(Day, Day)>,
    filters: &FilterFlags,
    bbox: Option<[f64; 4]>,
) -> Result<Dataset, String> {
    let atlas = crate::atlas::Atlas::embedded();
    let table = match files {
        [only] if is_table(only) => only,
        _ if files.iter().any(|f| is_table(f)) => {
            return Err("a database table is read alone, not beside files".to_owned());
        }
        _ => return super::input::load_inputs(files, options, atlas),
    };
    let dataset = table_dataset(&table.to_string_lossy(), options, days(), filters, bbox)?;
    use_basemap(&dataset, atlas);
    Ok(dataset)
}

/// Arguments of `chronomap push`.
#[derive(clap::Args, Clone, Debug)]
pub struct PushArgs {
    /// The files to push (any chronomap opens), then the table:
    /// clickhouse://[user@]host[:port]/database.table.
    #[arg(required = true, num_args = 2..)]
    pub inputs: Vec<PathBuf>,
    /// Write into the table when it exists (it must be one push made).
    #[arg(long)]
    pub append: bool,
    /// Events per INSERT.
    #[arg(long, default_value_t = 100_000)]
    pub batch: usize,
    /// How to read ambiguous dates and unrecognised columns.
    #[command(flatten)]
    pub load: LoadFlags,
}

/// Runs `chronomap push`: loads the files as `check` does (their problems
/// to stderr), then writes their events into the table in batches.
pub fn run_push(args: &PushArgs) -> ExitCode {
    let Some((table, files)) = args.inputs.split_last() else {
        return fail("name the files, then the table", 2);
    };
    let Some(address) = table.to_str().filter(|t| TableUrl::is_table_address(t)) else {
        return fail(
            &format!(
                "the last argument, {}, is not a table (clickhouse://host/database.table)",
                TableUrl::redacted(&table.to_string_lossy())
            ),
            2,
        );
    };
    let url = match TableUrl::parse(address) {
        Ok(url) => url,
        Err(e) => return fail(&e.to_string(), 2),
    };
    let atlas = Atlas::embedded();
    let dataset = match load_inputs(files, &args.load.options(), atlas) {
        Ok(d) => d,
        Err(message) => return fail(&message, 1),
    };
    use_basemap(&dataset, atlas);
    let total = dataset.events.len() as u64;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{wide_bar}] {human_pos}/{human_len} events, {per_sec}, {eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_prefix(format!("push to {url}"));
    let options = PushOptions {
        append: args.append,
        batch: args.batch.max(1),
    };
    let mut password = password_from_env();
    let pushed = loop {
        let conn = Conn::new(&url, password.as_deref());
        let result = push(&conn, &url, &dataset, atlas, options, |n| {
            bar.set_position(n);
        });
        match result {
            Err(e) if e.is_auth() && password.is_none() => match prompt_password(&url, &e) {
                Some(p) => password = Some(p),
                None => break Err(e),
            },
            other => break other,
        }
    };
    bar.finish_and_clear();
    match pushed {
        Ok(report) => {
            for why in &report.left_out {
                eprintln!("chronomap push: left out {why}");
            }
            let rate = report.written as f64 / report.seconds.max(1e-9);
            println!(
                "chronomap: pushed {} events into {url}{} in {:.2} s ({} events/s)",
                HumanCount(report.written),
                if report.created { " (a new table)" } else { "" },
                report.seconds,
                HumanCount(rate as u64),
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string(), 1),
    }
}

fn fail(message: &str, code: u8) -> ExitCode {
    eprintln!("chronomap push: {message}");
    ExitCode::from(code)
}
