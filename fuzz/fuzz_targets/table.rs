//! The plain-table parser: a recognisable header, then fuzzed rows.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|rows: &[u8]| {
    let mut bytes = b"id,date,end_date,lat,lon,title,place,country,fatalities,url\n".to_vec();
    bytes.extend_from_slice(rows);
    let _ = chronomap::load::load_bytes("fuzz.csv", &bytes, chronomap::atlas::Atlas::embedded());
});
