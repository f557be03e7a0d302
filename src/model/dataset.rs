//! A loaded dataset: events sorted by date, the places and categories they
//! share. Immutable once built, so views and indexes can borrow it freely.

use std::collections::BTreeMap;

use super::{CategoryIdx, Event, EventIdx, Lists, Name, Names, Place, PlaceIdx, Source};
use crate::model::Day;

/// Events with the places and categories they refer to by index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    /// A short name for the dataset (shown in the title bar).
    pub title: String,
    /// Events, sorted by start day, then end day, then id.
    pub events: Vec<Event>,
    /// Places, in the order first named.
    pub places: Vec<Place>,
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
    pub place_events: Vec<Vec<EventIdx>>,
}

impl Dataset {
    /// The event at `idx`.
    pub fn event(&self, idx: EventIdx) -> Option<&Event> {
        self.events.get(idx as usize)
    }

    /// The place at `idx`.
    pub fn place(&self, idx: PlaceIdx) -> Option<&Place> {
        self.places.get(idx as usize)
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
            for event in &part.events {
                let mut event = event.clone();
                event.places = event
                    .places
                    .iter()
                    .filter_map(|&p| part.place(p))
                    .map(|p| builder.place(p.clone()))
                    .collect();
                event.category = builder.category(part.category_name(event.category));
                builder.push_in_layer(event, layer);
            }
        }
        builder.finish()
    }

    /// The index of the event with this id.
    pub fn find_event(&self, id: &str) -> Option<EventIdx> {
        let i = self.events.iter().position(|e| e.id == id)?;
        u32::try_from(i).ok()
    }

    /// The first and last day any event may have happened on.
    pub fn span(&self) -> Option<(Day, Day)> {
        let first = self.events.iter().map(|e| e.date.start).min()?;
        let last = self.events.iter().map(|e| e.date.end).max()?;
        Some((first, last))
    }

    /// Events that name a place, in event order.
    pub fn events_at(&self, place: PlaceIdx) -> impl Iterator<Item = EventIdx> + '_ {
        self.place_events
            .get(place as usize)
            .into_iter()
            .flatten()
            .copied()
    }
}

/// Collects events while interning their places and categories.
///
/// Loaders push events one by one with place and category *values*; the
/// builder shares equal places so that the map draws each place once, and
/// sorts everything in [`DatasetBuilder::finish`] so output is deterministic.
#[derive(Default)]
pub struct DatasetBuilder {
    title: String,
    events: Vec<Event>,
    places: Vec<Place>,
    place_keys: BTreeMap<String, PlaceIdx>,
    categories: Vec<String>,
    layers: Vec<String>,
    event_layers: Vec<u16>,
    /// What events share: titles, and lists of actors, sources and places.
    titles: Names,
    actor_lists: Lists<Name>,
    source_lists: Lists<Source>,
    place_lists: Lists<PlaceIdx>,
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
        let key = format!(
            "{}|{:?}|{}|{:?}",
            place.name.to_lowercase(),
            place.kind,
            place.country.as_deref().unwrap_or(""),
            place.location
        );
        if let Some(&idx) = self.place_keys.get(&key) {
            return idx;
        }
        let idx = u32::try_from(self.places.len()).unwrap_or(u32::MAX);
        self.places.push(place);
        self.place_keys.insert(key, idx);
        idx
    }

    /// The provisional index of a category by name (case-insensitive).
    pub fn category(&mut self, name: &str) -> CategoryIdx {
        let name = name.trim();
        let name = if name.is_empty() {
            "uncategorised"
        } else {
            name
        };
        let found = self
            .categories
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name));
        let i = found.unwrap_or_else(|| {
            self.categories.push(name.to_owned());
            self.categories.len() - 1
        });
        CategoryIdx::try_from(i).unwrap_or(CategoryIdx::MAX)
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
        event.title = self.titles.get(&event.title);
        event.actors = self.actor_lists.get(&event.actors);
        event.sources = self.source_lists.get(&event.sources);
        event.places = self.place_lists.get(&event.places);
        self.push_shared(event, layer);
    }

    /// Like [`DatasetBuilder::push_in_layer`] for an event whose title and
    /// lists the loader shared itself (ACLED does, on its reading thread,
    /// and its places through [`DatasetBuilder::place_list`]).
    pub fn push_shared(&mut self, event: Event, layer: u16) {
        self.events.push(event);
        self.event_layers.push(layer);
    }

    /// The shared list of these places.
    pub fn place_list(&mut self, places: &[PlaceIdx]) -> super::PlaceList {
        self.place_lists.get(places)
    }

    /// An event pushed earlier, by the order it was pushed in.
    pub fn event(&self, pushed: usize) -> Option<&Event> {
        self.events.get(pushed)
    }

    /// Like [`DatasetBuilder::event`], to change it (a monadic ACLED export
    /// adds actors to an event it has already read).
    pub fn event_mut(&mut self, pushed: usize) -> Option<&mut Event> {
        self.events.get_mut(pushed)
    }

    /// Makes room for `additional` more events at once.
    pub fn reserve(&mut self, additional: usize) {
        self.events.reserve(additional);
        self.event_layers.reserve(additional);
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
        let mut events = self.events;
        let mut event_layers = self.event_layers;
        event_layers.resize(events.len(), 0);
        // Sort keys first, then move each event once: a million events
        // sort without a second copy of them. Events of one day are ordered
        // by id; the key holds the id's first eight bytes, so the ids
        // themselves are compared only when those are equal.
        let mut order: Vec<(Day, Day, u64, u32)> = events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                (
                    e.date.start,
                    e.date.end,
                    id_prefix(&e.id),
                    u32::try_from(i).unwrap_or(u32::MAX),
                )
            })
            .collect();
        order.sort_unstable_by(|a, b| {
            (a.0, a.1, a.2)
                .cmp(&(b.0, b.1, b.2))
                .then_with(|| events[a.3 as usize].id.cmp(&events[b.3 as usize].id))
                .then(a.3.cmp(&b.3))
        });
        let order: Vec<u32> = order.into_iter().map(|(.., i)| i).collect();
        permute(&mut events, &order);
        permute(&mut event_layers, &order);
        for e in &mut events {
            e.category = remap.get(usize::from(e.category)).copied().unwrap_or(0);
        }
        let layers = if self.layers.is_empty() {
            vec![self.title.clone()]
        } else {
            self.layers
        };
        let place_events = index_places(&events, self.places.len());
        Dataset {
            title: self.title,
            place_events,
            events,
            places: self.places,
            layers,
            event_layers,
            categories,
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

/// Reorders `items` in place so that item `i` becomes the one that was at
/// `order[i]` (`order` a permutation), following each cycle once.
fn permute<T>(items: &mut [T], order: &[u32]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done[start] {
            continue;
        }
        let mut at = start;
        loop {
            done[at] = true;
            let from = order[at] as usize;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// For each of `places` places, the indices of the events naming it.
fn index_places(events: &[Event], places: usize) -> Vec<Vec<EventIdx>> {
    let mut index = vec![Vec::new(); places];
    for (i, event) in events.iter().enumerate() {
        let Ok(i) = EventIdx::try_from(i) else { break };
        for &p in event.places.iter() {
            if let Some(list) = index.get_mut(p as usize) {
                list.push(i);
            }
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DateSpan;

    fn event(id: &str, day: i32) -> Event {
        Event {
            id: id.into(),
            title: Name::default(),
            summary: String::new(),
            date: DateSpan::day(Day(day)),
            places: Default::default(),
            actors: Default::default(),
            category: 0,
            casualties: None,
            sources: Default::default(),
            quotes: Vec::new(),
            extra: Default::default(),
        }
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
        let ids: Vec<&str> = dataset.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["Z", "AB", "AB\u{0}", "ABCDEFGHA", "ABCDEFGHZ", "B"]);
    }
}
