//! Mutated ACLED files through both ways a file is read: streamed from disk
//! (`load_path`) and from bytes in memory (`load_bytes`). Neither may panic,
//! and for UTF-8 input both must read the same events and report the same
//! problems at the same lines, whatever quotes, line breaks and delimiters
//! the mutations put where.
//!
//! A quick pass runs with the suite; a long one on demand:
//! `CHRONOMAP_STRESS_SECONDS=60 cargo test --release --test suite loaders_stress`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chronomap::atlas::Atlas;
use chronomap::load::{Loader, Source};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
}

fn fixtures() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/acled");
    let mut files: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(Result::ok)
        .map(|e| std::fs::read(e.path()).expect("read fixture"))
        .collect();
    files.sort();
    files
}

/// One random edit: the bytes that break CSV most often, in random places.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    const NASTY: &[&[u8]] = &[
        b"\"",
        b"\n",
        b"\r\n",
        b"\r",
        b",",
        b"\"\"",
        b"\n\n",
        b"\t",
        b"NA",
        b"31/02/2025",
        b"\xE9",
        b"\"a\nb\"",
    ];
    let at = rng.below(bytes.len() + 1);
    match rng.below(4) {
        0 => {
            let piece = NASTY[rng.below(NASTY.len())];
            bytes.splice(at..at, piece.iter().copied());
        }
        1 if at < bytes.len() => {
            bytes.remove(at);
        }
        2 => bytes.truncate(at.max(1)),
        _ => {
            let len = rng.below(40);
            let end = (at + len).min(bytes.len());
            let from = rng.below(bytes.len().saturating_sub(len).max(1));
            let copy: Vec<u8> = bytes
                .get(from..from + (end - at))
                .unwrap_or_default()
                .to_vec();
            bytes.splice(at..at, copy);
        }
    }
}

#[test]
fn streamed_and_in_memory_reads_agree_on_mutated_files() {
    let seconds = std::env::var("CHRONOMAP_STRESS_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0);
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let atlas = Atlas::embedded();
    let dir = crate::common::scratch_root().join("stress");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("mutated.csv");
    let base = fixtures();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut compared = 0;
    for round in 0.. {
        if round >= 150 && Instant::now() >= deadline {
            break;
        }
        let mut bytes = base[round % base.len()].clone();
        for _ in 0..=rng.below(6) {
            mutate(&mut rng, &mut bytes);
        }
        std::fs::write(&path, &bytes).expect("write");
        let streamed = Loader::new(atlas).load(Source::path(&path));
        let in_memory = Loader::new(atlas).load(Source::bytes("mutated.csv", &bytes));
        if std::str::from_utf8(&bytes).is_err() {
            continue;
        }
        match (&streamed, &in_memory) {
            (Ok(s), Ok(m)) => {
                assert_eq!(s.dataset.events, m.dataset.events, "round {round}");
                assert_eq!(s.report.problems, m.report.problems, "round {round}");
                compared += 1;
            }
            (Err(_), Err(_)) => {}
            _ => panic!(
                "round {round}: streamed {:?} but in memory {:?}",
                streamed.as_ref().err(),
                in_memory.as_ref().err()
            ),
        }
    }
    assert!(compared > 50, "only {compared} rounds compared");
}
