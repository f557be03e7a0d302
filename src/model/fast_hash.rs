//! A fast, deterministic hasher for the loaders' lookup tables (place keys,
//! event ids, shared extra fields), where SipHash's resistance to crafted
//! collisions costs more than it protects: a crafted file can only slow its
//! own load, never change what is read.

use std::hash::BuildHasher;

/// The hasher of the project's lookup tables: rustc-hash's `FxHasher`,
/// which fills string-keyed maps faster than the older Fx scheme this
/// module had written out by hand.
pub type FastHasher = rustc_hash::FxHasher;

/// Builds [`FastHasher`]s for `HashMap`s and `HashSet`s.
pub type FastBuild = rustc_hash::FxBuildHasher;

/// Mixes [`hash_bytes`]' lanes (the odd constant of the Fx hashes).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The [`FastHasher`] hash of one value.
pub fn hash_one(value: &impl std::hash::Hash) -> u64 {
    FastBuild::default().hash_one(value)
}

/// Hashes `bytes`, continuing from `seed`: a hash for long keys (a row's
/// location cells, a hundred bytes and more), where [`FastHasher`]'s chain
/// of a multiply per eight bytes, each waiting for the one before, is what
/// a million rows wait for. Here each sixteen bytes take one wide multiply
/// of their own, and only the sums wait for each other.
pub fn hash_bytes(bytes: &[u8], seed: u64) -> u64 {
    let len = bytes.len();
    let mut sum = fold(seed ^ SEED, len as u64 ^ LANES[0]);
    let (a, b) = if len <= 16 {
        // Two reads that may overlap (the length is in the hash already),
        // not a copy to the stack that the reads would wait for.
        match len {
            8.. => (u64_at(bytes, 0), u64_at(bytes, len - 8)),
            4.. => (u32_at(bytes, 0), u32_at(bytes, len - 4)),
            1.. => {
                let byte = |i: usize| u64::from(bytes.get(i).copied().unwrap_or(0));
                (byte(0) << 16 | byte(len / 2) << 8 | byte(len - 1), 0)
            }
            0 => (0, 0),
        }
    } else {
        // Each block's position is in its multiply: blocks swapped hash apart.
        let mut salt = LANES[1];
        let mut at = 0;
        while len - at > 16 {
            sum = sum.wrapping_add(fold(
                u64_at(bytes, at) ^ salt,
                u64_at(bytes, at + 8) ^ LANES[2],
            ));
            salt = salt.wrapping_add(LANES[3]);
            at += 16;
        }
        // The last sixteen bytes, read again in part when the length is
        // not a multiple of sixteen.
        (u64_at(bytes, len - 16) ^ salt, u64_at(bytes, len - 8))
    };
    sum = sum.wrapping_add(fold(a ^ LANES[1], b ^ LANES[2]));
    fold(sum ^ LANES[0], sum.rotate_left(32) ^ SEED)
}

/// Digits of pi: odd, with their bits well spread.
const LANES: [u64; 4] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d1,
    0x082e_fa98_ec4e_6c89,
];

/// The low and high halves of the full product, mixed: every bit of each
/// factor reaches the middle bits of the result.
fn fold(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// The eight bytes at `at`, little-endian (0 past the end).
fn u64_at(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..at + 8)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// The four bytes at `at`, little-endian (0 past the end).
fn u32_at(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, |b| u64::from(u32::from_le_bytes(b)))
}

/// Writes `texts` into `key`, each as its length and its bytes, for a map
/// keyed by several texts at once: two different lists of texts never write
/// the same bytes, whatever the texts hold ("ab", "c" against "a", "bc").
pub fn write_key<'a>(key: &mut Vec<u8>, texts: impl IntoIterator<Item = &'a str>) {
    key.clear();
    for text in texts {
        let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
        key.extend_from_slice(&len.to_le_bytes());
        key.extend_from_slice(text.as_bytes());
    }
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
    fn long_keys_hash_by_every_byte_and_its_place() {
        let text = b"Africa,Somalia,Bay,Baydhaba,,Baidoa,3.1137,43.6498,1,extra bytes";
        let base = hash_bytes(text, 0);
        assert_eq!(base, hash_bytes(text, 0));
        assert_ne!(base, hash_bytes(text, 1));
        for at in 0..text.len() {
            let mut changed = text.to_vec();
            changed[at] ^= 1;
            assert_ne!(base, hash_bytes(&changed, 0), "byte {at}");
        }
        // The same two blocks the other way round, and a trailing zero.
        let (a, b) = ([1u8; 16], [2u8; 16]);
        assert_ne!(
            hash_bytes(&[a, b].concat(), 0),
            hash_bytes(&[b, a].concat(), 0)
        );
        assert_ne!(hash_bytes(b"a", 0), hash_bytes(b"a\0", 0));
        assert_ne!(hash_bytes(b"", 0), hash_bytes(b"\0", 0));
    }

    #[test]
    fn texts_cut_elsewhere_write_other_keys() {
        let key = |texts: &[&str]| {
            let mut key = vec![9];
            write_key(&mut key, texts.iter().copied());
            key
        };
        assert_eq!(key(&["ab", "c"]), key(&["ab", "c"]));
        assert_ne!(key(&["ab", "c"]), key(&["a", "bc"]));
        assert_ne!(key(&["ab", "c"]), key(&["ab", "c", ""]));
        assert_ne!(key(&[""]), key(&[]));
        assert_eq!(key(&["a"]), [1, 0, 0, 0, b'a']);
    }
}
