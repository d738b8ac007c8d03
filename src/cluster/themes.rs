//! Broad themes over the fine topics: a two-level topic hierarchy.
//!
//! The fine topics keep specific stories apart; a reader also wants the broad themes they belong
//! to. Themes are found by agglomerative clustering of the topics with Ward's criterion
//! (Ward 1963): every topic starts as its own group, represented by the mean of its articles'
//! LSA rows and its size, and the two groups whose merge increases the within-group sum of
//! squares least are merged, `Δ(a, b) = nₐ n_b / (nₐ + n_b) · ‖μₐ − μ_b‖²`, until `m` groups are
//! left. Ward on the topics' means and sizes is exactly the merge that k-means' own objective
//! would pick next, so themes and topics optimise the same thing at two scales.
//!
//! The number of themes defaults to `⌈√k⌉` (a rule of thumb; `--themes N` sets it). Checked on
//! 20 Newsgroups, whose groups form six families (comp, rec, sci, talk, misc, alt/soc): see
//! `BENCHMARKS.md` for the NMI of the themes against those families.
//!
//! Theme ids are ordered by size (0 = largest; ties: the theme holding the lowest topic id), and
//! each theme is described like a topic (c-TF-IDF terms over the theme's articles, a label,
//! typical examples) by [`super::describe`].

use ndarray::{Array2, Axis};

use super::TopicModel;

/// The parent theme of each topic for `m` themes (Ward agglomeration of the topics' mean rows,
/// see the module doc): `parent[topic]`, theme ids ordered by size.
///
/// `emb` holds the rows the model was fitted on (document order, as `model.assignments`).
pub fn parents(model: &TopicModel, emb: &Array2<f32>, m: usize) -> Vec<usize> {
    let k = model.k();
    if k == 0 {
        return Vec::new();
    }
    let d = emb.ncols();
    let mut sums = Array2::<f64>::zeros((k, d));
    let mut sizes = vec![0f64; k];
    for (row, a) in emb.axis_iter(Axis(0)).zip(&model.assignments) {
        if let Some(c) = *a {
            sizes[c] += 1.0;
            sums.row_mut(c).zip_mut_with(&row, |s, &v| *s += v as f64);
        }
    }
    let groups = ward(&sums, &sizes, m.clamp(1, k));
    // Order themes by size (articles), ties by their lowest topic.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    let size_of = |g: &Vec<usize>| g.iter().map(|&t| model.sizes[t]).sum::<usize>();
    order.sort_by(|&a, &b| {
        size_of(&groups[b])
            .cmp(&size_of(&groups[a]))
            .then(groups[a][0].cmp(&groups[b][0]))
    });
    let mut parent = vec![0usize; k];
    for (theme, &g) in order.iter().enumerate() {
        for &t in &groups[g] {
            parent[t] = theme;
        }
    }
    parent
}

/// Ward agglomeration of `k` groups given their row sums and sizes, down to `m` groups; each
/// group lists its members ascending, groups ordered by lowest member. Ties: the pair with the
/// lowest indices. Empty groups (size 0) merge first, at no cost.
fn ward(sums: &Array2<f64>, sizes: &[f64], m: usize) -> Vec<Vec<usize>> {
    let k = sizes.len();
    let mut members: Vec<Vec<usize>> = (0..k).map(|i| vec![i]).collect();
    let mut sum = sums.clone();
    let mut size = sizes.to_vec();
    let mut alive: Vec<usize> = (0..k).collect();
    let cost = |sum: &Array2<f64>, size: &[f64], a: usize, b: usize| -> f64 {
        let (na, nb) = (size[a], size[b]);
        if na == 0.0 || nb == 0.0 {
            return 0.0;
        }
        let d2: f64 = sum
            .row(a)
            .iter()
            .zip(sum.row(b).iter())
            .map(|(&x, &y)| {
                let e = x / na - y / nb;
                e * e
            })
            .sum();
        na * nb / (na + nb) * d2
    };
    while alive.len() > m {
        let mut best = (f64::INFINITY, 0usize, 0usize);
        for (i, &a) in alive.iter().enumerate() {
            for &b in &alive[i + 1..] {
                let c = cost(&sum, &size, a, b);
                if c < best.0 {
                    best = (c, a, b);
                }
            }
        }
        let (_, a, b) = best;
        let moved = std::mem::take(&mut members[b]);
        members[a].extend(moved);
        members[a].sort_unstable();
        let row_b = sum.row(b).to_owned();
        sum.row_mut(a).zip_mut_with(&row_b, |x, &y| *x += y);
        size[a] += size[b];
        alive.retain(|&g| g != b);
    }
    alive.into_iter().map(|g| members[g].clone()).collect()
}

/// Default number of themes for `k` topics: `⌈√k⌉`, at least 1 and at most k.
pub fn default_count(k: usize) -> usize {
    if k == 0 {
        return 0;
    }
    ((k as f64).sqrt().ceil() as usize).clamp(1, k)
}

/// A theme-level model: each document assigned to its topic's theme, centres the unit means of
/// the theme's topic centres weighted by size, scores the documents' cosine to them.
pub fn theme_model(model: &TopicModel, emb: &Array2<f32>, parent: &[usize]) -> TopicModel {
    let m = parent.iter().copied().max().map_or(0, |p| p + 1);
    let d = model.centroids.ncols();
    let mut centres = Array2::<f32>::zeros((m, d));
    for (t, &p) in parent.iter().enumerate() {
        let w = model.sizes[t] as f32;
        let c = model.centroids.row(t);
        centres.row_mut(p).zip_mut_with(&c, |o, &v| *o += w * v);
    }
    let centres = crate::svd::normalize_rows(centres);
    let mut sizes = vec![0usize; m];
    let assignments: Vec<Option<usize>> = model
        .assignments
        .iter()
        .map(|a| a.map(|t| parent[t]))
        .collect();
    assignments.iter().flatten().for_each(|&p| sizes[p] += 1);
    let scores: Vec<f32> = emb
        .axis_iter(Axis(0))
        .zip(&assignments)
        .map(|(row, a)| a.map_or(0.0, |p| row.dot(&centres.row(p))))
        .collect();
    TopicModel {
        version: model.version,
        centroids: centres,
        assignments,
        scores,
        sizes,
        inertia: 0.0,
        k_selection: None,
        names: vec![None; m],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn ward_merges_the_cheapest_pair_first() {
        // Groups 0 and 1 are close (means 0 and 1, 1 article each: Δ = ½·1 = 0.5); group 2 is
        // far (mean 10, 2 articles: Δ with the pair = 2·2/4 · (10 − 0.5)² = 90.25).
        let sums = array![[0.0], [1.0], [20.0]];
        let g = ward(&sums, &[1.0, 1.0, 2.0], 2);
        assert_eq!(g, vec![vec![0, 1], vec![2]]);
        let g = ward(&sums, &[1.0, 1.0, 2.0], 1);
        assert_eq!(g, vec![vec![0, 1, 2]]);
    }

    #[test]
    fn ward_weighs_by_size() {
        // Means 0, 3 and 7: unweighted the pair (3, 7) is closer (distance 4 against 3), but
        // with 100 articles at 0 and at 3 and 1 at 7 merging 7 into 3 costs 100/101 · 16 ≈ 15.8
        // against 50 · 9 = 450 for 0 with 3.
        let sums = array![[0.0], [300.0], [7.0]];
        let g = ward(&sums, &[100.0, 100.0, 1.0], 2);
        assert_eq!(g, vec![vec![0], vec![1, 2]]);
    }

    #[test]
    fn parents_on_a_crafted_model() {
        // Four topics in two directions: topics 0 and 2 along e₁, 1 and 3 along e₂.
        let emb = array![
            [1.0f32, 0.0],
            [0.99, 0.14],
            [0.0, 1.0],
            [0.14, 0.99],
            [0.96, 0.28],
            [0.28, 0.96],
            [0.0, 1.0],
        ];
        let model = TopicModel {
            version: 1,
            centroids: array![[1.0f32, 0.0], [0.0, 1.0], [0.96, 0.28], [0.28, 0.96]],
            assignments: vec![
                Some(0),
                Some(0),
                Some(1),
                Some(1),
                Some(2),
                Some(3),
                Some(1),
            ],
            scores: vec![1.0; 7],
            sizes: vec![2, 3, 1, 1],
            inertia: 0.0,
            k_selection: None,
            names: vec![None; 4],
        };
        let p = parents(&model, &emb, 2);
        // The theme of topics 1 and 3 holds 4 articles, the other 3: it is theme 0.
        assert_eq!(p, vec![1, 0, 1, 0]);
        let tm = theme_model(&model, &emb, &p);
        assert_eq!(tm.sizes, vec![4, 3]);
        assert_eq!(
            tm.assignments,
            vec![
                Some(1),
                Some(1),
                Some(0),
                Some(0),
                Some(1),
                Some(0),
                Some(0)
            ]
        );
        assert_eq!(default_count(20), 5);
        assert_eq!(default_count(1), 1);
    }
}
