//! The view onto the world: where the map is centred and how far zoomed,
//! and the mapping between world coordinates and screen pixels.
//!
//! World coordinates are Web Mercator on the unit square (see
//! [`crate::atlas::world_from_lon_lat`]); screen coordinates are logical
//! pixels with y down.

/// A screen rectangle the map is drawn into, in logical pixels.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Viewport {
    /// Top-left corner.
    pub min: [f32; 2],
    /// Width and height.
    pub size: [f32; 2],
}

impl Viewport {
    /// A viewport at the origin of this size.
    pub fn sized(width: f32, height: f32) -> Self {
        Self {
            min: [0.0, 0.0],
            size: [width, height],
        }
    }

    /// The centre point.
    pub fn center(&self) -> [f32; 2] {
        [
            self.min[0] + self.size[0] / 2.0,
            self.min[1] + self.size[1] / 2.0,
        ]
    }

    /// Its bounds, `[min_x, min_y, max_x, max_y]`.
    pub fn bounds(&self) -> [f32; 4] {
        [
            self.min[0],
            self.min[1],
            self.min[0] + self.size[0],
            self.min[1] + self.size[1],
        ]
    }

    /// Whether a point lies inside (with a margin in pixels).
    pub fn contains(&self, p: [f32; 2], margin: f32) -> bool {
        p[0] >= self.min[0] - margin
            && p[1] >= self.min[1] - margin
            && p[0] <= self.min[0] + self.size[0] + margin
            && p[1] <= self.min[1] + self.size[1] + margin
    }
}

/// The most and least a user can zoom, in screen pixels per world unit.
const MIN_PX_PER_WORLD: f64 = 128.0;
const MAX_PX_PER_WORLD: f64 = 256.0 * 65_536.0;

/// Where the map looks: persisted between frames, mutated by pan and zoom.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Camera {
    /// The world point at the viewport's centre.
    pub center_world: [f64; 2],
    /// Screen pixels per world unit (the whole world is one unit wide).
    pub px_per_world: f64,
}

impl Default for Camera {
    fn default() -> Self {
        Self {
            center_world: [0.5, 0.5],
            px_per_world: 512.0,
        }
    }
}

impl Camera {
    /// World units per screen pixel, which picks the level of detail.
    pub fn world_per_px(&self) -> f64 {
        1.0 / self.px_per_world
    }

    /// Whether the camera can zoom in any further (clusters only form
    /// while it can, as clicking one zooms in to split it).
    pub fn can_zoom_in(&self) -> bool {
        self.px_per_world < MAX_PX_PER_WORLD
    }

    /// A slippy-map style zoom level (0 = world in 256 px), for display.
    pub fn zoom_level(&self) -> f64 {
        (self.px_per_world / 256.0).log2()
    }

    /// The screen position of a world point.
    #[expect(clippy::cast_possible_truncation, reason = "screen pixels are f32")]
    pub fn screen_from_world(&self, viewport: &Viewport, world: [f64; 2]) -> [f32; 2] {
        let c = viewport.center();
        [
            c[0] + ((world[0] - self.center_world[0]) * self.px_per_world) as f32,
            c[1] + ((world[1] - self.center_world[1]) * self.px_per_world) as f32,
        ]
    }

    /// The world point under a screen position.
    pub fn world_from_screen(&self, viewport: &Viewport, screen: [f32; 2]) -> [f64; 2] {
        let c = viewport.center();
        [
            self.center_world[0] + f64::from(screen[0] - c[0]) / self.px_per_world,
            self.center_world[1] + f64::from(screen[1] - c[1]) / self.px_per_world,
        ]
    }

    /// The world rectangle the viewport shows, `(min, max)`.
    pub fn visible_world(&self, viewport: &Viewport) -> ([f64; 2], [f64; 2]) {
        let a = self.world_from_screen(viewport, viewport.min);
        let b = self.world_from_screen(
            viewport,
            [
                viewport.min[0] + viewport.size[0],
                viewport.min[1] + viewport.size[1],
            ],
        );
        (a, b)
    }

    /// A camera that shows the world rectangle `min..max` with a margin.
    pub fn fit(min: [f64; 2], max: [f64; 2], viewport: &Viewport, margin_px: f32) -> Self {
        let w = (max[0] - min[0]).max(1e-9);
        let h = (max[1] - min[1]).max(1e-9);
        let avail_w = f64::from((viewport.size[0] - 2.0 * margin_px).max(16.0));
        let avail_h = f64::from((viewport.size[1] - 2.0 * margin_px).max(16.0));
        let mut camera = Self {
            center_world: [(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0],
            px_per_world: (avail_w / w).min(avail_h / h),
        };
        camera.clamp();
        camera
    }

    /// The camera a share `t` (0 to 1) of the way from `self` to `to`: the
    /// centre moves in a straight line and the zoom by equal factors, so a
    /// flight over a zoom change of a thousand times looks even.
    pub fn toward(&self, to: &Self, t: f64) -> Self {
        let t = t.clamp(0.0, 1.0);
        let lerp = |a: f64, b: f64| a + (b - a) * t;
        let zoom =
            (self.px_per_world.ln() + (to.px_per_world.ln() - self.px_per_world.ln()) * t).exp();
        Self {
            center_world: [
                lerp(self.center_world[0], to.center_world[0]),
                lerp(self.center_world[1], to.center_world[1]),
            ],
            px_per_world: zoom,
        }
    }

    /// The camera that shows on a map of `to` pixels what `self` showed on
    /// one of `from`: the same centre, zoomed so the whole of what was seen
    /// is still seen (a view kept on a wide screen, opened on a small one).
    #[must_use]
    pub fn for_map(&self, from: [f32; 2], to: [f32; 2]) -> Self {
        let ratio = |a: f32, b: f32| {
            if a > 0.0 && b > 0.0 {
                f64::from(b) / f64::from(a)
            } else {
                1.0
            }
        };
        let scale = ratio(from[0], to[0]).min(ratio(from[1], to[1]));
        let mut camera = *self;
        camera.px_per_world *= scale;
        camera.clamp();
        camera
    }

    /// Moves the map by a screen-space drag.
    pub fn pan_by_px(&mut self, delta: [f32; 2]) {
        self.center_world[0] -= f64::from(delta[0]) / self.px_per_world;
        self.center_world[1] -= f64::from(delta[1]) / self.px_per_world;
        self.clamp();
    }

    /// Zooms by `factor` keeping the world point under `anchor` fixed.
    pub fn zoom_about(&mut self, viewport: &Viewport, anchor: [f32; 2], factor: f64) {
        if !factor.is_finite() || factor <= 0.0 {
            return;
        }
        let before = self.world_from_screen(viewport, anchor);
        self.px_per_world = (self.px_per_world * factor).clamp(MIN_PX_PER_WORLD, MAX_PX_PER_WORLD);
        let after = self.world_from_screen(viewport, anchor);
        self.center_world[0] += before[0] - after[0];
        self.center_world[1] += before[1] - after[1];
        self.clamp();
    }

    /// Keeps the zoom in range and the centre on the world.
    fn clamp(&mut self) {
        if !self.px_per_world.is_finite() {
            *self = Self::default();
        }
        self.px_per_world = self.px_per_world.clamp(MIN_PX_PER_WORLD, MAX_PX_PER_WORLD);
        for c in &mut self.center_world {
            *c = if c.is_finite() {
                c.clamp(0.0, 1.0)
            } else {
                0.5
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_and_world_round_trip() {
        let vp = Viewport::sized(800.0, 600.0);
        let cam = Camera {
            center_world: [0.7, 0.4],
            px_per_world: 4096.0,
        };
        let w = [0.71, 0.39];
        let s = cam.screen_from_world(&vp, w);
        let back = cam.world_from_screen(&vp, s);
        assert!((back[0] - w[0]).abs() < 1e-6 && (back[1] - w[1]).abs() < 1e-6);
        assert_eq!(cam.screen_from_world(&vp, cam.center_world), [400.0, 300.0]);
    }

    #[test]
    fn zoom_keeps_the_anchor_fixed() {
        let vp = Viewport::sized(800.0, 600.0);
        let mut cam = Camera::default();
        let anchor = [100.0, 500.0];
        let before = cam.world_from_screen(&vp, anchor);
        cam.zoom_about(&vp, anchor, 2.0);
        let after = cam.world_from_screen(&vp, anchor);
        assert!((before[0] - after[0]).abs() < 1e-9);
        assert!((cam.px_per_world - 1024.0).abs() < 1e-9);
    }

    #[test]
    fn fit_shows_the_whole_rectangle() {
        let vp = Viewport::sized(800.0, 600.0);
        let cam = Camera::fit([0.6, 0.3], [0.7, 0.35], &vp, 20.0);
        let (a, b) = cam.visible_world(&vp);
        assert!(a[0] <= 0.6 && a[1] <= 0.3 && b[0] >= 0.7 && b[1] >= 0.35);
        assert!((cam.px_per_world - 7600.0).abs() < 1.0);
    }
}
