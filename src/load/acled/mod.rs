//! ACLED event exports (CSV or TSV): the 2023+ 31-column schema, the
//! pre-2023 schema, monadic exports, the old upper-case schema; see
//! `formats.md` §1.
//!
//! Columns are found by name, case-insensitively, so reordered and extra
//! columns do not matter. `NA` is empty. A monadic export lists an event once
//! per actor; its rows are merged by `event_id_cnty`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::common::{RowProblems, Sink, finish_joined};
use super::dates::DateReader;
use super::id_table::{IdTable, Seen};
use super::options::Delimited;
use super::outcome::io_error;
use super::parts::{PartRecords, Plan, read_in_parts, read_rest};
use super::pipeline::Held;
use super::places::AtlasWhenNeeded;
use super::places::PlaceSpec;
use super::progress::Progress;
use super::recurring::{KeyColumns, Memo, Numberings};
use super::tabular::{
    Records, Row, Table, column_name, find_column, header_names, lon_lat, split_list,
    unread_columns, width_problem,
};
use super::{LoadError, Loaded, Problem, ProblemKind};
use crate::atlas::PlaceKind;
use crate::model::{
    Casualties, CategoryIdx, DateSpan, Day, Event, Extra, ExtraGroup, ExtraInterner, ExtraKeys,
    Source, Text,
};
use crate::model::{
    DatasetBuilder, LocationPrecision, Name, NameList, PlaceList, PlacePrecision, SourceList,
};
use crate::prefetch::prefetch;

mod assembling;
mod reading;
mod schema;

use assembling::*;
use reading::*;
pub use schema::is_acled_header;
use schema::*;

/// A file of fewer rows than this is read whole on the calling thread:
/// starting the reading thread costs more than it saves, and a fuzzer's
/// leak check then sees no thread's bookkeeping.
const ONE_THREAD_ROWS: usize = 4096;

/// Parses an ACLED export as it streams from `input`: a file of any size is
/// read with memory for its events, not for its text.
///
/// Two threads share the work: one splits records and reads each row's own
/// values ([`Reading::draft`]), the other assembles events from them, which
/// needs the file-wide state (places, ids, shared fields).
///
/// # Errors
/// When the header lacks `event_date`, or the input cannot be read.
pub fn parse_stream<'a>(
    file: &str,
    input: impl Read + Send,
    how: &Delimited<'_>,
    atlas: impl Into<AtlasWhenNeeded<'a>>,
    progress: Option<&Progress>,
) -> Result<Loaded, LoadError> {
    let (delimiter, options, rows_hint) = (how.delimiter, how.options, how.sizing.rows_hint);
    let atlas: AtlasWhenNeeded<'a> = atlas.into();
    let started = Instant::now();
    let mut records = Records::new(input, delimiter, true, progress);
    let mut row = Row::default();
    records.next_into(&mut row).map_err(io_error(file))?;
    let header = header_names(&row);
    let columns = Columns::find(&header);
    if columns.date.is_none() {
        return Err(LoadError::Format {
            file: file.to_owned(),
            message: "an ACLED file without an event_date column".into(),
        });
    }
    // Rows wait until their slashed dates settle the order (or enough of
    // them went by), then everything is read with that one order.
    // A small file is held whole, and then read on this thread alone.
    let held = Held::read(
        &mut records,
        columns.date,
        options.slash_order,
        ONE_THREAD_ROWS,
    )
    .map_err(io_error(file))?;
    let lines = held.lines();
    let Held {
        rows: held,
        dates,
        ended,
    } = held;
    let format = variant(&header, delimiter);
    let mut sink = Sink::new(file, &format, atlas, options.keep_problems);
    let (own, own_keys) = own_columns(&header, &columns);
    let reading = Reading {
        dates,
        own,
        own_keys,
        header: header.into(),
        columns,
    };
    // What the reading thread keeps between rows.
    let mut shared = Shared::new(&reading.columns);
    sink.date_note(&reading.dates, &lines, reading.name(reading.columns.date));
    let mut loader = Acled::new(sink, &reading, rows_hint);

    // The rows held back are assembled here; their carrier then goes to
    // the reading thread, whose first rows reuse theirs.
    let mut carrier = Carrier::default();
    let mut held = held.into_iter().peekable();
    while held.peek().is_some() {
        let texts = &mut carrier.texts;
        carrier
            .batch
            .extend((&mut held).take(BATCH_ROWS).map(|row| {
                let hashes = shared.hashes(&row);
                reading.draft(row, hashes, &mut shared, texts)
            }));
        loader.assemble_batch(&mut carrier);
    }
    // Up to HOLD_ROWS were held: a batch's worth is enough to reuse.
    carrier.rows.truncate(BATCH_ROWS);
    let reading = &reading;
    let plan = Plan::after(how.whole, &mut records).map_err(io_error(file))?;
    if let Some((whole, plan)) = plan {
        let part_rows = rows_hint / plan.len();
        let parts = read_in_parts(
            &whole,
            &plan,
            delimiter,
            true,
            progress,
            |records| read_all(&mut loader, records, &mut shared),
            |records| {
                let sink = Sink::new(file, &format, atlas, options.keep_problems);
                let mut part = Acled::new(sink, reading, part_rows);
                part.looked_up = Some(Vec::new());
                read_all(&mut part, records, &mut Shared::new(&reading.columns))?;
                Ok(part)
            },
        )
        .map_err(io_error(file))?;
        let read = started.elapsed();
        let joining = Instant::now();
        let mut not_utf8_at = records.not_utf8_at().or(parts.not_utf8_at);
        let count = parts.later.len();
        for (k, later) in parts.later.into_iter().enumerate() {
            if loader.meets(&later.made) {
                // An id of this part was an event's before it (a monadic
                // export's next actor, or a duplicate): the file from this
                // part on is read again here, as one reading reads it.
                let rest = read_rest(&whole, later.from, delimiter, true, progress, |records| {
                    read_all(&mut loader, records, &mut shared)
                })
                .map_err(io_error(file))?;
                not_utf8_at = not_utf8_at.or(rest);
                break;
            }
            loader.join(later.made, k + 1 < count);
        }
        let joined = joining.elapsed();
        return Ok(finish_joined(loader.into_sink(), not_utf8_at, read, joined));
    }
    // How long each thread waited for the other: which one a load waits
    // for, told with `--timings`.
    let mut assembler_waited = Duration::ZERO;
    let (records, reader_waited) = if ended {
        // Every row was held and assembled above: nothing is left to read beside.
        (records, Duration::ZERO)
    } else {
        std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Carrier>(AHEAD);
            // What a batch was carried in goes back to the reading thread once
            // assembled, to be filled again: memory it has touched before,
            // rather than fresh pages that fault as they are first written (a
            // quarter of a million-row load's faults each, all on the thread
            // the load waits for). The builder swaps the batch's texts for
            // the block it read before, so those come back too.
            let (recycle, recycled) = std::sync::mpsc::channel::<Carrier>();
            let _ = recycle.send(carrier);
            let reader = scope.spawn(move || {
                let mut texts_size = 0;
                let mut waited = Duration::ZERO;
                let mut ahead = SplitAhead::default();
                loop {
                    let mut carrier = recycled.try_recv().unwrap_or_default();
                    let Carrier { rows, batch, texts } = &mut carrier;
                    batch.reserve(BATCH_ROWS);
                    texts.reserve(texts_size + texts_size / 8);
                    while batch.len() < BATCH_ROWS {
                        let Some((row, hashes)) = ahead.next(&mut records, rows, &shared)? else {
                            break;
                        };
                        batch.push(reading.draft(row, hashes, &mut shared, texts));
                    }
                    texts_size = texts.len();
                    let last = batch.len() < BATCH_ROWS;
                    let sending = Instant::now();
                    let sent = sender.send(carrier);
                    waited += sending.elapsed();
                    if sent.is_err() || last {
                        return Ok((records, waited));
                    }
                }
            });
            let mut waiting = Instant::now();
            while let Ok(mut carrier) = receiver.recv() {
                assembler_waited += waiting.elapsed();
                loader.assemble_batch(&mut carrier);
                // The reader may have finished: then it is just dropped.
                let _ = recycle.send(carrier);
                waiting = Instant::now();
            }
            reader
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the reading thread failed")))
        })
        .map_err(io_error(file))?
    };
    if let Some(note) = records.encoding_note() {
        loader.sink.report.push(note);
    }
    let read = started.elapsed();
    let mut timings = crate::timings::Timings::new();
    timings.record(
        if ended {
            "read and parse rows (1 thread)"
        } else {
            "read and parse rows (2 threads)"
        },
        read,
    );
    timings.record("  of which the reading thread waited", reader_waited);
    timings.record("  of which the assembling thread waited", assembler_waited);
    // The id table and the lines go first: sorting the events needs room.
    Ok(loader.into_sink().finish_after(timings))
}

/// Reads every row of `records` into `loader` on this thread: split,
/// drafted and assembled a batch at a time (a part of a large file, read
/// beside the others).
fn read_all(
    loader: &mut Acled<'_, '_>,
    records: &mut PartRecords<'_>,
    shared: &mut Shared,
) -> std::io::Result<()> {
    let reading = loader.reading;
    let mut carrier = Carrier::default();
    let mut ahead = SplitAhead::default();
    loop {
        let Carrier { rows, batch, texts } = &mut carrier;
        while batch.len() < BATCH_ROWS {
            let Some((row, hashes)) = ahead.next(records, rows, shared)? else {
                break;
            };
            batch.push(reading.draft(row, hashes, shared, texts));
        }
        let last = batch.len() < BATCH_ROWS;
        loader.assemble_batch(&mut carrier);
        if last {
            return Ok(());
        }
    }
}

/// Rows handed from the reading thread to the assembling one at a time.
const BATCH_ROWS: usize = 1024;

/// How many rows ahead the assembling thread starts asking for what a row
/// will read ([`Acled::prefetch`]): enough for three trips to memory, one
/// after the other, to end before the row's turn.
const PREFETCH_ROWS: usize = 8;

/// How many batches the reading thread may be ahead of the assembling
/// one. On two busy cores each thread is now and then put aside for a
/// while; a queue this deep lets the other go on meanwhile. Each batch
/// in flight is also a [`Carrier`] that stays allocated to the end, so
/// the depth is also memory: deeper queues raised a million-row load's
/// peak without making it faster.
const AHEAD: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads comma-separated ACLED text as a file of unknown size is read.
    fn parse_csv(text: &str, atlas: AtlasWhenNeeded<'_>) -> Loaded {
        let how = Delimited {
            delimiter: b',',
            options: &crate::load::LoadOptions::default(),
            sizing: crate::load::pipeline::Sizing::default(),
            whole: None,
        };
        parse_stream("a.csv", text.as_bytes(), &how, atlas, None).expect("the rows load")
    }

    #[test]
    fn inter_codes_read_both_ways() {
        assert_eq!(inter_label("3").as_deref(), Some("Political militia"));
        assert_eq!(inter_label("0"), None);
        assert_eq!(inter_label("Rebel group").as_deref(), Some("Rebel group"));
        assert_eq!(inter_label("9").as_deref(), Some("9"));
        assert_eq!(
            interaction_label("17").as_deref(),
            Some("State forces-Civilians")
        );
        assert_eq!(
            interaction_label("10").as_deref(),
            Some("State forces only")
        );
        assert_eq!(interaction_label("60").as_deref(), Some("Protesters only"));
        assert_eq!(
            interaction_label("Rebel group-External/Other forces").as_deref(),
            Some("Rebel group-External/Other forces")
        );
    }

    /// `chronomap check` hands the loader an atlas it has yet to decode:
    /// rows with coordinates must not make it decode the basemap, and a
    /// row that names its place only must.
    #[test]
    fn titles_past_the_ones_remembered_at_a_location_still_read_right() {
        // More kinds of event at one location than are remembered there,
        // twice over: the second time, the later ones are made again.
        let kinds = TITLES_PER_LOCATION + 8;
        let mut text = String::from(
            "event_id_cnty,event_date,sub_event_type,location,country,latitude,longitude\n",
        );
        for round in 0..2 {
            for kind in 0..kinds {
                text.push_str(&format!(
                    "AFG{round}-{kind},2025-11-24,Kind {kind},Khost,Afghanistan,33.34,69.92\n"
                ));
            }
        }
        let loaded = parse_csv(&text, crate::atlas::Atlas::embedded().into());
        let events = &loaded.dataset.events;
        assert_eq!(events.len(), 2 * kinds);
        for event in events {
            let kind = event.id().split('-').nth(1).expect("the id names its kind");
            assert_eq!(event.title(), format!("Kind {kind} in Khost"));
        }
    }

    /// A small file is read on the calling thread alone (no thread to start,
    /// nothing for a fuzzer's leak check); a large one beside a reading
    /// thread. Both read every row; the dates' order (day first: each day
    /// is over 12) is settled on the first row.
    #[test]
    fn only_a_large_file_is_read_on_two_threads() {
        for (rows, phase) in [
            (3, "read and parse rows (1 thread)"),
            (ONE_THREAD_ROWS - 1, "read and parse rows (1 thread)"),
            (ONE_THREAD_ROWS + 10, "read and parse rows (2 threads)"),
        ] {
            let mut text = String::from("event_id_cnty,event_date,location,latitude,longitude\n");
            for n in 0..rows {
                let day = 13 + n % 15;
                text.push_str(&format!("E{n},{day}/11/2025,Khost,33.34,69.92\n"));
            }
            let loaded = parse_csv(&text, crate::atlas::Atlas::embedded().into());
            assert_eq!(loaded.dataset.events.len(), rows, "{rows} rows");
            assert_eq!(loaded.report.problems, [], "{rows} rows");
            let phases: Vec<&str> = loaded.timings.phases().iter().map(|p| p.0).collect();
            assert!(phases.contains(&phase), "{rows} rows: {phases:?}");
        }
    }

    #[test]
    fn the_atlas_is_fetched_only_for_a_place_without_coordinates() {
        use crate::atlas::Atlas;
        use crate::model::Location;
        use std::sync::atomic::{AtomicUsize, Ordering};

        let fetched = AtomicUsize::new(0);
        let fetch = || {
            fetched.fetch_add(1, Ordering::Relaxed);
            Atlas::embedded()
        };
        let load = |rows: &str| {
            let text =
                format!("event_id_cnty,event_date,location,country,latitude,longitude\n{rows}");
            parse_csv(&text, AtlasWhenNeeded::Later(&fetch))
        };

        let located = load("AFG1,2025-11-24,Khost,Afghanistan,33.34,69.92\n");
        assert_eq!(fetched.load(Ordering::Relaxed), 0);
        let place = located.dataset.places.first().expect("a place");
        assert_eq!(place.name, "Khost");
        assert!(matches!(place.location, Some(Location::Point { .. })));

        let named = load("AFG2,2025-11-24,Khost,Afghanistan,,\n");
        assert!(fetched.load(Ordering::Relaxed) > 0);
        // The gazetteer's place, by its own spelling.
        let place = named.dataset.places.first().expect("a place");
        assert_eq!(place.name, "Khōst");
        assert!(place.location.is_some());
    }
}
