//! Deterministic starting centres by bisecting spherical k-means.
//!
//! Bisecting k-means (Steinbach, Karypis & Kumar 2000, who found it better than plain k-means
//! for documents; Savaresi & Boley 2004 for its relation to principal direction divisive
//! partitioning): starting from one part holding every row, the part with the largest sum of
//! squared distances to its mean is cut in two until there are `k` parts. Each cut starts as
//! PCA-Part's (the hyperplane through the part's mean orthogonal to its first principal
//! direction, [`super::kmeans::pca_part`]) and is then refined by spherical 2-means on the part
//! alone: a row goes to the side whose unit mean it is closer to in cosine, i.e. by the sign of
//! `x · (c₁ − c₀)`, until no row changes side. The parts' means start the final Lloyd run on all
//! rows.
//!
//! Why refined cuts rather than PCA-Part's plain ones: on 20 Newsgroups at k = 20 (LSA rows,
//! see `BENCHMARKS.md`), Lloyd from the refined parts reached a lower inertia (14,299 against
//! 14,347 for PCA-Part and 14,311 for the best of 12 k-means++ starts) and NMI 0.634 against
//! 0.625–0.632, and converged in 18 iterations instead of 73, which pays for the refinement.
//! Nothing is random: the topics depend on the rows alone (and, up to exact ties, not on their
//! order). Sums over rows run in fixed chunks added in order, so the thread count does not
//! change a bit.

use ndarray::{Array1, Array2, ArrayView2};
use rayon::prelude::*;

use super::kmeans::{part_stats, principal_direction, worst_part};

/// Rows per parallel task (fixed: results must not depend on the thread count).
const CHUNK: usize = 1024;
/// Most refinement passes per cut (a cut that still moves rows after this many is kept as is;
/// on 20 Newsgroups cuts settled within 3–12 passes).
const MAX_PASSES: usize = 50;

/// The parts of a bisection and the order they were cut in (the first `j` cuts give the
/// `j + 1` parts of a coarser level, see [`Bisection::parts_at`]).
#[derive(Debug, Clone)]
pub struct Bisection {
    /// Rows of each part, by part id (a cut keeps the left side under the old id and appends the
    /// right side).
    pub parts: Vec<Vec<usize>>,
    /// `(part cut, its new sibling)` for each cut, in order.
    pub cuts: Vec<(usize, usize)>,
}

impl Bisection {
    /// The parts after the first `m − 1` cuts (`m` parts; all parts when `m` is larger): a
    /// part cut later is whole again, with its descendants' rows.
    pub fn parts_at(&self, m: usize) -> Vec<Vec<usize>> {
        let m = m.clamp(1, self.parts.len());
        // Owner of each final part at level m: undo the cuts from the last down to the m-th.
        let mut owner: Vec<usize> = (0..self.parts.len()).collect();
        for &(p, q) in self.cuts[m - 1..].iter().rev() {
            owner[q] = p;
        }
        // Resolve chains (a sibling created after m may itself have been cut later).
        for q in 0..owner.len() {
            let mut o = owner[q];
            while owner[o] != o {
                o = owner[o];
            }
            owner[q] = o;
        }
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); m];
        for (q, rows) in self.parts.iter().enumerate() {
            out[owner[q]].extend_from_slice(rows);
        }
        out.iter_mut().for_each(|r| r.sort_unstable());
        out
    }
}

/// Bisecting spherical k-means on the rows of `x` (contiguous, unit or zero rows) into at most
/// `k` parts (fewer when no part of two or more rows is left).
pub fn bisect(x: ArrayView2<'_, f32>, k: usize) -> Bisection {
    let n = x.nrows();
    let mut parts: Vec<Vec<usize>> = vec![(0..n).collect()];
    let mut stats: Vec<(Array1<f64>, f64)> = vec![part_stats(x, &parts[0])];
    let mut cuts = Vec::new();
    while parts.len() < k {
        let Some(p) = worst_part(&parts, &stats) else {
            break;
        };
        let rows = std::mem::take(&mut parts[p]);
        let (left, right) = cut(x, &rows, &stats[p].0);
        stats[p] = part_stats(x, &left);
        parts[p] = left;
        stats.push(part_stats(x, &right));
        parts.push(right);
        cuts.push((p, parts.len() - 1));
    }
    Bisection { parts, cuts }
}

/// The parts' means, one row per part (part order).
pub fn centres(x: ArrayView2<'_, f32>, parts: &[Vec<usize>]) -> Array2<f32> {
    let mut out = Array2::<f32>::zeros((parts.len(), x.ncols()));
    for (mut c, rows) in out.outer_iter_mut().zip(parts) {
        let (mean, _) = part_stats(x, rows);
        c.iter_mut()
            .zip(mean.iter())
            .for_each(|(o, &m)| *o = m as f32);
    }
    out
}

/// Bisecting k-means starting centres for `k` parts ([`bisect`], then [`centres`]).
pub fn bisect_centres(x: ArrayView2<'_, f32>, k: usize) -> Array2<f32> {
    centres(x, &bisect(x, k).parts)
}

/// Cuts `rows` in two: PCA-Part's hyperplane, then spherical 2-means on the part. Neither side
/// is empty (rows that are all equal are split by position).
fn cut(x: ArrayView2<'_, f32>, rows: &[usize], mean: &Array1<f64>) -> (Vec<usize>, Vec<usize>) {
    let v = principal_direction(x, rows, mean);
    let mu_v: f64 = mean.dot(&v);
    let v32: Vec<f32> = v.iter().map(|&a| a as f32).collect();
    let mut side: Vec<bool> = par_map_rows(x, rows, |r| (dot(r, &v32) as f64 - mu_v) > 0.0);
    for _ in 0..MAX_PASSES {
        let Some(w) = side_direction(x, rows, &side) else {
            break;
        };
        let next = par_map_rows(x, rows, |r| dot(r, &w) > 0.0);
        let same = next == side;
        side = next;
        if same {
            break;
        }
    }
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for (&i, &s) in rows.iter().zip(&side) {
        if s {
            right.push(i);
        } else {
            left.push(i);
        }
    }
    if left.is_empty() || right.is_empty() {
        let mid = rows.len() / 2;
        return (rows[..mid].to_vec(), rows[mid..].to_vec());
    }
    (left, right)
}

/// `c₁ − c₀` for the unit means of the two sides (`None` when a side is empty).
fn side_direction(x: ArrayView2<'_, f32>, rows: &[usize], side: &[bool]) -> Option<Vec<f32>> {
    let d = x.ncols();
    let partials: Vec<[Vec<f64>; 2]> = rows
        .par_chunks(CHUNK)
        .zip(side.par_chunks(CHUNK))
        .map(|(rc, sc)| {
            let mut s = [vec![0f64; d], vec![0f64; d]];
            for (&i, &b) in rc.iter().zip(sc) {
                let acc = &mut s[b as usize];
                let r = x.row(i);
                let r = r.to_slice().expect("rows are contiguous");
                acc.iter_mut().zip(r).for_each(|(a, &v)| *a += v as f64);
            }
            s
        })
        .collect();
    let mut sums = [vec![0f64; d], vec![0f64; d]];
    for p in partials {
        for (s, q) in sums.iter_mut().zip(p) {
            s.iter_mut().zip(q).for_each(|(a, b)| *a += b);
        }
    }
    let unit = |s: &[f64]| -> Option<Vec<f64>> {
        let n = s.iter().map(|a| a * a).sum::<f64>().sqrt();
        (n > 0.0).then(|| s.iter().map(|a| a / n).collect())
    };
    let (c0, c1) = (unit(&sums[0])?, unit(&sums[1])?);
    Some(c1.iter().zip(&c0).map(|(a, b)| (a - b) as f32).collect())
}

/// `f` of each row of `rows`, in parallel over fixed chunks, in row order.
fn par_map_rows<T: Send>(
    x: ArrayView2<'_, f32>,
    rows: &[usize],
    f: impl Fn(&[f32]) -> T + Sync,
) -> Vec<T> {
    rows.par_iter()
        .with_min_len(CHUNK)
        .map(|&i| {
            let r = x.row(i);
            f(r.to_slice().expect("rows are contiguous"))
        })
        .collect()
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    crate::kernel::dot(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn two_blobs_cut_apart_and_refined() {
        // Three rows near e₁, three near e₂; the first cut must separate them exactly.
        let x = array![
            [1.0f32, 0.0],
            [0.0, 1.0],
            [0.995, 0.0998],
            [0.0998, 0.995],
            [0.98, 0.199],
            [0.199, 0.98],
        ];
        let b = bisect(x.view(), 2);
        let mut parts = b.parts.clone();
        parts.iter_mut().for_each(|p| p.sort());
        parts.sort();
        assert_eq!(parts, vec![vec![0, 2, 4], vec![1, 3, 5]]);
        assert_eq!(b.cuts, vec![(0, 1)]);
        let c = bisect_centres(x.view(), 2);
        assert_eq!(c.nrows(), 2);
    }

    #[test]
    fn refinement_moves_rows_the_hyperplane_put_wrong() {
        // The first principal direction of this part is along the long axis of the big group,
        // so the PCA cut splits that group; 2-means must end with the small group apart.
        let mut rows = Vec::new();
        for i in 0..20 {
            let t = -0.3 + 0.6 * i as f32 / 19.0;
            rows.push([t.cos(), t.sin(), 0.0]);
        }
        for i in 0..6 {
            let t = 0.05 * i as f32;
            rows.push([0.0, t.sin(), t.cos()]);
        }
        let x = Array2::from_shape_vec((26, 3), rows.concat()).unwrap();
        let b = bisect(x.view(), 2);
        let small: Vec<usize> = (20..26).collect();
        assert!(b.parts.contains(&small), "{:?}", b.parts);
    }

    #[test]
    fn coarser_levels_are_the_first_cuts() {
        let n = 400;
        let x = Array2::from_shape_fn((n, 6), |(i, j)| {
            let h = (i as u64 * 2654435761 + j as u64 * 97) % 1000;
            h as f32 / 1000.0 + if j == i % 6 { 1.5 } else { 0.0 }
        });
        let x = crate::svd::normalize_rows(x);
        let full = bisect(x.view(), 9);
        for m in 1..=9 {
            let mut direct = bisect(x.view(), m).parts;
            direct.iter_mut().for_each(|p| p.sort_unstable());
            assert_eq!(full.parts_at(m), direct, "level {m}");
        }
    }

    #[test]
    fn equal_rows_still_split_and_k_above_rows_stops() {
        let x = Array2::from_elem((4, 3), 0.5f32);
        let b = bisect(x.view(), 10);
        assert_eq!(b.parts.len(), 4);
        assert!(b.parts.iter().all(|p| p.len() == 1));
    }

    #[test]
    fn same_parts_at_any_thread_count() {
        let n = 5000;
        let x = Array2::from_shape_fn((n, 8), |(i, j)| {
            let h = (i as u64 * 2654435761 + j as u64 * 40503) % 1000;
            h as f32 / 1000.0 + if j == i % 8 { 2.0 } else { 0.0 }
        });
        let x = crate::svd::normalize_rows(x);
        let run = |t| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .unwrap()
                .install(|| bisect_centres(x.view(), 8))
        };
        assert_eq!(run(1), run(2));
    }
}
