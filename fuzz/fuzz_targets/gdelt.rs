//! The GDELT parser: one valid 2.0 row (so detection picks GDELT), then fuzzed rows.
#![no_main]

use std::sync::LazyLock;

use chronomap::atlas::Atlas;
use chronomap::load::{Loader, Source};
use libfuzzer_sys::fuzz_target;

/// An empty gazetteer: place lookups fail fast, so the fuzzer spends its time
/// in the parser (the `detect` target runs with the real atlas).
static ATLAS: LazyLock<Atlas> = LazyLock::new(Atlas::default);

fuzz_target!(|rows: &[u8]| {
    let mut bytes = b"1256322780\t20250731".to_vec();
    bytes.extend(std::iter::repeat_n(b'\t', 59));
    bytes.push(b'\n');
    bytes.extend_from_slice(rows);
    let _ = Loader::new(&*ATLAS).load(Source::bytes("fuzz.CSV", &bytes));
});
