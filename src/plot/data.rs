//! What the charts are drawn from: [`ChartData`], built either from plain values in memory or
//! from the files `analyze` writes (`topics.json`, `timeline.csv`, `run.json`, optional
//! `events.json`), and narrowed by a [`ChartFilter`] (topic subset, date range).
//!
//! Shares are always recomputed from the integer counts (`count / all dated articles in the
//! bin`, 0 for an empty bin), so charts drawn from memory and from the saved files are identical.

use std::collections::{BTreeMap, BTreeSet};

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Width of a time bin: the one type of `timeline.csv` and `run.json`
/// ([`crate::timeline::BinUnit`]).
pub use crate::timeline::BinUnit;

/// The topics of `topics.json`: the one schema type [`crate::cluster::Topic`] (with its
/// [`TermWeight`]s and [`Example`]s), named `TopicInfo` here; see [`crate::output::topics`].
pub use crate::output::topics::{Example, TermWeight, Topic as TopicInfo};

/// A term that characterises a burst.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventTerm {
    /// Display form of the term.
    pub term: String,
    /// How distinctive it is for the burst.
    #[serde(default)]
    pub score: f64,
}

/// A headline of a burst: a plain string or an `{id, title}` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Headline {
    /// Just the title.
    Text(String),
    /// An article reference.
    Article {
        /// Article id.
        #[serde(default)]
        id: Option<String>,
        /// Headline.
        title: String,
        /// Publication date, if given.
        #[serde(default)]
        date: Option<String>,
    },
}

impl Headline {
    /// The headline text.
    pub fn title(&self) -> &str {
        match self {
            Headline::Text(t) => t,
            Headline::Article { title, .. } => title,
        }
    }
}

/// A topic's share of an event's articles (in `events.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventTopic {
    /// Topic id.
    pub topic: usize,
    /// Share of the event's articles.
    #[serde(default)]
    pub share: f64,
}

/// An event (one element of `events.json`, ranked; other fields there are ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventInfo {
    /// 1 = strongest (0 when the file has no ranks: file order then).
    #[serde(default)]
    pub rank: usize,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Day with the most of its articles.
    pub peak: NaiveDate,
    /// Strength (one scale for all events).
    #[serde(default)]
    pub score: f64,
    /// Short name (its strongest terms).
    #[serde(default)]
    pub label: String,
    /// Its terms.
    #[serde(default)]
    pub terms: Vec<EventTerm>,
    /// Representative headlines.
    #[serde(default)]
    pub headlines: Vec<Headline>,
    /// Number of its articles.
    #[serde(default)]
    pub n_articles: usize,
    /// Topics of its articles, largest share first.
    #[serde(default)]
    pub topics: Vec<EventTopic>,
}

impl EventInfo {
    /// The topic with the largest share of the event's articles.
    pub fn topic(&self) -> Option<usize> {
        self.topics.first().map(|t| t.topic)
    }
}

/// A subset of topics and a date range to chart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartFilter {
    /// Topic ids to keep (`None` = all). Unknown ids are an error.
    pub topics: Option<Vec<usize>>,
    /// Keep bins that end after this date.
    pub from: Option<NaiveDate>,
    /// Keep bins that start on or before this date.
    pub to: Option<NaiveDate>,
}

/// Topics and their article counts per time bin, ready to chart.
///
/// Invariants (checked by the constructors): bin starts strictly increase; `counts` has one row
/// per topic and one column per bin; topic ids are unique and topics are ordered by id.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    unit: BinUnit,
    bins: Vec<NaiveDate>,
    topics: Vec<TopicInfo>,
    counts: Vec<Vec<u32>>,
    /// Dated articles per bin over *all* topics, kept when topics are filtered out so shares
    /// and "other" stay relative to everything in the bin.
    totals: Vec<u32>,
    events: Vec<EventInfo>,
}

impl ChartData {
    /// Builds chart data from values in memory: `counts[t][b]` is the number of dated articles
    /// of `topics[t]` in the bin starting at `bins[b]`. `topics` must hold every topic (they are
    /// sorted by id here) so bin totals count every dated article.
    pub fn new(
        unit: BinUnit,
        bins: Vec<NaiveDate>,
        topics: Vec<TopicInfo>,
        counts: Vec<Vec<u32>>,
    ) -> Result<ChartData> {
        if counts.len() != topics.len() {
            return Err(Error::Chart(format!(
                "{} count rows for {} topics",
                counts.len(),
                topics.len()
            )));
        }
        if let Some((t, row)) = counts
            .iter()
            .enumerate()
            .find(|(_, r)| r.len() != bins.len())
        {
            return Err(Error::Chart(format!(
                "topic {} has {} counts for {} bins",
                topics[t].id,
                row.len(),
                bins.len()
            )));
        }
        if let Some(w) = bins.windows(2).find(|w| w[0] >= w[1]) {
            return Err(Error::Chart(format!(
                "bin starts are not increasing: {} then {}",
                w[0], w[1]
            )));
        }
        let mut pairs: Vec<(TopicInfo, Vec<u32>)> = topics.into_iter().zip(counts).collect();
        pairs.sort_by_key(|(t, _)| t.id);
        if let Some(w) = pairs.windows(2).find(|w| w[0].0.id == w[1].0.id) {
            return Err(Error::Chart(format!(
                "topic id {} appears twice",
                w[0].0.id
            )));
        }
        let (topics, counts): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
        let totals = (0..bins.len())
            .map(|b| counts.iter().map(|r: &Vec<u32>| r[b]).sum())
            .collect();
        Ok(ChartData {
            unit,
            bins,
            topics,
            counts,
            totals,
            events: Vec::new(),
        })
    }

    /// Adds the ranked events (markers for the charted topics, the report's "What happened").
    pub fn with_events(mut self, events: Vec<EventInfo>) -> ChartData {
        self.events = events;
        self
    }

    /// Reads `topics.json`, `timeline.csv`, `run.json` (for the bin unit; inferred from the bin
    /// spacing when absent) and, when present, `events.json` from an `analyze` output folder.
    pub fn load(out_dir: &Path) -> Result<ChartData> {
        let topics_path = out_dir.join("topics.json");
        let topics: Vec<TopicInfo> = read_json(&topics_path)?;

        let timeline_path = out_dir.join("timeline.csv");
        let rows = read_timeline(&timeline_path)?;

        let run_path = out_dir.join("run.json");
        let unit_from_run = if run_path.exists() {
            let run: serde_json::Value = read_json(&run_path)?;
            match run.pointer("/timeline/bin").and_then(|v| v.as_str()) {
                Some(s) => Some(s.parse::<BinUnit>().map_err(|_| Error::BadFile {
                    path: run_path.clone(),
                    reason: format!("timeline.bin is {s:?}, expected day, week or month"),
                })?),
                None => None,
            }
        } else {
            None
        };

        let index: BTreeMap<usize, usize> =
            topics.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        if index.len() != topics.len() {
            return Err(Error::BadFile {
                path: topics_path,
                reason: "a topic id appears twice".into(),
            });
        }
        let bins: Vec<NaiveDate> = rows
            .iter()
            .map(|r| r.bin)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let bin_index: BTreeMap<NaiveDate, usize> =
            bins.iter().enumerate().map(|(i, d)| (*d, i)).collect();
        let mut counts = vec![vec![0u32; bins.len()]; topics.len()];
        for r in &rows {
            let t = *index.get(&r.topic).ok_or_else(|| Error::BadFile {
                path: timeline_path.clone(),
                reason: format!("line {}: topic {} is not in topics.json", r.line, r.topic),
            })?;
            counts[t][bin_index[&r.bin]] = r.count;
        }
        let unit = unit_from_run.unwrap_or_else(|| BinUnit::infer(&bins));
        let data = ChartData::new(unit, bins, topics, counts)?;

        let events_path = out_dir.join("events.json");
        if events_path.exists() {
            let events: Vec<EventInfo> = read_json(&events_path)?;
            Ok(data.with_events(events))
        } else {
            Ok(data)
        }
    }

    /// A copy narrowed to `filter`. Totals per bin still count every topic.
    pub fn filtered(&self, filter: &ChartFilter) -> Result<ChartData> {
        let mut out = self.clone();
        if let Some(ids) = &filter.topics {
            out = out.select_topics(ids)?;
        }
        if filter.from.is_some() || filter.to.is_some() {
            out = out.date_range(filter.from, filter.to)?;
        }
        Ok(out)
    }

    /// Keeps the topics with these ids (in id order); an unknown id is an error.
    pub fn select_topics(&self, ids: &[usize]) -> Result<ChartData> {
        let wanted: BTreeSet<usize> = ids.iter().copied().collect();
        if wanted.is_empty() {
            return Err(Error::param("chart.topics", "", "no topic id given"));
        }
        let known: BTreeSet<usize> = self.topics.iter().map(|t| t.id).collect();
        if let Some(bad) = wanted.difference(&known).next() {
            let max = known
                .iter()
                .next_back()
                .map_or("none".to_string(), |m| format!("0..={m}"));
            return Err(Error::param(
                "chart.topics",
                bad,
                format!("no such topic (topic ids are {max})"),
            ));
        }
        let keep: Vec<usize> = (0..self.topics.len())
            .filter(|&i| wanted.contains(&self.topics[i].id))
            .collect();
        Ok(ChartData {
            unit: self.unit,
            bins: self.bins.clone(),
            topics: keep.iter().map(|&i| self.topics[i].clone()).collect(),
            counts: keep.iter().map(|&i| self.counts[i].clone()).collect(),
            totals: self.totals.clone(),
            events: self.events.clone(),
        })
    }

    /// Keeps the bins that overlap `[from, to]` (either end open). An empty result, or
    /// `from > to`, is an error.
    pub fn date_range(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<ChartData> {
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(Error::param(
                    "chart.from",
                    f,
                    format!("is after chart.to {t}"),
                ));
            }
        }
        let keep: Vec<usize> = (0..self.bins.len())
            .filter(|&b| {
                let start = self.bins[b];
                let end = self.unit.next(start); // exclusive
                from.is_none_or(|f| end > f) && to.is_none_or(|t| start <= t)
            })
            .collect();
        if keep.is_empty() {
            let span = match (self.bins.first(), self.bins.last()) {
                (Some(a), Some(b)) => format!("the timeline covers {a} to {b}"),
                _ => "the timeline is empty".to_string(),
            };
            let shown = format!(
                "{}..{}",
                from.map_or(String::new(), |d| d.to_string()),
                to.map_or(String::new(), |d| d.to_string())
            );
            return Err(Error::param(
                "chart.from",
                shown,
                format!("no time bin in range; {span}"),
            ));
        }
        let (first, last) = (
            self.bins[keep[0]],
            self.bins[*keep.last().expect("non-empty")],
        );
        let last_end = self.unit.next(last);
        Ok(ChartData {
            unit: self.unit,
            bins: keep.iter().map(|&b| self.bins[b]).collect(),
            topics: self.topics.clone(),
            counts: self
                .counts
                .iter()
                .map(|r| keep.iter().map(|&b| r[b]).collect())
                .collect(),
            totals: keep.iter().map(|&b| self.totals[b]).collect(),
            events: self
                .events
                .iter()
                .filter(|e| e.peak >= first && e.peak < last_end)
                .cloned()
                .collect(),
        })
    }

    /// Bin width.
    pub fn unit(&self) -> BinUnit {
        self.unit
    }
    /// Bin start dates, increasing.
    pub fn bins(&self) -> &[NaiveDate] {
        &self.bins
    }
    /// Topics, ordered by id.
    pub fn topics(&self) -> &[TopicInfo] {
        &self.topics
    }
    /// `counts()[t][b]`: articles of `topics()[t]` in bin `b`.
    pub fn counts(&self) -> &[Vec<u32>] {
        &self.counts
    }
    /// Dated articles per bin over all topics (including filtered-out ones).
    pub fn totals(&self) -> &[u32] {
        &self.totals
    }
    /// Bursts whose topic is charted.
    pub fn events(&self) -> &[EventInfo] {
        &self.events
    }
    /// Position of topic `id` in [`topics`](Self::topics).
    pub fn topic_index(&self, id: usize) -> Option<usize> {
        self.topics.binary_search_by_key(&id, |t| t.id).ok()
    }
    /// Share of bin `b` taken by `topics()[t]`: count / total, 0 for an empty bin.
    pub fn share(&self, t: usize, b: usize) -> f64 {
        match self.totals[b] {
            0 => 0.0,
            n => self.counts[t][b] as f64 / n as f64,
        }
    }
    /// Dated articles of `topics()[t]` over the charted bins.
    pub fn topic_total(&self, t: usize) -> u64 {
        self.counts[t].iter().map(|&c| c as u64).sum()
    }
    /// All dated articles over the charted bins.
    pub fn total(&self) -> u64 {
        self.totals.iter().map(|&c| c as u64).sum()
    }
    /// Indices (into [`topics`](Self::topics)) of the `n` topics with the most dated articles in
    /// the charted range (ties: larger `size`, then lower id), returned in id order.
    pub fn top_topics(&self, n: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.topics.len()).collect();
        idx.sort_by(|&a, &b| {
            self.topic_total(b)
                .cmp(&self.topic_total(a))
                .then(self.topics[b].size.cmp(&self.topics[a].size))
                .then(self.topics[a].id.cmp(&self.topics[b].id))
        });
        idx.truncate(n);
        idx.sort_unstable();
        idx
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| Error::BadFile {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

struct Row {
    line: u64,
    bin: NaiveDate,
    topic: usize,
    count: u32,
}

fn read_timeline(path: &Path) -> Result<Vec<Row>> {
    let bad = |reason: String| Error::BadFile {
        path: path.to_path_buf(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(std::io::BufReader::new(file));
    let headers = rdr.headers().map_err(|e| bad(e.to_string()))?.clone();
    let col = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            bad(format!(
                "line 1: missing column {name:?} (expected bin_start,topic,count,share)"
            ))
        })
    };
    let (c_bin, c_topic, c_count) = (col("bin_start")?, col("topic")?, col("count")?);
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let field = |i: usize| rec.get(i).unwrap_or("");
        let bin = NaiveDate::parse_from_str(field(c_bin), "%Y-%m-%d").map_err(|_| {
            bad(format!(
                "line {line}: bin_start {:?} is not YYYY-MM-DD",
                field(c_bin)
            ))
        })?;
        let topic = field(c_topic).parse().map_err(|_| {
            bad(format!(
                "line {line}: topic {:?} is not a topic id",
                field(c_topic)
            ))
        })?;
        let count = field(c_count).parse().map_err(|_| {
            bad(format!(
                "line {line}: count {:?} is not a whole number",
                field(c_count)
            ))
        })?;
        rows.push(Row {
            line,
            bin,
            topic,
            count,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn small() -> ChartData {
        let bins = vec![d(2017, 1, 1), d(2017, 2, 1), d(2017, 3, 1)];
        let topics = vec![TopicInfo::new(1, "b"), TopicInfo::new(0, "a")];
        ChartData::new(
            BinUnit::Month,
            bins,
            topics,
            vec![vec![1, 0, 2], vec![3, 0, 2]],
        )
        .unwrap()
    }

    #[test]
    fn shares_are_counts_over_bin_totals() {
        let c = small();
        assert_eq!(c.topics()[0].id, 0);
        assert_eq!(c.totals(), [4, 0, 4]);
        assert_eq!(c.share(0, 0), 0.75);
        assert_eq!(c.share(0, 1), 0.0);
    }

    #[test]
    fn bad_shapes_are_rejected() {
        let bins = vec![d(2017, 1, 1), d(2017, 2, 1)];
        assert!(ChartData::new(
            BinUnit::Month,
            bins.clone(),
            vec![TopicInfo::new(0, "a")],
            vec![]
        )
        .is_err());
        assert!(ChartData::new(
            BinUnit::Month,
            bins.clone(),
            vec![TopicInfo::new(0, "a")],
            vec![vec![1]]
        )
        .is_err());
        let rev = vec![d(2017, 2, 1), d(2017, 1, 1)];
        assert!(ChartData::new(
            BinUnit::Month,
            rev,
            vec![TopicInfo::new(0, "a")],
            vec![vec![1, 1]]
        )
        .is_err());
    }

    #[test]
    fn topic_filter_keeps_totals_and_rejects_unknown_ids() {
        let c = small().select_topics(&[1]).unwrap();
        assert_eq!(c.topics().len(), 1);
        assert_eq!(c.totals(), [4, 0, 4]);
        assert_eq!(c.share(0, 0), 0.25);
        let e = small().select_topics(&[7]).unwrap_err().to_string();
        assert!(e.contains("chart.topics") && e.contains('7'), "{e}");
    }

    #[test]
    fn date_filter_keeps_overlapping_bins() {
        let c = small().date_range(Some(d(2017, 2, 15)), None).unwrap();
        assert_eq!(c.bins(), [d(2017, 2, 1), d(2017, 3, 1)]);
        let c = small().date_range(None, Some(d(2017, 1, 31))).unwrap();
        assert_eq!(c.bins(), [d(2017, 1, 1)]);
        assert!(small().date_range(Some(d(2018, 1, 1)), None).is_err());
        assert!(small()
            .date_range(Some(d(2017, 3, 1)), Some(d(2017, 1, 1)))
            .is_err());
    }

    #[test]
    fn top_topics_rank_by_dated_articles_in_range() {
        assert_eq!(small().top_topics(1), [0]);
        let late = small().date_range(Some(d(2017, 3, 1)), None).unwrap();
        // Tie on counts (2 each), then size (both 0), then id.
        assert_eq!(late.top_topics(1), [0]);
        assert_eq!(small().top_topics(5), [0, 1]);
    }

    #[test]
    fn unit_is_inferred_from_spacing() {
        assert_eq!(
            BinUnit::infer(&[d(2017, 1, 1), d(2017, 2, 1)]),
            BinUnit::Month
        );
        assert_eq!(
            BinUnit::infer(&[d(2017, 1, 2), d(2017, 1, 9)]),
            BinUnit::Week
        );
        assert_eq!(
            BinUnit::infer(&[d(2017, 1, 2), d(2017, 1, 3)]),
            BinUnit::Day
        );
        assert_eq!(BinUnit::Month.next(d(2017, 1, 1)), d(2017, 2, 1));
    }

    #[test]
    fn load_reads_the_analyze_outputs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("topics.json"),
            r#"[{"id":0,"label":"Ukraine, sanctions","size":3,"share":0.6,"terms":[{"term":"Ukraine","weight":0.03}],
                "examples":[{"id":"a1","title":"T","date":null,"score":0.8}]},
               {"id":1,"label":"Gaza","size":2,"share":0.4,"terms":[],"examples":[]}]"#,
        )
        .unwrap();
        std::fs::write(
            dir.path().join("timeline.csv"),
            "bin_start,topic,count,share\n2017-01-02,0,2,0.6667\n2017-01-02,1,1,0.3333\n2017-01-09,0,0,0\n2017-01-09,1,0,0\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("run.json"),
            r#"{"timeline":{"bin":"week","first":"2017-01-02","last":"2017-01-09","n_bins":2}}"#,
        )
        .unwrap();
        std::fs::write(
            dir.path().join("events.json"),
            r#"[{"rank":1,"topics":[{"topic":0,"label":"x","share":1.0}],"start":"2017-01-02","end":"2017-01-02","peak":"2017-01-02","score":3.5,
                 "terms":[{"term":"Crimea","score":1.0}],"headlines":["One",{"id":"a1","title":"Two"}],"extra":1}]"#,
        )
        .unwrap();
        let c = ChartData::load(dir.path()).unwrap();
        assert_eq!(c.unit(), BinUnit::Week);
        assert_eq!(c.bins(), [d(2017, 1, 2), d(2017, 1, 9)]);
        assert_eq!(c.counts(), [vec![2, 0], vec![1, 0]]);
        assert_eq!(c.events().len(), 1);
        assert_eq!(c.events()[0].headlines[1].title(), "Two");
        assert_eq!(c.topics()[0].examples[0].date, None);
    }

    #[test]
    fn load_reports_the_bad_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("topics.json"),
            r#"[{"id":0,"label":"a","size":1,"share":1.0,"terms":[],"examples":[]}]"#,
        )
        .unwrap();
        std::fs::write(
            dir.path().join("timeline.csv"),
            "bin_start,topic,count,share\n2017-01-02,0,x,0\n",
        )
        .unwrap();
        let e = ChartData::load(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("timeline.csv") && e.contains("line 2") && e.contains("\"x\""),
            "{e}"
        );
        std::fs::write(
            dir.path().join("timeline.csv"),
            "bin_start,topic,count\n2017-01-02,4,1\n",
        )
        .unwrap();
        let e = ChartData::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("topic 4"), "{e}");
    }
}
