//! The plain-table parser: a recognisable header, then fuzzed rows.
#![no_main]

use std::sync::LazyLock;

use chronomap::atlas::Atlas;
use chronomap::load::{Loader, Source};
use libfuzzer_sys::fuzz_target;

/// An empty gazetteer: place lookups fail fast, so the fuzzer spends its time
/// in the parser (the `detect` target runs with the real atlas).
static ATLAS: LazyLock<Atlas> = LazyLock::new(Atlas::default);

fuzz_target!(|rows: &[u8]| {
    let mut bytes = b"id,date,end_date,lat,lon,title,place,country,fatalities,url\n".to_vec();
    bytes.extend_from_slice(rows);
    let _ = Loader::new(&*ATLAS).load(Source::bytes("fuzz.csv", &bytes));
});
