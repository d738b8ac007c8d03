//! `topictrack track`: a SQLite store of a growing collection (`init`, `add`, `refit`, `report`,
//! `status`), over the library's [`topictrack::track::Tracker`].

use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args as ClapArgs, Subcommand};
use topictrack::events::records::BurstRecord;
use topictrack::track::{AddReport, ReportOptions, TrackParams, Tracker};

use super::args::{InputArgs, ModelArgs};
use super::common::{print_stdout, Ui};

/// `topictrack track`.
#[derive(Debug, Clone, ClapArgs)]
#[command(
    after_help = "Every day, e.g. from cron:\n  topictrack track init news.db archive/*.jsonl.gz --k auto\n  topictrack track add news.db today.jsonl\n  topictrack track report news.db --out site/ --from 2016-06-01\n  topictrack track status news.db"
)]
pub struct Args {
    #[command(subcommand)]
    pub command: TrackCommand,
}

/// The `track` subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum TrackCommand {
    /// Create a store from a first collection (fits the model as `analyze` does).
    Init(Box<InitArgs>),
    /// Add articles: de-duplicate, assign to the stored topics, update counts, find new topics
    /// and events. Adding the same articles again changes nothing.
    Add(Box<AddArgs>),
    /// Refit the topics on every stored article; new topics keep the ids of the old ones they
    /// match (births, deaths, splits and merges are reported).
    Refit(StoreArg),
    /// Write every output of `analyze` (files, charts, report.html) from the store.
    Report(Box<ReportArgs>),
    /// Summarise the store.
    Status(StatusArgs),
}

/// Just the store.
#[derive(Debug, Clone, ClapArgs)]
pub struct StoreArg {
    /// The store (an SQLite file).
    #[arg(value_name = "STORE")]
    pub store: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `track init`.
#[derive(Debug, Clone, ClapArgs)]
pub struct InitArgs {
    /// The store to create (an SQLite file; must not exist).
    #[arg(value_name = "STORE")]
    pub store: PathBuf,
    /// Input files or folders (JSONL, CSV, TSV, folders of .txt; gzip ok); `-` reads stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Field holding the article's source (outlet), stored with each article.
    #[arg(long, value_name = "FIELD", help_heading = "Input")]
    pub source_field: Option<String>,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Timeline bin of reports: day, week, month, or auto.
    #[arg(long, value_enum, default_value = "auto", help_heading = "Output")]
    pub bin: super::args::BinArg,
    #[command(flatten)]
    pub events: super::events::EventArgs,
    /// A new topic needs at least this many poorly fitting articles in one coherent group
    /// (default 8).
    #[arg(long, value_name = "N", help_heading = "Tracking")]
    pub new_topic_min_size: Option<usize>,
    /// ... whose mean cosine to their centre is at least this (default 0.5).
    #[arg(long, value_name = "COS", help_heading = "Tracking")]
    pub new_topic_cohesion: Option<f32>,
    /// Poorly fitting articles of the last N days are pooled to look for new topics (default 14).
    #[arg(long, value_name = "DAYS", help_heading = "Tracking")]
    pub pool_days: Option<i64>,
    /// Days of history event detection sees before a batch (default 90).
    #[arg(long, value_name = "DAYS", help_heading = "Tracking")]
    pub history_days: Option<i64>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `track add`.
#[derive(Debug, Clone, ClapArgs)]
pub struct AddArgs {
    /// The store.
    #[arg(value_name = "STORE")]
    pub store: PathBuf,
    /// Input files or folders; `-` reads stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Read with these options instead of the ones given to `init`.
    #[command(flatten)]
    pub input: InputArgs,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `track report`.
#[derive(Debug, Clone, ClapArgs)]
pub struct ReportArgs {
    /// The store.
    #[arg(value_name = "STORE")]
    pub store: PathBuf,
    /// Output folder (created if needed).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// First day reported (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Last day reported (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<NaiveDate>,
    /// Timeline bin (default: the one given to init).
    #[arg(long, value_enum, help_heading = "Output")]
    pub bin: Option<super::args::BinArg>,
    /// Skip burst and story detection.
    #[arg(long, help_heading = "Events")]
    pub no_events: bool,
    /// Skip charts and report.html.
    #[arg(long, help_heading = "Charts")]
    pub no_charts: bool,
    #[command(flatten)]
    pub chart: super::chart::ChartArgs,
}

/// `track status`.
#[derive(Debug, Clone, ClapArgs)]
pub struct StatusArgs {
    /// The store.
    #[arg(value_name = "STORE")]
    pub store: PathBuf,
    /// Print the status as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `track`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<()> {
    match args.command {
        TrackCommand::Init(a) => init(*a, ui),
        TrackCommand::Add(a) => add(*a, ui),
        TrackCommand::Refit(a) => refit(a, ui),
        TrackCommand::Report(a) => report(*a, ui),
        TrackCommand::Status(a) => status(a),
    }
}

fn init(a: InitArgs, ui: &Ui) -> anyhow::Result<()> {
    let read = a.input.read_options(a.source_field.clone());
    let params = a.model.params(read, a.bin);
    let events = a.events.params()?;
    let d = TrackParams::default();
    let track = TrackParams {
        new_topic_min_size: a.new_topic_min_size.unwrap_or(d.new_topic_min_size),
        new_topic_cohesion: a.new_topic_cohesion.unwrap_or(d.new_topic_cohesion),
        pool_days: a.pool_days.unwrap_or(d.pool_days),
        history_days: a.history_days.unwrap_or(d.history_days),
        ..d
    };
    let (_, r) = {
        let progress = ui.progress(&[
            "read", "text", "tfidf", "svd", "cluster", "describe", "timeline", "store",
        ]);
        Tracker::init(&a.store, &a.inputs, &params, &track, &events, &progress)
            .with_context(|| format!("cannot create the store {}", a.store.display()))?
    };
    print_add(&r, a.json, "init")
}

/// Whether any reading option differs from its default.
fn read_given(i: &InputArgs) -> bool {
    !matches!(i.format, super::args::FormatArg::Auto)
        || !i.text_field.is_empty()
        || i.date_field.is_some()
        || i.id_field.is_some()
        || i.label_field.is_some()
        || i.date_format.is_some()
        || i.strict
}

fn add(a: AddArgs, ui: &Ui) -> anyhow::Result<()> {
    let mut t = Tracker::open(&a.store)?;
    let read = if read_given(&a.input) {
        let stored = t.params()?.read;
        Some(a.input.read_options(stored.fields.group))
    } else {
        None
    };
    let r = {
        let progress = ui.progress(&["read", "assign", "store", "grow", "events"]);
        t.add(&a.inputs, read.as_ref(), &progress)?
    };
    print_add(&r, a.json, "add")
}

fn print_add(r: &AddReport, json: bool, what: &str) -> anyhow::Result<()> {
    if json {
        return print_stdout(&(serde_json::to_string_pretty(r)? + "\n"));
    }
    let mut out = format!(
        "{what}: batch {}: {} read, {} stored ({} with a topic",
        r.batch, r.read, r.added, r.assigned
    );
    for (why, n) in &r.unassigned {
        out.push_str(&format!(", {n} {why}"));
    }
    out.push_str(&format!(
        "); skipped {} known ids, {} known contents; {} near-duplicates\n",
        r.duplicate_ids,
        r.duplicate_content.len(),
        r.near_duplicates.len()
    ));
    for d in r.near_duplicates.iter().take(5) {
        out.push_str(&format!(
            "  near-duplicate {} of {} ({} bits)\n",
            d.id, d.of, d.bits
        ));
    }
    for t in &r.new_topics {
        out.push_str(&format!(
            "  new topic {}: {} ({} articles, cohesion {:.2})\n",
            t.id, t.label, t.size, t.cohesion
        ));
    }
    let line = |kind: &str, b: &BurstRecord| {
        format!(
            "  {kind} {:<30} {} .. {} peak {} ({} articles) score {:.1}\n",
            topictrack::output::clip(&b.topic_label, 30),
            b.start,
            b.end,
            b.peak,
            b.peak_count,
            b.score
        )
    };
    let mut ev: Vec<&BurstRecord> = r.events.iter().collect();
    ev.sort_by(|a, b| b.score.total_cmp(&a.score));
    for b in ev.iter().take(8) {
        out.push_str(&line("topic", b));
    }
    for e in r.term_events.iter().take(8) {
        out.push_str(&format!(
            "  event {:<30} {} .. {} peak {} ({} articles) score {:.1}\n",
            topictrack::output::clip(&e.label, 30),
            e.start,
            e.end,
            e.peak,
            e.n_articles,
            e.score
        ));
    }
    print_stdout(&out)
}

fn refit(a: StoreArg, ui: &Ui) -> anyhow::Result<()> {
    let mut t = Tracker::open(&a.store)?;
    let r = {
        let progress = ui.progress(&["load", "fit", "store"]);
        t.refit(&progress)?
    };
    if a.json {
        return print_stdout(&(serde_json::to_string_pretty(&r)? + "\n"));
    }
    let mut out = format!(
        "refit: batch {}: {} articles, {} changed topic; {} topics kept, {} born, {} retired\n",
        r.batch,
        r.articles,
        r.changed,
        r.matched.len(),
        r.births.len(),
        r.deaths.len()
    );
    for b in &r.births {
        out.push_str(&format!("  born    {:>4} {}\n", b.id, b.label));
    }
    for d in &r.deaths {
        out.push_str(&format!("  retired {:>4} {}\n", d.id, d.label));
    }
    for (o, parts) in &r.splits {
        out.push_str(&format!("  split   {o:>4} → {parts:?}\n"));
    }
    for (n, olds) in &r.merges {
        out.push_str(&format!("  merge   {olds:?} → {n}\n"));
    }
    print_stdout(&out)
}

fn report(a: ReportArgs, ui: &Ui) -> anyhow::Result<()> {
    let t = Tracker::open(&a.store)?;
    let opts = ReportOptions {
        from: a.from,
        to: a.to,
        bin: a.bin.map(Into::into),
        charts: if a.no_charts {
            None
        } else {
            Some(a.chart.options()?)
        },
        events: None,
        skip_events: a.no_events,
    };
    let s = {
        let progress = ui.progress(&["load", "events", "charts"]);
        t.report(&a.out, &opts, &progress)
            .with_context(|| format!("cannot write the report to {}", a.out.display()))?
    };
    print_stdout(&topictrack::output::topic_table(&s.topics, 100))?;
    ui.note(format!(
        "{} articles, {} topics, {} bursts, {} stories; wrote {}",
        s.articles,
        s.topics.iter().filter(|t| t.size > 0).count(),
        s.bursts,
        s.stories,
        a.out.display()
    ));
    Ok(())
}

fn status(a: StatusArgs) -> anyhow::Result<()> {
    let t = Tracker::open(&a.store)?;
    let s = t.status()?;
    if a.json {
        return print_stdout(&(serde_json::to_string_pretty(&s)? + "\n"));
    }
    let mut out = format!(
        "{}: schema {}, {:.1} MB\n{} articles ({} dated, {} with a topic), {} .. {}; {} terms\n",
        a.store.display(),
        s.schema_version,
        s.bytes as f64 / 1e6,
        s.articles,
        s.dated,
        s.with_topic,
        s.first.as_deref().unwrap_or("-"),
        s.last.as_deref().unwrap_or("-"),
        s.terms
    );
    out.push_str(&format!(
        "{} topics ({} retired)\n",
        s.topics.len(),
        s.retired.len()
    ));
    for (id, label, n) in &s.topics {
        out.push_str(&format!("{id:>5} {n:>8}  {label}\n"));
    }
    out.push_str("last batches:\n");
    for b in &s.batches {
        out.push_str(&format!(
            "{:>5} {:<6} {} {:>8} articles\n",
            b.id, b.kind, b.at, b.added
        ));
    }
    if !s.recent_events.is_empty() {
        out.push_str("recent events:\n");
        for e in &s.recent_events {
            out.push_str(&format!(
                "  {:<30} peak {} ({} articles) score {:.1}\n",
                topictrack::output::clip(&e.topic_label, 30),
                e.peak,
                e.peak_count,
                e.score
            ));
        }
    }
    print_stdout(&out)
}
