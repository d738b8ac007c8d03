//! Topic curation without refitting: a labels file (`--labels labels.csv`) with the columns
//! `topic,label,merge_into,hide` that renames topics, merges one into another (its articles
//! counted with the other's) and hides topics from the charts and the report (their articles
//! still count in every bin's total, so shares do not change). Applied by `chart`, `analyze`'s
//! charts and the report.
//!
//! ```text
//! topic,label,merge_into,hide
//! 3,Quarterly earnings,,
//! 7,,5,
//! 12,,,yes
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::data::{ChartData, EventTopic};
use crate::{Error, Result};

/// One row of a labels file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelRow {
    /// Topic id.
    pub topic: usize,
    /// New label (none = keep).
    pub label: Option<String>,
    /// Merge this topic into that one.
    pub merge_into: Option<usize>,
    /// Leave the topic out of charts and tables.
    pub hide: bool,
}

/// The rows of a labels file, by topic id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    rows: BTreeMap<usize, LabelRow>,
}

impl Labels {
    /// Reads a labels file; errors name the line.
    pub fn read(path: &Path) -> Result<Labels> {
        let bad = |line: u64, reason: String| Error::BadFile {
            path: path.to_path_buf(),
            reason: format!("line {line}: {reason}"),
        };
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_path(path)
            .map_err(|e| bad(1, e.to_string()))?;
        let headers = rdr.headers().map_err(|e| bad(1, e.to_string()))?.clone();
        let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let Some(c_topic) = col("topic") else {
            return Err(bad(
                1,
                "missing column \"topic\" (expected topic,label,merge_into,hide)".into(),
            ));
        };
        let (c_label, c_merge, c_hide) = (col("label"), col("merge_into"), col("hide"));
        let mut rows = BTreeMap::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| bad(0, e.to_string()))?;
            let line = rec.position().map_or(0, |p| p.line());
            let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
            let topic = get(Some(c_topic)).parse::<usize>().map_err(|_| {
                bad(
                    line,
                    format!("topic {:?} is not a topic id", get(Some(c_topic))),
                )
            })?;
            let merge_into = match get(c_merge) {
                "" => None,
                m => Some(
                    m.parse::<usize>()
                        .map_err(|_| bad(line, format!("merge_into {m:?} is not a topic id")))?,
                ),
            };
            let hide = match get(c_hide).to_ascii_lowercase().as_str() {
                "" | "0" | "no" | "false" | "n" => false,
                "1" | "yes" | "true" | "y" | "x" => true,
                h => return Err(bad(line, format!("hide {h:?} is not yes or no"))),
            };
            let label = Some(get(c_label).to_string()).filter(|l| !l.is_empty());
            if merge_into == Some(topic) {
                return Err(bad(line, format!("topic {topic} is merged into itself")));
            }
            rows.insert(
                topic,
                LabelRow {
                    topic,
                    label,
                    merge_into,
                    hide,
                },
            );
        }
        Ok(Labels { rows })
    }

    /// Whether the file changes nothing.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Where topic `id`'s articles are counted: the end of its chain of merges (a cycle or a
    /// merge into an unknown topic leaves it where it is).
    pub fn target(&self, id: usize, known: &BTreeSet<usize>) -> usize {
        let mut at = id;
        let mut seen = BTreeSet::from([id]);
        while let Some(next) = self.rows.get(&at).and_then(|r| r.merge_into) {
            if !known.contains(&next) || !seen.insert(next) {
                return id;
            }
            at = next;
        }
        at
    }

    /// `data` with the renames, merges and hidden topics applied. Merged topics' counts, sizes
    /// and examples join their target's; events name the target; bin totals are unchanged.
    pub fn apply(&self, data: &ChartData) -> Result<ChartData> {
        if self.is_empty() {
            return Ok(data.clone());
        }
        let known: BTreeSet<usize> = data.topics().iter().map(|t| t.id).collect();
        let mut topics = data.topics().to_vec();
        let mut counts = data.counts().to_vec();
        let index = |id: usize| data.topic_index(id);
        let mut gone = BTreeSet::new();
        for t in data.topics() {
            let to = self.target(t.id, &known);
            if to == t.id {
                continue;
            }
            let (from_i, to_i) = (index(t.id).expect("known"), index(to).expect("known"));
            // Moved, not copied: the bin totals stay the sums of the articles.
            let moved = std::mem::replace(&mut counts[from_i], vec![0; data.bins().len()]);
            for (c, m) in counts[to_i].iter_mut().zip(moved) {
                *c += m;
            }
            topics[to_i].size += t.size;
            topics[to_i].share += t.share;
            let ex = t.examples.clone();
            topics[to_i].examples.extend(ex);
            gone.insert(t.id);
        }
        for t in &mut topics {
            if let Some(l) = self.rows.get(&t.id).and_then(|r| r.label.clone()) {
                t.label = l;
            }
        }
        let events = data
            .events()
            .iter()
            .cloned()
            .map(|mut e| {
                let mut shares: BTreeMap<usize, f64> = BTreeMap::new();
                for et in &e.topics {
                    *shares.entry(self.target(et.topic, &known)).or_default() += et.share;
                }
                let mut ts: Vec<EventTopic> = shares
                    .into_iter()
                    .map(|(topic, share)| EventTopic { topic, share })
                    .collect();
                ts.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.topic.cmp(&b.topic)));
                e.topics = ts;
                e
            })
            .collect();
        let merged =
            ChartData::new(data.unit(), data.bins().to_vec(), topics, counts)?.with_events(events);
        let keep: Vec<usize> = merged
            .topics()
            .iter()
            .map(|t| t.id)
            .filter(|id| !gone.contains(id) && !self.rows.get(id).is_some_and(|r| r.hide))
            .collect();
        if keep.is_empty() {
            return Err(Error::param(
                "--labels",
                "",
                "every topic is hidden or merged",
            ));
        }
        merged.select_topics(&keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::data::{BinUnit, TopicInfo};
    use chrono::NaiveDate;

    #[test]
    fn rename_merge_and_hide() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.csv");
        std::fs::write(
            &path,
            "topic,label,merge_into,hide\n0,Quarterly earnings,,\n2,,1,\n3,,,yes\n",
        )
        .unwrap();
        let labels = Labels::read(&path).unwrap();
        let d = NaiveDate::from_ymd_opt(2017, 1, 2).unwrap();
        let data = ChartData::new(
            BinUnit::Week,
            vec![d],
            (0..4).map(|i| TopicInfo::new(i, format!("t{i}"))).collect(),
            vec![vec![5], vec![3], vec![2], vec![1]],
        )
        .unwrap();
        let out = labels.apply(&data).unwrap();
        let ids: Vec<usize> = out.topics().iter().map(|t| t.id).collect();
        assert_eq!(ids, [0, 1]);
        assert_eq!(out.topics()[0].label, "Quarterly earnings");
        assert_eq!(out.counts(), [vec![5], vec![5]]);
        // The hidden topic still counts in the bin's total.
        assert_eq!(out.totals(), [11]);
        std::fs::write(&path, "topic,label,merge_into,hide\n0,,0,\n").unwrap();
        assert!(Labels::read(&path)
            .unwrap_err()
            .to_string()
            .contains("line 2"));
    }
}
