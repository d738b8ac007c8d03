//! `assignments.csv`: `id,topic,date,score` for `analyze` (one row per article with a topic;
//! `date` RFC 3339 UTC or empty), with a fifth column `reason` for `apply` and `track report`
//! (every article; `topic` empty and `reason` `no_terms` or `low_score` for one that fits no
//! topic). Ids pass through [`spreadsheet_safe`]. [`read_topics_by_id`] is the one reader.

use std::collections::HashMap;
use std::path::Path;

use super::{spreadsheet_safe, write_atomic};
use crate::ingest::Article;
use crate::{Error, Result};

/// The column after `score`, if any.
enum Fifth<'a> {
    /// `analyze`: none; only articles with a topic.
    None,
    /// `apply`, `track report`: every article, with why it has no topic.
    Reason(&'a [Option<crate::apply::Unassigned>]),
    /// `compare`: the article's collection (by article index); only articles with a topic.
    Collection(&'a dyn Fn(usize) -> &'a str),
}

/// The one writer of `assignments.csv`; returns how many ids were prefixed by
/// [`spreadsheet_safe`] (the ids of `apply` and `track report` are written as they are).
fn write_rows(
    path: &Path,
    articles: &[Article],
    assignments: &[Option<usize>],
    scores: &[f32],
    fifth: Fifth<'_>,
) -> Result<usize> {
    let mut escaped = 0;
    write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        match fifth {
            Fifth::None => csv.write_record(HEADER)?,
            Fifth::Reason(_) => csv.write_record(HEADER.iter().chain(&["reason"]))?,
            Fifth::Collection(_) => csv.write_record(HEADER.iter().chain(&["collection"]))?,
        }
        for (i, ((a, t), s)) in articles.iter().zip(assignments).zip(scores).enumerate() {
            let date = a
                .date
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default();
            let score = format!("{s:.4}");
            match &fifth {
                Fifth::Reason(reasons) => {
                    let topic = t.map(|t| t.to_string()).unwrap_or_default();
                    let reason = reasons[i].map(|r| r.as_str()).unwrap_or_default();
                    csv.write_record([a.id.as_str(), &topic, &date, &score, reason])?;
                }
                Fifth::None | Fifth::Collection(_) => {
                    let Some(t) = t else { continue };
                    let id = spreadsheet_safe(&a.id);
                    escaped += usize::from(id.len() != a.id.len());
                    let t = t.to_string();
                    let mut row = vec![id.as_ref(), &t, &date, &score];
                    let coll;
                    if let Fifth::Collection(of) = &fifth {
                        coll = spreadsheet_safe(of(i));
                        row.push(coll.as_ref());
                    }
                    csv.write_record(row)?;
                }
            }
        }
        csv.flush()
    })?;
    Ok(escaped)
}

/// The first four columns.
pub const HEADER: [&str; 4] = ["id", "topic", "date", "score"];

/// `assignments.csv` of `analyze`; returns how many ids were prefixed by [`spreadsheet_safe`]
/// (the caller says so: such ids no longer match the input's).
pub fn write_assignments(
    path: &Path,
    articles: &[Article],
    assignments: &[Option<usize>],
    scores: &[f32],
) -> Result<usize> {
    write_rows(path, articles, assignments, scores, Fifth::None)
}

/// `assignments.csv` of `apply` and `track report`: every article, `id,topic,date,score,reason`,
/// with `topic` empty and `reason` (`no_terms`, `low_score`) for an article that fits no topic
/// (`score` is then its cosine to the nearest centre).
pub fn write_assignments_marked(
    path: &Path,
    articles: &[Article],
    assignments: &[Option<usize>],
    scores: &[f32],
    reasons: &[Option<crate::apply::Unassigned>],
) -> Result<()> {
    write_rows(path, articles, assignments, scores, Fifth::Reason(reasons)).map(|_| ())
}

/// `assignments.csv` of `compare`: as `analyze` writes it, plus the name of each article's
/// collection (`collection_of(article index)`, empty for none); returns how many ids were
/// prefixed by [`spreadsheet_safe`].
pub fn write_assignments_collections<'a>(
    path: &Path,
    articles: &[Article],
    assignments: &[Option<usize>],
    scores: &[f32],
    collection_of: &'a dyn Fn(usize) -> &'a str,
) -> Result<usize> {
    write_rows(
        path,
        articles,
        assignments,
        scores,
        Fifth::Collection(collection_of),
    )
}

/// The topic of each of `articles` from an `assignments.csv` (of `analyze`, `compare`, `apply`
/// or `track report`), matched by id as written ([`spreadsheet_safe`]); `None` for an article
/// the file does not list or lists without a topic. A topic id of `k` or more (when `k` is
/// given) or a row that is not `id,topic,...` is an error naming the line.
pub fn read_topics_by_id(
    path: &Path,
    articles: &[Article],
    k: Option<usize>,
) -> Result<Vec<Option<usize>>> {
    let bad = |line: usize, reason: String| Error::BadFile {
        path: path.to_path_buf(),
        reason: format!("line {line}: {reason}"),
    };
    let mut rdr = csv::Reader::from_path(path).map_err(|e| match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(path, io),
        other => bad(1, format!("{other:?}")),
    })?;
    let mut topic_of: HashMap<String, usize> = HashMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| bad(line, e.to_string()))?;
        let cell = rec.get(1).unwrap_or_default();
        if cell.is_empty() && rec.len() >= 5 {
            // `apply` and `track report` list articles without a topic too.
            continue;
        }
        let t: usize = cell
            .parse()
            .ok()
            .filter(|&t| k.is_none_or(|k| t < k))
            .ok_or_else(|| bad(line, "bad topic".to_string()))?;
        topic_of.insert(rec.get(0).unwrap_or_default().to_string(), t);
    }
    Ok(articles
        .iter()
        .map(|a| topic_of.get(spreadsheet_safe(&a.id).as_ref()).copied())
        .collect())
}
