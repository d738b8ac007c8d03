//! `run.json`: [`RunInfo`], everything about a run (what was read, every parameter, what was
//! found, timings, the files written).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::read_json;
use crate::ingest::{IngestReport, InputSummary, ReadCounts};
use crate::Result;

/// Counts shown in `run.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Records read, articles kept, skipped, undated (flattened: their keys sit beside the
    /// topic counts in JSON).
    #[serde(flatten)]
    pub ingest: ReadCounts,
    /// Articles that got a topic.
    pub with_topic: u64,
    /// Articles without any vocabulary term (no topic).
    pub without_topic: u64,
}

/// The timeline's extent, in `run.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelineInfo {
    /// `day`, `week` or `month`.
    pub bin: String,
    /// First bin start.
    pub first: Option<String>,
    /// Last bin start.
    pub last: Option<String>,
    /// Number of bins.
    pub n_bins: usize,
}

impl TimelineInfo {
    /// The extent of `timeline`.
    pub fn of(timeline: &crate::timeline::Timeline) -> TimelineInfo {
        TimelineInfo {
            bin: timeline.unit.name().to_string(),
            first: timeline.bins.first().map(|d| d.to_string()),
            last: timeline.bins.last().map(|d| d.to_string()),
            n_bins: timeline.bins.len(),
        }
    }
}

/// Everything about a run (`run.json`): what was read, every parameter, what was found, timings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// topictrack version.
    pub version: String,
    /// Output format version.
    pub format_version: u32,
    /// The inputs with per-input counts.
    pub inputs: Vec<InputSummary>,
    /// Counts.
    pub counts: Counts,
    /// Skips by reason.
    pub skip_reasons: std::collections::BTreeMap<String, u64>,
    /// Every parameter (as JSON so each stage's settings appear as they are).
    pub params: serde_json::Value,
    /// Number of topics.
    pub k: usize,
    /// How k was chosen, under `--k auto`.
    pub k_selection: Option<crate::cluster::KSelection>,
    /// Vocabulary size after the df bounds.
    pub vocabulary: usize,
    /// LSA dimensions used.
    pub dims: usize,
    /// Timeline extent.
    pub timeline: TimelineInfo,
    /// Wall seconds per stage, in order.
    pub stage_seconds: Vec<(String, f64)>,
    /// Scores against gold labels, when `--label-field` was given.
    pub scores: Option<crate::metrics::Scores>,
    /// Every file of the run, relative to the output folder (`/`-separated, sorted), written
    /// last ([`crate::run_dir::RunDir::commit`]).
    #[serde(default)]
    pub outputs: Vec<String>,
    /// Wire boilerplate learned from the collection and removed (absent with
    /// `--keep-boilerplate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boilerplate: Option<crate::text::clean::Boilerplate>,
}

impl Counts {
    /// Counts from the ingest report and the assignments.
    pub fn new(report: &IngestReport, assignments: &[Option<usize>]) -> Counts {
        let with = assignments.iter().filter(|a| a.is_some()).count() as u64;
        Counts {
            ingest: report.counts,
            with_topic: with,
            without_topic: assignments.len() as u64 - with,
        }
    }
}

/// Reads `run.json` back.
pub fn read_run(path: &Path) -> Result<RunInfo> {
    read_json(path)
}
