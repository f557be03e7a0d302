//! How many events each facet value has under the filters, crossfilter's
//! way: a facet's counts follow every filter but its own, so choosing one
//! actor leaves the other actors' counts as they were (what choosing them
//! instead would give), while the provinces' counts shrink to that actor's.

use super::choices::{Failed, Slot};
use crate::model::{Facet, FacetIndex};

/// A number no counting had before.
fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The lower ends of the fatalities histogram's bins; the last bin has no
/// upper end.
pub const FATALITY_BINS: [u32; 11] = [0, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

/// The bin of the fatalities histogram that `killed` falls in.
pub fn fatality_bin(killed: u32) -> usize {
    FATALITY_BINS
        .partition_point(|&low| low <= killed)
        .saturating_sub(1)
}

/// Events by facet value and by fatalities, under the filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FacetCounts {
    /// Which counting these are, unique in the process: what a view that
    /// sorts values by count keys its order by.
    id: u64,
    /// By facet (as [`Facet::ALL`] orders them), by value number.
    by_facet: Vec<Vec<u32>>,
    /// Events by their fatalities' bin ([`FATALITY_BINS`]), under every
    /// filter but the fatalities range.
    fatalities: [u32; FATALITY_BINS.len()],
    /// Events whose source says nothing of fatalities, likewise.
    fatalities_unknown: u32,
    /// Events that pass every filter.
    passing: u32,
}

impl FacetCounts {
    /// No events counted yet, for the values of `index`.
    pub fn zero(index: &FacetIndex) -> Self {
        Self {
            id: next_id(),
            by_facet: Facet::ALL
                .iter()
                .map(|&f| vec![0; index.values(f).len()])
                .collect(),
            ..Self::default()
        }
    }

    /// Every event counted: the counts when nothing is chosen.
    pub fn all(index: &FacetIndex, events: usize) -> Self {
        let mut counts = Self {
            id: next_id(),
            by_facet: Facet::ALL
                .iter()
                .map(|&f| index.values(f).totals().to_vec())
                .collect(),
            passing: u32::try_from(events).unwrap_or(u32::MAX),
            ..Self::default()
        };
        for e in 0..events {
            counts.add_fatalities(index, e);
        }
        counts
    }

    /// Which counting these are (a new one for each search).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Events with each value of `facet`, by value number.
    pub fn of(&self, facet: Facet) -> &[u32] {
        self.by_facet
            .get(facet.position())
            .map_or(&[], Vec::as_slice)
    }

    /// Events by fatalities' bin ([`FATALITY_BINS`]).
    pub fn fatalities(&self) -> &[u32] {
        &self.fatalities
    }

    /// Events whose fatalities are not known.
    pub fn fatalities_unknown(&self) -> u32 {
        self.fatalities_unknown
    }

    /// Events that pass every filter.
    pub fn passing(&self) -> u32 {
        self.passing
    }

    /// Counts event `e`, which failed `failed` of the choices: everywhere
    /// when it failed none, in the one facet it failed when one.
    pub fn add(&mut self, index: &FacetIndex, e: usize, failed: Failed) {
        match failed {
            Failed::Nothing => {
                self.passing += 1;
                for facet in Facet::ALL {
                    self.add_values(index, facet, e);
                }
                self.add_fatalities(index, e);
            }
            Failed::Only(Slot::Facet(facet)) => self.add_values(index, facet, e),
            Failed::Only(Slot::Fatalities) => self.add_fatalities(index, e),
            Failed::Only(Slot::Area | Slot::MapArea) | Failed::Several => {}
        }
    }

    fn add_values(&mut self, index: &FacetIndex, facet: Facet, e: usize) {
        let Some(counts) = self.by_facet.get_mut(facet.position()) else {
            return;
        };
        for &v in index.values(facet).of(e) {
            if let Some(n) = counts.get_mut(v as usize) {
                *n += 1;
            }
        }
    }

    fn add_fatalities(&mut self, index: &FacetIndex, e: usize) {
        match index.fatalities(e) {
            Some(killed) => {
                if let Some(n) = self.fatalities.get_mut(fatality_bin(killed)) {
                    *n += 1;
                }
            }
            None => self.fatalities_unknown += 1,
        }
    }

    /// Adds counts made of other events (another thread's share).
    pub fn merge(&mut self, other: &FacetCounts) {
        if self.by_facet.is_empty() {
            self.by_facet.clone_from(&other.by_facet);
        } else {
            for (mine, theirs) in self.by_facet.iter_mut().zip(&other.by_facet) {
                for (a, b) in mine.iter_mut().zip(theirs) {
                    *a += b;
                }
            }
        }
        for (a, b) in self.fatalities.iter_mut().zip(&other.fatalities) {
            *a += b;
        }
        self.fatalities_unknown += other.fatalities_unknown;
        self.passing += other.passing;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fatalities_fall_in_their_bins() {
        assert_eq!(fatality_bin(0), 0);
        assert_eq!(fatality_bin(1), 1);
        assert_eq!(fatality_bin(4), 2);
        assert_eq!(fatality_bin(5), 3);
        assert_eq!(fatality_bin(999), 9);
        assert_eq!(fatality_bin(1000), 10);
        assert_eq!(fatality_bin(u32::MAX), 10);
    }
}
