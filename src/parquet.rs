//! Parquet copies of the per-article and event tables (`analyze --parquet`, Python's
//! `write(..., format="parquet")`): `assignments.parquet`, `timeline.parquet`, `events.parquet`
//! and `stories.parquet`, through the Apache Arrow `parquet` crate.
//!
//! The columns are those of the CSV files, typed: topic ids are `int32` (null for an article
//! without topic), days are `date32`, article times `timestamp[µs, UTC]`, scores keep their full
//! precision, and what the CSV files join into one cell (terms, article ids, topics) are lists.
//! Files are Snappy-compressed (pandas', polars' and DuckDB's default codec, and a pure-Rust
//! one) and written atomically like every output.

use std::sync::Arc;

use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::Compression;
use ::parquet::file::properties::WriterProperties;
use arrow_array::builder::{Float64Builder, Int32Builder, ListBuilder, StringBuilder};
use arrow_array::{
    ArrayRef, Date32Array, Float32Array, Float64Array, Int32Array, Int64Array, RecordBatch,
    StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{Field, Schema};
use chrono::NaiveDate;

use crate::apply::Unassigned;
use crate::events::records::{EventRecord, StoryRecord};
use crate::ingest::Article;
use crate::timeline::Timeline;
use crate::{Error, Result};

/// File names, beside the CSV files of the same tables.
pub const ASSIGNMENTS: &str = "assignments.parquet";
/// See [`ASSIGNMENTS`].
pub const TIMELINE: &str = "timeline.parquet";
/// See [`ASSIGNMENTS`].
pub const EVENTS: &str = "events.parquet";
/// See [`ASSIGNMENTS`].
pub const STORIES: &str = "stories.parquet";

fn parquet_err(path: &std::path::Path, e: impl std::fmt::Display) -> Error {
    Error::io(path, std::io::Error::other(e.to_string()))
}

/// Writes the Parquet tables of an analysis into `dir` (a run's staging folder): assignments,
/// timeline and, when events were detected, events and stories. Returns the files written.
pub fn write_run(
    dir: &std::path::Path,
    a: &crate::pipeline::Analysis,
    events: Option<&crate::pipeline::Events>,
) -> Result<Vec<std::path::PathBuf>> {
    let mut files = vec![dir.join(ASSIGNMENTS), dir.join(TIMELINE)];
    write_assignments(
        &files[0],
        &a.corpus.articles,
        &a.model.assignments,
        &a.model.scores,
        None,
    )?;
    write_timeline(&files[1], &a.timeline)?;
    if let Some(e) = events {
        files.push(dir.join(EVENTS));
        write_events(&files[2], &e.events)?;
        files.push(dir.join(STORIES));
        write_stories(&files[3], &e.stories)?;
    }
    Ok(files)
}

/// Writes `columns` as one Parquet file at `path`, atomically.
fn write_batch(path: &std::path::Path, columns: Vec<(&str, ArrayRef, bool)>) -> Result<()> {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(name, a, nullable)| Field::new(*name, a.data_type().clone(), *nullable))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let arrays: Vec<ArrayRef> = columns.into_iter().map(|(_, a, _)| a).collect();
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| parquet_err(path, e))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("topictrack {}", env!("CARGO_PKG_VERSION")))
        .build();
    // ArrowWriter needs an owned `Send` sink: the file is built in memory, then written.
    let mut buf = Vec::new();
    let mut writer =
        ArrowWriter::try_new(&mut buf, schema, Some(props)).map_err(|e| parquet_err(path, e))?;
    writer.write(&batch).map_err(|e| parquet_err(path, e))?;
    writer.close().map_err(|e| parquet_err(path, e))?;
    crate::output::write_atomic(path, |w| w.write_all(&buf))
}

/// Days since 1970-01-01 (Arrow's `date32`).
fn date32(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")).num_days() as i32
}

/// `YYYY-MM-DD` as `date32` (null when it does not parse: never for the records' own days).
fn day(s: &str) -> Option<i32> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(date32)
}

fn topic_i32(t: usize) -> i32 {
    i32::try_from(t).unwrap_or(i32::MAX)
}

fn strings<'a>(it: impl Iterator<Item = &'a str>) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(it))
}

fn string_lists<'a, I, J>(rows: I) -> ArrayRef
where
    I: Iterator<Item = J>,
    J: Iterator<Item = &'a str>,
{
    let mut b = ListBuilder::new(StringBuilder::new());
    for row in rows {
        for s in row {
            b.values().append_value(s);
        }
        b.append(true);
    }
    Arc::new(b.finish())
}

fn f64_lists<I, J>(rows: I) -> ArrayRef
where
    I: Iterator<Item = J>,
    J: Iterator<Item = f64>,
{
    let mut b = ListBuilder::new(Float64Builder::new());
    for row in rows {
        for v in row {
            b.values().append_value(v);
        }
        b.append(true);
    }
    Arc::new(b.finish())
}

fn i32_lists<I, J>(rows: I) -> ArrayRef
where
    I: Iterator<Item = J>,
    J: Iterator<Item = i32>,
{
    let mut b = ListBuilder::new(Int32Builder::new());
    for row in rows {
        for v in row {
            b.values().append_value(v);
        }
        b.append(true);
    }
    Arc::new(b.finish())
}

/// `assignments.parquet`: `id, topic, date, score`, and `reason` when `reasons` is given.
/// Without `reasons` only the articles with a topic are written (as in `assignments.csv` of
/// `analyze`); with them every article is, `topic` null and `reason` set for one without topic
/// (as in `assignments.csv` of `apply`).
pub fn write_assignments(
    path: &std::path::Path,
    articles: &[Article],
    assignments: &[Option<usize>],
    scores: &[f32],
    reasons: Option<&[Option<Unassigned>]>,
) -> Result<()> {
    let rows: Vec<usize> = (0..articles.len())
        .filter(|&i| reasons.is_some() || assignments.get(i).copied().flatten().is_some())
        .collect();
    let id = strings(rows.iter().map(|&i| articles[i].id.as_str()));
    let topic: Int32Array = rows
        .iter()
        .map(|&i| assignments.get(i).copied().flatten().map(topic_i32))
        .collect();
    let date = TimestampMicrosecondArray::from(
        rows.iter()
            .map(|&i| articles[i].date.map(|d| d.timestamp_micros()))
            .collect::<Vec<_>>(),
    )
    .with_timezone("UTC");
    let score: Float32Array = rows
        .iter()
        .map(|&i| scores.get(i).copied().unwrap_or(0.0))
        .collect();
    let mut columns = vec![
        ("id", id, false),
        ("topic", Arc::new(topic) as ArrayRef, true),
        ("date", Arc::new(date) as ArrayRef, true),
        ("score", Arc::new(score) as ArrayRef, false),
    ];
    if let Some(reasons) = reasons {
        let reason: StringArray = rows
            .iter()
            .map(|&i| reasons.get(i).copied().flatten().map(|r| r.as_str()))
            .collect();
        columns.push(("reason", Arc::new(reason), true));
    }
    write_batch(path, columns)
}

/// `timeline.parquet`: `bin_start, topic, count, share`, one row per bin and topic.
pub fn write_timeline(path: &std::path::Path, tl: &Timeline) -> Result<()> {
    let k = tl.counts.len();
    let n = tl.bins.len() * k;
    let (mut bin, mut topic, mut count, mut share) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (b, start) in tl.bins.iter().enumerate() {
        for (t, counts) in tl.counts.iter().enumerate() {
            bin.push(date32(*start));
            topic.push(topic_i32(t));
            count.push(i64::from(counts[b]));
            share.push(tl.share(t, b));
        }
    }
    write_batch(
        path,
        vec![
            ("bin_start", Arc::new(Date32Array::from(bin)), false),
            ("topic", Arc::new(Int32Array::from(topic)), false),
            ("count", Arc::new(Int64Array::from(count)), false),
            ("share", Arc::new(Float64Array::from(share)), false),
        ],
    )
}

/// `events.parquet`: one row per event, strongest first; `topic` is its largest topic.
pub fn write_events(path: &std::path::Path, events: &[EventRecord]) -> Result<()> {
    let days = |f: fn(&EventRecord) -> &str| -> ArrayRef {
        Arc::new(events.iter().map(|e| day(f(e))).collect::<Date32Array>())
    };
    write_batch(
        path,
        vec![
            (
                "rank",
                Arc::new(events.iter().map(|e| e.rank as i64).collect::<Int64Array>()),
                false,
            ),
            ("peak", days(|e| &e.peak), false),
            ("start", days(|e| &e.start), false),
            ("end", days(|e| &e.end), false),
            (
                "score",
                Arc::new(events.iter().map(|e| e.score).collect::<Float64Array>()),
                false,
            ),
            (
                "label",
                strings(events.iter().map(|e| e.label.as_str())),
                false,
            ),
            (
                "terms",
                string_lists(
                    events
                        .iter()
                        .map(|e| e.terms.iter().map(|t| t.term.as_str())),
                ),
                false,
            ),
            (
                "term_scores",
                f64_lists(events.iter().map(|e| e.terms.iter().map(|t| t.score))),
                false,
            ),
            (
                "n_articles",
                Arc::new(
                    events
                        .iter()
                        .map(|e| e.n_articles as i64)
                        .collect::<Int64Array>(),
                ),
                false,
            ),
            (
                "topic",
                Arc::new(
                    events
                        .iter()
                        .map(|e| e.topics.first().map(|t| topic_i32(t.topic)))
                        .collect::<Int32Array>(),
                ),
                true,
            ),
            (
                "topics",
                i32_lists(
                    events
                        .iter()
                        .map(|e| e.topics.iter().map(|t| topic_i32(t.topic))),
                ),
                false,
            ),
            (
                "topic_shares",
                f64_lists(events.iter().map(|e| e.topics.iter().map(|t| t.share))),
                false,
            ),
            (
                "headlines",
                string_lists(
                    events
                        .iter()
                        .map(|e| e.headlines.iter().map(|h| h.title.as_str())),
                ),
                false,
            ),
            (
                "headline_ids",
                string_lists(
                    events
                        .iter()
                        .map(|e| e.headlines.iter().map(|h| h.id.as_str())),
                ),
                false,
            ),
            (
                "articles",
                string_lists(events.iter().map(|e| e.articles.iter().map(String::as_str))),
                false,
            ),
        ],
    )
}

/// `stories.parquet`: one row per story.
pub fn write_stories(path: &std::path::Path, stories: &[StoryRecord]) -> Result<()> {
    let days = |f: fn(&StoryRecord) -> Option<&str>| -> ArrayRef {
        Arc::new(
            stories
                .iter()
                .map(|s| f(s).and_then(day))
                .collect::<Date32Array>(),
        )
    };
    write_batch(
        path,
        vec![
            (
                "story",
                Arc::new(stories.iter().map(|s| s.id as i64).collect::<Int64Array>()),
                false,
            ),
            (
                "size",
                Arc::new(
                    stories
                        .iter()
                        .map(|s| s.size as i64)
                        .collect::<Int64Array>(),
                ),
                false,
            ),
            ("start", days(|s| Some(&s.start)), false),
            ("end", days(|s| Some(&s.end)), false),
            (
                "topic",
                Arc::new(
                    stories
                        .iter()
                        .map(|s| s.topic.map(topic_i32))
                        .collect::<Int32Array>(),
                ),
                true,
            ),
            (
                "topic_share",
                Arc::new(
                    stories
                        .iter()
                        .map(|s| s.topic_share.map(f64::from))
                        .collect::<Float64Array>(),
                ),
                true,
            ),
            (
                "label",
                strings(stories.iter().map(|s| s.label.as_str())),
                false,
            ),
            (
                "terms",
                string_lists(
                    stories
                        .iter()
                        .map(|s| s.terms.iter().map(|t| t.term.as_str())),
                ),
                false,
            ),
            (
                "first_id",
                strings(stories.iter().map(|s| s.first.id.as_str())),
                false,
            ),
            (
                "first_title",
                strings(stories.iter().map(|s| s.first.title.as_str())),
                false,
            ),
            ("first_date", days(|s| s.first.date.as_deref()), true),
            (
                "articles",
                string_lists(
                    stories
                        .iter()
                        .map(|s| s.articles.iter().map(String::as_str)),
                ),
                false,
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use arrow_array::Array;

    fn read(path: &std::path::Path) -> RecordBatch {
        let file = std::fs::File::open(path).unwrap();
        let mut r = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        r.next().unwrap().unwrap()
    }

    fn article(id: &str, day: Option<&str>) -> Article {
        Article {
            id: id.to_string(),
            date: day.map(|d| {
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .unwrap()
                    .and_hms_opt(12, 0, 0)
                    .unwrap()
                    .and_utc()
            }),
            title: String::new(),
            text: "x".to_string(),
            labels: Vec::new(),
            group: None,
            input: 0,
            line: 1,
            vector: None,
        }
    }

    #[test]
    fn date32_counts_days_from_1970() {
        assert_eq!(date32(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()), 0);
        assert_eq!(date32(NaiveDate::from_ymd_opt(1970, 2, 1).unwrap()), 31);
        assert_eq!(date32(NaiveDate::from_ymd_opt(1969, 12, 31).unwrap()), -1);
        assert_eq!(day("2025-04-10"), Some(20188));
        assert_eq!(day("nope"), None);
    }

    #[test]
    fn assignments_keep_topics_nulls_and_times() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(ASSIGNMENTS);
        let arts = [
            article("a", Some("2025-04-10")),
            article("b", None),
            article("c", None),
        ];
        let topics = [Some(2), None, Some(0)];
        let scores = [0.5f32, 0.0, 0.25];
        write_assignments(&path, &arts, &topics, &scores, None).unwrap();
        let b = read(&path);
        // Without reasons, the article without topic is left out (as in assignments.csv).
        assert_eq!(b.num_rows(), 2);
        let ids = b.column(0).as_any().downcast_ref::<StringArray>().unwrap();
        assert_eq!((ids.value(0), ids.value(1)), ("a", "c"));
        let dates = b
            .column(2)
            .as_any()
            .downcast_ref::<TimestampMicrosecondArray>()
            .unwrap();
        // 2025-04-10T12:00:00Z = 20188 days + 12 h.
        assert_eq!(dates.value(0), (20188 * 86_400 + 12 * 3600) * 1_000_000);
        assert!(dates.is_null(1));

        let reasons = [None, Some(Unassigned::NoTerms), None];
        write_assignments(&path, &arts, &topics, &scores, Some(&reasons)).unwrap();
        let b = read(&path);
        assert_eq!(b.num_rows(), 3);
        let t = b.column(1).as_any().downcast_ref::<Int32Array>().unwrap();
        assert_eq!((t.value(0), t.is_null(1), t.value(2)), (2, true, 0));
        assert_eq!(b.schema().field(4).name(), "reason");
    }

    #[test]
    fn timeline_rows_are_bins_times_topics() {
        let d = |s| {
            Some(
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
                    .and_utc(),
            )
        };
        let dates = [d("2025-01-01"), d("2025-01-02"), d("2025-01-02")];
        let tl = Timeline::build(
            &dates,
            &[Some(0), Some(1), Some(1)],
            2,
            crate::timeline::BinUnit::Day,
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(TIMELINE);
        write_timeline(&path, &tl).unwrap();
        let b = read(&path);
        assert_eq!(b.num_rows(), 4);
        let count = b.column(2).as_any().downcast_ref::<Int64Array>().unwrap();
        assert_eq!(count.values().to_vec(), vec![1, 0, 0, 2]);
        let share = b.column(3).as_any().downcast_ref::<Float64Array>().unwrap();
        assert_eq!(share.values().to_vec(), vec![1.0, 0.0, 0.0, 1.0]);
    }
}
