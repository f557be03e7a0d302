//! The TimelineJS parsers: fuzzed events after a JSON prefix, or fuzzed rows
//! after the sheet template's header, chosen by the first byte.
#![no_main]

use std::sync::LazyLock;

use chronomap::atlas::Atlas;
use chronomap::load::{Loader, Source};
use libfuzzer_sys::fuzz_target;

/// An empty gazetteer: place lookups fail fast, so the fuzzer spends its time
/// in the parser (the `detect` target runs with the real atlas).
static ATLAS: LazyLock<Atlas> = LazyLock::new(Atlas::default);

const SHEET: &[u8] = b"Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\r\n";

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let mut bytes = if choice % 2 == 0 {
        b"{\"events\": [{\"start_date\": ".to_vec()
    } else {
        SHEET.to_vec()
    };
    bytes.extend_from_slice(rest);
    let _ = Loader::new(&*ATLAS).load(Source::bytes("fuzz", &bytes));
});
