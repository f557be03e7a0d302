//! The timeline's density histogram, pre-binned.
//!
//! Running totals of the per-day, per-category density are summed once per
//! dataset, so the events of any run of days cost one subtraction per
//! category. A frame bins only the days in view, into bins of a power of
//! two days aligned on the first day (so bars hold still while the
//! timeline pans), with at most a given number of bins: the cost of a frame
//! follows the width of the plot, not the dataset.

use super::TimeIndex;
use super::index::{bin_density, density_step};
use crate::model::{Dataset, Day, EventIdx};

/// How the timeline's density counts an event whose date is a range of
/// days.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum DensityMode {
    /// On every day it may have happened on: a month-precision event adds
    /// one to each of 30 days.
    #[default]
    EveryDay,
    /// Spread over those days: an event of three possible days adds a third
    /// to each, so every event weighs one in all.
    Spread,
}

impl DensityMode {
    /// The choices offered.
    pub const CHOICES: [Self; 2] = [Self::EveryDay, Self::Spread];

    /// "every possible day", "spread".
    pub fn label(self) -> &'static str {
        match self {
            Self::EveryDay => "every possible day",
            Self::Spread => "spread",
        }
    }

    /// `every-day`, `spread`: how a project writes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::EveryDay => "every-day",
            Self::Spread => "spread",
        }
    }

    /// A mode by its [`DensityMode::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::CHOICES.into_iter().find(|m| m.name() == name)
    }

    /// What the bars count, in a sentence.
    pub fn hint(self) -> &'static str {
        match self {
            Self::EveryDay => "Count an event on every day it may have happened on",
            Self::Spread => {
                "Spread an event over the days it may have happened on: one of three days adds a third to each"
            }
        }
    }

    /// The part of an event each unit of a density counts: 1 for
    /// [`DensityMode::EveryDay`], [`SPREAD_UNIT`] for spread weights.
    fn unit(self) -> u32 {
        match self {
            Self::EveryDay => 1,
            Self::Spread => SPREAD_UNIT,
        }
    }
}

/// The parts of an event a spread density counts in: its weight on a day
/// is a whole number of these.
const SPREAD_UNIT: u32 = 256;

/// Per-category running totals over the days of a dataset, a slot of
/// [`TimeIndex::step`] days at a time (a day, for any ordinary span).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DayHistogram {
    first: Day,
    last: Day,
    /// Days per slot.
    step: usize,
    /// The parts of an event a count is in (see [`DensityMode`]).
    unit: u32,
    slots: usize,
    categories: usize,
    /// `running[c * (slots + 1) + s]`: the density of category `c` summed
    /// over slots `..s`.
    running: Vec<u64>,
    /// `busiest[level]`: the largest mean per-day total, all categories
    /// together, of any aligned bin of `2^level` slots.
    busiest: Vec<f64>,
}

/// The bins in view at one binning: what the timeline draws this frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bins {
    /// The first day of the first bin.
    pub first: Day,
    /// The last day with data: the last bin may stop short of a full bin.
    pub last: Day,
    /// Days per bin (a power of two).
    pub days_per_bin: u32,
    /// Categories per bin.
    pub categories: usize,
    /// `counts[b * categories + c]`: the density of category `c` summed
    /// over the days of bin `b` (an event spanning three of its days counts
    /// three times; divided by the days, it is the mean per day), in parts
    /// of `unit` events.
    pub counts: Vec<u64>,
    /// The parts of an event a count is in: 1, or more for a spread
    /// density (see [`DensityMode`]).
    pub unit: u32,
    /// The mean per-day total of the busiest bin of this binning in the
    /// whole dataset: heights are divided by it, so the tallest stack is 1
    /// at every zoom and the scale holds while the timeline pans.
    pub busiest: f64,
}

impl DayHistogram {
    /// Sums the density of `index` once.
    pub fn new(index: &TimeIndex) -> Self {
        Self::from_density(index.density(), index.span(), index.step(), 1)
    }

    /// The density of some of the dataset's events alone (those a filter
    /// lets through, or all of them counted another way), over the days
    /// from `first` to `last` (the index's span, so that both bin alike).
    pub fn of_events(
        dataset: &Dataset,
        (first, last): (Day, Day),
        events: &[EventIdx],
        mode: DensityMode,
    ) -> Self {
        let step = density_step(dataset, first, last);
        let events = events.iter().filter_map(|&e| dataset.event(e));
        let density = bin_density(dataset, events, (first, last), step, mode.unit());
        Self::from_density(&density, (first, last), step, mode.unit())
    }

    /// From counts a day: `density[c][d]` events of category `c` on day
    /// `first + d` (what a database table's server counts).
    pub fn of_days(density: &[Vec<u32>], span: (Day, Day)) -> Self {
        Self::from_density(density, span, 1, 1)
    }

    /// How its density counts an event of several possible days.
    pub fn mode(&self) -> DensityMode {
        if self.unit > 1 {
            DensityMode::Spread
        } else {
            DensityMode::EveryDay
        }
    }

    /// `density[c][s]`: category `c`'s events (in parts of `unit`) on the
    /// days of slot `s` (`step` days from `first + s * step`).
    pub(super) fn from_density(
        density: &[Vec<u32>],
        (first, last): (Day, Day),
        step: u32,
        unit: u32,
    ) -> Self {
        let slots = density.first().map_or(0, Vec::len);
        let step = usize::try_from(step.max(1)).unwrap_or(1);
        let mut running = Vec::with_capacity(density.len() * (slots + 1));
        let mut totals = vec![0_u64; slots + 1];
        for row in density {
            let mut sum = 0_u64;
            running.push(sum);
            for (d, &n) in row.iter().enumerate() {
                sum += u64::from(n);
                running.push(sum);
                if let Some(t) = totals.get_mut(d + 1) {
                    *t += sum;
                }
            }
        }
        let unit = unit.max(1);
        Self {
            first,
            last,
            step,
            unit,
            slots,
            categories: density.len(),
            busiest: busiest_by_level(&totals, step)
                .into_iter()
                .map(|b| b / f64::from(unit))
                .collect(),
            running,
        }
    }

    /// The first and last day it counts.
    pub(super) fn span(&self) -> (Day, Day) {
        (self.first, self.last)
    }

    /// Days per slot of its counts.
    pub(super) fn slot_days(&self) -> usize {
        self.step.max(1)
    }

    /// The density of each slot, all categories together.
    pub(super) fn slot_totals(&self) -> Vec<u64> {
        (0..self.slots)
            .map(|s| (0..self.categories).map(|c| self.sum(c, s, s + 1)).sum())
            .collect()
    }

    /// The last day of slot `index` (the span's last, for a slot cut short).
    pub(super) fn last_day_of_slot(&self, index: usize) -> Day {
        self.day(index + 1).offset(-1).min(self.last)
    }

    /// The bins covering the days from `from` to `to` (plot x values, in
    /// days; clipped to the data), with the fewest days per bin that keeps
    /// to `max_bins` bins (one more where the first bin starts before
    /// `from`, as bins are aligned).
    pub fn bins(&self, from: f64, to: f64, max_bins: usize) -> Bins {
        let empty = Bins {
            first: self.first,
            last: self.last,
            days_per_bin: 1,
            categories: self.categories,
            unit: self.unit.max(1),
            ..Bins::default()
        };
        let Some((lo, hi)) = self.slots_between(from, to) else {
            return empty;
        };
        let span = hi - lo + 1;
        let per_bin = span.div_ceil(max_bins.max(1)).next_power_of_two();
        let level = per_bin.trailing_zeros() as usize;
        let start = lo - lo % per_bin;
        let bins = (hi + 1 - start).div_ceil(per_bin);
        let mut counts = Vec::with_capacity(bins * self.categories);
        for b in 0..bins {
            let a = start + b * per_bin;
            let z = (a + per_bin).min(self.slots);
            counts.extend((0..self.categories).map(|c| self.sum(c, a, z)));
        }
        Bins {
            first: self.day(start),
            days_per_bin: u32::try_from(per_bin * self.step).unwrap_or(u32::MAX),
            counts,
            busiest: self.busiest.get(level).copied().unwrap_or(1.0).max(1e-9),
            ..empty
        }
    }

    /// The slots holding the days from `from` to `to`, clipped to the data.
    fn slots_between(&self, from: f64, to: f64) -> Option<(usize, usize)> {
        if self.slots == 0 || !from.is_finite() || !to.is_finite() {
            return None;
        }
        let base = f64::from(self.first.0);
        #[expect(clippy::cast_precision_loss, reason = "slot counts are small")]
        let (max, step) = ((self.slots - 1) as f64, self.step as f64);
        let lo = ((from - base).floor() / step).floor().max(0.0);
        let hi = ((to - base).ceil() / step).floor().min(max);
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "clamped to 0..slots above"
        )]
        let range = (lo <= hi).then_some((lo as usize, hi as usize));
        range
    }

    /// Category `c`'s density summed over slots `a..z`.
    fn sum(&self, c: usize, a: usize, z: usize) -> u64 {
        let row = c * (self.slots + 1);
        let at = |d: usize| self.running.get(row + d).copied().unwrap_or(0);
        at(z).saturating_sub(at(a))
    }

    /// The first day of slot `index`.
    fn day(&self, index: usize) -> Day {
        let days = index.saturating_mul(self.step);
        self.first.offset(i32::try_from(days).unwrap_or(i32::MAX))
    }
}

impl Bins {
    /// How many bins.
    pub fn len(&self) -> usize {
        self.counts.len().checked_div(self.categories).unwrap_or(0)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first and last day of bin `b`.
    pub fn days(&self, b: usize) -> (Day, Day) {
        let per_bin = i32::try_from(self.days_per_bin).unwrap_or(i32::MAX);
        let a = self
            .first
            .offset(i32::try_from(b).unwrap_or(i32::MAX).saturating_mul(per_bin));
        (a, a.offset(per_bin - 1).min(self.last))
    }

    /// Category `c`'s density summed over bin `b`'s days.
    pub fn count(&self, b: usize, c: usize) -> u64 {
        self.counts
            .get(b * self.categories + c)
            .copied()
            .unwrap_or(0)
    }

    /// Category `c`'s events in bin `b`, summed over its days (a part of
    /// an event where the density is spread).
    pub fn events(&self, b: usize, c: usize) -> f64 {
        #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
        let count = self.count(b, c) as f64;
        count / f64::from(self.unit.max(1))
    }

    /// Category `c`'s mean events per day in bin `b`.
    pub fn per_day(&self, b: usize, c: usize) -> f64 {
        let (a, z) = self.days(b);
        self.events(b, c) / f64::from((z.0 - a.0 + 1).max(1))
    }

    /// The height of category `c`'s part of bin `b`'s stack (the busiest
    /// bin's stack is 1 high).
    pub fn height(&self, b: usize, c: usize) -> f64 {
        self.per_day(b, c) / self.busiest
    }

    /// The middle of bin `b` and its width, in plot x units (days).
    pub fn x_and_width(&self, b: usize) -> (f64, f64) {
        let (a, z) = self.days(b);
        let width = f64::from(z.0 - a.0 + 1);
        (f64::from(a.0) + (width - 1.0) / 2.0, width)
    }

    /// The bin that holds plot x value `x`.
    pub fn bin_at(&self, x: f64) -> Option<usize> {
        let offset = (x.round() - f64::from(self.first.0)) / f64::from(self.days_per_bin);
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked non-negative; bins are few"
        )]
        let b = (offset >= 0.0 && offset.is_finite()).then_some(offset.floor() as usize)?;
        (b < self.len()).then_some(b)
    }
}

/// For each binning of `2^level` slots of `step` days, up to one bin for
/// the whole span: the largest mean per-day total of any aligned bin.
/// `totals[s]` is the total over all categories of slots `..s`.
fn busiest_by_level(totals: &[u64], step: usize) -> Vec<f64> {
    let days = totals.len().saturating_sub(1);
    let mut out = Vec::new();
    let mut per_bin = 1_usize;
    loop {
        let at = |d: usize| totals.get(d.min(days)).copied().unwrap_or(0);
        let busiest = (0..days)
            .step_by(per_bin)
            .map(|a| {
                let z = (a + per_bin).min(days);
                #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
                let mean = (at(z) - at(a)) as f64 / ((z - a) * step) as f64;
                mean
            })
            .fold(0.0, f64::max);
        out.push(busiest);
        if per_bin >= days {
            return out;
        }
        per_bin *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A histogram over `rows` (one per category) starting on day 100.
    fn histogram(rows: &[&[u32]]) -> DayHistogram {
        let days = rows.first().map_or(0, |r| r.len());
        let mut running = Vec::new();
        let mut totals = vec![0_u64; days + 1];
        for row in rows {
            let mut sum = 0;
            running.push(0);
            for (d, &n) in row.iter().enumerate() {
                sum += u64::from(n);
                running.push(sum);
                totals[d + 1] += sum;
            }
        }
        DayHistogram {
            first: Day(100),
            last: Day(100).offset(i32::try_from(days).expect("few days") - 1),
            step: 1,
            unit: 1,
            slots: days,
            categories: rows.len(),
            running,
            busiest: busiest_by_level(&totals, 1),
        }
    }

    #[test]
    fn one_day_per_bin_when_there_is_room() {
        let h = histogram(&[&[1, 0, 2, 0], &[0, 3, 1, 0]]);
        let bins = h.bins(99.0, 104.0, 100);
        assert_eq!(bins.days_per_bin, 1);
        assert_eq!(bins.len(), 4);
        assert_eq!(bins.count(2, 0), 2);
        assert_eq!(bins.count(1, 1), 3);
        // The busiest day holds 3 events, so it is 1 high.
        assert_eq!(bins.height(1, 1), 1.0);
        assert!((bins.height(2, 0) + bins.height(2, 1) - 1.0).abs() < 1e-12);
        assert_eq!(bins.x_and_width(3), (103.0, 1.0));
    }

    #[test]
    fn narrow_plots_sum_days_into_aligned_power_of_two_bins() {
        let h = histogram(&[&[1, 1, 1, 1, 5, 0, 0, 2, 1]]);
        let bins = h.bins(100.0, 108.0, 3);
        assert_eq!(bins.days_per_bin, 4);
        assert_eq!(bins.len(), 3);
        assert_eq!(
            (0..3).map(|b| bins.count(b, 0)).collect::<Vec<_>>(),
            [4, 7, 1]
        );
        assert_eq!(
            bins.days(2),
            (Day(108), Day(108)),
            "the last bin is cut short"
        );
        // The busiest 4-day bin has a mean of 7 / 4 a day.
        assert_eq!(bins.height(1, 0), 1.0);
        assert!((bins.height(0, 0) - 4.0 / 7.0).abs() < 1e-12);
        // A view from day 105 starts on the bin that holds it.
        let panned = h.bins(105.0, 108.0, 1);
        assert_eq!(panned.first, Day(104));
        assert_eq!(panned.bin_at(107.2), Some(0));
        assert_eq!(panned.bin_at(120.0), None);
    }

    #[test]
    fn views_outside_the_data_have_no_bins() {
        let h = histogram(&[&[1, 2]]);
        assert!(h.bins(0.0, 50.0, 10).is_empty());
        assert!(h.bins(f64::NAN, 101.0, 10).is_empty());
        assert!(DayHistogram::default().bins(0.0, 1.0, 10).is_empty());
    }

    #[test]
    fn slots_of_several_days_make_bins_of_as_many() {
        let h = DayHistogram::from_density(&[vec![2, 4, 1]], (Day(100), Day(104)), 2, 1);
        let bins = h.bins(100.0, 104.0, 100);
        assert_eq!(bins.days_per_bin, 2);
        assert_eq!(bins.len(), 3);
        assert_eq!(bins.count(1, 0), 4);
        assert_eq!(bins.per_day(1, 0), 2.0);
        assert_eq!(
            bins.days(2),
            (Day(104), Day(104)),
            "the last slot is cut short"
        );
        assert_eq!(bins.height(1, 0), 1.0, "the busiest slot is 1 high");
        let panned = h.bins(103.0, 104.0, 100);
        assert_eq!(panned.first, Day(102));
        assert_eq!(panned.len(), 2);
    }
}
