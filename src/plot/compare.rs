//! Charts of a [`Comparison`] and the report's comparison section.
//!
//! Three charts, written by [`render_compare_charts`] next to the standard ones
//! (`OUT/charts/compare_diff`, `compare_terms`, `compare_timeline`, in every format of the
//! options):
//! - **diff**: diverging bars of each topic's share difference with its interval (two
//!   collections: A − B, topics sorted by the difference; more collections: one panel per
//!   collection, its share minus the others' pooled share). Solid bars are significant after
//!   Benjamini–Hochberg, pale ones are not;
//! - **terms**: the most distinctive terms of each collection (weighted log-odds z-scores), one
//!   panel per collection, all on one scale;
//! - **timeline**: small multiples, one panel per large topic, one line per collection
//!   (articles per bin on the shared bins).
//!
//! Collections get dark colours of their own ([`COLLECTION_COLORS`]: purple and crimson first,
//! which stay apart under the common colour-vision deficiencies), from hues the Okabe–Ito topic
//! colours leave free, so they are not confused with the topics, which keep their chip beside
//! their name.
//!
//! The report's section on `comparison.json` is [`crate::report::comparison`].

use std::path::{Path, PathBuf};

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::canvas::{self, Align, Canvas, Weight};
use super::layout::{self, Frame, MARGIN};
use super::options::{ChartFormat, ChartOptions};
use super::palette::{topic_color, AXIS, FAINT, GRID, INK, MUTED, PAPER};
use super::ticks::{format_value, thousands, value_ticks};
use crate::compare::{Comparison, Scope, TopicComparison};
use crate::Result;

/// Collection colours, by collection index, cycling beyond eight: dark colours from hues the
/// topic palette leaves free (purple, crimson, brown, olive, navy, …), so a collection's bars
/// and lines are not mistaken for a topic's chip.
pub const COLLECTION_COLORS: [RGBColor; 8] = [
    RGBColor(0x6A, 0x3D, 0x9A), // purple
    RGBColor(0xA5, 0x0F, 0x15), // crimson
    RGBColor(0x8C, 0x51, 0x0A), // brown
    RGBColor(0x4D, 0x6B, 0x1E), // olive green
    RGBColor(0x1B, 0x3A, 0x5C), // navy
    RGBColor(0xC5, 0x1B, 0x7D), // magenta
    RGBColor(0x35, 0x97, 0x8F), // teal
    RGBColor(0x70, 0x70, 0x70), // grey
];

/// The colour of collection `i`.
pub fn collection_color(i: usize) -> RGBColor {
    COLLECTION_COLORS[i % COLLECTION_COLORS.len()]
}

/// The chance threshold line of the term chart.
const THRESHOLD: RGBColor = RGBColor(0xB4, 0xB4, 0xB4);

/// Bars for "less than the others" in the multi-collection difference chart.
const LESS: RGBColor = RGBColor(0x9A, 0x9A, 0x9A);

/// `c` mixed with white: `t = 0` is `c`, `t = 1` is white.
fn pale(c: RGBColor, t: f64) -> RGBColor {
    let m = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    RGBColor(m(c.0, PAPER.0), m(c.1, PAPER.1), m(c.2, PAPER.2))
}

/// Most collections drawn side by side in the difference and term charts.
pub const MAX_PANELS: usize = 6;

/// The comparison charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareChart {
    /// Share differences with intervals.
    Diff,
    /// Distinctive terms per collection.
    Terms,
    /// Per-collection timelines of the largest topics.
    Timeline,
}

impl CompareChart {
    /// All, in file order.
    pub const ALL: [CompareChart; 3] = [
        CompareChart::Diff,
        CompareChart::Terms,
        CompareChart::Timeline,
    ];

    /// File stem.
    pub fn stem(self) -> &'static str {
        match self {
            CompareChart::Diff => "compare_diff",
            CompareChart::Terms => "compare_terms",
            CompareChart::Timeline => "compare_timeline",
        }
    }

    /// Caption for the report.
    pub fn caption(self) -> &'static str {
        match self {
            CompareChart::Diff => {
                "Difference in each topic's share of the articles, in percentage points, with intervals; \
                 solid bars are significant after Benjamini–Hochberg correction."
            }
            CompareChart::Terms => {
                "Terms that set each collection apart from the others (weighted log-odds z-scores)."
            }
            CompareChart::Timeline => "Articles per time bin of the largest topics, one line per collection.",
        }
    }

    fn draw<DB: DrawingBackend>(
        self,
        c: &Canvas<DB>,
        cmp: &Comparison,
        opts: &ChartOptions,
    ) -> Result<()> {
        match self {
            CompareChart::Diff => draw_diff(c, cmp),
            CompareChart::Terms => draw_terms(c, cmp),
            CompareChart::Timeline => draw_timeline(c, cmp, opts.top_n()),
        }
    }
}

/// Checks that a comparison (maybe read back from a `comparison.json` that was edited or
/// truncated) has the shape the charts index: two collections or more, and one cell per
/// collection in every topic.
pub fn check_shape(cmp: &Comparison) -> Result<()> {
    let n = cmp.collections.len();
    if n < 2 {
        return Err(crate::Error::Chart(format!(
            "comparison of {n} collection(s): two or more are needed"
        )));
    }
    if let Some(t) = cmp.topics.iter().find(|t| t.cells.len() != n) {
        return Err(crate::Error::Chart(format!(
            "comparison topic {} has {} cells for {n} collections",
            t.topic,
            t.cells.len()
        )));
    }
    Ok(())
}

/// One chart as an SVG document.
pub fn render_svg(kind: CompareChart, cmp: &Comparison, opts: &ChartOptions) -> Result<String> {
    check_shape(cmp)?;
    canvas::render_svg(opts.width(), opts.height(), |c| kind.draw(c, cmp, opts))
}

/// One chart as PNG bytes.
pub fn render_png(kind: CompareChart, cmp: &Comparison, opts: &ChartOptions) -> Result<Vec<u8>> {
    check_shape(cmp)?;
    canvas::render_png(opts.width(), opts.height(), |c| kind.draw(c, cmp, opts))
}

/// Writes the three comparison charts in every format of `opts` into `dir` (created if
/// missing), each atomically; returns the paths, chart by chart, SVG before PNG.
pub fn render_compare_charts(
    cmp: &Comparison,
    opts: &ChartOptions,
    dir: &Path,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e))?;
    let mut written = Vec::new();
    for kind in CompareChart::ALL {
        for &format in opts.formats() {
            let bytes = match format {
                ChartFormat::Svg => render_svg(kind, cmp, opts)?.into_bytes(),
                ChartFormat::Png => render_png(kind, cmp, opts)?,
            };
            let path = dir.join(format!("{}.{}", kind.stem(), format.extension()));
            written.push(canvas::write_atomic(&path, &bytes)?);
        }
    }
    Ok(written)
}

/// `#3 label` (or `Topic 3` without a label): how the comparison names a topic.
pub fn topic_name(t: &TopicComparison) -> String {
    if t.label.trim().is_empty() {
        format!("Topic {}", t.topic)
    } else {
        format!("#{} {}", t.topic, t.label.trim())
    }
}

fn level_text(cmp: &Comparison) -> String {
    format!("{:.0}%", cmp.params.level * 100.0)
}

fn sizes_note(cmp: &Comparison) -> String {
    let parts: Vec<String> = cmp
        .collections
        .iter()
        .map(|c| format!("{} {}", c.name, thousands(c.with_topic)))
        .collect();
    format!(
        "Source: topictrack · articles with a topic: {}",
        parts.join(", ")
    )
}

/// A label column entry: topic chip and name, right-aligned at `x`.
fn topic_label<DB: DrawingBackend>(
    c: &Canvas<DB>,
    t: &TopicComparison,
    x: f64,
    cy: f64,
    max_w: f64,
    font: f64,
) -> Result<()> {
    let chip = c.u(9.0).min(font * 0.8);
    let text = c.fit(
        &topic_name(t),
        max_w - chip - c.u(6.0),
        font,
        Weight::Normal,
    );
    let w = c.text_width(&text, font, Weight::Normal);
    c.label(&text, x, cy, font, Align::Right)?;
    let cx = x - w - c.u(6.0);
    c.rect(
        (cx - chip, cy - chip / 2.0),
        (cx, cy + chip / 2.0),
        topic_color(t.topic),
    )
}

/// Rows of the difference chart: (topic index, diff, low, high, significant) per panel.
fn diff_rows(cmp: &Comparison, panel: usize) -> Vec<(usize, f64, f64, f64, bool)> {
    cmp.topics
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let cell = &t.cells[panel];
            (i, cell.diff, cell.diff_low, cell.diff_high, t.significant)
        })
        .collect()
}

/// `+text`, `−text` (a true minus sign) or `text` for zero, by the sign of `v`.
fn signed(v: f64, text: String) -> String {
    if v > 0.0 {
        format!("+{text}")
    } else if v < 0.0 {
        format!("−{text}")
    } else {
        text
    }
}

fn draw_diff<DB: DrawingBackend>(c: &Canvas<DB>, cmp: &Comparison) -> Result<()> {
    let m = c.u(MARGIN);
    let n_coll = cmp.collections.len();
    let two = n_coll == 2;
    let level = level_text(cmp);
    let (title, subtitle) = if two {
        (
            format!("Where {} and {} differ", cmp.collections[0].name, cmp.collections[1].name),
            format!(
                "Each topic's share of {}'s articles minus its share of {}'s, in percentage points, with {level} intervals. \
                 Solid bars: significant after Benjamini–Hochberg (q < {}).",
                cmp.collections[0].name, cmp.collections[1].name, cmp.params.alpha
            ),
        )
    } else {
        (
            "Where the collections differ".to_string(),
            format!(
                "Each collection's topic share minus the other collections' pooled share, in percentage points, \
                 with {level} intervals. Solid bars: the topic differs significantly (q < {}).",
                cmp.params.alpha
            ),
        )
    };
    let top = layout::header(c, &title, &subtitle, 0.0)?;
    let panels = if two { 1 } else { n_coll.min(MAX_PANELS) };
    let mut note = sizes_note(cmp);
    if n_coll > panels && !two {
        note = format!("{note} · first {panels} of {n_coll} collections shown");
    }
    let bottom = layout::footer(c, &note, 0.0)?;
    if cmp.topics.is_empty() {
        return layout::empty_message(c, top, bottom, "No topics to compare");
    }

    // Rows: two collections → sorted by difference (largest "more in A" on top); else by id.
    let mut order: Vec<usize> = (0..cmp.topics.len()).collect();
    if two {
        order.sort_by(|&a, &b| {
            cmp.topics[b].cells[0]
                .diff
                .total_cmp(&cmp.topics[a].cells[0].diff)
                .then(a.cmp(&b))
        });
    }
    let head_h = c.u(if two { 24.0 } else { 30.0 });
    let axis_h = c.u(30.0);
    let plot_top = top + c.u(6.0) + head_h;
    let plot_bottom = bottom - axis_h;
    let min_row = c.u(15.0);
    let capacity = (((plot_bottom - plot_top) / min_row).floor() as usize).max(1);
    if order.len() > capacity {
        // Keep the most significant, in their order.
        let mut by_p: Vec<usize> = order.clone();
        by_p.sort_by(|&a, &b| cmp.topics[a].p.total_cmp(&cmp.topics[b].p).then(a.cmp(&b)));
        by_p.truncate(capacity);
        order.retain(|i| by_p.contains(i));
    }
    let row = ((plot_bottom - plot_top) / order.len() as f64).min(c.u(34.0));
    // Few rows: the axis follows the last row rather than the foot of the chart.
    let plot_bottom = plot_top + row * order.len() as f64;
    let font = c.u(12.5).min(row * 0.72);

    // Symmetric x range over every shown interval.
    let reach = (0..panels)
        .flat_map(|p| diff_rows(cmp, p))
        .filter(|r| order.contains(&r.0))
        .map(|r| r.2.abs().max(r.3.abs()).max(r.1.abs()))
        .fold(0.0, f64::max)
        * 100.0;
    let (ticks, top_v) = value_ticks(reach.max(1.0), 3, false);

    let label_w = (c.w() - 2.0 * m) * if two { 0.3 } else { 0.22 };
    let x_start = m + label_w + c.u(12.0);
    let gap = c.u(if panels > 1 { 36.0 } else { 22.0 });
    let panel_w = (c.w() - m - x_start - gap * (panels - 1) as f64) / panels as f64;
    for (row_i, &ti) in order.iter().enumerate() {
        let cy = plot_top + row * (row_i as f64 + 0.5);
        topic_label(c, &cmp.topics[ti], m + label_w, cy, label_w, font)?;
    }
    for p in 0..panels {
        let x0 = x_start + p as f64 * (panel_w + gap);
        let x1 = x0 + panel_w;
        let xv = |v: f64| x0 + (v * 100.0 + top_v) / (2.0 * top_v) * (x1 - x0);
        // Panel head: direction words (two collections) or the collection's name.
        let head_y = plot_top - c.u(10.0);
        if two {
            let f = c.u(12.5);
            c.text(
                &format!("← more in {}", cmp.collections[1].name),
                xv(0.0) - c.u(8.0),
                head_y,
                f,
                Weight::Bold,
                collection_color(1),
                Align::Right,
            )?;
            c.text(
                &format!("more in {} →", cmp.collections[0].name),
                xv(0.0) + c.u(8.0),
                head_y,
                f,
                Weight::Bold,
                collection_color(0),
                Align::Left,
            )?;
        } else {
            let name = c.fit(&cmp.collections[p].name, panel_w, c.u(13.5), Weight::Bold);
            c.text(
                &name,
                (x0 + x1) / 2.0,
                head_y,
                c.u(13.5),
                Weight::Bold,
                collection_color(p),
                Align::Center,
            )?;
        }
        // Grid and tick labels.
        for &t in ticks.iter() {
            for s in if t == 0.0 { vec![0.0] } else { vec![-t, t] } {
                let x = xv(s / 100.0);
                if s != 0.0 {
                    c.line(&[(x, plot_top), (x, plot_bottom)], GRID, 1.0)?;
                }
                // Side by side, the outermost labels of two panels would run together.
                if panels > 1 && s.abs() >= top_v - 1e-9 {
                    continue;
                }
                let label = signed(s, format_value(s.abs()));
                c.text(
                    &label,
                    x,
                    plot_bottom + c.u(16.0),
                    c.u(12.0),
                    Weight::Normal,
                    MUTED,
                    Align::Center,
                )?;
            }
        }
        if panels == 1 {
            c.text(
                "points",
                x1,
                plot_bottom + c.u(28.0),
                c.u(11.0),
                Weight::Normal,
                FAINT,
                Align::Right,
            )?;
        }
        let rows = diff_rows(cmp, p);
        for (row_i, &ti) in order.iter().enumerate() {
            let (_, d, lo, hi, sig) = rows[ti];
            let cy = plot_top + row * (row_i as f64 + 0.5);
            let base = if two {
                if d >= 0.0 {
                    collection_color(0)
                } else {
                    collection_color(1)
                }
            } else if d >= 0.0 {
                collection_color(p)
            } else {
                LESS
            };
            let color = if sig { base } else { pale(base, 0.68) };
            let h = row * 0.56;
            let (a, b) = (xv(0.0), xv(d));
            if (b - a).abs() >= 0.5 {
                c.rect((a.min(b), cy - h / 2.0), (a.max(b), cy + h / 2.0), color)?;
            }
            // Interval whisker with caps.
            let (wl, wh) = (xv(lo), xv(hi));
            let cap = h * 0.35;
            let wc = if sig { INK } else { FAINT };
            c.line(&[(wl, cy), (wh, cy)], wc, 1.25)?;
            c.line(&[(wl, cy - cap), (wl, cy + cap)], wc, 1.25)?;
            c.line(&[(wh, cy - cap), (wh, cy + cap)], wc, 1.25)?;
            if two && sig {
                let text = signed(d, format!("{:.1}", d.abs() * 100.0));
                let f = font * 0.92;
                let tw = c.text_width(&text, f, Weight::Bold);
                let (tx, align) = if d >= 0.0 {
                    (wh + c.u(5.0), Align::Left)
                } else {
                    (wl - c.u(5.0), Align::Right)
                };
                let fits = if d >= 0.0 {
                    tx + tw <= x1
                } else {
                    tx - tw >= x0
                };
                if fits {
                    c.text(&text, tx, cy + f * 0.36, f, Weight::Bold, INK, align)?;
                }
            }
        }
        c.line(
            &[(xv(0.0), plot_top - c.u(2.0)), (xv(0.0), plot_bottom)],
            AXIS,
            1.25,
        )?;
    }
    Ok(())
}

fn draw_terms<DB: DrawingBackend>(c: &Canvas<DB>, cmp: &Comparison) -> Result<()> {
    let m = c.u(MARGIN);
    let lists: Vec<(usize, &crate::compare::TermList)> = cmp
        .distinctive
        .iter()
        .filter(|l| l.scope == Scope::Overall)
        .filter_map(|l| cmp.collection_index(&l.collection).map(|i| (i, l)))
        .take(MAX_PANELS)
        .collect();
    let top = layout::header(
        c,
        "Words that set each collection apart",
        "Most distinctive terms of each collection against the others: weighted log-odds ratio with an informative \
         Dirichlet prior (Monroe, Colaresi & Quinn 2008); bar length is the z-score, on one scale for all panels",
        0.0,
    )?;
    let note = match cmp.term_threshold {
        Some(th) => format!(
            "Source: topictrack · prior size α₀ = {} · solid bars beyond chance: z above {:.1}, the 95th percentile of the \
             largest z over {} shuffles of the collection labels (grey line)",
            format_value(cmp.params.prior_size),
            th,
            cmp.params.permutations
        ),
        None => format!("Source: topictrack · prior size α₀ = {}", format_value(cmp.params.prior_size)),
    };
    let bottom = layout::footer(c, &note, 0.0)?;
    if lists.is_empty() {
        return layout::empty_message(c, top, bottom, "No distinctive terms");
    }
    let max_terms = lists
        .iter()
        .map(|(_, l)| l.terms.len())
        .max()
        .unwrap_or(1)
        .clamp(1, 15);
    let y_start = top + c.u(8.0);
    let avail_w = c.w() - 2.0 * m;
    let g = super::terms::grid(lists.len(), max_terms, avail_w, bottom - y_start, c.k);
    let (cols, rows, shown) = (g.cols, g.rows, g.terms);
    let (gap_x, gap_y) = (c.u(28.0), c.u(14.0));
    let panel_w = (avail_w - gap_x * (cols - 1) as f64) / cols as f64;
    let panel_h = (bottom - y_start - gap_y * (rows - 1) as f64) / rows as f64;
    let title_h = c.u(26.0);
    let bar_row = ((panel_h - title_h) / shown as f64).min(c.u(24.0));
    let font = c.u(12.5).min(bar_row * 0.75);
    let label_w = panel_w * 0.4;
    let max_z = lists
        .iter()
        .flat_map(|(_, l)| l.terms.iter().map(|t| t.z))
        .chain(cmp.term_threshold)
        .fold(0.0, f64::max)
        .max(1e-9);
    for (i, (ci, list)) in lists.iter().take(g.panels).enumerate() {
        let (col, row) = (i % cols, i / cols);
        let px = m + col as f64 * (panel_w + gap_x);
        let py = y_start + row as f64 * (panel_h + gap_y);
        let color = collection_color(*ci);
        let chip = c.u(10.0);
        layout::panel_title(c, (px, py), panel_w, chip, color, &list.collection)?;
        let bars_top = py + title_h;
        let bar_x0 = px + label_w + c.u(6.0);
        let value_w = c.text_width("00.0", font, Weight::Normal) + c.u(6.0);
        let bar_span = (px + panel_w - bar_x0 - value_w).max(1.0);
        layout::bar_base(c, bar_x0, bars_top, bars_top + bar_row * shown as f64)?;
        // The chance threshold, under the bars and their values.
        if let Some(th) = cmp.term_threshold {
            let x = bar_x0 + th / max_z * bar_span;
            let n = list.terms.len().min(shown) as f64;
            c.line(
                &[
                    (x, bars_top - c.u(3.0)),
                    (x, bars_top + bar_row * n + c.u(3.0)),
                ],
                THRESHOLD,
                1.25,
            )?;
        }
        for (j, term) in list.terms.iter().take(shown).enumerate() {
            let cy = bars_top + bar_row * (j as f64 + 0.5);
            let label = c.fit(&term.term, label_w, font, Weight::Normal);
            c.label(&label, px + label_w, cy, font, Align::Right)?;
            let len = (term.z.max(0.0) / max_z) * bar_span;
            let h = bar_row * 0.68;
            let fill = if term.beyond_chance == Some(false) {
                pale(color, 0.6)
            } else {
                color
            };
            c.rect(
                (bar_x0, cy - h / 2.0),
                (bar_x0 + len.max(1.0), cy + h / 2.0),
                fill,
            )?;
            c.text(
                &format!("{:.1}", term.z),
                bar_x0 + len + c.u(4.0),
                cy + font * 0.36,
                font * 0.9,
                Weight::Normal,
                MUTED,
                Align::Left,
            )?;
        }
    }
    Ok(())
}

fn to_plot_unit(u: crate::timeline::BinUnit) -> super::data::BinUnit {
    match u {
        crate::timeline::BinUnit::Week => super::data::BinUnit::Week,
        crate::timeline::BinUnit::Month => super::data::BinUnit::Month,
        _ => super::data::BinUnit::Day,
    }
}

/// The topics drawn in the timeline chart: the `n` with the most dated articles across the
/// collections (ties: lower id), in id order.
pub fn timeline_topics(cmp: &Comparison, n: usize) -> Vec<usize> {
    let tl = &cmp.timeline;
    let k = cmp.topics.len();
    let total = |t: usize| -> u64 {
        tl.counts
            .iter()
            .map(|c| c.get(t).map_or(0, |v| v.iter().map(|&x| x as u64).sum()))
            .sum()
    };
    let mut ids: Vec<usize> = (0..k).filter(|&t| total(t) > 0).collect();
    ids.sort_by(|&a, &b| total(b).cmp(&total(a)).then(a.cmp(&b)));
    ids.truncate(n);
    ids.sort_unstable();
    ids
}

fn draw_timeline<DB: DrawingBackend>(c: &Canvas<DB>, cmp: &Comparison, top_n: usize) -> Result<()> {
    let m = c.u(MARGIN);
    let tl = &cmp.timeline;
    let unit = to_plot_unit(tl.unit);
    let topics = timeline_topics(cmp, top_n.min(12));
    let which = if topics.len() == cmp.topics.len() {
        format!("all {} topics", topics.len())
    } else {
        format!(
            "the {} largest of {} topics",
            topics.len(),
            cmp.topics.len()
        )
    };
    let top = layout::header(
        c,
        "Topic timelines by collection",
        &format!(
            "Articles {} in {which}, one line per collection; each panel has its own scale",
            layout::per_unit(unit)
        ),
        0.0,
    )?;
    let note = match (tl.bins.first(), tl.bins.last()) {
        (Some(a), Some(b)) => format!(
            "Source: topictrack · {} {} bins, {} to {}",
            tl.bins.len(),
            unit.adjective(),
            layout::long_date(*a),
            layout::long_date(*b)
        ),
        _ => "Source: topictrack · no dated articles".to_string(),
    };
    let bottom = layout::footer(c, &note, 0.0)?;
    let (Some(&first), Some(&last)) = (tl.bins.first(), tl.bins.last()) else {
        return layout::empty_message(c, top, bottom, "No dated articles: no timelines to draw");
    };
    if topics.is_empty() {
        return layout::empty_message(c, top, bottom, "No dated articles in any collection");
    }
    // Legend: one row of collection swatches.
    let legend_y = top + c.u(4.0);
    let mut x = m;
    let lf = c.u(layout::LEGEND_FONT);
    for (i, coll) in cmp.collections.iter().enumerate() {
        let label = c.fit(&coll.name, c.u(220.0), lf, Weight::Normal);
        c.line(
            &[(x, legend_y), (x + c.u(18.0), legend_y)],
            collection_color(i),
            c.u(3.0),
        )?;
        c.text(
            &label,
            x + c.u(24.0),
            legend_y + lf * 0.36,
            lf,
            Weight::Normal,
            INK,
            Align::Left,
        )?;
        x += c.u(24.0) + c.text_width(&label, lf, Weight::Normal) + c.u(22.0);
        if x > c.w() - m - c.u(120.0) {
            break;
        }
    }
    let grid_top = legend_y + c.u(18.0);
    let n = topics.len();
    let cols = match n {
        1 => 1,
        2 | 4 => 2,
        3 | 5 | 6 | 9 => 3,
        _ => 4,
    };
    let rows = n.div_ceil(cols);
    let (gap_x, gap_y) = (c.u(30.0), c.u(16.0));
    let axis_h = c.u(18.0);
    let panel_w = (c.w() - 2.0 * m - gap_x * (cols - 1) as f64) / cols as f64;
    let panel_h = (bottom - grid_top - gap_y * (rows - 1) as f64) / rows as f64;
    let t0 = layout::day_number(first);
    let t1 = if last > first {
        layout::day_number(last)
    } else {
        layout::day_number(unit.next(first))
    };
    for (i, &t) in topics.iter().enumerate() {
        let (col, row) = (i % cols, i / cols);
        let px = m + col as f64 * (panel_w + gap_x);
        let py = grid_top + row as f64 * (panel_h + gap_y);
        let tc = &cmp.topics[t];
        // Title.
        let chip = c.u(9.0);
        let ty = py + c.u(14.0);
        c.rect((px, ty - chip), (px + chip, ty), topic_color(t))?;
        let name = c.fit(
            &topic_name(tc),
            panel_w - chip - c.u(6.0),
            c.u(12.5),
            Weight::Bold,
        );
        c.text(
            &name,
            px + chip + c.u(6.0),
            ty,
            c.u(12.5),
            Weight::Bold,
            INK,
            Align::Left,
        )?;
        let max = tl
            .counts
            .iter()
            .filter_map(|cc| cc.get(t))
            .flatten()
            .copied()
            .max()
            .unwrap_or(0) as f64;
        let (ticks, top_v) = value_ticks(max.max(1.0), 2, true);
        let labels: Vec<String> = ticks.iter().map(|&v| format_value(v)).collect();
        let ylw = layout::y_label_width(c, &labels);
        let f = Frame {
            x0: px + ylw + c.u(8.0),
            x1: px + panel_w,
            y0: py + c.u(24.0),
            y1: py + panel_h - axis_h,
            t0,
            t1,
            v0: 0.0,
            v1: top_v,
        };
        layout::y_axis(c, &f, &ticks, &labels)?;
        // Lines, first collection drawn last (on top).
        for (ci, cc) in tl.counts.iter().enumerate().rev() {
            let Some(series) = cc.get(t) else { continue };
            let pts: Vec<(f64, f64)> = tl
                .bins
                .iter()
                .zip(series)
                .map(|(d, &v)| (f.x(*d), f.y(v as f64)))
                .collect();
            c.line(&pts, collection_color(ci), 1.75)?;
            if pts.len() == 1 {
                c.dot(pts[0], c.u(2.5), collection_color(ci))?;
            }
        }
        layout::baseline(c, &f)?;
        // First and last bin under the panel.
        let df = c.u(11.0);
        let fmt = |d: chrono::NaiveDate| d.format("%-d %b %Y").to_string();
        c.text(
            &fmt(first),
            f.x0,
            f.y1 + c.u(13.0),
            df,
            Weight::Normal,
            MUTED,
            Align::Left,
        )?;
        if last > first {
            c.text(
                &fmt(last),
                f.x1,
                f.y1 + c.u(13.0),
                df,
                Weight::Normal,
                MUTED,
                Align::Right,
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::compare::{compare_parts, Collections, CompareInput, CompareParams, Grouping};
    use crate::ingest::Article;
    use crate::timeline::{BinUnit, Timeline};
    use crate::ParamGuard;
    use chrono::{TimeZone, Utc};

    /// Two outlets over three weeks, three topics: A mostly topic 0, B mostly topic 2.
    pub(crate) fn comparison() -> Comparison {
        let mut articles = Vec::new();
        let mut topics = Vec::new();
        let mut tri = sprs::TriMat::new((60, 4));
        for i in 0..60usize {
            let group = if i % 2 == 0 {
                "Harbour Gazette"
            } else {
                "Valley Courier"
            };
            let t = match (i % 2, i % 5) {
                (0, 0..=2) | (1, 0) => 0,
                (0, _) | (1, 1) => 1,
                _ => 2,
            };
            articles.push(Article {
                id: format!("a{i}"),
                date: Some(
                    Utc.with_ymd_and_hms(2025, 3, 1 + (i % 21) as u32, 8, 0, 0)
                        .unwrap(),
                ),
                title: format!("t{i}"),
                text: String::new(),
                labels: vec![],
                group: Some(group.into()),
                input: 0,
                line: i as u64 + 1,
                vector: None,
            });
            topics.push(Some(t));
            tri.add_triplet(i, t, 2.0f32);
            tri.add_triplet(i, 3, 1.0f32 + (i % 2) as f32);
        }
        let counts = tri.to_csr();
        let dates: Vec<_> = articles.iter().map(|a| a.date).collect();
        let tl = Timeline::build(&dates, &topics, 3, BinUnit::Week).unwrap();
        let labels = [
            "strike, port".to_string(),
            "rates, bank".to_string(),
            "drought, farms".to_string(),
        ];
        let terms = [
            "dockers".to_string(),
            "mortgage".to_string(),
            "irrigation".to_string(),
            "minister".to_string(),
        ];
        let coll = Collections::build(
            &articles,
            &Grouping::Field {
                field: "source".into(),
            },
            &[],
        )
        .unwrap();
        let input = CompareInput {
            articles: &articles,
            assignments: &topics,
            topic_labels: &labels,
            counts: &counts,
            term_labels: &terms,
            timeline: &tl,
        };
        compare_parts(&input, &coll, &CompareParams::default().check().unwrap()).unwrap()
    }

    #[test]
    fn charts_render_in_both_formats() {
        let cmp = comparison();
        let opts = ChartOptions::default();
        for kind in CompareChart::ALL {
            let svg = render_svg(kind, &cmp, &opts).unwrap();
            assert!(svg.starts_with("<svg"), "{kind:?}");
            let png = render_png(kind, &cmp, &opts).unwrap();
            assert_eq!(&png[1..4], b"PNG");
        }
        let svg = render_svg(CompareChart::Diff, &cmp, &opts).unwrap();
        assert!(svg.contains("Where Harbour Gazette and Valley Courier differ"));
        assert!(svg.contains("more in Valley Courier"));
        let dir = tempfile::tempdir().unwrap();
        let files = render_compare_charts(&cmp, &opts, dir.path()).unwrap();
        assert_eq!(files.len(), 6);
        assert!(dir.path().join("compare_timeline.png").exists());
    }

    #[test]
    fn charts_without_dates_or_with_many_collections() {
        let mut cmp = comparison();
        cmp.timeline.bins.clear();
        cmp.timeline
            .counts
            .iter_mut()
            .for_each(|c| c.iter_mut().for_each(Vec::clear));
        let svg = render_svg(CompareChart::Timeline, &cmp, &ChartOptions::default()).unwrap();
        assert!(svg.contains("No dated articles"));
        // A third collection switches the diff chart to panels.
        let mut three = comparison();
        three.collections.push(three.collections[1].clone());
        three.collections[2].name = "Third".into();
        for t in &mut three.topics {
            let mut cell = t.cells[1].clone();
            cell.collection = "Third".into();
            t.cells.push(cell);
        }
        let svg = render_svg(CompareChart::Diff, &three, &ChartOptions::default()).unwrap();
        assert!(svg.contains("Where the collections differ") && svg.contains("Third"));
    }

    /// Every tag closed in order, no bare `&` (as the report's own tests check).
    #[test]
    fn comparison_json_from_disk_panics_when_inconsistent() {
        // A comparison.json with a topic short of cells (or one collection) reached `expect`s
        // and indexing in the charts and the report section.
        let opts = ChartOptions::default();
        let mut short = comparison();
        short.topics[1].cells.truncate(1);
        for kind in CompareChart::ALL {
            assert!(render_svg(kind, &short, &opts).is_err());
            assert!(render_png(kind, &short, &opts).is_err());
        }
        let mut empty = comparison();
        for t in &mut empty.topics {
            t.cells.clear();
        }
        assert!(render_svg(CompareChart::Diff, &empty, &opts).is_err());
        let mut one = comparison();
        one.collections.truncate(1);
        assert!(render_svg(CompareChart::Diff, &one, &opts).is_err());
    }

    #[test]
    fn timeline_topics_are_the_largest_in_id_order() {
        let cmp = comparison();
        assert_eq!(timeline_topics(&cmp, 2).len(), 2);
        let all = timeline_topics(&cmp, 10);
        assert_eq!(all, vec![0, 1, 2]);
    }
}
