//! Share of coverage over time: stacked areas of each plotted topic's share of the bin's dated
//! articles, the largest topic at the bottom and "all other topics" in grey on top.

use plotters::prelude::DrawingBackend;

use super::canvas::Canvas;
use super::heatmap::EMPTY_BIN;
use super::layout::{self, per_unit, Frame, Swatch, MARGIN};
use super::palette::{topic_color, OTHER, PAPER};
use super::series::ChartSeries;
use crate::Result;

/// Draws the share chart of `s`.
pub fn draw<DB: DrawingBackend>(c: &Canvas<DB>, s: &ChartSeries) -> Result<()> {
    let sh = &s.share;
    let m = c.u(MARGIN);
    let unit_word = s.unit.as_str();
    let subtitle = if sh.layers.len() == s.n_topics {
        format!("Percentage of each {unit_word}'s dated articles in each topic")
    } else {
        format!(
            "Percentage of each {unit_word}'s dated articles in the {} largest topics and in all others",
            sh.layers.len()
        )
    };
    let top = layout::header(
        c,
        layout::title_of(s, "Share of coverage by topic"),
        &layout::subtitle_of(s, subtitle),
        0.0,
    )?;
    let bottom = layout::footer(c, &layout::time_note(s), 0.0)?;
    let (Some(&first), Some(&last)) = (s.bins.first(), s.bins.last()) else {
        return layout::empty_message(c, top, bottom, "No dated articles to plot");
    };

    // Legend top to bottom as the stack reads: other first, then layers from the top down.
    let show_other = sh.other.iter().any(|&o| o > 0.0);
    let has_empty = s.totals.contains(&0);
    let mut items: Vec<(Swatch, String)> = Vec::new();
    if show_other {
        items.push((Swatch::Block(OTHER), "All other topics".to_string()));
    }
    items.extend(
        sh.layers
            .iter()
            .rev()
            .map(|t| (Swatch::Block(topic_color(t.id)), t.name.clone())),
    );
    if has_empty {
        items.push((
            Swatch::Block(EMPTY_BIN),
            format!("No articles that {unit_word}"),
        ));
    }
    let labels: Vec<String> = items.iter().map(|(_, l)| l.clone()).collect();
    let legend_w = layout::legend_width(c, &labels, c.w() * 0.3);

    let (ticks, _, tick_labels) = layout::y_ticks(1.0, false, true);
    let ylw = layout::y_label_width(c, &tick_labels);
    // One bin: draw it as a block one bin wide.
    let single = first == last;
    let f = Frame::series(
        c,
        (m, ylw, legend_w),
        (top, bottom),
        (first, last, s.unit),
        1.0,
    );
    layout::axis_caption(c, &f, &format!("Share of articles {}", per_unit(s.unit)))?;

    // Runs of bins with articles; an empty bin leaves a grey gap one bin wide, and the runs
    // either side stop half a bin short of it (an isolated bin becomes a block one bin wide).
    let n = s.bins.len();
    let xs: Vec<f64> = s.bins.iter().map(|d| f.x(*d)).collect();
    let empty: Vec<bool> = s.totals.iter().map(|&t| t == 0).collect();
    let mut segments: Vec<Vec<(f64, usize)>> = Vec::new();
    if single {
        if !empty[0] {
            segments.push(vec![(f.x0, 0), (f.x1, 0)]);
        }
    } else {
        let mut b = 0;
        while b < n {
            if empty[b] {
                let left = if b > 0 {
                    (xs[b] - xs[b - 1]) / 2.0
                } else {
                    0.0
                };
                let right = if b + 1 < n {
                    (xs[b + 1] - xs[b]) / 2.0
                } else {
                    0.0
                };
                c.rect((xs[b] - left, f.y0), (xs[b] + right, f.y1), EMPTY_BIN)?;
                b += 1;
                continue;
            }
            let a = b;
            while b + 1 < n && !empty[b + 1] {
                b += 1;
            }
            let mut seg = Vec::new();
            if a > 0 {
                seg.push(((xs[a] + xs[a - 1]) / 2.0, a));
            }
            seg.extend((a..=b).map(|i| (xs[i], i)));
            if b + 1 < n {
                seg.push(((xs[b] + xs[b + 1]) / 2.0, b));
            }
            segments.push(seg);
            b += 1;
        }
    }
    let mut layers: Vec<(plotters::style::RGBColor, &Vec<f64>)> = sh
        .layers
        .iter()
        .zip(&sh.shares)
        .map(|(t, v)| (topic_color(t.id), v))
        .collect();
    if show_other {
        layers.push((OTHER, &sh.other));
    }
    for seg in &segments {
        let mut lower = vec![0.0; seg.len()];
        let mut edges = Vec::new();
        for (col, vals) in &layers {
            let upper: Vec<f64> = seg
                .iter()
                .zip(&lower)
                .map(|(&(_, b), l)| l + vals[b])
                .collect();
            let top_edge: Vec<(f64, f64)> = seg
                .iter()
                .zip(&upper)
                .map(|(&(x, _), &v)| (x, f.y(v.min(1.0))))
                .collect();
            let mut poly = top_edge.clone();
            poly.extend(
                seg.iter()
                    .zip(&lower)
                    .rev()
                    .map(|(&(x, _), &v)| (x, f.y(v.min(1.0)))),
            );
            c.polygon(&poly, *col)?;
            edges.push(top_edge);
            lower = upper;
        }
        // Thin white edges between layers keep neighbouring colours apart.
        for e in edges.iter().take(edges.len().saturating_sub(1)) {
            c.line(e, PAPER, 0.75)?;
        }
    }
    // Grid lines over the areas, faint, so shares can be read off.
    for &v in &ticks[1..ticks.len() - 1] {
        let y = f.y(v);
        c.line(&[(f.x0, y), (f.x1, y)], PAPER, 0.6)?;
    }
    layout::y_axis(c, &Frame { x1: f.x0, ..f }, &ticks, &tick_labels)?;
    layout::baseline(c, &f)?;
    layout::time_axis(
        c,
        &f,
        first,
        if single { s.unit.next(last) } else { last },
        s.unit,
    )?;
    layout::legend(c, f.x1 + c.u(24.0), f.y0, legend_w, f.y1 - f.y0, &items)
}
