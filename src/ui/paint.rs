//! Painting a [`Scene`] with egui's painter.

use egui::epaint::{Mesh, PathShape, Vertex};
use egui::{Align2, Color32, FontId, Pos2, Shape, Stroke, pos2};

use crate::scene::{ClusterMarker, Rgba, Scene};

/// egui's colour for a scene colour.
pub fn color(c: Rgba) -> Color32 {
    let [r, g, b, a] = c.0;
    Color32::from_rgba_unmultiplied(r, g, b, a)
}

fn pos(p: [f32; 2]) -> Pos2 {
    pos2(p[0], p[1])
}

/// Paints every layer of the scene, back to front.
pub fn paint_scene(painter: &egui::Painter, scene: &Scene) {
    if let Some(bg) = scene.background {
        painter.rect_filled(painter.clip_rect(), 0.0, color(bg));
    }
    let mut shapes = Vec::with_capacity(scene.meshes.len() + scene.lines.len());
    for m in &scene.meshes {
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
        shapes.push(Shape::mesh(mesh));
    }
    for l in &scene.lines {
        let points = l.points.iter().copied().map(pos).collect();
        let stroke = Stroke::new(l.width_px, color(l.color));
        shapes.push(if l.closed {
            Shape::Path(PathShape::closed_line(points, stroke))
        } else {
            Shape::line(points, stroke)
        });
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
        paint_label(painter, label);
    }
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
    painter.text(
        at,
        Align2::CENTER_CENTER,
        cluster.count_text(),
        FontId::proportional(ClusterMarker::TEXT_PX),
        color(cluster.text_color),
    );
}

fn paint_label(painter: &egui::Painter, label: &crate::scene::Label) {
    let font = FontId::proportional(label.size_px);
    let galley = painter.layout_no_wrap(label.text.clone(), font, color(label.color));
    let at = pos(label.pos);
    // A soft halo keeps the text legible over borders and fills.
    let halo = Color32::from_rgba_unmultiplied(250, 248, 244, 200);
    let r = egui::Rect::from_min_size(at, galley.size()).expand(1.5);
    painter.rect_filled(r, 3.0, halo);
    painter.galley(at, galley.clone(), color(label.color));
    if label.strong {
        painter.galley(at + egui::vec2(0.4, 0.0), galley, color(label.color));
    }
}
