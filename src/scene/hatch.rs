//! Diagonal hatching inside outlines on screen: how the map tells a place
//! known only to its country, or an event that may fall outside the window,
//! from a solid fill, in the app and in rendered images alike.

/// The segments of lines at 45° (`x - y` constant), `spacing_px` apart,
/// that lie inside `rings` (even-odd, as outlines with holes are filled),
/// within `clip` (`[min_x, min_y, max_x, max_y]`).
///
/// Each edge adds where it crosses the lines it spans, so the cost follows
/// the outline's points and the crossings, not the lines times the edges.
pub(super) fn hatch(
    rings: &[Vec<[f32; 2]>],
    spacing_px: f32,
    clip: [f32; 4],
) -> Vec<[[f32; 2]; 2]> {
    if spacing_px <= 0.0 || clip[2] <= clip[0] || clip[3] <= clip[1] {
        return Vec::new();
    }
    // Lines `spacing_px` apart are this far apart along x - y.
    let step = spacing_px * std::f32::consts::SQRT_2;
    // The lines that meet the clip rectangle: c = x - y from its lower
    // left corner to its upper right.
    let (c_min, c_max) = (clip[0] - clip[3], clip[2] - clip[1]);
    // (line number, where along the line: x + y)
    let mut crossings: Vec<(i32, f32)> = Vec::new();
    for ring in rings {
        let edges = ring
            .iter()
            .zip(ring.iter().cycle().skip(1))
            .take(ring.len());
        for (a, b) in edges {
            let (u0, u1) = (a[0] - a[1], b[0] - b[1]);
            let (lo, hi) = (u0.min(u1).max(c_min), u0.max(u1).min(c_max + step));
            if u0 == u1 || lo >= hi {
                continue;
            }
            let (s0, s1) = (a[0] + a[1], b[0] + b[1]);
            #[expect(clippy::cast_possible_truncation, reason = "screen-sized")]
            let first = (lo / step).ceil() as i32;
            let mut k = first;
            loop {
                #[expect(clippy::cast_precision_loss, reason = "screen-sized")]
                let c = k as f32 * step;
                // Half-open, so that a line through a vertex crosses once.
                if c >= hi || c >= u0.max(u1) {
                    break;
                }
                let t = (c - u0) / (u1 - u0);
                crossings.push((k, s0 + t * (s1 - s0)));
                k += 1;
            }
        }
    }
    crossings.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut segments = Vec::new();
    for line in crossings.chunk_by(|a, b| a.0 == b.0) {
        #[expect(clippy::cast_precision_loss, reason = "screen-sized")]
        let c = line[0].0 as f32 * step;
        // Where the line is inside the clip rectangle, along x + y.
        let s_min = (2.0 * clip[0] - c).max(2.0 * clip[1] + c);
        let s_max = (2.0 * clip[2] - c).min(2.0 * clip[3] + c);
        for pair in line.chunks_exact(2) {
            let (from, to) = (pair[0].1.max(s_min), pair[1].1.min(s_max));
            if to > from {
                let at = |s: f32| [(s + c) / 2.0, (s - c) / 2.0];
                segments.push([at(from), at(to)]);
            }
        }
    }
    segments
}

/// [`hatch`]'s segments as lines one pixel wide, for a painter (and a
/// legend's swatch).
pub fn hatch_lines(
    rings: &[Vec<[f32; 2]>],
    spacing_px: f32,
    clip: [f32; 4],
    color: super::Rgba,
) -> impl Iterator<Item = super::LineShape> {
    hatch(rings, spacing_px, clip)
        .into_iter()
        .map(move |[a, b]| super::LineShape {
            points: vec![a, b],
            closed: false,
            width_px: 1.0,
            color,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn length(segments: &[[[f32; 2]; 2]]) -> f32 {
        segments
            .iter()
            .map(|[a, b]| ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt())
            .sum()
    }

    #[test]
    fn a_square_is_hatched_inside_and_a_hole_is_left_out() {
        let square = vec![[0.0, 0.0], [100.0, 0.0], [100.0, 100.0], [0.0, 100.0]];
        let clip = [-50.0, -50.0, 500.0, 500.0];
        let segments = hatch(std::slice::from_ref(&square), 10.0, clip);
        // Lines 10 px apart cover a 100 px square with 10,000 / 10 px of
        // line (give or take the corners).
        let total = length(&segments);
        assert!((total - 1000.0).abs() < 30.0, "{total}");
        for [a, b] in &segments {
            for p in [a, b] {
                assert!((-0.01..=100.01).contains(&p[0]) && (-0.01..=100.01).contains(&p[1]));
            }
            assert!(((b[0] - a[0]) - (b[1] - a[1])).abs() < 0.01, "45°");
        }
        let hole = vec![[25.0, 25.0], [75.0, 25.0], [75.0, 75.0], [25.0, 75.0]];
        let with_hole = length(&hatch(&[square.clone(), hole], 10.0, clip));
        assert!((with_hole - 750.0).abs() < 30.0, "{with_hole}");
        // Clipped to the left half.
        let half = length(&hatch(&[square], 10.0, [0.0, 0.0, 50.0, 100.0]));
        assert!((half - 500.0).abs() < 30.0, "{half}");
    }

    #[test]
    fn nothing_outside_the_clip_or_for_a_degenerate_ring() {
        let square = vec![[0.0, 0.0], [100.0, 0.0], [100.0, 100.0], [0.0, 100.0]];
        assert!(hatch(&[square], 10.0, [200.0, 200.0, 300.0, 300.0]).is_empty());
        assert!(
            hatch(
                &[vec![[0.0, 0.0], [10.0, 10.0]]],
                10.0,
                [0.0, 0.0, 50.0, 50.0]
            )
            .is_empty()
        );
    }
}
