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

    #[test]
    fn degenerate_spans_have_no_ticks() {
        assert!(calendar_ticks(day("2025-01-02"), day("2025-01-01"), 1.0).is_empty());
        assert!(calendar_ticks(day("2025-01-01"), day("2025-01-01"), 1e9).is_empty());
        assert!(calendar_ticks(Day(-1_000_000), Day(1_000_000), 0.1).is_empty());
    }
}
