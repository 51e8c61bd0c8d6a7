//! A fast hash for the texts that the workers' caches are keyed by (the values read in a text,
//! a text redacted): eight bytes per step rather than the standard hasher's byte-careful
//! rounds. It is not built to withstand crafted collisions, which could only slow a cache
//! down, and each cache is bounded.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed by texts, hashed with [`TextHasher`].
pub type TextMap<V> = HashMap<String, V, BuildHasherDefault<TextHasher>>;

/// Hashes what it is given eight bytes at a time.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextHasher(u64);

impl Hasher for TextHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            if let Ok(word) = <[u8; 8]>::try_from(chunk) {
                self.add(u64::from_le_bytes(word));
            }
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl TextHasher {
    /// Mixes one word in (FxHash's step: the multiplication spreads it over the high bits).
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// The hash of `text`, its length included (a text and the same text with zero bytes after
/// it differ).
pub fn hash_text(text: &str) -> u64 {
    let mut hasher = TextHasher(text.len() as u64);
    hasher.write(text.as_bytes());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_differing_anywhere_hash_apart_and_equal_texts_alike() {
        let base = "Just to confirm, your order number is SD87049303085, is that right?";
        assert_eq!(hash_text(base), hash_text(String::from(base).as_str()));
        let mut hashes: Vec<u64> = (0..base.len())
            .filter(|&at| base.is_char_boundary(at + 1))
            .map(|at| {
                let mut changed = base.as_bytes().to_vec();
                changed[at] ^= 1;
                hash_text(std::str::from_utf8(&changed).unwrap_or(base))
            })
            .collect();
        hashes.push(hash_text(base));
        hashes.push(hash_text(&base[..base.len() - 1]));
        hashes.push(hash_text("a"));
        hashes.push(hash_text("a\0"));
        hashes.push(hash_text(""));
        let count = hashes.len();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(
            hashes.len(),
            count,
            "a collision among one-bit changes, cuts and tails"
        );
    }

    #[test]
    fn a_text_map_finds_a_string_key_by_its_text() {
        let mut map: TextMap<usize> = TextMap::default();
        map.insert("您好，这里是顺达快递。".to_string(), 1);
        map.insert("hello".to_string(), 2);
        assert_eq!(map.get("您好，这里是顺达快递。"), Some(&1));
        assert_eq!(map.get("hello"), Some(&2));
        assert_eq!(map.get("hell"), None);
    }
}
