//! A dataset's events, read one at a time through [`EventRef`].
//!
//! Views, exports and the time index read events through accessors rather
//! than a `Vec<Event>`, so that how events are held (their layout, what is
//! shared between them) is the model's own business: an [`Event`] is what
//! a loader hands the builder and what a caller asks for back with
//! [`EventRef::to_event`].

use super::{
    Casualties, CategoryIdx, DateSpan, Event, EventIdx, Extra, Name, PlaceIdx, Quote, Source,
};

/// The events of a dataset, in its order (by start day, end day, id).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Events {
    rows: Vec<Event>,
}

impl Events {
    /// Events in this order.
    pub(crate) fn from_rows(rows: Vec<Event>) -> Self {
        Self { rows }
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The event at `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<EventRef<'_>> {
        self.rows.get(i).map(|row| EventRef { row, i })
    }

    /// The event at `i`.
    ///
    /// # Panics
    /// When there is no event `i`: for indices the dataset gave out.
    pub fn at(&self, i: usize) -> EventRef<'_> {
        EventRef {
            row: &self.rows[i],
            i,
        }
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
#[derive(Clone, Copy, Debug)]
pub struct EventRef<'a> {
    row: &'a Event,
    i: usize,
}

impl<'a> EventRef<'a> {
    /// Its index in the dataset.
    pub fn index(&self) -> EventIdx {
        EventIdx::try_from(self.i).unwrap_or(EventIdx::MAX)
    }

    /// The identifier from the source (or made up from its line).
    pub fn id(&self) -> &'a str {
        &self.row.id
    }

    /// The one-line headline.
    pub fn title(&self) -> &'a Name {
        &self.row.title
    }

    /// A few sentences in the curator's words.
    pub fn summary(&self) -> &'a str {
        &self.row.summary
    }

    /// When it happened.
    pub fn date(&self) -> &'a DateSpan {
        &self.row.date
    }

    /// Where it happened; empty for an event on the timeline only.
    pub fn places(&self) -> &'a [PlaceIdx] {
        &self.row.places
    }

    /// The people, groups and institutions involved.
    pub fn actors(&self) -> &'a [Name] {
        &self.row.actors
    }

    /// What kind of event it is.
    pub fn category(&self) -> CategoryIdx {
        self.row.category
    }

    /// Deaths and injuries, where the source gives them.
    pub fn casualties(&self) -> Option<&'a Casualties> {
        self.row.casualties.as_ref()
    }

    /// Who reported it.
    pub fn sources(&self) -> &'a [Source] {
        &self.row.sources
    }

    /// Words quoted verbatim.
    pub fn quotes(&self) -> &'a [Quote] {
        &self.row.quotes
    }

    /// The further fields its format carries.
    pub fn extra(&self) -> &'a Extra {
        &self.row.extra
    }

    /// The length of the block its summary lies in.
    #[cfg(test)]
    pub(crate) fn summary_block_len(&self) -> usize {
        self.row.summary.block_len()
    }

    /// The event as a value of its own.
    pub fn to_event(&self) -> Event {
        self.row.clone()
    }
}

impl PartialEq<Event> for EventRef<'_> {
    fn eq(&self, other: &Event) -> bool {
        self.row == other
    }
}
