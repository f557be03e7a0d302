//! The facets' counts under the filters, on six events whose every count
//! is known by hand.

use std::sync::Arc;

use super::{Command, ViewState};
use crate::model::{
    Casualties, DatasetBuilder, DateSpan, Day, Event, EventIdx, Facet, Location, Place, PlaceKind,
    PlacePrecision, Source,
};
use crate::time::{LonLatBox, Range, fatality_bin};

/// An event's id, actors, place, people killed and category.
type Row = (
    &'static str,
    &'static [&'static str],
    Option<u32>,
    Option<u32>,
    &'static str,
);

/// Six events: actors, countries, fatalities and places as in the table.
///
/// | id | actors | country (point)  | killed | category   |
/// |----|--------|------------------|--------|------------|
/// | e1 | A, B   | AF (69, 34)      | 0      | battles    |
/// | e2 | A      | PK (71, 30)      | 5      | battles    |
/// | e3 | B      | AF (69, 34)      | 10     | protests   |
/// | e4 | –      | PK (67, 25)      | –      | protests   |
/// | e5 | C      | PK (71, 30)      | 1      | battles    |
/// | e6 | A, C   | no place         | 3      | explosions |
fn view() -> ViewState {
    let mut b = DatasetBuilder::new("six");
    let place = |b: &mut DatasetBuilder, name: &str, country: &str, lon_lat: [f64; 2]| {
        b.place(Place {
            name: name.into(),
            kind: PlaceKind::City,
            country: Some(country.into()),
            location: Some(Location::Point { lon_lat }),
            precision: PlacePrecision::default(),
        })
    };
    let p1 = place(&mut b, "P1", "AF", [69.0, 34.0]);
    let p2 = place(&mut b, "P2", "PK", [71.0, 30.0]);
    let p3 = place(&mut b, "P3", "PK", [67.0, 25.0]);
    let rows: [Row; 6] = [
        ("e1", &["A", "B"], Some(p1), Some(0), "battles"),
        ("e2", &["A"], Some(p2), Some(5), "battles"),
        ("e3", &["B"], Some(p1), Some(10), "protests"),
        ("e4", &[], Some(p3), None, "protests"),
        ("e5", &["C"], Some(p2), Some(1), "battles"),
        ("e6", &["A", "C"], None, Some(3), "explosions"),
    ];
    for (i, (id, actors, place, killed, category)) in rows.into_iter().enumerate() {
        let names: Vec<_> = actors.iter().map(|a| b.name(a)).collect();
        let source = Source {
            name: "S1".into(),
            kind: None,
            url: None,
        };
        let event = Event {
            title: id.into(),
            actors: b.actor_list(&names),
            places: b.place_list(&place.into_iter().collect::<Vec<_>>()),
            casualties: killed.map(|k| Casualties {
                killed: Some(k),
                ..Casualties::default()
            }),
            category: b.category(category),
            sources: b.source_list(&[source]),
            ..Event::new(id, DateSpan::day(Day(i32::try_from(i).unwrap_or(0))))
        };
        b.push(event);
    }
    ViewState::new(Arc::new(b.finish()))
}

/// Each value of `facet` with its count, skipping those at zero.
fn counts(state: &ViewState, facet: Facet) -> Vec<(String, u32)> {
    let counts = state.counts().expect("a small dataset counts at once");
    let values = state.dataset().facets().values(facet);
    let mut out: Vec<_> = counts
        .of(facet)
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(id, &n)| (values.name(u32::try_from(id).unwrap_or(0)).to_owned(), n))
        .collect();
    out.sort();
    out
}

fn pairs(expected: &[(&str, u32)]) -> Vec<(String, u32)> {
    expected.iter().map(|&(v, n)| (v.to_owned(), n)).collect()
}

/// The ids of the listed events.
fn listed(state: &ViewState) -> Vec<String> {
    let dataset = state.dataset();
    let ids = state.listed().iter().map(|&e: &EventIdx| {
        dataset
            .event(e)
            .map(|e| e.id().to_owned())
            .unwrap_or_default()
    });
    ids.collect()
}

fn click(facet: Facet, value: &str, add: bool) -> Command {
    Command::FacetClick {
        facet,
        value: value.to_owned(),
        add,
    }
}

#[test]
fn with_no_filter_every_value_counts_its_events() {
    let state = view();
    assert_eq!(
        counts(&state, Facet::Actor),
        pairs(&[("A", 3), ("B", 2), ("C", 2), ("no actor", 1)])
    );
    assert_eq!(
        counts(&state, Facet::Country),
        pairs(&[("AF", 2), ("PK", 3), ("unknown country", 1)])
    );
    assert_eq!(
        counts(&state, Facet::Category),
        pairs(&[("battles", 3), ("explosions", 1), ("protests", 2)])
    );
    assert_eq!(counts(&state, Facet::Source), pairs(&[("S1", 6)]));
    assert_eq!(state.counts().map(|c| c.passing()), Some(6));
}

#[test]
fn a_facet_choice_shrinks_the_other_facets_not_its_own() {
    let mut state = view();
    state.apply_all([click(Facet::Actor, "A", false)]);
    assert_eq!(listed(&state), ["e1", "e2", "e6"]);
    assert_eq!(
        counts(&state, Facet::Actor),
        pairs(&[("A", 3), ("B", 2), ("C", 2), ("no actor", 1)]),
        "the actor facet's own choice leaves its counts"
    );
    assert_eq!(
        counts(&state, Facet::Country),
        pairs(&[("AF", 1), ("PK", 1), ("unknown country", 1)])
    );
    // A second facet: each follows the other's choice.
    state.apply_all([click(Facet::Country, "PK", false)]);
    assert_eq!(listed(&state), ["e2"]);
    assert_eq!(
        counts(&state, Facet::Actor),
        pairs(&[("A", 1), ("C", 1), ("no actor", 1)]),
        "the actors of Pakistan's events"
    );
    assert_eq!(
        counts(&state, Facet::Country),
        pairs(&[("AF", 1), ("PK", 1), ("unknown country", 1)]),
        "the countries of A's events"
    );
    assert_eq!(counts(&state, Facet::Category), pairs(&[("battles", 1)]));
    // Ctrl-click adds a value; a second click lets it go.
    state.apply_all([click(Facet::Actor, "B", true)]);
    assert_eq!(listed(&state), ["e2"], "B has no event in Pakistan");
    state.apply_all([click(Facet::Country, "AF", true)]);
    assert_eq!(listed(&state), ["e1", "e2", "e3"]);
    state.apply_all([
        click(Facet::Actor, "A", true),
        click(Facet::Actor, "B", true),
    ]);
    assert_eq!(listed(&state), ["e1", "e2", "e3", "e4", "e5"]);
}

#[test]
fn a_dropped_value_leaves_its_events_out() {
    let mut state = view();
    state.apply_all([Command::FacetDrop(Facet::Actor, "A".into())]);
    assert_eq!(listed(&state), ["e3", "e4", "e5"]);
    assert_eq!(
        counts(&state, Facet::Country),
        pairs(&[("AF", 1), ("PK", 2)])
    );
    // Events naming A and another actor are left out too.
    state.apply_all([Command::FacetDrop(Facet::Actor, "A".into())]);
    assert_eq!(listed(&state).len(), 6, "a second drop lets it back in");
}

#[test]
fn the_fatalities_range_includes_both_ends() {
    let mut state = view();
    let range = Range {
        min: 1,
        max: Some(5),
    };
    state.apply_all([Command::SetFatalities(Some(range))]);
    assert_eq!(listed(&state), ["e2", "e5", "e6"]);
    let counts = state.counts().expect("counted");
    // The histogram follows every filter but its own: all six events.
    let mut bins = [0_u32; crate::time::FATALITY_BINS.len()];
    for k in [0, 5, 10, 1, 3] {
        bins[fatality_bin(k)] += 1;
    }
    assert_eq!(counts.fatalities(), bins);
    assert_eq!(counts.fatalities_unknown(), 1);
    assert_eq!(counts.passing(), 3);
    // Under an actor choice, the histogram shrinks to that actor's events.
    state.apply_all([click(Facet::Actor, "B", false)]);
    assert_eq!(listed(&state), Vec::<String>::new());
    let counts = state.counts().expect("counted");
    assert_eq!(counts.fatalities().iter().sum::<u32>(), 2, "e1 and e3");
    assert_eq!(counts.fatalities_unknown(), 0);
    assert_eq!(counts.of(Facet::Actor).iter().sum::<u32>(), 4, "e2, e5, e6");
}

#[test]
fn an_area_keeps_the_events_whose_place_lies_in_it() {
    let mut state = view();
    let area = LonLatBox::new(68.0, 29.0, 72.0, 35.0).expect("a box");
    state.apply_all([Command::SetArea(Some(area))]);
    assert_eq!(listed(&state), ["e1", "e2", "e3", "e5"]);
    assert_eq!(
        counts(&state, Facet::Country),
        pairs(&[("AF", 2), ("PK", 2)])
    );
    state.apply_all([Command::ClearFilters]);
    assert_eq!(listed(&state).len(), 6);
}

#[test]
fn the_legend_hides_a_category_as_a_dropped_value() {
    let mut state = view();
    let battles = 0;
    assert_eq!(state.dataset().category_name(battles), "battles");
    state.apply_all([Command::ToggleCategory(battles)]);
    assert_eq!(listed(&state), ["e3", "e4", "e6"]);
    assert!(state.filter().is_category_hidden(state.dataset(), battles));
    assert_eq!(
        counts(&state, Facet::Category),
        pairs(&[("battles", 3), ("explosions", 1), ("protests", 2)]),
        "the category facet keeps its own counts"
    );
    state.apply_all([Command::ShowAllCategories]);
    assert_eq!(listed(&state).len(), 6);
}

#[test]
fn following_the_map_keeps_what_it_shows() {
    let mut state = view();
    let shown = LonLatBox::new(68.0, 29.0, 72.0, 35.0);
    // A box sent while not following changes nothing.
    state.apply_all([Command::SetMapArea(shown)]);
    assert_eq!(listed(&state).len(), 6);
    state.apply_all([Command::FollowMap(true), Command::SetMapArea(shown)]);
    assert_eq!(listed(&state), ["e1", "e2", "e3", "e5"]);
    assert_eq!(
        counts(&state, Facet::Actor),
        pairs(&[("A", 2), ("B", 2), ("C", 1)])
    );
    // The map moves on: the list follows.
    state.apply_all([Command::SetMapArea(LonLatBox::new(66.0, 24.0, 68.0, 26.0))]);
    assert_eq!(listed(&state), ["e4"]);
    state.apply_all([Command::FollowMap(false)]);
    assert_eq!(listed(&state).len(), 6);
}

#[test]
fn a_value_spelled_otherwise_is_found_alike() {
    let mut state = view();
    // "p-k" for "PK": a basemap region's spelling of a file's value.
    state.apply_all([click(Facet::Country, "p-k", false)]);
    assert_eq!(listed(&state), ["e2", "e4", "e5"]);
    state.apply_all([
        Command::ClearFilters,
        click(Facet::Country, "Narnia", false),
    ]);
    assert!(
        listed(&state).is_empty(),
        "a value the data lacks keeps nothing"
    );
}
