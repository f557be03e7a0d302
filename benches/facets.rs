//! Facets: what asking the events a question costs at a million events.
//!
//! - `facet_index/{shape}`: every event's values by facet, made once per
//!   dataset (beside the window's first frames).
//! - `choose/{shape}/{what}`: from a command to the list, the timeline's
//!   density and every facet's counts updated, as the window sees it
//!   (`ViewState` applies the choice, the work runs beside the window, and
//!   the window takes the result when it is done): an actor kept, a
//!   country left out, a fatalities range, and the three together.
//!
//! Shapes: ACLED rows from `gen-events` sharing a few thousand places
//! (`shared`), and each at a place of its own (`places100`).
//!
//! `cargo bench --bench facets`; `CHRONOMAP_BENCH_ROWS=100000` for a quick run.

mod common;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

use chronomap::atlas::Atlas;
use chronomap::load::{Loader, Source};
use chronomap::model::{Dataset, Facet, FacetIndex};
use chronomap::scene::province_namer;
use chronomap::state::{Command, ViewState};
use chronomap::time::Range;

fn dataset(distinct: Option<u32>, rows: usize) -> Arc<Dataset> {
    let path = common::generated("acled", distinct, rows);
    match Loader::new(Atlas::embedded()).load(Source::path(&path)) {
        Ok(loaded) => Arc::new(loaded.dataset),
        Err(e) => panic!("the bench file does not load: {e}"),
    }
}

/// The most frequent value of `facet` that is not its "unknown" value.
fn busiest(index: &FacetIndex, facet: Facet) -> String {
    let values = index.values(facet);
    let best = (0..values.len())
        .filter_map(|i| u32::try_from(i).ok())
        .filter(|&id| values.name(id) != facet.unknown())
        .max_by_key(|&id| values.totals().get(id as usize).copied().unwrap_or(0));
    best.map(|id| values.name(id).to_owned())
        .unwrap_or_default()
}

/// Applies `commands` and waits until the list and counts follow them.
fn settle(state: &mut ViewState, commands: Vec<Command>) {
    state.apply_all(commands);
    let started = Instant::now();
    while state.is_searching() || state.counts().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the search ends"
        );
        std::thread::sleep(Duration::from_micros(200));
        state.apply_all([]);
    }
}

fn facets(c: &mut Criterion) {
    let rows = common::rows();
    for (shape, distinct) in [("shared", None), ("places100", Some(100))] {
        let dataset = dataset(distinct, rows);
        let mut group = c.benchmark_group(format!("facets/{rows}"));
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(5));
        // As the window makes it: provinces from the basemap where the
        // data has none.
        let namer = province_namer(Atlas::embedded());
        group.bench_function(format!("facet_index/{shape}"), |b| {
            b.iter(|| black_box(FacetIndex::of(&dataset, Some(&namer))));
        });
        let index = dataset.facets();
        let actor = busiest(index, Facet::Actor);
        let country = busiest(index, Facet::Country);
        eprintln!(
            "{shape}: {} actors, {} countries, {} provinces; keeping {actor:?}, leaving out {country:?}",
            index.values(Facet::Actor).len(),
            index.values(Facet::Country).len(),
            index.values(Facet::Province).len()
        );
        let mut state = ViewState::new(Arc::clone(&dataset));
        state.prepare_facets();
        settle(&mut state, Vec::new());
        let keep = Command::FacetClick {
            facet: Facet::Actor,
            value: actor.clone(),
            add: false,
        };
        let drop = Command::FacetDrop(Facet::Country, country.clone());
        let range = Command::SetFatalities(Some(Range { min: 1, max: None }));
        let choices = [
            ("actor", vec![keep.clone()]),
            ("not_country", vec![drop.clone()]),
            ("fatalities", vec![range.clone()]),
            ("all_three", vec![keep, drop, range]),
        ];
        for (what, commands) in choices {
            group.bench_function(format!("choose/{shape}/{what}"), |b| {
                b.iter(|| {
                    settle(&mut state, commands.clone());
                    let listed = state.listed().len();
                    settle(&mut state, vec![Command::ClearFilters]);
                    black_box(listed)
                });
            });
        }
        group.finish();
    }
}

criterion_group!(benches, facets);
criterion_main!(benches);
