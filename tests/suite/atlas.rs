//! Integration tests of the embedded atlas through the public API only.

use std::time::Instant;

use chronomap::atlas::{Atlas, PlaceKind, PlaceQuery, Resolved};

const ASSET: &[u8] = include_bytes!("../../assets/world.atlas");

/// Decoding the whole world must stay well under a frame budget's worth of start-up time.
///
/// Timing is only meaningful in release builds on an idle machine, so this is opt-in:
/// `cargo test --release --test suite atlas:: -- --ignored --nocapture`.
#[test]
#[ignore = "timing: run explicitly in release"]
fn decode_time_in_release() {
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let started = Instant::now();
        let atlas = Atlas::decode(ASSET);
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        assert!(atlas.is_ok());
        best = best.min(elapsed_ms);
    }
    eprintln!("decode of {} bytes: best of 5 = {best:.1} ms", ASSET.len());
    let started = Instant::now();
    let atlas = Atlas::embedded();
    let resolved = atlas.resolve(&PlaceQuery {
        name: "Khost",
        country: Some("AF"),
        kind: Some(PlaceKind::Province),
    });
    eprintln!(
        "embedded() + first resolve (builds the name index): {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let started = Instant::now();
    let suggestion = atlas.suggest("Khots");
    eprintln!(
        "suggest: {:.1} ms -> {suggestion:?}",
        started.elapsed().as_secs_f64() * 1000.0
    );
    assert!(matches!(resolved, Some(Resolved::Region(_))));
    if !cfg!(debug_assertions) {
        assert!(best < 150.0, "decode took {best:.1} ms");
    }
}

#[test]
fn embedded_atlas_decodes_and_resolves() {
    let atlas = Atlas::try_embedded();
    assert!(atlas.is_ok(), "{:?}", atlas.err());
    let atlas = Atlas::embedded();
    let query = PlaceQuery {
        name: "Rawalpindi",
        country: Some("Pakistan"),
        kind: None,
    };
    let Some(Resolved::City(index)) = atlas.resolve(&query) else {
        panic!("Rawalpindi did not resolve to a city");
    };
    assert_eq!(
        atlas.city(index).map(|city| city.country_iso2.as_str()),
        Some("PK")
    );
}
