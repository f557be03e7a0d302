//! The shared date reader, with each slash order and with the file vote.
#![no_main]

use chronomap::load::dates::{DateReader, SlashOrder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for order in [SlashOrder::DayFirst, SlashOrder::MonthFirst, SlashOrder::Undecided] {
        let _ = DateReader::with_order(order).read(text);
    }
    let reader = DateReader::for_values(SlashOrder::Undecided, text.split('\n'));
    for line in text.split('\n') {
        if let Ok(span) = reader.read(line) {
            assert!(span.start <= span.end);
        }
    }
});
