//! Splits rings into arcs shared between neighbours, so that every border is stored and
//! simplified once.
//!
//! A *junction* is a point where rings that met stop running together: it appears in several
//! rings with different neighbours (a triple point between three provinces, the end of a
//! coastline where a land border begins). Cutting every ring at every junction gives pieces
//! that are either identical (possibly reversed) in all rings that contain them, or private to
//! one ring. Rings without any junction (islands, enclaves) become one closed arc, rotated to a
//! canonical start so that a hole and the enclave filling it still share it.

use std::collections::{HashMap, HashSet};

use crate::atlas::codec::ArcRef;

/// A point in quantised `[lon, lat]`.
pub type PointQ = [i32; 2];

/// Arcs and the rings made of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Topology {
    /// Shared polylines; a closed arc repeats its first point at the end.
    pub arcs: Vec<Vec<PointQ>>,
    /// For each input ring, in input order, its arcs in order.
    pub rings: Vec<Vec<ArcRef>>,
}

impl Topology {
    /// Builds the topology of `rings`: open rings (the closing point not repeated), without
    /// consecutive duplicate points.
    #[must_use]
    pub fn build(rings: &[Vec<PointQ>]) -> Self {
        let junctions = find_junctions(rings);
        let mut builder = Builder::default();
        let refs = rings
            .iter()
            .map(|ring| builder.ring(ring, &junctions))
            .collect();
        Self {
            arcs: builder.arcs,
            rings: refs,
        }
    }
}

/// Points that appear in rings with different neighbours.
fn find_junctions(rings: &[Vec<PointQ>]) -> HashSet<PointQ> {
    let mut neighbours: HashMap<PointQ, [PointQ; 2]> = HashMap::new();
    let mut junctions = HashSet::new();
    for ring in rings {
        for (index, &point) in ring.iter().enumerate() {
            let pair = neighbour_pair(ring, index);
            match neighbours.get(&point) {
                None => {
                    neighbours.insert(point, pair);
                }
                Some(&seen) if seen != pair => {
                    junctions.insert(point);
                }
                Some(_) => {}
            }
        }
    }
    junctions
}

/// The previous and next point around `index`, sorted so that direction does not matter.
fn neighbour_pair(ring: &[PointQ], index: usize) -> [PointQ; 2] {
    let len = ring.len();
    let previous = ring
        .get((index + len - 1) % len)
        .copied()
        .unwrap_or_default();
    let next = ring.get((index + 1) % len).copied().unwrap_or_default();
    if previous <= next {
        [previous, next]
    } else {
        [next, previous]
    }
}

/// Collects distinct arcs.
#[derive(Default)]
struct Builder {
    arcs: Vec<Vec<PointQ>>,
    index_of: HashMap<Vec<PointQ>, u32>,
}

impl Builder {
    fn ring(&mut self, ring: &[PointQ], junctions: &HashSet<PointQ>) -> Vec<ArcRef> {
        let cuts: Vec<usize> = (0..ring.len())
            .filter(|&index| {
                ring.get(index)
                    .is_some_and(|point| junctions.contains(point))
            })
            .collect();
        let Some(&first_cut) = cuts.first() else {
            return vec![self.closed_ring(ring)];
        };
        let rotated: Vec<PointQ> = ring
            .iter()
            .cycle()
            .skip(first_cut)
            .take(ring.len() + 1)
            .copied()
            .collect();
        let mut starts: Vec<usize> = cuts.iter().map(|&cut| cut - first_cut).collect();
        starts.push(ring.len());
        starts
            .windows(2)
            .filter_map(|pair| rotated.get(pair[0]..=pair[1]))
            .map(|arc| self.open_arc(arc))
            .collect()
    }

    /// A ring without junctions: one closed arc, starting at its smallest point and heading to
    /// its smaller neighbour, so that every ring with the same points maps to it.
    fn closed_ring(&mut self, ring: &[PointQ]) -> ArcRef {
        let start = (0..ring.len())
            .min_by_key(|&index| ring.get(index))
            .unwrap_or(0);
        let mut forward: Vec<PointQ> = ring
            .iter()
            .cycle()
            .skip(start)
            .take(ring.len())
            .copied()
            .collect();
        let reversed = forward.get(1) > forward.last();
        if reversed && let Some(tail) = forward.get_mut(1..) {
            tail.reverse();
        }
        if let Some(&first) = forward.first() {
            forward.push(first);
        }
        let index = self.intern(forward);
        ArcRef { index, reversed }
    }

    /// An arc between junctions, shared with any ring that walks it in either direction.
    fn open_arc(&mut self, arc: &[PointQ]) -> ArcRef {
        if let Some(&index) = self.index_of.get(arc) {
            return ArcRef {
                index,
                reversed: false,
            };
        }
        let backwards: Vec<PointQ> = arc.iter().rev().copied().collect();
        if let Some(&index) = self.index_of.get(&backwards) {
            return ArcRef {
                index,
                reversed: true,
            };
        }
        ArcRef {
            index: self.intern(arc.to_vec()),
            reversed: false,
        }
    }

    fn intern(&mut self, arc: Vec<PointQ>) -> u32 {
        if let Some(&index) = self.index_of.get(&arc) {
            return index;
        }
        let index = u32::try_from(self.arcs.len()).unwrap_or(u32::MAX);
        self.index_of.insert(arc.clone(), index);
        self.arcs.push(arc);
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Walks a ring's arcs back into points (closing point not repeated).
    fn walk(topology: &Topology, refs: &[ArcRef]) -> Vec<PointQ> {
        let mut points: Vec<PointQ> = Vec::new();
        for arc in refs {
            let mut arc_points = topology.arcs[arc.index as usize].clone();
            if arc.reversed {
                arc_points.reverse();
            }
            for point in arc_points {
                if points.last() != Some(&point) {
                    points.push(point);
                }
            }
        }
        if points.first() == points.last() {
            points.pop();
        }
        points
    }

    /// Rotates a ring to start at its smallest point, for comparisons.
    fn canonical(ring: &[PointQ]) -> Vec<PointQ> {
        let start = (0..ring.len()).min_by_key(|&i| ring[i]).unwrap_or(0);
        ring.iter()
            .cycle()
            .skip(start)
            .take(ring.len())
            .copied()
            .collect()
    }

    #[test]
    fn two_squares_share_their_common_edge_once() {
        // Two unit squares side by side, both counter-clockwise.
        let left = vec![[0, 0], [1, 0], [1, 1], [0, 1]];
        let right = vec![[1, 0], [2, 0], [2, 1], [1, 1]];
        let topology = Topology::build(&[left.clone(), right.clone()]);
        assert_eq!(topology.arcs.len(), 3, "{:?}", topology.arcs);
        let shared: Vec<&ArcRef> = topology.rings[0]
            .iter()
            .filter(|arc| {
                topology.rings[1]
                    .iter()
                    .any(|other| other.index == arc.index)
            })
            .collect();
        assert_eq!(shared.len(), 1);
        assert_eq!(
            canonical(&walk(&topology, &topology.rings[0])),
            canonical(&left)
        );
        assert_eq!(
            canonical(&walk(&topology, &topology.rings[1])),
            canonical(&right)
        );
    }

    #[test]
    fn an_enclave_and_its_hole_share_one_closed_arc() {
        let hole = vec![[1, 1], [1, 2], [2, 2], [2, 1]];
        let enclave: Vec<PointQ> = vec![[2, 2], [1, 2], [1, 1], [2, 1]];
        let topology = Topology::build(&[hole.clone(), enclave.clone()]);
        assert_eq!(topology.arcs.len(), 1);
        assert_ne!(topology.rings[0][0].reversed, topology.rings[1][0].reversed);
        assert_eq!(
            canonical(&walk(&topology, &topology.rings[0])),
            canonical(&hole)
        );
        assert_eq!(
            canonical(&walk(&topology, &topology.rings[1])),
            canonical(&enclave)
        );
    }

    #[test]
    fn output_is_deterministic() {
        let rings = vec![
            vec![[0, 0], [4, 0], [4, 4], [0, 4]],
            vec![[4, 0], [8, 0], [8, 4], [4, 4]],
            vec![[0, 4], [4, 4], [8, 4], [8, 8], [0, 8]],
        ];
        let first = Topology::build(&rings);
        for _ in 0..5 {
            assert_eq!(Topology::build(&rings), first);
        }
        for (ring, refs) in rings.iter().zip(&first.rings) {
            assert_eq!(canonical(&walk(&first, refs)), canonical(ring));
        }
    }
}
