//! `topictrack analyze`: the whole pipeline, outputs written to `--out`.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args as ClapArgs;
use topictrack::cluster::{ClusterParams, Init, KChoice, SeedTopic};
use topictrack::ingest::{FieldMap, InputFormat, ReadOptions};
use topictrack::output::{self, Counts, OutPaths, RunInfo, TimelineInfo};
use topictrack::pipeline::{self, AnalyzeParams};
use topictrack::run_dir::{self, Fingerprint, RunDir};
use topictrack::svd::SvdParams;
use topictrack::text::{Language, TextParams};
use topictrack::timeline::BinUnit;
use topictrack::vectorize::{DfBound, TfidfParams};

use super::common::{print_stdout, report_problems, Ui};

/// Input format names for `--format`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    /// Decide from the name, then the content.
    Auto,
    /// JSON Lines.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// TSV with a header row.
    Tsv,
    /// A folder of .txt files.
    Txt,
}

/// Reading options shared by the commands that read articles.
#[derive(Debug, Clone, ClapArgs)]
pub struct InputArgs {
    /// Input format (default: from the file name, then the content; gzip is detected by content).
    #[arg(long, value_enum, default_value = "auto", help_heading = "Input")]
    pub format: FormatArg,
    /// Field(s) holding the text (repeatable; default: title + text, or body/content/description).
    #[arg(long = "text-field", value_name = "FIELD", help_heading = "Input")]
    pub text_field: Vec<String>,
    /// Date field (default: date, published, publish_date, pubDate, timestamp, ...).
    #[arg(long, value_name = "FIELD", help_heading = "Input")]
    pub date_field: Option<String>,
    /// Id field (default: id, uuid, guid, url; else FILE:LINE).
    #[arg(long, value_name = "FIELD", help_heading = "Input")]
    pub id_field: Option<String>,
    /// Gold label field: scores the topics against it (NMI, ARI, ...) in run.json and on stdout.
    #[arg(long, value_name = "FIELD", help_heading = "Input")]
    pub label_field: Option<String>,
    /// strftime format for dates no built-in form reads, e.g. "%d.%m.%Y" (tried first; the
    /// built-in forms are still tried after it).
    #[arg(long, value_name = "FMT", value_parser = parse_date_format, help_heading = "Input")]
    pub date_format: Option<String>,
    /// Stop at the first bad record (exit 2) instead of skipping and counting it.
    #[arg(long, help_heading = "Input")]
    pub strict: bool,
    /// Largest record read (JSON line, CSV record, text file; after decompression), in bytes or
    /// with a K, M or G suffix (powers of 1024); a larger one is skipped unread and reported.
    #[arg(long, default_value = "64M", value_name = "SIZE", value_parser = parse_size, help_heading = "Input")]
    pub max_record_bytes: u64,
}

/// A `--date-format`, checked before anything is read.
fn parse_date_format(s: &str) -> Result<String, String> {
    topictrack::ingest::date::check_format(s)
        .map(|()| s.to_string())
        .map_err(|e| e.to_string())
}

/// A byte count: digits with an optional K, M or G suffix (powers of 1024; `KiB`, `MB`... too).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(digits);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a size (e.g. 64M, 1G, 500000)"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("{s:?}: unknown unit (use K, M or G)")),
    };
    match n.checked_mul(1 << shift) {
        Some(0) | None => Err(format!("{s:?}: must be between 1 byte and 16 EiB")),
        Some(v) => Ok(v),
    }
}

impl InputArgs {
    /// The library's reading options.
    pub fn read_options(&self, group: Option<String>) -> ReadOptions {
        ReadOptions {
            fields: FieldMap {
                text: self.text_field.clone(),
                date: self.date_field.clone(),
                id: self.id_field.clone(),
                label: self.label_field.clone(),
                group,
            },
            date_format: self.date_format.clone(),
            format: match self.format {
                FormatArg::Auto => InputFormat::Auto,
                FormatArg::Jsonl => InputFormat::Jsonl,
                FormatArg::Csv => InputFormat::Csv,
                FormatArg::Tsv => InputFormat::Tsv,
                FormatArg::Txt => InputFormat::Txt,
            },
            strict: self.strict,
            max_record_bytes: self.max_record_bytes,
        }
    }
}

/// Model options shared by `analyze` and `compare`.
#[derive(Debug, Clone, ClapArgs)]
pub struct ModelArgs {
    /// Language: stemmer and stop words.
    #[arg(long, value_enum, default_value = "english", help_heading = "Text")]
    pub lang: Language,
    /// Do not stem (terms are lower-cased words).
    #[arg(long, help_heading = "Text")]
    pub no_stem: bool,
    /// 1 = words; 2 = words and frequent bigrams ("white house").
    #[arg(long, default_value_t = 1, value_name = "N", help_heading = "Text")]
    pub ngrams: u8,
    /// Minimum count of a bigram in the collection.
    #[arg(long, default_value_t = 5, value_name = "N", help_heading = "Text")]
    pub min_ngram_count: u32,
    /// Keep wire boilerplate: headline prefixes and suffixes that recur across the collection
    /// ("Factbox:", "| Reuters"), datelines, bylines, credit lines and time stamps are
    /// otherwise removed before analysis. HTML, URLs and e-mail addresses are removed either way.
    #[arg(long, help_heading = "Text")]
    pub keep_boilerplate: bool,
    /// Minimum document frequency: a count (5) or a fraction (0.001). Default: min(5, 1 + docs/200).
    #[arg(long, value_name = "N|F", help_heading = "Vectors")]
    pub min_df: Option<DfBound>,
    /// Maximum document frequency: a fraction (0.5) or a count.
    #[arg(
        long,
        default_value = "0.5",
        value_name = "F|N",
        help_heading = "Vectors"
    )]
    pub max_df: DfBound,
    /// Keep at most N terms (most frequent).
    #[arg(long, value_name = "N", help_heading = "Vectors")]
    pub max_features: Option<usize>,
    /// LSA dimensions (more: finer distinctions, slower; 80 clustered as well as 100 on the
    /// benchmark corpora).
    #[arg(long, default_value_t = 80, value_name = "N", help_heading = "Vectors")]
    pub dims: usize,
    /// Power iterations of the randomized SVD (more: a closer basis, slower).
    #[arg(long, default_value_t = 4, value_name = "N", help_heading = "Vectors")]
    pub power_iters: usize,
    /// Number of topics: a number, `auto` (best silhouette for k in 5..30) or `auto:MIN..MAX`.
    #[arg(
        long,
        short,
        default_value = "auto",
        value_name = "K",
        help_heading = "Topics"
    )]
    pub k: KChoice,
    /// k-means restarts (best inertia kept).
    #[arg(long, default_value_t = 3, value_name = "N", help_heading = "Topics")]
    pub runs: usize,
    /// Random seed: the same input and seed give byte-identical outputs. With the default
    /// `--init bisect` (or `pca-part`) nothing is random and the topics do not depend on it.
    #[arg(long, default_value_t = 0, help_heading = "Topics")]
    pub seed: u64,
    /// How k-means starts: `bisect` (deterministic bisecting k-means, the default), `pca-part`
    /// (deterministic principal-direction splits) or `kmeans++` (seeded random restarts, best
    /// of `--runs`).
    #[arg(long, value_enum, default_value = "bisect", help_heading = "Topics")]
    pub init: InitArg,
    /// Broad themes formed over the topics (default: the square root of the number of topics,
    /// rounded up); each topic's theme is its `parent` in topics.json, the themes are in
    /// themes.json.
    #[arg(long, value_name = "N", help_heading = "Topics")]
    pub themes: Option<usize>,
    /// A named topic to keep: "NAME: word, word, ..." (repeatable). The clustering starts a
    /// topic at these words, fills it with the articles nearest to it, and shows it by NAME.
    #[arg(long = "topic", value_name = "SPEC", help_heading = "Topics")]
    pub topics: Vec<SeedTopic>,
    /// A file of named topics, one "NAME: word, word, ..." per line (# comments).
    #[arg(long, value_name = "FILE", help_heading = "Topics")]
    pub topics_file: Option<std::path::PathBuf>,
}

/// `--init` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum InitArg {
    /// Deterministic bisecting k-means.
    Bisect,
    /// Deterministic PCA-Part.
    PcaPart,
    /// Seeded greedy k-means++ restarts.
    #[value(name = "kmeans++")]
    KMeansPlusPlus,
}

impl ModelArgs {
    /// The named topics of `--topic` and `--topics-file`.
    pub fn seed_topics(&self) -> anyhow::Result<Vec<SeedTopic>> {
        let mut out = self.topics.clone();
        if let Some(path) = &self.topics_file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read topics file {}", path.display()))?;
            for (i, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let t = line
                    .parse::<SeedTopic>()
                    .map_err(|e| anyhow::anyhow!("{}:{}: {e}", path.display(), i + 1))?;
                out.push(t);
            }
        }
        Ok(out)
    }

    /// Builds the pipeline settings.
    pub fn params(&self, read: ReadOptions, bin: BinUnit) -> AnalyzeParams {
        AnalyzeParams {
            read,
            text: TextParams {
                lang: self.lang,
                stem: !self.no_stem,
                ngrams: self.ngrams,
                min_ngram_count: self.min_ngram_count,
                keep_boilerplate: self.keep_boilerplate,
                ..TextParams::default()
            },
            tfidf: TfidfParams {
                min_df: self.min_df,
                max_df: self.max_df,
                max_features: self.max_features,
                ..TfidfParams::default()
            },
            svd: SvdParams {
                dims: self.dims,
                power_iters: self.power_iters,
                ..SvdParams::default()
            },
            cluster: ClusterParams {
                k: self.k,
                n_runs: self.runs,
                init: match self.init {
                    InitArg::Bisect => Init::Bisect,
                    InitArg::PcaPart => Init::PcaPart,
                    InitArg::KMeansPlusPlus => Init::KMeansPlusPlus,
                },
                seed_topics: self.topics.clone(),
                n_themes: self.themes,
                ..ClusterParams::default()
            },
            bin,
            seed: self.seed,
            drop_bodies: true,
        }
    }
}

/// `topictrack analyze`.
#[derive(Debug, Clone, ClapArgs)]
#[command(
    after_help = "Examples:\n  topictrack analyze data/articles.jsonl --out results\n  topictrack analyze news.csv.gz --k 12 --bin week --out results\n  cat feed.jsonl | topictrack analyze - --out results"
)]
pub struct Args {
    /// Input files or folders (JSONL, CSV, TSV, folders of .txt; gzip ok); `-` reads stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Output folder (created if needed).
    #[arg(long, short, default_value = "topictrack-out", value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Timeline bin: day, week, month, or auto (about 20–200 bins).
    #[arg(long, value_enum, default_value = "auto", help_heading = "Output")]
    pub bin: BinUnit,
    /// Also write model.json: the fitted vocabulary, IDF, LSA basis and centroids.
    #[arg(long, help_heading = "Output")]
    pub save_model: bool,
    /// Skip burst and story detection.
    #[arg(long, help_heading = "Events")]
    pub no_events: bool,
    #[command(flatten)]
    pub events: super::events::EventArgs,
    /// Skip charts and report.html.
    #[arg(long, help_heading = "Charts")]
    pub no_charts: bool,
    #[command(flatten)]
    pub chart: super::chart::ChartArgs,
}

const STAGES: &[&str] = &[
    "read", "text", "tfidf", "svd", "cluster", "describe", "timeline",
];

/// Runs `analyze`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<()> {
    let chart_opts = if args.no_charts {
        None
    } else {
        Some(args.chart.options()?)
    };
    let event_params = if args.no_events {
        None
    } else {
        Some(args.events.params()?)
    };
    // Locked, and written into a staging folder swapped in at the end: a failed run leaves the
    // folder as it was, a concurrent one is refused.
    let run_dir = RunDir::open(&args.out)
        .with_context(|| format!("cannot write to output folder {}", args.out.display()))?;
    let dir = run_dir.path().to_path_buf();
    let read = args.input.read_options(None);
    let mut params = args.model.params(read, args.bin);
    params.cluster.seed_topics = args.model.seed_topics()?;
    // The inputs' fingerprints for run.json, taken while the pipeline runs.
    let fingerprints = fingerprint_inputs(&args.inputs);
    let analysis = {
        let progress = ui.progress(STAGES);
        pipeline::analyze(&args.inputs, &params, &progress)
            .map_err(|e| super::common::nothing_read(ui, &args.out, e))?
    };
    report_problems(ui, &analysis.corpus.report);

    let paths = OutPaths::new(&dir);
    let a = &analysis;
    output::write_topics(&paths.topics, &a.topics)?;
    output::write_themes(&dir.join("themes.json"), &a.themes)?;
    output::write_timeline(&paths.timeline, &a.timeline)?;
    let scores = match &args.input.label_field {
        Some(_) => Some(super::evaluate::score(
            &a.corpus.articles,
            &a.model.assignments,
        )?),
        None => None,
    };
    let events_start = std::time::Instant::now();
    let events = match &event_params {
        Some(p) if a.timeline.bins.is_empty() => {
            ui.note("events: no dated articles, no bursts or stories");
            let _ = p;
            None
        }
        Some(p) => {
            let e = super::events::for_analysis(a, p)?;
            super::events::write_events(&dir, &e)?;
            Some(e)
        }
        None => None,
    };
    let mut run = run_info(a, &params, scores.clone());
    if events.is_some() {
        // Detection and writing events.json / stories.*, after the pipeline's own stages.
        let secs = events_start.elapsed().as_secs_f64();
        run.stage_seconds
            .push(("events".to_string(), (secs * 1e4).round() / 1e4));
    }
    add_fingerprints(&mut run, fingerprints)?;
    output::write_json(&paths.run, &run)?;
    // The charts read topics, timeline, run and events; the per-article files are written
    // meanwhile.
    let (charts, tables) = rayon::join(
        || match &chart_opts {
            Some(opts) => super::chart::render_outputs(&dir, opts)
                .context("cannot draw the charts")
                .map(|_| ()),
            None => Ok(()),
        },
        || -> anyhow::Result<()> {
            let escaped = output::write_assignments(
                &paths.assignments,
                &a.corpus.articles,
                &a.model.assignments,
                &a.model.scores,
            )?;
            super::common::note_escaped_ids(ui, escaped);
            if !a.corpus.report.problems.is_empty() {
                output::write_problems(&dir.join("problems.csv"), &a.corpus.report.problems)?;
            }
            if args.save_model {
                output::write_json(&paths.model, &a.fitted())?;
            }
            Ok(())
        },
    );
    tables?;
    charts?;
    run_dir.commit(&run)?;

    let mut out = output::topic_table(&a.topics, 100);
    if let Some(s) = &scores {
        out.push_str(&super::evaluate::format_scores(s));
    }
    if let Some(e) = &events {
        out.push_str(&topictrack::events::records::summary(
            &e.events, &e.stories, 10,
        ));
    }
    print_stdout(&out)?;
    let total: f64 = a.stage_seconds.iter().map(|s| s.1).sum();
    ui.note(format!(
        "{} topics from {} articles in {:.2} s; wrote {}",
        a.model.k(),
        a.corpus.articles.len(),
        total,
        args.out.display()
    ));
    // The process ends next: freeing millions of small allocations one by one would only
    // delay the exit (the operating system reclaims the memory at once).
    std::mem::forget(analysis);
    Ok(())
}

/// Fingerprints of `inputs` ([`topictrack::run_dir::fingerprint`]), computed on a thread of
/// their own while the caller goes on.
pub fn fingerprint_inputs(
    inputs: &[String],
) -> std::thread::JoinHandle<topictrack::Result<Vec<Option<Fingerprint>>>> {
    let inputs = inputs.to_vec();
    std::thread::spawn(move || inputs.iter().map(|i| run_dir::fingerprint(i)).collect())
}

/// Puts the fingerprints into `run.json`'s inputs (in input order).
pub fn add_fingerprints(
    run: &mut RunInfo,
    fingerprints: std::thread::JoinHandle<topictrack::Result<Vec<Option<Fingerprint>>>>,
) -> anyhow::Result<()> {
    let fps = fingerprints
        .join()
        .map_err(|_| anyhow::anyhow!("fingerprinting the inputs failed"))??;
    for (i, fp) in run.inputs.iter_mut().zip(fps) {
        i.fingerprint = fp;
    }
    Ok(())
}

/// `run.json` for an analysis.
pub fn run_info(
    a: &pipeline::Analysis,
    params: &AnalyzeParams,
    scores: Option<topictrack::metrics::Scores>,
) -> RunInfo {
    let r = &a.corpus.report;
    let tl = &a.timeline;
    RunInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        format_version: topictrack::FORMAT_VERSION,
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
