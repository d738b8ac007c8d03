//! Stage 4: latent semantic analysis by randomized truncated SVD.
//!
//! For the n × m TF-IDF matrix X and target rank k, with l = k + p columns (p = oversampling),
//! the randomized range finder with q power iterations (Halko, Martinsson & Tropp 2011, "Finding
//! structure with randomness", Algorithms 4.3/4.4):
//!
//! 1. Ω: m × l with i.i.d. N(0,1) entries from the seeded generator;
//! 2. Q = orth(X Ω); then q times: Z = Xᵀ Q, Q = orth(X Z) (Halko et al. orthonormalise Z too;
//!    one product between two orthonormalisations is numerically safe in practice). These
//!    products take their dense operand rounded to half precision ([`kernel::HalfMatrix`]):
//!    they are bound by the bytes of the operand rows they gather, and the intermediate bases
//!    only steer the subspace (20 Newsgroups, BBC, Reuters-21578: same k, NMI within 2·10⁻⁴);
//! 3. B = Qᵀ X (l × m); the eigen-decomposition B Bᵀ = U_B Λ U_Bᵀ gives σᵢ = √λᵢ;
//! 4. V_k = Bᵀ U_B,k Σ_k⁻¹ (the term basis, m × k) and the document coordinates
//!    X V_k = Q U_B,k Σ_k = U_k Σ_k, as scikit-learn's `TruncatedSVD.fit_transform` returns;
//!    rows are then L2-normalised so Euclidean k-means on them behaves like cosine k-means.
//!
//! `orth` is CholeskyQR2 (Fukaya et al. 2014: two passes of R = chol(YᵀY), Q = Y R⁻¹): the
//! Gram products in f32 (blocked, summed in block order), the Cholesky factor and its inverse in
//! f64; the precise all-f64 version, then modified Gram–Schmidt, are the fallbacks when the Gram
//! matrix is too ill-conditioned. Intermediate bases get one pass, the final basis two. The
//! products after the range finder (B Bᵀ, V_k) are f32 too: in f64 they took a third of this
//! stage on 20 Newsgroups (0.65 s → 0.44 s on a loaded machine) and the clusterings of 20
//! Newsgroups, BBC and Reuters were identical over seeds 0–5. The sparse ×
//! dense products are written here (parallel over output rows, each row summed in a fixed order,
//! so results do not depend on the thread count): `sprs` has no parallel product, and
//! linfa-linalg's Householder QR took ~1 s per call on 20k × 110 (see `../shared/STACK.md`).
//! Each singular vector's sign is fixed so that its largest-magnitude term weight is positive.

use ndarray::{s, Array1, Array2, ArrayView2, Axis};
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use crate::kernel;
use crate::params::{param_guard, Checked, Validate};
use crate::{Error, Result, FORMAT_VERSION};

pub mod words;
pub use words::WordVectors;

/// Unchecked SVD settings; `check()` ([`crate::params::ParamGuard`]) validates them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SvdParams {
    /// Target rank k (default 80); lowered to what the matrix allows. Over seeds 0–19, mean
    /// NMI against the gold labels with 100, 80 and 64 dimensions: 20 Newsgroups 0.6306,
    /// 0.6304, 0.6239; BBC 0.8920, 0.8926, 0.8760; Reuters (single-label, k = 66) 0.5171,
    /// 0.5169, 0.5149. 80 dimensions cluster as well as the customary 100 on all three, with a
    /// fifth less work in this stage and in k-means; fewer lose quality.
    pub dims: usize,
    /// Oversampling p (default 10).
    pub oversample: usize,
    /// Power iterations q (default 4). Over seeds 0–19, mean NMI against the gold labels with
    /// q = 5 (scikit-learn's `TruncatedSVD` default) and q = 4: 20 Newsgroups 0.6306 and 0.6306,
    /// BBC 0.8872 and 0.8920, Reuters (single-label, k = 66) 0.5173 and 0.5171; q = 3 gave
    /// 0.6273 on 20 Newsgroups (worst seed 0.578). Each iteration costs two sparse products and
    /// a CholeskyQR pass, about 12% of the stage on 20 Newsgroups.
    pub power_iters: usize,
    /// Seed of Ω.
    pub seed: u64,
    /// Fit the basis on at most this many documents (evenly spaced rows, so deterministic), then
    /// project every document; default 50,000. On large collections the basis barely changes
    /// with more rows while the cost of the range finder grows with them.
    #[serde(default = "default_fit_rows")]
    pub fit_rows: usize,
    /// Word vectors learned from the collection, added to the basis ([`words`]): by default
    /// (`auto`) for collections of short texts (headlines, titles) only.
    #[serde(default)]
    pub word_vectors: WordVectors,
}

fn default_fit_rows() -> usize {
    50_000
}

impl Default for SvdParams {
    fn default() -> Self {
        SvdParams {
            dims: 80,
            oversample: 10,
            power_iters: 4,
            seed: 0,
            fit_rows: default_fit_rows(),
            word_vectors: WordVectors::default(),
        }
    }
}

impl Validate for SvdParams {
    fn validate(&self) -> Result<()> {
        if self.dims == 0 {
            return Err(Error::param("svd.dims", 0, "must be at least 1"));
        }
        if self.dims > 2000 {
            return Err(Error::param("svd.dims", self.dims, "at most 2000"));
        }
        if self.fit_rows < 1000 {
            return Err(Error::param("svd.fit_rows", self.fit_rows, "at least 1000"));
        }
        if self.power_iters > 20 {
            return Err(Error::param(
                "svd.power_iters",
                self.power_iters,
                "at most 20",
            ));
        }
        Ok(())
    }
}

param_guard!(SvdParams);

/// Validated [`SvdParams`].
pub type ValidSvdParams = Checked<SvdParams>;

/// The fitted LSA basis: projects TF-IDF rows to k dimensions (and, for short texts, further
/// word-vector dimensions, [`words`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LsaModel {
    /// Format version.
    pub version: u32,
    /// Singular values σ₁ ≥ … ≥ σ_k.
    pub singular_values: Vec<f32>,
    /// V_k, m × k (term × dimension), then any word-vector columns ([`words::augment`]):
    /// m × [`LsaModel::dims`].
    pub components: Array2<f32>,
}

/// Documents in LSA space: n × k, rows L2-normalised (all-zero rows stay zero).
pub type Embedding = Array2<f32>;

/// Fits the basis and returns it with the documents' normalised coordinates.
pub fn fit(x: &CsMat<f32>, params: &ValidSvdParams) -> Result<(LsaModel, Embedding)> {
    let csr;
    let x = if x.is_csr() {
        x
    } else {
        csr = x.to_csr();
        &csr
    };
    let model = fit_model(x, params)?;
    // Document coordinates X V_k (= U_k Σ_k up to the range finder's error), computed the same
    // way as `transform` so that fitted and newly projected documents agree exactly.
    let emb = model.transform(x)?;
    Ok((model, emb))
}

/// The LSA basis alone (what [`fit`] returns before projecting the documents): on at most
/// `fit_rows` evenly spaced rows of the CSR matrix `x`, with word-vector columns appended when
/// `word_vectors` applies ([`words`]).
pub fn fit_model(x: &CsMat<f32>, params: &ValidSvdParams) -> Result<LsaModel> {
    check_csr(x, "fit")?;
    let n = x.rows();
    let sample;
    let x = if n > params.fit_rows {
        let rows: Vec<usize> = (0..params.fit_rows)
            .map(|i| i * n / params.fit_rows)
            .collect();
        sample = select_rows(x, &rows)?;
        &sample
    } else {
        x
    };
    let lsa = fit_basis(x, params)?;
    if params.word_vectors.applies(x) {
        words::augment(lsa, x, params.seed)
    } else {
        Ok(lsa)
    }
}

/// The CSR matrix made of the given rows of CSR matrix `x`.
pub fn select_rows(x: &CsMat<f32>, rows: &[usize]) -> Result<CsMat<f32>> {
    check_csr(x, "select_rows")?;
    let mut indptr = vec![0usize];
    let mut indices = Vec::new();
    let mut data = Vec::new();
    for &r in rows {
        let row = x
            .outer_view(r)
            .ok_or_else(|| Error::param("row", r, format!("the matrix has {} rows", x.rows())))?;
        indices.extend_from_slice(row.indices());
        data.extend_from_slice(row.data());
        indptr.push(indices.len());
    }
    Ok(CsMat::new((rows.len(), x.cols()), indptr, indices, data))
}

/// An error unless `x` is stored by rows (CSR).
fn check_csr(x: &CsMat<f32>, what: &str) -> Result<()> {
    if x.is_csr() {
        Ok(())
    } else {
        Err(Error::param(
            "matrix",
            "CSC",
            format!("{what} needs a matrix stored by rows (CSR): convert it with to_csr()"),
        ))
    }
}

/// The LSA basis of `x`.
fn fit_basis(x: &CsMat<f32>, params: &ValidSvdParams) -> Result<LsaModel> {
    let (n, m) = x.shape();
    let max_rank = n.min(m);
    if max_rank == 0 {
        return Err(Error::NotEnoughData(
            "the document-term matrix is empty".into(),
        ));
    }
    let k = params.dims.min(max_rank);
    let l = (k + params.oversample).min(max_rank);
    // (Building the transpose alongside X Ω with `rayon::join` was slower: 41 ms against
    // 29 ms in a row, both threads faulting in fresh pages at once.)
    let xt = transpose(x)?;
    // The range finder's products take their dense operand in half precision (see
    // `kernel::half`: the products are bound by the bytes of the operand rows they gather);
    // Bᵀ = XᵀQ below, which the results are made of, takes it in f32.
    let mut y = spmm_half(x, gaussian(m, l, params.seed).view())?;
    for _ in 0..params.power_iters {
        let z = spmm_half(&xt, orth_fast(y).view())?;
        y = spmm_half(x, z.view())?;
    }
    let q = orth_fast(orth_fast(y));
    // Bᵀ = Xᵀ Q (m × l); B Bᵀ = (Xᵀ Q)ᵀ (Xᵀ Q), accumulated per block in f32 and factored in f64.
    let bt = spmm(&xt, q.view())?;
    let gram = gram(&bt).mapv(f64::from);
    let (vals, vecs) = eigh_desc(&gram)?;
    let sig: Vec<f64> = vals.iter().take(k).map(|&v| v.max(0.0).sqrt()).collect();
    // V_k = Bᵀ U_B Σ⁻¹ (U_B scaled by Σ⁻¹ first, so one product gives V).
    let mut ub = vecs.slice(s![.., ..k]).to_owned();
    for (j, &sj) in sig.iter().enumerate() {
        let inv = if sj > 1e-12 { 1.0 / sj } else { 0.0 };
        ub.column_mut(j).mapv_inplace(|e| e * inv);
    }
    let mut v = times(&bt, &ub.mapv(|e| e as f32));
    fix_signs(&mut v);
    Ok(LsaModel {
        version: FORMAT_VERSION,
        singular_values: sig.iter().map(|&s| s as f32).collect(),
        components: v,
    })
}

impl LsaModel {
    /// Coordinates of new TF-IDF rows (same columns as at fit, CSR or CSC), rows
    /// L2-normalised; an error if `x` has another number of columns than the fitted
    /// vocabulary.
    pub fn transform(&self, x: &CsMat<f32>) -> Result<Embedding> {
        if x.cols() != self.components.nrows() {
            return Err(Error::param(
                "matrix",
                format!("{} × {}", x.rows(), x.cols()),
                format!(
                    "has {} columns, the model's vocabulary {} terms",
                    x.cols(),
                    self.components.nrows()
                ),
            ));
        }
        if x.is_csr() {
            Ok(normalize_rows(spmm(x, self.components.view())?))
        } else {
            Ok(normalize_rows(spmm(&x.to_csr(), self.components.view())?))
        }
    }

    /// Number of dimensions.
    pub fn dims(&self) -> usize {
        self.components.ncols()
    }
}

/// An m × l matrix of i.i.d. N(0, 1) entries, drawn in parallel: block b of [`ROW_BLOCK`] rows
/// from its own generator seeded with (seed, b), so the result does not depend on the threads.
fn gaussian(m: usize, l: usize, seed: u64) -> Array2<f32> {
    kernel::par_blocks(m, l, ROW_BLOCK, |b| {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        for _ in 0..b {
            rng.long_jump();
        }
        std::iter::repeat_with(move || {
            let g: f64 = StandardNormal.sample(&mut rng);
            g as f32
        })
    })
}

/// Row-wise L2 normalisation. Rows with norm below 1e-6 (a unit TF-IDF row with no weight in
/// the LSA space: only rounding noise is left) become zero instead of amplified noise.
pub fn normalize_rows(mut a: Array2<f32>) -> Array2<f32> {
    a.axis_iter_mut(Axis(0)).into_par_iter().for_each(|mut r| {
        let n = r
            .iter()
            .map(|&v| (v as f64) * (v as f64))
            .sum::<f64>()
            .sqrt();
        if n > 1e-6 {
            r.mapv_inplace(|v| (v as f64 / n) as f32);
        } else {
            r.fill(0.0);
        }
    });
    a
}

/// Flips each column of `v` so that its largest-magnitude entry (the first one, on ties) is
/// positive. Rows are scanned in fixed blocks in parallel and the blocks' maxima combined in
/// order, which finds the same entries as a column-by-column scan.
fn fix_signs(v: &mut Array2<f32>) {
    let k = v.ncols();
    let parts: Vec<Vec<(f32, f32)>> = v
        .axis_chunks_iter(Axis(0), ROW_BLOCK)
        .into_par_iter()
        .map(|b| {
            let mut best = vec![(0f32, 1f32); k];
            for row in b.rows() {
                for (bj, &e) in best.iter_mut().zip(row.iter()) {
                    if e.abs() > bj.0 {
                        *bj = (e.abs(), e.signum());
                    }
                }
            }
            best
        })
        .collect();
    let mut best = vec![(0f32, 1f32); k];
    for p in parts {
        for (bj, pj) in best.iter_mut().zip(p) {
            if pj.0 > bj.0 {
                *bj = pj;
            }
        }
    }
    let signs: Vec<f32> = best.iter().map(|b| b.1).collect();
    if signs.iter().any(|&s| s < 0.0) {
        v.axis_iter_mut(Axis(0)).into_par_iter().for_each(|mut r| {
            for (e, &s) in r.iter_mut().zip(&signs) {
                *e *= s;
            }
        });
    }
}

/// CSR transpose (the CSR form of Xᵀ), built in parallel ([`kernel::transpose_csr`]); the
/// same matrix as a sequential transpose whatever the number of threads.
pub fn transpose(x: &CsMat<f32>) -> Result<CsMat<f32>> {
    check_csr(x, "transpose")?;
    Ok(kernel::transpose_csr(x))
}

/// Sparse (CSR, n × m) times dense (m × l), parallel over output rows.
pub fn spmm(x: &CsMat<f32>, d: ArrayView2<'_, f32>) -> Result<Array2<f32>> {
    check_csr(x, "spmm")?;
    let (n, m) = x.shape();
    if m != d.nrows() {
        return Err(Error::param(
            "matrix",
            format!("{n} × {m}"),
            format!("cannot multiply by a {} × {} matrix", d.nrows(), d.ncols()),
        ));
    }
    let d = d.as_standard_layout();
    let dense = d.as_slice().expect("standard layout");
    let indptr = x.indptr();
    Ok(kernel::spmm_csr(
        n,
        d.ncols(),
        indptr.raw_storage(),
        x.indices(),
        x.data(),
        dense,
    ))
}

/// [`spmm`] with `d` rounded to half precision first ([`kernel::HalfMatrix`]).
fn spmm_half(x: &CsMat<f32>, d: ArrayView2<'_, f32>) -> Result<Array2<f32>> {
    check_csr(x, "spmm")?;
    if x.cols() != d.nrows() {
        return Err(Error::param(
            "matrix",
            format!("{} × {}", x.rows(), x.cols()),
            format!("cannot multiply by a {} × {} matrix", d.nrows(), d.ncols()),
        ));
    }
    Ok(kernel::spmm_csr_half(x, &kernel::HalfMatrix::from_f32(d)))
}

/// Orthonormal basis of the columns of `y` (n × l), CholeskyQR2 with an MGS fallback.
fn orth(y: Array2<f32>) -> Array2<f32> {
    let y = y.mapv(f64::from);
    let q = cholesky_qr(&y)
        .and_then(|q1| cholesky_qr(&q1))
        .unwrap_or_else(|| mgs(y));
    q.mapv(|v| v as f32)
}

/// One CholeskyQR pass with f32 products (Gram factored in f64); the precise [`orth`] when the
/// Gram matrix is too ill-conditioned for it.
fn orth_fast(y: Array2<f32>) -> Array2<f32> {
    let g = gram(&y).mapv(f64::from);
    match cholesky_upper(&g).and_then(|r| invert_upper(&r)) {
        Some(rinv) => times_upper(&y, &rinv.mapv(|v| v as f32)),
        None => orth(y),
    }
}

fn cholesky_qr(y: &Array2<f64>) -> Option<Array2<f64>> {
    let g = gram(y);
    let r = cholesky_upper(&g)?;
    let rinv = invert_upper(&r)?;
    Some(times_upper(y, &rinv))
}

/// Rows per block in the blocked dense products below (fixed, so sums never depend on the
/// number of threads).
const ROW_BLOCK: usize = 2048;

/// Column panels of the Gram and triangular products: widths of [`PANEL`] (the last one
/// narrower).
const PANEL: usize = 32;

fn panels(l: usize) -> Vec<std::ops::Range<usize>> {
    (0..l.div_ceil(PANEL))
        .map(|p| p * PANEL..((p + 1) * PANEL).min(l))
        .collect()
}

/// YᵀY, as the sum of the blocks' Gram matrices computed in parallel and added in block order.
/// Only the panel blocks on and above the diagonal are multiplied (for l = 110, 64% of the
/// products), the rest mirrored: each entry is still the same sum of the same products in the
/// same order, so the result is the bits of the full product.
fn gram<T>(y: &Array2<T>) -> Array2<T>
where
    T: ndarray::LinalgScalar + Send + Sync,
{
    let l = y.ncols();
    let ps = panels(l);
    let blocks: Vec<Array2<T>> = y
        .axis_chunks_iter(Axis(0), ROW_BLOCK)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|b| {
            let mut g = Array2::<T>::zeros((l, l));
            for (i, p) in ps.iter().enumerate() {
                for q in &ps[i..] {
                    let (bp, bq) = (b.slice(s![.., p.clone()]), b.slice(s![.., q.clone()]));
                    let mut gpq = g.slice_mut(s![p.clone(), q.clone()]);
                    ndarray::linalg::general_mat_mul(T::one(), &bp.t(), &bq, T::zero(), &mut gpq);
                }
            }
            for a in 0..l {
                for c in 0..a {
                    g[[a, c]] = g[[c, a]];
                }
            }
            g
        })
        .collect();
    let mut g = Array2::<T>::zeros((l, l));
    for b in blocks {
        g = g + b;
    }
    g
}

/// Y · M with the rows of Y split into blocks multiplied in parallel.
fn times<T>(y: &Array2<T>, m: &Array2<T>) -> Array2<T>
where
    T: ndarray::LinalgScalar + Send + Sync,
{
    let mut out = Array2::<T>::zeros((y.nrows(), m.ncols()));
    out.axis_chunks_iter_mut(Axis(0), ROW_BLOCK)
        .into_par_iter()
        .zip(y.axis_chunks_iter(Axis(0), ROW_BLOCK).into_par_iter())
        .for_each(|(mut o, b)| {
            ndarray::linalg::general_mat_mul(T::one(), &b, m, T::zero(), &mut o)
        });
    out
}

/// [`times`] for an upper-triangular `r`: the output columns of a panel only need the rows of
/// `r` down to the panel's end (for l = 110, 69% of the products). The skipped terms are
/// products with zeros, so the result is the bits of the full product.
fn times_upper<T>(y: &Array2<T>, r: &Array2<T>) -> Array2<T>
where
    T: ndarray::LinalgScalar + Send + Sync,
{
    let ps = panels(r.ncols());
    let mut out = Array2::<T>::zeros((y.nrows(), r.ncols()));
    out.axis_chunks_iter_mut(Axis(0), ROW_BLOCK)
        .into_par_iter()
        .zip(y.axis_chunks_iter(Axis(0), ROW_BLOCK).into_par_iter())
        .for_each(|(mut o, b)| {
            for p in &ps {
                let mut op = o.slice_mut(s![.., p.clone()]);
                let bp = b.slice(s![.., ..p.end]);
                let rp = r.slice(s![..p.end, p.clone()]);
                ndarray::linalg::general_mat_mul(T::one(), &bp, &rp, T::zero(), &mut op);
            }
        });
    out
}

/// Upper-triangular R with RᵀR = G; `None` if G is not (numerically) positive definite.
fn cholesky_upper(g: &Array2<f64>) -> Option<Array2<f64>> {
    let l = g.nrows();
    let scale = (0..l).map(|i| g[[i, i]]).fold(0.0f64, f64::max);
    let mut r = Array2::<f64>::zeros((l, l));
    for j in 0..l {
        let mut d = g[[j, j]];
        for k in 0..j {
            d -= r[[k, j]] * r[[k, j]];
        }
        if d <= scale * 1e-13 || !d.is_finite() {
            return None;
        }
        let rjj = d.sqrt();
        r[[j, j]] = rjj;
        for i in j + 1..l {
            let mut s = g[[j, i]];
            for k in 0..j {
                s -= r[[k, j]] * r[[k, i]];
            }
            r[[j, i]] = s / rjj;
        }
    }
    Some(r)
}

fn invert_upper(r: &Array2<f64>) -> Option<Array2<f64>> {
    let l = r.nrows();
    let mut inv = Array2::<f64>::zeros((l, l));
    for j in 0..l {
        inv[[j, j]] = 1.0 / r[[j, j]];
        for i in (0..j).rev() {
            let mut s = 0.0;
            for k in i + 1..=j {
                s += r[[i, k]] * inv[[k, j]];
            }
            inv[[i, j]] = -s / r[[i, i]];
        }
    }
    inv.iter().all(|v| v.is_finite()).then_some(inv)
}

/// Modified Gram–Schmidt, twice; columns that vanish (rank deficiency) become zero.
fn mgs(mut y: Array2<f64>) -> Array2<f64> {
    let l = y.ncols();
    for _pass in 0..2 {
        for j in 0..l {
            for i in 0..j {
                let d = y.column(i).dot(&y.column(j));
                let ci = y.column(i).to_owned();
                y.column_mut(j).scaled_add(-d, &ci);
            }
            let norm = y.column(j).dot(&y.column(j)).sqrt();
            if norm > 1e-10 {
                y.column_mut(j).mapv_inplace(|v| v / norm);
            } else {
                y.column_mut(j).fill(0.0);
            }
        }
    }
    y
}

/// Eigen-decomposition of a symmetric matrix, eigenvalues descending.
fn eigh_desc(a: &Array2<f64>) -> Result<(Array1<f64>, Array2<f64>)> {
    use linfa_linalg::eigh::Eigh;
    let (vals, vecs) = a
        .eigh()
        .map_err(|e| Error::Numerical(format!("eigen-decomposition failed: {e}")))?;
    let mut order: Vec<usize> = (0..vals.len()).collect();
    order.sort_by(|&i, &j| vals[j].total_cmp(&vals[i]).then(i.cmp(&j)));
    let vals = Array1::from_iter(order.iter().map(|&i| vals[i]));
    let vecs = vecs.select(Axis(1), &order);
    Ok((vals, vecs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ParamGuard;

    fn csr(dense: &[&[f32]]) -> CsMat<f32> {
        let (n, m) = (dense.len(), dense[0].len());
        let mut tri = sprs::TriMat::new((n, m));
        for (i, r) in dense.iter().enumerate() {
            for (j, &v) in r.iter().enumerate() {
                if v != 0.0 {
                    tri.add_triplet(i, j, v);
                }
            }
        }
        tri.to_csr()
    }

    fn params(dims: usize) -> ValidSvdParams {
        SvdParams {
            dims,
            ..Default::default()
        }
        .check()
        .unwrap()
    }

    #[test]
    fn signs_make_the_first_largest_entry_positive() {
        // Column 0: largest |v| is -3 (row 1) → flipped. Column 1: 2 and -2 tie, the first (2)
        // wins → kept. Column 2 is all zero → kept.
        let mut v = ndarray::array![[1.0f32, 2.0, 0.0], [-3.0, -2.0, 0.0], [2.0, 1.0, 0.0]];
        fix_signs(&mut v);
        assert_eq!(
            v,
            ndarray::array![[-1.0f32, 2.0, 0.0], [3.0, -2.0, 0.0], [-2.0, 1.0, 0.0]]
        );
    }

    #[test]
    fn known_singular_values() {
        // A = diag(3, 2, 1) padded with a zero column: singular values 3, 2, 1 exactly.
        let a = csr(&[
            &[3.0, 0.0, 0.0, 0.0],
            &[0.0, 2.0, 0.0, 0.0],
            &[0.0, 0.0, 1.0, 0.0],
        ]);
        let (m, emb) = fit(&a, &params(2)).unwrap();
        let s = &m.singular_values;
        assert!(
            (s[0] - 3.0).abs() < 1e-5 && (s[1] - 2.0).abs() < 1e-5,
            "{s:?}"
        );
        // Rows 0 and 1 map to unit vectors on dims 0 and 1; row 2 has no weight there → zero.
        assert!((emb[[0, 0]] - 1.0).abs() < 1e-5 && emb[[0, 1]].abs() < 1e-5);
        assert!((emb[[1, 1]] - 1.0).abs() < 1e-5);
        assert!(emb.row(2).iter().all(|v| v.abs() < 1e-4));
    }

    #[test]
    fn rank_one_plus_noise_by_hand() {
        // [[1,1],[1,1]] has singular values 2 and 0; with the row [0,1] added:
        // AᵀA = [[2,2],[2,3]], eigenvalues (5 ± √17)/2 → σ = 2.1358, 0.6622.
        let a = csr(&[&[1.0, 1.0], &[1.0, 1.0], &[0.0, 1.0]]);
        let (m, _) = fit(&a, &params(2)).unwrap();
        let want = [
            ((5.0f64 + 17f64.sqrt()) / 2.0).sqrt(),
            ((5.0f64 - 17f64.sqrt()) / 2.0).sqrt(),
        ];
        for (got, want) in m.singular_values.iter().zip(want) {
            assert!((*got as f64 - want).abs() < 1e-5, "{got} vs {want}");
        }
        // Signs fixed: largest entry of each V column is positive.
        for c in m.components.columns() {
            let top = c
                .iter()
                .copied()
                .fold(0.0f32, |a, b| if b.abs() > a.abs() { b } else { a });
            assert!(top > 0.0);
        }
    }

    #[test]
    fn transform_reproduces_fit_and_is_deterministic() {
        // A random sparse 60 × 40 matrix.
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as u32
        };
        let mut tri = sprs::TriMat::new((60, 40));
        for i in 0..60 {
            for _ in 0..5 {
                tri.add_triplet(
                    i,
                    (next() % 40) as usize,
                    (next() % 100) as f32 / 100.0 + 0.01,
                );
            }
        }
        let x: CsMat<f32> = tri.to_csr();
        let p = params(8);
        let (m, emb) = fit(&x, &p).unwrap();
        let again = m.transform(&x).unwrap();
        for (a, b) in emb.iter().zip(again.iter()) {
            assert!((a - b).abs() < 1e-4);
        }
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let (m1, emb1) = one.install(|| fit(&x, &p).unwrap());
        assert_eq!(m1, m);
        assert_eq!(emb1, emb);
        // Singular values descending and V orthonormal.
        assert!(m.singular_values.windows(2).all(|w| w[0] >= w[1]));
        let vtv = m.components.t().dot(&m.components);
        for i in 0..8 {
            for j in 0..8 {
                let want = if i == j { 1.0 } else { 0.0 };
                assert!(
                    (vtv[[i, j]] - want).abs() < 1e-3,
                    "VᵀV[{i},{j}] = {}",
                    vtv[[i, j]]
                );
            }
        }
    }

    #[test]
    fn panel_products_match_full_products() {
        // More rows than one block, a width with a narrow last panel: the same bits.
        let (n, l) = (ROW_BLOCK + 700, 2 * PANEL + 13);
        let y = Array2::from_shape_fn((n, l), |(i, j)| {
            ((i * 37 + j * 101) % 97) as f32 / 17.0 - 2.5
        });
        let full = {
            let blocks: Vec<Array2<f32>> = y
                .axis_chunks_iter(Axis(0), ROW_BLOCK)
                .map(|b| b.t().dot(&b))
                .collect();
            blocks
                .into_iter()
                .fold(Array2::<f32>::zeros((l, l)), |g, b| g + b)
        };
        assert_eq!(gram(&y), full);
        let r = Array2::from_shape_fn((l, l), |(i, j)| {
            if i <= j {
                ((i * 13 + j * 7) % 23) as f32 / 5.0 - 2.0
            } else {
                0.0
            }
        });
        assert_eq!(times_upper(&y, &r), times(&y, &r));
    }

    #[test]
    fn parallel_transpose_matches_sprs() {
        // 37 × 23 with empty rows and columns; on 1, 2 and 5 threads.
        let rows: Vec<Vec<f32>> = (0..37)
            .map(|i| {
                (0..23)
                    .map(|j| {
                        let h = (i * 31 + j * 17) % 11;
                        if i % 7 == 3 || j % 5 == 4 || h > 2 {
                            0.0
                        } else {
                            (i * 23 + j) as f32
                        }
                    })
                    .collect()
            })
            .collect();
        let refs: Vec<&[f32]> = rows.iter().map(Vec::as_slice).collect();
        let x = csr(&refs);
        let want: CsMat<f32> = x.transpose_view().to_csr();
        for threads in [1, 2, 5] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            assert_eq!(
                pool.install(|| transpose(&x)).unwrap(),
                want,
                "{threads} threads"
            );
        }
    }

    #[test]
    fn spmm_matches_dense() {
        let a = csr(&[&[1.0, 0.0, 2.0], &[0.0, 0.0, 0.0], &[0.0, 3.0, 0.0]]);
        let d = ndarray::arr2(&[[1.0f32, 2.0], [3.0, 4.0], [5.0, 6.0]]);
        let p = spmm(&a, d.view()).unwrap();
        assert_eq!(p, ndarray::arr2(&[[11.0, 14.0], [0.0, 0.0], [9.0, 12.0]]));
        let t = spmm(
            &transpose(&a).unwrap(),
            ndarray::arr2(&[[1.0f32], [1.0], [1.0]]).view(),
        )
        .unwrap();
        assert_eq!(t, ndarray::arr2(&[[1.0], [3.0], [2.0]]));
    }

    #[test]
    fn lsa_transform_panics_on_wrong_width_or_csc() {
        // `transform` asserted on a CSC matrix and on a matrix of another width.
        let x = csr(&[&[1.0, 0.0, 2.0], &[0.0, 3.0, 0.0], &[4.0, 0.0, 0.0]]);
        let (m, emb) = fit(&x, &params(2)).unwrap();
        let csc = x.to_csc();
        assert_eq!(m.transform(&csc).unwrap(), emb);
        assert_eq!(fit(&csc, &params(2)).unwrap().1, emb);
        let narrow = csr(&[&[1.0, 0.0]]);
        let err = m.transform(&narrow).unwrap_err().to_string();
        assert!(
            err.contains("has 2 columns, the model's vocabulary 3 terms"),
            "{err}"
        );
        assert!(spmm(&csc, emb.view()).is_err());
        assert!(spmm(&x, ndarray::Array2::<f32>::zeros((2, 2)).view()).is_err());
        assert!(transpose(&csc).is_err());
        assert!(select_rows(&x, &[0, 7]).is_err());
    }

    #[test]
    fn params_validation() {
        assert!(SvdParams {
            dims: 0,
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(SvdParams {
            dims: 5000,
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(SvdParams {
            power_iters: 50,
            ..Default::default()
        }
        .check()
        .is_err());
    }
}
