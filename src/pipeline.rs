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
use crate::ingest::{self, Corpus, ReadMode, ReadOptions};
use crate::svd::{self, Embedding, LsaModel, SvdParams};
use crate::text::{self, AnalyzedCorpus, Analyzer, TextParams};
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

/// Receives stage boundaries, e.g. to show progress. Calls may come from any thread.
pub trait Progress: Sync {
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
    let (mut corpus, analyzed) = read_and_analyze(inputs, params, Analyzer::new(text_p), timer)?;
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

/// The stages "read" and "text", overlapped: a reader thread parses the inputs and hands on
/// batches of [`text::BATCH_DOCS`] articles while the analyzer, on the rayon pool, works on the
/// batches already read, so text analysis need not wait for the whole input (decompression is
/// sequential; on 2 cores the two stages were already CPU-bound together and the overlap
/// gained nothing measurable on 20 Newsgroups: it is there for inputs that arrive slowly, such
/// as stdin, and for machines with more cores, where reading alone would leave the pool idle).
/// The articles are kept in an append-only store, so the analyzer can borrow those read
/// earlier while later ones arrive. "read" is timed until the last article is read, "text"
/// from there until the analysis is complete, so the two times add up to the wall time of both.
fn read_and_analyze(
    inputs: &[String],
    params: &AnalyzeParams,
    analyzer: Analyzer,
    timer: &mut Timer<'_>,
) -> Result<(Corpus, AnalyzedCorpus)> {
    let progress = timer.progress;
    progress.begin("read");
    let t0 = Instant::now();
    let store: boxcar::Vec<Vec<Article>> = boxcar::Vec::new();
    let read_end: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Article>>(2);
    let (report, analyzed) = std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            // Must not use the rayon pool (see `ReadMode::Streaming`).
            ingest::read_inputs_with(
                inputs,
                &params.read,
                ReadMode::Streaming(text::BATCH_DOCS),
                &mut |batch| {
                    tx.send(batch).map_err(|_| {
                        let gone = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
                        crate::Error::io("(text analysis)", gone)
                    })
                },
            )
        });
        let mut received = rx.into_iter();
        let batches = std::iter::from_fn(|| match received.next() {
            Some(batch) => {
                let i = store.push(batch);
                Some(store[i].as_slice())
            }
            None => {
                let secs = t0.elapsed().as_secs_f64();
                if read_end.set(secs).is_ok() {
                    progress.end("read", secs);
                    progress.begin("text");
                }
                None
            }
        });
        let analyzed = analyzer.analyze_batches(batches);
        match reader.join() {
            Ok(report) => report.map(|r| (r, analyzed)),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })?;
    let read_secs = read_end.get().copied().unwrap_or(0.0);
    let text_secs = t0.elapsed().as_secs_f64() - read_secs;
    progress.end("text", text_secs);
    timer.record("read", read_secs);
    timer.record("text", text_secs);
    let articles: Vec<Article> = store.into_iter().flatten().collect();
    if articles.is_empty() {
        return Err(crate::Error::NotEnoughData(format!(
            "no article could be read from {} ({} records skipped)",
            inputs.join(", "),
            report.skipped
        )));
    }
    Ok((Corpus { articles, report }, analyzed))
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
        self.record(stage, secs);
        Ok(out)
    }

    fn record(&mut self, stage: &str, secs: f64) {
        self.times
            .push((stage.to_string(), (secs * 1e4).round() / 1e4));
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
