//! Stage 8: differences between collections on one fitted topic model.
//!
//! Collections are files (one collection per input), the values of a field (`--by source`) or
//! date periods (`--periods`). [`Collections::build`] maps every article to at most one
//! collection; articles in none (no value of the field, undated, or outside every period) are
//! counted in [`Excluded`] and reported, never dropped silently. They still take part in the
//! model fit — one vocabulary and one topic model on everything read, so that a topic means the
//! same thing in every collection — but in none of the statistics below. [`compare`] then
//! computes, on plain counts:
//!
//! **Shares.** With x_tc the articles of topic t in collection c and n_c the collection's
//! articles with a topic (articles without any vocabulary term have no topic and are counted in
//! [`CollectionInfo::without_topic`]), the share is p̂_tc = x_tc / n_c with a Wilson (1927)
//! score interval at the chosen level (95% by default; [`stats::wilson`]).
//!
//! **Differences.** Per topic, one test of "the topic's share is the same in every collection":
//! - two collections: the two-proportion z-test with pooled variance,
//!   z = (p̂_A − p̂_B) / √(p̂(1 − p̂)(1/n_A + 1/n_B)), p = 2(1 − Φ(|z|)) ([`stats::two_proportion_z`]);
//!   the difference reported is A − B with Newcombe's (1998) hybrid score interval
//!   ([`stats::newcombe_diff`]);
//! - more collections: Pearson's χ² test of homogeneity on the 2 × C table (in the topic / not)
//!   × collections, df = C − 1 ([`stats::chi2_homogeneity`]; for C = 2 it equals z²). Each
//!   collection's difference is reported against the pooled share of the others,
//!   p̂_c − Σ_{c'≠c} x_tc' / Σ_{c'≠c} n_c', with the Newcombe interval and the z of that
//!   two-proportion comparison (Haberman's adjusted residual), which says where the difference
//!   lies; the p-value is the omnibus one.
//!
//! The k p-values (one per topic) are adjusted by Benjamini & Hochberg (1995)
//! ([`stats::benjamini_hochberg`]); a topic differs significantly when q < α (default 0.05),
//! which keeps the expected share of false findings among the reported ones at α.
//!
//! **Divergence.** The Jensen–Shannon divergence in bits (Lin 1991; [`stats::jsd`]) between
//! every two collections' topic distributions (x_·c / n_c), in [0, 1]. Finite samples make it
//! positive even for identical sources, so each pair also reports its expectation under "one
//! distribution": by a second-order expansion, E(JSD) ≈ (k − 1)(1/n_a + 1/n_b) / (8 ln 2).
//!
//! **Distinctive terms.** Weighted log-odds with an informative Dirichlet prior (Monroe,
//! Colaresi & Quinn 2008; [`terms`]) on the raw term counts of the shared vocabulary: each
//! collection against the other collections pooled, overall and within each topic, with the
//! prior = that comparison's union counts scaled to α₀ ([`CompareParams::prior_size`]). Word
//! counts are bursty, so z overstates the evidence; a permutation threshold (the 95th
//! percentile of the largest overall z when the collection labels are shuffled over the
//! articles; [`terms::permutation_threshold`]) says which overall terms are beyond chance.
//!
//! **Time.** Per-collection timelines of every topic on the shared bins, the first publication
//! day per collection and the cross-correlation lag between collections ([`timing`]). Lags and
//! leaders are not computed for `--periods`, whose collections do not overlap in time.
//!
//! **Caveats.** The tests treat articles as independent draws and their topics as known. News
//! repeats itself (wire copy, follow-ups of one story), so the effective sample is smaller than
//! the article count and p-values are optimistic for bursty topics; and a topic model
//! misassigns some articles, which blurs differences rather than inventing them. The χ²
//! approximation is rough when an expected count is below 5 ([`TopicComparison::min_expected`]).
//!
//! Edge cases: a collection with no article with a topic is an error ([`Error::NotEnoughData`]);
//! a topic with no article in any collection gets p = q = 1; zero-variance tables give
//! statistic 0 and p = 1; term scopes where one side has no term are skipped.

pub mod stats;
pub mod terms;
pub mod timing;
mod write;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use crate::ingest::Article;
use crate::params::{param_guard, Checked, Validate};
use crate::pipeline::Analysis;
use crate::timeline::Timeline;
use crate::{Error, Result, FORMAT_VERSION};

pub use timing::{CollectionTimeline, PairLag, TopicCoverage};
pub use write::{
    summary_table, write_assignments, write_comparison_csv, write_distinctive_terms, write_files,
    ComparePaths, COMPARISON_CSV_HEADER,
};

/// An inclusive date range `start..end` (`2017-01-01..2017-05-31`), by publication day (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    /// First day.
    pub start: NaiveDate,
    /// Last day (included).
    pub end: NaiveDate,
}

impl Period {
    /// Whether `d` falls in the period.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl FromStr for Period {
    type Err = String;
    /// `YYYY-MM-DD..YYYY-MM-DD` (`..=` accepted too), start ≤ end.
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (a, b) = s
            .trim()
            .split_once("..")
            .ok_or_else(|| format!("expected START..END (YYYY-MM-DD..YYYY-MM-DD), got {s:?}"))?;
        let day = |x: &str| {
            NaiveDate::parse_from_str(x.trim().trim_start_matches('='), "%Y-%m-%d")
                .map_err(|e| format!("bad date {x:?} in period {s:?}: {e}"))
        };
        let (start, end) = (day(a)?, day(b)?);
        if start > end {
            return Err(format!("period {s:?} ends before it starts"));
        }
        Ok(Period { start, end })
    }
}

impl TryFrom<String> for Period {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        s.parse()
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

/// How articles are split into collections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Grouping {
    /// One collection per input file (needs two inputs or more).
    Inputs,
    /// One collection per value of a field ([`Article::group`], read with
    /// `ReadOptions.fields.group`), in sorted order of the values.
    Field {
        /// The field name.
        field: String,
    },
    /// One collection per period, in the order given; periods must not overlap.
    Periods {
        /// The periods.
        periods: Vec<Period>,
    },
}

/// Articles that belong to no collection, by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excluded {
    /// `--periods`: articles without a date.
    pub undated: u64,
    /// `--periods`: dated articles outside every period.
    pub outside_periods: u64,
    /// `--by`: articles without a value of the field.
    pub without_group: u64,
}

impl Excluded {
    /// All excluded articles.
    pub fn total(&self) -> u64 {
        self.undated + self.outside_periods + self.without_group
    }
}

/// The collection of every article.
#[derive(Debug, Clone, PartialEq)]
pub struct Collections {
    /// Collection names, in collection order (unique, non-empty).
    pub names: Vec<String>,
    /// `of_article[i]`: the collection of article i (`None`: in none, see `excluded`).
    pub of_article: Vec<Option<usize>>,
    /// Why articles are in no collection.
    pub excluded: Excluded,
    /// How the collections were formed.
    pub grouping: Grouping,
}

/// Collection names for input paths: the file name without folders and without the
/// `.gz`, `.jsonl`, `.ndjson`, `.json`, `.csv`, `.tsv`, `.txt` extensions (`-` is `stdin`);
/// the paths as given when two names would collide.
pub fn input_names(inputs: &[String]) -> Vec<String> {
    let stem = |p: &str| {
        if p == "-" {
            return "stdin".to_string();
        }
        let mut name = std::path::Path::new(p)
            .file_name()
            .map_or_else(|| p.to_string(), |f| f.to_string_lossy().into_owned());
        for ext in [".gz", ".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".txt"] {
            if let Some(s) = name.strip_suffix(ext) {
                if !s.is_empty() {
                    name = s.to_string();
                }
            }
        }
        name
    };
    let stems: Vec<String> = inputs.iter().map(|p| stem(p)).collect();
    let mut seen = std::collections::HashSet::new();
    if stems.iter().all(|s| seen.insert(s.clone())) {
        stems
    } else {
        inputs.to_vec()
    }
}

impl Collections {
    /// Assigns every article to a collection. `input_names` names the inputs (for
    /// [`Grouping::Inputs`]; see [`input_names`]), indexed by [`Article::input`].
    pub fn build(
        articles: &[Article],
        grouping: &Grouping,
        input_names: &[String],
    ) -> Result<Collections> {
        let mut excluded = Excluded::default();
        let (names, of_article) = match grouping {
            Grouping::Inputs => {
                if input_names.len() < 2 {
                    return Err(Error::param(
                        "INPUT",
                        input_names.join(","),
                        "compare needs two inputs or more, or one input split with --by FIELD or --periods",
                    ));
                }
                let of: Vec<Option<usize>> = articles
                    .iter()
                    .map(|a| Some(a.input as usize).filter(|&i| i < input_names.len()))
                    .collect();
                (input_names.to_vec(), of)
            }
            Grouping::Field { field } => {
                let values: std::collections::BTreeSet<&str> =
                    articles.iter().filter_map(|a| a.group.as_deref()).collect();
                let names: Vec<String> = values.iter().map(|s| s.to_string()).collect();
                let index: BTreeMap<&str, usize> =
                    values.iter().enumerate().map(|(i, s)| (*s, i)).collect();
                let of: Vec<Option<usize>> = articles
                    .iter()
                    .map(|a| {
                        let c = a.group.as_deref().and_then(|g| index.get(g).copied());
                        if c.is_none() {
                            excluded.without_group += 1;
                        }
                        c
                    })
                    .collect();
                if names.len() < 2 {
                    return Err(Error::NotEnoughData(format!(
                        "grouping by {field}: {} distinct value(s) ({}) in {} articles; two or more are needed",
                        names.len(),
                        names.join(", "),
                        articles.len()
                    )));
                }
                (names, of)
            }
            Grouping::Periods { periods } => {
                if periods.len() < 2 {
                    return Err(Error::param(
                        "compare.periods",
                        join_periods(periods),
                        "give two periods or more, comma-separated",
                    ));
                }
                for (i, a) in periods.iter().enumerate() {
                    if a.start > a.end {
                        return Err(Error::param(
                            "compare.periods",
                            a,
                            "the period ends before it starts",
                        ));
                    }
                    if let Some(b) = periods[i + 1..]
                        .iter()
                        .find(|b| a.start <= b.end && b.start <= a.end)
                    {
                        return Err(Error::param(
                            "compare.periods",
                            join_periods(periods),
                            format!("{a} and {b} overlap; an article must fall in one period"),
                        ));
                    }
                }
                let of: Vec<Option<usize>> = articles
                    .iter()
                    .map(|a| match a.date {
                        None => {
                            excluded.undated += 1;
                            None
                        }
                        Some(d) => {
                            let day = d.date_naive();
                            let c = periods.iter().position(|p| p.contains(day));
                            if c.is_none() {
                                excluded.outside_periods += 1;
                            }
                            c
                        }
                    })
                    .collect();
                (periods.iter().map(Period::to_string).collect(), of)
            }
        };
        Ok(Collections {
            names,
            of_article,
            excluded,
            grouping: grouping.clone(),
        })
    }

    /// Renames the collections (same count, unique, non-empty names).
    pub fn with_names(mut self, names: Vec<String>) -> Result<Collections> {
        check_names(&names, self.names.len())?;
        self.names = names;
        Ok(self)
    }
}

fn join_periods(p: &[Period]) -> String {
    p.iter()
        .map(Period::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn check_names(names: &[String], want: usize) -> Result<()> {
    let shown = names.join(",");
    if names.len() != want {
        return Err(Error::param(
            "compare.names",
            shown,
            format!("{} names for {want} collections", names.len()),
        ));
    }
    if names.iter().any(|n| n.trim().is_empty()) {
        return Err(Error::param("compare.names", shown, "a name is empty"));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(d) = names.iter().find(|n| !seen.insert(n.as_str())) {
        return Err(Error::param(
            "compare.names",
            shown,
            format!("{d:?} is given twice"),
        ));
    }
    Ok(())
}

/// Unchecked comparison settings; `check()` ([`crate::params::ParamGuard`]) validates them.
///
/// Defaults: `level` 0.95, `alpha` 0.05, `prior_size` 1000, `n_terms` 15, `max_lag` `None`
/// (a quarter of the timeline's bins), `permutations` 49, `seed` 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareParams {
    /// Confidence level of the share and difference intervals, in (0, 1).
    pub level: f64,
    /// False discovery rate: a topic differs significantly when q < `alpha`, in (0, 1).
    pub alpha: f64,
    /// α₀, the total count of the informative Dirichlet prior of the log-odds (> 0): the
    /// compared union's term frequencies scaled to this many counts. 1000 is small next to the
    /// hundreds of thousands of terms of a typical collection, so it mostly tames terms seen a
    /// handful of times; a larger value shrinks harder.
    pub prior_size: f64,
    /// Distinctive terms kept per collection and scope (≥ 1).
    pub n_terms: usize,
    /// Largest cross-correlation lag tried, in bins (`None`: [`timing::default_max_lag`]).
    pub max_lag: Option<usize>,
    /// Label shuffles for the distinctive terms' chance threshold (0: no threshold).
    pub permutations: usize,
    /// Seed of the shuffles.
    pub seed: u64,
}

impl Default for CompareParams {
    fn default() -> Self {
        CompareParams {
            level: 0.95,
            alpha: 0.05,
            prior_size: 1000.0,
            n_terms: 15,
            max_lag: None,
            permutations: 49,
            seed: 0,
        }
    }
}

impl Validate for CompareParams {
    fn validate(&self) -> Result<()> {
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(Error::param(
                "compare.level",
                self.level,
                "must be between 0 and 1",
            ));
        }
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(Error::param(
                "compare.alpha",
                self.alpha,
                "must be between 0 and 1",
            ));
        }
        if !(self.prior_size > 0.0 && self.prior_size.is_finite()) {
            return Err(Error::param(
                "compare.prior_size",
                self.prior_size,
                "must be a positive number",
            ));
        }
        if self.n_terms == 0 {
            return Err(Error::param("compare.n_terms", 0, "must be at least 1"));
        }
        Ok(())
    }
}

param_guard!(CompareParams);

/// Validated [`CompareParams`].
pub type ValidCompareParams = Checked<CompareParams>;

/// One collection's size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectionInfo {
    /// Name.
    pub name: String,
    /// Articles in the collection.
    pub articles: u64,
    /// Of those, with a topic (the denominator of the shares).
    pub with_topic: u64,
    /// Of those, without a topic (no vocabulary term).
    pub without_topic: u64,
    /// Articles with a topic and a date (the ones in the timelines).
    pub dated: u64,
    /// Vocabulary terms counted in the collection's articles (the log-odds' n).
    pub terms: u64,
}

/// One topic in one collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicCell {
    /// Collection name.
    pub collection: String,
    /// Articles of the topic in the collection.
    pub count: u64,
    /// Articles with a topic in the collection.
    pub total: u64,
    /// `count / total`.
    pub share: f64,
    /// Wilson interval, low end.
    pub ci_low: f64,
    /// Wilson interval, high end.
    pub ci_high: f64,
    /// Share minus the pooled share of the other collections.
    pub diff: f64,
    /// Newcombe interval of `diff`, low end.
    pub diff_low: f64,
    /// Newcombe interval of `diff`, high end.
    pub diff_high: f64,
    /// Two-proportion z of this collection against the others pooled (adjusted residual).
    pub z: f64,
}

/// Which test gave a topic's p-value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    /// Two-proportion z-test, pooled (two collections).
    TwoProportionZ,
    /// χ² test of homogeneity, 2 × C (more collections).
    ChiSquare,
}

/// One topic across the collections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicComparison {
    /// Topic id.
    pub topic: usize,
    /// Topic label (top terms).
    pub label: String,
    /// Per collection, in collection order.
    pub cells: Vec<TopicCell>,
    /// The test.
    pub test: TestKind,
    /// z (signed, first minus second collection) or X².
    pub statistic: f64,
    /// Degrees of freedom (1 for the z-test).
    pub df: usize,
    /// p-value.
    pub p: f64,
    /// Benjamini–Hochberg q-value over the topics.
    pub q: f64,
    /// `q < alpha`.
    pub significant: bool,
    /// Two collections: share of the first minus share of the second.
    pub diff: Option<f64>,
    /// Two collections: Newcombe interval of `diff`, low end.
    pub diff_low: Option<f64>,
    /// Two collections: Newcombe interval of `diff`, high end.
    pub diff_high: Option<f64>,
    /// Smallest expected count of the 2 × C table (the test is approximate below 5).
    pub min_expected: f64,
}

/// Jensen–Shannon divergence between two collections' topic distributions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Divergence {
    /// First collection.
    pub a: String,
    /// Second collection.
    pub b: String,
    /// JSD in bits, in [0, 1].
    pub jsd: f64,
    /// Its approximate expectation if both were samples of one distribution,
    /// (k − 1)(1/n_a + 1/n_b) / (8 ln 2).
    pub expected_if_same: f64,
}

/// Where a term list applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// All of a collection's articles against the other collections'.
    Overall,
    /// A collection's articles of one topic against the other collections' articles of it.
    Topic,
}

impl Scope {
    /// `overall` or `topic`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Overall => "overall",
            Scope::Topic => "topic",
        }
    }
}

/// A distinctive term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistinctiveTerm {
    /// Display form.
    pub term: String,
    /// δ̂, natural log-odds ratio (collection against the others).
    pub log_odds: f64,
    /// z = δ̂ / σ.
    pub z: f64,
    /// Count in the collection (in the scope).
    pub count: u64,
    /// Count in the other collections (in the scope).
    pub other_count: u64,
    /// Overall scope: whether z exceeds [`Comparison::term_threshold`] (`None` within topics,
    /// or without a threshold).
    pub beyond_chance: Option<bool>,
}

/// The most distinctive terms of one collection in one scope, strongest first (z > 0 only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermList {
    /// Overall or within a topic.
    pub scope: Scope,
    /// The topic, for `Scope::Topic`.
    pub topic: Option<usize>,
    /// Collection name.
    pub collection: String,
    /// Terms.
    pub terms: Vec<DistinctiveTerm>,
}

/// Everything `compare` computed (`comparison.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Format version.
    pub version: u32,
    /// How the collections were formed.
    pub grouping: Grouping,
    /// The collections, in order.
    pub collections: Vec<CollectionInfo>,
    /// Articles in no collection.
    pub excluded: Excluded,
    /// Settings used.
    pub params: CompareParams,
    /// The methods, in words (for readers of the JSON).
    pub methods: BTreeMap<String, String>,
    /// One entry per topic, by id.
    pub topics: Vec<TopicComparison>,
    /// Every pair of collections.
    pub divergence: Vec<Divergence>,
    /// Distinctive terms: overall per collection, then per topic per collection.
    pub distinctive: Vec<TermList>,
    /// The 95th percentile of the largest overall term z when collection labels are shuffled
    /// over the articles (`None` with `permutations = 0`).
    pub term_threshold: Option<f64>,
    /// Per-collection timelines on shared bins.
    pub timeline: CollectionTimeline,
    /// Who covered each topic first (empty for `--periods`).
    pub coverage: Vec<TopicCoverage>,
}

impl Comparison {
    /// Index of a collection by name.
    pub fn collection_index(&self, name: &str) -> Option<usize> {
        self.collections.iter().position(|c| c.name == name)
    }

    /// The topics that differ significantly.
    pub fn significant(&self) -> impl Iterator<Item = &TopicComparison> {
        self.topics.iter().filter(|t| t.significant)
    }
}

/// What [`compare_parts`] works on: plain slices, one entry per article.
pub struct CompareInput<'a> {
    /// The articles (dates are read from them).
    pub articles: &'a [Article],
    /// Topic of each article.
    pub assignments: &'a [Option<usize>],
    /// Label of each topic (its length is k).
    pub topic_labels: &'a [String],
    /// Raw term counts, articles × vocabulary (CSR).
    pub counts: &'a CsMat<f32>,
    /// Display form of each vocabulary column.
    pub term_labels: &'a [String],
    /// The shared timeline (its `article_bins` place the articles).
    pub timeline: &'a Timeline,
}

/// Compares the collections of an [`Analysis`].
pub fn compare(
    analysis: &Analysis,
    collections: &Collections,
    params: &ValidCompareParams,
) -> Result<Comparison> {
    let labels: Vec<String> = analysis.topics.iter().map(|t| t.label.clone()).collect();
    let input = CompareInput {
        articles: &analysis.corpus.articles,
        assignments: &analysis.model.assignments,
        topic_labels: &labels,
        counts: &analysis.counts,
        term_labels: &analysis.vectorizer.labels,
        timeline: &analysis.timeline,
    };
    compare_parts(&input, collections, params)
}

fn round6(v: f64) -> f64 {
    if v.is_finite() {
        (v * 1e6).round() / 1e6
    } else {
        v
    }
}

/// Compares collections on plain inputs (see the module doc for every statistic).
pub fn compare_parts(
    input: &CompareInput<'_>,
    collections: &Collections,
    params: &ValidCompareParams,
) -> Result<Comparison> {
    let n_art = input.articles.len();
    if input.assignments.len() != n_art
        || collections.of_article.len() != n_art
        || input.counts.rows() != n_art
    {
        return Err(Error::NotEnoughData(format!(
            "inconsistent inputs: {} articles, {} assignments, {} collection entries, {} count rows",
            n_art,
            input.assignments.len(),
            collections.of_article.len(),
            input.counts.rows()
        )));
    }
    check_names(&collections.names, collections.names.len())?;
    let names = &collections.names;
    let n_coll = names.len();
    if n_coll < 2 {
        return Err(Error::NotEnoughData(format!(
            "{n_coll} collection: two or more are needed"
        )));
    }
    let k = input.topic_labels.len();
    let z = stats::normal_quantile(0.5 + params.level / 2.0);

    // Counts per topic per collection, and collection sizes.
    let mut x = vec![vec![0u64; n_coll]; k];
    let mut info: Vec<CollectionInfo> = names
        .iter()
        .map(|n| CollectionInfo {
            name: n.clone(),
            articles: 0,
            with_topic: 0,
            without_topic: 0,
            dated: 0,
            terms: 0,
        })
        .collect();
    for (i, coll) in collections.of_article.iter().enumerate() {
        let Some(c) = *coll else { continue };
        info[c].articles += 1;
        match input.assignments[i] {
            Some(t) if t < k => {
                x[t][c] += 1;
                info[c].with_topic += 1;
                if input.articles[i].date.is_some() {
                    info[c].dated += 1;
                }
            }
            _ => info[c].without_topic += 1,
        }
    }
    if let Some(empty) = info.iter().find(|c| c.with_topic == 0) {
        return Err(Error::NotEnoughData(format!(
            "collection {:?} has no article with a topic ({} articles in it)",
            empty.name, empty.articles
        )));
    }
    let n: Vec<u64> = info.iter().map(|c| c.with_topic).collect();
    let n_all: u64 = n.iter().sum();

    // Per-topic tests.
    let mut topics: Vec<TopicComparison> = (0..k)
        .map(|t| {
            let xs = &x[t];
            let x_all: u64 = xs.iter().sum();
            let cells: Vec<TopicCell> = (0..n_coll)
                .map(|c| {
                    let (xc, nc) = (xs[c], n[c]);
                    let (xr, nr) = (x_all - xc, n_all - nc);
                    let (lo, hi) = stats::wilson(xc, nc, z);
                    let share = xc as f64 / nc as f64;
                    let rest = if nr > 0 { xr as f64 / nr as f64 } else { 0.0 };
                    let (dlo, dhi) = stats::newcombe_diff(xc, nc, xr, nr, z);
                    let (zc, _) = stats::two_proportion_z(xc, nc, xr, nr);
                    TopicCell {
                        collection: names[c].clone(),
                        count: xc,
                        total: nc,
                        share,
                        ci_low: lo,
                        ci_high: hi,
                        diff: share - rest,
                        diff_low: dlo,
                        diff_high: dhi,
                        z: zc,
                    }
                })
                .collect();
            let (test, statistic, df, p) = if n_coll == 2 {
                let (zs, p) = stats::two_proportion_z(xs[0], n[0], xs[1], n[1]);
                (TestKind::TwoProportionZ, zs, 1, p)
            } else {
                let (x2, df, p) = stats::chi2_homogeneity(xs, &n);
                (TestKind::ChiSquare, x2, df, p)
            };
            let two = n_coll == 2;
            TopicComparison {
                topic: t,
                label: input.topic_labels[t].clone(),
                diff: two.then(|| cells[0].diff),
                diff_low: two.then(|| cells[0].diff_low),
                diff_high: two.then(|| cells[0].diff_high),
                cells,
                test,
                statistic,
                df,
                p,
                q: 1.0,
                significant: false,
                min_expected: stats::min_expected(xs, &n),
            }
        })
        .collect();
    let q = stats::benjamini_hochberg(&topics.iter().map(|t| t.p).collect::<Vec<_>>());
    for (t, q) in topics.iter_mut().zip(q) {
        t.q = q;
        t.significant = q < params.alpha;
    }

    // Divergences.
    let mut divergence = Vec::new();
    for a in 0..n_coll {
        for b in a + 1..n_coll {
            let pa: Vec<f64> = (0..k).map(|t| x[t][a] as f64).collect();
            let pb: Vec<f64> = (0..k).map(|t| x[t][b] as f64).collect();
            let expected = (k.saturating_sub(1)) as f64 * (1.0 / n[a] as f64 + 1.0 / n[b] as f64)
                / (8.0 * std::f64::consts::LN_2);
            divergence.push(Divergence {
                a: names[a].clone(),
                b: names[b].clone(),
                jsd: round6(stats::jsd(&pa, &pb).unwrap_or(0.0)),
                expected_if_same: round6(expected),
            });
        }
    }

    let mut distinctive = distinctive_terms(input, collections, params, &mut info);
    let term_threshold = terms::permutation_threshold(
        input.counts,
        &collections.of_article,
        n_coll,
        params.prior_size,
        params.permutations,
        0.95,
        params.seed,
    )
    .map(round6);
    if let Some(th) = term_threshold {
        for list in distinctive.iter_mut().filter(|l| l.scope == Scope::Overall) {
            list.terms
                .iter_mut()
                .for_each(|t| t.beyond_chance = Some(t.z > th));
        }
    }

    // Time.
    let timeline = timing::collection_timeline(
        input.timeline,
        input.assignments,
        &collections.of_article,
        n_coll,
    );
    let coverage = if matches!(collections.grouping, Grouping::Periods { .. }) {
        Vec::new()
    } else {
        let days: Vec<Option<NaiveDate>> = input
            .articles
            .iter()
            .map(|a| a.date.map(|d| d.date_naive()))
            .collect();
        let max_lag = params
            .max_lag
            .unwrap_or_else(|| timing::default_max_lag(timeline.bins.len()));
        timing::coverage(
            &days,
            input.assignments,
            &collections.of_article,
            names,
            &timeline,
            max_lag,
        )
    };

    Ok(Comparison {
        version: FORMAT_VERSION,
        grouping: collections.grouping.clone(),
        collections: info,
        excluded: collections.excluded.clone(),
        params: (**params).clone(),
        methods: methods(n_coll, params),
        topics,
        divergence,
        distinctive,
        term_threshold,
        timeline,
        coverage,
    })
}

fn methods(n_coll: usize, p: &CompareParams) -> BTreeMap<String, String> {
    let level = format!("{:.0}%", p.level * 100.0);
    let test = if n_coll == 2 {
        "two-proportion z-test with pooled variance; p two-sided".to_string()
    } else {
        format!("Pearson chi-square test of homogeneity on the 2 x {n_coll} table (in topic / not), df = {}", n_coll - 1)
    };
    [
        ("share_interval", format!("Wilson (1927) score interval, {level}")),
        ("test", test),
        ("diff", "share minus the pooled share of the other collections; Newcombe (1998) hybrid score interval".to_string()),
        ("correction", format!("Benjamini-Hochberg (1995) q-values over the topics; significant when q < {}", p.alpha)),
        ("divergence", "Jensen-Shannon divergence, base 2, between topic distributions".to_string()),
        (
            "distinctive_terms",
            format!(
                "weighted log-odds ratio with informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, eq. 22), \
                 each collection against the others pooled; prior = union term counts scaled to alpha0 = {}; \
                 beyond chance (overall) when z exceeds the 95th percentile of the largest z over {} shuffles \
                 of the collection labels (Westfall & Young 1993 max-T)",
                p.prior_size, p.permutations
            ),
        ),
        (
            "coverage",
            "first publication day per collection; lag maximising the cross-correlation of the per-bin counts \
             (positive: the first collection of the pair leads)"
                .to_string(),
        ),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b))
    .collect()
}

/// Overall and per-topic distinctive terms; fills `info[c].terms`.
fn distinctive_terms(
    input: &CompareInput<'_>,
    collections: &Collections,
    params: &ValidCompareParams,
    info: &mut [CollectionInfo],
) -> Vec<TermList> {
    let n_coll = collections.names.len();
    let k = input.topic_labels.len();
    let m = input.counts.cols();
    // Articles by topic (in collections only).
    let mut by_topic: Vec<Vec<(usize, usize)>> = vec![Vec::new(); k];
    let mut overall = vec![vec![0f64; m]; n_coll];
    for (i, row) in input.counts.outer_iterator().enumerate() {
        let Some(c) = collections.of_article[i] else {
            continue;
        };
        for (col, &v) in row.iter() {
            overall[c][col] += v as f64;
        }
        if let Some(t) = input.assignments[i].filter(|&t| t < k) {
            by_topic[t].push((i, c));
        }
    }
    for (c, inf) in info.iter_mut().enumerate() {
        inf.terms = overall[c].iter().sum::<f64>().round() as u64;
    }
    let mut lists = lists_for(
        &overall,
        Scope::Overall,
        None,
        input.term_labels,
        &collections.names,
        params,
    );
    let mut counts = vec![vec![0f64; m]; n_coll];
    for (t, docs) in by_topic.iter().enumerate() {
        counts
            .iter_mut()
            .for_each(|v| v.iter_mut().for_each(|x| *x = 0.0));
        for &(i, c) in docs {
            if let Some(row) = input.counts.outer_view(i) {
                for (col, &v) in row.iter() {
                    counts[c][col] += v as f64;
                }
            }
        }
        lists.extend(lists_for(
            &counts,
            Scope::Topic,
            Some(t),
            input.term_labels,
            &collections.names,
            params,
        ));
    }
    lists
}

/// Each collection against the sum of the others; lists with no term are left out.
fn lists_for(
    counts: &[Vec<f64>],
    scope: Scope,
    topic: Option<usize>,
    labels: &[String],
    names: &[String],
    params: &ValidCompareParams,
) -> Vec<TermList> {
    let m = counts.first().map_or(0, Vec::len);
    let total: Vec<f64> = (0..m).map(|w| counts.iter().map(|c| c[w]).sum()).collect();
    let mut out = Vec::new();
    for (c, own) in counts.iter().enumerate() {
        let rest: Vec<f64> = own.iter().zip(&total).map(|(a, t)| t - a).collect();
        let scored = terms::score_terms(own, &rest, params.prior_size);
        let top = terms::top_terms(&scored, params.n_terms);
        if top.is_empty() {
            continue;
        }
        out.push(TermList {
            scope,
            topic,
            collection: names[c].clone(),
            terms: top
                .iter()
                .map(|s| DistinctiveTerm {
                    term: labels
                        .get(s.term)
                        .cloned()
                        .unwrap_or_else(|| format!("#{}", s.term)),
                    log_odds: round6(s.odds.delta),
                    z: round6(s.odds.z),
                    count: s.count.round() as u64,
                    other_count: s.other.round() as u64,
                    beyond_chance: None,
                })
                .collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests;
