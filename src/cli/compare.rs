//! `topictrack compare`: differences between collections on one fitted model.
//!
//! Reads every input, fits one model on all of it (`pipeline::analyze`), splits the articles
//! into collections (one per input, `--by FIELD` or `--periods`), compares them
//! (`topictrack::compare`) and writes the analyze outputs plus the comparison files and charts.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args as ClapArgs;
use topictrack::compare::{self, Collections, CompareParams, Grouping, Period};
use topictrack::run::{self, RunOptions};
use topictrack::ParamGuard;

use super::args::{InputArgs, ModelArgs};
use super::common::{print_stdout, report_problems, Ui};

/// `topictrack compare`.
#[derive(Debug, Clone, ClapArgs)]
#[command(
    after_help = "Examples:\n  topictrack compare gazette.jsonl courier.jsonl --names Gazette,Courier --out cmp\n  \
topictrack compare data/articles.jsonl --by source --out cmp\n  \
topictrack compare news.jsonl --periods 2017-01-01..2017-05-31,2017-06-01..2017-12-31 --out cmp"
)]
pub struct Args {
    /// Input collections (one per file), or one input (or several, pooled) split by --by / --periods.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Collection names, comma-separated, in collection order (files: as given; --by: sorted
    /// values; --periods: as given). Default: file names, field values or the periods.
    #[arg(long, value_delimiter = ',', value_name = "A,B,...")]
    pub names: Option<Vec<String>>,
    /// Split the input by the value of this field (e.g. source); articles without it are
    /// counted and left out of the comparison.
    #[arg(long, value_name = "FIELD", conflicts_with = "periods")]
    pub by: Option<String>,
    /// Split the input by publication date into these inclusive periods (START..END,
    /// comma-separated, not overlapping); undated articles and those outside every period are
    /// counted and left out of the comparison.
    #[arg(long, value_delimiter = ',', value_name = "START..END,...")]
    pub periods: Option<Vec<Period>>,
    /// Output folder (created if needed).
    #[arg(long, short, default_value = "topictrack-compare", value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Timeline bin: day, week, month, or auto (about 20–200 bins).
    #[arg(long, value_enum, default_value = "auto", help_heading = "Output")]
    pub bin: super::args::BinArg,
    /// False discovery rate: topics with Benjamini–Hochberg q below it are reported as different.
    #[arg(
        long,
        default_value_t = 0.05,
        value_name = "Q",
        help_heading = "Comparison"
    )]
    pub alpha: f64,
    /// Confidence level of the share and difference intervals.
    #[arg(
        long,
        default_value_t = 0.95,
        value_name = "L",
        help_heading = "Comparison"
    )]
    pub level: f64,
    /// α₀ of the log-odds' informative Dirichlet prior (total prior count; larger shrinks more).
    #[arg(
        long,
        default_value_t = 1000.0,
        value_name = "N",
        help_heading = "Comparison"
    )]
    pub prior_size: f64,
    /// Distinctive terms listed per collection, overall and per topic.
    #[arg(
        long = "terms",
        default_value_t = 15,
        value_name = "N",
        help_heading = "Comparison"
    )]
    pub n_terms: usize,
    /// Largest cross-correlation lag tried, in bins (default: a quarter of the bins).
    #[arg(long, value_name = "N", help_heading = "Comparison")]
    pub max_lag: Option<usize>,
    /// Shuffles of the collection labels that set the distinctive terms' chance threshold
    /// (0: none). Seeded by --seed.
    #[arg(
        long,
        default_value_t = 49,
        value_name = "N",
        help_heading = "Comparison"
    )]
    pub permutations: usize,
    /// Also write model.json: the fitted vocabulary, IDF, LSA basis and centroids.
    #[arg(long, help_heading = "Output")]
    pub save_model: bool,
    /// Skip charts and report.html.
    #[arg(long, help_heading = "Charts")]
    pub no_charts: bool,
    #[command(flatten)]
    pub chart: super::chart::ChartArgs,
}

/// Runs `compare`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<()> {
    // Everything that can be checked before reading is checked first.
    let grouping = match (&args.by, &args.periods) {
        (Some(field), _) => Grouping::Field {
            field: field.clone(),
        },
        (None, Some(periods)) => Grouping::Periods {
            periods: periods.clone(),
        },
        (None, None) => Grouping::Inputs,
    };
    if grouping == Grouping::Inputs && args.inputs.len() < 2 {
        anyhow::bail!(
            "compare needs two inputs or more (one collection each), or one input split with --by FIELD or --periods"
        );
    }
    let cparams = CompareParams {
        level: args.level,
        alpha: args.alpha,
        prior_size: args.prior_size,
        n_terms: args.n_terms,
        max_lag: args.max_lag,
        permutations: args.permutations,
        seed: args.model.seed,
    }
    .check()?;
    let chart_opts = if args.no_charts {
        None
    } else {
        Some(args.chart.options()?)
    };
    // Locked before the work starts (see `analyze`).
    let run_dir = topictrack::run_dir::RunDir::open(&args.out)
        .with_context(|| format!("cannot write to output folder {}", args.out.display()))?;
    let read = args.input.read_options(args.by.clone());
    let params = args.model.params(read, args.bin);
    let opts = RunOptions {
        events: None,
        score: args.input.label_field.is_some(),
        save_model: args.save_model,
        parquet: false,
    };
    let run = {
        let progress = ui.progress(topictrack::pipeline::STAGES);
        run::analyze(&args.inputs, &params, &opts, &progress)
            .map_err(|e| super::common::nothing_read(ui, &args.out, e))?
    };
    let a = &run.analysis;
    report_problems(ui, &a.corpus.report);
    let dups = a.corpus.report.counts.duplicates;
    if grouping == Grouping::Inputs && dups > 0 {
        // Ids are unique across all inputs: a later file's article whose id an earlier file
        // already used is dropped, which would bias the comparison.
        eprintln!(
            "topictrack: warning: {dups} articles were skipped because an earlier input already had their id; \
             if the inputs number their articles independently, rerun with --id-field set to a field they lack \
             (ids become FILE:LINE)"
        );
    }

    let input_names: Vec<String> = compare::input_names(&args.inputs);
    let mut collections = Collections::build(&a.corpus.articles, &grouping, &input_names)?;
    if let Some(names) = args.names.clone() {
        collections = collections.with_names(names)?;
    }
    let comparison = compare::compare(a, &collections, &cparams)?;

    // The analyze outputs, so the standard charts and report work on this folder too, with
    // the collection of each article in assignments.csv and the comparison files.
    let assignments = |path: &std::path::Path| {
        compare::write_assignments(
            path,
            &a.corpus.articles,
            &a.model.assignments,
            &a.model.scores,
            &collections,
        )
    };
    let articles = |path: &std::path::Path| {
        topictrack::report::articles::write_articles(path, &a.corpus.articles, &a.model.assignments)
    };
    let extra = |dir: &std::path::Path| compare::write_files(dir, &comparison);
    let model = || a.fitted();
    let draw = chart_opts.as_ref().map(|opts| {
        let comparison = &comparison;
        move |dir: &std::path::Path| -> topictrack::Result<()> {
            topictrack::report::draw_run(dir, opts)?;
            topictrack::plot::compare::render_compare_charts(
                comparison,
                opts,
                &dir.join("charts"),
            )?;
            Ok(())
        }
    });
    let written = run::write_outputs(
        run_dir,
        &run::Outputs {
            assignments: &assignments,
            articles: Some(&articles),
            model: args.save_model.then_some(&model as _),
            extra: Some(&extra),
            ..run.outputs()
        },
        draw.as_ref().map(|d| d as run::Charts<'_>),
    )?;
    super::common::note_escaped_ids(ui, written.escaped_ids);

    print_stdout(&compare::summary_table(&comparison))?;
    let ex = &comparison.excluded;
    if ex.total() > 0 {
        ui.note(format!(
            "compare: {} articles are in no collection ({} undated, {} outside the periods, {} without a value of the field); they shaped the model but not the comparison",
            ex.total(),
            ex.undated,
            ex.outside_periods,
            ex.without_group
        ));
    }
    let total: f64 = a.stage_seconds.iter().map(|s| s.1).sum();
    ui.note(format!(
        "{} collections, {} topics from {} articles in {:.2} s; wrote {}",
        comparison.collections.len(),
        a.model.k(),
        a.corpus.articles.len(),
        total,
        args.out.display()
    ));
    Ok(())
}
