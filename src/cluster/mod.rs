//! Stage 5: topics by k-means on the LSA rows, with readable descriptions.
//!
//! k-means (Lloyd's algorithm, greedy k-means++ seeding — Arthur & Vassilvitskii 2007; see
//! [`kmeans`] for why it is not linfa's), with several seeded restarts and the lowest inertia kept. Rows are unit
//! vectors, so Euclidean k-means ranks documents as cosine similarity would
//! (‖a − b‖² = 2 − 2 cos(a, b)). Documents whose TF-IDF row is empty (no term of the vocabulary)
//! get no topic.
//!
//! Topic ids are ordered by size, 0 = largest (ties: the topic whose first document comes first).
//!
//! **Choosing k** (`--k auto`): k-means (one run each) for candidate k over a range, scored by
//! the mean silhouette coefficient (Rousseeuw 1987) with cosine distance on a fixed sample of at
//! most 2,000 documents (evenly spaced, so deterministic); the k with the highest score wins and
//! every candidate's score is recorded in [`KSelection`].
//!
//! **Topic terms** are class-based TF-IDF (c-TF-IDF; Grootendorst 2022, BERTopic): with tf(t,c)
//! the count of term t in the articles of topic c, W(c) the total count in c, f(t) the count of t
//! in all topics and A the mean of W(c),
//! `w(t,c) = tf(t,c) / W(c) · ln(1 + A / f(t))`.
//! We use it rather than centroid weights because centroids live in LSA space (weights of
//! directions, not of words) and, mapped back to terms, favour long, general documents; c-TF-IDF
//! ranks words both frequent in the topic and rare elsewhere, which is what a reader calls the
//! topic. The label is the top three terms' surface forms.
//!
//! **Examples** are the three articles closest (cosine) to the topic centroid.

pub mod bisect;
pub mod kmeans;
pub mod themes;

use ndarray::{Array1, Array2, ArrayView2, Axis};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use crate::ingest::Article;
use crate::params::{param_guard, Checked, Validate};
use crate::text::phrases::{near_duplicate, Phrase};
use crate::{Error, Result, FORMAT_VERSION};

/// How many topics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KChoice {
    /// Exactly this many.
    Fixed(usize),
    /// Chosen by silhouette within `min..=max`.
    Auto {
        /// Smallest k tried.
        min: usize,
        /// Largest k tried.
        max: usize,
    },
}

impl std::str::FromStr for KChoice {
    type Err = String;
    /// `12`, `auto` (= 5..=30) or `auto:4..20`.
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let s = s.trim();
        if s == "auto" {
            return Ok(KChoice::Auto { min: 5, max: 30 });
        }
        if let Some(r) = s.strip_prefix("auto:") {
            let (a, b) = r
                .split_once("..")
                .ok_or_else(|| format!("expected auto:MIN..MAX, got {s}"))?;
            let p = |x: &str| {
                x.trim_start_matches('=')
                    .parse::<usize>()
                    .map_err(|_| format!("bad number in {s}"))
            };
            return Ok(KChoice::Auto {
                min: p(a)?,
                max: p(b)?,
            });
        }
        s.parse()
            .map(KChoice::Fixed)
            .map_err(|_| format!("expected a number or auto, got {s}"))
    }
}

/// Unchecked clustering settings; [`ClusterParams::check`] validates them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterParams {
    /// Number of topics (default `auto`).
    pub k: KChoice,
    /// k-means restarts, best inertia kept (default 3: seeds 0–2 gave the same mean NMI with 3
    /// and 4 on 20 Newsgroups and BBC).
    pub n_runs: usize,
    /// Iterations every restart gets before all but the lowest-inertia one are dropped; that one
    /// runs to convergence (default 5; 0 = every restart to convergence). Over seeds 0–5 the mean
    /// NMI with 8 was 0.6322 / 0.8920 / 0.5220 (20 Newsgroups / BBC / Reuters) against 0.6309 /
    /// 0.8923 / 0.5207 with full restarts, and the cluster stage took 0.13 s instead of 0.18 s
    /// on 20 Newsgroups; over seeds 0–9, 5 gave 0.6291 / 0.8915 / 0.5206 against 8's 0.6289 /
    /// 0.8915 / 0.5205, about 8 ms faster.
    #[serde(default = "default_probe_iters")]
    pub probe_iters: usize,
    /// Iteration cap per run (default 300).
    pub max_iter: u64,
    /// Convergence tolerance on centroid movement (default 1e-4).
    pub tolerance: f32,
    /// Spherical k-means: unit-length centres, cosine assignment (default true; measured
    /// +0.004 NMI on 20 Newsgroups and +0.005 on BBC over 4 seeds against plain k-means).
    pub spherical: bool,
    /// Seed.
    pub seed: u64,
    /// Run the k-means restarts on at most this many documents (evenly spaced), then refine on
    /// all of them with at most 10 Lloyd iterations (default 50,000).
    #[serde(default = "default_fit_rows")]
    pub fit_rows: usize,
    /// Terms listed per topic (default 10).
    pub n_terms: usize,
    /// Example articles per topic (default 3).
    pub n_examples: usize,
    /// How k-means starts (default PCA-Part: deterministic, so topics do not change with the
    /// seed).
    #[serde(default)]
    pub init: Init,
    /// Named topics to keep (guided topics; default none).
    #[serde(default)]
    pub seed_topics: Vec<SeedTopic>,
    /// Broad themes formed over the topics (default `None`: `⌈√k⌉`, see [`themes`]).
    #[serde(default)]
    pub n_themes: Option<usize>,
}

/// A named topic to seed the clustering with (guided topics): its words place a starting centre,
/// the clustering fills it with the articles nearest to it, and it keeps its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedTopic {
    /// Name shown for the topic.
    pub name: String,
    /// Words that describe it.
    pub words: Vec<String>,
}

impl std::str::FromStr for SeedTopic {
    type Err = String;
    /// `"Syria war: syria, assad, aleppo"`.
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (name, words) = s
            .split_once(':')
            .ok_or_else(|| format!("expected \"NAME: word, word, ...\", got {s:?}"))?;
        let name = name.trim().to_string();
        let words: Vec<String> = words
            .split(',')
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
            .collect();
        if name.is_empty() || words.is_empty() {
            return Err(format!("a topic needs a name and at least one word: {s:?}"));
        }
        Ok(SeedTopic { name, words })
    }
}

/// How k-means chooses its initial centres.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Init {
    /// Bisecting spherical k-means ([`bisect`]), then one Lloyd run: no randomness.
    #[default]
    Bisect,
    /// PCA-Part ([`kmeans::pca_part`]), then one Lloyd run: no randomness.
    PcaPart,
    /// Greedy k-means++ with `n_runs` seeded restarts, best inertia kept.
    KMeansPlusPlus,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            k: KChoice::Auto { min: 5, max: 30 },
            n_runs: 3,
            probe_iters: default_probe_iters(),
            max_iter: 300,
            tolerance: 1e-4,
            spherical: true,
            fit_rows: default_fit_rows(),
            seed: 0,
            n_terms: 10,
            n_examples: 3,
            init: Init::default(),
            seed_topics: Vec::new(),
            n_themes: None,
        }
    }
}

impl Validate for ClusterParams {
    fn validate(&self) -> Result<()> {
        match self.k {
            KChoice::Fixed(k) if k < 1 => {
                return Err(Error::param("cluster.k", k, "must be at least 1"))
            }
            KChoice::Auto { min, max } if min < 2 || max < min => {
                return Err(Error::param(
                    "cluster.k",
                    format!("auto:{min}..{max}"),
                    "need 2 <= MIN <= MAX",
                ))
            }
            _ => {}
        }
        if self.n_runs == 0 {
            return Err(Error::param("cluster.n_runs", 0, "must be at least 1"));
        }
        if let KChoice::Fixed(k) = self.k {
            if !self.seed_topics.is_empty() && k <= self.seed_topics.len() {
                return Err(Error::param(
                    "cluster.k",
                    k,
                    format!(
                        "must exceed the number of named topics ({})",
                        self.seed_topics.len()
                    ),
                ));
            }
        }
        if self.n_themes == Some(0) {
            return Err(Error::param("cluster.n_themes", 0, "must be at least 1"));
        }
        if self.max_iter == 0 {
            return Err(Error::param("cluster.max_iter", 0, "must be at least 1"));
        }
        if self.tolerance.is_nan() || self.tolerance < 0.0 {
            return Err(Error::param(
                "cluster.tolerance",
                self.tolerance,
                "must be >= 0",
            ));
        }
        Ok(())
    }
}

param_guard!(ClusterParams);

fn default_probe_iters() -> usize {
    5
}

fn default_fit_rows() -> usize {
    50_000
}

/// Validated [`ClusterParams`].
pub type ValidClusterParams = Checked<ClusterParams>;

/// How k was chosen under `--k auto`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KSelection {
    /// The criterion, in words.
    pub criterion: String,
    /// `(k, score)` for every candidate.
    pub scores: Vec<(usize, f64)>,
    /// The chosen k.
    pub chosen: usize,
}

/// A fitted topic model: centroids in LSA space and the assignment of every document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicModel {
    /// Format version.
    pub version: u32,
    /// Centroids, one row per topic id (unit vectors).
    pub centroids: Array2<f32>,
    /// Topic of each document (`None`: the document had no vocabulary term).
    pub assignments: Vec<Option<usize>>,
    /// Cosine similarity of each document to its topic's centroid (0 without topic).
    pub scores: Vec<f32>,
    /// Documents per topic.
    pub sizes: Vec<usize>,
    /// Sum of squared distances to the assigned centroids.
    pub inertia: f64,
    /// Present when k was chosen automatically.
    pub k_selection: Option<KSelection>,
    /// Name per topic id, for the topics seeded by name (guided topics).
    #[serde(default)]
    pub names: Vec<Option<String>>,
}

impl TopicModel {
    /// Number of topics.
    pub fn k(&self) -> usize {
        self.centroids.nrows()
    }

    /// Assigns new (normalised LSA) rows to the nearest centroid: `(topic, cosine)`.
    pub fn predict(&self, emb: ArrayView2<'_, f32>) -> Vec<Option<(usize, f32)>> {
        let sims = emb.dot(&self.centroids.t());
        sims.axis_iter(Axis(0))
            .zip(emb.axis_iter(Axis(0)))
            .map(|(s, row)| {
                if row.iter().all(|&v| v == 0.0) {
                    return None;
                }
                let mut best = (0usize, f32::NEG_INFINITY);
                for (c, &v) in s.iter().enumerate() {
                    if v > best.1 {
                        best = (c, v);
                    }
                }
                Some(best)
            })
            .collect()
    }
}

/// Quantile of the training articles' cosines to their centres below which a new article is
/// marked as fitting no topic ([`crate::pipeline::FittedPipeline::min_score`], [`crate::apply`]).
pub const OUTLIER_QUANTILE: f64 = 0.02;

/// The `q` quantile (lower, nearest rank) of the scores of the assigned documents; 0 when
/// there are none.
pub fn score_threshold(scores: &[f32], assignments: &[Option<usize>], q: f64) -> f32 {
    let mut s: Vec<f32> = scores
        .iter()
        .zip(assignments)
        .filter(|(_, a)| a.is_some())
        .map(|(&s, _)| s)
        .collect();
    if s.is_empty() {
        return 0.0;
    }
    s.sort_by(f32::total_cmp);
    let i = ((q.clamp(0.0, 1.0) * s.len() as f64).floor() as usize).min(s.len() - 1);
    s[i]
}

/// Clusters the rows of `emb` (unit or zero rows).
pub fn fit(emb: &Array2<f32>, params: &ValidClusterParams) -> Result<TopicModel> {
    fit_seeded(emb, params, &Array2::zeros((0, emb.ncols())))
}

/// [`fit`] with named topics: row j of `seeds` (unit vectors in the space of `emb`) starts the
/// topic of `params.seed_topics[j]`. The other k − s starting centres are bisecting k-means'
/// (PCA-Part's with `--init pca-part`) on all rows;
/// Lloyd's iterations then move every centre, so a named topic gathers the articles nearest to
/// its words and the ones like them.
pub fn fit_seeded(
    emb: &Array2<f32>,
    params: &ValidClusterParams,
    seeds: &Array2<f32>,
) -> Result<TopicModel> {
    let n_seeds = seeds.nrows().min(params.seed_topics.len());
    let live: Vec<usize> = (0..emb.nrows())
        .filter(|&i| emb.row(i).iter().any(|&v| v != 0.0))
        .collect();
    let data = emb.select(Axis(0), &live);
    let (k, k_selection) = match params.k {
        KChoice::Fixed(k) => (k, None),
        KChoice::Auto { min, max } => {
            let sel = choose_k(&data, min, max, params)?;
            (sel.chosen.max(n_seeds + 1), Some(sel))
        }
    };
    if live.len() < k {
        return Err(Error::NotEnoughData(format!(
            "{} documents with terms, fewer than k = {k} topics",
            live.len()
        )));
    }
    let centroids = if n_seeds > 0 {
        if data.nrows() < k {
            return Err(Error::NotEnoughData(format!(
                "{} documents for k = {k}",
                data.nrows()
            )));
        }
        let mut init = match params.init {
            Init::PcaPart => kmeans::pca_part(data.view(), k - n_seeds),
            _ => bisect::bisect_centres(data.view(), k - n_seeds),
        };
        for j in 0..n_seeds {
            init.push_row(seeds.row(j)).expect("same width");
        }
        anchored_lloyd(data.view(), init, seeds, params)?
    } else {
        kmeans(&data, k, params.n_runs, params)?
    };
    // Final assignment by cosine to unit centroids, then order topics by size.
    let centroids = crate::svd::normalize_rows(centroids);
    let cents = centroids.as_slice().expect("standard layout");
    let d = data.ncols();
    let assign: Vec<(usize, f32)> = data
        .axis_iter(Axis(0))
        .into_par_iter()
        .map_init(
            || vec![0f32; k],
            |sims, row| {
                let row = row.to_slice().expect("rows are contiguous");
                crate::kernel::dots(row, cents, d, sims);
                let mut best = (0usize, f32::NEG_INFINITY);
                for (c, &v) in sims.iter().enumerate() {
                    if v > best.1 {
                        best = (c, v);
                    }
                }
                best
            },
        )
        .collect();
    let mut size = vec![0usize; k];
    let mut first = vec![usize::MAX; k];
    for (i, &(c, _)) in assign.iter().enumerate() {
        size[c] += 1;
        first[c] = first[c].min(i);
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| size[b].cmp(&size[a]).then(first[a].cmp(&first[b])));
    let mut new_id = vec![0usize; k];
    for (new, &old) in order.iter().enumerate() {
        new_id[old] = new;
    }
    let mut assignments = vec![None; emb.nrows()];
    let mut scores = vec![0f32; emb.nrows()];
    let mut inertia = 0f64;
    for (&doc, &(c, s)) in live.iter().zip(&assign) {
        assignments[doc] = Some(new_id[c]);
        scores[doc] = s;
        inertia += (2.0 - 2.0 * s as f64).max(0.0);
    }
    Ok(TopicModel {
        version: FORMAT_VERSION,
        centroids: centroids.select(Axis(0), &order),
        assignments,
        scores,
        sizes: order.iter().map(|&o| size[o]).collect(),
        inertia,
        k_selection,
        names: order
            .iter()
            .map(|&o| {
                (o >= k - n_seeds && n_seeds > 0)
                    .then(|| params.seed_topics[o - (k - n_seeds)].name.clone())
            })
            .collect(),
    })
}

/// Weight of a named topic's words in its centre after each Lloyd update.
const SEED_ANCHOR: f32 = 0.75;

/// Lloyd's iterations from `init` whose last `seeds.nrows()` centres stay anchored to `seeds`:
/// after each update such a centre becomes the unit vector along
/// `(1 − a) · mean of its members + a · seed` with a = [`SEED_ANCHOR`], so a named topic keeps
/// to its words (left free, "Orlando shooting: orlando, shooting, gunman" drifted to the gun
/// control debate of the weeks after, whose articles are more numerous).
fn anchored_lloyd(
    data: ArrayView2<'_, f32>,
    init: Array2<f32>,
    seeds: &Array2<f32>,
    params: &ValidClusterParams,
) -> Result<Array2<f32>> {
    let k = init.nrows();
    let first_seed = k - seeds.nrows();
    let one_step = kmeans::KMeansSettings {
        n_runs: 1,
        max_iter: 1,
        tol: params.tolerance as f64,
        spherical: params.spherical,
        seed: params.seed,
        probe_iters: 0,
    };
    let mut centres = init;
    let mut labels: Vec<usize> = Vec::new();
    for _ in 0..params.max_iter {
        let fit = kmeans::refine(data, centres.clone(), &one_step)?;
        let mut next = fit.centroids;
        for (j, seed) in seeds.axis_iter(Axis(0)).enumerate() {
            let mut row = next.row_mut(first_seed + j);
            row.zip_mut_with(&seed, |c, &s| {
                *c = (1.0 - SEED_ANCHOR) * *c + SEED_ANCHOR * s
            });
            let norm = row.iter().map(|v| v * v).sum::<f32>().sqrt();
            if norm > 0.0 {
                row.mapv_inplace(|v| v / norm);
            }
        }
        let changed = labels.len() != fit.labels.len()
            || labels
                .iter()
                .zip(&fit.labels)
                .filter(|(a, b)| a != b)
                .count()
                * 1000
                >= data.nrows();
        centres = next;
        labels = fit.labels;
        if !changed {
            break;
        }
    }
    Ok(centres)
}

/// k-means ([`kmeans::kmeans`]): `n_runs` seeded restarts, best inertia kept.
fn kmeans(
    data: &Array2<f32>,
    k: usize,
    n_runs: usize,
    p: &ValidClusterParams,
) -> Result<Array2<f32>> {
    if data.nrows() < k {
        return Err(Error::NotEnoughData(format!(
            "{} documents for k = {k}",
            data.nrows()
        )));
    }
    let settings = kmeans::KMeansSettings {
        n_runs,
        max_iter: p.max_iter as usize,
        tol: p.tolerance as f64,
        spherical: p.spherical,
        seed: p.seed,
        probe_iters: p.probe_iters,
    };
    let n = data.nrows();
    let fit = |x: ArrayView2<'_, f32>| match p.init {
        Init::Bisect => kmeans::refine(x, bisect::bisect_centres(x, k), &settings),
        Init::PcaPart => kmeans::kmeans_pca_part(x, k, &settings),
        Init::KMeansPlusPlus => kmeans::kmeans(x, k, &settings),
    };
    if n <= p.fit_rows {
        return Ok(fit(data.view())?.centroids);
    }
    // Large collections: fitted on evenly spaced rows, then Lloyd on everything.
    let rows: Vec<usize> = (0..p.fit_rows).map(|i| i * n / p.fit_rows).collect();
    let sample = data.select(Axis(0), &rows);
    let best = fit(sample.view())?;
    let refine = kmeans::KMeansSettings {
        max_iter: settings.max_iter.min(10),
        ..settings
    };
    Ok(kmeans::refine(data.view(), best.centroids, &refine)?.centroids)
}

fn choose_k(
    data: &Array2<f32>,
    min: usize,
    max: usize,
    p: &ValidClusterParams,
) -> Result<KSelection> {
    let n = data.nrows();
    let max = max.min(n.saturating_sub(1)).max(2);
    let min = min.min(max);
    if n < 3 {
        return Err(Error::NotEnoughData(format!(
            "{n} documents with terms: too few to choose k"
        )));
    }
    let step = ((max - min) / 12).max(1);
    let candidates: Vec<usize> = (min..=max).step_by(step).collect();
    let sample_n = n.min(2000);
    let sample: Vec<usize> = (0..sample_n).map(|i| i * n / sample_n).collect();
    let s = data.select(Axis(0), &sample);
    let dist = s.dot(&s.t()).mapv(|c| (1.0 - c).max(0.0));
    let mut scores = Vec::with_capacity(candidates.len());
    // Bisecting k-means is nested: the first k − 1 cuts of one bisection to the largest k give
    // the start for every smaller k, so the cuts are made once.
    let bisection = (p.init == Init::Bisect && n <= p.fit_rows && p.seed_topics.is_empty())
        .then(|| bisect::bisect(data.view(), *candidates.last().expect("min <= max")));
    for &k in &candidates {
        let centroids = match &bisection {
            Some(b) => {
                let settings = kmeans::KMeansSettings {
                    n_runs: 1,
                    max_iter: p.max_iter as usize,
                    tol: p.tolerance as f64,
                    spherical: p.spherical,
                    seed: p.seed,
                    probe_iters: 0,
                };
                let init = bisect::centres(data.view(), &b.parts_at(k));
                kmeans::refine(data.view(), init, &settings)?.centroids
            }
            None => kmeans(data, k, 1, p)?,
        };
        let centroids = crate::svd::normalize_rows(centroids);
        let labels: Vec<usize> = s
            .dot(&centroids.t())
            .axis_iter(Axis(0))
            .map(|r| {
                r.iter()
                    .enumerate()
                    .fold(
                        (0, f32::NEG_INFINITY),
                        |b, (c, &v)| if v > b.1 { (c, v) } else { b },
                    )
                    .0
            })
            .collect();
        scores.push((k, silhouette(&dist, &labels, k)));
    }
    let chosen = scores
        .iter()
        .fold((candidates[0], f64::NEG_INFINITY), |b, &(k, s)| {
            if s > b.1 {
                (k, s)
            } else {
                b
            }
        })
        .0;
    Ok(KSelection {
        criterion: format!(
            "highest mean silhouette (cosine distance) over {} evenly spaced documents, k-means with one run per k",
            sample_n
        ),
        scores,
        chosen,
    })
}

/// Mean silhouette coefficient (Rousseeuw 1987) from a distance matrix: for each point,
/// `s = (b − a) / max(a, b)` with a = mean distance to its own cluster, b = smallest mean distance
/// to another cluster; points alone in their cluster score 0.
pub fn silhouette(dist: &Array2<f32>, labels: &[usize], k: usize) -> f64 {
    let n = labels.len();
    let mut size = vec![0usize; k];
    labels.iter().for_each(|&l| size[l] += 1);
    let total: f64 = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut sums = vec![0f64; k];
            for j in 0..n {
                sums[labels[j]] += dist[[i, j]] as f64;
            }
            let own = labels[i];
            if size[own] <= 1 {
                return 0.0;
            }
            let a = sums[own] / (size[own] - 1) as f64;
            let b = (0..k)
                .filter(|&c| c != own && size[c] > 0)
                .map(|c| sums[c] / size[c] as f64)
                .fold(f64::INFINITY, f64::min);
            if !b.is_finite() {
                return 0.0;
            }
            let m = a.max(b);
            if m > 0.0 {
                (b - a) / m
            } else {
                0.0
            }
        })
        .collect::<Vec<f64>>()
        .iter()
        .sum();
    total / n.max(1) as f64
}

/// One term of a topic, with its weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermWeight {
    /// Display form.
    pub term: String,
    /// Weight (c-TF-IDF).
    pub weight: f64,
}

/// A representative article of a topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// Article id.
    pub id: String,
    /// Title (or the text's beginning when there is no title).
    pub title: String,
    /// Date (`YYYY-MM-DD`), when known.
    pub date: Option<String>,
    /// Cosine similarity to the centroid.
    pub score: f32,
}

/// A topic as users see it (`topics.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    /// Id (0 = largest).
    pub id: usize,
    /// The name given with `--topic`, else up to three terms or phrases, comma-separated.
    pub label: String,
    /// The name given with `--topic`, for a named topic (`null` otherwise: always written, as
    /// the store encodes topics in a format without field names).
    #[serde(default)]
    pub name: Option<String>,
    /// Articles in the topic.
    pub size: usize,
    /// Fraction of the articles with a topic.
    pub share: f64,
    /// Top terms by c-TF-IDF.
    pub terms: Vec<TermWeight>,
    /// Most representative articles.
    pub examples: Vec<Example>,
    /// The broad theme (`themes.json`) this topic belongs to (`null` when no themes were
    /// formed; always written, as the store encodes topics in a format without field names).
    #[serde(default)]
    pub parent: Option<usize>,
}

/// A broad theme: fine topics merged by [`themes`] (`themes.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    /// Id (0 = largest).
    pub id: usize,
    /// Up to three terms or phrases of the theme's articles, comma-separated.
    pub label: String,
    /// Articles in the theme.
    pub size: usize,
    /// Fraction of the articles with a topic.
    pub share: f64,
    /// Ids of its topics, ascending.
    pub topics: Vec<usize>,
    /// Top terms by c-TF-IDF among the themes.
    pub terms: Vec<TermWeight>,
    /// Most representative articles.
    pub examples: Vec<Example>,
}

/// Forms `n_themes` broad themes over the described `topics` (default `⌈√k⌉`, see
/// [`themes`]), sets each topic's `parent`, and describes the themes as topics are described.
/// `emb` holds the rows the model was fitted on.
#[allow(clippy::too_many_arguments)]
pub fn describe_themes(
    model: &TopicModel,
    emb: &Array2<f32>,
    topics: &mut [Topic],
    counts: &CsMat<f32>,
    labels: &[String],
    phrases: &[Phrase],
    articles: &[Article],
    params: &ValidClusterParams,
) -> Result<Vec<Theme>> {
    let k = model.k();
    if k == 0 || emb.nrows() != model.assignments.len() || topics.len() != k {
        return Ok(Vec::new());
    }
    let m = params
        .n_themes
        .unwrap_or_else(|| themes::default_count(k))
        .clamp(1, k);
    let parent = themes::parents(model, emb, m);
    for (t, p) in topics.iter_mut().zip(&parent) {
        t.parent = Some(*p);
    }
    let tm = themes::theme_model(model, emb, &parent);
    let described = describe(&tm, counts, labels, phrases, articles, params)?;
    Ok(described
        .into_iter()
        .map(|d| Theme {
            id: d.id,
            label: d.label,
            size: d.size,
            share: d.share,
            topics: (0..k).filter(|&t| parent[t] == d.id).collect(),
            terms: d.terms,
            examples: d.examples,
        })
        .collect())
}

/// Describes each topic: c-TF-IDF terms over raw `counts` (documents × vocabulary columns, CSR,
/// whose display forms are `labels`) and the articles closest to the centroid. An error when
/// the model, matrix, labels and articles do not belong together.
pub fn describe(
    model: &TopicModel,
    counts: &CsMat<f32>,
    labels: &[String],
    phrases: &[Phrase],
    articles: &[Article],
    params: &ValidClusterParams,
) -> Result<Vec<Topic>> {
    check_describe_input(model, counts, labels, articles)?;
    Ok(describe_checked(
        model, counts, labels, phrases, articles, params,
    ))
}

/// The sizes [`describe`] needs to agree: one counts row, score and article per assignment,
/// one label per column, topics below k, a size per topic.
fn check_describe_input(
    model: &TopicModel,
    counts: &CsMat<f32>,
    labels: &[String],
    articles: &[Article],
) -> Result<()> {
    let n = model.assignments.len();
    let k = model.k();
    let bad = |what: String| Err(Error::param("describe", "inputs", what));
    if !counts.is_csr() {
        return bad("the counts matrix must be stored by rows (CSR)".into());
    }
    if counts.rows() != n || model.scores.len() != n || articles.len() != n {
        return bad(format!(
            "{n} assignments, but {} counts rows, {} scores and {} articles",
            counts.rows(),
            model.scores.len(),
            articles.len()
        ));
    }
    if labels.len() != counts.cols() {
        return bad(format!(
            "{} term labels for {} columns",
            labels.len(),
            counts.cols()
        ));
    }
    if model.sizes.len() != k || model.assignments.iter().flatten().any(|&c| c >= k) {
        return bad(format!("assignments or sizes do not match k = {k}"));
    }
    Ok(())
}

fn describe_checked(
    model: &TopicModel,
    counts: &CsMat<f32>,
    labels: &[String],
    phrases: &[Phrase],
    articles: &[Article],
    params: &ValidClusterParams,
) -> Vec<Topic> {
    let phrase_index = PhraseIndex::new(phrases);
    let k = model.k();
    let m = counts.cols();
    // Term counts per topic, topics in parallel: each sums its own documents' rows, in
    // document order, into its own row of one k × m table.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (doc, a) in model.assignments.iter().enumerate() {
        if let Some(c) = a {
            members[*c].push(doc);
        }
    }
    let mut tf = Array2::<f64>::zeros((k, m));
    tf.axis_iter_mut(Axis(0))
        .into_par_iter()
        .zip(members.par_iter())
        .for_each(|(mut row, docs)| {
            for &doc in docs {
                // Rows and columns were checked by `describe`.
                if let Some(counts_row) = counts.outer_view(doc) {
                    for (t, &v) in counts_row.iter() {
                        row[t] += v as f64;
                    }
                }
            }
        });
    let w: Array1<f64> = tf.sum_axis(Axis(1));
    let f: Array1<f64> = tf.sum_axis(Axis(0));
    let a = w.sum() / k as f64;
    let total: usize = model.sizes.iter().sum();
    let by_weight = |x: &(usize, f64), y: &(usize, f64)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
    (0..k)
        .into_par_iter()
        .map(|c| {
            let mut weights: Vec<(usize, f64)> = (0..m)
                .filter(|&t| tf[[c, t]] > 0.0)
                .map(|t| (t, tf[[c, t]] / w[c] * (1.0 + a / f[t]).ln()))
                .collect();
            if weights.len() > params.n_terms && params.n_terms > 0 {
                weights.select_nth_unstable_by(params.n_terms - 1, by_weight);
            }
            weights.truncate(params.n_terms);
            weights.sort_by(by_weight);
            let terms: Vec<TermWeight> = weights
                .iter()
                .map(|&(t, wt)| TermWeight {
                    term: labels[t].clone(),
                    weight: (wt * 1e6).round() / 1e6,
                })
                .collect();
            let examples = typical_examples(
                &members[c],
                &weights,
                counts,
                &model.scores,
                articles,
                params.n_examples,
            );
            let name = model.names.get(c).cloned().flatten();
            let label = name
                .clone()
                .unwrap_or_else(|| phrase_label(&weights, labels, &phrase_index));
            Topic {
                id: c,
                label,
                name,
                size: model.sizes[c],
                share: if total > 0 {
                    model.sizes[c] as f64 / total as f64
                } else {
                    0.0
                },
                terms,
                examples,
                parent: None,
            }
        })
        .collect()
}

/// Phrases by the columns they contain.
struct PhraseIndex<'a> {
    by_column: ahash::AHashMap<u32, Vec<&'a Phrase>>,
}

impl<'a> PhraseIndex<'a> {
    fn new(phrases: &'a [Phrase]) -> Self {
        let mut by_column: ahash::AHashMap<u32, Vec<&'a Phrase>> = ahash::AHashMap::new();
        for p in phrases {
            by_column.entry(p.first).or_default().push(p);
            by_column.entry(p.second).or_default().push(p);
        }
        PhraseIndex { by_column }
    }
}

/// Units (terms or phrases) in a label.
const LABEL_UNITS: usize = 3;
/// A phrase whose other word is not among the topic's top terms still names the topic when at
/// least this share of the top term's counted pairs are that phrase ("Islamic" → "Islamic
/// State").
const DOMINANT_PHRASE_SHARE: f32 = 0.5;

/// A topic's label: its top terms in order, each replaced by the phrase it forms with another
/// top term (the highest-ranked such partner), or with any word when that phrase accounts for
/// most of the term's pairs; at most [`LABEL_UNITS`] units, none sharing a word or a
/// near-duplicate word ([`near_duplicate`]) with an earlier one.
fn phrase_label(top: &[(usize, f64)], labels: &[String], phrases: &PhraseIndex<'_>) -> String {
    let rank: ahash::AHashMap<u32, usize> = top
        .iter()
        .enumerate()
        .map(|(r, &(t, _))| (t as u32, r))
        .collect();
    let mut used = vec![false; top.len()];
    let mut units: Vec<String> = Vec::new();
    for (r, &(t, _)) in top.iter().enumerate() {
        if units.len() == LABEL_UNITS {
            break;
        }
        if used[r] {
            continue;
        }
        used[r] = true;
        let t = t as u32;
        let candidates = phrases.by_column.get(&t).map_or(&[][..], Vec::as_slice);
        let partner = |p: &Phrase| if p.first == t { p.second } else { p.first };
        let in_top = candidates
            .iter()
            .filter_map(|p| {
                let pr = *rank.get(&partner(p))?;
                (!used[pr]).then_some((pr, *p))
            })
            .min_by_key(|&(pr, _)| pr);
        let unit = if let Some((pr, p)) = in_top {
            used[pr] = true;
            p.label.clone()
        } else {
            let share = |p: &Phrase| {
                if p.first == t {
                    p.share_first
                } else {
                    p.share_second
                }
            };
            candidates
                .iter()
                .filter(|p| share(p) >= DOMINANT_PHRASE_SHARE)
                .max_by(|a, b| a.count.cmp(&b.count).then(b.label.cmp(&a.label)))
                .map_or_else(|| labels[t as usize].clone(), |p| p.label.clone())
        };
        let clashes = unit.split(' ').any(|w| {
            units
                .iter()
                .flat_map(|u| u.split(' '))
                .any(|v| v.eq_ignore_ascii_case(w) || near_duplicate(v, w))
        });
        if !clashes {
            units.push(unit);
        }
    }
    units.join(", ")
}

/// Top terms of which a typical example holds at least two.
const TYPICAL_TERMS: usize = 5;

/// The `n` most typical members of a topic: first those that contain at least two of its
/// [`TYPICAL_TERMS`] first terms (a headline that shares one word with a topic is not typical of it: with a halved
/// score instead, a generic topic whose first term carries most of the weight still showed
/// one-word matches first), each group by `cos(d, centre) · coverage(d)`, where coverage is
/// the share of the topic's top-term c-TF-IDF weight whose terms `d` contains; ties by
/// document order; an article whose title repeats an earlier example's is skipped.
fn typical_examples(
    members: &[usize],
    top: &[(usize, f64)],
    counts: &CsMat<f32>,
    cosines: &[f32],
    articles: &[Article],
    n: usize,
) -> Vec<Example> {
    let total: f64 = top.iter().map(|x| x.1).sum();
    let weight: ahash::AHashMap<usize, f64> = top.iter().copied().collect();
    let first: Vec<usize> = top.iter().take(TYPICAL_TERMS).map(|x| x.0).collect();
    let mut scored: Vec<(usize, bool, f64)> = members
        .iter()
        .map(|&i| {
            let row = counts.outer_view(i).expect("row in range");
            let (mut covered, mut matched) = (0.0, 0usize);
            for (t, _) in row.iter() {
                if let Some(w) = weight.get(&t) {
                    covered += w;
                    matched += usize::from(first.contains(&t));
                }
            }
            let coverage = if total > 0.0 { covered / total } else { 1.0 };
            (i, matched >= 2, cosines[i].max(0.0) as f64 * coverage)
        })
        .collect();
    scored.sort_by(|x, y| y.1.cmp(&x.1).then(y.2.total_cmp(&x.2)).then(x.0.cmp(&y.0)));
    let mut out: Vec<Example> = Vec::with_capacity(n);
    for &(i, ..) in &scored {
        if out.len() == n {
            break;
        }
        let a = &articles[i];
        let title = display_title(a);
        if out.iter().any(|e| e.title == title) {
            continue;
        }
        out.push(Example {
            id: a.id.clone(),
            title,
            date: a.date.map(|d| d.format("%Y-%m-%d").to_string()),
            score: (cosines[i] * 1e4).round() / 1e4,
        });
    }
    out
}

/// The title, or the first 80 characters of the text when the title is empty; HTML character
/// references decoded and tags removed ([`crate::text::clean::markup`]).
pub fn display_title(a: &Article) -> String {
    let title = crate::text::clean::markup(&a.title);
    let t = title.trim();
    if !t.is_empty() {
        return t.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let text = crate::text::clean::markup(&a.text);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 80 {
        format!("{}…", flat.chars().take(79).collect::<String>())
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ParamGuard;
    use ndarray::arr2;

    #[test]
    fn threshold_is_the_lower_quantile_of_assigned_scores() {
        // 10 assigned scores 0.1..1.0 and one unassigned 0.0: the 2% quantile is the
        // smallest assigned (floor(0.02·10) = 0), the 25% one the third (floor(2.5) = 2).
        let scores: Vec<f32> = (0..=10).map(|i| i as f32 / 10.0).collect();
        let mut a: Vec<Option<usize>> = vec![Some(0); 11];
        a[0] = None;
        assert_eq!(score_threshold(&scores, &a, 0.02), 0.1);
        assert_eq!(score_threshold(&scores, &a, 0.25), 0.3);
        assert_eq!(score_threshold(&scores, &a, 1.0), 1.0);
        assert_eq!(score_threshold(&[], &[], 0.02), 0.0);
    }

    #[test]
    fn shrunk_bodies_keep_display_titles() {
        let art = |title: &str, text: &str| Article {
            id: "a".into(),
            date: None,
            title: title.into(),
            text: text.into(),
            labels: vec![],
            group: None,
            input: 0,
            line: 1,
            vector: None,
        };
        let long =
            "  Storm  closes\n\n the harbour;   ferries  stay in port as the \t council meets \
                    and the forecast promises more rain through the weekend and beyond it all.";
        for a in [
            art("", long),
            art("", "short body"),
            art("", "   "),
            art(
                "",
                "Zürich’s café — déjà vu, naïve façade, señor, smörgåsbord, über, crème brûlée \
                      and more words after the eightieth character",
            ),
            art("A headline", long),
        ] {
            let mut b = a.clone();
            b.shrink_text();
            assert_eq!(display_title(&a), display_title(&b), "{:?}", a.text);
            assert!(b.text.len() <= a.text.len());
        }
        let mut titled = art("A headline", long);
        titled.shrink_text();
        // A snippet of the body stays for the report.
        assert!(titled.text.starts_with("Storm closes") || titled.text.starts_with("  Storm"));
        assert!(titled.text.chars().count() <= crate::ingest::SNIPPET_CHARS + 40);
    }

    fn blobs() -> Array2<f32> {
        // Three tight groups of unit vectors around the axes of R³, plus one empty row.
        let mut rows = Vec::new();
        for (axis, n) in [(0usize, 6usize), (1, 4), (2, 2)] {
            for i in 0..n {
                let mut v = [0.05f32 * (i as f32 % 3.0), 0.03, 0.02];
                v[axis] = 1.0;
                let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                rows.push(v.map(|x| x / norm));
            }
        }
        rows.push([0.0; 3]);
        Array2::from_shape_vec((rows.len(), 3), rows.concat()).unwrap()
    }

    #[test]
    fn recovers_blobs_ordered_by_size() {
        let p = ClusterParams {
            k: KChoice::Fixed(3),
            ..Default::default()
        }
        .check()
        .unwrap();
        let m = fit(&blobs(), &p).unwrap();
        assert_eq!(m.sizes, [6, 4, 2]);
        let a: Vec<Option<usize>> = m.assignments.clone();
        assert_eq!(&a[..6], &[Some(0); 6]);
        assert_eq!(&a[6..10], &[Some(1); 4]);
        assert_eq!(&a[10..12], &[Some(2); 2]);
        assert_eq!(a[12], None, "empty row gets no topic");
        assert!(m.scores[..12].iter().all(|&s| s > 0.99));
        let pred = m.predict(arr2(&[[0.0f32, 1.0, 0.0], [0.0, 0.0, 0.0]]).view());
        assert_eq!(pred[0].map(|p| p.0), Some(1));
        assert_eq!(pred[1], None);
    }

    #[test]
    fn auto_k_finds_three() {
        let p = ClusterParams {
            k: KChoice::Auto { min: 2, max: 6 },
            ..Default::default()
        }
        .check()
        .unwrap();
        let m = fit(&blobs(), &p).unwrap();
        assert_eq!(m.k(), 3, "{:?}", m.k_selection);
        assert_eq!(m.k_selection.unwrap().scores.len(), 5);
    }

    #[test]
    fn silhouette_by_hand() {
        // Points 0,1 in cluster 0, point 2 in cluster 1; d(0,1) = 1, d(0,2) = 4, d(1,2) = 3.
        // s0 = (4 − 1)/4 = 0.75; s1 = (3 − 1)/3 = 0.6667; s2 = 0 (alone). Mean = 0.4722.
        let d = arr2(&[[0.0f32, 1.0, 4.0], [1.0, 0.0, 3.0], [4.0, 3.0, 0.0]]);
        let s = silhouette(&d, &[0, 0, 1], 2);
        assert!((s - (0.75 + 2.0 / 3.0) / 3.0).abs() < 1e-9, "{s}");
    }

    #[test]
    fn c_tf_idf_by_hand() {
        // Two topics over terms [a, b, c]; topic 0 docs: a×2, b×1; topic 1 docs: b×1, c×3.
        // W = [3, 4], f = [2, 2, 3], A = 3.5.
        // w(a,0) = 2/3·ln(1 + 3.5/2) = 0.6744; w(b,0) = 1/3·ln(2.75) = 0.3372;
        // w(c,1) = 3/4·ln(1 + 3.5/3) = 0.5799; w(b,1) = 1/4·ln(2.75) = 0.2529.
        let counts = {
            let mut t = sprs::TriMat::new((2, 3));
            t.add_triplet(0, 0, 2.0f32);
            t.add_triplet(0, 1, 1.0);
            t.add_triplet(1, 1, 1.0);
            t.add_triplet(1, 2, 3.0);
            t.to_csr()
        };
        let model = TopicModel {
            version: 1,
            centroids: Array2::eye(2),
            assignments: vec![Some(0), Some(1)],
            scores: vec![1.0, 0.9],
            sizes: vec![1, 1],
            inertia: 0.0,
            k_selection: None,
            names: vec![],
        };
        let arts: Vec<Article> = (0..2)
            .map(|i| Article {
                id: format!("d{i}"),
                date: None,
                title: String::new(),
                text: format!("text {i}"),
                labels: vec![],
                group: None,
                input: 0,
                line: 1,
                vector: None,
            })
            .collect();
        let labels = ["a", "b", "c"].map(String::from);
        let p = ClusterParams::default().check().unwrap();
        let t = describe(&model, &counts, &labels, &[], &arts, &p).unwrap();
        let w0: Vec<(&str, f64)> = t[0]
            .terms
            .iter()
            .map(|t| (t.term.as_str(), t.weight))
            .collect();
        assert_eq!(w0[0].0, "a");
        assert!((w0[0].1 - 2.0 / 3.0 * 2.75f64.ln()).abs() < 1e-6);
        assert!((w0[1].1 - 2.75f64.ln() / 3.0).abs() < 1e-6);
        assert_eq!(t[1].label, "c, b");
        assert!((t[1].terms[0].weight - 0.75 * (1.0 + 3.5f64 / 3.0).ln()).abs() < 1e-6);
        assert_eq!(t[1].examples[0].title, "text 1");

        // Regression: a counts matrix with fewer rows than assignments hit an `expect`.
        let short = sprs::TriMat::<f32>::new((1, 3)).to_csr();
        let err = describe(&model, &short, &labels, &[], &arts, &p).unwrap_err();
        assert!(
            err.to_string().contains("2 assignments, but 1 counts rows"),
            "{err}"
        );
        assert!(describe(&model, &counts.to_csc(), &labels, &[], &arts, &p).is_err());
        assert!(describe(&model, &counts, &labels[..2], &[], &arts, &p).is_err());
        assert!(describe(&model, &counts, &labels, &[], &arts[..1], &p).is_err());
        let mut wrong_k = model.clone();
        wrong_k.assignments[1] = Some(5);
        assert!(describe(&wrong_k, &counts, &labels, &[], &arts, &p).is_err());
    }

    fn phrase(first: u32, second: u32, share_first: f32, label: &str) -> Phrase {
        Phrase {
            first,
            second,
            count: 10,
            share_first,
            share_second: 0.1,
            npmi: 0.8,
            label: label.into(),
        }
    }

    #[test]
    fn phrase_labels_merge_pairs_and_skip_near_duplicates() {
        let labels: Vec<String> = [
            "North", "Korea", "Korean", "nuclear", "missile", "Islamic", "state",
        ]
        .map(String::from)
        .to_vec();
        let phrases = [
            phrase(0, 1, 0.9, "North Korea"),
            phrase(5, 6, 0.95, "Islamic State"),
            phrase(3, 4, 0.2, "nuclear missile"),
        ];
        let index = PhraseIndex::new(&phrases);
        // Korea pairs with North (a top term); Korean is a near-duplicate of Korea; "nuclear
        // missile" pairs two top terms.
        let top = [(1, 0.5), (0, 0.4), (2, 0.3), (3, 0.2), (4, 0.1)];
        assert_eq!(
            phrase_label(&top, &labels, &index),
            "North Korea, nuclear missile"
        );
        // "state" is not a top term, but "Islamic" is nearly always "Islamic State".
        let top = [(5, 0.5), (2, 0.2), (1, 0.1)];
        assert_eq!(phrase_label(&top, &labels, &index), "Islamic State, Korean");
        // Without phrases: the top three terms.
        let top = [(3, 0.5), (4, 0.2), (6, 0.1), (5, 0.05)];
        assert_eq!(
            phrase_label(&top, &labels, &PhraseIndex::new(&[])),
            "nuclear, missile, state"
        );
    }

    #[test]
    fn typical_examples_need_several_top_terms() {
        // doc 0: term 0 only, cosine 0.95; doc 1: terms 0 and 1, cosine 0.8; doc 2: terms 1 and
        // 2, cosine 0.9. Top weights 0.5, 0.3, 0.2 (sum 1).
        // Docs 1 and 2 hold two top terms: doc 1 = 0.8 · 0.8 = 0.64, doc 2 = 0.9 · 0.5 = 0.45;
        // then doc 0 (one term, 0.95 · 0.5 = 0.475).
        let counts = {
            let mut t = sprs::TriMat::new((3, 3));
            t.add_triplet(0, 0, 1.0f32);
            t.add_triplet(1, 0, 1.0);
            t.add_triplet(1, 1, 1.0);
            t.add_triplet(2, 1, 2.0);
            t.add_triplet(2, 2, 1.0);
            t.to_csr()
        };
        let arts: Vec<Article> = (0..3)
            .map(|i| Article {
                id: format!("d{i}"),
                date: None,
                title: format!("title {i}"),
                text: String::new(),
                labels: vec![],
                group: None,
                input: 0,
                line: 1,
                vector: None,
            })
            .collect();
        let top = [(0, 0.5), (1, 0.3), (2, 0.2)];
        let ex = typical_examples(&[0, 1, 2], &top, &counts, &[0.95, 0.8, 0.9], &arts, 3);
        let ids: Vec<&str> = ex.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["d1", "d2", "d0"]);
        assert_eq!(ex[0].score, 0.8, "the score shown stays the cosine");
        // A repeated title is shown once.
        let mut dup = arts.clone();
        dup[2].title = "title 1".into();
        let ex = typical_examples(&[0, 1, 2], &top, &counts, &[0.95, 0.8, 0.9], &dup, 3);
        assert_eq!(ex.len(), 2);
    }

    #[test]
    fn pca_part_is_deterministic_and_order_free() {
        let x = blobs();
        let p = ClusterParams {
            k: KChoice::Fixed(3),
            ..Default::default()
        }
        .check()
        .unwrap();
        let a = fit(&x, &p).unwrap();
        assert_eq!(a.sizes, [6, 4, 2]);
        // Another seed: the same model.
        let other = ClusterParams {
            seed: 7,
            ..(*p).clone()
        }
        .check()
        .unwrap();
        assert_eq!(fit(&x, &other).unwrap(), a);
        // Rows reversed: the same partition.
        let rev: Vec<usize> = (0..x.nrows()).rev().collect();
        let b = fit(&x.select(Axis(0), &rev), &p).unwrap();
        let back: Vec<Option<usize>> = rev
            .iter()
            .rev()
            .map(|&i| b.assignments[x.nrows() - 1 - i])
            .collect();
        assert_eq!(back, a.assignments);
        // Three parts of the three blobs (the empty last row left out): a centre near each axis.
        let c = kmeans::pca_part(x.slice(ndarray::s![..12, ..]), 3);
        for axis in 0..3 {
            assert!(c.axis_iter(Axis(0)).any(|r| r[axis] > 0.9), "{c:?}");
        }
    }

    #[test]
    fn seed_topics_parse_and_keep_their_name() {
        let t: SeedTopic = "Syria war: syria, assad , aleppo,".parse().unwrap();
        assert_eq!(t.name, "Syria war");
        assert_eq!(t.words, ["syria", "assad", "aleppo"]);
        assert!("no colon".parse::<SeedTopic>().is_err());
        assert!("Name:  , ".parse::<SeedTopic>().is_err());
        let p = ClusterParams {
            k: KChoice::Fixed(3),
            seed_topics: vec!["Third axis: z".parse().unwrap()],
            ..Default::default()
        }
        .check()
        .unwrap();
        let seeds = ndarray::arr2(&[[0.0f32, 0.0, 1.0]]);
        let m = fit_seeded(&blobs(), &p, &seeds).unwrap();
        let named = m
            .names
            .iter()
            .position(Option::is_some)
            .expect("a named topic");
        assert_eq!(m.names[named].as_deref(), Some("Third axis"));
        assert_eq!(&m.assignments[10..12], &[Some(named); 2]);
        // k must leave room for the named topics.
        assert!(ClusterParams {
            k: KChoice::Fixed(1),
            seed_topics: vec!["A: a".parse().unwrap()],
            ..Default::default()
        }
        .check()
        .is_err());
    }

    #[test]
    fn params_validation_and_parsing() {
        assert!(ClusterParams {
            k: KChoice::Fixed(0),
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(ClusterParams {
            k: KChoice::Auto { min: 1, max: 5 },
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(ClusterParams {
            k: KChoice::Auto { min: 6, max: 5 },
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(ClusterParams {
            n_runs: 0,
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(ClusterParams {
            max_iter: 0,
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(ClusterParams {
            tolerance: f32::NAN,
            ..Default::default()
        }
        .check()
        .is_err());
        assert_eq!("12".parse::<KChoice>().unwrap(), KChoice::Fixed(12));
        assert_eq!(
            "auto".parse::<KChoice>().unwrap(),
            KChoice::Auto { min: 5, max: 30 }
        );
        assert_eq!(
            "auto:4..20".parse::<KChoice>().unwrap(),
            KChoice::Auto { min: 4, max: 20 }
        );
        assert!("many".parse::<KChoice>().is_err());
    }
}
