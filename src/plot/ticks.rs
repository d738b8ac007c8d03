//! Axis ticks: calendar ticks suited to the bin unit (days, weeks, months, years, with the year
//! written under the first tick and wherever it changes) and "nice" value ticks (1, 2, 5 × 10ᵏ).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::data::BinUnit;

/// A tick on the time axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeTick {
    /// Where the tick is.
    pub date: NaiveDate,
    /// First label line: `6 Mar`, `Mar` or `2017`.
    pub label: String,
    /// Second label line: the year, on the first tick and where the year changes.
    pub year: Option<String>,
}

/// Spacing between time ticks, finest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Days(i64),
    Weeks(i64),
    Months(u32),
    Years(i32),
}

const STEPS: [Step; 16] = [
    Step::Days(1),
    Step::Days(2),
    Step::Weeks(1),
    Step::Weeks(2),
    Step::Months(1),
    Step::Months(2),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(20),
    Step::Years(50),
    Step::Years(100),
    Step::Years(500),
];

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}

fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(n))
        .unwrap_or(NaiveDate::MAX)
}

/// Tick dates of `step` within `[first, last]`.
fn dates(step: Step, first: NaiveDate, last: NaiveDate, unit: BinUnit) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut d = match step {
        Step::Days(_) => first,
        Step::Weeks(_) if unit == BinUnit::Week => first,
        Step::Weeks(_) => {
            let ahead = (7 + Weekday::Mon.num_days_from_monday() as i64
                - first.weekday().num_days_from_monday() as i64)
                % 7;
            first + Duration::days(ahead)
        }
        Step::Months(k) => {
            let mut m = first_of_month(first);
            if m < first {
                m = add_months(m, 1);
            }
            while !m.month0().is_multiple_of(k) {
                m = add_months(m, 1);
            }
            m
        }
        Step::Years(k) => {
            let mut y = first.year();
            if NaiveDate::from_ymd_opt(y, 1, 1).is_some_and(|j| j < first) {
                y += 1;
            }
            y = y.div_euclid(k) * k + if y.rem_euclid(k) == 0 { 0 } else { k };
            NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MAX)
        }
    };
    while d <= last {
        out.push(d);
        d = match step {
            Step::Days(k) => d + Duration::days(k),
            Step::Weeks(k) => d + Duration::weeks(k),
            Step::Months(k) => add_months(d, k),
            Step::Years(k) => NaiveDate::from_ymd_opt(d.year() + k, 1, 1).unwrap_or(NaiveDate::MAX),
        };
        if d == NaiveDate::MAX {
            break;
        }
    }
    out
}

fn finest_allowed(step: Step, unit: BinUnit) -> bool {
    match unit {
        BinUnit::Day | BinUnit::Auto => true,
        BinUnit::Week => !matches!(step, Step::Days(_)),
        BinUnit::Month => matches!(step, Step::Months(_) | Step::Years(_)),
    }
}

/// Calendar ticks for dates from `first` to `last`: the finest spacing not finer than the bin
/// unit that gives at most `max_ticks` ticks (at least one tick: `first` when none falls inside).
pub fn time_ticks(
    first: NaiveDate,
    last: NaiveDate,
    unit: BinUnit,
    max_ticks: usize,
) -> Vec<TimeTick> {
    let max_ticks = max_ticks.max(1);
    let mut chosen = (Step::Years(500), Vec::new());
    for step in STEPS.iter().copied().filter(|s| finest_allowed(*s, unit)) {
        let ds = dates(step, first, last, unit);
        if ds.len() <= max_ticks {
            chosen = (step, ds);
            break;
        }
    }
    let (step, mut ds) = chosen;
    if ds.is_empty() {
        ds.push(first);
    }
    let mut prev_year = None;
    ds.into_iter()
        .map(|d| {
            let label = match step {
                Step::Days(_) | Step::Weeks(_) => d.format("%-d %b").to_string(),
                Step::Months(_) => d.format("%b").to_string(),
                Step::Years(_) => d.format("%Y").to_string(),
            };
            let year = match step {
                Step::Years(_) => None,
                _ if prev_year != Some(d.year()) => Some(d.year().to_string()),
                _ => None,
            };
            prev_year = Some(d.year());
            TimeTick {
                date: d,
                label,
                year,
            }
        })
        .collect()
}

/// Ticks from 0 for values up to `max`: `(ticks, top)`, with about `target` intervals of
/// 1, 2 or 5 × 10ᵏ (at least 1 when `integer`), and `top` the last tick (≥ `max`, > 0).
pub fn value_ticks(max: f64, target: usize, integer: bool) -> (Vec<f64>, f64) {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        0.0
    };
    let target = target.max(1) as f64;
    let raw = if max > 0.0 { max / target } else { 1.0 };
    let mag = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * mag);
    if integer {
        step = step.max(1.0).round();
    }
    let n = ((max / step).ceil() as usize).max(1);
    let ticks = (0..=n).map(|i| i as f64 * step).collect::<Vec<_>>();
    let top = n as f64 * step;
    (ticks, top)
}

/// An integer with thousands separators: `12,345`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A tick value: integers with separators, others with up to 2 decimals.
pub fn format_value(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        thousands(v.round().max(0.0) as u64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn labels(t: &[TimeTick]) -> Vec<String> {
        t.iter()
            .map(|t| match &t.year {
                Some(y) => format!("{} {}", t.label, y),
                None => t.label.clone(),
            })
            .collect()
    }

    #[test]
    fn monthly_bins_over_a_year_get_month_ticks_with_year_at_change() {
        let t = time_ticks(d(2016, 11, 1), d(2017, 10, 1), BinUnit::Month, 12);
        assert_eq!(t.len(), 12);
        assert_eq!(labels(&t)[..3], ["Nov 2016", "Dec", "Jan 2017"]);
    }

    #[test]
    fn monthly_ticks_thin_to_quarters() {
        let t = time_ticks(d(2016, 1, 1), d(2017, 12, 1), BinUnit::Month, 10);
        assert_eq!(
            labels(&t),
            ["Jan 2016", "Apr", "Jul", "Oct", "Jan 2017", "Apr", "Jul", "Oct"]
        );
    }

    #[test]
    fn weekly_bins_tick_on_bin_starts() {
        let t = time_ticks(d(2017, 1, 2), d(2017, 2, 27), BinUnit::Week, 12);
        assert_eq!(t.len(), 9);
        assert_eq!(t[0].date, d(2017, 1, 2));
        assert_eq!(labels(&t)[..2], ["2 Jan 2017", "9 Jan"]);
    }

    #[test]
    fn daily_bins_over_a_month_tick_on_mondays_or_months() {
        let t = time_ticks(d(2017, 3, 1), d(2017, 3, 31), BinUnit::Day, 6);
        assert_eq!(labels(&t), ["6 Mar 2017", "13 Mar", "20 Mar", "27 Mar"]);
        let t = time_ticks(d(2017, 1, 1), d(2017, 6, 30), BinUnit::Day, 8);
        assert_eq!(labels(&t), ["Jan 2017", "Feb", "Mar", "Apr", "May", "Jun"]);
    }

    #[test]
    fn long_spans_tick_on_years() {
        let t = time_ticks(d(1990, 1, 1), d(2020, 1, 1), BinUnit::Month, 8);
        assert_eq!(
            labels(&t),
            ["1990", "1995", "2000", "2005", "2010", "2015", "2020"]
        );
    }

    #[test]
    fn a_single_bin_still_gets_a_tick() {
        let t = time_ticks(d(2017, 3, 15), d(2017, 3, 15), BinUnit::Month, 8);
        assert_eq!(labels(&t), ["Mar 2017"]);
    }

    #[test]
    fn value_ticks_are_nice() {
        assert_eq!(
            value_ticks(37.0, 5, true),
            (vec![0.0, 10.0, 20.0, 30.0, 40.0], 40.0)
        );
        assert_eq!(value_ticks(3.0, 5, true), (vec![0.0, 1.0, 2.0, 3.0], 3.0));
        assert_eq!(value_ticks(0.0, 5, true), (vec![0.0, 1.0], 1.0));
        let (t, top) = value_ticks(0.37, 4, false);
        assert_eq!(top, 0.4);
        assert_eq!(t.len(), 5);
    }

    #[test]
    fn numbers_are_formatted_for_reading() {
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(format_value(2500.0), "2,500");
        assert_eq!(format_value(0.25), "0.25");
    }
}
