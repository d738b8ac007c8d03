//! Sparse × dense products whose dense operand is stored in IEEE half precision (binary16).
//!
//! The SVD's range finder multiplies the sparse TF-IDF matrix by a dense n × l or m × l
//! operand ten times. Each stored entry of the sparse row gathers one row of the operand (l = 90
//! floats, 360 bytes, from a 7 MB operand that lives in L3), and the product is bound by that
//! traffic, not by arithmetic: a synthetic 18.8k × 20.7k matrix with 1.35 M entries took
//! 16.2 ns per entry with an f32 operand, 5.4 ns when every gathered row came from a 2,048-row
//! working set, and 9.7 ns with the same operand in half precision (one thread, AVX2 + F16C).
//! Halving the bytes per row is what makes the difference; the sums stay in f32.
//!
//! binary16 keeps 11 significant bits (relative rounding error ≤ 2⁻¹¹ ≈ 4.9·10⁻⁴), enough for
//! the *intermediate* bases of subspace iteration, which only have to steer the subspace: each
//! iteration's rounding perturbs it by about that much, far below the randomized range
//! finder's own error, and the next iteration starts from the perturbed basis anyway. The
//! products that make the results (Bᵀ = XᵀQ, the document coordinates) stay in f32.
//!
//! Results are deterministic and the same on every CPU: the conversion to binary16 rounds to
//! nearest-even in hardware (F16C) or in software (`half`, which gives the same bits), the
//! conversion back is exact, and each output column is summed in index order with a separate
//! multiply and add (no fused multiply-add), in the AVX2 path and in the portable one alike.

use std::mem::MaybeUninit;

use half::slice::HalfFloatSliceExt;
use ndarray::ArrayView2;
use rayon::prelude::*;

/// A dense matrix in binary16, row-major, each row padded with zeros to a multiple of 8
/// columns (so that a kernel reading whole groups of 8 never reaches into the next row).
#[derive(Debug, Clone)]
pub struct HalfMatrix {
    data: Vec<half::f16>,
    rows: usize,
    cols: usize,
    stride: usize,
}

impl HalfMatrix {
    /// `d` rounded to binary16 (nearest, ties to even), rows converted in parallel.
    pub fn from_f32(d: ArrayView2<'_, f32>) -> HalfMatrix {
        let (rows, cols) = d.dim();
        let stride = cols.div_ceil(8).max(1) * 8;
        let mut data = vec![half::f16::ZERO; rows * stride];
        data.par_chunks_mut(stride)
            .zip(d.outer_iter().into_par_iter())
            .with_min_len(256)
            .for_each(|(dst, src)| match src.as_slice() {
                Some(s) => dst[..cols].convert_from_f32_slice(s),
                None => {
                    for (o, &v) in dst.iter_mut().zip(src.iter()) {
                        *o = half::f16::from_f32(v);
                    }
                }
            });
        HalfMatrix {
            data,
            rows,
            cols,
            stride,
        }
    }
}

/// Widest panel, in groups of 8 columns: 14 of the 16 AVX2 registers hold the sums.
const MAX_GROUPS: usize = 14;

/// Entries ahead whose operand row is prefetched (as in [`super::simd`]'s f32 kernel).
const PREFETCH_AHEAD: usize = 8;

/// Sparse (CSR) times dense (binary16): `x · dense` in f32, n × `dense.cols()`, parallel over
/// output rows, each row summed in index order. Panics unless `x` is CSR with as many columns
/// as `dense` has rows.
pub fn spmm_csr_half(x: &sprs::CsMat<f32>, dense: &HalfMatrix) -> ndarray::Array2<f32> {
    assert!(x.is_csr(), "spmm_csr_half needs a CSR matrix");
    assert_eq!(x.cols(), dense.rows, "x has one column per operand row");
    let indptr = x.indptr();
    let indptr = indptr.raw_storage();
    let (indices, values) = (x.indices(), x.data());
    let avx2 = has_avx2_f16c();
    // SAFETY: `row` writes every element of the row it is given.
    unsafe {
        super::sparse::uninit_blocks(x.rows(), dense.cols, 1, |i, out| {
            let span = indptr[i]..indptr[i + 1];
            row(out, &indices[span.clone()], &values[span], dense, avx2);
        })
    }
}

fn has_avx2_f16c() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("f16c")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// One output row: `out = Σ_p values[p] · dense[indices[p]]`, every element written. The
/// indices are rows of `dense`: `sprs` keeps a CSR matrix's indices below its column count
/// (checked when it is built; this crate builds unchecked ones only from checked parts, see
/// the module doc of [`super`]), and [`spmm_csr_half`] checks that count against the rows.
/// `avx2`: the CPU has AVX2 and F16C.
fn row(
    out: &mut [MaybeUninit<f32>],
    indices: &[usize],
    values: &[f32],
    dense: &HalfMatrix,
    avx2: bool,
) {
    let groups = dense.stride / 8;
    let mut g0 = 0;
    while g0 < groups {
        // 64 columns at a time while more than MAX_GROUPS groups remain, then the rest in one.
        let n = if groups - g0 > MAX_GROUPS {
            8
        } else {
            groups - g0
        };
        let c0 = g0 * 8;
        let keep = (dense.cols - c0.min(dense.cols)).min(n * 8);
        panel(out, c0, n, keep, indices, values, dense, avx2);
        g0 += n;
    }
}

/// Columns `c0 .. c0 + 8n` summed over the row's entries; the first `keep` written.
#[inline]
#[allow(clippy::too_many_arguments)]
fn panel(
    out: &mut [MaybeUninit<f32>],
    c0: usize,
    n: usize,
    keep: usize,
    indices: &[usize],
    values: &[f32],
    dense: &HalfMatrix,
    avx2: bool,
) {
    let mut sums = [0f32; MAX_GROUPS * 8];
    #[cfg(target_arch = "x86_64")]
    {
        if avx2 {
            // SAFETY: the CPU supports AVX2 and F16C (`avx2`); every index is a row of
            // `dense` (see `row`) and c0 + 8n ≤ stride.
            unsafe { panel_avx2(&mut sums, c0, n, indices, values, dense) };
            write(out, c0, keep, &sums);
            return;
        }
    }
    let width = n * 8;
    for (&j, &v) in indices.iter().zip(values) {
        let at = j * dense.stride + c0;
        for (s, h) in sums[..width].iter_mut().zip(&dense.data[at..at + width]) {
            *s += v * h.to_f32();
        }
    }
    write(out, c0, keep, &sums);
}

fn write(out: &mut [MaybeUninit<f32>], c0: usize, keep: usize, sums: &[f32]) {
    for (o, &s) in out[c0..c0 + keep].iter_mut().zip(sums) {
        o.write(s);
    }
}

/// [`panel`] with the sums in AVX2 registers, the operand widened by F16C.
///
/// # Safety
/// The CPU must support AVX2 and F16C; every index must be a row of `dense`; c0 + 8n must not
/// exceed the row stride; n ≤ [`MAX_GROUPS`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,f16c")]
unsafe fn panel_avx2(
    sums: &mut [f32; MAX_GROUPS * 8],
    c0: usize,
    n: usize,
    indices: &[usize],
    values: &[f32],
    dense: &HalfMatrix,
) {
    match n {
        1 => unsafe { groups::<1>(sums, c0, indices, values, dense) },
        2 => unsafe { groups::<2>(sums, c0, indices, values, dense) },
        3 => unsafe { groups::<3>(sums, c0, indices, values, dense) },
        4 => unsafe { groups::<4>(sums, c0, indices, values, dense) },
        5 => unsafe { groups::<5>(sums, c0, indices, values, dense) },
        6 => unsafe { groups::<6>(sums, c0, indices, values, dense) },
        7 => unsafe { groups::<7>(sums, c0, indices, values, dense) },
        8 => unsafe { groups::<8>(sums, c0, indices, values, dense) },
        9 => unsafe { groups::<9>(sums, c0, indices, values, dense) },
        10 => unsafe { groups::<10>(sums, c0, indices, values, dense) },
        11 => unsafe { groups::<11>(sums, c0, indices, values, dense) },
        12 => unsafe { groups::<12>(sums, c0, indices, values, dense) },
        13 => unsafe { groups::<13>(sums, c0, indices, values, dense) },
        14 => unsafe { groups::<14>(sums, c0, indices, values, dense) },
        _ => unreachable!("panels are 1 to {MAX_GROUPS} groups wide"),
    }
}

/// `N` groups of 8 sums held in registers while the row's entries stream by.
///
/// # Safety
/// As [`panel_avx2`], with n = `N`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,f16c")]
unsafe fn groups<const N: usize>(
    sums: &mut [f32; MAX_GROUPS * 8],
    c0: usize,
    indices: &[usize],
    values: &[f32],
    dense: &HalfMatrix,
) {
    use std::arch::x86_64::*;
    let base = dense.data.as_ptr();
    let mut acc = [_mm256_setzero_ps(); N];
    for (p, (&j, &v)) in indices.iter().zip(values).enumerate() {
        if let Some(&jn) = indices.get(p + PREFETCH_AHEAD) {
            let ahead = base.wrapping_add(jn * dense.stride + c0) as *const i8;
            let mut off = 0;
            while off < N * 16 {
                // A prefetch never faults, whatever the address.
                _mm_prefetch::<_MM_HINT_T0>(ahead.wrapping_add(off));
                off += 64;
            }
        }
        let vv = _mm256_set1_ps(v);
        // SAFETY: j < rows and c0 + 8N ≤ stride (the caller's promise), so the 8N halves from
        // j·stride + c0 lie inside `data` (rows · stride long).
        let row = unsafe { base.add(j * dense.stride + c0) };
        for (g, a) in acc.iter_mut().enumerate() {
            // SAFETY: see above; an unaligned 16-byte load of 8 halves.
            let h = unsafe { _mm_loadu_si128(row.add(g * 8) as *const __m128i) };
            *a = _mm256_add_ps(*a, _mm256_mul_ps(vv, _mm256_cvtph_ps(h)));
        }
    }
    for (g, a) in acc.iter().enumerate() {
        // SAFETY: 8 floats at g·8 < MAX_GROUPS·8 (N ≤ MAX_GROUPS).
        unsafe { _mm256_storeu_ps(sums.as_mut_ptr().add(g * 8), *a) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row `Σ val[p] · d[idx[p]]` through `spmm_csr_half`.
    fn product(idx: &[usize], val: &[f32], d: &ndarray::Array2<f32>) -> Vec<f32> {
        let h = HalfMatrix::from_f32(d.view());
        let x = sprs::CsMat::new(
            (1, d.nrows()),
            vec![0, idx.len()],
            idx.to_vec(),
            val.to_vec(),
        );
        spmm_csr_half(&x, &h).into_raw_vec_and_offset().0
    }

    #[test]
    fn matches_f32_sums_of_rounded_operand_at_every_width() {
        for cols in [1usize, 7, 8, 9, 90, 112, 113, 120, 200] {
            let d = ndarray::Array2::from_shape_fn((5, cols), |(i, j)| {
                ((i * 31 + j * 7) as f32 * 0.173).sin() * 3.0
            });
            let (idx, val) = ([0usize, 2, 4], [0.5f32, -1.25, 2.0]);
            let got = product(&idx, &val, &d);
            // The portable order: sums in index order of the binary16-rounded operand.
            for (c, &g) in got.iter().enumerate() {
                let mut s = 0f32;
                for (&j, &v) in idx.iter().zip(&val) {
                    s += v * half::f16::from_f32(d[(j, c)]).to_f32();
                }
                assert_eq!(g.to_bits(), s.to_bits(), "cols {cols}, column {c}");
                let exact: f32 = idx.iter().zip(&val).map(|(&j, &v)| v * d[(j, c)]).sum();
                assert!((g - exact).abs() <= 2e-3 * (1.0 + exact.abs()));
            }
        }
    }

    #[test]
    fn empty_row_gives_zeros() {
        let d = ndarray::Array2::<f32>::ones((3, 10));
        assert_eq!(product(&[], &[], &d), vec![0.0; 10]);
    }
}
