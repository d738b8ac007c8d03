//! `topictrack apply`: assigns new articles to the topics of a saved model (`model.json`).

use std::path::PathBuf;

use anyhow::Context;
use clap::Args as ClapArgs;
use topictrack::apply::ApplyParams;
use topictrack::pipeline::FittedPipeline;
use topictrack::run::AppliedRun;

use super::args::InputArgs;
use super::common::{report_problems, Ui};

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
    pub bin: super::args::BinArg,
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
    let chart_opts = args.chart.options_unless(args.no_charts)?;
    let events = args.events.params_unless(args.no_events)?;
    let run_dir = super::common::open_run_dir(&args.out)?;
    let fitted = FittedPipeline::load(&args.model)
        .with_context(|| format!("cannot load the model {}", args.model.display()))?;
    let params = ApplyParams {
        read: args.input.read_options(None),
        bin: args.bin.into(),
        min_score: args.min_score,
        drop_bodies: true,
    };
    let applied = {
        let progress = ui.progress(topictrack::apply::STAGES);
        fitted.apply(&args.inputs, &params, &progress)?
    };
    report_problems(ui, &applied.corpus.report);
    let run = AppliedRun::new(&fitted, applied, &params, &args.model, events.as_ref())?;
    let a = &run.applied;
    if events.is_some() && run.events.is_none() {
        ui.note("events: no dated articles with a topic, no bursts or stories");
    }
    super::common::write_run(ui, |charts| run.write_into(run_dir, charts), &chart_opts)?;
    super::common::print_summary(&a.topics, None, run.events.as_ref())?;
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
