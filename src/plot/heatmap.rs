//! Heatmap: one row per topic, one cell per time bin, coloured by the topic's share of the bin's
//! dated articles (square-root scale, so small shares stay visible next to a dominant topic).
//! Bins without any dated article are drawn in pale grey.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::canvas::{Align, Canvas, Weight};
use super::layout::{self, day_number, Frame, MARGIN};
use super::palette::{heat_color, topic_color, MUTED};
use super::series::ChartSeries;
use super::ticks::value_ticks;
use crate::Result;

/// Colour of a bin with no dated articles.
pub const EMPTY_BIN: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);

/// Position on the colour scale of a share, given the largest share.
fn scale(v: f64, max: f64) -> f64 {
    if max <= 0.0 {
        0.0
    } else {
        (v / max).clamp(0.0, 1.0).sqrt()
    }
}

fn percent(v: f64) -> String {
    let p = v * 100.0;
    if (p - p.round()).abs() < 1e-6 {
        format!("{}%", p.round() as i64)
    } else {
        format!("{p:.1}%")
    }
}

/// Draws the heatmap of `s`.
pub fn draw<DB: DrawingBackend>(c: &Canvas<DB>, s: &ChartSeries) -> Result<()> {
    let hm = &s.heatmap;
    let m = c.u(MARGIN);
    let unit = s.unit.as_str();
    let bar_w = c.u(200.0).min(c.w() * 0.22);
    let which = if hm.hidden > 0 {
        format!("the {} largest of {} topics", hm.topics.len(), s.n_topics)
    } else {
        if hm.topics.len() == 1 {
            "1 topic".to_string()
        } else {
            format!("all {} topics", hm.topics.len())
        }
    };
    let title = format!("Topic intensity by {unit}");
    let top = layout::header(
        c,
        layout::title_of(s, &title),
        &layout::subtitle_of(
            s,
            format!("Each cell: a topic's share of the {unit}'s dated articles; {which}; the darkest cells hold the top 5% of shares or more"),
        ),
        bar_w + c.u(40.0),
    )?;
    // Key for bins without articles, at the right end of the footnote line.
    let has_empty = s.totals.contains(&0);
    let key_text = "No articles";
    let key_w = if has_empty {
        c.text_width(key_text, c.u(12.0), Weight::Normal) + c.u(36.0)
    } else {
        0.0
    };
    let bottom = layout::footer(c, &layout::time_note(s), key_w)?;
    if has_empty {
        let y = layout::footer_baseline(c);
        let x = c.w() - m - key_w + c.u(20.0);
        c.rect((x, y - c.u(10.0)), (x + c.u(11.0), y + c.u(1.0)), EMPTY_BIN)?;
        c.text(
            key_text,
            x + c.u(16.0),
            y,
            c.u(12.0),
            Weight::Normal,
            MUTED,
            Align::Left,
        )?;
    }
    let (Some(&first), Some(&last)) = (s.bins.first(), s.bins.last()) else {
        return layout::empty_message(c, top, bottom, "No dated articles to plot");
    };
    if hm.topics.is_empty() {
        return layout::empty_message(c, top, bottom, "No topics to plot");
    }
    colour_bar(c, (c.w() - m - bar_w, m), bar_w, hm.max_share)?;

    // Row labels: colour swatch and topic name, on the left.
    let font_max = c.u(12.5);
    let widest = hm
        .topics
        .iter()
        .map(|t| c.text_width(&t.name, font_max, Weight::Normal))
        .fold(0.0, f64::max);
    let sw = c.u(14.0);
    let label_w = (widest + sw).min(c.w() * 0.32);
    let avail_h = bottom - layout::time_axis_height(c) - (top + c.u(12.0));
    let row_h = (avail_h / hm.topics.len() as f64).min(c.u(100.0));
    let end = s.unit.next(last);
    let f = Frame {
        x0: m + label_w + c.u(10.0),
        x1: c.w() - m,
        y0: top + c.u(12.0),
        y1: top + c.u(12.0) + row_h * hm.topics.len() as f64,
        t0: day_number(first),
        t1: day_number(end),
        v0: 0.0,
        v1: 1.0,
    };
    let font = font_max.min(row_h * 0.72);
    let cell_w = (f.x1 - f.x0) / s.bins.len() as f64;
    let gap_x = if cell_w >= 6.0 { 1.0 } else { 0.0 };
    let gap_y = if row_h >= 12.0 { c.u(2.0) } else { 0.0 };
    for (r, (t, vals)) in hm.topics.iter().zip(&hm.shares).enumerate() {
        let y = f.y0 + row_h * r as f64;
        let cy = y + row_h / 2.0;
        let sq = (sw - c.u(5.0)).min(row_h - gap_y);
        c.rect(
            (m, cy - sq / 2.0),
            (m + sq, cy + sq / 2.0),
            topic_color(t.id),
        )?;
        let name = c.fit(&t.name, label_w - sw, font, Weight::Normal);
        c.label(&name, m + sw, cy, font, Align::Left)?;
        for (b, d) in s.bins.iter().enumerate() {
            let x0 = f.x(*d);
            let x1 = f.x(s.unit.next(*d)) - gap_x;
            let col = if s.totals[b] == 0 {
                EMPTY_BIN
            } else {
                heat_color(scale(vals[b], hm.max_share))
            };
            c.rect((x0, y), (x1.max(x0 + 0.5), y + row_h - gap_y), col)?;
        }
    }
    layout::time_axis(c, &f, first, last, s.unit)
}

/// The colour scale: a caption, a gradient bar and share ticks, with its top-left at `at`.
fn colour_bar<DB: DrawingBackend>(c: &Canvas<DB>, at: (f64, f64), w: f64, max: f64) -> Result<()> {
    let (x, y) = at;
    let font = c.u(12.0);
    c.text(
        "Share of articles",
        x,
        y + c.u(10.0),
        font,
        Weight::Bold,
        MUTED,
        Align::Left,
    )?;
    let (y0, y1) = (y + c.u(16.0), y + c.u(27.0));
    let steps = 64;
    for i in 0..steps {
        let a = x + w * i as f64 / steps as f64;
        let b = x + w * (i + 1) as f64 / steps as f64;
        c.rect(
            (a, y0),
            (b + 0.5, y1),
            heat_color((i as f64 + 0.5) / steps as f64),
        )?;
    }
    if max > 0.0 {
        let (ticks, _) = value_ticks(max, 3, false);
        for v in ticks.into_iter().filter(|v| *v <= max * 1.0001) {
            let tx = x + w * scale(v, max);
            c.line(&[(tx, y1), (tx, y1 + c.u(3.0))], MUTED, 1.0)?;
            let align = if tx - x < c.u(10.0) {
                Align::Left
            } else {
                Align::Center
            };
            c.text(
                &percent(v),
                tx,
                y1 + c.u(15.0),
                font,
                Weight::Normal,
                MUTED,
                align,
            )?;
        }
    }
    Ok(())
}
