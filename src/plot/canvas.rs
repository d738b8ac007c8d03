//! A thin drawing layer over plotters: the embedded font, text placed by its baseline with the
//! same size and position in SVG and PNG, shapes in chart ("design") pixels, rendering to SVG
//! text or PNG bytes, and atomic file writes.
//!
//! Charts are laid out in design pixels (the requested width × height). PNGs are drawn at twice
//! that size and averaged down 2×2, which anti-aliases lines, area edges and text; SVGs are drawn
//! at 1×. plotters places text differently per backend (its ab_glyph rasteriser puts the
//! baseline at `y + size/2` with glyphs scaled to ascender − descender, its SVG writer uses
//! `dy="0.76em"` and `font-size = size / 1.24`), so [`Canvas::text`] converts a CSS-like font
//! size and a baseline into what each backend needs.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, RGBColor};

use crate::{Error, Result};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// DejaVu Sans: units per em, and ascender − descender (hhea) in font units.
const UNITS_PER_EM: f64 = 2048.0;
const ASC_MINUS_DESC: f64 = 1901.0 + 483.0;

/// Font families written into SVG files: DejaVu first (the metrics the layout was made with),
/// then Verdana (nearly the same widths), then the viewer's sans-serif.
pub const SVG_FONT_STACK: &str = "DejaVu Sans,Verdana,sans-serif";

/// Registers the embedded DejaVu Sans (regular and bold) as plotters' `sans-serif` family,
/// once per process.
pub fn register_fonts() -> Result<()> {
    static DONE: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, REGULAR)
            .map_err(|_| "embedded DejaVuSans.ttf is not a valid font".to_string())?;
        plotters::style::register_font("sans-serif", FontStyle::Bold, BOLD)
            .map_err(|_| "embedded DejaVuSans-Bold.ttf is not a valid font".to_string())
    })
    .clone()
    .map_err(Error::Chart)
}

/// Which backend a canvas draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// SVG, 1 device pixel per design pixel.
    Svg,
    /// RGB bitmap at [`PNG_SUPERSAMPLE`] device pixels per design pixel.
    Bitmap,
}

/// Device pixels per design pixel for PNG output.
pub const PNG_SUPERSAMPLE: u32 = 2;

/// Horizontal text alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text starts at x.
    Left,
    /// Text is centred on x.
    Center,
    /// Text ends at x.
    Right,
}

/// Font weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// Regular.
    Normal,
    /// Bold.
    Bold,
}

fn chart_err(e: impl std::fmt::Display) -> Error {
    Error::Chart(e.to_string())
}

/// A drawing surface in design pixels.
pub struct Canvas<DB: DrawingBackend> {
    area: DrawingArea<DB, Shift>,
    target: Target,
    /// Device pixels per design pixel.
    px: f64,
    /// Typographic scale: font sizes, margins and strokes are multiplied by it.
    pub k: f64,
    width: f64,
    height: f64,
}

impl<DB: DrawingBackend> Canvas<DB> {
    /// Design width.
    pub fn w(&self) -> f64 {
        self.width
    }

    /// Design height.
    pub fn h(&self) -> f64 {
        self.height
    }

    /// `v` design pixels scaled by the typographic scale.
    pub fn u(&self, v: f64) -> f64 {
        v * self.k
    }

    fn dev(&self, v: f64) -> i32 {
        (v * self.px).round() as i32
    }

    fn dev_pt(&self, (x, y): (f64, f64)) -> (i32, i32) {
        (self.dev(x), self.dev(y))
    }

    fn stroke(&self, width: f64) -> u32 {
        ((width * self.px).round() as u32).max(1)
    }

    fn font(&self, size: f64, weight: Weight) -> FontDesc<'static> {
        let style = match weight {
            Weight::Normal => FontStyle::Normal,
            Weight::Bold => FontStyle::Bold,
        };
        let device = size * self.px;
        let plotters_size = match self.target {
            Target::Svg => device * 1.24,
            Target::Bitmap => device * ASC_MINUS_DESC / UNITS_PER_EM,
        };
        FontDesc::new(FontFamily::SansSerif, plotters_size, style)
    }

    /// Width in design pixels of `text` at CSS font size `size` (already scaled).
    pub fn text_width(&self, text: &str, size: f64, weight: Weight) -> f64 {
        let font = self.font(size, weight);
        match font.box_size(text) {
            Ok((w, _)) => w as f64 / self.px,
            Err(_) => text.chars().count() as f64 * size * 0.6,
        }
    }

    /// `text` shortened with an ellipsis so it is at most `max` design pixels wide.
    pub fn fit(&self, text: &str, max: f64, size: f64, weight: Weight) -> String {
        if self.text_width(text, size, weight) <= max {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let (mut lo, mut hi) = (0usize, chars.len());
        // Longest prefix that fits with the ellipsis (binary search on the char count).
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let cand: String = chars[..mid]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string()
                + "…";
            if self.text_width(&cand, size, weight) <= max {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let head: String = chars[..lo].iter().collect();
        format!("{}…", head.trim_end().trim_end_matches([',', ';', ':']))
    }

    /// `text` broken at spaces into at most `max_lines` lines no wider than `max`; the last
    /// line is shortened with an ellipsis if the text does not fit.
    pub fn wrap(
        &self,
        text: &str,
        max: f64,
        size: f64,
        weight: Weight,
        max_lines: usize,
    ) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut current = String::new();
        let words: Vec<&str> = text.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if current.is_empty() || self.text_width(&candidate, size, weight) <= max {
                current = candidate;
                continue;
            }
            if lines.len() + 1 == max_lines.max(1) {
                let rest = words[i..].join(" ");
                lines.push(self.fit(&format!("{current} {rest}"), max, size, weight));
                return lines;
            }
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
        if !current.is_empty() {
            lines.push(self.fit(&current, max, size, weight));
        }
        lines
    }

    /// Draws a label in ink, normal weight, at CSS font size `size`, aligned on `x` and centred
    /// on the row centre `cy` (its baseline a little below `cy`).
    pub fn label(&self, text: &str, x: f64, cy: f64, size: f64, align: Align) -> Result<()> {
        self.text(
            text,
            x,
            cy + size * 0.36,
            size,
            Weight::Normal,
            super::palette::INK,
            align,
        )
    }

    /// Draws `text` with its baseline at `y`, aligned on `x`, at CSS font size `size`.
    #[allow(clippy::too_many_arguments)] // a text call reads best with every attribute in view
    pub fn text(
        &self,
        text: &str,
        x: f64,
        y: f64,
        size: f64,
        weight: Weight,
        color: RGBColor,
        align: Align,
    ) -> Result<()> {
        // Control characters make SVG invalid XML (and draw as boxes in PNG).
        let text = crate::output::strip_controls(text, false);
        if text.is_empty() {
            return Ok(());
        }
        let h = match align {
            Align::Left => HPos::Left,
            Align::Center => HPos::Center,
            Align::Right => HPos::Right,
        };
        let font = self.font(size, weight);
        let top = match self.target {
            Target::Svg => y - 0.76 * size,
            // ab_glyph in plotters draws the baseline at pos.y + plotters_size / 2.
            Target::Bitmap => y - font.get_size() / self.px / 2.0,
        };
        let style = TextStyle::from(font)
            .color(&color)
            .pos(Pos::new(h, VPos::Top));
        self.area
            .draw_text(&text, &style, self.dev_pt((x, top)))
            .map_err(chart_err)
    }

    /// A polyline.
    pub fn line(&self, pts: &[(f64, f64)], color: RGBColor, width: f64) -> Result<()> {
        if pts.len() < 2 {
            return Ok(());
        }
        let dev: Vec<_> = pts.iter().map(|&p| self.dev_pt(p)).collect();
        let style = ShapeStyle::from(&color).stroke_width(self.stroke(width));
        self.area
            .draw(&PathElement::new(dev, style))
            .map_err(chart_err)
    }

    /// A filled polygon.
    pub fn polygon(&self, pts: &[(f64, f64)], color: RGBColor) -> Result<()> {
        if pts.len() < 3 {
            return Ok(());
        }
        let dev: Vec<_> = pts.iter().map(|&p| self.dev_pt(p)).collect();
        self.area
            .draw(&Polygon::new(dev, color.filled()))
            .map_err(chart_err)
    }

    /// A filled rectangle between two corners.
    pub fn rect(&self, a: (f64, f64), b: (f64, f64), color: RGBColor) -> Result<()> {
        let (a, b) = (self.dev_pt(a), self.dev_pt(b));
        if a.0 == b.0 || a.1 == b.1 {
            return Ok(());
        }
        self.area
            .draw(&Rectangle::new([a, b], color.filled()))
            .map_err(chart_err)
    }

    /// A rectangle outline.
    pub fn rect_outline(
        &self,
        a: (f64, f64),
        b: (f64, f64),
        color: RGBColor,
        width: f64,
    ) -> Result<()> {
        let style = ShapeStyle::from(&color).stroke_width(self.stroke(width));
        self.area
            .draw(&Rectangle::new([self.dev_pt(a), self.dev_pt(b)], style))
            .map_err(chart_err)
    }

    /// A filled circle of radius `r` design pixels.
    pub fn dot(&self, c: (f64, f64), r: f64, color: RGBColor) -> Result<()> {
        let r = ((r * self.px).round() as i32).max(1);
        self.area
            .draw(&Circle::new(self.dev_pt(c), r, color.filled()))
            .map_err(chart_err)
    }
}

/// Typographic scale for a chart size: 1 at 1200×675, growing and shrinking with the square root
/// of the area, kept in `[0.85, 2.5]` so small charts stay legible.
pub fn type_scale(width: u32, height: u32) -> f64 {
    ((width as f64 * height as f64) / (1200.0 * 675.0))
        .sqrt()
        .clamp(0.85, 2.5)
}

/// Draws with `draw` on an SVG canvas of `width` × `height` and returns the document.
pub fn render_svg<F>(width: u32, height: u32, draw: F) -> Result<String>
where
    F: FnOnce(&Canvas<SVGBackend<'_>>) -> Result<()>,
{
    register_fonts()?;
    let mut buf = String::new();
    {
        let backend = SVGBackend::with_string(&mut buf, (width, height));
        let area = backend.into_drawing_area();
        area.fill(&crate::plot::palette::PAPER).map_err(chart_err)?;
        let canvas = Canvas {
            area,
            target: Target::Svg,
            px: 1.0,
            k: type_scale(width, height),
            width: width as f64,
            height: height as f64,
        };
        draw(&canvas)?;
        canvas.area.present().map_err(chart_err)?;
    }
    Ok(buf.replace(
        "font-family=\"sans-serif\"",
        &format!("font-family=\"{SVG_FONT_STACK}\""),
    ))
}

/// Draws with `draw` on a bitmap of `width` × `height` (supersampled) and returns PNG bytes.
pub fn render_png<F>(width: u32, height: u32, draw: F) -> Result<Vec<u8>>
where
    F: FnOnce(&Canvas<BitMapBackend<'_>>) -> Result<()>,
{
    register_fonts()?;
    let ss = PNG_SUPERSAMPLE;
    let (dw, dh) = (width * ss, height * ss);
    let mut big = vec![0u8; dw as usize * dh as usize * 3];
    {
        let backend = BitMapBackend::with_buffer(&mut big, (dw, dh));
        let area = backend.into_drawing_area();
        area.fill(&crate::plot::palette::PAPER).map_err(chart_err)?;
        let canvas = Canvas {
            area,
            target: Target::Bitmap,
            px: ss as f64,
            k: type_scale(width, height),
            width: width as f64,
            height: height as f64,
        };
        draw(&canvas)?;
        canvas.area.present().map_err(chart_err)?;
    }
    let small = downsample(&big, dw as usize, dh as usize, ss as usize);
    encode_png(&small, width, height)
}

/// Box-filters an RGB image by `f` in both directions (output rows in parallel).
fn downsample(src: &[u8], w: usize, h: usize, f: usize) -> Vec<u8> {
    use rayon::prelude::*;
    let (ow, oh) = (w / f, h / f);
    let mut out = vec![0u8; ow * oh * 3];
    let n = (f * f) as u32;
    out.par_chunks_mut((ow * 3).max(1))
        .enumerate()
        .for_each(|(oy, line)| {
            for ox in 0..ow {
                let mut acc = [0u32; 3];
                for dy in 0..f {
                    let row = (oy * f + dy) * w;
                    for dx in 0..f {
                        let i = (row + ox * f + dx) * 3;
                        acc[0] += src[i] as u32;
                        acc[1] += src[i + 1] as u32;
                        acc[2] += src[i + 2] as u32;
                    }
                }
                for c in 0..3 {
                    line[ox * 3 + c] = ((acc[c] + n / 2) / n) as u8;
                }
            }
        });
    out
}

/// Encodes 8-bit RGB pixels as a PNG with the `png` crate: no ancillary chunks, so the bytes
/// depend on the pixels only; filter "Sub" on every row (cheap, and flat chart backgrounds
/// become runs of zeros) and the fast deflate (`fdeflate`), since the charts are small.
pub fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(rgb.len() / 8 + 64);
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc.set_filter(png::FilterType::Sub);
    enc.set_adaptive_filter(png::AdaptiveFilterType::NonAdaptive);
    let mut writer = enc.write_header().map_err(chart_err)?;
    writer.write_image_data(rgb).map_err(chart_err)?;
    writer.finish().map_err(chart_err)?;
    Ok(out)
}

/// Writes `bytes` to `path` atomically ([`crate::output::write_atomic`]); returns the path.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    crate::output::write_atomic(path, |w| w.write_all(bytes))?;
    Ok(path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_round_trips_the_pixels() {
        // A chart-like image (flat background, lines, a gradient): decoded, the PNG gives back
        // exactly the pixels it was given, whatever the encoder's byte choices.
        let (w, h) = (37u32, 23u32);
        let rgb: Vec<u8> = (0..w * h * 3)
            .map(|i| {
                let (p, c) = (i / 3, i % 3);
                let (x, y) = (p % w, p / w);
                if y == 5 || x == 30 {
                    (40 * c) as u8
                } else if y > 15 {
                    ((x * 7 + y * 3 + c * 50) % 256) as u8
                } else {
                    250
                }
            })
            .collect();
        let png = encode_png(&rgb, w, h).unwrap();
        let img = image::load_from_memory_with_format(&png, image::ImageFormat::Png)
            .unwrap()
            .to_rgb8();
        assert_eq!(img.dimensions(), (w, h));
        assert_eq!(img.into_raw(), rgb);
    }

    #[test]
    fn downsample_averages_blocks() {
        let src = [0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255];
        assert_eq!(downsample(&src, 2, 2, 2), vec![191, 191, 191]);
    }

    #[test]
    fn type_scale_is_one_at_default_size_and_clamped() {
        assert!((type_scale(1200, 675) - 1.0).abs() < 1e-12);
        assert_eq!(type_scale(480, 300), 0.85);
    }

    #[test]
    fn text_is_fitted_with_an_ellipsis() {
        let svg = render_svg(600, 300, |c| {
            let long = "Ukraine, sanctions, Crimea, Russia, Putin, Kiev";
            let fitted = c.fit(long, 120.0, 14.0, Weight::Normal);
            assert!(
                fitted.ends_with('…') && fitted.len() < long.len(),
                "{fitted}"
            );
            assert!(c.text_width(&fitted, 14.0, Weight::Normal) <= 120.0);
            assert_eq!(c.fit("Gaza", 120.0, 14.0, Weight::Normal), "Gaza");
            Ok(())
        })
        .unwrap();
        assert!(svg.starts_with("<svg"));
    }
}
