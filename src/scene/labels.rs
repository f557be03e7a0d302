//! Labels that don't pile up: candidates come in priority order and each is
//! kept only if its box is free, so the most important names always win.

use std::collections::HashSet;

use super::Rgba;

/// Where a label sits relative to its point.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// Centred on the point (regions).
    Center,
    /// To the right of the point, vertically centred (cities).
    Right,
}

/// A placed label.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// The text, as it is drawn ([`crate::fonts::display_text`]).
    pub text: String,
    /// Top-left corner of the text box, in screen coordinates.
    pub pos: [f32; 2],
    /// Font size in logical pixels.
    pub size_px: f32,
    /// Text colour.
    pub color: Rgba,
    /// Whether the text is drawn heavier (event places).
    pub strong: bool,
    /// The box it occupies `[min_x, min_y, max_x, max_y]`.
    pub rect: [f32; 4],
}

/// A label waiting for placement; its text is borrowed, so that only the
/// labels that are placed allocate.
pub(super) struct Candidate<'a> {
    pub text: &'a str,
    pub at: [f32; 2],
    pub anchor: Anchor,
    pub offset_px: f32,
    pub size_px: f32,
    pub color: Rgba,
    pub strong: bool,
}

/// The width of `text` at `size_px`, estimated without a font: good enough
/// to keep boxes apart, and identical for the app and the PNG renderer.
pub(super) fn text_width_px(text: &str, size_px: f32) -> f32 {
    #[expect(clippy::cast_precision_loss, reason = "label lengths are small")]
    let chars = text.chars().count() as f32;
    chars * size_px * 0.56
}

/// Greedy placement: each candidate tries a few positions around its point
/// and keeps the first whose box lies within `bounds` (`[min_x, min_y,
/// max_x, max_y]`, so no label is cut by the edge) and overlaps no label
/// kept before nor any of `obstacles` (boxes that must stay readable, such as
/// the counts of clusters), up to `max` labels; a candidate with no free
/// position is dropped.
pub(super) fn place_labels(
    candidates: Vec<Candidate<'_>>,
    max: usize,
    bounds: [f32; 4],
    obstacles: &[[f32; 4]],
) -> Vec<Label> {
    let mut placed: Vec<Label> = Vec::new();
    // The names placed, in lower case.
    let mut named: HashSet<String> = HashSet::new();
    for c in candidates {
        if placed.len() >= max {
            break;
        }
        // A name is labelled once a view (the first candidate bearing it
        // is the busiest of them), whatever its case: a country's basemap
        // label ("PAKISTAN") gives way to the event place of that name.
        let name = c.text.to_lowercase();
        if named.contains(&name) {
            continue;
        }
        let w = text_width_px(c.text, c.size_px);
        let h = c.size_px * 1.25;
        let pad = 2.0;
        let free = positions(&c, w, h).into_iter().find_map(|pos| {
            let rect = [
                pos[0] - pad,
                pos[1] - pad,
                pos[0] + w + pad,
                pos[1] + h + pad,
            ];
            let inside = rect[0] >= bounds[0]
                && rect[1] >= bounds[1]
                && rect[2] <= bounds[2]
                && rect[3] <= bounds[3];
            let free = !placed.iter().any(|l| overlaps(&l.rect, &rect))
                && !obstacles.iter().any(|o| overlaps(o, &rect));
            (inside && free).then_some((pos, rect))
        });
        let Some((pos, rect)) = free else {
            continue;
        };
        named.insert(name);
        placed.push(Label {
            text: crate::fonts::display_text(c.text).into_owned(),
            pos,
            size_px: c.size_px,
            color: c.color,
            strong: c.strong,
            rect,
        });
    }
    placed
}

/// Top-left corners to try, best first: centred regions may shift up or
/// down by a line; point labels go right, left, above or below the point.
fn positions(c: &Candidate<'_>, w: f32, h: f32) -> [[f32; 2]; 4] {
    let [x, y] = c.at;
    match c.anchor {
        Anchor::Center => [
            [x - w / 2.0, y - h / 2.0],
            [x - w / 2.0, y + h / 2.0],
            [x - w / 2.0, y - 1.5 * h],
            [x - w / 2.0, y + 1.5 * h],
        ],
        Anchor::Right => [
            [x + c.offset_px, y - h / 2.0],
            [x - c.offset_px - w, y - h / 2.0],
            [x - w / 2.0, y - c.offset_px - h],
            [x - w / 2.0, y + c.offset_px],
        ],
    }
}

fn overlaps(a: &[f32; 4], b: &[f32; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(text: &str, at: [f32; 2]) -> Candidate<'_> {
        Candidate {
            text,
            at,
            anchor: Anchor::Right,
            offset_px: 6.0,
            size_px: 12.0,
            color: Rgba::rgb(0, 0, 0),
            strong: false,
        }
    }

    #[test]
    fn a_label_that_collides_moves_or_is_dropped() {
        let labels = place_labels(
            vec![
                candidate("Islamabad", [100.0, 100.0]),
                candidate("Rawalpindi", [101.0, 104.0]),
                candidate("Kabul", [10.0, 300.0]),
                candidate("Kabul2", [10.0, 300.0]),
                candidate("Kabul3", [10.0, 300.0]),
                candidate("Kabul4", [10.0, 300.0]),
                candidate("Kabul5", [10.0, 300.0]),
            ],
            10,
            [-100.0, -100.0, 1000.0, 1000.0],
            &[],
        );
        let texts: Vec<&str> = labels.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["Islamabad", "Rawalpindi", "Kabul", "Kabul2"]);
        // Rawalpindi moved off its first choice, to the left of its point.
        assert!(labels[1].pos[0] < 101.0);
    }

    #[test]
    fn labels_keep_off_obstacles() {
        let cluster = [104.0, 95.0, 150.0, 125.0];
        let labels = place_labels(
            vec![candidate("Lahore", [100.0, 110.0])],
            10,
            [0.0, 0.0, 500.0, 500.0],
            &[cluster],
        );
        // Right of the point is taken by the cluster: it goes left.
        assert_eq!(labels.len(), 1);
        assert!(labels[0].rect[2] <= cluster[0], "{:?}", labels[0].rect);
        let boxed_in = place_labels(
            vec![candidate("Lahore", [100.0, 110.0])],
            10,
            [0.0, 0.0, 500.0, 500.0],
            &[[0.0, 0.0, 500.0, 500.0]],
        );
        assert!(boxed_in.is_empty());
    }

    #[test]
    fn no_two_kept_labels_overlap() {
        let names: Vec<String> = (0..200).map(|i| format!("Label {i}")).collect();
        let many: Vec<Candidate> = (0..200_u16)
            .zip(&names)
            .map(|(i, name)| {
                let f = f32::from(i);
                candidate(name, [(f * 37.0) % 500.0, (f * 53.0) % 400.0])
            })
            .collect();
        let labels = place_labels(many, 1000, [0.0, 0.0, 500.0, 400.0], &[]);
        assert!(
            labels
                .iter()
                .all(|l| l.rect[0] >= 0.0 && l.rect[2] <= 500.0)
        );
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(!overlaps(&a.rect, &b.rect));
            }
        }
        assert!(labels.len() > 10);
    }

    #[test]
    fn a_name_borne_by_many_points_is_labelled_once_at_the_first() {
        // The scene hands the busiest point's candidate first.
        let labels = place_labels(
            vec![
                candidate("Zahedan", [300.0, 300.0]),
                candidate("Zahedan", [100.0, 100.0]),
                candidate("Zahedan", [200.0, 200.0]),
                candidate("ZAHEDAN", [250.0, 400.0]),
                candidate("Zabol", [400.0, 100.0]),
            ],
            10,
            [0.0, 0.0, 500.0, 500.0],
            &[],
        );
        let texts: Vec<&str> = labels.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["Zahedan", "Zabol"]);
        assert!(
            labels[0].pos[0] > 300.0,
            "at the first point: {:?}",
            labels[0].pos
        );
    }
}
