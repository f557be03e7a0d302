//! The assembling thread's side of an ACLED load: drafts become events,
//! sharing what earlier rows made (places, titles, lists, fields).

use super::*;

/// What the assembling thread makes the first time it meets an actor,
/// source or field cell: lists of names the builder shares (so an actor in
/// many lists is one name), and the extra fields.
#[derive(Default)]
pub(super) struct Makers {
    /// The event's and the place's extra fields.
    pub(super) extras: ExtraInterner,
    /// The event's own fields: its location's, and those of the columns
    /// no field of the model reads.
    pub(super) own: ExtraInterner,
    /// Buffers reused for each list.
    pub(super) actors: Vec<Name>,
    pub(super) sources: Vec<Source>,
}

impl Makers {
    pub(super) fn actors(
        &mut self,
        row: &Row,
        c: &Columns,
        builder: &mut DatasetBuilder,
    ) -> NameList {
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

    pub(super) fn sources(
        &mut self,
        row: &Row,
        c: &Columns,
        builder: &mut DatasetBuilder,
    ) -> SourceList {
        self.sources.clear();
        self.sources
            .extend(split_list(row.at(c.source)).map(|name| Source {
                name: builder.name(name),
                ..Source::default()
            }));
        builder.source_list(&self.sources)
    }
}

/// What the assembling thread makes of a row's location cells: the same
/// for every row with the same cells.
#[derive(Clone)]
pub(super) struct Located {
    pub(super) places: PlaceList,
    /// The fields of the place's admin areas, shared by the places in them.
    pub(super) areas: Option<ExtraGroup>,
    /// The location and its precision, the event's own fields when the
    /// file has no columns of its own ([`Reading::has_others`]).
    pub(super) own: Option<ExtraGroup>,
}

/// What the assembling thread makes of the event's own fields.
#[derive(Clone)]
pub(super) struct Kind {
    pub(super) extra: Option<ExtraGroup>,
    pub(super) category: CategoryIdx,
    /// What happened, as the [address](Name::address) of the builder's
    /// shared name for the text (with the location it makes the title,
    /// [`Acled::title`]).
    pub(super) what: usize,
}

/// What `memo` kept for `number`, if it has one.
pub(super) fn kept<T>(memo: &Memo<T>, number: Option<u32>) -> Option<&T> {
    memo.get(number?)
}

/// What the assembling thread asks for ahead of a row: its id's hash, and
/// the numbers of its actors, sources, kind and location.
pub(super) struct Coming {
    pub(super) id_hash: u32,
    pub(super) numbers: [Option<u32>; 4],
}

impl Coming {
    pub(super) fn of(draft: &Draft) -> Self {
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
pub(super) const TITLES_PER_LOCATION: usize = 32;

/// How many rows ahead a join asks for the id table's lines.
const ID_LOOKAHEAD: usize = 8;

/// The state of one ACLED load that spans rows.
pub(super) struct Acled<'a, 'r> {
    pub(super) sink: Sink<'a>,
    pub(super) reading: &'r Reading,
    pub(super) monadic: bool,
    /// The first event of each id's hash, by 32 bits of it.
    pub(super) ids: IdTable,
    /// The id hashes and numbers of the batch being assembled, to ask
    /// for what they will read a few rows early ([`Acled::prefetch`]).
    pub(super) coming: Vec<Coming>,
    /// The line each event in the builder was read from.
    pub(super) lines: Vec<u32>,
    /// Ids whose 32 bits another id already had, by name (about a hundred
    /// in a million).
    pub(super) same_hash: HashMap<String, (u32, u32)>,
    /// Names, lists and fields, made once for each different cell.
    pub(super) makers: Makers,
    pub(super) actors: Memo<NameList>,
    pub(super) sources: Memo<SourceList>,
    /// The event's fields, category and what happened, by the number of
    /// the cells they come from.
    pub(super) kinds: Memo<Kind>,
    /// The places and place fields made of each location (by its number,
    /// [`Drafted::location`]): a file names a few thousand locations on a
    /// million rows, and the lookups behind them are the assembling
    /// thread's largest cost. Only locations whose lookup raised no problem
    /// are kept, so a row that has one still reports it.
    pub(super) locations: Memo<Located>,
    /// Titles, by the number of where and what happened (see
    /// [`Acled::title`]): a few for each location.
    pub(super) titles: Memo<Vec<(usize, Name)>>,
    pub(super) title_text: String,
    /// The ids of the rows that were looked up without becoming events,
    /// with their hashes and lines, where they are kept: a part of a file
    /// read beside the others keeps them, so that the join can tell
    /// whether an earlier part had them ([`Acled::meets`]).
    pub(super) looked_up: Option<Vec<(u32, u32, Box<str>)>>,
}

impl<'a, 'r> Acled<'a, 'r> {
    /// A load into `sink` of a file (or a part of it) of about `rows`
    /// rows, read as `reading` says.
    pub(super) fn new(mut sink: Sink<'a>, reading: &'r Reading, rows: usize) -> Self {
        sink.builder.reserve(rows);
        Self {
            sink,
            reading,
            monadic: reading.columns.actor2.is_none(),
            // The hint is a little under the rows; room for a quarter more
            // keeps the table from doubling near the end of the file, when
            // the old and the new table would be held at once at the
            // load's peak.
            ids: IdTable::with_room_for(rows + rows / 4),
            coming: Vec::with_capacity(BATCH_ROWS),
            lines: Vec::with_capacity(rows),
            same_hash: HashMap::new(),
            makers: Makers::default(),
            actors: Memo::default(),
            sources: Memo::default(),
            kinds: Memo::default(),
            locations: Memo::default(),
            titles: Memo::default(),
            title_text: String::new(),
            looked_up: None,
        }
    }

    /// Whether a later part of the file has a row whose id an event of
    /// this load had: one reading would have made that row a duplicate
    /// (or, in a monadic export, the earlier event's next actor), so the
    /// part cannot be joined as it was read.
    pub(super) fn meets(&mut self, later: &Acled<'_, '_>) -> bool {
        let builder = &later.sink.builder;
        let events = later.lines.iter().enumerate().filter_map(|(i, &line)| {
            let id = builder.id_of(i)?;
            Some((id_hash(id), line, id))
        });
        let looked_up = later.looked_up.iter().flatten();
        let rows = events.chain(looked_up.map(|(hash, line, id)| (*hash, *line, &**id)));
        // Each lookup is a trip to memory: the table's line of a row a few
        // rows on is asked for before the row's turn.
        let mut coming = std::collections::VecDeque::with_capacity(ID_LOOKAHEAD);
        for row in rows {
            self.ids.prefetch(row.0);
            coming.push_back(row);
            if coming.len() < ID_LOOKAHEAD {
                continue;
            }
            if let Some((hash, line, id)) = coming.pop_front()
                && self.first_seen(id, hash, (u32::MAX, line), false).is_some()
            {
                return true;
            }
        }
        coming
            .into_iter()
            .any(|(hash, line, id)| self.first_seen(id, hash, (u32::MAX, line), false).is_some())
    }

    /// Adds a later part of the file, which [`Acled::meets`] found can be
    /// joined: its events after these, their ids kept for the parts after
    /// it when there are any (`more`).
    pub(super) fn join(&mut self, later: Acled<'a, '_>, more: bool) {
        let first = self.sink.builder.len();
        let builder = &later.sink.builder;
        for (i, &line) in later.lines.iter().enumerate().filter(|_| more) {
            let (Some(id), Ok(index)) = (builder.id_of(i), u32::try_from(first + i)) else {
                continue;
            };
            self.first_seen(id, id_hash(id), (index, line), true);
        }
        self.lines.extend(&later.lines);
        let sink = later.into_sink();
        self.sink.builder.append(sink.builder);
        self.sink.report.append(sink.report);
    }

    /// The dataset so far, without what only reading needed.
    pub(super) fn into_sink(self) -> Sink<'a> {
        self.sink
    }

    /// Assembles the batch `carrier` brings, and leaves in it the rows to
    /// reuse, its drafts and texts emptied.
    pub(super) fn assemble_batch(&mut self, carrier: &mut Carrier) {
        let Carrier { rows, batch, texts } = carrier;
        self.sink.builder.start_block(texts);
        let mut id = String::new();
        self.coming.clear();
        self.coming.extend(batch.iter().map(Coming::of));
        for n in 0..PREFETCH_ROWS {
            self.prefetch(n);
        }
        for draft in batch.iter().take(PREFETCH_ROWS / 2) {
            self.prefetch_row(draft);
        }
        let mut drafts = batch.drain(..);
        let mut n = 0;
        while let Some(draft) = drafts.next() {
            self.prefetch(n + PREFETCH_ROWS);
            // Its memo slots were asked for [`PREFETCH_ROWS`] / 2 rows ago.
            if let Some(ahead) = drafts.as_slice().get(PREFETCH_ROWS / 2 - 1) {
                self.prefetch_row(ahead);
            }
            n += 1;
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
    pub(super) fn prefetch(&self, row: usize) {
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

    /// Asks for the cells of a row whose location or fields no earlier row
    /// made, which will be read: the reading thread split the row, so its
    /// cells are not in this thread's cache.
    pub(super) fn prefetch_row(&self, draft: &Draft) {
        let Some(event) = &draft.event else {
            return;
        };
        let known = kept(&self.locations, event.location).is_some()
            && kept(&self.kinds, event.extra).is_some()
            && kept(&self.actors, event.actors).is_some()
            && kept(&self.sources, event.sources).is_some();
        if !known {
            draft.row.prefetch();
        }
    }

    pub(super) fn prefetch_slots(&self, coming: &Coming) {
        self.ids.prefetch(coming.id_hash);
        let [actors, sources, kind, location] = coming.numbers;
        self.actors.prefetch(actors);
        self.sources.prefetch(sources);
        self.kinds.prefetch(kind);
        self.locations.prefetch(location);
        self.titles.prefetch(location);
    }

    pub(super) fn prefetch_counts(&self, coming: &Coming) {
        let [actors, sources, kind, location] = coming.numbers;
        if let Some(list) = kept(&self.actors, actors) {
            list.prefetch();
        }
        if let Some(list) = kept(&self.sources, sources) {
            list.prefetch();
        }
        if let Some(Some(extra)) = kept(&self.kinds, kind).map(|k| &k.extra) {
            extra.prefetch();
        }
        if let Some(located) = kept(&self.locations, location) {
            if let PlaceList::Many(list) = &located.places {
                list.prefetch();
            }
            for group in [&located.areas, &located.own].into_iter().flatten() {
                group.prefetch();
            }
        }
        if let Some(first) = kept(&self.titles, location).and_then(|t| t.first()) {
            prefetch(first);
        }
    }

    pub(super) fn prefetch_title(&self, coming: &Coming) {
        let [_, _, kind, location] = coming.numbers;
        let what = kept(&self.kinds, kind).map(|k| k.what);
        if let Some(title) = what.and_then(|what| self.known_title(what, location)) {
            title.prefetch();
        }
    }

    /// The title made before for what happened at this location.
    pub(super) fn known_title(&self, what: usize, location: Option<u32>) -> Option<&Name> {
        kept(&self.titles, location)?
            .iter()
            .find(|(w, _)| *w == what)
            .map(|(_, title)| title)
    }

    /// Adds a drafted row's event (or its problems) to the dataset, and
    /// gives the row back for reuse. `id` is the text of its id.
    pub(super) fn assemble(&mut self, draft: Draft, id: &str) -> Row {
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
            if let Some(looked_up) = &mut self.looked_up {
                looked_up.push((id_hash, row.line, id.into()));
            }
            return row;
        };
        let Located {
            places,
            areas,
            own: place_own,
        } = self.places_of(&row, drafted.location, &mut problems);
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
        let own = if reading.has_others() {
            let values = reading.own.iter().map(|&i| row.at(i));
            makers.own.fields(&reading.own_keys, values)
        } else {
            place_own
        };
        let event = Event {
            title: self.title(&row, kind.what, drafted.location),
            // The id and summary are the row's, handed to the builder below.
            summary: Text::default(),
            casualties: drafted.casualties,
            sources,
            extra: Extra::from_groups(kind.extra, areas).with_own(own),
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
    pub(super) fn first_seen(
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
    pub(super) fn duplicate(
        &mut self,
        row: &Row,
        index: u32,
        first_line: u32,
        problems: &mut RowProblems,
    ) {
        let c = &self.reading.columns;
        if self.monadic {
            let builder = &mut self.sink.builder;
            let Some(mut list) = builder.actors_of(index as usize).map(<[_]>::to_vec) else {
                return;
            };
            let actors = row
                .at(c.actor1)
                .into_iter()
                .chain(split_list(row.at(c.assoc_actor_1)));
            add_actors(&mut list, actors, |name| builder.name(name));
            let list = builder.actor_list(&list);
            builder.set_actors(index as usize, list);
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
    pub(super) fn places_of(
        &mut self,
        row: &Row,
        location: Option<u32>,
        problems: &mut RowProblems,
    ) -> Located {
        if let Some(located) = location.and_then(|n| self.locations.get(n)) {
            return located.clone();
        }
        let before = problems.len();
        let lon_lat = self.reading.lon_lat(row, problems);
        let places = self.places(row, lon_lat, problems);
        let reading = self.reading;
        let located = Located {
            places: self.sink.builder.place_list(&places),
            areas: reading.place_extra(row, &mut self.makers.extras),
            own: reading.place_own(row),
        };
        if let Some(n) = location
            && problems.len() == before
        {
            self.locations.keep(n, located.clone());
        }
        located
    }

    /// "Air/drone strike in Buuraha Cali Miskat": what happened and where,
    /// made once for each pair of the two (up to [`TITLES_PER_LOCATION`]
    /// at a location), and one name for each text.
    pub(super) fn title(&mut self, row: &Row, what: usize, location: Option<u32>) -> Name {
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
        let title = self.sink.builder.title(text);
        if let Some(titles) = location.and_then(|n| self.titles.get_mut_or_default(n))
            && titles.len() < TITLES_PER_LOCATION
        {
            titles.push((what, title.clone()));
        }
        title
    }

    /// The coordinates when valid, else the location (then admin1) by name.
    pub(super) fn places(
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
        let precision = row
            .at(c.geo_precision)
            .and_then(LocationPrecision::from_name);
        if precision == Some(LocationPrecision::Region)
            && lon_lat.is_none()
            && let Some((idx, _)) = self.admin1(row, country)
        {
            // Only the province is known, and no point for it: the
            // province. (With its centre's point, the place stays that
            // point, known only to its region, and the map draws the
            // province that holds it: no gazetteer is needed to load.)
            return vec![idx];
        }
        let spec = PlaceSpec {
            name,
            kind: Some(PlaceKind::City),
            country,
            lon_lat,
            area: None,
            precision: precision.map(PlacePrecision::stated).unwrap_or_default(),
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
    pub(super) fn admin1<'w>(
        &mut self,
        row: &'w Row,
        country: Option<&str>,
    ) -> Option<(u32, &'w str)> {
        let name = row.at(self.reading.columns.admin1)?;
        let province = PlaceSpec {
            name,
            kind: Some(PlaceKind::Province),
            country,
            lon_lat: None,
            area: None,
            precision: PlacePrecision::default(),
        };
        Some((self.sink.try_place(&province)?, name))
    }
}

/// The shared group of the fields that have a value.
pub(super) fn present_group(
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
pub(super) fn id_hash(id: &str) -> u32 {
    // The high half: the multiply leaves its best-mixed bits there.
    u32::try_from(crate::model::fast_hash::hash_one(&id) >> 32).unwrap_or(0)
}

pub(super) fn add_actors<'a>(
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
