//! First-story detection: which articles start a new story, and which story each other article
//! continues.
//!
//! Single-pass clustering in date order, as in the TDT systems of UMass (Allan, J., Papka, R. &
//! Lavrenko, V. (1998). *On-line new event detection and tracking.* SIGIR '98, pp. 37–45) and
//! CMU (Yang, Y., Pierce, T. & Carbonell, J. (1998). *A study on retrospective and on-line event
//! detection.* SIGIR '98, pp. 28–36). Articles are taken in date order (ties by article index);
//! `n` is the number of dated articles.
//!
//! # Event vectors and similarity
//!
//! Article `a` is represented by its *event vector* `e_a`: the `top_m` largest weights of its
//! TF-IDF row (ties by column; default 50), scaled to unit length. Two articles are as similar
//! as their event vectors: `s(a, b) = e_a · e_b`, a cosine in `[0, 1]`. For news articles of a
//! few paragraphs 50 terms hold most of a row's weight; longer texts lose their faintest terms.
//! Keeping the most heavily weighted terms of each document and indexing them is the speed-up
//! of Luo, Tang & Yu (2007, *Resource-adaptive real-time new event detection*, SIGMOD '07).
//!
//! # Candidates: earlier articles that share a specific term
//!
//! ```text
//! N(a) = { b before a : 0 ≤ date(a) − date(b) ≤ window_days }     the window of a
//! W    = (1/n) Σ_a |N(a)|                                          articles per window
//! E(t) = df(t) · W / n                                             df over the n dated rows
//! t is specific  ⇔  E(t) ≤ max_window_df                          (every t when W < 1)
//! I(a) = the index_terms specific terms of e_a with the largest weights (ties by column)
//! C(a) = { b ∈ N(a) : I(a) ∩ I(b) ≠ ∅ }                           the candidates of a
//! ```
//!
//! `E(t)` is how many articles of a window carry `t` when `t` is spread evenly over time. A term
//! expected in many articles of every window ("net", "quarter", "shares" in company news) says
//! which kind of article this is, not which event it reports; two reports of one event share a
//! name, a place or a rare word. So only specific terms are indexed (default: at most 20 per
//! article), and articles that share nothing but common vocabulary are never compared. `E`
//! uses a term's frequency over the whole collection, so the key words of a burst stay specific
//! while it lasts. The similarity of two candidates is computed on their whole event vectors,
//! common terms included.
//!
//! The index is threaded through the articles: each entry (article, indexed term) points to the
//! previous article in date order indexed under the same term. Following these links from `a`'s
//! own entries lists its candidates newest first; a list stops at the start of the window, or
//! after `max_postings` links (default 2,000), which bounds the work per article however bursty
//! a term. As a specific term is expected in at most `max_window_df` articles of a window, the
//! candidates of an article by chance number at most about `index_terms · max_window_df`
//! whatever the size of the collection, so the work grows linearly with it.
//!
//! # Linking to a story
//!
//! The neighbours of `a` are its (up to) [`NEIGHBOURS`] most similar candidates (ties go to the
//! later article). Joining the story of the nearest neighbour alone (single link) chains: each
//! routine report resembles some earlier one. As in CMU's single-pass clustering, an article
//! must also resemble the story as a whole, through its centroid:
//!
//! ```text
//! c_S  = Σ_{b ∈ S, b before a} e_b                          centroid of story S when a arrives
//! S(a) = { story(b) : b a neighbour of a, s(a, b) ≥ threshold }
//! a joins the story S ∈ S(a) with the largest cos(e_a, c_S) if that is ≥ threshold,
//! and otherwise starts a new story.
//! ```
//!
//! Ties go to the story of the more similar neighbour. `e_a · c_S` is summed over the members of
//! stories of up to eight articles and read from the summed vector of larger ones; `‖c_S‖²` is
//! kept up to date as `‖c + e‖² = ‖c‖² + 2 c·e + ‖e‖²`. A story can run longer than the window
//! as long as it keeps being reported, but it cannot drift away from what it is about.
//!
//! # Defaults, measured
//!
//! `threshold` 0.2 is a starting point for cosines of news texts: two reports of one event share
//! the rare names and places that dominate their event vectors, while unrelated articles of one
//! week rarely reach 0.2. A higher threshold gives more, smaller stories; tune it on labelled
//! streams (B-cubed F1).
//!
//! On Reuters-21578 (20,841 dated articles, W ≈ 2,080, so with `max_window_df` 10 the terms of at
//! most 100 articles are specific) at threshold 0.2:
//!
//! | rule | largest story | articles alone | majority label* |
//! |---|---|---|---|
//! | single link, every term indexed (the rule before) | 4,137 | 8 % | 74 % |
//! | single link, specific terms | 252 | 27 % | 79 % |
//! | centroid, every term indexed | 2,319 | 11 % | 87 % |
//! | centroid, specific terms (`max_window_df` 10, default) | 133 | 29 % | 85 % |
//! | centroid, `max_window_df` 5 / 20 / 50 | 78 / 276 / 581 | 40 / 22 / 14 % | 87 / 85 / 86 % |
//!
//! \* share of the labelled articles of multi-article stories that carry their story's most
//! common Reuters TOPICS label. Under the default the largest stories are routine formats cut
//! into pieces of at most 133 articles, and events such as the International Coffee
//! Organization's quota talks (81 articles), GenCorp's takeover fight (50), the U.S. attack on
//! an Iranian oil platform (41) and the Tower report on the Iran arms affair (38).
//!
//! On the demo corpus (`data/articles.jsonl`) 52 of the 56 articles on the Kessel Bridge
//! collapse form one story. With `top_m` 10 they fell into 13 stories, the largest of 34:
//! short event vectors of longer articles keep each article's own rare words rather than the
//! story's. With `index_terms` 10 they split 38 + 14; from 20 on nothing changes on either
//! corpus, and on 1M generated articles indexing every specific term of the event vectors costs
//! about 10 % more search time than 20.
//!
//! # Speed and memory
//!
//! Event vectors are built in parallel in fixed chunks and stored in date order, so that a
//! window's articles lie together in memory. The neighbour searches read only earlier articles
//! and fixed data, so they run in parallel and their result does not depend on the number of
//! threads; linking runs sequentially in date order, and the stories are described in parallel,
//! each on its own. Memory: 8 bytes per event-vector entry (up to 400 MB for 1M articles at
//! `top_m` = 50), 8 per index entry (up to 160 MB at 20 per article), 32 bytes per article for the
//! neighbours, and the centroids of the stories that still have a member in the current window.
//! Measured (ignored test `one_million_articles`, release build, 2 threads): 1M synthetic
//! articles of 10 terms over one year, 1.2 s (the single-link index over full rows it replaced:
//! 7.2 s), B-cubed F1 against the planted stories 0.979 (0.981). On the 1M-article corpus of
//! `scripts/make-large-corpus` (real sentences, about 50 terms per row) story detection takes
//! about 4 s inside `analyze` (the index it replaced: about 115 s) and adds about 0.5 GB while it
//! runs.
//!
//! # Edge cases
//!
//! Undated articles are skipped (no story, counted in [`Stories::skipped_undated`]). An article
//! with an empty row, or whose terms are all common, has no candidates and starts a one-article
//! story. Story ids follow the order of their first articles. A story of one article keeps its
//! id, dates and topic but no label or terms ([`MIN_STORY_SIZE`]).

use ahash::AHashMap;
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use super::terms::{row, ScoredTerm, TermSums};
use crate::params::{param_guard, Checked, ParamGuard, Validate};
use crate::{Error, Result};

/// Number of top terms joined into a story's label.
pub const LABEL_TERMS: usize = 3;

/// Smallest story described (label, terms) and listed in the outputs: an article alone is not
/// a story. Describing the one-article stories too took half of the description time at 1M
/// generated articles (0.6 of 1.2 s for 586k of them), for labels no output showed.
pub const MIN_STORY_SIZE: usize = 2;

/// Most similar earlier articles kept per article; their stories are the ones it may join.
pub const NEIGHBOURS: usize = 4;

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

fn default_max_span_days() -> u32 {
    21
}

/// Settings of [`detect_stories`]; checked into [`ValidStoryParams`] by `check()`
/// ([`crate::params::ParamGuard`]). Defaults (see the module docs for how they were chosen):
///
/// | setting | default | meaning |
/// |---|---|---|
/// | `window_days` | 7 | days back an article is compared (`1..=36500`) |
/// | `max_span_days` | 21 | longest story, from its first article (`≥ 1`) |
/// | `threshold` | 0.2 | cosine below which an article starts a story (`0 < t ≤ 1`) |
/// | `top_m` | 50 | terms per event vector (`≥ 1`) |
/// | `index_terms` | 20 | specific terms per article in the index (`≥ 1`) |
/// | `max_window_df` | 10 | a term is specific if expected in at most this many articles of a window (`> 0`) |
/// | `max_postings` | 2000 | most recent postings read per indexed term (`≥ 1`) |
/// | `max_terms` | 8 | terms listed per story |
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryParams {
    /// Days back an article is compared (`0 ≤ date(a) − date(b) ≤ window_days`).
    pub window_days: u32,
    /// Longest span of a story in days: an article later than this after a story's first
    /// article starts a new story.
    #[serde(default = "default_max_span_days")]
    pub max_span_days: u32,
    /// Cosine below which an article starts a new story.
    pub threshold: f32,
    /// Terms per event vector.
    pub top_m: usize,
    /// Specific terms per article in the index.
    pub index_terms: usize,
    /// Largest expected number of window articles with a term for the term to be specific
    /// (`f64::INFINITY`: every term is).
    pub max_window_df: f64,
    /// Most recent postings read per indexed term.
    pub max_postings: usize,
    /// Terms listed per story.
    pub max_terms: usize,
}

impl Default for StoryParams {
    fn default() -> Self {
        StoryParams {
            window_days: 7,
            max_span_days: default_max_span_days(),
            threshold: 0.2,
            top_m: 50,
            index_terms: 20,
            max_window_df: 10.0,
            max_postings: 2000,
            max_terms: 8,
        }
    }
}

impl Validate for StoryParams {
    fn validate(&self) -> Result<()> {
        let p = self;
        if !(1..=36500).contains(&p.window_days) {
            return Err(Error::param(
                "stories.window_days",
                p.window_days,
                "must be between 1 and 36500 days",
            ));
        }
        if p.max_span_days == 0 {
            return Err(Error::param(
                "stories.max_span_days",
                p.max_span_days,
                "must be at least 1 day",
            ));
        }
        if !(p.threshold > 0.0 && p.threshold <= 1.0) {
            return Err(Error::param(
                "stories.threshold",
                p.threshold,
                "must be in (0, 1]",
            ));
        }
        if p.top_m == 0 {
            return Err(Error::param("stories.top_m", p.top_m, "must be at least 1"));
        }
        if p.index_terms == 0 {
            return Err(Error::param(
                "stories.index_terms",
                p.index_terms,
                "must be at least 1",
            ));
        }
        if p.max_window_df.is_nan() || p.max_window_df <= 0.0 {
            return Err(Error::param(
                "stories.max_window_df",
                p.max_window_df,
                "must be a number > 0",
            ));
        }
        if p.max_postings == 0 {
            return Err(Error::param(
                "stories.max_postings",
                p.max_postings,
                "must be at least 1",
            ));
        }
        Ok(())
    }
}

param_guard!(StoryParams);

/// Checked [`StoryParams`].
pub type ValidStoryParams = Checked<StoryParams>;

/// The nearest earlier article of an article within the window.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Neighbour {
    /// Article index of the neighbour.
    pub article: usize,
    /// Cosine similarity of the two event vectors.
    pub similarity: f32,
}

/// A story: articles linked to it one by one in date order, started by its first article.
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
    /// The top three terms joined by ", " (empty below [`MIN_STORY_SIZE`] articles).
    pub label: String,
    /// Top terms by summed TF-IDF weight over the story's articles (`score` = that sum; empty
    /// below [`MIN_STORY_SIZE`] articles).
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
    /// Most similar candidate of each article (an earlier article of its window indexed under
    /// one of its terms, see the module docs), whether or not it passed the threshold (`None`
    /// without candidates or without a date).
    pub nearest: Vec<Option<Neighbour>>,
    /// Articles skipped for lack of a date.
    pub skipped_undated: usize,
}

/// Event vectors of the dated articles in processing order, as CSR: columns increasing, unit
/// length. Stored in date order so that the articles of a window lie together in memory.
struct EventVectors {
    ptr: Vec<usize>,
    col: Vec<u32>,
    w: Vec<f32>,
}

/// Positions per chunk when building in parallel.
const CHUNK: usize = 4096;

impl EventVectors {
    /// The `top_m` largest positive weights of each row (ties by column), scaled to unit length,
    /// in the order of `order`; `rows` holds the same rows in index order. Lengths are counted
    /// over `rows` (sequential reads), then each chunk of positions fills its own part of the
    /// arrays.
    fn build(m: &CsMat<f32>, rows: &[usize], order: &[usize], top_m: usize) -> Self {
        let mut len_of_row = vec![0u32; m.rows()];
        let lens: Vec<u32> = rows
            .par_iter()
            .map(|&i| row(m, i).1.iter().filter(|&&v| v > 0.0).count().min(top_m) as u32)
            .collect();
        for (&i, &l) in rows.iter().zip(&lens) {
            len_of_row[i] = l;
        }
        let mut ptr = Vec::with_capacity(order.len() + 1);
        ptr.push(0usize);
        for &i in order {
            ptr.push(ptr[ptr.len() - 1] + len_of_row[i] as usize);
        }
        let total = ptr[order.len()];
        let (mut col, mut w) = (vec![0u32; total], vec![0f32; total]);
        // Disjoint slices of the output, one per chunk of positions.
        let mut parts = Vec::new();
        let (mut col_rest, mut w_rest) = (&mut col[..], &mut w[..]);
        for (k, chunk) in order.chunks(CHUNK).enumerate() {
            let lo = ptr[k * CHUNK];
            let hi = ptr[k * CHUNK + chunk.len()];
            let (c, cr) = std::mem::take(&mut col_rest).split_at_mut(hi - lo);
            let (v, vr) = std::mem::take(&mut w_rest).split_at_mut(hi - lo);
            col_rest = cr;
            w_rest = vr;
            parts.push((chunk, c, v));
        }
        parts.into_par_iter().for_each(|(chunk, col, w)| {
            // Key: weight descending (the bits of a positive f32 order like its value), then
            // column ascending.
            let mut buf: Vec<u64> = Vec::new();
            let mut at = 0;
            for &i in chunk {
                let (cols, vals) = row(m, i);
                buf.clear();
                buf.extend(
                    cols.iter()
                        .zip(vals)
                        .filter(|&(_, &v)| v > 0.0)
                        .map(|(&c, &v)| (u64::from(!v.to_bits()) << 32) | c as u64),
                );
                if buf.len() > top_m {
                    buf.select_nth_unstable(top_m - 1);
                    buf.truncate(top_m);
                }
                buf.sort_unstable_by_key(|&k| k as u32);
                let weight = |k: u64| f32::from_bits(!((k >> 32) as u32));
                let norm = buf
                    .iter()
                    .map(|&k| weight(k) * weight(k))
                    .sum::<f32>()
                    .sqrt();
                for (j, &k) in buf.iter().enumerate() {
                    col[at + j] = k as u32;
                    w[at + j] = weight(k) / norm;
                }
                at += buf.len();
            }
        });
        EventVectors { ptr, col, w }
    }

    /// The event vector of the article at position `pos` of the processing order.
    #[inline]
    fn get(&self, pos: usize) -> (&[u32], &[f32]) {
        let r = self.ptr[pos]..self.ptr[pos + 1];
        (&self.col[r.clone()], &self.w[r])
    }

    /// Number of articles.
    fn len(&self) -> usize {
        self.ptr.len() - 1
    }
}

/// The inverted index, threaded through the articles: each article is indexed under its
/// `index_terms` specific terms of largest weight, and each such entry points to the previous
/// entry (in date order) of the same term. Following these links from an article's own entries
/// visits, newest first, the earlier articles indexed under the same terms — a posting list
/// read backwards from the article — and touches only articles of the window.
struct Index {
    /// Entries of each position: `ptr[pos]..ptr[pos + 1]`.
    ptr: Vec<usize>,
    /// Previous entry of the same term, or [`NONE`].
    prev: Vec<u32>,
    /// Position of each entry's article.
    pos: Vec<u32>,
}

/// No previous entry.
const NONE: u32 = u32::MAX;

impl Index {
    fn build(ev: &EventVectors, specific: &[bool], index_terms: usize) -> Self {
        let n = ev.len();
        // The indexed terms of each position (count, then columns), in fixed chunks.
        let starts: Vec<usize> = (0..n).step_by(CHUNK).collect();
        let chunks: Vec<(Vec<u32>, Vec<u32>)> = starts
            .par_iter()
            .map(|&start| {
                let (mut lens, mut terms) = (Vec::new(), Vec::new());
                let mut buf: Vec<u64> = Vec::new();
                for pos in start..(start + CHUNK).min(n) {
                    let (cols, ws) = ev.get(pos);
                    buf.clear();
                    buf.extend(
                        cols.iter()
                            .zip(ws)
                            .filter(|&(&c, _)| specific[c as usize])
                            .map(|(&c, &w)| (u64::from(!w.to_bits()) << 32) | u64::from(c)),
                    );
                    if buf.len() > index_terms {
                        buf.select_nth_unstable(index_terms - 1);
                        buf.truncate(index_terms);
                    }
                    lens.push(buf.len() as u32);
                    terms.extend(buf.iter().map(|&k| k as u32));
                }
                (lens, terms)
            })
            .collect();
        // Link each entry to the previous one of its term, in date order.
        let total: usize = chunks.iter().map(|c| c.1.len()).sum();
        let mut last = vec![NONE; specific.len()];
        let mut ptr = Vec::with_capacity(n + 1);
        ptr.push(0);
        let (mut prev, mut pos) = (Vec::with_capacity(total), Vec::with_capacity(total));
        let mut p = 0u32;
        for (lens, terms) in &chunks {
            let mut terms = terms.iter();
            for &l in lens {
                for &c in terms.by_ref().take(l as usize) {
                    prev.push(last[c as usize]);
                    last[c as usize] = pos.len() as u32;
                    pos.push(p);
                }
                ptr.push(pos.len());
                p += 1;
            }
        }
        Index { ptr, prev, pos }
    }
}

/// A neighbour during the search: position in the processing order (`u32::MAX`: none).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Near {
    pos: u32,
    sim: f32,
}

const NO_NEAR: Near = Near {
    pos: u32::MAX,
    sim: f32::NEG_INFINITY,
};

/// Per-thread buffers of the neighbour search.
struct Scratch {
    /// The query's event vector, dense (zero outside its columns).
    query: Vec<f32>,
    /// Candidate positions.
    cands: Vec<u32>,
}

/// The [`NEIGHBOURS`] most similar candidates of the article at `pos` (window from `lo`), best
/// first, ties to the later article.
fn neighbours(
    ev: &EventVectors,
    index: &Index,
    pos: usize,
    lo: usize,
    max_postings: usize,
    sc: &mut Scratch,
) -> [Near; NEIGHBOURS] {
    let mut best = [NO_NEAR; NEIGHBOURS];
    let (qc, qw) = ev.get(pos);
    sc.cands.clear();
    for e in index.ptr[pos]..index.ptr[pos + 1] {
        let mut link = index.prev[e];
        for _ in 0..max_postings {
            if link == NONE || (index.pos[link as usize] as usize) < lo {
                break;
            }
            sc.cands.push(index.pos[link as usize]);
            link = index.prev[link as usize];
        }
    }
    if sc.cands.is_empty() {
        return best;
    }
    sc.cands.sort_unstable();
    sc.cands.dedup();
    for (&c, &w) in qc.iter().zip(qw) {
        sc.query[c as usize] = w;
    }
    // Later candidates first, so that a tie never displaces the later article. The dot product
    // adds the products in column order, zeros included, as a merge of the two lists would.
    for &x in sc.cands.iter().rev() {
        let (xc, xw) = ev.get(x as usize);
        let sim: f32 = xc
            .iter()
            .zip(xw)
            .map(|(&c, &w)| sc.query[c as usize] * w)
            .sum();
        if sim > best[NEIGHBOURS - 1].sim {
            let mut i = NEIGHBOURS - 1;
            while i > 0 && sim > best[i - 1].sim {
                best[i] = best[i - 1];
                i -= 1;
            }
            best[i] = Near { pos: x, sim };
        }
    }
    for &c in qc {
        sc.query[c as usize] = 0.0;
    }
    best
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
    if m.cols() > u32::MAX as usize
        || n_docs.saturating_mul(p.index_terms.min(p.top_m)) >= u32::MAX as usize
    {
        return Err(Error::param(
            "matrix",
            format!("{} × {}", m.rows(), m.cols()),
            "too large",
        ));
    }

    // Processing order: dated articles by date, then index. Work on whole rows reads them in
    // index order (`rows`), sequentially.
    let rows: Vec<usize> = (0..n_docs).filter(|&i| input.dates[i].is_some()).collect();
    let mut order = rows.clone();
    order.sort_by_key(|&i| (input.dates[i], i));
    let n = order.len();
    let day: Vec<i32> = order
        .iter()
        .map(|&i| input.dates[i].map_or(0, |d| d.num_days_from_ce()))
        .collect();
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

    let ev = EventVectors::build(m, &rows, &order, p.top_m);
    let specific = specific_terms(m, &rows, &win_lo, p.max_window_df);
    drop(rows);
    let index = Index::build(&ev, &specific, p.index_terms);
    let near: Vec<[Near; NEIGHBOURS]> = (0..n)
        .into_par_iter()
        .with_min_len(1024)
        .map_init(
            || Scratch {
                query: vec![0.0; m.cols()],
                cands: Vec::new(),
            },
            |sc, pos| neighbours(&ev, &index, pos, win_lo[pos], p.max_postings, sc),
        )
        .collect();
    drop(index);

    let (story_pos, members) = link(
        &ev,
        m.cols(),
        &near,
        &win_lo,
        &day,
        p.threshold,
        p.max_span_days,
    );
    drop(ev);
    let members: Vec<Vec<usize>> = members
        .into_iter()
        .map(|s| s.into_iter().map(|pos| order[pos]).collect())
        .collect();

    let mut story_of = vec![None; n_docs];
    let mut nearest = vec![None; n_docs];
    for pos in 0..n {
        story_of[order[pos]] = Some(story_pos[pos]);
        let b = near[pos][0];
        nearest[order[pos]] = (b.pos != u32::MAX).then(|| Neighbour {
            article: order[b.pos as usize],
            similarity: b.sim,
        });
    }
    drop(near);

    let stories = describe(input, p, members);
    Ok(Stories {
        stories,
        story_of,
        nearest,
        skipped_undated: n_docs - n,
    })
}

/// Which columns are specific: `df(t) · W / n ≤ max_window_df` (see the module docs), with df
/// counted over the dated `rows` in fixed chunks.
fn specific_terms(
    m: &CsMat<f32>,
    rows: &[usize],
    win_lo: &[usize],
    max_window_df: f64,
) -> Vec<bool> {
    let n = rows.len();
    let per_window = win_lo
        .iter()
        .enumerate()
        .map(|(pos, &lo)| (pos - lo) as f64)
        .sum::<f64>()
        / n.max(1) as f64;
    if per_window < 1.0 {
        return vec![true; m.cols()];
    }
    let df = rows
        .par_chunks(1 << 16)
        .map(|chunk| {
            let mut df = vec![0u32; m.cols()];
            for &i in chunk {
                let (cols, vals) = row(m, i);
                for (&c, &v) in cols.iter().zip(vals) {
                    if v > 0.0 {
                        df[c] += 1;
                    }
                }
            }
            df
        })
        .reduce_with(|mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
            a
        })
        .unwrap_or_default();
    let scale = per_window / n as f64;
    df.iter()
        .map(|&d| f64::from(d) * scale <= max_window_df)
        .collect()
}

/// Stories of up to this many articles compute `e_a · c_S` as a sum of dot products with their
/// members; larger ones keep their summed vector in a hash map.
const SMALL_STORY: usize = 8;

/// A story with more than one article, while it has a member in the current window.
struct OpenStory {
    /// `‖c_S‖²`, updated as articles join: `‖c + e‖² = ‖c‖² + 2 c·e + ‖e‖²`.
    norm2: f64,
    /// Positions of its articles, while it is small.
    members: Vec<usize>,
    /// `c_S` as `column → weight`, once it is not small.
    sum: Option<AHashMap<u32, f64>>,
}

/// Story of each position and the positions of each story (see "Linking" in the module
/// docs), sequentially in date order.
fn link(
    ev: &EventVectors,
    n_cols: usize,
    near: &[[Near; NEIGHBOURS]],
    win_lo: &[usize],
    day: &[i32],
    threshold: f32,
    max_span: u32,
) -> (Vec<usize>, Vec<Vec<usize>>) {
    let n = near.len();
    let mut story_pos: Vec<usize> = Vec::with_capacity(n);
    // Per story: first and last position; stories with more than one article also have an
    // `OpenStory` while a member is in the window (a one-article story's centroid is e_first).
    let mut first: Vec<usize> = Vec::new();
    let mut last: Vec<usize> = Vec::new();
    let mut open: Vec<Option<Box<OpenStory>>> = Vec::new();
    let mut open_ids: Vec<usize> = Vec::new();
    // The current article's event vector, dense.
    let mut query = vec![0f64; n_cols];
    let dot_with = |query: &[f64], pos: usize| -> f64 {
        let (c, w) = ev.get(pos);
        c.iter()
            .zip(w)
            .map(|(&c, &w)| query[c as usize] * f64::from(w))
            .sum()
    };
    for pos in 0..n {
        if pos > 0 && day[pos] != day[pos - 1] {
            // Stories without a member in the window can no longer be joined.
            open_ids.retain(|&s| {
                let keep = last[s] >= win_lo[pos];
                if !keep {
                    open[s] = None;
                }
                keep
            });
        }
        let (qc, qw) = ev.get(pos);
        for (&c, &w) in qc.iter().zip(qw) {
            query[c as usize] = f64::from(w);
        }
        // (story, cos(e_a, c_S), e_a · c_S) of the best candidate story.
        let mut chosen: Option<(usize, f64, f64)> = None;
        let mut tried = [usize::MAX; NEIGHBOURS];
        let candidates = near[pos]
            .iter()
            .take_while(|b| b.pos != u32::MAX && b.sim >= threshold);
        for (k, nb) in candidates.enumerate() {
            let s = story_pos[nb.pos as usize];
            // A story is one happening, not a theme (themes are topics): past its span it
            // cannot be joined, so it cannot chain from one story into the next for months.
            if tried[..k].contains(&s) || i64::from(day[pos] - day[first[s]]) > i64::from(max_span)
            {
                continue;
            }
            tried[k] = s;
            let (dot, norm2) = match open[s].as_deref() {
                None => {
                    let (_, fw) = ev.get(first[s]);
                    let norm2 = fw.iter().map(|&w| f64::from(w) * f64::from(w)).sum();
                    (dot_with(&query, first[s]), norm2)
                }
                Some(o) => match &o.sum {
                    None => (
                        o.members.iter().map(|&b| dot_with(&query, b)).sum(),
                        o.norm2,
                    ),
                    Some(sum) => (
                        qc.iter()
                            .zip(qw)
                            .map(|(c, &w)| f64::from(w) * sum.get(c).copied().unwrap_or(0.0))
                            .sum(),
                        o.norm2,
                    ),
                },
            };
            let cos = if norm2 > 0.0 { dot / norm2.sqrt() } else { 0.0 };
            if cos >= f64::from(threshold) && chosen.is_none_or(|(_, b, _)| cos > b) {
                chosen = Some((s, cos, dot));
            }
        }
        let id = match chosen {
            Some((s, _, dot)) => {
                let o = open[s].get_or_insert_with(|| {
                    open_ids.push(s);
                    let (_, fw) = ev.get(first[s]);
                    Box::new(OpenStory {
                        norm2: fw.iter().map(|&w| f64::from(w) * f64::from(w)).sum(),
                        members: vec![first[s]],
                        sum: None,
                    })
                });
                let self2: f64 = qw.iter().map(|&w| f64::from(w) * f64::from(w)).sum();
                o.norm2 += 2.0 * dot + self2;
                match &mut o.sum {
                    Some(sum) => add_to(sum, qc, qw),
                    None if o.members.len() < SMALL_STORY => o.members.push(pos),
                    None => {
                        let mut sum = AHashMap::with_capacity(4 * SMALL_STORY * qc.len());
                        for &b in &o.members {
                            let (bc, bw) = ev.get(b);
                            add_to(&mut sum, bc, bw);
                        }
                        add_to(&mut sum, qc, qw);
                        o.members = Vec::new();
                        o.sum = Some(sum);
                    }
                }
                last[s] = pos;
                s
            }
            None => {
                first.push(pos);
                last.push(pos);
                open.push(None);
                first.len() - 1
            }
        };
        for &c in qc {
            query[c as usize] = 0.0;
        }
        story_pos.push(id);
    }
    // Positions of each story, in date order (a counting sort by story).
    let mut members: Vec<Vec<usize>> = (0..first.len()).map(|_| Vec::new()).collect();
    let mut sizes = vec![0usize; first.len()];
    for &s in &story_pos {
        sizes[s] += 1;
    }
    for (m, &k) in members.iter_mut().zip(&sizes) {
        m.reserve_exact(k);
    }
    for (pos, &s) in story_pos.iter().enumerate() {
        members[s].push(pos);
    }
    (story_pos, members)
}

/// Adds an event vector to a summed vector.
fn add_to(sum: &mut AHashMap<u32, f64>, cols: &[u32], ws: &[f32]) {
    for (&c, &w) in cols.iter().zip(ws) {
        *sum.entry(c).or_insert(0.0) += f64::from(w);
    }
}

/// Terms, label and majority topic of each story (`members` holds article indices), in
/// parallel; each story is described on its own, so the result does not depend on threads.
fn describe(input: &StoryInput, p: &ValidStoryParams, members: Vec<Vec<usize>>) -> Vec<Story> {
    let m = input.matrix;
    members
        .into_par_iter()
        .enumerate()
        .with_min_len(256)
        .map_init(
            || TermSums::new(m.cols()),
            |sums, (id, articles)| {
                let mut terms = if articles.len() < MIN_STORY_SIZE {
                    Vec::new()
                } else {
                    sums.top_terms(m, &articles, input.labels, p.max_terms.max(LABEL_TERMS))
                };
                let label = terms
                    .iter()
                    .take(LABEL_TERMS)
                    .map(|t| t.term.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                terms.truncate(p.max_terms);
                let (topic, topic_share) = match input.topics {
                    Some(topics) => {
                        let (k, c) = majority(articles.iter().map(|&a| topics[a]));
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
            },
        )
        .collect()
}

/// The most frequent value and its count (the smallest value on ties); `(0, 0)` when empty.
fn majority(values: impl Iterator<Item = usize>) -> (usize, usize) {
    let mut v: Vec<usize> = values.collect();
    v.sort_unstable();
    let mut best = (0, 0);
    let mut i = 0;
    while i < v.len() {
        let j = i + v[i..].partition_point(|&x| x == v[i]);
        if j - i > best.1 {
            best = (v[i], j - i);
        }
        i = j;
    }
    best
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
        let s = detect_stories(&input, &StoryParams::default()).unwrap();
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
        let s = detect_stories(
            &input,
            &StoryParams {
                threshold: 0.75,
                ..Default::default()
            },
        )
        .unwrap();
        let (p, r, f) = bcubed(&s.story_of, &gold);
        assert_eq!(p, 1.0);
        assert!((r - 0.743590).abs() < 1e-6, "{r}");
        assert!((f - 0.852941).abs() < 1e-6, "{f}");
        assert!(s.stories.iter().all(|x| x.topic.is_none()));
    }

    #[test]
    fn a_story_ends_after_its_span() {
        // The same two words every 5 days from day 1 to day 36: each article is within the
        // 7-day window of the one before, so without a bound one story would run 35 days. With
        // the 21-day span, the articles of days 1..=21 form one story and day 26 starts the
        // next (which takes days 26..=36).
        let days: Vec<i64> = (0..8).map(|i| 1 + 5 * i).collect();
        let rows: Vec<Vec<(usize, f32)>> = days.iter().map(|_| vec![(0, 1.0), (1, 1.0)]).collect();
        let m = sparse(&rows, 2);
        let labels: Vec<String> = ["x", "y"].iter().map(|s| s.to_string()).collect();
        let dates: Vec<_> = days.iter().map(|&d| Some(day(d))).collect();
        let input = StoryInput {
            dates: &dates,
            topics: None,
            matrix: &m,
            labels: &labels,
        };
        let s = detect_stories(&input, &StoryParams::default()).unwrap();
        let ids: Vec<usize> = s.story_of.iter().map(|x| x.unwrap()).collect();
        assert_eq!(ids, vec![0, 0, 0, 0, 0, 1, 1, 1]);
        let s = detect_stories(
            &input,
            &StoryParams {
                max_span_days: 100,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(s.story_of.iter().all(|&x| x == Some(0)));
    }

    #[test]
    fn chain_of_pairwise_similar_articles_breaks_at_the_centroid() {
        // Columns x, y, z, w. A = {x, y} (day 1), B = {y, z} (day 2), C = {z, w} (day 3).
        // s(A, B) = s(B, C) = 0.5 and A, C share nothing. W = (0 + 1 + 2) / 3 = 1, so every
        // term is specific (E = df / 3). B joins A's one-article story (cos = s(A, B) = 0.5).
        // C's only neighbour is B; the centroid of {A, B} is (0.7071, 1.4142, 0.7071, 0) with
        // norm √3, so cos(e_C, c) = 0.7071 · 0.7071 / 1.7321 = 0.2887: C starts a new story at
        // threshold 0.4, where single link would have chained it, and joins at 0.2.
        let rows = vec![
            vec![(0, 1.0), (1, 1.0)],
            vec![(1, 1.0), (2, 1.0)],
            vec![(2, 1.0), (3, 1.0)],
        ];
        let m = sparse(&rows, 4);
        let labels: Vec<String> = ["x", "y", "z", "w"].iter().map(|s| s.to_string()).collect();
        let dates = vec![Some(day(1)), Some(day(2)), Some(day(3))];
        let input = StoryInput {
            dates: &dates,
            topics: None,
            matrix: &m,
            labels: &labels,
        };
        let s = detect_stories(
            &input,
            &StoryParams {
                threshold: 0.4,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(s.story_of, vec![Some(0), Some(0), Some(1)]);
        let n2 = s.nearest[2].unwrap();
        assert_eq!(n2.article, 1);
        assert!((n2.similarity - 0.5).abs() < 1e-6);
        let s = detect_stories(
            &input,
            &StoryParams {
                threshold: 0.2,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(s.story_of, vec![Some(0), Some(0), Some(0)]);
    }

    /// Regression: on Reuters-21578, 4,170 earnings reports and dividend notices formed one
    /// story, each linked to an earlier one through their shared boilerplate. Here: 1,000
    /// reports over 40 days, each with six boilerplate terms (in every report) and its company's
    /// name; 500 companies report twice, 0–6 days apart.
    #[test]
    fn boilerplate_does_not_chain_into_one_story() {
        let mut rng = Lcg(11);
        let mut items: Vec<(i64, usize)> = Vec::new();
        for company in 0..500 {
            let d = (rng.uniform() * 34.0) as i64;
            items.push((d, company));
            items.push((d + (rng.uniform() * 7.0) as i64, company));
        }
        let mut dates = Vec::new();
        let mut rows = Vec::new();
        let mut gold = Vec::new();
        for &(d, company) in &items {
            let mut row: Vec<(usize, f32)> = (0..6)
                .map(|t| (t, 0.8 + 0.4 * rng.uniform() as f32))
                .collect();
            row.push((10 + company, 1.5));
            rows.push(row);
            dates.push(Some(day(d)));
            gold.push(Some(company));
        }
        let m = sparse(&rows, 510);
        let labels: Vec<String> = (0..510).map(|i| format!("t{i}")).collect();
        let input = StoryInput {
            dates: &dates,
            topics: None,
            matrix: &m,
            labels: &labels,
        };
        let s = detect_stories(&input, &StoryParams::default()).unwrap();
        let (p, r, f) = bcubed(&s.story_of, &gold);
        assert_eq!((p, r, f), (1.0, 1.0, 1.0), "{} stories", s.stories.len());
        // With every term specific (and no bound on a story's span), the boilerplate links
        // everything (cosines ≈ 0.7).
        let all = detect_stories(
            &input,
            &StoryParams {
                max_window_df: f64::INFINITY,
                max_span_days: 36500,
                ..Default::default()
            },
        )
        .unwrap();
        let largest = all.stories.iter().map(|x| x.size).max().unwrap();
        assert!(largest > 900, "largest story {largest}");
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

    /// The rules of the module docs written the slow, obvious way: dense event vectors, every
    /// earlier article of the window that shares a specific term gets a cosine, centroids are
    /// recomputed from scratch. Returns the story and the nearest neighbour of each article.
    #[allow(clippy::type_complexity)]
    fn reference(
        dates: &[Option<NaiveDate>],
        m: &CsMat<f32>,
        top_m: usize,
        index_terms: usize,
        max_window_df: f64,
        threshold: f32,
    ) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
        let mut order: Vec<usize> = (0..dates.len()).filter(|&i| dates[i].is_some()).collect();
        order.sort_by_key(|&i| (dates[i], i));
        let n = order.len();
        let event = |i: usize| -> Vec<f32> {
            let (c, v) = row(m, i);
            let mut top: Vec<(usize, f32)> = c
                .iter()
                .zip(v)
                .filter(|x| *x.1 > 0.0)
                .map(|(&c, &v)| (c, v))
                .collect();
            top.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            top.truncate(top_m);
            top.sort_by_key(|x| x.0);
            let norm = top.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            let mut e = vec![0f32; m.cols()];
            for (c, v) in top {
                e[c] = v / norm;
            }
            e
        };
        let e: Vec<Vec<f32>> = order.iter().map(|&i| event(i)).collect();
        let in_window = |a: usize, b: usize| {
            (dates[order[a]].unwrap() - dates[order[b]].unwrap()).num_days() <= 7
        };
        let w = (0..n)
            .map(|a| (0..a).filter(|&b| in_window(a, b)).count())
            .sum::<usize>() as f64
            / n as f64;
        let specific: Vec<bool> = (0..m.cols())
            .map(|t| {
                let df = order.iter().filter(|&&i| {
                    let (c, v) = row(m, i);
                    c.iter().zip(v).any(|(&c, &v)| c == t && v > 0.0)
                });
                w < 1.0 || df.count() as f64 * w / n as f64 <= max_window_df
            })
            .collect();
        // The index terms of each article: its `index_terms` specific terms of largest weight.
        let indexed: Vec<Vec<bool>> = e
            .iter()
            .map(|v| {
                let mut t: Vec<usize> = (0..m.cols())
                    .filter(|&t| specific[t] && v[t] > 0.0)
                    .collect();
                t.sort_by(|&a, &b| v[b].total_cmp(&v[a]).then(a.cmp(&b)));
                t.truncate(index_terms);
                let mut mask = vec![false; m.cols()];
                for x in t {
                    mask[x] = true;
                }
                mask
            })
            .collect();
        let dot = |x: &[f32], y: &[f32]| x.iter().zip(y).map(|(a, b)| a * b).sum::<f32>();
        let mut story = vec![usize::MAX; n];
        let mut nearest: Vec<Option<usize>> = vec![None; dates.len()];
        let mut next_id = 0;
        for a in 0..n {
            let mut cands: Vec<(f32, usize)> = (0..a)
                .filter(|&b| in_window(a, b))
                .filter(|&b| (0..m.cols()).any(|t| indexed[a][t] && indexed[b][t]))
                .map(|b| (dot(&e[a], &e[b]), b))
                .collect();
            cands.sort_by(|x, y| y.0.total_cmp(&x.0).then(y.1.cmp(&x.1)));
            cands.truncate(NEIGHBOURS);
            nearest[order[a]] = cands.first().map(|c| order[c.1]);
            let mut best: Option<(usize, f64)> = None;
            for &(sim, b) in &cands {
                if sim < threshold {
                    break;
                }
                let s = story[b];
                let mut c = vec![0f64; m.cols()];
                for x in (0..a).filter(|&x| story[x] == s) {
                    for t in 0..m.cols() {
                        c[t] += f64::from(e[x][t]);
                    }
                }
                let norm = c.iter().map(|v| v * v).sum::<f64>().sqrt();
                let cos = (0..m.cols())
                    .map(|t| f64::from(e[a][t]) * c[t])
                    .sum::<f64>()
                    / norm;
                if cos >= f64::from(threshold) && best.is_none_or(|(_, bc)| cos > bc + 1e-9) {
                    best = Some((s, cos));
                }
            }
            story[a] = match best {
                Some((s, _)) => s,
                None => {
                    next_id += 1;
                    next_id - 1
                }
            };
        }
        let mut out = vec![None; dates.len()];
        for a in 0..n {
            out[order[a]] = Some(story[a]);
        }
        (out, nearest)
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
        // top_m = 1000 covers whole rows, 3 and 1 cut them; index_terms = 2 indexes part of
        // them; max_window_df = 3 leaves the background terms (about 40 articles each,
        // W ≈ 70 of 380) out of the index.
        for top_m in [1000, 3, 1] {
            for index_terms in [1000, 2] {
                for max_df in [f64::INFINITY, 3.0] {
                    let s = detect_stories(
                        &input,
                        &StoryParams {
                            top_m,
                            index_terms,
                            max_window_df: max_df,
                            max_postings: 1_000_000,
                            ..Default::default()
                        },
                    )
                    .unwrap();
                    let (story, nearest) = reference(&dates, &m, top_m, index_terms, max_df, 0.2);
                    let what =
                        format!("top_m {top_m}, index_terms {index_terms}, max_window_df {max_df}");
                    assert_eq!(
                        s.nearest
                            .iter()
                            .map(|n| n.map(|n| n.article))
                            .collect::<Vec<_>>(),
                        nearest,
                        "{what}"
                    );
                    assert_eq!(s.story_of, story, "{what}");
                }
            }
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
            &StoryParams {
                top_m: 1000,
                max_postings: 1_000_000,
                ..Default::default()
            },
        )
        .unwrap();
        let capped = detect_stories(
            &input,
            &StoryParams {
                top_m: 2,
                max_postings: 5,
                ..Default::default()
            },
        )
        .unwrap();
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
            pool.install(|| detect_stories(&input, &StoryParams::default()).unwrap())
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
        assert!(detect_stories(&input, &StoryParams::default()).is_err());
        let input = StoryInput {
            dates: &dates,
            topics: None,
            matrix: &m,
            labels: &labels[..3],
        };
        assert!(detect_stories(&input, &StoryParams::default()).is_err());
        let input = StoryInput {
            dates: &dates,
            topics: Some(&[0, 1]),
            matrix: &m,
            labels: &labels,
        };
        assert!(detect_stories(&input, &StoryParams::default()).is_err());
        let csc = m.to_csc();
        let input = StoryInput {
            dates: &dates,
            topics: None,
            matrix: &csc,
            labels: &labels,
        };
        assert!(detect_stories(&input, &StoryParams::default()).is_err());
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
                p.window_days,
                p.threshold,
                p.top_m,
                p.index_terms,
                p.max_window_df,
                p.max_postings,
                p.max_terms
            ),
            (7, 0.2, 50, 20, 10.0, 2000, 8)
        );
    }

    #[test]
    fn params_reject_window() {
        assert_eq!(
            param_error(
                StoryParams {
                    window_days: 0,
                    ..Default::default()
                }
                .check()
            ),
            "stories.window_days"
        );
    }

    #[test]
    fn params_reject_threshold() {
        assert_eq!(
            param_error(
                StoryParams {
                    threshold: 0.0,
                    ..Default::default()
                }
                .check()
            ),
            "stories.threshold"
        );
        assert_eq!(
            param_error(
                StoryParams {
                    threshold: 1.5,
                    ..Default::default()
                }
                .check()
            ),
            "stories.threshold"
        );
        assert_eq!(
            param_error(
                StoryParams {
                    threshold: f32::NAN,
                    ..Default::default()
                }
                .check()
            ),
            "stories.threshold"
        );
    }

    #[test]
    fn params_reject_top_terms() {
        assert_eq!(
            param_error(
                StoryParams {
                    top_m: 0,
                    ..Default::default()
                }
                .check()
            ),
            "stories.top_m"
        );
    }

    #[test]
    fn params_reject_index_terms() {
        assert_eq!(
            param_error(
                StoryParams {
                    index_terms: 0,
                    ..Default::default()
                }
                .check()
            ),
            "stories.index_terms"
        );
    }

    #[test]
    fn params_reject_max_window_df() {
        for bad in [0.0, -1.0, f64::NAN] {
            assert_eq!(
                param_error(
                    StoryParams {
                        max_window_df: bad,
                        ..Default::default()
                    }
                    .check()
                ),
                "stories.max_window_df"
            );
        }
        assert!(StoryParams {
            max_window_df: f64::INFINITY,
            ..Default::default()
        }
        .check()
        .is_ok());
    }

    #[test]
    fn params_reject_max_postings() {
        assert_eq!(
            param_error(
                StoryParams {
                    max_postings: 0,
                    ..Default::default()
                }
                .check()
            ),
            "stories.max_postings"
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
        let s = detect_stories(&input, &StoryParams::default()).unwrap();
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
