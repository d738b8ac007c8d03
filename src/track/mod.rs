//! Tracking a growing collection: a SQLite store of articles, their topics, per-day counts and
//! events, updated batch by batch with stable topic ids.
//!
//! ```text
//! Tracker::init(STORE, inputs)  analyze → store articles, model, per-day counts, events
//!                               (init_corpus: the same on articles already in memory)
//! Tracker::add(inputs)          de-duplicate → assign with the stored model → per-day counts
//!                               → new topics from coherent groups of poorly fitting articles
//!                               → events on the new days against the stored history
//!                               (add_corpus: the same on articles already in memory)
//! Tracker::refit()              refit on every stored article; new topics mapped to old ids
//! Tracker::report(OUT)          every output of `analyze` from the store
//! Tracker::status()             a summary
//! ```
//!
//! **Storage.** SQLite through `rusqlite` with its bundled SQLite ([`schema`] lists the tables),
//! in WAL mode so `report` and `status` read while a batch is written. Every write (`init`,
//! `add`, `refit`) is one transaction begun with `BEGIN IMMEDIATE`: a crash or `kill -9` in the
//! middle leaves the store as it was before the batch, and a second writer waits at most
//! [`BUSY_TIMEOUT_MS`] and then fails with [`Error::StoreBusy`]. The schema is versioned with
//! `PRAGMA user_version` and migrated on open.
//!
//! **Stable topic ids.** `add` never changes the meaning of an id: articles are assigned to the
//! stored centres (see [`crate::apply`]: same vocabulary, IDF and LSA basis); the ones that fit no
//! topic (below the model's `min_score`, or without a vocabulary term) are kept without topic;
//! when enough of the recent ones form a coherent group ([`grow::coherent_groups`], on TF-IDF
//! vectors over the store's whole term dictionary, so words that are new since the fit — the
//! names of a new story — count) the group becomes a topic with a new id, and later articles that
//! fit no fitted topic join it by its term-space centre ([`TermCentre`]).
//! `refit` fits everything again and gives each new topic the id of the old topic it matches
//! (Hungarian matching on centre cosine, [`grow::match_topics`]); unmatched new topics get new
//! ids (births), unmatched old ids are retired (deaths), never reused.
//!
//! **De-duplication.** Same id: skipped. Same content (hash of the lower-cased, whitespace-
//! collapsed title and text): skipped. Near-duplicates (SimHash of word 3-shingles within 3 bits,
//! dated within [`TrackParams::near_dup_days`] days): stored, with `near_dup_of`, and reported
//! ([`dedup`]).
//!
//! **Events.** Per-day totals, topic counts and term document frequencies are kept so events can
//! be detected on stored counts; the store calls event detection only through
//! [`events::detect`].
//!
//! **Articles that fit no topic**: see [`crate::apply`]. Articles of the fit itself (`init`,
//! `refit`) keep the topic the fit gave them.

pub mod dedup;
pub mod events;
pub mod grow;
pub mod schema;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use ndarray::Array2;
use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::apply::{self, Unassigned};
use crate::cluster::{self, TermWeight, Topic};
use crate::events::records::{BurstRecord, EventRecord};
use crate::ingest::{self, Article, Corpus, ReadOptions};
use crate::output::{self, Counts, OutPaths, RunInfo, TimelineInfo};
use crate::params::{param_guard, ParamGuard, Validate};
use crate::pipeline::{self, AnalyzeParams, EventParams, FittedPipeline, Progress};
use crate::plot::{self, ChartData, ChartOptions};
use crate::text::{AnalyzedCorpus, AnalyzedDoc, TermTable};
use crate::timeline::{BinUnit, Timeline};
use crate::vectorize::DocTermMatrix;
use crate::{Error, Result};

/// How long a writer waits for another writer before [`Error::StoreBusy`].
pub const BUSY_TIMEOUT_MS: u64 = 1000;

/// Characters of the body kept as an article's snippet.
const SNIPPET_CHARS: usize = 160;

/// Settings of tracking (stored with the store; defaults in [`TrackParams::default`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackParams {
    /// Poorly fitting articles of the last this many days (up to the batch's last day) are
    /// pooled to look for new topics (default 14).
    pub pool_days: i64,
    /// At most this many pooled articles, the most recent (default 4,000: the pool's similarity
    /// matrix is n²).
    pub pool_max: usize,
    /// Articles at cosine ≥ this (TF-IDF over the store's terms) are neighbours in the pool,
    /// and an article that fits no fitted topic joins a topic born in `add` at this cosine to
    /// its centre (default 0.3).
    pub link: f32,
    /// A new topic needs at least this many articles (default 8).
    pub new_topic_min_size: usize,
    /// ... and a cohesion (mean cosine to its centre) of at least this (default 0.5).
    pub new_topic_cohesion: f32,
    /// Near-duplicates are looked for among articles dated within this many days (default 2).
    pub near_dup_days: i64,
    /// Days of history before a batch's first day that event detection sees (default 90).
    pub history_days: i64,
    /// After a refit, old and new topics match only at centre cosine ≥ this (default 0.5).
    pub match_min_cos: f32,
    /// A split (merge) needs each part to hold at least this share of the old (new) topic's
    /// articles (default 0.25).
    pub part_share: f64,
}

impl Default for TrackParams {
    fn default() -> Self {
        TrackParams {
            pool_days: 14,
            pool_max: 4000,
            link: 0.3,
            new_topic_min_size: 8,
            new_topic_cohesion: 0.5,
            near_dup_days: 2,
            history_days: 90,
            match_min_cos: 0.5,
            part_share: 0.25,
        }
    }
}

impl Validate for TrackParams {
    fn validate(&self) -> Result<()> {
        non_negative("track.pool_days", self.pool_days)?;
        cosine("track.link", self.link)?;
        if self.new_topic_min_size < 2 {
            return Err(Error::param(
                "track.new_topic_min_size",
                self.new_topic_min_size,
                "must be at least 2",
            ));
        }
        cosine("track.new_topic_cohesion", self.new_topic_cohesion)?;
        non_negative("track.near_dup_days", self.near_dup_days)?;
        non_negative("track.history_days", self.history_days)?;
        if !(0.0..=1.0).contains(&self.part_share) {
            return Err(Error::param(
                "track.part_share",
                self.part_share,
                "must be within 0..=1",
            ));
        }
        Ok(())
    }
}

/// A day count of [`TrackParams`] must not be negative.
fn non_negative(name: &'static str, days: i64) -> Result<()> {
    if days < 0 {
        return Err(Error::param(name, days, "must be >= 0"));
    }
    Ok(())
}

/// A cosine threshold of [`TrackParams`] must lie in -1..=1.
fn cosine(name: &'static str, cos: f32) -> Result<()> {
    if !(-1.0..=1.0).contains(&cos) {
        return Err(Error::param(name, cos, "must be a cosine in -1..=1"));
    }
    Ok(())
}

param_guard!(TrackParams);

/// The fitted state kept in the store.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoreModel {
    /// The fitted pipeline (its training assignments are in the articles table, not here).
    pub fitted: FittedPipeline,
    /// Topic id of each centre row.
    pub row_topics: Vec<usize>,
    /// Store term id of each vocabulary column.
    pub column_terms: Vec<u32>,
    /// Topics born in `add`, as centres in the store's term space (see [`term_vectors`]).
    pub term_centres: Vec<TermCentre>,
}

/// A topic's centre in the store's term space: unit weights of its strongest terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermCentre {
    /// Topic id.
    pub topic: usize,
    /// `(store term id, weight)`, ids ascending, unit length.
    pub weights: Vec<(u32, f32)>,
}

/// Terms kept in a [`TermCentre`].
const CENTRE_TERMS: usize = 100;

/// Cosine of two sparse vectors with ascending ids.
fn sparse_dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// The unit mean of sparse unit vectors, cut to its `keep` strongest terms and renormalised.
fn sparse_centre<'a>(
    vectors: impl Iterator<Item = &'a Vec<(u32, f32)>>,
    keep: usize,
) -> Vec<(u32, f32)> {
    let mut sum: BTreeMap<u32, f32> = BTreeMap::new();
    for v in vectors {
        for &(t, w) in v {
            *sum.entry(t).or_default() += w;
        }
    }
    let mut top: Vec<(u32, f32)> = sum.into_iter().collect();
    top.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(keep);
    top.sort_unstable_by_key(|x| x.0);
    let n = top.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
    if n > 0.0 {
        top.iter_mut().for_each(|x| x.1 /= n);
    }
    top
}

/// A near-duplicate found while storing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearDup {
    /// The new article.
    pub id: String,
    /// The stored (or earlier) article it nearly repeats.
    pub of: String,
    /// SimHash bits that differ.
    pub bits: u32,
}

/// A topic born from poorly fitting articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTopic {
    /// Its id.
    pub id: usize,
    /// Top three terms.
    pub label: String,
    /// Articles.
    pub size: usize,
    /// Mean cosine of its articles to its centre.
    pub cohesion: f32,
}

/// What `init` or `add` did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AddReport {
    /// Batch number (0 = init).
    pub batch: i64,
    /// Articles read.
    pub read: usize,
    /// Articles stored.
    pub added: usize,
    /// Skipped: id already stored.
    pub duplicate_ids: usize,
    /// Skipped: same content as a stored article `(id, stored id)`.
    pub duplicate_content: Vec<(String, String)>,
    /// Stored, but nearly repeating an article.
    pub near_duplicates: Vec<NearDup>,
    /// Stored articles with a topic.
    pub assigned: usize,
    /// Stored articles that fit no topic.
    pub unassigned: BTreeMap<String, usize>,
    /// Topics born.
    pub new_topics: Vec<NewTopic>,
    /// Topic bursts touching the new days.
    pub events: Vec<BurstRecord>,
    /// Events from terms reaching the new days, found against the stored history with the
    /// detector `analyze` uses, strongest first.
    pub term_events: Vec<EventRecord>,
    /// Records skipped while reading, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Seconds per stage.
    pub stage_seconds: Vec<(String, f64)>,
}

/// A topic id as a refit saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicChange {
    /// Topic id.
    pub id: usize,
    /// Label (new for matched and born topics, last known for retired ones).
    pub label: String,
    /// Cosine of the old and new centre (matched topics).
    pub cosine: Option<f32>,
}

/// What `refit` did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RefitReport {
    /// Batch number.
    pub batch: i64,
    /// Articles refitted.
    pub articles: usize,
    /// Articles whose topic id changed (from a topic, to another or none).
    pub changed: usize,
    /// Old ids kept.
    pub matched: Vec<TopicChange>,
    /// New ids.
    pub births: Vec<TopicChange>,
    /// Retired ids.
    pub deaths: Vec<TopicChange>,
    /// `(old id, ids its articles went to)`.
    pub splits: Vec<(usize, Vec<usize>)>,
    /// `(id, old ids it took articles from)`.
    pub merges: Vec<(usize, Vec<usize>)>,
}

/// One batch, as `status` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchInfo {
    /// Number.
    pub id: i64,
    /// `init`, `add` or `refit`.
    pub kind: String,
    /// When (RFC 3339).
    pub at: String,
    /// Articles stored.
    pub added: i64,
}

/// A summary of the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// Schema version.
    pub schema_version: i64,
    /// Store file size in bytes (with its WAL).
    pub bytes: u64,
    /// Articles stored.
    pub articles: u64,
    /// ... of which dated.
    pub dated: u64,
    /// ... with a topic.
    pub with_topic: u64,
    /// First and last day.
    pub first: Option<String>,
    /// Last day.
    pub last: Option<String>,
    /// Active topics `(id, label, articles)`.
    pub topics: Vec<(usize, String, u64)>,
    /// Retired topic ids.
    pub retired: Vec<usize>,
    /// Distinct terms seen.
    pub terms: u64,
    /// The last batches, newest first.
    pub batches: Vec<BatchInfo>,
    /// The strongest stored events of the last 30 days, strongest first.
    pub recent_events: Vec<BurstRecord>,
}

/// One stored article as [`Tracker::articles`] lists it: what it was given, not its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRow {
    /// Id.
    pub id: String,
    /// Date (RFC 3339, UTC), when it had one.
    pub date: Option<String>,
    /// Title.
    pub title: String,
    /// Source (the `group` field read at init), when given.
    pub source: Option<String>,
    /// Topic id, `None` when it fits no topic.
    pub topic: Option<usize>,
    /// Cosine to its topic's centre (or to the nearest one when it fits none).
    pub score: f32,
    /// Why it has no topic (`no_terms`, `low_score`).
    pub reason: Option<String>,
    /// The article it nearly repeats.
    pub near_dup_of: Option<String>,
    /// Batch that stored it.
    pub batch: i64,
}

/// One topic id as [`Tracker::topics`] lists it, retired ones included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredTopic {
    /// Id.
    pub id: usize,
    /// Label (top terms).
    pub label: String,
    /// Strongest terms with their weights.
    pub terms: Vec<TermWeight>,
    /// `init`, `add` or `refit`: how it was born.
    pub born: String,
    /// Batch it was born in.
    pub born_batch: i64,
    /// Batch of the refit that retired it.
    pub retired_batch: Option<i64>,
    /// Stored articles it holds.
    pub articles: u64,
}

/// Options of [`Tracker::report`].
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// First day reported.
    pub from: Option<NaiveDate>,
    /// Last day reported.
    pub to: Option<NaiveDate>,
    /// Timeline bins (default: the store's).
    pub bin: Option<BinUnit>,
    /// Charts and report.html (none: skipped).
    pub charts: Option<ChartOptions>,
    /// Event settings (default: the store's); `skip_events` skips them.
    pub events: Option<EventParams>,
    /// No events.
    pub skip_events: bool,
}

/// What a report wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSummary {
    /// Articles reported.
    pub articles: usize,
    /// Topics listed.
    pub topics: Vec<Topic>,
    /// Topic bursts found.
    pub bursts: usize,
    /// Stories found.
    pub stories: usize,
    /// Files written (charts included).
    pub files: Vec<PathBuf>,
}

/// What [`Tracker::detect_stored`] found.
#[derive(Default)]
struct StoredEvents {
    bursts: Vec<BurstRecord>,
    events: Vec<EventRecord>,
    /// Store term id of each event's strongest term.
    terms: Vec<u32>,
}

/// Where the articles of `init` or `add` come from.
enum Source<'a> {
    /// Files or folders (`-` for stdin), read inside the batch.
    Paths(&'a [String]),
    /// Articles the caller already read, and the name recorded for them.
    Corpus(Corpus, &'a str),
}

impl Source<'_> {
    /// The inputs as the `batches` table records them.
    fn names(&self) -> Vec<String> {
        match self {
            Source::Paths(p) => p.to_vec(),
            Source::Corpus(_, name) => vec![(*name).to_string()],
        }
    }
}

/// A store of a growing collection; see the module doc.
pub struct Tracker {
    conn: Connection,
    path: PathBuf,
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

fn day_date(n: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(n as i32).unwrap_or(NaiveDate::MIN)
}

/// The body's first [`SNIPPET_CHARS`] characters, whitespace collapsed.
fn snippet(text: &str) -> String {
    let mut s = String::new();
    let mut n = 0usize;
    for w in text.split_whitespace() {
        let len = w.chars().count();
        if n + len + usize::from(n > 0) > SNIPPET_CHARS {
            if n == 0 {
                s.extend(w.chars().take(SNIPPET_CHARS));
            }
            break;
        }
        if n > 0 {
            s.push(' ');
            n += 1;
        }
        s.push_str(w);
        n += len;
    }
    s
}

/// The id when it is a web address (ids are found in `url` / `link` fields when no `id` is).
fn url_of(id: &str) -> Option<&str> {
    (id.starts_with("http://") || id.starts_with("https://")).then_some(id)
}

/// The id (position in `term_keys`, the analysed corpus' terms) of each vocabulary column
/// (`column_keys`); `u32::MAX` for a column whose term the corpus lacks.
fn column_terms(term_keys: &[String], column_keys: &[String]) -> Vec<u32> {
    let id_of: HashMap<&str, u32> = term_keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i as u32))
        .collect();
    column_keys
        .iter()
        .map(|k| id_of.get(k.as_str()).copied().unwrap_or(u32::MAX))
        .collect()
}

/// Term counts of one article (store term ids, ascending) as bytes: postcard varints of the
/// id gaps and counts.
pub fn encode_terms(counts: &[(u32, u32)]) -> Vec<u8> {
    let mut flat = Vec::with_capacity(counts.len() * 2);
    let mut prev = 0u32;
    for &(t, c) in counts {
        flat.push(t - prev);
        flat.push(c);
        prev = t;
    }
    postcard::to_stdvec(&flat).unwrap_or_default()
}

/// Inverse of [`encode_terms`].
pub fn decode_terms(bytes: &[u8]) -> Result<Vec<(u32, u32)>> {
    let flat: Vec<u32> = postcard::from_bytes(bytes)
        .map_err(|e| Error::NotEnoughData(format!("unreadable term counts in the store: {e}")))?;
    let mut out = Vec::with_capacity(flat.len() / 2);
    let mut prev = 0u32;
    for p in flat.chunks_exact(2) {
        prev += p[0];
        out.push((prev, p[1]));
    }
    Ok(out)
}

/// The vocabulary column of each store term id (`u32::MAX`: not in the vocabulary), from
/// [`StoreModel::column_terms`].
fn column_lookup(column_terms: &[u32]) -> Vec<u32> {
    let n = column_terms
        .iter()
        .filter(|&&t| t != u32::MAX)
        .max()
        .map_or(0, |&m| m as usize + 1);
    let mut out = vec![u32::MAX; n];
    for (c, &t) in column_terms.iter().enumerate() {
        if t != u32::MAX {
            out[t as usize] = c as u32;
        }
    }
    out
}

/// An analysed collection in the vocabulary's columns, from stored term counts: term `i` is
/// column `i`; store terms outside the vocabulary are dropped.
fn corpus_in_columns(
    fitted: &FittedPipeline,
    column_of: &[u32],
    docs: &[Vec<(u32, u32)>],
) -> AnalyzedCorpus {
    AnalyzedCorpus {
        phrases: Vec::new(),
        terms: TermTable {
            keys: fitted.vectorizer.keys.clone(),
            labels: fitted.vectorizer.labels.clone(),
        },
        docs: docs
            .par_iter()
            .map(|d| {
                let mut counts: Vec<(u32, u32)> = d
                    .iter()
                    .filter_map(|&(t, c)| {
                        let col = column_of.get(t as usize).copied().unwrap_or(u32::MAX);
                        (col != u32::MAX).then_some((col, c))
                    })
                    .collect();
                counts.sort_unstable();
                AnalyzedDoc { counts }
            })
            .collect(),
        n_words: 0,
    }
}

fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| {
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            if f.code == rusqlite::ErrorCode::DatabaseBusy
                || f.code == rusqlite::ErrorCode::DatabaseLocked
            {
                return Error::StoreBusy(path.to_path_buf());
            }
        }
        Error::Store {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }
    }
}

fn store_err(path: &Path, reason: impl Into<String>) -> Error {
    Error::Store {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Everything read for one stored article.
struct StoredArticle {
    n: i64,
    article: Article,
    topic: Option<usize>,
    score: f32,
    reason: Option<Unassigned>,
    terms: Vec<(u32, u32)>,
}

impl Tracker {
    /// A prepared statement on the store's connection, errors naming the store.
    fn prepare(&self, query: &str) -> Result<rusqlite::Statement<'_>> {
        self.conn.prepare(query).map_err(sql(&self.path))
    }

    fn connect(path: &Path, create: bool) -> Result<Connection> {
        use rusqlite::OpenFlags;
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        } else if !path.exists() {
            return Err(store_err(
                path,
                "no such store (create it with `topictrack track init`)",
            ));
        }
        let conn = Connection::open_with_flags(path, flags).map_err(sql(path))?;
        conn.busy_timeout(Duration::from_millis(BUSY_TIMEOUT_MS))
            .map_err(sql(path))?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(sql(path))?;
        if !mode.eq_ignore_ascii_case("wal") {
            conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
                .map_err(sql(path))?;
        }
        // In WAL mode, NORMAL never corrupts the store and loses no committed batch on a
        // process crash (only, at worst, the last one on a power failure).
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql(path))?;
        conn.pragma_update(None, "cache_size", -65536)
            .map_err(sql(path))?;
        Ok(conn)
    }

    /// Opens an existing store, migrating an older schema.
    pub fn open(path: &Path) -> Result<Tracker> {
        let conn = Self::connect(path, false)?;
        let t = Tracker {
            conn,
            path: path.to_path_buf(),
        };
        let v = schema::version(&t.conn).map_err(sql(path))?;
        if v == 0 {
            return Err(store_err(
                path,
                "not a topictrack store (or its init never finished)",
            ));
        }
        if v != schema::SCHEMA_VERSION {
            let tx = t.begin_write()?;
            if let Err(v) = schema::migrate(&tx).map_err(sql(path))? {
                return Err(store_err(
                    path,
                    format!(
                        "schema version {v} is newer than this topictrack's ({})",
                        schema::SCHEMA_VERSION
                    ),
                ));
            }
            tx.commit().map_err(sql(path))?;
        }
        Ok(t)
    }

    /// The store's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection (read-only use: tests and tools).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn begin_write(&self) -> Result<rusqlite::Transaction<'_>> {
        rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(sql(&self.path))
    }

    fn meta<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<T> {
        let v: String = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .map_err(sql(&self.path))?;
        serde_json::from_str(&v).map_err(|e| store_err(&self.path, format!("meta {key}: {e}")))
    }

    fn set_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let v = serde_json::to_string(value).map_err(|e| store_err(&self.path, e.to_string()))?;
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, v],
            )
            .map_err(sql(&self.path))?;
        Ok(())
    }

    /// The stored analyze settings.
    pub fn params(&self) -> Result<AnalyzeParams> {
        self.meta("params")
    }

    /// The stored tracking settings.
    pub fn track_params(&self) -> Result<TrackParams> {
        self.meta("track")
    }

    /// The stored event settings.
    pub fn event_params(&self) -> Result<EventParams> {
        self.meta("events")
    }

    /// The stored model.
    pub fn model(&self) -> Result<StoreModel> {
        let blob: Vec<u8> = self
            .conn
            .query_row("SELECT blob FROM model WHERE id = 1", [], |r| r.get(0))
            .map_err(sql(&self.path))?;
        postcard::from_bytes(&blob).map_err(|e| store_err(&self.path, format!("model: {e}")))
    }

    fn set_model(&self, m: &StoreModel) -> Result<()> {
        let blob = postcard::to_stdvec(m).map_err(|e| store_err(&self.path, e.to_string()))?;
        self.conn
            .execute(
                "INSERT INTO model (id, blob) VALUES (1, ?1)
                 ON CONFLICT (id) DO UPDATE SET blob = excluded.blob",
                [blob],
            )
            .map_err(sql(&self.path))?;
        Ok(())
    }

    fn topic_labels(&self) -> Result<Vec<String>> {
        let mut st = self.prepare("SELECT id, label FROM topics ORDER BY id")?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .map_err(sql(&self.path))?;
        let mut out = Vec::new();
        for r in rows {
            let (id, label) = r.map_err(sql(&self.path))?;
            out.resize(id as usize + 1, String::new());
            out[id as usize] = label;
        }
        Ok(out)
    }

    fn stored_topics(&self) -> Result<Vec<Topic>> {
        let mut st = self.prepare("SELECT id, label, terms FROM topics ORDER BY id")?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(sql(&self.path))?;
        let mut out = Vec::new();
        for r in rows {
            let (id, label, terms) = r.map_err(sql(&self.path))?;
            out.push(Topic {
                id: id as usize,
                label,
                name: None,
                size: 0,
                share: 0.0,
                terms: serde_json::from_str(&terms)
                    .map_err(|e| store_err(&self.path, format!("topic {id}: {e}")))?,
                examples: Vec::new(),
                parent: None,
            });
        }
        Ok(out)
    }

    fn add_batch(
        &self,
        id: i64,
        kind: &str,
        inputs: &[String],
        added: usize,
        report: &impl Serialize,
    ) -> Result<()> {
        let inputs = serde_json::to_string(inputs).unwrap_or_default();
        let report = serde_json::to_string(report).unwrap_or_default();
        self.conn
            .execute(
                "INSERT INTO batches (id, kind, at, inputs, added, report) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, kind, now(), inputs, added as i64, report],
            )
            .map_err(sql(&self.path))?;
        Ok(())
    }

    fn next_batch(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT COALESCE(MAX(id), -1) + 1 FROM batches", [], |r| {
                r.get(0)
            })
            .map_err(sql(&self.path))
    }

    /// Creates a store at `path` from `inputs`: runs `analyze` with `params` and stores the
    /// articles, the model, the per-day counts and the events. Fails if a store exists there.
    pub fn init(
        path: &Path,
        inputs: &[String],
        params: &AnalyzeParams,
        track: &TrackParams,
        events: &EventParams,
        progress: &dyn Progress,
    ) -> Result<(Tracker, AddReport)> {
        Self::init_from(path, Source::Paths(inputs), params, track, events, progress)
    }

    /// [`Tracker::init`] on articles already in memory (read by [`ingest::read_stream`], or
    /// built by the caller), so that a binding holding its data in memory (the Python package's
    /// DataFrames) need not write it to a file first. `name` is recorded as the batch's input.
    /// `params.read` is only stored, as the default reading options of later `add`s.
    pub fn init_corpus(
        path: &Path,
        corpus: Corpus,
        name: &str,
        params: &AnalyzeParams,
        track: &TrackParams,
        events: &EventParams,
        progress: &dyn Progress,
    ) -> Result<(Tracker, AddReport)> {
        let source = Source::Corpus(corpus, name);
        Self::init_from(path, source, params, track, events, progress)
    }

    /// `init` from either source: the same transaction, fit and storing.
    fn init_from(
        path: &Path,
        source: Source<'_>,
        params: &AnalyzeParams,
        track: &TrackParams,
        events: &EventParams,
        progress: &dyn Progress,
    ) -> Result<(Tracker, AddReport)> {
        let inputs = source.names();
        track.check_ref()?;
        events.bursts.check_ref()?;
        events.stories.check_ref()?;
        if params.read.fields.vector.is_some() || params.read.vectors_file.is_some() {
            // Refits and new topics need every article's vector, which the store does not keep.
            return Err(crate::Error::param(
                "read.fields.vector",
                "(set)",
                "a tracker store is fitted on LSA; document vectors are for analyze and apply",
            ));
        }
        if path.exists()
            && std::fs::metadata(path)
                .map(|m| m.len() > 0)
                .unwrap_or(false)
        {
            return Err(store_err(path, "already exists (init creates a new store)"));
        }
        let conn = Self::connect(path, true)?;
        let t = Tracker {
            conn,
            path: path.to_path_buf(),
        };
        let tx = t.begin_write()?;
        if let Err(v) = schema::migrate(&tx).map_err(sql(path))? {
            return Err(store_err(
                path,
                format!("schema version {v} is newer than this topictrack's"),
            ));
        }
        let mut p = params.clone();
        p.drop_bodies = false;
        let a = match source {
            Source::Paths(inputs) => pipeline::analyze(inputs, &p, progress)?,
            Source::Corpus(corpus, _) => pipeline::analyze_corpus(corpus, &p, progress)?,
        };
        let t0 = Instant::now();
        progress.begin("store");
        let mut fitted = a.fitted();
        fitted.model.assignments = Vec::new();
        fitted.model.scores = Vec::new();
        let analyzed = fitted.analyze_articles(&a.corpus.articles)?;
        {
            let mut st = tx
                .prepare("INSERT INTO terms (id, key, label) VALUES (?1, ?2, ?3)")
                .map_err(sql(path))?;
            for (i, (k, l)) in analyzed
                .terms
                .keys
                .iter()
                .zip(&analyzed.terms.labels)
                .enumerate()
            {
                st.execute(params![i as i64, k, l]).map_err(sql(path))?;
            }
        }
        let column_terms = column_terms(&analyzed.terms.keys, &fitted.vectorizer.keys);
        let k = fitted.model.k();
        let model = StoreModel {
            fitted,
            row_topics: (0..k).collect(),
            column_terms,
            term_centres: Vec::new(),
        };
        let reasons: Vec<Option<Unassigned>> = a
            .model
            .assignments
            .iter()
            .map(|t| t.is_none().then_some(Unassigned::NoTerms))
            .collect();
        let batch = 0i64;
        let mut report = AddReport {
            batch,
            read: a.corpus.articles.len(),
            skipped: a.corpus.report.skip_reasons.clone(),
            ..AddReport::default()
        };
        let term_docs: Vec<&[(u32, u32)]> =
            analyzed.docs.iter().map(|d| d.counts.as_slice()).collect();
        let mut index = dedup::SimIndex::default();
        t.store_articles(
            &a.corpus.articles,
            &term_docs,
            &a.model.assignments,
            &a.model.scores,
            &reasons,
            batch,
            &mut index,
            &[],
            track,
            false,
            &mut report,
        )?;
        t.set_meta("params", &p)?;
        t.set_meta("track", track)?;
        t.set_meta("events", events)?;
        t.set_model(&model)?;
        for topic in &a.topics {
            t.conn
                .execute(
                    "INSERT INTO topics (id, label, terms, born, born_batch) VALUES (?1, ?2, ?3, 'init', ?4)",
                    params![
                        topic.id as i64,
                        topic.label,
                        serde_json::to_string(&topic.terms).unwrap_or_default(),
                        batch
                    ],
                )
                .map_err(sql(path))?;
        }
        drop(analyzed);
        // Events over the whole first period, with every article known.
        let (first, last) = t.day_range()?.unwrap_or((0, -1));
        let labels: Vec<String> = a.topics.iter().map(|t| t.label.clone()).collect();
        let found = t.detect_stored(
            first,
            last,
            &a.corpus.articles,
            &a.model.assignments,
            Some((&a.matrix, &model.fitted.vectorizer.labels)),
            &labels,
            events,
            &BTreeSet::new(),
            (first, &[]),
        )?;
        t.save_events(batch, &found.bursts, &[])?;
        report.events = found.bursts;
        report.stage_seconds = a.stage_seconds.clone();
        report.stage_seconds.push((
            "store".into(),
            (t0.elapsed().as_secs_f64() * 1e4).round() / 1e4,
        ));
        t.add_batch(batch, "init", &inputs, report.added, &report)?;
        progress.end("store", t0.elapsed().as_secs_f64());
        tx.commit().map_err(sql(path))?;
        Ok((t, report))
    }

    /// First and last stored day.
    fn day_range(&self) -> Result<Option<(i64, i64)>> {
        self.conn
            .query_row("SELECT MIN(day), MAX(day) FROM day_totals", [], |r| {
                Ok(
                    match (r.get::<_, Option<i64>>(0)?, r.get::<_, Option<i64>>(1)?) {
                        (Some(a), Some(b)) => Some((a, b)),
                        _ => None,
                    },
                )
            })
            .map_err(sql(&self.path))
    }

    /// Inserts articles with their term counts and assignments, and updates the per-day counts.
    /// `index` holds the fingerprints of stored articles near these dates (`index_ids` their ids);
    /// near-duplicates are reported and marked. With `want_after`, returns the stored document
    /// frequency of every (day, term) it touched.
    #[allow(clippy::too_many_arguments)]
    fn store_articles(
        &self,
        articles: &[Article],
        terms: &[&[(u32, u32)]],
        topics: &[Option<usize>],
        scores: &[f32],
        reasons: &[Option<Unassigned>],
        batch: i64,
        index: &mut dedup::SimIndex,
        index_ids: &[String],
        track: &TrackParams,
        want_after: bool,
        report: &mut AddReport,
    ) -> Result<BTreeMap<(i64, u32), u32>> {
        let path = &self.path;
        let prepared: Vec<(u64, u64, Vec<u8>)> = articles
            .par_iter()
            .zip(terms)
            .map(|(a, t)| {
                (
                    dedup::content_hash(&a.title, &a.text),
                    dedup::simhash(&a.title, &a.text),
                    encode_terms(t),
                )
            })
            .collect();
        let mut ids: Vec<String> = index_ids.to_vec();
        let mut day_totals: BTreeMap<i64, u32> = BTreeMap::new();
        let mut day_topics: BTreeMap<(i64, usize), u32> = BTreeMap::new();
        let mut day_terms: ahash::AHashMap<(i64, u32), u32> = ahash::AHashMap::new();
        let mut term_df: ahash::AHashMap<u32, u32> = ahash::AHashMap::new();
        let mut st = self.prepare(
            "INSERT INTO articles (id, day, date, title, snippet, url, source, topic, score,
                 reason, hash, simhash, near_dup_of, batch, terms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?;
        for (i, a) in articles.iter().enumerate() {
            let (hash, sim, blob) = &prepared[i];
            let day = a.date.map(|d| day_number(d.date_naive()));
            let near = match day {
                Some(d) => index.nearest(*sim, d, track.near_dup_days),
                None => None,
            };
            let near_of = near.map(|(j, bits)| {
                report.near_duplicates.push(NearDup {
                    id: a.id.clone(),
                    of: ids[j].clone(),
                    bits,
                });
                ids[j].clone()
            });
            if let Some(d) = day {
                index.insert(*sim, d);
                ids.push(a.id.clone());
                *day_totals.entry(d).or_default() += 1;
                if let Some(t) = topics[i] {
                    *day_topics.entry((d, t)).or_default() += 1;
                }
                for &(term, _) in terms[i] {
                    *day_terms.entry((d, term)).or_default() += 1;
                }
            }
            for &(term, _) in terms[i] {
                *term_df.entry(term).or_default() += 1;
            }
            match reasons[i] {
                Some(r) => *report.unassigned.entry(r.as_str().to_string()).or_default() += 1,
                None => report.assigned += 1,
            }
            st.execute(params![
                a.id,
                day,
                a.date
                    .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                a.title,
                snippet(&a.text),
                url_of(&a.id),
                a.group,
                topics[i].map(|t| t as i64),
                f64::from(scores[i]),
                reasons[i].map(|r| r.as_str()),
                *hash as i64,
                *sim as i64,
                near_of,
                batch,
                blob,
            ])
            .map_err(sql(path))?;
            report.added += 1;
        }
        drop(st);
        let mut st = self.prepare(
            "INSERT INTO day_totals (day, articles) VALUES (?1, ?2)
                 ON CONFLICT (day) DO UPDATE SET articles = articles + excluded.articles",
        )?;
        for (d, n) in &day_totals {
            st.execute(params![d, n]).map_err(sql(path))?;
        }
        self.bump_day_topics(&day_topics)?;
        let mut st = self.prepare("UPDATE terms SET df = df + ?2 WHERE id = ?1")?;
        let mut term_df: Vec<(u32, u32)> = term_df.into_iter().collect();
        term_df.sort_unstable();
        for (t, n) in &term_df {
            st.execute(params![t, n]).map_err(sql(path))?;
        }
        let upsert = "INSERT INTO day_terms (term, day, df) VALUES (?1, ?2, ?3)
                      ON CONFLICT (term, day) DO UPDATE SET df = df + excluded.df";
        let mut st = self.prepare(&format!("{upsert} RETURNING df"))?;
        let mut plain = self.prepare(upsert)?;
        let mut after = BTreeMap::new();
        // In (term, day) order: the primary key's, so the B-tree is written in order.
        let mut by_term: Vec<((i64, u32), u32)> = day_terms.into_iter().collect();
        by_term.sort_unstable_by_key(|&((d, t), _)| (t, d));
        for ((d, t), n) in by_term {
            if want_after {
                let df: u32 = st
                    .query_row(params![t, d, n], |r| r.get(0))
                    .map_err(sql(path))?;
                after.insert((d, t), df);
            } else {
                plain.execute(params![t, d, n]).map_err(sql(path))?;
            }
        }
        Ok(after)
    }

    fn bump_day_topics(&self, counts: &BTreeMap<(i64, usize), u32>) -> Result<()> {
        let mut st = self.prepare(
            "INSERT INTO day_topics (day, topic, articles) VALUES (?1, ?2, ?3)
                 ON CONFLICT (day, topic) DO UPDATE SET articles = articles + excluded.articles",
        )?;
        for ((d, t), n) in counts {
            st.execute(params![d, *t as i64, n])
                .map_err(sql(&self.path))?;
        }
        Ok(())
    }

    /// Adds the articles of `inputs` (read with `read`, default the store's reading options);
    /// see the module doc. Adding the same articles again changes nothing.
    pub fn add(
        &mut self,
        inputs: &[String],
        read: Option<&ReadOptions>,
        progress: &dyn Progress,
    ) -> Result<AddReport> {
        self.add_from(Source::Paths(inputs), read, progress)
    }

    /// [`Tracker::add`] on articles already in memory (see [`Tracker::init_corpus`]; read them
    /// with the store's [`Tracker::params`]`.read` to read as `add` would). `name` is recorded
    /// as the batch's input. The corpus's reading report (skipped records, duplicate ids within
    /// it) is counted in the returned report as `add` counts its own.
    pub fn add_corpus(
        &mut self,
        corpus: Corpus,
        name: &str,
        progress: &dyn Progress,
    ) -> Result<AddReport> {
        self.add_from(Source::Corpus(corpus, name), None, progress)
    }

    /// `add` from either source. Files are read inside the batch's transaction, as they always
    /// were, so the `read` stage time covers reading and de-duplication alike.
    fn add_from(
        &mut self,
        source: Source<'_>,
        read: Option<&ReadOptions>,
        progress: &dyn Progress,
    ) -> Result<AddReport> {
        let inputs = source.names();
        let path = self.path.clone();
        let tx = self.begin_write()?;
        let mut times = Vec::new();
        let mut lap = {
            let mut t0 = Instant::now();
            move |name: &str, times: &mut Vec<(String, f64)>| {
                let s = t0.elapsed().as_secs_f64();
                progress.end(name, s);
                times.push((name.to_string(), (s * 1e4).round() / 1e4));
                t0 = Instant::now();
            }
        };
        let params = self.params()?;
        let track = self.track_params()?;
        let ev_params = self.event_params()?;
        let mut model = self.model()?;
        let batch = self.next_batch()?;
        progress.begin("read");
        let corpus = match source {
            Source::Paths(inputs) => ingest::read_inputs(inputs, read.unwrap_or(&params.read))?,
            Source::Corpus(corpus, _) => corpus,
        };
        let mut report = AddReport {
            batch,
            read: corpus.articles.len(),
            skipped: corpus.report.skip_reasons.clone(),
            ..AddReport::default()
        };
        report.duplicate_ids = corpus.report.counts.duplicates as usize;
        // De-duplicate against the store and within the batch.
        let mut fresh = Vec::new();
        {
            let mut by_id = tx
                .prepare("SELECT 1 FROM articles WHERE id = ?1")
                .map_err(sql(&path))?;
            let mut by_hash = tx
                .prepare("SELECT id FROM articles WHERE hash = ?1 LIMIT 1")
                .map_err(sql(&path))?;
            let mut seen: HashMap<u64, String> = HashMap::new();
            for a in corpus.articles {
                if by_id.exists([&a.id]).map_err(sql(&path))? {
                    report.duplicate_ids += 1;
                    continue;
                }
                let h = dedup::content_hash(&a.title, &a.text);
                let stored: Option<String> = by_hash
                    .query_row([h as i64], |r| r.get(0))
                    .optional()
                    .map_err(sql(&path))?;
                if let Some(of) = stored.or_else(|| seen.get(&h).cloned()) {
                    report.duplicate_content.push((a.id.clone(), of));
                    continue;
                }
                seen.insert(h, a.id.clone());
                fresh.push(a);
            }
        }
        lap("read", &mut times);
        if fresh.is_empty() {
            // Nothing new: the store is left exactly as it was.
            drop(tx);
            report.stage_seconds = times;
            return Ok(report);
        }
        // Assign with the stored model.
        progress.begin("assign");
        let fitted = &model.fitted;
        let analyzed = fitted.analyze_articles(&fresh)?;
        let (matrix, _counts) = fitted.vectorizer.transform_with_counts(&analyzed);
        let emb = fitted.lsa.transform(&matrix)?;
        let nearest: Vec<Option<(usize, f32)>> =
            apply::nearest_centres(&emb, &fitted.model.centroids)
                .into_iter()
                .map(|n| n.map(|(row, s)| (model.row_topics[row], s)))
                .collect();
        let (mut topics, mut scores, mut reasons) = apply::mark(&nearest, fitted.min_score);
        // Store term ids of the batch's terms (new terms appended).
        let store_ids = self.term_ids(&analyzed.terms)?;
        let term_docs: Vec<Vec<(u32, u32)>> = analyzed
            .docs
            .par_iter()
            .map(|d| {
                let mut v: Vec<(u32, u32)> = d
                    .counts
                    .iter()
                    .map(|&(t, c)| (store_ids[t as usize], c))
                    .collect();
                v.sort_unstable();
                v
            })
            .collect();
        drop(analyzed);
        // Articles that fit no fitted topic may fit one born in an earlier `add`.
        if !model.term_centres.is_empty() {
            let out: Vec<usize> = (0..fresh.len()).filter(|&i| topics[i].is_none()).collect();
            let docs: Vec<&[(u32, u32)]> = out.iter().map(|&i| term_docs[i].as_slice()).collect();
            let vectors = self.term_vectors(&docs)?;
            for (&i, v) in out.iter().zip(&vectors) {
                let best = model
                    .term_centres
                    .iter()
                    .map(|c| (c.topic, sparse_dot(v, &c.weights)))
                    .fold(None, |b: Option<(usize, f32)>, x| match b {
                        Some(b) if b.1 >= x.1 => Some(b),
                        _ => Some(x),
                    });
                if let Some((t, s)) = best.filter(|b| b.1 >= track.link) {
                    topics[i] = Some(t);
                    scores[i] = s;
                    reasons[i] = None;
                }
            }
        }
        lap("assign", &mut times);
        // Near-duplicates against the stored articles of the nearby days.
        progress.begin("store");
        let days: Vec<i64> = fresh
            .iter()
            .filter_map(|a| a.date.map(|d| day_number(d.date_naive())))
            .collect();
        let mut index = dedup::SimIndex::default();
        let mut index_ids = Vec::new();
        if let (Some(&lo), Some(&hi)) = (days.iter().min(), days.iter().max()) {
            let mut st = tx
                .prepare(
                    "SELECT id, simhash, day FROM articles WHERE day BETWEEN ?1 AND ?2 ORDER BY n",
                )
                .map_err(sql(&path))?;
            let rows = st
                .query_map(
                    params![lo - track.near_dup_days, hi + track.near_dup_days],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, i64>(2)?,
                        ))
                    },
                )
                .map_err(sql(&path))?;
            for r in rows {
                let (id, h, d) = r.map_err(sql(&path))?;
                index.insert(h as u64, d);
                index_ids.push(id);
            }
        }
        let term_refs: Vec<&[(u32, u32)]> = term_docs.iter().map(Vec::as_slice).collect();
        let n_before: i64 = tx
            .query_row("SELECT COALESCE(MAX(n), 0) FROM articles", [], |r| r.get(0))
            .map_err(sql(&path))?;
        let day_dfs = self.store_articles(
            &fresh,
            &term_refs,
            &topics,
            &scores,
            &reasons,
            batch,
            &mut index,
            &index_ids,
            &track,
            true,
            &mut report,
        )?;
        lap("store", &mut times);
        // New topics from coherent groups of recent poorly fitting articles.
        progress.begin("grow");
        if let Some(&hi) = days.iter().max() {
            let born = self.grow(&mut model, hi, batch, &track)?;
            if !born.is_empty() {
                // The batch's own articles may have joined the new topics.
                let mut st = tx
                    .prepare("SELECT topic, score, reason FROM articles WHERE n > ?1 ORDER BY n")
                    .map_err(sql(&path))?;
                let rows = st
                    .query_map([n_before], |r| {
                        Ok((
                            r.get::<_, Option<i64>>(0)?,
                            r.get::<_, f64>(1)?,
                            r.get::<_, Option<String>>(2)?,
                        ))
                    })
                    .map_err(sql(&path))?;
                for (i, r) in rows.enumerate() {
                    let (t, s, why) = r.map_err(sql(&path))?;
                    topics[i] = t.map(|t| t as usize);
                    scores[i] = s as f32;
                    reasons[i] = why.as_deref().and_then(Unassigned::parse);
                }
                report.assigned = reasons.iter().filter(|r| r.is_none()).count();
                report.unassigned.clear();
                for r in reasons.iter().flatten() {
                    *report.unassigned.entry(r.as_str().to_string()).or_default() += 1;
                }
                self.set_model(&model)?;
            }
            report.new_topics = born;
        }
        lap("grow", &mut times);
        // Events on the new days against the stored history.
        progress.begin("events");
        if let (Some(&lo), Some(&hi)) = (days.iter().min(), days.iter().max()) {
            // Terms of the new days that may burst: at least `min_articles` new articles.
            let mut new_df: BTreeMap<u32, u32> = BTreeMap::new();
            for (&(_, t), &df) in &day_dfs {
                *new_df.entry(t).or_default() += df;
            }
            let candidates: BTreeSet<u32> = new_df
                .into_iter()
                .filter(|&(_, df)| df >= ev_params.news.min_articles)
                .map(|(t, _)| t)
                .collect();
            let labels = self.topic_labels()?;
            let found = self.detect_stored(
                lo - track.history_days,
                hi,
                &fresh,
                &topics,
                Some((&matrix, &model.fitted.vectorizer.labels)),
                &labels,
                &ev_params,
                &candidates,
                (lo, &term_docs),
            )?;
            let new_day = day_date(lo).to_string();
            let touch = |b: &BurstRecord| b.end >= new_day;
            let events: Vec<BurstRecord> = found.bursts.into_iter().filter(touch).collect();
            self.save_events(batch, &events, &[])?;
            self.save_term_events(batch, &found.events, &found.terms)?;
            report.events = events;
            report.term_events = found.events;
        }
        lap("events", &mut times);
        report.stage_seconds = times;
        self.add_batch(batch, "add", &inputs, report.added, &report)?;
        tx.commit().map_err(sql(&path))?;
        Ok(report)
    }

    /// Store ids of the terms of a batch, new terms appended to the dictionary.
    fn term_ids(&self, terms: &TermTable) -> Result<Vec<u32>> {
        let path = &self.path;
        let mut next: i64 = self
            .conn
            .query_row("SELECT COALESCE(MAX(id), -1) + 1 FROM terms", [], |r| {
                r.get(0)
            })
            .map_err(sql(path))?;
        let mut get = self.prepare("SELECT id FROM terms WHERE key = ?1")?;
        let mut put = self.prepare("INSERT INTO terms (id, key, label) VALUES (?1, ?2, ?3)")?;
        let mut out = Vec::with_capacity(terms.keys.len());
        for (k, l) in terms.keys.iter().zip(&terms.labels) {
            let id: Option<i64> = get
                .query_row([k], |r| r.get(0))
                .optional()
                .map_err(sql(path))?;
            let id = match id {
                Some(id) => id,
                None => {
                    put.execute(params![next, k, l]).map_err(sql(path))?;
                    next += 1;
                    next - 1
                }
            };
            out.push(id as u32);
        }
        Ok(out)
    }

    /// TF-IDF vectors of articles in the store's term space (every term ever seen, so words
    /// new since the fit count): `(1 + ln count) · ln((1 + N) / (1 + df))` with `N` the stored
    /// articles and `df` a term's stored document frequency, L2-normalised, ids ascending. The
    /// IDF has no `+ 1`: words in most articles weigh next to nothing, so two articles are close
    /// only when they share specific words.
    fn term_vectors(&self, docs: &[&[(u32, u32)]]) -> Result<Vec<Vec<(u32, f32)>>> {
        let path = &self.path;
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))
            .map_err(sql(path))?;
        let terms: BTreeSet<u32> = docs.iter().flat_map(|d| d.iter().map(|x| x.0)).collect();
        let mut st = self.prepare("SELECT df FROM terms WHERE id = ?1")?;
        let mut idf: HashMap<u32, f32> = HashMap::with_capacity(terms.len());
        for t in terms {
            let df: i64 = st
                .query_row([t], |r| r.get(0))
                .optional()
                .map_err(sql(path))?
                .unwrap_or(0);
            idf.insert(
                t,
                ((1.0 + n as f64) / (1.0 + df as f64)).ln().max(0.0) as f32,
            );
        }
        Ok(docs
            .iter()
            .map(|d| {
                let mut v: Vec<(u32, f32)> = d
                    .iter()
                    .map(|&(t, c)| (t, (1.0 + (c as f32).ln()) * idf[&t]))
                    .collect();
                let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
                if norm > 0.0 {
                    v.iter_mut().for_each(|x| x.1 /= norm);
                }
                v
            })
            .collect())
    }

    /// Looks for coherent groups among the poorly fitting articles of the days up to `last_day`
    /// (compared in the store's term space, [`Tracker::term_vectors`]) and makes each a topic,
    /// with a [`TermCentre`]; returns the topics born.
    fn grow(
        &self,
        model: &mut StoreModel,
        last_day: i64,
        batch: i64,
        track: &TrackParams,
    ) -> Result<Vec<NewTopic>> {
        let path = &self.path;
        let mut st = self.prepare(
            "SELECT n, day, terms FROM articles
                 WHERE topic IS NULL AND reason IS NOT NULL AND day BETWEEN ?1 AND ?2
                 ORDER BY n DESC LIMIT ?3",
        )?;
        let rows = st
            .query_map(
                params![last_day - track.pool_days, last_day, track.pool_max as i64],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                    ))
                },
            )
            .map_err(sql(path))?;
        let mut pool = Vec::new();
        let mut docs = Vec::new();
        for r in rows {
            let (n, day, blob) = r.map_err(sql(path))?;
            pool.push((n, day));
            docs.push(decode_terms(&blob)?);
        }
        if pool.len() < track.new_topic_min_size {
            return Ok(Vec::new());
        }
        // Oldest first, so leaders and ties follow the order articles arrived in.
        pool.reverse();
        docs.reverse();
        let refs: Vec<&[(u32, u32)]> = docs.iter().map(Vec::as_slice).collect();
        let vectors = self.term_vectors(&refs)?;
        // Pairwise cosines through the terms' postings.
        let m = vectors.len();
        let mut postings: BTreeMap<u32, Vec<(usize, f32)>> = BTreeMap::new();
        for (i, v) in vectors.iter().enumerate() {
            for &(t, w) in v {
                postings.entry(t).or_default().push((i, w));
            }
        }
        let mut sims = Array2::<f32>::zeros((m, m));
        for list in postings.values() {
            for &(i, wi) in list {
                for &(j, wj) in list {
                    sims[[i, j]] += wi * wj;
                }
            }
        }
        let groups = grow::coherent_groups(
            sims.view(),
            track.link,
            track.new_topic_min_size,
            track.new_topic_cohesion,
        );
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        let n_articles: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))
            .map_err(sql(path))?;
        let first_id: usize = self
            .conn
            .query_row("SELECT COALESCE(MAX(id), -1) + 1 FROM topics", [], |r| {
                r.get::<_, i64>(0)
            })
            .map_err(sql(path))? as usize;
        let mut born = Vec::new();
        let mut set =
            self.prepare("UPDATE articles SET topic = ?1, score = ?2, reason = NULL WHERE n = ?3")?;
        for (id, g) in (first_id..).zip(groups) {
            let centre = sparse_centre(g.members.iter().map(|&i| &vectors[i]), CENTRE_TERMS);
            let mut day_topics = BTreeMap::new();
            for &i in &g.members {
                let s = sparse_dot(&vectors[i], &centre);
                set.execute(params![id as i64, f64::from(s), pool[i].0])
                    .map_err(sql(path))?;
                *day_topics.entry((pool[i].1, id)).or_default() += 1;
            }
            self.bump_day_topics(&day_topics)?;
            let terms = self.group_terms(g.members.iter().map(|&i| &docs[i]), n_articles, 10)?;
            let label = terms
                .iter()
                .take(3)
                .map(|t| t.term.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            self.conn
                .execute(
                    "INSERT INTO topics (id, label, terms, born, born_batch) VALUES (?1, ?2, ?3, 'add', ?4)",
                    params![
                        id as i64,
                        label,
                        serde_json::to_string(&terms).unwrap_or_default(),
                        batch
                    ],
                )
                .map_err(sql(path))?;
            model.term_centres.push(TermCentre {
                topic: id,
                weights: centre,
            });
            born.push(NewTopic {
                id,
                label,
                size: g.members.len(),
                cohesion: (g.cohesion * 1e4).round() / 1e4,
            });
        }
        Ok(born)
    }

    /// The terms that best describe a group of articles: in how many of them a term occurs,
    /// times its smoothed IDF over the store, `df_g · ln((1 + N) / (1 + df))`, over the store's
    /// whole dictionary (terms new since the fit included); terms in at least two articles.
    fn group_terms<'a>(
        &self,
        docs: impl Iterator<Item = &'a Vec<(u32, u32)>>,
        n_articles: i64,
        n_terms: usize,
    ) -> Result<Vec<TermWeight>> {
        let mut df_g: BTreeMap<u32, u32> = BTreeMap::new();
        for d in docs {
            for &(t, _) in d {
                *df_g.entry(t).or_default() += 1;
            }
        }
        let mut st = self.prepare("SELECT df, label FROM terms WHERE id = ?1")?;
        let mut scored = Vec::new();
        for (&t, &g) in df_g.iter().filter(|(_, &g)| g >= 2) {
            let (d, label): (i64, String) = st
                .query_row([t], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(sql(&self.path))?;
            let w = f64::from(g) * ((1.0 + n_articles as f64) / (1.0 + d as f64)).ln();
            scored.push((t, w, label));
        }
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(n_terms);
        Ok(scored
            .into_iter()
            .map(|(_, w, term)| TermWeight {
                term,
                weight: (w * 1e6).round() / 1e6,
            })
            .collect())
    }

    /// Per-day counts of `first..=last` from the store, with `articles` known in full, through
    /// [`events::detect`]: `(topic bursts, term events reaching day `from`, with the store id
    /// of each event's strongest term)`; term events only when `matrix` is given and there are
    /// candidate terms.
    #[allow(clippy::too_many_arguments)]
    fn detect_stored(
        &self,
        first: i64,
        last: i64,
        articles: &[Article],
        topics: &[Option<usize>],
        matrix: Option<(&DocTermMatrix, &Vec<String>)>,
        topic_labels: &[String],
        params: &EventParams,
        candidates: &BTreeSet<u32>,
        from: (i64, &[Vec<(u32, u32)>]),
    ) -> Result<StoredEvents> {
        if last < first {
            return Ok(StoredEvents::default());
        }
        let counts = self.day_counts(first, last, topic_labels.len())?;
        let (term_counts, term_labels) = self.term_series(first, last, candidates)?;
        // The articles × candidate terms, from their stored term ids.
        let ids: Vec<u32> = candidates.iter().copied().collect();
        let present = {
            let mut indptr = vec![0usize];
            let mut indices = Vec::new();
            for d in from.1 {
                indices.extend(d.iter().filter_map(|&(t, _)| ids.binary_search(&t).ok()));
                indptr.push(indices.len());
            }
            let data = vec![1.0f32; indices.len()];
            DocTermMatrix::new((from.1.len(), ids.len()), indptr, indices, data)
        };
        let found = events::detect(
            &events::EventInput {
                days: &counts.days,
                totals: &counts.totals,
                topic_counts: &counts.topics,
                topic_labels,
                term_counts: &term_counts,
                term_labels: &term_labels,
                articles,
                topics,
                matrix: matrix.map(|(m, l)| (m, l.as_slice())),
                stories: false,
                term_present: (from.1.len() == articles.len() && !ids.is_empty())
                    .then_some((&present, day_date(from.0))),
            },
            params,
        )?;
        Ok(StoredEvents {
            bursts: found.bursts,
            terms: found.event_terms.iter().map(|&c| ids[c]).collect(),
            events: found.events,
        })
    }

    /// Stored per-day counts of the days `first..=last` (all of them, empty days included).
    fn day_counts(&self, first: i64, last: i64, k: usize) -> Result<DayCounts> {
        let path = &self.path;
        let n = (last - first + 1).max(0) as usize;
        let mut out = DayCounts {
            days: (0..n).map(|i| day_date(first + i as i64)).collect(),
            totals: vec![0; n],
            topics: vec![vec![0; n]; k],
        };
        let mut st =
            self.prepare("SELECT day, articles FROM day_totals WHERE day BETWEEN ?1 AND ?2")?;
        let rows = st
            .query_map([first, last], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?))
            })
            .map_err(sql(path))?;
        for r in rows {
            let (d, c) = r.map_err(sql(path))?;
            out.totals[(d - first) as usize] = c;
        }
        let mut st = self
            .prepare("SELECT day, topic, articles FROM day_topics WHERE day BETWEEN ?1 AND ?2")?;
        let rows = st
            .query_map([first, last], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, u32>(2)?,
                ))
            })
            .map_err(sql(path))?;
        for r in rows {
            let (d, t, c) = r.map_err(sql(path))?;
            if (t as usize) < k {
                out.topics[t as usize][(d - first) as usize] = c;
            }
        }
        Ok(out)
    }

    /// Daily document frequencies of the given terms over `first..=last`, and their labels.
    fn term_series(
        &self,
        first: i64,
        last: i64,
        terms: &BTreeSet<u32>,
    ) -> Result<(Vec<Vec<u32>>, Vec<String>)> {
        let path = &self.path;
        let n = (last - first + 1).max(0) as usize;
        let mut st = self
            .prepare("SELECT day, df FROM day_terms WHERE term = ?1 AND day BETWEEN ?2 AND ?3")?;
        let mut label = self.prepare("SELECT label FROM terms WHERE id = ?1")?;
        let mut series = Vec::with_capacity(terms.len());
        let mut labels = Vec::with_capacity(terms.len());
        for &t in terms {
            let mut s = vec![0u32; n];
            let rows = st
                .query_map(params![t, first, last], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?))
                })
                .map_err(sql(path))?;
            for r in rows {
                let (d, c) = r.map_err(sql(path))?;
                s[(d - first) as usize] = c;
            }
            series.push(s);
            labels.push(label.query_row([t], |r| r.get(0)).map_err(sql(path))?);
        }
        Ok((series, labels))
    }

    /// Stores term events (kind `event`, subject the store id of the strongest term, method
    /// `llr`), replacing an earlier record of the same event.
    fn save_term_events(&self, batch: i64, list: &[EventRecord], terms: &[u32]) -> Result<()> {
        let mut st = self.prepare(
                "INSERT INTO events (batch, kind, subject, label, method, start, end, peak, peak_count, score, record)
                 VALUES (?1, 'event', ?2, ?3, 'llr', ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (kind, subject, method, start) DO UPDATE SET batch = excluded.batch,
                 label = excluded.label, end = excluded.end, peak = excluded.peak,
                 peak_count = excluded.peak_count, score = excluded.score, record = excluded.record",
            )?;
        for (e, &t) in list.iter().zip(terms) {
            st.execute(params![
                batch,
                i64::from(t),
                e.label,
                e.start,
                e.end,
                e.peak,
                e.n_articles as i64,
                e.score,
                serde_json::to_string(e).unwrap_or_default()
            ])
            .map_err(sql(&self.path))?;
        }
        Ok(())
    }

    /// Stores bursts (replacing an earlier record of the same burst).
    fn save_events(&self, batch: i64, topic: &[BurstRecord], term: &[BurstRecord]) -> Result<()> {
        let mut st = self.prepare(
                "INSERT INTO events (batch, kind, subject, label, method, start, end, peak, peak_count, score, record)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (kind, subject, method, start) DO UPDATE SET batch = excluded.batch,
                 label = excluded.label, end = excluded.end, peak = excluded.peak,
                 peak_count = excluded.peak_count, score = excluded.score, record = excluded.record",
            )?;
        for (kind, list) in [("topic", topic), ("term", term)] {
            for b in list {
                let subject = b.topic as i64;
                st.execute(params![
                    batch,
                    kind,
                    subject,
                    b.topic_label,
                    b.method,
                    b.start,
                    b.end,
                    b.peak,
                    b.peak_count,
                    b.score,
                    serde_json::to_string(b).unwrap_or_default()
                ])
                .map_err(sql(&self.path))?;
            }
        }
        Ok(())
    }

    /// Reads the stored articles (dated within `from..=to` when given, undated ones only without
    /// a range), in storage order.
    fn load_articles(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        with_terms: bool,
    ) -> Result<Vec<StoredArticle>> {
        let path = &self.path;
        let ranged = from.is_some() || to.is_some();
        let lo = from.map(day_number).unwrap_or(i64::MIN);
        let hi = to.map(day_number).unwrap_or(i64::MAX);
        let q = format!(
            "SELECT n, id, date, title, snippet, source, topic, score, reason, {} FROM articles {} ORDER BY n",
            if with_terms { "terms" } else { "NULL" },
            if ranged { "WHERE day BETWEEN ?1 AND ?2" } else { "WHERE ?1 <= ?2" }
        );
        let mut st = self.prepare(&q)?;
        let rows = st
            .query_map([lo, hi], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                    r.get::<_, f64>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, Option<Vec<u8>>>(9)?,
                ))
            })
            .map_err(sql(path))?;
        let mut raw = Vec::new();
        for r in rows {
            raw.push(r.map_err(sql(path))?);
        }
        raw.into_par_iter()
            .map(
                |(n, id, date, title, snippet, source, topic, score, reason, terms)| {
                    let date = match date {
                        Some(d) => Some(
                            DateTime::parse_from_rfc3339(&d)
                                .map_err(|e| {
                                    store_err(path, format!("article {id}: date {d}: {e}"))
                                })?
                                .with_timezone(&Utc),
                        ),
                        None => None,
                    };
                    Ok(StoredArticle {
                        n,
                        article: Article {
                            id,
                            date,
                            title,
                            text: snippet,
                            labels: Vec::new(),
                            group: source,
                            input: 0,
                            line: 0,
                            vector: None,
                        },
                        topic: topic.map(|t| t as usize),
                        score: score as f32,
                        reason: reason.as_deref().and_then(Unassigned::parse),
                        terms: match terms {
                            Some(b) => decode_terms(&b)?,
                            None => Vec::new(),
                        },
                    })
                },
            )
            .collect()
    }

    /// Writes every output of `analyze` for the stored articles (dated within the range, when
    /// one is given) into `out`: `topics.json`, `assignments.csv` (every article, with reasons),
    /// `timeline.csv`, `run.json`, `events.json`, `stories.json`, `stories.csv`, the charts and
    /// `report.html`.
    pub fn report(
        &self,
        out: &Path,
        opts: &ReportOptions,
        progress: &dyn Progress,
    ) -> Result<ReportSummary> {
        let t_all = Instant::now();
        output::prepare_dir(out)?;
        // One read transaction: a consistent snapshot while a writer may be adding.
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)
            .map_err(sql(&self.path))?;
        let params = self.params()?;
        let ev_params = match &opts.events {
            Some(p) => p.clone(),
            None => self.event_params()?,
        };
        let model = self.model()?;
        let mut times = Vec::new();
        progress.begin("load");
        let t0 = Instant::now();
        let want_events = !opts.skip_events;
        let stored = self.load_articles(opts.from, opts.to, want_events)?;
        let fitted_topics = self.stored_topics()?;
        let k = fitted_topics.iter().map(|t| t.id + 1).max().unwrap_or(0);
        let articles: Vec<Article> = stored.iter().map(|s| s.article.clone()).collect();
        let assignments: Vec<Option<usize>> = stored.iter().map(|s| s.topic).collect();
        let scores: Vec<f32> = stored.iter().map(|s| s.score).collect();
        let reasons: Vec<Option<Unassigned>> = stored.iter().map(|s| s.reason).collect();
        times.push(("load".to_string(), t0.elapsed().as_secs_f64()));
        progress.end("load", t0.elapsed().as_secs_f64());
        let topics =
            apply::describe_assigned(&fitted_topics, k, &articles, &assignments, &scores, 3);
        let bin = opts.bin.unwrap_or(params.bin);
        let dates: Vec<_> = articles.iter().map(|a| a.date).collect();
        let timeline = Timeline::build(&dates, &assignments, k, bin)?;
        let paths = OutPaths::new(out);
        output::write_topics(&paths.topics, &topics)?;
        output::write_timeline(&paths.timeline, &timeline)?;
        output::write_assignments_marked(
            &paths.assignments,
            &articles,
            &assignments,
            &scores,
            &reasons,
        )?;
        let _ = std::fs::remove_file(out.join("problems.csv"));
        let mut files = vec![
            paths.topics.clone(),
            paths.timeline.clone(),
            paths.assignments.clone(),
        ];
        let (mut n_bursts, mut n_stories) = (0, 0);
        if want_events && !timeline.bins.is_empty() {
            progress.begin("events");
            let t0 = Instant::now();
            let column_of = column_lookup(&model.column_terms);
            let docs: Vec<Vec<(u32, u32)>> = stored.into_iter().map(|s| s.terms).collect();
            let corpus = corpus_in_columns(&model.fitted, &column_of, &docs);
            drop(docs);
            let matrix = model.fitted.vectorizer.transform(&corpus);
            drop(corpus);
            let day_of =
                |a: &Article, t: &Option<usize>| t.and(a.date.map(|d| day_number(d.date_naive())));
            let first = articles
                .iter()
                .zip(&assignments)
                .filter_map(|(a, t)| day_of(a, t))
                .min();
            let last = articles
                .iter()
                .zip(&assignments)
                .filter_map(|(a, t)| day_of(a, t))
                .max();
            let (first, last) = (first.unwrap_or(0), last.unwrap_or(-1));
            let counts = self.day_counts(first, last, k)?;
            let labels: Vec<String> = topics.iter().map(|t| t.label.clone()).collect();
            let found = events::detect(
                &events::EventInput {
                    days: &counts.days,
                    totals: &counts.totals,
                    topic_counts: &counts.topics,
                    topic_labels: &labels,
                    term_counts: &[],
                    term_labels: &[],
                    articles: &articles,
                    topics: &assignments,
                    matrix: Some((&matrix, &model.fitted.vectorizer.labels)),
                    stories: true,
                    term_present: None,
                },
                &ev_params,
            )?;
            output::events::write_parts(out, &found.events, &found.bursts, &found.stories)?;
            files.extend(
                [
                    "events.json",
                    "events.csv",
                    "surges.json",
                    "stories.json",
                    "stories.csv",
                ]
                .map(|f| out.join(f)),
            );
            n_bursts = found.bursts.len();
            n_stories = found.stories.len();
            times.push(("events".to_string(), t0.elapsed().as_secs_f64()));
            progress.end("events", t0.elapsed().as_secs_f64());
        }
        drop(tx);
        let mut counts = Counts::new(&ingest::IngestReport::default(), &assignments);
        counts.ingest = ingest::ReadCounts {
            read: articles.len() as u64,
            articles: articles.len() as u64,
            undated: articles.iter().filter(|a| a.date.is_none()).count() as u64,
            ..Default::default()
        };
        let run = RunInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            format_version: crate::FORMAT_VERSION,
            inputs: Vec::new(),
            counts,
            skip_reasons: BTreeMap::new(),
            params: serde_json::json!({
                "store": self.path.display().to_string(),
                "from": opts.from.map(|d| d.to_string()),
                "to": opts.to.map(|d| d.to_string()),
                "analyze": params,
                "track": self.track_params()?,
                "min_score": model.fitted.min_score,
            }),
            k: topics.iter().filter(|t| t.size > 0).count(),
            k_selection: model.fitted.model.k_selection.clone(),
            vocabulary: model.fitted.vectorizer.n_terms(),
            dims: model.fitted.lsa.dims(),
            outputs: Vec::new(),
            boilerplate: model.fitted.boilerplate.clone(),
            timeline: TimelineInfo::of(&timeline),
            stage_seconds: times
                .into_iter()
                .map(|(s, t)| (s, (t * 1e4).round() / 1e4))
                .collect(),
            scores: None,
        };
        output::write_json(&paths.run, &run)?;
        files.push(paths.run.clone());
        if let Some(chart_opts) = &opts.charts {
            progress.begin("charts");
            let t0 = Instant::now();
            let data = ChartData::load(out)?;
            let (charts, html) = rayon::join(
                || plot::render_charts(&data, chart_opts, &paths.charts),
                || crate::report::write_report(out, &data, chart_opts),
            );
            files.extend(charts?);
            files.push(html?);
            progress.end("charts", t0.elapsed().as_secs_f64());
        }
        let _ = t_all;
        Ok(ReportSummary {
            articles: articles.len(),
            topics,
            bursts: n_bursts,
            stories: n_stories,
            files,
        })
    }

    /// Refits the model on every stored article and maps the new topics to the old ids; see
    /// the module doc.
    pub fn refit(&mut self, progress: &dyn Progress) -> Result<RefitReport> {
        let path = self.path.clone();
        let tx = self.begin_write()?;
        let params = self.params()?;
        let track = self.track_params()?;
        let ev_params = self.event_params()?;
        let old_model = self.model()?;
        let batch = self.next_batch()?;
        progress.begin("load");
        let stored = self.load_articles(None, None, true)?;
        let mut keys = Vec::new();
        let mut labels = Vec::new();
        {
            let mut st = tx
                .prepare("SELECT key, label FROM terms ORDER BY id")
                .map_err(sql(&path))?;
            let rows = st
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                .map_err(sql(&path))?;
            for r in rows {
                let (k, l) = r.map_err(sql(&path))?;
                keys.push(k);
                labels.push(l);
            }
        }
        let corpus = AnalyzedCorpus {
            phrases: Vec::new(),
            terms: TermTable { keys, labels },
            docs: stored
                .iter()
                .map(|s| AnalyzedDoc {
                    counts: s.terms.clone(),
                })
                .collect(),
            n_words: 0,
        };
        progress.end("load", 0.0);
        progress.begin("fit");
        let mut p = params.clone();
        p.svd.seed = p.seed;
        p.cluster.seed = p.seed;
        let tfidf_p = p.tfidf.clone().check()?;
        let svd_p = p.svd.clone().check()?;
        let cluster_p = p.cluster.clone().check()?;
        let vectorizer = crate::vectorize::fit(&corpus, &tfidf_p)?;
        let (matrix, counts) = vectorizer.transform_with_counts(&corpus);
        let column_terms = column_terms(&corpus.terms.keys, &vectorizer.keys);
        drop(corpus);
        let (lsa, emb) = crate::svd::fit(&matrix, &svd_p)?;
        let fit = cluster::fit(&emb, &cluster_p)?;
        let articles: Vec<Article> = stored.iter().map(|s| s.article.clone()).collect();
        let described = cluster::describe(
            &fit,
            &counts,
            &vectorizer.labels,
            &[],
            &articles,
            &cluster_p,
        )?;
        progress.end("fit", 0.0);
        // Old topics in the new space: the unit mean of their articles' new rows.
        let old_ids: Vec<usize> = {
            let ids: BTreeSet<usize> = stored.iter().filter_map(|s| s.topic).collect();
            ids.into_iter().collect()
        };
        let old_row: HashMap<usize, usize> =
            old_ids.iter().enumerate().map(|(r, &id)| (id, r)).collect();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); old_ids.len()];
        let kn = fit.k();
        let mut contingency = vec![vec![0usize; kn]; old_ids.len()];
        for (i, s) in stored.iter().enumerate() {
            if let Some(t) = s.topic {
                members[old_row[&t]].push(i);
                if let Some(u) = fit.assignments[i] {
                    contingency[old_row[&t]][u] += 1;
                }
            }
        }
        let mut old_centres = Array2::<f32>::zeros((old_ids.len(), emb.ncols()));
        for (r, m) in members.iter().enumerate() {
            old_centres
                .row_mut(r)
                .assign(&grow::unit_mean(emb.view(), m));
        }
        let life = grow::match_topics(
            &old_ids,
            &old_centres,
            &fit.centroids,
            &contingency,
            track.match_min_cos,
            track.part_share,
        );
        let mut next_id: usize = tx
            .query_row("SELECT COALESCE(MAX(id), -1) + 1 FROM topics", [], |r| {
                r.get::<_, i64>(0)
            })
            .map_err(sql(&path))? as usize;
        let mut id_of_new = vec![usize::MAX; kn];
        for &(old, new, _) in &life.matched {
            id_of_new[new] = old;
        }
        for &b in &life.births {
            id_of_new[b] = next_id;
            next_id += 1;
        }
        let old_labels = self.topic_labels()?;
        let mut report = RefitReport {
            batch,
            articles: stored.len(),
            ..RefitReport::default()
        };
        for &(old, new, c) in &life.matched {
            report.matched.push(TopicChange {
                id: old,
                label: described[new].label.clone(),
                cosine: Some((c * 1e4).round() / 1e4),
            });
        }
        for &b in &life.births {
            report.births.push(TopicChange {
                id: id_of_new[b],
                label: described[b].label.clone(),
                cosine: None,
            });
        }
        for &d in &life.deaths {
            report.deaths.push(TopicChange {
                id: d,
                label: old_labels.get(d).cloned().unwrap_or_default(),
                cosine: None,
            });
        }
        report.splits = life
            .splits
            .iter()
            .map(|(o, parts)| (*o, parts.iter().map(|&n| id_of_new[n]).collect()))
            .collect();
        report.merges = life
            .merges
            .iter()
            .map(|(n, olds)| (id_of_new[*n], olds.clone()))
            .collect();
        // Write the new assignments, topics, per-day topic counts and model.
        progress.begin("store");
        {
            let mut set = tx
                .prepare("UPDATE articles SET topic = ?1, score = ?2, reason = ?3 WHERE n = ?4")
                .map_err(sql(&path))?;
            for (i, s) in stored.iter().enumerate() {
                let t = fit.assignments[i].map(|u| id_of_new[u]);
                if t != s.topic {
                    report.changed += 1;
                }
                let reason = t.is_none().then_some(Unassigned::NoTerms.as_str());
                set.execute(params![
                    t.map(|t| t as i64),
                    f64::from(fit.scores[i]),
                    reason,
                    s.n
                ])
                .map_err(sql(&path))?;
            }
        }
        tx.execute("DELETE FROM day_topics", [])
            .map_err(sql(&path))?;
        let mut day_topics = BTreeMap::new();
        for (i, s) in stored.iter().enumerate() {
            if let (Some(d), Some(u)) = (s.article.date, fit.assignments[i]) {
                *day_topics
                    .entry((day_number(d.date_naive()), id_of_new[u]))
                    .or_default() += 1;
            }
        }
        self.bump_day_topics(&day_topics)?;
        for (u, t) in described.iter().enumerate() {
            let id = id_of_new[u];
            tx.execute(
                "INSERT INTO topics (id, label, terms, born, born_batch) VALUES (?1, ?2, ?3, 'refit', ?4)
                 ON CONFLICT (id) DO UPDATE SET label = excluded.label, terms = excluded.terms,
                 retired_batch = NULL",
                params![
                    id as i64,
                    t.label,
                    serde_json::to_string(&t.terms).unwrap_or_default(),
                    batch
                ],
            )
            .map_err(sql(&path))?;
        }
        for &d in &life.deaths {
            tx.execute(
                "UPDATE topics SET retired_batch = ?1 WHERE id = ?2 AND retired_batch IS NULL",
                params![batch, d as i64],
            )
            .map_err(sql(&path))?;
        }
        let mut fitted_topics = described.clone();
        for (u, t) in fitted_topics.iter_mut().enumerate() {
            t.id = id_of_new[u];
        }
        let new_topics: Vec<Option<usize>> = fit
            .assignments
            .iter()
            .map(|a| a.map(|u| id_of_new[u]))
            .collect();
        let training = crate::cluster::score_threshold(
            &fit.scores,
            &fit.assignments,
            crate::cluster::OUTLIER_QUANTILE,
        );
        let model = StoreModel {
            fitted: FittedPipeline {
                version: crate::FORMAT_VERSION,
                text: old_model.fitted.text.clone(),
                vectorizer,
                lsa,
                model: crate::cluster::TopicModel {
                    assignments: Vec::new(),
                    scores: Vec::new(),
                    ..fit
                },
                topics: fitted_topics,
                min_score: training,
                boilerplate: old_model.fitted.boilerplate.clone(),
            },
            row_topics: id_of_new,
            column_terms,
            term_centres: Vec::new(),
        };
        self.set_model(&model)?;
        // Events are recomputed over everything with the new topics.
        tx.execute("DELETE FROM events WHERE kind = 'topic'", [])
            .map_err(sql(&path))?;
        if let Some((first, last)) = self.day_range()? {
            let labels = self.topic_labels()?;
            let found = self.detect_stored(
                first,
                last,
                &articles,
                &new_topics,
                Some((&matrix, &model.fitted.vectorizer.labels)),
                &labels,
                &ev_params,
                &BTreeSet::new(),
                (first, &[]),
            )?;
            self.save_events(batch, &found.bursts, &[])?;
        }
        self.add_batch(batch, "refit", &[], 0, &report)?;
        progress.end("store", 0.0);
        tx.commit().map_err(sql(&path))?;
        Ok(report)
    }

    /// A summary of the store.
    pub fn status(&self) -> Result<Status> {
        let path = &self.path;
        let one = |q: &str| -> Result<i64> {
            self.conn.query_row(q, [], |r| r.get(0)).map_err(sql(path))
        };
        let bytes = [
            path.to_path_buf(),
            PathBuf::from(format!("{}-wal", path.display())),
        ]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
        let range = self.day_range()?;
        let mut topics = Vec::new();
        let mut retired = Vec::new();
        for t in self.topics()? {
            if t.retired_batch.is_some() {
                retired.push(t.id);
            } else {
                topics.push((t.id, t.label, t.articles));
            }
        }
        let mut batches = Vec::new();
        {
            let mut st =
                self.prepare("SELECT id, kind, at, added FROM batches ORDER BY id DESC LIMIT 10")?;
            let rows = st
                .query_map([], |r| {
                    Ok(BatchInfo {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        at: r.get(2)?,
                        added: r.get(3)?,
                    })
                })
                .map_err(sql(path))?;
            for r in rows {
                batches.push(r.map_err(sql(path))?);
            }
        }
        let mut recent_events = Vec::new();
        if let Some((_, last)) = range {
            let since = day_date(last - 30).to_string();
            let mut st = self.prepare(
                "SELECT record FROM events WHERE end >= ?1 ORDER BY score DESC, id LIMIT 12",
            )?;
            let rows = st
                .query_map([since], |r| r.get::<_, String>(0))
                .map_err(sql(path))?;
            for r in rows {
                if let Ok(b) = serde_json::from_str(&r.map_err(sql(path))?) {
                    recent_events.push(b);
                }
            }
        }
        Ok(Status {
            schema_version: schema::version(&self.conn).map_err(sql(path))?,
            bytes,
            articles: one("SELECT COUNT(*) FROM articles")? as u64,
            dated: one("SELECT COUNT(*) FROM articles WHERE day IS NOT NULL")? as u64,
            with_topic: one("SELECT COUNT(*) FROM articles WHERE topic IS NOT NULL")? as u64,
            first: range.map(|r| day_date(r.0).to_string()),
            last: range.map(|r| day_date(r.1).to_string()),
            topics,
            retired,
            terms: one("SELECT COUNT(*) FROM terms")? as u64,
            batches,
            recent_events,
        })
    }

    /// Every stored article, in the order stored, without its text: what a caller needs to
    /// join the store's topics back to its own records (the Python package's
    /// `Tracker.assignments`) without writing a report.
    pub fn articles(&self) -> Result<Vec<StoredRow>> {
        let path = &self.path;
        let mut st = self.prepare(
            "SELECT id, date, title, source, topic, score, reason, near_dup_of, batch
                 FROM articles ORDER BY n",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok(StoredRow {
                    id: r.get(0)?,
                    date: r.get(1)?,
                    title: r.get(2)?,
                    source: r.get(3)?,
                    topic: r.get::<_, Option<i64>>(4)?.map(|t| t as usize),
                    score: r.get::<_, f64>(5)? as f32,
                    reason: r.get(6)?,
                    near_dup_of: r.get(7)?,
                    batch: r.get(8)?,
                })
            })
            .map_err(sql(path))?;
        rows.map(|r| r.map_err(sql(path))).collect()
    }

    /// Every topic id ever given, retired ones included, with its stored terms and article
    /// count: the store's own topic table, without computing a report.
    pub fn topics(&self) -> Result<Vec<StoredTopic>> {
        let path = &self.path;
        let mut st = self.prepare(
            "SELECT t.id, t.label, t.terms, t.born, t.born_batch, t.retired_batch, COALESCE(a.n, 0)
                 FROM topics t
                 LEFT JOIN (SELECT topic, COUNT(*) AS n FROM articles GROUP BY topic) a
                 ON a.topic = t.id ORDER BY t.id",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                    r.get::<_, i64>(6)?,
                ))
            })
            .map_err(sql(path))?;
        let mut out = Vec::new();
        for r in rows {
            let (id, label, terms, born, born_batch, retired_batch, n) = r.map_err(sql(path))?;
            out.push(StoredTopic {
                id: id as usize,
                label,
                terms: serde_json::from_str(&terms)
                    .map_err(|e| store_err(path, format!("topic {id}: {e}")))?,
                born,
                born_batch,
                retired_batch,
                articles: n as u64,
            });
        }
        Ok(out)
    }

    /// `PRAGMA integrity_check` and the store's own invariants (per-day counts equal to the
    /// articles' days and topics); the problems found, empty when consistent.
    pub fn check(&self) -> Result<Vec<String>> {
        let path = &self.path;
        let mut problems = Vec::new();
        let ic: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(sql(path))?;
        if ic != "ok" {
            problems.push(format!("integrity_check: {ic}"));
        }
        // Counts kept per day and per (day, topic) against the articles they count.
        let checks = [
            (
                "SELECT COUNT(*) FROM (
                   SELECT day, COUNT(*) AS n FROM articles WHERE day IS NOT NULL GROUP BY day
                 ) a FULL OUTER JOIN day_totals t ON a.day = t.day
                 WHERE a.n IS NOT t.articles",
                "days whose total differs from their articles",
            ),
            (
                "SELECT COUNT(*) FROM (
                   SELECT day, topic, COUNT(*) AS n FROM articles
                   WHERE day IS NOT NULL AND topic IS NOT NULL GROUP BY day, topic
                 ) a FULL OUTER JOIN (SELECT * FROM day_topics WHERE articles > 0) t
                 ON a.day = t.day AND a.topic = t.topic
                 WHERE a.n IS NOT t.articles",
                "(day, topic) counts differ from their articles",
            ),
        ];
        for (query, what) in checks {
            let mismatch: i64 = self
                .conn
                .query_row(query, [], |r| r.get(0))
                .map_err(sql(path))?;
            if mismatch > 0 {
                problems.push(format!("{mismatch} {what}"));
            }
        }
        Ok(problems)
    }
}

/// Per-day counts over consecutive days.
struct DayCounts {
    days: Vec<NaiveDate>,
    totals: Vec<u32>,
    topics: Vec<Vec<u32>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_counts_round_trip() {
        let c = vec![(0u32, 1u32), (5, 2), (300, 1), (70_000, 9)];
        let b = encode_terms(&c);
        assert_eq!(decode_terms(&b).unwrap(), c);
        // Gaps 0, 5, 295, 69700 and counts as varints: 1+1+1+1+2+1+3+1 bytes, plus the length.
        assert_eq!(b.len(), 1 + 11);
        assert!(decode_terms(&[]).is_err());
    }

    #[test]
    fn snippets_cut_at_words() {
        assert_eq!(snippet("  a  b\n c "), "a b c");
        let long = "word ".repeat(100);
        let s = snippet(&long);
        assert!(s.chars().count() <= SNIPPET_CHARS && s.ends_with("word"));
        assert_eq!(snippet(&"x".repeat(500)).chars().count(), SNIPPET_CHARS);
    }

    #[test]
    fn day_numbers_round_trip() {
        let d = NaiveDate::from_ymd_opt(2016, 6, 12).unwrap();
        assert_eq!(day_date(day_number(d)), d);
        assert_eq!(day_number(d) + 1, day_number(d.succ_opt().unwrap()));
    }
}
