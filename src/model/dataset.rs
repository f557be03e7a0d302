//! A loaded dataset: events sorted by date, the places and categories they
//! share. Immutable once built, so views and indexes can borrow it freely.

use std::collections::BTreeMap;

use super::{CategoryIdx, Event, EventIdx, Place, PlaceIdx};
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
        self.events
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.places.contains(&place))
            .filter_map(|(i, _)| u32::try_from(i).ok())
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

    /// Adds an event whose `category` came from [`DatasetBuilder::category`]
    /// and whose places came from [`DatasetBuilder::place`].
    pub fn push(&mut self, event: Event) {
        self.events.push(event);
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
        for e in &mut events {
            e.category = remap.get(usize::from(e.category)).copied().unwrap_or(0);
        }
        events.sort_by(|a, b| {
            (a.date.start, a.date.end, &a.id).cmp(&(b.date.start, b.date.end, &b.id))
        });
        Dataset {
            title: self.title,
            events,
            places: self.places,
            categories,
        }
    }
}
