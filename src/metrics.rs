//! Clustering quality against gold labels, to scikit-learn's definitions.
//!
//! [`evaluate`] scores a clustering (one cluster id per article) against gold labels (zero, one or
//! several per article) and returns [`Scores`]. The lower-level functions work on integer label
//! slices ([`contingency`], [`nmi`], [`ari`], [`homogeneity_completeness_v`], [`purity`],
//! [`bcubed`]); [`Contingency`] has the same scores as methods, so one table serves them all.
//!
//! # Which items are scored
//!
//! - Items with **no** gold label are skipped entirely: they count in no score, no cluster size
//!   and no total.
//! - B-cubed precision / recall / F1 use **every labelled item**, multi-label ones included, with
//!   the extended B-cubed of Amigó et al. (2009) below. This is how multi-label articles (the
//!   Reuters `labels` field) are handled. [`Scores::n_items`] is the number of these items.
//! - NMI, ARI, homogeneity / completeness / V-measure and purity are defined for one class per
//!   item, so they are computed on the items with **exactly one** gold label (duplicates of a label
//!   on one item count once). [`Scores::n_single_label`] is the number of these items.
//!
//! # Notation
//!
//! `N` items; gold classes `c`, clusters `k`; `n_ck` = items of class `c` in cluster `k` (the
//! contingency table, kept sparse: only non-zero cells), `a_c = Σ_k n_ck` (class sizes),
//! `b_k = Σ_c n_ck` (cluster sizes). Logarithms are natural; every score is invariant to renaming
//! the classes or the clusters.
//!
//! - Entropies: `H(C) = -Σ_c (a_c/N) ln(a_c/N)`, `H(K) = -Σ_k (b_k/N) ln(b_k/N)`.
//! - Mutual information: `I(C;K) = Σ_{c,k} (n_ck/N) ln(N n_ck / (a_c b_k))` (terms below machine
//!   epsilon are dropped and the sum is clipped at 0, as in scikit-learn's `mutual_info_score`).
//!
//! # Normalised mutual information (NMI)
//!
//! Strehl & Ghosh (2002), "Cluster ensembles — a knowledge reuse framework for combining multiple
//! partitions", JMLR 3. Normalised by the **arithmetic mean** of the entropies, scikit-learn's
//! default for `normalized_mutual_info_score` (Strehl & Ghosh used the geometric mean):
//!
//! `NMI = I(C;K) / ((H(C) + H(K)) / 2)`
//!
//! Edge cases (as scikit-learn): one class and one cluster → 1.0 (neither labelling splits the
//! data, a perfect match); otherwise `I = 0` → 0.0. With this normalisation NMI equals the
//! V-measure.
//!
//! # Adjusted Rand index (ARI)
//!
//! Hubert & Arabie (1985), "Comparing partitions", Journal of Classification 2. The Rand index
//! corrected for chance, with `C(x) = x(x-1)/2`:
//!
//! `ARI = (Σ_ck C(n_ck) - E) / ((Σ_c C(a_c) + Σ_k C(b_k)) / 2 - E)`,
//! `E = Σ_c C(a_c) Σ_k C(b_k) / C(N)`.
//!
//! Computed as scikit-learn does, from the pair confusion matrix in exact integers (`i128`): with
//! ordered pairs `tp` (same class, same cluster), `fp` (same cluster only), `fn` (same class only),
//! `tn` (neither), `ARI = 2 (tp·tn - fn·fp) / ((tp+fn)(fn+tn) + (tp+fp)(fp+tn))`, and 1.0 when
//! `fn = fp = 0` (full agreement, including one class and one cluster). ARI can be negative.
//!
//! # Homogeneity, completeness, V-measure
//!
//! Rosenberg & Hirschberg (2007), "V-measure: a conditional entropy-based external cluster
//! evaluation measure", EMNLP-CoNLL. With `β = 1`:
//!
//! - homogeneity `h = 1 - H(C|K)/H(C) = I(C;K)/H(C)`, 1.0 when `H(C) = 0` (one class);
//! - completeness `c = 1 - H(K|C)/H(K) = I(C;K)/H(K)`, 1.0 when `H(K) = 0` (one cluster);
//! - V-measure `V = 2hc / (h + c)`, 0.0 when `h + c = 0`.
//!
//! # Purity
//!
//! Zhao & Karypis (2001); Manning, Raghavan & Schütze (2008), *Introduction to Information
//! Retrieval*, §16.3: each cluster is credited with its most frequent class,
//! `purity = (1/N) Σ_k max_c n_ck`. Not chance-corrected: all-singleton clusters score 1.0.
//!
//! # B-cubed precision, recall, F1
//!
//! Bagga & Baldwin (1998), "Entity-based cross-document coreferencing using the vector space
//! model", COLING-ACL; extended to items with several gold labels by Amigó, Gonzalo, Artiles &
//! Verdejo (2009), "A comparison of extrinsic clustering evaluation metrics based on formal
//! constraints", Information Retrieval 12(4). For items `e, e'` let `L(e)` be the gold label set
//! and `C(e)` the cluster set (here one cluster per item, so `|C(e) ∩ C(e')|` is 1 when `e` and
//! `e'` share a cluster and 0 otherwise). The multiplicity precision and recall of a pair are
//!
//! - `MP(e,e') = min(|C(e)∩C(e')|, |L(e)∩L(e')|) / |C(e)∩C(e')|` (pairs sharing a cluster),
//! - `MR(e,e') = min(|C(e)∩C(e')|, |L(e)∩L(e')|) / |L(e)∩L(e')|` (pairs sharing a label),
//!
//! and, averaging over items `e` and, per item, over the `e'` (itself included) that share a
//! cluster (precision) or a label (recall) with it:
//!
//! - `precision = Avg_e Avg_{e': C(e)∩C(e')≠∅} MP(e,e')`
//!   — with hard clusters: the share of `e`'s cluster that has a label in common with `e`;
//! - `recall = Avg_e Avg_{e': L(e)∩L(e')≠∅} MR(e,e')`
//!   — with hard clusters `MR` is `1/|L(e)∩L(e')|` inside `e`'s cluster and 0 outside, so an
//!   item with two labels has at most half its own pair right: one cluster cannot express both;
//! - `F1 = 2 · precision · recall / (precision + recall)` (Amigó et al.'s `F` with `α = 0.5`,
//!   combining the averaged precision and recall).
//!
//! With one label per item this is the original B-cubed:
//! `precision = (1/N) Σ_ck n_ck² / b_k`, `recall = (1/N) Σ_ck n_ck² / a_c`.
//!
//! # Cost and determinism
//!
//! The contingency table is built by sorting the `(class, cluster)` pairs, so it costs
//! `O(N log N)` time and `O(N)` memory whatever the number of classes and clusters. B-cubed groups
//! items by distinct label set and works cluster by cluster (in parallel), in time proportional to
//! the number of `(cluster, label set)` cells times the label sets that share a label with each.
//! Every floating-point sum runs over sorted keys and parallel partial sums are added in cluster
//! order, so results do not depend on hash order or thread count.

use ahash::AHashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Clustering scores against gold labels (see the [module documentation](self) for definitions).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Scores {
    /// Items with at least one gold label (unlabelled items are skipped entirely); B-cubed uses
    /// all of them.
    pub n_items: usize,
    /// Items with exactly one gold label; NMI, ARI, homogeneity, completeness, V-measure and
    /// purity use only these.
    pub n_single_label: usize,
    /// Distinct gold labels over the labelled items.
    pub n_classes: usize,
    /// Distinct clusters over the labelled items.
    pub n_clusters: usize,
    /// Normalised mutual information, arithmetic-mean normalisation (Strehl & Ghosh 2002), in
    /// `[0, 1]`.
    pub nmi: f64,
    /// Adjusted Rand index (Hubert & Arabie 1985), at most 1, about 0 for chance, can be negative.
    pub ari: f64,
    /// Homogeneity (Rosenberg & Hirschberg 2007), in `[0, 1]`: each cluster holds one class.
    pub homogeneity: f64,
    /// Completeness (Rosenberg & Hirschberg 2007), in `[0, 1]`: each class is in one cluster.
    pub completeness: f64,
    /// V-measure, harmonic mean of homogeneity and completeness (`β = 1`), in `[0, 1]`.
    pub v_measure: f64,
    /// Purity, share of items in their cluster's majority class, in `(0, 1]`.
    pub purity: f64,
    /// Extended B-cubed precision (Bagga & Baldwin 1998; Amigó et al. 2009), in `(0, 1]`.
    pub bcubed_precision: f64,
    /// Extended B-cubed recall (Bagga & Baldwin 1998; Amigó et al. 2009), in `(0, 1]`.
    pub bcubed_recall: f64,
    /// Harmonic mean of B-cubed precision and recall.
    pub bcubed_f1: f64,
}

/// Homogeneity, completeness and V-measure (Rosenberg & Hirschberg 2007, `β = 1`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct VMeasure {
    /// `I(C;K) / H(C)`, 1.0 when there is one class.
    pub homogeneity: f64,
    /// `I(C;K) / H(K)`, 1.0 when there is one cluster.
    pub completeness: f64,
    /// `2hc / (h + c)`, 0.0 when `h + c = 0`.
    pub v_measure: f64,
}

/// Extended B-cubed precision, recall and F1 (Bagga & Baldwin 1998; Amigó et al. 2009).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct BCubed {
    /// Average over items of the share of their cluster that has a gold label in common with them.
    pub precision: f64,
    /// Average over items of the (multiplicity-weighted) share of items sharing a gold label with
    /// them that are in their cluster.
    pub recall: f64,
    /// `2 · precision · recall / (precision + recall)`.
    pub f1: f64,
}

/// Sparse contingency table of two labellings of the same items.
///
/// Rows are the distinct labels of the first labelling (the gold classes, for the scores where
/// the order matters), columns those of the second (the clusters), both in ascending order; only
/// non-zero cells are stored. Built by [`contingency`].
#[derive(Debug, Clone, PartialEq)]
pub struct Contingency {
    n: usize,
    row_labels: Vec<usize>,
    col_labels: Vec<usize>,
    row_sums: Vec<usize>,
    col_sums: Vec<usize>,
    cells: Vec<(usize, usize, usize)>,
}

/// Builds the sparse contingency table of labellings `a` (rows) and `b` (columns).
///
/// Labels can be any `usize` values (they need not be contiguous). Errors if the slices differ in
/// length or are empty.
pub fn contingency(a: &[usize], b: &[usize]) -> Result<Contingency> {
    check_lengths("labels", a.len(), b.len())?;
    if a.is_empty() {
        return Err(Error::NotEnoughData(
            "no items to compare the labellings on".into(),
        ));
    }
    let mut pairs: Vec<(usize, usize)> = a.iter().copied().zip(b.iter().copied()).collect();
    pairs.par_sort_unstable();

    let mut col_labels: Vec<usize> = Vec::new();
    let mut raw: Vec<(usize, usize, usize)> = Vec::new();
    for &(x, y) in &pairs {
        match raw.last_mut() {
            Some(last) if last.0 == x && last.1 == y => last.2 += 1,
            _ => {
                raw.push((x, y, 1));
                col_labels.push(y);
            }
        }
    }
    drop(pairs);
    col_labels.sort_unstable();
    col_labels.dedup();

    let mut row_labels: Vec<usize> = Vec::new();
    let mut row_sums: Vec<usize> = Vec::new();
    let mut col_sums = vec![0usize; col_labels.len()];
    let mut cells = Vec::with_capacity(raw.len());
    for (x, y, count) in raw {
        if row_labels.last() != Some(&x) {
            row_labels.push(x);
            row_sums.push(0);
        }
        let row = row_labels.len() - 1;
        let col = col_labels
            .binary_search(&y)
            .expect("column label was collected");
        row_sums[row] += count;
        col_sums[col] += count;
        cells.push((row, col, count));
    }
    Ok(Contingency {
        n: a.len(),
        row_labels,
        col_labels,
        row_sums,
        col_sums,
        cells,
    })
}

impl Contingency {
    /// Number of items.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Distinct labels of the first labelling (rows), ascending.
    pub fn row_labels(&self) -> &[usize] {
        &self.row_labels
    }

    /// Distinct labels of the second labelling (columns), ascending.
    pub fn col_labels(&self) -> &[usize] {
        &self.col_labels
    }

    /// Items per row label (`a_c`), in the order of [`Contingency::row_labels`].
    pub fn row_sums(&self) -> &[usize] {
        &self.row_sums
    }

    /// Items per column label (`b_k`), in the order of [`Contingency::col_labels`].
    pub fn col_sums(&self) -> &[usize] {
        &self.col_sums
    }

    /// Non-zero cells `(row index, column index, count)`, sorted by row then column; the indices
    /// point into [`Contingency::row_labels`] and [`Contingency::col_labels`].
    pub fn cells(&self) -> &[(usize, usize, usize)] {
        &self.cells
    }

    /// Mutual information `I(C;K)` in nats, computed as scikit-learn's `mutual_info_score`:
    /// 0.0 when either labelling has a single label, terms smaller than machine epsilon dropped,
    /// the sum clipped at 0.
    pub fn mutual_info(&self) -> f64 {
        if self.row_sums.len() == 1 || self.col_sums.len() == 1 {
            return 0.0;
        }
        let n = self.n as f64;
        let ln_n = n.ln();
        let mut mi = 0.0;
        for &(row, col, count) in &self.cells {
            let count = count as f64;
            let p = count / n;
            // scikit-learn forms a_c * b_k in int64 and takes logs of each factor separately.
            let outer = (self.row_sums[row] as u64 * self.col_sums[col] as u64) as f64;
            let term = p * (count.ln() - ln_n) + p * (-outer.ln() + ln_n + ln_n);
            if term.abs() >= f64::EPSILON {
                mi += term;
            }
        }
        mi.max(0.0)
    }

    /// Entropy `H` (nats) of the row labelling.
    pub fn row_entropy(&self) -> f64 {
        entropy(&self.row_sums, self.n)
    }

    /// Entropy `H` (nats) of the column labelling.
    pub fn col_entropy(&self) -> f64 {
        entropy(&self.col_sums, self.n)
    }

    /// Normalised mutual information, arithmetic-mean normalisation; see [`nmi`].
    pub fn nmi(&self) -> f64 {
        if self.row_sums.len() == 1 && self.col_sums.len() == 1 {
            return 1.0;
        }
        let mi = self.mutual_info();
        if mi == 0.0 {
            return 0.0;
        }
        mi / ((self.row_entropy() + self.col_entropy()) / 2.0)
    }

    /// Adjusted Rand index; see [`ari`].
    pub fn ari(&self) -> f64 {
        let n = self.n as i128;
        let (mut sum_squares, mut same_col, mut same_row) = (0i128, 0i128, 0i128);
        for &(row, col, count) in &self.cells {
            let count = count as i128;
            sum_squares += count * count;
            same_col += count * self.col_sums[col] as i128;
            same_row += count * self.row_sums[row] as i128;
        }
        // Ordered pairs, items paired with themselves excluded (scikit-learn's
        // `pair_confusion_matrix`).
        let tp = sum_squares - n;
        let fp = same_col - sum_squares;
        let fn_ = same_row - sum_squares;
        let tn = n * n - fp - fn_ - sum_squares;
        if fn_ == 0 && fp == 0 {
            return 1.0;
        }
        let numerator = tp * tn - fn_ * fp;
        let denominator = (tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn);
        2.0 * numerator as f64 / denominator as f64
    }

    /// Homogeneity, completeness and V-measure with rows as gold classes and columns as clusters;
    /// see [`homogeneity_completeness_v`].
    pub fn homogeneity_completeness_v(&self) -> VMeasure {
        let h_classes = self.row_entropy();
        let h_clusters = self.col_entropy();
        let mi = self.mutual_info();
        let homogeneity = if h_classes != 0.0 {
            mi / h_classes
        } else {
            1.0
        };
        let completeness = if h_clusters != 0.0 {
            mi / h_clusters
        } else {
            1.0
        };
        let v_measure = if homogeneity + completeness == 0.0 {
            0.0
        } else {
            2.0 * homogeneity * completeness / (homogeneity + completeness)
        };
        VMeasure {
            homogeneity,
            completeness,
            v_measure,
        }
    }

    /// Purity with rows as gold classes and columns as clusters; see [`purity`].
    pub fn purity(&self) -> f64 {
        let mut majority = vec![0usize; self.col_sums.len()];
        for &(_, col, count) in &self.cells {
            majority[col] = majority[col].max(count);
        }
        majority.iter().sum::<usize>() as f64 / self.n as f64
    }
}

/// Normalised mutual information of two labellings, `I(A;B) / ((H(A) + H(B)) / 2)` (Strehl &
/// Ghosh 2002, arithmetic normalisation as scikit-learn's default). Symmetric; 1.0 when both
/// labellings have a single label, 0.0 when the mutual information is 0.
///
/// Errors if the slices differ in length or are empty (scikit-learn returns 1.0 for empty input).
pub fn nmi(a: &[usize], b: &[usize]) -> Result<f64> {
    Ok(contingency(a, b)?.nmi())
}

/// Adjusted Rand index of two labellings (Hubert & Arabie 1985), in exact integer pair counts as
/// scikit-learn. Symmetric; 1.0 for identical partitions (up to renaming), about 0.0 for chance.
///
/// Errors if the slices differ in length or are empty (scikit-learn returns 1.0 for empty input).
pub fn ari(a: &[usize], b: &[usize]) -> Result<f64> {
    Ok(contingency(a, b)?.ari())
}

/// Homogeneity, completeness and V-measure of the clustering `pred` against classes `gold`
/// (Rosenberg & Hirschberg 2007, `β = 1`).
///
/// Errors if the slices differ in length or are empty (scikit-learn returns 1.0 for empty input).
pub fn homogeneity_completeness_v(gold: &[usize], pred: &[usize]) -> Result<VMeasure> {
    Ok(contingency(gold, pred)?.homogeneity_completeness_v())
}

/// Purity of the clustering `pred` against classes `gold`: `(1/N) Σ_k max_c n_ck`.
///
/// Errors if the slices differ in length or are empty.
pub fn purity(gold: &[usize], pred: &[usize]) -> Result<f64> {
    Ok(contingency(gold, pred)?.purity())
}

/// Extended B-cubed precision, recall and F1 (Amigó et al. 2009) of the clustering `pred` against
/// gold label sets: `gold_sets[i]` holds the labels of item `i` (order and repeats do not matter).
///
/// Items with an empty label set are ignored (they count in no cluster). Errors if the slices
/// differ in length or no item has a label.
pub fn bcubed(gold_sets: &[Vec<usize>], pred: &[usize]) -> Result<BCubed> {
    check_lengths("gold_sets", pred.len(), gold_sets.len())?;

    // Intern the distinct (sorted, deduplicated) label sets, ids in order of first appearance.
    let mut set_ids: AHashMap<Vec<usize>, usize> = AHashMap::new();
    let mut sets: Vec<Vec<usize>> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::with_capacity(pred.len());
    let mut buf: Vec<usize> = Vec::new();
    for (labels, &cluster) in gold_sets.iter().zip(pred) {
        if labels.is_empty() {
            continue;
        }
        buf.clear();
        buf.extend_from_slice(labels);
        buf.sort_unstable();
        buf.dedup();
        let id = match set_ids.get(buf.as_slice()) {
            Some(&id) => id,
            None => {
                let id = sets.len();
                set_ids.insert(buf.clone(), id);
                sets.push(buf.clone());
                id
            }
        };
        pairs.push((cluster, id));
    }
    drop(set_ids);
    let n = pairs.len();
    if n == 0 {
        return Err(Error::NotEnoughData(format!(
            "none of the {} items has a gold label",
            gold_sets.len()
        )));
    }

    // (cluster, set, count), sorted by cluster then set.
    pairs.par_sort_unstable();
    let mut cells: Vec<(usize, usize, usize)> = Vec::new();
    for &(cluster, set) in &pairs {
        match cells.last_mut() {
            Some(last) if last.0 == cluster && last.1 == set => last.2 += 1,
            _ => cells.push((cluster, set, 1)),
        }
    }
    drop(pairs);

    // Items per label set, and the label → sets index.
    let mut set_totals = vec![0usize; sets.len()];
    for &(_, set, count) in &cells {
        set_totals[set] += count;
    }
    let mut sets_with_label: AHashMap<usize, Vec<usize>> = AHashMap::new();
    for (id, set) in sets.iter().enumerate() {
        for &label in set {
            sets_with_label.entry(label).or_default().push(id);
        }
    }
    // Recall denominators: items that share at least one label with each set.
    let sharing: Vec<usize> = (0..sets.len())
        .into_par_iter()
        .map(|id| {
            let mut others: Vec<usize> = sets[id]
                .iter()
                .flat_map(|label| sets_with_label[label].iter().copied())
                .collect();
            others.sort_unstable();
            others.dedup();
            others.iter().map(|&other| set_totals[other]).sum()
        })
        .collect();

    // Cluster by cluster: Σ_e precision(e) and Σ_e recall(e) over the items e of the cluster.
    let clusters: Vec<&[(usize, usize, usize)]> = cells.chunk_by(|x, y| x.0 == y.0).collect();
    let partial: Vec<(f64, f64)> = clusters
        .par_iter()
        .map(|cluster| bcubed_cluster(cluster, &sets, &sharing))
        .collect();
    let (mut precision, mut recall) = (0.0, 0.0);
    for (p, r) in partial {
        precision += p;
        recall += r;
    }
    precision /= n as f64;
    recall /= n as f64;
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Ok(BCubed {
        precision,
        recall,
        f1,
    })
}

/// Sums of B-cubed precision and recall over the items of one cluster, given its cells
/// `(cluster, set id, count)` sorted by set id, the label sets, and per set the number of items
/// sharing a label with it.
fn bcubed_cluster(
    cells: &[(usize, usize, usize)],
    sets: &[Vec<usize>],
    sharing: &[usize],
) -> (f64, f64) {
    let size: usize = cells.iter().map(|cell| cell.2).sum();
    // Label → positions (in `cells`) of this cluster's sets holding the label, ascending.
    let mut local: AHashMap<usize, Vec<usize>> = AHashMap::new();
    for (pos, &(_, set, _)) in cells.iter().enumerate() {
        for &label in &sets[set] {
            local.entry(label).or_default().push(pos);
        }
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    let mut hits: Vec<usize> = Vec::new();
    for &(_, set, count) in cells {
        // Each position appears once per shared label: runs give |L(e) ∩ L(e')|.
        hits.clear();
        for label in &sets[set] {
            hits.extend_from_slice(&local[label]);
        }
        hits.sort_unstable();
        let mut same_cluster_sharing = 0usize;
        let mut recall_sum = 0.0;
        for run in hits.chunk_by(|x, y| x == y) {
            let other_count = cells[run[0]].2;
            same_cluster_sharing += other_count;
            recall_sum += other_count as f64 / run.len() as f64;
        }
        let count = count as f64;
        precision += count * same_cluster_sharing as f64 / size as f64;
        recall += count * recall_sum / sharing[set] as f64;
    }
    (precision, recall)
}

/// Scores the clustering `pred` (`pred[i]` = cluster of item `i`) against gold labels
/// (`gold[i]` = labels of item `i`: empty = unlabelled, skipped entirely; one label = single;
/// several = multi-label). Repeated labels on one item count once.
///
/// B-cubed uses every labelled item (extended B-cubed for multi-label ones); NMI, ARI,
/// homogeneity, completeness, V-measure and purity use the single-label items only. See the
/// [module documentation](self).
///
/// Errors if the slices differ in length, if no item has a gold label, or if no item has exactly
/// one (the single-label scores would be undefined).
pub fn evaluate(pred: &[usize], gold: &[Vec<String>]) -> Result<Scores> {
    check_lengths("gold", pred.len(), gold.len())?;

    // Label strings → ids in sorted order.
    let mut names: Vec<&str> = gold.iter().flatten().map(String::as_str).collect();
    names.par_sort_unstable();
    names.dedup();
    let ids: AHashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(id, &name)| (name, id))
        .collect();

    let mut gold_sets: Vec<Vec<usize>> = Vec::with_capacity(gold.len());
    let mut single_gold: Vec<usize> = Vec::new();
    let mut single_pred: Vec<usize> = Vec::new();
    let mut labelled_clusters: Vec<usize> = Vec::new();
    for (labels, &cluster) in gold.iter().zip(pred) {
        let mut set: Vec<usize> = labels.iter().map(|name| ids[name.as_str()]).collect();
        set.sort_unstable();
        set.dedup();
        if set.len() == 1 {
            single_gold.push(set[0]);
            single_pred.push(cluster);
        }
        if !set.is_empty() {
            labelled_clusters.push(cluster);
        }
        gold_sets.push(set);
    }
    let n_items = labelled_clusters.len();
    if n_items == 0 {
        return Err(Error::NotEnoughData(format!(
            "none of the {} items has a gold label",
            gold.len()
        )));
    }
    if single_gold.is_empty() {
        return Err(Error::NotEnoughData(format!(
            "none of the {n_items} labelled items has exactly one gold label, which NMI, ARI, \
             V-measure and purity need"
        )));
    }
    labelled_clusters.par_sort_unstable();
    labelled_clusters.dedup();

    let table = contingency(&single_gold, &single_pred)?;
    let v = table.homogeneity_completeness_v();
    let b = bcubed(&gold_sets, pred)?;
    Ok(Scores {
        n_items,
        n_single_label: single_gold.len(),
        n_classes: names.len(),
        n_clusters: labelled_clusters.len(),
        nmi: table.nmi(),
        ari: table.ari(),
        homogeneity: v.homogeneity,
        completeness: v.completeness,
        v_measure: v.v_measure,
        purity: table.purity(),
        bcubed_precision: b.precision,
        bcubed_recall: b.recall,
        bcubed_f1: b.f1,
    })
}

/// Errors unless the second slice has one entry per entry of the first.
fn check_lengths(name: &'static str, expected: usize, got: usize) -> Result<()> {
    if expected == got {
        Ok(())
    } else {
        Err(Error::param(
            name,
            format!("{got} entries"),
            format!("expected one per item, {expected} items"),
        ))
    }
}

/// Entropy (nats) of a labelling given its non-zero label counts, as scikit-learn's `entropy`:
/// `-Σ (c/N)(ln c - ln N)`, 0.0 for a single label.
fn entropy(counts: &[usize], n: usize) -> f64 {
    if counts.len() <= 1 {
        return 0.0;
    }
    let n = n as f64;
    let ln_n = n.ln();
    -counts
        .iter()
        .map(|&c| (c as f64 / n) * ((c as f64).ln() - ln_n))
        .sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOL: f64 = 1e-10;

    fn assert_close(got: f64, want: f64, what: &str) {
        assert!(
            (got - want).abs() <= TOL,
            "{what}: got {got:.17}, want {want:.17}"
        );
    }

    /// Pseudo-random stream (the `rand()` LCG of the C standard), reproducible in Python.
    fn lcg(state: &mut u64) -> u64 {
        *state = (*state * 1_103_515_245 + 12_345) % (1 << 31);
        *state
    }

    /// 200 items, 4 classes; a third of them get a random cluster out of 5, the rest their class.
    /// Python: `x=42; for i in range(200): x=(x*1103515245+12345)%2**31; g=(x>>16)%4;
    /// p=(x>>20)%5 if (x>>8)%3==0 else g`.
    fn lcg200() -> (Vec<usize>, Vec<usize>) {
        let mut state = 42;
        (0..200)
            .map(|_| {
                let x = lcg(&mut state);
                let g = ((x >> 16) % 4) as usize;
                let p = if (x >> 8).is_multiple_of(3) {
                    ((x >> 20) % 5) as usize
                } else {
                    g
                };
                (g, p)
            })
            .unzip()
    }

    fn strings(sets: &[&[&str]]) -> Vec<Vec<String>> {
        sets.iter()
            .map(|set| set.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    /// Extended B-cubed straight from Amigó et al. (2009), over all pairs of items.
    fn bcubed_naive(gold_sets: &[Vec<usize>], pred: &[usize]) -> (f64, f64) {
        let items: Vec<usize> = (0..pred.len())
            .filter(|&i| !gold_sets[i].is_empty())
            .collect();
        let shared = |i: usize, j: usize| {
            let (a, b) = (&gold_sets[i], &gold_sets[j]);
            let mut a = a.clone();
            a.sort_unstable();
            a.dedup();
            a.iter().filter(|label| b.contains(label)).count()
        };
        let (mut precision, mut recall) = (0.0, 0.0);
        for &e in &items {
            let (mut p_sum, mut p_n, mut r_sum, mut r_n) = (0.0, 0.0, 0.0, 0.0);
            for &f in &items {
                let clusters = usize::from(pred[e] == pred[f]) as f64;
                let labels = shared(e, f) as f64;
                if clusters > 0.0 {
                    p_sum += clusters.min(labels) / clusters;
                    p_n += 1.0;
                }
                if labels > 0.0 {
                    r_sum += clusters.min(labels) / labels;
                    r_n += 1.0;
                }
            }
            precision += p_sum / p_n;
            recall += r_sum / r_n;
        }
        (precision / items.len() as f64, recall / items.len() as f64)
    }

    #[test]
    fn contingency_is_sparse_and_sorted() {
        let table = contingency(&[5, 5, 1, 5, 1], &[9, 2, 2, 9, 2]).unwrap();
        assert_eq!(table.n(), 5);
        assert_eq!(table.row_labels(), &[1, 5]);
        assert_eq!(table.col_labels(), &[2, 9]);
        assert_eq!(table.row_sums(), &[2, 3]);
        assert_eq!(table.col_sums(), &[3, 2]);
        // Class 1 is twice in cluster 2; class 5 once in cluster 2 and twice in 9.
        assert_eq!(table.cells(), &[(0, 0, 2), (1, 0, 1), (1, 1, 2)]);
    }

    #[test]
    fn hand_computed_small_example() {
        // gold [0,0,0,1,1,1], pred [0,0,1,1,2,2] (scikit-learn's documentation example).
        // Contingency: class 0 → clusters {0: 2, 1: 1}; class 1 → {1: 1, 2: 2}; a = (3,3),
        // b = (2,2,2), N = 6.
        // H(C) = ln 2, H(K) = ln 3.
        // I = 2/6 ln(6·2/(3·2)) + 1/6 ln(6·1/(3·2)) · 2 + 2/6 ln(6·2/(3·2)) = 2/3 ln 2.
        // NMI = (2/3 ln 2) / ((ln 2 + ln 3)/2) = 4 ln 2 / (3 ln 6).
        // h = I/H(C) = 2/3, c = I/H(K) = 2 ln 2 / (3 ln 3), V = 2hc/(h+c) = NMI.
        // ARI: Σ C(n_ck) = 1+0+0+1 = 2; Σ C(a_c) = 6; Σ C(b_k) = 3; C(6) = 15;
        //   E = 6·3/15 = 1.2; ARI = (2 - 1.2) / ((6+3)/2 - 1.2) = 0.8/3.3 = 8/33.
        // Purity = (2 + 1 + 2)/6 = 5/6.
        // B-cubed P = (2²/2 + 1²/2 + 1²/2 + 2²/2)/6 = 5/6, R = (4/3 + 1/3 + 1/3 + 4/3)/6 = 5/9,
        //   F1 = 2·(5/6)(5/9)/(5/6 + 5/9) = 2/3.
        let gold = [0, 0, 0, 1, 1, 1];
        let pred = [0, 0, 1, 1, 2, 2];
        let ln = f64::ln;
        let want_nmi = 4.0 * ln(2.0) / (3.0 * ln(6.0));
        assert_close(nmi(&gold, &pred).unwrap(), want_nmi, "nmi");
        assert_close(ari(&gold, &pred).unwrap(), 8.0 / 33.0, "ari");
        let v = homogeneity_completeness_v(&gold, &pred).unwrap();
        assert_close(v.homogeneity, 2.0 / 3.0, "homogeneity");
        assert_close(
            v.completeness,
            2.0 * ln(2.0) / (3.0 * ln(3.0)),
            "completeness",
        );
        assert_close(v.v_measure, want_nmi, "v_measure");
        assert_close(purity(&gold, &pred).unwrap(), 5.0 / 6.0, "purity");
        let sets: Vec<Vec<usize>> = gold.iter().map(|&g| vec![g]).collect();
        let b = bcubed(&sets, &pred).unwrap();
        assert_close(b.precision, 5.0 / 6.0, "bcubed precision");
        assert_close(b.recall, 5.0 / 9.0, "bcubed recall");
        assert_close(b.f1, 2.0 / 3.0, "bcubed f1");
    }

    /// Name, gold, pred, expected `[nmi, ari, homogeneity, completeness, v_measure]`.
    type Case = (&'static str, &'static [usize], &'static [usize], [f64; 5]);

    /// Values from scikit-learn 1.5.2 (`normalized_mutual_info_score`, `adjusted_rand_score`,
    /// `homogeneity_completeness_v_measure`) on the same inputs.
    #[test]
    fn matches_scikit_learn() {
        #[rustfmt::skip]
        let cases: &[Case] = &[
            // [nmi, ari, homogeneity, completeness, v_measure]
            ("doc example", &[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2],
             [0.5158037429793889, 0.24242424242424243, 0.6666666666666669, 0.420619835714305,
              0.5158037429793889]),
            ("doc example, clusters renamed", &[0, 0, 0, 1, 1, 1], &[7, 7, 3, 3, 0, 0],
             [0.5158037429793889, 0.24242424242424243, 0.6666666666666669, 0.420619835714305,
              0.5158037429793889]),
            ("3 classes, 4 clusters",
             &[0, 0, 0, 0, 1, 1, 1, 2, 2, 2], &[0, 0, 1, 1, 1, 2, 2, 2, 3, 3],
             [0.5759466679735675, 0.23728813559322035, 0.6492712741077914, 0.5175031261015377,
              0.5759466679735676]),
            ("one class, singleton clusters", &[0, 0, 0, 0], &[0, 1, 2, 3],
             [0.0, 0.0, 1.0, 0.0, 0.0]),
            ("three classes, one cluster", &[0, 1, 1, 2], &[5, 5, 5, 5], [0.0, 0.0, 0.0, 1.0, 0.0]),
            ("one class, one cluster", &[3, 3, 3], &[9, 9, 9], [1.0, 1.0, 1.0, 1.0, 1.0]),
            ("two classes, singleton clusters", &[0, 0, 1, 1], &[0, 1, 2, 3],
             [0.6666666666666666, 0.0, 0.9999999999999999, 0.49999999999999994,
              0.6666666666666666]),
        ];
        for (name, gold, pred, want) in cases {
            let v = homogeneity_completeness_v(gold, pred).unwrap();
            let got = [
                nmi(gold, pred).unwrap(),
                ari(gold, pred).unwrap(),
                v.homogeneity,
                v.completeness,
                v.v_measure,
            ];
            for (what, (g, w)) in ["nmi", "ari", "h", "c", "v"]
                .iter()
                .zip(got.iter().zip(want))
            {
                assert_close(*g, *w, &format!("{name}: {what}"));
            }
        }
    }

    /// scikit-learn 1.5.2 on [`lcg200`]; purity and single-label B-cubed from its
    /// `contingency_matrix` m: `m.max(axis=0).sum()/N`, `(m**2/m.sum(axis=0)).sum()/N`,
    /// `(m**2/m.sum(axis=1)[:,None]).sum()/N`.
    #[test]
    fn matches_scikit_learn_on_200_items() {
        let (gold, pred) = lcg200();
        let table = contingency(&gold, &pred).unwrap();
        // scikit-learn's contingency_matrix(gold, pred).
        let want = [
            [28, 4, 2, 2, 4],
            [2, 34, 5, 7, 5],
            [5, 4, 37, 6, 2],
            [2, 3, 1, 41, 6],
        ];
        for &(row, col, count) in table.cells() {
            assert_eq!(count, want[row][col], "cell ({row}, {col})");
        }
        assert_eq!(table.cells().len(), 20);
        assert_close(table.nmi(), 0.379867936770614, "nmi");
        assert_close(table.ari(), 0.4075559383037129, "ari");
        let v = table.homogeneity_completeness_v();
        assert_close(v.homogeneity, 0.4032942127847764, "homogeneity");
        assert_close(v.completeness, 0.3590137913304316, "completeness");
        assert_close(v.v_measure, 0.37986793677061403, "v_measure");
        assert_close(table.purity(), 0.73, "purity");
        let sets: Vec<Vec<usize>> = gold.iter().map(|&g| vec![g]).collect();
        let b = bcubed(&sets, &pred).unwrap();
        assert_close(b.precision, 0.5807090935473289, "bcubed precision");
        assert_close(b.recall, 0.5193347309573725, "bcubed recall");
        assert_close(b.f1, 0.5483097930170014, "bcubed f1");
    }

    #[test]
    fn single_label_purity_and_bcubed_with_more_clusters_than_classes() {
        // gold [0,0,0,0,1,1,1,2,2,2], pred [0,0,1,1,1,2,2,2,3,3]: contingency
        // [[2,2,0,0],[0,1,2,0],[0,0,1,2]], a = (4,3,3), b = (2,3,3,2).
        // Purity = (2+2+2+2)/10 = 0.8.
        // P = (4/2 + 4/3 + 1/3 + 4/3 + 1/3 + 4/2)/10 = (4 + 10/3)/10 = 11/15.
        // R = (4/4 + 4/4 + 1/3 + 4/3 + 1/3 + 4/3)/10 = 16/30 = 8/15; F1 = 2PR/(P+R) = 176/285.
        let gold = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
        let pred = [0, 0, 1, 1, 1, 2, 2, 2, 3, 3];
        assert_close(purity(&gold, &pred).unwrap(), 0.8, "purity");
        let sets: Vec<Vec<usize>> = gold.iter().map(|&g| vec![g]).collect();
        let b = bcubed(&sets, &pred).unwrap();
        assert_close(b.precision, 11.0 / 15.0, "precision");
        assert_close(b.recall, 8.0 / 15.0, "recall");
        assert_close(b.f1, 176.0 / 285.0, "f1");
        // The same from numpy: 0.7333333333333333, 0.5333333333333333, 0.6175438596491227.
        assert_close(b.f1, 0.6175438596491227, "f1 (numpy)");
    }

    #[test]
    fn extended_bcubed_hand_computed() {
        // Items (labels, cluster): e1 {a} 1, e2 {a,b} 1, e3 {b} 1, e4 {a,b} 2, e5 {c} 2.
        // Precision (share of e's cluster with a label in common with e):
        //   e1: {e1 ✓, e2 ✓, e3 ✗} 2/3; e2: 3/3; e3: {e1 ✗, e2 ✓, e3 ✓} 2/3; e4: {e4 ✓, e5 ✗} 1/2;
        //   e5: 1/2 → P = (2/3 + 1 + 2/3 + 1/2 + 1/2)/5 = 2/3.
        // Recall (over e' sharing a label with e; MR = 1/|L(e)∩L(e')| if same cluster else 0):
        //   e1 {a}: e1 1, e2 1, e4 0 → 2/3.
        //   e2 {a,b}: e1 1, e2 1/2, e3 1, e4 0 → 2.5/4 = 5/8.
        //   e3 {b}: e2 1, e3 1, e4 0 → 2/3.
        //   e4 {a,b}: e1 0, e2 0, e3 0, e4 1/2 → 1/8.
        //   e5 {c}: e5 1 → 1.
        //   R = (2/3 + 5/8 + 2/3 + 1/8 + 1)/5 = (185/60)/5 = 37/60.
        // F1 = 2·(2/3)(37/60) / (2/3 + 37/60) = (37/45)/(77/60) = 148/231.
        let (a, b, c) = (0, 1, 2);
        let sets = vec![vec![a], vec![a, b], vec![b], vec![b, a, a], vec![c], vec![]];
        let pred = [1, 1, 1, 2, 2, 2];
        let got = bcubed(&sets, &pred).unwrap();
        assert_close(got.precision, 2.0 / 3.0, "precision");
        assert_close(got.recall, 37.0 / 60.0, "recall");
        assert_close(got.f1, 148.0 / 231.0, "f1");
        let (p, r) = bcubed_naive(&sets, &pred);
        assert_close(p, 2.0 / 3.0, "naive precision");
        assert_close(r, 37.0 / 60.0, "naive recall");
    }

    #[test]
    fn extended_bcubed_matches_pairwise_definition() {
        let mut state = 7;
        let mut sets = Vec::new();
        let mut pred = Vec::new();
        for _ in 0..300 {
            let n_labels = (lcg(&mut state) >> 16) % 4; // 0 to 3 labels, 0 = unlabelled
            let set: Vec<usize> = (0..n_labels)
                .map(|_| ((lcg(&mut state) >> 16) % 6) as usize)
                .collect();
            sets.push(set);
            pred.push(((lcg(&mut state) >> 16) % 5) as usize * 10);
        }
        let got = bcubed(&sets, &pred).unwrap();
        let (p, r) = bcubed_naive(&sets, &pred);
        assert_close(got.precision, p, "precision");
        assert_close(got.recall, r, "recall");
        assert_close(got.f1, 2.0 * p * r / (p + r), "f1");
        assert_eq!(got, bcubed(&sets, &pred).unwrap(), "deterministic");
    }

    #[test]
    fn evaluate_splits_single_and_multi_label_items() {
        let gold = strings(&[
            &["acq"],
            &["acq", "earn"],
            &["earn"],
            &["earn", "acq"],
            &["grain", "grain"], // repeated label: single-label
            &[],                 // unlabelled: skipped
            &["earn"],
        ]);
        let pred = [1, 1, 1, 2, 2, 3, 2];
        let scores = evaluate(&pred, &gold).unwrap();
        assert_eq!(scores.n_items, 6);
        assert_eq!(scores.n_single_label, 4);
        assert_eq!(scores.n_classes, 3);
        assert_eq!(scores.n_clusters, 2); // cluster 3 holds only the unlabelled item

        // Single-label items: acq→1, earn→1, grain→2, earn→2 (ids: acq 0, earn 1, grain 2).
        let (g, p) = ([0, 1, 2, 1], [1, 1, 2, 2]);
        assert_eq!(scores.nmi, nmi(&g, &p).unwrap());
        assert_eq!(scores.ari, ari(&g, &p).unwrap());
        let v = homogeneity_completeness_v(&g, &p).unwrap();
        assert_eq!(
            (scores.homogeneity, scores.completeness, scores.v_measure),
            (v.homogeneity, v.completeness, v.v_measure)
        );
        assert_eq!(scores.purity, 0.5);
        let sets = vec![
            vec![0],
            vec![0, 1],
            vec![1],
            vec![1, 0],
            vec![2],
            vec![],
            vec![1],
        ];
        let b = bcubed(&sets, &pred).unwrap();
        assert_eq!(
            (
                scores.bcubed_precision,
                scores.bcubed_recall,
                scores.bcubed_f1
            ),
            (b.precision, b.recall, b.f1)
        );
    }

    #[test]
    fn evaluate_perfect_clustering_scores_one() {
        let gold = strings(&[&["x"], &["x"], &["y"], &["y"], &["z"]]);
        let scores = evaluate(&[4, 4, 0, 0, 2], &gold).unwrap();
        for (what, value) in [
            ("nmi", scores.nmi),
            ("ari", scores.ari),
            ("homogeneity", scores.homogeneity),
            ("completeness", scores.completeness),
            ("v", scores.v_measure),
            ("purity", scores.purity),
            ("bcubed p", scores.bcubed_precision),
            ("bcubed r", scores.bcubed_recall),
            ("bcubed f1", scores.bcubed_f1),
        ] {
            assert_close(value, 1.0, what);
        }
    }

    #[test]
    fn renaming_clusters_and_classes_changes_nothing() {
        let (gold, pred) = lcg200();
        let base = contingency(&gold, &pred).unwrap();
        // A permutation of the clusters, then sparse, large ids.
        let renamings: [fn(usize) -> usize; 3] = [
            |k| (k + 3) % 5,
            |k| [4, 0, 3, 1, 2][k],
            |k| usize::MAX - 7 * k,
        ];
        for rename in renamings {
            let renamed: Vec<usize> = pred.iter().map(|&k| rename(k)).collect();
            let other = contingency(&gold, &renamed).unwrap();
            assert_close(other.nmi(), base.nmi(), "nmi");
            assert_close(other.ari(), base.ari(), "ari");
            let (v, w) = (
                other.homogeneity_completeness_v(),
                base.homogeneity_completeness_v(),
            );
            assert_close(v.homogeneity, w.homogeneity, "homogeneity");
            assert_close(v.completeness, w.completeness, "completeness");
            assert_close(v.v_measure, w.v_measure, "v");
            assert_close(other.purity(), base.purity(), "purity");
        }
        // Renaming clusters and classes through `evaluate`.
        let names = ["wheat", "acq", "earn", "crude"];
        let gold_strings: Vec<Vec<String>> =
            gold.iter().map(|&g| vec![names[g].to_string()]).collect();
        let renamed_strings: Vec<Vec<String>> = gold
            .iter()
            .map(|&g| vec![format!("class-{}", 3 - g)])
            .collect();
        let renamed_pred: Vec<usize> = pred.iter().map(|&k| 1000 - k).collect();
        let a = evaluate(&pred, &gold_strings).unwrap();
        let b = evaluate(&renamed_pred, &renamed_strings).unwrap();
        assert_eq!(
            (a.n_items, a.n_single_label, a.n_classes, a.n_clusters),
            (200, 200, 4, 5)
        );
        assert_eq!(
            (b.n_items, b.n_single_label, b.n_classes, b.n_clusters),
            (200, 200, 4, 5)
        );
        for (what, x, y) in [
            ("nmi", a.nmi, b.nmi),
            ("ari", a.ari, b.ari),
            ("v", a.v_measure, b.v_measure),
            ("purity", a.purity, b.purity),
            ("bcubed p", a.bcubed_precision, b.bcubed_precision),
            ("bcubed r", a.bcubed_recall, b.bcubed_recall),
        ] {
            assert_close(x, y, what);
        }
    }

    #[test]
    fn nmi_and_ari_are_symmetric_and_nmi_equals_v_measure() {
        let (gold, pred) = lcg200();
        assert_close(
            nmi(&gold, &pred).unwrap(),
            nmi(&pred, &gold).unwrap(),
            "nmi",
        );
        assert_close(
            ari(&gold, &pred).unwrap(),
            ari(&pred, &gold).unwrap(),
            "ari",
        );
        let v = homogeneity_completeness_v(&gold, &pred).unwrap();
        assert_close(nmi(&gold, &pred).unwrap(), v.v_measure, "nmi = v");
        let swapped = homogeneity_completeness_v(&pred, &gold).unwrap();
        assert_close(
            v.homogeneity,
            swapped.completeness,
            "h(gold, pred) = c(pred, gold)",
        );
    }

    #[test]
    fn length_mismatch_is_an_error() {
        let short = [0, 1];
        let long = [0, 1, 1];
        assert!(matches!(
            contingency(&short, &long),
            Err(Error::InvalidParam { .. })
        ));
        assert!(matches!(
            nmi(&short, &long),
            Err(Error::InvalidParam { .. })
        ));
        assert!(matches!(
            ari(&short, &long),
            Err(Error::InvalidParam { .. })
        ));
        assert!(matches!(
            homogeneity_completeness_v(&short, &long),
            Err(Error::InvalidParam { .. })
        ));
        assert!(matches!(
            purity(&short, &long),
            Err(Error::InvalidParam { .. })
        ));
        assert!(matches!(
            bcubed(&[vec![0]], &long),
            Err(Error::InvalidParam { .. })
        ));
        let err = evaluate(&long, &strings(&[&["a"], &["b"]])).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParam { name: "gold", .. }),
            "{err}"
        );
        assert!(err.to_string().contains("2 entries"), "{err}");
    }

    #[test]
    fn no_labelled_items_is_an_error() {
        assert!(matches!(
            contingency(&[], &[]),
            Err(Error::NotEnoughData(_))
        ));
        assert!(matches!(nmi(&[], &[]), Err(Error::NotEnoughData(_))));
        assert!(matches!(
            bcubed(&[vec![], vec![]], &[0, 1]),
            Err(Error::NotEnoughData(_))
        ));
        let err = evaluate(&[0, 1], &strings(&[&[], &[]])).unwrap_err();
        assert!(matches!(err, Error::NotEnoughData(_)), "{err}");
        assert!(matches!(evaluate(&[], &[]), Err(Error::NotEnoughData(_))));
        // Labelled, but none with exactly one label: the single-label scores are undefined.
        let err = evaluate(&[0, 1], &strings(&[&["a", "b"], &["b", "c"]])).unwrap_err();
        assert!(matches!(err, Error::NotEnoughData(_)), "{err}");
    }

    #[test]
    fn scores_round_trip_through_json() {
        let (gold, pred) = lcg200();
        let gold: Vec<Vec<String>> = gold.iter().map(|g| vec![g.to_string()]).collect();
        let scores = evaluate(&pred, &gold).unwrap();
        let json = serde_json::to_string(&scores).unwrap();
        let back: Scores = serde_json::from_str(&json).unwrap();
        // serde_json parses floats to within one ulp unless its `float_roundtrip` feature is on.
        let floats = |s: &Scores| {
            [
                s.nmi,
                s.ari,
                s.homogeneity,
                s.completeness,
                s.v_measure,
                s.purity,
                s.bcubed_precision,
                s.bcubed_recall,
                s.bcubed_f1,
            ]
        };
        for (x, y) in floats(&back).into_iter().zip(floats(&scores)) {
            assert!((x - y).abs() <= 4.0 * f64::EPSILON * y.abs(), "{x} vs {y}");
        }
        assert_eq!(
            (
                back.n_items,
                back.n_single_label,
                back.n_classes,
                back.n_clusters
            ),
            (
                scores.n_items,
                scores.n_single_label,
                scores.n_classes,
                scores.n_clusters
            )
        );
    }
}
