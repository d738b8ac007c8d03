//! Events from terms: what happened, and on which day.
//!
//! A news event shows in the words of the day before it shows in a topic's volume: on
//! 12 June 2016 a third of the headlines said "Orlando", which the days before almost never did,
//! while the topic those headlines fall into (crime, or guns) barely moved. So events are found
//! in the **daily document frequency of each term against the volume of the day**, then the terms
//! that burst together in the same articles are grouped into one event.
//!
//! # The statistic
//!
//! An article *contains* a term when the term is among its `top_terms` (default 10) largest
//! TF-IDF weights: all the words of a headline, the characteristic words of a long report
//! (whose body would otherwise "contain" most common words on any day).
//!
//! For term `w` on day `t`, `c` of the day's `n` dated articles contain `w`. Under "nothing
//! happened" each article contains `w` with the term's recent rate `p₀`, estimated from the
//! `W` calendar days before `t` (default 28) and shrunk towards the term's rate over the whole
//! collection `p_g` with a prior worth `a` articles (default: 7 days of the median daily volume):
//!
//! ```text
//! p₀ = (c_W + a · p_g) / (n_W + a)
//! ```
//!
//! The surprise of the day is the log-likelihood ratio of two binomial samples — `c` of the
//! day's `n` articles against `c_b = c_W + a · p_g` of the baseline's `n_b = n_W + a` — having
//! their own rates rather than one pooled rate `p = (c + c_b) / (n + n_b)` (Dunning 1993,
//! *Accurate methods for the statistics of surprise and coincidence*: the 2 × 2 G-test with
//! `G = 2 · LLR`), counted only when the day's rate is the higher:
//!
//! ```text
//! LLR = Σ o ln(o / e)  over the cells (c, n − c, c_b, n_b − c_b), e from the pooled rate p
//! ```
//!
//! Against a known rate this is `c ln(c / (n p₀)) + (n − c) ln((n − c) / (n (1 − p₀)))`; the
//! two-sample form also counts the noise of a short or thin baseline.
//!
//! It grows with the size of the surge (linearly in `c` at a fixed ratio) and with its surprise
//! (logarithmically in `c / (n p₀)`), and it compares rates, not counts, so a day when coverage
//! doubles across the board is not an event. Windows of 1 to `max_window_days` days (default
//! 3) are scanned, so a story that fills two or three days is seen whole (a temporal scan
//! statistic, as in Kulldorff's); the baseline then ends `guard_days` (default 2) before the
//! window starts, so the build-up on the eve of a debate or a vote is not taken for normal (the
//! guard band of the CDC's EARS C2/C3 detectors). The term's own earlier burst days (a day
//! significant at `alpha`, Bonferroni over the days) are left out of its baseline, as outbreaks
//! are left out of Farrington's, so a second debate is news after the first; unless they
//! fill more than a quarter of the baseline's volume, when the higher level is the new normal.
//! A window is **significant** when it has at least `min_articles` (default 3) articles with the
//! term and its `LLR` passes the Benjamini–Hochberg step-up at a false discovery rate `alpha`
//! (default 0.05) over the windows tested (those with at least `min_articles`), one p-value
//! (χ²₁ of `G`) per run of overlapping windows of a term, never above the Bonferroni
//! threshold; on a year of 4,716 headlines that is an `LLR` of about 8.
//!
//! The baseline trails, so a story that stays in the news becomes the new normal within days:
//! a months-long swell never ranks as an event, while a term that returns after weeks away (a
//! second debate) is news again.
//!
//! # From cells to events
//!
//! 1. **Term bursts.** Significant cells of one term at most `max_gap_days` apart (default 1
//!    empty day, so a weekend does not split a story) form one burst: its days, its peak (the
//!    cell of highest `LLR`), its score (that `LLR`) and its articles (those of its days that
//!    contain the term).
//! 2. **Grouping.** Bursts are taken strongest first; each either starts an event (its *seed*,
//!    only a significant burst) or joins one (a burst whose peak `LLR` passes the uncorrected
//!    level `join_alpha`, default 0.001: whether a term bursts with an event already found is a
//!    second, narrower question). A burst joins the event whose seed shares most of its articles, if its peak
//!    is within `join_days` (default 2) of the seed's peak and the shared articles are at least
//!    `join_share` (default 0.3) of the smaller of the two article sets (the overlap
//!    coefficient, so a small burst inside a large one joins, and a common word bursting on a
//!    big day can join the small event it contains); the event then gains the term and its
//!    articles of the seed's days. Shares are measured against the seed only, and an event
//!    keeps its seed's days, so no event chains from one story to the next through a common
//!    word. Bursts that join nothing start a new event (until `max_events` exist).
//!    Then an event merges into a stronger one when their days overlap (or lie at most
//!    `join_days` apart) and they share `join_share` of the smaller article set: the same
//!    happening told in other words, as "Brexit" and "Britain votes to leave EU" on one day.
//! 3. **Score and rank.** An event's score is the larger of its seed's `LLR` and the `LLR` of
//!    its strongest window (within its days) of the series "articles containing any of its
//!    terms", scored like a term: a happening told in many words outranks one word's blip, an
//!    article counts once, and a common word that joined raises the baseline as much as the
//!    count. One scale for all events, rewarding surprise and size, never length. Events are
//!    ranked by it, strongest first (ties: earlier seed peak, then seed term).
//! 4. **Description.** `start` and `end` are the seed burst's first and last days, `peak` the
//!    day of that span with the most of its articles (the seed's peak on ties, else the
//!    earliest); `terms` are its terms by `LLR`; `headlines` are its most central articles (cosine
//!    to the centroid of its articles' TF-IDF rows, distinct titles); `topics` are the topics of
//!    its articles with their shares.
//!
//! # On stored counts
//!
//! [`detect_events_on_counts`] runs the same steps on a store's daily volumes and per-term
//! daily document frequencies (`track add`), with only the new batch's articles known in full
//! (for articles, headlines and topics), and keeps the events that reach the new days.
//!
//! Everything is computed in a fixed order, so results do not depend on the thread count.

use std::collections::HashSet;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::CsMat;
use statrs::distribution::{ContinuousCDF, Normal};

use super::terms::{centrality, csr_by_rows, row, title_key};
use crate::params::{param_guard, Checked, ParamGuard, Validate};
use crate::{Error, Result};

/// Settings of [`detect_events`]; defaults in [`NewsEventParams::default`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewsEventParams {
    /// Calendar days of the trailing baseline (`W`).
    pub baseline_days: u32,
    /// Days between the window and its baseline, so that the build-up before an event does
    /// not count as its baseline.
    pub guard_days: u32,
    /// Longest window scanned, in days.
    pub max_window_days: u32,
    /// Weight of the collection-wide rate in the baseline, in days of median daily volume.
    pub prior_days: f64,
    /// Fewest articles with the term on a day for the day to count.
    pub min_articles: u32,
    /// Family-wise significance level (Bonferroni over the cells tested).
    pub alpha: f64,
    /// Empty days allowed inside one term burst.
    pub max_gap_days: u32,
    /// A burst may join an event whose seed peak is at most this many days away.
    pub join_days: u32,
    /// Level at which a term may join an event (not corrected: the event is already found).
    pub join_alpha: f64,
    /// Share of a burst's articles that must already be the event's for it to join.
    pub join_share: f64,
    /// Terms of an article that count for events: its `top_terms` largest TF-IDF weights.
    pub top_terms: usize,
    /// Most events reported.
    pub max_events: usize,
    /// Terms listed per event.
    pub max_terms: usize,
    /// Headlines per event.
    pub max_headlines: usize,
}

impl Default for NewsEventParams {
    /// | setting | default |
    /// |---|---|
    /// | `baseline_days` | 28 |
    /// | `guard_days` | 2 |
    /// | `max_window_days` | 3 |
    /// | `prior_days` | 7 |
    /// | `min_articles` | 3 |
    /// | `alpha` | 0.05 |
    /// | `max_gap_days` | 1 |
    /// | `join_days` | 2 |
    /// | `join_alpha` | 0.001 |
    /// | `join_share` | 0.3 |
    /// | `top_terms` | 10 |
    /// | `max_events` | 100 |
    /// | `max_terms` | 8 |
    /// | `max_headlines` | 5 |
    fn default() -> Self {
        NewsEventParams {
            baseline_days: 28,
            guard_days: 2,
            max_window_days: 3,
            prior_days: 7.0,
            min_articles: 3,
            alpha: 0.05,
            max_gap_days: 1,
            join_days: 2,
            join_alpha: 0.001,
            join_share: 0.3,
            top_terms: 10,
            max_events: 100,
            max_terms: 8,
            max_headlines: 5,
        }
    }
}

impl Validate for NewsEventParams {
    /// One [`Error::InvalidParam`] naming the first bad setting.
    fn validate(&self) -> Result<()> {
        if self.baseline_days == 0 {
            return Err(Error::param("baseline_days", 0, "must be at least 1 day"));
        }
        if self.top_terms == 0 {
            return Err(Error::param("top_terms", 0, "must be at least 1"));
        }
        if self.max_window_days == 0 {
            return Err(Error::param("max_window_days", 0, "must be at least 1 day"));
        }
        if !(self.prior_days.is_finite() && self.prior_days > 0.0) {
            return Err(Error::param(
                "prior_days",
                self.prior_days,
                "must be a finite number > 0",
            ));
        }
        if self.min_articles == 0 {
            return Err(Error::param("min_articles", 0, "must be at least 1"));
        }
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(Error::param("alpha", self.alpha, "must be in (0, 1)"));
        }
        if !(self.join_alpha > 0.0 && self.join_alpha < 1.0) {
            return Err(Error::param(
                "join_alpha",
                self.join_alpha,
                "must be in (0, 1)",
            ));
        }
        if !(self.join_share > 0.0 && self.join_share <= 1.0) {
            return Err(Error::param(
                "join_share",
                self.join_share,
                "must be in (0, 1]",
            ));
        }
        Ok(())
    }
}

param_guard!(NewsEventParams);

/// Checked [`NewsEventParams`].
pub type ValidNewsEventParams = Checked<NewsEventParams>;

/// Everything [`detect_events`] reads, one entry per article.
#[derive(Clone, Copy, Debug)]
pub struct NewsEventInput<'a> {
    /// Day of each article (`None`: not part of any event).
    pub dates: &'a [Option<NaiveDate>],
    /// TF-IDF rows, CSR, one per article: a term is in an article when its weight is non-zero.
    pub matrix: &'a CsMat<f32>,
    /// Display label of each column.
    pub labels: &'a [String],
    /// Title of each article (distinct headlines).
    pub titles: &'a [&'a str],
    /// Topic of each article, if any.
    pub topics: &'a [Option<usize>],
}

/// A term of an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventTerm {
    /// Display label.
    pub term: String,
    /// Column in the matrix.
    pub column: usize,
    /// `LLR` of the term's strongest window.
    pub score: f64,
    /// First day of that window.
    pub start: NaiveDate,
    /// Last day of that window.
    pub end: NaiveDate,
    /// Articles with the term in the window.
    pub count: u32,
    /// Articles of the window.
    pub total: u32,
    /// Expected articles with the term in the window under the baseline (`n p₀`).
    pub expected: f64,
}

/// One event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewsEvent {
    /// 1 = strongest.
    pub rank: usize,
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    /// The seed term's day with the most articles in its strongest window.
    pub peak: NaiveDate,
    /// `LLR` of its strongest term-day (see the module docs).
    pub score: f64,
    /// Its terms, strongest first (at most `max_terms`).
    pub terms: Vec<EventTerm>,
    /// Its articles, by date then index.
    pub articles: Vec<usize>,
    /// Its most central articles, most central first (distinct titles).
    pub headlines: Vec<usize>,
    /// Topics of its articles with their shares, largest first.
    pub topics: Vec<(usize, f64)>,
}

/// A window of consecutive days of one term: `first..=last` (day indices).
#[derive(Clone, Copy, Debug)]
struct Cell {
    first: u32,
    last: u32,
    /// Day of the window with the most articles with the term (earliest on ties).
    peak: u32,
    count: u32,
    volume: u32,
    llr: f64,
    expected: f64,
}

/// Significant windows of one term at most `max_gap_days` apart.
#[derive(Clone, Debug)]
struct TermBurst {
    term: u32,
    first: u32,
    last: u32,
    peak: Cell,
}
/// The collection by day: distinct days, their articles and, per day, each term's article count.
struct Days {
    /// Distinct days with dated articles, increasing.
    days: Vec<NaiveDate>,
    /// Articles of each day (`docs[off[t]..off[t + 1]]`), by index.
    off: Vec<usize>,
    docs: Vec<usize>,
    /// Dated articles of each day (those known in full and those only counted).
    volumes: Vec<u32>,
}

/// Articles grouped by day, CSR-style: `docs[off[t]..off[t + 1]]` are the articles on day `t`
/// (`day_of[i]`), in article order; undated articles are left out.
fn place(n_days: usize, day_of: &[Option<usize>]) -> (Vec<usize>, Vec<usize>) {
    let mut off = vec![0usize; n_days + 1];
    for t in day_of.iter().flatten() {
        off[t + 1] += 1;
    }
    for t in 0..n_days {
        off[t + 1] += off[t];
    }
    let mut fill = off.clone();
    let mut docs = vec![0usize; off[n_days]];
    for (i, t) in day_of.iter().enumerate() {
        if let Some(t) = *t {
            docs[fill[t]] = i;
            fill[t] += 1;
        }
    }
    (off, docs)
}

impl Days {
    fn new(dates: &[Option<NaiveDate>]) -> Self {
        let mut days: Vec<NaiveDate> = dates.iter().flatten().copied().collect();
        days.sort_unstable();
        days.dedup();
        let idx = |d: NaiveDate| days.binary_search(&d).expect("day listed");
        let day_of: Vec<Option<usize>> = dates.iter().map(|d| d.map(idx)).collect();
        let (off, docs) = place(days.len(), &day_of);
        let volumes = (0..days.len())
            .map(|t| (off[t + 1] - off[t]) as u32)
            .collect();
        Days {
            days,
            off,
            docs,
            volumes,
        }
    }

    /// Days with their stored volumes; the articles known in full are placed on their days
    /// (those on other days are left out).
    fn with_volumes(days: Vec<NaiveDate>, volumes: Vec<u32>, dates: &[Option<NaiveDate>]) -> Self {
        let day_of: Vec<Option<usize>> = dates
            .iter()
            .map(|d| d.and_then(|d| days.binary_search(&d).ok()))
            .collect();
        let (off, docs) = place(days.len(), &day_of);
        Days {
            days,
            off,
            docs,
            volumes,
        }
    }

    fn len(&self) -> usize {
        self.days.len()
    }

    fn docs(&self, t: usize) -> &[usize] {
        &self.docs[self.off[t]..self.off[t + 1]]
    }

    fn volume(&self, t: usize) -> u32 {
        self.volumes[t]
    }

    /// Days since the first day, for calendar arithmetic.
    fn ordinal(&self, t: usize) -> i64 {
        (self.days[t] - self.days[0]).num_days()
    }
}

/// Each row cut to its `m` largest weights (ties: lower column first), columns kept in order:
/// the terms an article is *about*. A headline keeps all its words; a long report keeps its
/// characteristic ones rather than every word of its body, so that events are not built from
/// words that long texts share by chance.
fn characteristic_terms(x: &CsMat<f32>, m: usize) -> CsMat<f32> {
    csr_by_rows(x.rows(), x.cols(), |i, indices, data| {
        let (cols, vals) = row(x, i);
        let kept = cols.iter().zip(vals).filter(|&(_, &v)| v != 0.0);
        if vals.len() <= m {
            for (&c, &v) in kept {
                indices.push(c);
                data.push(v);
            }
            return;
        }
        let mut r: Vec<(usize, f32)> = kept.map(|(&c, &v)| (c, v)).collect();
        if r.len() > m {
            r.select_nth_unstable_by(m - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            r.truncate(m);
            r.sort_unstable_by_key(|&(c, _)| c);
        }
        indices.extend(r.iter().map(|&(c, _)| c));
        data.extend(r.iter().map(|&(_, v)| v));
    })
}

/// Per term, its days with at least one article: `(day, articles)` by day (CSR by term).
struct TermDays {
    off: Vec<usize>,
    cells: Vec<(u32, u32)>,
}

/// Counts each term's articles per day: one dense accumulator per worker (a hash map per day
/// would hash every non-zero), then a counting sort of the `(day, term)` pairs by term.
fn term_days(m: &CsMat<f32>, days: &Days) -> TermDays {
    let v = m.cols();
    let per_day: Vec<Vec<(u32, u32)>> = (0..days.len())
        .into_par_iter()
        .map_init(
            || (vec![0u32; v], Vec::<u32>::new()),
            |(acc, touched), t| {
                for &d in days.docs(t) {
                    let (cols, vals) = row(m, d);
                    for (&c, &x) in cols.iter().zip(vals) {
                        if x != 0.0 {
                            if acc[c] == 0 {
                                touched.push(c as u32);
                            }
                            acc[c] += 1;
                        }
                    }
                }
                let out: Vec<(u32, u32)> = touched
                    .drain(..)
                    .map(|c| {
                        let n = acc[c as usize];
                        acc[c as usize] = 0;
                        (c, n)
                    })
                    .collect();
                out
            },
        )
        .collect();
    let mut off = vec![0usize; v + 1];
    for pairs in &per_day {
        for &(c, _) in pairs {
            off[c as usize + 1] += 1;
        }
    }
    for c in 0..v {
        off[c + 1] += off[c];
    }
    let mut fill = off.clone();
    let mut cells = vec![(0u32, 0u32); off[v]];
    for (t, pairs) in per_day.into_iter().enumerate() {
        for (c, n) in pairs {
            cells[fill[c as usize]] = (t as u32, n);
            fill[c as usize] += 1;
        }
    }
    TermDays { off, cells }
}

/// `x ln(x / y)`, 0 at `x = 0`.
fn xlogy(x: f64, y: f64) -> f64 {
    if x > 0.0 {
        x * (x / y).ln()
    } else {
        0.0
    }
}

/// Binomial log-likelihood ratio of `c` in `n` against a known rate `p0` (0 unless
/// `c / n > p0`).
pub fn binomial_llr(c: f64, n: f64, p0: f64) -> f64 {
    if n <= 0.0 || c <= n * p0 {
        return 0.0;
    }
    xlogy(c, n * p0) + xlogy(n - c, n * (1.0 - p0))
}

/// Log-likelihood ratio of two binomial samples, `c` in `n` (the window) and `cb` in `nb` (the
/// baseline), against one common rate: Dunning's 2 × 2 G-test, halved (0 unless the window's rate
/// is the higher). Unlike [`binomial_llr`] it counts the baseline's own sampling noise, so a
/// short or thin baseline does not make every wobble significant.
pub fn two_sample_llr(c: f64, n: f64, cb: f64, nb: f64) -> f64 {
    if n <= 0.0 || nb <= 0.0 || c * nb <= cb * n {
        return 0.0;
    }
    let p = (c + cb) / (n + nb);
    // Σ o ln(o / e) over the four cells, e from the pooled rate.
    let ll = |x: f64, m: f64| xlogy(x, m * p) + xlogy(m - x, m * (1.0 - p));
    ll(c, n) + ll(cb, nb)
}

/// `LLR` above which a cell is significant: half the χ²₁ quantile at `1 − alpha / tests`.
pub fn llr_threshold(alpha: f64, tests: usize) -> f64 {
    let q = alpha / tests.max(1) as f64;
    // χ²₁ is the square of a standard normal: its upper-q quantile is z(1 − q/2)².
    let z = Normal::standard().inverse_cdf(1.0 - q / 2.0);
    z * z / 2.0
}

/// Upper tail of χ²₁ at `2 · llr`: the p-value of a window's `LLR`.
fn llr_p_value(llr: f64) -> f64 {
    2.0 * Normal::standard().sf((2.0 * llr.max(0.0)).sqrt())
}

/// `LLR` above which a window is significant at a false discovery rate `q` over all windows
/// tested (Benjamini & Hochberg 1995: the largest `i` with `p₍ᵢ₎ ≤ i q / N`; valid under the
/// positive dependence of overlapping windows, Benjamini & Yekutieli 2001). Never above the
/// Bonferroni threshold at level `q`, which it equals when one window alone is significant.
fn fdr_threshold(scored: &[(u32, Vec<Cell>)], q: f64) -> f64 {
    let tests: usize = scored.iter().map(|(_, c)| c.len()).sum();
    let bonferroni = llr_threshold(q, tests);
    // Only windows significant uncorrected can pass.
    let floor = llr_threshold(q, 1);
    // One p-value per run of overlapping or adjacent windows of a term (its best): the
    // windows of one burst are nearly the same test, and counting each would let one chance
    // excess pass by its own echoes.
    let mut llrs: Vec<f64> = Vec::new();
    for (_, cells) in scored {
        let mut run: Option<(u32, f64)> = None;
        for c in cells.iter().filter(|c| c.llr > floor) {
            match &mut run {
                Some((last, best)) if c.first <= *last + 1 => {
                    *last = (*last).max(c.last);
                    *best = best.max(c.llr);
                }
                _ => {
                    llrs.extend(run.map(|r| r.1));
                    run = Some((c.last, c.llr));
                }
            }
        }
        llrs.extend(run.map(|r| r.1));
    }
    llrs.sort_unstable_by(|a, b| b.total_cmp(a));
    let n = tests.max(1) as f64;
    let passed = llrs
        .iter()
        .enumerate()
        .filter(|&(i, &l)| llr_p_value(l) <= (i + 1) as f64 * q / n)
        .map(|(i, _)| i)
        .next_back();
    match passed {
        // Windows strictly above the last passing one's `LLR` less a hair, so it passes too.
        Some(i) => (llrs[i] - 1e-9).min(bonferroni),
        None => bonferroni,
    }
}

/// Scores the windows of day series against their trailing baselines (see the module docs).
struct Scanner<'a> {
    p: &'a NewsEventParams,
    /// Running sums of the days' volumes.
    prefix: Vec<u64>,
    /// Calendar day number of each day.
    ordinals: Vec<i64>,
    /// Weight of the collection-wide rate, in articles.
    prior: f64,
    /// A day this surprising is one of the series' own bursts, left out of later baselines.
    burst_llr: f64,
}

impl<'a> Scanner<'a> {
    fn new(days: &Days, p: &'a NewsEventParams, burst_llr: f64) -> Self {
        let nd = days.len();
        let mut prefix = vec![0u64; nd + 1];
        for t in 0..nd {
            prefix[t + 1] = prefix[t] + u64::from(days.volume(t));
        }
        let mut volumes: Vec<u32> = (0..nd).map(|t| days.volume(t)).collect();
        volumes.sort_unstable();
        let median = f64::from(volumes.get(nd / 2).copied().unwrap_or(1));
        Scanner {
            p,
            prefix,
            ordinals: (0..nd).map(|t| days.ordinal(t)).collect(),
            prior: p.prior_days * median.max(1.0),
            burst_llr,
        }
    }

    /// First day index with an ordinal ≥ x.
    fn day_at(&self, x: i64) -> usize {
        self.ordinals.partition_point(|&o| o < x)
    }

    /// Every window of 1 to `max_window_days` days of a series (`(day, articles)` on the days
    /// it has any, increasing) that starts and ends on such a day and holds at least
    /// `min_articles`, by start; `df` is the series' total over the collection.
    fn scan(&self, cells: &[(u32, u32)], df: u64) -> Vec<Cell> {
        let (p, prefix, ordinals, prior) = (self.p, &self.prefix, &self.ordinals, self.prior);
        let total = *prefix.last().unwrap_or(&0) as f64;
        if total <= 0.0 {
            return Vec::new();
        }
        let pg = df as f64 / total;
        // Running sums of the series, to sum any range of its cells.
        let mut csum = vec![0u64; cells.len() + 1];
        for (k, &(_, c)) in cells.iter().enumerate() {
            csum[k + 1] = csum[k] + u64::from(c);
        }
        let cell_at = |x: i64| cells.partition_point(|&(t, _)| ordinals[t as usize] < x);
        // Running sums over the series' own burst days (count, volume): left out of later
        // baselines.
        let mut bsum = vec![(0u64, 0u64); cells.len() + 1];
        let mut out = Vec::new();
        for k in 0..cells.len() {
            let s = cells[k].0 as usize;
            let o = ordinals[s];
            // Baseline: the W days before the window, less the guard band.
            let (b0, b1) = (
                o - i64::from(p.guard_days) - i64::from(p.baseline_days),
                o - i64::from(p.guard_days),
            );
            let mut n_w = (prefix[self.day_at(b1)] - prefix[self.day_at(b0)]) as f64;
            let (k0, k1) = (cell_at(b0), cell_at(b1));
            let mut c_w = (csum[k1] - csum[k0]) as f64;
            // The series' own earlier bursts are not its normal rate (so a second debate is
            // news after the first), unless they fill over a quarter of the baseline's volume:
            // then the higher level is the new normal, and a rising term does not keep an old,
            // low baseline (outbreaks are likewise kept out of the baselines of Farrington's
            // detector).
            let (bc, bn) = (bsum[k1].0 - bsum[k0].0, bsum[k1].1 - bsum[k0].1);
            if (bn as f64) * 4.0 <= n_w {
                c_w -= bc as f64;
                n_w -= bn as f64;
            }
            let (cb, nb) = (c_w + prior * pg, n_w + prior);
            let p0 = cb / nb;
            let (mut c, mut peak) = (0u32, cells[k]);
            let mut day_burst = (0u64, 0u64);
            for &(e, ce) in &cells[k..] {
                if ordinals[e as usize] - o >= i64::from(p.max_window_days) {
                    break;
                }
                c += ce;
                if ce > peak.1 {
                    peak = (e, ce);
                }
                if c < p.min_articles {
                    continue;
                }
                let n = (prefix[e as usize + 1] - prefix[s]) as f64;
                let llr = two_sample_llr(f64::from(c), n, cb, nb);
                if e as usize == s && llr > self.burst_llr {
                    day_burst = (u64::from(c), n as u64);
                }
                out.push(Cell {
                    first: s as u32,
                    last: e,
                    peak: peak.0,
                    count: c,
                    volume: n as u32,
                    llr,
                    expected: n * p0,
                });
            }
            bsum[k + 1] = (bsum[k].0 + day_burst.0, bsum[k].1 + day_burst.1);
        }
        out
    }
}

/// Scores every window of every term ([`Scanner::scan`]); returns the windows per term (by
/// term, then start).
fn score_windows(scanner: &Scanner, td: &TermDays) -> Vec<(u32, Vec<Cell>)> {
    let min = u64::from(scanner.p.min_articles);
    (0..td.off.len() - 1)
        .into_par_iter()
        .filter_map(|term| {
            let cells = &td.cells[td.off[term]..td.off[term + 1]];
            let df: u64 = cells.iter().map(|&(_, n)| u64::from(n)).sum();
            (df >= min).then(|| (term as u32, scanner.scan(cells, df)))
        })
        .collect()
}

/// Significant windows of each term, overlapping or at most `max_gap` empty days apart,
/// grouped into bursts.
fn term_bursts(
    scored: &[(u32, Vec<Cell>)],
    days: &Days,
    threshold: f64,
    max_gap: u32,
) -> Vec<TermBurst> {
    let mut out = Vec::new();
    for (term, cells) in scored {
        let mut cur: Option<TermBurst> = None;
        for cell in cells.iter().filter(|c| c.llr > threshold) {
            match &mut cur {
                Some(b)
                    if days.ordinal(cell.first as usize) - days.ordinal(b.last as usize)
                        <= i64::from(max_gap) + 1 =>
                {
                    b.last = b.last.max(cell.last);
                    if cell.llr > b.peak.llr {
                        b.peak = *cell;
                    }
                }
                _ => {
                    out.extend(cur.take());
                    cur = Some(TermBurst {
                        term: *term,
                        first: cell.first,
                        last: cell.last,
                        peak: *cell,
                    });
                }
            }
        }
        out.extend(cur);
    }
    out
}

/// The articles of the bursting terms, by day: for each term that bursts, its articles as
/// `(day, article)` sorted by day and then article, so that the articles of a burst's days
/// are one slice found by two binary searches.
///
/// Built in one pass over the matrix's rows. Reading each burst's days row by row instead
/// (a binary search for the term in every row of those days) took a quarter of `track report`
/// on a million articles, most of it cache misses.
struct BurstPostings {
    /// Slot of each column (`u32::MAX`: the term has no burst).
    slot: Vec<u32>,
    lists: Vec<Vec<(u32, u32)>>,
}

impl BurstPostings {
    fn new(m: &CsMat<f32>, days: &Days, bursts: &[TermBurst]) -> Self {
        let mut slot = vec![u32::MAX; m.cols()];
        let mut n = 0u32;
        for b in bursts {
            let s = &mut slot[b.term as usize];
            if *s == u32::MAX {
                *s = n;
                n += 1;
            }
        }
        let mut lists: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n as usize];
        if n > 0 {
            for t in 0..days.days.len() {
                for &d in days.docs(t) {
                    let (cols, vals) = row(m, d);
                    for (&c, &v) in cols.iter().zip(vals) {
                        let s = slot[c];
                        if s != u32::MAX && v != 0.0 {
                            lists[s as usize].push((t as u32, d as u32));
                        }
                    }
                }
            }
        }
        BurstPostings { slot, lists }
    }

    /// The articles with `b`'s term on `b`'s days, by day and then article.
    fn articles(&self, b: &TermBurst) -> Vec<usize> {
        let list = &self.lists[self.slot[b.term as usize] as usize];
        let lo = list.partition_point(|&(t, _)| t < b.first);
        let hi = list.partition_point(|&(t, _)| t <= b.last);
        list[lo..hi].iter().map(|&(_, d)| d as usize).collect()
    }
}

/// An event while bursts are grouped.
struct Draft {
    seed_peak: i64,
    /// The seed's peak day (index).
    peak: u32,
    first: u32,
    last: u32,
    score: f64,
    bursts: Vec<TermBurst>,
    /// The seed's articles: later bursts join by what they share with these, so an event cannot
    /// chain through a common word from one story to the next.
    seed: HashSet<usize>,
    articles: HashSet<usize>,
}

/// Ranked events of a collection (see the module docs).
pub fn detect_events(input: &NewsEventInput, p: &NewsEventParams) -> Result<Vec<NewsEvent>> {
    p.check_ref()?;
    let n = input.dates.len();
    super::check_matrix(input.matrix, input.labels, n)?;
    if input.titles.len() != n || input.topics.len() != n {
        return Err(Error::param(
            "articles",
            format!(
                "{n} dates, {} titles, {} topics",
                input.titles.len(),
                input.topics.len()
            ),
            "one date, title and topic per article is needed",
        ));
    }
    let days = Days::new(input.dates);
    if days.len() == 0 {
        return Ok(Vec::new());
    }
    let present = characteristic_terms(input.matrix, p.top_terms);
    let td = term_days(&present, &days);
    Ok(detect_on(input, &days, &present, &td, None, p))
}

/// Daily counts of a collection of which only some articles are known in full: a store's
/// history and a new batch.
#[derive(Clone, Copy, Debug)]
pub struct CountedDays<'a> {
    /// Days, increasing.
    pub days: &'a [NaiveDate],
    /// Dated articles of each day.
    pub totals: &'a [u32],
    /// `term_counts[i][day]`: articles of the day containing term `i` (the columns of
    /// `present`, labelled by the input's `labels`).
    pub term_counts: &'a [Vec<u32>],
    /// The known articles × the same terms: non-zero where the article contains the term.
    pub present: &'a CsMat<f32>,
    /// Only events reaching this day or later are reported (the new days).
    pub from: NaiveDate,
}

/// Events on stored counts (see the module docs), as [`detect_events`] finds them on a whole
/// collection, reported when they reach `counts.from`: the term series are the stored ones
/// (`term_counts` against `totals`); articles, headlines and topics come from the articles
/// known in full (`input`, whose `labels` name the columns of `counts.present` and whose
/// `matrix` holds their TF-IDF rows, for headlines).
pub fn detect_events_on_counts(
    input: &NewsEventInput,
    counts: &CountedDays,
    p: &NewsEventParams,
) -> Result<Vec<NewsEvent>> {
    p.check_ref()?;
    let n = input.dates.len();
    let nd = counts.days.len();
    if counts.totals.len() != nd
        || counts.term_counts.iter().any(|c| c.len() != nd)
        || counts.term_counts.len() != input.labels.len()
        || counts.present.cols() != input.labels.len()
        || counts.present.rows() != n
        || input.matrix.rows() != n
        || input.titles.len() != n
        || input.topics.len() != n
    {
        return Err(Error::param(
            "counts",
            format!("{nd} days, {} terms, {n} articles", input.labels.len()),
            "one total and one count per term per day, one row, title and topic per article",
        ));
    }
    // Days with dated articles only, as on a whole collection.
    let keep: Vec<usize> = (0..nd).filter(|&t| counts.totals[t] > 0).collect();
    let days = Days::with_volumes(
        keep.iter().map(|&t| counts.days[t]).collect(),
        keep.iter().map(|&t| counts.totals[t]).collect(),
        input.dates,
    );
    if days.len() == 0 {
        return Ok(Vec::new());
    }
    let mut off = Vec::with_capacity(input.labels.len() + 1);
    off.push(0);
    let mut cells = Vec::new();
    for series in counts.term_counts {
        cells.extend(
            keep.iter()
                .enumerate()
                .filter(|&(_, &t)| series[t] > 0)
                .map(|(i, &t)| (i as u32, series[t])),
        );
        off.push(cells.len());
    }
    let td = TermDays { off, cells };
    Ok(detect_on(
        input,
        &days,
        counts.present,
        &td,
        Some(counts.from),
        p,
    ))
}

/// Events from the term series `td` over `days`; `present` (articles × terms) gives the
/// articles of a burst; with `from`, only events whose days reach it are kept.
fn detect_on(
    input: &NewsEventInput,
    days: &Days,
    present: &CsMat<f32>,
    td: &TermDays,
    from: Option<NaiveDate>,
    p: &NewsEventParams,
) -> Vec<NewsEvent> {
    // A day is one of a term's own bursts, left out of its later baselines, when it is
    // significant at `alpha` over the days of the term's series (Bonferroni): chance highs of
    // a steady term are rarely taken out, so its baseline is not biased low.
    let scanner = Scanner::new(days, p, llr_threshold(p.alpha, days.len()));
    let scored = score_windows(&scanner, td);
    let threshold = fdr_threshold(&scored, p.alpha);
    // A term that bursts with an event's seed, in the same articles, is a second question
    // asked about an event already found: it joins at the uncorrected level `join_alpha`.
    let join_threshold = llr_threshold(p.join_alpha, 1).min(threshold);
    let mut bursts = term_bursts(&scored, days, join_threshold, p.max_gap_days);
    drop(scored);
    bursts.sort_by(|a, b| {
        b.peak
            .llr
            .total_cmp(&a.peak.llr)
            .then(a.peak.first.cmp(&b.peak.first))
            .then(a.term.cmp(&b.term))
    });

    let postings = BurstPostings::new(present, days, &bursts);
    let mut drafts: Vec<Draft> = Vec::new();
    for b in bursts {
        let arts = postings.articles(&b);
        if arts.is_empty() {
            continue;
        }
        let peak = days.ordinal(b.peak.peak as usize);
        let mut best: Option<(usize, f64)> = None;
        for (e, d) in drafts.iter().enumerate() {
            if (d.seed_peak - peak).abs() > i64::from(p.join_days) {
                continue;
            }
            let shared = arts.iter().filter(|a| d.seed.contains(a)).count();
            let share = shared as f64 / arts.len().min(d.seed.len()) as f64;
            if share >= p.join_share && best.is_none_or(|(_, s)| share > s) {
                best = Some((e, share));
            }
        }
        match best {
            Some((e, _)) => {
                // The event keeps its seed's days; the joining term adds its articles of them.
                let d = &mut drafts[e];
                let (lo, hi) = (days.days[d.first as usize], days.days[d.last as usize]);
                d.articles.extend(
                    arts.into_iter()
                        .filter(|&a| input.dates[a].is_some_and(|x| lo <= x && x <= hi)),
                );
                d.bursts.push(b);
            }
            None if drafts.len() < p.max_events && b.peak.llr > threshold => drafts.push(Draft {
                seed_peak: peak,
                peak: b.peak.peak,
                first: b.first,
                last: b.last,
                score: b.peak.llr,
                seed: arts.iter().copied().collect(),
                articles: arts.into_iter().collect(),
                bursts: vec![b],
            }),
            None => {}
        }
    }

    let mut drafts = merge_overlapping(drafts, days, p);
    let union = event_scores(&drafts, present, days, &scanner);
    for (d, u) in drafts.iter_mut().zip(union) {
        d.score = d.score.max(u);
    }
    drafts.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.seed_peak.cmp(&b.seed_peak))
            .then(a.bursts[0].term.cmp(&b.bursts[0].term))
    });
    if let Some(from) = from {
        drafts.retain(|d| days.days[d.last as usize] >= from);
    }
    drafts
        .into_par_iter()
        .enumerate()
        .map(|(i, d)| describe(input, days, d, i + 1, p))
        .collect()
}

/// The surprise of each event told in all its words: the strongest window within its days of
/// the series "articles containing any of its terms", scored like a term's series (so an
/// article counts once however many of the event's words it has, and a common word that
/// joined raises the baseline as much as the count).
fn event_scores(
    drafts: &[Draft],
    present: &CsMat<f32>,
    days: &Days,
    scanner: &Scanner,
) -> Vec<f64> {
    let mut of_term: Vec<Vec<u32>> = vec![Vec::new(); present.cols()];
    for (e, d) in drafts.iter().enumerate() {
        for b in &d.bursts {
            let l = &mut of_term[b.term as usize];
            if l.last() != Some(&(e as u32)) {
                l.push(e as u32);
            }
        }
    }
    // Articles × events: an article is in an event's series when it has one of its terms.
    let m = csr_by_rows(present.rows(), drafts.len(), |i, indices, data| {
        let (cols, vals) = row(present, i);
        let mut r: Vec<usize> = cols
            .iter()
            .zip(vals)
            .filter(|&(_, &v)| v != 0.0)
            .flat_map(|(&c, _)| of_term[c].iter().map(|&e| e as usize))
            .collect();
        r.sort_unstable();
        r.dedup();
        data.resize(data.len() + r.len(), 1.0);
        indices.extend(r);
    });
    let td = term_days(&m, days);
    drafts
        .par_iter()
        .enumerate()
        .map(|(e, d)| {
            let cells = &td.cells[td.off[e]..td.off[e + 1]];
            let df: u64 = cells.iter().map(|&(_, n)| u64::from(n)).sum();
            scanner
                .scan(cells, df)
                .into_iter()
                .filter(|c| d.first <= c.first && c.last <= d.last)
                .map(|c| c.llr)
                .fold(0.0, f64::max)
        })
        .collect()
}

/// Merges each event into a stronger one whose days overlap its own (`join_days` apart at
/// most) and that shares at least `join_share` of the smaller article set: the same happening
/// told in other words ("Brexit" and "Britain votes to leave EU" on one day). Strongest first,
/// so the stronger event keeps its seed, days and score.
fn merge_overlapping(drafts: Vec<Draft>, days: &Days, p: &NewsEventParams) -> Vec<Draft> {
    let mut kept: Vec<Draft> = Vec::with_capacity(drafts.len());
    for d in drafts {
        let target = kept.iter().position(|k| {
            let gap = days
                .ordinal(d.first as usize)
                .max(days.ordinal(k.first as usize))
                - days
                    .ordinal(d.last as usize)
                    .min(days.ordinal(k.last as usize));
            if gap > i64::from(p.join_days) {
                return false;
            }
            let shared = d.articles.iter().filter(|a| k.articles.contains(a)).count();
            shared as f64 >= p.join_share * d.articles.len().min(k.articles.len()) as f64
        });
        match target {
            Some(i) => {
                let k = &mut kept[i];
                k.articles.extend(d.articles);
                k.bursts.extend(d.bursts);
            }
            None => kept.push(d),
        }
    }
    kept
}

fn describe(
    input: &NewsEventInput,
    days: &Days,
    d: Draft,
    rank: usize,
    p: &NewsEventParams,
) -> NewsEvent {
    let mut articles: Vec<usize> = d.articles.into_iter().collect();
    articles.sort_unstable_by_key(|&a| (input.dates[a], a));
    // The peak is the day of its span with the most of its articles (the seed's peak on ties,
    // else the earliest): the day the happening was told, in all its words.
    let (lo, hi) = (days.days[d.first as usize], days.days[d.last as usize]);
    let mut per_day: Vec<(NaiveDate, usize)> = Vec::new();
    for &a in &articles {
        match input.dates[a].filter(|&x| lo <= x && x <= hi) {
            Some(x) if per_day.last().is_some_and(|l| l.0 == x) => {
                per_day.last_mut().unwrap().1 += 1
            }
            Some(x) => per_day.push((x, 1)),
            None => {}
        }
    }
    let seed_peak = days.days[d.peak as usize];
    let most = per_day.iter().map(|x| x.1).max().unwrap_or(0);
    let peak = if per_day.iter().any(|&(x, c)| x == seed_peak && c == most) {
        seed_peak
    } else {
        per_day
            .iter()
            .find(|x| x.1 == most)
            .map_or(seed_peak, |x| x.0)
    };
    let mut terms: Vec<EventTerm> = d
        .bursts
        .iter()
        .map(|b| EventTerm {
            term: input.labels[b.term as usize].clone(),
            column: b.term as usize,
            score: b.peak.llr,
            start: days.days[b.peak.first as usize],
            end: days.days[b.peak.last as usize],
            count: b.peak.count,
            total: b.peak.volume,
            expected: b.peak.expected,
        })
        .collect();
    terms.truncate(p.max_terms);
    let c = centrality(input.matrix, &articles);
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by(|&x, &y| c[y].total_cmp(&c[x]).then(x.cmp(&y)));
    let mut seen = HashSet::new();
    let headlines = order
        .into_iter()
        .map(|j| articles[j])
        .filter(|&a| seen.insert(title_key(input.titles[a])))
        .take(p.max_headlines)
        .collect();
    let mut per_topic: Vec<(usize, usize)> = Vec::new();
    for &a in &articles {
        if let Some(k) = input.topics[a] {
            match per_topic.iter_mut().find(|(t, _)| *t == k) {
                Some((_, n)) => *n += 1,
                None => per_topic.push((k, 1)),
            }
        }
    }
    per_topic.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let topics = per_topic
        .into_iter()
        .map(|(k, c)| (k, c as f64 / articles.len() as f64))
        .collect();
    NewsEvent {
        rank,
        start: days.days[d.first as usize],
        end: days.days[d.last as usize],
        peak,
        score: d.score,
        terms,
        articles,
        headlines,
        topics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(n)
    }

    /// A collection from `(day, terms)` articles over `v` columns (weight 1 for present terms).
    struct Fixture {
        dates: Vec<Option<NaiveDate>>,
        matrix: CsMat<f32>,
        labels: Vec<String>,
        titles: Vec<String>,
        topics: Vec<Option<usize>>,
    }

    impl Fixture {
        fn new(docs: &[(i64, Vec<usize>)], v: usize) -> Self {
            let mut indptr = vec![0];
            let (mut indices, mut data) = (Vec::new(), Vec::new());
            for (_, terms) in docs {
                let mut t = terms.clone();
                t.sort_unstable();
                t.dedup();
                data.extend(t.iter().map(|_| 1.0f32));
                indices.extend(t);
                indptr.push(indices.len());
            }
            Fixture {
                dates: docs.iter().map(|(d, _)| Some(day(*d))).collect(),
                matrix: CsMat::new((docs.len(), v), indptr, indices, data),
                labels: (0..v).map(|c| format!("w{c}")).collect(),
                titles: (0..docs.len()).map(|i| format!("article {i}")).collect(),
                topics: docs.iter().map(|_| Some(0)).collect(),
            }
        }

        fn events(&self, p: &NewsEventParams) -> Vec<NewsEvent> {
            let titles: Vec<&str> = self.titles.iter().map(String::as_str).collect();
            detect_events(
                &NewsEventInput {
                    dates: &self.dates,
                    matrix: &self.matrix,
                    labels: &self.labels,
                    titles: &titles,
                    topics: &self.topics,
                },
                p,
            )
            .unwrap()
        }
    }

    /// `per_day` articles a day for `n_days`, each with 3 of `v` background terms drawn
    /// uniformly (so every term has the same small rate every day).
    fn background(n_days: i64, per_day: usize, v: usize, seed: u64) -> Vec<(i64, Vec<usize>)> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut out = Vec::new();
        for d in 0..n_days {
            for _ in 0..per_day {
                out.push((d, (0..3).map(|_| rng.gen_range(0..v)).collect()));
            }
        }
        out
    }

    #[test]
    fn llr_hand_computed() {
        // c = 6 of n = 20 at p0 = 0.05: 6 ln(6 / 1) + 14 ln(14 / 19) = 10.750557 − 4.275382
        assert!((binomial_llr(6.0, 20.0, 0.05) - 6.475207).abs() < 1e-5);
        assert_eq!(
            binomial_llr(1.0, 20.0, 0.05),
            0.0,
            "at or below the rate: no surprise"
        );
        assert_eq!(binomial_llr(0.0, 0.0, 0.05), 0.0);
        // All articles have the term: only the first part remains, n ln(1 / p0).
        assert!((binomial_llr(4.0, 4.0, 0.5) - 4.0 * 2f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn two_sample_llr_hand_computed() {
        // 6 of 20 against 5 of 100: pooled p = 11/120; Σ o ln(o / e) over the four cells.
        assert!((two_sample_llr(6.0, 20.0, 5.0, 100.0) - 4.696_432).abs() < 1e-5);
        assert_eq!(two_sample_llr(1.0, 20.0, 5.0, 100.0), 0.0);
        // A huge baseline knows its rate: the one-sample ratio.
        let big = two_sample_llr(6.0, 20.0, 5e6, 1e8);
        assert!((big - binomial_llr(6.0, 20.0, 0.05)).abs() < 1e-3, "{big}");
    }

    #[test]
    fn threshold_is_half_the_bonferroni_chi2_quantile() {
        // One test at 5 %: χ²₁ quantile 3.841459, half of it 1.920729.
        assert!((llr_threshold(0.05, 1) - 1.920729).abs() < 1e-5);
        assert!(llr_threshold(0.05, 10_000) > llr_threshold(0.05, 100));
    }

    #[test]
    fn planted_term_burst_is_found_on_its_day() {
        let v = 200;
        let mut docs = background(90, 40, v - 2, 7);
        // Day 60: 15 articles name term v-1 (and v-2, which also names them), never seen before.
        for _ in 0..15 {
            docs.push((60, vec![v - 1, v - 2, 3]));
        }
        // A few mentions elsewhere so the terms have some history.
        docs.push((20, vec![v - 1]));
        docs.push((75, vec![v - 2]));
        let f = Fixture::new(&docs, v);
        let events = f.events(&NewsEventParams::default());
        assert!(!events.is_empty());
        let first = &events[0];
        assert_eq!(first.rank, 1);
        assert_eq!(first.peak, day(60));
        assert_eq!((first.start, first.end), (day(60), day(60)));
        let cols: Vec<usize> = first.terms.iter().map(|t| t.column).collect();
        assert!(
            cols.contains(&(v - 1)) && cols.contains(&(v - 2)),
            "{cols:?}"
        );
        // The 15 planted articles (the last but two added), plus any background article of the
        // day that has term 3, which burst with them.
        let planted: Vec<usize> = (docs.len() - 17..docs.len() - 2).collect();
        assert!(planted.iter().all(|a| first.articles.contains(a)));
        assert_eq!(first.topics, vec![(0, 1.0)]);
        // Scores fall with rank.
        assert!(events.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn coverage_jump_across_all_topics_is_not_an_event() {
        // Days 0–59 have 20 articles a day, days 60–89 have 200: the same mix, ten times more.
        let v = 100;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut docs = Vec::new();
        for d in 0..90 {
            let n = if d < 60 { 20 } else { 200 };
            for _ in 0..n {
                docs.push((d, (0..3).map(|_| rng.gen_range(0..v)).collect()));
            }
        }
        let f = Fixture::new(&docs, v);
        let events = f.events(&NewsEventParams::default());
        assert!(events.is_empty(), "{:?}", events.first());
    }

    #[test]
    fn flat_and_noisy_streams_give_no_event() {
        for seed in 0..5 {
            let f = Fixture::new(&background(120, 30, 150, seed), 150);
            let events = f.events(&NewsEventParams::default());
            assert!(events.is_empty(), "seed {seed}: {:?}", events.first());
        }
    }

    #[test]
    fn a_story_over_days_is_one_event() {
        let v = 100;
        let mut docs = background(60, 30, v - 1, 11);
        for d in 40..43 {
            for _ in 0..8 {
                docs.push((d, vec![v - 1, 5]));
            }
        }
        let f = Fixture::new(&docs, v);
        let events = f.events(&NewsEventParams::default());
        let hits: Vec<&NewsEvent> = events
            .iter()
            .filter(|e| e.terms.iter().any(|t| t.column == v - 1))
            .collect();
        assert_eq!(hits.len(), 1, "{events:?}");
        assert_eq!((hits[0].start, hits[0].end), (day(40), day(42)));
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count() {
        let v = 300;
        let mut docs = background(100, 50, v, 5);
        for (i, d) in [30i64, 55, 80].iter().enumerate() {
            for _ in 0..10 {
                docs.push((*d, vec![i, i + 10]));
            }
        }
        let f = Fixture::new(&docs, v);
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| f.events(&NewsEventParams::default()))
        };
        assert_eq!(run(1), run(2));
    }

    #[test]
    fn stored_counts_find_the_events_of_the_whole_collection() {
        // The counts path with every article known and every day new finds what the batch
        // path finds; from a later day on, only the events reaching it.
        let v = 120;
        let mut docs = background(80, 30, v - 1, 9);
        for _ in 0..12 {
            docs.push((50, vec![v - 1, 4]));
        }
        let f = Fixture::new(&docs, v);
        let p = NewsEventParams::default();
        let batch = f.events(&p);
        assert!(!batch.is_empty());
        let days: Vec<NaiveDate> = (0..80).map(day).collect();
        let mut totals = vec![0u32; 80];
        let mut counts = vec![vec![0u32; 80]; v];
        for (d, terms) in &docs {
            totals[*d as usize] += 1;
            let mut t = terms.clone();
            t.sort_unstable();
            t.dedup();
            for c in t {
                counts[c][*d as usize] += 1;
            }
        }
        let titles: Vec<&str> = f.titles.iter().map(String::as_str).collect();
        let input = NewsEventInput {
            dates: &f.dates,
            matrix: &f.matrix,
            labels: &f.labels,
            titles: &titles,
            topics: &f.topics,
        };
        let run = |from| {
            let c = CountedDays {
                days: &days,
                totals: &totals,
                term_counts: &counts,
                present: &f.matrix,
                from,
            };
            detect_events_on_counts(&input, &c, &p).unwrap()
        };
        assert_eq!(run(day(0)), batch);
        let late = run(day(60));
        assert!(late.iter().all(|e| e.end >= day(60)));
        assert!(!late.iter().any(|e| e.terms[0].column == v - 1));
    }

    #[test]
    fn bad_settings_are_named() {
        let p = NewsEventParams {
            alpha: 0.0,
            ..Default::default()
        };
        assert!(p.check().unwrap_err().to_string().contains("alpha"));
        let p = NewsEventParams {
            max_window_days: 0,
            ..Default::default()
        };
        assert!(p
            .check()
            .unwrap_err()
            .to_string()
            .contains("max_window_days"));
    }
}
