//! Chart settings: an unchecked [`ChartParams`] builder that validates into [`ChartOptions`]
//! (the linfa `ParamGuard` pattern), one [`ChartParamError`] variant per invalid setting.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use crate::Error;

/// Default chart width in pixels.
pub const DEFAULT_WIDTH: u32 = 1200;
/// Default chart height in pixels.
pub const DEFAULT_HEIGHT: u32 = 675;
/// Default number of topics drawn in the volume, share and term charts.
pub const DEFAULT_TOP_N: usize = 8;
/// Smallest accepted width (pixels); below it titles and legends no longer fit.
pub const MIN_WIDTH: u32 = 480;
/// Smallest accepted height (pixels).
pub const MIN_HEIGHT: u32 = 300;
/// Largest accepted width or height (pixels).
pub const MAX_SIDE: u32 = 8000;
/// Largest accepted moving-average window (bins).
pub const MAX_SMOOTH: usize = 31;
/// Largest accepted `top_n`: more lines than this on one chart cannot be told apart.
pub const MAX_TOP_N: usize = 20;

/// An output format for charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChartFormat {
    /// Scalable vector graphics (text stays text; the viewer's fonts are used).
    Svg,
    /// PNG bitmap with the embedded DejaVu Sans font.
    Png,
}

impl ChartFormat {
    /// File extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ChartFormat::Svg => "svg",
            ChartFormat::Png => "png",
        }
    }

    /// Parses a comma-separated list such as `svg,png` (case-insensitive, blanks ignored).
    pub fn parse_list(s: &str) -> Result<BTreeSet<ChartFormat>, ChartParamError> {
        let mut out = BTreeSet::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            out.insert(part.parse()?);
        }
        if out.is_empty() {
            return Err(ChartParamError::NoFormat);
        }
        Ok(out)
    }
}

impl fmt::Display for ChartFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for ChartFormat {
    type Err = ChartParamError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "svg" => Ok(ChartFormat::Svg),
            "png" => Ok(ChartFormat::Png),
            _ => Err(ChartParamError::UnknownFormat(s.to_string())),
        }
    }
}

/// Parses a chart size written `WIDTHxHEIGHT` (e.g. `1200x675`; `X` and `×` are accepted too).
/// Only the syntax is checked here; the range is checked by [`ChartParams::check`].
pub fn parse_size(s: &str) -> Result<(u32, u32), ChartParamError> {
    let bad = || ChartParamError::BadSize(s.to_string());
    let (w, h) = s.trim().split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let w = w.trim().parse::<u32>().map_err(|_| bad())?;
    let h = h.trim().parse::<u32>().map_err(|_| bad())?;
    Ok((w, h))
}

/// One error per invalid chart setting, each with the value given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartParamError {
    /// The set of formats is empty.
    #[error("no chart format given (expected svg, png or svg,png)")]
    NoFormat,
    /// A format name that is neither `svg` nor `png`.
    #[error("unknown chart format {0:?} (expected svg or png)")]
    UnknownFormat(String),
    /// A size that is not `WIDTHxHEIGHT`.
    #[error("chart size {0:?} is not WIDTHxHEIGHT, e.g. 1200x675")]
    BadSize(String),
    /// Width outside `MIN_WIDTH..=MAX_SIDE`.
    #[error("chart width {0} is outside {MIN_WIDTH}..={MAX_SIDE} pixels")]
    Width(u32),
    /// Height outside `MIN_HEIGHT..=MAX_SIDE`.
    #[error("chart height {0} is outside {MIN_HEIGHT}..={MAX_SIDE} pixels")]
    Height(u32),
    /// `top_n` outside `1..=MAX_TOP_N`.
    #[error("top {0} is outside 1..={MAX_TOP_N} topics")]
    TopN(usize),
    /// A moving-average window that is even, 0 or above `MAX_SMOOTH`.
    #[error("smoothing window {0} is not an odd number of bins in 1..={MAX_SMOOTH}")]
    Smooth(usize),
}

impl From<ChartParamError> for Error {
    fn from(e: ChartParamError) -> Self {
        let (name, value) = match &e {
            ChartParamError::NoFormat => ("--chart-format", String::new()),
            ChartParamError::UnknownFormat(v) => ("--chart-format", v.clone()),
            ChartParamError::BadSize(v) => ("--chart-size", v.clone()),
            ChartParamError::Width(v) => ("--chart-size", format!("width {v}")),
            ChartParamError::Height(v) => ("--chart-size", format!("height {v}")),
            ChartParamError::TopN(v) => ("--top", v.to_string()),
            ChartParamError::Smooth(v) => ("--smooth", v.to_string()),
        };
        Error::param(name, value, e.to_string())
    }
}

/// Unchecked chart settings. Defaults: formats `{svg, png}`, size 1200×675, top 8 topics.
///
/// ```
/// use topictrack::plot::{ChartFormat, ChartParams};
/// let opts = ChartParams::new().formats([ChartFormat::Png]).size(800, 450).top_n(5).check()?;
/// assert_eq!(opts.width(), 800);
/// # Ok::<(), topictrack::plot::ChartParamError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartParams {
    formats: BTreeSet<ChartFormat>,
    width: u32,
    height: u32,
    top_n: usize,
    title: Option<String>,
    subtitle: Option<String>,
    source: Option<String>,
    caption: Option<String>,
    smooth: usize,
    labels: Option<super::labels::Labels>,
}

impl Default for ChartParams {
    fn default() -> Self {
        Self::new()
    }
}

impl ChartParams {
    /// Defaults: formats `{svg, png}`, [`DEFAULT_WIDTH`] × [`DEFAULT_HEIGHT`], [`DEFAULT_TOP_N`].
    pub fn new() -> Self {
        Self {
            formats: [ChartFormat::Svg, ChartFormat::Png].into_iter().collect(),
            width: DEFAULT_WIDTH,
            height: DEFAULT_HEIGHT,
            top_n: DEFAULT_TOP_N,
            title: None,
            subtitle: None,
            source: None,
            caption: None,
            smooth: 1,
            labels: None,
        }
    }

    /// The formats to write (replaces the default set).
    pub fn formats(mut self, formats: impl IntoIterator<Item = ChartFormat>) -> Self {
        self.formats = formats.into_iter().collect();
        self
    }

    /// Size in pixels of every chart.
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.width = width;
        self.height = height;
        self
    }

    /// How many topics (the largest in the plotted range) the volume, share and term charts show.
    pub fn top_n(mut self, n: usize) -> Self {
        self.top_n = n;
        self
    }

    /// A headline replacing each chart's own title and the report's (for publication).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into()).filter(|t| !t.trim().is_empty());
        self
    }

    /// The line under the title, replacing each chart's own and the report's.
    pub fn subtitle(mut self, subtitle: impl Into<String>) -> Self {
        self.subtitle = Some(subtitle.into()).filter(|t| !t.trim().is_empty());
        self
    }

    /// Who the data is from, shown as "Source: …" in each chart's footer and the report's.
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into()).filter(|t| !t.trim().is_empty());
        self
    }

    /// A note drawn under each chart (above the source line).
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into()).filter(|t| !t.trim().is_empty());
        self
    }

    /// Centred moving average over this many bins for the volume and share lines (1 = none;
    /// odd, at most [`MAX_SMOOTH`]): `7` on daily bins evens out the weekly cycle of news.
    pub fn smooth(mut self, bins: usize) -> Self {
        self.smooth = bins;
        self
    }

    /// Renames, merges and hidden topics applied to every chart and the report.
    pub fn labels(mut self, labels: super::labels::Labels) -> Self {
        self.labels = Some(labels).filter(|l| !l.is_empty());
        self
    }

    /// Validates the settings; the first invalid one is reported.
    pub fn check(self) -> Result<ChartOptions, ChartParamError> {
        if self.formats.is_empty() {
            return Err(ChartParamError::NoFormat);
        }
        if !(MIN_WIDTH..=MAX_SIDE).contains(&self.width) {
            return Err(ChartParamError::Width(self.width));
        }
        if !(MIN_HEIGHT..=MAX_SIDE).contains(&self.height) {
            return Err(ChartParamError::Height(self.height));
        }
        if !(1..=MAX_TOP_N).contains(&self.top_n) {
            return Err(ChartParamError::TopN(self.top_n));
        }
        if self.smooth == 0 || self.smooth > MAX_SMOOTH || self.smooth.is_multiple_of(2) {
            return Err(ChartParamError::Smooth(self.smooth));
        }
        Ok(ChartOptions(self))
    }
}

/// Validated chart settings (see [`ChartParams`]); the default is the defaults of
/// [`ChartParams::new`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartOptions(ChartParams);

impl ChartOptions {
    /// Starts an unchecked builder with the defaults.
    pub fn params() -> ChartParams {
        ChartParams::new()
    }
    /// The formats to write, in a fixed order (SVG before PNG).
    pub fn formats(&self) -> &BTreeSet<ChartFormat> {
        &self.0.formats
    }
    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.0.width
    }
    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.0.height
    }
    /// Number of topics drawn in the volume, share and term charts.
    pub fn top_n(&self) -> usize {
        self.0.top_n
    }
    /// The headline given for publication, if any.
    pub fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    /// The line under the headline, if given.
    pub fn subtitle(&self) -> Option<&str> {
        self.0.subtitle.as_deref()
    }
    /// The data's source, if given.
    pub fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }
    /// The note under each chart, if given.
    pub fn caption(&self) -> Option<&str> {
        self.0.caption.as_deref()
    }
    /// The labels file's renames, merges and hidden topics, if one was given.
    pub fn topic_labels(&self) -> Option<&super::labels::Labels> {
        self.0.labels.as_ref()
    }
    /// `data` with the labels file applied (a copy of it without one).
    pub fn labelled(&self, data: &super::ChartData) -> crate::Result<super::ChartData> {
        match &self.0.labels {
            Some(l) => l.apply(data),
            None => Ok(data.clone()),
        }
    }
    /// Bins in the moving average of the volume and share lines (1 = none).
    pub fn smooth(&self) -> usize {
        self.0.smooth
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        let o = ChartParams::new().check().unwrap();
        assert_eq!((o.width(), o.height(), o.top_n()), (1200, 675, 8));
        assert_eq!(o.formats().len(), 2);
        assert_eq!(o, ChartOptions::default());
    }

    #[test]
    fn no_format_is_rejected() {
        let e = ChartParams::new().formats([]).check().unwrap_err();
        assert_eq!(e, ChartParamError::NoFormat);
        assert_eq!(
            ChartFormat::parse_list(" , ").unwrap_err(),
            ChartParamError::NoFormat
        );
    }

    #[test]
    fn unknown_format_is_rejected() {
        assert_eq!(
            ChartFormat::parse_list("svg,pdf").unwrap_err(),
            ChartParamError::UnknownFormat("pdf".into())
        );
        let both = ChartFormat::parse_list("PNG, svg").unwrap();
        assert_eq!(
            both.into_iter().collect::<Vec<_>>(),
            [ChartFormat::Svg, ChartFormat::Png]
        );
    }

    #[test]
    fn bad_size_is_rejected() {
        assert_eq!(parse_size("1200x675").unwrap(), (1200, 675));
        assert_eq!(parse_size("800 X 600").unwrap(), (800, 600));
        assert_eq!(
            parse_size("1200").unwrap_err(),
            ChartParamError::BadSize("1200".into())
        );
        assert!(parse_size("ax5").is_err());
    }

    #[test]
    fn width_out_of_range_is_rejected() {
        let e = ChartParams::new().size(100, 675).check().unwrap_err();
        assert_eq!(e, ChartParamError::Width(100));
        assert!(ChartParams::new().size(9000, 675).check().is_err());
    }

    #[test]
    fn height_out_of_range_is_rejected() {
        let e = ChartParams::new().size(1200, 10).check().unwrap_err();
        assert_eq!(e, ChartParamError::Height(10));
    }

    #[test]
    fn top_n_out_of_range_is_rejected() {
        assert_eq!(
            ChartParams::new().top_n(0).check().unwrap_err(),
            ChartParamError::TopN(0)
        );
        assert_eq!(
            ChartParams::new().top_n(21).check().unwrap_err(),
            ChartParamError::TopN(21)
        );
    }

    #[test]
    fn smooth_window_must_be_odd_and_small() {
        assert_eq!(ChartParams::new().smooth(7).check().unwrap().smooth(), 7);
        assert_eq!(
            ChartParams::new().smooth(4).check().unwrap_err(),
            ChartParamError::Smooth(4)
        );
        assert!(ChartParams::new().smooth(0).check().is_err());
        assert!(ChartParams::new().smooth(33).check().is_err());
    }

    #[test]
    fn errors_convert_to_crate_error_with_the_value() {
        let e: Error = ChartParamError::TopN(0).into();
        let msg = e.to_string();
        assert!(msg.contains("--top") && msg.contains('0'), "{msg}");
    }
}
