//! Proportions, tests, multiple-testing control and divergence used by [`crate::compare`].
//!
//! Every function takes plain counts and is pure; the formulas are in the doc comments and the
//! module doc of [`crate::compare`] says how they are combined. Distribution tails come from
//! `statrs` (normal and χ² survival functions, accurate far into the tails, so a p-value of
//! 1e-40 is not rounded to 0 before it is corrected).

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

/// The standard normal quantile for a two-sided 95% interval, Φ⁻¹(0.975).
pub const Z95: f64 = 1.959_963_984_540_054;

/// Φ⁻¹(p) of the standard normal (p in (0, 1)).
pub fn normal_quantile(p: f64) -> f64 {
    Normal::new(0.0, 1.0).expect("valid normal").inverse_cdf(p)
}

/// Upper tail of the standard normal, 1 − Φ(z).
pub fn normal_sf(z: f64) -> f64 {
    Normal::new(0.0, 1.0).expect("valid normal").sf(z)
}

/// Upper tail of the χ² distribution with `df` degrees of freedom, P(X ≥ x); 1 for `x ≤ 0`
/// or `df = 0`.
pub fn chi2_sf(x: f64, df: usize) -> f64 {
    if df == 0 || x <= 0.0 || x.is_nan() {
        return 1.0;
    }
    ChiSquared::new(df as f64).expect("df > 0").sf(x)
}

/// Wilson (1927) score interval for a proportion `x / n` at normal quantile `z`:
///
/// ```text
/// centre = (p̂ + z²/2n) / (1 + z²/n)
/// half   = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²)
/// ```
///
/// Unlike the Wald interval p̂ ± z√(p̂(1 − p̂)/n) it stays inside [0, 1], is not empty at
/// x = 0 or x = n, and keeps close to its nominal coverage for small n (Brown, Cai & DasGupta
/// 2001). Edge cases: `n = 0` gives the uninformative `[0, 1]`; the bound at 0 (x = 0) or
/// 1 (x = n) is exact.
pub fn wilson(x: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (x, nf) = (x.min(n) as f64, n as f64);
    let p = x / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    let low = if x == 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if x == nf {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (low, high)
}

/// Interval for the difference of two proportions p₁ − p₂ by Newcombe's (1998, method 10)
/// hybrid score method, from the Wilson intervals (l₁, u₁) and (l₂, u₂):
///
/// ```text
/// low  = d − √((p₁ − l₁)² + (u₂ − p₂)²)
/// high = d + √((u₁ − p₁)² + (p₂ − l₂)²)
/// ```
///
/// A group with `n = 0` contributes p = 0 and the interval [0, 1], so the result is wide.
pub fn newcombe_diff(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> (f64, f64) {
    let p = |x: u64, n: u64| if n == 0 { 0.0 } else { x as f64 / n as f64 };
    let (p1, p2) = (p(x1, n1), p(x2, n2));
    let (l1, u1) = wilson(x1, n1, z);
    let (l2, u2) = wilson(x2, n2, z);
    let d = p1 - p2;
    let low = d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let high = d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    (low.max(-1.0), high.min(1.0))
}

/// Two-proportion z-test with the pooled variance: for `x₁/n₁` against `x₂/n₂`, with
/// p̂ = (x₁ + x₂)/(n₁ + n₂),
///
/// ```text
/// z = (p₁ − p₂) / √(p̂(1 − p̂)(1/n₁ + 1/n₂)),   p = 2(1 − Φ(|z|))
/// ```
///
/// z² equals the χ² statistic of the 2 × 2 table without continuity correction, so for two
/// collections this test and [`chi2_homogeneity`] give the same p. Edge cases: an empty group
/// (`n = 0`) or a pooled share of 0 or 1 (no variance: both groups are all-out or all-in) give
/// `z = 0, p = 1` — there is no evidence of a difference.
pub fn two_proportion_z(x1: u64, n1: u64, x2: u64, n2: u64) -> (f64, f64) {
    if n1 == 0 || n2 == 0 {
        return (0.0, 1.0);
    }
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let pooled = (x1 + x2) as f64 / (n1f + n2f);
    let var = pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n2f);
    if var <= 0.0 {
        return (0.0, 1.0);
    }
    let z = (x1 as f64 / n1f - x2 as f64 / n2f) / var.sqrt();
    (z, (2.0 * normal_sf(z.abs())).min(1.0))
}

/// Pearson's χ² test of homogeneity on the 2 × C table (in the topic / not in it) × collections,
/// with `x[j]` in-topic articles out of `n[j]` in collection j. With p̂ = Σx / Σn and expected
/// counts E = n_j p̂ (in) and n_j(1 − p̂) (out):
///
/// ```text
/// X² = Σ_j (x_j − n_j p̂)² / (n_j p̂ (1 − p̂)),   df = C' − 1,   p = P(χ²_df ≥ X²)
/// ```
///
/// where C' counts the collections with `n_j > 0` (an empty collection adds no cell). Returns
/// `(X², df, p)`. Edge cases: fewer than two non-empty collections, or p̂ ∈ {0, 1}, give
/// `X² = 0, p = 1`. The χ² approximation is poor when an expected count is below 5; see
/// [`min_expected`].
pub fn chi2_homogeneity(x: &[u64], n: &[u64]) -> (f64, usize, f64) {
    let cols: Vec<(f64, f64)> = x
        .iter()
        .zip(n)
        .filter(|(_, &n)| n > 0)
        .map(|(&x, &n)| (x.min(n) as f64, n as f64))
        .collect();
    let df = cols.len().saturating_sub(1);
    let (sx, sn): (f64, f64) = cols.iter().fold((0.0, 0.0), |a, c| (a.0 + c.0, a.1 + c.1));
    if df == 0 || sn == 0.0 {
        return (0.0, df, 1.0);
    }
    let pooled = sx / sn;
    let v = pooled * (1.0 - pooled);
    if v <= 0.0 {
        return (0.0, df, 1.0);
    }
    let stat: f64 = cols
        .iter()
        .map(|&(x, n)| (x - n * pooled).powi(2) / (n * v))
        .sum();
    (stat, df, chi2_sf(stat, df))
}

/// The smallest expected count of the 2 × C table of [`chi2_homogeneity`] (over non-empty
/// collections); below 5 the test's p-value is only approximate (Cochran 1954).
pub fn min_expected(x: &[u64], n: &[u64]) -> f64 {
    let sx: u64 = x
        .iter()
        .zip(n)
        .filter(|(_, &n)| n > 0)
        .map(|(&x, &n)| x.min(n))
        .sum();
    let sn: u64 = n.iter().sum();
    if sn == 0 {
        return 0.0;
    }
    let pooled = sx as f64 / sn as f64;
    n.iter()
        .filter(|&&n| n > 0)
        .map(|&n| (n as f64 * pooled).min(n as f64 * (1.0 - pooled)))
        .fold(f64::INFINITY, f64::min)
}

/// Benjamini & Hochberg (1995) adjusted p-values ("q-values"): with the m p-values sorted
/// ascending, p₍₁₎ ≤ … ≤ p₍ₘ₎,
///
/// ```text
/// q₍ᵢ₎ = min_{k ≥ i} min(1, m · p₍ₖ₎ / k)
/// ```
///
/// returned in the input order. Rejecting every hypothesis with q < α controls the false
/// discovery rate at α for independent (and positively dependent) tests. NaN p-values are
/// treated as 1; ties keep their input order (they get the same q anyway).
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let clean: Vec<f64> = p
        .iter()
        .map(|&v| if v.is_nan() { 1.0 } else { v.clamp(0.0, 1.0) })
        .collect();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| clean[a].total_cmp(&clean[b]).then(a.cmp(&b)));
    let mut q = vec![1.0; m];
    let mut running = 1.0f64;
    for rank in (0..m).rev() {
        let i = order[rank];
        running = running
            .min(clean[i] * m as f64 / (rank + 1) as f64)
            .min(1.0);
        q[i] = running;
    }
    q
}

/// Jensen–Shannon divergence (Lin 1991) in bits between two distributions given as
/// non-negative weights (counts are normalised here):
///
/// ```text
/// JSD(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M),   M = (P + Q)/2,   KL(P ‖ M) = Σ p log₂(p / m)
/// ```
///
/// with 0 · log 0 = 0. It is symmetric, 0 for identical distributions and 1 for disjoint ones.
/// `None` when either side has zero total weight (no distribution) or the lengths differ.
pub fn jsd(p: &[f64], q: &[f64]) -> Option<f64> {
    if p.len() != q.len() {
        return None;
    }
    let (sp, sq): (f64, f64) = (p.iter().sum(), q.iter().sum());
    if !(sp > 0.0 && sq > 0.0) {
        return None;
    }
    let mut d = 0.0;
    for (&a, &b) in p.iter().zip(q) {
        let (a, b) = (a / sp, b / sq);
        let m = 0.5 * (a + b);
        if a > 0.0 {
            d += 0.5 * a * (a / m).log2();
        }
        if b > 0.0 {
            d += 0.5 * b * (b / m).log2();
        }
    }
    Some(d.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn wilson_by_hand_and_scipy() {
        // 15/50: p = 0.3, z² = 3.8415, 1 + z²/n = 1.07683, centre = 0.338415/1.07683 = 0.314269,
        // half = 1.82015 · √(0.0042 + 0.000384) = 0.123235 → [0.191034, 0.437504]
        // (scipy.stats.binomtest(15, 50).proportion_ci(method="wilson"): 0.1910355, 0.4375035).
        let (l, h) = wilson(15, 50, Z95);
        assert!(close(l, 0.191_035_535_008_809_5, 1e-12), "{l}");
        assert!(close(h, 0.437_503_504_644_534_1, 1e-12), "{h}");
        // Edges: 0/20 → [0, 0.161125], 20/20 → [0.838875, 1], n = 0 → [0, 1].
        let (l, h) = wilson(0, 20, Z95);
        assert_eq!(l, 0.0);
        assert!(close(h, 0.161_125_158_052_819_4, 1e-12));
        let (l, h) = wilson(20, 20, Z95);
        assert!(close(l, 0.838_874_841_947_180_8, 1e-12));
        assert_eq!(h, 1.0);
        assert_eq!(wilson(0, 0, Z95), (0.0, 1.0));
    }

    #[test]
    fn newcombe_contains_the_difference() {
        // 30/100 vs 18/120: d = 0.15; Wilson (0.2189, 0.3958) and (0.0970, 0.2248) →
        // low = 0.15 − √(0.0811² + 0.0748²) = 0.0397, high = 0.15 + √(0.0958² + 0.0530²) = 0.2595.
        let (l, h) = newcombe_diff(30, 100, 18, 120, Z95);
        let (l1, u1) = wilson(30, 100, Z95);
        let (l2, u2) = wilson(18, 120, Z95);
        let want_l = 0.15 - ((0.3 - l1).powi(2) + (u2 - 0.15).powi(2)).sqrt();
        let want_h = 0.15 + ((u1 - 0.3).powi(2) + (0.15 - l2).powi(2)).sqrt();
        assert!(close(l, want_l, 1e-12) && close(h, want_h, 1e-12));
        assert!(close(l, 0.0397, 5e-4) && close(h, 0.2595, 5e-4), "{l} {h}");
    }

    #[test]
    fn two_proportion_z_by_hand() {
        // 30/100 vs 18/120: p̂ = 48/220 = 0.218182, se = √(0.218182 · 0.781818 · (1/100 + 1/120))
        // = 0.0559221, z = 0.15 / 0.0559221 = 2.682306; p = 0.0073116 (scipy chi2_contingency,
        // correction=False: χ² = 7.194767 = z², p = 0.007311646585958889).
        let (z, p) = two_proportion_z(30, 100, 18, 120);
        assert!(close(z, 2.682_306_366_144_715_5, 1e-9), "{z}");
        assert!(close(p, 0.007_311_646_585_958_889, 1e-12), "{p}");
        let (z2, p2) = two_proportion_z(18, 120, 30, 100);
        assert!(close(z2, -z, 1e-12) && close(p2, p, 1e-15));
        // No variance, empty group.
        assert_eq!(two_proportion_z(0, 10, 0, 20), (0.0, 1.0));
        assert_eq!(two_proportion_z(10, 10, 20, 20), (0.0, 1.0));
        assert_eq!(two_proportion_z(3, 10, 0, 0), (0.0, 1.0));
    }

    #[test]
    fn chi2_by_hand_and_matches_z_for_two_groups() {
        // x = [30, 18, 25], n = [100, 120, 80]: p̂ = 73/300, p̂(1 − p̂) = 0.184122;
        // X² = 5.6667²/18.4122 + 11.2²/22.0947 + 5.5333²/14.7298 = 1.74401 + 5.67745 + 2.07864
        // = 9.50003, df = 2 (scipy: 9.500030173194135, p = 0.008651564679465734).
        let (x2, df, p) = chi2_homogeneity(&[30, 18, 25], &[100, 120, 80]);
        assert_eq!(df, 2);
        assert!(close(x2, 9.500_030_173_194_135, 1e-9), "{x2}");
        assert!(close(p, 0.008_651_564_679_465_734, 1e-12), "{p}");
        let (x2, df, p) = chi2_homogeneity(&[30, 18], &[100, 120]);
        let (z, pz) = two_proportion_z(30, 100, 18, 120);
        assert_eq!(df, 1);
        assert!(close(x2, z * z, 1e-9) && close(p, pz, 1e-12));
        // An empty collection is dropped; one left → nothing to test.
        assert_eq!(chi2_homogeneity(&[3, 0], &[10, 0]), (0.0, 0, 1.0));
        assert_eq!(chi2_homogeneity(&[0, 0, 0], &[10, 5, 7]), (0.0, 2, 1.0));
        assert!(close(chi2_sf(7.5, 3), 0.057_558_451_972_636_4, 1e-12));
        assert_eq!(chi2_sf(0.0, 3), 1.0);
    }

    #[test]
    fn tails_keep_their_digits() {
        // scipy.stats.norm.sf: 6.22096057427174e-16 at 8, 2.7536241186061556e-89 at 20.
        let rel = |a: f64, b: f64| ((a - b) / b).abs();
        assert!(
            rel(normal_sf(8.0), 6.220_960_574_271_74e-16) < 1e-8,
            "{}",
            normal_sf(8.0)
        );
        assert!(
            rel(normal_sf(20.0), 2.753_624_118_606_155_6e-89) < 1e-8,
            "{}",
            normal_sf(20.0)
        );
        assert!((normal_quantile(0.975) - Z95).abs() < 1e-9);
    }

    #[test]
    fn min_expected_by_hand() {
        // p̂ = 73/300; smallest of n·p̂ and n·(1 − p̂): 80 · 0.24333 = 19.467.
        assert!(close(
            min_expected(&[30, 18, 25], &[100, 120, 80]),
            80.0 * 73.0 / 300.0,
            1e-12
        ));
    }

    #[test]
    fn benjamini_hochberg_by_hand() {
        // Sorted 0.005, 0.01, 0.03, 0.04, 0.2 → m·p/k = 0.025, 0.025, 0.05, 0.05, 0.2;
        // running minimum from the top gives the same (scipy.stats.false_discovery_control).
        let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005, 0.2]);
        let want = [0.025, 0.05, 0.05, 0.025, 0.2];
        for (a, b) in q.iter().zip(want) {
            assert!(close(*a, b, 1e-15), "{q:?}");
        }
        // Monotone step: 0.04·2/2 = 0.04 and 0.03·2/1 = 0.06 → both 0.04.
        assert_eq!(benjamini_hochberg(&[0.03, 0.04]), vec![0.04, 0.04]);
        assert_eq!(benjamini_hochberg(&[f64::NAN, 0.5]), vec![1.0, 1.0]);
        assert!(benjamini_hochberg(&[]).is_empty());
    }

    #[test]
    fn jsd_by_hand() {
        // [½, ½, 0] vs [0, ½, ½]: M = [¼, ½, ¼]; KL(P‖M) = ½·log₂2 + ½·log₂1 = ½, same for Q → ½.
        assert!(close(
            jsd(&[0.5, 0.5, 0.0], &[0.0, 0.5, 0.5]).unwrap(),
            0.5,
            1e-15
        ));
        // Counts are normalised; scipy jensenshannon(base=2)² = 0.07758920317334433.
        assert!(close(
            jsd(&[2.0, 3.0, 5.0], &[4.0, 4.0, 2.0]).unwrap(),
            0.077_589_203_173_344_33,
            1e-12
        ));
        assert_eq!(jsd(&[1.0, 0.0], &[0.0, 1.0]), Some(1.0));
        assert_eq!(jsd(&[1.0, 2.0], &[2.0, 4.0]), Some(0.0));
        assert_eq!(jsd(&[0.0, 0.0], &[1.0, 1.0]), None);
    }
}
