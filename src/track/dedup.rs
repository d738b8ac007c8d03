//! Duplicate detection: exact content hashes and SimHash near-duplicates.
//!
//! - **Content hash**: XXH3-64 of the title and text lower-cased with whitespace runs collapsed,
//!   so a re-sent article with a new id, or with only spacing or case changed, is found.
//! - **SimHash** (Charikar 2002; as used for web near-duplicates by Manku, Jain & Das Sarma
//!   2007): each shingle of 3 consecutive words (lower-cased alphanumeric runs; the words
//!   themselves for texts of fewer than 3 words) is hashed to 64 bits with XXH3; bit `b` of the
//!   fingerprint is set when more shingles have bit `b` set than not. Two articles are near-
//!   duplicates when their fingerprints differ in at most [`NEAR_DUP_BITS`] bits. Candidates are
//!   found with 4 bands of 16 bits: fingerprints within 3 bits agree exactly on at least one
//!   band (pigeonhole), so only articles sharing a band value are compared.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64;

/// Fingerprints differing in at most this many bits are near-duplicates (Manku et al. 2007 used
/// 3 of 64 bits for 8 billion web pages).
pub const NEAR_DUP_BITS: u32 = 3;

/// Exact-content hash of a title and text.
pub fn content_hash(title: &str, text: &str) -> u64 {
    let mut norm = String::with_capacity(title.len() + text.len() + 1);
    for w in title.split_whitespace().chain(text.split_whitespace()) {
        if !norm.is_empty() {
            norm.push(' ');
        }
        for c in w.chars() {
            norm.extend(c.to_lowercase());
        }
    }
    xxh3_64(norm.as_bytes())
}

/// 64-bit SimHash of the text's 3-word shingles.
pub fn simhash(title: &str, text: &str) -> u64 {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .chain(text.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut votes = [0i32; 64];
    let mut add = |h: u64| {
        for (b, v) in votes.iter_mut().enumerate() {
            *v += if h >> b & 1 == 1 { 1 } else { -1 };
        }
    };
    if words.len() < 3 {
        words.iter().for_each(|w| add(xxh3_64(w.as_bytes())));
    } else {
        for w in words.windows(3) {
            add(xxh3_64(format!("{} {} {}", w[0], w[1], w[2]).as_bytes()));
        }
    }
    votes
        .iter()
        .enumerate()
        .fold(0u64, |h, (b, &v)| if v > 0 { h | 1 << b } else { h })
}

/// Bits in which two fingerprints differ.
pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// An index of fingerprints by band, for near-duplicate look-ups.
#[derive(Debug, Default)]
pub struct SimIndex {
    bands: HashMap<(u8, u16), Vec<usize>>,
    items: Vec<(u64, i64)>,
}

impl SimIndex {
    /// Adds a fingerprint with a day number; returns its index.
    pub fn insert(&mut self, hash: u64, day: i64) -> usize {
        let i = self.items.len();
        self.items.push((hash, day));
        for b in 0..4u8 {
            self.bands
                .entry((b, (hash >> (16 * b)) as u16))
                .or_default()
                .push(i);
        }
        i
    }

    /// The closest indexed fingerprint within [`NEAR_DUP_BITS`] bits and `days` days of `day`:
    /// `(index, distance)`, the smallest distance then the smallest index.
    pub fn nearest(&self, hash: u64, day: i64, days: i64) -> Option<(usize, u32)> {
        let mut best: Option<(usize, u32)> = None;
        for b in 0..4u8 {
            let Some(list) = self.bands.get(&(b, (hash >> (16 * b)) as u16)) else {
                continue;
            };
            for &i in list {
                let (h, d) = self.items[i];
                if (d - day).abs() > days {
                    continue;
                }
                let dist = distance(h, hash);
                if dist <= NEAR_DUP_BITS && best.is_none_or(|(bi, bd)| (dist, i) < (bd, bi)) {
                    best = Some((i, dist));
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_ignores_case_and_spacing_only() {
        assert_eq!(
            content_hash("Storm hits", "the  coast\n today"),
            content_hash("storm HITS", "the coast today")
        );
        assert_ne!(
            content_hash("Storm hits", "the coast today"),
            content_hash("Storm hits", "the coast yesterday")
        );
    }

    #[test]
    fn simhash_finds_light_edits_not_other_texts() {
        let base = "The central bank raised its main interest rate by a quarter point on Tuesday, \
                    citing persistent inflation in services and a tight labour market, and said \
                    further increases could follow if price pressures do not ease by the summer.";
        let edited = base.replace("Tuesday", "Tuesday morning");
        let other = "Heavy rain flooded the old town overnight and the river rose above the \
                     warning level; the council opened two shelters and closed the bridge.";
        let (a, b, c) = (simhash("", base), simhash("", &edited), simhash("", other));
        // One inserted word changes 3 of 38 shingles: a few bits (14 here); an unrelated text
        // differs in about half of them.
        assert!(distance(a, b) < 20, "{}", distance(a, b));
        assert!(distance(a, c) > 20, "{}", distance(a, c));
        // Case and punctuation do not count at all.
        assert_eq!(a, simhash("", &base.to_uppercase().replace(',', " ;")));
        // Hand-checkable: one word is one shingle, so the fingerprint is its hash.
        assert_eq!(simhash("Word", ""), xxh3_64(b"word"));
    }

    #[test]
    fn index_finds_within_bits_and_days() {
        let mut ix = SimIndex::default();
        ix.insert(0b1011, 100);
        ix.insert(u64::MAX, 100);
        // 0b0000 is 3 bits from 0b1011; u64::MAX is 61 bits away.
        assert_eq!(ix.nearest(0, 101, 2), Some((0, 3)));
        assert_eq!(ix.nearest(0, 103, 2), None, "too many days apart");
        assert_eq!(ix.nearest(0b1111_0000_0000, 100, 2), None, "7 bits apart");
        assert_eq!(ix.nearest(u64::MAX ^ 1, 100, 0), Some((1, 1)));
    }
}
