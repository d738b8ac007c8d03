//! Word vectors learned from the collection itself, added to the LSA basis for short texts.
//!
//! A headline shares few words with another headline of the same story ("Qtr net",
//! "First-quarter profit", "Shr loss"): their TF-IDF rows barely overlap, and LSA on such rows
//! groups headlines by their one common word. Words that occur with the same other words are
//! alike, though, and the collection says which they are. So, for short texts:
//!
//! 1. **Co-occurrence.** `C[a, b]` counts the documents that contain both terms (a headline is
//!    one context; a longer document contributes its [`MAX_CONTEXT_TERMS`] heaviest terms).
//! 2. **PPMI** with context-distribution smoothing (Levy, Goldberg & Dagan 2015, *Improving
//!    distributional similarity with lessons learned from word embeddings*):
//!    `PPMI(a, b) = max(0, ln(C[a,b] · Σ_c c_c^α / (c_a · c_b^α)))` with `c_a = Σ_b C[a, b]`
//!    and α = 0.75.
//! 3. **Word vectors** `W = U_d √Σ_d` from the randomized truncated SVD of the PPMI matrix
//!    (the same range finder as the LSA basis, `d` = [`WORD_DIMS`]); PPMI is symmetric, so its
//!    right singular vectors are the word vectors' directions.
//! 4. **SIF weights** (Arora, Liang & Ma 2017, *A simple but tough-to-beat baseline for sentence
//!    embeddings*): a word weighs `a / (a + p(w))`, `p(w)` its share of the collection's term
//!    occurrences, `a` = [`SIF_A`]; a document's vector is its TF-IDF row times `diag(a/(a+p)) W`,
//!    and the direction the document vectors share most (their first singular vector `u`) is
//!    removed, `W' = diag(a/(a+p)) W (I − u uᵀ)`.
//! 5. **One basis.** `W'` is scaled so that the documents' mean norm in it is [`WORD_WEIGHT`]
//!    times their mean norm in the LSA coordinates, and appended to `V_k` as further columns:
//!    a document's coordinates are still one product of its TF-IDF row with the basis, so
//!    `apply`, `track`, saved models and guided topics need nothing else.
//!
//! Measured before building it (scikit-learn pipeline, k-means with 3 restarts, NMI against the
//! gold labels, mean of seeds 0–2): Reuters-21578 titles (66 classes) 0.378 with LSA alone,
//! 0.382 with the SIF vectors alone, **0.438** with both in one basis (0.414 with each part
//! normalised apart); 20 Newsgroups subject lines 0.130 → 0.230; BBC headlines 0.046 → 0.160.

use ndarray::{concatenate, Array2, Axis};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use super::{eigh_desc, gram, spmm, LsaModel, SvdParams};
use crate::params::ParamGuard;
use crate::Result;

/// When word vectors join the LSA basis (default `auto`: short texts only, where they help;
/// long documents already share enough words, and the extra columns would only cost time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WordVectors {
    /// For collections of short texts: at least [`MIN_DOCS`] documents, and the median
    /// document has at most [`SHORT_TEXT_TERMS`] distinct terms.
    #[default]
    Auto,
    /// Always.
    On,
    /// Never (LSA alone).
    Off,
}

/// `auto` adds word vectors when the median document has at most this many distinct terms:
/// headlines and titles have 3–10, snippets 10–20, news articles 50 and more.
pub const SHORT_TEXT_TERMS: usize = 20;
/// ... and there are at least this many documents (fewer give too few co-occurrences to learn
/// word similarity from).
pub const MIN_DOCS: usize = 1000;
/// Dimensions of the word vectors.
pub const WORD_DIMS: usize = 50;
/// SIF's `a`: words with a share of the occurrences well above it weigh less.
pub const SIF_A: f64 = 1e-3;
/// The documents' mean norm in the word-vector part relative to the LSA part. At equal norms
/// (1.0) the 2016 headlines' topics moved more when 1% of the headlines were left out (NMI
/// between the partitions, mean of 4 such samples: 0.680, against 0.716 for LSA alone); at 0.7
/// they moved less (0.761), and the titles' gold-label NMI kept most of the gain (see
/// BENCHMARKS.md).
pub const WORD_WEIGHT: f64 = 0.7;
/// Context-distribution smoothing of PPMI.
const CONTEXT_ALPHA: f64 = 0.75;
/// Terms of one document counted as co-occurring (its heaviest): bounds the pairs at 2,016 per
/// document when word vectors are asked for on long texts.
pub const MAX_CONTEXT_TERMS: usize = 64;

impl WordVectors {
    /// Whether word vectors join the basis for the TF-IDF rows `x` (CSR).
    pub fn applies(self, x: &CsMat<f32>) -> bool {
        match self {
            WordVectors::On => true,
            WordVectors::Off => false,
            WordVectors::Auto => {
                if x.rows() < MIN_DOCS {
                    return false;
                }
                let mut lens: Vec<usize> = x.outer_iterator().map(|r| r.nnz()).collect();
                let mid = lens.len() / 2;
                *lens.select_nth_unstable(mid).1 <= SHORT_TEXT_TERMS
            }
        }
    }
}

/// The basis `lsa` (fitted on `x`) with the word-vector columns appended (module docs); `lsa`
/// unchanged when the documents share no pair of terms.
pub fn augment(lsa: LsaModel, x: &CsMat<f32>, seed: u64) -> Result<LsaModel> {
    let m = x.cols();
    let Some(ppmi) = ppmi(&cooccurrences(x), m) else {
        return Ok(lsa);
    };
    let params = SvdParams {
        dims: WORD_DIMS,
        seed,
        fit_rows: m.max(1000),
        ..SvdParams::default()
    }
    .check()?;
    let words = super::fit_basis(&ppmi, &params)?;
    // p(w): the term's share of the occurrences (document frequencies: a short text rarely
    // repeats a word).
    let mut df = vec![0u64; m];
    for &j in x.indices() {
        df[j] += 1;
    }
    let total = df.iter().sum::<u64>().max(1) as f64;
    let mut w = words.components;
    for (mut row, &f) in w.axis_iter_mut(Axis(0)).zip(&df) {
        let sif = SIF_A / (SIF_A + f as f64 / total);
        for (e, &s) in row.iter_mut().zip(&words.singular_values) {
            *e = (*e as f64 * (s as f64).sqrt() * sif) as f32;
        }
    }
    // The common direction u: top eigenvector of SᵀS, S = X W (documents × d).
    let s = spmm(x, w.view())?;
    let (_, vecs) = eigh_desc(&gram(&s).mapv(f64::from))?;
    let u: Vec<f64> = vecs.column(0).to_vec();
    let project = |mut a: Array2<f32>| {
        for mut row in a.rows_mut() {
            let dot: f64 = row.iter().zip(&u).map(|(&e, &ui)| e as f64 * ui).sum();
            for (e, &ui) in row.iter_mut().zip(&u) {
                *e = (*e as f64 - dot * ui) as f32;
            }
        }
        a
    };
    let w = project(w);
    let s = project(s);
    // The documents' mean norm in the word part: WORD_WEIGHT times theirs in the LSA part.
    let lsa_norm = mean_row_norm(&spmm(x, lsa.components.view())?);
    let word_norm = mean_row_norm(&s);
    if word_norm <= 0.0 {
        return Ok(lsa);
    }
    let scale = (WORD_WEIGHT * lsa_norm / word_norm) as f32;
    let w = w.mapv(|e| e * scale);
    Ok(LsaModel {
        components: concatenate![Axis(1), lsa.components, w],
        ..lsa
    })
}

/// Mean L2 norm of the rows (summed in row order).
fn mean_row_norm(a: &Array2<f32>) -> f64 {
    if a.nrows() == 0 {
        return 0.0;
    }
    let sum: f64 = a
        .rows()
        .into_iter()
        .map(|r| r.iter().map(|&e| e as f64 * e as f64).sum::<f64>().sqrt())
        .sum();
    sum / a.nrows() as f64
}

/// Pairs `(a, b)`, `a < b`, of terms that occur in the same document, with the number of such
/// documents, sorted by `(a, b)`.
fn cooccurrences(x: &CsMat<f32>) -> Vec<(u32, u32, u32)> {
    const BLOCK: usize = 1024;
    let n = x.rows();
    let mut keys: Vec<u64> = (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .flat_map_iter(|b| {
            let mut keys = Vec::new();
            let mut terms: Vec<(f32, usize)> = Vec::new();
            for i in b * BLOCK..((b + 1) * BLOCK).min(n) {
                let row = x.outer_view(i).expect("row in range");
                terms.clear();
                terms.extend(row.iter().map(|(j, &v)| (v, j)));
                if terms.len() > MAX_CONTEXT_TERMS {
                    terms.sort_unstable_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)));
                    terms.truncate(MAX_CONTEXT_TERMS);
                }
                terms.sort_unstable_by_key(|t| t.1);
                for (i, &(_, a)) in terms.iter().enumerate() {
                    for &(_, b) in &terms[i + 1..] {
                        keys.push(((a as u64) << 32) | b as u64);
                    }
                }
            }
            keys
        })
        .collect();
    keys.par_sort_unstable();
    let mut out: Vec<(u32, u32, u32)> = Vec::new();
    for k in keys {
        let (a, b) = ((k >> 32) as u32, k as u32);
        match out.last_mut() {
            Some(last) if (last.0, last.1) == (a, b) => last.2 += 1,
            _ => out.push((a, b, 1)),
        }
    }
    out
}

/// The symmetric m × m PPMI matrix (CSR) of the pair counts, or `None` when no pair has a
/// positive PMI.
fn ppmi(pairs: &[(u32, u32, u32)], m: usize) -> Option<CsMat<f32>> {
    let mut rows: Vec<Vec<(u32, f64)>> = vec![Vec::new(); m];
    let mut marginal = vec![0f64; m];
    for &(a, b, c) in pairs {
        marginal[a as usize] += c as f64;
        marginal[b as usize] += c as f64;
        rows[a as usize].push((b, c as f64));
        rows[b as usize].push((a, c as f64));
    }
    let smoothed: Vec<f64> = marginal.iter().map(|&c| c.powf(CONTEXT_ALPHA)).collect();
    let z: f64 = smoothed.iter().sum();
    let mut indptr = Vec::with_capacity(m + 1);
    let mut indices = Vec::new();
    let mut data = Vec::new();
    indptr.push(0);
    for (a, row) in rows.iter_mut().enumerate() {
        row.sort_unstable_by_key(|e| e.0);
        for &(b, c) in row.iter() {
            let pmi = (c * z / (marginal[a] * smoothed[b as usize])).ln();
            if pmi > 0.0 {
                indices.push(b as usize);
                data.push(pmi as f32);
            }
        }
        indptr.push(indices.len());
    }
    if indices.is_empty() {
        return None;
    }
    Some(CsMat::new((m, m), indptr, indices, data))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CSR rows of 1s from term lists.
    fn docs(rows: &[&[usize]], m: usize) -> CsMat<f32> {
        let mut indptr = vec![0];
        let mut indices = Vec::new();
        for r in rows {
            indices.extend_from_slice(r);
            indptr.push(indices.len());
        }
        let data = vec![1.0; indices.len()];
        CsMat::new((rows.len(), m), indptr, indices, data)
    }

    #[test]
    fn pairs_are_counted_once_per_document() {
        let x = docs(&[&[0, 1, 2], &[1, 2], &[3]], 4);
        assert_eq!(cooccurrences(&x), vec![(0, 1, 1), (0, 2, 1), (1, 2, 2)]);
    }

    #[test]
    fn ppmi_matches_the_formula() {
        // Marginals: c0 = 1 + 1 = 2, c1 = 1 + 2 = 3, c2 = 1 + 2 = 3.
        let pairs = [(0, 1, 1), (0, 2, 1), (1, 2, 2)];
        let p = ppmi(&pairs, 3).unwrap();
        let s = |c: f64| c.powf(0.75);
        let z = s(2.0) + s(3.0) + s(3.0);
        let expect = |c: f64, a: f64, b: f64| (c * z / (a * s(b))).ln().max(0.0);
        let got = |a: usize, b: usize| p.get(a, b).copied().unwrap_or(0.0) as f64;
        assert!((got(1, 2) - expect(2.0, 3.0, 3.0)).abs() < 1e-5);
        assert!((got(0, 1) - expect(1.0, 2.0, 3.0)).abs() < 1e-5);
        assert!((got(1, 0) - expect(1.0, 3.0, 2.0)).abs() < 1e-5);
        assert_eq!(p.get(0, 0), None);
    }

    #[test]
    fn short_collections_get_word_vectors_and_long_ones_not() {
        let short: Vec<Vec<usize>> = (0..MIN_DOCS).map(|i| vec![i % 7, 7 + i % 5]).collect();
        let rows: Vec<&[usize]> = short.iter().map(Vec::as_slice).collect();
        assert!(WordVectors::Auto.applies(&docs(&rows, 12)));
        assert!(!WordVectors::Off.applies(&docs(&rows, 12)));
        let long: Vec<Vec<usize>> = (0..MIN_DOCS).map(|_| (0..30).collect()).collect();
        let rows: Vec<&[usize]> = long.iter().map(Vec::as_slice).collect();
        assert!(!WordVectors::Auto.applies(&docs(&rows, 30)));
        assert!(WordVectors::On.applies(&docs(&rows, 30)));
        let few: Vec<&[usize]> = vec![&[0, 1]; MIN_DOCS - 1];
        assert!(!WordVectors::Auto.applies(&docs(&few, 2)));
    }

    /// Two stories told in two vocabularies each: "quarterly profit" headlines use either
    /// {qtr, net} or {quarter, profit}, always with a company word shared by both; "merger"
    /// headlines use {acquire, stake} or {buy, merger}. Headlines that share no word with each
    /// other come out closer within a story than across stories once word vectors are added.
    #[test]
    fn synonyms_learned_from_shared_contexts_bring_headlines_together() {
        // Terms: 0 qtr, 1 net, 2 quarter, 3 profit, 4 acquire, 5 stake, 6 buy, 7 merger,
        // 8..14 companies that report profits, 14..20 companies in mergers.
        let m = 20;
        let mut rows: Vec<Vec<usize>> = Vec::new();
        for i in 0..1200 {
            // Story (profit or merger), its vocabulary, and a company of that story's own.
            let (story, variant, company) = (i % 2, (i / 2) % 2, (i / 4) % 6);
            let mut r = match (story, variant) {
                (0, 0) => vec![0, 1],
                (0, _) => vec![2, 3],
                (_, 0) => vec![4, 5],
                _ => vec![6, 7],
            };
            r.push(8 + 6 * story + company);
            r.sort_unstable();
            rows.push(r);
        }
        let refs: Vec<&[usize]> = rows.iter().map(Vec::as_slice).collect();
        let x = docs(&refs, m);
        let params = SvdParams {
            dims: 4,
            ..SvdParams::default()
        }
        .check()
        .unwrap();
        let lsa = super::super::fit_basis(&x, &params).unwrap();
        let k = lsa.dims();
        let both = augment(lsa.clone(), &x, 0).unwrap();
        assert!(both.dims() > k);
        let cos = |model: &LsaModel, a: &[usize], b: &[usize]| {
            let (ea, eb) = (
                model.transform(&docs(&[a], m)).unwrap(),
                model.transform(&docs(&[b], m)).unwrap(),
            );
            ea.row(0).dot(&eb.row(0))
        };
        let (qtr_net, quarter_profit, buy_merger) = ([0, 1], [2, 3], [6, 7]);
        let same = cos(&both, &qtr_net, &quarter_profit);
        let other = cos(&both, &qtr_net, &buy_merger);
        let same_lsa = cos(&lsa, &qtr_net, &quarter_profit);
        assert!(
            same > other + 0.05,
            "same story {same}, other story {other}"
        );
        assert!(
            same > same_lsa + 0.05,
            "with word vectors {same}, LSA alone {same_lsa}"
        );
    }
}
