//! The standard sections of the report, in the page's order.

use std::collections::HashMap;

use maud::{html, Markup, PreEscaped};
use serde_json::Value;

use super::json::{json_to_html, scalar_text};
use super::{clean, ReportArticles, ReportSection};
use crate::events::records::StoryRecord;
use crate::plot::data::{ChartData, EventInfo};
use crate::plot::layout::long_date;
use crate::plot::options::ChartOptions;
use crate::plot::palette::{hex, topic_color};
use crate::plot::series::chart_series;
use crate::plot::ticks::thousands;
use crate::plot::{chart_kinds, render_svg, ChartKind};
use crate::Result;

/// Events listed (the strongest); the first [`EVENTS_SHOWN`] open, the rest folded.
pub const MAX_EVENTS: usize = 40;
/// Events shown before the fold.
pub const EVENTS_SHOWN: usize = 6;
/// Stories listed (the largest).
pub const MAX_STORIES: usize = 25;

/// The colour chip of a topic.
pub fn swatch(id: usize) -> Markup {
    html! { span.sw style={ "background:" (hex(topic_color(id))) } {} }
}

/// A topic's name with its colour chip: `■ #3 Ukraine, sanctions`.
fn topic_tag(id: usize, label: &str) -> Markup {
    html! { (swatch(id)) span.tid { "#" (id) } " " (clean(label)) }
}

/// "What happened": the ranked events of `events.json`, strongest first, each once.
pub struct EventsSection {
    rows: Vec<(EventInfo, Option<String>, usize)>,
}

impl EventsSection {
    /// The events of `data`, by rank, with the labels of their main topics and how many of
    /// their articles the report can list.
    pub fn new(
        data: &ChartData,
        members: &HashMap<usize, Vec<String>>,
        arts: &ReportArticles,
    ) -> Self {
        let mut rows: Vec<(EventInfo, Option<String>, usize)> = data
            .events()
            .iter()
            .map(|e| {
                let name = e.topic().map(|k| {
                    data.topic_index(k)
                        .map_or_else(|| format!("Topic {k}"), |t| data.topics()[t].label.clone())
                });
                let listed = members
                    .get(&e.rank)
                    .map_or(0, |ids| arts.positions(ids).len());
                (e.clone(), name, listed)
            })
            .collect();
        rows.sort_by_key(|(e, _, _)| e.rank);
        // One row per event, whatever the file holds.
        rows.dedup_by_key(|(e, _, _)| e.rank);
        rows.truncate(MAX_EVENTS);
        EventsSection { rows }
    }

    fn row(&self, e: &EventInfo, name: &Option<String>, listed: usize) -> Markup {
        let span = if e.start == e.end {
            String::new()
        } else {
            format!("{} – {}", long_date(e.start), long_date(e.end))
        };
        let terms: Vec<&str> = e.terms.iter().take(5).map(|t| t.term.as_str()).collect();
        html! {
            tr data-event=(e.rank) .clickable[listed > 0] {
                td.n { (e.rank) }
                td.nowrap title=(span) { (long_date(e.peak)) }
                td.ev {
                    strong { (clean(&terms.join(", "))) }
                    @if let Some(hl) = e.headlines.first() { br; span.hl { (clean(hl.title())) } }
                }
                td.n {
                    @if listed > 0 { button.link type="button" data-event=(e.rank) { (thousands(e.n_articles as u64)) } }
                    @else { (thousands(e.n_articles as u64)) }
                }
                td.label { @if let (Some(k), Some(name)) = (e.topic(), name) { (topic_tag(k, name)) } }
                td.n { (format!("{:.0}", e.score)) }
            }
        }
    }
}

impl ReportSection for EventsSection {
    fn id(&self) -> String {
        "events".into()
    }
    fn title(&self) -> String {
        "What happened".into()
    }
    fn render(&self) -> Result<Markup> {
        if self.rows.is_empty() {
            return Ok(html! { p.muted { "No events were found (or event detection was off)." } });
        }
        let head = html! {
            thead { tr {
                th.n { "#" } th { "Peak day" } th { "Event and its lead headline" } th.n { "Articles" }
                th { "Topic" } th.n { "Score" }
            } }
        };
        let (shown, folded) = self.rows.split_at(self.rows.len().min(EVENTS_SHOWN));
        Ok(html! {
            p.intro { "Words that appeared in far more articles than in the weeks before, strongest first \
                (score: the surprise of the strongest word, a log-likelihood ratio). Click an event for its articles." }
            div.scroll { table.events {
                (head)
                tbody { @for (e, name, n) in shown { (self.row(e, name, *n)) } }
            } }
            @if !folded.is_empty() {
                details { summary { (folded.len()) " more events" }
                    div.scroll { table.events { (head) tbody { @for (e, name, n) in folded { (self.row(e, name, *n)) } } } }
                }
            }
        })
    }
}

/// The topic table: colour, label, size, share, share sparkline, terms, examples; searchable.
pub struct TopicsSection {
    rows: Vec<TopicRow>,
    total_size: usize,
    themes: Vec<ThemeRow>,
}

/// A broad theme (`themes.json`) with the shown topics it holds.
struct ThemeRow {
    label: String,
    size: usize,
    share: f64,
    /// Ids and labels of its topics that the report shows (a labels file may hide some).
    topics: Vec<(usize, String)>,
}

struct TopicRow {
    id: usize,
    label: String,
    size: usize,
    share: f64,
    terms: Vec<String>,
    examples: Vec<(String, Option<String>)>,
    /// Share of each bin's dated articles.
    spark: Vec<f64>,
}

impl TopicsSection {
    /// The table of every topic of `data`.
    pub fn new(data: &ChartData) -> Self {
        let rows: Vec<TopicRow> = data
            .topics()
            .iter()
            .enumerate()
            .map(|(i, t)| TopicRow {
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
                spark: (0..data.bins().len()).map(|b| data.share(i, b)).collect(),
            })
            .collect();
        let total_size = rows.iter().map(|r| r.size).sum();
        TopicsSection {
            rows,
            total_size,
            themes: Vec::new(),
        }
    }

    /// Shows the broad themes over the topics (`themes.json`) above the topic table: the two
    /// levels of the hierarchy side by side. Topics the report does not show are left out.
    pub fn with_themes(mut self, themes: &[crate::cluster::Theme]) -> Self {
        let label_of: std::collections::BTreeMap<usize, &str> =
            self.rows.iter().map(|r| (r.id, r.label.as_str())).collect();
        self.themes = themes
            .iter()
            .map(|t| ThemeRow {
                label: t.label.clone(),
                size: t.size,
                share: t.share,
                topics: t
                    .topics
                    .iter()
                    .filter_map(|id| label_of.get(id).map(|l| (*id, l.to_string())))
                    .collect(),
            })
            .filter(|t| !t.topics.is_empty())
            .collect();
        self
    }
}

/// A tiny line chart of a topic's share per bin (no axes; its own scale, top = its largest
/// share, written beside it), in the topic's colour.
pub fn sparkline(shares: &[f64], color: &str) -> Markup {
    let (w, h) = (120.0, 28.0);
    if shares.len() < 2 {
        return html! {};
    }
    let max = shares.iter().copied().fold(0.0f64, f64::max);
    let scale = if max > 0.0 { max } else { 1.0 };
    let step = w / (shares.len() - 1) as f64;
    let pts: Vec<String> = shares
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                h - 1.5 - (s / scale) * (h - 3.0)
            )
        })
        .collect();
    html! {
        span.sparkwrap {
            svg.spark viewBox={ "0 0 " (w) " " (h) } width=(w) height=(h) aria-hidden="true" {
                polyline fill="none" stroke=(color) stroke-width="1.6" points=(pts.join(" ")) {}
            }
            span.sparkmax title="largest share of a time bin" { (format!("{:.0}%", max * 100.0)) }
        }
    }
}

impl ReportSection for TopicsSection {
    fn id(&self) -> String {
        "topics".into()
    }
    fn title(&self) -> String {
        "Topics".into()
    }
    fn render(&self) -> Result<Markup> {
        if self.rows.is_empty() {
            return Ok(html! { p.muted { "No topics." } });
        }
        Ok(html! {
            p.intro { "Topics are numbered from the largest. The colour is the topic's colour in every chart; \
                the small line is its share of each time bin's articles (its peak share beside it). \
                Click a topic for its articles." }
            div.search {
                label for="tt-search" { "Find a topic " }
                input #tt-search type="search" placeholder="word, label or headline" autocomplete="off";
                span #tt-search-count.muted {}
            }
            @if self.themes.len() > 1 {
                h3 { "Broad themes" }
                p.intro { "Related topics grouped into broad themes (the level above the topics)." }
                div.scroll { table.themes {
                    thead { tr { th { "Theme" } th.n { "Articles" } th.n { "Share" } th { "Its topics" } } }
                    tbody { @for t in &self.themes {
                        tr {
                            td.label { (clean(&t.label)) }
                            td.n { (thousands(t.size as u64)) }
                            td.n { (format!("{:.1}%", t.share * 100.0)) }
                            td { @for (i, (id, label)) in t.topics.iter().enumerate() {
                                @if i > 0 { " · " }
                                button.link type="button" data-topic=(id) { (topic_tag(*id, label)) }
                            } }
                        }
                    } }
                } }
                h3 { "Topics" }
            }
            div.scroll { table.topics {
                thead { tr {
                    th.n { "#" } th { "Topic" } th.n { "Articles" } th.n { "Share" } th { "Share over time" }
                    th { "Top terms" } th { "Example headlines" }
                } }
                tbody { @for r in &self.rows {
                    @let share = if r.share > 0.0 { r.share } else if self.total_size > 0 { r.size as f64 / self.total_size as f64 } else { 0.0 };
                    tr.clickable data-topic=(r.id) {
                        td.n { (r.id) }
                        td.label { button.link type="button" data-topic=(r.id) { (swatch(r.id)) (clean(&r.label)) } }
                        td.n { (thousands(r.size as u64)) }
                        td.n { (format!("{:.1}%", share * 100.0)) }
                        td { (sparkline(&r.spark, &hex(topic_color(r.id)))) }
                        td.terms { (clean(&r.terms.join(", "))) }
                        td.ex { @if !r.examples.is_empty() { ul { @for (title, date) in r.examples.iter().take(2) {
                            li { (clean(title)) @if let Some(d) = date { " " span.date { (clean(d)) } } }
                        } } } }
                    }
                } }
            } }
        })
    }
}

/// The charts: an interactive timeline drawn by the page's script from the page data, and the
/// print-ready charts as inline SVG (volume and share only in print, where the interactive one
/// cannot be).
pub struct ChartsSection {
    figures: Vec<(ChartKind, String)>,
    dated: bool,
}

impl ChartsSection {
    /// Renders the charts of `data` as SVG at the size and top N of `opts` (whatever its formats).
    pub fn new(data: &ChartData, opts: &ChartOptions) -> Result<Self> {
        let series = chart_series(data, opts);
        let figures = chart_kinds(data)
            .iter()
            .map(|&k| render_svg(k, &series, opts).map(|svg| (k, inline_svg(&svg, k.caption()))))
            .collect::<Result<Vec<_>>>()?;
        Ok(ChartsSection {
            figures,
            dated: !data.bins().is_empty(),
        })
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
        super::escape(view_box),
        super::escape(label),
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
    fn render(&self) -> Result<Markup> {
        Ok(html! {
            @if self.dated {
                figure #tt-timeline-fig.screen-only {
                    div #tt-timeline { noscript { p.muted { "The interactive timeline needs JavaScript; the charts below show the same data." } } }
                    figcaption { "Articles per time bin (or each topic's share of the bin). Hover for values, click a legend \
                        entry to show or hide a topic, drag across the plot to zoom in on a period, click a triangle for an event's articles." }
                }
            }
            @for (kind, svg) in &self.figures {
                @let print_only = self.dated && matches!(kind, ChartKind::Volume | ChartKind::Share);
                figure id={ "chart-" (kind.stem()) } .print-only[print_only] {
                    (PreEscaped(svg))
                    figcaption { (kind.caption()) }
                }
            }
        })
    }
}

/// The largest stories of `stories.json` (first-story detection).
pub struct StoriesSection {
    rows: Vec<(StoryRecord, usize)>,
    total: usize,
}

impl StoriesSection {
    /// The stories `largest` ([`largest_stories`] of the `total` listed), with how many of
    /// their articles the report can list.
    pub fn new(largest: &[&StoryRecord], total: usize, arts: &ReportArticles) -> Self {
        let rows = largest
            .iter()
            .map(|s| ((*s).clone(), arts.positions(&s.articles).len()))
            .collect();
        StoriesSection { rows, total }
    }
}

/// The [`MAX_STORIES`] largest of `stories` (ties: the earlier start, then the lower id), largest
/// first: the stories the report lists and its script can open.
pub fn largest_stories(stories: &[StoryRecord]) -> Vec<&StoryRecord> {
    let mut all: Vec<&StoryRecord> = stories.iter().collect();
    let order = |a: &&StoryRecord, b: &&StoryRecord| {
        b.size
            .cmp(&a.size)
            .then(a.start.cmp(&b.start))
            .then(a.id.cmp(&b.id))
    };
    if all.len() > MAX_STORIES {
        all.select_nth_unstable_by(MAX_STORIES - 1, order);
        all.truncate(MAX_STORIES);
    }
    all.sort_by(order);
    all
}

impl ReportSection for StoriesSection {
    fn id(&self) -> String {
        "stories".into()
    }
    fn title(&self) -> String {
        "Stories".into()
    }
    fn render(&self) -> Result<Markup> {
        if self.rows.is_empty() {
            return Ok(html! { p.muted { "No stories were found (or event detection was off)." } });
        }
        Ok(html! {
            p.intro { "Runs of articles that follow one another on the same specific subject (first-story detection), \
                the largest first" @if self.total > self.rows.len() { " (" (self.rows.len()) " of " (thousands(self.total as u64)) ")" } ". \
                Click a story for its articles." }
            div.scroll { table.stories {
                thead { tr { th { "First headline" } th { "Terms" } th { "From" } th { "To" } th.n { "Articles" } th { "Topic" } } }
                tbody { @for (s, listed) in &self.rows {
                    tr data-story=(s.id) .clickable[*listed > 0] {
                        td.ex { (clean(&s.first.title)) }
                        td.terms { (clean(&s.label)) }
                        td.nowrap { (clean(&s.start)) }
                        td.nowrap { (clean(&s.end)) }
                        td.n { @if *listed > 0 { button.link type="button" data-story=(s.id) { (thousands(s.size as u64)) } } @else { (s.size) } }
                        td.label { @if let Some(t) = s.topic { (swatch(t)) span.tid { "#" (t) } } }
                    }
                } }
            } }
        })
    }
}

/// Fields of `run.json` that have a place of their own in the run details.
const RUN_KNOWN: [&str; 10] = [
    "outputs",
    "timeline",
    "inputs",
    "counts",
    "params",
    "k",
    "k_selection",
    "version",
    "stage_seconds",
    "boilerplate",
];

/// Inputs, counts, parameters, k-selection and every other field of `run.json`, at the end.
pub struct RunDetailsSection {
    run: Option<Value>,
    dated: u64,
    topics: usize,
}

impl RunDetailsSection {
    /// The details of `run.json` (if found); `data` gives the counts when it is missing.
    pub fn new(run: Option<Value>, data: &ChartData) -> Self {
        RunDetailsSection {
            run,
            dated: data.total(),
            topics: data.topics().len(),
        }
    }
}

/// The silhouette of each k tried, the chosen one marked: a small line chart.
pub fn k_selection_chart(scores: &[(u64, f64)], chosen: u64) -> Markup {
    if scores.len() < 2 {
        return html! {};
    }
    let (w, h, l, r, t, b) = (420.0, 150.0, 44.0, 12.0, 12.0, 30.0);
    let (k0, k1) = (scores[0].0 as f64, scores[scores.len() - 1].0 as f64);
    let lo = scores.iter().map(|s| s.1).fold(f64::INFINITY, f64::min);
    let hi = scores.iter().map(|s| s.1).fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 0.01, hi + 0.01)
    };
    let x = |k: f64| l + (k - k0) / (k1 - k0).max(1.0) * (w - l - r);
    let y = |s: f64| t + (hi - s) / (hi - lo) * (h - t - b);
    let pts: Vec<String> = scores
        .iter()
        .map(|&(k, s)| format!("{:.1},{:.1}", x(k as f64), y(s)))
        .collect();
    html! {
        svg.kchart viewBox={ "0 0 " (w) " " (h) } width=(w) height=(h) role="img"
            aria-label="Silhouette score of each number of topics tried" {
            line x1=(l) x2=(w - r) y1=(h - b) y2=(h - b) stroke="#333" {}
            text x=(l - 6.0) y=(y(hi) + 4.0) text-anchor="end" font-size="11" fill="#5f5f5f" { (format!("{hi:.3}")) }
            text x=(l - 6.0) y=(y(lo) + 4.0) text-anchor="end" font-size="11" fill="#5f5f5f" { (format!("{lo:.3}")) }
            polyline fill="none" stroke="#0072b2" stroke-width="1.6" points=(pts.join(" ")) {}
            @for &(k, s) in scores {
                circle cx=(format!("{:.1}", x(k as f64))) cy=(format!("{:.1}", y(s))) r=(if k == chosen { 5 } else { 2 })
                    fill=(if k == chosen { "#d55e00" } else { "#0072b2" }) { title { "k = " (k) ": " (format!("{s:.4}")) } }
                text x=(format!("{:.1}", x(k as f64))) y=(h - b + 15.0) text-anchor="middle" font-size="11"
                    fill=(if k == chosen { "#1a1a1a" } else { "#5f5f5f" }) font-weight=(if k == chosen { "700" } else { "400" }) { (k) }
            }
            text x=(w - r) y=(h - 2.0) text-anchor="end" font-size="11" fill="#5f5f5f" { "number of topics k" }
        }
    }
}

fn input_html(v: &Value) -> Markup {
    match v {
        Value::String(s) => html! { code { (clean(s)) } },
        Value::Object(map) => {
            let name_key = ["path", "file", "name"]
                .into_iter()
                .find(|k| map.get(*k).is_some_and(Value::is_string));
            let rest: Vec<String> = map
                .iter()
                // The fingerprint is for `events` and `chart` to recognise the input.
                .filter(|(k, _)| Some(k.as_str()) != name_key && k.as_str() != "fingerprint")
                .map(|(k, v)| {
                    let val = match v {
                        Value::Object(_) | Value::Array(_) => v.to_string(),
                        other => scalar_text(other),
                    };
                    format!("{k}: {val}")
                })
                .collect();
            html! {
                @if let Some(k) = name_key { code { (clean(&scalar_text(&map[k]))) } }
                @if !rest.is_empty() { " " span.muted { (clean(&rest.join(" · "))) } }
            }
        }
        other => json_to_html(other),
    }
}

impl ReportSection for RunDetailsSection {
    fn id(&self) -> String {
        "run".into()
    }
    fn title(&self) -> String {
        "Run details".into()
    }
    fn render(&self) -> Result<Markup> {
        let Some(run) = &self.run else {
            return Ok(html! {
                p.muted { "run.json was not found; inputs and parameters are unknown. "
                    (thousands(self.dated)) " dated articles in " (self.topics) " topics." }
            });
        };
        let count = |k: &str| run.pointer(&format!("/counts/{k}")).and_then(Value::as_u64);
        let stats: Vec<(&str, u64, &str)> = [
            ("records read", count("read"), ""),
            ("skipped", count("skipped"), "unreadable or empty"),
            ("duplicates", count("duplicates"), "removed"),
            ("undated", count("undated"), "in topics, not in timelines"),
            ("articles analysed", count("articles"), ""),
            ("dated articles", Some(self.dated), "in the charts"),
            ("topics", run.get("k").and_then(Value::as_u64), ""),
        ]
        .into_iter()
        .filter_map(|(l, v, n)| v.map(|v| (l, v, n)))
        .collect();
        let ksel = run.get("k_selection").filter(|v| !v.is_null());
        let scores: Vec<(u64, f64)> = ksel
            .and_then(|k| k.get("scores"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|p| Some((p.get(0)?.as_u64()?, p.get(1)?.as_f64()?)))
                    .collect()
            })
            .unwrap_or_default();
        let chosen = ksel
            .and_then(|k| k.get("chosen"))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let others: Vec<(&String, &Value)> = run
            .as_object()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| !RUN_KNOWN.contains(&k.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(html! {
            div.stats { @for (label, v, note) in &stats {
                div.stat { div.num { (thousands(*v)) } div.lbl { (label) } @if !note.is_empty() { div.note { (note) } } }
            } }
            @if let Some(Value::Array(inputs)) = run.get("inputs") {
                h3 { "Inputs" }
                ul.inputs { @for i in inputs { li { (input_html(i)) } } }
            }
            @if let Some(t) = run.get("timeline") { h3 { "Timeline" } (json_to_html(t)) }
            @if !scores.is_empty() {
                h3 { "Number of topics" }
                p.intro { (clean(ksel.and_then(|k| k.get("criterion")).and_then(Value::as_str).unwrap_or("silhouette")))
                    "; k = " (chosen) " was chosen." }
                (k_selection_chart(&scores, chosen))
            }
            @if let Some(p) = run.get("params") { h3 { "Parameters" } (json_to_html(p)) }
            @if !others.is_empty() {
                h3 { "Other details" }
                table.kv { tbody {
                    @if let Some(v) = run.get("version") { tr { th { "version" } td { (json_to_html(v)) } } }
                    @for (k, v) in &others { tr { th { (clean(k)) } td { (json_to_html(v)) } } }
                } }
            }
        })
    }
}
