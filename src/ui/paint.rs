//! Painting a [`Scene`] with egui's painter.

use egui::epaint::{Mesh, PathShape, Tessellator, Vertex};
use egui::{Align2, Color32, FontId, Pos2, Shape, Stroke, pos2};

use crate::scene::{ClusterMarker, LineShape, MeshShape, Rgba, Scene};

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
            borders: tessellate(borders.iter().map(line_shape).collect()),
        }
    }
}

/// Paints every layer of the scene, back to front; its basemap from
/// `basemap` when given (made from a scene with the same camera and
/// viewport).
pub fn paint_scene(painter: &egui::Painter, scene: &Scene, basemap: Option<&RetainedBasemap>) {
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
    shapes.extend(scene.lines.iter().skip(own_lines).map(line_shape));
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

fn line_shape(l: &LineShape) -> Shape {
    let points = l.points.iter().copied().map(pos).collect();
    let stroke = Stroke::new(l.width_px, color(l.color));
    if l.closed {
        Shape::Path(PathShape::closed_line(points, stroke))
    } else {
        Shape::line(points, stroke)
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
