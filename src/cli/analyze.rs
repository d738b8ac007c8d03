//! `topictrack analyze`: the whole pipeline, outputs written to `--out`.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use topictrack::pipeline;
use topictrack::run::{self, RunOptions};

use super::args::{InputArgs, ModelArgs};
use super::common::{report_problems, Ui};

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
    pub bin: super::args::BinArg,
    /// Also write model.json: the fitted vocabulary, IDF, LSA basis and centroids.
    #[arg(long, help_heading = "Output")]
    pub save_model: bool,
    /// Also write assignments, timeline, events and stories as Parquet files (typed columns,
    /// lists for terms and ids), beside the CSV and JSON files.
    #[arg(long, help_heading = "Output")]
    pub parquet: bool,
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

/// Runs `analyze`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<()> {
    let chart_opts = args.chart.options_unless(args.no_charts)?;
    let events = args.events.params_unless(args.no_events)?;
    let run_dir = super::common::open_run_dir(&args.out)?;
    let read = args.input.read_options(None);
    let mut params = args.model.params(read, args.bin);
    params.cluster.seed_topics = args.model.seed_topics()?;
    let opts = RunOptions {
        score: args.input.label_field.is_some(),
        save_model: args.save_model,
        parquet: args.parquet,
        events,
    };
    let run = {
        let progress = ui.progress(pipeline::STAGES);
        run::analyze(&args.inputs, &params, &opts, &progress)
            .map_err(|e| super::common::nothing_read(ui, &args.out, e))?
    };
    let a = &run.analysis;
    report_problems(ui, &a.corpus.report);
    if let Some(sel) = &a.model.k_selection {
        let ks: Vec<u64> = sel.scores.iter().map(|s| s.0 as u64).collect();
        if let Some(w) = topictrack::report::k_edge_message(&ks, sel.chosen as u64) {
            ui.note(format!("topictrack: warning: {w}"));
        }
    }
    if opts.events.is_some() && run.events.is_none() {
        ui.note("events: no dated articles, no bursts or stories");
    }
    super::common::write_run(ui, |charts| run.write_into(run_dir, charts), &chart_opts)?;
    super::common::print_summary(&a.topics, run.scores.as_ref(), run.events.as_ref())?;
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
    std::mem::forget(run);
    Ok(())
}
