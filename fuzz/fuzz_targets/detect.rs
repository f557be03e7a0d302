//! Any bytes at all: decoding, detection, and whichever parser they reach.
#![no_main]

use libfuzzer_sys::fuzz_target;
use chronomap::load::{Loader, Source};

fuzz_target!(|data: &[u8]| {
    let _ = Loader::new(chronomap::atlas::Atlas::embedded()).load(Source::bytes("fuzz", data));
});
