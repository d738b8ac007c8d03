//! Applying a fitted pipeline (`model.json`, [`FittedPipeline`]) to new articles.
//!
//! New articles go through the saved text settings, the saved vocabulary and IDF
//! ([`TfidfModel::transform_with_counts`](crate::vectorize::TfidfModel::transform_with_counts)),
//! the saved LSA basis ([`LsaModel::transform`](crate::svd::LsaModel::transform)) and are
//! assigned to the nearest saved centre by cosine, computed exactly as [`cluster::fit`] assigns
//! its training documents (same kernel, same tie rule), so applying a model to its own training
//! collection reproduces its assignments.
//!
//! **Articles that fit no topic well.** An article is left without a topic when
//! - it has no term of the vocabulary, or its TF-IDF row has no weight in the LSA space
//!   ([`Unassigned::NoTerms`]), or
//! - its cosine to the nearest centre is below the model's `min_score`
//!   ([`Unassigned::LowScore`]): by default the [`cluster::OUTLIER_QUANTILE`] quantile (2%) of the
//!   training articles' own cosines to their centres, i.e. a new article is marked when it is
//!   further from every centre than 98% of the training articles were from theirs. A per-topic
//!   quantile was not used: small topics have too few training scores for a 2% quantile.
//!
//! [`cluster::fit`]: crate::cluster::fit

use std::path::Path;
use std::time::Instant;

use ndarray::Axis;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cluster::{self, Example, Topic};
use crate::ingest::{self, Article, Corpus, ReadOptions};
use crate::pipeline::{FittedPipeline, Progress};
use crate::svd::Embedding;
use crate::text::{AnalyzedCorpus, Analyzer};
use crate::timeline::{BinUnit, Timeline};
use crate::vectorize::DocTermMatrix;
use crate::{Error, ParamGuard, Result, FORMAT_VERSION};

/// Why an article got no topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unassigned {
    /// No term of the vocabulary (or no weight in the LSA space).
    NoTerms,
    /// Cosine to the nearest centre below the model's `min_score`.
    LowScore,
}

impl Unassigned {
    /// Name as written in `assignments.csv`: `no_terms` or `low_score`.
    pub fn as_str(self) -> &'static str {
        match self {
            Unassigned::NoTerms => "no_terms",
            Unassigned::LowScore => "low_score",
        }
    }

    /// Parses [`Unassigned::as_str`].
    pub fn parse(s: &str) -> Option<Unassigned> {
        match s {
            "no_terms" => Some(Unassigned::NoTerms),
            "low_score" => Some(Unassigned::LowScore),
            _ => None,
        }
    }
}

/// Nearest of the unit `centroids` (row-major, `k × d`) for each row of `emb`: `(row, cosine)`,
/// `None` for an all-zero row. Same kernel and tie rule (first maximum) as the final assignment
/// of [`crate::cluster::fit`].
pub fn nearest_centres(
    emb: &Embedding,
    centroids: &ndarray::Array2<f32>,
) -> Vec<Option<(usize, f32)>> {
    let k = centroids.nrows();
    let d = centroids.ncols();
    let cents = centroids
        .as_standard_layout()
        .as_slice()
        .expect("standard layout")
        .to_vec();
    emb.axis_iter(Axis(0))
        .into_par_iter()
        .map_init(
            || vec![0f32; k],
            |sims, row| {
                if k == 0 || row.iter().all(|&v| v == 0.0) {
                    return None;
                }
                let row = row.to_vec();
                crate::kernel::dots(&row, &cents, d, sims);
                let mut best = (0usize, f32::NEG_INFINITY);
                for (c, &v) in sims.iter().enumerate() {
                    if v > best.1 {
                        best = (c, v);
                    }
                }
                Some(best)
            },
        )
        .collect()
}

/// Topics, scores and reasons from the nearest centres: rows below `min_score` are marked
/// [`Unassigned::LowScore`] (their score is still the cosine to the nearest centre).
pub fn mark(
    nearest: &[Option<(usize, f32)>],
    min_score: f32,
) -> (Vec<Option<usize>>, Vec<f32>, Vec<Option<Unassigned>>) {
    let mut topics = Vec::with_capacity(nearest.len());
    let mut scores = Vec::with_capacity(nearest.len());
    let mut reasons = Vec::with_capacity(nearest.len());
    for n in nearest {
        match *n {
            None => {
                topics.push(None);
                scores.push(0.0);
                reasons.push(Some(Unassigned::NoTerms));
            }
            Some((_, s)) if s < min_score => {
                topics.push(None);
                scores.push(s);
                reasons.push(Some(Unassigned::LowScore));
            }
            Some((t, s)) => {
                topics.push(Some(t));
                scores.push(s);
                reasons.push(None);
            }
        }
    }
    (topics, scores, reasons)
}

/// Settings of [`FittedPipeline::apply`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ApplyParams {
    /// Reading.
    pub read: ReadOptions,
    /// Timeline bins.
    pub bin: BinUnit,
    /// Cosine below which an article gets no topic (default: the model's `min_score`; 0 assigns
    /// every article with terms).
    pub min_score: Option<f32>,
    /// Cut bodies to a display snippet once analysed (see `AnalyzeParams::drop_bodies`).
    pub drop_bodies: bool,
}

/// The stages of [`FittedPipeline::apply`], in order, as [`crate::pipeline::Progress`] names
/// them.
pub const STAGES: &[&str] = &["read", "assign", "describe"];

/// The result of [`FittedPipeline::apply`].
pub struct Applied {
    /// The articles and the ingest report.
    pub corpus: Corpus,
    /// TF-IDF rows in the model's columns.
    pub matrix: DocTermMatrix,
    /// Raw counts in the model's columns.
    pub counts: DocTermMatrix,
    /// Articles in the model's LSA space.
    pub embedding: Embedding,
    /// Topic id per article (`None`: see `reasons`).
    pub assignments: Vec<Option<usize>>,
    /// Cosine to the nearest centre (0 without terms).
    pub scores: Vec<f32>,
    /// Why an article has no topic.
    pub reasons: Vec<Option<Unassigned>>,
    /// The threshold used.
    pub min_score: f32,
    /// The model's topics with this collection's sizes, shares and examples.
    pub topics: Vec<Topic>,
    /// Volume over time.
    pub timeline: Timeline,
    /// Seconds per stage, in order.
    pub stage_seconds: Vec<(String, f64)>,
}

impl FittedPipeline {
    /// Reads `model.json` (written by `analyze --save-model`), checking its format version.
    pub fn load(path: &Path) -> Result<FittedPipeline> {
        let f: FittedPipeline = crate::output::read_json(path)?;
        if f.version != FORMAT_VERSION {
            return Err(Error::BadFile {
                path: path.to_path_buf(),
                reason: format!(
                    "model format version {} (this topictrack reads {FORMAT_VERSION})",
                    f.version
                ),
            });
        }
        let (k, d) = f.model.centroids.dim();
        let basis_rows = if f.own_vectors() {
            0
        } else {
            f.vectorizer.n_terms()
        };
        if f.lsa.components.nrows() != basis_rows || f.lsa.dims() != d || k == 0 {
            return Err(Error::BadFile {
                path: path.to_path_buf(),
                reason: format!(
                    "inconsistent model: {} terms, LSA basis {:?}, centres {k} × {d}",
                    f.vectorizer.n_terms(),
                    f.lsa.components.dim()
                ),
            });
        }
        Ok(f)
    }

    /// The text analyzer of the saved settings. Bigrams are kept at any count: the saved
    /// vocabulary already decided which bigrams count, and a small batch would otherwise lose
    /// them to the collection-count threshold.
    pub fn analyzer(&self) -> Result<Analyzer> {
        let mut t = self.text.clone();
        t.min_ngram_count = 1;
        Ok(Analyzer::new(t.check()?).with_boilerplate(self.boilerplate.as_ref()))
    }

    /// New articles' term counts, cleaned of markup, addresses and the boilerplate learned at
    /// fit time (as [`crate::text::clean_articles`] cleaned the training collection), then
    /// analysed with [`FittedPipeline::analyzer`]: the training articles get back the counts
    /// they were fitted on.
    pub fn analyze_articles(&self, articles: &[Article]) -> Result<AnalyzedCorpus> {
        let analyzer = self.analyzer()?;
        let cleaner = crate::text::clean::Cleaner::new(self.boilerplate.clone());
        Ok(analyzer.analyze(&crate::text::clean_with(articles, &cleaner)))
    }

    /// Whether the model was fitted on the articles' own vectors ([`crate::ingest::vectors`])
    /// rather than LSA: its LSA basis has no rows.
    pub fn own_vectors(&self) -> bool {
        self.lsa.components.nrows() == 0 && self.vectorizer.n_terms() > 0
    }

    /// `read`, checked to give the new articles' own vectors when the model clusters such
    /// vectors (the model cannot know where a new collection keeps them).
    pub fn read_options(&self, read: &ReadOptions) -> Result<ReadOptions> {
        if self.own_vectors() && read.fields.vector.is_none() && read.vectors_file.is_none() {
            return Err(Error::param(
                "read.fields.vector",
                "(none)",
                format!(
                    "the model clusters document vectors ({} values each): give the new \
                     articles' vectors too (a field or a .npy file)",
                    self.lsa.dims()
                ),
            ));
        }
        Ok(read.clone())
    }

    /// TF-IDF rows, raw counts and rows in the model's clustering space (LSA, or the articles'
    /// own vectors, which are taken out of `articles`) of `articles`.
    pub fn embed(
        &self,
        articles: &mut [Article],
    ) -> Result<(DocTermMatrix, DocTermMatrix, Embedding)> {
        let analyzed = self.analyze_articles(articles)?;
        let (m, c) = self.vectorizer.transform_with_counts(&analyzed);
        let emb = if self.own_vectors() {
            let emb = ingest::vectors::take_embedding(articles)?;
            if emb.ncols() != self.lsa.dims() {
                return Err(Error::param(
                    "read.fields.vector",
                    format!("{} values", emb.ncols()),
                    format!("the model's vectors have {}", self.lsa.dims()),
                ));
            }
            emb
        } else {
            self.lsa.transform(&m)?
        };
        Ok((m, c, emb))
    }

    /// Reads `inputs` and assigns their articles to the model's topics.
    pub fn apply(
        &self,
        inputs: &[String],
        params: &ApplyParams,
        progress: &dyn Progress,
    ) -> Result<Applied> {
        let mut times = Vec::new();
        let mut stage = |name: &str, t0: Instant, progress: &dyn Progress| {
            let secs = t0.elapsed().as_secs_f64();
            progress.end(name, secs);
            times.push((name.to_string(), (secs * 1e4).round() / 1e4));
        };
        let min_score = params.min_score.unwrap_or(self.min_score);
        if min_score.is_nan() {
            return Err(Error::param(
                "apply.min_score",
                min_score,
                "must be a number",
            ));
        }
        progress.begin("read");
        let t0 = Instant::now();
        let mut corpus = ingest::read_inputs(inputs, &self.read_options(&params.read)?)?;
        if corpus.articles.is_empty() {
            return Err(Error::NotEnoughData(corpus.report.nothing_read()));
        }
        stage("read", t0, progress);
        progress.begin("assign");
        let t0 = Instant::now();
        let (matrix, counts, embedding) = self.embed(&mut corpus.articles)?;
        if params.drop_bodies {
            corpus
                .articles
                .par_iter_mut()
                .for_each(Article::shrink_text);
        }
        let nearest = nearest_centres(&embedding, &self.model.centroids);
        let (assignments, scores, reasons) = mark(&nearest, min_score);
        stage("assign", t0, progress);
        progress.begin("describe");
        let t0 = Instant::now();
        let topics = self.describe(&corpus.articles, &assignments, &scores, 3);
        let dates: Vec<_> = corpus.articles.iter().map(|a| a.date).collect();
        let timeline = Timeline::build(&dates, &assignments, self.model.k(), params.bin)?;
        stage("describe", t0, progress);
        Ok(Applied {
            corpus,
            matrix,
            counts,
            embedding,
            assignments,
            scores,
            reasons,
            min_score,
            topics,
            timeline,
            stage_seconds: times,
        })
    }

    /// The model's topics (ids, labels and terms as fitted) with the sizes, shares and example
    /// articles of a new collection.
    pub fn describe(
        &self,
        articles: &[Article],
        assignments: &[Option<usize>],
        scores: &[f32],
        n_examples: usize,
    ) -> Vec<Topic> {
        describe_assigned(
            &self.topics,
            self.model.k(),
            articles,
            assignments,
            scores,
            n_examples,
        )
    }
}

/// Topics `0..k` with the labels and terms of `fitted` (by id; empty when unknown) and the
/// sizes, shares and most central examples of `articles` as assigned.
pub fn describe_assigned(
    fitted: &[Topic],
    k: usize,
    articles: &[Article],
    assignments: &[Option<usize>],
    scores: &[f32],
    n_examples: usize,
) -> Vec<Topic> {
    let mut members: Vec<Vec<(usize, f32)>> = vec![Vec::new(); k];
    for (i, (a, &s)) in assignments.iter().zip(scores).enumerate() {
        if let Some(t) = a {
            if *t < k {
                members[*t].push((i, s));
            }
        }
    }
    let total: usize = members.iter().map(Vec::len).sum();
    members
        .into_iter()
        .enumerate()
        .map(|(id, mut m)| {
            m.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            let saved = fitted.iter().find(|t| t.id == id);
            Topic {
                id,
                label: saved.map(|t| t.label.clone()).unwrap_or_default(),
                name: saved.and_then(|t| t.name.clone()),
                size: m.len(),
                share: if total > 0 {
                    m.len() as f64 / total as f64
                } else {
                    0.0
                },
                terms: saved.map(|t| t.terms.clone()).unwrap_or_default(),
                examples: m
                    .iter()
                    .take(n_examples)
                    .map(|&(i, s)| Example {
                        id: articles[i].id.clone(),
                        title: cluster::display_title(&articles[i]),
                        date: articles[i].date.map(|d| d.format("%Y-%m-%d").to_string()),
                        score: (s * 1e4).round() / 1e4,
                    })
                    .collect(),
                parent: saved.and_then(|t| t.parent),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::arr2;

    #[test]
    fn nearest_and_marks() {
        let cents = arr2(&[[1.0f32, 0.0], [0.0, 1.0]]);
        let s = 0.5f32.sqrt();
        let emb = arr2(&[[0.6f32, 0.8], [s, s], [0.0, 0.0], [-1.0, 0.0]]);
        let n = nearest_centres(&emb, &cents);
        assert_eq!(n[0].map(|x| x.0), Some(1));
        assert_eq!(n[1].map(|x| x.0), Some(0), "ties go to the first centre");
        assert_eq!(n[2], None);
        assert_eq!(
            n[3],
            Some((1, 0.0)),
            "-1·1 + 0·0 < 0·1: the second centre wins"
        );
        let (t, sc, r) = mark(&n, 0.75);
        assert_eq!(t, [Some(1), None, None, None]);
        assert_eq!(
            r,
            [
                None,
                Some(Unassigned::LowScore),
                Some(Unassigned::NoTerms),
                Some(Unassigned::LowScore)
            ]
        );
        assert!((sc[1] - s).abs() < 1e-6);
        assert_eq!(sc[2], 0.0);
    }
}
