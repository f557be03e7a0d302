//! The reading thread's side of an ACLED load: each row split, its own
//! values read into a [`Draft`], the cells that recur numbered.

use super::*;

/// What the reading thread keeps between rows: numbers for the cells that
/// recur, by which the assembling thread finds what it made of them
/// before (most rows repeat an earlier row's actors, sources, fields and
/// location).
pub(super) struct Shared {
    /// Actors, sources, the event's fields (type and what happened), and
    /// the location, in that order ([`recurring_keys`]).
    pub(super) numberings: Numberings,
    pub(super) last_day: LastDay,
}

impl Shared {
    pub(super) fn new(c: &Columns) -> Self {
        Self {
            numberings: Numberings::new(recurring_keys(c).into()),
            last_day: LastDay::default(),
        }
    }

    /// The hashes of the row's recurring cells (none for cells that have
    /// stopped recurring); the table lines their lookups read are asked
    /// for.
    pub(super) fn hashes(&self, row: &Row) -> RowHashes {
        let mut hashes = [None; 4];
        self.numberings.hash(&row.cells, &mut hashes);
        RowHashes(hashes)
    }
}

/// The hashes of a row's recurring cells ([`Numbering::hash`]), taken as
/// it is split, some rows before it is drafted.
#[derive(Clone, Copy)]
pub(super) struct RowHashes([Option<u64>; 4]);

/// How many rows the reading thread splits ahead of the one it drafts.
pub(super) const LOOKAHEAD: usize = 8;

/// How many pops ahead the reading thread asks for the buffers of a row it
/// will reuse ([`Row::prefetch_to_write`]).
pub(super) const REUSED_AHEAD: usize = 5;

/// The rows the reading thread has split but not yet drafted.
///
/// What a row's numberings read (their tables' lines, then the kept lists
/// those point to) was written long before and is out of the cache by the
/// time the row comes, the file having streamed through it since. Split
/// [`LOOKAHEAD`] rows early, a row's table lines are asked for as it is
/// split, and its kept lists halfway to its turn, once the lines are in.
#[derive(Default)]
pub(super) struct SplitAhead {
    pub(super) coming: std::collections::VecDeque<(Row, RowHashes)>,
    pub(super) ended: bool,
}

impl SplitAhead {
    /// The next row to draft, with its hashes; `None` at the end of the
    /// input. `spare` holds rows to split into (their buffers reused).
    pub(super) fn next(
        &mut self,
        records: &mut Records<'_, impl Read>,
        spare: &mut Vec<Row>,
        shared: &Shared,
    ) -> std::io::Result<Option<(Row, RowHashes)>> {
        while !self.ended && self.coming.len() < LOOKAHEAD {
            let reused_later = spare.len().checked_sub(REUSED_AHEAD);
            if let Some(later) = reused_later.and_then(|i| spare.get(i)) {
                later.prefetch_to_write();
            }
            let mut row = spare.pop().unwrap_or_default();
            if !records.next_into(&mut row)? {
                self.ended = true;
                break;
            }
            let hashes = shared.hashes(&row);
            self.coming.push_back((row, hashes));
        }
        if let Some((_, hashes)) = self.coming.get(LOOKAHEAD / 2) {
            shared.numberings.prefetch_kept(&hashes.0);
        }
        Ok(self.coming.pop_front())
    }
}

/// The cells each of [`Shared`]'s numberings reads: every cell that what
/// is made of the number depends on.
fn recurring_keys(c: &Columns) -> [KeyColumns; 4] {
    [
        KeyColumns::new([c.actor1, c.assoc_actor_1, c.actor2, c.assoc_actor_2]),
        KeyColumns::new([c.source]),
        KeyColumns::new([
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
        KeyColumns::new([
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
    ]
}

/// A row's date and year cells, and the day they make.
#[derive(Default)]
pub(super) struct LastDay {
    pub(super) date: String,
    pub(super) year: String,
    pub(super) day: Day,
}

/// A batch of drafted rows on its way to the assembling thread (with the
/// ids and notes they copied, see [`Draft::id`]), and the same buffers on
/// their way back, drafts and texts emptied, holding the rows to split
/// into again (which keep their cells' buffers).
#[derive(Default)]
pub(super) struct Carrier {
    pub(super) rows: Vec<Row>,
    pub(super) batch: Vec<Draft>,
    pub(super) texts: String,
}

/// What reading a row needs, shared read-only by both threads.
pub(super) struct Reading {
    pub(super) header: Arc<[String]>,
    pub(super) columns: Columns,
    /// The columns no field of the model reads, and their names.
    pub(super) own: Vec<Option<usize>>,
    pub(super) own_keys: ExtraKeys,
    pub(super) dates: DateReader,
}

/// One row read on its own: its event without the parts that need the whole
/// file (places, ids, shared fields), and its problems so far.
///
/// A million of them cross from one thread to the other, each copied into
/// its batch and out again: what most rows lack (problems) is boxed, so a
/// draft is about half the size it would be.
pub(super) struct Draft {
    pub(super) row: Row,
    /// Where the row's id (or one made up from its line) and its notes
    /// are in the texts of its batch: copied there as the row is read,
    /// one after another, the batch's texts are handed to the builder
    /// whole ([`DatasetBuilder::start_block`]), which copies each event's
    /// into its columns.
    pub(super) id: Range<usize>,
    pub(super) notes: Range<usize>,
    /// The id's hash, by which the assembling thread finds it
    /// ([`IdTable`]), taken here while the id is at hand.
    pub(super) id_hash: u32,
    /// `None` when the row is not an event (its problems say why).
    pub(super) event: Option<Drafted>,
    /// `None` when there are none.
    pub(super) problems: Option<Box<DraftProblems>>,
}

/// The problems found in a row as it was read on its own.
pub(super) struct DraftProblems {
    /// The row's width does not match the header (then nothing else is read).
    pub(super) width: Option<Problem>,
    /// The problem of a missing id, kept apart: a duplicate row reports only it.
    pub(super) id: RowProblems,
    pub(super) row: RowProblems,
    /// Problems in the columns after the places (reported after theirs).
    pub(super) later: RowProblems,
}

impl DraftProblems {
    pub(super) fn new(line: u32) -> Self {
        Self {
            width: None,
            id: RowProblems::new(line),
            row: RowProblems::new(line),
            later: RowProblems::new(line),
        }
    }

    /// Themselves, boxed, or `None` when there are none.
    pub(super) fn boxed(self) -> Option<Box<Self>> {
        let none = self.width.is_none()
            && self.id.is_empty()
            && self.row.is_empty()
            && self.later.is_empty();
        (!none).then(|| Box::new(self))
    }
}

/// What a row says of its event that needs no other row, and the numbers
/// of its recurring cells (see [`Shared`]).
pub(super) struct Drafted {
    pub(super) date: DateSpan,
    pub(super) casualties: Option<Casualties>,
    pub(super) actors: Option<u32>,
    pub(super) sources: Option<u32>,
    pub(super) extra: Option<u32>,
    pub(super) location: Option<u32>,
}

impl Reading {
    pub(super) fn name(&self, index: Option<usize>) -> &str {
        column_name(&self.header, index)
    }

    /// Reads a row, its id and notes into `texts`.
    pub(super) fn draft(
        &self,
        row: Row,
        hashes: RowHashes,
        shared: &mut Shared,
        texts: &mut String,
    ) -> Draft {
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
    pub(super) fn draft_event(
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
        let mut numbers = [None; 4];
        shared
            .numberings
            .number(&row.cells, &hashes.0, &mut numbers);
        let [actors, sources, extra, location] = numbers;
        draft.event = Some(Drafted {
            date,
            casualties: self.fatalities(row, &mut problems.later),
            actors,
            sources,
            extra,
            location,
        });
    }

    /// The ACLED fields of the event the model has no slot for, in codebook
    /// order, as a group shared by every event with the same values.
    pub(super) fn event_extra(&self, row: &Row, extras: &mut ExtraInterner) -> Option<ExtraGroup> {
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

    /// Whether the file has columns the loader does not read, kept beside
    /// the location's own fields ([`own_columns`]).
    pub(super) fn has_others(&self) -> bool {
        self.own.len() > PLACE_OWN_FIELDS
    }

    /// The location's own fields (its name and precision), when the file
    /// has no other columns of its own: then the event's own fields.
    pub(super) fn place_own(&self, row: &Row) -> Option<ExtraGroup> {
        if self.has_others() {
            return None;
        }
        crate::model::Fields::new(&self.own_keys, self.own.iter().map(|&i| row.at(i)))
    }

    /// The fields of the place's areas, likewise (its location and
    /// precision are the event's own fields, [`own_columns`]).
    pub(super) fn place_extra(&self, row: &Row, extras: &mut ExtraInterner) -> Option<ExtraGroup> {
        let c = &self.columns;
        let text = |i: Option<usize>| row.at(i).map(Cow::Borrowed);
        let fields = [
            ("region", text(c.region)),
            ("country", text(c.country)),
            ("admin1", text(c.admin1)),
            ("admin2", text(c.admin2)),
            ("admin3", text(c.admin3)),
        ];
        present_group(&fields, extras)
    }

    pub(super) fn id<'r>(&self, row: &'r Row, problems: &mut RowProblems) -> Cow<'r, str> {
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
    pub(super) fn date(
        &self,
        row: &Row,
        problems: &mut RowProblems,
        last: &mut LastDay,
    ) -> Option<DateSpan> {
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
    pub(super) fn check_year(
        &self,
        row: &Row,
        text: &str,
        day: Day,
        problems: &mut RowProblems,
    ) -> Day {
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
    pub(super) fn widen(&self, row: &Row, day: Day, problems: &mut RowProblems) -> DateSpan {
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
    pub(super) fn lon_lat(&self, row: &Row, problems: &mut RowProblems) -> Option<[f64; 2]> {
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

    pub(super) fn fatalities(&self, row: &Row, problems: &mut RowProblems) -> Option<Casualties> {
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

/// Appends `text` to `texts`, and says where it is.
pub(super) fn write_text(texts: &mut String, text: &str) -> Range<usize> {
    let start = texts.len();
    texts.push_str(text);
    start..texts.len()
}
