//! A loaded dataset: events sorted by date, the places and categories they
//! share. Immutable once built, so views and indexes can borrow it freely.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use super::columns::permute;
use super::facets::{FacetIndex, ProvinceNamer, RegionPoint};
use super::fast_hash::FastBuild;
use super::place_regions::PlaceRegions;
use super::places::PlaceTable;
use super::{
    CategoryIdx, Event, EventIdx, EventRef, Events, ExtraGroup, ExtraInterner, Lists,
    LocationPrecision, Name, Names, OwnTexts, Place, PlaceIdx, PlaceKind, PlaceList,
    PlacePrecision, PlaceRef, Places, Source, TitleSharing,
};
use crate::halves::in_halves;
use crate::model::Day;

/// Events with the places and categories they refer to by index.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// A short name for the dataset (shown in the title bar).
    pub title: String,
    /// Events, sorted by start day, then end day, then id.
    pub events: Events,
    /// Places, in the order first named.
    pub places: Places,
    /// Category names, sorted.
    pub categories: Vec<String>,
    /// The names of the files the events came from, one layer each (empty
    /// for a dataset built in code: one unnamed layer).
    pub layers: Vec<String>,
    /// The layer of each event, parallel to `events` (empty: all in layer 0).
    pub event_layers: Vec<u16>,
    /// The events naming each place, in event order, parallel to `places`;
    /// built once by [`DatasetBuilder::finish`] so hover and selection on
    /// the map don't scan every event.
    pub place_events: PlaceEvents,
    /// The events' values by facet ([`Dataset::facets`]), made on first need.
    pub facet_index: FacetCache,
}

/// A dataset's [`FacetIndex`], made once by whichever thread needs it
/// first (with the [`ProvinceNamer`] given before, if any). A dataset is
/// not changed after it is made, so it never goes stale.
#[derive(Clone, Default)]
pub struct FacetCache {
    index: OnceLock<FacetIndex>,
    provinces: OnceLock<ProvinceNamer>,
    region_points: OnceLock<RegionPoint>,
    /// Each place's province and country on the basemap, found once.
    place_regions: OnceLock<Arc<PlaceRegions>>,
}

impl std::fmt::Debug for FacetCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FacetCache")
            .field("index", &self.index.get().is_some())
            .field("provinces", &self.provinces.get().is_some())
            .field("place_regions", &self.place_regions.get().is_some())
            .finish()
    }
}

/// The events naming each place, as one list in place order (place `p`'s
/// are `events[starts[p]..starts[p + 1]]`): two allocations in all, not
/// one a place, for a file whose every row has a place of its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlaceEvents {
    starts: Vec<u32>,
    events: Vec<EventIdx>,
}

impl PlaceEvents {
    /// The events naming `place`, in event order (none for an unknown place).
    pub fn of(&self, place: PlaceIdx) -> &[EventIdx] {
        let p = place as usize;
        let (Some(&start), Some(&end)) = (self.starts.get(p), self.starts.get(p + 1)) else {
            return &[];
        };
        self.events
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }
}

impl Dataset {
    /// The event at `idx`.
    pub fn event(&self, idx: EventIdx) -> Option<EventRef<'_>> {
        self.events.get(idx as usize)
    }

    /// The place at `idx`.
    pub fn place(&self, idx: PlaceIdx) -> Option<PlaceRef<'_>> {
        self.places.get(idx)
    }

    /// The name of a category.
    pub fn category_name(&self, idx: CategoryIdx) -> &str {
        self.categories
            .get(usize::from(idx))
            .map_or("uncategorised", String::as_str)
    }

    /// The layer an event belongs to.
    pub fn layer_of(&self, event: EventIdx) -> u16 {
        self.event_layers.get(event as usize).copied().unwrap_or(0)
    }

    /// One dataset from several, each becoming a layer named by its title:
    /// places and categories are shared by value, events keep their order.
    pub fn merge(parts: Vec<Dataset>) -> Dataset {
        if parts.len() == 1 {
            return parts.into_iter().next().unwrap_or_default();
        }
        let titles: Vec<&str> = parts.iter().map(|d| d.title.as_str()).collect();
        let mut builder = DatasetBuilder::new(titles.join(" + "));
        for part in &parts {
            let layer = builder.layer(&part.title);
            // Each place is found in the merged ones once, not per event.
            let places: Vec<PlaceIdx> = part
                .places
                .iter()
                .map(|p| builder.place(p.to_place()))
                .collect();
            for event in &part.events {
                let mut event = event.to_event();
                event.places = event
                    .places
                    .iter()
                    .filter_map(|&p| places.get(p as usize).copied())
                    .collect();
                event.category = builder.category(part.category_name(event.category));
                builder.push_in_layer(event, layer);
            }
        }
        builder.finish()
    }

    /// The events' values by facet: made here on first call (for a large
    /// dataset, best on a thread beside the window's; see
    /// [`Dataset::facets_ready`]).
    pub fn facets(&self) -> &FacetIndex {
        let provinces = self.facet_index.provinces.get();
        self.facet_index
            .index
            .get_or_init(|| FacetIndex::of(self, provinces))
    }

    /// The facet index, if it was made already.
    pub fn facets_ready(&self) -> Option<&FacetIndex> {
        self.facet_index.index.get()
    }

    /// What a layer that knows the basemap says of the places: where the
    /// facet index, made after this, finds the province of a place the data
    /// gives none, and where a region lies (the first given stay).
    pub fn use_basemap(&self, provinces: ProvinceNamer, region_points: RegionPoint) {
        let _ = self.facet_index.provinces.set(provinces);
        let _ = self.facet_index.region_points.set(region_points);
    }

    /// Each place's province and country: found by `find` the first time
    /// (on the basemap, by a layer that knows it), kept after that.
    pub fn place_regions_with(&self, find: impl FnOnce() -> PlaceRegions) -> &Arc<PlaceRegions> {
        self.facet_index
            .place_regions
            .get_or_init(|| Arc::new(find()))
    }

    /// Each place's province and country, if they were found already.
    pub fn place_regions_ready(&self) -> Option<&Arc<PlaceRegions>> {
        self.facet_index.place_regions.get()
    }

    /// How precisely an event's first place (the one the map and the
    /// filters go by) is known; `None` when it is on no place of the map.
    pub fn location_precision_of(&self, event: EventRef<'_>) -> Option<LocationPrecision> {
        let first = *event.places().first()?;
        self.place(first)?.location.as_ref()?;
        Some(self.places.precision_at(first).0)
    }

    /// Where place `p` lies, `[lon, lat]`: its point, an area's centre, or
    /// (once [`Dataset::use_basemap`] said where regions lie) a province's
    /// or a country's label point.
    pub fn place_point(&self, p: PlaceIdx) -> Option<[f64; 2]> {
        match self.place(p)?.location? {
            super::Location::Point { lon_lat } => Some(lon_lat),
            super::Location::Area(area) => Some(area.center_lon_lat()),
            super::Location::Region(id) => self.facet_index.region_points.get()?(id),
        }
    }

    /// The index of the event with this id.
    pub fn find_event(&self, id: &str) -> Option<EventIdx> {
        let i = self.events.iter().position(|e| e.id() == id)?;
        u32::try_from(i).ok()
    }

    /// The first and last day any event may have happened on.
    pub fn span(&self) -> Option<(Day, Day)> {
        let first = self.events.starts().iter().min()?;
        let last = self.events.ends().iter().max()?;
        Some((*first, *last))
    }

    /// The same events and places, with `change` made to each event
    /// (given its index): for a test that needs an event written otherwise.
    #[cfg(test)]
    pub(crate) fn rebuilt(&self, mut change: impl FnMut(usize, &mut Event)) -> Dataset {
        let mut builder = DatasetBuilder::new(self.title.clone());
        for place in self.places.iter() {
            builder.place(place.to_place());
        }
        for (i, event) in self.events.iter().enumerate() {
            let mut event = event.to_event();
            event.category = builder.category(self.category_name(event.category));
            change(i, &mut event);
            builder.push(event);
        }
        builder.finish()
    }

    /// Events that name a place, in event order.
    pub fn events_at(&self, place: PlaceIdx) -> impl Iterator<Item = EventIdx> + '_ {
        self.place_events.of(place).iter().copied()
    }
}

/// How many categories are looked up by comparing each name in turn.
const FEW_CATEGORIES: usize = 16;

/// Collects events while interning their places and categories.
///
/// Loaders push events one by one with place and category *values*; the
/// builder shares equal places so that the map draws each place once, and
/// sorts everything in [`DatasetBuilder::finish`] so output is deterministic.
#[derive(Default)]
pub struct DatasetBuilder {
    title: String,
    events: Events,
    /// The places, in columns, and how to find one named before.
    places: PlaceTable,
    categories: Vec<String>,
    /// Each category's index by its name in ASCII lower case: a file may
    /// name thousands (a free-text type column), looked up once a row.
    category_index: HashMap<Box<[u8]>, CategoryIdx, FastBuild>,
    /// The lower-case name being looked up (kept to spare an allocation).
    category_key: Vec<u8>,
    layers: Vec<String>,
    event_layers: Vec<u16>,
    /// What events share: titles (and a loader's other names), and lists
    /// of actors, sources and places.
    names: Names,
    titles: TitleSharing,
    /// The extra fields a loader reads as pairs of its own (a table's
    /// `extra` column, GeoJSON's other properties), shared like any group.
    extras: ExtraInterner,
    actor_lists: Lists<Name>,
    source_lists: Lists<Source>,
    place_lists: Lists<PlaceIdx>,
    /// The texts a loader wrote itself ([`DatasetBuilder::start_block`]),
    /// which the ids and summaries of its next events are read from.
    block: String,
}

impl DatasetBuilder {
    /// A builder for a dataset with this title.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    /// The index of a place, added if not seen before.
    pub fn place(&mut self, place: Place) -> PlaceIdx {
        self.places.place(&place)
    }

    /// Like [`DatasetBuilder::place`] for a point given by its parts: a place
    /// seen before is found without a string being made, and a new one is
    /// written into the columns without one.
    pub fn point_place(
        &mut self,
        name: &str,
        kind: PlaceKind,
        country: Option<&str>,
        lon_lat: [f64; 2],
        precision: PlacePrecision,
    ) -> PlaceIdx {
        self.places.point(name, kind, country, lon_lat, precision)
    }

    /// The places added so far.
    pub fn places(&self) -> &Places {
        self.places.places()
    }

    /// The provisional index of a category by name (case-insensitive).
    ///
    /// Every name is kept in `category_index` as well, which lookups use
    /// once there are more than `FEW_CATEGORIES`.
    pub fn category(&mut self, name: &str) -> CategoryIdx {
        let name = name.trim();
        let name = if name.is_empty() {
            "uncategorised"
        } else {
            name
        };
        // A few names are compared in turn, faster than a hash; past them
        // the index keeps a row's lookup from growing with their number.
        if self.categories.len() <= FEW_CATEGORIES {
            let found = self
                .categories
                .iter()
                .position(|c| c.eq_ignore_ascii_case(name));
            if let Some(i) = found {
                return CategoryIdx::try_from(i).unwrap_or(CategoryIdx::MAX);
            }
        }
        self.category_key.clear();
        self.category_key
            .extend(name.bytes().map(|b| b.to_ascii_lowercase()));
        if let Some(&i) = self.category_index.get(self.category_key.as_slice()) {
            return i;
        }
        self.categories.push(name.to_owned());
        let i = CategoryIdx::try_from(self.categories.len() - 1).unwrap_or(CategoryIdx::MAX);
        self.category_index
            .insert(self.category_key.as_slice().into(), i);
        i
    }

    /// Starts a new layer (one per file) and returns its index.
    pub fn layer(&mut self, name: &str) -> u16 {
        self.layers.push(name.to_owned());
        u16::try_from(self.layers.len() - 1).unwrap_or(u16::MAX)
    }

    /// Adds an event whose `category` came from [`DatasetBuilder::category`]
    /// and whose places came from [`DatasetBuilder::place`].
    pub fn push(&mut self, event: Event) {
        self.push_in_layer(event, 0);
    }

    /// Adds an event to a layer made by [`DatasetBuilder::layer`].
    ///
    /// Its title and lists become the ones an equal earlier event holds, so
    /// that a big file keeps one copy of each.
    pub fn push_in_layer(&mut self, mut event: Event, layer: u16) {
        let title = std::mem::take(&mut event.title);
        event.title = self.titles.share(&mut self.names, title);
        event.actors = self.actor_lists.get(&event.actors);
        event.sources = self.source_lists.get(&event.sources);
        event.places = self.place_list(&event.places);
        self.push_shared(event, layer);
    }

    /// Adds an event whose title and lists came from this builder's
    /// [`name`](DatasetBuilder::name) and `_list` methods (they are not
    /// looked up again), with its id and summary given as text (the ones
    /// it holds are not read).
    pub fn push_interned_texts(&mut self, event: Event, texts: OwnTexts<'_>) {
        self.events.push(event, texts);
        self.push_layer(0);
    }

    /// Keeps the layer of the event pushed last: nothing while every event
    /// is in layer 0 (one file).
    fn push_layer(&mut self, layer: u16) {
        if layer == 0 && self.event_layers.is_empty() {
            return;
        }
        self.event_layers
            .resize(self.events.len().saturating_sub(1), 0);
        self.event_layers.push(layer);
    }

    /// Adds an event whose title and lists are shared already.
    fn push_shared(&mut self, mut event: Event, layer: u16) {
        let (id, summary) = (
            std::mem::take(&mut event.id),
            std::mem::take(&mut event.summary),
        );
        self.events.push(event, OwnTexts::new(&id, &summary));
        self.push_layer(layer);
    }

    /// Starts a block of texts the loader wrote itself, for the events it
    /// then adds with [`DatasetBuilder::push_with_spans`]: `texts` is taken,
    /// and left holding the block before, emptied, for the loader to write
    /// its next texts in.
    pub fn start_block(&mut self, texts: &mut String) {
        std::mem::swap(&mut self.block, texts);
        texts.clear();
    }

    /// The text at `range` of the block [`DatasetBuilder::start_block`]
    /// started last (empty where the range is not in it).
    pub fn block_text(&self, range: Range<usize>) -> &str {
        self.block.get(range).unwrap_or_default()
    }

    /// Adds an event whose title and lists the loader shared itself,
    /// through [`DatasetBuilder::name`] and the `_list` methods (ACLED
    /// does, once for each different cell), and whose id and summary are
    /// at these ranges of the block started last.
    pub fn push_with_spans(
        &mut self,
        event: Event,
        layer: u16,
        id: Range<usize>,
        summary: Range<usize>,
    ) {
        let text = |range: Range<usize>| self.block.get(range).unwrap_or_default();
        self.events
            .push(event, OwnTexts::new(text(id), text(summary)));
        self.push_layer(layer);
    }

    /// The shared name with this text, for a loader that shares an event's
    /// title and names itself (see [`DatasetBuilder::push_with_spans`]).
    pub fn name(&mut self, text: &str) -> Name {
        self.names.get(text)
    }

    /// The group of extra fields of these pairs, in order (`None` for
    /// none): behind field names shared with the groups of the same
    /// fields, and one with the equal groups while groups repeat.
    pub fn extra_group(&mut self, pairs: &[(String, String)]) -> Option<ExtraGroup> {
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.extras.group(&pairs)
    }

    /// The extra fields of an event whose only fields are these pairs
    /// ([`DatasetBuilder::extra_group`]).
    pub fn extra(&mut self, pairs: &[(String, String)]) -> super::Extra {
        super::Extra::from_groups(self.extra_group(pairs), None)
    }

    /// An event's title: shared with the events of the same title while
    /// the file's titles repeat (see [`TitleSharing`]).
    pub fn title(&mut self, text: &str) -> Name {
        self.titles.get(&mut self.names, text)
    }

    /// The shared list of these actors.
    pub fn actor_list(&mut self, actors: &[Name]) -> super::NameList {
        self.actor_lists.get(actors)
    }

    /// The shared list of these sources.
    pub fn source_list(&mut self, sources: &[Source]) -> super::SourceList {
        self.source_lists.get(sources)
    }

    /// The list of these places: one place is held as it is, several
    /// are shared.
    pub fn place_list(&mut self, places: &[PlaceIdx]) -> PlaceList {
        match places {
            [] => PlaceList::None,
            &[one] => PlaceList::One(one),
            many => PlaceList::Many(self.place_lists.get(many)),
        }
    }

    /// The id of an event pushed earlier, by the order it was pushed in.
    pub fn id_of(&self, pushed: usize) -> Option<&str> {
        (pushed < self.events.len()).then(|| self.events.id(pushed))
    }

    /// The actors of an event pushed earlier, by the order it was pushed in.
    pub fn actors_of(&self, pushed: usize) -> Option<&[Name]> {
        self.events.get(pushed).map(|e| e.actors())
    }

    /// Gives an event pushed earlier these actors (a monadic ACLED export
    /// adds actors to an event it has already read).
    pub fn set_actors(&mut self, pushed: usize, actors: super::NameList) {
        self.events.set_actors(pushed, actors);
    }

    /// Adds `other`'s events after this builder's, as if they had been
    /// pushed here in order after its own: a loader that read a large
    /// file's parts on threads, each into a builder, joins them in file
    /// order. [`DatasetBuilder::finish`] then makes the same dataset as
    /// one builder given every event would.
    ///
    /// `other` is taken a column at a time, each dropped once added, so
    /// that two large parts are not held twice. Its places are added as
    /// they are, those equal to earlier ones made one at the end, which
    /// is also how this builder adds places from then on (a place named
    /// again is only found by `finish`, so [`DatasetBuilder::places`] may
    /// list it twice until then). Its categories and layers are found
    /// here by name. What `other` shared (titles, lists, groups of fields)
    /// stays shared among its events, but is not found by this builder
    /// when later events name it again: those hold equal copies. The block
    /// of texts `other` started, if any, is the one started last.
    pub fn append(&mut self, mut other: DatasetBuilder) {
        let len = self.events.len();
        let events = std::mem::take(&mut other.events);
        let places = std::mem::take(&mut other.places);
        let categories = std::mem::take(&mut other.categories);
        let layers = std::mem::take(&mut other.layers);
        let event_layers = std::mem::take(&mut other.event_layers);
        let block = std::mem::take(&mut other.block);
        // What it shared values through is of no more use.
        drop(other);
        let categories: Vec<CategoryIdx> = categories.iter().map(|c| self.category(c)).collect();
        let places_here = self.places.append(places);
        let added = events.len();
        self.events.append(events, &places_here, &categories);
        self.append_layers(len, added, &layers, event_layers);
        if !block.is_empty() {
            self.block = block;
        }
    }

    /// Puts `added` appended events after the `len` before them in the
    /// layers of the names `layers` gives (by their number there), added
    /// here where new.
    fn append_layers(
        &mut self,
        len: usize,
        added: usize,
        layers: &[String],
        event_layers: Vec<u16>,
    ) {
        let numbers: Vec<u16> = layers.iter().map(|name| self.layer_named(name)).collect();
        let renumber = |layer: u16| numbers.get(usize::from(layer)).copied().unwrap_or(layer);
        if event_layers.is_empty() && renumber(0) == 0 {
            return;
        }
        self.event_layers.resize(len, 0);
        self.event_layers
            .extend(event_layers.into_iter().map(renumber));
        self.event_layers.resize(len + added, renumber(0));
    }

    /// The layer of this name, started if there is none.
    fn layer_named(&mut self, name: &str) -> u16 {
        match self.layers.iter().position(|layer| layer == name) {
            Some(at) => u16::try_from(at).unwrap_or(u16::MAX),
            None => self.layer(name),
        }
    }

    /// Makes room for `additional` more events at once.
    pub fn reserve(&mut self, additional: usize) {
        self.events.reserve(additional);
    }

    /// Number of events pushed so far.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether no event was pushed.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Sorts categories and events and returns the dataset.
    pub fn finish(self) -> Dataset {
        let mut order: Vec<usize> = (0..self.categories.len()).collect();
        order.sort_by(|&a, &b| self.categories[a].cmp(&self.categories[b]));
        let mut remap = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old] = CategoryIdx::try_from(new).unwrap_or(CategoryIdx::MAX);
        }
        let categories = order.iter().map(|&i| self.categories[i].clone()).collect();
        let mut event_layers = self.event_layers;
        let order = sorted_order(&self.events);
        if !event_layers.is_empty() {
            event_layers.resize(self.events.len(), 0);
            permute(&mut event_layers, &order);
        }
        let mut events = self.events.reordered(&order, &remap);
        // Not held while the places are finished.
        drop(order);
        let layers = if self.layers.is_empty() {
            vec![self.title.clone()]
        } else {
            self.layers
        };
        let (places, moved) = self.places.finish();
        if let Some(new_of) = moved {
            events.move_places(&new_of);
        }
        let place_events = index_places(&events, places.len());
        Dataset {
            title: self.title,
            place_events,
            events,
            places,
            layers,
            event_layers,
            categories,
            facet_index: FacetCache::default(),
        }
    }
}

/// The order of `events` by start day, end day and id, ties in the order
/// they came (each entry the index of the event to put there).
///
/// The events are counted into their start days first, then each day is
/// sorted alone: sort keys are needed for one day's events at a time, not
/// for all of them (24 bytes an event, which at a million events was most
/// of what a load's peak held beyond the events).
fn sorted_order(events: &Events) -> Vec<u32> {
    let starts = events.starts();
    let days = StartDays::of(starts);
    // Where each start day's events begin in the order.
    let mut firsts = vec![0_usize; days.len()];
    for &start in starts {
        if let Some(n) = firsts.get_mut(days.rank(start)) {
            *n += 1;
        }
    }
    let mut at = 0;
    for slot in &mut firsts {
        let n = *slot;
        *slot = at;
        at += n;
    }
    let mut order = vec![0_u32; events.len()];
    let mut cursors = firsts.clone();
    for (i, &start) in starts.iter().enumerate() {
        if let Some(cursor) = cursors.get_mut(days.rank(start)) {
            if let Some(slot) = order.get_mut(*cursor) {
                *slot = u32::try_from(i).unwrap_or(u32::MAX);
            }
            *cursor += 1;
        }
    }
    // The days are sorted on two threads, split at the day where the
    // second half of the events begins.
    let bounds: Vec<usize> = firsts.into_iter().chain([events.len()]).collect();
    let middle = bounds
        .partition_point(|&at| at < events.len() / 2)
        .min(bounds.len().saturating_sub(1));
    let split = bounds.get(middle).copied().unwrap_or(0);
    let (front, back) = order.split_at_mut(split.min(events.len()));
    in_halves(
        events.len(),
        || sort_days(events, front, bounds.get(..=middle).unwrap_or_default()),
        || sort_days(events, back, bounds.get(middle..).unwrap_or_default()),
    );
    order
}

/// Sorts each day of `order` (which starts at `bounds[0]` of the whole
/// order, each day running from one bound to the next) by end day, then
/// id: the key holds the id's first eight bytes, so the ids themselves are
/// compared only when those are equal.
fn sort_days(events: &Events, order: &mut [u32], bounds: &[usize]) {
    let offset = bounds.first().copied().unwrap_or(0);
    let ends = events.ends();
    let mut keys: Vec<(Day, u64, u32)> = Vec::new();
    for pair in bounds.windows(2) {
        let Some(day) = order.get_mut(pair[0] - offset..pair[1] - offset) else {
            continue;
        };
        if day.len() < 2 {
            continue;
        }
        keys.clear();
        keys.extend(day.iter().map(|&i| {
            let end = ends.get(i as usize).copied().unwrap_or_default();
            (end, id_prefix(events.id(i as usize)), i)
        }));
        keys.sort_unstable_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| events.id(a.2 as usize).cmp(events.id(b.2 as usize)))
                .then(a.2.cmp(&b.2))
        });
        for (slot, key) in day.iter_mut().zip(&keys) {
            *slot = key.2;
        }
    }
}

/// The distinct start days of a dataset, each with its rank: a slot per
/// calendar day when the days span little more than the events do (years
/// of daily events), else a sorted list searched by halves.
enum StartDays {
    Dense {
        first: i64,
        ranks: Vec<u32>,
        count: usize,
    },
    Sparse(Vec<Day>),
}

impl StartDays {
    fn of(starts: &[Day]) -> Self {
        let (Some(first), Some(last)) = (
            starts.iter().map(|d| i64::from(d.0)).min(),
            starts.iter().map(|d| i64::from(d.0)).max(),
        ) else {
            return Self::Sparse(Vec::new());
        };
        let span = usize::try_from(last - first + 1).unwrap_or(usize::MAX);
        if span <= starts.len().max(1 << 16) {
            let mut ranks = vec![0_u32; span];
            for start in starts {
                let at = usize::try_from(i64::from(start.0) - first).unwrap_or(0);
                if let Some(slot) = ranks.get_mut(at) {
                    *slot = 1;
                }
            }
            let mut count = 0;
            for slot in &mut ranks {
                let present = *slot;
                *slot = u32::try_from(count).unwrap_or(u32::MAX);
                count += present as usize;
            }
            return Self::Dense {
                first,
                ranks,
                count,
            };
        }
        let mut days = starts.to_vec();
        days.sort_unstable();
        days.dedup();
        Self::Sparse(days)
    }

    /// How many distinct days there are.
    fn len(&self) -> usize {
        match self {
            Self::Dense { count, .. } => *count,
            Self::Sparse(days) => days.len(),
        }
    }

    /// The rank of a day among them (for a day that is one of them).
    fn rank(&self, day: Day) -> usize {
        match self {
            Self::Dense { first, ranks, .. } => usize::try_from(i64::from(day.0) - first)
                .ok()
                .and_then(|at| ranks.get(at))
                .map_or(0, |&r| r as usize),
            Self::Sparse(days) => days.binary_search(&day).unwrap_or(0),
        }
    }
}

/// The first eight bytes of an id as a number that orders like the id
/// (shorter ids are padded with zeros, and then tie: the caller compares
/// the whole ids).
fn id_prefix(id: &str) -> u64 {
    let mut bytes = [0_u8; 8];
    for (slot, &b) in bytes.iter_mut().zip(id.as_bytes()) {
        *slot = b;
    }
    u64::from_be_bytes(bytes)
}

/// Which events name each place: a count per place, then each event
/// written at its places' next free slot.
fn index_places(events: &Events, places: usize) -> PlaceEvents {
    let mut starts = vec![0_u32; places + 1];
    for &p in events.iter().flat_map(|e| e.places()) {
        if let Some(n) = starts.get_mut(p as usize + 1) {
            *n += 1;
        }
    }
    let mut total = 0_u32;
    for start in &mut starts {
        total = total.saturating_add(*start);
        *start = total;
    }
    let mut next = starts.clone();
    let mut list = vec![0; total as usize];
    for (i, event) in (0..).zip(events) {
        for &p in event.places() {
            if let Some(at) = next.get_mut(p as usize)
                && let Some(slot) = list.get_mut(*at as usize)
            {
                *slot = i;
                *at = at.saturating_add(1);
            }
        }
    }
    PlaceEvents {
        starts,
        events: list,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DateSpan, Location};

    fn event(id: &str, day: i32) -> Event {
        Event::new(id, DateSpan::day(Day(day)))
    }

    #[test]
    fn events_take_their_texts_from_a_block_the_loader_wrote() {
        let mut builder = DatasetBuilder::new("t");
        // Two blocks: in the second, a row that made no event left its
        // texts (the most of the block), so the events' are copied apart.
        let mut first = "E1first notesE2second notes".to_owned();
        let skipped = "x".repeat(100);
        let mut second = format!("E3third notes{skipped}");
        builder.start_block(&mut first);
        builder.push_with_spans(event("", 1), 0, 0..2, 2..13);
        builder.push_with_spans(event("", 2), 0, 13..15, 15..27);
        assert_eq!(builder.id_of(1), Some("E2"));
        assert_eq!(builder.block_text(15..27), "second notes");
        builder.start_block(&mut second);
        builder.push_with_spans(event("", 3), 0, 0..2, 2..13);
        // Outside the block: the event keeps its (empty) text alone.
        builder.push_with_spans(event("", 4), 0, 0..2, 200..210);
        assert_eq!(builder.id_of(0), Some("E1"), "from the frozen block");
        let dataset = builder.finish();
        let texts = |i: u32| {
            let e = dataset.event(i).expect("event");
            (e.id(), e.summary())
        };
        assert_eq!(texts(0), ("E1", "first notes"));
        assert_eq!(texts(1), ("E2", "second notes"));
        assert_eq!(texts(2), ("E3", "third notes"));
        assert_eq!(texts(3), ("E3", ""));
        // The texts of the row that made no event are not kept.
        assert_eq!(
            dataset.events.summary_bytes(),
            "first notessecond notesthird notes".len()
        );
    }

    #[test]
    fn events_sort_by_date_then_by_the_whole_id() {
        let mut builder = DatasetBuilder::new("t");
        for (id, day) in [
            ("ABCDEFGHZ", 5),
            ("B", 5),
            ("ABCDEFGHA", 5),
            ("AB", 5),
            ("AB\u{0}", 5),
            ("Z", 4),
        ] {
            builder.push(event(id, day));
        }
        let dataset = builder.finish();
        let ids: Vec<&str> = dataset.events.iter().map(|e| e.id()).collect();
        assert_eq!(ids, ["Z", "AB", "AB\u{0}", "ABCDEFGHA", "ABCDEFGHZ", "B"]);
    }

    /// Thousands of events, many on one day and with equal ids: the order is
    /// a plain stable sort's, and each event keeps its own texts. Days close
    /// together and far apart (the two ways of ranking them), in random
    /// order and newest first.
    #[test]
    fn a_large_load_sorts_like_a_plain_sort_and_keeps_its_texts() {
        for (spread, newest_first) in [(1, false), (1, true), (400_000, false), (400_000, true)] {
            let mut pick = crate::test_rng::Picker::new(7);
            let mut rows = Vec::new();
            for n in 0..5000_i32 {
                let start = (i32::try_from(pick.below(9)).unwrap_or(0) - 4) * spread;
                let end = start + i32::try_from(pick.below(3)).unwrap_or(0);
                let id = format!("ID{}", pick.below(700));
                rows.push((start, end, id.clone(), format!("event {n} of {id}")));
            }
            if newest_first {
                rows.sort_by_key(|r| std::cmp::Reverse(r.0));
            }
            let mut builder = DatasetBuilder::new("t");
            for (start, end, id, summary) in &rows {
                let mut e = event(id, 0);
                e.date = DateSpan::range(Day(*start), Day(*end), None);
                e.summary = summary.clone().into();
                builder.push(e);
            }
            rows.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
            let dataset = builder.finish();
            let got: Vec<(i32, i32, String, String)> = dataset
                .events
                .iter()
                .map(|e| {
                    (
                        e.date().start.0,
                        e.date().end.0,
                        e.id().to_string(),
                        e.summary().to_string(),
                    )
                })
                .collect();
            assert_eq!(got, rows, "spread {spread}, newest first {newest_first}");
        }
    }

    /// Places of one country share its code, however they came in.
    #[test]
    fn places_share_their_country() {
        let mut builder = DatasetBuilder::new("t");
        let a = builder.point_place(
            "A",
            PlaceKind::City,
            Some("AF"),
            [69.1, 34.5],
            PlacePrecision::default(),
        );
        let b = builder.place(Place {
            name: "B".into(),
            kind: PlaceKind::City,
            country: Some("AF".into()),
            location: Some(Location::Point {
                lon_lat: [70.0, 34.0],
            }),
            precision: PlacePrecision::default(),
        });
        let c = builder.point_place(
            "C",
            PlaceKind::City,
            Some("PK"),
            [71.0, 33.0],
            PlacePrecision::default(),
        );
        let country = |i: PlaceIdx| {
            builder
                .places()
                .get(i)
                .and_then(|p| p.country.cloned())
                .expect("country")
        };
        assert_eq!(country(a).address(), country(b).address());
        assert_ne!(country(a).address(), country(c).address());
        assert_eq!((country(b), country(c)), ("AF".into(), "PK".into()));
    }

    /// Categories are one whatever their ASCII case, blank is
    /// "uncategorised", and each of thousands is found again (past the
    /// few compared in turn, through the index).
    #[test]
    fn categories_are_found_by_name_in_any_case() {
        let mut builder = DatasetBuilder::new("t");
        let battles = builder.category("Battles");
        assert_eq!(builder.category(" BATTLES "), battles);
        assert_eq!(builder.category("battles"), battles);
        assert_eq!(builder.category(""), builder.category("Uncategorised"));
        let many: Vec<CategoryIdx> = (0..20_000)
            .map(|i| builder.category(&format!("type {i}")))
            .collect();
        assert_eq!(builder.category("TYPE 12345"), many[12_345]);
        assert_eq!(builder.categories.len(), 20_002);
        assert_eq!(builder.categories[usize::from(battles)], "Battles");
    }

    /// Events pushed in random order, so that most move when the columns
    /// are put in order: each keeps its category, layer and places, and
    /// each place lists exactly its events, in order.
    #[test]
    fn moved_events_keep_their_categories_layers_and_places() {
        let mut pick = crate::test_rng::Picker::new(11);
        let mut builder = DatasetBuilder::new("t");
        let layers = [builder.layer("a.csv"), builder.layer("b.csv")];
        let places: Vec<PlaceIdx> = (0..5)
            .map(|i| {
                builder.place(Place {
                    name: format!("P{i}").into(),
                    kind: crate::model::PlaceKind::City,
                    country: None,
                    location: None,
                    precision: PlacePrecision::default(),
                })
            })
            .collect();
        let kinds = ["Riots", "Battles", "Protests", "Explosions"];
        let mut pushed = Vec::new();
        for n in 0..5001_usize {
            let (kind, layer, place) = (pick.below(4), pick.below(2), pick.below(5));
            let mut e = event(
                &format!("E{n:05}"),
                i32::try_from(pick.below(40)).unwrap_or(0),
            );
            e.category = builder.category(kinds[kind]);
            e.places = builder.place_list(&[places[place]]);
            builder.push_in_layer(e, layers[layer]);
            pushed.push((kinds[kind], layers[layer], places[place]));
        }
        let dataset = builder.finish();
        let mut days = Vec::new();
        for (i, e) in dataset.events.iter().enumerate() {
            let n: usize = e.id()[1..].parse().expect("an id made above");
            let (kind, layer, place) = pushed[n];
            assert_eq!(dataset.category_name(e.category()), kind, "{}", e.id());
            assert_eq!(dataset.event_layers[i], layer, "{}", e.id());
            assert_eq!(*e.places(), [place], "{}", e.id());
            days.push(e.date().start);
        }
        assert!(days.is_sorted());
        for p in (0..).take(dataset.places.len()) {
            let list = dataset.place_events.of(p);
            let naming: Vec<EventIdx> = (0..)
                .zip(&dataset.events)
                .filter(|(_, e)| e.places().contains(&p))
                .map(|(i, _)| i)
                .collect();
            assert_eq!(list, naming, "place {p}");
        }
    }

    #[test]
    fn equal_places_are_one_whatever_their_case() {
        let mut builder = DatasetBuilder::new("t");
        let point = |name: &str, lon_lat: [f64; 2]| Place {
            name: name.into(),
            kind: PlaceKind::City,
            country: Some("AF".into()),
            location: Some(Location::Point { lon_lat }),
            precision: PlacePrecision::default(),
        };
        let kabul = builder.place(point("Kabul", [69.17, 34.53]));
        assert_eq!(builder.place(point("KABUL", [69.17, 34.53])), kabul);
        assert_eq!(
            builder.point_place(
                "kabul",
                PlaceKind::City,
                Some("AF"),
                [69.17, 34.53],
                PlacePrecision::default()
            ),
            kabul
        );
        // The Kelvin sign lowers to an ASCII k.
        assert_eq!(builder.place(point("\u{212a}abul", [69.17, 34.53])), kabul);
        let elsewhere = builder.place(point("Kabul", [69.18, 34.53]));
        assert_ne!(elsewhere, kabul);
        let province = builder.point_place(
            "Kabul",
            PlaceKind::Province,
            Some("AF"),
            [69.17, 34.53],
            PlacePrecision::default(),
        );
        assert_ne!(province, kabul);
        assert_eq!(builder.place(point("Kabul", [69.18, 34.53])), elsewhere);
    }

    #[test]
    fn one_place_is_held_as_it_is_several_are_shared_and_texts_are_kept() {
        let mut builder = DatasetBuilder::new("t");
        assert!(matches!(builder.place_list(&[3]), PlaceList::One(3)));
        assert!(matches!(builder.place_list(&[]), PlaceList::None));
        let (PlaceList::Many(a), PlaceList::Many(b)) =
            (builder.place_list(&[3, 1]), builder.place_list(&[3, 1]))
        else {
            panic!("several places make a shared list");
        };
        assert!(crate::model::SharedList::same(&a, &b));
        assert_eq!(*a, [3, 1]);
        let event = event("ignored", 1);
        builder.push_interned_texts(event, OwnTexts::new("E7", "what happened"));
        assert_eq!(builder.id_of(0), Some("E7"));
        let dataset = builder.finish();
        let pushed = dataset.events.first().expect("one event");
        assert_eq!((pushed.id(), pushed.summary()), ("E7", "what happened"));
    }
}

#[cfg(test)]
mod append_tests {
    use super::*;
    use crate::model::{
        Casualties, DateSpan, Extra, ExtraKeys, Fields, Location, LocationPrecision, Quote, Quotes,
        RegionId, RegionLevel, Repeats,
    };

    /// Asserts that two datasets hold the same events, places, categories
    /// and layers, read as views read them.
    fn assert_same(got: &Dataset, want: &Dataset, case: &str) {
        assert_eq!(got.categories, want.categories, "{case}");
        assert_eq!(got.layers, want.layers, "{case}");
        let places = |d: &Dataset| d.places.iter().map(|p| p.to_place()).collect::<Vec<_>>();
        assert_eq!(places(got), places(want), "{case}");
        assert_eq!(got.events.len(), want.events.len(), "{case}");
        for (i, (a, b)) in (0..).zip(got.events.iter().zip(&want.events)) {
            assert_eq!(a.to_event(), b.to_event(), "{case}, event {i}");
            assert_eq!(got.layer_of(i), want.layer_of(i), "{case}, event {i}");
        }
        assert_eq!(got.place_events, want.place_events, "{case}");
        // The places of a country share one name for it.
        let mut countries: HashMap<&str, usize> = HashMap::new();
        for country in got.places.iter().filter_map(|p| p.country) {
            let first = *countries.entry(country).or_insert(country.address());
            assert_eq!(country.address(), first, "{case}: {country}");
        }
    }

    /// For each `(split, rest)`, rows `..split` pushed into one builder and
    /// `split..rest` into another, appended to the first, which is then
    /// given the rows from `rest`: the same dataset as one builder given
    /// every row.
    fn assert_append_matches(
        rows: usize,
        splits: impl IntoIterator<Item = (usize, usize)>,
        new: impl Fn() -> DatasetBuilder,
        push: impl Fn(&mut DatasetBuilder, usize),
    ) {
        let given = |builder: &mut DatasetBuilder, range: Range<usize>| {
            for n in range {
                push(builder, n);
            }
        };
        let mut whole = new();
        given(&mut whole, 0..rows);
        let whole = whole.finish();
        for (split, rest) in splits {
            let (mut first, mut second) = (new(), new());
            given(&mut first, 0..split);
            given(&mut second, split..rest);
            first.append(second);
            given(&mut first, rest..rows);
            assert_same(
                &first.finish(),
                &whole,
                &format!("split {split}, rest {rest}"),
            );
        }
    }

    /// What rows share across a file whichever builder reads them: groups
    /// of fields a loader made once (one pointer in both parts), and the
    /// names of the fields rows have of their own.
    struct Shared {
        admin: Option<ExtraGroup>,
        region: Option<ExtraGroup>,
        own: Option<ExtraGroup>,
        location_keys: ExtraKeys,
        tone_keys: ExtraKeys,
    }

    impl Shared {
        fn new() -> Self {
            let mut interner = ExtraInterner::default();
            let tone_keys: ExtraKeys = Arc::new(["tone", "mentions"].map(Name::from).into());
            Self {
                admin: interner.group(&[("admin1", "Punjab"), ("admin2", "Lahore")]),
                region: interner.group(&[("region", "South Asia")]),
                own: Fields::new(&tone_keys, [Some("1.5"), Some("3")]),
                location_keys: Arc::new([Name::from("location")].into()),
                tone_keys,
            }
        }
    }

    /// How many rows the varied file has.
    const VARIED: usize = 96;

    fn city(builder: &mut DatasetBuilder, k: usize) -> PlaceIdx {
        let names = ["Kabul", "Herat", "Lahore", "Quetta", "Kandahar"];
        let country = if k % 5 < 2 { "AF" } else { "PK" };
        let lon = 60.0 + f64::from(u32::try_from(k % 5).unwrap_or(0));
        builder.point_place(
            names[k % 5],
            PlaceKind::City,
            Some(country),
            [lon, 30.0],
            PlacePrecision::default(),
        )
    }

    /// A point of row `k`'s own, named in either case; those past the
    /// middle of the file in a country named only there.
    fn spot(builder: &mut DatasetBuilder, k: usize, upper: bool) -> PlaceIdx {
        let name = format!("Spot {k}");
        let name = if upper { name.to_uppercase() } else { name };
        let country = if k > VARIED / 2 { "IR" } else { "AF" };
        let precision = match k % 3 {
            0 => PlacePrecision {
                stated: Some(LocationPrecision::Near),
                radius_km: Some(2.5),
            },
            1 => PlacePrecision::stated(LocationPrecision::Region),
            _ => PlacePrecision::default(),
        };
        let lon = 50.0 + f64::from(u32::try_from(k).unwrap_or(0)) / 100.0;
        builder.point_place(
            &name,
            PlaceKind::City,
            Some(country),
            [lon, 20.0],
            precision,
        )
    }

    fn region(builder: &mut DatasetBuilder, k: usize) -> PlaceIdx {
        let index = u32::try_from(k % 3).unwrap_or(0);
        builder.place(Place {
            name: format!("Province {index}").into(),
            kind: PlaceKind::Province,
            country: Some("PK".into()),
            location: Some(Location::Region(RegionId {
                level: RegionLevel::Province,
                index,
            })),
            precision: PlacePrecision::default(),
        })
    }

    fn nowhere(builder: &mut DatasetBuilder, k: usize) -> PlaceIdx {
        builder.place(Place {
            name: format!("Valley {}", k % 2).into(),
            kind: PlaceKind::Province,
            country: None,
            location: None,
            precision: PlacePrecision::default(),
        })
    }

    /// Row `n`'s places: none, a city many rows name, a region, a point of
    /// a few named again (in either case), one of its own, a place nowhere,
    /// or lists of several.
    fn varied_places(builder: &mut DatasetBuilder, n: usize) -> PlaceList {
        let places = match n % 7 {
            0 => vec![],
            1 => vec![city(builder, n)],
            2 => vec![region(builder, n)],
            3 => vec![city(builder, n), city(builder, n + 1)],
            4 => vec![spot(builder, n % 20, n % 2 == 1)],
            5 => vec![nowhere(builder, n)],
            _ => vec![
                spot(builder, n, false),
                city(builder, n),
                region(builder, n),
            ],
        };
        builder.place_list(&places)
    }

    /// Row `n`'s category: names that differ only in case, some first
    /// named past the middle of the file, and more than are compared in
    /// turn.
    fn varied_category(n: usize) -> String {
        let late = n > VARIED / 2;
        match n % 6 {
            0 => "Battles".into(),
            1 => "riots".into(),
            2 => "BATTLES".into(),
            3 if late => "Protests".into(),
            4 if late => "protests".into(),
            3 => " Riots ".into(),
            4 => String::new(),
            _ => format!("type {}", n % 23),
        }
    }

    /// Row `n`'s extra fields: groups shared across the file, groups of
    /// the builder's, and fields of the row's own (kept as text where no
    /// other event holds them), some only past a third of the file.
    fn varied_extra(builder: &mut DatasetBuilder, n: usize, shared: &Shared) -> Extra {
        let first = match n % 3 {
            0 => shared.admin.clone(),
            1 => builder.extra_group(&[("geo_precision".into(), (n % 2).to_string())]),
            _ => None,
        };
        let location = format!("Spot {n}");
        let second = match n % 4 {
            1 => Fields::new(&shared.location_keys, [Some(location.as_str())]),
            2 => shared.region.clone(),
            _ => None,
        };
        let tone = format!("-{n}.5");
        let keys: ExtraKeys = Arc::new([Name::from(format!("field{}", n % 3))].into());
        let own = match n % 5 {
            1 if n > VARIED / 3 => Fields::new(&shared.tone_keys, [Some(tone.as_str()), None]),
            2 => shared.own.clone(),
            4 => Fields::new(&keys, [Some("x")]),
            _ => None,
        };
        Extra::from_groups(first, second).with_own(own)
    }

    /// Row `n` as a loader makes it, with the fields most formats leave
    /// empty given by a few rows, some only late in the file.
    fn varied_event(builder: &mut DatasetBuilder, n: usize, shared: &Shared) -> Event {
        let day = i32::try_from((n * 7) % 13).unwrap_or(0);
        let end = day + i32::try_from(n % 3).unwrap_or(0);
        let wording = (n > VARIED / 2 && n.is_multiple_of(5)).then(|| format!("week {n}"));
        let actors = [
            builder.name("SAF"),
            builder.name(&format!("Militia {}", n % 3)),
        ];
        let outlet = Source {
            name: builder.name(if n.is_multiple_of(2) { "ISPR" } else { "Dawn" }),
            kind: n.is_multiple_of(3).then(|| builder.name("official")),
            url: None,
        };
        let casualties = (n > VARIED / 3 && !n.is_multiple_of(4)).then(|| Casualties {
            killed: Some(u32::try_from(n % 4).unwrap_or(0)),
            injured: n.is_multiple_of(3).then_some(2),
            detail: n.is_multiple_of(9).then(|| "guards".into()),
        });
        let quotes = if n > 2 * VARIED / 3 && n.is_multiple_of(2) {
            Quotes::from(vec![Quote {
                speaker: "ISPR".into(),
                text: format!("quote {n}"),
                context: n.is_multiple_of(4).then(|| "post on X".into()),
            }])
        } else {
            Quotes::default()
        };
        let category = varied_category(n);
        Event {
            places: varied_places(builder, n),
            actors: builder.actor_list(actors.get(..n % 3).unwrap_or_default()),
            category: builder.category(&category),
            casualties,
            sources: builder.source_list(&[outlet]),
            quotes,
            extra: varied_extra(builder, n, shared),
            ..Event::new(
                format!("E{:02}", n % 40),
                DateSpan::range(Day(day), Day(end), wording),
            )
        }
    }

    /// The layer of row `n` in a file of several: the first for a quarter,
    /// then one named next, then three in turn, then the second again.
    fn varied_layer(n: usize) -> &'static str {
        match n * 4 / VARIED {
            0 => "a.csv",
            1 | 3 => "c.csv",
            _ => ["b.csv", "c.csv", "a.csv"][n % 3],
        }
    }

    /// Pushes row `n` as loaders do: its title shared or its own (through
    /// a block of texts), with a link of its own (in the first layer).
    fn push_varied(builder: &mut DatasetBuilder, n: usize, shared: &Shared, layered: bool) {
        let mut event = varied_event(builder, n, shared);
        let summary = if n % 3 == 1 || n > 2 * VARIED / 3 {
            format!("summary {n}")
        } else {
            String::new()
        };
        let layer = if layered {
            builder.layer_named(varied_layer(n))
        } else {
            0
        };
        let id = event.id.to_string();
        if n % 6 == 5 {
            // A title of the row's own, which is kept as text.
            event.title = Name::from(format!("Strike at row {n}"));
            let mut block = format!("{id}{summary}");
            builder.start_block(&mut block);
            builder.push_with_spans(
                event,
                layer,
                0..id.len(),
                id.len()..id.len() + summary.len(),
            );
            return;
        }
        event.title = builder.title(&format!("Clash in {}", n % 4));
        if n % 8 == 3 && layer == 0 {
            let link = format!("https://example.org/{n}");
            let texts = OwnTexts {
                link: &link,
                ..OwnTexts::new(&id, &summary)
            };
            builder.push_interned_texts(event, texts);
            return;
        }
        event.summary = summary.into();
        builder.push_in_layer(event, layer);
    }

    /// Rows split at every point, the rest of them pushed after the append
    /// or not: one dataset whichever way, in one layer and in several.
    #[test]
    fn an_appended_builder_makes_the_dataset_one_builder_makes() {
        let shared = Shared::new();
        for layered in [false, true] {
            let new = || {
                let mut builder = DatasetBuilder::new("t");
                if layered {
                    builder.layer_named(varied_layer(0));
                }
                builder
            };
            let splits =
                (0..=VARIED).flat_map(|split| [(split, VARIED), (split, (split + 9).min(VARIED))]);
            assert_append_matches(VARIED, splits, new, |builder, n| {
                push_varied(builder, n, &shared, layered);
            });
        }
    }

    /// Rows each with a point of its own, so many that the builders stop
    /// looking places up, titles and lists (in one part, in the other, or
    /// in both); some rows name the point of an earlier one again, or a
    /// list of it and a city.
    #[test]
    fn an_appended_builder_finds_equal_places_once_lookups_stopped() {
        let window = Repeats::WINDOW as usize;
        let rows = 2 * window + 3000;
        let point = |builder: &mut DatasetBuilder, k: usize| {
            let lon = f64::from(u32::try_from(k).unwrap_or(0)) / 1000.0;
            builder.point_place(
                &format!("P{k}"),
                PlaceKind::City,
                Some(if k.is_multiple_of(2) { "AF" } else { "PK" }),
                [lon, 1.0],
                PlacePrecision::default(),
            )
        };
        let push = |builder: &mut DatasetBuilder, n: usize| {
            let own = point(builder, if n.is_multiple_of(100) { n / 2 } else { n });
            let places = if n.is_multiple_of(64) {
                let shared = city(builder, n);
                builder.place_list(&[own, shared])
            } else {
                builder.place_list(&[own])
            };
            let category = builder.category(if n.is_multiple_of(2) {
                "Battles"
            } else {
                "riots"
            });
            let event = Event {
                title: builder.title(&format!("Event at P{n}")),
                places,
                category,
                ..Event::new(
                    format!("E{n}"),
                    DateSpan::day(Day(i32::try_from(n % 400).unwrap_or(0))),
                )
            };
            let link = format!("https://example.org/{n}");
            let link = if n.is_multiple_of(5) {
                link.as_str()
            } else {
                ""
            };
            let id = format!("E{n}");
            let texts = OwnTexts {
                link,
                ..OwnTexts::new(&id, "")
            };
            builder.push_interned_texts(event, texts);
        };
        let looks_up_after = |rows: usize| {
            let mut builder = DatasetBuilder::new("t");
            for n in 0..rows {
                push(&mut builder, n);
            }
            builder.places.looks_up()
        };
        assert!(looks_up_after(3000));
        assert!(!looks_up_after(window + 2000));
        let splits = [
            (3000, rows),
            (window + 2000, rows - 500),
            (rows - 2000, rows),
        ];
        assert_append_matches(rows, splits, || DatasetBuilder::new("t"), push);
    }

    /// The block of texts started last is the appended part's, where it
    /// started one.
    #[test]
    fn the_block_started_last_is_the_appended_parts() {
        let mut first = DatasetBuilder::new("t");
        first.start_block(&mut "E1 first".to_owned());
        first.append(DatasetBuilder::new("t"));
        assert_eq!(first.block_text(0..2), "E1");
        let mut second = DatasetBuilder::new("t");
        second.start_block(&mut "E2 second".to_owned());
        first.append(second);
        assert_eq!(first.block_text(3..9), "second");
    }

    /// A part whose events are all in one layer keeps that layer's name,
    /// whichever number it has in the other; a part without layers joins
    /// one that has them in its first.
    #[test]
    fn appended_layers_keep_their_names() {
        let event = |n: usize| Event::new(format!("E{n}"), DateSpan::day(Day(0)));
        let push = |builder: &mut DatasetBuilder, n: usize| {
            let layer = builder.layer_named(["a.csv", "b.csv", "b.csv", "c.csv"][n % 4]);
            builder.push_in_layer(event(n), layer);
        };
        // A part in layer "b.csv" alone (its layer 0), after "a.csv".
        let mut first = DatasetBuilder::new("t");
        push(&mut first, 0);
        let mut second = DatasetBuilder::new("t");
        push(&mut second, 1);
        push(&mut second, 2);
        first.append(second);
        let mut third = DatasetBuilder::new("t");
        third.push(event(3));
        first.append(third);
        let dataset = first.finish();
        assert_eq!(dataset.layers, ["a.csv", "b.csv"]);
        let layers: Vec<u16> = (0..4).map(|i| dataset.layer_of(i)).collect();
        assert_eq!(layers, [0, 1, 1, 0]);
    }
}
