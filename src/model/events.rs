//! A dataset's events, held in columns and read one at a time through
//! [`EventRef`].
//!
//! Views, exports and the time index read events through accessors, so
//! how events are held is the model's own business. They are held a
//! column a field: a million events are read by one field at a time (the
//! time index reads their days, a search their texts), a field that most
//! formats leave empty (quotes, a date's wording, casualties) costs nothing
//! until an event has one, and ids and summaries lie in one string each
//! rather than in an allocation an event. An [`Event`] is what a loader
//! hands the builder, and what [`EventRef::to_event`] gives back.

use std::collections::HashMap;
use std::sync::Arc;

use super::columns::{Numbered, Sparse, Texts, append_vec, gathered};
use super::fast_hash::FastBuild;
use super::places::PlaceMap;
use super::{
    Casualties, CategoryIdx, DateSpan, Day, Event, EventIdx, ExtraGroup, ExtraKeys, ExtraRef, Name,
    NameList, PlaceIdx, PlaceList, Precision, Quote, Quotes, SharedList, SourceList,
};
use crate::halves::in_halves;

/// The events of a dataset, in its order (by start day, end day, id).
#[derive(Clone, Debug, Default)]
pub struct Events {
    len: usize,
    ids: Texts,
    summaries: Texts,
    /// Each event's title where the builder shares it with others (the
    /// empty name where the title is the event's own: a file of own titles
    /// holds none).
    titles: Sparse<Name>,
    /// The titles of the events' own (a file whose every row names a place
    /// of its own titles each row apart) as text: no allocation a title.
    own_titles: Texts,
    starts: Vec<Day>,
    ends: Vec<Day>,
    precisions: Vec<Precision>,
    wordings: Sparse<Option<Name>>,
    /// The place of each event naming one ([`NO_PLACE`] for none), or
    /// [`SEVERAL`] and the index of its list in `several`.
    places: Vec<u32>,
    several: Vec<SharedList<PlaceIdx>>,
    actors: Sparse<NameList>,
    categories: Vec<CategoryIdx>,
    /// Killed and injured, each one more than the count, and 0 where the
    /// source says nothing (so that an event without casualties holds the
    /// column's default, and a file without any pays nothing for them).
    counts: Sparse<[u32; 2]>,
    details: Sparse<Option<Name>>,
    sources: Sparse<SourceList>,
    /// The link of an event's first source where the link is the event's
    /// own (a GDELT row's article): held as text here, while the source
    /// itself (its outlet) is shared with the other events of that outlet.
    links: Texts,
    quotes: Sparse<Quotes>,
    /// Each event's two groups of fields ([`super::Extra::into_parts`]),
    /// by their number in `extra_groups` (0: none): a file has few
    /// different ones, each shared by many events.
    extra: Sparse<[u32; 2]>,
    /// Each event's own fields where other events share them (a place's
    /// own fields, with its events): as many groups as places, found by
    /// pointer rather than through a table of them.
    own_groups: Sparse<Option<ExtraGroup>>,
    extra_groups: Numbered<ExtraGroup>,
    /// The values of an event's second group of fields and of its own
    /// fields where no other event holds them (the fields of a place of
    /// the row's own, a row's own values) as text, and which names they go
    /// with: their number in `own_keys` (0: none).
    unshared_values: [Texts; 2],
    unshared_keys_of: [Sparse<u32>; 2],
    /// The names of the unshared values' fields (GeoJSON features may each
    /// name fields of their own).
    own_keys: Numbered<ExtraKeys>,
}

/// The place code of an event that names no place.
const NO_PLACE: u32 = u32::MAX;
/// The bit of a place code that says it indexes a list of several.
const SEVERAL: u32 = 1 << 31;

impl Events {
    /// Events in this order.
    #[cfg(test)]
    pub(crate) fn from_rows(rows: Vec<Event>) -> Self {
        let mut events = Self::default();
        for mut row in rows {
            let (id, summary) = (
                std::mem::take(&mut row.id),
                std::mem::take(&mut row.summary),
            );
            events.push(row, OwnTexts::new(&id, &summary));
        }
        events
    }

    /// Adds an event after the others, with its id, summary and own link
    /// given apart (the id and summary it holds are not read).
    pub(crate) fn push(&mut self, event: Event, texts: OwnTexts<'_>) {
        let OwnTexts { id, summary, link } = texts;
        let i = self.len;
        let Event {
            title,
            date,
            places,
            actors,
            category,
            casualties,
            sources,
            quotes,
            mut extra,
            ..
        } = event;
        self.ids.push(i, id);
        self.summaries.push(i, summary);
        self.push_title(i, title);
        self.starts.push(date.start);
        self.ends.push(date.end);
        self.precisions.push(date.precision);
        self.wordings.push(i, date.wording);
        let code = match places {
            PlaceList::None => NO_PLACE,
            PlaceList::One(place) if place < SEVERAL => place,
            PlaceList::One(place) => self.several_code(SharedList::from(&[place][..])),
            PlaceList::Many(list) => self.several_code(list),
        };
        self.places.push(code);
        self.actors.push(i, actors);
        self.categories.push(category);
        let (counts, detail) = casualties.map_or(([0; 2], None), |c| {
            let count = |n: Option<u32>| n.map_or(0, |n| n.saturating_add(1));
            ([count(c.killed), count(c.injured)], c.detail)
        });
        self.counts.push(i, counts);
        self.details.push(i, detail);
        self.sources.push(i, sources);
        self.links.push(i, link);
        self.quotes.push(i, quotes);
        for (slot, group) in extra.take_unshared().into_iter().enumerate() {
            if let Some(group) = group {
                let keys = group.keys();
                let keys = self
                    .own_keys
                    .number(Arc::as_ptr(keys) as usize, || Arc::clone(keys));
                self.unshared_values[slot].push(i, group.text());
                self.unshared_keys_of[slot].push(i, keys);
            }
        }
        let [first, second, own] = extra.into_parts();
        let codes = [first, second]
            .map(|group| group.map_or(0, |g| self.extra_groups.number(g.address(), || g)));
        self.extra.push(i, codes);
        self.own_groups.push(i, own);
        self.len += 1;
    }

    /// Keeps event `i`'s title: a name the builder shares as it is, one of
    /// the event's own as text.
    fn push_title(&mut self, i: usize, title: Name) {
        if title.is_shared() {
            self.titles.push(i, title);
        } else {
            self.own_titles.push(i, &title);
            self.titles.push(i, Name::default());
        }
    }

    /// Puts each event at the places `new_of` gives for its places (by
    /// their old index), once each: where the builder found equal places
    /// after they were added.
    pub(crate) fn move_places(&mut self, new_of: &[PlaceIdx]) {
        let moved = |p: PlaceIdx| new_of.get(p as usize).copied().unwrap_or(p);
        for code in &mut self.places {
            if *code & SEVERAL == 0 {
                *code = moved(*code);
            }
        }
        let mut lists: HashMap<usize, SharedList<PlaceIdx>, FastBuild> = HashMap::default();
        for list in &mut self.several {
            let made = lists.entry(list.as_ptr() as usize).or_insert_with(|| {
                let mut places: Vec<PlaceIdx> = Vec::with_capacity(list.len());
                for &p in list.iter() {
                    if !places.contains(&moved(p)) {
                        places.push(moved(p));
                    }
                }
                SharedList::from(places.as_slice())
            });
            *list = made.clone();
        }
    }

    /// The place code of a list of several places (or of a place whose
    /// index needs the code's top bit).
    fn several_code(&mut self, list: SharedList<PlaceIdx>) -> u32 {
        let at = u32::try_from(self.several.len()).unwrap_or(u32::MAX);
        if at >= NO_PLACE - SEVERAL {
            return NO_PLACE;
        }
        self.several.push(list);
        SEVERAL | at
    }

    /// Adds `other`'s events after these, a column at a time (each of
    /// `other`'s dropped once it is added): its places are where `places`
    /// says they are here, its categories become `categories` (by its
    /// number, those beyond them kept), and the groups of fields it
    /// numbered are numbered here.
    pub(crate) fn append(
        &mut self,
        other: Events,
        places_here: &PlaceMap,
        categories: &[CategoryIdx],
    ) {
        let len = self.len;
        let Events {
            len: added,
            ids,
            summaries,
            titles,
            own_titles,
            starts,
            ends,
            precisions,
            wordings,
            places,
            several,
            actors,
            categories: category_column,
            counts,
            details,
            sources,
            links,
            quotes,
            extra,
            own_groups,
            extra_groups,
            unshared_values,
            unshared_keys_of,
            own_keys,
        } = other;
        self.ids.append(len, ids);
        self.summaries.append(len, summaries);
        self.titles.append(len, titles);
        self.own_titles.append(len, own_titles);
        append_vec(&mut self.starts, starts);
        append_vec(&mut self.ends, ends);
        append_vec(&mut self.precisions, precisions);
        self.wordings.append(len, wordings);
        self.append_places(places, several, places_here);
        self.actors.append(len, actors);
        let category = |c: CategoryIdx| categories.get(usize::from(c)).copied().unwrap_or(c);
        self.categories
            .extend(category_column.into_iter().map(category));
        self.counts.append(len, counts);
        self.details.append(len, details);
        self.sources.append(len, sources);
        self.links.append(len, links);
        self.quotes.append(len, quotes);
        self.append_groups(len, extra, extra_groups, own_groups);
        self.append_unshared(len, unshared_values, unshared_keys_of, own_keys);
        self.len += added;
    }

    /// Adds the place codes of appended events, whose places are numbered
    /// from `first` here, and whose lists of several (`several`, by their
    /// codes) are made again of those numbers, once a shared list.
    fn append_places(
        &mut self,
        codes: Vec<u32>,
        several: Vec<SharedList<PlaceIdx>>,
        here: &PlaceMap,
    ) {
        if here.is_identity() && self.several.is_empty() {
            // Every code stays as it is.
            append_vec(&mut self.places, codes);
            append_vec(&mut self.several, several);
            return;
        }
        let lists = moved_lists(&several, here);
        drop(several);
        self.places.reserve(codes.len());
        for code in codes {
            let code = match code {
                NO_PLACE => NO_PLACE,
                place if place & SEVERAL == 0 => self.place_code(here.get(place)),
                list => lists
                    .get((list & !SEVERAL) as usize)
                    .map_or(NO_PLACE, |list| self.several_code(list.clone())),
            };
            self.places.push(code);
        }
    }

    /// The place code of one place.
    fn place_code(&mut self, place: PlaceIdx) -> u32 {
        if place < SEVERAL {
            place
        } else {
            self.several_code(SharedList::from(&[place][..]))
        }
    }

    /// Adds the groups of fields of appended events: their numbers in
    /// `groups` become the groups' numbers here.
    fn append_groups(
        &mut self,
        len: usize,
        codes: Sparse<[u32; 2]>,
        groups: Numbered<ExtraGroup>,
        own_groups: Sparse<Option<ExtraGroup>>,
    ) {
        let numbers = self.extra_groups.append(groups, ExtraGroup::address);
        let renumber = |code: u32| numbers.get(code as usize).copied().unwrap_or(0);
        self.extra
            .append_renumbered(len, codes, |pair| pair.map(renumber));
        self.own_groups.append(len, own_groups);
    }

    /// Adds the unshared fields of appended events: their names' numbers
    /// in `keys` become the names' numbers here.
    fn append_unshared(
        &mut self,
        len: usize,
        values: [Texts; 2],
        keys_of: [Sparse<u32>; 2],
        keys: Numbered<ExtraKeys>,
    ) {
        let numbers = self
            .own_keys
            .append(keys, |keys| Arc::as_ptr(keys) as usize);
        let renumber = |n: u32| numbers.get(n as usize).copied().unwrap_or(0);
        for (column, more) in self.unshared_values.iter_mut().zip(values) {
            column.append(len, more);
        }
        for (column, more) in self.unshared_keys_of.iter_mut().zip(keys_of) {
            column.append_renumbered(len, more, renumber);
        }
    }

    /// Makes room for `additional` more events.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.ids.reserve(additional);
        self.starts.reserve(additional);
        self.ends.reserve(additional);
        self.precisions.reserve(additional);
        self.places.reserve(additional);
        self.categories.reserve(additional);
    }

    /// The events put in `order` (entry `i` the index of the event that
    /// becomes event `i`, a permutation), each category renumbered by
    /// `remap` (by the old number).
    pub(crate) fn reordered(self, order: &[u32], remap: &[CategoryIdx]) -> Self {
        let len = self.len;
        let Self {
            mut ids,
            mut summaries,
            mut titles,
            mut own_titles,
            mut starts,
            mut ends,
            mut precisions,
            mut wordings,
            places,
            several,
            mut actors,
            categories,
            mut counts,
            mut details,
            mut sources,
            mut links,
            mut quotes,
            mut extra,
            mut own_groups,
            extra_groups,
            mut unshared_values,
            mut unshared_keys_of,
            own_keys,
            ..
        } = self;
        // Columns of shared values and of spans are moved in place (no
        // count is touched, no second column held); the small ones are
        // copied in order. Half of them on another thread.
        let mut places_in_order = Vec::new();
        let mut categories_in_order = Vec::new();
        in_halves(
            len,
            || {
                actors = std::mem::take(&mut actors).reordered(order, len);
                sources = std::mem::take(&mut sources).reordered(order, len);
                titles = std::mem::take(&mut titles).reordered(order, len);
                own_titles = std::mem::take(&mut own_titles).reordered(order, len);
                links = std::mem::take(&mut links).reordered(order, len);
                wordings = std::mem::take(&mut wordings).reordered(order, len);
                details = std::mem::take(&mut details).reordered(order, len);
                quotes = std::mem::take(&mut quotes).reordered(order, len);
                extra = std::mem::take(&mut extra).reordered(order, len);
                own_groups = std::mem::take(&mut own_groups).reordered(order, len);
                unshared_values =
                    std::mem::take(&mut unshared_values).map(|values| values.reordered(order, len));
                unshared_keys_of =
                    std::mem::take(&mut unshared_keys_of).map(|keys| keys.reordered(order, len));
            },
            || {
                ids = std::mem::take(&mut ids).reordered(order, len);
                summaries = std::mem::take(&mut summaries).reordered(order, len);
                starts = gathered(&starts, order);
                ends = gathered(&ends, order);
                precisions = gathered(&precisions, order);
                places_in_order = gathered(&places, order);
                categories_in_order = gathered(&categories, order);
                for category in &mut categories_in_order {
                    *category = remap.get(usize::from(*category)).copied().unwrap_or(0);
                }
                counts = std::mem::take(&mut counts).reordered(order, len);
            },
        );
        let mut events = Self {
            len,
            ids,
            summaries,
            titles,
            own_titles,
            starts,
            ends,
            precisions,
            wordings,
            places: places_in_order,
            several,
            actors,
            categories: categories_in_order,
            counts,
            details,
            sources,
            links,
            quotes,
            extra,
            own_groups,
            unshared_values,
            unshared_keys_of,
            own_keys,
            extra_groups,
        };
        events.shrink_to_fit();
        events
    }

    /// Frees what was reserved and not used.
    fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.summaries.shrink_to_fit();
        self.titles.shrink_to_fit();
        self.own_titles.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.precisions.shrink_to_fit();
        self.wordings.shrink_to_fit();
        self.places.shrink_to_fit();
        self.several.shrink_to_fit();
        self.actors.shrink_to_fit();
        self.categories.shrink_to_fit();
        self.counts.shrink_to_fit();
        self.details.shrink_to_fit();
        self.sources.shrink_to_fit();
        self.links.shrink_to_fit();
        self.quotes.shrink_to_fit();
        self.extra.shrink_to_fit();
        self.own_groups.shrink_to_fit();
        self.extra_groups.shrink_to_fit();
        self.own_keys.shrink_to_fit();
        for values in &mut self.unshared_values {
            values.shrink_to_fit();
        }
        for keys in &mut self.unshared_keys_of {
            keys.shrink_to_fit();
        }
    }

    /// The bytes the columns hold (not what events share: names, lists).
    #[cfg(test)]
    fn bytes_held(&self) -> usize {
        fn column<T>(v: &[T]) -> usize {
            std::mem::size_of_val(v)
        }
        self.ids.bytes_held()
            + self.summaries.bytes_held()
            + self.titles.bytes_held()
            + self.own_titles.bytes_held()
            + column(&self.starts)
            + column(&self.ends)
            + column(&self.precisions)
            + self.wordings.bytes_held()
            + column(&self.places)
            + column(&self.several)
            + self.actors.bytes_held()
            + column(&self.categories)
            + self.counts.bytes_held()
            + self.details.bytes_held()
            + self.sources.bytes_held()
            + self.links.bytes_held()
            + self.quotes.bytes_held()
            + self.extra.bytes_held()
            + self.own_groups.bytes_held()
            + self
                .unshared_values
                .iter()
                .map(Texts::bytes_held)
                .sum::<usize>()
            + self
                .unshared_keys_of
                .iter()
                .map(Sparse::bytes_held)
                .sum::<usize>()
    }

    /// The bytes of all summaries.
    #[cfg(test)]
    pub(crate) fn summary_bytes(&self) -> usize {
        self.summaries.bytes()
    }

    /// The start day of every event, in order.
    pub fn starts(&self) -> &[Day] {
        &self.starts
    }

    /// The end day of every event, in order.
    pub fn ends(&self) -> &[Day] {
        &self.ends
    }

    /// The id of event `i` (empty beyond the last).
    pub(crate) fn id(&self, i: usize) -> &str {
        self.ids.get(i)
    }

    /// Gives event `i` these actors (a monadic ACLED export names an
    /// event's actors over several rows).
    pub(crate) fn set_actors(&mut self, i: usize, actors: NameList) {
        if i < self.len {
            self.actors.set(i, actors);
        }
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The event at `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<EventRef<'_>> {
        (i < self.len).then_some(EventRef { events: self, i })
    }

    /// The event at `i`.
    ///
    /// # Panics
    /// When there is no event `i`: for indices the dataset gave out.
    pub fn at(&self, i: usize) -> EventRef<'_> {
        assert!(i < self.len, "event {i} of {}", self.len);
        EventRef { events: self, i }
    }

    /// The first event, if any.
    pub fn first(&self) -> Option<EventRef<'_>> {
        self.get(0)
    }

    /// The last event, if any.
    pub fn last(&self) -> Option<EventRef<'_>> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// Each event, in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            events: self,
            range: 0..self.len(),
        }
    }
}

/// Equal when they hold equal events in the same order, however each
/// column came to be laid out.
impl PartialEq for Events {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().zip(other.iter()).all(|(a, b)| a.same_as(b))
    }
}

impl<'a> IntoIterator for &'a Events {
    type Item = EventRef<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The events of an [`Events`], in order.
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    events: &'a Events,
    range: std::ops::Range<usize>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = EventRef<'a>;

    fn next(&mut self) -> Option<EventRef<'a>> {
        let i = self.range.next()?;
        self.events.get(i)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }

    fn nth(&mut self, n: usize) -> Option<EventRef<'a>> {
        let i = self.range.nth(n)?;
        self.events.get(i)
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let i = self.range.next_back()?;
        self.events.get(i)
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// One event of a dataset, read in place.
#[derive(Clone, Copy)]
pub struct EventRef<'a> {
    events: &'a Events,
    i: usize,
}

impl<'a> EventRef<'a> {
    /// Its index in the dataset.
    pub fn index(&self) -> EventIdx {
        EventIdx::try_from(self.i).unwrap_or(EventIdx::MAX)
    }

    /// The identifier from the source (or made up from its line).
    pub fn id(&self) -> &'a str {
        self.events.ids.get(self.i)
    }

    /// The one-line headline.
    pub fn title(&self) -> &'a str {
        let own = self.events.own_titles.get(self.i);
        if own.is_empty() {
            self.events.titles.get(self.i)
        } else {
            own
        }
    }

    /// A key equal for two events that share their title (and possibly
    /// different for equal titles that are not shared): what a search
    /// remembers its answer for.
    pub fn title_key(&self) -> u64 {
        let own = self.events.own_titles.span(self.i).filter(|_| {
            // An event before the first own title has an empty span there.
            !self.events.own_titles.get(self.i).is_empty()
        });
        match own {
            Some(span) => (1 << 63) | span,
            None => self.events.titles.get(self.i).address() as u64,
        }
    }

    /// A few sentences in the curator's words.
    pub fn summary(&self) -> &'a str {
        self.events.summaries.get(self.i)
    }

    /// The first and last day it may have happened on: [`EventRef::date`]'s
    /// bounds, read without the rest of the date.
    pub fn days(&self) -> (Day, Day) {
        (self.events.starts[self.i], self.events.ends[self.i])
    }

    /// Whether it may have happened on a day of `first..=last`.
    pub fn overlaps(&self, first: Day, last: Day) -> bool {
        super::date::days_overlap(self.days(), first, last)
    }

    /// When it happened.
    pub fn date(&self) -> DateSpan {
        DateSpan {
            start: self.events.starts[self.i],
            end: self.events.ends[self.i],
            precision: self.events.precisions[self.i],
            wording: self.events.wordings.get(self.i).clone(),
        }
    }

    /// Where it happened; empty for an event on the timeline only.
    pub fn places(&self) -> &'a [PlaceIdx] {
        let code = &self.events.places[self.i];
        match *code {
            NO_PLACE => &[],
            place if place & SEVERAL == 0 => std::slice::from_ref(code),
            code => self
                .events
                .several
                .get((code & !SEVERAL) as usize)
                .map_or(&[], |list| list),
        }
    }

    /// A key equal for two events that name the same place, or the same
    /// shared list of places (and possibly different for equal lists that
    /// are not shared): what a search remembers its answer for.
    pub fn places_key(&self) -> u64 {
        let code = self.events.places[self.i];
        if code != NO_PLACE && code & SEVERAL != 0 {
            let list = self.places();
            return (1 << 63) | list.as_ptr() as u64;
        }
        u64::from(code)
    }

    /// The people, groups and institutions involved.
    pub fn actors(&self) -> &'a [Name] {
        self.events.actors.get(self.i)
    }

    /// What kind of event it is.
    pub fn category(&self) -> CategoryIdx {
        self.events.categories[self.i]
    }

    /// Deaths and injuries, where the source gives them.
    pub fn casualties(&self) -> Option<Casualties> {
        let [killed, injured] = *self.events.counts.get(self.i);
        let detail = self.events.details.get(self.i).clone();
        let count = |n: u32| n.checked_sub(1);
        let casualties = Casualties {
            killed: count(killed),
            injured: count(injured),
            detail,
        };
        (casualties != Casualties::default()).then_some(casualties)
    }

    /// Who reported it.
    pub fn sources(&self) -> Sources<'a> {
        Sources {
            list: self.events.sources.get(self.i),
            link: self.events.links.get(self.i),
        }
    }

    /// Words quoted verbatim.
    pub fn quotes(&self) -> &'a [Quote] {
        self.events.quotes.get(self.i)
    }

    /// The further fields its format carries.
    pub fn extra(&self) -> ExtraRef<'a> {
        let e = self.events;
        let unshared = [0, 1].map(|slot| {
            let keys = e.own_keys.get(*e.unshared_keys_of[slot].get(self.i))?;
            Some((keys, e.unshared_values[slot].get(self.i)))
        });
        let [first, second] = e.extra.get(self.i).map(|code| e.extra_groups.get(code));
        let own = e.own_groups.get(self.i).as_ref();
        ExtraRef::new([first, second, own], unshared)
    }

    /// The event as a value of its own.
    pub fn to_event(&self) -> Event {
        let e = self.events;
        let i = self.i;
        Event {
            id: self.id().into(),
            title: self.title().into(),
            summary: self.summary().into(),
            date: self.date(),
            places: match *self.places() {
                [] => PlaceList::None,
                [one] => PlaceList::One(one),
                _ => e
                    .several
                    .get((e.places[i] & !SEVERAL) as usize)
                    .map_or(PlaceList::None, |list| PlaceList::Many(list.clone())),
            },
            actors: e.actors.get(i).clone(),
            category: self.category(),
            casualties: self.casualties(),
            sources: self.sources().to_list(),
            quotes: e.quotes.get(i).clone(),
            extra: self.extra().to_extra(),
        }
    }

    /// Whether the two hold the same values.
    fn same_as(self, other: Self) -> bool {
        self.id() == other.id()
            && self.title() == other.title()
            && self.summary() == other.summary()
            && self.date() == other.date()
            && self.places() == other.places()
            && self.actors() == other.actors()
            && self.category() == other.category()
            && self.casualties() == other.casualties()
            && self.sources() == other.sources()
            && self.quotes() == other.quotes()
            && self.extra() == other.extra()
    }
}

/// `lists` (by the place codes that index them) with each place where
/// `here` says it now is: a list several codes share is made once, and
/// shared again.
fn moved_lists(lists: &[SharedList<PlaceIdx>], here: &PlaceMap) -> Vec<SharedList<PlaceIdx>> {
    let mut made: HashMap<usize, SharedList<PlaceIdx>, FastBuild> = HashMap::default();
    lists
        .iter()
        .map(|list| {
            let moved = made
                .entry(list.address())
                .or_insert_with(|| list.iter().map(|&p| here.get(p)).collect());
            moved.clone()
        })
        .collect()
}

/// What a loader hands the builder as text with an event, beside it: the
/// event's id, its summary, and the link of its first source where that is
/// the event's own.
#[derive(Clone, Copy, Debug, Default)]
pub struct OwnTexts<'t> {
    /// The event's id.
    pub id: &'t str,
    /// Its summary.
    pub summary: &'t str,
    /// The link of its first source, or empty.
    pub link: &'t str,
}

impl<'t> OwnTexts<'t> {
    /// An id and a summary, and no link of the event's own.
    pub fn new(id: &'t str, summary: &'t str) -> Self {
        Self {
            id,
            summary,
            link: "",
        }
    }
}

/// An event's sources, read in place.
#[derive(Clone, Copy, Debug)]
pub struct Sources<'a> {
    list: &'a SourceList,
    /// The first source's link, where it is the event's own ("" if not).
    link: &'a str,
}

impl<'a> Sources<'a> {
    /// How many there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The first, if any.
    pub fn first(&self) -> Option<SourceRef<'a>> {
        self.iter().next()
    }

    /// Each, in order.
    pub fn iter(&self) -> impl Iterator<Item = SourceRef<'a>> + use<'a> {
        let link = (!self.link.is_empty()).then_some(self.link);
        self.list
            .iter()
            .enumerate()
            .map(move |(n, source)| SourceRef {
                name: &source.name,
                kind: source.kind.as_deref(),
                url: source.url.as_deref().or(if n == 0 { link } else { None }),
            })
    }

    /// A key equal for two events with the same shared list of sources
    /// (their outlets; links aside): what a search remembers its answer
    /// for.
    pub fn key(&self) -> u64 {
        self.list.as_ptr() as u64
    }

    /// The sources as values of their own: the shared list itself, or a
    /// copy whose first source has the event's own link.
    pub fn to_list(&self) -> SourceList {
        let mut sources = self.list.to_vec();
        match sources.first_mut() {
            Some(first) if first.url.is_none() && !self.link.is_empty() => {
                first.url = Some(Name::from(self.link));
                SourceList::from(sources)
            }
            _ => self.list.clone(),
        }
    }
}

impl PartialEq for Sources<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl serde::Serialize for Sources<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// One source of an event, read in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SourceRef<'a> {
    /// The outlet or account.
    pub name: &'a str,
    /// What kind of source it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'a str>,
    /// Where to read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
}

impl std::fmt::Debug for EventRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("EventRef")
            .field(&self.i)
            .field(&self.to_event())
            .finish()
    }
}

impl PartialEq<Event> for EventRef<'_> {
    fn eq(&self, other: &Event) -> bool {
        self.to_event() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Casualties, DateSpan};

    /// A million events are held at once: every byte an event is a
    /// megabyte of a large load. An event with an id, a title, a day and a
    /// place, and none of the fields most formats leave empty, is held in
    /// its id's bytes and under fifty more.
    #[test]
    fn a_plain_event_costs_its_id_and_under_fifty_bytes() {
        let mut events = Events::default();
        let n = 10_000;
        for i in 0..n {
            let id = format!("E{i:07}");
            let event = Event {
                places: PlaceList::One(i),
                ..Event::new(id.as_str(), DateSpan::day(Day(i as i32)))
            };
            events.push(event, OwnTexts::new(&id, ""));
        }
        let events = events.reordered(&(0..n).rev().collect::<Vec<_>>(), &[0]);
        let per_event = events.bytes_held() / n as usize;
        assert!(per_event <= 8 + 50, "{per_event} bytes an event");
        assert_eq!(events.at(0).id(), format!("E{:07}", n - 1));
    }

    /// An event at each of these places, with ids E0, E1, ….
    fn at_places(lists: &[PlaceList]) -> Events {
        let mut events = Events::default();
        for (n, places) in lists.iter().enumerate() {
            let event = Event {
                places: places.clone(),
                ..Event::new(format!("E{n}"), DateSpan::day(Day(1)))
            };
            events.push(event, OwnTexts::new(&format!("E{n}"), ""));
        }
        events
    }

    /// Events moved to the places found equal keep one of each, in order;
    /// an event without places stays without.
    #[test]
    fn moved_places_are_named_once() {
        let lists = [
            PlaceList::None,
            PlaceList::One(3),
            PlaceList::Many(SharedList::from(&[1, 3][..])),
            PlaceList::Many(SharedList::from(&[3, 2][..])),
        ];
        let mut events = at_places(&lists);
        // Place 3 was equal to place 1; 2 is now 2, 1 stays.
        events.move_places(&[0, 1, 2, 1]);
        let places: Vec<Vec<PlaceIdx>> = events.iter().map(|e| e.places().to_vec()).collect();
        assert_eq!(places, [vec![], vec![1], vec![1], vec![1, 2]]);
    }

    #[test]
    fn places_read_back_as_given_whatever_their_index() {
        let lists = [
            PlaceList::None,
            PlaceList::One(5),
            PlaceList::Many(SharedList::from(&[1, 2][..])),
            PlaceList::One(SEVERAL + 3),
        ];
        let events = at_places(&lists);
        let read: Vec<&[PlaceIdx]> = events.iter().map(|e| e.places()).collect();
        assert_eq!(read, [&[][..], &[5], &[1, 2], &[SEVERAL + 3]]);
        for (e, places) in events.iter().zip(&lists) {
            assert_eq!(e.to_event().places, *places);
        }
        let keys: Vec<u64> = events.iter().map(|e| e.places_key()).collect();
        assert_eq!(keys[1], 5);
        assert!(keys[2] != keys[3] && keys[2] >= 1 << 63);
    }

    #[test]
    fn an_event_reads_back_whole_after_a_reorder() {
        let first = Event {
            title: "Strike".into(),
            summary: "Two killed".into(),
            category: 1,
            casualties: Some(Casualties {
                killed: Some(2),
                injured: None,
                detail: Some("guards".into()),
            }),
            ..Event::new(
                "A",
                DateSpan::range(Day(3), Day(9), Some("that week".into())),
            )
        };
        let second = Event::new("B", DateSpan::day(Day(2)));
        let mut events = Events::default();
        events.push(first.clone(), OwnTexts::new("A", "Two killed"));
        events.push(second.clone(), OwnTexts::new("B", ""));
        let events = events.reordered(&[1, 0], &[0, 0]);
        assert_eq!(events.at(0), second);
        let moved = Event {
            category: 0,
            ..first
        };
        assert_eq!(events.at(1), moved);
        assert_eq!(events.at(0).casualties(), None);
        assert_eq!(events.starts(), [Day(2), Day(3)]);
    }
}

#[cfg(test)]
mod source_tests {
    use super::*;
    use crate::model::{DateSpan, Source};

    /// A link of the event's own is its first source's, read back and
    /// given back with the shared outlet.
    #[test]
    fn an_own_link_belongs_to_the_first_source() {
        let outlet = |name: &str| Source {
            name: name.into(),
            ..Source::default()
        };
        let shared = SourceList::from(vec![outlet("example.org"), outlet("ISPR")]);
        let mut events = Events::default();
        for (n, link) in ["https://example.org/a", ""].into_iter().enumerate() {
            let event = Event {
                sources: shared.clone(),
                ..Event::new("E", DateSpan::day(Day(n as i32)))
            };
            let texts = OwnTexts {
                link,
                ..OwnTexts::new("E", "")
            };
            events.push(event, texts);
        }
        let (linked, plain) = (events.at(0).sources(), events.at(1).sources());
        let urls: Vec<Option<&str>> = linked.iter().map(|s| s.url).collect();
        assert_eq!(urls, [Some("https://example.org/a"), None]);
        assert_eq!(plain.first().and_then(|s| s.url), None);
        assert_eq!(linked.key(), plain.key(), "one shared list of outlets");
        assert!(linked != plain);
        let given_back = events.at(0).to_event().sources;
        assert_eq!(
            given_back.first().and_then(|s| s.url.as_deref()),
            Some("https://example.org/a")
        );
        assert!(linked.to_list() == given_back);
        assert_eq!(
            serde_json::to_string(&linked).expect("json"),
            r#"[{"name":"example.org","url":"https://example.org/a"},{"name":"ISPR"}]"#
        );
    }
}

#[cfg(test)]
mod title_tests {
    use super::*;
    use crate::model::{DateSpan, Names};

    /// Shared titles stay shared names; titles of an event's own are text;
    /// a search's key tells titles apart either way.
    #[test]
    fn titles_read_back_shared_or_own_and_keys_tell_them_apart() {
        let mut names = Names::default();
        let titles = [
            (true, "Clash in Khost"),
            (false, "Strike at 34.1, 70.2"),
            (true, "Clash in Kunar"),
            (true, "Clash in Khost"),
            (false, "Strike at 34.3, 70.9"),
        ];
        let mut events = Events::default();
        for (n, &(shared, title)) in titles.iter().enumerate() {
            let title = if shared {
                names.get(title)
            } else {
                Name::from(title)
            };
            let event = Event {
                title,
                ..Event::new("E", DateSpan::day(Day(n as i32)))
            };
            events.push(event, OwnTexts::new("E", ""));
        }
        assert_eq!(events.own_titles.get(1), "Strike at 34.1, 70.2");
        assert_eq!(events.own_titles.get(3), "", "shared, so held as a name");
        let read: Vec<&str> = events.iter().map(|e| e.title()).collect();
        assert_eq!(
            read,
            [
                "Clash in Khost",
                "Strike at 34.1, 70.2",
                "Clash in Kunar",
                "Clash in Khost",
                "Strike at 34.3, 70.9"
            ]
        );
        let keys: Vec<u64> = events.iter().map(|e| e.title_key()).collect();
        assert_eq!(keys[0], keys[3]);
        let mut distinct = keys.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 4, "{keys:?}");
    }
}

#[cfg(test)]
mod extra_tests {
    use super::*;
    use crate::model::{DateSpan, Extra, ExtraInterner, Fields};
    use std::sync::Arc;

    /// Fields of an event's own are kept as text, shared ones as they are;
    /// both read back after the shared groups, and are given back.
    #[test]
    fn own_fields_read_back_after_the_shared_ones() {
        let keys: ExtraKeys = Arc::new(["tone", "mentions"].map(Name::from).into());
        let mut interner = ExtraInterner::default();
        let shared_own = Fields::new(&keys, [Some("1.5"), Some("3")]);
        let mut events = Events::default();
        for n in 0..3 {
            let own = match n {
                0 => Fields::new(&keys, [Some("-2.5"), None]),
                1 => shared_own.clone(),
                _ => None,
            };
            // The third has the fields of a place of its own.
            let place_keys: ExtraKeys = Arc::new(["admin1"].map(Name::from).into());
            let place = (n == 2)
                .then(|| Fields::new(&place_keys, [Some("Khost")]))
                .flatten();
            let extra = Extra::from_groups(interner.group(&[("code", "190")]), place).with_own(own);
            let event = Event {
                extra,
                ..Event::new("E", DateSpan::day(Day(n)))
            };
            events.push(event, OwnTexts::new("E", ""));
        }
        assert_eq!(events.unshared_values[1].get(0), "-2.5\u{1f}\u{1e}");
        assert_eq!(
            events.unshared_values[1].get(1),
            "",
            "shared: kept as it is"
        );
        let pairs = |i: usize| events.at(i).extra().iter().collect::<Vec<_>>();
        assert_eq!(pairs(0), [("code", "190"), ("tone", "-2.5")]);
        assert_eq!(
            pairs(1),
            [("code", "190"), ("tone", "1.5"), ("mentions", "3")]
        );
        assert_eq!(pairs(2), [("code", "190"), ("admin1", "Khost")]);
        assert_eq!(events.unshared_values[0].get(2), "Khost\u{1f}");
        assert_eq!(events.at(0).extra().get("tone"), Some("-2.5"));
        for i in 0..3 {
            let given_back = events.at(i).to_event().extra;
            assert_eq!(given_back.iter().collect::<Vec<_>>(), pairs(i));
        }
    }

    /// Events appended after others read back with their fields and
    /// places: a group both parts hold (one pointer) is numbered once, the
    /// appended part's places are moved past this one's, and a list of
    /// places its events shared is made again once, and shared.
    #[test]
    fn appended_events_keep_their_fields_and_places() {
        let keys: ExtraKeys = Arc::new(["tone"].map(Name::from).into());
        let mut interner = ExtraInterner::default();
        let both = interner.group(&[("code", "190")]);
        let mut part = |admin: &str| {
            let list = SharedList::from(&[1, 0][..]);
            let lists = [
                PlaceList::One(0),
                PlaceList::Many(list.clone()),
                PlaceList::Many(list),
                PlaceList::None,
            ];
            let mut events = Events::default();
            for (n, places) in lists.into_iter().enumerate() {
                let group = if n % 2 == 0 {
                    both.clone()
                } else {
                    interner.group(&[("admin1", admin)])
                };
                let tone = n.to_string();
                let own = Fields::new(&keys, [Some(tone.as_str())]);
                let event = Event {
                    places,
                    extra: Extra::from_groups(group, None).with_own(own),
                    ..Event::new(admin, DateSpan::day(Day(0)))
                };
                events.push(event, OwnTexts::new(admin, ""));
            }
            events
        };
        let mut events = part("Punjab");
        events.append(part("Sindh"), &PlaceMap::From(10), &[]);
        assert_eq!(events.extra_groups.len(), 3, "the one both hold, one each");
        assert_eq!(events.own_keys.len(), 1);
        let places: Vec<&[PlaceIdx]> = events.iter().map(|e| e.places()).collect();
        let want: [&[PlaceIdx]; 8] = [
            &[0],
            &[1, 0],
            &[1, 0],
            &[],
            &[10],
            &[11, 10],
            &[11, 10],
            &[],
        ];
        assert_eq!(places, want);
        assert_eq!(events.at(5).places_key(), events.at(6).places_key());
        for (n, e) in events.iter().enumerate() {
            let admin = if n < 4 { "Punjab" } else { "Sindh" };
            let first = if n % 2 == 0 {
                ("code", "190")
            } else {
                ("admin1", admin)
            };
            let tone = (n % 4).to_string();
            let pairs: Vec<_> = e.extra().iter().collect();
            assert_eq!(pairs, [first, ("tone", tone.as_str())], "event {n}");
            assert_eq!(e.id(), admin);
        }
    }

    /// Features that each name fields of their own (GeoJSON) keep theirs.
    #[test]
    fn many_sets_of_own_fields_keep_their_names() {
        let mut events = Events::default();
        for n in 0..300 {
            let key = format!("field{}", n % 100);
            let keys: ExtraKeys = Arc::new([Name::from(key.as_str())].into());
            let extra = Extra::default().with_own(Fields::new(&keys, [Some("x")]));
            let event = Event {
                extra,
                ..Event::new("E", DateSpan::day(Day(n)))
            };
            events.push(event, OwnTexts::new("E", ""));
        }
        assert_eq!(events.own_keys.len(), 300, "each set of names its own");
        for n in [0, 99, 250] {
            let pairs: Vec<_> = events.at(n).extra().iter().collect();
            assert_eq!(pairs, [(format!("field{}", n % 100).as_str(), "x")]);
        }
    }
}
