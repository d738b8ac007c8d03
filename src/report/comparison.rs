//! The report's comparison section, from `comparison.json`: the significant differences in
//! words, the share table, the three comparison charts inline (drawn by
//! [`crate::plot::compare`]), divergences, distinctive terms and first coverage.

use maud::{html, Markup, PreEscaped};
use plotters::style::RGBColor;
use serde_json::Value;

use super::json::json_to_html;
use super::sections::inline_svg;
use super::{clean, ReportSection};
use crate::compare::{Comparison, Scope, TermList, TopicComparison};
use crate::plot::compare::{check_shape, collection_color, render_svg, topic_name, CompareChart};
use crate::plot::layout::long_date;
use crate::plot::options::ChartOptions;
use crate::plot::palette::{hex, topic_color};
use crate::plot::ticks::thousands;
use crate::Result;

/// The comparison in `report.html`.
pub struct ComparisonSection {
    body: Body,
}

enum Body {
    Parsed {
        cmp: Box<Comparison>,
        figures: Vec<(CompareChart, String)>,
    },
    /// A `comparison.json` this version cannot read: shown generically.
    Raw(Value),
}

impl ComparisonSection {
    /// The section for a comparison, with its charts rendered as inline SVG at `opts`' size.
    pub fn new(cmp: Comparison, opts: &ChartOptions) -> Result<Self> {
        let figures = CompareChart::ALL
            .iter()
            .map(|&k| render_svg(k, &cmp, opts).map(|svg| (k, inline_svg(&svg, k.caption()))))
            .collect::<Result<Vec<_>>>()?;
        Ok(ComparisonSection {
            body: Body::Parsed {
                cmp: Box::new(cmp),
                figures,
            },
        })
    }

    /// The section for the contents of `comparison.json`; a file this version cannot parse is
    /// rendered generically rather than failing the report.
    pub fn from_value(value: Value, opts: &ChartOptions) -> Result<Self> {
        match serde_json::from_value::<Comparison>(value.clone()) {
            Ok(cmp) if check_shape(&cmp).is_ok() => Self::new(cmp, opts),
            _ => Ok(ComparisonSection {
                body: Body::Raw(value),
            }),
        }
    }
}

fn chip(color: RGBColor) -> Markup {
    html! { span.sw style={ "background:" (hex(color)) } {} }
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

fn p_text(p: f64) -> String {
    if p >= 0.001 {
        format!("{p:.3}")
    } else if p > 0.0 {
        format!("{p:.1e}")
    } else {
        "<1e-300".to_string()
    }
}

/// How a significant topic differs, in words.
fn finding(cmp: &Comparison, t: &TopicComparison) -> Option<String> {
    if cmp.collections.len() == 2 {
        let d = t.diff.unwrap_or(0.0);
        let more = if d >= 0.0 { 0 } else { 1 };
        Some(format!(
            "more in {} by {:.1} points ({} vs {})",
            cmp.collections[more].name,
            d.abs() * 100.0,
            pct(t.cells[more].share),
            pct(t.cells[1 - more].share)
        ))
    } else {
        // `check_shape` (in `new`) makes sure every topic has its cells.
        let hi = t.cells.iter().max_by(|a, b| a.diff.total_cmp(&b.diff))?;
        let lo = t.cells.iter().min_by(|a, b| a.diff.total_cmp(&b.diff))?;
        Some(format!(
            "most in {} ({}), least in {} ({})",
            hi.collection,
            pct(hi.share),
            lo.collection,
            pct(lo.share)
        ))
    }
}

fn term_row(head: Markup, list: &TermList) -> Markup {
    html! {
        tr { th { (head) } td.terms {
            @for (i, t) in list.terms.iter().take(12).enumerate() {
                @if i > 0 { ", " }
                @if t.beyond_chance == Some(true) { strong { (clean(&t.term)) } } @else { (clean(&t.term)) }
                " " span.muted { (format!("({:.1})", t.z)) }
            }
        } }
    }
}

impl ReportSection for ComparisonSection {
    fn id(&self) -> String {
        "comparison".into()
    }
    fn title(&self) -> String {
        "Comparison".into()
    }
    fn render(&self) -> Result<Markup> {
        let (cmp, figures) = match &self.body {
            Body::Raw(v) => {
                return Ok(html! { p.intro { "Contents of comparison.json." } (json_to_html(v)) })
            }
            Body::Parsed { cmp, figures } => (cmp, figures),
        };
        let n_coll = cmp.collections.len();
        let test = if n_coll == 2 {
            "a two-proportion z-test"
        } else {
            "a chi-square test of homogeneity"
        };
        let level = format!("{:.0}%", cmp.params.level * 100.0);
        let ex = &cmp.excluded;
        let sig: Vec<&TopicComparison> = cmp.significant().collect();
        let dated = cmp
            .coverage
            .iter()
            .any(|c| c.first.iter().any(Option::is_some));
        let unit = cmp.timeline.unit.name();
        let threshold_note = match cmp.term_threshold {
            Some(th) => format!(
                "shuffling the collection labels {} times gives z up to {th:.1} (95th percentile of the largest), \
                 and overall terms beyond it are in bold.",
                cmp.params.permutations
            ),
            None => "read it as a ranking.".to_string(),
        };
        Ok(html! {
            p.intro {
                (n_coll) " collections compared on one topic model fitted to all the articles: "
                @for (i, c) in cmp.collections.iter().enumerate() {
                    @if i > 0 { ", " }
                    (chip(collection_color(i))) strong { (clean(&c.name)) } " (" (thousands(c.articles)) " articles)"
                }
                ". Shares are of each collection's articles with a topic, with " (level) " Wilson intervals; each topic is \
                tested with " (test) " and the p-values are adjusted over the " (cmp.topics.len()) " topics by \
                Benjamini–Hochberg (q)."
            }
            @if ex.total() > 0 {
                p.muted { (thousands(ex.total())) " articles belong to no collection (" (ex.undated) " undated, "
                    (ex.outside_periods) " outside the periods, " (ex.without_group) " without a value of the field): \
                    they shaped the topics but are not compared." }
            }
            @if sig.is_empty() {
                p { strong { "No topic differs significantly" } " (q < " (cmp.params.alpha) ")." }
            } @else {
                p { strong { (sig.len()) " of " (cmp.topics.len()) " topics differ significantly" } " (q < " (cmp.params.alpha) "):" }
                ul { @for t in &sig { @if let Some(detail) = finding(cmp, t) {
                    li { (chip(topic_color(t.topic))) strong { (clean(&topic_name(t))) } ": " (clean(&detail)) "; q = " (p_text(t.q)) }
                } } }
            }
            div.scroll { table.grid {
                thead { tr {
                    th { "Topic" }
                    @for c in &cmp.collections { th.n { (clean(&c.name)) } }
                    @if n_coll == 2 { th.n { "Difference" } }
                    th.n { "p" } th.n { "q" }
                } }
                tbody { @for t in &cmp.topics {
                    tr.strong[t.significant] {
                        td.label { (chip(topic_color(t.topic))) (clean(&topic_name(t))) }
                        @for cell in &t.cells {
                            td.n { (pct(cell.share)) " " span.muted { "(" (thousands(cell.count)) ")" } br;
                                span.date { (format!("{:.1}–{:.1}", cell.ci_low * 100.0, cell.ci_high * 100.0)) } }
                        }
                        @if let (Some(d), Some(lo), Some(hi)) = (t.diff, t.diff_low, t.diff_high) {
                            td.n { (format!("{:+.1} pts", d * 100.0)) br;
                                span.date { (format!("{:+.1} to {:+.1}", lo * 100.0, hi * 100.0)) } }
                        }
                        td.n { (p_text(t.p)) } td.n { (p_text(t.q)) }
                    }
                } }
            } }
            @for (kind, svg) in figures {
                figure id={ "chart-" (kind.stem()) } { (PreEscaped(svg)) figcaption { (kind.caption()) } }
            }
            @if !cmp.divergence.is_empty() {
                h3 { "How different the topic mixes are" }
                p.intro { "Jensen–Shannon divergence in bits (0 = the same mix, 1 = no topic in common), and roughly \
                    what sampling alone would give." }
                table.kv { tbody { @for d in &cmp.divergence {
                    tr { th { (clean(&d.a)) " – " (clean(&d.b)) }
                        td { (format!("{:.4}", d.jsd)) " " span.muted { (format!("(by chance ≈ {:.4})", d.expected_if_same)) } } }
                } } }
            }
            h3 { "Distinctive terms" }
            p.intro { "Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), each \
                collection against the others; z-scores in brackets. Words come in bursts, so z overstates the \
                evidence: " (threshold_note) }
            table.kv { tbody {
                @for list in cmp.distinctive.iter().filter(|l| l.scope == Scope::Overall) {
                    @let ci = cmp.collection_index(&list.collection).unwrap_or(0);
                    (term_row(html! { (chip(collection_color(ci))) (clean(&list.collection)) " overall" }, list))
                }
                @for t in &sig {
                    @for list in cmp.distinctive.iter().filter(|l| l.scope == Scope::Topic && l.topic == Some(t.topic)) {
                        @let ci = cmp.collection_index(&list.collection).unwrap_or(0);
                        (term_row(html! { (chip(collection_color(ci))) (clean(&list.collection)) " in #" (t.topic) }, list))
                    }
                }
            } }
            @if dated {
                h3 { "Who covered each topic first" }
                p.intro { "First publication day per collection, and the lag (in " (unit) "s) that best lines up the \
                    collections' timelines (cross-correlation); a positive lag means the first-named collection leads." }
                div.scroll { table.grid {
                    thead { tr { th { "Topic" } @for c in &cmp.collections { th { (clean(&c.name)) } } th { "First" } th { "Timeline lags" } } }
                    tbody { @for cov in &cmp.coverage { @if let Some(t) = cmp.topics.get(cov.topic) {
                        tr {
                            td.label { (chip(topic_color(t.topic))) (clean(&topic_name(t))) }
                            @for f in &cov.first { td.nowrap { (f.map_or("—".to_string(), long_date)) } }
                            td { (clean(cov.first_leader.as_deref().unwrap_or("tie"))) }
                            td { (clean(&lag_text(cov, unit))) }
                        }
                    } } }
                } }
            }
        })
    }
}

fn lag_text(cov: &crate::compare::timing::TopicCoverage, unit: &str) -> String {
    let lags: Vec<String> = cov
        .lags
        .iter()
        .map(|l| match (l.lag, &l.leader) {
            (Some(0), _) => format!("{} – {}: together", l.a, l.b),
            (Some(lag), Some(who)) => format!(
                "{who} by {} {unit}{}",
                lag.abs(),
                if lag.abs() == 1 { "" } else { "s" }
            ),
            _ => format!("{} – {}: unclear", l.a, l.b),
        })
        .collect();
    lags.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::compare::tests::comparison;

    #[test]
    fn section_renders_findings_and_falls_back_on_unknown_json() {
        let value = serde_json::to_value(comparison()).unwrap();
        let s = ComparisonSection::from_value(value, &ChartOptions::default()).unwrap();
        let html = s.render().unwrap().into_string();
        assert!(html.contains("Harbour Gazette") && html.contains("<table"));
        assert!(
            html.contains("chart-compare_diff") && html.contains("Who covered each topic first")
        );
        assert_eq!(html.matches("<svg viewBox=").count(), 3);
        let mut short = comparison();
        short.topics[1].cells.truncate(1);
        let s = ComparisonSection::from_value(
            serde_json::to_value(&short).unwrap(),
            &ChartOptions::default(),
        )
        .unwrap();
        assert!(s
            .render()
            .unwrap()
            .into_string()
            .contains("comparison.json"));
        let raw = ComparisonSection::from_value(
            serde_json::json!({"a": "x <y>"}),
            &ChartOptions::default(),
        )
        .unwrap();
        let html = raw.render().unwrap().into_string();
        assert!(html.contains("x &lt;y&gt;") && html.contains("comparison.json"));
    }
}
