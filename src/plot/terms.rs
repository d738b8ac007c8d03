//! Top terms: small multiples, one horizontal bar chart per plotted topic, all bars on one
//! scale so panels can be compared.

use plotters::prelude::DrawingBackend;

use super::canvas::{Align, Canvas, Weight};
use super::layout::{self, MARGIN};
use super::palette::{topic_color, INK};
use super::series::ChartSeries;
use crate::Result;

/// Smallest readable panel width and bar row height at the default size.
const MIN_PANEL_W: f64 = 150.0;
const MIN_ROW: f64 = 13.0;
/// Height of a panel's title line.
const TITLE_H: f64 = 26.0;
/// Gaps between panels.
const GAP_X: f64 = 28.0;
const GAP_Y: f64 = 14.0;

/// How the panels are arranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    /// Columns.
    pub cols: usize,
    /// Rows.
    pub rows: usize,
    /// Panels drawn (the first ones; fewer than asked only when the chart is too small).
    pub panels: usize,
    /// Terms drawn per panel.
    pub terms: usize,
}

/// Arranges `n` panels of up to `max_terms` terms in a `w` × `h` area (typographic scale `k`):
/// as many panels as fit at least 150 px wide with at least `min(max_terms, 4)` readable bars,
/// preferring panels about 320 px wide, no empty cells, and more terms.
pub fn grid(n: usize, max_terms: usize, w: f64, h: f64, k: f64) -> Grid {
    let max_terms = max_terms.max(1);
    let need = max_terms.min(4);
    for panels in (1..=n).rev() {
        let mut best: Option<(f64, Grid)> = None;
        for cols in 1..=panels {
            let rows = panels.div_ceil(cols);
            let pw = (w - GAP_X * k * (cols - 1) as f64) / cols as f64;
            let ph = (h - GAP_Y * k * (rows - 1) as f64) / rows as f64;
            let fit = ((ph - TITLE_H * k) / (MIN_ROW * k)).floor().max(0.0) as usize;
            let terms = fit.min(max_terms);
            if pw < MIN_PANEL_W * k || terms < need {
                continue;
            }
            let empty = (cols * rows - panels) as f64;
            let cost = (pw / k - 320.0).abs() + 40.0 * empty - 10.0 * terms as f64;
            if best.is_none_or(|(c, _)| cost < c) {
                best = Some((
                    cost,
                    Grid {
                        cols,
                        rows,
                        panels,
                        terms,
                    },
                ));
            }
        }
        if let Some((_, g)) = best {
            return g;
        }
    }
    Grid {
        cols: 1,
        rows: 1,
        panels: n.min(1),
        terms: max_terms,
    }
}

/// Draws the term chart of `s`.
pub fn draw<DB: DrawingBackend>(c: &Canvas<DB>, s: &ChartSeries) -> Result<()> {
    let t = &s.terms;
    let m = c.u(MARGIN);
    let max_terms = t
        .panels
        .iter()
        .map(|p| p.terms.len())
        .max()
        .unwrap_or(0)
        .max(1);
    // Lay the grid out for the tallest header (a two-line subtitle), so the subtitle can say
    // how many panels are drawn.
    let bottom_est = layout::footer_baseline(c) - c.u(18.0);
    let y_est = m + c.u(20.0 + 25.0 + 18.0 + 14.0 + 8.0);
    let avail_w = c.w() - 2.0 * m;
    let g = grid(t.panels.len(), max_terms, avail_w, bottom_est - y_est, c.k);
    let which = if g.panels == s.n_topics {
        format!("the {} topics", g.panels)
    } else {
        format!("the {} largest topics", g.panels)
    };
    let top = layout::header(
        c,
        layout::title_of(s, "What each topic is about"),
        &layout::subtitle_of(
            s,
            format!("Strongest terms of {which}; each panel on its own scale, bars relative to the topic's strongest term"),
        ),
        0.0,
    )?;
    let bottom = layout::footer(
        c,
        &layout::source_note(s, "term weights from each topic's centre"),
        0.0,
    )?;
    if t.panels.is_empty() {
        return layout::empty_message(c, top, bottom, "No topics to plot");
    }
    let y_start = top + c.u(8.0);
    let (cols, rows, shown) = (g.cols, g.rows, g.terms);
    let (gap_x, gap_y) = (c.u(GAP_X), c.u(GAP_Y));
    let panel_w = (avail_w - gap_x * (cols - 1) as f64) / cols as f64;
    let panel_h = (bottom - y_start - gap_y * (rows - 1) as f64) / rows as f64;
    let title_h = c.u(TITLE_H);
    // Rows of bars at most 24 px high.
    let bar_row = ((panel_h - title_h) / shown as f64).min(c.u(24.0));
    let font = c.u(12.5).min(bar_row * 0.75);
    let label_w = panel_w * 0.42;

    for (i, p) in t.panels.iter().take(g.panels).enumerate() {
        let (col, row) = (i % cols, i / cols);
        let px = m + col as f64 * (panel_w + gap_x);
        let py = y_start + row as f64 * (panel_h + gap_y);
        let color = topic_color(p.topic.id);
        // Each panel on its own scale: a small topic's terms are as readable as a large one's
        // (on one scale they were stubs).
        let max_w = p
            .terms
            .iter()
            .map(|t| t.weight)
            .fold(0.0, f64::max)
            .max(f64::MIN_POSITIVE);
        // Panel title: a colour chip and the topic name.
        let chip = c.u(10.0);
        layout::panel_title(c, (px, py), panel_w, chip, color, &p.topic.name)?;
        let bars_top = py + title_h;
        let bar_x0 = px + label_w + c.u(6.0);
        let bar_span = px + panel_w - bar_x0;
        layout::bar_base(c, bar_x0, bars_top, bars_top + bar_row * shown as f64)?;
        if p.terms.is_empty() {
            c.text(
                "no terms",
                bar_x0 + c.u(6.0),
                bars_top + bar_row * 0.7,
                font,
                Weight::Normal,
                INK,
                Align::Left,
            )?;
        }
        for (j, term) in p.terms.iter().take(shown).enumerate() {
            let y = bars_top + bar_row * j as f64;
            let cy = y + bar_row / 2.0;
            let label = c.fit(&term.term, label_w, font, Weight::Normal);
            c.label(&label, px + label_w, cy, font, Align::Right)?;
            let len = (term.weight.max(0.0) / max_w) * bar_span;
            let h = bar_row * 0.68;
            if len > 0.0 {
                c.rect(
                    (bar_x0, cy - h / 2.0),
                    (bar_x0 + len.max(1.0), cy + h / 2.0),
                    color,
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::grid;

    #[test]
    fn grid_balances_rows() {
        let g = |n, w, h| {
            let g = grid(n, 10, w, h, 1.0);
            (g.cols, g.rows, g.panels, g.terms)
        };
        assert_eq!(g(8, 1152.0, 500.0), (4, 2, 8, 10));
        assert_eq!(g(5, 1152.0, 500.0), (3, 2, 5, 10));
        assert_eq!(g(3, 1152.0, 500.0), (3, 1, 3, 10));
        assert_eq!(g(1, 1152.0, 500.0), (1, 1, 1, 10));
        // Many panels: fewer terms each, but all panels.
        let (_, _, panels, terms) = g(20, 1152.0, 500.0);
        assert_eq!(panels, 20);
        assert!(terms >= 4);
    }

    #[test]
    fn a_small_chart_drops_panels_rather_than_becoming_unreadable() {
        let g = grid(5, 10, 432.0, 180.0, 1.0);
        assert!(g.panels < 5 && g.terms >= 4, "{g:?}");
    }
}
