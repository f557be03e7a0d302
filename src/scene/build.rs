//! Building the scene: basemap layers culled to the viewport at the level of
//! detail the zoom needs, event places coloured by their state, and labels.

use super::cluster::Group;
use super::labels::{Anchor, Candidate, place_labels};
use std::sync::Arc;

use super::hatch::hatch_lines;
use super::{
    Camera, Choropleth, ClusterMarker, Hit, LineShape, Marker, MeshShape, PlaceArea, PlaceIndex,
    PlaceKey, PlaceShape, PlaceState, PlaceTally, RegionFill, Rgba, Scene, Style, Viewport,
};
use crate::atlas::{Atlas, RegionGeometry, RegionLevel, WorldRect};
use crate::geometry::world_per_km;
use crate::model::{Dataset, LocationPrecision, PlaceIdx};

/// Zoom (pixels per world unit) from which province borders are drawn.
const PROVINCE_BORDERS_FROM_PX: f64 = 3000.0;
/// Zoom from which reference cities are drawn.
const CITIES_FROM_PX: f64 = 1500.0;
/// How far outside a marker the ring of a place known only roughly is
/// drawn at least, in pixels, so that it reads as a ring at any zoom.
const RING_GAP_PX: f32 = 4.0;
/// How far apart the lines of a hatched region are, in pixels.
const HATCH_SPACING_PX: f32 = 7.0;
/// How far outside the viewport an event marker is still drawn, in pixels
/// (its outline and label may reach in).
const MARKER_MARGIN_PX: f32 = 20.0;

/// What [`build_scene`] reads.
pub struct SceneInput<'a> {
    /// The events and their places.
    pub dataset: &'a Dataset,
    /// The basemap and gazetteer.
    pub atlas: &'a Atlas,
    /// The dataset's places in quadtree order, for culling and clusters.
    pub places: &'a PlaceIndex,
    /// Active events and the selection summed along `places`.
    pub tally: &'a PlaceTally,
    /// The state of each place (see [`super::place_states`]).
    pub place_states: &'a [PlaceState],
    /// Events in the window at each place (see [`super::active_counts`]).
    pub active_counts: &'a [u32],
    /// The place or cluster under the pointer, drawn a little larger.
    pub hovered: Option<Hit>,
    /// Where the map looks.
    pub camera: &'a Camera,
    /// Where on screen it is drawn.
    pub viewport: Viewport,
    /// Colours and sizes.
    pub style: &'a Style,
    /// Whether to build the basemap's land and borders: a painter that
    /// kept them from an earlier frame with the same camera and viewport
    /// leaves them out (the scene then says it has none).
    pub basemap: bool,
    /// In a regions mode, the fills: regions are drawn instead of places.
    pub choropleth: Option<&'a Choropleth>,
}

/// Work done once per atlas and reused every frame.
pub struct SceneCache {
    /// Reference cities, most important first (capitals, then by population).
    city_order: Vec<u32>,
    /// Countries, most important label first.
    country_order: Vec<u32>,
    /// Each country's label (its name in capitals), by country index.
    country_labels: Vec<String>,
}

impl SceneCache {
    /// Prepares the orders for `atlas`.
    pub fn new(atlas: &Atlas) -> Self {
        let mut city_order: Vec<u32> = (0..atlas.cities.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        city_order.sort_by_key(|&i| {
            atlas
                .cities
                .get(i as usize)
                .map(|c| (!c.capital, std::cmp::Reverse(c.population)))
        });
        let mut country_order: Vec<u32> = (0..atlas.countries.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        country_order.sort_by_key(|&i| atlas.countries.get(i as usize).map(|r| r.label_rank));
        let country_labels = atlas
            .countries
            .iter()
            .map(|r| r.name.to_uppercase())
            .collect();
        Self {
            city_order,
            country_order,
            country_labels,
        }
    }
}

/// Builds what to draw for this frame.
pub fn build_scene(input: &SceneInput<'_>, cache: &SceneCache) -> Scene {
    let mut scene = Scene {
        background: Some(input.style.water),
        ..Scene::default()
    };
    let mut labels = Vec::new();
    if input.basemap {
        draw_basemap(input, &mut scene);
    }
    scene.basemap_meshes = scene.meshes.len();
    scene.basemap_lines = scene.lines.len();
    if let Some(choropleth) = input.choropleth {
        draw_choropleth(input, choropleth, &mut scene, &mut labels);
    } else {
        draw_event_regions(input, &mut scene, &mut labels);
        draw_event_points(input, &mut scene, &mut labels);
    }
    // Event places are labelled first so that they always win collisions;
    // among them, cities and provinces before whole countries, whose big
    // centred labels would otherwise hide the places inside them, and the
    // busiest first: a name borne by many points is labelled once, at the
    // one with the most events in the window.
    labels.sort_by_key(|(state, active, c)| {
        (
            std::cmp::Reverse(*state),
            c.anchor == Anchor::Center && c.size_px > 13.0,
            std::cmp::Reverse(*active),
        )
    });
    let mut candidates: Vec<Candidate<'_>> = labels
        .into_iter()
        .map(|(_, _, c)| c)
        .filter(|c| input.viewport.contains(c.at, 0.0))
        .collect();
    country_labels(input, cache, &mut candidates);
    reference_cities(input, cache, &mut scene, &mut candidates);
    let max = label_budget(&input.viewport);
    let bounds = input.viewport.bounds();
    // Cluster counts stay readable: no label is placed over a cluster.
    let clusters: Vec<[f32; 4]> = scene.clusters.iter().map(ClusterMarker::rect).collect();
    scene.labels = place_labels(candidates, max, bounds, &clusters);
    scene.keys.sort_unstable();
    scene
}

/// About one label per 90×40 px of map, so the map stays readable.
fn label_budget(viewport: &Viewport) -> usize {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "small positive"
    )]
    let n = (viewport.size[0] * viewport.size[1] / 3600.0) as usize;
    n.clamp(8, 400)
}

/// Whether a bounding box meets the visible world rectangle.
fn bbox_visible(b: &WorldRect, visible: &([f64; 2], [f64; 2])) -> bool {
    b.min[0] <= visible.1[0]
        && b.max[0] >= visible.0[0]
        && b.min[1] <= visible.1[1]
        && b.max[1] >= visible.0[1]
}

/// Whether a bounding box is too small on screen to be worth drawing.
fn bbox_tiny(b: &WorldRect, camera: &Camera) -> bool {
    let extent = (b.max[0] - b.min[0]).max(b.max[1] - b.min[1]);
    extent * camera.px_per_world < 0.5
}

fn draw_basemap(input: &SceneInput<'_>, scene: &mut Scene) {
    let visible = input.camera.visible_world(&input.viewport);
    let style = input.style;
    let countries = || {
        input.atlas.countries.iter().filter(|r| {
            bbox_visible(&r.bbox_world, &visible) && !bbox_tiny(&r.bbox_world, input.camera)
        })
    };
    for region in countries() {
        let geometry = region.lod_for(input.camera.world_per_px());
        scene
            .meshes
            .push(geometry_mesh(input, geometry, style.land));
    }
    if input.camera.px_per_world >= PROVINCE_BORDERS_FROM_PX {
        for region in input.atlas.provinces.iter().filter(|r| {
            bbox_visible(&r.bbox_world, &visible) && !bbox_tiny(&r.bbox_world, input.camera)
        }) {
            let geometry = region.lod_for(input.camera.world_per_px());
            push_outline(
                input,
                geometry,
                style.province_border,
                0.7,
                &mut scene.lines,
            );
        }
    }
    for region in countries() {
        let geometry = region.lod_for(input.camera.world_per_px());
        push_outline(input, geometry, style.border, 1.0, &mut scene.lines);
    }
}

/// The triangles of an outline, on screen.
fn geometry_mesh(input: &SceneInput<'_>, geometry: &RegionGeometry, color: Rgba) -> MeshShape {
    let triangles = geometry.triangles();
    let vertices = triangles
        .vertices
        .iter()
        .map(|v| {
            input
                .camera
                .screen_from_world(&input.viewport, [f64::from(v[0]), f64::from(v[1])])
        })
        .collect();
    MeshShape {
        vertices,
        indices: triangles.indices.clone(),
        color,
    }
}

fn push_outline(
    input: &SceneInput<'_>,
    geometry: &RegionGeometry,
    color: Rgba,
    width_px: f32,
    lines: &mut Vec<LineShape>,
) {
    for points in screen_rings(input, geometry) {
        if points.len() >= 2 {
            lines.push(LineShape {
                points,
                closed: true,
                width_px,
                color,
            });
        }
    }
}

/// An outline's rings on screen.
fn screen_rings(input: &SceneInput<'_>, geometry: &RegionGeometry) -> Vec<Vec<[f32; 2]>> {
    let world = |v: &[f32; 2]| [f64::from(v[0]), f64::from(v[1])];
    geometry
        .rings
        .iter()
        .map(|ring| {
            ring.points
                .iter()
                .map(|v| input.camera.screen_from_world(&input.viewport, world(v)))
                .collect()
        })
        .collect()
}

/// Diagonal lines across an outline, within the viewport.
fn push_hatch(
    input: &SceneInput<'_>,
    geometry: &RegionGeometry,
    color: Rgba,
    lines: &mut Vec<LineShape>,
) {
    let rings = screen_rings(input, geometry);
    let clip = input.viewport.bounds();
    lines.extend(hatch_lines(&rings, HATCH_SPACING_PX, clip, color));
}

/// An event place drawn as a filled outline: a province or country of the
/// basemap, or an area the file drew.
struct Filled<'a> {
    place: PlaceIdx,
    state: PlaceState,
    shape: PlaceShape,
    /// The outline at this zoom's level of detail.
    geometry: &'a RegionGeometry,
    bbox: WorldRect,
    label_world: [f64; 2],
    is_country: bool,
}

/// The regions mode: every region of the level that meets the view and
/// has events at some date, filled on the ramp by its value in the window,
/// outlined, and labelled with its name when it has events in the window.
fn draw_choropleth<'a>(
    input: &SceneInput<'a>,
    choropleth: &Choropleth,
    scene: &mut Scene,
    labels: &mut Vec<(PlaceState, u32, Candidate<'a>)>,
) {
    let visible = input.camera.visible_world(&input.viewport);
    let style = input.style;
    for region in input.atlas.regions(choropleth.level) {
        if !bbox_visible(&region.bbox_world, &visible) {
            continue;
        }
        let index = region.id.index;
        let Some(fill) = choropleth.fill(index) else {
            continue;
        };
        let geometry = region.lod_for(input.camera.world_per_px());
        scene.meshes.push(geometry_mesh(input, geometry, fill));
        let hovered = input.hovered == Some(Hit::Region(region.id));
        let width = if hovered { 2.0 } else { 0.8 };
        push_outline(input, geometry, style.dimmed, width, &mut scene.lines);
        let events = choropleth
            .totals
            .events
            .get(index as usize)
            .copied()
            .unwrap_or(0);
        let fatalities = choropleth
            .totals
            .fatalities
            .get(index as usize)
            .copied()
            .unwrap_or(0);
        let anchor = input
            .camera
            .screen_from_world(&input.viewport, region.label_world);
        scene.region_fills.push(RegionFill {
            id: region.id,
            rect: screen_rect(input, &region.bbox_world),
            anchor,
            events,
            fatalities,
            fill,
        });
        if events > 0 {
            labels.push((
                PlaceState::Active,
                events,
                Candidate {
                    text: &region.name,
                    at: anchor,
                    anchor: Anchor::Center,
                    offset_px: 0.0,
                    size_px: 12.0,
                    color: style.label,
                    strong: true,
                },
            ));
        }
    }
}

/// The dataset's regions and areas that meet the view, with their state.
fn filled_places<'a>(input: &SceneInput<'a>) -> Vec<Filled<'a>> {
    let visible = input.camera.visible_world(&input.viewport);
    let state = |place: PlaceIdx| input.place_states.get(place as usize).copied();
    let regions = input.places.regions().iter().filter_map(|&(place, id)| {
        let region = input.atlas.region(id)?;
        bbox_visible(&region.bbox_world, &visible).then_some(())?;
        Some(Filled {
            place,
            state: state(place)?,
            shape: PlaceShape::Region(id),
            geometry: region.lod_for(input.camera.world_per_px()),
            bbox: region.bbox_world,
            label_world: region.label_world,
            is_country: id.level == RegionLevel::Country,
        })
    });
    let areas = input.places.areas().iter().filter_map(|(place, area)| {
        let bbox = *area.bbox_world();
        bbox_visible(&bbox, &visible).then_some(())?;
        Some(Filled {
            place: *place,
            state: state(*place)?,
            shape: PlaceShape::Area(Arc::clone(area)),
            geometry: area.geometry_for(input.camera.world_per_px()),
            bbox,
            label_world: area.label_world(),
            is_country: false,
        })
    });
    regions.chain(areas).collect()
}

fn draw_event_regions<'a>(
    input: &SceneInput<'a>,
    scene: &mut Scene,
    labels: &mut Vec<(PlaceState, u32, Candidate<'a>)>,
) {
    let style = input.style;
    let mut filled = filled_places(input);
    // Countries under provinces and areas, and dimmed under highlighted, so
    // that what matters is drawn last and stays visible.
    filled.sort_by_key(|f| (!f.is_country, f.state, f.place));
    for f in filled {
        let Filled {
            place,
            state,
            is_country,
            ..
        } = f;
        scene.meshes.push(geometry_mesh(
            input,
            f.geometry,
            style.region_fill(state, is_country),
        ));
        let key = if is_country {
            PlaceKey::Country
        } else {
            PlaceKey::Province
        };
        note_key(&mut scene.keys, key);
        // Known only to its country, or only possibly in the window:
        // hatched, so that what is surely there reads first.
        if let Some(color) = style.region_hatch(state, is_country) {
            push_hatch(input, f.geometry, color, &mut scene.lines);
        }
        let (outline, width) = match state {
            PlaceState::Selected => (style.selected, 2.5),
            PlaceState::Active if is_country => (style.highlight.with_alpha(160), 1.0),
            PlaceState::Active => (style.highlight, 1.5),
            PlaceState::Possible => (style.highlight.with_alpha(160), 1.0),
            PlaceState::Dimmed => (style.dimmed, 1.0),
        };
        let hovered = input.hovered == Some(Hit::Place(place));
        push_outline(
            input,
            f.geometry,
            outline,
            if hovered { width + 1.0 } else { width },
            &mut scene.lines,
        );
        let label_at = input
            .camera
            .screen_from_world(&input.viewport, f.label_world);
        scene.place_areas.push(PlaceArea {
            place,
            shape: f.shape,
            rect: screen_rect(input, &f.bbox),
            anchor: label_at,
            state,
            active_events: count_at(input, place),
        });
        labels.push((
            state,
            count_at(input, place),
            Candidate {
                text: place_name(input, place),
                at: label_at,
                anchor: Anchor::Center,
                offset_px: 0.0,
                size_px: if is_country { 14.0 } else { 13.0 },
                color: style.label,
                strong: state != PlaceState::Dimmed,
            },
        ));
    }
}

/// Event cities: one marker each where they have room, one counted
/// cluster per crowded cell.
fn draw_event_points<'a>(
    input: &SceneInput<'a>,
    scene: &mut Scene,
    labels: &mut Vec<(PlaceState, u32, Candidate<'a>)>,
) {
    let groups = input
        .places
        .groups_in_view(input.camera, &input.viewport, MARKER_MARGIN_PX);
    let mut points: Vec<(PlaceIdx, [f32; 2], PlaceState, [f64; 2])> = Vec::new();
    for group in &groups {
        if group.cluster {
            scene.clusters.extend(cluster_marker(input, group));
            continue;
        }
        for rank in group.ranks.clone() {
            let Some((place, world)) = input.places.point(rank) else {
                continue;
            };
            let pos = input.camera.screen_from_world(&input.viewport, world);
            let state = input.place_states.get(place as usize).copied();
            if let Some(state) = state
                && input.viewport.contains(pos, MARKER_MARGIN_PX)
            {
                points.push((place, pos, state, world));
            }
        }
    }
    // Dimmed first so highlighted markers and clusters are drawn on top.
    points.sort_by_key(|&(p, _, state, _)| (state, p));
    scene.clusters.sort_by_key(|c| (c.state, c.id));
    for (place, pos, state, world) in points {
        let (level, radius_km) = input.dataset.places.precision_at(place);
        let marker = place_marker(input, place, (pos, world), state, radius_km);
        match level {
            LocationPrecision::Exact => {}
            LocationPrecision::Near => note_key(&mut scene.keys, PlaceKey::Near),
            LocationPrecision::Region => note_key(&mut scene.keys, PlaceKey::RegionCentre),
        }
        scene.place_areas.push(PlaceArea {
            place,
            shape: PlaceShape::Marker,
            rect: [
                pos[0] - marker.radius_px,
                pos[1] - marker.radius_px,
                pos[0] + marker.radius_px,
                pos[1] + marker.radius_px,
            ],
            anchor: pos,
            state,
            active_events: marker.active_events,
        });
        labels.push((
            state,
            marker.active_events,
            Candidate {
                text: place_name(input, place),
                at: pos,
                anchor: Anchor::Right,
                offset_px: marker.radius_px + 3.0,
                size_px: 13.0,
                color: input.style.label,
                strong: state != PlaceState::Dimmed,
            },
        ));
        scene.markers.push(marker);
    }
}

/// The marker of one event city.
fn place_marker(
    input: &SceneInput<'_>,
    place: PlaceIdx,
    (pos, world): ([f32; 2], [f64; 2]),
    state: PlaceState,
    radius_km: f32,
) -> Marker {
    let style = input.style;
    let hovered = input.hovered == Some(Hit::Place(place));
    let grow = if state == PlaceState::Dimmed {
        0.0
    } else {
        1.5
    };
    let (stroke, stroke_px) = style.marker_stroke(state);
    let radius_px = style.marker_radius_px + grow + if hovered { 2.0 } else { 0.0 };
    let ring_px = if radius_km > 0.0 {
        #[expect(clippy::cast_possible_truncation, reason = "a radius on screen")]
        let true_px =
            (f64::from(radius_km) * world_per_km(world) * input.camera.px_per_world) as f32;
        true_px.max(radius_px + RING_GAP_PX)
    } else {
        0.0
    };
    Marker {
        place,
        pos,
        radius_px,
        fill: style.marker_fill(state),
        stroke,
        stroke_px,
        state,
        active_events: count_at(input, place),
        ring_px,
    }
}

/// The marker of a crowded cell, at the mean of its places; `None` when
/// that lies off screen.
fn cluster_marker(input: &SceneInput<'_>, group: &Group) -> Option<ClusterMarker> {
    let style = input.style;
    let center = input.places.center(&group.ranks)?;
    let pos = input.camera.screen_from_world(&input.viewport, center);
    let places = u32::try_from(group.ranks.len()).unwrap_or(u32::MAX);
    let hovered = input.hovered == Some(Hit::Cluster(group.id));
    let active_events = input.tally.active_in(&group.ranks);
    let radius_px = cluster_radius_px(active_events) + if hovered { 2.0 } else { 0.0 };
    if !input.viewport.contains(pos, radius_px) {
        return None;
    }
    let state = input.tally.state_of(&group.ranks);
    let (stroke, stroke_px) = match state {
        PlaceState::Selected => (style.selected, 3.0),
        PlaceState::Possible => (style.highlight, 2.5),
        _ => (style.halo, 2.0),
    };
    Some(ClusterMarker {
        id: group.id,
        pos,
        radius_px,
        fill: style.marker_fill(state),
        stroke,
        stroke_px,
        text_color: style.cluster_text(state),
        state,
        places,
        active_events,
        certain_events: input.tally.certain_in(&group.ranks),
        sure_events: input.tally.sure_in(&group.ranks),
        total_events: input.places.total_in(&group.ranks),
    })
}

/// A cluster grows with the logarithm of its events in the window: 9 px
/// for none or one, 12 for 10, 15 for 100, 18 for 1,000.
fn cluster_radius_px(events: u32) -> f32 {
    #[expect(clippy::cast_precision_loss, reason = "a radius needs no precision")]
    let n = events.max(1) as f32;
    9.0 + 3.0 * n.log10()
}

/// Notes that the scene draws a key (each once).
fn note_key(keys: &mut Vec<PlaceKey>, key: PlaceKey) {
    if !keys.contains(&key) {
        keys.push(key);
    }
}

fn count_at(input: &SceneInput<'_>, place: PlaceIdx) -> u32 {
    input
        .active_counts
        .get(place as usize)
        .copied()
        .unwrap_or(0)
}

fn place_name<'a>(input: &SceneInput<'a>, place: PlaceIdx) -> &'a str {
    input.dataset.place(place).map_or("", |p| p.name)
}

/// A bounding box on screen, clipped to the viewport.
fn screen_rect(input: &SceneInput<'_>, bbox: &WorldRect) -> [f32; 4] {
    let a = input.camera.screen_from_world(&input.viewport, bbox.min);
    let b = input.camera.screen_from_world(&input.viewport, bbox.max);
    let vp = &input.viewport;
    [
        a[0].max(vp.min[0]),
        a[1].max(vp.min[1]),
        b[0].min(vp.min[0] + vp.size[0]),
        b[1].min(vp.min[1] + vp.size[1]),
    ]
}

fn country_labels<'a>(input: &SceneInput<'a>, cache: &'a SceneCache, out: &mut Vec<Candidate<'a>>) {
    let visible = input.camera.visible_world(&input.viewport);
    // Countries that are event places carry their own label already.
    let event_countries: Vec<&str> = input
        .places
        .regions()
        .iter()
        .filter(|(_, id)| id.level == RegionLevel::Country)
        .filter_map(|&(_, id)| input.atlas.region(id).map(|r| r.code.as_str()))
        .collect();
    for (region, text) in cache.country_order.iter().filter_map(|&i| {
        let i = i as usize;
        Some((input.atlas.countries.get(i)?, cache.country_labels.get(i)?))
    }) {
        let b = &region.bbox_world;
        let width_px = (b.max[0] - b.min[0]) * input.camera.px_per_world;
        let at = input
            .camera
            .screen_from_world(&input.viewport, region.label_world);
        if width_px < 40.0
            || !bbox_visible(&region.bbox_world, &visible)
            || !input.viewport.contains(at, 0.0)
            || event_countries.contains(&region.code.as_str())
        {
            continue;
        }
        out.push(Candidate {
            text,
            at,
            anchor: Anchor::Center,
            offset_px: 0.0,
            size_px: if width_px > 300.0 { 12.0 } else { 10.0 },
            color: input.style.reference.with_alpha(200),
            strong: false,
        });
    }
}

/// Reference cities: grey dots with names, most important first.
fn reference_cities<'a>(
    input: &SceneInput<'a>,
    cache: &SceneCache,
    scene: &mut Scene,
    out: &mut Vec<Candidate<'a>>,
) {
    if input.camera.px_per_world < CITIES_FROM_PX {
        return;
    }
    // The deeper the zoom, the more cities are worth a dot.
    let budget = label_budget(&input.viewport) / 2;
    let mut shown = 0;
    for city in cache
        .city_order
        .iter()
        .filter_map(|&i| input.atlas.cities.get(i as usize))
    {
        if shown >= budget {
            break;
        }
        let pos = input.camera.screen_from_world(&input.viewport, city.world);
        if !input.viewport.contains(pos, -4.0) || under_event_marker(scene, pos) {
            continue;
        }
        shown += 1;
        scene.dots.push(Marker {
            place: PlaceIdx::MAX,
            pos,
            radius_px: if city.capital { 3.0 } else { 2.0 },
            fill: input.style.reference,
            stroke: input.style.halo,
            stroke_px: 1.0,
            state: PlaceState::Dimmed,
            active_events: 0,
            ring_px: 0.0,
        });
        out.push(Candidate {
            text: &city.name,
            at: pos,
            anchor: Anchor::Right,
            offset_px: 5.0,
            size_px: 11.0,
            color: input.style.reference,
            strong: false,
        });
    }
}

/// Whether an event marker or cluster already stands at `pos` (the same
/// city, named by the data, or a crowd of them): the reference dot and
/// label would only repeat or hide it.
fn under_event_marker(scene: &Scene, pos: [f32; 2]) -> bool {
    let markers = scene.markers.iter().map(|m| (m.pos, m.radius_px));
    let clusters = scene.clusters.iter().map(|c| (c.pos, c.radius_px));
    markers.chain(clusters).any(|(at, r)| {
        let (dx, dy) = (at[0] - pos[0], at[1] - pos[1]);
        dx * dx + dy * dy <= (r + 2.0) * (r + 2.0)
    })
}
