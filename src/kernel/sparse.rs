//! Parallel sparse kernels that write into buffers they allocate without zeroing, and the CSR
//! constructor that trusts a structure it has checked in parallel.

use std::mem::MaybeUninit;

use ndarray::Array2;
use rayon::prelude::*;
use sprs::{CompressedStorage::CSR, CsMat};

/// An n × l matrix whose blocks of `rows` rows are written in parallel, block `b` from the
/// values of `fill(b)` in row-major order; elements the iterator does not reach are 0.
///
/// The matrix is not zeroed first: on 20 Newsgroups zeroing each product's output took
/// 0.6–0.9 ms on one thread, once per product (11 products per SVD fit), and a read of a fresh
/// zero page before its first write costs a copy-on-write fault.
pub fn par_blocks<I>(
    n: usize,
    l: usize,
    rows: usize,
    fill: impl Fn(usize) -> I + Sync,
) -> Array2<f32>
where
    I: Iterator<Item = f32>,
{
    // SAFETY: every element of each block is written: from the iterator while it lasts, then 0.
    unsafe {
        uninit_blocks(n, l, rows, |b, block| {
            let mut it = fill(b);
            for v in block {
                v.write(it.next().unwrap_or(0.0));
            }
        })
    }
}

/// Sparse (CSR, n × m, given by its arrays) times dense (m × l, row-major `dense`), parallel
/// over output rows; each output row is summed in index order, so the result does not depend
/// on the thread count. The caller checks the shapes: `dense.len() == m * l`, every index < m.
pub fn spmm_csr(
    n: usize,
    l: usize,
    indptr: &[usize],
    indices: &[usize],
    data: &[f32],
    dense: &[f32],
) -> Array2<f32> {
    assert!(indptr.len() == n + 1, "indptr holds n + 1 offsets");
    // SAFETY: `sparse_row_times_dense` writes every element of the row it is given.
    unsafe {
        uninit_blocks(n, l, 1, |i, row| {
            let span = indptr[i]..indptr[i + 1];
            super::simd::sparse_row_times_dense(row, &indices[span.clone()], &data[span], dense);
        })
    }
}

/// An n × l matrix whose blocks of `rows` rows `fill(b, block)` writes in parallel.
///
/// # Safety
/// `fill` must write every element of the block it is given.
pub(super) unsafe fn uninit_blocks(
    n: usize,
    l: usize,
    rows: usize,
    fill: impl Fn(usize, &mut [MaybeUninit<f32>]) + Sync,
) -> Array2<f32> {
    let mut out = Array2::<f32>::uninit((n, l));
    out.as_slice_mut()
        .expect("standard layout")
        .par_chunks_mut((rows * l).max(1))
        .enumerate()
        .for_each(|(b, block)| fill(b, block));
    // SAFETY: every block was written in full by `fill` (the caller's promise).
    unsafe { out.assume_init() }
}

/// CSR transpose (the CSR form of Xᵀ) of the n × m CSR matrix `x`, built in parallel: the rows
/// of X are split into one block per thread; each block counts its entries per column, the
/// counts give every block its own place in each column of the output, and the blocks then
/// scatter their entries there at the same time. Within a column the entries stay in row order,
/// so the result is the same as a sequential transpose whatever the number of blocks. The
/// output is not zeroed first. (On 20 Newsgroups `sprs`'s sequential transpose took 12 ms on
/// the main thread, writing fresh pages.)
pub fn transpose_csr(x: &CsMat<f32>) -> CsMat<f32> {
    assert!(x.is_csr(), "transpose_csr needs a CSR matrix");
    let (n, m) = x.shape();
    let nnz = x.nnz();
    let indptr = x.indptr();
    let indptr = indptr.raw_storage();
    let (indices, data) = (x.indices(), x.data());
    let n_blocks = rayon::current_num_threads().clamp(1, n.max(1));
    let block_rows = |b: usize| (b * n / n_blocks)..((b + 1) * n / n_blocks);
    let mut counts: Vec<Vec<usize>> = (0..n_blocks)
        .into_par_iter()
        .map(|b| {
            let mut c = vec![0usize; m];
            let rows = block_rows(b);
            for &j in &indices[indptr[rows.start]..indptr[rows.end]] {
                c[j] += 1;
            }
            c
        })
        .collect();
    // Column starts of the output; each block's counts become its write positions.
    let mut out_ptr = Vec::with_capacity(m + 1);
    let mut at = 0usize;
    for j in 0..m {
        out_ptr.push(at);
        for c in counts.iter_mut() {
            let k = c[j];
            c[j] = at;
            at += k;
        }
    }
    out_ptr.push(at);
    let mut out_idx: Vec<usize> = Vec::with_capacity(nnz);
    let mut out_val: Vec<f32> = Vec::with_capacity(nnz);
    let (idx_ptr, val_ptr) = (
        SharedOut(out_idx.as_mut_ptr()),
        SharedOut(out_val.as_mut_ptr()),
    );
    counts.into_par_iter().enumerate().for_each(|(b, mut pos)| {
        let (idx_ptr, val_ptr) = (&idx_ptr, &val_ptr);
        for i in block_rows(b) {
            for p in indptr[i]..indptr[i + 1] {
                let j = indices[p];
                // SAFETY: `pos[j]` < nnz (the positions are the running counts, which sum to
                // nnz), and the positions of different blocks and entries are distinct (each
                // block owns `count` slots per column), so no two writes alias and all stay
                // inside the capacity reserved above.
                unsafe {
                    idx_ptr.0.add(pos[j]).write(i);
                    val_ptr.0.add(pos[j]).write(data[p]);
                }
                pos[j] += 1;
            }
        }
    });
    // SAFETY: the blocks' slots cover 0..nnz exactly (the counts sum to nnz), all written above.
    unsafe {
        out_idx.set_len(nnz);
        out_val.set_len(nnz);
    }
    // SAFETY (of the structure, which `new_unchecked` trusts): `out_ptr` is the running sum of
    // the column counts, each output row's indices are the input row numbers in increasing
    // order (blocks are in row order and each scans its rows in order), all < n.
    unsafe { CsMat::new_unchecked(CSR, (m, n), out_ptr, out_idx, out_val) }
}

/// A pointer into an output buffer that parallel tasks write at distinct positions.
struct SharedOut<T>(*mut T);
// SAFETY: only used for writes to disjoint positions (see `transpose_csr`).
unsafe impl<T> Sync for SharedOut<T> {}

/// A CSR matrix from its arrays, or `None` if they do not form one: `indptr` of `shape.0 + 1`
/// non-decreasing offsets from 0 to `indices.len() == data.len()`, each row's column indices
/// strictly increasing and below `shape.1`. The check runs in parallel over rows, where
/// `CsMat::new` checks on one thread (twice per matrix on 20 Newsgroups' TF-IDF).
pub fn csr_checked(
    shape: (usize, usize),
    indptr: Vec<usize>,
    indices: Vec<usize>,
    data: Vec<f32>,
) -> Option<CsMat<f32>> {
    let (n, m) = shape;
    let ok = indptr.len() == n + 1
        && indptr.first() == Some(&0)
        && indptr.last() == Some(&indices.len())
        && indices.len() == data.len()
        && indptr.windows(2).all(|w| w[0] <= w[1])
        && (0..n).into_par_iter().with_min_len(1024).all(|i| {
            let row = &indices[indptr[i]..indptr[i + 1]];
            row.windows(2).all(|w| w[0] < w[1]) && row.last().is_none_or(|&j| j < m)
        });
    // SAFETY: the structure was checked just above (what `CsMat::new` checks).
    ok.then(|| unsafe { CsMat::new_unchecked(CSR, shape, indptr, indices, data) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csr_checked_rejects_bad_structure() {
        let good = csr_checked((2, 3), vec![0, 2, 3], vec![0, 2, 1], vec![1.0, 2.0, 3.0]);
        assert_eq!(
            good.unwrap(),
            CsMat::new((2, 3), vec![0, 2, 3], vec![0, 2, 1], vec![1.0, 2.0, 3.0])
        );
        // Unsorted row, column out of range, wrong indptr, lengths that differ.
        assert!(csr_checked((2, 3), vec![0, 2, 3], vec![2, 0, 1], vec![1.0; 3]).is_none());
        assert!(csr_checked((2, 3), vec![0, 2, 3], vec![0, 3, 1], vec![1.0; 3]).is_none());
        assert!(csr_checked((2, 3), vec![0, 3, 2], vec![0, 1, 2], vec![1.0; 3]).is_none());
        assert!(csr_checked((2, 3), vec![0, 2, 3], vec![0, 2, 1], vec![1.0; 2]).is_none());
        assert!(csr_checked((3, 3), vec![0, 2, 3], vec![0, 2, 1], vec![1.0; 3]).is_none());
    }

    #[test]
    fn par_blocks_fills_short_iterators_with_zero() {
        let a = par_blocks(3, 2, 2, |b| (0..3).map(move |v| (b * 10 + v) as f32));
        assert_eq!(a, ndarray::arr2(&[[0.0, 1.0], [2.0, 0.0], [10.0, 11.0]]));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// A random n × m CSR matrix with small integer values (exact in f32).
    fn matrix() -> impl Strategy<Value = CsMat<f32>> {
        (1usize..12, 1usize..9).prop_flat_map(|(n, m)| {
            proptest::collection::vec(proptest::option::weighted(0.3, -4i8..5), n * m).prop_map(
                move |cells| {
                    let mut tri = sprs::TriMat::new((n, m));
                    for (k, c) in cells.iter().enumerate() {
                        if let Some(v) = c {
                            tri.add_triplet(k / m, k % m, *v as f32);
                        }
                    }
                    tri.to_csr()
                },
            )
        })
    }

    proptest! {
        #[test]
        fn transpose_equals_sprs(x in matrix()) {
            prop_assert_eq!(transpose_csr(&x), x.transpose_view().to_csr());
        }

        #[test]
        fn spmm_equals_the_dense_product(x in matrix(), l in 1usize..20) {
            let (n, m) = x.shape();
            let dense: Vec<f32> = (0..m * l).map(|i| (i % 7) as f32 - 3.0).collect();
            let ip = x.indptr();
            let got = spmm_csr(n, l, ip.raw_storage(), x.indices(), x.data(), &dense);
            let d = Array2::from_shape_vec((m, l), dense).unwrap();
            prop_assert_eq!(got, x.to_dense().dot(&d));
        }

        #[test]
        fn csr_checked_accepts_what_sprs_builds(x in matrix()) {
            let ip = x.indptr().raw_storage().to_vec();
            let y = csr_checked(x.shape(), ip, x.indices().to_vec(), x.data().to_vec());
            prop_assert_eq!(y, Some(x));
        }
    }
}
