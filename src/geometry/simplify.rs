//! Douglas–Peucker simplification, computed once for every tolerance at the same time.
//!
//! Instead of running Douglas–Peucker once per level, each point gets an *importance*: the
//! largest tolerance at which Douglas–Peucker would still keep it. A child split point never
//! gets more importance than its parent, which makes "keep every point with importance above
//! the tolerance" exactly equal to Douglas–Peucker at that tolerance, for every tolerance, and
//! makes the levels nested (each coarser level is a subset of the finer one).

/// Importance of every point of a polyline in world coordinates.
///
/// Both end points are kept at every tolerance (they are junctions shared with other arcs).
/// If the line is closed (first point = last point), the point farthest from the start is kept
/// too, so that a closed ring never collapses into a line through Douglas–Peucker alone.
#[must_use]
pub fn importance(points_world: &[[f64; 2]]) -> Vec<f64> {
    let mut importance = vec![0.0; points_world.len()];
    let Some(last) = points_world.len().checked_sub(1) else {
        return importance;
    };
    if let Some(first) = importance.first_mut() {
        *first = f64::INFINITY;
    }
    if let Some(end) = importance.last_mut() {
        *end = f64::INFINITY;
    }
    let mut anchors = vec![0, last];
    if last > 1 && points_world.first() == points_world.last() {
        let far = farthest_from_start(points_world);
        if let Some(slot) = importance.get_mut(far) {
            *slot = f64::INFINITY;
        }
        anchors.insert(1, far);
    }
    for pair in anchors.windows(2) {
        split_recursively(points_world, pair[0], pair[1], &mut importance);
    }
    importance
}

/// How many tolerances (sorted ascending, finest first) keep a point of this importance.
#[must_use]
pub fn keep_count(importance: f64, tolerances_world: &[f64]) -> u8 {
    let count = tolerances_world
        .iter()
        .filter(|&&tolerance| importance > tolerance)
        .count();
    u8::try_from(count).unwrap_or(u8::MAX)
}

/// Index of the point farthest from the first one.
fn farthest_from_start(points_world: &[[f64; 2]]) -> usize {
    let Some(&start) = points_world.first() else {
        return 0;
    };
    let mut best = (0.0, 0);
    for (index, point) in points_world.iter().enumerate() {
        let distance = (point[0] - start[0]).hypot(point[1] - start[1]);
        if distance > best.0 {
            best = (distance, index);
        }
    }
    best.1
}

/// Douglas–Peucker between two kept points, with an explicit stack (arcs can be long).
fn split_recursively(points_world: &[[f64; 2]], start: usize, end: usize, importance: &mut [f64]) {
    let mut stack = vec![(start, end, f64::INFINITY)];
    while let Some((start, end, parent)) = stack.pop() {
        let (Some(&a), Some(&b)) = (points_world.get(start), points_world.get(end)) else {
            continue;
        };
        let farthest = (start + 1..end)
            .filter_map(|index| Some((segment_distance(*points_world.get(index)?, a, b), index)))
            .max_by(|x, y| x.0.total_cmp(&y.0));
        let Some((distance, index)) = farthest else {
            continue;
        };
        let clamped = distance.min(parent);
        if let Some(slot) = importance.get_mut(index) {
            *slot = clamped;
        }
        stack.push((start, index, clamped));
        stack.push((index, end, clamped));
    }
}

/// Distance from `point` to the segment `a`–`b`.
fn segment_distance(point: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let [dx, dy] = [b[0] - a[0], b[1] - a[1]];
    let length_squared = dx * dx + dy * dy;
    let t = if length_squared > 0.0 {
        (((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / length_squared).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (point[0] - (a[0] + t * dx)).hypot(point[1] - (a[1] + t * dy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_points_are_always_kept_and_straight_runs_are_not() {
        let line = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0]];
        let importance = importance(&line);
        assert_eq!(importance, vec![f64::INFINITY, 0.0, 0.0, f64::INFINITY]);
    }

    #[test]
    fn importance_is_the_distance_to_the_simplified_line_and_never_exceeds_the_parent() {
        // A big bump at x = 2 with a bigger wiggle beside it, which DP only reaches after the
        // bump was kept.
        let line = [[0.0, 0.0], [1.0, 0.5], [1.5, 3.0], [2.0, 4.0], [4.0, 0.0]];
        let importance = importance(&line);
        assert!((importance[3] - 4.0).abs() < 1e-12);
        assert!(importance[2] <= importance[3]);
        assert!(importance.iter().all(|&value| value >= 0.0));
    }

    #[test]
    fn closed_rings_keep_a_second_anchor() {
        let ring = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
        let importance = importance(&ring);
        assert!(importance[2].is_infinite());
        assert!(importance[1] > 0.0 && importance[3] > 0.0);
    }

    #[test]
    fn keep_counts_are_nested_levels() {
        let tolerances = [0.1, 1.0, 10.0];
        assert_eq!(keep_count(0.05, &tolerances), 0);
        assert_eq!(keep_count(0.5, &tolerances), 1);
        assert_eq!(keep_count(5.0, &tolerances), 2);
        assert_eq!(keep_count(f64::INFINITY, &tolerances), 3);
    }
}
