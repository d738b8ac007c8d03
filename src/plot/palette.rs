//! Colours shared by every chart and the HTML report.
//!
//! Topics get their colour from their id, never from their position in a chart, so topic 3 has the
//! same colour in the volume chart, the share chart, the term bars, the report's table and after
//! `topictrack chart --topics 3,5` re-renders a subset.
//!
//! The topic colours are sixteen, so at least the first twelve topics never share one: the
//! eight of Okabe & Ito (2008), *Color Universal Design*, which stay distinguishable under the
//! common forms of colour blindness (black replaced by a dark slate so it does not read as an
//! axis or as text, yellow darkened to a mustard that is legible as text and thin lines on
//! white), followed by dark and muted hues of Paul Tol's qualitative schemes (wine, teal, olive,
//! purple, green, brown, steel blue, grey). Ids ≥ 16 reuse the colours in the same order.
//! The heatmap uses a single-hue sequential scale (ColorBrewer "Blues", Brewer 2003): lightness
//! alone carries the value, which every reader can see, and it prints well in grey.

use plotters::style::RGBColor;

/// Topic colours, indexed by `topic id % 16`.
pub const TOPIC_COLORS: [RGBColor; 16] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x3B, 0x3B, 0x4F), // dark slate (Okabe–Ito black, softened)
    RGBColor(0xA6, 0x8A, 0x00), // mustard (Okabe–Ito yellow, darkened for white paper)
    RGBColor(0x88, 0x22, 0x55), // wine (Tol)
    RGBColor(0x44, 0xAA, 0x99), // teal (Tol)
    RGBColor(0x99, 0x99, 0x33), // olive (Tol)
    RGBColor(0xAA, 0x44, 0x99), // purple (Tol)
    RGBColor(0x11, 0x77, 0x33), // green (Tol)
    RGBColor(0x66, 0x11, 0x00), // brown (Tol)
    RGBColor(0x66, 0x99, 0xCC), // steel blue (Tol)
    RGBColor(0x88, 0x88, 0x88), // grey
];

/// "All other topics" in the share chart.
pub const OTHER: RGBColor = RGBColor(0xD4, 0xD4, 0xD4);
/// Titles and strong text.
pub const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
/// Secondary text: subtitles, tick labels.
pub const MUTED: RGBColor = RGBColor(0x5F, 0x5F, 0x5F);
/// Footnotes.
pub const FAINT: RGBColor = RGBColor(0x8A, 0x8A, 0x8A);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
/// The zero line / baseline axis.
pub const AXIS: RGBColor = RGBColor(0x33, 0x33, 0x33);
/// Background.
pub const PAPER: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);

/// ColorBrewer "Blues" (9 classes), light to dark.
const BLUES: [(u8, u8, u8); 9] = [
    (0xF7, 0xFB, 0xFF),
    (0xDE, 0xEB, 0xF7),
    (0xC6, 0xDB, 0xEF),
    (0x9E, 0xCA, 0xE1),
    (0x6B, 0xAE, 0xD6),
    (0x42, 0x92, 0xC6),
    (0x21, 0x71, 0xB5),
    (0x08, 0x51, 0x9C),
    (0x08, 0x30, 0x6B),
];

/// The colour of a topic id.
pub fn topic_color(id: usize) -> RGBColor {
    TOPIC_COLORS[id % TOPIC_COLORS.len()]
}

/// `#rrggbb` of a colour, for CSS and for the chart data snapshot.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The sequential heat colour of `t` in `[0, 1]` (clamped; NaN counts as 0), linearly
/// interpolated between the nine "Blues" classes.
pub fn heat_color(t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = t * (BLUES.len() - 1) as f64;
    let i = (pos.floor() as usize).min(BLUES.len() - 2);
    let f = pos - i as f64;
    let (a, b) = (BLUES[i], BLUES[i + 1]);
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Whether text drawn on `c` should be white rather than dark (relative luminance below 0.4).
pub fn needs_light_text(c: RGBColor) -> bool {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2) < 0.4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_colours_cycle_by_id() {
        assert_eq!(topic_color(0), topic_color(16));
        assert_ne!(topic_color(0), topic_color(1));
        assert_eq!(hex(topic_color(0)), "#0072b2");
    }

    #[test]
    fn first_twelve_topics_have_distinct_colours() {
        // Issue 17: on Reuters #0, #8, #16 and #24 shared one blue.
        let first: std::collections::HashSet<String> =
            (0..12).map(|i| hex(topic_color(i))).collect();
        assert_eq!(first.len(), 12);
        // And none is as faint on white as the Okabe–Ito yellow was (luminance 219 of 255).
        let lum = |c: RGBColor| 0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64;
        for c in TOPIC_COLORS {
            assert!(lum(c) < 170.0, "{}", hex(c));
        }
    }

    #[test]
    fn heat_scale_ends_and_clamps() {
        assert_eq!(heat_color(0.0), RGBColor(0xF7, 0xFB, 0xFF));
        assert_eq!(heat_color(1.0), RGBColor(0x08, 0x30, 0x6B));
        assert_eq!(heat_color(2.0), heat_color(1.0));
        assert_eq!(heat_color(f64::NAN), heat_color(0.0));
        assert!(needs_light_text(heat_color(1.0)));
        assert!(!needs_light_text(heat_color(0.0)));
    }
}
