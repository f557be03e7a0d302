//! Which places stand out: the link from the time window and the selection
//! to the map, shared by the app and the headless renderer.

use super::PlaceState;
use crate::model::{Dataset, EventIdx, PlaceIdx};

/// The state of every place of `dataset`, indexed by place.
///
/// `active` are the events in the window that pass the filter (sorted or
/// not), and `certain` says, for each of them in the same order, whether it
/// certainly happened inside it;
/// a place is selected when the selected event names it, active when a
/// certain active event does, possible when only events that may have
/// happened outside the window do, and dimmed otherwise.
pub fn place_states(
    dataset: &Dataset,
    active: &[EventIdx],
    certain: &[bool],
    selected: Option<EventIdx>,
) -> Vec<PlaceState> {
    let mut states = vec![PlaceState::Dimmed; dataset.places.len()];
    let mut raise = |places: &[PlaceIdx], to: PlaceState| {
        for &p in places {
            if let Some(s) = states.get_mut(p as usize) {
                *s = (*s).max(to);
            }
        }
    };
    for (&i, &sure) in active.iter().zip(certain) {
        if let Some(event) = dataset.event(i) {
            let state = if sure {
                PlaceState::Active
            } else {
                PlaceState::Possible
            };
            raise(event.places(), state);
        }
    }
    if let Some(event) = selected.and_then(|i| dataset.event(i)) {
        raise(event.places(), PlaceState::Selected);
    }
    states
}

/// How many of `active` name each place, indexed by place.
pub fn active_counts(dataset: &Dataset, active: &[EventIdx]) -> Vec<u32> {
    let mut counts = vec![0_u32; dataset.places.len()];
    for event in active.iter().filter_map(|&i| dataset.event(i)) {
        for &p in event.places().iter() {
            if let Some(c) = counts.get_mut(p as usize) {
                *c += 1;
            }
        }
    }
    counts
}
