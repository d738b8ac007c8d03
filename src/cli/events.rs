//! `topictrack events`: bursts and new stories, from a saved analysis (also run by `analyze`).

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args as ClapArgs;
use topictrack::events::{BurstParams, StoryParams};
use topictrack::output::{self, RunInfo};
use topictrack::pipeline::{self, AnalyzeParams, EventParams};
use topictrack::ParamGuard;

use super::common::{print_stdout, Ui};

/// Event-detection options shared by `analyze` and `events`.
#[derive(Debug, Clone, ClapArgs)]
pub struct EventArgs {
    /// Kleinberg burst scale s: a burst state expects s times the base rate.
    #[arg(long, default_value_t = 2.0, value_name = "S", help_heading = "Events")]
    pub burst_s: f64,
    /// Kleinberg transition cost γ: higher means fewer, longer bursts.
    #[arg(long, default_value_t = 1.0, value_name = "G", help_heading = "Events")]
    pub burst_gamma: f64,
    /// Also flag bursts by modified z-score against a trailing median (MAD) above this.
    #[arg(long, default_value_t = 3.5, value_name = "Z", help_heading = "Events")]
    pub z_threshold: f64,
    /// Bursts need at least this many articles on their peak day.
    #[arg(long, default_value_t = 3, value_name = "N", help_heading = "Events")]
    pub min_burst_count: u32,
    /// Burst methods, comma-separated: kleinberg, zscore.
    #[arg(
        long,
        default_value = "kleinberg,zscore",
        value_name = "LIST",
        help_heading = "Events"
    )]
    pub burst_methods: String,
    /// First-story detection window in days.
    #[arg(
        long,
        default_value_t = 7,
        value_name = "DAYS",
        help_heading = "Events"
    )]
    pub story_window: u32,
    /// An article joins a story only if its cosine similarity to one of the story's articles in
    /// the window, and to the story as a whole (its centroid), is at least this; otherwise it
    /// starts a new story.
    #[arg(
        long,
        default_value_t = 0.2,
        value_name = "COS",
        help_heading = "Events"
    )]
    pub story_threshold: f32,
    /// Only words expected in at most this many articles of a story window link articles into
    /// stories (common words say what kind of article it is, not which event).
    #[arg(
        long,
        default_value_t = 10.0,
        value_name = "N",
        help_heading = "Events"
    )]
    pub story_max_window_df: f64,
}

impl EventArgs {
    /// The library's settings (validated when used).
    pub fn params(&self) -> anyhow::Result<EventParams> {
        let methods: Vec<String> = self
            .burst_methods
            .split(',')
            .map(|m| m.trim().to_ascii_lowercase())
            .filter(|m| !m.is_empty())
            .collect();
        if let Some(bad) = methods.iter().find(|m| *m != "kleinberg" && *m != "zscore") {
            bail!("--burst-methods: unknown method {bad:?} (expected kleinberg, zscore)");
        }
        let bursts = BurstParams {
            kleinberg: methods.iter().any(|m| m == "kleinberg"),
            zscore: methods.iter().any(|m| m == "zscore"),
            s: self.burst_s,
            gamma: self.burst_gamma,
            z_threshold: self.z_threshold,
            min_count: self.min_burst_count,
            ..Default::default()
        };
        bursts.check_ref()?;
        let stories = StoryParams {
            window_days: self.story_window,
            threshold: self.story_threshold,
            max_window_df: self.story_max_window_df,
            ..Default::default()
        };
        stories.check_ref()?;
        Ok(EventParams {
            news: Default::default(),
            bursts,
            stories,
        })
    }
}

impl EventArgs {
    /// [`EventArgs::params`], or `None` when events are skipped (`--no-events`).
    pub fn params_unless(&self, skip: bool) -> anyhow::Result<Option<EventParams>> {
        if skip {
            Ok(None)
        } else {
            self.params().map(Some)
        }
    }
}

/// `topictrack events`.
#[derive(Debug, Clone, ClapArgs)]
#[command(
    after_help = "Re-reads the inputs named in OUT_DIR/run.json (by their absolute paths; an input that changed\nsince the analysis is an error), keeps the topics of OUT_DIR/assignments.csv, and rewrites events.json, stories.json,\nstories.csv, the charts and report.html."
)]
pub struct Args {
    /// Output folder of `topictrack analyze`.
    #[arg(value_name = "OUT_DIR")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub events: EventArgs,
    #[command(flatten)]
    pub chart: super::chart::ChartArgs,
    /// Do not redraw the charts and report.
    #[arg(long)]
    pub no_charts: bool,
}

/// Runs `events`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<()> {
    let ev_params = args.events.params()?;
    let run: RunInfo = output::read_run(&args.dir.join("run.json"))?;
    let params: AnalyzeParams = serde_json::from_value(run.params.clone())
        .with_context(|| format!("{}: unreadable params", args.dir.join("run.json").display()))?;
    // No other run writes into the folder meanwhile; the inputs are those of the analysis,
    // unchanged, found by their absolute paths from any folder.
    let _lock = topictrack::run_dir::OutLock::acquire(&args.dir)?;
    let inputs = topictrack::run_dir::check_inputs(&run, true)?;
    let (corpus, vectorizer, matrix, _) = {
        let progress = ui.progress(&pipeline::STAGES[..3]);
        pipeline::vectorize_inputs_timed(&inputs, &params, &progress)?
    };
    let topics = output::read_topics(&args.dir.join("topics.json"))?;
    let labels: Vec<String> = topics.iter().map(|t| t.label.clone()).collect();
    let assignments = output::read_topics_by_id(
        &args.dir.join("assignments.csv"),
        &corpus.articles,
        Some(topics.len()),
    )?;
    let events = pipeline::detect_events(
        &corpus.articles,
        &assignments,
        &labels,
        &matrix,
        &vectorizer.labels,
        &ev_params,
    )?;
    output::events::write_events(&args.dir, &events)?;
    if !args.no_charts {
        topictrack::report::draw_run(&args.dir, &args.chart.options()?)?;
    }
    print_stdout(&topictrack::events::records::summary(
        &events.events,
        &events.stories,
        15,
    ))
}
