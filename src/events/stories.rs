//! First-story detection: which articles start a new story.
//!
//! Single-pass clustering as in the UMass TDT systems: Allan, J., Papka, R. & Lavrenko, V.
//! (1998). *On-line new event detection and tracking.* SIGIR '98, pp. 37–45. Articles are taken
//! in date order (ties by article index). For article `a`, let
//!
//! ```text
//! N(a)   = { b before a in that order : 0 ≤ date(a) − date(b) ≤ window_days }
//! sim(a) = max_{b ∈ N(a)} cos(x_a, x_b),   nn(a) = the argmax
//! ```
//!
//! over the TF-IDF rows `x`. If `sim(a) < threshold` (or `N(a)` has no candidate), `a` is the
//! first story of a new story; otherwise it joins the story of `nn(a)`. Stories thus form by
//! nearest-neighbour links inside a sliding time window, so one story can run longer than the
//! window as long as it keeps being reported.
//!
//! # Speed: an inverted index over top terms
//!
//! Comparing each article with everything in its window is quadratic in the window size. Like
//! Petrović, Osborne & Lavrenko (2010, *Streaming first story detection with application to
//! Twitter*, NAACL), which bound the work per document (LSH buckets plus a fixed number of recent
//! documents), the candidates here come from an index:
//!
//! - every article is indexed under its `top_m` terms (largest TF-IDF weights, ties by column;
//!   default 10) in posting lists ordered by position in the date order;
//! - the candidates of `a` are the articles in the posting lists of `a`'s own `top_m` terms that
//!   lie inside `N(a)` — found by binary search, so old postings are never scanned — keeping only
//!   the `max_postings` most recent of each list (default 2,000), which bounds the work per
//!   article however common a term is;
//! - the cosine to every candidate is exact, on the full sparse rows.
//!
//! An article that shares none of its top terms with another's top terms is therefore not
//! compared with it; with short texts (headlines) `top_m` covers whole rows and the search is
//! exhaustive within the window apart from the `max_postings` cap. Since every article's
//! neighbour search reads only earlier articles and the fixed index, the searches run in
//! parallel and the result does not depend on the number of threads.
//!
//! The postings also carry the term weights, so scanning them yields, per candidate, the part of
//! the dot product over terms in both top lists. All weights being non-negative, the rest of the
//! cosine is at most `ρ(a) + ρ(b)` with `ρ(x) = ‖x outside its top terms‖ / ‖x‖` (Cauchy–Schwarz),
//! so a candidate whose partial cosine plus that bound cannot reach the best exact cosine found
//! so far is not compared in full; for rows with at most `top_m` terms the bound is 0. The result
//! is the one exact cosines to every candidate would give.
//!
//! The index holds `top_m` entries of 8 bytes per article (80 MB for 1M articles at
//! `top_m = 10`); each thread keeps 8 bytes per article of scratch. Measured (ignored test
//! `one_million_articles`, release build, 2 threads): 1M synthetic articles over one year with
//! skewed background vocabulary, 9 s.
//!
//! # Threshold
//!
//! The default 0.2 is a starting point for cosine between L2-normalised TF-IDF rows of short news
//! texts: two reports of one event typically share the rare names and places that dominate such
//! rows, while unrelated articles of one week rarely reach 0.2. Tune it on labelled streams
//! (B-cubed F1); a higher threshold gives more, smaller stories.
//!
//! # Edge cases
//!
//! Undated articles are skipped (no story, counted in [`Stories::skipped_undated`]). An article
//! with an empty row has no candidates and starts a one-article story. Ties in similarity go to
//! the most recent candidate. Story ids follow the order of their first articles.

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use super::terms::{self, row, ScoredTerm};
use crate::{Error, Result};

/// Number of top terms joined into a story's label.
pub const LABEL_TERMS: usize = 3;

/// Everything [`detect_stories`] reads.
#[derive(Clone, Copy, Debug)]
pub struct StoryInput<'a> {
    /// Date of each article; undated articles are skipped.
    pub dates: &'a [Option<NaiveDate>],
    /// Topic of each article, if known (for each story's majority topic).
    pub topics: Option<&'a [usize]>,
    /// TF-IDF rows, CSR, one per article (`n_docs × n_terms`).
    pub matrix: &'a CsMat<f32>,
    /// Display label of each column.
    pub labels: &'a [String],
}

/// Checked settings of [`detect_stories`]; build them with [`StoryParams`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidStoryParams {
    window_days: u32,
    threshold: f32,
    top_m: usize,
    max_postings: usize,
    max_terms: usize,
}

impl ValidStoryParams {
    /// Days back an article is compared (`0 ≤ date(a) − date(b) ≤ window_days`).
    pub fn window_days(&self) -> u32 {
        self.window_days
    }
    /// Cosine below which an article starts a new story.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }
    /// Terms per article in the index.
    pub fn top_m(&self) -> usize {
        self.top_m
    }
    /// Most recent postings scanned per query term.
    pub fn max_postings(&self) -> usize {
        self.max_postings
    }
    /// Terms listed per story.
    pub fn max_terms(&self) -> usize {
        self.max_terms
    }
}

/// Unchecked settings of [`detect_stories`] (a builder; see [`StoryParams::new`] for defaults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryParams(ValidStoryParams);

impl Default for StoryParams {
    fn default() -> Self {
        Self::new()
    }
}

impl StoryParams {
    /// Defaults:
    ///
    /// | setting | default | meaning |
    /// |---|---|---|
    /// | `window_days` | 7 | days back an article is compared (`1..=36500`) |
    /// | `threshold` | 0.2 | cosine below which an article starts a story (`0 < t ≤ 1`) |
    /// | `top_m` | 10 | terms per article in the inverted index (`≥ 1`) |
    /// | `max_postings` | 2000 | most recent postings scanned per query term (`≥ 1`) |
    /// | `max_terms` | 8 | terms listed per story |
    pub fn new() -> Self {
        StoryParams(ValidStoryParams {
            window_days: 7,
            threshold: 0.2,
            top_m: 10,
            max_postings: 2000,
            max_terms: 8,
        })
    }
    /// Days back an article is compared.
    pub fn window_days(mut self, days: u32) -> Self {
        self.0.window_days = days;
        self
    }
    /// Cosine below which an article starts a new story.
    pub fn threshold(mut self, t: f32) -> Self {
        self.0.threshold = t;
        self
    }
    /// Terms per article in the index.
    pub fn top_m(mut self, m: usize) -> Self {
        self.0.top_m = m;
        self
    }
    /// Most recent postings scanned per query term.
    pub fn max_postings(mut self, n: usize) -> Self {
        self.0.max_postings = n;
        self
    }
    /// Terms listed per story.
    pub fn max_terms(mut self, n: usize) -> Self {
        self.0.max_terms = n;
        self
    }

    /// Validates the settings, returning the first invalid one as [`Error::InvalidParam`].
    pub fn check_ref(&self) -> Result<&ValidStoryParams> {
        let p = &self.0;
        if !(1..=36500).contains(&p.window_days) {
            return Err(Error::param(
                "story-window",
                p.window_days,
                "must be between 1 and 36500 days",
            ));
        }
        if !(p.threshold > 0.0 && p.threshold <= 1.0) {
            return Err(Error::param(
                "story-threshold",
                p.threshold,
                "must be in (0, 1]",
            ));
        }
        if p.top_m == 0 {
            return Err(Error::param(
                "story-top-terms",
                p.top_m,
                "must be at least 1",
            ));
        }
        if p.max_postings == 0 {
            return Err(Error::param(
                "story-max-postings",
                p.max_postings,
                "must be at least 1",
            ));
        }
        Ok(p)
    }

    /// Validates the settings (see [`StoryParams::check_ref`]).
    pub fn check(self) -> Result<ValidStoryParams> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// The nearest earlier article of an article within the window.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Neighbour {
    /// Article index of the neighbour.
    pub article: usize,
    /// Cosine similarity to it.
    pub similarity: f32,
}

/// A story: articles linked by nearest neighbours, started by its first article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Story id (stories are numbered in the order of their first articles).
    pub id: usize,
    /// The article that started it.
    pub first_article: usize,
    /// Number of articles.
    pub size: usize,
    /// Date of the first article.
    pub start: NaiveDate,
    /// Date of the last article.
    pub end: NaiveDate,
    /// Article indices, in date order (ties by index).
    pub articles: Vec<usize>,
    /// The top three terms joined by ", ".
    pub label: String,
    /// Top terms by summed TF-IDF weight over the story's articles (`score` = that sum).
    pub terms: Vec<ScoredTerm>,
    /// Topic most of its articles belong to (smallest id on ties), if topics were given.
    pub topic: Option<usize>,
    /// Share of its articles in that topic.
    pub topic_share: Option<f32>,
}

/// Result of [`detect_stories`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stories {
    /// All stories, by id.
    pub stories: Vec<Story>,
    /// Story id of each article (`None` for undated articles).
    pub story_of: Vec<Option<usize>>,
    /// Nearest earlier article in the window of each article, whether or not it passed the
    /// threshold (`None` without candidates or without a date).
    pub nearest: Vec<Option<Neighbour>>,
    /// Articles skipped for lack of a date.
    pub skipped_undated: usize,
}

/// The `m` columns with the largest positive weights of a row (ties by column), with weights.
fn top_columns(cols: &[usize], vals: &[f32], m: usize) -> Vec<(u32, f32)> {
    let mut idx: Vec<usize> = (0..cols.len()).filter(|&k| vals[k] > 0.0).collect();
    idx.sort_by(|&a, &b| vals[b].total_cmp(&vals[a]).then(cols[a].cmp(&cols[b])));
    idx.truncate(m);
    idx.into_iter().map(|k| (cols[k] as u32, vals[k])).collect()
}

/// Margin for rounding when pruning candidates by their bound (cosines are in `[0, 1]`, summed
/// in `f32`).
const BOUND_SLACK: f32 = 1e-4;

/// Per-thread buffers of the neighbour search.
struct Scratch {
    /// The query row, dense (zero outside the query's columns).
    query: Vec<f32>,
    /// Partial dot products by position, valid where `stamp` equals the query position.
    acc: Vec<f32>,
    stamp: Vec<u32>,
    /// Candidate positions of the current query.
    touched: Vec<u32>,
}

/// Single-pass first-story detection (see the module docs).
///
/// Checks `params` and the input (a CSR matrix with one row per article and one label per
/// column, fewer than 2³² columns and articles, one topic per article if topics are given).
pub fn detect_stories(input: &StoryInput, params: &StoryParams) -> Result<Stories> {
    let p = params.check_ref()?;
    let m = input.matrix;
    let n_docs = input.dates.len();
    super::check_matrix(m, input.labels, n_docs)?;
    if let Some(t) = input.topics {
        if t.len() != n_docs {
            return Err(Error::param(
                "articles",
                format!("{n_docs} dates, {} topics", t.len()),
                "one topic per article is needed",
            ));
        }
    }
    if m.cols() > u32::MAX as usize || n_docs > u32::MAX as usize {
        return Err(Error::param(
            "matrix",
            format!("{} × {}", m.rows(), m.cols()),
            "too large",
        ));
    }

    // Processing order: dated articles by date, then index.
    let mut order: Vec<usize> = (0..n_docs).filter(|&i| input.dates[i].is_some()).collect();
    order.sort_by_key(|&i| (input.dates[i], i));
    let n = order.len();
    let day: Vec<i32> = order
        .iter()
        .map(|&i| input.dates[i].map_or(0, |d| d.num_days_from_ce()))
        .collect();
    let norms: Vec<f32> = order
        .par_iter()
        .map(|&i| row(m, i).1.iter().map(|v| v * v).sum::<f32>().sqrt())
        .collect();

    // Inverted index over each article's top terms; posting lists hold positions in `order`
    // (increasing, because they are filled in that order) and the term's weight there.
    let tops: Vec<Vec<(u32, f32)>> = order
        .par_iter()
        .map(|&i| {
            let (cols, vals) = row(m, i);
            top_columns(cols, vals, p.top_m)
        })
        .collect();
    // Norm of the part of each row outside its top terms, relative to the row's norm.
    let rest: Vec<f32> = (0..n)
        .into_par_iter()
        .map(|pos| {
            let top: f32 = tops[pos].iter().map(|&(_, v)| v * v).sum();
            if norms[pos] > 0.0 {
                ((norms[pos] * norms[pos] - top).max(0.0)).sqrt() / norms[pos]
            } else {
                0.0
            }
        })
        .collect();
    let mut offsets = vec![0usize; m.cols() + 1];
    for &(t, _) in tops.iter().flatten() {
        offsets[t as usize + 1] += 1;
    }
    for c in 0..m.cols() {
        offsets[c + 1] += offsets[c];
    }
    let mut fill = offsets.clone();
    let mut post_pos = vec![0u32; offsets[m.cols()]];
    let mut post_w = vec![0f32; offsets[m.cols()]];
    for (pos, ts) in tops.iter().enumerate() {
        for &(t, w) in ts {
            post_pos[fill[t as usize]] = pos as u32;
            post_w[fill[t as usize]] = w;
            fill[t as usize] += 1;
        }
    }
    drop(fill);

    // First position inside each article's window.
    let window = p.window_days as i32;
    let mut win_lo = vec![0usize; n];
    let mut lo = 0;
    for pos in 0..n {
        while day[pos] - day[lo] > window {
            lo += 1;
        }
        win_lo[pos] = lo;
    }

    // Nearest earlier neighbour of every article, in parallel. For each candidate `x` the
    // postings give the partial dot product over the terms in both top lists; the rest of the
    // dot product is at most `rest[pos] + rest[x]` (Cauchy–Schwarz on the parts outside the top
    // lists, all weights being non-negative), so only candidates whose bound can reach the best
    // exact cosine so far get an exact cosine. The winner is the one an exact cosine to every
    // candidate would give.
    let best: Vec<Option<(usize, f32)>> = (0..n)
        .into_par_iter()
        .with_min_len(256)
        .map_init(
            || Scratch {
                query: vec![0f32; m.cols()],
                acc: vec![0f32; n],
                stamp: vec![u32::MAX; n],
                touched: Vec::new(),
            },
            |sc, pos| {
                if norms[pos] == 0.0 {
                    return None;
                }
                sc.touched.clear();
                for &(t, qw) in &tops[pos] {
                    let range = offsets[t as usize]..offsets[t as usize + 1];
                    let list = &post_pos[range.clone()];
                    let hi = list.partition_point(|&x| (x as usize) < pos);
                    let lo = list
                        .partition_point(|&x| (x as usize) < win_lo[pos])
                        .max(hi.saturating_sub(p.max_postings));
                    for (&x, &w) in list[lo..hi].iter().zip(&post_w[range][lo..hi]) {
                        let x = x as usize;
                        if sc.stamp[x] != pos as u32 {
                            sc.stamp[x] = pos as u32;
                            sc.acc[x] = 0.0;
                            sc.touched.push(x as u32);
                        }
                        sc.acc[x] += qw * w;
                    }
                }
                if sc.touched.is_empty() {
                    return None;
                }
                let (qc, qv) = row(m, order[pos]);
                for (&c, &v) in qc.iter().zip(qv) {
                    sc.query[c] = v;
                }
                let exact = |query: &[f32], x: usize| {
                    let (cc, cv) = row(m, order[x]);
                    let dot: f32 = cc.iter().zip(cv).map(|(&c, &v)| query[c] * v).sum();
                    dot / (norms[pos] * norms[x])
                };
                // Start from the largest partial cosine: its exact cosine is at least as large.
                let partial = |x: usize| sc.acc[x] / (norms[pos] * norms[x]);
                let first =
                    sc.touched
                        .iter()
                        .map(|&x| x as usize)
                        .fold(None::<(usize, f32)>, |b, x| {
                            let v = partial(x);
                            match b {
                                Some((_, bv)) if bv >= v => b,
                                _ => Some((x, v)),
                            }
                        });
                let mut best = first.map(|(x, _)| (x, exact(&sc.query, x)));
                for &x in &sc.touched {
                    let x = x as usize;
                    let Some((bx, bs)) = best else { break };
                    if x == bx || partial(x) + rest[pos] + rest[x] + BOUND_SLACK < bs {
                        continue;
                    }
                    let sim = exact(&sc.query, x);
                    if sim > bs || (sim == bs && x > bx) {
                        best = Some((x, sim));
                    }
                }
                for &c in qc {
                    sc.query[c] = 0.0;
                }
                best
            },
        )
        .collect();

    // Story assignment, sequentially in date order.
    let mut story_pos: Vec<usize> = Vec::with_capacity(n);
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (pos, b) in best.iter().enumerate() {
        let id = match *b {
            Some((x, sim)) if sim >= p.threshold => story_pos[x],
            _ => {
                members.push(Vec::new());
                members.len() - 1
            }
        };
        story_pos.push(id);
        members[id].push(order[pos]);
    }

    let mut story_of = vec![None; n_docs];
    let mut nearest = vec![None; n_docs];
    for pos in 0..n {
        story_of[order[pos]] = Some(story_pos[pos]);
        nearest[order[pos]] = best[pos].map(|(x, similarity)| Neighbour {
            article: order[x],
            similarity,
        });
    }

    let stories = members
        .into_par_iter()
        .enumerate()
        .map(|(id, articles)| {
            let terms = terms::top_terms(m, &articles, input.labels, p.max_terms.max(LABEL_TERMS));
            let label = terms
                .iter()
                .take(LABEL_TERMS)
                .map(|t| t.term.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let mut terms = terms;
            terms.truncate(p.max_terms);
            let (topic, topic_share) = match input.topics {
                Some(topics) => {
                    let mut counts: Vec<(usize, usize)> = Vec::new();
                    let mut ts: Vec<usize> = articles.iter().map(|&a| topics[a]).collect();
                    ts.sort_unstable();
                    for t in ts {
                        match counts.last_mut() {
                            Some((k, c)) if *k == t => *c += 1,
                            _ => counts.push((t, 1)),
                        }
                    }
                    // Largest count, smallest topic id on ties (counts is sorted by topic).
                    let (k, c) = counts
                        .iter()
                        .fold((0, 0), |acc, &(k, c)| if c > acc.1 { (k, c) } else { acc });
                    (Some(k), Some(c as f32 / articles.len() as f32))
                }
                None => (None, None),
            };
            let date = |a: usize| input.dates[a].expect("stories hold dated articles");
            Story {
                id,
                first_article: articles[0],
                size: articles.len(),
                start: date(articles[0]),
                end: date(articles[articles.len() - 1]),
                label,
                terms,
                topic,
                topic_share,
                articles,
            }
        })
        .collect();

    Ok(Stories {
        stories,
        story_of,
        nearest,
        skipped_undated: n_docs - n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::tests::{day, sparse, Lcg};

    /// B-cubed precision, recall and F1 of `pred` against `gold` (Bagga & Baldwin 1998), over
    /// the items both label.
    fn bcubed(pred: &[Option<usize>], gold: &[Option<usize>]) -> (f64, f64, f64) {
        let items: Vec<usize> = (0..pred.len())
            .filter(|&i| pred[i].is_some() && gold[i].is_some())
            .collect();
        let (mut p, mut r) = (0.0, 0.0);
        for &i in &items {
            let same_pred: Vec<usize> = items
                .iter()
                .copied()
                .filter(|&j| pred[j] == pred[i])
                .collect();
            let same_gold = items.iter().filter(|&&j| gold[j] == gold[i]).count();
            let both = same_pred.iter().filter(|&&j| gold[j] == gold[i]).count();
            p += both as f64 / same_pred.len() as f64;
            r += both as f64 / same_gold as f64;
        }
        let (p, r) = (p / items.len() as f64, r / items.len() as f64);
        (p, r, 2.0 * p * r / (p + r))
    }

    const LABELS: [&str; 10] = [
        "quake",
        "Chile",
        "tsunami",
        "election",
        "vote",
        "Senate",
        "fire",
        "forest",
        "California",
        "news",
    ];

    /// The hand-made stream: (day, row, gold story). Gold stories: A quake in Chile (days 1–3),
    /// B election (days 1–2), C forest fire (days 3–4), D another quake (days 20 and 27, the
    /// second exactly 7 days later), E election (day 21), F election again (day 29: 8 days after
    /// E, outside the window), G unrelated (day 29), H an article with no terms (day 30).
    /// Article 7 has no date.
    #[allow(clippy::type_complexity)]
    fn stream() -> (
        Vec<Option<NaiveDate>>,
        Vec<Vec<(usize, f32)>>,
        Vec<Option<usize>>,
    ) {
        let items: Vec<(Option<i64>, Vec<(usize, f32)>, Option<usize>)> = vec![
            (Some(1), vec![(0, 1.0), (1, 1.0)], Some(0)),
            (Some(1), vec![(3, 1.0), (4, 1.0)], Some(1)),
            (Some(2), vec![(0, 1.0), (1, 0.5), (2, 1.0)], Some(0)),
            (Some(2), vec![(3, 0.5), (4, 1.0), (5, 1.0)], Some(1)),
            (Some(3), vec![(6, 1.0), (7, 1.0)], Some(2)),
            (Some(3), vec![(0, 1.0), (1, 1.0), (9, 0.3)], Some(0)),
            (Some(4), vec![(6, 1.0), (7, 0.5), (8, 1.0)], Some(2)),
            (None, vec![(0, 1.0)], None),
            (Some(20), vec![(0, 1.0), (1, 1.0)], Some(3)),
            (Some(21), vec![(3, 1.0), (4, 1.0)], Some(4)),
            (Some(27), vec![(0, 1.0), (1, 1.0), (2, 1.0)], Some(3)),
            (Some(29), vec![(3, 1.0), (4, 1.0)], Some(5)),
            (Some(29), vec![(5, 1.0), (6, 1.0)], Some(6)),
            (Some(30), vec![], Some(7)),
        ];
        let dates = items.iter().map(|x| x.0.map(day)).collect();
        let rows = items.iter().map(|x| x.1.clone()).collect();
        let gold = items.iter().map(|x| x.2).collect();
        (dates, rows, gold)
    }

    #[test]
    fn hand_made_stream_has_the_known_story_boundaries() {
        let (dates, rows, gold) = stream();
        let m = sparse(&rows, 10);
        let labels: Vec<String> = LABELS.iter().map(|s| s.to_string()).collect();
        let topics = [0, 1, 0, 1, 2, 0, 2, 0, 0, 1, 0, 1, 2, 2];
        let input = StoryInput {
            dates: &dates,
            topics: Some(&topics),
            matrix: &m,
            labels: &labels,
        };
        let s = detect_stories(&input, &StoryParams::new()).unwrap();
        // Cosines (rows L2-normalised): a2·a0 = (1 + 0.5) / (√2 · 1.5) = 0.7071; a3·a1 = 0.7071;
        // a5·a0 = 2 / (√2 · √2.09) = 0.9782 (a5·a2 = 0.6917); a6·a4 = 0.7071;
        // a10·a8 = 2 / (√2 · √3) = 0.8165; a8, a9, a11, a12 have no neighbour sharing a term in
        // their windows.
        let expected = [0, 1, 0, 1, 2, 0, 2, usize::MAX, 3, 4, 3, 5, 6, 7];
        let got: Vec<usize> = s.story_of.iter().map(|x| x.unwrap_or(usize::MAX)).collect();
        assert_eq!(got, expected);
        assert_eq!(s.skipped_undated, 1);
        assert_eq!(s.stories.len(), 8);
        let a = &s.stories[0];
        assert_eq!(
            (a.first_article, a.size, a.start, a.end),
            (0, 3, day(1), day(3))
        );
        assert_eq!(a.articles, vec![0, 2, 5]);
        // Summed weights: quake 0.7071 + 0.6667 + 0.6917 = 2.0655, Chile 0.7071 + 0.3333 + 0.6917
        // = 1.7322, tsunami 0.6667, news 0.2075.
        assert_eq!(a.label, "quake, Chile, tsunami");
        assert!((a.terms[0].score - 2.0655).abs() < 1e-3);
        assert_eq!((a.topic, a.topic_share), (Some(0), Some(1.0)));
        assert_eq!(s.stories[3].articles, vec![8, 10]);
        assert_eq!(s.stories[3].end, day(27));
        assert_eq!(s.stories[7].label, "");
        let n5 = s.nearest[5].unwrap();
        assert_eq!(n5.article, 0);
        assert!((n5.similarity - 0.9782).abs() < 1e-3);
        assert!(s.nearest[8].is_none() && s.nearest[13].is_none());
        // Perfect against the gold stories.
        let pred: Vec<Option<usize>> = s.story_of.clone();
        assert_eq!(bcubed(&pred, &gold), (1.0, 1.0, 1.0));
        assert!(serde_json::to_string(&s).is_ok());
    }

    #[test]
    fn bcubed_of_a_strict_threshold() {
        // At threshold 0.75 the 0.7071 links break: a2, a3 and a6 start stories of their own.
        // Precision stays 1; recall per item: a0, a5 2/3; a2 1/3; a1, a3, a4, a6 1/2; the other
        // six 1 → R = (2/3 + 2/3 + 1/3 + 4 · 1/2 + 6) / 13 = 9.6667 / 13 = 0.743590,
        // F1 = 2R / (1 + R) = 0.852941.
        let (dates, rows, gold) = stream();
        let m = sparse(&rows, 10);
        let labels: Vec<String> = LABELS.iter().map(|s| s.to_string()).collect();
        let input = StoryInput {
            dates: &dates,
            topics: None,
            matrix: &m,
            labels: &labels,
        };
        let s = detect_stories(&input, &StoryParams::new().threshold(0.75)).unwrap();
        let (p, r, f) = bcubed(&s.story_of, &gold);
        assert_eq!(p, 1.0);
        assert!((r - 0.743590).abs() < 1e-6, "{r}");
        assert!((f - 0.852941).abs() < 1e-6, "{f}");
        assert!(s.stories.iter().all(|x| x.topic.is_none()));
    }

    /// A random stream: 400 articles over 40 days, 25 latent stories with 4 terms each, plus
    /// background terms.
    fn random_stream(seed: u64) -> (Vec<Option<NaiveDate>>, CsMat<f32>, Vec<String>) {
        let mut rng = Lcg(seed);
        let mut dates = Vec::new();
        let mut rows = Vec::new();
        for _ in 0..400 {
            let story = (rng.uniform() * 25.0) as usize;
            let d = (story as f64 * 1.5 + rng.uniform() * 6.0) as i64;
            dates.push(if rng.uniform() < 0.05 {
                None
            } else {
                Some(day(d))
            });
            let mut row: Vec<(usize, f32)> = Vec::new();
            for k in 0..4 {
                if rng.uniform() < 0.7 {
                    row.push((story * 4 + k, 0.2 + rng.uniform() as f32));
                }
            }
            for _ in 0..2 {
                let c = 100 + (rng.uniform() * 20.0) as usize;
                if row.iter().all(|x| x.0 != c) {
                    row.push((c, 0.1 + 0.3 * rng.uniform() as f32));
                }
            }
            rows.push(row);
        }
        let labels = (0..120).map(|i| format!("t{i}")).collect();
        (dates, sparse(&rows, 120), labels)
    }

    /// Exhaustive reference: every earlier article in the window that shares one of the top
    /// `top_m` terms with the query gets an exact cosine; ties go to the later article.
    #[allow(clippy::type_complexity)]
    fn reference(
        dates: &[Option<NaiveDate>],
        m: &CsMat<f32>,
        top_m: usize,
    ) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
        let mut order: Vec<usize> = (0..dates.len()).filter(|&i| dates[i].is_some()).collect();
        order.sort_by_key(|&i| (dates[i], i));
        let top = |i: usize| -> Vec<u32> {
            let (c, v) = row(m, i);
            top_columns(c, v, top_m).into_iter().map(|x| x.0).collect()
        };
        let norm = |i: usize| row(m, i).1.iter().map(|v| v * v).sum::<f32>().sqrt();
        let mut story: Vec<Option<usize>> = vec![None; dates.len()];
        let mut nearest: Vec<Option<usize>> = vec![None; dates.len()];
        let mut next_id = 0;
        for (p, &a) in order.iter().enumerate() {
            let mut q = vec![0f32; m.cols()];
            let (qc, qv) = row(m, a);
            for (&c, &w) in qc.iter().zip(qv) {
                q[c] = w;
            }
            let ta = top(a);
            let mut best: Option<(usize, f32)> = None;
            for &b in &order[..p] {
                if (dates[a].unwrap() - dates[b].unwrap()).num_days() > 7
                    || !top(b).iter().any(|t| ta.contains(t))
                {
                    continue;
                }
                let (cc, cv) = row(m, b);
                let dot: f32 = cc.iter().zip(cv).map(|(&c, &v)| q[c] * v).sum();
                let sim = dot / (norm(a) * norm(b));
                if best.is_none_or(|(_, s)| sim >= s) {
                    best = Some((b, sim));
                }
            }
            story[a] = match best {
                Some((b, sim)) if sim >= 0.2 => story[b],
                _ => {
                    next_id += 1;
                    Some(next_id - 1)
                }
            };
            nearest[a] = best.map(|b| b.0);
        }
        (story, nearest)
    }

    #[test]
    fn index_search_equals_exhaustive_search_when_unbounded() {
        let (dates, m, labels) = random_stream(3);
        let input = StoryInput {
            dates: &dates,
            topics: None,
            matrix: &m,
            labels: &labels,
        };
        for top_m in [1000, 3, 1] {
            // top_m = 1000 covers whole rows; 3 and 1 leave parts of rows out of the index, so
            // the pruning bound is used.
            let s = detect_stories(
                &input,
                &StoryParams::new().top_m(top_m).max_postings(1_000_000),
            )
            .unwrap();
            let (story, nearest) = reference(&dates, &m, top_m);
            assert_eq!(
                s.nearest
                    .iter()
                    .map(|n| n.map(|n| n.article))
                    .collect::<Vec<_>>(),
                nearest,
                "top_m {top_m}"
            );
            assert_eq!(s.story_of, story, "top_m {top_m}");
        }
    }

    #[test]
    fn capped_index_stays_close_to_exhaustive() {
        let (dates, m, labels) = random_stream(5);
        let input = StoryInput {
            dates: &dates,
            topics: None,
            matrix: &m,
            labels: &labels,
        };
        let full = detect_stories(
            &input,
            &StoryParams::new().top_m(1000).max_postings(1_000_000),
        )
        .unwrap();
        let capped = detect_stories(&input, &StoryParams::new().top_m(2).max_postings(5)).unwrap();
        let (_, _, f) = bcubed(&capped.story_of, &full.story_of);
        assert!(
            f > 0.8,
            "B-cubed F1 of the capped search against the exhaustive one: {f}"
        );
    }

    #[test]
    fn result_does_not_depend_on_threads() {
        let (dates, m, labels) = random_stream(9);
        let input = StoryInput {
            dates: &dates,
            topics: None,
            matrix: &m,
            labels: &labels,
        };
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| detect_stories(&input, &StoryParams::new()).unwrap())
        };
        assert_eq!(run(1), run(4));
    }

    #[test]
    fn rejects_bad_input() {
        let (dates, rows, _) = stream();
        let m = sparse(&rows, 10);
        let labels: Vec<String> = LABELS.iter().map(|s| s.to_string()).collect();
        let input = StoryInput {
            dates: &dates[..5],
            topics: None,
            matrix: &m,
            labels: &labels,
        };
        assert!(detect_stories(&input, &StoryParams::new()).is_err());
        let input = StoryInput {
            dates: &dates,
            topics: None,
            matrix: &m,
            labels: &labels[..3],
        };
        assert!(detect_stories(&input, &StoryParams::new()).is_err());
        let input = StoryInput {
            dates: &dates,
            topics: Some(&[0, 1]),
            matrix: &m,
            labels: &labels,
        };
        assert!(detect_stories(&input, &StoryParams::new()).is_err());
        let csc = m.to_csc();
        let input = StoryInput {
            dates: &dates,
            topics: None,
            matrix: &csc,
            labels: &labels,
        };
        assert!(detect_stories(&input, &StoryParams::new()).is_err());
    }

    fn param_error(r: Result<ValidStoryParams>) -> &'static str {
        match r {
            Err(Error::InvalidParam { name, .. }) => name,
            other => panic!("expected an invalid setting, got {other:?}"),
        }
    }

    #[test]
    fn default_params_are_valid() {
        let p = StoryParams::default().check().unwrap();
        assert_eq!(
            (
                p.window_days(),
                p.threshold(),
                p.top_m(),
                p.max_postings(),
                p.max_terms()
            ),
            (7, 0.2, 10, 2000, 8)
        );
    }

    #[test]
    fn params_reject_window() {
        assert_eq!(
            param_error(StoryParams::new().window_days(0).check()),
            "story-window"
        );
    }

    #[test]
    fn params_reject_threshold() {
        assert_eq!(
            param_error(StoryParams::new().threshold(0.0).check()),
            "story-threshold"
        );
        assert_eq!(
            param_error(StoryParams::new().threshold(1.5).check()),
            "story-threshold"
        );
        assert_eq!(
            param_error(StoryParams::new().threshold(f32::NAN).check()),
            "story-threshold"
        );
    }

    #[test]
    fn params_reject_top_terms() {
        assert_eq!(
            param_error(StoryParams::new().top_m(0).check()),
            "story-top-terms"
        );
    }

    #[test]
    fn params_reject_max_postings() {
        assert_eq!(
            param_error(StoryParams::new().max_postings(0).check()),
            "story-max-postings"
        );
    }

    /// Speed on a million synthetic articles (run with `cargo test --release --lib
    /// events::stories -- --ignored --nocapture`). One year, ~2,700 articles a day, 3,000
    /// stories alive at any time (one new story per 40 articles), each article 4 of its story's 6
    /// terms and 4 of 5,000 background terms drawn with a skew towards the common ones.
    #[test]
    #[ignore]
    fn one_million_articles() {
        let n = 1_000_000usize;
        let n_terms = 400_000usize;
        let mut rng = Lcg(42);
        let mut active: Vec<usize> = (0..3000).collect();
        let mut next_story = 3000;
        let (mut indptr, mut indices, mut data) = (vec![0usize], Vec::new(), Vec::new());
        let mut dates = Vec::with_capacity(n);
        let mut gold = Vec::with_capacity(n);
        for i in 0..n {
            if rng.uniform() < 0.025 {
                let slot = (rng.uniform() * active.len() as f64) as usize;
                active[slot] = next_story;
                next_story += 1;
            }
            let story = active[(rng.uniform() * active.len() as f64) as usize];
            gold.push(Some(story));
            dates.push(Some(day((i * 365 / n) as i64)));
            let mut row: Vec<(usize, f32)> = Vec::new();
            for k in 0..6 {
                if rng.uniform() < 0.67 {
                    row.push((
                        5000 + (story * 6 + k) % (n_terms - 5000),
                        0.5 + rng.uniform() as f32,
                    ));
                }
            }
            for _ in 0..4 {
                let u = rng.uniform();
                let c = (u * u * u * 5000.0) as usize;
                if row.iter().all(|x| x.0 != c) {
                    row.push((c, 0.05 + 0.2 * rng.uniform() as f32));
                }
            }
            row.sort_by_key(|x| x.0);
            let norm = row.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            for (c, w) in row {
                indices.push(c);
                data.push(w / norm);
            }
            indptr.push(indices.len());
        }
        let m = CsMat::new((n, n_terms), indptr, indices, data);
        let labels: Vec<String> = (0..n_terms).map(|i| format!("t{i}")).collect();
        let input = StoryInput {
            dates: &dates,
            topics: None,
            matrix: &m,
            labels: &labels,
        };
        let start = std::time::Instant::now();
        let s = detect_stories(&input, &StoryParams::new()).unwrap();
        let secs = start.elapsed().as_secs_f64();
        let (p, r, f) = bcubed_sampled(&s.story_of, &gold, 20_000);
        eprintln!(
            "{n} articles, {} threads: {secs:.2} s, {} stories (gold {next_story}); B-cubed on a \
             20,000-article sample: P {p:.3} R {r:.3} F1 {f:.3}",
            rayon::current_num_threads(),
            s.stories.len()
        );
    }

    /// B-cubed over a deterministic sample of items (cluster sizes from the full labelling).
    fn bcubed_sampled(pred: &[Option<usize>], gold: &[Option<usize>], k: usize) -> (f64, f64, f64) {
        use ahash::AHashMap;
        let mut pair: AHashMap<(usize, usize), usize> = AHashMap::new();
        let mut ps: AHashMap<usize, usize> = AHashMap::new();
        let mut gs: AHashMap<usize, usize> = AHashMap::new();
        for (p, g) in pred.iter().zip(gold) {
            if let (Some(p), Some(g)) = (p, g) {
                *pair.entry((*p, *g)).or_default() += 1;
                *ps.entry(*p).or_default() += 1;
                *gs.entry(*g).or_default() += 1;
            }
        }
        let step = (pred.len() / k).max(1);
        let (mut pr, mut re, mut cnt) = (0.0, 0.0, 0.0);
        for i in (0..pred.len()).step_by(step) {
            if let (Some(p), Some(g)) = (pred[i], gold[i]) {
                let both = pair[&(p, g)] as f64;
                pr += both / ps[&p] as f64;
                re += both / gs[&g] as f64;
                cnt += 1.0;
            }
        }
        let (p, r) = (pr / cnt, re / cnt);
        (p, r, 2.0 * p * r / (p + r))
    }
}
