//! Which events the user wants to see, whatever the date.

use std::collections::BTreeSet;

use crate::model::{CategoryIdx, Dataset, Event, EventIdx};

/// The event list's text search and the legend's category toggles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Case-insensitive words that must all appear in the event's text.
    pub text: String,
    /// Categories the user switched off.
    pub hidden_categories: BTreeSet<CategoryIdx>,
    /// Layers (files) the user switched off.
    pub hidden_layers: BTreeSet<u16>,
}

impl EventFilter {
    /// Whether the event at `idx` passes the filter.
    pub fn matches(&self, dataset: &Dataset, idx: EventIdx) -> bool {
        let Some(event) = dataset.event(idx) else {
            return false;
        };
        if self.hidden_categories.contains(&event.category)
            || self.hidden_layers.contains(&dataset.layer_of(idx))
        {
            return false;
        }
        let words: Vec<String> = self
            .text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            return true;
        }
        let haystack = searchable_text(dataset, event);
        words.iter().all(|w| haystack.contains(w.as_str()))
    }

    /// Whether the filter lets everything through.
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
            && self.hidden_categories.is_empty()
            && self.hidden_layers.is_empty()
    }
}

/// The lower-cased text a search looks through: title, summary, actors,
/// places, category, sources and quotes.
fn searchable_text(dataset: &Dataset, event: &Event) -> String {
    let mut text = format!("{} {} ", event.title, event.summary);
    for actor in event.actors.iter() {
        text.push_str(actor);
        text.push(' ');
    }
    for place in event.places.iter().filter_map(|&p| dataset.place(p)) {
        text.push_str(&place.name);
        text.push(' ');
    }
    text.push_str(dataset.category_name(event.category));
    for source in event.sources.iter() {
        text.push(' ');
        text.push_str(&source.name);
    }
    for quote in &event.quotes {
        text.push(' ');
        text.push_str(&quote.text);
    }
    text.to_lowercase()
}
