//! Stage 6: topic volume over time.
//!
//! Dated articles with a topic are counted per topic per time bin. Bins are calendar days, ISO
//! weeks (starting Monday) or calendar months, in UTC, contiguous from the first dated article's
//! bin to the last one's (empty bins included, so a gap reads as zero, not as a missing row).
//! `share` of topic c in bin b is `count(c, b) / count(·, b)`, the fraction of that bin's dated,
//! topic-assigned articles; 0 for an empty bin.
//!
//! `auto` picks days for spans up to 92 days (13–92 bins), weeks up to 200 weeks (14–200 bins),
//! months beyond — so a chart has about 20–200 bins, each holding enough articles to read a trend.
//! (Event detection bins by day whatever this says.)

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

impl std::fmt::Display for BinUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for BinUnit {
    type Err = Error;
    /// `day`, `week`, `month` or `auto` (also `daily`, `d`, `weekly`, `w`, `monthly`, `m`).
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" | "daily" | "d" => Ok(BinUnit::Day),
            "week" | "weekly" | "w" => Ok(BinUnit::Week),
            "month" | "monthly" | "m" => Ok(BinUnit::Month),
            "auto" => Ok(BinUnit::Auto),
            _ => Err(Error::param("bin", s, "expected day, week, month or auto")),
        }
    }
}

/// Bin width.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BinUnit {
    /// Calendar days.
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    /// Calendar months.
    Month,
    /// Chosen from the span (see the module doc).
    #[default]
    Auto,
}

impl BinUnit {
    /// Name as written in outputs (`day`, `week`, `month`, `auto`), as [`BinUnit::name`].
    pub fn as_str(self) -> &'static str {
        self.name()
    }

    /// Adjective for chart titles: `daily`, `weekly`, `monthly` (`daily` for `auto`, which a
    /// built timeline never has).
    pub fn adjective(self) -> &'static str {
        match self {
            BinUnit::Day | BinUnit::Auto => "daily",
            BinUnit::Week => "weekly",
            BinUnit::Month => "monthly",
        }
    }

    /// Guesses the unit from the gap between consecutive bin starts (for a folder without
    /// `run.json`): 1 day → day, 7 days → week, 28–31 days → month; day when there is one bin
    /// (month when it starts on the 1st).
    pub fn infer(bins: &[NaiveDate]) -> BinUnit {
        let gap = bins.windows(2).map(|w| (w[1] - w[0]).num_days()).min();
        match gap {
            Some(g) if (28..=31).contains(&g) => BinUnit::Month,
            Some(g) if g >= 7 => BinUnit::Week,
            _ if bins.len() == 1 && bins[0].day() == 1 => BinUnit::Month,
            _ => BinUnit::Day,
        }
    }

    /// Name as written in outputs.
    pub fn name(self) -> &'static str {
        match self {
            BinUnit::Day => "day",
            BinUnit::Week => "week",
            BinUnit::Month => "month",
            BinUnit::Auto => "auto",
        }
    }

    /// The start of the bin that contains `d`.
    pub fn floor(self, d: NaiveDate) -> NaiveDate {
        match self {
            BinUnit::Day | BinUnit::Auto => d,
            BinUnit::Week => d - Duration::days(d.weekday().num_days_from_monday() as i64),
            BinUnit::Month => d.with_day(1).expect("day 1 exists"),
        }
    }

    /// The start of the bin after the one starting at `d`.
    pub fn next(self, d: NaiveDate) -> NaiveDate {
        match self {
            BinUnit::Day | BinUnit::Auto => d + Duration::days(1),
            BinUnit::Week => d + Duration::days(7),
            BinUnit::Month => {
                let (y, m) = if d.month() == 12 {
                    (d.year() + 1, 1)
                } else {
                    (d.year(), d.month() + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1).expect("valid month")
            }
        }
    }

    /// The unit `auto` resolves to for dates from `first` to `last`.
    pub fn resolve(self, first: NaiveDate, last: NaiveDate) -> BinUnit {
        if self != BinUnit::Auto {
            return self;
        }
        let days = (last - first).num_days() + 1;
        if days <= 92 {
            BinUnit::Day
        } else if days <= 200 * 7 {
            BinUnit::Week
        } else {
            BinUnit::Month
        }
    }
}

/// Articles per topic per bin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// The unit used (never `Auto`).
    pub unit: BinUnit,
    /// Start date of each bin, ascending, contiguous.
    pub bins: Vec<NaiveDate>,
    /// `counts[topic][bin]`.
    pub counts: Vec<Vec<u32>>,
    /// Dated, topic-assigned articles per bin.
    pub totals: Vec<u32>,
    /// Bin index of each article (`None`: undated or without topic).
    pub article_bins: Vec<Option<usize>>,
}

/// Safety cap: more bins than this is certainly a wrong date (e.g. year 1 or 9999).
const MAX_BINS: usize = 100_000;

impl Timeline {
    /// Builds the timeline of `k` topics from each article's date and topic.
    pub fn build(
        dates: &[Option<DateTime<Utc>>],
        topics: &[Option<usize>],
        k: usize,
        unit: BinUnit,
    ) -> Result<Timeline> {
        let dated: Vec<(usize, NaiveDate, usize)> = dates
            .iter()
            .zip(topics)
            .enumerate()
            .filter_map(|(i, (d, t))| Some((i, (*d)?.date_naive(), (*t)?)))
            .collect();
        let (Some(first), Some(last)) = (
            dated.iter().map(|x| x.1).min(),
            dated.iter().map(|x| x.1).max(),
        ) else {
            let unit = if unit == BinUnit::Auto {
                BinUnit::Day
            } else {
                unit
            };
            return Ok(Timeline {
                unit,
                bins: vec![],
                counts: vec![vec![]; k],
                totals: vec![],
                article_bins: vec![None; dates.len()],
            });
        };
        let unit = unit.resolve(first, last);
        let mut bins = vec![unit.floor(first)];
        while unit.next(*bins.last().expect("non-empty")) <= last {
            bins.push(unit.next(*bins.last().expect("non-empty")));
            if bins.len() > MAX_BINS {
                return Err(Error::param(
                    "timeline.bin",
                    unit.name(),
                    format!("dates span {first} to {last}: more than {MAX_BINS} bins; check the dates or use a coarser bin"),
                ));
            }
        }
        let mut counts = vec![vec![0u32; bins.len()]; k];
        let mut totals = vec![0u32; bins.len()];
        let mut article_bins = vec![None; dates.len()];
        for (i, d, t) in dated {
            let b = bins.partition_point(|&s| s <= d) - 1;
            counts[t][b] += 1;
            totals[b] += 1;
            article_bins[i] = Some(b);
        }
        Ok(Timeline {
            unit,
            bins,
            counts,
            totals,
            article_bins,
        })
    }

    /// Share of topic `t` in bin `b` (0 for an empty bin).
    pub fn share(&self, t: usize, b: usize) -> f64 {
        if self.totals[b] == 0 {
            0.0
        } else {
            self.counts[t][b] as f64 / self.totals[b] as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(y, m, day, 12, 0, 0).unwrap())
    }

    #[test]
    fn weekly_bins_with_gaps_and_undated() {
        // 2017-05-10 is a Wednesday → week of Monday 05-08; 05-24 → week of 05-22.
        let dates = [
            d(2017, 5, 10),
            d(2017, 5, 14),
            None,
            d(2017, 5, 24),
            d(2017, 5, 8),
        ];
        let topics = [Some(0), Some(1), Some(0), Some(0), None];
        let t = Timeline::build(&dates, &topics, 2, BinUnit::Week).unwrap();
        let starts: Vec<String> = t.bins.iter().map(|b| b.to_string()).collect();
        assert_eq!(starts, ["2017-05-08", "2017-05-15", "2017-05-22"]);
        assert_eq!(t.counts, vec![vec![1, 0, 1], vec![1, 0, 0]]);
        assert_eq!(t.totals, [2, 0, 1]);
        assert_eq!(
            (t.share(0, 0), t.share(0, 1), t.share(0, 2)),
            (0.5, 0.0, 1.0)
        );
        assert_eq!(t.article_bins, [Some(0), Some(0), None, Some(2), None]);
    }

    #[test]
    fn months_and_auto() {
        let dates = [d(2016, 11, 30), d(2017, 2, 1)];
        let t = Timeline::build(&dates, &[Some(0), Some(0)], 1, BinUnit::Month).unwrap();
        assert_eq!(t.bins.len(), 4);
        assert_eq!(t.bins[1].to_string(), "2016-12-01");
        assert_eq!(t.bins[2].to_string(), "2017-01-01");
        let first = NaiveDate::from_ymd_opt(2017, 1, 1).unwrap();
        assert_eq!(
            BinUnit::Auto.resolve(first, first + Duration::days(91)),
            BinUnit::Day
        );
        assert_eq!(
            BinUnit::Auto.resolve(first, first + Duration::days(92)),
            BinUnit::Week
        );
        assert_eq!(
            BinUnit::Auto.resolve(first, first + Duration::days(1500)),
            BinUnit::Month
        );
    }

    #[test]
    fn counts_sum_to_dated_assigned_articles() {
        let dates: Vec<_> = (0..50)
            .map(|i| {
                if i % 7 == 0 {
                    None
                } else {
                    d(2017, 1 + (i % 12) as u32, 1 + (i % 28) as u32)
                }
            })
            .collect();
        let topics: Vec<_> = (0..50)
            .map(|i| if i % 11 == 0 { None } else { Some(i % 3) })
            .collect();
        let t = Timeline::build(&dates, &topics, 3, BinUnit::Auto).unwrap();
        let want = dates
            .iter()
            .zip(&topics)
            .filter(|(d, t)| d.is_some() && t.is_some())
            .count() as u32;
        assert_eq!(t.counts.iter().flatten().sum::<u32>(), want);
        assert_eq!(t.totals.iter().sum::<u32>(), want);
        assert_eq!(t.unit, BinUnit::Week);
    }

    #[test]
    fn no_dates() {
        let t = Timeline::build(&[None, None], &[Some(0), Some(1)], 2, BinUnit::Auto).unwrap();
        assert!(t.bins.is_empty());
        assert_eq!(t.counts.len(), 2);
    }
}
