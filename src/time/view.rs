//! What of its time a dataset opens on: the day the cursor starts on, the
//! days a timeline shows at first, and the days it moves to when the cursor
//! leaves them.
//!
//! A news or conflict file is opened to see what happened lately. Its first
//! day is often a background event months before the rest, and its very
//! last day may hold one stray late report, so neither is where to start.

use super::DayHistogram;
use crate::model::Day;

/// The days weighed together when looking for a busy stretch.
const WEEK_DAYS: usize = 7;

/// A week is busy when it holds at least this share of the busiest
/// week's density: a steady series opens on its last week, even where the
/// latest reports are still coming in, while one stray late event (or a
/// long vague one) is too little to count.
const BUSY_SHARE: (u64, u64) = (1, 2);

/// Days a timeline shows before the cursor at first: the weeks leading up
/// to it.
const VIEW_DAYS_BEFORE: f64 = 35.0;

/// Days a timeline shows after the cursor at first, so it is not on the
/// edge.
const VIEW_DAYS_AFTER: f64 = 3.0;

/// How far past its first and last day a timeline shows a dataset, in
/// days: half a day and a little, so the end bars are whole.
pub const SPAN_MARGIN_DAYS: f64 = 0.7;

/// The day a dataset opens on: the end of its latest busy week (one with
/// at least half the busiest week's density), or its first day when it has
/// no events. The week ends on its last day with at least half its mean a
/// day, so that a trickle after a busy stretch is not where the story is.
///
/// The end of the week rather than its busiest day, because the end holds
/// the newest news: the seed opens on 27 November (the Islamabad meeting),
/// the day after its busiest.
pub fn opening_day(histogram: &DayHistogram) -> Day {
    let week = WEEK_DAYS.div_ceil(histogram.slot_days()).max(1);
    match busy_slot(&histogram.slot_totals(), week) {
        Some(slot) => histogram.last_day_of_slot(slot),
        None => histogram.span().0,
    }
}

/// The slot the latest busy week of `week` slots ends on, given the
/// events of each slot: its last slot holding at least half the week's
/// mean.
fn busy_slot(totals: &[u64], week: usize) -> Option<usize> {
    let weeks = week_sums(totals, week);
    let busiest = weeks.iter().copied().max().unwrap_or(0);
    let (share, of) = BUSY_SHARE;
    let end = weeks
        .iter()
        .rposition(|&n| n > 0 && n * of >= busiest * share)?;
    let sum = weeks.get(end).copied().unwrap_or(0);
    let slots = u64::try_from(week).unwrap_or(u64::MAX);
    let start = (end + 1).saturating_sub(week);
    (start..=end)
        .rev()
        .find(|&s| totals.get(s).is_some_and(|&n| n * 2 * slots >= sum))
}

/// `sums[s]`: the sum of `totals` over the `week` slots ending on slot `s`
/// (fewer at the start).
fn week_sums(totals: &[u64], week: usize) -> Vec<u64> {
    let mut sum = 0_u64;
    let mut sums = Vec::with_capacity(totals.len());
    for (s, &n) in totals.iter().enumerate() {
        sum += n;
        if let Some(dropped) = s.checked_sub(week).and_then(|d| totals.get(d)) {
            sum -= dropped;
        }
        sums.push(sum);
    }
    sums
}

/// The days (plot x, from and to) a timeline shows at first with the
/// cursor on `cursor`: the five weeks before it and a few days after,
/// moved or cut to stay within the data's `span` (and its margin).
pub fn opening_view(cursor: Day, span: (Day, Day)) -> (f64, f64) {
    let lo_limit = f64::from(span.0.0) - SPAN_MARGIN_DAYS;
    let hi_limit = f64::from(span.1.0) + SPAN_MARGIN_DAYS;
    let width = VIEW_DAYS_BEFORE + VIEW_DAYS_AFTER;
    let hi = (f64::from(cursor.0) + VIEW_DAYS_AFTER).min(hi_limit);
    let lo = (hi - width).max(lo_limit);
    (lo, (lo + width).min(hi_limit))
}

/// Where a timeline showing `view` (plot x, days) moves when the cursor
/// has moved to `cursor`: nowhere while the cursor is in view; else the
/// same width with the cursor a fifth of it in from the edge it comes in
/// by, so that playback turns a page rather than nudging the view each
/// day.
pub fn follow_cursor(view: (f64, f64), cursor: Day) -> Option<(f64, f64)> {
    let (lo, hi) = view;
    let (day, width) = (f64::from(cursor.0), hi - lo);
    if !(width.is_finite() && width > 0.0) || (lo..=hi).contains(&day) {
        return None;
    }
    let lo = if day > hi {
        day - width * 0.2
    } else {
        day - width * 0.8
    };
    Some((lo, lo + width))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse_iso(text).expect("valid test date")
    }

    /// A histogram of one category, `counts[d]` events on day 100 + d.
    fn histogram(counts: &[u32]) -> DayHistogram {
        let last = Day(100).offset(i32::try_from(counts.len()).expect("few") - 1);
        DayHistogram::of_days(&[counts.to_vec()], (Day(100), last))
    }

    #[test]
    fn a_steady_series_opens_on_its_last_day() {
        assert_eq!(opening_day(&histogram(&[3; 40])), Day(139));
    }

    #[test]
    fn one_stray_late_event_does_not_win() {
        // Four busy weeks, a month of nothing, one event.
        let mut counts = vec![10; 28];
        counts.extend([0; 30]);
        counts.push(1);
        assert_eq!(opening_day(&histogram(&counts)), Day(127));
    }

    #[test]
    fn the_latest_busy_week_wins_over_the_busiest() {
        // A burst early on, then a quieter but steady run, then a lull.
        let mut counts = vec![50; 7];
        counts.extend([30; 21]);
        counts.extend([2; 14]);
        // The week ending on the lull's first day is still busy, but its
        // trickle is not where the story is.
        assert_eq!(opening_day(&histogram(&counts)), Day(127));
    }

    #[test]
    fn a_busy_week_ends_on_its_last_day_with_events() {
        // The week ending two quiet days (and a stray event) after the
        // busy days still counts as busy, but the cursor lands on a busy day.
        let counts = [0, 0, 9, 9, 9, 9, 0, 1];
        assert_eq!(opening_day(&histogram(&counts)), Day(105));
    }

    #[test]
    fn no_events_open_on_the_first_day() {
        assert_eq!(opening_day(&histogram(&[0, 0, 0])), Day(100));
        assert_eq!(opening_day(&DayHistogram::default()), Day::default());
    }

    #[test]
    fn slots_of_several_days_open_on_the_last_day_of_the_slot() {
        let h = DayHistogram::from_density(&[vec![4, 4, 0, 0, 1]], (Day(100), Day(139)), 8, 1);
        assert_eq!(opening_day(&h), Day(115));
    }

    #[test]
    fn the_opening_view_holds_the_weeks_before_the_cursor() {
        let span = (day("2025-06-01"), day("2025-11-27"));
        let (lo, hi) = opening_view(day("2025-11-27"), span);
        assert!(lo <= f64::from(day("2025-10-27").0), "{lo}");
        assert!(lo > f64::from(day("2025-10-01").0), "{lo}");
        assert_eq!(hi, f64::from(day("2025-11-27").0) + SPAN_MARGIN_DAYS);
        // In the middle of the span, a few days after the cursor show too.
        let (lo, hi) = opening_view(day("2025-08-10"), span);
        assert_eq!(hi, f64::from(day("2025-08-13").0));
        assert_eq!(hi - lo, VIEW_DAYS_BEFORE + VIEW_DAYS_AFTER);
    }

    #[test]
    fn a_short_span_is_shown_whole() {
        let span = (day("2025-11-20"), day("2025-11-27"));
        let (lo, hi) = opening_view(day("2025-11-27"), span);
        assert_eq!(lo, f64::from(span.0.0) - SPAN_MARGIN_DAYS);
        assert_eq!(hi, f64::from(span.1.0) + SPAN_MARGIN_DAYS);
        // Near the start, the view keeps its width by showing later days.
        let long = (day("2025-01-01"), day("2025-12-31"));
        let (lo, hi) = opening_view(day("2025-01-03"), long);
        assert_eq!(lo, f64::from(long.0.0) - SPAN_MARGIN_DAYS);
        assert_eq!(hi - lo, VIEW_DAYS_BEFORE + VIEW_DAYS_AFTER);
    }

    #[test]
    fn the_view_follows_a_cursor_that_leaves_it() {
        let view = (100.0, 150.0);
        assert_eq!(follow_cursor(view, Day(120)), None);
        assert_eq!(follow_cursor(view, Day(150)), None);
        // Past the end, the page turns: the cursor near the left edge.
        assert_eq!(follow_cursor(view, Day(151)), Some((141.0, 191.0)));
        assert_eq!(follow_cursor(view, Day(90)), Some((50.0, 100.0)));
        assert_eq!(follow_cursor((1.0, 1.0), Day(90)), None);
    }
}
