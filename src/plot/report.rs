//! The self-contained HTML report, `OUT/report.html`: one file with inline CSS and inline SVG
//! charts, no scripts and nothing fetched from anywhere, so it opens offline in any browser and
//! prints cleanly.
//!
//! A report is a list of [`ReportSection`]s, each with an anchor id, a title (used for the
//! heading and the contents bar) and a body. [`Report::from_out_dir`] assembles the standard
//! ones from an `analyze` output folder:
//!
//! 1. [`OverviewSection`]: what was analysed (inputs, counts read / skipped / undated /
//!    duplicates, parameters) from `run.json`;
//! 2. [`EventsSection`], "What happened", when `events.json` exists: the ranked events;
//! 3. [`TopicsSection`]: the topic table (colour, label, size, share, sparkline, top terms,
//!    example headlines);
//! 4. [`ChartsSection`]: the four charts as inline SVG;
//! 5. the [`super::compare::ComparisonSection`] of `comparison.json`, when it exists;
//! 6. [`RunDetailsSection`]: stage times, version and every other field of `run.json`.
//!
//! More sections are added with [`Report::push`] or [`Report::insert_before`]. Every string
//! that comes from data goes through [`escape`].

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::canvas::write_atomic;
use super::data::{ChartData, EventInfo};
use super::layout::long_date;
use super::options::ChartOptions;
use super::palette::{hex, topic_color};
use super::series::chart_series;
use super::ticks::thousands;
use super::{render_svg, ChartKind};
use crate::{Error, Result};

/// Escapes text for HTML element content and quoted attribute values; control characters
/// (which HTML does not allow) are removed ([`crate::output::strip_controls`]).
pub fn escape(s: &str) -> String {
    let s = crate::output::strip_controls(s, true);
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One part of the report.
pub trait ReportSection {
    /// Anchor id (letters, digits, `-`), unique in the report.
    fn id(&self) -> String;
    /// Heading, also shown in the contents bar.
    fn title(&self) -> String;
    /// Appends the section body (HTML, everything from data escaped) to `html`.
    fn render(&self, html: &mut String) -> Result<()>;
}

/// A report: a title, a line under it, and sections in order.
pub struct Report {
    /// Page title and main heading.
    pub title: String,
    /// The line under the heading (plain text).
    pub subtitle: String,
    /// The footer line (plain text).
    pub footer: String,
    sections: Vec<Box<dyn ReportSection>>,
}

impl Report {
    /// An empty report.
    pub fn new(title: impl Into<String>) -> Self {
        Report {
            title: title.into(),
            subtitle: String::new(),
            footer: String::new(),
            sections: Vec::new(),
        }
    }

    /// Appends a section.
    pub fn push(&mut self, section: impl ReportSection + 'static) -> &mut Self {
        self.sections.push(Box::new(section));
        self
    }

    /// Inserts a section before the one with anchor `id` (at the end if there is none).
    pub fn insert_before(&mut self, id: &str, section: impl ReportSection + 'static) -> &mut Self {
        let at = self
            .sections
            .iter()
            .position(|s| s.id() == id)
            .unwrap_or(self.sections.len());
        self.sections.insert(at, Box::new(section));
        self
    }

    /// Anchor ids of the sections, in order.
    pub fn section_ids(&self) -> Vec<String> {
        self.sections.iter().map(|s| s.id()).collect()
    }

    /// The standard report of an `analyze` output folder: reads `run.json`, `events.json` and
    /// `comparison.json` when present; topics, timeline and charts come from `data`.
    pub fn from_out_dir(out_dir: &Path, data: &ChartData, opts: &ChartOptions) -> Result<Report> {
        let run = read_optional_json(&out_dir.join("run.json"))?;
        let events_exist = out_dir.join("events.json").exists();
        let comparison = read_optional_json(&out_dir.join("comparison.json"))?;

        let mut report = Report::new("Topic report");
        let version = run
            .as_ref()
            .and_then(|r| r.get("version"))
            .and_then(Value::as_str)
            .unwrap_or(env!("CARGO_PKG_VERSION"))
            .to_string();
        report.subtitle = subtitle(data);
        report.footer = format!(
            "Made with topictrack {version}. This page is self-contained: it needs no network and no other file."
        );
        report.push(OverviewSection {
            run: run.clone(),
            data: summary_of(data),
        });
        if events_exist {
            // Data built in memory may lack the events: take them from the file then.
            if data.events().is_empty() {
                let path = out_dir.join("events.json");
                let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
                let events: Vec<EventInfo> =
                    serde_json::from_str(&text).map_err(|e| Error::BadFile {
                        path: path.clone(),
                        reason: e.to_string(),
                    })?;
                report.push(EventsSection::new(&data.clone().with_events(events)));
            } else {
                report.push(EventsSection::new(data));
            }
        }
        report.push(TopicsSection::new(data));
        report.push(ChartsSection::new(data, opts)?);
        if let Some(value) = comparison {
            report.push(super::compare::ComparisonSection::from_value(value, opts)?);
        }
        if let Some(run) = run {
            report.push(RunDetailsSection { run });
        }
        Ok(report)
    }

    /// The whole page.
    pub fn to_html(&self) -> Result<String> {
        let mut h = String::with_capacity(256 * 1024);
        h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        let _ = writeln!(h, "<title>{}</title>", escape(&self.title));
        let _ = writeln!(h, "<style>{CSS}</style>\n</head>\n<body>");
        h.push_str("<header class=\"masthead\"><div class=\"wrap\">\n");
        let _ = writeln!(h, "<h1>{}</h1>", escape(&self.title));
        if !self.subtitle.is_empty() {
            let _ = writeln!(h, "<p class=\"dek\">{}</p>", escape(&self.subtitle));
        }
        h.push_str("</div></header>\n<nav class=\"toc\"><div class=\"wrap\">");
        for s in &self.sections {
            let _ = write!(
                h,
                "<a href=\"#{}\">{}</a>",
                escape(&s.id()),
                escape(&s.title())
            );
        }
        h.push_str("</div></nav>\n<main class=\"wrap\">\n");
        for s in &self.sections {
            let _ = writeln!(
                h,
                "<section id=\"{}\">\n<h2>{}</h2>",
                escape(&s.id()),
                escape(&s.title())
            );
            s.render(&mut h)?;
            h.push_str("</section>\n");
        }
        h.push_str("</main>\n");
        let _ = writeln!(
            h,
            "<footer class=\"wrap\">{}</footer>",
            escape(&self.footer)
        );
        h.push_str("</body>\n</html>\n");
        Ok(h)
    }

    /// Writes the page to `path` atomically.
    pub fn write(&self, path: &Path) -> Result<PathBuf> {
        write_atomic(path, self.to_html()?.as_bytes())
    }
}

/// Writes `out_dir/report.html` (the standard [`Report::from_out_dir`]) and returns its path.
pub fn write_report(out_dir: &Path, data: &ChartData, opts: &ChartOptions) -> Result<PathBuf> {
    Report::from_out_dir(out_dir, data, opts)?.write(&out_dir.join("report.html"))
}

fn read_optional_json(path: &Path) -> Result<Option<Value>> {
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| Error::BadFile {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
}

fn subtitle(data: &ChartData) -> String {
    let mut s = format!("{} topics", data.topics().len());
    if let (Some(a), Some(b)) = (data.bins().first(), data.bins().last()) {
        let _ = write!(
            s,
            " in {} dated articles, {} bins from {} to {}",
            thousands(data.total()),
            data.unit().adjective(),
            long_date(*a),
            long_date(*b)
        );
    } else {
        s.push_str("; no dated articles");
    }
    s
}

/// Facts about the charted data shown in the overview when `run.json` lacks them.
#[derive(Debug, Clone)]
struct DataSummary {
    topics: usize,
    dated: u64,
    bins: usize,
    unit: &'static str,
    first: Option<String>,
    last: Option<String>,
}

fn summary_of(data: &ChartData) -> DataSummary {
    DataSummary {
        topics: data.topics().len(),
        dated: data.total(),
        bins: data.bins().len(),
        unit: data.unit().as_str(),
        first: data.bins().first().map(|d| long_date(*d)),
        last: data.bins().last().map(|d| long_date(*d)),
    }
}

/// The swatch of a topic's colour.
fn swatch(id: usize) -> String {
    format!(
        "<span class=\"sw\" style=\"background:{}\"></span>",
        hex(topic_color(id))
    )
}

/// A JSON scalar as display text (strings unquoted).
fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() != 0.0 => {
                let s = format!("{f:.4}");
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            }
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// Renders any JSON value as HTML: objects as key/value tables, arrays of objects as tables,
/// arrays of scalars as lists, scalars as escaped text.
pub fn json_to_html(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("<span class=\"muted\">none</span>");
                return;
            }
            out.push_str("<table class=\"kv\"><tbody>");
            for (k, val) in map {
                let _ = write!(out, "<tr><th>{}</th><td>", escape(k));
                json_to_html(val, out);
                out.push_str("</td></tr>");
            }
            out.push_str("</tbody></table>");
        }
        Value::Array(items) if items.is_empty() => {
            out.push_str("<span class=\"muted\">none</span>")
        }
        Value::Array(items) if items.iter().all(Value::is_object) => {
            let mut cols: Vec<&String> = Vec::new();
            for it in items {
                for k in it.as_object().expect("checked").keys() {
                    if !cols.contains(&k) {
                        cols.push(k);
                    }
                }
            }
            out.push_str("<div class=\"scroll\"><table class=\"grid\"><thead><tr>");
            for c in &cols {
                let _ = write!(out, "<th>{}</th>", escape(c));
            }
            out.push_str("</tr></thead><tbody>");
            for it in items {
                out.push_str("<tr>");
                for c in &cols {
                    out.push_str("<td>");
                    if let Some(val) = it.get(c.as_str()) {
                        json_to_html(val, out);
                    }
                    out.push_str("</td>");
                }
                out.push_str("</tr>");
            }
            out.push_str("</tbody></table></div>");
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            let parts: Vec<String> = items.iter().map(|i| escape(&scalar_text(i))).collect();
            out.push_str(&parts.join(", "));
        }
        Value::Array(items) => {
            out.push_str("<ol class=\"plain\">");
            for it in items {
                out.push_str("<li>");
                json_to_html(it, out);
                out.push_str("</li>");
            }
            out.push_str("</ol>");
        }
        scalar => out.push_str(&escape(&scalar_text(scalar))),
    }
}

/// One entry of `run.json`'s `inputs`: a path, or an object shown as its path (`path`, `file` or
/// `name`) in code style followed by its other fields.
fn input_html(v: &Value, h: &mut String) {
    match v {
        Value::String(s) => {
            let _ = write!(h, "<code>{}</code>", escape(s));
        }
        Value::Object(map) => {
            let name_key = ["path", "file", "name"]
                .into_iter()
                .find(|k| map.get(*k).is_some_and(Value::is_string));
            if let Some(k) = name_key {
                let _ = write!(h, "<code>{}</code>", escape(&scalar_text(&map[k])));
            }
            let rest: Vec<String> = map
                .iter()
                // The fingerprint (absolute path, size, time, hash) is for `events` and
                // `chart` to recognise the input, not for the reader.
                .filter(|(k, _)| Some(k.as_str()) != name_key && k.as_str() != "fingerprint")
                .map(|(k, v)| {
                    let val = match v {
                        Value::Object(_) | Value::Array(_) => v.to_string(),
                        other => scalar_text(other),
                    };
                    format!("{}: {}", escape(k), escape(&val))
                })
                .collect();
            if !rest.is_empty() {
                let _ = write!(h, " <span class=\"muted\">{}</span>", rest.join(" · "));
            }
        }
        other => json_to_html(other, h),
    }
}

/// Fields of `run.json` that have a place of their own in the report.
const RUN_KNOWN: [&str; 8] = [
    "outputs",
    "timeline",
    "inputs",
    "counts",
    "params",
    "k",
    "version",
    "stage_seconds",
];

/// What was analysed: inputs, counts and parameters.
pub struct OverviewSection {
    /// `run.json`, if found.
    pub run: Option<Value>,
    data: DataSummary,
}

impl ReportSection for OverviewSection {
    fn id(&self) -> String {
        "overview".into()
    }
    fn title(&self) -> String {
        "What was analysed".into()
    }
    fn render(&self, h: &mut String) -> Result<()> {
        let d = &self.data;
        let empty = Value::Null;
        let run = self.run.as_ref().unwrap_or(&empty);
        let counts = run.get("counts");
        let count = |k: &str| counts.and_then(|c| c.get(k)).and_then(Value::as_u64);

        // Headline numbers.
        h.push_str("<div class=\"stats\">");
        let mut stat = |label: &str, value: String, note: &str| {
            let _ = write!(
                h,
                "<div class=\"stat\"><div class=\"num\">{}</div><div class=\"lbl\">{}</div>{}</div>",
                escape(&value),
                escape(label),
                if note.is_empty() { String::new() } else { format!("<div class=\"note\">{}</div>", escape(note)) }
            );
        };
        if let Some(n) = count("read") {
            stat("records read", thousands(n), "");
        }
        if let Some(n) = count("skipped") {
            stat("skipped", thousands(n), "unreadable or empty");
        }
        if let Some(n) = count("duplicates") {
            stat("duplicates", thousands(n), "removed");
        }
        if let Some(n) = count("undated") {
            stat("undated", thousands(n), "in topics, not in timelines");
        }
        let articles = count("articles");
        stat(
            "articles analysed",
            thousands(articles.unwrap_or(d.dated)),
            "",
        );
        stat("dated articles", thousands(d.dated), "in the charts");
        let k = run
            .get("k")
            .and_then(Value::as_u64)
            .unwrap_or(d.topics as u64);
        stat("topics", thousands(k), "");
        h.push_str("</div>\n");

        let when = match (&d.first, &d.last) {
            (Some(a), Some(b)) => format!("{} {} bins from {a} to {b}", d.bins, d.unit),
            _ => "no dated articles, so no timeline".into(),
        };
        let _ = writeln!(h, "<p><strong>Timeline:</strong> {}.</p>", escape(&when));

        match self.run.as_ref().and_then(|r| r.get("inputs")) {
            Some(Value::Array(inputs)) if !inputs.is_empty() => {
                h.push_str("<h3>Inputs</h3><ul class=\"inputs\">");
                for i in inputs {
                    h.push_str("<li>");
                    input_html(i, h);
                    h.push_str("</li>");
                }
                h.push_str("</ul>\n");
            }
            Some(other) if !other.is_null() => {
                h.push_str("<h3>Inputs</h3>");
                json_to_html(other, h);
            }
            _ => {}
        }
        if let Some(p) = self.run.as_ref().and_then(|r| r.get("params")) {
            h.push_str("<h3>Parameters</h3>");
            json_to_html(p, h);
            h.push('\n');
        }
        if self.run.is_none() {
            h.push_str("<p class=\"muted\">run.json was not found; inputs and parameters are unknown.</p>\n");
        }
        Ok(())
    }
}

/// The topic table.
pub struct TopicsSection {
    rows: Vec<TopicRow>,
    total_size: usize,
}

struct TopicRow {
    id: usize,
    label: String,
    size: usize,
    share: f64,
    terms: Vec<String>,
    examples: Vec<(String, Option<String>)>,
    spark: Vec<u32>,
}

impl TopicsSection {
    /// The table of every topic of `data`.
    pub fn new(data: &ChartData) -> Self {
        let rows: Vec<TopicRow> = data
            .topics()
            .iter()
            .zip(data.counts())
            .map(|(t, counts)| TopicRow {
                id: t.id,
                label: t.label.clone(),
                size: t.size,
                share: t.share,
                terms: t.terms.iter().map(|w| w.term.clone()).collect(),
                examples: t
                    .examples
                    .iter()
                    .map(|e| (e.title.clone(), e.date.clone()))
                    .collect(),
                spark: counts.clone(),
            })
            .collect();
        let total_size = rows.iter().map(|r| r.size).sum();
        TopicsSection { rows, total_size }
    }
}

/// A tiny inline line chart of counts (no axes), in the topic's colour.
fn sparkline(counts: &[u32], color: &str) -> String {
    let (w, h) = (120.0, 28.0);
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    if counts.len() < 2 {
        return String::new();
    }
    let step = w / (counts.len() - 1) as f64;
    let pts: Vec<String> = counts
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                h - 1.5 - (c as f64 / max) * (h - 3.0)
            )
        })
        .collect();
    format!(
        "<svg class=\"spark\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" aria-hidden=\"true\">\
         <polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\" points=\"{}\"/></svg>",
        pts.join(" ")
    )
}

impl ReportSection for TopicsSection {
    fn id(&self) -> String {
        "topics".into()
    }
    fn title(&self) -> String {
        "Topics".into()
    }
    fn render(&self, h: &mut String) -> Result<()> {
        if self.rows.is_empty() {
            h.push_str("<p class=\"muted\">No topics.</p>");
            return Ok(());
        }
        h.push_str(
            "<p class=\"intro\">Topics are numbered from the largest. The colour is the topic's colour in every chart; \
             the small line shows its dated articles over time.</p>\n",
        );
        h.push_str(
            "<div class=\"scroll\"><table class=\"topics\"><thead><tr><th class=\"n\">#</th><th>Topic</th>\
             <th class=\"n\">Articles</th><th class=\"n\">Share</th><th>Over time</th><th>Top terms</th>\
             <th>Example headlines</th></tr></thead><tbody>\n",
        );
        for r in &self.rows {
            let share = if r.share > 0.0 {
                r.share
            } else if self.total_size > 0 {
                r.size as f64 / self.total_size as f64
            } else {
                0.0
            };
            let color = hex(topic_color(r.id));
            let _ = write!(
                h,
                "<tr><td class=\"n\">{}</td><td class=\"label\">{}{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{:.1}%</td><td>{}</td><td class=\"terms\">{}</td><td class=\"ex\">",
                r.id,
                swatch(r.id),
                escape(&r.label),
                thousands(r.size as u64),
                share * 100.0,
                sparkline(&r.spark, &color),
                escape(&r.terms.join(", ")),
            );
            if !r.examples.is_empty() {
                h.push_str("<ul>");
                for (title, date) in r.examples.iter().take(3) {
                    let _ = write!(h, "<li>{}", escape(title));
                    if let Some(d) = date {
                        let _ = write!(h, " <span class=\"date\">{}</span>", escape(d));
                    }
                    h.push_str("</li>");
                }
                h.push_str("</ul>");
            }
            h.push_str("</td></tr>\n");
        }
        h.push_str("</tbody></table></div>\n");
        Ok(())
    }
}

/// The charts, as inline SVG.
pub struct ChartsSection {
    figures: Vec<(ChartKind, String)>,
}

impl ChartsSection {
    /// Renders the four charts of `data` as SVG at the size and top N of `opts` (whatever its
    /// formats).
    pub fn new(data: &ChartData, opts: &ChartOptions) -> Result<Self> {
        let series = chart_series(data, opts);
        let figures = super::chart_kinds(data)
            .iter()
            .map(|&k| render_svg(k, &series, opts).map(|svg| (k, inline_svg(&svg, k.caption()))))
            .collect::<Result<Vec<_>>>()?;
        Ok(ChartsSection { figures })
    }
}

/// Makes a standalone SVG document fit for inlining: no XML namespace URL, responsive size,
/// an accessible label.
pub fn inline_svg(svg: &str, label: &str) -> String {
    let body_start = svg.find('>').map_or(0, |i| i + 1);
    let head = &svg[..body_start];
    let view_box = head
        .split("viewBox=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("0 0 1200 675");
    format!(
        "<svg viewBox=\"{}\" class=\"chart\" role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMidYMid meet\">{}",
        escape(view_box),
        escape(label),
        &svg[body_start..]
    )
}

impl ReportSection for ChartsSection {
    fn id(&self) -> String {
        "charts".into()
    }
    fn title(&self) -> String {
        "Charts".into()
    }
    fn render(&self, h: &mut String) -> Result<()> {
        for (kind, svg) in &self.figures {
            let _ = writeln!(
                h,
                "<figure id=\"chart-{}\">{}<figcaption>{}</figcaption></figure>",
                kind.stem(),
                svg,
                escape(kind.caption())
            );
        }
        Ok(())
    }
}

/// "What happened": the ranked events of `events.json`, strongest first.
pub struct EventsSection {
    events: Vec<(EventInfo, Option<String>)>,
}

/// Most events listed (the strongest).
pub const MAX_EVENTS: usize = 40;

impl EventsSection {
    /// The events of `data`, by rank (its topics give the labels of their main topics).
    pub fn new(data: &ChartData) -> Self {
        let mut events: Vec<(EventInfo, Option<String>)> = data
            .events()
            .iter()
            .map(|e| {
                let name = e.topic().map(|k| {
                    data.topic_index(k)
                        .map_or_else(|| format!("Topic {k}"), |t| data.topics()[t].label.clone())
                });
                (e.clone(), name)
            })
            .collect();
        events.sort_by_key(|(e, _)| e.rank);
        events.truncate(MAX_EVENTS);
        EventsSection { events }
    }
}

impl ReportSection for EventsSection {
    fn id(&self) -> String {
        "events".into()
    }
    fn title(&self) -> String {
        "What happened".into()
    }
    fn render(&self, h: &mut String) -> Result<()> {
        if self.events.is_empty() {
            h.push_str("<p class=\"muted\">No events were found.</p>\n");
            return Ok(());
        }
        h.push_str(
            "<p class=\"intro\">Days when words appeared in far more articles than in the weeks before, \
             strongest first; the terms that burst together make one event. The score is the surprise \
             (log-likelihood ratio) of its strongest word; the charts mark the first dozen.</p>\n",
        );
        h.push_str(
            "<div class=\"scroll\"><table class=\"events\"><thead><tr><th class=\"n\">#</th><th>Day</th>\
             <th>Event</th><th>Headlines</th><th class=\"n\">Articles</th><th>Topic</th><th class=\"n\">Score</th>\
             </tr></thead><tbody>\n",
        );
        for (e, name) in &self.events {
            let day = if e.start == e.end {
                long_date(e.peak)
            } else {
                format!(
                    "{} ({} – {})",
                    long_date(e.peak),
                    long_date(e.start),
                    long_date(e.end)
                )
            };
            let terms: Vec<&str> = e.terms.iter().take(6).map(|t| t.term.as_str()).collect();
            let _ = write!(
                h,
                "<tr><td class=\"n\">{}</td><td class=\"nowrap\">{}</td><td class=\"terms\">{}</td><td class=\"ex\">",
                e.rank,
                escape(&day),
                escape(&terms.join(", ")),
            );
            if !e.headlines.is_empty() {
                h.push_str("<ul>");
                for hl in e.headlines.iter().take(3) {
                    let _ = write!(h, "<li>{}</li>", escape(hl.title()));
                }
                h.push_str("</ul>");
            }
            let _ = write!(
                h,
                "</td><td class=\"n\">{}</td><td class=\"label\">",
                thousands(e.n_articles as u64)
            );
            if let (Some(k), Some(name)) = (e.topic(), name) {
                let _ = write!(
                    h,
                    "{}<span class=\"tid\">#{}</span> {}",
                    swatch(k),
                    k,
                    escape(name)
                );
            }
            let _ = writeln!(h, "</td><td class=\"n\">{:.0}</td></tr>", e.score);
        }
        h.push_str("</tbody></table></div>\n");
        Ok(())
    }
}

/// Any JSON document, rendered generically (see [`json_to_html`]).
pub struct JsonSection {
    /// Anchor id.
    pub id: String,
    /// Heading.
    pub title: String,
    /// A sentence above the content (plain text).
    pub intro: String,
    /// The document.
    pub value: Value,
}

impl ReportSection for JsonSection {
    fn id(&self) -> String {
        self.id.clone()
    }
    fn title(&self) -> String {
        self.title.clone()
    }
    fn render(&self, h: &mut String) -> Result<()> {
        if !self.intro.is_empty() {
            let _ = writeln!(h, "<p class=\"intro\">{}</p>", escape(&self.intro));
        }
        json_to_html(&self.value, h);
        h.push('\n');
        Ok(())
    }
}

/// Stage times, version, and every field of `run.json` not shown elsewhere.
pub struct RunDetailsSection {
    /// `run.json`.
    pub run: Value,
}

impl ReportSection for RunDetailsSection {
    fn id(&self) -> String {
        "run".into()
    }
    fn title(&self) -> String {
        "Run details".into()
    }
    fn render(&self, h: &mut String) -> Result<()> {
        let mut rows: Vec<(String, Value)> = Vec::new();
        if let Some(v) = self.run.get("version") {
            rows.push(("version".into(), v.clone()));
        }
        if let Some(t) = self.run.get("timeline") {
            rows.push(("timeline".into(), t.clone()));
        }
        // Stage times stay in run.json only: the report must be byte-identical for the same
        // input and seed, whatever the machine's speed.
        if let Value::Object(all) = &self.run {
            for (k, v) in all {
                if !RUN_KNOWN.contains(&k.as_str()) {
                    rows.push((k.clone(), v.clone()));
                }
            }
        }
        h.push_str("<table class=\"kv\"><tbody>");
        for (k, v) in &rows {
            let _ = write!(h, "<tr><th>{}</th><td>", escape(k));
            json_to_html(v, h);
            h.push_str("</td></tr>");
        }
        h.push_str("</tbody></table>");
        h.push('\n');
        Ok(())
    }
}

/// The page style: a narrow, newspaper-like column of text with wide figures; print rules that
/// drop the contents bar, keep colours and avoid splitting figures and table rows.
const CSS: &str = r#"
:root{--ink:#1a1a1a;--muted:#5f5f5f;--rule:#dcdcdc;--paper:#fff;--tint:#f6f5f1}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--paper);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans","Helvetica Neue",Arial,sans-serif}
.wrap{max-width:1180px;margin:0 auto;padding:0 24px}
.masthead{border-bottom:1px solid var(--ink);padding:28px 0 14px}
h1{font:700 34px/1.15 Georgia,"DejaVu Serif","Times New Roman",serif;margin:0 0 6px;letter-spacing:-.01em}
.dek{margin:0;color:var(--muted);font-size:17px}
.toc{position:sticky;top:0;z-index:1;background:rgba(255,255,255,.96);border-bottom:1px solid var(--rule)}
.toc .wrap{display:flex;flex-wrap:wrap;gap:4px 22px;padding-top:9px;padding-bottom:9px}
.toc a{color:var(--ink);text-decoration:none;font-size:13px;font-weight:600;text-transform:uppercase;letter-spacing:.04em}
.toc a:hover{text-decoration:underline}
section{padding:26px 0 18px}
section+section{border-top:1px solid var(--rule)}
h2{font:700 24px/1.2 Georgia,"DejaVu Serif","Times New Roman",serif;margin:0 0 12px}
h3{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:20px 0 8px}
p{margin:0 0 12px;max-width:75ch}
.intro{color:var(--muted)}
.muted{color:var(--muted)}
code{font:13px/1.4 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;background:var(--tint);padding:1px 4px;border-radius:3px;word-break:break-all}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:12px;margin:4px 0 16px}
.stat{background:var(--tint);padding:10px 12px;border-top:3px solid var(--ink)}
.stat .num{font:700 24px/1.2 Georgia,"DejaVu Serif",serif;font-variant-numeric:tabular-nums}
.stat .lbl{font-size:13px;font-weight:600}
.stat .note{font-size:12px;color:var(--muted)}
ul.inputs{margin:0;padding-left:18px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;vertical-align:top;padding:7px 10px 7px 0;border-bottom:1px solid var(--rule)}
thead th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);border-bottom:2px solid var(--ink);white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.label{font-weight:600;min-width:12em}
td.terms{color:#333;min-width:14em}
td.ex ul{margin:0;padding-left:16px}
td.ex li{margin:0 0 3px}
td.ex{min-width:18em}
.nowrap{white-space:nowrap}
.date{color:var(--muted);font-size:12px;white-space:nowrap}
.tid{color:var(--muted);font-weight:400}
.sw{display:inline-block;width:11px;height:11px;margin-right:7px;border-radius:2px;vertical-align:baseline;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.spark{display:block}
table.kv{width:auto;min-width:0}
table.kv th{font-weight:600;padding-right:24px;white-space:nowrap;color:#333}
table.kv table.kv{min-width:0;font-size:13px}
table.kv table.kv th,table.kv table.kv td{border-bottom:0;padding:1px 14px 1px 0}
table.grid td,table.grid th{padding-right:14px}
ol.plain{margin:0;padding-left:18px}
.scroll{overflow-x:auto}
figure{margin:0 0 28px}
svg.chart{display:block;width:100%;height:auto;max-width:1200px;border:1px solid var(--rule);background:#fff}
figcaption{font-size:13px;color:var(--muted);margin-top:6px}
footer{padding:18px 24px 40px;color:var(--muted);font-size:13px}
@media (max-width:700px){.wrap{padding:0 14px}h1{font-size:27px}td.ex,td.terms,td.label{min-width:0}}
@media print{
 @page{margin:14mm 12mm}
 body{font-size:10.5pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .wrap{max-width:none;padding:0}
 .toc{display:none}
 .masthead{padding-top:0}
 section{break-inside:auto;padding-top:14px}
 h2,h3{break-after:avoid}
 figure,tr,.stat{break-inside:avoid}
 #charts figure{break-before:auto}
 .scroll{overflow:visible}
 svg.chart{border:0;max-width:100%}
 a{color:inherit;text-decoration:none}
}
"#;
