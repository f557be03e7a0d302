//! The GDELT parser: one valid 2.0 row (so detection picks GDELT), then fuzzed rows.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|rows: &[u8]| {
    let mut bytes = b"1256322780\t20250731".to_vec();
    bytes.extend(std::iter::repeat_n(b'\t', 59));
    bytes.push(b'\n');
    bytes.extend_from_slice(rows);
    let _ = chronomap::load::load_bytes("fuzz.CSV", &bytes, chronomap::atlas::Atlas::embedded());
});
