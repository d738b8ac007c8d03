//! Stage 3: TF-IDF vectors.
//!
//! For term t in document d with raw count c(t,d), over a collection of n documents of which
//! df(t) contain t (Manning, Raghavan & Schütze 2008, *Introduction to Information Retrieval*,
//! §6.2–6.4; the same variants as scikit-learn's `TfidfVectorizer(sublinear_tf=True)`):
//!
//! - sublinear tf: `tf = 1 + ln c(t,d)` (or `tf = c(t,d)` when off);
//! - smooth idf: `idf(t) = ln((1 + n) / (1 + df(t))) + 1` (or `ln(n / df(t)) + 1` when off);
//! - `w(t,d) = tf · idf(t)`, and each row is divided by its L2 norm (rows with no kept term stay 0).
//!
//! The vocabulary keeps terms with `min_df ≤ df(t) ≤ max_df · n`, then, with `max_features`, the
//! most frequent ones by collection count (ties by key). Columns are in the keys' byte order, so
//! the matrix never depends on hash order or thread count.
//!
//! Document frequencies are plain counts keyed by term ([`DocFreqs`]) and merge by addition, so
//! shards of a large collection can be counted apart and combined before [`fit_from_freqs`].

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use crate::kernel;
use crate::params::{param_guard, Checked, Validate};
use crate::text::{AnalyzedCorpus, TermTable};
use crate::{Error, Result, FORMAT_VERSION};

/// A document-frequency bound: an absolute count or a fraction of the documents.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DfBound {
    /// At least / at most this many documents.
    Count(u64),
    /// At least / at most this fraction of the documents (0..=1).
    Fraction(f64),
}

impl DfBound {
    /// The bound in documents for a collection of `n` documents (fractions round up for a
    /// minimum, down for a maximum).
    pub fn docs(self, n: u64, is_min: bool) -> u64 {
        match self {
            DfBound::Count(c) => c,
            DfBound::Fraction(f) if is_min => (f * n as f64).ceil() as u64,
            DfBound::Fraction(f) => (f * n as f64).floor() as u64,
        }
    }
}

impl std::str::FromStr for DfBound {
    type Err = String;
    /// `5` → 5 documents; `0.01` or `1%` → a fraction.
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let s = s.trim();
        if let Some(p) = s.strip_suffix('%') {
            let v: f64 = p.parse().map_err(|_| format!("not a percentage: {s}"))?;
            return Ok(DfBound::Fraction(v / 100.0));
        }
        if let Ok(c) = s.parse::<u64>() {
            return Ok(DfBound::Count(c));
        }
        s.parse::<f64>()
            .map(DfBound::Fraction)
            .map_err(|_| format!("expected a count (5) or a fraction (0.01): {s}"))
    }
}

impl std::fmt::Display for DfBound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DfBound::Count(c) => write!(f, "{c}"),
            DfBound::Fraction(x) => write!(f, "{x}"),
        }
    }
}

/// Unchecked TF-IDF settings; `check()` ([`crate::params::ParamGuard`]) validates them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfidfParams {
    /// Minimum document frequency; `None` = automatic: `min(5, 1 + n/200)` documents, so a
    /// demo-sized collection keeps words seen twice and a large one drops rare noise.
    pub min_df: Option<DfBound>,
    /// Maximum document frequency (default: fraction 0.5).
    pub max_df: DfBound,
    /// Keep at most this many terms (most frequent first).
    pub max_features: Option<usize>,
    /// `1 + ln(count)` instead of the raw count (default true).
    pub sublinear_tf: bool,
    /// Smooth idf (default true).
    pub smooth_idf: bool,
}

impl Default for TfidfParams {
    fn default() -> Self {
        TfidfParams {
            min_df: None,
            max_df: DfBound::Fraction(0.5),
            max_features: None,
            sublinear_tf: true,
            smooth_idf: true,
        }
    }
}

impl Validate for TfidfParams {
    fn validate(&self) -> Result<()> {
        for (name, b) in [
            ("vectorize.min_df", self.min_df),
            ("vectorize.max_df", Some(self.max_df)),
        ] {
            if let Some(DfBound::Fraction(f)) = b {
                if !(0.0..=1.0).contains(&f) || f.is_nan() {
                    return Err(Error::param(name, f, "a fraction must be within 0..=1"));
                }
            }
        }
        if self.max_df == DfBound::Count(0) || self.max_df == DfBound::Fraction(0.0) {
            return Err(Error::param(
                "vectorize.max_df",
                self.max_df,
                "would remove every term",
            ));
        }
        if self.max_features == Some(0) {
            return Err(Error::param(
                "vectorize.max_features",
                0,
                "must be at least 1",
            ));
        }
        Ok(())
    }
}

param_guard!(TfidfParams);

/// Validated [`TfidfParams`].
pub type ValidTfidfParams = Checked<TfidfParams>;

/// Document and collection frequencies keyed by term; mergeable across shards.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocFreqs {
    /// Documents counted.
    pub n_docs: u64,
    /// Per term key: (documents containing it, total occurrences, display label).
    pub terms: BTreeMap<String, TermFreq>,
}

/// Frequencies of one term.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TermFreq {
    /// Document frequency.
    pub df: u64,
    /// Collection frequency (occurrences).
    pub cf: u64,
    /// Display label (from the shard where the term was most frequent).
    pub label: String,
}

impl DocFreqs {
    /// Counts an analysed collection.
    pub fn from_corpus(corpus: &AnalyzedCorpus) -> DocFreqs {
        Self::within(corpus, 1, u64::MAX)
    }

    /// Counts an analysed collection, keeping only terms with `min_df ≤ df ≤ max_df`.
    fn within(corpus: &AnalyzedCorpus, min_df: u64, max_df: u64) -> DocFreqs {
        let (df, cf) = count_terms(corpus);
        let terms = corpus
            .terms
            .keys
            .iter()
            .enumerate()
            .filter(|&(t, _)| df[t] >= min_df && df[t] <= max_df)
            .map(|(t, k)| {
                let label = corpus.terms.labels[t].clone();
                (
                    k.clone(),
                    TermFreq {
                        df: df[t],
                        cf: cf[t],
                        label,
                    },
                )
            })
            .collect();
        DocFreqs {
            n_docs: corpus.docs.len() as u64,
            terms,
        }
    }

    /// Adds another shard's counts.
    pub fn merge(&mut self, other: &DocFreqs) {
        self.n_docs += other.n_docs;
        for (k, f) in &other.terms {
            let e = self.terms.entry(k.clone()).or_default();
            if f.cf > e.cf {
                e.label = f.label.clone();
            }
            e.df += f.df;
            e.cf += f.cf;
        }
    }
}

/// Per term id: document frequency and collection frequency.
fn count_terms(corpus: &AnalyzedCorpus) -> (Vec<u64>, Vec<u64>) {
    let n_terms = corpus.terms.keys.len();
    corpus
        .docs
        .par_chunks(4096)
        .map(|docs| {
            let mut df = vec![0u64; n_terms];
            let mut cf = vec![0u64; n_terms];
            for d in docs {
                for &(t, c) in &d.counts {
                    df[t as usize] += 1;
                    cf[t as usize] += c as u64;
                }
            }
            (df, cf)
        })
        .reduce(
            || (vec![0; n_terms], vec![0; n_terms]),
            |(mut a, mut b), (c, d)| {
                a.iter_mut().zip(c).for_each(|(x, y)| *x += y);
                b.iter_mut().zip(d).for_each(|(x, y)| *x += y);
                (a, b)
            },
        )
}

/// A fitted TF-IDF vectorizer: vocabulary and IDF, serialisable and applicable to new text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfidfModel {
    /// Format version ([`FORMAT_VERSION`]).
    pub version: u32,
    /// The settings it was fitted with.
    pub params: TfidfParams,
    /// Documents it was fitted on.
    pub n_docs: u64,
    /// Term keys, one per column, in byte order.
    pub keys: Vec<String>,
    /// Display label per column.
    pub labels: Vec<String>,
    /// Document frequency per column.
    pub df: Vec<u64>,
    /// IDF per column.
    pub idf: Vec<f32>,
}

/// Sparse document × term matrix: CSR, rows L2-normalised TF-IDF, columns as in the model.
pub type DocTermMatrix = CsMat<f32>;

/// Fits the vocabulary and IDF on a collection.
pub fn fit(corpus: &AnalyzedCorpus, params: &ValidTfidfParams) -> Result<TfidfModel> {
    // Same result as `fit_from_freqs(&DocFreqs::from_corpus(corpus))`, without building the
    // keyed table (on 20 Newsgroups a third of this stage, on one thread).
    let n = corpus.docs.len() as u64;
    let (min_df, max_df) = df_bounds(params, n);
    let (df, cf) = count_terms(corpus);
    let terms = &corpus.terms;
    let mut kept: Vec<Candidate<'_>> = (0..terms.keys.len())
        .filter(|&t| df[t] >= min_df && df[t] <= max_df)
        .map(|t| Candidate {
            key: &terms.keys[t],
            label: &terms.labels[t],
            df: df[t],
            cf: cf[t],
        })
        .collect();
    kept.par_sort_unstable_by(|a, b| a.key.cmp(b.key));
    build_model(n, kept, params)
}

/// `(min_df, max_df)` in documents for a collection of `n`.
fn df_bounds(params: &ValidTfidfParams, n: u64) -> (u64, u64) {
    let min_df = params
        .min_df
        .map(|b| b.docs(n, true))
        .unwrap_or_else(|| (1 + n / 200).min(5))
        .max(1);
    (min_df, params.max_df.docs(n, false))
}

/// Fits from (possibly merged) frequencies.
pub fn fit_from_freqs(freqs: &DocFreqs, params: &ValidTfidfParams) -> Result<TfidfModel> {
    let n = freqs.n_docs;
    let (min_df, max_df) = df_bounds(params, n);
    let kept: Vec<Candidate<'_>> = freqs
        .terms
        .iter()
        .filter(|(_, f)| f.df >= min_df && f.df <= max_df)
        .map(|(k, f)| Candidate {
            key: k,
            label: &f.label,
            df: f.df,
            cf: f.cf,
        })
        .collect();
    build_model(n, kept, params)
}

/// A term that passed the document-frequency bounds.
struct Candidate<'a> {
    key: &'a str,
    label: &'a str,
    df: u64,
    cf: u64,
}

/// The model of `n` documents over `kept` (keys unique, in byte order): `max_features`, IDF.
fn build_model(
    n: u64,
    mut kept: Vec<Candidate<'_>>,
    params: &ValidTfidfParams,
) -> Result<TfidfModel> {
    if let Some(m) = params.max_features {
        if kept.len() > m {
            kept.sort_by(|a, b| b.cf.cmp(&a.cf).then_with(|| a.key.cmp(b.key)));
            kept.truncate(m);
            kept.sort_by(|a, b| a.key.cmp(b.key));
        }
    }
    if kept.is_empty() {
        let (min_df, max_df) = df_bounds(params, n);
        return Err(Error::NotEnoughData(format!(
            "no term occurs in at least {min_df} and at most {max_df} of the {n} documents; \
             lower vectorize.min_df or raise vectorize.max_df"
        )));
    }
    let idf = kept
        .iter()
        .map(|c| {
            let (n, df) = (n as f64, c.df as f64);
            let v = if params.smooth_idf {
                ((1.0 + n) / (1.0 + df)).ln() + 1.0
            } else {
                (n / df).ln() + 1.0
            };
            v as f32
        })
        .collect();
    Ok(TfidfModel {
        version: FORMAT_VERSION,
        params: (**params).clone(),
        n_docs: n,
        keys: kept.iter().map(|c| c.key.to_string()).collect(),
        labels: kept.iter().map(|c| c.label.to_string()).collect(),
        df: kept.iter().map(|c| c.df).collect(),
        idf,
    })
}

impl TfidfModel {
    /// Number of columns.
    pub fn n_terms(&self) -> usize {
        self.keys.len()
    }

    /// Column of each term of `terms` (`u32::MAX` when the model does not know it).
    pub fn columns_of(&self, terms: &TermTable) -> Vec<u32> {
        let index: ahash::AHashMap<&str, u32> = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i as u32))
            .collect();
        terms
            .keys
            .iter()
            .map(|k| index.get(k.as_str()).copied().unwrap_or(u32::MAX))
            .collect()
    }

    /// TF-IDF rows of an analysed collection (any collection: terms are matched by key).
    pub fn transform(&self, corpus: &AnalyzedCorpus) -> DocTermMatrix {
        self.transform_with_counts(corpus).0
    }

    /// Raw term counts of a collection in this model's columns (CSR, unweighted), e.g. for
    /// class-based term weights.
    pub fn counts(&self, corpus: &AnalyzedCorpus) -> DocTermMatrix {
        self.transform_with_counts(corpus).1
    }

    /// [`TfidfModel::transform`] and [`TfidfModel::counts`] in one pass: both matrices have the
    /// same non-zeros. Each row's length is counted first, so the CSR arrays are allocated once
    /// at their final size and filled in parallel, chunk by chunk (at 1M articles, collecting
    /// rows and growing the arrays had doubled this stage's memory).
    pub fn transform_with_counts(&self, corpus: &AnalyzedCorpus) -> (DocTermMatrix, DocTermMatrix) {
        const ROWS: usize = 1024;
        let cols = self.columns_of(&corpus.terms);
        let docs = &corpus.docs;
        let lens: Vec<usize> = docs
            .par_iter()
            .map(|d| {
                d.counts
                    .iter()
                    .filter(|&&(t, _)| cols[t as usize] != u32::MAX)
                    .count()
            })
            .collect();
        let mut indptr = Vec::with_capacity(docs.len() + 1);
        indptr.push(0usize);
        for &l in &lens {
            indptr.push(indptr.last().copied().unwrap_or(0) + l);
        }
        let nnz = *indptr.last().unwrap_or(&0);
        let mut indices = vec![0usize; nnz];
        let mut indices2 = vec![0usize; nnz];
        let mut weights = vec![0f32; nnz];
        let mut counts = vec![0f32; nnz];
        // Split the arrays at chunk boundaries so chunks fill disjoint slices in parallel.
        let mut parts = Vec::with_capacity(docs.len().div_ceil(ROWS));
        let (mut ri, mut rj) = (&mut indices[..], &mut indices2[..]);
        let (mut rw, mut rc) = (&mut weights[..], &mut counts[..]);
        for c in 0..docs.len().div_ceil(ROWS) {
            let (a, b) = (c * ROWS, ((c + 1) * ROWS).min(docs.len()));
            let len = indptr[b] - indptr[a];
            let (i, i2) = std::mem::take(&mut ri).split_at_mut(len);
            let (j, j2) = std::mem::take(&mut rj).split_at_mut(len);
            let (w, w2) = std::mem::take(&mut rw).split_at_mut(len);
            let (n, n2) = std::mem::take(&mut rc).split_at_mut(len);
            (ri, rj, rw, rc) = (i2, j2, w2, n2);
            parts.push((a..b, i, j, w, n));
        }
        parts.into_par_iter().for_each_with(
            Vec::<(u32, u32)>::new(),
            |row, (range, idx, idx2, w, cnt)| {
                let mut off = 0;
                for d in &docs[range] {
                    row.clear();
                    row.extend(d.counts.iter().filter_map(|&(t, c)| {
                        let col = cols[t as usize];
                        (col != u32::MAX).then_some((col, c))
                    }));
                    row.sort_unstable_by_key(|&(c, _)| c);
                    let span = off..off + row.len();
                    for (&(col, _), j) in row.iter().zip(&mut idx2[span.clone()]) {
                        *j = col as usize;
                    }
                    for ((&(col, c), i), (wv, cv)) in row
                        .iter()
                        .zip(&mut idx[span.clone()])
                        .zip(w[span.clone()].iter_mut().zip(&mut cnt[span]))
                    {
                        let tf = if self.params.sublinear_tf {
                            1.0 + (c as f32).ln()
                        } else {
                            c as f32
                        };
                        *i = col as usize;
                        *wv = tf * self.idf[col as usize];
                        *cv = c as f32;
                    }
                    let wr = &mut w[off..off + row.len()];
                    let norm = wr
                        .iter()
                        .map(|&v| (v as f64) * (v as f64))
                        .sum::<f64>()
                        .sqrt();
                    if norm > 0.0 {
                        wr.iter_mut().for_each(|v| *v = (*v as f64 / norm) as f32);
                    }
                    off += row.len();
                }
            },
        );
        let shape = (docs.len(), self.n_terms());
        // Both matrices are valid CSR by construction (rows sorted by column, columns in
        // range, `indptr` the running row lengths), checked in parallel by `csr_checked`.
        let csr = |indices, data| {
            kernel::csr_checked(shape, indptr.clone(), indices, data)
                .expect("rows sorted by column, columns in range")
        };
        (csr(indices, weights), csr(indices2, counts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::AnalyzedDoc;
    use crate::ParamGuard;

    /// Terms: 0 "apple", 1 "banana", 2 "cherry", 3 "date".
    fn corpus() -> AnalyzedCorpus {
        let keys = ["cherry", "apple", "banana", "date"]
            .map(String::from)
            .to_vec();
        AnalyzedCorpus {
            terms: TermTable {
                labels: keys.clone(),
                keys,
            },
            docs: vec![
                AnalyzedDoc {
                    counts: vec![(0, 1), (1, 3)],
                },
                AnalyzedDoc {
                    counts: vec![(1, 1), (2, 1)],
                },
                AnalyzedDoc {
                    counts: vec![(2, 2), (3, 1)],
                },
            ],
            n_words: 9,
            phrases: Vec::new(),
        }
    }

    fn params(min_df: u64, max_df: f64) -> ValidTfidfParams {
        TfidfParams {
            min_df: Some(DfBound::Count(min_df)),
            max_df: DfBound::Fraction(max_df),
            ..Default::default()
        }
        .check()
        .unwrap()
    }

    #[test]
    fn hand_computed_tfidf() {
        let c = corpus();
        let m = fit(&c, &params(1, 1.0)).unwrap();
        assert_eq!(m.keys, ["apple", "banana", "cherry", "date"]);
        // n = 3; df: apple 2, banana 2, cherry 1, date 1.
        // idf = ln(4/3)+1 = 1.2876821 for df 2; ln(4/2)+1 = 1.6931472 for df 1.
        let close = |a: f32, b: f64| (a as f64 - b).abs() < 1e-6;
        assert!(close(m.idf[0], 1.287_682_072) && close(m.idf[2], 1.693_147_181));
        let x = m.transform(&c);
        // Doc 0: apple tf = 1 + ln 3 = 2.0986123 → 2.0986123·1.2876821 = 2.7023454;
        // cherry 1·1.6931472; norm = sqrt(2.7023454² + 1.6931472²) = 3.1889525.
        let row: Vec<(usize, f32)> = x
            .outer_view(0)
            .unwrap()
            .iter()
            .map(|(c, &v)| (c, v))
            .collect();
        assert_eq!(row.len(), 2);
        assert_eq!((row[0].0, row[1].0), (0, 2));
        assert!(close(row[0].1, 2.702_345_4 / 3.188_952_5), "{row:?}");
        assert!(close(row[1].1, 1.693_147_2 / 3.188_952_5), "{row:?}");
        // Doc 1: apple and banana, both tf 1 and idf equal → 1/√2 each.
        let r1: Vec<f32> = x.outer_view(1).unwrap().iter().map(|(_, &v)| v).collect();
        assert!(
            close(r1[0], std::f64::consts::FRAC_1_SQRT_2)
                && close(r1[1], std::f64::consts::FRAC_1_SQRT_2)
        );
    }

    #[test]
    fn df_bounds_and_max_features() {
        let c = corpus();
        // max_df 0.5 of 3 docs = 1 → only df-1 terms stay.
        let m = fit(&c, &params(1, 0.5)).unwrap();
        assert_eq!(m.keys, ["cherry", "date"]);
        let m = fit(&c, &params(2, 1.0)).unwrap();
        assert_eq!(m.keys, ["apple", "banana"]);
        assert!(fit(&c, &params(3, 1.0)).is_err());
        let p = TfidfParams {
            min_df: Some(DfBound::Count(1)),
            max_df: DfBound::Fraction(1.0),
            max_features: Some(2),
            ..Default::default()
        };
        // Collection counts: apple 4, banana 3, cherry 1, date 1.
        assert_eq!(
            fit(&c, &p.check().unwrap()).unwrap().keys,
            ["apple", "banana"]
        );
        // A document left without terms gets an all-zero row.
        let m = fit(&c, &params(1, 0.5)).unwrap();
        assert_eq!(m.transform(&c).outer_view(1).unwrap().nnz(), 0);
    }

    #[test]
    fn merged_shards_equal_the_whole() {
        let c = corpus();
        let mut a = AnalyzedCorpus {
            docs: c.docs[..1].to_vec(),
            ..c.clone()
        };
        let b = AnalyzedCorpus {
            docs: c.docs[1..].to_vec(),
            ..c.clone()
        };
        let mut fa = DocFreqs::from_corpus(&a);
        fa.merge(&DocFreqs::from_corpus(&b));
        assert_eq!(fa, DocFreqs::from_corpus(&c));
        a.docs.clear();
        assert_eq!(DocFreqs::from_corpus(&a).n_docs, 0);
    }

    #[test]
    fn parse_and_validate_bounds() {
        assert_eq!("5".parse::<DfBound>().unwrap(), DfBound::Count(5));
        assert_eq!("0.01".parse::<DfBound>().unwrap(), DfBound::Fraction(0.01));
        assert_eq!("2%".parse::<DfBound>().unwrap(), DfBound::Fraction(0.02));
        assert!("x".parse::<DfBound>().is_err());
        assert!(TfidfParams {
            max_df: DfBound::Fraction(1.5),
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(TfidfParams {
            max_df: DfBound::Count(0),
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(TfidfParams {
            max_features: Some(0),
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(TfidfParams {
            min_df: Some(DfBound::Fraction(-0.1)),
            ..Default::default()
        }
        .check()
        .is_err());
    }
}
