//! Where the time of a piece of work went, phase by phase, for the
//! `--timings` flags: measured in the program a user runs, not only in
//! the benches.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// Named wall-clock phases, in the order they ran.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timings {
    phases: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// No phases yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a phase that took `took`.
    pub fn record(&mut self, phase: &'static str, took: Duration) {
        self.phases.push((phase, took));
    }

    /// Runs `work` as a phase and records how long it took.
    pub fn time<T>(&mut self, phase: &'static str, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = work();
        self.record(phase, start.elapsed());
        out
    }

    /// Adds another's phases after these.
    pub fn extend(&mut self, other: &Timings) {
        self.phases.extend_from_slice(&other.phases);
    }

    /// The phases, in order.
    pub fn phases(&self) -> &[(&'static str, Duration)] {
        &self.phases
    }

    /// One line a phase, `  name  123.4 ms`, aligned.
    pub fn lines(&self) -> String {
        let width = self.phases.iter().map(|(p, _)| p.len()).max().unwrap_or(0);
        let mut out = String::new();
        for (phase, took) in &self.phases {
            let _ = writeln!(
                out,
                "  {phase:<width$}  {:>9.1} ms",
                took.as_secs_f64() * 1000.0
            );
        }
        out
    }
}

/// The app's start-up, from launch to the first frame on screen.
///
/// `main` marks the phases up to the app's creation; the app calls
/// [`Startup::on_frame`] at the start of each frame: the second call (the
/// first frame has then been painted and swapped) ends "first frame" and
/// gives the report.
#[derive(Clone, Debug)]
pub struct Startup {
    started: Instant,
    last: Instant,
    timings: Timings,
    frames: u32,
}

impl Startup {
    /// Starts the clock (call first thing in `main`).
    pub fn new() -> Self {
        let now = Instant::now();
        Self {
            started: now,
            last: now,
            timings: Timings::new(),
            frames: 0,
        }
    }

    /// Ends a phase here.
    pub fn mark(&mut self, phase: &'static str) {
        let now = Instant::now();
        self.timings.record(phase, now - self.last);
        self.last = now;
    }

    /// Records a phase that ran beside the others (on another thread), so
    /// it is not part of the sequence but still reported.
    pub fn beside(&mut self, phase: &'static str, took: Duration) {
        self.timings.record(phase, took);
    }

    /// Call at the start of every frame until it returns the report.
    pub fn on_frame(&mut self) -> Option<String> {
        self.frames += 1;
        match self.frames {
            1 => {
                self.mark("until the first frame begins");
                None
            }
            _ => {
                self.mark("first frame (lay out, paint)");
                let mut all = self.timings.clone();
                all.record("launch to first frame, in all", self.last - self.started);
                Some(format!("chronomap: start-up\n{}", all.lines()))
            }
        }
    }
}

impl Default for Startup {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_kept_in_order_and_printed_aligned() {
        let mut t = Timings::new();
        t.record("atlas", Duration::from_millis(80));
        let n = t.time("load", || 2 + 2);
        assert_eq!(n, 4);
        assert_eq!(t.phases().len(), 2);
        assert_eq!(t.phases().first().map(|p| p.0), Some("atlas"));
        let text = t.lines();
        assert!(text.starts_with("  atlas       80.0 ms\n"), "{text}");
        assert!(text.contains("  load "), "{text}");
    }

    #[test]
    fn start_up_reports_after_the_second_frame() {
        let mut s = Startup::new();
        s.mark("atlas");
        assert_eq!(s.on_frame(), None);
        let report = s.on_frame().expect("report after the first frame");
        assert!(report.contains("atlas"), "{report}");
        assert!(report.contains("until the first frame begins"), "{report}");
        assert!(report.contains("launch to first frame, in all"), "{report}");
    }
}
