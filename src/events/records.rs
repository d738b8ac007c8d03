//! Events as written to `events.json`, `stories.json` and `stories.csv`: article indices
//! replaced by article ids, topics carry their labels, and a one-screen summary.

use crate::output::{clip, spreadsheet_safe};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::news::NewsEvent;
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

/// A topic with a share of an event's articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicShare {
    /// Topic id.
    pub topic: usize,
    /// Topic label.
    pub label: String,
    /// Share of the event's articles in the topic.
    pub share: f64,
}

/// One event, as in `events.json` (ranked, strongest first) and `events.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// 1 = strongest.
    pub rank: usize,
    /// Day with the most of its articles, `YYYY-MM-DD`.
    pub peak: String,
    /// First day.
    pub start: String,
    /// Last day (inclusive).
    pub end: String,
    /// Surprise of its strongest term-day, or of all its terms together if larger: binomial
    /// log-likelihood ratio against the trailing
    /// baseline (nats; one scale for all events).
    pub score: f64,
    /// Its three strongest terms, comma-separated.
    pub label: String,
    /// Its terms, strongest first, each with its score.
    pub terms: Vec<TermScore>,
    /// Its most central articles.
    pub headlines: Vec<ArticleRef>,
    /// Number of its articles.
    pub n_articles: usize,
    /// Topics of its articles, largest share first.
    pub topics: Vec<TopicShare>,
    /// Ids of its articles, by date.
    pub articles: Vec<String>,
}

/// Events with ids and labels.
pub fn event_records(
    events: &[NewsEvent],
    articles: &[Article],
    topic_labels: &[String],
) -> Vec<EventRecord> {
    events
        .par_iter()
        .map(|e| EventRecord {
            rank: e.rank,
            peak: e.peak.to_string(),
            start: e.start.to_string(),
            end: e.end.to_string(),
            score: (e.score * 1e3).round() / 1e3,
            label: e
                .terms
                .iter()
                .take(3)
                .map(|t| t.term.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            terms: e
                .terms
                .iter()
                .map(|t| TermScore {
                    term: t.term.clone(),
                    score: (t.score * 1e3).round() / 1e3,
                })
                .collect(),
            headlines: e.headlines.iter().map(|&i| aref(&articles[i])).collect(),
            n_articles: e.articles.len(),
            topics: e
                .topics
                .iter()
                .take(3)
                .map(|&(topic, share)| TopicShare {
                    topic,
                    label: topic_labels.get(topic).cloned().unwrap_or_default(),
                    share: (share * 1e4).round() / 1e4,
                })
                .collect(),
            articles: e.articles.iter().map(|&i| articles[i].id.clone()).collect(),
        })
        .collect()
}

/// One topic surge (a burst in a topic's share), as in `surges.json`.
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

pub use super::stories::MIN_STORY_SIZE;

/// The stories of two or more articles, with their ids, in parallel; consumes the stories (their
/// labels and terms move into the records, their article lists are freed as they are
/// converted). An article that no later article followed is not a story to list: on a million
/// generated articles 586k of the detector's stories were such singletons, and listing them made
/// `stories.json` 556 MB.
pub fn story_records(stories: Stories, articles: &[Article]) -> Vec<StoryRecord> {
    stories
        .stories
        .into_par_iter()
        .filter(|s| s.size >= MIN_STORY_SIZE)
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

/// `events.csv`: one row per event, strongest first
/// (`rank,peak,start,end,score,label,terms,top_headline,n_articles,topics`; `terms` and `topics`
/// separated by `; `, a topic as `id:share`).
pub fn write_events_csv(path: &Path, events: &[EventRecord]) -> Result<()> {
    crate::output::write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record([
            "rank",
            "peak",
            "start",
            "end",
            "score",
            "label",
            "terms",
            "top_headline",
            "n_articles",
            "topics",
        ])?;
        for e in events {
            let terms: Vec<&str> = e.terms.iter().map(|t| t.term.as_str()).collect();
            let topics: Vec<String> = e
                .topics
                .iter()
                .map(|t| format!("{}:{}", t.topic, t.share))
                .collect();
            csv.write_record([
                e.rank.to_string(),
                e.peak.clone(),
                e.start.clone(),
                e.end.clone(),
                e.score.to_string(),
                e.label.clone(),
                terms.join("; "),
                e.headlines
                    .first()
                    .map(|h| h.title.clone())
                    .unwrap_or_default(),
                e.n_articles.to_string(),
                topics.join("; "),
            ])?;
        }
        csv.flush()
    })
}

/// `stories.csv`: one row per story. `articles` is a JSON array of ids (ids may hold spaces or
/// any separator); text cells pass through [`spreadsheet_safe`].
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
                spreadsheet_safe(&s.label).into_owned(),
                spreadsheet_safe(&s.first.id).into_owned(),
                spreadsheet_safe(&s.first.title).into_owned(),
                serde_json::to_string(&s.articles).unwrap_or_default(),
            ])?;
        }
        csv.flush()
    })
}

/// A short text summary: the strongest events and the largest stories.
pub fn summary(events: &[EventRecord], stories: &[StoryRecord], max_lines: usize) -> String {
    let mut out = String::new();
    out.push_str(&format!("\n{} events", events.len()));
    if events.is_empty() {
        out.push('\n');
    } else {
        out.push_str(", strongest first:\n");
    }
    for e in events.iter().take(max_lines) {
        let span = if e.start == e.end {
            String::new()
        } else {
            format!(" ({}..{})", e.start, e.end)
        };
        out.push_str(&format!(
            "  {:>2}. {} {:<32} {:>4} articles, score {:.0}{}\n",
            e.rank,
            e.peak,
            clip(&e.label, 32),
            e.n_articles,
            e.score,
            span
        ));
        if let Some(h) = e.headlines.first() {
            out.push_str(&format!("{:>16}“{}”\n", "", clip(&h.title, 80)));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stories_csv_keeps_ids_with_spaces_and_defuses_formulas() {
        let a = |id: &str, title: &str| ArticleRef {
            id: id.into(),
            title: title.into(),
            date: Some("2017-05-10".into()),
        };
        let story = StoryRecord {
            id: 0,
            first: a("doc 1", "=HYPERLINK(\"x\")"),
            size: 2,
            start: "2017-05-10".into(),
            end: "2017-05-11".into(),
            label: "Comey, FBI".into(),
            terms: vec![],
            topic: Some(3),
            topic_share: Some(1.0),
            articles: vec!["doc 1".into(), "doc,2".into()],
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stories.csv");
        write_stories_csv(&path, &[story]).unwrap();
        let mut rdr = csv::Reader::from_path(&path).unwrap();
        let rec = rdr.records().next().unwrap().unwrap();
        assert_eq!(&rec[7], "'=HYPERLINK(\"x\")");
        let ids: Vec<String> = serde_json::from_str(&rec[8]).unwrap();
        assert_eq!(ids, ["doc 1", "doc,2"]);
    }
}
