//! `timeline.csv`: `bin_start,topic,count,share`, one row per (bin, topic), bins contiguous.
//! [`write_timeline`] writes it from a [`Timeline`]; [`read_timeline`] is the one reader.

use std::path::Path;

use super::write_atomic;
use crate::timeline::Timeline;
use crate::Result;

/// `timeline.csv`.
pub fn write_timeline(path: &Path, tl: &Timeline) -> Result<()> {
    write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["bin_start", "topic", "count", "share"])?;
        for (b, start) in tl.bins.iter().enumerate() {
            let start = start.format("%Y-%m-%d").to_string();
            for t in 0..tl.counts.len() {
                let share = format!("{:.6}", tl.share(t, b));
                csv.write_record([
                    start.as_str(),
                    &t.to_string(),
                    &tl.counts[t][b].to_string(),
                    &share,
                ])?;
            }
        }
        csv.flush()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_csv_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        let tl = Timeline {
            unit: crate::timeline::BinUnit::Day,
            bins: vec![
                chrono::NaiveDate::from_ymd_opt(2017, 5, 10).unwrap(),
                chrono::NaiveDate::from_ymd_opt(2017, 5, 11).unwrap(),
            ],
            counts: vec![vec![1, 0], vec![3, 0]],
            totals: vec![4, 0],
            article_bins: vec![],
        };
        write_timeline(&p, &tl).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "bin_start,topic,count,share\n2017-05-10,0,1,0.250000\n2017-05-10,1,3,0.750000\n2017-05-11,0,0,0.000000\n2017-05-11,1,0,0.000000\n"
        );
    }
}
