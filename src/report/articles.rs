//! The articles behind the report's lists: `articles.jsonl` (written by `analyze`: one
//! [`ArticleRecord`] per article with a topic, in `assignments.csv` order) joined with
//! `assignments.csv` (`id,topic,date,score`), and the page data the report's script reads.
//!
//! Size: a record is its title, a snippet of at most [`SNIPPET_CHARS`] characters, the date,
//! topic and score; about 300 bytes of JSON per article, 6 MB for 20k articles.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::events::records::StoryRecord;
use crate::ingest::Article;
use crate::plot::data::ChartData;
use crate::plot::options::ChartOptions;
use crate::plot::palette::{hex, topic_color};
use crate::{Error, Result};

pub use crate::ingest::SNIPPET_CHARS;

/// One line of `articles.jsonl`: what a reader sees of an article in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRecord {
    /// Article id (as in `assignments.csv`).
    pub id: String,
    /// Headline, or the body's first words when there is none.
    pub title: String,
    /// The body's first words (at most [`SNIPPET_CHARS`] characters); empty when unknown.
    #[serde(default)]
    pub snippet: String,
    /// The article's web address, when its id is one (`http://` or `https://`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl ArticleRecord {
    /// The record of an article (after the pipeline: the body may be cut to its first words).
    pub fn of(a: &Article) -> Self {
        let title = crate::cluster::display_title(a);
        let snippet = if a.title.trim().is_empty() {
            String::new()
        } else {
            snippet(&crate::text::clean::markup(&a.text))
        };
        let id = a.id.trim();
        let url = (id.starts_with("https://") || id.starts_with("http://")).then(|| id.to_string());
        ArticleRecord {
            id: a.id.clone(),
            title,
            snippet,
            url,
        }
    }
}

/// The first words of `text`, whitespace collapsed, at most [`SNIPPET_CHARS`] characters
/// (an ellipsis marks a cut).
pub fn snippet(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for w in text.split_whitespace() {
        let n = w.chars().count();
        if chars + n + usize::from(chars > 0) > SNIPPET_CHARS {
            out.push('…');
            return out;
        }
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        out.push_str(w);
        chars += n;
    }
    out
}

/// Writes `articles.jsonl`: the records of the articles with a topic, in input order (the
/// order of `assignments.csv`).
pub fn write_articles(path: &Path, articles: &[Article], topics: &[Option<usize>]) -> Result<()> {
    crate::output::write_atomic(path, |w| {
        for (a, t) in articles.iter().zip(topics) {
            if t.is_none() {
                continue;
            }
            serde_json::to_writer(&mut *w, &ArticleRecord::of(a))?;
            w.write_all(b"\n")?;
        }
        Ok(())
    })
}

/// Articles with a topic, as the report lists them (columns, one entry per article).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportArticles {
    /// Ids.
    pub id: Vec<String>,
    /// Topic ids.
    pub topic: Vec<usize>,
    /// `YYYY-MM-DD`, empty when undated.
    pub date: Vec<String>,
    /// Similarity to the topic centre.
    pub score: Vec<f64>,
    /// Titles (the id when `articles.jsonl` is missing).
    pub title: Vec<String>,
    /// Snippets.
    pub snippet: Vec<String>,
    /// Web addresses, by article index.
    pub url: Vec<(usize, String)>,
    index: HashMap<String, usize>,
}

impl ReportArticles {
    /// The first and last dates of the listed articles, if any is dated.
    pub fn date_range(&self) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        let parse = |d: &String| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let dates = self.date.iter().filter_map(parse);
        Some((dates.clone().min()?, dates.max()?))
    }

    /// Reads `assignments.csv` and, when present, `articles.jsonl` from an output folder.
    /// Without `assignments.csv` the report has no article lists (an empty value).
    pub fn load(out_dir: &Path) -> Result<ReportArticles> {
        let path = out_dir.join("assignments.csv");
        let mut out = ReportArticles::default();
        if !path.exists() {
            return Ok(out);
        }
        let bad = |reason: String| Error::BadFile {
            path: path.clone(),
            reason,
        };
        let mut rdr = csv::Reader::from_path(&path).map_err(|e| bad(e.to_string()))?;
        let headers = rdr.headers().map_err(|e| bad(e.to_string()))?.clone();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let (Some(c_id), Some(c_topic)) = (col("id"), col("topic")) else {
            return Err(bad(
                "line 1: expected the columns id,topic,date,score".into()
            ));
        };
        let (c_date, c_score) = (col("date"), col("score"));
        for rec in rdr.records() {
            let rec = rec.map_err(|e| bad(e.to_string()))?;
            // Articles without a topic (apply, track) have an empty topic cell: not listed.
            let Ok(topic) = rec.get(c_topic).unwrap_or("").trim().parse::<usize>() else {
                continue;
            };
            let id = unescape_id(rec.get(c_id).unwrap_or(""));
            out.index.insert(id.clone(), out.id.len());
            out.id.push(id.clone());
            out.topic.push(topic);
            out.date.push(
                c_date
                    .and_then(|c| rec.get(c))
                    .map(|d| d.get(..10).unwrap_or(d).to_string())
                    .unwrap_or_default(),
            );
            out.score.push(
                c_score
                    .and_then(|c| rec.get(c))
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0.0),
            );
            out.title.push(id);
            out.snippet.push(String::new());
        }
        let arts = out_dir.join("articles.jsonl");
        if arts.exists() {
            let file = std::fs::File::open(&arts).map_err(|e| Error::io(&arts, e))?;
            for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
                let line = line.map_err(|e| Error::io(&arts, e))?;
                if line.trim().is_empty() {
                    continue;
                }
                let r: ArticleRecord = serde_json::from_str(&line).map_err(|e| Error::BadFile {
                    path: arts.clone(),
                    reason: format!("line {}: {e}", n + 1),
                })?;
                if let Some(&i) = out.index.get(&r.id) {
                    out.title[i] = r.title;
                    out.snippet[i] = r.snippet;
                    if let Some(u) = r.url {
                        out.url.push((i, u));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        self.id.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Index of the article with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Indices of these ids (unknown ids skipped).
    pub fn positions<'a>(&self, ids: impl IntoIterator<Item = &'a String>) -> Vec<usize> {
        ids.into_iter().filter_map(|i| self.position(i)).collect()
    }
}

/// `assignments.csv` prefixes ids that a spreadsheet would read as a formula with `'`
/// ([`crate::output::spreadsheet_safe`]); the report shows and matches the id itself.
fn unescape_id(s: &str) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => s.to_string(),
    }
}

/// Article ids of each event of `events.json`, by rank (empty when the file or the field is
/// missing).
pub fn event_members(path: &Path) -> Result<HashMap<usize, Vec<String>>> {
    #[derive(Deserialize)]
    struct Members {
        #[serde(default)]
        rank: usize,
        #[serde(default)]
        articles: Vec<String>,
    }
    if !path.exists() {
        return Ok(HashMap::new());
    }
    let list: Vec<Members> = crate::output::read_json(path)?;
    Ok(list.into_iter().map(|m| (m.rank, m.articles)).collect())
}

/// What the page's script works on: bins, totals, topics (colour, label, counts), events and
/// stories (with their article indices) and the articles as columns.
pub fn page_data(
    data: &ChartData,
    opts: &ChartOptions,
    members: &HashMap<usize, Vec<String>>,
    stories: &[StoryRecord],
    arts: &ReportArticles,
) -> Value {
    let topics: Vec<Value> = data
        .topics()
        .iter()
        .zip(data.counts())
        .map(|(t, c)| {
            json!({
                "id": t.id,
                "label": super::clean(&t.label),
                "color": hex(topic_color(t.id)),
                "counts": c,
            })
        })
        .collect();
    let events: Vec<Value> = data
        .events()
        .iter()
        .map(|e| {
            let ids = members.get(&e.rank).map(Vec::as_slice).unwrap_or(&[]);
            json!({
                "rank": e.rank,
                "label": super::clean(&e.label),
                "peak": e.peak.to_string(),
                "topic": e.topic(),
                "articles": arts.positions(ids),
            })
        })
        .collect();
    let stories: Vec<Value> = stories
        .iter()
        .take(super::sections::MAX_STORIES)
        .map(|s| {
            json!({
                "id": s.id,
                "label": super::clean(&s.label),
                "articles": arts.positions(&s.articles),
            })
        })
        .collect();
    let clean_all =
        |v: &[String]| -> Vec<String> { v.iter().map(|s| super::clean(s).into_owned()).collect() };
    // Scores rounded to 3 digits: enough to rank, a third of the bytes.
    let scores: Vec<f64> = arts
        .score
        .iter()
        .map(|s| (s * 1000.0).round() / 1000.0)
        .collect();
    json!({
        "unit": data.unit().as_str(),
        "bins": data.bins().iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        "totals": data.totals(),
        "top": data.top_topics(opts.top_n()).iter().map(|&i| data.topics()[i].id).collect::<Vec<_>>(),
        "topics": topics,
        "events": events,
        "stories": stories,
        "articles": {
            "id": clean_all(&arts.id),
            "title": clean_all(&arts.title),
            "snippet": clean_all(&arts.snippet),
            "date": arts.date,
            "topic": arts.topic,
            "score": scores,
            "url": arts.url.iter().map(|(i, u)| json!([i, super::clean(u)])).collect::<Vec<_>>(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_stop_at_a_word_within_the_limit() {
        assert_eq!(snippet("  a  b\n c "), "a b c");
        let long = "word ".repeat(100);
        let s = snippet(&long);
        assert!(s.ends_with('…'));
        // 32 words of 4 letters and 31 spaces = 159 characters; one more would pass 160.
        assert_eq!(s.chars().count(), 159 + 1);
    }

    #[test]
    fn urls_come_from_web_address_ids() {
        let mut a = Article {
            id: "https://example.org/a".into(),
            date: None,
            title: "T".into(),
            text: "Body text here".into(),
            labels: vec![],
            group: None,
            input: 0,
            line: 1,
            vector: None,
        };
        let r = ArticleRecord::of(&a);
        assert_eq!(r.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(r.snippet, "Body text here");
        a.id = "d1".into();
        assert_eq!(ArticleRecord::of(&a).url, None);
    }

    #[test]
    fn formula_prefix_is_removed_from_ids() {
        assert_eq!(unescape_id("'=1+1"), "=1+1");
        assert_eq!(unescape_id("'plain"), "'plain");
        assert_eq!(unescape_id("d1"), "d1");
    }
}
