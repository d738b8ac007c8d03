//! Events as written to `events.json`, `stories.json` and `stories.csv`: article indices
//! replaced by article ids, topics carry their labels, and a one-screen summary.

use crate::output::clip;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Burst, Stories};
use crate::ingest::Article;
use crate::Result;

/// A term with a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermScore {
    /// Display form.
    pub term: String,
    /// Score (rising terms: z of the weighted log-odds; story terms: summed TF-IDF).
    pub score: f64,
}

/// An article reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRef {
    /// Article id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Date, `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// One burst, as in `events.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BurstRecord {
    /// `kleinberg` or `zscore`.
    pub method: String,
    /// Topic id.
    pub topic: usize,
    /// Topic label.
    pub topic_label: String,
    /// First day of the burst.
    pub start: String,
    /// Last day of the burst.
    pub end: String,
    /// Day with the most articles of the topic.
    pub peak: String,
    /// Articles of the topic on the peak day.
    pub peak_count: u32,
    /// Articles of the topic in the burst window.
    pub total_count: u32,
    /// Strength (Kleinberg: cost saved by the burst state; z-score: highest modified z).
    pub score: f64,
    /// Burst level (Kleinberg state; 1 for z-score bursts).
    pub level: usize,
    /// Terms that rise in the window against the topic's other articles.
    pub terms: Vec<TermScore>,
    /// The window's most central articles.
    pub headlines: Vec<ArticleRef>,
    /// Ids of the topic's articles in the window.
    pub articles: Vec<String>,
}

/// One story, as in `stories.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryRecord {
    /// Story id (in order of first article).
    pub id: usize,
    /// The article that started it.
    pub first: ArticleRef,
    /// Articles.
    pub size: usize,
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
    /// Top three terms.
    pub label: String,
    /// Top terms.
    pub terms: Vec<TermScore>,
    /// Majority topic.
    pub topic: Option<usize>,
    /// Share of its articles in that topic.
    pub topic_share: Option<f32>,
    /// Article ids, in date order.
    pub articles: Vec<String>,
}

fn aref(a: &Article) -> ArticleRef {
    ArticleRef {
        id: a.id.clone(),
        title: crate::cluster::display_title(a),
        date: a.date.map(|d| d.format("%Y-%m-%d").to_string()),
    }
}

/// Bursts with ids and labels.
pub fn burst_records(
    bursts: &[Burst],
    articles: &[Article],
    topic_labels: &[String],
) -> Vec<BurstRecord> {
    bursts
        .iter()
        .map(|b| BurstRecord {
            method: b.method.as_str().to_string(),
            topic: b.topic,
            topic_label: topic_labels.get(b.topic).cloned().unwrap_or_default(),
            start: b.start.to_string(),
            end: b.end.to_string(),
            peak: b.peak.to_string(),
            peak_count: b.peak_count,
            total_count: b.total_count,
            score: (b.score * 1e4).round() / 1e4,
            level: b.level,
            terms: b
                .terms
                .iter()
                .map(|t| TermScore {
                    term: t.term.clone(),
                    score: (t.z * 1e3).round() / 1e3,
                })
                .collect(),
            headlines: b
                .headlines
                .iter()
                .map(|h| aref(&articles[h.article]))
                .collect(),
            articles: b.articles.iter().map(|&i| articles[i].id.clone()).collect(),
        })
        .collect()
}

/// Stories with ids, in parallel; consumes the stories (their labels and terms move into the
/// records, their article lists are freed as they are converted).
pub fn story_records(stories: Stories, articles: &[Article]) -> Vec<StoryRecord> {
    stories
        .stories
        .into_par_iter()
        .map(|s| StoryRecord {
            id: s.id,
            first: aref(&articles[s.first_article]),
            size: s.size,
            start: s.start.to_string(),
            end: s.end.to_string(),
            label: s.label,
            terms: s
                .terms
                .into_iter()
                .map(|t| TermScore {
                    term: t.term,
                    score: (t.score * 1e4).round() / 1e4,
                })
                .collect(),
            topic: s.topic,
            topic_share: s.topic_share.map(|x| (x * 1e4).round() / 1e4),
            articles: s.articles.iter().map(|&i| articles[i].id.clone()).collect(),
        })
        .collect()
}

/// `stories.csv`: one row per story (`articles` = ids separated by spaces).
pub fn write_stories_csv(path: &Path, stories: &[StoryRecord]) -> Result<()> {
    crate::output::write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record([
            "story",
            "size",
            "start",
            "end",
            "topic",
            "label",
            "first_id",
            "first_title",
            "articles",
        ])?;
        for s in stories {
            csv.write_record([
                s.id.to_string(),
                s.size.to_string(),
                s.start.clone(),
                s.end.clone(),
                s.topic.map(|t| t.to_string()).unwrap_or_default(),
                s.label.clone(),
                s.first.id.clone(),
                s.first.title.clone(),
                s.articles.join(" "),
            ])?;
        }
        csv.flush()
    })
}

/// A short text summary: the strongest bursts and the largest stories.
pub fn summary(bursts: &[BurstRecord], stories: &[StoryRecord], max_lines: usize) -> String {
    let mut out = String::new();
    let mut top: Vec<&BurstRecord> = bursts.iter().collect();
    top.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.start.cmp(&b.start)));
    out.push_str(&format!("\n{} bursts", bursts.len()));
    if !top.is_empty() {
        out.push_str(", strongest first:\n");
    } else {
        out.push('\n');
    }
    for b in top.iter().take(max_lines) {
        let terms: Vec<&str> = b.terms.iter().take(4).map(|t| t.term.as_str()).collect();
        let span = if b.start == b.end {
            b.start.clone()
        } else {
            format!("{}..{}", b.start, b.end)
        };
        out.push_str(&format!(
            "  topic {:>2} {:<22} {} peak {} ({} articles) [{}] {}\n",
            b.topic,
            clip(&b.topic_label, 22),
            span,
            b.peak,
            b.peak_count,
            b.method,
            terms.join(", ")
        ));
        if let Some(h) = b.headlines.first() {
            out.push_str(&format!("{:>12}“{}”\n", "", clip(&h.title, 80)));
        }
    }
    let multi: Vec<&StoryRecord> = {
        let mut v: Vec<&StoryRecord> = stories.iter().filter(|s| s.size > 1).collect();
        v.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
        v
    };
    out.push_str(&format!(
        "{} stories ({} with more than one article), largest:\n",
        stories.len(),
        multi.len()
    ));
    for s in multi.iter().take(max_lines.min(5)) {
        out.push_str(&format!(
            "  story {:>5} {:>4} articles {}..{} {} — “{}”\n",
            s.id,
            s.size,
            s.start,
            s.end,
            clip(&s.label, 30),
            clip(&s.first.title, 60)
        ));
    }
    out
}
