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

use crate::ingest::{Article, Corpus};
use crate::metrics::{self, Scores};
use crate::output::{self, Counts, OutPaths, RunInfo, TimelineInfo};
use crate::pipeline::{self, Analysis, AnalyzeParams, EventParams, Events, Progress};
use crate::run_dir::{self, Fingerprint, RunDir};
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
}

/// Draws into a run's folder (given as the path of the staging folder, which holds
/// `topics.json`, `timeline.csv`, `run.json` and the event files by then) while the
/// per-article files are written: the CLI passes its charts and report.
pub type Charts<'a> = &'a (dyn Fn(&Path) -> Result<()> + Sync);

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
/// ([`Run::new`]); the inputs' fingerprints for `run.json` ([`run_dir::fingerprint`]) are taken
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
        let dir = run_dir.path().to_path_buf();
        let paths = OutPaths::new(&dir);
        let a = &self.analysis;
        output::write_topics(&paths.topics, &a.topics)?;
        output::write_timeline(&paths.timeline, &a.timeline)?;
        if let Some(e) = &self.events {
            write_events(&dir, e)?;
        }
        output::write_json(&paths.run, &self.info)?;
        // The charts read topics, timeline, run and events; the per-article files are written
        // meanwhile.
        let (drawn, tables) = rayon::join(
            || match charts {
                Some(draw) => draw(&dir),
                None => Ok(()),
            },
            || -> Result<usize> {
                let escaped = output::write_assignments(
                    &paths.assignments,
                    &a.corpus.articles,
                    &a.model.assignments,
                    &a.model.scores,
                )?;
                if !a.corpus.report.problems.is_empty() {
                    output::write_problems(&dir.join("problems.csv"), &a.corpus.report.problems)?;
                }
                if self.save_model {
                    output::write_json(&paths.model, &a.fitted())?;
                }
                Ok(escaped)
            },
        );
        let escaped_ids = tables?;
        drawn?;
        let out = run_dir.out().to_path_buf();
        let files = run_dir.commit(&self.info)?;
        Ok(Written {
            out,
            files,
            escaped_ids,
        })
    }
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

/// Writes `events.json`, `events.csv`, `surges.json`, `stories.json` and `stories.csv` into
/// `dir`.
pub fn write_events(dir: &Path, e: &Events) -> Result<()> {
    output::write_json(&dir.join("events.json"), &e.events)?;
    crate::events::records::write_events_csv(&dir.join("events.csv"), &e.events)?;
    output::write_json(&dir.join("surges.json"), &e.surges)?;
    output::write_json(&dir.join("stories.json"), &e.stories)?;
    crate::events::records::write_stories_csv(&dir.join("stories.csv"), &e.stories)?;
    Ok(())
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
    let tl = &a.timeline;
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
        timeline: TimelineInfo {
            bin: tl.unit.name().to_string(),
            first: tl.bins.first().map(|d| d.to_string()),
            last: tl.bins.last().map(|d| d.to_string()),
            n_bins: tl.bins.len(),
        },
        stage_seconds: a.stage_seconds.clone(),
        scores,
        outputs: Vec::new(),
        boilerplate: a.boilerplate.clone(),
    }
}

/// The inputs' fingerprints being taken on a thread of their own ([`fingerprint_inputs`]).
pub type FingerprintJob = std::thread::JoinHandle<Result<Vec<Option<Fingerprint>>>>;

/// Fingerprints of `inputs` ([`run_dir::fingerprint`]), computed on a thread of their own while
/// the caller goes on (hashing a large input takes about as long as reading it).
pub fn fingerprint_inputs(inputs: &[String]) -> FingerprintJob {
    let inputs = inputs.to_vec();
    std::thread::spawn(move || inputs.iter().map(|i| run_dir::fingerprint(i)).collect())
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
