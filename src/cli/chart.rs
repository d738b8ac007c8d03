//! `topictrack chart`: re-renders the charts and report of an output folder from its saved files.

use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Args as ClapArgs;
use topictrack::plot::{self, ChartData, ChartFilter, ChartFormat, ChartOptions};

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
}

impl ChartArgs {
    /// Validated chart options.
    pub fn options(&self) -> anyhow::Result<ChartOptions> {
        let formats: Vec<ChartFormat> = ChartFormat::parse_list(&self.chart_format)
            .map_err(topictrack::Error::from)?
            .into_iter()
            .collect();
        let (w, h) = plot::parse_size(&self.chart_size).map_err(topictrack::Error::from)?;
        Ok(ChartOptions::params()
            .formats(formats)
            .size(w, h)
            .top_n(self.top)
            .check()
            .map_err(topictrack::Error::from)?)
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
    let unfiltered = args.topics.is_none() && args.from.is_none() && args.to.is_none();
    if unfiltered && args.charts_dir.is_none() {
        plot::report::write_report(&args.dir, &data, &opts)?;
    }
    ui.note(format!(
        "wrote {} chart files to {}",
        files.len(),
        dir.display()
    ));
    Ok(())
}

/// Renders charts and report for a freshly written output folder (the chart callback of
/// [`topictrack::run::Run::write`]).
pub fn render_outputs(
    dir: &std::path::Path,
    opts: &ChartOptions,
) -> topictrack::Result<Vec<PathBuf>> {
    let data = ChartData::load(dir)?;
    let charts = dir.join("charts");
    std::fs::create_dir_all(&charts).map_err(|e| topictrack::Error::io(&charts, e))?;
    let (files, report) = rayon::join(
        || plot::render_charts(&data, opts, &charts),
        || plot::report::write_report(dir, &data, opts),
    );
    let mut files = files?;
    files.push(report?);
    Ok(files)
}
