//! `topictrack evaluate`: scores an analysis's assignments against gold labels in a corpus.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args as ClapArgs;
use topictrack::ingest;
use topictrack::output;

use super::args::InputArgs;
use super::common::{print_stdout, report_problems, Ui};

/// `topictrack evaluate`.
#[derive(Debug, Clone, ClapArgs)]
pub struct Args {
    /// Output folder of `topictrack analyze` (reads its assignments.csv).
    #[arg(value_name = "OUT_DIR")]
    pub dir: PathBuf,
    /// The corpus with the gold labels (matched to assignments by id).
    #[arg(long, required = true, value_name = "FILE")]
    pub corpus: Vec<String>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Print the scores as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `evaluate`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<()> {
    if args.input.label_field.is_none() {
        bail!("--label-field is required: the field of the corpus that holds the gold labels");
    }
    let path = args.dir.join("assignments.csv");
    if !path.exists() {
        bail!("cannot read {}: no such file", path.display());
    }
    let corpus = ingest::read_inputs(&args.corpus, &args.input.read_options(None))?;
    report_problems(ui, &corpus.report);
    let assignments = output::read_topics_by_id(&path, &corpus.articles, None)?;
    let matched = assignments.iter().filter(|a| a.is_some()).count();
    if matched == 0 {
        bail!(
            "no article id of the corpus appears in {}: was it analysed with the same --id-field?",
            path.display()
        );
    }
    let s = topictrack::run::score(&corpus.articles, &assignments)?;
    if args.json {
        print_stdout(&(serde_json::to_string_pretty(&s)? + "\n"))
    } else {
        print_stdout(&output::format_scores(&s))
    }
}
