//! Exactly what each chart plots, computed from [`ChartData`] and [`ChartOptions`] before any
//! drawing. It serialises to JSON, so tests snapshot the data of the charts rather than pixels,
//! and layout can change without touching those snapshots.

use chrono::NaiveDate;
use serde::Serialize;

use super::data::{BinUnit, ChartData, TermWeight, TopicInfo};
use super::options::ChartOptions;
use super::palette::{hex, topic_color};

/// Most terms drawn per topic in the term chart.
pub const MAX_TERMS: usize = 10;

/// A topic as a chart shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesTopic {
    /// Topic id.
    pub id: usize,
    /// Legend text: `#3 Ukraine, sanctions, Crimea`.
    pub name: String,
    /// Colour, `#rrggbb`.
    pub color: String,
}

impl SeriesTopic {
    fn of(t: &TopicInfo) -> Self {
        SeriesTopic {
            id: t.id,
            name: t.display_name(),
            color: hex(topic_color(t.id)),
        }
    }
}

/// Lines of the volume chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VolumeSeries {
    /// One line per topic, in id order.
    pub topics: Vec<SeriesTopic>,
    /// `counts[i][b]`: articles of `topics[i]` in bin `b`.
    pub counts: Vec<Vec<u32>>,
    /// Burst peaks of the plotted topics, placed on their line.
    pub peaks: Vec<Peak>,
    /// With `--smooth N`: the centred N-bin moving average of each line (what is drawn).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smoothed: Option<Smoothed>,
}

/// Lines after a centred moving average.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Smoothed {
    /// Bins in the window (odd).
    pub window: usize,
    /// `values[i][b]`: mean of `counts[i]` over the bins within `window / 2` of `b` (fewer at
    /// the ends).
    pub values: Vec<Vec<f64>>,
}

/// The centred moving average of `v` over `window` bins (odd); the window shrinks at the ends
/// so every value is a mean of real bins.
pub fn moving_average(v: &[f64], window: usize) -> Vec<f64> {
    let h = window / 2;
    (0..v.len())
        .map(|b| {
            let (lo, hi) = (b.saturating_sub(h), (b + h).min(v.len().saturating_sub(1)));
            v[lo..=hi].iter().sum::<f64>() / (hi - lo + 1) as f64
        })
        .collect()
}

/// Publication texts replacing the charts' own (from [`ChartOptions`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChartText {
    /// Headline of every chart.
    pub title: Option<String>,
    /// Line under the headline.
    pub subtitle: Option<String>,
    /// "Source: …" in the footer instead of "Source: topictrack".
    pub source: Option<String>,
    /// A note at the start of the footer.
    pub caption: Option<String>,
}

impl ChartText {
    fn is_empty(&self) -> bool {
        *self == ChartText::default()
    }
}

/// A burst peak marker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peak {
    /// Topic id.
    pub topic: usize,
    /// Start of the bin holding the peak.
    pub bin: NaiveDate,
    /// The topic's count in that bin (the marker's height).
    pub count: u32,
    /// Burst score.
    pub score: f64,
}

/// Layers of the stacked share chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareSeries {
    /// Stacked from the bottom up, in id order; "other" goes on top.
    pub layers: Vec<SeriesTopic>,
    /// `shares[i][b]` in `[0, 1]`.
    pub shares: Vec<Vec<f64>>,
    /// Every other topic's share per bin (0 for an empty bin).
    pub other: Vec<f64>,
}

/// Cells of the heatmap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatmapSeries {
    /// Rows, top to bottom, in id order.
    pub topics: Vec<SeriesTopic>,
    /// `shares[r][b]`: share of bin `b` (the colour).
    pub shares: Vec<Vec<f64>>,
    /// The top of the colour scale: the [`HEAT_QUANTILE`] quantile of the non-zero cells, so
    /// one outlying cell does not leave every other cell pale; cells above it take the darkest
    /// colour.
    pub max_share: f64,
    /// Topics left out because the rows would be too thin to label.
    pub hidden: usize,
}

/// Panels of the term chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermsSeries {
    /// One panel per topic, in id order.
    pub panels: Vec<TermPanel>,
    /// Largest weight over all panels (bars share one scale).
    pub max_weight: f64,
}

/// One small multiple of the term chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermPanel {
    /// The topic.
    pub topic: SeriesTopic,
    /// Its strongest terms (at most [`MAX_TERMS`]).
    pub terms: Vec<TermWeight>,
}

/// Everything the four charts plot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartSeries {
    /// Bin width.
    pub unit: BinUnit,
    /// Bin starts (the x positions).
    pub bins: Vec<NaiveDate>,
    /// Articles per bin over all topics.
    pub totals: Vec<u32>,
    /// Topics in the data (after filtering).
    pub n_topics: usize,
    /// Volume chart.
    pub volume: VolumeSeries,
    /// Share chart.
    pub share: ShareSeries,
    /// Heatmap.
    pub heatmap: HeatmapSeries,
    /// Term chart.
    pub terms: TermsSeries,
    /// Title, subtitle, source and caption given for publication.
    #[serde(skip_serializing_if = "ChartText::is_empty")]
    pub text: ChartText,
}

/// Rows the heatmap can label at this chart height (at least `top_n`, and rows at least
/// 14 px high at the default size).
pub fn heatmap_capacity(opts: &ChartOptions) -> usize {
    let k = super::canvas::type_scale(opts.width(), opts.height());
    let plot_h = opts.height() as f64 - 190.0 * k;
    ((plot_h / (14.0 * k)).floor().max(0.0) as usize).max(opts.top_n())
}

/// Quantile of the non-zero heatmap cells at the top of its colour scale.
pub const HEAT_QUANTILE: f64 = 0.95;

/// The [`HEAT_QUANTILE`] quantile (nearest rank) of the positive values, 0 when there are none.
pub fn robust_top(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.filter(|x| *x > 0.0).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let rank = ((HEAT_QUANTILE * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

/// Computes what the charts plot.
pub fn chart_series(data: &ChartData, opts: &ChartOptions) -> ChartSeries {
    let top = data.top_topics(opts.top_n());
    let topics = data.topics();
    let n_bins = data.bins().len();

    let volume = VolumeSeries {
        topics: top.iter().map(|&t| SeriesTopic::of(&topics[t])).collect(),
        counts: top.iter().map(|&t| data.counts()[t].clone()).collect(),
        peaks: peaks(data, &top),
        smoothed: (opts.smooth() > 1).then(|| Smoothed {
            window: opts.smooth(),
            values: top
                .iter()
                .map(|&t| {
                    let v: Vec<f64> = data.counts()[t].iter().map(|&c| c as f64).collect();
                    moving_average(&v, opts.smooth())
                })
                .collect(),
        }),
    };

    let shares: Vec<Vec<f64>> = top
        .iter()
        .map(|&t| (0..n_bins).map(|b| data.share(t, b)).collect())
        .collect();
    // From integer counts, so "other" is exactly 0 when every topic is plotted.
    let other = (0..n_bins)
        .map(|b| {
            let total = data.totals()[b];
            let plotted: u32 = top.iter().map(|&t| data.counts()[t][b]).sum();
            if total == 0 {
                0.0
            } else {
                total.saturating_sub(plotted) as f64 / total as f64
            }
        })
        .collect();
    let share = ShareSeries {
        layers: volume.topics.clone(),
        shares,
        other,
    };

    let cap = heatmap_capacity(opts);
    let rows = if topics.len() <= cap {
        (0..topics.len()).collect()
    } else {
        data.top_topics(cap)
    };
    let heat_shares: Vec<Vec<f64>> = rows
        .iter()
        .map(|&t| (0..n_bins).map(|b| data.share(t, b)).collect())
        .collect();
    let max_share = robust_top(heat_shares.iter().flatten().copied());
    let heatmap = HeatmapSeries {
        topics: rows.iter().map(|&t| SeriesTopic::of(&topics[t])).collect(),
        shares: heat_shares,
        max_share,
        hidden: topics.len() - rows.len(),
    };

    let panels: Vec<TermPanel> = top
        .iter()
        .map(|&t| TermPanel {
            topic: SeriesTopic::of(&topics[t]),
            terms: topics[t].terms.iter().take(MAX_TERMS).cloned().collect(),
        })
        .collect();
    let max_weight = panels
        .iter()
        .flat_map(|p| p.terms.iter().map(|t| t.weight))
        .fold(0.0, f64::max);

    ChartSeries {
        unit: data.unit(),
        bins: data.bins().to_vec(),
        totals: data.totals().to_vec(),
        n_topics: topics.len(),
        volume,
        share,
        heatmap,
        terms: TermsSeries { panels, max_weight },
        text: ChartText {
            title: opts.title().map(str::to_string),
            subtitle: opts.subtitle().map(str::to_string),
            source: opts.source().map(str::to_string),
            caption: opts.caption().map(str::to_string),
        },
    }
}

/// Events marked on the charts: the strongest this many (by rank).
pub const MARKED_EVENTS: usize = 12;

/// Peak markers of the strongest events on the plotted topics: each event's peak moved to the
/// start of its bin, on the line of the topic holding most of its articles, at that topic's count
/// there. Ordered by bin, then topic.
fn peaks(data: &ChartData, plotted: &[usize]) -> Vec<Peak> {
    let bins = data.bins();
    let mut ranked: Vec<&super::data::EventInfo> = data.events().iter().collect();
    ranked.sort_by_key(|e| e.rank);
    let mut out: Vec<Peak> = ranked
        .into_iter()
        .take(MARKED_EVENTS)
        .filter_map(|e| {
            let topic = e.topic()?;
            let t = data.topic_index(topic).filter(|t| plotted.contains(t))?;
            let b = bins.partition_point(|d| *d <= e.peak).checked_sub(1)?;
            if e.peak >= data.unit().next(bins[b]) {
                return None;
            }
            Some(Peak {
                topic,
                bin: bins[b],
                count: data.counts()[t][b],
                score: e.score,
            })
        })
        .collect();
    out.sort_by(|a, b| a.bin.cmp(&b.bin).then(a.topic.cmp(&b.topic)));
    out.dedup_by(|a, b| a.bin == b.bin && a.topic == b.topic);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_scale_top_ignores_one_outlying_cell() {
        // 19 cells of 1% and one of 90%: the scale tops at 1%, not 90%.
        let cells = std::iter::repeat_n(0.01, 19).chain([0.9, 0.0, 0.0]);
        assert_eq!(robust_top(cells), 0.01);
        assert_eq!(robust_top([0.0, 0.0].into_iter()), 0.0);
        assert_eq!(robust_top([0.2].into_iter()), 0.2);
    }

    #[test]
    fn moving_average_is_centred_and_shrinks_at_the_ends() {
        let v = [0.0, 3.0, 6.0, 3.0, 0.0];
        assert_eq!(moving_average(&v, 3), [1.5, 3.0, 4.0, 3.0, 1.5]);
        assert_eq!(moving_average(&v, 1), v);
        // A weekly cycle (5 weekdays of 10, a weekend of 0) is flat under a 7-day mean.
        let week: Vec<f64> = (0..21)
            .map(|d| if d % 7 < 5 { 10.0 } else { 0.0 })
            .collect();
        let m = moving_average(&week, 7);
        assert!(m[3..18].iter().all(|&x| (x - 50.0 / 7.0).abs() < 1e-12));
    }
}
