//! The event list's events: those that pass the filter, whatever their date,
//! and the timeline's density of them.
//!
//! A text search reads the texts of every event, which at a million events
//! takes a good part of a second, too long to hold a frame for on each
//! keystroke; even a hidden category, with the density of what is left,
//! takes tens of milliseconds. Over a large dataset a filter is applied on
//! worker threads (all cores but the window's) while the list keeps showing
//! the previous results; a newer filter cancels it. Typing on narrows: only
//! the events listed for the shorter text are searched again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use crate::model::{Dataset, Day, EventIdx};
use crate::time::{
    DayHistogram, DensityMode, EventFilter, FacetCounts, Failed, FilterMatcher, Seen,
};

/// Below this many events to test, a filter is applied within the frame.
const BACKGROUND_FROM: usize = 50_000;

/// How many events a worker tests between looks at its cancel flag.
const CANCEL_CHECK_EVERY: usize = 4_096;

/// The events that pass the filter, and the search that will replace them.
pub(super) struct Listing {
    listed: Vec<EventIdx>,
    /// The filter `listed` was computed for (the list does not depend on the
    /// window, so stepping through days does not recompute it).
    listed_for: Option<EventFilter>,
    /// The density of `listed` when the filter holds some events back.
    histogram: Option<DayHistogram>,
    /// Each facet value's events under the other filters; `None` until
    /// the dataset's facet index is made.
    counts: Option<FacetCounts>,
    pending: Option<Pending>,
    /// From how many events to test a filter is applied in the background.
    pub(super) background_from: usize,
}

/// A search running on a worker thread.
struct Pending {
    filter: EventFilter,
    cancel: Arc<AtomicBool>,
    result: mpsc::Receiver<Found>,
}

/// What a search finds.
struct Found {
    /// The events that pass.
    listed: Vec<EventIdx>,
    /// Their density, unless the filter is empty.
    histogram: Option<DayHistogram>,
    /// The facets' counts, when the facet index is made (a search with
    /// choices makes it).
    counts: Option<FacetCounts>,
}

impl Default for Listing {
    fn default() -> Self {
        Self {
            listed: Vec::new(),
            listed_for: None,
            histogram: None,
            counts: None,
            pending: None,
            background_from: BACKGROUND_FROM,
        }
    }
}

/// A search no one will read (a newer one replaced it, or the view was
/// closed) stops at its next look at the flag.
impl Drop for Pending {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

impl Listing {
    /// The listed events, sorted; while a search runs, those of the filter
    /// before it.
    pub(super) fn events(&self) -> &[EventIdx] {
        &self.listed
    }

    /// The density of the listed events over the days of `span`, when the
    /// filter holds some back (`None`: the whole dataset's).
    pub(super) fn histogram(&self) -> Option<&DayHistogram> {
        self.histogram.as_ref()
    }

    /// Each facet value's events under every filter but its facet's own
    /// (see [`FacetCounts`]); `None` while the facet index is being made.
    pub(super) fn counts(&self) -> Option<&FacetCounts> {
        self.counts.as_ref()
    }

    /// Whether a filter is being applied in the background (the list is of
    /// an older one).
    pub(super) fn is_searching(&self) -> bool {
        self.pending.is_some()
    }

    /// Takes the result of a finished search, if there is one.
    pub(super) fn poll(&mut self, dataset: &Dataset, span: (Day, Day)) {
        if self.counts.is_none()
            && let Some(index) = dataset.facets_ready()
            && self.listed_for.as_ref().is_some_and(EventFilter::is_empty)
        {
            self.counts = Some(FacetCounts::all(index, dataset.events.len()));
        }
        let Some(pending) = &self.pending else {
            return;
        };
        let found = match pending.result.try_recv() {
            Ok(found) => found,
            Err(mpsc::TryRecvError::Empty) => return,
            // The worker stopped without an answer: list here instead.
            Err(mpsc::TryRecvError::Disconnected) => {
                let all = Candidates::All(dataset);
                search(dataset, span, &pending.filter, &all, None).unwrap_or_else(Found::empty)
            }
        };
        let filter = pending.filter.clone();
        self.pending = None;
        self.set(found, filter);
    }

    fn set(&mut self, found: Found, filter: EventFilter) {
        self.listed = found.listed;
        self.histogram = found.histogram;
        self.counts = found.counts;
        self.listed_for = Some(filter);
    }

    /// Brings the list up to date with `filter`: at once when that is quick,
    /// else by starting a search in the background. `span` is the days the
    /// timeline's density covers.
    pub(super) fn update(
        &mut self,
        dataset: &Arc<Dataset>,
        span: (Day, Day),
        filter: &EventFilter,
    ) {
        if self.listed_for.as_ref() == Some(filter) {
            self.cancel_pending();
            return;
        }
        if self.pending.as_ref().is_some_and(|p| p.filter == *filter) {
            return;
        }
        self.cancel_pending();
        // The facets' counts take in events that fail one choice, which an
        // earlier list left out: only a search without choices narrows.
        let narrowed = filter.choices.is_empty()
            && self
                .listed_for
                .as_ref()
                .is_some_and(|earlier| filter.narrows(earlier));
        let count = if narrowed {
            self.listed.len()
        } else {
            dataset.events.len()
        };
        // Clearing the filter lists every event at once; anything else over
        // a large dataset (a search, a hidden category: the list and its
        // density take tens of milliseconds and more) runs beside the window.
        if !filter.is_empty() && count >= self.background_from {
            let base = narrowed.then(|| self.listed.clone());
            if let Some(pending) = spawn_search(dataset, span, filter, base) {
                self.pending = Some(pending);
                return;
            }
        }
        let candidates = if narrowed {
            Candidates::Some(&self.listed)
        } else {
            Candidates::All(dataset)
        };
        let found = search(dataset, span, filter, &candidates, None).unwrap_or_else(Found::empty);
        self.set(found, filter.clone());
    }

    fn cancel_pending(&mut self) {
        self.pending = None;
    }
}

/// Starts a search for `filter` among `base` (every event when `None`);
/// `None` when no thread could be started.
fn spawn_search(
    dataset: &Arc<Dataset>,
    span: (Day, Day),
    filter: &EventFilter,
    base: Option<Vec<EventIdx>>,
) -> Option<Pending> {
    let (send, result) = mpsc::channel();
    let cancel = Arc::new(AtomicBool::new(false));
    let (dataset, owned_filter, flag) = (Arc::clone(dataset), filter.clone(), Arc::clone(&cancel));
    std::thread::Builder::new()
        .name("chronomap-search".to_owned())
        .spawn(move || {
            let candidates = match &base {
                Some(events) => Candidates::Some(events),
                None => Candidates::All(&dataset),
            };
            if let Some(found) = search(&dataset, span, &owned_filter, &candidates, Some(&flag)) {
                // The view may have been dropped meanwhile; then no one asks.
                send.send(found).ok();
            }
        })
        .ok()?;
    Some(Pending {
        filter: filter.clone(),
        cancel,
        result,
    })
}

impl Found {
    fn empty() -> Self {
        Self {
            listed: Vec::new(),
            histogram: None,
            counts: None,
        }
    }
}

/// The candidates that pass `filter`, and their density over `span` unless
/// the filter is empty; `None` when `cancel` was set before the end.
fn search(
    dataset: &Dataset,
    span: (Day, Day),
    filter: &EventFilter,
    candidates: &Candidates<'_>,
    cancel: Option<&AtomicBool>,
) -> Option<Found> {
    if filter.is_empty() {
        let all = (0..Candidates::All(dataset).len())
            .filter_map(|i| EventIdx::try_from(i).ok())
            .collect();
        let counts = dataset
            .facets_ready()
            .map(|index| FacetCounts::all(index, dataset.events.len()));
        return Some(Found {
            listed: all,
            histogram: None,
            counts,
        });
    }
    let (listed, counts) = matching(dataset, &filter.matcher(dataset), candidates, cancel)?;
    let histogram = DayHistogram::of_events(dataset, span, &listed, DensityMode::EveryDay);
    Some(Found {
        listed,
        histogram: Some(histogram),
        counts,
    })
}

/// The events a search tests.
enum Candidates<'a> {
    All(&'a Dataset),
    Some(&'a [EventIdx]),
}

impl Candidates<'_> {
    fn len(&self) -> usize {
        match self {
            Candidates::All(dataset) => dataset.events.len().min(EventIdx::MAX as usize),
            Candidates::Some(events) => events.len(),
        }
    }

    fn get(&self, i: usize) -> EventIdx {
        match self {
            Candidates::All(_) => EventIdx::try_from(i).unwrap_or(EventIdx::MAX),
            Candidates::Some(events) => events.get(i).copied().unwrap_or(EventIdx::MAX),
        }
    }
}

/// The candidates that pass the filter, in order, and the facets' counts
/// among them (when the dataset's facet index is made); `None` when
/// `cancel` was set before the end. In the background (with a `cancel`
/// flag), on every core but one, which the window keeps for its frames.
fn matching(
    dataset: &Dataset,
    matcher: &FilterMatcher,
    candidates: &Candidates<'_>,
    cancel: Option<&AtomicBool>,
) -> Option<(Vec<EventIdx>, Option<FacetCounts>)> {
    let count = candidates.len();
    let threads = match cancel {
        Some(_) => std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1)),
        None => 1,
    };
    let index = dataset.facets_ready();
    let chunk = count.div_ceil(threads.max(1)).max(16_384);
    let scan = |start: usize| -> Option<(Vec<EventIdx>, Option<FacetCounts>)> {
        let end = count.min(start.saturating_add(chunk));
        let mut found = Vec::new();
        let mut counts = index.map(FacetCounts::zero);
        let mut seen = Seen::default();
        let mut at = start;
        while at < end {
            if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return None;
            }
            let block_end = end.min(at + CANCEL_CHECK_EVERY);
            for e in (at..block_end).map(|i| candidates.get(i)) {
                match (index, &mut counts) {
                    (Some(index), Some(counts)) => {
                        let failed = matcher.verdict(dataset, e, &mut seen);
                        counts.add(index, e as usize, failed);
                        if failed == Failed::Nothing {
                            found.push(e);
                        }
                    }
                    _ => {
                        if matcher.matches_remembering(dataset, e, &mut seen) {
                            found.push(e);
                        }
                    }
                }
            }
            at = block_end;
        }
        Some((found, counts))
    };
    if count <= chunk {
        return scan(0);
    }
    std::thread::scope(|scope| {
        let parts: Vec<_> = (0..count)
            .step_by(chunk)
            .map(|start| scope.spawn(move || scan(start)))
            .collect();
        let (mut all, mut counts) = (Vec::new(), index.map(FacetCounts::zero));
        for part in parts {
            let (found, part_counts) = part
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            all.extend(found);
            if let (Some(counts), Some(part)) = (&mut counts, &part_counts) {
                counts.merge(part);
            }
        }
        Some((all, counts))
    })
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::atlas::Atlas;

    fn seed() -> Arc<Dataset> {
        Arc::new(
            crate::load::embedded(Atlas::embedded())
                .expect("seed loads")
                .dataset,
        )
    }

    fn span(dataset: &Dataset) -> (Day, Day) {
        dataset.span().expect("the seed has events")
    }

    fn search(text: &str) -> EventFilter {
        EventFilter {
            text: text.to_owned(),
            ..EventFilter::default()
        }
    }

    /// What a search lists, event by event on this thread.
    fn expected(dataset: &Dataset, filter: &EventFilter) -> Vec<EventIdx> {
        (0..dataset.events.len())
            .filter_map(|i| EventIdx::try_from(i).ok())
            .filter(|&i| filter.matches(dataset, i))
            .collect()
    }

    /// A listing that searches every non-empty filter in the background,
    /// however few the events.
    fn background_listing() -> Listing {
        Listing {
            background_from: 0,
            ..Listing::default()
        }
    }

    fn wait(listing: &mut Listing, dataset: &Dataset) {
        let started = Instant::now();
        while listing.is_searching() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the search ends"
            );
            std::thread::sleep(Duration::from_millis(1));
            listing.poll(dataset, span(dataset));
        }
    }

    #[test]
    fn a_background_search_lists_what_a_search_in_the_frame_does() {
        let dataset = seed();
        let mut listing = background_listing();
        listing.update(&dataset, span(&dataset), &EventFilter::default());
        assert!(!listing.is_searching(), "no words: listed at once");
        assert_eq!(listing.events().len(), dataset.events.len());
        for text in [
            "pakistan",
            "pakistan larijani",
            "pakistan",
            "Khost",
            "nothing-here",
        ] {
            let filter = search(text);
            listing.update(&dataset, span(&dataset), &filter);
            assert!(listing.is_searching(), "{text}: searched in the background");
            wait(&mut listing, &dataset);
            assert_eq!(listing.events(), expected(&dataset, &filter), "{text}");
        }
        let khost = expected(&dataset, &search("khost"));
        assert!(!khost.is_empty() && khost.len() < dataset.events.len());
    }

    #[test]
    fn a_newer_search_replaces_one_still_running() {
        let dataset = seed();
        let mut listing = background_listing();
        listing.update(&dataset, span(&dataset), &EventFilter::default());
        listing.update(&dataset, span(&dataset), &search("larijani"));
        listing.update(&dataset, span(&dataset), &search("khost"));
        wait(&mut listing, &dataset);
        assert_eq!(listing.events(), expected(&dataset, &search("khost")));
        // Back to the filter already listed: nothing to search.
        listing.update(&dataset, span(&dataset), &search("islamabad"));
        listing.update(&dataset, span(&dataset), &search("khost"));
        assert!(!listing.is_searching());
        assert_eq!(listing.events(), expected(&dataset, &search("khost")));
    }

    #[test]
    fn the_density_is_of_the_listed_events() {
        let dataset = seed();
        let index = crate::time::TimeIndex::new(&dataset);
        let whole = DayHistogram::new(&index);
        let mut listing = background_listing();
        listing.update(&dataset, index.span(), &EventFilter::default());
        assert!(
            listing.histogram().is_none(),
            "no filter: the dataset's own"
        );
        // One bin a day over the whole span: each bin counts the events of
        // that day, category by category.
        let days = f64::from(index.span().1.0 - index.span().0.0 + 1);
        let (x0, x1) = (f64::from(index.span().0.0), f64::from(index.span().1.0));
        let per_day = |h: &DayHistogram| {
            let bins = h.bins(x0, x1, days as usize);
            assert_eq!(bins.days_per_bin, 1);
            (0..bins.len())
                .map(|b| (0..bins.categories).map(|c| bins.count(b, c)).sum::<u64>())
                .collect::<Vec<_>>()
        };
        let filter = search("khost");
        listing.update(&dataset, index.span(), &filter);
        wait(&mut listing, &dataset);
        let found = per_day(listing.histogram().expect("a filter: its own density"));
        let mut expected = vec![0_u64; found.len()];
        for &e in &super::tests::expected(&dataset, &filter) {
            let date = &dataset.events.at(e as usize).date();
            for d in date.start.0..=date.end.0 {
                expected[usize::try_from(d - index.span().0.0).expect("in span")] += 1;
            }
        }
        assert_eq!(found, expected);
        assert!(found.iter().sum::<u64>() < per_day(&whole).iter().sum::<u64>());
        // A hidden category is gone from the density.
        let mut hidden = EventFilter::default();
        hidden.toggle_category(&dataset, 0);
        listing.update(&dataset, index.span(), &hidden);
        wait(&mut listing, &dataset);
        assert_eq!(listing.events(), super::tests::expected(&dataset, &hidden));
        let bins = listing
            .histogram()
            .expect("a filter")
            .bins(x0, x1, days as usize);
        assert!((0..bins.len()).all(|b| bins.count(b, 0) == 0));
        assert!((0..bins.len()).any(|b| whole.bins(x0, x1, days as usize).count(b, 0) > 0));
    }

    #[test]
    fn hiding_a_category_of_a_large_dataset_lists_in_the_background() {
        let dataset = seed();
        let mut listing = background_listing();
        let mut hidden = EventFilter::default();
        hidden.toggle_category(&dataset, 0);
        listing.update(&dataset, span(&dataset), &hidden);
        assert!(listing.is_searching());
        wait(&mut listing, &dataset);
        assert_eq!(listing.events(), expected(&dataset, &hidden));
        // Showing everything again is at once.
        listing.update(&dataset, span(&dataset), &EventFilter::default());
        assert!(!listing.is_searching());
        assert_eq!(listing.events().len(), dataset.events.len());
    }

    #[test]
    fn small_searches_and_category_toggles_list_at_once() {
        let dataset = seed();
        let mut listing = Listing::default();
        let filter = search("khost");
        listing.update(&dataset, span(&dataset), &filter);
        assert!(!listing.is_searching());
        assert_eq!(listing.events(), expected(&dataset, &filter));
        let mut hidden = filter.clone();
        hidden.toggle_category(&dataset, 0);
        listing.update(&dataset, span(&dataset), &hidden);
        assert_eq!(listing.events(), expected(&dataset, &hidden));
    }
}
