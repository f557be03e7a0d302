//! Painting a [`Scene`] with egui's painter.

use egui::epaint::{Mesh, PathShape, Tessellator, Vertex};
use egui::{Align2, Color32, FontId, Pos2, Shape, Stroke, pos2};

use crate::scene::{ClusterMarker, LineShape, MeshShape, Rgba, Scene, Style};

/// egui's colour for a scene colour.
pub fn color(c: Rgba) -> Color32 {
    let [r, g, b, a] = c.0;
    Color32::from_rgba_unmultiplied(r, g, b, a)
}

fn pos(p: [f32; 2]) -> Pos2 {
    pos2(p[0], p[1])
}

/// The basemap of a scene (land and borders) tessellated once, for as long
/// as the camera and viewport hold: a frame then copies its vertices
/// instead of projecting, converting and stroking every border again.
pub struct RetainedBasemap {
    /// Land, drawn under the event regions.
    land: Shape,
    /// Borders, drawn over the event regions.
    borders: Shape,
}

impl RetainedBasemap {
    /// Tessellates the basemap layers of `scene` for `painter`'s clip
    /// rectangle, as egui would tessellate them this frame.
    pub fn new(painter: &egui::Painter, scene: &Scene) -> Self {
        let ctx = painter.ctx();
        let options = ctx.tessellation_options(|o| *o);
        let font_size = ctx.fonts(|f| f.font_image_size());
        let mut tessellator =
            Tessellator::new(ctx.pixels_per_point(), options, font_size, Vec::new());
        tessellator.set_clip_rect(painter.clip_rect());
        let mut tessellate = |shapes: Vec<Shape>| {
            let mut mesh = Mesh::default();
            for shape in shapes {
                tessellator.tessellate_shape(shape, &mut mesh);
            }
            Shape::mesh(mesh)
        };
        let (land, _) = scene
            .meshes
            .split_at(scene.basemap_meshes.min(scene.meshes.len()));
        let (borders, _) = scene
            .lines
            .split_at(scene.basemap_lines.min(scene.lines.len()));
        Self {
            land: tessellate(land.iter().map(mesh_shape).collect()),
            borders: tessellate(borders.iter().flat_map(line_shapes).collect()),
        }
    }
}

/// Paints every layer of the scene, back to front; its basemap from
/// `basemap` when given (made from a scene with the same camera and
/// viewport).
pub fn paint_scene(
    painter: &egui::Painter,
    scene: &Scene,
    style: &Style,
    basemap: Option<&RetainedBasemap>,
) {
    if let Some(bg) = scene.background {
        painter.rect_filled(painter.clip_rect(), 0.0, color(bg));
    }
    let (own_meshes, own_lines) = if basemap.is_some() {
        (scene.basemap_meshes, scene.basemap_lines)
    } else {
        (0, 0)
    };
    let mut shapes = Vec::with_capacity(scene.meshes.len() + scene.lines.len() + 2);
    shapes.extend(basemap.map(|b| b.land.clone()));
    shapes.extend(scene.meshes.iter().skip(own_meshes).map(mesh_shape));
    shapes.extend(basemap.map(|b| b.borders.clone()));
    shapes.extend(scene.lines.iter().skip(own_lines).flat_map(line_shapes));
    for m in scene.markers.iter().filter(|m| m.ring_px > 0.0) {
        let (fill, stroke) = style.ring(m.state);
        shapes.push(Shape::circle_filled(pos(m.pos), m.ring_px, color(fill)));
        shapes.extend(dashed_circle(
            pos(m.pos),
            m.ring_px,
            Stroke::new(1.2, color(stroke)),
        ));
    }
    for m in scene.dots.iter().chain(&scene.markers) {
        shapes.push(Shape::circle_filled(pos(m.pos), m.radius_px, color(m.fill)));
        shapes.push(Shape::circle_stroke(
            pos(m.pos),
            m.radius_px,
            Stroke::new(m.stroke_px, color(m.stroke)),
        ));
    }
    painter.extend(shapes);
    for cluster in &scene.clusters {
        paint_cluster(painter, cluster);
    }
    for label in &scene.labels {
        paint_label(painter, label, style);
    }
}

/// A circle's outline as dashes (4 px on, 3 off), as the renderer draws it.
fn dashed_circle(center: Pos2, radius_px: f32, stroke: Stroke) -> Vec<Shape> {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a small positive count"
    )]
    let steps = ((std::f32::consts::TAU * radius_px / 2.0).ceil() as usize).clamp(16, 512);
    let points: Vec<egui::Pos2> = (0..=steps)
        .map(|i| {
            #[expect(clippy::cast_precision_loss, reason = "a small count")]
            let a = std::f32::consts::TAU * i as f32 / steps as f32;
            center + radius_px * egui::vec2(a.cos(), a.sin())
        })
        .collect();
    Shape::dashed_line(&points, stroke, 4.0, 3.0)
}

fn mesh_shape(m: &MeshShape) -> Shape {
    let fill = color(m.color);
    let mesh = Mesh {
        indices: m.indices.clone(),
        vertices: m
            .vertices
            .iter()
            .map(|&v| Vertex {
                pos: pos(v),
                uv: egui::epaint::WHITE_UV,
                color: fill,
            })
            .collect(),
        ..Default::default()
    };
    Shape::mesh(mesh)
}

/// The strokes that draw a line (see [`stroke_runs`]).
fn line_shapes(l: &LineShape) -> impl Iterator<Item = Shape> {
    let stroke = Stroke::new(l.width_px, color(l.color));
    let points: Vec<Pos2> = l.points.iter().copied().map(pos).collect();
    stroke_runs(points, l.closed)
        .into_iter()
        .map(move |(points, closed)| {
            if closed {
                Shape::Path(PathShape::closed_line(points, stroke))
            } else {
                Shape::line(points, stroke)
            }
        })
}

/// Points closer than this (in pixels) are one point to the stroke.
const MERGE_PX: f32 = 0.05;

/// A turn sharper than this (the cosine of the angle between the
/// directions before and after a point, about 154°) cuts the line.
const SHARP_TURN: f32 = -0.9;

/// A line as runs for egui to stroke, each with whether it is closed.
///
/// egui joins two segments with a miter whose length grows without bound
/// as the turn between them nears a half-turn, and divides by zero at a
/// point repeated three times. A coastline simplified for a small scale
/// often doubles back on itself, and was drawn with a spike across the
/// whole map. So repeated points are merged, and the line is cut where it
/// turns back sharply: each run ends there square, and the next starts
/// from the same point.
fn stroke_runs(mut points: Vec<Pos2>, closed: bool) -> Vec<(Vec<Pos2>, bool)> {
    points.dedup_by(|p, q| p.distance_sq(*q) <= MERGE_PX * MERGE_PX);
    if closed {
        while points.len() > 1
            && points
                .first()
                .zip(points.last())
                .is_some_and(|(a, b)| a.distance_sq(*b) <= MERGE_PX * MERGE_PX)
        {
            points.pop();
        }
    }
    let n = points.len();
    if n < 2 {
        return Vec::new();
    }
    let closed = closed && n > 2;
    let at = |i: usize| points[i % n];
    // The cosine below SHARP_TURN, without a square root: the dot product
    // is negative and its square above SHARP_TURN² times the lengths².
    let sharp = |i: usize| {
        let (before, here, after) = (at(i + n - 1), at(i), at(i + 1));
        let (d0, d1) = (here - before, after - here);
        let dot = d0.dot(d1);
        dot < 0.0 && dot * dot > SHARP_TURN * SHARP_TURN * d0.length_sq() * d1.length_sq()
    };
    let cuts: Vec<usize> = if closed {
        (0..n).filter(|&i| sharp(i)).collect()
    } else {
        (1..n - 1).filter(|&i| sharp(i)).collect()
    };
    if cuts.is_empty() {
        return vec![(points, closed)];
    }
    let mut runs = Vec::with_capacity(cuts.len() + 1);
    if closed {
        // From each cut round to the next, the last back to the first.
        for (k, &from) in cuts.iter().enumerate() {
            let to = cuts.get(k + 1).copied().unwrap_or(cuts[0] + n);
            runs.push(((from..=to).map(at).collect(), false));
        }
    } else {
        let mut from = 0;
        for &cut in cuts.iter().chain([&(n - 1)]) {
            runs.push((points[from..=cut].to_vec(), false));
            from = cut;
        }
    }
    runs
}

/// A cluster: a disc with its count in the middle.
fn paint_cluster(painter: &egui::Painter, cluster: &ClusterMarker) {
    let at = pos(cluster.pos);
    painter.circle(
        at,
        cluster.radius_px,
        color(cluster.fill),
        Stroke::new(cluster.stroke_px, color(cluster.stroke)),
    );
    if let Some(arc) = cluster.sure_arc() {
        let points: Vec<Pos2> = arc.into_iter().map(pos).collect();
        painter.add(Shape::line(
            points,
            Stroke::new(2.5, color(cluster.arc_color())),
        ));
    }
    painter.text(
        at,
        Align2::CENTER_CENTER,
        cluster.count_text(),
        FontId::proportional(ClusterMarker::TEXT_PX),
        color(cluster.text_color),
    );
}

fn paint_label(painter: &egui::Painter, label: &crate::scene::Label, style: &Style) {
    let font = FontId::proportional(label.size_px);
    let galley = painter.layout_no_wrap(label.text.clone(), font, color(label.color));
    let at = pos(label.pos);
    // A soft halo keeps the text legible over borders and fills.
    let halo = color(style.halo.with_alpha(200));
    let r = egui::Rect::from_min_size(at, galley.size()).expand(1.5);
    painter.rect_filled(r, 3.0, halo);
    painter.galley(at, galley.clone(), color(label.color));
    if label.strong {
        painter.galley(at + egui::vec2(0.4, 0.0), galley, color(label.color));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::TessellationOptions;

    /// Where the vertices of the strokes of `line` lie.
    fn stroked_extent(line: &LineShape) -> egui::Rect {
        let mut tessellator =
            Tessellator::new(1.0, TessellationOptions::default(), [64, 64], Vec::new());
        tessellator.set_clip_rect(egui::Rect::EVERYTHING);
        let mut mesh = Mesh::default();
        for shape in line_shapes(line) {
            tessellator.tessellate_shape(shape, &mut mesh);
        }
        let mut extent = egui::Rect::NOTHING;
        for v in &mesh.vertices {
            assert!(v.pos.is_finite(), "a vertex at {:?}", v.pos);
            extent.extend_with(v.pos);
        }
        extent
    }

    fn line(points: &[[f32; 2]], closed: bool) -> LineShape {
        LineShape {
            points: points.to_vec(),
            closed,
            width_px: 1.0,
            color: Rgba([90, 90, 90, 255]),
        }
    }

    #[test]
    fn a_border_that_doubles_back_draws_no_spike() {
        // A coast that runs out to a cape and back along itself, as a
        // simplified outline does, then a point repeated three times.
        let coast = [
            [0.0, 0.0],
            [50.0, 0.0],
            [50.0, 40.0],
            [30.0, 40.0],
            [30.0, 40.0],
            [30.0, 40.0],
            [10.0, 40.0],
            [10.0, 20.0],
            [40.0, 20.001],
            [10.0, 20.002],
            [0.0, 20.0],
        ];
        for closed in [true, false] {
            let extent = stroked_extent(&line(&coast, closed));
            let outline = egui::Rect::from_min_max(pos2(0.0, 0.0), pos2(50.0, 40.0));
            assert!(
                outline.expand(2.0).contains_rect(extent),
                "closed {closed}: strokes reach {extent:?}"
            );
            // Every point is still on a stroke.
            assert!(extent.expand(0.01).contains_rect(outline), "{extent:?}");
        }
    }

    #[test]
    fn lines_are_cut_only_where_they_turn_back() {
        let square = [
            [0.0, 0.0],
            [10.0, 0.0],
            [10.0, 10.0],
            [0.0, 10.0],
            [0.0, 0.0],
        ];
        let points = |ps: &[[f32; 2]]| ps.iter().copied().map(pos).collect::<Vec<_>>();
        // A closed square: one closed run, its repeated last point dropped.
        let runs = stroke_runs(points(&square), true);
        assert_eq!(runs, [(points(&square[..4]), true)]);
        // An open path that goes out and back: two runs, meeting at the turn.
        let out_and_back = [[0.0, 0.0], [10.0, 0.0], [2.0, 0.0]];
        let runs = stroke_runs(points(&out_and_back), false);
        assert_eq!(
            runs,
            [
                (points(&out_and_back[..2]), false),
                (points(&out_and_back[1..]), false)
            ]
        );
        // A single point (or one repeated) draws nothing.
        assert!(stroke_runs(points(&[[1.0, 1.0], [1.0, 1.0]]), true).is_empty());
    }
}
