//! A run of `analyze` as the library owns it: the [`Analysis`] of the pipeline, the events found
//! in it, its scores against gold labels and its `run.json`, and the writing of every output
//! file into an output folder.
//!
//! ```no_run
//! use topictrack::pipeline::{AnalyzeParams, Silent};
//! use topictrack::run::{self, RunOptions};
//!
//! let inputs = vec!["data/articles.jsonl".to_string()];
//! let opts = RunOptions { events: Some(Default::default()), ..RunOptions::default() };
//! let run = run::analyze(&inputs, &AnalyzeParams::default(), &opts, &Silent)?;
//! let written = run.write("results".as_ref(), None)?;
//! println!("{} files", written.files.len());
//! # Ok::<(), topictrack::Error>(())
//! ```
//!
//! [`Run::write`] writes through [`RunDir`]: the output folder is locked, every file goes into a
//! staging folder, and the files are swapped in with `run.json` last, so a failed run leaves the
//! folder as it was and a concurrent one is refused. The files (formats in [`crate::output`]):
//! `topics.json`, `timeline.csv`, `events.json`, `events.csv`, `surges.json`, `stories.json`,
//! `stories.csv` (with events), `run.json`, `assignments.csv`, `problems.csv` (when reading met
//! problems), `model.json` (with [`RunOptions::save_model`]), and whatever the chart callback
//! draws (the CLI's charts and `report.html`, from [`crate::plot`]).

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::ingest::fingerprint::{self, Fingerprint};
use crate::ingest::{Article, Corpus};
use crate::metrics::{self, Scores};
use crate::output::{self, Counts, OutPaths, RunInfo, TimelineInfo};
use crate::pipeline::{self, Analysis, AnalyzeParams, EventParams, Events, Progress};
use crate::run_dir::RunDir;
use crate::Result;

/// What a run computes and writes beyond the pipeline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunOptions {
    /// Event detection (events from terms, topic surges, stories); `None` skips it. Skipped
    /// too when no article is dated ([`Run::events`] is then `None`).
    pub events: Option<EventParams>,
    /// Score the topics against the articles' gold labels ([`Article::labels`], read with a
    /// label field) into `run.json`.
    pub score: bool,
    /// Also write `model.json`, the fitted state ([`pipeline::FittedPipeline`]).
    pub save_model: bool,
    /// Also write typed Parquet copies of the per-article and event tables ([`crate::parquet`]).
    pub parquet: bool,
}

/// One analysis with everything written about it.
pub struct Run {
    /// The pipeline's result.
    pub analysis: Analysis,
    /// Events, topic surges and stories (with [`RunOptions::events`] and dated articles).
    pub events: Option<Events>,
    /// Scores against gold labels (with [`RunOptions::score`]).
    pub scores: Option<Scores>,
    /// `run.json` (its `outputs` are filled in when written).
    pub info: RunInfo,
    /// Whether `model.json` is written.
    pub save_model: bool,
    /// Also write typed Parquet copies of the per-article and event tables ([`crate::parquet`]).
    pub parquet: bool,
}

/// Draws into a run's folder (given as the path of the staging folder, which holds every other
/// output by then): the CLI passes its charts and report.
pub type Charts<'a> = FolderWriter<'a>;

/// Writes files into the folder it is given.
pub type FolderWriter<'a> = &'a (dyn Fn(&Path) -> Result<()> + Sync);

/// What [`Run::write`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The output folder.
    pub out: PathBuf,
    /// Every file of the run, relative to `out` (as in `run.json`'s `outputs`).
    pub files: Vec<String>,
    /// Ids prefixed with `'` in `assignments.csv` ([`output::spreadsheet_safe`]); such ids no
    /// longer match the input's, which the caller should say.
    pub escaped_ids: usize,
}

/// Reads and analyses `inputs` ([`pipeline::analyze`]) and makes a [`Run`] of it
/// ([`Run::new`]); the inputs' fingerprints for `run.json` ([`fingerprint::fingerprint`]) are taken
/// on a thread of their own meanwhile.
pub fn analyze(
    inputs: &[String],
    params: &AnalyzeParams,
    opts: &RunOptions,
    progress: &dyn Progress,
) -> Result<Run> {
    let fingerprints = fingerprint_inputs(inputs);
    let analysis = pipeline::analyze(inputs, params, progress)?;
    let mut run = Run::new(analysis, opts)?;
    add_fingerprints(&mut run.info, fingerprints)?;
    Ok(run)
}

impl Run {
    /// Detects events and scores `analysis` as `opts` asks, and builds its `run.json`.
    /// `run.json` records `analysis.params`; an "events" entry is added to its stage times.
    pub fn new(analysis: Analysis, opts: &RunOptions) -> Result<Run> {
        let scores = if opts.score {
            Some(score(
                &analysis.corpus.articles,
                &analysis.model.assignments,
            )?)
        } else {
            None
        };
        let mut info = run_info(&analysis, &analysis.params, scores.clone());
        let events = match &opts.events {
            Some(p) if !analysis.timeline.bins.is_empty() => {
                let t0 = Instant::now();
                let e = events_of(&analysis, p)?;
                let secs = t0.elapsed().as_secs_f64();
                info.stage_seconds
                    .push(("events".to_string(), (secs * 1e4).round() / 1e4));
                Some(e)
            }
            _ => None,
        };
        Ok(Run {
            analysis,
            events,
            scores,
            info,
            save_model: opts.save_model,
            parquet: opts.parquet,
        })
    }

    /// Writes every output into `out` (created if needed) through a [`RunDir`]; `charts`, if
    /// given, draws into the folder too.
    pub fn write(&self, out: &Path, charts: Option<Charts<'_>>) -> Result<Written> {
        self.write_into(RunDir::open(out)?, charts)
    }

    /// [`Run::write`] into a [`RunDir`] opened by the caller, e.g. before the analysis so that
    /// a locked or unwritable folder fails before any work.
    pub fn write_into(&self, run_dir: RunDir, charts: Option<Charts<'_>>) -> Result<Written> {
        let a = &self.analysis;
        let assignments = |path: &Path| {
            output::write_assignments(
                path,
                &a.corpus.articles,
                &a.model.assignments,
                &a.model.scores,
            )
        };
        // What the report lists when a topic, event or story is clicked.
        let articles = |path: &Path| {
            crate::report::articles::write_articles(path, &a.corpus.articles, &a.model.assignments)
        };
        let model = || a.fitted();
        let parquet =
            |dir: &Path| crate::parquet::write_run(dir, a, self.events.as_ref()).map(|_| ());
        write_outputs(
            run_dir,
            &Outputs {
                assignments: &assignments,
                articles: Some(&articles),
                extra: self.parquet.then_some(&parquet as _),
                model: self.save_model.then_some(&model as _),
                ..self.outputs()
            },
            charts,
        )
    }

    /// The run's files as [`write_outputs`] takes them, without `assignments.csv` and
    /// `model.json` (which the caller adds, e.g. `compare`'s assignments with collections).
    pub fn outputs(&self) -> Outputs<'_> {
        let a = &self.analysis;
        Outputs {
            topics: &a.topics,
            themes: &a.themes,
            timeline: &a.timeline,
            events: self.events.as_ref(),
            info: &self.info,
            problems: &a.corpus.report.problems,
            assignments: &|_| Ok(0),
            articles: None,
            model: None,
            extra: None,
        }
    }
}

/// Writes one file (into the staging folder it is given); returns how many ids it escaped
/// (for `assignments.csv`; 0 otherwise).
pub type FileWriter<'a> = &'a (dyn Fn(&Path) -> Result<usize> + Sync);

/// The files of a run, borrowed, for [`write_outputs`].
#[derive(Clone, Copy)]
pub struct Outputs<'a> {
    /// `topics.json`.
    pub topics: &'a [crate::cluster::Topic],
    /// `themes.json` (not written when empty, e.g. for a saved model's topics).
    pub themes: &'a [crate::cluster::Theme],
    /// `timeline.csv`.
    pub timeline: &'a crate::timeline::Timeline,
    /// The five event files, when events were detected.
    pub events: Option<&'a Events>,
    /// `run.json`.
    pub info: &'a RunInfo,
    /// `problems.csv` (not written when empty).
    pub problems: &'a [crate::ingest::Problem],
    /// Writes `assignments.csv` into the folder given ([`output::assignments`]).
    pub assignments: FileWriter<'a>,
    /// Writes `articles.jsonl` (the report's article lists) at the path given.
    pub articles: Option<FolderWriter<'a>>,
    /// The fitted state for `model.json`, when saved.
    pub model: Option<&'a (dyn Fn() -> pipeline::FittedPipeline + Sync)>,
    /// Writes further files into the folder given, before the charts are drawn (`compare`'s
    /// comparison files).
    pub extra: Option<FolderWriter<'a>>,
}

/// Writes `files` into `run_dir`'s staging folder and swaps them in ([`RunDir::commit`]):
/// `topics.json`, `timeline.csv`, the extra files, `run.json`, then `assignments.csv`,
/// `articles.jsonl` and the event files side by side, `problems.csv`, `model.json`, and last
/// the charts, which read all of these (the report lists the articles).
pub fn write_outputs(
    run_dir: RunDir,
    files: &Outputs<'_>,
    charts: Option<Charts<'_>>,
) -> Result<Written> {
    let dir = run_dir.path().to_path_buf();
    let paths = OutPaths::new(&dir);
    output::write_topics(&paths.topics, files.topics)?;
    if !files.themes.is_empty() {
        output::write_themes(&dir.join("themes.json"), files.themes)?;
    }
    output::write_timeline(&paths.timeline, files.timeline)?;
    if let Some(extra) = files.extra {
        extra(&dir)?;
    }
    output::write_json(&paths.run, files.info)?;
    // The large files side by side (at 1M articles each is tens to hundreds of MB).
    let ((escaped, listed), events) = rayon::join(
        || {
            rayon::join(
                || (files.assignments)(&paths.assignments),
                || match files.articles {
                    Some(write) => write(&dir.join("articles.jsonl")),
                    None => Ok(()),
                },
            )
        },
        || match files.events {
            Some(e) => output::events::write_events(&dir, e),
            None => Ok(()),
        },
    );
    events?;
    listed?;
    let escaped_ids = escaped?;
    if !files.problems.is_empty() {
        output::write_problems(&dir.join("problems.csv"), files.problems)?;
    }
    if let Some(model) = files.model {
        output::write_json(&paths.model, &model())?;
    }
    if let Some(draw) = charts {
        draw(&dir)?;
    }
    let out = run_dir.out().to_path_buf();
    let files = run_dir.commit(files.info)?;
    Ok(Written {
        out,
        files,
        escaped_ids,
    })
}

/// Events of a fresh analysis ([`pipeline::detect_events`] on its articles, topics and TF-IDF
/// rows).
pub fn events_of(a: &Analysis, p: &EventParams) -> Result<Events> {
    let labels: Vec<String> = a.topics.iter().map(|t| t.label.clone()).collect();
    pipeline::detect_events(
        &a.corpus.articles,
        &a.model.assignments,
        &labels,
        &a.matrix,
        &a.vectorizer.labels,
        p,
    )
}

/// Scores the articles that have a topic against their gold labels.
pub fn score(articles: &[Article], assignments: &[Option<usize>]) -> Result<Scores> {
    let (pred, gold): (Vec<usize>, Vec<Vec<String>>) = articles
        .iter()
        .zip(assignments)
        .filter_map(|(a, t)| t.map(|t| (t, a.labels.clone())))
        .unzip();
    metrics::evaluate(&pred, &gold)
}

/// `run.json` for an analysis run with `params`.
pub fn run_info(a: &Analysis, params: &AnalyzeParams, scores: Option<Scores>) -> RunInfo {
    let r = &a.corpus.report;
    RunInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        format_version: crate::FORMAT_VERSION,
        inputs: r.inputs.clone(),
        counts: Counts::new(r, &a.model.assignments),
        skip_reasons: r.skip_reasons.clone(),
        params: serde_json::to_value(params).unwrap_or_default(),
        k: a.model.k(),
        k_selection: a.model.k_selection.clone(),
        vocabulary: a.vectorizer.n_terms(),
        dims: a.lsa.dims(),
        timeline: TimelineInfo::of(&a.timeline),
        stage_seconds: a.stage_seconds.clone(),
        scores,
        outputs: Vec::new(),
        boilerplate: a.boilerplate.clone(),
    }
}

/// The inputs' fingerprints being taken on a thread of their own ([`fingerprint_inputs`]).
pub type FingerprintJob = std::thread::JoinHandle<Result<Vec<Option<Fingerprint>>>>;

/// Fingerprints of `inputs` ([`fingerprint::fingerprint`]), computed on a thread of their own while
/// the caller goes on (hashing a large input takes about as long as reading it).
pub fn fingerprint_inputs(inputs: &[String]) -> FingerprintJob {
    let inputs = inputs.to_vec();
    std::thread::spawn(move || inputs.iter().map(|i| fingerprint::fingerprint(i)).collect())
}

/// Puts the fingerprints into `run.json`'s inputs (in input order).
pub fn add_fingerprints(run: &mut RunInfo, job: FingerprintJob) -> Result<()> {
    let fps = job
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    for (i, fp) in run.inputs.iter_mut().zip(fps) {
        i.fingerprint = fp;
    }
    Ok(())
}

/// Analyses articles already in memory ([`pipeline::analyze_corpus`]) and makes a [`Run`] of
/// them ([`Run::new`]); `run.json` has no input fingerprints (no file was read).
pub fn analyze_corpus(
    corpus: Corpus,
    params: &AnalyzeParams,
    opts: &RunOptions,
    progress: &dyn Progress,
) -> Result<Run> {
    Run::new(pipeline::analyze_corpus(corpus, params, progress)?, opts)
}

/// A saved model applied to new articles ([`pipeline::FittedPipeline::apply`]) with its
/// events and `run.json`: the outputs of `apply`, written like a [`Run`]'s (`assignments.csv`
/// lists every article, with the reason for one without topic; no `model.json`).
pub struct AppliedRun {
    /// The articles, their topics and the topics' new sizes and timeline.
    pub applied: crate::apply::Applied,
    /// Events, topic surges and stories (with event settings and dated articles).
    pub events: Option<Events>,
    /// `run.json`.
    pub info: RunInfo,
}

impl AppliedRun {
    /// Detects the events of `applied` (with `events` and dated articles) and builds its
    /// `run.json`, which names the model file `model` and records `params`.
    pub fn new(
        fitted: &pipeline::FittedPipeline,
        applied: crate::apply::Applied,
        params: &crate::apply::ApplyParams,
        model: &Path,
        events: Option<&EventParams>,
    ) -> Result<AppliedRun> {
        let a = &applied;
        let t0 = Instant::now();
        let found = match events {
            Some(p) if !a.timeline.bins.is_empty() => {
                let labels: Vec<String> = a.topics.iter().map(|t| t.label.clone()).collect();
                Some(pipeline::detect_events(
                    &a.corpus.articles,
                    &a.assignments,
                    &labels,
                    &a.matrix,
                    &fitted.vectorizer.labels,
                    p,
                )?)
            }
            _ => None,
        };
        let mut stage_seconds = a.stage_seconds.clone();
        if found.is_some() {
            let secs = t0.elapsed().as_secs_f64();
            stage_seconds.push(("events".to_string(), (secs * 1e4).round() / 1e4));
        }
        let r = &a.corpus.report;
        let info = RunInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            format_version: crate::FORMAT_VERSION,
            inputs: r.inputs.clone(),
            counts: Counts::new(r, &a.assignments),
            skip_reasons: r.skip_reasons.clone(),
            params: serde_json::json!({
                "apply": params,
                "model": model.display().to_string(),
                "min_score": a.min_score,
                "text": fitted.text,
                "tfidf": fitted.vectorizer.params,
            }),
            k: fitted.model.k(),
            k_selection: fitted.model.k_selection.clone(),
            vocabulary: fitted.vectorizer.n_terms(),
            dims: fitted.lsa.dims(),
            timeline: TimelineInfo::of(&a.timeline),
            stage_seconds,
            scores: None,
            outputs: Vec::new(),
            boilerplate: fitted.boilerplate.clone(),
        };
        Ok(AppliedRun {
            applied,
            events: found,
            info,
        })
    }

    /// Writes every output into `run_dir` ([`write_outputs`]).
    pub fn write_into(&self, run_dir: RunDir, charts: Option<Charts<'_>>) -> Result<Written> {
        let a = &self.applied;
        let assignments = |path: &Path| {
            output::write_assignments_marked(
                path,
                &a.corpus.articles,
                &a.assignments,
                &a.scores,
                &a.reasons,
            )
            .map(|()| 0)
        };
        let articles = |path: &Path| {
            crate::report::articles::write_articles(path, &a.corpus.articles, &a.assignments)
        };
        write_outputs(
            run_dir,
            &Outputs {
                topics: &a.topics,
                themes: &[],
                timeline: &a.timeline,
                events: self.events.as_ref(),
                info: &self.info,
                problems: &a.corpus.report.problems,
                assignments: &assignments,
                articles: Some(&articles),
                model: None,
                extra: None,
            },
            charts,
        )
    }
}
