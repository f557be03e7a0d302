//! The values the user chose in the facets (keep these actors, not that
//! province), the fatalities range and the area: filters by value, held by
//! name so that a view can be written down and read back whatever the
//! dataset numbers its values.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Facet, FacetIndex};

/// What the user chose in one facet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Choice {
    /// Values to keep (none: every value is kept but those dropped).
    pub keep: BTreeSet<String>,
    /// Values to drop ("not" a value).
    pub drop: BTreeSet<String>,
}

impl Choice {
    /// Whether it lets every value through.
    pub fn is_empty(&self) -> bool {
        self.keep.is_empty() && self.drop.is_empty()
    }

    /// Whether every value this keeps, `earlier` kept too.
    fn narrows(&self, earlier: &Choice) -> bool {
        let kept = earlier.keep.is_empty()
            || (!self.keep.is_empty() && self.keep.is_subset(&earlier.keep));
        kept && self.drop.is_superset(&earlier.drop)
    }
}

/// A box of longitude and latitude in degrees, west to east and south to
/// north (west may be east of east: a box across the antimeridian).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LonLatBox {
    /// West, south, east, north.
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

/// Boxes are made of finite numbers only ([`LonLatBox::new`]).
impl Eq for LonLatBox {}

impl std::hash::Hash for LonLatBox {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for v in [self.west, self.south, self.east, self.north] {
            v.to_bits().hash(state);
        }
    }
}

impl LonLatBox {
    /// A box, when its corners are numbers within the world and south is
    /// not north of north.
    pub fn new(west: f64, south: f64, east: f64, north: f64) -> Option<Self> {
        let lon = |v: f64| v.is_finite() && (-180.0..=180.0).contains(&v);
        let lat = |v: f64| v.is_finite() && (-90.0..=90.0).contains(&v);
        (lon(west) && lon(east) && lat(south) && lat(north) && south <= north).then_some(Self {
            west,
            south,
            east,
            north,
        })
    }

    /// Whether a point lies in the box (its edges included).
    pub fn contains(&self, [lon, lat]: [f64; 2]) -> bool {
        let in_lon = if self.west <= self.east {
            (self.west..=self.east).contains(&lon)
        } else {
            lon >= self.west || lon <= self.east
        };
        in_lon && (self.south..=self.north).contains(&lat)
    }

    /// Whether every point this holds, `other` holds too.
    fn within(&self, other: &LonLatBox) -> bool {
        self.west <= self.east
            && other.west <= other.east
            && other.west <= self.west
            && self.east <= other.east
            && other.south <= self.south
            && self.north <= other.north
    }
}

/// A range of people killed, both ends included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Range {
    /// The fewest (0: no lower bound).
    pub min: u32,
    /// The most, where bounded.
    pub max: Option<u32>,
}

impl Range {
    /// Whether `n` lies in the range.
    pub fn contains(&self, n: u32) -> bool {
        n >= self.min && self.max.is_none_or(|max| n <= max)
    }
}

/// Every choice by value: facets, fatalities and area.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Choices {
    facets: BTreeMap<Facet, Choice>,
    /// The fatalities an event must have (an event whose source says
    /// nothing of them has none to compare, and is left out).
    pub fatalities: Option<Range>,
    /// The box an event's first place must lie in: its point, an area's
    /// centre, a province's or country's label point (events without a
    /// place are left out).
    pub area: Option<LonLatBox>,
    /// Whether only what the map shows passes: the map then keeps
    /// `map_area` the box it shows.
    pub follow_map: bool,
    /// The box the map shows, while `follow_map`.
    pub map_area: Option<LonLatBox>,
}

impl Choices {
    /// Whether nothing is chosen.
    pub fn is_empty(&self) -> bool {
        self.facets.is_empty()
            && self.fatalities.is_none()
            && self.area.is_none()
            && !self.follow_map
    }

    /// The choice in `facet` (empty when none).
    pub fn get(&self, facet: Facet) -> &Choice {
        static NONE: Choice = Choice {
            keep: BTreeSet::new(),
            drop: BTreeSet::new(),
        };
        self.facets.get(&facet).unwrap_or(&NONE)
    }

    /// The facets with a choice, in order.
    pub fn chosen(&self) -> impl Iterator<Item = (Facet, &Choice)> {
        self.facets.iter().map(|(&f, c)| (f, c))
    }

    /// Sets the choice in `facet` whole (an empty one forgets it).
    pub fn set(&mut self, facet: Facet, choice: Choice) {
        self.edit(facet, |c| *c = choice);
    }

    fn edit(&mut self, facet: Facet, change: impl FnOnce(&mut Choice)) {
        let choice = self.facets.entry(facet).or_default();
        change(choice);
        if choice.is_empty() {
            self.facets.remove(&facet);
        }
    }

    /// A click on a value: keep only it; a second click lets it go. With
    /// `add` (Ctrl-click), it is added to the values kept, or taken out.
    pub fn click(&mut self, facet: Facet, value: &str, add: bool) {
        self.edit(facet, |choice| {
            choice.drop.remove(value);
            if choice.keep.remove(value) {
                return;
            }
            if !add {
                choice.keep.clear();
            }
            choice.keep.insert(value.to_owned());
        });
    }

    /// Drops a value ("not" it), or lets it back in when dropped.
    pub fn toggle_drop(&mut self, facet: Facet, value: &str) {
        self.edit(facet, |choice| {
            choice.keep.remove(value);
            if !choice.drop.remove(value) {
                choice.drop.insert(value.to_owned());
            }
        });
    }

    /// Forgets a value, kept or dropped (its chip's ×).
    pub fn forget(&mut self, facet: Facet, value: &str) {
        self.edit(facet, |choice| {
            choice.keep.remove(value);
            choice.drop.remove(value);
        });
    }

    /// Forgets every choice in `facet`.
    pub fn clear(&mut self, facet: Facet) {
        self.facets.remove(&facet);
    }

    /// Whether every event these choices pass, `earlier` passed too.
    pub fn narrows(&self, earlier: &Choices) -> bool {
        let facets = earlier
            .facets
            .iter()
            .all(|(f, e)| self.facets.get(f).is_some_and(|c| c.narrows(e)))
            && self
                .facets
                .iter()
                .all(|(f, c)| earlier.facets.get(f).is_none_or(|e| c.narrows(e)));
        let fatalities = match (self.fatalities, earlier.fatalities) {
            (_, None) => true,
            (Some(a), Some(b)) => {
                a.min >= b.min && b.max.is_none_or(|bm| a.max.is_some_and(|am| am <= bm))
            }
            (None, Some(_)) => false,
        };
        let within = |now: &Option<LonLatBox>, before: &Option<LonLatBox>| match (now, before) {
            (_, None) => true,
            (Some(a), Some(b)) => a.within(b),
            (None, Some(_)) => false,
        };
        let map_area = |c: &Choices| c.map_area.filter(|_| c.follow_map);
        facets
            && fatalities
            && within(&self.area, &earlier.area)
            && within(&map_area(self), &map_area(earlier))
    }

    /// The choices as numbers of `index`'s values, ready to test events.
    pub fn resolve(&self, index: &FacetIndex) -> Resolved {
        let facets = self
            .facets
            .iter()
            .map(|(&facet, choice)| {
                let values = index.values(facet);
                let marks = |names: &BTreeSet<String>| {
                    let mut marks = vec![false; values.len()];
                    for id in names.iter().flat_map(|n| values.ids_like(n)) {
                        if let Some(m) = marks.get_mut(id as usize) {
                            *m = true;
                        }
                    }
                    marks
                };
                ResolvedChoice {
                    facet,
                    keep: (!choice.keep.is_empty()).then(|| marks(&choice.keep)),
                    drop: marks(&choice.drop),
                }
            })
            .collect();
        Resolved {
            facets,
            fatalities: self.fatalities,
            area: self.area,
            map_area: self.map_area.filter(|_| self.follow_map),
        }
    }
}

/// One facet's choice by value number.
#[derive(Clone, Debug)]
struct ResolvedChoice {
    facet: Facet,
    /// Which values are kept, when only some are.
    keep: Option<Vec<bool>>,
    drop: Vec<bool>,
}

/// Where a test of an event by its values failed: which facet, or the
/// fatalities or the area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failed {
    /// None: the event passes.
    Nothing,
    /// This one alone.
    Only(Slot),
    /// Two or more.
    Several,
}

/// One of the filters by value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A facet's choice.
    Facet(Facet),
    /// The fatalities range.
    Fatalities,
    /// The area.
    Area,
    /// What the map shows.
    MapArea,
}

/// [`Choices`] as value numbers.
#[derive(Clone, Debug, Default)]
pub struct Resolved {
    facets: Vec<ResolvedChoice>,
    fatalities: Option<Range>,
    area: Option<LonLatBox>,
    map_area: Option<LonLatBox>,
}

impl Resolved {
    /// Whether nothing is chosen.
    pub fn is_empty(&self) -> bool {
        self.facets.is_empty()
            && self.fatalities.is_none()
            && self.area.is_none()
            && self.map_area.is_none()
    }

    /// Which choices event `e` fails; `point` is where its first place
    /// lies (asked only with an area chosen).
    pub fn test(
        &self,
        index: &FacetIndex,
        e: usize,
        point: impl FnOnce() -> Option<[f64; 2]>,
    ) -> Failed {
        let mut failed = Failed::Nothing;
        let mut fail = |slot| {
            failed = match failed {
                Failed::Nothing => Failed::Only(slot),
                _ => Failed::Several,
            }
        };
        for choice in &self.facets {
            let values = index.values(choice.facet).of(e);
            let marked = |marks: &[bool]| {
                values
                    .iter()
                    .any(|&v| marks.get(v as usize).copied().unwrap_or(false))
            };
            let kept = choice.keep.as_deref().is_none_or(marked);
            if !kept || marked(&choice.drop) {
                fail(Slot::Facet(choice.facet));
            }
        }
        if let Some(range) = self.fatalities
            && !index.fatalities(e).is_some_and(|n| range.contains(n))
        {
            fail(Slot::Fatalities);
        }
        let boxes = [(self.area, Slot::Area), (self.map_area, Slot::MapArea)];
        if boxes.iter().any(|(b, _)| b.is_some()) {
            let point = point();
            for (area, slot) in boxes {
                if let Some(area) = area
                    && !point.is_some_and(|p| area.contains(p))
                {
                    fail(slot);
                }
            }
        }
        failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_keeps_one_value_a_second_lets_it_go() {
        let mut c = Choices::default();
        c.click(Facet::Actor, "A", false);
        c.click(Facet::Actor, "B", false);
        assert_eq!(c.get(Facet::Actor).keep, BTreeSet::from(["B".to_owned()]));
        c.click(Facet::Actor, "A", true);
        assert_eq!(c.get(Facet::Actor).keep.len(), 2);
        c.click(Facet::Actor, "A", true);
        c.click(Facet::Actor, "B", false);
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn dropping_a_kept_value_moves_it() {
        let mut c = Choices::default();
        c.click(Facet::Country, "AF", false);
        c.toggle_drop(Facet::Country, "AF");
        assert!(c.get(Facet::Country).keep.is_empty());
        assert!(c.get(Facet::Country).drop.contains("AF"));
        c.toggle_drop(Facet::Country, "AF");
        assert!(c.is_empty());
    }

    #[test]
    fn narrowing_is_seen_only_where_it_holds() {
        let mut wide = Choices::default();
        wide.click(Facet::Actor, "A", false);
        wide.click(Facet::Actor, "B", true);
        let mut narrow = wide.clone();
        narrow.click(Facet::Actor, "B", true);
        assert!(narrow.narrows(&wide));
        assert!(!wide.narrows(&narrow));
        let mut other = narrow.clone();
        other.toggle_drop(Facet::Country, "PK");
        assert!(other.narrows(&narrow));
        other.fatalities = Some(Range { min: 5, max: None });
        assert!(other.narrows(&narrow));
        let mut looser = other.clone();
        looser.fatalities = Some(Range { min: 1, max: None });
        assert!(!looser.narrows(&other));
        assert!(other.narrows(&looser));
    }

    #[test]
    fn a_box_across_the_antimeridian_holds_both_sides() {
        let b = LonLatBox::new(170.0, -10.0, -170.0, 10.0).expect("valid");
        assert!(b.contains([175.0, 0.0]) && b.contains([-175.0, 0.0]));
        assert!(!b.contains([0.0, 0.0]) && !b.contains([175.0, 11.0]));
        assert!(
            LonLatBox::new(0.0, 10.0, 1.0, 5.0).is_none(),
            "south of north"
        );
        assert!(LonLatBox::new(f64::NAN, 0.0, 1.0, 5.0).is_none());
    }
}
