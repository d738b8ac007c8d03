//! Stage 1: reading article collections.
//!
//! Inputs are JSON Lines, CSV (with a header row) or folders of `.txt` files; files may be
//! gzip-compressed (detected by the magic bytes `1f 8b`, not by name) and `-` reads standard
//! input. Every input becomes a list of [`Article`]s in input order.
//!
//! Bad input never panics and never vanishes silently: each malformed line, invalid UTF-8 record,
//! record without text, record over [`ReadOptions::max_record_bytes`], unparseable or implausible
//! date ([`date::plausible`]) or duplicate id becomes a [`Problem`] naming `file:line` and the
//! reason, is counted in the [`IngestReport`], and reading goes on (undated articles are kept:
//! they get topics but stay out of the timeline; duplicates keep the first occurrence).
//! With [`ReadOptions::strict`] the first problem is returned as [`Error::BadRecord`] instead.
//!
//! Field mapping: see [`FieldMap`] for the names tried when no field is given explicitly.

pub mod date;
pub mod fingerprint;
mod readers;
pub mod vectors;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// One article as the rest of the pipeline sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Identifier, unique in the corpus (from the id field, else `file:line`).
    pub id: String,
    /// Publication time in UTC, when one was given and parsed.
    pub date: Option<DateTime<Utc>>,
    /// Headline (may be empty).
    pub title: String,
    /// Body text (never empty together with the title: such records are skipped).
    pub text: String,
    /// Gold labels from `--label-field` (empty when none; several for multi-label corpora).
    pub labels: Vec<String>,
    /// Group value from `--by FIELD` (e.g. the outlet), used by `compare`.
    pub group: Option<String>,
    /// Index of the input (in [`IngestReport::inputs`]) the article came from.
    pub input: u32,
    /// 1-based line (JSONL, CSV: the record's first line; text folders: 1).
    pub line: u64,
    /// The record's own document vector ([`FieldMap::vector`] or [`ReadOptions::vectors_file`]),
    /// used instead of LSA; taken out by the pipeline once the embedding is built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector: Option<Box<[f32]>>,
}

/// Characters of a body kept by [`Article::shrink_text`] (a display snippet).
pub const SNIPPET_CHARS: usize = 160;

impl Article {
    /// Cuts the body once it has been analysed to its first words, up to just over
    /// [`SNIPPET_CHARS`] characters: the report's snippet of a titled article, and what
    /// [`display_title`](crate::cluster::display_title) shows for an untitled one (its first 80).
    /// At 1M articles the whole bodies were a quarter of the peak memory of `analyze`.
    pub fn shrink_text(&mut self) {
        // End of the first words whose whitespace-collapsed length exceeds SNIPPET_CHARS.
        let mut chars = 0usize;
        let mut end = self.text.len();
        let base = self.text.as_ptr() as usize;
        for w in self.text.split_whitespace() {
            chars += w.chars().count() + usize::from(chars > 0);
            if chars > SNIPPET_CHARS {
                end = w.as_ptr() as usize - base + w.len();
                break;
            }
        }
        self.text.truncate(end);
        self.text.shrink_to_fit();
    }

    /// Title and text as one string, the way the text stage analyses it.
    pub fn full_text(&self) -> String {
        if self.title.is_empty() {
            self.text.clone()
        } else {
            format!("{}\n{}", self.title, self.text)
        }
    }
}

/// Which fields hold what. `None` / empty means "try the usual names", in this order:
/// - text: `title` + the first of `text`, `body`, `content`, `article`, `description`, `summary`
///   (titles are also found as `headline`, `subject`);
/// - date: `date`, `published`, `publish_date`, `published_at`, `pubDate`, `timestamp`,
///   `datetime`, `created_at`, `time`;
/// - id: `id`, `uuid`, `guid`, `doc_id`, `url`, `link`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldMap {
    /// Fields whose values are joined (newline-separated) into the analysed text; the first is
    /// shown as the title when no title field exists.
    pub text: Vec<String>,
    /// Date field.
    pub date: Option<String>,
    /// Id field.
    pub id: Option<String>,
    /// Gold label field (a string, or a list of strings).
    pub label: Option<String>,
    /// Grouping field (e.g. `source`).
    pub group: Option<String>,
    /// Field holding a document vector per record (sentence embeddings the user already has):
    /// a JSON array of numbers, or in CSV a string of numbers separated by commas, spaces or
    /// semicolons (brackets allowed). When set, these vectors replace LSA: a record without a
    /// readable vector is skipped, and so is one whose length differs from the first kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector: Option<String>,
}

pub(crate) const TITLE_NAMES: &[&str] = &["title", "headline", "subject"];
pub(crate) const BODY_NAMES: &[&str] = &[
    "text",
    "body",
    "content",
    "article",
    "description",
    "summary",
];
pub(crate) const DATE_NAMES: &[&str] = &[
    "date",
    "published",
    "publish_date",
    "published_at",
    "pubDate",
    "timestamp",
    "datetime",
    "created_at",
    "time",
];
pub(crate) const ID_NAMES: &[&str] = &["id", "uuid", "guid", "doc_id", "url", "link"];

/// Input format; [`InputFormat::Auto`] decides from the name, then from the content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// `.jsonl`, `.ndjson`, `.json` → JSON Lines; `.csv`/`.tsv` → CSV; a folder → text files;
    /// otherwise the first byte decides (`{` → JSON Lines, else CSV).
    #[default]
    Auto,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// A folder of `.txt` files: first line = title, a `YYYY-MM-DD` in the name = date.
    Txt,
}

/// Default of [`ReadOptions::max_record_bytes`]: 64 MiB, far above any real article (the
/// longest of 20 Newsgroups is 160 kB) and small enough that a few records in flight fit in
/// memory.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 64 << 20;

fn default_max_record_bytes() -> u64 {
    DEFAULT_MAX_RECORD_BYTES
}

/// How to read the inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadOptions {
    /// Field mapping.
    pub fields: FieldMap,
    /// A chrono `strftime` format tried before the built-in forms (which are still tried).
    pub date_format: Option<String>,
    /// Format of every input (default: detect).
    pub format: InputFormat,
    /// Make the first problem an error.
    pub strict: bool,
    /// Largest record read (a JSON line, a CSV record, a text file; decompressed size): a larger
    /// one is skipped, as "record too large", without ever being held in memory whole, so a
    /// gzip bomb or a file without line breaks cannot exhaust memory. Default
    /// [`DEFAULT_MAX_RECORD_BYTES`].
    #[serde(default = "default_max_record_bytes")]
    pub max_record_bytes: u64,
    /// A NumPy `.npy` file (2-D, float32 or float64, C order) of document vectors, one row per
    /// article kept, in reading order; used instead of LSA like [`FieldMap::vector`]. A row count
    /// that differs from the articles kept is an error, never a silent misalignment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vectors_file: Option<std::path::PathBuf>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            fields: FieldMap::default(),
            date_format: None,
            format: InputFormat::Auto,
            strict: false,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            vectors_file: None,
        }
    }
}

/// What went wrong with one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The record was skipped (malformed, not UTF-8, no text).
    Skipped,
    /// The record was kept but its date could not be read.
    BadDate,
    /// A later record with an id already seen; skipped.
    Duplicate,
    /// An article kept but left without a topic: none of its words is in the vocabulary.
    NoTopic,
}

impl ProblemKind {
    /// Name in `problems.csv`.
    pub fn name(self) -> &'static str {
        match self {
            ProblemKind::Skipped => "skipped",
            ProblemKind::BadDate => "bad_date",
            ProblemKind::Duplicate => "duplicate",
            ProblemKind::NoTopic => "no_topic",
        }
    }
}

/// One problem found while reading, with its place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Input name as given.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// Kind.
    pub kind: ProblemKind,
    /// Human-readable reason.
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

/// Per-input counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InputSummary {
    /// Name as given (`-` for stdin).
    pub name: String,
    /// Format used.
    pub format: InputFormat,
    /// Whether it was gzip-compressed.
    pub gzip: bool,
    /// Records seen (non-blank lines / CSV records / files).
    pub records: u64,
    /// Articles kept from this input.
    pub articles: u64,
    /// Absolute path, size and content hash, to recognise the input later (set by the commands
    /// that write `run.json`; absent for standard input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<fingerprint::Fingerprint>,
    /// When no article could be read from this input: what it probably is instead (a JSON
    /// array, TSV read as CSV, UTF-16, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// What reading did, counted over all inputs; in [`IngestReport`] and in `run.json`'s counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadCounts {
    /// Records seen in all inputs.
    pub read: u64,
    /// Articles kept.
    pub articles: u64,
    /// Records skipped as unreadable (malformed, invalid UTF-8, no text).
    pub skipped: u64,
    /// Kept articles without a usable date (missing or unparseable).
    pub undated: u64,
    /// Of those, the ones whose date was present but unparseable.
    pub bad_dates: u64,
    /// Records skipped because their id was seen before.
    pub duplicates: u64,
}

/// What reading did: counts and every problem.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestReport {
    /// One entry per input, in order.
    pub inputs: Vec<InputSummary>,
    /// What was read, kept and skipped, over all inputs (flattened: its keys sit directly in
    /// the report's JSON).
    #[serde(flatten)]
    pub counts: ReadCounts,
    /// Skip counts by reason (the reason's first words), for the summary.
    pub skip_reasons: BTreeMap<String, u64>,
    /// Every problem, in input order.
    pub problems: Vec<Problem>,
    /// Length of the articles' own document vectors, when they were read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector_dims: Option<usize>,
}

impl IngestReport {
    /// Why nothing could be read: per input, the likely cause ([`InputSummary::hint`]) or the
    /// most frequent skip reason.
    pub fn nothing_read(&self) -> String {
        let mut parts = Vec::new();
        for i in &self.inputs {
            if let Some(h) = &i.hint {
                parts.push(format!("{}: {h}", i.name));
            }
        }
        if parts.is_empty() {
            if let Some((reason, n)) = self.skip_reasons.iter().max_by_key(|(_, n)| **n) {
                parts.push(format!("most were skipped as {reason} ({n})"));
            }
        }
        format!(
            "no article could be read from {} ({} records, {} skipped){}",
            self.inputs
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            self.counts.read,
            self.counts.skipped,
            if parts.is_empty() {
                String::new()
            } else {
                format!("; {}", parts.join("; "))
            }
        )
    }

    /// Adds a [`ProblemKind::NoTopic`] problem for each article without a topic
    /// (`assignments[i]` is `None`), so that no article leaves the outputs unreported.
    pub fn note_without_topic(&mut self, articles: &[Article], assignments: &[Option<usize>]) {
        for (a, t) in articles.iter().zip(assignments) {
            if t.is_none() {
                let file = self
                    .inputs
                    .get(a.input as usize)
                    .map(|i| i.name.clone())
                    .unwrap_or_default();
                self.problems.push(Problem {
                    file,
                    line: a.line,
                    kind: ProblemKind::NoTopic,
                    reason: format!(
                        "article {:?} kept without a topic: none of its words is in the \
                         vocabulary (stop words, numbers, 1-character words and terms outside \
                         --min-df/--max-df are left out)",
                        a.id
                    ),
                });
            }
        }
    }
}

/// The articles of all inputs and the report of reading them.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Articles in input order, ids unique.
    pub articles: Vec<Article>,
    /// What happened while reading.
    pub report: IngestReport,
}

/// One record as a reader produced it, before de-duplication.
pub(crate) enum Parsed {
    /// An article (maybe with a date problem to report).
    Article(Box<Article>, Option<String>),
    /// A record to skip, with the reason.
    Skip(String),
}

/// The `.txt` and `.txt.gz` files under folder `dir`, as the text-folder reader finds them
/// (unsorted).
pub fn text_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    readers::collect_txt(dir, out)
}

/// Reads every input (paths, `-` for stdin) and returns the corpus.
pub fn read_inputs(inputs: &[String], opts: &ReadOptions) -> Result<Corpus> {
    let mut articles = Vec::new();
    let report = read_inputs_with(inputs, opts, ReadMode::Whole, &mut |batch| {
        articles.extend(batch);
        Ok(())
    })?;
    let mut corpus = Corpus { articles, report };
    if let Some(path) = &opts.vectors_file {
        vectors::attach(&mut corpus, path)?;
    }
    Ok(corpus)
}

/// How [`read_inputs_with`] hands the articles on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadMode {
    /// Parse on the rayon pool; hand on the articles of each input in large batches.
    Whole,
    /// Parse on the calling thread (never on the rayon pool) and hand on batches of this many
    /// articles as soon as they are read, so that a consumer on the pool can analyse them while
    /// reading goes on. Reading must not wait on the pool then: a consumer blocked on the next
    /// batch inside a pool task would otherwise wait for itself.
    Streaming(usize),
}

/// Reads every input, handing the kept articles to `on_batch` in input order (batches as set
/// by `mode`); returns the report. An error from `on_batch` stops reading and is returned.
pub fn read_inputs_with(
    inputs: &[String],
    opts: &ReadOptions,
    mode: ReadMode,
    on_batch: &mut dyn FnMut(Vec<Article>) -> Result<()>,
) -> Result<IngestReport> {
    if inputs.is_empty() {
        return Err(Error::param(
            "INPUT",
            "(none)",
            "give at least one input file, folder or -",
        ));
    }
    if let Some(fmt) = &opts.date_format {
        date::check_format(fmt)?;
    }
    read_sources(
        inputs.iter().map(|n| (n.as_str(), None)).collect(),
        opts,
        mode,
        on_batch,
    )
}

/// Reads one JSON Lines or CSV stream (gzip detected by content; the format from `name`'s
/// extension, else from the first byte, unless [`ReadOptions::format`] says) named `name` in
/// problems and ids, e.g. data received over a network or held in memory.
pub fn read_stream(
    name: &str,
    reader: Box<dyn std::io::Read + Send>,
    opts: &ReadOptions,
) -> Result<Corpus> {
    if let Some(fmt) = &opts.date_format {
        date::check_format(fmt)?;
    }
    let mut articles = Vec::new();
    let report = read_sources(
        vec![(name, Some(reader))],
        opts,
        ReadMode::Whole,
        &mut |batch| {
            articles.extend(batch);
            Ok(())
        },
    )?;
    let mut corpus = Corpus { articles, report };
    if let Some(path) = &opts.vectors_file {
        vectors::attach(&mut corpus, path)?;
    }
    Ok(corpus)
}

/// An input: its name, and the stream to read when it is not to be opened by name.
type Source<'a> = (&'a str, Option<Box<dyn std::io::Read + Send>>);

fn read_sources(
    sources: Vec<Source<'_>>,
    opts: &ReadOptions,
    mode: ReadMode,
    on_batch: &mut dyn FnMut(Vec<Article>) -> Result<()>,
) -> Result<IngestReport> {
    let batch_size = match mode {
        ReadMode::Whole => usize::MAX,
        ReadMode::Streaming(n) => n.max(1),
    };
    let mut report = IngestReport::default();
    let mut pending: Vec<Article> = Vec::new();
    let mut seen: ahash::AHashSet<String> = ahash::AHashSet::new();
    for (idx, (name, stream)) in sources.into_iter().enumerate() {
        let mut summary = InputSummary {
            name: name.to_string(),
            ..Default::default()
        };
        let mut sink = |line: u64, parsed: Parsed| -> Result<()> {
            summary.records += 1;
            let kept = add_record(
                &mut report,
                &mut pending,
                &mut seen,
                opts,
                name,
                idx as u32,
                line,
                parsed,
            )?;
            summary.articles += kept as u64;
            if pending.len() >= batch_size {
                on_batch(std::mem::take(&mut pending))?;
            }
            Ok(())
        };
        let parallel = mode == ReadMode::Whole;
        let mut hint = None;
        let (format, gzip) = match stream {
            Some(raw) => readers::read_stream(name, raw, opts, parallel, &mut sink, &mut hint)?,
            None => readers::read_one(name, opts, parallel, &mut sink, &mut hint)?,
        };
        summary.format = format;
        summary.gzip = gzip;
        if summary.articles == 0 {
            summary.hint = hint;
        }
        report.counts.read += summary.records;
        report.counts.articles += summary.articles;
        report.inputs.push(summary);
    }
    if !pending.is_empty() {
        on_batch(pending)?;
    }
    Ok(report)
}

/// Files one parsed record into the corpus; returns whether an article was kept.
#[allow(clippy::too_many_arguments)]
fn add_record(
    report: &mut IngestReport,
    articles: &mut Vec<Article>,
    seen: &mut ahash::AHashSet<String>,
    opts: &ReadOptions,
    file: &str,
    input: u32,
    line: u64,
    parsed: Parsed,
) -> Result<bool> {
    let mut problem = |kind: ProblemKind, reason: String| -> Result<()> {
        if opts.strict {
            return Err(Error::BadRecord {
                file: file.to_string(),
                line,
                reason,
            });
        }
        report.problems.push(Problem {
            file: file.to_string(),
            line,
            kind,
            reason,
        });
        Ok(())
    };
    match parsed {
        Parsed::Skip(reason) => {
            let key = reason.split(':').next().unwrap_or(&reason).to_string();
            problem(ProblemKind::Skipped, reason)?;
            report.counts.skipped += 1;
            *report.skip_reasons.entry(key).or_insert(0) += 1;
            Ok(false)
        }
        Parsed::Article(mut article, mut date_problem) => {
            if seen.contains(&article.id) {
                problem(
                    ProblemKind::Duplicate,
                    format!("duplicate id {:?} (first kept)", article.id),
                )?;
                report.counts.duplicates += 1;
                return Ok(false);
            }
            if let Some(v) = &article.vector {
                match report.vector_dims {
                    Some(d) if d != v.len() => {
                        let reason = format!(
                            "bad vector: {} values, the first article's had {d}",
                            v.len()
                        );
                        problem(ProblemKind::Skipped, reason)?;
                        report.counts.skipped += 1;
                        *report.skip_reasons.entry("bad vector".into()).or_insert(0) += 1;
                        return Ok(false);
                    }
                    Some(_) => {}
                    None => report.vector_dims = Some(v.len()),
                }
            }
            if let Some(d) = article.date.filter(|d| !date::plausible(d)) {
                date_problem = Some(format!(
                    "implausible date {} (outside {}..={}; article kept, undated)",
                    d.format("%Y-%m-%d"),
                    date::EARLIEST_YEAR,
                    date::LATEST_YEAR
                ));
                article.date = None;
            }
            if let Some(reason) = date_problem {
                problem(ProblemKind::BadDate, reason)?;
                report.counts.bad_dates += 1;
            }
            if article.date.is_none() {
                report.counts.undated += 1;
            }
            article.input = input;
            article.line = line;
            seen.insert(article.id.clone());
            articles.push(*article);
            Ok(true)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(dir: &std::path::Path, name: &str, content: &[u8]) -> String {
        let p = dir.join(name);
        std::fs::File::create(&p)
            .unwrap()
            .write_all(content)
            .unwrap();
        p.to_string_lossy().into_owned()
    }

    #[test]
    fn jsonl_with_every_kind_of_problem() {
        let dir = tempfile::tempdir().unwrap();
        let body = b"{\"id\":\"a\",\"date\":\"2017-05-10\",\"title\":\"T\",\"text\":\"x y\"}\n\
            {\"id\":\"b\",\"date\":\"not a date\",\"text\":\"body\"}\n\
            {broken\n\
            \n\
            {\"id\":\"c\",\"title\":\"\",\"text\":\"\"}\n\
            {\"id\":\"a\",\"text\":\"again\"}\n\
            {\"id\":\"d\",\"text\":\"caf\xff\"}\n\
            [1,2]\n\
            {\"id\":\"e\",\"published\":1494428461,\"content\":\"c\",\"headline\":\"H\",\"label\":[\"x\",\"y\"]}\n";
        let path = write(dir.path(), "in.jsonl", body);
        let opts = ReadOptions {
            fields: FieldMap {
                label: Some("label".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let c = read_inputs(std::slice::from_ref(&path), &opts).unwrap();
        let ids: Vec<&str> = c.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "e"]);
        let r = &c.report;
        assert_eq!(
            (
                r.counts.read,
                r.counts.articles,
                r.counts.skipped,
                r.counts.duplicates,
                r.counts.undated,
                r.counts.bad_dates
            ),
            (8, 3, 4, 1, 1, 1)
        );
        let lines: Vec<u64> = r.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 5, 6, 7, 8]);
        assert!(r.problems[1]
            .to_string()
            .starts_with(&format!("{path}:3: malformed JSON")));
        assert!(
            r.problems[4].reason.contains("UTF-8"),
            "{}",
            r.problems[4].reason
        );
        let e = &c.articles[2];
        assert_eq!((e.title.as_str(), e.text.as_str()), ("H", "c"));
        assert_eq!(e.labels, ["x", "y"]);
        assert_eq!(e.date.unwrap().format("%F").to_string(), "2017-05-10");

        let strict = ReadOptions {
            strict: true,
            ..opts
        };
        let err = read_inputs(std::slice::from_ref(&path), &strict)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!("{path}:2: unparseable date")),
            "{err}"
        );
    }

    #[test]
    fn streaming_gives_the_same_articles_in_small_batches() {
        let dir = tempfile::tempdir().unwrap();
        let mut body = String::new();
        for i in 0..9 {
            body.push_str(&format!("{{\"id\":\"a{i}\",\"text\":\"word {i}\"}}\n"));
            if i == 4 {
                body.push_str("{broken\n{\"id\":\"a1\",\"text\":\"dup\"}\n");
            }
        }
        let a = write(dir.path(), "a.jsonl", body.as_bytes());
        let b = write(dir.path(), "b.jsonl", b"{\"id\":\"b0\",\"text\":\"x\"}\n");
        let inputs = [a, b];
        let whole = read_inputs(&inputs, &ReadOptions::default()).unwrap();
        let mut sizes = Vec::new();
        let mut articles = Vec::new();
        let report = read_inputs_with(
            &inputs,
            &ReadOptions::default(),
            ReadMode::Streaming(4),
            &mut |batch| {
                sizes.push(batch.len());
                articles.extend(batch);
                Ok(())
            },
        )
        .unwrap();
        // Batches of 4 across the two inputs; the rest at the end.
        assert_eq!(sizes, [4, 4, 2]);
        assert_eq!(articles, whole.articles);
        assert_eq!(
            (
                report.counts.read,
                report.counts.articles,
                report.counts.skipped,
                report.counts.duplicates
            ),
            (12, 10, 1, 1)
        );
        assert_eq!(report.problems, whole.report.problems);

        // A consumer error stops reading and is returned.
        let err = read_inputs_with(
            &inputs,
            &ReadOptions::default(),
            ReadMode::Streaming(4),
            &mut |_| Err(Error::NotEnoughData("stop".into())),
        )
        .unwrap_err();
        assert!(err.to_string().contains("stop"), "{err}");
    }

    #[test]
    fn gzip_detected_by_magic_and_csv() {
        let dir = tempfile::tempdir().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"headline,body,pubDate,source\n\"A, b\",\"text one\",\"Wed, 10 May 2017 15:01:01 +0000\",X\nT2,,2017-05-11,Y\nT3,text three,2017-05-12\n")
            .unwrap();
        // No .gz in the name: detection is by content.
        let path = write(dir.path(), "news.csv", &gz.finish().unwrap());
        let opts = ReadOptions {
            fields: FieldMap {
                group: Some("source".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let c = read_inputs(&[path], &opts).unwrap();
        assert!(c.report.inputs[0].gzip);
        assert_eq!(c.report.inputs[0].format, InputFormat::Csv);
        assert_eq!(c.articles.len(), 2, "{:?}", c.report.problems);
        assert_eq!(c.articles[0].title, "A, b");
        assert_eq!(c.articles[0].group.as_deref(), Some("X"));
        assert_eq!(c.articles[1].text, "T2");
        assert_eq!(c.articles[1].title, "");
        assert_eq!(c.report.counts.skipped, 1);
        assert_eq!(c.report.problems[0].line, 4);
    }

    #[test]
    fn text_folder() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "2017-05-10-comey.txt",
            b"Comey fired\nThe director was dismissed.\n",
        );
        write(dir.path(), "notes.txt", b"Undated title\nbody\n");
        write(dir.path(), "skip.md", b"not read");
        write(dir.path(), "bad.txt", b"\xff\xfe");
        let c = read_inputs(
            &[dir.path().to_string_lossy().into_owned()],
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(c.articles.len(), 2);
        let a = c
            .articles
            .iter()
            .find(|a| a.id == "2017-05-10-comey")
            .unwrap();
        assert_eq!(a.title, "Comey fired");
        assert_eq!(a.text.trim(), "The director was dismissed.");
        assert_eq!(a.date.unwrap().format("%F").to_string(), "2017-05-10");
        assert_eq!(c.report.counts.skipped, 1);
        assert_eq!(c.report.counts.undated, 1);
    }

    fn small_limit(limit: u64) -> ReadOptions {
        ReadOptions {
            max_record_bytes: limit,
            ..Default::default()
        }
    }

    fn skip_lines(c: &Corpus) -> Vec<(u64, String)> {
        c.report
            .problems
            .iter()
            .map(|p| (p.line, p.reason.clone()))
            .collect()
    }

    #[test]
    fn gzip_bomb_line_is_skipped_not_held() {
        // A gzipped JSON Lines file whose second line is 5 MB of zeros (no line break): with a
        // 1 MB limit it is skipped as too large; the lines around it are read.
        let dir = tempfile::tempdir().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"{\"id\":\"a\",\"text\":\"first\"}\n")
            .unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..5 {
            gz.write_all(&zeros).unwrap();
        }
        gz.write_all(b"\n{\"id\":\"b\",\"text\":\"after\"}\n")
            .unwrap();
        let path = write(dir.path(), "b.jsonl.gz", &gz.finish().unwrap());
        let c = read_inputs(&[path], &small_limit(1 << 20)).unwrap();
        let ids: Vec<&str> = c.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        let probs = skip_lines(&c);
        assert_eq!(probs.len(), 1);
        assert_eq!(probs[0].0, 2);
        assert!(
            probs[0]
                .1
                .starts_with("record too large: line of 5242881 bytes"),
            "{}",
            probs[0].1
        );
        assert_eq!(c.report.skip_reasons["record too large"], 1);
        // A line of exactly the limit (plus its line break) is kept.
        let exact = format!("{{\"id\":\"c\",\"text\":\"{}\"}}\n", "x".repeat(100));
        let path = write(dir.path(), "exact.jsonl", exact.as_bytes());
        let c = read_inputs(&[path], &small_limit(exact.len() as u64 - 1)).unwrap();
        assert_eq!(c.articles.len(), 1);
    }

    #[test]
    fn csv_record_too_large_is_skipped_and_reading_resumes() {
        // Line 3 holds a quote that is never closed: the record would run to the end of the
        // file. Over the limit it is skipped through the next line break after the limit, and
        // the records after that are read with their own line numbers.
        let dir = tempfile::tempdir().unwrap();
        let mut body = String::from("id,text\n1,first\n2,\"open quote\n");
        for i in 0..5000 {
            body.push_str(&format!("f{i},filler line {i} without quotes\n"));
        }
        body.push_str("3,after\n4,last\n");
        let path = write(dir.path(), "q.csv", body.as_bytes());
        let c = read_inputs(&[path], &small_limit(10_000)).unwrap();
        let probs = skip_lines(&c);
        assert_eq!(probs.len(), 1, "{probs:?}");
        assert_eq!(probs[0].0, 3);
        assert!(
            probs[0].1.starts_with("record too large: CSV record"),
            "{}",
            probs[0].1
        );
        let kept: Vec<(&str, u64)> = c.articles.iter().map(|a| (a.id.as_str(), a.line)).collect();
        assert_eq!(kept[0], ("1", 2));
        // Reading resumed at a line break inside the filler (lines that are records too); the
        // last two records are found on their own lines.
        let n = kept.len();
        assert_eq!(kept[n - 2..], [("3", 5004), ("4", 5005)]);
        let resume = probs[0].1.split("lines 3–").nth(1).unwrap();
        let resume: u64 = resume.split(' ').next().unwrap().parse().unwrap();
        assert!((700..1200).contains(&resume), "{resume}");
    }

    #[test]
    fn csv_crlf_line_numbers() {
        // CRLF line endings, a blank line and a lone CR: each record is reported on its line.
        let dir = tempfile::tempdir().unwrap();
        let body = b"id,title,text\r\n1,a,b\r\n2,,\r\n\r\n3,c,d\r\n4,bad\r5,e,f";
        let path = write(dir.path(), "c.csv", body);
        let c = read_inputs(&[path], &ReadOptions::default()).unwrap();
        let kept: Vec<(&str, u64)> = c.articles.iter().map(|a| (a.id.as_str(), a.line)).collect();
        assert_eq!(kept, [("1", 2), ("3", 5), ("5", 7)]);
        assert_eq!(
            skip_lines(&c).iter().map(|p| p.0).collect::<Vec<_>>(),
            [3, 6]
        );
        let tsv = write(dir.path(), "t.tsv", b"id\ttext\r\n1\tx\r\n2\t\r\n");
        let c = read_inputs(&[tsv], &ReadOptions::default()).unwrap();
        assert_eq!(c.report.problems[0].line, 3);
    }

    #[test]
    fn csv_unbalanced_quote_swallowing_records_is_reported() {
        // Record 1's body opens a quote (after an escaped one) that only the last record
        // closes: the field count still matches, but the lines inside are records of their
        // own. Multi-line bodies with commas are not flagged.
        let dir = tempfile::tempdir().unwrap();
        let body = "id,title,text\n\
            1,Title one,\"body \"\"one\n\
            2,Title two,body two\n\
            3,x,\"y\"\n\
            4,Multi,\"first paragraph, with commas, here\nsecond, also, with commas\"\n";
        let path = write(dir.path(), "u.csv", body.as_bytes());
        let c = read_inputs(&[path], &ReadOptions::default()).unwrap();
        let probs = skip_lines(&c);
        assert_eq!(probs.len(), 1, "{probs:?}");
        assert_eq!(probs[0].0, 2);
        assert!(
            probs[0].1.starts_with(
                "unbalanced quote: field \"text\" runs from line 2 to line 4 and holds line 3"
            ),
            "{}",
            probs[0].1
        );
        assert_eq!(c.articles.len(), 1);
        assert_eq!(c.articles[0].id, "4");
        // A quote that runs to the end with too few fields says where the record ran.
        let path = write(
            dir.path(),
            "v.csv",
            b"id,title,text\n1,\"Broken,body one\n2,Title two,body two\n",
        );
        let c = read_inputs(&[path], &ReadOptions::default()).unwrap();
        assert!(
            c.report.problems[0]
                .reason
                .contains("runs from line 2 to line 4: a quote left open?"),
            "{}",
            c.report.problems[0].reason
        );
    }

    #[test]
    fn text_file_too_large_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "big.txt", &vec![b'a'; 5000]);
        write(dir.path(), "small.txt", b"Title\nbody");
        let c = read_inputs(
            &[dir.path().to_string_lossy().into_owned()],
            &small_limit(4096),
        )
        .unwrap();
        assert_eq!(c.articles.len(), 1);
        assert!(c.report.problems[0]
            .reason
            .starts_with("record too large: file"));
    }

    #[test]
    fn articles_without_topic_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "x.jsonl",
            b"{\"id\":\"a\",\"text\":\"x\"}\n\n{\"id\":\"b\",\"text\":\"y\"}\n",
        );
        let mut c = read_inputs(std::slice::from_ref(&path), &ReadOptions::default()).unwrap();
        c.report.note_without_topic(&c.articles, &[Some(0), None]);
        let p = &c.report.problems;
        assert_eq!(p.len(), 1);
        assert_eq!(
            (p[0].file.as_str(), p[0].line, p[0].kind),
            (path.as_str(), 3, ProblemKind::NoTopic)
        );
        assert!(p[0]
            .reason
            .starts_with("article \"b\" kept without a topic"));
        assert_eq!(ProblemKind::NoTopic.name(), "no_topic");
    }

    #[test]
    fn missing_input_is_an_error() {
        let err =
            read_inputs(&["/nonexistent/x.jsonl".into()], &ReadOptions::default()).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/x.jsonl"));
    }
}
