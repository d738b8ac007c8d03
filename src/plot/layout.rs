//! Pieces every chart shares: the title block, the footer note, the legend, the time axis and
//! the value axis, in the plain style of a newspaper's data page (left-aligned bold title, grey
//! subtitle, light horizontal grid lines only, no frame, legend beside the plot).

use chrono::NaiveDate;
use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::canvas::{Align, Canvas, Weight};
use super::data::BinUnit;
use super::palette::{AXIS, FAINT, GRID, INK, MUTED};
use super::series::ChartSeries;
use super::ticks::{format_value, thousands, time_ticks, value_ticks};
use crate::Result;

/// Outer margin at the default size.
pub const MARGIN: f64 = 24.0;

/// Days since 0001-01-01: the continuous x value of a date.
pub fn day_number(d: NaiveDate) -> f64 {
    chrono::Datelike::num_days_from_ce(&d) as f64
}

/// `2 Jan 2017`.
pub fn long_date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// The plot rectangle and its data ranges.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    /// Left edge (design px).
    pub x0: f64,
    /// Right edge.
    pub x1: f64,
    /// Top edge.
    pub y0: f64,
    /// Bottom edge.
    pub y1: f64,
    /// Day number at the left edge.
    pub t0: f64,
    /// Day number at the right edge.
    pub t1: f64,
    /// Value at the bottom edge.
    pub v0: f64,
    /// Value at the top edge.
    pub v1: f64,
}

impl Frame {
    /// The plot area of a time-series chart between `top` and `bottom`: left of the legend
    /// (`legend_w` wide), right of the y labels (`ylw` wide), `m` the outer margin, from
    /// `first` to `last` (to the end of the single bin when they are equal), values from 0 to
    /// `v1`.
    pub fn series<DB: DrawingBackend>(
        c: &Canvas<DB>,
        (m, ylw, legend_w): (f64, f64, f64),
        (top, bottom): (f64, f64),
        (first, last, unit): (NaiveDate, NaiveDate, BinUnit),
        v1: f64,
    ) -> Frame {
        Frame {
            x0: m + ylw + c.u(10.0),
            x1: c.w() - m - legend_w - c.u(24.0),
            y0: top + c.u(34.0),
            y1: bottom - time_axis_height(c),
            t0: day_number(first),
            t1: if last > first {
                day_number(last)
            } else {
                day_number(unit.next(first))
            },
            v0: 0.0,
            v1,
        }
    }

    /// x of a date.
    pub fn x(&self, d: NaiveDate) -> f64 {
        self.x_day(day_number(d))
    }
    /// x of a day number.
    pub fn x_day(&self, t: f64) -> f64 {
        let span = (self.t1 - self.t0).max(1e-9);
        self.x0 + (t - self.t0) / span * (self.x1 - self.x0)
    }
    /// y of a value.
    pub fn y(&self, v: f64) -> f64 {
        let span = (self.v1 - self.v0).max(1e-12);
        self.y1 - (v - self.v0) / span * (self.y1 - self.y0)
    }
}

/// Draws the title and subtitle; returns the y below them where content may start.
pub fn header<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    subtitle: &str,
    right_reserve: f64,
) -> Result<f64> {
    let m = c.u(MARGIN);
    let title_y = m + c.u(20.0);
    let max_w = c.w() - 2.0 * m - right_reserve;
    // A long title shrinks (to 16 px at most) before it is shortened.
    let full = c.u(22.0);
    let width = c.text_width(title, full, Weight::Bold);
    let size = if width > max_w {
        (full * max_w / width).max(c.u(16.0))
    } else {
        full
    };
    let t = c.fit(title, max_w, size, Weight::Bold);
    c.text(&t, m, title_y, size, Weight::Bold, INK, Align::Left)?;
    // The subtitle wraps onto a second line when it must.
    let mut y = title_y + c.u(25.0);
    let lines = c.wrap(subtitle, max_w, c.u(14.5), Weight::Normal, 2);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            y += c.u(18.0);
        }
        c.text(line, m, y, c.u(14.5), Weight::Normal, MUTED, Align::Left)?;
    }
    Ok(y + c.u(14.0))
}

/// Draws the footnote, leaving `right_reserve` free on the right; returns the y above it where
/// content must end.
pub fn footer<DB: DrawingBackend>(c: &Canvas<DB>, note: &str, right_reserve: f64) -> Result<f64> {
    let m = c.u(MARGIN);
    let y = footer_baseline(c);
    let n = c.fit(
        note,
        c.w() - 2.0 * m - right_reserve,
        c.u(12.0),
        Weight::Normal,
    );
    c.text(&n, m, y, c.u(12.0), Weight::Normal, FAINT, Align::Left)?;
    Ok(y - c.u(18.0))
}

/// Baseline of the footnote line.
pub fn footer_baseline<DB: DrawingBackend>(c: &Canvas<DB>) -> f64 {
    c.h() - c.u(14.0)
}

/// A chart's headline: the one given for publication, else `default`.
pub fn title_of<'a>(s: &'a ChartSeries, default: &'a str) -> &'a str {
    s.text.title.as_deref().unwrap_or(default)
}

/// A chart's subtitle: the one given for publication, else `default`.
pub fn subtitle_of(s: &ChartSeries, default: String) -> String {
    s.text.subtitle.clone().unwrap_or(default)
}

/// The footnote every chart carries: the caption when given, then the source (given, else
/// topictrack) and `what`.
pub fn source_note(s: &ChartSeries, what: &str) -> String {
    let caption = s
        .text
        .caption
        .as_deref()
        .map(|c| format!("{c}  ·  "))
        .unwrap_or_default();
    let source = s.text.source.as_deref().unwrap_or("topictrack");
    format!("{caption}Source: {source} · {what}")
}

/// The footnote every time chart carries: source, articles, bins and dates.
pub fn time_note(s: &ChartSeries) -> String {
    let n: u64 = s.totals.iter().map(|&t| t as u64).sum();
    let what = match (s.bins.first(), s.bins.last()) {
        (Some(a), Some(b)) => format!(
            "{} dated articles in {} {} bins, {} to {}",
            thousands(n),
            s.bins.len(),
            s.unit.adjective(),
            long_date(*a),
            long_date(*b)
        ),
        _ => "no dated articles".to_string(),
    };
    source_note(s, &what)
}

/// "per day" / "per week" / "per month".
pub fn per_unit(unit: BinUnit) -> &'static str {
    match unit {
        BinUnit::Day | BinUnit::Auto => "per day",
        BinUnit::Week => "per week",
        BinUnit::Month => "per month",
    }
}

/// How a legend entry is marked.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A short thick line (line charts).
    Line(RGBColor),
    /// A filled square (areas, bars).
    Block(RGBColor),
    /// A downward triangle (burst peaks).
    Peak(RGBColor),
}

/// Font size of legend text.
pub const LEGEND_FONT: f64 = 13.0;

/// Width a legend needs for these labels, within `[min, max]`.
pub fn legend_width<DB: DrawingBackend>(c: &Canvas<DB>, labels: &[String], max: f64) -> f64 {
    let widest = labels
        .iter()
        .map(|l| c.text_width(l, c.u(LEGEND_FONT), Weight::Normal))
        .fold(0.0, f64::max);
    (widest + c.u(30.0)).clamp(c.u(120.0), max.max(c.u(120.0)))
}

/// Draws a vertical legend with its top-left corner at `(x, y)`, `width` wide, rows at most
/// `max_h` tall in total (rows shrink to fit).
pub fn legend<DB: DrawingBackend>(
    c: &Canvas<DB>,
    x: f64,
    y: f64,
    width: f64,
    max_h: f64,
    items: &[(Swatch, String)],
) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let row = (max_h / items.len() as f64).min(c.u(24.0));
    let font = c.u(LEGEND_FONT).min(row * 0.8);
    let sw = c.u(18.0);
    for (i, (swatch, label)) in items.iter().enumerate() {
        let cy = y + row * (i as f64 + 0.5);
        match *swatch {
            Swatch::Line(col) => c.line(&[(x, cy), (x + sw, cy)], col, c.u(3.0))?,
            Swatch::Block(col) => {
                let h = c.u(11.0).min(row * 0.7);
                c.rect(
                    (x + sw - h - c.u(2.0), cy - h / 2.0),
                    (x + sw - c.u(2.0), cy + h / 2.0),
                    col,
                )?
            }
            Swatch::Peak(col) => peak_marker(c, (x + sw / 2.0, cy + c.u(4.0)), col)?,
        }
        let text = c.fit(label, width - sw - c.u(8.0), font, Weight::Normal);
        c.label(&text, x + sw + c.u(8.0), cy, font, Align::Left)?;
    }
    Ok(())
}

/// A downward triangle whose tip is at `tip`.
pub fn peak_marker<DB: DrawingBackend>(
    c: &Canvas<DB>,
    tip: (f64, f64),
    color: RGBColor,
) -> Result<()> {
    let (hw, h) = (c.u(5.5), c.u(8.0));
    c.polygon(
        &[
            (tip.0 - hw, tip.1 - h),
            (tip.0 + hw, tip.1 - h),
            (tip.0, tip.1),
        ],
        color,
    )
}

/// Height the time axis labels need below the plot.
/// The vertical line the bars of a term panel start from: at `x`, from `top` to `bottom`.
pub fn bar_base<DB: DrawingBackend>(c: &Canvas<DB>, x: f64, top: f64, bottom: f64) -> Result<()> {
    c.line(&[(x, top), (x, bottom)], GRID, 1.0)
}

pub fn time_axis_height<DB: DrawingBackend>(c: &Canvas<DB>) -> f64 {
    c.u(42.0)
}

/// Draws the calendar axis under the plot: tick marks, labels, and the year under the first
/// tick and wherever it changes.
pub fn time_axis<DB: DrawingBackend>(
    c: &Canvas<DB>,
    f: &Frame,
    first: NaiveDate,
    last: NaiveDate,
    unit: BinUnit,
) -> Result<()> {
    let font = c.u(12.5);
    let max_ticks = ((f.x1 - f.x0) / c.u(72.0)).floor().max(1.0) as usize;
    let ticks = time_ticks(first, last, unit, max_ticks);
    for t in &ticks {
        let x = f.x(t.date);
        c.line(&[(x, f.y1), (x, f.y1 + c.u(5.0))], AXIS, 1.0)?;
        let w = c.text_width(&t.label, font, Weight::Normal);
        // Keep labels inside the chart: edge labels hang inwards.
        let (ax, align) = if x - w / 2.0 < c.u(4.0) {
            (x, Align::Left)
        } else if x + w / 2.0 > c.w() - c.u(4.0) {
            (x, Align::Right)
        } else {
            (x, Align::Center)
        };
        c.text(
            &t.label,
            ax,
            f.y1 + c.u(20.0),
            font,
            Weight::Normal,
            MUTED,
            align,
        )?;
        if let Some(y) = &t.year {
            c.text(y, ax, f.y1 + c.u(36.0), font, Weight::Bold, MUTED, align)?;
        }
    }
    Ok(())
}

/// Value ticks and labels for the y axis: `(ticks, top, labels)`.
pub fn y_ticks(max: f64, integer: bool, percent: bool) -> (Vec<f64>, f64, Vec<String>) {
    if percent {
        let ticks = vec![0.0, 0.25, 0.5, 0.75, 1.0];
        let labels = ticks
            .iter()
            .map(|v| format!("{}%", (v * 100.0) as u32))
            .collect();
        return (ticks, 1.0, labels);
    }
    let (ticks, top) = value_ticks(max, 5, integer);
    let labels = ticks.iter().map(|&v| format_value(v)).collect();
    (ticks, top, labels)
}

/// Width the y labels need.
pub fn y_label_width<DB: DrawingBackend>(c: &Canvas<DB>, labels: &[String]) -> f64 {
    labels
        .iter()
        .map(|l| c.text_width(l, c.u(12.5), Weight::Normal))
        .fold(0.0, f64::max)
}

/// Draws horizontal grid lines with labels left of the plot, and the baseline.
pub fn y_axis<DB: DrawingBackend>(
    c: &Canvas<DB>,
    f: &Frame,
    ticks: &[f64],
    labels: &[String],
) -> Result<()> {
    let font = c.u(12.5);
    for (v, l) in ticks.iter().zip(labels) {
        let y = f.y(*v);
        if *v != f.v0 {
            c.line(&[(f.x0, y), (f.x1, y)], GRID, 1.0)?;
        }
        c.text(
            l,
            f.x0 - c.u(8.0),
            y + font * 0.36,
            font,
            Weight::Normal,
            MUTED,
            Align::Right,
        )?;
    }
    Ok(())
}

/// The baseline (drawn last, over the data).
pub fn baseline<DB: DrawingBackend>(c: &Canvas<DB>, f: &Frame) -> Result<()> {
    c.line(&[(f.x0, f.y1), (f.x1, f.y1)], AXIS, 1.25)
}

/// A short axis caption above the plot's top-left corner (e.g. "Articles per week").
pub fn axis_caption<DB: DrawingBackend>(c: &Canvas<DB>, f: &Frame, text: &str) -> Result<()> {
    c.text(
        text,
        c.u(MARGIN),
        f.y0 - c.u(14.0),
        c.u(12.5),
        Weight::Bold,
        MUTED,
        Align::Left,
    )
}

/// A centred message in place of a chart with nothing to show.
pub fn empty_message<DB: DrawingBackend>(
    c: &Canvas<DB>,
    top: f64,
    bottom: f64,
    text: &str,
) -> Result<()> {
    let y = (top + bottom) / 2.0;
    c.text(
        text,
        c.w() / 2.0,
        y,
        c.u(16.0),
        Weight::Normal,
        MUTED,
        Align::Center,
    )
}

/// A small-multiples panel title: a colour chip and a bold name fitted to `panel_w`, on the
/// baseline `py + 15` (scaled).
pub fn panel_title<DB: DrawingBackend>(
    c: &Canvas<DB>,
    (px, py): (f64, f64),
    panel_w: f64,
    chip: f64,
    color: RGBColor,
    name: &str,
) -> Result<()> {
    let ty = py + c.u(15.0);
    c.rect((px, ty - chip), (px + chip, ty), color)?;
    let name = c.fit(name, panel_w - chip - c.u(6.0), c.u(13.5), Weight::Bold);
    c.text(
        &name,
        px + chip + c.u(6.0),
        ty,
        c.u(13.5),
        Weight::Bold,
        INK,
        Align::Left,
    )?;
    Ok(())
}
