//! The single owner of time state: the date cursor, the window around it,
//! and playback. Views never change it directly; they send [`TimeCommand`]s
//! that [`TimeControl::apply`] checks once per frame (as rerun's time panel).

use crate::model::Day;

/// How many days the window shows, ending at the cursor.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum WindowWidth {
    /// The `n` days ending at the cursor (n ≥ 1).
    Days(u16),
    /// The whole dataset, whatever the cursor.
    All,
}

impl WindowWidth {
    /// The choices offered in the UI, shortest first.
    pub const CHOICES: [Self; 4] = [Self::Days(1), Self::Days(3), Self::Days(7), Self::All];

    /// "1 day", "3 days", "1 week", "all".
    pub fn label(self) -> String {
        match self {
            Self::Days(1) => "1 day".into(),
            Self::Days(7) => "1 week".into(),
            Self::Days(n) => format!("{n} days"),
            Self::All => "all".into(),
        }
    }

    /// `1d`, `7d`, `all`: how the command line and a project write it.
    pub fn name(self) -> String {
        match self {
            Self::Days(n) => format!("{n}d"),
            Self::All => "all".into(),
        }
    }

    /// `1d`, `3d`, `7d`, `Nd` or `all`.
    ///
    /// # Errors
    /// A message listing the forms.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim().to_lowercase();
        if text == "all" {
            return Ok(Self::All);
        }
        text.strip_suffix('d')
            .and_then(|n| n.parse::<u16>().ok())
            .filter(|&n| n > 0)
            .map(Self::Days)
            .ok_or_else(|| format!("'{text}' is not a window: use 1d, 3d, 7d, Nd or all"))
    }

    /// The days of this window ending on `last`; `None` for all of them.
    pub fn ending(self, last: Day) -> Option<(Day, Day)> {
        match self {
            Self::Days(n) => Some((last.offset(1 - i32::from(n.max(1))), last)),
            Self::All => None,
        }
    }
}

/// Which events a window holds, where an event's date is a range of days
/// it may have happened on ("earlier this week", a month).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum WindowRule {
    /// Every event whose range touches the window, whether it certainly
    /// happened inside it or only may have.
    #[default]
    MayOverlap,
    /// Only events whose whole range lies inside the window.
    CertainlyInside,
}

impl WindowRule {
    /// The choices offered beside the window's width.
    pub const CHOICES: [Self; 2] = [Self::MayOverlap, Self::CertainlyInside];

    /// "may overlap", "certainly inside".
    pub fn label(self) -> &'static str {
        match self {
            Self::MayOverlap => "may overlap",
            Self::CertainlyInside => "certainly inside",
        }
    }

    /// `may-overlap`, `certainly-inside`: the label as the command line and
    /// a project write it.
    pub fn name(self) -> String {
        self.label().replace(' ', "-")
    }

    /// A rule by its [`WindowRule::name`].
    ///
    /// # Errors
    /// A message naming both.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::CHOICES
            .into_iter()
            .find(|rule| rule.name() == text.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!("'{text}' is not a window rule: use may-overlap or certainly-inside")
            })
    }

    /// What the rule counts, in a sentence.
    pub fn hint(self) -> &'static str {
        match self {
            Self::MayOverlap => {
                "Count an event whose possible days touch the window, even if it may have happened outside it"
            }
            Self::CertainlyInside => {
                "Count only events whose every possible day lies inside the window"
            }
        }
    }

    /// How many events the window holds under this rule, `certain` of
    /// them certainly: "9 events in the window, 4 of them certain", "1
    /// event in the window", "4 events certainly in the window".
    pub fn count_words(self, count: usize, certain: usize) -> String {
        let events = if count == 1 { "event" } else { "events" };
        match self {
            Self::CertainlyInside => format!("{count} {events} certainly in the window"),
            Self::MayOverlap if certain < count => {
                format!("{count} {events} in the window, {certain} of them certain")
            }
            Self::MayOverlap => format!("{count} {events} in the window"),
        }
    }

    /// Whether an event that may have happened on any day of `start..=end`
    /// is in the window `first..=last` under this rule, and how surely.
    pub fn holds(self, (start, end): (Day, Day), (first, last): (Day, Day)) -> Option<Certainty> {
        if start > last || end < first {
            return None;
        }
        let certainty = if start >= first && end <= last {
            Certainty::Certain
        } else {
            Certainty::Possible
        };
        match (self, certainty) {
            (Self::CertainlyInside, Certainty::Possible) => None,
            _ => Some(certainty),
        }
    }
}

/// How surely an event in the window happened inside it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Certainty {
    /// Every day it may have happened on lies inside the window.
    Certain,
    /// Some of its possible days lie outside the window.
    Possible,
}

/// A change to the time state, applied by [`TimeControl::apply`].
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum TimeCommand {
    /// Put the cursor on this day (clamped to the data's span).
    SetCursor(Day),
    /// Move the cursor by this many days (negative: back).
    Step(i32),
    /// Change the window width.
    SetWindow(WindowWidth),
    /// Change which events the window holds.
    SetRule(WindowRule),
    /// Start or stop playback.
    SetPlaying(bool),
    /// Toggle playback.
    TogglePlay,
    /// Playback speed in days per second (clamped to 0.25..=60).
    SetSpeed(f64),
}

/// Current date, window and playback.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeControl {
    cursor: Day,
    width: WindowWidth,
    rule: WindowRule,
    playing: bool,
    speed_days_per_sec: f64,
    /// Fraction of a day played but not yet stepped.
    pending_days: f64,
    first: Day,
    last: Day,
}

impl TimeControl {
    /// Time state over the days `first..=last`, cursor at `first`.
    pub fn new(first: Day, last: Day) -> Self {
        Self {
            cursor: first,
            width: WindowWidth::Days(1),
            rule: WindowRule::MayOverlap,
            playing: false,
            speed_days_per_sec: 2.0,
            pending_days: 0.0,
            first: first.min(last),
            last: first.max(last),
        }
    }

    /// The day the cursor is on.
    pub fn cursor(&self) -> Day {
        self.cursor
    }

    /// The window width.
    pub fn width(&self) -> WindowWidth {
        self.width
    }

    /// Which events the window holds.
    pub fn rule(&self) -> WindowRule {
        self.rule
    }

    /// Whether an event of the days `start..=end` is in the window, and
    /// how surely (see [`WindowRule::holds`]).
    pub fn holds(&self, days: (Day, Day)) -> Option<Certainty> {
        self.rule.holds(days, self.window())
    }

    /// Whether playback runs.
    pub fn is_playing(&self) -> bool {
        self.playing
    }

    /// Playback speed.
    pub fn speed_days_per_sec(&self) -> f64 {
        self.speed_days_per_sec
    }

    /// The days the cursor can move over.
    pub fn bounds(&self) -> (Day, Day) {
        (self.first, self.last)
    }

    /// The window's first and last day (inclusive).
    pub fn window(&self) -> (Day, Day) {
        self.width
            .ending(self.cursor)
            .unwrap_or((self.first, self.last))
    }

    /// The window in words: "27 Nov 2025" or "21–27 Nov 2025".
    pub fn window_words(&self) -> String {
        let (a, b) = self.window();
        if a == b {
            return a.short_words();
        }
        let (ya, ma, da) = a.ymd();
        let (yb, mb, _) = b.ymd();
        let head = if ya != yb {
            a.short_words()
        } else if ma != mb {
            format!("{da} {}", &crate::model::month_name(ma)[..3])
        } else {
            da.to_string()
        };
        format!("{head}\u{2013}{}", b.short_words())
    }

    /// Applies one command, keeping the invariants (cursor within bounds).
    pub fn apply(&mut self, command: TimeCommand) {
        match command {
            TimeCommand::SetCursor(day) => self.set_cursor(day),
            TimeCommand::Step(n) => {
                self.pending_days = 0.0;
                self.set_cursor(self.cursor.offset(n));
            }
            TimeCommand::SetWindow(w) => {
                self.width = match w {
                    WindowWidth::Days(0) => WindowWidth::Days(1),
                    other => other,
                };
            }
            TimeCommand::SetRule(rule) => self.rule = rule,
            TimeCommand::SetPlaying(p) => self.set_playing(p),
            TimeCommand::TogglePlay => self.set_playing(!self.playing),
            TimeCommand::SetSpeed(s) if s.is_finite() => {
                self.speed_days_per_sec = s.clamp(0.25, 60.0);
            }
            TimeCommand::SetSpeed(_) => {}
        }
    }

    fn set_cursor(&mut self, day: Day) {
        self.cursor = day.clamp(self.first, self.last);
    }

    fn set_playing(&mut self, playing: bool) {
        // Playing from the last day starts over, as media players do.
        if playing && !self.playing && self.cursor >= self.last {
            self.cursor = self.first;
        }
        self.playing = playing;
        self.pending_days = 0.0;
    }

    /// Advances playback by `dt_secs` of wall time; returns whether the
    /// cursor moved. Playback stops on the last day.
    pub fn tick(&mut self, dt_secs: f64) -> bool {
        if !self.playing || !dt_secs.is_finite() || dt_secs <= 0.0 {
            return false;
        }
        self.pending_days += dt_secs * self.speed_days_per_sec;
        let whole = self.pending_days.floor();
        if whole < 1.0 {
            return false;
        }
        self.pending_days -= whole;
        let before = self.cursor;
        #[expect(clippy::cast_possible_truncation, reason = "clamped to a small range")]
        let step = whole.min(f64::from(i32::MAX)) as i32;
        self.set_cursor(self.cursor.offset(step));
        if self.cursor >= self.last {
            self.playing = false;
        }
        self.cursor != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: u32) -> Day {
        Day::from_ymd(2025, 11, n).expect("valid test date")
    }

    #[test]
    fn a_width_gives_the_days_ending_on_a_day() {
        assert_eq!(WindowWidth::Days(7).ending(d(27)), Some((d(21), d(27))));
        assert_eq!(WindowWidth::Days(1).ending(d(27)), Some((d(27), d(27))));
        assert_eq!(WindowWidth::Days(0).ending(d(27)), Some((d(27), d(27))));
        assert_eq!(WindowWidth::All.ending(d(27)), None);
    }

    /// The two rules on ranges that touch, straddle and lie inside the
    /// window 21–27 Nov.
    #[test]
    fn the_rules_hold_ranges_that_touch_straddle_and_lie_inside() {
        let window = (d(21), d(27));
        let may = WindowRule::MayOverlap;
        let inside = WindowRule::CertainlyInside;
        let cases = [
            // (range, may overlap, certainly inside)
            (
                (d(24), d(26)),
                Some(Certainty::Certain),
                Some(Certainty::Certain),
            ),
            (
                (d(21), d(27)),
                Some(Certainty::Certain),
                Some(Certainty::Certain),
            ),
            (
                (d(27), d(27)),
                Some(Certainty::Certain),
                Some(Certainty::Certain),
            ),
            ((d(15), d(21)), Some(Certainty::Possible), None),
            ((d(27), d(30)), Some(Certainty::Possible), None),
            ((d(1), d(30)), Some(Certainty::Possible), None),
            ((d(18), d(23)), Some(Certainty::Possible), None),
            ((d(14), d(20)), None, None),
            ((d(28), d(30)), None, None),
        ];
        for (range, overlap, certainly) in cases {
            assert_eq!(may.holds(range, window), overlap, "{range:?} may overlap");
            assert_eq!(
                inside.holds(range, window),
                certainly,
                "{range:?} certainly inside"
            );
        }
        assert_eq!(
            may.count_words(9, 4),
            "9 events in the window, 4 of them certain"
        );
        assert_eq!(may.count_words(1, 1), "1 event in the window");
        assert_eq!(inside.count_words(4, 4), "4 events certainly in the window");
        let mut t = TimeControl::new(d(1), d(27));
        t.apply(TimeCommand::SetCursor(d(27)));
        t.apply(TimeCommand::SetWindow(WindowWidth::Days(7)));
        assert_eq!(t.holds((d(18), d(23))), Some(Certainty::Possible));
        t.apply(TimeCommand::SetRule(WindowRule::CertainlyInside));
        assert_eq!(t.rule(), WindowRule::CertainlyInside);
        assert_eq!(t.holds((d(18), d(23))), None);
        assert_eq!(t.holds((d(22), d(23))), Some(Certainty::Certain));
    }

    #[test]
    fn cursor_stays_within_bounds() {
        let mut t = TimeControl::new(d(1), d(27));
        t.apply(TimeCommand::Step(-5));
        assert_eq!(t.cursor(), d(1));
        t.apply(TimeCommand::SetCursor(d(30)));
        assert_eq!(t.cursor(), d(27));
        t.apply(TimeCommand::Step(-2));
        assert_eq!(t.cursor(), d(25));
    }

    #[test]
    fn window_trails_the_cursor() {
        let mut t = TimeControl::new(d(1), d(27));
        t.apply(TimeCommand::SetCursor(d(27)));
        assert_eq!(t.window(), (d(27), d(27)));
        assert_eq!(t.window_words(), "27 Nov 2025");
        t.apply(TimeCommand::SetWindow(WindowWidth::Days(7)));
        assert_eq!(t.window(), (d(21), d(27)));
        assert_eq!(t.window_words(), "21\u{2013}27 Nov 2025");
        t.apply(TimeCommand::SetWindow(WindowWidth::All));
        assert_eq!(t.window(), (d(1), d(27)));
    }

    #[test]
    fn playback_steps_whole_days_and_stops_at_the_end() {
        let mut t = TimeControl::new(d(20), d(23));
        t.apply(TimeCommand::SetSpeed(2.0));
        t.apply(TimeCommand::TogglePlay);
        assert!(!t.tick(0.25), "half a day is not a step");
        assert!(t.tick(0.25));
        assert_eq!(t.cursor(), d(21));
        assert!(t.tick(1.0));
        assert_eq!(t.cursor(), d(23));
        assert!(!t.is_playing());
        t.apply(TimeCommand::TogglePlay);
        assert_eq!(t.cursor(), d(20), "playing from the end starts over");
    }

    #[test]
    fn bad_commands_are_harmless() {
        let mut t = TimeControl::new(d(5), d(1));
        assert_eq!(t.bounds(), (d(1), d(5)));
        t.apply(TimeCommand::SetSpeed(f64::NAN));
        assert!((t.speed_days_per_sec() - 2.0).abs() < f64::EPSILON);
        t.apply(TimeCommand::SetWindow(WindowWidth::Days(0)));
        assert_eq!(t.width(), WindowWidth::Days(1));
        assert!(!t.tick(f64::INFINITY));
    }
}
