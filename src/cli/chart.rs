//! `topictrack chart`: re-renders the charts and report of an output folder from its saved files.

use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Args as ClapArgs;
use topictrack::plot::{self, BinUnit, ChartData, ChartFilter, ChartFormat, ChartOptions};

use super::common::Ui;

/// Chart options shared by `analyze` and `chart`.
#[derive(Debug, Clone, ClapArgs)]
pub struct ChartArgs {
    /// Chart formats, comma-separated.
    #[arg(
        long,
        default_value = "svg,png",
        value_name = "LIST",
        help_heading = "Charts"
    )]
    pub chart_format: String,
    /// Chart size in pixels, WIDTHxHEIGHT.
    #[arg(
        long,
        default_value = "1200x675",
        value_name = "WxH",
        help_heading = "Charts"
    )]
    pub chart_size: String,
    /// Topics drawn in the volume and share charts (the largest in the charted range).
    #[arg(long, default_value_t = 8, value_name = "N", help_heading = "Charts")]
    pub top: usize,
    /// Moving average over N bins (odd) for the volume lines, e.g. 7 on daily bins.
    #[arg(long, default_value_t = 1, value_name = "N", help_heading = "Charts")]
    pub smooth: usize,
    /// Headline of every chart and of the report (for publication).
    #[arg(long, value_name = "TEXT", help_heading = "Charts")]
    pub title: Option<String>,
    /// Line under the headline.
    #[arg(long, value_name = "TEXT", help_heading = "Charts")]
    pub subtitle: Option<String>,
    /// The data's source, shown as "Source: TEXT" in the charts' and the report's footer.
    #[arg(long, value_name = "TEXT", help_heading = "Charts")]
    pub source: Option<String>,
    /// A note at the start of every chart's footer.
    #[arg(long, value_name = "TEXT", help_heading = "Charts")]
    pub caption: Option<String>,
    /// Topic curation without refitting: a CSV of topic,label,merge_into,hide that renames,
    /// merges and hides topics in the charts and the report.
    #[arg(long, value_name = "FILE", help_heading = "Charts")]
    pub labels: Option<PathBuf>,
}

impl ChartArgs {
    /// Validated chart options.
    pub fn options(&self) -> anyhow::Result<ChartOptions> {
        let formats: Vec<ChartFormat> = ChartFormat::parse_list(&self.chart_format)
            .map_err(topictrack::Error::from)?
            .into_iter()
            .collect();
        let (w, h) = plot::parse_size(&self.chart_size).map_err(topictrack::Error::from)?;
        let mut p = ChartOptions::params()
            .formats(formats)
            .size(w, h)
            .top_n(self.top)
            .smooth(self.smooth);
        if let Some(t) = &self.title {
            p = p.title(t.clone());
        }
        if let Some(t) = &self.subtitle {
            p = p.subtitle(t.clone());
        }
        if let Some(t) = &self.source {
            p = p.source(t.clone());
        }
        if let Some(t) = &self.caption {
            p = p.caption(t.clone());
        }
        if let Some(path) = &self.labels {
            p = p.labels(plot::labels::Labels::read(path)?);
        }
        Ok(p.check().map_err(topictrack::Error::from)?)
    }
}

impl ChartArgs {
    /// [`ChartArgs::options`], or `None` when the charts are skipped (`--no-charts`).
    pub fn options_unless(&self, skip: bool) -> anyhow::Result<Option<ChartOptions>> {
        if skip {
            Ok(None)
        } else {
            self.options().map(Some)
        }
    }
}

/// `topictrack chart`.
#[derive(Debug, Clone, ClapArgs)]
#[command(
    after_help = "Example:\n  topictrack chart results --topics 0,3,5 --from 2017-04-01 --to 2017-06-30 --chart-format png"
)]
pub struct Args {
    /// Output folder of `topictrack analyze`.
    #[arg(value_name = "OUT_DIR")]
    pub dir: PathBuf,
    /// Only these topic ids, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub topics: Option<Vec<usize>>,
    /// First date shown (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Last date shown (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<NaiveDate>,
    /// Time bin of the charts (day, week or month), recounted from assignments.csv; default:
    /// the analysis' own.
    #[arg(long, value_name = "UNIT")]
    pub bin: Option<BinUnit>,
    /// Folder for the charts (default: OUT_DIR/charts).
    #[arg(long, value_name = "DIR")]
    pub charts_dir: Option<PathBuf>,
    #[command(flatten)]
    pub chart: ChartArgs,
}

/// Runs `chart`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<()> {
    let opts = args.chart.options()?;
    let data = ChartData::load(&args.dir)
        .with_context(|| format!("cannot read the outputs in {}", args.dir.display()))?;
    let _lock = topictrack::run_dir::OutLock::acquire(&args.dir)?;
    // Charts are drawn from the saved outputs, so a changed input does not change them; but
    // the user may expect it to.
    if let Ok(run) = topictrack::output::read_run(&args.dir.join("run.json")) {
        if let Err(e) = topictrack::run_dir::check_inputs(&run, false) {
            ui.note(format!(
                "topictrack: warning: {e}; the charts show the analysis as it was"
            ));
        }
    }
    let filter = ChartFilter {
        topics: args.topics.clone(),
        from: args.from,
        to: args.to,
    };
    let data = match args.bin {
        Some(unit) if unit != data.unit() => {
            plot::rebin::rebin(&data, &args.dir.join("assignments.csv"), unit)?
        }
        _ => data,
    };
    let data = data.filtered(&filter)?;
    let dir = args
        .charts_dir
        .clone()
        .unwrap_or_else(|| args.dir.join("charts"));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut files = plot::render_charts(&data, &opts, &dir)?;
    // An output folder of `compare` also has its comparison charts.
    let cmp_path = args.dir.join("comparison.json");
    if cmp_path.exists() {
        let cmp: topictrack::compare::Comparison = topictrack::output::read_json(&cmp_path)?;
        files.extend(plot::compare::render_compare_charts(&cmp, &opts, &dir)?);
    }
    let unfiltered =
        args.topics.is_none() && args.from.is_none() && args.to.is_none() && args.bin.is_none();
    if unfiltered && args.charts_dir.is_none() {
        topictrack::report::write_report(&args.dir, &data, &opts)?;
    }
    ui.note(format!(
        "wrote {} chart files to {}",
        files.len(),
        dir.display()
    ));
    Ok(())
}
