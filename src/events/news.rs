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
//! For term `w` on day `t`, `c` of the day's `n` dated articles contain `w`. Under "nothing
//! happened" each article contains `w` with the term's recent rate `p₀`, estimated from the
//! `W` calendar days before `t` (default 28) and shrunk towards the term's rate over the whole
//! collection `p_g` with a prior worth `a` articles (default: 7 days of the median daily volume):
//!
//! ```text
//! p₀ = (c_W + a · p_g) / (n_W + a)
//! ```
//!
//! The surprise of the day is the binomial log-likelihood ratio of the day's own rate `c / n`
//! against `p₀` (Dunning 1993, *Accurate methods for the statistics of surprise and
//! coincidence*; the G-test with `G = 2 · LLR`):
//!
//! ```text
//! LLR = c ln(c / (n p₀)) + (n − c) ln((n − c) / (n (1 − p₀)))     for c / n > p₀, else 0
//! ```
//!
//! It grows with the size of the surge (linearly in `c` at a fixed ratio) and with its surprise
//! (logarithmically in `c / (n p₀)`), and it compares rates, not counts, so a day when coverage
//! doubles across the board is not an event. A cell is **significant** when `c ≥ min_articles`
//! (default 3) and `G` exceeds the χ²₁ quantile at a family-wise level `alpha` (default 0.05)
//! Bonferroni-corrected for the number of cells tested (cells with `c ≥ min_articles`); with
//! thousands of terms and hundreds of days that is an `LLR` of about 13–17.
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
//! 2. **Grouping.** Bursts are taken strongest first; each either starts an event (its *seed*)
//!    or joins one. A burst joins the event whose seed shares most of its articles, if its peak
//!    is within `join_days` (default 2) of the seed's peak and the shared articles are at least
//!    `join_share` (default 0.3) of the smaller of the two article sets (the overlap
//!    coefficient, so a small burst inside a large one joins, and a common word bursting on a
//!    big day can join the small event it contains); the event then gains the term and its
//!    articles, and its span may not exceed `max_span_days` (default 14). Shares are measured
//!    against the seed only, so no event chains from one story to the next through a common
//!    word. Bursts that join nothing start a new event (until `max_events` exist).
//! 3. **Score and rank.** An event's score is the `LLR` of its seed, its strongest term-day: one
//!    scale for all events, rewarding surprise and size, never length. Events are ranked by it,
//!    strongest first (ties: earlier peak, then term column).
//! 4. **Description.** `peak` is the event's day with the most of its articles (earliest on
//!    ties); `terms` are its terms by `LLR`; `headlines` are its most central articles (cosine
//!    to the centroid of its articles' TF-IDF rows, distinct titles); `topics` are the topics of
//!    its articles with their shares.
//!
//! Everything is computed in a fixed order, so results do not depend on the thread count.

use std::collections::HashSet;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::CsMat;
use statrs::distribution::{ContinuousCDF, Normal};

use super::terms::{centrality, row, title_key};
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
    /// Share of a burst's articles that must already be the event's for it to join.
    pub join_share: f64,
    /// Longest span of an event, in days.
    pub max_span_days: u32,
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
    /// | `join_share` | 0.3 |
    /// | `max_span_days` | 14 |
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
            join_share: 0.3,
            max_span_days: 14,
            max_events: 100,
            max_terms: 8,
            max_headlines: 5,
        }
    }
}

impl NewsEventParams {
    /// Validates the settings: one [`Error::InvalidParam`] naming the first bad one.
    pub fn check(&self) -> Result<()> {
        if self.baseline_days == 0 {
            return Err(Error::param("baseline_days", 0, "must be at least 1 day"));
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
    /// Day with the most of its articles.
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
}

impl Days {
    fn new(dates: &[Option<NaiveDate>]) -> Self {
        let mut days: Vec<NaiveDate> = dates.iter().flatten().copied().collect();
        days.sort_unstable();
        days.dedup();
        let idx = |d: NaiveDate| days.binary_search(&d).expect("day listed");
        let mut off = vec![0usize; days.len() + 1];
        let day_of: Vec<Option<usize>> = dates.iter().map(|d| d.map(idx)).collect();
        for t in day_of.iter().flatten() {
            off[t + 1] += 1;
        }
        for t in 0..days.len() {
            off[t + 1] += off[t];
        }
        let mut fill = off.clone();
        let mut docs = vec![0usize; off[days.len()]];
        for (i, t) in day_of.iter().enumerate() {
            if let Some(t) = *t {
                docs[fill[t]] = i;
                fill[t] += 1;
            }
        }
        Days { days, off, docs }
    }

    fn len(&self) -> usize {
        self.days.len()
    }

    fn docs(&self, t: usize) -> &[usize] {
        &self.docs[self.off[t]..self.off[t + 1]]
    }

    fn volume(&self, t: usize) -> u32 {
        (self.off[t + 1] - self.off[t]) as u32
    }

    /// Days since the first day, for calendar arithmetic.
    fn ordinal(&self, t: usize) -> i64 {
        (self.days[t] - self.days[0]).num_days()
    }
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

/// Binomial log-likelihood ratio of `c` in `n` against rate `p0` (0 unless `c / n > p0`).
pub fn binomial_llr(c: f64, n: f64, p0: f64) -> f64 {
    if n <= 0.0 || c <= n * p0 {
        return 0.0;
    }
    let xlogy = |x: f64, y: f64| if x > 0.0 { x * (x / y).ln() } else { 0.0 };
    xlogy(c, n * p0) + xlogy(n - c, n * (1.0 - p0))
}

/// `LLR` above which a cell is significant: half the χ²₁ quantile at `1 − alpha / tests`.
pub fn llr_threshold(alpha: f64, tests: usize) -> f64 {
    let q = alpha / tests.max(1) as f64;
    // χ²₁ is the square of a standard normal: its upper-q quantile is z(1 − q/2)².
    let z = Normal::standard().inverse_cdf(1.0 - q / 2.0);
    z * z / 2.0
}

/// Scores every window of 1 to `max_window_days` days of every term that starts and ends on a
/// day with the term and holds at least `min_articles` of its articles; returns the windows per
/// term (by term, then start).
fn score_windows(days: &Days, td: &TermDays, p: &NewsEventParams) -> Vec<(u32, Vec<Cell>)> {
    let nd = days.len();
    let mut prefix = vec![0u64; nd + 1];
    for t in 0..nd {
        prefix[t + 1] = prefix[t] + u64::from(days.volume(t));
    }
    let total = prefix[nd] as f64;
    let mut volumes: Vec<u32> = (0..nd).map(|t| days.volume(t)).collect();
    volumes.sort_unstable();
    let median = f64::from(volumes[nd / 2]);
    let prior = p.prior_days * median.max(1.0);
    let ordinals: Vec<i64> = (0..nd).map(|t| days.ordinal(t)).collect();
    // First day index with an ordinal ≥ x.
    let day_at = |x: i64| ordinals.partition_point(|&o| o < x);
    (0..td.off.len() - 1)
        .into_par_iter()
        .filter_map(|term| {
            let cells = &td.cells[td.off[term]..td.off[term + 1]];
            let df: u64 = cells.iter().map(|&(_, n)| u64::from(n)).sum();
            if df < u64::from(p.min_articles) {
                return None;
            }
            let pg = df as f64 / total;
            // Running sums of the term's counts, to sum any range of its cells.
            let mut csum = vec![0u64; cells.len() + 1];
            for (k, &(_, c)) in cells.iter().enumerate() {
                csum[k + 1] = csum[k] + u64::from(c);
            }
            let cell_at = |x: i64| cells.partition_point(|&(t, _)| ordinals[t as usize] < x);
            let mut out = Vec::new();
            for k in 0..cells.len() {
                let s = cells[k].0 as usize;
                let o = ordinals[s];
                // Baseline: the W days before the window, less the guard band.
                let (b0, b1) = (
                    o - i64::from(p.guard_days) - i64::from(p.baseline_days),
                    o - i64::from(p.guard_days),
                );
                let n_w = (prefix[day_at(b1)] - prefix[day_at(b0)]) as f64;
                let c_w = (csum[cell_at(b1)] - csum[cell_at(b0)]) as f64;
                let p0 = (c_w + prior * pg) / (n_w + prior);
                let (mut c, mut peak) = (0u32, cells[k]);
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
                    out.push(Cell {
                        first: s as u32,
                        last: e,
                        peak: peak.0,
                        count: c,
                        volume: n as u32,
                        llr: binomial_llr(f64::from(c), n, p0),
                        expected: n * p0,
                    });
                }
            }
            Some((term as u32, out))
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

/// Articles of days `first..=last` whose row has `term`.
fn burst_articles(m: &CsMat<f32>, days: &Days, b: &TermBurst) -> Vec<usize> {
    let mut out = Vec::new();
    for t in b.first as usize..=b.last as usize {
        for &d in days.docs(t) {
            let (cols, vals) = row(m, d);
            if let Ok(j) = cols.binary_search(&(b.term as usize)) {
                if vals[j] != 0.0 {
                    out.push(d);
                }
            }
        }
    }
    out
}

/// An event while bursts are grouped.
struct Draft {
    seed_peak: i64,
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
    p.check()?;
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
    let td = term_days(input.matrix, &days);
    let scored = score_windows(&days, &td, p);
    let tests: usize = scored.iter().map(|(_, c)| c.len()).sum();
    let threshold = llr_threshold(p.alpha, tests);
    let mut bursts = term_bursts(&scored, &days, threshold, p.max_gap_days);
    drop(scored);
    bursts.sort_by(|a, b| {
        b.peak
            .llr
            .total_cmp(&a.peak.llr)
            .then(a.peak.first.cmp(&b.peak.first))
            .then(a.term.cmp(&b.term))
    });

    let mut drafts: Vec<Draft> = Vec::new();
    for b in bursts {
        let arts = burst_articles(input.matrix, &days, &b);
        if arts.is_empty() {
            continue;
        }
        let peak = days.ordinal(b.peak.peak as usize);
        let mut best: Option<(usize, f64)> = None;
        for (e, d) in drafts.iter().enumerate() {
            if (d.seed_peak - peak).abs() > i64::from(p.join_days) {
                continue;
            }
            let span = days.ordinal(d.last.max(b.last) as usize)
                - days.ordinal(d.first.min(b.first) as usize);
            if span >= i64::from(p.max_span_days) {
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
                let d = &mut drafts[e];
                d.first = d.first.min(b.first);
                d.last = d.last.max(b.last);
                d.articles.extend(arts);
                d.bursts.push(b);
            }
            None if drafts.len() < p.max_events => drafts.push(Draft {
                seed_peak: peak,
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

    let events = drafts
        .into_par_iter()
        .enumerate()
        .map(|(i, d)| describe(input, &days, d, i + 1, p))
        .collect();
    Ok(events)
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
    // Peak: the day with the most of the event's articles (earliest on ties).
    let mut peak = input.dates[articles[0]].expect("dated");
    let (mut run_day, mut run, mut best) = (peak, 0usize, 0usize);
    for &a in &articles {
        let day = input.dates[a].expect("dated");
        if day != run_day {
            run_day = day;
            run = 0;
        }
        run += 1;
        if run > best {
            best = run;
            peak = day;
        }
    }
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
