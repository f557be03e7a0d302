//! Calendar ticks for a time axis: days, weeks, months or years, whichever
//! fits the zoom, on dates a reader expects (Mondays, the first of a month,
//! 1 January), each labelled by its own unit. A plain decimal axis over day
//! numbers puts ticks on arbitrary dates and drops the year.

use crate::model::{Day, month_name};

/// The step between two ticks.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TickUnit {
    /// Every `n` days (7 and 14 fall on Mondays).
    Days(u32),
    /// Every `n` months, on the first (counted from January).
    Months(u32),
    /// Every `n` years, on 1 January of years divisible by `n`.
    Years(u32),
}

/// Steps from finest to coarsest.
const LADDER: [TickUnit; 15] = [
    TickUnit::Days(1),
    TickUnit::Days(2),
    TickUnit::Days(7),
    TickUnit::Days(14),
    TickUnit::Months(1),
    TickUnit::Months(3),
    TickUnit::Months(6),
    TickUnit::Years(1),
    TickUnit::Years(2),
    TickUnit::Years(5),
    TickUnit::Years(10),
    TickUnit::Years(20),
    TickUnit::Years(50),
    TickUnit::Years(100),
    TickUnit::Years(500),
];

impl TickUnit {
    /// Its length in days (months and years on average).
    pub fn approx_days(self) -> f64 {
        match self {
            Self::Days(n) => f64::from(n),
            Self::Months(n) => 30.44 * f64::from(n),
            Self::Years(n) => 365.25 * f64::from(n),
        }
    }

    /// Whether a tick of this unit falls on `day`.
    pub fn holds(self, day: Day) -> bool {
        let (y, m, d) = day.ymd();
        match self {
            Self::Days(n @ (7 | 14)) => (day.0 - 4).rem_euclid(n.cast_signed()) == 0,
            Self::Days(n) => day.0.rem_euclid(n.cast_signed().max(1)) == 0,
            Self::Months(n) => d == 1 && (m - 1) % n == 0,
            Self::Years(n) => d == 1 && m == 1 && y.rem_euclid(n.cast_signed()) == 0,
        }
    }

    /// The label of a tick of this unit: "27 Nov", "Mar" (the year on
    /// 1 January), "2025".
    pub fn label(self, day: Day) -> String {
        let (y, m, d) = day.ymd();
        match self {
            Self::Days(_) => format!("{d} {}", &month_name(m)[..3]),
            Self::Months(_) if m == 1 => y.to_string(),
            Self::Months(_) => month_name(m)[..3].to_owned(),
            Self::Years(_) => y.to_string(),
        }
    }
}

/// The label of a tick drawn with a step of `step_days` (a unit's
/// [`TickUnit::approx_days`]), for axes that hand back only the step.
pub fn tick_label(day: Day, step_days: f64) -> String {
    let unit = if step_days >= 365.0 {
        TickUnit::Years(1)
    } else if step_days >= 28.0 {
        TickUnit::Months(1)
    } else {
        TickUnit::Days(1)
    };
    unit.label(day)
}

/// A tick on the axis: where, and the coarsest unit it belongs to (which
/// sets its label and how strongly it is drawn).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Tick {
    /// Its day.
    pub day: Day,
    /// The coarsest of the three units drawn that falls on it.
    pub unit: TickUnit,
}

/// The ticks between `first` and `last` (inclusive): of the finest unit at
/// least `min_step_days` long, each marked with the coarsest of that unit
/// and the next two that falls on it. At most a few thousand: a span too
/// long for its step yields none.
pub fn calendar_ticks(first: Day, last: Day, min_step_days: f64) -> Vec<Tick> {
    let Some(fine) = LADDER.iter().position(|u| u.approx_days() >= min_step_days) else {
        return Vec::new();
    };
    // The next two steps up mark the stronger ticks. Only ticks of the
    // finest step are made, so a month's first day among weekly ticks is
    // marked only when it is a Monday: labels never crowd each other.
    let units: Vec<TickUnit> = LADDER.iter().skip(fine).take(3).copied().collect();
    let Some(&finest) = units.first() else {
        return Vec::new();
    };
    let span = f64::from(last.0) - f64::from(first.0);
    if last < first || span / finest.approx_days() > 5_000.0 {
        return Vec::new();
    }
    let mut ticks = Vec::new();
    let mut day = first;
    while day <= last {
        let held = finest.holds(day);
        if held {
            let unit = units
                .iter()
                .rev()
                .find(|u| u.holds(day))
                .copied()
                .unwrap_or(finest);
            ticks.push(Tick { day, unit });
        }
        day = match finest {
            TickUnit::Days(_) if !held => day.offset(1),
            _ => next_after(day, finest),
        };
    }
    ticks
}

/// The least room a time axis gives a label, in pixels: a 1000-pixel
/// axis shows a dozen or so, so a year in view shows its months.
pub const LABEL_PX: f64 = 70.0;

/// The least room between two unlabelled grid lines, in pixels.
pub const GRID_PX: f64 = 10.0;

/// The ticks of a time axis at one zoom: labels as dense as their room
/// allows, and fainter lines of a finer unit between them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AxisTicks {
    /// The labelled ticks: of the finest unit at least [`LABEL_PX`] long.
    pub labelled: Vec<Tick>,
    /// Unlabelled ticks between the labelled ones (none where a finer
    /// unit would crowd the labels' room or the grid's).
    pub grid: Vec<Day>,
    /// The unit of `grid`.
    pub grid_unit: Option<TickUnit>,
}

/// The finest step whose ticks lie at least `min_px` apart where a day is
/// `px_per_day` wide.
pub fn finest_unit(px_per_day: f64, min_px: f64) -> Option<TickUnit> {
    if !px_per_day.is_finite() || px_per_day <= 0.0 {
        return None;
    }
    LADDER
        .iter()
        .copied()
        .find(|u| u.approx_days() * px_per_day >= min_px)
}

/// The ticks of an axis over the days `first..=last` where a day is
/// `px_per_day` wide. Grid lines come only from a unit at most half a
/// label's room apart, so an axis that hides labels closer than that never
/// labels one.
pub fn axis_ticks(first: Day, last: Day, px_per_day: f64) -> AxisTicks {
    let Some(label) = finest_unit(px_per_day, LABEL_PX) else {
        return AxisTicks::default();
    };
    let grid_unit = finest_unit(px_per_day, GRID_PX)
        .filter(|u| *u != label && u.approx_days() * px_per_day <= LABEL_PX / 2.0);
    let grid = grid_unit.map_or_else(Vec::new, |unit| {
        calendar_ticks(first, last, unit.approx_days())
            .into_iter()
            .map(|t| t.day)
            .filter(|&day| !label.holds(day))
            .collect()
    });
    AxisTicks {
        labelled: calendar_ticks(first, last, label.approx_days()),
        grid,
        grid_unit,
    }
}

/// The next day after `day` that may hold a tick of `unit`: `n` days on
/// from a tick; the first of the next month, or 1 January of the next
/// year, from any day (so the walk takes a step per month, not per day).
fn next_after(day: Day, unit: TickUnit) -> Day {
    let (y, m, _) = day.ymd();
    match unit {
        TickUnit::Days(n) => day.offset(n.cast_signed()),
        TickUnit::Months(_) => {
            let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            Day::from_ymd(y, m, 1).unwrap_or(day.offset(28))
        }
        TickUnit::Years(_) => Day::from_ymd(y + 1, 1, 1).unwrap_or(day.offset(365)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse_iso(text).expect("valid test date")
    }

    fn labels(ticks: &[Tick]) -> Vec<String> {
        ticks.iter().map(|t| t.unit.label(t.day)).collect()
    }

    #[test]
    fn seven_years_tick_every_year_on_the_first_of_january() {
        let ticks = calendar_ticks(day("2017-12-29"), day("2025-01-03"), 300.0);
        assert_eq!(
            labels(&ticks),
            [
                "2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025"
            ]
        );
        assert!(
            ticks
                .iter()
                .all(|t| t.day.ymd().1 == 1 && t.day.ymd().2 == 1)
        );
        // The even years are the stronger marks (the next unit up).
        assert_eq!(ticks.first().map(|t| t.unit), Some(TickUnit::Years(2)));
        assert_eq!(ticks.get(1).map(|t| t.unit), Some(TickUnit::Years(1)));
    }

    #[test]
    fn a_few_months_tick_monthly_with_the_year_in_january() {
        let ticks = calendar_ticks(day("2024-11-10"), day("2025-03-20"), 20.0);
        assert_eq!(labels(&ticks), ["Dec", "2025", "Feb", "Mar"]);
        assert_eq!(ticks.get(1).map(|t| t.unit), Some(TickUnit::Months(6)));
    }

    #[test]
    fn a_few_weeks_tick_on_mondays_and_days_read_as_dates() {
        let ticks = calendar_ticks(day("2025-11-01"), day("2025-11-30"), 5.0);
        assert_eq!(labels(&ticks), ["3 Nov", "10 Nov", "17 Nov", "24 Nov"]);
        assert!(ticks.iter().all(|t| t.day.weekday() == 0));
        let days = calendar_ticks(day("2025-11-24"), day("2025-11-27"), 0.5);
        assert_eq!(labels(&days), ["24 Nov", "25 Nov", "26 Nov", "27 Nov"]);
        // Months ticks upgrade only ticks on the weekly grid.
        let weeks = calendar_ticks(day("2025-08-25"), day("2025-09-15"), 5.0);
        assert_eq!(labels(&weeks), ["25 Aug", "Sep", "8 Sep", "15 Sep"]);
    }

    #[test]
    fn labels_follow_the_step_an_axis_hands_back() {
        let jan = day("2025-01-01");
        let mar = day("2025-03-01");
        assert_eq!(tick_label(jan, TickUnit::Years(2).approx_days()), "2025");
        assert_eq!(tick_label(jan, TickUnit::Months(3).approx_days()), "2025");
        assert_eq!(tick_label(mar, TickUnit::Months(1).approx_days()), "Mar");
        assert_eq!(tick_label(mar, TickUnit::Days(7).approx_days()), "1 Mar");
    }

    /// The ticks of the days `first..=last` on an axis `width_px` wide.
    fn axis(first: &str, last: &str, width_px: f64) -> AxisTicks {
        let (first, last) = (day(first), day(last));
        let days = f64::from(last.0 - first.0 + 1);
        axis_ticks(first, last, width_px / days)
    }

    #[test]
    fn a_year_on_a_wide_axis_labels_its_twelve_months() {
        let ticks = axis("2024-01-01", "2024-12-31", 1000.0);
        assert_eq!(
            labels(&ticks.labelled),
            [
                "2024", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
            ]
        );
        // Weekly lines between them, none on a month's first day.
        assert_eq!(ticks.grid_unit, Some(TickUnit::Days(7)));
        assert_eq!(ticks.grid.len(), 50, "53 Mondays, three on a first");
        assert!(ticks.grid.iter().all(|d| d.ymd().2 != 1));
        // Half as wide, a label a quarter.
        let narrow = axis("2024-01-01", "2024-12-31", 500.0);
        assert_eq!(labels(&narrow.labelled), ["2024", "Apr", "Jul", "Oct"]);
    }

    #[test]
    fn the_label_unit_follows_the_room_a_day_has() {
        let unit = |first, last, width| {
            let ticks = axis(first, last, width);
            let unit = ticks.labelled.first().map(|_| {
                let days = f64::from(day(last).0 - day(first).0 + 1);
                finest_unit(width / days, LABEL_PX)
            });
            (unit.flatten(), ticks.labelled.len())
        };
        assert_eq!(
            unit("2017-01-01", "2024-12-31", 1000.0),
            (Some(TickUnit::Years(1)), 8)
        );
        assert_eq!(
            unit("2018-01-01", "2024-12-31", 1000.0),
            (Some(TickUnit::Months(6)), 14)
        );
        assert_eq!(
            unit("2025-09-01", "2025-11-30", 1000.0),
            (Some(TickUnit::Days(7)), 13)
        );
        assert_eq!(
            unit("2025-11-01", "2025-11-28", 1000.0),
            (Some(TickUnit::Days(2)), 14)
        );
        assert_eq!(
            unit("2025-11-21", "2025-11-27", 1000.0),
            (Some(TickUnit::Days(1)), 7)
        );
    }

    #[test]
    fn labels_keep_their_room_at_every_zoom() {
        for width in [300.0, 640.0, 1000.0, 1600.0] {
            for days in [5, 20, 60, 200, 400, 1500, 8000, 40_000] {
                let first = day("1990-03-14");
                let last = first.offset(days);
                let px_per_day = width / f64::from(days + 1);
                let ticks = axis_ticks(first, last, px_per_day);
                let gaps = ticks
                    .labelled
                    .windows(2)
                    .map(|p| f64::from(p[1].day.0 - p[0].day.0));
                // Months are 28 to 31 days, their step 30.44 on average.
                let least = gaps.fold(f64::INFINITY, f64::min) * px_per_day;
                assert!(
                    least >= LABEL_PX * 28.0 / 30.44,
                    "{width} px, {days} days: {least}"
                );
                let most = ticks.labelled.len() as f64;
                assert!(
                    most <= width / LABEL_PX + 1.0,
                    "{width} px, {days} days: {most}"
                );
            }
        }
    }

    #[test]
    fn degenerate_spans_have_no_ticks() {
        assert_eq!(
            axis_ticks(day("2025-01-01"), day("2025-12-31"), 0.0),
            AxisTicks::default()
        );
        assert_eq!(
            axis_ticks(day("2025-01-01"), day("2025-12-31"), f64::NAN),
            AxisTicks::default()
        );
        assert!(calendar_ticks(day("2025-01-02"), day("2025-01-01"), 1.0).is_empty());
        assert!(calendar_ticks(day("2025-01-01"), day("2025-01-01"), 1e9).is_empty());
        assert!(calendar_ticks(Day(-1_000_000), Day(1_000_000), 0.1).is_empty());
    }
}
