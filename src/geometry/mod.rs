//! Pure world geometry that the model and the atlas share: the Web Mercator
//! projection, outlines in world coordinates (rings, triangulation, point
//! tests), Douglas–Peucker simplification and the levels of detail built
//! from it.
//!
//! It sits below both: a file's own areas ([`crate::model::Area`]) and the
//! basemap's regions ([`crate::atlas::Region`]) are projected, simplified
//! and drawn the same way, so neither needs the other for it. Nothing here
//! imports the model, the atlas or egui.

mod outline;
mod projection;
pub mod simplify;

pub use outline::{RegionGeometry, Ring, RingKind, Triangulation, ring_area_world};
pub use projection::{
    MAX_LATITUDE_DEG, WorldRect, lon_lat_from_world, world_from_lon_lat, world_per_km,
};

/// A level of detail is good enough while its simplification error stays under this many
/// screen pixels.
pub const LOD_MAX_ERROR_PX: f64 = 1.0;

/// One level of detail of a region's outline.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionLod {
    /// Douglas–Peucker tolerance it was simplified with, in world units.
    pub tolerance_world: f64,
    /// The outline at that tolerance (possibly empty: the region vanished at this level).
    pub geometry: RegionGeometry,
}

/// The coarsest of `lods` (finest first) whose simplification error is below
/// [`LOD_MAX_ERROR_PX`] at this zoom, skipping levels where the outline
/// vanished; `None` when every level up to it is empty.
#[must_use]
pub fn lod_for(lods: &[RegionLod], world_per_px: f64) -> Option<&RegionGeometry> {
    let budget_world = world_per_px * LOD_MAX_ERROR_PX;
    let coarsest_fitting = lods
        .iter()
        .rposition(|lod| lod.tolerance_world <= budget_world)
        .unwrap_or(0);
    lods.get(..=coarsest_fitting)
        .and_then(|finer| finer.iter().rev().find(|lod| !lod.geometry.is_empty()))
        .map(|lod| &lod.geometry)
}
