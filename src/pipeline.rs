//! The `analyze` pipeline: ingest → text → vectorize → svd → cluster → timeline, timed per stage.
//!
//! [`analyze`] runs on in-memory settings and returns an [`Analysis`] holding every stage's
//! output, so callers (the CLI, notebooks, future bindings) decide what to write.

use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cluster::{self, ClusterParams, Topic, TopicModel};
use crate::events::records::{self, BurstRecord, StoryRecord};
use crate::events::{self as ev, BurstParams, StoryParams};
use crate::ingest::Article;
use crate::ingest::{self, Corpus, ReadOptions};
use crate::svd::{self, Embedding, LsaModel, SvdParams};
use crate::text::{Analyzer, TextParams};
use crate::timeline::{BinUnit, Timeline};
use crate::vectorize::{self, DocTermMatrix, TfidfModel, TfidfParams};
use crate::Result;

/// All settings of `analyze`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalyzeParams {
    /// Reading.
    pub read: ReadOptions,
    /// Text analysis.
    pub text: TextParams,
    /// TF-IDF.
    pub tfidf: TfidfParams,
    /// LSA.
    pub svd: SvdParams,
    /// Clustering.
    pub cluster: ClusterParams,
    /// Timeline bins.
    pub bin: BinUnit,
    /// Seed for every random choice (overrides the stages' own seeds).
    pub seed: u64,
    /// Drop the articles' bodies after the text stage (default false): each body is cut to
    /// what [`cluster::display_title`] needs ([`Article::shrink_text`]). The CLI does this, as
    /// nothing after the text stage reads bodies and they are the largest part of the memory.
    #[serde(default)]
    pub drop_bodies: bool,
}

/// Receives stage boundaries, e.g. to show progress.
pub trait Progress {
    /// A stage starts.
    fn begin(&self, _stage: &str) {}
    /// A stage ended after `secs` seconds.
    fn end(&self, _stage: &str, _secs: f64) {}
}

/// Progress that shows nothing.
pub struct Silent;
impl Progress for Silent {}

/// Everything `analyze` computed.
pub struct Analysis {
    /// The articles and the ingest report.
    pub corpus: Corpus,
    /// Settings used (after seeding).
    pub params: AnalyzeParams,
    /// Fitted vectorizer.
    pub vectorizer: TfidfModel,
    /// TF-IDF rows of the articles.
    pub matrix: DocTermMatrix,
    /// Raw counts of the articles in the vectorizer's columns.
    pub counts: DocTermMatrix,
    /// Fitted LSA basis.
    pub lsa: LsaModel,
    /// Articles in LSA space.
    pub embedding: Embedding,
    /// Fitted topic model.
    pub model: TopicModel,
    /// Topic descriptions.
    pub topics: Vec<Topic>,
    /// Volume over time.
    pub timeline: Timeline,
    /// Seconds per stage, in order.
    pub stage_seconds: Vec<(String, f64)>,
}

/// The fitted state needed to apply the pipeline to new articles (`model.json`), versioned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedPipeline {
    /// Format version.
    pub version: u32,
    /// Text settings (the analyzer is rebuilt from them).
    pub text: TextParams,
    /// Vocabulary and IDF.
    pub vectorizer: TfidfModel,
    /// LSA basis.
    pub lsa: LsaModel,
    /// Centroids and training assignments.
    pub model: TopicModel,
    /// Topic descriptions at fit time (ids, labels, terms), kept by `apply`.
    #[serde(default)]
    pub topics: Vec<Topic>,
    /// Cosine to the nearest centre below which `apply` leaves an article without topic
    /// (the [`crate::apply::OUTLIER_QUANTILE`] quantile of the training scores).
    #[serde(default)]
    pub min_score: f32,
}

impl Analysis {
    /// The fitted state, for saving.
    pub fn fitted(&self) -> FittedPipeline {
        FittedPipeline {
            version: crate::FORMAT_VERSION,
            text: self.params.text.clone(),
            vectorizer: self.vectorizer.clone(),
            lsa: self.lsa.clone(),
            model: self.model.clone(),
            topics: self.topics.clone(),
            min_score: crate::apply::score_threshold(
                &self.model.scores,
                &self.model.assignments,
                crate::apply::OUTLIER_QUANTILE,
            ),
        }
    }
}

/// Reads, analyses and vectorizes the inputs (the first three stages of [`analyze`]); also used
/// to recompute events from a saved run.
pub fn vectorize_inputs_timed(
    inputs: &[String],
    params: &AnalyzeParams,
    progress: &dyn Progress,
) -> Result<(Corpus, TfidfModel, DocTermMatrix, DocTermMatrix)> {
    let mut timer = Timer {
        progress,
        times: Vec::new(),
    };
    vectorize_inputs(inputs, params, &mut timer)
}

fn vectorize_inputs(
    inputs: &[String],
    params: &AnalyzeParams,
    timer: &mut Timer<'_>,
) -> Result<(Corpus, TfidfModel, DocTermMatrix, DocTermMatrix)> {
    let text_p = params.text.clone().check()?;
    let tfidf_p = params.tfidf.clone().check()?;
    // Read whole, then analysed. Overlapping the two (a reader thread handing batches to
    // `Analyzer::analyze_batches`) was measured this session: no faster on 20 Newsgroups, and at
    // 1M articles slower (17.6–20.2 s against 16.0–16.8 s) with a higher, more variable peak
    // (3.2–3.8 GB against 3.4–3.5 GB), as the articles then came from a thread that ends.
    let corpus = timer.run("read", || ingest::read_inputs(inputs, &params.read))?;
    if corpus.articles.is_empty() {
        return Err(crate::Error::NotEnoughData(format!(
            "no article could be read from {} ({} records skipped)",
            inputs.join(", "),
            corpus.report.skipped
        )));
    }
    let analyzed = timer.run("text", || {
        Ok(Analyzer::new(text_p).analyze(&corpus.articles))
    })?;
    let mut corpus = corpus;
    if params.drop_bodies {
        corpus
            .articles
            .par_iter_mut()
            .for_each(Article::shrink_text);
    }
    let (vectorizer, matrix, counts) = timer.run("tfidf", || {
        let v = vectorize::fit(&analyzed, &tfidf_p)?;
        let (m, c) = v.transform_with_counts(&analyzed);
        analyzed.free_in_parallel();
        Ok((v, m, c))
    })?;
    Ok((corpus, vectorizer, matrix, counts))
}

struct Timer<'a> {
    progress: &'a dyn Progress,
    times: Vec<(String, f64)>,
}

impl Timer<'_> {
    fn run<T>(&mut self, stage: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        self.progress.begin(stage);
        let t0 = Instant::now();
        let out = f()?;
        let secs = t0.elapsed().as_secs_f64();
        self.progress.end(stage, secs);
        self.times
            .push((stage.to_string(), (secs * 1e4).round() / 1e4));
        Ok(out)
    }
}

/// Runs the whole pipeline on `inputs`.
pub fn analyze(
    inputs: &[String],
    params: &AnalyzeParams,
    progress: &dyn Progress,
) -> Result<Analysis> {
    // Validate every setting before reading anything.
    let mut params = params.clone();
    params.svd.seed = params.seed;
    params.cluster.seed = params.seed;
    params.text.clone().check()?;
    params.tfidf.clone().check()?;
    let svd_p = params.svd.clone().check()?;
    let cluster_p = params.cluster.clone().check()?;

    let mut timer = Timer {
        progress,
        times: Vec::new(),
    };
    let (corpus, vectorizer, matrix, counts) = vectorize_inputs(inputs, &params, &mut timer)?;
    let (lsa, embedding) = timer.run("svd", || svd::fit(&matrix, &svd_p))?;
    let model = timer.run("cluster", || cluster::fit(&embedding, &cluster_p))?;
    let topics = timer.run("describe", || {
        Ok(cluster::describe(
            &model,
            &counts,
            &vectorizer.labels,
            &corpus.articles,
            &cluster_p,
        ))
    })?;
    let timeline = timer.run("timeline", || {
        let dates: Vec<_> = corpus.articles.iter().map(|a| a.date).collect();
        Timeline::build(&dates, &model.assignments, model.k(), params.bin)
    })?;
    Ok(Analysis {
        corpus,
        params,
        vectorizer,
        matrix,
        counts,
        lsa,
        embedding,
        model,
        topics,
        timeline,
        stage_seconds: timer.times,
    })
}

/// Settings of event detection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventParams {
    /// Burst detection.
    pub bursts: BurstParams,
    /// First-story detection.
    pub stories: StoryParams,
}

/// Bursts and stories of an analysed collection.
#[derive(Debug, Clone, PartialEq)]
pub struct Events {
    /// Bursts (daily bins), by topic then start.
    pub bursts: Vec<BurstRecord>,
    /// Stories, by id.
    pub stories: Vec<StoryRecord>,
    /// Articles skipped by story detection for lack of a date.
    pub undated: usize,
}

/// Detects bursts (per topic, on daily counts) and new stories. `matrix` holds the articles'
/// TF-IDF rows with display `labels` per column; articles without topic or date are left out.
pub fn detect_events(
    articles: &[Article],
    assignments: &[Option<usize>],
    topic_labels: &[String],
    matrix: &DocTermMatrix,
    labels: &[String],
    params: &EventParams,
) -> Result<Events> {
    let k = topic_labels.len();
    let dates: Vec<_> = articles.iter().map(|a| a.date).collect();
    let daily = Timeline::build(&dates, assignments, k, BinUnit::Day)?;
    // Articles without a topic are hidden from burst detection by dropping their date.
    let day_of: Vec<Option<chrono::NaiveDate>> = articles
        .iter()
        .zip(assignments)
        .map(|(a, t)| t.and(a.date.map(|d| d.date_naive())))
        .collect();
    let topics: Vec<usize> = assignments.iter().map(|t| t.unwrap_or(0)).collect();
    let bursts = if daily.bins.is_empty() {
        Vec::new()
    } else {
        // Titles for headlines; freed before story detection.
        let titles: Vec<String> = articles.par_iter().map(cluster::display_title).collect();
        let title_refs: Vec<&str> = titles.iter().map(String::as_str).collect();
        ev::detect_bursts(
            &ev::BurstInput {
                bin_starts: &daily.bins,
                counts: &daily.counts,
                totals: &daily.totals,
                dates: &day_of,
                topics: &topics,
                titles: &title_refs,
                text: Some(ev::TermSource { matrix, labels }),
            },
            &params.bursts,
        )?
    };
    let bursts = records::burst_records(&bursts, articles, topic_labels);
    drop((daily, day_of));
    let all_days: Vec<Option<chrono::NaiveDate>> = articles
        .iter()
        .map(|a| a.date.map(|d| d.date_naive()))
        .collect();
    let stories = ev::detect_stories(
        &ev::StoryInput {
            dates: &all_days,
            topics: Some(&topics),
            matrix,
            labels,
        },
        &params.stories,
    )?;
    let undated = stories.skipped_undated;
    Ok(Events {
        bursts,
        stories: records::story_records(stories, articles),
        undated,
    })
}
