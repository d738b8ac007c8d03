//! `topictrack apply`: assigns new articles to the topics of a saved model (`model.json`).

use std::path::PathBuf;

use anyhow::Context;
use clap::Args as ClapArgs;
use topictrack::apply::ApplyParams;
use topictrack::output::{self, Counts, OutPaths, RunInfo, TimelineInfo};
use topictrack::pipeline::{self, FittedPipeline};
use topictrack::timeline::BinUnit;

use super::args::InputArgs;
use super::common::{print_stdout, report_problems, Ui};

/// `topictrack apply`.
#[derive(Debug, Clone, ClapArgs)]
#[command(
    after_help = "Example:\n  topictrack analyze january.jsonl --save-model --out jan\n  topictrack apply --model jan/model.json february.jsonl --out feb\n\nArticles that fit no topic well have an empty topic in assignments.csv and a reason:\nno_terms (no word of the model's vocabulary) or low_score (cosine to the nearest centre below\n--min-score, by default the 2% quantile of the training articles' cosines)."
)]
pub struct Args {
    /// A model.json written by `analyze --save-model`.
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,
    /// Input files or folders (JSONL, CSV, TSV, folders of .txt; gzip ok); `-` reads stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Output folder (created if needed).
    #[arg(long, short, default_value = "topictrack-out", value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// Cosine to the nearest centre below which an article gets no topic (default: the
    /// model's, the 2% quantile of its training scores; 0 assigns every article with terms).
    #[arg(long, value_name = "COS", help_heading = "Topics")]
    pub min_score: Option<f32>,
    /// Timeline bin: day, week, month, or auto (about 20–200 bins).
    #[arg(long, value_enum, default_value = "auto", help_heading = "Output")]
    pub bin: BinUnit,
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

/// Runs `apply`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<()> {
    output::prepare_dir(&args.out)
        .with_context(|| format!("cannot write to output folder {}", args.out.display()))?;
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
    let fitted = FittedPipeline::load(&args.model)
        .with_context(|| format!("cannot load the model {}", args.model.display()))?;
    let params = ApplyParams {
        read: args.input.read_options(None),
        bin: args.bin,
        min_score: args.min_score,
        drop_bodies: true,
    };
    let a = {
        let progress = ui.progress(&["read", "assign", "describe"]);
        fitted.apply(&args.inputs, &params, &progress)?
    };
    report_problems(ui, &a.corpus.report);

    let paths = OutPaths::new(&args.out);
    output::write_topics(&paths.topics, &a.topics)?;
    output::write_timeline(&paths.timeline, &a.timeline)?;
    let events_start = std::time::Instant::now();
    let labels: Vec<String> = a.topics.iter().map(|t| t.label.clone()).collect();
    let events = match &event_params {
        Some(_) if a.timeline.bins.is_empty() => {
            ui.note("events: no dated articles with a topic, no bursts or stories");
            None
        }
        Some(p) => {
            let e = pipeline::detect_events(
                &a.corpus.articles,
                &a.assignments,
                &labels,
                &a.matrix,
                &fitted.vectorizer.labels,
                p,
            )?;
            topictrack::run::write_events(&args.out, &e)?;
            Some(e)
        }
        None => None,
    };
    let mut stage_seconds = a.stage_seconds.clone();
    if events.is_some() {
        let secs = events_start.elapsed().as_secs_f64();
        stage_seconds.push(("events".to_string(), (secs * 1e4).round() / 1e4));
    }
    let r = &a.corpus.report;
    let tl = &a.timeline;
    let run = RunInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        format_version: topictrack::FORMAT_VERSION,
        inputs: r.inputs.clone(),
        counts: Counts::new(r, &a.assignments),
        skip_reasons: r.skip_reasons.clone(),
        params: serde_json::json!({
            "apply": params,
            "model": args.model.display().to_string(),
            "min_score": a.min_score,
            "text": fitted.text,
            "tfidf": fitted.vectorizer.params,
        }),
        k: fitted.model.k(),
        k_selection: fitted.model.k_selection.clone(),
        vocabulary: fitted.vectorizer.n_terms(),
        dims: fitted.lsa.dims(),
        timeline: TimelineInfo {
            bin: tl.unit.name().to_string(),
            first: tl.bins.first().map(|d| d.to_string()),
            last: tl.bins.last().map(|d| d.to_string()),
            n_bins: tl.bins.len(),
        },
        stage_seconds,
        scores: None,
        outputs: Vec::new(),
        boilerplate: fitted.boilerplate.clone(),
    };
    output::write_json(&paths.run, &run)?;
    output::write_assignments_marked(
        &paths.assignments,
        &a.corpus.articles,
        &a.assignments,
        &a.scores,
        &a.reasons,
    )?;
    let problems_path = args.out.join("problems.csv");
    if r.problems.is_empty() {
        let _ = std::fs::remove_file(&problems_path);
    } else {
        output::write_problems(&problems_path, &r.problems)?;
    }
    if let Some(opts) = &chart_opts {
        super::chart::render_outputs(&args.out, opts).context("cannot draw the charts")?;
    }
    let mut out = output::topic_table(&a.topics, 100);
    if let Some(e) = &events {
        out.push_str(&topictrack::events::records::summary(
            &e.events, &e.stories, 10,
        ));
    }
    print_stdout(&out)?;
    let marked = a.assignments.iter().filter(|t| t.is_none()).count();
    ui.note(format!(
        "{} articles assigned to {} topics, {marked} fit none (min score {:.4}); wrote {}",
        a.corpus.articles.len() - marked,
        fitted.model.k(),
        a.min_score,
        args.out.display()
    ));
    Ok(())
}
