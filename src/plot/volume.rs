//! Topic volume over time: one line per topic (articles per bin), legend on the right, burst
//! peaks marked with a triangle above the line.

use plotters::prelude::DrawingBackend;

use super::canvas::Canvas;
use super::layout::{self, long_date, per_unit, Frame, Swatch, MARGIN};
use super::palette::{topic_color, INK, PAPER};
use super::series::ChartSeries;
use crate::Result;

/// Draws the volume chart of `s`.
pub fn draw<DB: DrawingBackend>(c: &Canvas<DB>, s: &ChartSeries) -> Result<()> {
    let v = &s.volume;
    let m = c.u(MARGIN);
    let range = match (s.bins.first(), s.bins.last()) {
        (Some(a), Some(b)) => format!(", {} to {}", long_date(*a), long_date(*b)),
        _ => String::new(),
    };
    let which = if v.topics.len() == s.n_topics {
        if v.topics.len() == 1 {
            "1 topic".to_string()
        } else {
            format!("{} topics", v.topics.len())
        }
    } else {
        format!("the {} largest of {} topics", v.topics.len(), s.n_topics)
    };
    let smooth = match &v.smoothed {
        Some(sm) => format!(" ({}-{} moving average)", sm.window, s.unit.as_str()),
        None => String::new(),
    };
    let top = layout::header(
        c,
        layout::title_of(s, "Topic volume over time"),
        &layout::subtitle_of(
            s,
            format!(
                "Articles {} in {}{}{}",
                per_unit(s.unit),
                which,
                range,
                smooth
            ),
        ),
        0.0,
    )?;
    // The values drawn: the counts, or their moving average.
    let lines: Vec<Vec<f64>> = match &v.smoothed {
        Some(sm) => sm.values.clone(),
        None => v
            .counts
            .iter()
            .map(|r| r.iter().map(|&n| n as f64).collect())
            .collect(),
    };
    let bottom = layout::footer(c, &layout::time_note(s), 0.0)?;
    let (Some(&first), Some(&last)) = (s.bins.first(), s.bins.last()) else {
        return layout::empty_message(c, top, bottom, "No dated articles to plot");
    };

    // Legend: topics in id order, then the peak marker when there are peaks.
    let mut items: Vec<(Swatch, String)> = v
        .topics
        .iter()
        .map(|t| (Swatch::Line(topic_color(t.id)), t.name.clone()))
        .collect();
    if !v.peaks.is_empty() {
        items.push((Swatch::Peak(INK), "Burst peak".to_string()));
    }
    let labels: Vec<String> = items.iter().map(|(_, l)| l.clone()).collect();
    let legend_w = layout::legend_width(c, &labels, c.w() * 0.3);

    let max = lines.iter().flatten().copied().fold(0.0, f64::max);
    // Room above the highest peak for its marker.
    let (ticks, top_v, tick_labels) = layout::y_ticks(
        max * if v.peaks.is_empty() { 1.0 } else { 1.08 },
        true,
        false,
    );
    let ylw = layout::y_label_width(c, &tick_labels);
    let f = Frame::series(
        c,
        (m, ylw, legend_w),
        (top, bottom),
        (first, last, s.unit),
        top_v,
    );
    layout::y_axis(c, &f, &ticks, &tick_labels)?;
    layout::axis_caption(c, &f, &format!("Articles {}", per_unit(s.unit)))?;
    layout::time_axis(c, &f, first, last, s.unit)?;

    let sparse = s.bins.len() <= 16;
    // Largest topic drawn last, on top.
    for (t, values) in v.topics.iter().zip(&lines).rev() {
        let col = topic_color(t.id);
        let pts: Vec<(f64, f64)> = s
            .bins
            .iter()
            .zip(values)
            .map(|(d, &n)| (f.x(*d), f.y(n)))
            .collect();
        c.line(&pts, col, 2.25)?;
        if sparse || pts.len() == 1 {
            for p in &pts {
                c.dot(*p, c.u(3.0), col)?;
            }
        }
    }
    layout::baseline(c, &f)?;
    for p in &v.peaks {
        // On the line as drawn (smoothed or not).
        let at = v.topics.iter().position(|t| t.id == p.topic);
        let b = s.bins.iter().position(|d| *d == p.bin);
        let value = match (at, b) {
            (Some(i), Some(b)) => lines[i][b],
            _ => p.count as f64,
        };
        let (x, y) = (f.x(p.bin), f.y(value));
        let tip = (x, y - c.u(5.0));
        c.dot((x, y), c.u(3.5), PAPER)?;
        c.dot((x, y), c.u(2.5), topic_color(p.topic))?;
        layout::peak_marker(c, tip, INK)?;
    }
    layout::legend(c, f.x1 + c.u(24.0), f.y0, legend_w, f.y1 - f.y0, &items)
}
