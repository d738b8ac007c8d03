//! Per-collection timelines of each topic, and who covered a topic first.
//!
//! **Timelines** count each collection's dated, topic-assigned articles per topic in the bins of
//! the shared [`Timeline`] (so every collection has the same bins, contiguous, empty ones
//! included).
//!
//! **First coverage** is read two ways, both reported:
//! 1. the first article: the earliest publication day of the topic in each collection; the
//!    collection whose first day is strictly earliest leads (the same day in two collections is
//!    a tie: no leader; days, not times, because many sources give dates only);
//! 2. the cross-correlation lag, which looks at the whole series rather than at one article:
//!    for the bin series x (collection a) and y (collection b) of a topic, over T bins,
//!
//!    ```text
//!    r(ℓ) = Σ_t (x_t − x̄)(y_{t+ℓ} − ȳ) / (T · s_x · s_y),   −L ≤ ℓ ≤ L
//!    ```
//!
//!    (s the population standard deviations; the sum over the t with both terms in range — the
//!    biased estimator of Box & Jenkins, as `statsmodels.tsa.stattools.ccf`). The lag ℓ* with
//!    the largest r is reported, in bins of the timeline's unit: ℓ* > 0 means b follows a by ℓ*
//!    bins (a leads), ℓ* < 0 that a follows b. L is [`default_max_lag`] unless set. Ties: among
//!    lags within 1e-12 of the maximum the smallest |ℓ| wins; if ℓ and −ℓ (ℓ ≠ 0) still tie the
//!    lag is undetermined (`None`). A constant series (including all zeros: the collection never
//!    covered the topic in the range) has no correlation, and a best r ≤ 0 shows no shared
//!    pattern: both give `None`.
//!
//! Lags use bins rather than days so they match the timelines reported (a daily series of a
//! long corpus is mostly zeros and noise); with `--bin day` they are days. For a topic with a
//! handful of articles the lag is fragile — coinciding empty bins count as agreement once the
//! series are centred — so read it together with the first-article days.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::timeline::{BinUnit, Timeline};

/// Articles per topic per bin, per collection, on shared bins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectionTimeline {
    /// Bin width (never `auto`).
    pub unit: BinUnit,
    /// Start date of each bin, ascending, contiguous.
    pub bins: Vec<NaiveDate>,
    /// `counts[collection][topic][bin]`.
    pub counts: Vec<Vec<Vec<u32>>>,
    /// `totals[collection][bin]`: dated, topic-assigned articles of the collection in the bin.
    pub totals: Vec<Vec<u32>>,
}

/// Splits the shared timeline by collection: `collection_of[i]` is article i's collection
/// (`None`: in none), `assignments[i]` its topic; articles outside the timeline (undated or
/// without topic, `tl.article_bins[i] = None`) are not counted.
pub fn collection_timeline(
    tl: &Timeline,
    assignments: &[Option<usize>],
    collection_of: &[Option<usize>],
    n_collections: usize,
) -> CollectionTimeline {
    let (k, nb) = (tl.counts.len(), tl.bins.len());
    let mut counts = vec![vec![vec![0u32; nb]; k]; n_collections];
    let mut totals = vec![vec![0u32; nb]; n_collections];
    for ((bin, topic), coll) in tl.article_bins.iter().zip(assignments).zip(collection_of) {
        if let (Some(b), Some(t), Some(c)) = (*bin, *topic, *coll) {
            counts[c][t][b] += 1;
            totals[c][b] += 1;
        }
    }
    CollectionTimeline {
        unit: tl.unit,
        bins: tl.bins.clone(),
        counts,
        totals,
    }
}

/// The default largest lag tried: a quarter of the bins, at least 1 and at most T − 1
/// (0 when there are fewer than two bins).
pub fn default_max_lag(n_bins: usize) -> usize {
    if n_bins < 2 {
        0
    } else {
        (n_bins / 4).clamp(1, n_bins - 1)
    }
}

/// The lag ℓ* in `−max_lag..=max_lag` maximising the cross-correlation of `x` and `y` (see the
/// module doc for the formula, the sign and the ties), with r(ℓ*). `None` for series of
/// different or zero length, a constant series, a tie between ℓ and −ℓ, or r(ℓ*) ≤ 0.
pub fn xcorr_lag(x: &[f64], y: &[f64], max_lag: usize) -> Option<(i64, f64)> {
    let t = x.len();
    if t == 0 || y.len() != t {
        return None;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / t as f64;
    let (mx, my) = (mean(x), mean(y));
    let sd = |v: &[f64], m: f64| (v.iter().map(|a| (a - m).powi(2)).sum::<f64>() / t as f64).sqrt();
    let (sx, sy) = (sd(x, mx), sd(y, my));
    if !(sx > 0.0 && sy > 0.0) {
        return None;
    }
    let l = max_lag.min(t - 1) as i64;
    let r = |lag: i64| {
        let mut s = 0.0;
        for i in 0..t as i64 {
            let j = i + lag;
            if (0..t as i64).contains(&j) {
                s += (x[i as usize] - mx) * (y[j as usize] - my);
            }
        }
        s / (t as f64 * sx * sy)
    };
    let rs: Vec<(i64, f64)> = (-l..=l).map(|lag| (lag, r(lag))).collect();
    let best = rs.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    if best <= 1e-12 {
        return None;
    }
    let tied: Vec<i64> = rs
        .iter()
        .filter(|p| p.1 >= best - 1e-12)
        .map(|p| p.0)
        .collect();
    let min_abs = tied.iter().map(|l| l.abs()).min()?;
    let at_min: Vec<i64> = tied.into_iter().filter(|l| l.abs() == min_abs).collect();
    if at_min.len() > 1 {
        return None;
    }
    Some((at_min[0], best))
}

/// How two collections' series of one topic line up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairLag {
    /// First collection (name).
    pub a: String,
    /// Second collection (name).
    pub b: String,
    /// ℓ*, in bins: positive when `a` leads (b follows a by that many bins), negative when `b`
    /// leads, `None` when undetermined (see the module doc).
    pub lag: Option<i64>,
    /// r(ℓ*).
    pub correlation: Option<f64>,
    /// The collection that leads by the lag (`None` for a lag of 0 or undetermined).
    pub leader: Option<String>,
}

/// Who covered a topic first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicCoverage {
    /// Topic id.
    pub topic: usize,
    /// First publication day of the topic in each collection (collection order; `None`: no
    /// dated article of the topic in that collection).
    pub first: Vec<Option<NaiveDate>>,
    /// The collection with the strictly earliest first day (`None`: a tie, or no dates).
    pub first_leader: Option<String>,
    /// Cross-correlation lags for every pair of collections (a before b in collection order).
    pub lags: Vec<PairLag>,
}

/// First coverage and lags of every topic. `days[i]` is article i's publication day.
pub fn coverage(
    days: &[Option<NaiveDate>],
    assignments: &[Option<usize>],
    collection_of: &[Option<usize>],
    names: &[String],
    tl: &CollectionTimeline,
    max_lag: usize,
) -> Vec<TopicCoverage> {
    let n = names.len();
    let k = tl.counts.first().map_or(0, Vec::len);
    let mut first = vec![vec![None::<NaiveDate>; n]; k];
    for ((d, t), c) in days.iter().zip(assignments).zip(collection_of) {
        if let (Some(d), Some(t), Some(c)) = (*d, *t, *c) {
            if t < k {
                let slot = &mut first[t][c];
                if !matches!(slot, Some(f) if *f <= d) {
                    *slot = Some(d);
                }
            }
        }
    }
    (0..k)
        .map(|t| {
            let firsts = &first[t];
            let earliest = firsts.iter().flatten().min().copied();
            let first_leader = earliest.and_then(|e| {
                let at: Vec<usize> = (0..n).filter(|&c| firsts[c] == Some(e)).collect();
                (at.len() == 1).then(|| names[at[0]].clone())
            });
            let mut lags = Vec::new();
            for a in 0..n {
                for b in a + 1..n {
                    let x: Vec<f64> = tl.counts[a][t].iter().map(|&v| v as f64).collect();
                    let y: Vec<f64> = tl.counts[b][t].iter().map(|&v| v as f64).collect();
                    let best = xcorr_lag(&x, &y, max_lag);
                    let leader = best.and_then(|(l, _)| match l.signum() {
                        1 => Some(names[a].clone()),
                        -1 => Some(names[b].clone()),
                        _ => None,
                    });
                    lags.push(PairLag {
                        a: names[a].clone(),
                        b: names[b].clone(),
                        lag: best.map(|p| p.0),
                        correlation: best.map(|p| (p.1 * 1e6).round() / 1e6),
                        leader,
                    });
                }
            }
            TopicCoverage {
                topic: t,
                first: firsts.clone(),
                first_leader,
                lags,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xcorr_finds_a_two_bin_lead() {
        // y is x delayed by two bins. By hand (T = 7, means 5/7, population sds equal):
        // r(2) = 0.862637, r(1) = 0.258242, r(0) = −0.346154 (numpy gives the same).
        let x = [0.0, 1.0, 3.0, 1.0, 0.0, 0.0, 0.0];
        let y = [0.0, 0.0, 0.0, 1.0, 3.0, 1.0, 0.0];
        let (lag, r) = xcorr_lag(&x, &y, 3).unwrap();
        assert_eq!(lag, 2);
        assert!((r - 0.862_637_362_637_362_3).abs() < 1e-12, "{r}");
        let (lag, _) = xcorr_lag(&y, &x, 3).unwrap();
        assert_eq!(lag, -2);
        // Lags beyond the window are not seen: with L = 1 the best is ℓ = 1.
        assert_eq!(xcorr_lag(&x, &y, 1).unwrap().0, 1);
    }

    #[test]
    fn xcorr_edge_cases() {
        // Constant or zero series, different lengths.
        assert_eq!(xcorr_lag(&[0.0; 5], &[0.0, 1.0, 0.0, 0.0, 0.0], 2), None);
        assert_eq!(xcorr_lag(&[1.0, 2.0], &[1.0], 1), None);
        assert_eq!(xcorr_lag(&[], &[], 1), None);
        // Symmetric tie: x = [0,0,1,0,0], y = [0,1,0,1,0]; deviations [−.2,−.2,.8,−.2,−.2] and
        // [−.4,.6,−.4,.6,−.4]: T·s·s·r = .52 at ℓ = ±1, −.4 at 0, −.36 at ±2 → undetermined.
        let x = [0.0, 0.0, 1.0, 0.0, 0.0];
        let y = [0.0, 1.0, 0.0, 1.0, 0.0];
        assert_eq!(xcorr_lag(&x, &y, 2), None);
        // Identical series: lag 0.
        assert_eq!(xcorr_lag(&x, &x, 2).map(|p| p.0), Some(0));
        assert_eq!(default_max_lag(25), 6);
        assert_eq!(default_max_lag(3), 1);
        assert_eq!(default_max_lag(1), 0);
    }

    #[test]
    fn first_coverage_and_timelines() {
        let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2025, m, day);
        // Topic 0: A on 1 Jan, B on 3 Jan; topic 1: both on 2 Jan (tie); article 4 in no collection.
        let days = [d(1, 1), d(1, 3), d(1, 2), d(1, 2), d(1, 1)];
        let topics = [Some(0), Some(0), Some(1), Some(1), Some(1)];
        let coll = [Some(0), Some(1), Some(0), Some(1), None];
        let dates: Vec<_> = days
            .iter()
            .map(|d| d.map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc()))
            .collect();
        let tl = Timeline::build(&dates, &topics, 2, BinUnit::Day).unwrap();
        let ct = collection_timeline(&tl, &topics, &coll, 2);
        assert_eq!(ct.counts[0], vec![vec![1, 0, 0], vec![0, 1, 0]]);
        assert_eq!(ct.counts[1], vec![vec![0, 0, 1], vec![0, 1, 0]]);
        assert_eq!(ct.totals, vec![vec![1, 1, 0], vec![0, 1, 1]]);
        let names = ["A".to_string(), "B".to_string()];
        let cov = coverage(&days, &topics, &coll, &names, &ct, 2);
        assert_eq!(cov[0].first, vec![d(1, 1), d(1, 3)]);
        assert_eq!(cov[0].first_leader.as_deref(), Some("A"));
        assert_eq!(cov[1].first_leader, None);
        // Topic 0: A = [1,0,0], B = [0,0,1], deviations [⅔,−⅓,−⅓] and [−⅓,−⅓,⅔]:
        // 3·s²·r(ℓ) = −3/9 (ℓ = 0), −4/9 (1), 2/9 (−1), 4/9 (2), 1/9 (−2) → ℓ* = 2, A leads.
        assert_eq!(cov[0].lags[0].lag, Some(2));
        assert_eq!(cov[0].lags[0].leader.as_deref(), Some("A"));
        assert_eq!(cov[1].lags[0].lag, Some(0));
        assert_eq!(cov[1].lags[0].leader, None);
    }
}
