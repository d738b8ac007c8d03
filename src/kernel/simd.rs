//! The few dense kernels that dominate the SVD and k-means stages, compiled twice: for AVX2
//! (picked at run time when the CPU has it) and for the x86-64 baseline (SSE2).
//!
//! The crate is built for the baseline, so without this the compiler vectorises these loops 4
//! floats wide; with AVX2 it uses 8. No FMA is enabled: Rust never fuses `a * b + c`, so both
//! versions do the same operations per lane and return the same bits on any CPU (the
//! clusterings of 20 Newsgroups and BBC were byte-identical). (The SVD's dense products go
//! through `matrixmultiply`, which does use FMA where the CPU has it; an FMA dot product for
//! k-means was no faster here.) Measured on
//! 20 Newsgroups (2 cores, minimum of 6 runs): the SVD stage 0.195 s → 0.168 s and k-means
//! 0.137 s → 0.120 s. An AVX-512 version gained nothing more. Holding the sparse product's
//! sums in registers, panel by panel ([`sparse_row_times_dense`]), then took the whole run from
//! 0.722 s to 0.685 s (median of 8) with the same bits. The dot product is written with
//! intrinsics ([`dot_avx2`]): the compiler's version used 4-lane operations with shuffles, and
//! the k-means stage went from 0.217 s to 0.145 s on one thread (0.106 → 0.073 s on two).

use std::mem::MaybeUninit;

/// Defines `pub fn $name` that runs `$body` compiled with AVX2 when available.
macro_rules! multiversion {
    ($(#[$m:meta])* pub fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block) => {
        $(#[$m])*
        #[inline]
        pub fn $name($($arg: $ty),*) $(-> $ret)? {
            #[inline(always)]
            fn body($($arg: $ty),*) $(-> $ret)? $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2")]
                unsafe fn avx2($($arg: $ty),*) $(-> $ret)? {
                    body($($arg),*)
                }
                if std::is_x86_feature_detected!("avx2") {
                    // SAFETY: the CPU supports AVX2 (checked just above).
                    return unsafe { avx2($($arg),*) };
                }
            }
            body($($arg),*)
        }
    };
}

/// Dot product with eight independent accumulators, so the compiler can use SIMD (a plain
/// iterator sum is a sequential chain of dependent additions). The summation order is fixed,
/// so the result is the same on every run and CPU.
#[inline(always)]
pub fn dot_inline(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    let mut s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// [`dot_inline`] with AVX2 intrinsics: the eight accumulators are the eight lanes of one
/// register, added and reduced in the same order, so the bits are the same. (Left to the
/// compiler, the eight-accumulator loop came out as 4-lane operations with shuffles, and its
/// speed changed by ±15% with unrelated code changes.)
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn dot_avx2(a: &[f32], b: &[f32]) -> f32 {
    use std::arch::x86_64::*;
    let n = a.len().min(b.len());
    let full = n / 8 * 8;
    let mut acc = _mm256_setzero_ps();
    let mut i = 0;
    while i < full {
        // SAFETY: i + 8 ≤ full ≤ both lengths.
        let (x, y) = unsafe {
            (
                _mm256_loadu_ps(a.as_ptr().add(i)),
                _mm256_loadu_ps(b.as_ptr().add(i)),
            )
        };
        acc = _mm256_add_ps(acc, _mm256_mul_ps(x, y));
        i += 8;
    }
    let mut lanes = [0f32; 8];
    // SAFETY: `lanes` holds 8 floats.
    unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), acc) };
    let mut s = ((lanes[0] + lanes[4]) + (lanes[1] + lanes[5]))
        + ((lanes[2] + lanes[6]) + (lanes[3] + lanes[7]));
    for j in full..n {
        s += a[j] * b[j];
    }
    s
}

/// [`dot_inline`], dispatched.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2 (checked just above).
        return unsafe { dot_avx2(a, b) };
    }
    dot_inline(a, b)
}

/// `out[j] = row · centres[j]` for the rows of `centres` (row-major, `d` columns).
pub fn dots(row: &[f32], centres: &[f32], d: usize, out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        #[target_feature(enable = "avx2")]
        unsafe fn go(row: &[f32], centres: &[f32], d: usize, out: &mut [f32]) {
            for (o, c) in out.iter_mut().zip(centres.chunks_exact(d.max(1))) {
                // SAFETY: this function only runs on CPUs with AVX2.
                *o = unsafe { dot_avx2(row, c) };
            }
        }
        // SAFETY: the CPU supports AVX2 (checked just above).
        return unsafe { go(row, centres, d, out) };
    }
    for (o, c) in out.iter_mut().zip(centres.chunks_exact(d.max(1))) {
        *o = dot_inline(row, c);
    }
}

/// Columns `c0 .. c0 + W` of [`sparse_row_times_dense`], with the `W` sums held in registers
/// while the row's entries stream by (instead of a load and a store of `out` per entry); only
/// the first `keep` of them are written. When `keep < W` the panel reaches past the end of
/// `dense`'s rows: it reads the first columns of the next row into sums that are never written
/// (so one pass covers a ragged last panel), and copies the last row into a zero-padded buffer,
/// as nothing follows it.
#[inline(always)]
fn panel<const W: usize>(
    out: &mut [MaybeUninit<f32>],
    c0: usize,
    keep: usize,
    indices: &[usize],
    values: &[f32],
    dense: &[f32],
) {
    let l = out.len();
    let mut acc = [0f32; W];
    let mut padded = [0f32; W];
    for (p, (&j, &v)) in indices.iter().zip(values).enumerate() {
        if let Some(&jn) = indices.get(p + PREFETCH_AHEAD) {
            prefetch_row(dense, jn * l + c0, W);
        }
        let at = j * l + c0;
        let src: &[f32; W] = match dense.get(at..at + W) {
            Some(s) => s.try_into().expect("W columns"),
            None => {
                padded[..keep].copy_from_slice(&dense[at..at + keep]);
                &padded
            }
        };
        for c in 0..W {
            acc[c] += v * src[c];
        }
    }
    for (o, a) in out[c0..c0 + keep].iter_mut().zip(&acc) {
        o.write(*a);
    }
}

/// Entries ahead of the current one whose `dense` row [`panel`] asks the CPU to fetch. The
/// rows are gathered in the order of a document's terms, which the hardware prefetcher cannot
/// guess; with l = 90 each row is 360 bytes and the operand (7 MB on 20 Newsgroups) lives in L3,
/// so each entry otherwise waits for it. Distances 6 to 12 gave the same gain (SVD stage
/// 0.163 s → 0.150 s, median of 5, 2 cores); 3 gained half as much and 20 less. Same bits: a
/// prefetch changes no arithmetic.
const PREFETCH_AHEAD: usize = 8;

/// Hints the cache lines of `w` floats of `dense` from index `at` into L1.
#[inline(always)]
fn prefetch_row(dense: &[f32], at: usize, w: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let base = dense.as_ptr().wrapping_add(at) as *const i8;
        let mut off = 0;
        while off < w * 4 {
            // SAFETY: prefetch never faults, whatever the address.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(base.wrapping_add(off)) };
            off += 64;
        }
    }
}

/// [`panel`] over columns `c0 ..` of widths 8 to 112 (`n8` blocks of 8 registers' worth),
/// writing `keep` of them.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn panel_of(
    n8: usize,
    out: &mut [MaybeUninit<f32>],
    c0: usize,
    keep: usize,
    idx: &[usize],
    val: &[f32],
    dense: &[f32],
) {
    match n8 {
        14 => panel::<112>(out, c0, keep, idx, val, dense),
        13 => panel::<104>(out, c0, keep, idx, val, dense),
        12 => panel::<96>(out, c0, keep, idx, val, dense),
        11 => panel::<88>(out, c0, keep, idx, val, dense),
        10 => panel::<80>(out, c0, keep, idx, val, dense),
        9 => panel::<72>(out, c0, keep, idx, val, dense),
        8 => panel::<64>(out, c0, keep, idx, val, dense),
        7 => panel::<56>(out, c0, keep, idx, val, dense),
        6 => panel::<48>(out, c0, keep, idx, val, dense),
        5 => panel::<40>(out, c0, keep, idx, val, dense),
        4 => panel::<32>(out, c0, keep, idx, val, dense),
        3 => panel::<24>(out, c0, keep, idx, val, dense),
        2 => panel::<16>(out, c0, keep, idx, val, dense),
        1 => panel::<8>(out, c0, keep, idx, val, dense),
        _ => unreachable!("panels are 8 to 112 columns wide"),
    }
}

multiversion! {
    /// One row of a sparse × dense product: `out = Σ_p values[p] · dense[indices[p]]`, where
    /// `dense` is row-major with `out.len()` columns; each output column sums its terms in
    /// index order (so the result does not depend on how the columns are split into panels).
    /// `out` is only written, never read, and every element of it is written (so it may start
    /// uninitialised, and need not be zeroed first). On freshly allocated zero pages a read
    /// before the first write maps the shared zero page, and the write then costs a
    /// copy-on-write fault with a TLB shootdown across cores (3.6% of a 20 Newsgroups profile).
    ///
    /// Every panel is a pass over the row's entries, so the columns are covered in as few
    /// panels as possible: 64 wide while at least 120 columns remain, then one panel of the
    /// rest rounded up to a multiple of 8 (up to 112: 14 of the 16 AVX2 registers), its extra
    /// sums discarded. For the default l = 90 that is one pass; an exact 88-wide panel and an
    /// 8-wide one for the last two columns made it two, and the SVD stage took 0.145 s instead
    /// of 0.129 s on 20 Newsgroups (median of 8 runs).
    pub fn sparse_row_times_dense(
        out: &mut [MaybeUninit<f32>],
        indices: &[usize],
        values: &[f32],
        dense: &[f32],
    ) {
        let l = out.len();
        let (idx, val) = (indices, values);
        let mut c0 = 0;
        while l - c0 >= 120 {
            panel::<64>(out, c0, 64, idx, val, dense);
            c0 += 64;
        }
        let rest = l - c0;
        if rest == 0 {
            return;
        }
        let n8 = rest.div_ceil(8);
        if n8 <= 14 {
            panel_of(n8, out, c0, rest, idx, val, dense);
        } else {
            // 113 to 119 columns: 112 exactly, then the rest.
            panel_of(14, out, c0, 112, idx, val, dense);
            panel_of(1, out, c0 + 112, rest - 112, idx, val, dense);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_by_hand() {
        let a: Vec<f32> = (1..=10).map(|v| v as f32).collect();
        let b = vec![1.0f32; 10];
        assert_eq!(dot(&a, &b), 55.0);
        assert_eq!(dot(&a, &b), dot_inline(&a, &b));
        let mut out = [0f32; 2];
        dots(&[1.0, 2.0], &[3.0, 4.0, -1.0, 0.5], 2, &mut out);
        assert_eq!(out, [11.0, 0.0]);
        // Lengths with and without a remainder: the dispatched versions give dot_inline's bits.
        for n in [7usize, 8, 21, 100] {
            let a: Vec<f32> = (0..n).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..n).map(|i| (i as f32 * 0.11).cos()).collect();
            assert_eq!(dot(&a, &b), dot_inline(&a, &b));
            let mut o = [0f32; 2];
            let both: Vec<f32> = b.iter().chain(&a).copied().collect();
            dots(&a, &both, n, &mut o);
            assert_eq!(o, [dot_inline(&a, &b), dot_inline(&a, &a)]);
        }
    }

    #[test]
    fn sparse_row_by_hand() {
        // dense = [[1, 2], [3, 4], [5, 6]]; 2·row 0 + 0.5·row 2 = [4.5, 7].
        let dense = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
        let mut out = [MaybeUninit::new(9f32); 2];
        sparse_row_times_dense(&mut out, &[0, 2], &[2.0, 0.5], &dense);
        // SAFETY: the kernel writes every element.
        assert_eq!(out.map(|v| unsafe { v.assume_init() }), [4.5, 7.0]);
        // Widths with every kind of panel and tail, against the plain loop: same bits.
        for l in [
            1, 3, 7, 8, 9, 15, 16, 23, 63, 64, 65, 71, 90, 100, 110, 113, 119, 127, 130,
        ] {
            let dense: Vec<f32> = (0..3 * l)
                .map(|i| ((i * 7919) % 101) as f32 / 13.0)
                .collect();
            let (idx, val) = ([2usize, 0, 1], [0.3f32, -1.7, 2.9]);
            let mut got = vec![MaybeUninit::new(f32::NAN); l];
            sparse_row_times_dense(&mut got, &idx, &val, &dense);
            // SAFETY: the kernel writes every element.
            let got: Vec<f32> = got
                .into_iter()
                .map(|v| unsafe { v.assume_init() })
                .collect();
            let mut want = vec![0.0f32; l];
            for (&j, &v) in idx.iter().zip(&val) {
                for c in 0..l {
                    want[c] += v * dense[j * l + c];
                }
            }
            assert_eq!(got, want, "l = {l}");
        }
    }
}
