//! The frame-time overlay (toggled with F12): what the last frame cost on
//! the CPU, how much of it went to the map's scene and the timeline, how
//! many shapes the map painted, and the frame rate, so that a user can see
//! what a view costs.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use egui::{Align2, Area, Frame, Id, Order, Pos2, RichText, vec2};

/// The key that shows or hides the overlay.
pub const TOGGLE_KEY: egui::Key = egui::Key::F12;

/// Frame starts kept for the frame rate: about the last second at 60 fps.
const FPS_WINDOW: usize = 60;

/// What the app measured in the last frame.
#[derive(Clone, Debug, Default)]
pub struct FrameStats {
    /// When recent frames started, oldest first.
    starts: VecDeque<Instant>,
    /// The whole frame as eframe measured it: the app, tessellation and
    /// painting (`None` before the second frame and under test harnesses).
    pub frame_cpu: Option<Duration>,
    /// The app's own `ui`: every panel, the scene and the commands.
    pub app: Duration,
    /// The map panel, scene included.
    pub map: Duration,
    /// Building the map's scene alone.
    pub scene: Duration,
    /// The timeline panel.
    pub timeline: Duration,
    /// Shapes the map painted (its retained basemap counts as two).
    pub shapes: usize,
    /// Event markers, one per place.
    pub markers: usize,
    /// Cluster markers, one per crowded cell.
    pub clusters: usize,
}

impl FrameStats {
    /// Notes the start of a frame, for the frame rate.
    pub fn frame_started(&mut self, now: Instant) {
        if self.starts.len() == FPS_WINDOW {
            self.starts.pop_front();
        }
        self.starts.push_back(now);
    }

    /// Frames per second over the recent frames; `None` until there are two.
    pub fn fps(&self) -> Option<f64> {
        let (first, last) = (self.starts.front()?, self.starts.back()?);
        let secs = last.duration_since(*first).as_secs_f64();
        let frames = u32::try_from(self.starts.len().saturating_sub(1)).ok()?;
        (frames > 0 && secs > 0.0).then(|| f64::from(frames) / secs)
    }

    /// The overlay's lines, first the heading.
    pub fn lines(&self) -> [String; 6] {
        let frame = self
            .frame_cpu
            .map_or_else(|| "n/a".to_owned(), |d| format!("{:.2} ms", ms(d)));
        let fps = self
            .fps()
            .map_or_else(|| "n/a".to_owned(), |f| format!("{f:.0}"));
        [
            format!("Frame times ({} hides)", TOGGLE_KEY.name()),
            format!("Frame CPU (all): {frame}"),
            format!(
                "App: {:.2} ms (map {:.2}, timeline {:.2})",
                ms(self.app),
                ms(self.map),
                ms(self.timeline)
            ),
            format!("Scene build: {:.2} ms", ms(self.scene)),
            format!(
                "Shapes: {} ({} markers, {} clusters)",
                self.shapes, self.markers, self.clusters
            ),
            format!("Frames per second: {fps}"),
        ]
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Shows the overlay with its top-left corner at `at`.
pub fn overlay_ui(ctx: &egui::Context, stats: &FrameStats, at: Pos2) {
    Area::new(Id::unique("frame_time_overlay"))
        .order(Order::Foreground)
        .pivot(Align2::LEFT_TOP)
        .fixed_pos(at + vec2(10.0, 10.0))
        .interactable(false)
        .show(ctx, |ui| {
            Frame::popup(ui.style()).show(ui, |ui| {
                let [heading, rest @ ..] = stats.lines();
                ui.strong(heading);
                for line in rest {
                    ui.label(RichText::new(line).monospace());
                }
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fps_counts_frames_over_the_time_they_took() {
        let mut stats = FrameStats::default();
        assert_eq!(stats.fps(), None);
        let t0 = Instant::now();
        for i in 0..=100_u64 {
            stats.frame_started(t0 + Duration::from_millis(20 * i));
        }
        let fps = stats.fps().unwrap_or_default();
        assert!((fps - 50.0).abs() < 1e-6, "{fps}");
        assert_eq!(stats.starts.len(), FPS_WINDOW);
    }

    #[test]
    fn lines_show_milliseconds_and_counts() {
        let stats = FrameStats {
            scene: Duration::from_micros(1_250),
            shapes: 42,
            clusters: 3,
            markers: 10,
            ..FrameStats::default()
        };
        let lines = stats.lines();
        assert_eq!(lines[0], "Frame times (F12 hides)");
        assert_eq!(lines[1], "Frame CPU (all): n/a");
        assert_eq!(lines[3], "Scene build: 1.25 ms");
        assert_eq!(lines[4], "Shapes: 42 (10 markers, 3 clusters)");
    }
}
