//! New topics from the articles that fit none, and topic matching after a refit.
//!
//! **Groups among poorly fitting articles** ([`coherent_groups`]): a density-peak leader
//! clustering on the articles' pairwise cosines. Every article's neighbours are the articles at
//! cosine ≥ `link`; the article with the most unclaimed neighbours leads a group made of them;
//! the group is kept when it has at least `min_size` articles and its cohesion — the mean cosine
//! of its members to their (normalised) mean — is at least `min_cohesion`; its members are then
//! claimed. A rejected leader is dropped and the next is tried. Leaders are taken in a fixed
//! order (most neighbours, then lowest index), so the result is deterministic. Unlike k-means it
//! needs no number of groups, and unlike single-link clustering it cannot chain unrelated
//! articles through intermediaries: every member is close to the leader.
//!
//! **Matching after a refit** ([`match_topics`]): old topics are placed in the new LSA space as
//! the normalised mean of their articles' new rows; the assignment maximising the summed cosine
//! between old and new centres is found with the Hungarian method (Kuhn 1955, Munkres 1957;
//! `pathfinding::kuhn_munkres`), and pairs below `min_cos` are not matches. Splits and merges
//! are read from the contingency table of old against new topics.

use ndarray::{Array1, Array2, ArrayView2};
use pathfinding::prelude::{kuhn_munkres, Matrix};
use serde::{Deserialize, Serialize};

/// A coherent group of items.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Item indices, ascending.
    pub members: Vec<usize>,
    /// Mean cosine of the members to their (normalised) mean.
    pub cohesion: f32,
}

/// Unit mean of the given rows (zero when they sum to zero).
pub fn unit_mean(rows: ArrayView2<'_, f32>, members: &[usize]) -> Array1<f32> {
    let mut c = Array1::<f32>::zeros(rows.ncols());
    for &i in members {
        c += &rows.row(i);
    }
    let n = c.dot(&c).sqrt();
    if n > 0.0 {
        c /= n;
    }
    c
}

/// Mean cosine of unit vectors to their normalised mean, from their pairwise cosines:
/// with `s = Σ_j x_j`, `cos(x_i, s) = Σ_j c_ij / ‖s‖` and `‖s‖² = Σ_jk c_jk`.
pub fn cohesion(sims: ArrayView2<'_, f32>, members: &[usize]) -> f32 {
    let row_sums: Vec<f64> = members
        .iter()
        .map(|&i| members.iter().map(|&j| f64::from(sims[[i, j]])).sum())
        .collect();
    let total: f64 = row_sums.iter().sum();
    if total <= 0.0 || members.is_empty() {
        return 0.0;
    }
    (row_sums.iter().sum::<f64>() / total.sqrt() / members.len() as f64) as f32
}

/// Coherent groups among items with pairwise cosines `sims` (see the module doc).
pub fn coherent_groups(
    sims: ArrayView2<'_, f32>,
    link: f32,
    min_size: usize,
    min_cohesion: f32,
) -> Vec<Group> {
    let n = sims.nrows();
    if n < min_size.max(1) {
        return Vec::new();
    }
    let neighbours: Vec<Vec<usize>> = (0..n)
        .map(|i| (0..n).filter(|&j| sims[[i, j]] >= link).collect())
        .collect();
    let mut claimed = vec![false; n];
    let mut tried = vec![false; n];
    let mut groups = Vec::new();
    loop {
        let best = (0..n)
            .filter(|&i| !claimed[i] && !tried[i])
            .map(|i| (neighbours[i].iter().filter(|&&j| !claimed[j]).count(), i))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((count, leader)) = best else { break };
        if count < min_size.max(1) {
            break;
        }
        tried[leader] = true;
        let members: Vec<usize> = neighbours[leader]
            .iter()
            .copied()
            .filter(|&j| !claimed[j])
            .collect();
        let c = cohesion(sims, &members);
        if c >= min_cohesion {
            members.iter().for_each(|&i| claimed[i] = true);
            groups.push(Group {
                members,
                cohesion: c,
            });
        }
    }
    groups
}

/// How a refit's topics relate to the previous ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lifecycle {
    /// `(old id, new index, cosine)` of the matched pairs.
    pub matched: Vec<(usize, usize, f32)>,
    /// New topic indices with no old match.
    pub births: Vec<usize>,
    /// Old ids with no new match.
    pub deaths: Vec<usize>,
    /// Old ids whose articles went in large parts (each ≥ the split share) to several new
    /// topics: `(old id, new indices)`.
    pub splits: Vec<(usize, Vec<usize>)>,
    /// New topics that took large parts of several old topics: `(new index, old ids)`.
    pub merges: Vec<(usize, Vec<usize>)>,
}

/// Matches old topics (`old_centres`, one unit row per old id in `old_ids`, in the new space)
/// to new centroids by the Hungarian method on cosine; `contingency[o][n]` counts the articles
/// of old row `o` now in new topic `n`.
pub fn match_topics(
    old_ids: &[usize],
    old_centres: &Array2<f32>,
    new_centres: &Array2<f32>,
    contingency: &[Vec<usize>],
    min_cos: f32,
    part_share: f64,
) -> Lifecycle {
    let (no, nn) = (old_centres.nrows(), new_centres.nrows());
    let sims = old_centres.dot(&new_centres.t());
    // kuhn_munkres needs integer weights and no more rows than columns.
    let scale = |c: f32| (f64::from(c) * 1e6).round() as i64;
    let pairs: Vec<(usize, usize)> = if no == 0 || nn == 0 {
        Vec::new()
    } else if no <= nn {
        let w = Matrix::from_fn(no, nn, |(o, n)| scale(sims[[o, n]]));
        kuhn_munkres(&w).1.into_iter().enumerate().collect()
    } else {
        let w = Matrix::from_fn(nn, no, |(n, o)| scale(sims[[o, n]]));
        let mut p: Vec<(usize, usize)> = kuhn_munkres(&w)
            .1
            .into_iter()
            .enumerate()
            .map(|(n, o)| (o, n))
            .collect();
        p.sort_unstable();
        p
    };
    let mut out = Lifecycle::default();
    let mut old_matched = vec![false; no];
    let mut new_matched = vec![false; nn];
    for (o, n) in pairs {
        let c = sims[[o, n]];
        if c >= min_cos {
            out.matched.push((old_ids[o], n, c));
            old_matched[o] = true;
            new_matched[n] = true;
        }
    }
    out.births = (0..nn).filter(|&n| !new_matched[n]).collect();
    out.deaths = (0..no)
        .filter(|&o| !old_matched[o])
        .map(|o| old_ids[o])
        .collect();
    let old_size: Vec<usize> = contingency.iter().map(|r| r.iter().sum()).collect();
    let new_size: Vec<usize> = (0..nn)
        .map(|n| contingency.iter().map(|r| r[n]).sum())
        .collect();
    for (o, row) in contingency.iter().enumerate() {
        let parts: Vec<usize> = (0..nn)
            .filter(|&n| old_size[o] > 0 && row[n] as f64 >= part_share * old_size[o] as f64)
            .collect();
        if parts.len() >= 2 {
            out.splits.push((old_ids[o], parts));
        }
    }
    for n in 0..nn {
        let parts: Vec<usize> = (0..no)
            .filter(|&o| {
                new_size[n] > 0 && contingency[o][n] as f64 >= part_share * new_size[n] as f64
            })
            .map(|o| old_ids[o])
            .collect();
        if parts.len() >= 2 {
            out.merges.push((n, parts));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::arr2;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn groups_need_size_and_cohesion() {
        // Five rows near e0, two near e1, one alone on e2.
        let mut rows = Vec::new();
        for i in 0..5 {
            rows.extend(unit(&[1.0, 0.05 * i as f32, 0.0]));
        }
        rows.extend(unit(&[0.0, 1.0, 0.1]));
        rows.extend(unit(&[0.1, 1.0, 0.0]));
        rows.extend(unit(&[0.0, 0.0, 1.0]));
        let a = Array2::from_shape_vec((8, 3), rows).unwrap();
        let sims = a.dot(&a.t());
        // Cohesion from the cosines equals the mean cosine to the normalised mean.
        let m = [0usize, 1, 5];
        let c = unit_mean(a.view(), &m);
        let direct = m.iter().map(|&i| a.row(i).dot(&c)).sum::<f32>() / 3.0;
        assert!((cohesion(sims.view(), &m) - direct).abs() < 1e-5);
        let g = coherent_groups(sims.view(), 0.9, 3, 0.95);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].members, [0, 1, 2, 3, 4]);
        assert!(g[0].cohesion > 0.99);
        // Size 2 is enough for the second group; the lone row never forms one.
        let g = coherent_groups(sims.view(), 0.9, 2, 0.95);
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].members, [5, 6]);
        // A cohesion no group reaches.
        assert!(coherent_groups(sims.view(), 0.9, 2, 0.9999).is_empty());
    }

    #[test]
    fn hungarian_matching_births_deaths_splits_merges() {
        // Old topics 7 (≈ e0) and 9 (≈ e1); new topics: 0 ≈ e1, 1 ≈ e0, 2 ≈ e2.
        let old = arr2(&[[1.0f32, 0.0, 0.0], [0.0, 1.0, 0.0]]);
        let new = arr2(&[[0.0f32, 1.0, 0.0], [0.9950, 0.0998, 0.0], [0.0, 0.0, 1.0]]);
        // Old 7's 100 articles: 60 to new 1, 40 to new 2 (a split); old 9's all to new 0.
        let cont = vec![vec![0, 60, 40], vec![50, 0, 0]];
        let l = match_topics(&[7, 9], &old, &new, &cont, 0.5, 0.25);
        assert_eq!(
            l.matched.iter().map(|m| (m.0, m.1)).collect::<Vec<_>>(),
            [(7, 1), (9, 0)]
        );
        assert_eq!(l.births, [2]);
        assert!(l.deaths.is_empty());
        assert_eq!(l.splits, [(7, vec![1, 2])]);
        assert!(l.merges.is_empty());
        // More old than new topics: both old ones flow into one new topic (a merge); the worse
        // match dies.
        let new1 = arr2(&[[0.8f32, 0.6, 0.0]]);
        let l = match_topics(&[7, 9], &old, &new1, &[vec![100], vec![80]], 0.5, 0.25);
        assert_eq!(l.matched.iter().map(|m| m.0).collect::<Vec<_>>(), [7]);
        assert_eq!(l.deaths, [9]);
        assert_eq!(l.merges, [(0, vec![7, 9])]);
    }
}
