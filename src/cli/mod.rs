//! Command-line interface: one file per subcommand; each parses its arguments into library
//! settings, calls the library and reports. Exit codes: 0 ok (skipped records are summarised on
//! stderr), 2 error.

use std::io::IsTerminal;

use clap::{Parser, Subcommand};

pub mod analyze;
mod apply;
pub mod args;
mod chart;
pub mod common;
mod compare;
mod evaluate;
mod events;
mod track;

/// Statistical event and topic tracker for news: topics, timelines and bursts from dated articles.
#[derive(Debug, Parser)]
#[command(name = "topictrack", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    /// No progress or summary on stderr (errors are still shown).
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Find the topics of a collection, their timeline and example articles; write them to --out.
    Analyze(Box<analyze::Args>),
    /// Assign new articles to the topics of a saved model (analyze --save-model).
    Apply(Box<apply::Args>),
    /// Score an analysis against gold labels (NMI, ARI, V-measure, purity, B-cubed).
    Evaluate(Box<evaluate::Args>),
    /// Recompute bursts and new stories of an output folder with other settings.
    Events(Box<events::Args>),
    /// Re-render the charts and report of an output folder (pick topics, dates, size, format).
    Chart(Box<chart::Args>),
    /// Keep a growing collection in a store: init, add, refit, report, status.
    Track(Box<track::Args>),
    /// Compare collections (files, --by FIELD groups or --periods) on one shared topic model.
    Compare(Box<compare::Args>),
}

/// The option of this command line that sets the library setting an error names
/// (`vectorize.max_df` → `--max-df`), if there is one: library errors name settings, not flags.
fn setting_flag(e: &anyhow::Error) -> Option<String> {
    use clap::CommandFactory;
    let name = e
        .chain()
        .find_map(|c| match c.downcast_ref::<topictrack::Error>() {
            Some(topictrack::Error::InvalidParam { name, .. }) => Some(*name),
            _ => None,
        })?;
    let renamed = match name {
        "cluster.n_runs" => "runs",
        "cluster.n_themes" => "themes",
        "compare.n_terms" => "terms",
        "bursts.s" => "burst-s",
        "bursts.gamma" => "burst-gamma",
        "bursts.min_count" => "min-burst-count",
        "stories.window_days" => "story-window",
        "stories.threshold" => "story-threshold",
        "stories.max_window_df" => "story-max-window-df",
        "cluster.seed_topics" => "topic",
        "read.fields.vector" | "read.vectors_file" => "vectors",
        _ => "",
    };
    let long = if renamed.is_empty() {
        name.rsplit('.').next()?.replace('_', "-")
    } else {
        renamed.to_string()
    };
    fn has(cmd: &clap::Command, long: &str) -> bool {
        cmd.get_arguments().any(|a| a.get_long() == Some(long))
            || cmd.get_subcommands().any(|c| has(c, long))
    }
    has(&Cli::command(), &long).then(|| format!("--{long}"))
}

/// Runs the CLI; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    if let Some(n) = cli.threads {
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
        {
            eprintln!("topictrack: warning: --threads {n}: {e}");
        }
    }
    let ui = common::Ui {
        quiet: cli.quiet,
        tty: std::io::stderr().is_terminal(),
    };
    let result = match cli.command {
        Command::Analyze(a) => analyze::run(*a, &ui),
        Command::Apply(a) => apply::run(*a, &ui),
        Command::Evaluate(a) => evaluate::run(*a, &ui),
        Command::Compare(a) => compare::run(*a, &ui),
        Command::Chart(a) => chart::run(*a, &ui),
        Command::Events(a) => events::run(*a, &ui),
        Command::Track(a) => track::run(*a, &ui),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            if common::is_broken_pipe(&e) {
                return 0;
            }
            eprintln!("topictrack: error: {}", common::safe(&e.to_string()));
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {}", common::safe(&cause.to_string()));
            }
            if let Some(flag) = setting_flag(&e) {
                eprintln!("  (set with {flag})");
            }
            2
        }
    }
}
