//! Kleinberg's burst detection for batched arrivals.
//!
//! Kleinberg, J. (2002). *Bursty and hierarchical structure in streams.* KDD '02, pp. 91–101;
//! Data Mining and Knowledge Discovery 7 (2003), 373–397. Section 4 ("enumerating bursts")
//! treats documents that arrive in batches: batch `t` holds `d_t` documents of which `r_t` are
//! relevant (here: `r_t` articles of one topic among the `d_t` dated articles of time bin `t`).
//!
//! # The automaton
//!
//! A hidden automaton with states `q_0 … q_{k-1}` (`k` = `states`, default 2) emits, in state
//! `i`, each document of a batch as relevant with probability `p_i`:
//!
//! ```text
//! p_0 = R / D                     with R = Σ_t r_t, D = Σ_t d_t   (the base rate)
//! p_i = min(p_0 · s^i, (1 + p_{i-1}) / 2)                          (i ≥ 1)
//! ```
//!
//! The cap keeps every rate strictly below 1 and strictly increasing: when `p_0 · s^i` would
//! reach 1 or more, the state takes the midpoint between the previous rate and 1 instead.
//!
//! Costs (negative log-likelihoods):
//!
//! ```text
//! σ(i, t) = −ln[ C(d_t, r_t) · p_i^{r_t} · (1 − p_i)^{d_t − r_t} ]
//! τ(i, j) = (j − i) · γ · ln n    if j > i   (n = number of bins)
//!         = 0                      if j ≤ i
//! ```
//!
//! The automaton starts in `q_0` before the first bin. The optimal state sequence minimises
//! `Σ_t σ(q_t, t) + Σ_t τ(q_{t-1}, q_t)` and is found exactly by the Viterbi algorithm in
//! `O(n·k²)`. The binomial coefficient `C(d_t, r_t)` is the same for every state of a bin, so it
//! never changes the optimum; it is left out of [`KleinbergFit::bin_costs`] and
//! [`KleinbergFit::cost`].
//!
//! # Bursts and their weight
//!
//! [`KleinbergFit::bursts`] returns the maximal runs of bins in a state ≥ 1, with the highest
//! level reached and the weight
//!
//! ```text
//! weight = Σ_{t in run} [ σ(0, t) − σ(q_t, t) ]
//! ```
//!
//! the cost saved by the chosen states over the base state; with two states this is exactly
//! Kleinberg's burst weight. [`KleinbergFit::bursts_at_level`] gives Kleinberg's hierarchical
//! intervals of one level `j` (maximal runs in a state ≥ `j`, weight `Σ σ(j−1, t) − σ(j, t)`).
//! Because entering a burst costs `γ ln n`, every run of a level-1 optimum has weight > `γ ln n`.
//!
//! # Edge cases
//!
//! - A bin with `d_t = 0` has `σ(i, t) = 0` for every state: it neither helps nor hurts a burst.
//!   Runs are trimmed so they never start or end on such a bin.
//! - An empty series, `R = 0` (all-zero series), `D = 0` or `R = D` (the topic is every article;
//!   no higher rate exists) gives all bins in state 0 and no bursts.
//! - `r_t > d_t` is an input error. `n = 1` makes `ln n = 0`: transitions are free.
//! - Ties in the Viterbi recursion go to the lower state, so bursts are as short as possible.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Largest number of automaton states accepted.
pub const MAX_STATES: usize = 16;

/// One maximal run of bins in a burst state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KleinbergRun {
    /// First bin of the run.
    pub start: usize,
    /// Last bin of the run (inclusive).
    pub end: usize,
    /// Highest state reached in the run (1 with a two-state automaton).
    pub level: usize,
    /// Cost saved over the base state (see the module documentation).
    pub weight: f64,
}

/// The fitted automaton for one series: rates, optimal states and costs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KleinbergFit {
    /// Emission rate `p_i` of each state (empty for a degenerate series).
    pub rates: Vec<f64>,
    /// Cost `γ ln n` of moving up one level.
    pub transition_cost: f64,
    /// Optimal state of each bin.
    pub states: Vec<usize>,
    /// Total cost of the optimal sequence, without the binomial coefficients.
    pub cost: f64,
    /// `bin_costs[t][i]` = `σ(i, t)` without the binomial coefficient (empty if degenerate).
    pub bin_costs: Vec<Vec<f64>>,
}

/// `−[r ln p + (d − r) ln(1 − p)]`, with `0 · ln(·) = 0`. Requires `0 < p < 1`.
fn emission_cost(r: u32, d: u32, p: f64) -> f64 {
    let hit = if r == 0 { 0.0 } else { f64::from(r) * p.ln() };
    let miss = if d == r {
        0.0
    } else {
        f64::from(d - r) * (-p).ln_1p()
    };
    -(hit + miss)
}

/// The rates `p_0 … p_{k-1}` (see the module documentation). Requires `0 < p0 < 1`.
pub fn state_rates(p0: f64, s: f64, states: usize) -> Vec<f64> {
    let mut rates = Vec::with_capacity(states);
    rates.push(p0);
    for i in 1..states {
        let prev = rates[i - 1];
        let raw = p0 * s.powi(i as i32);
        rates.push(raw.min((1.0 + prev) / 2.0));
    }
    rates
}

/// Fits the `states`-state automaton to relevant counts `r` out of totals `d`.
///
/// Errors when `r` and `d` differ in length, some `r_t > d_t`, `s ≤ 1`, `γ < 0` (or either is not
/// finite), or `states` outside `2..=16`.
pub fn fit(r: &[u32], d: &[u32], s: f64, gamma: f64, states: usize) -> Result<KleinbergFit> {
    if r.len() != d.len() {
        return Err(Error::param(
            "counts",
            format!("{} bins vs {} totals", r.len(), d.len()),
            "a topic series and the totals must have the same length",
        ));
    }
    if let Some(t) = (0..r.len()).find(|&t| r[t] > d[t]) {
        return Err(Error::param(
            "counts",
            format!("bin {t}: {} > {}", r[t], d[t]),
            "a topic count exceeds the total of its bin",
        ));
    }
    if !(s.is_finite() && s > 1.0) {
        return Err(Error::param("s", s, "must be a finite number > 1"));
    }
    if !(gamma.is_finite() && gamma >= 0.0) {
        return Err(Error::param("gamma", gamma, "must be a finite number ≥ 0"));
    }
    if !(2..=MAX_STATES).contains(&states) {
        return Err(Error::param(
            "states",
            states,
            format!("must be between 2 and {MAX_STATES}"),
        ));
    }

    let n = r.len();
    let total_r: u64 = r.iter().map(|&x| u64::from(x)).sum();
    let total_d: u64 = d.iter().map(|&x| u64::from(x)).sum();
    let transition_cost = if n > 0 { gamma * (n as f64).ln() } else { 0.0 };
    if n == 0 || total_r == 0 || total_r == total_d {
        return Ok(KleinbergFit {
            rates: Vec::new(),
            transition_cost,
            states: vec![0; n],
            cost: 0.0,
            bin_costs: Vec::new(),
        });
    }
    let p0 = total_r as f64 / total_d as f64;
    let rates = state_rates(p0, s, states);
    let bin_costs: Vec<Vec<f64>> = (0..n)
        .map(|t| {
            rates
                .iter()
                .map(|&p| emission_cost(r[t], d[t], p))
                .collect()
        })
        .collect();

    // Viterbi. `best[i]`: cheapest cost of a sequence ending in state i at the current bin;
    // before bin 0 the automaton is in q_0. Ties keep the lower predecessor state.
    let k = states;
    let mut back = vec![0u8; n * k];
    let mut best: Vec<f64> = (0..k)
        .map(|i| if i == 0 { 0.0 } else { f64::INFINITY })
        .collect();
    let mut next = vec![0.0; k];
    for t in 0..n {
        for j in 0..k {
            let (mut arg, mut val) = (0usize, f64::INFINITY);
            for (i, &b) in best.iter().enumerate() {
                let tau = if j > i {
                    (j - i) as f64 * transition_cost
                } else {
                    0.0
                };
                if b + tau < val {
                    val = b + tau;
                    arg = i;
                }
            }
            back[t * k + j] = arg as u8;
            next[j] = val + bin_costs[t][j];
        }
        std::mem::swap(&mut best, &mut next);
    }
    let (mut state, mut cost) = (0usize, f64::INFINITY);
    for (j, &b) in best.iter().enumerate() {
        if b < cost {
            cost = b;
            state = j;
        }
    }
    let mut path = vec![0usize; n];
    for t in (0..n).rev() {
        path[t] = state;
        state = back[t * k + state] as usize;
    }
    Ok(KleinbergFit {
        rates,
        transition_cost,
        states: path,
        cost,
        bin_costs,
    })
}

impl KleinbergFit {
    /// Maximal runs of bins in a state ≥ 1, trimmed of empty bins at both ends, with the cost
    /// saving of the chosen states over the base state as weight.
    ///
    /// `totals` are the `d_t` the fit was computed from (used to trim `d_t = 0` bins).
    pub fn bursts(&self, totals: &[u32]) -> Vec<KleinbergRun> {
        self.runs(totals, 1, |t, q| {
            self.bin_costs[t][0] - self.bin_costs[t][q]
        })
    }

    /// Kleinberg's hierarchical intervals of one level `j ≥ 1`: maximal runs in a state ≥ `j`,
    /// weight `Σ σ(j−1, t) − σ(j, t)`. Empty for `j = 0` or `j` above the number of states.
    pub fn bursts_at_level(&self, totals: &[u32], level: usize) -> Vec<KleinbergRun> {
        if level == 0 || level >= self.rates.len() {
            return Vec::new();
        }
        self.runs(totals, level, |t, _| {
            self.bin_costs[t][level - 1] - self.bin_costs[t][level]
        })
    }

    fn runs(
        &self,
        totals: &[u32],
        level: usize,
        saving: impl Fn(usize, usize) -> f64,
    ) -> Vec<KleinbergRun> {
        let n = self.states.len();
        let mut out = Vec::new();
        let mut t = 0;
        while t < n {
            if self.states[t] < level {
                t += 1;
                continue;
            }
            let mut end = t;
            while end + 1 < n && self.states[end + 1] >= level {
                end += 1;
            }
            let (mut a, mut b) = (t, end);
            while a < b && totals.get(a) == Some(&0) {
                a += 1;
            }
            while b > a && totals.get(b) == Some(&0) {
                b -= 1;
            }
            if totals.get(a) != Some(&0) {
                let weight = (a..=b).map(|u| saving(u, self.states[u])).sum();
                let top = (a..=b).map(|u| self.states[u]).max().unwrap_or(level);
                out.push(KleinbergRun {
                    start: a,
                    end: b,
                    level: top,
                    weight,
                });
            }
            t = end + 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * (1.0 + a.abs().max(b.abs()))
    }

    /// Exhaustive search over all k^n state sequences, the reference for the Viterbi step.
    fn brute_force(fit: &KleinbergFit, n: usize, k: usize) -> f64 {
        let mut best = f64::INFINITY;
        let mut seq = vec![0usize; n];
        loop {
            let mut c = 0.0;
            let mut prev = 0;
            for (t, &q) in seq.iter().enumerate() {
                if q > prev {
                    c += (q - prev) as f64 * fit.transition_cost;
                }
                c += fit.bin_costs[t][q];
                prev = q;
            }
            best = best.min(c);
            let mut i = 0;
            loop {
                if i == n {
                    return best;
                }
                seq[i] += 1;
                if seq[i] < k {
                    break;
                }
                seq[i] = 0;
                i += 1;
            }
        }
    }

    #[test]
    fn hand_worked_single_spike() {
        // r = [0, 0, 10, 0, 0], d = 10 each. R = 10, D = 50, p0 = 0.2, p1 = 0.4 (s = 2).
        // n = 5, γ = 1: τ = ln 5 = 1.6094.
        // r = 0:  σ0 = −10 ln 0.8 = 2.2314, σ1 = −10 ln 0.6 = 5.1083  (σ1 − σ0 = +2.8768)
        // r = 10: σ0 = −10 ln 0.2 = 16.0944, σ1 = −10 ln 0.4 = 9.1629 (σ0 − σ1 = 6.9315)
        // All-base cost: 4·2.2314 + 16.0944 = 25.0201.
        // Burst on bin 2 only: 4·2.2314 + 1.6094 + 9.1629 = 19.6980  (better by 5.3221).
        // Extending it to bin 1 or 3 adds +2.8768 and saves nothing: not taken.
        let r = [0, 0, 10, 0, 0];
        let d = [10; 5];
        let f = fit(&r, &d, 2.0, 1.0, 2).unwrap();
        assert!(close(f.rates[0], 0.2) && close(f.rates[1], 0.4));
        assert!(close(f.transition_cost, 5f64.ln()));
        assert_eq!(f.states, vec![0, 0, 1, 0, 0]);
        assert!((f.cost - 19.6980).abs() < 1e-3, "{}", f.cost);
        let b = f.bursts(&d);
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].start, b[0].end, b[0].level), (2, 2, 1));
        assert!((b[0].weight - 10.0 * 2f64.ln()).abs() < 1e-9);
    }

    #[test]
    fn hand_worked_bump_too_small_for_gamma() {
        // r = [2, 2, 4, 2, 2], d = 10 each. R = 12, D = 50, p0 = 0.24, p1 = 0.48.
        // Bin with r = 4: σ0 − σ1 = 4 ln(0.48/0.24) + 6 ln(0.52/0.76)
        //                         = 4·0.693147 + 6·(−0.379490) = 2.772589 − 2.276939 = 0.495650
        // γ = 1: τ = ln 5 = 1.609438 > 0.495650, so the burst state never pays off: all zeros.
        // γ = 0.2: τ = 0.321888 < 0.495650, so bin 2 (and only it: bins with r = 2 have
        //   σ0 − σ1 = 2·0.693147 + 8·(−0.379490) = −1.649625 < 0) becomes a burst of weight
        //   0.495650.
        let r = [2, 2, 4, 2, 2];
        let d = [10; 5];
        let f = fit(&r, &d, 2.0, 1.0, 2).unwrap();
        assert_eq!(f.states, vec![0; 5]);
        assert!(f.bursts(&d).is_empty());
        let f = fit(&r, &d, 2.0, 0.2, 2).unwrap();
        assert_eq!(f.states, vec![0, 0, 1, 0, 0]);
        let b = f.bursts(&d);
        assert_eq!(b.len(), 1);
        assert!((b[0].weight - 0.495650).abs() < 1e-5, "{}", b[0].weight);
    }

    #[test]
    fn hand_worked_gap_is_bridged_when_cheaper_than_reentry() {
        // r = [0, 10, 2, 10, 0, 0, 0, 0], d = 10 each: R = 22, D = 80, p0 = 0.275, p1 = 0.55.
        // n = 8, γ = 1: τ = ln 8 = 2.079442.
        // Middle bin r = 2: σ1 − σ0 = 2 ln(0.275/0.55) + 8 ln(0.725/0.45)
        //                           = −1.386294 + 8·0.476924 = 2.429099.
        // Staying in q1 through it costs 2.429099; dropping to q0 and re-entering costs
        // τ = 2.079442 (down is free), which is cheaper: the optimum splits into two bursts.
        // With γ = 1.5, τ = 3.119162 > 2.429099, so the gap is bridged: one burst over bins 1–3.
        let r = [0, 10, 2, 10, 0, 0, 0, 0];
        let d = [10; 8];
        let f = fit(&r, &d, 2.0, 1.0, 2).unwrap();
        assert_eq!(f.states, vec![0, 1, 0, 1, 0, 0, 0, 0]);
        assert_eq!(f.bursts(&d).len(), 2);
        let f = fit(&r, &d, 2.0, 1.5, 2).unwrap();
        assert_eq!(f.states, vec![0, 1, 1, 1, 0, 0, 0, 0]);
        let b = f.bursts(&d);
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].start, b[0].end), (1, 3));
        // weight = 2·[10 ln 2 + 0] − 2.429099 = 13.862944 − 2.429099 = 11.433845
        assert!((b[0].weight - 11.433845).abs() < 1e-5, "{}", b[0].weight);
    }

    #[test]
    fn viterbi_matches_exhaustive_search() {
        // Small pseudo-random series (fixed LCG), two and three states.
        let mut x: u64 = 12345;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u32
        };
        for case in 0..40 {
            let n = 3 + case % 6;
            let d: Vec<u32> = (0..n).map(|_| next() % 12).collect();
            let r: Vec<u32> = d
                .iter()
                .map(|&dt| if dt == 0 { 0 } else { next() % (dt + 1) })
                .collect();
            for k in [2, 3] {
                let f = fit(&r, &d, 2.0, 0.5 + (case % 3) as f64, k).unwrap();
                if f.rates.is_empty() {
                    continue;
                }
                let bf = brute_force(&f, n, k);
                assert!(close(f.cost, bf), "case {case} k {k}: {} vs {bf}", f.cost);
            }
        }
    }

    #[test]
    fn empty_bins_are_neutral_and_trimmed() {
        // d = 0 bins cost nothing in every state and do not extend a burst at its edges.
        let r = [1, 0, 9, 9, 0, 1, 1, 1];
        let d = [10, 0, 10, 10, 0, 10, 10, 10];
        let f = fit(&r, &d, 2.0, 1.0, 2).unwrap();
        assert!(f.bin_costs[1].iter().all(|&c| c == 0.0));
        let b = f.bursts(&d);
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].start, b[0].end), (2, 3));
    }

    #[test]
    fn degenerate_series_have_no_bursts() {
        let f = fit(&[0, 0, 0], &[5, 0, 7], 2.0, 1.0, 2).unwrap();
        assert_eq!(f.states, vec![0, 0, 0]);
        assert!(f.bursts(&[5, 0, 7]).is_empty());
        let f = fit(&[0, 0], &[0, 0], 2.0, 1.0, 2).unwrap();
        assert!(f.bursts(&[0, 0]).is_empty());
        // The topic is every article: no higher rate exists.
        let f = fit(&[3, 4], &[3, 4], 2.0, 1.0, 2).unwrap();
        assert!(f.bursts(&[3, 4]).is_empty());
        let f = fit(&[], &[], 2.0, 1.0, 2).unwrap();
        assert!(f.states.is_empty());
    }

    #[test]
    fn rates_are_capped_below_one() {
        // p0 = 0.6, s = 2: p1 = min(1.2, 0.8) = 0.8, p2 = min(2.4, 0.9) = 0.9.
        let p = state_rates(0.6, 2.0, 3);
        assert!(close(p[1], 0.8) && close(p[2], 0.9));
        // p0 = 0.1, s = 3: p1 = 0.3, p2 = min(0.9, 0.65) = 0.65.
        let p = state_rates(0.1, 3.0, 3);
        assert!(close(p[1], 0.3) && close(p[2], 0.65));
    }

    #[test]
    fn three_states_reach_level_two() {
        let r = [1, 1, 1, 1, 6, 10, 6, 1, 1, 1, 1, 1];
        let d = [10; 12];
        let f = fit(&r, &d, 2.0, 0.5, 3).unwrap();
        let b = f.bursts(&d);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].level, 2);
        assert!(!f.bursts_at_level(&d, 2).is_empty());
        assert!(f.bursts_at_level(&d, 3).is_empty());
    }

    #[test]
    fn rejects_bad_input() {
        assert!(fit(&[3], &[2], 2.0, 1.0, 2).is_err());
        assert!(fit(&[1, 2], &[2], 2.0, 1.0, 2).is_err());
        assert!(fit(&[1], &[2], 1.0, 1.0, 2).is_err());
        assert!(fit(&[1], &[2], 2.0, -1.0, 2).is_err());
        assert!(fit(&[1], &[2], 2.0, 1.0, 1).is_err());
    }
}
