//! Collocations of adjacent words ("North Korea", "Supreme Court", "special counsel"), found
//! while the text stage reads the collection, for topic labels that read as people write.
//!
//! **Counting.** Every pair of adjacent kept words in the first [`PHRASE_WINDOW`] words of each
//! document is counted, as the two word forms written (so a phrase is shown as written:
//! "Planned Parenthood", "Islamic State", where the stems' labels are "plan" and "state").
//! Words are adjacent when only white space separates them: punctuation ("points: Reuters"), a
//! stop word, a number or a time stamp between them, or a possessive ending the first ("Russia's
//! Putin"), breaks the pair. Pairs are then summed by term pair, the most frequent written form
//! kept as the phrase's label.
//! Headlines and leads hold the names a story is about; the window bounds the work on long
//! documents (on 20 Newsgroups it counts about a third of the words). Counts are kept in one
//! table; should it pass [`MAX_PAIRS`] entries, the pairs seen least are dropped (lossy
//! counting, Manku & Motwani 2002: a pair that is frequent overall is frequent in the part
//! still to be read, so it comes back and is counted), which keeps memory bounded at scale and
//! depends only on the order of the documents, not on the thread count.
//!
//! **Statistic.** For a pair (a, b) with n_ab occurrences out of N counted pairs, a first in
//! n_a pairs and b second in n_b: normalised pointwise mutual information (Bouma 2009)
//! `NPMI = ln(N n_ab / (n_a n_b)) / −ln(n_ab / N)` (1: the words occur only together, 0:
//! independent) and Dunning's (1993) log-likelihood ratio
//! `G² = 2 Σ O ln(O / E)` over the 2×2 table of (a first or not) × (b second or not).
//! A pair is a phrase when it occurs at least `min_count` times, G² ≥ 10.83 (independence
//! rejected at p < 0.001, one degree of freedom), NPMI ≥ [`MIN_NPMI`], and it accounts for at
//! least half of one of its words' pairs in that position (n_ab / n_a or n_ab / n_b ≥
//! [`MIN_SHARE`]: "Supreme" is nearly always followed by "Court", while "candidate Cruz" is a
//! small part of both words' uses). G² alone favours frequent, loosely bound pairs ("Trump
//! says"); NPMI alone favours rare ones; the share keeps pairs a reader sees as one name.

use ahash::AHashMap;
use serde::{Deserialize, Serialize};

/// Words at the start of each document in which adjacent pairs are counted.
pub const PHRASE_WINDOW: usize = 64;
/// Largest number of distinct pairs kept while counting.
pub const MAX_PAIRS: usize = 4_000_000;
/// Smallest NPMI of a phrase.
pub const MIN_NPMI: f64 = 0.5;
/// Smallest share of one of its words' pairs (in its position) a phrase must account for.
pub const MIN_SHARE: f64 = 0.5;
/// G² critical value at p = 0.001 with one degree of freedom.
const G2_CRITICAL: f64 = 10.83;

/// A phrase of two adjacent terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phrase {
    /// First term id (or column, once mapped to a vocabulary).
    pub first: u32,
    /// Second term id (or column).
    pub second: u32,
    /// Occurrences counted.
    pub count: u32,
    /// Share of the first word's counted pairs (as a first word) that are this phrase.
    pub share_first: f32,
    /// Share of the second word's counted pairs (as a second word) that are this phrase.
    pub share_second: f32,
    /// NPMI.
    pub npmi: f32,
    /// As written most often ("Islamic State").
    pub label: String,
}

/// Key of a counted pair of raw word ids (the word forms as written).
#[inline]
pub fn pair_key(a: u32, b: u32) -> u64 {
    ((a as u64) << 32) | b as u64
}

fn unpack(key: u64) -> (u32, u32) {
    ((key >> 32) as u32, key as u32)
}

/// Pair counts of a collection, added to chunk by chunk.
#[derive(Debug, Default)]
pub struct PairCounts {
    counts: AHashMap<u64, u32>,
    /// Pairs counted (before any were dropped).
    total: u64,
    /// Counts at or below this were dropped at least once.
    pruned_below: u32,
}

impl PairCounts {
    /// Adds a chunk's sorted `(key, count)` runs.
    pub fn add(&mut self, runs: &[(u64, u32)]) {
        for &(k, n) in runs {
            *self.counts.entry(k).or_insert(0) += n;
            self.total += n as u64;
        }
    }

    /// Drops the least seen pairs while there are more than [`MAX_PAIRS`].
    pub fn bound(&mut self) {
        while self.counts.len() > MAX_PAIRS {
            self.pruned_below += 1;
            let t = self.pruned_below;
            self.counts.retain(|_, n| *n > t);
        }
    }

    /// The phrases (see the module documentation), by term ids, sorted by (first, second):
    /// `raw_to_term` maps the raw word ids of the keys to term ids (`u32::MAX`: dropped) and
    /// `surfaces` gives their written forms.
    pub fn phrases<S: AsRef<str>>(
        &self,
        raw_to_term: &[u32],
        surfaces: &[S],
        min_count: u32,
    ) -> Vec<Phrase> {
        // Counts by term pair, with the most frequent written form (ties: the smaller raw ids,
        // i.e. the form seen first).
        let mut pairs: AHashMap<(u32, u32), (u32, u32, u64)> = AHashMap::new();
        let mut first: AHashMap<u32, u64> = AHashMap::new();
        let mut second: AHashMap<u32, u64> = AHashMap::new();
        for (&k, &n) in &self.counts {
            let (ra, rb) = unpack(k);
            let (a, b) = (raw_to_term[ra as usize], raw_to_term[rb as usize]);
            if a == u32::MAX || b == u32::MAX {
                continue;
            }
            *first.entry(a).or_insert(0) += n as u64;
            *second.entry(b).or_insert(0) += n as u64;
            let e = pairs.entry((a, b)).or_insert((0, 0, k));
            e.0 += n;
            if n > e.1 || (n == e.1 && k < e.2) {
                e.1 = n;
                e.2 = k;
            }
        }
        let big_n = first.values().map(|&n| n as f64).sum::<f64>();
        let mut out: Vec<Phrase> = pairs
            .into_iter()
            .filter(|&((a, b), (n, ..))| a != b && n >= min_count.max(self.pruned_below + 1))
            .filter_map(|((a, b), (n, _, key))| {
                let na = first[&a] as f64;
                let nb = second[&b] as f64;
                let nab = n as f64;
                let npmi = npmi(nab, na, nb, big_n);
                let (share_first, share_second) = (nab / na, nab / nb);
                if npmi < MIN_NPMI
                    || share_first.max(share_second) < MIN_SHARE
                    || g2(nab, na, nb, big_n) < G2_CRITICAL
                {
                    return None;
                }
                let (ra, rb) = unpack(key);
                let label = format!(
                    "{} {}",
                    surfaces[ra as usize].as_ref(),
                    surfaces[rb as usize].as_ref()
                );
                Some(Phrase {
                    first: a,
                    second: b,
                    count: n,
                    share_first: share_first as f32,
                    share_second: share_second as f32,
                    npmi: npmi as f32,
                    label,
                })
            })
            .collect();
        out.sort_unstable_by_key(|p| (p.first, p.second));
        out
    }

    /// Pairs counted.
    pub fn total(&self) -> u64 {
        self.total
    }
}

/// NPMI of a pair seen `nab` times, its words `na` and `nb` times, out of `n` pairs.
pub fn npmi(nab: f64, na: f64, nb: f64, n: f64) -> f64 {
    if nab <= 0.0 || nab >= n {
        return if nab >= n { 1.0 } else { -1.0 };
    }
    (n * nab / (na * nb)).ln() / -(nab / n).ln()
}

/// Dunning's G² of the 2×2 table of a pair seen `nab` times, its first word first `na` times,
/// its second word second `nb` times, out of `n` pairs.
pub fn g2(nab: f64, na: f64, nb: f64, n: f64) -> f64 {
    let obs = [nab, na - nab, nb - nab, n - na - nb + nab];
    let exp = [
        na * nb / n,
        na * (n - nb) / n,
        (n - na) * nb / n,
        (n - na) * (n - nb) / n,
    ];
    2.0 * obs
        .iter()
        .zip(exp)
        .filter(|(o, e)| **o > 0.0 && *e > 0.0)
        .map(|(o, e)| o * (o / e).ln())
        .sum::<f64>()
}

/// Sorted `(key, count)` runs of a list of pair keys.
pub fn runs(mut keys: Vec<u64>) -> Vec<(u64, u32)> {
    keys.sort_unstable();
    let mut out: Vec<(u64, u32)> = Vec::new();
    for k in keys {
        match out.last_mut() {
            Some((last, n)) if *last == k => *n += 1,
            _ => out.push((k, 1)),
        }
    }
    out
}

/// True when two display words are near-duplicates for a label: one, lower-cased and without
/// final dots, starts the other, the shorter at least 3 characters and the longer at most 3
/// more ("Korea"/"Korean", "Syria"/"Syrian", "Clinton"/"Clintons"; not "state"/"statement").
pub fn near_duplicate(x: &str, y: &str) -> bool {
    let norm = |s: &str| s.trim_end_matches('.').to_lowercase();
    let (x, y) = (norm(x), norm(y));
    let (short, long) = if x.chars().count() <= y.chars().count() {
        (x, y)
    } else {
        (y, x)
    };
    let (ns, nl) = (short.chars().count(), long.chars().count());
    ns >= 3 && nl - ns <= 3 && long.starts_with(&short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npmi_and_g2_by_hand() {
        // Always together: NPMI 1.
        assert!((npmi(10.0, 10.0, 10.0, 1000.0) - 1.0).abs() < 1e-12);
        // Independent: n_ab = n_a n_b / N → NPMI 0, G² 0.
        assert!(npmi(4.0, 40.0, 100.0, 1000.0).abs() < 1e-12);
        assert!(g2(4.0, 40.0, 100.0, 1000.0).abs() < 1e-9);
        // 2×2 table [[10, 0], [0, 90]]: E = [1, 9, 9, 81];
        // G² = 2 (10 ln 10 + 90 ln(90/81)) = 2 (23.02585 + 9.48245) = 65.0166.
        let g = g2(10.0, 10.0, 10.0, 100.0);
        assert!((g - 2.0 * (10.0 * 10f64.ln() + 90.0 * (90.0f64 / 81.0).ln())).abs() < 1e-9);
    }

    #[test]
    fn phrases_from_counts_keep_tight_pairs_as_written() {
        // Raw words: 0 "Islamic", 1 "State", 2 "state", 3 "Trump", 4 "says", 5 "other".
        // Terms: raw 1 and 2 are term 1; raw 0 → 0, 3 → 2, 4 → 3, 5 → 4.
        let surfaces = ["Islamic", "State", "state", "Trump", "says", "other"];
        let raw_to_term = [0, 1, 1, 2, 3, 4];
        let mut keys = Vec::new();
        keys.extend(std::iter::repeat_n(pair_key(0, 1), 15)); // "Islamic State"
        keys.extend(std::iter::repeat_n(pair_key(0, 2), 5)); // "Islamic state"
        keys.extend(std::iter::repeat_n(pair_key(2, 5), 30)); // "state other"
        keys.extend(std::iter::repeat_n(pair_key(3, 4), 30)); // "Trump says"
        keys.extend(std::iter::repeat_n(pair_key(3, 5), 300));
        keys.extend(std::iter::repeat_n(pair_key(5, 4), 300));
        keys.extend(std::iter::repeat_n(pair_key(5, 5), 300));
        let mut pc = PairCounts::default();
        pc.add(&runs(keys));
        assert_eq!(pc.total(), 980);
        let p = pc.phrases(&raw_to_term, &surfaces, 5);
        let names: Vec<&str> = p.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(names, ["Islamic State"], "{p:?}");
        assert_eq!((p[0].first, p[0].second, p[0].count), (0, 1, 20));
        assert_eq!((p[0].share_first, p[0].share_second), (1.0, 1.0));
    }

    #[test]
    fn bounded_counts_drop_the_rarest() {
        let mut pc = PairCounts::default();
        pc.add(&[(pair_key(1, 2), 1), (pair_key(1, 3), 5)]);
        pc.bound();
        assert_eq!(pc.counts.len(), 2, "under the cap nothing is dropped");
    }

    #[test]
    fn near_duplicates() {
        assert!(near_duplicate("Korea", "Korean"));
        assert!(near_duplicate("Syrian", "Syria"));
        assert!(near_duplicate("U.S.", "U.S"));
        assert!(!near_duplicate("state", "statement"));
        assert!(!near_duplicate("EU", "EUR"));
        assert!(!near_duplicate("Trump", "Clinton"));
    }
}
