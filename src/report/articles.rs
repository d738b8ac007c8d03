//! The articles behind the report's lists: `articles.jsonl` (written by `analyze`: one
//! [`ArticleRecord`] per article with a topic, in `assignments.csv` order) joined with
//! `assignments.csv` (`id,topic,date,score`), and the page data the report's script reads.
//!
//! Size: a record is its title, a snippet of at most [`SNIPPET_CHARS`] characters, the date,
//! topic and score; about 300 bytes of JSON per article, 6 MB for 20k articles.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

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
    use rayon::prelude::*;
    // Lines made in parallel, in blocks of a fixed size (so the file does not depend on the
    // thread count), then written in order: one record is a title, a cleaned snippet and
    // JSON escaping, and on one thread the 18,846 of 20 Newsgroups held up the run's end.
    const BLOCK: usize = 2048;
    let blocks = articles
        .par_chunks(BLOCK)
        .zip(topics.par_chunks(BLOCK))
        .map(|(arts, tops)| {
            let mut buf = Vec::with_capacity(arts.len() * 320);
            for (a, t) in arts.iter().zip(tops) {
                if t.is_none() {
                    continue;
                }
                serde_json::to_writer(&mut buf, &ArticleRecord::of(a))?;
                buf.push(b'\n');
            }
            Ok(buf)
        })
        .collect::<std::result::Result<Vec<Vec<u8>>, serde_json::Error>>()
        .map_err(|e| Error::io(path, e.into()))?;
    crate::output::write_atomic(path, |w| {
        for b in &blocks {
            w.write_all(b)?;
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
    index: ahash::AHashMap<String, usize>,
}

impl ReportArticles {
    /// The first and last dates of the listed articles, if any is dated.
    pub fn date_range(&self) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        let parse = |d: &String| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let dates = self.date.iter().filter_map(parse);
        Some((dates.clone().min()?, dates.max()?))
    }

    /// Reads `assignments.csv` and, when present, `articles.jsonl` from an output folder.
    /// Without `assignments.csv` the report has no article lists (an empty value). The two
    /// files are read side by side (on 20 Newsgroups, 18–20 ms one after the other).
    pub fn load(out_dir: &Path) -> Result<ReportArticles> {
        let path = out_dir.join("assignments.csv");
        if !path.exists() {
            return Ok(ReportArticles::default());
        }
        let arts = out_dir.join("articles.jsonl");
        let (listed, records) = rayon::join(
            || ReportArticles::read_assignments(&path),
            || read_records(&arts),
        );
        let mut out = listed?;
        for r in records? {
            if let Some(&i) = out.index.get(&r.id) {
                out.title[i] = r.title;
                out.snippet[i] = r.snippet;
                if let Some(u) = r.url {
                    out.url.push((i, u));
                }
            }
        }
        Ok(out)
    }

    /// The articles listed in `assignments.csv` (titles: their ids, snippets empty).
    fn read_assignments(path: &Path) -> Result<ReportArticles> {
        let mut out = ReportArticles::default();
        let bad = |reason: String| Error::BadFile {
            path: path.to_path_buf(),
            reason,
        };
        let mut rdr = csv::Reader::from_path(path).map_err(|e| bad(e.to_string()))?;
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

/// The records of `articles.jsonl` (none when the file is absent), parsed in parallel (a few MB
/// of JSON for 20k articles), in file order.
fn read_records(arts: &Path) -> Result<Vec<ArticleRecord>> {
    use rayon::prelude::*;
    if !arts.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(arts).map_err(|e| Error::io(arts, e))?;
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    lines
        .par_iter()
        .map(|&(n, line)| {
            serde_json::from_str::<ArticleRecord>(line).map_err(|e| Error::BadFile {
                path: arts.to_path_buf(),
                reason: format!("line {}: {e}", n + 1),
            })
        })
        .collect()
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
/// the stories listed (with their article indices) and the articles as columns, as the JSON text of a
/// `<script type="application/json">` element (`<` written as `\u003c`, so no text from data
/// can close the element or open a comment).
///
/// Serialized from borrowed structs rather than through a `serde_json::Value`: the article
/// columns are most of a report's bytes (4.6 MB for 20 Newsgroups), and building the tree
/// copied every string twice. Fields are in alphabetical order, the order `Value` maps use.
pub fn page_data(
    data: &ChartData,
    opts: &ChartOptions,
    members: &HashMap<usize, Vec<String>>,
    stories: &[&StoryRecord],
    arts: &ReportArticles,
) -> String {
    use std::borrow::Cow;
    #[derive(Serialize)]
    struct Topic<'a> {
        color: String,
        counts: &'a [u32],
        id: usize,
        label: Cow<'a, str>,
    }
    #[derive(Serialize)]
    struct Event<'a> {
        articles: Vec<usize>,
        label: Cow<'a, str>,
        peak: String,
        rank: usize,
        topic: Option<usize>,
    }
    #[derive(Serialize)]
    struct Story<'a> {
        articles: Vec<usize>,
        id: usize,
        label: Cow<'a, str>,
    }
    #[derive(Serialize)]
    struct Articles<'a> {
        date: &'a [String],
        id: Vec<Cow<'a, str>>,
        score: Vec<f64>,
        snippet: Vec<Cow<'a, str>>,
        title: Vec<Cow<'a, str>>,
        topic: &'a [usize],
        url: Vec<(usize, Cow<'a, str>)>,
    }
    #[derive(Serialize)]
    struct Page<'a> {
        articles: Articles<'a>,
        bins: Vec<String>,
        events: Vec<Event<'a>>,
        stories: Vec<Story<'a>>,
        top: Vec<usize>,
        topics: Vec<Topic<'a>>,
        totals: &'a [u32],
        unit: &'static str,
    }
    // In parallel: on 20 Newsgroups cleaning the ids, titles and snippets took 8 ms of one
    // thread while the charts were already drawn.
    fn clean_all(v: &[String]) -> Vec<Cow<'_, str>> {
        use rayon::prelude::*;
        v.par_iter()
            .with_min_len(1024)
            .map(|s| super::clean(s))
            .collect()
    }
    let page = Page {
        articles: Articles {
            date: &arts.date,
            id: clean_all(&arts.id),
            // Scores rounded to 3 digits: enough to rank, a third of the bytes.
            score: arts
                .score
                .iter()
                .map(|s| (s * 1000.0).round() / 1000.0)
                .collect(),
            snippet: clean_all(&arts.snippet),
            title: clean_all(&arts.title),
            topic: &arts.topic,
            url: arts
                .url
                .iter()
                .map(|(i, u)| (*i, super::clean(u)))
                .collect(),
        },
        bins: data.bins().iter().map(|d| d.to_string()).collect(),
        events: data
            .events()
            .iter()
            .map(|e| Event {
                articles: arts.positions(members.get(&e.rank).map(Vec::as_slice).unwrap_or(&[])),
                label: super::clean(&e.label),
                peak: e.peak.to_string(),
                rank: e.rank,
                topic: e.topic(),
            })
            .collect(),
        stories: stories
            .iter()
            .map(|s| Story {
                articles: arts.positions(&s.articles),
                id: s.id,
                label: super::clean(&s.label),
            })
            .collect(),
        top: data
            .top_topics(opts.top_n())
            .iter()
            .map(|&i| data.topics()[i].id)
            .collect(),
        topics: data
            .topics()
            .iter()
            .zip(data.counts())
            .map(|(t, c)| Topic {
                color: hex(topic_color(t.id)),
                counts: c,
                id: t.id,
                label: super::clean(&t.label),
            })
            .collect(),
        totals: data.totals(),
        unit: data.unit().as_str(),
    };
    serde_json::to_string(&page)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
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
