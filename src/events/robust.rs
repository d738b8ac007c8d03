//! Robust baseline for bursts: modified z-scores against a trailing median.
//!
//! Iglewicz, B. & Hoaglin, D. C. (1993). *How to Detect and Handle Outliers.* ASQC Basic
//! References in Quality Control, vol. 16. Their modified z-score of a value `x` against a sample
//! with median `m` and median absolute deviation `MAD = median |x_i − m|` is
//!
//! ```text
//! z = 0.6745 · (x − m) / MAD  =  (x − m) / (1.4826 · MAD)
//! ```
//!
//! and they suggest flagging `z > 3.5`. Here the sample is the trailing window of the `window`
//! bins *before* bin `t` (the bin itself is not part of its own baseline), so a series can be
//! scored as it arrives. Only positive deviations matter for bursts.
//!
//! # Scale, the MAD = 0 case and sampling noise
//!
//! The robust estimate of the standard deviation `σ̂` falls back in three steps, then is floored:
//!
//! ```text
//! σ̂ = 1.4826 · MAD                 if MAD > 0
//!   = 1.253314 · MeanAD            if MAD = 0 and MeanAD = mean |x_i − m| > 0
//!   = 0                            otherwise (constant history)
//! z = (x − m) / max(σ̂, floor(m))
//! ```
//!
//! `1.253314 ≈ √(π/2)` makes the mean absolute deviation a consistent estimator of σ for normal
//! data; this MAD = 0 fallback is the one IBM Cognos Analytics documents for its modified
//! z-score. A series that is mostly zeros (common for small topics) has MAD = 0, and a constant
//! history has MeanAD = 0 too. hyperfine's `outlier_detection.rs` guards MAD = 0 with a floor of
//! `f64::EPSILON`, which would make any rise from a constant history an outlier; here the floor
//! is in the data's own unit and is never below the sampling noise of a count:
//!
//! ```text
//! counts:  floor(m) = max(min_scale, √m)                      (Poisson sd at the median)
//! shares:  floor(m) = max(min_scale / d_t, √(m (1 − m) / d_t)) (binomial sd at the median share)
//! ```
//!
//! `min_scale` (one article by default: the smallest change a count can show) keeps z finite on
//! a constant history and keeps a rise of one or two articles from scoring as extreme. The
//! sampling term matters because the MAD of a short window (14 bins) of small counts is itself
//! noisy: it often underestimates the spread that pure Poisson / binomial noise already has,
//! which would flag ordinary fluctuations. Real topic series are usually over-dispersed, so
//! the MAD term dominates whenever the estimate is sound. The floor applies to every bin, not
//! only when MAD = 0; the floor functions are supplied by the caller (see
//! [`trailing_zscores`]).
//!
//! # Other edge cases
//!
//! Bins without a value (a share of a bin with no articles at all) are neither scored nor used
//! in any history. A bin whose trailing window holds fewer than `min_history` values is not
//! scored. Consecutive flagged bins (adjacent bin indices) form one burst; during a burst the
//! baseline is frozen at its start (see [`flag_bins`]).

use serde::{Deserialize, Serialize};

/// 1 / Φ⁻¹(3/4): turns the MAD into a consistent estimate of σ for normal data.
pub const MAD_TO_SIGMA: f64 = 1.4826;
/// √(π/2): turns the mean absolute deviation into a consistent estimate of σ for normal data.
pub const MEAN_AD_TO_SIGMA: f64 = 1.253314;

/// Which estimate gave the scale of a score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleSource {
    /// `1.4826 · MAD`.
    Mad,
    /// `1.253314 · MeanAD` (MAD was 0).
    MeanAbsDev,
    /// The floor (the estimate was below it, e.g. a constant history).
    Floor,
    /// The sampling-noise floor (Poisson or binomial sd at the median; the estimate was below).
    Sampling,
}

/// A modified z-score and the baseline it was computed against.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RobustScore {
    /// `(x − median) / scale`.
    pub z: f64,
    /// Median of the trailing window.
    pub median: f64,
    /// The scale used, `max(σ̂, floor)`.
    pub scale: f64,
    /// Where the scale came from.
    pub source: ScaleSource,
}

/// Median of a non-empty slice (reorders it). The mean of the two middle values for even lengths.
pub fn median(xs: &mut [f64]) -> f64 {
    debug_assert!(!xs.is_empty());
    xs.sort_unstable_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// Median and robust scale `max(σ̂, floor)` of a non-empty history (see the module docs).
///
/// `floor` maps the median to the floor and the source to report when the floor wins.
pub fn robust_scale(
    history: &[f64],
    floor: impl Fn(f64) -> (f64, ScaleSource),
) -> (f64, f64, ScaleSource) {
    let mut xs = history.to_vec();
    let m = median(&mut xs);
    let mut dev: Vec<f64> = history.iter().map(|x| (x - m).abs()).collect();
    let mean_ad = dev.iter().sum::<f64>() / dev.len() as f64;
    let mad = median(&mut dev);
    let (sigma, source) = if mad > 0.0 {
        (MAD_TO_SIGMA * mad, ScaleSource::Mad)
    } else if mean_ad > 0.0 {
        (MEAN_AD_TO_SIGMA * mean_ad, ScaleSource::MeanAbsDev)
    } else {
        (0.0, ScaleSource::Floor)
    };
    let (f, f_source) = floor(m);
    if sigma >= f {
        (m, sigma, source)
    } else {
        (m, f, f_source)
    }
}

/// The floor of a count series: `max(min_scale, √m)`.
pub fn count_floor(min_scale: f64) -> impl Fn(f64) -> (f64, ScaleSource) {
    move |m| {
        let poisson = m.max(0.0).sqrt();
        if poisson > min_scale {
            (poisson, ScaleSource::Sampling)
        } else {
            (min_scale, ScaleSource::Floor)
        }
    }
}

/// The floor of a share series in a bin of `d > 0` articles:
/// `max(min_scale / d, √(m (1 − m) / d))`.
pub fn share_floor(min_scale: f64, d: u32) -> impl Fn(f64) -> (f64, ScaleSource) {
    let d = f64::from(d.max(1));
    move |m| {
        let binomial = (m.clamp(0.0, 1.0) * (1.0 - m.clamp(0.0, 1.0)) / d).sqrt();
        if binomial > min_scale / d {
            (binomial, ScaleSource::Sampling)
        } else {
            (min_scale / d, ScaleSource::Floor)
        }
    }
}

/// Modified z-score of every bin against the `window` bins before it, without flagging (so
/// without the frozen baseline of [`flag_bins`]).
///
/// `values[t]` is `None` for a bin without a value; `floor(t, m)` is the scale floor of bin `t`
/// for a history median `m` (with the source to report). A bin gets `None` when it has no value
/// or fewer than `min_history` values in its window.
pub fn trailing_zscores(
    values: &[Option<f64>],
    floor: impl Fn(usize, f64) -> (f64, ScaleSource),
    window: usize,
    min_history: usize,
) -> Vec<Option<RobustScore>> {
    flag_bins(values, floor, window, min_history, |_, _| false).0
}

/// Scores every bin as [`trailing_zscores`] and flags it when `flag(t, score)` holds, with the
/// baseline frozen during a burst: while bins `s..t` are flagged and `t − s < window`, bin `t` is
/// scored against the `window` bins before `s` rather than before `t`, so a burst does not
/// inflate the median and MAD its own continuation is judged by. A run as long as the window
/// (a lasting level shift) lets the baseline catch up and ends.
pub fn flag_bins(
    values: &[Option<f64>],
    floor: impl Fn(usize, f64) -> (f64, ScaleSource),
    window: usize,
    min_history: usize,
    flag: impl Fn(usize, &RobustScore) -> bool,
) -> (Vec<Option<RobustScore>>, Vec<bool>) {
    let n = values.len();
    let mut history = Vec::with_capacity(window);
    let mut scores = Vec::with_capacity(n);
    let mut flags = vec![false; n];
    let mut run_start = 0;
    for t in 0..n {
        if t == 0 || !flags[t - 1] {
            run_start = t;
        }
        let end = if t - run_start < window { run_start } else { t };
        let score = values[t].and_then(|x| {
            history.clear();
            history.extend(values[end.saturating_sub(window)..end].iter().flatten());
            if history.is_empty() || history.len() < min_history {
                return None;
            }
            let (median, scale, source) = robust_scale(&history, |m| floor(t, m));
            Some(RobustScore {
                z: (x - median) / scale,
                median,
                scale,
                source,
            })
        });
        flags[t] = score.as_ref().is_some_and(|s| flag(t, s));
        scores.push(score);
    }
    (scores, flags)
}

/// Maximal runs of consecutive `true` bins, as inclusive `(start, end)` pairs.
pub fn flagged_runs(flags: &[bool]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut t = 0;
    while t < flags.len() {
        if flags[t] {
            let start = t;
            while t + 1 < flags.len() && flags[t + 1] {
                t += 1;
            }
            runs.push((start, t));
        }
        t += 1;
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(f: f64) -> impl Fn(f64) -> (f64, ScaleSource) {
        move |_| (f, ScaleSource::Floor)
    }

    #[test]
    fn median_odd_and_even() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn hand_computed_mad_score() {
        // History 1, 2, 3, 4, 100: median 3, |dev| = 2, 1, 0, 1, 97 → MAD = 1.
        // σ̂ = 1.4826; x = 9: z = 6 / 1.4826 = 4.0469 (= 0.6745 · 6 / 1, up to rounding).
        let (m, s, src) = robust_scale(&[1.0, 2.0, 3.0, 4.0, 100.0], fixed(0.5));
        assert_eq!((m, s, src), (3.0, 1.4826, ScaleSource::Mad));
        assert!(((9.0 - m) / s - 4.0469).abs() < 1e-4);
    }

    #[test]
    fn mad_zero_falls_back_to_mean_absolute_deviation() {
        // History 0,0,0,0,0,0,5: median 0, |dev| = 0 ×6 and 5 → MAD = 0, MeanAD = 5/7.
        // σ̂ = 1.253314 · 5/7 = 0.895224 (above the floor 0.5).
        let (m, s, src) = robust_scale(&[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0], fixed(0.5));
        assert_eq!(m, 0.0);
        assert_eq!(src, ScaleSource::MeanAbsDev);
        assert!((s - 0.895224).abs() < 1e-6);
        // With the default floor of one article the floor wins.
        let (_, s, src) = robust_scale(&[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0], count_floor(1.0));
        assert_eq!((s, src), (1.0, ScaleSource::Floor));
    }

    #[test]
    fn constant_history_uses_the_floor() {
        // MAD = MeanAD = 0 and median 0: z = x / min_scale, finite.
        let values: Vec<Option<f64>> = [0.0, 0.0, 0.0, 0.0, 5.0].iter().map(|&x| Some(x)).collect();
        let z = trailing_zscores(&values, |_, m| count_floor(1.0)(m), 4, 3);
        assert!(
            z[..3].iter().all(Option::is_none),
            "fewer than 3 bins of history"
        );
        let z3 = z[3].unwrap();
        assert_eq!((z3.z, z3.source), (0.0, ScaleSource::Floor));
        let z4 = z[4].unwrap();
        assert_eq!((z4.z, z4.median, z4.scale), (5.0, 0.0, 1.0));
        // Constant 2s: the Poisson floor √2 applies, z = 4 / √2.
        let values: Vec<Option<f64>> = [2.0, 2.0, 2.0, 2.0, 6.0].iter().map(|&x| Some(x)).collect();
        let z4 = trailing_zscores(&values, |_, m| count_floor(1.0)(m), 4, 3)[4].unwrap();
        assert_eq!(z4.source, ScaleSource::Sampling);
        assert!((z4.z - 4.0 / 2f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn sampling_floors() {
        // Counts with median 9: Poisson sd 3 > 1. Median 0.25: √0.25 = 0.5 < 1, min_scale wins.
        assert_eq!(count_floor(1.0)(9.0), (3.0, ScaleSource::Sampling));
        assert_eq!(count_floor(1.0)(0.25), (1.0, ScaleSource::Floor));
        // Shares in a bin of 100: median 0.1 → √(0.1 · 0.9 / 100) = 0.03 > 1/100.
        let (f, src) = share_floor(1.0, 100)(0.1);
        assert!((f - 0.03).abs() < 1e-12 && src == ScaleSource::Sampling);
        assert_eq!(share_floor(1.0, 100)(0.0), (0.01, ScaleSource::Floor));
        // History 7, 8, 8, 8, 9 has MAD 0 and MeanAD 0.4 → σ̂ = 0.501; the Poisson floor √8 wins.
        let (m, s, src) = robust_scale(&[7.0, 8.0, 8.0, 8.0, 9.0], count_floor(1.0));
        assert_eq!(m, 8.0);
        assert!((s - 8f64.sqrt()).abs() < 1e-12 && src == ScaleSource::Sampling);
    }

    #[test]
    fn missing_values_are_skipped() {
        let values = [Some(1.0), None, Some(1.0), Some(1.0), None, Some(5.0)];
        let z = trailing_zscores(&values, |_, m| count_floor(1.0)(m), 5, 3);
        assert!(z[1].is_none() && z[4].is_none());
        // Window of bin 5 = bins 0..5, values 1, 1, 1 → median 1, floor 1: z = 4.
        assert_eq!(z[5].unwrap().z, 4.0);
    }

    #[test]
    fn baseline_is_frozen_during_a_burst() {
        // Eight bins of 10, then 30, 30, 30, 30, then 10s; window 4, min history 4.
        // Without freezing, the fourth 30 would be scored against 30, 30, 30, 10 (median 30).
        // Frozen, every 30 is scored against 10, 10, 10, 10 (median 10, floor √10): z = 6.32.
        let mut v = vec![10.0; 8];
        v.extend([30.0, 30.0, 30.0, 30.0]);
        v.extend([10.0; 4]);
        let values: Vec<Option<f64>> = v.iter().map(|&x| Some(x)).collect();
        let (s, f) = flag_bins(&values, |_, m| count_floor(1.0)(m), 4, 4, |_, s| s.z > 3.5);
        assert_eq!(f.iter().filter(|&&x| x).count(), 4);
        assert!(f[8..12].iter().all(|&x| x));
        assert!((s[11].unwrap().z - 20.0 / 10f64.sqrt()).abs() < 1e-12);
        // A level shift: flagged for `window` bins, then the baseline catches up.
        let mut v = vec![10.0; 8];
        v.extend([30.0; 12]);
        let values: Vec<Option<f64>> = v.iter().map(|&x| Some(x)).collect();
        let (_, f) = flag_bins(&values, |_, m| count_floor(1.0)(m), 4, 4, |_, s| s.z > 3.5);
        assert_eq!(flagged_runs(&f), vec![(8, 11)]);
    }

    #[test]
    fn runs_of_flags() {
        let f = [false, true, true, false, true, false, false, true];
        assert_eq!(flagged_runs(&f), vec![(1, 2), (4, 4), (7, 7)]);
        assert!(flagged_runs(&[]).is_empty());
    }
}
