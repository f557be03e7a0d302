//! The ACLED parser: a real header, then fuzzed rows.
#![no_main]

use std::sync::LazyLock;

use chronomap::atlas::Atlas;
use chronomap::load::{Loader, Source};
use libfuzzer_sys::fuzz_target;

/// An empty gazetteer: place lookups fail fast, so the fuzzer spends its time
/// in the parser (the `detect` target runs with the real atlas).
static ATLAS: LazyLock<Atlas> = LazyLock::new(Atlas::default);

const HEADER: &[u8] = b"\xEF\xBB\xBFevent_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n";

fuzz_target!(|rows: &[u8]| {
    let mut bytes = HEADER.to_vec();
    bytes.extend_from_slice(rows);
    let _ = Loader::new(&*ATLAS).load(Source::bytes("fuzz.csv", &bytes));
});
