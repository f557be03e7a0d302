//! The GeoJSON parser: a FeatureCollection whose features are fuzzed.
#![no_main]

use std::sync::LazyLock;

use chronomap::atlas::Atlas;
use chronomap::load::{Loader, Source};
use libfuzzer_sys::fuzz_target;

/// An empty gazetteer: place lookups fail fast, so the fuzzer spends its time
/// in the parser (the `detect` target runs with the real atlas).
static ATLAS: LazyLock<Atlas> = LazyLock::new(Atlas::default);

fuzz_target!(|features: &[u8]| {
    let mut bytes = b"{\"type\": \"FeatureCollection\", \"features\": [".to_vec();
    bytes.extend_from_slice(features);
    let _ = Loader::new(&*ATLAS).load(Source::bytes("fuzz.geojson", &bytes));
});
