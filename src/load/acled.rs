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

use super::common::{RowProblems, Sink};
use super::dates::{DateReader, DateTally};
use super::id_table::{IdTable, Seen};
use super::pipeline::HOLD_ROWS;
use super::places::AtlasWhenNeeded;
use super::places::PlaceSpec;
use super::progress::Progress;
use super::recurring::{KeyColumns, Memo, Numbering};
use super::tabular::{
    Records, Row, Table, column_name, find_column, header_names, lon_lat, split_list, width_problem,
};
use super::{LoadError, LoadOptions, Loaded, Problem, ProblemKind};
use crate::atlas::PlaceKind;
use crate::model::{
    Casualties, CategoryIdx, DateSpan, Day, Event, Extra, ExtraGroup, ExtraInterner, Source, Text,
};
use crate::model::{DatasetBuilder, Name, NameList, PlaceList, SourceList};
use crate::prefetch::prefetch;

/// A file of fewer rows than this is read whole on the calling thread:
/// starting the reading thread costs more than it saves, and a fuzzer's
/// leak check then sees no thread's bookkeeping.
const ONE_THREAD_ROWS: usize = 4096;

/// Where each ACLED column is in this file's header.
#[derive(Default)]
struct Columns {
    id: Option<usize>,
    date: Option<usize>,
    year: Option<usize>,
    time_precision: Option<usize>,
    disorder_type: Option<usize>,
    event_type: Option<usize>,
    sub_event_type: Option<usize>,
    actor1: Option<usize>,
    assoc_actor_1: Option<usize>,
    inter1: Option<usize>,
    actor2: Option<usize>,
    assoc_actor_2: Option<usize>,
    inter2: Option<usize>,
    interaction: Option<usize>,
    civilian_targeting: Option<usize>,
    region: Option<usize>,
    country: Option<usize>,
    admin1: Option<usize>,
    admin2: Option<usize>,
    admin3: Option<usize>,
    location: Option<usize>,
    latitude: Option<usize>,
    longitude: Option<usize>,
    geo_precision: Option<usize>,
    source: Option<usize>,
    source_scale: Option<usize>,
    notes: Option<usize>,
    fatalities: Option<usize>,
    tags: Option<usize>,
}

impl Columns {
    fn find(header: &[String]) -> Self {
        let c = |names: &[&str]| find_column(header, names);
        Self {
            id: c(&["event_id_cnty"]),
            date: c(&["event_date"]),
            year: c(&["year"]),
            time_precision: c(&["time_precision"]),
            disorder_type: c(&["disorder_type"]),
            event_type: c(&["event_type"]),
            sub_event_type: c(&["sub_event_type"]),
            actor1: c(&["actor1"]),
            assoc_actor_1: c(&["assoc_actor_1", "ally_actor_1"]),
            inter1: c(&["inter1"]),
            actor2: c(&["actor2"]),
            assoc_actor_2: c(&["assoc_actor_2", "ally_actor_2"]),
            inter2: c(&["inter2"]),
            interaction: c(&["interaction"]),
            civilian_targeting: c(&["civilian_targeting"]),
            region: c(&["region"]),
            country: c(&["country"]),
            admin1: c(&["admin1"]),
            admin2: c(&["admin2"]),
            admin3: c(&["admin3"]),
            location: c(&["location"]),
            latitude: c(&["latitude"]),
            longitude: c(&["longitude"]),
            geo_precision: c(&["geo_precision"]),
            source: c(&["source"]),
            source_scale: c(&["source_scale"]),
            notes: c(&["notes"]),
            fatalities: c(&["fatalities"]),
            tags: c(&["tags"]),
        }
    }
}

/// Whether a header line is an ACLED event-level header.
pub fn is_acled_header(table: &Table) -> bool {
    table.column(&["event_id_cnty"]).is_some()
        && table.column(&["event_date"]).is_some()
        && table.column(&["latitude"]).is_some()
}

/// Which ACLED schema a header is, for the report ("ACLED CSV (2023+ schema)").
fn variant(header: &[String], delimiter: u8) -> String {
    let has = |name: &str| find_column(header, &[name]).is_some();
    let upper = header.iter().any(|h| h == "GWNO" || h == "EVENT_ID_CNTY");
    let schema = if upper {
        " (pre-2019 upper-case schema)"
    } else if !has("actor2") {
        " (monadic export)"
    } else if has("disorder_type") {
        " (2023+ schema)"
    } else if has("data_id") || has("event_id_no_cnty") || has("iso3") {
        " (pre-2023 schema)"
    } else {
        ""
    };
    let kind = if delimiter == b'\t' { "TSV" } else { "CSV" };
    format!("ACLED {kind}{schema}")
}

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
    delimiter: u8,
    options: &LoadOptions,
    atlas: impl Into<AtlasWhenNeeded<'a>>,
    progress: Option<&Progress>,
    rows_hint: usize,
) -> Result<Loaded, LoadError> {
    let io = |source| LoadError::Io {
        file: file.to_owned(),
        source,
    };
    let started = Instant::now();
    let mut records = Records::new(input, delimiter, true, progress);
    let mut row = Row::default();
    records.next_into(&mut row).map_err(io)?;
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
    let mut tally = DateTally::new(options.slash_order);
    // A small file is held whole, and then read on this thread alone.
    let mut held = Vec::new();
    let mut ended = false;
    while held.len() < HOLD_ROWS && (held.len() < ONE_THREAD_ROWS || !tally.settled()) {
        if !records.next_into(&mut row).map_err(io)? {
            ended = true;
            break;
        }
        if !tally.settled() {
            tally.count(row.at(columns.date).unwrap_or(""));
        }
        held.push(std::mem::take(&mut row));
    }
    let format = variant(&header, delimiter);
    let mut sink = Sink::new(file, &format, atlas, options.keep_problems);
    let reading = Reading {
        dates: tally.reader(),
        header: header.into(),
        keys: Keys::of(&columns),
        columns,
    };
    let lines: Vec<u32> = held.iter().map(|r| r.line).collect();
    // What the reading thread keeps between rows.
    let mut shared = Shared::default();
    sink.date_note(&reading.dates, &lines, reading.name(reading.columns.date));
    sink.builder.reserve(rows_hint);
    // The hint is a little under the rows; room for a quarter more keeps
    // the table from doubling near the end of the file, when the old and
    // the new table would be held at once at the load's peak.
    let ids = IdTable::with_room_for(rows_hint + rows_hint / 4);
    let mut loader = Acled {
        sink,
        reading: &reading,
        monadic: reading.columns.actor2.is_none(),
        ids,
        coming: Vec::with_capacity(BATCH_ROWS),
        lines: Vec::with_capacity(rows_hint),
        same_hash: HashMap::new(),
        makers: Makers::default(),
        actors: Memo::default(),
        sources: Memo::default(),
        kinds: Memo::default(),
        locations: Memo::default(),
        titles: Memo::default(),
        title_text: String::new(),
    };

    // The rows held back are assembled here; their carrier then goes to
    // the reading thread, whose first rows reuse theirs.
    let mut carrier = Carrier::default();
    let mut held = held.into_iter().peekable();
    while held.peek().is_some() {
        let texts = &mut carrier.texts;
        carrier
            .batch
            .extend((&mut held).take(BATCH_ROWS).map(|row| {
                let hashes = reading.hashes(&row);
                reading.draft(row, hashes, &mut shared, texts)
            }));
        loader.assemble_batch(&mut carrier);
    }
    // Up to HOLD_ROWS were held: a batch's worth is enough to reuse.
    carrier.rows.truncate(BATCH_ROWS);
    let reading = &reading;
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
            // the load waits for). The assembling thread copies the texts out
            // (`exact_copy`), so those faults are taken where there is time.
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
                        let Some((row, hashes)) =
                            ahead.next(&mut records, rows, reading, &shared)?
                        else {
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
        .map_err(io)?
    };
    if let Some(note) = records.encoding_note() {
        loader.sink.report.push(note);
    }
    let read = started.elapsed();
    // The id table and the lines go first: sorting the events needs room.
    let mut loaded = loader.into_sink().finish();
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
    timings.extend(&loaded.timings);
    loaded.timings = timings;
    Ok(loaded)
}

/// What the reading thread keeps between rows: numbers for the cells that
/// recur, by which the assembling thread finds what it made of them
/// before (most rows repeat an earlier row's actors, sources, fields and
/// location).
#[derive(Default)]
struct Shared {
    actors: Numbering,
    sources: Numbering,
    /// The event's fields, type and what happened.
    extras: Numbering,
    locations: Numbering,
    last_day: LastDay,
}

impl Shared {
    /// Asks for the table lines the row's numberings will read.
    fn prefetch_slots(&self, hashes: &RowHashes) {
        self.each_hashed(hashes, Numbering::prefetch_slot);
    }

    /// Asks for the kept lists the row's numberings will compare it with.
    fn prefetch_kept(&self, hashes: &RowHashes) {
        self.each_hashed(hashes, Numbering::prefetch_kept);
    }

    /// `f` of each numbering and the row's hash for it, where it has one.
    fn each_hashed(&self, hashes: &RowHashes, f: impl Fn(&Numbering, u64)) {
        let numberings = [&self.actors, &self.sources, &self.extras, &self.locations];
        for (numbering, hash) in numberings.into_iter().zip(hashes.0) {
            if let Some(hash) = hash {
                f(numbering, hash);
            }
        }
    }
}

/// The hashes of a row's recurring cells ([`Numbering::hash`]), taken as
/// it is split, some rows before it is drafted.
#[derive(Clone, Copy)]
struct RowHashes([Option<u64>; 4]);

/// How many rows the reading thread splits ahead of the one it drafts.
const LOOKAHEAD: usize = 8;

/// How many pops ahead the reading thread asks for the buffers of a row it
/// will reuse ([`Row::prefetch`]).
const REUSED_AHEAD: usize = 5;

/// The rows the reading thread has split but not yet drafted.
///
/// What a row's numberings read (their tables' lines, then the kept lists
/// those point to) was written long before and is out of the cache by the
/// time the row comes, the file having streamed through it since. Split
/// [`LOOKAHEAD`] rows early, a row's table lines are asked for as it is
/// split, and its kept lists halfway to its turn, once the lines are in.
#[derive(Default)]
struct SplitAhead {
    coming: std::collections::VecDeque<(Row, RowHashes)>,
    ended: bool,
}

impl SplitAhead {
    /// The next row to draft, with its hashes; `None` at the end of the
    /// input. `spare` holds rows to split into (their buffers reused).
    fn next(
        &mut self,
        records: &mut Records<'_, impl Read>,
        spare: &mut Vec<Row>,
        reading: &Reading,
        shared: &Shared,
    ) -> std::io::Result<Option<(Row, RowHashes)>> {
        while !self.ended && self.coming.len() < LOOKAHEAD {
            let reused_later = spare.len().checked_sub(REUSED_AHEAD);
            if let Some(later) = reused_later.and_then(|i| spare.get(i)) {
                later.prefetch();
            }
            let mut row = spare.pop().unwrap_or_default();
            if !records.next_into(&mut row)? {
                self.ended = true;
                break;
            }
            let hashes = reading.hashes(&row);
            shared.prefetch_slots(&hashes);
            self.coming.push_back((row, hashes));
        }
        if let Some((_, hashes)) = self.coming.get(LOOKAHEAD / 2) {
            shared.prefetch_kept(hashes);
        }
        Ok(self.coming.pop_front())
    }
}

/// The cells each of [`Shared`]'s numberings reads: every cell that what
/// is made of the number depends on.
struct Keys {
    actors: KeyColumns,
    sources: KeyColumns,
    extras: KeyColumns,
    locations: KeyColumns,
}

impl Keys {
    fn of(c: &Columns) -> Self {
        Self {
            actors: KeyColumns::new([c.actor1, c.assoc_actor_1, c.actor2, c.assoc_actor_2]),
            sources: KeyColumns::new([c.source]),
            extras: KeyColumns::new([
                c.time_precision,
                c.disorder_type,
                c.event_type,
                c.sub_event_type,
                c.inter1,
                c.inter2,
                c.interaction,
                c.civilian_targeting,
                c.source_scale,
                c.tags,
            ]),
            locations: KeyColumns::new([
                c.region,
                c.country,
                c.admin1,
                c.admin2,
                c.admin3,
                c.location,
                c.latitude,
                c.longitude,
                c.geo_precision,
            ]),
        }
    }
}

/// A row's date and year cells, and the day they make.
#[derive(Default)]
struct LastDay {
    date: String,
    year: String,
    day: Day,
}

/// What the assembling thread makes the first time it meets an actor,
/// source or field cell: lists of names the builder shares (so an actor in
/// many lists is one name), and the extra fields.
#[derive(Default)]
struct Makers {
    /// The event's and the place's extra fields.
    extras: ExtraInterner,
    /// Buffers reused for each list.
    actors: Vec<Name>,
    sources: Vec<Source>,
}

impl Makers {
    fn actors(&mut self, row: &Row, c: &Columns, builder: &mut DatasetBuilder) -> NameList {
        self.actors.clear();
        add_actors(
            &mut self.actors,
            row.at(c.actor1)
                .into_iter()
                .chain(split_list(row.at(c.assoc_actor_1)))
                .chain(row.at(c.actor2))
                .chain(split_list(row.at(c.assoc_actor_2))),
            |name| builder.name(name),
        );
        builder.actor_list(&self.actors)
    }

    fn sources(&mut self, row: &Row, c: &Columns, builder: &mut DatasetBuilder) -> SourceList {
        self.sources.clear();
        self.sources
            .extend(split_list(row.at(c.source)).map(|name| Source {
                name: builder.name(name),
                ..Source::default()
            }));
        builder.source_list(&self.sources)
    }
}

/// What the assembling thread makes of the event's own fields.
#[derive(Clone)]
struct Kind {
    extra: Option<ExtraGroup>,
    category: CategoryIdx,
    /// What happened, as the [address](Name::address) of the builder's
    /// shared name for the text (with the location it makes the title,
    /// [`Acled::title`]).
    what: usize,
}

/// What `memo` kept for `number`, if it has one.
fn kept<T>(memo: &Memo<T>, number: Option<u32>) -> Option<&T> {
    memo.get(number?)
}

/// What the assembling thread asks for ahead of a row: its id's hash, and
/// the numbers of its actors, sources, kind and location.
struct Coming {
    id_hash: u32,
    numbers: [Option<u32>; 4],
}

impl Coming {
    fn of(draft: &Draft) -> Self {
        let numbers = draft
            .event
            .as_ref()
            .map_or([None; 4], |e| [e.actors, e.sources, e.extra, e.location]);
        Self {
            id_hash: draft.id_hash,
            numbers,
        }
    }
}

/// How many titles are remembered at one location. ACLED has some
/// twenty-five kinds of event, so this is all of them; a file with free
/// text in `sub_event_type` would otherwise have each row search a long
/// list. Past it, a title's text is made again and found by the builder.
const TITLES_PER_LOCATION: usize = 32;

/// Rows handed from the reading thread to the assembling one at a time.
const BATCH_ROWS: usize = 1024;

/// How many rows ahead the assembling thread starts asking for what a row
/// will read ([`Acled::prefetch`]): enough for three trips to memory, one
/// after the other, to end before the row's turn.
const PREFETCH_ROWS: usize = 8;

/// How many batches the reading thread may be ahead of the assembling
/// one. On two busy cores each thread is now and then put aside for a
/// while; a queue this deep lets the other go on meanwhile. Each batch
/// in flight is also a [`Carrier`] that stays allocated to the end, about
/// 1.5 MB: with 32, a million-row load peaked at up to 443 MiB, a hair
/// under the file's 447 MiB; with 16, at 400-413 MiB, and no slower over
/// six interleaved runs (2.20 s median against 2.35 s; 8: 2.33 s, 398 MiB).
const AHEAD: usize = 16;

/// A batch of drafted rows on its way to the assembling thread (with the
/// ids and notes they copied, see [`Draft::id`]), and the same buffers on
/// their way back, drafts and texts emptied, holding the rows to split
/// into again (which keep their cells' buffers).
#[derive(Default)]
struct Carrier {
    rows: Vec<Row>,
    batch: Vec<Draft>,
    texts: String,
}

/// What reading a row needs, shared read-only by both threads.
struct Reading {
    header: Arc<[String]>,
    columns: Columns,
    keys: Keys,
    dates: DateReader,
}

/// One row read on its own: its event without the parts that need the whole
/// file (places, ids, shared fields), and its problems so far.
///
/// A million of them cross from one thread to the other, each copied into
/// its batch and out again: what most rows lack (problems) is boxed, so a
/// draft is about half the size it would be.
struct Draft {
    row: Row,
    /// Where the row's id (or one made up from its line) and its notes
    /// are in the texts of its batch: copied there as the row is read,
    /// one after another, they become the block that the events' texts
    /// share ([`DatasetBuilder::start_block`]), so the assembling thread
    /// neither copies the notes nor reads them.
    id: Range<usize>,
    notes: Range<usize>,
    /// The id's hash, by which the assembling thread finds it
    /// ([`IdTable`]), taken here while the id is at hand.
    id_hash: u32,
    /// `None` when the row is not an event (its problems say why).
    event: Option<Drafted>,
    /// `None` when there are none.
    problems: Option<Box<DraftProblems>>,
}

/// The problems found in a row as it was read on its own.
struct DraftProblems {
    /// The row's width does not match the header (then nothing else is read).
    width: Option<Problem>,
    /// The problem of a missing id, kept apart: a duplicate row reports only it.
    id: RowProblems,
    row: RowProblems,
    /// Problems in the columns after the places (reported after theirs).
    later: RowProblems,
}

impl DraftProblems {
    fn new(line: u32) -> Self {
        Self {
            width: None,
            id: RowProblems::new(line),
            row: RowProblems::new(line),
            later: RowProblems::new(line),
        }
    }

    /// Themselves, boxed, or `None` when there are none.
    fn boxed(self) -> Option<Box<Self>> {
        let none = self.width.is_none()
            && self.id.is_empty()
            && self.row.is_empty()
            && self.later.is_empty();
        (!none).then(|| Box::new(self))
    }
}

/// What a row says of its event that needs no other row, and the numbers
/// of its recurring cells (see [`Shared`]).
struct Drafted {
    date: DateSpan,
    casualties: Option<Casualties>,
    actors: Option<u32>,
    sources: Option<u32>,
    extra: Option<u32>,
    location: Option<u32>,
}

impl Reading {
    fn name(&self, index: Option<usize>) -> &str {
        column_name(&self.header, index)
    }

    /// Reads a row, its id and notes into `texts`.
    fn draft(&self, row: Row, hashes: RowHashes, shared: &mut Shared, texts: &mut String) -> Draft {
        let mut problems = DraftProblems::new(row.line);
        problems.width = width_problem(&self.header, &row);
        let mut draft = Draft {
            id: 0..0,
            id_hash: 0,
            notes: 0..0,
            event: None,
            problems: None,
            row,
        };
        if problems.width.is_none() {
            self.draft_event(&mut draft, hashes, shared, texts, &mut problems);
        }
        draft.problems = problems.boxed();
        draft
    }

    /// Reads the event of a row as wide as the header.
    fn draft_event(
        &self,
        draft: &mut Draft,
        hashes: RowHashes,
        shared: &mut Shared,
        texts: &mut String,
        problems: &mut DraftProblems,
    ) {
        let row = &draft.row;
        let c = &self.columns;
        let id = self.id(row, &mut problems.id);
        draft.id = write_text(texts, &id);
        draft.id_hash = id_hash(&id);
        let Some(date) = self.date(row, &mut problems.row, &mut shared.last_day) else {
            return;
        };
        draft.notes = write_text(texts, row.at(c.notes).unwrap_or_default());
        let (cells, keys) = (&row.cells, &self.keys);
        let [actors, sources, extras, locations] = hashes.0;
        draft.event = Some(Drafted {
            date,
            casualties: self.fatalities(row, &mut problems.later),
            actors: actors.and_then(|h| shared.actors.number_hashed(h, cells, &keys.actors)),
            sources: sources.and_then(|h| shared.sources.number_hashed(h, cells, &keys.sources)),
            extra: extras.and_then(|h| shared.extras.number_hashed(h, cells, &keys.extras)),
            location: locations
                .and_then(|h| shared.locations.number_hashed(h, cells, &keys.locations)),
        });
    }

    /// The hashes of the row's recurring cells, in [`Shared`]'s order.
    fn hashes(&self, row: &Row) -> RowHashes {
        let (cells, keys) = (&row.cells, &self.keys);
        RowHashes([
            Numbering::hash(cells, &keys.actors),
            Numbering::hash(cells, &keys.sources),
            Numbering::hash(cells, &keys.extras),
            Numbering::hash(cells, &keys.locations),
        ])
    }

    /// The ACLED fields of the event the model has no slot for, in codebook
    /// order, as a group shared by every event with the same values.
    fn event_extra(&self, row: &Row, extras: &mut ExtraInterner) -> Option<ExtraGroup> {
        let c = &self.columns;
        let yes = row.at(c.civilian_targeting).map(|_| Cow::Borrowed("yes"));
        let text = |i: Option<usize>| row.at(i).map(Cow::Borrowed);
        let fields = [
            ("time_precision", text(c.time_precision)),
            ("disorder_type", text(c.disorder_type)),
            ("sub_event_type", text(c.sub_event_type)),
            ("inter1", row.at(c.inter1).and_then(inter_label)),
            ("inter2", row.at(c.inter2).and_then(inter_label)),
            (
                "interaction",
                row.at(c.interaction).and_then(interaction_label),
            ),
            ("civilian_targeting", yes),
            ("source_scale", text(c.source_scale)),
            ("tags", text(c.tags)),
        ];
        present_group(&fields, extras)
    }

    /// The fields of the place, likewise.
    fn place_extra(&self, row: &Row, extras: &mut ExtraInterner) -> Option<ExtraGroup> {
        let c = &self.columns;
        let text = |i: Option<usize>| row.at(i).map(Cow::Borrowed);
        let fields = [
            ("region", text(c.region)),
            ("country", text(c.country)),
            ("admin1", text(c.admin1)),
            ("admin2", text(c.admin2)),
            ("admin3", text(c.admin3)),
            ("location", text(c.location)),
            ("geo_precision", text(c.geo_precision)),
        ];
        present_group(&fields, extras)
    }

    fn id<'r>(&self, row: &'r Row, problems: &mut RowProblems) -> Cow<'r, str> {
        row.at(self.columns.id).map_or_else(
            || {
                problems.push(
                    ProblemKind::MissingField,
                    self.name(self.columns.id),
                    "missing; the event is given an id from its line",
                );
                Cow::Owned(format!("line-{}", row.line))
            },
            Cow::Borrowed,
        )
    }

    /// The event's span: `event_date` widened by `time_precision`.
    ///
    /// `last` is the day of the last row whose date and year raised no
    /// problem: exports list events by date, so most rows repeat it.
    fn date(&self, row: &Row, problems: &mut RowProblems, last: &mut LastDay) -> Option<DateSpan> {
        let field = self.name(self.columns.date);
        let Some(text) = row.at(self.columns.date) else {
            let message = "missing; an event needs a date (the row is skipped)";
            problems.push(ProblemKind::MissingField, field, message);
            return None;
        };
        let year = row.at(self.columns.year).unwrap_or_default();
        if last.date == text && last.year == year {
            return Some(self.widen(row, last.day, problems));
        }
        let day = match self.dates.read(text) {
            Ok(span) => span.start,
            Err(message) => {
                let message = format!("{message} (the row is skipped)");
                problems.push(ProblemKind::BadDate, field, message);
                return None;
            }
        };
        let before = problems.len();
        let day = self.check_year(row, text, day, problems);
        if problems.len() == before {
            last.date.clear();
            last.date.push_str(text);
            last.year.clear();
            last.year.push_str(year);
            last.day = day;
        }
        Some(self.widen(row, day, problems))
    }

    /// Cross-checks the date against the `year` column, which also fixes the
    /// century of a two-digit year (`31-12-68` in a 1968 row).
    fn check_year(&self, row: &Row, text: &str, day: Day, problems: &mut RowProblems) -> Day {
        let Some(year) = row
            .at(self.columns.year)
            .and_then(|y| y.parse::<i32>().ok())
        else {
            return day;
        };
        let (y, m, d) = day.ymd();
        if y == year {
            return day;
        }
        if (y - year) % 100 == 0
            && let Some(fixed) = Day::from_ymd(year, m, d)
        {
            return fixed;
        }
        problems.push(
            ProblemKind::BadDate,
            self.name(self.columns.year),
            format!("event_date '{text}' is in {y} but year says {year}; the event_date is used"),
        );
        day
    }

    /// ACLED time precision: 1 the day, 2 a week around it, 3 its month.
    fn widen(&self, row: &Row, day: Day, problems: &mut RowProblems) -> DateSpan {
        match row.at(self.columns.time_precision) {
            None | Some("1") => DateSpan::day(day),
            Some("2") => DateSpan {
                precision: crate::model::Precision::Week,
                ..DateSpan::range(day.offset(-3), day.offset(3), None)
            },
            Some("3") => {
                let (y, m, _) = day.ymd();
                DateSpan::month(y, m).unwrap_or_else(|| DateSpan::day(day))
            }
            Some(other) => {
                problems.push(
                    ProblemKind::BadValue,
                    self.name(self.columns.time_precision),
                    format!("time_precision '{other}' is not 1, 2 or 3; read as 1 (the day)"),
                );
                DateSpan::day(day)
            }
        }
    }

    /// The row's coordinates when both are given and valid.
    fn lon_lat(&self, row: &Row, problems: &mut RowProblems) -> Option<[f64; 2]> {
        let c = &self.columns;
        let (lon, lat) = (
            row.coordinate_at(c.longitude)?,
            row.coordinate_at(c.latitude)?,
        );
        match lon_lat(lon, lat) {
            Ok(p) => Some(p),
            Err((field, message)) => {
                let column = if field == "latitude" {
                    c.latitude
                } else {
                    c.longitude
                };
                problems.push(
                    ProblemKind::BadCoordinate,
                    self.name(column),
                    format!("{message}; the place is looked up by name"),
                );
                None
            }
        }
    }

    fn fatalities(&self, row: &Row, problems: &mut RowProblems) -> Option<Casualties> {
        let text = row.at(self.columns.fatalities)?;
        match text.parse::<u32>() {
            Ok(killed) => Some(Casualties {
                killed: Some(killed),
                ..Casualties::default()
            }),
            Err(_) => {
                problems.push(
                    ProblemKind::BadNumber,
                    self.name(self.columns.fatalities),
                    format!("fatalities '{text}' is not a whole number"),
                );
                None
            }
        }
    }
}

/// The state of one ACLED load that spans rows.
struct Acled<'a, 'r> {
    sink: Sink<'a>,
    reading: &'r Reading,
    monadic: bool,
    /// The first event of each id's hash, by 32 bits of it.
    ids: IdTable,
    /// The id hashes and numbers of the batch being assembled, to ask
    /// for what they will read a few rows early ([`Acled::prefetch`]).
    coming: Vec<Coming>,
    /// The line each event in the builder was read from.
    lines: Vec<u32>,
    /// Ids whose 32 bits another id already had, by name (about a hundred
    /// in a million).
    same_hash: HashMap<String, (u32, u32)>,
    /// Names, lists and fields, made once for each different cell.
    makers: Makers,
    actors: Memo<NameList>,
    sources: Memo<SourceList>,
    /// The event's fields, category and what happened, by the number of
    /// the cells they come from.
    kinds: Memo<Kind>,
    /// The places and place fields made of each location (by its number,
    /// [`Drafted::location`]): a file names a few thousand locations on a
    /// million rows, and the lookups behind them are the assembling
    /// thread's largest cost. Only locations whose lookup raised no problem
    /// are kept, so a row that has one still reports it.
    locations: Memo<(PlaceList, Option<ExtraGroup>)>,
    /// Titles, by the number of where and what happened (see
    /// [`Acled::title`]): a few for each location.
    titles: Memo<Vec<(usize, Name)>>,
    title_text: String,
}

impl<'a> Acled<'a, '_> {
    /// The dataset so far, without what only reading needed.
    fn into_sink(self) -> Sink<'a> {
        self.sink
    }

    /// Assembles the batch `carrier` brings, and leaves in it the rows to
    /// reuse, its drafts and texts emptied.
    fn assemble_batch(&mut self, carrier: &mut Carrier) {
        let Carrier { rows, batch, texts } = carrier;
        self.sink.builder.start_block(exact_copy(texts));
        let mut id = String::new();
        self.coming.clear();
        self.coming.extend(batch.iter().map(Coming::of));
        for n in 0..PREFETCH_ROWS {
            self.prefetch(n);
        }
        for (n, draft) in batch.drain(..).enumerate() {
            self.prefetch(n + PREFETCH_ROWS);
            id.clear();
            id.push_str(self.sink.builder.block_text(draft.id.clone()));
            rows.push(self.assemble(draft, &id));
        }
    }

    /// Asks for what the rows to come will read, in three steps a few rows
    /// apart, each once the one before has brought in what it reads: the
    /// row's entry in the id table, and its memos' slots; then the counts
    /// of the lists and fields those hold (a clone writes them); then the
    /// count of its title. A million rows stream through the cache between
    /// two rows that share a location, so each of these would otherwise
    /// be a trip to memory, made while the row waits.
    fn prefetch(&self, row: usize) {
        if let Some(coming) = self.coming.get(row) {
            self.prefetch_slots(coming);
        }
        if let Some(coming) = row
            .checked_sub(PREFETCH_ROWS / 2)
            .and_then(|r| self.coming.get(r))
        {
            self.prefetch_counts(coming);
        }
        let title_row = row.checked_sub(PREFETCH_ROWS * 3 / 4);
        if let Some(coming) = title_row.and_then(|r| self.coming.get(r)) {
            self.prefetch_title(coming);
        }
    }

    fn prefetch_slots(&self, coming: &Coming) {
        self.ids.prefetch(coming.id_hash);
        let [actors, sources, kind, location] = coming.numbers;
        self.actors.prefetch(actors);
        self.sources.prefetch(sources);
        self.kinds.prefetch(kind);
        self.locations.prefetch(location);
        self.titles.prefetch(location);
    }

    fn prefetch_counts(&self, coming: &Coming) {
        let [actors, sources, kind, location] = coming.numbers;
        if let Some(list) = kept(&self.actors, actors) {
            list.prefetch();
        }
        if let Some(list) = kept(&self.sources, sources) {
            list.prefetch();
        }
        if let Some(Some(extra)) = kept(&self.kinds, kind).map(|k| &k.extra) {
            prefetch(&**extra);
        }
        if let Some((places, extra)) = kept(&self.locations, location) {
            places.prefetch();
            if let Some(extra) = extra {
                prefetch(&**extra);
            }
        }
        if let Some(first) = kept(&self.titles, location).and_then(|t| t.first()) {
            prefetch(first);
        }
    }

    fn prefetch_title(&self, coming: &Coming) {
        let [_, _, kind, location] = coming.numbers;
        let what = kept(&self.kinds, kind).map(|k| k.what);
        if let Some(title) = what.and_then(|what| self.known_title(what, location)) {
            title.prefetch();
        }
    }

    /// The title made before for what happened at this location.
    fn known_title(&self, what: usize, location: Option<u32>) -> Option<&Name> {
        kept(&self.titles, location)?
            .iter()
            .find(|(w, _)| *w == what)
            .map(|(_, title)| title)
    }

    /// Adds a drafted row's event (or its problems) to the dataset, and
    /// gives the row back for reuse. `id` is the text of its id.
    fn assemble(&mut self, draft: Draft, id: &str) -> Row {
        self.sink.report.rows += 1;
        let Draft {
            row,
            id: id_at,
            id_hash,
            notes,
            event,
            problems,
        } = draft;
        let DraftProblems {
            width,
            id: mut id_problem,
            row: mut problems,
            later: later_problems,
        } = problems.map_or_else(|| DraftProblems::new(row.line), |p| *p);
        if let Some(problem) = width {
            self.sink.report.push(problem);
            return row;
        }
        let index = u32::try_from(self.sink.builder.len()).unwrap_or(u32::MAX);
        let here = (index, row.line);
        if let Some((first, first_line)) = self.first_seen(id, id_hash, here, event.is_some()) {
            self.duplicate(&row, first, first_line, &mut id_problem);
            id_problem.flush(&mut self.sink.report, Some(id));
            return row;
        }
        id_problem.flush(&mut self.sink.report, event.as_ref().map(|_| id));
        let Some(drafted) = event else {
            problems.flush(&mut self.sink.report, None);
            return row;
        };
        let (places, place_extra) = self.places_of(&row, drafted.location, &mut problems);
        let reading = self.reading;
        let c = &reading.columns;
        let makers = &mut self.makers;
        let builder = &mut self.sink.builder;
        let actors = self
            .actors
            .get_or_make(drafted.actors, || makers.actors(&row, c, builder));
        let sources = self
            .sources
            .get_or_make(drafted.sources, || makers.sources(&row, c, builder));
        let kind = self.kinds.get_or_make(drafted.extra, || Kind {
            extra: reading.event_extra(&row, &mut makers.extras),
            category: builder.category(row.at(c.event_type).unwrap_or("")),
            what: builder.name(what_happened(&row, c)).address(),
        });
        let event = Event {
            title: self.title(&row, kind.what, drafted.location),
            // The id and summary are the row's, handed to the builder below.
            summary: Text::default(),
            casualties: drafted.casualties,
            sources,
            extra: Extra::from_groups(kind.extra, place_extra),
            quotes: Default::default(),
            id: Text::default(),
            date: drafted.date,
            places,
            actors,
            category: kind.category,
        };
        problems.flush(&mut self.sink.report, Some(id));
        later_problems.flush(&mut self.sink.report, Some(id));
        self.sink.builder.push_with_spans(event, 0, id_at, notes);
        self.lines.push(row.line);
        row
    }

    /// Where an event with this id was first read, if one was; otherwise,
    /// when `is_event`, remembers that it is read now, at `here` (index in
    /// the builder, line). One probe of the table either way: with a
    /// million ids it does not fit in the cache, so probes are what cost.
    fn first_seen(
        &mut self,
        id: &str,
        hash: u32,
        here: (u32, u32),
        is_event: bool,
    ) -> Option<(u32, u32)> {
        match self.ids.find_or_keep(hash, is_event.then_some(here.0)) {
            Seen::First => None,
            Seen::Before(index) => {
                let builder = &self.sink.builder;
                if builder.id_of(index as usize) == Some(id) {
                    let line = self.lines.get(index as usize).copied().unwrap_or(0);
                    return Some((index, line));
                }
                // Another id with the same hash: keep this one by name.
                if let Some(&found) = self.same_hash.get(id) {
                    return Some(found);
                }
                if is_event {
                    self.same_hash.insert(id.to_owned(), here);
                }
                None
            }
        }
    }

    /// A monadic export repeats an event once per actor: add this row's
    /// actors to it. Elsewhere a repeated id is a mistake in the file.
    fn duplicate(&mut self, row: &Row, index: u32, first_line: u32, problems: &mut RowProblems) {
        let c = &self.reading.columns;
        if self.monadic {
            let builder = &mut self.sink.builder;
            let Some(mut list) = builder.event_mut(index as usize).map(|e| e.actors.to_vec())
            else {
                return;
            };
            let actors = row
                .at(c.actor1)
                .into_iter()
                .chain(split_list(row.at(c.assoc_actor_1)));
            add_actors(&mut list, actors, |name| builder.name(name));
            let list = builder.actor_list(&list);
            if let Some(event) = builder.event_mut(index as usize) {
                event.actors = list;
            }
            return;
        }
        let id = row.at(c.id).unwrap_or_default();
        problems.push(
            ProblemKind::Duplicate,
            self.reading.name(c.id),
            format!(
                "duplicate event_id_cnty '{id}' (first on line {first_line}); the row is skipped"
            ),
        );
    }

    /// The row's places and place fields: as an earlier row with the same
    /// location cells had them, or read and looked up (and remembered when
    /// neither the coordinates nor the lookup raised a problem, so a row
    /// with one still reports it).
    fn places_of(
        &mut self,
        row: &Row,
        location: Option<u32>,
        problems: &mut RowProblems,
    ) -> (PlaceList, Option<ExtraGroup>) {
        if let Some((places, extra)) = location.and_then(|n| self.locations.get(n)) {
            return (places.clone(), extra.clone());
        }
        let before = problems.len();
        let lon_lat = self.reading.lon_lat(row, problems);
        let places = self.places(row, lon_lat, problems);
        let places = self.sink.builder.place_list(&places);
        let extra = self.reading.place_extra(row, &mut self.makers.extras);
        if let Some(n) = location
            && problems.len() == before
        {
            self.locations.keep(n, (places.clone(), extra.clone()));
        }
        (places, extra)
    }

    /// "Air/drone strike in Buuraha Cali Miskat": what happened and where,
    /// made once for each pair of the two (up to [`TITLES_PER_LOCATION`]
    /// at a location), and one name for each text.
    fn title(&mut self, row: &Row, what: usize, location: Option<u32>) -> Name {
        if let Some(found) = self.known_title(what, location) {
            return found.clone();
        }
        let c = &self.reading.columns;
        let text = &mut self.title_text;
        text.clear();
        text.push_str(what_happened(row, c));
        if let Some(place) = row.at(c.location).or(row.at(c.admin1)) {
            text.push_str(" in ");
            text.push_str(place);
        }
        let title = self.sink.builder.name(text);
        if let Some(titles) = location.and_then(|n| self.titles.get_mut_or_default(n))
            && titles.len() < TITLES_PER_LOCATION
        {
            titles.push((what, title.clone()));
        }
        title
    }

    /// The coordinates when valid, else the location (then admin1) by name.
    fn places(
        &mut self,
        row: &Row,
        lon_lat: Option<[f64; 2]>,
        problems: &mut RowProblems,
    ) -> Vec<u32> {
        let reading = self.reading;
        let c = &reading.columns;
        let name = row.at(c.location).or(row.at(c.admin1)).unwrap_or("");
        let country = row.at(c.country);
        if lon_lat.is_none() && name.is_empty() {
            problems.push(
                ProblemKind::MissingField,
                reading.name(c.latitude),
                "no coordinates and no location; the event is on the timeline only",
            );
            return Vec::new();
        }
        let spec = PlaceSpec {
            name,
            kind: Some(PlaceKind::City),
            country,
            lon_lat,
            area: None,
        };
        let field = reading.name(c.location);
        if lon_lat.is_some() {
            return vec![self.sink.place(&spec, field, problems)];
        }
        if let Some(idx) = self.sink.try_place(&spec) {
            return vec![idx];
        }
        match self.admin1(row, country) {
            Some((idx, admin1)) => {
                let message = self.sink.missing_message(&spec);
                self.sink.report.unresolved(name);
                let message = message.unwrap_or_else(|| format!("place '{name}' not found"));
                let message = format!("{message} (placed in its admin1, {admin1})");
                problems.push(ProblemKind::UnknownPlace, field, message);
                vec![idx]
            }
            None => vec![self.sink.place(&spec, field, problems)],
        }
    }

    /// The row's admin1 as a province (its polygon), when it resolves.
    fn admin1<'w>(&mut self, row: &'w Row, country: Option<&str>) -> Option<(u32, &'w str)> {
        let name = row.at(self.reading.columns.admin1)?;
        let province = PlaceSpec {
            name,
            kind: Some(PlaceKind::Province),
            country,
            lon_lat: None,
            area: None,
        };
        Some((self.sink.try_place(&province)?, name))
    }
}

/// The shared group of the fields that have a value.
fn present_group(
    fields: &[(&'static str, Option<Cow<'_, str>>)],
    extras: &mut ExtraInterner,
) -> Option<crate::model::ExtraGroup> {
    let mut pairs: [(&str, &str); 9] = [("", ""); 9];
    let mut n = 0;
    for (key, value) in fields {
        if let (Some(value), Some(slot)) = (value.as_deref(), pairs.get_mut(n)) {
            *slot = (key, value);
            n += 1;
        }
    }
    extras.group(pairs.get(..n).unwrap_or_default())
}

/// The hash an event id is looked up by.
fn id_hash(id: &str) -> u32 {
    // The high half: the multiply leaves its best-mixed bits there.
    u32::try_from(crate::model::fast_hash::hash_one(&id) >> 32).unwrap_or(0)
}

/// What `texts` holds, in a string of its exact size (which a block hands
/// over rather than copies, [`TextBlock::written`]); `texts` is emptied
/// for the next batch.
///
/// [`TextBlock::written`]: crate::model::TextBlock::written
fn exact_copy(texts: &mut String) -> String {
    let copy = texts.as_str().to_owned();
    texts.clear();
    copy
}

/// Appends `text` to `texts`, and says where it is.
fn write_text(texts: &mut String, text: &str) -> Range<usize> {
    let start = texts.len();
    texts.push_str(text);
    start..texts.len()
}

/// What happened, for the title: the sub-event type, else the event type.
fn what_happened<'r>(row: &'r Row, c: &Columns) -> &'r str {
    row.at(c.sub_event_type)
        .or(row.at(c.event_type))
        .unwrap_or("Event")
}

fn add_actors<'a>(
    actors: &mut Vec<Name>,
    names: impl IntoIterator<Item = &'a str>,
    mut make: impl FnMut(&str) -> Name,
) {
    for name in names {
        if !actors.iter().any(|a| a == name) {
            actors.push(make(name));
        }
    }
}

/// ACLED's actor-type codes (numeric before mid-2024, text since).
const INTER_LABELS: [&str; 8] = [
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
];

/// `3` → "Political militia"; text passes through; `0` means no actor.
fn inter_label(value: &str) -> Option<Cow<'_, str>> {
    match value.parse::<usize>() {
        Ok(0) => None,
        Ok(n) => Some(
            INTER_LABELS
                .get(n - 1)
                .map_or(Cow::Borrowed(value), |s| Cow::Borrowed(*s)),
        ),
        Err(_) => Some(Cow::Borrowed(value)),
    }
}

/// `17` → "State forces-Civilians", `10` → "State forces only"; text passes through.
fn interaction_label(value: &str) -> Option<Cow<'_, str>> {
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Cow::Borrowed(value));
    }
    let digits: Vec<usize> = value.bytes().map(|b| usize::from(b - b'0')).collect();
    let label = |n: usize| INTER_LABELS.get(n.checked_sub(1)?).copied();
    match digits.as_slice() {
        [0] => None,
        [a, 0] => label(*a).map(|a| Cow::Owned(format!("{a} only"))),
        [a, b] => match (label(*a), label(*b)) {
            (Some(a), Some(b)) => Some(Cow::Owned(format!("{a}-{b}"))),
            _ => Some(Cow::Borrowed(value)),
        },
        _ => Some(Cow::Borrowed(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let loaded = parse_stream(
            "a.csv",
            text.as_bytes(),
            b',',
            &LoadOptions::default(),
            crate::atlas::Atlas::embedded(),
            None,
            0,
        )
        .expect("the rows load");
        let events = &loaded.dataset.events;
        assert_eq!(events.len(), 2 * kinds);
        for event in events {
            let kind = event.id.split('-').nth(1).expect("the id names its kind");
            assert_eq!(&*event.title, format!("Kind {kind} in Khost"));
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
            let loaded = parse_stream(
                "a.csv",
                text.as_bytes(),
                b',',
                &crate::load::LoadOptions::default(),
                crate::atlas::Atlas::embedded(),
                None,
                0,
            )
            .expect("the rows load");
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
        use std::cell::Cell;

        let fetched = Cell::new(0);
        let fetch = || {
            fetched.set(fetched.get() + 1);
            Atlas::embedded()
        };
        let load = |rows: &str| {
            let text =
                format!("event_id_cnty,event_date,location,country,latitude,longitude\n{rows}");
            let atlas = AtlasWhenNeeded::Later(&fetch);
            parse_stream(
                "a.csv",
                text.as_bytes(),
                b',',
                &LoadOptions::default(),
                atlas,
                None,
                0,
            )
            .expect("the rows load")
        };

        let located = load("AFG1,2025-11-24,Khost,Afghanistan,33.34,69.92\n");
        assert_eq!(fetched.get(), 0);
        let place = &located.dataset.places[0];
        assert_eq!(place.name, "Khost");
        assert!(matches!(place.location, Some(Location::Point { .. })));

        let named = load("AFG2,2025-11-24,Khost,Afghanistan,,\n");
        assert!(fetched.get() > 0);
        // The gazetteer's place, by its own spelling.
        let place = &named.dataset.places[0];
        assert_eq!(place.name, "Khōst");
        assert!(place.location.is_some());
    }
}
