//! A fast, deterministic hasher for the loaders' lookup tables (place keys,
//! event ids, shared extra fields), where SipHash's resistance to crafted
//! collisions costs more than it protects: a crafted file can only slow its
//! own load, never change what is read.

use std::hash::{BuildHasherDefault, Hasher};

/// The multiply-rotate hash of rustc's `FxHasher`.
#[derive(Clone, Copy, Debug, Default)]
pub struct FastHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            if let Some(head) = word.get_mut(..rest.len()) {
                head.copy_from_slice(rest);
            }
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Builds [`FastHasher`]s for `HashMap`s and `HashSet`s.
pub type FastBuild = BuildHasherDefault<FastHasher>;

/// The [`FastHasher`] hash of one value.
pub fn hash_one(value: &impl std::hash::Hash) -> u64 {
    let mut h = FastHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// Writes `texts` into `key`, each as its length and its bytes, for a map
/// keyed by several texts at once: two different lists of texts never write
/// the same bytes, whatever the texts hold ("ab", "c" against "a", "bc").
pub fn write_key<'a>(key: &mut Vec<u8>, texts: impl IntoIterator<Item = &'a str>) {
    key.clear();
    append_key(key, texts);
}

/// Like [`write_key`], after what `key` already holds (keys kept end to
/// end in one buffer).
pub fn append_key<'a>(key: &mut Vec<u8>, texts: impl IntoIterator<Item = &'a str>) {
    for text in texts {
        let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
        key.extend_from_slice(&len.to_le_bytes());
        key.extend_from_slice(text.as_bytes());
    }
}

/// Whether `key` is what [`write_key`] writes for `texts`, read without
/// writing them.
pub fn key_holds(key: &[u8], texts: &[&str]) -> bool {
    let mut rest = key;
    for text in texts {
        let Some((len, tail)) = rest.split_first_chunk::<4>() else {
            return false;
        };
        if u32::from_le_bytes(*len) as usize != text.len() {
            return false;
        }
        let Some((bytes, tail)) = tail.split_at_checked(text.len()) else {
            return false;
        };
        if bytes != text.as_bytes() {
            return false;
        }
        rest = tail;
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_hash_alike_and_tails_count() {
        assert_eq!(hash_one(&"PAK1234"), hash_one(&"PAK1234"));
        assert_ne!(hash_one(&"PAK1234"), hash_one(&"PAK1235"));
        assert_ne!(hash_one(&("ab", "c")), hash_one(&("a", "bc")));
        assert_ne!(hash_one(&"a"), hash_one(&"a\0"));
    }

    #[test]
    fn a_key_holds_the_texts_it_was_written_from_and_no_others() {
        let mut key = Vec::new();
        write_key(&mut key, ["ab", "c"]);
        assert!(key_holds(&key, &["ab", "c"]));
        assert!(!key_holds(&key, &["a", "bc"]));
        assert!(!key_holds(&key, &["ab"]));
        assert!(!key_holds(&key, &["ab", "c", ""]));
        append_key(&mut key, ["d"]);
        assert!(key_holds(&key, &["ab", "c", "d"]));
        write_key(&mut key, [""]);
        assert!(key_holds(&key, &[""]));
        assert!(!key_holds(&key, &[]));
    }
}
