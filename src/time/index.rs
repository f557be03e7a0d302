//! An index over event date spans, built once per dataset.
//!
//! Counts come from sorted start and end days (two binary searches), and the
//! per-day density is binned once at build time, so neither is recounted
//! per frame however large the dataset.

use crate::model::{Dataset, Day, EventIdx, EventRef};

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
    /// `density[c][s]`: events of category `c` that may have happened on
    /// each day of slot `s` (days `first + s * step` on), summed over its days.
    density: Vec<Vec<u32>>,
    /// Days per slot of `density`: one, unless a slot a day would take
    /// memory out of proportion to the events (a file dated 0001 and 9999).
    step: u32,
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
        // The days are read from their columns: a million events' days are
        // eight megabytes, and nothing else of an event is needed here.
        let (all_starts, all_ends) = (dataset.events.starts(), dataset.events.ends());
        let start_of = |i: EventIdx| all_starts.get(i as usize).copied().unwrap_or_default();
        by_start.sort_by_key(|&i| start_of(i));
        let starts: Vec<i32> = by_start.iter().map(|&i| start_of(i).0).collect();
        let mut ends_sorted: Vec<i32> = all_ends.iter().map(|d| d.0).collect();
        ends_sorted.sort_unstable();
        let max_len_days = all_starts
            .iter()
            .zip(all_ends)
            .map(|(start, end)| end.0 - start.0 + 1)
            .max()
            .unwrap_or(1);
        let step = density_step(dataset, first, last);
        let density = bin_density(dataset, &dataset.events, (first, last), step, 1);
        let busiest_day = busiest_day(&density).div_ceil(step);
        Self {
            by_start,
            starts,
            ends_sorted,
            max_len_days,
            first,
            last,
            density,
            step,
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
            .filter(|&i| dataset.event(i).is_some_and(|e| e.overlaps(first, last)))
            .collect();
        out.sort_unstable();
        out
    }

    /// Per-category counts of events that may have happened on each day,
    /// summed over the days of each slot of [`Self::step`] days:
    /// `[category][(day - first) / step]`.
    pub fn density(&self) -> &[Vec<u32>] {
        &self.density
    }

    /// Days per slot of [`Self::density`] (a power of two; one for any
    /// dataset whose span in days is not far larger than its events).
    pub fn step(&self) -> u32 {
        self.step
    }

    /// The largest per-day total of [`Self::density`] (a slot's mean, when
    /// slots are longer than a day; found once, at
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

/// How many cells (slots × categories) the density may always hold; past
/// that, four a event, so that memory follows the events.
const DENSITY_CELLS: usize = 1 << 20;

/// Days per slot of the density of `dataset` over `first..=last`: the
/// fewest, a power of two, that keep its cells within [`DENSITY_CELLS`] or
/// four an event.
pub(super) fn density_step(dataset: &Dataset, first: Day, last: Day) -> u32 {
    let days = u64::try_from(i64::from(last.0) - i64::from(first.0) + 1).unwrap_or(1);
    let cells = DENSITY_CELLS.max(dataset.events.len().saturating_mul(4));
    let slots = (cells / dataset.categories.len().max(1)).max(1) as u64;
    let mut step = 1_u64;
    while days.div_ceil(step) > slots {
        step *= 2;
    }
    u32::try_from(step).unwrap_or(u32::MAX)
}

/// Bins each of `events` (of `dataset`) over the slots of `step` days of
/// its span from `first` to `last`. With a `unit` of one, each slot gets the
/// days of it each event may have happened on (an event of three possible
/// days counts on each); with a larger unit, each event adds `unit` in all,
/// spread evenly over its days (the first `unit % days` of them take one
/// more), so a month-precision event weighs as much as an exact one. A
/// difference array adds the slots an event covers whole, so the cost is
/// one pass over the events plus one over slots.
pub(super) fn bin_density<'a>(
    dataset: &Dataset,
    events: impl IntoIterator<Item = EventRef<'a>>,
    (first, last): (Day, Day),
    step: u32,
    unit: u32,
) -> Vec<Vec<u32>> {
    let step = i64::from(step.max(1));
    let unit = i64::from(unit.max(1));
    let day = |d: Day| i64::from(d.0) - i64::from(first.0);
    let slots = usize::try_from(((day(last) + 1).max(0) + step - 1) / step).unwrap_or(0);
    let categories = dataset.categories.len().max(1);
    let mut whole = vec![vec![0_i64; slots + 1]; categories];
    let mut partial = vec![vec![0_i64; slots]; categories];
    for event in events {
        let c = usize::from(event.category());
        let (Some(whole), Some(partial)) = (whole.get_mut(c), partial.get_mut(c)) else {
            continue;
        };
        let (start, end) = event.days();
        let (a, b) = (day(start), day(end));
        if a < 0 || b < a {
            continue;
        }
        // Each day of `a..=b` gets `weight`.
        let mut add_days = |a: i64, b: i64, weight: i64| {
            if b < a || weight == 0 {
                return;
            }
            let (sa, sb) = (a / step, b / step);
            let mut add = |slot: i64, days: i64| {
                if let Some(n) = usize::try_from(slot).ok().and_then(|s| partial.get_mut(s)) {
                    *n += days * weight;
                }
            };
            if sa == sb {
                add(sa, b - a + 1);
                return;
            }
            add(sa, step - a % step);
            add(sb, b % step + 1);
            if sb > sa + 1
                && let (Ok(from), Ok(to)) = (usize::try_from(sa + 1), usize::try_from(sb))
                && let (Some(_), Some(_)) = (whole.get(from), whole.get(to))
            {
                whole[from] += step * weight;
                whole[to] -= step * weight;
            }
        };
        if unit == 1 {
            add_days(a, b, 1);
        } else {
            let days = b - a + 1;
            let (each, more) = (unit / days, unit % days);
            add_days(a, a + more - 1, each + 1);
            add_days(a + more, b, each);
        }
    }
    whole
        .into_iter()
        .zip(partial)
        .map(|(whole, partial)| {
            let mut running = 0_i64;
            whole
                .iter()
                .zip(&partial)
                .map(|(d, p)| {
                    running += d;
                    u32::try_from(running + p).unwrap_or(u32::MAX)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DatasetBuilder, DateSpan, Event};

    fn d(n: u32) -> Day {
        Day::from_ymd(2025, 11, n).expect("valid test date")
    }

    fn event(i: usize, (start, end): (Day, Day), category: u16) -> Event {
        Event {
            category,
            ..Event::new(format!("e{i}"), DateSpan::range(start, end, None))
        }
    }

    fn dataset(spans: &[(u32, u32, &str)]) -> Dataset {
        let mut b = DatasetBuilder::new("t");
        for (i, &(a, z, cat)) in spans.iter().enumerate() {
            let category = b.category(cat);
            b.push(event(i, (d(a), d(z)), category));
        }
        b.finish()
    }

    /// Spread over their days, the events weigh one each: the density sums
    /// to the number of events (at any slot width), a day's share of an
    /// event of three days is a third, and counting every possible day sums
    /// to the events' days instead.
    #[test]
    fn the_spread_density_sums_to_the_number_of_events() {
        let spans = [
            (1, 1, "a"),
            (2, 9, "b"),
            (5, 5, "a"),
            (24, 26, "b"),
            (1, 30, "a"),
            (10, 27, "a"),
            (3, 5, "b"),
        ];
        let data = dataset(&spans);
        let all: Vec<EventIdx> = (0..spans.len() as u32).collect();
        let days: i64 = spans.iter().map(|&(a, z, _)| i64::from(z - a + 1)).sum();
        for step in [1, 2, 4, 32] {
            let sum = |unit| -> i64 {
                let density = bin_density(&data, data.events.iter(), (d(1), d(30)), step, unit);
                density.iter().flatten().map(|&n| i64::from(n)).sum()
            };
            assert_eq!(sum(1), days, "every possible day, slots of {step}");
            assert_eq!(
                sum(256),
                256 * spans.len() as i64,
                "spread, slots of {step}"
            );
        }
        let spread = crate::time::DayHistogram::of_events(
            &data,
            (d(1), d(30)),
            &all,
            crate::time::DensityMode::Spread,
        );
        let bins = spread.bins(f64::from(d(1).0), f64::from(d(30).0), 100);
        assert_eq!(bins.days_per_bin, 1);
        let total: f64 = (0..bins.len())
            .flat_map(|b| (0..bins.categories).map(move |c| (b, c)))
            .map(|(b, c)| bins.events(b, c))
            .sum();
        assert!((total - spans.len() as f64).abs() < 1e-9, "{total}");
        // The 25th, category "b" (the second made): only the event of 24–26
        // Nov covers it, a third of it, give or take the unit's last part.
        let b = bins.bin_at(f64::from(d(25).0)).expect("a bin");
        let on_25 = bins.events(b, 1);
        assert!((on_25 - 1.0 / 3.0).abs() < 1.0 / 256.0, "{on_25}");
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
                    .filter(|&i| {
                        data.events
                            .at(i as usize)
                            .date()
                            .overlaps(d(first), d(last))
                    })
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
        assert_eq!(index.step(), 1);
    }

    /// A file dated from the year 1 to 9999 holds slots of many days, not
    /// 3.65 million days a category; each slot still holds its events' days.
    #[test]
    fn a_span_of_millennia_takes_slots_of_many_days() {
        let mut b = DatasetBuilder::new("t");
        let category = b.category("c");
        let far = [
            (Day(-719_162), Day(-719_162)),
            (Day(2_932_896), Day(2_932_896)),
        ];
        let long = (Day(0), Day(99_999));
        for (i, span) in far.into_iter().chain([long]).enumerate() {
            b.push(event(i, span, category));
        }
        let data = b.finish();
        let index = TimeIndex::new(&data);
        assert_eq!(index.step(), 4);
        let slots = index.density()[0].len();
        assert!(slots <= DENSITY_CELLS, "{slots} slots");
        let days: u64 = index.density()[0].iter().map(|&n| u64::from(n)).sum();
        assert_eq!(days, 1 + 1 + 100_000, "every day of every event, once");
        assert_eq!(index.density()[0].first(), Some(&1));
        assert_eq!(index.density()[0].last(), Some(&1));
    }
}
