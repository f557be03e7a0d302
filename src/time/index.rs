//! An index over event date spans, built once per dataset.
//!
//! Counts come from sorted start and end days (two binary searches), and the
//! per-day density is binned once at build time, so neither is recounted
//! per frame however large the dataset.

use crate::model::{Dataset, Day, Event, EventIdx};

/// Date spans of a dataset's events, ready for window queries.
#[derive(Clone, Debug, Default)]
pub struct TimeIndex {
    /// Event indices sorted by start day.
    by_start: Vec<EventIdx>,
    /// Start day of `by_start[i]`.
    starts: Vec<i32>,
    /// All end days, sorted.
    ends_sorted: Vec<i32>,
    /// Longest span in days, to bound the overlap scan.
    max_len_days: i32,
    first: Day,
    last: Day,
    /// `density[c][d]`: events of category `c` that may have happened on
    /// day `first + d`.
    density: Vec<Vec<u32>>,
    /// The most events any one day may hold, all categories together.
    busiest_day: u32,
}

impl TimeIndex {
    /// Indexes the events of `dataset`.
    pub fn new(dataset: &Dataset) -> Self {
        let Some((first, last)) = dataset.span() else {
            return Self::default();
        };
        let mut by_start: Vec<EventIdx> = (0..dataset.events.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        by_start.sort_by_key(|&i| dataset.events[i as usize].date.start);
        let starts: Vec<i32> = by_start
            .iter()
            .map(|&i| dataset.events[i as usize].date.start.0)
            .collect();
        let mut ends_sorted: Vec<i32> = dataset.events.iter().map(|e| e.date.end.0).collect();
        ends_sorted.sort_unstable();
        let max_len_days = dataset
            .events
            .iter()
            .map(|e| e.date.len_days())
            .max()
            .unwrap_or(1);
        let density = bin_density(dataset, &dataset.events, first, last);
        let busiest_day = busiest_day(&density);
        Self {
            by_start,
            starts,
            ends_sorted,
            max_len_days,
            first,
            last,
            density,
            busiest_day,
        }
    }

    /// The first and last day any event may have happened on.
    pub fn span(&self) -> (Day, Day) {
        (self.first, self.last)
    }

    /// How many events overlap `first..=last`, in O(log n).
    pub fn count(&self, first: Day, last: Day) -> usize {
        if first > last {
            return 0;
        }
        // Every event ending before `first` also starts before `last`, so
        // the subtraction counts exactly the overlapping ones.
        let started = self.starts.partition_point(|&s| s <= last.0);
        let ended = self.ends_sorted.partition_point(|&e| e < first.0);
        started.saturating_sub(ended)
    }

    /// Events overlapping `first..=last`, sorted by index.
    pub fn overlapping(&self, dataset: &Dataset, first: Day, last: Day) -> Vec<EventIdx> {
        if first > last {
            return Vec::new();
        }
        let lo = self
            .starts
            .partition_point(|&s| s < first.0.saturating_sub(self.max_len_days));
        let hi = self.starts.partition_point(|&s| s <= last.0);
        let mut out: Vec<EventIdx> = self.by_start[lo..hi]
            .iter()
            .copied()
            .filter(|&i| {
                dataset
                    .event(i)
                    .is_some_and(|e| e.date.overlaps(first, last))
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// Per-category counts of events that may have happened on each day,
    /// `[category][day - first]`.
    pub fn density(&self) -> &[Vec<u32>] {
        &self.density
    }

    /// The largest per-day total of [`Self::density`] (found once, at
    /// build time, so the timeline can scale its bars without a recount).
    pub fn busiest_day(&self) -> u32 {
        self.busiest_day
    }
}

fn busiest_day(density: &[Vec<u32>]) -> u32 {
    let days = density.first().map_or(0, Vec::len);
    (0..days)
        .map(|d| density.iter().filter_map(|row| row.get(d)).sum::<u32>())
        .max()
        .unwrap_or(0)
}

/// Bins each of `events` (of `dataset`) over every day of its span from
/// `first` to `last` with a difference array, so the cost is one pass over
/// the events plus one over days.
pub(super) fn bin_density<'a>(
    dataset: &Dataset,
    events: impl IntoIterator<Item = &'a Event>,
    first: Day,
    last: Day,
) -> Vec<Vec<u32>> {
    let days = usize::try_from(last.0 - first.0 + 1).unwrap_or(0);
    let mut diff = vec![vec![0_i64; days + 1]; dataset.categories.len().max(1)];
    for event in events {
        let Some(row) = diff.get_mut(usize::from(event.category)) else {
            continue;
        };
        let a = usize::try_from(event.date.start.0 - first.0).unwrap_or(0);
        let b = usize::try_from(event.date.end.0 - first.0 + 1).unwrap_or(0);
        if let (Some(_), Some(_)) = (row.get(a), row.get(b)) {
            row[a] += 1;
            row[b] -= 1;
        }
    }
    diff.into_iter()
        .map(|row| {
            let mut running = 0_i64;
            row.iter()
                .take(days)
                .map(|d| {
                    running += d;
                    u32::try_from(running).unwrap_or(0)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DatasetBuilder, DateSpan, Event, Text};

    fn d(n: u32) -> Day {
        Day::from_ymd(2025, 11, n).expect("valid test date")
    }

    fn dataset(spans: &[(u32, u32, &str)]) -> Dataset {
        let mut b = DatasetBuilder::new("t");
        for (i, &(a, z, cat)) in spans.iter().enumerate() {
            let category = b.category(cat);
            b.push(Event {
                id: format!("e{i}").into(),
                title: Default::default(),
                summary: Text::default(),
                date: DateSpan::range(d(a), d(z), None),
                places: Default::default(),
                actors: Default::default(),
                category,
                casualties: None,
                sources: Default::default(),
                quotes: Default::default(),
                extra: crate::model::Extra::default(),
            });
        }
        b.finish()
    }

    #[test]
    fn overlap_queries_match_a_linear_scan() {
        let data = dataset(&[
            (1, 1, "a"),
            (2, 9, "b"),
            (5, 5, "a"),
            (24, 26, "b"),
            (27, 27, "a"),
            (10, 27, "a"),
        ]);
        let index = TimeIndex::new(&data);
        for first in 1..=27 {
            for last in first..=27 {
                let expect: Vec<EventIdx> = (0..6)
                    .filter(|&i| data.events[i as usize].date.overlaps(d(first), d(last)))
                    .collect();
                assert_eq!(index.overlapping(&data, d(first), d(last)), expect);
                assert_eq!(index.count(d(first), d(last)), expect.len());
            }
        }
        assert_eq!(index.count(d(27), d(26)), 0);
    }

    #[test]
    fn density_counts_every_day_an_event_may_have_happened() {
        let data = dataset(&[(24, 26, "strike"), (26, 26, "talks"), (27, 27, "talks")]);
        let index = TimeIndex::new(&data);
        assert_eq!(index.span(), (d(24), d(27)));
        let strike = usize::from(
            data.categories
                .iter()
                .position(|c| c == "strike")
                .map_or(0, |i| i as u16),
        );
        let talks = 1 - strike;
        assert_eq!(index.density()[strike], vec![1, 1, 1, 0]);
        assert_eq!(index.density()[talks], vec![0, 0, 1, 1]);
        assert_eq!(index.busiest_day(), 2);
    }
}
