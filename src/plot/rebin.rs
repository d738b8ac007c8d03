//! Chart data at another bin width than the analysis used (`topictrack chart --bin`): the
//! counts are recomputed from each article's date and topic in `assignments.csv`, so a
//! three-week range of a weekly analysis can be charted by day.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use super::data::{BinUnit, ChartData};
use crate::{Error, Result};

/// `data` (its topics and events) with counts per bin of `unit`, from the `topic` and `date`
/// columns of `assignments` (`id,topic,date,score`; undated rows and topics not in `data`
/// skipped). Bins run without gaps from the first dated article's to the last one's; `auto`
/// resolves from that span as `analyze` does ([`BinUnit::resolve`]).
pub fn rebin(data: &ChartData, assignments: &Path, unit: BinUnit) -> Result<ChartData> {
    let bad = |reason: String| Error::BadFile {
        path: assignments.to_path_buf(),
        reason,
    };
    let mut rdr = csv::Reader::from_path(assignments).map_err(|e| bad(e.to_string()))?;
    let headers = rdr.headers().map_err(|e| bad(e.to_string()))?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| bad(format!("line 1: missing column {name:?}")))
    };
    let (c_topic, c_date) = (col("topic")?, col("date")?);
    let mut dated: Vec<(NaiveDate, usize)> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let (Some(topic), Some(date)) = (
            rec.get(c_topic)
                .and_then(|t| t.trim().parse::<usize>().ok()),
            rec.get(c_date)
                .and_then(|d| d.get(..10))
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        ) else {
            continue;
        };
        let Some(t) = data.topic_index(topic) else {
            continue;
        };
        dated.push((date, t));
    }
    let unit = match (
        dated.iter().map(|x| x.0).min(),
        dated.iter().map(|x| x.0).max(),
    ) {
        (Some(first), Some(last)) => unit.resolve(first, last),
        _ => unit.resolve(NaiveDate::MIN, NaiveDate::MIN),
    };
    let mut per: BTreeMap<(NaiveDate, usize), u32> = BTreeMap::new();
    for (date, t) in dated {
        *per.entry((unit.floor(date), t)).or_default() += 1;
    }
    let mut bins = Vec::new();
    if let (Some(&(first, _)), Some(&(last, _))) = (per.keys().next(), per.keys().next_back()) {
        let mut d = first;
        while d <= last {
            bins.push(d);
            d = unit.next(d);
        }
    }
    let index: BTreeMap<NaiveDate, usize> = bins.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let mut counts = vec![vec![0u32; bins.len()]; data.topics().len()];
    for ((d, t), n) in per {
        counts[t][index[&d]] = n;
    }
    Ok(ChartData::new(unit, bins, data.topics().to_vec(), counts)?
        .with_events(data.events().to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::data::TopicInfo;

    #[test]
    fn weekly_data_rebinned_by_day() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("assignments.csv");
        std::fs::write(
            &path,
            "id,topic,date,score\na,0,2017-01-02T10:00:00Z,0.9\nb,1,2017-01-04,0.8\nc,0,2017-01-04,0.7\nd,0,,0.5\ne,,2017-01-03,\n",
        )
        .unwrap();
        let d = |day| NaiveDate::from_ymd_opt(2017, 1, day).unwrap();
        let weekly = ChartData::new(
            BinUnit::Week,
            vec![d(2)],
            vec![TopicInfo::new(0, "a"), TopicInfo::new(1, "b")],
            vec![vec![3], vec![1]],
        )
        .unwrap();
        let daily = rebin(&weekly, &path, BinUnit::Day).unwrap();
        assert_eq!(daily.bins(), [d(2), d(3), d(4)]);
        assert_eq!(daily.counts(), [vec![1, 0, 1], vec![0, 0, 1]]);
        assert_eq!(
            rebin(&weekly, &path, BinUnit::Auto).unwrap().bins(),
            daily.bins()
        );
    }
}
