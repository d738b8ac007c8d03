//! `topictrack compare`: differences between collections on one fitted model.

use clap::Args as ClapArgs;

use super::common::Ui;

/// `topictrack compare`.
#[derive(Debug, Clone, ClapArgs)]
pub struct Args {
    /// Input collections (one per file), or one input split by --by / --periods.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
}

/// Runs `compare`.
pub fn run(_args: Args, _ui: &Ui) -> anyhow::Result<()> {
    anyhow::bail!("compare is not implemented yet")
}
