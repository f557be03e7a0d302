//! Any bytes at all: decoding, detection, and whichever parser they reach.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = chronomap::load::load_bytes("fuzz", data, chronomap::atlas::Atlas::embedded());
});
