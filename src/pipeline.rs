//! The `analyze` pipeline: ingest → text → vectorize → svd → cluster → timeline, timed per stage.
//!
//! [`analyze`] reads the inputs and runs on in-memory settings; [`analyze_corpus`] starts from
//! articles already in memory. Both return an [`Analysis`] holding every stage's output;
//! [`crate::run::Run`] adds events and scores and writes the output folder, or callers
//! (notebooks, bindings) take what they need.

use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cluster::{self, ClusterParams, Topic, TopicModel};
use crate::events::news::{self, NewsEventInput, NewsEventParams};
use crate::events::records::{self, BurstRecord, EventRecord, StoryRecord};
use crate::events::{self as ev, BurstParams, StoryParams};
use crate::ingest::Article;
use crate::ingest::{self, Corpus, ReadOptions};
use crate::svd::{self, Embedding, LsaModel, SvdParams};
use crate::text::clean::Boilerplate;
use crate::text::phrases::Phrase;
use crate::text::{Analyzer, TextParams};
use crate::timeline::{BinUnit, Timeline};
use crate::vectorize::{self, DocTermMatrix, TfidfModel, TfidfParams};
use crate::{ParamGuard, Result};

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
    /// Settings as given (`run.json` records these; the stages ran with
    /// [`AnalyzeParams::seeded`]).
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
    /// Broad themes over the topics (each topic's `parent`).
    pub themes: Vec<cluster::Theme>,
    /// Wire boilerplate learned from the collection and removed (`None` with
    /// `keep_boilerplate`).
    pub boilerplate: Option<Boilerplate>,
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
    /// Boilerplate learned from the training collection, removed from new text too.
    #[serde(default)]
    pub boilerplate: Option<Boilerplate>,
    /// Topic descriptions at fit time (ids, labels, terms), kept by `apply`.
    #[serde(default)]
    pub topics: Vec<Topic>,
    /// Cosine to the nearest centre below which `apply` leaves an article without topic
    /// (the [`crate::cluster::OUTLIER_QUANTILE`] quantile of the training scores).
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
            boilerplate: self.boilerplate.clone(),
            topics: self.topics.clone(),
            min_score: crate::cluster::score_threshold(
                &self.model.scores,
                &self.model.assignments,
                crate::cluster::OUTLIER_QUANTILE,
            ),
        }
    }
}

/// The stages of [`analyze`], in order, as [`Progress`] names them (`analyze_corpus` starts at
/// `text`).
pub const STAGES: &[&str] = &[
    "read", "text", "tfidf", "svd", "cluster", "describe", "timeline",
];

/// Reads, analyses and vectorizes the inputs (the first three stages of [`analyze`],
/// `STAGES[..3]`); also used to recompute events from a saved run.
pub fn vectorize_inputs_timed(
    inputs: &[String],
    params: &AnalyzeParams,
    progress: &dyn Progress,
) -> Result<(Corpus, TfidfModel, DocTermMatrix, DocTermMatrix)> {
    let mut timer = Timer {
        progress,
        times: Vec::new(),
    };
    params.text.clone().check()?;
    params.tfidf.clone().check()?;
    let corpus = read(inputs, params, &mut timer)?;
    let v = vectorize_corpus(corpus, params, &mut timer)?;
    Ok((v.corpus, v.vectorizer, v.matrix, v.counts))
}

/// What the first three stages give.
struct Vectorized {
    corpus: Corpus,
    vectorizer: TfidfModel,
    matrix: DocTermMatrix,
    counts: DocTermMatrix,
    boilerplate: Option<Boilerplate>,
    phrases: Vec<Phrase>,
}

/// The `read` stage: the inputs as a [`Corpus`]; an error when nothing could be read.
fn read(inputs: &[String], params: &AnalyzeParams, timer: &mut Timer<'_>) -> Result<Corpus> {
    // Read whole, then analysed. Overlapping the two (a reader thread handing batches to
    // `Analyzer::analyze_batches`) was measured: no faster on 20 Newsgroups, and at
    // 1M articles slower (17.6–20.2 s against 16.0–16.8 s) with a higher, more variable peak
    // (3.2–3.8 GB against 3.4–3.5 GB), as the articles then came from a thread that ends.
    let corpus = timer.run("read", || ingest::read_inputs(inputs, &params.read))?;
    nothing_read(corpus)
}

/// `corpus`, or [`crate::Error::NothingRead`] when it holds no article.
fn nothing_read(corpus: Corpus) -> Result<Corpus> {
    if corpus.articles.is_empty() {
        return Err(crate::Error::NothingRead {
            message: corpus.report.nothing_read(),
            report: Box::new(corpus.report),
        });
    }
    Ok(corpus)
}

/// The `text` and `tfidf` stages on articles already read.
fn vectorize_corpus(
    corpus: Corpus,
    params: &AnalyzeParams,
    timer: &mut Timer<'_>,
) -> Result<Vectorized> {
    let text_p = params.text.clone().check()?;
    let tfidf_p = params.tfidf.clone().check()?;
    let (boilerplate, analyzed) = timer.run("text", || {
        let keep = text_p.keep_boilerplate;
        let (boilerplate, cleaned) = crate::text::clean_articles(&corpus.articles, keep);
        let analyzed = Analyzer::new(text_p)
            .with_boilerplate(boilerplate.as_ref())
            .analyze(&cleaned);
        Ok((boilerplate, analyzed))
    })?;
    if analyzed.terms.keys.is_empty() {
        return Err(crate::Error::NotEnoughData(format!(
            "none of the {} words of the {} articles is usable: all are stop words, numbers, \
             1-character words or longer than 40 characters (a script written without spaces \
             other than Chinese, Japanese and Korean, such as Thai, is not segmented)",
            analyzed.n_words,
            corpus.articles.len()
        )));
    }
    let mut corpus = corpus;
    // The bodies are cut while the TF-IDF stage runs: fitting the vocabulary is mostly one
    // thread's work, which leaves the other core free.
    let shrink = |articles: &mut Vec<Article>| {
        if params.drop_bodies {
            articles.par_iter_mut().for_each(Article::shrink_text);
        }
    };
    let tfidf = || {
        timer.run("tfidf", || {
            let v = vectorize::fit(&analyzed, &tfidf_p)?;
            let (m, c) = v.transform_with_counts(&analyzed);
            let phrases = phrases_in_columns(&analyzed, &v);
            analyzed.free_in_parallel();
            Ok((v, m, c, phrases))
        })
    };
    let ((), tfidf) = rayon::join(|| shrink(&mut corpus.articles), tfidf);
    let (vectorizer, matrix, counts, phrases) = tfidf?;
    Ok(Vectorized {
        corpus,
        vectorizer,
        matrix,
        counts,
        boilerplate,
        phrases,
    })
}

/// The named topics' words as TF-IDF rows (one per named topic), checked to have at least one
/// term of the vocabulary each.
fn seed_rows(
    params: &AnalyzeParams,
    cluster_p: &cluster::ValidClusterParams,
    boilerplate: Option<&Boilerplate>,
    vectorizer: &TfidfModel,
) -> Result<DocTermMatrix> {
    let seeds = &cluster_p.seed_topics;
    let texts: Vec<String> = seeds.iter().map(|t| t.words.join(" ")).collect();
    let analyzer = Analyzer::new(params.text.clone().check()?).with_boilerplate(boilerplate);
    let rows = vectorizer.transform(&analyzer.analyze(&texts));
    for (i, t) in seeds.iter().enumerate() {
        if rows.outer_view(i).is_none_or(|r| r.nnz() == 0) {
            return Err(crate::Error::param(
                "cluster.seed_topics",
                format!("{}: {}", t.name, t.words.join(", ")),
                "none of its words is in the collection's vocabulary",
            ));
        }
    }
    Ok(rows)
}

/// The named topics' words in the clustering space: with LSA, each topic's words analysed as
/// one document, weighted by the fitted TF-IDF and projected on the LSA basis; with the
/// articles' own vectors (which have no map from words), the mean vector of the articles that
/// hold any of the topic's terms. Unit rows, one per named topic.
fn seed_vectors(
    params: &AnalyzeParams,
    cluster_p: &cluster::ValidClusterParams,
    boilerplate: Option<&Boilerplate>,
    vectorizer: &TfidfModel,
    space: (&LsaModel, &DocTermMatrix, &Embedding),
    own_vectors: bool,
) -> Result<ndarray::Array2<f32>> {
    let (lsa, matrix, embedding) = space;
    if cluster_p.seed_topics.is_empty() {
        return Ok(ndarray::Array2::zeros((0, lsa.dims())));
    }
    let rows = seed_rows(params, cluster_p, boilerplate, vectorizer)?;
    if !own_vectors {
        return lsa.transform(&rows);
    }
    let mut out = ndarray::Array2::<f32>::zeros((rows.rows(), embedding.ncols()));
    for (i, mut centre) in out.rows_mut().into_iter().enumerate() {
        let terms: ahash::AHashSet<usize> = rows
            .outer_view(i)
            .map(|r| r.indices().to_vec())
            .unwrap_or_default()
            .into_iter()
            .collect();
        for (doc, row) in matrix.outer_iterator().enumerate() {
            if row.indices().iter().any(|c| terms.contains(c)) {
                centre += &embedding.row(doc);
            }
        }
        let norm = centre.dot(&centre).sqrt();
        if norm > 0.0 {
            centre /= norm;
        }
    }
    Ok(out)
}

/// The collection's phrases whose two terms are vocabulary columns, by column.
fn phrases_in_columns(analyzed: &crate::text::AnalyzedCorpus, v: &TfidfModel) -> Vec<Phrase> {
    if analyzed.phrases.is_empty() {
        return Vec::new();
    }
    let cols = v.columns_of(&analyzed.terms);
    let mut out: Vec<Phrase> = analyzed
        .phrases
        .iter()
        .filter_map(|p| {
            let (a, b) = (cols[p.first as usize], cols[p.second as usize]);
            (a != u32::MAX && b != u32::MAX).then(|| Phrase {
                first: a,
                second: b,
                ..p.clone()
            })
        })
        .collect();
    out.sort_unstable_by_key(|p| (p.first, p.second));
    out
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

impl AnalyzeParams {
    /// The settings the stages run with: `seed` seeds k-means (and, under `--init kmeans++`,
    /// the SVD's test matrix too). With the deterministic PCA-Part start (the default), the
    /// SVD's test matrix is drawn from its own fixed seed, so that the topics are a function of
    /// the input alone and do not move with `seed` (on 20 Newsgroups at k = 20, two seeds'
    /// partitions agreed only to NMI 0.88–0.93 with Ω seeded by `seed`).
    pub fn seeded(&self) -> AnalyzeParams {
        let mut params = self.clone();
        if params.cluster.init == cluster::Init::KMeansPlusPlus {
            params.svd.seed = params.seed;
        }
        params.cluster.seed = params.seed;
        params
    }

    /// Checks every stage's settings (before anything is read).
    fn check_all(&self) -> Result<()> {
        self.text.clone().check()?;
        self.tfidf.clone().check()?;
        self.svd.clone().check()?;
        self.cluster.clone().check()?;
        Ok(())
    }
}

/// Runs the whole pipeline on `inputs`: reads them ([`ingest::read_inputs`], the `read` stage)
/// and analyses the articles as [`analyze_corpus`] does. Every setting is checked before
/// anything is read; an input that yields no article is [`crate::Error::NothingRead`].
pub fn analyze(
    inputs: &[String],
    params: &AnalyzeParams,
    progress: &dyn Progress,
) -> Result<Analysis> {
    params.seeded().check_all()?;
    let mut timer = Timer {
        progress,
        times: Vec::new(),
    };
    let corpus = read(inputs, params, &mut timer)?;
    in_pool(|| analyze_timed(corpus, params, timer))
}

/// Runs `f` on one of rayon's worker threads, so that each parallel step inside it starts from
/// a worker instead of being handed in from outside the pool while the calling thread sleeps
/// until it is done (a futex wake and sleep per parallel call, thousands per run). On 20
/// Newsgroups: wall ratio 0.95 against the same run outside the pool (median of 21 paired
/// runs), the same bytes out. `read` stays outside: with it inside, the gzip-bomb test
/// (`tests/hostile.rs`, 400 MB address-space limit) aborted on a 64 MiB line buffer in 1 of 2 runs.
fn in_pool<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    rayon::scope(|_| f())
}

/// Analyses articles already in memory (a [`Corpus`] built by [`ingest::read_inputs`], by
/// [`ingest::read_stream`], or by the caller from its own records with a default
/// [`ingest::IngestReport`]): the stages of [`STAGES`] after `read` (`text` … `timeline`),
/// each reported to `progress`. `params.read` is not used (only recorded). Returns
/// [`crate::Error::NothingRead`] for a corpus without articles and
/// [`crate::Error::InvalidParam`] for a bad setting, before any work.
///
/// The same corpus and settings give the same [`Analysis`] as [`analyze`] on the files it was
/// read from, byte for byte in every output, at any thread count.
pub fn analyze_corpus(
    corpus: Corpus,
    params: &AnalyzeParams,
    progress: &dyn Progress,
) -> Result<Analysis> {
    params.seeded().check_all()?;
    let corpus = nothing_read(corpus)?;
    let timer = Timer {
        progress,
        times: Vec::new(),
    };
    in_pool(|| analyze_timed(corpus, params, timer))
}

/// The articles' own vectors as the embedding ([`ingest::vectors::take_embedding`]), with an
/// LSA model of no terms (`0 × d`), by which a saved model says that new articles must bring
/// their vectors too ([`FittedPipeline::own_vectors`]).
fn own_embedding(articles: &mut [Article]) -> Result<(LsaModel, Embedding)> {
    if !ingest::vectors::present(articles) {
        return Err(crate::Error::param(
            "read.fields.vector",
            "(no vectors)",
            "the articles were read without document vectors (a folder of text files has none)",
        ));
    }
    let embedding = ingest::vectors::take_embedding(articles)?;
    let lsa = LsaModel {
        version: crate::FORMAT_VERSION,
        singular_values: Vec::new(),
        components: ndarray::Array2::zeros((0, embedding.ncols())),
    };
    Ok((lsa, embedding))
}

/// The stages after `read`, timed into `timer`.
fn analyze_timed(corpus: Corpus, given: &AnalyzeParams, mut timer: Timer<'_>) -> Result<Analysis> {
    let params = given.seeded();
    let svd_p = params.svd.clone().check()?;
    let cluster_p = params.cluster.clone().check()?;
    let Vectorized {
        corpus,
        vectorizer,
        matrix,
        counts,
        boilerplate,
        phrases,
    } = vectorize_corpus(corpus, &params, &mut timer)?;
    let mut corpus = corpus;
    // The articles' own vectors, when given, take the place of the LSA rows (the stage keeps
    // its name, `svd`, so that the stage list is the same for every run).
    let own_vectors = params.read.fields.vector.is_some() || params.read.vectors_file.is_some();
    let (lsa, embedding) = timer.run("svd", || {
        if own_vectors {
            own_embedding(&mut corpus.articles)
        } else {
            svd::fit(&matrix, &svd_p)
        }
    })?;
    let model = timer.run("cluster", || {
        let space = (&lsa, &matrix, &embedding);
        let seeds = seed_vectors(
            &params,
            &cluster_p,
            boilerplate.as_ref(),
            &vectorizer,
            space,
            own_vectors,
        )?;
        cluster::fit_seeded(&embedding, &cluster_p, &seeds)
    })?;
    corpus
        .report
        .note_without_topic(&corpus.articles, &model.assignments);
    let (topics, themes) = timer.run("describe", || {
        let mut topics = cluster::describe(
            &model,
            &counts,
            &vectorizer.labels,
            &phrases,
            &corpus.articles,
            &cluster_p,
        )?;
        let themes = cluster::describe_themes(
            &model,
            &embedding,
            &mut topics,
            &counts,
            &vectorizer.labels,
            &phrases,
            &corpus.articles,
            &cluster_p,
        )?;
        Ok((topics, themes))
    })?;
    let timeline = timer.run("timeline", || {
        let dates: Vec<_> = corpus.articles.iter().map(|a| a.date).collect();
        Timeline::build(&dates, &model.assignments, model.k(), params.bin)
    })?;
    Ok(Analysis {
        corpus,
        params: given.clone(),
        vectorizer,
        matrix,
        counts,
        lsa,
        embedding,
        model,
        topics,
        themes,
        boilerplate,
        timeline,
        stage_seconds: timer.times,
    })
}

/// Settings of event detection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventParams {
    /// Events from terms (`events.json`).
    #[serde(default)]
    pub news: NewsEventParams,
    /// Topic surges (`surges.json`).
    pub bursts: BurstParams,
    /// First-story detection.
    pub stories: StoryParams,
}

/// Bursts and stories of an analysed collection.
#[derive(Debug, Clone, PartialEq)]
pub struct Events {
    /// Events from terms, ranked, strongest first.
    pub events: Vec<EventRecord>,
    /// Topic surges (bursts in a topic's daily share), by topic then start.
    pub surges: Vec<BurstRecord>,
    /// Stories, by id.
    pub stories: Vec<StoryRecord>,
    /// Articles skipped by story detection for lack of a date.
    pub undated: usize,
}

/// Detects events (from terms, on days), topic surges (per topic, on daily counts) and new stories. `matrix` holds the articles'
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
    // Titles for headlines; freed before story detection.
    let titles: Vec<String> = articles.par_iter().map(cluster::display_title).collect();
    let title_refs: Vec<&str> = titles.iter().map(String::as_str).collect();
    let all_days: Vec<Option<chrono::NaiveDate>> = articles
        .iter()
        .map(|a| a.date.map(|d| d.date_naive()))
        .collect();
    let news_events = news::detect_events(
        &NewsEventInput {
            dates: &all_days,
            matrix,
            labels,
            titles: &title_refs,
            topics: assignments,
        },
        &params.news,
    )?;
    let events = records::event_records(&news_events, articles, topic_labels);
    drop(news_events);
    let bursts = if daily.bins.is_empty() {
        Vec::new()
    } else {
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
    let surges = records::burst_records(&bursts, articles, topic_labels);
    drop((daily, day_of, title_refs));
    drop(titles);
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
        events,
        surges,
        stories: records::story_records(stories, articles),
        undated,
    })
}
