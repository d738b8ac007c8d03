//! Charts (SVG and PNG, drawn with plotters); the HTML report that shows them is [`crate::report`].
//!
//! ```text
//! analyze outputs ──ChartData::load──┐
//! in-memory values ──ChartData::new──┴─> ChartData ─filtered(ChartFilter)─> ChartData
//!     ─chart_series(&data, &opts)─> ChartSeries (what is plotted; serialisable)
//!     ─render_charts(&data, &opts, OUT/charts)─> volume / share / heatmap / terms .svg .png
//! ```
//!
//! - [`data`] holds [`ChartData`] (topics, bins, counts, events) and its filters.
//! - [`options`] holds [`ChartParams`] → [`ChartOptions`] (formats, size, top N).
//! - [`series`] holds [`ChartSeries`], the exact values each chart draws.
//! - [`volume`], [`share`], [`heatmap`] and [`terms`] draw one chart each.
//! - [`palette`] holds the sixteen topic colours by topic id (the same in every chart and the report).
//! - [`rebin`] recounts the timeline at another bin width from `assignments.csv` (`chart --bin`).
//! - [`canvas`], [`layout`] and [`ticks`] are drawing helpers, embedded DejaVu Sans font.
//!
//! Output bytes depend only on the inputs: no timestamps, fixed iteration orders, and a PNG
//! encoder that writes no ancillary chunks. Every file is written to a temporary file in the
//! target folder and renamed into place.

pub mod canvas;
pub mod compare;
pub mod data;
pub mod heatmap;
pub mod layout;
pub mod options;
pub mod palette;
pub mod rebin;
pub mod series;
pub mod share;
pub mod terms;
pub mod ticks;
pub mod volume;

use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub use data::{
    BinUnit, ChartData, ChartFilter, EventInfo, EventTerm, EventTopic, Example, Headline,
    TermWeight, TopicInfo,
};
pub use options::{parse_size, ChartFormat, ChartOptions, ChartParamError, ChartParams};
pub use series::{chart_series, ChartSeries};

use crate::{Error, Result};

/// The charts `render_charts` writes, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChartKind {
    /// `volume`: articles per bin, one line per topic, burst peaks marked.
    Volume,
    /// `share`: stacked shares of the top topics and "other".
    Share,
    /// `heatmap`: topics × bins, colour = share.
    Heatmap,
    /// `terms`: small multiples of each top topic's strongest terms.
    Terms,
}

impl ChartKind {
    /// All charts, in file order.
    pub const ALL: [ChartKind; 4] = [
        ChartKind::Volume,
        ChartKind::Share,
        ChartKind::Heatmap,
        ChartKind::Terms,
    ];

    /// File stem: `volume`, `share`, `heatmap`, `terms`.
    pub fn stem(self) -> &'static str {
        match self {
            ChartKind::Volume => "volume",
            ChartKind::Share => "share",
            ChartKind::Heatmap => "heatmap",
            ChartKind::Terms => "terms",
        }
    }

    /// A one-line description, for the report's figure captions.
    pub fn caption(self) -> &'static str {
        match self {
            ChartKind::Volume => "Articles per time bin for the largest topics; triangles mark burst peaks.",
            ChartKind::Share => "Each topic's share of the dated articles in every time bin; grey is all other topics.",
            ChartKind::Heatmap => "Topics by time bin; darker cells hold a larger share of the bin's articles.",
            ChartKind::Terms => "The strongest terms of each of the largest topics.",
        }
    }

    fn draw<DB: plotters::prelude::DrawingBackend>(
        self,
        c: &canvas::Canvas<DB>,
        s: &ChartSeries,
    ) -> Result<()> {
        match self {
            ChartKind::Volume => volume::draw(c, s),
            ChartKind::Share => share::draw(c, s),
            ChartKind::Heatmap => heatmap::draw(c, s),
            ChartKind::Terms => terms::draw(c, s),
        }
    }
}

/// Renders one chart as an SVG document.
pub fn render_svg(kind: ChartKind, series: &ChartSeries, opts: &ChartOptions) -> Result<String> {
    canvas::render_svg(opts.width(), opts.height(), |c| kind.draw(c, series))
}

/// Renders one chart as PNG bytes (`opts.width()` × `opts.height()`, RGB).
pub fn render_png(kind: ChartKind, series: &ChartSeries, opts: &ChartOptions) -> Result<Vec<u8>> {
    canvas::render_png(opts.width(), opts.height(), |c| kind.draw(c, series))
}

/// Renders one chart in one format.
pub fn render_bytes(
    kind: ChartKind,
    format: ChartFormat,
    series: &ChartSeries,
    opts: &ChartOptions,
) -> Result<Vec<u8>> {
    match format {
        ChartFormat::Svg => render_svg(kind, series, opts).map(String::into_bytes),
        ChartFormat::Png => render_png(kind, series, opts),
    }
}

/// Writes `volume`, `share`, `heatmap` and `terms` in every format of `opts` into `dir`
/// (created if missing; usually `OUT/charts`), each file atomically. Returns the paths written,
/// chart by chart, SVG before PNG. The term chart is one file of small multiples.
pub fn render_charts(data: &ChartData, opts: &ChartOptions, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let series = chart_series(data, opts);
    let kinds = chart_kinds(data);
    let mut jobs = Vec::new();
    for kind in ChartKind::ALL {
        if !kinds.contains(&kind) {
            // No time axis: remove a stale chart of an earlier run rather than leave it.
            for format in [ChartFormat::Svg, ChartFormat::Png] {
                let _ = std::fs::remove_file(dir.join(format!(
                    "{}.{}",
                    kind.stem(),
                    format.extension()
                )));
            }
            continue;
        }
        jobs.extend(opts.formats().iter().map(|&format| (kind, format)));
    }
    // Charts are independent: drawn and encoded in parallel, listed in a fixed order.
    jobs.par_iter()
        .map(|&(kind, format)| {
            let bytes = render_bytes(kind, format, &series, opts)?;
            let path = dir.join(format!("{}.{}", kind.stem(), format.extension()));
            canvas::write_atomic(&path, &bytes)
        })
        .collect()
}

/// The charts that make sense for `data`: all four, or only the term chart when no article is
/// dated (volume, share and heatmap would be empty).
pub fn chart_kinds(data: &ChartData) -> Vec<ChartKind> {
    if data.bins().is_empty() {
        vec![ChartKind::Terms]
    } else {
        ChartKind::ALL.to_vec()
    }
}

#[cfg(test)]
pub(crate) mod tests;
