//! The store's SQLite schema, its version (`PRAGMA user_version`) and migrations.
//!
//! Days are stored as `chrono::NaiveDate::num_days_from_ce` numbers; dates as RFC 3339 UTC text.
//!
//! | table | one row per | columns |
//! |---|---|---|
//! | `meta` | setting | `key`, `value` (JSON): `params` (the analyze settings), `track`, `events` |
//! | `model` | — (one row) | `blob`: the fitted pipeline, postcard-encoded ([`super::StoreModel`]) |
//! | `topics` | topic id | `label`, `terms` (JSON), `born` (`init`/`add`/`refit`), `born_batch`, `retired_batch` |
//! | `batches` | init, add or refit | `kind`, `at`, `inputs`, `added`, `report` (JSON) |
//! | `articles` | article | `id` (unique), `day`, `date`, `title`, `snippet`, `url`, `source`, `topic`, `score`, `reason`, `hash`, `simhash`, `near_dup_of`, `batch`, `terms` (postcard: delta-coded term ids and counts) |
//! | `terms` | term seen | `key` (stem), `label` (surface form), `df` (articles containing it) |
//! | `day_totals` | day | dated articles |
//! | `day_topics` | day and topic | articles of the topic |
//! | `day_terms` | term and day | articles containing the term |
//! | `events` | burst | `kind` (`topic`/`term`), `subject`, `method`, `start`, `end`, `peak`, `score`, `record` (JSON) |

use rusqlite::Connection;

/// Schema version this build writes; `migrate` brings older stores up to it.
pub const SCHEMA_VERSION: i64 = 1;

/// `MIGRATIONS[v]` turns a version-`v` store into version `v + 1` (version 0: an empty file).
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE model (id INTEGER PRIMARY KEY CHECK (id = 1), blob BLOB NOT NULL);
CREATE TABLE topics (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    terms TEXT NOT NULL,
    born TEXT NOT NULL,
    born_batch INTEGER NOT NULL,
    retired_batch INTEGER
);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    inputs TEXT NOT NULL,
    added INTEGER NOT NULL,
    report TEXT NOT NULL
);
CREATE TABLE articles (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    day INTEGER,
    date TEXT,
    title TEXT NOT NULL,
    snippet TEXT NOT NULL,
    url TEXT,
    source TEXT,
    topic INTEGER,
    score REAL NOT NULL,
    reason TEXT,
    hash INTEGER NOT NULL,
    simhash INTEGER NOT NULL,
    near_dup_of TEXT,
    batch INTEGER NOT NULL,
    terms BLOB NOT NULL
);
CREATE INDEX articles_hash ON articles (hash);
CREATE INDEX articles_day ON articles (day);
CREATE INDEX articles_unassigned ON articles (day) WHERE topic IS NULL;
CREATE TABLE terms (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    df INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE day_totals (day INTEGER PRIMARY KEY, articles INTEGER NOT NULL);
CREATE TABLE day_topics (
    day INTEGER NOT NULL,
    topic INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (day, topic)
) WITHOUT ROWID;
CREATE TABLE day_terms (
    term INTEGER NOT NULL,
    day INTEGER NOT NULL,
    df INTEGER NOT NULL,
    PRIMARY KEY (term, day)
) WITHOUT ROWID;
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL,
    kind TEXT NOT NULL,
    subject INTEGER NOT NULL,
    label TEXT NOT NULL,
    method TEXT NOT NULL,
    start TEXT NOT NULL,
    end TEXT NOT NULL,
    peak TEXT NOT NULL,
    peak_count INTEGER NOT NULL,
    score REAL NOT NULL,
    record TEXT NOT NULL,
    UNIQUE (kind, subject, method, start)
);
"#];

/// The store's schema version.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Applies the missing migrations (inside the caller's transaction). `Err(v)` when the store is
/// newer than this build.
pub fn migrate(conn: &Connection) -> rusqlite::Result<std::result::Result<(), i64>> {
    let v = version(conn)?;
    if v > SCHEMA_VERSION {
        return Ok(Err(v));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(v as usize) {
        conn.execute_batch(sql)?;
        conn.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    Ok(Ok(()))
}
