//! The GeoJSON parser: a FeatureCollection whose features are fuzzed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|features: &[u8]| {
    let mut bytes = b"{\"type\": \"FeatureCollection\", \"features\": [".to_vec();
    bytes.extend_from_slice(features);
    let _ = chronomap::load::load_bytes("fuzz.geojson", &bytes, chronomap::atlas::Atlas::embedded());
});
