//! The HTML report, `OUT/report.html`: one self-contained file (inline CSS, inline SVG, one
//! small inline script of our own, the article data as inline JSON) that opens offline in any
//! browser, fetches nothing (a Content-Security-Policy forbids it), and prints cleanly.
//!
//! ```text
//! analyze outputs ─ChartData::load─┐
//! assignments.csv + articles.jsonl ─ReportArticles::load─┐
//! events.json, stories.json, run.json, comparison.json ───┴─> Report::from_out_dir ─> report.html
//! ```
//!
//! The page follows an editorial order, what a reader needs first coming first:
//!
//! 1. one line on what was analysed (the masthead) and any warning (`-k auto` at the edge of its
//!    range: [`k_edge_warning`]);
//! 2. [`sections::EventsSection`] "What happened": the ranked events, each once;
//! 3. [`sections::TopicsSection`]: broad themes (`themes.json`) over the topics, and the topics
//!    with their share sparklines, searchable;
//! 4. [`sections::ChartsSection`]: an interactive timeline (hover values, legend toggles, zoom
//!    on the time axis) and the print-ready charts as inline SVG;
//! 5. [`sections::StoriesSection`]: the largest stories;
//! 6. [`comparison::ComparisonSection`], when `comparison.json` exists;
//! 7. [`sections::RunDetailsSection`]: inputs, counts, parameters, k-selection as a small chart.
//!
//! A click on a topic, an event or a story opens its articles (title, date, snippet, score;
//! paged; the article's link when its id is a web address), drawn from the saved output files
//! so `chart` reproduces `analyze`.
//!
//! Markup is written with [`maud`] templates: every spliced string is HTML-escaped by the
//! template engine, and text from data also passes [`clean`] (control characters removed).

pub mod articles;
pub mod comparison;
mod json;
pub mod sections;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde_json::Value;

use crate::plot::data::ChartData;
use crate::plot::layout::long_date;
use crate::plot::options::ChartOptions;
use crate::plot::ticks::thousands;
use crate::{Error, Result};

pub use articles::{ArticleRecord, ReportArticles};
pub use json::json_to_html;

/// The page style (newspaper-like column, wide figures, print rules).
const CSS: &str = include_str!("report.css");
/// The page behaviour: hover values, legend toggles, zoom, search, article lists.
const SCRIPT: &str = include_str!("report.js");

/// Text from data, fit for a template: control characters (which HTML does not allow) removed
/// ([`crate::output::strip_controls`]); the template escapes the rest.
pub fn clean(s: &str) -> Cow<'_, str> {
    crate::output::strip_controls(s, true)
}

/// Escapes text for HTML element content and quoted attribute values (what the templates do),
/// after [`clean`]. For tests and callers that build HTML outside a template.
pub fn escape(s: &str) -> String {
    html!((clean(s))).into_string().replace('\'', "&#39;")
}

/// One part of the report.
pub trait ReportSection {
    /// Anchor id (letters, digits, `-`), unique in the report.
    fn id(&self) -> String;
    /// Heading, also shown in the contents bar.
    fn title(&self) -> String;
    /// The section body (everything from data escaped).
    fn render(&self) -> Result<Markup>;
}

/// A report: a title, a line under it, warnings, sections in order, and the data the page's
/// script works on.
pub struct Report {
    /// Page title and main heading.
    pub title: String,
    /// The line under the heading: what was analysed (plain text).
    pub subtitle: String,
    /// Warnings shown under the heading (plain text).
    pub warnings: Vec<String>,
    /// The footer line (plain text).
    pub footer: String,
    sections: Vec<Box<dyn ReportSection>>,
    page_data: Option<String>,
}

impl Report {
    /// An empty report.
    pub fn new(title: impl Into<String>) -> Self {
        Report {
            title: title.into(),
            subtitle: String::new(),
            warnings: Vec::new(),
            footer: String::new(),
            sections: Vec::new(),
            page_data: None,
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

    /// The standard report of an `analyze` output folder: reads `run.json`, `events.json`,
    /// `themes.json`, `stories.json`, `comparison.json`, `assignments.csv` and `articles.jsonl` when present;
    /// topics, timeline and charts come from `data`.
    pub fn from_out_dir(out_dir: &Path, data: &ChartData, opts: &ChartOptions) -> Result<Report> {
        let run = read_optional_json(&out_dir.join("run.json"))?;
        let comparison = read_optional_json(&out_dir.join("comparison.json"))?;
        let data = if data.events().is_empty() && out_dir.join("events.json").exists() {
            // Data built in memory may lack the events: take them from the file then.
            let events = crate::output::read_json(&out_dir.join("events.json"))?;
            Cow::Owned(data.clone().with_events(events))
        } else {
            Cow::Borrowed(data)
        };
        let known: std::collections::BTreeSet<usize> = data.topics().iter().map(|t| t.id).collect();
        let data = &opts.labelled(data.as_ref())?;
        // Parsed straight into records: through a `serde_json::Value` tree, the 142 MB
        // `stories.json` of 1M generated articles took 5 s on one core.
        let stories: Vec<crate::events::records::StoryRecord> = {
            let path = out_dir.join("stories.json");
            match std::fs::read(&path) {
                Ok(bytes) => match serde_json::from_slice(&bytes) {
                    Ok(stories) => stories,
                    // Records of another shape (an older run's folder) leave the section empty;
                    // a file that is not JSON, or cut short, is an error.
                    Err(e) if e.is_data() => Vec::new(),
                    Err(e) => {
                        return Err(Error::BadFile {
                            path,
                            reason: e.to_string(),
                        })
                    }
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(e) => return Err(Error::io(&path, e)),
            }
        };
        let members = articles::event_members(&out_dir.join("events.json"))?;
        let mut arts = ReportArticles::load(out_dir)?;
        if let Some(labels) = opts.topic_labels() {
            // Merged topics' articles are listed with the topic they joined.
            for t in &mut arts.topic {
                *t = labels.target(*t, &known);
            }
        }

        let mut report = Report::new(opts.title().unwrap_or("Topic report"));
        let version = run
            .as_ref()
            .and_then(|r| r.get("version"))
            .and_then(Value::as_str)
            .unwrap_or(env!("CARGO_PKG_VERSION"))
            .to_string();
        report.subtitle = match opts.subtitle() {
            Some(s) => s.to_string(),
            None => lead_line(run.as_ref(), data, arts.date_range()),
        };
        if let Some(w) = run.as_ref().and_then(k_edge_warning) {
            report.warnings.push(w);
        }
        let source = opts
            .source()
            .map(|s| format!("Source: {s}. "))
            .unwrap_or_default();
        report.footer = format!(
            "{source}Made with topictrack {version}. This page is self-contained: it needs no network and no other file."
        );
        report.push(sections::EventsSection::new(data, &members, &arts));
        let themes: Vec<crate::cluster::Theme> =
            match read_optional_json(&out_dir.join("themes.json"))? {
                Some(v) => serde_json::from_value(v).map_err(|e| Error::BadFile {
                    path: out_dir.join("themes.json"),
                    reason: e.to_string(),
                })?,
                None => Vec::new(),
            };
        report.push(sections::TopicsSection::new(data).with_themes(&themes));
        report.push(sections::ChartsSection::new(data, opts)?);
        let largest = sections::largest_stories(&stories);
        report.push(sections::StoriesSection::new(
            &largest,
            stories.len(),
            &arts,
        ));
        if let Some(value) = comparison {
            report.push(comparison::ComparisonSection::from_value(value, opts)?);
        }
        report.push(sections::RunDetailsSection::new(run, data));
        report.page_data = Some(articles::page_data(data, opts, &members, &largest, &arts));
        Ok(report)
    }

    /// The whole page.
    pub fn to_html(&self) -> Result<String> {
        let bodies = self
            .sections
            .iter()
            .map(|s| Ok((s.id(), s.title(), s.render()?)))
            .collect::<Result<Vec<_>>>()?;
        let data_json = self.page_data.as_deref().unwrap_or("{}");
        let page = html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    // Nothing may be fetched: the report must work offline and leak nothing.
                    meta http-equiv="Content-Security-Policy"
                        content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
                    title { (clean(&self.title)) }
                    style { (PreEscaped(CSS)) }
                }
                body {
                    header.masthead { div.wrap {
                        h1 { (clean(&self.title)) }
                        @if !self.subtitle.is_empty() { p.dek { (clean(&self.subtitle)) } }
                        @for w in &self.warnings { p.warn role="note" { strong { "Note: " } (clean(w)) } }
                    } }
                    nav.toc { div.wrap {
                        @for (id, title, _) in &bodies { a href={ "#" (id) } { (clean(title)) } }
                    } }
                    main.wrap {
                        @for (id, title, body) in &bodies {
                            section id=(id) { h2 { (clean(title)) } (body) }
                        }
                    }
                    footer.wrap { (clean(&self.footer)) }
                    aside #tt-panel hidden aria-live="polite" {
                        div.panel-head {
                            h2 #tt-panel-title {}
                            button type="button" #tt-panel-close aria-label="Close" { "×" }
                        }
                        p #tt-panel-note.muted {}
                        ol #tt-panel-list {}
                        div.pager {
                            button type="button" #tt-prev { "‹ Previous" }
                            span #tt-page {}
                            button type="button" #tt-next { "Next ›" }
                        }
                    }
                    script type="application/json" #tt-data { (PreEscaped(data_json)) }
                    script { (PreEscaped(SCRIPT)) }
                }
            }
        };
        Ok(page.into_string() + "\n")
    }

    /// Writes the page to `path` atomically.
    pub fn write(&self, path: &Path) -> Result<PathBuf> {
        crate::plot::canvas::write_atomic(path, self.to_html()?.as_bytes())
    }
}

/// Writes `out_dir/report.html` (the standard [`Report::from_out_dir`]) and returns its path.
pub fn write_report(out_dir: &Path, data: &ChartData, opts: &ChartOptions) -> Result<PathBuf> {
    Report::from_out_dir(out_dir, data, opts)?.write(&out_dir.join("report.html"))
}

/// Draws the charts (into `out_dir/charts`) and writes `report.html` of a run's folder once
/// every other output is in it; the chart callback of [`crate::run::Run::write`] for the CLI
/// and the Python package alike. Returns the files written.
pub fn draw_run(out_dir: &Path, opts: &ChartOptions) -> Result<Vec<PathBuf>> {
    let data = ChartData::load(out_dir)?;
    let charts = out_dir.join("charts");
    std::fs::create_dir_all(&charts).map_err(|e| Error::io(&charts, e))?;
    let (files, report) = rayon::join(
        || crate::plot::render_charts(&data, opts, &charts),
        || write_report(out_dir, &data, opts),
    );
    let mut files = files?;
    files.push(report?);
    Ok(files)
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

/// The one line under the heading: how many articles from which inputs, over which dates, in
/// how many topics.
pub fn lead_line(
    run: Option<&Value>,
    data: &ChartData,
    dated: Option<(NaiveDate, NaiveDate)>,
) -> String {
    let count = |k: &str| {
        run.and_then(|r| r.pointer(&format!("/counts/{k}")))?
            .as_u64()
    };
    let articles = count("articles").unwrap_or(data.total());
    let inputs: Vec<String> = run
        .and_then(|r| r.get("inputs"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|i| match i {
                    Value::String(s) => Some(s.clone()),
                    other => ["name", "path", "file"]
                        .iter()
                        .find_map(|k| other.get(*k).and_then(Value::as_str))
                        .map(file_name),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut s = format!("{} articles", thousands(articles));
    match inputs.len() {
        0 => {}
        1 => s.push_str(&format!(" from {}", inputs[0])),
        n => s.push_str(&format!(" from {n} files")),
    }
    if let (Some(a), Some(b)) = (data.bins().first(), data.bins().last()) {
        // The first and last articles' own dates; without the article list, the bins' span.
        let (first, last) = dated.unwrap_or((*a, data.unit().next(*b).pred_opt().unwrap_or(*b)));
        s.push_str(&format!(", {} to {}", long_date(first), long_date(last)));
        let undated = count("undated").unwrap_or(0);
        if undated > 0 {
            s.push_str(&format!(" ({} undated)", thousands(undated)));
        }
    } else {
        s.push_str(", none dated");
    }
    s.push_str(&format!(", in {} topics", data.topics().len()));
    s.push('.');
    s
}

fn file_name(p: &str) -> String {
    Path::new(p)
        .file_name()
        .map_or_else(|| p.to_string(), |f| f.to_string_lossy().into_owned())
}

/// A warning when `-k auto` chose the smallest or the largest k it tried (read from `run.json`'s
/// `k_selection`): the best number of topics may lie outside the range. `None` for a fixed k,
/// fewer than three candidates, or a choice inside the range.
pub fn k_edge_warning(run: &Value) -> Option<String> {
    let sel = run.get("k_selection")?;
    let chosen = sel.get("chosen")?.as_u64()?;
    let ks: Vec<u64> = sel
        .get("scores")?
        .as_array()?
        .iter()
        .filter_map(|p| p.get(0)?.as_u64())
        .collect();
    k_edge_message(&ks, chosen)
}

/// [`k_edge_warning`] on the tried `ks` and the `chosen` k.
pub fn k_edge_message(ks: &[u64], chosen: u64) -> Option<String> {
    let (lo, hi) = (*ks.iter().min()?, *ks.iter().max()?);
    if ks.len() < 3 {
        return None;
    }
    if chosen == hi {
        Some(format!(
            "-k auto chose k = {chosen}, the largest of the k it tried ({lo}–{hi}); more topics may fit \
             better: try -k auto:{hi}..{}",
            hi * 2
        ))
    } else if chosen == lo {
        Some(format!(
            "-k auto chose k = {chosen}, the smallest of the k it tried ({lo}–{hi}); fewer topics may fit \
             better: try -k auto:2..{lo}"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
