//! Painting a [`Scene`] onto a `tiny_skia` pixmap: the same layers, in the
//! same order and with the same colours as the app's egui painter
//! (`ui/paint.rs`), so an exported map is the picture the user saw.

use tiny_skia::{
    FillRule, LineCap, LineJoin, Paint, Path, PathBuilder, Pixmap, Rect, Stroke, Transform,
};

use super::text::{TextStyle, draw_text, line_height_px, text_width_px};
use crate::scene::{ClusterMarker, Label, LineShape, Marker, MeshShape, Rgba, Scene, Style};

/// Paints every layer of `scene`, back to front, clipped to `clip`
/// (`[min_x, min_y, max_x, max_y]` in pixels; the map's viewport).
pub fn paint_scene(pixmap: &mut Pixmap, scene: &Scene, style: &Style, clip: [f32; 4]) {
    if let Some(bg) = scene.background {
        fill_rect(pixmap, clip, bg);
    }
    let mask = clip_mask(pixmap, clip);
    let mask = mask.as_ref();
    for mesh in &scene.meshes {
        paint_mesh(pixmap, mesh, mask);
    }
    for line in &scene.lines {
        paint_line(pixmap, line, mask);
    }
    for marker in scene.markers.iter().filter(|m| m.ring_px > 0.0) {
        paint_ring(pixmap, marker, style, mask);
    }
    for marker in scene.dots.iter().chain(&scene.markers) {
        paint_marker(pixmap, marker, mask);
    }
    for cluster in &scene.clusters {
        paint_cluster(pixmap, cluster, mask);
    }
    for label in &scene.labels {
        paint_label(pixmap, label, style, mask);
    }
}

/// A paint of one colour, anti-aliased.
pub fn paint_of(color: Rgba) -> Paint<'static> {
    let [r, g, b, a] = color.0;
    let mut paint = Paint::default();
    paint.set_color_rgba8(r, g, b, a);
    paint.anti_alias = true;
    paint
}

/// Fills an axis-aligned rectangle `[min_x, min_y, max_x, max_y]`.
pub fn fill_rect(pixmap: &mut Pixmap, rect: [f32; 4], color: Rgba) {
    if let Some(r) = Rect::from_ltrb(rect[0], rect[1], rect[2], rect[3]) {
        pixmap.fill_rect(r, &paint_of(color), Transform::identity(), None);
    }
}

/// Fills a rectangle with rounded corners.
pub fn fill_rounded_rect(
    pixmap: &mut Pixmap,
    rect: [f32; 4],
    radius: f32,
    color: Rgba,
    mask: Option<&tiny_skia::Mask>,
) {
    if let Some(path) = rounded_rect(rect, radius) {
        pixmap.fill_path(
            &path,
            &paint_of(color),
            FillRule::Winding,
            Transform::identity(),
            mask,
        );
    }
}

fn clip_mask(pixmap: &Pixmap, clip: [f32; 4]) -> Option<tiny_skia::Mask> {
    let rect = Rect::from_ltrb(clip[0], clip[1], clip[2], clip[3])?;
    let mut mask = tiny_skia::Mask::new(pixmap.width(), pixmap.height())?;
    mask.fill_path(
        &PathBuilder::from_rect(rect),
        FillRule::Winding,
        false,
        Transform::identity(),
    );
    Some(mask)
}

/// All triangles of a mesh as one path: filled in one pass, neighbouring
/// triangles share their anti-aliased edges without seams, and a
/// translucent fill is blended once.
fn paint_mesh(pixmap: &mut Pixmap, mesh: &MeshShape, mask: Option<&tiny_skia::Mask>) {
    let mut pb = PathBuilder::new();
    for tri in mesh.indices.chunks_exact(3) {
        let corners: Option<Vec<[f32; 2]>> = tri
            .iter()
            .map(|&i| mesh.vertices.get(i as usize).copied())
            .collect();
        let Some([a, b, c]) = corners.as_deref().and_then(|v| <[_; 3]>::try_from(v).ok()) else {
            continue;
        };
        pb.move_to(a[0], a[1]);
        pb.line_to(b[0], b[1]);
        pb.line_to(c[0], c[1]);
        pb.close();
    }
    if let Some(path) = pb.finish() {
        pixmap.fill_path(
            &path,
            &paint_of(mesh.color),
            FillRule::Winding,
            Transform::identity(),
            mask,
        );
    }
}

pub fn paint_line(pixmap: &mut Pixmap, line: &LineShape, mask: Option<&tiny_skia::Mask>) {
    let Some(path) = polyline(&line.points, line.closed) else {
        return;
    };
    let stroke = Stroke {
        width: line.width_px,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    };
    pixmap.stroke_path(
        &path,
        &paint_of(line.color),
        &stroke,
        Transform::identity(),
        mask,
    );
}

fn polyline(points: &[[f32; 2]], closed: bool) -> Option<Path> {
    let (first, rest) = points.split_first()?;
    let mut pb = PathBuilder::new();
    pb.move_to(first[0], first[1]);
    for p in rest {
        pb.line_to(p[0], p[1]);
    }
    if closed {
        pb.close();
    }
    pb.finish()
}

/// A filled circle with an outline centred on its edge, as egui draws them.
pub fn paint_marker(pixmap: &mut Pixmap, marker: &Marker, mask: Option<&tiny_skia::Mask>) {
    let [x, y] = marker.pos;
    let Some(circle) = PathBuilder::from_circle(x, y, marker.radius_px) else {
        return;
    };
    pixmap.fill_path(
        &circle,
        &paint_of(marker.fill),
        FillRule::Winding,
        Transform::identity(),
        mask,
    );
    let stroke = Stroke {
        width: marker.stroke_px,
        ..Stroke::default()
    };
    pixmap.stroke_path(
        &circle,
        &paint_of(marker.stroke),
        &stroke,
        Transform::identity(),
        mask,
    );
}

/// The ring around a place known only roughly, under its marker.
pub fn paint_ring(
    pixmap: &mut Pixmap,
    marker: &Marker,
    style: &Style,
    mask: Option<&tiny_skia::Mask>,
) {
    let [x, y] = marker.pos;
    let Some(circle) = PathBuilder::from_circle(x, y, marker.ring_px) else {
        return;
    };
    let (fill, stroke) = style.ring(marker.state);
    pixmap.fill_path(
        &circle,
        &paint_of(fill),
        FillRule::Winding,
        Transform::identity(),
        mask,
    );
    let line = Stroke {
        width: 1.2,
        dash: tiny_skia::StrokeDash::new(vec![4.0, 3.0], 0.0),
        ..Stroke::default()
    };
    pixmap.stroke_path(
        &circle,
        &paint_of(stroke),
        &line,
        Transform::identity(),
        mask,
    );
}

/// A cluster: a disc with its count in the middle, as the app draws it.
fn paint_cluster(pixmap: &mut Pixmap, cluster: &ClusterMarker, mask: Option<&tiny_skia::Mask>) {
    let disc = Marker {
        place: u32::MAX,
        pos: cluster.pos,
        radius_px: cluster.radius_px,
        fill: cluster.fill,
        stroke: cluster.stroke,
        stroke_px: cluster.stroke_px,
        state: cluster.state,
        active_events: cluster.active_events,
        ring_px: 0.0,
    };
    paint_marker(pixmap, &disc, mask);
    if let Some(arc) = cluster.sure_arc() {
        paint_line(
            pixmap,
            &LineShape {
                points: arc,
                closed: false,
                width_px: 2.5,
                color: cluster.arc_color(),
            },
            mask,
        );
    }
    let text = cluster.count_text();
    let size_px = ClusterMarker::TEXT_PX;
    let (w, h) = (text_width_px(&text, size_px), line_height_px(size_px));
    let style = TextStyle {
        size_px,
        color: cluster.text_color,
        strong: true,
        italic: false,
    };
    let [x, y] = cluster.pos;
    draw_text(pixmap, &text, [x - w / 2.0, y - h / 2.0], style);
}

/// A label on a soft halo that keeps it legible over borders and fills.
fn paint_label(pixmap: &mut Pixmap, label: &Label, style: &Style, mask: Option<&tiny_skia::Mask>) {
    let [x, y] = label.pos;
    let w = text_width_px(&label.text, label.size_px);
    let h = line_height_px(label.size_px);
    let halo = [x - 1.5, y - 1.5, x + w + 1.5, y + h + 1.5];
    fill_rounded_rect(pixmap, halo, 3.0, style.halo.with_alpha(200), mask);
    let text = TextStyle {
        size_px: label.size_px,
        color: label.color,
        strong: label.strong,
        italic: false,
    };
    draw_text(pixmap, &label.text, label.pos, text);
}

/// A rounded rectangle path, corners drawn with quadratic curves.
fn rounded_rect(rect: [f32; 4], radius: f32) -> Option<Path> {
    let [x0, y0, x1, y1] = rect;
    let r = radius.min((x1 - x0) / 2.0).min((y1 - y0) / 2.0).max(0.0);
    let mut pb = PathBuilder::new();
    pb.move_to(x0 + r, y0);
    pb.line_to(x1 - r, y0);
    pb.quad_to(x1, y0, x1, y0 + r);
    pb.line_to(x1, y1 - r);
    pb.quad_to(x1, y1, x1 - r, y1);
    pb.line_to(x0 + r, y1);
    pb.quad_to(x0, y1, x0, y1 - r);
    pb.line_to(x0, y0 + r);
    pb.quad_to(x0, y0, x0 + r, y0);
    pb.close();
    pb.finish()
}
